"""Meetings: a committee officer picks a meeting, arranges its agenda (drag and drop, or
Alt+Up / Alt+Down), marks items public or private with their exemption paragraph, attaches a
document or links a paper, records attendance, minutes, RESOLVED decisions and actions arising
during the meeting, and builds the agenda packs and the minutes off the GUI thread.

This is the frame: the meeting list, the agenda table, the tabs that hold the parts (agenda.py
the item, minutes.py the minutes, attendance.py the attendance) and the pack and minutes
buttons. The parts make every edit, each an undoable command (gui.edits) written at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ....domain.board_dates import long_date
from ....domain.meetings import AgendaItem, Meeting, display_time
from ....services import outputs
from ...edits import Edits
from ...edits.meetings import KIND
from ...models.meetings import AgendaModel, MeetingListModel
from ...widgets import hbox, table_view
from ...worker import Progress, Task
from ...written import show_outcome
from .agenda import AgendaItemEditor
from .attendance import AttendanceEditor
from .interests import InterestsEditor
from .minutes import MinutesEditor
from .parts import Selection, button, scrolled


class MeetingsView(QWidget):
    title = "Meetings"

    def __init__(self, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.reg = edits.reg
        self.setAccessibleName("Meetings")
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
        self.selection = Selection(self.agenda)
        self.table = table_view(self.agenda, "Agenda items", self, sortable=False)
        self.table.setToolTip("Drag an item to move it, or Alt+Up / Alt+Down; items are "
                              "renumbered as they move")
        self.table.setDragEnabled(True)
        self.table.setAcceptDrops(True)
        self.table.setDropIndicatorShown(True)
        self.table.setDragDropOverwriteMode(False)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.table.setDefaultDropAction(Qt.DropAction.MoveAction)

        # The parts: each is handed the undo stack and the selection, and makes its own edits.
        self.item_editor = AgendaItemEditor(edits, self.selection)
        self.minutes_editor = MinutesEditor(edits, self.selection)
        self.attendance_editor = AttendanceEditor(edits, self.selection)
        self.interests_editor = InterestsEditor(edits, self.selection)

        self.up_button = button("Move &up", "Move the item up (Alt+Up)",
                                lambda: self.item_editor.move_item(-1))
        self.down_button = button("Move do&wn", "Move the item down (Alt+Down)",
                                  lambda: self.item_editor.move_item(1))
        self.add_button = button("&Add an item", "Add an item to the end of the agenda",
                                 self.item_editor.add_item)
        self.remove_button = button("Re&move the item", "Take the item off the agenda",
                                    self.item_editor.remove_item)

        self.details = QTabWidget()
        self.details.setAccessibleName("Agenda item details")
        # Scrolled, so the window still fits a small laptop screen.
        self.details.addTab(scrolled(self.item_editor), "Item")
        self.details.addTab(scrolled(self.minutes_editor), "Minutes")

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
        self.sections.setAccessibleName("Agenda, attendance and interests")
        self.sections.addTab(splitter, "Agenda")
        self.sections.addTab(self.attendance_editor, "Attendance")
        self.sections.addTab(self.interests_editor, "Interests and declarations")

        self.pack_button = button("Build the public &pack…", "Build the public agenda pack as PDF",
                                  lambda: self.build_packs(None))
        self.both_button = button("Build both pac&ks…",
                                  "Build the public pack and the private pack of exempt items",
                                  lambda: self.build_packs(None, private=True))
        self.minutes_button = button("Write the mi&nutes…", "Write the minutes as a Word document",
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
        self.item_editor.added.connect(self._show_added)
        self.item_editor.moved.connect(self._follow)
        edits.changed.connect(self._changed)
        self.refresh()

    # --- what is shown -----------------------------------------------------------------------

    @property
    def meeting(self) -> Meeting | None:
        return self.selection.meeting

    def refresh(self) -> None:
        keep = self.meeting.ref if self.meeting else None
        self.meetings.reload()
        self.item_editor.refresh()
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
        self.minutes_editor.record_minute()
        self.selection.uuid = ""
        self.agenda.set_meeting(meeting)
        self.heading.setText(f"<b>{meeting_heading(meeting)}</b>, {meeting.place}" if meeting
                             else "<i>No meetings in the register yet: import a forward plan "
                                  "(File, Import)</i>")
        self.attendance_editor.show_meeting()
        self.interests_editor.show_meeting()
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
        return self.selection.item()

    def select_item(self, uuid: str) -> None:
        row = self.agenda.row_of(uuid)
        if row >= 0:
            self.table.selectRow(row)

    def _item_selected(self, *_: Any) -> None:
        rows = self.table.selectionModel().selectedRows()
        item = self.agenda.item(rows[0].row()) if rows else None
        if item is not None and item.uuid == self.selection.uuid:
            return
        self.minutes_editor.record_minute()  # what was typed for the item being left
        self._show_item(item)

    def _reselect(self) -> None:
        """After the agenda is read afresh in a new order (an undone move), keep the item."""
        row = self.agenda.row_of(self.selection.uuid) if self.selection.uuid else -1
        if row >= 0:
            self.table.selectRow(row)

    def _show_item(self, item: AgendaItem | None) -> None:
        self.selection.uuid = item.uuid if item else ""
        self.details.setEnabled(item is not None)
        self.remove_button.setEnabled(item is not None)
        self.item_editor.show_item(item)
        self.minutes_editor.show_item(item)

    def _show_added(self, uuid: str) -> None:
        self.select_item(uuid)
        self.details.setCurrentIndex(0)  # the item's pane, where its title is typed

    def _follow(self, uuid: str) -> None:
        self.select_item(uuid)
        self.table.scrollTo(self.table.currentIndex())

    def _changed(self, kind: str, ref: str) -> None:
        if kind == KIND:
            self.meetings.reload()
            if self.meeting is not None:
                row = next((n for n, m in enumerate(self.meetings.keys)
                            if m.ref == self.meeting.ref), -1)
                self.meetings_table.selectRow(row)
            self.attendance_editor.show_meeting()
            item = self.current_item()
            if item is not None:
                self._show_item(item)
        elif kind == "papers":
            self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.table and event.type() == QEvent.Type.KeyPress
                and event.modifiers() == Qt.KeyboardModifier.AltModifier
                and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)):
            self.item_editor.move_item(-1 if event.key() == Qt.Key.Key_Up else 1)
            return True
        return super().eventFilter(watched, event)

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
        self.minutes_editor.record_minute()
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
            return outputs.build_pack(path, ref, out, private_out, as_at=as_at, progress=step)

        label = "Building the public and private packs…" if private_out else \
            "Building the agenda pack…"
        return self._run(label, work)

    def write_minutes(self, out: Path | None) -> Task | None:
        if self.meeting is None:
            return None
        self.minutes_editor.record_minute()
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


def meeting_heading(meeting: Meeting) -> str:
    """'Coventry Health and Well-being Board, Monday 4 September 2017, 2.00 pm'."""
    when = f"{meeting.date:%A} {long_date(meeting.date)}"
    return ", ".join(p for p in (meeting.committee, when, display_time(meeting.time)) if p)
