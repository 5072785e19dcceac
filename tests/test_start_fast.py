"""Starting fast: `gui --quit-after-paint` exits after the main window's first paint; only the
view on screen is built at start (the rest on first use), and the heavy libraries wait for the
command that needs them. Also the one-time LibreOffice notice and Help > About / Diagnostics."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from gui_support import shown
from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMessageBox

from ooh_desk.gui import app as gui_app
from ooh_desk.gui.launch import FirstPaint

TITLES = ["Dashboard", "Risks", "Milestones", "Engagement", "Actions", "Papers", "Meetings",
          "Conflicts", "Assurance", "Key decisions"]
HEAVY = ("docx", "openpyxl", "rapidfuzz", "reportlab", "pypdf", "ooh_desk.gui.views.papers",
         "ooh_desk.gui.import_wizard", "ooh_desk.exports.office")


def isolated_env(tmp_path) -> dict[str, str]:
    """The user's settings and recent files untouched: a run of its own."""
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen",
            "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}


@pytest.fixture
def own_settings(tmp_path):
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope,
                          os.environ.get("XDG_CONFIG_HOME", os.path.expanduser("~/.config")))


# --- --quit-after-paint ---------------------------------------------------------------------------


def test_quit_after_paint_exits_0_and_remembers_the_register(demo_copy, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "ooh_desk.cli", "gui", str(demo_copy),
                           "--quit-after-paint"], capture_output=True, text=True, timeout=120,
                          env=isolated_env(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    conf = next((tmp_path / "config").rglob("*.conf")).read_text("utf-8")
    assert demo_copy.name in conf  # opened as a user opens it: now a recent register


def test_start_loads_only_what_the_first_view_needs(demo_copy, tmp_path):
    """python-docx, openpyxl, rapidfuzz, the pack's libraries and LibreOffice's helpers load
    when a command needs them, not when the window first paints (Python's own import log)."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "ooh_desk.cli", "gui",
                           str(demo_copy), "--quit-after-paint"], capture_output=True, text=True,
                          timeout=120, env=isolated_env(tmp_path))
    assert proc.returncode == 0, proc.stderr
    loaded = {line.rpartition("|")[2].strip() for line in proc.stderr.splitlines()
              if line.startswith("import time:")}
    assert "ooh_desk.gui.views.dashboard" in loaded  # the log is read at all
    assert sorted(loaded & set(HEAVY)) == []


def test_first_paint_calls_back_once_after_the_paint(qtbot):
    calls = []
    label = QLabel("Hello")
    watcher = FirstPaint(label, lambda: calls.append(watcher.painted))
    assert not watcher.painted
    shown(qtbot, label, size=(300, 100))
    qtbot.waitUntil(lambda: calls == [True])
    label.update()
    label.repaint()
    qtbot.wait(20)
    assert calls == [True]


def test_a_normal_start_defers_its_notices_until_the_window_is_drawn(demo_copy, tmp_path):
    """Run in a process of its own: the app's event loop ends the way a user's does."""
    code = ("from PySide6.QtWidgets import QApplication\n"
            "from ooh_desk.gui import app, launch\n"
            "def after_start(window):\n"
            "    print('after start; drawn:', window.windowHandle().isExposed())\n"
            "    QApplication.instance().quit()\n"
            "app.MainWindow.after_start = after_start\n"
            f"raise SystemExit(launch.run({str(demo_copy)!r}))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env=isolated_env(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "after start; drawn: True"


# --- views built on first use -------------------------------------------------------------------


def test_only_the_view_on_screen_is_built_until_others_are_opened(qtbot, reg):
    window = gui_app.MainWindow(reg, remember_settings=False)
    shown(qtbot, window)
    assert [type(v).__name__ for v in window.built_views()] == ["DashboardView"]
    assert [window.tabs.tabText(n).split(" ", 1)[1] for n in range(window.tabs.count())] == TITLES
    window.tabs.setCurrentIndex(2)
    assert [type(v).__name__ for v in window.built_views()] == ["DashboardView",
                                                               "MilestonesView"]
    assert window.tabs.currentIndex() == 2
    assert window.tabs.currentWidget() is window.built_views()[1]
    assert window.tabs.tabText(2) == "&3 Milestones"


def test_every_view_opens_and_takes_its_tabs_place(qtbot, reg):
    window = gui_app.MainWindow(reg, remember_settings=False)
    shown(qtbot, window)
    for n, spec in enumerate(gui_app.VIEWS):
        window.tabs.setCurrentIndex(n)
        assert window.tabs.currentWidget() is window.built_views()[n]
        assert window.tabs.currentWidget().title == spec.title
    assert len(window.built_views()) == len(gui_app.VIEWS)
    assert window.tabs.count() == len(gui_app.VIEWS)


def test_the_smoke_test_still_opens_every_view(qtbot, demo_copy, monkeypatch):
    from ooh_desk.gui import smoke

    windows = []

    class Watched(gui_app.MainWindow):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            windows.append(self)

    monkeypatch.setattr(smoke, "MainWindow", Watched)
    assert smoke.smoke_test(demo_copy, None) == 0
    assert [v.title for v in windows[0].built_views()] == TITLES


def test_the_view_menu_shortcuts_still_open_each_view(qtbot, reg):
    window = gui_app.MainWindow(reg, remember_settings=False)
    shown(qtbot, window)
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    by_shortcut = {a.shortcut().toString(): a for a in view_menu.actions()}
    by_shortcut["Ctrl+6"].trigger()
    assert window.tabs.currentIndex() == 5
    assert type(window.tabs.currentWidget()).__name__ == "PapersView"


def test_asking_for_a_view_builds_it_without_leaving_the_one_on_screen(qtbot, reg):
    from ooh_desk.gui.views.meetings import MeetingsView

    window = gui_app.MainWindow(reg, remember_settings=False)
    shown(qtbot, window)
    meetings = window.view(MeetingsView)
    assert isinstance(meetings, MeetingsView)
    assert window.tabs.currentIndex() == 0
    assert window.tabs.widget(6) is meetings


def test_an_action_still_leads_to_its_risk_when_neither_view_was_open(qtbot, reg):
    window = gui_app.MainWindow(reg, remember_settings=False)
    shown(qtbot, window)
    actions = window.view_named("actions")
    actions.source_requested.emit("risks", "R-004")
    assert type(window.tabs.currentWidget()).__name__ == "RisksView"
    assert window.tabs.currentWidget().current_risk.ref == "R-004"


def test_the_remembered_tab_is_the_only_one_built(qtbot, reg, own_settings):
    gui_app.settings().setValue("tab", 3)
    window = gui_app.MainWindow(reg)
    shown(qtbot, window)
    assert window.tabs.currentIndex() == 3
    assert [type(v).__name__ for v in window.built_views()] == ["EngagementView"]


def test_switching_register_starts_lazily_again(qtbot, reg, register):
    window = gui_app.MainWindow(reg, remember_settings=False)
    shown(qtbot, window)
    window.tabs.setCurrentIndex(1)
    assert len(window.built_views()) == 2
    assert window.switch_to(register)
    assert len(window.built_views()) == 1
    assert window.built_views()[0].edits.reg.path == register


# --- saying once that LibreOffice is missing ---------------------------------------------------


def test_a_missing_libreoffice_is_told_once(qtbot, reg, own_settings, monkeypatch):
    from ooh_desk.exports import office

    monkeypatch.setattr(office, "find_soffice", lambda *a, **k: None)
    window = gui_app.MainWindow(reg)
    shown(qtbot, window)
    box = window.after_start()
    assert isinstance(box, QMessageBox)
    assert "agenda packs" in box.text() and "preview" in box.text()
    assert "libreoffice.org" in box.text()
    box.close()
    assert window.after_start() is None  # once, not at every start
    again = gui_app.MainWindow(reg)
    qtbot.addWidget(again)
    assert again.after_start() is None


def test_nothing_is_said_when_libreoffice_is_there(qtbot, reg, own_settings, monkeypatch):
    from ooh_desk.exports import office

    monkeypatch.setattr(office, "find_soffice", lambda *a, **k: "/usr/bin/soffice")
    window = gui_app.MainWindow(reg)
    shown(qtbot, window)
    assert window.after_start() is None


# --- Help > About / Diagnostics ----------------------------------------------------------------


def test_about_shows_the_diagnosis_and_copies_it(qtbot, reg):
    window = gui_app.MainWindow(reg, remember_settings=False)
    shown(qtbot, window)
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert [a.text() for a in help_menu.actions()] == ["&About / Diagnostics…"]
    dialog = window.open_about()
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "House font" in dialog.text.toPlainText(), timeout=60000)
    text = dialog.text.toPlainText()
    assert "OOH Desk 0." in text and "LibreOffice" in text and "House font" in text
    assert "offscreen" in text  # the platform Qt draws on, from the running app
    assert dialog.text.accessibleName() and dialog.copy_button.accessibleName()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == text
