"""The app's one undo stack (`Edits`) and the commands that save or delete one record: every
edit is a small QUndoCommand, written to the register at once through services.records (one
audited transaction) and undone by writing the record as it was. Imports nothing from the
views."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ...errors import UserFacing
from ...services import records
from ...store import Register, Removed

# What a write can refuse with a message for the user (every user-facing error).
WRITE_ERRORS = (UserFacing,)


class Edits(QObject):
    """The app's one undo stack and the register it writes to. `changed(kind, ref)` tells the
    views to refresh; `failed(message)` reports a write the register refused."""

    changed = Signal(str, str)
    failed = Signal(str)

    def __init__(self, reg: Register, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.stack = QUndoStack(self)

    def save(self, kind: str, before: Any | None, after: Any, text: str) -> bool:
        """Write `after` now; push a command that can put `before` back (None: delete it).
        Returns False (and emits `failed`) when the register refused the write."""
        return self._save(kind, before, after, lambda: text)

    def create(self, kind: str, record: Any, text: str) -> bool:
        """Write a new record; undo deletes it, redo writes it again. A record without a ref
        is given the next free one as it is written (inside the write, so another window
        saving at the same moment cannot take it too); the command reads `text` and the
        ref: "New risk R-021"."""
        return self._save(kind, None, record, lambda: f"{text} {record.ref}")

    def _save(self, kind: str, before: Any | None, after: Any, text: Callable[[], str]) -> bool:
        try:
            records.save_record(self.reg, kind, after)
        except WRITE_ERRORS as exc:
            self.failed.emit(str(exc))
            return False
        self.stack.push(SaveRecord(self, kind, before, after, text()))
        self.changed.emit(kind, after.ref)
        return True

    def delete(self, kind: str, ref: str, text: str) -> bool:
        """Delete a record now; undo puts it back whole (a risk with its mitigations and
        score history, under the same uuid)."""
        try:
            removed = records.delete_record(self.reg, kind, ref)
        except WRITE_ERRORS as exc:
            self.failed.emit(str(exc))
            return False
        self.stack.push(DeleteRecord(self, removed, text))
        self.changed.emit(kind, ref)
        return True

    def write(self, kind: str, record: Any | None, ref: str) -> None:
        try:
            if record is None:
                records.delete_record(self.reg, kind, ref, operation="undo")
            else:
                records.save_record(self.reg, kind, copy.deepcopy(record), operation="undo")
        except WRITE_ERRORS as exc:
            self.failed.emit(str(exc))
        self.changed.emit(kind, ref)


class SaveRecord(QUndoCommand):
    def __init__(self, edits: Edits, kind: str, before: Any | None, after: Any, text: str) -> None:
        super().__init__(text)
        self.edits = edits
        self.kind = kind
        self.before = copy.deepcopy(before)
        self.after = copy.deepcopy(after)
        self._written = True  # Edits.save wrote it before pushing

    def redo(self) -> None:
        if self._written:
            self._written = False
            return
        self.edits.write(self.kind, self.after, self.after.ref)

    def undo(self) -> None:
        self.edits.write(self.kind, self.before, self.after.ref)


class DeleteRecord(QUndoCommand):
    def __init__(self, edits: Edits, removed: Removed, text: str) -> None:
        super().__init__(text)
        self.edits = edits
        self.removed = removed
        self._done = True  # Edits.delete deleted it before pushing

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        kind, ref = self.removed.kind, self.removed.ref
        try:
            self.removed = records.delete_record(self.edits.reg, kind, ref, operation="redo")
        except WRITE_ERRORS as exc:
            self.edits.failed.emit(str(exc))
        self.edits.changed.emit(kind, ref)

    def undo(self) -> None:
        try:
            records.restore_record(self.edits.reg, self.removed, operation="undo")
        except WRITE_ERRORS as exc:
            self.edits.failed.emit(str(exc))
        self.edits.changed.emit(self.removed.kind, self.removed.ref)


class WrittenEdit(QUndoCommand):
    """An edit written to the register before it goes on the stack (see `push`): the stack's
    first redo() is skipped, a later redo() calls forward() and undo() calls backward(). A
    step the register refuses is reported through `failed`; `changed(kind, ref)` follows
    every step, so the views show the register as it is."""

    kind = ""

    def __init__(self, edits: Edits, text: str) -> None:
        super().__init__(text)
        self.edits = edits
        self.reg = edits.reg
        self.written = False  # push() wrote it before the stack calls redo()

    @property
    def ref(self) -> str:
        return ""

    def forward(self, first: bool = False) -> None:
        raise NotImplementedError

    def backward(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self.written:
            self.written = False
            return
        self._apply(self.forward)

    def undo(self) -> None:
        self._apply(self.backward)

    def _apply(self, step: Callable[[], None]) -> None:
        try:
            step()
        except WRITE_ERRORS as exc:
            self.edits.failed.emit(str(exc))
        self.edits.changed.emit(self.kind, self.ref)


def push(edits: Edits, command: WrittenEdit) -> bool:
    """Write the edit now and put it on the undo stack; False (and `failed` emitted) when the
    register refused it, and nothing is on the stack."""
    try:
        command.forward(first=True)
    except WRITE_ERRORS as exc:
        edits.failed.emit(str(exc))
        edits.changed.emit(command.kind, command.ref)  # show the register as it still is
        return False
    command.written = True
    edits.stack.push(command)
    edits.changed.emit(command.kind, command.ref)
    return True
