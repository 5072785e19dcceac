"""Which reader a file needs: cells from a CSV or .xlsx file as one `Grid`, or as several
when a workbook keeps its register on more than one sheet. Imports no Qt."""

from __future__ import annotations

from pathlib import Path

from ..domain.prose import quoted
from .errors import ImportRefused
from .tabular import Grid, read_csv
from .xlsx import Sheets, read_sheets


def check_readable(path: Path) -> None:
    """Refuse, in one line, a file to import that is a folder, or a pipe or a device whose
    reading would never end."""
    if path.is_dir():
        raise ImportRefused(f"cannot import {path.name}: it is a folder, not a file; give the "
                            "spreadsheet inside it")
    if path.exists() and not path.is_file():
        raise ImportRefused(f"cannot import {path.name}: it is not an ordinary file (a pipe or "
                            "a device); save the spreadsheet as a file and import that")


def read_grid(path: Path, sheet: str | None = None, kind: str | None = None) -> Grid:
    """Cells from a CSV or .xlsx file; the reader is chosen by what the file is."""
    return read_grids(path, sheet=sheet, kind=kind).grids[0]


def read_grids(path: Path, sheet: str | None = None, kind: str | None = None,
               all_sheets: bool = False) -> Sheets:
    """The grid to import (or, with `all_sheets`, every sheet that looks like the same kind
    of register), and the other sheets that look like it."""
    check_readable(path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        if sheet is not None:  # a name asked for and silently passed over reads the wrong thing
            raise ImportRefused(f"{path.name} is a {suffix[1:].upper()} file, which has no "
                                f"sheets, so there is no sheet {quoted(sheet)} to read; leave the "
                                "sheet out")
        return Sheets([read_csv(path)], kind)
    if suffix in (".xlsx", ".xlsm"):
        return read_sheets(path, sheet=sheet, kind=kind, all_sheets=all_sheets)
    if suffix == ".xls":
        raise ImportRefused(f"{path.name} is an old Excel 97-2003 .xls file; open it in Excel "
                            "or LibreOffice and save it as .xlsx, then import that")
    raise ImportRefused(f"{path.name}: OOH Desk imports .csv, .xlsx and its own .json exports")
