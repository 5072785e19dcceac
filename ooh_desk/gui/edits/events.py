"""Undoable edits to an engagement event: a new event or a change to one (a rename carries its
feedback), written through services.records; undo puts the event back as it was.

`Edits.changed` is emitted as ("events", "") after every write and undo."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtGui import QUndoCommand

from ...domain.records import EngagementEvent
from ...services import records
from .stack import WRITE_ERRORS, Edits

KIND = "events"


def save_event(edits: Edits, before: EngagementEvent | None, after: EngagementEvent,
               text: str) -> bool:
    """Write a new event (before None) or the change to `before` now, and put it on the undo
    stack; False (and `failed` emitted) when the register refused it."""
    try:
        records.save_event(edits.reg, after, before.name if before else None)
    except WRITE_ERRORS as exc:
        edits.failed.emit(str(exc))
        return False
    edits.stack.push(EventEdit(edits, before, after, text))
    edits.changed.emit(KIND, "")
    return True


class EventEdit(QUndoCommand):
    """A new event (before None) or a change to one, written at once; undo puts it back."""

    def __init__(self, edits: Edits, before: EngagementEvent | None, after: EngagementEvent,
                 text: str) -> None:
        super().__init__(text)
        self.edits = edits
        self.before = dataclasses.replace(before) if before else None
        self.after = dataclasses.replace(after)
        self._written = True  # written before it was pushed

    def redo(self) -> None:
        if self._written:
            self._written = False
            return
        self._write(lambda reg: records.save_event(
            reg, self.after, self.before.name if self.before else None, operation="redo"))

    def undo(self) -> None:
        if self.before is None:
            self._write(lambda reg: records.delete_event(reg, self.after.name, operation="undo"))
        else:
            self._write(lambda reg: records.save_event(reg, self.before, self.after.name,
                                                       operation="undo"))

    def _write(self, write: Any) -> None:
        try:
            write(self.edits.reg)
        except WRITE_ERRORS as exc:
            self.edits.failed.emit(str(exc))
        self.edits.changed.emit(KIND, "")
