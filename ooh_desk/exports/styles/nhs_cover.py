"""NHS governing-body cover sheet style (as Sheffield CCG's): a cover table with author,
sponsor, the decision sought (Approval / Consideration / Noting, one ticked, and said in
words), purpose, key issues, resource implications, objectives, equality impact assessment,
patient and public engagement and recommendations; then the report body and appendices.
Copy this module to make a new organisation's style. Imports python-docx and the domain only."""

from __future__ import annotations

import re

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import RGBColor
from docx.table import Table

from ...domain.assurance import objective_line, paper_links, principal_risk_line
from ...domain.board_dates import MONTH_NAMES, long_date
from ...domain.papers import DECISIONS, Paper, has_figures, printed_heading, words_only
from .. import blocks
from ..blocks import ReportData
from ..docx_xml import set_cell_shading
from ..writer import HEADER_FILL, CellSpec, Writer
from .common import (
    Appendix,
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

NAME = "nhs-cover"
LABEL = "NHS governing body cover sheet and report"
NHS_BLUE = RGBColor(0x00, 0x5E, 0xB8)
# The reviewing body a draft report is addressed to, when the register names one.
COMMITTEE_HINT = "Governing Bod"
FONTS = Fonts(name="Arial", body=11, title=16, heading1=13, heading2=11, table=10,
              heading_colour=NHS_BLUE)
TICKED, UNTICKED = "\u2612", "\u2610"
NOT_GIVEN = "Not yet given"


def build_template(doc: Document) -> None:
    build_base(doc, FONTS, margins_cm=2.0)  # the header names the register's organisation


def write(w: Writer, paper: Paper, data: ReportData) -> None:
    appendices = plan_appendices(paper, APPENDICES)
    if paper.section("consideration"):
        # The paper's own Consideration | Rationale table (the questions a commissioner
        # answers, as Monitor poses them) is its first appendix, as in the seed.
        typed = paper.heading_for("consideration") or "Consideration"
        appendices.insert(0, Appendix(
            printed_heading(typed),
            lambda w, _data: w.text_block(paper.section("consideration"), section=typed)))
        for n, a in enumerate(appendices, 1):
            a.number = n
    numbers = {a.title: a.number for a in appendices}
    organisation_header(w, data.programme.organisation, FONTS)
    meeting = f"{paper.committee} meeting" if paper.committee else ""
    when = long_date(paper.meeting_date) if paper.meeting_date else ""

    w.title(paper.title)
    missing_fields(w, paper, [name for value, name in ((meeting, "committee"),
                                                       (when, "meeting date")) if not value],
                   "those lines are left out under its title")
    _meeting_lines(w, meeting, when, data.agenda_item)
    ticks = "   ".join(f"{TICKED if d == paper.decision else UNTICKED} {d.capitalize()}"
                       for d in DECISIONS)
    lead, items = recommendations(paper, paper.committee)
    engagement = paper.section("ppi") or (blocks.engagement_sentence(data)
                                          if "feedback" in paper.blocks else "")
    # The form asks every question: an answer the paper lacks says so plainly, for the
    # author to see in the draft, and the report warns (never "Not stated").
    missing: list[str] = []

    def answer(value: str, name: str) -> str:
        if not value:
            missing.append(name)
        return value or NOT_GIVEN

    eia, why_not = _equality_answers(paper.section("equality"))
    # The paper's links to the Assurance Framework (domain.assurance.paper_links): the
    # principal risks its 'Principal risks' section names or its risk blocks show, and the
    # objectives its 'Objectives' section names or those risks threaten.
    links = paper_links(paper, data.risks, data.objectives)
    objectives = _linked(links.objectives_text,
                         [objective_line(o) for o in links.objectives])
    if not objectives:
        missing.append("objectives")
        objectives = (f"{NOT_GIVEN}: this paper names no strategic objective, and no "
                      "principal risk it carries is linked to one.")
    principal_risks = _linked(links.principal_text,
                              [principal_risk_line(r, data.programme.bands)
                               for r in links.principal])
    if not principal_risks:
        missing.append("principal risks")
        principal_risks = (f"{NOT_GIVEN}: this paper is not yet linked to a principal risk in "
                           "the Assurance Framework.")
    rows = [
        ["Author(s)", answer(author_line(paper), "author")],
        ["Sponsor", answer(paper.sponsor, "sponsor")],
        ["Which committees have previously discussed this paper?",
         _discussed(paper, data)],
        ["Is your report for Approval / Consideration / Noting",
         f"{ticks}\nThis paper is for {paper.decision}."],
        ["Purpose", answer(paper.section("purpose"), "purpose")],
        ["Key issues", answer(paper.section("key_issues") or paper.section("summary"),
                              "key issues")],
        ["Are there any Resource Implications (including Financial, Staffing etc)?",
         paper.section("financial") or "None identified in this paper."],
        [AUDIT_REQUIREMENT, ""],
        ["Which of the organisation's objectives does this paper support?", objectives],
        ["Links to the principal risk(s) in the Assurance Framework",
         principal_risks],
        ["Equality impact assessment: have you carried out an Equality Impact Assessment and "
         "is it attached?", answer(eia, "equality impact assessment")],
        ["If not, why not?", answer(why_not, "reason for no equality impact assessment")
         if eia else NOT_GIVEN],
        ["PPE activity: how does your paper support involving patients, carers and the public?",
         answer(engagement, "patient and public engagement")],
        ["Recommendations", CellSpec([lead, *(f"\u2022 {i}" for i in items)])],
    ]
    missing_fields(w, paper, missing, f"the cover sheet says '{NOT_GIVEN}' there")
    # A cell is no place for a finance table or a picture: the answer gives its words, and
    # the whole section is printed in the report's body.
    rows = [[q, f"{words_only(a)}\nIn full, with its table or picture, in the report below."
             if isinstance(a, str) and has_figures(a) else a] for q, a in rows]
    cover = w.table(["Cover sheet", "Response"], [5, 11],
                    [[CellSpec(q, bold_first=True), a] for q, a in rows],
                    caption="Cover sheet",
                    description="The governing body cover sheet: author, sponsor, the committees "
                                "that discussed it, the decision sought, purpose, key issues, "
                                "the audit requirement (objectives, principal risks, equality "
                                "impact assessment), engagement and recommendations.")
    _heading_row(cover, next(n for n, (q, _) in enumerate(rows, 1) if q == AUDIT_REQUIREMENT))

    w.page_break()
    w.heading(paper.title)
    _meeting_lines(w, meeting, when)
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
        if key == "options" and "options" in paper.blocks:  # the options appraisal
            section(heading)
            if paper.section(key):
                w.text_block(paper.section(key))
            blocks.options_appraisal(w, data)
        elif paper.section(key):
            section(heading)
            w.text_block(paper.section(key))
    for key, heading in _IN_FULL:  # cover answers holding a table or a picture, in full
        if has_figures(paper.section(key)) and not (key == "ppi" and "feedback" in paper.blocks):
            section(heading)
            w.text_block(paper.section(key), section=paper.heading_for(key) or heading)
    # Every other section (Contract History, Governance, Communications …) follows, numbered
    # on, under the author's own heading and in the author's order; the risk text with them
    # when the paper carries no risk block.
    write_own_sections(w, paper, {
        "purpose", "key_issues", "summary", "financial", "objectives", "equality", "ppi",
        "recommendations", "background", "options", "next_steps", "legal",
        *COVER_ONLY,
        *(("risk",) if "heat-map" in paper.blocks or "risk-log" in paper.blocks else ())},
        section)
    closing = w.mark()  # the recommendations, the author and the date print together
    section("Recommendations")
    w.para(lead)
    for item in items:
        w.bullet(item)
    if author_line(paper):
        w.para(f"Paper prepared by: {author_line(paper)}")
    if paper.meeting_date:
        w.para(f"{MONTH_NAMES[paper.meeting_date.month - 1]} {paper.meeting_date.year}")
    w.keep_since(closing)

    write_appendices(w, data, appendices)


def _meeting_lines(w: Writer, meeting: str, when: str, agenda_item: str = "") -> None:
    """The meeting and its date under the title (a paper with neither yet leaves them out),
    and on the cover sheet the paper's agenda item, as the seed's cover sheet prints its
    letter between them."""
    if meeting:
        w.para(meeting).runs[0].bold = True
    if agenda_item:
        p = w.para(bold_label=f"Agenda item {agenda_item}")
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if when:
        w.para(when)


AUDIT_REQUIREMENT = "Audit Requirement"
# Sections the cover sheet answers, or prints as an appendix, rather than the report body.
COVER_ONLY = ("principal_risks", "previously_discussed", "consideration")
# Cover answers printed in full in the body when they hold a table or a picture.
_IN_FULL = (("purpose", "Purpose"), ("key_issues", "Key Issues"),
            ("financial", "Resource Implications"), ("objectives", "Objectives"),
            ("principal_risks", "Principal Risks"), ("equality", "Equality Impact Assessment"),
            ("ppi", "Patient and Public Engagement"))


def _heading_row(table: Table, index: int) -> None:
    """Make row `index` a sub-heading across the table ('Audit Requirement'), shaded as the
    header row is."""
    first, second = table.rows[index].cells[0], table.rows[index].cells[1]
    merged = first.merge(second)
    for extra in merged.paragraphs[1:]:  # the emptied second cell's paragraph
        if not extra.text.strip():
            extra._p.getparent().remove(extra._p)
    set_cell_shading(merged, HEADER_FILL)


def _linked(text: str, lines: list[str]) -> str:
    """A cover answer about links: the author's own words (when they say more than refs),
    then one line for each objective or principal risk linked."""
    return "\n".join(x for x in (text, *lines) if x)


def _equality_answers(text: str) -> tuple[str, str]:
    """The equality section as the form's two questions: 'Have you carried out an Equality
    Impact Assessment and is it attached?' and 'If not, why not?'. A section that starts
    'No' answers the first with 'No' and the second with the rest; 'Yes' leaves the second
    not applicable; other text answers the first in full."""
    text = " ".join(text.split())
    match = re.match(r"^(yes|no)\b[.,:;\s–-]*(.*)$", text, re.IGNORECASE)
    if not text:
        return "", ""
    if match and match.group(1).lower() == "no":
        return "No.", match.group(2)
    if match:
        return text, "Not applicable: an assessment has been carried out."
    return text, "Not applicable."


def _discussed(paper: Paper, data: ReportData) -> str:
    """The meetings that had this paper before (from the register's agendas), or what the
    paper itself says under a 'Previously discussed' section."""
    if paper.section("previously_discussed"):
        return paper.section("previously_discussed")
    if data.discussed_at:
        return "\n".join(data.discussed_at)
    return "None: no earlier meeting in the register had this paper on its agenda."


# The register blocks this style puts at the back, in its order and its words.
APPENDICES = (
    ("feedback", "Feedback Summary"),
    ("actions", "Open Actions"),
    ("timeline", "Milestone Timeline"),
    ("decisions", "Decisions"),
    ("risk-log", "Risk Log"),
)
