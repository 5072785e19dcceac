"""Helpers the GUI tests share (fixtures `reg` and `edits` live in conftest.py)."""

from PySide6.QtWidgets import QApplication


def shown(qtbot, widget, size=(1280, 860), activate=False):
    """Show a widget as a top-level window and wait until it is on screen. With `activate`,
    also wait until it is the active window: shortcuts (Ctrl+N, Del, Alt+Up) reach only that."""
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    if activate:
        widget.windowHandle().requestActivate()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)
    return widget
