"""Declarations of interest (issue 17, items 7-8): members' registers of interests and their
declarations imported all or nothing, listed, written into the minutes under the
"Declarations of Interest" item, the agenda's standing item, and members flagged to the
committee officer when an agenda's words match their registered interests."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest
from docx import Document

from ooh_desk.domain.interests import (
    Declaration,
    Interest,
    declaration_sentence,
    declarations_place,
    interest_flags,
    parse_action,
    parse_kind,
)
from ooh_desk.domain.meetings import AgendaItem

INTERESTS = ("member,interest,kind,from,to\n"
             "Cllr K Taylor,Trustee of Age UK Coventry (care at home),other registrable,"
             "01/05/2016,\n"
             "Cllr F Abbott,Shareholder in a domiciliary care company,disclosable pecuniary,"
             "2015-06-01,2016-12-31\n")


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def _minutes_text(path):
    return [p.text for p in Document(str(path)).paragraphs]


# --- the rules -------------------------------------------------------------------------------------


def test_the_minutes_sentence_names_member_kind_item_and_what_they_did():
    d = Declaration("DOI-001", "M", "6", "Cllr K Taylor", "Director of Acme Care Ltd",
                    "disclosable pecuniary", "withdrew", "Out of Hospital")
    assert declaration_sentence(d) == (
        "Councillor K Taylor declared a disclosable pecuniary interest in item 6 (Out of "
        "Hospital) \u2013 Director of Acme Care Ltd \u2013 and withdrew from the meeting.")
    d.kind, d.action, d.interest = "other registrable", "", ""
    assert declaration_sentence(d) == ("Councillor K Taylor declared an other registrable "
                                       "interest in item 6 (Out of Hospital).")


def test_kinds_and_actions_are_read_in_the_words_people_use():
    assert parse_kind("DPI") == "disclosable pecuniary"
    assert parse_kind("Other registrable interest") == "other registrable"
    assert parse_kind("non registrable") == "non-registrable"
    assert parse_action("left the room") == "withdrew"
    assert parse_action("Remained but did not vote") == "stayed and did not vote"
    with pytest.raises(ValueError, match="not a kind of interest"):
        parse_kind("financial-ish")


def test_the_standing_item_goes_after_welcome_and_apologies():
    items = [AgendaItem("1", "Welcome and Apologies for Absence"), AgendaItem("2", "Minutes")]
    assert declarations_place(items) == 1
    assert declarations_place([AgendaItem("1", "Minutes")]) == 0


def test_matching_shows_shared_words_and_skips_ended_interests_and_non_members():
    interests = [Interest("INT-001", "Councillor K Taylor", "Trustee of Age UK (care at home)",
                          "other registrable"),
                 Interest("INT-002", "Cllr F Abbott", "Shares in a home care company",
                          "disclosable pecuniary", date(2015, 1, 1), date(2016, 12, 31)),
                 Interest("INT-003", "Someone Else", "Home care provider", "other registrable")]
    items = [AgendaItem("2", "Declarations of Interest"),
             AgendaItem("5", "Commissioning care at home", notes="Domiciliary care contract"),
             AgendaItem("6", "Libraries")]
    flags = interest_flags(["Cllr K Taylor", "Cllr F Abbott"], interests, items,
                           date(2017, 9, 4), ignore=["Coventry Health Board"])
    assert [(f.member, f.item_number, f.words) for f in flags] == [
        ("Cllr K Taylor", "5", ("care", "home"))]
    assert "Item 5 (Commissioning care at home): Cllr K Taylor, INT-001" in flags[0].line()


# --- through the command line ------------------------------------------------------------------------


@pytest.fixture
def demo_file(demo_register, tmp_path):
    target = tmp_path / "demo.oohdesk"
    shutil.copy(demo_register, target)
    return target


def test_interests_import_list_json_and_reimport_updates(cli, demo_file, tmp_path):
    source = _write(tmp_path, "interests.csv", INTERESTS)
    result = cli("import", demo_file, source, "--kind", "interests")
    assert result.code == 0, result.err
    assert "2 new" in result.out
    listed = json.loads(cli("list", demo_file, "interests", "--json").out)
    taylor = next(i for i in listed if i["member"] == "Cllr K Taylor")
    assert taylor["ref"].startswith("INT-") and taylor["kind"] == "other registrable"
    assert taylor["from"] == {"text": "1 May 2016", "iso": "2016-05-01"} and taylor["held"]
    again = cli("import", demo_file,
                _write(tmp_path, "again.csv", INTERESTS.replace(",01/05/2016,", ",02/05/2016,")),
                "--kind", "interests")
    assert again.code == 0 and "0 new, 1 updated, 1 unchanged" in again.out


@pytest.mark.parametrize(("row", "column", "words"), [
    ("Cllr X,Shares in Y,pecuniary-ish,01/01/2017,", "kind", "is not a kind of interest"),
    ("Cllr X,Shares in Y,dpi,31/02/2018,", "from", "31/02/2018"),
    ("Cllr X,Shares in Y,dpi,01/02/2018,01/01/2018", "to", "before"),
])
def test_a_bad_interest_row_is_one_line_naming_row_and_column(cli, demo_file, tmp_path, row,
                                                               column, words):
    before = demo_file.read_bytes()
    source = _write(tmp_path, "bad.csv", "member,interest,kind,from,to\nCllr Y,Z,dpi,,\n" + row)
    result = cli("import", demo_file, source, "--kind", "interests")
    assert result.code == 1
    line = result.err.strip().splitlines()[-1]
    assert f"bad.csv row 3, column '{column}'" in line and words in line
    assert demo_file.read_bytes() == before  # register unchanged


def test_a_declaration_on_an_item_the_meeting_lacks_is_refused(cli, demo_file, tmp_path):
    before = demo_file.read_bytes()
    source = _write(tmp_path, "decl.csv", "meeting,item_no,member,interest,kind,action\n"
                                          "2017-09-04,42,Cllr K Caan,Director,dpi,withdrew\n")
    result = cli("import", demo_file, source, "--kind", "declarations")
    assert result.code == 1
    assert "decl.csv row 2, column 'item_no': CHWB-2017-09-04 has no item 42" in result.err
    missing = _write(tmp_path, "pecuniary.csv", "meeting,item_no,member,interest,kind,action\n"
                                                "CHWB-2017-09-04,7,Cllr K Caan,Director,dpi,\n")
    result = cli("import", demo_file, missing, "--kind", "declarations")
    assert result.code == 1 and "column 'action'" in result.err
    assert demo_file.read_bytes() == before


def test_the_minutes_record_declarations_under_the_item(cli, demo_file, tmp_path):
    source = _write(tmp_path, "decl.csv",
                    "meeting,item_no,member,interest,kind,action\n"
                    "CHWB-2017-07-10,6,Cllr K Taylor,Trustee of the Stroke Association,"
                    "disclosable pecuniary,withdrew\n")
    assert cli("import", demo_file, source, "--kind", "declarations").code == 0
    out = tmp_path / "minutes.docx"
    result = cli("minutes", demo_file, "--meeting", "CHWB-2017-07-10", "-o", out)
    assert result.code == 0, result.err
    text = _minutes_text(out)
    heading = next(n for n, t in enumerate(text) if t.endswith("Declarations of Interest"))
    assert text[heading + 1] == (
        "Councillor K Taylor declared a disclosable pecuniary interest in item 6 (Redesign and "
        "improvement of stroke services) \u2013 Trustee of the Stroke Association \u2013 and "
        "withdrew from the meeting.")
    assert text[heading + 2] == "No member declared an interest."  # the typed minute follows


def test_the_demo_meeting_minutes_a_declaration_at_its_standing_item(cli, demo_file, tmp_path):
    out = tmp_path / "september.docx"
    assert cli("minutes", demo_file, "--meeting", "CHWB-2017-09-04", "-o", out).code == 0
    doc = Document(str(out))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 3"]
    assert any(h.endswith("Declarations of Interest") for h in headings)
    assert any(p.text.startswith("S Gilby declared an other registrable interest in item 7 "
                                 "(Out of Hospital)") for p in doc.paragraphs)


def test_the_pack_flags_members_whose_interests_match_an_item(cli, demo_file, tmp_path):
    out = tmp_path / "pack.pdf"
    result = cli("pack", demo_file, "--meeting", "CHWB-2017-09-04", "-o", out)
    assert result.code == 0, result.err
    assert "Members to ask about their registered interests before CHWB-2017-09-04" in result.out
    assert "Item 7 (Out of Hospital): A Hardy, INT-" in result.out
    assert "shares the word 'hospital'" in result.out
    from pypdf import PdfReader

    front = PdfReader(out).pages[0].extract_text()
    assert "2. Declarations of Interest" in " ".join(front.split()).replace(".  ", ". ")


def test_an_agenda_without_the_standing_item_is_noted_and_can_be_given_it(cli, demo_file,
                                                                          tmp_path):
    from ooh_desk.services.interests import add_declarations_item, pack_lines
    from ooh_desk.store import Register
    from ooh_desk.store import meetings as store

    assert not any("has no" in line for line in pack_lines(demo_file, "CHWB-2017-07-10"))
    plan = _write(tmp_path, "plan.csv",
                  "committee,meeting_date,time,place,item_no,title,part\n"
                  "Test Board,2017-10-02,10.00 am,Room 1,1,Apologies,public\n"
                  "Test Board,2017-10-02,10.00 am,Room 1,2,Minutes,public\n"
                  "Test Board,2017-10-02,10.00 am,Room 1,3,Budget,public\n")
    assert cli("import", demo_file, plan, "--kind", "agenda").code == 0
    assert any("has no \"Declarations of Interest\" item" in line
               for line in pack_lines(demo_file, "2017-10-02"))
    with Register.open(demo_file) as reg:
        meeting = store.find_meeting(reg, "2017-10-02")
        item, added = add_declarations_item(reg, meeting)
        assert added and item.number == "2"
        assert [(i.number, i.title) for i in store.agenda(reg, meeting)] == [
            ("1", "Apologies"), ("2", "Declarations of Interest"), ("3", "Minutes"),
            ("4", "Budget")]
        assert add_declarations_item(reg, meeting)[1] is False


def test_declarations_merge_from_a_copy(cli, demo_file, tmp_path):
    copy = tmp_path / "copy.oohdesk"
    assert cli("copy", demo_file, copy, "--for", "clerk").code == 0
    source = _write(tmp_path, "decl.csv",
                    "meeting,item_no,member,interest,kind,action\n"
                    "CHWB-2017-09-04,8,A Hardy,Chief Executive of University Hospitals,"
                    "other registrable,stayed and did not vote\n")
    assert cli("import", copy, source, "--kind", "declarations").code == 0
    ours = _write(tmp_path, "ours.csv", "member,interest,kind,from,to\n"
                                        "Cllr K Caan,Governor of a primary school,"
                                        "non-registrable,,\n")
    assert cli("import", demo_file, ours, "--kind", "interests").code == 0
    result = cli("merge", demo_file, copy)
    assert result.code == 0, result.err
    declared = json.loads(cli("list", demo_file, "declarations", "--json").out)
    assert any(d["member"] == "A Hardy" and d["item"] == "8" for d in declared)
    held = json.loads(cli("list", demo_file, "interests", "--json").out)
    assert any(i["member"] == "Cllr K Caan" for i in held)
