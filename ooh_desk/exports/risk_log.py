"""The Excel risk log a risk lead works from: the log itself (filterable, printed two A4
landscape pages wide at 8.5 pt with the header row, ref and title repeated), a 5x5 heat map,
closed risks, the mitigating actions and a key to the scoring. Written with openpyxl in
write-only (streaming) mode, in one pass over the register a page of risks at a time, so
10,000 risks cost little more memory than 100. imports/risk_log.py reads this layout back.
Imports no Qt and no SQL.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break, ColBreak
from openpyxl.worksheet.properties import PageSetupProperties

from ..domain.board_dates import BoardDate, long_date
from ..domain.cell_limit import CELL_LIMIT, too_long
from ..domain.conflict_marks import NOT_AGREED, ConflictMarks, cell_mark, named_mark, with_mark
from ..domain.records import ACTION_DONE, Mitigation, Risk
from ..domain.risk_log_layout import (
    ACTION_COLUMNS,
    ACTIONS_SHEET,
    CLOSED_COLUMNS,
    CLOSED_RISK_ACTION,
    CLOSED_SHEET,
    HEAT_MAP_SHEET,
    KEY_SHEET,
    KEY_TITLE,
    LOG_COLUMNS,
    LOG_FIRST_PAGE_COLUMNS,
    LOG_PRINT_SCALE,
    LOG_PRINT_TITLE_COLUMNS,
    MAIN_SHEET,
    NO_CLOSED,
    NO_REASON,
    SHEETS,
    Column,
)
from ..domain.scoring import (
    IMPACT_LABELS,
    LIKELIHOOD_LABELS,
    TREND_ARROWS,
    TREND_WORDS,
    Band,
    band,
    text_colour_on,
    trend,
)
from ..domain.treatment import TREATMENT_MEANINGS, TREATMENT_WORDS, treatment_word
from ..errors import atomic_output, check_folder
from ..store import records
from ..store.changes import open_conflicts_by_record
from ..store.queries import risk_scores
from .xlsx_rows import CellStyle, RowWriter, set_default_font, text_cell, tidy_text

HEADER_FILL = "1F3864"  # dark blue; white bold text on it
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_ARIAL = Font(name="Arial", size=9)
# The workbook's Normal font, in whose digits column widths are counted: Arial, so Excel and
# LibreOffice lay the columns out alike (Calibri's width is Arial 10's).
_NORMAL_FONT = Font(name="Arial", size=10, family=2)
_CENTRED = Alignment(vertical="top", horizontal="center", wrap_text=True)

# Every cell look in the workbook, built once and shared.
STYLES: dict[str, CellStyle] = {
    "text": CellStyle(_ARIAL, _BORDER, alignment=Alignment(vertical="top", wrap_text=True)),
    "number": CellStyle(_ARIAL, _BORDER, alignment=_CENTRED),
    "centre": CellStyle(_ARIAL, _BORDER, alignment=_CENTRED),
    "date": CellStyle(_ARIAL, _BORDER, alignment=Alignment(vertical="top", horizontal="center"),
                      number_format="dd/mm/yyyy"),
    "header": CellStyle(Font(name="Arial", size=9, bold=True, color="FFFFFF"), _BORDER,
                        PatternFill("solid", fgColor=HEADER_FILL),
                        Alignment(wrap_text=True, vertical="center", horizontal="center")),
    "title": CellStyle(Font(name="Arial", size=14, bold=True)),
    "plain": CellStyle(_ARIAL),
}


_COL = {c.heading.replace("\n", " "): get_column_letter(i) for i, c in enumerate(LOG_COLUMNS, 1)}
STATUS_WORDS = {"open": "Open", "escalated": "Escalated", "closed": "Closed"}
_TREND_TEXT = {d: f"{TREND_ARROWS[d]} {TREND_WORDS[d]}" for d in TREND_WORDS}
PAGE_SIZE = 500  # risks read from the register at a time


def write_risk_log(reg: Any, out_path: str | os.PathLike, as_at: date | None = None) -> list[str]:
    """Write the register's risk log to `out_path` (.xlsx), atomically. Returns warnings for
    the user: each text cut to Excel's cell limit in the log (the register keeps it whole)."""
    out_path = check_folder(out_path)  # before the streaming sheets are opened
    programme = reg.programme
    when = as_at or reg.default_as_at()
    writer = _LogWriter(programme.name, programme.protective_marking or "OFFICIAL", when,
                        tuple(programme.bands), ConflictMarks(open_conflicts_by_record(reg)))
    wb = writer.build(risk_pages(reg))
    with atomic_output(out_path) as temp:
        wb.save(temp)
    notes = list(writer.cuts)
    if writer.marked:
        notes.append(f"{len(writer.marked)} risk{'s' if len(writer.marked) != 1 else ''} "
                     f"({', '.join(writer.marked)}) carry values two copies of the register "
                     f"disagree on, marked '{NOT_AGREED}' in the log; settle them with "
                     "ooh-desk resolve")
    return notes


def risk_pages(reg: Any, size: int = PAGE_SIZE) -> Iterator[tuple[list[Risk], dict[str, list[int]]]]:
    """Each page of risks (with mitigations) and their score histories, oldest first."""
    for page in records.risk_pages(reg, size):
        yield page, risk_scores(reg, [r.uuid for r in page])


def _cell_value(value: Any) -> Any:
    if isinstance(value, BoardDate):
        return value.earliest if value.exact else value.text
    return value


# The risk's fields each column of the log and of the closed risks shows, for marking a field
# two merged copies disagree on; the Risk column also names those no column shows.
_LOG_FIELDS = {"Risk": ("title",), "Description": ("description",), "Owner": ("owner",),
               "Inherent likelihood": ("inherent_likelihood",),
               "Inherent impact": ("inherent_impact",), "Current likelihood": ("likelihood",),
               "Current impact": ("impact",), "Category": ("category",),
               "Workstream": ("workstream",), "Treatment": ("treatment",),
               "Controls": ("controls",), "Mitigating actions": ("mitigations",),
               "Target score": ("target_likelihood", "target_impact"),
               "Review date": ("review_date",), "Status": ("status", "closed_reason"),
               "Reason closed": ("closed_reason",)}


def _column_fields(columns: Sequence[Column]) -> list[tuple[str, ...]]:
    return [_LOG_FIELDS.get(" ".join(c.heading.split()), ()) for c in columns]


def _marked_value(value: Any, mark: str) -> Any:
    """A cell's value with its mark after it: a number or a date becomes text, so the mark
    cannot be missed and the log does not read back as if the value were settled."""
    if not mark:
        return value
    value = _cell_value(value)
    if isinstance(value, date):
        value = value.strftime("%d/%m/%Y")
    return with_mark("" if value is None else str(value), mark)


class _LogWriter:
    def __init__(self, programme: str, marking: str, as_at: date, bands: Sequence[Band],
                 conflicts: ConflictMarks | None = None) -> None:
        self.programme = programme
        self.conflicts = conflicts or ConflictMarks()
        self.marked: dict[str, None] = {}  # refs of the risks carrying a mark, in order
        self.marking = marking
        self.as_at = as_at
        self.bands = bands
        self.wb = Workbook(write_only=True)
        set_default_font(self.wb, _NORMAL_FONT)
        props = self.wb.properties
        props.creator = props.lastModifiedBy = "OOH Desk"
        props.title = f"Risk log: {programme}"
        props.subject = f"Risk log as at {long_date(as_at)}"
        props.language = "en-GB"
        self._band_names: dict[int, str] = {}
        self.cuts: dict[str, None] = {}  # a note per text cut to the cell limit, in order

    def cell(self, ws: Any, value: Any, style: str | CellStyle = "text") -> Any:
        return text_cell(ws, _cell_value(value), STYLES[style] if isinstance(style, str) else style)

    def band_name(self, score: int) -> str:
        if score not in self._band_names:  # 25 scores at most, and 10,000 rows ask
            self._band_names[score] = band(score, self.bands).name
        return self._band_names[score]

    def _page(self, ws: Any, title: str, landscape: bool = True) -> None:
        """A4, fitted to one page wide (every sheet but the log is narrow enough to print at
        its full size or nearly), with the page header and footer."""
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.paperSize = "9"  # A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.75
        ws.print_options.horizontalCentered = True
        marking = _hf(self.marking)
        # Two parts to a line, at the ends: three (programme, title, marking) ran into each
        # other on a portrait page.
        ws.oddHeader.left.text = f"&B{_hf(title)}&B as at {long_date(self.as_at)}"
        ws.oddHeader.left.size = 10
        ws.oddHeader.right.text = f"&B{marking}&B"
        ws.oddHeader.right.size = 10
        ws.oddFooter.left.text = f"&B{marking}&B"
        ws.oddFooter.left.size = 9
        ws.oddFooter.center.text = "Page &P of &N"
        ws.oddFooter.center.size = 9
        ws.oddFooter.right.text = _hf(self.programme)
        ws.oddFooter.right.size = 9

    def _table(self, title: str, columns: Sequence[Column], freeze: str,
               header_height: float | None = None) -> RowWriter:
        """A sheet of one table: widths, frozen header, print set-up and the heading row
        (all of which a streaming sheet needs before its first row)."""
        ws = self.wb[title]
        for i, col in enumerate(columns, 1):
            ws.column_dimensions[get_column_letter(i)].width = col.width
        ws.freeze_panes = freeze
        ws.print_title_rows = "1:1"
        self._page(ws, title)
        if title == MAIN_SHEET:
            self._print_log_two_pages_wide(ws)
        rows = RowWriter(ws, [STYLES[c.kind] for c in columns])
        rows.append_cells([self.cell(ws, c.heading, "header") for c in columns], header_height)
        return rows

    def _print_log_two_pages_wide(self, ws: Any) -> None:
        """The log's 20 columns fitted to one page print at 4 pt; instead they print at a
        fixed scale two pages wide, the first page's columns ending at a break, the ref and
        title repeated on the second, and both halves of a risk on consecutive pages."""
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
        ws.page_setup.fitToWidth = ws.page_setup.fitToHeight = None
        ws.page_setup.scale = LOG_PRINT_SCALE
        ws.page_setup.pageOrder = "overThenDown"
        ws.print_title_cols = LOG_PRINT_TITLE_COLUMNS
        ws.col_breaks = ColBreak()
        ws.col_breaks.append(Break(id=LOG_FIRST_PAGE_COLUMNS))

    # --- the workbook ----------------------------------------------------------------------

    def build(self, pages: Iterable[tuple[Sequence[Risk], dict[str, list[int]]]]) -> Workbook:
        """One pass over the risks feeds the log, closed risks and actions sheets together
        (each streams to its own file), counting the heat map as it goes."""
        for title in SHEETS:
            self.wb.create_sheet(title)
        log = self._table(MAIN_SHEET, LOG_COLUMNS, "C2", header_height=30)
        closed = self._table(CLOSED_SHEET, CLOSED_COLUMNS, "A2")
        actions = self._table(ACTIONS_SHEET, ACTION_COLUMNS, "A2")
        counts: dict[tuple[int, int], int] = {}
        for page, scores in pages:
            for risk in page:
                values = self._log_values(risk, scores.get(risk.uuid, []))
                wrap = _LOG_WRAP
                if self.conflicts.of("risks", risk.uuid):
                    values, wrap = self._mark(risk, values, _LOG_COLUMN_FIELDS), _LOG_WRAP_ALL
                self._note_cuts(risk.ref, _LOG_LABELS, values)
                # Spreadsheet apps do not re-measure wrapped rows on opening, so give each row
                # the height its longest cell needs.
                log.append(values, _row_height(values, wrap))
                if risk.status == "closed":
                    values = self._closed_values(risk)
                    if self.conflicts.of("risks", risk.uuid):
                        values = self._mark(risk, values, _CLOSED_COLUMN_FIELDS)
                    values = self._note_cuts(risk.ref, _CLOSED_LABELS, values)
                    closed.append(values, _row_height(values, _CLOSED_WRAP))
                elif risk.current:
                    point = (risk.current.likelihood, risk.current.impact)
                    counts[point] = counts.get(point, 0) + 1
                for n, m in enumerate(risk.mitigations, 1):
                    values = self._action_values(risk, m)
                    self._note_cuts(risk.ref, _action_labels(n), values)
                    actions.append(values, _row_height(values, _ACTION_WRAP))
        if closed.row == 1:
            closed.append_cells([self.cell(closed.ws, NO_CLOSED, "plain")])
        # Filters, validation and conditional formats are written after the rows, so they can
        # be sized now that the rows are counted.
        for rows, columns in ((log, LOG_COLUMNS), (closed, CLOSED_COLUMNS),
                              (actions, ACTION_COLUMNS)):
            rows.ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(rows.row, 2)}"
        self._validation(log.ws, max(log.row, 2))
        self._band_formatting(log.ws, max(log.row, 2))
        self.write_heat_map(counts)
        self.write_key()
        return self.wb

    def _mark(self, risk: Risk, values: list[Any],
              fields: Sequence[tuple[str, ...]]) -> list[Any]:
        """A row's values with each field two merged copies disagree on marked in its cell,
        and those no column shows (or the record as a whole) named in the Risk cell."""
        shown = {f for column in fields for f in column}
        out = []
        for value, names in zip(values, fields, strict=True):
            mark = cell_mark(self.conflicts.refs("risks", risk.uuid, names))
            if names == ("title",):
                mark = " ".join(m for m in (mark, named_mark(
                    self.conflicts.others("risks", risk.uuid, shown))) if m)
            out.append(_marked_value(value, mark))
        self.marked[risk.ref] = None
        return out

    def _note_cuts(self, ref: str, labels: Sequence[str], values: list[Any]) -> list[Any]:
        """Note each text the log must cut (the cell writer cuts it, ending with a marker)."""
        for label, value in zip(labels, values, strict=True):
            if isinstance(value, str) and len(value) > CELL_LIMIT // 2 \
                    and too_long(tidy_text(value)):
                self.cuts[f"{ref} {label}: {len(value):,} characters, cut to Excel's "
                          f"{CELL_LIMIT:,} in the log; the full text stays in the register"] = None
        return values

    def _log_values(self, risk: Risk, history: list[int]) -> list[Any]:
        inherent, current, target = risk.inherent, risk.current, risk.target
        return [  # in LOG_COLUMNS' order
            risk.ref, risk.title, risk.description, risk.owner,
            inherent.likelihood if inherent else None, inherent.impact if inherent else None,
            inherent.score if inherent else None,
            current.likelihood if current else None, current.impact if current else None,
            current.score if current else None,
            self.band_name(current.score) if current else "",
            _TREND_TEXT[trend(history)],
            risk.category, risk.workstream, treatment_word(risk.treatment), risk.controls,
            "\n".join(f"\u2022 {m.description}" for m in risk.mitigations),
            f"{target.score} ({target.likelihood} x {target.impact})" if target else "",
            _cell_value(risk.review_date),
            STATUS_WORDS.get(risk.status, risk.status.capitalize()),
        ]

    def _closed_values(self, r: Risk) -> list[Any]:
        return [r.ref, r.title, r.owner, r.current.score if r.current else None,
                self.band_name(r.current.score) if r.current else "",
                r.closed_reason or NO_REASON, _cell_value(r.review_date)]

    def _action_values(self, r: Risk, m: Mitigation) -> list[Any]:
        """Every risk's actions, closed risks' too, so the log reads back whole. The owner is
        the action's own (blank when it has none), for the same reason."""
        if r.status == "closed":
            overdue = CLOSED_RISK_ACTION
        else:
            late = m.due is not None and m.status not in ACTION_DONE and m.due.latest < self.as_at
            overdue = "Overdue" if late else "No"
        return [r.ref, r.title, m.description, m.owner, _cell_value(m.due),
                m.status.capitalize(), overdue]

    def _validation(self, ws: Any, last_row: int) -> None:
        first, last = 2, max(last_row, 1000)
        lists = (
            ('"1,2,3,4,5"', ("Inherent likelihood", "Current likelihood"),
             "Likelihood", "Use 1 (Rare) to 5 (Almost certain)."),
            ('"1,2,3,4,5"', ("Inherent impact", "Current impact"),
             "Impact", "Use 1 (Negligible) to 5 (Catastrophic)."),
            ('"' + ",".join(STATUS_WORDS.values()) + '"', ("Status",),
             "Status", "Use Open, Escalated or Closed."),
            ('"' + ",".join(TREATMENT_WORDS.values()) + '"', ("Treatment",),
             "Treatment", "Use Treat, Tolerate, Transfer or Terminate, or leave it empty."),
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
            font = Font(color=text_colour_on(b.colour), bold=True)
            ws.conditional_formatting.add(
                f"{word_col}2:{word_col}{last_row}",
                CellIsRule(operator="equal", formula=[f'"{b.name}"'], fill=fill, font=font))
            for heading in ("Inherent score", "Current score"):
                col = _COL[heading]
                ws.conditional_formatting.add(
                    f"{col}2:{col}{last_row}",
                    FormulaRule(formula=[f"AND(ISNUMBER({col}2),{col}2>={b.low},{col}2<={b.high})"],
                                fill=fill, font=font))

    def write_heat_map(self, counts: dict[tuple[int, int], int]) -> None:
        ws = self.wb[HEAT_MAP_SHEET]
        ws.column_dimensions["A"].width = 14
        ws.column_dimensions["B"].width = 18
        for letter in "CDEFG":
            ws.column_dimensions[letter].width = 17
        self._page(ws, "Risk heat map")
        for n in range(6, 11):  # rows take their height when written, so set it first
            ws.row_dimensions[n].height = 36
        live = sum(counts.values())
        ws.append([self.cell(ws, f"Current risk heat map: {live} open risks as at "
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
                row.append(self.cell(ws, counts.get((likelihood, impact), 0),
                                     _matrix_style(band(likelihood * impact, self.bands))))
            ws.append(row)
        ws.merged_cells.add("A6:A10")
        ws.append([])
        ws.append([self.cell(ws, "Score = likelihood x impact. Bands: " + "; ".join(
            f"{b.name} {b.low}-{b.high}" for b in self.bands) + ". See the Key sheet.", "plain")])

    def write_key(self) -> None:
        ws = self.wb[KEY_SHEET]
        for letter, column in zip("AB", _KEY_COLUMNS, strict=True):
            ws.column_dimensions[letter].width = column.width
        self._page(ws, KEY_TITLE, landscape=False)
        ws.append([self.cell(ws, KEY_TITLE, "title")])
        ws.append([])
        rows: list[tuple[str, str, str | None]] = [
            ("Score", "Likelihood x impact, each scored 1 to 5 on the NHS 5x5 matrix.", None),
            ("Inherent", "The score before any controls or mitigating actions.", None),
            ("Current", "The score now, with existing controls in place.", None),
            ("Target", "The score the owner aims for once the actions are done "
                       "(shown as score, then likelihood x impact).", None),
            ("Trend", "The change in the current score since the previous review: "
                      "\u2191 Rising, \u2193 Falling, \u2192 No change.", None),
            *((f"Treatment: {TREATMENT_WORDS[t]}", TREATMENT_MEANINGS[t], None)
              for t in TREATMENT_MEANINGS),
            ("Mitigating actions", "Every risk's actions, with their own owner, due date and "
                                   "status; the actions of a closed risk are not overdue.", None),
            ("Protective marking", self.marking, None),
        ]
        if self.marked:
            rows.append((NOT_AGREED.capitalize(),
                         "Two copies of the register were brought together and hold different "
                         "values here; the log shows this copy's until the programme office "
                         "settles which is right (the conflict's ref, C-001, is given).", None))
        rows += [(f"Likelihood {n}", label, None) for n, label in enumerate(LIKELIHOOD_LABELS, 1)]
        rows += [(f"Impact {n}", label, None) for n, label in enumerate(IMPACT_LABELS, 1)]
        rows += [(b.name, f"Scores {b.low} to {b.high}", b.colour) for b in self.bands]
        wrapping = _wrapping(_KEY_COLUMNS)
        for number, (name, text, colour) in enumerate(rows, 3):
            # a streamed row takes its height when written, so it is set first
            ws.row_dimensions[number].height = _row_height([name, text], wrapping)
            style = STYLES["text"]
            if colour:
                style = CellStyle(Font(name="Arial", size=9, bold=True,
                                       color=text_colour_on(colour)),
                                  _BORDER, PatternFill("solid", fgColor=colour), style.alignment)
            ws.append([self.cell(ws, name, style), self.cell(ws, text, "text")])


def _matrix_style(b: Band) -> CellStyle:
    """A heat map cell: the band's colour, and its word before the count (never colour alone)."""
    return CellStyle(Font(name="Arial", size=10, bold=True, color=text_colour_on(b.colour)),
                     _BORDER, PatternFill("solid", fgColor=b.colour),
                     Alignment(horizontal="center", vertical="center"), f'"{b.name}: "0')


def _row_height(values: Sequence[Any], wrapping: Sequence[tuple[int, int]]) -> float:
    """Points for a row whose wrapped text cells need this many lines at 9pt Arial;
    `wrapping` is `_wrapping(columns)`."""
    lines = 1
    for index, per_line in wrapping:
        value = values[index]
        if isinstance(value, str) and (len(value) > per_line or "\n" in value):
            lines = max(lines, sum(_wrapped_lines(p, per_line) for p in value.split("\n")))
    return min(11.5 * lines + 4, 409.0)


def _wrapped_lines(text: str, per_line: int) -> int:
    """Lines a paragraph takes when wrapped at spaces, as a spreadsheet wraps it: counting
    characters alone gave "Head of Communications and Engagement" two lines where it takes
    three, and the third was cut off in print."""
    if len(text) <= per_line:
        return 1
    lines, width = 1, 0
    for word in text.split(" "):
        size = len(word)
        if width and width + 1 + size > per_line:
            lines, width = lines + 1, 0
        if size > per_line:  # a word longer than the line is broken across lines
            lines += (size - 1) // per_line
            size = (size - 1) % per_line + 1
        width += size + (1 if width else 0)
    return lines


def _wrapping(columns: Sequence[Column]) -> list[tuple[int, int]]:
    """(index, characters per line) of the text columns that can wrap: a width counts Arial
    10 digits (the Normal font), and 9 pt Arial prose fits about 1.2 characters to one."""
    return [(i, max(int(c.width * 1.2), 4)) for i, c in enumerate(columns) if c.kind == "text"]


_LOG_WRAP = _wrapping(LOG_COLUMNS)
# A row with a mark: a number or date cell carries text too, and wraps like the rest.
_LOG_WRAP_ALL = [(i, max(int(c.width * 1.2), 4)) for i, c in enumerate(LOG_COLUMNS)]
_LOG_COLUMN_FIELDS = _column_fields(LOG_COLUMNS)
_CLOSED_COLUMN_FIELDS = _column_fields(CLOSED_COLUMNS)


def _labels(columns: Sequence[Column]) -> list[str]:
    """What a note calls each column's text: its heading, the risk's title as "title"."""
    words = [" ".join(c.heading.split()).lower() for c in columns]
    return ["title" if w == "risk" else w for w in words]


_LOG_LABELS = _labels(LOG_COLUMNS)
_CLOSED_LABELS = _labels(CLOSED_COLUMNS)


@functools.cache
def _action_labels(number: int) -> list[str]:
    return [f"mitigating action {number}" if w == "mitigating action" else w
            for w in _labels(ACTION_COLUMNS)]

_ACTION_WRAP = _wrapping(ACTION_COLUMNS)
_CLOSED_WRAP = _wrapping(CLOSED_COLUMNS)
_KEY_COLUMNS = (Column("", 22), Column("", 74))


def _hf(text: str) -> str:
    """Header/footer text: '&' starts a code there, so a literal one is doubled."""
    return text.replace("&", "&&")

