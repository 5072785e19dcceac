"""What the app's long verbs that change the register from outside (merging another copy,
syncing with the team register) share once their work is done off the GUI thread: a
non-blocking message box the tests can answer, widened to read, the same words in the status
bar, and a merge summary's kinds of record as a list.

Neither a merge nor a sync is an undoable edit: the engine writes it in one transaction that
may touch hundreds of records, and the app's undo commands put whole records back as they
were, so undoing an edit made before it could quietly take back what it brought in. The
window starts a fresh undo history after either (MainWindow.reload_views)."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QGridLayout, QMessageBox, QSizePolicy, QSpacerItem, QWidget

from ..domain.prose import counted


def kind_lines(summary: Any) -> tuple[list[str], int]:
    """A merge summary's kinds of record, one "• Risks: 1 new, 1 conflict" line each (any
    renumbered refs indented under it), and the conflicts counted over them."""
    out: list[str] = []
    conflicts = 0
    for kind, s in sorted(summary.kinds.items()):
        conflicts += s.conflicts
        parts = s.parts()
        if parts:
            out.append(f"• {kind.replace('_', ' ').capitalize()}: {', '.join(parts)}")
        out += [f"    {line}" for line in s.renumbered]
    return out, conflicts


def conflicts_line(conflicts: int, verb: str = "kept") -> str:
    return (f"{counted(conflicts, 'conflict')} (the same thing changed on both copies) {verb} "
            "for you to settle in the Conflicts view; the register keeps its own value "
            "meanwhile.")


def summary_html(lines: list[str]) -> str:
    """Summary lines for a dialog: the "• " lines as a list, each indented line under the
    item before it, every other line a paragraph."""
    out: list[str] = []
    items: list[str] = []

    def close_list() -> None:
        if items:
            out.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
            items.clear()

    for line in lines:
        if line.startswith("• "):
            items.append(escape(line[2:]))
        elif line.startswith("    ") and items:
            items[-1] += f"<br>{escape(line.strip())}"
        else:
            close_list()
            out.append(f"<p>{escape(line)}</p>")
    close_list()
    return "".join(out)


def widen(box: QMessageBox, width: int = 560) -> None:
    """QMessageBox sizes itself to a narrow column; a spacer across its grid widens it."""
    layout = box.layout()
    if isinstance(layout, QGridLayout):
        layout.addItem(QSpacerItem(width, 0, QSizePolicy.Policy.Minimum,
                                   QSizePolicy.Policy.Expanding),
                       layout.rowCount(), 0, 1, layout.columnCount())


class Refused:
    """A login the team server refused, handed back by a worker's job as its value (not
    raised), so the window can ask for the password and try again."""

    def __init__(self, message: str) -> None:
        self.message = message


class Flow(QObject):
    """One verb's conversation with the user, from its window: `box` is the message on
    screen (None once it closes)."""

    TITLE = "OOH Desk"

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.window = parent
        self.box: QMessageBox | None = None

    def _tell(self, icon: QMessageBox.Icon, text: str, more: str = "") -> QMessageBox:
        box = QMessageBox(icon, self.TITLE, text, QMessageBox.StandardButton.Close, self.window)
        box.setAccessibleName(self.TITLE)
        if more:
            box.setInformativeText(more)
        self.window_status(text)
        self._show(box)
        return box

    def _show(self, box: QMessageBox) -> None:
        """Shown without blocking (the window stays responsive; tests can answer it)."""
        widen(box)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        self.box = box
        box.destroyed.connect(lambda *_: self._forget(box))
        box.open()

    def _forget(self, box: QMessageBox) -> None:
        if self.box is box:
            self.box = None

    def window_status(self, text: str) -> None:
        status = getattr(self.window, "status", None)
        if status is not None and hasattr(status, "setText"):
            status.setText(text)
