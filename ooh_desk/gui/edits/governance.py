"""Undoable edits to the governance registers (issue 17): strategic objectives and a principal
risk's sources of assurance (services.assurance), key decisions (services.key_decisions),
registered interests and declarations at a meeting (services.interests) and a paper's options
appraisal (services.options). Each is a small QUndoCommand written at once through a service
verb and undone by writing what was there before.

`Edits.changed` is emitted after every write and undo as (KIND, ref): "objectives" and
"assurances" (the risk's ref), "key_decisions", "interests", "declarations" (the meeting's
ref) and "options" (the paper's ref)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from ...domain.assurance import Assurance, Objective
from ...domain.interests import Interest
from ...domain.key_decisions import KeyDecision
from ...domain.meetings import Meeting
from ...domain.options import Option, Score
from ...services import assurance, interests, key_decisions, options
from ...store import Removed
from .stack import Edits, WrittenEdit, push

OBJECTIVES, ASSURANCES, KEY_DECISIONS = "objectives", "assurances", "key_decisions"
INTERESTS, DECLARATIONS, OPTIONS = "interests", "declarations", "options"


class SaveObjective(WrittenEdit):
    """A new objective (before None) or a change to one; undo deletes it or puts it back."""

    kind = OBJECTIVES

    def __init__(self, edits: Edits, before: Objective | None, after: Objective,
                 text: str) -> None:
        super().__init__(edits, text)
        self.before = copy.deepcopy(before)
        self.after = copy.deepcopy(after)

    @property
    def ref(self) -> str:
        return self.after.ref

    def forward(self, first: bool = False) -> None:
        assurance.save_objective(self.reg, copy.deepcopy(self.after),
                                 operation="edit" if first else "redo")

    def backward(self) -> None:
        if self.before is None:
            assurance.remove_objective(self.reg, self.after.ref, operation="undo")
        else:
            assurance.save_objective(self.reg, copy.deepcopy(self.before), operation="undo")


class _DeleteByRef(WrittenEdit):
    """Delete one record named by its ref through a service verb; undo puts back what the
    verb removed. Subclasses name the kind and the two verbs."""

    def __init__(self, edits: Edits, ref: str, text: str) -> None:
        super().__init__(edits, text)
        self._ref = ref
        self.removed: Any = None

    @property
    def ref(self) -> str:
        return self._ref

    def remove(self, operation: str) -> Any:
        raise NotImplementedError

    def restore(self, removed: Any) -> None:
        raise NotImplementedError

    def forward(self, first: bool = False) -> None:
        self.removed = self.remove("delete" if first else "redo")

    def backward(self) -> None:
        if self.removed is not None:
            self.restore(self.removed)


class DeleteObjective(_DeleteByRef):
    kind = OBJECTIVES

    def __init__(self, edits: Edits, ref: str) -> None:
        super().__init__(edits, ref, f"Delete objective {ref}")

    def remove(self, operation: str) -> Any:
        return assurance.remove_objective(self.reg, self._ref, operation=operation)

    def restore(self, removed: Any) -> None:
        assurance.restore_objective(self.reg, removed)


class SaveAssurances(WrittenEdit):
    """A principal risk's sources of assurance made these (a row added, changed or taken
    away); undo writes the list as it was."""

    kind = ASSURANCES

    def __init__(self, edits: Edits, risk_ref: str, before: Sequence[Assurance],
                 after: Sequence[Assurance], text: str) -> None:
        super().__init__(edits, text)
        self.risk_ref = risk_ref
        self.before = copy.deepcopy(list(before))
        self.after = copy.deepcopy(list(after))

    @property
    def ref(self) -> str:
        return self.risk_ref

    def forward(self, first: bool = False) -> None:
        assurance.save_assurances(self.reg, self.risk_ref, copy.deepcopy(self.after),
                                  operation="edit" if first else "redo")

    def backward(self) -> None:
        assurance.save_assurances(self.reg, self.risk_ref, copy.deepcopy(self.before),
                                  operation="undo")


class SaveKeyDecision(WrittenEdit):
    """A new key decision (before None; it takes the next KD-nnn as it is written) or a change
    to one; undo deletes it or puts it back."""

    kind = KEY_DECISIONS

    def __init__(self, edits: Edits, before: KeyDecision | None, after: KeyDecision,
                 text: str) -> None:
        super().__init__(edits, text)
        self.before = copy.deepcopy(before)
        self.after = copy.deepcopy(after)
        self.removed: Removed | None = None

    @property
    def ref(self) -> str:
        return self.after.ref

    def forward(self, first: bool = False) -> None:
        if self.removed is not None:  # a redo of a new one: the same record, same uuid
            key_decisions.restore_key_decision(self.reg, self.removed, operation="redo")
            self.removed = None
            return
        saved = key_decisions.save_key_decision(self.reg, copy.deepcopy(self.after),
                                                operation="edit" if first else "redo")
        self.after.ref, self.after.uuid = saved.ref, saved.uuid
        if first and self.before is None:
            self.setText(f"{self.text()} {saved.ref}")

    def backward(self) -> None:
        if self.before is None:
            self.removed = key_decisions.remove_key_decision(self.reg, self.after.ref,
                                                             operation="undo")
        else:
            key_decisions.save_key_decision(self.reg, copy.deepcopy(self.before),
                                            operation="undo")


class DeleteKeyDecision(_DeleteByRef):
    kind = KEY_DECISIONS

    def __init__(self, edits: Edits, ref: str) -> None:
        super().__init__(edits, ref, f"Delete key decision {ref}")

    def remove(self, operation: str) -> Any:
        return key_decisions.remove_key_decision(self.reg, self._ref, operation=operation)

    def restore(self, removed: Any) -> None:
        key_decisions.restore_key_decision(self.reg, removed)


class SaveInterest(WrittenEdit):
    """A new entry in a member's register of interests, or a change to one."""

    kind = INTERESTS

    def __init__(self, edits: Edits, before: Interest | None, after: Interest,
                 text: str) -> None:
        super().__init__(edits, text)
        self.before = copy.deepcopy(before)
        self.after = copy.deepcopy(after)
        self.removed: dict[str, Any] | None = None

    @property
    def ref(self) -> str:
        return self.after.ref

    def forward(self, first: bool = False) -> None:
        if self.removed is not None:
            interests.restore_interest(self.reg, self.removed, operation="redo")
            self.removed = None
            return
        saved = interests.save_interest(self.reg, copy.deepcopy(self.after),
                                        operation="edit" if first else "redo")
        self.after.ref, self.after.kind = saved.ref, saved.kind

    def backward(self) -> None:
        if self.before is None:
            self.removed = interests.delete_interest(self.reg, self.after.ref, operation="undo")
        else:
            interests.save_interest(self.reg, copy.deepcopy(self.before), operation="undo")


class DeleteInterest(_DeleteByRef):
    kind = INTERESTS

    def remove(self, operation: str) -> Any:
        return interests.delete_interest(self.reg, self._ref, operation=operation)

    def restore(self, removed: Any) -> None:
        interests.restore_interest(self.reg, removed)


class RecordDeclaration(WrittenEdit):
    """A member's declaration against an item of the meeting; undo removes it, redo puts the
    same declaration back."""

    kind = DECLARATIONS

    def __init__(self, edits: Edits, meeting: Meeting, item_number: str, member: str,
                 interest: str, kind: str, action: str) -> None:
        super().__init__(edits, f"{member} declares an interest in item {item_number}")
        self.meeting = meeting
        self.fields = (item_number, member, interest, kind, action)
        self.declaration_ref = ""
        self.removed: dict[str, Any] | None = None

    @property
    def ref(self) -> str:
        return self.meeting.ref

    def forward(self, first: bool = False) -> None:
        if self.removed is not None:
            interests.restore_declaration(self.reg, self.removed, operation="redo")
            self.removed = None
            return
        self.declaration_ref = interests.record_declaration(self.reg, self.meeting,
                                                            *self.fields).ref

    def backward(self) -> None:
        self.removed = interests.delete_declaration(self.reg, self.declaration_ref)


class DeleteDeclaration(WrittenEdit):
    kind = DECLARATIONS

    def __init__(self, edits: Edits, meeting: Meeting, ref: str, text: str) -> None:
        super().__init__(edits, text)
        self.meeting = meeting
        self.declaration_ref = ref
        self.removed: dict[str, Any] | None = None

    @property
    def ref(self) -> str:
        return self.meeting.ref

    def forward(self, first: bool = False) -> None:
        self.removed = interests.delete_declaration(self.reg, self.declaration_ref)

    def backward(self) -> None:
        if self.removed is not None:
            interests.restore_declaration(self.reg, self.removed)


class SaveAppraisal(WrittenEdit):
    """A paper's options and scores made these, checked whole (weights total 100, every
    option scored once per criterion); undo writes the appraisal as it was."""

    kind = OPTIONS

    def __init__(self, edits: Edits, paper_ref: str,
                 before: tuple[Sequence[Option], Sequence[Score]],
                 after: tuple[Sequence[Option], Sequence[Score]], text: str) -> None:
        super().__init__(edits, text)
        self.paper_ref = paper_ref
        self.before = copy.deepcopy((list(before[0]), list(before[1])))
        self.after = copy.deepcopy((list(after[0]), list(after[1])))

    @property
    def ref(self) -> str:
        return self.paper_ref

    def forward(self, first: bool = False) -> None:
        options.save_paper_appraisal(self.reg, self.paper_ref, *copy.deepcopy(self.after),
                                     operation="edit" if first else "redo")

    def backward(self) -> None:
        options.save_paper_appraisal(self.reg, self.paper_ref, *copy.deepcopy(self.before),
                                     operation="undo")


__all__ = ["ASSURANCES", "DECLARATIONS", "INTERESTS", "KEY_DECISIONS", "OBJECTIVES", "OPTIONS",
           "DeleteDeclaration", "DeleteInterest", "DeleteKeyDecision", "DeleteObjective",
           "RecordDeclaration", "SaveAppraisal", "SaveAssurances", "SaveInterest",
           "SaveKeyDecision", "SaveObjective", "push"]
