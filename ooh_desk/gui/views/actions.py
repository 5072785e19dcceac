"""Actions: overdue in words and colour, where each came from, and the status to update."""

from __future__ import annotations

import dataclasses
import re
from html import escape
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from ...domain.records import rebuild_record
from ...store import records
from ..edits import Edits
from ..forms import Field, RecordActions, RecordForm
from ..models import ActionModel, RecordProxy
from ..widgets import hbox, table_view

ACTION_FIELDS = [
    Field("description", "&Description", "text"),
    Field("owner", "O&wner"),
    Field("due", "D&ue", "date"),
    Field("source", "Sou&rce"),
    Field("status", "S&tatus", "status"),
]


class ActionsView(QWidget):
    title = "Actions"
    # ("risks", "R-004"): the user asked to see the risk an action came from.
    source_requested = Signal(str, str)

    def __init__(self, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.reg = edits.reg
        self.setAccessibleName("Actions")
        self.model = ActionModel(self.reg, parent=self)
        self.proxy = RecordProxy(self.model, self)
        self.table = table_view(self.proxy, "Actions table", self)
        self.overdue_only = QCheckBox("Show &overdue actions only")
        self.overdue_only.setAccessibleName("Show overdue actions only")
        self.overdue_only.toggled.connect(
            lambda on: self.proxy.set_predicate((lambda row: row.overdue) if on else None))
        self.selected = QLabel("<i>No action selected</i>")
        self.form = RecordForm("actions", ACTION_FIELDS)
        self.form.edited.connect(self._edit)
        self.status = self.form.widgets["status"]
        self.status.setAccessibleName("Status of the selected action")
        self.action: Any | None = None
        self.record_actions = RecordActions(self, edits, "actions", self.table, ACTION_FIELDS[:4],
                                            lambda: self.action,
                                            lambda a: f"{a.ref}: {a.description}")
        layout = QVBoxLayout(self)
        layout.addLayout(hbox(self.overdue_only, self.record_actions.new_button,
                              self.record_actions.delete_button))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.selected)
        layout.addWidget(self.form)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.table.activated.connect(lambda _index: self.open_source())  # Enter or double-click
        self.table.setToolTip("Enter or double-click: go to the risk or feedback it came from")
        edits.changed.connect(self._changed)
        self.form.set_record(None)

    def _selected(self, *_: Any) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.show_action(records.get_record(self.reg, "actions",
                                            self.proxy.record(rows[0].row()).ref)
                         if rows else None)

    def show_action(self, action: Any | None) -> None:
        self.action = action
        self.form.set_record(action)
        self.selected.setText(f"<b>{escape(action.ref)}</b>" if action
                              else "<i>No action selected</i>")

    def open_source(self) -> bool:
        """Go to the risk or feedback item the selected action came from, if it names one."""
        if self.action is None:
            return False
        found = re.search(r"\b([RF])-\d+\b", self.action.source)
        if not found:
            return False
        self.source_requested.emit("risks" if found.group(1) == "R" else "feedback", found.group(0))
        return True

    def _edit(self, name: str, value: Any) -> None:
        before = self.action
        if before is None or getattr(before, name) == value:
            return
        after = dataclasses.replace(before, **{name: value})
        after, problems = rebuild_record("actions", after)
        if problems:  # at the field, in words; nothing written
            for p in self.form.show_problems(problems):
                self.form.show_problem(name, p.message[:1].upper() + p.message[1:] + ".")
            return
        text = f"Set {before.ref} to {value}" if name == "status" else \
            f"Edit the {name} of {before.ref}"
        if not self.edits.save("actions", before, after, text):
            self.show_action(before)

    def _changed(self, kind: str, ref: str) -> None:
        if kind != "actions":
            return
        self.model.reload()
        if self.overdue_only.isChecked():
            self.proxy.set_predicate(lambda row: row.overdue)
        row = self.model.row_of(ref)
        if row >= 0:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if index.isValid():
                self.table.selectRow(index.row())
                self.show_action(records.get_record(self.reg, "actions", ref))
                return
        self.show_action(None)
