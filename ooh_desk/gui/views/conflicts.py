"""Conflicts: every clash a merge left, with base, ours and theirs side by side and who changed
each when, and a one-key choice: O keeps ours, T takes theirs (each one undoable edit, Ctrl+Z).
Settled conflicts are hidden unless asked for."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..edits import Edits
from ..edits.conflicts import settle_conflict
from ..models.conflicts import (
    ConflictModel,
    ConflictProxy,
    by_words,
    field_words,
    kind_words,
    value_words,
)
from ..widgets import hbox, table_view


def _value_label(name: str) -> QLabel:
    label = QLabel()
    label.setAccessibleName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                  | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    return label


class SidePane(QGroupBox):
    """One side of a conflict: its value, and who set it when."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setAccessibleName(title)
        self.value = _value_label(f"{title}: value")
        bigger = self.value.font()
        bigger.setPointSizeF(bigger.pointSizeF() + 1)
        self.value.setFont(bigger)
        self.by = QLabel()
        italic = self.by.font()
        italic.setItalic(True)
        self.by.setFont(italic)
        self.by.setAccessibleName(f"{title}: changed by")
        self.by.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.value)
        layout.addWidget(self.by)
        layout.addStretch(1)

    def show_side(self, value: str, by: str) -> None:
        self.value.setText(value)
        self.by.setText(by)


class ConflictsView(QWidget):
    title = "Conflicts"

    def __init__(self, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.reg = edits.reg
        self.setAccessibleName("Conflicts")
        self.model = ConflictModel(self.reg, self)
        self.proxy = ConflictProxy(self.model, self)
        self.table = table_view(self.proxy, "Conflicts table", self)
        self.summary = QLabel()
        self.summary.setAccessibleName("Conflicts to settle")
        self.summary.setWordWrap(True)
        self.show_settled = QCheckBox("Show &settled conflicts")
        self.show_settled.setAccessibleName("Show settled conflicts")
        self.show_settled.toggled.connect(self._show_settled)

        self.heading = QLabel()
        self.heading.setAccessibleName("Selected conflict")
        self.heading.setWordWrap(True)
        self.base = SidePane("Base: when the copies parted")
        self.ours = SidePane("Ours: this register")
        self.theirs = SidePane("Theirs: the other copy")
        self.outcome = QLabel()
        self.outcome.setAccessibleName("What each choice does")
        self.outcome.setWordWrap(True)
        self.keep_ours = QPushButton("Keep &ours (O)")
        self.keep_ours.setAccessibleName("Keep ours")
        self.keep_ours.setToolTip("Keep this register's value and mark the conflict settled")
        self.take_theirs = QPushButton("Take &theirs (T)")
        self.take_theirs.setAccessibleName("Take theirs")
        self.take_theirs.setToolTip("Write the other copy's value and mark the conflict settled")
        self.keep_ours.clicked.connect(lambda: self.settle("ours"))
        self.take_theirs.clicked.connect(lambda: self.settle("theirs"))
        # One key each while the view has the focus: a table of clashes is settled by keys.
        for key, take in (("O", "ours"), ("T", "theirs")):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda take=take: self.settle(take))

        detail = QWidget()
        sides = QGridLayout()
        for n, pane in enumerate((self.base, self.ours, self.theirs)):
            sides.addWidget(pane, 0, n)
            sides.setColumnStretch(n, 1)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.heading)
        detail_layout.addLayout(sides, 1)
        detail_layout.addWidget(self.outcome)
        detail_layout.addLayout(hbox(self.keep_ours, self.take_theirs))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(hbox(self.summary, self.show_settled, stretch_last=True))
        layout.addWidget(splitter, 1)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        edits.changed.connect(self._changed)
        self._refresh(0)

    # --- what is shown --------------------------------------------------------------------

    def conflict(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.conflict(rows[0].row()) if rows else None

    def select_ref(self, ref: str) -> bool:
        row = self.model.row_of(ref)
        index = self.proxy.mapFromSource(self.model.index(row, 0)) if row >= 0 else None
        if index is None or not index.isValid():
            return False
        self.table.selectRow(index.row())
        return True

    def _show_settled(self, on: bool) -> None:
        chosen = self.conflict()
        self.proxy.set_show_settled(on)
        if not (chosen and self.select_ref(chosen["ref"])):
            self._select_row(0)
        self._selected()

    def _changed(self, _kind: str, _ref: str) -> None:
        chosen = self.conflict()
        row = max(self.table.currentIndex().row(), 0)
        self.model.reload()
        # With the settled ones shown the conflict stays selected; without, it leaves the list
        # and the next open conflict takes its place, ready for its key.
        if chosen and self.show_settled.isChecked() and self.select_ref(chosen["ref"]):
            self._show_summary()
            self._selected()
            return
        self._refresh(row)

    def _refresh(self, row: int) -> None:
        self._show_summary()
        self._select_row(row)
        self._selected()

    def _show_summary(self) -> None:
        waiting = self.model.open_count()
        total = len(self.model.conflicts)
        if waiting:
            self.summary.setText(
                f"<b>{waiting} conflict{'s' if waiting != 1 else ''} to settle.</b> Select one "
                "and press O to keep ours or T to take theirs; Ctrl+Z undoes a choice.")
        elif total:
            self.summary.setText("Every conflict is settled.")
        else:
            self.summary.setText("No conflicts. When File &gt; Merge another copy… finds the "
                                 "same thing changed on both copies, the clash is listed here.")

    def _select_row(self, row: int) -> None:
        count = self.proxy.rowCount()
        if count:
            self.table.selectRow(min(row, count - 1))
        else:
            self.table.clearSelection()

    def _selected(self) -> None:
        c = self.conflict()
        can_settle = c is not None and c["status"] == "open"
        self.keep_ours.setEnabled(can_settle)
        self.take_theirs.setEnabled(can_settle)
        if c is None:
            self.heading.setText("<i>No conflict selected</i>")
            for pane in (self.base, self.ours, self.theirs):
                pane.show_side("", "")
            self.theirs.setTitle("Theirs: the other copy")
            self.outcome.clear()
            return
        record = f"{kind_words(c['kind'])} {c['record'] or ''}".strip()
        self.heading.setText(f"<b>{escape(c['ref'])}</b>: {escape(record)}, "
                             f"{escape(field_words(c))}")
        self.base.show_side(value_words(c["base"]), "As both copies held it before either "
                            "changed it")
        self.ours.show_side(value_words(c["ours"]), _changed_by(c["ours_by"], c["ours_at"]))
        self.theirs.setTitle(f"Theirs: {c['other']}" if c["other"] else
                             "Theirs: the other copy")
        self.theirs.show_side(value_words(c["theirs"]),
                              _changed_by(c["theirs_by"], c["theirs_at"]))
        self.outcome.setText(_outcome_words(c, record))

    # --- settling ---------------------------------------------------------------------------

    def settle(self, take: str) -> bool:
        """Settle the selected conflict taking ours or theirs, as one undoable edit."""
        c = self.conflict()
        if c is None or c["status"] != "open":
            return False
        return settle_conflict(self.edits, c["ref"], take)


def _changed_by(who: str | None, at: str | None) -> str:
    said = by_words(who, at)
    return f"Changed by {said}" if said else ""


def _outcome_words(c: dict[str, Any], record: str) -> str:
    if c["status"] != "open":
        by = by_words(c["settled_by"], c["settled_at"])
        return f"Settled: took {c['taken']}" + (f" ({by})." if by else ".") + \
            " Ctrl+Z undoes it while the app is open."
    if c["theirs"] == "deleted":
        theirs = f"taking theirs deletes {record}"
    elif c["ours"] == "deleted":
        theirs = f"taking theirs brings {record} back as the other copy holds it"
    else:
        theirs = "taking theirs writes the other copy's value"
    return f"Keeping ours leaves the register as it is; {theirs}."

