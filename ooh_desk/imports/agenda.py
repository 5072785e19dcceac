"""Read a committee's forward plan (the `agenda` CSV or sheet) and a meeting's minutes sheet
into domain objects, collecting every problem with its row and column. Documents named in
the plan are found relative to the plan's own folder and read here; nothing is written.

Imports no Qt and no SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..domain.board_dates import BoardDateError, parse_day
from ..domain.meetings import AgendaItem, Attendee, parse_attendance_kind, parse_part, parse_time
from ..domain.records import FieldReader, Problem
from .mapping import ColumnMap
from .rows import record_values
from .tabular import Grid

DOCUMENT_SUFFIXES = (".docx", ".doc", ".odt", ".rtf", ".pdf")
MAX_DOCUMENT_BYTES = 100 * 1024 * 1024
# "private - paragraph 3", "Private (para 3)", "exempt: paragraph 1 and 2"
_PART_WITH_PARAGRAPH = re.compile(r"^\s*(\w+)\s*[-:(,]\s*(.*?)\)?\s*$")


@dataclass
class PlannedItem:
    """One row of a forward plan: the meeting it belongs to and the item."""

    row: int
    committee: str
    meeting_date: date
    time: str
    place: str
    item: AgendaItem
    document_name: str = ""
    document_bytes: bytes | None = None


@dataclass
class ForwardPlan:
    items: list[PlannedItem] = field(default_factory=list)
    problems: dict[int, list[Problem]] = field(default_factory=dict)


def read_forward_plan(grid: Grid, colmap: ColumnMap, base: Path) -> ForwardPlan:
    plan = ForwardPlan()
    columns = colmap.field_columns()
    seen: dict[tuple[str, date, str], int] = {}
    for number, values in record_values(grid, colmap):
        r = FieldReader(values, f"{grid.source} row {number}", columns)
        committee = r.text("committee", required=True, what="committee name")
        day = _day(r, "meeting_date")
        time = _time(r)
        part, exemption = _part(r)
        item = AgendaItem(number=r.text("item_no", required=True, what="item number"),
                          title=r.text("title", required=True, what="title"), part=part,
                          exemption=exemption, item_type=r.text("item_type"),
                          presenter=r.text("presenter"), notes=r.text("notes"),
                          paper_ref=r.text("paper"), minutes_of=r.text("minutes_of"))
        planned = PlannedItem(number, committee, day or date.min, time, r.text("place"), item)
        document = r.text("document")
        if document:
            _read_document(r, base, document, planned)
        if sum(map(bool, (item.paper_ref, document, item.minutes_of))) > 1:
            r.problem("document", "give one of a document, a paper or the minutes of a "
                                  "meeting, not more")
        if day and item.number:
            key = (committee.lower(), day, item.number)
            if key in seen:
                r.problem("item_no", f"item {item.number} of this meeting is listed again "
                                     f"(first on row {seen[key]})")
            seen.setdefault(key, number)
        if r.problems:
            plan.problems[number] = r.problems
        plan.items.append(planned)
    return plan


def _day(r: FieldReader, name: str) -> date | None:
    value = r.raw(name)
    if value is None or not str(value).strip():
        r.problem(name, "a meeting date is needed")
        return None
    try:
        return parse_day(value if isinstance(value, date) else str(value))
    except BoardDateError as exc:
        r.problem(name, str(exc))
        return None


def _time(r: FieldReader) -> str:
    value = r.raw("time")
    if hasattr(value, "hour"):  # a spreadsheet time cell
        return f"{value.hour:02d}:{value.minute:02d}"
    try:
        return parse_time(r.text("time"))
    except ValueError as exc:
        r.problem("time", str(exc))
        return ""


def _part(r: FieldReader) -> tuple[str, str]:
    text = r.text("part")
    exemption = r.text("exemption")
    found = _PART_WITH_PARAGRAPH.match(text) if text else None
    if found and found.group(2):
        text, exemption = found.group(1), exemption or found.group(2)
    try:
        part = parse_part(text)
    except ValueError as exc:
        r.problem("part", str(exc))
        return "public", ""
    if part == "public" and exemption:
        r.problem("exemption", "only a private item has an exemption paragraph")
    if exemption and exemption[:1].isdigit():
        exemption = f"Paragraph {exemption}"
    return part, exemption[:1].upper() + exemption[1:]


def _read_document(r: FieldReader, base: Path, name: str, planned: PlannedItem) -> None:
    path = (base / name).resolve() if not Path(name).is_absolute() else Path(name)
    if path.suffix.lower() not in DOCUMENT_SUFFIXES:
        r.problem("document", f"{name} is not a Word document or PDF "
                              f"({', '.join(DOCUMENT_SUFFIXES)})")
        return
    if not path.is_file():
        r.problem("document", f"there is no file {name} (looked in {base})")
        return
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        r.problem("document", f"{name} is {size // 1024 // 1024} MB; the limit is "
                              f"{MAX_DOCUMENT_BYTES // 1024 // 1024} MB")
        return
    try:
        planned.document_bytes = path.read_bytes()
    except OSError as exc:
        r.problem("document", f"{name} cannot be read ({exc.strerror})")
        return
    planned.document_name = path.name


# --- a meeting's minutes sheet ------------------------------------------------------------------

MINUTE_SECTIONS = ("minute", "resolved", "action", "closed")


@dataclass
class MinutesSheet:
    attendance: list[Attendee] = field(default_factory=list)
    minutes: dict[str, str] = field(default_factory=dict)  # item number -> text
    resolved: dict[str, list[str]] = field(default_factory=dict)  # item number -> decisions
    # (item number, description or an existing action's ref, owner, due, row)
    actions: list[tuple[str, str, str, str, int]] = field(default_factory=list)
    closed_at: str = ""
    problems: list[Problem] = field(default_factory=list)


def read_minutes_sheet(grid: Grid, colmap: ColumnMap) -> MinutesSheet:
    """Rows of `section, item_no, name, organisation, text, owner, due`: section is an
    attendance kind (present, apologies, substitute, other representative, officer; `text`
    names whom a substitute stood in for), or minute, resolved (one decision a row, lettered
    in order), action, or closed (text: the time the meeting closed)."""
    sheet = MinutesSheet()
    columns = colmap.field_columns()
    for number, values in record_values(grid, colmap):
        r = FieldReader(values, f"{grid.source} row {number}", columns)
        section = r.text("section", required=True, what="section").lower()
        item_no, text = r.text("item_no"), r.text("text")
        if section in MINUTE_SECTIONS[:3] and not item_no:
            r.problem("item_no", f"a {section} row needs the item number it belongs to")
        if section == "minute":
            sheet.minutes[item_no] = (sheet.minutes.get(item_no, "") + "\n\n" + text).strip()
        elif section == "resolved":
            if not text:
                r.problem("text", "a resolved row needs the decision's words")
            sheet.resolved.setdefault(item_no, []).append(text)
        elif section == "action":
            # `name` may hold an existing action's ref, to link it rather than add one.
            if not text and not r.text("name"):
                r.problem("text", "an action row needs the action's description (or its ref "
                                  "in the name column)")
            sheet.actions.append((item_no, text or r.text("name"), r.text("owner"),
                                  r.text("due"), number))
        elif section == "closed":
            try:
                sheet.closed_at = parse_time(text)
            except ValueError as exc:
                r.problem("text", str(exc))
        elif section:
            try:
                kind = parse_attendance_kind(section)
            except ValueError:
                r.problem("section", f"{section!r} is not a section (use present, apologies, "
                                     "substitute, other representative, officer, minute, "
                                     "resolved, action or closed)")
                kind = ""
            name = r.text("name", required=True, what="name")
            if kind:
                sheet.attendance.append(Attendee(
                    name, kind, r.text("organisation"),
                    text if kind == "substitute" else ""))
        sheet.problems.extend(r.problems)
    return sheet
