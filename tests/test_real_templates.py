"""`report --template` with two real NHS Word templates (Public Health Scotland's cover and the
Strategy Unit's), read from ../shared/realworld and never copied into the repository: the
first page's header, logo and footer carried, the template's fonts, its own table head and
numbered heading styles used, and every table's header row readable (contrast at least
4.5:1)."""

from __future__ import annotations

import docx
import pytest
from conftest import REALWORLD
from docx.oxml.ns import qn

from ooh_desk.exports.report import write_report
from ooh_desk.store import Register

PHS = REALWORLD / "phs-mngtinfo-cover_Public-Health-Scotland.docx"
SU = REALWORLD / "strategy-unit-template_The-Strategy-Unit.docx"
TEMPLATES = {"phs": PHS, "su": SU}
STYLES = ("coventry", "nhs-cover")

pytestmark = pytest.mark.skipif(not PHS.exists() or not SU.exists(),
                                reason="../shared/realworld (the NHS templates) is missing")


@pytest.fixture(scope="module")
def reports(demo_register, tmp_path_factory):
    """The demo's draft written over each template in two house styles."""
    out = tmp_path_factory.mktemp("real-templates")
    made = {}
    with Register.open(demo_register, readonly=True) as reg:
        for name, template in TEMPLATES.items():
            for style in STYLES:
                path = out / f"{name}-{style}.docx"
                write_report(reg, path, style=style, template=template)
                made[name, style] = docx.Document(str(path))
    return made


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two hex colours."""
    def luminance(hex_rgb: str) -> float:
        def channel(c: int) -> float:
            c = c / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        r, g, b = (int(hex_rgb[i:i + 2], 16) for i in (0, 2, 4))
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _images(part) -> list[str]:
    """The relationship ids of the pictures a header or footer part shows."""
    return [blip.get(qn("r:embed")) for blip in part._element.iter(qn("a:blip"))]


def _text(part) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t")))
                     for p in part._element.iter(qn("w:p")))


def _first_row(table, tag: str) -> str | None:
    """What the table's style gives its first row: its fill ('w:shd') or text colour."""
    for pr in table.style.element.iterchildren(qn("w:tblStylePr")):
        if pr.get(qn("w:type")) == "firstRow":
            found = pr.find(f".//{qn(tag)}")
            if found is not None:
                return found.get(qn("w:fill" if tag == "w:shd" else "w:val"))
    return None


def _fill_and_ink(table, cell) -> tuple[str, str]:
    """The fill a header cell prints on and the colour of its text, as Word resolves them:
    the cell's own fill, else its table style's first row; the run's own colour, else its
    paragraph style's, else the table style's first row, else black."""
    shd = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
    fill = shd.get(qn("w:fill")) if shd is not None else _first_row(table, "w:shd") or "FFFFFF"
    run = cell.paragraphs[0].runs[0]
    if run.font.color.rgb is not None:
        return fill, str(run.font.color.rgb)
    style = cell.paragraphs[0].style
    while style is not None:
        if style.font.color.rgb is not None:
            return fill, str(style.font.color.rgb)
        style = style.base_style
    return fill, _first_row(table, "w:color") or "000000"


@pytest.mark.parametrize("style", STYLES)
def test_phs_cover_page_carries_its_picture_logo_and_footer(reports, style):
    doc = reports["phs", style]
    cover = doc.sections[0]
    assert cover.different_first_page_header_footer
    pictures = _images(cover.first_page_header)
    assert pictures, "the cover's full-page picture and logo are carried"
    assert cover.first_page_header.part.related_parts[pictures[0]].blob[:4] == b"\x89PNG"
    assert _images(cover.first_page_footer) or cover.first_page_footer._element.xpath(".//w:drawing")
    # The paper's title sits on the cover in the template's own white cover style.
    first = doc.paragraphs[0]
    assert first.style.name == "Publication Title"
    assert first.text == "Out of Hospital Community Services Programme: progress report"
    # The report proper starts on the next page, in the template's inside-page layout.
    body = doc.sections[1]
    assert not body.different_first_page_header_footer
    assert "PAGE" in body.footer._element.xml


@pytest.mark.parametrize("style", STYLES)
def test_strategy_unit_first_page_header_logo_footer_and_fonts(reports, style):
    doc = reports["su", style]
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    assert "Leading research, analysis and change from within the NHS" in \
        _text(section.first_page_header)
    assert _images(section.first_page_header), "the Strategy Unit logo"
    assert "strategy.unit@nhs.net" in _text(section.first_page_footer)
    assert _images(section.first_page_footer), "the NHS Midlands and Lancashire logo"
    assert "PAGE" in section.footer._element.xml
    # The template's fonts, not ours: Segoe UI is its body font.
    fonts = doc.styles.element.xml
    assert "Segoe UI" in fonts


@pytest.mark.parametrize("name", ["phs", "su"])
@pytest.mark.parametrize("style", STYLES)
def test_every_table_header_row_is_readable(reports, name, style):
    doc = reports[name, style]
    assert doc.tables
    for table in doc.tables:
        for cell in table.rows[0].cells:
            if not cell.text.strip():
                continue
            fill, ink = _fill_and_ink(table, cell)
            assert contrast(fill, ink) >= 4.5, (cell.text, fill, ink)


@pytest.mark.parametrize("name", ["phs", "su"])
def test_text_on_a_band_colour_is_readable(reports, name):
    """The risk bands' fills (red for Extreme) under the template's body text colour: the
    Strategy Unit's near-black 2C2825 is 3.5:1 on red."""
    doc = reports[name, "nhs-cover"]
    checked = 0
    for table in doc.tables:
        for row in table.rows[1:]:
            for cell in row.cells:
                shd = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
                if shd is None or not cell.text.strip():
                    continue
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        ink = run.font.color.rgb
                        style = paragraph.style
                        while ink is None and style is not None:
                            ink, style = style.font.color.rgb, style.base_style
                        assert contrast(shd.get(qn("w:fill")), str(ink or "000000")) >= 4.5, \
                            (cell.text, shd.get(qn("w:fill")), ink)
                        checked += 1
    assert checked


def test_templates_own_table_head_and_body_styles_are_used(reports):
    phs = reports["phs", "coventry"]
    table = phs.tables[0]
    assert table.rows[0].cells[0].paragraphs[0].style.name == "Table Head"
    assert table.rows[1].cells[0].paragraphs[0].style.name == "Table Body"
    # PHS's own table style gives its header row a purple fill: the report keeps it.
    assert "43358B" in table.rows[0].cells[0]._tc.xml
    su = reports["su", "coventry"]
    assert su.tables[0].rows[0].cells[0].paragraphs[0].style.name == "TableHeading"
    assert su.tables[0].rows[1].cells[0].paragraphs[0].style.name == "TableText"
    assert "Table Text" not in [s.name for s in su.styles]  # no fallback of ours added


@pytest.mark.parametrize("name,numbered", [("phs", "Heading 1 numbered"),
                                           ("su", "Heading 1Numb")])
def test_templates_numbered_headings_number_the_sections(reports, name, numbered):
    doc = reports[name, "coventry"]
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name == numbered]
    texts = [t for _, t in headings]
    assert "Purpose" in texts and "Recommendations" in texts  # the template numbers them
    assert not any(t[:1].isdigit() for t in texts)  # not "1. 1. Purpose"


def test_strategy_unit_sections_follow_on_rather_than_a_page_each(reports):
    """Its Heading 1 starts a page in a frame fixed on it: a report of short sections would
    be a page a section with headings printed over one another."""
    doc = reports["su", "coventry"]
    heading = doc.styles["Heading 1"].element.pPr
    assert heading.find(qn("w:pageBreakBefore")) is None
    assert heading.find(qn("w:framePr")) is None


def test_exempt_paper_over_the_phs_cover_marks_it_without_moving_the_picture(demo_register,
                                                                             tmp_path):
    out = tmp_path / "exempt.docx"
    with Register.open(demo_register, readonly=True) as reg:
        write_report(reg, out, style="durham", template=PHS, exempt=True,
                     exemption="Paragraph 3")
    doc = docx.Document(str(out))
    header = doc.sections[0].first_page_header._element
    # The cover picture still hangs from the header's first line, which holds no text.
    first = header.find(qn("w:p"))
    assert first.find(f".//{qn('wp:anchor')}") is not None
    assert "NOT FOR PUBLICATION" not in "".join(t.text for t in header.iter(qn("w:t")))
    # The marking heads the cover's text, in black (over 5:1 on the cover's teal, 008E8F).
    assert doc.paragraphs[0].text.startswith("NOT FOR PUBLICATION")
    assert contrast("008E8F", "000000") >= 4.5
    assert doc.paragraphs[1].style.name == "Publication Title"
    # Every page after the cover says it too.
    assert "NOT FOR PUBLICATION" in "".join(
        t.text for t in doc.sections[1].header._element.iter(qn("w:t")))


def test_only_the_number_the_template_would_print_next_gives_way():
    from ooh_desk.exports.writer import Writer, open_template

    w = Writer(open_template(SU))
    made = [w.heading(t) for t in ("1. Purpose", "2025 plan", "2 Background", "12 months on")]
    assert [(p.style.name, p.text) for p in made] == [
        ("Heading 1Numb", "Purpose"), ("Heading 1", "2025 plan"),
        ("Heading 1Numb", "Background"), ("Heading 1", "12 months on")]
