"""Papers: pick a paper (or draft one from the register) and a house style, see the outline,
then write the Word report or the Excel risk log off the GUI thread and open the result.

The writers live in ooh_desk.exports and are imported only when used, so the app opens even
where one of them is missing."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.board_dates import long_date
from ...domain.papers import BLOCKS, DECISIONS, Paper, section_key
from ...exports.as_at import report_as_at
from ...services import outputs
from ...services import papers as paper_service
from ...store import Register
from ...store.papers import get_paper
from ...store.queries import paper_refs
from ..edits import Edits
from ..forms import CommitLine, CommitText, with_problem_line
from ..widgets import hbox, scrolling
from ..worker import Progress, Task
from ..written import show_outcome
from .paper_preview import PaperPreview

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


SECTION_LABELS = {
    "purpose": "Purpose", "summary": "Summary", "key_issues": "Key issues",
    "recommendations": "Recommendations", "background": "Background", "options": "Options",
    "financial": "Financial implications", "legal": "Legal implications",
    "equality": "Equality implications", "ppi": "Patient and public involvement",
    "risk": "Risk", "objectives": "Objectives", "next_steps": "Next steps",
}
BLOCK_LABELS = {"timeline": "Milestone timeline", "risk-log": "Risk log", "heat-map": "Heat map",
                "actions": "Actions", "feedback": "Feedback appendix", "decisions": "Decisions",
                "options": "Options appraisal"}
TEXT_FIELDS = (("title", "&Title"), ("committee", "&Committee"), ("meeting", "&Meeting"),
               ("author", "&Author"), ("sponsor", "S&ponsor"))


class PaperFields(QWidget):
    """A paper's front matter: title, committee, meeting, author, sponsor, the decision it
    seeks, its house style and the register blocks it carries, with a message under each
    field. `edited(name, text)` when one is committed, in the words paper_service reads."""

    edited = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.widgets: dict[str, Any] = {}
        self.messages: dict[str, QLabel] = {}
        for name, label in TEXT_FIELDS:
            line = CommitLine(label.replace("&", ""))
            line.committed.connect(lambda text, n=name: self.edited.emit(n, text))
            self._row(form, name, label, line)
        decision = QComboBox()
        decision.setAccessibleName("Decision sought")
        for d in DECISIONS:
            decision.addItem(f"For {d}", d)
        decision.activated.connect(lambda _i: self.edited.emit("decision", decision.currentData()))
        self._row(form, "decision", "&Decision sought", decision)
        style = QComboBox()
        style.setAccessibleName("The paper's house style")
        style.addItem("Chosen when the report is written", "")
        for key, (label, _) in STYLES.items():
            style.addItem(label, key)
        style.activated.connect(lambda _i: self.edited.emit("style", style.currentData()))
        self._row(form, "style", "Paper's st&yle", style)
        blocks = QWidget()
        grid = QGridLayout(blocks)
        grid.setContentsMargins(0, 0, 0, 0)
        self.block_boxes: dict[str, QCheckBox] = {}
        for n, key in enumerate(BLOCKS):
            box = QCheckBox(BLOCK_LABELS[key])
            box.setAccessibleName(f"Carry the {BLOCK_LABELS[key].lower()}")
            box.clicked.connect(lambda _c=False: self.edited.emit("blocks", self.blocks_text()))
            self.block_boxes[key] = box
            grid.addWidget(box, n // 3, n % 3)
        self._row(form, "blocks", "Register &blocks", blocks)

    def _row(self, form: QFormLayout, name: str, label: str, widget: QWidget) -> None:
        box, message = with_problem_line(widget, label, self)
        caption = QLabel(f"{label}:")
        caption.setBuddy(widget)
        form.addRow(caption, box)
        self.widgets[name] = widget
        self.messages[name] = message

    def blocks_text(self) -> str:
        return ", ".join(k for k, box in self.block_boxes.items() if box.isChecked())

    def set_paper(self, paper: Paper | None) -> None:
        self.clear_problems()
        self.setEnabled(paper is not None)
        paper = paper or Paper(ref="", title="")
        for name, _ in TEXT_FIELDS:
            self.widgets[name].set_value(getattr(paper, name))
        for name in ("decision", "style"):
            combo = self.widgets[name]
            combo.setCurrentIndex(max(combo.findData(getattr(paper, name)), 0))
        for key, box in self.block_boxes.items():
            box.setChecked(key in paper.blocks)

    def values(self) -> dict[str, str]:
        out = {name: self.widgets[name].value() for name, _ in TEXT_FIELDS}
        out["decision"] = self.widgets["decision"].currentData()
        out["style"] = self.widgets["style"].currentData()
        out["blocks"] = self.blocks_text()
        return out

    def clear_problems(self) -> None:
        for message in self.messages.values():
            message.clear()
            message.hide()

    def check(self, paper: Paper, values: dict[str, str]) -> bool:
        """Apply the values to `paper` one field at a time, as the command line does; every
        problem is shown under its field. True when there were none."""
        self.clear_problems()
        ok = True
        for name, text in values.items():
            try:
                paper_service.apply_fields(paper, {name: text}, "the paper")
            except paper_service.PaperInputError as exc:
                self._problem(name, str(exc).split(": ", 1)[-1])
                ok = False
        if not paper.title.strip():
            self._problem("title", "A paper needs a title")
            ok = False
        return ok

    def _problem(self, name: str, text: str) -> None:
        text = text[:1].upper() + text[1:]
        self.messages[name].setText(text if text.endswith(".") else text + ".")
        self.messages[name].show()


class NewPaperDialog(QDialog):
    """Title, committee, meeting, author, sponsor, decision sought, style and blocks; written
    as one undoable edit only when every field is understood."""

    def __init__(self, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.created: Paper | None = None
        self.setWindowTitle("New paper")
        self.setAccessibleName("New paper")
        self.fields = PaperFields(self)
        self.fields.set_paper(Paper(ref="", title=""))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Create paper")
        self.ok.setAccessibleName("Create the paper")
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def create(self) -> bool:
        paper = Paper(ref="", title="")  # the register gives the ref as it writes
        if not self.fields.check(paper, self.fields.values()):
            return False
        if not self.edits.create("papers", paper, "New paper"):
            return False
        self.created = paper
        self.accept()
        return True


class PapersView(QWidget):
    title = "Papers"

    def __init__(self, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.reg = edits.reg
        self.setAccessibleName("Papers")
        self.task: Task | None = None
        self.outline_task: Task | None = None
        self.current: Paper | None = None
        self.paper = QComboBox()
        self.paper.setAccessibleName("Paper")
        self.style = QComboBox()
        self.style.setAccessibleName("House style")
        for key, (label, _) in STYLES.items():
            self.style.addItem(label, key)
        self.new_action = QAction("&New paper…", self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.new_action.triggered.connect(lambda _c=False: self.new_paper())
        self.addAction(self.new_action)
        self.new_button = QToolButton()
        self.new_button.setDefaultAction(self.new_action)
        self.new_button.setAccessibleName("New paper")
        self.new_button.setToolTip("Start a new paper (Ctrl+N)")
        self.dialog: NewPaperDialog | None = None
        self.fields = PaperFields()
        self.fields.edited.connect(self._field_edited)
        self.section = QComboBox()
        self.section.setAccessibleName("Narrative section")
        self._list_sections()
        self.section_text = CommitText("Text of the narrative section", lines=9)
        self.section_text.setMinimumHeight(self.section_text.fontMetrics().lineSpacing() * 4)
        self.section_text.setMaximumHeight(16777215)  # the section takes the room there is
        self.section_text.setPlaceholderText("Plain text. A blank line starts a new paragraph; "
                                             "a line starting '- ' is a bullet, '1. ' a "
                                             "numbered item; | pipe | tables | and "
                                             "![alt text](picture.png) work too. Saved when "
                                             "you leave the box or press Ctrl+Enter.")
        self.section_text.committed.connect(self._section_edited)
        self.section.currentIndexChanged.connect(lambda _i: self._show_section())
        self.outline = QPlainTextEdit()
        self.outline.setReadOnly(True)
        self.outline.setAccessibleName("Outline of the paper")
        self.outline.setPlaceholderText("Working out the outline…")
        self.outline_timer = QTimer(self)
        self.outline_timer.setSingleShot(True)
        self.outline_timer.setInterval(250)
        self.outline_timer.timeout.connect(self._start_outline)
        self.path = self.reg.path  # the worker reads its own connection, by path
        self._outline_stale = True
        self.report_button = QPushButton("Write &Word report…")
        self.report_button.setAccessibleName("Write the Word report")
        self.log_button = QPushButton("Write &Excel risk log…")
        self.log_button.setAccessibleName("Write the Excel risk log")
        self.report_button.clicked.connect(lambda: self.write_report(None))
        self.log_button.clicked.connect(lambda: self.write_risk_log(None))
        self.options_button = QPushButton("Options &appraisal…")
        self.options_button.setAccessibleName("Edit the paper's options appraisal")
        self.options_button.setToolTip("The long list of options and their weighted scoring")
        self.options_button.clicked.connect(lambda: self.open_options())
        self.options_dialog: Any = None
        self.as_at = QLabel()
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setAccessibleName("Last paper written")

        top = QFormLayout()
        paper_label = QLabel("&Paper:")
        paper_label.setBuddy(self.paper)
        top.addRow(paper_label, hbox(self.paper, self.new_button, stretch_last=True))
        top.addRow("House &style:", self.style)
        top.addRow("As at:", self.as_at)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addLayout(top)
        lv.addWidget(self.fields)
        section_label = QLabel("Sectio&n:")
        section_label.setBuddy(self.section)
        lv.addLayout(hbox(section_label, self.section))
        lv.addWidget(self.section_text, 1)
        lv.addLayout(hbox(self.options_button))
        left_scroll = scrolling(left, "The paper")
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        outline_label = QLabel("<b>Outline</b>: the headings of the report in order, and "
                               "each register block with its rows")
        outline_label.setWordWrap(True)  # the preview beside it needs the width
        rv.addWidget(outline_label)
        rv.addWidget(self.outline, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("papers_splitter")
        splitter.addWidget(left_scroll)
        splitter.addWidget(right)
        self.preview = PaperPreview(self.path)  # the first pages as they will print
        splitter.addWidget(self.preview)
        splitter.setSizes([560, 320, 400])
        for n, stretch in enumerate((7, 4, 5)):  # the paper's fields keep their room
            splitter.setStretchFactor(n, stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(hbox(self.report_button, self.log_button))
        layout.addWidget(self.result)
        self.paper.currentIndexChanged.connect(self._paper_chosen)
        self.style.currentIndexChanged.connect(lambda _i: self.outline_soon())
        edits.changed.connect(self._changed)
        self.refresh()

    def refresh(self, select: str | None = None) -> None:
        chosen = select or self.paper.currentData()
        self.paper.blockSignals(True)
        self.paper.clear()
        self.paper.addItem("A paper drafted from the register", None)
        for ref, title in paper_refs(self.reg):
            self.paper.addItem(f"{ref}: {title}", ref)
        self.paper.setCurrentIndex(max(self.paper.findData(chosen), 0) if chosen else 0)
        self.paper.blockSignals(False)
        self._paper_chosen()

    def _paper_chosen(self, *_: Any) -> None:
        ref = self.paper.currentData()
        self.current = get_paper(self.reg, ref) if ref else None
        # the paper's meeting date, as the report and the issue list see it (one rule)
        self.as_at.setText(long_date(report_as_at(self.reg, paper_ref=ref)))
        self.fields.set_paper(self.current)
        self._list_sections()
        self.section_text.setEnabled(self.current is not None)
        self.options_button.setEnabled(self.current is not None)
        if self.current and self.current.style:
            self.style.blockSignals(True)
            self.style.setCurrentIndex(max(self.style.findData(self.current.style), 0))
            self.style.blockSignals(False)
        self._show_section()
        self.outline_soon()

    def outline_soon(self) -> None:
        """Work the outline out again, now if the view is on screen, else when it is shown
        (a hidden view costs nothing at start-up)."""
        self._outline_stale = True
        if self.isVisible():
            self.outline_timer.start()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._outline_stale:
            self.outline_timer.start()

    def hideEvent(self, event: Any) -> None:
        self.outline_timer.stop()
        self.preview.stop()  # LibreOffice is not kept busy for a view no one sees
        super().hideEvent(event)

    def _list_sections(self) -> None:
        """The paper's own sections, in its order under its own headings (Contract History,
        Governance …), then the sections every house style knows that it has not written
        yet. The section chosen stays chosen when the list is made again."""
        chosen = self.section.currentData()
        chosen_key = section_key(chosen) if chosen else None
        self.section.blockSignals(True)
        self.section.clear()
        paper = getattr(self, "current", None)  # none yet while the view is being built
        own = paper.narrative() if paper is not None else []
        for heading, _key, _text in own:
            self.section.addItem(SECTION_LABELS.get(heading, heading), heading)
        for key, label in SECTION_LABELS.items():
            if key not in {k for _, k, _ in own}:
                self.section.addItem(label, key)
        found = next((n for n in range(self.section.count())
                      if section_key(self.section.itemData(n)) == chosen_key), 0)
        self.section.setCurrentIndex(found)
        self.section.blockSignals(False)

    def _show_section(self) -> None:
        key = self.section.currentData()
        if self.current is None:
            self.section_text.set_value("")
            self.section_text.setPlaceholderText("The draft is written from the register. "
                                                 "Start a new paper (Ctrl+N) to write your own.")
            return
        heading = self.current.heading_for(key) if key else None
        self.section_text.set_value(self.current.sections[heading] if heading else "")

    def open_options(self) -> Any:
        """The options editor of the paper shown (built on first use)."""
        if self.current is None:
            return None
        from .options_editor import OptionsDialog

        self.options_dialog = OptionsDialog(self.edits, self.current.ref, self.current.title,
                                            self)
        self.options_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.options_dialog.open()
        return self.options_dialog

    def new_paper(self) -> NewPaperDialog:
        self.dialog = NewPaperDialog(self.edits, self)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.open()
        return self.dialog

    # --- edits -------------------------------------------------------------------------------

    def _field_edited(self, name: str, text: str) -> None:
        before = self.current
        if before is None:
            return
        after = copy.deepcopy(before)
        if not self.fields.check(after, {name: text}):
            return
        if after == before:
            return
        label = {"blocks": "register blocks", "decision": "decision sought"}.get(name, name)
        self._save(before, after, f"Set the {label} of {before.ref}")

    def _section_edited(self, text: str) -> None:
        before = self.current
        if before is None:
            return
        key = self.section.currentData()
        after = copy.deepcopy(before)
        paper_service.set_sections(after, {key: text})
        if after != before:
            label = SECTION_LABELS.get(key)
            self._save(before, after, f"Edit the {label.lower()} of {before.ref}" if label
                       else f"Edit the section '{key}' of {before.ref}")

    def _save(self, before: Paper, after: Paper, text: str) -> None:
        if not self.edits.save("papers", before, after, text):
            self.fields.set_paper(before)

    def _changed(self, kind: str, ref: str) -> None:
        if kind == "papers":
            self.refresh(select=ref if get_paper(self.reg, ref) else None)
        else:
            self.outline_soon()  # the register blocks' rows may have changed

    # --- the outline, worked out from the report itself, off the GUI thread ---------------

    def _start_outline(self) -> None:
        if self.outline_task is not None and self.outline_task.outcome is None:
            self.outline_timer.start()  # one at a time: try again when this one is done
            return
        self._outline_stale = False
        paper, style, path = self.paper.currentData(), self.style.currentData(), self.path

        def work(progress: Progress) -> tuple[Any, date, list[Any]]:
            # Here, on the worker: python-docx loads the first time an outline is worked out,
            # not on the GUI thread as the view opens.
            from ...exports.report import report_outline

            with Register.open(path, readonly=True) as reg:
                as_at = report_as_at(reg, paper_ref=paper)
                return reg.programme, as_at, report_outline(reg, paper_ref=paper, style=style,
                                                            as_at=as_at)

        self.outline_task = Task("Working out the outline", work, self, show_dialog=False)
        self.outline_task.finished.connect(self._outline_ready)
        self.outline_task.start()
        self.preview.request(paper, style)

    def _outline_ready(self, outcome: str, value: Any) -> None:
        if outcome == "done":
            programme, as_at, lines = value
            label = STYLES[self.style.currentData()][0]
            head = [f"{self.paper.currentText()}, {label}",
                    f"{programme.name}, as at {long_date(as_at)}",
                    f"Protective marking: {programme.protective_marking}", ""]
            self.outline.setPlainText("\n".join(head + [str(line) for line in lines]))
        else:
            self.outline.setPlainText(f"The outline cannot be worked out: {value}")

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
        paper, style, path = self.paper.currentData(), self.style.currentData(), self.reg.path

        def work(progress: Progress) -> outputs.Written:
            progress.check()  # as at the paper's meeting date, or the register's (report_as_at)
            return outputs.write_report(path, out, paper_ref=paper, style=style)

        return self._run("Writing the Word report…", work)

    def write_risk_log(self, out: Path | None) -> Task | None:
        out = out or self._ask("Write the Excel risk log", f"{self.reg.path.stem} risk log.xlsx",
                               "Excel workbooks (*.xlsx)")
        if out is None:
            return None
        as_at, path = self.reg.default_as_at(), self.reg.path

        def work(progress: Progress) -> outputs.Written:
            progress.check()
            return outputs.write_risk_log(path, out, as_at=as_at)

        return self._run("Writing the Excel risk log…", work)

    def _run(self, label: str, work: Any) -> Task:
        self.task = Task(label, work, self)
        self.task.finished.connect(self._finished)
        return self.task.start()

    def _finished(self, outcome: str, value: Any) -> None:
        if outcome == "done":
            show_outcome(self, self.result, outcome, f"Wrote {value.path}", value.path,
                         value.notes)
        else:
            show_outcome(self, self.result, outcome, str(value), None)
