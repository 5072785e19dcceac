"""File > Join a team register…: the team server's URL (libpq form), which register on it
(its schema; empty when the server holds only one), where to save the local working copy,
and a password if libpq's usual places (PGPASSWORD, the password file, a service file) do not
give one. services.team.join makes the copy off the GUI thread, with a progress dialog whose
Cancel leaves no file behind; then the window opens it. The password is used for this one
connection and kept nowhere; a login the server refuses says so here and asks for it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..errors import plain_message
from ..store import SUFFIX
from .flow import Refused
from .widgets import hbox

REGISTER_FILTER = f"OOH Desk registers (*{SUFFIX});;All files (*)"
URL_HINT = "postgresql://user@host:5432/database"


def join_work(url: str, local: Path, schema: str | None, password: str | None) -> Any:
    """The join for a worker thread: Cancel is honoured at each of its steps (the half-made
    copy is removed); a refused login comes back as a value so the dialog can ask."""
    from ..services.team import join
    from ..store.team import LoginRefused

    def work(progress: Any) -> Any:
        def say(text: str) -> None:
            progress.check()
            progress.say(f"{text}…")

        progress.check()
        try:
            return join(url, local, schema=schema, password=password, progress=say)
        except LoginRefused as exc:
            return Refused(str(exc))

    return work


class JoinTeamDialog(QDialog):
    """Join a team register as a new local file. `joined(path)` once the file is made."""

    joined = Signal(Path)

    def __init__(self, parent: QWidget | None = None, folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Join a team register")
        self.setAccessibleName("Join a team register")
        self.folder = folder or Path.home()
        self.task: Any = None
        self.summary: Any = None
        intro = QLabel("Make a working copy of the team's register on this computer. It works "
                       "offline; Sync (Ctrl+Shift+S) sends your changes to the team register "
                       "and brings in everyone else's.")
        intro.setWordWrap(True)
        self.url = QLineEdit()
        self.url.setPlaceholderText(URL_HINT)
        self.url.setAccessibleName("Team server URL")
        self.url.setToolTip("The address IT gave you, in libpq form, for example " + URL_HINT)
        self.schema = QLineEdit()
        self.schema.setPlaceholderText("the only register on the server")
        self.schema.setAccessibleName("Team register name on the server")
        self.local = QLineEdit()
        self.local.setPlaceholderText(f"a new file ending {SUFFIX}")
        self.local.setAccessibleName("Save the local copy as")
        self.choose = QPushButton("C&hoose…")
        self.choose.setAccessibleName("Choose where to save the local copy")
        self.choose.setAutoDefault(False)  # Return in any field means Join
        self.choose.clicked.connect(self.choose_local)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("leave empty to use PGPASSWORD or your password file")
        self.password.setAccessibleName("Password")
        self.password.setToolTip("Used for this connection only; OOH Desk never keeps it")
        form = QFormLayout()
        for text, field, buddy in (
                ("Team &server:", self.url, self.url),
                ("&Register on the server:", self.schema, self.schema),
                ("Save the &local copy as:", hbox(self.local, self.choose, stretch_last=True),
                 self.local),
                ("&Password:", self.password, self.password)):
            label = QLabel(text)
            label.setBuddy(buddy)
            form.addRow(label, field)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet("color: #a4262c")
        self.problem.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.join_button = self.buttons.addButton("&Join", QDialogButtonBox.ButtonRole.AcceptRole)
        self.join_button.setAccessibleName("Join")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.join)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.join_button.setDefault(True)  # once in the dialog, so Return means Join
        self.resize(620, self.sizeHint().height())

    def choose_local(self) -> None:
        start = self.local.text().strip() or str(self.folder / f"team register{SUFFIX}")
        chosen, _ = QFileDialog.getSaveFileName(self, "Save the local copy as", start,
                                                REGISTER_FILTER)
        if chosen:
            self.local.setText(chosen)

    def say(self, text: str, field: QWidget | None = None) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        if field is not None:
            field.setFocus()

    def join(self) -> None:
        url, local = self.url.text().strip(), self.local.text().strip()
        if not url:
            self.say(f"Type the team server's address, for example {URL_HINT}.", self.url)
            return
        if not local:
            self.say("Choose where to save the local copy.", self.local)
            return
        path = Path(local).expanduser()
        if path.suffix.lower() != SUFFIX:
            path = path.with_name(path.name + SUFFIX)
        self.local.setText(str(path))
        from .worker import Task

        self.say("")
        self.join_button.setEnabled(False)
        self.task = Task("Joining the team register…",
                         join_work(url, path, self.schema.text().strip() or None,
                                   self.password.text() or None), self)
        self.task.finished.connect(lambda outcome, value, p=path: self._done(outcome, value, p))
        self.task.start()

    def _done(self, outcome: str, value: Any, path: Path) -> None:
        self.join_button.setEnabled(True)
        if outcome == "done" and isinstance(value, Refused):
            self.password.clear()
            self.say(f"{plain_message(value.message)}. Type the password and press Join "
                     "again.", self.password)
            return
        if outcome == "failed":
            self.say(f"Nothing was joined: {value}.")
            return
        if outcome != "done":
            self.say("Cancelled; nothing was joined.")
            return
        self.summary = value
        self.password.clear()
        self.accept()
        self.joined.emit(path)
