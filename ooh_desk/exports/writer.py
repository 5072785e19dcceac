"""The Word document a report is written into: opened from a house-style or council template,
its styles checked (with plain fallbacks for those a template lacks, reported once), and the
few verbs every house style writes with: headings, paragraphs (optionally numbered through the
report, as Durham numbers them), bullets and accessible tables.

Imports python-docx only: no Qt, no register.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Length, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from ..domain.papers import (
    REGISTER_PICTURE,
    ListItem,
    PictureBlock,
    SubHeading,
    TableBlock,
    TextBlock,
    narrative_blocks,
)
from ..errors import UserFacing
from . import docx_xml
from .docx_xml import clean_text

# Styles every house style writes with. A template that lacks one gets the plain version
# described here, and the user is told once which were missing.
PARAGRAPH_STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "List Bullet", "Table Text")
TABLE_STYLE = "Table Grid"
HEADER_FILL = "D9D9D9"
# A template's own names for what we call a style, tried in order where it lacks ours: the
# Strategy Unit's "TableText", Public Health Scotland's "Table Body" and "Bullet 1".
STYLE_ALIASES = {
    "Table Text": ("TableText", "Table Body"),
    "List Bullet": ("Bullet 1", "Bullet1"),
}
# The paragraph style a template gives a table's header row, if it has one.
TABLE_HEAD_STYLES = ("Table Head", "TableHeading", "Table Heading")
# What marks the first page of a template's cover (a section of its own) in a report.
COVER_BOOKMARK = "ooh_desk_cover"


class TemplateError(UserFacing, ValueError):
    """A template that cannot be used; the message is one sentence for the user."""


class PictureError(UserFacing, ValueError):
    """A picture in a paper's narrative that cannot be shown; one sentence naming it."""


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
    cover = _cover_section(body)
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    if cover is not None:  # kept, empty, as the first section; Writer.cover fills it
        p = OxmlElement("w:p")
        p.append(OxmlElement("w:pPr"))
        p[0].append(cover)
        body.insert(0, p)
    return doc


def _cover_section(body) -> object | None:
    """A template's cover: its first section, when the template has more than one and that
    first section has a first-page header of its own (Public Health Scotland's full-page
    cover picture and logo). Its page setup, header and footer are kept for the report's
    first page; the sections after it (the template's imprint page) are not."""
    first = next((p for p in body.iterchildren(qn("w:p"))
                  if p.pPr is not None and p.pPr.find(qn("w:sectPr")) is not None), None)
    if first is None:
        return None
    sectPr = first.pPr.find(qn("w:sectPr"))
    first_header = any(ref.get(qn("w:type")) == "first"
                       for ref in sectPr.iterchildren(qn("w:headerReference")))
    if sectPr.find(qn("w:titlePg")) is None or not first_header:
        return None
    return sectPr


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
        # Where a paper's stored pictures come from (register:SHA256/name -> bytes), and the
        # paper named in a message about one.
        self.picture_source: Callable[[str], bytes | None] | None = None
        self.where = "the paper"
        self._list_num: str | None = None  # the numbering of the numbered list being written
        self._list_number = 0
        self._check_styles()

    # --- styles ---------------------------------------------------------------------------------

    def _check_styles(self) -> None:
        styles = self.doc.styles
        missing = []
        for name in PARAGRAPH_STYLES:
            alias = next((a for a in STYLE_ALIASES.get(name, ()) if a in styles), None)
            if name in styles:
                self._styles[name] = styles[name]
            elif alias is not None:  # the template's own style under its own name
                self._styles[name] = styles[alias]
            else:
                missing.append(name)
                self._styles[name] = _add_fallback_style(self.doc, name)
                if name == "List Bullet":
                    self.fallback_bullets = True
        self.table_head = next((styles[n] for n in TABLE_HEAD_STYLES if n in styles), None)
        if TABLE_STYLE in styles:
            self._styles[TABLE_STYLE] = styles[TABLE_STYLE]
        else:
            missing.append(TABLE_STYLE)
            self._styles[TABLE_STYLE] = _add_grid_table_style(self.doc)
        # A template's own numbered headings ("Heading 1 numbered", "Heading 1Numb") number
        # the headings a house style numbers in words ("2. Summary of Progress").
        self.numbered_headings = {
            1: next((styles[f"Heading 1{suffix}"] for suffix in (" numbered", "Numb")
                     if f"Heading 1{suffix}" in styles), None)}
        self._headings_numbered = 0
        for level, name in ((0, "Heading 1"), (1, "Heading 2")):
            _section_flow(self._styles[name])
            # A council template's own "Heading 1" may lack an outline level: without it the
            # heading is only big text to a screen reader.
            pPr = self._styles[name].element.pPr
            if pPr is None or pPr.find(qn("w:outlineLvl")) is None:
                docx_xml.set_outline_level(self._styles[name], level)
        if missing:
            self.warnings.append(
                "the template has no " + ", ".join(f"'{m}'" for m in missing)
                + f" style{'s' if len(missing) > 1 else ''}; OOH Desk used "
                + ("plain versions" if len(missing) > 1 else "a plain version"))

    def style(self, name: str):
        return self._styles[name]

    @property
    def has_cover(self) -> bool:
        return has_cover(self.doc)

    def cover(self, title: str, lines: Sequence[str]) -> None:
        """Write the title and its lines (committee, date) on a template's cover page, in the
        cover's own styles where it has them ("Publication Title", white on its picture).
        Nothing happens for a template without a cover."""
        body = self.doc.element.body
        first = body[0] if len(body) else None
        if first is None or first.tag != qn("w:p") or first.pPr is None \
                or first.pPr.find(qn("w:sectPr")) is None:
            return
        styles = self.doc.styles
        title_style = next((styles[n] for n in ("Publication Title",) if n in styles),
                           self.style("Title"))
        line_style = next((styles[n] for n in ("Publication subtitle", "Subtitle") if n in styles),
                          self.style("Normal"))
        paragraphs = [self.doc.add_paragraph(clean_text(title), title_style)]
        paragraphs += [self.doc.add_paragraph(clean_text(line), line_style) for line in lines if line]
        # Below the cover picture's logo band, as the template's own title sits.
        paragraphs[0].paragraph_format.space_before = Cm(6)
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), "9900")
        start.set(qn("w:name"), COVER_BOOKMARK)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), "9900")
        paragraphs[0]._p.insert(1, start)
        paragraphs[0]._p.append(end)
        for p in paragraphs:
            first.addprevious(p._p)

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
        """A heading, kept on the page of what follows it even when a template's heading
        style does not say so: a heading alone at the foot of a page reads as a gap."""
        text = clean_text(text)
        style = self.style(f"Heading {level}")
        numbered = self.numbered_headings.get(level)
        match = _HEADING_NUMBER.match(text)
        # The template numbers its headings itself: a house style's typed number gives way
        # to it, but only the number the template would print next ("2025 plan" stays).
        if numbered is not None and match and int(match.group(1)) == self._headings_numbered + 1:
            style, text = numbered, text[match.end():]
            self._headings_numbered += 1
        p = self.doc.add_paragraph(text, style)
        p.paragraph_format.keep_with_next = True
        return p

    def _keep_lead_in(self, element) -> None:  # noqa: ANN001 - a w:p or w:tbl
        """Keep the paragraph just before `element` (a table, a list's first item) on the
        same page as it: 'The risks are listed below:' never ends a page on its own."""
        before = element.getprevious()
        if before is not None and before.tag == qn("w:p") and before.find(qn("w:pPr")) is not None \
                and before.find(qn("w:pPr")).find(qn("w:sectPr")) is not None:
            return  # the end of a section: the next page starts afresh
        if before is not None and before.tag == qn("w:p"):
            Paragraph(before, self.doc).paragraph_format.keep_with_next = True

    def mark(self) -> int:
        """Where the body has got to, for `keep_since`."""
        return len(self.doc.element.body)

    def keep_since(self, mark: int) -> None:
        """Keep every paragraph written since `mark` on one page (each kept with the next): a
        report's short closing block (recommendations, the author, the date, the list of
        appendices) moves whole rather than leaving its last line alone on a page."""
        added = [e for e in list(self.doc.element.body)[mark:] if e.tag == qn("w:p")]
        for p in added[:-1]:
            Paragraph(p, self.doc).paragraph_format.keep_with_next = True

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

    def bullet(self, text: str, indent: bool = False, level: int = 0) -> Paragraph:
        if self.fallback_bullets:
            p = self.doc.add_paragraph("\u2022\t" + clean_text(text), self.style("List Bullet"))
        else:
            p = self.doc.add_paragraph(clean_text(text), self.style("List Bullet"))
        if indent or self.numbered or level:
            p.paragraph_format.left_indent = Cm((1.9 if indent or self.numbered else 0.63)
                                                + 0.63 * level)
            if level:
                p.paragraph_format.first_line_indent = Cm(-0.63)
        before = p._p.getprevious()
        if before is not None and before.tag == qn("w:p") and \
                Paragraph(before, self.doc).style.name != self.style("List Bullet").name:
            self._keep_lead_in(p._p)  # the first item of a list: its lead-in stays with it
        return p

    def text_block(self, text: str, *, number_first_only: bool = False,
                   section: str = "") -> None:
        """A section's narrative, written from its Markdown: paragraphs, sub-headings, bullet
        and numbered lists (real Word lists), tables (real Word tables) and pictures. Numbered
        reports number each paragraph (not list items, tables or pictures), as Durham does."""
        first = True
        where = f"{self.where}, section '{section}'" if section else self.where
        tables = 0
        for block in narrative_blocks(text):
            if isinstance(block, ListItem):
                if block.numbered:
                    self.numbered_item(block.text, restart=block.first, level=block.level)
                else:
                    self.bullet(block.text, level=block.level)
            elif isinstance(block, TableBlock):
                tables += 1
                self.markdown_table(block, (section or f"Table: {block.headers[0]}")
                                    + (f" (table {tables})" if tables > 1 and section else ""))
            elif isinstance(block, PictureBlock):
                self.picture(block, where)
            elif isinstance(block, SubHeading):
                self.heading(block.text, 2)
            elif isinstance(block, TextBlock):
                self.para(block.text, number=None if (first or not number_first_only) else False)
                first = False

    def numbered_item(self, text: str, *, restart: bool = False, level: int = 0) -> Paragraph:
        """One item of a numbered list, in the template's 'List Number' style; `restart`
        starts the list again at 1 (each list in a report counts from 1). A template without
        that list gets the number typed, hanging like a list."""
        num_id = self._restart_numbering() if restart or self._list_num is None \
            else self._list_num
        self._list_num = num_id
        self._list_number = 1 if restart else self._list_number + 1
        if num_id is None:
            p = self.para(text, label=f"{self._list_number}.", number=False)
        else:
            p = self.doc.add_paragraph(clean_text(text), self.style("List Number"))
            numPr = p._p.get_or_add_pPr().get_or_add_numPr()
            numPr.get_or_add_ilvl().val = 0
            numPr.get_or_add_numId().val = int(num_id)
        if self.numbered or level:
            p.paragraph_format.left_indent = Cm(1.9 + 0.63 * level)
            p.paragraph_format.first_line_indent = Cm(-0.63)
        if restart:
            self._keep_lead_in(p._p)  # the first item of a list: its lead-in stays with it
        return p

    def _restart_numbering(self) -> str | None:
        """A fresh numbering instance of the template's 'List Number' list, counting from 1,
        or None when the template has no such list."""
        if "List Number" not in self._styles:
            styles = self.doc.styles
            self._styles["List Number"] = (styles["List Number"]  # noqa: SIM401 - no .get
                                           if "List Number" in styles else None)
        style = self._styles["List Number"]
        pPr = style.element.pPr if style is not None else None
        numPr = pPr.find(qn("w:numPr")) if pPr is not None else None
        num_el = numPr.find(qn("w:numId")) if numPr is not None else None
        if num_el is None:
            return None
        try:
            numbering = self.doc.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return None
        found = [n for n in numbering.num_lst if str(n.numId) == num_el.get(qn("w:val"))]
        if not found:
            return None
        num = numbering.add_num(found[0].abstractNumId.val)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return str(num.numId)

    def markdown_table(self, block: TableBlock, caption: str) -> Table:
        """A table typed in a section: a real Word table, its header row repeated on each
        page, numbers right-aligned (by the alignment row, or because the column holds only
        numbers), columns as wide as their words need."""
        lengths = [max([len(h), *(len(r[n]) for r in block.rows)])
                   for n, h in enumerate(block.headers)]
        table = self.table(list(block.headers), [min(max(n, 6), 40) for n in lengths],
                           [list(r) for r in block.rows], caption=clean_text(caption),
                           description="Columns: " + ", ".join(clean_text(h)
                                                               for h in block.headers))
        for tr in table._tbl.tr_lst:
            for tc, align in zip(tr.tc_lst, block.align, strict=False):
                if align != "left":
                    for p in tc.iter(qn("w:p")):
                        Paragraph(p, table).alignment = (
                            WD_ALIGN_PARAGRAPH.RIGHT if align == "right"
                            else WD_ALIGN_PARAGRAPH.CENTER)
        return table

    def picture(self, block: PictureBlock, where: str) -> Paragraph:
        """A picture from a section, inline in a paragraph of its own, no wider than the text
        and no taller than two thirds of the page, with its alt text for a screen reader."""
        stored = REGISTER_PICTURE.match(block.target)
        shown = stored.group(2) if stored else (Path(block.target).name or "()")
        if not block.alt:
            raise PictureError(f"{where}: the picture {shown} has no alt text; write "
                               f"![what the picture shows]({shown})")
        content = None
        if stored and self.picture_source is not None:
            content = self.picture_source(stored.group(1))
        elif not stored and block.target and Path(block.target).is_file():
            content = Path(block.target).read_bytes()
        if content is None:
            raise PictureError(f"{where}: the picture {shown} is not in the register; set the "
                               "section again with the picture file beside it")
        try:
            image = Image.from_blob(content)
        except (UnrecognizedImageError, ValueError, KeyError) as exc:
            raise PictureError(f"{where}: the picture {shown} cannot be read ({exc})") from None
        section = self.doc.sections[-1]
        most_high = (section.page_height - section.top_margin - section.bottom_margin) * 2 / 3
        indent = Cm(1.27) if self.numbered else 0  # under the text of numbered paragraphs
        scale = min(1.0, (self.content_width - indent) / max(image.width, 1),
                    most_high / max(image.height, 1))
        p = self.doc.add_paragraph(style=self.style("Normal"))
        if indent:
            p.paragraph_format.left_indent = indent
        self._keep_lead_in(p._p)  # 'The value in scope is shown below:' stays with it
        shape = p.add_run().add_picture(BytesIO(content), width=Length(int(image.width * scale)),
                                        height=Length(int(image.height * scale)))
        docx_xml.set_alt_text(shape, clean_text(block.alt))
        return p

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
        # The template's own header row (its table style's fill, its "Table Head" style) where
        # it has one; the text colour always chosen from the fill it will print on.
        fill = header_fill and (_first_row_fill(self.style(TABLE_STYLE)) or header_fill)
        ink = readable_ink(fill or "FFFFFF")
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            p = cell.paragraphs[0]
            p.style = self.table_head or text_style
            run = p.add_run(clean_text(text))
            run.bold = True
            run.font.color.rgb = RGBColor.from_string(ink)
            if fill:
                docx_xml.set_cell_shading(cell, fill)
        if repeat_header:
            docx_xml.mark_header_row(table.rows[0])
        widths = fit_widths(self.widths(fractions),
                            [longest_words(headers[n], [r[n] for r in rows], _text_points(text_style))
                             for n in range(len(headers))])
        docx_xml.set_table_widths(table, widths)
        twips = [round(w / 635) for w in widths]
        style_id = text_style.style_id
        body = "".join(self._row_xml(values, twips, style_id) for values in rows)
        for tr in parse_xml(f"<w:tbl {nsdecls('w')}>{body}</w:tbl>"):
            table._tbl.append(tr)
        docx_xml.keep_rows_whole(table)
        docx_xml.set_table_alt_text(table, caption, description)
        self._keep_lead_in(table._tbl)
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
                # On a fill (a band's colour), black or white, whichever reads: a template's
                # near-black body text falls under 4.5:1 on red.
                bold = "<w:b/>" if spec.bold_first and n == 0 else ""
                ink = f'<w:color w:val="{readable_ink(spec.fill)}"/>' if spec.fill else ""
                rpr = f"<w:rPr>{bold}{ink}</w:rPr>" if bold or ink else ""
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


_HEADING_NUMBER = re.compile(r"^(\d{1,2})\.?\s+(?=\S)")


def _section_flow(style) -> None:
    """A report's sections follow one another: a template whose Heading 1 starts a new page in
    a frame at a fixed place on it (the Strategy Unit's chapter heading) would leave a page
    for every short section, so those two settings are dropped in the report's copy."""
    pPr = style.element.pPr
    if pPr is None:
        return
    frame = pPr.find(qn("w:framePr"))
    if frame is not None and frame.get(qn("w:vAnchor")) == "page":
        pPr.remove(frame)
        breaks = pPr.find(qn("w:pageBreakBefore"))
        if breaks is not None:
            pPr.remove(breaks)


def has_cover(doc: Document) -> bool:
    """Whether the report's first page is a template's cover (see Writer.cover)."""
    return any(b.get(qn("w:name")) == COVER_BOOKMARK
               for b in doc.element.body.iter(qn("w:bookmarkStart")))


def _first_row_fill(table_style) -> str | None:
    """The fill a template's table style gives its header row (Public Health Scotland's
    purple), or None."""
    for pr in table_style.element.iterchildren(qn("w:tblStylePr")):
        if pr.get(qn("w:type")) == "firstRow":
            shd = pr.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
            fill = shd.get(qn("w:fill")) if shd is not None else None
            if fill and fill.lower() != "auto":
                return fill.upper()
    return None


def _luminance(hex_rgb: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_rgb[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two hex RGB colours (1 to 21)."""
    la, lb = sorted((_luminance(a.lstrip("#")), _luminance(b.lstrip("#"))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_ink(fill: str) -> str:
    """Black or white text, whichever reads better on `fill` (black wins ties)."""
    return "000000" if contrast("000000", fill) >= contrast("FFFFFF", fill) else "FFFFFF"


# --- column widths from what the columns hold ---------------------------------------------------

# Advance widths of Helvetica, in thousandths of the font size, for the printable ASCII
# characters (space to '~'). Arial and LibreOffice's Liberation Sans share these metrics, and
# for other fonts they are near enough to keep a ref or a name whole.
_HELVETICA = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 "
    "556 556 556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 "
    "556 833 722 778 667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 "
    "556 500 556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 "
    "500 500 500 334 260 334 584")
_WIDTHS = {chr(32 + n): int(w) for n, w in enumerate(_HELVETICA.split())}
_BOLD = 1.1  # bold Helvetica runs about a tenth wider
# Word's default cell margins (0.19 cm each side) and a little slack for a different font.
_CELL_PADDING = Cm(0.38) + Cm(0.12)
_BULLET_INDENT = Cm(0.35)  # the hanging indent of a typed bullet in a cell (198 twips)


def word_width(word: str, points: float, bold: bool = False) -> Length:
    """How wide `word` prints at `points` in Arial, as a Length (EMU)."""
    thousandths = sum(_WIDTHS.get(c, 556 if c.isalnum() else 600) for c in word)
    return Length(int(thousandths / 1000 * points * (_BOLD if bold else 1) * 12700))


def longest_words(header: str, cells: Sequence[Cell], points: float) -> Length:
    """The narrowest a column can be without breaking a word: its widest word (a ref such as
    'M-001' counts as one word, since Word may break after a hyphen), header in bold."""
    widest = max((word_width(w, points, bold=True) for w in header.split()), default=Length(0))
    for value in cells:
        spec = value if isinstance(value, CellSpec) else CellSpec(value)
        lines = spec.text.split("\n") if isinstance(spec.text, str) else list(spec.text)
        for n, line in enumerate(lines):
            bold = spec.bold_first and n == 0
            indent = _BULLET_INDENT if spec.bullets else 0
            for w in str(line).split():
                widest = max(widest, Length(word_width(w, points, bold) + indent))
    return Length(widest + _CELL_PADDING)


def fit_widths(widths: Sequence[Length], least: Sequence[Length]) -> list[Length]:
    """The columns' planned widths, each widened to at least its `least` (its widest word),
    the width taken from the columns with room to spare (the long text columns), the table
    as wide as before. A column whose widest word is very long (a web address) may still
    break it: no column is asked for more than half the table."""
    total = sum(int(w) for w in widths)
    least = [min(int(m), total // 2) for m in least]
    if sum(least) >= total:
        return list(widths)
    out = [max(int(w), m) for w, m in zip(widths, least, strict=True)]
    excess = sum(out) - total
    spare = [o - m for o, m in zip(out, least, strict=True)]
    room = sum(spare)
    if excess > 0 and room > 0:
        out = [o - excess * s // room for o, s in zip(out, spare, strict=True)]
    out[-1] += total - sum(out)  # rounding: the table keeps its width exactly
    return [Length(o) for o in out]


def _text_points(style) -> float:  # noqa: ANN001 - a python-docx paragraph style
    """The font size a paragraph style prints at, following its base styles (10 pt if none
    says)."""
    while style is not None:
        if style.font.size is not None:
            return style.font.size.pt
        style = style.base_style
    return 10.0


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
    docx_xml.keep_refs_whole(doc.element.body)  # "M-001" never breaks at its hyphen
    # With a template's cover, the report's own pages start in the second section.
    first = doc.sections[1] if has_cover(doc) and len(doc.sections) > 1 else doc.sections[0]
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
            first = header._element.find(qn("w:p"))
            if first is not None and first.find(f".//{qn('wp:anchor')}") is not None:
                # A picture placed from the header's first line (a template's full-page
                # cover, its logo at the top): a line above it would move the picture down
                # and one beside it would print over the logo, so the marking heads the
                # cover's text instead, in black (5:1 on Public Health Scotland's teal).
                p = doc.add_paragraph()
                p.add_run(clean_text(text)).bold = True
                p.paragraph_format.space_before = Cm(1.2)  # below the logo
                doc.element.body.insert(0, p._p)
                continue
            p = header.add_paragraph()
            p.alignment = 1  # centre
            p.add_run(clean_text(text)).bold = True
            header._element.insert(0, p._p)  # above a logo or the council's name
