"""The desktop app's main window: open the given register, else the last one, else the demo;
one tab per view; the File, Edit, View and Help menus.

Only the view on screen at start is built (and its module imported); the others are built the
first time they are shown or asked for, so the first window paints quickly whatever the
register's size. A register that cannot be opened (newer version, damaged, in use) is
explained in a dialog, never a crash."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# PySide makes a Qt class (and its enums) the first time its name is read: the message box
# and file dialog are read as QtWidgets.X where one opens, so the first window never makes them.
from PySide6 import QtWidgets
from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from ..errors import UserError, UserFacing, plain_message
from ..store import SUFFIX, Register, RegisterError
from .edits import Edits
from .sync import TeamSync

ORGANISATION, APPLICATION = "OOH Desk", "OOH Desk"
MAX_RECENT = 8
REGISTER_FILTER = f"OOH Desk registers (*{SUFFIX});;All files (*)"
OFFICE_TOLD = "notices/office_missing_told"
OFFICE_MISSING = ("LibreOffice was not found on this computer. Everything else works, but OOH "
                  "Desk cannot make agenda packs (PDF) or show a preview of a paper as it "
                  "will print.\n\nTo use them, install LibreOffice from "
                  "https://www.libreoffice.org/download/ (your IT service desk can do this for "
                  "you), then start OOH Desk again. If it is installed somewhere unusual, set "
                  "OOH_DESK_SOFFICE to its soffice program.\n\nThis message is shown once; "
                  "Help > About / Diagnostics shows whether LibreOffice is found.")


# Each view's module is imported when the view is first built: the Papers view brings
# python-docx with it, and a user who never opens it should not wait for it.
def _dashboard() -> type:
    from .views.dashboard import DashboardView
    return DashboardView


def _risks() -> type:
    from .views.risks import RisksView
    return RisksView


def _milestones() -> type:
    from .views.milestones import MilestonesView
    return MilestonesView


def _engagement() -> type:
    from .views.engagement import EngagementView
    return EngagementView


def _actions() -> type:
    from .views.actions import ActionsView
    return ActionsView


def _papers() -> type:
    from .views.papers import PapersView
    return PapersView


def _meetings() -> type:
    from .views.meetings import MeetingsView
    return MeetingsView


def _conflicts() -> type:
    from .views.conflicts import ConflictsView
    return ConflictsView


def _assurance() -> type:
    from .views.assurance import AssuranceView
    return AssuranceView


def _key_decisions() -> type:
    from .views.key_decisions import KeyDecisionsView
    return KeyDecisionsView


def tab_label(n: int, title: str) -> str:
    """'&1 Dashboard' … '&9 Assurance', '1&0 Key decisions': Alt and the last digit."""
    return f"&{n} {title}" if n < 10 else f"{str(n)[:-1]}&{str(n)[-1]} {title}"


def view_shortcut(n: int) -> str:
    """Ctrl+1 … Ctrl+9 for the first nine views, Ctrl+0 for the tenth."""
    return f"Ctrl+{n % 10}"


@dataclass(frozen=True)
class ViewSpec:
    """A tab of the main window: its title and how to get its class."""
    key: str
    title: str
    load: Callable[[], type]


VIEWS = (ViewSpec("dashboard", "Dashboard", _dashboard), ViewSpec("risks", "Risks", _risks),
         ViewSpec("milestones", "Milestones", _milestones),
         ViewSpec("engagement", "Engagement", _engagement),
         ViewSpec("actions", "Actions", _actions), ViewSpec("papers", "Papers", _papers),
         ViewSpec("meetings", "Meetings", _meetings),
         ViewSpec("conflicts", "Conflicts", _conflicts),
         ViewSpec("assurance", "Assurance", _assurance),
         ViewSpec("key_decisions", "Key decisions", _key_decisions))


def settings() -> QSettings:
    return QSettings(ORGANISATION, APPLICATION)


def recent_registers() -> list[Path]:
    value = settings().value("recent", []) or []
    if isinstance(value, str):
        value = [value]
    return [Path(v) for v in value]


def remember(path: Path) -> None:
    known = [str(p) for p in recent_registers()]
    recent = ([str(path.resolve())] + [p for p in known if p != str(path.resolve())])[:MAX_RECENT]
    if recent != known:  # reopening the last register (most starts) writes nothing
        settings().setValue("recent", recent)


def open_register(path: Path, parent: QWidget | None, show: bool = True) -> Register | None:
    """The register, or None after telling the user, in words, why it cannot be opened."""
    try:
        return Register.open(path)
    except RegisterError as exc:
        if show:
            QtWidgets.QMessageBox.critical(parent, "OOH Desk cannot open this register",
                                           services_message(exc))
        return None


def services_message(exc: BaseException) -> str:
    return plain_message(exc)


def default_demo_path() -> Path:
    from ..services.demo import default_demo_path as where  # the demo's builders load late
    return where()


def first_register() -> Path:
    """The last register opened, or the demo (built on first run)."""
    for path in recent_registers():
        if path.exists():
            return path
    demo = default_demo_path()
    if not demo.exists():
        from ..services.demo import build_demo

        demo.parent.mkdir(parents=True, exist_ok=True)
        build_demo(demo)
    return demo


class MainWindow(QMainWindow):
    def __init__(self, reg: Register, parent: QWidget | None = None,
                 remember_settings: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.remember_settings = remember_settings
        self.reg: Register | None = None
        self.edits: Edits | None = None
        self._built: list[QWidget | None] = []
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Views")
        self.tabs.setDocumentMode(True)
        self.tabs.currentChanged.connect(self._build)
        self.setCentralWidget(self.tabs)
        self.status = QLabel()
        self.statusBar().addWidget(self.status, 1)
        self._build_menus()
        self.set_register(reg)
        geometry = settings().value("geometry") if remember_settings else None
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            self.resize(1280, 800)

    @classmethod
    def start(cls, path: Path | None, interactive: bool = True) -> MainWindow | None:
        """The main window on `path` (else the last register, else the demo). A register
        that cannot be opened is said in a message box and the last or the demo opens
        instead; not `interactive` (a timing run, which nobody is there to answer), it is said
        on stderr and nothing opens."""
        try:
            chosen = path or first_register()
            reg = None if interactive else Register.open(chosen)
        except (RegisterError, UserError) as exc:
            if not interactive:
                print(f"OOH Desk cannot open the register: {services_message(exc)}",
                      file=sys.stderr)
                return None
            QtWidgets.QMessageBox.critical(None, "OOH Desk", services_message(exc))
            return None
        if reg is None:
            reg = open_register(chosen, None)
        if reg is None and path is not None:
            reg = open_register(first_register(), None)  # fall back to the last or the demo
        if reg is None:
            return None
        remember(reg.path)
        return cls(reg)

    # --- the register ------------------------------------------------------------------------

    def set_register(self, reg: Register, tab: int | None = None) -> None:
        old = self.reg
        blocked = self.tabs.blockSignals(True)  # no view is built until the tab is chosen
        pages = [self.tabs.widget(n) for n in range(self.tabs.count())]
        self.tabs.clear()
        for page in pages:
            page.deleteLater()
        if self.edits is not None:
            self.edits.deleteLater()
        self.reg = reg
        self.edits = Edits(reg, self)
        self.edits.failed.connect(self.show_write_error)
        self.edits.changed.connect(lambda kind, ref: self.status.setText(
            f"Saved: {self.edits.stack.undoText() or kind}"))
        self._built = [None] * len(VIEWS)
        for n, spec in enumerate(VIEWS, 1):
            self.tabs.addTab(QWidget(), tab_label(n, spec.title))
        self.undo_action.deleteLater() if hasattr(self, "undo_action") else None
        self.undo_action = self.edits.stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.edits.stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence.StandardKey.Redo])
        self.edit_menu.clear()
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.redo_action)
        if tab is None:
            tab = settings().value("tab", 0) if self.remember_settings else 0
        self.tabs.setCurrentIndex(int(tab) if str(tab).isdigit() else 0)
        self.tabs.blockSignals(blocked)
        self._build(self.tabs.currentIndex())
        self._show_title()
        self.edits.changed.connect(lambda kind, _ref: self._show_title()
                                   if kind == "programme" else None)  # a rename, or its undo
        self.status.setText(f"{reg.path}")
        if old is not None and old is not reg:
            old.close()
        self._rebuild_recent()
        self.team.set_register(reg, self.edits)

    # --- the views, each built on first use ----------------------------------------------------

    def _build(self, index: int) -> QWidget | None:
        """The view at tab `index`, built now if it has not been: it takes the place of the
        empty page its tab held, and the tab on screen stays the one on screen."""
        if not 0 <= index < len(self._built):
            return None
        view = self._built[index]
        if view is not None:
            return view
        spec = VIEWS[index]
        view = spec.load()(self.edits)
        self._built[index] = view
        if spec.key == "engagement":
            view.capture_requested.connect(self.open_capture)
        elif spec.key == "actions":
            view.source_requested.connect(self.show_source)
        elif spec.key == "dashboard":
            view.conflicts_requested.connect(lambda: self.show_view("conflicts"))
        if self.remember_settings:
            self._restore_columns(view)
        current = self.tabs.currentIndex()
        blocked = self.tabs.blockSignals(True)
        page = self.tabs.widget(index)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, view, tab_label(index + 1, spec.title))
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(blocked)
        page.deleteLater()
        return view

    def built_views(self) -> list[QWidget]:
        """The views built so far, in tab order (the rest wait to be opened)."""
        return [v for v in self._built if v is not None]

    @property
    def views(self) -> list[QWidget]:
        """Every view, building those not yet built."""
        return [self._build(n) for n in range(len(VIEWS))]

    def view_named(self, key: str) -> Any:
        return self._build(next(n for n, spec in enumerate(VIEWS) if spec.key == key))

    def show_view(self, key: str) -> Any:
        view = self.view_named(key)
        self.tabs.setCurrentWidget(view)
        return view

    @property
    def engagement(self) -> Any:
        return self.view_named("engagement")

    def view(self, cls: type) -> Any:
        """The view of class `cls`, built if need be."""
        return self._build(next(n for n, spec in enumerate(VIEWS) if spec.load() is cls))

    def show_source(self, kind: str, ref: str) -> None:
        if kind == "risks":
            view = self.view_named("risks")
            self.tabs.setCurrentWidget(view)
            view.select_ref(ref)
        elif kind == "feedback":
            view = self.view_named("engagement")
            self.tabs.setCurrentWidget(view)
            view.select_ref(ref)

    def show_write_error(self, message: str) -> None:
        QtWidgets.QMessageBox.warning(self, "OOH Desk",
                                      f"Not saved: {services_message(Exception(message))}")

    # --- menus ------------------------------------------------------------------------------

    def _action(self, menu: Any, text: str, slot: Callable[[], Any],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        # Ctrl+N is each view's "New risk / milestone / action…"; a new register is rarer.
        self._action(file, "&New register…", self.new_register, "Ctrl+Shift+N")
        self._action(file, "&Open register…", self.choose_register, QKeySequence.StandardKey.Open)
        self.recent_menu = file.addMenu("Open &recent")
        # Ctrl+Shift+S is Sync (issue 15), which a team member presses many times a day.
        self._action(file, "Save a &copy as…", self.save_copy, "Ctrl+Alt+S")
        self._action(file, "&Programme settings…", self.open_programme_settings)
        file.addSeparator()
        self._action(file, "&Merge another copy…", self.merge_copy)
        self._action(file, "&Join a team register…", self.join_team)
        self.team = TeamSync(self, settings() if self.remember_settings else None)
        self.team.changed.connect(self.reload_views)
        self.team.conflicts_requested.connect(lambda: self.show_view("conflicts"))
        file.addAction(self.team.action)
        self._action(file, "&Import a spreadsheet…", self.open_import, "Ctrl+I")
        export = file.addMenu("&Export")
        self._action(export, "&Word report…", lambda: self.view_named("papers").write_report(None))
        self._action(export, "Excel &risk log…", lambda: self.view_named("papers").write_risk_log(None))
        self._action(export, "Whole register as &JSON…", self.export_json)
        file.addSeparator()
        self._action(file, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.edit_menu = bar.addMenu("&Edit")
        go = bar.addMenu("&View")
        for n, cls in enumerate(VIEWS, 1):
            self._action(go, cls.title, lambda n=n: self.tabs.setCurrentIndex(n - 1),
                         view_shortcut(n))
        go.addSeparator()
        self._action(go, "&Workshop capture mode", self.open_capture, "F11")
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&About / Diagnostics…", self.open_about)

    def _show_title(self) -> None:
        if self.reg is not None:
            self.setWindowTitle(f"{self.reg.programme.name} — {self.reg.path.name} — OOH Desk")

    def open_programme_settings(self) -> None:
        if self.reg is not None:
            from .programme_dialog import ProgrammeDialog

            ProgrammeDialog(self.edits, self).exec()

    def _rebuild_recent(self) -> None:
        self.recent_menu.clear()
        for path in recent_registers():
            self._action(self.recent_menu, str(path), lambda p=path: self.switch_to(p))
        self.recent_menu.setEnabled(bool(self.recent_menu.actions()))

    def switch_to(self, path: Path) -> bool:
        reg = open_register(path, self)
        if reg is None:
            return False
        if self.remember_settings:
            self.save_layouts()
        self.set_register(reg)
        if self.remember_settings:
            remember(reg.path)
            self._rebuild_recent()
        return True

    def choose_register(self) -> None:
        start = str(self.reg.path.parent) if self.reg else ""
        chosen, _ = QtWidgets.QFileDialog.getOpenFileName(self, "Open a register", start, REGISTER_FILTER)
        if chosen:
            self.switch_to(Path(chosen))

    def new_register(self) -> None:
        chosen, _ = QtWidgets.QFileDialog.getSaveFileName(self, "New register", "", REGISTER_FILTER)
        if not chosen:
            return
        try:
            from ..services.registers import init_register

            path = init_register(chosen)
        except (RegisterError, UserError) as exc:
            QtWidgets.QMessageBox.warning(self, "OOH Desk", services_message(exc))
            return
        self.switch_to(path)

    def save_copy(self) -> None:
        assert self.reg is not None
        chosen, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, "Save a copy of the register",
            str(self.reg.path.with_name(f"{self.reg.path.stem} copy{SUFFIX}")), REGISTER_FILTER)
        if not chosen:
            return
        try:
            target = self.reg.save_copy(chosen)
        except RegisterError as exc:
            QtWidgets.QMessageBox.warning(self, "OOH Desk", services_message(exc))
            return
        self.status.setText(f"Saved a copy at {target}")

    def export_json(self) -> None:
        assert self.reg is not None
        chosen, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, "Export the register as JSON", str(self.reg.path.with_suffix(".json")),
            "JSON (*.json)")
        if not chosen:
            return
        try:
            from ..services.outputs import write_json_export

            written = write_json_export(self.reg.path, chosen)
        except (OSError, UserFacing) as exc:
            QtWidgets.QMessageBox.warning(self, "OOH Desk", f"Nothing was written: {exc}")
            return
        notes = "".join(f" Note: {n}" for n in written.notes)
        self.status.setText(f"Wrote {written.path}.{notes}")

    def merge_copy(self) -> Any:
        """File > Merge another copy… (gui/merge_dialog.py says why a merge is not undone)."""
        assert self.reg is not None
        from .merge_dialog import MergeFlow

        flow = MergeFlow(self.reg.path, self)
        flow.merged.connect(lambda _summary: self.reload_views())
        flow.conflicts_requested.connect(lambda: self.show_view("conflicts"))
        self.merge_flow = flow
        flow.start()
        return flow

    def join_team(self) -> Any:
        """File > Join a team register… (gui/team_dialog.py): the new copy opens once made."""
        from .team_dialog import JoinTeamDialog

        folder = self.reg.path.parent if self.reg is not None else None
        dialog = JoinTeamDialog(self, folder)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.joined.connect(self.switch_to)
        self.join_dialog = dialog
        dialog.open()
        return dialog

    def reload_views(self) -> None:
        """Every view built afresh from the register as it now is (after a merge or a sync),
        on the tab that was on screen; the undo history starts again."""
        assert self.reg is not None
        if self.remember_settings:
            self.save_layouts()
        self.set_register(self.reg, tab=self.tabs.currentIndex())

    def open_import(self) -> Any:
        assert self.edits is not None
        from .import_wizard import ImportWizard

        wizard = ImportWizard(self.edits, self)
        wizard.imported.connect(self._imported)
        wizard.open()
        return wizard

    def _imported(self, kind: str) -> None:
        assert self.edits is not None
        self.edits.changed.emit(kind, "")

    def open_capture(self) -> Any:
        assert self.edits is not None
        from .capture import CaptureDialog

        dialog = CaptureDialog(self.edits, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.showFullScreen()
        return dialog

    def open_about(self) -> Any:
        from .about import DiagnosticsDialog, qt_facts

        dialog = DiagnosticsDialog(parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.gather(qt_facts(settings(), recent_registers()),
                      self.reg.path if self.reg is not None else None)
        dialog.open()
        return dialog

    def after_start(self) -> QtWidgets.QMessageBox | None:
        """Once the first frame is on screen: when LibreOffice is missing, say once (ever, not
        each start) what will not work and how to install it."""
        if not self.remember_settings:
            return None
        store = settings()
        if store.value(OFFICE_TOLD, False, type=bool):
            return None
        from ..services.diagnostics import office_found

        if office_found():
            return None
        store.setValue(OFFICE_TOLD, True)
        box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Information,
                                    "LibreOffice is not installed", OFFICE_MISSING,
                                    QtWidgets.QMessageBox.StandardButton.Ok, self)
        box.setAccessibleName("LibreOffice is not installed")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def _tables(self) -> list[Any]:
        return [v.table for v in self.built_views() if hasattr(v, "table")]

    def _restore_columns(self, view: QWidget) -> None:
        table = getattr(view, "table", None)
        if table is None:
            return
        state = settings().value(f"columns/{table.objectName()}")
        if isinstance(state, QByteArray):
            table.horizontalHeader().restoreState(state)

    def save_layouts(self) -> None:
        store = settings()
        store.setValue("geometry", self.saveGeometry())
        store.setValue("tab", self.tabs.currentIndex())
        for table in self._tables():
            store.setValue(f"columns/{table.objectName()}", table.horizontalHeader().saveState())

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.remember_settings:
            self.save_layouts()
        self.team.stop()
        if self.reg is not None:
            self.reg.close()
            self.reg = None
        super().closeEvent(event)
