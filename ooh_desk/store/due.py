"""What the reminders (`due`) and the calendar export read that no other store module gives:
the principal risks' target dates, and how many times each record has been changed (a
calendar event's SEQUENCE, so a calendar importing the file again takes the newer event).
Imports no Qt."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..domain.due import BafTarget
from ..domain.scoring import Rating
from . import records
from .register import Register
from .rows import board_date_from

# The records that may be due by a day: a date (or a mitigation's) starting on or before it.
# The rules in domain/due.py decide; this only spares them the rest of a large register
# (the dashboard shows the list at start).
_MAY_BE_DUE = {
    "risks": "select uuid from risks where review_date_from <= :day or uuid in "
             "(select risk_uuid from mitigations where due_from <= :day)",
    "actions": "select uuid from actions where due_from <= :day",
    "milestones": "select uuid from milestones "
                  "where coalesce(forecast_from, baseline_from) <= :day",
}


def may_be_due(reg: Register, kind: str, last_day: date) -> list[Any]:
    """The risks, actions or milestones with a date on or before `last_day`."""
    uuids = [r["uuid"] for r in reg.query(_MAY_BE_DUE[kind], {"day": last_day.isoformat()})]
    return records.by_uuids(reg, kind, uuids)


def baf_targets(reg: Register) -> list[BafTarget]:
    """Every risk marked for the Board Assurance Framework, with its scores and target date."""
    out = []
    for r in reg.query("select uuid, ref, title, owner, likelihood, impact, target_likelihood, "
                       "target_impact, target_date, target_date_from, target_date_to, status "
                       "from risks where baf = 1 order by ref"):
        out.append(BafTarget(
            ref=r["ref"], title=r["title"] or "", owner=r["owner"] or "",
            current=Rating(r["likelihood"], r["impact"])
            if r["likelihood"] and r["impact"] else None,
            target=Rating(r["target_likelihood"], r["target_impact"])
            if r["target_likelihood"] and r["target_impact"] else None,
            target_date=board_date_from(r, "target_date"), closed=r["status"] == "closed",
            uuid=r["uuid"]))
    return out


def change_counts(reg: Register) -> dict[str, int]:
    """Each record's uuid -> how many audited changes it has had."""
    return {r["uuid"]: r["n"] for r in reg.query(
        "select uuid, count(*) as n from audit where uuid != '' group by uuid")}
