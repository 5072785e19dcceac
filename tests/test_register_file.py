"""The register file itself: a copy of the .oohdesk alone is always complete, long text is
never shortened silently (the Excel log's cell limit), a lowered schema version is refused
without a backup, and a refused, dry-run or impossible import leaves the file's bytes as they
were — with each message naming what is wrong: an empty file, a read-only folder."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat

import pytest
from conftest import write_csv
from openpyxl import load_workbook

from ooh_desk.domain.records import Mitigation, Risk
from ooh_desk.domain.scoring import Rating
from ooh_desk.services.records import delete_record, save_record
from ooh_desk.store import Register, RegisterError, records

MARKER = "(continued — full text in the register)"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
ROOT_REASON = "runs as root, which ignores permission bits: the monkeypatched test covers it"


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def beside(path):
    """The files SQLite keeps beside a register while it works."""
    return [p.name for p in path.parent.iterdir()
            if p.name.startswith(path.name) and p.name != path.name]


def long_text(length, word="word"):
    """Distinct words, so a cut can be told from the whole: 'word0 word1 …' to `length`."""
    parts, total, n = [], 0, 0
    while total < length:
        parts.append(f"{word}{n} ")
        total += len(parts[-1])
        n += 1
    return "".join(parts)[:length]


GOOD_CSV = "ref,title,likelihood,impact\nR-001,Workforce gaps,3,4\n"
BAD_CSV = "ref,title,likelihood,impact\nR-001,Workforce gaps,9,4\n"


# --- 5. a copy of the .oohdesk alone holds every saved edit ------------------------------------


def test_copying_the_register_file_alone_while_it_is_open_keeps_the_saved_edit(register,
                                                                                tmp_path):
    elsewhere = tmp_path / "emailed"
    elsewhere.mkdir()
    with Register.open(register) as reg:  # the app keeps its connection open
        save_record(reg, "risks", Risk(ref="R-001", title="Saved in the app",
                                       current=Rating(3, 4)))
        shutil.copyfile(register, elsewhere / "copy.oohdesk")  # the .oohdesk bytes only
        assert beside(elsewhere / "copy.oohdesk") == []
        with Register.open(elsewhere / "copy.oohdesk", readonly=True) as copy:
            assert records.get_record(copy, "risks", "R-001").title == "Saved in the app"
        delete_record(reg, "risks", "R-001")
        save_record(reg, "risks", Risk(ref="R-002", title="Second edit", current=Rating(2, 2)))
        shutil.copyfile(register, elsewhere / "copy2.oohdesk")
        with Register.open(elsewhere / "copy2.oohdesk", readonly=True) as copy:
            assert [r.ref for r in records.all_records(copy, "risks")] == ["R-002"]


def test_save_a_copy_is_one_complete_file(register, tmp_path):
    with Register.open(register) as reg:
        save_record(reg, "risks", Risk(ref="R-001", title="Saved", current=Rating(3, 4)))
        (tmp_path / "copy").mkdir()
        target = reg.save_copy(tmp_path / "copy" / "saved.oohdesk")
    assert beside(target) == []
    with Register.open(target, readonly=True) as copy:
        assert records.get_record(copy, "risks", "R-001").title == "Saved"


# --- 4. text over Excel's cell limit -------------------------------------------------------


@pytest.fixture
def long_register(register):
    """R-001 with a 40,000-character description and a 35,000-character action; R-002 short."""
    with Register.open(register) as reg:
        save_record(reg, "risks", Risk(
            ref="R-001", title="Workforce gaps", description=long_text(40000),
            current=Rating(3, 4),
            mitigations=[Mitigation(long_text(35000, "step"), owner="Head of HR"),
                         Mitigation("Recruit locums")]))
        save_record(reg, "risks", Risk(ref="R-002", title="Estates", current=Rating(2, 2)))
    return register


def risk(register, ref="R-001"):
    with Register.open(register, readonly=True) as reg:
        return records.get_record(reg, "risks", ref)


def test_long_text_is_cut_visibly_in_the_log_and_the_command_says_so(cli, long_register,
                                                                     tmp_path):
    result = cli("export", long_register, "risk-log", "-o", tmp_path / "log.xlsx")
    assert result.code == 0, result.err
    assert ("R-001 description: 40,000 characters, cut to Excel's 32,767 in the log; "
            "the full text stays in the register") in result.err
    assert "R-001 mitigating action 1: 35,000 characters" in result.err
    assert "R-002" not in result.err
    wb = load_workbook(tmp_path / "log.xlsx")
    log = {row[0].value: row for row in wb["Risk log"].iter_rows(min_row=2)}
    description = log["R-001"][2].value
    assert len(description) == 32767 and description.endswith(MARKER)
    assert long_text(40000).startswith(description[:-len(MARKER)].rstrip())
    actions = [row for row in wb["Mitigating actions"].iter_rows(min_row=2, values_only=True)]
    assert actions[0][2].endswith(MARKER) and len(actions[0][2]) == 32767
    assert actions[1][2] == "Recruit locums"
    assert len(risk(long_register).description) == 40000  # the register keeps it whole


def test_importing_the_cut_log_back_keeps_the_full_text(cli, long_register, tmp_path):
    assert cli("export", long_register, "risk-log", "-o", tmp_path / "log.xlsx").code == 0
    before = risk(long_register)
    result = cli("import", long_register, tmp_path / "log.xlsx")
    assert result.code == 0, result.err
    after = risk(long_register)
    assert after.description == before.description and len(after.description) == 40000
    assert [m.description for m in after.mitigations] == \
        [m.description for m in before.mitigations]
    assert after.mitigations[0].owner == "Head of HR"
    assert MARKER not in result.out + result.err
    # Read with its log sheet alone, the cut 'Mitigating actions' cell keeps the actions too.
    result = cli("import", long_register, tmp_path / "log.xlsx", "--sheet", "Risk log")
    assert result.code == 0, result.err
    again = risk(long_register)
    assert again.description == before.description
    assert [m.description for m in again.mitigations] == \
        [m.description for m in before.mitigations]


def test_a_cut_log_imported_into_a_new_register_drops_the_marker_and_says_so(
        cli, long_register, tmp_path):
    assert cli("export", long_register, "risk-log", "-o", tmp_path / "log.xlsx").code == 0
    fresh = tmp_path / "fresh.oohdesk"
    assert cli("init", fresh).code == 0
    result = cli("import", fresh, tmp_path / "log.xlsx", "--json")
    assert result.code == 0, result.err
    notes = json.loads(result.out)["notes"]
    assert any(n.startswith("R-001 description: ") and "Excel's cell limit" in n
               for n in notes), notes
    got = risk(fresh)
    assert MARKER not in got.description
    assert long_text(40000).startswith(got.description) and len(got.description) > 32000
    assert MARKER not in got.mitigations[0].description
    printed = cli("import", fresh, tmp_path / "log.xlsx", "--dry-run")
    assert "R-001 description: " not in printed.out + printed.err  # fuller text there now
    other = tmp_path / "other.oohdesk"
    assert cli("init", other).code == 0
    printed = cli("import", other, tmp_path / "log.xlsx")
    assert "R-001 description: " in printed.out + printed.err


def test_long_text_is_whole_through_csv_and_json(cli, long_register, tmp_path):
    text = long_text(40000)
    csv = write_csv(tmp_path / "long.csv", f'ref,title,description,likelihood,impact\n'
                                           f'R-009,Long one,"{text}",2,3\n')
    assert cli("import", long_register, csv).code == 0
    assert risk(long_register, "R-009").description == text
    assert cli("export", long_register, "json", "-o", tmp_path / "all.json").code == 0
    fresh = tmp_path / "fresh.oohdesk"
    assert cli("init", fresh).code == 0
    assert cli("import", fresh, tmp_path / "all.json").code == 0
    assert risk(fresh, "R-009").description == text
    assert risk(fresh).mitigations[0].description == long_text(35000, "step")


# --- 9. a schema version lowered by hand -------------------------------------------------------


def test_a_lowered_schema_version_is_refused_in_one_line_without_a_backup(cli, register,
                                                                           tmp_path_factory):
    from ooh_desk.store.schema import SCHEMA_VERSION

    csv = write_csv(tmp_path_factory.mktemp("csv") / "risks.csv", GOOD_CSV)

    conn = sqlite3.connect(register)
    conn.execute("PRAGMA user_version = 2")
    conn.close()
    before = sha256(register)
    for _ in range(2):
        for args in (("list", register, "risks"), ("import", register, csv)):
            result = cli(*args)
            assert result.code == 1
            assert len(result.err.strip().splitlines()) == 1, result.err
            assert (f"says it is register version 2 but holds tables of version "
                    f"{SCHEMA_VERSION}; it may have been edited by another tool") in result.err
            assert "Traceback" not in result.err
    assert sorted(p.name for p in register.parent.iterdir()) == [register.name]
    assert sha256(register) == before


# --- 10. empty files, read-only files and folders, and bytes left as they were ----------------


def test_an_empty_file_is_called_empty_and_not_grown(cli, tmp_path):
    empty = tmp_path / "Empty.oohdesk"
    empty.touch()
    csv = write_csv(tmp_path / "risks.csv", GOOD_CSV)
    for args in (("import", empty, csv), ("import", empty, csv, "--dry-run"),
                 ("list", empty, "risks")):
        result = cli(*args)
        assert result.code == 1
        assert "Empty.oohdesk is empty (0 bytes); it is not a register" in result.err
        assert "another program" not in result.err
    assert empty.stat().st_size == 0 and beside(empty) == []


def test_a_refused_or_dry_run_import_leaves_the_register_bytes_identical(cli, register,
                                                                          tmp_path):
    assert cli("import", register, write_csv(tmp_path / "a.csv", GOOD_CSV)).code == 0
    before = sha256(register)
    bad = write_csv(tmp_path / "bad.csv", BAD_CSV)
    assert cli("import", register, bad).code == 1
    assert sha256(register) == before
    good = write_csv(tmp_path / "good.csv", GOOD_CSV.replace("3,4", "2,2"))
    result = cli("import", register, good, "--dry-run")
    assert result.code == 0 and "Would import: 0 new, 1 updated" in result.out
    assert sha256(register) == before
    assert cli("list", register, "risks").code == 0
    assert sha256(register) == before and beside(register) == []


def test_dry_run_works_on_a_read_only_register(cli, register, tmp_path):
    assert cli("import", register, write_csv(tmp_path / "a.csv", GOOD_CSV)).code == 0
    good = write_csv(tmp_path / "good.csv", GOOD_CSV + "R-002,Estates,2,2\n")
    os.chmod(register, stat.S_IRUSR | stat.S_IRGRP)
    try:
        before = sha256(register)
        result = cli("import", register, good, "--dry-run")
        assert result.code == 0, result.err
        assert "Would import: 1 new, 0 updated, 1 unchanged" in result.out
        assert sha256(register) == before
        result = cli("import", register, good)
        assert result.code == 1 and "read-only" in result.err
        assert sha256(register) == before
    finally:
        os.chmod(register, stat.S_IRUSR | stat.S_IWUSR)


@pytest.fixture
def read_only_folder(register):
    folder = register.parent
    os.chmod(folder, stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)
    yield folder
    os.chmod(folder, stat.S_IRWXU)


def test_a_read_only_folder_is_named_as_the_folder_not_the_file(cli, register, tmp_path_factory,
                                                                read_only_folder):
    csv = write_csv(tmp_path_factory.mktemp("csv") / "risks.csv", GOOD_CSV)
    before = sha256(register)
    result = cli("import", register, csv)
    assert result.code == 1
    assert f"folder {read_only_folder} is read-only" in result.err
    assert f"{register} is read-only" not in result.err
    assert "Traceback" not in result.err
    result = cli("import", register, csv, "--dry-run")  # reading needs no journal
    assert result.code == 0, result.err
    assert cli("list", register, "risks").code == 0
    assert sha256(register) == before
    new = cli("init", read_only_folder / "new.oohdesk")
    assert new.code == 1 and f"folder {read_only_folder} is read-only" in new.err


@pytest.mark.skipif(AS_ROOT, reason=ROOT_REASON)
def test_a_folder_made_read_only_while_the_register_is_open(register):
    """Real permissions: SQLite cannot make its journal; the message names the folder."""
    folder = register.parent
    with Register.open(register) as reg:
        os.chmod(folder, stat.S_IRUSR | stat.S_IXUSR)
        try:
            with pytest.raises(RegisterError, match=f"the folder {folder} is read-only"):
                save_record(reg, "risks", Risk(ref="R-001", title="x", current=Rating(1, 1)))
        finally:
            os.chmod(folder, stat.S_IRWXU)


def test_sqlite_refusing_the_folder_is_explained_as_the_folder(register, monkeypatch):
    """The same as the test above, simulated for root (which SQLite lets write anywhere):
    SQLite says the folder is read-only while a user action writes."""
    import ooh_desk.store.register as module

    def refuse(*args, **kwargs):
        exc = sqlite3.OperationalError("attempt to write a readonly database")
        exc.sqlite_errorname = "SQLITE_READONLY_DIRECTORY"
        raise exc

    with Register.open(register) as reg:
        monkeypatch.setattr(records, "save_records", refuse)
        with pytest.raises(module.RegisterError,
                           match=f"the folder {register.parent} is read-only"):
            save_record(reg, "risks", Risk(ref="R-001", title="x", current=Rating(1, 1)))


def test_a_save_cut_short_is_undone_for_a_reader(cli, register, tmp_path):
    """A writer killed part way through saving leaves SQLite's journal beside the file; the
    next reader (`list`, an export) puts the register back as it was before that save."""
    import subprocess
    import sys

    assert cli("import", register, write_csv(tmp_path / "a.csv", GOOD_CSV)).code == 0
    killed = ("import os, sqlite3, sys\n"
              "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
              "conn.execute('PRAGMA cache_size = 1')\n"  # pages reach the file before COMMIT
              "conn.execute('BEGIN IMMEDIATE')\n"
              "conn.execute(\"update risks set title = 'Half saved'\")\n"
              "conn.execute(\"update audit set user = 'nobody'\")\n"
              "os._exit(9)\n")
    subprocess.run([sys.executable, "-c", killed, str(register)], check=False)
    assert register.with_name(register.name + "-journal").exists()
    result = cli("list", register, "risks")
    assert result.code == 0, result.err
    assert "Workforce gaps" in result.out and "Half saved" not in result.out
    assert beside(register) == []
