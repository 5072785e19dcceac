"""Word board reports written from the register, in a council's house style: a stored paper
(or, with none, a draft written from the data) laid out by a style module over its template
or the council's own. Reads the register, never writes it. Imports no Qt.

    warnings = write_report(reg, "d.docx", style="durham")
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table

from ..domain.board_dates import long_date
from ..domain.conflict_marks import ConflictMarks
from ..domain.meetings import not_for_publication
from ..domain.options import check_appraisal
from ..domain.papers import STYLES as STYLE_NAMES
from ..domain.papers import Paper, draft_paper
from ..errors import atomic_output, check_folder
from ..store import Register, RegisterError, issues, meetings
from ..store.assurance import all_objectives
from ..store.changes import open_conflicts_by_record
from ..store.history import scores_by_risk
from ..store.options import appraisal_of
from ..store.papers import picture_content
from ..store.programme import events
from ..store.records import all_records
from . import writer
from .as_at import ReportError, linked_meeting, report_as_at, stored_paper
from .blocks import ReportData
from .styles import STYLES
from .writer import TemplateError, Writer

TEMPLATES = Path(__file__).resolve().parents[2] / "resources" / "templates"


def report_data(reg: Register, as_at: date | None = None,
                include_private: bool = False) -> ReportData:
    """The register as a report sees it. The actions and decisions of private business not
    released stay out unless `include_private` (an exempt paper, not for publication)."""
    when = as_at or reg.default_as_at()
    marks = ConflictMarks(open_conflicts_by_record(reg))
    decided = _decisions(reg, when, include_private, marks)
    return ReportData(programme=reg.programme, as_at=when,
                      risks=all_records(reg, "risks"), milestones=all_records(reg, "milestones"),
                      feedback=all_records(reg, "feedback"),
                      actions=meetings.actions(reg, include_private=include_private),
                      events=events(reg), scores=scores_by_risk(reg),
                      decisions=[(m, text) for m, text, _ in decided],
                      decision_conflicts=[refs for _, _, refs in decided], conflicts=marks,
                      objectives=all_objectives(reg))


def _decisions(reg: Register, as_at: date, include_private: bool,
               marks: ConflictMarks) -> list[tuple[str, str, list[str]]]:
    """RESOLVED decisions of meetings held by the as-at date, newest meeting first, as
    (meeting, decision) text with the conflicts open on the item's decisions."""
    held = {m.ref: m for m in meetings.all_meetings(reg) if m.date <= as_at}
    items: dict[tuple[str, str], str] = {}
    if any(kind == "agenda_items" for kind, _ in marks.by_record):
        items = {(m.ref, i.number): i.uuid for m in held.values()
                 for i in meetings.agenda(reg, m)}
    out = []
    for d in reversed(meetings.decisions(reg, include_private=include_private)):
        meeting = held.get(d.meeting_ref)
        if meeting is not None:
            item = items.get((d.meeting_ref, d.item_number), "")
            out.append((f"{meeting.committee}, {long_date(meeting.date)}"
                        + (f", minute {d.ref}" if d.ref else ""), d.text,
                        marks.refs("agenda_items", item, ("resolved",))))
    return out


def choose_paper(reg: Register, data: ReportData, paper_ref: str | None,
                 meeting: str | None, committee_hint: str = "") -> Paper:
    if paper_ref:
        return stored_paper(reg, paper_ref)
    bodies = data.programme.reviewing_bodies
    committee = next((b for b in bodies if committee_hint and _squash(committee_hint)
                      in _squash(b)), "")
    if meeting:  # the committee as the register spells it, the same in every line
        committee = meetings.find_meeting(reg, meeting).committee
    changes = issues.changes_since(reg, data.as_at, committee=committee or None)
    paper = draft_paper(data.programme, data.risks, data.milestones, data.actions, data.as_at,
                        committee, changes)
    return paper


def _squash(name: str) -> str:
    """A name to compare: 'Health and Well-being' and 'Health and Wellbeing' are one."""
    return "".join(c for c in name.lower() if c.isalnum())


def _on_agendas(reg: Register, paper: Paper) -> tuple[str, list[str]]:
    """The paper's agenda item number at its meeting (or at the latest meeting carrying it),
    and the earlier meetings that had it on their agenda, as 'Committee, date'."""
    if not paper.ref:
        return "", []
    carrying = [(m, i) for m in meetings.all_meetings(reg) for i in meetings.agenda(reg, m)
                if i.paper_ref == paper.ref]
    if not carrying:
        return "", []
    if paper.meeting:  # the meeting it goes to, whether or not that agenda carries it yet
        current = next(((m, i) for m, i in carrying if m.ref == paper.meeting), None)
        day = current[0].date if current else paper.meeting_date or date.max
    else:
        current = max(carrying, key=lambda mi: mi[0].date)
        day = current[0].date
    earlier = [f"{m.committee}, {long_date(m.date)}"
               for m, _ in sorted(carrying, key=lambda mi: mi[0].date) if m.date < day]
    return (current[1].number if current else ""), earlier


def _for_meeting(reg: Register, paper: Paper, meeting_ref: str) -> None:
    """The meeting the paper goes to decides its committee and date."""
    meeting = meetings.find_meeting(reg, meeting_ref)
    paper.meeting = meeting.ref
    paper.committee = meeting.committee
    paper.meeting_date = meeting.date


def build_report(reg: Register, *, paper_ref: str | None = None, meeting: str | None = None,
                 style: str | None = None, template: str | os.PathLike | None = None,
                 as_at: date | None = None, include_closed: bool = False,
                 warnings: list[str] | None = None,
                 facts: dict[str, str] | None = None, exempt: bool = False,
                 exemption: str = "") -> Document:
    """The report as a python-docx Document, not yet saved. `style=None` (the default) takes
    the paper's own style, else coventry. Warnings (styles a template
    lacked, blocks left out) are appended to `warnings` when given.

    An exempt paper, or one written with `exempt` (for a private agenda item, under its
    `exemption` paragraph unless the paper names its own), is exempt business: every page's
    header says NOT FOR PUBLICATION, and it may show the actions and decisions of private
    business. Any other report leaves those out unless their item was released."""
    stored = stored_paper(reg, paper_ref) if paper_ref else None
    exempt = exempt or (stored is not None and stored.exempt)
    data = report_data(reg, report_as_at(reg, paper_ref=paper_ref, meeting=meeting, as_at=as_at),
                       include_private=exempt)
    if style and style.lower() not in STYLES:
        raise ReportError(f"{style!r} is not a house style (use {', '.join(STYLE_NAMES)})")
    paper = stored or choose_paper(reg, data, None, meeting,
                                   getattr(STYLES.get((style or "").lower()), "COMMITTEE_HINT",
                                           ""))
    linked = linked_meeting(reg, meeting, stored)
    if linked is not None:
        _for_meeting(reg, paper, linked.ref)
    style = (style or paper.style or "coventry").lower()
    if style not in STYLES:
        raise ReportError(f"paper {paper.ref} asks for the style {style!r}, which is not a "
                          f"house style (use {', '.join(STYLE_NAMES)})")
    house = STYLES[style]
    if include_closed:
        paper.include_closed_risks = True
    try:
        if template is not None:
            doc = writer.open_template(Path(template))
        elif (TEMPLATES / f"{style}.docx").exists():
            doc = writer.open_template(TEMPLATES / f"{style}.docx")
        else:  # a source tree without built templates: build the house style in memory
            doc = writer.open_template(None, house.build_template)
    except TemplateError as exc:
        raise ReportError(str(exc)) from None
    w = Writer(doc)
    w.picture_source = partial(picture_content, reg)  # the paper's pictures, kept in the register
    w.where = f"paper {paper.ref}" if paper.ref else "the draft paper"
    data.agenda_item, data.discussed_at = _on_agendas(reg, paper)
    if "options" in paper.blocks and paper.ref:
        data.appraisal = appraisal_of(reg, paper.uuid)
        check_appraisal(data.appraisal, paper.ref)  # weights total 100, or one line says not
    house.write(w, paper, data)
    when = long_date(paper.meeting_date) if paper.meeting_date else ""
    w.cover(paper.title, [paper.committee, when or long_date(data.as_at)])  # a template's own
    writer.finish(doc, title=paper.title,
                  subject=", ".join(x for x in (paper.committee, when) if x) or data.programme.name,
                  author=paper.author, keywords=f"{data.programme.name}; board report",
                  comments=f"Written by OOH Desk from the register {reg.path.name} as at "
                           f"{long_date(data.as_at)} ({house.LABEL}).",
                  marking=data.programme.protective_marking)
    if exempt:
        writer.mark_every_header(doc, not_for_publication(paper.exemption or exemption))
    if warnings is not None:
        warnings.extend(w.warnings)
    if facts is not None:  # what the issue register records about this report
        facts.update(paper_ref=paper.ref, committee=paper.committee, meeting_ref=paper.meeting,
                     style=style)
    return doc


def write_report(reg: Register, out_path: str | os.PathLike, *, paper_ref: str | None = None,
                 meeting: str | None = None, style: str | None = None,
                 template: str | os.PathLike | None = None, as_at: date | None = None,
                 include_closed: bool = False, facts: dict[str, str] | None = None,
                 exempt: bool = False, exemption: str = "") -> list[str]:
    """Write the report to `out_path` atomically (a temporary file beside it, then renamed,
    so a failure leaves nothing half-written). Returns warnings for the user, each once.
    `exempt` and `exemption` as for build_report."""
    out = check_folder(out_path)  # before the report is built (its name: services.outputs)
    warnings: list[str] = []
    doc = build_report(reg, paper_ref=paper_ref, meeting=meeting, style=style,
                       template=template, as_at=as_at, include_closed=include_closed,
                       warnings=warnings, facts=facts, exempt=exempt, exemption=exemption)
    with atomic_output(out) as temp:
        doc.save(temp)
    return list(dict.fromkeys(warnings))


@dataclass(frozen=True)
class OutlineLine:
    """One line of a report's outline: a heading (level 0 for the title, 1, 2…) or a table
    (level None) with its rows below the header and its column headings."""

    level: int | None
    text: str
    rows: int = 0

    def __str__(self) -> str:
        if self.level is None:
            return f"{'    ' * 2}[table: {self.rows} row{'' if self.rows == 1 else 's'} — {self.text}]"
        return f"{'    ' * max(self.level - 1, 0)}{self.text}"


def report_outline(reg: Register, *, paper_ref: str | None = None, style: str | None = None,
                   as_at: date | None = None) -> list[OutlineLine]:
    """What the report will contain, read from the report itself built in memory: the headings
    in order and each register block's table with its row count."""
    doc = build_report(reg, paper_ref=paper_ref, style=style, as_at=as_at)
    out = []
    for block in doc.iter_inner_content():
        if isinstance(block, Table):
            header = [c.text.strip() for c in block.rows[0].cells] if block.rows else []
            marked = sum(1 for r in block.rows if r._tr.trPr is not None
                         and r._tr.trPr.find(qn("w:tblHeader")) is not None)
            shown = list(dict.fromkeys(h for h in header if h))
            out.append(OutlineLine(None, ", ".join(shown[:5]) + (", …" if len(shown) > 5 else ""),
                                   len(block.rows) - marked))
            continue
        name = block.style.name if block.style is not None else ""
        if name == "Title":
            out.append(OutlineLine(0, block.text))
        elif name.startswith("Heading ") and name[8:].isdigit() and block.text.strip():
            out.append(OutlineLine(int(name[8:]), block.text.strip()))
    return out


__all__ = ["OutlineLine", "RegisterError", "ReportError", "build_report", "report_as_at",
           "report_outline", "write_report"]
