"""Long work (import, report, risk log) off the GUI thread: a QRunnable on the global thread
pool, a cancellable QProgressDialog, and one signal back with the result or the user's error.

The job gets a `Progress` it may ask `cancelled()`; a job that sees it stops and raises
`Cancelled`, and any transaction it had open is rolled back, so nothing is half-written."""

from __future__ import annotations

import contextlib
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from .edits import WRITE_ERRORS


class Cancelled(Exception):
    """The user pressed Cancel; the job wrote nothing."""


class Progress:
    def __init__(self, say: Callable[[str], object] | None = None) -> None:
        self._cancel = threading.Event()
        self._say = say

    def say(self, text: str) -> None:
        """What the job is doing now, for its progress dialog (any thread)."""
        if self._say is not None:
            self._say(text)

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()


class _Signals(QObject):
    done = Signal(object)  # the job's result
    failed = Signal(str)  # one plain-English line
    cancelled = Signal()
    said = Signal(str)  # what the job is doing now


class Job(QRunnable):
    def __init__(self, work: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the Task keeps it; Qt must not delete it under Python
        self.work = work
        self.signals = _Signals()
        self.progress = Progress(self.signals.said.emit)

    def run(self) -> None:
        try:
            # A job checks for Cancel itself, where stopping still leaves nothing written;
            # once it has returned, its work is done and is reported as done.
            result = self.work(self.progress)
        except Cancelled:
            self.signals.cancelled.emit()
        except WRITE_ERRORS as exc:
            self.signals.failed.emit(str(exc))
        except ImportError as exc:  # an output writer not installed in this build
            self.signals.failed.emit(f"this part of OOH Desk is not available yet ({exc})")
        except Exception as exc:  # a bug: say so in words rather than losing it in a thread
            traceback.print_exc()
            self.signals.failed.emit(f"something went wrong: {exc}")
        else:
            self.signals.done.emit(result)


class Task(QObject):
    """One piece of long work with its progress dialog. Emits `finished(outcome, value)`:
    ('done', result), ('failed', message) or ('cancelled', None)."""

    finished = Signal(str, object)

    def __init__(self, label: str, work: Callable[[Progress], Any], parent: QWidget | None = None,
                 show_dialog: bool = True) -> None:
        super().__init__(parent)
        self.job = Job(work)
        self.outcome: tuple[str, Any] | None = None
        self.dialog: QProgressDialog | None = None
        if show_dialog:
            self.dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
            self.dialog.setWindowTitle("OOH Desk")
            self.dialog.setAccessibleName(label)
            self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self.dialog.setMinimumDuration(300)
            self.dialog.canceled.connect(self.cancel)
        sig = self.job.signals
        sig.done.connect(lambda result: self._finish("done", result))
        sig.failed.connect(lambda message: self._finish("failed", message))
        sig.cancelled.connect(lambda: self._finish("cancelled", None))
        sig.said.connect(self._said)

    def start(self) -> Task:
        QThreadPool.globalInstance().start(self.job)
        return self

    def cancel(self) -> None:
        self.job.progress.cancel()

    def _said(self, text: str) -> None:
        if self.dialog is not None:
            self.dialog.setLabelText(text)

    def _finish(self, outcome: str, value: Any) -> None:
        self.outcome = (outcome, value)
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.reset()
            self.dialog.deleteLater()
            self.dialog = None
        with contextlib.suppress(RuntimeError):  # the window that asked closed meanwhile
            self.finished.emit(outcome, value)
