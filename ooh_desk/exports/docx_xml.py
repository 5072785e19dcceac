"""The WordprocessingML python-docx has no API for, in one place: repeating table header rows
(w:tblHeader), the document language (w:lang), alt text on pictures and tables, PAGE and
NUMPAGES fields, cell shading, table widths and heading outline levels. Each helper writes the
elements in schema order so Word opens the file without a repair prompt.

Imports python-docx only: no Qt, no register.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length
from docx.styles.style import BaseStyle
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

__all__ = [
    "add_page_number_field",
    "clean_text",
    "ensure_picture_alt_text",
    "has_field",
    "keep_refs_whole",
    "keep_rows_whole",
    "mark_header_row",
    "set_alt_text",
    "set_cell_shading",
    "set_language",
    "set_outline_level",
    "set_table_alt_text",
    "set_table_widths",
]

# Characters XML 1.0 cannot hold at all; a pasted risk text can carry them (a vertical tab from
# an Excel cell, a NUL from a broken export). Tabs and new lines are kept.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(text: object) -> str:
    """Text as Word can hold it: plain characters only, never interpreted."""
    return _NOT_XML.sub(" ", "" if text is None else str(text))


def _child(parent, tag: str, successors: Sequence[str] = ()):
    """The first `tag` child of `parent`, made if missing and put before any of `successors`
    (the elements that must follow it in the schema)."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    element = OxmlElement(tag)
    for name in successors:
        after = parent.find(qn(name))
        if after is not None:
            after.addprevious(element)
            return element
    parent.append(element)
    return element


# --- tables ------------------------------------------------------------------------------------

_TRPR_AFTER_TBLHEADER = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")


def mark_header_row(row: _Row) -> None:
    """Repeat this row at the top of every page the table runs onto, and tell screen readers
    it is the header (Word reads w:tblHeader both ways)."""
    tr = row._tr
    trPr = tr.get_or_add_trPr()
    header = _child(trPr, "w:tblHeader", _TRPR_AFTER_TBLHEADER)
    header.set(qn("w:val"), "1")
    # A header row that split across pages would repeat half of itself.
    _child(trPr, "w:cantSplit", ("w:trHeight", "w:tblHeader", *_TRPR_AFTER_TBLHEADER)) \
        .set(qn("w:val"), "1")


def keep_rows_whole(table: Table) -> None:
    """Never split a row across two pages (w:cantSplit on every row): a risk's text on one
    page and its scores on the next reads as two risks. A row taller than a page still
    breaks, in Word and LibreOffice alike, so nothing is ever lost."""
    for tr in table._tbl.tr_lst:
        trPr = tr.get_or_add_trPr()
        _child(trPr, "w:cantSplit", ("w:trHeight", "w:tblHeader", *_TRPR_AFTER_TBLHEADER)) \
            .set(qn("w:val"), "1")


_TCPR_AFTER_SHD = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign",
                   "w:hideMark", "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge",
                   "w:tcPrChange")


def set_cell_shading(cell: _Cell, fill: str) -> None:
    """Fill a cell with a colour (hex RGB, no '#'). Colour is never the only meaning: the
    callers always write the band or RAG in words in the same cell."""
    tcPr = cell._tc.get_or_add_tcPr()
    shd = _child(tcPr, "w:shd", _TCPR_AFTER_SHD)
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill.lstrip("#").upper())


_TBLPR_ORDER = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
                "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
                "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def _tblPr_child(table: Table, tag: str):
    tblPr = table._tbl.tblPr
    return _child(tblPr, tag, _TBLPR_ORDER[_TBLPR_ORDER.index(tag) + 1:])


def set_table_widths(table: Table, widths: Sequence[Length]) -> None:
    """Fix the table to these column widths (their sum is the table's width), so it fits the
    page whatever the text: Word and LibreOffice both honour a fixed layout."""
    total = sum(int(w) for w in widths)
    tblW = _tblPr_child(table, "w:tblW")
    tblW.set(qn("w:type"), "dxa")
    tblW.set(qn("w:w"), str(_twips(total)))
    _tblPr_child(table, "w:tblLayout").set(qn("w:type"), "fixed")
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=False):
        col.w = width
    for tr in table._tbl.tr_lst:
        for tc, width in zip(tr.tc_lst, widths, strict=False):
            tc.width = width


def _twips(emu: int) -> int:
    return round(emu / 635)


def set_table_alt_text(table: Table, title: str, description: str) -> None:
    """Word's table 'Alt Text' (w:tblCaption and w:tblDescription), read by screen readers
    before the table."""
    _tblPr_child(table, "w:tblCaption").set(qn("w:val"), clean_text(title)[:255])
    _tblPr_child(table, "w:tblDescription").set(qn("w:val"), clean_text(description))


# --- refs -------------------------------------------------------------------------------------

# A register ref: M-001, R-012, A-003, P-001 (letters, a hyphen, digits).
_REF = re.compile(r"(?<![\w-])([A-Z]{1,5})-(?=\d{1,5}(?![\w-]))")


def keep_refs_whole(element) -> int:  # noqa: ANN001 - a body, header or footer element
    """Write the hyphen of every register ref ('M-001') under `element` as Word's
    non-breaking hyphen (w:noBreakHyphen), so a line or a narrow column never breaks it
    'M-' / '001'. The text reads the same to python-docx, Word's search and a screen reader.
    Returns how many refs were joined."""
    joined = 0
    for t in list(element.iter(qn("w:t"))):
        text = t.text or ""
        pieces = _REF.split(text)
        if len(pieces) == 1:
            continue
        # split() gives [before, letters, after-hyphen, letters, ...]: rejoin each ref's
        # letters to the text before, and put a non-breaking hyphen where the '-' was.
        parts = [pieces[0]]
        for letters, rest in zip(pieces[1::2], pieces[2::2], strict=True):
            parts[-1] += letters
            parts.append(rest)
        t.text = parts[0]
        t.set(qn("xml:space"), "preserve")
        anchor = t
        for part in parts[1:]:
            hyphen = OxmlElement("w:noBreakHyphen")
            anchor.addnext(hyphen)
            following = OxmlElement("w:t")
            following.set(qn("xml:space"), "preserve")
            following.text = part
            hyphen.addnext(following)
            anchor = following
            joined += 1
    return joined


# --- pictures ---------------------------------------------------------------------------------


def set_alt_text(inline_shape, text: str, title: str = "") -> None:
    """Alt text on a picture added with add_picture (its wp:docPr descr)."""
    docPr = inline_shape._inline.docPr
    docPr.set("descr", clean_text(text))
    if title:
        docPr.set("title", clean_text(title))


_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"


def ensure_picture_alt_text(doc: Document, fallback: str) -> int:
    """Give every picture in the body, headers and footers that has no alt text the fallback
    (a council logo in a template, usually). Returns how many were filled."""
    parts = [doc.element]
    for section in doc.sections:
        for hf in (section.header, section.footer, section.first_page_header,
                   section.first_page_footer, section.even_page_header, section.even_page_footer):
            if not hf.is_linked_to_previous:
                parts.append(hf._element)
    filled = 0
    for part in parts:
        for docPr in part.iter(_DOCPR):
            if not (docPr.get("descr") or "").strip():
                docPr.set("descr", fallback)
                filled += 1
    return filled


# --- language, headings, fields -----------------------------------------------------------------

_RPR_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


def set_language(doc: Document, tag: str = "en-GB") -> None:
    """The document's proofing and screen-reader language, in the default run properties and
    in every style that sets its own."""
    styles = doc.styles.element
    docDefaults = _child(styles, "w:docDefaults", ("w:latentStyles", "w:style"))
    rPrDefault = _child(docDefaults, "w:rPrDefault", ("w:pPrDefault",))
    rPr = _child(rPrDefault, "w:rPr")
    _set_lang(rPr, tag)
    for style in styles.findall(qn("w:style")):
        rPr = style.find(qn("w:rPr"))
        if rPr is not None and rPr.find(qn("w:lang")) is not None:
            _set_lang(rPr, tag)


def _set_lang(rPr, tag: str) -> None:
    lang = _child(rPr, "w:lang", _RPR_AFTER_LANG)
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)
    lang.set(qn("w:bidi"), "ar-SA")


_PPR_AFTER_OUTLINE = ("w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def set_outline_level(style: BaseStyle, level: int) -> None:
    """Make a paragraph style a heading for the navigation pane and screen readers
    (w:outlineLvl, 0 = Heading 1), for styles a template defines without one."""
    pPr = style.element.get_or_add_pPr()
    _child(pPr, "w:outlineLvl", _PPR_AFTER_OUTLINE).set(qn("w:val"), str(level))


def _field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A complex field (begin, instruction, separate, result, end): Word and LibreOffice both
    update PAGE and NUMPAGES when they lay the document out."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None),
                       ("text", placeholder), ("end", None)):
        run = paragraph.add_run()
        r = run._r
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            r.append(fld)


def add_page_number_field(paragraph: Paragraph, template: str = "Page {PAGE} of {NUMPAGES}") -> None:
    """Write 'Page X of Y' with live PAGE and NUMPAGES fields into a (footer) paragraph."""
    for piece in re.split(r"(\{PAGE\}|\{NUMPAGES\})", template):
        if piece == "{PAGE}":
            _field(paragraph, "PAGE", "1")
        elif piece == "{NUMPAGES}":
            _field(paragraph, "NUMPAGES", "1")
        elif piece:
            paragraph.add_run(piece)


def has_field(elements: Iterable, name: str) -> bool:
    """Whether any of these story elements (a footer's) already holds a `name` field."""
    for element in elements:
        for instr in element.iter(qn("w:instrText")):
            if (instr.text or "").split()[:1] == [name]:
                return True
        for simple in element.iter(qn("w:fldSimple")):
            if (simple.get(qn("w:instr")) or "").split()[:1] == [name]:
                return True
    return False
