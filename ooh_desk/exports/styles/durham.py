"""Durham County Council scrutiny report style: committee and date, the title, "Report of",
then paragraphs numbered 1, 2, 3 … running through the whole report across its headings
("Purpose of the Report", "Background", … "Recommendations and reasons" with lettered
recommendations), the Current Risks | Mitigation table, the timeline as the board wrote it,
a contact line, and Appendix 1: Engagement Route | Comments | Action Taken.
Copy this module to make a new council's style. Imports python-docx and the domain only."""

from __future__ import annotations

from docx.document import Document
from docx.shared import Cm, Pt

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

NAME = "durham"
LABEL = "Durham-style scrutiny report (numbered paragraphs)"
# The reviewing body a draft report is addressed to, when the register names one.
COMMITTEE_HINT = "Scrutiny"
FONTS = Fonts(name="Arial", body=12, title=16, heading1=12, heading2=12, table=10)

_SECTIONS = (("summary", "Executive Summary"), ("background", "Background"),
             ("key_issues", "Key Issues"), ("options", "Options"), ("next_steps", "Next Steps"),
             ("financial", "Financial Implications"), ("legal", "Legal Implications"),
             ("equality", "Equality and Diversity"), ("ppi", "Consultation and Engagement"),
             ("objectives", "Links to Objectives"))


def build_template(doc: Document) -> None:
    build_base(doc, FONTS, margins_cm=2.3)  # the header names the register's organisation


def write(w: Writer, paper: Paper, data: ReportData) -> None:
    appendices = plan_appendices(paper, APPENDICES)
    numbers = {a.title: a.number for a in appendices}
    w.numbered = True

    organisation_header(w, data.programme.organisation, FONTS)
    missing_fields(w, paper, [name for value, name in (
        (paper.committee, "committee"), (paper.meeting_date, "meeting date"),
        (author_line(paper), "author")) if not value], "those lines are left out of its head")
    if paper.committee:
        top = w.para(paper.committee, number=False)
        top.runs[0].bold = True
        top.runs[0].font.size = Pt(14)
    if paper.meeting_date:
        w.para(long_date(paper.meeting_date), number=False).runs[0].bold = True
    w.title(paper.title)
    if author_line(paper):
        w.para(f"Report of {author_line(paper)}", number=False).runs[0].bold = True

    w.heading("Purpose of the Report")
    w.text_block(paper.section("purpose") or f"To update {the(paper.committee or 'meeting')} "
                 f"on the {data.programme.name}.")
    for key, heading in _SECTIONS:
        if key == "key_issues" and repeats(paper.section(key), paper.section("summary")):
            continue  # the draft's key issues repeat its summary
        if key == "options" and "options" in paper.blocks:  # the options appraisal
            w.heading(heading)
            if paper.section(key):
                w.text_block(paper.section(key))
            blocks.options_appraisal(w, data)
            continue
        if paper.section(key):
            w.heading(heading)
            w.text_block(paper.section(key))
            if key == "ppi" and "feedback" in paper.blocks:
                w.para(f"The summary at Appendix {numbers['Feedback Summary']} sets out the key "
                       "feedback received and the action taken on each point.")
    if "feedback" in paper.blocks and not paper.section("ppi"):
        w.heading("Engagement")
        w.para(blocks.engagement_sentence(data))
        w.para(f"The summary at Appendix {numbers['Feedback Summary']} sets out the key "
               "feedback received and how it has been acted on.")

    # Every other section (Contract History, Governance, Communications …) follows the
    # narrative, under the author's own heading and in the author's order; the risk text
    # with it when the paper carries no risk block to sit beside.
    risks_shown = "risk-log" in paper.blocks or "heat-map" in paper.blocks
    write_own_sections(w, paper, {"purpose", "recommendations", *(k for k, _ in _SECTIONS),
                                  *(("risk",) if risks_shown else ())})

    if risks_shown:
        w.heading("Risks and Associated Mitigation")
        w.text_block(paper.section("risk") or
                     "A risk log has been developed as part of the programme governance. All "
                     "identified risks are captured with mitigating actions, and are reviewed "
                     "regularly.")
        if "risk-log" in paper.blocks:
            w.para("The current risks and their mitigation are listed below, highest score "
                   "first:")
            blocks.risk_mitigation_table(w, data, paper.include_closed_risks)
        if "heat-map" in paper.blocks:
            w.para("The heat map below shows where the current risks sit on the 5x5 matrix "
                   "of likelihood and impact:")
            blocks.heat_map(w, data, paper.include_closed_risks)

    if "timeline" in paper.blocks:
        w.heading("Timelines")
        w.para("The timelines for the programme are set out below:")
        blocks.compact_timeline(w, data, numbered=False, headers=("Milestone", "Date"))

    if "actions" in paper.blocks:
        w.heading("Actions")
        w.para(f"The open actions are at Appendix {numbers['Open Actions']}; any overdue action "
               "is marked as overdue.")

    closing = w.mark()  # the recommendations and the contact line print together
    w.heading("Recommendations and reasons")
    lead, items = recommendations(paper, paper.committee)
    w.para(lead)
    for letter, item in zip("abcdefghijklmnopqrstuvwxyz", items, strict=False):
        p = w.para(item, label=f"{letter}.", number=False)
        p.paragraph_format.left_indent = Cm(1.9)
        p.paragraph_format.first_line_indent = Cm(-0.63)
        p.paragraph_format.tab_stops.add_tab_stop(Cm(1.9))

    contact = " \u2013 ".join(x for x in (paper.author, paper.author_title, paper.contact) if x)
    if contact:  # no contact: the line is left out, not filled with "not stated"
        p = w.para(number=False, bold_label=f"Contact: {contact}")
        p.paragraph_format.space_before = Pt(18)
    w.keep_since(closing)

    w.numbered = False
    write_appendices(w, data, appendices)


# The register blocks this style puts at the back, in its order and its words.
APPENDICES = (
    ("feedback", "Feedback Summary"),
    ("actions", "Open Actions"),
    ("decisions", "Decisions"),
)
