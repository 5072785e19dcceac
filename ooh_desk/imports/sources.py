"""Which reader a file needs: cells from a CSV or .xlsx file as one `Grid`. Imports no Qt."""

from __future__ import annotations

from pathlib import Path

from .errors import ImportRefused
from .tabular import Grid, read_csv
from .xlsx import read_xlsx


def read_grid(path: Path, sheet: str | None = None, kind: str | None = None) -> Grid:
    """Cells from a CSV or .xlsx file; the reader is chosen by what the file is."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, sheet=sheet, kind=kind)
    if suffix == ".xls":
        raise ImportRefused(f"{path.name} is an old Excel 97-2003 .xls file; open it in Excel "
                            "or LibreOffice and save it as .xlsx, then import that")
    raise ImportRefused(f"{path.name}: OOH Desk imports .csv, .xlsx and its own .json exports")
