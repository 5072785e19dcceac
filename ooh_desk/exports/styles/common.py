"""What the house styles share: A4 pages and fonts for their templates, the paper's
recommendations as items, and the appendix plan. A new council's style module can use these or
write its own. Imports python-docx and the domain only: no Qt, no register."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ...domain.papers import Paper, list_items, paragraphs, printed_heading
from ...domain.prose import agreeing_verb
from .. import blocks, docx_xml
from ..blocks import ReportData
from ..writer import Writer

BLACK = RGBColor(0, 0, 0)


@dataclass(frozen=True)
class Fonts:
    name: str = "Arial"
    body: float = 12
    title: float = 18
    heading1: float = 14
    heading2: float = 12
    table: float = 10
    heading_colour: RGBColor = BLACK


def build_base(doc: Document, fonts: Fonts, *, header: str = "", header_colour: RGBColor = BLACK,
               margins_cm: float = 2.0) -> None:
    """A4, margins, the house fonts on the styles reports use, a header line and a
    'Page X of Y' footer: the start of every house-style template."""
    for section in doc.sections:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(margins_cm)
        section.top_margin = section.bottom_margin = Cm(margins_cm)
        section.header_distance = section.footer_distance = Cm(1.0)
    styles = doc.styles
    normal = styles["Normal"]
    _font(normal, fonts.name, fonts.body)
    normal.paragraph_format.space_after = Pt(8)
    normal.paragraph_format.line_spacing = 1.1
    for name, size in (("Title", fonts.title), ("Heading 1", fonts.heading1),
                       ("Heading 2", fonts.heading2)):
        style = styles[name]
        _font(style, fonts.name, size, bold=True, colour=fonts.heading_colour)
        style.font.italic = False
        style.paragraph_format.space_before = Pt(6 if name == "Title" else 14)
        style.paragraph_format.space_after = Pt(10 if name == "Title" else 6)
        style.paragraph_format.keep_with_next = True
        pPr = style.element.pPr
        border = pPr.find(qn("w:pBdr")) if pPr is not None else None
        if border is not None:  # python-docx's blank Title has a blue rule under it
            pPr.remove(border)
    docx_xml.set_outline_level(styles["Heading 1"], 0)
    docx_xml.set_outline_level(styles["Heading 2"], 1)
    _font(styles["List Bullet"], fonts.name, fonts.body)
    styles["List Bullet"].paragraph_format.space_after = Pt(4)
    if "Table Text" not in styles:
        table_text = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
        table_text.base_style = normal
    table_text = styles["Table Text"]
    _font(table_text, fonts.name, fonts.table)
    table_text.paragraph_format.space_after = Pt(2)
    table_text.paragraph_format.line_spacing = 1.0
    section = doc.sections[0]
    if header:
        p = section.header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = p.add_run(header)
        run.bold = True
        run.font.color.rgb = header_colour
        run.font.name = fonts.name
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    docx_xml.add_page_number_field(footer)
    docx_xml.set_language(doc, "en-GB")


def _font(style, name: str, size: float, bold: bool | None = None,
          colour: RGBColor | None = None) -> None:
    style.font.name = name
    rPr = style.element.get_or_add_rPr()
    fonts = rPr.find(qn("w:rFonts"))
    if fonts is not None:
        for key in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(key), None)
        fonts.set(qn("w:cs"), name)
        fonts.set(qn("w:eastAsia"), name)
    style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if colour is not None:
        style.font.color.rgb = colour


def organisation_header(w: Writer, organisation: str, fonts: Fonts) -> None:
    """The register's organisation (never the style's), bold at the right of the page header,
    where the template's header is empty: a council's own template keeps its own header, and
    a register with no organisation prints none."""
    section = w.doc.sections[0]
    headers = [section.header] + ([section.first_page_header]
                                  if section.different_first_page_header_footer else [])
    name = " ".join((organisation or "").split())
    if not name or any("".join(p.text for p in h.paragraphs).strip()
                       or next(h._element.iter(qn("w:drawing")), None) is not None
                       for h in headers):
        return
    for header in headers:
        p = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = p.add_run(name)
        run.bold = True
        run.font.color.rgb = fonts.heading_colour


def recommendations(paper: Paper, committee: str) -> tuple[str, list[str]]:
    """The lead-in and the items: a first line ending ':' is the paper's own lead-in."""
    text = paper.section("recommendations")
    chunks = paragraphs(text)
    lead = (f"The {committee} {agreeing_verb(committee, 'is', 'are')} recommended to:"
            if committee else "It is recommended that the meeting:")
    if chunks and chunks[0].rstrip().endswith(":") and not re.match(r"^[-*•]", chunks[0]):
        lead = chunks[0]
        text = "\n".join(chunks[1:])
    items = list_items(text) or ["Note the progress of the programme as set out in this report."]
    return lead, items


def own_sections(paper: Paper, placed: set[str]) -> list[tuple[str, str, str]]:
    """The paper's sections a house style has no place for (or did not place), in the
    user's order: (heading to print, heading as typed, text). Nothing the user wrote is
    dropped: each style prints these under the user's own headings."""
    return [(printed_heading(heading), heading, text) for heading, key, text in paper.narrative()
            if key not in placed]


def write_own_sections(w: Writer, paper: Paper, placed: set[str],
                       heading: Callable[[str], object] | None = None) -> None:
    """Write `own_sections` each under its heading (`heading(text)` where the style numbers
    its headings, else a plain Heading 1) with its narrative."""
    for printed, typed, text in own_sections(paper, placed):
        (heading or w.heading)(printed)
        w.text_block(text, section=typed)


def author_line(paper: Paper) -> str:
    """'Name, Job title', or "" when the paper names neither (the line is then left out)."""
    return ", ".join(x for x in (paper.author, paper.author_title) if x)


def missing_fields(w: Writer, paper: Paper, fields: Sequence[str], where: str) -> None:
    """Tell the author, through the report's warnings, which fields a paper still lacks."""
    if fields:
        named = f"paper {paper.ref}" if paper.ref else "the draft"
        w.warnings.append(f"{named} has no {_and(fields)} yet: {where}")


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


@dataclass
class Appendix:
    title: str
    write: Callable[[Writer, ReportData], None]
    landscape: bool = False
    number: int = 0


def plan_appendices(paper: Paper, titles: Sequence[tuple[str, str]]) -> list[Appendix]:
    """The paper's register blocks as numbered appendices, in the style's order and words:
    `titles` pairs each block a style places at the back ('feedback', 'risk-log' ...) with
    the heading that style gives it."""
    closed = paper.include_closed_risks
    writers: dict[str, Callable[[Writer, ReportData], None]] = {
        "timeline": blocks.timeline_table, "actions": blocks.actions_table,
        "feedback": blocks.feedback_table, "decisions": blocks.decisions_table,
        "risk-log": lambda w, d: blocks.risk_log_table(w, d, closed)}
    plan = [Appendix(title, writers[block], landscape=block == "risk-log")
            for block, title in titles if block in paper.blocks]
    for n, a in enumerate(plan, 1):
        a.number = n
    return plan


def write_appendices(w: Writer, data: ReportData, appendices: Sequence[Appendix],
                     separator: str = ": ") -> None:
    """Each appendix on a new page (landscape for the risk log), headed 'Appendix N: Title'."""
    for a in appendices:
        if a.landscape:
            w.new_section(landscape=True)
        else:
            w.page_break()
        w.heading(f"Appendix {a.number}{separator}{a.title}")
        a.write(w, data)
