"""Starting the desktop app: the QApplication, then the main window — or, for
`ooh-desk gui --smoke-test`, every view opened once offscreen; with `--quit-after-paint`, the
app as a user opens it, its process ended as soon as the main window is first painted (what
the start-up benchmark times). The app carries its icon and its desktop entry's name (so a
Linux taskbar matches the window to the menu entry), and on macOS opens a register
double-clicked in Finder, which arrives as an event rather than an argument."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize, QTimer
from PySide6.QtGui import QFileOpenEvent, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from .app import APPLICATION, ORGANISATION, MainWindow

# A window that is never painted (a display that never shows it) must not hang a benchmark.
PAINT_TIMEOUT_MS = 120_000


class FirstPaint(QObject):
    """Calls `then` once, from the event loop, after the watched window's first paint event
    has been handled — so the frame has been drawn and flushed to the screen before it runs."""

    def __init__(self, window: QWidget, then: Callable[[], object]) -> None:
        super().__init__(window)
        self.painted = False
        self._then = then
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)  # runs once this paint (and its flush) is done
        return False


class FileOpener(QObject):
    """macOS sends a register double-clicked in Finder (or dropped on the Dock icon) to the
    running app as a FileOpen event: the main window switches to it."""

    def __init__(self, app: QApplication, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            if event.file():
                self._window.switch_to(Path(event.file()))
            return True
        return False


def app_icon() -> QIcon:
    """The app's mark at each size it is drawn in (resources/icons; bundled beside the code).
    Each file is named with its size, so Qt reads none of them until it draws that size."""
    from ..services.desktop import APP_ID, ICON_SIZES, ICONS

    icon = QIcon()
    for size in ICON_SIZES:
        path = ICONS / f"{APP_ID}-{size}.png"
        if path.exists():
            icon.addFile(str(path), QSize(size, size))
    return icon


def identify(app: QApplication) -> None:
    """Names, icon and desktop entry: what the settings, the title bars and a Linux taskbar
    know the app by (the entry --install-desktop writes is ooh-desk.desktop)."""
    from ..services.desktop import APP_ID

    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())


def run(register: str | os.PathLike | None, smoke_test: bool = False,
        screenshots: str | os.PathLike | None = None, quit_after_paint: bool = False) -> int:
    if smoke_test:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # read when the QApplication is made
    app = QApplication.instance() or QApplication(sys.argv[:1])
    identify(app)
    if smoke_test:
        from . import smoke

        return smoke.smoke_test(Path(register) if register else None,
                                Path(screenshots) if screenshots else None)
    window = MainWindow.start(Path(register) if register else None,
                              interactive=not quit_after_paint)
    if window is None:
        return 1
    if sys.platform == "darwin":  # only macOS sends it; elsewhere no filter sees every event
        FileOpener(app, window)
    if quit_after_paint:
        return _until_first_paint(app, window)
    FirstPaint(window, window.after_start)  # what can wait runs once the window is drawn
    window.show()
    return app.exec()


def _until_first_paint(app: QApplication, window: MainWindow) -> int:
    """Show the window and end the process as soon as it is painted: the register closed, the
    output flushed, and no teardown of Python's modules and Qt's widgets after (tens of
    milliseconds that are no part of starting). The event loop is left with `exit`, not
    `quit`: since Qt 6 `quit` first closes every window, and closing the main window saves its
    layout — a write the user's next start would read, and no part of starting. The
    benchmark's bare-window floor ends the same way."""
    watcher = FirstPaint(window, lambda: app.exit(0))
    QTimer.singleShot(PAINT_TIMEOUT_MS, lambda: app.exit(1))
    window.show()
    code = app.exec()
    if window.reg is not None:  # closed as a timing run leaves it: the user's layout untouched
        window.reg.close()
        window.reg = None
    if not watcher.painted:
        print("The main window was never painted.", file=sys.stderr)
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
