"""What the dashboard asks of the register's history: the day it reports as at, the last
report written before it, what changed since, and the conflicts still to settle. Apart from
listing.py (every kind of record, for `list`), so the app's first window loads only this.
Imports no Qt."""

from __future__ import annotations

from datetime import date, datetime

from ..domain.changes import ChangeSummary, Issue
from ..store import Register, issues, queries


def as_at_for(reg: Register, as_at: date | None) -> date:
    return as_at or reg.default_as_at()


def open_conflicts(reg: Register) -> int:
    """How many conflicts a merge left that nobody has settled yet (the dashboard's count)."""
    return queries.open_conflicts(reg)


def last_issue(reg: Register, as_at: date | None = None) -> Issue | None:
    """The last report written before `as_at`, or None."""
    return issues.last_issue_before(reg, as_at_for(reg, as_at))


def changes_since(reg: Register, since: datetime | None = None,
                  as_at: date | None = None, committee: str | None = None) -> ChangeSummary:
    """What changed in the register after `since` (default: the last report issued before
    `as_at`) up to `as_at`, in words. The officer's own view: private business included."""
    return issues.changes_since(reg, as_at_for(reg, as_at), since, committee,
                                include_private=True)
