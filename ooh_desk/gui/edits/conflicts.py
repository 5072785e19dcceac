"""The undoable settling of a conflict a merge left: keep ours or take theirs, written through
services.merge; undo puts the record (or the programme's settings) back as it was and opens the
conflict again.

`Edits.changed` is emitted after every write and undo with the kind and ref of the record the
conflict is about ("risks", "R-003"; "programme" for the settings; agenda items and committees
as "meetings"), so the view showing that record reads it again; the Conflicts view and the
dashboard read the conflicts again on any change."""

from __future__ import annotations

from ...services import merge
from .stack import Edits, WrittenEdit, push

TAKE_WORDS = {"ours": "keep ours", "theirs": "take theirs"}
# The kind a view listens for, by the table a conflict's record lives in.
VIEW_KINDS = {"agenda_items": "meetings", "committees": "meetings", "workstreams": "programme"}


def settle_conflict(edits: Edits, ref: str, take: str) -> bool:
    """Settle conflict `ref` now, taking "ours" or "theirs", and put it on the undo stack;
    False (and `failed` emitted) when the register refused it."""
    return push(edits, SettleConflict(edits, ref, take))


class SettleConflict(WrittenEdit):
    """One conflict settled; undo opens it again with the record as it was."""

    def __init__(self, edits: Edits, ref: str, take: str) -> None:
        super().__init__(edits, f"Settle {ref}: {TAKE_WORDS.get(take, take)}")
        self.conflict = ref
        self.take = take
        self.settled: merge.Settled | None = None

    @property  # type: ignore[override]
    def kind(self) -> str:
        held = self.settled.held if self.settled else {}
        found = held.get("kind", "conflicts")
        return VIEW_KINDS.get(found, found)

    @property
    def ref(self) -> str:
        return self.settled.held.get("record_ref", "") if self.settled else ""

    def forward(self, first: bool = False) -> None:
        self.settled = merge.settle_conflict(self.reg, self.conflict, self.take)

    def backward(self) -> None:
        if self.settled is not None:
            merge.unsettle_conflict(self.reg, self.settled)
