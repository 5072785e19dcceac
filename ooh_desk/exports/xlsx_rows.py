"""Rows of plain values streamed into a write-only openpyxl sheet, each column in one
pre-built style, and text that could be read as a formula always kept as text. Imports no
Qt and no SQL.

Why this module reaches into openpyxl. openpyxl's public way to stream a styled cell is a
`WriteOnlyCell` per value; openpyxl then converts each one through a raised exception and a
fresh cell, which measured 1.85x the cost of openpyxl streaming the same values unstyled for
the log's rows alone, before the register is read or the closed risks and actions sheets are
written (bench/risklog_bench.py: the goal for the whole export is 2x that unstyled floor; by
the public route the export measured 4.6x, by the fast one 1.35x). So, when openpyxl's
streaming writer has the shape this module was written against (3.1: a write-only sheet's
`_get_writer()`, `_values_to_row(values, row_idx)` and its writer's
`write_row(xf, row, row_idx)`), `RowWriter` writes each of its rows as one `<row>` element in
openpyxl's own form, with style ids openpyxl registered, into openpyxl's own XML stream.
Rows it did not make (headings, titles) still go through openpyxl untouched. When the shape
is not there, every row goes through ordinary styled `WriteOnlyCell`s: slower, the same file.
tests/test_xlsx_rows.py checks that both ways write the same cells and that the fast way is
on with the openpyxl installed, so an upgrade that changes openpyxl's insides fails a test
instead of silently slowing the export.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment, Border, Font, PatternFill
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from ..domain.cell_limit import CELL_LIMIT, fit_cell

# Text that a spreadsheet would otherwise read as a formula (or that Excel's "CSV
# injection" warnings are about). Written as text with Excel's quote prefix so it shows as typed.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT = CELL_LIMIT  # Excel's limit for one cell

# Characters no XML can hold: control characters pasted from other programs, and two
# non-characters.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def needs_quote(value: str) -> bool:
    """True when a spreadsheet could read this text as a formula or an error code."""
    return value.startswith(FORMULA_STARTS) or value in ERROR_CODES


def clean_text(value: str) -> str:
    """Text as a cell can hold it: Windows line ends made plain, control characters pasted
    from other programs (which Excel refuses) dropped, and the 32,767-character cell limit
    (a longer text is cut to it, ending with a marker that says the register holds it all)."""
    value = tidy_text(value)
    return fit_cell(value) if len(value) > MAX_CELL_TEXT // 2 else value


def tidy_text(value: str) -> str:
    """The text a cell is given before the limit applies (see `clean_text`)."""
    value = value.replace("\r\n", "\n")
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("", value)
    return value


@dataclass(frozen=True)
class CellStyle:
    """One cell look, built once and shared by every cell that wears it."""

    font: Font | None = None
    border: Border | None = None
    fill: PatternFill | None = None
    alignment: Alignment | None = None
    number_format: str | None = None

    def apply(self, cell: Any, quote: bool = False) -> Any:
        for name in ("font", "border", "fill", "alignment", "number_format"):
            value = getattr(self, name)
            if value is not None:
                setattr(cell, name, value)
        if quote:
            cell.quotePrefix = True
        return cell


def text_cell(ws: Any, value: Any, style: CellStyle) -> WriteOnlyCell:
    """A styled cell for openpyxl's own `ws.append`; a str is always text, never a formula."""
    cell = WriteOnlyCell(ws)
    if isinstance(value, str):
        value = clean_text(value)
        cell.value = value
        if cell.data_type != "s" or needs_quote(value):
            cell.data_type = "s"  # "=1+1" or "#N/A" typed by a user stays what they typed
            cell.quotePrefix = True
    else:
        cell.value = value
    return style.apply(cell)


def set_default_font(wb: Any, font: Font) -> bool:
    """Make `font` the workbook's Normal font, before any cell is styled. Column widths are
    counted in the Normal font's digits: Calibri, openpyxl's default, is missing where
    LibreOffice falls back to a wider face and the print layout spills onto extra pages;
    Arial (or its metric twin Liberation Sans) is everywhere. openpyxl has no public way to
    do this, so it is done through the workbook's font list and Normal style when they have
    the shape openpyxl 3.1 gives them; otherwise the default stays (returns False)."""
    from openpyxl.utils.indexed_list import IndexedList

    fonts = getattr(wb, "_fonts", None)
    normal = next((s for s in getattr(wb, "_named_styles", ()) if s.name == "Normal"), None)
    if not isinstance(fonts, IndexedList) or len(fonts) != 1 or normal is None:
        return False
    wb._fonts = IndexedList([font])
    normal.font = font  # re-registers the style: its font is now number 0
    return True


def fast_path_available(ws: Any) -> bool:
    """Whether this openpyxl streams rows the way `RowWriter`'s fast path expects."""
    from openpyxl.worksheet._writer import WorksheetWriter

    def params(function: Callable[..., Any] | None) -> list[str]:
        try:
            return list(inspect.signature(function).parameters) if function else []
        except (TypeError, ValueError):
            return []

    return (callable(getattr(ws, "_get_writer", None))
            and params(getattr(type(ws), "_values_to_row", None)) == ["self", "values", "row_idx"]
            and params(getattr(WorksheetWriter, "write_row", None)) == ["self", "xf", "row",
                                                                       "row_idx"])


class RowWriter:
    """Appends rows to one write-only sheet: `append(values)` in the column styles given,
    `append_cells(cells)` for rows of ready-made cells (titles, headings). Every row of the
    sheet goes through it, so it knows each row's number; `height` sets a row's height.

    Values are str, int, float, date or None (a blank cell still wears its style)."""

    def __init__(self, ws: Any, styles: Sequence[CellStyle], fast: bool | None = None) -> None:
        self.ws = ws
        self.styles = list(styles)
        self.row = 0  # the number of the last row written
        self.fast = fast_path_available(ws) if fast is None else fast
        self._ours = False
        self._height: float | None = None
        self._cells = [s.apply(WriteOnlyCell(ws)) for s in self.styles]
        self._quoted_cells = [s.apply(WriteOnlyCell(ws), quote=True) for s in self.styles]
        self._date_ok = [bool(s.number_format) and is_date_format(s.number_format)
                         for s in self.styles]
        self._plain: list[str] = []
        if self.fast:
            self._install()

    # --- the public route (also every row in fallback) -------------------------------------

    def append_cells(self, cells: Sequence[Any], height: float | None = None) -> None:
        self._ours = False
        self._append(list(cells), height)

    def append(self, values: Sequence[Any], height: float | None = None) -> None:
        if self.fast:
            self._ours, self._height = True, height
            try:
                self.ws.append(values)
            finally:
                self._ours = False
            self.row += 1
            return
        self._append([self._cell(i, v) for i, v in enumerate(values)], height)

    def _cell(self, index: int, value: Any) -> Any:
        """A copy of the column's styled cell holding `value`: copying shares the column's
        one style, where assigning font, border and the rest per cell costs eight times as much.
        A date only lands in a column whose format is already a date's, so openpyxl never
        rewrites the shared style for it."""
        if isinstance(value, date) and not self._date_ok[index]:
            return text_cell(self.ws, value, self.styles[index])
        if isinstance(value, str) and value:
            value = clean_text(value)
            cell = copy(self._quoted_cells[index] if needs_quote(value) else self._cells[index])
            cell.value = value
            if cell.data_type != "s":  # "=1+1" or "#N/A" typed by a user stays what they typed
                cell.data_type = "s"
            return cell
        cell = copy(self._cells[index])
        cell.value = None if value == "" else value  # blank, as the fast route writes it
        return cell

    def _append(self, cells: list[Any], height: float | None) -> None:
        self.row += 1
        if height is not None:
            self.ws.row_dimensions[self.row].height = height
        self.ws.append(cells)
        if height is not None:
            del self.ws.row_dimensions[self.row]  # written; kept, it would grow with the rows

    # --- the fast route ---------------------------------------------------------------------

    def _install(self) -> None:
        ws = self.ws
        self._plain = [str(c.style_id) for c in self._cells]  # registered once, with openpyxl
        self._quoted = [str(c.style_id) for c in self._quoted_cells]
        self._letters = [get_column_letter(i) for i in range(1, len(self.styles) + 1)]
        self._epoch = ws.parent.epoch
        ws._get_writer()
        values_to_row = ws._values_to_row
        write_row = ws._writer.write_row

        def own_values(values: Any, row_idx: int) -> Any:
            return values if self._ours else values_to_row(values, row_idx)

        def own_row(xf: Any, row: Any, row_idx: int) -> None:
            if self._ours:
                xf.write(self._row_element(row, row_idx))
            else:
                write_row(xf, row, row_idx)

        ws._values_to_row = own_values
        ws._writer.write_row = own_row

    def _row_element(self, values: Sequence[Any], row_idx: int) -> Any:
        """The row as openpyxl would write it, built as text and parsed once: about half the
        cost of building each cell's elements one call at a time."""
        number = str(row_idx)
        plain, letters = self._plain, self._letters
        if len(values) != len(plain):
            raise ValueError(f"row {row_idx} has {len(values)} values for {len(plain)} columns")
        height = self._height
        parts = [f'<row r="{number}" ht="{float(height)}" customHeight="1">' if height is not None
                 else f'<row r="{number}">']
        for i, value in enumerate(values):
            ref = letters[i] + number
            if isinstance(value, str) and value:
                text = clean_text(value)
                style = self._quoted[i] if needs_quote(text) else plain[i]
                space = ' xml:space="preserve"' if text != text.strip() else ""
                parts.append(f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>'
                             f'{_escape(text)}</t></is></c>')
                continue
            if isinstance(value, date):
                value = to_excel(value, self._epoch)
            if value is None or value == "":  # blank: its border and fill still show
                parts.append(f'<c r="{ref}" s="{plain[i]}"/>')
            elif isinstance(value, int | float) and not isinstance(value, bool):
                parts.append(f'<c r="{ref}" s="{plain[i]}" t="n"><v>{value!r}</v></c>')
            else:
                raise TypeError(f"a {type(value).__name__} cannot be written to a cell here")
        parts.append("</row>")
        return _parse("".join(parts))


def _escape(text: str) -> str:
    """Cell text as XML character data; a carriage return is written as a reference, since
    an XML parser would read a literal one as a line feed."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def _parser() -> Callable[[str], Any]:
    """openpyxl streams lxml elements when lxml is installed, ElementTree ones otherwise; the
    text parsed is our own, with no DTD or entities."""
    from openpyxl import LXML

    if LXML:
        from lxml.etree import XMLParser, fromstring

        parser = XMLParser(resolve_entities=False, no_network=True)
        return lambda text: fromstring(text, parser)
    from xml.etree.ElementTree import fromstring as et_fromstring

    return et_fromstring


_parse = _parser()
