"""Coventry City Council house style: the To / Date / From / Title block, numbered headings
(1 Purpose, 2 Recommendations, 3 Information/Background, 4 Options Considered and
Recommended Proposal), Report Author(s), then the Appendices. Copy this module to make a new
council's style. Imports python-docx and the domain only: no Qt, no register."""

from __future__ import annotations

from docx.document import Document
from docx.shared import Cm

from ...domain.board_dates import long_date
from ...domain.papers import Paper
from .. import blocks
from ..blocks import ReportData
from ..writer import Writer
from .common import Fonts, author_line, build_base, plan_appendices, recommendations, write_appendices

NAME = "coventry"
LABEL = "Coventry City Council report"
COUNCIL = "Coventry City Council"
# The reviewing body a draft report is addressed to, when the register names one.
COMMITTEE_HINT = "Health and Wellbeing"
FONTS = Fonts(name="Arial", body=12, title=20, heading1=14, heading2=12, table=10)

# Extra narrative sections, in the order Coventry reports put them after the options.
_IMPLICATIONS = (("financial", "Financial implications"), ("legal", "Legal implications"),
                 ("risk", "Risk management"), ("equality", "Equality implications"),
                 ("ppi", "Patient and public involvement"), ("objectives", "Corporate priorities"))


def build_template(doc: Document) -> None:
    build_base(doc, FONTS, header=COUNCIL, margins_cm=2.2)


def write(w: Writer, paper: Paper, data: ReportData) -> None:
    appendices = plan_appendices(paper, APPENDICES)
    numbers = {a.title: a.number for a in appendices}

    w.title("Report")
    when = long_date(paper.meeting_date) if paper.meeting_date else "To be confirmed"
    for label, value in (("To:", paper.committee or "To be confirmed"), ("Date:", when),
                         ("From:", author_line(paper)), ("Title:", paper.title)):
        p = w.para(bold_label=f"{label}\t")
        p.add_run(value).bold = label == "Title:"
        p.paragraph_format.tab_stops.add_tab_stop(Cm(2.2))

    w.heading("1 Purpose")
    w.text_block(paper.section("purpose") or f"To update the {paper.committee} on the "
                 "programme.")

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

    w.heading("Report Author(s)", 2)
    for label, value in (("Name and Job Title: ", author_line(paper)),
                         ("Directorate: ", paper.directorate or "Not stated"),
                         ("Telephone and E-mail Contact: ", paper.contact or "Not stated")):
        w.para(value, bold_label=label)
    w.para("Enquiries should be directed to the above person.")

    if appendices:
        w.heading("Appendices", 2)
        for a in appendices:
            w.para(f"Appendix {a.number} {a.title}")
    write_appendices(w, data, appendices, separator=" ")


# The register blocks this style puts at the back, in its order and its words.
APPENDICES = (
    ("timeline", "Milestone timeline"),
    ("actions", "Open actions"),
    ("feedback", "Engagement feedback"),
    ("decisions", "Decisions"),
    ("risk-log", "Risk log"),
)
