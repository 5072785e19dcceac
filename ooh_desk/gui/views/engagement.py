"""Engagement: events and the feedback captured at them, "you said" beside "we did", with
themes as tags; record what was done for a comment, and open workshop capture mode."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...domain.records import FEEDBACK_STATUSES
from ...services import UserError, distinct_values
from ...store import RegisterError
from ..edits import Edits
from ..forms import Field, RecordActions
from ..models import EventModel, FeedbackModel, RecordProxy
from ..widgets import hbox, table_view


class EngagementView(QWidget):
    title = "Engagement"
    capture_requested = Signal()

    def __init__(self, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.reg = edits.reg
        self.setAccessibleName("Engagement")
        self.events = EventModel(self.reg, self)
        self.events_table = table_view(self.events, "Engagement events", self, sortable=False)
        self.model = FeedbackModel(self.reg, parent=self)
        self.proxy = RecordProxy(self.model, self)
        self.table = table_view(self.proxy, "Feedback: you said, we did", self)
        self.search = QLineEdit()
        self.search.setAccessibleName("Search feedback")
        self.search.setPlaceholderText("Search feedback")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.search.textChanged.connect(self._search)
        self.event_filter = QLabel("All events")
        self.capture = QPushButton("&Workshop capture mode…")
        self.capture.setAccessibleName("Open workshop capture mode")
        self.capture.setToolTip("Type comments from a workshop, keyboard only (F11)")
        self.capture.clicked.connect(self.capture_requested.emit)
        self.shown = QLabel()
        self.feedback: Any | None = None
        self.record_actions = RecordActions(
            self, edits, "feedback", self.table, [
                Field("comment", "&Comment (you said)", "text"),
                Field("event", "&Event", suggest=lambda: [e.name for e in self.reg.events()]),
                Field("stakeholder_group", "Stakeholder &group",
                      suggest=lambda: distinct_values(self.reg, "feedback", "stakeholder_group")),
                Field("themes", "T&hemes (separated by commas)"),
                Field("date", "D&ate", "date"),
            ], lambda: self.feedback, lambda f: f"{f.ref}: {f.comment}", self._new_defaults)
        self.selected = QLabel("<i>No comment selected</i>")
        self.selected.setWordWrap(True)
        self.we_did = QLineEdit()
        self.we_did.setAccessibleName("We did: the action taken")
        self.we_did.setPlaceholderText("What was done about this comment (Enter saves)")
        self.we_did.returnPressed.connect(self._save_we_did)
        self.status = QComboBox()
        self.status.setAccessibleName("Feedback status")
        for s in FEEDBACK_STATUSES:
            self.status.addItem(s.capitalize(), s)
        self.status.activated.connect(lambda _i: self._save("status", self.status.currentData()))
        detail = QWidget()
        form = QFormLayout(detail)
        form.addRow(self.selected)
        form.addRow("We &did:", self.we_did)
        form.addRow("S&tatus:", self.status)

        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addLayout(hbox(self.search, self.event_filter, self.capture,
                          self.record_actions.new_button, self.record_actions.delete_button))
        rv.addWidget(self.table, 1)
        rv.addWidget(self.shown)
        rv.addWidget(detail)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("engagement_splitter")
        splitter.addWidget(self.events_table)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        QVBoxLayout(self).addWidget(splitter)
        self.events_table.selectionModel().selectionChanged.connect(self._event_chosen)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.model.modelReset.connect(self._count)
        edits.changed.connect(self._changed)
        self._count()
        self.show_feedback(None)

    def _new_defaults(self) -> dict[str, Any]:
        """A new comment starts at the chosen event, on its date."""
        rows = self.events_table.selectionModel().selectedRows()
        if not rows:
            return {}
        event = self.events.keys[rows[0].row()]
        return {"event": event.name, "date": event.date.text if event.date else ""}

    def _count(self, *_: Any) -> None:
        self.shown.setText(f"{self.model.total()} of {self.reg.count('feedback')} comments shown")

    def _event_chosen(self, *_: Any) -> None:
        rows = self.events_table.selectionModel().selectedRows()
        name = self.events.keys[rows[0].row()].name if rows else None
        self.event_filter.setText(f"Event: {name}" if name else "All events")
        self.model.set_filter("event", name)
        self.show_feedback(None)

    def _search(self, text: str) -> None:
        try:
            self.model.set_query(search=text)
        except (UserError, RegisterError) as exc:
            self.shown.setText(str(exc))

    def _selected(self, *_: Any) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.show_feedback(self.reg.get("feedback", self.proxy.record(rows[0].row()).ref))

    def select_ref(self, ref: str) -> bool:
        """Show every comment and select this one (fetching pages until it is reached)."""
        self.search.clear()
        self.events_table.clearSelection()
        row = self.model.row_of(ref)
        while row < 0 and self.model.canFetchMore():
            self.model.fetchMore()
            row = self.model.row_of(ref)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def show_feedback(self, item: Any | None) -> None:
        self.feedback = item
        self.we_did.setEnabled(item is not None)
        self.status.setEnabled(item is not None)
        if item is None:
            self.selected.setText("<i>No comment selected</i>")
            self.we_did.clear()
            return
        themes = ", ".join(item.themes) or "no themes"
        self.selected.setText(f"<b>{item.ref}</b> ({item.stakeholder_group or 'no group'}; "
                              f"{themes}): {item.comment}")
        self.we_did.setText(item.action_taken)
        self.status.setCurrentIndex(max(self.status.findData(item.status), 0))

    def _save_we_did(self) -> None:
        self._save("action_taken", self.we_did.text().strip())

    def _save(self, name: str, value: Any) -> None:
        before = self.feedback
        if before is None or getattr(before, name) == value:
            return
        after = dataclasses.replace(before, **{name: value})
        if name == "action_taken" and value and before.status == "open":
            after.status = "actioned"
        label = "we did" if name == "action_taken" else name
        if not self.edits.save("feedback", before, after, f"Set {label} for {before.ref}"):
            self.show_feedback(before)

    def _changed(self, kind: str, ref: str) -> None:
        if kind != "feedback":
            return
        self.events.reload()
        self.model.reload()
        row = self.model.row_of(ref)
        if row >= 0:
            self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
        if self.feedback and self.feedback.ref == ref:
            self.show_feedback(self.reg.get("feedback", ref))  # None once deleted
