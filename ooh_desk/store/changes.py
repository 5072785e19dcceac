"""A register as a set of changes, for merging copies (docs/merge-design.md): its replica id,
its changes (audit rows named by change id), the records they touch, and writing a merge
plan and its conflicts. The deciding is done in domain/merge.py; this is its SQL.
Imports no Qt."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..domain.merge import (
    JOIN_KEYS,
    LIST_FIELDS,
    REF_TABLES,
    TABLE_ORDER,
    Change,
    Conflict,
    MergePlan,
    Record,
    Side,
)
from ..domain.records import free_refs
from . import meetings, queries
from .register import Register, RegisterError, _connect, _explain, _first_look, _now
from .schema import APPLICATION_ID, SCHEMA_VERSION

# The tables hanging off each kind of record, by the column naming the parent.
CHILDREN: dict[str, list[tuple[str, str]]] = {}
for (_kind, _field), _child in LIST_FIELDS.items():
    CHILDREN.setdefault(_kind, []).append(_child)
_CHUNK = 500
_AUDIT_COLUMNS = ("at", "user", "operation", "kind", "uuid", "ref", "field", "old", "new",
                  "change_id")


# --- the replica ----------------------------------------------------------------------------------


def _here(reg: Register) -> str:
    import platform  # like uuid, loaded by a copy or merge, not by the first window

    return f"{platform.node()}:{reg.path.resolve()}"


def _new_id() -> str:
    from uuid import uuid4

    return uuid4().hex


def replica(reg: Register) -> dict[str, Any]:
    """This copy's replica: its id, where it lives and who it was made for. A file first used
    in a copy or merge somewhere other than where its replica was made (copied by hand, by
    email, or moved) takes a new id there. Writes only when it must; a read-only register
    answers with what it holds."""
    found = list(reg.db.query("select value from meta where key = 'replica'"))
    held = json.loads(found[0]["value"]) if found else {}
    if held.get("home") == _here(reg) or reg._readonly:
        return held or {"id": "", "home": "", "for": ""}
    fresh = {"id": _new_id(), "home": _here(reg), "for": held.get("for", ""),
             "was": held.get("id", "")}
    set_replica(reg, fresh)
    return fresh


def set_replica(reg: Register, value: dict[str, Any]) -> None:
    with reg.transaction():
        reg.db["meta"].upsert({"key": "replica", "value": json.dumps(value)}, pk="key")


def new_replica(reg: Register, made_for: str, forked_from: str) -> dict[str, Any]:
    """A copy's own replica id, with the fork it came from (the replica and its last change)."""
    last = next(reg.db.query("select change_id, at from audit order by id desc limit 1"), {})
    value = {"id": _new_id(), "home": _here(reg), "for": made_for,
             "fork": {"from": forked_from, "change": last.get("change_id"),
                      "at": last.get("at")}}
    set_replica(reg, value)
    return value


# --- reading a side -------------------------------------------------------------------------------


def change_ids(reg: Register) -> set[str]:
    return {r[0] for r in reg.db.conn.execute("select change_id from audit")}


def changes_not_in(reg: Register, known: set[str], held: set[str] | None = None
                   ) -> list[Change]:
    """This register's changes the other side does not hold, oldest first. `held`: this
    register's own change ids, when read already."""
    mine = change_ids(reg) if held is None else held
    wanted = list(mine - known)
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start:start + _CHUNK]
        found += reg.db.conn.execute(
            "select id, change_id, kind, uuid, ref, field, old, new, at, user, operation "
            f"from audit where change_id in ({', '.join('?' for _ in chunk)})", chunk).fetchall()
    return [Change(r[1], r[2] or "", r[3] or "", r[4] or "", r[5] or "", r[6], r[7],
                   r[8] or "", r[9] or "", r[10] or "") for r in sorted(found)]


def read_side(reg: Register, changes: list[Change], touched: Iterable[tuple[str, str]],
              name: str = "", with_keys: bool = True) -> Side:
    """One side of a merge: its changes and the records either side's changes touch."""
    wanted: dict[str, list[str]] = {}
    for kind, uuid in touched:
        if kind in TABLE_ORDER:
            wanted.setdefault(kind, []).append(uuid)
    tables = set(reg.db.table_names())
    records: dict[tuple[str, str], Record] = {}
    for kind, uuids in wanted.items():
        if kind not in tables:
            continue
        for row in _rows(reg, kind, "uuid", uuids):
            records[(kind, row["uuid"])] = Record(kind, row["uuid"], row)
        for child, parent in CHILDREN.get(kind, []):
            held = [u for u in uuids if (kind, u) in records]
            order = "position" if "position" in reg.db[child].columns_dict else "rowid"
            for row in _rows(reg, child, parent, held, order=order):
                records[(kind, row[parent])].children.setdefault(child, []).append(row)
            for u in held:
                records[(kind, u)].children.setdefault(child, [])
    keys: dict[str, dict[str, str]] = {}
    for kind in (*REF_TABLES, *JOIN_KEYS) if with_keys else ():
        column = "ref" if kind in REF_TABLES else JOIN_KEYS[kind]
        if kind in tables:
            keys[kind] = {str(k).upper(): u for u, k in reg.db.conn.execute(
                f"select uuid, [{column}] from [{kind}] where [{column}] is not null")}
    columns = {t: tuple(reg.db[t].columns_dict) for t in TABLE_ORDER if t in tables}
    found = list(reg.db.query("select value from meta where key = 'programme'"))
    programme = json.loads(found[0]["value"]) if found else None
    return Side(changes, records, keys, programme, name, columns)


def _rows(reg: Register, table: str, column: str, values: Sequence[str],
          order: str | None = None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for start in range(0, len(values), _CHUNK):
        chunk = list(values[start:start + _CHUNK])
        marks = ", ".join("?" for _ in chunk)
        out += list(reg.db[table].rows_where(f"[{column}] in ({marks})", chunk,
                                             order_by=order))
    return out


def audit_rows(reg: Register, ids: set[str]) -> list[dict[str, Any]]:
    """The audit rows with these change ids, oldest first, as stored (less their row id)."""
    names = ", ".join(f"[{c}]" for c in _AUDIT_COLUMNS)
    wanted = list(ids)
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start:start + _CHUNK]
        found += reg.db.conn.execute(
            f"select id, {names} from audit where change_id in "
            f"({', '.join('?' for _ in chunk)})", chunk).fetchall()
    return [dict(zip(_AUDIT_COLUMNS, r[1:], strict=True)) for r in sorted(found)]


# --- writing a plan --------------------------------------------------------------------------------


def apply_plan(reg: Register, plan: MergePlan, theirs: Register, other: str) -> list[str]:
    """Write a merge plan into `reg`, inside its transaction: their changes kept as ours, the
    records they make, the conflicts. Returns the new conflicts' refs."""
    conn = reg.db.conn
    conn.execute("PRAGMA defer_foreign_keys = ON")
    alias = plan.aliases
    order = {kind: n for n, kind in enumerate(TABLE_ORDER)}
    for d in sorted(plan.deletes, key=lambda d: -order[d.kind]):
        _delete(reg, d.kind, d.uuid)
    for u in plan.updates:
        columns = _known(reg, u.kind, _remap(u.columns, alias))
        if columns:
            sets = ", ".join(f"[{c}] = ?" for c in columns)
            conn.execute(f"update [{u.kind}] set {sets} where uuid = ?", [*columns.values(), u.uuid])
        for child, found in u.children.items():
            parent = next(p for c, p in CHILDREN[u.kind] if c == child)
            conn.execute(f"delete from [{child}] where [{parent}] = ?", [u.uuid])
            _insert(reg, child, [_child_row(child, r, alias) | {parent: u.uuid} for r in found])
    for i in plan.inserts:
        record = i.record
        _insert(reg, record.kind, [_remap(record.row, alias)])
        for child, found in record.children.items():
            _insert(reg, child, [_child_row(child, r, alias) for r in found])
    if plan.programme is not None:
        reg.db["meta"].upsert({"key": "programme", "value": json.dumps(plan.programme)},
                              pk="key")
    # Their history becomes ours, each change under its own id: merging again finds it shared.
    _insert(reg, "audit", audit_rows(theirs, {c.change_id for c in plan.changes}))
    now = _now()
    _insert(reg, "audit", [reg._audit_row("merge", i.record.kind, i.record.uuid,
                                          i.record.row["ref"], "ref", i.renumbered_from,
                                          i.record.row["ref"], now)
                           for i in plan.inserts if i.renumbered_from])
    refs = _add_conflicts(reg, plan.conflicts, other, now)
    _union_appends(reg, theirs, alias)
    _settle_meetings(reg, any(k in plan.summary for k in ("meetings", "agenda_items",
                                                           "committees")),
                     "merge", "the merge", "so nothing was merged")
    return refs


def _known(reg: Register, table: str, row: dict[str, Any]) -> dict[str, Any]:
    columns = _columns(reg, table)
    return {k: v for k, v in row.items() if k in columns}


def _columns(reg: Register, table: str) -> set[str]:
    """A table's columns, read once a connection (a merge asks for them once a row)."""
    cache = reg.__dict__.setdefault("_merge_columns", {})
    if table not in cache:
        cache[table] = set(reg.db[table].columns_dict)
    return cache[table]


def _remap(row: dict[str, Any], alias: dict[str, str]) -> dict[str, Any]:
    """A row with references to their records that joined ours pointed at ours."""
    if not alias:
        return dict(row)
    return {k: alias.get(v, v) if k.endswith("_uuid") and isinstance(v, str) else v
            for k, v in row.items()}


def _child_row(child: str, row: dict[str, Any], alias: dict[str, str]) -> dict[str, Any]:
    out = _remap(row, alias)
    if child == "decisions":
        out["ref"] = out["uuid"]  # worked out again by renumbering the year's minutes
    return out


def _insert(reg: Register, table: str, found: list[dict[str, Any]]) -> None:
    if not found:
        return
    columns = _columns(reg, table)
    names = [c for c in found[0] if c in columns]
    sql = (f"insert into [{table}] ({', '.join(f'[{c}]' for c in names)}) "
           f"values ({', '.join('?' for _ in names)})")
    reg.db.conn.executemany(sql, [[r.get(c) for c in names] for r in found])


def _delete(reg: Register, kind: str, uuid: str) -> None:
    conn = reg.db.conn
    for child, parent in CHILDREN.get(kind, []):
        conn.execute(f"delete from [{child}] where [{parent}] = ?", [uuid])
    if kind == "risks":
        conn.execute("delete from risk_scores where risk_uuid = ?", [uuid])
    conn.execute(f"delete from [{kind}] where uuid = ?", [uuid])


def _union_appends(reg: Register, theirs: Register, alias: dict[str, str]) -> None:
    """History kept only by adding to it: each side's entries, each once."""
    conn = reg.db.conn
    key = ("risk_uuid", "at", "likelihood", "impact", "score", "user")
    names = ", ".join(key)
    held = set(conn.execute(f"select {names} from risk_scores").fetchall())
    risks = {r[0] for r in conn.execute("select uuid from risks")}
    missing = []
    for r in theirs.db.conn.execute(f"select {names} from risk_scores order by at, id"):
        row = (alias.get(r[0], r[0]), *r[1:])
        if row not in held and row[0] in risks:
            held.add(row)
            missing.append(dict(zip(key, row, strict=True)))
    _insert(reg, "risk_scores", missing)
    if "reports_issued" in theirs.db.table_names():
        ours = {r[0] for r in conn.execute("select uuid from reports_issued")}
        _insert(reg, "reports_issued", [r for r in theirs.db["reports_issued"].rows
                                        if r["uuid"] not in ours])


def _add_conflicts(reg: Register, found: Sequence[Conflict], other: str, now: str) -> list[str]:
    refs = free_refs("C", [r[0] for r in reg.db.conn.execute("select ref from conflicts")])
    made = []
    rows = []
    for c in found:
        ref = next(refs)
        made.append(ref)
        rows.append({"uuid": _new_id(), "ref": ref, "kind": c.kind,
                     "record_uuid": c.record_uuid, "record_ref": c.record_ref,
                     "field": c.field, "base": c.base, "ours": c.ours, "theirs": c.theirs,
                     "ours_by": c.ours_by, "ours_at": c.ours_at, "theirs_by": c.theirs_by,
                     "theirs_at": c.theirs_at, "other": other,
                     "theirs_data": json.dumps(c.theirs_data, default=_jsonable),
                     "status": "open", "taken": None, "settled_by": None, "settled_at": None,
                     "created": now})
    _insert(reg, "conflicts", rows)
    return made


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        raise TypeError("a conflict does not carry file contents")
    return str(value)


# --- conflicts --------------------------------------------------------------------------------


def conflicts(reg: Register, open_only: bool = False) -> list[dict[str, Any]]:
    where = "status = 'open'" if open_only else None
    return sorted(reg.db["conflicts"].rows_where(where), key=lambda r: (len(r["ref"]), r["ref"]))


open_conflicts = queries.open_conflicts  # the dashboard's count lives with its queries


def open_conflicts_by_record(reg: Register) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """The open conflicts by the record they are about: (kind, record uuid) -> [(field,
    conflict ref)], field "" for an edit against a delete; for papers and lists to mark."""
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for kind, uuid, name, ref in reg.db.conn.execute(
            "select kind, record_uuid, field, ref from conflicts where status = 'open' "
            "order by length(ref), ref"):
        out.setdefault((kind, uuid), []).append((name or "", ref))
    return out


def settle(reg: Register, ref: str, take: str) -> dict[str, Any]:
    """Settle one conflict, audited: `ours` keeps what the register holds; `theirs` writes the
    other copy's value (or deletes, or restores, the record) as a change of this register's."""
    with reg.transaction():
        found = list(reg.db["conflicts"].rows_where("ref = ? collate nocase", [ref]))
        if not found:
            raise RegisterError(f"there is no conflict {ref} in {reg.path.name}")
        c = found[0]
        if c["status"] != "open":
            raise RegisterError(f"{c['ref']} was settled already (took {c['taken']})")
        if take == "theirs":
            _take_theirs(reg, c, json.loads(c["theirs_data"] or "{}"))
        now = _now()
        reg.db["conflicts"].update(c["uuid"], {"status": "settled", "taken": take,
                                               "settled_by": reg.user, "settled_at": now})
        reg._audit("resolve", "conflicts", c["uuid"], c["ref"], "status", "open",
                   f"settled: took {take}")
        return reg.db["conflicts"].get(c["uuid"])


def _take_theirs(reg: Register, c: dict[str, Any], data: dict[str, Any]) -> None:
    kind, uuid = c["kind"], c["record_uuid"]
    conn = reg.db.conn
    if "programme" in data:
        reg.db["meta"].upsert({"key": "programme", "value": json.dumps(data["programme"])},
                              pk="key")
        reg._audit("resolve", "programme", "", "", "programme", c["ours"], c["theirs"])
        return
    if data.get("delete"):
        if list(reg.db[kind].rows_where("uuid = ?", [uuid])):
            _delete(reg, kind, uuid)
            reg._audit("resolve", kind, uuid, c["record_ref"], "", "", "deleted")
        return
    if "restore" in data:
        row = data["restore"]["row"]
        taken = "ref" in row and list(reg.db[kind].rows_where("ref = ?", [row["ref"]]))
        if taken:
            row = row | {"ref": next(free_refs(str(row["ref"]).split("-")[0],
                                               [r[0] for r in conn.execute(
                                                   f"select ref from [{kind}]")]))}
        _insert(reg, kind, [row])
        for child, found in data["restore"].get("children", {}).items():
            _insert(reg, child, found)
        reg._audit("resolve", kind, uuid, row.get("ref") or c["record_ref"], "", "deleted",
                   "restored")
        return
    if not list(reg.db[kind].rows_where("uuid = ?", [uuid])):
        raise RegisterError(f"{c['ref']}: {c['record_ref']} is no longer in the register, so "
                            "their value has nowhere to go; settle it taking ours")
    columns = data.get("columns", {})
    if columns:
        sets = ", ".join(f"[{k}] = ?" for k in columns)
        conn.execute(f"update [{kind}] set {sets}, updated = ?, updated_by = ? where uuid = ?",
                     [*columns.values(), _now(), reg.user, uuid])
    for child, found in data.get("children", {}).items():
        parent = next(p for t, p in CHILDREN[kind] if t == child)
        conn.execute(f"delete from [{child}] where [{parent}] = ?", [uuid])
        _insert(reg, child, [r | {parent: uuid} | ({"ref": r["uuid"]} if child == "decisions"
                                                   else {}) for r in found])
    reg._audit("resolve", kind, uuid, c["record_ref"], c["field"], c["ours"], c["theirs"])
    if kind in ("agenda_items", "meetings"):
        for (year,) in conn.execute("select distinct municipal_year from meetings "
                                    "where municipal_year is not null").fetchall():
            meetings.renumber_minutes(reg, year, "resolve")


def held_state(reg: Register, ref: str) -> dict[str, Any]:
    """What settling conflict `ref` may change, as the register holds it now: the record's row,
    the rows hanging off it and a risk's score history, and the programme's settings. Kept by
    the app's undo to put them back (`unsettle`)."""
    found = list(reg.db["conflicts"].rows_where("ref = ? collate nocase", [ref]))
    if not found:
        raise RegisterError(f"there is no conflict {ref} in {reg.path.name}")
    c = found[0]
    kind, uuid = c["kind"], c["record_uuid"]
    programme = list(reg.db.query("select value from meta where key = 'programme'"))
    held: dict[str, Any] = {"ref": c["ref"], "kind": kind, "uuid": uuid,
                            "record_ref": c["record_ref"] or "", "row": None,
                            "children": {}, "risk_scores": [],
                            "programme": programme[0]["value"] if programme else None}
    if kind not in reg.db.table_names():  # the programme's settings, which are not a table
        return held
    rows = list(reg.db[kind].rows_where("uuid = ?", [uuid]))
    if rows:
        held["row"] = rows[0]
        held["children"] = {child: list(reg.db[child].rows_where(f"[{parent}] = ?", [uuid]))
                            for child, parent in CHILDREN.get(kind, [])}
        if kind == "risks":
            held["risk_scores"] = list(reg.db["risk_scores"].rows_where("risk_uuid = ?",
                                                                        [uuid]))
    return held


def unsettle(reg: Register, held: dict[str, Any]) -> dict[str, Any]:
    """Undo settling a conflict: the record (or the programme) put back as `held_state` found
    it, and the conflict open again. Audited as an undo, so the next merge carries it."""
    with reg.transaction():
        found = list(reg.db["conflicts"].rows_where("ref = ?", [held["ref"]]))
        if not found or found[0]["status"] != "settled":
            raise RegisterError(f"{held['ref']} is not settled, so there is nothing to undo")
        c = found[0]
        if c["taken"] == "theirs":
            try:
                _put_back(reg, c, held)
            except sqlite3.IntegrityError as exc:  # another record has taken its ref since
                raise RegisterError(f"{c['ref']} cannot be undone: {c['record_ref']} would "
                                    f"clash with the register as it is now ({exc})") from None
        reg.db["conflicts"].update(c["uuid"], {"status": "open", "taken": None,
                                               "settled_by": None, "settled_at": None})
        reg._audit("undo", "conflicts", c["uuid"], c["ref"], "status",
                   f"settled: took {c['taken']}", "open")
        return reg.db["conflicts"].get(c["uuid"])


def _put_back(reg: Register, c: dict[str, Any], held: dict[str, Any]) -> None:
    kind, uuid, row = held["kind"], held["uuid"], held["row"]
    conn = reg.db.conn
    conn.execute("PRAGMA defer_foreign_keys = ON")
    if kind not in reg.db.table_names():
        reg.db["meta"].upsert({"key": "programme", "value": held["programme"]}, pk="key")
        reg._audit("undo", "programme", "", "", "programme", c["theirs"], c["ours"])
        return
    now_held = bool(list(reg.db[kind].rows_where("uuid = ?", [uuid])))
    if row is None:  # taking theirs restored a record ours had deleted: delete it again
        if now_held:
            _delete(reg, kind, uuid)
            reg._audit("undo", kind, uuid, c["record_ref"], "", "", "deleted")
        return
    if now_held:
        columns = _known(reg, kind, {k: v for k, v in row.items() if k != "uuid"})
        sets = ", ".join(f"[{k}] = ?" for k in columns)
        conn.execute(f"update [{kind}] set {sets} where uuid = ?", [*columns.values(), uuid])
    else:  # taking theirs deleted it: it comes back whole, with its score history
        _insert(reg, kind, [row])
        _insert(reg, "risk_scores", held["risk_scores"])
    for child, parent in CHILDREN.get(kind, []):
        conn.execute(f"delete from [{child}] where [{parent}] = ?", [uuid])
        _insert(reg, child, held["children"].get(child, []))
    if now_held:
        reg._audit("undo", kind, uuid, row.get("ref") or c["record_ref"], c["field"] or "",
                   c["theirs"], c["ours"])
    else:
        reg._audit("undo", kind, uuid, row.get("ref") or c["record_ref"], "", "deleted",
                   "restored")
    _settle_meetings(reg, kind in ("agenda_items", "meetings"), "undo", f"undoing {c['ref']}",
                     "so it was not undone")


# --- the other copy ---------------------------------------------------------------------------------


def open_other(path: Path, workdir: Path) -> tuple[Register, int]:
    """The other copy of a merge, read-only, and the register version it was written at. A
    copy from an older OOH Desk is upgraded on a copy of its own in `workdir`: the user's
    file is never changed by being merged from."""
    version = _version(path)
    if version >= SCHEMA_VERSION:
        return Register.open(path, readonly=True), version  # it says what is wrong, if aught
    copy = workdir / path.name
    try:
        source = _connect(path, readonly=True)
        target = sqlite3.connect(copy)
        with target:
            source.backup(target)
        target.close()
        source.close()
    except sqlite3.Error as exc:
        raise _explain(exc, path) from None
    return Register.open(copy), version


def _version(path: Path) -> int:
    """The register version a file says it holds (the current one for anything Register.open
    should look at and explain: not there, empty, not a register)."""
    if not path.is_file() or path.stat().st_size == 0:
        return SCHEMA_VERSION
    try:
        conn, app_id, version = _first_look(path, readonly=True)
    except sqlite3.DatabaseError:
        return SCHEMA_VERSION
    conn.close()
    return version if app_id == APPLICATION_ID else SCHEMA_VERSION


def _settle_meetings(reg: Register, renumber: bool, operation: str, what: str,
                     outcome: str) -> None:
    """After rows arrive or come back: minute numbers (derived) worked out again when
    meetings were touched, and every row's foreign keys checked before the commit."""
    conn = reg.db.conn
    if renumber:
        for (year,) in conn.execute("select distinct municipal_year from meetings "
                                    "where municipal_year is not null").fetchall():
            meetings.renumber_minutes(reg, year, operation)
    broken = conn.execute("PRAGMA foreign_key_check").fetchone()
    if broken:
        raise RegisterError(f"{what} would leave a {broken[0]} row pointing at a "
                            f"{broken[2]} that is not there, {outcome}")
