"""Agenda packs: page ranges read back from the finished PDF, odd-page starts, blank pages,
stamped numbers, bookmarks, metadata, and private business kept out of the public pack."""

from __future__ import annotations

import csv
import re
import shutil

import pytest
from conftest import marked_pdf
from docx import Document
from docx.enum.text import WD_BREAK
from pypdf import PdfReader, PdfWriter

from ooh_desk.exports.pack import BLANK_TEXT

SECRET = "ZEBRA-SECRET-4412"
HEADER = ["committee", "meeting_date", "time", "place", "item_no", "title", "part", "item_type",
          "presenter", "document"]




def _docx(path, pages, marker):
    doc = Document()
    for n in range(1, pages + 1):
        doc.add_paragraph(f"{marker} page {n}")
        if n < pages:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.save(path)


def _plan(tmp_path, items, name="plan.csv"):
    """items: (number, title, part, document file name or '' [, paper ref])."""
    with open(tmp_path / name, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*HEADER, "paper"])
        for number, title, part, document, *paper in items:
            writer.writerow(["Test Board", "2017-09-04", "2.00 pm", "Committee Room 3", number,
                             title, part, "", "A Presenter", document, *paper])
    return tmp_path / name


def _text(reader, index):
    return reader.pages[index].extract_text() or ""


def _ranges(front_text):
    """{title: (first, last)} from the front sheet's '(Pages a - b)' and '(Page a)'."""
    flat = " ".join(front_text.split())
    out = {}
    for m in re.finditer(r"(Item [A-Z]) \(Pages? (\d+)(?: - (\d+))?\)", flat):
        out[m.group(1)] = (int(m.group(2)), int(m.group(3) or m.group(2)))
    return out


@pytest.fixture
def pdf_meeting(cli, register, tmp_path):
    counts = {"A": 3, "B": 2, "C": 1, "D": 4}
    rows = [("1", "Apologies", "public", "")]
    for n, (letter, pages) in enumerate(counts.items(), 2):
        marked_pdf(tmp_path / f"item{letter}.pdf", pages, f"ITEM-{letter}")
        rows.append((str(n), f"Item {letter}", "public", f"item{letter}.pdf"))
    marked_pdf(tmp_path / "secret-file.pdf", 2, SECRET)
    rows.append(("9", "Disposal of the Zebra Depot", "private - paragraph 3", "secret-file.pdf"))
    result = cli("import", register, _plan(tmp_path, rows), "--kind", "agenda")
    assert result.code == 0, result.err
    return register, counts


def test_every_page_range_on_the_agenda_is_where_the_item_starts(cli, pdf_meeting, tmp_path):
    register, counts = pdf_meeting
    out, private = tmp_path / "pack.pdf", tmp_path / "private.pdf"
    result = cli("pack", register, "--meeting", "2017-09-04", "-o", out, "--private-out", private)
    assert result.code == 0, result.err
    reader = PdfReader(out)
    front = _text(reader, 0)
    assert "Test Board" in front and "2.00 pm on Monday, 4 September 2017" in front
    assert "Public Business" in front and "Private Business" in front
    ranges = _ranges(front)
    assert set(ranges) == {f"Item {x}" for x in counts}
    for letter, pages in counts.items():
        first, last = ranges[f"Item {letter}"]
        assert first % 2 == 1, "every item starts on a right-hand page"
        assert last - first + 1 == pages
        assert f"ITEM-{letter} page 1" in _text(reader, first - 1)
        assert f"ITEM-{letter} page {pages}" in _text(reader, last - 1)
    assert len(reader.pages) == max(last for _, last in ranges.values())
    # Blank pages fill exactly the gaps, and say so.
    used = {p for first, last in ranges.values() for p in range(first, last + 1)}
    for number in range(2, len(reader.pages) + 1):
        text = _text(reader, number - 1)
        if number not in used:
            assert BLANK_TEXT in text
        # Every page after the front sheet carries its own number.
        assert f"Page {number}" in text
    assert "Page 1" not in front
    # A bookmark per item at its first page, plus the agenda.
    outline = {reader.get_destination_page_number(o) + 1: o.title for o in reader.outline}
    assert outline[1] == "Agenda"
    for letter in counts:
        first = ranges[f"Item {letter}"][0]
        assert outline[first].endswith(f"Item {letter}")
    assert reader.metadata.title.startswith("Test Board, 4 September 2017")
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_nothing_of_a_private_item_is_in_the_public_pack(cli, pdf_meeting, tmp_path):
    register, _ = pdf_meeting
    out, private = tmp_path / "pack.pdf", tmp_path / "private.pdf"
    assert cli("pack", register, "--meeting", "2017-09-04", "-o", out,
               "--private-out", private).code == 0
    reader = PdfReader(out)
    text = "\n".join(_text(reader, i) for i in range(len(reader.pages)))
    for leak in (SECRET, "Zebra", "secret-file"):
        assert leak not in text
        assert all(leak not in o.title for o in reader.outline)
        assert all(leak not in str(v) for v in reader.metadata.values())
        assert leak.encode() not in out.read_bytes()
    assert "Paragraph 3 of Part 1 of Schedule 12A" in _text(reader, 0)
    # The private pack holds the private item only, behind its own front sheet.
    secret = PdfReader(private)
    front = _text(secret, 0)
    assert "NOT FOR PUBLICATION" in front and "Disposal of the Zebra Depot" in front
    assert "Item A" not in front
    found = re.search(r"\(Pages (\d+) - (\d+)\)", " ".join(front.split()))
    first, last = int(found.group(1)), int(found.group(2))
    assert first % 2 == 1 and last == len(secret.pages)
    assert f"{SECRET} page 1" in _text(secret, first - 1)
    assert not any("ITEM-" in _text(secret, i) for i in range(len(secret.pages)))


def test_without_private_out_the_private_item_is_only_counted(cli, pdf_meeting, tmp_path):
    register, _ = pdf_meeting
    result = cli("pack", register, "--meeting", "TB-2017-09-04", "-o", tmp_path / "p.pdf")
    assert result.code == 0
    assert "1 private item is not in the public pack" in result.out


def test_a_long_front_sheet_still_numbers_right(cli, register, tmp_path):
    rows = []
    for n in range(1, 41):  # forty items: the front sheet runs to several pages
        letter = chr(ord("A") + n % 26) if n < 27 else ""
        if letter and n % 3 == 0:
            marked_pdf(tmp_path / f"d{n}.pdf", n % 4 + 1, f"ITEM-{letter}")
            rows.append((str(n), f"Item {letter}", "public", f"d{n}.pdf"))
        else:
            rows.append((str(n), f"A long agenda item title number {n} that wraps onto a second "
                                 "line of the front sheet", "public", ""))
    assert cli("import", register, _plan(tmp_path, rows), "--kind", "agenda").code == 0
    out = tmp_path / "pack.pdf"
    assert cli("pack", register, "--meeting", "2017-09-04", "-o", out).code == 0
    reader = PdfReader(out)
    front_pages = next(i for i in range(len(reader.pages))
                       if f"Page {i + 1}" in _text(reader, i).splitlines())
    assert front_pages >= 2
    front = "\n".join(_text(reader, i) for i in range(front_pages))
    ranges = _ranges(front)
    assert len(ranges) == 8
    for title, (first, _) in ranges.items():
        assert first % 2 == 1 and first > front_pages
        assert f"ITEM-{title[-1]} page 1" in _text(reader, first - 1)


@pytest.mark.parametrize("problem", ["corrupt", "password"])
def test_a_bad_pdf_names_the_item_and_writes_no_pack(cli, register, tmp_path, problem):
    bad = tmp_path / "bad.pdf"
    if problem == "corrupt":
        bad.write_bytes(b"%PDF-1.7\nthis is not really a PDF")
    else:
        marked_pdf(tmp_path / "plain.pdf", 1, "X")
        writer = PdfWriter(clone_from=PdfReader(tmp_path / "plain.pdf"))
        writer.encrypt("letmein")
        with open(bad, "wb") as handle:
            writer.write(handle)
    rows = [("1", "Fine item", "public", ""), ("2", "Broken report", "public", "bad.pdf")]
    assert cli("import", register, _plan(tmp_path, rows), "--kind", "agenda").code == 0
    out = tmp_path / "pack.pdf"
    result = cli("pack", register, "--meeting", "2017-09-04", "-o", out)
    assert result.code == 1
    assert "item 2 (Broken report)" in result.err
    assert ("password-protected" if problem == "password" else "damaged") in result.err
    assert not out.exists() and not list(tmp_path.glob(".*partial"))


def test_a_damaged_or_encrypted_word_file_is_named_before_libreoffice_runs(cli, register,
                                                                           tmp_path):
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not a real zip")
    (tmp_path / "locked.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    rows = [("1", "Broken", "public", "broken.docx")]
    assert cli("import", register, _plan(tmp_path, rows), "--kind", "agenda").code == 0
    result = cli("pack", register, "--meeting", "2017-09-04", "-o", tmp_path / "p.pdf")
    assert result.code == 1 and "item 1 (broken)" in result.err.lower() and "damaged" in result.err
    rows = [("1", "Locked", "public", "locked.docx")]
    assert cli("import", register, _plan(tmp_path, rows, "p2.csv"), "--kind", "agenda").code == 0
    result = cli("pack", register, "--meeting", "2017-09-04", "-o", tmp_path / "p.pdf")
    assert result.code == 1 and "password-protected" in result.err


def test_missing_libreoffice_says_how_to_install_it(cli, register, tmp_path, monkeypatch):
    _docx(tmp_path / "a.docx", 1, "X")
    assert cli("import", register, _plan(tmp_path, [("1", "A", "public", "a.docx")]),
               "--kind", "agenda").code == 0
    monkeypatch.setenv("OOH_DESK_SOFFICE", str(tmp_path / "no-such-soffice"))
    result = cli("pack", register, "--meeting", "2017-09-04", "-o", tmp_path / "p.pdf")
    assert result.code == 1
    assert "LibreOffice is needed" in result.err and "libreoffice.org" in result.err
    assert len(result.err.strip().splitlines()) == 1


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_word_documents_are_converted_and_numbered(cli, register, tmp_path):
    """One LibreOffice run: Word documents of known length, and the minutes of a meeting."""
    counts = {"A": 2, "B": 3, "C": 1}
    rows = []
    for n, (letter, pages) in enumerate(counts.items(), 1):
        _docx(tmp_path / f"{letter}.docx", pages, f"ITEM-{letter}")
        rows.append((str(n), f"Item {letter}", "public", f"{letter}.docx"))
    _docx(tmp_path / "secret.docx", 2, SECRET)
    rows.append(("4", "Zebra matters", "private", "secret.docx"))
    rows.append(("5", "Item E", "public", "", "P-001"))  # a paper written from the register
    from ooh_desk.domain.papers import Paper
    from ooh_desk.store import Register
    from ooh_desk.store.papers import save_paper

    with Register.open(register) as reg:
        save_paper(reg, Paper("P-001", "Programme highlight report", committee="Test Board",
                              sections={"purpose": "ITEM-E purpose of the paper."}))
    assert cli("import", register, _plan(tmp_path, rows), "--kind", "agenda").code == 0
    out, private = tmp_path / "pack.pdf", tmp_path / "private.pdf"
    result = cli("pack", register, "--meeting", "2017-09-04", "-o", out, "--private-out", private)
    assert result.code == 0, result.err
    reader = PdfReader(out)
    ranges = _ranges(_text(reader, 0))
    for letter, pages in counts.items():
        first, last = ranges[f"Item {letter}"]
        assert first % 2 == 1 and last - first + 1 == pages
        assert f"ITEM-{letter} page 1" in _text(reader, first - 1)
        assert f"Page {first}" in _text(reader, first - 1)
    first, last = ranges["Item E"]
    assert first % 2 == 1 and "Programme highlight report" in _text(reader, first - 1)
    assert last == len(reader.pages)
    assert SECRET.encode() not in out.read_bytes()
    assert any(SECRET in _text(PdfReader(private), i) for i in range(3))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_demo_pack_carries_the_previous_minutes(cli, demo_copy, tmp_path):
    out = tmp_path / "pack.pdf"
    result = cli("pack", demo_copy, "--meeting", "CHWB-2017-09-04", "-o", out)
    assert result.code == 0, result.err
    reader = PdfReader(out)
    front = " ".join(_text(reader, 0).split())

    def first_page(title):
        return int(re.search(re.escape(title) + r" \(Pages (\d+) - \d+\)", front).group(1))

    minutes_page = " ".join(_text(reader, first_page("Minutes of Previous Meeting") - 1).split())
    assert "Minutes of the Meeting of Coventry Health and Well-being Board" in minutes_page
    assert "Out of Hospital" in _text(reader, first_page("7. Out of Hospital") - 1)
    assert b"EXEMPT-MARKER" not in out.read_bytes()
