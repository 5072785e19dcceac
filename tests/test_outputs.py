"""Every output — report, risk log, pack, minutes, JSON — is entered on the register's issue
list by services.outputs, the same way whichever front end wrote it."""

from __future__ import annotations

import json
import shutil

import pytest
from PySide6.QtWidgets import QMessageBox

from ooh_desk.gui.app import MainWindow
from ooh_desk.gui.views.meetings import MeetingsView
from ooh_desk.gui.views.papers import PapersView
from ooh_desk.services.listing import list_records
from ooh_desk.store import Register

MEETING = "CHWB-2017-07-10"  # the demo's minuted meeting


def _issued(register) -> list[dict]:
    """The issue list, less what differs from run to run (when, by whom, the entry's id)."""
    with Register.open(register, readonly=True) as reg:
        return [{k: v for k, v in i.items() if k not in ("ref", "at", "uuid", "user")}
                for i in list_records(reg, "issued")]


@pytest.fixture
def two_demos(demo_register, tmp_path):
    (tmp_path / "cli").mkdir()
    (tmp_path / "app").mkdir()
    return (shutil.copy(demo_register, tmp_path / "cli" / "demo.oohdesk"),
            shutil.copy(demo_register, tmp_path / "app" / "demo.oohdesk"))


def test_every_cli_output_is_entered_on_the_issue_list(cli, demo_copy, tmp_path):
    before = len(_issued(demo_copy))
    commands = [
        ("report", demo_copy, "--style", "durham", "-o", tmp_path / "report.docx"),
        ("export", demo_copy, "risk-log", "-o", tmp_path / "log.xlsx"),
        ("export", demo_copy, "json", "-o", tmp_path / "register.json"),
        ("minutes", demo_copy, "--meeting", "2017-07-10", "-o", tmp_path / "minutes.docx"),
    ]
    for args in commands:
        result = cli(*args)
        assert result.code == 0, (args, result.err)
    added = _issued(demo_copy)[before:]
    assert [(i["kind"], i["file_name"]) for i in added] == [
        ("report", "report.docx"), ("risk-log", "log.xlsx"), ("json", "register.json"),
        ("minutes", "minutes.docx")]
    assert added[0]["style"] == "durham"
    # A meeting given by its date is entered under its ref and committee.
    assert added[3]["meeting"] == MEETING and added[3]["committee"]
    listed = json.loads(cli("list", demo_copy, "issued", "--json").out)
    assert [i["kind"] for i in listed[before:]] == ["report", "risk-log", "json", "minutes"]


def test_the_app_enters_its_outputs_exactly_as_the_command_line_does(qtbot, cli, two_demos,
                                                                     monkeypatch):
    by_cli, by_app = two_demos
    out_cli, out_app = by_cli.parent, by_app.parent
    for args in [("export", by_cli, "risk-log", "-o", out_cli / "log.xlsx"),
                 ("minutes", by_cli, "--meeting", MEETING, "-o", out_cli / "minutes.docx"),
                 ("export", by_cli, "json", "-o", out_cli / "register.json")]:
        assert cli(*args).code == 0

    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    reg = Register.open(by_app)
    window = MainWindow(reg, remember_settings=False)
    qtbot.addWidget(window)
    papers = window.view(PapersView)
    meetings = window.view(MeetingsView)
    meetings.confirm_results = False
    assert meetings.select_ref(MEETING)
    # One at a time: a task started early could finish while the test waits for another.
    for start in (lambda: papers.write_risk_log(out_app / "log.xlsx"),
                  lambda: meetings.write_minutes(out_app / "minutes.docx")):
        task = start()
        with qtbot.waitSignal(task.finished, timeout=120000) as blocker:
            pass
        assert blocker.args[0] == "done", blocker.args
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(out_app / "register.json"), ""))
    window.export_json()
    window.close()

    assert _issued(by_app) == _issued(by_cli)
    assert [i["kind"] for i in _issued(by_app)[-3:]] == ["risk-log", "minutes", "json"]
