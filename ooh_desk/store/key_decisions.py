"""Key decisions in the register (the `key_decisions` table, schema migration 8): read back as
domain `KeyDecision`s, and written with one audit row per changed field inside the register's
transaction, so copies merge them field by field like every other record. Imports no Qt."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from ..domain.key_decisions import REF_PREFIX, KeyDecision
from ..domain.records import free_refs
from .records import Change, delete_record
from .register import Register, RegisterError, _now
from .rows import board_date_from, date_columns

KIND = "key_decisions"
_STAMPS = {"uuid", "created", "updated", "updated_by"}


def to_row(kd: KeyDecision) -> dict[str, Any]:
    return {"uuid": kd.uuid, "ref": kd.ref, "matter": kd.matter,
            "decision_maker": kd.decision_maker, **date_columns("date", kd.date),
            "key": int(kd.key), "exemption": kd.exemption, "documents": kd.documents,
            "contact": kd.contact,
            "published": kd.published.isoformat() if kd.published else None,
            "notice": kd.notice, "status": kd.status}


def from_row(row: dict[str, Any]) -> KeyDecision:
    return KeyDecision(
        ref=row["ref"], matter=row["matter"] or "", decision_maker=row["decision_maker"] or "",
        date=board_date_from(row, "date"), key=bool(row["key"]),
        exemption=row["exemption"] or "", documents=row["documents"] or "",
        contact=row["contact"] or "",
        published=date.fromisoformat(row["published"]) if row["published"] else None,
        notice=row["notice"] or "", status=row["status"] or "planned", uuid=row["uuid"])


def all_key_decisions(reg: Register) -> list[KeyDecision]:
    """Every key decision, in ref order."""
    return [from_row(r) for r in reg.query(f"select * from {KIND} order by ref")]


def get_key_decision(reg: Register, ref: str) -> KeyDecision | None:
    found = list(reg.query(f"select * from {KIND} where ref = ? collate nocase", [ref]))
    return from_row(found[0]) if found else None


def new_refs(reg: Register, taken: Iterable[str] = ()) -> Iterable[str]:
    """KD-001, KD-002 … free of every ref stored or `taken`; read inside the transaction
    that writes them."""
    return free_refs(REF_PREFIX, [*(r["ref"] for r in reg.query(f"select ref from {KIND}")),
                                  *taken])


def plan(reg: Register, decisions: Sequence[KeyDecision]) -> list[Change]:
    """What `save_key_decisions` would do, writing nothing."""
    stored = {r["ref"].upper(): r for r in reg.query(f"select * from {KIND}")}
    return [_change(kd, stored.get(kd.ref.upper())) for kd in decisions]


def _change(kd: KeyDecision, old: dict[str, Any] | None) -> Change:
    if old is None:
        return Change(KIND, kd.ref, "new")
    new = to_row(kd)
    diff = {k: (old.get(k), v) for k, v in new.items()
            if k not in _STAMPS and not k.endswith(("_from", "_to"))
            and (old.get(k) or None) != (v or None) and str(old.get(k)) != str(v)}
    return Change(KIND, kd.ref, "updated" if diff else "unchanged", diff)


def save_key_decisions(reg: Register, decisions: Sequence[KeyDecision],
                       operation: str = "edit") -> list[Change]:
    """Insert or update key decisions by ref, each changed field audited, in one
    transaction."""
    if any(not kd.ref for kd in decisions):
        raise RegisterError("a key decision needs a ref")
    with reg.transaction():
        stored = {r["ref"].upper(): r for r in reg.query(f"select * from {KIND}")}
        now = _now()
        changes = []
        for kd in decisions:
            old = stored.get(kd.ref.upper())
            if old is not None:
                kd.uuid, kd.ref = old["uuid"], old["ref"]
            change = _change(kd, old)
            changes.append(change)
            if change.outcome == "unchanged":
                continue
            audit = []
            if old is None:
                audit.append(reg._audit_row(operation, KIND, kd.uuid, kd.ref, "", "", "created",
                                            now))
            audit += [reg._audit_row(operation, KIND, kd.uuid, kd.ref, column, before, after, now)
                      for column, (before, after) in change.fields.items()]
            reg.db[KIND].upsert(to_row(kd) | {"updated": now, "updated_by": reg.user,
                                              "created": old["created"] if old else now},
                                pk="uuid")
            reg.db["audit"].insert_all(audit, pk="id")
            stored[kd.ref.upper()] = to_row(kd) | {"created": old["created"] if old else now}
        return changes


def delete_key_decision(reg: Register, ref: str) -> None:
    delete_record(reg, KIND, ref)
