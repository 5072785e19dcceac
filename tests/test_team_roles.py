"""Who sees what on a team register (issue 15): PostgreSQL roles, not our own accounts.
A read-only member cannot write and never receives exempt business; an officer does; a
wrong password is one plain line that never shows the password. Real LOGIN roles, over TCP
with scram-sha-256, so the server really checks."""

from __future__ import annotations

import dataclasses
import json

import psycopg
import pytest

from ooh_desk.services import team
from ooh_desk.store import Register, records

PRIVATE_TITLE = "Out of Hospital contract: commercial terms of the direct award"


@pytest.fixture
def roles(pg_db, demo_copy, cli):
    """The demo published as `ooh`, and three login roles: a board observer who reads, a
    project officer who edits, and the committee officer."""
    assert cli("team", "publish", demo_copy, "--server", pg_db.url, "--schema", "ooh").code == 0
    urls = {}
    for user, level in (("observer", "read"), ("editor", "edit"), ("clerk", "officer")):
        urls[user] = pg_db.login_role(f"{pg_db.name}_{user}", f"secret-{user}-pw")
        result = cli("team", "grant", pg_db.url, f"{pg_db.name}_{user}", f"--{level}",
                     "--schema", "ooh")
        assert result.code == 0, result.err
        assert f"a member of ooh_{level}" in result.out
    return urls


def join_as(user, url, path, monkeypatch):
    monkeypatch.setenv("PGPASSWORD", f"secret-{user}-pw")
    return team.join(url, path, schema="ooh")


def test_a_board_observers_join_holds_no_exempt_business_and_an_officers_does(
        roles, tmp_path, monkeypatch):
    observer, clerk = tmp_path / "observer.oohdesk", tmp_path / "clerk.oohdesk"
    join_as("observer", roles["observer"], observer, monkeypatch)
    join_as("clerk", roles["clerk"], clerk, monkeypatch)
    # The private item's title, its minute and its document are nowhere in the file's bytes.
    assert PRIVATE_TITLE.encode() not in observer.read_bytes()
    assert b"ooh_commercial_terms" not in observer.read_bytes()
    assert PRIVATE_TITLE.encode() in clerk.read_bytes()
    with Register.open(observer, readonly=True) as reg:
        assert reg.conn.execute("select count(*) from agenda_items where part = 'private'"
                                ).fetchone()[0] == 0
        private_changes = reg.conn.execute(
            "select count(*) from audit where new like ? or old like ? or ref like ?",
            [f"%{PRIVATE_TITLE[:30]}%"] * 3).fetchone()[0]
        assert private_changes == 0
        public = reg.conn.execute("select count(*) from agenda_items").fetchone()[0]
    with Register.open(clerk, readonly=True) as reg:
        assert reg.conn.execute("select count(*) from agenda_items where part = 'private'"
                                ).fetchone()[0] == 1
        assert reg.conn.execute("select count(*) from agenda_items").fetchone()[0] == public + 1


def test_a_read_only_role_cannot_write_and_its_sync_keeps_its_changes_here(
        roles, pg_db, tmp_path, monkeypatch, cli):
    observer = tmp_path / "observer.oohdesk"
    join_as("observer", roles["observer"], observer, monkeypatch)
    with psycopg.connect(roles["observer"], password="secret-observer-pw") as conn, \
            pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("update ooh.risks set title = 'vandalised'")
    with Register.open(observer, user="observer") as reg:
        risk = records.get_record(reg, "risks", "R-003")
        records.save_records(reg, "risks", [dataclasses.replace(risk, owner="An observer")])
    result = cli("sync", observer)
    assert result.code == 0, result.err
    assert "1 local change was kept here: your role on the team register can only read" \
        in result.out
    with pg_db.admin() as conn:
        assert conn.execute("select owner from ooh.risks where ref = 'R-003'").fetchone()[0] \
            != "An observer"
    with Register.open(observer, readonly=True) as reg:
        assert team.status(reg).local_changes == 1


def test_an_editor_pushes_but_never_receives_exempt_business(roles, pg_db, tmp_path,
                                                             monkeypatch, cli):
    editor, clerk = tmp_path / "editor.oohdesk", tmp_path / "clerk.oohdesk"
    join_as("clerk", roles["clerk"], clerk, monkeypatch)
    join_as("editor", roles["editor"], editor, monkeypatch)
    monkeypatch.setenv("PGPASSWORD", "secret-editor-pw")
    with Register.open(editor, user="editor") as reg:
        risk = records.get_record(reg, "risks", "R-003")
        records.save_records(reg, "risks", [dataclasses.replace(risk, owner="The editor")])
    assert json.loads(cli("sync", editor, "--json").out)["pushed"] == 1
    monkeypatch.setenv("PGPASSWORD", "secret-clerk-pw")
    # The clerk edits the private item's minute; the editor's next sync brings none of it.
    with Register.open(clerk, user="clerk") as reg:
        reg.conn.execute("begin immediate")
        uuid = reg.conn.execute("select uuid from agenda_items where part = 'private'"
                                ).fetchone()[0]
        reg.conn.execute("update agenda_items set minute = 'Terms agreed in private' "
                         "where uuid = ?", [uuid])
        reg._audit("edit", "agenda_items", uuid, "10", "minute", "", "Terms agreed in private")
        reg.conn.execute("commit")
    clerk_sync = json.loads(cli("sync", clerk, "--json").out)
    assert clerk_sync["pulled"] == 1 and clerk_sync["pushed"] == 1
    monkeypatch.setenv("PGPASSWORD", "secret-editor-pw")
    assert json.loads(cli("sync", editor, "--json").out)["pulled"] == 0
    assert b"Terms agreed in private" not in editor.read_bytes()
    with Register.open(clerk, readonly=True) as reg:
        assert records.get_record(reg, "risks", "R-003").owner == "The editor"


def test_a_wrong_password_is_one_plain_line_without_the_password(roles, tmp_path,
                                                                 monkeypatch, cli):
    monkeypatch.setenv("PGPASSWORD", "not-the-Right-one-42")
    result = cli("team", "join", roles["observer"], tmp_path / "x.oohdesk", "--schema", "ooh")
    assert result.code == 1
    assert result.err.startswith("The team server refused the login for user ")
    assert len(result.err.strip().splitlines()) == 1
    assert "not-the-Right-one-42" not in result.err + result.out
    assert "Traceback" not in result.err
    assert not (tmp_path / "x.oohdesk").exists()
    # A password written into the URL is used, never kept or shown.
    monkeypatch.delenv("PGPASSWORD")
    url = roles["observer"].replace("@", ":secret-observer-pw@", 1)
    result = cli("team", "join", url, tmp_path / "y.oohdesk", "--schema", "ooh")
    assert result.code == 0, result.err
    assert "secret-observer-pw" not in result.out
    assert b"secret-observer-pw" not in (tmp_path / "y.oohdesk").read_bytes()
    bad = roles["observer"].replace("@", ":Wrong-Pw-77@", 1)
    result = cli("team", "join", bad, tmp_path / "z.oohdesk", "--schema", "ooh")
    assert result.code == 1 and "Wrong-Pw-77" not in result.err
