"""A spreadsheet as a grid of cells with row numbers, whatever it came from.

CSV is read here; .xlsx readers produce the same `Grid`, so header detection and column
mapping do not care where the cells came from.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
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
    # The text encoding a CSV was read in ("UTF-8", "UTF-16", "Windows-1252"); None for a
    # workbook, whose XML says its own.
    encoding: str | None = None
    # Cells whose value the file does not hold, by (row, column index): why, in words. A
    # workbook saved by a program that does not calculate keeps formulas with no results.
    unread: dict[tuple[int, int], str] = field(default_factory=dict)
    # The sheet's title when the grid came from a workbook ("Closed Risks"); None for a CSV.
    sheet: str | None = None
    # Columns (0-based) the workbook hides from view.
    hidden_columns: set[int] = field(default_factory=set)
    # A word scale the workbook itself defines for a column (a drop-down list on its cells),
    # in the workbook's order: column index -> ["Rare", "Unlikely", ...].
    value_lists: dict[int, list[str]] = field(default_factory=dict)
    # Rows whose merged headings a workbook reader copied into every cell they cover ("Risk
    # ID" merged down two rows, "Initial" merged across three): a two-row header starting
    # there says exactly where each label ends, so none is carried further by guesswork.
    spread_rows: set[int] = field(default_factory=set)


def read_csv(path: Path) -> Grid:
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise ImportRefused(f"{path.name} is {size // 1024 // 1024} MB, too large to be a "
                            "register; split it or remove unused rows")
    text, encoding = decode(path.read_bytes(), path.name)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    # Lines split as the csv module splits them (\n, \r\n or \r), so that a record's first
    # line can be found again when it has to be named.
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(lines, delimiter=delimiter)
    grid = Grid(source=path.name, encoding=encoding)
    start = last = 0  # where the next record and the last one read start (0-based lines)
    try:
        for number, cells in enumerate(reader, start=1):
            grid.rows.append((number, cells))
            start, last = reader.line_num, start
    except csv.Error as exc:
        # A field over the csv module's size limit is most often a quote left open.
        if _open_quote(lines[start:], delimiter):
            raise _unterminated(path.name, len(grid.rows) + 1, start) from None
        raise ImportRefused(f"{path.name} row {len(grid.rows) + 1}: the CSV is broken ({exc})") \
            from None
    # Only the last record can end inside quotes: the quoted value ran to the end of the file.
    if grid.rows and _open_quote(lines[last:], delimiter):
        raise _unterminated(path.name, len(grid.rows), last)
    return grid


def _unterminated(name: str, row: int, start: int) -> ImportRefused:
    line = f" (line {start + 1} of the file)" if start + 1 != row else ""
    return ImportRefused(f"{name} row {row}{line}: a quoted value starts here but its closing "
                         "quote is missing")


def _open_quote(record: list[str], delimiter: str) -> bool:
    """Whether a record's text ends inside a quoted value. The csv module, when not strict,
    quietly takes such a value to the end of the file; this follows its reading exactly
    (a doubled quote is a quote; text after a closing quote joins the value)."""
    start, plain, quoted, quote_in_quoted = range(4)
    state = start
    for ch in "".join(record):
        if state == quoted:
            if ch == '"':
                state = quote_in_quoted
        elif ch == delimiter or ch in "\r\n":
            state = start
        elif state in (start, quote_in_quoted):
            state = quoted if ch == '"' else plain
    return state == quoted


# Encodings by the name the user reads ("read as Windows-1252").
UTF8, UTF16, WINDOWS_1252 = "UTF-8", "UTF-16", "Windows-1252"
_SAVE_AS_UTF8 = 'save the file as "CSV UTF-8" (Excel: File > Save As) and import again'
# UTF-8 for accented letters, £, ’ and – read as Windows-1252: "Ã©", "Â£", "â€™", "â€“".
_UTF8_MARKS = re.compile(rb"[\xc2\xc3][\x80-\xbf]|\xe2[\x80-\x86][\x80-\xbf]")


def decode(raw: bytes, name: str) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in.

    UTF-16 with its byte-order mark (Excel's "Unicode text"); else UTF-8, with or without the
    mark; else Windows-1252, which is what Excel on Windows saves as "CSV". UTF-8 is tried
    first because it fails loudly when wrong. Anything else is refused by name rather than
    read as the wrong letters: bytes Windows-1252 does not define, NUL bytes with no UTF-16
    mark, and a file that is partly UTF-8 (read as Windows-1252 its accents would be stored
    as "Ã©"). Other 8-bit encodings (Mac Roman, ISO 8859-2 …) cannot be told apart from
    Windows-1252 reliably: the import report saying "read as Windows-1252" is the safeguard.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportRefused(f"{name} starts with the mark of UTF-16 text but byte "
                                f"{exc.start} onwards is not UTF-16; {_SAVE_AS_UTF8}") from None
        if "\x00" in text:
            raise _binary(name)
        return text, UTF16
    if b"\x00" in raw:
        raise _binary(name)
    try:
        return raw.decode("utf-8-sig"), UTF8
    except UnicodeDecodeError as exc:
        bad = exc.start + (3 if raw.startswith(codecs.BOM_UTF8) else 0)
    if raw.startswith(codecs.BOM_UTF8) or _UTF8_MARKS.search(raw):
        raise ImportRefused(f"{name} mixes two text encodings: it is partly UTF-8, but line "
                            f"{_line(raw, bad)} holds byte 0x{raw[bad]:02X}, which is not UTF-8; "
                            + _SAVE_AS_UTF8)
    try:
        return raw.decode("cp1252"), WINDOWS_1252
    except UnicodeDecodeError as exc:
        raise ImportRefused(f"{name} line {_line(raw, exc.start)}: byte 0x{raw[exc.start]:02X} "
                            f"is neither UTF-8 nor Windows-1252 text; {_SAVE_AS_UTF8}") from None


def _binary(name: str) -> ImportRefused:
    return ImportRefused(f"{name} holds NUL bytes, so it is not a text CSV file: it may be "
                         "UTF-16 text saved without its byte-order mark, or a spreadsheet or "
                         'other binary file; save it from Excel as .xlsx or "CSV UTF-8" and '
                         "import that")


def _line(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1
