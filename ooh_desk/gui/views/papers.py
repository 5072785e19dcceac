"""Papers: pick a paper (or draft one from the register) and a house style, see the outline,
then write the Word report or the Excel risk log off the GUI thread and open the result.

The writers live in ooh_desk.exports and are imported only when used, so the app opens even
where one of them is missing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.board_dates import long_date
from ...services import paper_refs
from ..edits import Edits
from ..widgets import hbox
from ..worker import Progress, Task

STYLES = {
    "coventry": ("Coventry (council report)",
                 ["To / Date / From / Title", "1 Purpose", "2 Recommendations",
                  "3 Information / Background", "4 Options considered and recommended proposal",
                  "Report author(s)", "Appendices: milestone timeline, risk log, heat map, "
                  "feedback"]),
    "durham": ("Durham (numbered paragraphs)",
               ["Purpose of the Report", "Executive summary", "Recommendations and reasons",
                "Background", "Contact", "Appendix: Engagement Route / Comments / Action Taken"]),
    "nhs-cover": ("NHS governing body cover sheet",
                  ["Author, Sponsor", "For Approval / Consideration / Noting",
                   "Resource implications", "Objectives", "Equality impact assessment",
                   "Patient and public involvement", "Recommendations"]),
}


class PapersView(QWidget):
    title = "Papers"

    def __init__(self, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.reg = edits.reg
        self.setAccessibleName("Papers")
        self.task: Task | None = None
        self.paper = QComboBox()
        self.paper.setAccessibleName("Paper")
        self.style = QComboBox()
        self.style.setAccessibleName("House style")
        for key, (label, _) in STYLES.items():
            self.style.addItem(label, key)
        self.outline = QPlainTextEdit()
        self.outline.setReadOnly(True)
        self.outline.setAccessibleName("Outline of the paper")
        self.report_button = QPushButton("Write &Word report…")
        self.report_button.setAccessibleName("Write the Word report")
        self.log_button = QPushButton("Write &Excel risk log…")
        self.log_button.setAccessibleName("Write the Excel risk log")
        self.report_button.clicked.connect(lambda: self.write_report(None))
        self.log_button.clicked.connect(lambda: self.write_risk_log(None))
        self.as_at = QLabel()
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setAccessibleName("Last paper written")
        form = QFormLayout()
        form.addRow("&Paper:", self.paper)
        form.addRow("House &style:", self.style)
        form.addRow("As at:", self.as_at)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("<b>Outline</b>"))
        layout.addWidget(self.outline, 1)
        layout.addLayout(hbox(self.report_button, self.log_button))
        layout.addWidget(self.result)
        self.paper.currentIndexChanged.connect(self._outline)
        self.style.currentIndexChanged.connect(self._outline)
        self.refresh()

    def refresh(self) -> None:
        self.paper.blockSignals(True)
        self.paper.clear()
        self.paper.addItem("A paper drafted from the register", None)
        for ref, title in paper_refs(self.reg):
            self.paper.addItem(f"{ref}: {title}", ref)
        self.paper.blockSignals(False)
        self.as_at.setText(long_date(self.reg.default_as_at()))
        self._outline()

    def _outline(self, *_: Any) -> None:
        label, sections = STYLES[self.style.currentData()]
        paper = self.paper.currentText()
        programme = self.reg.programme
        lines = [f"{paper}, {label}", f"{programme.name}, as at {long_date(self.reg.default_as_at())}",
                 f"Protective marking: {programme.protective_marking}", ""]
        lines += [f"  {s}" for s in sections]
        self.outline.setPlainText("\n".join(lines))

    # --- writing -----------------------------------------------------------------------------

    def _ask(self, title: str, suggested: str, filters: str) -> Path | None:
        start = str(self.reg.path.with_name(suggested))
        chosen, _ = QFileDialog.getSaveFileName(self, title, start, filters)
        return Path(chosen) if chosen else None

    def write_report(self, out: Path | None) -> Task | None:
        out = out or self._ask("Write the Word report", f"{self.reg.path.stem} report.docx",
                               "Word documents (*.docx)")
        if out is None:
            return None
        paper, style, as_at, path = (self.paper.currentData(), self.style.currentData(),
                                     self.reg.default_as_at(), self.reg.path)

        def work(progress: Progress) -> Path:
            from ...exports.report import write_report
            from ...store import Register

            progress.check()
            with Register.open(path, readonly=True) as reg:
                write_report(reg, out, paper_ref=paper, style=style, as_at=as_at)
            return out

        return self._run("Writing the Word report…", work)

    def write_risk_log(self, out: Path | None) -> Task | None:
        out = out or self._ask("Write the Excel risk log", f"{self.reg.path.stem} risk log.xlsx",
                               "Excel workbooks (*.xlsx)")
        if out is None:
            return None
        as_at, path = self.reg.default_as_at(), self.reg.path

        def work(progress: Progress) -> Path:
            from ...exports.risk_log import write_risk_log
            from ...store import Register

            progress.check()
            with Register.open(path, readonly=True) as reg:
                write_risk_log(reg, out, as_at=as_at)
            return out

        return self._run("Writing the Excel risk log…", work)

    def _run(self, label: str, work: Any) -> Task:
        self.task = Task(label, work, self)
        self.task.finished.connect(self._finished)
        return self.task.start()

    def _finished(self, outcome: str, value: Any) -> None:
        if outcome == "done":
            self.result.setText(f"Wrote {value}")
            box = QMessageBox(QMessageBox.Icon.Information, "OOH Desk", f"Wrote {value}",
                              QMessageBox.StandardButton.Close, self)
            open_file = box.addButton("Open the file", QMessageBox.ButtonRole.AcceptRole)
            open_folder = box.addButton("Open its folder", QMessageBox.ButtonRole.ActionRole)
            box.exec()
            if box.clickedButton() is open_file:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(value)))
            elif box.clickedButton() is open_folder:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(value).parent)))
        elif outcome == "failed":
            self.result.setText(f"Not written: {value}")
            QMessageBox.warning(self, "OOH Desk", f"Nothing was written: {value}")
        else:
            self.result.setText("Cancelled; nothing was written.")
