"""Saving, deleting and restoring one record or engagement event: the desktop app's edits (and
their undo), each one audited transaction. Imports no Qt."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..domain.records import EngagementEvent, Workstream
from ..errors import UserError
from ..store import Change, Register, Removed, programme
from ..store import records as store_records

# The record kinds kept in the register's main tables, in the order they are exported.
RECORD_KINDS = ("risks", "milestones", "feedback", "actions")


def ensure_named(reg: Register, kind: str, records: Sequence[Any]) -> None:
    """Workstreams and engagement events named in imported or edited rows become records
    too. Call inside the transaction that saves the rows."""
    known_workstreams = {w.name for w in programme.workstreams(reg)}
    known_events = {e.name for e in programme.events(reg)}
    for record in records:
        name = getattr(record, "workstream", "")
        if name and name not in known_workstreams:
            programme.save_workstream(reg, Workstream(name))
            known_workstreams.add(name)
        event = getattr(record, "event", "") if kind == "feedback" else ""
        if event and event not in known_events:
            programme.save_event(reg, EngagementEvent(name=event, route=record.route,
                                                      date=record.date))
            known_events.add(event)


def save_record(reg: Register, kind: str, record: Any, operation: str = "edit") -> list[Change]:
    """Write one edited or new record, audited, in one transaction. A new record without a
    ref is given the next free one inside that transaction (and `record.ref` is set), so two
    windows saving at once never take the same ref."""
    if kind == "papers":
        from .papers import save_paper_record  # not loaded before the first window is drawn

        return [save_paper_record(reg, record, operation=operation)]
    with reg.transaction():
        if not record.ref:
            record.ref = store_records.next_ref(reg, kind)
        if kind == "feedback":
            ensure_named(reg, kind, [record])
        return store_records.save_records(reg, kind, [record], operation=operation)


def delete_record(reg: Register, kind: str, ref: str, operation: str = "delete") -> Removed:
    """Delete one record (a risk with its mitigations and score history); returns what was
    removed, for `restore_record` to put back whole."""
    with reg.transaction():
        return store_records.delete_record(reg, kind, ref, operation=operation)


def restore_record(reg: Register, removed: Removed, operation: str = "undo") -> None:
    with reg.transaction():
        store_records.restore_record(reg, removed, operation=operation)


def save_event(reg: Register, event: EngagementEvent, name: str | None = None,
               operation: str = "edit") -> None:
    """Write a new engagement event (name None) or change the one called `name`; a rename
    carries its feedback with it. Audited, in one transaction."""
    with reg.transaction():
        if name is not None:
            programme.update_event(reg, name, event, operation=operation)
        elif event.name in {e.name for e in programme.events(reg)}:
            raise UserError(f"there is already an engagement event called {event.name!r}")
        else:
            programme.save_event(reg, event)


def delete_event(reg: Register, name: str, operation: str = "delete") -> None:
    with reg.transaction():
        programme.delete_event(reg, name, operation=operation)
