"""Papers a board reads unedited (issue 12, items 3-5): dates that agree with the meeting a
paper goes to, the committee spelt as the register spells it, the register's organisation in
the header (never the style's), and prose that starts with words, lists everything it counts
and holds no placeholder text."""

from __future__ import annotations

import json
import re
import zipfile

import docx
import pytest
from docx.oxml.ns import qn

from ooh_desk.store import Register

STYLES = ("coventry", "durham", "nhs-cover")
DEMO_ORGANISATION = "NHS Coventry and Rugby Clinical Commissioning Group"
DATE = re.compile(r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|"
                  r"October|November|December) \d{4}\b")
PLACEHOLDERS = ("not stated", "to be confirmed", "committee to be confirmed", "governing body "
                "meeting", "no owner", "not named")


def _report(cli, register, out, *args):
    result = cli("report", register, *args, "-o", out)
    assert result.code == 0, result.err
    return docx.Document(str(out)), result


def _label_off(text: str) -> str:
    """A paragraph's text without the number a style puts before a tab ('7\\t', '2.1\\t')."""
    return re.sub(r"^[\w.]{1,5}\t", "", text)


def _prose(doc) -> list[str]:
    """The sentences a board reads: every body paragraph that is not a heading, and the
    answers on a cover sheet, each split into sentences."""
    texts = [p.text for p in doc.paragraphs
             if p.text.strip() and not p.style.name.startswith(("Heading", "Title"))
             and not DATE.fullmatch(p.text.strip())]  # a paper's date line is no sentence
    for table in doc.tables:
        if table.rows[0].cells[0].text == "Cover sheet":
            texts += [row.cells[1].text for row in table.rows[1:]]
    out = []
    for text in texts:
        for line in _label_off(text).split("\n"):
            out += [s for s in re.split(r"(?<=[.!?])\s+", line.strip()) if s]
    return out


def _all_text(path) -> str:
    """Every word in the file: body, tables, headers, footers and document properties."""
    with zipfile.ZipFile(path) as z:
        parts = [z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")]
    return re.sub(r"<[^>]+>", "", "\n".join(parts))


def _header(doc) -> str:
    return " ".join(p.text for p in doc.sections[0].header.paragraphs).strip()


# --- 3. as-at follows the paper -------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
def test_a_report_for_a_meeting_is_as_at_its_date_and_every_date_agrees(cli, demo_copy,
                                                                        tmp_path, style):
    """The demo register stands at 9 November 2017; its Board met on 4 September 2017. A
    report for that meeting is written as at 4 September: "Date:", the body's "as at" and
    the document's properties say one day, and the issue list records it."""
    out = tmp_path / f"{style}.docx"
    doc, _ = _report(cli, demo_copy, out, "--meeting", "CHWB-2017-09-04", "--style", style)
    body = "\n".join(p.text for p in doc.paragraphs)
    dates = set(DATE.findall("\n".join(re.findall(r"as at [^.:;,]*", body))))
    assert dates == {"4 September 2017"}
    assert "9 November 2017" not in body
    assert "as at 4 September 2017" in doc.core_properties.comments
    if style == "coventry":
        assert "Date:\t4 September 2017" in body
    # the committee as the register spells it, every time
    assert "Coventry Health and Well-being Board" in body
    assert "Coventry Health and Wellbeing Board" not in _all_text(out)
    issued = json.loads(cli("list", demo_copy, "issued", "--json").out)
    assert [i["as_at"]["iso"] for i in issued if i["file_name"] == out.name] == ["2017-09-04"]


def test_a_paper_linked_to_a_meeting_date_is_as_at_it_and_says_since_when(cli, demo_copy,
                                                                          tmp_path):
    """A paper for 1 November 2017 (after the October report, before the register's own date)
    is written as at 1 November: the last report is counted from 12 October, and no line
    speaks of 9 November."""
    assert cli("paper", demo_copy, "new", "--title", "Community services update",
               "--committee", "Health and Social Care Scrutiny Committee",
               "--meeting-date", "2017-11-01", "--author", "Head of Programmes",
               "--section", "purpose=To update the committee.").code == 0
    out = tmp_path / "p.docx"
    doc, _ = _report(cli, demo_copy, out, "--paper", "P-001", "--style", "durham")
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "1 November 2017" in body
    assert "9 November 2017" not in body
    issued = json.loads(cli("list", demo_copy, "issued", "--json").out)
    assert [i["as_at"]["iso"] for i in issued if i["file_name"] == out.name] == ["2017-11-01"]
    # --as-at still decides when given
    doc, _ = _report(cli, demo_copy, tmp_path / "q.docx", "--paper", "P-001", "--as-at",
                     "2017-10-20")
    assert "as at 20 October 2017" in doc.core_properties.comments


def test_a_paper_for_a_later_meeting_is_as_at_the_registers_date(cli, demo_copy, tmp_path):
    """A paper for next month's meeting cannot report a day the register has not reached: it
    is dated for its meeting and written as at the register's date."""
    assert cli("paper", demo_copy, "new", "--title", "December update", "--committee",
               "Health and Social Care Scrutiny Committee", "--meeting-date", "2017-12-07",
               "--author", "Head of Programmes").code == 0
    doc, _ = _report(cli, demo_copy, tmp_path / "p.docx", "--paper", "P-001")
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Date:\t7 December 2017" in body
    assert "as at 9 November 2017" in doc.core_properties.comments


def test_the_papers_view_shows_the_as_at_date_the_report_uses(reg, edits, qtbot):
    from ooh_desk.gui.views.papers import PapersView
    from ooh_desk.services.papers import new_paper

    new_paper(reg, {"title": "September paper", "meeting": "CHWB-2017-09-04"})
    view = PapersView(edits)
    qtbot.addWidget(view)
    view.refresh()
    view.paper.setCurrentIndex(view.paper.findData("P-001"))
    assert view.as_at.text() == "4 September 2017"
    view.paper.setCurrentIndex(0)  # the draft: the register's own date
    assert view.as_at.text() == "9 November 2017"


# --- 4. the organisation is the register's ---------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
def test_the_header_names_the_registers_organisation_in_every_style(cli, demo_register,
                                                                    tmp_path, style):
    out = tmp_path / f"{style}.docx"
    doc, _ = _report(cli, demo_register, out, "--style", style)
    assert _header(doc) == DEMO_ORGANISATION
    text = _all_text(out)
    assert "Durham County Council" not in text  # a Coventry programme's paper
    assert "Coventry City Council" not in text  # the style names no council either


def test_init_organisation_names_the_header_and_none_prints_none(cli, tmp_path):
    named, bare = tmp_path / "named.oohdesk", tmp_path / "bare.oohdesk"
    assert cli("init", named, "--programme", "Community Services",
               "--organisation", "Durham County Council").code == 0
    assert cli("init", bare).code == 0
    with Register.open(named, readonly=True) as reg:
        assert reg.programme.organisation == "Durham County Council"
    for style in STYLES:
        doc, _ = _report(cli, named, tmp_path / f"n-{style}.docx", "--style", style)
        assert _header(doc) == "Durham County Council"
        out = tmp_path / f"b-{style}.docx"
        doc, _ = _report(cli, bare, out, "--style", style)
        text = _all_text(out)
        assert "County Council" not in text and "City Council" not in text
        assert _header(doc) in ("", "OFFICIAL")  # the protective marking, no organisation


def test_the_json_export_carries_the_organisation(cli, demo_register, tmp_path):
    out = tmp_path / "demo.json"
    assert cli("export", demo_register, "json", "-o", out).code == 0
    assert json.loads(out.read_text("utf-8"))["programme"]["organisation"] == DEMO_ORGANISATION
    copy = tmp_path / "copy.oohdesk"
    assert cli("init", copy).code == 0
    assert cli("import", copy, out).code == 0
    with Register.open(copy, readonly=True) as reg:
        assert reg.programme.organisation == DEMO_ORGANISATION


# --- 5. prose a board reads ------------------------------------------------------------------


@pytest.fixture(scope="module")
def drafted(demo_register, tmp_path_factory):
    """Every drafted report of the demo: each style, for the register's date and for the
    September meeting."""
    from ooh_desk.services.outputs import write_report

    folder = tmp_path_factory.mktemp("drafted")
    made = {}
    for style in STYLES:
        for meeting in (None, "CHWB-2017-09-04"):
            out = folder / f"{style}-{meeting or 'now'}.docx"
            notes = write_report(demo_register, out, style=style, meeting=meeting).notes
            made[(style, meeting)] = (out, notes)
    return made


def test_no_sentence_starts_with_a_numeral(drafted):
    for (style, meeting), (out, _) in drafted.items():
        doc = docx.Document(str(out))
        starts = [s for s in _prose(doc) if s[:1].isdigit()]
        assert starts == [], (style, meeting)
        # nor the tables' descriptions, which a screen reader reads out
        described = [t._tbl.tblPr.find(qn("w:tblDescription")) for t in doc.tables]
        assert not [d.get(qn("w:val")) for d in described
                    if d is not None and d.get(qn("w:val"))[:1].isdigit()], (style, meeting)


def test_every_item_counted_is_listed(drafted):
    for out, _ in drafted.values():
        text = _all_text(out)
        assert not re.search(r"\band \d+ more\b", text), out.name


def test_no_placeholder_text_in_a_drafted_report(drafted):
    for out, _ in drafted.values():
        text = _all_text(out).lower()
        assert not [p for p in PLACEHOLDERS if p in text], out.name


def test_titles_first_refs_in_brackets_and_each_slip_described_once(drafted):
    doc = docx.Document(str(drafted[("durham", None)][0]))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Incumbent providers destabilised by loss of income (R-003) was escalated to the " \
           "Collaborative Commissioning Board." in body
    assert "The highest scored risk is Incumbent providers destabilised by loss of income " \
           "(R-003)" in body
    for title in ("Employee liability information received from incumbent providers",
                  "Publish tender for the specialist services lot",
                  "Shared record test with one place based team"):
        assert body.count(f"{title} (M-") == 1, title  # slipped since, and against baseline


def test_the_verb_agrees_with_the_committee(drafted):
    nhs = "\n".join(p.text for p in docx.Document(str(drafted[("nhs-cover", None)][0]))
                    .paragraphs)
    assert "The CCG Governing Bodies are recommended to:" in nhs
    durham = "\n".join(p.text for p in docx.Document(str(drafted[("durham", None)][0]))
                       .paragraphs)
    assert "The Health and Social Care Scrutiny Committee is recommended to:" in durham
    from ooh_desk.domain.prose import agreeing_verb, counted, spoken

    assert agreeing_verb("Governing Body", "is", "are") == "is"
    assert agreeing_verb("Board of Governors", "is", "are") == "is"
    assert (spoken(21), spoken(140)) == ("twenty-one", "one hundred and forty")
    assert counted(3, "risk", start=True) == "Three risks"


@pytest.mark.parametrize("style", STYLES)
def test_a_bare_paper_leaves_empty_fields_out_and_holds_no_placeholder(cli, demo_copy,
                                                                       tmp_path, style):
    assert cli("paper", demo_copy, "new", "--title", "Bare paper",
               "--section", "purpose=To note.").code == 0
    out = tmp_path / f"{style}.docx"
    doc, result = _report(cli, demo_copy, out, "--paper", "P-001", "--style", style)
    text = _all_text(out).lower()
    assert not [p for p in PLACEHOLDERS if p in text]
    assert "Note: paper P-001 has no committee" in result.err  # the author is told


def test_the_cover_sheet_says_what_is_missing_and_report_warns(cli, demo_copy, tmp_path):
    assert cli("paper", demo_copy, "new", "--title", "Cover sheet paper", "--committee",
               "CCG Governing Bodies", "--author", "Head of Programmes",
               "--section", "purpose=To note the update.").code == 0
    out = tmp_path / "nhs.docx"
    doc, result = _report(cli, demo_copy, out, "--paper", "P-001", "--style", "nhs-cover")
    cover = next(t for t in doc.tables if t.rows[0].cells[0].text == "Cover sheet")
    answers = {row.cells[0].text: row.cells[1].text for row in cover.rows[1:]}
    assert answers["Sponsor"] == "Not yet given"
    assert answers["Purpose"] == "To note the update."
    assert answers["Author(s)"] == "Head of Programmes"
    notes = [line for line in result.err.splitlines()
             if line.startswith("Note: paper P-001") and "cover sheet" in line]
    assert len(notes) == 1
    for field in ("sponsor", "key issues", "equality impact assessment"):
        assert field in notes[0]
    assert "purpose" not in notes[0] and "author" not in notes[0]
    # The paper carries the risk log: its objectives are those its principal risks threaten.
    assert "objectives" not in notes[0]
    assert answers["Which of the organisation's objectives does this paper support?"] \
        .startswith("SO1 ")
    assert "Traceback" not in result.err


def test_programme_settings_dialog_sets_the_organisation_with_undo(reg, edits, qtbot):
    from ooh_desk.gui.programme_dialog import ProgrammeDialog

    dialog = ProgrammeDialog(edits)
    qtbot.addWidget(dialog)
    assert dialog.organisation.text() == DEMO_ORGANISATION
    for edit in (dialog.name, dialog.organisation, dialog.sponsor):
        assert edit.accessibleName()
        assert edit.focusPolicy() & edit.focusPolicy().TabFocus
    dialog.organisation.setText("  Warwickshire  County Council ")
    dialog.accept()
    assert reg.programme.organisation == "Warwickshire County Council"
    assert reg.programme.name == "Out of Hospital Community Services Programme"  # kept
    edits.stack.undo()
    assert reg.programme.organisation == DEMO_ORGANISATION
    edits.stack.redo()
    assert reg.programme.organisation == "Warwickshire County Council"
    # an empty name is refused with a message, and the dialog stays open
    refused = []
    edits.failed.connect(refused.append)
    again = ProgrammeDialog(edits)
    qtbot.addWidget(again)
    again.name.setText("  ")
    again.accept()
    assert refused == ["a programme needs a name"]
    assert reg.programme.name == "Out of Hospital Community Services Programme"


def test_the_app_offers_programme_settings_under_file(reg, qtbot, monkeypatch):
    from ooh_desk.gui import app as gui_app
    from ooh_desk.gui.programme_dialog import ProgrammeDialog

    window = gui_app.MainWindow(reg, remember_settings=False)
    qtbot.addWidget(window)
    file_menu = window.menuBar().actions()[0].menu()
    action = next(a for a in file_menu.actions() if a.text() == "&Programme settings…")

    def rename(dialog: ProgrammeDialog) -> int:
        dialog.name.setText("Community Services Programme")
        dialog.accept()
        return 1

    monkeypatch.setattr(ProgrammeDialog, "exec", rename)
    action.trigger()
    assert window.windowTitle().startswith("Community Services Programme — ")
    window.edits.stack.undo()
    assert window.windowTitle().startswith("Out of Hospital Community Services Programme — ")
