"""The calendar export (issue 17, item 12): `ooh-desk export REGISTER calendar -o FILE.ics`,
read back with icalendar (an independent parser; the file is written by hand), every event
checked, and a second export updating rather than duplicating."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import icalendar
import pytest

from ooh_desk.store import Register, records


def export(cli, register, out):
    result = cli("export", register, "calendar", "-o", out)
    assert result.code == 0, result.err
    return icalendar.Calendar.from_ical(out.read_bytes())


def events(cal):
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_every_event_of_the_demo_reads_back(demo_copy, cli, tmp_path):
    out = tmp_path / "demo.ics"
    cal = export(cli, demo_copy, out)
    raw = out.read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")  # CRLF line ends throughout
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded at 75 octets
    assert [str(t["tzid"]) for t in cal.walk("VTIMEZONE")] == ["Europe/London"]
    found = events(cal)
    with Register.open(demo_copy, readonly=True) as reg:
        risks = records.all_records(reg, "risks")
        actions = records.all_records(reg, "actions")
        milestones = records.all_records(reg, "milestones")
        expected = (
            sum(1 for r in risks if r.status != "closed" and r.review_date)
            + sum(1 for r in risks if r.status != "closed" for m in r.mitigations
                  if m.due and m.status not in ("complete", "cancelled"))
            + sum(1 for a in actions if a.due and a.status not in ("complete", "cancelled"))
            + sum(1 for m in milestones if (m.forecast or m.baseline) and m.actual is None
                  and m.status not in ("complete", "cancelled")))
        meetings = reg.conn.execute("select count(*) from meetings").fetchone()[0]
        decisions = reg.conn.execute("select count(*) from key_decisions where status not in "
                                     "('made', 'withdrawn')").fetchone()[0]
        unpublished = reg.conn.execute("select count(*) from key_decisions where key = 1 and "
                                       "published is null and status not in "
                                       "('made', 'withdrawn')").fetchone()[0]
    assert len(found) == expected + meetings + decisions + unpublished
    for uid, e in found.items():
        assert uid.endswith("@ooh-desk")
        for name in ("dtstamp", "dtstart", "dtend", "summary", "sequence"):
            assert name in e, (uid, name)
        assert e.decoded("dtend") > e.decoded("dtstart")
    action = next(e for e in found.values() if str(e["summary"]).startswith("Action due: A-003"))
    assert action.decoded("dtstart") == date(2017, 10, 20)
    assert action.decoded("dtend") == date(2017, 10, 21)
    assert "Director of Commissioning" in str(action["description"])
    milestone = next(e for e in found.values() if str(e["summary"]).startswith("Milestone: M-010"))
    assert milestone.decoded("dtstart") == date(2017, 11, 21)  # "Late November": its first day
    assert "Late November 2017" in str(milestone["description"])
    meeting = next(e for e in found.values() if str(e["categories"].to_ical()) == "b'Meeting'"
                   and e.decoded("dtstart").date() == date(2017, 9, 4))
    start = meeting.decoded("dtstart")
    assert (start.hour, start.minute, str(start.tzinfo)) == (14, 0, "Europe/London")
    assert start.utcoffset() == timedelta(hours=1)  # BST in September
    assert str(meeting["location"]) == "Committee Room 3 - Council House"
    notice = next(e for e in found.values() if str(e["summary"]).startswith("Publish notice: KD-006"))
    assert notice.decoded("dtstart") == date(2017, 11, 6)


def test_exporting_again_keeps_every_uid_and_an_edit_raises_the_sequence(demo_copy, cli, tmp_path):
    first = events(export(cli, demo_copy, tmp_path / "one.ics"))
    with Register.open(demo_copy) as reg:
        action = records.get_record(reg, "actions", "A-003")
        records.save_records(reg, "actions", [dataclasses.replace(
            action, description="Chief officers meet, UHCW; George Eliot \\ the MoU\nsecond line")])
    second = events(export(cli, demo_copy, tmp_path / "two.ics"))
    assert set(first) == set(second)
    uid = next(u for u, e in second.items() if str(e["summary"]).startswith("Action due: A-003"))
    assert int(second[uid]["sequence"]) == int(first[uid]["sequence"]) + 1
    # Commas, semicolons, backslashes and line breaks come back as typed.
    assert "UHCW; George Eliot \\ the MoU\nsecond line" in str(second[uid]["description"])


def test_a_done_action_has_no_event(demo_copy, cli, tmp_path):
    with Register.open(demo_copy) as reg:
        action = records.get_record(reg, "actions", "A-003")
        records.save_records(reg, "actions", [dataclasses.replace(action, status="complete")])
    found = events(export(cli, demo_copy, tmp_path / "cal.ics"))
    assert not any(str(e["summary"]).startswith("Action due: A-003") for e in found.values())


@pytest.mark.parametrize("name", ["calendar.txt", "calendar.docx"])
def test_a_calendar_is_written_only_as_ics(demo_copy, cli, tmp_path, name):
    result = cli("export", demo_copy, "calendar", "-o", tmp_path / name)
    assert result.code == 1 and ".ics" in result.err
    assert not (tmp_path / name).exists()


def test_a_meeting_in_winter_is_in_gmt(tmp_path):
    from ooh_desk.exports.calendar import Event, calendar_text

    text = calendar_text([Event("x@ooh-desk", "Board", datetime(2018, 1, 8, 14, 0),
                                datetime(2018, 1, 8, 16, 0), "é" * 80)],
                         "Programme", datetime(2018, 1, 1, 12, 0))
    event = next(iter(icalendar.Calendar.from_ical(text).walk("VEVENT")))
    assert event.decoded("dtstart").utcoffset() == timedelta(0)
    assert str(event["description"]) == "é" * 80  # folded between characters, never inside one
