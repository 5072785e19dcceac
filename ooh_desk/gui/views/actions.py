"""Actions: overdue in words and colour, where each came from, and the status to update."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QVBoxLayout, QWidget

from ...domain.records import ACTION_STATUSES
from ..edits import Edits
from ..models import ActionModel, RecordProxy
from ..widgets import hbox, table_view


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
        self.status = QComboBox()
        self.status.setAccessibleName("Status of the selected action")
        for s in ACTION_STATUSES:
            self.status.addItem(s.capitalize(), s)
        self.status.activated.connect(lambda _i: self._set_status(self.status.currentData()))
        self.selected = QLabel("<i>No action selected</i>")
        layout = QVBoxLayout(self)
        layout.addLayout(hbox(self.overdue_only))
        layout.addWidget(self.table, 1)
        layout.addLayout(hbox(self.selected, QLabel("Status:"), self.status))
        self.action: Any | None = None
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.table.activated.connect(lambda _index: self.open_source())  # Enter or double-click
        self.table.setToolTip("Enter or double-click: go to the risk or feedback it came from")
        edits.changed.connect(self._changed)
        self.status.setEnabled(False)

    def _selected(self, *_: Any) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.action = self.reg.get("actions", self.proxy.record(rows[0].row()).ref) if rows else None
        self.status.setEnabled(self.action is not None)
        if self.action:
            self.selected.setText(f"<b>{self.action.ref}</b>: {self.action.description}")
            self.status.setCurrentIndex(max(self.status.findData(self.action.status), 0))

    def open_source(self) -> bool:
        """Go to the risk or feedback item the selected action came from, if it names one."""
        if self.action is None:
            return False
        found = re.search(r"\b([RF])-\d+\b", self.action.source)
        if not found:
            return False
        self.source_requested.emit("risks" if found.group(1) == "R" else "feedback", found.group(0))
        return True

    def _set_status(self, status: str) -> None:
        before = self.action
        if before is None or before.status == status:
            return
        after = dataclasses.replace(before, status=status)
        if not self.edits.save("actions", before, after, f"Set {before.ref} to {status}"):
            self.status.setCurrentIndex(max(self.status.findData(before.status), 0))

    def _changed(self, kind: str, ref: str) -> None:
        if kind == "actions":
            self.model.reload()
            if self.overdue_only.isChecked():
                self.proxy.set_predicate(lambda row: row.overdue)
