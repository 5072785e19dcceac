"""The Word document a report is written into: opened from a house-style or council template,
its styles checked (with plain fallbacks for those a template lacks, reported once), and the
few verbs every house style writes with: headings, paragraphs (optionally numbered through the
report, as Durham numbers them), bullets and accessible tables.

Imports python-docx only: no Qt, no register.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Length, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from ..domain.papers import bullet_text, paragraphs
from ..errors import UserFacing
from . import docx_xml
from .docx_xml import clean_text

# Styles every house style writes with. A template that lacks one gets the plain version
# described here, and the user is told once which were missing.
PARAGRAPH_STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "List Bullet", "Table Text")
TABLE_STYLE = "Table Grid"
HEADER_FILL = "D9D9D9"


class TemplateError(UserFacing, ValueError):
    """A template that cannot be used; the message is one sentence for the user."""


@dataclass
class CellSpec:
    """What goes in one table cell: text (new lines become paragraphs), bullets, a fill."""

    text: str | Sequence[str] = ""
    fill: str | None = None
    bold_first: bool = False
    bullets: bool = False


Cell = str | CellSpec


def open_template(path: Path | None, build: Callable[[Document], None] | None = None) -> Document:
    """A document from a template, its body emptied but its sections (page size, margins,
    header and footer) kept. With no path, a python-docx blank built up by `build`."""
    if path is None:
        doc = docx.Document()
        if build:
            build(doc)
        return doc
    if not path.exists():
        raise TemplateError(f"there is no template at {path}")
    if path.suffix.lower() in (".dotx", ".dotm", ".doc"):
        raise TemplateError(f"{path.name}: open it in Word and save it as a Word Document "
                            "(.docx), then give that as the template")
    try:
        doc = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise TemplateError(f"{path.name} is not a Word .docx file OOH Desk can read ({exc})") \
            from None
    except Exception as exc:  # lxml and zipfile raise their own kinds for damaged files
        raise TemplateError(f"{path.name} is damaged or not a Word .docx file ({exc})") from None
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc


class Writer:
    """Writes one report into `doc`. `numbered` turns on Durham-style paragraph numbers
    running through the whole report."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.warnings: list[str] = []
        self.numbered = False
        self.paragraph_number = 0
        self._styles: dict[str, object] = {}
        self.fallback_bullets = False
        self._check_styles()

    # --- styles ---------------------------------------------------------------------------------

    def _check_styles(self) -> None:
        styles = self.doc.styles
        missing = []
        for name in PARAGRAPH_STYLES:
            if name in styles:
                self._styles[name] = styles[name]
            else:
                missing.append(name)
                self._styles[name] = _add_fallback_style(self.doc, name)
                if name == "List Bullet":
                    self.fallback_bullets = True
        if TABLE_STYLE in styles:
            self._styles[TABLE_STYLE] = styles[TABLE_STYLE]
        else:
            missing.append(TABLE_STYLE)
            self._styles[TABLE_STYLE] = _add_grid_table_style(self.doc)
        for level, name in ((0, "Heading 1"), (1, "Heading 2")):
            # A council template's own "Heading 1" may lack an outline level: without it the
            # heading is only big text to a screen reader.
            pPr = self._styles[name].element.pPr
            if pPr is None or pPr.find(qn("w:outlineLvl")) is None:
                docx_xml.set_outline_level(self._styles[name], level)
        if missing:
            self.warnings.append(
                "the template has no " + ", ".join(f"'{m}'" for m in missing)
                + f" style{'s' if len(missing) > 1 else ''}; OOH Desk used plain "
                + ("versions" if len(missing) > 1 else "a plain version"))

    def style(self, name: str):
        return self._styles[name]

    # --- page --------------------------------------------------------------------------------

    @property
    def content_width(self) -> Length:
        section = self.doc.sections[-1]
        return Length(section.page_width - section.left_margin - section.right_margin)

    def widths(self, fractions: Sequence[float]) -> list[Length]:
        total = sum(fractions)
        return [Length(int(self.content_width * f / total)) for f in fractions]

    def new_section(self, landscape: bool) -> None:
        """Start a new page in a portrait or landscape section (headers and footers carry on)."""
        previous = self.doc.sections[-1]
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        short, long_ = sorted((previous.page_width, previous.page_height))
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (long_, short) if landscape else (short, long_)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # --- text ----------------------------------------------------------------------------------

    def heading(self, text: str, level: int = 1) -> Paragraph:
        return self.doc.add_paragraph(clean_text(text), self.style(f"Heading {level}"))

    def title(self, text: str) -> Paragraph:
        return self.doc.add_paragraph(clean_text(text), self.style("Title"))

    def para(self, text: str = "", *, bold_label: str = "", number: bool | None = None,
             label: str | None = None) -> Paragraph:
        """A body paragraph. With numbering on (or number=True) it takes the next paragraph
        number; `label` gives it a marker of its own ('a.', '2.1') instead."""
        p = self.doc.add_paragraph(style=self.style("Normal"))
        numbered = self.numbered if number is None else number
        marker = label
        if marker is None and numbered:
            self.paragraph_number += 1
            marker = str(self.paragraph_number)
        if marker:
            p.add_run(f"{marker}\t")
            fmt = p.paragraph_format
            fmt.left_indent = Cm(1.27)
            fmt.first_line_indent = Cm(-1.27)
            fmt.tab_stops.add_tab_stop(Cm(1.27))
        if bold_label:
            p.add_run(clean_text(bold_label)).bold = True
        if text:
            p.add_run(clean_text(text))
        return p

    def bullet(self, text: str, indent: bool = False) -> Paragraph:
        if self.fallback_bullets:
            p = self.doc.add_paragraph("\u2022\t" + clean_text(text), self.style("List Bullet"))
        else:
            p = self.doc.add_paragraph(clean_text(text), self.style("List Bullet"))
        if indent or self.numbered:
            p.paragraph_format.left_indent = Cm(1.9)
        return p

    def text_block(self, text: str, *, number_first_only: bool = False) -> None:
        """A section's narrative: paragraphs and '- ' bullets. Numbered reports number each
        paragraph (not bullets), as Durham does."""
        first = True
        for chunk in paragraphs(text):
            item = bullet_text(chunk)
            if item is not None:
                self.bullet(item)
            else:
                self.para(chunk, number=None if (first or not number_first_only) else False)
                first = False

    # --- tables ----------------------------------------------------------------------------------

    def table(self, headers: Sequence[str], fractions: Sequence[float], rows: Sequence[Sequence[Cell]],
              *, caption: str, description: str, header_fill: str = HEADER_FILL,
              repeat_header: bool = True) -> Table:
        """A real Word table: header row marked (and repeated on every page), fixed widths that
        fit the page, alt text, and 'Table Text' paragraphs. Rows are written straight into the
        XML, so a 500-row appendix costs what its text costs."""
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = self.style(TABLE_STYLE)
        text_style = self.style("Table Text")
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            p = cell.paragraphs[0]
            p.style = text_style
            p.add_run(clean_text(text)).bold = True
            if header_fill:
                docx_xml.set_cell_shading(cell, header_fill)
        if repeat_header:
            docx_xml.mark_header_row(table.rows[0])
        widths = self.widths(fractions)
        docx_xml.set_table_widths(table, widths)
        twips = [round(w / 635) for w in widths]
        style_id = text_style.style_id
        body = "".join(self._row_xml(values, twips, style_id) for values in rows)
        for tr in parse_xml(f"<w:tbl {nsdecls('w')}>{body}</w:tbl>"):
            table._tbl.append(tr)
        docx_xml.set_table_alt_text(table, caption, description)
        # Space after a table, so the next heading does not sit on its border.
        self.doc.add_paragraph(style=self.style("Normal")).paragraph_format.space_after = Pt(0)
        return table

    def _row_xml(self, values: Sequence[Cell], twips: Sequence[int], style_id: str) -> str:
        """One table row as WordprocessingML: building thousands of cells through
        python-docx's objects costs seconds (each style lookup scans every style), while
        the XML is what it is."""
        cells = []
        for value, width in zip(values, twips, strict=True):
            spec = value if isinstance(value, CellSpec) else CellSpec(value)
            if isinstance(spec.text, str):
                lines = clean_text(spec.text).split("\n") if spec.text else [""]
            else:
                lines = [clean_text(line) for line in spec.text] or [""]
            shading = (f'<w:shd w:val="clear" w:color="auto" w:fill="{spec.fill.upper()}"/>'
                       if spec.fill else "")
            paragraphs = []
            for n, line in enumerate(lines):
                ppr = f'<w:pStyle w:val="{style_id}"/>'
                if spec.bullets and line:
                    # A typed bullet in Table Text: small like the rest of the table, read out
                    # as a bullet, and needing no numbering definition a template might lack.
                    ppr += ('<w:tabs><w:tab w:val="left" w:pos="198"/></w:tabs>'
                            '<w:ind w:left="198" w:hanging="198"/>')
                    line = "\u2022\t" + line
                rpr = "<w:rPr><w:b/></w:rPr>" if spec.bold_first and n == 0 else ""
                runs = "<w:tab/>".join(f'<w:t xml:space="preserve">{escape(part)}</w:t>'
                                       for part in line.split("\t")) if line else ""
                paragraphs.append(f"<w:p><w:pPr>{ppr}</w:pPr><w:r>{rpr}{runs}</w:r></w:p>")
            cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shading}</w:tcPr>'
                         f'{"".join(paragraphs)}</w:tc>')
        return f"<w:tr>{''.join(cells)}</w:tr>"

    def keep_together(self, table: Table) -> None:
        """Keep a small table on one page (the heat map): no row splits, every row kept with
        the next."""
        trs = table._tbl.tr_lst
        for index, tr in enumerate(trs):
            trPr = tr.get_or_add_trPr()
            if trPr.find(qn("w:cantSplit")) is None:
                trPr.insert(0, OxmlElement("w:cantSplit"))
            if index < len(trs) - 1:
                for p in tr.iter(qn("w:p")):
                    Paragraph(p, table).paragraph_format.keep_with_next = True

    def merge_down(self, table: Table, column: int, spans: Sequence[tuple[int, int]]) -> None:
        """Merge column cells over row spans (first, last) inclusive, keeping the first's text:
        Durham's route column, written once per group."""
        trs = table._tbl.tr_lst
        for first, last in spans:
            if last <= first:
                continue
            top = trs[first].tc_lst[column]
            _vmerge(top, "restart")
            for index in range(first + 1, last + 1):
                tc = trs[index].tc_lst[column]
                _vmerge(tc, None)


def _vmerge(tc, value: str | None) -> None:
    tcPr = tc.get_or_add_tcPr()
    vmerge = tcPr.find(qn("w:vMerge"))
    if vmerge is None:
        vmerge = OxmlElement("w:vMerge")
        after = [qn(t) for t in ("w:tcBorders", "w:shd", "w:noWrap", "w:tcMar", "w:textDirection",
                                 "w:tcFitText", "w:vAlign", "w:hideMark")]
        for child in tcPr:
            if child.tag in after:
                child.addprevious(vmerge)
                break
        else:
            tcPr.append(vmerge)
    if value:
        vmerge.set(qn("w:val"), value)


# --- fallback styles for templates that lack ours ------------------------------------------------

_FALLBACKS = {
    "Normal": dict(size=11),
    "Title": dict(size=20, bold=True, space_after=12),
    "Heading 1": dict(size=14, bold=True, space_before=12, space_after=6, keep=True),
    "Heading 2": dict(size=12, bold=True, space_before=10, space_after=4, keep=True),
    "List Bullet": dict(indent=0.63, space_after=3),
    "Table Text": dict(size=9, space_after=0),
}


def _add_fallback_style(doc: Document, name: str):
    spec = _FALLBACKS[name]
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH, builtin=name != "Table Text")
    if name != "Normal":
        style.base_style = doc.styles["Normal"] if "Normal" in doc.styles else None  # noqa: SIM401
        style.next_paragraph_style = style.base_style
    font = style.font
    if "size" in spec:
        font.size = Pt(spec["size"])
    if spec.get("bold"):
        font.bold = True
        font.color.rgb = RGBColor(0, 0, 0)
    fmt = style.paragraph_format
    if "space_before" in spec:
        fmt.space_before = Pt(spec["space_before"])
    if "space_after" in spec:
        fmt.space_after = Pt(spec["space_after"])
    if spec.get("keep"):
        fmt.keep_with_next = True
    if "indent" in spec:
        fmt.left_indent = Cm(spec["indent"])
        fmt.first_line_indent = Cm(-0.4)
    return style


def _add_grid_table_style(doc: Document):
    style = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.TABLE, builtin=True)
    tblPr = style.element.find(qn("w:tblPr"))
    if tblPr is None:
        tblPr = OxmlElement("w:tblPr")
        style.element.append(tblPr)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        b = OxmlElement(f"w:{edge}")
        for key, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "auto")):
            b.set(qn(f"w:{key}"), value)
        borders.append(b)
    tblPr.append(borders)
    return style


# --- finishing ------------------------------------------------------------------------------------


def finish(doc: Document, *, title: str, subject: str, author: str, keywords: str,
           comments: str, marking: str) -> None:
    """Core properties, en-GB, page numbers in every footer that lacks them, the protective
    marking in an empty header, and alt text on any picture a template brought."""
    props = doc.core_properties
    props.title = clean_text(title)
    props.subject = clean_text(subject)
    props.author = clean_text(author) or "OOH Desk"
    props.last_modified_by = "OOH Desk"
    props.keywords = clean_text(keywords)
    props.comments = clean_text(comments)
    props.language = "en-GB"
    props.category = "Board report"
    docx_xml.set_language(doc, "en-GB")
    first = doc.sections[0]
    footers = [first.footer]
    if first.different_first_page_header_footer:
        footers.append(first.first_page_footer)
    for footer in footers:
        if not docx_xml.has_field([footer._element], "PAGE"):
            p = footer.add_paragraph() if footer.paragraphs and footer.paragraphs[0].text.strip() \
                else footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
            p.alignment = 1  # centre
            docx_xml.add_page_number_field(p)
    header = first.header
    if marking and not "".join(p.text for p in header.paragraphs).strip() \
            and not list(header._element.iter(qn("w:drawing"))):
        p = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        p.alignment = 2  # right
        p.add_run(clean_text(marking)).bold = True
    docx_xml.ensure_picture_alt_text(doc, "Organisation logo")


def mark_every_header(doc: Document, text: str) -> None:
    """Put `text` as the first line, bold and centred, of every header a page of `doc` can
    print: each section's default, first-page and even-page header (a section's header that
    carries on from the one before is marked there). Exempt papers use it for "NOT FOR
    PUBLICATION", whatever a template's header already holds."""
    for index, section in enumerate(doc.sections):
        for header in (section.header, section.first_page_header, section.even_page_header):
            if index and header.is_linked_to_previous:
                continue
            p = header.add_paragraph()
            p.alignment = 1  # centre
            p.add_run(clean_text(text)).bold = True
            header._element.insert(0, p._p)  # above a logo or the council's name
