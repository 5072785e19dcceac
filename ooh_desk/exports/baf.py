"""The Board Assurance Framework as a Word report, as a governing body receives it: a summary
table (objective | principal risk | current | target | trend | assurance rating), a heat map
of the principal risks, then per strategic objective each principal risk with its inherent,
current and target scores (bands in words), target date, trend, controls, sources of
assurance by line, and gaps in control and assurance with the actions closing them (overdue
said in words). Written in the NHS house style with the writer's accessible tables (header
rows repeated, alt text), real headings, a document title and en-GB. Reads the register,
never writes it. Imports no Qt.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from docx.document import Document

from ..domain.assurance import (
    LEVEL_FILLS,
    LEVELS,
    LINE_HEADINGS,
    LINES,
    RULE,
    Baf,
    Gap,
    Objective,
    PrincipalRisk,
)
from ..domain.board_dates import long_date
from ..domain.prose import counted, spoken
from ..domain.scoring import band
from ..errors import atomic_output, check_folder
from ..store import Register
from ..store.assurance import scores_as_at
from . import blocks, writer
from .blocks import OVERDUE_FILL, ReportData, _score_cell
from .report import TEMPLATES
from .styles import nhs_cover
from .styles.common import organisation_header
from .writer import CellSpec, Writer

TITLE = "Board Assurance Framework"
_RATING_WORDS = {"positive": "Positive", "negative": "Negative", "none": "None yet"}


def build_baf_document(reg: Register, baf: Baf, data: ReportData) -> Document:
    """The framework as a python-docx Document, not yet saved. `data` carries the
    programme and the principal risks (for the heat map and band colours)."""
    template = TEMPLATES / "nhs-cover.docx"
    doc = writer.open_template(template if template.exists() else None,
                               nhs_cover.build_template)
    w = Writer(doc)
    programme = data.programme
    organisation_header(w, programme.organisation, nhs_cover.FONTS)
    w.title(TITLE)
    w.para(programme.name).runs[0].bold = True
    w.para(f"As at {long_date(baf.as_at)}")

    w.heading("1. Summary")
    w.para(_summary_sentence(baf, data))
    _summary_table(w, baf, data)
    overdue = baf.overdue_gaps()
    if overdue:
        w.para(f"{counted(len(overdue), 'action', start=True)} closing a gap "
               f"{'is' if len(overdue) == 1 else 'are'} overdue: "
               + "; ".join(f"{g.risk_ref} ({g.words})" for g in overdue) + ".")

    w.heading("2. Heat map of principal risks")
    blocks.heat_map(w, data)

    number = 2
    written: dict[str, str] = {}  # risk ref -> the objective it is written under
    for objective in baf.objectives:
        number += 1
        w.heading(f"{number}. {objective.ref}: {objective.objective}")
        w.para(_objective_line(objective)).paragraph_format.keep_with_next = True
        found = baf.for_objective(objective)
        if not found:
            w.para("No principal risk is linked to this objective.")
        for p in found:
            if p.ref in written:
                w.para(f"{p.ref} {p.risk.title} threatens this objective too: it is set out "
                       f"under {written[p.ref]} above.")
                continue
            written[p.ref] = objective.ref
            _principal_risk(w, p, baf, data)
    unlinked = baf.unlinked()
    if unlinked:
        number += 1
        w.heading(f"{number}. Principal risks not linked to an objective")
        for p in unlinked:
            _principal_risk(w, p, baf, data)

    number += 1
    w.heading(f"{number}. How this framework is read")
    w.para("Scores are likelihood x impact on the 5x5 matrix, with the band named in words: "
           + "; ".join(f"{b.name} {b.low} to {b.high}" for b in programme.bands) + ".")
    w.para("Sources of assurance sit on three lines: the first is management's own "
           "reporting, the second oversight or specialist functions, the third independent "
           "review such as internal or external audit.")
    w.para(f"The overall assurance rating follows one rule. {RULE}")
    w.para("Trend compares the current score with the one before it in the risk's review "
           "history up to the date of this framework.")
    writer.finish(doc, title=f"{TITLE} as at {long_date(baf.as_at)}",
                  subject=programme.organisation or programme.name,
                  author=programme.organisation or "OOH Desk",
                  keywords=f"{programme.name}; Board Assurance Framework",
                  comments=f"Written by OOH Desk from the register {reg.path.name} as at "
                           f"{long_date(baf.as_at)}.",
                  marking=programme.protective_marking)
    return doc


def write_baf(reg: Register, baf: Baf, data: ReportData, output: str | os.PathLike) -> Path:
    out = check_folder(output)
    doc = build_baf_document(reg, baf, data)
    with atomic_output(out) as temp:
        doc.save(temp)
    return Path(out)


def baf_report_data(reg: Register, baf: Baf, as_at: date) -> ReportData:
    """What the shared blocks (the heat map, score cells) need: the principal risks alone."""
    return ReportData(programme=reg.programme, as_at=as_at,
                      risks=[p.risk for p in baf.principal], milestones=[], feedback=[],
                      actions=[], scores=scores_as_at(reg, as_at))


# --- pieces -----------------------------------------------------------------------------------------


def _objective_line(o: Objective) -> str:
    parts = [f"Executive lead: {o.lead or 'not named'}",
             f"lead committee: {o.committee or 'not named'}"]
    return ". ".join(p[:1].upper() + p[1:] for p in parts) + "."


def _summary_sentence(baf: Baf, data: ReportData) -> str:
    if not baf.principal:
        return ("No risk is marked for the Board Assurance Framework yet: mark principal risks "
                "with baf: yes and link them to objectives.")
    bands = data.programme.bands
    by_band = {}
    for p in baf.principal:
        if p.risk.current:
            name = band(p.risk.current.score, bands).name
            by_band[name] = by_band.get(name, 0) + 1
    levels = {level: sum(1 for p in baf.principal if p.level == level) for level in LEVELS}
    scored = ", ".join(f"{n} {name}" for name, n in
                       sorted(by_band.items(), key=lambda kv: -next(
                           b.high for b in bands if b.name == kv[0])))
    rated = ", ".join(f"{n} {level}" for level, n in levels.items() if n)
    passed = [p.ref for p in baf.principal if p.target_passed]
    tail = (f" The target date of {', '.join(passed)} has passed with the score still above "
            "target." if passed else "")
    return (f"{counted(len(baf.objectives), 'strategic objective', start=True)} "
            f"{'is' if len(baf.objectives) == 1 else 'are'} threatened by "
            f"{counted(len(baf.principal), 'principal risk')} (current scores: "
            f"{scored or 'none scored'}). Assurance: {rated}.{tail}")


def _level_cell(p: PrincipalRisk) -> CellSpec:
    return CellSpec(p.level, fill=LEVEL_FILLS[p.level])


def _summary_table(w: Writer, baf: Baf, data: ReportData) -> None:
    rows: list[list] = []
    spans = []
    groups = [(f"{o.ref}: {o.objective}", baf.for_objective(o)) for o in baf.objectives]
    if baf.unlinked():
        groups.append(("Not linked to an objective", baf.unlinked()))
    for name, found in groups:
        if not found:
            continue
        start = len(rows)
        for p in found:
            rows.append([CellSpec(name if len(rows) == start else "", bold_first=True),
                         CellSpec(f"{p.ref}\n{p.risk.title}", bold_first=True),
                         _score_cell(data, p.risk.current), _score_cell(data, p.risk.target),
                         p.trend_words, _level_cell(p)])
        spans.append((start + 1, len(rows)))
    if not rows:
        return
    table = w.table(["Strategic objective", "Principal risk", "Current", "Target", "Trend",
                     "Assurance rating"], [4.2, 5.2, 2.3, 2.3, 1.9, 2.4], rows,
                    caption="Summary of the Board Assurance Framework",
                    description=f"{spoken(len(rows)).capitalize()} rows: each strategic "
                                "objective with its principal risks, their current and target "
                                "scores with the band in words, trend in words and overall "
                                "assurance rating in words.")
    w.merge_down(table, 0, spans)


def _principal_risk(w: Writer, p: PrincipalRisk, baf: Baf, data: ReportData) -> None:
    r = p.risk
    w.heading(f"{r.ref} {r.title}", 2)
    if r.description and r.description != r.title:
        w.para(r.description)
    w.para(f"Risk owner: {r.owner or 'not assigned'}."
           + (f" Reviewed by: {r.reviewed_by}." if r.reviewed_by else "")
           + (f" Status: {r.status}." if r.status != "open" else ""))
    unknown = baf.unknown_objectives.get(r.ref)
    if unknown:
        w.para(f"It names {', '.join(unknown)}, which {'is' if len(unknown) == 1 else 'are'} "
               "not a strategic objective in the register.")
    w.table(["Inherent score", "Current score", "Target score", "Target date", "Trend"],
            [2.6, 2.6, 2.6, 5.2, 2.6],
            [[_score_cell(data, r.inherent), _score_cell(data, r.current),
              _score_cell(data, r.target),
              CellSpec(p.target_words(baf.as_at), fill=OVERDUE_FILL if p.target_passed
                       else None), p.trend_words]],
            caption=f"Scores of {r.ref}",
            description="The risk's inherent, current and target scores (likelihood x impact "
                        "with the band in words), the date the target score is to be "
                        "reached, and the trend in words.")
    w.para(f"Overall assurance rating: {p.level}, because {p.level_reason}.")
    controls = p.controls()
    w.para(bold_label="Controls in place")
    if controls:
        for c in controls:
            w.bullet(c)
    else:
        w.para("No controls are recorded.")
    w.para(bold_label="Sources of assurance, by line")
    _assurance_table(w, p)
    w.para(bold_label="Gaps in control and assurance, and the actions to close them")
    _gaps_table(w, p.gaps, r.ref)


def _assurance_table(w: Writer, p: PrincipalRisk) -> None:
    rows: list[list] = []
    spans = []
    for line, items in p.by_line().items():
        start = len(rows)
        if not items:
            rows.append([CellSpec(LINE_HEADINGS[line], bold_first=True),
                         CellSpec("No source of assurance on this line", fill=OVERDUE_FILL
                                  if line == 3 else None), "", "", ""])
        for a in items:
            rows.append([CellSpec(LINE_HEADINGS[line] if len(rows) == start else "",
                                  bold_first=True),
                         a.control or "Not named", a.source or "Not named",
                         a.date.text if a.date else "Not dated",
                         CellSpec(_RATING_WORDS[a.rating], fill=_rating_fill(a.rating))])
        spans.append((start + 1, len(rows)))
    table = w.table(["Line", "Control", "Source of assurance", "Date", "Assurance"],
                    [3.4, 4.6, 4.6, 2.4, 2.0], rows, caption=f"Sources of assurance for {p.ref}",
                    description=f"The sources of assurance on {p.ref}'s controls, grouped by "
                                f"line ({', '.join(f'{n} {LINES[n]}' for n in LINES)}), each "
                                "with its date and whether it gave positive or negative "
                                "assurance, in words.")
    w.merge_down(table, 0, spans)


def _rating_fill(rating: str) -> str | None:
    return {"positive": "C6EFCE", "negative": "FFC7CE"}.get(rating)


def _gaps_table(w: Writer, gaps: Sequence[Gap], ref: str) -> None:
    if not gaps:
        w.para("No gap in control or in assurance is recorded.")
        return
    rows = []
    for g in gaps:
        action = g.action.description if g.action is not None else (
            g.action_ref or "None set")
        rows.append([g.label, g.text, f"{g.action_ref}\n{action}" if g.action is not None
                     else action,
                     CellSpec(g.words, fill=OVERDUE_FILL if g.overdue or g.state in (
                         "no action", "unknown action") else None)])
    late = sum(g.overdue for g in gaps)
    w.table(["Gap", "What is missing", "Action to close it", "Where it stands"],
            [2.4, 5.6, 5.0, 4.0], rows, caption=f"Gaps for {ref}",
            description=f"{spoken(len(rows)).capitalize()} gaps in control or assurance on "
                        f"{ref}, each with the action closing it and where that stands; "
                        f"{late} overdue, said in words.")
