"""Key decisions (councils): the forward plan, each decision with its clear days of notice and
where that notice stands as at the register's date (28 days' notice, general exception,
special urgency, notice due or late), the warning in words when the 28-day date is near or
past; decisions added, edited at their fields (a date or a published day that cannot be read,
an exempt matter without its paragraph, shown at the field) and deleted, each one undoable
edit (gui.edits.governance). `ooh-desk forward-plan` writes the published notice."""

from __future__ import annotations

import dataclasses
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QCheckBox, QLabel, QSplitter, QVBoxLayout, QWidget

from ...domain.board_dates import long_date, short_date
from ...domain.key_decisions import (
    NOTICES,
    STATUSES,
    KeyDecision,
    build_key_decision,
    notice_state,
)
from ...domain.records import FieldReader, Problem
from ...store import key_decisions as store
from ..edits import Edits, push
from ..edits.governance import KEY_DECISIONS, DeleteKeyDecision, SaveKeyDecision
from ..forms import Field, RecordForm, confirm_delete
from ..models.governance import KeyDecisionModel, KeyProxy
from ..widgets import hbox, scrolling, table_view
from .governance_forms import FormDialog, fill, problem_label, show_problems, tab_through
from .meetings.parts import button

FIELDS = [
    Field("matter", "&Matter for decision", "text"),
    Field("decision_maker", "Decision ma&ker"),
    Field("date", "&Date of decision", "date"),
    Field("key", "&Key decision", "check"),
    Field("exempt", "&Exempt (paragraph)"),
    Field("documents", "D&ocuments to be considered", "text"),
    Field("contact", "C&ontact"),
    Field("published", "&First published"),
    Field("notice", "&Notice procedure", "choice", choices=NOTICES),
    Field("status", "S&tatus", "choice", choices=STATUSES),
]


def values_of(kd: KeyDecision) -> dict[str, Any]:
    return {"matter": kd.matter, "decision_maker": kd.decision_maker, "date": kd.date,
            "key": kd.key, "exempt": kd.exemption, "documents": kd.documents,
            "contact": kd.contact,
            "published": short_date(kd.published) if kd.published else "",
            "notice": kd.notice, "status": kd.status}


def read_form(values: dict[str, Any], ref: str, where: str) -> tuple[KeyDecision,
                                                                      list[Problem]]:
    """A key decision from the form's fields, read as an import reads a row."""
    typed = dict(values)
    typed["key"] = "yes" if values.get("key") else "no"  # the box unticked is "not key"
    reader = FieldReader(typed, where)
    kd = build_key_decision(reader, ref)
    return kd, reader.problems


class KeyDecisionsView(QWidget):
    title = "Key decisions"

    def __init__(self, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.reg = edits.reg
        self.setAccessibleName("Key decisions")
        self.decision: KeyDecision | None = None
        self.dialog: FormDialog | None = None
        self.confirm = confirm_delete
        self.model = KeyDecisionModel(self)
        self.proxy = KeyProxy(self.model, self)
        self.table = table_view(self.proxy, "Forward plan of key decisions", self,
                                sortable=False)  # in date order, as the plan is published
        self.warnings_only = QCheckBox("Show only decisions needing &action")
        self.warnings_only.setAccessibleName("Show only decisions needing action")
        self.warnings_only.toggled.connect(self._filter)
        self.heading = QLabel()
        self.heading.setAccessibleName("Forward plan date")
        self.heading.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName("Notice of the selected decision")
        self.form = RecordForm(KEY_DECISIONS, FIELDS)
        self.form.edited.connect(self._edited)
        self.problem = problem_label(self, "Problem with the key decision")
        self.new_action = QAction("&New key decision…", self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.new_action.triggered.connect(lambda _c=False: self.new_decision())
        self.addAction(self.new_action)
        self.delete_action = QAction("&Delete key decision…", self.table)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(lambda _c=False: self.delete_decision())
        self.table.addAction(self.delete_action)
        self.new_button = button("&New key decision…", "New key decision (Ctrl+N)",
                                 self.new_decision)
        self.delete_button = button("De&lete key decision", "Delete the selected key decision "
                                    "(Del); Ctrl+Z brings it back", self.delete_decision)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.addWidget(self.notice)
        detail_layout.addWidget(self.form)
        detail_layout.addWidget(self.problem)
        detail_layout.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("key_decisions_splitter")
        splitter.addWidget(self.table)
        splitter.addWidget(scrolling(detail, "Key decision detail"))
        splitter.setSizes([820, 460])
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(hbox(self.warnings_only, self.new_button, self.delete_button))
        layout.addWidget(splitter, 1)
        self.table.selectionModel().selectionChanged.connect(self._chosen)
        tab_through(self.table)
        edits.changed.connect(self._changed)
        self.refresh()

    def refresh(self, ref: str | None = None) -> None:
        keep = ref or (self.decision.ref if self.decision else None)
        self.as_at = self.reg.default_as_at()
        decisions = store.all_key_decisions(self.reg)
        self.model.show(decisions, self.as_at)
        warnings = sum(1 for s in self.model.states if s.warning)
        self.heading.setText(
            f"<b>Forward plan of key decisions</b> as at {long_date(self.as_at)}: "
            f"{len(decisions)} decision{'' if len(decisions) == 1 else 's'}, "
            f"{warnings} needing action. Notice is due 28 clear days before a key decision "
            "(the day of publication and the day of decision not counted).")
        self._filter()
        row = self.proxy.row_of(lambda kd: kd.ref == keep) if keep else -1
        if row < 0:  # the first decision needing action, else the first
            warned = {kd.ref for kd, s in zip(self.model.keys, self.model.states, strict=True)
                      if s.warning}
            row = max(self.proxy.row_of(lambda kd: kd.ref in warned),
                      0 if self.proxy.rowCount() else -1)
        if row >= 0:
            self.table.selectRow(row)
        self._chosen()

    def _filter(self, *_: Any) -> None:
        states = {kd.ref: s for kd, s in zip(self.model.keys, self.model.states, strict=True)}
        self.proxy.set_predicate((lambda kd: states[kd.ref].warning)
                                 if self.warnings_only.isChecked() else None)

    def _chosen(self, *_: Any) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.decision = self.proxy.key(rows[0].row()) if rows else None
        fill(self.form, values_of(self.decision) if self.decision else None)
        self.problem.hide()
        self.delete_button.setEnabled(self.decision is not None)
        self.notice.setText(self._notice_words(self.decision))

    def _notice_words(self, kd: KeyDecision | None) -> str:
        if kd is None:
            return "<i>No key decision selected</i>"
        state = notice_state(kd, self.as_at)
        days = "no notice published yet" if state.clear_days is None else \
            f"{state.clear_days} clear day{'' if state.clear_days == 1 else 's'}' notice"
        flag = "\u26a0 Needs action: " if state.warning else ""
        return (f"<b>{escape(kd.ref)}: {escape(kd.matter)}</b><br>{escape(days)}; "
                f"<b>{escape(state.status)}</b>.<br>{flag}{escape(state.words)}.")

    def new_decision(self) -> FormDialog:
        def check(values: dict[str, Any]) -> tuple[list[Problem], bool]:
            kd, problems = read_form(values, "", "the new key decision")
            if problems:
                return problems, False
            return [], push(self.edits, SaveKeyDecision(self.edits, None, kd,
                                                        "New key decision"))

        self.dialog = FormDialog("New key decision", KEY_DECISIONS, FIELDS, check,
                                 "&Create key decision", {"key": True, "status": "planned"}, self)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.open()
        return self.dialog

    def _edited(self, name: str, _value: Any) -> None:
        before = self.decision
        if before is None:
            return
        kd, problems = read_form(self.form.values(), before.ref, before.ref)
        if problems:
            show_problems(self.form, problems, self.problem)
            return
        self.problem.hide()
        after = dataclasses.replace(kd, uuid=before.uuid)
        if after == before:
            return
        label = next(f.label for f in FIELDS if f.name == name).replace("&", "").lower()
        push(self.edits, SaveKeyDecision(self.edits, before, after,
                                         f"Edit the {label} of {before.ref}"))

    def delete_decision(self) -> bool:
        kd = self.decision
        if kd is None:
            return False
        if not self.confirm(self, "Delete key decision", f"Delete the key decision {kd.ref}: "
                            f"{kd.matter}?\n\nEdit, Undo (Ctrl+Z) brings it back."):
            return False
        return push(self.edits, DeleteKeyDecision(self.edits, kd.ref))

    def _changed(self, kind: str, ref: str) -> None:
        if kind == KEY_DECISIONS:
            self.refresh(ref or None)
