"""Finding LibreOffice on each platform (faked install folders), and starting it with a clean
environment from a frozen app: PyInstaller's LD_LIBRARY_PATH must not reach it."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from ooh_desk.exports import office


def program(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n", "utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def nowhere(_name: str) -> None:
    return None


# --- Windows ---------------------------------------------------------------------------------


def test_windows_program_files(tmp_path):
    files = tmp_path / "Program Files"
    soffice = program(files / "LibreOffice" / "program" / "soffice.exe")
    found = office.find_soffice("win32", {"ProgramFiles": str(files)}, tmp_path, nowhere)
    assert found == str(soffice)


def test_windows_32_bit_install_on_64_bit_windows(tmp_path):
    x86 = tmp_path / "Program Files (x86)"
    soffice = program(x86 / "LibreOffice" / "program" / "soffice.exe")
    environ = {"ProgramFiles": str(tmp_path / "Program Files"), "ProgramFiles(x86)": str(x86)}
    assert office.find_soffice("win32", environ, tmp_path, nowhere) == str(soffice)


def test_windows_per_user_install_without_admin_rights(tmp_path):
    local = tmp_path / "AppData" / "Local"
    soffice = program(local / "Programs" / "LibreOffice" / "program" / "soffice.exe")
    environ = {"ProgramFiles": str(tmp_path / "Program Files"), "LOCALAPPDATA": str(local)}
    assert office.find_soffice("win32", environ, tmp_path, nowhere) == str(soffice)


def test_windows_newest_versioned_folder_first(tmp_path):
    files = tmp_path / "Program Files"
    program(files / "LibreOffice 6" / "program" / "soffice.exe")
    newest = program(files / "LibreOffice 24" / "program" / "soffice.exe")
    assert office.find_soffice("win32", {"ProgramFiles": str(files)}, tmp_path,
                               nowhere) == str(newest)


def test_windows_older_versioned_folder(tmp_path):
    files = tmp_path / "Program Files"
    soffice = program(files / "LibreOffice 7" / "program" / "soffice.exe")
    assert office.find_soffice("win32", {"ProgramFiles": str(files)}, tmp_path,
                               nowhere) == str(soffice)


def test_windows_machine_wide_install_is_preferred_to_per_user(tmp_path):
    files, local = tmp_path / "Program Files", tmp_path / "Local"
    machine = program(files / "LibreOffice" / "program" / "soffice.exe")
    program(local / "Programs" / "LibreOffice" / "program" / "soffice.exe")
    environ = {"ProgramFiles": str(files), "LOCALAPPDATA": str(local)}
    assert office.find_soffice("win32", environ, tmp_path, nowhere) == str(machine)


# --- macOS -----------------------------------------------------------------------------------


def test_macos_applications_folder(tmp_path):
    soffice = program(tmp_path / "Applications" / "LibreOffice.app" / "Contents" / "MacOS"
                      / "soffice")
    found = office.find_soffice("darwin", {}, tmp_path / "home", nowhere, root=tmp_path)
    assert found == str(soffice)


def test_macos_per_user_applications(tmp_path):
    home = tmp_path / "home"
    soffice = program(home / "Applications" / "LibreOffice.app" / "Contents" / "MacOS" / "soffice")
    assert office.find_soffice("darwin", {}, home, nowhere, root=tmp_path) == str(soffice)


# --- Linux (PATH first, as the tests below show; then these) -----------------------------------


@pytest.mark.parametrize("where", ["usr/lib/libreoffice/program/soffice",
                                   "opt/libreoffice24.8/program/soffice",
                                   "snap/bin/libreoffice",
                                   "var/lib/flatpak/exports/bin/org.libreoffice.LibreOffice"])
def test_linux_folders_off_the_path(tmp_path, where):
    soffice = program(tmp_path / where)
    found = office.find_soffice("linux", {}, tmp_path / "home", nowhere, root=tmp_path)
    assert found == str(soffice)


def test_linux_newest_of_several_opt_versions(tmp_path):
    program(tmp_path / "opt/libreoffice7.6/program/soffice")
    newest = program(tmp_path / "opt/libreoffice24.8/program/soffice")
    found = office.find_soffice("linux", {}, tmp_path / "home", nowhere, root=tmp_path)
    assert found == str(newest)


def test_linux_per_user_flatpak(tmp_path):
    home = tmp_path / "home"
    flatpak = program(home / ".local/share/flatpak/exports/bin/org.libreoffice.LibreOffice")
    assert office.find_soffice("linux", {}, home, nowhere, root=tmp_path) == str(flatpak)


# --- every platform ---------------------------------------------------------------------------


def test_path_comes_before_the_install_folders(tmp_path):
    files = tmp_path / "Program Files"
    program(files / "LibreOffice" / "program" / "soffice.exe")
    on_path = str(tmp_path / "bin" / "soffice.exe")
    found = office.find_soffice("win32", {"ProgramFiles": str(files)}, tmp_path,
                                lambda name: on_path if name == "soffice" else None)
    assert found == on_path


def test_linux_path_finds_the_libreoffice_launcher(tmp_path):
    launcher = str(tmp_path / "libreoffice")
    found = office.find_soffice("linux", {}, tmp_path,
                                lambda name: launcher if name == "libreoffice" else None)
    assert found == launcher


def test_the_real_path_is_searched_by_default(tmp_path):
    soffice = program(tmp_path / "bin" / "soffice")
    assert office.find_soffice("linux", {"PATH": str(tmp_path / "bin")}, tmp_path) == str(soffice)


@pytest.mark.parametrize("named", ["program", "install folder", "app bundle"])
def test_the_setting_may_name_the_program_its_folder_or_the_app(tmp_path, named):
    if named == "app bundle":
        app = tmp_path / "LibreOffice.app"
        soffice = program(app / "Contents" / "MacOS" / "soffice")
        setting, platform = app, "darwin"
    else:
        folder = tmp_path / "LO"
        soffice = program(folder / "program" / "soffice.exe")
        setting, platform = (soffice if named == "program" else folder), "win32"
    found = office.find_soffice(platform, {office.SETTING: str(setting)}, tmp_path, nowhere)
    assert found == str(soffice)


def test_a_wrong_setting_is_not_quietly_overruled_by_path(tmp_path):
    found = office.find_soffice("linux", {office.SETTING: str(tmp_path / "missing")}, tmp_path,
                                lambda name: "/usr/bin/soffice")
    assert found is None


def test_nothing_installed_is_none(tmp_path):
    environ = {"ProgramFiles": str(tmp_path / "Program Files"),
               "LOCALAPPDATA": str(tmp_path / "Local")}
    assert office.find_soffice("win32", environ, tmp_path, nowhere) is None


# --- a clean environment ------------------------------------------------------------------------


def test_frozen_app_gives_back_the_users_library_path():
    env = office.clean_environment({"LD_LIBRARY_PATH": "/opt/ooh-desk/_internal:/usr/local/lib",
                                    "LD_LIBRARY_PATH_ORIG": "/usr/local/lib", "HOME": "/home/a"},
                                   is_frozen=True)
    assert env == {"LD_LIBRARY_PATH": "/usr/local/lib", "HOME": "/home/a"}


def test_frozen_app_with_no_saved_value_drops_the_bundles_path():
    env = office.clean_environment({"LD_LIBRARY_PATH": "/opt/ooh-desk/_internal",
                                    "DYLD_LIBRARY_PATH": "/Applications/OOH Desk.app/x",
                                    "PYTHONHOME": "/opt/ooh-desk/_internal",
                                    "QT_PLUGIN_PATH": "/opt/ooh-desk/_internal/PySide6/plugins",
                                    "_PYI_APPLICATION_HOME_DIR": "/opt/ooh-desk/_internal",
                                    "_MEIPASS2": "/tmp/_MEI123", "PATH": "/usr/bin"},
                                   is_frozen=True)
    assert env == {"PATH": "/usr/bin"}


def test_from_source_the_users_own_library_path_is_kept():
    env = office.clean_environment({"LD_LIBRARY_PATH": "/usr/local/lib",
                                    "PYTHONPATH": "/home/a/lib"}, is_frozen=False)
    assert env == {"LD_LIBRARY_PATH": "/usr/local/lib", "PYTHONPATH": "/home/a/lib"}


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for soffice")
def test_soffice_is_started_with_the_clean_environment(tmp_path, monkeypatch):
    """A stand-in soffice says what LD_LIBRARY_PATH it was given."""
    fake = tmp_path / "soffice"
    fake.write_text('#!/bin/sh\necho "LibreOffice 9.9.9 LD=$LD_LIBRARY_PATH PY=$PYTHONHOME"\n',
                    "utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/ooh-desk/_internal:/usr/local/lib")
    monkeypatch.setenv("LD_LIBRARY_PATH_ORIG", "/usr/local/lib")
    monkeypatch.setenv("PYTHONHOME", "/opt/ooh-desk/_internal")
    assert office.office_version(str(fake)) == "LibreOffice 9.9.9 LD=/usr/local/lib PY="


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for soffice")
def test_conversion_runs_with_the_clean_environment(tmp_path, monkeypatch):
    """convert_to_pdf's LibreOffice sees the user's library path, not the bundle's."""
    seen = tmp_path / "seen.txt"
    fake = tmp_path / "soffice"
    fake.write_text(f'#!/bin/sh\necho "$LD_LIBRARY_PATH" > "{seen}"\n', "utf-8")
    fake.chmod(0o755)
    document = tmp_path / "paper.docx"
    document.write_bytes(b"not really")
    monkeypatch.setenv(office.SETTING, str(fake))
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/ooh-desk/_internal")
    monkeypatch.delenv("LD_LIBRARY_PATH_ORIG", raising=False)
    assert office.convert_to_pdf([document], tmp_path / "out") == {document: None}
    assert seen.read_text("utf-8").strip() == ""
