"""What a workbook's sheets say beyond their cells: a sheet named for closed risks closes
the risks on it, and other sheets that look like the one imported are named so the user
can import them too. Imports no Qt."""

from __future__ import annotations

import re
from typing import Any

from ..domain.records import parse_status
from .mapping import ColumnMap
from .tabular import Grid

# "Closed Risks", "Closed", "Risks - closed", "Archive of closed risks", "Archived risks".
_CLOSED_SHEET = re.compile(r"\b(closed|archived?|retired)\b", re.I)


def closed_sheet(grid: Grid) -> bool:
    return bool(grid.sheet and _CLOSED_SHEET.search(grid.sheet))


def close_on_closed_sheet(grid: Grid, colmap: ColumnMap) -> list[str]:
    """On a sheet named for closed risks, a risk is closed unless its status column says
    otherwise. A blank status (or no status column) reads as closed; a status that says
    open or escalated is kept, and a note names the rows where sheet and column disagree.
    Returns the notes for the import report; changes the grid's cells (and, with no status
    column, adds one named after the sheet)."""
    if colmap.kind != "risks" or not closed_sheet(grid):
        return []
    sheet = grid.sheet
    records = [(number, cells) for number, cells in grid.rows
               if number > colmap.header_row and _holds_record(cells, colmap)]
    status = next((i for i, name in colmap.columns.items() if name == "status"), None)
    if status is None:
        status = max(len(cells) for _, cells in grid.rows)
        for _, cells in grid.rows:
            cells.extend([None] * (status + 1 - len(cells)))
        colmap.columns[status] = "status"
        colmap.headings[status] = f"(the sheet's name, {sheet!r})"
        for _, cells in records:
            cells[status] = "closed"
        return [f"sheet {sheet!r} is named for closed risks and has no status column: its "
                f"{_risks(len(records))} imported as closed"] if records else []
    blank, disagree = [], []
    for number, cells in records:
        value = cells[status] if status < len(cells) else None
        if value is None or not str(value).strip():
            cells[status] = "closed"
            blank.append(number)
            continue
        try:
            said = parse_status("risk", str(value))
        except ValueError:
            continue  # the row is refused for its status, and says why
        if said != "closed":
            disagree.append((number, " ".join(str(value).split())))
    heading = colmap.headings[status]
    notes = []
    if blank:
        one = len(blank) == 1
        notes.append(f"sheet {sheet!r} is named for closed risks: {len(blank)} "
                     f"{'risk' if one else 'risks'} with no {heading!r} "
                     f"{'was' if one else 'were'} imported as closed ({_rows(blank)})")
    if disagree:
        said = sorted({text for _, text in disagree})
        notes.append(f"sheet {sheet!r} is named for closed risks, but its {heading!r} column "
                     f"says {_or(said)} on {_rows([n for n, _ in disagree])}; "
                     f"{'that risk was' if len(disagree) == 1 else 'those risks were'} "
                     "imported as the column says: change the cell to Closed, or move the "
                     "row to an open-risks sheet")
    return notes


def other_sheets_note(others: list[str], kind: str) -> list[str]:
    """A note naming the workbook's other sheets that look like the one imported."""
    if not others:
        return []
    names = ", ".join(repr(name) for name in others)
    one = len(others) == 1
    return [f"the workbook's {'sheet' if one else 'sheets'} {names} "
            f"{'looks' if one else 'look'} like {kind} too and {'was' if one else 'were'} "
            f"not imported: import {'it' if one else 'one'} with --sheet NAME, or every such "
            "sheet at once with --all-sheets"]


def _holds_record(cells: list[Any], colmap: ColumnMap) -> bool:
    return any(i < len(cells) and str(cells[i] if cells[i] is not None else "").strip()
               for i in colmap.columns)


def _risks(n: int) -> str:
    return "1 risk was" if n == 1 else f"{n} risks were"


def _rows(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:12])
    more = f" and {len(numbers) - 12} more" if len(numbers) > 12 else ""
    return f"row{'s' if len(numbers) > 1 else ''} {shown}{more}"


def _or(words: list[str]) -> str:
    quoted = [repr(w) for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
