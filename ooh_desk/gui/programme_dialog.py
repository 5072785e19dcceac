"""File > Programme settings…: the programme's name, the organisation whose papers it writes
(the report header names it) and its sponsor. A thin dialog: the change is one undoable
edit through services.registers (gui.edits.programme)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from .edits import Edits
from .edits.programme import save_programme


class ProgrammeDialog(QDialog):
    def __init__(self, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.setWindowTitle("Programme settings")
        self.setAccessibleName("Programme settings")
        programme = edits.reg.programme
        self.name = self._line("Programme name", programme.name)
        self.organisation = self._line("Organisation", programme.organisation,
                                       "The council, trust or ICB whose papers these are")
        self.sponsor = self._line("Sponsor", programme.sponsor, "The sponsoring body")
        form = QFormLayout()
        for text, edit in (("Programme &name:", self.name),
                           ("&Organisation:", self.organisation), ("&Sponsor:", self.sponsor)):
            label = QLabel(text)
            label.setBuddy(edit)
            form.addRow(label, edit)
        note = QLabel("The organisation is printed in the header of every report; leave it "
                      "empty and the header names none.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    @staticmethod
    def _line(name: str, value: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(value)
        edit.setAccessibleName(name)
        edit.setPlaceholderText(placeholder)
        return edit

    def accept(self) -> None:
        """Save through the undo stack; a refused write (an empty name) keeps the dialog
        open, the message shown by the app's `failed` handler."""
        if save_programme(self.edits, name=self.name.text(),
                          organisation=self.organisation.text(), sponsor=self.sponsor.text()):
            super().accept()
