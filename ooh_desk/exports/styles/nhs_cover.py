"""NHS governing-body cover sheet style (as Sheffield CCG's): a cover table with author,
sponsor, the decision sought (Approval / Consideration / Noting, one ticked, and said in
words), purpose, key issues, resource implications, objectives, equality impact assessment,
patient and public engagement and recommendations; then the report body and appendices.
Copy this module to make a new organisation's style. Imports python-docx and the domain only."""

from __future__ import annotations

from docx.document import Document
from docx.shared import RGBColor

from ...domain.board_dates import MONTH_NAMES, long_date
from ...domain.papers import DECISIONS, Paper
from .. import blocks
from ..blocks import ReportData
from ..writer import CellSpec, Writer
from .common import Fonts, author_line, build_base, plan_appendices, recommendations, write_appendices

NAME = "nhs-cover"
LABEL = "NHS governing body cover sheet and report"
NHS_BLUE = RGBColor(0x00, 0x5E, 0xB8)
# The reviewing body a draft report is addressed to, when the register names one.
COMMITTEE_HINT = "Governing Bod"
FONTS = Fonts(name="Arial", body=11, title=16, heading1=13, heading2=11, table=10,
              heading_colour=NHS_BLUE)
TICKED, UNTICKED = "\u2612", "\u2610"


def build_template(doc: Document) -> None:
    build_base(doc, FONTS, header="NHS", header_colour=NHS_BLUE, margins_cm=2.0)


def write(w: Writer, paper: Paper, data: ReportData) -> None:
    appendices = plan_appendices(paper, APPENDICES)
    numbers = {a.title: a.number for a in appendices}
    meeting = f"{paper.committee or 'Governing Body'} meeting"
    when = long_date(paper.meeting_date) if paper.meeting_date else "Date to be confirmed"

    w.title(paper.title)
    w.para(meeting).runs[0].bold = True
    w.para(when)
    ticks = "   ".join(f"{TICKED if d == paper.decision else UNTICKED} {d.capitalize()}"
                       for d in DECISIONS)
    lead, items = recommendations(paper, paper.committee)
    engagement = paper.section("ppi") or (blocks.engagement_sentence(data)
                                          if "feedback" in paper.blocks else "")
    rows = [
        ["Author(s)", author_line(paper)],
        ["Sponsor", paper.sponsor or "Not stated"],
        ["Is your report for Approval / Consideration / Noting",
         f"{ticks}\nThis paper is for {paper.decision}."],
        ["Purpose", paper.section("purpose") or "Not stated"],
        ["Key issues", paper.section("key_issues") or paper.section("summary") or "Not stated"],
        ["Are there any Resource Implications (including Financial, Staffing etc)?",
         paper.section("financial") or "None identified in this paper."],
        ["Which of the organisation's objectives does this paper support?",
         paper.section("objectives") or "Not stated."],
        ["Equality impact assessment: have you carried out an Equality Impact Assessment and "
         "is it attached?", paper.section("equality") or "Not stated."],
        ["PPE activity: how does your paper support involving patients, carers and the public?",
         engagement or "Not stated."],
        ["Recommendations", CellSpec([lead, *(f"\u2022 {i}" for i in items)])],
    ]
    w.table(["Cover sheet", "Response"], [5, 11],
            [[CellSpec(q, bold_first=True), a] for q, a in rows],
            caption="Cover sheet",
            description="The governing body cover sheet: author, sponsor, the decision sought, "
                        "purpose, key issues, implications and recommendations.")

    w.page_break()
    w.heading(paper.title)
    w.para(meeting).runs[0].bold = True
    w.para(when)
    number = 0

    def section(heading: str) -> None:
        nonlocal number
        number += 1
        w.heading(f"{number}. {heading}")

    section("Introduction / Background")
    w.text_block(paper.section("background") or paper.section("purpose"))
    if paper.section("summary") and paper.section("summary") not in paper.section("background"):
        section("Summary of Progress")
        w.text_block(paper.section("summary"))
    if "timeline" in paper.blocks:
        section("Milestones")
        w.para(f"Milestones still to be reached, with their status as at {long_date(data.as_at)}:")
        blocks.compact_timeline(w, data, numbered=True, open_only=True,
                                headers=("Milestone", "Date"))
    if "heat-map" in paper.blocks or "risk-log" in paper.blocks:
        section("Risks")
        if paper.section("risk"):
            w.text_block(paper.section("risk"))
        if "heat-map" in paper.blocks:
            blocks.heat_map(w, data, paper.include_closed_risks)
        if "Risk Log" in numbers:
            w.para(f"The full risk log is at Appendix {numbers['Risk Log']}.")
    if "feedback" in paper.blocks:
        section("Patient and Public Engagement")
        w.text_block(engagement)
        w.para(f"The feedback and the action taken on each point is at Appendix "
               f"{numbers['Feedback Summary']}.")
    for key, heading in (("options", "Options"), ("next_steps", "Next Steps"),
                         ("legal", "Legal Implications")):
        if paper.section(key):
            section(heading)
            w.text_block(paper.section(key))
    section("Recommendations")
    w.para(lead)
    for item in items:
        w.bullet(item)
    w.para(f"Paper prepared by: {author_line(paper)}")
    if paper.meeting_date:
        w.para(f"{MONTH_NAMES[paper.meeting_date.month - 1]} {paper.meeting_date.year}")

    write_appendices(w, data, appendices)


# The register blocks this style puts at the back, in its order and its words.
APPENDICES = (
    ("feedback", "Feedback Summary"),
    ("actions", "Open Actions"),
    ("timeline", "Milestone Timeline"),
    ("decisions", "Decisions"),
    ("risk-log", "Risk Log"),
)
