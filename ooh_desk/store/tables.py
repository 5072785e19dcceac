"""The register table by table, as stored: every row of every table with its uuid, stamps and
ids, for the whole-register JSON export and for loading one into an empty register. Which
tables and columns there are, their keys, unique indexes and foreign keys are read from the
register itself, never listed here. The full-text indexes are left out: SQLite's triggers
rebuild them as rows go in. Imports no Qt."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .register import Register, RegisterError

# The register's header: the programme lives in `meta`, and making a register writes its
# first audit rows. A register holding nothing else is empty.
HEADER_TABLES = ("meta", "audit")


@dataclass(frozen=True)
class Table:
    """One table as the register defines it."""

    name: str
    columns: dict[str, type]  # name -> str, int, float or bytes
    key: tuple[str, ...]  # the primary key's columns
    unique: tuple[tuple[str, ...], ...]  # every unique index's columns, the key's included
    references: tuple[tuple[str, str, str], ...]  # (column, other table, other column)


class ItemRefused(RegisterError):
    """SQLite would not take one row: `table` and `number` (1-based, in the order given)
    name it."""

    def __init__(self, table: str, number: int, message: str) -> None:
        super().__init__(message)
        self.table = table
        self.number = number


def tables(reg: Register) -> list[Table]:
    """Every table that holds the register's data, in the order they were made (a table is
    made after those it refers to), full-text indexes and SQLite's own tables left out."""
    db = reg.db
    virtual = db.table_names(fts4=True) + db.table_names(fts5=True)
    out = []
    for name in db.table_names():
        if name in virtual or name.startswith("sqlite_") or \
                any(name.startswith(f"{v}_") for v in virtual):
            continue
        table = db[name]
        out.append(Table(
            name=name, columns=dict(table.columns_dict), key=tuple(table.pks),
            unique=tuple(tuple(i.columns) for i in table.indexes if i.unique),
            references=tuple((fk.column, fk.other_table, fk.other_column)
                             for fk in table.foreign_keys)))
    return out


def rows(reg: Register, table: str) -> Iterator[dict[str, Any]]:
    """A table's rows in the order they went in (rowid), every column."""
    return reg.db[table].rows_where(order_by="rowid")


def holds_records(reg: Register) -> bool:
    """Whether the register holds anything beyond its header: any row in a table other than
    `meta` and `audit`, or an audit row about anything but the programme itself."""
    for table in tables(reg):
        if table.name not in HEADER_TABLES and reg.db[table.name].count:
            return True
    return bool(reg.db["audit"].count_where("kind != 'programme'"))


def load(reg: Register, found: Sequence[Table], data: Mapping[str, Iterable[dict[str, Any]]]
         ) -> None:
    """Make an empty register hold exactly these rows: its header (programme and first
    audit rows) is replaced, and every row goes in as given, uuids, stamps and ids kept.
    Runs in the caller's transaction; a row SQLite refuses raises `ItemRefused` naming it,
    and the transaction rolls back."""
    conn = reg.db.conn
    if holds_records(reg):
        raise RegisterError(f"{reg.path.name} already holds records")
    # References are checked once every row is in, so the order rows come in never matters.
    conn.execute("PRAGMA defer_foreign_keys = ON")
    for name in HEADER_TABLES:
        conn.execute(f"delete from [{name}]")
    for table in found:
        for number, row in enumerate(data.get(table.name, ()), 1):
            # A column the row leaves out takes its default (a file from an older register).
            names = [c for c in table.columns if c in row]
            insert = (f"insert into [{table.name}] ({', '.join(f'[{c}]' for c in names)}) "
                      f"values ({', '.join('?' for _ in names)})")
            try:
                conn.execute(insert, [row[c] for c in names])
            except sqlite3.IntegrityError as exc:
                raise ItemRefused(table.name, number, f"the register cannot take it ({exc})"
                                  ) from None
    broken = conn.execute("PRAGMA foreign_key_check").fetchone()
    if broken:
        raise ItemRefused(broken[0], 0, f"it refers to a {broken[2]} row that is not there")
