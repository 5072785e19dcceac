"""An agenda pack's pages read as one document: the pack's page number never prints over a
document's own footer ("Page 3" over "Page 1 of 14") — each stamp goes where the page's text
leaves the margin clear, checked with poppler's `pdftotext -bbox`; our own papers and minutes
go in without page numbers of their own; every page of a private pack says NOT FOR
PUBLICATION with its exemption paragraph; and the pack keeps what a screen reader needs."""

from __future__ import annotations

import csv
import html
import re
import shutil
import subprocess

import pytest
from conftest import marked_pdf
from docx import Document
from docx.enum.text import WD_BREAK
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

HEADER = ["committee", "meeting_date", "time", "place", "item_no", "title", "part", "item_type",
          "presenter", "document", "paper"]
MARKING = "NOT FOR PUBLICATION"
_needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                    reason="poppler's pdftotext is not installed")
_needs_office = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice) is not installed")
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"(.*?)</word>")


def _plan(tmp_path, rows, committee="Test Board"):
    """rows: (number, title, part, document file name or '' [, paper ref])."""
    path = tmp_path / "plan.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number, title, part, document, *paper in rows:
            writer.writerow([committee, "2017-09-04", "2.00 pm", "Committee Room 3", number,
                             title, part, "", "A Presenter", document, *(paper or [""])])
    return path


def _words(pdf):
    """Each page's words with their boxes, as poppler lays them out."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return [[(float(a), float(b), float(c), float(d), html.unescape(w))
             for a, b, c, d, w in _WORD.findall(page)] for page in out.split("<page ")[1:]]


def _find(words, phrase):
    """Indexes of the words that spell `phrase` in a row, or None."""
    wanted = phrase.split()
    texts = [w[4] for w in words]
    for start in range(len(texts) - len(wanted) + 1):
        if texts[start:start + len(wanted)] == wanted:
            return list(range(start, start + len(wanted)))
    return None


def _overlaps(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _stamp_clear(words, phrase, number):
    """The stamp `phrase` is on the page and no other word touches its box."""
    found = _find(words, phrase)
    assert found is not None, f"page {number}: '{phrase}' is not printed"
    box = (min(words[i][0] for i in found), min(words[i][1] for i in found),
           max(words[i][2] for i in found), max(words[i][3] for i in found))
    for n, word in enumerate(words):
        if n not in found:
            assert not _overlaps(box, word[:4]), \
                f"page {number}: '{phrase}' prints over '{word[4]}'"


def _check_stamps(pdf, front_pages, marking=None):
    """Every page after the front sheet carries 'Page N' clear of other text; with
    `marking`, every page carries that line clear of other text (or as the page's own)."""
    pages = _words(pdf)
    for number, words in enumerate(pages, 1):
        if number > front_pages:
            _stamp_clear(words, f"Page {number}", number)
        if marking:
            text = " ".join(w[4] for w in words)
            assert MARKING in text and marking in text, f"page {number} is not marked"
    return pages


def _docx_with_footer(path, pages, marker, footer="Page 1 of 14"):
    """A Word document with its own footer text, centred at the foot of every page."""
    doc = Document()
    p = doc.sections[0].footer.paragraphs[0]
    p.text = footer
    p.alignment = 1
    for n in range(1, pages + 1):
        doc.add_paragraph(f"{marker} page {n}")
        if n < pages:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.save(path)


def _full_margins_pdf(path, pages):
    """A PDF whose foot is full of text from edge to edge (its own footer line)."""
    canvas = Canvas(str(path), pagesize=A4)
    for n in range(1, pages + 1):
        canvas.drawString(72, 700, f"CROWDED page {n}")
        for y in (8, 14, 20, 26, 32):  # rows of footer text across the whole foot
            canvas.setFont("Helvetica", 6)
            canvas.drawString(10, y, "Footer text " * 20)
        canvas.setFont("Helvetica", 12)
        canvas.showPage()
    canvas.save()
    return path


def _ours(path, pages, marker):
    """A PDF with 'Page 1 of 14' printed where the pack would put its own number."""
    canvas = Canvas(str(path), pagesize=A4)
    for n in range(1, pages + 1):
        canvas.drawString(72, 700, f"{marker} page {n}")
        canvas.setFont("Helvetica", 10)
        canvas.drawCentredString(A4[0] / 2, 8 * 72 / 25.4, f"Page {n} of 14")
        canvas.showPage()
    canvas.save()
    return path


# --- page numbers clear of a document's own footer (no LibreOffice) ---------------------------


@_needs_poppler
def test_the_pack_number_moves_clear_of_a_pdfs_own_footer(cli, register, tmp_path):
    _ours(tmp_path / "footer.pdf", 3, "FOOTED")
    marked_pdf(tmp_path / "plain.pdf", 2, "PLAIN")
    rows = [("1", "Footed report", "public", "footer.pdf"),
            ("2", "Plain report", "public", "plain.pdf")]
    assert cli("import", register, _plan(tmp_path, rows), "--kind", "agenda").code == 0
    out = tmp_path / "pack.pdf"
    result = cli("pack", register, "--meeting", "2017-09-04", "-o", out)
    assert result.code == 0, result.err
    pages = _check_stamps(out, front_pages=1)
    texts = [" ".join(w[4] for w in words) for words in pages]
    assert "Page 1 of 14" in texts[2] and "Page 3" in texts[2]  # both readable, apart


@_needs_poppler
def test_a_page_with_no_clear_margin_goes_unnumbered_with_a_note(cli, register, tmp_path):
    _full_margins_pdf(tmp_path / "crowded.pdf", 1)
    rows = [("1", "Crowded report", "public", "crowded.pdf")]
    assert cli("import", register, _plan(tmp_path, rows), "--kind", "agenda").code == 0
    out = tmp_path / "pack.pdf"
    result = cli("pack", register, "--meeting", "2017-09-04", "-o", out)
    assert result.code == 0, result.err
    words = _words(out)[2]
    number = _find(words, "Page 3")
    if number is None:  # left off, and the user told which page
        assert "page 3 has no clear margin for its page number" in result.out + result.err
    else:  # or put where nothing else is
        _stamp_clear(words, "Page 3", 3)


@_needs_poppler
def test_every_page_of_a_private_pack_is_marked_clear_of_its_text(cli, register, tmp_path):
    _ours(tmp_path / "secret.pdf", 3, "SECRET")
    rows = [("1", "Public report", "public", ""),
            ("2", "Land disposal", "private - paragraph 3", "secret.pdf")]
    assert cli("import", register, _plan(tmp_path, rows), "--kind", "agenda").code == 0
    out, private = tmp_path / "pack.pdf", tmp_path / "private.pdf"
    result = cli("pack", register, "--meeting", "2017-09-04", "-o", out, "--private-out", private)
    assert result.code == 0, result.err
    pages = _check_stamps(private, front_pages=1, marking="Paragraph 3")
    assert len(pages) == 5  # front sheet, a blank page, three pages of the item
    line = ("NOT FOR PUBLICATION by virtue of Paragraph 3 of Part 1 of Schedule 12A of the "
            "Local Government Act 1972")
    for number, words in enumerate(pages, 1):
        _stamp_clear(words, line, number)
    assert MARKING not in " ".join(w[4] for page in _words(out) for w in page)


# --- Word documents, our own papers, and the demo (LibreOffice) ------------------------------


@pytest.mark.slow
@_needs_office
@_needs_poppler
def test_word_footers_and_our_own_papers_keep_one_page_number(cli, register, tmp_path):
    """A Word document's own "Page 1 of 14" footer stays, the pack's number goes clear of it;
    a paper OOH Desk writes into the pack carries the pack's number only."""
    from ooh_desk.domain.papers import Paper
    from ooh_desk.store import Register
    from ooh_desk.store.papers import save_paper

    _docx_with_footer(tmp_path / "footed.docx", 3, "FOOTED")
    with Register.open(register) as reg:
        save_paper(reg, Paper("P-001", "Programme highlight report", committee="Test Board",
                              sections={"purpose": "OURS purpose of the paper."}))
    rows = [("1", "Footed report", "public", "footed.docx"),
            ("2", "Our paper", "public", "", "P-001")]
    assert cli("import", register, _plan(tmp_path, rows), "--kind", "agenda").code == 0
    out = tmp_path / "pack.pdf"
    result = cli("pack", register, "--meeting", "2017-09-04", "-o", out)
    assert result.code == 0, result.err
    pages = _check_stamps(out, front_pages=1)
    texts = [" ".join(w[4] for w in words) for words in pages]
    footed = [t for t in texts if "FOOTED page" in t]
    assert len(footed) == 3 and all("Page 1 of 14" in t for t in footed)
    ours = [t for t in texts if "Programme highlight report" in t or "OURS" in t]
    assert ours and not any(re.search(r"Page \d+ of \d+", t) for t in ours)


@pytest.mark.slow
@_needs_office
@_needs_poppler
@pytest.mark.parametrize("meeting", ["CHWB-2017-07-10", "CHWB-2017-09-04"])
def test_the_demo_packs_stamps_overlap_nothing(cli, demo_copy, tmp_path, meeting):
    out, private = tmp_path / "pack.pdf", tmp_path / "private.pdf"
    result = cli("pack", demo_copy, "--meeting", meeting, "-o", out, "--private-out", private)
    assert result.code == 0, result.err
    fronts = [int(n) for n in re.findall(r"front sheet (\d+)", result.out)]
    pages = _check_stamps(out, front_pages=fronts[0])
    if meeting == "CHWB-2017-09-04":  # the demo's Word reports number their own pages
        texts = [" ".join(w[4] for w in words) for words in pages]
        assert sum(bool(re.search(r"Page \d+ of \d+", t)) for t in texts) >= 10
        assert private.exists()
    if private.exists():
        _check_stamps(private, front_pages=fronts[1], marking="Paragraph 3")
        for page in PdfReader(private).pages:  # the text layer a screen reader reads
            text = " ".join((page.extract_text() or "").split())
            assert MARKING in text and "Paragraph 3" in text


@pytest.mark.slow
@_needs_office
def test_the_pack_keeps_what_a_screen_reader_needs(cli, demo_copy, tmp_path):
    out = tmp_path / "pack.pdf"
    assert cli("pack", demo_copy, "--meeting", "CHWB-2017-09-04", "-o", out).code == 0
    reader = PdfReader(out)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert reader.metadata.title.startswith("Coventry Health and Well-being Board")
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert [o.title for o in reader.outline][:2] == ["Agenda", "3. Minutes of Previous Meeting"]
    # Each Word document's structure (headings, paragraphs, lists) comes through LibreOffice
    # into one tree: a section per item, titled as the agenda numbers it.
    roles, sections = set(), []

    def walk(element, depth=0):
        kids = element.get("/K")
        kids = kids.get_object() if kids is not None else []
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object()
            if isinstance(kid, dict) and "/S" in kid and depth < 40:
                roles.add(str(kid["/S"]))
                if kid["/S"] == "/Sect":
                    sections.append(str(kid["/T"]))
                walk(kid, depth + 1)

    walk(root["/StructTreeRoot"])
    role_map = root["/StructTreeRoot"].get("/RoleMap", {})  # LibreOffice's "Standard" is P
    assert {"/Document", "/Sect", "/H1", "/H2", "/P"} <= {str(role_map.get(r, r)) for r in roles}
    assert sections[0] == "Agenda"  # the front sheet, drawn by OOH Desk, is tagged too
    assert "7. Out of Hospital" in sections and "3. Minutes of Previous Meeting" in sections
    tagged = [i + 1 for i, page in enumerate(reader.pages) if "/StructParents" in page]
    # the front sheet, the minutes, and item 7 (a Word report) first to last
    assert {1, 2, 3, 13, 17} <= set(tagged)
    keys = [page["/StructParents"] for page in reader.pages if "/StructParents" in page]
    assert len(keys) == len(set(keys))  # each page its own entry in the parent tree
