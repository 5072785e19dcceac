"""The undoable edit to the programme's settings (name, organisation, sponsor), written through
services.registers; undo puts the settings back as they were.

`Edits.changed` is emitted as ("programme", "") after every write and undo."""

from __future__ import annotations

import dataclasses

from ...domain.records import Programme
from ...services import registers
from .stack import Edits, WrittenEdit, push

KIND = "programme"


def save_programme(edits: Edits, *, name: str, organisation: str, sponsor: str) -> bool:
    """Write the settings now and put the change on the undo stack; False (and `failed`
    emitted) when the register refused it."""
    return push(edits, ProgrammeEdit(edits, name=name, organisation=organisation,
                                     sponsor=sponsor))


class ProgrammeEdit(WrittenEdit):
    """A change to the programme's settings; undo puts them back."""

    kind = KIND

    def __init__(self, edits: Edits, *, name: str, organisation: str, sponsor: str) -> None:
        super().__init__(edits, "Programme settings")
        self.typed = {"name": name, "organisation": organisation, "sponsor": sponsor}
        self.before: Programme | None = None
        self.after: Programme | None = None

    def forward(self, first: bool = False) -> None:
        if first:  # checked and written as typed; what was there is kept for undo
            self.before = registers.save_programme_settings(self.reg, **self.typed)
            self.after = dataclasses.replace(self.reg.programme)
        else:
            registers.restore_programme(self.reg, self.after)

    def backward(self) -> None:
        registers.restore_programme(self.reg, self.before)
