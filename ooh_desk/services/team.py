"""A programme office on one team register (docs/team-server.md): publish a register to the
team's PostgreSQL database, join it from another laptop, grant a role read, edit or officer
rights, and sync — pull the team's changes, merge them with the same engine as `merge`,
push ours — in one local and one server transaction. Both front ends call these; `status`
is cheap enough for a status bar (plain SQL, no psycopg). Imports no Qt."""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..domain.merge import LIST_FIELDS, REF_TABLES, TABLE_ORDER, Change, record_title
from ..domain.prose import counted
from ..domain.records import free_refs
from ..errors import UserError, partial_path
from ..store import Register
from ..store import changes as store
from ..store import team as server_store
from ..store.schema import SCHEMA_VERSION
from ..store.team import LEVELS, TeamError
from .merge import MergeSummary, _merge

__all__ = ["LEVELS", "SyncSummary", "TeamError", "TeamStatus", "TeamSummary", "grant", "join",
           "publish", "status", "sync", "team_settings"]

Progress = Callable[[str], None] | None
_AUDIT = ("at", "user", "operation", "kind", "uuid", "ref", "field", "old", "new", "change_id")


# --- what the verbs report ----------------------------------------------------------------------


@dataclass
class TeamSummary:
    """What publish or join did."""

    action: str  # published, joined
    register: Path
    url: str
    schema: str
    records: int = 0
    changes: int = 0

    def lines(self) -> list[str]:
        where = f"{self.schema} on {server_store.where(self.url)}"
        if self.action == "published":
            return [f"Published {self.register.name} as the team register {where}: "
                    f"{counted(self.records, 'record')} and {counted(self.changes, 'change')} "
                    "uploaded.",
                    f"Others join it with: ooh-desk team join {self.url} LOCAL.oohdesk "
                    f"--schema {self.schema}"]
        return [f"Joined the team register {where} as {self.register}: "
                f"{counted(self.records, 'record')} and {counted(self.changes, 'change')} "
                "downloaded.", f"Sync it with: ooh-desk sync {self.register}"]

    def to_json(self) -> dict[str, Any]:
        return {"action": self.action, "register": str(self.register), "url": self.url,
                "schema": self.schema, "records": self.records, "changes": self.changes}


@dataclass
class SyncSummary(MergeSummary):
    """What a sync did: the team's changes pulled and merged (per kind, as `merge` says it),
    ours pushed, and any conflicts to settle."""

    url: str = ""
    schema: str = ""
    pulled: int = 0  # the team's changes brought in
    pushed: int = 0  # ours sent to the team register
    kept: int = 0  # ours kept here, for a role that can only read
    read_only: bool = False
    kinds_pushed: dict[str, int] = field(default_factory=dict)
    refs_given_up: list[str] = field(default_factory=list)  # ours renumbered: the team's stand

    def to_json(self) -> dict[str, Any]:
        return {"register": str(self.register), "url": self.url, "schema": self.schema,
                "pulled": self.pulled, "pushed": self.pushed, "kept": self.kept,
                "read_only": self.read_only, "renumbered": list(self.refs_given_up),
                "kinds": {k: s.to_json() for k, s in sorted(self.kinds.items())},
                "conflicts": list(self.conflicts)}

    def lines(self) -> list[str]:
        name = self.register.name
        head = (f"Synced {name} with the team register {self.schema} on "
                f"{server_store.where(self.url)}: {counted(self.pulled, 'change')} pulled, "
                f"{counted(self.pushed, 'change')} pushed.")
        out = [head]
        out += [f"  {line}" for line in self.refs_given_up]
        for kind, s in sorted(self.kinds.items()):
            parts = s.parts()
            if parts:
                out.append(f"  {kind.replace('_', ' ')}: {', '.join(parts)}")
            out += [f"    {line}" for line in s.renumbered]
        if self.read_only and self.kept:
            out.append(f"{counted(self.kept, 'local change')} "
                       f"{'was' if self.kept == 1 else 'were'} kept here: your role on the "
                       "team register can only read")
        if self.conflicts:
            shown = ", ".join(self.conflicts[:5]) + (", ..." if len(self.conflicts) > 5 else "")
            out.append(f"{counted(len(self.conflicts), 'conflict')} to settle ({shown}): "
                       f"ooh-desk list {name} conflicts; settling one is a change the next "
                       "sync pushes")
        return out


@dataclass
class TeamStatus:
    """A register's link to its team register, for the status bar."""

    url: str
    schema: str
    last_synced: datetime | None
    local_changes: int

    def line(self, now: datetime | None = None) -> str:
        now = now or datetime.now(UTC)
        pending = counted(self.local_changes, "local change")
        if self.last_synced is None:
            return f"not yet synced · {pending}"
        seconds = max(0, int((now - self.last_synced).total_seconds()))
        if seconds < 60:
            when = "just now"
        elif seconds < 3600:
            when = f"{counted(seconds // 60, 'minute')} ago"
        elif seconds < 86400:
            when = f"{counted(seconds // 3600, 'hour')} ago"
        else:
            when = f"{counted(seconds // 86400, 'day')} ago"
        return f"last synced {when} · {pending}"


# --- the register's own note of its team ---------------------------------------------------------


def team_settings(reg: Register) -> dict[str, Any] | None:
    """meta.team: the server (URL without password), schema, last change number seen, the
    last local change pushed, when, and as whom."""
    found = reg.conn.execute("select value from meta where key = 'team'").fetchone()
    return json.loads(found[0]) if found else None


def _save_settings(reg: Register, value: dict[str, Any]) -> None:
    reg.conn.execute("insert into meta (key, value) values ('team', ?) on conflict (key) do "
                     "update set value = excluded.value", [json.dumps(value)])


def status(reg: Register) -> TeamStatus | None:
    """The register's team link and how many of its changes are not yet on the server; None
    for a register on no team. Plain SQL: no server is asked."""
    team = team_settings(reg)
    if team is None:
        return None
    after = reg.conn.execute("select count(*) from audit where id > ?",
                             [int(team.get("pushed_upto") or 0)]).fetchone()[0]
    synced = team.get("last_synced")
    return TeamStatus(team.get("url", ""), team.get("schema", ""),
                      datetime.fromisoformat(synced) if synced else None,
                      after + len(team.get("kept") or ()))


def _settings(url: str, schema: str, last_seq: int, reg: Register, user: str,
              kept: list[str] | None = None) -> dict[str, Any]:
    top = reg.conn.execute("select coalesce(max(id), 0) from audit").fetchone()[0]
    return {"url": server_store.without_password(url), "schema": schema, "last_seq": last_seq,
            "pushed_upto": top, "kept": kept or [],
            "last_synced": datetime.now(UTC).isoformat(timespec="seconds"), "user": user}


# --- talking to the server -------------------------------------------------------------------------


class _Session:
    """One connection, every driver error turned into one line without the password."""

    def __init__(self, url: str, password: str | None) -> None:
        self.url = server_store.check_url(url)
        self.password = password
        self.conn = server_store.connect(self.url, password)

    def __enter__(self) -> _Session:
        return self

    def __exit__(self, kind: Any, exc: BaseException | None, tb: Any) -> None:
        import psycopg

        with contextlib.suppress(psycopg.Error):
            self.conn.close()
        if isinstance(exc, psycopg.Error):
            raise server_store.explain(exc, self.url, self.password) from None

    def server(self, schema: str) -> server_store.Server:
        return server_store.Server(self.conn, schema, self.url, self.password)

    def transaction(self) -> Any:
        return self.conn.transaction()


def _team_schemas(session: _Session) -> list[str]:
    return [r[0] for r in session.conn.execute(
        "select table_schema from information_schema.tables where table_name = 'team_meta' "
        "order by 1")]


def _chosen_schema(session: _Session, url: str, schema: str | None) -> str:
    """The team register named, or the only one on the server this role may see."""
    if schema:
        return server_store.valid_schema(schema)
    found = _team_schemas(session)
    if not found:
        raise TeamError(f"the server at {server_store.where(url)} holds no team register you "
                        "may see")
    if len(found) > 1:
        raise TeamError(f"the server at {server_store.where(url)} holds {len(found)} team "
                        f"registers ({', '.join(found)}); name one with --schema")
    return found[0]


def _checked(server: server_store.Server, url: str) -> dict[str, str]:
    if not server.exists():
        raise TeamError(f"there is no team register {server.schema} on the server at "
                        f"{server_store.where(url)} (or your role may not see it)")
    meta = server.meta()
    problem = server_store.version_problem(meta, url)
    if problem:
        raise TeamError(problem)
    return meta


# --- publish ----------------------------------------------------------------------------------------


def publish(register: str | os.PathLike, server_url: str, schema: str | None = None,
            password: str | None = None, progress: Progress = None) -> TeamSummary:
    """Put a register on the team database as a new schema: its tables, row-level security,
    every record and its whole history, in one server transaction."""
    say = progress or (lambda _text: None)
    url = server_store.check_url(server_url)
    register = Path(register)
    with Register.open(register) as reg:
        held = team_settings(reg)
        if held:
            raise UserError(f"{register.name} is already on the team register {held['schema']}"
                            f" at {server_store.where(held['url'])}; sync it instead")
        name = server_store.valid_schema(schema) if schema else \
            server_store.schema_slug(reg.programme.name or register.stem)
        summary = TeamSummary("published", register, server_store.without_password(url), name)
        replica = store.replica(reg)["id"]
        with _Session(url, password) as session:
            server = session.server(name)
            with session.transaction():
                if server.exists():
                    raise TeamError(f"the team register {name} is already published on "
                                    f"{server_store.where(url)}; join it, or choose another "
                                    "name with --schema")
                say("Making the team register's tables")
                server.create()
                exempt = server_store.exempt_records(reg)
                for table in server_store.RECORD_TABLES:
                    say(f"Uploading {table.replace('_', ' ')}")
                    rows = _local_rows(reg, table)
                    n = server.copy_rows(table, rows, lambda r, t=table: r.get("uuid") in
                                         exempt.get(t, ()))
                    if table in TABLE_ORDER:
                        summary.records += n
                say("Uploading the history")
                summary.changes = server.copy_changes(
                    _audit(reg), lambda r: server_store.is_exempt(exempt, r["kind"], r["uuid"]),
                    server_store.user_of(url) or reg.user, replica)
                server.set_meta({"version": str(SCHEMA_VERSION),
                                 "programme": _programme_json(reg),
                                 "created": datetime.now(UTC).isoformat(timespec="seconds"),
                                 "name": reg.programme.name})
                server.record_push(1 if summary.changes else 0, summary.changes, replica,
                                   server_store.user_of(url) or reg.user)
            with reg.transaction():
                _save_settings(reg, _settings(url, name, summary.changes, reg,
                                              server_store.user_of(url) or reg.user))
    return summary


def _local_rows(reg: Register, table: str) -> Iterator[dict[str, Any]]:
    columns = server_store.columns_of(table)
    held = reg.columns(table)
    names = [c for c in columns if c in held]
    cursor = reg.conn.execute(f"select {', '.join(f'[{c}]' for c in names)} from [{table}]")
    return (dict(zip(names, row, strict=True)) for row in cursor)


def _audit(reg: Register, where: str = "", params: tuple[Any, ...] = ()
           ) -> Iterator[dict[str, Any]]:
    cursor = reg.conn.execute(
        f"select {', '.join(f'[{c}]' for c in _AUDIT)} from audit {where} order by id", params)
    return (dict(zip(_AUDIT, row, strict=True)) for row in cursor)


def _programme_json(reg: Register) -> str:
    found = reg.conn.execute("select value from meta where key = 'programme'").fetchone()
    return found[0] if found else "{}"


# --- join ------------------------------------------------------------------------------------------


def join(server_url: str, local: str | os.PathLike, schema: str | None = None,
         password: str | None = None, progress: Progress = None) -> TeamSummary:
    """A new local register holding everything of the team register this role may see, with
    its history under the team's change ids, ready to sync."""
    say = progress or (lambda _text: None)
    url = server_store.check_url(server_url)
    local = Path(local)
    if local.exists():
        raise UserError(f"{local} already exists; join into a new file")
    if not local.parent.is_dir():
        raise UserError(f"the folder {local.parent} does not exist")
    with _Session(url, password) as session:
        name = _chosen_schema(session, url, schema)
        server = session.server(name)
        summary = TeamSummary("joined", local, server_store.without_password(url), name)
        temp = partial_path(local, "joining")
        try:
            with session.transaction():
                server.lock()
                meta = _checked(server, url)
                say("Making the local register")
                with Register.create(temp) as reg:
                    reg.conn.execute("PRAGMA foreign_keys = OFF")
                    with reg.transaction():
                        reg.conn.execute("delete from audit")  # its making is not a change
                        reg.conn.execute("update meta set value = ? where key = 'programme'",
                                         [meta.get("programme", "{}")])
                        for table in server_store.RECORD_TABLES:
                            say(f"Downloading {table.replace('_', ' ')}")
                            rows = list(server.rows(table))
                            _insert_rows(reg, table, rows)
                            if table in TABLE_ORDER:
                                summary.records += len(rows)
                        say("Downloading the history")
                        changes = server.changes_after(0)
                        _insert_rows(reg, "audit", changes)
                        summary.changes = len(changes)
                        _save_settings(reg, _settings(url, name, server.last_seq(), reg,
                                                      server_store.user_of(url) or reg.user))
                        broken = reg.conn.execute("PRAGMA foreign_key_check").fetchone()
                        if broken:
                            raise TeamError(f"the team register {name} holds a {broken[0]} row "
                                            f"pointing at a {broken[2]} that is not there; "
                                            "nothing was joined")
                    reg.conn.execute("PRAGMA foreign_keys = ON")
                    store.new_replica(reg, server_store.user_of(url) or reg.user, name)
            os.replace(temp, local)
        finally:
            temp.unlink(missing_ok=True)
    return summary


def _insert_rows(reg: Register, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    held = reg.columns(table)
    names = [c for c in rows[0] if c in held and c not in ("seq", "id")]
    reg.conn.executemany(
        f"insert into [{table}] ({', '.join(f'[{c}]' for c in names)}) values "
        f"({', '.join('?' for _ in names)})", [[r.get(c) for c in names] for r in rows])


# --- grant -----------------------------------------------------------------------------------------


def grant(server_url: str, role: str, level: str, schema: str | None = None,
          password: str | None = None) -> str:
    """Put a PostgreSQL login role in the register's read, edit or officer group (made on
    first use). Only officers see exempt business. Returns one line saying what was done."""
    if level not in LEVELS:
        raise UserError(f"grant one of {', '.join(LEVELS)}, not {level!r}")
    url = server_store.check_url(server_url)
    role = server_store.valid_role(role)
    with _Session(url, password) as session:
        name = _chosen_schema(session, url, schema)
        server = session.server(name)
        with session.transaction():
            _checked(server, url)
            group = server.grant(role, level)
    what = {"read": "read the team register (no exempt business)",
            "edit": "read and change the team register (no exempt business)",
            "officer": "read and change the team register, exempt business included"}[level]
    return f"{role} may now {what}: a member of {group} on {server_store.where(url)}."


# --- sync ------------------------------------------------------------------------------------------


def sync(register: str | os.PathLike, password: str | None = None,
         check: Callable[[], None] | None = None, progress: Progress = None) -> SyncSummary:
    """Pull the team's changes since the last sync, merge them as `merge` does (clashes kept
    as conflicts), push ours: one local transaction and one server transaction, so on any
    failure before the server commits both are as they were and our changes stay pending."""
    say = progress or (lambda _text: None)
    step = check or (lambda: None)
    register = Path(register)
    with Register.open(register) as reg:
        team = team_settings(reg)
        if team is None:
            raise UserError(f"{register.name} is not on a team register; publish it with "
                            "`ooh-desk team publish` or join one with `ooh-desk team join`")
        url, name = team["url"], team["schema"]
        summary = SyncSummary(register, Path(f"team register {name}"), False, url=url,
                              schema=name)
        say(f"Connecting to {server_store.where(url)}")
        with _Session(url, password) as session, \
                tempfile.TemporaryDirectory(prefix="ooh-desk-sync-") as work:
            server = session.server(name)
            with reg.transaction():
                with session.transaction():
                    server.lock()
                    meta = _checked(server, url)
                    step()
                    say("Pulling the team's changes")
                    pulled = server.changes_after(int(team.get("last_seq") or 0))
                    local_ids = store.change_ids(reg)
                    new = [c for c in pulled if c["change_id"] not in local_ids]
                    pulled_ids = {c["change_id"] for c in pulled}
                    summary.refs_given_up = _yield_refs(reg, team, server)
                    pending = _pending(reg, team, server, pulled_ids)
                    step()
                    theirs = _pulled_register(server, new, Path(work), meta)
                    with theirs:
                        say("Merging")
                        top = reg.conn.execute("select coalesce(max(id), 0) from audit"
                                               ).fetchone()[0]
                        their_changes = store.changes_not_in(theirs, local_ids)
                        _merge(reg, theirs, summary, write=True, check=step,
                               changes=([_change(r) for r in pending], their_changes))
                    summary.pulled = len(new)
                    summary.changes = len(new)
                    # The merge's own changes (a ref it renumbered) travel too.
                    pending += [r for r in _audit(reg, "where id > ?", (top,))
                                if r["change_id"] not in pulled_ids]
                    pending += _align_refs(reg, server, pending)
                    kept: list[str] = []
                    if not server.may_write():
                        summary.read_only = True
                        kept = [r["change_id"] for r in pending]
                        summary.kept = len(kept)
                    elif pending:
                        say("Pushing our changes")
                        summary.pushed = _push(reg, server, pending, step,
                                               server_store.user_of(url) or reg.user)
                    step()
                    last_seq = server.last_seq()
                _save_settings(reg, _settings(url, name, last_seq, reg,
                                              server_store.user_of(url) or reg.user, kept))
    return summary


def _change(r: dict[str, Any]) -> Change:
    return Change(r["change_id"], r["kind"] or "", r["uuid"] or "", r["ref"] or "",
                  r["field"] or "", r["old"], r["new"], r["at"] or "", r["user"] or "",
                  r["operation"] or "")


def _pending(reg: Register, team: dict[str, Any], server: server_store.Server,
             pulled: set[str]) -> list[dict[str, Any]]:
    """Our changes the team register lacks: those since the last push (and any a read-only
    role kept), less any the server holds already (pushed before a crash here)."""
    rows = list(_audit(reg, "where id > ?", (int(team.get("pushed_upto") or 0),)))
    kept = set(team.get("kept") or ())
    if kept:
        rows = [r for r in _audit(reg) if r["change_id"] in kept] + rows
    rows = [r for r in rows if r["change_id"] not in pulled]
    on_server = server.known_changes([r["change_id"] for r in rows])
    return [r for r in rows if r["change_id"] not in on_server]


def _pulled_register(server: server_store.Server, new: list[dict[str, Any]], work: Path,
                     meta: dict[str, str]) -> Register:
    """The team's side of the merge: a small register holding the pulled changes and the
    records they touch as the server holds them now."""
    theirs = Register.create(work / "team.oohdesk")
    theirs.conn.execute("PRAGMA foreign_keys = OFF")  # a part of the register, not all of it
    touched: dict[str, list[str]] = {}
    for c in new:
        if c["kind"] in TABLE_ORDER:
            touched.setdefault(c["kind"], []).append(c["uuid"])
    with theirs.transaction():
        theirs.conn.execute("delete from audit")
        theirs.conn.execute("update meta set value = ? where key = 'programme'",
                            [meta.get("programme", "{}")])
        children = {}
        for (kind, _field), (child, parent) in LIST_FIELDS.items():
            children.setdefault(kind, []).append((child, parent))
        for kind, uuids in touched.items():
            rows = list(server.rows(kind, "uuid", set(uuids)))
            _insert_rows(theirs, kind, rows)
            held = [r["uuid"] for r in rows]
            for child, parent in children.get(kind, []):
                _insert_rows(theirs, child, list(server.rows(child, parent, held)))
            if kind == "risks":
                _insert_rows(theirs, "risk_scores", list(server.rows("risk_scores", "risk_uuid",
                                                                     held)))
        _insert_rows(theirs, "reports_issued", list(server.rows("reports_issued")))
        _insert_rows(theirs, "audit", new)
    return theirs


def _push(reg: Register, server: server_store.Server, pending: list[dict[str, Any]],
          step: Callable[[], None], user: str) -> int:
    """Our changes and the records they touch, as we hold them now, onto the server."""
    exempt = server_store.exempt_records(reg)
    touched: dict[str, list[str]] = {}
    for c in pending:
        if c["kind"] in TABLE_ORDER and c["uuid"]:
            touched.setdefault(c["kind"], [])
            if c["uuid"] not in touched[c["kind"]]:
                touched[c["kind"]].append(c["uuid"])
    children: dict[str, list[tuple[str, str]]] = {}
    for (kind, _field), (child, parent) in LIST_FIELDS.items():
        children.setdefault(kind, []).append((child, parent))
    for kind in TABLE_ORDER:
        uuids = touched.get(kind)
        if not uuids:
            continue
        rows = _rows_where(reg, kind, "uuid", uuids)
        present = {r["uuid"] for r in rows}
        gone = [u for u in uuids if u not in present]
        server.upsert(kind, rows, [r["uuid"] in exempt.get(kind, ()) for r in rows])
        server.delete(kind, "uuid", gone)
        for child, parent in children.get(kind, []):
            server.delete(child, parent, uuids)
            found = _rows_where(reg, child, parent, sorted(present))
            server.upsert(child, found, [r["uuid"] in exempt.get(child, ()) for r in found])
        if kind == "risks":
            server.delete("risk_scores", "risk_uuid", gone)
            server.insert_new("risk_scores", _rows_where(reg, "risk_scores", "risk_uuid",
                                                         sorted(present)),
                              server_store.SCORE_KEY)
        step()
    server.insert_new("reports_issued", list(_local_rows(reg, "reports_issued")), ("uuid",))
    if any(c["kind"] == "programme" for c in pending):
        server.set_meta({"programme": _programme_json(reg), "name": reg.programme.name})
    step()
    replica = store.replica(reg)["id"]
    first, last = server.add_changes(
        pending, [server_store.is_exempt(exempt, c["kind"], c["uuid"]) for c in pending],
        user, replica)
    server.refresh_exempt(exempt)
    server.record_push(first, last, replica, user)
    step()
    return len(pending)


def _yield_refs(reg: Register, team: dict[str, Any], server: server_store.Server
                ) -> list[str]:
    """A ref the team register has given to a record since our last sync, and that one of
    our records not yet pushed took here too, stays with the team's record (everyone may
    have seen it in a paper): ours takes the next free ref, a change of ours that is pushed.
    Returns what was renumbered, in words ("R-021 is now R-022 (title)")."""
    fresh_since = int(team.get("pushed_upto") or 0)
    said: list[str] = []
    for kind in REF_TABLES:
        ours = reg.conn.execute(
            f"select k.uuid, k.ref from [{kind}] k where k.ref is not null and exists "
            "(select 1 from audit a where a.kind = ? and a.uuid = k.uuid and a.id > ? "
            "and (a.field = 'ref' or (a.field = '' and a.new = 'created')))",
            [kind, fresh_since]).fetchall()
        if not ours:
            continue
        theirs = server.refs(kind)
        taken = {str(ref).upper(): u for u, ref in theirs.items()}
        clashes = [(u, ref) for u, ref in ours if taken.get(str(ref).upper(), u) != u]
        if not clashes:
            continue
        local = [r[0] for r in reg.conn.execute(f"select ref from [{kind}] where ref is not null")]
        in_use = [*local, *theirs.values()]
        for u, ref in clashes:
            prefix = (re.match(r"[A-Za-z]*", str(ref)).group(0) or "R").upper()  # type: ignore[union-attr]
            new_ref = next(free_refs(prefix, in_use))
            in_use.append(new_ref)
            reg.conn.execute(f"update [{kind}] set ref = ? where uuid = ?", [new_ref, u])
            reg._audit("merge", kind, u, new_ref, "ref", ref, new_ref)
            row = reg.conn.execute(f"select * from [{kind}] where uuid = ?", [u])
            name = record_title(dict(zip([d[0] for d in row.description], row.fetchone(),
                                         strict=True)))
            said.append(f"our {ref} is now {new_ref}" + (f" ({name})" if name else "")
                        + f": the team register had given {ref} to another record")
    return said


def _align_refs(reg: Register, server: server_store.Server, pending: list[dict[str, Any]]
                ) -> list[dict[str, Any]]:
    """Every ref as the team register holds it, but for the records whose ref we made or
    changed ourselves (ours to push). Where one of ours now holds a ref the team register
    gave another record (a merge keeps ours when a ref is *changed* to one we hold), the
    team's record keeps it and ours takes the next free ref, a change of ours that is pushed:
    so the team register never holds one ref twice, and every laptop ends with its refs.
    Returns the changes made."""
    top = reg.conn.execute("select coalesce(max(id), 0) from audit").fetchone()[0]
    for kind in REF_TABLES:
        theirs = server.refs(kind)
        local = dict(reg.conn.execute(f"select uuid, ref from [{kind}] where ref is not null"))
        if not theirs and not local:
            continue
        touched = {c["uuid"] for c in pending if c["kind"] == kind}
        mine = {c["uuid"] for c in pending if c["kind"] == kind and c["field"] in ("", "ref")}
        desired = {u: (theirs[u] if u in theirs and u not in mine else ref)
                   for u, ref in local.items()}
        holder: dict[str, str] = {str(ref).upper(): u for u, ref in theirs.items()
                                  if u not in local and u not in touched}
        for u, ref in desired.items():  # the team's records first: theirs keep their refs
            if u not in mine:
                holder.setdefault(str(ref).upper(), u)
        renumbered = []
        for u in sorted(mine & desired.keys(), key=lambda u: str(desired[u])):
            key = str(desired[u]).upper()
            if holder.get(key, u) != u:
                renumbered.append(u)
            else:
                holder[key] = u
        for u in renumbered:
            prefix = (re.match(r"[A-Za-z]*", str(desired[u])).group(0) or "R").upper()  # type: ignore[union-attr]
            fresh = next(free_refs(prefix, [*holder, *local.values(), *theirs.values()]))
            holder[fresh.upper()] = u
            reg._audit("merge", kind, u, fresh, "ref", desired[u], fresh)
            desired[u] = fresh
        moving = {u: ref for u, ref in desired.items() if ref != local[u]}
        if moving:  # through each row's own uuid, so no two rows share a ref on the way
            reg.conn.executemany(f"update [{kind}] set ref = uuid where uuid = ?",
                                 [[u] for u in moving])
            reg.conn.executemany(f"update [{kind}] set ref = ? where uuid = ?",
                                 [[ref, u] for u, ref in moving.items()])
    return list(_audit(reg, "where id > ?", (top,)))


def _rows_where(reg: Register, table: str, column: str, values: list[str]
                ) -> list[dict[str, Any]]:
    columns = server_store.columns_of(table)
    held = reg.columns(table)
    names = [c for c in columns if c in held]
    out: list[dict[str, Any]] = []
    for start in range(0, len(values), 500):
        chunk = values[start:start + 500]
        cursor = reg.conn.execute(
            f"select {', '.join(f'[{c}]' for c in names)} from [{table}] where [{column}] in "
            f"({', '.join('?' for _ in chunk)})", chunk)
        out += [dict(zip(names, row, strict=True)) for row in cursor]
    return out
