"""The register's dates as an iCalendar file (RFC 5545) that Outlook, Google, Apple and every
other calendar imports: risk review dates, action and mitigating-action due dates, milestone
dates (a board date's earliest day, its words in the description), meetings with their time
and place (Europe/London, with its VTIMEZONE), and key decisions with the day their notice is
due. Each event's UID is the record's uuid and what the event is, and its SEQUENCE the
record's count of audited changes, so importing a newer file updates events rather than
duplicating them. Closed, complete and cancelled records have no event.

Written by hand, not with the icalendar library: the file needs a few properties, escaping and
line folding, and a fixed VTIMEZONE, which is less than the library would add to every
install (the tests read the file back with icalendar, an independent reader). Imports no Qt."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from .. import __version__
from ..domain.board_dates import BoardDate, long_date
from ..domain.key_decisions import notice_due_by
from ..domain.meetings import Meeting, display_time
from ..domain.records import ACTION_DONE
from ..errors import atomic_output
from ..store import Register, records
from ..store import due as due_store
from ..store import key_decisions as decisions
from ..store import meetings as meeting_store

TZID = "Europe/London"
# Europe/London since 1996: BST from 01:00 GMT on the last Sunday of March, GMT from 02:00 BST
# on the last Sunday of October.
VTIMEZONE = (
    "BEGIN:VTIMEZONE", f"TZID:{TZID}",
    "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0000", "TZOFFSETTO:+0100", "TZNAME:BST",
    "DTSTART:19810329T010000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
    "BEGIN:STANDARD", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0000", "TZNAME:GMT",
    "DTSTART:19961027T020000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
    "END:VTIMEZONE")
# A meeting whose closing time the register does not hold is shown this long.
MEETING_HOURS = 2
UID_DOMAIN = "ooh-desk"


@dataclass(frozen=True)
class Event:
    uid: str
    summary: str
    start: date | datetime  # a date: an all-day event; a datetime: local to Europe/London
    end: date | datetime
    description: str = ""
    location: str = ""
    category: str = ""
    sequence: int = 0
    private: bool = False


def escape(text: str) -> str:
    """TEXT as RFC 5545 writes it: backslash, semicolon, comma and line breaks escaped."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line folded at 75 octets (CRLF and a space), never inside a UTF-8
    character."""
    out, current, size = [], "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += width
    out.append(current)
    return "\r\n".join(out)


def _stamp(value: date | datetime, name: str) -> str:
    if isinstance(value, datetime):
        return f"{name};TZID={TZID}:{value.strftime('%Y%m%dT%H%M%S')}"
    return f"{name};VALUE=DATE:{value.strftime('%Y%m%d')}"


def calendar_text(events: Iterable[Event], name: str, now: datetime) -> str:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//OOH Desk//OOH Desk {__version__}//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{escape(name)}",
             f"X-WR-TIMEZONE:{TZID}", *VTIMEZONE]
    for e in events:
        lines += ["BEGIN:VEVENT", f"UID:{e.uid}", f"DTSTAMP:{stamp}", _stamp(e.start, "DTSTART"),
                  _stamp(e.end, "DTEND"), f"SUMMARY:{escape(e.summary)}"]
        if e.description:
            lines.append(f"DESCRIPTION:{escape(e.description)}")
        if e.location:
            lines.append(f"LOCATION:{escape(e.location)}")
        if e.category:
            lines.append(f"CATEGORIES:{escape(e.category)}")
        lines += [f"SEQUENCE:{e.sequence}", f"CLASS:{'CONFIDENTIAL' if e.private else 'PUBLIC'}",
                  # A reminder is not time taken; a meeting is.
                  f"TRANSP:{'TRANSPARENT' if not isinstance(e.start, datetime) else 'OPAQUE'}",
                  "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def _all_day(uid: str, summary: str, when: BoardDate, description: str, category: str,
             sequence: int, private: bool = False) -> Event:
    day = when.earliest
    if not when.exact:
        description += f"\nDate as written: {when.text} ({long_date(when.earliest)} to " \
                       f"{long_date(when.latest)})"
    return Event(uid, summary, day, day + timedelta(days=1), description.strip(), "", category,
                 sequence, private)


def _uid(uuid: str, what: str) -> str:
    return f"{uuid}-{what}@{UID_DOMAIN}"


def register_events(reg: Register) -> Iterator[Event]:
    seq = due_store.change_counts(reg)
    for r in records.all_records(reg, "risks"):
        if r.status == "closed":
            continue
        if r.review_date is not None:
            score = f"Current score {r.current.score}. " if r.current else ""
            yield _all_day(_uid(r.uuid, "review"), f"Risk review: {r.ref} {r.title}",
                           r.review_date, f"Review of risk {r.ref}: {r.title}. {score}"
                           f"Owner: {r.owner or 'not named'}. "
                           + (f"Reviewed by: {r.reviewed_by}." if r.reviewed_by else ""),
                           "Risk review", seq.get(r.uuid, 0))
        for n, m in enumerate(r.mitigations, 1):
            if m.due is None or m.status in ACTION_DONE:
                continue
            yield _all_day(_uid(r.uuid, f"mitigation-{n}"),
                           f"Action due: {r.ref} action {n} {m.description}", m.due,
                           f"Mitigating action {n} of risk {r.ref} ({r.title}): {m.description}. "
                           f"Owner: {m.owner or r.owner or 'not named'}.", "Action",
                           seq.get(r.uuid, 0))
    withheld = meeting_store.withheld_action_refs(reg)
    for a in records.all_records(reg, "actions"):
        if a.due is None or a.status in ACTION_DONE:
            continue
        yield _all_day(_uid(a.uuid, "due"), f"Action due: {a.ref} {a.description}", a.due,
                       f"Action {a.ref}: {a.description}. Owner: {a.owner or 'not named'}."
                       + (f" Source: {a.source}." if a.source else ""), "Action",
                       seq.get(a.uuid, 0), private=a.ref in withheld)
    for m in records.all_records(reg, "milestones"):
        when = m.forecast or m.baseline
        if when is None or m.actual is not None or m.status in ("complete", "cancelled"):
            continue
        dates = "; ".join(f"{label}: {d.text}" for label, d in (("Baseline", m.baseline),
                                                              ("Forecast", m.forecast)) if d)
        yield _all_day(_uid(m.uuid, "milestone"), f"Milestone: {m.ref} {m.title}", when,
                       f"Milestone {m.ref}: {m.title}. {dates}. "
                       f"Owner: {m.owner or 'not named'}.", "Milestone", seq.get(m.uuid, 0))
    for meeting in meeting_store.all_meetings(reg):
        yield _meeting(meeting, seq.get(meeting.uuid, 0))
    for kd in decisions.all_key_decisions(reg):
        if kd.date is None or kd.status in ("made", "withdrawn"):
            continue
        where = f" (private: {kd.exemption})" if kd.exempt else ""
        yield _all_day(_uid(kd.uuid, "decision"), f"Key decision: {kd.ref} {kd.matter}", kd.date,
                       f"Key decision {kd.ref}{where}: {kd.matter}. Decision maker: "
                       f"{kd.decision_maker}. Contact: {kd.contact or 'not named'}.",
                       "Key decision", seq.get(kd.uuid, 0))
        if kd.key and kd.published is None:
            due_by = notice_due_by(kd.date.earliest)
            yield _all_day(_uid(kd.uuid, "notice"), f"Publish notice: {kd.ref} {kd.matter}",
                           BoardDate.from_date(due_by),
                           f"Last day to publish notice of key decision {kd.ref} for 28 clear "
                           f"days before the decision on {long_date(kd.date.earliest)}.",
                           "Key decision", seq.get(kd.uuid, 0))


def _meeting(meeting: Meeting, sequence: int) -> Event:
    summary = meeting.committee
    description = f"Meeting of the {meeting.committee} ({meeting.ref})."
    if not meeting.time:
        return Event(_uid(meeting.uuid, "meeting"), summary, meeting.date,
                     meeting.date + timedelta(days=1), description, meeting.place, "Meeting",
                     sequence)
    hour, minute = (int(x) for x in meeting.time.split(":")[:2])
    start = datetime.combine(meeting.date, time(hour, minute))
    end = start + timedelta(hours=MEETING_HOURS)
    if meeting.closed_at:
        h, m = (int(x) for x in meeting.closed_at.split(":")[:2])
        closed = datetime.combine(meeting.date, time(h, m))
        if closed > start:
            end = closed
    description += f" Starts at {display_time(meeting.time)}."
    return Event(_uid(meeting.uuid, "meeting"), summary, start, end, description, meeting.place,
                 "Meeting", sequence)


def write_calendar(reg: Register, output: Path, now: datetime | None = None) -> int:
    """Write the calendar file; returns how many events it holds."""
    events = list(register_events(reg))
    text = calendar_text(events, reg.programme.name, now or datetime.now(UTC))
    with atomic_output(output) as temp:
        Path(temp).write_bytes(text.encode("utf-8"))
    return len(events)
