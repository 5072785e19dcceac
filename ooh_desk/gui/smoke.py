"""`ooh-desk gui --smoke-test [--screenshots DIR]`: open every view once, offscreen; exit 0 if
all opened with no Qt warning and no exception, else 1 with the reason on stderr."""

from __future__ import annotations

import sys
import time
import traceback
from pathlib import Path
from typing import Any

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QWidget

from ..store import Register, RegisterError
from .app import VIEWS, MainWindow, first_register

# The offscreen platform says this whenever a window is shown: the platform's, not ours.
IGNORED = ("This plugin does not support propagateSizeHints()",)
SIZE = (1280, 800)


def smoke_test(register: Path | None, screenshots: Path | None) -> int:
    problems: list[str] = []

    def on_message(kind: QtMsgType, _context: Any, message: str) -> None:
        if kind != QtMsgType.QtDebugMsg and kind != QtMsgType.QtInfoMsg \
                and message.strip() not in IGNORED:
            problems.append(f"Qt said: {message}")

    def on_exception(kind: type, value: BaseException, tb: Any) -> None:
        problems.append("".join(traceback.format_exception(kind, value, tb)).strip())

    previous_handler = qInstallMessageHandler(on_message)
    previous_hook = sys.excepthook
    sys.excepthook = on_exception
    try:
        _open_everything(register, screenshots, problems)
    except Exception as exc:  # the point of a smoke test is to report this, not crash on it
        problems.append("".join(traceback.format_exception(exc)).strip())
    finally:
        sys.excepthook = previous_hook
        qInstallMessageHandler(previous_handler)
    if problems:
        print("The smoke test failed: " + problems[0], file=sys.stderr)
        for more in problems[1:]:
            print(more, file=sys.stderr)
        return 1
    return 0


def _open_everything(register: Path | None, screenshots: Path | None, problems: list[str]) -> None:
    app = QApplication.instance()
    path = register or first_register()
    try:
        reg = Register.open(path)
    except RegisterError as exc:
        problems.append(str(exc))
        return
    window = MainWindow(reg, remember_settings=False)
    window.resize(*SIZE)
    window.show()
    if screenshots:
        screenshots.mkdir(parents=True, exist_ok=True)
    for n, cls in enumerate(VIEWS):
        window.tabs.setCurrentIndex(n)
        app.processEvents()
        if screenshots:
            _wait_for_preview(window.tabs.currentWidget())
        _shoot(window, screenshots, cls.title.lower())
    _open_governance_parts(window, screenshots)
    capture = window.open_capture()
    capture.comment.setText("Parking at the hospital is hard to find on clinic days")
    capture.group.setText("Patients and carers")
    capture.themes.setText("access, transport")
    app.processEvents()
    _shoot(capture, screenshots, "capture")
    capture.close()
    wizard = window.open_import()
    wizard.resize(900, 600)
    app.processEvents()
    _shoot(wizard, screenshots, "import")
    wizard.reject()
    app.processEvents()
    window.close()
    app.processEvents()


def _open_governance_parts(window: MainWindow, screenshots: Path | None) -> None:
    """The parts of views that are not on screen when their tab opens: the Meetings view's
    interests and declarations, and a paper's options editor (the first paper that holds an
    appraisal, else the first paper)."""
    app = QApplication.instance()
    meetings = window.show_view("meetings")
    meetings.sections.setCurrentWidget(meetings.interests_editor)
    app.processEvents()
    _shoot(window, screenshots, "interests")
    from ..services.options import paper_appraisal
    from ..store.queries import paper_refs
    from .views.options_editor import OptionsDialog

    papers = paper_refs(window.reg)
    held = [p for p in papers if not paper_appraisal(window.reg, p[0]).empty]
    if held or papers:
        ref, title = (held or papers)[0]
        dialog = OptionsDialog(window.edits, ref, title, window)  # the Papers view's own
        dialog.show()
        app.processEvents()
        _shoot(dialog, screenshots, "options")
        dialog.close()
        app.processEvents()


def _wait_for_preview(view: QWidget, seconds: float = 90) -> None:
    """The Papers view's screenshot shows its preview: wait for LibreOffice's pages (or the
    line saying there can be none), for at most `seconds`."""
    preview = getattr(view, "preview", None)
    if preview is None:
        return
    app = QApplication.instance()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        if preview.page_count() or preview.status.text().startswith("No preview"):
            break
        time.sleep(0.05)
    app.processEvents()


def _shoot(widget: QWidget, folder: Path | None, name: str) -> None:
    if folder is None:
        return
    if not widget.grab().save(str(folder / f"{name}.png")):
        raise OSError(f"could not save the screenshot {folder / name}.png")
