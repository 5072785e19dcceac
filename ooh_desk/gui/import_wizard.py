"""The import wizard: choose a file; see its columns with the field each is read into and its
first rows as they would be read, change any column's field or ignore it (or apply a saved
mapping profile: one made for the same headings is offered first); see the dry run row by row;
then import it all or nothing, off the GUI thread. A cancelled import writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ..imports.profiles import (
    IGNORE as IGNORED,
)
from ..imports.profiles import (
    Profile,
    fitting_profiles,
    load_profiles,
    matching_profiles,
    profile_from,
    save_profile,
)
from ..imports.report import ImportReport
from ..imports.sources import read_grid
from ..imports.tabular import WINDOWS_1252, Grid
from ..services.import_preview import Preview, preview_grid
from ..services.importing import import_into
from ..store import Register
from .edits import WRITE_ERRORS, Edits
from .widgets import error_style, hbox
from .worker import Cancelled, Progress, Task

KIND_LABELS = {"risks": "Risks", "milestones": "Milestones", "feedback": "Engagement feedback",
               "actions": "Actions"}
IGNORE = "(ignore this column)"
NO_PROFILE = "None: read the headings afresh"


class ImportWizard(QWizard):
    imported = Signal(str)  # the kind of record written

    def __init__(self, edits: Edits, parent: QWidget | None = None,
                 profiles_folder: Path | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.reg = edits.reg
        # Where mapping profiles are kept (None: the user's settings folder).
        self.profiles_folder = profiles_folder
        self.setWindowTitle("Import a spreadsheet: OOH Desk")
        self.setAccessibleName("Import wizard")
        self.report: ImportReport | None = None
        # The user's choices, their heading -> field or "ignore"; a profile's to start with.
        self.overrides: dict[str, str] = {}
        self.profile: Profile | None = None
        self.kind_hint: str | None = None
        self.preview: Preview | None = None
        self._grid: tuple[tuple[Any, ...], Grid] | None = None
        self.task: Task | None = None
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.summary_page = SummaryPage(self)
        for page in (self.file_page, self.mapping_page, self.summary_page):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Import")

    def source(self) -> Path:
        return Path(self.file_page.path.text().strip())

    def sheet(self) -> str | None:
        return self.file_page.sheet.text().strip() or None

    def kind(self) -> str | None:
        """The kind chosen on the first page, else the profile's (or the last profile's, when
        the user turns it off); None: work it out."""
        return self.file_page.kind.currentData() or \
            (self.profile.kind if self.profile else self.kind_hint)

    def grid(self, kind: str | None) -> Grid:
        """The file's cells, read once per file, sheet and kind (a workbook's sheet is chosen
        by kind): changing a column's field redraws the preview without reading it again."""
        source = self.source()
        key = (source, source.stat().st_mtime_ns, self.sheet(), kind)
        if self._grid is None or self._grid[0] != key:
            self._grid = (key, read_grid(source, sheet=self.sheet(), kind=kind))
        return self._grid[1]

    def make_preview(self) -> str | None:
        """Read the file with the current choices into `preview`; None, or what stopped it."""
        source = self.source()
        if not source.name or not source.exists():
            return f"There is no file at {source}" if source.name else "Choose a file to import."
        # A quarter of a second for 5,000 rows: the wait cursor says so, the thread stays.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            kind = self.kind()
            self.preview = preview_grid(self.grid(kind), kind, self.overrides, reg=self.reg)
        except WRITE_ERRORS as exc:
            return str(exc)
        finally:
            QApplication.restoreOverrideCursor()
        return None

    def choose_profile(self, profile: Profile | None, kind_hint: str | None = None) -> str | None:
        """Read the file as `profile` says (None: as its headings say, as `kind_hint` if the
        first page left the kind to be worked out)."""
        self.profile = profile
        self.kind_hint = kind_hint
        self.overrides = profile.overrides() if profile else {}
        return self.make_preview()

    def offer_profile(self) -> bool:
        """A saved profile made for these very headings is applied at once (the user can
        still choose another, or none): True when one was. The headings need name no field:
        a profile is how a file of headings no one else uses is read."""
        kind = self.file_page.kind.currentData()
        try:
            fits = matching_profiles(self.preview.headings(), kind, self.profiles_folder) \
                if self.preview else []
            fits = fits or fitting_profiles(self.grid(kind), kind, self.profiles_folder)
        except WRITE_ERRORS:
            return False
        for profile in fits:
            if self.choose_profile(profile) is None:
                return True
        self.choose_profile(None)
        return False

    def profiles(self) -> list[tuple[Profile, bool]]:
        """Saved profiles, each with whether it fits this file's headings; those first."""
        try:
            saved = load_profiles(self.profiles_folder)
        except WRITE_ERRORS:
            return []
        headings = self.preview.headings() if self.preview else []
        kind = self.file_page.kind.currentData()
        offered = [(p, p.fits(headings)) for p in saved if kind is None or p.kind == kind]
        return sorted(offered, key=lambda pair: not pair[1])

    def save_profile(self, name: str) -> str | None:
        """Keep the columns as now read under `name`; None, or what stopped it."""
        assert self.preview is not None
        try:
            save_profile(profile_from(name, self.preview.kind, self.preview.mapping()),
                         self.profiles_folder)
        except WRITE_ERRORS as exc:
            return f"The profile was not saved: {exc}"
        return None

    def dry_run(self) -> str | None:
        """Plan the import with the current mapping; None, or what stopped it, in words."""
        source = self.source()
        if not source.name or not source.exists():
            return f"There is no file at {source}" if source.name else "Choose a file to import."
        kind = self.preview.kind if self.preview else self.kind()
        try:
            self.report = import_into(self.reg, source, kind=kind, sheet=self.sheet(),
                                      overrides=self.overrides, dry_run=True)
        except WRITE_ERRORS as exc:
            self.report = None
            return str(exc)
        return None

    def accept(self) -> None:
        if self.report is None or self.report.refused:
            return
        source = self.source()
        work = import_work(self.reg.path, source, kind=self.report.kind, sheet=self.sheet(),
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
        wizard.profile, wizard.kind_hint = None, None
        wizard.overrides = {}
        wizard.preview = None
        problem = wizard.make_preview()
        if (problem is None or "no recognisable columns" in problem) and wizard.offer_profile():
            problem = None
        if problem and "no recognisable columns" in problem and wizard.kind() is None:
            problem += ". Or choose the kind of records above, then map the columns yourself."
        self.message.setText(problem or "")
        return problem is None


# The fields whose bare names would mislead: the unqualified scores are the current ones.
_FIELD_LABELS = {"ref": "Ref", "likelihood": "Likelihood (current)", "impact": "Impact (current)",
                 "score": "Score (current, checked only)",
                 "inherent_score": "Inherent score (checked only)", "reviewed_by": "Reviewing body"}


def field_label(name: str) -> str:
    """A field's name as the drop-down lists show it: "review_date" -> "Review date"."""
    return _FIELD_LABELS.get(name) or name.replace("_", " ").capitalize()


class PreviewModel(QAbstractTableModel):
    """The preview as a table: one column per column of the file (its heading above), the
    field each is read into on the first row (edited with a drop-down list), the first rows
    of the file as they would be read below it, and each row's problems in a last column."""

    FIELD_ROW = 0
    field_chosen = Signal(str, str)  # their heading, field or "ignore"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview: Preview | None = None

    def set_preview(self, preview: Preview) -> bool:
        """Show `preview`; True when the table kept its shape (its editors stay open)."""
        old = self.preview
        same = old is not None and old.headings() == preview.headings() and \
            len(old.rows) == len(preview.rows) and old.kind == preview.kind
        if not same:
            self.beginResetModel()
        self.preview = preview
        if same:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self.rowCount() - 1, self.columnCount() - 1))
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, self.rowCount() - 1)
        else:
            self.endResetModel()
        return same

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.preview is None else 1 + len(self.preview.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.preview is None else len(self.preview.columns) + 1

    def is_problems(self, column: int) -> bool:
        return self.preview is not None and column == len(self.preview.columns)

    def fields(self) -> list[tuple[str, str]]:
        """(label, field) for the drop-down lists: "ignore" first, then the kind's fields."""
        assert self.preview is not None
        return [(IGNORE, IGNORED)] + [(field_label(f), f) for f in self.preview.fields]

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.preview is None or not index.isValid():
            return None
        row, column = index.row(), index.column()
        if self.is_problems(column):
            text = "" if row == self.FIELD_ROW else \
                "; ".join(self.preview.rows[row - 1].problems)
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return text
            return None
        col = self.preview.columns[column]
        if row == self.FIELD_ROW:
            if role == Qt.ItemDataRole.EditRole:
                return col.field or IGNORED
            if role == Qt.ItemDataRole.DisplayRole:
                return field_label(col.field) if col.field else IGNORE
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return f"{col.heading} is read as {col.field or 'nothing (ignored)'}"
            if role == Qt.ItemDataRole.ToolTipRole:
                return why_in_words(col.why) or None
            return None
        text = self.preview.rows[row - 1].cells.get(col.index, "")
        if role == Qt.ItemDataRole.DisplayRole:
            return " / ".join(line.strip() for line in text.splitlines() if line.strip())
        if role == Qt.ItemDataRole.ToolTipRole:
            return text or None
        if role == Qt.ItemDataRole.ForegroundRole and col.field is None:
            # A column not read is greyed, and its field cell says "ignore" in words.
            return QPalette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.preview is None:
            return None
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.preview.columns):
            col = self.preview.columns[section]
            tip = "For example: " + "; ".join(col.samples) if col.samples \
                else "Empty in every row"
            return f"{tip}\n{why_in_words(col.why)}" if col.why else tip
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if self.is_problems(section):
                return "Problems"
            return self.preview.columns[section].heading if \
                0 <= section < len(self.preview.columns) else None
        if section == self.FIELD_ROW:
            return "Read as"
        return f"Row {self.preview.rows[section - 1].row}" if \
            0 < section <= len(self.preview.rows) else None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.row() == self.FIELD_ROW and \
                not self.is_problems(index.column()):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if self.preview is None or role != Qt.ItemDataRole.EditRole or \
                not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        col = self.preview.columns[index.column()]
        if value == (col.field or IGNORED):
            return False
        self.field_chosen.emit(col.heading, value)  # the page reads the file again with it
        return True


def why_in_words(why: str, capital: bool = True) -> str:
    """A column's reason as the import report gives it, in the wizard's words: the wizard
    has no --map, only the user's own choices."""
    said = "you chose to ignore it" if why == "--map said to ignore it" else why
    return said[:1].upper() + said[1:] if capital else said


def columns_explained(preview: Preview) -> str:
    """Lines for under the table: columns read in a way their heading alone does not say,
    and why; columns left out, and why (those left out for one reason together)."""
    left_out: dict[str, list[str]] = {}
    lines = []
    for col in preview.columns:
        if col.field is None:
            reason = why_in_words(col.why or "no field matches", capital=False)
            left_out.setdefault(reason, []).append(col.heading)
        elif col.why:
            lines.append(f"<b>{escape(col.heading)}</b>: "
                         f"{escape(why_in_words(col.why, capital=False))}.")
    lines += [f"<b>{escape(', '.join(headings))}</b> not read: {escape(reason)}."
              for reason, headings in left_out.items()]
    return "<br>".join(lines)


class FieldDelegate(QStyledItemDelegate):
    """A drop-down list of the kind's fields for a column's "Read as" cell; a choice takes
    effect at once."""

    def __init__(self, combos: dict[str, QComboBox], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combos = combos  # their heading -> its list, for the page (and tests) to reach

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        model: PreviewModel = index.model()  # type: ignore[assignment]
        heading = model.headerData(index.column(), Qt.Orientation.Horizontal)
        combo = QComboBox(parent)
        combo.setAccessibleName(f"Field for the column {heading}")
        combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        for label, name in model.fields():
            combo.addItem(label, name)
        combo.currentIndexChanged.connect(lambda _: self.commitData.emit(combo))
        self.combos[str(heading)] = combo
        return combo

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        # Tab leaves a list as it leaves any field (the page sets the order), rather than
        # closing the editor: these lists stay open.
        if event.type() == QEvent.Type.KeyPress and \
                event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):  # type: ignore[attr-defined]
            return False
        return super().eventFilter(editor, event)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.blockSignals(True)  # showing the model's choice is not a new choice
        editor.setCurrentIndex(max(editor.findData(index.data(Qt.ItemDataRole.EditRole)), 0))
        editor.blockSignals(False)

    def setModelData(self, editor: QWidget, model: Any,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.setTitle("Check how each column is read")
        self.setSubTitle("Nothing is written yet. Change the field under any heading that is "
                         "read wrongly, or ignore the column; the rows below show the result.")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        # A kind guessed wrongly is put right here, without going Back.
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of records in the file")
        for key, label in KIND_LABELS.items():
            self.kind.addItem(label, key)
        self.kind.activated.connect(self._kind_chosen)
        kind_label = QLabel("&Records:")
        kind_label.setBuddy(self.kind)
        self.profile = QComboBox()
        self.profile.setAccessibleName("Mapping profile")
        self.profile.activated.connect(self._profile_chosen)
        profile_label = QLabel("Mapping &profile:")
        profile_label.setBuddy(self.profile)
        self.model = PreviewModel(self)
        self.model.field_chosen.connect(self._field_chosen)
        self.combos: dict[str, QComboBox] = {}
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Columns and the first rows as they would be read")
        self.table.setItemDelegateForRow(PreviewModel.FIELD_ROW, FieldDelegate(self.combos, self))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setWordWrap(False)
        # Tab walks the drop-down lists and then leaves the table; arrows move among the rows.
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.message = QLabel()
        self.message.setStyleSheet(error_style(self))
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Problems reading the file")
        # Values read in a way the user might not expect ("read 'MEDIUM' as 3"), in words.
        self.readings = QLabel()
        self.readings.setTextFormat(Qt.TextFormat.PlainText)  # one reading to a line
        self.readings.setWordWrap(True)
        self.readings.setAccessibleName("How some values were read")
        self.save = QCheckBox("&Save these choices as a profile, named")
        self.save.setAccessibleName("Save these choices as a mapping profile")
        self.save_name = QLineEdit()
        self.save_name.setAccessibleName("Name of the mapping profile")
        self.save_name.setEnabled(False)
        self.save.toggled.connect(self.save_name.setEnabled)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(hbox(kind_label, self.kind, profile_label, self.profile,
                              stretch_last=False))
        layout.addWidget(self.table, 1)
        # Why each column not read plainly by its heading was read as it was, or left out.
        self.explained = QLabel()
        self.explained.setTextFormat(Qt.TextFormat.RichText)
        self.explained.setWordWrap(True)
        self.explained.setAccessibleName("Why columns were read as they were")
        layout.addWidget(self.explained)
        layout.addWidget(self.readings)
        layout.addWidget(self.message)
        layout.addLayout(hbox(self.save, self.save_name, stretch_last=True))

    def initializePage(self) -> None:
        wizard: ImportWizard = self.wizard()  # type: ignore[assignment]
        self.save.setChecked(False)
        self.save_name.setText(wizard.profile.name if wizard.profile else wizard.source().stem)
        self._fill_profiles()
        self._show(wizard.preview)

    def _fill_profiles(self) -> None:
        wizard: ImportWizard = self.wizard()  # type: ignore[assignment]
        self.profile.clear()
        self.profile.addItem(NO_PROFILE, None)
        for p, fits in wizard.profiles():
            self.profile.addItem(f"{p.name} (made for these headings)" if fits else p.name, p)
        chosen = wizard.profile
        self.profile.setCurrentIndex(next((i for i in range(self.profile.count())
                                           if chosen is not None and self.profile.itemData(i)
                                           and self.profile.itemData(i).name == chosen.name), 0))

    def _show(self, preview: Preview | None) -> None:
        if preview is None:
            return
        wizard: ImportWizard = self.wizard()  # type: ignore[assignment]
        label = KIND_LABELS.get(preview.kind, preview.kind)
        guessed = " (worked out from the headings)" if preview.kind_guessed else ""
        header = " and ".join(str(n) for n in preview.header_rows)
        rows = f"{preview.total_rows} row{'s' if preview.total_rows != 1 else ''}"
        shown = f"; the first {len(preview.rows)} are shown" \
            if len(preview.rows) < preview.total_rows else ""
        profile = f" Read as the profile <b>{wizard.profile.name}</b> says." \
            if wizard.profile else ""
        self.kind.setCurrentIndex(max(self.kind.findData(preview.kind), 0))
        self.summary.setText(f"<b>{preview.source}</b> holds <b>{label}</b>{guessed}: headings "
                             f"on row {header}, {rows} below them{shown}.{profile}")
        if not self.model.set_preview(preview):
            self.combos.clear()
            for column in range(len(preview.columns)):
                self.table.openPersistentEditor(self.model.index(PreviewModel.FIELD_ROW, column))
            chain = [self.kind, self.profile, *self.combos.values(), self.table, self.save,
                     self.save_name]
            for before, after in zip(chain, chain[1:], strict=False):
                QWidget.setTabOrder(before, after)
            self.table.resizeColumnsToContents()
            for column in range(len(preview.columns)):
                self.table.setColumnWidth(column, min(max(self.table.columnWidth(column), 150),
                                                      220))
        self.explained.setText(columns_explained(preview))
        self.readings.setText("\n".join(f"{r}." for r in preview.readings))
        troubled = sum(1 for r in preview.rows if r.problems)
        if preview.refusal:
            self.message.setText(preview.refusal)
        elif troubled:
            self.message.setText(f"{troubled} of the rows shown would be refused as read now: "
                                 "see Problems, at the right.")
        else:
            self.message.setText("")

    def _field_chosen(self, heading: str, name: str) -> None:
        wizard: ImportWizard = self.wizard()  # type: ignore[assignment]
        before = dict(wizard.overrides)
        if name != IGNORED:  # one column per field: an earlier choice of it gives way
            wizard.overrides = {h: f for h, f in wizard.overrides.items() if f != name}
        wizard.overrides[heading] = name
        problem = wizard.make_preview()
        if problem:
            wizard.overrides = before
            self.message.setText(f"{heading} cannot be read as {name}: {problem}")
            self._show(wizard.preview)  # the drop-down list goes back to what is read
            return
        self._show(wizard.preview)

    def _kind_chosen(self, index: int) -> None:
        """Read the file again as records of the kind chosen: the columns' fields are worked
        out afresh (one kind's fields are not another's), and a profile saved for these
        headings and that kind is offered, as on the first page."""
        wizard: ImportWizard = self.wizard()  # type: ignore[assignment]
        kind = self.kind.itemData(index)
        if wizard.preview is not None and kind == wizard.preview.kind:
            return
        file_kind = wizard.file_page.kind
        before = (file_kind.currentIndex(), wizard.overrides, wizard.profile, wizard.kind_hint)
        file_kind.setCurrentIndex(file_kind.findData(kind))
        wizard.overrides, wizard.profile, wizard.kind_hint = {}, None, None
        problem = wizard.make_preview()
        if problem:
            index_was, wizard.overrides, wizard.profile, wizard.kind_hint = before
            file_kind.setCurrentIndex(index_was)
            wizard.make_preview()
            self._show(wizard.preview)
            self.message.setText(f"This file cannot be read as "
                                 f"{KIND_LABELS[kind].lower()}: {problem}")
            return
        wizard.offer_profile()
        self._fill_profiles()
        self.save_name.setText(wizard.profile.name if wizard.profile else
                               wizard.source().stem)
        self._show(wizard.preview)

    def _profile_chosen(self, index: int) -> None:
        wizard: ImportWizard = self.wizard()  # type: ignore[assignment]
        was = wizard.preview.kind if wizard.preview else None
        problem = wizard.choose_profile(self.profile.itemData(index), was)
        if problem:
            wizard.choose_profile(None, was)
            self.profile.setCurrentIndex(0)
        self._show(wizard.preview)
        if problem:
            self.message.setText(f"That profile does not fit this file: {problem}")

    def validatePage(self) -> bool:
        wizard: ImportWizard = self.wizard()  # type: ignore[assignment]
        problem = wizard.dry_run()
        if problem is None and self.save.isChecked():
            name = " ".join(self.save_name.text().split())
            problem = wizard.save_profile(name) if name else "Name the profile to save it."
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
