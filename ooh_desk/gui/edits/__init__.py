"""Every undoable edit the app makes, in one place: the app's one undo stack (`Edits`) and the
QUndoCommands pushed on it, each writing to the register through a verb in services/ (never the
store's write functions) and undone by writing what was there before.

    stack     Edits, WRITE_ERRORS; saving and deleting one record (SaveRecord, DeleteRecord)
    meetings  agenda items, attendance, minutes and actions arising (push a MeetingEdit)
    events    engagement events (save_event)
    programme the programme's settings (save_programme)

Every edit but a plain record save or delete is a WrittenEdit, written by `push`.

Imports nothing from the views or dialogs."""

# Only the stack is loaded with the package: the app's first window needs it alone, and the
# meeting and event edits (with the meetings domain they bring) load with the views that
# make them, from .meetings and .events.
from .stack import WRITE_ERRORS, DeleteRecord, Edits, SaveRecord, WrittenEdit, push

__all__ = ["WRITE_ERRORS", "DeleteRecord", "Edits", "SaveRecord", "WrittenEdit", "push"]
