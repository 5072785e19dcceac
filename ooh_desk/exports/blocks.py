"""The register blocks every house style carries, each a real Word table with its header row
repeated, its alt text set and RAG and bands always in words beside the colour: the risk log,
the Durham "Current Risks | Mitigation" table, the 5x5 heat map with its text summary, the
milestone timeline (full, or compact as boards print it), open actions, and the feedback
appendix grouped by engagement route with personal data withheld.

Imports python-docx (through the writer) and the domain: no Qt, no SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from ..domain.board_dates import long_date
from ..domain.conflict_marks import NOTE as CONFLICT_NOTE
from ..domain.conflict_marks import ConflictMarks, cell_mark, named_mark, with_mark
from ..domain.options import (
    VERDICTS,
    Appraisal,
    preferred_sentence,
    scoring_description,
    short_verdict,
    total_text,
)
from ..domain.prose import counted, spoken
from ..domain.records import (
    ACTION_DONE,
    Action,
    EngagementEvent,
    FeedbackItem,
    Milestone,
    Programme,
    Rag,
    Risk,
    action_overdue,
    milestone_rag,
)
from ..domain.scoring import (
    IMPACT_LABELS,
    LIKELIHOOD_LABELS,
    TREND_ARROWS,
    TREND_WORDS,
    Rating,
    band,
    trend,
)
from .writer import Cell, CellSpec, Writer

RAG_FILLS = {"Red": "FFC7CE", "Amber": "FFEB9C", "Green": "C6EFCE", "Complete": "DDEBF7"}
OVERDUE_FILL = "FFC7CE"
WITHHELD = "Withheld: this item holds personal data"


@dataclass
class ReportData:
    """What a report is written from: the register's records as at a date."""

    programme: Programme
    as_at: date
    risks: list[Risk]
    milestones: list[Milestone]
    feedback: list[FeedbackItem]
    actions: list[Action]
    events: list[EngagementEvent] = field(default_factory=list)
    scores: dict[str, list[int]] = field(default_factory=dict)
    decisions: list[tuple[str, str]] = field(default_factory=list)  # (meeting, RESOLVED text)
    # The conflict refs of each decision above, in step with it (the item's "resolved" field
    # in conflict after a merge); empty when none is.
    decision_conflicts: list[list[str]] = field(default_factory=list)
    # Fields two merged copies of the register still disagree on: marked, never shown as
    # settled.
    conflicts: ConflictMarks = field(default_factory=ConflictMarks)
    # The paper's place on an agenda, for a cover sheet: its item number at the meeting it
    # goes to, and the earlier meetings ("Committee, 4 September 2017") that had it.
    agenda_item: str = ""
    discussed_at: list[str] = field(default_factory=list)
    # The strategic objectives of the Board Assurance Framework (domain.assurance), for a
    # cover sheet's links to objectives and principal risks.
    objectives: list[Any] = field(default_factory=list)
    # The paper's options appraisal (the `options` block), when it has one.
    appraisal: Appraisal | None = None

    def risks_shown(self, include_closed: bool) -> list[Risk]:
        return [r for r in self.risks if include_closed or r.status != "closed"]

    def open_actions(self) -> list[Action]:
        return [a for a in self.actions if a.status not in ACTION_DONE]

    def rag(self, m: Milestone) -> Rag:
        return milestone_rag(m, self.as_at, self.programme.rag_tolerance_days,
                             self.programme.amber_window_days)

    def band_name(self, rating: Rating | None) -> str:
        return band(rating.score, self.programme.bands).name if rating else ""

    def marked(self, kind: str, uuid: str, text: str, fields: Sequence[str],
               shown: Sequence[str] | None = None) -> str:
        """A cell's text with the mark of any open conflict on these fields; with `shown`
        (every field the table shows), this is the record's main cell and names the
        conflicts on the fields it does not show too."""
        mark = cell_mark(self.conflicts.refs(kind, uuid, fields))
        if shown is not None:
            mark = " ".join(m for m in (mark, named_mark(self.conflicts.others(kind, uuid,
                                                                               shown))) if m)
        return with_mark(text, mark)

    def note_conflicts(self, w: Writer, kind: str, uuids: Sequence[str]) -> None:
        """Under a table that marks a record: what the mark means, in plain words (numbered
        as the style numbers its paragraphs)."""
        if self.conflicts.any_of(kind, uuids):
            w.para(CONFLICT_NOTE)


# The fields each kind's tables show (the rest are named in the record's main cell).
_RISK_TEXT = ("title", "description", "status", "closed_reason")
_RISK_FIELDS = (*_RISK_TEXT, "owner", "inherent_likelihood", "inherent_impact", "likelihood",
                "impact", "target_likelihood", "target_impact", "mitigations", "controls")
_MILESTONE_FIELDS = ("title", "owner", "baseline", "forecast", "actual", "status")
_ACTION_FIELDS = ("description", "owner", "due", "status", "source")
_FEEDBACK_FIELDS = ("comment", "action_taken", "status")


# --- risks --------------------------------------------------------------------------------------


def _score_cell(data: ReportData, rating: Rating | None, risk: Risk | None = None,
                fields: Sequence[str] = ()) -> CellSpec:
    mark = cell_mark(data.conflicts.refs("risks", risk.uuid, fields)) if risk else ""
    if rating is None:
        return CellSpec(with_mark("Not scored", mark))
    b = band(rating.score, data.programme.bands)
    return CellSpec(with_mark(f"{rating.likelihood} x {rating.impact} = {rating.score}\n{b.name}",
                              mark), fill=b.colour)


def _trend_text(data: ReportData, risk: Risk) -> str:
    direction = trend(data.scores.get(risk.uuid, []))
    return f"{TREND_ARROWS[direction]} {TREND_WORDS[direction]}"


def _risk_text(risk: Risk) -> str:
    lines = [risk.title]
    if risk.description and risk.description != risk.title:
        lines.append(risk.description)
    if risk.status == "closed":
        lines.append("Closed" + (f": {risk.closed_reason}" if risk.closed_reason else ""))
    elif risk.status == "escalated":
        lines.append("Escalated")
    return "\n".join(lines)


def _mitigation_lines(risk: Risk) -> list[str]:
    lines = []
    for m in risk.mitigations:
        extra = [x for x in (m.owner, f"due {m.due.text}" if m.due else "",
                             m.status if m.status not in ("open", "") else "") if x]
        lines.append(m.description + (f" ({'; '.join(extra)})" if extra else ""))
    if not lines and risk.controls:
        lines.append(risk.controls)
    return lines or ["None recorded"]


def risk_log_table(w: Writer, data: ReportData, include_closed: bool = False) -> None:
    """The full risk log: ref, risk, owner, inherent, current and target score with the band in
    words, trend in words, mitigations as a list. Best in a landscape section."""
    risks = data.risks_shown(include_closed)
    if not risks:
        w.para("There are no open risks on the risk log.", number=False)
        return
    ordered = sorted(risks, key=lambda r: (-(r.current.score if r.current else 0), r.ref))
    rows = [[r.ref,
             CellSpec(data.marked("risks", r.uuid, _risk_text(r), _RISK_TEXT, _RISK_FIELDS),
                      bold_first=True),
             data.marked("risks", r.uuid, r.owner or "Not assigned", ("owner",)),
             _score_cell(data, r.inherent, r, ("inherent_likelihood", "inherent_impact")),
             _score_cell(data, r.current, r, ("likelihood", "impact")),
             _score_cell(data, r.target, r, ("target_likelihood", "target_impact")),
             _trend_text(data, r),
             CellSpec(_marked_lines(data, r), bullets=True)] for r in ordered]
    closed = " and closed" if include_closed else ""
    w.table(["Ref", "Risk", "Owner", "Inherent score", "Current score", "Target score", "Trend",
             "Mitigating actions"], [1.6, 6.0, 2.8, 2.5, 2.5, 2.5, 2.0, 7.6], rows,
            caption="Risk log",
            description=f"{_spoken(len(rows))} open{closed} risks, highest current score first. Scores "
                        "are likelihood x impact with the band named in words.")
    data.note_conflicts(w, "risks", [r.uuid for r in ordered])


def _marked_lines(data: ReportData, risk: Risk) -> list[str]:
    """A risk's mitigating actions, and the mark when two copies hold different ones."""
    mark = cell_mark(data.conflicts.refs("risks", risk.uuid, ("mitigations", "controls")))
    return [*_mitigation_lines(risk), *([mark] if mark else [])]


def risk_mitigation_table(w: Writer, data: ReportData, include_closed: bool = False) -> None:
    """Durham's two-column table: Current Risks | Mitigation, with each risk's score in words."""
    risks = sorted(data.risks_shown(include_closed),
                   key=lambda r: (-(r.current.score if r.current else 0), r.ref))
    if not risks:
        w.para("There are no open risks on the risk log.")
        return
    rows = []
    for r in risks:
        score = (f"{r.ref}: current score {r.current.score} ({data.band_name(r.current)}), "
                 f"{TREND_WORDS[trend(data.scores.get(r.uuid, []))].lower()}") if r.current \
            else f"{r.ref}: not scored"
        text = data.marked("risks", r.uuid, f"{r.description or r.title}\n{score}",
                           ("title", "description", "likelihood", "impact"),
                           ("title", "description", "likelihood", "impact", "mitigations",
                            "controls"))
        rows.append([CellSpec(text), CellSpec(_marked_lines(data, r), bullets=True)])
    w.table(["Current Risks", "Mitigation"], [1, 1], rows, caption="Current risks and mitigation",
            description=f"{_spoken(len(rows))} risks, each with its score in words and its mitigating "
                        "actions.")
    data.note_conflicts(w, "risks", [r.uuid for r in risks])


def heat_map(w: Writer, data: ReportData, include_closed: bool = False) -> None:
    """A 5x5 table coloured by band, each cell naming its band and counting its risks, then
    the same facts as sentences for anyone not reading the grid."""
    risks = [r for r in data.risks_shown(include_closed) if r.current]
    cells: dict[tuple[int, int], list[str]] = {}
    for r in risks:
        cells.setdefault((r.current.likelihood, r.current.impact), []).append(r.ref)
    rows = []
    for likelihood in range(5, 0, -1):
        row: list[CellSpec | str] = [CellSpec(f"{likelihood} {LIKELIHOOD_LABELS[likelihood - 1]}",
                                              bold_first=True)]
        for impact in range(1, 6):
            score = likelihood * impact
            b = band(score, data.programme.bands)
            refs = cells.get((likelihood, impact), [])
            count = f"{len(refs)} risk{'s' if len(refs) != 1 else ''}" if refs else "No risks"
            listed = f"\n{', '.join(refs)}" if 0 < len(refs) <= 3 else ""
            row.append(CellSpec(f"{b.name} ({score})\n{count}{listed}", fill=b.colour))
        rows.append(row)
    table = w.table(["Likelihood \u2193 / Impact \u2192",
             *(f"{n} {label}" for n, label in enumerate(IMPACT_LABELS, 1))],
            [2.6, 2, 2, 2, 2, 2], rows, caption="Risk heat map",
            description="Current risk scores on the 5x5 matrix: rows are likelihood from 5 "
                        "(almost certain) down to 1 (rare), columns are impact from 1 "
                        "(negligible) to 5 (catastrophic). Each cell names its band and counts "
                        "its risks; the summary after the table says the same in words.")
    w.keep_together(table)
    w.para(heat_map_summary(data, risks))  # numbered like every paragraph in Durham


def heat_map_summary(data: ReportData, risks: Sequence[Risk]) -> str:
    if not risks:
        return "Heat map summary: there are no scored open risks."
    parts = []
    for b in reversed(data.programme.bands):
        refs = [r.ref for r in sorted(risks, key=lambda r: (-r.current.score, r.ref))
                if band(r.current.score, data.programme.bands) == b]
        if refs:
            parts.append(f"{b.name} ({b.low} to {b.high}): {len(refs)} ({', '.join(refs)})")
        else:
            parts.append(f"{b.name} ({b.low} to {b.high}): none")
    unsettled = [(r.ref, refs) for r in risks
                 if (refs := data.conflicts.refs("risks", r.uuid, ("likelihood", "impact")))]
    doubt = (f" The current score of {', '.join(ref for ref, _ in unsettled)} is not yet "
             "agreed between two copies of the register (see "
             f"{', '.join(c for _, refs in unsettled for c in refs)}); this copy's score "
             "places it." if unsettled else "")
    return (f"Heat map summary: {len(risks)} scored risk{'s' if len(risks) != 1 else ''}. "
            + "; ".join(parts) + "." + doubt)


# --- milestones ------------------------------------------------------------------------------------


def timeline_table(w: Writer, data: ReportData) -> None:
    """The full milestone timeline: baseline, forecast and actual as the board wrote them,
    RAG in words with the reason, shaded as well."""
    rows = []
    for m in data.milestones:
        rag = data.rag(m)
        mark = partial(data.marked, "milestones", m.uuid)
        rows.append([m.ref, CellSpec(mark(f"{m.title}\n{m.owner}" if m.owner else m.title,
                                          ("title", "owner"), _MILESTONE_FIELDS),
                                     bold_first=True),
                     mark(_bd(m.baseline), ("baseline",)), mark(_bd(m.forecast), ("forecast",)),
                     mark(_bd(m.actual), ("actual",)),
                     CellSpec(mark(f"{rag.status}\n{rag.reason}", ("status",)),
                              fill=RAG_FILLS.get(rag.status))])
    if not rows:
        w.para("There are no milestones on the register.")
        return
    w.table(["Ref", "Milestone", "Baseline", "Forecast", "Actual", "RAG status"],
            [1.3, 5.2, 2.4, 2.4, 2.2, 3.6], rows, caption="Milestone timeline",
            description=f"{_spoken(len(rows))} milestones with baseline, forecast and actual dates as "
                        f"written, and RAG status in words as at {long_date(data.as_at)}.")
    data.note_conflicts(w, "milestones", [m.uuid for m in data.milestones])


def compact_timeline(w: Writer, data: ReportData, *, numbered: bool, open_only: bool = False,
                     headers: tuple[str, str] = ("Milestones", "Dates")) -> None:
    """The timeline as boards print it: milestone and date (the forecast, as written), with
    the RAG status in words. Coventry numbers the rows; Durham does not."""
    items = [m for m in data.milestones if not open_only or data.rag(m).status != "Complete"]
    rows = []
    for n, m in enumerate(items, 1):
        when = m.forecast or m.baseline or m.actual  # the plan date, as the board wrote it
        rag = data.rag(m)
        mark = partial(data.marked, "milestones", m.uuid)
        cells = [mark(m.title, ("title",), ("title", "baseline", "forecast", "actual",
                                           "status")),
                 mark(when.text if when else "To be confirmed",
                      ("baseline", "forecast", "actual")),
                 CellSpec(mark(rag.status, ("status",)), fill=RAG_FILLS.get(rag.status))]
        rows.append([str(n), *cells] if numbered else cells)
    if not rows:
        w.para("There are no milestones still to reach.")
        return
    heads = ["No.", *headers, "Status"] if numbered else [*headers, "Status"]
    fractions = [1.1, 8, 3.6, 2.2] if numbered else [8, 3.6, 2.2]
    w.table(heads, fractions, rows, caption="Timeline",
            description=f"{_spoken(len(rows))} milestones with their dates as the board wrote them and "
                        "status in words (Complete, Green, Amber or Red).")
    data.note_conflicts(w, "milestones", [m.uuid for m in items])


def _spoken(n: int) -> str:
    """A count that starts a table's description, in words (a screen reader reads it)."""
    return spoken(n).capitalize()


def _bd(value) -> str:
    return value.text if value else "\u2013"


# --- actions -----------------------------------------------------------------------------------------


def actions_table(w: Writer, data: ReportData) -> None:
    actions = data.open_actions()
    if not actions:
        w.para("There are no open actions.")
        return
    rows = []
    for a in actions:
        overdue = action_overdue(a, data.as_at)
        status = a.status.capitalize() + (" \u2013 OVERDUE" if overdue else "")
        mark = partial(data.marked, "actions", a.uuid)
        rows.append([a.ref, mark(a.description, ("description",), _ACTION_FIELDS),
                     mark(a.owner or "Not assigned", ("owner",)), mark(_bd(a.due), ("due",)),
                     CellSpec(mark(status, ("status",)), fill=OVERDUE_FILL if overdue else None),
                     mark(a.source, ("source",))])
    late = sum(action_overdue(a, data.as_at) for a in actions)
    w.table(["Ref", "Action", "Owner", "Due", "Status", "Source"], [1.2, 5.6, 2.8, 2.9, 2.4, 2.9],
            rows, caption="Open actions",
            description=f"{_spoken(len(rows))} open actions, {late} overdue as at "
                        f"{long_date(data.as_at)}; overdue is written in the status column.")
    data.note_conflicts(w, "actions", [a.uuid for a in actions])


# --- engagement feedback ------------------------------------------------------------------------------


def route_name(route: str) -> str:
    text = " ".join(route.split()) or "Other"
    text = text[:1].upper() + text[1:]
    return text if "engagement" in text.lower() else f"{text} Engagement"


def feedback_groups(data: ReportData) -> list[tuple[str, list[FeedbackItem]]]:
    """Feedback by engagement route, routes in the order their first event happened."""
    groups: dict[str, list[FeedbackItem]] = {}
    first_seen: dict[str, date] = {}
    for item in data.feedback:
        key = route_name(item.route)
        groups.setdefault(key, []).append(item)
        when = item.date.earliest if item.date else date.max
        first_seen[key] = min(first_seen.get(key, date.max), when)
    return sorted(groups.items(), key=lambda kv: (first_seen[kv[0]], kv[0]))


def feedback_table(w: Writer, data: ReportData) -> None:
    """Engagement Route | Comments | Action Taken, grouped by route (the route written once,
    its cell merged down the group). Personal data is withheld, never printed."""
    rows = []
    spans = []
    withheld = 0
    for route, items in feedback_groups(data):
        start = len(rows)
        for item in items:
            mark = partial(data.marked, "feedback", item.uuid)
            if item.personal_data:
                withheld += 1
                rows.append([route, mark(WITHHELD, ("comment",), _FEEDBACK_FIELDS),
                             mark(WITHHELD, ("action_taken", "status"))])
                continue
            action = item.action_taken or ("No action needed" if item.status == "no action needed"
                                           else "Under consideration")
            rows.append([route, mark(item.comment, ("comment",), _FEEDBACK_FIELDS),
                         mark(action, ("action_taken", "status"))])
        for index in range(start + 1, len(rows)):
            rows[index][0] = ""
        spans.append((start + 1, len(rows)))  # table rows: row 0 is the header
    if not rows:
        w.para("No engagement feedback has been recorded yet.")
        return
    note = f" {withheld} item{'s' if withheld != 1 else ''} withheld as personal data." \
        if withheld else ""
    table = w.table(["Engagement Route", "Comments", "Action Taken"], [2.6, 6.7, 6.7], rows,
                    caption="Feedback summary",
                    description=f"{_spoken(len(rows))} comments from engagement, grouped by route, with "
                                f"the action taken on each.{note}")
    w.merge_down(table, 0, spans)
    data.note_conflicts(w, "feedback", [f.uuid for f in data.feedback])


def engagement_sentence(data: ReportData) -> str:
    """One line on the engagement behind the feedback appendix, starting with a word."""
    comments = counted(len(data.feedback), "comment")
    if not data.events:
        return (f"{counted(len(data.feedback), 'comment has', 'comments have', start=True)} "
                "been recorded from engagement.")
    people = sum(e.attendance or 0 for e in data.events)
    attended = f", attended by {people} people in all" if people else ""
    held = counted(len(data.events), "engagement event has", "engagement events have",
                   start=True)
    return f"{held} been held{attended}, and {comments} recorded with the action taken on each."


# --- decisions ------------------------------------------------------------------------------------------


def decisions_table(w: Writer, data: ReportData) -> None:
    """What the committees RESOLVED, newest meeting first."""
    if not data.decisions:
        w.para("No decisions have been recorded for meetings held so far.")
        return
    doubts = data.decision_conflicts or [[] for _ in data.decisions]
    w.table(["Meeting and minute", "Decision (RESOLVED)"], [5, 11],
            [[meeting, with_mark(text, cell_mark(refs))]
             for (meeting, text), refs in zip(data.decisions, doubts, strict=True)],
            caption="Decisions", description=f"{_spoken(len(data.decisions))} decisions of the "
                                             "committees, newest meeting first.")
    if any(doubts):
        w.para(CONFLICT_NOTE)


# --- options appraisal ------------------------------------------------------------------------------

VERDICT_FILLS = {"preferred": "C6EFCE", "carried forward": "FFEB9C", "discounted": "E7E6E6"}


def _lines(text: str) -> CellSpec:
    """A benefits or risks cell: one bullet a line when the text has several lines."""
    lines = [line.strip().lstrip("-*\u2022 ").strip() for line in (text or "").splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > 1:
        return CellSpec(lines, bullets=True)
    return CellSpec(lines[0] if lines else "\u2013")


def options_appraisal(w: Writer, data: ReportData) -> None:
    """The paper's options appraisal: the long list (option | summary | benefits | risks |
    verdict | reason, the verdict in words and shaded), the weighted scoring against the
    critical success factors (criterion | weight | a column per option, a weighted total
    row computed exactly), and the preferred option named in a sentence."""
    appraisal = data.appraisal
    if appraisal is None or appraisal.empty:
        w.para("No options have been recorded for this paper yet.")
        return
    if appraisal.options:
        w.heading("Long list of options", 2)
        rows = [[CellSpec(o.name, bold_first=True), o.summary or "\u2013", _lines(o.benefits),
                 _lines(o.risks),
                 CellSpec(short_verdict(o.verdict), fill=VERDICT_FILLS.get(o.verdict)),
                 o.reason or "\u2013"] for o in appraisal.options]
        counts = [f"{sum(o.verdict == v for o in appraisal.options)} {v}" for v in VERDICTS
                  if any(o.verdict == v for o in appraisal.options)]
        w.table(["Option", "Summary", "Benefits", "Risks", "Verdict", "Reason"],
                [2.6, 3.4, 3.6, 3.6, 1.9, 3.4], rows, caption="Options long list",
                description=f"{_spoken(len(rows))} options, each with its summary, benefits, "
                            f"risks, verdict in words ({', '.join(counts)}) and the reason.")
    criteria = appraisal.criteria()
    if criteria:
        names = appraisal.scored_options()
        preferred = {o.name.lower() for o in appraisal.preferred()}
        w.heading("Scoring against the critical success factors", 2)
        w.para(scoring_description(appraisal))
        rows = []
        for criterion, weight in criteria:
            row: list[Cell] = [CellSpec(criterion, bold_first=True), f"{weight}%"]
            for name in names:
                s = appraisal.score(criterion, name)
                # the score in bold, and under it in plain type the reason for it
                row.append(CellSpec([str(s.score), *([s.rationale] if s.rationale else [])],
                                    bold_first=True) if s else "\u2013")
            rows.append(row)
        totals: list[Cell] = [CellSpec("Weighted score (out of 10)", bold_first=True),
                              f"{sum(w_ for _, w_ in criteria)}%"]
        for name in names:
            text = total_text(appraisal.total(name))
            chosen = name.lower() in preferred
            totals.append(CellSpec(f"{text}\nPreferred" if chosen else text, bold_first=True,
                                   fill=VERDICT_FILLS["preferred"] if chosen else None))
        rows.append(totals)
        heads = ["Criterion", "Weight",
                 *(f"{n} (preferred)" if n.lower() in preferred else n for n in names)]
        w.table(heads, [4.6, 1.5, *([9.9 / len(names)] * len(names))], rows,
                caption="Weighted scoring of the options",
                description=f"{_spoken(len(criteria))} critical success factors with their "
                            f"weights, each of {counted(len(names), 'option')} scored 0 to 10, "
                            "and a last row of weighted scores out of 10. "
                            + preferred_sentence(appraisal))
    w.para(preferred_sentence(appraisal))
