"""The import wizard: choose a file, see what kind of records it holds and how each column is
read (change any of them), see the dry run row by row, then import it all or nothing, off the
GUI thread. A cancelled import writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ..imports.mapping import SYNONYMS
from ..imports.report import ImportReport
from ..imports.sources import read_grid
from ..imports.tabular import WINDOWS_1252
from ..services.importing import import_into
from ..store import Register
from .edits import WRITE_ERRORS, Edits
from .widgets import error_style, hbox
from .worker import Cancelled, Progress, Task

KIND_LABELS = {"risks": "Risks", "milestones": "Milestones", "feedback": "Engagement feedback",
               "actions": "Actions"}
IGNORE = "(ignore this column)"


class ImportWizard(QWizard):
    imported = Signal(str)  # the kind of record written

    def __init__(self, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.reg = edits.reg
        self.setWindowTitle("Import a spreadsheet: OOH Desk")
        self.setAccessibleName("Import wizard")
        self.report: ImportReport | None = None
        self.overrides: dict[str, str] = {}
        # The file's headings and the field each is read into (None: not read).
        self.columns: list[tuple[str, str | None]] = []
        self.columns_kind: str | None = None
        self.columns_note = ""
        self.task: Task | None = None
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.summary_page = SummaryPage(self)
        for page in (self.file_page, self.mapping_page, self.summary_page):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Import")

    def source(self) -> Path:
        return Path(self.file_page.path.text().strip())

    def kind(self) -> str | None:
        return self.file_page.kind.currentData()

    def dry_run(self) -> str | None:
        """Plan the import with the current mapping; None, or what stopped it, in words."""
        source = self.source()
        if not source.name or not source.exists():
            return f"There is no file at {source}" if source.name else "Choose a file to import."
        try:
            self.report = import_into(
                self.reg, source, kind=self.kind(), sheet=self.file_page.sheet.text().strip() or None,
                overrides=self.overrides, dry_run=True)
        except WRITE_ERRORS as exc:
            self.report = None
            return str(exc)
        self.columns = [(m["column"], m["field"]) for m in self.report.mapping] + \
            [(h, None) for h in self.report.ignored]
        self.columns_kind = self.report.kind
        self.columns_note = ""
        return None

    def headings_only(self, problem: str) -> bool:
        """When no column is recognised, offer the file's headings to map by hand (the kind
        must then be chosen). False when the file cannot be read at all."""
        kind = self.kind()
        if kind is None:
            return False
        try:
            grid = read_grid(self.source(), sheet=self.file_page.sheet.text().strip() or None,
                                      kind=kind)
        except WRITE_ERRORS:
            return False
        for _, cells in grid.rows[:30]:
            headings = [str(c).strip() for c in cells if str(c or "").strip()]
            if len(headings) >= 2:
                self.columns = [(h, None) for h in headings]
                self.columns_kind = kind
                self.columns_note = ("None of these headings was recognised: choose the field "
                                     "each column holds.")
                return True
        return False

    def accept(self) -> None:
        if self.report is None or self.report.refused:
            return
        source = self.source()
        work = import_work(self.reg.path, source, kind=self.report.kind,
                           sheet=self.file_page.sheet.text().strip() or None,
                           overrides=dict(self.overrides))
        self.task = Task(f"Importing {source.name}…", work, self)
        self.task.finished.connect(self._finished)
        self.task.start()

    def _finished(self, outcome: str, value: Any) -> None:
        if outcome == "done" and not value.written:
            QMessageBox.warning(self, "OOH Desk", "Nothing was imported: "
                                f"{value.problems[0] if value.problems else 'the file changed'}")
        elif outcome == "done":
            counts = value.counts()
            self.imported.emit(value.kind)
            QMessageBox.information(self, "OOH Desk", f"Imported {self.source().name}: "
                                    f"{counts['new']} new, {counts['updated']} updated, "
                                    f"{counts['unchanged']} unchanged."
                                    + "".join(f"\n\nNote: {n}" for n in value.notes))
            super().accept()
        elif outcome == "failed":
            QMessageBox.warning(self, "OOH Desk", f"Nothing was imported: {value}")
        else:
            self.summary_page.message.setText("Cancelled; nothing was imported.")


def import_work(register: Path, source: Path, *, kind: str | None, sheet: str | None,
                overrides: dict[str, str]) -> Callable[[Progress], ImportReport]:
    """The import as a job for a worker thread: its own connection to the register, one
    transaction, and Cancel honoured up to the moment it commits."""

    def work(progress: Progress) -> ImportReport:
        progress.check()
        with Register.open(register) as reg, reg.transaction():
            report = import_into(reg, source, kind=kind, sheet=sheet, overrides=overrides)
            if progress.cancelled():
                raise Cancelled()  # leaving the transaction rolls the whole import back
        return report

    return work


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.setTitle("Choose the file")
        self.setSubTitle("A CSV or Excel (.xlsx) file, or an OOH Desk .json export.")
        self.path = QLineEdit()
        self.path.setAccessibleName("File to import")
        browse = QPushButton("&Browse…")
        browse.setAccessibleName("Browse for the file to import")
        browse.clicked.connect(self._browse)
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of records")
        self.kind.addItem("Work it out from the headings", None)
        for key, label in KIND_LABELS.items():
            self.kind.addItem(label, key)
        self.sheet = QLineEdit()
        self.sheet.setAccessibleName("Sheet name (Excel files)")
        self.sheet.setPlaceholderText("the first sheet that looks right")
        self.message = QLabel()
        self.message.setStyleSheet(error_style(self))
        self.message.setWordWrap(True)
        form = QFormLayout(self)
        file_label = QLabel("&File:")
        file_label.setBuddy(self.path)
        form.addRow(file_label, hbox(self.path, browse, stretch_last=True))
        form.addRow("&Kind:", self.kind)
        form.addRow("&Sheet:", self.sheet)
        form.addRow(self.message)

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Import a file", "",
                                                "Spreadsheets (*.csv *.xlsx *.xlsm *.json);;"
                                                "All files (*)")
        if chosen:
            self.path.setText(chosen)

    def validatePage(self) -> bool:
        wizard: ImportWizard = self.wizard()  # type: ignore[assignment]
        wizard.overrides = {}
        problem = wizard.dry_run()
        if problem and "no recognisable columns" in problem and wizard.headings_only(problem):
            return True
        if problem and "no recognisable columns" in problem and wizard.kind() is None:
            problem += ". Or choose the kind of records above, then map the columns yourself."
        self.message.setText(problem or "")
        return problem is None


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.setTitle("Check how each column is read")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.inner = QWidget()
        self.form = QFormLayout(self.inner)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.inner)
        self.message = QLabel()
        self.message.setStyleSheet(error_style(self))
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        self.combos: dict[str, QComboBox] = {}

    def initializePage(self) -> None:
        wizard: ImportWizard = self.wizard()  # type: ignore[assignment]
        while self.form.rowCount():
            self.form.removeRow(0)
        self.combos = {}
        self.message.setText(wizard.columns_note)
        kind = wizard.columns_kind or ""
        guessed = " (worked out from the headings)" if wizard.report and \
            wizard.report.kind_guessed else ""
        label = KIND_LABELS.get(kind, kind)
        self.summary.setText(f"<b>{wizard.source().name}</b> holds <b>{label}</b>{guessed}. Each "
                             "of its columns is read into the field shown; change any that are "
                             "wrong.")
        fields = list(SYNONYMS.get(kind, {}))
        for heading, field in wizard.columns:
            combo = QComboBox()
            combo.setAccessibleName(f"Field for the column {heading}")
            combo.addItem(IGNORE, "ignore")
            for f in fields:
                combo.addItem(f.replace("_", " "), f)
            combo.setCurrentIndex(max(combo.findData(field or "ignore"), 0))
            self.combos[heading] = combo
            self.form.addRow(f"{heading}:", combo)

    def validatePage(self) -> bool:
        wizard: ImportWizard = self.wizard()  # type: ignore[assignment]
        wizard.overrides = {heading: combo.currentData() for heading, combo in self.combos.items()}
        problem = wizard.dry_run()
        self.message.setText(problem or "")
        return problem is None


class SummaryPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.setTitle("What the import would do")
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.counts.setAccessibleName("Dry run summary")
        self.rows = QPlainTextEdit()
        self.rows.setReadOnly(True)
        self.rows.setAccessibleName("Dry run, row by row")
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(self.rows, 1)
        layout.addWidget(self.message)

    def initializePage(self) -> None:
        wizard: ImportWizard = self.wizard()  # type: ignore[assignment]
        report = wizard.report
        if report is None:
            return
        counts = report.counts()
        encoding = ""
        if report.encoding == WINDOWS_1252:  # not UTF-8: the user judges the accents
            encoding = (f" Text read as {WINDOWS_1252}, as Excel saves \u201cCSV\u201d on Windows: "
                        "if an accented letter or a symbol looks wrong, save the file as "
                        "\u201cCSV UTF-8\u201d and import again.")
        self.counts.setText(f"{counts['new']} new, {counts['updated']} updated, "
                            f"{counts['unchanged']} unchanged, {counts['refused']} refused."
                            + encoding)
        lines = []
        for r in report.rows:
            where = f"row {r.row}: " if r.row else ""
            if r.outcome == "refused":
                lines += [f"refused    {p}" for p in r.problems]
            else:
                changed = f" ({', '.join(r.changed)})" if r.changed else ""
                lines.append(f"{r.outcome:<10} {where}{r.ref}{changed}")
        self.rows.setPlainText("\n".join(lines))
        if report.refused:
            self.message.setStyleSheet(error_style(self))
            self.message.setText("Nothing can be imported until every row is accepted: put the "
                                 "refused rows right in the file, or go Back and change the "
                                 "mapping. Imports are all or nothing.")
        else:
            self.message.setStyleSheet("")
            self.message.setText("Press Import to write these to the register.")

    def isComplete(self) -> bool:
        wizard: ImportWizard = self.wizard()  # type: ignore[assignment]
        return wizard.report is not None and not wizard.report.refused
