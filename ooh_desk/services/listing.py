"""Reading the register out: every record of a kind for `list` (and `--json`), with what is
derived as at a day (RAG, overdue, trend); the issue list; and what changed since the last
report. Every item carries a `ref`; every date is ISO beside the text a paper prints.
Imports no Qt."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from ..domain import codec
from ..domain.board_dates import long_date
from ..domain.meetings import display_time
from ..errors import UserError
from ..store import Register, history, issues, records
from ..store import meetings as store
from .records import RECORD_KINDS
from .since import as_at_for, changes_since

LIST_KINDS = ("risks", "milestones", "feedback", "actions", "papers", "agenda", "meetings",
              "decisions", "issued", "changes", "objectives", "baf", "key-decisions",
              "interests", "declarations")
# With the conflicts merges left (services/merge.py), which a register without merges lacks.
LISTED_KINDS = (*LIST_KINDS, "conflicts")


def list_records(reg: Register, kind: str, as_at: date | None = None,
                 open_only: bool = False, since: date | None = None) -> list[dict[str, Any]]:
    if kind == "conflicts":
        return [c for c in list_conflicts(reg) if not open_only or c["status"] == "open"]
    if kind in ("issued", "changes"):
        return _list_issues(reg, kind, as_at_for(reg, as_at), since)
    if kind in ("meetings", "agenda", "decisions"):
        return list_meeting_records(reg, kind)
    if kind in ("objectives", "baf"):  # the Board Assurance Framework
        from .assurance import list_baf, list_objectives

        return (list_objectives if kind == "objectives" else list_baf)(reg, as_at)
    if kind == "key-decisions":  # the forward plan, with each decision's notice
        from .key_decisions import list_key_decisions

        return list_key_decisions(reg, as_at)
    if kind in ("interests", "declarations"):  # members' interests, declared at meetings
        from .interests import list_declarations, list_interests

        return (list_interests if kind == "interests" else list_declarations)(reg)
    if kind == "papers":
        from .papers import list_papers  # the papers' rules load when papers are asked for

        return list_papers(reg)
    if kind not in RECORD_KINDS:
        raise UserError(f"cannot list {kind!r}; kinds: {', '.join(LIST_KINDS)}")
    when = as_at_for(reg, as_at)
    programme = reg.programme
    scores = history.scores_by_risk(reg) if kind == "risks" else {}
    # `list` is the officer's own view: actions of private business show, marked private.
    withheld = store.withheld_action_refs(reg) if kind == "actions" else set()
    # A field two merged copies still disagree on is shown as such, never as settled.
    from ..store import changes  # with the merge's rules: not needed to draw the dashboard

    unsettled = changes.open_conflicts_by_record(reg)
    out = []
    for record in records.all_records(reg, kind):
        item = codec.with_derived(kind, record, programme, when, scores.get(record.uuid))
        if kind == "actions":
            item["private"] = record.ref in withheld
        item["conflicts"] = [{"field": name or None, "ref": ref}
                             for name, ref in unsettled.get((kind, record.uuid), ())]
        if open_only and not _is_open(kind, item):
            continue
        out.append(item)
    return out


def list_conflicts(reg: Register) -> list[dict[str, Any]]:
    """Every conflict a merge left, open and settled (docs/merge-design.md), each with its
    ref (C-001), the record and field, and base, ours and theirs with who and when."""
    from ..store import changes

    return [{"ref": c["ref"], "kind": c["kind"], "record": c["record_ref"],
             "field": c["field"] or None, "base": c["base"], "ours": c["ours"],
             "theirs": c["theirs"], "ours_by": c["ours_by"], "ours_at": c["ours_at"],
             "theirs_by": c["theirs_by"], "theirs_at": c["theirs_at"],
             "other": c["other"], "status": c["status"], "taken": c["taken"],
             "settled_by": c["settled_by"], "settled_at": c["settled_at"]}
            for c in changes.conflicts(reg)]


def _is_open(kind: str, item: Mapping[str, Any]) -> bool:
    if kind == "risks":
        return item["status"] != "closed"
    if kind == "milestones":
        return item["rag"] != "Complete"
    if kind == "actions":
        return item["status"] not in ("complete", "cancelled")
    return item["status"] == "open"


def _list_issues(reg: Register, kind: str, as_at: date,
                 since: date | None) -> list[dict[str, Any]]:
    if kind == "issued":
        return [{"ref": f"{i.kind}/{i.at.isoformat(timespec='seconds')}", "kind": i.kind,
                 "at": i.at.isoformat(timespec="seconds"),
                 "as_at": {"text": long_date(i.as_at), "iso": i.as_at.isoformat()},
                 "paper": i.paper_ref or None, "committee": i.committee or None,
                 "meeting": i.meeting_ref or None, "style": i.style or None,
                 "file_name": i.file_name, "user": i.user, "uuid": i.uuid}
                for i in issues.issues(reg)]
    start = datetime.combine(since, datetime.min.time()) if since else None
    summary = changes_since(reg, start, as_at)
    last = summary.last_issue
    return [c.to_json() | {"since": summary.since.isoformat(timespec="seconds")
                           if summary.since else None,
                           "last_report": last.as_at.isoformat() if last else None}
            for c in summary.changes]


def list_meeting_records(reg: Register, kind: str) -> list[dict[str, Any]]:
    """Meetings, agenda items or decisions for `list --json`: every record has a `ref`, and
    every date is ISO beside the text an agenda prints."""
    meetings = store.all_meetings(reg)
    if kind == "meetings":
        out = []
        for m in meetings:
            items = store.agenda(reg, m)
            out.append({"ref": m.ref, "committee": m.committee,
                        "date": {"text": long_date(m.date), "iso": m.date.isoformat()},
                        "time": {"text": display_time(m.time), "iso": m.time or None},
                        "place": m.place, "municipal_year": m.municipal_year,
                        "items": len(items),
                        "private_items": sum(1 for i in items if i.private),
                        "minuted": any(i.minute_number for i in items)})
        return out
    if kind == "agenda":
        out = []
        for m in meetings:
            for i in store.agenda(reg, m):
                out.append({"ref": f"{m.ref}/{i.number}", "meeting": m.ref,
                            "meeting_date": {"text": long_date(m.date),
                                             "iso": m.date.isoformat()},
                            "number": i.number, "title": i.title, "part": i.part,
                            "exemption": i.exemption, "item_type": i.item_type,
                            "presenter": i.presenter,
                            "document": i.document.filename if i.document else None,
                            "paper": i.paper_ref or None, "minutes_of": i.minutes_of or None,
                            "minute_number": i.minute_number, "released": i.released})
        return out
    if kind == "decisions":
        dates = {m.ref: m.date for m in meetings}
        return [{"ref": d.ref, "meeting": d.meeting_ref,
                 "meeting_date": {"text": long_date(dates[d.meeting_ref]),
                                  "iso": dates[d.meeting_ref].isoformat()},
                 "municipal_year": d.municipal_year, "minute_number": d.minute_number,
                 "item": d.item_number, "letter": d.letter, "text": d.text,
                 "private": d.private}
                for d in store.decisions(reg, include_private=True)]
    raise UserError(f"cannot list {kind!r}")
