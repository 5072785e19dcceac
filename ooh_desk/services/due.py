"""`due`: what is due or overdue as at a day, for the command line and the app's dashboard
(`due_items`), each item in plain words and as JSON with ISO dates. Imports no Qt."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain import due as rules
from ..domain.due import DEFAULT_WITHIN, DueItem
from ..errors import UserError
from ..store import Register
from ..store import due as store
from ..store import key_decisions as decisions
from .since import as_at_for

if TYPE_CHECKING:  # the writers load only when a calendar is written, not for the dashboard
    from .outputs import Written


def due_items(reg: Register, as_at: date | None = None,
              within: int = DEFAULT_WITHIN) -> list[DueItem]:
    """Everything overdue, and everything due within `within` days of `as_at` (default: the
    register's as-at date, else today): overdue first, then by date."""
    if within < 0:
        raise UserError(f"--within must be 0 or more days, not {within}")
    when = as_at_for(reg, as_at)
    last = when + timedelta(days=within)
    risks = store.may_be_due(reg, "risks", last)
    return rules.sort_due([
        *rules.key_decisions(decisions.all_key_decisions(reg), when, within),
        *rules.baf_targets(store.baf_targets(reg), when),
        *rules.risk_reviews(risks, when, within),
        *rules.mitigations(risks, when, within),
        *rules.actions(store.may_be_due(reg, "actions", last), when, within),
        *rules.milestones(store.may_be_due(reg, "milestones", last), when, within),
    ])


def due_json(item: DueItem, as_at: date) -> dict[str, Any]:
    return {"ref": item.ref, "kind": item.kind, "title": item.title,
            "due": {"text": item.due_text, "earliest": item.starts.isoformat(),
                    "latest": item.due.isoformat()},
            "overdue": item.overdue, "days": item.days, "owner": item.owner or None,
            "words": item.words, "as_at": as_at.isoformat(),
            "record_kind": item.record_kind, "uuid": item.uuid}


def write_calendar(register: str | Path, output: str | Path) -> Written:
    """The register's dates as an iCalendar file (see exports.calendar), entered in the
    issue list."""
    from ..exports.calendar import write_calendar as write
    from .outputs import _issued, check_output

    output = check_output(register, output, "calendar")
    with Register.open(register, readonly=True) as reg:
        count = write(reg, output)
    written = _issued(register, "calendar", None, output)
    written.notes.insert(0, f"{count} event{'' if count == 1 else 's'}; importing a newer file "
                            "updates them (events of records since closed or completed stay "
                            "until deleted in the calendar)")
    return written
