"""`ooh-desk doctor`: one screen a helpdesk can read, as text or JSON, that survives a missing
LibreOffice, a damaged register and a Qt that will not load."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from ooh_desk import __version__
from ooh_desk.services import diagnostics
from ooh_desk.services.diagnostics import QtFacts, diagnose


def doctor_process(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("QT_QPA_PLATFORM", None)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return subprocess.run([sys.executable, "-m", "ooh_desk.cli", "doctor", *args],
                          capture_output=True, text=True, timeout=120, env=env)


def test_doctor_prints_one_screen_a_helpdesk_can_read(tmp_path, demo_copy):
    proc = doctor_process(tmp_path, str(demo_copy))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    text = proc.stdout
    for heading in ("App", "Qt", "LibreOffice", "Fonts", "Files"):
        assert f"\n{heading}\n" in f"\n{text}"
    assert f"OOH Desk {__version__}" in text
    assert "(Python source)" in text
    assert "no display" in text  # a helpdesk sees why the window would not open
    assert str(tmp_path / "config") in text  # the settings file, in the user's own folder
    assert str(tmp_path / "data") in text  # the demo register, likewise
    assert f"Last register:    {demo_copy}" in text
    assert "Opens:            yes: Out of Hospital Community Services Programme (" in text
    assert len(text.splitlines()) < 40


def test_doctor_json_carries_the_same_facts(cli, demo_copy):
    result = cli("doctor", demo_copy, "--json")
    assert result.code == 0, result.err
    facts = json.loads(result.out)
    assert facts["app"]["version"] == {"value": f"OOH Desk {__version__}", "ok": True}
    assert facts["files"]["last_register"]["value"] == str(demo_copy)
    assert facts["files"]["opens"]["ok"] is True
    assert facts["qt"]["qt"]["value"].startswith("6.")
    assert set(facts) == {"app", "qt", "libreoffice", "fonts", "files"}


def test_a_damaged_register_is_marked_for_the_helpdesk(cli, tmp_path):
    damaged = tmp_path / "damaged.oohdesk"
    damaged.write_bytes(b"this is not a database at all" * 100)
    result = cli("doctor", damaged)
    assert result.code == 0
    opens = next(line for line in result.out.splitlines() if "Opens:" in line)
    assert opens.startswith("! ")
    assert "no: " in opens and "not an OOH Desk register" in opens
    assert "thing to look at" in result.out or "things to look at" in result.out


def test_doctor_survives_a_qt_that_will_not_load(cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "ooh_desk.gui.about", None)  # importing it fails
    result = cli("doctor", "--json")
    assert result.code == 0, result.err
    qt = json.loads(result.out)["qt"]["qt"]
    assert qt["ok"] is False and qt["value"].startswith("Qt cannot be loaded")


def test_missing_libreoffice_says_what_will_not_work_and_how_to_install_it():
    diagnosis = diagnose(QtFacts(qt_version="6", pyside_version="6", platform="xcb"),
                         soffice=lambda: None, families=lambda: ["Arial"])
    line = next(line for _, lines in diagnosis.sections for line in lines
                if line.label == "LibreOffice")
    assert not line.ok
    assert "agenda packs" in line.value and "previews" in line.value
    assert "libreoffice.org" in line.value and "OOH_DESK_SOFFICE" in line.value


def test_libreoffice_found_shows_its_version():
    diagnosis = diagnose(QtFacts(qt_version="6", pyside_version="6", platform="xcb"),
                         soffice=lambda: "/opt/lo/program/soffice",
                         version_of=lambda path: "LibreOffice 24.8.4.2",
                         families=lambda: ["Arial"])
    office = dict(diagnosis.sections)["LibreOffice"]
    assert [(line.label, line.value) for line in office[:2]] == [
        ("LibreOffice", "/opt/lo/program/soffice"), ("Version", "LibreOffice 24.8.4.2")]


def test_house_font_or_its_metric_twin():
    def font(families):
        return diagnostics._fonts(families)[0]

    assert font(["Arial", "DejaVu Sans"]).value == "Arial installed"
    twin = font(["DejaVu Sans", "Liberation Sans"])
    assert twin.ok and "Liberation Sans (same metrics) stands in" in twin.value
    assert not font(["DejaVu Sans"]).ok
    assert "could not ask" in font(None).value


def test_the_app_qt_facts_are_used_when_given(tmp_path):
    facts = QtFacts(qt_version="6.9.0", pyside_version="6.9.0", platform="wayland",
                    settings_file=str(tmp_path / "OOH Desk.conf"), recent=[],
                    fonts=["Liberation Sans"])
    text = diagnose(facts, soffice=lambda: None).as_text()
    assert "6.9.0 (PySide6 6.9.0)" in text and "wayland" in text
    assert "Liberation Sans (same metrics)" in text
    assert "none yet (the app opens the demo)" in text
