"""Starting fast, second pass: what the first paint does not need is not loaded before it (the
importers, one `ldd` not two); the app carries its icon and desktop entry name; macOS's
FileOpen event opens a register; the frozen floor ends as the app's timing run does; and every
program of the machine's own (pdftoppm, fc-list, the desktop's cache tools) starts with the one
clean environment."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import ROOT
from PySide6.QtCore import QSize
from PySide6.QtGui import QFileOpenEvent, QImage
from PySide6.QtWidgets import QApplication

from ooh_desk.gui import app as gui_app
from ooh_desk.gui import launch, qt_libraries

# Loaded by `import`, `merge` and the rest when they run: none is needed to draw the window.
IMPORTERS = ("ooh_desk.services.importing", "ooh_desk.imports.profiles",
             "ooh_desk.imports.report", "ooh_desk.imports.agenda", "ooh_desk.imports.sources",
             "ooh_desk.imports.mapping", "ooh_desk.services.transfer")


def isolated_env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen",
            "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}


def loaded_modules(stderr: str) -> set[str]:
    return {line.rpartition("|")[2].strip() for line in stderr.splitlines()
            if line.startswith("import time:")}


# --- what loads before the first paint ------------------------------------------------------------


def test_the_command_line_loads_no_importer_until_a_command_needs_one(tmp_path):
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "ooh_desk.cli",
                           "--version"], capture_output=True, text=True, timeout=120,
                          env=isolated_env(tmp_path))
    assert proc.returncode == 0, proc.stderr
    loaded = loaded_modules(proc.stderr)
    assert "ooh_desk.commands.common" in loaded  # the log is read at all
    assert sorted(loaded & set(IMPORTERS)) == []


def test_the_first_paint_loads_no_importer(demo_copy, tmp_path):
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "ooh_desk.cli", "gui",
                           str(demo_copy), "--quit-after-paint"], capture_output=True, text=True,
                          timeout=120, env=isolated_env(tmp_path))
    assert proc.returncode == 0, proc.stderr
    loaded = loaded_modules(proc.stderr)
    assert "ooh_desk.gui.edits.stack" in loaded  # the undo stack is there
    assert sorted(loaded & set(IMPORTERS)) == []


def test_one_ldd_is_asked_about_the_xcb_plugin(monkeypatch):
    """The plugin's `ldd` already lists what Qt's libQt6XcbQpa needs: one call, not two."""
    asked: list[Path] = []
    monkeypatch.setattr(qt_libraries, "_ldd", lambda path: asked.append(path) or
                        "\tlibxcb-cursor.so.0 => not found\n")
    assert qt_libraries.missing("xcb") == ["libxcb-cursor.so.0"]
    assert [p.name for p in asked] == ["libqxcb.so"]


@pytest.fixture
def x11_start(monkeypatch):
    """An X11 session whose app start is recorded, not run: what had happened by then."""
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    for name in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    seen: dict[str, list] = {"ldd": [], "started": []}
    monkeypatch.setattr(launch, "run", lambda *a, **k: seen["started"].append(
        list(seen["ldd"])) or 0)
    monkeypatch.setattr(qt_libraries, "_display_answers", lambda display: True)
    return seen


def test_ldd_runs_beside_the_loading_of_qt_and_is_answered_before_the_app_starts(
        cli, register, x11_start, monkeypatch):
    def ldd(path):
        x11_start["ldd"].append(threading.current_thread() is threading.main_thread())
        return "\tlibxcb.so.1 => /lib/libxcb.so.1 (0x00007f)\n"

    monkeypatch.setattr(qt_libraries, "_ldd", ldd)
    result = cli("gui", register)
    assert result.code == 0, result.err
    assert x11_start["ldd"] == [False]  # asked on a thread of its own
    assert x11_start["started"] == [[False]]  # and answered before the app was started


# --- what the window manager and the desktop see ----------------------------------------------


@pytest.fixture
def app_identity(qapp):
    """The test application's names and icon, put back after."""
    before = (qapp.organizationName(), qapp.applicationName(), qapp.applicationDisplayName(),
              qapp.desktopFileName(), qapp.windowIcon())
    yield qapp
    qapp.setOrganizationName(before[0])
    qapp.setApplicationName(before[1])
    qapp.setApplicationDisplayName(before[2])
    qapp.setDesktopFileName(before[3])
    qapp.setWindowIcon(before[4])


def test_the_app_carries_its_icon_and_desktop_entry_name(app_identity):
    launch.identify(app_identity)
    assert app_identity.desktopFileName() == "ooh-desk"  # ooh-desk.desktop, as installed
    assert app_identity.applicationDisplayName() == "OOH Desk"
    icon = app_identity.windowIcon()
    assert not icon.isNull()
    assert {QSize(16, 16), QSize(32, 32), QSize(256, 256)} <= set(icon.availableSizes())


def test_the_icon_is_the_one_in_resources():
    icon = launch.app_icon()
    drawn = icon.pixmap(QSize(64, 64)).toImage()
    shipped = QImage(str(ROOT / "resources" / "icons" / "ooh-desk-64.png"))
    assert drawn.convertToFormat(shipped.format()) == shipped


def test_a_register_opened_from_finder_is_switched_to(qtbot, reg, register, monkeypatch):
    """macOS hands a double-clicked register to the running app as a FileOpen event."""
    monkeypatch.setattr(gui_app, "settings", lambda: _NoSettings())
    window = gui_app.MainWindow(reg, remember_settings=False)
    qtbot.addWidget(window)
    launch.FileOpener(QApplication.instance(), window)
    QApplication.sendEvent(QApplication.instance(), QFileOpenEvent(str(register)))
    assert window.reg is not None and window.reg.path == Path(register)
    assert "Test Programme" in window.windowTitle()


def test_a_file_open_event_with_no_file_changes_nothing(qtbot, reg, monkeypatch):
    monkeypatch.setattr(gui_app, "settings", lambda: _NoSettings())
    window = gui_app.MainWindow(reg, remember_settings=False)
    qtbot.addWidget(window)
    launch.FileOpener(QApplication.instance(), window)
    QApplication.sendEvent(QApplication.instance(), QFileOpenEvent(""))
    assert window.reg is reg


class _NoSettings:
    """Settings that remember nothing: the test never touches the user's recent list."""

    def value(self, _key: str, default: object = None, **_kw: object) -> object:
        return default

    def setValue(self, _key: str, _value: object) -> None:
        pass


# --- the frozen floor ends like the app ------------------------------------------------------------


def test_the_qt_floor_ends_after_its_paint_without_teardown(tmp_path):
    """Like `gui --quit-after-paint`: exit code 0 straight after the first paint, and no exit
    handlers or module teardown timed after it."""
    script = ("import atexit, runpy, sys\n"
              "atexit.register(lambda: print('teardown ran', flush=True))\n"
              "sys.argv = ['qt-floor']\n"
              f"runpy.run_path({str(ROOT / 'packaging' / 'qt_floor.py')!r}, "
              "run_name='__main__')\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env=isolated_env(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert "teardown ran" not in proc.stdout


# --- the machine's own programs start with the one clean environment --------------------------


def _recording_program(folder: Path, name: str, then: str = "") -> Path:
    """A stand-in for one of the machine's programs: writes down the environment it got."""
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / name
    program.write_text("#!/bin/sh\n"
                       f'echo "LD=$LD_LIBRARY_PATH PY=$PYTHONHOME" > "{folder}/{name}.env"\n'
                       f"{then}\n", "utf-8")
    program.chmod(0o755)
    return program


@pytest.fixture
def frozen_app(monkeypatch, tmp_path):
    """As a PyInstaller bundle runs: its own libraries and Python first, the user's saved."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/ooh-desk/_internal:/usr/local/lib")
    monkeypatch.setenv("LD_LIBRARY_PATH_ORIG", "/usr/local/lib")
    monkeypatch.setenv("PYTHONHOME", "/opt/ooh-desk/_internal")
    tools = tmp_path / "bin"
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    return tools


CLEAN = "LD=/usr/local/lib PY="


@pytest.mark.skipif(sys.platform == "win32", reason="shell scripts stand in for the programs")
def test_pdftoppm_starts_with_the_clean_environment(demo_copy, tmp_path, frozen_app,
                                                    monkeypatch):
    from ooh_desk.exports import office
    from ooh_desk.services import outputs

    def convert(documents, outdir, stop=None):
        pdf = outdir / "preview.pdf"
        pdf.write_bytes(b"%PDF-1.4 stand-in")
        return {documents[0]: pdf}

    monkeypatch.setattr(office, "find_soffice", lambda *a, **k: "/usr/bin/soffice")
    monkeypatch.setattr(office, "convert_to_pdf", convert)
    _recording_program(frozen_app, "pdftoppm", 'touch "$(eval echo \\${$#})-1.png"')
    pages = outputs.preview_pages(demo_copy, None, None, None, tmp_path / "preview")
    assert [p.name for p in pages] == ["page-1.png"]
    assert (frozen_app / "pdftoppm.env").read_text("utf-8").strip() == CLEAN


@pytest.mark.skipif(sys.platform == "win32", reason="shell scripts stand in for the programs")
def test_fc_list_starts_with_the_clean_environment(frozen_app):
    from ooh_desk.services import diagnostics

    _recording_program(frozen_app, "fc-list", "echo 'Liberation Sans'")
    assert diagnostics.fontconfig_families() == ["Liberation Sans"]
    assert (frozen_app / "fc-list.env").read_text("utf-8").strip() == CLEAN


@pytest.mark.skipif(sys.platform == "win32", reason="shell scripts stand in for the programs")
def test_the_desktop_cache_tools_start_with_the_clean_environment(frozen_app, tmp_path):
    from ooh_desk.services import desktop

    (tmp_path / "share" / "applications").mkdir(parents=True)
    _recording_program(frozen_app, "update-desktop-database")
    desktop._refresh(tmp_path / "share")
    assert (frozen_app / "update-desktop-database.env").read_text("utf-8").strip() == CLEAN
