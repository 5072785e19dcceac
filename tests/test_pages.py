"""Pages that look finished, in every Word output (the three report styles and the minutes):
table rows never split across pages, headings and lead-ins kept with what follows them,
heading levels that never skip, page numbers in the minutes, the NHS cover sheet in the
seed's full form, minutes in the seed's form — and, laid out by LibreOffice, no page holding
only a heading or one line and no word (a ref, an owner) broken across a narrow column."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from ooh_desk.exports.docx_xml import has_field
from ooh_desk.exports.minutes import write_minutes
from ooh_desk.exports.report import write_report
from ooh_desk.store import Register
from ooh_desk.store import meetings as store_meetings

STYLES = ("coventry", "durham", "nhs-cover")
MEETING = "CHWB-2017-07-10"  # the demo meeting with minutes, attendance and resolutions


def _report(register: Path, out: Path, style: str, **kwargs) -> docx.document.Document:
    with Register.open(register, readonly=True) as reg:
        write_report(reg, out, style=style, **kwargs)
    return docx.Document(str(out))


def _minutes(register: Path, out: Path) -> docx.document.Document:
    with Register.open(register, readonly=True) as reg:
        write_minutes(reg, store_meetings.find_meeting(reg, MEETING), out)
    return docx.Document(str(out))


@pytest.fixture(scope="module")
def outputs(demo_register, tmp_path_factory) -> dict[str, Path]:
    """Each style's report and the minutes, written once from the demo."""
    folder = tmp_path_factory.mktemp("pages")
    out = {}
    for style in STYLES:
        out[style] = folder / f"{style}.docx"
        _report(demo_register, out[style], style)
    # the minutes, with an action arising so they carry a table too
    register = folder / "demo.oohdesk"
    shutil.copy(demo_register, register)
    with Register.open(register) as reg:
        meeting = store_meetings.find_meeting(reg, MEETING)
        item = next(i for i in store_meetings.agenda(reg, meeting) if i.minute)
        store_meetings.link_action(reg, "A-001", item)
    out["minutes"] = folder / "minutes.docx"
    _minutes(register, out["minutes"])
    return out


def _keeps_with_next(p: Paragraph) -> bool:
    if p.paragraph_format.keep_with_next is not None:
        return p.paragraph_format.keep_with_next
    style = p.style
    while style is not None:
        if style.paragraph_format.keep_with_next is not None:
            return style.paragraph_format.keep_with_next
        style = style.base_style
    return False


def _heading_level(p: Paragraph) -> int | None:
    name = p.style.name if p.style is not None else ""
    return int(name[8:]) if name.startswith("Heading ") and name[8:].isdigit() else None


OUTPUTS = (*STYLES, "minutes")


@pytest.mark.parametrize("name", OUTPUTS)
def test_no_table_row_splits_across_pages(outputs, name):
    doc = docx.Document(str(outputs[name]))
    rows = list(doc.element.body.iter(qn("w:tr")))
    assert rows
    for tr in rows:
        trPr = tr.find(qn("w:trPr"))
        assert trPr is not None and trPr.find(qn("w:cantSplit")) is not None, \
            "".join(t.text or "" for t in tr.iter(qn("w:t")))[:60]


@pytest.mark.parametrize("name", OUTPUTS)
def test_headings_and_lead_ins_keep_with_what_follows(outputs, name):
    doc = docx.Document(str(outputs[name]))
    body = list(doc.element.body)
    for index, element in enumerate(body):
        if element.tag != qn("w:p"):
            continue
        p = Paragraph(element, doc)
        if _heading_level(p) is not None and p.text.strip():
            assert _keeps_with_next(p), f"heading {p.text!r} can end a page alone"
        after = body[index + 1] if index + 1 < len(body) else None
        if after is None or not p.text.strip() or _heading_level(p) is not None:
            continue
        starts_list = after.tag == qn("w:p") and Paragraph(after, doc).style.name == \
            "List Bullet" and p.style.name != "List Bullet"
        if after.tag == qn("w:tbl") or starts_list:
            assert _keeps_with_next(p), f"the lead-in {p.text!r} can end a page alone"


@pytest.mark.parametrize("name", OUTPUTS)
def test_heading_levels_never_skip(outputs, name):
    """A screen reader's list of headings: the first is level 1 and each steps down at most
    one level (the minutes went from the meeting's heading straight to level 3)."""
    doc = docx.Document(str(outputs[name]))
    levels = [lvl for p in doc.paragraphs if (lvl := _heading_level(p)) and p.text.strip()]
    assert levels and levels[0] == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, levels


def test_durham_numbers_the_heat_map_summary(outputs):
    doc = docx.Document(str(outputs["durham"]))
    summary = next(p.text for p in doc.paragraphs if "Heat map summary" in p.text)
    assert re.match(r"^\d+\tHeat map summary", summary), summary


# --- the minutes in the seed's form (seed 001) ------------------------------------------------


def test_minutes_have_page_numbers(outputs):
    doc = docx.Document(str(outputs["minutes"]))
    assert has_field([doc.sections[0].footer._element], "PAGE")
    assert has_field([doc.sections[0].footer._element], "NUMPAGES")


def test_minutes_group_officers_by_directorate(outputs):
    doc = docx.Document(str(outputs["minutes"]))
    headings = [p.text for p in doc.paragraphs if _heading_level(p)]
    assert "Employees (by Directorate):" in headings
    assert "Board Members:" in headings and "Other Representatives:" in headings
    listed = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert "Place: L Knight" in listed
    assert "People: P Fahy, J Fowles, R Nawaz" in listed
    assert not any(line.startswith("L Knight, ") for line in listed)


def test_resolution_parts_numbered_as_the_register_says(demo_copy, tmp_path):
    doc = _minutes(demo_copy, tmp_path / "numbers.docx")
    text = [p.text for p in doc.paragraphs]
    assert any(t.startswith("(1) ") for t in text) and any(t.startswith("(2) ") for t in text)
    assert not any(t.startswith("(a) ") for t in text)
    with Register.open(demo_copy) as reg:
        programme = reg.programme
        programme.resolution_numbering = "(a)"
        reg.set_programme(programme)
    doc = _minutes(demo_copy, tmp_path / "letters.docx")
    text = [p.text for p in doc.paragraphs]
    assert any(t.startswith("(a) ") for t in text) and any(t.startswith("(b) ") for t in text)
    assert not any(t.startswith("(1) ") for t in text)


# --- the NHS cover sheet in the seed's full form (seed 003) -------------------------------------

PAPER = """# Active Support and Recovery: Procurement Approach
Committee: Coventry Health and Well-being Board
Author: Deputy Chief Operating Officer
Sponsor: Chief Operating Officer
Decision: approval

## Purpose
To seek approval for a partnership approach with local providers.

## Equality
No. The choice of procurement method should not have an impact on equality issues.

## Recommendations
- Approve Option A, a non-competitive procurement approach.

## Consideration
Questions for commissioners on Regulations 2 and 3, as posed by Monitor.

| Consideration | Rationale |
| --- | --- |
| 1. What steps has the CCG taken to identify needs? | A business case and three workshops. |
"""


def _cover_rows(doc) -> dict[str, str]:
    table = doc.tables[0]
    out = {}
    for row in table.rows:
        cells = row.cells
        out[cells[0].text.strip()] = cells[-1].text.strip()
    return out


def test_nhs_cover_sheet_in_the_seeds_full_form(demo_copy, tmp_path, cli):
    source = tmp_path / "asr.md"
    source.write_text(PAPER, encoding="utf-8")
    assert cli("paper", demo_copy, "import", source).code == 0
    # the paper is item 7 of the September meeting, and was at the July meeting before
    with Register.open(demo_copy) as reg:
        for ref, number in (("CHWB-2017-07-10", None), ("CHWB-2017-09-04", "7")):
            meeting = store_meetings.find_meeting(reg, ref)
            items = store_meetings.agenda(reg, meeting)
            item = next(i for i in items if i.number == number) if number else items[-1]
            item.paper_ref = "P-001"
            store_meetings.update_agenda_item(reg, meeting, item)
    out = tmp_path / "cover.docx"
    result = cli("report", demo_copy, "--paper", "P-001", "--meeting", "CHWB-2017-09-04",
                 "--style", "nhs-cover", "-o", out)
    assert result.code == 0, result.err
    doc = docx.Document(str(out))
    rows = _cover_rows(doc)
    assert "Agenda item 7" in [p.text for p in doc.paragraphs[:6]]
    assert rows["Which committees have previously discussed this paper?"] == \
        "Coventry Health and Well-being Board, 10 July 2017"
    assert rows["Audit Requirement"] == "Audit Requirement"  # a heading across the table
    # The paper carries the risk log (its default blocks), so it links to the principal
    # risks that log shows (the demo's Board Assurance Framework) and to their objectives.
    links = rows["Links to the principal risk(s) in the Assurance Framework"].splitlines()
    assert links[0].startswith("R-001 Complexity of TUPE transfers across several employers: "
                               "current score")
    assert rows["Which of the organisation's objectives does this paper support?"] \
        .startswith("SO1 ")
    assert "principal risks" not in result.err
    eia = next(v for k, v in rows.items() if k.startswith("Equality impact assessment"))
    assert eia == "No."
    assert rows["If not, why not?"] == ("The choice of procurement method should not have an "
                                        "impact on equality issues.")
    # the paper's Consideration | Rationale table is its first appendix, not in the body
    headings = [p.text for p in doc.paragraphs if _heading_level(p)]
    assert "Appendix 1: Consideration" in headings
    appendix = next(t for t in doc.tables if t.rows[0].cells[0].text == "Consideration")
    assert appendix.rows[0].cells[1].text == "Rationale"
    assert "A business case" in appendix.rows[1].cells[1].text
    assert sum("Questions for commissioners" in p.text for p in doc.paragraphs) == 1


def test_nhs_cover_sheet_says_plainly_what_is_missing(outputs):
    rows = _cover_rows(docx.Document(str(outputs["nhs-cover"])))
    assert rows["Which committees have previously discussed this paper?"].startswith("None")
    # The draft carries the risk log: its links are the principal risks that log shows.
    assert rows["Links to the principal risk(s) in the Assurance Framework"].startswith(
        "R-001 ")
    assert "If not, why not?" in rows


# --- laid out by LibreOffice ----------------------------------------------------------------------

needs_office = pytest.mark.skipif(shutil.which("soffice") is None
                                  or shutil.which("pdftotext") is None,
                                  reason="LibreOffice and poppler are not installed")


@pytest.fixture(scope="module")
def laid_out(outputs, tmp_path_factory) -> dict[str, list[str]]:
    """Each output's pages as pdftotext -layout prints them."""
    folder = tmp_path_factory.mktemp("pdf")
    profile = folder / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder),
                    *(str(outputs[n]) for n in OUTPUTS)],
                   check=True, capture_output=True, timeout=600)
    pages = {}
    for name in OUTPUTS:
        text = subprocess.run(["pdftotext", "-layout", str(folder / f"{name}.pdf"), "-"],
                              check=True, capture_output=True, text=True).stdout
        pages[name] = [p for p in text.split("\f") if p.strip()]
    return pages


def _body_lines(pages: list[str]) -> list[list[str]]:
    """Each page's lines without its running header and footer (a line every page has, the
    page number read as any number)."""
    lines = [[" ".join(line.split()) for line in page.splitlines() if line.strip()]
             for page in pages]

    def shape(line: str) -> str:
        return re.sub(r"\d+", "#", line)
    running = set.intersection(*(set(map(shape, page)) for page in lines)) if len(lines) > 1 \
        else set()
    return [[line for line in page if shape(line) not in running] for page in lines]


@pytest.mark.slow
@needs_office
@pytest.mark.parametrize("name", OUTPUTS)
def test_no_page_holds_only_a_heading_or_one_line(outputs, laid_out, name):
    doc = docx.Document(str(outputs[name]))
    headings = {" ".join(p.text.split()) for p in doc.paragraphs if _heading_level(p)}
    for number, lines in enumerate(_body_lines(laid_out[name]), 1):
        assert len(lines) > 1, f"page {number} of the {name} output holds only {lines}"
        assert not set(lines) <= headings, f"page {number} holds only the heading {lines}"


def _words(text: str) -> set[str]:
    out = set()
    for token in text.split():
        token = token.strip(".,;:()[]'\"\u2018\u2019\u201c\u201d!?")
        if re.search(r"[A-Za-z]", token) and not re.fullmatch(r"[\dx=]+", token):
            out.add(token)
    return out


def _docx_text(doc) -> str:
    """Every paragraph's text (body, tables, headers, footers) as python-docx reads it."""
    parts = [doc.element.body]
    for section in doc.sections:
        parts += [section.header._element, section.footer._element]
    return "\n".join(Paragraph(p, doc).text for part in parts for p in part.iter(qn("w:p")))


@pytest.mark.slow
@needs_office
@pytest.mark.parametrize("name", OUTPUTS)
def test_no_word_or_ref_breaks_inside_a_column(outputs, laid_out, name):
    """Every word LibreOffice printed is a word of the document: a ref broken 'M-' / '001' or
    an owner 'Commissioni' / 'ng' in a narrow column would print words the document does not
    hold."""
    doc = docx.Document(str(outputs[name]))
    known = _words(_docx_text(doc)) | {"Page", "of"}
    printed = _words("\n".join(laid_out[name]))
    # a line may break after the hyphen of an ordinary word ("one-" / "off"), never a ref's
    halves = {half for word in known if "-" in word for half in
              (*(part + "-" for part in word.split("-")[:-1]), *word.split("-")[1:])}
    broken = sorted(w for w in printed - known
                    if w not in halves or re.fullmatch(r"[A-Z]{1,5}-", w))
    assert not broken, broken
    for ref in re.findall(r"\b[MRA]-\d{3}\b", _docx_text(doc)):
        assert ref in "\n".join(laid_out[name]), ref

