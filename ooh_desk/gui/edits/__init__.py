"""Every undoable edit the app makes, in one place: the app's one undo stack (`Edits`) and the
QUndoCommands pushed on it, each writing to the register through a verb in services/ (never the
store's write functions) and undone by writing what was there before.

    stack     Edits, WRITE_ERRORS; saving and deleting one record (SaveRecord, DeleteRecord)
    meetings  agenda items, attendance, minutes and actions arising (push a MeetingEdit)
    events    engagement events (save_event)
    programme the programme's settings (save_programme)

Every edit but a plain record save or delete is a WrittenEdit, written by `push`.

Imports nothing from the views or dialogs."""

from .events import EventEdit, save_event
from .meetings import (
    AddActionArising,
    AddAgendaItem,
    MeetingEdit,
    RecordMinute,
    RemoveAgendaItem,
    ReorderAgenda,
    SaveAgendaItem,
    SaveAttendance,
)
from .stack import WRITE_ERRORS, DeleteRecord, Edits, SaveRecord, WrittenEdit, push

__all__ = ["WRITE_ERRORS", "AddActionArising", "AddAgendaItem", "DeleteRecord", "Edits",
           "EventEdit", "MeetingEdit", "RecordMinute", "RemoveAgendaItem", "ReorderAgenda",
           "SaveAgendaItem", "SaveAttendance", "SaveRecord", "WrittenEdit", "push", "save_event"]
