"""Undoable edits to an engagement event: a new event or a change to one (a rename carries its
feedback), written through services.records; undo puts the event back as it was.

`Edits.changed` is emitted as ("events", "") after every write and undo."""

from __future__ import annotations

import dataclasses

from ...domain.records import EngagementEvent
from ...services import records
from .stack import Edits, WrittenEdit, push

KIND = "events"


def save_event(edits: Edits, before: EngagementEvent | None, after: EngagementEvent,
               text: str) -> bool:
    """Write a new event (before None) or the change to `before` now, and put it on the undo
    stack; False (and `failed` emitted) when the register refused it."""
    return push(edits, EventEdit(edits, before, after, text))


class EventEdit(WrittenEdit):
    """A new event (before None) or a change to one; undo puts it back."""

    kind = KIND

    def __init__(self, edits: Edits, before: EngagementEvent | None, after: EngagementEvent,
                 text: str) -> None:
        super().__init__(edits, text)
        self.before = dataclasses.replace(before) if before else None
        self.after = dataclasses.replace(after)

    def forward(self, first: bool = False) -> None:
        records.save_event(self.reg, self.after, self.before.name if self.before else None,
                           operation="edit" if first else "redo")

    def backward(self) -> None:
        if self.before is None:
            records.delete_event(self.reg, self.after.name, operation="undo")
        else:
            records.save_event(self.reg, self.before, self.after.name, operation="undo")
