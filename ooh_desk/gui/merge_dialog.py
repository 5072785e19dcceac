"""File > Merge another copy…: choose the other copy, read it off the GUI thread (a dry run:
nothing is written), show what the merge would do and ask, then merge for real, also off the
GUI thread, and say what happened. Every step can be cancelled; a merge stopped part way
writes nothing.

A merge is not an undoable edit. The engine writes it in one transaction that may touch
hundreds of records, and the app's undo commands put whole records back as they were, so
undoing an edit made before the merge could quietly take back what the merge brought in. So
the merge clears the undo history, says so before it starts, and first saves a copy of the
register as it was ("demo before merge 20261202-113000.oohdesk", beside it) to go back to.
Settling the conflicts it leaves is undoable, one by one (gui/edits/conflicts.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ..domain.prose import counted
from ..services.merge import MergeSummary, backup_before_merge, merge
from ..store import SUFFIX
from .flow import Flow, conflicts_line, kind_lines, summary_html
from .worker import Progress, Task

REGISTER_FILTER = f"OOH Desk registers (*{SUFFIX});;All files (*)"
TITLE = "Merge another copy"


def dry_run_work(register: Path, other: Path) -> Callable[[Progress], MergeSummary]:
    def work(progress: Progress) -> MergeSummary:
        progress.check()
        summary = merge(register, other, dry_run=True, check=progress.check)
        progress.check()  # a dry run stopped at the end is still stopped: nothing to ask
        return summary

    return work


def merge_work(register: Path, other: Path) -> Callable[[Progress], tuple[MergeSummary, Path]]:
    """The merge for a worker thread: a copy of the register first, then the merge in one
    transaction, Cancel honoured up to the moment it commits (the copy is then removed)."""

    def work(progress: Progress) -> tuple[MergeSummary, Path]:
        progress.check()
        backup = backup_before_merge(register)
        try:
            summary = merge(register, other, check=progress.check)
        except BaseException:
            backup.unlink(missing_ok=True)  # the register is as it was: no copy needed
            raise
        return summary, backup

    return work


def summary_lines(summary: MergeSummary) -> list[str]:
    """What a merge did, or would do, per kind of record, in words for the dialog."""
    name, other = summary.register.name, summary.other.name
    if not summary.changes:
        return [f"{name} already holds every change made in {other}; there is nothing to "
                "merge."]
    changes = counted(summary.changes, "change")
    out = [f"Merging {other} into {name} would bring in {changes}:" if summary.dry_run
           else f"Merged {other} into {name}: {changes} brought in."]
    kinds, conflicts = kind_lines(summary)
    out += kinds
    if conflicts:
        out.append(conflicts_line(conflicts, "would be kept" if summary.dry_run else "kept"))
    if summary.upgraded_from is not None:
        out.append(f"{other} was written by an older OOH Desk; it is read through an upgraded "
                   "temporary copy and left exactly as it is.")
    return out


class MergeFlow(Flow):
    """One merge, from choosing the file to saying what happened. `merged(summary)` once the
    register has changed (the window then shows every view afresh); `conflicts_requested()`
    when the user asks to see the conflicts it left."""

    merged = Signal(object)
    conflicts_requested = Signal()

    TITLE = TITLE

    def __init__(self, register: Path, parent: QWidget) -> None:
        super().__init__(parent)
        self.register = register
        self.other: Path | None = None
        self.task: Task | None = None
        self.summary: MergeSummary | None = None
        self.backup: Path | None = None

    def start(self) -> bool:
        chosen, _ = QFileDialog.getOpenFileName(
            self.window, "Merge another copy into this register", str(self.register.parent),
            REGISTER_FILTER)
        if not chosen:
            return False
        self.other = Path(chosen)
        self.task = Task(f"Reading {self.other.name}…", dry_run_work(self.register, self.other),
                         self.window)
        self.task.finished.connect(self._planned)
        self.task.start()
        return True

    # --- the dry run, then the question ---------------------------------------------------

    def _planned(self, outcome: str, value: Any) -> None:
        if outcome == "failed":
            self._tell(QMessageBox.Icon.Warning, f"Nothing was merged: {value}")
            return
        if outcome != "done":
            self._tell(QMessageBox.Icon.Information, "Cancelled; nothing was merged.")
            return
        self.summary = value
        if not value.changes:
            self._tell(QMessageBox.Icon.Information, summary_lines(value)[0])
            return
        backup = f"{self.register.stem} before merge (date and time){self.register.suffix}"
        box = QMessageBox(QMessageBox.Icon.Question, TITLE, summary_html(summary_lines(value)),
                          QMessageBox.StandardButton.NoButton, self.window)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setInformativeText(
            "A merge cannot be undone with Edit > Undo, and the undo history so far is "
            f"cleared. First a copy of the register as it is now is saved beside it, as "
            f"“{backup}”, to go back to if need be.")
        box.setAccessibleName("What the merge would do")
        self.merge_button = box.addButton("&Merge", QMessageBox.ButtonRole.AcceptRole)
        self.merge_button.setAccessibleName("Merge")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.buttonClicked.connect(lambda button: self._answered(button is self.merge_button))
        self._show(box)

    def _answered(self, go: bool) -> None:
        if not go:
            self.window_status("Cancelled; nothing was merged.")
            return
        assert self.other is not None
        self.task = Task(f"Merging {self.other.name}…", merge_work(self.register, self.other),
                         self.window)
        self.task.finished.connect(self._merged)
        self.task.start()

    # --- the merge, then what happened -------------------------------------------------------

    def _merged(self, outcome: str, value: Any) -> None:
        if outcome == "failed":
            self._tell(QMessageBox.Icon.Warning,
                       f"Nothing was merged: {value}. The register is as it was.")
            return
        if outcome != "done":
            self._tell(QMessageBox.Icon.Information, "Cancelled; nothing was merged.")
            return
        self.summary, self.backup = value
        self.merged.emit(self.summary)
        box = QMessageBox(QMessageBox.Icon.Information, TITLE,
                          summary_html(summary_lines(self.summary)),
                          QMessageBox.StandardButton.Close, self.window)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setInformativeText(f"The register as it was before the merge is kept at "
                               f"{self.backup}.")
        box.setAccessibleName("What the merge did")
        if self.summary.conflicts:
            # Made by the box, so the box owns it (a button made here would die with `show`).
            show = box.addButton("Show the &conflicts", QMessageBox.ButtonRole.AcceptRole)
            show.setAccessibleName("Show the conflicts")
            box.setDefaultButton(show)
            show.clicked.connect(self.conflicts_requested.emit)
        self._show(box)
