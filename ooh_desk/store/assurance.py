"""The Board Assurance Framework in the register (schema migration 8): strategic objectives,
and each principal risk's sources of assurance, kept as a list of rows hanging off the risk
(audited on the risk as its `assurances` field, as mitigations are, so copies merge). Every
write is audited inside the register's transaction. Imports no Qt, Word or Excel code."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from ..domain.assurance import Assurance, Objective, assurance_text
from ..domain.records import new_uuid
from . import rows
from .records import Change, Removed, _insert, delete_record, restore_record
from .register import Register, RegisterError, _now

OBJECTIVES = "objectives"
_FIELDS = ("ref", "objective", "lead", "committee")
_CHUNK = 500


# --- objectives -----------------------------------------------------------------------------------


def _objective(row: dict[str, Any]) -> Objective:
    return Objective(ref=row["ref"], objective=row["objective"] or "", lead=row["lead"] or "",
                     committee=row["committee"] or "", uuid=row["uuid"])


def all_objectives(reg: Register) -> list[Objective]:
    return [_objective(r) for r in reg.db[OBJECTIVES].rows_where(order_by="ref")]


def objective_refs(reg: Register) -> set[str]:
    """Every objective's ref, in upper case."""
    return {r["ref"].upper() for r in reg.db.query("select ref from objectives")}


def get_objective(reg: Register, ref: str) -> Objective | None:
    found = list(reg.db[OBJECTIVES].rows_where("ref = ? collate nocase", [ref]))
    return _objective(found[0]) if found else None


def plan_objectives(reg: Register, objectives: Sequence[Objective]) -> list[Change]:
    """What `save_objectives` would do, without writing."""
    return [_change(reg, o)[0] for o in objectives]


def _change(reg: Register, objective: Objective) -> tuple[Change, dict[str, Any] | None]:
    found = list(reg.db[OBJECTIVES].rows_where("ref = ? collate nocase", [objective.ref]))
    old = found[0] if found else None
    if old is None:
        return Change(OBJECTIVES, objective.ref, "new"), None
    diff = {name: (old[name], getattr(objective, name)) for name in _FIELDS
            if (old[name] or "") != (getattr(objective, name) or "")}
    return Change(OBJECTIVES, objective.ref, "updated" if diff else "unchanged", diff), old


def save_objectives(reg: Register, objectives: Sequence[Objective],
                    operation: str = "edit") -> list[Change]:
    """Insert or update objectives by ref (in any case: so1 finds SO1), with audit rows, in
    one transaction."""
    out = []
    with reg.transaction():
        now = _now()
        audit = []
        for objective in objectives:
            change, old = _change(reg, objective)
            out.append(change)
            if change.outcome == "unchanged":
                continue
            if old is not None:
                objective.uuid, objective.ref = old["uuid"], old["ref"]
            row = {"uuid": objective.uuid, **{n: getattr(objective, n) for n in _FIELDS},
                   "created": old["created"] if old else now, "updated": now,
                   "updated_by": reg.user}
            reg.db[OBJECTIVES].upsert(row, pk="uuid")
            if old is None:
                audit.append(reg._audit_row(operation, OBJECTIVES, objective.uuid,
                                            objective.ref, "", "", "created", now))
            audit += [reg._audit_row(operation, OBJECTIVES, objective.uuid, objective.ref,
                                     name, before, after, now)
                      for name, (before, after) in change.fields.items()]
        _insert(reg, "audit", audit)
    return out


def delete_objective(reg: Register, ref: str, operation: str = "delete") -> Removed:
    """Delete an objective (risks naming it keep the ref, shown as not in the register)."""
    found = get_objective(reg, ref)
    if found is None:
        raise RegisterError(f"there is no objective {ref}")
    return delete_record(reg, OBJECTIVES, found.ref, operation)


def restore_objective(reg: Register, removed: Removed, operation: str = "undo") -> None:
    restore_record(reg, removed, operation)


# --- sources of assurance ---------------------------------------------------------------------------


def _assurance(row: dict[str, Any]) -> Assurance:
    return Assurance(control=row["control"] or "", line=row["line"] or 1,
                     source=row["source"] or "", date=rows.board_date_from(row, "date"),
                     rating=row["rating"] or "none", gap_in_control=row["gap_in_control"] or "",
                     gap_in_assurance=row["gap_in_assurance"] or "",
                     action_ref=row["action_ref"] or "", uuid=row["uuid"])


def assurances_by_risk(reg: Register, uuids: Iterable[str] | None = None
                       ) -> dict[str, list[Assurance]]:
    """Sources of assurance by risk uuid, in their order: of the risks in `uuids`, or all."""
    out: dict[str, list[Assurance]] = {}
    if uuids is None:
        queries: list[tuple[str, list[str]]] = [("", [])]
    else:
        wanted = list(uuids)
        queries = [(f"where risk_uuid in ({', '.join('?' for _ in chunk)})", chunk)
                   for chunk in (wanted[n:n + _CHUNK] for n in range(0, len(wanted), _CHUNK))]
    for where, args in queries:
        for r in reg.query(f"select * from assurances {where} order by risk_uuid, position",
                           args):
            out.setdefault(r["risk_uuid"], []).append(_assurance(r))
    return out


def _risk_row(reg: Register, ref: str) -> dict[str, Any]:
    found = list(reg.db["risks"].rows_where("ref = ? collate nocase", [ref]))
    if not found:
        raise RegisterError(f"there is no risk {ref}")
    return found[0]


def plan_assurances(reg: Register, risk_ref: str, items: Sequence[Assurance]) -> Change:
    risk = _risk_row(reg, risk_ref)
    before = assurance_text(assurances_by_risk(reg, [risk["uuid"]]).get(risk["uuid"], []))
    after = assurance_text(items)
    if before == after:
        return Change("risks", risk["ref"], "unchanged")
    return Change("risks", risk["ref"], "updated", {"assurances": (before, after)})


def save_assurances(reg: Register, risk_ref: str, items: Sequence[Assurance],
                    operation: str = "edit") -> Change:
    """Make a risk's sources of assurance these, in this order: one audit row on the risk
    (field `assurances`, one line a source) when they changed, in one transaction."""
    with reg.transaction():
        risk = _risk_row(reg, risk_ref)
        change = plan_assurances(reg, risk["ref"], items)
        if change.outcome == "unchanged":
            return change
        now = _now()
        reg.db.conn.execute("delete from assurances where risk_uuid = ?", [risk["uuid"]])
        _insert(reg, "assurances", [
            {"uuid": a.uuid or new_uuid(), "risk_uuid": risk["uuid"], "position": n,
             "control": a.control, "line": a.line, "source": a.source,
             **rows.date_columns("date", a.date), "rating": a.rating,
             "gap_in_control": a.gap_in_control, "gap_in_assurance": a.gap_in_assurance,
             "action_ref": a.action_ref} for n, a in enumerate(items, 1)])
        before, after = change.fields["assurances"]
        reg.db["risks"].update(risk["uuid"], {"updated": now, "updated_by": reg.user})
        _insert(reg, "audit", [reg._audit_row(operation, "risks", risk["uuid"], risk["ref"],
                                              "assurances", before, after, now)])
        return change


# --- score history as at a date ------------------------------------------------------------------------


def scores_as_at(reg: Register, as_at: date) -> dict[str, list[int]]:
    """Each risk's current scores recorded up to the end of `as_at`, oldest first: the trend
    a framework written as at a past date showed then."""
    end = (as_at + timedelta(days=1)).isoformat()
    out: dict[str, list[int]] = {}
    for r in reg.db.query("select risk_uuid, score from risk_scores where at < ? "
                          "order by at, id", [end]):
        out.setdefault(r["risk_uuid"], []).append(r["score"])
    return out
