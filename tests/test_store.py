"""The register file: recognition, migrations, transactions, audit, and bad files."""

import os
import sqlite3
import stat

import pytest
import sqlite_utils

from ooh_desk.domain.board_dates import parse_board_date
from ooh_desk.domain.records import Mitigation, Risk
from ooh_desk.domain.scoring import Rating
from ooh_desk.store import (
    NotARegister,
    Register,
    RegisterError,
    RegisterInUse,
    RegisterTooNew,
    history,
    records,
)
from ooh_desk.store.schema import APPLICATION_ID, SCHEMA_VERSION


def risk(ref="R-001", likelihood=4, impact=4, **kw):
    return Risk(ref=ref, title=kw.pop("title", "TUPE transfer is complex"),
                current=Rating(likelihood, impact), inherent=Rating(5, 4),
                mitigations=kw.pop("mitigations", [Mitigation("Workforce group set up")]),
                raised=parse_board_date("12/09/2017"), **kw)


def test_new_register_is_marked_as_ours_and_current(register):
    conn = sqlite3.connect(register)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
    assert not register.with_name(register.name + "-wal").exists()  # one file to copy


def test_records_round_trip_with_mitigations_and_board_dates(register):
    with Register.open(register) as reg:
        records.save_records(reg, "risks", [risk(mitigations=[Mitigation("one"),
                                                              Mitigation("two", "HR lead")])])
        got = records.get_record(reg, "risks", "R-001")
    assert got.current == Rating(4, 4)
    assert [m.description for m in got.mitigations] == ["one", "two"]
    assert got.mitigations[1].owner == "HR lead"
    assert got.raised.text == "12 September 2017"


def test_audit_history_records_who_what_old_and_new(register):
    with Register.open(register, user="alice") as reg:
        records.save_records(reg, "risks", [risk()])
        records.save_records(reg, "risks", [risk(likelihood=2)])
        audit = history.changes(reg, "risks")
        scores = history.score_history(reg, records.get_record(reg, "risks", "R-001").uuid)
    assert audit[0]["new"] == "created" and audit[0]["user"] == "alice"
    change = [h for h in audit if h["field"] == "likelihood"]
    assert (change[0]["old"], change[0]["new"]) == ("4", "2")
    assert [s["score"] for s in scores] == [16, 8]


def test_saving_the_same_record_twice_changes_nothing(register):
    with Register.open(register) as reg:
        records.save_records(reg, "risks", [risk()])
        before = len(history.changes(reg))
        changes = records.save_records(reg, "risks", [risk()])
        assert [c.outcome for c in changes] == ["unchanged"]
        assert len(history.changes(reg)) == before


def test_a_failed_action_leaves_the_register_as_it_was(register):
    with Register.open(register) as reg:
        records.save_records(reg, "risks", [risk()])
        with pytest.raises(RuntimeError), reg.transaction():
            records.save_records(reg, "risks", [risk("R-002"), risk("R-003")])
            raise RuntimeError("power cut")
        assert [r.ref for r in records.all_records(reg, "risks")] == ["R-001"]


def _make_v0_register(path):
    """A register as an imagined version 0 wrote it: ours, but before migration 1."""
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 0")
    conn.execute("create table placeholder (x)")
    conn.commit()
    conn.close()


def test_older_register_is_upgraded_after_a_backup(tmp_path):
    path = tmp_path / "old.oohdesk"
    _make_v0_register(path)
    with Register.open(path) as reg:
        backup = reg.backup_path
        records.save_records(reg, "risks", [risk()])
    assert backup is not None and backup.exists()
    old = sqlite_utils.Database(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 0
    assert "placeholder" in old.table_names()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_newer_register_is_refused(register):
    conn = sqlite3.connect(register)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(RegisterTooNew, match="newer version of OOH Desk"):
        Register.open(register)


@pytest.mark.parametrize(("content", "error", "words"), [
    (os.urandom(8192), NotARegister, "not an OOH Desk register"),
    (b"ref,title\nR-1,x\n", NotARegister, "not an OOH Desk register"),
])
def test_bad_files_give_a_clear_error(tmp_path, content, error, words):
    path = tmp_path / "bad.oohdesk"
    path.write_bytes(content)
    with pytest.raises(error, match=words):
        Register.open(path)


def test_other_programs_sqlite_database_is_not_ours(tmp_path):
    path = tmp_path / "other.db"
    sqlite_utils.Database(path)["places"].insert({"name": "Coventry"})
    with pytest.raises(NotARegister, match="made by another program"):
        Register.open(path)


def test_missing_file_and_read_only_file(tmp_path, register):
    with pytest.raises(RegisterError, match="there is no register"):
        Register.open(tmp_path / "nowhere.oohdesk")
    os.chmod(register, stat.S_IRUSR)
    try:
        with pytest.raises(RegisterError, match="read-only"):
            Register.open(register)
        with Register.open(register, readonly=True) as reg:
            assert records.all_records(reg, "risks") == []
    finally:
        os.chmod(register, stat.S_IRUSR | stat.S_IWUSR)


def test_second_writer_is_told_the_register_is_in_use(register, monkeypatch):
    import ooh_desk.store.register as module

    monkeypatch.setattr(module, "LOCK_WAIT_SECONDS", 0.2)
    holder = sqlite3.connect(register, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(RegisterInUse, match="in use by another program"), \
                Register.open(register) as reg:
            records.save_records(reg, "risks", [risk()])
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_refs_are_generated_after_the_highest(register):
    with Register.open(register) as reg:
        records.save_records(reg, "risks", [risk("R-007")])
        assert records.next_ref(reg, "risks") == "R-008"
        assert records.next_ref(reg, "risks", taken={"R-008"}) == "R-009"
        assert records.next_ref(reg, "actions") == "A-001"


def test_version_1_register_with_data_upgrades_keeping_it(tmp_path):
    """A register written before papers existed (schema 1) gains the new tables and loses
    nothing; the backup beside it is the untouched version 1 file."""
    from ooh_desk.store import schema

    path = tmp_path / "v1.oohdesk"
    db = sqlite_utils.Database(path)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    schema.MIGRATIONS[0](db)
    db.execute("PRAGMA user_version = 1")
    db["risks"].insert({"uuid": "u1", "ref": "R-001", "title": "Kept", "likelihood": 2,
                        "impact": 3, "status": "open"})
    db.conn.commit()
    db.close()
    with Register.open(path) as reg:
        assert records.get_record(reg, "risks", "R-001").title == "Kept"
        assert "papers" in reg.db.table_names()
        backup = reg.backup_path
    assert "papers" not in sqlite_utils.Database(backup).table_names()
    assert sqlite_utils.Database(backup)["risks"].count == 1
