"""A risk's treatment (issue 13, item 9): the four Ts and the words other registers use for
them, kept by the register (migration 6, old registers upgraded with a backup), imported
from a spreadsheet, carried whole by the JSON export and the Excel risk log, shown by `list`,
and edited in the app's risk form as one undoable change."""

from __future__ import annotations

import json
import sqlite3

import pytest
import sqlite_utils
from conftest import REALWORLD, write_csv
from openpyxl import load_workbook

from ooh_desk.domain.records import FieldReader, Risk, build_risk, rebuild_record
from ooh_desk.domain.scoring import Rating
from ooh_desk.domain.treatment import ACCEPTED, TREATMENTS, parse_treatment, read_as
from ooh_desk.store import Register, history, records
from ooh_desk.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

# --- the words --------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "kept"), [
    ("Treat", "treat"), ("REDUCE", "treat"), ("Mitigate", "treat"), ("mitigation.", "treat"),
    ("Tolerate", "tolerate"), ("Accept", "tolerate"), ("retain", "tolerate"),
    ("Contingency", "tolerate"), ("Fall-back", "tolerate"),
    ("Transfer", "transfer"), ("Share", "transfer"), ("Insure", "transfer"),
    ("Terminate", "terminate"), ("Avoid", "terminate"),
    ("", ""), (None, ""), ("  ", ""), ("n/a", ""), ("-", ""),
])
def test_the_four_ts_and_the_words_other_registers_use_for_them(typed, kept):
    assert parse_treatment(typed) == kept


def test_an_unknown_word_is_refused_naming_the_words_accepted():
    with pytest.raises(ValueError) as caught:
        parse_treatment("Hope for the best")
    message = str(caught.value)
    assert message.startswith("'Hope for the best' is not a risk treatment: use Treat, "
                              "Tolerate, Transfer or Terminate")
    for word in ("Reduce", "Mitigate", "Accept", "Share", "Avoid", "Contingency"):
        assert word in message
    reader = FieldReader({"title": "Estates", "likelihood": 3, "impact": 3,
                          "treatment": "Ignore"}, "risks.csv row 4", {"treatment": "Response"})
    risk = build_risk(reader, "R-001")
    assert risk.treatment == ""
    assert [str(p) for p in reader.problems] == [
        f"risks.csv row 4, column 'Response': 'Ignore' is not a risk treatment: {ACCEPTED}"]


def test_a_word_read_as_another_says_so_for_the_import_report():
    assert read_as("Mitigate") == "read 'Mitigate' as Treat"
    assert read_as("Avoid") == "read 'Avoid' as Terminate"
    assert read_as("treat") is None and read_as("") is None and read_as("Maybe") is None


def test_an_edited_risk_keeps_its_treatment_through_the_builder():
    risk = Risk(ref="R-001", title="Estates", current=Rating(3, 3), treatment="transfer")
    rebuilt, problems = rebuild_record("risks", risk)
    assert problems == [] and rebuilt.treatment == "transfer"
    risk.treatment = "ignore"
    assert [p.column for p in rebuild_record("risks", risk)[1]] == ["treatment"]


# --- the register: migration 6 ------------------------------------------------------------------


def test_a_version_5_register_gains_the_treatment_column_with_a_backup(tmp_path):
    path = tmp_path / "v5.oohdesk"
    db = sqlite_utils.Database(path)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    for step in MIGRATIONS[:5]:
        step(db)
    db.execute("PRAGMA user_version = 5")
    db["risks"].insert({"uuid": "r1", "ref": "R-001", "title": "Kept from before",
                        "likelihood": 3, "impact": 4, "status": "open"})
    db.conn.commit()
    db.close()
    assert SCHEMA_VERSION >= 6
    with Register.open(path) as reg:
        backup = reg.backup_path
        assert "treatment" in reg.db["risks"].columns_dict
        old = records.get_record(reg, "risks", "R-001")
        assert (old.title, old.treatment, old.current) == ("Kept from before", "", Rating(3, 4))
        old.treatment = "tolerate"
        change = records.save_records(reg, "risks", [old])[0]
        assert change.fields == {"treatment": (None, "tolerate")}
        assert records.get_record(reg, "risks", "R-001").treatment == "tolerate"
        audit = [h for h in history.changes(reg, "risks") if h["field"] == "treatment"]
        assert [(h["old"] or "", h["new"]) for h in audit] == [("", "tolerate")]
    kept = sqlite3.connect(backup)
    assert kept.execute("PRAGMA user_version").fetchone()[0] == 5
    assert "treatment" not in [r[1] for r in kept.execute("PRAGMA table_info(risks)")]
    kept.close()


# --- importing a spreadsheet ------------------------------------------------------------------

TREATED_CSV = """ref,title,likelihood,impact,treatment,mitigations
R-001,Estates not ready,3,4,Mitigate,Weekly estates check
R-002,Provider exits the market,2,5,Transfer,
R-003,Staff leave during the transfer,3,3,,
R-004,Data migration slips,4,3,Accept,Extra test cycle
"""


def _risks(cli, register):
    result = cli("list", register, "risks", "--json")
    assert result.code == 0, result.err
    return {r["ref"]: r for r in json.loads(result.out)}


def test_a_csv_treatment_column_is_read_and_never_fills_mitigations(cli, register, tmp_path):
    source = write_csv(tmp_path / "risks.csv", TREATED_CSV)
    result = cli("import", register, source)
    assert result.code == 0, result.err
    risks = _risks(cli, register)
    assert {ref: r["treatment"] for ref, r in risks.items()} == {
        "R-001": "treat", "R-002": "transfer", "R-003": "", "R-004": "tolerate"}
    assert [m["description"] for m in risks["R-001"]["mitigations"]] == ["Weekly estates check"]
    assert risks["R-002"]["mitigations"] == []


def test_an_unknown_treatment_refuses_the_import_naming_row_and_column(cli, register, tmp_path):
    source = write_csv(tmp_path / "risks.csv", TREATED_CSV.replace("Transfer", "Pray"))
    result = cli("import", register, source)
    assert result.code == 1
    assert "row 3" in result.err and "'Pray' is not a risk treatment: use Treat" in result.err
    assert "Traceback" not in result.err
    assert _risks(cli, register) == {}


def test_a_response_column_in_their_words_is_the_treatment(cli, register, tmp_path):
    source = write_csv(tmp_path / "theirs.csv",
                       "Risk ID,Risk,Likelihood,Impact,Response,Mitigating actions\n"
                       "R-001,Estates not ready,3,4,Reduce,Weekly estates check\n"
                       "R-002,Provider exits the market,2,5,Insure,\n")
    result = cli("import", register, source)
    assert result.code == 0, result.err
    risks = _risks(cli, register)
    assert {ref: r["treatment"] for ref, r in risks.items()} == {"R-001": "treat",
                                                                "R-002": "transfer"}
    assert [m["description"] for m in risks["R-001"]["mitigations"]] == ["Weekly estates check"]


def test_a_real_register_keeps_its_response_strategy_apart_from_its_mitigations(cli, register):
    source = REALWORLD / "risk-log-residual_refusetoloose.xlsx"
    if not source.exists():
        pytest.skip(f"{source} is not here (the shared real-world registers)")
    result = cli("import", register, source)
    assert result.code == 0, result.err
    risks = _risks(cli, register)
    # Its "Response Strategy" column: Mitigate, Transfer, Mitigate, Avoid, Transfer, Avoid,
    # then Mitigate three times; "Response Description" holds the actions in sentences.
    assert [risks[ref]["treatment"] for ref in sorted(risks)] == [
        "treat", "transfer", "treat", "terminate", "transfer", "terminate",
        "treat", "treat", "treat"]
    for risk in risks.values():
        actions = [m["description"] for m in risk["mitigations"]]
        assert actions and not {a.lower() for a in actions} & {"mitigate", "transfer", "avoid"}


# --- the JSON export ----------------------------------------------------------------------------


def _treat_demo(reg):
    treated = []
    for risk, treatment in zip(records.all_records(reg, "risks"), (*TREATMENTS, ""),
                               strict=False):
        risk.treatment = treatment
        treated.append(risk)
    records.save_records(reg, "risks", treated)
    return {r.ref: r.treatment for r in treated}


def test_the_json_export_carries_treatment_into_a_new_register(cli, demo_copy, tmp_path):
    with Register.open(demo_copy) as reg:
        wanted = _treat_demo(reg)
    out = tmp_path / "demo.json"
    assert cli("export", demo_copy, "json", "-o", out).code == 0
    data = json.loads(out.read_text("utf-8"))
    assert data["format_version"] == 2 and data["schema_version"] == SCHEMA_VERSION
    copy = tmp_path / "copy.oohdesk"
    assert cli("init", copy).code == 0
    result = cli("import", copy, out)
    assert result.code == 0, result.err
    got = {ref: r["treatment"] for ref, r in _risks(cli, copy).items()}
    assert {ref: got[ref] for ref in wanted} == wanted
    assert set(got.values()) == {"", *TREATMENTS}


def test_an_export_from_before_treatment_still_imports(cli, demo_copy, tmp_path):
    out = tmp_path / "demo.json"
    assert cli("export", demo_copy, "json", "-o", out).code == 0
    data = json.loads(out.read_text("utf-8"))
    data["schema_version"] = 5
    for row in data["tables"]["risks"]:
        del row["treatment"]
    out.write_text(json.dumps(data), "utf-8")
    copy = tmp_path / "copy.oohdesk"
    assert cli("init", copy).code == 0
    result = cli("import", copy, out)
    assert result.code == 0, result.err
    assert {r["treatment"] for r in _risks(cli, copy).values()} == {""}


def test_a_stored_treatment_outside_the_four_ts_is_refused_naming_the_item(cli, demo_copy,
                                                                           tmp_path):
    out = tmp_path / "demo.json"
    assert cli("export", demo_copy, "json", "-o", out).code == 0
    data = json.loads(out.read_text("utf-8"))
    data["tables"]["risks"][1]["treatment"] = "Mitigate"  # the register keeps its own words
    out.write_text(json.dumps(data), "utf-8")
    copy = tmp_path / "copy.oohdesk"
    assert cli("init", copy).code == 0
    result = cli("import", copy, out)
    assert result.code == 1
    assert "risks item 2, column 'treatment': 'Mitigate' is not one of: (blank), treat, " \
           "tolerate, transfer, terminate" in result.err
    assert _risks(cli, copy) == {}


def test_a_version_1_export_with_treatment_words_imports(cli, register, tmp_path):
    old = tmp_path / "old.json"
    old.write_text(json.dumps({
        "format": "ooh-desk-register", "format_version": 1,
        "risks": [{"ref": "R-007", "title": "Old risk", "current": {"likelihood": 3, "impact": 4},
                   "treatment": "Avoid"},
                  {"ref": "R-008", "title": "Older risk", "current": {"likelihood": 2, "impact": 2}}],
    }), "utf-8")
    result = cli("import", register, old)
    assert result.code == 0, result.err
    assert {ref: r["treatment"] for ref, r in _risks(cli, register).items()} == \
        {"R-007": "terminate", "R-008": ""}


# --- the Excel risk log -------------------------------------------------------------------------


def test_the_risk_log_shows_treatment_and_imports_it_back(cli, demo_copy, tmp_path):
    with Register.open(demo_copy) as reg:
        wanted = _treat_demo(reg)
    log = tmp_path / "log.xlsx"
    assert cli("export", demo_copy, "risk-log", "-o", log).code == 0
    wb = load_workbook(log)
    ws = wb["Risk log"]
    headings = [" ".join(str(c.value).split()) for c in ws[1]]
    column = headings.index("Treatment")
    assert headings[column - 1] == "Workstream" and headings[column + 1] == "Controls"
    shown = {row[0]: row[column] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert {ref: shown[ref] for ref in wanted} == \
        {ref: t.capitalize() or None for ref, t in wanted.items()}
    key = {row[0]: row[1] for row in wb["Key"].iter_rows(values_only=True) if row and row[0]}
    assert key["Treatment: Tolerate"].startswith("Live with the risk as it is")
    assert "Contingency or Fallback" in key["Treatment: Tolerate"]
    copy = tmp_path / "copy.oohdesk"
    assert cli("init", copy).code == 0
    result = cli("import", copy, log)
    assert result.code == 0, result.err
    risks = _risks(cli, copy)
    assert {ref: risks[ref]["treatment"] for ref in wanted} == wanted
    with Register.open(demo_copy, readonly=True) as reg:
        before = {r.ref: [m.description for m in r.mitigations]
                  for r in records.all_records(reg, "risks")}
    assert {ref: [m["description"] for m in r["mitigations"]] for ref, r in risks.items()} == before
    again = cli("import", demo_copy, log)
    assert again.code == 0 and "0 new, 0 updated" in again.out, again.out + again.err


# --- list ------------------------------------------------------------------------------------


def test_list_shows_each_risks_treatment(cli, demo_copy):
    with Register.open(demo_copy) as reg:
        wanted = _treat_demo(reg)
    lines = {line.split()[0]: line for line in cli("list", demo_copy, "risks").out.splitlines()[1:]}
    first = next(ref for ref, t in wanted.items() if t == "terminate")
    blank = next(ref for ref, t in wanted.items() if t == "")
    assert " Terminate " in lines[first]
    assert "Terminate" not in lines[blank] and " - " in lines[blank]


# --- the app's risk form ------------------------------------------------------------------------


@pytest.mark.gui
def test_the_risk_form_sets_treatment_by_keyboard_as_one_undoable_edit(qtbot, edits, reg):
    import gui_support
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    from ooh_desk.gui.views.risks import RisksView

    view = gui_support.shown(qtbot, RisksView(edits))
    view.select_ref("R-002")
    combo = view.form.widgets["treatment"]
    assert combo.accessibleName() == "Treatment"
    assert [combo.itemText(i) for i in range(combo.count())] == \
        ["(not stated)", "Treat", "Tolerate", "Transfer", "Terminate"]
    assert combo.itemData(4, Qt.ItemDataRole.ToolTipRole).startswith("Stop or change")
    assert combo.currentData() == "treat" and combo.isEnabled()  # as the demo's CSV says
    # Reached by Tab, and by Alt+N from its label (a mnemonic no other field of the form uses).
    assert combo.focusPolicy() & Qt.FocusPolicy.TabFocus
    labels = {label.text(): label.buddy() for label in view.form.findChildren(QLabel)
              if label.buddy() is not None}
    assert labels["Treatme&nt:"] is combo
    assert sum("&n" in text.lower() for text in labels) == 1
    combo.setFocus()
    for _ in range(2):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert records.get_record(reg, "risks", "R-002").treatment == "transfer"
    assert edits.stack.undoText() == "Edit the treatment of R-002"
    audit = [h for h in history.changes(reg, "risks") if h["field"] == "treatment"]
    assert [(h["ref"], h["old"], h["new"]) for h in audit[-2:]] == \
        [("R-002", "treat", "tolerate"), ("R-002", "tolerate", "transfer")]
    edits.stack.undo()
    edits.stack.undo()
    assert records.get_record(reg, "risks", "R-002").treatment == "treat"
    assert view.form.widgets["treatment"].currentText() == "Treat"
    edits.stack.redo()
    assert records.get_record(reg, "risks", "R-002").treatment == "tolerate"
    assert view.form.widgets["treatment"].currentText() == "Tolerate"
    qtbot.keyClick(combo, Qt.Key.Key_Home)  # back to "(not stated)"
    assert records.get_record(reg, "risks", "R-002").treatment == ""
