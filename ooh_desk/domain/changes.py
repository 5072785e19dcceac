"""What changed since the last report: the issue register's entries (each report, risk log,
pack or minutes written) and a summary, in words, of the audit rows written since a moment —
milestones that slipped or came forward, risks that rose or fell, records that are new, actions
completed or gone overdue, feedback actioned. Pure functions: no SQL, no Qt, no files."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from .board_dates import BoardDateError, long_date, parse_board_date, short_date
from .prose import counted, the, titled
from .records import ACTION_DONE, action_overdue, new_uuid
from .scoring import DEFAULT_BANDS, Band, Rating, band

ISSUE_KINDS = ("report", "risk-log", "pack", "minutes", "json", "baf", "baf-workbook",
               "forward-plan", "calendar")


@dataclass
class Issue:
    """One output written from the register and handed to a committee (or kept on file)."""

    kind: str  # one of ISSUE_KINDS
    as_at: date
    at: datetime
    file_name: str = ""
    paper_ref: str = ""
    committee: str = ""
    meeting_ref: str = ""
    style: str = ""
    user: str = ""
    uuid: str = field(default_factory=new_uuid)

    def describe(self) -> str:
        to = f" to the {self.committee}" if self.committee else ""
        return f"{ISSUE_NAMES.get(self.kind, self.kind)} as at {long_date(self.as_at)}{to}"


ISSUE_NAMES = {"report": "Report", "risk-log": "Risk log", "pack": "Agenda pack",
               "minutes": "Minutes", "json": "Register export (JSON)",
               "baf": "Board Assurance Framework",
               "baf-workbook": "Board Assurance Framework (workbook)"}

# What each kind of change is called, in the order a reader wants them.
CHANGE_KINDS = ("slipped", "brought forward", "completed", "rose", "fell", "opened", "escalated",
                "closed", "new", "deleted", "action completed", "overdue", "actioned")

_SINGULAR = {"risks": "risk", "milestones": "milestone", "actions": "action",
             "feedback": "feedback item", "papers": "paper", "meetings": "meeting",
             "committees": "committee", "decisions": "decision", "workstreams": "workstream",
             "events": "engagement event"}


@dataclass(frozen=True)
class RecordChange:
    kind: str  # the record's kind: risks, milestones, actions, feedback, …
    ref: str
    change: str  # one of CHANGE_KINDS
    title: str = ""
    before: str = ""
    after: str = ""
    at: str = ""  # ISO date-time it happened, or the first day it was overdue
    text: str = ""  # the change in words, for lists and the dashboard
    body: str = ""  # for an escalated risk: the body it went to (its reviewing body)

    def to_json(self) -> dict[str, Any]:
        return {"ref": self.ref, "kind": self.kind, "change": self.change, "title": self.title,
                "from": self.before or None, "to": self.after or None,
                "at": self.at[:10] or None, "text": self.text}


@dataclass
class ChangeSummary:
    since: datetime | None  # None: the whole history (there is no earlier issue)
    as_at: date
    last_issue: Issue | None = None
    changes: list[RecordChange] = field(default_factory=list)

    def of(self, *kinds: str) -> list[RecordChange]:
        return [c for c in self.changes if c.change in kinds]

    def new_by_kind(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.of("new"):
            out[c.kind] = out.get(c.kind, 0) + 1
        return out


def _singular(kind: str) -> str:
    return _SINGULAR.get(kind, kind.rstrip("s"))


def _rating_text(rating: Rating, bands: Sequence[Band]) -> str:
    return f"{rating.score} ({band(rating.score, bands).name})"


def _later(before: str, after: str) -> int:
    """1 if the board date `after` ends later than `before`, -1 if earlier, 0 if the same or
    either cannot be read (an old row typed before the rules were strict)."""
    try:
        old, new = parse_board_date(before), parse_board_date(after)
    except (BoardDateError, ValueError):
        return 0
    return (new.latest > old.latest) - (new.latest < old.latest)


def summarise(audit: Iterable[Mapping[str, Any]], since: datetime | None, as_at: date,
              records: Mapping[str, Sequence[Any]], bands: Sequence[Band] = DEFAULT_BANDS,
              last_issue: Issue | None = None) -> ChangeSummary:
    """The changes recorded after `since` (all of them when None) and on or before `as_at`.
    `audit` are the register's audit rows (at, kind, ref, field, old, new), oldest first;
    `records` the current records by kind, for titles, current scores and overdue actions."""
    start = since.isoformat(timespec="seconds") if since else ""
    end = (as_at + timedelta(days=1)).isoformat()
    by_record: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for row in audit:
        if (not start or row["at"] > start) and row["at"] < end and row.get("ref"):
            by_record.setdefault((row["kind"], row["ref"]), []).append(row)
    current = {(kind, r.ref): r for kind, found in records.items() for r in found}
    out: list[RecordChange] = []
    for (kind, ref), rows in by_record.items():
        record = current.get((kind, ref))
        title = str(getattr(record, "title", "") or getattr(record, "description", "")
                    or getattr(record, "comment", "") or "")
        out.extend(_changes_of(kind, ref, title, rows, record, bands))
    if since is not None:  # overdue against the day the last report was written as at
        reported = last_issue.as_at if last_issue is not None else since.date()
        out.extend(_newly_overdue(records.get("actions", ()), reported, as_at, by_record))
    order = {name: n for n, name in enumerate(CHANGE_KINDS)}
    out.sort(key=lambda c: (order[c.change], c.kind, c.ref))
    return ChangeSummary(since, as_at, last_issue, out)


def _changes_of(kind: str, ref: str, title: str, rows: list[Mapping[str, Any]], record: Any,
                bands: Sequence[Band]) -> list[RecordChange]:
    def made(change: str, text: str, before: str = "", after: str = "",
             at: str = rows[-1]["at"]) -> RecordChange:
        return RecordChange(kind, ref, change, title, before, after, at, text)

    # the title first, the kind and ref in brackets: "Publish tender (milestone M-010)"
    name = _capital(titled(title, f"{_singular(kind)} {ref}")) if title \
        else f"{_singular(kind).capitalize()} {ref}"
    lifecycle = [r for r in rows if not r["field"] and r["new"] in ("created", "deleted",
                                                                     "restored")]
    if lifecycle and lifecycle[-1]["new"] == "deleted":
        return [made("deleted", f"{name} was deleted")]
    created = [r for r in lifecycle if r["new"] == "created"]
    if created:  # a new record's later edits are part of it being new
        return [made("new", f"New {_singular(kind)}: {titled(title, ref)}" if title
                     else f"New {_singular(kind)} {ref}",
                     at=created[0]["at"])]
    fields: dict[str, tuple[str, str, str]] = {}  # field -> (first old, last new, when)
    for r in rows:
        before = fields[r["field"]][0] if r["field"] in fields else (r["old"] or "")
        fields[r["field"]] = (before, r["new"] or "", r["at"])
    out = []
    if kind == "milestones":
        if "forecast" in fields:
            before, after, at = fields["forecast"]
            direction = _later(before, after) if before and after else 0
            if direction:
                word = "slipped" if direction > 0 else "brought forward"
                out.append(made(word, f"{name} {'moved later' if direction > 0 else 'moved earlier'}"
                                      f": from {before} to {after}", before, after, at))
        status = fields.get("status", ("", "", ""))
        actual = fields.get("actual", ("", "", ""))
        if (status[1] == "complete" and status[0] != "complete") or (actual[1] and not actual[0]):
            when = f" ({actual[1]})" if actual[1] else ""
            out.append(made("completed", f"{name} completed{when}",
                            at=(actual[2] or status[2])))
    elif kind == "risks":
        if ("likelihood" in fields or "impact" in fields) and record is not None \
                and record.current is not None:
            cur = record.current
            old_l = fields["likelihood"][0] if "likelihood" in fields else str(cur.likelihood)
            old_i = fields["impact"][0] if "impact" in fields else str(cur.impact)
            if old_l.isdigit() and old_i.isdigit():
                old = Rating(int(old_l), int(old_i))
                at = max(fields.get(f, ("", "", ""))[2] for f in ("likelihood", "impact"))
                if cur.score != old.score:
                    word = "rose" if cur.score > old.score else "fell"
                    out.append(made(word, f"{name} {word} from {_rating_text(old, bands)} to "
                                          f"{_rating_text(cur, bands)}",
                                    _rating_text(old, bands), _rating_text(cur, bands), at))
        if "status" in fields:
            before, after, at = fields["status"]
            word = after if after in ("closed", "escalated") else \
                "opened" if before == "closed" else ""
            if word and after != before:
                verb = "was reopened" if word == "opened" else f"was {word}"
                change = made(word, f"{name} {verb}", before, after, at)
                if word == "escalated" and getattr(record, "reviewed_by", ""):
                    change = dataclasses.replace(
                        change, body=record.reviewed_by,
                        text=f"{change.text} to {the(record.reviewed_by)}")
                out.append(change)
    elif kind == "actions" and "status" in fields:
        before, after, at = fields["status"]
        if after == "complete" and before != "complete":
            out.append(made("action completed", f"{name} completed", before, after, at))
    elif kind == "feedback" and "status" in fields:
        before, after, at = fields["status"]
        if after == "actioned" and before != "actioned":
            taken = getattr(record, "action_taken", "") if record is not None else ""
            text = f"Feedback {ref} actioned" + (f": {taken}" if taken else "")
            out.append(made("actioned", text, before, after, at))
    return out


def _newly_overdue(actions: Sequence[Any], since: date, as_at: date,
                   touched: Mapping[tuple[str, str], Any]) -> list[RecordChange]:
    """Actions overdue as at `as_at` that were not overdue on the day of `since`."""
    out = []
    for a in actions:
        if ("actions", a.ref) in touched and any(r["new"] == "created" and not r["field"]
                                                 for r in touched[("actions", a.ref)]):
            continue  # new since: listed as new
        if action_overdue(a, as_at) and not action_overdue(a, since) and a.status not in ACTION_DONE:
            first = a.due.latest + timedelta(days=1)
            out.append(RecordChange("actions", a.ref, "overdue", a.description, "", "",
                                    first.isoformat(),
                                    f"{_capital(titled(a.description, 'action ' + a.ref))} "
                                    "became overdue "
                                    f"(due {a.due.text}" + (f", owner {a.owner})" if a.owner
                                                             else ")")))
    return out


# --- sentences for a report ------------------------------------------------------------------


def since_sentences(summary: ChangeSummary, described: Collection[str] = ()) -> list[str]:
    """'Since the last report on 12 October 2017, …': what slipped and which risks moved,
    each record by its title with its ref in brackets, every sentence starting with a word.
    A milestone in `described` (the report has already set out its slip against the
    baseline) is named by its ref alone, so no slip is described twice. Empty when there is
    no earlier issue, so the report keeps its usual wording."""
    if summary.last_issue is None:
        return []
    opening = f"Since the last report on {long_date(summary.last_issue.as_at)}"
    out = []
    slipped = summary.of("slipped")
    forward = summary.of("brought forward")
    if slipped and all(c.ref in described for c in slipped):
        those = _count(len(slipped), "of those milestones has", "of those milestones have")
        out.append(f"{opening}, {those} slipped: {_join(c.ref for c in slipped)}.")
    elif slipped:
        out.append(f"{opening}, {_count(len(slipped), 'milestone has', 'milestones have')} "
                   f"slipped: {_join([_moved(c, described) for c in slipped], '; ')}.")
    else:
        out.append(f"{opening}, no milestone has slipped.")
    if forward:
        out.append(f"{_count(len(forward), 'milestone has', 'milestones have', start=True)} "
                   f"been brought forward: {_join([_moved(c) for c in forward], '; ')}.")
    done = summary.of("completed")
    if done:
        out.append(f"{_count(len(done), 'milestone was', 'milestones were', start=True)} "
                   f"completed: {_join(titled(c.title, c.ref) for c in done)}.")
    rose, fell = summary.of("rose"), summary.of("fell")
    for moved, verb in ((rose, "rose"), (fell, "fell")):
        if moved:
            out.append(f"{_count(len(moved), 'risk score', 'risk scores', start=True)} {verb}: "
                       f"{_join([_scored(c) for c in moved], '; ')}.")
    if not rose and not fell:
        out.append("No risk score has changed.")
    new_risks = [c for c in summary.of("new") if c.kind == "risks"]
    if new_risks:
        out.append(f"{_count(len(new_risks), 'new risk was', 'new risks were', start=True)} "
                   f"added: {_join(titled(c.title, c.ref) for c in new_risks)}.")
    for c in summary.of("escalated"):  # each its own sentence: each may go to its own body
        to = f" to {the(c.body)}" if c.body else ""
        out.append(f"{_capital(titled(c.title, c.ref))} was escalated{to}.")
    return out


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _moved(c: RecordChange, described: Collection[str] = ()) -> str:
    if c.ref in described:
        return c.ref
    return f"{titled(c.title, c.ref)}, from {c.before} to {c.after}"


def _scored(c: RecordChange) -> str:
    return f"{titled(c.title, c.ref)}, from {c.before} to {c.after}"


def _count(n: int, singular: str, plural: str | None = None, *, start: bool = False) -> str:
    return counted(n, singular, plural, start=start)


def _join(items: Iterable[str], separator: str = ", ") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return separator.join(items[:-1]) + ("; and " if separator == "; " else " and ") + items[-1]


def describe_since(summary: ChangeSummary) -> str:
    """A heading line: since when the changes are counted."""
    if summary.last_issue is not None:
        return f"Since the last report: {summary.last_issue.describe()}, written " \
               f"{short_date(summary.last_issue.at.date())}. Position as at " \
               f"{long_date(summary.as_at)}."
    if summary.since is not None:
        return f"Since {long_date(summary.since.date())}. Position as at {long_date(summary.as_at)}."
    return f"No report is recorded before {long_date(summary.as_at)}: every change so far."
