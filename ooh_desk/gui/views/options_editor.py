"""A paper's options appraisal, edited inside the Papers view: the long list of options (name,
summary, benefits, risks, verdict, reason) and the weighted scoring grid (criterion, weight, a
score 0 to 10 per option) typed in place, with the weighted totals worked out live and exactly
as the report prints them, a value that is not taken said under the table, and the weights'
total said when it is not 100. Saved whole, checked as an import checks it, as one undoable
edit (gui.edits.governance.SaveAppraisal)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ...domain.options import OptionsError, check_appraisal, preferred_sentence
from ...services import options as service
from ..edits import Edits, push
from ..edits.governance import OPTIONS, SaveAppraisal
from ..models.governance import OptionModel, ScoreGridModel
from ..widgets import hbox, table_view
from .governance_forms import problem_label, tab_through
from .meetings.parts import button

EDIT_TRIGGERS = (QAbstractItemView.EditTrigger.DoubleClicked
                 | QAbstractItemView.EditTrigger.EditKeyPressed
                 | QAbstractItemView.EditTrigger.AnyKeyPressed)


class OptionsEditor(QWidget):
    """The appraisal of one paper, as a draft until saved (Ctrl+S)."""

    def __init__(self, edits: Edits, paper_ref: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.reg = edits.reg
        self.paper_ref = paper_ref
        self.setAccessibleName(f"Options appraisal of {paper_ref}")
        self.options = OptionModel(self)
        self.grid = ScoreGridModel(self)
        self.options.edited = self._draft_changed
        self.grid.edited = self._draft_changed
        self.options.renamed = self._renamed
        self.options_table = table_view(self.options, "Options", self, sortable=False)
        self.grid_table = table_view(self.grid, "Weighted scoring", self, sortable=False)
        for table in (self.options_table, self.grid_table):
            table.setEditTriggers(EDIT_TRIGGERS)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
            table.setToolTip("Type in a cell, or F2, to change it")
        self.options_problem = problem_label(self, "Problem with an option")
        tab_through(self.options_table, self.grid_table)
        self.grid_problem = problem_label(self, "Problem with the scoring")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("The preferred option, in words")
        self.saved = QLabel()
        self.saved.setAccessibleName("Whether the appraisal is saved")
        self.add_option_button = button("Add an o&ption", "Add an option to the long list",
                                        self.add_option)
        self.remove_option_button = button("Remove the opt&ion", "Remove the selected option",
                                           self.remove_option)
        self.add_criterion_button = button("Add a &criterion", "Add a critical success factor "
                                           "to the scoring", self.add_criterion)
        self.remove_criterion_button = button("Remove the crit&erion", "Remove the selected "
                                              "criterion", self.remove_criterion)
        self.save_action = QAction("&Save the appraisal", self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.save_action.triggered.connect(lambda _c=False: self.save())
        self.addAction(self.save_action)
        self.save_button = button("&Save the appraisal", "Save the appraisal (Ctrl+S); "
                                  "Ctrl+Z undoes it", self.save)
        self.revert_button = button("Re&vert", "Show the appraisal as saved", self.load)
        options_box = QGroupBox("Long list of options")
        box = QVBoxLayout(options_box)
        box.addWidget(self.options_table, 1)
        box.addWidget(self.options_problem)
        box.addLayout(hbox(self.add_option_button, self.remove_option_button))
        grid_box = QGroupBox("Weighted scoring against critical success factors (weights "
                             "total 100; scores 0 to 10)")
        box = QVBoxLayout(grid_box)
        box.addWidget(self.grid_table, 1)
        box.addWidget(self.grid_problem)
        box.addLayout(hbox(self.add_criterion_button, self.remove_criterion_button))
        layout = QVBoxLayout(self)
        layout.addWidget(options_box, 1)
        layout.addWidget(grid_box, 1)
        layout.addWidget(self.summary)
        layout.addLayout(hbox(self.save_button, self.revert_button, self.saved))
        edits.changed.connect(self._changed)
        self.load()

    # --- the draft ------------------------------------------------------------------------------

    def load(self) -> None:
        """The appraisal as the register holds it."""
        appraisal = service.paper_appraisal(self.reg, self.paper_ref)
        self.saved_appraisal = appraisal
        self.options.show([_copy(o) for o in appraisal.options])
        self.grid.show(appraisal, [o.name for o in appraisal.options])
        self.options.problem = self.grid.problem = ""
        self._draft_changed(dirty=False)

    def _renamed(self, old: str, new: str) -> None:
        self.grid.rename(old, new)

    def _draft_changed(self, dirty: bool = True) -> None:
        names = [o.name for o in self.options.options]
        if names != self.grid.option_names:
            self.grid.set_options(names)
        _say(self.options_problem, self.options.problem)
        _say(self.grid_problem, "\n".join(p for p in (self.grid.problem,
                                                      self.grid.weight_problem()) if p))
        draft = self.draft()
        self.summary.setText(preferred_sentence(draft) if not draft.empty else
                             "No options yet: add the long list, then score the options.")
        self.dirty = dirty
        self.saved.setText("Not saved yet (Ctrl+S saves)" if dirty else "Saved")

    def draft(self) -> Any:
        appraisal = self.grid.appraisal()
        appraisal.options = list(self.options.options)
        return appraisal

    def add_option(self) -> None:
        taken = {o.name for o in self.options.options}
        name = next(f"Option {n}" for n in range(1, len(taken) + 2) if f"Option {n}" not in taken)
        self.options.add(name)
        row = self.options.rowCount() - 1
        self.options_table.setCurrentIndex(self.options.index(row, 0))
        self.options_table.setFocus()

    def remove_option(self) -> None:
        index = self.options_table.currentIndex()
        if index.isValid():
            self.options.remove(index.row())

    def add_criterion(self) -> None:
        taken = {c[0] for c in self.grid.criteria}
        name = next(f"Criterion {n}" for n in range(1, len(taken) + 2)
                    if f"Criterion {n}" not in taken)
        self.grid.add(name)
        self.grid_table.setCurrentIndex(self.grid.index(len(self.grid.criteria) - 1, 0))
        self.grid_table.setFocus()

    def remove_criterion(self) -> None:
        index = self.grid_table.currentIndex()
        if index.isValid():
            self.grid.remove(index.row())

    def save(self) -> bool:
        """Check the draft whole; its problem is said at the table it is about, and nothing
        is written, else it is written as one undoable edit."""
        draft = self.draft()
        try:
            check_appraisal(draft, self.paper_ref)
        except OptionsError as exc:
            text = str(exc).split(": ", 1)[-1]
            text = text[:1].upper() + text[1:] + "."
            about_grid = any(w in text for w in ("weight", "score", "criterion"))
            _say(self.grid_problem if about_grid else self.options_problem, text)
            return False
        before = (self.saved_appraisal.options, self.saved_appraisal.scores)
        return push(self.edits, SaveAppraisal(self.edits, self.paper_ref, before,
                                               (draft.options, draft.scores),
                                               f"Save the options appraisal of "
                                               f"{self.paper_ref}"))

    def _changed(self, kind: str, ref: str) -> None:
        if kind == OPTIONS and ref == self.paper_ref:
            self.load()


class OptionsDialog(QDialog):
    """The options editor of a paper in a window of its own beside the Papers view."""

    def __init__(self, edits: Edits, paper_ref: str, title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Options appraisal: {paper_ref} {title}")
        self.setAccessibleName("Options appraisal")
        self.editor = OptionsEditor(edits, paper_ref, self)
        QVBoxLayout(self).addWidget(self.editor)
        self.resize(1100, 720)


def _copy(option: Any) -> Any:
    import dataclasses

    return dataclasses.replace(option)


def _say(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))
