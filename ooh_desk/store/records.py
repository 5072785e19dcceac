"""Risks (with their mitigations), milestones, feedback and actions: read back as domain records;
saved, deleted and restored with audit rows in the register's transaction. Imports no Qt."""

from __future__ import annotations

import contextlib
import gc
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..domain.records import REF_PREFIX, Mitigation, free_refs, new_uuid
from . import rows
from .register import Register, RegisterError, _now

# SQLite limits the parameters of one statement; "in (...)" lookups go in chunks of this size.
_CHUNK = 500
_RISK_CHILDREN = ("mitigations", "risk_scores", "assurances")  # assurances: schema 8
_PAPER_CHILDREN = ("options", "option_scores")  # a paper's options appraisal: schema 8


@dataclass
class Removed:
    """A deleted record's rows as they were stored, so an undo can put them back whole."""

    kind: str
    ref: str
    row: dict[str, Any]
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass
class Change:
    """What writing one record would do: 'new', 'updated' or 'unchanged', and the fields."""

    kind: str
    ref: str
    outcome: str
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)


# --- reading -------------------------------------------------------------------------------------


def all_records(reg: Register, kind: str) -> list[Any]:
    cls = rows.record_type(kind)
    found = reg.query(f"select * from [{kind}] order by ref")
    if kind != "risks":
        return [rows.from_row(cls, r) for r in found]
    mitigations = _mitigations_by_risk(reg)
    return [rows.from_row(cls, r, mitigations.get(r["uuid"], [])) for r in found]


def risk_pages(reg: Register, size: int = 500) -> Iterator[list[Any]]:
    """Every risk with its mitigations, in ref order, `size` at a time: a long export holds
    one page of records, never the whole register."""
    cls = rows.record_type("risks")
    after: str | None = None
    while True:
        where, args = ("where ref > ?", [after]) if after is not None else ("", [])
        found = list(reg.query(f"select * from risks {where} order by ref limit ?",
                               [*args, size]))
        if not found:
            return
        mitigations = _mitigations_by_risk(reg, uuids=[r["uuid"] for r in found])
        yield [rows.from_row(cls, r, mitigations.get(r["uuid"], [])) for r in found]
        after = found[-1]["ref"]


def by_uuids(reg: Register, kind: str, uuids: Iterable[str]) -> list[Any]:
    """The records of a kind with these uuids (those still in the register)."""
    wanted = list(uuids)
    cls = rows.record_type(kind)
    found = []
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start:start + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        found += reg.query(f"select * from [{kind}] where uuid in ({marks}) order by ref", chunk)
    if kind != "risks":
        return [rows.from_row(cls, r) for r in found]
    mitigations = _mitigations_by_risk(reg, uuids=[r["uuid"] for r in found])
    return [rows.from_row(cls, r, mitigations.get(r["uuid"], [])) for r in found]


def get_record(reg: Register, kind: str, ref: str) -> Any | None:
    """The record with this ref, in any case (r-001 finds R-001)."""
    found = list(reg.query(f"select * from [{kind}] where ref = ?", [ref])) or \
        list(reg.query(f"select * from [{kind}] where ref = ? collate nocase", [ref]))
    if not found:
        return None
    mitigations = _mitigations_by_risk(reg, found[0]["uuid"]) if kind == "risks" else {}
    return rows.from_row(rows.record_type(kind), found[0],
                         mitigations.get(found[0]["uuid"], []))


def total_records(reg: Register, kind: str) -> int:
    """How many records of a kind the register holds, every one (`queries.count_records`
    counts those a filtered query matches)."""
    return reg.conn.execute(f"select count(*) from [{kind}]").fetchone()[0]


def _mitigations_by_risk(reg: Register, risk_uuid: str | None = None,
                         uuids: Sequence[str] | None = None) -> dict[str, list[Mitigation]]:
    """Mitigations by risk uuid: of one risk, of the risks in `uuids`, or of every risk."""
    queries: list[tuple[str, list[str]]] = [("", [])]
    if risk_uuid:
        queries = [("where risk_uuid = ?", [risk_uuid])]
    elif uuids is not None:
        wanted = list(uuids)
        queries = [(f"where risk_uuid in ({', '.join('?' for _ in chunk)})", chunk)
                   for chunk in (wanted[n:n + _CHUNK] for n in range(0, len(wanted), _CHUNK))]
    out: dict[str, list[Mitigation]] = {}
    for where, args in queries:
        for r in reg.query(f"select * from mitigations {where} order by risk_uuid, position",
                           args):
            out.setdefault(r["risk_uuid"], []).append(Mitigation(
                description=r["description"], owner=r["owner"] or "",
                due=rows.board_date_from(r, "due"), status=r["status"] or "open"))
    return out


def new_refs(reg: Register, kind: str, taken: Iterable[str] = ()) -> Iterator[str]:
    """The refs new records of a kind take, in turn, free of every ref stored or `taken`.
    Read them inside the transaction that writes the records, so that no other writer can
    take the same ref in between."""
    return free_refs(REF_PREFIX[kind], [*refs(reg, kind), *taken])


def refs(reg: Register, kind: str) -> list[str]:
    """Every ref of a kind, as stored."""
    return [ref for (ref,) in reg.conn.execute(f"select ref from [{kind}]")]


def next_ref(reg: Register, kind: str, taken: Iterable[str] = ()) -> str:
    return next(new_refs(reg, kind, taken))


# --- writing -------------------------------------------------------------------------------------


def plan(reg: Register, kind: str, records: Sequence[Any]) -> list[Change]:
    """What `save_records` would do, without writing: for dry runs and summaries."""
    return _plan(reg, kind, records)[0]


def _plan(reg: Register, kind: str, records: Sequence[Any]
          ) -> tuple[list[Change], dict[str, dict[str, Any]]]:
    """Each record's change, and the stored rows it was worked out against (by ref)."""
    existing = _rows_by_ref(reg, kind, [r.ref for r in records])
    mitigations = (_mitigations_by_risk(reg, uuids=[r["uuid"] for r in existing.values()])
                   if kind == "risks" and existing else {})
    changes = []
    for record in records:
        old = existing.get(record.ref)
        if old is None:
            changes.append(Change(kind, record.ref, "new"))
            continue
        diff = _diff(kind, old, record, mitigations.get(old["uuid"], []))
        changes.append(Change(kind, record.ref, "updated" if diff else "unchanged", diff))
    return changes, existing


def _rows_by_ref(reg: Register, kind: str, refs: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The stored rows for these refs only: one edit in the app reads one row, not the
    whole table (the unique ref index makes each chunk a handful of lookups)."""
    found: dict[str, dict[str, Any]] = {}
    wanted = list(dict.fromkeys(refs))
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start:start + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        found.update((r["ref"], r) for r in reg.query(f"select * from [{kind}] "
                                                       f"where ref in ({marks})", chunk))
    return found


def _diff(kind: str, old: dict[str, Any], record: Any,
          old_mitigations: list[Mitigation]) -> dict[str, tuple[Any, Any]]:
    new = rows.to_row(record)
    diff = {}
    for column, value in new.items():
        if column in rows.STAMP_COLUMNS or column.endswith(("_from", "_to")):
            continue
        before = old.get(column)
        if (before or None) != (value or None) and str(before) != str(value):
            diff[column] = (before, value)
    if kind == "risks":
        before = _mitigation_text(old_mitigations)
        after = _mitigation_text(record.mitigations)
        if before != after:
            diff["mitigations"] = (before, after)
    return diff


def _mitigation_text(items: Sequence[Mitigation]) -> str:
    """One line per mitigation; its owner, due date and status only when set, so a log
    imported again without them reads as unchanged, and an edit to any of them is audited."""
    return "\n".join(m.description + "".join(
        f"; {label} {value}" for label, value in (("owner", m.owner),
                                                  ("due", m.due.text if m.due else ""),
                                                  ("status", "" if m.status == "open" else m.status))
        if value) for m in items)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a large import turns rows into records and
    records into table rows, then left as it was found. Those objects hold no reference
    cycles, so pausing frees nothing later; left on, the collector rescans them all again
    and again as they pile up: a 40,000-row file spent nearly half its planning time in it,
    twice as much a row as a 5,000-row one."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def save_records(reg: Register, kind: str, records: Sequence[Any],
                 operation: str = "edit") -> list[Change]:
    """Insert or update records by ref, with audit rows, in one transaction. Rows are
    written in batches: a 5,000-row import is a handful of statements, not 20,000."""
    with collector_paused(), reg.transaction():
        changes, existing = _plan(reg, kind, records)
        now = _now()
        new_rows, updated_rows, audit_rows, mitigation_rows, score_rows = [], [], [], [], []
        replaced_mitigations = []
        for record, change in zip(records, changes, strict=True):
            if change.outcome == "unchanged":
                continue
            old = existing.get(record.ref)
            if old:
                record.uuid = old["uuid"]
            (updated_rows if old else new_rows).append(rows.to_row(record) | {
                "updated": now, "updated_by": reg.user,
                "created": old["created"] if old else now})
            if change.outcome == "new":
                audit_rows.append(reg._audit_row(operation, kind, record.uuid, record.ref,
                                                 "", "", "created", now))
            for column, (before, after) in change.fields.items():
                audit_rows.append(reg._audit_row(operation, kind, record.uuid, record.ref,
                                                 column, before, after, now))
            if kind != "risks":
                continue
            if change.outcome == "new" or "mitigations" in change.fields:
                replaced_mitigations.append(record.uuid)
                mitigation_rows.extend(
                    {"uuid": new_uuid(), "risk_uuid": record.uuid, "position": n,
                     "description": m.description, "owner": m.owner,
                     **rows.date_columns("due", m.due), "status": m.status}
                    for n, m in enumerate(record.mitigations, 1))
            moved = change.outcome == "new" or {"likelihood", "impact"} & change.fields.keys()
            if moved and record.current is not None:
                score_rows.append({"risk_uuid": record.uuid, "at": now,
                                   "likelihood": record.current.likelihood,
                                   "impact": record.current.impact,
                                   "score": record.current.score, "user": reg.user})
        _insert(reg, kind, new_rows)
        _insert(reg, kind, updated_rows, update=True)
        if replaced_mitigations:
            reg.db.conn.executemany("delete from mitigations where risk_uuid = ?",
                                    [(u,) for u in replaced_mitigations])
        _insert(reg, "mitigations", mitigation_rows)
        _insert(reg, "risk_scores", score_rows)
        _insert(reg, "audit", audit_rows)
        return changes


# The values SQLite stores as they are; anything else is stored as sqlite-utils would.
_PLAIN = frozenset({str, int, float, bool, bytes, type(None)})
# Rows per INSERT statement (fewer where SQLite allows fewer parameters). The full-text
# index, fed by a trigger on risks and feedback, is flushed once a statement: one statement
# a row took 0.3 s for 5,000 risks, 100 rows a statement 0.05 s; 1,000 a statement saves a
# further fifth of the writing time of 20,000 feedback items.
_ROWS_PER_STATEMENT = 1000


def _insert(reg: Register, table: str, found: Sequence[dict[str, Any]],
            update: bool = False) -> None:
    """INSERT rows, many to a statement; with `update`, each row's uuid is stored already
    and the row is rewritten with these values (an upsert whose insert never happens)."""
    if not found:
        return
    columns = list(found[0])
    if not all(row.keys() == found[0].keys() for row in found):
        columns += sorted(set().union(*found) - set(columns))  # NULL where a row lacks one
    conn = reg.db.conn
    per = max(1, min(_ROWS_PER_STATEMENT,
                     conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(columns)))
    names = ", ".join(f"[{c}]" for c in columns)
    one = "(" + ", ".join("?" for _ in columns) + ")"
    tail = ""
    if update:
        tail = " on conflict (uuid) do update set " + ", ".join(
            f"[{c}] = excluded.[{c}]" for c in columns if c != "uuid")
    for start in range(0, len(found), per):
        chunk = found[start:start + per]
        values = [row.get(c) for row in chunk for c in columns]
        if not _PLAIN.issuperset(map(type, values)):
            from sqlite_utils.db import jsonify_if_needed  # as sqlite-utils inserts store them

            values = [v if type(v) in _PLAIN else jsonify_if_needed(v) for v in values]
        conn.execute(f"insert into [{table}] ({names}) values "
                     f"{', '.join([one] * len(chunk))}{tail}", values)


def delete_record(reg: Register, kind: str, ref: str, operation: str = "delete") -> Removed:
    """Delete a record and what hangs off it (a risk's mitigations and score history).
    Returns every row removed, exactly as stored, for `restore_record` to put back."""
    with reg.transaction():
        found = list(reg.db[kind].rows_where("ref = ?", [ref]))
        if not found:
            raise RegisterError(f"there is no {kind[:-1]} {ref}")
        uuid = found[0]["uuid"]
        removed = Removed(kind, ref, found[0])
        if kind == "risks":
            for table in _RISK_CHILDREN:
                removed.children[table] = list(reg.db[table].rows_where("risk_uuid = ?", [uuid]))
                reg.db[table].delete_where("risk_uuid = ?", [uuid])
        if kind == "papers":
            for table in _PAPER_CHILDREN:
                removed.children[table] = list(reg.db[table].rows_where("paper_uuid = ?", [uuid]))
                reg.db[table].delete_where("paper_uuid = ?", [uuid])
        reg.db[kind].delete(uuid)
        reg._audit(operation, kind, uuid, ref, "", "", "deleted")
        return removed


def restore_record(reg: Register, removed: Removed, operation: str = "undo") -> None:
    """Put a deleted record back whole: the same uuid, stamps, mitigations and score
    history, audited as restored."""
    with reg.transaction():
        if list(reg.db[removed.kind].rows_where("ref = ?", [removed.ref])):
            raise RegisterError(f"cannot restore {removed.ref}: the register already holds "
                                f"a {removed.kind[:-1]} with that ref")
        reg.db[removed.kind].insert(removed.row, pk="uuid")
        for table, found in removed.children.items():
            if found:
                reg.db[table].insert_all(found, pk="id" if table == "risk_scores" else "uuid")
        reg._audit(operation, removed.kind, removed.row["uuid"], removed.ref, "",
                   "deleted", "restored")
