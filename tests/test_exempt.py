"""Exempt business stays out of everything public: the minutes, RESOLVED decisions and actions
of a private agenda item never reach a public pack or a Word report (unless the item is
released), a public pack refuses an exempt paper, an exempt paper is marked NOT FOR
PUBLICATION on every page, and `--private-out` with no private business writes nothing."""

from __future__ import annotations

import csv
import json
import re
import shutil

import docx
import pytest
from conftest import marked_pdf
from docx.oxml.ns import qn
from pypdf import PdfReader

from ooh_desk.store import Register, history

STYLES = ("coventry", "durham", "nhs-cover")
MEETING = "CHWB-2017-09-04"
COMMITTEE = "Coventry Health and Well-being Board"
# Item 10 of the demo's September meeting is private (paragraph 3); item 7 is public.
PRIVATE = ("KESTREL-MINUTE", "KESTREL-DECISION", "KESTREL-ACTION")
PUBLIC_ACTION = "OSPREY-ACTION"
PUBLIC_DECISION = "The progress made against the Marmot Action Plan be endorsed"
SHEET = ("section,item_no,name,organisation,text,owner,due\n"
         "minute,10,,,The Board heard the KESTREL-MINUTE commercial terms.,,\n"
         "resolved,10,,,The KESTREL-DECISION direct award be approved.,,\n"
         "action,10,,,Negotiate the KESTREL-ACTION price with the provider,"
         "Director of Contracting,30/11/2017\n"
         "minute,7,,,The Board took the Out of Hospital update.,,\n"
         "action,7,,,Publish the OSPREY-ACTION summary,Head of Communications,30/11/2017\n")
NOT_FOR_PUBLICATION = "NOT FOR PUBLICATION"
SCHEDULE_12A = "Paragraph 3 of Part 1 of Schedule 12A"
_needs_office = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice) is not installed")


@pytest.fixture
def recorded(cli, demo_copy, tmp_path):
    """The demo with a minute, a decision and an action recorded on private item 10, and a
    minute and an action on public item 7."""
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(SHEET, "utf-8")
    result = cli("minutes", demo_copy, "--meeting", MEETING, "--record", sheet)
    assert result.code == 0, result.err
    return demo_copy


def _paper(cli, register, *extra):
    result = cli("paper", register, "new", "--title", "Out of Hospital programme update",
                 "--committee", COMMITTEE, "--author", "Programme Manager",
                 "--blocks", "actions,decisions", *extra)
    assert result.code == 0, result.err
    return result.out.split()[2].rstrip(":")  # "Created paper P-001: …"


def _docx_text(path):
    """Every word a reader of the .docx could see: body paragraphs, tables (nested ones too),
    every header and footer of every section, and the document's properties."""
    doc = docx.Document(str(path))
    parts = ["".join(t.text or "" for t in p.iter(qn("w:t")))
             for p in doc.element.body.iter(qn("w:p"))]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    for section in doc.sections:
        for part in (section.header, section.first_page_header, section.even_page_header,
                     section.footer, section.first_page_footer, section.even_page_footer):
            parts += ["".join(t.text or "" for t in part._element.iter(qn("w:t")))]
    props = doc.core_properties
    parts += [props.title or "", props.subject or "", props.keywords or "", props.comments or ""]
    return "\n".join(parts)


def _pdf_pages(path):
    return [page.extract_text() or "" for page in PdfReader(path).pages]


# --- Word reports ------------------------------------------------------------------------------


def test_no_private_action_or_decision_reaches_any_report_in_any_style(cli, recorded, tmp_path):
    paper = _paper(cli, recorded)
    # A report issued earlier, so the drafted reports also say what changed since it.
    assert cli("report", recorded, "--as-at", "2029-12-01", "-o", tmp_path / "first.docx").code == 0
    for style in STYLES:
        for name, extra in (("paper", ("--paper", paper)), ("draft", ())):
            out = tmp_path / f"{name}-{style}.docx"
            result = cli("report", recorded, "--style", style, "--as-at", "2030-01-01",
                         *extra, "-o", out)
            assert result.code == 0, result.err
            text = _docx_text(out)
            for secret in (*PRIVATE, "A-011"):  # the private action's ref
                assert secret not in text, f"{secret} in the {style} {name}"
            assert PUBLIC_ACTION in text, f"the {style} {name} lost the public action"
            if name == "paper":
                assert PUBLIC_DECISION in text
                assert "KESTREL" not in text


def test_public_minutes_and_list_mark_private_business(cli, recorded, tmp_path):
    out = tmp_path / "public.docx"
    assert cli("minutes", recorded, "--meeting", MEETING, "-o", out).code == 0
    text = _docx_text(out)
    assert PUBLIC_ACTION in text and not any(s in text for s in PRIVATE)
    assert NOT_FOR_PUBLICATION not in text
    full = tmp_path / "full.docx"
    assert cli("minutes", recorded, "--meeting", MEETING, "-o", full, "--include-private").code == 0
    assert all(s in _docx_text(full) for s in PRIVATE)
    assert all(NOT_FOR_PUBLICATION in h and SCHEDULE_12A in h for h in _header_texts(full))
    # `list` is the officer's own view: everything shows, private business marked as such.
    actions = {a["ref"]: a for a in json.loads(cli("list", recorded, "actions", "--json").out)}
    assert "KESTREL-ACTION" in actions["A-011"]["description"]
    assert actions["A-011"]["private"] is True and actions["A-012"]["private"] is False
    assert actions["A-001"]["private"] is False
    decisions = json.loads(cli("list", recorded, "decisions", "--json").out)
    private = [d for d in decisions if d["private"]]
    assert [d["text"] for d in private] == ["The KESTREL-DECISION direct award be approved."]
    plain = cli("list", recorded, "actions").out
    assert [line for line in plain.splitlines() if "[PRIVATE]" in line][0].startswith("A-011")


def test_a_released_item_shows_in_public_reports_and_minutes(cli, recorded, tmp_path):
    result = cli("minutes", recorded, "--meeting", MEETING, "--release", "10")
    assert result.code == 0, result.err
    assert "item 10" in result.out and "released" in result.out.lower()
    with Register.open(recorded, readonly=True) as reg:
        rows = [r for r in history.changes(reg) if r["field"] == "released"]
    assert rows and rows[-1]["ref"] == f"{MEETING} item 10" and rows[-1]["new"] == "yes"
    paper = _paper(cli, recorded)
    out = tmp_path / "report.docx"
    assert cli("report", recorded, "--paper", paper, "--style", "durham", "-o", out).code == 0
    text = _docx_text(out)
    assert "KESTREL-ACTION" in text and "KESTREL-DECISION" in text
    minutes = tmp_path / "minutes.docx"
    assert cli("minutes", recorded, "--meeting", MEETING, "-o", minutes).code == 0
    assert all(s in _docx_text(minutes) for s in PRIVATE)
    actions = {a["ref"]: a for a in json.loads(cli("list", recorded, "actions", "--json").out)}
    assert actions["A-011"]["private"] is False
    agenda = {a["ref"]: a for a in json.loads(cli("list", recorded, "agenda", "--json").out)}
    assert agenda[f"{MEETING}/10"]["released"] is True
    # And withdrawn again, it is private once more.
    assert cli("minutes", recorded, "--meeting", MEETING, "--withhold", "10").code == 0
    assert cli("report", recorded, "--paper", paper, "-o", out).code == 0
    assert "KESTREL" not in _docx_text(out)


def test_only_a_private_item_can_be_released(cli, recorded):
    result = cli("minutes", recorded, "--meeting", MEETING, "--release", "7")
    assert result.code == 1
    assert "item 7" in result.err and len(result.err.strip().splitlines()) == 1
    result = cli("minutes", recorded, "--meeting", MEETING, "--release", "99")
    assert result.code == 1 and "item 99" in result.err


# --- exempt papers -----------------------------------------------------------------------------


def _plan(tmp_path, items, date="2017-11-06"):
    """A forward plan for one meeting of the demo's committee: (number, title, part, document,
    paper, minutes_of)."""
    path = tmp_path / "plan.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["committee", "meeting_date", "time", "place", "item_no", "title", "part",
                         "item_type", "presenter", "document", "paper", "minutes_of"])
        for number, title, part, document, paper, minutes_of in items:
            writer.writerow([COMMITTEE, date, "2.00 pm", "Committee Room 3", number, title, part,
                             "", "A Presenter", document, paper, minutes_of])
    return path


def test_a_public_pack_refuses_an_exempt_paper(cli, demo_copy, tmp_path):
    exempt = _paper(cli, demo_copy, "--exempt", "yes", "--exemption", "3")
    marked_pdf(tmp_path / "a.pdf", 2, "ITEM-A")
    plan = _plan(tmp_path, [("1", "Apologies", "public", "a.pdf", "", ""),
                            ("7", "Commercial update", "public", "", exempt, "")])
    assert cli("import", demo_copy, plan, "--kind", "agenda").code == 0
    out, private = tmp_path / "pack.pdf", tmp_path / "private.pdf"
    result = cli("pack", demo_copy, "--meeting", "CHWB-2017-11-06", "-o", out,
                 "--private-out", private)
    assert result.code == 1
    assert result.err.strip() == (
        f"CHWB-2017-11-06 item 7 carries the exempt paper {exempt}; mark the item private (with "
        "its exemption paragraph) or link a public paper; no pack was written")
    assert not out.exists() and not private.exists()
    assert not list(tmp_path.glob(".*partial"))


def test_paper_exemption_paragraph_is_kept_and_normalised(cli, demo_copy):
    ref = _paper(cli, demo_copy, "--exemption", "paragraph 3")
    shown = json.loads(cli("paper", demo_copy, "show", ref, "--json").out)
    assert shown["exempt"] is True and shown["exemption"] == "Paragraph 3"
    assert cli("paper", demo_copy, "set", ref, "--exempt", "no").code == 0
    shown = json.loads(cli("paper", demo_copy, "show", ref, "--json").out)
    assert shown["exempt"] is False and shown["exemption"] == ""


def _header_texts(path):
    """The header text that prints on each page of each section: the default header, and the
    first page's where a section has its own."""
    doc = docx.Document(str(path))
    out = []
    for section in doc.sections:
        headers = [section.header]
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
        out += ["\n".join(p.text for p in h.paragraphs) for h in headers]
    return out


@pytest.mark.parametrize("style", STYLES)
def test_an_exempt_paper_carries_the_marking_in_every_header(cli, demo_copy, tmp_path, style):
    exempt = _paper(cli, demo_copy, "--exempt", "yes", "--exemption", "Paragraph 3",
                    "--blocks", "timeline,risk-log,actions")
    public = _paper(cli, demo_copy, "--blocks", "timeline,risk-log,actions")
    out, plain = tmp_path / "exempt.docx", tmp_path / "public.docx"
    assert cli("report", demo_copy, "--paper", exempt, "--style", style, "-o", out).code == 0
    assert cli("report", demo_copy, "--paper", public, "--style", style, "-o", plain).code == 0
    headers = _header_texts(out)
    assert headers  # coventry and nhs-cover put the risk log in a landscape section of its own
    for text in headers:
        assert NOT_FOR_PUBLICATION in text and SCHEDULE_12A in text
    assert NOT_FOR_PUBLICATION not in _docx_text(plain)


@pytest.mark.slow
@_needs_office
def test_every_rendered_page_of_an_exempt_paper_is_marked(cli, demo_copy, tmp_path):
    from ooh_desk.exports.office import convert_to_pdf

    exempt = _paper(cli, demo_copy, "--exempt", "yes", "--exemption", "3",
                    "--blocks", "timeline,heat-map,risk-log,actions,feedback")
    documents = []
    for style in STYLES:
        out = tmp_path / f"{style}.docx"
        assert cli("report", demo_copy, "--paper", exempt, "--style", style, "-o", out).code == 0
        documents.append(out)
    for source, pdf in convert_to_pdf(documents, tmp_path / "pdf").items():
        assert pdf is not None, f"LibreOffice could not convert {source.name}"
        pages = _pdf_pages(pdf)
        assert len(pages) >= 4, f"{source.name} is too short to show every page marked"
        for number, text in enumerate(pages, 1):
            flat = " ".join(text.split())
            assert NOT_FOR_PUBLICATION in flat and SCHEDULE_12A in flat, \
                f"{source.name} page {number} is not marked"


# --- agenda packs ------------------------------------------------------------------------------


@pytest.mark.slow
@_needs_office
def test_no_private_business_reaches_the_public_pack(cli, recorded, tmp_path):
    """The next meeting's pack: the September minutes, a public paper with the actions and
    decisions blocks, and a private item carrying an exempt paper."""
    public_paper = _paper(cli, recorded)
    exempt_paper = _paper(cli, recorded, "--exempt", "yes", "--exemption", "3")
    plan = _plan(tmp_path, [
        ("1", "Minutes of Previous Meeting", "public", "", "", MEETING),
        ("2", "Out of Hospital programme update", "public", "", public_paper, ""),
        ("3", "Out of Hospital contract: commercial terms", "private - paragraph 3", "",
         exempt_paper, "")])
    assert cli("import", recorded, plan, "--kind", "agenda").code == 0
    out, private = tmp_path / "pack.pdf", tmp_path / "private.pdf"
    result = cli("pack", recorded, "--meeting", "CHWB-2017-11-06", "-o", out,
                 "--private-out", private)
    assert result.code == 0, result.err
    pages = _pdf_pages(out)
    text = "\n".join(pages)
    assert "Minutes of the Meeting of" in text and PUBLIC_ACTION in text
    assert PUBLIC_DECISION in " ".join(text.split())
    for number, page in enumerate(pages, 1):
        for secret in (*PRIVATE, "KESTREL"):
            assert secret not in page, f"{secret} on page {number} of the public pack"
    assert b"KESTREL" not in out.read_bytes()
    # The private pack carries the exempt paper whole (private business too: LibreOffice may
    # wrap the action at its hyphen), marked on every one of its pages.
    secret_pages = _pdf_pages(private)
    assert any("KESTREL" in p for p in secret_pages)
    found = re.search(r"commercial terms \(Pages (\d+) - (\d+)\)", " ".join(secret_pages[0].split()))
    first, last = int(found.group(1)), int(found.group(2))
    assert last - first >= 1 and last == len(secret_pages)
    for number in range(first, last + 1):
        page = " ".join(secret_pages[number - 1].split())
        assert NOT_FOR_PUBLICATION in page and SCHEDULE_12A in page, f"private page {number}"


def test_private_out_with_no_private_items_writes_no_private_pack(cli, demo_copy, tmp_path):
    marked_pdf(tmp_path / "a.pdf", 2, "ITEM-A")
    plan = _plan(tmp_path, [("1", "Apologies", "public", "a.pdf", "", "")])
    assert cli("import", demo_copy, plan, "--kind", "agenda").code == 0
    out, private = tmp_path / "pack.pdf", tmp_path / "private.pdf"
    result = cli("pack", demo_copy, "--meeting", "CHWB-2017-11-06", "-o", out,
                 "--private-out", private)
    assert result.code == 0, result.err
    assert not private.exists()
    said = " ".join((result.out + result.err).split())
    assert "CHWB-2017-11-06 has no private items; no private pack was written" in said
    assert "ITEM-A page 1" in "\n".join(_pdf_pages(out))


def test_a_released_item_made_public_and_private_again_is_withheld(cli, recorded, tmp_path):
    from ooh_desk.services.meetings import save_agenda_item
    from ooh_desk.store import meetings as store

    assert cli("minutes", recorded, "--meeting", MEETING, "--release", "10").code == 0
    with Register.open(recorded) as reg:
        meeting = store.find_meeting(reg, MEETING)
        item = next(i for i in store.agenda(reg, meeting) if i.number == "10")
        assert item.released
        for part in ("public", "private"):
            item.part = part
            save_agenda_item(reg, meeting, item)
    out = tmp_path / "minutes.docx"
    assert cli("minutes", recorded, "--meeting", MEETING, "-o", out).code == 0
    assert "KESTREL" not in _docx_text(out)
