"""What happened in the register over time: the audit history of every change, and each
risk's score history (with the demo's back-dating). Imports no Qt."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from .register import Register, RegisterError


def changes(reg: Register, kind: str | None = None, since: str | None = None
            ) -> list[dict[str, Any]]:
    """The audit rows, oldest first: of one kind of record, and from `since` (UTC ISO text)."""
    clauses, args = [], []
    if kind:
        clauses.append("kind = ?")
        args.append(kind)
    if since:
        clauses.append("at >= ?")
        args.append(since)
    where = f"where {' and '.join(clauses)}" if clauses else ""
    return list(reg.query(f"select * from audit {where} order by id", args))


def score_history(reg: Register, risk_uuid: str) -> list[dict[str, Any]]:
    return list(reg.query("select * from risk_scores where risk_uuid = ? order by at, id",
                          [risk_uuid]))


def scores_by_risk(reg: Register) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for uuid, score in reg.conn.execute("select risk_uuid, score from risk_scores "
                                        "order by at, id"):
        out.setdefault(uuid, []).append(score)
    return out


def add_past_score(reg: Register, ref: str, reviewed: date, likelihood: int, impact: int) -> None:
    """A score from a review before the register existed (loading an old log's history),
    so trends start from real earlier reviews."""
    found = list(reg.db.query("select uuid from risks where ref = ?", [ref]))
    if not found:
        raise RegisterError(f"there is no risk {ref}")
    with reg.transaction():
        reg.db["risk_scores"].insert(
            {"risk_uuid": found[0]["uuid"], "at": reviewed.isoformat(),
             "likelihood": likelihood, "impact": impact, "score": likelihood * impact,
             "user": reg.user}, pk="id")


def backdate(reg: Register, when: date) -> None:
    """Date every change recorded after `when` as made at noon on `when`: for a register
    built today to show a programme as it stood on a past date (the demo)."""
    stamp = datetime.combine(when, datetime.min.time().replace(hour=12),
                             tzinfo=UTC).isoformat(timespec="seconds")
    with reg.transaction():
        reg.db.execute("update risk_scores set at = ? where at > ?", [stamp, stamp])
        reg.db.execute("update audit set at = ? where at > ?", [stamp, stamp])
        for table in reg.db.table_names():
            columns = reg.db[table].columns_dict
            for column in ("created", "updated"):
                if column in columns and not table.endswith("_fts"):
                    reg.db.execute(f"update [{table}] set [{column}] = ? where [{column}] > ?",
                                   [stamp, stamp])


def last_change(reg: Register) -> tuple[int, int, str]:
    """How many changes the register has recorded, the last one's id and when it was (UTC ISO
    text): together they change whenever anything in the register does."""
    row = next(reg.db.query("select count(*) as n, max(id) as last, max(at) as at from audit"))
    return row["n"], row["last"] or 0, row["at"] or ""
