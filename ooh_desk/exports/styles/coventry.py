"""Coventry City Council house style: the To / Date / From / Title block, numbered headings
(1 Purpose, 2 Recommendations, 3 Information/Background, 4 Options Considered and
Recommended Proposal), Report Author(s), then the Appendices. Copy this module to make a new
council's style. Imports python-docx and the domain only: no Qt, no register."""

from __future__ import annotations

from docx.document import Document
from docx.shared import Cm

from ...domain.board_dates import long_date
from ...domain.papers import Paper, repeats
from ...domain.prose import the
from .. import blocks
from ..blocks import ReportData
from ..writer import Writer
from .common import (
    Fonts,
    author_line,
    build_base,
    missing_fields,
    organisation_header,
    plan_appendices,
    recommendations,
    write_appendices,
    write_own_sections,
)

NAME = "coventry"
LABEL = "Coventry-style report (To / Date / From)"
# The reviewing body a draft report is addressed to, when the register names one.
COMMITTEE_HINT = "Health and Wellbeing"
FONTS = Fonts(name="Arial", body=12, title=20, heading1=14, heading2=12, table=10)

# Extra narrative sections, in the order Coventry reports put them after the options.
_IMPLICATIONS = (("financial", "Financial implications"), ("legal", "Legal implications"),
                 ("risk", "Risk management"), ("equality", "Equality implications"),
                 ("ppi", "Patient and public involvement"), ("objectives", "Corporate priorities"))


def build_template(doc: Document) -> None:
    build_base(doc, FONTS, margins_cm=2.2)  # the header names the register's organisation


def write(w: Writer, paper: Paper, data: ReportData) -> None:
    appendices = plan_appendices(paper, APPENDICES)
    numbers = {a.title: a.number for a in appendices}

    organisation_header(w, data.programme.organisation, FONTS)
    w.title("Report")
    when = long_date(paper.meeting_date) if paper.meeting_date else ""
    block = (("To:", paper.committee, "committee"), ("Date:", when, "meeting date"),
             ("From:", author_line(paper), "author"), ("Title:", paper.title, "title"))
    missing_fields(w, paper, [name for _, value, name in block if not value],
                   "those lines are left out of the To / Date / From block")
    for label, value, _ in block:
        if not value:
            continue
        p = w.para(bold_label=f"{label}\t")
        p.add_run(value).bold = label == "Title:"
        p.paragraph_format.tab_stops.add_tab_stop(Cm(2.2))

    w.heading("1 Purpose")
    w.text_block(paper.section("purpose") or f"To update {the(paper.committee or 'meeting')} "
                 f"on the {data.programme.name}.")

    w.heading("2 Recommendations")
    lead, items = recommendations(paper, paper.committee)
    w.para(lead)
    for n, item in enumerate(items, 1):
        w.para(item, label=f"2.{n}")

    w.heading("3 Information/Background")
    w.text_block(paper.section("background"))
    if paper.section("summary") and paper.section("summary") not in paper.section("background"):
        w.text_block(paper.section("summary"))
    if "timeline" in paper.blocks:
        w.heading("Indicative timeline", 2)
        w.para("The milestones still to be reached, with their dates as the programme board "
               "wrote them and their status as at " + long_date(data.as_at) + ":")
        blocks.compact_timeline(w, data, numbered=True, open_only=True)
        if "Milestone timeline" in numbers:
            w.para(f"Every milestone, with its baseline, forecast and actual dates, is at "
                   f"Appendix {numbers['Milestone timeline']}.")
    if "heat-map" in paper.blocks or "risk-log" in paper.blocks:
        w.heading("Risks", 2)
        if paper.section("risk"):
            w.text_block(paper.section("risk"))
        if "heat-map" in paper.blocks:
            blocks.heat_map(w, data, paper.include_closed_risks)
        if "Risk log" in numbers:
            w.para(f"The risk log, with each risk's mitigating actions, is at "
                   f"Appendix {numbers['Risk log']}.")
    if "feedback" in paper.blocks:
        w.heading("Engagement", 2)
        w.text_block(paper.section("ppi") or blocks.engagement_sentence(data))
        w.para(f"What people said, and what was done as a result, is at Appendix "
               f"{numbers['Engagement feedback']}.")

    w.heading("4 Options Considered and Recommended Proposal")
    if "options" in paper.blocks:  # the options appraisal, after any words of the author's
        if paper.section("options"):
            w.text_block(paper.section("options"))
        blocks.options_appraisal(w, data)
    else:
        w.text_block(paper.section("options") or "This report is for information. No options "
                     "are proposed.")
    number = 5
    for key, heading in _IMPLICATIONS:
        if key == "risk" and ("heat-map" in paper.blocks or "risk-log" in paper.blocks):
            continue  # already under Risks
        if key == "ppi" and "feedback" in paper.blocks:
            continue
        if paper.section(key):
            w.heading(f"{number} {heading}")
            w.text_block(paper.section(key))
            number += 1
    # Every other section (Contract History, Governance, Next Steps …) follows, numbered on,
    # under the author's own heading and in the author's order.
    placed = {"purpose", "recommendations", "background", "summary", "options",
              *(key for key, _ in _IMPLICATIONS)}
    if repeats(paper.section("key_issues"), paper.section("summary")):
        placed.add("key_issues")  # the draft's key issues are its summary's first sentences

    def numbered(heading: str) -> None:
        nonlocal number
        w.heading(f"{number} {heading}")
        number += 1

    write_own_sections(w, paper, placed, numbered)

    closing = w.mark()  # the author and the list of appendices print together
    authors = [(label, value) for label, value in (
        ("Name and Job Title: ", author_line(paper)), ("Directorate: ", paper.directorate),
        ("Telephone and E-mail Contact: ", paper.contact)) if value]
    if authors:  # an empty line is left out, never filled with "Not stated"
        w.heading("Report Author(s)", 2)
        for label, value in authors:
            w.para(value, bold_label=label)
        w.para("Enquiries should be directed to the above person.")

    if appendices:
        w.heading("Appendices", 2)
        for a in appendices:
            w.para(f"Appendix {a.number} {a.title}")
    w.keep_since(closing)
    write_appendices(w, data, appendices, separator=" ")


# The register blocks this style puts at the back, in its order and its words.
APPENDICES = (
    ("timeline", "Milestone timeline"),
    ("actions", "Open actions"),
    ("feedback", "Engagement feedback"),
    ("decisions", "Decisions"),
    ("risk-log", "Risk log"),
)
