"""Starting the desktop app: the QApplication, then the main window — or, for
`ooh-desk gui --smoke-test`, every view opened once offscreen."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from . import smoke
from .app import APPLICATION, ORGANISATION, MainWindow


def run(register: str | os.PathLike | None, smoke_test: bool = False,
        screenshots: str | os.PathLike | None = None) -> int:
    if smoke_test:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # read when the QApplication is made
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    if smoke_test:
        return smoke.smoke_test(Path(register) if register else None,
                                Path(screenshots) if screenshots else None)
    window = MainWindow.start(Path(register) if register else None)
    if window is None:
        return 1
    window.show()
    return app.exec()
