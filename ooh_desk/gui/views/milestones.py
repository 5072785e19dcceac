"""Milestones: the table with RAG in words and colour, a timeline strip of baseline against
forecast, and board dates typed as people write them, with what they mean shown live."""

from __future__ import annotations

import dataclasses
from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...domain.records import milestone_rag, rebuild_record
from ...store import programme, records
from ...store.queries import distinct_values
from ..colours import RAG_COLOURS, fill, ink_for
from ..edits import Edits
from ..forms import Field, RecordActions, RecordForm
from ..models import MilestoneModel, RecordProxy
from ..widgets import hbox, scrolling, table_view

NEW_MILESTONE_FIELDS = [
    Field("title", "&Title"),
    Field("workstream", "&Workstream"),
    Field("owner", "&Owner"),
    Field("baseline", "&Baseline", "date"),
    Field("forecast", "&Forecast", "date"),
    Field("notes", "&Notes", "text"),
]


class Timeline(QWidget):
    """Baseline (thin grey bar) against forecast (RAG-coloured bar) for the milestones the table
    has fetched, with a line at the report date."""

    ROW = 18

    def __init__(self, model: MilestoneModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.setAccessibleName("Milestone timeline: baseline against forecast")
        self.setMinimumHeight(120)
        model.modelReset.connect(self.update)
        model.rowsInserted.connect(self.update)

    def sizeHint(self) -> QSize:
        return QSize(600, min(self.model.rowCount(), 12) * self.ROW + 30)

    def paintEvent(self, event: object) -> None:
        rows = [self.model.record(n) for n in range(self.model.rowCount())]
        spans = [d for r in rows for d in (r.milestone.baseline, r.milestone.forecast,
                                           r.milestone.actual) if d]
        p = QPainter(self)
        p.setPen(self.palette().windowText().color())
        if not spans:
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No dated milestones")
            p.end()
            return
        first = min(d.earliest for d in spans)
        last = max(d.latest for d in spans)
        days = max((last - first).days, 1)
        label_w = self.fontMetrics().horizontalAdvance("M-000 ") + 4
        width = max(self.width() - label_w - 10, 10)
        # Every fetched milestone on the strip if it fits, rows no thinner than the text.
        row_h = max(min(self.ROW, (self.height() - 24) / max(len(rows), 1)),
                    self.fontMetrics().height())
        visible = max(int((self.height() - 24) // row_h), 1)

        def x(d: date) -> float:
            return label_w + (d - first).days / days * width

        for n, row in enumerate(rows[:visible]):
            y = 4 + n * row_h
            m = row.milestone
            p.setPen(self.palette().windowText().color())
            p.drawText(QRectF(2, y, label_w, row_h), Qt.AlignmentFlag.AlignVCenter, m.ref)
            if m.baseline:
                p.fillRect(QRectF(x(m.baseline.earliest), y + row_h * 0.7,
                                  max(x(m.baseline.latest) - x(m.baseline.earliest), 3), 2),
                           self.palette().windowText())
            due = m.actual or m.forecast or m.baseline
            if due:
                bar = QRectF(x(due.earliest), y + 2, max(x(due.latest) - x(due.earliest), 5),
                             row_h * 0.55)
                p.fillRect(bar, fill(RAG_COLOURS[row.rag]))
                p.setPen(QPen(self.palette().mid().color(), 1))
                p.drawRect(bar)
        as_at = self.model.as_at
        if first <= as_at <= last:
            p.setPen(QPen(fill("B00020"), 1, Qt.PenStyle.DashLine))
            p.drawLine(int(x(as_at)), 0, int(x(as_at)), self.height() - 18)
        p.setPen(self.palette().windowText().color())
        p.drawText(QRectF(label_w, self.height() - 18, width, 16), Qt.AlignmentFlag.AlignLeft,
                   first.strftime("%b %Y"))
        p.drawText(QRectF(label_w, self.height() - 18, width, 16), Qt.AlignmentFlag.AlignRight,
                   last.strftime("%b %Y"))
        p.drawText(QRectF(label_w, self.height() - 18, width, 16), Qt.AlignmentFlag.AlignHCenter,
                   "thin line: baseline · bar: forecast or actual, in its RAG colour · "
                   "dashed line: report date")
        p.end()


class MilestonesView(QWidget):
    title = "Milestones"

    def __init__(self, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.reg = edits.reg
        self.setAccessibleName("Milestones")
        self.model = MilestoneModel(self.reg, parent=self)
        self.proxy = RecordProxy(self.model, self)
        self.table = table_view(self.proxy, "Milestones table", self)
        self.timeline = Timeline(self.model)
        self.milestone: Any | None = None
        self.heading = QLabel("<i>No milestone selected</i>")
        self.heading.setWordWrap(True)
        self.rag = QLabel()
        self.rag.setAccessibleName("RAG status")
        self.rag.setWordWrap(True)
        self.form = RecordForm("milestones", [
            Field("title", "&Title"),
            Field("workstream", "&Workstream",
                  suggest=lambda: [w.name for w in programme.workstreams(self.reg)]),
            Field("owner", "&Owner", suggest=lambda: distinct_values(self.reg, "milestones", "owner")),
            Field("baseline", "&Baseline", "date"),
            Field("forecast", "&Forecast", "date"),
            Field("actual", "&Actual", "date"),
            Field("status", "&Status", "status"),
            Field("notes", "&Notes", "text"),
        ])
        self.form.edited.connect(self._edit)
        self.baseline, self.forecast, self.actual, self.status = (
            self.form.widgets[n] for n in ("baseline", "forecast", "actual", "status"))
        self.record_actions = RecordActions(self, edits, "milestones", self.table,
                                            NEW_MILESTONE_FIELDS, lambda: self.milestone)
        detail = QWidget()
        form = QFormLayout(detail)
        form.addRow(self.heading)
        form.addRow("RAG:", self.rag)
        form.addRow(self.form)
        form.addRow(hbox(self.record_actions.new_button, self.record_actions.delete_button))
        scroll = scrolling(detail, "Milestone detail")
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.table)
        top.addWidget(scroll)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 1)
        outer = QSplitter(Qt.Orientation.Vertical)
        outer.setObjectName("milestones_splitter")
        outer.addWidget(top)
        outer.addWidget(self.timeline)
        outer.setStretchFactor(0, 3)
        outer.setStretchFactor(1, 2)
        outer.setSizes([470, 300])
        QVBoxLayout(self).addWidget(outer)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        edits.changed.connect(self._changed)
        self.show_milestone(None)
        if self.proxy.rowCount():
            self.table.selectRow(0)

    def _selected(self, *_: Any) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.show_milestone(records.get_record(self.reg, "milestones",
                                                   self.proxy.record(rows[0].row()).ref))

    def show_milestone(self, m: Any | None) -> None:
        self.milestone = m
        self.form.set_record(m)
        if m is None:
            self.heading.setText("<i>No milestone selected</i>")
            self.rag.clear()
            self.rag.setStyleSheet("")
            return
        self.heading.setText(f"<h3>{escape(m.ref)}: {escape(m.title)}</h3>")
        p = self.reg.programme
        rag = milestone_rag(m, self.model.as_at, p.rag_tolerance_days, p.amber_window_days)
        self.rag.setText(f"{rag.status}: {rag.reason}")
        colour = RAG_COLOURS[rag.status]
        self.rag.setStyleSheet(f"background: #{colour}; color: {ink_for(colour).name()}; "
                               "padding: 2px 6px;")

    def _edit(self, name: str, value: Any) -> None:
        before = self.milestone
        if before is None or getattr(before, name) == value:
            return
        after = dataclasses.replace(before, **{name: value})
        after, problems = rebuild_record("milestones", after)
        if problems:  # shown at the field, in words; nothing written
            for p in self.form.show_problems(problems):
                self.form.show_problem(name, p.message[:1].upper() + p.message[1:] + ".")
            return
        shown = value.text if hasattr(value, "text") else (value or "nothing")
        text = f"Set the {name} of {before.ref} to {shown}" if name in (
            "baseline", "forecast", "actual", "status") else f"Edit the {name} of {before.ref}"
        if not self.edits.save("milestones", before, after, text):
            self.show_milestone(before)

    def _changed(self, kind: str, ref: str) -> None:
        if kind != "milestones":
            return
        self.model.reload()
        row = self.model.row_of(ref)
        if row < 0 and self.model.rowCount():
            row = 0  # it was deleted: show the first
        if row < 0:
            self.show_milestone(None)
            return
        self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
        self.show_milestone(records.get_record(self.reg, "milestones",
                                               self.model.ref_of(self.model.record(row))))
