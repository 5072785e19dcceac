"""CSV import through the real command line: mapping, dry runs, refusals, all-or-nothing."""

import json
import signal
import subprocess
import sys
import time

from conftest import run_cli_process, write_csv

from ooh_desk.store import Register, programme, records

RISKS = (
    "ref,title,owner,likelihood,impact,mitigations,status\n"
    'R-001,TUPE is complex,Head of HR,4,4,"- Workforce group\n- Mobilisation fund",open\n'
    "R-002,Staff disengage,Comms lead,3 - Possible,Major,,open\n"
)


def refs(path, kind="risks"):
    with Register.open(path, readonly=True) as reg:
        return [r.ref for r in records.all_records(reg, kind)]


def snapshot(path):
    """Every row of every table: what 'the register is unchanged' means."""
    import sqlite3

    conn = sqlite3.connect(path)
    tables = [t for (t,) in conn.execute("select name from sqlite_master where type='table'")]
    out = {t: conn.execute(f"select * from [{t}]").fetchall() for t in tables}
    conn.close()
    return out


def test_import_then_reimport_updates_by_ref_and_duplicates_nothing(cli, register, tmp_path):
    source = write_csv(tmp_path / "risks.csv", RISKS)
    first = cli("import", register, source)
    assert first.code == 0, first.err
    assert "Imported: 2 new" in first.out
    again = cli("import", register, source)
    assert "0 new, 0 updated, 2 unchanged" in again.out
    assert refs(register) == ["R-001", "R-002"]
    changed = write_csv(tmp_path / "risks.csv", RISKS.replace("3 - Possible", "2 - Unlikely"))
    result = cli("import", register, changed, "--dry-run")
    assert "updated   row 3: R-002 (likelihood)" in result.out
    assert "Would import: 0 new, 1 updated, 1 unchanged" in result.out


def test_bad_row_refuses_the_whole_file_and_names_row_and_column(cli, register, tmp_path):
    source = write_csv(tmp_path / "risks.csv", RISKS + "R-003,Cost overrun,CFO,7,3,,open\n")
    result = cli("import", register, source)
    assert result.code == 1
    assert result.err.count("\n") == 1
    assert "risks.csv row 4, column 'likelihood'" in result.err
    assert "'7' is not a likelihood" in result.err
    assert "Nothing was imported" in result.err
    assert refs(register) == []


def test_dry_run_json_reports_mapping_and_outcomes_and_writes_nothing(cli, register, tmp_path):
    source = write_csv(tmp_path / "log.csv",
                       "Risk ID,Risk Description,Owner,Likelihood,Severity,Mitigating Actions\n"
                       "X1,Data sharing agreement not signed,IG lead,2,5,1. Chase\n")
    result = cli("import", register, source, "--dry-run", "--json")
    data = json.loads(result.out)
    assert data["kind"] == "risks" and data["kind_guessed"] is True and data["written"] is False
    assert {"column": "Severity", "field": "impact"} in data["mapping"]
    assert data["rows"][0] == {"row": 2, "ref": "X1", "outcome": "new", "changed": [],
                               "problems": []}
    assert refs(register) == []


def test_map_overrides_a_heading(cli, register, tmp_path):
    source = write_csv(tmp_path / "log.csv", "Ref,Title,Chance,Impact\nR-9,Estates,2,2\n")
    assert cli("import", register, source, "--kind", "risks").code == 1
    result = cli("import", register, source, "--kind", "risks", "--map", "Chance=likelihood")
    assert result.code == 0, result.err
    assert "Chance -> likelihood" in result.out


def test_windows_csv_with_bom_crlf_cp1252_and_blank_trailing_rows(cli, register, tmp_path):
    text = ("\ufeffRisk ID,Risk Description,Owner,Likelihood,Impact\r\n"
            "R-1,Provider\u2019s finances \u2013 £2m gap,CFO,4,5\r\n,,,,\r\n,,,,\r\n")
    source = write_csv(tmp_path / "bom.csv", text, "utf-8")
    assert cli("import", register, source).code == 0
    source2 = write_csv(tmp_path / "win.csv", text.replace("\ufeff", "").replace("R-1", "R-2"),
                        "cp1252")
    assert cli("import", register, source2).code == 0
    with Register.open(register, readonly=True) as reg:
        assert records.get_record(reg, "risks", "R-2").title == "Provider\u2019s finances \u2013 £2m gap"


def test_no_recognisable_columns_names_the_headings(cli, register, tmp_path):
    source = write_csv(tmp_path / "shopping.csv", "Fruit,Colour,Price\napple,red,1\n")
    result = cli("import", register, source)
    assert result.code == 1
    assert "no recognisable columns" in result.err and "'Fruit'" in result.err


def test_feedback_creates_events_and_reimport_does_not_duplicate(cli, register, tmp_path):
    source = write_csv(tmp_path / "fb.csv",
                       "event,route,date,stakeholder_group,comment,themes,action_taken,status\n"
                       "Staff day,staff,03/10/2017,Nurses,More joint visits,teams; visits,,open\n")
    assert cli("import", register, source).code == 0
    assert cli("import", register, source).code == 0
    with Register.open(register, readonly=True) as reg:
        assert [f.ref for f in records.all_records(reg, "feedback")] == ["F-001"]
        assert records.all_records(reg, "feedback")[0].themes == ["teams", "visits"]
        assert [e.name for e in programme.events(reg)] == ["Staff day"]


def _big_csv(path, rows, bad_row=None):
    lines = ["ref,title,owner,likelihood,impact,mitigations,status"]
    for n in range(1, rows + 1):
        likelihood = 9 if n == bad_row else (n % 5) + 1
        lines.append(f"R-{n:05d},Risk number {n},Owner {n % 7},{likelihood},{(n % 4) + 1},"
                     f'"- first step\n- second step",open')
    return write_csv(path, "\n".join(lines) + "\n")


def test_bad_row_4999_of_5000_leaves_the_register_exactly_as_it_was(cli, register, tmp_path):
    assert cli("import", register, write_csv(tmp_path / "a.csv", RISKS)).code == 0
    before = snapshot(register)
    result = cli("import", register, _big_csv(tmp_path / "big.csv", 5000, bad_row=4999))
    assert result.code == 1
    assert "big.csv row 5000, column 'likelihood'" in result.err  # header is row 1
    assert snapshot(register) == before


def test_killed_import_leaves_the_register_in_its_old_state(register, tmp_path):
    assert run_cli_process("import", register, write_csv(tmp_path / "a.csv", RISKS)).code == 0
    big = _big_csv(tmp_path / "big.csv", 20000)
    proc = subprocess.Popen([sys.executable, "-m", "ooh_desk.cli", "import", str(register),
                             str(big)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Kill it once it is writing, i.e. mid-transaction: its rollback journal is beside the file.
    deadline = time.time() + 60
    journal = register.with_name(register.name + "-journal")
    while time.time() < deadline and not journal.exists():
        time.sleep(0.01)
    assert proc.poll() is None, "the import finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert refs(register) == ["R-001", "R-002"]
    with Register.open(register) as reg:  # and it still takes writes
        assert records.total_records(reg, "risks") == 2


def test_columns_the_file_lacks_leave_the_register_as_it_was(cli, register, tmp_path):
    """A partial spreadsheet updates what it holds and blanks nothing else."""
    from ooh_desk.domain.board_dates import parse_board_date
    from ooh_desk.domain.records import Mitigation

    assert cli("import", register, write_csv(tmp_path / "a.csv", RISKS)).code == 0
    with Register.open(register) as reg:
        risk = records.get_record(reg, "risks", "R-001")
        risk.raised = parse_board_date("12/09/2017")
        risk.mitigations = [Mitigation("Workforce group", "Head of HR",
                                       parse_board_date("30/11/2017"), "in progress"),
                            Mitigation("Mobilisation fund")]
        records.save_records(reg, "risks", [risk])
    partial = write_csv(tmp_path / "scores.csv",
                        'ref,likelihood,impact,mitigations\nR-001,2,4,"- Workforce group\n'
                        '- Mobilisation fund"\n')
    result = cli("import", register, partial, "--kind", "risks")
    assert result.code == 0, result.err
    with Register.open(register, readonly=True) as reg:
        risk = records.get_record(reg, "risks", "R-001")
    assert (risk.current.likelihood, risk.current.impact) == (2, 4)
    assert risk.title == "TUPE is complex" and risk.owner == "Head of HR"
    assert risk.raised.text == "12 September 2017"
    assert risk.mitigations[0].owner == "Head of HR"
    assert risk.mitigations[0].status == "in progress"
