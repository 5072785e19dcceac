"""Engagement: events and the feedback captured at them, "you said" beside "we did", with
themes as tags. New events and comments, every field of either edited in place (a renamed
event carries its comments), personal data marked in words, and workshop capture mode. Every
edit is one undoable command on the app's Edits stack (gui.edits)."""

from __future__ import annotations

import dataclasses
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...domain.board_dates import parse_optional
from ...domain.records import EngagementEvent, rebuild_record, split_themes
from ...errors import UserError
from ...store import RegisterError, programme, records
from ...store.queries import distinct_values
from ..edits import Edits
from ..edits.events import save_event
from ..forms import Field, RecordActions, RecordForm, _button
from ..models import EventModel, FeedbackModel, RecordProxy
from ..models.records import Column
from ..widgets import error_style, hbox, table_view

ROUTES = ("market", "practice", "clinical", "staff", "patient and public", "survey", "workshop")
PERSONAL_DATA = "Yes — left out of papers"


def event_fields() -> list[Field]:
    return [
        Field("name", "&Name"),
        Field("route", "&Route", "choice", choices=ROUTES),
        Field("date", "D&ate", "date"),
        Field("place", "P&lace"),
        Field("attendance", "Atte&ndance"),
        Field("organisations", "&Organisations"),
    ]


def check_event(values: dict[str, Any], others: set[str]) -> tuple[EngagementEvent | None,
                                                                   dict[str, str]]:
    """An event from what was typed (dates as words), or the problem at each field."""
    problems: dict[str, str] = {}
    name = " ".join(str(values.get("name") or "").split())
    if not name:
        problems["name"] = "An event needs a name."
    elif name in others:
        problems["name"] = f"There is already an event called {name!r}: choose another name."
    date = values.get("date")
    if isinstance(date, str):
        try:
            date = parse_optional(date)
        except ValueError as exc:
            problems["date"] = f"Not understood: {exc}"
    attendance = values.get("attendance")
    if isinstance(attendance, str):
        text = attendance.strip().replace(",", "")
        if not text:
            attendance = None
        elif text.isdigit():
            attendance = int(text)
        else:
            problems["attendance"] = f"Attendance is a whole number of people, not {attendance!r}."
    if problems:
        return None, problems
    return EngagementEvent(name=name, route=values.get("route") or "", date=date,
                           place=" ".join(str(values.get("place") or "").split()),
                           attendance=attendance,
                           organisations=" ".join(str(values.get("organisations") or "").split()),
                           ), {}


class EventDialog(QDialog):
    """A new engagement event: OK checks it (each problem at its field) and writes it as
    one undoable edit."""

    def __init__(self, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.created: EngagementEvent | None = None
        self.setWindowTitle("New engagement event")
        self.setAccessibleName("New engagement event")
        self.form = RecordForm("events", event_fields(), self)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(error_style(self))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Create event")
        self.ok.setAccessibleName("Create the event")
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def create(self) -> bool:
        others = {e.name for e in programme.events(self.edits.reg)}
        event, problems = check_event(self.form.values(), others)
        self.form.clear_problems()
        for name, text in problems.items():
            self.form.show_problem(name, text)
        if event is None:
            self.problem.setText("Nothing was saved: put right what is shown above.")
            return False
        if not save_event(self.edits, None, event, f"New event {event.name}"):
            self.problem.setText("Nothing was saved: the register refused it.")
            return False
        self.created = event
        self.accept()
        return True


class EngagementFeedbackModel(FeedbackModel):
    """The feedback columns, and beside what was said whether it holds personal data, in
    words."""

    def make_columns(self) -> list[Column]:
        columns = super().make_columns()
        at = next(n for n, c in enumerate(columns) if c.order == "comment") + 1
        columns.insert(at, Column("Personal data", lambda f: PERSONAL_DATA if f.personal_data
                                  else "", "personal_data"))
        return columns


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
        for column in (3, 4):  # place and attendance: in the event's form below
            self.events_table.setColumnHidden(column, True)
        self.model = EngagementFeedbackModel(self.reg, parent=self)
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
        self.event: EngagementEvent | None = None
        themes = Field("themes", "T&hemes (separated by \"; \")", "tags",
                       suggest=lambda: distinct_values(self.reg, "feedback", "themes"))
        group = Field("stakeholder_group", "Stakeholder &group",
                      suggest=lambda: distinct_values(self.reg, "feedback", "stakeholder_group"))
        personal = Field("personal_data", "Contains &personal data", "check")
        self.record_actions = RecordActions(
            self, edits, "feedback", self.table, [
                Field("comment", "&Comment (you said)", "text"),
                Field("event", "&Event", suggest=lambda: [e.name for e in programme.events(self.reg)]),
                group, themes,
                Field("date", "D&ate", "date"),
                personal,
            ], lambda: self.feedback, lambda f: f"{f.ref}: {f.comment}", self._new_defaults)
        self.selected = QLabel("<i>No comment selected</i>")
        self.form = RecordForm("feedback", [
            Field("comment", "&You said", "text"), group, themes,
            Field("action_taken", "We &did"), Field("status", "S&tatus", "status"), personal,
        ], self)
        self.form.edited.connect(self._save)
        self.we_did = self.form.widgets["action_taken"]
        self.status = self.form.widgets["status"]

        self.new_event_action = QAction("New &event…", self)
        self.new_event_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.new_event_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.new_event_action.setToolTip("Add an engagement event (Ctrl+Shift+N)")
        self.new_event_action.triggered.connect(self.new_event)
        self.addAction(self.new_event_action)
        self.new_event_button = _button(self.new_event_action, "New engagement event")
        self.event_dialog: EventDialog | None = None
        self.event_heading = QLabel("<i>No event selected</i>")
        self.event_form = RecordForm("events", event_fields(), self)
        self.event_form.edited.connect(self._event_edited)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addLayout(hbox(self.new_event_button))
        lv.addWidget(self.events_table, 1)
        lv.addWidget(self.event_heading)
        lv.addWidget(self.event_form)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addLayout(hbox(self.search, self.event_filter, self.capture,
                          self.record_actions.new_button, self.record_actions.delete_button))
        rv.addWidget(self.table, 1)
        rv.addWidget(self.shown)
        rv.addWidget(self.selected)
        rv.addWidget(self.form)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("engagement_splitter")
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([420, 860])  # wide enough to read the events' names
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
        total = records.total_records(self.reg, "feedback")
        self.shown.setText(f"{self.model.total()} of {total} comments shown")

    def _event_chosen(self, *_: Any) -> None:
        rows = self.events_table.selectionModel().selectedRows()
        self.show_event(self.events.keys[rows[0].row()] if rows else None)
        name = self.event.name if self.event else None
        self.event_filter.setText(f"Event: {name}" if name else "All events")
        self.model.set_filter("event", name)
        self.show_feedback(None)

    # --- events ----------------------------------------------------------------------------

    def new_event(self) -> EventDialog:
        self.event_dialog = EventDialog(self.edits, self)
        self.event_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.event_dialog.open()
        return self.event_dialog

    def select_event(self, name: str) -> bool:
        """Select the event by its name (or its uuid: the same event after a rename)."""
        for row, event in enumerate(self.events.keys):
            if name in (event.name, event.uuid):
                self.events_table.selectRow(row)
                return True
        return False

    def show_event(self, event: EngagementEvent | None) -> None:
        self.event = event
        self.event_form.set_record(event)
        if event is not None and event.attendance is not None:
            self.event_form.widgets["attendance"].set_value(str(event.attendance))
        self.event_heading.setText(f"<b>{escape(event.name)}</b>" if event
                                   else "<i>No event selected</i>")

    def _event_edited(self, name: str, value: Any) -> None:
        before = self.event
        if before is None:
            return
        others = {e.name for e in programme.events(self.reg)} - {before.name}
        after, problems = check_event(dataclasses.asdict(before) | {"date": before.date,
                                                                    name: value}, others)
        if after is None:
            self.event_form.show_problem(name, " ".join(problems.values()))
            return
        after.uuid = before.uuid
        label = self.event_form.fields[name].label.replace("&", "").lower()
        text = (f"Rename event {before.name} to {after.name}" if name == "name"
                else f"Edit the {label} of event {after.name}")
        if after != before and not save_event(self.edits, before, after, text):
            self.show_event(before)

    def _search(self, text: str) -> None:
        try:
            self.model.set_query(search=text)
        except (UserError, RegisterError) as exc:
            self.shown.setText(str(exc))

    def _selected(self, *_: Any) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.show_feedback(records.get_record(self.reg, "feedback",
                                                 self.proxy.record(rows[0].row()).ref))

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

    # --- feedback --------------------------------------------------------------------------

    def show_feedback(self, item: Any | None) -> None:
        self.feedback = item
        self.form.set_record(item)
        if item is None:
            self.selected.setText("<i>No comment selected</i>")
            return
        marked = f" Personal data: {PERSONAL_DATA.lower()}." if item.personal_data else ""
        self.selected.setText(f"<b>{escape(item.ref)}</b> at {escape(item.event or 'no event')}"
                              f"{escape(marked)}")

    def _save(self, name: str, value: Any) -> None:
        before = self.feedback
        if before is None:
            return
        if name == "themes":
            value = split_themes(value)
        after = dataclasses.replace(before, **{name: value})
        after, problems = rebuild_record("feedback", after)
        if problems:
            leftover = self.form.show_problems(problems)
            if leftover:
                self.form.show_problem(name, "; ".join(p.message for p in leftover))
            return
        if after == before:
            return
        if name == "action_taken" and value and before.status == "open":
            after.status = "actioned"
        label = {"action_taken": "we did", "comment": "you said", "stakeholder_group":
                 "stakeholder group", "personal_data": "personal data mark"}.get(name, name)
        if not self.edits.save("feedback", before, after, f"Set {label} for {before.ref}"):
            self.show_feedback(before)

    def _changed(self, kind: str, ref: str) -> None:
        if kind == "events":
            uuid = self.event.uuid if self.event else None
            self.events.reload()
            self.model.reload()
            if uuid is None or not self.select_event(uuid):
                self.show_event(None)
            return
        if kind != "feedback":
            return
        self.events.reload()
        self.model.reload()
        row = self.model.row_of(ref)
        if row >= 0:
            self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
        if self.feedback and self.feedback.ref == ref:
            self.show_feedback(records.get_record(self.reg, "feedback", ref))  # None once deleted
