"""Find the header row, map the user's column headings onto record fields, and guess the
kind of records a sheet holds. Headings are matched after normalising case, spaces,
underscores and scale suffixes ("Likelihood_1_5", "Impact (1-5)")."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import ImportRefused
from .tabular import Grid

KINDS = ("risks", "milestones", "feedback", "actions")

# Canonical header first, then the common ways registers spell it. Order matters only
# between fields of one kind: the first field whose synonyms match a heading takes it.
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "risks": {
        "ref": ("ref", "risk id", "risk ref", "risk reference", "risk no", "risk number", "id",
                "reference", "ref no", "no"),
        "title": ("title", "risk", "risk title", "risk name", "risk summary", "summary", "short name"),
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
                     "key controls"),
        "mitigations": ("mitigations", "mitigation", "mitigating actions", "mitigating action",
                        "mitigation action", "mitigation actions", "mitigation plan",
                        "actions", "action plan", "treatment", "response", "risk response",
                        "further actions", "planned actions"),
        "review_date": ("review date", "next review", "next review date", "review by",
                        "review", "reviewed", "last reviewed", "date of review"),
        "status": ("status", "risk status", "current status", "open closed", "state"),
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
}

# Headings that say most clearly what a sheet is (used to guess the kind).
_TELLTALES = {
    "risks": {"likelihood", "impact", "inherent_likelihood", "mitigations", "controls"},
    "milestones": {"baseline", "forecast", "actual"},
    "feedback": {"comment", "action_taken", "stakeholder_group", "route", "event"},
    "actions": {"due", "description", "source"},
}


def normalise(heading: Any) -> str:
    text = str(heading or "").lower().replace("\u00a0", " ")
    text = re.sub(r"[\r\n]+", " ", text)
    text = re.sub(r"\(?\b1\s*[-_to ]+\s*5\b\)?", " ", text)  # "(1-5)", "_1_5"
    text = re.sub(r"[_\-/&.:#?*()\[\]]+", " ", text)
    return " ".join(text.split())


@dataclass
class ColumnMap:
    kind: str
    header_row: int
    columns: dict[int, str]  # column index -> field
    headings: dict[int, str]  # column index -> the user's heading
    kind_guessed: bool = False
    ignored: list[str] = field(default_factory=list)

    def field_columns(self) -> dict[str, str]:
        """field -> the user's heading, for messages."""
        return {f: self.headings[i] for i, f in self.columns.items()}

    def describe(self) -> list[dict[str, str]]:
        return [{"column": self.headings[i], "field": f} for i, f in sorted(self.columns.items())]


def match_heading(kind: str, heading: Any, taken: set[str]) -> str | None:
    key = normalise(heading)
    if not key:
        return None
    for name, synonyms in SYNONYMS[kind].items():
        if name not in taken and key in synonyms:
            return name
    return None


def map_headings(kind: str, headings: Sequence[Any],
                 overrides: Mapping[str, str] | None = None) -> dict[int, str]:
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
    for index, heading in enumerate(headings):
        if index in columns or normalise(heading) in overrides:
            continue
        name = match_heading(kind, heading, taken)
        if name:
            columns[index] = name
            taken.add(name)
    return columns


def _score(kind: str, columns: dict[int, str]) -> int:
    fields = set(columns.values())
    return len(fields) + 2 * len(fields & _TELLTALES[kind])


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
            raise ImportRefused(f"--map {k}={v}: {v!r} is not a field; fields are: "
                                + ", ".join(SYNONYMS[kinds[0]]))
    best: tuple[int, int, str, dict[int, str], list[Any]] | None = None
    for number, cells in grid.rows[:scan_rows]:
        if sum(1 for c in cells if str(c or "").strip()) < 2:
            continue
        for k in kinds:
            columns = map_headings(k, cells, overrides)
            score = _score(k, columns)
            if len(columns) >= 2 and (best is None or score > best[0]):
                best = (score, number, k, columns, cells)
    if best is None:
        found = _first_headings(grid)
        raise ImportRefused(
            f"{grid.source}: no recognisable columns"
            + (f" (headings found: {found})" if found else " (the sheet is empty)")
            + "; name them like the canonical CSV headers, or use --map \"Their column=field\"")
    _, number, found_kind, columns, cells = best
    headings = {i: str(c).strip() for i, c in enumerate(cells) if str(c or "").strip()}
    for i in columns:
        headings.setdefault(i, f"column {i + 1}")
    ignored = [h for i, h in headings.items() if i not in columns]
    return ColumnMap(found_kind, number, columns, headings, kind_guessed=kind is None,
                     ignored=ignored)


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
            raise ImportRefused(f"--map {pair!r}: write it as \"Their column=field\"")
        heading, _, name = pair.rpartition("=")
        out[heading.strip()] = name.strip()
    return out
