"""Open, create, migrate and write a register file.

Every user action runs in one transaction (`Register.transaction`), so it lands whole or
not at all; every change to a record is written to the audit table in that same transaction.
"""

from __future__ import annotations

import contextlib
import dataclasses
import getpass
import json
import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from ..domain.board_dates import BoardDate
from ..domain.records import (
    REF_PREFIX,
    EngagementEvent,
    Mitigation,
    Programme,
    Workstream,
    new_uuid,
)
from ..domain.scoring import Band
from ..errors import UserFacing, atomic_output
from . import rows
from .schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

SUFFIX = ".oohdesk"
# How long a second writer waits for the first before being told the register is in use.
LOCK_WAIT_SECONDS = 3.0
# SQLite limits the parameters of one statement; "in (...)" lookups go in chunks of this size.
_CHUNK = 500
_STAMP_COLUMNS = {"uuid", "created", "updated", "updated_by"}


class RegisterError(UserFacing):
    """A problem with a register file that the user can act on; the message says what."""


class RegisterInUse(RegisterError):
    pass


class RegisterTooNew(RegisterError):
    pass


class NotARegister(RegisterError):
    pass


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some services and containers)
        return "unknown"


_RISK_CHILDREN = ("mitigations", "risk_scores")


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


class Register:
    """One programme's register file. Construct with `open` or `create`."""

    def __init__(self, path: Path, conn: sqlite3.Connection, user: str) -> None:
        self.path = path
        self.db = sqlite_utils.Database(conn)
        self.user = user
        self.backup_path: Path | None = None

    # --- opening -------------------------------------------------------------------------

    @classmethod
    def create(cls, path: str | os.PathLike, programme: Programme | None = None,
               user: str | None = None) -> Register:
        path = Path(path)
        if path.exists():
            raise RegisterError(f"{path} already exists; choose a new file name")
        if not path.parent.exists():
            raise RegisterError(f"the folder {path.parent} does not exist")
        conn = _connect(path, readonly=False)
        reg = cls(path, conn, user or current_user())
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        reg._migrate(0)
        reg.set_programme(programme or Programme(name=path.stem))
        return reg

    @classmethod
    def open(cls, path: str | os.PathLike, readonly: bool = False,
             user: str | None = None) -> Register:
        path = Path(path)
        if not path.exists():
            raise RegisterError(f"there is no register at {path}")
        if path.is_dir():
            raise RegisterError(f"{path} is a folder, not a register file")
        if not readonly and _read_only(path):
            raise RegisterError(f"{path} is read-only; copy it somewhere you can write to, "
                                "or change its permissions")
        try:
            conn = _connect(path, readonly=readonly)
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise _explain(exc, path) from None
        if app_id != APPLICATION_ID:
            conn.close()
            raise NotARegister(f"{path} is not an OOH Desk register (it is a SQLite database "
                               "made by another program)")
        if version > SCHEMA_VERSION:
            conn.close()
            raise RegisterTooNew(f"{path} was written by a newer version of OOH Desk "
                                 f"(register version {version}; this version reads up to "
                                 f"{SCHEMA_VERSION}); update OOH Desk to open it")
        reg = cls(path, conn, user or current_user())
        if version < SCHEMA_VERSION:
            if readonly:
                # Every reader needs the current schema: upgrade (with a backup) first.
                conn.close()
                return cls.open(path, readonly=False, user=user)
            reg.backup_path = reg._backup(version)
            reg._migrate(version)
        return reg

    def _backup(self, version: int) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = self.path.with_name(f"{self.path.stem}.v{version}-backup-{stamp}{SUFFIX}")
        self.save_copy(backup)
        return backup

    def save_copy(self, target: str | os.PathLike) -> Path:
        """A consistent copy of the register as it is now (SQLite's online backup, so a
        write in progress elsewhere is never half-copied). Written beside, then renamed."""
        target = Path(target)
        try:
            with atomic_output(target) as temp:
                copy = sqlite3.connect(temp)
                with copy:
                    self.db.conn.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")
                copy.close()
        except (OSError, sqlite3.Error) as exc:
            raise RegisterError(f"the copy {target} was not saved: {exc}") from None
        return target

    def _migrate(self, from_version: int) -> None:
        with self.transaction():
            for number, step in enumerate(MIGRATIONS[from_version:], start=from_version + 1):
                step(self.db)
                self.db.conn.execute(f"PRAGMA user_version = {number}")

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            # Back to a single self-contained file once the last writer leaves.
            if not self._readonly:
                self.db.conn.execute("PRAGMA journal_mode = DELETE")
        self.db.conn.close()

    @property
    def _readonly(self) -> bool:
        return bool(getattr(self.db.conn, "_ooh_readonly", False))

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions ------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Register]:
        """One user action: everything inside lands together or not at all."""
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _explain(exc, self.path) from None
        try:
            yield self
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise _explain(exc, self.path) from None

    # --- the programme -------------------------------------------------------------------------

    @property
    def programme(self) -> Programme:
        found = list(self.db.query("select value from meta where key = 'programme'"))
        if not found:
            return Programme(name=self.path.stem)
        data = json.loads(found[0]["value"])
        data["bands"] = tuple(Band(**b) for b in data.get("bands", ())) or Programme().bands
        data["as_at"] = date.fromisoformat(data["as_at"]) if data.get("as_at") else None
        known = {f.name for f in dataclasses.fields(Programme)}
        return Programme(**{k: v for k, v in data.items() if k in known})

    def set_programme(self, programme: Programme) -> None:
        data = dataclasses.asdict(programme)
        data["as_at"] = programme.as_at.isoformat() if programme.as_at else None
        with self.transaction():
            old = self.programme if self.db["meta"].count else None
            self.db["meta"].upsert({"key": "programme", "value": json.dumps(data)}, pk="key")
            if old != programme:
                self._audit("programme", "programme", "", "", "programme",
                            old.name if old else "", programme.name)

    def default_as_at(self) -> date:
        return self.programme.as_at or date.today()

    # --- reading -----------------------------------------------------------------------------

    def all(self, kind: str) -> list[Any]:
        cls = rows.record_type(kind)
        found = self.db[kind].rows_where(order_by="ref")
        if kind != "risks":
            return [rows.from_row(cls, r) for r in found]
        mitigations = self._mitigations_by_risk()
        return [rows.from_row(cls, r, mitigations.get(r["uuid"], [])) for r in found]

    def risk_pages(self, size: int = 500) -> Iterator[list[Any]]:
        """Every risk with its mitigations, in ref order, `size` at a time: a long export holds
        one page of records, never the whole register."""
        cls = rows.record_type("risks")
        after: str | None = None
        while True:
            where, args = ("ref > ?", [after]) if after is not None else (None, [])
            found = list(self.db["risks"].rows_where(where, args, order_by="ref", limit=size))
            if not found:
                return
            mitigations = self._mitigations_by_risk(uuids=[r["uuid"] for r in found])
            yield [rows.from_row(cls, r, mitigations.get(r["uuid"], [])) for r in found]
            after = found[-1]["ref"]

    def by_uuids(self, kind: str, uuids: Iterable[str]) -> list[Any]:
        """The records of a kind with these uuids (those still in the register)."""
        wanted = list(uuids)
        cls = rows.record_type(kind)
        found = []
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start:start + _CHUNK]
            marks = ", ".join("?" for _ in chunk)
            found += list(self.db[kind].rows_where(f"uuid in ({marks})", chunk, order_by="ref"))
        if kind != "risks":
            return [rows.from_row(cls, r) for r in found]
        mitigations = self._mitigations_by_risk(uuids=[r["uuid"] for r in found])
        return [rows.from_row(cls, r, mitigations.get(r["uuid"], [])) for r in found]

    def get(self, kind: str, ref: str) -> Any | None:
        found = list(self.db[kind].rows_where("ref = ?", [ref]))
        if not found:
            return None
        mitigations = self._mitigations_by_risk(found[0]["uuid"]) if kind == "risks" else {}
        return rows.from_row(rows.record_type(kind), found[0],
                             mitigations.get(found[0]["uuid"], []))

    def count(self, kind: str) -> int:
        return self.db[kind].count

    def _mitigations_by_risk(self, risk_uuid: str | None = None,
                             uuids: Sequence[str] | None = None) -> dict[str, list[Mitigation]]:
        """Mitigations by risk uuid: of one risk, of the risks in `uuids`, or of every risk."""
        queries: list[tuple[str | None, list[str] | None]] = [(None, None)]
        if risk_uuid:
            queries = [("risk_uuid = ?", [risk_uuid])]
        elif uuids is not None:
            wanted = list(uuids)
            queries = [(f"risk_uuid in ({', '.join('?' for _ in chunk)})", chunk)
                       for chunk in (wanted[n:n + _CHUNK] for n in range(0, len(wanted), _CHUNK))]
        out: dict[str, list[Mitigation]] = {}
        for where, args in queries:
            for r in self.db["mitigations"].rows_where(where, args,
                                                        order_by="risk_uuid, position"):
                out.setdefault(r["risk_uuid"], []).append(Mitigation(
                    description=r["description"], owner=r["owner"] or "",
                    due=rows.board_date_from(r, "due"), status=r["status"] or "open"))
        return out

    def workstreams(self) -> list[Workstream]:
        return [Workstream(r["name"], r["lead"] or "", r["description"] or "", r["uuid"])
                for r in self.db["workstreams"].rows_where(order_by="name")]

    def events(self) -> list[EngagementEvent]:
        return [EngagementEvent(name=r["name"], route=r["route"] or "",
                                date=rows.board_date_from(r, "date"), place=r["place"] or "",
                                attendance=r["attendance"], organisations=r["organisations"] or "",
                                uuid=r["uuid"])
                for r in self.db["events"].rows_where(order_by="date_from, name")]

    def score_history(self, risk_uuid: str) -> list[dict[str, Any]]:
        return list(self.db["risk_scores"].rows_where("risk_uuid = ?", [risk_uuid],
                                                      order_by="at, id"))

    def scores_by_risk(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for r in self.db.query("select risk_uuid, score from risk_scores order by at, id"):
            out.setdefault(r["risk_uuid"], []).append(r["score"])
        return out

    def history(self, kind: str | None = None, since: str | None = None) -> list[dict[str, Any]]:
        clauses, args = [], []
        if kind:
            clauses.append("kind = ?")
            args.append(kind)
        if since:
            clauses.append("at >= ?")
            args.append(since)
        return list(self.db["audit"].rows_where(" and ".join(clauses) or None, args,
                                                order_by="id"))

    def next_ref(self, kind: str, taken: Iterable[str] = ()) -> str:
        prefix = REF_PREFIX[kind]
        used = {r["ref"] for r in self.db.query(f"select ref from [{kind}]")} | set(taken)
        n = 1
        for ref in used:
            head, _, tail = ref.partition("-")
            if head == prefix and tail.isdigit():
                n = max(n, int(tail) + 1)
        while f"{prefix}-{n:03d}" in used:
            n += 1
        return f"{prefix}-{n:03d}"

    # --- writing -------------------------------------------------------------------------------

    def plan(self, kind: str, records: Sequence[Any]) -> list[Change]:
        """What `save` would do, without writing: for dry runs and summaries."""
        existing = self._rows_by_ref(kind, [r.ref for r in records])
        mitigations = (self._mitigations_by_risk(uuids=[r["uuid"] for r in existing.values()])
                       if kind == "risks" and existing else {})
        changes = []
        for record in records:
            old = existing.get(record.ref)
            if old is None:
                changes.append(Change(kind, record.ref, "new"))
                continue
            diff = self._diff(kind, old, record, mitigations.get(old["uuid"], []))
            changes.append(Change(kind, record.ref, "updated" if diff else "unchanged", diff))
        return changes

    def _rows_by_ref(self, kind: str, refs: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The stored rows for these refs only: one edit in the app reads one row, not the
        whole table (the unique ref index makes each chunk a handful of lookups)."""
        found: dict[str, dict[str, Any]] = {}
        wanted = list(dict.fromkeys(refs))
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start:start + _CHUNK]
            marks = ", ".join("?" for _ in chunk)
            found.update((r["ref"], r) for r in self.db[kind].rows_where(f"ref in ({marks})", chunk))
        return found

    def _diff(self, kind: str, old: dict[str, Any], record: Any,
              old_mitigations: list[Mitigation]) -> dict[str, tuple[Any, Any]]:
        new = rows.to_row(record)
        diff = {}
        for column, value in new.items():
            if column in _STAMP_COLUMNS or column.endswith(("_from", "_to")):
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

    def save(self, kind: str, records: Sequence[Any], operation: str = "edit") -> list[Change]:
        """Insert or update records by ref, with audit rows, in one transaction. Rows are
        written in batches: a 5,000-row import is a handful of statements, not 20,000."""
        with self.transaction():
            changes = self.plan(kind, records)
            existing = self._rows_by_ref(kind, [r.ref for r in records])
            now = _now()
            record_rows, audit_rows, mitigation_rows, score_rows = [], [], [], []
            replaced_mitigations = []
            for record, change in zip(records, changes, strict=True):
                if change.outcome == "unchanged":
                    continue
                old = existing.get(record.ref)
                if old:
                    record.uuid = old["uuid"]
                record_rows.append(rows.to_row(record) | {
                    "updated": now, "updated_by": self.user,
                    "created": old["created"] if old else now})
                if change.outcome == "new":
                    audit_rows.append(self._audit_row(operation, kind, record.uuid, record.ref,
                                                      "", "", "created", now))
                for column, (before, after) in change.fields.items():
                    audit_rows.append(self._audit_row(operation, kind, record.uuid, record.ref,
                                                      column, before, after, now))
                if kind != "risks":
                    continue
                if change.outcome == "new" or "mitigations" in change.fields:
                    replaced_mitigations.append(record.uuid)
                    mitigation_rows.extend(
                        {"uuid": new_uuid(), "risk_uuid": record.uuid, "position": n,
                         "description": m.description, "owner": m.owner,
                         **_date_columns("due", m.due), "status": m.status}
                        for n, m in enumerate(record.mitigations, 1))
                moved = change.outcome == "new" or {"likelihood", "impact"} & change.fields.keys()
                if moved and record.current is not None:
                    score_rows.append({"risk_uuid": record.uuid, "at": now,
                                       "likelihood": record.current.likelihood,
                                       "impact": record.current.impact,
                                       "score": record.current.score, "user": self.user})
            if record_rows:
                self.db[kind].upsert_all(record_rows, pk="uuid")
            if replaced_mitigations:
                self.db.conn.executemany("delete from mitigations where risk_uuid = ?",
                                         [(u,) for u in replaced_mitigations])
            if mitigation_rows:
                self.db["mitigations"].insert_all(mitigation_rows, pk="uuid")
            if score_rows:
                self.db["risk_scores"].insert_all(score_rows, pk="id")
            if audit_rows:
                self.db["audit"].insert_all(audit_rows, pk="id")
            return changes

    def delete(self, kind: str, ref: str, operation: str = "delete") -> Removed:
        """Delete a record and what hangs off it (a risk's mitigations and score history).
        Returns every row removed, exactly as stored, for `restore` to put back."""
        with self.transaction():
            found = list(self.db[kind].rows_where("ref = ?", [ref]))
            if not found:
                raise RegisterError(f"there is no {kind[:-1]} {ref}")
            uuid = found[0]["uuid"]
            removed = Removed(kind, ref, found[0])
            if kind == "risks":
                for table in _RISK_CHILDREN:
                    removed.children[table] = list(self.db[table].rows_where("risk_uuid = ?",
                                                                             [uuid]))
                    self.db[table].delete_where("risk_uuid = ?", [uuid])
            self.db[kind].delete(uuid)
            self._audit(operation, kind, uuid, ref, "", "", "deleted")
            return removed

    def restore(self, removed: Removed, operation: str = "undo") -> None:
        """Put a deleted record back whole: the same uuid, stamps, mitigations and score
        history, audited as restored."""
        with self.transaction():
            if list(self.db[removed.kind].rows_where("ref = ?", [removed.ref])):
                raise RegisterError(f"cannot restore {removed.ref}: the register already holds "
                                    f"a {removed.kind[:-1]} with that ref")
            self.db[removed.kind].insert(removed.row, pk="uuid")
            for table, found in removed.children.items():
                if found:
                    self.db[table].insert_all(found, pk="id" if table == "risk_scores" else "uuid")
            self._audit(operation, removed.kind, removed.row["uuid"], removed.ref, "",
                        "deleted", "restored")

    def add_past_score(self, ref: str, reviewed: date, likelihood: int, impact: int) -> None:
        """A score from a review before the register existed (loading an old log's history),
        so trends start from real earlier reviews."""
        found = list(self.db.query("select uuid from risks where ref = ?", [ref]))
        if not found:
            raise RegisterError(f"there is no risk {ref}")
        with self.transaction():
            self.db["risk_scores"].insert(
                {"risk_uuid": found[0]["uuid"], "at": reviewed.isoformat(),
                 "likelihood": likelihood, "impact": impact, "score": likelihood * impact,
                 "user": self.user}, pk="id")

    def backdate(self, when: date) -> None:
        """Date every change recorded after `when` as made at noon on `when`: for a register
        built today to show a programme as it stood on a past date (the demo)."""
        stamp = datetime.combine(when, datetime.min.time().replace(hour=12),
                                 tzinfo=UTC).isoformat(timespec="seconds")
        with self.transaction():
            self.db.execute("update risk_scores set at = ? where at > ?", [stamp, stamp])
            self.db.execute("update audit set at = ? where at > ?", [stamp, stamp])
            for table in self.db.table_names():
                columns = self.db[table].columns_dict
                for column in ("created", "updated"):
                    if column in columns and not table.endswith("_fts"):
                        self.db.execute(f"update [{table}] set [{column}] = ? where [{column}] > ?",
                                        [stamp, stamp])

    def save_workstream(self, workstream: Workstream) -> None:
        self._save_named("workstreams", dataclasses.asdict(workstream))

    def save_event(self, event: EngagementEvent) -> None:
        row = {k: v for k, v in dataclasses.asdict(event).items() if k != "date"}
        self._save_named("events", row | _date_columns("date", event.date))

    def update_event(self, name: str, event: EngagementEvent, operation: str = "edit") -> None:
        """Change the event called `name` to `event` (its uuid kept), audited. A new name is
        carried to every feedback item that names the event, in the same transaction."""
        with self.transaction():
            found = list(self.db["events"].rows_where("name = ?", [name]))
            if not found:
                raise RegisterError(f"there is no engagement event called {name!r}")
            if event.name != name and list(self.db["events"].rows_where("name = ?", [event.name])):
                raise RegisterError(f"there is already an engagement event called {event.name!r}")
            old = found[0]
            row = {k: v for k, v in dataclasses.asdict(event).items() if k != "date"}
            row = row | _date_columns("date", event.date) | {"uuid": old["uuid"]}
            changed = {k: v for k, v in row.items()
                       if k not in _STAMP_COLUMNS and (old.get(k) or None) != (v or None)}
            if not changed:
                return
            now = _now()
            for column, value in changed.items():
                self._audit(operation, "events", old["uuid"], event.name, column, old.get(column),
                            value)
            self.db["events"].update(old["uuid"], changed | {"updated": now,
                                                             "updated_by": self.user})
            if event.name != name:
                for item in self.db["feedback"].rows_where("event = ?", [name],
                                                           select="uuid, ref"):
                    self._audit(operation, "feedback", item["uuid"], item["ref"], "event", name,
                                event.name)
                self.db.execute("update feedback set event = ?, updated = ?, updated_by = ? "
                                "where event = ?", [event.name, now, self.user, name])

    def delete_event(self, name: str, operation: str = "delete") -> None:
        """Remove an engagement event no feedback names (undoing a new event), audited."""
        with self.transaction():
            found = list(self.db["events"].rows_where("name = ?", [name]))
            if not found:
                raise RegisterError(f"there is no engagement event called {name!r}")
            if self.db["feedback"].count_where("event = ?", [name]):
                raise RegisterError(f"the engagement event {name!r} still has feedback; "
                                    "move or delete its comments first")
            self.db["events"].delete(found[0]["uuid"])
            self._audit(operation, "events", found[0]["uuid"], name, "", "", "deleted")

    def _save_named(self, table: str, row: dict[str, Any]) -> None:
        with self.transaction():
            found = list(self.db[table].rows_where("name = ?", [row["name"]]))
            now = _now()
            if found:
                row["uuid"] = found[0]["uuid"]
                old = found[0]
                changed = {k: v for k, v in row.items()
                           if k not in _STAMP_COLUMNS and (old.get(k) or None) != (v or None)}
                if not changed:
                    return
                for column, value in changed.items():
                    self._audit("edit", table, row["uuid"], row["name"], column, old.get(column),
                                value)
                self.db[table].update(row["uuid"], changed | {"updated": now,
                                                              "updated_by": self.user})
            else:
                self.db[table].insert(row | {"created": now, "updated": now,
                                             "updated_by": self.user}, pk="uuid")
                self._audit("edit", table, row["uuid"], row["name"], "", "", "created")

    def _audit(self, operation: str, kind: str, uuid: str, ref: str, column: str,
               old: Any, new: Any) -> None:
        self.db["audit"].insert(self._audit_row(operation, kind, uuid, ref, column, old, new,
                                                _now()), pk="id")

    def _audit_row(self, operation: str, kind: str, uuid: str, ref: str, column: str,
                   old: Any, new: Any, at: str) -> dict[str, Any]:
        return {"at": at, "user": self.user, "operation": operation, "kind": kind,
                "uuid": uuid, "ref": ref, "field": column,
                "old": None if old is None else str(old), "new": None if new is None else str(new)}


def _read_only(path: Path) -> bool:
    # The write bits count too: an administrator may bypass them, but the user set them.
    writable_bits = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    return not os.access(path, os.W_OK) or not path.stat().st_mode & writable_bits


def _date_columns(name: str, value: BoardDate | None) -> dict[str, Any]:
    return {name: value.text if value else None,
            f"{name}_from": value.earliest.isoformat() if value else None,
            f"{name}_to": value.latest.isoformat() if value else None}


def _mitigation_text(items: Sequence[Mitigation]) -> str:
    """One line per mitigation; its owner, due date and status only when set, so a log
    imported again without them reads as unchanged, and an edit to any of them is audited."""
    return "\n".join(m.description + "".join(
        f"; {label} {value}" for label, value in (("owner", m.owner),
                                                  ("due", m.due.text if m.due else ""),
                                                  ("status", "" if m.status == "open" else m.status))
        if value) for m in items)


class _Connection(sqlite3.Connection):
    _ooh_readonly = False


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                               timeout=LOCK_WAIT_SECONDS, isolation_level=None,
                               factory=_Connection, check_same_thread=False)
        conn._ooh_readonly = True
    else:
        conn = sqlite3.connect(path, timeout=LOCK_WAIT_SECONDS, isolation_level=None,
                               factory=_Connection, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {int(LOCK_WAIT_SECONDS * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    if not readonly and not str(path).startswith(("\\\\", "//")):
        # WAL lets the app read while a long import writes. SQLite keeps the old journal
        # mode where WAL cannot work (some network and virtual file systems): that is the
        # fallback, and registers on network shares (UNC paths) never try it.
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
    conn.execute("PRAGMA synchronous = NORMAL" if not readonly else "PRAGMA query_only = ON")
    return conn


def _explain(exc: sqlite3.Error, path: Path) -> RegisterError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return RegisterInUse(f"the register {path} is in use by another program; "
                             "try again in a moment")
    if "not a database" in text or "malformed" in text or "encrypted" in text:
        return NotARegister(f"{path} is not an OOH Desk register, or it is damaged "
                            "(SQLite cannot read it)")
    if "readonly" in text or "read-only" in text:
        return RegisterError(f"{path} is read-only; copy it somewhere you can write to")
    if "unable to open" in text:
        return RegisterError(f"{path} cannot be opened (check the file and its folder)")
    return RegisterError(f"{path}: {exc}")
