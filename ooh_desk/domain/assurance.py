"""The Board Assurance Framework (NHS): strategic objectives, the principal risks that threaten
them (risks marked `baf`), the sources of assurance on their controls on three lines, and the
framework's rules — each principal risk's overall assurance rating, its trend, its gaps in
control and in assurance with the actions closing them (overdue in words as at a date), and
which objectives and principal risks a paper links to. Imports no Qt, no SQL, no Word.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .board_dates import BoardDate
from .papers import Paper
from .prose import counted, word_key, word_lookup
from .records import (
    ACTION_DONE,
    Action,
    FieldReader,
    Risk,
    action_overdue,
    new_uuid,
    normal_ref,
    split_lines,
    split_refs,
)
from .scoring import TREND_ARROWS, TREND_WORDS, Band, band, trend

# The three lines of defence a source of assurance sits on.
LINES = {1: "management", 2: "oversight or specialist", 3: "independent"}
LINE_HEADINGS = {1: "First line: management", 2: "Second line: oversight and specialist",
                 3: "Third line: independent"}
_LINE_WORDS = {
    1: ("1", "1st", "first", "line 1", "first line", "1st line", "management", "operational",
        "first line management"),
    2: ("2", "2nd", "second", "line 2", "second line", "2nd line", "oversight", "specialist",
        "oversight specialist", "compliance", "second line oversight"),
    3: ("3", "3rd", "third", "line 3", "third line", "3rd line", "independent", "internal audit",
        "external audit", "audit", "third line independent"),
}
# What a source of assurance said about its control.
ASSURANCE_RATINGS = ("positive", "negative", "none")
_RATING_WORDS = {
    "positive": ("positive", "pos", "+", "good", "assured", "yes", "green", "adequate",
                 "effective"),
    "negative": ("negative", "neg", "-", "poor", "not assured", "red", "inadequate",
                 "ineffective", "no"),
    "none": ("none", "", "n a", "na", "not yet", "no assurance yet", "pending", "awaited",
             "nil", "not rated"),
}
_LINES = word_lookup(_LINE_WORDS)
_RATINGS = word_lookup(_RATING_WORDS)
# The overall assurance a principal risk's sources give, strongest first.
LEVELS = ("Substantial", "Reasonable", "Limited", "No assurance")
LEVEL_FILLS = {"Substantial": "C6EFCE", "Reasonable": "DDEBF7", "Limited": "FFEB9C",
               "No assurance": "FFC7CE"}
RULE = ("Substantial: positive assurance on all three lines, none negative and no open gap; "
        "Reasonable: positive assurance, none negative and no open gap in control; "
        "Limited: a negative source of assurance or an open gap in control; "
        "No assurance: no positive source of assurance.")


class AssuranceError(ValueError):
    """A value that is not a line, a rating or an objective's ref; the message says what is."""


@dataclass
class Objective:
    """A strategic objective of the organisation, its executive lead and the committee that
    oversees it."""

    ref: str
    objective: str
    lead: str = ""
    committee: str = ""
    uuid: str = field(default_factory=new_uuid)


@dataclass
class Assurance:
    """One source of assurance on a principal risk's control, and the gaps it shows."""

    control: str
    line: int  # 1 management, 2 oversight or specialist, 3 independent
    source: str = ""
    date: BoardDate | None = None
    rating: str = "none"  # positive, negative, none
    gap_in_control: str = ""
    gap_in_assurance: str = ""
    action_ref: str = ""  # the action closing the gap(s): an existing action's ref
    uuid: str = field(default_factory=new_uuid)


def parse_line(value: Any) -> int:
    """The line a source of assurance sits on: 1, 2 or 3, or the words for them ("second
    line", "internal audit")."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    found = _LINES.get(word_key(value))
    if found is not None:
        return found
    raise AssuranceError(f"{str(value).strip()!r} is not a line of assurance (use 1 management, "
                         "2 oversight or specialist, 3 independent)")


def parse_assurance_rating(value: Any) -> str:
    found = _RATINGS.get(word_key(value))
    if found is not None:
        return found
    raise AssuranceError(f"{str(value).strip()!r} is not what a source of assurance says (use "
                         "positive, negative or none)")


def build_objective(r: FieldReader, ref: str) -> Objective:
    if not ref:
        r.problem("ref", "an objective needs its ref (SO1)")
    return Objective(ref=ref, objective=r.text("objective", required=True, what="objective"),
                     lead=r.text("lead"), committee=r.text("committee"))


def check_objectives(r: FieldReader, refs: str, known: Collection[str]) -> None:
    """A risk's `objectives` must name strategic objectives the register holds (`known`,
    upper case): each that is not is a problem naming it."""
    missing = [ref for ref in split_refs(refs) if ref.upper() not in known]
    if missing:
        r.problem("objectives", f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} "
                                "not a strategic objective in the register; import the "
                                "objectives first (--kind objectives)")


def build_assurance(r: FieldReader) -> Assurance:
    """One row of `--kind assurances` (its risk and action refs are checked against the
    register by the reader, which knows them)."""
    line = 1
    if not r.text("line"):
        r.problem("line", "a line of assurance is needed (1, 2 or 3)")
    else:
        try:
            line = parse_line(r.raw("line"))
        except AssuranceError as exc:
            r.problem("line", str(exc))
    try:
        rating = parse_assurance_rating(r.text("rating"))
    except AssuranceError as exc:
        r.problem("rating", str(exc))
        rating = "none"
    action = r.text("action")
    if action and normal_ref(action) is None:
        r.problem("action", f"{action!r} is not an action's ref (such as A-004)")
    control = r.text("control")
    if not (control or r.text("source") or r.text("gap_in_control")
            or r.text("gap_in_assurance")):
        r.problem("control", "a row needs a control, a source of assurance or a gap")
    return Assurance(control=control, line=line, source=r.text("source"),
                     date=r.board_date("date"), rating=rating,
                     gap_in_control=r.text("gap_in_control"),
                     gap_in_assurance=r.text("gap_in_assurance"),
                     action_ref=normal_ref(action) or "")


def assurance_text(items: Sequence[Assurance]) -> str:
    """A risk's assurances as the audit keeps them: one line each, so a change to any part
    is a change, and a merge conflict reads as what each side said."""
    lines = []
    for a in items:
        parts = [f"line {a.line}", a.control, a.source, a.date.text if a.date else "",
                 a.rating, f"gap in control: {a.gap_in_control}" if a.gap_in_control else "",
                 f"gap in assurance: {a.gap_in_assurance}" if a.gap_in_assurance else "",
                 f"action {a.action_ref}" if a.action_ref else ""]
        lines.append("; ".join(p for p in parts if p))
    return "\n".join(lines)


# --- gaps and their actions ---------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """A gap in control or in assurance, the action meant to close it and where that stands
    as at a date, in words."""

    risk_ref: str
    kind: str  # "control" or "assurance"
    text: str
    action_ref: str
    action: Action | None
    state: str  # overdue, open, closed, no action, unknown action
    words: str  # "Overdue: due 20 October 2017, 20 days ago" …

    @property
    def open(self) -> bool:
        return self.state != "closed"

    @property
    def overdue(self) -> bool:
        return self.state == "overdue"

    @property
    def label(self) -> str:
        return f"Gap in {self.kind}"


def gap_state(action_ref: str, action: Action | None, as_at: date) -> tuple[str, str]:
    """Where the action closing a gap stands as at `as_at`: (state, words)."""
    if not action_ref:
        return "no action", "No action set to close it"
    if action is None:
        return "unknown action", f"{action_ref} is not an action in the register"
    owner = f", {action.owner}" if action.owner else ""
    if action.status in ACTION_DONE:
        return "closed", f"Closed: {action.ref} {action.status}{owner}"
    if action_overdue(action, as_at):
        assert action.due is not None
        late = (as_at - action.due.latest).days
        return "overdue", (f"{action.ref} OVERDUE: due {action.due.text}, "
                           f"{counted(late, 'day')} late{owner}")
    due = f", due {action.due.text}" if action.due else ", no due date"
    return "open", f"{action.ref} {action.status}{due}{owner}"


def gaps_of(risk: Risk, assurances: Sequence[Assurance], actions: Mapping[str, Action],
            as_at: date) -> list[Gap]:
    """Every gap in control and in assurance a principal risk's sources record, in order."""
    out = []
    for a in assurances:
        for kind, text in (("control", a.gap_in_control), ("assurance", a.gap_in_assurance)):
            if text:
                action = actions.get(a.action_ref.upper()) if a.action_ref else None
                state, words = gap_state(a.action_ref, action, as_at)
                out.append(Gap(risk.ref, kind, text, a.action_ref, action, state, words))
    return out


def overall_rating(assurances: Sequence[Assurance], gaps: Sequence[Gap]) -> tuple[str, str]:
    """(level, why) for a principal risk: see RULE."""
    positive = {a.line for a in assurances if a.rating == "positive"}
    negative = [a for a in assurances if a.rating == "negative"]
    control_gaps = [g for g in gaps if g.open and g.kind == "control"]
    open_gaps = [g for g in gaps if g.open]
    if not positive:
        return "No assurance", ("no source of assurance is positive" if assurances
                                else "no source of assurance is recorded")
    if negative:
        return "Limited", (f"{counted(len(negative), 'source')} of assurance "
                           f"{'is' if len(negative) == 1 else 'are'} negative")
    if control_gaps:
        return "Limited", (f"{counted(len(control_gaps), 'gap')} in control "
                           f"{'is' if len(control_gaps) == 1 else 'are'} open")
    if positive == {1, 2, 3} and not open_gaps:
        return "Substantial", "positive assurance on all three lines and no open gap"
    missing = [LINES[n] for n in (1, 2, 3) if n not in positive]
    if open_gaps:
        return "Reasonable", (f"positive assurance, with {counted(len(open_gaps), 'gap')} in "
                              "assurance open")
    return "Reasonable", "positive assurance, but none from the " + " or ".join(missing) + \
        f" line{'s' if len(missing) > 1 else ''}"


# --- the framework as at a date -------------------------------------------------------------------


@dataclass
class PrincipalRisk:
    """A principal risk as the framework shows it as at a date."""

    risk: Risk
    objectives: list[Objective]
    assurances: list[Assurance]
    gaps: list[Gap]
    trend: str  # up, down, steady
    level: str  # one of LEVELS
    level_reason: str
    target_passed: bool  # its target date has passed with the score above target

    @property
    def ref(self) -> str:
        return self.risk.ref

    @property
    def trend_words(self) -> str:
        return f"{TREND_ARROWS[self.trend]} {TREND_WORDS[self.trend]}"

    def by_line(self) -> dict[int, list[Assurance]]:
        return {line: [a for a in self.assurances if a.line == line] for line in LINES}

    def controls(self) -> list[str]:
        """The risk's controls (its own text, one a line or '; ' between them), then each
        control its sources of assurance name that those do not already say."""
        out = [_sentence(c) for c in split_lines(self.risk.controls)]
        said = " ".join(_plain(c) for c in out)
        for a in self.assurances:
            if a.control and _plain(a.control) not in said:
                out.append(_sentence(a.control))
                said += " " + _plain(a.control)
        return out

    def target_words(self, as_at: date) -> str:
        """When the target score is to be reached, and whether that date has passed."""
        when = self.risk.target_date
        if when is None:
            return "No target date set"
        if self.target_passed:
            return f"Target date {when.text} has passed with the score above target"
        if self.risk.current and self.risk.target and \
                self.risk.current.score <= self.risk.target.score:
            return f"Target score reached (target date {when.text})"
        days = (when.latest - as_at).days
        return f"Target date {when.text} ({counted(days, 'day')} away)" if days >= 0 \
            else f"Target date {when.text}"


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[:1].upper() + text[1:]


def _plain(text: str) -> str:
    """Words to compare: case, full stops and a leading 'the' or 'a' set aside."""
    words = re.sub(r"[^\w\s']", " ", text.lower()).split()
    return " ".join(words[1:] if words[:1] in (["the"], ["a"]) else words)


@dataclass
class Baf:
    as_at: date
    objectives: list[Objective]
    principal: list[PrincipalRisk]
    # Objective refs a principal risk names that the register does not hold.
    unknown_objectives: dict[str, list[str]] = field(default_factory=dict)

    def for_objective(self, objective: Objective) -> list[PrincipalRisk]:
        return [p for p in self.principal if any(o.ref == objective.ref for o in p.objectives)]

    def unlinked(self) -> list[PrincipalRisk]:
        return [p for p in self.principal if not p.objectives]

    def gaps(self) -> list[Gap]:
        return [g for p in self.principal for g in p.gaps]

    def overdue_gaps(self) -> list[Gap]:
        return [g for g in self.gaps() if g.overdue]


def objective_refs(risk: Risk) -> list[str]:
    return [r.upper() for r in split_refs(risk.objectives)]


def build_baf(objectives: Sequence[Objective], risks: Iterable[Risk],
              assurances: Mapping[str, Sequence[Assurance]], actions: Iterable[Action],
              scores: Mapping[str, Sequence[int]], as_at: date,
              include_closed: bool = False) -> Baf:
    """The framework as at `as_at`: each risk marked for it (open ones, unless
    `include_closed`), with its objectives, assurances, gaps, trend (from its score history
    up to `as_at`) and overall assurance rating. `assurances` and `scores` are by risk uuid."""
    by_ref = {o.ref.upper(): o for o in objectives}
    by_action = {a.ref.upper(): a for a in actions}
    principal = []
    unknown: dict[str, list[str]] = {}
    for risk in sorted((r for r in risks if r.baf and (include_closed or r.status != "closed")),
                       key=lambda r: r.ref):
        linked = []
        for ref in objective_refs(risk):
            if ref in by_ref:
                linked.append(by_ref[ref])
            else:
                unknown.setdefault(risk.ref, []).append(ref)
        held = list(assurances.get(risk.uuid, ()))
        gaps = gaps_of(risk, held, by_action, as_at)
        level, why = overall_rating(held, gaps)
        passed = bool(risk.target_date and risk.target_date.latest < as_at and risk.current
                      and risk.target and risk.current.score > risk.target.score)
        principal.append(PrincipalRisk(risk, linked, held, gaps,
                                       trend(list(scores.get(risk.uuid, ()))), level, why,
                                       passed))
    return Baf(as_at, sorted(objectives, key=lambda o: _ref_order(o.ref)), principal, unknown)


def _ref_order(ref: str) -> tuple[str, int, str]:
    match = re.match(r"([A-Za-z]*)-?(\d+)", ref)
    return (match.group(1).upper(), int(match.group(2)), ref) if match else (ref, 0, ref)


def score_words(rating: Any, bands: Sequence[Band]) -> str:
    """'16 (Extreme)', or 'Not scored'."""
    if rating is None:
        return "Not scored"
    return f"{rating.score} ({band(rating.score, bands).name})"


# --- what a paper links to (the NHS cover sheet) ---------------------------------------------------

# A paper's sections that name what it links to (a Markdown "## Principal risks" section).
OBJECTIVES_SECTION = "objectives"
PRINCIPAL_RISKS_SECTION = "principal_risks"
RISK_BLOCKS = ("risk-log", "heat-map")


@dataclass
class PaperLinks:
    """The strategic objectives and principal risks a paper links to, and the author's own
    words about them (kept when they say more than the refs)."""

    objectives: list[Objective]
    principal: list[Risk]
    objectives_text: str = ""
    principal_text: str = ""


def paper_links(paper: Paper, risks: Sequence[Risk],
                objectives: Sequence[Objective]) -> PaperLinks:
    """What a paper links to in the Assurance Framework. Principal risks: those its
    'Principal risks' section names by ref, and, when it carries a risk block (risk log or
    heat map), every principal risk that block shows. Objectives: those its 'Objectives'
    section names by ref, and those its principal risks are linked to."""
    by_risk = {r.ref.upper(): r for r in risks if r.baf}
    by_objective = {o.ref.upper(): o for o in objectives}
    risk_text = paper.section(PRINCIPAL_RISKS_SECTION)
    objective_text = paper.section(OBJECTIVES_SECTION)
    named = [by_risk[ref] for ref in _refs_in(risk_text) if ref in by_risk]
    if any(b in paper.blocks for b in RISK_BLOCKS):
        named += [r for r in by_risk.values()
                  if paper.include_closed_risks or r.status != "closed"]
    principal = sorted({r.ref: r for r in named}.values(), key=lambda r: _ref_order(r.ref))
    wanted = [ref for ref in _refs_in(objective_text) if ref in by_objective]
    for risk in principal:
        wanted += [ref for ref in objective_refs(risk) if ref in by_objective]
    linked = sorted({ref: by_objective[ref] for ref in wanted}.values(),
                    key=lambda o: _ref_order(o.ref))
    return PaperLinks(linked, principal,
                      "" if _only_refs(objective_text) else objective_text,
                      "" if _only_refs(risk_text) else risk_text)


_REF_IN_TEXT = re.compile(r"\b([A-Za-z]{1,10}-?\d{1,6})\b")


def _refs_in(text: str) -> list[str]:
    return [m.group(1).upper() for m in _REF_IN_TEXT.finditer(text or "")]


def _only_refs(text: str) -> bool:
    """Whether a section is nothing but refs ("SO1, SO3"): the list of what they name then
    says it all."""
    parts = split_refs(text)
    return all(normal_ref(p) for p in parts)


def objective_line(o: Objective) -> str:
    lead = f" (lead: {o.lead})" if o.lead else ""
    return f"{o.ref} {o.objective}{lead}"


def principal_risk_line(risk: Risk, bands: Sequence[Band]) -> str:
    target = f", target {score_words(risk.target, bands)}" if risk.target else ""
    return f"{risk.ref} {risk.title}: current score {score_words(risk.current, bands)}{target}"
