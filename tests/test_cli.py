"""The command-line contract: commands, JSON shape, exit codes, no Qt, one-line errors."""

import json

import pytest
from conftest import run_cli_process

from ooh_desk.services.transfer import register_to_json
from ooh_desk.store import Register, history, records


def test_demo_register_lists_risks_with_scores_bands_and_board_dates(cli, demo_register):
    result = cli("list", demo_register, "risks", "--json")
    assert result.code == 0
    risks = json.loads(result.out)
    assert len(risks) >= 15
    first = risks[0]
    assert list(first)[0] == "ref"
    assert first["current"]["score"] == first["current"]["likelihood"] * first["current"]["impact"]
    assert first["band"] in {"Low", "Moderate", "High", "Extreme"}
    assert {"text", "earliest", "latest"} <= set(first["raised"])
    assert {r["band"] for r in risks} == {"Low", "Moderate", "High", "Extreme"}
    assert {r["status"] for r in risks} >= {"open", "closed", "escalated"}
    assert all(r["mitigations"] for r in risks)


def test_demo_milestones_show_board_dates_and_derived_rag(cli, demo_register):
    items = json.loads(cli("list", demo_register, "milestones", "--json").out)
    assert len(items) >= 12
    texts = {m["baseline"]["text"] for m in items if m["baseline"]}
    assert any(t.startswith(("Early", "Mid", "Late")) for t in texts)
    assert any("/" in t and t.startswith("Q") for t in texts)
    assert {m["rag"] for m in items} >= {"Complete", "Red", "Green"}
    slipped = [m for m in items if m["forecast"] and m["baseline"]
               and m["forecast"]["latest"] > m["baseline"]["latest"]]
    assert slipped


def test_as_at_decides_overdue(cli, demo_register):
    then = json.loads(cli("list", demo_register, "actions", "--json").out)
    assert len(then) >= 10
    assert 3 <= sum(a["overdue"] for a in then) < len(then)
    early = json.loads(cli("list", demo_register, "actions", "--json",
                           "--as-at", "2017-01-01").out)
    assert not any(a["overdue"] for a in early)


def test_list_open_narrows_and_plain_list_shows_every_status(cli, demo_register):
    everything = json.loads(cli("list", demo_register, "risks", "--json").out)
    open_only = json.loads(cli("list", demo_register, "risks", "--json", "--open").out)
    assert len(open_only) < len(everything)
    assert all(r["status"] != "closed" for r in open_only)
    text = cli("list", demo_register, "risks").out
    assert "closed" in text and "Extreme" in text


def test_feedback_demo_has_thirty_items_over_three_or_more_events(cli, demo_register):
    items = json.loads(cli("list", demo_register, "feedback", "--json").out)
    assert len(items) == 30
    assert len({i["event"] for i in items}) >= 3


def test_json_export_imports_back_losslessly(cli, demo_copy, tmp_path):
    out = tmp_path / "demo.json"
    assert cli("export", demo_copy, "json", "-o", out).code == 0
    fresh = tmp_path / "fresh.oohdesk"
    assert cli("init", fresh).code == 0
    result = cli("import", fresh, out)
    assert result.code == 0, result.err
    with Register.open(demo_copy, readonly=True) as a, Register.open(fresh) as b:
        assert register_to_json(a) == register_to_json(b)
    assert "0 new, 0 updated" in cli("import", fresh, out).out


@pytest.mark.parametrize(("args", "code", "words"), [
    (["list", "{missing}", "risks"], 1, "There is no register at"),
    (["list", "{reg}", "weather"], 2, "invalid choice"),
    (["list", "{reg}", "risks", "--as-at", "soon"], 2, "is not a date"),
    (["import", "{reg}", "{missing}"], 1, "There is no file at"),
    (["init", "{reg}"], 1, "already exists"),
])
def test_exit_codes_and_one_line_messages(cli, register, tmp_path, args, code, words):
    args = [a.format(reg=register, missing=tmp_path / "nope.csv") for a in args]
    result = cli(*args)
    assert result.code == code
    assert words in result.err
    if code == 1:
        assert result.err.count("\n") == 1 and "Traceback" not in result.err


def test_real_process_never_imports_qt_and_errors_without_traceback(register, tmp_path):
    probe = run_cli_process("list", register, "risks", "--json")
    assert probe.code == 0 and json.loads(probe.out) == []
    import subprocess
    import sys

    code = (f"import sys; from ooh_desk.cli import main; main(['list', {str(register)!r}, "
            "'risks']); print(any(m.startswith('PySide6') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert out.strip().endswith("False")
    bad = tmp_path / "bad.oohdesk"
    bad.write_bytes(b"\x00garbage" * 100)
    result = run_cli_process("list", bad, "risks")
    assert result.code == 1 and "Traceback" not in result.err
    assert "is not an OOH Desk register" in result.err


def test_version(cli):
    assert run_cli_process("--version").out.startswith("ooh-desk ")


def test_demo_trends_come_from_earlier_reviews(cli, demo_register):
    risks = {r["ref"]: r for r in json.loads(cli("list", demo_register, "risks", "--json").out)}
    assert risks["R-001"]["trend"] == "up"
    assert risks["R-002"]["trend"] == "down"
    assert risks["R-013"]["trend"] == "steady"


def test_demo_history_is_dated_no_later_than_its_as_at_date(demo_register):
    with Register.open(demo_register, readonly=True) as reg:
        risk = records.get_record(reg, "risks", "R-001")
        # reviewed in September, as reported on 12 October, raised at the 2 November review
        scores = history.score_history(reg, risk.uuid)
        assert [row["at"][:10] for row in scores] == ["2017-09-14", "2017-10-12", "2017-11-02"]
        assert [row["score"] for row in scores] == [12, 12, 16]
        assert max(h["at"] for h in history.changes(reg)) <= "2017-11-09T12:00:00+00:00"
        assert max(h["at"] for h in reg.db["risk_scores"].rows) <= "2017-11-09T12:00:00+00:00"


def test_gui_without_a_screen_says_so_instead_of_aborting(cli, register, monkeypatch):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    result = cli("gui", register)
    assert result.code == 1
    assert "needs a screen" in result.err and "Traceback" not in result.err
