"""Open, create, migrate, back up and lock a register file, and run its transactions.

Every user action runs in one transaction (`Register.transaction`), so it lands whole or
not at all; every change to a record is written to the audit table in that same transaction.
The records themselves are read and written by the modules beside this one (records,
programme, history, papers, meetings, issues), each a set of functions taking the register.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import getpass
import json
import os
import re
import sqlite3
import stat
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain.records import Programme
from ..domain.scoring import Band
from ..errors import UserFacing, atomic_output
from .schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

if TYPE_CHECKING:
    import sqlite_utils

SUFFIX = ".oohdesk"
SQLITE_HEADER = b"SQLite format 3\x00"
# The name `Register._backup` gives the copy it takes before an upgrade.
BACKUP_NAME = re.compile(r"\.v\d+-backup-.*\.oohdesk$", re.IGNORECASE)


def is_register_file(path: str | os.PathLike) -> bool:
    """An existing OOH Desk register, known by its header (the SQLite header, and the
    application id at byte 68) without opening it as a database."""
    if not os.path.isfile(path):
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(72)
    except OSError:
        return False
    return (head.startswith(SQLITE_HEADER) and len(head) == 72
            and int.from_bytes(head[68:72], "big") == APPLICATION_ID)
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
        self.conn = conn
        # As sqlite-utils sets it, so a register behaves the same before `db` is first used.
        conn.execute("PRAGMA recursive_triggers = on")
        self.user = user
        self.backup_path: Path | None = None

    @functools.cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the register's own connection, for writes, migrations and the
        rest. Made on first use: importing sqlite-utils (click, pluggy, dateutil) costs a
        sixth of the app's start, and opening a register and drawing its dashboard need only
        plain SQL (`query`)."""
        import sqlite_utils

        # No sqlite-utils plugins: a register reads the same on every machine, and finding
        # them scans every installed package (a tenth of a second at each start).
        return sqlite_utils.Database(self.conn, execute_plugins=False)

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
              ) -> Iterator[dict[str, Any]]:
        """The rows a SELECT finds, each as a dict of column to value (as sqlite-utils'
        `db.query` gives them), with no sqlite-utils import."""
        cursor = self.conn.execute(sql, params)
        keys = [d[0] for d in cursor.description]
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    def columns(self, table: str) -> set[str]:
        """The names of a table's columns (none for a table the register lacks)."""
        return {row[1] for row in self.conn.execute(f"pragma table_info([{table}])")}

    def has_table(self, name: str) -> bool:
        return self.conn.execute("select 1 from sqlite_master where name = ?",
                                 [name]).fetchone() is not None

    # --- opening -------------------------------------------------------------------------

    @classmethod
    def create(cls, path: str | os.PathLike, programme: Programme | None = None,
               user: str | None = None) -> Register:
        path = Path(path)
        if path.exists():
            raise RegisterError(f"{path} already exists; choose a new file name")
        if not path.parent.exists():
            raise RegisterError(f"the folder {path.parent} does not exist")
        if _read_only(path.parent):
            raise RegisterError(f"the folder {path.parent} is read-only; make the register in "
                                "a folder you can write to")
        try:
            conn = _connect(path, readonly=False)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        except sqlite3.Error as exc:
            raise _explain(exc, path) from None
        reg = cls(path, conn, user or current_user())
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
            raise RegisterError(f"the folder {path} is not a register file; choose the .oohdesk file in it")
        if path.stat().st_size == 0:  # SQLite would take it for a new database, and fill it
            raise NotARegister(f"{path} is empty (0 bytes); it is not a register: open the "
                               "register itself, or make a new one")
        if not readonly and _read_only(path):
            raise RegisterError(f"{path} is read-only; copy it somewhere you can write to, "
                                "or change its permissions")
        if not readonly and _read_only(path.parent):
            raise RegisterError(_folder_read_only(path))
        try:
            try:
                conn, app_id, version = _first_look(path, readonly)
            except sqlite3.OperationalError as exc:
                if not (readonly and _interrupted(exc) and not _read_only(path)
                        and not _read_only(path.parent)):
                    raise
                # A writer stopped part way through saving (a crash, a power cut) and left its
                # journal: only a connection that may write can put the register back as it
                # was before that save, as SQLite does on the next writable open anyway.
                _first_look(path, readonly=False)[0].close()
                conn, app_id, version = _first_look(path, readonly)
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
        if version < SCHEMA_VERSION and (found := _schema_version(conn)) > version:
            conn.close()
            # The number is the only record of which steps ran: an upgrade from it would run
            # steps again over their own tables, so the file is left exactly as it is.
            raise RegisterError(f"{path} says it is register version {version} but holds "
                                f"tables of version {found}; it may have been edited by another "
                                "tool, so OOH Desk has not changed it: open a backup copy, or "
                                f"set its user_version back to {found} with that tool")
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
                    self.conn.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")
                copy.close()
        except (OSError, sqlite3.Error) as exc:
            raise RegisterError(f"the copy {target} was not saved: {exc}") from None
        return target

    def _migrate(self, from_version: int) -> None:
        with self.transaction():
            for number, step in enumerate(MIGRATIONS[from_version:], start=from_version + 1):
                step(self.db)
                self.conn.execute(f"PRAGMA user_version = {number}")

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            # Back to a single self-contained file once the last writer leaves.
            if not self._readonly:
                self.conn.execute("PRAGMA journal_mode = DELETE")
        self.conn.close()

    @property
    def _readonly(self) -> bool:
        return bool(getattr(self.conn, "_ooh_readonly", False))

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions ------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Register]:
        """One user action: everything inside lands together or not at all."""
        conn = self.conn
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
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError) and _about_the_file(exc):
                raise _explain(exc, self.path) from None  # read-only, in use, disk full
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
        found = list(self.query("select value from meta where key = 'programme'"))
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
        from uuid import uuid4  # on the first write, not at start (tests/test_start_fast_4.py)

        return {"at": at, "user": self.user, "operation": operation, "kind": kind,
                "uuid": uuid, "ref": ref, "field": column,
                "old": None if old is None else str(old), "new": None if new is None else str(new),
                # A change's own name, which every copy of the register knows it by (merge).
                "change_id": uuid4().hex}


def _read_only(path: Path) -> bool:
    """A file or folder the user cannot, or chose not to, write to. The write bits count too:
    an administrator may bypass them, but the user set them."""
    writable_bits = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    if os.name == "nt" and path.is_dir():
        # Windows' read-only attribute on a folder customises it in Explorer and stops no
        # write; SQLite's own error names the folder when one really is read-only.
        return False
    try:
        return not os.access(path, os.W_OK) or not path.stat().st_mode & writable_bits
    except OSError:
        return False


def _folder_read_only(path: Path) -> str:
    return (f"the folder {path.parent} is read-only, so the register {path.name} cannot be "
            "changed there (SQLite writes a journal file beside it); copy the register to a "
            "folder you can write to, or change the folder's permissions")


@functools.cache
def _made_by_version() -> dict[tuple[str, ...], int]:
    """Each table, column and index the migrations make, with the version that makes it:
    found by running them on an empty database in memory, so it never drifts from schema.py."""
    import sqlite_utils

    db = sqlite_utils.Database(memory=True)
    made: dict[tuple[str, ...], int] = {}
    for number, step in enumerate(MIGRATIONS, start=1):
        step(db)
        for feature in _schema_features(db.conn):
            made.setdefault(feature, number)
    db.close()
    return made


def _schema_features(conn: sqlite3.Connection) -> set[tuple[str, ...]]:
    features: set[tuple[str, ...]] = set()
    for kind, name in conn.execute("select type, name from sqlite_master "
                                   "where type in ('table', 'index')").fetchall():
        features.add((kind, name))
        if kind == "table":
            features.update(("column", name, column) for (column,) in conn.execute(
                "select name from pragma_table_info(?)", (name,)).fetchall())
    return features


def _schema_version(conn: sqlite3.Connection) -> int:
    """The latest schema version whose tables, columns or indexes the file holds."""
    held = _schema_features(conn)
    return max((v for feature, v in _made_by_version().items() if feature in held), default=0)


class _Connection(sqlite3.Connection):
    _ooh_readonly = False


def _first_look(path: Path, readonly: bool) -> tuple[sqlite3.Connection, int, int]:
    """A connection to the file, with its application id and schema version."""
    conn = _connect(path, readonly=readonly)
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except BaseException:
        conn.close()
        raise
    return conn, app_id, version


def _interrupted(exc: sqlite3.Error) -> bool:
    """SQLite found the journal of a save that never finished, which a reader cannot undo."""
    return getattr(exc, "sqlite_errorname", "") == "SQLITE_READONLY_ROLLBACK"


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
    if not readonly:
        # The rollback journal, not WAL: once a user action commits it is in the .oohdesk
        # itself, so the one file is whole to copy or email while the app holds it open (in
        # WAL mode saved edits wait in a -wal file beside it), and opening a register changes
        # none of its bytes until something is written. A register an older OOH Desk holds
        # open in WAL mode stays in it until that one closes.
        try:
            conn.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
        # A long import keeps its pages in memory until it commits, so the app (and the
        # outputs' own connections) read on meanwhile instead of waiting for it.
        conn.execute("PRAGMA cache_spill = OFF")
    conn.execute("PRAGMA synchronous = FULL" if not readonly else "PRAGMA query_only = ON")
    return conn


# SQLite's errors about the file and where it lives, not about OOH Desk's own SQL.
_FILE_ERRORS = ("SQLITE_READONLY", "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN",
                "SQLITE_FULL", "SQLITE_IOERR", "SQLITE_PERM")


def _about_the_file(exc: sqlite3.Error) -> bool:
    return str(getattr(exc, "sqlite_errorname", "")).startswith(_FILE_ERRORS)


def _explain(exc: sqlite3.Error, path: Path) -> RegisterError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return RegisterInUse(f"the register {path} is in use by another program; "
                             "try again in a moment")
    if "not a database" in text or "malformed" in text or "encrypted" in text:
        return NotARegister(f"{path} is not an OOH Desk register, or it is damaged "
                            "(SQLite cannot read it)")
    if _interrupted(exc):
        return RegisterError(f"{path} was left part-saved by a program that stopped while "
                             "saving it; open it once where it can be changed, so SQLite can "
                             "put it back as it was before that save")
    # SQLite cannot make its journal beside the register: the folder, not the file.
    if getattr(exc, "sqlite_errorname", "") == "SQLITE_READONLY_DIRECTORY" or (
            any(w in text for w in ("readonly", "read-only", "unable to open"))
            and _read_only(path.parent) and not _read_only(path)):
        return RegisterError(_folder_read_only(path))
    if "readonly" in text or "read-only" in text:
        return RegisterError(f"{path} is read-only; copy it somewhere you can write to")
    if "unable to open" in text:
        return RegisterError(f"{path} cannot be opened (check the file and its folder)")
    return RegisterError(f"{path}: {exc}")
