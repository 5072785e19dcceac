"""The day a report is written as at, and the stored paper and meeting a report is written
for: what the Papers view shows beside a paper before any report is built, apart from
report.py so that showing it loads no Word library. Imports no Qt and no python-docx."""

from __future__ import annotations

from datetime import date

from ..domain.meetings import Meeting
from ..domain.papers import Paper, paper_as_at
from ..errors import UserFacing
from ..store import Register, RegisterError, meetings
from ..store.papers import get_paper


class ReportError(UserFacing, ValueError):
    """A report that cannot be written as asked; the message is one sentence for the user."""


def stored_paper(reg: Register, paper_ref: str) -> Paper:
    paper = get_paper(reg, paper_ref)
    if paper is None:
        raise ReportError(f"there is no paper {paper_ref} in {reg.path.name} "
                          "(see 'ooh-desk list REGISTER papers')")
    return paper


def linked_meeting(reg: Register, meeting: str | None, paper: Paper | None) -> Meeting | None:
    """The meeting a report goes to: the one asked for, else the paper's own (a paper whose
    meeting ref is not in the register keeps its own committee and date)."""
    if meeting:
        return meetings.find_meeting(reg, meeting)
    if paper is not None and paper.meeting:
        try:
            return meetings.find_meeting(reg, paper.meeting)
        except RegisterError:
            return None
    return None


def report_as_at(reg: Register, *, paper_ref: str | None = None, meeting: str | None = None,
                 as_at: date | None = None) -> date:
    """The day a report is written as at, by the one rule (domain.papers.paper_as_at): the
    day asked for, else the date of the meeting it goes to (`meeting`, or the paper's own
    meeting or meeting date), never later than the register's as-at date. The report and the
    issue register both ask here, so they agree."""
    if as_at is not None:
        return as_at
    paper = stored_paper(reg, paper_ref) if paper_ref else None
    found = linked_meeting(reg, meeting, paper)
    when = found.date if found else paper.meeting_date if paper else None
    return paper_as_at(None, when, reg.default_as_at())
