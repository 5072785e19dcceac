"""The floor the frozen app's start is timed against: a bare PySide6 window, frozen by the same
build (`python packaging/build.py --floor` makes dist/qt-floor/qt-floor), that exits right
after its first paint, as `ooh-desk gui --quit-after-paint` does: the event loop left with
`exit` (Qt 6's `quit` would close the window first), then the process ended with os._exit,
no teardown of Python's modules and Qt's widgets after, so both sides of the frozen
comparison are timed to the paint alone."""

import os
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


class FirstPaint(QObject):
    def __init__(self, window: QMainWindow, app: QApplication) -> None:
        super().__init__(window)
        self.painted = False
        self._app = app
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            QTimer.singleShot(0, lambda: self._app.exit(0))  # leaves the loop, closes nothing
        return False


def main() -> None:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("Qt floor")
    window.setCentralWidget(QLabel("Hello"))
    window.resize(1280, 800)
    watcher = FirstPaint(window, app)
    QTimer.singleShot(120_000, lambda: app.exit(1))
    window.show()
    code = app.exec()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code if watcher.painted else 1)


if __name__ == "__main__":
    main()
