"""Find the header row, map the user's column headings onto record fields, and guess the
kind of records a sheet holds. Headings are matched after normalising case, spaces,
underscores and scale suffixes ("Likelihood_1_5", "Impact (1-5)")."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from ..domain.prose import quoted
from ..domain.treatment import parse_treatment
from .errors import ImportRefused
from .tabular import Grid

KINDS = ("risks", "milestones", "feedback", "actions")

# Canonical header first, then the common ways registers spell it. Order matters only
# between fields of one kind: the first field whose synonyms match a heading takes it.
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "risks": {
        "ref": ("ref", "risk id", "risk ref", "risk reference", "risk no", "risk number", "id",
                "reference", "ref no", "no"),
        "title": ("title", "risk", "risk title", "risk name", "risk summary", "summary", "short name",
                  "risk statement", "statement"),
        "description": ("description", "risk description", "risk detail", "details",
                        "risk and cause", "cause and effect", "current risks", "current risk"),
        "category": ("category", "risk category", "type", "risk type", "theme", "area"),
        "owner": ("owner", "risk owner", "lead", "responsible", "responsible officer",
                  "accountable officer", "assigned to"),
        "reviewed_by": ("reviewed by", "reviewing body", "review body", "reviewed_by",
                        "governance", "committee", "board"),
        "workstream": ("workstream", "work stream", "project", "programme area", "stream"),
        "raised": ("raised", "date raised", "date identified", "identified", "date added",
                   "date opened", "opened", "logged", "date logged", "created"),
        # Likelihood, impact and score headings are read by _rating_heading, as a stage
        # ("Residual", "Gross", "Target"...) and a base ("Probability", "Severity"...); these
        # lists are the field names --map accepts and a fallback for close misspellings.
        "inherent_likelihood": ("inherent likelihood", "initial likelihood", "gross likelihood",
                                "original likelihood", "pre mitigation likelihood",
                                "unmitigated likelihood", "inherent probability"),
        "inherent_impact": ("inherent impact", "initial impact", "gross impact",
                            "original impact", "pre mitigation impact", "unmitigated impact",
                            "inherent consequence", "inherent severity"),
        "likelihood": ("likelihood", "current likelihood", "residual likelihood", "probability",
                       "current probability", "l"),
        "impact": ("impact", "current impact", "residual impact", "severity", "consequence",
                   "current consequence", "current severity", "i"),
        "target_likelihood": ("target likelihood", "tolerable likelihood",
                              "post mitigation likelihood"),
        "target_impact": ("target impact", "tolerable impact", "post mitigation impact",
                          "target consequence", "target severity"),
        "controls": ("controls", "existing controls", "current controls", "controls in place",
                     "key controls", "existing control", "current control"),
        # What will be done about the risk, in sentences. A "Response" naming one of the four
        # Ts is the treatment (below); one written in sentences is read as mitigations.
        "mitigations": ("mitigations", "mitigation", "mitigating actions", "mitigating action",
                        "mitigation action", "mitigation actions", "mitigation plan",
                        "mitigation strategy", "mitigation strategies", "mitigation measures",
                        "mitigating actions controls", "mitigating action controls",
                        "control measures", "control measures comments", "recommended control",
                        "recommended controls", "response description", "response plan",
                        "response actions", "actions", "action plan", "further actions",
                        "planned actions", "additional controls", "further controls"),
        # How the organisation chose to respond: Treat, Tolerate, Transfer, Terminate (and the
        # words other registers use for them). Never mitigations.
        "treatment": ("treatment", "response", "response strategy", "risk response",
                      "risk treatment", "response type", "treatment strategy",
                      "treatment option", "response option", "risk response strategy"),
        "review_date": ("review date", "next review", "next review date", "review by",
                        "review", "reviewed", "last reviewed", "date of review"),
        "status": ("status", "risk status", "current status", "open closed", "state"),
        # Scores are worked out (L x I), never stored: a score column is only checked
        # against its likelihood and impact, and a target "6 (2 x 3)" gives the target.
        "inherent_score": ("inherent score", "initial score", "gross score", "original score",
                           "pre mitigation score", "inherent rating score"),
        "score": ("score", "current score", "residual score", "current risk score",
                  "risk score", "net score"),
        "target_score": ("target score", "tolerable score", "post mitigation score",
                         "target"),
        "closed_reason": ("reason closed", "closed reason", "closure reason",
                          "reason for closure"),
        # The Board Assurance Framework: the objectives a principal risk threatens (refs),
        # whether it is one (yes/no), and when its target score is to be reached.
        "objectives": ("objectives", "objective", "strategic objectives", "strategic objective",
                       "linked objectives", "objective refs"),
        "baf": ("baf", "on baf", "in baf", "baf risk", "principal risk",
                "board assurance framework", "assurance framework"),
        "target_date": ("target date", "date to reach target", "target score date",
                        "target score by", "target achieved by"),
    },
    "milestones": {
        "ref": ("ref", "milestone id", "milestone ref", "id", "no", "reference", "number"),
        "title": ("title", "milestone", "milestones", "milestone title", "description",
                  "deliverable", "task", "activity", "name"),
        "workstream": ("workstream", "work stream", "project", "stream"),
        "owner": ("owner", "lead", "responsible", "milestone owner"),
        "baseline": ("baseline", "baseline date", "planned", "planned date", "original date",
                     "target date", "due", "due date", "date", "dates", "timescale",
                     "timeline", "when"),
        "forecast": ("forecast", "forecast date", "revised date", "expected", "expected date",
                     "current forecast", "revised"),
        "actual": ("actual", "actual date", "completed", "completion date", "date completed",
                   "achieved"),
        "status": ("status", "progress", "state"),
        "notes": ("notes", "comments", "comment", "commentary", "update", "remarks"),
    },
    "feedback": {
        "event": ("event", "engagement event", "session", "meeting", "workshop"),
        "route": ("route", "engagement route", "channel", "method", "engagement type"),
        "date": ("date", "event date", "date of event", "when"),
        "stakeholder_group": ("stakeholder group", "stakeholder", "group", "audience",
                              "who", "respondent"),
        "comment": ("comment", "comments", "you said", "feedback", "what was said", "issue",
                    "views", "response"),
        "themes": ("themes", "theme", "tags", "topic", "topics", "category"),
        "action_taken": ("action taken", "we did", "response to feedback", "action",
                         "actions taken", "outcome", "what we did"),
        "status": ("status", "state"),
        "personal_data": ("personal data", "personal", "contains personal data", "pii"),
    },
    "actions": {
        "ref": ("ref", "action id", "action ref", "action no", "id", "no", "reference"),
        "description": ("description", "action", "actions", "action description", "task",
                        "what"),
        "owner": ("owner", "action owner", "lead", "responsible", "who", "assigned to", "by whom"),
        "due": ("due", "due date", "target date", "deadline", "by when", "date due", "when",
                "target"),
        "status": ("status", "progress", "state", "rag"),
        "source": ("source", "origin", "raised at", "from", "minute", "linked to"),
    },
    # A committee's forward plan. Not in KINDS: it is imported with --kind agenda, never guessed.
    "agenda": {
        "committee": ("committee", "board", "meeting of", "body"),
        "meeting_date": ("meeting date", "meeting_date", "date", "date of meeting", "meeting"),
        "time": ("time", "start", "start time"),
        "place": ("place", "venue", "location", "room"),
        "item_no": ("item no", "item", "item number", "no", "number", "agenda item"),
        "title": ("title", "item title", "subject", "report", "report title"),
        "part": ("part", "public private", "public or private", "exempt"),
        "exemption": ("exemption", "exemption paragraph", "exempt paragraph", "reason exempt"),
        "item_type": ("item type", "type", "heading", "section"),
        "presenter": ("presenter", "report of", "lead officer", "author", "presented by", "by"),
        "notes": ("notes", "details", "sub items", "description"),
        "document": ("document", "file", "report file", "attachment", "path"),
        "paper": ("paper", "paper ref", "register paper"),
        "minutes_of": ("minutes of", "minutes_of", "minutes of meeting"),
    },
    # The Board Assurance Framework (imported with --kind, never guessed): strategic
    # objectives, and the sources of assurance on principal risks' controls.
    "objectives": {
        "ref": ("ref", "objective ref", "objective id", "objective no", "id", "no", "number",
                "reference"),
        "objective": ("objective", "strategic objective", "objectives", "description", "title",
                      "aim"),
        "lead": ("lead", "executive lead", "lead director", "lead executive", "owner",
                 "responsible director", "sro"),
        "committee": ("committee", "lead committee", "assuring committee",
                      "oversight committee", "board committee"),
    },
    "assurances": {
        "risk": ("risk", "risk ref", "principal risk", "risk id", "baf risk", "baf ref"),
        "control": ("control", "key control", "controls", "control in place", "key controls"),
        "line": ("line", "line of defence", "line of assurance", "assurance line",
                 "lines of defence"),
        "source": ("source", "source of assurance", "sources of assurance", "assurance source",
                   "evidence", "assurance"),
        "date": ("date", "assurance date", "date of assurance", "date reported", "reported"),
        "rating": ("rating", "assurance rating", "positive negative", "result", "outcome",
                   "assurance received"),
        "gap_in_control": ("gap in control", "gaps in control", "control gap", "control gaps"),
        "gap_in_assurance": ("gap in assurance", "gaps in assurance", "assurance gap",
                             "assurance gaps"),
        "action": ("action", "action ref", "actions", "action to close gap", "gap action",
                   "action to address gap"),
    },
    # Members' registers of interests and their declarations at meetings, and a paper's
    # options appraisal (each imported with --kind, never guessed).
    "interests": {
        "member": ("member", "councillor", "name", "member name", "board member", "who"),
        "interest": ("interest", "interests", "description", "details", "interest held",
                     "nature of interest", "description of interest"),
        "kind": ("kind", "type", "category", "interest type", "type of interest",
                 "kind of interest", "category of interest"),
        "from": ("from", "from date", "start", "start date", "date from", "registered",
                 "date registered", "held from"),
        "to": ("to", "to date", "end", "end date", "date to", "until", "ended", "held to"),
    },
    "declarations": {
        "meeting": ("meeting", "meeting ref", "meeting date", "date", "meeting_date"),
        "item_no": ("item no", "item", "item number", "agenda item", "minute", "no"),
        "member": ("member", "councillor", "name", "member name", "who", "declared by"),
        "interest": ("interest", "interest declared", "details", "description",
                     "nature of interest"),
        "kind": ("kind", "type", "category", "interest type", "type of interest",
                 "kind of interest"),
        "action": ("action", "what they did", "outcome", "action taken", "left the room",
                   "participation"),
    },
    "options": {
        "paper": ("paper", "paper ref", "business case", "report"),
        "option": ("option", "option name", "name", "short name", "options"),
        "summary": ("summary", "description", "option description", "what it is"),
        "benefits": ("benefits", "benefit", "advantages", "pros", "strengths"),
        "risks": ("risks", "risk", "disadvantages", "cons", "weaknesses", "key risks"),
        "verdict": ("verdict", "outcome", "status", "decision", "result", "assessment"),
        "reason": ("reason", "reasons", "rationale", "why", "justification", "comment"),
    },
    "option-scores": {
        "paper": ("paper", "paper ref", "business case", "report"),
        "criterion": ("criterion", "criteria", "critical success factor",
                      "critical success factors", "csf", "factor"),
        "weight": ("weight", "weighting", "weight %", "weighting %"),
        "option": ("option", "option name", "short name"),
        "score": ("score", "mark", "rating"),
        "rationale": ("rationale", "reason", "comment", "comments", "why", "justification"),
    },
    # A council's forward plan of key decisions (imported with --kind, never guessed).
    "key-decisions": {
        "ref": ("ref", "reference", "decision ref", "key decision ref", "id", "no", "number",
                "forward plan ref", "fp ref"),
        "matter": ("matter", "matter for decision", "subject", "title", "decision",
                   "description", "matter to be decided", "item"),
        "decision_maker": ("decision maker", "decision taker", "decision-maker",
                           "decision making body", "who will decide", "decided by", "by"),
        "date": ("date", "decision date", "date of decision", "date or period",
                 "date of decision or period", "when", "expected date"),
        "key": ("key", "key decision", "key decision yes no", "is key", "key yes no"),
        "exempt": ("exempt", "private", "public or private", "exempt paragraph",
                   "exemption", "private paragraph", "confidential or exempt"),
        "documents": ("documents", "documents to be considered", "documents submitted",
                      "background papers", "reports", "papers"),
        "contact": ("contact", "contact officer", "lead officer", "officer", "report author"),
        "published": ("published", "first published", "date first published",
                      "date published", "date added", "added to plan"),
        "notice": ("notice", "procedure", "exception", "general exception or urgency",
                   "urgency"),
        "status": ("status", "state", "outcome"),
    },
    # What happened at a meeting, one line each (ooh-desk minutes --record FILE).
    "minutes": {
        "section": ("section", "kind", "record", "what"),
        "item_no": ("item no", "item", "item number", "no", "minute"),
        "name": ("name", "who", "person"),
        "organisation": ("organisation", "organization", "representing", "body"),
        "text": ("text", "minute text", "resolved", "decision", "description", "note",
                 "substitute for"),
        "owner": ("owner", "action owner", "by whom"),
        "due": ("due", "due date", "by when"),
    },
}

# Headings that say most clearly what a sheet is (used to guess the kind).
_TELLTALES = {
    "risks": {"likelihood", "impact", "inherent_likelihood", "mitigations", "controls"},
    "milestones": {"baseline", "forecast", "actual"},
    "feedback": {"comment", "action_taken", "stakeholder_group", "route", "event"},
    "actions": {"due", "description", "source"},
    "agenda": {"meeting_date", "item_no", "part", "document"},
    "minutes": {"section", "item_no", "text"},
    "key-decisions": {"matter", "decision_maker", "published", "exempt"},
    "interests": {"member", "interest", "kind"},
    "declarations": {"meeting", "item_no", "member", "action"},
    "options": {"option", "benefits", "risks", "verdict"},
    "option-scores": {"criterion", "weight", "option", "score"},
    "objectives": {"objective", "lead", "committee"},
    "assurances": {"line", "source", "rating", "gap_in_control", "gap_in_assurance"},
}


_STAGE_WORD = re.compile(r"\b(?:initial|inherent|gross|original|unmitigated|uncontrolled|residual|"
                         r"current|controlled|net|target|tolerance|tolerable|appetite|before|"
                         r"after|pre|post)\b")


@functools.lru_cache(maxsize=8192, typed=True)
def normalise(heading: Any) -> str:
    """A heading as the synonym lists spell it. Pure, and asked of the same headings many
    times over while the header is found (each of 30 rows, for each kind), so kept."""
    text = str(heading or "").lower().replace("\u00a0", " ")
    text = re.sub(r"[\r\n_]+", " ", text)  # "_" first, so "Likelihood_1_5" loses its scale
    text = re.sub(r"\(?\b1\s*[-_to ]+\s*5\b\)?", " ", text)  # "(1-5)", "_1_5", "L_1to5"
    # A hint in brackets says how a column is filled, not what it is: "Impact (High/Med/Low)",
    # "Recommended control(s)", "Impact (monetary)". Brackets naming a stage ("Likelihood
    # (residual)") are kept, and so is a heading that is all brackets.
    bare = re.sub(r"[(\[]([^()\[\]]*)[)\]]",
                  lambda m: f" {m.group(1)} " if _STAGE_WORD.search(m.group(1)) else " ", text)
    if re.search(r"\w", bare):
        text = bare
    text = text.replace("#", " no ")  # "Risk #" is the risk's number
    text = re.sub(r"[_\-/&.:#?*()\[\]]+", " ", text)
    return " ".join(text.split())


# A likelihood, impact or score heading is a stage and a base: "Residual Probability" is the
# current likelihood, "Gross risk score" the inherent score. A heading with no stage is the
# current one, unless the sheet names its current columns ("Residual ...") and not its
# inherent ones: then the plain columns are the inherent scores.
_STAGES = {
    "inherent": ("initial", "inherent", "gross", "original", "unmitigated", "uncontrolled",
                 "pre mitigation", "pre mitigated", "premitigation", "before controls",
                 "before control", "before mitigation", "pre control", "pre controls"),
    "current": ("residual", "current", "controlled", "net", "after controls", "after control",
                "post control", "post controls"),
    "target": ("target", "tolerance", "tolerable", "appetite", "post mitigation",
               "post mitigated", "postmitigation", "after mitigation", "desired"),
}
_LIKELIHOOD = {"likelihood", "probability", "prob", "l", "p"}
_IMPACT = {"impact", "consequence", "consequences", "severity", "i"}
_SCORE = {"score", "rating", "level", "exposure"}
# A band in words says nothing the likelihood and impact do not: OOH Desk works it out.
_BAND = {"rag", "rag status", "rag rating", "band", "risk band", "rating band", "heat"}
# Words that add nothing to a likelihood, impact or score heading.
_FILLER = {"risk", "the", "of", "overall", "total", "value", "assessment", "occurrence", "x",
           "×", "scale", "score", "rating", "level"}
_STAGE_ORDER = ("inherent", "current", "target")
BAND_REASON = "a band in words; OOH Desk works the band out from likelihood x impact"
_OTHER_FIELDS = {synonym for name, synonyms in SYNONYMS["risks"].items()
                 if name.split("_")[-1] not in ("likelihood", "impact", "score")
                 for synonym in synonyms}


@dataclass(frozen=True)
class _Rated:
    stage: str | None  # inherent, current, target; None when the heading names no stage
    base: str  # likelihood, impact, score, or band
    said: str = ""  # the words that named the stage ("residual")


@functools.lru_cache(maxsize=4096)
def _rating_heading(key: str) -> _Rated | None:
    """What a normalised heading says about a likelihood, impact or score; None when it names
    none of them ("Risk", "Current status", "Target date"). A heading that is word for word
    another field's synonym is that field: "Current risks" in a board paper's table holds
    the risks' descriptions."""
    if key in _OTHER_FIELDS:
        return None
    text = f" {key} "
    stages = []
    for stage, phrases in _STAGES.items():
        for phrase in sorted(phrases, key=len, reverse=True):
            if f" {phrase} " in text:
                stages.append((stage, phrase))
                text = text.replace(f" {phrase} ", " ")
    if len({s for s, _ in stages}) > 1:
        return None
    stage, said = stages[0] if stages else (None, "")
    words = text.split()
    if " ".join(w for w in words if w != "risk") in _BAND:
        return _Rated(stage, "band", said)
    if any(w not in _LIKELIHOOD | _IMPACT | _FILLER for w in words):
        return None
    likely = [w for w in words if w in _LIKELIHOOD]
    impact = [w for w in words if w in _IMPACT]
    # A letter ("L", "I") is a base only as the whole heading: "L", "Residual L", "L x I".
    if any(len(w) == 1 for w in likely + impact) and \
            any(w not in _LIKELIHOOD | _IMPACT | {"x", "×"} for w in words):
        return None
    if likely and impact:
        return _Rated(stage, "score", said)  # "Likelihood x Impact"
    if likely or impact:
        return _Rated(stage, "likelihood" if likely else "impact", said)
    if any(w in _SCORE for w in words) or (stage and words in ([], ["risk"])):
        return _Rated(stage, "score", said)  # "Risk rating", "Residual risk", "Target"
    return None


def _stage_field(stage: str | None, base: str) -> str:
    return {"inherent": "inherent_", "target": "target_"}.get(stage or "", "") + base


def _base(name: str) -> str:
    return name.removeprefix("inherent_").removeprefix("target_")


# Close misspellings ("Likelyhood", "Catagory") match a synonym of six letters or more at
# or above this similarity (rapidfuzz ratio, 0-100).
FUZZY_CUTOFF = 85


@dataclass
class ColumnMap:
    kind: str
    header_row: int
    columns: dict[int, str]  # column index -> field
    headings: dict[int, str]  # column index -> the user's heading
    kind_guessed: bool = False
    ignored: list[str] = field(default_factory=list)
    header_rows: tuple[int, ...] = ()  # two when the header was joined from two rows
    # Filled by settle(): up to three values from each column, as the user typed them, and
    # in words why a column was read as it was ("'Residual' is the current score") or
    # left out ("no field matches", "a band in words ...").
    samples: dict[int, list[str]] = field(default_factory=dict)
    why: dict[int, str] = field(default_factory=dict)

    def field_columns(self) -> dict[str, str]:
        """field -> the user's heading, for messages."""
        return {f: self.headings[i] for i, f in self.columns.items()}

    def describe(self) -> list[dict[str, str]]:
        return [{"column": self.headings[i], "field": f} for i, f in sorted(self.columns.items())]

    def account(self) -> list[dict[str, Any]]:
        """Every headed column in sheet order: its letter, the field it became (None when
        ignored), sample values and why."""
        return [{"column": heading, "letter": column_letter(i), "field": self.columns.get(i),
                 "samples": self.samples.get(i, []), "why": self.why.get(i, "")}
                for i, heading in sorted(self.headings.items())]


def column_letter(index: int) -> str:
    """A spreadsheet column's letters from its 0-based index: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def match_heading(kind: str, heading: Any, taken: set[str]) -> str | None:
    key = normalise(heading)
    if not key:
        return None
    if kind == "risks" and (rated := _rating_heading(key)) is not None:
        name = _stage_field(rated.stage, rated.base)
        return name if rated.base != "band" and name not in taken else None
    # "Current risk likelihood" from a joined two-row header reads as "current likelihood".
    keys = [key]
    shorter = " ".join(w for w in key.split() if w != "risk")
    if shorter and shorter != key:
        keys.append(shorter)
    for candidate in keys:
        for name, synonyms in SYNONYMS[kind].items():
            if name not in taken and candidate in synonyms:
                return name
    return _fuzzy(kind, keys, taken)


def _fuzzy(kind: str, keys: list[str], taken: set[str]) -> str | None:
    for key in keys:
        if len(key) < 6:
            continue
        found = next((name for name in _close_fields(kind, key) if name not in taken), None)
        if found:
            return found
    return None


@functools.lru_cache(maxsize=8192)
def _close_fields(kind: str, key: str) -> tuple[str, ...]:
    """The fields whose synonyms `key` is a close misspelling of, closest first: the same
    heading is looked for in each of the header's candidate rows."""
    from rapidfuzz import fuzz, process

    choices = _fuzzy_choices(kind)
    found = process.extract(key, choices[0], scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF,
                            limit=None)
    # Closest first; between equals, the synonym listed first, as extractOne chose.
    found = sorted(found, key=lambda f: (-f[1], f[2]))
    return tuple(dict.fromkeys(choices[1][index] for _, _, index in found))


@functools.cache
def _fuzzy_choices(kind: str) -> tuple[list[str], list[str]]:
    """The synonyms of six letters or more, and the field each names."""
    pairs = [(syn, name) for name, synonyms in SYNONYMS[kind].items() for syn in synonyms
             if len(syn) >= 6]
    return [syn for syn, _ in pairs], [name for _, name in pairs]


def map_headings(kind: str, headings: Sequence[Any],
                 overrides: Mapping[str, str] | None = None) -> dict[int, str]:
    return _map(kind, headings, overrides)[0]


def _map(kind: str, headings: Sequence[Any], overrides: Mapping[str, str] | None
         ) -> tuple[dict[int, str], dict[int, str]]:
    """column index -> field, and column index -> why, where the reading needs saying."""
    overrides = {normalise(k): v for k, v in (overrides or {}).items()}
    columns: dict[int, str] = {}
    taken: set[str] = set()
    for index, heading in enumerate(headings):
        key = normalise(heading)
        if key in overrides:
            wanted = overrides[key]
            if wanted in ("", "-", "ignore"):
                continue
            columns[index] = wanted
            taken.add(wanted)
    rated, why = _repeated(kind, headings, overrides, taken)
    columns.update(rated)
    taken.update(rated.values())
    for index, heading in enumerate(headings):
        key = normalise(heading)
        if index in columns or key in overrides or (kind == "risks" and _rating_heading(key)):
            continue
        name = match_heading(kind, heading, taken)
        if name:
            columns[index] = name
            taken.add(name)
    return columns, why


def _repeated(kind: str, headings: Sequence[Any], overrides: Mapping[str, str],
              taken: set[str]) -> tuple[dict[int, str], dict[int, str]]:
    """The likelihood, impact and score columns of a risk sheet, each given its stage: the
    stage the heading names; else, for a heading that repeats, the next stage each time (the
    first "Likelihood" the inherent, the second the current, a third the target); else the
    current, or the inherent when the sheet names its current columns and not its inherent."""
    if kind != "risks":
        return {}, {}
    parsed: dict[int, tuple[_Rated, str]] = {}
    for index, heading in enumerate(headings):
        key = normalise(heading)
        if key and key not in overrides and (rated := _rating_heading(key)) is not None \
                and rated.base != "band":
            parsed[index] = (rated, key)
    columns: dict[int, str] = {}
    why: dict[int, str] = {}
    claimed = set(taken)

    def claim(index: int, name: str, reason: str) -> bool:
        if name in claimed:
            return False
        columns[index] = name
        claimed.add(name)
        if reason:
            why[index] = reason
        return True

    named: dict[str, dict[str, str]] = {}  # stage -> base -> a heading that names them
    for index, (rated, _) in parsed.items():
        if rated.stage:
            named.setdefault(rated.stage, {}).setdefault(rated.base, str(headings[index]).strip())
            claim(index, _stage_field(rated.stage, rated.base),
                  "" if rated.said == rated.stage
                  else f"'{rated.said.capitalize()}': the {rated.stage} {rated.base}")
    plain = "inherent" if "current" in named and "inherent" not in named else "current"

    def beside(stage: str, base: str) -> str:
        others = [named[s].get(base) or next(iter(named[s].values()))
                  for s in _STAGE_ORDER if s in named and s != stage]
        return f"no stage named; beside {' and '.join(map(repr, others))}, the {stage} {base}" \
            if others else ""

    by_base: dict[str, list[int]] = {}
    for index, (rated, _) in parsed.items():
        if rated.stage is None:
            by_base.setdefault(rated.base, []).append(index)
    for base, indexes in by_base.items():
        keys = [parsed[i][1] for i in indexes]
        repeats = [i for i in indexes if keys.count(parsed[i][1]) > 1]
        if repeats:
            free = [s for s in _STAGE_ORDER if _stage_field(s, base) not in claimed]
            for n, (index, stage) in enumerate(zip(repeats, free, strict=False)):
                claim(index, _stage_field(stage, base),
                      f"{_ORDINALS[n]} of {len(repeats)} {str(headings[index]).strip()!r} "
                      f"columns: the {stage} {base}")
            continue
        other = "inherent" if plain == "current" else "current"
        for stage in (plain, other):
            if claim(indexes[0], _stage_field(stage, base), beside(stage, base)):
                break
    _only_pair_is_current(headings, columns, why, taken)
    return columns, why


def _stage(name: str) -> str:
    return next((s for s in ("inherent", "target") if name.startswith(s + "_")), "current")


def _only_pair_is_current(headings: Sequence[Any], columns: dict[int, str], why: dict[int, str],
                          taken: set[str]) -> None:
    """A sheet that scores risks at one stage only ("Gross likelihood", "Gross impact") gives
    the current score: it is the only one the register knows."""
    stages = {_stage(n) for n in columns.values() if _base(n) in ("likelihood", "impact")}
    if len(stages) != 1 or (only := stages.pop()) == "current" \
            or {"likelihood", "impact", "score"} & taken:
        return
    for index, name in list(columns.items()):
        if _stage(name) == only:
            columns[index] = _base(name)
            why[index] = f"{str(headings[index]).strip()!r} is the sheet's only " \
                         f"{_base(name)}: read as the current one"


_ORDINALS = ("first", "second", "third", "fourth", "fifth")


def settle(grid: Grid, colmap: ColumnMap, overrides: Mapping[str, str] | None = None
           ) -> ColumnMap:
    """Check a mapping made from the headings against the values below them, and say why
    each column was read as it was or left out. An empty column gives its field up to one
    with values that would take it; a score column of words ("High") is a band, left out;
    a "Response" column of sentences holds mitigations, not a treatment. A column the user
    mapped with --map is taken as said."""
    said = {normalise(k): v for k, v in (overrides or {}).items()}
    chosen = {i for i, h in colmap.headings.items() if normalise(h) in said}
    values = _column_values(grid, colmap.header_row, colmap.headings,
                            {i for i, f in colmap.columns.items() if f in _WHOLE})
    hidden = set(getattr(grid, "hidden_columns", None) or ())
    width = max(colmap.headings, default=-1) + 1
    headings = [colmap.headings.get(i, "") for i in range(width)]
    blank = {i for i in range(width) if i in hidden and not values.get(i) and i not in chosen}

    def without(left_out: set[int]) -> list[str]:
        return ["" if i in left_out else h for i, h in enumerate(headings)]

    columns = dict(colmap.columns)
    remapped, why = _map(colmap.kind, without(blank), overrides)
    why = {i: w for i, w in why.items() if remapped.get(i) == columns.get(i)}
    # An empty column gives its field up to a column with values that would take it.
    for _ in range(3):
        losers = {i for i, name in columns.items() if i not in chosen and not values.get(i)
                  and any(values.get(j) and j not in columns and j not in chosen
                          and (rival := match_heading(colmap.kind, headings[j], set()))
                          and _base(rival) == _base(name) for j in colmap.headings)}
        if not losers:
            break
        blank |= losers
        columns, why = _map(colmap.kind, without(blank), overrides)
    reasons: dict[int, str] = {}
    if colmap.kind == "risks":
        _settle_risk_columns(colmap, columns, values, chosen, why, reasons)
    for i, heading in colmap.headings.items():
        if i not in columns and i not in reasons:
            reasons[i] = _why_ignored(colmap, i, heading, columns, values, said, hidden, blank)
    colmap.columns = columns
    colmap.ignored = [h for i, h in sorted(colmap.headings.items()) if i not in columns]
    colmap.samples = {i: [_shown(v) for v in values.get(i, [])[:3]] for i in colmap.headings}
    colmap.why = {i: w for i, w in why.items() if i in columns} | reasons
    return colmap


def _column_values(grid: Grid, header_row: int, headings: Mapping[int, str],
                   whole: set[int]) -> dict[int, list[Any]]:
    """The values below the header, blanks left out, of each headed column: the first 200 for
    the columns in `whole` (enough to tell words from numbers), the first three of the
    others (enough for samples and to know a column is not empty)."""
    out: dict[int, list[Any]] = {i: [] for i in headings}
    wanted = set(headings)
    for number, cells in grid.rows:
        if number <= header_row:
            continue
        done = []
        for i in wanted:
            value = cells[i] if i < len(cells) else None
            if value is not None and not (isinstance(value, str) and not value.strip()):
                out[i].append(value)
                if len(out[i]) == (200 if i in whole else 3):
                    done.append(i)
        wanted.difference_update(done)
        if not wanted:
            break
    return out


_SCORES = ("inherent_score", "score", "target_score")
_WHOLE = (*_SCORES, "treatment")  # columns whose values decide what they are
_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)?\s*(?:\(.*\))?\s*$")  # 12, "12", "6 (2 x 3)"


def _settle_risk_columns(colmap: ColumnMap, columns: dict[int, str], values: dict[int, list[Any]],
                         chosen: set[int], why: dict[int, str], reasons: dict[int, str]) -> None:
    for i, name in sorted(columns.items()):
        held = values.get(i) or []
        if i in chosen or not held:
            continue
        if name in _SCORES and _mostly(held, _is_word):
            del columns[i]
            reasons[i] = BAND_REASON
        elif name == "treatment" and _mostly(held, _not_treatment):
            used = next((colmap.headings[j] for j, f in columns.items() if f == "mitigations"),
                        None)
            if used is None:
                columns[i] = "mitigations"
                why[i] = "sentences, not a treatment word (Treat, Tolerate, Transfer, " \
                         "Terminate): read as mitigations"
            else:
                del columns[i]
                reasons[i] = f"sentences, not a treatment word, and {used!r} gives the mitigations"


def _mostly(values: list[Any], test: Any) -> bool:
    return sum(1 for v in values if test(v)) > len(values) / 2


def _is_word(value: Any) -> bool:
    return not isinstance(value, int | float) and not _NUMBER.match(str(value))


def _not_treatment(value: Any) -> bool:
    try:
        parse_treatment(value)
    except ValueError:
        return True
    return False


def _why_ignored(colmap: ColumnMap, index: int, heading: str, columns: dict[int, str],
                 values: dict[int, list[Any]], said: Mapping[str, str], hidden: set[int],
                 blank: set[int]) -> str:
    key = normalise(heading)
    empty = not values.get(index)
    if key in said:
        return "--map said to ignore it"
    if index in hidden and empty:
        return "hidden and empty"
    if colmap.kind == "risks" and (rated := _rating_heading(key)) and rated.base == "band":
        return BAND_REASON
    wanted = match_heading(colmap.kind, heading, set())
    used = next((colmap.headings[j] for j, f in columns.items() if f == wanted), None)
    if wanted and used is not None:
        if index in blank:
            return f"empty; {used!r} gives the {wanted} values"
        return f"a second {wanted!r} column; {used!r} is used"
    return "empty" if empty and wanted else "no field matches"


def _shown(value: Any) -> str:
    """A sample value as the user would read it in their sheet."""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y" if value.time() == time() else "%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = " ".join(str(value).split())
    return text if len(text) <= 40 else text[:39] + "…"


def _score(kind: str, columns: dict[int, str]) -> int:
    fields = set(columns.values())
    return len(fields) + 2 * len(fields & _TELLTALES[kind])


def header_score(colmap: ColumnMap) -> int:
    """How well a sheet's header maps: for choosing among a workbook's sheets."""
    return _score(colmap.kind, colmap.columns)


# What a sheet must map to be taken for a register of the kind beside the best sheet: a
# risk sheet scores its risks; other kinds need two of their telltale headings.
_RATINGS = ({"likelihood", "inherent_likelihood", "target_likelihood"},
            {"impact", "inherent_impact", "target_impact"})


def looks_like(colmap: ColumnMap) -> bool:
    """Whether a sheet's header says plainly it holds records of its kind (a closed-risks
    sheet beside the open risks), not merely a few headings in common (an issues log)."""
    fields = set(colmap.columns.values())
    if colmap.kind == "risks":
        return all(fields & stage for stage in _RATINGS)
    return len(fields & _TELLTALES.get(colmap.kind, set())) >= 2


def joined_header(upper: Sequence[Any], lower: Sequence[Any], carry: bool = True) -> list[str]:
    """One heading per column from a two-row header: "Inherent risk" merged over three
    columns above "Likelihood | Impact | Score" gives "Inherent risk Likelihood", and so on.
    A merged cell keeps its text only in its first column, so unless the reader has already
    spread merged labels (`carry` False) the upper row's text is carried right across the
    blanks above a run of lower headings. A heading merged down both rows is said once."""
    width = max(len(upper), len(lower))
    up = [str(upper[i]).strip() if i < len(upper) and upper[i] is not None else ""
          for i in range(width)]
    low = [str(lower[i]).strip() if i < len(lower) and lower[i] is not None else ""
           for i in range(width)]
    out = []
    carried = ""
    for i in range(width):
        if up[i]:
            carried = up[i] if low[i] and carry else ""
        elif not low[i]:
            carried = ""
        top = up[i] or (carried if low[i] else "")
        if top == low[i]:
            top = ""
        out.append(" ".join(t for t in (top, low[i]) if t))
    return out


def find_header(grid: Grid, kind: str | None, overrides: Mapping[str, str] | None = None,
                scan_rows: int = 30) -> ColumnMap:
    """The header is the row, among the first few, whose headings map best."""
    overrides = dict(overrides or {})
    kinds = [kind] if kind else list(KINDS)
    if kind and kind not in SYNONYMS:
        raise ImportRefused(f"unknown kind {kind!r}; use one of: {', '.join(KINDS)}")
    for k, v in overrides.items():
        target_kinds = kinds if kind else KINDS
        if v not in ("", "-", "ignore") and not any(v in SYNONYMS[t] for t in target_kinds):
            pair = f"{k}={v}" if len(k) + len(v) < 60 else quoted(f"{k}={v}", 60)
            if len(v) >= 60:  # a field too long to read whole is quoted once, not twice
                pair = f"{quoted(k, 40)}=…"
            raise ImportRefused(f"--map {pair}: {quoted(v)} is not a field; fields are: "
                                + ", ".join(SYNONYMS[kinds[0]]))
    best: tuple[int, int, str, dict[int, str], list[Any]] | None = None
    joined_from: dict[int, int] = {}
    candidates: list[tuple[int, list[Any]]] = []
    head = grid.rows[:scan_rows]
    for position, (number, cells) in enumerate(head):
        candidates.append((number, cells))
        below = head[position + 1] if position + 1 < len(head) else None
        spread = number in grid.spread_rows
        if below and below[0] == number + 1 and (spread or any(c in (None, "") for c in cells)):
            candidates.append((below[0], joined_header(cells, below[1], carry=not spread)))
            joined_from[len(candidates) - 1] = number
    best_index = -1
    for index, (number, cells) in enumerate(candidates):
        if sum(1 for c in cells if str(c or "").strip()) < 2:
            continue
        for k in kinds:
            columns = map_headings(k, cells, overrides)
            score = _score(k, columns)
            if len(columns) >= 2 and (best is None or score > best[0]):
                best = (score, number, k, columns, cells)
                best_index = index
    if best is None:
        found = _first_headings(grid)
        raise ImportRefused(
            f"{grid.source}: no recognisable columns"
            + (f" (headings found: {found})" if found else " (the sheet is empty)")
            + "; name them like the canonical CSV headers, or use --map \"Their column=field\"")
    _, number, found_kind, columns, cells = best
    headings = {i: " ".join(str(c).split()) for i, c in enumerate(cells) if str(c or "").strip()}
    for i in columns:
        headings.setdefault(i, f"column {i + 1}")
    ignored = [h for i, h in headings.items() if i not in columns]
    rows = (joined_from[best_index], number) if best_index in joined_from else (number,)
    return settle(grid, ColumnMap(found_kind, number, columns, headings,
                                  kind_guessed=kind is None, ignored=ignored, header_rows=rows),
                  overrides)


def _first_headings(grid: Grid) -> str:
    for _, cells in grid.rows[:30]:
        texts = [str(c).strip() for c in cells if str(c or "").strip()]
        if len(texts) >= 2:
            return ", ".join(repr(t) for t in texts[:12])
    return ""


def parse_overrides(pairs: Sequence[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise ImportRefused(f"--map {quoted(pair, 60)}: write it as "
                                "\"Their column=field\"")
        heading, _, name = pair.rpartition("=")
        out[heading.strip()] = name.strip()
    return out
