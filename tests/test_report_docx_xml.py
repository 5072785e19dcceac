"""The python-docx gaps filled in exports/docx_xml.py: each helper's XML, read back after a
save, where Word and LibreOffice look for it."""

from __future__ import annotations

import struct
import zlib

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm

from ooh_desk.exports import docx_xml


def _roundtrip(doc, tmp_path):
    path = tmp_path / "t.docx"
    doc.save(path)
    return docx.Document(str(path))


def _png(width: int = 4, height: int = 4) -> bytes:
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def test_header_row_repeats_and_cannot_split(tmp_path):
    doc = docx.Document()
    table = doc.add_table(rows=3, cols=2)
    docx_xml.mark_header_row(table.rows[0])
    docx_xml.mark_header_row(table.rows[0])  # twice is harmless
    back = _roundtrip(doc, tmp_path).tables[0]
    trPr = back.rows[0]._tr.trPr
    assert len(trPr.findall(qn("w:tblHeader"))) == 1
    assert trPr.find(qn("w:tblHeader")).get(qn("w:val")) == "1"
    # schema order: cantSplit comes before tblHeader
    assert [c.tag for c in trPr] == [qn("w:cantSplit"), qn("w:tblHeader")]
    assert back.rows[1]._tr.trPr is None


def test_language_is_en_gb_in_default_run_properties(tmp_path):
    doc = docx.Document()
    docx_xml.set_language(doc, "en-GB")
    styles = _roundtrip(doc, tmp_path).styles.element
    lang = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "en-GB"
    assert all(el.get(qn("w:val")) == "en-GB" for el in styles.iter(qn("w:lang")))


def test_alt_text_on_pictures_and_fallback_for_those_without(tmp_path):
    image = tmp_path / "logo.png"
    image.write_bytes(_png())
    doc = docx.Document()
    shape = doc.add_picture(str(image), width=Cm(2))
    docx_xml.set_alt_text(shape, "Heat map of current risks", title="Heat map")
    doc.sections[0].header.paragraphs[0].add_run().add_picture(str(image), width=Cm(1))
    assert docx_xml.ensure_picture_alt_text(doc, "Organisation logo") == 1
    back = _roundtrip(doc, tmp_path)
    assert back.inline_shapes[0]._inline.docPr.get("descr") == "Heat map of current risks"
    header_docpr = next(back.sections[0].header._element.iter(docx_xml._DOCPR))
    assert header_docpr.get("descr") == "Organisation logo"


def test_page_x_of_y_fields(tmp_path):
    doc = docx.Document()
    footer = doc.sections[0].footer.paragraphs[0]
    docx_xml.add_page_number_field(footer)
    back = _roundtrip(doc, tmp_path).sections[0].footer
    instructions = [i.text.strip() for i in back._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    kinds = [f.get(qn("w:fldCharType")) for f in back._element.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"] * 2
    assert back.paragraphs[0].text.replace("1", "X", 1).replace("1", "Y") == "Page X of Y"
    assert docx_xml.has_field([back._element], "NUMPAGES")
    assert not docx_xml.has_field([doc.sections[0].header._element], "PAGE")


def test_cell_shading(tmp_path):
    doc = docx.Document()
    cell = doc.add_table(rows=1, cols=1).rows[0].cells[0]
    cell.width = Cm(3)
    docx_xml.set_cell_shading(cell, "#ff0000")
    docx_xml.set_cell_shading(cell, "FFC000")  # a second fill replaces the first
    tcPr = _roundtrip(doc, tmp_path).tables[0].rows[0].cells[0]._tc.tcPr
    shades = tcPr.findall(qn("w:shd"))
    assert len(shades) == 1 and shades[0].get(qn("w:fill")) == "FFC000"
    assert [c.tag for c in tcPr] == [qn("w:tcW"), qn("w:shd")]  # schema order


def test_table_widths_fix_the_layout_and_fit_the_page(tmp_path):
    doc = docx.Document()
    table = doc.add_table(rows=2, cols=3)
    widths = [Cm(2), Cm(8), Cm(6)]
    docx_xml.set_table_widths(table, widths)
    back = _roundtrip(doc, tmp_path).tables[0]
    tblPr = back._tbl.tblPr
    assert tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    tblW = tblPr.find(qn("w:tblW"))
    assert tblW.get(qn("w:type")) == "dxa" and int(tblW.get(qn("w:w"))) == round(Cm(16) / 635)
    twips = [round(w / 635) for w in widths]
    assert [round(c.width / 635) for c in back.columns] == twips
    assert [round(c.width / 635) for c in back.rows[1].cells] == twips


def test_table_alt_text(tmp_path):
    doc = docx.Document()
    table = doc.add_table(rows=1, cols=1)
    docx_xml.set_table_alt_text(table, "Risk log", "12 open risks")
    tblPr = _roundtrip(doc, tmp_path).tables[0]._tbl.tblPr
    assert tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == "Risk log"
    assert tblPr.find(qn("w:tblDescription")).get(qn("w:val")) == "12 open risks"
    order = [c.tag for c in tblPr]
    assert order.index(qn("w:tblCaption")) > order.index(qn("w:tblW"))


def test_outline_level_makes_a_style_a_heading(tmp_path):
    doc = docx.Document()
    style = doc.styles.add_style("Council Heading", 1)
    docx_xml.set_outline_level(style, 0)
    back = _roundtrip(doc, tmp_path).styles["Council Heading"]
    assert back.element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == "0"


@pytest.mark.parametrize("text", ["=SUM(A1:A9)", "a\x00b\x0bc", "\ufffe"])
def test_clean_text_keeps_formula_text_plain_and_drops_what_xml_cannot_hold(tmp_path, text):
    doc = docx.Document()
    doc.add_paragraph(docx_xml.clean_text(text))
    back = _roundtrip(doc, tmp_path).paragraphs[0].text
    assert back == docx_xml.clean_text(text)
    assert not any(ord(c) < 32 or c == "\ufffe" for c in back)
    assert docx_xml.clean_text("=SUM(A1:A9)") == "=SUM(A1:A9)"
