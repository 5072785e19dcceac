"""Read an .xlsx workbook into a `Grid`, safely: the file is checked as a zip (encrypted,
corrupt, zip bomb, oversized XML part) before openpyxl parses anything, XML is parsed with
defusedxml, and only the cells that hold data are read, however far the used range claims
to run. Imports no Qt; writes nothing.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from datetime import datetime, time
from pathlib import Path
from typing import Any

from ..domain.scoring import ScoreError, parse_rating
from . import mapping
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


def read_xlsx(path: str | Path, sheet: str | None = None, kind: str | None = None) -> Grid:
    """The grid of the chosen sheet: by name, or else the sheet whose headings map best
    to `kind` (or to any kind)."""
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
            return _read_own_log(wb, path.name)
        sheets = [ws for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
        if sheet is not None:
            wanted = {ws.title.strip().lower(): ws for ws in wb.worksheets}
            ws = wanted.get(sheet.strip().lower())
            if ws is None:
                raise ImportRefused(f"{path.name} has no sheet called {sheet!r}; its sheets are: "
                                    + ", ".join(repr(w.title) for w in wb.worksheets))
            return _read_sheet(wb, ws, path.name)
        if len(sheets) == 1:
            return _read_sheet(wb, sheets[0], path.name)
        best: tuple[int, int, Grid] | None = None
        first_refusal: ImportRefused | None = None
        for order, ws in enumerate(sheets):
            grid = _read_sheet(wb, ws, path.name)
            try:
                colmap = mapping.find_header(grid, kind)
            except ImportRefused as exc:
                first_refusal = first_refusal or exc
                continue
            score = mapping.header_score(colmap)
            if best is None or score > best[0]:
                best = (score, order, grid)
        if best is None:
            if first_refusal is not None and len(sheets) == 1:
                raise first_refusal
            raise ImportRefused(f"{path.name}: no sheet has recognisable columns"
                                + (f" for {kind}" if kind else "") + f" ({_first(first_refusal)});"
                                " name the sheet with --sheet and its columns with --map")
        return best[2]
    finally:
        wb.close()


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

    grid = Grid(source=f"{file_name}, sheet {ws.title!r}")

    class Parser(WorkSheetParser):
        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell = super().parse_cell(element)
            if cell["value"] is None:
                formula = element.find("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}f")
                if formula is not None and formula.text:
                    cell["value"] = _UncachedFormula(formula.text)
            return cell

    with ws._get_source() as src:
        parser = Parser(src, ws._shared_strings, data_only=True, epoch=wb.epoch,
                        date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        blank_run = 0
        for number, cells in _rows(parser):
            values = _values(cells)
            if not any(_filled(v) for v in values):
                blank_run += 1
                if blank_run >= BLANK_ROWS_TO_STOP:
                    break
                continue
            blank_run = 0
            grid.rows.append((number, values))
        for key, attrs in parser.row_dimensions.items():
            if str(attrs.get("hidden", "")).lower() in ("1", "true"):
                grid.hidden_rows.add(int(key))
    _recompute_products(grid)
    width = max((len(cells) for _, cells in grid.rows), default=0)
    for _, cells in grid.rows:
        cells.extend([None] * (width - len(cells)))
    return grid


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
