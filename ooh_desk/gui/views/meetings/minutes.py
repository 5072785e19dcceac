"""The minutes pane of the Meetings view, filled in during the meeting: what the minutes say
under the selected item, what it RESOLVED (lettered (a), (b), (c) as recorded) and the actions
arising from it. What was typed is recorded on leaving the field or the item, or with
Ctrl+Enter, as one undoable command (gui.edits)."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ....domain.board_dates import BoardDateError, parse_optional
from ....domain.meetings import AgendaItem, decision_letter
from ....store import meetings as store
from ...edits import Edits, push
from ...edits.meetings import AddActionArising, MeetingEdit, RecordMinute
from ...models.meetings import ActionsArisingModel
from ...widgets import ERROR_STYLE, hbox, table_view
from .parts import Selection, buddy, button, line_edit

_LETTER = re.compile(r"^\s*\(?[a-z]{1,2}\)\s+")


class MinutesEditor(QWidget):
    def __init__(self, edits: Edits, selection: Selection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.reg = edits.reg
        self.selection = selection

        self.minute = QPlainTextEdit()
        self.minute.setAccessibleName("Minute text")
        self.minute.setPlaceholderText("What the minutes record under this item; a blank line "
                                       "starts a new paragraph")
        self.minute.setTabChangesFocus(True)
        self.resolved = QPlainTextEdit()
        self.resolved.setAccessibleName("RESOLVED decisions, one a line")
        self.resolved.setPlaceholderText("RESOLVED that: one decision a line; they are lettered "
                                         "(a), (b), (c) in order")
        self.resolved.setTabChangesFocus(True)
        for edit in (self.minute, self.resolved):
            edit.installEventFilter(self)
        self.record_button = button("&Record the minute",
                                    "Record the minute and decisions (Ctrl+Enter)",
                                    self.record_minute)
        self.lettered = QLabel()
        self.lettered.setWordWrap(True)
        self.lettered.setAccessibleName("The minute as recorded")
        self.arising = ActionsArisingModel(self)
        self.arising_table = table_view(self.arising, "Actions arising", self, sortable=False)
        self.action_text = line_edit("New action arising", "Action arising (Enter adds it)")
        self.action_owner = line_edit("Owner of the new action", "Owner")
        self.action_due = line_edit("Due date of the new action", "Due (31/10/2017)")
        self.action_due.setMinimumWidth(130)
        for edit in (self.action_text, self.action_owner, self.action_due):
            edit.returnPressed.connect(self.add_action)
        self.action_button = button("Add the ac&tion", "Add the action arising", self.add_action)
        self.action_message = QLabel()
        self.action_message.setStyleSheet(ERROR_STYLE)
        self.action_message.setAccessibleName("Problem with the new action")
        layout = QVBoxLayout(self)
        layout.addWidget(buddy("Minute te&xt:", self.minute))
        layout.addWidget(self.minute, 2)
        layout.addWidget(buddy("RESOLVED t&hat:", self.resolved))
        layout.addWidget(self.resolved, 1)
        layout.addLayout(hbox(self.record_button))
        layout.addWidget(self.lettered)
        box = QGroupBox("Actions arising")
        inner = QVBoxLayout(box)
        inner.addWidget(self.arising_table, 1)
        new_action = QHBoxLayout()
        for widget, stretch in ((self.action_text, 3), (self.action_owner, 1),
                                (self.action_due, 1), (self.action_button, 0)):
            new_action.addWidget(widget, stretch)
        inner.addLayout(new_action)
        inner.addWidget(self.action_message)
        self.action_text.setMinimumWidth(160)
        # The text boxes and the table take what room there is, down to a few lines each, so
        # the page scrolls only on a small screen.
        lines = self.fontMetrics().height()
        for widget in (self.minute, self.resolved, self.arising_table):
            policy = widget.sizePolicy()
            policy.setVerticalPolicy(QSizePolicy.Policy.Ignored)
            widget.setSizePolicy(policy)
            widget.setMinimumHeight(lines * 4)
        layout.addWidget(box, 2)

    # --- what is shown -----------------------------------------------------------------------

    def show_item(self, item: AgendaItem | None) -> None:
        self.action_message.clear()
        if item is None:
            self.minute.clear()
            self.resolved.clear()
            self.lettered.clear()
            self.arising.show([])
            return
        self.minute.setPlainText(item.minute)
        self.resolved.setPlainText("\n".join(self._decisions(item)))
        self._show_minute(item)

    def _decisions(self, item: AgendaItem) -> list[str]:
        meeting = self.selection.meeting
        if meeting is None:
            return []
        return [d.text for d in store.decisions(self.reg, meeting, include_private=True)
                if d.item_number == item.number]

    def _show_minute(self, item: AgendaItem) -> None:
        meeting = self.selection.meeting
        assert meeting is not None
        decided = self._decisions(item)
        if item.minute_number:
            lines = [f"<b>Minute {item.minute_number} ({meeting.municipal_year})</b>"]
            if decided:
                lines[0] += " RESOLVED that:"
                lines += [f"({decision_letter(n)}) {html.escape(text)}"
                          for n, text in enumerate(decided, 1)]
            self.lettered.setText("<br>".join(lines))
        else:
            self.lettered.setText("<i>Nothing minuted yet</i>")
        self.arising.show([a for number, a in store.actions_arising(self.reg, meeting,
                                                                    include_private=True)
                           if number == item.number])

    # --- recording the meeting ---------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched in (self.minute, self.resolved):
            if event.type() == QEvent.Type.FocusOut:
                self.record_minute()  # never lose what was typed
            elif (event.type() == QEvent.Type.KeyPress
                  and event.modifiers() & Qt.KeyboardModifier.ControlModifier
                  and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
                self.record_minute()
                return True
        return super().eventFilter(watched, event)

    def _push(self, command: MeetingEdit) -> bool:
        return push(self.edits, command)

    def _typed_decisions(self) -> list[str]:
        return [_LETTER.sub("", line).strip() for line in self.resolved.toPlainText().splitlines()
                if line.strip()]

    def record_minute(self) -> bool:
        """Record what is typed for the selected item, if it differs from what is recorded."""
        item, meeting = self.selection.item(), self.selection.meeting
        if item is None or meeting is None:
            return False
        minute = self.minute.toPlainText().strip()
        resolved = self._typed_decisions()
        before = (item.minute, self._decisions(item))
        if (minute, resolved) == before:
            return False
        return self._push(RecordMinute(self.edits, meeting, item, before, (minute, resolved),
                                       f"Minute of item {item.number}"))

    def add_action(self) -> bool:
        item, meeting = self.selection.item(), self.selection.meeting
        if item is None or meeting is None:
            return False
        description = " ".join(self.action_text.text().split())
        if not description:
            self.action_message.setText("Type what the action is first.")
            return False
        try:
            parse_optional(self.action_due.text())
        except BoardDateError as exc:
            self.action_message.setText(f"The due date is not understood: {exc}; not saved.")
            return False
        self.action_message.clear()
        ok = self._push(AddActionArising(self.edits, meeting, item, description,
                                         self.action_owner.text(), self.action_due.text()))
        if ok:
            for edit in (self.action_text, self.action_owner, self.action_due):
                edit.clear()
            self.action_text.setFocus()
        return ok
