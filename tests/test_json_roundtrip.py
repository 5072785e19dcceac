"""`export json` carries the whole register and `import` takes it back into a new register
unchanged: every kind `list` shows (trends, the issue list and the change history included),
the documents byte for byte, and a second export equal to the first. A broken item anywhere
refuses the whole file, naming the item; a file nested too deeply or too large is refused in
one line."""

from __future__ import annotations

import copy
import json
import os

import pytest

from ooh_desk.services.listing import LIST_KINDS
from ooh_desk.store import Register
from ooh_desk.store import meetings as store_meetings


def _lists(cli, register) -> dict[str, list]:
    out = {}
    for kind in LIST_KINDS:
        result = cli("list", register, kind, "--json")
        assert result.code == 0, result.err
        out[kind] = json.loads(result.out)
    return out


def _documents(register) -> dict[str, bytes]:
    with Register.open(register, readonly=True) as reg:
        return {f"{m.ref}/{item.number}": store_meetings.document_content(reg, item.document.uuid)
                for m in store_meetings.all_meetings(reg)
                for item in store_meetings.agenda(reg, m) if item.document}


@pytest.fixture
def exported(cli, demo_copy, tmp_path):
    """The demo, with a paper drafted, exported to JSON: (the register, the file, its data)."""
    drafted = cli("paper", demo_copy, "new", "--title", "Community services update",
                  "--committee", "Health and Wellbeing Board", "--author", "Programme Manager",
                  "--section", "purpose=To update the Board on the procurement.")
    assert drafted.code == 0, drafted.err
    out = tmp_path / "demo.json"
    result = cli("export", demo_copy, "json", "-o", out)
    assert result.code == 0, result.err
    return demo_copy, out, json.loads(out.read_text("utf-8"))


@pytest.fixture
def new_register(cli, tmp_path):
    target = tmp_path / "new.oohdesk"
    assert cli("init", target).code == 0
    return target


def test_whole_export_into_a_new_register_lists_every_kind_identically(cli, exported,
                                                                       new_register):
    demo, out, _ = exported
    before = _lists(cli, demo)
    result = cli("import", new_register, out)
    assert result.code == 0, result.err
    after = _lists(cli, new_register)
    for kind in LIST_KINDS:
        assert after[kind] == before[kind], kind
    # The lists compared are not empty, and the history behind them came across.
    assert all(before[kind] for kind in LIST_KINDS)
    assert {r["trend"] for r in after["risks"]} > {"steady"}
    assert any(i["kind"] == "report" for i in after["issued"])
    assert len(after["changes"]) >= 3
    # The text a user reads, with its trend arrows and "since the last report", too.
    for kind in ("risks", "changes", "issued"):
        assert cli("list", new_register, kind).out == cli("list", demo, kind).out


def test_documents_come_back_byte_for_byte(cli, exported, new_register):
    demo, out, _ = exported
    assert cli("import", new_register, out).code == 0
    original = _documents(demo)
    assert len(original) >= 3
    assert _documents(new_register) == original


def test_a_second_export_equals_the_first(cli, exported, new_register, tmp_path):
    _, out, first = exported
    assert cli("import", new_register, out).code == 0
    again = tmp_path / "again.json"
    assert cli("export", new_register, "json", "-o", again).code == 0
    second = json.loads(again.read_text("utf-8"))
    # The one difference a second export must make: its own entry in the issue list.
    own = second["tables"]["reports_issued"].pop()
    assert own["kind"] == "json" and own["file_name"] == "again.json"
    assert second == first


def test_the_export_holds_every_table_and_its_stamps(exported):
    demo, _, data = exported
    assert data["format_version"] == 2
    with Register.open(demo, readonly=True) as reg:
        risk = next(reg.db["risks"].rows_where(order_by="ref"))
        audit_rows = reg.db["audit"].count
    first = next(r for r in data["tables"]["risks"] if r["ref"] == risk["ref"])
    assert {k: first[k] for k in ("uuid", "created", "updated", "updated_by")} == \
        {k: risk[k] for k in ("uuid", "created", "updated", "updated_by")}
    assert len(data["tables"]["audit"]) == audit_rows
    for table in ("meetings", "committees", "members", "agenda_items", "documents",
                  "attendance", "decisions", "reports_issued", "risk_scores", "mitigations"):
        assert data["tables"][table], table


def test_a_whole_export_goes_only_into_an_empty_register_or_its_own_copy(cli, exported,
                                                                         new_register, register,
                                                                         tmp_path):
    _, out, _ = exported
    # Into the register it made, again: the same records, nothing to change.
    assert cli("import", new_register, out).code == 0
    before = _lists(cli, new_register)
    result = cli("import", new_register, out)
    assert result.code == 0, result.err
    assert "0 new, 0 updated" in result.out
    assert _lists(cli, new_register) == before
    # Into a register holding records of its own: refused, nothing changed (merging two
    # registers is not what an import does).
    csv = tmp_path / "risks.csv"
    csv.write_text("title,likelihood,impact\nSomething else,2,3\n", "utf-8")
    assert cli("import", register, csv).code == 0
    before = _lists(cli, register)
    result = cli("import", register, out)
    assert result.code == 1
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert "demo.json" in result.err and "already holds" in result.err
    assert _lists(cli, register) == before


def test_a_dry_run_writes_nothing(cli, exported, new_register):
    _, out, data = exported
    before = _lists(cli, new_register)
    result = cli("import", new_register, out, "--dry-run")
    assert result.code == 0, result.err
    # Every row of every table is reported, not the four record kinds alone.
    assert f"Would import: {sum(map(len, data['tables'].values()))} new," in result.out
    assert _lists(cli, new_register) == before
    assert cli("list", new_register, "risks", "--json").out.strip() == "[]"


def _table_item(data, table, n):
    return data["tables"][table][n - 1]


CORRUPTIONS = [
    ("meetings", 2, "date", "2017-13-45", "meetings item 2, column 'date'"),
    ("risks", 5, "likelihood", 9, "risks item 5, column 'likelihood'"),
    ("agenda_items", 3, "meeting_uuid", "no-such-meeting", "agenda_items item 3, column 'meeting_uuid'"),
    ("documents", 1, "content", "not base64 at all!", "documents item 1, column 'content'"),
    ("agenda_items", 4, "part", "secret", "agenda_items item 4, column 'part'"),
    ("audit", 7, "at", "yesterday", "audit item 7, column 'at'"),
    ("decisions", 2, "nonsense", "x", "decisions item 2, column 'nonsense'"),
    ("milestones", 3, "forecast_to", "2001-01-01", "milestones item 3, column 'forecast"),
]


@pytest.mark.parametrize(("table", "n", "column", "value", "where"), CORRUPTIONS)
def test_a_broken_item_anywhere_refuses_the_whole_file_naming_it(cli, exported, new_register,
                                                                 table, n, column, value, where):
    _, out, data = exported
    broken = copy.deepcopy(data)
    item = _table_item(broken, table, n)
    if column == "forecast_to":  # a board date ending before it starts
        item["forecast"] = item["forecast"] or "June 2018"
        item["forecast_from"] = item["forecast_from"] or "2018-06-01"
    item[column] = value
    out.write_text(json.dumps(broken), "utf-8")
    before = _lists(cli, new_register)
    result = cli("import", new_register, out)
    assert result.code == 1
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert f"demo.json, {where}" in result.err
    assert _lists(cli, new_register) == before


def test_a_duplicated_ref_or_an_item_that_is_not_an_object_is_named(cli, exported, new_register):
    _, out, data = exported
    broken = copy.deepcopy(data)
    broken["tables"]["risks"][1]["ref"] = broken["tables"]["risks"][0]["ref"]
    broken["tables"]["feedback"][4] = "just words"
    out.write_text(json.dumps(broken), "utf-8")
    result = cli("import", new_register, out, "--dry-run")
    assert result.code == 1
    assert "demo.json, risks item 2, column 'ref'" in result.out
    assert "demo.json, feedback item 5: " in result.out
    assert cli("list", new_register, "risks", "--json").out.strip() == "[]"


def test_a_deeply_nested_json_file_is_refused_in_one_line(cli, register, tmp_path):
    nested = tmp_path / "nested.json"
    nested.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    before = register.read_bytes()
    result = cli("import", register, nested)
    assert result.code == 1
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert "nested.json" in result.err and "nested" in result.err.lower()
    assert cli("list", register, "risks", "--json").out.strip() == "[]"
    assert len(register.read_bytes()) == len(before)


def test_a_huge_json_file_is_refused_before_it_is_read(cli, register, tmp_path):
    from ooh_desk.services.transfer import MAX_JSON_BYTES

    huge = tmp_path / "huge.json"
    with huge.open("wb") as f:  # sparse: no disc space is used
        f.truncate(MAX_JSON_BYTES + 1)
    assert os.path.getsize(huge) > MAX_JSON_BYTES
    result = cli("import", register, huge)
    assert result.code == 1
    assert result.err.count("\n") == 1
    assert "huge.json" in result.err and "too large" in result.err


def test_a_version_1_export_still_imports(cli, new_register, tmp_path):
    """Files written before the whole-register format: records alone, updated by ref."""
    old = tmp_path / "old.json"
    old.write_text(json.dumps({
        "format": "ooh-desk-register", "format_version": 1,
        "programme": {"name": "Old programme", "sponsor": "", "reviewing_bodies": [],
                      "protective_marking": "OFFICIAL", "as_at": None, "bands": [],
                      "rag_tolerance_days": 0, "amber_window_days": 14},
        "workstreams": [], "events": [],
        "risks": [{"ref": "R-007", "title": "Old risk", "current": {"likelihood": 3, "impact": 4},
                   "mitigations": [{"description": "Watch it"}]}],
        "milestones": [], "feedback": [], "actions": [],
    }), "utf-8")
    result = cli("import", new_register, old)
    assert result.code == 0, result.err
    risks = json.loads(cli("list", new_register, "risks", "--json").out)
    assert [(r["ref"], r["current"]["score"], r["mitigations"][0]["description"])
            for r in risks] == [("R-007", 12, "Watch it")]
    assert "0 new, 0 updated, 1 unchanged" in cli("import", new_register, old).out
