"""The Excel risk log a risk lead works from: the log itself (filterable, printable on A4
landscape with the header repeated), a 5x5 heat map, closed risks, the mitigating actions
and a key to the scoring. Written with openpyxl in write-only (streaming) mode so 10,000
risks cost no more memory than 100. Imports no Qt and no SQL.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.xml.functions import Element, SubElement

from ..domain.board_dates import BoardDate, long_date, short_date
from ..domain.records import ACTION_DONE, Risk
from ..domain.scoring import (
    IMPACT_LABELS,
    LIKELIHOOD_LABELS,
    TREND_ARROWS,
    TREND_WORDS,
    Band,
    band,
    trend,
)
from ..errors import atomic_output, check_folder

# Text that a spreadsheet would otherwise read as a formula (or that Excel's "CSV
# injection" warnings are about). Written as text with Excel's quote prefix so it shows as typed.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

MAIN_SHEET = "Risk log"
HEAT_MAP_SHEET = "Heat map"
CLOSED_SHEET = "Closed risks"
ACTIONS_SHEET = "Mitigating actions"
KEY_SHEET = "Key"

HEADER_FILL = "1F3864"  # dark blue; white bold text on it
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


@dataclass(frozen=True)
class Column:
    heading: str  # two-line headings use \n; the importer joins them back
    width: float
    kind: str = "text"  # text, number, date, centre


# The main log, in council risk-log order. The headings are the importer's synonyms, so an
# exported log imports straight back.
LOG_COLUMNS: tuple[Column, ...] = (
    Column("Ref", 7, "centre"),
    Column("Risk", 22),
    Column("Description", 34),
    Column("Category", 11),
    Column("Owner", 13),
    Column("Workstream", 13),
    Column("Inherent\nlikelihood", 9, "number"),
    Column("Inherent\nimpact", 8, "number"),
    Column("Inherent\nscore", 8, "number"),
    Column("Current\nlikelihood", 9, "number"),
    Column("Current\nimpact", 8, "number"),
    Column("Current\nscore", 8, "number"),
    Column("Band", 9, "centre"),
    Column("Trend", 10, "centre"),
    Column("Controls", 26),
    Column("Mitigating actions", 36),
    Column("Target\nscore", 8, "centre"),
    Column("Review date", 10, "date"),
    Column("Status", 9, "centre"),
)
_COL = {c.heading.replace("\n", " "): get_column_letter(i) for i, c in enumerate(LOG_COLUMNS, 1)}
STATUS_WORDS = {"open": "Open", "escalated": "Escalated", "closed": "Closed"}


def write_risk_log(reg: Any, out_path: str | os.PathLike, as_at: date | None = None) -> None:
    """Write the register's risk log to `out_path` (.xlsx), atomically."""
    out_path = check_folder(out_path)  # before the streaming sheets are opened
    programme = reg.programme
    when = as_at or reg.default_as_at()
    risks: list[Risk] = reg.all("risks")
    scores = reg.scores_by_risk()
    writer = _LogWriter(programme.name, programme.protective_marking or "OFFICIAL", when,
                        tuple(programme.bands))
    wb = writer.build(risks, scores)
    with atomic_output(out_path) as temp:
        wb.save(temp)


def safe_text(value: str) -> bool:
    """True when a spreadsheet could read this text as a formula."""
    return value.startswith(FORMULA_STARTS)


class _LogWriter:
    def __init__(self, programme: str, marking: str, as_at: date, bands: Sequence[Band]) -> None:
        self.programme = programme
        self.marking = marking
        self.as_at = as_at
        self.bands = bands
        self.wb = Workbook(write_only=True)
        self._protos: dict[str, WriteOnlyCell] = {}

    # --- cells -----------------------------------------------------------------------------

    def _proto(self, ws: Any, name: str) -> WriteOnlyCell:
        """A styled prototype cell; every data cell copies its style array (fast)."""
        if name not in self._protos:
            cell = WriteOnlyCell(ws)
            cell.border = _BORDER
            cell.font = Font(name="Arial", size=9)
            if name == "header":
                cell.font = Font(name="Arial", size=9, bold=True, color="FFFFFF")
                cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
                cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            elif name in ("number", "centre"):
                cell.alignment = Alignment(vertical="top", horizontal="center", wrap_text=True)
            elif name == "date":
                cell.alignment = Alignment(vertical="top", horizontal="center")
                cell.number_format = "dd/mm/yyyy"
            elif name == "title":
                cell.font = Font(name="Arial", size=14, bold=True)
                cell.border = Border()
            elif name == "plain":
                cell.border = Border()
            else:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
            self._protos[name] = cell
        return self._protos[name]

    def cell(self, ws: Any, value: Any, style: str = "text") -> WriteOnlyCell:
        c = WriteOnlyCell(ws)
        c._style = copy(self._proto(ws, style)._style)
        if isinstance(value, BoardDate):
            value = value.earliest if value.exact else value.text
        if isinstance(value, str):
            value = clean_text(value)
            c.value = value
            if safe_text(value) or c.data_type != "s":
                # Never a formula: typed as a string, and the quote prefix keeps Excel from
                # re-reading it as one when someone edits the cell.
                c.data_type = "s"
                c.quotePrefix = True
            return c
        c.value = value
        return c

    def stream(self, ws: Any, styles: Sequence[str]) -> _RowStream:
        return _RowStream(ws, [self._proto(ws, s) for s in styles])

    def header_row(self, ws: Any, headings: Iterable[str]) -> list[WriteOnlyCell]:
        return [self.cell(ws, h, "header") for h in headings]

    def _page(self, ws: Any, title: str, landscape: bool = True) -> None:
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.paperSize = "9"  # A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.75
        ws.print_options.horizontalCentered = True
        marking = _hf(self.marking)
        ws.oddHeader.left.text = _hf(self.programme)
        ws.oddHeader.left.size = 9
        ws.oddHeader.center.text = f"&B{_hf(title)}&B as at {long_date(self.as_at)}"
        ws.oddHeader.center.size = 10
        ws.oddHeader.right.text = f"&B{marking}&B"
        ws.oddHeader.right.size = 10
        ws.oddFooter.left.text = f"&B{marking}&B"
        ws.oddFooter.left.size = 9
        ws.oddFooter.center.text = "Page &P of &N"
        ws.oddFooter.center.size = 9
        ws.oddFooter.right.text = f"Printed from OOH Desk, as at {short_date(self.as_at)}"
        ws.oddFooter.right.size = 8

    # --- the workbook ----------------------------------------------------------------------

    def build(self, risks: Sequence[Risk], scores: dict[str, list[int]]) -> Workbook:
        self.write_log(risks, scores)
        self.write_heat_map(risks)
        self.write_closed(risks)
        self.write_actions(risks)
        self.write_key()
        return self.wb

    def write_log(self, risks: Sequence[Risk], scores: dict[str, list[int]]) -> None:
        ws = self.wb.create_sheet(MAIN_SHEET)
        last_col = get_column_letter(len(LOG_COLUMNS))
        last_row = max(len(risks) + 1, 2)
        for i, col in enumerate(LOG_COLUMNS, 1):
            ws.column_dimensions[get_column_letter(i)].width = col.width
        ws.freeze_panes = "C2"
        ws.print_title_rows = "1:1"
        ws.auto_filter.ref = f"A1:{last_col}{last_row}"
        self._page(ws, "Risk log")
        self._validation(ws, last_row)
        self._band_formatting(ws, last_row)
        ws.row_dimensions[1].height = 30
        ws.append(self.header_row(ws, (c.heading for c in LOG_COLUMNS)))
        rows = self.stream(ws, [c.kind for c in LOG_COLUMNS])
        for number, risk in enumerate(risks, 2):
            values = self._log_values(risk, scores.get(risk.uuid, []))
            # Spreadsheet apps do not re-measure wrapped rows on opening, so give each row
            # the height its longest cell needs (set before the row is streamed out).
            ws.row_dimensions[number].height = _row_height(values, LOG_COLUMNS)
            rows.append(values)

    def _log_values(self, risk: Risk, history: list[int]) -> list[Any]:
        inherent, current, target = risk.inherent, risk.current, risk.target
        band_word = band(current.score, self.bands).name if current else ""
        direction = trend(history)
        return [
            risk.ref, risk.title, risk.description, risk.category, risk.owner, risk.workstream,
            inherent.likelihood if inherent else None, inherent.impact if inherent else None,
            inherent.score if inherent else None,
            current.likelihood if current else None, current.impact if current else None,
            current.score if current else None,
            band_word,
            f"{TREND_ARROWS[direction]} {TREND_WORDS[direction]}",
            risk.controls,
            "\n".join(f"\u2022 {m.description}" for m in risk.mitigations),
            f"{target.score} ({target.likelihood} x {target.impact})" if target else "",
            risk.review_date,
            STATUS_WORDS.get(risk.status, risk.status.capitalize()),
        ]

    def _validation(self, ws: Any, last_row: int) -> None:
        rows = f"2:{max(last_row, 1000)}"
        first, last = rows.split(":")
        lists = (
            ('"1,2,3,4,5"', ("Inherent likelihood", "Current likelihood"),
             "Likelihood", "Use 1 (Rare) to 5 (Almost certain)."),
            ('"1,2,3,4,5"', ("Inherent impact", "Current impact"),
             "Impact", "Use 1 (Negligible) to 5 (Catastrophic)."),
            ('"' + ",".join(STATUS_WORDS.values()) + '"', ("Status",),
             "Status", "Use Open, Escalated or Closed."),
        )
        for formula, headings, title, message in lists:
            dv = DataValidation(type="list", formula1=formula, allow_blank=True,
                                showErrorMessage=True, errorTitle=title, error=message,
                                promptTitle=title, prompt=message, showInputMessage=True)
            for heading in headings:
                col = _COL[heading]
                dv.add(f"{col}{first}:{col}{last}")
            ws.data_validations.append(dv)

    def _band_formatting(self, ws: Any, last_row: int) -> None:
        """Band colours by rule, so a score edited in Excel recolours itself; the band word
        sits in its own column so colour is never the only signal."""
        word_col = _COL["Band"]
        for b in self.bands:
            fill = PatternFill("solid", fgColor=b.colour, bgColor=b.colour)
            font = Font(color="FFFFFF" if _dark(b.colour) else "000000", bold=True)
            ws.conditional_formatting.add(
                f"{word_col}2:{word_col}{last_row}",
                CellIsRule(operator="equal", formula=[f'"{b.name}"'], fill=fill, font=font))
            for heading in ("Inherent score", "Current score"):
                col = _COL[heading]
                ws.conditional_formatting.add(
                    f"{col}2:{col}{last_row}",
                    FormulaRule(formula=[f"AND(ISNUMBER({col}2),{col}2>={b.low},{col}2<={b.high})"],
                                fill=fill, font=font))

    def write_heat_map(self, risks: Sequence[Risk]) -> None:
        ws = self.wb.create_sheet(HEAT_MAP_SHEET)
        live = [r for r in risks if r.status != "closed" and r.current]
        counts = {(r.current.likelihood, r.current.impact): 0 for r in live}
        for r in live:
            counts[(r.current.likelihood, r.current.impact)] += 1
        ws.column_dimensions["A"].width = 14
        ws.column_dimensions["B"].width = 18
        for letter in "CDEFG":
            ws.column_dimensions[letter].width = 17
        self._page(ws, "Risk heat map")
        for n in range(6, 11):  # rows take their height when written, so set it first
            ws.row_dimensions[n].height = 36
        ws.append([self.cell(ws, f"Current risk heat map: {len(live)} open risks as at "
                                 f"{long_date(self.as_at)}", "title")])
        ws.append([self.cell(ws, "Each cell counts open risks at that likelihood and impact, "
                                 "and names the band; closed risks are not counted.", "plain")])
        ws.append([])
        ws.append([None, None, self.cell(ws, "Impact", "header")]
                  + [self.cell(ws, "", "header") for _ in range(4)])
        ws.merged_cells.add("C4:G4")  # write-only sheets keep merges made before the rows end
        ws.append([None, None] + [self.cell(ws, f"{n} {label}", "header")
                                  for n, label in enumerate(IMPACT_LABELS, 1)])
        for likelihood in range(5, 0, -1):
            row: list[Any] = [
                self.cell(ws, "Likelihood" if likelihood == 5 else "", "header"),
                self.cell(ws, f"{likelihood} {LIKELIHOOD_LABELS[likelihood - 1]}", "header")]
            for impact in range(1, 6):
                b = band(likelihood * impact, self.bands)
                c = self.cell(ws, counts.get((likelihood, impact), 0), "centre")
                c.fill = PatternFill("solid", fgColor=b.colour)
                c.font = Font(name="Arial", size=10, bold=True,
                              color="FFFFFF" if _dark(b.colour) else "000000")
                c.number_format = f'"{b.name}: "0'
                c.alignment = Alignment(horizontal="center", vertical="center")
                row.append(c)
            ws.append(row)
        ws.merged_cells.add("A6:A10")
        ws.append([])
        ws.append([self.cell(ws, "Score = likelihood x impact. Bands: " + "; ".join(
            f"{b.name} {b.low}-{b.high}" for b in self.bands) + ". See the Key sheet.", "plain")])

    def write_closed(self, risks: Sequence[Risk]) -> None:
        ws = self.wb.create_sheet(CLOSED_SHEET)
        columns = (Column("Ref", 8, "centre"), Column("Risk", 40), Column("Owner", 18),
                   Column("Last score", 10, "centre"), Column("Band", 10, "centre"),
                   Column("Reason closed", 50), Column("Review date", 12, "date"))
        for i, col in enumerate(columns, 1):
            ws.column_dimensions[get_column_letter(i)].width = col.width
        closed = [r for r in risks if r.status == "closed"]
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(closed) + 1, 2)}"
        self._page(ws, "Closed risks")
        ws.append(self.header_row(ws, (c.heading for c in columns)))
        for r in closed:
            values = [r.ref, r.title, r.owner, r.current.score if r.current else None,
                      band(r.current.score, self.bands).name if r.current else "",
                      r.closed_reason or "No reason recorded", r.review_date]
            ws.append([self.cell(ws, v, c.kind) for v, c in zip(values, columns, strict=True)])
        if not closed:
            ws.append([self.cell(ws, "No risks are closed.", "plain")])

    def write_actions(self, risks: Sequence[Risk]) -> None:
        ws = self.wb.create_sheet(ACTIONS_SHEET)
        columns = (Column("Risk ref", 8, "centre"), Column("Risk", 32),
                   Column("Mitigating action", 56), Column("Owner", 18),
                   Column("Due", 14, "date"), Column("Status", 12, "centre"),
                   Column("Overdue", 10, "centre"))
        for i, col in enumerate(columns, 1):
            ws.column_dimensions[get_column_letter(i)].width = col.width
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
        count = sum(len(r.mitigations) for r in risks if r.status != "closed")
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(count + 1, 2)}"
        self._page(ws, "Mitigating actions")
        ws.append(self.header_row(ws, (c.heading for c in columns)))
        rows = self.stream(ws, [c.kind for c in columns])
        number = 1
        for r in risks:
            if r.status == "closed":
                continue
            for m in r.mitigations:
                number += 1
                overdue = (m.due is not None and m.status not in ACTION_DONE
                           and m.due.latest < self.as_at)
                values = [r.ref, r.title, m.description, m.owner or r.owner, m.due,
                          m.status.capitalize(), "Overdue" if overdue else "No"]
                ws.row_dimensions[number].height = _row_height(values, columns)
                rows.append(values)

    def write_key(self) -> None:
        ws = self.wb.create_sheet(KEY_SHEET)
        ws.column_dimensions["A"].width = 22
        ws.column_dimensions["B"].width = 70
        self._page(ws, "Key to the risk log", landscape=False)
        ws.append([self.cell(ws, "Key to the risk log", "title")])
        ws.append([])
        rows: list[tuple[str, str, str | None]] = [
            ("Score", "Likelihood x impact, each scored 1 to 5 on the NHS 5x5 matrix.", None),
            ("Inherent", "The score before any controls or mitigating actions.", None),
            ("Current", "The score now, with existing controls in place.", None),
            ("Target", "The score the owner aims for once the actions are done "
                       "(shown as score, then likelihood x impact).", None),
            ("Trend", "The change in the current score since the previous review: "
                      "\u2191 Rising, \u2193 Falling, \u2192 No change.", None),
            ("Protective marking", self.marking, None),
        ]
        rows += [(f"Likelihood {n}", label, None) for n, label in enumerate(LIKELIHOOD_LABELS, 1)]
        rows += [(f"Impact {n}", label, None) for n, label in enumerate(IMPACT_LABELS, 1)]
        rows += [(b.name, f"Scores {b.low} to {b.high}", b.colour) for b in self.bands]
        for name, text, colour in rows:
            label = self.cell(ws, name, "text")
            if colour:
                label.fill = PatternFill("solid", fgColor=colour)
                label.font = Font(name="Arial", size=9, bold=True,
                                  color="FFFFFF" if _dark(colour) else "000000")
            ws.append([label, self.cell(ws, text, "text")])


class _RowStream:
    """Streams rows of plain values straight into openpyxl's write-only XML writer.

    Building, styling and converting an openpyxl cell object for each of 200,000 values is
    what made a large log slow, so each column's style is registered once and its rows are
    written as `<c>` elements directly (openpyxl's own writer, its own XML form). Every str is
    a string, never a formula or an error code such as "#N/A"; text that a spreadsheet could
    read as a formula carries Excel's quote prefix as well. Should openpyxl's streaming
    internals ever change shape, rows go through ordinary styled cells instead.
    """

    def __init__(self, ws: Any, protos: Sequence[WriteOnlyCell]) -> None:
        self.ws = ws
        self.protos = list(protos)
        styles = ws.parent._cell_styles
        self.plain = [str(styles.add(copy(p._style))) for p in protos]
        self.quoted = [str(styles.add(_clone(ws, p, quote=True)._style)) for p in protos]
        self.letters = [get_column_letter(i) for i in range(1, len(protos) + 1)]
        self.epoch = ws.parent.epoch
        ws._get_writer()
        writer = getattr(ws, "_writer", None)
        self.fast = writer is not None and hasattr(writer, "write_row") \
            and hasattr(ws, "_values_to_row")
        if self.fast:
            ws._values_to_row = _as_given
            writer.write_row = self._write_row

    def append(self, values: Sequence[Any]) -> None:
        if self.fast:
            self.ws.append(values)
            return
        row = []
        for value, proto in zip(values, self.protos, strict=True):
            cell = _clone(self.ws, proto, quote=isinstance(value, str) and safe_text(value))
            if isinstance(value, BoardDate):
                value = value.earliest if value.exact else value.text
            cell.value = clean_text(value) if isinstance(value, str) else value
            if isinstance(value, str):
                cell.data_type = "s"
            row.append(cell)
        self.ws.append(row)

    def _write_row(self, xf: Any, values: Sequence[Any], row_idx: int) -> None:
        attrs = {"r": str(row_idx)}
        attrs.update(self.ws.row_dimensions.get(row_idx, {}))
        with xf.element("row", attrs):
            for i, value in enumerate(values):
                ref = f"{self.letters[i]}{row_idx}"
                if isinstance(value, BoardDate):
                    value = value.earliest if value.exact else value.text
                if isinstance(value, str) and value:
                    text = clean_text(value)
                    style = self.quoted[i] if safe_text(text) else self.plain[i]
                    c = Element("c", {"r": ref, "s": style, "t": "inlineStr"})
                    t = SubElement(SubElement(c, "is"), "t",
                                   {_XML_SPACE: "preserve"} if text != text.strip() else {})
                    t.text = text
                    xf.write(c)
                    continue
                if isinstance(value, date):
                    value = to_excel(value, self.epoch)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    c = Element("c", {"r": ref, "s": self.plain[i], "t": "n"})
                    SubElement(c, "v").text = str(value)
                    xf.write(c)
                else:  # blank: the border and fill still show
                    xf.write(Element("c", {"r": ref, "s": self.plain[i]}))


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _as_given(values: Sequence[Any], row_idx: int) -> Sequence[Any]:
    return values


def _clone(ws: Any, proto: WriteOnlyCell, quote: bool) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws)
    cell._style = copy(proto._style)
    if quote:
        cell.quotePrefix = True
    return cell


_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")


def clean_text(value: str) -> str:
    """Text as a cell can hold it: Windows line ends made plain, control characters pasted
    from other programs (which Excel refuses) dropped, and the 32,767-character cell limit."""
    value = value.replace("\r\n", "\n")
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("", value)
    return value[:32767]


def _cells_as_given(cells: Sequence[WriteOnlyCell], row_idx: int) -> Iterable[WriteOnlyCell]:
    for col_idx, cell in enumerate(cells, 1):
        cell.row = row_idx
        cell.column = col_idx
        yield cell


def _row_height(values: Sequence[Any], columns: Sequence[Column]) -> float:
    """Points for a row whose wrapped text cells need this many lines at 9pt Arial."""
    lines = 1
    for index, per_line in _wrapping(tuple(columns)):
        value = values[index]
        if isinstance(value, str) and (len(value) > per_line or "\n" in value):
            lines = max(lines, sum(-(-max(len(p), 1) // per_line) for p in value.split("\n")))
    return min(11.5 * lines + 4, 409.0)


@functools.cache
def _wrapping(columns: tuple[Column, ...]) -> list[tuple[int, int]]:
    """(index, characters per line) of the text columns that can wrap."""
    return [(i, max(int(c.width * 1.5), 4)) for i, c in enumerate(columns) if c.kind == "text"]


def _hf(text: str) -> str:
    """Header/footer text: '&' starts a code there, so a literal one is doubled."""
    return text.replace("&", "&&")


def _dark(colour: str) -> bool:
    r, g, b = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
    return 0.299 * r + 0.587 * g + 0.114 * b < 110
