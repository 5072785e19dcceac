"""Which reader a file needs: cells from a CSV or .xlsx file as one `Grid`, or as several
when a workbook keeps its register on more than one sheet. Imports no Qt."""

from __future__ import annotations

from pathlib import Path

from .errors import ImportRefused
from .tabular import Grid, read_csv
from .xlsx import Sheets, read_sheets


def read_grid(path: Path, sheet: str | None = None, kind: str | None = None) -> Grid:
    """Cells from a CSV or .xlsx file; the reader is chosen by what the file is."""
    return read_grids(path, sheet=sheet, kind=kind).grids[0]


def read_grids(path: Path, sheet: str | None = None, kind: str | None = None,
               all_sheets: bool = False) -> Sheets:
    """The grid to import (or, with `all_sheets`, every sheet that looks like the same kind
    of register), and the other sheets that look like it."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return Sheets([read_csv(path)], kind)
    if suffix in (".xlsx", ".xlsm"):
        return read_sheets(path, sheet=sheet, kind=kind, all_sheets=all_sheets)
    if suffix == ".xls":
        raise ImportRefused(f"{path.name} is an old Excel 97-2003 .xls file; open it in Excel "
                            "or LibreOffice and save it as .xlsx, then import that")
    raise ImportRefused(f"{path.name}: OOH Desk imports .csv, .xlsx and its own .json exports")
