"""Meetings: a committee officer picks a meeting, arranges its agenda (drag and drop, or
Alt+Up / Alt+Down), marks items public or private with their exemption paragraph, attaches a
document or links a paper, records attendance, minutes, RESOLVED decisions and actions arising
during the meeting, and builds the agenda packs and the minutes off the GUI thread.

Every edit is an undoable command (gui.meeting_edits) written to the register at once."""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.board_dates import BoardDateError, long_date, parse_optional
from ...domain.meetings import (
    ATTENDANCE_KINDS,
    EXEMPTION_PARAGRAPHS,
    AgendaItem,
    Attendee,
    Meeting,
    decision_letter,
    display_time,
)
from ...services import outputs
from ...store import meetings as store
from ...store.queries import paper_refs
from ..edits import Edits
from ..meeting_edits import (
    KIND,
    AddActionArising,
    AddAgendaItem,
    MeetingEdit,
    RecordMinute,
    RemoveAgendaItem,
    SaveAgendaItem,
    SaveAttendance,
    push,
)
from ..models.meetings import (
    ActionsArisingModel,
    AgendaModel,
    AttendanceModel,
    MeetingListModel,
    document_text,
)
from ..widgets import ERROR_STYLE, hbox, table_view
from ..worker import Progress, Task
from ..written import show_outcome

DOCUMENT_FILTER = "Word documents and PDFs (*.docx *.pdf);;Other documents (*.doc *.odt *.rtf)"
ITEM_TYPES = ("Development Items", "Information Item", "Decision Item", "Performance Item")
_LETTER = re.compile(r"^\s*\(?[a-z]{1,2}\)\s+")


class MeetingsView(QWidget):
    title = "Meetings"

    def __init__(self, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.reg = edits.reg
        self.setAccessibleName("Meetings")
        self.meeting: Meeting | None = None
        self.current_uuid = ""
        self.task: Task | None = None
        self.confirm_results = True  # tests turn off the "open it" dialog

        self.meetings = MeetingListModel(self.reg, self)
        self.meetings_table = table_view(self.meetings, "Meetings", self, sortable=False)
        self.meetings_table.setMaximumHeight(self.meetings_table.fontMetrics().height() * 7)
        header = self.meetings_table.horizontalHeader()
        header.setStretchLastSection(False)
        for column in range(self.meetings.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column == 0
                                        else QHeaderView.ResizeMode.ResizeToContents)
        self.agenda = AgendaModel(edits, self)
        self.table = table_view(self.agenda, "Agenda items", self, sortable=False)
        self.table.setToolTip("Drag an item to move it, or Alt+Up / Alt+Down; items are "
                              "renumbered as they move")
        self.table.setDragEnabled(True)
        self.table.setAcceptDrops(True)
        self.table.setDropIndicatorShown(True)
        self.table.setDragDropOverwriteMode(False)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.table.setDefaultDropAction(Qt.DropAction.MoveAction)

        self.up_button = self._button("Move &up", "Move the item up (Alt+Up)",
                                      lambda: self.move_item(-1))
        self.down_button = self._button("Move do&wn", "Move the item down (Alt+Down)",
                                        lambda: self.move_item(1))
        self.add_button = self._button("&Add an item", "Add an item to the end of the agenda",
                                       self.add_item)
        self.remove_button = self._button("Re&move the item", "Take the item off the agenda",
                                          self.remove_item)

        self.details = QTabWidget()
        self.details.setAccessibleName("Agenda item details")
        # Scrolled, so the window still fits a small laptop screen.
        self.details.addTab(scrolled(self._item_page()), "Item")
        self.details.addTab(scrolled(self._minutes_page()), "Minutes")

        agenda_pane = QWidget()
        agenda_layout = QVBoxLayout(agenda_pane)
        agenda_layout.setContentsMargins(0, 0, 0, 0)
        agenda_layout.addWidget(self.table, 1)
        agenda_layout.addLayout(hbox(self.up_button, self.down_button, self.add_button,
                                     self.remove_button))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(agenda_pane)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([650, 600])

        self.sections = QTabWidget()
        self.sections.setAccessibleName("Agenda and attendance")
        self.sections.addTab(splitter, "Agenda")
        self.sections.addTab(self._attendance_page(), "Attendance")

        self.pack_button = self._button("Build the public &pack…",
                                        "Build the public agenda pack as PDF",
                                        lambda: self.build_packs(None))
        self.both_button = self._button("Build both pac&ks…",
                                        "Build the public pack and the private pack of exempt "
                                        "items", lambda: self.build_packs(None, private=True))
        self.minutes_button = self._button("Write the mi&nutes…",
                                           "Write the minutes as a Word document",
                                           lambda: self.write_minutes(None))
        self.include_private = QCheckBox("Include private items in the minutes")
        self.include_private.setAccessibleName("Include private items in the minutes")
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setAccessibleName("Last pack or minutes written")

        self.heading = QLabel()
        self.heading.setAccessibleName("The meeting shown")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Meetings</b>: pick one to arrange its agenda and record it"))
        layout.addWidget(self.meetings_table)
        layout.addWidget(self.heading)
        layout.addWidget(self.sections, 1)
        layout.addLayout(hbox(self.pack_button, self.both_button, self.minutes_button,
                              self.include_private))
        layout.addWidget(self.result)

        self.meetings_table.selectionModel().selectionChanged.connect(self._meeting_selected)
        self.table.selectionModel().selectionChanged.connect(self._item_selected)
        self.agenda.modelReset.connect(self._reselect)
        self.table.installEventFilter(self)  # Alt+Up / Alt+Down
        edits.changed.connect(self._changed)
        self.refresh()

    # --- building the panes ----------------------------------------------------------------------

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.setToolTip(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _line(self, name: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(name)
        edit.setPlaceholderText(placeholder)
        return edit

    def _item_page(self) -> QWidget:
        self.item_title = self._line("Item title")
        self.item_title.editingFinished.connect(self._commit_title)
        self.presenter = self._line("Presenter", "Who presents the item")
        self.presenter.editingFinished.connect(self._commit_presenter)
        self.item_type = QComboBox()
        self.item_type.setEditable(True)
        self.item_type.setAccessibleName("Item type")
        self.item_type.setToolTip("The heading the item sits under on the agenda")
        self.item_type.activated.connect(lambda _i: self._commit_item_type())
        self.item_type.lineEdit().editingFinished.connect(self._commit_item_type)
        self.part = QComboBox()
        self.part.setAccessibleName("Public or private business")
        self.part.addItem("Public", "public")
        self.part.addItem("Private (exempt)", "private")
        self.part.activated.connect(lambda _i: self._commit_part())
        self.exemption = QComboBox()
        self.exemption.setAccessibleName("Exemption paragraph")
        self.exemption.setToolTip("The paragraph of Part 1 of Schedule 12A to the Local "
                                  "Government Act 1972 the private item relies on")
        self._fill_exemptions("")
        self.exemption.activated.connect(lambda _i: self._commit_part())
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Problem with the item")
        self.document = QLabel()
        self.document.setWordWrap(True)
        self.document.setAccessibleName("The item's document")
        self.attach_button = self._button("Attach a &document…",
                                          "Attach a Word document or PDF to the item",
                                          lambda: self.attach_document(None))
        self.clear_button = self._button("&Clear", "Take the document off the item",
                                         self.clear_document)
        self.paper = QComboBox()
        self.paper.setAccessibleName("Paper in the register")
        self.link_button = self._button("&Link the paper", "Make the chosen paper the item's "
                                        "document", self.link_paper)
        form = QFormLayout()
        form.addRow(self._buddy("&Title:", self.item_title), self.item_title)
        form.addRow(self._buddy("Pre&senter:", self.presenter), self.presenter)
        form.addRow(self._buddy("Item t&ype:", self.item_type), self.item_type)
        form.addRow(self._buddy("Pa&rt:", self.part), self.part)
        form.addRow(self._buddy("E&xemption:", self.exemption), self.exemption)
        form.addRow("", self.message)
        form.addRow("Document:", self.document)
        form.addRow("", hbox(self.attach_button, self.clear_button))
        form.addRow("Paper:", hbox(self.paper, self.link_button))
        page = QWidget()
        page.setLayout(form)
        return page

    def _buddy(self, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)
        return label

    def _minutes_page(self) -> QWidget:
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
        self.record_button = self._button("&Record the minute",
                                          "Record the minute and decisions (Ctrl+Enter)",
                                          self.record_minute)
        self.lettered = QLabel()
        self.lettered.setWordWrap(True)
        self.lettered.setAccessibleName("The minute as recorded")
        self.arising = ActionsArisingModel(self)
        self.arising_table = table_view(self.arising, "Actions arising", self, sortable=False)
        self.action_text = self._line("New action arising", "Action arising (Enter adds it)")
        self.action_owner = self._line("Owner of the new action", "Owner")
        self.action_due = self._line("Due date of the new action", "Due (31/10/2017)")
        self.action_due.setMinimumWidth(130)
        for edit in (self.action_text, self.action_owner, self.action_due):
            edit.returnPressed.connect(self.add_action)
        self.action_button = self._button("Add the ac&tion", "Add the action arising",
                                          self.add_action)
        self.action_message = QLabel()
        self.action_message.setStyleSheet(ERROR_STYLE)
        self.action_message.setAccessibleName("Problem with the new action")
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self._buddy("Minute te&xt:", self.minute))
        layout.addWidget(self.minute, 2)
        layout.addWidget(self._buddy("RESOLVED t&hat:", self.resolved))
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
        return page

    def _attendance_page(self) -> QWidget:
        self.attendance = AttendanceModel(self)
        self.attendance_table = table_view(self.attendance, "Attendance", self, sortable=False)
        self.attendee_name = self._line("Name of the attendee", "Name")
        self.attendee_organisation = self._line("Organisation of the attendee", "Organisation")
        self.attendee_kind = QComboBox()
        self.attendee_kind.setAccessibleName("Attended as")
        for kind in ATTENDANCE_KINDS:
            self.attendee_kind.addItem(kind.capitalize(), kind)
        self.substitute_for = self._line("Substitute for", "Substitute for whom")
        self.attendee_kind.currentIndexChanged.connect(self._kind_chosen)
        self._kind_chosen()
        self.attendee_name.returnPressed.connect(self.add_attendee)
        self.add_attendee_button = self._button("Add the pers&on", "Add the person to the "
                                                "attendance", self.add_attendee)
        self.update_attendee_button = self._button("&Update the selected", "Update the selected "
                                                   "person's attendance", self.update_attendee)
        self.remove_attendee_button = self._button("Re&move the selected", "Take the selected "
                                                   "person off the attendance",
                                                   self.remove_attendee)
        self.membership_button = self._button("Add the mem&bership as present",
                                              "Add every member of the committee not yet "
                                              "listed, as present", self.add_membership)
        self.attendance_message = QLabel()
        self.attendance_message.setStyleSheet(ERROR_STYLE)
        self.attendance_message.setAccessibleName("Problem with the attendance")
        self.attendance_table.selectionModel().selectionChanged.connect(self._attendee_selected)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.attendance_table, 1)
        fields = QHBoxLayout()
        for widget, stretch in ((self.attendee_name, 2), (self.attendee_organisation, 3),
                                (self.attendee_kind, 0), (self.substitute_for, 2)):
            fields.addWidget(widget, stretch)
        layout.addLayout(fields)
        layout.addLayout(hbox(self.add_attendee_button, self.update_attendee_button,
                              self.remove_attendee_button, self.membership_button))
        layout.addWidget(self.attendance_message)
        return page

    def _fill_exemptions(self, current: str) -> None:
        self.exemption.clear()
        self.exemption.addItem("(choose the paragraph)", "")
        for paragraph, meaning in EXEMPTION_PARAGRAPHS.items():
            self.exemption.addItem(f"{paragraph}: {meaning}", paragraph)
        if current and self.exemption.findData(current) < 0:
            self.exemption.addItem(current, current)
        self.exemption.setCurrentIndex(max(self.exemption.findData(current), 0))

    # --- what is shown -----------------------------------------------------------------------

    def refresh(self) -> None:
        keep = self.meeting.ref if self.meeting else None
        self.meetings.reload()
        self.paper.clear()
        for ref, title in paper_refs(self.reg):
            self.paper.addItem(f"{ref}: {title}", ref)
        if not self.paper.count():
            self.paper.addItem("(no papers in the register yet)", None)
        self.paper.setEnabled(self.paper.itemData(0) is not None)
        self.link_button.setEnabled(self.paper.isEnabled())
        types = dict.fromkeys([*ITEM_TYPES, *store.item_types_in_use(self.reg)])
        self.item_type.clear()
        self.item_type.addItems(list(types))
        keys = self.meetings.keys
        row = next((n for n, m in enumerate(keys) if m.ref == keep), None)
        if row is None:  # the next meeting on or after the register's as-at date, else the last
            as_at = self.reg.default_as_at()
            row = next((n for n, m in enumerate(keys) if m.date >= as_at), len(keys) - 1)
        if row >= 0:
            self.meetings_table.selectRow(row)
        else:
            self.select_meeting(None)

    def select_meeting(self, meeting: Meeting | None) -> None:
        self._commit_minute()
        self.meeting = meeting
        self.current_uuid = ""
        self.agenda.set_meeting(meeting)
        self.heading.setText(f"<b>{meeting_heading(meeting)}</b>, {meeting.place}" if meeting
                             else "<i>No meetings in the register yet: import a forward plan "
                                  "(File, Import)</i>")
        self._show_attendance()
        for widget in (self.up_button, self.down_button, self.add_button, self.remove_button,
                       self.pack_button, self.both_button, self.minutes_button,
                       self.include_private, self.sections):
            widget.setEnabled(meeting is not None)
        if meeting is not None and self.agenda.rowCount():
            self.table.selectRow(0)
        else:
            self._show_item(None)

    def select_ref(self, ref: str) -> bool:
        row = next((n for n, m in enumerate(self.meetings.keys) if m.ref == ref), -1)
        if row >= 0:
            self.meetings_table.selectRow(row)
        return row >= 0

    def _meeting_selected(self, *_: Any) -> None:
        rows = self.meetings_table.selectionModel().selectedRows()
        meeting = self.meetings.keys[rows[0].row()] if rows else None
        if meeting is not None and self.meeting is not None and meeting.ref == self.meeting.ref:
            return
        self.select_meeting(meeting)

    def current_item(self) -> AgendaItem | None:
        row = self.agenda.row_of(self.current_uuid) if self.current_uuid else -1
        return self.agenda.item(row)

    def select_item(self, uuid: str) -> None:
        row = self.agenda.row_of(uuid)
        if row >= 0:
            self.table.selectRow(row)

    def _item_selected(self, *_: Any) -> None:
        rows = self.table.selectionModel().selectedRows()
        item = self.agenda.item(rows[0].row()) if rows else None
        if item is not None and item.uuid == self.current_uuid:
            return
        self._commit_minute()
        self._show_item(item)

    def _reselect(self) -> None:
        """After the agenda is read afresh in a new order (an undone move), keep the item."""
        if self.current_uuid and self.agenda.row_of(self.current_uuid) >= 0:
            self.table.selectRow(self.agenda.row_of(self.current_uuid))

    def _show_item(self, item: AgendaItem | None) -> None:
        self.current_uuid = item.uuid if item else ""
        self.details.setEnabled(item is not None)
        self.remove_button.setEnabled(item is not None)
        self.message.clear()
        self.action_message.clear()
        if item is None:
            for edit in (self.item_title, self.presenter):
                edit.clear()
            self.item_type.setEditText("")
            self.document.setText("<i>No item selected</i>")
            self.minute.clear()
            self.resolved.clear()
            self.lettered.clear()
            self.arising.show([])
            return
        self.item_title.setText(item.title)
        self.item_title.setCursorPosition(0)
        self.presenter.setText(item.presenter)
        self.presenter.setCursorPosition(0)
        self.item_type.setEditText(item.item_type)
        self.part.setCurrentIndex(max(self.part.findData(item.part), 0))
        self._fill_exemptions(item.exemption)
        self.exemption.setEnabled(item.private)
        if item.private and not item.exemption:
            self.message.setText("Choose the exemption paragraph this private item relies on; "
                                 "the agenda prints it.")
        self.document.setText(self._document_words(item))
        self.clear_button.setEnabled(item.has_document)
        self.minute.setPlainText(item.minute)
        self.resolved.setPlainText("\n".join(self._decisions(item)))
        self._show_minute(item)

    def _document_words(self, item: AgendaItem) -> str:
        if item.document is not None:
            return f"{item.document.filename} ({max(item.document.size // 1024, 1)} KB, kept in " \
                   "the register)"
        if item.paper_ref:
            return f"The paper {item.paper_ref}, written from the register when the pack is built"
        if item.minutes_of:
            return f"The minutes of {item.minutes_of}, written when the pack is built"
        return document_text(item)

    def _decisions(self, item: AgendaItem) -> list[str]:
        if self.meeting is None:
            return []
        return [d.text for d in store.decisions(self.reg, self.meeting)
                if d.item_number == item.number]

    def _show_minute(self, item: AgendaItem) -> None:
        assert self.meeting is not None
        decided = self._decisions(item)
        if item.minute_number:
            lines = [f"<b>Minute {item.minute_number} ({self.meeting.municipal_year})</b>"]
            if decided:
                lines[0] += " RESOLVED that:"
                lines += [f"({decision_letter(n)}) {html.escape(text)}"
                          for n, text in enumerate(decided, 1)]
            self.lettered.setText("<br>".join(lines))
        else:
            self.lettered.setText("<i>Nothing minuted yet</i>")
        self.arising.show([a for number, a in store.actions_arising(self.reg, self.meeting)
                           if number == item.number])

    def _show_attendance(self) -> None:
        self.attendance.show(store.attendance(self.reg, self.meeting) if self.meeting else [])

    def _changed(self, kind: str, ref: str) -> None:
        if kind == KIND:
            self.meetings.reload()
            if self.meeting is not None:
                row = next((n for n, m in enumerate(self.meetings.keys)
                            if m.ref == self.meeting.ref), -1)
                self.meetings_table.selectRow(row)
            self._show_attendance()
            item = self.current_item()
            if item is not None:
                self._show_item(item)
        elif kind == "papers":
            self.refresh()

    # --- arranging the agenda ----------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.table and event.type() == QEvent.Type.KeyPress
                and event.modifiers() == Qt.KeyboardModifier.AltModifier
                and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)):
            self.move_item(-1 if event.key() == Qt.Key.Key_Up else 1)
            return True
        if watched in (self.minute, self.resolved):
            if event.type() == QEvent.Type.FocusOut:
                self._commit_minute()  # never lose what was typed
            elif (event.type() == QEvent.Type.KeyPress
                  and event.modifiers() & Qt.KeyboardModifier.ControlModifier
                  and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
                self._commit_minute()
                return True
        return super().eventFilter(watched, event)

    def move_item(self, step: int) -> bool:
        row = self.agenda.row_of(self.current_uuid)
        moved = self.agenda.move(row, step)
        if moved:
            self.select_item(self.current_uuid)
            self.table.scrollTo(self.table.currentIndex())
        return moved

    def _push(self, command: MeetingEdit) -> bool:
        return push(self.edits, command)

    def _edit_item(self, text: str, document_path: Path | None = None, **changes: Any) -> bool:
        before = self.current_item()
        if before is None or self.meeting is None:
            return False
        after = dataclasses.replace(before, **changes)
        if after == before and document_path is None:
            return False
        return self._push(SaveAgendaItem(self.edits, self.meeting, before, after,
                                         f"{text} (item {before.number})", document_path))

    def _commit_title(self) -> None:
        item = self.current_item()
        title = " ".join(self.item_title.text().split())
        if item is None or title == item.title:
            return
        if not title:
            self.message.setText("An agenda item needs a title; not saved.")
            self.item_title.setText(item.title)
            return
        self.message.clear()
        self._edit_item(f"Title: {title}", title=title)

    def _commit_presenter(self) -> None:
        item = self.current_item()
        if item is not None:
            self._edit_item("Presenter", presenter=" ".join(self.presenter.text().split()))

    def _commit_item_type(self) -> None:
        item = self.current_item()
        if item is not None:
            self._edit_item("Item type", item_type=" ".join(self.item_type.currentText().split()))

    def _commit_part(self) -> None:
        item = self.current_item()
        if item is None:
            return
        part = self.part.currentData()
        exemption = (self.exemption.currentData() or item.exemption) if part == "private" else ""
        text = f"Private ({exemption or 'no paragraph'})" if part == "private" else "Public"
        self._edit_item(text, part=part, exemption=exemption)

    def set_private(self, exemption: str) -> bool:
        """Mark the selected item private, relying on the given paragraph ('Paragraph 3')."""
        self._fill_exemptions(exemption)
        self.part.setCurrentIndex(self.part.findData("private"))
        item = self.current_item()
        if item is None:
            return False
        return self._edit_item(f"Private ({exemption})", part="private", exemption=exemption)

    def attach_document(self, path: Path | None) -> bool:
        item = self.current_item()
        if item is None:
            return False
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self, f"Attach a document to item {item.number}", str(self.reg.path.parent),
                DOCUMENT_FILTER)
            if not chosen:
                return False
            path = Path(chosen)
        return self._edit_item(f"Attach {path.name}", document_path=path, paper_ref="",
                               minutes_of="")

    def link_paper(self) -> bool:
        ref = self.paper.currentData()
        if not ref:
            return False
        return self._edit_item(f"Link the paper {ref}", document=None, paper_ref=ref,
                               minutes_of="")

    def clear_document(self) -> bool:
        return self._edit_item("Clear the document", document=None, paper_ref="", minutes_of="")

    def add_item(self) -> bool:
        if self.meeting is None:
            return False
        item = AgendaItem(number=str(self.agenda.rowCount() + 1), title="New item")
        if not self._push(AddAgendaItem(self.edits, self.meeting, item,
                                        f"Add item {item.number}")):
            return False
        self.select_item(item.uuid)
        self.details.setCurrentIndex(0)
        self.item_title.setFocus()
        self.item_title.selectAll()
        return True

    def remove_item(self) -> bool:
        item = self.current_item()
        if item is None or self.meeting is None:
            return False
        return self._push(RemoveAgendaItem(self.edits, self.meeting, list(self.agenda.items),
                                           item, f"Take item {item.number} off the agenda"))

    # --- recording the meeting ---------------------------------------------------------------

    def _typed_decisions(self) -> list[str]:
        return [_LETTER.sub("", line).strip() for line in self.resolved.toPlainText().splitlines()
                if line.strip()]

    def _commit_minute(self) -> bool:
        item = self.current_item()
        if item is None or self.meeting is None:
            return False
        minute = self.minute.toPlainText().strip()
        resolved = self._typed_decisions()
        before = (item.minute, self._decisions(item))
        if (minute, resolved) == before:
            return False
        return self._push(RecordMinute(self.edits, self.meeting, item, before,
                                       (minute, resolved), f"Minute of item {item.number}"))

    def record_minute(self) -> bool:
        return self._commit_minute()

    def add_action(self) -> bool:
        item = self.current_item()
        if item is None or self.meeting is None:
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
        ok = self._push(AddActionArising(self.edits, self.meeting, item, description,
                                         self.action_owner.text(), self.action_due.text()))
        if ok:
            for edit in (self.action_text, self.action_owner, self.action_due):
                edit.clear()
            self.action_text.setFocus()
        return ok

    def _kind_chosen(self, *_: Any) -> None:
        self.substitute_for.setEnabled(self.attendee_kind.currentData() == "substitute")

    def _typed_attendee(self) -> Attendee | None:
        name = " ".join(self.attendee_name.text().split())
        if not name:
            self.attendance_message.setText("Type the person's name first.")
            return None
        self.attendance_message.clear()
        kind = self.attendee_kind.currentData()
        return Attendee(name, kind, " ".join(self.attendee_organisation.text().split()),
                        self.substitute_for.text().strip() if kind == "substitute" else "")

    def _save_attendance(self, after: list[Attendee], text: str) -> bool:
        if self.meeting is None:
            return False
        before = store.attendance(self.reg, self.meeting)
        if after == before:
            return False
        return self._push(SaveAttendance(self.edits, self.meeting, before, after, text))

    def add_attendee(self) -> bool:
        person = self._typed_attendee()
        if person is None or self.meeting is None:
            return False
        ok = self._save_attendance([*store.attendance(self.reg, self.meeting), person],
                                   f"{person.name}: {person.kind}")
        if ok:
            for edit in (self.attendee_name, self.attendee_organisation, self.substitute_for):
                edit.clear()
            self.attendee_name.setFocus()
        return ok

    def _selected_attendee_row(self) -> int:
        rows = self.attendance_table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _attendee_selected(self, *_: Any) -> None:
        row = self._selected_attendee_row()
        if row < 0:
            return
        person = self.attendance.keys[row]
        self.attendee_name.setText(person.name)
        self.attendee_organisation.setText(person.organisation)
        self.attendee_kind.setCurrentIndex(max(self.attendee_kind.findData(person.kind), 0))
        self.substitute_for.setText(person.substitute_for)

    def update_attendee(self) -> bool:
        row, person = self._selected_attendee_row(), self._typed_attendee()
        if row < 0 or person is None or self.meeting is None:
            return False
        people = store.attendance(self.reg, self.meeting)
        people[row] = person
        return self._save_attendance(people, f"{person.name}: {person.kind}")

    def remove_attendee(self) -> bool:
        row = self._selected_attendee_row()
        if row < 0 or self.meeting is None:
            return False
        people = store.attendance(self.reg, self.meeting)
        gone = people.pop(row)
        return self._save_attendance(people, f"Take {gone.name} off the attendance")

    def add_membership(self) -> bool:
        if self.meeting is None:
            return False
        committee = store.get_committee(self.reg, self.meeting.committee)
        people = store.attendance(self.reg, self.meeting)
        listed = {p.name for p in people}
        new = [Attendee(m.name, "present", m.organisation) for m in
               (committee.members if committee else []) if m.name not in listed]
        if not new:
            self.attendance_message.setText("Every member of the committee is listed already.")
            return False
        self.attendance_message.clear()
        return self._save_attendance([*people, *new], "Add the membership as present")

    # --- packs and minutes -------------------------------------------------------------------

    def _ask(self, title: str, suggested: str, filters: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(self, title, str(self.reg.path.with_name(suggested)),
                                                filters)
        return Path(chosen) if chosen else None

    def build_packs(self, out: Path | None, private: bool = False,
                    private_out: Path | None = None) -> Task | None:
        """The public pack (and, asked, the private pack beside it, "… (private).pdf")."""
        if self.meeting is None:
            return None
        self._commit_minute()
        out = out or self._ask("Build the agenda pack", f"{self.meeting.ref} agenda pack.pdf",
                               "PDF documents (*.pdf)")
        if out is None:
            return None
        if private and private_out is None:
            private_out = out.with_name(f"{out.stem} (private){out.suffix or '.pdf'}")
        path, ref, as_at = self.reg.path, self.meeting.ref, self.reg.default_as_at()

        def work(progress: Progress) -> Any:
            def step(_what: str, _done: int, _total: int) -> None:
                progress.check()  # Cancel stops between steps; the pack code leaves nothing

            progress.check()
            return outputs.build_pack(path, ref, out, private_out, as_at=as_at,
                                               progress=step)

        label = "Building the public and private packs…" if private_out else \
            "Building the agenda pack…"
        return self._run(label, work)

    def write_minutes(self, out: Path | None) -> Task | None:
        if self.meeting is None:
            return None
        self._commit_minute()
        out = out or self._ask("Write the minutes", f"{self.meeting.ref} minutes.docx",
                               "Word documents (*.docx)")
        if out is None:
            return None
        path, ref, private = self.reg.path, self.meeting.ref, self.include_private.isChecked()

        def work(progress: Progress) -> Path:
            progress.check()
            return outputs.write_minutes(path, ref, out, include_private=private)

        return self._run("Writing the minutes…", work)

    def _run(self, label: str, work: Any) -> Task:
        self.task = Task(label, work, self)
        self.task.finished.connect(self._finished)
        return self.task.start()

    def _finished(self, outcome: str, value: Any) -> None:
        if outcome != "done":
            show_outcome(self, self.result, outcome, str(value), None,
                         confirm=self.confirm_results)
            return
        result = value.pack
        if result is None:
            words = f"Wrote the minutes: {value.path}"
        else:
            words = f"Wrote the public pack: {result.public.path} ({result.public.pages} pages)"
            if result.private is not None:
                words += (f"; the private pack: {result.private.path} "
                          f"({result.private.pages} pages)")
            elif result.private_items_left_out:
                words += (f". {result.private_items_left_out} private item(s) left out; build "
                          "both packs to make the private one")
        show_outcome(self, self.result, outcome, words, value.path, value.notes,
                     confirm=self.confirm_results)


def scrolled(page: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area


def meeting_heading(meeting: Meeting) -> str:
    """'Coventry Health and Well-being Board, Monday 4 September 2017, 2.00 pm'."""
    when = f"{meeting.date:%A} {long_date(meeting.date)}"
    return ", ".join(p for p in (meeting.committee, when, display_time(meeting.time)) if p)
