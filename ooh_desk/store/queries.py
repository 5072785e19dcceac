"""Read-only queries for the desktop app: one page of records at a time, sorted and filtered
over the whole register, plus the small lookups its filters and dashboard need. SQL lives
here so the layers above never write any."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import rows as store_rows
from .register import Register, RegisterError

# A table on screen shows a page and fetches the next as the user scrolls, so a register of
# 20,000 comments opens as fast as an empty one. Sorting and filtering happen here, over the
# whole register, not over the rows already on screen.

PAGE_FILTERS = {"risks": ("status", "owner", "workstream", "band"),
                "milestones": ("status", "owner", "workstream"),
                "feedback": ("event", "status", "stakeholder_group"),
                "actions": ("status", "owner")}


@dataclass(frozen=True)
class RecordQuery:
    """Which records a table shows: filters by field (a risk's 'band' by its name), words to
    search for (risks and feedback, through the register's full-text index), and the order."""

    kind: str
    filters: tuple[tuple[str, str], ...] = ()
    search: str = ""
    order: str = "ref"
    descending: bool = False


def _query_where(reg: Register, q: RecordQuery) -> tuple[str | None, list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    columns = reg.db[q.kind].columns_dict
    for name, value in q.filters:
        if name == "band" and q.kind == "risks":
            found = [b for b in reg.programme.bands if b.name == value]
            if not found:
                raise RegisterError(f"there is no risk band called {value!r}")
            clauses.append("likelihood * impact between ? and ?")
            args += [found[0].low, found[0].high]
        elif name in columns and name in PAGE_FILTERS.get(q.kind, ()):
            clauses.append(f"coalesce([{name}], '') = ?")
            args.append(value)
        else:
            raise RegisterError(f"{q.kind} cannot be filtered by {name!r}")
    words = q.search.split()
    if words and reg.db[f"{q.kind}_fts"].exists():
        # Each word matched as a prefix, so the list narrows as the user types.
        match = " ".join(reg.db.quote_fts(w) + "*" for w in words)
        clauses.append(f"rowid in (select rowid from [{q.kind}_fts] where [{q.kind}_fts] match ?)")
        args.append(match)
    elif words:
        raise RegisterError(f"{q.kind} cannot be searched")
    return (" and ".join(clauses) or None), args


def _query_order(reg: Register, q: RecordQuery) -> str:
    columns = reg.db[q.kind].columns_dict
    direction = " desc" if q.descending else ""
    if q.order == "score" and q.kind == "risks":
        expression = "coalesce(likelihood * impact, 0)"
    elif f"{q.order}_from" in columns:  # board dates sort by their earliest day
        expression = f"[{q.order}_from]"
    elif q.order == "ref":  # refs are "R-001": the unique index gives this order for free
        expression = "[ref]"
    elif q.order in columns:
        expression = f"[{q.order}] collate nocase"
    else:
        raise RegisterError(f"{q.kind} cannot be sorted by {q.order!r}")
    return f"{expression}{direction}, ref{direction}"


def count_records(reg: Register, q: RecordQuery) -> int:
    where, args = _query_where(reg, q)
    return reg.db[q.kind].count_where(where, args)


def page_records(reg: Register, q: RecordQuery, offset: int, limit: int) -> list[Any]:
    """Records `offset` to `offset + limit` of the query, as domain records (a risk's
    mitigations are left out here: `records.get_record` reads one risk whole)."""
    where, args = _query_where(reg, q)
    cls = store_rows.record_type(q.kind)
    return [store_rows.from_row(cls, r) for r in
            reg.db[q.kind].rows_where(where, args, order_by=_query_order(reg, q),
                                      limit=limit, offset=offset)]


def risk_scores(reg: Register, risk_uuids: Sequence[str]) -> dict[str, list[int]]:
    """Each risk's current scores, oldest first (for trend arrows), for a page of risks."""
    out: dict[str, list[int]] = {u: [] for u in risk_uuids}
    if not risk_uuids:
        return out
    marks = ", ".join("?" for _ in risk_uuids)
    for r in reg.db["risk_scores"].rows_where(f"risk_uuid in ({marks})", list(risk_uuids),
                                              order_by="at, id"):
        out[r["risk_uuid"]].append(r["score"])
    return out


def distinct_values(reg: Register, kind: str, name: str) -> list[str]:
    """The different values a field holds, for filter lists and autocompletion. Themes are
    split into single themes."""
    if name not in reg.db[kind].columns_dict:
        raise RegisterError(f"{kind} have no field {name!r}")
    values: set[str] = set()
    for r in reg.db[kind].rows_where(select=f"distinct [{name}] as value"):
        text = str(r["value"] or "").strip()
        if name == "themes":
            values.update(t for t in text.split("; ") if t)
        elif text:
            values.add(text)
    return sorted(values, key=str.lower)


def risk_matrix(reg: Register) -> dict[tuple[int, int], int]:
    """How many open (not closed) risks sit at each likelihood x impact point."""
    out: dict[tuple[int, int], int] = {}
    for likelihood, impact in reg.conn.execute(
            "select likelihood, impact from risks where status != 'closed' "
            "and likelihood is not null"):
        out[likelihood, impact] = out.get((likelihood, impact), 0) + 1
    return out


def open_conflicts(reg: Register) -> int:
    """How many conflicts a merge left that nobody has settled yet: the dashboard's count,
    here rather than in store/changes.py so drawing the dashboard loads no merge code."""
    return reg.conn.execute("select count(*) from conflicts where status = 'open'").fetchone()[0]


def paper_refs(reg: Register) -> list[tuple[str, str]]:
    """(ref, title) of each paper in the register, for the desktop app's paper picker."""
    if not reg.db["papers"].exists():
        return []
    return [(r["ref"], r["title"] or "") for r in
            reg.db["papers"].rows_where(select="ref, title", order_by="ref")]


