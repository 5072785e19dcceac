"""Read-only queries for the desktop app: one page of records at a time, sorted and filtered
over the whole register, plus the small lookups its filters and dashboard need. SQL lives
here so the layers above never write any. Plain SQL on the register's own connection: a view
opened for reading loads no sqlite-utils (click, pluggy and dateutil with it), which only
writes need."""

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


def _prefix_term(word: str) -> str:
    """A typed word as a full-text prefix search: quoted, so whatever it holds (a quote,
    AND, NEAR, a bracket) is text to find and never the search language's syntax."""
    return '"' + word.replace('"', '""') + '"*'


def _query_where(reg: Register, q: RecordQuery) -> tuple[str, list[Any]]:
    """The WHERE clause (with its leading keyword; empty for none) and its arguments."""
    clauses: list[str] = []
    args: list[Any] = []
    columns = reg.columns(q.kind)
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
    if words and reg.has_table(f"{q.kind}_fts"):
        # Each word matched as a prefix, so the list narrows as the user types.
        clauses.append(f"rowid in (select rowid from [{q.kind}_fts] where [{q.kind}_fts] match ?)")
        args.append(" ".join(_prefix_term(w) for w in words))
    elif words:
        raise RegisterError(f"{q.kind} cannot be searched")
    return (f" where {' and '.join(clauses)}" if clauses else ""), args


def _query_order(reg: Register, q: RecordQuery) -> str:
    columns = reg.columns(q.kind)
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
    return reg.conn.execute(f"select count(*) from [{q.kind}]{where}", args).fetchone()[0]


def page_records(reg: Register, q: RecordQuery, offset: int, limit: int) -> list[Any]:
    """Records `offset` to `offset + limit` of the query, as domain records (a risk's
    mitigations are left out here: `records.get_record` reads one risk whole)."""
    where, args = _query_where(reg, q)
    cls = store_rows.record_type(q.kind)
    return [store_rows.from_row(cls, r) for r in
            reg.query(f"select * from [{q.kind}]{where} order by {_query_order(reg, q)} "
                      "limit ? offset ?", [*args, limit, offset])]


def risk_scores(reg: Register, risk_uuids: Sequence[str]) -> dict[str, list[int]]:
    """Each risk's current scores, oldest first (for trend arrows), for a page of risks."""
    out: dict[str, list[int]] = {u: [] for u in risk_uuids}
    if not risk_uuids:
        return out
    marks = ", ".join("?" for _ in risk_uuids)
    for uuid, score in reg.conn.execute(f"select risk_uuid, score from risk_scores where "
                                        f"risk_uuid in ({marks}) order by at, id",
                                        list(risk_uuids)):
        out[uuid].append(score)
    return out


def distinct_values(reg: Register, kind: str, name: str) -> list[str]:
    """The different values a field holds, for filter lists and autocompletion. Themes are
    split into single themes."""
    if name not in reg.columns(kind):
        raise RegisterError(f"{kind} have no field {name!r}")
    values: set[str] = set()
    for (value,) in reg.conn.execute(f"select distinct [{name}] from [{kind}]"):
        text = str(value or "").strip()
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
    if not reg.has_table("papers"):
        return []
    return [(ref, title or "") for ref, title in
            reg.conn.execute("select ref, title from papers order by ref")]


