"""A laptop syncing with the team's PostgreSQL register, against a floor measured in the same
run (issue 15).

The team register holds 20,000 records (2,000 risks with two mitigations each and 18,000
feedback items), published once. A laptop joined to it changes 1,000 records (half risks,
half feedback) and makes 200 new ones, then runs `ooh-desk sync` as a process: it pulls
nothing new, pushes 1,200 records' rows, their mitigations and ~1,500 change rows in one
server transaction. Each run starts from a fresh copy of the team database (CREATE DATABASE
... TEMPLATE, not timed) and a fresh copy of the laptop's file.

Floor: one Python process that reads the same 1,200 records from the laptop's file with plain
`sqlite3` and writes them into the same tables of a fresh copy of the team database with
psycopg `executemany` (upsert of the record rows, insert of the mitigations and the change
rows), in one transaction. Goal: ratio <= 3 (above 6 is a failure).

Also timed: a second laptop, joined before those changes, pulling them (`sync` with 1,200
records and their changes to take in), against the same floor.

    .venv/bin/python bench/sync_bench.py [--risks 2000] [--feedback 18000] [--repeat 3]

The server: OOH_DESK_TEST_PG (a superuser's libpq URL), or a throwaway cluster started here
with tests/pg_cluster.py (PostgreSQL's initdb and pg_ctl must be installed).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from measure import ROOT, measured  # compiles our bytecode first, as an install has it
from merge_bench import build, work

from ooh_desk.services import team

sys.path.insert(0, str(ROOT / "tests"))
import pg_cluster  # noqa: E402  (tests/ holds the throwaway cluster helper)

SCHEMA = "bench"

FLOOR = """
import json, sqlite3, sys
import psycopg

laptop, url, since = sys.argv[1], sys.argv[2], int(sys.argv[3])
local = sqlite3.connect(f"file:{laptop}?mode=ro", uri=True)
local.row_factory = sqlite3.Row
changes = local.execute("select change_id, at, user, operation, kind, uuid, ref, field, old, "
                        "new from audit where id > ? order by id", [since]).fetchall()
touched = {}
for c in changes:
    touched.setdefault(c["kind"], set()).add(c["uuid"])
with psycopg.connect(url) as conn, conn.cursor() as cur:
    for table in ("risks", "feedback"):
        uuids = sorted(touched.get(table, ()))
        rows = [dict(r) for n in range(0, len(uuids), 500) for r in local.execute(
            f"select * from {table} where uuid in ({', '.join('?' * len(uuids[n:n + 500]))})",
            uuids[n:n + 500])]
        if not rows:
            continue
        names = list(rows[0])
        cols = ", ".join(f'"{c}"' for c in names)
        sets = ", ".join(f'"{c}" = excluded."{c}"' for c in names if c != "uuid")
        cur.executemany(f"insert into bench.{table} ({cols}) values "
                        f"({', '.join(['%s'] * len(names))}) on conflict (uuid) do update "
                        f"set {sets}", [[r[c] for c in names] for r in rows])
        if table == "risks":
            cur.execute("delete from bench.mitigations where risk_uuid = any(%s)", [uuids])
            found = [dict(r) for n in range(0, len(uuids), 500) for r in local.execute(
                "select * from mitigations where risk_uuid in "
                f"({', '.join('?' * len(uuids[n:n + 500]))})", uuids[n:n + 500])]
            if found:
                names = list(found[0])
                cur.executemany(f"insert into bench.mitigations ({', '.join(names)}) values "
                                f"({', '.join(['%s'] * len(names))})",
                                [[r[c] for c in names] for r in found])
    first = cur.execute("select coalesce(max(seq), 0) from bench.changes").fetchone()[0]
    cur.executemany('insert into bench.changes (seq, change_id, at, "user", operation, kind, '
                    'uuid, ref, field, old, new) values (%s, %s, %s, %s, %s, %s, %s, %s, %s, '
                    '%s, %s)', [[first + n + 1, *c] for n, c in enumerate(changes)])
"""


def database_url(server: str, name: str) -> str:
    """The superuser's URL with another database name (the path of a libpq URL)."""
    head, _, tail = server.partition("?")
    base = head.rsplit("/", 1)[0]
    return f"{base}/{name}" + (f"?{tail}" if tail else "")


def admin(server: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)


def point_at(laptop: Path, url: str) -> None:
    """Send a laptop's team note to another database (each run has its own copy)."""
    conn = sqlite3.connect(laptop)
    held = json.loads(conn.execute("select value from meta where key = 'team'").fetchone()[0])
    held["url"] = url
    conn.execute("update meta set value = ? where key = 'team'", [json.dumps(held)])
    conn.commit()
    conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--risks", type=int, default=2000)
    parser.add_argument("--feedback", type=int, default=18_000)
    parser.add_argument("--changed", type=int, default=1000)
    parser.add_argument("--made", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    exe = Path(sys.executable).parent / "ooh-desk"
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        server = os.environ.get("OOH_DESK_TEST_PG")
        if not server:
            # Its own folder under /tmp: the `postgres` user cannot enter our private one.
            cluster = Path(tempfile.mkdtemp(prefix="ooh-desk-bench-pg-"))
            stack.callback(shutil.rmtree, cluster, ignore_errors=True)
            server = pg_cluster.start(cluster)
            stack.callback(pg_cluster.stop, cluster)
        admin(server, "drop database if exists bench_team", "create database bench_team")
        team_url = database_url(server, "bench_team")
        base, laptop, reader = tmp / "base.oohdesk", tmp / "laptop.oohdesk", tmp / "b.oohdesk"
        build(base, args.risks, args.feedback)
        team.publish(base, team_url, schema=SCHEMA)
        team.join(team_url, laptop, schema=SCHEMA)
        team.join(team_url, reader, schema=SCHEMA)
        since = sqlite3.connect(laptop).execute("select max(id) from audit").fetchone()[0]
        work(laptop, "a", args.changed, args.made)
        floor_script = tmp / "floor.py"
        floor_script.write_text(FLOOR)
        pushes, pulls, floors = [], [], []
        for n in range(args.repeat):
            names = (f"bench_push_{n}", f"bench_floor_{n}", f"bench_pull_{n}")
            admin(server, *(f"drop database if exists {d}" for d in names),
                  *(f"create database {d} template bench_team" for d in names))
            stack.callback(admin, server, *(f"drop database if exists {d}" for d in names))
            push_url, floor_url, pull_url = (database_url(server, d) for d in names)
            target = tmp / "target.oohdesk"
            shutil.copy(laptop, target)
            point_at(target, push_url)
            pushes.append(measured([str(exe), "sync", str(target)]))
            floors.append(measured([sys.executable, str(floor_script), str(laptop), floor_url,
                                    str(since)]))
            # The pull: a copy of the team with the laptop's changes in it, into a laptop
            # joined before them.
            shutil.copy(laptop, target)
            point_at(target, pull_url)
            team.sync(target)
            puller = tmp / "puller.oohdesk"
            shutil.copy(reader, puller)
            point_at(puller, pull_url)
            shown = tmp / "shown.oohdesk"
            shutil.copy(puller, shown)
            pulls.append(measured([str(exe), "sync", str(puller)]))
        said = team.sync(shown)  # what the timed pull said, for the reader
    floor = min(r.seconds for r in floors)
    print("\n".join(line for line in said.lines() if not line.startswith("    ")))
    verdicts = []
    for what, runs in (("push", pushes), ("pull", pulls)):
        best = min(r.seconds for r in runs)
        ratio = best / floor
        verdicts.append(ratio)
        verdict = "ok" if ratio <= 3 else ("slow" if ratio <= 6 else "FAIL")
        print(f"sync {what}: {args.changed} changed and {args.made} new records, team of "
              f"{args.risks + args.feedback} records: {best:.2f} s (peak "
              f"{max(r.peak_mb for r in runs)} MB); floor (psycopg executemany of the same "
              f"rows) {floor:.2f} s; ratio {ratio:.1f} ({verdict}; goal <= 3, fail > 6)")
    return 0 if max(verdicts) <= 6 else 1


if __name__ == "__main__":
    sys.exit(main())
