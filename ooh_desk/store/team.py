"""The team register on PostgreSQL (docs/team-server.md): every SQL statement the team server
sees lives here — its schema, generated from the register's own SQLite schema, row-level
security, grants, and reading and writing rows and changes. psycopg is imported only by the
functions that talk to a server, never at start. Imports no Qt."""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from ..domain.merge import LIST_FIELDS, REF_TABLES, TABLE_ORDER
from ..errors import UserFacing
from .meetings import WITHHELD_SQL
from .register import Register
from .schema import MIGRATIONS, SCHEMA_VERSION

if TYPE_CHECKING:
    import psycopg

# The child tables of each kind of record (the lists a record's field stands for).
CHILD_TABLES = tuple(dict.fromkeys(child for child, _parent in LIST_FIELDS.values()))
# Append-only history kept beside the records.
APPENDS = ("risk_scores", "reports_issued")
RECORD_TABLES = (*TABLE_ORDER, *CHILD_TABLES, *APPENDS)
# Tables that can hold exempt business: a row there carries `_exempt`, and only the officer
# group (or the schema's owner) sees such a row.
EXEMPT_TABLES = ("agenda_items", "decisions", "documents", "declarations", "papers", "changes")
# Unique columns not kept on the server: worked out again on each laptop after a merge, so a
# member who cannot see exempt items numbers them differently.
DERIVED_UNIQUE = {("decisions", "ref")}
# risk_scores' rows differ between copies only by their integer ids: the server keys them by
# what they say.
SCORE_KEY = ("risk_uuid", "at", "likelihood", "impact", "score", "user")
CHANGE_COLUMNS = ("at", "user", "operation", "kind", "uuid", "ref", "field", "old", "new",
                  "change_id")
LEVELS = ("read", "edit", "officer")
_TYPES = {"TEXT": "text", "INTEGER": "bigint", "BLOB": "bytea", "REAL": "double precision",
          "FLOAT": "double precision", "": "text"}
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,47}")
_CHUNK = 1000


class TeamError(UserFacing):
    """A team server that cannot be reached, refuses the login, or holds something this
    version cannot use; the message is one line and never carries a password."""


class LoginRefused(TeamError):
    """The server wants a password it was not given, or refused the one it was."""


# --- URLs, connecting, and errors without passwords ---------------------------------------------


def without_password(url: str) -> str:
    """The URL with any password taken out (of the user part and of a ?password= option)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        who, _, where = netloc.rpartition("@")
        netloc = f"{who.split(':', 1)[0]}@{where}"
    query = "&".join(f"{k}={v}" for k, v in parse_qsl(parts.query, keep_blank_values=True)
                     if k != "password")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def where(url: str) -> str:
    """host:port as a user reads it (a socket folder given with ?host= counts as the host)."""
    parts = urlsplit(url)
    options = dict(parse_qsl(parts.query))
    host = parts.hostname or options.get("host") or "localhost"
    port = parts.port or options.get("port") or 5432
    return f"{host}:{port}"


def user_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.username or dict(parse_qsl(parts.query)).get("user") or ""


def check_url(url: str) -> str:
    text = (url or "").strip()
    if not re.match(r"postgres(ql)?://", text):
        raise TeamError(f"{without_password(text) or 'the server'} is not a PostgreSQL URL; "
                        "write it as postgresql://user@host:5432/database")
    return text


def redact(message: str, url: str, password: str | None = None) -> str:
    """One line about the server, with no password in it, however the driver put it."""
    secrets = [p for p in (password, urlsplit(url).password,
                           dict(parse_qsl(urlsplit(url).query)).get("password")) if p]
    text = " ".join(str(message).split())
    for secret in secrets:
        text = text.replace(secret, "********")
    return text


def explain(exc: BaseException, url: str, password: str | None = None) -> TeamError:
    """A driver error as the one line a user reads (every server error passes through)."""
    raw = redact((str(exc).strip().splitlines() or [""])[0], url, password)
    lowered = raw.lower()
    if "password authentication failed" in lowered or "no password supplied" in lowered or \
            "authentication failed" in lowered or "role \"" in lowered and "does not exist" in \
            lowered and "connection" in lowered:
        return LoginRefused(f"the team server refused the login for user {user_of(url) or '(default)'}"
                         f" at {where(url)}; check the user name and password")
    if any(s in lowered for s in ("connection refused", "could not translate host",
                                  "timeout expired", "no route to host", "connection timed out",
                                  "no such file or directory", "name or service not known",
                                  "network is unreachable")):
        detail = raw.split(":", 1)[-1].strip()[:160]
        return TeamError(f"could not reach the team server at {where(url)} ({detail}); your "
                         "changes are kept here for the next sync")
    if "terminating connection" in lowered or "server closed the connection" in lowered or \
            "connection is lost" in lowered or "consuming input failed" in lowered or \
            "the connection is closed" in lowered:
        return TeamError(f"the connection to the team server at {where(url)} was lost before "
                         "the sync finished; nothing was changed there or here, and your "
                         "changes are kept for the next sync")
    if "permission denied" in lowered:
        return TeamError(f"the team server at {where(url)} refused: {raw[:200]}")
    return TeamError(f"the team server at {where(url)} said: {raw[:240]}")


def connect(url: str, password: str | None = None) -> psycopg.Connection:
    import psycopg

    url = check_url(url)
    try:
        return psycopg.connect(url, password=password, connect_timeout=10)
    except psycopg.Error as exc:
        raise explain(exc, url, password) from None


def valid_schema(name: str) -> str:
    text = (name or "").strip()
    if not _IDENTIFIER.fullmatch(text) or text.startswith("pg_"):
        raise TeamError(f"{text!r} cannot name a team register's schema: use lower-case letters, "
                        "digits and _ (up to 48), starting with a letter, such as ooh_programme")
    return text


def schema_slug(name: str) -> str:
    """A schema name from a programme's name or a file's stem: "Out of Hospital" ->
    out_of_hospital."""
    slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:48] or "register"
    return slug if slug[0].isalpha() else f"r_{slug}"[:48]


def valid_role(name: str) -> str:
    text = (name or "").strip()
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.@-]{0,62}", text):
        raise TeamError(f"{text!r} is not a PostgreSQL role name")
    return text


# --- the schema, generated from the register's own ------------------------------------------------


@functools.cache
def local_tables() -> dict[str, dict[str, Any]]:
    """Each record table as a fresh register holds it: its columns with their SQLite types,
    primary key and unique columns (found by running the migrations in memory, so the team
    schema never drifts from schema.py)."""
    conn = sqlite3.connect(":memory:")
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    for step in MIGRATIONS:
        step(db)
    out: dict[str, dict[str, Any]] = {}
    for table in RECORD_TABLES:
        info = conn.execute(f"PRAGMA table_info([{table}])").fetchall()
        columns = [(r[1], (r[2] or "").upper()) for r in info]
        pk = [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5]]
        uniques = []
        for index in conn.execute(f"PRAGMA index_list([{table}])").fetchall():
            if index[2] and index[3] == "c":
                cols = tuple(r[2] for r in conn.execute(f"PRAGMA index_info([{index[1]}])"))
                if not any((table, c) in DERIVED_UNIQUE for c in cols) and \
                        (table in REF_TABLES and cols == ("ref",)):
                    uniques.append(cols)
        out[table] = {"columns": columns, "pk": pk, "uniques": uniques}
    conn.close()
    return out


def columns_of(table: str) -> list[str]:
    return [name for name, _type in _server_columns(table)]


def _server_columns(table: str) -> list[tuple[str, str]]:
    spec = local_tables()[table]
    out = [(name, _TYPES.get(kind, "text")) for name, kind in spec["columns"]
           if not (table == "risk_scores" and name == "id")]
    return out


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def schema_ddl(schema: str) -> list[str]:
    """Every statement that makes a team register's schema: its tables, constraints, indexes,
    sequence and row-level security."""
    s = _q(schema)
    out = [f"create schema {s}"]
    for table in RECORD_TABLES:
        spec = local_tables()[table]
        cols = [f"{_q(n)} {t}" for n, t in _server_columns(table)]
        if table in EXEMPT_TABLES:
            cols.append('"_exempt" boolean not null default false')
        if table == "risk_scores":
            cols.append("unique nulls not distinct (" + ", ".join(map(_q, SCORE_KEY)) + ")")
        else:
            cols.append("primary key (" + ", ".join(map(_q, spec["pk"])) + ")")
        for n, unique in enumerate(spec["uniques"]):
            cols.append(f"constraint {_q(f'{table}_u{n}')} unique ("
                        + ", ".join(map(_q, unique)) + ") deferrable initially deferred")
        out.append(f"create table {s}.{_q(table)} ({', '.join(cols)})")
    for child, parent in LIST_FIELDS.values():
        out.append(f"create index on {s}.{_q(child)} ({_q(parent)})")
    out.append(f"create index on {s}.risk_scores (risk_uuid)")
    out.append(f"create sequence {s}.change_seq")
    out.append(f"create table {s}.changes (seq bigint primary key, change_id text not null unique, "
               + ", ".join(f"{_q(c)} text" for c in CHANGE_COLUMNS if c != "change_id")
               + ', "_exempt" boolean not null default false, pushed_by text, replica text)')
    out.append(f"create index on {s}.changes (kind, uuid)")
    out.append(f"create table {s}.team_meta (key text primary key, value text)")
    out.append(f"create table {s}.pushes (seq_from bigint, seq_to bigint not null, "
               "replica text, \"user\" text, at timestamptz not null default now())")
    officer = f"{schema}_officer".replace("'", "''")
    visible = ("not _exempt or exists (select 1 from pg_roles r where r.rolname = "
               f"'{officer}' and pg_has_role(current_user, r.oid, 'member'))")
    for table in EXEMPT_TABLES:
        out.append(f"alter table {s}.{_q(table)} enable row level security")
        out.append(f"create policy exempt_business on {s}.{_q(table)} for all "
                   f"using ({visible}) with check (true)")
    return out


# --- exempt business, as the local register decides it ----------------------------------------------


def exempt_records(reg: Register) -> dict[str, set[str]]:
    """The records that are exempt business now, per table: private agenda items not released,
    their decisions, declarations and documents, and exempt papers."""
    conn = reg.conn
    held = {t for (t,) in conn.execute("select name from sqlite_master where type = 'table'")}

    def uuids(sql: str) -> set[str]:
        return {r[0] for r in conn.execute(sql) if r[0]}

    withheld = f"select a.uuid from agenda_items a where {WITHHELD_SQL}"
    out = {"agenda_items": uuids(withheld),
           "decisions": uuids(f"select uuid from decisions where agenda_item_uuid in ({withheld})"),
           "documents": uuids(f"select a.document_uuid from agenda_items a where {WITHHELD_SQL}"),
           "papers": uuids("select uuid from papers where coalesce(exempt, 0) <> 0"),
           "declarations": set()}
    if "declarations" in held:
        out["declarations"] = uuids("select uuid from declarations where agenda_item_uuid in "
                                    f"({withheld})")
    return out


def is_exempt(exempt: dict[str, set[str]], kind: str, uuid: str) -> bool:
    return uuid in exempt.get(kind, ())


# --- reading and writing the server ---------------------------------------------------------------


class Server:
    """One open connection to a team register's schema, inside one server transaction."""

    def __init__(self, conn: psycopg.Connection, schema: str, url: str,
                 password: str | None = None) -> None:
        self.conn, self.schema, self.url, self.password = conn, schema, url, password
        self.s = _q(schema)

    def run(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> Any:
        return self.conn.execute(sql, params)

    def exists(self) -> bool:
        return bool(self.run("select 1 from pg_namespace where nspname = %s",
                             [self.schema]).fetchone())

    def create(self) -> None:
        for statement in schema_ddl(self.schema):
            self.run(statement)
        for level in LEVELS:  # the groups grant puts members in; made here when we may
            self._group(level, must=False)

    def lock(self) -> None:
        """Pushes (and the pulls beside them) one at a time, for this register."""
        self.run("select pg_advisory_xact_lock(hashtext(%s))", [f"ooh-desk:{self.schema}"])

    def meta(self) -> dict[str, str]:
        return dict(self.run(f"select key, value from {self.s}.team_meta").fetchall())

    def set_meta(self, values: dict[str, str]) -> None:
        for key, value in values.items():
            self.run(f"insert into {self.s}.team_meta values (%s, %s) on conflict (key) do "
                     "update set value = excluded.value", [key, value])

    def may_write(self) -> bool:
        return bool(self.run("select has_table_privilege(%s, 'insert')",
                             [f"{self.schema}.changes"]).fetchone()[0])

    def last_seq(self) -> int:
        return int(self.run(f"select coalesce(max(seq_to), 0) from {self.s}.pushes"
                            ).fetchone()[0])

    # --- reading

    def changes_after(self, seq: int) -> list[dict[str, Any]]:
        cols = ", ".join(_q(c) for c in CHANGE_COLUMNS)
        cur = self.run(f"select seq, {cols} from {self.s}.changes where seq > %s order by seq",
                       [seq])
        return [dict(zip(("seq", *CHANGE_COLUMNS), r, strict=True)) for r in cur]

    def known_changes(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(ids), _CHUNK):
            found |= {r[0] for r in self.run(
                f"select change_id from {self.s}.changes where change_id = any(%s)",
                [list(ids[start:start + _CHUNK])])}
        return found

    def rows(self, table: str, column: str | None = None, values: Iterable[str] = ()
             ) -> Iterator[dict[str, Any]]:
        cols = columns_of(table)
        names = ", ".join(_q(c) for c in cols)
        if column is None:
            cur = self.run(f"select {names} from {self.s}.{_q(table)}")
            yield from (dict(zip(cols, r, strict=True)) for r in cur)
            return
        wanted = list(values)
        for start in range(0, len(wanted), _CHUNK):
            cur = self.run(f"select {names} from {self.s}.{_q(table)} where {_q(column)} = any(%s)",
                           [wanted[start:start + _CHUNK]])
            yield from (dict(zip(cols, r, strict=True)) for r in cur)

    def refs(self, kind: str) -> dict[str, str]:
        """Every record's ref of one kind, as the server holds them (those this role sees)."""
        return dict(self.run(f"select uuid, ref from {self.s}.{_q(kind)} where ref is not null"
                             ).fetchall())

    # --- writing

    def copy_rows(self, table: str, rows: Iterable[dict[str, Any]],
                  exempt: Callable[[dict[str, Any]], bool] | None = None) -> int:
        """Many rows at once (COPY), for publishing a register whole."""
        cols = columns_of(table)
        types = dict(_server_columns(table))
        names = cols + (["_exempt"] if table in EXEMPT_TABLES else [])
        n = 0
        with self.conn.cursor() as cur, cur.copy(
                f"copy {self.s}.{_q(table)} ({', '.join(map(_q, names))}) from stdin") as copy:
            for row in rows:
                values = [_typed(row.get(c), types[c], table, c) for c in cols]
                if table in EXEMPT_TABLES:
                    values.append(bool(exempt and exempt(row)))
                copy.write_row(values)
                n += 1
        return n

    def upsert(self, table: str, rows: list[dict[str, Any]], exempt: Sequence[bool] = ()) -> None:
        if not rows:
            return
        cols = columns_of(table)
        types = dict(_server_columns(table))
        names = cols + (["_exempt"] if table in EXEMPT_TABLES else [])
        sets = ", ".join(f"{_q(c)} = excluded.{_q(c)}" for c in names if c != "uuid")
        sql = (f"insert into {self.s}.{_q(table)} ({', '.join(map(_q, names))}) values "
               f"({', '.join('%s' for _ in names)}) on conflict (uuid) do update set {sets}")
        params = []
        for n, row in enumerate(rows):
            values = [_typed(row.get(c), types[c], table, c) for c in cols]
            if table in EXEMPT_TABLES:
                values.append(bool(exempt[n]) if n < len(exempt) else False)
            params.append(values)
        with self.conn.cursor() as cur:
            cur.executemany(sql, params)

    def insert_new(self, table: str, rows: list[dict[str, Any]], key: Sequence[str]) -> None:
        """Append-only rows: those the server lacks (by `key`), each once."""
        if not rows:
            return
        cols = columns_of(table)
        types = dict(_server_columns(table))
        sql = (f"insert into {self.s}.{_q(table)} ({', '.join(map(_q, cols))}) values "
               f"({', '.join('%s' for _ in cols)}) on conflict ({', '.join(map(_q, key))}) "
               "do nothing")
        with self.conn.cursor() as cur:
            cur.executemany(sql, [[_typed(r.get(c), types[c], table, c) for c in cols]
                                  for r in rows])

    def delete(self, table: str, column: str, values: Sequence[str]) -> None:
        if values:
            self.run(f"delete from {self.s}.{_q(table)} where {_q(column)} = any(%s)",
                     [list(values)])

    def add_changes(self, rows: list[dict[str, Any]], exempt: Sequence[bool], pushed_by: str,
                    replica: str) -> tuple[int, int]:
        """The changes, each given the next number of the register's sequence inside this
        transaction; one already there (a push repeated after a crash) is left as it was.
        Returns the first and last number taken."""
        if not rows:
            return 0, 0
        cols = ", ".join(_q(c) for c in CHANGE_COLUMNS)
        sql = (f"insert into {self.s}.changes (seq, {cols}, _exempt, pushed_by, replica) "
               f"values (nextval('{self.schema}.change_seq'), "
               f"{', '.join('%s' for _ in CHANGE_COLUMNS)}, %s, %s, %s) "
               "on conflict (change_id) do nothing")
        first = int(self.run(f"select nextval('{self.schema}.change_seq')").fetchone()[0])
        with self.conn.cursor() as cur:
            cur.executemany(sql, [[*(r.get(c) for c in CHANGE_COLUMNS), bool(exempt[n]),
                                   pushed_by, replica] for n, r in enumerate(rows)])
        last = int(self.run(f"select last_value from {self.s}.change_seq").fetchone()[0])
        return first, last

    def copy_changes(self, rows: Iterable[dict[str, Any]],
                     exempt: Callable[[dict[str, Any]], bool], pushed_by: str,
                     replica: str) -> int:
        """A whole history at once (publishing): numbered in order from 1."""
        names = ["seq", *CHANGE_COLUMNS, "_exempt", "pushed_by", "replica"]
        n = 0
        with self.conn.cursor() as cur, cur.copy(
                f"copy {self.s}.changes ({', '.join(map(_q, names))}) from stdin") as copy:
            for row in rows:
                n += 1
                copy.write_row([n, *(row.get(c) for c in CHANGE_COLUMNS), exempt(row),
                                pushed_by, replica])
        if n:
            self.run(f"select setval('{self.schema}.change_seq', %s)", [n])
        return n

    def refresh_exempt(self, exempt: dict[str, set[str]]) -> None:
        """Every row's and change's `_exempt` as the pushing register decides it now: a record
        that has become exempt business takes its history with it, and one released brings
        it back. Rows this role cannot see are out of its reach (row-level security)."""
        for table in EXEMPT_TABLES:
            if table == "changes":
                continue
            found = sorted(exempt.get(table, ()))
            self.run(f"update {self.s}.{_q(table)} set _exempt = (uuid = any(%s)) "
                     "where _exempt <> (uuid = any(%s))", [found, found])
            self.run(f"update {self.s}.changes set _exempt = (uuid = any(%s)) "
                     "where kind = %s and _exempt <> (uuid = any(%s))", [found, table, found])

    def record_push(self, first: int, last: int, replica: str, user: str) -> None:
        self.run(f"insert into {self.s}.pushes (seq_from, seq_to, replica, \"user\") "
                 "values (%s, %s, %s, %s)", [first or None, last, replica, user])

    # --- roles

    def group(self, level: str) -> str:
        return self._group(level, must=True)

    def _group(self, level: str, must: bool) -> str:
        """`<schema>_read`, `_edit` or `_officer`, made on first use (roles belong to the
        whole server, so one may be there already) and given its rights on this schema:
        edit holds read's; officer holds edit's and sees exempt business."""
        name = f"{self.schema}_{level}"
        if not self.run("select 1 from pg_roles where rolname = %s", [name]).fetchone():
            if not must and not self.run("select rolcreaterole or rolsuper from pg_roles where "
                                         "rolname = current_user").fetchone()[0]:
                return name
            self.run(f"create role {_q(name)} nologin")
        if level != "read":
            self._group(LEVELS[LEVELS.index(level) - 1], must)
        s = self.s
        if level == "read":
            self.run(f"grant usage on schema {s} to {_q(name)}")
            self.run(f"grant select on all tables in schema {s} to {_q(name)}")
        elif level == "edit":
            self.run(f"grant {_q(f'{self.schema}_read')} to {_q(name)}")
            self.run(f"grant insert, update, delete on all tables in schema {s} to {_q(name)}")
            self.run(f"grant usage, select, update on sequence {s}.change_seq to {_q(name)}")
        else:
            self.run(f"grant {_q(f'{self.schema}_edit')} to {_q(name)}")
        return name

    def grant(self, role: str, level: str) -> str:
        if not self.run("select 1 from pg_roles where rolname = %s", [role]).fetchone():
            raise TeamError(f"there is no role {role} on the team server at {where(self.url)}; "
                            "your IT department makes login roles (docs/team-server.md)")
        group = self.group(level)
        for other in LEVELS:  # one level at a time: granting read takes away edit
            if other != level:
                self.run(f"revoke {_q(f'{self.schema}_{other}')} from {_q(role)}") \
                    if self.run("select 1 from pg_roles where rolname = %s",
                                [f"{self.schema}_{other}"]).fetchone() else None
        self.run(f"grant {_q(group)} to {_q(role)}")
        return group


def _typed(value: Any, kind: str, table: str, column: str) -> Any:
    """A SQLite value as the server's column takes it (SQLite lets a column hold any type)."""
    if value is None:
        return None
    if kind == "text":
        return value if isinstance(value, str) else (
            value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value))
    if kind == "bigint":
        if isinstance(value, bool | int):
            return int(value)
        try:
            return int(str(value).strip())
        except ValueError:
            raise TeamError(f"{table}.{column} holds {str(value)[:40]!r} where a whole number "
                            "belongs, so the team register cannot take it; correct it and sync "
                            "again") from None
    if kind == "double precision":
        return float(value)
    return value


def version_problem(meta: dict[str, str], url: str) -> str | None:
    found = int(meta.get("version", "0") or 0)
    if found > SCHEMA_VERSION:
        return (f"the team register on the server at {where(url)} is newer than this OOH Desk "
                f"(register version {found}; this version reads up to {SCHEMA_VERSION}); update "
                "OOH Desk to sync with it")
    if found < SCHEMA_VERSION:
        return (f"the team register on the server at {where(url)} was made by an older OOH Desk "
                f"(register version {found}; this one writes {SCHEMA_VERSION}); it cannot be "
                "synced until it is published again from an upgraded register")
    return None
