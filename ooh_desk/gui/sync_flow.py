"""One team sync in the app, from pressing Sync to saying what happened (gui/sync.py holds
the action and the status line, loaded with the window; this half loads on the first sync)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMainWindow, QMessageBox

from ..store import Register
from .flow import Flow, Refused

TITLE = "Sync with the team register"
UNDO_TOLD = "notices/sync_undo_told"  # the "cannot be undone" note, shown once


def sync_work(register: Path, password: str | None) -> Any:
    """One sync for a worker thread: Cancel is honoured between its steps until the server
    commits. A login the server refuses comes back as a value (`Refused`), so the window can
    ask for the password; every other problem is the one line the worker reports."""
    from ..services.team import sync
    from ..store.team import LoginRefused

    def work(progress: Any) -> Any:
        progress.check()
        try:
            return sync(register, password, check=progress.check, progress=progress.say)
        except LoginRefused as exc:
            return Refused(str(exc))

    return work


def summary_lines(summary: Any) -> list[str]:
    """What a sync did, in words for the dialog: pulled and pushed, per kind of record, the
    conflicts to settle, and what a read-only role kept here."""
    from ..domain.prose import counted
    from .flow import conflicts_line, kind_lines

    out = [summary.lines()[0]]
    kinds, conflicts = kind_lines(summary)
    out += kinds
    if conflicts:
        out.append(conflicts_line(conflicts))
    if summary.read_only and summary.kept:
        out.append(f"{counted(summary.kept, 'local change')} "
                   f"{'was' if summary.kept == 1 else 'were'} kept here: your role on the team "
                   "register can only read, so they were not sent.")
    return out


class SyncFlow(Flow):
    """One sync, from pressing Sync to saying what happened. `changed()` once the register
    has changed; `conflicts_requested()` when the user asks to see the conflicts;
    `ended()` whatever the outcome, once the last message is up."""

    TITLE = TITLE
    changed = Signal()
    conflicts_requested = Signal()
    ended = Signal()

    def __init__(self, reg: Register, parent: QMainWindow, undo_steps: int = 0,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.register = reg.path
        self.undo_steps = undo_steps
        self.settings = settings
        self.password: str | None = None
        self.asked = False
        self.task: Any = None
        self.summary: Any = None
        self.prompt: QInputDialog | None = None
        self.show_button: Any = None

    def start(self) -> None:
        from .worker import Task

        self.top = self._top()
        self.task = Task("Connecting to the team register…",
                         sync_work(self.register, self.password), self.window)
        self.task.finished.connect(self._synced)
        self.task.start()

    def _top(self) -> int:
        return self.reg.conn.execute("select coalesce(max(id), 0) from audit").fetchone()[0]

    def _pending(self) -> str:
        from ..domain.prose import counted
        from ..services.team import status

        found = status(self.reg)
        n = found.local_changes if found is not None else 0
        if not n:
            return "Everything else works as usual."
        return (f"{counted(n, 'local change', start=True)} "
                f"{'is' if n == 1 else 'are'} kept in this register and will be sent next "
                "time; everything else works as usual.")

    def _synced(self, outcome: str, value: Any) -> None:
        from ..errors import plain_message

        if outcome == "done" and isinstance(value, Refused):
            self._refused(value.message)
            return
        if outcome == "failed":
            self._tell(QMessageBox.Icon.Warning, plain_message(f"{value}"), self._pending())
            self.ended.emit()
            return
        if outcome != "done":
            self._tell(QMessageBox.Icon.Information, "Cancelled; nothing was synced.",
                       self._pending())
            self.ended.emit()
            return
        self.summary = value
        changed = self._top() != self.top  # the sync brought changes in, or renumbered ours
        if changed:
            self.changed.emit()
        self._said(value, changed)
        self.ended.emit()

    def _refused(self, message: str) -> None:
        """The server refused the login: ask for the password once, then try again."""
        from ..errors import plain_message

        if self.asked:
            self._tell(QMessageBox.Icon.Warning, plain_message(message), self._pending())
            self.ended.emit()
            return
        self.asked = True
        prompt = QInputDialog(self.window)
        prompt.setWindowTitle(TITLE)
        prompt.setLabelText(f"{plain_message(message)}.\n\nThe password (OOH Desk does not "
                            "keep it):")
        prompt.setTextEchoMode(QLineEdit.EchoMode.Password)
        prompt.setOkButtonText("S&ync")
        prompt.setAccessibleName("Team server password")
        prompt.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        prompt.setWindowModality(Qt.WindowModality.WindowModal)
        for edit in prompt.findChildren(QLineEdit):
            edit.setAccessibleName("Password")
        prompt.textValueSelected.connect(self._retry)
        prompt.rejected.connect(self._not_retried)
        prompt.destroyed.connect(lambda *_: setattr(self, "prompt", None))
        self.prompt = prompt
        prompt.open()

    def _retry(self, password: str) -> None:
        self.password = password or None
        self.start()

    def _not_retried(self) -> None:
        self._tell(QMessageBox.Icon.Information, "Not synced; no password was given.",
                   self._pending())
        self.ended.emit()

    def _undo_note(self) -> bool:
        """Whether to say the undo history was cleared: when it held something, and the
        first time ever."""
        if self.undo_steps:
            return True
        if self.settings is None or self.settings.value(UNDO_TOLD, False, type=bool):
            return False
        self.settings.setValue(UNDO_TOLD, True)
        return True

    def _said(self, summary: Any, changed: bool) -> None:
        from .flow import summary_html

        box = QMessageBox(QMessageBox.Icon.Information, TITLE,
                          summary_html(summary_lines(summary)),
                          QMessageBox.StandardButton.Close, self.window)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setAccessibleName("What the sync did")
        if changed and self._undo_note():
            box.setInformativeText("A sync changes the register from outside, so it cannot be "
                                   "undone with Edit > Undo; the undo history so far has been "
                                   "cleared. The team register keeps every change.")
        if summary.conflicts:
            # Made by the box, so the box owns it (a button made here would die with `show`).
            self.show_button = box.addButton("Show the &conflicts",
                                             QMessageBox.ButtonRole.AcceptRole)
            self.show_button.setAccessibleName("Show the conflicts")
            box.setDefaultButton(self.show_button)
            self.show_button.clicked.connect(self.conflicts_requested.emit)
        self.window_status(summary.lines()[0])
        self._show(box)
