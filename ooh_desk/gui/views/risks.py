"""Risks: the table (sort, filter by band, owner, status and workstream, full-text search) and
a detail pane whose inherent / current / target pickers show the score and band as you choose
and write each completed choice to the register as one undoable edit."""

from __future__ import annotations

import dataclasses
from html import escape
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.records import RISK_STATUSES, FieldReader, Mitigation, rebuild_record
from ...domain.scoring import TREND_ARROWS, TREND_WORDS, trend
from ...domain.treatment import TREATMENT_MEANINGS, TREATMENTS
from ...errors import UserError
from ...store import RegisterError, records
from ...store.history import score_history
from ...store.programme import workstreams
from ...store.queries import distinct_values
from ..edits import Edits
from ..forms import Field, RecordActions, RecordForm
from ..models import MitigationModel, RecordProxy, RiskModel, ScoreHistoryModel
from ..widgets import RatingPicker, fit_height, hbox, scrolling, table_view

ALL = "(all)"
# The small form a new risk starts from; the rest is edited in the detail pane.
NEW_RISK_FIELDS = [
    Field("title", "&Title"),
    Field("description", "&Description", "text"),
    Field("category", "Cate&gory"),
    Field("owner", "&Owner"),
    Field("workstream", "&Workstream"),
    Field("likelihood", "&Likelihood", "score"),
    Field("impact", "&Impact", "score"),
    Field("review_date", "Next re&view", "date"),
]
MITIGATION_FIELDS = [
    Field("description", "&Description", "text"),
    Field("owner", "&Owner"),
    Field("due", "D&ue", "date"),
    Field("status", "&Status", "status"),
]


def filter_combo(name: str, values: list[str], plural: str | None = None) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(f"Filter by {name}")
    combo.addItem(f"All {plural or name + 's'}", None)
    for value in values:
        combo.addItem(value[:1].upper() + value[1:], value)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    return combo


def refill_filter(combo: QComboBox, values: list[str]) -> None:
    """New owners and workstreams appear in the filter; the choice made is kept."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    while combo.count() > 1:
        combo.removeItem(1)
    for value in values:
        combo.addItem(value[:1].upper() + value[1:], value)
    combo.setCurrentIndex(max(combo.findData(chosen), 0))
    combo.blockSignals(False)


class MitigationDialog(QDialog):
    """One mitigating action: description, owner, due (a board date, its meaning shown live)
    and status. `chosen(mitigation)` only once the domain finds it valid."""

    chosen = Signal(object)

    def __init__(self, item: Mitigation | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mitigating action")
        self.setAccessibleName("Mitigating action")
        self.form = RecordForm("mitigations", MITIGATION_FIELDS, self)
        self.form.set_record(item or Mitigation(""))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        self.resize(480, self.sizeHint().height())

    def check(self) -> Mitigation | None:
        reader = FieldReader(self.form.values(), "the mitigating action")
        item = Mitigation(description=reader.text("description", required=True,
                                                  what="description of the action"),
                          owner=reader.text("owner"), due=reader.board_date("due"),
                          status=reader.status("status", "action"))
        self.form.show_problems(reader.problems)
        if reader.problems:
            return None
        self.chosen.emit(item)
        self.accept()
        return item


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

        # The detail pane: every field of the selected risk, each change one undoable edit.
        self.current_risk: Any | None = None
        self._pending_close = False
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("Selected risk")
        workstream_names = lambda: [w.name for w in workstreams(self.reg)]  # noqa: E731
        self.form = RecordForm("risks", [
            Field("title", "&Title"),
            Field("description", "Descri&ption", "text"),
            Field("category", "Cate&gory",
                  suggest=lambda: distinct_values(self.reg, "risks", "category")),
            Field("owner", "O&wner", suggest=lambda: distinct_values(self.reg, "risks", "owner")),
            Field("workstream", "Wor&kstream", suggest=workstream_names),
            Field("status", "St&atus", "status"),
            Field("closed_reason", "Closed &reason"),
            Field("review_date", "Next re&view", "date"),
            Field("treatment", "Treatme&nt", "choice", choices=TREATMENTS),
            Field("controls", "Existing &controls", "text"),
        ])
        self.form.edited.connect(self._field_edited)
        self.controls = self.form.widgets["controls"]
        self.treatment = self.form.widgets["treatment"]
        self.treatment.setItemText(0, "(not stated)")
        self.treatment.setToolTip("How the risk is to be handled: treat, tolerate, transfer "
                                  "or terminate")
        for n, word in enumerate(TREATMENTS, 1):  # what each means, as the log's key says
            self.treatment.setItemData(n, TREATMENT_MEANINGS[word], Qt.ItemDataRole.ToolTipRole)
        self.description = self.form.widgets["description"]
        self.inherent = RatingPicker("Inherent", programme.bands)
        self.current = RatingPicker("Current", programme.bands, required=True)
        self.target = RatingPicker("Target", programme.bands)
        for field, picker in (("inherent", self.inherent), ("current", self.current),
                              ("target", self.target)):
            picker.chosen.connect(lambda rating, f=field: self._rate(f, rating))
        self.mitigations = MitigationModel(self)
        self.mitigation_table = table_view(self.mitigations, "Mitigating actions", sortable=False)
        self.mitigation_table.activated.connect(lambda _i: self.edit_mitigation())
        self.mitigation_buttons = self._mitigation_actions()
        fit_height(self.mitigation_table)
        self.history = ScoreHistoryModel(self)
        self.history_table = table_view(self.history, "Score history", sortable=False)
        fit_height(self.history_table)
        self.trend = QLabel()
        self.trend.setAccessibleName("Trend")
        detail = QWidget()
        form = QFormLayout(detail)
        form.addRow(self.heading)
        form.addRow(self.form)
        form.addRow(self.inherent)
        form.addRow(self.current)
        form.addRow(self.target)
        form.addRow(QLabel("<b>Mitigating actions</b>"))
        form.addRow(self.mitigation_table)
        form.addRow(self.mitigation_buttons)
        form.addRow(QLabel("<b>Score history</b>"), self.trend)
        form.addRow(self.history_table)
        scroll = scrolling(detail, "Risk detail")

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        self.record_actions = RecordActions(
            self, edits, "risks", self.table, NEW_RISK_FIELDS, lambda: self.current_risk)
        lv.addLayout(hbox(self.search, self.band, self.owner, self.status, self.workstream,
                          stretch_last=True))
        lv.addLayout(hbox(self.record_actions.new_button, self.record_actions.delete_button))
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
        total = records.total_records(self.reg, "risks")
        self.shown.setText(f"{self.model.total()} of {total} risks shown")

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
        self.show_risk(records.get_record(self.reg, "risks", ref))

    def select_ref(self, ref: str) -> None:
        self._reselect(ref)

    # --- the detail pane ----------------------------------------------------------------------

    def show_risk(self, risk: Any | None) -> None:
        self.current_risk = risk
        self._pending_close = False
        for w in (self.inherent, self.current, self.target, self.mitigation_buttons):
            w.setEnabled(risk is not None)
        self.form.set_record(risk)
        if risk is None:
            self.heading.setText("<i>No risk selected</i>")
            for picker in (self.inherent, self.current, self.target):
                picker.set_rating(None)
            self.mitigations.show(None)
            self.history.show([], self.reg.programme.bands)
            self.trend.clear()
            return
        self.heading.setText(f"<h3>{escape(risk.ref)}: {escape(risk.title)}</h3>")
        self.form.widgets["closed_reason"].setEnabled(risk.status == "closed")
        self.inherent.set_rating(risk.inherent)
        self.current.set_rating(risk.current)
        self.target.set_rating(risk.target)
        self.mitigations.show(risk)
        history = score_history(self.reg, risk.uuid)
        self.history.show(history, self.reg.programme.bands)
        direction = trend([h["score"] for h in history])
        self.trend.setText(f"{TREND_ARROWS[direction]} {TREND_WORDS[direction]}")

    def _field_edited(self, name: str, value: Any) -> None:
        before = self.current_risk
        if before is None:
            return
        changes: dict[str, Any] = {name: value}
        if name == "status" and value == "closed" and not before.closed_reason:
            # A risk is closed with its reason: ask for it, and save the two as one edit.
            self._pending_close = True
            reason = self.form.widgets["closed_reason"]
            reason.setEnabled(True)
            self.form.show_problem("closed_reason", "Say why the risk is closed, then press "
                                   "Enter; it stays open until then.")
            reason.setFocus()
            return
        if name == "status" and value != "closed":
            self._pending_close = False
            changes["closed_reason"] = ""
        if name == "closed_reason" and self._pending_close:
            if not value:
                self.form.show_problem("closed_reason", "A closed risk needs its reason; "
                                       "not saved.")
                return
            changes["status"] = "closed"
        words = {"status": f"Set the status of {before.ref} to {changes.get('status', value)}",
                 "closed_reason": f"Close {before.ref}" if self._pending_close else
                 f"Edit the closed reason of {before.ref}"}
        label = self.form.fields[name].label.replace("&", "").lower()
        self._save(before, dataclasses.replace(before, **changes),
                   words.get(name, f"Edit the {label} of {before.ref}"), name)

    def _save(self, before: Any, after: Any, text: str, field: str | None = None) -> bool:
        after, problems = rebuild_record("risks", after)
        if problems:
            leftover = self.form.show_problems(problems)
            if leftover and field:
                self.form.show_problem(field, "; ".join(p.message for p in leftover))
            return False
        if not self.edits.save("risks", before, after, text):
            self.show_risk(before)  # the register refused: show what it still holds
            return False
        return True

    # --- mitigating actions ---------------------------------------------------------------

    def _mitigation_actions(self) -> QWidget:
        table = self.mitigation_table
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        specs = (("&Add…", "Add a mitigating action", "Ctrl+Shift+A", self.add_mitigation),
                 ("&Edit…", "Edit the selected mitigating action", "", self.edit_mitigation),
                 ("Re&move", "Remove the selected mitigating action",
                  QKeySequence.StandardKey.Delete, self.remove_mitigation),
                 ("Move &up", "Move the selected mitigating action up", "Alt+Up",
                  lambda: self.move_mitigation(-1)),
                 ("Move d&own", "Move the selected mitigating action down", "Alt+Down",
                  lambda: self.move_mitigation(1)))
        for text, name, key, slot in specs:
            action = QAction(text, self)
            action.setToolTip(name)
            if key:
                action.setShortcut(QKeySequence(key))
                action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
                table.addAction(action)
            action.triggered.connect(lambda _c=False, f=slot: f())
            button = QToolButton()
            button.setDefaultAction(action)
            button.setAccessibleName(name)
            row.addWidget(button)
        row.addStretch(1)
        return box

    def _mitigation_row(self) -> int:
        rows = self.mitigation_table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def add_mitigation(self) -> MitigationDialog | None:
        if self.current_risk is None:
            return None
        return self._open_mitigation(None, -1)

    def edit_mitigation(self) -> MitigationDialog | None:
        row = self._mitigation_row()
        if self.current_risk is None or row < 0:
            return None
        return self._open_mitigation(self.current_risk.mitigations[row], row)

    def _open_mitigation(self, item: Mitigation | None, row: int) -> MitigationDialog:
        dialog = MitigationDialog(item, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(lambda m: self._put_mitigation(m, row))
        dialog.open()
        self.mitigation_dialog = dialog
        return dialog

    def _put_mitigation(self, item: Mitigation, row: int) -> None:
        before = self.current_risk
        items = list(before.mitigations)
        if row < 0:
            items.append(item)
            text, keep = f"Add a mitigating action to {before.ref}", len(items) - 1
        else:
            items[row] = item
            text, keep = f"Edit mitigating action {row + 1} of {before.ref}", row
        if self._save(before, dataclasses.replace(before, mitigations=items), text):
            self.mitigation_table.selectRow(keep)

    def remove_mitigation(self) -> bool:
        before, row = self.current_risk, self._mitigation_row()
        if before is None or row < 0:
            return False
        items = [m for n, m in enumerate(before.mitigations) if n != row]
        done = self._save(before, dataclasses.replace(before, mitigations=items),
                          f"Remove mitigating action {row + 1} from {before.ref}")
        if done and items:
            self.mitigation_table.selectRow(min(row, len(items) - 1))
        return done

    def move_mitigation(self, step: int) -> bool:
        before, row = self.current_risk, self._mitigation_row()
        if before is None or not 0 <= row + step < len(before.mitigations) or row < 0:
            return False
        items = list(before.mitigations)
        items[row], items[row + step] = items[row + step], items[row]
        done = self._save(before, dataclasses.replace(before, mitigations=items),
                          f"Move mitigating action {row + 1} of {before.ref} "
                          f"{'up' if step < 0 else 'down'}")
        if done:
            self.mitigation_table.selectRow(row + step)
        return done

    def _rate(self, field: str, rating: Any) -> None:
        before = self.current_risk
        if before is None or getattr(before, field) == rating:
            return
        after = dataclasses.replace(before, **{field: rating})
        text = f"{field} rating of {before.ref} to {rating}" if rating else \
            f"clear the {field} rating of {before.ref}"
        self._save(before, after, text[:1].upper() + text[1:])

    def _changed(self, kind: str, ref: str) -> None:
        if kind != "risks":
            return
        self.model.reload()
        self._reselect(ref)
        if self.current_risk and self.current_risk.ref == ref:
            fresh = records.get_record(self.reg, "risks", ref)
            if fresh is not None:  # a deleted risk: _reselect has moved to another
                self.show_risk(fresh)
        for name, combo in (("owner", self.owner), ("workstream", self.workstream)):
            refill_filter(combo, distinct_values(self.reg, "risks", name))
