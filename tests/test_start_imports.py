"""What the first paint may load: `gui REGISTER --quit-after-paint` opens the app as a user
does, and Python's own import log (`-X importtime`) says every module loaded before the
process ended. Features keep arriving (team sync, governance views, exports), each with its
own libraries; the desktop app must still start on what the dashboard needs alone, and load
the rest when the user opens what needs it. A module that breaks this fails here by name.
Also: the timing run ends at the paint, without closing the window (which would save its
layout: a write no start needs, and one the user's next start would read)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

# Loaded by a command, a dialog or a view the user opens, never to draw the first window.
# A name stands for itself and every module under it.
NOT_AT_FIRST_PAINT = (
    # the libraries of exports, imports, packs, team sync and calendars
    "docx", "openpyxl", "lxml", "rapidfuzz", "sqlite_utils", "click", "pluggy", "dateutil",
    "psycopg", "psycopg_binary", "psycopg_pool", "icalendar", "reportlab", "pypdf", "PIL",
    # the standard library's heavier corners those bring
    "asyncio", "ssl", "socket", "email", "http", "xml", "csv", "decimal", "subprocess",
    # our writers and readers of files, and the verbs that need them
    "ooh_desk.exports", "ooh_desk.imports", "ooh_desk.services.outputs",
    "ooh_desk.services.importing", "ooh_desk.services.import_preview",
    "ooh_desk.services.transfer", "ooh_desk.services.papers", "ooh_desk.services.self_test",
    "ooh_desk.services.diagnostics", "ooh_desk.services.demo",
    # merging copies and syncing with a team server
    "ooh_desk.domain.merge", "ooh_desk.store.changes", "ooh_desk.services.merge",
    "ooh_desk.services.team", "ooh_desk.store.team",
    # the app's windows other than the one on screen
    "ooh_desk.gui.import_wizard", "ooh_desk.gui.merge_dialog", "ooh_desk.gui.capture",
    "ooh_desk.gui.about", "ooh_desk.gui.forms", "ooh_desk.gui.smoke", "ooh_desk.gui.worker",
    "ooh_desk.gui.programme_dialog", "ooh_desk.gui.models.records",
    # the editing forms' pickers and fields (the dashboard's tables are in gui/tables.py)
    "ooh_desk.gui.widgets",
)
# The view a register opens on (its Dashboard); every other view's module waits for its tab.
FIRST_VIEW = "ooh_desk.gui.views.dashboard"
QT_MODULES = ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets")


def under(module: str, names: tuple[str, ...]) -> bool:
    return any(module == name or module.startswith(name + ".") for name in names)


@dataclass(frozen=True)
class TimingRun:
    modules: list[str]  # in the order they finished loading
    settings: str  # the app's settings file as the run left it


@pytest.fixture(scope="module")
def timing_run(demo_register, tmp_path_factory) -> TimingRun:
    """One timing run on a copy of the demo, with settings of its own."""
    folder = tmp_path_factory.mktemp("first_paint")
    register = folder / "demo.oohdesk"
    shutil.copy(demo_register, register)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "XDG_CONFIG_HOME": str(folder / "config"), "XDG_DATA_HOME": str(folder / "data")}
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "ooh_desk.cli", "gui",
                           str(register), "--quit-after-paint"], capture_output=True, text=True,
                          timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    modules = [m.group(1) for m in re.finditer(r"^import time:.*\|\s*(\S+)\s*$", proc.stderr,
                                               re.MULTILINE)]
    conf = next(Path(env["XDG_CONFIG_HOME"]).rglob("*.conf"))
    return TimingRun(modules, conf.read_text("utf-8"))


@pytest.fixture(scope="module")
def first_paint(timing_run) -> list[str]:
    return timing_run.modules


def test_the_first_paint_is_timed_on_the_dashboard(first_paint):
    """The log is read at all: the first window was drawn, with Qt and its first view."""
    assert FIRST_VIEW in first_paint
    assert set(QT_MODULES) <= set(first_paint)


def test_the_first_paint_loads_nothing_a_later_command_needs(first_paint):
    assert [m for m in first_paint if under(m, NOT_AT_FIRST_PAINT)] == []


def test_the_first_paint_builds_only_the_view_on_screen(first_paint):
    views = [m for m in first_paint if m.startswith("ooh_desk.gui.views.")]
    assert views == [FIRST_VIEW]


def test_the_first_paint_loads_only_the_qt_modules_the_bundle_carries(first_paint):
    """Qt's other modules are left out of the bundle (packaging/bundle_contents.py)."""
    qt = {m for m in first_paint if m.startswith("PySide6.Qt")}
    assert qt == set(QT_MODULES)


def test_the_timing_run_remembers_the_register_and_saves_no_layout(timing_run):
    """Opened as a user opens it (now the last register), then ended at the paint: the
    window was not closed, so no geometry, tab or column widths were written."""
    assert "demo.oohdesk" in timing_run.settings
    assert "geometry" not in timing_run.settings
    assert "columns" not in timing_run.settings


def test_the_dashboard_counts_open_conflicts_without_the_merge_code(reg):
    """The count moved beside the dashboard's other queries; merges still read it where they
    always did."""
    from ooh_desk.services.since import open_conflicts
    from ooh_desk.store import queries

    assert open_conflicts(reg) == queries.open_conflicts(reg) == 0
    reg.conn.execute("insert into conflicts (uuid, ref, kind, record_uuid, record_ref, field, "
                     "status) values ('c1', 'C-001', 'risks', 'r1', 'R-001', 'title', 'open')")
    assert open_conflicts(reg) == 1
    from ooh_desk.store import changes

    assert changes.open_conflicts(reg) == 1
