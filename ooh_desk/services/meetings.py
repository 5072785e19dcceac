"""The committee officer's verbs: record what happened at a meeting (attendance, minutes,
RESOLVED decisions, actions arising) and arrange its agenda (add, change, reorder and remove
items, attach reports). Both front ends write meetings through here, each verb one audited
transaction. Imports no Qt."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..domain.board_dates import BoardDateError, parse_board_date
from ..domain.meetings import AgendaItem, Attendee, Decision, Meeting, StoredDocument
from ..domain.records import Action, Problem, normal_ref
from ..errors import UserError
from ..store import Register, records
from ..store import meetings as store

# --- recording a meeting from a sheet -----------------------------------------------------------


def record_minutes(reg: Register, meeting_ref_or_date: str, source: Path,
                   sheet: str | None = None) -> dict[str, int]:
    """Attendance, minutes, RESOLVED decisions and actions arising from a minutes sheet
    (see imports.agenda.read_minutes_sheet for its columns). All or nothing."""
    # The readers load here, not with the module: the app's undo stack imports this at start.
    from ..imports.agenda import read_minutes_sheet
    from ..imports.errors import ImportRefused
    from ..imports.mapping import find_header
    from ..imports.sources import read_grid

    if not source.exists():
        raise UserError(f"there is no file at {source}")
    store.find_meeting(reg, meeting_ref_or_date)  # a wrong meeting is said before the sheet
    grid = read_grid(source, sheet=sheet, kind="minutes")
    sheet_ = read_minutes_sheet(grid, find_header(grid, "minutes"))
    # What the writes depend on (the agenda, the actions already recorded, the next free
    # action ref) is read under the write lock, so a second writer cannot change it between.
    with reg.transaction():
        meeting = store.find_meeting(reg, meeting_ref_or_date)
        items = {i.number: i for i in store.agenda(reg, meeting)}
        actions = _actions_arising(reg, meeting, items, sheet_, grid.source)
        if sheet_.problems:
            raise ImportRefused(f"nothing was recorded: {sheet_.problems[0]}")
        if sheet_.attendance:
            store.save_attendance(reg, meeting, sheet_.attendance,
                                  operation=f"minutes {source.name}")
        for number in dict.fromkeys([*sheet_.minutes, *sheet_.resolved]):
            item = items[number]
            store.record_minute(reg, meeting, item, sheet_.minutes.get(number, item.minute),
                                sheet_.resolved.get(number, []),
                                operation=f"minutes {source.name}")
        known = {(a.description, a.source): a.ref for a in records.all_records(reg, "actions")}
        fresh = records.new_refs(reg, "actions")
        for item_no, action in actions:
            if not action.ref:  # a new action arising; recording twice does not duplicate it
                action.ref = known.get((action.description, action.source)) or next(fresh)
                records.save_records(reg, "actions", [action], operation=f"minutes {source.name}")
            store.link_action(reg, action.ref, items[item_no])
        if sheet_.closed_at:
            store.set_closed_at(reg, meeting, sheet_.closed_at)
    return {"attendance": len(sheet_.attendance), "minutes": len(sheet_.minutes),
            "decisions": sum(len(v) for v in sheet_.resolved.values()),
            "actions": len(actions)}


def _actions_arising(reg: Register, meeting: Meeting, items: dict[str, AgendaItem], sheet_: Any,
                     source: str) -> list[tuple[str, Action]]:
    """The sheet's action rows, each an action already in the register (its ref typed, in
    any case) or a new one; a problem (an item the meeting lacks, a due date not understood)
    is added to the sheet's."""
    for number in [*sheet_.minutes, *sheet_.resolved, *(a[0] for a in sheet_.actions)]:
        if number not in items:
            sheet_.problems.append(Problem(source, "item_no",
                                           f"{meeting.ref} has no agenda item {number}"))
    actions: list[tuple[str, Action]] = []
    for item_no, text, owner, due, row in sheet_.actions:
        existing = records.get_record(reg, "actions", text) if normal_ref(text) else None
        if existing is not None:
            actions.append((item_no, existing))
            continue
        try:
            due_date = parse_board_date(due) if due else None
        except BoardDateError as exc:
            sheet_.problems.append(Problem(f"{source} row {row}", "due", str(exc)))
            continue
        actions.append((item_no, Action(ref="", description=text, owner=owner, due=due_date,
                                        source=f"{meeting.ref} minute {item_no}")))
    return actions


# --- arranging and recording in the app --------------------------------------------------------


def store_document(reg: Register, path: Path) -> StoredDocument:
    """Keep a report's file (a Word document or PDF) in the register, for an agenda item."""
    from ..imports.agenda import DOCUMENT_SUFFIXES, MAX_DOCUMENT_BYTES

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
        action = Action(ref=records.next_ref(reg, "actions"), description=description,
                        owner=owner.strip(), due=due_date,
                        source=f"{meeting.ref} minute {item.number}")
        records.save_records(reg, "actions", [action], operation="edit")
        store.link_action(reg, action.ref, item)
    return action


# --- arranging the agenda -----------------------------------------------------------------------


def save_agenda_item(reg: Register, meeting: Meeting, item: AgendaItem,
                     document_path: Path | None = None, operation: str = "edit") -> AgendaItem:
    """One item as edited. With `document_path`, the file is stored in the register in the
    same transaction as the item that now carries it (and replaces a linked paper)."""
    with reg.transaction():
        if document_path is not None:
            item.document = store_document(reg, document_path)
            item.paper_ref = item.minutes_of = ""
        store.update_agenda_item(reg, meeting, item, operation=operation)
    return item


def add_agenda_item(reg: Register, meeting: Meeting, item: AgendaItem,
                    operation: str = "edit") -> AgendaItem:
    return store.add_agenda_item(reg, meeting, item, operation=operation)


def remove_agenda_item(reg: Register, meeting: Meeting, uuid: str,
                       operation: str = "edit") -> None:
    """Take an item off, unless minutes, decisions or actions are recorded against it."""
    store.remove_agenda_item(reg, meeting, uuid, operation=operation)


def reorder_agenda(reg: Register, meeting: Meeting, order: Sequence[str],
                   numbers: Sequence[str] | None = None, operation: str = "edit") -> None:
    """The items in the order of the uuids given, renumbered 1, 2, 3 … (or with `numbers`,
    to put back an earlier numbering)."""
    store.reorder_agenda(reg, meeting, order, numbers, operation=operation)


def restore_agenda_item(reg: Register, meeting: Meeting, item: AgendaItem,
                        order: Sequence[str], numbers: Sequence[str],
                        operation: str = "undo") -> None:
    """Put a removed item back (same uuid) where it was, with the numbers as they were."""
    with reg.transaction():
        store.add_agenda_item(reg, meeting, item, operation=operation)
        store.reorder_agenda(reg, meeting, order, numbers, operation=operation)


def save_attendance(reg: Register, meeting: Meeting, attendees: Sequence[Attendee],
                    operation: str = "edit") -> None:
    store.save_attendance(reg, meeting, attendees, operation=operation)


def record_minute(reg: Register, meeting: Meeting, item: AgendaItem, minute: str,
                  resolved: Sequence[str], operation: str = "edit") -> list[Decision]:
    """What the minutes say under an item and what it RESOLVED (lettered in order)."""
    return store.record_minute(reg, meeting, item, minute, resolved, operation=operation)


def release_items(reg: Register, meeting_ref_or_date: str, numbers: Sequence[str],
                  released: bool = True) -> list[AgendaItem]:
    """Release private items' minutes, decisions and actions for publication (or withhold
    them again), all in one audited transaction; their papers stay exempt."""
    operation = "minutes --release" if released else "minutes --withhold"
    with reg.transaction():
        meeting = store.find_meeting(reg, meeting_ref_or_date)
        return [store.release_item(reg, meeting, number.strip(), released, operation)
                for number in numbers]
