"""Team sync in the app (issue 15; docs/team-server.md): the Sync action (File menu, a
toolbar button, Ctrl+Shift+S), on for a register joined to a team register; the status bar's
"last synced 10 minutes ago · 3 local changes", refreshed after each edit, each sync and once a
minute; and one sync, run off the GUI thread by services.team.sync, with a progress dialog
whose Cancel holds until the server commits.

A sync changes the register from outside, as a merge does, so it is not an undo step and the
undo history starts afresh after it (gui/flow.py says why); the summary says so. A server
that cannot be reached is one plain message and the changes wait for next time; a login the
server refuses asks for the password (never kept) and tries once more.

This module is loaded with the main window, so it imports neither the team service (with its
merge engine) nor the worker until a sync is asked for: the window learns whether the
register is on a team from one row of its meta table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow

from ..store import Register

if TYPE_CHECKING:  # the sync's dialogs load on the first sync, not with the window
    from .sync_flow import SyncFlow

SHORTCUT = "Ctrl+Shift+S"
NOT_JOINED = ("This register is not joined to a team register: File > Join a team "
              "register… makes a copy that is.")
MINUTE_MS = 60_000


def joined(reg: Register) -> bool:
    """Whether the register is a working copy of a team register: services.team keeps its
    link in meta's `team` row (services.team.status says more, and costs the merge engine's
    import, so the window asks it only for a register that has the row)."""
    return reg.conn.execute("select 1 from meta where key = 'team'").fetchone() is not None


class TeamSync(QObject):
    """The window's part in team sync: its Sync action and toolbar button, the status-bar
    line and its minute timer. `changed()` after a sync that changed the register (the window
    builds every view afresh, with a fresh undo history); `conflicts_requested()` when the
    user asks to see the conflicts a sync left."""

    changed = Signal()
    conflicts_requested = Signal()

    def __init__(self, window: QMainWindow, settings: QSettings | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings  # None: nothing remembered (a test's window)
        self.reg: Register | None = None
        self.undo_steps = lambda: 0
        self.flow: SyncFlow | None = None
        self.action = QAction("S&ync with the team register", window)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setIconText("Sync")
        self.action.setToolTip(f"Pull the team's changes and send this register's ({SHORTCUT})")
        self.action.triggered.connect(lambda _checked=False: self.sync())
        self.toolbar = window.addToolBar("Team register")
        self.toolbar.setObjectName("team_toolbar")
        self.toolbar.setAccessibleName("Team register")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.addAction(self.action)
        self.toolbar.widgetForAction(self.action).setAccessibleName("Sync")
        # A disabled action's shortcut does nothing; for a register on no team the same keys
        # say why instead.
        self.explain = QShortcut(QKeySequence(SHORTCUT), window)
        self.explain.activated.connect(self.say_not_joined)
        self.label = QLabel()
        self.label.setObjectName("team_status")
        self.label.setAccessibleName("Team sync status")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                           | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        window.statusBar().addPermanentWidget(self.label)
        self.timer = QTimer(self)
        self.timer.setInterval(MINUTE_MS)
        self.timer.timeout.connect(self.refresh)
        self._show(False)

    def set_register(self, reg: Register, edits: Any) -> None:
        """A register opened in the window (or the same one shown afresh)."""
        self.reg = reg
        self.undo_steps = lambda: edits.stack.count()
        edits.changed.connect(lambda _kind, _ref: self.refresh())
        on = joined(reg)
        self._show(on)
        if on:
            self.timer.start()
            QTimer.singleShot(0, self.refresh)  # the team service loads once the window shows
        else:
            self.timer.stop()

    def stop(self) -> None:
        """The window is closing and its register with it: no more status lines."""
        self.timer.stop()
        self.reg = None

    def _show(self, on: bool) -> None:
        self.action.setEnabled(on)
        self.explain.setEnabled(not on)
        self.toolbar.setVisible(on)
        self.label.setVisible(on)
        if not on:
            self.label.clear()

    def refresh(self) -> str:
        """The status-bar line afresh from the register (plain SQL; no server is asked)."""
        if self.reg is None or not self.action.isEnabled():
            return ""
        from ..services.team import status
        from ..store.team import where

        found = status(self.reg)
        if found is None:
            self._show(False)
            return ""
        line = found.line()
        self.label.setText(line)
        self.label.setToolTip(f"A working copy of the team register {found.schema} on "
                              f"{where(found.url)}")
        return line

    def say_not_joined(self) -> None:
        status = getattr(self.window, "status", None)
        if status is not None:
            status.setText(NOT_JOINED)

    def sync(self) -> SyncFlow | None:
        if self.reg is None or not joined(self.reg):
            self.say_not_joined()
            return None
        from .sync_flow import SyncFlow

        flow = SyncFlow(self.reg, self.window, undo_steps=self.undo_steps(),
                        settings=self.settings)
        flow.changed.connect(self.changed.emit)
        flow.conflicts_requested.connect(self.conflicts_requested.emit)
        flow.ended.connect(self._ended)
        self.flow = flow
        self.timer.stop()  # the register is busy until the sync ends
        flow.start()
        return flow

    def _ended(self) -> None:
        if self.action.isEnabled():
            self.timer.start()
        self.refresh()
