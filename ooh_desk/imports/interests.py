"""Read members' registers of interests (`--kind interests`: member, interest, kind, from, to)
and declarations made at meetings (`--kind declarations`: meeting, item_no, member, interest,
kind, action) from a mapped grid, every problem kept with its row and column. The meeting is
found, and its item checked, through the `find_meeting` the caller passes in; nothing is
written here. Imports no Qt and no SQL."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..domain.board_dates import BoardDateError, parse_day
from ..domain.interests import (
    Declaration,
    Interest,
    InterestError,
    check_action,
    member_key,
    parse_action,
    parse_kind,
)
from ..domain.meetings import AgendaItem, Meeting
from ..domain.records import FieldReader, Problem
from ..errors import UserFacing
from .mapping import ColumnMap
from .rows import record_values
from .tabular import Grid

# A meeting by its ref or ISO date, with its agenda; raises an error whose words say why not.
MeetingFinder = Callable[[str], tuple[Meeting, Sequence[AgendaItem]]]


@dataclass
class ReadRows:
    """What a grid holds, row by row: (row number, record) for rows read cleanly, and the
    problems of the others, by row number."""

    records: list[tuple[int, Any]] = field(default_factory=list)
    problems: dict[int, list[Problem]] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)  # every row read, in order


def _day(r: FieldReader, name: str) -> date | None:
    value = r.raw(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_day(value if isinstance(value, date) else str(value).strip())
    except BoardDateError as exc:
        r.problem(name, str(exc))
        return None


def _kind(r: FieldReader) -> str:
    text = r.text("kind", required=True, what="kind of interest")
    if not text:
        return ""
    try:
        return parse_kind(text)
    except InterestError as exc:
        r.problem("kind", str(exc))
        return ""


def read_interests(grid: Grid, colmap: ColumnMap) -> ReadRows:
    out = ReadRows()
    columns = colmap.field_columns()
    seen: dict[tuple[str, str], int] = {}
    for number, values in record_values(grid, colmap):
        r = FieldReader(values, f"{grid.source} row {number}", columns)
        member = r.text("member", required=True, what="member's name")
        interest = r.text("interest", required=True, what="description of the interest")
        kind = _kind(r)
        start, end = _day(r, "from"), _day(r, "to")
        if start and end and end < start:
            r.problem("to", f"{end:%d/%m/%Y} is before the interest was held from "
                            f"{start:%d/%m/%Y}")
        key = (member_key(member), " ".join(interest.lower().split()))
        if member and interest and key in seen:
            r.problem("interest", f"{member} is given this interest again (first on row "
                                  f"{seen[key]})")
        seen.setdefault(key, number)
        out.rows.append(number)
        if r.problems:
            out.problems[number] = r.problems
        else:
            out.records.append((number, Interest("", " ".join(member.split()), interest, kind,
                                                 start, end)))
    return out


@dataclass
class DeclarationRow:
    declaration: Declaration
    meeting: Meeting
    item: AgendaItem


def read_declarations(grid: Grid, colmap: ColumnMap, find_meeting: MeetingFinder) -> ReadRows:
    out = ReadRows()
    columns = colmap.field_columns()
    found: dict[str, tuple[Meeting, Sequence[AgendaItem]] | str] = {}
    for number, values in record_values(grid, colmap):
        r = FieldReader(values, f"{grid.source} row {number}", columns)
        meeting_text = _meeting_text(r)
        item_no = _item_number(r)
        member = r.text("member", required=True, what="member's name")
        interest = r.text("interest")
        kind = _kind(r)
        try:
            action = parse_action(r.text("action"))
            if kind:
                check_action(kind, action)
        except InterestError as exc:
            r.problem("action", str(exc))
            action = ""
        meeting, item = None, None
        if meeting_text:
            if meeting_text not in found:
                try:
                    found[meeting_text] = find_meeting(meeting_text)
                except UserFacing as exc:  # no such meeting, or two that day: in its words
                    found[meeting_text] = str(exc)
            answer = found[meeting_text]
            if isinstance(answer, str):
                r.problem("meeting", answer)
            else:
                meeting, items = answer
                item = next((i for i in items if i.number.lower() == item_no.lower()), None)
                if item_no and item is None:
                    numbers = ", ".join(i.number for i in items) or "none"
                    r.problem("item_no", f"{meeting.ref} has no item {item_no} "
                                         f"(its items: {numbers})")
        out.rows.append(number)
        if r.problems or meeting is None or item is None:
            out.problems[number] = r.problems
            continue
        out.records.append((number, DeclarationRow(
            Declaration("", meeting.ref, item.number, " ".join(member.split()), interest, kind,
                        action, item.title), meeting, item)))
    return out


def _meeting_text(r: FieldReader) -> str:
    value = r.raw("meeting")
    if isinstance(value, date):  # a date cell: the meeting on that day
        return value.isoformat() if type(value) is date else value.date().isoformat()
    text = r.text("meeting", required=True, what="meeting (its ref or date)")
    if not text:
        return ""
    try:  # a date typed any way a day may be typed: its ISO day finds the meeting
        return parse_day(text).isoformat()
    except BoardDateError:
        return text


def _item_number(r: FieldReader) -> str:
    value = r.raw("item_no")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return r.text("item_no", required=True, what="agenda item number")
