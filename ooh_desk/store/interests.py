"""Members' registers of interests and their declarations at meetings (the `interests` and
`declarations` tables, schema migration 8): read back as domain records; written by ref with
an audit row per changed field, inside the register's transaction, so copies merge them.
Imports no Qt, Word or Excel code."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from ..domain.interests import Declaration, Interest, member_key
from ..domain.meetings import Meeting
from ..domain.records import free_refs
from .records import Change
from .register import Register, RegisterError, _now

INTEREST_PREFIX = "INT"
DECLARATION_PREFIX = "DOI"
_STAMPS = {"uuid", "created", "updated", "updated_by"}


# --- reading -------------------------------------------------------------------------------------


def _interest_from(row: dict[str, Any]) -> Interest:
    return Interest(ref=row["ref"], member=row["member"] or "", interest=row["interest"] or "",
                    kind=row["kind"] or "", from_date=_day(row["from_date"]),
                    to_date=_day(row["to_date"]), uuid=row["uuid"])


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def all_interests(reg: Register) -> list[Interest]:
    """Every member's registered interests, by member then ref."""
    return [_interest_from(r) for r in reg.query(
        "select * from interests order by member collate nocase, ref")]


def interests_of(reg: Register, member: str) -> list[Interest]:
    return [i for i in all_interests(reg) if member_key(i.member) == member_key(member)]


_DECLARATION_SELECT = (
    "select d.*, m.ref as meeting_ref, m.date as meeting_date, a.number as item_number, "
    "a.title as item_title, a.position as position from declarations d "
    "join meetings m on m.uuid = d.meeting_uuid "
    "left join agenda_items a on a.uuid = d.agenda_item_uuid")


def _declaration_from(row: dict[str, Any]) -> Declaration:
    return Declaration(ref=row["ref"], meeting_ref=row["meeting_ref"],
                       item_number=row["item_number"] or "", member=row["member"] or "",
                       interest=row["interest"] or "", kind=row["kind"] or "",
                       action=row["action"] or "", item_title=row["item_title"] or "",
                       uuid=row["uuid"])


def declarations(reg: Register, meeting: Meeting | None = None) -> list[Declaration]:
    """Declarations at one meeting (or every meeting), in meeting then agenda order."""
    where, args = ("where d.meeting_uuid = ?", [meeting.uuid]) if meeting else ("", [])
    return [_declaration_from(r) for r in reg.query(
        f"{_DECLARATION_SELECT} {where} order by m.date, m.ref, a.position, d.ref", args)]


def declaration_rows(reg: Register) -> dict[str, dict[str, Any]]:
    """Every declaration as stored, by ref (upper case), with its meeting's and item's uuids."""
    return {r["ref"].upper(): r for r in reg.query("select * from declarations")}


def interest_rows(reg: Register) -> dict[str, dict[str, Any]]:
    return {r["ref"].upper(): r for r in reg.query("select * from interests")}


def new_refs(reg: Register, table: str, taken: Iterable[str] = ()) -> Iterable[str]:
    """The refs new interests or declarations take, in turn (read them inside the
    transaction that writes the records)."""
    prefix = INTEREST_PREFIX if table == "interests" else DECLARATION_PREFIX
    return free_refs(prefix, [*(r["ref"] for r in reg.query(f"select ref from [{table}]")),
                              *taken])


# --- writing -------------------------------------------------------------------------------------


def interest_row(interest: Interest) -> dict[str, Any]:
    return {"uuid": interest.uuid, "ref": interest.ref, "member": interest.member,
            "interest": interest.interest, "kind": interest.kind,
            "from_date": interest.from_date.isoformat() if interest.from_date else None,
            "to_date": interest.to_date.isoformat() if interest.to_date else None}


def declaration_row(d: Declaration, meeting_uuid: str, item_uuid: str) -> dict[str, Any]:
    return {"uuid": d.uuid, "ref": d.ref, "meeting_uuid": meeting_uuid,
            "agenda_item_uuid": item_uuid, "member": d.member, "interest": d.interest,
            "kind": d.kind, "action": d.action}


def plan_rows(reg: Register, table: str, rows: Sequence[dict[str, Any]]) -> list[Change]:
    """What `save_rows` would do with these rows: new, updated (with the fields) or
    unchanged, by ref. Writes nothing."""
    stored = {r["ref"].upper(): r for r in reg.query(f"select * from [{table}]")}
    out = []
    for row in rows:
        old = stored.get(row["ref"].upper())
        if old is None:
            out.append(Change(table, row["ref"], "new"))
            continue
        diff = {k: (old.get(k), v) for k, v in row.items()
                if k not in _STAMPS and (old.get(k) or None) != (v or None)}
        out.append(Change(table, row["ref"], "updated" if diff else "unchanged", diff))
    return out


def save_rows(reg: Register, table: str, rows: Sequence[dict[str, Any]],
              operation: str = "edit") -> list[Change]:
    """Insert or update interests or declarations by ref, one audit row per changed field
    (and one for each record made), all in one transaction."""
    if table not in ("interests", "declarations"):
        raise ValueError(table)
    with reg.transaction():
        changes = plan_rows(reg, table, rows)
        stored = {r["ref"].upper(): r for r in reg.query(f"select uuid, ref, created from [{table}]")}
        now = _now()
        audit = []
        for row, change in zip(rows, changes, strict=True):
            if change.outcome == "unchanged":
                continue
            old = stored.get(row["ref"].upper())
            if old is not None:
                row = row | {"uuid": old["uuid"], "ref": old["ref"]}
            stamped = row | {"updated": now, "updated_by": reg.user,
                             "created": old["created"] if old else now}
            reg.db[table].upsert(stamped, pk="uuid")
            if change.outcome == "new":
                audit.append(reg._audit_row(operation, table, row["uuid"], row["ref"], "", "",
                                            "created", now))
            audit += [reg._audit_row(operation, table, row["uuid"], row["ref"], column, before,
                                     after, now)
                      for column, (before, after) in change.fields.items()]
        if audit:
            reg.db["audit"].insert_all(audit, pk="id")
        return changes


def save_interest(reg: Register, interest: Interest, operation: str = "edit") -> Change:
    """One interest, by ref (a new one takes the next free ref)."""
    with reg.transaction():
        if not interest.ref:
            interest.ref = next(iter(new_refs(reg, "interests")))
        return save_rows(reg, "interests", [interest_row(interest)], operation)[0]


def delete_row(reg: Register, table: str, ref: str, operation: str = "delete") -> dict[str, Any]:
    """Delete one interest or declaration, audited; returns its row as stored, for an undo."""
    if table not in ("interests", "declarations"):
        raise ValueError(table)
    with reg.transaction():
        found = list(reg.db[table].rows_where("ref = ? collate nocase", [ref]))
        if not found:
            noun = "interest" if table == "interests" else "declaration"
            raise RegisterError(f"there is no {noun} {ref}")
        reg.db[table].delete(found[0]["uuid"])
        reg._audit(operation, table, found[0]["uuid"], found[0]["ref"], "", "", "deleted")
        return found[0]


def restore_row(reg: Register, table: str, row: dict[str, Any], operation: str = "undo") -> None:
    """Put a deleted interest or declaration back as it was, audited as restored."""
    with reg.transaction():
        if list(reg.db[table].rows_where("ref = ?", [row["ref"]])):
            raise RegisterError(f"cannot restore {row['ref']}: the register already holds it")
        reg.db[table].insert(row, pk="uuid")
        reg._audit(operation, table, row["uuid"], row["ref"], "", "deleted", "restored")
