"""Open, create, migrate, back up and lock a register file, and run its transactions.

Every user action runs in one transaction (`Register.transaction`), so it lands whole or
not at all; every change to a record is written to the audit table in that same transaction.
The records themselves are read and written by the modules beside this one (records,
programme, history, papers, meetings, issues), each a set of functions taking the register.
"""

from __future__ import annotations

import contextlib
import dataclasses
import getpass
import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from ..domain.records import Programme
from ..domain.scoring import Band
from ..errors import UserFacing, atomic_output
from .schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

SUFFIX = ".oohdesk"
# How long a second writer waits for the first before being told the register is in use.
LOCK_WAIT_SECONDS = 3.0


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

    # --- the audit trail, written by every store module ------------------------------------

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
