"""Declarations of interest, the verbs: import members' registers of interests and the
declarations made at meetings (all or nothing, with a dry run), list them, record one, put
the "Declarations of Interest" item on an agenda, and flag to the committee officer the
members whose registered interests share words with an agenda's items (shown, never
decided). The CLI and the app both call these. Imports no Qt."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..domain.board_dates import long_date
from ..domain.interests import (
    DECLARATIONS_TITLE,
    Declaration,
    Interest,
    InterestError,
    InterestFlag,
    check_action,
    declaration_sentence,
    declarations_item,
    declarations_place,
    member_key,
    parse_kind,
)
from ..domain.interests import interest_flags as match_interests
from ..domain.meetings import AgendaItem, Meeting
from ..imports.errors import ImportRefused
from ..imports.interests import DeclarationRow, read_declarations, read_interests
from ..imports.mapping import find_header
from ..imports.report import ImportReport, RowOutcome
from ..imports.sources import read_grid
from ..store import Register, RegisterError, meetings
from ..store import interests as store

KINDS = ("interests", "declarations")


# --- import ----------------------------------------------------------------------------------------


def import_interests(reg: Register, source: Path, kind: str, *, sheet: str | None = None,
                     overrides: Mapping[str, str] | None = None,
                     dry_run: bool = False) -> ImportReport:
    """A register of interests or a sheet of declarations into the register, all or nothing.
    A row naming a member and an interest the register holds (or, for a declaration, the
    same member, interest and item of the same meeting) updates it; any other row is new."""
    grid = read_grid(source, sheet=sheet, kind=kind)
    colmap = find_header(grid, kind, overrides)
    if dry_run:
        return _import(reg, grid, colmap, kind, source, write=False)
    with reg.transaction():  # planned under the write lock, as every import is
        return _import(reg, grid, colmap, kind, source, write=True)


def _import(reg: Register, grid: Any, colmap: Any, kind: str, source: Path,
            write: bool) -> ImportReport:
    if kind == "interests":
        read = read_interests(grid, colmap)
        rows = _interest_rows(reg, [r for _, r in read.records])
    else:
        read = read_declarations(grid, colmap, lambda text: _meeting_and_agenda(reg, text))
        rows = _declaration_rows(reg, [r for _, r in read.records])
    if not read.rows:
        raise ImportRefused(f"{grid.source}: the header is on row {colmap.header_row} but no "
                            f"rows below it hold any {kind}")
    changes = iter(store.plan_rows(reg, kind, rows))
    by_row = {number: row for (number, _), row in zip(read.records, rows, strict=True)}
    outcomes = []
    for number in read.rows:
        if number in read.problems:
            outcomes.append(RowOutcome(number, "", "refused", read.problems[number]))
            continue
        change = next(changes)
        outcomes.append(RowOutcome(number, by_row[number]["ref"], change.outcome, [],
                                   sorted(change.fields)))
    report = ImportReport(grid.source, kind, False, colmap.describe(), colmap.ignored, outcomes,
                          encoding=grid.encoding, columns=colmap.account())
    if report.refused or not write:
        return report
    store.save_rows(reg, kind, rows, operation=f"import {source.name}")
    if kind == "declarations":  # the items declared under are minuted, and numbered
        for year in {r.meeting.municipal_year for _, r in read.records}:
            meetings.renumber_minutes(reg, year, operation=f"import {source.name}")
    report.written = True
    return report


def _interest_rows(reg: Register, found: Sequence[Interest]) -> list[dict[str, Any]]:
    """Each interest as a row to write: a member's interest the register holds keeps its
    ref; a new one takes the next free ref."""
    held = {(member_key(i.member), _words(i.interest)): i for i in store.all_interests(reg)}
    fresh = iter(store.new_refs(reg, "interests"))
    out = []
    for interest in found:
        old = held.get((member_key(interest.member), _words(interest.interest)))
        if old is not None:
            interest.ref, interest.uuid, interest.member = old.ref, old.uuid, old.member
        else:
            interest.ref = next(fresh)
        out.append(store.interest_row(interest))
    return out


def _declaration_rows(reg: Register, found: Sequence[DeclarationRow]) -> list[dict[str, Any]]:
    held = {(r["meeting_uuid"], r["agenda_item_uuid"], member_key(r["member"]),
             _words(r["interest"])): r for r in store.declaration_rows(reg).values()}
    fresh = iter(store.new_refs(reg, "declarations"))
    out = []
    for row in found:
        d = row.declaration
        old = held.get((row.meeting.uuid, row.item.uuid, member_key(d.member),
                        _words(d.interest)))
        if old is not None:
            d.ref, d.uuid = old["ref"], old["uuid"]
        else:
            d.ref = next(fresh)
        out.append(store.declaration_row(d, row.meeting.uuid, row.item.uuid))
    return out


def _words(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def _meeting_and_agenda(reg: Register, text: str) -> tuple[Meeting, list[AgendaItem]]:
    meeting = meetings.find_meeting(reg, text)
    return meeting, meetings.agenda(reg, meeting)


# --- one at a time (the app) -------------------------------------------------------------------------


def record_declaration(reg: Register, meeting: Meeting, item_number: str, member: str,
                       interest: str, kind: str, action: str = "",
                       operation: str = "edit") -> Declaration:
    """Record one member's declaration against an item of the meeting, in one transaction."""
    check_action(kind, action)
    with reg.transaction():
        item = next((i for i in meetings.agenda(reg, meeting) if i.number == item_number), None)
        if item is None:
            raise RegisterError(f"{meeting.ref} has no item {item_number}")
        d = Declaration(next(iter(store.new_refs(reg, "declarations"))), meeting.ref,
                        item.number, " ".join(member.split()), interest, kind, action, item.title)
        store.save_rows(reg, "declarations", [store.declaration_row(d, meeting.uuid, item.uuid)],
                        operation)
        meetings.renumber_minutes(reg, meeting.municipal_year, operation)
        return d


def delete_declaration(reg: Register, ref: str) -> dict[str, Any]:
    """Remove a declaration (its row returned, for an undo); the minutes renumber."""
    with reg.transaction():
        row = store.delete_row(reg, "declarations", ref)
        year = next(reg.query("select municipal_year from meetings where uuid = ?",
                              [row["meeting_uuid"]]))["municipal_year"]
        meetings.renumber_minutes(reg, year)
        return row


def restore_declaration(reg: Register, row: dict[str, Any], operation: str = "undo") -> None:
    """Put back a declaration `delete_declaration` removed (its row as stored); the minutes
    renumber."""
    with reg.transaction():
        store.restore_row(reg, "declarations", row, operation)
        year = next(reg.query("select municipal_year from meetings where uuid = ?",
                              [row["meeting_uuid"]]))["municipal_year"]
        meetings.renumber_minutes(reg, year, operation)


def save_interest(reg: Register, interest: Interest, operation: str = "edit") -> Interest:
    """One entry in a member's register of interests (a new one takes the next free ref)."""
    try:
        interest.kind = parse_kind(interest.kind)
    except InterestError as exc:
        raise RegisterError(str(exc)) from None
    if not " ".join(interest.member.split()) or not interest.interest.strip():
        raise RegisterError("an interest needs the member and the interest")
    if interest.from_date and interest.to_date and interest.to_date < interest.from_date:
        raise RegisterError("an interest cannot end before it starts")
    store.save_interest(reg, interest, operation)
    return interest


def delete_interest(reg: Register, ref: str, operation: str = "delete") -> dict[str, Any]:
    """Remove an entry from a register of interests (its row returned, for an undo)."""
    return store.delete_row(reg, "interests", ref, operation)


def restore_interest(reg: Register, row: dict[str, Any], operation: str = "undo") -> None:
    store.restore_row(reg, "interests", row, operation)


def add_declarations_item(reg: Register, meeting: Meeting,
                          operation: str = "edit") -> tuple[AgendaItem, bool]:
    """Put "Declarations of Interest" on the meeting's agenda where councils put it (after the
    welcome and apologies, else first), numbering the items after it on by one where they are
    plain numbers. Returns the item and whether it was added (False: it was there)."""
    with reg.transaction():
        items = meetings.agenda(reg, meeting)
        present = declarations_item(items)
        if present is not None:
            return present, False
        place = declarations_place(items)
        before = items[place - 1].number if place else "0"
        number = str(int(before) + 1) if before.isdigit() else f"{before}a"
        numbers = [i.number for i in items]
        if before.isdigit():
            numbers = [str(int(n) + 1) if n.isdigit() and int(n) >= int(number) else n
                       for n in numbers]
        added = meetings.add_agenda_item(reg, meeting, AgendaItem(number, DECLARATIONS_TITLE),
                                         operation)
        order = [i.uuid for i in items]
        order.insert(place, added.uuid)
        numbers.insert(place, number)
        meetings.reorder_agenda(reg, meeting, order, numbers, operation)
        added.number = number
        return added, True


# --- reading ---------------------------------------------------------------------------------------


def interest_flags(reg: Register, meeting: Meeting) -> list[InterestFlag]:
    """The committee's members whose registered interests (held on the meeting's day) share
    words with one of its agenda items, for the committee officer to raise with them: a list
    the app shows beside the agenda and `pack` prints. Never a finding of an interest."""
    committee = meetings.get_committee(reg, meeting.committee)
    if committee is None or not committee.members:
        return []
    return match_interests([m.name for m in committee.members], store.all_interests(reg),
                           meetings.agenda(reg, meeting), meeting.date,
                           ignore=(committee.name, committee.organisation))


def pack_lines(register: str | Path, meeting_text: str) -> list[str]:
    """What `pack` adds to its output about interests: a note when the agenda lacks the
    Declarations of Interest item, then each member to ask about an item."""
    with Register.open(register, readonly=True) as reg:
        meeting = meetings.find_meeting(reg, meeting_text)
        lines = []
        if declarations_item(meetings.agenda(reg, meeting)) is None:
            lines.append(f"The agenda of {meeting.ref} has no \"{DECLARATIONS_TITLE}\" item; "
                         "add it (after apologies) so members can declare interests")
        flags = interest_flags(reg, meeting)
    if flags:
        lines.append(f"Members to ask about their registered interests before {meeting.ref} "
                     "(matched on words only; yours to judge):")
        lines += [f"  {f.line()}" for f in flags]
    return lines


def list_interests(reg: Register) -> list[dict[str, Any]]:
    """Every registered interest for `list REGISTER interests [--json]`: ISO dates beside the
    words a register prints, and whether it is held now (no end date)."""
    return [{"ref": i.ref, "member": i.member, "interest": i.interest, "kind": i.kind,
             "from": _day(i.from_date), "to": _day(i.to_date), "held": i.to_date is None,
             "uuid": i.uuid} for i in store.all_interests(reg)]


def list_declarations(reg: Register) -> list[dict[str, Any]]:
    """Every declaration at every meeting, with the sentence the minutes carry."""
    dates = {m.ref: m.date for m in meetings.all_meetings(reg)}
    return [{"ref": d.ref, "meeting": d.meeting_ref,
             "meeting_date": _day(dates.get(d.meeting_ref)), "item": d.item_number,
             "item_title": d.item_title, "member": d.member, "interest": d.interest,
             "kind": d.kind, "action": d.action or None, "minute": declaration_sentence(d),
             "uuid": d.uuid} for d in store.declarations(reg)]


def _day(day: Any) -> dict[str, str] | None:
    return {"text": long_date(day), "iso": day.isoformat()} if day else None


__all__ = ["KINDS", "add_declarations_item", "delete_declaration", "import_interests",
           "delete_interest", "interest_flags", "list_declarations", "list_interests",
           "pack_lines", "record_declaration", "restore_declaration", "restore_interest",
           "save_interest"]
