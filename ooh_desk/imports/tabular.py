"""A spreadsheet as a grid of cells with row numbers, whatever it came from.

CSV is read here; .xlsx readers produce the same `Grid`, so header detection and column
mapping do not care where the cells came from.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ImportRefused

# A register over this size is not a register; refuse before reading it into memory.
MAX_CSV_BYTES = 200 * 1024 * 1024


@dataclass
class Grid:
    """Cells by row, as the user would number them (row 1 is the first line)."""

    source: str  # "risks.csv" or "Register.xlsx, sheet 'Risks'"
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    # Other sheets of the same workbook that complete these rows: an OOH Desk risk log's
    # actions and reasons closed (imports.risk_log.Companions).
    companions: Any = None


def read_csv(path: Path) -> Grid:
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise ImportRefused(f"{path.name} is {size // 1024 // 1024} MB, too large to be a "
                            "register; split it or remove unused rows")
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise ImportRefused(f"{path.name} is not a text CSV file (it holds binary data); "
                            "if it is a spreadsheet, save it as .xlsx or CSV")
    text = _decode(raw)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    grid = Grid(source=path.name)
    try:
        for number, cells in enumerate(reader, start=1):
            grid.rows.append((number, cells))
    except csv.Error as exc:
        raise ImportRefused(f"{path.name} row {reader.line_num}: the CSV is broken ({exc})") from None
    return grid


def _decode(raw: bytes) -> str:
    # Excel on Windows saves "CSV" as Windows-1252 unless told otherwise; UTF-8 (with or
    # without its byte-order mark) is tried first because it fails loudly when wrong.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")
