"""Reminders that need no server: what is due or overdue as at a day, in plain words. Risk
reviews, actions and the risks' mitigating actions, milestones, key decisions whose 28-day
notice date is near or passed, and principal risks (Board Assurance Framework) past the date
they were to reach their target score. Sorted overdue first, then by date.

A board date is due from its first day and overdue after its last ("October 2017" falls
overdue on 1 November). Imports no Qt and no SQL."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .board_dates import BoardDate, long_date
from .key_decisions import (
    GENERAL_EXCEPTION,
    NOTICE_DUE,
    NOTICE_LATE,
    SPECIAL_URGENCY,
    KeyDecision,
    notice_state,
    scrutiny_chair_by,
)
from .records import ACTION_DONE, Action, Milestone, Risk
from .scoring import Rating

# The order kinds are listed in on the same day.
KINDS = ("key decision", "BAF target", "risk review", "action", "mitigation", "milestone")
DEFAULT_WITHIN = 14


@dataclass(frozen=True)
class DueItem:
    kind: str  # one of KINDS
    ref: str  # the record's ref ("R-003"; a mitigation "R-003 action 2")
    title: str
    due_text: str  # as the register writes it ("October 2017", "28 November 2017")
    starts: date  # the first day it is due
    due: date  # the last day: overdue after it
    overdue: bool
    days: int  # days from the as-at day to `due` (negative: overdue by that many)
    owner: str
    words: str  # one plain-English sentence
    record_kind: str  # the register table the record lives in, for the app to open it
    uuid: str


@dataclass(frozen=True)
class BafTarget:
    """A principal risk's promise: its target score by its target date."""

    ref: str
    title: str
    owner: str
    current: Rating | None
    target: Rating | None
    target_date: BoardDate | None
    closed: bool
    uuid: str


def _late(days: int) -> str:
    return f"{-days} day{'' if days == -1 else 's'} overdue"


def _left(days: int) -> str:
    if days == 0:
        return "due today"
    return f"due in {days} day{'' if days == 1 else 's'}"


def _when(days: int) -> str:
    return _late(days) if days < 0 else _left(days)


def _dated(kind: str, ref: str, title: str, when: BoardDate, as_at: date, within: int,
           owner: str, lead: str, record_kind: str, uuid: str) -> DueItem | None:
    """An item due on a board date, or None when it is not yet within `within` days."""
    if when.earliest > as_at + timedelta(days=within):
        return None
    days = (when.latest - as_at).days
    by = when.text if when.exact else f"{when.text} (by {long_date(when.latest)})"
    words = f"{lead} {by}: {_when(days)}" + (f" [{owner}]" if owner else "")
    return DueItem(kind, ref, title, when.text, when.earliest, when.latest, days < 0, days,
                   owner, words, record_kind, uuid)


def risk_reviews(risks: Iterable[Risk], as_at: date, within: int) -> list[DueItem]:
    out = []
    for r in risks:
        if r.status == "closed" or r.review_date is None:
            continue
        item = _dated("risk review", r.ref, r.title, r.review_date, as_at, within, r.owner,
                      f"Review of risk {r.ref} ({r.title}) due", "risks", r.uuid)
        if item:
            out.append(item)
    return out


def mitigations(risks: Iterable[Risk], as_at: date, within: int) -> list[DueItem]:
    out = []
    for r in risks:
        if r.status == "closed":
            continue
        for n, m in enumerate(r.mitigations, 1):
            if m.due is None or m.status in ACTION_DONE:
                continue
            item = _dated("mitigation", f"{r.ref} action {n}", m.description, m.due, as_at,
                          within, m.owner or r.owner,
                          f"Mitigating action {n} of risk {r.ref} ({m.description}) due",
                          "risks", r.uuid)
            if item:
                out.append(item)
    return out


def actions(found: Iterable[Action], as_at: date, within: int) -> list[DueItem]:
    out = []
    for a in found:
        if a.due is None or a.status in ACTION_DONE:
            continue
        item = _dated("action", a.ref, a.description, a.due, as_at, within, a.owner,
                      f"Action {a.ref} ({a.description}) due", "actions", a.uuid)
        if item:
            out.append(item)
    return out


def milestones(found: Iterable[Milestone], as_at: date, within: int) -> list[DueItem]:
    out = []
    for m in found:
        when = m.forecast or m.baseline
        if when is None or m.actual is not None or m.status in ("complete", "cancelled"):
            continue
        item = _dated("milestone", m.ref, m.title, when, as_at, within, m.owner,
                      f"Milestone {m.ref} ({m.title}) due", "milestones", m.uuid)
        if item:
            out.append(item)
    return out


def key_decisions(found: Iterable[KeyDecision], as_at: date, within: int) -> list[DueItem]:
    """Key decisions still to be taken whose notice is due within `within` days or late, or
    whose short notice still needs the scrutiny chair told (general exception) or their
    agreement (special urgency)."""
    out = []
    for kd in found:
        day = kd.decision_day
        if day is None or day < as_at or not kd.key or kd.status in ("made", "withdrawn"):
            continue
        state = notice_state(kd, as_at)
        if state.status in (NOTICE_DUE, NOTICE_LATE) and state.due_by is not None:
            due, what = state.due_by, "Notice"
        elif state.warning and state.status in (GENERAL_EXCEPTION, SPECIAL_URGENCY):
            due, what = (scrutiny_chair_by(day) if state.status == GENERAL_EXCEPTION else day,
                         "Short notice")
        else:
            continue
        if due > as_at + timedelta(days=within):
            continue
        days = (due - as_at).days
        words = (f"{what} of key decision {kd.ref} ({kd.matter}; {kd.decision_maker}, "
                 f"{kd.date.text if kd.date else ''}): {_when(days)}. {state.words}")
        out.append(DueItem("key decision", kd.ref, kd.matter, long_date(due), due, due,
                           days < 0, days, kd.contact, words, "key_decisions", kd.uuid))
    return out


def baf_targets(found: Iterable[BafTarget], as_at: date) -> list[DueItem]:
    """Principal risks whose target date has passed with the current score still above the
    target score: each an overdue gap in the assurance framework."""
    out = []
    for t in found:
        if t.closed or t.target_date is None or t.current is None or t.target is None:
            continue
        if t.target_date.latest >= as_at or t.current.score <= t.target.score:
            continue
        days = (t.target_date.latest - as_at).days
        words = (f"Principal risk {t.ref} ({t.title}) was to reach its target score "
                 f"{t.target.score} by {t.target_date.text}; it is {t.current.score}: "
                 f"{_late(days)}" + (f" [{t.owner}]" if t.owner else ""))
        out.append(DueItem("BAF target", t.ref, t.title, t.target_date.text,
                           t.target_date.earliest, t.target_date.latest, True, days, t.owner,
                           words, "risks", t.uuid))
    return out


def sort_due(items: Iterable[DueItem]) -> list[DueItem]:
    """Overdue first, then by the day each falls due, then kind and ref."""
    order = {kind: n for n, kind in enumerate(KINDS)}
    return sorted(items, key=lambda i: (not i.overdue, i.due, order[i.kind], i.ref))
