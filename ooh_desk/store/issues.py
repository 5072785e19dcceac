"""The issue register (the `reports_issued` table, schema migration 4): each report, risk log,
pack or minutes written from the register, and what changed in the register since the last
one. Imports no Qt, Word or Excel code."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from ..domain.changes import ISSUE_KINDS, ChangeSummary, Issue, summarise
from . import history, records
from .register import Register, RegisterError

TABLE = "reports_issued"
CHANGE_KINDS = ("milestones", "risks", "actions", "feedback")


def _from_row(row: dict) -> Issue:
    return Issue(kind=row["kind"], as_at=date.fromisoformat(row["as_at"]),
                 at=datetime.fromisoformat(row["at"]), file_name=row["file_name"] or "",
                 paper_ref=row["paper_ref"] or "", committee=row["committee"] or "",
                 meeting_ref=row["meeting_ref"] or "", style=row["style"] or "",
                 user=row["user"] or "", uuid=row["uuid"])


def record_issue(reg: Register, issue: Issue) -> Issue:
    """Add one entry to the issue register, in its own transaction."""
    if issue.kind not in ISSUE_KINDS:
        raise RegisterError(f"{issue.kind!r} is not something the register issues "
                            f"(use {', '.join(ISSUE_KINDS)})")
    issue.user = issue.user or reg.user
    with reg.transaction():
        reg.db[TABLE].insert(issue_row(issue), pk="uuid")
    return issue


def issue_row(issue: Issue) -> dict[str, str]:
    """An entry as the issue register stores it (the whole-register export writes the
    entry for itself this way before the register takes it)."""
    at = issue.at if issue.at.tzinfo else issue.at.replace(tzinfo=UTC)
    return {"uuid": issue.uuid, "at": at.isoformat(timespec="seconds"),
            "as_at": issue.as_at.isoformat(), "kind": issue.kind, "paper_ref": issue.paper_ref,
            "committee": issue.committee, "meeting_ref": issue.meeting_ref,
            "style": issue.style, "file_name": issue.file_name, "user": issue.user}


def issues(reg: Register) -> list[Issue]:
    """Every entry, oldest first."""
    return [_from_row(r) for r in reg.db[TABLE].rows_where(order_by="as_at, at")]


def last_issue_before(reg: Register, as_at: date, committee: str | None = None,
                      kinds: Sequence[str] = ("report",)) -> Issue | None:
    """The latest issue written as at a day before `as_at` (a report re-run as at the same
    day is not 'the last report'), to `committee` when given."""
    clauses = [f"kind in ({', '.join('?' for _ in kinds)})", "as_at < ?"]
    args: list[str] = [*kinds, as_at.isoformat()]
    if committee:
        clauses.append("committee = ? collate nocase")
        args.append(committee)
    found = list(reg.query(f"select * from [{TABLE}] where {' and '.join(clauses)} "
                           "order by as_at desc, at desc limit 1", args))
    return _from_row(found[0]) if found else None


def changes_since(reg: Register, as_at: date, since: datetime | None = None,
                  committee: str | None = None, *,
                  include_private: bool = False) -> ChangeSummary:
    """What changed after `since`, up to the end of `as_at`. With no `since`, after the last
    report before `as_at` (to `committee` if it has had one, else to anyone); with no
    earlier report either, the whole history. Actions arising from private business not
    released are left out unless `include_private` (the officer's own view)."""
    last = None
    if since is None:
        last = (last_issue_before(reg, as_at, committee) if committee else None) \
            or last_issue_before(reg, as_at)
        since = last.at if last else None
    if since is not None:  # audit times are UTC text: compare like with like
        since = since.replace(tzinfo=UTC) if since.tzinfo is None else since.astimezone(UTC)
    audit = history.changes(reg, since=since.isoformat(timespec="seconds") if since else None)
    withheld: set[str] = set()
    if not include_private:
        # Only a paper's view withholds anything, so only it loads the meeting rules; the
        # officer's dashboard (drawn at start) reads the actions as they are.
        from . import meetings

        withheld = meetings.withheld_action_refs(reg)
        audit = [r for r in audit if r["kind"] != "actions" or r["ref"] not in withheld]
    # Only the records the history mentions are read (a register of 20,000 comments with
    # three edits reads three), plus every action, which may have fallen overdue since.
    touched: dict[str, set[str]] = {}
    for row in audit:
        touched.setdefault(row["kind"], set()).add(row["uuid"])
    found = {kind: [a for a in records.all_records(reg, kind) if a.ref not in withheld]
             if kind == "actions" else records.by_uuids(reg, kind, touched.get(kind, set()))
             for kind in CHANGE_KINDS}
    return summarise(audit, since, as_at, found, reg.programme.bands, last)
