"""Telling the user an output was written — or was not — the same way everywhere: the words on
the view's result line and, when the view asks, a box that offers to open the file or its
folder. Notes from the service (a report's warnings, an issue list the register could not
take) are shown with it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def show_outcome(parent: QWidget, result: QLabel, outcome: str, words: str, path: Path | None,
                 notes: Sequence[str] = (), confirm: bool = True) -> None:
    """`outcome` is a worker's: done (words say what was written to `path`), failed (words
    are the reason) or cancelled."""
    if outcome == "failed":
        result.setText(f"Not written: {words}")
        if confirm:
            QMessageBox.warning(parent, "OOH Desk", f"Nothing was written: {words}")
        return
    if outcome != "done" or path is None:
        result.setText("Cancelled; nothing was written.")
        return
    text = " ".join([words, *(f"Note: {n[:1].upper()}{n[1:]}." for n in notes)])
    result.setText(text)
    if not confirm:
        return
    box = QMessageBox(QMessageBox.Icon.Information, "OOH Desk", text,
                      QMessageBox.StandardButton.Close, parent)
    open_file = box.addButton("Open the file", QMessageBox.ButtonRole.AcceptRole)
    open_folder = box.addButton("Open its folder", QMessageBox.ButtonRole.ActionRole)
    box.exec()
    if box.clickedButton() is open_file:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    elif box.clickedButton() is open_folder:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
