"""Committees and meetings in the register: schema 3, the forward-plan import, recording
minutes, numbering, listing and the Word minutes."""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlite_utils
from docx import Document

from ooh_desk.domain.meetings import (
    decision_letter,
    display_time,
    meeting_ref,
    municipal_year,
    number_minutes,
    pages_text,
    parse_time,
)
from ooh_desk.store import Register, history, records
from ooh_desk.store import meetings as store
from ooh_desk.store.schema import APPLICATION_ID, MIGRATIONS


def test_rules_of_the_trade():
    assert municipal_year(date(2017, 7, 10)) == "2017/18"
    assert municipal_year(date(2017, 4, 10)) == "2016/17"
    assert [decision_letter(n) for n in (1, 2, 26, 27)] == ["a", "b", "z", "aa"]
    assert parse_time("2.00 pm") == "14:00" and parse_time("14:00") == "14:00"
    assert parse_time("12pm") == "12:00" and display_time("14:00") == "2.00 pm"
    with pytest.raises(ValueError):
        parse_time("25:00")
    assert meeting_ref("Coventry Health and Well-being Board", date(2017, 9, 4)) == \
        "CHWB-2017-09-04"
    assert pages_text(5, 14) == "(Pages 5 - 14)" and pages_text(15, 15) == "(Page 15)"
    numbers = number_minutes([(date(2017, 9, 4), "B", [("x", True)]),
                              (date(2017, 7, 10), "A", [("a", True), ("b", False), ("c", True)])])
    assert numbers == {"a": 1, "c": 2, "x": 3}


def test_version_2_register_with_data_upgrades_to_3_keeping_it(tmp_path):
    path = tmp_path / "v2.oohdesk"
    db = sqlite_utils.Database(path)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    MIGRATIONS[0](db)
    MIGRATIONS[1](db)
    db.execute("PRAGMA user_version = 2")
    db["actions"].insert({"uuid": "a1", "ref": "A-001", "description": "Kept", "status": "open"})
    db["papers"].insert({"uuid": "p1", "ref": "P-001", "title": "Kept paper"})
    db.conn.commit()
    db.close()
    with Register.open(path) as reg:
        backup = reg.backup_path
        assert records.get_record(reg, "actions", "A-001").description == "Kept"
        assert reg.db["papers"].count == 1
        assert {"committees", "meetings", "agenda_items", "documents", "decisions",
                "attendance", "members"} <= set(reg.db.table_names())
        assert "agenda_item_uuid" in reg.db["actions"].columns_dict
    old = sqlite_utils.Database(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 2
    assert "meetings" not in old.table_names() and old["actions"].count == 1


PLAN = """committee,meeting_date,time,place,item_no,title,part,item_type,presenter,document
Test Board,04/09/2017,2.00 pm,Room 3,1,Apologies,public,,,
Test Board,04/09/2017,2.00 pm,Room 3,2,Report A,public,Decision,Jo Bloggs,docs/a.pdf
Test Board,04/09/2017,2.00 pm,Room 3,3,Secret report,private - paragraph 3,,Jo Bloggs,docs/b.pdf
"""


def _pdf(path, pages):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        writer.write(handle)


def test_forward_plan_import_stores_documents_in_the_register(cli, register, tmp_path):
    _pdf(tmp_path / "docs" / "a.pdf", 2)
    _pdf(tmp_path / "docs" / "b.pdf", 1)
    (tmp_path / "plan.csv").write_text(PLAN, "utf-8")
    result = cli("import", register, tmp_path / "plan.csv", "--kind", "agenda")
    assert result.code == 0, result.err
    (tmp_path / "docs" / "a.pdf").unlink()  # the register holds its own copy
    with Register.open(register, readonly=True) as reg:
        meeting = store.find_meeting(reg, "2017-09-04")
        items = store.agenda(reg, meeting)
        assert [i.number for i in items] == ["1", "2", "3"]
        assert items[2].private and items[2].exemption == "Paragraph 3"
        assert store.document_content(reg, items[1].document.uuid).startswith(b"%PDF")
        assert meeting.time == "14:00" and meeting.place == "Room 3"
        assert history.changes(reg, "documents")
    listed = json.loads(cli("list", register, "agenda", "--json").out)
    assert [i["ref"] for i in listed] == ["TB-2017-09-04/1", "TB-2017-09-04/2", "TB-2017-09-04/3"]
    assert listed[1]["meeting_date"] == {"text": "4 September 2017", "iso": "2017-09-04"}


def test_a_missing_document_names_the_row_and_nothing_is_written(cli, register, tmp_path):
    _pdf(tmp_path / "docs" / "a.pdf", 2)
    (tmp_path / "plan.csv").write_text(PLAN, "utf-8")
    result = cli("import", register, tmp_path / "plan.csv", "--kind", "agenda")
    assert result.code == 1
    assert "plan.csv row 4" in result.err and "b.pdf" in result.err
    with Register.open(register, readonly=True) as reg:
        assert reg.db["meetings"].count == 0 and reg.db["documents"].count == 0


def test_demo_minutes_are_numbered_and_written_in_the_seed_form(cli, demo_copy, tmp_path):
    demo_copy = demo_copy
    sheet = tmp_path / "actions.csv"
    sheet.write_text("section,item_no,name,text,owner,due\n"
                     "action,7,,Bring the Better Care Fund plan back,Deputy Chief Executive,"
                     "October 2017\naction,4,A-010,,,\n", "utf-8")
    assert cli("minutes", demo_copy, "--meeting", "CHWB-2017-07-10", "--record",
               sheet).code == 0
    meetings = json.loads(cli("list", demo_copy, "meetings", "--json").out)
    assert [m["ref"] for m in meetings] == ["CHWB-2017-07-10", "CHWB-2017-09-04"]
    decisions = json.loads(cli("list", demo_copy, "decisions", "--json").out)
    assert all(d["ref"] and d["meeting_date"]["iso"] for d in decisions)
    assert [d["ref"] for d in decisions if d["minute_number"] == 6] == \
        ["2017/18 min 6(a)", "2017/18 min 6(b)", "2017/18 min 6(c)"]
    out = tmp_path / "minutes.docx"
    result = cli("minutes", demo_copy, "--meeting", "CHWB-2017-07-10", "-o", out)
    assert result.code == 0, result.err
    doc = Document(out)
    text = [p.text for p in doc.paragraphs]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0].startswith("Minutes of the Meeting of Coventry Health and Well-being Board")
    assert "Present:" in headings and "Apologies:" in headings
    assert "Other Representatives:" in text and "Employees (by Directorate):" in text
    assert "3. Appointment of Deputy Chair" in headings
    assert "RESOLVED that Dr Adrian Canale-Parola be appointed Deputy Chair of the Board for " \
           "2017/18." in text
    i = text.index("RESOLVED that:", text.index("4. Progress on the Marmot City Strategy 2016-2019"))
    # numbered (1), (2) as the seed's minutes are (the register's default)
    assert text[i + 1].startswith("(1) The progress") and text[i + 2].startswith("(2) The Marmot")
    assert "(Meeting closed at 3.55 pm)" in text
    assert "Cllr K Caan (Chair)" in text
    actions = doc.tables[0]
    assert [c.text for c in actions.rows[0].cells] == ["Ref", "Minute", "Action", "Owner", "Due"]
    assert [(r.cells[0].text, r.cells[1].text) for r in actions.rows[1:]] == \
        [("A-010", "4"), ("A-011", "7")]
    assert "Better Care Fund" in actions.rows[2].cells[2].text
    assert doc.core_properties.language == "en-GB"


def test_recording_minutes_refuses_an_unknown_item(cli, demo_copy, tmp_path):
    sheet = tmp_path / "m.csv"
    sheet.write_text("section,item_no,name,organisation,text\nresolved,99,,,Nope\n", "utf-8")
    result = cli("minutes", demo_copy, "--meeting", "CHWB-2017-09-04", "--record", sheet)
    assert result.code == 1 and "no agenda item 99" in result.err
    assert "Traceback" not in result.err


def test_recording_minutes_links_actions_to_their_minute(cli, demo_copy, tmp_path):
    sheet = tmp_path / "m.csv"
    sheet.write_text("section,item_no,name,organisation,text,owner,due\n"
                     "present,,Cllr K Caan,,,,\n"
                     "minute,7,,,The Board heard the Out of Hospital update.,,\n"
                     "resolved,7,,,The report be noted.,,\n"
                     "action,7,,,Circulate the contract timeline,Andrea Green,October 2017\n",
                     "utf-8")
    result = cli("minutes", demo_copy, "--meeting", "CHWB-2017-09-04", "--record", sheet)
    assert result.code == 0, result.err
    with Register.open(demo_copy, readonly=True) as reg:
        meeting = store.find_meeting(reg, "CHWB-2017-09-04")
        arising = store.actions_arising(reg, meeting)
        assert [(n, a.description) for n, a in arising] == \
            [("7", "Circulate the contract timeline")]
        item = next(i for i in store.agenda(reg, meeting) if i.number == "7")
        # July's eight minutes came first this municipal year, then this meeting's
        # Declarations of Interest (item 2, minuted by the demo's declaration)
        assert item.minute_number == 10


def test_forward_plan_from_a_spreadsheet_with_date_and_time_cells(cli, register, tmp_path):
    from datetime import datetime, time

    import openpyxl

    _pdf(tmp_path / "a.pdf", 1)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Forward plan"])
    ws.append(["committee", "meeting_date", "time", "place", "item_no", "title", "part",
               "item_type", "presenter", "document"])
    ws.append(["Test Board", datetime(2017, 9, 4), time(14, 0), "Room 3", 1, "Report A",
               "public", "", "", "a.pdf"])
    wb.save(tmp_path / "plan.xlsx")
    result = cli("import", register, tmp_path / "plan.xlsx", "--kind", "agenda")
    assert result.code == 0, result.err
    with Register.open(register, readonly=True) as reg:
        meeting = store.find_meeting(reg, "TB-2017-09-04")
        assert meeting.time == "14:00"
        assert store.agenda(reg, meeting)[0].document.filename == "a.pdf"


def test_public_minutes_leave_private_items_out(cli, demo_copy, tmp_path):
    sheet = tmp_path / "m.csv"
    sheet.write_text("section,item_no,text\n"
                     "minute,7,The Board noted the Out of Hospital update.\n"
                     "minute,10,PRIVATE-MINUTE-5521 on the commercial terms.\n"
                     "resolved,10,PRIVATE-DECISION-5521 the terms be agreed.\n", "utf-8")
    assert cli("minutes", demo_copy, "--meeting", "CHWB-2017-09-04", "--record", sheet).code == 0
    public, full = tmp_path / "public.docx", tmp_path / "full.docx"
    assert cli("minutes", demo_copy, "--meeting", "CHWB-2017-09-04", "-o", public).code == 0
    assert cli("minutes", demo_copy, "--meeting", "CHWB-2017-09-04", "-o", full,
               "--include-private").code == 0
    public_text = "\n".join(p.text for p in Document(public).paragraphs)
    full_text = "\n".join(p.text for p in Document(full).paragraphs)
    assert "Out of Hospital update" in public_text and "5521" not in public_text
    assert "Private Business" in full_text and "PRIVATE-DECISION-5521" in full_text
