"""Nothing the author wrote is lost: every section of a paper reaches the report in every
house style, under the author's own heading and in the author's order, and the Markdown in a
section (tables, pictures, bullet and numbered lists) becomes real Word tables, pictures with
alt text and lists. The sample paper is written for these tests; its facts (services, values)
follow the seeds."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import struct
import subprocess
import zlib
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

STYLES = ("coventry", "durham", "nhs-cover")
OWN_HEADINGS = ("Contract History", "Governance", "Communications", "Conflicts of interest",
                "Services included")

PAPER_MD = """\
# Out of hospital services: contract award
Committee: Health and Wellbeing Board
Author: Jo Bloggs
Meeting date: 2017-11-09

## Purpose of the Report
To ask the board to support awarding the out of hospital contract from April 2018.

## Contract History
The present community contracts were rolled over twice while the new model was designed.
Each roll-over was agreed by all four commissioners.

## Background
Four commissioners have worked together since 2016 on one model of care outside hospital.

## Governance
A joint programme board steers the work and reports quarterly to each governing body.

## Next Steps
Mobilisation starts once the award is confirmed, with a quarterly review of progress.

## Communications
Staff briefings take place in every locality before any public announcement.

## Conflicts of interest
Members who provide services declared their interests and left the room for the vote.

## Services included
- district nursing
- community hospital beds
- falls prevention

## Financial Implications
The budget in scope for 2017/18 is set out below:

| In Scope Services (CCGs) | Value 17/18 £ |
|---|---:|
| South Warwickshire | 21,715,000 |
| Coventry | 21,700,479 |
| Rugby | 5,313,621 |
| Warwickshire North | 8,698,920 |
| Total in scope | 57,428,020 |

## Recommendations
- Support the award of the contract.
- Note the mobilisation plan.
"""


def png(width: int, height: int) -> bytes:
    """A small real PNG (a blue band on white), made without an imaging library."""
    rows = b"".join(b"\x00" + (b"\x1f\x4e\x79" if y < height // 2 else b"\xff\xff\xff") * width
                    for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def all_text(path: Path) -> str:
    """Every word a reader sees in the body: paragraphs and table cells, in document order."""
    document = docx.Document(str(path))
    out = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            out += [c.text for row in block.rows for c in row.cells]
        else:
            out.append(block.text)
    return "\n".join(out)


def words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z0-9£][A-Za-z0-9£,/'.]*[A-Za-z0-9]|[A-Za-z0-9]", text))


def headings(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs
            if p.style.name.startswith("Heading")]


def sections_of(md: str) -> dict[str, str]:
    parts = re.split(r"^## (.+)$", md, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


@pytest.fixture
def imported(cli, register, tmp_path):
    md = tmp_path / "award.md"
    md.write_text(PAPER_MD, "utf-8")
    result = cli("paper", register, "import", md)
    assert result.code == 0, result.err
    return register


# --- 1. every section, in every style -------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
def test_a_section_the_style_does_not_know_is_printed(cli, register, tmp_path, style):
    assert cli("paper", register, "new", "--title", "Update").code == 0
    result = cli("paper", register, "set", "P-001", "--section", "bogus=hello from the author",
                 "--section", "Contract History=The contract was extended twice.")
    assert result.code == 0, result.err
    out = tmp_path / f"{style}.docx"
    assert cli("report", register, "--paper", "P-001", "--style", style, "-o", out).code == 0
    text = all_text(out)
    assert "hello from the author" in text
    assert "The contract was extended twice." in text
    found = headings(out)
    # under the heading as typed (a style may number it), in the order given
    own = [h for h in found if re.sub(r"^\d+\.?\s+", "", h) in ("bogus", "Contract History")]
    assert [re.sub(r"^\d+\.?\s+", "", h) for h in own] == ["bogus", "Contract History"]


@pytest.mark.parametrize("style", STYLES)
def test_every_word_of_every_section_reaches_the_report(cli, imported, tmp_path, style):
    out = tmp_path / f"{style}.docx"
    result = cli("report", imported, "--paper", "P-001", "--style", style, "-o", out)
    assert result.code == 0, result.err
    text = all_text(out)
    printed = words(text)
    for heading, body in sections_of(PAPER_MD).items():
        body = re.sub(r"^\|?[-:| ]+\|?$", "", body, flags=re.MULTILINE)  # the alignment row
        missing = words(body) - printed
        assert not missing, f"{style}: {heading}: {sorted(missing)} never reached the report"
    # the author's own headings, as typed, in the author's order
    found = [re.sub(r"^\d+\.?\s+", "", h) for h in headings(out)]
    own = [h for h in found if h in OWN_HEADINGS]
    assert own == list(OWN_HEADINGS), found


def test_paper_show_and_list_keep_the_headings_and_their_order(cli, imported):
    shown = cli("paper", imported, "show", "P-001")
    assert shown.code == 0
    order = [shown.out.index(f"## {h}\n") for h in ("Purpose of the Report", *OWN_HEADINGS[:2],
                                                    "Next Steps", *OWN_HEADINGS[2:])]
    assert order == sorted(order)
    listed = json.loads(cli("paper", imported, "list", "--json").out)
    assert list(listed[0]["sections"]) == list(sections_of(PAPER_MD))
    assert listed[0]["sections"]["Conflicts of interest"].startswith("Members who provide")


def test_setting_a_section_again_keeps_its_heading_and_place(cli, imported):
    result = cli("paper", imported, "set", "P-001", "--section",
                 "governance=The programme board meets monthly.",
                 "--section", "purpose=To seek the board's support.")
    assert result.code == 0, result.err
    sections = json.loads(cli("paper", imported, "show", "P-001", "--json").out)["sections"]
    assert list(sections) == list(sections_of(PAPER_MD))
    assert sections["Governance"] == "The programme board meets monthly."
    assert sections["Purpose of the Report"] == "To seek the board's support."


def test_a_paper_saved_before_headings_were_kept_still_prints_them(cli, register, tmp_path):
    """Registers written before keep sections under tidy keys, sorted: they are read with
    a readable heading, and nothing is dropped."""
    assert cli("paper", register, "new", "--title", "Older paper").code == 0
    with sqlite3.connect(register) as db:
        db.execute("update papers set sections = ? where ref = 'P-001'",
                   [json.dumps({"contract_history": "Rolled over in 2016.",
                                "purpose": "To update the board."}, sort_keys=True)])
    out = tmp_path / "old.docx"
    assert cli("report", register, "--paper", "P-001", "--style", "durham", "-o", out).code == 0
    assert "Contract history" in headings(out)
    assert "Rolled over in 2016." in all_text(out)


def test_the_papers_editor_keeps_the_authors_sections(qtbot, edits, reg, tmp_path):
    from PySide6.QtCore import Qt

    from ooh_desk.gui.views.papers import PapersView
    from ooh_desk.services.papers import import_markdown
    from ooh_desk.store.papers import get_paper
    from tests.gui_support import shown

    md = tmp_path / "award.md"
    md.write_text(PAPER_MD, "utf-8")
    paper, _ = import_markdown(reg, md)
    view = shown(qtbot, PapersView(edits))
    view.refresh(select=paper.ref)
    listed = [view.section.itemText(n) for n in range(view.section.count())]
    assert listed[:len(sections_of(PAPER_MD))] == list(sections_of(PAPER_MD))
    view.section.setCurrentIndex(view.section.findData("Communications"))
    assert view.section_text.toPlainText().startswith("Staff briefings")
    view.section_text.setFocus()
    view.section_text.selectAll()
    qtbot.keyClicks(view.section_text, "Briefings first, then the press release.")
    qtbot.keyClick(view.section_text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    after = get_paper(reg, paper.ref)
    assert after.sections["Communications"] == "Briefings first, then the press release."
    assert list(after.sections) == list(sections_of(PAPER_MD))  # kept, in place
    assert view.section.currentData() == "Communications"


# --- 2. tables, pictures and lists inside the narrative ---------------------------------------


def _finance_table(document):
    return next(t for t in document.tables if t.rows[0].cells[0].text.startswith("In Scope"))


@pytest.mark.parametrize("style", STYLES)
def test_a_markdown_table_is_a_word_table(cli, imported, tmp_path, style):
    out = tmp_path / f"{style}.docx"
    assert cli("report", imported, "--paper", "P-001", "--style", style, "-o", out).code == 0
    document = docx.Document(str(out))
    # (the NHS cover sheet's resource row gives the words; the body prints the table)
    table = _finance_table(document)
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["In Scope Services (CCGs)", "Value 17/18 £"]
    assert rows[1] == ["South Warwickshire", "21,715,000"]
    assert rows[-1] == ["Total in scope", "57,428,020"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on each page
    caption = table._tbl.tblPr.find(qn("w:tblCaption"))  # alt text, as the register's tables
    assert caption is not None and caption.get(qn("w:val"))
    for row in table.rows:
        assert row.cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
        assert row.cells[0].paragraphs[0].alignment in (None, WD_ALIGN_PARAGRAPH.LEFT)


def test_a_numeric_column_is_right_aligned_without_an_alignment_mark(cli, register, tmp_path):
    text = ("| Steps | Description | Due |\n|---|---|---|\n"
            "| 1 | Publish the notice | 12 |\n| 2 | Close the bids | 30 |\n")
    assert cli("paper", register, "new", "--title", "Process",
               "--section", f"Process={text}").code == 0
    out = tmp_path / "p.docx"
    assert cli("report", register, "--paper", "P-001", "--style", "durham", "-o", out).code == 0
    table = next(t for t in docx.Document(str(out)).tables
                 if t.rows[0].cells[0].text == "Steps")
    aligns = [[c.paragraphs[0].alignment for c in row.cells] for row in table.rows[1:]]
    right = WD_ALIGN_PARAGRAPH.RIGHT
    assert all(a[0] == right and a[2] == right and a[1] != right for a in aligns)


@pytest.mark.parametrize("style", STYLES)
def test_bullet_and_numbered_lists_stay_word_lists(cli, register, tmp_path, style):
    text = ("The steps are:\n\n1. publish the notice\n2. close the bids\n\n"
            "Services:\n\n- district nursing\n- falls prevention\n\n"
            "Then:\n\n1. award\n2. mobilise\n")
    assert cli("paper", register, "new", "--title", "Lists", "--section", f"Plan={text}").code == 0
    out = tmp_path / f"{style}.docx"
    assert cli("report", register, "--paper", "P-001", "--style", style, "-o", out).code == 0
    paragraphs = {p.text: p for p in docx.Document(str(out)).paragraphs}
    for item in ("district nursing", "falls prevention"):
        assert paragraphs[item].style.name == "List Bullet"
    numbered = [paragraphs[t] for t in ("publish the notice", "close the bids", "award",
                                        "mobilise")]
    for p in numbered:
        assert p.style.name == "List Number"  # the number is Word's, not typed
    ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[0] != ids[2]  # each list from 1


def test_a_picture_is_kept_in_the_register_and_shown_with_its_alt_text(cli, register,
                                                                        tmp_path):
    folder = tmp_path / "paper"
    folder.mkdir()
    (folder / "sites.png").write_bytes(png(2400, 600))  # far wider than the page
    (folder / "award.md").write_text(
        "# Sites\n\n## Estates\nThe hubs:\n\n![Map of the four locality hubs](sites.png)\n",
        "utf-8")
    assert cli("paper", register, "import", folder / "award.md").code == 0
    shutil.rmtree(folder)  # the register alone carries the picture now
    moved = tmp_path / "elsewhere" / "copy.oohdesk"
    moved.parent.mkdir()
    shutil.copy(register, moved)
    for style in STYLES:
        out = tmp_path / f"{style}.docx"
        result = cli("report", moved, "--paper", "P-001", "--style", style, "-o", out)
        assert result.code == 0, result.err
        document = docx.Document(str(out))
        pictures = [s for s in document.inline_shapes]
        assert len(pictures) == 1
        docpr = pictures[0]._inline.docPr
        assert docpr.get("descr") == "Map of the four locality hubs"
        section = document.sections[0]
        assert pictures[0].width <= section.page_width - section.left_margin \
            - section.right_margin


def test_a_section_file_finds_its_picture_beside_it(cli, register, tmp_path, monkeypatch):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "chart.png").write_bytes(png(40, 20))
    (notes / "estates.md").write_text("![Bar chart of bed days](chart.png)\n", "utf-8")
    monkeypatch.chdir(tmp_path)  # not the file's folder
    result = cli("paper", register, "new", "--title", "Estates",
                 "--section", "Estates=@notes/estates.md")
    assert result.code == 0, result.err
    out = tmp_path / "r.docx"
    assert cli("report", register, "--paper", "P-001", "-o", out).code == 0
    assert docx.Document(str(out)).inline_shapes[0]._inline.docPr.get("descr") == \
        "Bar chart of bed days"


@pytest.mark.parametrize("markdown, message", [
    ("![](chart.png)", "Paper P-001, section 'Estates': the picture chart.png has no alt text"),
    ("![Bed days](missing.png)", "Paper P-001, section 'Estates': there is no picture file at"),
    ("![Bed days](notes.txt)", "Paper P-001, section 'Estates': notes.txt is not a PNG"),
])
def test_a_picture_that_cannot_be_shown_is_refused(cli, register, tmp_path, monkeypatch,
                                                   markdown, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "chart.png").write_bytes(png(10, 10))
    (tmp_path / "notes.txt").write_text("not a picture", "utf-8")
    assert cli("paper", register, "new", "--title", "Estates").code == 0
    result = cli("paper", register, "set", "P-001", "--section", f"Estates={markdown}")
    assert result.code == 1
    assert result.err.startswith(message), result.err
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
    shown = json.loads(cli("paper", register, "show", "P-001", "--json").out)
    assert shown["sections"] == {}  # the register is as it was


# --- how it looks -------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler are needed to lay the report out")
def test_durham_report_with_a_table_a_list_and_a_picture_renders(cli, register, tmp_path):
    (tmp_path / "hubs.png").write_bytes(png(600, 300))
    md = PAPER_MD.replace("## Governance\n",
                          "## Governance\n![Diagram of the programme board](hubs.png)\n\n")
    (tmp_path / "award.md").write_text(md, "utf-8")
    assert cli("paper", register, "import", tmp_path / "award.md").code == 0
    out = tmp_path / "durham.docx"
    assert cli("report", register, "--paper", "P-001", "--style", "durham", "-o", out).code == 0
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=240)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "durham.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    for wanted in ("Contract History", "Services included", "falls prevention",
                   "South Warwickshire", "57,428,020", "Conflicts of interest"):
        assert wanted in text, wanted
    # the value column prints right-aligned: each value's right edge is where the total's is
    # (read from the words' boxes; "5,313,621" is a digit shorter, so a left-aligned column
    # would end it about 5 pt earlier)
    boxes = subprocess.run(["pdftotext", "-bbox", str(tmp_path / "durham.pdf"), "-"],
                           check=True, capture_output=True, text=True).stdout
    right = {word: float(x) for x, word in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]+)<', boxes)}
    ends = [right[v] for v in ("21,715,000", "5,313,621", "57,428,020")]
    assert max(ends) - min(ends) < 1.5, ends


def test_the_sample_paper_imports_and_prints_whole(cli, register, tmp_path):
    sample = Path(__file__).resolve().parent.parent / "sample_data" / "papers" / "contract-award.md"
    assert cli("paper", register, "import", sample).code == 0
    out = tmp_path / "sample.docx"
    assert cli("report", register, "--paper", "P-001", "-o", out).code == 0  # its style: durham
    found = headings(out)
    for heading in ("Contract History", "Governance", "Services included", "Communications",
                    "Financial Implications", "Next Steps"):
        assert heading in found
    document = docx.Document(str(out))
    assert document.inline_shapes[0]._inline.docPr.get("descr").startswith("Bar chart")
    assert _finance_table(document).rows[-1].cells[1].text == "57,428,020"
