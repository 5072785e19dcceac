"""Workshop capture mode: a full-screen, keyboard-only form for a facilitator. Choose the event
once; then type a comment, Tab to the stakeholder group, themes (completed from earlier ones)
and the personal data box (Ctrl+P ticks it), and Enter saves it to the register and clears the
form for the next."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..domain.records import FeedbackItem, split_themes
from ..store import programme
from ..store.queries import distinct_values
from .edits import Edits
from .widgets import error_style


class CaptureDialog(QDialog):
    def __init__(self, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.reg = edits.reg
        self.setWindowTitle("Workshop capture: OOH Desk")
        self.setAccessibleName("Workshop capture mode")
        self.saved = 0
        self.event = QComboBox()
        self.event.setAccessibleName("Event")
        self.event.setEditable(True)
        self.event.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.events = {e.name: e for e in programme.events(self.reg)}
        self.event.addItems(list(self.events))
        self.event.lineEdit().setPlaceholderText("Name a new event, or choose one")
        self.comment = QLineEdit()
        self.comment.setAccessibleName("Comment: you said")
        self.comment.setPlaceholderText("What was said")
        self.group = QLineEdit()
        self.group.setAccessibleName("Stakeholder group")
        self.group.setPlaceholderText("e.g. GPs, carers, staff")
        self.themes = QLineEdit()
        self.themes.setAccessibleName("Themes, separated by commas")
        self.themes.setPlaceholderText("e.g. transport, access")
        self.personal = QCheckBox("Contains &personal data (Ctrl+P)")
        self.personal.setAccessibleName("Contains personal data")
        self.personal.setToolTip("Left out of every paper and report")
        self.group_words = QStringListModel(distinct_values(self.reg, "feedback", "stakeholder_group"))
        self.theme_words = QStringListModel(distinct_values(self.reg, "feedback", "themes"))
        # Inline completion: the rest of an earlier group or theme appears selected as you
        # type, so typing on replaces it, Delete drops it, and no popup stands between Enter
        # and saving. Themes are completed one at a time, after the last comma.
        group_completer = QCompleter(self.group_words, self)
        self.theme_completer = QCompleter(self.theme_words, self)
        for completer in (group_completer, self.theme_completer):
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setCompletionMode(QCompleter.CompletionMode.InlineCompletion)
        self.group.setCompleter(group_completer)
        self._themes_typed = ""
        self.themes.textEdited.connect(self._suggest_theme)
        self.message = QLabel()
        self.message.setAccessibleName("Capture message")
        self.message.setWordWrap(True)
        self.count = QLabel()
        self.count.setAccessibleName("Comments captured")
        help_text = QLabel("Type a comment, Tab to the group and themes (earlier ones are "
                           "suggested as you type; Delete drops a suggestion), Ctrl+P marks "
                           "personal data, Enter saves it. "
                           "Ctrl+Z undoes the last one. Esc leaves capture mode.")
        help_text.setWordWrap(True)
        font = self.comment.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        for w in (self.event, self.comment, self.group, self.themes, self.personal,
                  self.message, self.count):
            w.setFont(font)
        form = QFormLayout()
        for text, field in (("&Event:", self.event), ("&Comment:", self.comment),
                            ("Stakeholder &group:", self.group), ("&Themes:", self.themes)):
            label = QLabel(text)
            label.setFont(font)
            label.setBuddy(field)
            form.addRow(label, field)
        form.addRow("", self.personal)
        # Full screen, but the form keeps to a readable width in the middle.
        panel = QWidget()
        panel.setMaximumWidth(1000)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(panel, 10)
        outer.addStretch(1)
        layout = QVBoxLayout(panel)
        layout.addWidget(QLabel("<h1>Workshop capture</h1>"))
        layout.addWidget(help_text)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.count)
        layout.addStretch(1)
        self.setTabOrder(self.event, self.comment)
        self.setTabOrder(self.comment, self.group)
        self.setTabOrder(self.group, self.themes)
        self.setTabOrder(self.themes, self.personal)
        QShortcut(QKeySequence("Ctrl+P"), self, self.personal.toggle)
        for edit in (self.comment, self.group, self.themes):
            edit.returnPressed.connect(self.save)
        QShortcut(QKeySequence.StandardKey.Undo, self, edits.stack.undo)
        self._show_count()
        self.comment.setFocus()

    def _suggest_theme(self, text: str) -> None:
        typed_on = len(text) > len(self._themes_typed) and text.startswith(self._themes_typed)
        self._themes_typed = text
        if not typed_on or self.themes.cursorPosition() != len(text):
            return  # deleting or editing in the middle: suggest nothing
        partial = text.split(",")[-1].lstrip()
        if not partial:
            return
        self.theme_completer.setCompletionPrefix(partial)
        if not self.theme_completer.completionCount():
            return
        theme = self.theme_completer.currentCompletion()
        if len(theme) > len(partial):
            self.themes.setText(text + theme[len(partial):])
            self.themes.setSelection(len(text), len(theme) - len(partial))

    def _show_count(self) -> None:
        self.count.setText(f"{self.saved} comment{'s' if self.saved != 1 else ''} captured in "
                           "this session")

    def save(self) -> bool:
        comment = " ".join(self.comment.text().split())
        event_name = self.event.currentText().strip()
        if not comment:
            self._problem("Type a comment before pressing Enter; nothing was saved.", self.comment)
            return False
        if not event_name:
            self._problem("Choose or name the event first; nothing was saved.", self.event)
            return False
        event = self.events.get(event_name)
        item = FeedbackItem(ref="", comment=comment,  # the register gives the ref as it writes
                            event=event_name, route=event.route if event else "workshop",
                            date=event.date if event else None,
                            stakeholder_group=" ".join(self.group.text().split()),
                            themes=split_themes(self.themes.text()),
                            personal_data=self.personal.isChecked())
        if not self.edits.create("feedback", item, "Capture comment"):
            self._problem("The register did not accept the comment; it is still here to retry.",
                          self.comment)
            return False
        if event is None:
            self.events = {e.name: e for e in programme.events(self.reg)}
        self.saved += 1
        self.theme_words.setStringList(sorted(set(self.theme_words.stringList())
                                              | set(item.themes)))
        if item.stakeholder_group and item.stakeholder_group not in self.group_words.stringList():
            self.group_words.setStringList(sorted([*self.group_words.stringList(),
                                                   item.stakeholder_group]))
        self.message.setStyleSheet("")
        marked = " (personal data, left out of papers)" if item.personal_data else ""
        self.message.setText(f"Saved {item.ref}{marked}: {comment[:80]}")
        self.comment.clear()
        self.group.clear()
        self.themes.clear()
        self.personal.setChecked(False)
        self._themes_typed = ""
        self._show_count()
        self.comment.setFocus()
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # The text fields save on Enter themselves; the personal data box does not.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                self.focusWidget() is self.personal:
            self.save()
            return
        super().keyPressEvent(event)

    def _problem(self, text: str, field: QWidget) -> None:
        self.message.setStyleSheet(error_style(self))
        self.message.setText(text)
        field.setFocus()
