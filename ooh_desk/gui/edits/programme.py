"""The undoable edit to the programme's settings (name, organisation, sponsor), written through
services.registers; undo puts the settings back as they were.

`Edits.changed` is emitted as ("programme", "") after every write and undo."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtGui import QUndoCommand

from ...domain.records import Programme
from ...services import registers
from .stack import WRITE_ERRORS, Edits

KIND = "programme"


def save_programme(edits: Edits, *, name: str, organisation: str, sponsor: str) -> bool:
    """Write the settings now and put the change on the undo stack; False (and `failed`
    emitted) when the register refused it."""
    try:
        before = registers.save_programme_settings(edits.reg, name=name,
                                                   organisation=organisation, sponsor=sponsor)
    except WRITE_ERRORS as exc:
        edits.failed.emit(str(exc))
        return False
    edits.stack.push(ProgrammeEdit(edits, before, edits.reg.programme))
    edits.changed.emit(KIND, "")
    return True


class ProgrammeEdit(QUndoCommand):
    """A change to the programme's settings, written at once; undo puts them back."""

    def __init__(self, edits: Edits, before: Programme, after: Programme) -> None:
        super().__init__("Programme settings")
        self.edits = edits
        self.before = dataclasses.replace(before)
        self.after = dataclasses.replace(after)
        self._written = True  # written before it was pushed

    def redo(self) -> None:
        if self._written:
            self._written = False
            return
        self._write(self.after)

    def undo(self) -> None:
        self._write(self.before)

    def _write(self, programme: Any) -> None:
        try:
            registers.restore_programme(self.edits.reg, programme)
        except WRITE_ERRORS as exc:
            self.edits.failed.emit(str(exc))
        self.edits.changed.emit(KIND, "")
