"""The committee officer's verbs: import a forward plan, record what happened at a meeting,
list meetings, agenda items and decisions, build the agenda packs and write the minutes.
Called alike by the command line and the desktop app (through services.py). Imports no Qt.
"""

from __future__ import annotations

import contextlib
import re
import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from .domain.board_dates import BoardDateError, long_date, parse_board_date, parse_day, short_date
from .domain.meetings import (
    AgendaItem,
    Committee,
    Meeting,
    Member,
    StoredDocument,
    display_time,
    meeting_ref,
    parse_role,
)
from .domain.records import Action, Problem
from .imports.agenda import read_forward_plan, read_minutes_sheet
from .imports.errors import ImportRefused
from .imports.mapping import find_header
from .services import ImportReport, RowOutcome, UserError, read_grid
from .store import Register, RegisterError
from .store import meetings as store

MEETING_KINDS = ("meetings", "agenda", "decisions")


# --- forward plan -------------------------------------------------------------------------------


def import_agenda(reg: Register, source: Path, *, sheet: str | None = None,
                  overrides: Mapping[str, str] | None = None,
                  dry_run: bool = False) -> ImportReport:
    """A forward plan: committees and meetings are made as named, each meeting's agenda
    becomes the rows given, and each document is copied into the register. All or nothing."""
    grid = read_grid(source, sheet=sheet, kind="agenda")
    colmap = find_header(grid, "agenda", overrides)
    plan = read_forward_plan(grid, colmap, source.resolve().parent)
    if not plan.items:
        raise ImportRefused(f"{grid.source}: the header is on row {colmap.header_row} but no "
                            "rows below it hold any agenda items")
    outcomes = []
    for p in plan.items:
        ref = meeting_ref(p.committee, p.meeting_date) if p.meeting_date != date.min else ""
        problems = plan.problems.get(p.row, [])
        outcomes.append(RowOutcome(p.row, f"{ref} item {p.item.number}",
                                   "refused" if problems else "new", problems))
    report = ImportReport(grid.source, "agenda", False, colmap.describe(), colmap.ignored,
                          outcomes)
    if report.refused:
        return report
    _plan_outcomes(reg, plan, outcomes)
    if dry_run:
        return report
    with reg.transaction():
        by_meeting: dict[str, tuple[Meeting, list[Any]]] = {}
        for p in plan.items:
            committee = store.get_committee(reg, p.committee)
            if committee is None:
                committee = Committee(p.committee, default_place=p.place)
                store.save_committee(reg, committee, operation=f"import {source.name}")
            ref = meeting_ref(committee.name, p.meeting_date)
            if ref not in by_meeting:
                meeting = Meeting(ref, committee.name, p.meeting_date, p.time,
                                  p.place or committee.default_place)
                existing = _existing_meeting(reg, ref)
                if existing:
                    meeting.uuid, meeting.published = existing.uuid, existing.published
                    meeting.closed_at = existing.closed_at
                by_meeting[ref] = (meeting, [])
            if p.item.minutes_of:  # a date of this committee's, or a meeting's ref
                with contextlib.suppress(BoardDateError):
                    p.item.minutes_of = meeting_ref(committee.name, parse_day(p.item.minutes_of))
            if p.document_bytes is not None:
                p.item.document = store.add_document(reg, p.document_name, p.document_bytes,
                                                     operation=f"import {source.name}")
            by_meeting[ref][1].append(p.item)
        for meeting, items in by_meeting.values():
            store.save_meeting(reg, meeting, operation=f"import {source.name}")
            store.save_agenda(reg, meeting, items, operation=f"import {source.name}")
    report.written = True
    return report


def _existing_meeting(reg: Register, ref: str) -> Meeting | None:
    try:
        return store.find_meeting(reg, ref)
    except RegisterError:
        return None


def _plan_outcomes(reg: Register, plan: Any, outcomes: list[RowOutcome]) -> None:
    """new / updated / unchanged per row, against the agenda already in the register."""
    for p, outcome in zip(plan.items, outcomes, strict=True):
        meeting = _existing_meeting(reg, meeting_ref(p.committee, p.meeting_date))
        if meeting is None:
            continue
        old = next((i for i in store.agenda(reg, meeting) if i.number == p.item.number), None)
        if old is None:
            continue
        changed = [name for name in ("title", "part", "exemption", "item_type", "presenter",
                                     "notes", "paper_ref")
                   if getattr(old, name) != getattr(p.item, name)]
        import hashlib

        new_digest = hashlib.sha256(p.document_bytes).hexdigest() \
            if p.document_bytes is not None else None
        if new_digest != (old.document.sha256 if old.document else None):
            changed.append("document")
        outcome.outcome = "updated" if changed else "unchanged"
        outcome.changed = changed


# --- recording a meeting ------------------------------------------------------------------------


def record_minutes(reg: Register, meeting_ref_or_date: str, source: Path,
                   sheet: str | None = None) -> dict[str, int]:
    """Attendance, minutes, RESOLVED decisions and actions arising from a minutes sheet
    (see imports.agenda.read_minutes_sheet for its columns). All or nothing."""
    if not source.exists():
        raise UserError(f"there is no file at {source}")
    meeting = store.find_meeting(reg, meeting_ref_or_date)
    grid = read_grid(source, sheet=sheet, kind="minutes")
    sheet_ = read_minutes_sheet(grid, find_header(grid, "minutes"))
    items = {i.number: i for i in store.agenda(reg, meeting)}
    for number in [*sheet_.minutes, *sheet_.resolved, *(a[0] for a in sheet_.actions)]:
        if number not in items:
            sheet_.problems.append(Problem(grid.source, "item_no",
                                           f"{meeting.ref} has no agenda item {number}"))
    actions: list[tuple[str, Any]] = []
    for item_no, text, owner, due, row in sheet_.actions:
        existing = reg.get("actions", text) if re.fullmatch(r"[A-Z]+-\d+", text) else None
        if existing is not None:
            actions.append((item_no, existing))
            continue
        try:
            due_date = parse_board_date(due) if due else None
        except BoardDateError as exc:
            sheet_.problems.append(Problem(f"{grid.source} row {row}", "due", str(exc)))
            continue
        actions.append((item_no, Action(ref="", description=text, owner=owner, due=due_date,
                                        source=f"{meeting.ref} minute {item_no}")))
    if sheet_.problems:
        raise ImportRefused(f"nothing was recorded: {sheet_.problems[0]}")
    with reg.transaction():
        if sheet_.attendance:
            store.save_attendance(reg, meeting, sheet_.attendance,
                                  operation=f"minutes {source.name}")
        for number in dict.fromkeys([*sheet_.minutes, *sheet_.resolved]):
            item = items[number]
            store.record_minute(reg, meeting, item, sheet_.minutes.get(number, item.minute),
                                sheet_.resolved.get(number, []),
                                operation=f"minutes {source.name}")
        taken: set[str] = set()
        known = {(a.description, a.source): a.ref for a in reg.all("actions")}
        for item_no, action in actions:
            if not action.ref:  # a new action arising; recording twice does not duplicate it
                action.ref = known.get((action.description, action.source)) or \
                    reg.next_ref("actions", taken)
                taken.add(action.ref)
                reg.save("actions", [action], operation=f"minutes {source.name}")
            store.link_action(reg, action.ref, items[item_no])
        if sheet_.closed_at:
            store.set_closed_at(reg, meeting, sheet_.closed_at)
    return {"attendance": len(sheet_.attendance), "minutes": len(sheet_.minutes),
            "decisions": sum(len(v) for v in sheet_.resolved.values()),
            "actions": len(actions)}


# --- arranging and recording in the app --------------------------------------------------------


def store_document(reg: Register, path: Path) -> StoredDocument:
    """Keep a report's file (a Word document or PDF) in the register, for an agenda item."""
    from .imports.agenda import DOCUMENT_SUFFIXES, MAX_DOCUMENT_BYTES

    path = Path(path)
    if path.suffix.lower() not in DOCUMENT_SUFFIXES:
        raise UserError(f"{path.name} is not a Word document or PDF "
                        f"({', '.join(DOCUMENT_SUFFIXES)})")
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise UserError(f"{path.name} is {size // 1024 // 1024} MB; the limit is "
                            f"{MAX_DOCUMENT_BYTES // 1024 // 1024} MB")
        content = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path} cannot be read ({exc.strerror})") from None
    if not content:
        raise UserError(f"{path.name} is empty")
    return store.add_document(reg, path.name, content)


def add_action_arising(reg: Register, meeting: Meeting, item: AgendaItem, description: str,
                       owner: str = "", due: str = "") -> Action:
    """A new action arising from an item's minute, in the register's actions and linked to
    the minute, in one transaction."""
    description = " ".join(description.split())
    if not description:
        raise UserError("an action needs a description")
    try:
        due_date = parse_board_date(due) if due.strip() else None
    except BoardDateError as exc:
        raise UserError(f"the action's due date: {exc}") from None
    with reg.transaction():
        action = Action(ref=reg.next_ref("actions"), description=description,
                        owner=owner.strip(), due=due_date,
                        source=f"{meeting.ref} minute {item.number}")
        reg.save("actions", [action], operation="edit")
        store.link_action(reg, action.ref, item)
    return action


# --- listing ------------------------------------------------------------------------------------


def list_meeting_records(reg: Register, kind: str) -> list[dict[str, Any]]:
    """Meetings, agenda items or decisions for `list --json`: every record has a `ref`, and
    every date is ISO beside the text an agenda prints."""
    meetings = store.all_meetings(reg)
    if kind == "meetings":
        out = []
        for m in meetings:
            items = store.agenda(reg, m)
            out.append({"ref": m.ref, "committee": m.committee,
                        "date": {"text": long_date(m.date), "iso": m.date.isoformat()},
                        "time": {"text": display_time(m.time), "iso": m.time or None},
                        "place": m.place, "municipal_year": m.municipal_year,
                        "items": len(items),
                        "private_items": sum(1 for i in items if i.private),
                        "minuted": any(i.minute_number for i in items)})
        return out
    if kind == "agenda":
        out = []
        for m in meetings:
            for i in store.agenda(reg, m):
                out.append({"ref": f"{m.ref}/{i.number}", "meeting": m.ref,
                            "meeting_date": {"text": long_date(m.date),
                                             "iso": m.date.isoformat()},
                            "number": i.number, "title": i.title, "part": i.part,
                            "exemption": i.exemption, "item_type": i.item_type,
                            "presenter": i.presenter,
                            "document": i.document.filename if i.document else None,
                            "paper": i.paper_ref or None, "minutes_of": i.minutes_of or None,
                            "minute_number": i.minute_number})
        return out
    if kind == "decisions":
        dates = {m.ref: m.date for m in meetings}
        return [{"ref": d.ref, "meeting": d.meeting_ref,
                 "meeting_date": {"text": long_date(dates[d.meeting_ref]),
                                  "iso": dates[d.meeting_ref].isoformat()},
                 "municipal_year": d.municipal_year, "minute_number": d.minute_number,
                 "item": d.item_number, "letter": d.letter, "text": d.text}
                for d in store.decisions(reg)]
    raise UserError(f"cannot list {kind!r}")


def meeting_line(kind: str, item: dict[str, Any]) -> str:
    """One line of plain `list` output."""
    if kind == "meetings":
        return (f"{item['ref']:<18} {short_date(date.fromisoformat(item['date']['iso']))} "
                f"{item['time']['text']:<8} {item['committee']} ({item['items']} items, "
                f"{item['private_items']} private)")
    if kind == "agenda":
        part = " [PRIVATE]" if item["part"] == "private" else ""
        return f"{item['ref']:<22} {item['title']}{part}"
    return f"{item['ref']:<18} {item['meeting']}: {item['text']}"


# --- outputs ------------------------------------------------------------------------------------


def build_pack(register: str | Path, meeting: str, output: Path, private_output: Path | None = None,
               as_at: date | None = None, progress: Any = None) -> Any:
    from .exports import pack

    with Register.open(register, readonly=True) as reg:
        found = store.find_meeting(reg, meeting)
        return pack.build_packs(reg, found, output, private_output, as_at=as_at,
                                progress=progress)


def write_minutes(register: str | Path, meeting: str, output: Path,
                  include_private: bool = False) -> Path:
    from .exports import minutes

    with Register.open(register, readonly=True) as reg:
        found = store.find_meeting(reg, meeting)
        return minutes.write_minutes(reg, found, output, include_private=include_private)


# --- demo ---------------------------------------------------------------------------------------


def load_demo_meetings(reg: Register, sample_data: Path) -> None:
    """The sample committee (committee.toml), its forward plan (agenda.csv, with documents
    made by sample_data/make_documents.py) and the minutes of its July meeting."""
    settings_path = sample_data / "committee.toml"
    if not settings_path.exists():
        return
    settings = tomllib.loads(settings_path.read_text("utf-8"))
    c = settings["committee"]
    committee = Committee(
        name=c["name"], organisation=c.get("organisation", ""),
        contact_name=c.get("contact_name", ""), contact_phone=c.get("contact_phone", ""),
        contact_email=c.get("contact_email", ""), default_place=c.get("default_place", ""),
        issued_by=c.get("issued_by", ""),
        members=[Member(m["name"], parse_role(m.get("role", "")), m.get("organisation", ""))
                 for m in settings.get("members", [])])
    store.save_committee(reg, committee, operation="demo")
    plan = sample_data / "agenda.csv"
    if plan.exists():
        import shutil
        import tempfile

        # The demo's reports are generated, not shipped: made in a scratch folder beside a
        # copy of the plan, then imported exactly as a user's forward plan is.
        with tempfile.TemporaryDirectory(prefix="ooh-demo-") as scratch:
            copy = Path(scratch) / plan.name
            shutil.copy(plan, copy)
            _make_demo_documents(sample_data, Path(scratch) / "documents")
            report = import_agenda(reg, copy)
        if report.refused:
            raise UserError(f"the demo forward plan is broken: {report.problems[0]}")
    for m in settings.get("meetings", []):
        meeting = store.find_meeting(reg, m["ref"])
        if m.get("published"):
            meeting.published = date.fromisoformat(m["published"])
            store.save_meeting(reg, meeting, operation="demo")
        if m.get("minutes"):
            record_minutes(reg, meeting.ref, sample_data / m["minutes"])


def _make_demo_documents(sample_data: Path, folder: Path) -> None:
    import importlib.util

    script = sample_data / "make_documents.py"
    if not script.exists():
        return
    spec = importlib.util.spec_from_file_location("ooh_demo_documents", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make_documents(folder)
