"""Assurance (NHS): the strategic objectives (added, edited and deleted here) and the Board
Assurance Framework as at the register's date: each principal risk with its current and target
scores and bands in words, trend and overall assurance rating; the selected risk's sources of
assurance by line with their gaps and the actions closing them, each row edited at its fields
(a date that cannot be read, an action the register lacks, shown at the field). Every change
is one undoable edit (gui.edits.governance). A risk is marked principal, scored and linked to
objectives in the Risks view or by import (--kind risks with baf and objectives)."""

from __future__ import annotations

import dataclasses
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...domain.assurance import (
    ASSURANCE_RATINGS,
    LINES,
    RULE,
    Assurance,
    Objective,
    PrincipalRisk,
    build_assurance,
    build_objective,
    score_words,
)
from ...domain.board_dates import long_date
from ...domain.records import FieldReader, Problem
from ...services import assurance as service
from ..edits import Edits, push
from ..edits.governance import (
    ASSURANCES,
    OBJECTIVES,
    DeleteObjective,
    SaveAssurances,
    SaveObjective,
)
from ..forms import Field, RecordForm, confirm_delete
from ..models.governance import AssuranceModel, KeyProxy, ObjectiveModel, PrincipalRiskModel
from ..widgets import hbox, scrolling, table_view
from .governance_forms import FormDialog, fill, problem_label, show_problems, tab_through
from .meetings.parts import button

OBJECTIVE_FIELDS = [Field("ref", "&Ref"), Field("objective", "O&bjective", "text"),
                    Field("lead", "Executive &lead"), Field("committee", "Lead co&mmittee")]
ASSURANCE_FIELDS = [
    Field("control", "&Control"), Field("line", "L&ine", "choice"),
    Field("source", "&Source of assurance"), Field("date", "&Date", "date"),
    Field("rating", "R&ating", "choice", choices=ASSURANCE_RATINGS),
    Field("gap_in_control", "Gap in c&ontrol", "text"),
    Field("gap_in_assurance", "Gap in ass&urance", "text"),
    Field("action", "Ac&tion closing the gap"),
]
# The kinds of edit that change what the framework shows.
WATCHED = (OBJECTIVES, ASSURANCES, "risks", "actions")


def objective_values(o: Objective) -> dict[str, Any]:
    return {"ref": o.ref, "objective": o.objective, "lead": o.lead, "committee": o.committee}


def assurance_values(a: Assurance) -> dict[str, Any]:
    return {"control": a.control, "line": a.line, "source": a.source, "date": a.date,
            "rating": a.rating, "gap_in_control": a.gap_in_control,
            "gap_in_assurance": a.gap_in_assurance, "action": a.action_ref}


def assurance_form(owner: QWidget | None = None) -> RecordForm:
    """The fields of one source of assurance; the line is one of the three, by number."""
    form = RecordForm("assurances", ASSURANCE_FIELDS, owner)
    line = form.widgets["line"]
    line.clear()
    for n, words in LINES.items():
        line.addItem(f"{n} {words}", n)
    form.widgets["rating"].removeItem(0)  # "none" is a rating of its own, not a blank
    return form


class AssuranceView(QWidget):
    title = "Assurance"

    def __init__(self, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.reg = edits.reg
        self.setAccessibleName("Assurance")
        self.baf: Any = None
        self.objective: Objective | None = None
        self.principal: PrincipalRisk | None = None
        self.dialog: FormDialog | None = None
        self.confirm = confirm_delete

        # Strategic objectives.
        self.objectives = ObjectiveModel(self)
        self.objectives_proxy = KeyProxy(self.objectives, self)
        self.objectives_table = table_view(self.objectives_proxy, "Strategic objectives", self)
        self.objective_form = RecordForm(OBJECTIVES, OBJECTIVE_FIELDS[1:])
        self.objective_form.edited.connect(self._objective_edited)
        self.objective_heading = QLabel()
        self.objective_heading.setAccessibleName("The objective shown")
        self.new_objective_action = QAction("&New objective…", self)
        self.new_objective_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_objective_action.setShortcutContext(
            Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.new_objective_action.triggered.connect(lambda _c=False: self.new_objective())
        self.addAction(self.new_objective_action)
        self.new_objective_button = button("&New objective…", "New strategic objective (Ctrl+N)",
                                           self.new_objective)
        self.delete_objective_action = _delete_action(self.objectives_table, "objective",
                                                      self.delete_objective)
        self.delete_objective_button = button("Delete objecti&ve", "Delete the selected "
                                              "objective (Del); Ctrl+Z brings it back",
                                              self.delete_objective)

        # Principal risks.
        self.risks = PrincipalRiskModel(self)
        self.risks_proxy = KeyProxy(self.risks, self)
        self.risks_table = table_view(self.risks_proxy, "Principal risks", self)
        self.only_objective = QCheckBox("Only the selected &objective's principal risks")
        self.only_objective.setAccessibleName("Only the selected objective's principal risks")
        self.only_objective.toggled.connect(lambda _on: self._filter_risks())
        self.risk_heading = QLabel()
        self.risk_heading.setWordWrap(True)
        self.risk_heading.setAccessibleName("The principal risk shown")
        self.risk_heading.setToolTip(RULE)

        # Its sources of assurance.
        self.assurances = AssuranceModel(self)
        self.assurances_proxy = KeyProxy(self.assurances, self)
        self.assurances_table = table_view(self.assurances_proxy, "Sources of assurance", self,
                                           sortable=False)
        self.assurance_form = assurance_form()
        self.assurance_form.edited.connect(self._assurance_edited)
        self.assurance_problem = problem_label(self, "Problem with the source of assurance")
        self.add_source_button = button("Add a &source of assurance…", "Add a source of "
                                        "assurance to the principal risk", self.new_assurance)
        self.delete_source_action = _delete_action(self.assurances_table, "source of assurance",
                                                   self.delete_assurance)
        self.delete_source_button = button("Delete the sou&rce", "Delete the selected source "
                                           "of assurance (Del); Ctrl+Z brings it back",
                                           self.delete_assurance)

        objectives_box = _box("Strategic objectives")
        box = QVBoxLayout(objectives_box)
        box.addWidget(self.objectives_table, 1)
        box.addWidget(self.objective_heading)
        box.addWidget(self.objective_form)
        box.addLayout(hbox(self.new_objective_button, self.delete_objective_button))
        risks_box = _box("Principal risks (Board Assurance Framework)")
        box = QVBoxLayout(risks_box)
        box.addWidget(self.only_objective)
        box.addWidget(self.risks_table, 1)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(objectives_box)
        top.addWidget(risks_box)
        top.setSizes([380, 900])
        sources_box = _box("Sources of assurance, by line, with their gaps")
        box = QVBoxLayout(sources_box)
        box.addWidget(self.risk_heading)
        box.addWidget(self.assurances_table, 1)
        box.addLayout(hbox(self.add_source_button, self.delete_source_button))
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(QLabel("<b>The selected source of assurance</b>"))
        detail_layout.addWidget(self.assurance_form)
        detail_layout.addWidget(self.assurance_problem)
        detail_layout.addStretch(1)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(sources_box)
        bottom.addWidget(scrolling(detail, "Source of assurance detail"))
        bottom.setSizes([860, 420])
        outer = QSplitter(Qt.Orientation.Vertical)
        outer.setObjectName("assurance_splitter")
        outer.addWidget(top)
        outer.addWidget(bottom)
        outer.setSizes([380, 400])
        self.heading = QLabel()
        self.heading.setAccessibleName("Board Assurance Framework date")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(outer, 1)
        self.table = self.risks_table  # the table whose columns the main window remembers
        tab_through(self.objectives_table, self.risks_table, self.assurances_table)
        for column in (3, 4):  # the committee and the risks: in the form and the risks table
            self.objectives_table.setColumnHidden(column, True)

        self.objectives_table.selectionModel().selectionChanged.connect(self._objective_chosen)
        self.risks_table.selectionModel().selectionChanged.connect(self._risk_chosen)
        self.assurances_table.selectionModel().selectionChanged.connect(self._assurance_chosen)
        edits.changed.connect(self._changed)
        self.refresh()

    # --- what is shown ----------------------------------------------------------------------

    def refresh(self) -> None:
        keep_objective = self.objective.ref if self.objective else None
        keep_risk = self.principal.ref if self.principal else None
        keep_row = self._assurance_row()
        self.baf = service.baf_as_at(self.reg)
        self.heading.setText(f"<b>Board Assurance Framework</b> as at {long_date(self.baf.as_at)}"
                             f": {len(self.baf.objectives)} objectives, "
                             f"{len(self.baf.principal)} open principal risks")
        self.objectives.show(self.baf)
        self.risks.show(self.baf, self.reg.programme.bands)
        self._select(self.objectives_table, self.objectives_proxy,
                     lambda o: o.ref == keep_objective)
        self._filter_risks()
        self._select(self.risks_table, self.risks_proxy, lambda p: p.ref == keep_risk)
        if keep_row >= 0 and keep_row < self.assurances.rowCount():
            self.assurances_table.selectRow(keep_row)

    def _select(self, table: Any, proxy: KeyProxy, match: Any) -> None:
        row = proxy.row_of(match)
        if row < 0 and proxy.rowCount():
            row = 0
        if row >= 0:
            table.selectRow(row)
        else:
            table.clearSelection()
        self._objective_chosen() if table is self.objectives_table else None
        self._risk_chosen() if table is self.risks_table else None

    def _filter_risks(self) -> None:
        ref = self.objective.ref if self.objective else None
        on = self.only_objective.isChecked() and ref is not None
        self.risks_proxy.set_predicate(
            (lambda p: any(o.ref == ref for o in p.objectives)) if on else None)

    def _objective_chosen(self, *_: Any) -> None:
        rows = self.objectives_table.selectionModel().selectedRows()
        self.objective = self.objectives_proxy.key(rows[0].row()) if rows else None
        fill(self.objective_form, objective_values(self.objective) if self.objective else None)
        self.objective_heading.setText(f"<b>{escape(self.objective.ref)}</b>" if self.objective
                                       else "<i>No objective selected</i>")
        self.delete_objective_button.setEnabled(self.objective is not None)
        if self.only_objective.isChecked():
            self._filter_risks()

    def _risk_chosen(self, *_: Any) -> None:
        rows = self.risks_table.selectionModel().selectedRows()
        self.principal = self.risks_proxy.key(rows[0].row()) if rows else None
        self.assurances.show(self.principal)
        self.risk_heading.setText(self._risk_words(self.principal))
        self.add_source_button.setEnabled(self.principal is not None)
        if self.assurances.rowCount():
            self.assurances_table.selectRow(0)
        self._assurance_chosen()

    def _risk_words(self, p: PrincipalRisk | None) -> str:
        if p is None:
            return "<i>No principal risk selected: mark a risk for the BAF (baf: yes) and link " \
                   "it to objectives in the Risks view or by import</i>"
        bands = self.reg.programme.bands
        r = p.risk
        return (f"<b>{escape(r.ref)}: {escape(r.title)}</b><br>Current "
                f"{escape(score_words(r.current, bands))}, target "
                f"{escape(score_words(r.target, bands))}; {escape(p.trend_words)}. "
                f"{escape(p.target_words(self.baf.as_at))}.<br>Assurance: "
                f"<b>{escape(p.level)}</b> ({escape(p.level_reason)})")

    def _assurance_row(self) -> int:
        rows = self.assurances_table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def current_assurance(self) -> tuple[int, Assurance] | None:
        """The selected source: its place in the risk's own list, and the source."""
        row = self._assurance_row()
        place = self.assurances_proxy.key(row) if row >= 0 else None
        if place is None or self.principal is None:
            return None
        return place, self.principal.assurances[place]

    def _assurance_chosen(self, *_: Any) -> None:
        found = self.current_assurance()
        fill(self.assurance_form, assurance_values(found[1]) if found else None)
        self.assurance_problem.hide()
        self.delete_source_button.setEnabled(found is not None)

    # --- objectives ---------------------------------------------------------------------------

    def _check_objective(self, values: dict[str, Any], ref: str) -> tuple[Objective | None,
                                                                         list[Problem]]:
        reader = FieldReader(values, "the objective")
        objective = build_objective(reader, ref)
        return (None if reader.problems else objective), reader.problems

    def new_objective(self) -> FormDialog:
        def check(values: dict[str, Any]) -> tuple[list[Problem], bool]:
            ref = " ".join(str(values.get("ref") or "").split()).upper()
            reader = FieldReader(values, "the new objective")
            objective = build_objective(reader, ref)
            if ref and any(o.ref.upper() == ref for o in self.baf.objectives):
                reader.problem("ref", f"{ref} is taken: give the objective a ref of its own")
            if reader.problems:
                return reader.problems, False
            return [], push(self.edits, SaveObjective(self.edits, None, objective,
                                                      f"New objective {ref}"))

        taken = {o.ref.upper() for o in self.baf.objectives}
        suggested = next(f"SO{n}" for n in range(1, len(taken) + 2) if f"SO{n}" not in taken)
        self.dialog = FormDialog("New strategic objective", OBJECTIVES, OBJECTIVE_FIELDS, check,
                                 "&Create objective", {"ref": suggested}, self)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.open()
        return self.dialog

    def _objective_edited(self, name: str, _value: Any) -> None:
        before = self.objective
        if before is None:
            return
        objective, problems = self._check_objective(self.objective_form.values(), before.ref)
        if objective is None:
            self.objective_form.show_problems(problems)
            return
        after = dataclasses.replace(before, **{n: getattr(objective, n)
                                               for n in ("objective", "lead", "committee")})
        if after != before:
            push(self.edits, SaveObjective(self.edits, before, after,
                                           f"Edit the {name} of {before.ref}"))

    def delete_objective(self) -> bool:
        o = self.objective
        if o is None:
            return False
        linked = ", ".join(p.ref for p in self.baf.for_objective(o))
        extra = f" {linked} will name an objective the register no longer holds." if linked \
            else ""
        if not self.confirm(self, "Delete objective", f"Delete the objective {o.ref}: "
                            f"{o.objective}?{extra}\n\nEdit, Undo (Ctrl+Z) brings it back."):
            return False
        return push(self.edits, DeleteObjective(self.edits, o.ref))

    # --- sources of assurance -----------------------------------------------------------------

    def _check_assurance(self, values: dict[str, Any]) -> tuple[Assurance | None,
                                                                list[Problem]]:
        reader = FieldReader(values, "the source of assurance")
        item = build_assurance(reader)
        actions = {r["ref"].upper() for r in self.reg.query("select ref from actions")}
        if item.action_ref and item.action_ref.upper() not in actions:
            reader.problem("action", f"there is no action {item.action_ref} in the register "
                                     "(see the Actions view)")
        return (None if reader.problems else item), reader.problems

    def _save_sources(self, after: list[Assurance], text: str) -> bool:
        assert self.principal is not None
        return push(self.edits, SaveAssurances(self.edits, self.principal.ref,
                                               self.principal.assurances, after, text))

    def new_assurance(self) -> FormDialog | None:
        if self.principal is None:
            return None
        ref = self.principal.ref

        def check(values: dict[str, Any]) -> tuple[list[Problem], bool]:
            item, problems = self._check_assurance(values)
            if item is None:
                return problems, False
            return [], self._save_sources([*self.principal.assurances, item],
                                          f"Add a source of assurance to {ref}")

        self.dialog = FormDialog(f"New source of assurance for {ref}", ASSURANCES, [], check,
                                 "&Add the source", {"line": 1, "rating": "none"}, self,
                                 make_form=assurance_form)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.open()
        return self.dialog

    def _assurance_edited(self, name: str, _value: Any) -> None:
        found = self.current_assurance()
        if found is None:
            return
        place, before = found
        item, problems = self._check_assurance(self.assurance_form.values())
        if item is None:
            show_problems(self.assurance_form, problems, self.assurance_problem)
            return
        item.uuid = before.uuid
        if item == before:
            return
        after = list(self.principal.assurances)
        after[place] = item
        label = next(f.label for f in ASSURANCE_FIELDS if f.name == name).replace("&", "")
        self._save_sources(after, f"Edit the {label.lower()} of a source of assurance on "
                                  f"{self.principal.ref}")

    def delete_assurance(self) -> bool:
        found = self.current_assurance()
        if found is None:
            return False
        place, gone = found
        ref = self.principal.ref
        if not self.confirm(self, "Delete source of assurance", "Delete the source of "
                            f"assurance on {ref} ({gone.control or gone.source})?\n\n"
                            "Edit, Undo (Ctrl+Z) brings it back."):
            return False
        after = [a for n, a in enumerate(self.principal.assurances) if n != place]
        return self._save_sources(after, f"Delete a source of assurance on {ref}")

    def _changed(self, kind: str, _ref: str) -> None:
        if kind in WATCHED:
            self.refresh()


def _box(title: str) -> QGroupBox:
    box = QGroupBox(title)
    box.setAccessibleName(title)
    return box


def _delete_action(table: Any, noun: str, slot: Any) -> QAction:
    action = QAction(f"&Delete {noun}…", table)
    action.setShortcut(QKeySequence.StandardKey.Delete)
    action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    action.triggered.connect(lambda _c=False: slot())
    table.addAction(action)
    return action
