"""Help > About / Diagnostics: the same facts `ooh-desk doctor` prints, in a window a user can
copy from and paste into an email to the helpdesk. Also what only Qt can tell the doctor."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QSettings, QThreadPool, qVersion
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..services.diagnostics import Diagnosis, QtFacts, diagnose
from . import qt_libraries
from .worker import Job

# A pool of its own, so a paper preview busy converting does not hold the diagnosis up; the
# jobs are kept for the life of the app, as a closed dialog must not free one still running.
_POOL: list[QThreadPool] = []
_JOBS: list[Job] = []


def qt_facts(store: QSettings, recent: Sequence[Path]) -> QtFacts:
    """What Qt knows, with the app's settings and its recent registers. With no QApplication
    (the command line), the platform is the one Qt would choose, and whether it can open a
    window; fonts are left to fontconfig."""
    app = QGuiApplication.instance()
    if app is not None:
        platform = QGuiApplication.platformName()
        fonts: list[str] | None = list(QFontDatabase.families())
    else:
        chosen = os.environ.get("QT_QPA_PLATFORM") or _default_platform()
        problem = qt_libraries.problem()
        platform = f"cannot open a window: {problem}" if problem else f"{chosen} (not started)"
        fonts = None
    return QtFacts(qt_version=qVersion(), pyside_version=pyside_version, platform=platform,
                   settings_file=store.fileName(), recent=[str(p) for p in recent],
                   fonts=fonts)


def _default_platform() -> str:
    if sys.platform == "win32":
        return "windows"
    if sys.platform == "darwin":
        return "cocoa"
    if os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("DISPLAY"):
        return "wayland"
    return "xcb" if os.environ.get("DISPLAY") else "no display"


class DiagnosticsDialog(QDialog):
    """The diagnosis as plain text, with a button that copies it all."""

    def __init__(self, diagnosis: Diagnosis | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About OOH Desk")
        self.setAccessibleName("About OOH Desk and diagnostics")
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Diagnostics")
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        # Fixed pitch keeps the labels' column straight, as in the terminal and an email.
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlainText(diagnosis.as_text() if diagnosis else
                               "Asking LibreOffice its version and opening the register…")
        intro = QLabel("If you ask the helpdesk for help, copy this and paste it into your "
                       "message.")
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy to clipboard")
        self.copy_button.setAccessibleName("Copy the diagnostics to the clipboard")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(900, 560)

    def gather(self, facts: QtFacts, last_register: Path | None) -> None:
        """Gather the rest off the GUI thread: LibreOffice can take seconds to say its version."""
        job = Job(lambda _progress: diagnose(facts, last_register=last_register))
        job.signals.done.connect(self.show_diagnosis)
        job.signals.failed.connect(self.show_failure)
        _JOBS.append(job)
        if not _POOL:
            _POOL.append(QThreadPool(QGuiApplication.instance()))
        _POOL[0].start(job)

    def show_diagnosis(self, diagnosis: Diagnosis) -> None:
        self.text.setPlainText(diagnosis.as_text())

    def show_failure(self, message: str) -> None:
        self.text.setPlainText(f"The diagnostics could not be gathered: {message}")

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
        self.copy_button.setText("Copied")
