"""A programme office on one team register (issue 15): laptops publish, join and sync with a
real PostgreSQL server, edit apart and converge, clashes kept as conflicts and settled, a push
cut off half way leaves the server as it was, and a server that cannot be reached or is
newer is one plain line."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from conftest import edit, new_risk

from ooh_desk.errors import UserFacing
from ooh_desk.services import team
from ooh_desk.store import Register, records
from ooh_desk.store import team as server_store


def value(path: Path, kind: str, ref: str, name: str):
    with Register.open(path, readonly=True) as reg:
        record = records.get_record(reg, kind, ref)
        return None if record is None else getattr(record, name)


def snapshot(path: Path) -> dict[str, list[str]]:
    """Every record, child and history table a laptop holds, and its change ids."""
    with Register.open(path, readonly=True) as reg:
        out = {}
        for table in server_store.RECORD_TABLES:
            columns = [c for c in server_store.columns_of(table) if c != "id"]
            out[table] = sorted(json.dumps(dict(zip(columns, row, strict=True)), default=str)
                                for row in reg.conn.execute(
                                    f"select {', '.join(f'[{c}]' for c in columns)} "
                                    f"from [{table}]"))
        out["changes"] = sorted(r[0] for r in reg.conn.execute("select change_id from audit"))
        return out


def server_snapshot(db, schema: str) -> dict[str, list[str]]:
    with db.admin() as conn:
        out = {}
        for table in server_store.RECORD_TABLES:
            columns = [c for c in server_store.columns_of(table) if c != "id"]
            rows = conn.execute(f"select {', '.join(f'{chr(34)}{c}{chr(34)}' for c in columns)} "
                                f"from {schema}.{table}").fetchall()
            out[table] = sorted(json.dumps(dict(zip(columns, _plain(row), strict=True)),
                                           default=str) for row in rows)
        out["changes"] = sorted(r[0] for r in conn.execute(
            f"select change_id from {schema}.changes"))
        return out


def _plain(row):
    return [bytes(v) if isinstance(v, memoryview) else v for v in row]


@pytest.fixture
def published(pg_db, demo_copy, cli):
    """The demo published to a fresh database as the team register `ooh`."""
    result = cli("team", "publish", demo_copy, "--server", pg_db.url, "--schema", "ooh")
    assert result.code == 0, result.err
    assert "Published demo.oohdesk as the team register ooh" in result.out
    return demo_copy


def joined(cli, pg_db, tmp_path: Path, name: str) -> Path:
    local = tmp_path / f"{name}.oohdesk"
    result = cli("team", "join", pg_db.url, local, "--schema", "ooh")
    assert result.code == 0, result.err
    return local


def sync(cli, path: Path) -> dict:
    result = cli("sync", path, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


# --- the "done when" --------------------------------------------------------------------------


def test_three_laptops_edit_apart_sync_twice_and_end_identical_with_one_conflict_settled(
        published, pg_db, tmp_path, cli):
    ann, ben, cat = (joined(cli, pg_db, tmp_path, n) for n in ("ann", "ben", "cat"))
    assert snapshot(ann) == snapshot(ben) == snapshot(cat)
    assert snapshot(ann)["changes"] == server_snapshot(pg_db, "ooh")["changes"]
    # Offline, in parallel: ann and ben change the same field; the rest touch other things.
    edit(ann, "risks", "R-003", "ann", owner="Programme Director")
    edit(ben, "risks", "R-003", "ben", owner="Chief Finance Officer")
    edit(ben, "risks", "R-003", "ben", description="Providers may lose income early.")
    assert new_risk(ann, "Estates not ready for the hub", "ann") == "R-021"
    assert new_risk(cat, "Digital records not shared across providers", "cat") == "R-021"
    edit(cat, "milestones", "M-002", "cat", title="Options appraisal signed off by both boards")
    with Register.open(ben, user="ben") as reg:
        records.delete_record(reg, "actions", "A-002")

    first = [sync(cli, p) for p in (ann, ben, cat)]
    # ann: owner, new risk; ben: owner, description, delete; cat: new risk, milestone, and
    # cat's own R-021 renumbered (the team's R-021, ann's, stands) travels as a change too.
    assert [s["pushed"] for s in first] == [2, 3, 3]
    assert first[2]["renumbered"] == [
        "our R-021 is now R-022 (Digital records not shared across providers): the team "
        "register had given R-021 to another record"]
    assert first[1]["conflicts"] == ["C-001"]  # ben met ann's owner
    second = [sync(cli, p) for p in (ann, ben, cat)]
    assert all(not s["conflicts"] for s in second)
    assert snapshot(ann) == snapshot(ben) == snapshot(cat) == server_snapshot(pg_db, "ooh")

    # Everything typed on any laptop is there; ben's value held the clash for now.
    for laptop in (ann, ben, cat):
        assert value(laptop, "risks", "R-003", "owner") == "Chief Finance Officer"
        assert value(laptop, "risks", "R-003", "description") == "Providers may lose income early."
        assert value(laptop, "milestones", "M-002", "title") == \
            "Options appraisal signed off by both boards"
        assert value(laptop, "actions", "A-002", "ref") is None
        with Register.open(laptop, readonly=True) as reg:
            titles = {r.title for r in records.all_records(reg, "risks")}
        assert {"Estates not ready for the hub",
                "Digital records not shared across providers"} <= titles
        assert value(laptop, "risks", "R-021", "title") == "Estates not ready for the hub"
        assert value(laptop, "risks", "R-022", "title") == \
            "Digital records not shared across providers"
    listed = json.loads(cli("list", ben, "conflicts", "--json").out)
    assert [(c["ref"], c["field"], c["ours"], c["theirs"]) for c in listed] == \
        [("C-001", "owner", "Chief Finance Officer", "Programme Director")]

    # Settled on ben's laptop by taking ann's value: a change the next sync pushes.
    assert cli("resolve", ben, "C-001", "--take", "theirs").code == 0
    with Register.open(ben, readonly=True) as reg:
        assert team.status(reg).local_changes == 2  # the owner put back, the conflict settled
    assert sync(cli, ben)["pushed"] == 2
    for laptop in (ann, cat):
        sync(cli, laptop)
    assert snapshot(ann) == snapshot(ben) == snapshot(cat) == server_snapshot(pg_db, "ooh")
    assert value(cat, "risks", "R-003", "owner") == "Programme Director"
    with Register.open(ann, readonly=True) as reg:
        assert team.status(reg).line().endswith("· 0 local changes")


def test_five_laptops_syncing_random_edits_converge_with_nothing_lost(published, pg_db,
                                                                      tmp_path, cli):
    laptops = [joined(cli, pg_db, tmp_path, f"laptop{n}") for n in range(5)]
    rng = random.Random(15)
    made: set[str] = set()
    written: dict[tuple[str, str], set[str]] = {}
    for round_ in range(4):
        for n, laptop in enumerate(laptops):
            user = f"user{n}"
            with Register.open(laptop, readonly=True) as reg:
                risks = [r.ref for r in records.all_records(reg, "risks")]
                milestones = [m.ref for m in records.all_records(reg, "milestones")]
            for k in range(rng.randint(1, 4)):
                roll = rng.random()
                text = f"{user} round {round_} edit {k}"
                if roll < 0.4:
                    ref = rng.choice(risks)
                    edit(laptop, "risks", ref, user, title=text)
                    written.setdefault(("risks", ref), set()).add(text)
                elif roll < 0.7:
                    ref = rng.choice(milestones)
                    edit(laptop, "milestones", ref, user, notes=text)
                    written.setdefault(("milestones", ref), set()).add(text)
                else:
                    new_risk(laptop, f"new risk: {text}", user)
                    made.add(f"new risk: {text}")
            if rng.random() < 0.7:  # some laptops stay offline for a round
                sync(cli, laptop)
    for _ in range(2):
        for laptop in laptops:
            sync(cli, laptop)
    server = server_snapshot(pg_db, "ooh")
    shots = [snapshot(p) for p in laptops]
    for shot in shots:
        for table in shot:
            a, b = set(shot[table]), set(server[table])
            assert a == b, (table, sorted(a - b)[:2], sorted(b - a)[:2])
    # Nothing lost: every change any laptop made is on the server and on every laptop, and
    # every new risk is there (renumbered where two took one ref).
    with Register.open(laptops[0], readonly=True) as reg:
        risks = reg.conn.execute("select count(*) from risks").fetchone()[0]
        changes = reg.conn.execute("select count(*) from audit").fetchone()[0]
    assert risks == 20 + len(made)  # the demo's 20; nothing is deleted here
    assert len({json.loads(r)["ref"] for r in server["risks"]}) == risks
    assert len(server["changes"]) == changes == len(set(server["changes"]))
    for laptop in laptops:
        with Register.open(laptop, readonly=True) as reg:
            for (kind, ref), texts in written.items():
                said = {r[0] for r in reg.conn.execute(
                    "select new from audit where kind = ? and field in ('title', 'notes') and "
                    "new like '%round%'", [kind])}
                assert texts <= said, (kind, ref)


# --- a push cut off half way -----------------------------------------------------------------------


def test_a_push_cut_off_half_way_leaves_the_server_as_it_was_and_the_changes_pending(
        published, pg_db, tmp_path, cli):
    ann = joined(cli, pg_db, tmp_path, "ann")
    edit(ann, "risks", "R-003", "ann", owner="Programme Director")
    new_risk(ann, "Estates not ready for the hub", "ann")
    before_server = server_snapshot(pg_db, "ooh")
    before_local = snapshot(ann)
    said: list[str] = []

    def cut_off() -> None:
        # Inside the push, once its first records are written: the server is cut off.
        if said and said[-1] == "Pushing our changes":
            said.append("cut off")
            with pg_db.admin() as conn:
                conn.execute("select pg_terminate_backend(pid) from pg_stat_activity where "
                             "datname = current_database() and pid <> pg_backend_pid()")

    with pytest.raises(UserFacing) as caught:
        team.sync(ann, check=cut_off, progress=said.append)
    assert said[-1] == "cut off"
    message = str(caught.value)
    assert "connection to the team server" in message and "\n" not in message
    assert server_snapshot(pg_db, "ooh") == before_server
    assert snapshot(ann) == before_local
    with Register.open(ann, readonly=True) as reg:
        assert team.status(reg).local_changes == 2  # the owner, the new risk
    done = sync(cli, ann)
    assert done["pushed"] == 2
    assert snapshot(ann) == server_snapshot(pg_db, "ooh")
    ben = joined(cli, pg_db, tmp_path, "ben")
    assert value(ben, "risks", "R-003", "owner") == "Programme Director"


# --- the server out of reach, newer, or already holding the register --------------------------------


def test_an_unreachable_server_is_one_line_and_the_changes_wait(published, pg_db, tmp_path,
                                                                 cli):
    ann = joined(cli, pg_db, tmp_path, "ann")
    edit(ann, "risks", "R-003", "ann", owner="Programme Director")
    with Register.open(ann) as reg, reg.transaction():
        held = team.team_settings(reg)
        held["url"] = "postgresql://ann@127.0.0.1:1/nowhere"
        reg.conn.execute("update meta set value = ? where key = 'team'", [json.dumps(held)])
    before = snapshot(ann)
    result = cli("sync", ann)
    assert result.code == 1
    assert result.err.startswith("Could not reach the team server at 127.0.0.1:1")
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
    assert snapshot(ann) == before
    result = cli("team", "join", "postgresql://ann@127.0.0.1:1/nowhere", tmp_path / "x.oohdesk")
    assert result.code == 1 and "Could not reach the team server" in result.err
    assert not (tmp_path / "x.oohdesk").exists()


def test_a_newer_team_register_is_refused_in_one_line(published, pg_db, tmp_path, cli):
    ann = joined(cli, pg_db, tmp_path, "ann")
    with pg_db.admin() as conn:
        conn.execute("update ooh.team_meta set value = '99' where key = 'version'")
    result = cli("sync", ann)
    assert result.code == 1
    assert "newer than this OOH Desk" in result.err and len(result.err.splitlines()) == 1
    result = cli("team", "join", pg_db.url, tmp_path / "ben.oohdesk", "--schema", "ooh")
    assert result.code == 1 and "newer than this OOH Desk" in result.err


def test_publishing_twice_is_refused_and_changes_nothing(published, pg_db, demo_register,
                                                        tmp_path, cli):
    other = tmp_path / "other.oohdesk"
    shutil.copy(demo_register, other)
    before = server_snapshot(pg_db, "ooh")
    result = cli("team", "publish", other, "--server", pg_db.url, "--schema", "ooh")
    assert result.code == 1
    assert "already published" in result.err and "--schema" in result.err
    assert server_snapshot(pg_db, "ooh") == before
    result = cli("team", "publish", other, "--server", pg_db.url, "--schema", "Bad Name;")
    assert result.code == 1 and "cannot name a team register's schema" in result.err
    result = cli("sync", other)
    assert result.code == 1 and "not on a team register" in result.err
