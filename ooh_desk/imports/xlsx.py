"""Read an .xlsx workbook into a `Grid`, safely: the file is checked as a zip (encrypted,
corrupt, zip bomb, oversized XML part) before openpyxl parses anything, XML is parsed with
defusedxml, and only the cells that hold data are read, however far the used range claims
to run. Imports no Qt; writes nothing.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from typing import Any

from ..domain.prose import quoted
from ..domain.scoring import ScoreError, parse_rating
from . import mapping, value_lists
from . import risk_log as own_log
from .errors import ImportRefused
from .tabular import Grid

# Limits a real register never comes near; a file beyond them is refused before parsing.
MAX_FILE_BYTES = 100 * 1024 * 1024  # the .xlsx on disc
MAX_PART_BYTES = 256 * 1024 * 1024  # any one XML part, uncompressed
MAX_TOTAL_BYTES = 1024 * 1024 * 1024  # all parts, uncompressed
MAX_RATIO = 200  # uncompressed / compressed, for parts over RATIO_FLOOR
RATIO_FLOOR = 10 * 1024 * 1024
# Reading stops after this many rows in a row with nothing in them: styled-but-empty rows
# to row 1,048,576 are not a register.
BLANK_ROWS_TO_STOP = 500
MAX_COLUMNS = 200  # cells to the right of this are not read

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class _UncachedFormula(str):
    """A formula cell the file holds no calculated value for (saved by a script, never
    opened in Excel); L x I products are recomputed, anything else is unread (a blank cell
    noted in `Grid.unread`, refused if an imported column needs it)."""


def check_package(path: Path) -> None:
    """Refuse, with one line, anything that is not a sound, plain .xlsx zip."""
    name = path.name
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ImportRefused(f"{name} is {size // 1024 // 1024} MB, too large to be a register; "
                            "remove unused sheets and rows, or save the risks alone as CSV")
    with path.open("rb") as f:
        head = f.read(8)
    if head == _OLE_MAGIC:
        raw = path.read_bytes()[:2_000_000]
        if "EncryptedPackage".encode("utf-16-le") in raw:
            raise ImportRefused(f"{name} is password-protected; open it in Excel, remove the "
                                "password (File > Info > Protect Workbook) and save it again")
        raise ImportRefused(f"{name} is an old Excel 97-2003 workbook with an .xlsx name; open "
                            "it in Excel or LibreOffice and save it as .xlsx")
    if not head.startswith(b"PK"):
        raise ImportRefused(f"{name} is not an Excel .xlsx file (it is not a zip package); if "
                            "it is a CSV, rename it to .csv")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            total = 0
            for info in infos:
                if info.flag_bits & 0x1:
                    raise ImportRefused(f"{name} is encrypted; save it again without a password")
                total += info.file_size
                if info.file_size > MAX_PART_BYTES:
                    raise ImportRefused(
                        f"{name}: the part {info.filename} would unpack to "
                        f"{info.file_size // 1024 // 1024} MB, far more than any register; "
                        "the file was refused unread")
                if (info.file_size > RATIO_FLOOR and info.compress_size
                        and info.file_size / info.compress_size > MAX_RATIO):
                    raise ImportRefused(
                        f"{name}: the part {info.filename} is compressed "
                        f"{info.file_size // info.compress_size} to 1, the mark of a zip "
                        "bomb; the file was refused unread")
            if total > MAX_TOTAL_BYTES:
                raise ImportRefused(f"{name} would unpack to {total // 1024 // 1024} MB, far "
                                    "more than any register; the file was refused unread")
            if "word/document.xml" in names:
                raise ImportRefused(f"{name} is a zip file but not an Excel workbook: it is a "
                                    "Word document saved with an .xlsx name; open it in Word, "
                                    "copy the risk table into Excel, save that as .xlsx and "
                                    "import it")
            if "ppt/presentation.xml" in names:
                raise ImportRefused(f"{name} is a zip file but not an Excel workbook: it is a "
                                    "PowerPoint presentation saved with an .xlsx name; put the "
                                    "risks in Excel, save them as .xlsx and import that")
            if "xl/workbook.xml" not in names:
                raise ImportRefused(f"{name} is a zip file but not an Excel workbook (it has no "
                                    "xl/workbook.xml); save the register from Excel as .xlsx")
            bad = archive.testzip() if size < 20 * 1024 * 1024 else None
            if bad:
                raise ImportRefused(f"{name} is damaged (the part {bad} is corrupt); open it in "
                                    "Excel to repair it and save it again")
    except zipfile.BadZipFile as exc:
        raise ImportRefused(f"{name} is damaged and cannot be opened as .xlsx ({exc}); open it "
                            "in Excel to repair it and save it again") from None


@dataclass
class Sheets:
    """The sheets of a workbook to import, and the others that look like the same kind."""

    grids: list[Grid]  # in workbook order; the best one alone unless every one was asked for
    kind: str | None = None  # the kind the sheets were chosen for (guessed, when not given)
    others: list[str] = field(default_factory=list)  # titles of look-alike sheets left out


def read_xlsx(path: str | Path, sheet: str | None = None, kind: str | None = None) -> Grid:
    """The grid of the chosen sheet: by name, or else the sheet whose headings map best
    to `kind` (or to any kind)."""
    return read_sheets(path, sheet=sheet, kind=kind).grids[0]


def read_sheets(path: str | Path, sheet: str | None = None, kind: str | None = None,
                all_sheets: bool = False) -> Sheets:
    """The sheet named, or else the sheet whose headings map best to `kind` (or to any
    kind) together with the names of the other sheets that look like the same kind of
    register (an open-risks sheet beside a closed-risks one); with `all_sheets`, every one
    of them, in workbook order."""
    from openpyxl import load_workbook

    path = Path(path)
    check_package(path)
    _force_defusedxml()
    try:
        wb = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except ImportRefused:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a malformed package
        raise ImportRefused(f"{path.name} cannot be read as an Excel workbook ({_short(exc)}); "
                            "open it in Excel and save it again as .xlsx") from None
    try:
        if sheet is None and kind in (None, "risks") and own_log.is_own_log(wb):
            return Sheets([_read_own_log(wb, path.name)], "risks")
        sheets = [ws for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
        if sheet is not None:
            wanted = {ws.title.strip().lower(): ws for ws in wb.worksheets}
            ws = wanted.get(sheet.strip().lower())
            if ws is None:
                raise ImportRefused(f"{path.name} has no sheet called {quoted(sheet)}; its "
                                    "sheets are: "
                                    + ", ".join(repr(w.title) for w in wb.worksheets))
            return Sheets([_read_sheet(wb, ws, path.name)], kind)
        if len(sheets) == 1:
            return Sheets([_read_sheet(wb, sheets[0], path.name)], kind)
        return _choose(path.name, [_read_sheet(wb, ws, path.name) for ws in sheets], kind,
                       all_sheets)
    finally:
        wb.close()


def _choose(name: str, grids: list[Grid], kind: str | None, all_sheets: bool) -> Sheets:
    best: tuple[int, int, str] | None = None  # score, position, kind
    first_refusal: ImportRefused | None = None
    for position, grid in enumerate(grids):
        try:
            colmap = mapping.find_header(grid, kind)
        except ImportRefused as exc:
            first_refusal = first_refusal or exc
            continue
        score = mapping.header_score(colmap)
        if best is None or score > best[0]:
            best = (score, position, colmap.kind)
    if best is None:
        raise ImportRefused(f"{name}: no sheet has recognisable columns"
                            + (f" for {kind}" if kind else "") + f" ({_first(first_refusal)});"
                            " name the sheet with --sheet and its columns with --map")
    _, chosen, found_kind = best
    alike = [i for i, grid in enumerate(grids) if i == chosen or _looks_like(grid, found_kind)]
    if all_sheets:
        return Sheets([grids[i] for i in alike], found_kind)
    return Sheets([grids[chosen]], found_kind,
                  others=[str(grids[i].sheet) for i in alike if i != chosen])


def _looks_like(grid: Grid, kind: str) -> bool:
    try:
        return mapping.looks_like(mapping.find_header(grid, kind))
    except ImportRefused:
        return False


def _read_own_log(wb: Any, file_name: str) -> Grid:
    """One of our own risk logs: its log sheet, completed by its actions and closed sheets."""
    grid = _read_sheet(wb, wb[own_log.MAIN_SHEET], file_name)
    grid.companions = own_log.read_companions(
        _read_sheet(wb, wb[own_log.CLOSED_SHEET], file_name),
        _read_sheet(wb, wb[own_log.ACTIONS_SHEET], file_name))
    return grid


def _first(exc: ImportRefused | None) -> str:
    if exc is None:
        return "no sheets"
    text = str(exc)
    return text.split("; name them")[0]


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:120]


def _force_defusedxml() -> None:
    """openpyxl parses with defusedxml when it is installed; make sure it does."""
    import defusedxml  # noqa: F401  (installed: a dependency, see pyproject)
    from openpyxl import xml

    if not xml.DEFUSEDXML:
        raise ImportRefused("spreadsheets cannot be read safely: OPENPYXL_DEFUSEDXML is set to "
                            "False in the environment; unset it and try again")


def _read_sheet(wb: Any, ws: Any, file_name: str) -> Grid:
    from openpyxl.worksheet._reader import WorkSheetParser

    grid = Grid(source=f"{file_name}, sheet {ws.title!r}", sheet=ws.title)

    class Parser(WorkSheetParser):
        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell = super().parse_cell(element)
            if cell["value"] is None:
                formula = element.find("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}f")
                if formula is not None and formula.text:
                    cell["value"] = _UncachedFormula(formula.text)
            return cell

        def parse_extensions(self, element: Any) -> None:
            # Excel keeps a drop-down list that points at another sheet here; the rest of an
            # extension list is formatting, which an import does not need (and openpyxl
            # would warn that it drops it).
            self.extension_lists = value_lists.extension_lists(element)

    with ws._get_source() as src:
        parser = Parser(src, ws._shared_strings, data_only=True, epoch=wb.epoch,
                        date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        blank_run = 0
        merged = None
        for number, cells in _rows(parser):
            values = _values(cells)
            if not any(_filled(v) for v in values):
                blank_run += 1
                if blank_run >= BLANK_ROWS_TO_STOP:
                    break
                continue
            blank_run = 0
            grid.rows.append((number, values))
        else:
            merged = parser.merged_cells
        for key, attrs in parser.row_dimensions.items():
            if _true(attrs.get("hidden")):
                grid.hidden_rows.add(int(key))
        for attrs in parser.column_dimensions.values():
            # One <col> element stands for the run of columns min..max.
            if _true(attrs.get("hidden")) and str(attrs.get("min", "")).isdigit():
                first = int(attrs["min"])
                last = int(attrs["max"]) if str(attrs.get("max", "")).isdigit() else first
                grid.hidden_columns.update(range(first - 1, min(last, MAX_COLUMNS)))
    if blank_run >= BLANK_ROWS_TO_STOP:
        # Reading stopped early: the merged ranges, listed after the cells, are read alone.
        merged = _merged_cells(ws)
    _recompute_products(grid)
    width = max((len(cells) for _, cells in grid.rows), default=0)
    for _, cells in grid.rows:
        cells.extend([None] * (width - len(cells)))
    _spread_header_merges(grid, [m.ref for m in merged.mergeCell] if merged else [])
    grid.value_lists = value_lists.read_value_lists(wb, ws, parser,
                                                    blank_run >= BLANK_ROWS_TO_STOP)
    return grid


def _true(flag: Any) -> bool:
    return str(flag or "").lower() in ("1", "true")


def _merged_cells(ws: Any) -> Any:
    """The sheet's <mergeCells>, read without parsing its cells again."""
    from openpyxl.worksheet._reader import MERGE_TAG, ROW_TAG
    from openpyxl.worksheet.merge import MergeCells
    from openpyxl.xml.functions import iterparse

    with ws._get_source() as src:
        for _, element in iterparse(src):
            if element.tag == MERGE_TAG:
                return MergeCells.from_tree(element)
            if element.tag == ROW_TAG:  # a row's cells are done with; keep memory flat
                element.clear()
    return None


# Merged ranges are read only among a sheet's first rows, where a header can be.
HEADER_ROWS = 30


def _spread_header_merges(grid: Grid, refs: list[str]) -> None:
    """Give every column of a merged heading its text, as the eye reads it. Excel keeps a
    merged cell's text in its top-left cell only, so "Risk ID" merged down A1:A2 leaves A2
    blank, and "Initial" merged across H1:J1 leaves I1 and J1 blank. Near the top of the
    sheet, a cell merged down is copied into the cells below it, and a label merged across
    is copied along its row when every column under it has a heading of its own (a group
    label over "Probability | Impact | Score"); banners and blocks are left as they are."""
    from openpyxl.utils.cell import range_boundaries

    by_number = {number: cells for number, cells in grid.rows}
    head = {number for number, _ in grid.rows[:HEADER_ROWS]}
    for ref in refs:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (TypeError, ValueError):
            continue
        cells = by_number.get(min_row)
        if min_row not in head or cells is None or min_col > len(cells):
            continue
        text = cells[min_col - 1]
        if not isinstance(text, str) or not text.strip() or max_col > len(cells):
            continue
        if min_col == max_col and max_row > min_row:
            for number in range(min_row + 1, max_row + 1):
                below = by_number.get(number)
                if below is not None and below[min_col - 1] is None:
                    below[min_col - 1] = text
                    grid.spread_rows.add(min_row)
        elif min_row == max_row and max_col > min_col:
            below = by_number.get(min_row + 1)
            columns = range(min_col - 1, max_col)
            if below is not None and all(isinstance(below[i], str) and below[i].strip()
                                         for i in columns):
                for i in columns:
                    cells[i] = text
                grid.spread_rows.add(min_row)


def _rows(parser: Any) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    yield from parser.parse()


def _values(cells: list[dict[str, Any]]) -> list[Any]:
    """Cell values by column (A is index 0), as far as the last filled cell, capped."""
    out: list[Any] = []
    for cell in cells:
        column = cell["column"]
        if column > MAX_COLUMNS:
            break
        value = _plain(cell["value"])
        if not _filled(value):
            continue
        if column > len(out):
            out.extend([None] * (column - len(out)))
        out[column - 1] = value
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, _UncachedFormula):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime) and value.time() == time(0, 0):
        return value.date()
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("_x000D_", "")
    return value


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


_PRODUCT = re.compile(r"^\s*=?\s*\$?([A-Z]{1,3})\$?(\d+)\s*\*\s*\$?([A-Z]{1,3})\$?(\d+)\s*$")


def _recompute_products(grid: Grid) -> None:
    """Where a score formula (=G5*H5) has no cached value, work L x I out from the cells it
    names; any other uncached formula reads as blank and is noted as unread."""
    from openpyxl.utils import column_index_from_string

    for number, cells in grid.rows:
        for i, value in enumerate(cells):
            if not isinstance(value, _UncachedFormula):
                continue
            cells[i] = None
            match = _PRODUCT.match(value)
            if match and int(match.group(2)) == number and int(match.group(4)) == number:
                a = column_index_from_string(match.group(1)) - 1
                b = column_index_from_string(match.group(3)) - 1
                factors = [_rating_number(cells[j]) if j < len(cells) else None for j in (a, b)]
                if None not in factors:
                    cells[i] = factors[0] * factors[1]
                    continue
            formula = value if len(value) <= 60 else value[:57] + "..."
            grid.unread[(number, i)] = (f"the cell holds a formula (={formula}) with no saved "
                                        "result; open the file in Excel or LibreOffice and "
                                        "save it, then import again")


def _rating_number(value: Any) -> int | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else None
    try:
        return parse_rating(value, "likelihood")
    except ScoreError:
        try:
            return parse_rating(value, "impact")
        except ScoreError:
            return None
