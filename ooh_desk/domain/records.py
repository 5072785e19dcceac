"""The register's records as plain dataclasses, and the rules that build them from what a
user typed: every problem is collected with where it is, never just the first.

Imports no Qt and no SQL.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from functools import lru_cache
from typing import Any

from .board_dates import BoardDate, BoardDateError, parse_board_date
from .scoring import DEFAULT_BANDS, Band, Rating, ScoreError, parse_rating
from .treatment import parse_treatment


def new_uuid() -> str:
    """A random (version 4) UUID as text, as str(uuid.uuid4()) writes it, in a third of the
    time: a 20,000-row import makes one per record and per mitigation."""
    h = os.urandom(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


_VARIANT = "89ab"  # the RFC 4122 variant bits (10xx) over the random low two


# --- statuses: the words a register keeps, and the words people write for them -------------

RISK_STATUSES = ("open", "escalated", "closed")
MILESTONE_STATUSES = ("not started", "in progress", "complete", "cancelled")
ACTION_STATUSES = ("open", "in progress", "complete", "cancelled")
FEEDBACK_STATUSES = ("open", "actioned", "no action needed")
ACTION_DONE = {"complete", "cancelled"}

_STATUS_SYNONYMS = {
    "risk": {"": "open", "live": "open", "active": "open", "in progress": "open", "new": "open",
             "ongoing": "open", "monitoring": "open", "under review": "open",
             "escalate": "escalated", "closed": "closed", "close": "closed",
             "resolved": "closed", "retired": "closed", "archived": "closed"},
    "milestone": {"": "not started", "planned": "not started", "not yet started": "not started",
                  "on track": "in progress", "ongoing": "in progress", "started": "in progress",
                  "at risk": "in progress", "delayed": "in progress", "in hand": "in progress",
                  "done": "complete", "completed": "complete", "achieved": "complete",
                  "met": "complete", "closed": "complete", "cancelled": "cancelled",
                  "withdrawn": "cancelled"},
    "action": {"": "open", "not started": "open", "new": "open", "ongoing": "in progress",
               "started": "in progress", "on track": "in progress", "done": "complete",
               "completed": "complete", "closed": "complete", "achieved": "complete",
               "withdrawn": "cancelled", "superseded": "cancelled"},
    "feedback": {"": "open", "new": "open", "done": "actioned", "complete": "actioned",
                 "completed": "actioned", "closed": "actioned", "none required": "no action needed",
                 "no action required": "no action needed", "no action": "no action needed",
                 "n/a": "no action needed"},
}
_STATUSES = {"risk": RISK_STATUSES, "milestone": MILESTONE_STATUSES,
             "action": ACTION_STATUSES, "feedback": FEEDBACK_STATUSES}


def parse_status(kind: str, text: str) -> str:
    key = " ".join(str(text or "").replace("_", " ").split()).lower()
    if key in _STATUSES[kind]:
        return key
    if key in _STATUS_SYNONYMS[kind]:
        return _STATUS_SYNONYMS[kind][key]
    allowed = ", ".join(_STATUSES[kind])
    raise ValueError(f"{text!r} is not a {kind} status (use one of: {allowed})")


# --- records ---------------------------------------------------------------------------------


@dataclass
class Programme:
    name: str = "Untitled programme"
    organisation: str = ""  # the council, trust or ICB whose papers these are: their headers
    sponsor: str = ""
    reviewing_bodies: list[str] = field(default_factory=list)
    protective_marking: str = "OFFICIAL"
    as_at: date | None = None  # a frozen report date (archived and demo registers); else today
    bands: tuple[Band, ...] = DEFAULT_BANDS
    rag_tolerance_days: int = 0
    amber_window_days: int = 14
    # How minutes number the parts of a resolution: "(1)" as Coventry's do ("RESOLVED that:
    # (1) … (2) …"), or "(a)" for (a), (b).
    resolution_numbering: str = "(1)"


@dataclass
class Workstream:
    name: str
    lead: str = ""
    description: str = ""
    uuid: str = field(default_factory=new_uuid)


@dataclass
class Milestone:
    ref: str
    title: str
    workstream: str = ""
    owner: str = ""
    baseline: BoardDate | None = None
    forecast: BoardDate | None = None
    actual: BoardDate | None = None
    status: str = "not started"
    decision_body: str = ""
    dependencies: str = ""
    notes: str = ""
    uuid: str = field(default_factory=new_uuid)


@dataclass
class Mitigation:
    description: str
    owner: str = ""
    due: BoardDate | None = None
    status: str = "open"


@dataclass
class Risk:
    ref: str
    title: str
    description: str = ""
    category: str = ""
    owner: str = ""
    reviewed_by: str = ""
    workstream: str = ""
    raised: BoardDate | None = None
    inherent: Rating | None = None
    current: Rating | None = None
    target: Rating | None = None
    treatment: str = ""  # treat, tolerate, transfer, terminate; '' when not stated
    controls: str = ""
    mitigations: list[Mitigation] = field(default_factory=list)
    review_date: BoardDate | None = None
    status: str = "open"
    closed_reason: str = ""
    # The Board Assurance Framework (domain/assurance.py): a principal risk, the strategic
    # objectives it threatens ("SO1, SO3") and the day its target score is to be reached.
    baf: bool = False
    objectives: str = ""
    target_date: BoardDate | None = None
    uuid: str = field(default_factory=new_uuid)


@dataclass
class EngagementEvent:
    name: str
    route: str = ""
    date: BoardDate | None = None
    place: str = ""
    attendance: int | None = None
    organisations: str = ""
    uuid: str = field(default_factory=new_uuid)


@dataclass
class FeedbackItem:
    ref: str
    comment: str
    event: str = ""
    route: str = ""
    date: BoardDate | None = None
    stakeholder_group: str = ""
    themes: list[str] = field(default_factory=list)
    action_taken: str = ""
    status: str = "open"
    personal_data: bool = False
    uuid: str = field(default_factory=new_uuid)


@dataclass
class Action:
    ref: str
    description: str
    owner: str = ""
    due: BoardDate | None = None
    status: str = "open"
    source: str = ""
    uuid: str = field(default_factory=new_uuid)


RECORD_TYPES: dict[str, type] = {
    "milestones": Milestone,
    "risks": Risk,
    "feedback": FeedbackItem,
    "actions": Action,
}
REF_PREFIX = {"milestones": "M", "risks": "R", "feedback": "F", "actions": "A"}


# --- refs: what one looks like, and the next free one ------------------------------------------

# A ref is 1 to 10 ASCII letters, a dash (which may be left out) and 1 to 6 ASCII digits:
# R-007, RSK-101, CS01. Case does not matter (r-007 is R-007); refs are kept in upper case.
REF_RULE = ("a ref is 1 to 10 letters, a dash and 1 to 6 digits, such as R-007 "
            "(the dash may be left out: CS01)")
_REF = re.compile(r"([A-Za-z]{1,10})(-?)([0-9]{1,6})")
_MAX_REF_NUMBER = 999_999


def parse_ref(value: Any) -> str:
    """A typed ref in upper case, or ValueError saying what a ref looks like. A number (a
    spreadsheet cell holding 7) is not a ref: which prefix it wants is not ours to guess."""
    text = value.strip() if isinstance(value, str) else None
    if text is None or not _REF.fullmatch(text):
        raise ValueError(f"{_shown(value)} is not a ref: {REF_RULE}")
    return text.upper()


def normal_ref(value: Any) -> str | None:
    """`parse_ref` without the message: the ref in upper case, or None."""
    try:
        return parse_ref(value)
    except ValueError:
        return None


def _shown(value: Any) -> str:
    """A typed value short enough to quote in a one-line message."""
    text = str(value)
    return repr(text) if len(text) <= 24 else f"{text[:20]!r}… ({len(text):,} characters)"


# A value quoted whole in a message, too long to read on one line (a 40,000-character cell
# that is not a date, a likelihood or a status): every check that quotes what was typed.
_LONG_QUOTED = re.compile(r"'((?:[^'\\\n]|\\.){200,})'|\"((?:[^\"\\\n]|\\.){200,})\"")


def _clip_quoted(message: str) -> str:
    """A problem's message with any long quoted value cut to its start and its length."""
    return _LONG_QUOTED.sub(lambda m: _shown(m.group(1) or m.group(2)), message)


def ref_number(prefix: str, ref: Any) -> int | None:
    """The number of a ref with this prefix (R-007, r7 -> 7); None for anything else, such
    as a value an older version let in ('R-²', a thousand digits)."""
    match = _REF.fullmatch(ref.strip()) if isinstance(ref, str) else None
    if match is None or match.group(1).upper() != prefix.upper():
        return None
    return int(match.group(3))


def free_refs(prefix: str, used: Iterable[Any]) -> Iterator[str]:
    """The refs new records take, in turn: PREFIX-NNN numbered on from the highest in use,
    each free by number of every ref in `used` (R-5, r-005 and R5 all hold 5); past R-999999
    the gaps are filled from R-001. What in `used` is not a ref of this prefix is passed over,
    so no stored value, however odd, stops a new record being made."""
    held = {n for n in (ref_number(prefix, ref) for ref in used) if n is not None}
    start = max(held, default=0) + 1
    for n in itertools.chain(range(start, _MAX_REF_NUMBER + 1), range(1, start)):
        if n not in held:
            yield f"{prefix}-{n:03d}"


def record_fields(kind: str) -> list[str]:
    return [f.name for f in fields(RECORD_TYPES[kind]) if f.name != "uuid"]


# --- derived facts: never typed, always worked out as at a date ------------------------------


@dataclass(frozen=True)
class Rag:
    status: str  # "Complete", "Red", "Amber", "Green"
    reason: str


def milestone_rag(m: Milestone, as_at: date, tolerance_days: int = 0,
                  amber_window_days: int = 14) -> Rag:
    """The plain-English rule is written out in the README; keep the two in step."""
    if m.actual is not None or m.status == "complete":
        when = f" on {m.actual.text}" if m.actual else ""
        return Rag("Complete", f"Completed{when}")
    if m.status == "cancelled":
        return Rag("Complete", "Cancelled")
    due = m.forecast or m.baseline
    if due is None:
        return Rag("Amber", "No baseline or forecast date")
    slip = 0
    if m.forecast is not None and m.baseline is not None:
        slip = (m.forecast.latest - m.baseline.latest).days
    if slip > tolerance_days:
        return Rag("Red", f"Forecast {m.forecast.text} is {_days(slip)} after the baseline "
                          f"{m.baseline.text}")
    if due.latest < as_at:
        return Rag("Red", f"Due {due.text} and not complete")
    if slip > 0:
        return Rag("Amber", f"Forecast {m.forecast.text} has slipped {_days(slip)}, "
                            "within tolerance")
    if m.forecast is None and (due.earliest - as_at).days <= amber_window_days:
        return Rag("Amber", f"Due {due.text} with no forecast confirmed")
    return Rag("Green", "On track")


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def action_overdue(a: Action, as_at: date) -> bool:
    return a.due is not None and a.status not in ACTION_DONE and a.due.latest < as_at


# --- building records from what a user typed --------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, and where: 'risks.csv row 5', column 'Likelihood'."""

    where: str
    column: str
    message: str

    def __str__(self) -> str:
        column = f", column {self.column!r}" if self.column else ""
        return f"{self.where}{column}: {self.message}"


class FieldReader:
    """Reads one row of typed values into typed fields, collecting every problem.

    `values` maps record field names to what was typed; `columns` maps field names to the
    column headings the user sees, so messages name their column, not ours.
    """

    def __init__(self, values: Mapping[str, Any], where: str,
                 columns: Mapping[str, str] | None = None) -> None:
        self.values = values
        self.where = where
        self.columns = columns or {}
        self.problems: list[Problem] = []

    def problem(self, name: str, message: str) -> None:
        self.problems.append(Problem(self.where, self.columns.get(name, name),
                                     _clip_quoted(message)))

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def text(self, name: str, required: bool = False, what: str | None = None) -> str:
        value = self.values.get(name)
        text = "" if value is None else str(value).replace("\r\n", "\n").strip()
        if required and not text:
            self.problem(name, f"a {what or name} is needed")
        return text

    def ref(self, name: str = "ref") -> str:
        """The row's ref in upper case ('r-001' is R-001); '' when none is typed, for the
        register to give the next free one. Anything that is not a ref is a problem."""
        value = self.values.get(name)
        if _blank(value):
            return ""
        try:
            return parse_ref(value)
        except ValueError as exc:
            self.problem(name, f"{exc}; or leave it empty for OOH Desk to give the next "
                               "free one")
            return ""

    def board_date(self, name: str) -> BoardDate | None:
        value = self.values.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, BoardDate):
            return value
        if isinstance(value, date):
            return BoardDate.from_date(value if type(value) is date else value.date())
        try:
            return _board_date(str(value))
        except BoardDateError as exc:
            self.problem(name, str(exc))
            return None

    def rating(self, likelihood: str, impact: str) -> Rating | None:
        lv, iv = self.values.get(likelihood), self.values.get(impact)
        if _blank(lv) and _blank(iv):
            return None
        got = {}
        for name, value, scale in ((likelihood, lv, "likelihood"), (impact, iv, "impact")):
            if _blank(value):
                self.problem(name, f"a {scale} is needed when its "
                                   f"{'impact' if scale == 'likelihood' else 'likelihood'} is given")
                continue
            try:
                got[scale] = _rating(value, scale)
            except ScoreError as exc:
                self.problem(name, str(exc))
        if len(got) == 2:
            return Rating(got["likelihood"], got["impact"])
        return None

    def status(self, name: str, kind: str) -> str:
        try:
            return parse_status(kind, self.text(name))
        except ValueError as exc:
            self.problem(name, str(exc))
            return _STATUSES[kind][0]

    def treatment(self, name: str = "treatment") -> str:
        """A risk's treatment in the register's word ('Mitigate' is 'treat'); '' if none."""
        try:
            return parse_treatment(self.values.get(name))
        except ValueError as exc:
            self.problem(name, str(exc))
            return ""

    def yes_no(self, name: str) -> bool:
        """A yes/no cell: yes, y, true, 1 or x; no, n, false, 0 or empty. Anything else is
        a problem, never a guess."""
        key = self.text(name).lower()
        if key in _YES or key in _NO:
            return key in _YES
        self.problem(name, f"{self.text(name)!r} is not yes or no")
        return False

    def refs(self, name: str) -> str:
        """A cell of refs, comma separated ("SO1, so3"), as the register keeps them
        ("SO1, SO3"); each that is not a ref is a problem."""
        out = []
        for part in split_refs(self.text(name)):
            try:
                out.append(parse_ref(part))
            except ValueError as exc:
                self.problem(name, str(exc))
        return ", ".join(dict.fromkeys(out))

    def integer(self, name: str) -> int | None:
        value = self.values.get(name)
        if _blank(value):
            return None
        try:
            number = float(str(value).replace(",", ""))
            if number.is_integer() and number >= 0:
                return int(number)
        except ValueError:
            pass
        self.problem(name, f"{value!r} is not a whole number")
        return None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0", ""}


def split_refs(text: str) -> list[str]:
    """The refs in a cell that lists them: "SO1, SO3", "SO1; SO3", one a line."""
    return [part.strip() for part in re.split(r"[,;\n]+", text or "") if part.strip()]


# A register's cells repeat (scores 1 to 5, a few review dates): each distinct value is read
# once per run. Both readers are pure and their results immutable; what they refuse is not
# kept, so each refused cell is still reported. `typed`: 1, 1.0 and True are read apart.
_board_date = lru_cache(maxsize=4096)(parse_board_date)
_cached_rating = lru_cache(maxsize=4096, typed=True)(parse_rating)


def _rating(value: Any, scale: str) -> int:
    return (_cached_rating(value, scale) if isinstance(value, str | int | float)
            else parse_rating(value, scale))


_BULLET = re.compile(r"^\s*(?:[-–—•*·▪◦]\s+|\(?\d{1,2}[.)]\s*|\(?[a-z][.)]\s+)")


def split_lines(text: str) -> list[str]:
    """Split a cell of mitigations into items: one per line, bullets and numbering dropped.
    A single line with '; ' separators is split there too."""
    lines = [line for line in re.split(r"\r\n|\r|\n", text or "") if line.strip()]
    if len(lines) == 1 and "; " in lines[0]:
        lines = lines[0].split("; ")
    return [_BULLET.sub("", line).strip() for line in lines if _BULLET.sub("", line).strip()]


def split_themes(text: str) -> list[str]:
    parts = re.split(r"[;,\n|]", text or "")
    seen: dict[str, str] = {}
    for part in parts:
        theme = " ".join(part.split()).strip(" #").lower()
        if theme and theme not in seen:
            seen[theme] = theme
    return list(seen)


def build_milestone(r: FieldReader, ref: str) -> Milestone:
    m = Milestone(
        ref=ref, title=r.text("title", required=True, what="milestone title"),
        workstream=r.text("workstream"), owner=r.text("owner"),
        baseline=r.board_date("baseline"), forecast=r.board_date("forecast"),
        actual=r.board_date("actual"), status=r.status("status", "milestone"),
        decision_body=r.text("decision_body"), dependencies=r.text("dependencies"),
        notes=r.text("notes"),
    )
    if m.actual is not None and not r.text("status"):
        m.status = "complete"
    if m.baseline is None and m.forecast is None and m.actual is None and r.text("title"):
        r.problem("baseline", "a milestone needs a baseline, forecast or actual date")
    return m


def build_risk(r: FieldReader, ref: str) -> Risk:
    mitigations = r.raw("mitigations")
    if isinstance(mitigations, list):
        items = [m if isinstance(m, Mitigation) else Mitigation(str(m)) for m in mitigations]
    else:
        items = [Mitigation(line) for line in split_lines(r.text("mitigations"))]
    risk = Risk(
        ref=ref, title=r.text("title", required=not r.text("description"), what="risk title"),
        description=r.text("description"), category=r.text("category"), owner=r.text("owner"),
        reviewed_by=r.text("reviewed_by"), workstream=r.text("workstream"),
        raised=r.board_date("raised"),
        inherent=r.rating("inherent_likelihood", "inherent_impact"),
        current=r.rating("likelihood", "impact"),
        target=r.rating("target_likelihood", "target_impact"),
        treatment=r.treatment("treatment"), controls=r.text("controls"), mitigations=items,
        review_date=r.board_date("review_date"), status=r.status("status", "risk"),
        closed_reason=r.text("closed_reason"), baf=r.yes_no("baf"),
        objectives=r.refs("objectives"), target_date=r.board_date("target_date"),
    )
    if not risk.title:
        risk.title = _first_sentence(risk.description)
    if risk.target is None:
        risk.target = _target_from_score(r)
    for name, rating in (("inherent_score", risk.inherent), ("score", risk.current),
                         ("target_score", risk.target)):
        _check_score(r, name, rating)
    rating_problems = any(p.column in (r.columns.get("likelihood", "likelihood"),
                                       r.columns.get("impact", "impact")) for p in r.problems)
    if risk.current is None and not rating_problems and (risk.title or risk.description):
        r.problem("likelihood", "a risk needs a likelihood and an impact (1 to 5)")
    return risk


_TARGET = re.compile(r"^\s*(\d+)\s*\(\s*L?\s*(\d)\s*[x×*]\s*I?\s*(\d)\s*\)\s*$", re.I)


def _target_from_score(r: FieldReader) -> Rating | None:
    """A target written as the risk log writes it, "6 (2 x 3)": score, then L x I."""
    match = _TARGET.match(r.text("target_score"))
    if not match:
        return None
    try:
        return Rating(int(match.group(2)), int(match.group(3)))
    except ScoreError as exc:
        r.problem("target_score", str(exc))
        return None


def _check_score(r: FieldReader, name: str, rating: Rating | None) -> None:
    """A score column is never stored (it is L x I), but one that disagrees with its
    likelihood and impact means the row was mistyped."""
    value = r.raw(name)
    if isinstance(value, str):
        match = _TARGET.match(value)
        value = match.group(1) if match else value.strip()
    try:
        number = float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return  # a band word ("High") in a score column says nothing to check
    if number is None or rating is None:
        return
    if number != rating.score:
        r.problem(name, f"score {value} is not likelihood x impact "
                        f"({rating.likelihood} x {rating.impact} = {rating.score})")


def _first_sentence(text: str) -> str:
    first = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]
    return first if len(first) <= 120 else first[:117].rstrip() + "..."


def build_feedback(r: FieldReader, ref: str) -> FeedbackItem:
    return FeedbackItem(
        ref=ref, comment=r.text("comment", required=True, what="comment"),
        event=r.text("event"), route=r.text("route"), date=r.board_date("date"),
        stakeholder_group=r.text("stakeholder_group"), themes=split_themes(r.text("themes")),
        action_taken=r.text("action_taken"), status=r.status("status", "feedback"),
        personal_data=r.text("personal_data").lower() in {"yes", "y", "true", "1", "x"},
    )


def build_action(r: FieldReader, ref: str) -> Action:
    return Action(
        ref=ref, description=r.text("description", required=True, what="description"),
        owner=r.text("owner"), due=r.board_date("due"), status=r.status("status", "action"),
        source=r.text("source"),
    )


BUILDERS: dict[str, Callable[[FieldReader, str], Any]] = {
    "milestones": build_milestone,
    "risks": build_risk,
    "feedback": build_feedback,
    "actions": build_action,
}


# --- checking an edited record by the rules that check typed input ---------------------------

_RATING_FIELDS = {"inherent": ("inherent_likelihood", "inherent_impact"),
                  "current": ("likelihood", "impact"),
                  "target": ("target_likelihood", "target_impact")}


def typed_values(record: Any) -> dict[str, Any]:
    """A record's fields as FieldReader reads typed input (a rating as its likelihood and
    impact, themes as one line), so an edit is checked by the same builder as an import."""
    values: dict[str, Any] = {}
    for f in fields(record):
        value = getattr(record, f.name)
        if f.name in _RATING_FIELDS:
            likelihood, impact = _RATING_FIELDS[f.name]
            values[likelihood] = value.likelihood if value else None
            values[impact] = value.impact if value else None
        elif f.name == "themes":
            values[f.name] = "; ".join(value)
        elif isinstance(value, bool):
            values[f.name] = "yes" if value else ""
        else:
            values[f.name] = value
    return values


def rebuild_record(kind: str, record: Any, where: str | None = None) -> tuple[Any, list[Problem]]:
    """A record as edited, read again by its builder: the record as an import would store it
    (text tidied, a missing title taken from the description) and every problem, each naming
    its field; no problems when it is valid."""
    reader = FieldReader(typed_values(record), where or f"{kind[:-1]} {record.ref}")
    built = BUILDERS[kind](reader, record.ref)
    built.uuid = record.uuid
    return built, reader.problems


def check_record(kind: str, record: Any, where: str | None = None) -> list[Problem]:
    return rebuild_record(kind, record, where)[1]
