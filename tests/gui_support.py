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


def wizard_on(qtbot, edits, source, kind):
    """The import wizard, shown, with `source` chosen as a file of `kind` (still on the
    file page: the caller presses Next)."""
    from ooh_desk.gui.import_wizard import ImportWizard

    wizard = ImportWizard(edits)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path.setText(str(source))
    wizard.file_page.kind.setCurrentIndex(wizard.file_page.kind.findData(kind))
    return wizard
