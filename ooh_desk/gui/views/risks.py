"""Risks: the table (sort, filter by band, owner, status and workstream, full-text search) and
a detail pane whose inherent / current / target pickers show the score and band as you choose
and write each completed choice to the register as one undoable edit."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...domain.records import RISK_STATUSES
from ...domain.scoring import TREND_ARROWS, TREND_WORDS, trend
from ...services import UserError, distinct_values
from ...store import RegisterError
from ..edits import Edits
from ..models import MitigationModel, RecordProxy, RiskModel, ScoreHistoryModel
from ..widgets import RatingPicker, hbox, table_view

ALL = "(all)"


def filter_combo(name: str, values: list[str], plural: str | None = None) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(f"Filter by {name}")
    combo.addItem(f"All {plural or name + 's'}", None)
    for value in values:
        combo.addItem(value[:1].upper() + value[1:], value)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    return combo


class RisksView(QWidget):
    title = "Risks"

    def __init__(self, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.reg = edits.reg
        self.setAccessibleName("Risks")
        self.model = RiskModel(self.reg, parent=self)
        self.proxy = RecordProxy(self.model, self)
        self.table = table_view(self.proxy, "Risk register table", self)
        score = [c.title for c in self.model.columns].index("Score")
        self.table.sortByColumn(score, Qt.SortOrder.DescendingOrder)  # the worst risks first
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search risks (Ctrl+F)")
        self.search.setAccessibleName("Search risks")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self.search_problem = QLabel()
        programme = self.reg.programme
        self.band = filter_combo("band", [b.name for b in reversed(programme.bands)])
        self.owner = filter_combo("owner", distinct_values(self.reg, "risks", "owner"))
        self.status = filter_combo("status", list(RISK_STATUSES), "statuses")
        self.workstream = filter_combo("workstream", distinct_values(self.reg, "risks", "workstream"))
        self.shown = QLabel()
        self.shown.setAccessibleName("How many risks are shown")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        for name, combo in (("band", self.band), ("owner", self.owner), ("status", self.status),
                            ("workstream", self.workstream)):
            combo.currentIndexChanged.connect(
                lambda _i, n=name, c=combo: self._filter(n, c.currentData()))
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)

        # The detail pane.
        self.current_risk: Any | None = None
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("Selected risk")
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.inherent = RatingPicker("Inherent", programme.bands)
        self.current = RatingPicker("Current", programme.bands, required=True)
        self.target = RatingPicker("Target", programme.bands)
        for field, picker in (("inherent", self.inherent), ("current", self.current),
                              ("target", self.target)):
            picker.chosen.connect(lambda rating, f=field: self._rate(f, rating))
        self.controls = QLabel()
        self.controls.setWordWrap(True)
        self.controls.setAccessibleName("Existing controls")
        self.mitigations = MitigationModel(self)
        self.history = ScoreHistoryModel(self)
        self.trend = QLabel()
        self.trend.setAccessibleName("Trend")
        detail = QWidget()
        form = QFormLayout(detail)
        form.addRow(self.heading)
        form.addRow(self.description)
        form.addRow(self.inherent)
        form.addRow(self.current)
        form.addRow(self.target)
        form.addRow("Controls:", self.controls)
        form.addRow(QLabel("<b>Mitigating actions</b>"))
        form.addRow(table_view(self.mitigations, "Mitigating actions", sortable=False))
        form.addRow(QLabel("<b>Score history</b>"), self.trend)
        form.addRow(table_view(self.history, "Score history", sortable=False))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(detail)
        scroll.setAccessibleName("Risk detail")

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addLayout(hbox(self.search, self.band, self.owner, self.status, self.workstream,
                          stretch_last=True))
        lv.addWidget(self.search_problem)
        lv.addWidget(self.table, 1)
        lv.addWidget(self.shown)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("risks_splitter")
        splitter.addWidget(left)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([760, 500])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.search_problem.hide()
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.model.modelReset.connect(self._count)
        self.model.rowsInserted.connect(self._count)
        edits.changed.connect(self._changed)
        self._count()
        self.show_risk(None)
        if self.proxy.rowCount():
            self.table.selectRow(0)

    # --- the table --------------------------------------------------------------------------

    def _count(self, *_: Any) -> None:
        self.shown.setText(f"{self.model.total()} of {self.reg.count('risks')} risks shown")

    def _filter(self, name: str, value: str | None) -> None:
        self.model.set_filter(name, value)
        self._reselect()

    def _apply_search(self) -> None:
        try:
            self.model.set_query(search=self.search.text())
            self.search_problem.hide()
        except (UserError, RegisterError) as exc:
            self.search_problem.setText(str(exc))
            self.search_problem.show()
        self._reselect()

    def _reselect(self, ref: str | None = None) -> None:
        ref = ref or (self.current_risk.ref if self.current_risk else None)
        row = self.model.row_of(ref) if ref else -1
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
        else:
            self.show_risk(None)

    def _selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        ref = self.proxy.record(rows[0].row()).ref
        self.show_risk(self.reg.get("risks", ref))

    def select_ref(self, ref: str) -> None:
        self._reselect(ref)

    # --- the detail pane ----------------------------------------------------------------------

    def show_risk(self, risk: Any | None) -> None:
        self.current_risk = risk
        for w in (self.inherent, self.current, self.target):
            w.setEnabled(risk is not None)
        if risk is None:
            self.heading.setText("<i>No risk selected</i>")
            self.description.clear()
            self.controls.clear()
            for picker in (self.inherent, self.current, self.target):
                picker.set_rating(None)
            self.mitigations.show(None)
            self.history.show([], self.reg.programme.bands)
            self.trend.clear()
            return
        status = risk.status.capitalize()
        self.heading.setText(f"<h3>{risk.ref}: {risk.title}</h3>Owner: {risk.owner or 'none'} · "
                             f"Status: {status} · Workstream: {risk.workstream or 'none'}")
        self.description.setText(risk.description)
        self.inherent.set_rating(risk.inherent)
        self.current.set_rating(risk.current)
        self.target.set_rating(risk.target)
        self.controls.setText(risk.controls or "None recorded")
        self.mitigations.show(risk)
        history = self.reg.score_history(risk.uuid)
        self.history.show(history, self.reg.programme.bands)
        direction = trend([h["score"] for h in history])
        self.trend.setText(f"{TREND_ARROWS[direction]} {TREND_WORDS[direction]}")

    def _rate(self, field: str, rating: Any) -> None:
        before = self.current_risk
        if before is None or getattr(before, field) == rating:
            return
        after = dataclasses.replace(before, **{field: rating})
        text = f"{field} rating of {before.ref} to {rating}" if rating else \
            f"clear the {field} rating of {before.ref}"
        if not self.edits.save("risks", before, after, text[:1].upper() + text[1:]):
            self.show_risk(before)  # the register refused: show what it still holds

    def _changed(self, kind: str, ref: str) -> None:
        if kind != "risks":
            return
        self.model.reload()
        self._reselect(ref)
        if self.current_risk and self.current_risk.ref == ref:
            self.show_risk(self.reg.get("risks", ref))
