"""The Excel risk log as it prints (issue 12, item 9): every page legible at 8 pt or more,
measured from LibreOffice's PDF; the log over two pages wide with the ref and title
repeated; page headers that do not overlap; band colours with text a reader can see
(WCAG 4.5:1); the mitigating actions' owners and due dates; the workbook's own properties."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ooh_desk.domain.risk_log_layout import MAIN_SHEET
from ooh_desk.domain.scoring import DEFAULT_BANDS, contrast_ratio


@pytest.fixture(scope="module")
def demo_log(demo_register, tmp_path_factory):
    from ooh_desk.cli import main

    folder = tmp_path_factory.mktemp("print")
    register = shutil.copy(demo_register, folder / "demo.oohdesk")
    out = folder / "risk-log.xlsx"
    assert main(["export", str(register), "risk-log", "-o", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def printed(demo_log, tmp_path_factory):
    """The log as LibreOffice prints it: the PDF's path."""
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    out = tmp_path_factory.mktemp("pdf")
    profile = tmp_path_factory.mktemp("profile")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(demo_log)],
                   check=True, capture_output=True, timeout=300)
    return out / "risk-log.pdf"


def text_sizes(page):
    """(size in points as printed, text) for each run of text on a PDF page: the font size
    times the text and page matrices' vertical scale."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            c = tm[2] * cm[0] + tm[3] * cm[2]
            d = tm[2] * cm[1] + tm[3] * cm[3]
            runs.append((size * (c * c + d * d) ** 0.5, text.strip()))

    page.extract_text(visitor_text=visit)
    return runs


@pytest.mark.slow
def test_every_printed_page_is_8pt_or_more(printed):
    pages = PdfReader(printed).pages
    for number, page in enumerate(pages, 1):
        runs = text_sizes(page)
        assert runs, f"page {number} has no text"
        smallest = min(runs)
        assert smallest[0] >= 8, f"page {number}: {smallest[1]!r} prints at {smallest[0]:.1f} pt"


@pytest.mark.slow
def test_the_log_prints_two_pages_wide_with_ref_and_title_on_each(printed):
    pages = [p.extract_text() for p in PdfReader(printed).pages]
    log_pages = [t for t in pages if "Risk log as at" in t]
    assert len(log_pages) >= 2 and len(log_pages) % 2 == 0
    first, second = log_pages[0], log_pages[1]  # across, then down: one risk's two halves
    for text in (first, second):
        assert "Ref" in text and "R-001" in text
        assert "Complexity of TUPE transfers" in text  # the risk's title, on both halves
    assert "Description" in first and "Current" in first and "Band" in first
    assert "Mitigating actions" in second and "Controls" in second and "Status" in second
    assert "Mitigating actions" not in first and "Description" not in second


def _words(pdf, page):
    """pdftotext -bbox's words on one page: (x0, y0, x1, y1, text)."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         check=True, capture_output=True, text=True).stdout
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        out)]


@pytest.mark.slow
def test_no_page_header_or_footer_overlaps_another(printed):
    """The words in each page's top and bottom margins (0.75 in, 54 pt) never overlap: the
    key's portrait page printed the programme's name under the sheet's title."""
    pages = PdfReader(printed).pages
    for number, page in enumerate(pages, 1):
        height = float(page.mediabox.height)
        words = _words(printed, number)
        for where, margin in (("header", [w for w in words if w[3] < 54]),
                              ("footer", [w for w in words if w[1] > height - 54])):
            assert margin, f"page {number} has no {where}"
            for i, a in enumerate(margin):
                for b in margin[i + 1:]:
                    overlap = min(a[2], b[2]) - max(a[0], b[0]) > 0.5 \
                        and min(a[3], b[3]) - max(a[1], b[1]) > 0.5
                    assert not overlap, f"page {number} {where}: {a[4]!r} overlaps {b[4]!r}"


def test_print_setup_repeats_ref_and_title_at_a_legible_scale(demo_log):
    ws = load_workbook(demo_log)[MAIN_SHEET]
    assert ws.print_title_cols == "$A:$B" and ws.print_title_rows == "$1:$1"
    assert not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.scale * 9 / 100 >= 8  # 9 pt text, printed at this scale
    assert ws.page_setup.pageOrder == "overThenDown"
    assert [b.id for b in ws.col_breaks.brk] == [12]  # after Trend
    assert ws.cell(1, 12).value == "Trend"


def test_wcag_contrast_of_black_and_white():
    assert contrast_ratio("FFFFFF", "000000") == pytest.approx(21)
    assert contrast_ratio("FF0000", "FFFFFF") == pytest.approx(4.0, abs=0.01)


def _rgb(colour):
    return colour.rgb[-6:]


def test_every_band_colour_has_text_at_4_5_to_1(demo_log):
    wb = load_workbook(demo_log)
    pairs = []
    ws = wb[MAIN_SHEET]
    for rules in ws.conditional_formatting._cf_rules.values():
        pairs += [(_rgb(r.dxf.fill.fgColor), _rgb(r.dxf.font.color)) for r in rules]
    key = wb["Key"]
    for row in key.iter_rows():
        cell = row[0]
        if cell.fill.fill_type == "solid":
            pairs.append((_rgb(cell.fill.fgColor), _rgb(cell.font.color)))
    heat = wb["Heat map"]
    for row in heat.iter_rows(min_row=6, max_row=10, min_col=3, max_col=7):
        pairs += [(_rgb(c.fill.fgColor), _rgb(c.font.color)) for c in row]
    fills = {fill for fill, _ in pairs}
    assert {b.colour for b in DEFAULT_BANDS} <= fills
    for fill, text in pairs:
        assert contrast_ratio(fill, text) >= 4.5, f"{text} on {fill}"


def test_mitigating_actions_carry_owners_and_due_dates(demo_log):
    ws = load_workbook(demo_log)["Mitigating actions"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    with_owner = [r for r in rows if r[3]]
    with_due = [r for r in rows if r[4]]
    assert len(with_owner) >= 5 and len(with_due) >= 5
    assert all(r[3] for r in with_due)


def test_actions_owners_and_due_dates_survive_export_and_import(demo_log, tmp_path):
    from ooh_desk.cli import main
    from ooh_desk.store import Register, records

    register = tmp_path / "new.oohdesk"
    assert main(["init", str(register), "--programme", "Read back"]) == 0
    assert main(["import", str(register), str(demo_log)]) == 0
    with Register.open(register, readonly=True) as reg:
        actions = [m for r in records.all_records(reg, "risks") for m in r.mitigations]
    assert sum(1 for m in actions if m.owner and m.due) >= 5


def test_workbook_properties(demo_log):
    props = load_workbook(demo_log).properties
    assert props.creator == "OOH Desk"
    assert props.title == "Risk log: Out of Hospital Community Services Programme"
    assert props.subject == "Risk log as at 9 November 2017"
    assert props.language == "en-GB"
    with zipfile.ZipFile(demo_log) as z:
        core = z.read("docProps/core.xml").decode()
    assert re.search(r"<dc:language[^>]*>en-GB</dc:language>", core)


def test_columns_measure_in_arial_so_every_app_lays_them_out_alike(demo_log):
    with zipfile.ZipFile(demo_log) as z:
        styles = z.read("xl/styles.xml").decode()
    first_font = styles.split("<font>", 1)[1].split("</font>", 1)[0]
    assert '<name val="Arial"/>' in first_font and '<sz val="10"/>' in first_font


def test_rows_are_tall_enough_for_words_wrapped_in_narrow_columns(demo_log):
    """An owner of three words per line in the 18-wide Owner column ("Head of /
    Communications and / Engagement") takes three lines; its row is given them."""
    ws = load_workbook(demo_log)["Mitigating actions"]
    rows = [r for r in ws.iter_rows(min_row=2)
            if r[3].value == "Head of Communications and Engagement"]
    assert rows
    for row in rows:
        assert ws.row_dimensions[row[0].row].height >= 3 * 11.5
