"""Read back a risk log OOH Desk wrote (exports/risk_log.py) whole. Its 'Risk log' sheet is
the risks, read like anyone's register, closed risks included; 'Mitigating actions' gives
each risk's actions with their owner, due date and status, and 'Closed risks' each closed
risk's reason, both matched to the log by ref. Neither adds risks of its own, so no risk is
imported twice; the heat map and key are worked out from the risks and never read.
Imports no Qt; writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..domain.records import FieldReader, Mitigation, Problem, parse_status
from ..domain.risk_log_layout import (
    ACTION_COLUMNS,
    ACTIONS_SHEET,
    CLOSED_COLUMNS,
    CLOSED_SHEET,
    KEY_SHEET,
    KEY_TITLE,
    MAIN_SHEET,
    NO_CLOSED,
    NO_REASON,
    SHEETS,
)
from .errors import ImportRefused
from .tabular import Grid

# The companion sheets' headings, as the export writes them, by the field each one fills.
_ACTION_FIELDS = {name: ACTION_COLUMNS[i].heading
                  for name, i in (("ref", 0), ("description", 2), ("owner", 3), ("due", 4),
                                  ("status", 5))}
_CLOSED_FIELDS = {"ref": CLOSED_COLUMNS[0].heading, "closed_reason": "Reason closed"}


def is_own_log(wb: Any) -> bool:
    """Whether an open workbook is one of our risk logs: its sheets, in order, and the key's
    title. A log whose sheets were renamed reads as any other register."""
    if [ws.title for ws in wb.worksheets] != list(SHEETS):
        return False
    first = next(wb[KEY_SHEET].iter_rows(min_row=1, max_row=1, max_col=1, values_only=True), ())
    return bool(first) and first[0] == KEY_TITLE


@dataclass
class Companions:
    """What the log's other sheets add to its rows, by risk ref."""

    mitigations: dict[str, list[Mitigation]] = field(default_factory=dict)
    closed_reasons: dict[str, str] = field(default_factory=dict)
    mentioned: dict[str, Problem] = field(default_factory=dict)  # ref -> where first named

    def complete(self, values: dict[str, Any]) -> dict[str, Any]:
        """A log row's values with its actions whole and, when it is closed, its reason."""
        ref = _text(values.get("ref"))
        if ref in self.mitigations:
            values["mitigations"] = list(self.mitigations[ref])
        if ref in self.closed_reasons and _closed(values.get("status")):
            values["closed_reason"] = self.closed_reasons[ref]
        return values

    def check_all_on_log(self, refs: set[str]) -> None:
        """Refuse actions or reasons for a risk the log does not hold: they would be lost."""
        missing = [p for ref, p in self.mentioned.items() if ref not in refs]
        if missing:
            raise _refusal(missing)


def read_companions(closed: Grid, actions: Grid) -> Companions:
    """Each risk's actions and reason closed, or a refusal naming every row that cannot be
    read (sheet, row and column)."""
    out = Companions()
    problems: list[Problem] = []
    for number, values in _rows(actions, _ACTION_FIELDS):
        reader = FieldReader(values, f"{actions.source} row {number}", _ACTION_FIELDS)
        ref = reader.text("ref", required=True, what="risk ref")
        action = Mitigation(description=reader.text("description", required=True,
                                                    what="mitigating action"),
                            owner=reader.text("owner"), due=reader.board_date("due"),
                            status=reader.status("status", "action"))
        problems += reader.problems
        if ref and not reader.problems:
            out.mitigations.setdefault(ref, []).append(action)
            out.mentioned.setdefault(ref, Problem(reader.where, _ACTION_FIELDS["ref"],
                                                  f"{ref} is not a risk on sheet {MAIN_SHEET!r}; "
                                                  "add it there or delete this row"))
    for number, values in _rows(closed, _CLOSED_FIELDS):
        if _text(values.get("ref")) == NO_CLOSED:
            continue
        reader = FieldReader(values, f"{closed.source} row {number}", _CLOSED_FIELDS)
        ref = reader.text("ref", required=True, what="risk ref")
        reason = reader.text("closed_reason")
        problems += reader.problems
        if ref:
            out.closed_reasons[ref] = "" if reason == NO_REASON else reason
            out.mentioned.setdefault(ref, Problem(reader.where, _CLOSED_FIELDS["ref"],
                                                  f"{ref} is not a risk on sheet {MAIN_SHEET!r}; "
                                                  "add it there or delete this row"))
    if problems:
        raise _refusal(problems)
    return out


def _rows(grid: Grid, fields: Mapping[str, str]) -> list[tuple[int, dict[str, Any]]]:
    """The sheet's rows below its heading row, by field; the headings must be the export's."""
    if not grid.rows:
        return []
    header_row, cells = grid.rows[0]
    headings = {" ".join(str(c).split()): i for i, c in enumerate(cells) if c is not None}
    missing = [h for h in fields.values() if h not in headings]
    if missing:
        raise ImportRefused(f"{grid.source}, row {header_row}: the column "
                            f"{', '.join(repr(h) for h in missing)} is missing; an OOH Desk risk "
                            "log keeps its columns as written (import its 'Risk log' sheet alone "
                            "with --sheet to leave this sheet out)")
    out = []
    for number, row in grid.rows[1:]:
        values = {name: row[headings[h]] if headings[h] < len(row) else None
                  for name, h in fields.items()}
        if any(_text(v) for v in values.values()):
            out.append((number, values))
    return out


def _refusal(problems: list[Problem]) -> ImportRefused:
    more = len(problems) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return ImportRefused(f"{problems[0]}{tail}; nothing was imported", problems)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _closed(status: Any) -> bool:
    try:
        return parse_status("risk", _text(status)) == "closed"
    except ValueError:
        return False


__all__ = ["ACTIONS_SHEET", "CLOSED_SHEET", "MAIN_SHEET", "Companions", "is_own_log",
           "read_companions"]
