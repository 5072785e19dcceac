"""Forms over a record's fields, shared by the detail panes and the "New" dialogs: each field
commits what was typed (Enter, or leaving it), every problem is shown at its field in words,
and nothing is written until the domain's builder finds the record valid. Also the New and
Delete actions every record view carries, both undoable on the one Edits stack."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QAction, QFocusEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..domain.records import (
    ACTION_STATUSES,
    BUILDERS,
    FEEDBACK_STATUSES,
    MILESTONE_STATUSES,
    RISK_STATUSES,
    FieldReader,
    Problem,
)
from ..domain.scoring import IMPACT_LABELS, LIKELIHOOD_LABELS
from ..store import records
from ..store.history import score_history
from .edits import Edits
from .widgets import BoardDateField, error_style

NOUNS = {"risks": "risk", "milestones": "milestone", "actions": "action",
         "feedback": "comment", "papers": "paper"}
STATUSES = {"risks": RISK_STATUSES, "milestones": MILESTONE_STATUSES, "actions": ACTION_STATUSES,
            "feedback": FEEDBACK_STATUSES, "mitigations": ACTION_STATUSES}


class CommitLine(QLineEdit):
    """One line of text; `committed(text)` on Enter or on leaving it, only if it changed."""

    committed = Signal(str)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self._shown = ""
        self.editingFinished.connect(self._commit)

    def set_value(self, text: str) -> None:
        self._shown = text or ""
        self.setText(self._shown)
        self.setCursorPosition(0)  # a long title shows its beginning

    def value(self) -> str:
        return self.text().strip()

    def _commit(self) -> None:
        if self.value() != self._shown.strip():
            self._shown = self.value()
            self.committed.emit(self.value())


class CommitText(QPlainTextEdit):
    """Several lines of text; `committed(text)` on leaving it or Ctrl+Enter, only if changed.
    Tab moves on (a form is walked by keyboard), as in every other field."""

    committed = Signal(str)

    def __init__(self, name: str, lines: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 12)
        self._shown = ""

    def set_value(self, text: str) -> None:
        self._shown = text or ""
        self.setPlainText(self._shown)

    def value(self) -> str:
        return self.toPlainText().strip()

    def commit(self) -> None:
        if self.value() != self._shown.strip():
            self._shown = self.value()
            self.committed.emit(self.value())

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.commit()
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.commit()
            return
        super().keyPressEvent(event)


@dataclass(frozen=True)
class Field:
    """One field of a form: the record field it sets, its label, and how it is typed:
    line, text, date, status, score (a likelihood or impact, 1 to 5), choice (one of
    `choices`), check (yes or no) or tags (a line of "; "-separated tags, each completed)."""

    name: str
    label: str
    how: str = "line"
    suggest: Callable[[], list[str]] | None = None  # completions for a line (owners, …)
    choices: tuple[str, ...] = ()


class TagCompleter(QCompleter):
    """Completes the last of "; "-separated tags, keeping those before it. Inline: the rest
    of an earlier tag appears selected, so typing on replaces it and no popup stands between
    Enter and saving."""

    def __init__(self, words: list[str], parent: QLineEdit) -> None:
        super().__init__(QStringListModel(words, parent), parent)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompletionMode(QCompleter.CompletionMode.InlineCompletion)

    def splitPath(self, path: str) -> list[str]:
        return [path.replace(",", ";").split(";")[-1].lstrip()]

    def pathFromIndex(self, index: Any) -> str:
        earlier = self.widget().text().replace(",", ";").split(";")[:-1]  # type: ignore[union-attr]
        kept = [t.strip() for t in earlier if t.strip()]
        return "; ".join([*kept, super().pathFromIndex(index)])


def with_problem_line(widget: QWidget, label: str, owner: QWidget) -> tuple[QWidget, QLabel]:
    """A field with a hidden line under it where its problem is shown in words; returns the
    box to lay out and the problem line."""
    message = QLabel()
    message.setWordWrap(True)
    message.setAccessibleName(f"{label.replace('&', '')}: problem")
    message.setStyleSheet(error_style(owner))
    message.hide()
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(1)
    column.addWidget(widget)
    column.addWidget(message)
    return box, message


class RecordForm(QWidget):
    """Labelled fields with a message under each. `edited(name, value)` when one is committed:
    a str for text, status and choice, a BoardDate (or None) for a date, a bool for a check."""

    edited = Signal(str, object)

    def __init__(self, kind: str, fields: Sequence[Field], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.fields = {f.name: f for f in fields}
        self.widgets: dict[str, Any] = {}
        self.messages: dict[str, QLabel] = {}
        self.layout_ = QFormLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for f in fields:
            widget = self._make(f)
            self.widgets[f.name] = widget
            box, self.messages[f.name] = with_problem_line(widget, f.label, self)
            if isinstance(widget, QCheckBox):  # the box carries its own label
                self.layout_.addRow("", box)
                continue
            label = QLabel(f"{f.label}:")
            label.setBuddy(widget.edit if isinstance(widget, BoardDateField) else widget)
            self.layout_.addRow(label, box)

    def _make(self, f: Field) -> Any:
        name = f.label.replace("&", "")
        if f.how == "text":
            w: Any = CommitText(name)
            w.committed.connect(lambda text, n=f.name: self._edited(n, text))
        elif f.how == "date":
            w = BoardDateField(name)
            w.committed.connect(lambda value, n=f.name: self._edited(n, value))
        elif f.how == "check":
            w = QCheckBox(f.label)
            w.setAccessibleName(name)
            w.clicked.connect(lambda checked, n=f.name: self._edited(n, bool(checked)))
        elif f.how == "choice":
            w = QComboBox()
            w.setAccessibleName(name)
            w.addItem("(none)", "")
            for choice in f.choices:
                w.addItem(choice[:1].upper() + choice[1:], choice)
            w.activated.connect(lambda _i, n=f.name, c=w: self._edited(n, c.currentData()))
        elif f.how in ("status", "score"):
            w = QComboBox()
            w.setAccessibleName(name)
            if f.how == "status":
                for s in STATUSES[self.kind]:
                    w.addItem(s.capitalize(), s)
                w.activated.connect(lambda _i, n=f.name, c=w: self._edited(n, c.currentData()))
            else:
                labels = LIKELIHOOD_LABELS if f.name.endswith("likelihood") else IMPACT_LABELS
                w.addItem("(choose)", None)
                for n, text in enumerate(labels, 1):
                    w.addItem(f"{n} {text}", n)
        else:
            w = CommitLine(name)
            w.committed.connect(lambda text, n=f.name: self._edited(n, text))
            if f.how == "tags":
                w.setCompleter(TagCompleter(f.suggest() if f.suggest else [], w))
            elif f.suggest is not None:
                completer = QCompleter(QStringListModel(f.suggest(), w), w)
                completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
                w.setCompleter(completer)
        return w

    def _edited(self, name: str, value: Any) -> None:
        self.messages[name].hide()
        self.edited.emit(name, value)

    # --- filling and reading -------------------------------------------------------------

    def set_record(self, record: Any | None) -> None:
        self.clear_problems()
        for name, w in self.widgets.items():
            w.setEnabled(record is not None)
            value = getattr(record, name, None) if record is not None else None
            if isinstance(w, BoardDateField):
                w.set_value(value)
            elif isinstance(w, QCheckBox):
                w.setChecked(bool(value))
            elif isinstance(w, QComboBox):
                if value and w.findData(value) < 0:  # a value from an import, kept as it is
                    w.addItem(str(value), value)
                w.setCurrentIndex(max(w.findData(value), 0))
            elif isinstance(value, list):
                w.set_value("; ".join(value))
            else:
                w.set_value("" if value is None else str(value))

    def values(self) -> dict[str, Any]:
        """What is typed, as FieldReader reads it (dates as the words typed)."""
        out = {}
        for name, w in self.widgets.items():
            if isinstance(w, BoardDateField):
                out[name] = w.edit.text()
            elif isinstance(w, QCheckBox):
                out[name] = "yes" if w.isChecked() else ""
            elif isinstance(w, QComboBox):
                out[name] = w.currentData()
            else:
                out[name] = w.value()
        return out

    # --- problems --------------------------------------------------------------------------

    def clear_problems(self) -> None:
        for message in self.messages.values():
            message.clear()
            message.hide()

    def show_problems(self, problems: Sequence[Problem]) -> list[Problem]:
        """Each problem under its field; returns those naming no field on this form."""
        self.clear_problems()
        elsewhere = []
        for p in problems:
            message = self.messages.get(p.column)
            if message is None:
                elsewhere.append(p)
                continue
            text = p.message[:1].upper() + p.message[1:]
            message.setText(f"{message.text()}\n{text}".strip() + ("" if text.endswith(".")
                                                                    else "."))
            message.show()
        return elsewhere

    def show_problem(self, name: str, text: str) -> None:
        self.messages[name].setText(text)
        self.messages[name].show()


class NewRecordDialog(QDialog):
    """A small form for a new record. OK checks it with the domain's builder (every problem
    at its field, in words); only a valid record is written, as one undoable edit, with the
    next ref from the register."""

    def __init__(self, edits: Edits, kind: str, fields: Sequence[Field],
                 defaults: dict[str, Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.kind = kind
        self.created: Any | None = None
        noun = NOUNS[kind]
        self.setWindowTitle(f"New {noun}")
        self.setAccessibleName(f"New {noun}")
        self.form = RecordForm(kind, fields, self)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(error_style(self))
        self.problem.setAccessibleName("Why it was not saved")
        self.ref = QLabel(f"It will be {records.next_ref(edits.reg, kind)}.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(f"&Create {noun}")
        self.ok.setAccessibleName(f"Create the {noun}")
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.ref)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        for name, value in (defaults or {}).items():
            w = self.form.widgets[name]
            if isinstance(w, QCheckBox):
                w.setChecked(bool(value))
            elif isinstance(w, QComboBox):
                w.setCurrentIndex(max(w.findData(value), 0))
            elif isinstance(w, BoardDateField):
                w.edit.setText(value)
            else:
                w.set_value(value)
        self.resize(520, self.sizeHint().height())

    def create(self) -> bool:
        reader = FieldReader(self.form.values(), f"the new {NOUNS[self.kind]}")
        record = BUILDERS[self.kind](reader, "")  # the register gives the ref as it writes
        elsewhere = self.form.show_problems(reader.problems)
        self.problem.setText("\n".join(str(p) for p in elsewhere))
        if reader.problems:
            self.problem.setText(self.problem.text() or "Nothing was saved: put right what is "
                                 "shown above.")
            return False
        if not self.edits.create(self.kind, record, f"New {NOUNS[self.kind]}"):
            self.problem.setText("Nothing was saved: the register refused it.")
            return False
        self.created = record
        self.accept()
        return True


def confirm_delete(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class RecordActions(QObject):
    """A view's New (Ctrl+N anywhere in the view) and Delete (Del in its table) actions, with
    buttons that carry their accessible names. Both are undoable edits."""

    def __init__(self, view: QWidget, edits: Edits, kind: str, table: QTableView,
                 fields: Sequence[Field], selected: Callable[[], Any | None],
                 describe: Callable[[Any], str] | None = None,
                 defaults: Callable[[], dict[str, Any]] | None = None) -> None:
        super().__init__(view)
        self.view = view
        self.edits = edits
        self.kind = kind
        self.fields = list(fields)
        self.selected = selected
        self.describe = describe or (lambda r: f"{r.ref}: {getattr(r, 'title', '')}")
        self.defaults = defaults or dict
        self.confirm: Callable[[QWidget, str, str], bool] = confirm_delete
        self.dialog: NewRecordDialog | None = None
        noun = NOUNS[kind]
        self.new_action = QAction(f"&New {noun}…", view)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.new_action.setToolTip(f"Add a new {noun} (Ctrl+N)")
        self.new_action.triggered.connect(self.new)
        view.addAction(self.new_action)
        self.delete_action = QAction(f"&Delete {noun}…", view)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.setToolTip(f"Delete the selected {noun} (Del); Ctrl+Z brings it back")
        self.delete_action.triggered.connect(self.delete)
        table.addAction(self.delete_action)
        self.new_button = _button(self.new_action, f"New {noun}")
        self.delete_button = _button(self.delete_action, f"Delete the selected {noun}")

    def new(self) -> NewRecordDialog:
        self.dialog = NewRecordDialog(self.edits, self.kind, self.fields, self.defaults(),
                                      self.view)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.open()
        return self.dialog

    def delete(self) -> bool:
        record = self.selected()
        if record is None:
            return False
        noun = NOUNS[self.kind]
        extra = ""
        if self.kind == "risks":
            scores = len(score_history(self.edits.reg, record.uuid))
            extra = (f" Its {_count(len(record.mitigations), 'mitigating action')} and "
                     f"{_count(scores, 'score review')} go with it.")
        text = (f"Delete the {noun} {self.describe(record)}?{extra}\n\n"
                "Edit, Undo (Ctrl+Z) brings it back.")
        if not self.confirm(self.view, f"Delete {noun}", text):
            return False
        return self.edits.delete(self.kind, record.ref, f"Delete {noun} {record.ref}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _button(action: QAction, name: str) -> QToolButton:
    button = QToolButton()
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setAccessibleName(name)
    return button
