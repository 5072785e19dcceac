"""The attendance pane of the Meetings view: who was present, sent apologies or came as a
substitute (and for whom), typed in one by one or the committee's membership added as present.
Every change is one undoable command (gui.edits) written at once."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ....domain.meetings import ATTENDANCE_KINDS, Attendee
from ....store import meetings as store
from ...edits import Edits, push
from ...edits.meetings import SaveAttendance
from ...models.meetings import AttendanceModel
from ...widgets import ERROR_STYLE, hbox, table_view
from .parts import Selection, button, line_edit


class AttendanceEditor(QWidget):
    def __init__(self, edits: Edits, selection: Selection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.reg = edits.reg
        self.selection = selection

        self.attendance = AttendanceModel(self)
        self.attendance_table = table_view(self.attendance, "Attendance", self, sortable=False)
        self.attendee_name = line_edit("Name of the attendee", "Name")
        self.attendee_organisation = line_edit("Organisation of the attendee", "Organisation")
        self.attendee_kind = QComboBox()
        self.attendee_kind.setAccessibleName("Attended as")
        for kind in ATTENDANCE_KINDS:
            self.attendee_kind.addItem(kind.capitalize(), kind)
        self.substitute_for = line_edit("Substitute for", "Substitute for whom")
        self.attendee_kind.currentIndexChanged.connect(self._kind_chosen)
        self._kind_chosen()
        self.attendee_name.returnPressed.connect(self.add_attendee)
        self.add_attendee_button = button("Add the pers&on", "Add the person to the attendance",
                                          self.add_attendee)
        self.update_attendee_button = button("&Update the selected", "Update the selected "
                                             "person's attendance", self.update_attendee)
        self.remove_attendee_button = button("Re&move the selected", "Take the selected person "
                                             "off the attendance", self.remove_attendee)
        self.membership_button = button("Add the mem&bership as present",
                                        "Add every member of the committee not yet listed, as "
                                        "present", self.add_membership)
        self.attendance_message = QLabel()
        self.attendance_message.setStyleSheet(ERROR_STYLE)
        self.attendance_message.setAccessibleName("Problem with the attendance")
        self.attendance_table.selectionModel().selectionChanged.connect(self._attendee_selected)
        layout = QVBoxLayout(self)
        layout.addWidget(self.attendance_table, 1)
        fields = QHBoxLayout()
        for widget, stretch in ((self.attendee_name, 2), (self.attendee_organisation, 3),
                                (self.attendee_kind, 0), (self.substitute_for, 2)):
            fields.addWidget(widget, stretch)
        layout.addLayout(fields)
        layout.addLayout(hbox(self.add_attendee_button, self.update_attendee_button,
                              self.remove_attendee_button, self.membership_button))
        layout.addWidget(self.attendance_message)

    def show_meeting(self) -> None:
        """The attendance of the meeting shown, as the register has it."""
        meeting = self.selection.meeting
        self.attendance.show(store.attendance(self.reg, meeting) if meeting else [])

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
        meeting = self.selection.meeting
        if meeting is None:
            return False
        before = store.attendance(self.reg, meeting)
        if after == before:
            return False
        return push(self.edits, SaveAttendance(self.edits, meeting, before, after, text))

    def add_attendee(self) -> bool:
        person, meeting = self._typed_attendee(), self.selection.meeting
        if person is None or meeting is None:
            return False
        ok = self._save_attendance([*store.attendance(self.reg, meeting), person],
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
        row, person, meeting = (self._selected_attendee_row(), self._typed_attendee(),
                                self.selection.meeting)
        if row < 0 or person is None or meeting is None:
            return False
        people = store.attendance(self.reg, meeting)
        people[row] = person
        return self._save_attendance(people, f"{person.name}: {person.kind}")

    def remove_attendee(self) -> bool:
        row, meeting = self._selected_attendee_row(), self.selection.meeting
        if row < 0 or meeting is None:
            return False
        people = store.attendance(self.reg, meeting)
        gone = people.pop(row)
        return self._save_attendance(people, f"Take {gone.name} off the attendance")

    def add_membership(self) -> bool:
        meeting = self.selection.meeting
        if meeting is None:
            return False
        committee = store.get_committee(self.reg, meeting.committee)
        people = store.attendance(self.reg, meeting)
        listed = {p.name for p in people}
        new = [Attendee(m.name, "present", m.organisation) for m in
               (committee.members if committee else []) if m.name not in listed]
        if not new:
            self.attendance_message.setText("Every member of the committee is listed already.")
            return False
        self.attendance_message.clear()
        return self._save_attendance([*people, *new], "Add the membership as present")
