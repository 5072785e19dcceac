"""The Board Assurance Framework as an Excel workbook (`export REGISTER baf -o BAF.xlsx`): the
same framework as the Word report, a sheet per part — the summary (one row per objective and
principal risk, scores with their band in words as well as colour), sources of assurance by
line, gaps with their actions (overdue in words), the objectives, and a heat map of the
principal risks. Each sheet has a frozen, filterable header row repeated when printed,
landscape fit to width and the protective marking in its header. Imports no Qt and no SQL.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from ..domain.assurance import LEVEL_FILLS, LINES, Baf
from ..domain.board_dates import long_date
from ..domain.scoring import IMPACT_LABELS, LIKELIHOOD_LABELS, band, text_colour_on
from ..errors import atomic_output, check_folder
from ..store import Register
from .xlsx_rows import clean_text, needs_quote

HEADER_FILL = "1F3864"  # as the risk log's
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = Font(name="Arial", size=9)
_WRAP = Alignment(vertical="top", wrap_text=True)
OVERDUE_FILL = "FFC7CE"

SUMMARY = "BAF summary"
ASSURANCES = "Sources of assurance"
GAPS = "Gaps and actions"
OBJECTIVES = "Objectives"
HEAT_MAP = "Heat map"


def write_baf_workbook(reg: Register, baf: Baf, output: str | os.PathLike) -> None:
    out = check_folder(output)
    programme = reg.programme
    bands = programme.bands
    marking = programme.protective_marking or "OFFICIAL"
    title = f"Board Assurance Framework as at {long_date(baf.as_at)}"
    wb = Workbook()
    wb.remove(wb.active)

    summary = []
    for o in [*baf.objectives, None]:
        found = baf.for_objective(o) if o is not None else baf.unlinked()
        for p in found:
            r = p.risk
            scores = []
            for rating in (r.inherent, r.current, r.target):
                b = band(rating.score, bands) if rating else None
                scores += [(rating.score if rating else None, b.colour if b else None),
                           (b.name if b else "Not scored", b.colour if b else None)]
            open_gaps = [g for g in p.gaps if g.open]
            when = r.target_date.text if r.target_date else ""
            summary.append([
                o.ref if o else "", o.objective if o else "Not linked to an objective",
                r.ref, r.title, r.owner, *scores,
                (f"{when} (passed, score above target)" if p.target_passed else when,
                 OVERDUE_FILL if p.target_passed else None),
                p.trend_words, (p.level, LEVEL_FILLS[p.level]), p.level_reason,
                len(open_gaps),
                (", ".join(g.action_ref for g in open_gaps if g.overdue) or "None",
                 OVERDUE_FILL if any(g.overdue for g in open_gaps) else None)])
    _sheet(wb, SUMMARY, title, marking,
           [("Objective", 9), ("Strategic objective", 28), ("Risk", 7), ("Principal risk", 26),
            ("Owner", 16), ("Inherent score", 8), ("Inherent band", 9),
            ("Current score", 8), ("Current band", 9), ("Target score", 8),
            ("Target band", 9), ("Target date", 14), ("Trend", 10), ("Assurance rating", 11),
            ("Why", 28), ("Open gaps", 6), ("Overdue actions", 10)], summary)

    rows = []
    for p in baf.principal:
        for line, items in p.by_line().items():
            if not items:
                rows.append([p.ref, line, LINES[line], "", ("No source of assurance on this "
                                                            "line", None), "", "", "", "", ""])
            for a in items:
                rows.append([p.ref, line, LINES[line], a.control, a.source,
                             a.date.text if a.date else "",
                             (a.rating, {"positive": "C6EFCE", "negative": "FFC7CE"}
                              .get(a.rating)),
                             a.gap_in_control, a.gap_in_assurance, a.action_ref])
    _sheet(wb, ASSURANCES, f"Sources of assurance as at {long_date(baf.as_at)}", marking,
           [("Risk", 8), ("Line", 6), ("Line of assurance", 20), ("Control", 30),
            ("Source of assurance", 30), ("Date", 14), ("Assurance", 11),
            ("Gap in control", 30), ("Gap in assurance", 30), ("Action", 9)], rows)

    rows = []
    for g in baf.gaps():
        action = g.action
        rows.append([g.risk_ref, g.label, g.text, g.action_ref,
                     action.description if action else "", action.owner if action else "",
                     action.due.text if action and action.due else "",
                     (g.state, OVERDUE_FILL if g.overdue else None), g.words])
    _sheet(wb, GAPS, f"Gaps in control and assurance as at {long_date(baf.as_at)}", marking,
           [("Risk", 8), ("Gap", 16), ("What is missing", 36), ("Action", 9),
            ("Action to close it", 36), ("Owner", 18), ("Due", 14), ("State", 12),
            ("Where it stands", 36)], rows)

    _sheet(wb, OBJECTIVES, "Strategic objectives", marking,
           [("Ref", 8), ("Objective", 50), ("Executive lead", 24), ("Lead committee", 28),
            ("Principal risks", 20)],
           [[o.ref, o.objective, o.lead, o.committee,
             ", ".join(p.ref for p in baf.for_objective(o))] for o in baf.objectives])
    _heat_map(wb, baf, bands, marking)
    with atomic_output(out) as temp:
        wb.save(temp)


def _value(cell: Any, value: Any) -> None:
    """A str is always text, never a formula: '=1+1' typed by a user stays what they typed."""
    if isinstance(value, str):
        value = clean_text(value)
        cell.value = value
        if needs_quote(value):
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value


def _sheet(wb: Workbook, name: str, title: str, marking: str,
           columns: Sequence[tuple[str, float]], rows: Sequence[Sequence[Any]]) -> None:
    """A sheet of rows under a header: each value plain, or (value, fill) for a coloured
    cell whose words say the same as its colour."""
    ws = wb.create_sheet(name)
    for n, (heading, width) in enumerate(columns, 1):
        cell = ws.cell(row=1, column=n)
        _value(cell, heading)
        cell.font = Font(name="Arial", size=9, bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = _WRAP
        cell.border = _BORDER
        ws.column_dimensions[get_column_letter(n)].width = width
    ws.row_dimensions[1].height = _height([h for h, _ in columns], columns)
    for r, values in enumerate(rows, 2):
        ws.row_dimensions[r].height = _height(
            [v[0] if isinstance(v, tuple) else v for v in values], columns)
        for c, value in enumerate(values, 1):
            fill = None
            if isinstance(value, tuple):
                value, fill = value
            cell = ws.cell(row=r, column=c)
            _value(cell, value)
            cell.font = Font(name="Arial", size=9, color=text_colour_on(fill)) if fill else _FONT
            if fill:
                cell.fill = PatternFill("solid", fgColor=fill)
            cell.alignment = _WRAP
            cell.border = _BORDER
    if not rows:
        _value(ws.cell(row=2, column=1), "None recorded")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 2)}"
    ws.print_title_rows = "1:1"
    _page(ws, title, marking)


def _height(values: Sequence[Any], columns: Sequence[tuple[str, float]]) -> float:
    """A row tall enough for its wrapped text (a spreadsheet does not always work it out
    when the file is opened): the most lines any cell needs at its column's width, 12 points
    a line of 9-point text."""
    lines = 1
    for value, (_, width) in zip(values, columns, strict=False):
        text = "" if value is None else str(value)
        need = sum(max(1, -(-len(part) // max(int(width * 1.1), 1))) for part in text.split("\n"))
        lines = max(lines, need)
    return 12.0 * lines + 2


def _page(ws: Any, title: str, marking: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.oddHeader.left.text = f"&B{title.replace('&', '&&')}&B"
    ws.oddHeader.right.text = f"&B{marking.replace('&', '&&')}&B"
    ws.oddFooter.center.text = "Page &P of &N"


def _heat_map(wb: Workbook, baf: Baf, bands: Any, marking: str) -> None:
    ws = wb.create_sheet(HEAT_MAP)
    ws.column_dimensions["A"].width = 20
    for letter in "BCDEF":
        ws.column_dimensions[letter].width = 18
    cells: dict[tuple[int, int], list[str]] = {}
    for p in baf.principal:
        if p.risk.current:
            cells.setdefault((p.risk.current.likelihood, p.risk.current.impact), []).append(p.ref)
    _value(ws.cell(row=1, column=1), f"Principal risks by current score as at "
                                     f"{long_date(baf.as_at)}: each cell names its band and "
                                     "the principal risks in it")
    ws.cell(row=1, column=1).font = Font(name="Arial", size=11, bold=True)
    header = ["Likelihood / Impact", *(f"{n} {label}" for n, label in
                                        enumerate(IMPACT_LABELS, 1))]
    for c, text in enumerate(header, 1):
        cell = ws.cell(row=3, column=c)
        _value(cell, text)
        cell.font = Font(name="Arial", size=9, bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.border = _BORDER
    for n, likelihood in enumerate(range(5, 0, -1), 4):
        _value(ws.cell(row=n, column=1), f"{likelihood} {LIKELIHOOD_LABELS[likelihood - 1]}")
        ws.cell(row=n, column=1).font = Font(name="Arial", size=9, bold=True)
        ws.row_dimensions[n].height = 36
        for impact in range(1, 6):
            b = band(likelihood * impact, bands)
            refs = cells.get((likelihood, impact), [])
            cell = ws.cell(row=n, column=impact + 1)
            _value(cell, f"{b.name} ({likelihood * impact})" + (f"\n{', '.join(refs)}"
                                                                 if refs else ""))
            cell.fill = PatternFill("solid", fgColor=b.colour)
            cell.font = Font(name="Arial", size=9, color=text_colour_on(b.colour))
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = _BORDER
    _page(ws, "Heat map of principal risks", marking)
