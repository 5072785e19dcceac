"""Undoable edits to a meeting: reorder, add or remove agenda items, change an item (title,
part, exemption, document), attendance, an item's minute and decisions, actions arising. Each
is a small QUndoCommand on the app's one stack (`Edits`) that calls a verb in services.meetings
(or services.records for the action an edit adds); undo writes the state as it was, so Ctrl+Z
reverts it in the register. Never calls the store's write functions itself.

`Edits.changed` is emitted as ("meetings", meeting ref) after every write and undo."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from pathlib import Path

from ...domain.meetings import AgendaItem, Attendee, Meeting
from ...services import meetings as services
from ...services import records
from ...store import Removed
from .stack import Edits, WrittenEdit, push

KIND = "meetings"


class MeetingEdit(WrittenEdit):
    kind = KIND

    def __init__(self, edits: Edits, meeting: Meeting, text: str) -> None:
        super().__init__(edits, text)
        self.meeting = meeting

    @property
    def ref(self) -> str:
        return self.meeting.ref


class ReorderAgenda(MeetingEdit):
    """The items in a new order, renumbered 1, 2, 3 ...; undo puts back order and numbers."""

    def __init__(self, edits: Edits, meeting: Meeting, before: Sequence[AgendaItem],
                 order: Sequence[str], text: str) -> None:
        super().__init__(edits, meeting, text)
        self.before_order = [i.uuid for i in before]
        self.before_numbers = [i.number for i in before]
        self.order = list(order)

    def forward(self, first: bool = False) -> None:
        services.reorder_agenda(self.reg, self.meeting, self.order)

    def backward(self) -> None:
        services.reorder_agenda(self.reg, self.meeting, self.before_order, self.before_numbers,
                                operation="undo")


class SaveAgendaItem(MeetingEdit):
    """One item as edited. With `document_path`, the file is first stored in the register, in
    the same transaction as the item that carries it."""

    def __init__(self, edits: Edits, meeting: Meeting, before: AgendaItem, after: AgendaItem,
                 text: str, document_path: Path | None = None) -> None:
        super().__init__(edits, meeting, text)
        self.before = copy.deepcopy(before)
        self.after = copy.deepcopy(after)
        self.document_path = document_path

    def forward(self, first: bool = False) -> None:
        self.after = services.save_agenda_item(self.reg, self.meeting, copy.deepcopy(self.after),
                                               self.document_path)
        self.document_path = None  # stored now, in the item; a redo reuses it

    def backward(self) -> None:
        services.save_agenda_item(self.reg, self.meeting, copy.deepcopy(self.before),
                                  operation="undo")


class AddAgendaItem(MeetingEdit):
    def __init__(self, edits: Edits, meeting: Meeting, item: AgendaItem, text: str) -> None:
        super().__init__(edits, meeting, text)
        self.item = copy.deepcopy(item)

    def forward(self, first: bool = False) -> None:
        services.add_agenda_item(self.reg, self.meeting, copy.deepcopy(self.item))

    def backward(self) -> None:
        services.remove_agenda_item(self.reg, self.meeting, self.item.uuid, operation="undo")


class RemoveAgendaItem(MeetingEdit):
    """Take an item off; undo puts it back (same uuid) where it was, with the old numbers."""

    def __init__(self, edits: Edits, meeting: Meeting, before: Sequence[AgendaItem],
                 item: AgendaItem, text: str) -> None:
        super().__init__(edits, meeting, text)
        self.item = copy.deepcopy(item)
        self.before_order = [i.uuid for i in before]
        self.before_numbers = [i.number for i in before]

    def forward(self, first: bool = False) -> None:
        services.remove_agenda_item(self.reg, self.meeting, self.item.uuid)

    def backward(self) -> None:
        services.restore_agenda_item(self.reg, self.meeting, copy.deepcopy(self.item),
                                     self.before_order, self.before_numbers, operation="undo")


class SaveAttendance(MeetingEdit):
    def __init__(self, edits: Edits, meeting: Meeting, before: Sequence[Attendee],
                 after: Sequence[Attendee], text: str) -> None:
        super().__init__(edits, meeting, text)
        self.before = copy.deepcopy(list(before))
        self.after = copy.deepcopy(list(after))

    def forward(self, first: bool = False) -> None:
        services.save_attendance(self.reg, self.meeting, self.after)

    def backward(self) -> None:
        services.save_attendance(self.reg, self.meeting, self.before, operation="undo")


class RecordMinute(MeetingEdit):
    """What the minutes say under an item and what it RESOLVED (lettered in order)."""

    def __init__(self, edits: Edits, meeting: Meeting, item: AgendaItem,
                 before: tuple[str, Sequence[str]], after: tuple[str, Sequence[str]],
                 text: str) -> None:
        super().__init__(edits, meeting, text)
        self.item = copy.deepcopy(item)
        self.before = (before[0], list(before[1]))
        self.after = (after[0], list(after[1]))

    def forward(self, first: bool = False) -> None:
        services.record_minute(self.reg, self.meeting, self.item, *self.after)

    def backward(self) -> None:
        services.record_minute(self.reg, self.meeting, self.item, *self.before,
                               operation="undo")


class AddActionArising(MeetingEdit):
    """A new action in the register, linked to the item's minute; undo deletes it, redo puts
    the same action back."""

    def __init__(self, edits: Edits, meeting: Meeting, item: AgendaItem, description: str,
                 owner: str, due: str) -> None:
        super().__init__(edits, meeting, f"Action arising from {meeting.ref} item {item.number}")
        self.item = item
        self.fields = (description, owner, due)
        self.action_ref = ""
        self.removed: Removed | None = None

    def forward(self, first: bool = False) -> None:
        if self.removed is None:
            self.action_ref = services.add_action_arising(self.reg, self.meeting, self.item,
                                                   *self.fields).ref
        else:
            records.restore_record(self.reg, self.removed, operation="redo")
            self.removed = None
        self.edits.changed.emit("actions", self.action_ref)

    def backward(self) -> None:
        self.removed = records.delete_record(self.reg, "actions", self.action_ref, operation="undo")
        self.edits.changed.emit("actions", self.action_ref)


__all__ = ["KIND", "AddActionArising", "AddAgendaItem", "MeetingEdit", "RecordMinute",
           "RemoveAgendaItem", "ReorderAgenda", "SaveAgendaItem", "SaveAttendance", "push"]
