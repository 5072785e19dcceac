"""What the governance views (Assurance, Key decisions, the Meetings view's interests) share:
a form filled from a plain set of values, and a small dialog for a new record that checks what
was typed with the domain's reader (every problem at its field, in words) and writes only a
valid record, as one undoable edit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ...domain.records import Problem
from ..forms import Field, RecordForm
from ..widgets import error_style

# check(values) -> the problems (at fields) and, when there are none, whether it was written.
Check = Callable[[dict[str, Any]], tuple[list[Problem], bool]]


def fill(form: RecordForm, values: dict[str, Any] | None) -> None:
    """Show `values` (field name -> value) in the form; None empties and disables it."""
    form.set_record(SimpleNamespace(**values) if values is not None else None)


def show_problems(form: RecordForm, problems: Sequence[Problem], extra: QLabel) -> None:
    """Each problem under its field; any naming no field in `extra`."""
    elsewhere = form.show_problems(problems)
    extra.setText("\n".join(p.message[:1].upper() + p.message[1:] for p in elsewhere))
    extra.setVisible(bool(elsewhere))


def tab_through(*tables: Any) -> None:
    """Tab leaves a table for the next control rather than walking its cells (arrow keys
    move between cells), so a keyboard user is never held in a table."""
    for table in tables:
        table.setTabKeyNavigation(False)


def problem_label(owner: QWidget, name: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(error_style(owner))
    label.setAccessibleName(name)
    label.hide()
    return label


class FormDialog(QDialog):
    """A new record's fields. OK runs `check` on what was typed: its problems are shown at
    their fields and nothing is written; with none it has written the record and closes."""

    def __init__(self, title: str, kind: str, fields: Sequence[Field], check: Check,
                 ok_text: str, values: dict[str, Any] | None = None,
                 parent: QWidget | None = None,
                 make_form: Callable[[QWidget], RecordForm] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.check = check
        self.form = make_form(self) if make_form else RecordForm(kind, fields, self)
        self.problem = problem_label(self, "Why it was not saved")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(ok_text)
        self.ok.setAccessibleName(ok_text.replace("&", ""))
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        fill(self.form, values or {})
        self.resize(560, self.sizeHint().height())

    def create(self) -> bool:
        problems, written = self.check(self.form.values())
        show_problems(self.form, problems, self.problem)
        if problems:
            return False
        if not written:
            self.problem.setText("Nothing was saved: the register refused it.")
            self.problem.show()
            return False
        self.accept()
        return True
