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
}


def normalise(heading: Any) -> str:
    text = str(heading or "").lower().replace("\u00a0", " ")
    text = re.sub(r"[\r\n_]+", " ", text)  # "_" first, so "Likelihood_1_5" loses its scale
    text = re.sub(r"\(?\b1\s*[-_to ]+\s*5\b\)?", " ", text)  # "(1-5)", "_1_5"
    text = re.sub(r"[_\-/&.:#?*()\[\]]+", " ", text)
    return " ".join(text.split())


# A heading that appears more than once means the next stage each time: the first
# "Likelihood" is the initial (inherent) one, the second the residual (current), a third the target.
_REPEATS = {
    "likelihood": ("inherent_likelihood", "likelihood", "target_likelihood"),
    "impact": ("inherent_impact", "impact", "target_impact"),
    "score": ("inherent_score", "score", "target_score"),
}
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

    def field_columns(self) -> dict[str, str]:
        """field -> the user's heading, for messages."""
        return {f: self.headings[i] for i, f in self.columns.items()}

    def describe(self) -> list[dict[str, str]]:
        return [{"column": self.headings[i], "field": f} for i, f in sorted(self.columns.items())]


def match_heading(kind: str, heading: Any, taken: set[str]) -> str | None:
    key = normalise(heading)
    if not key:
        return None
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
    from rapidfuzz import fuzz, process

    choices = {syn: name for name, synonyms in SYNONYMS[kind].items() if name not in taken
               for syn in synonyms if len(syn) >= 6}
    for key in keys:
        if len(key) < 6:
            continue
        found = process.extractOne(key, list(choices), scorer=fuzz.ratio,
                                   score_cutoff=FUZZY_CUTOFF)
        if found:
            return choices[found[0]]
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
    repeats = _repeated(kind, headings, overrides, taken)
    columns.update(repeats)
    taken.update(repeats.values())
    for index, heading in enumerate(headings):
        if index in columns or normalise(heading) in overrides:
            continue
        name = match_heading(kind, heading, taken)
        if name:
            columns[index] = name
            taken.add(name)
    return columns


def _repeated(kind: str, headings: Sequence[Any], overrides: Mapping[str, str],
              taken: set[str]) -> dict[int, str]:
    """Columns whose heading repeats and means likelihood/impact/score: in stage order."""
    if kind != "risks":
        return {}
    by_key: dict[str, list[int]] = {}
    for index, heading in enumerate(headings):
        key = normalise(heading)
        if key and key not in overrides:
            by_key.setdefault(key, []).append(index)
    out: dict[int, str] = {}
    for key, indexes in by_key.items():
        if len(indexes) < 2:
            continue
        base = match_heading(kind, key, set())
        stages = _REPEATS.get(base or "")
        if not stages or len(indexes) > len(stages):
            continue
        for index, name in zip(indexes, stages, strict=False):
            if name not in taken:
                out[index] = name
    return out


def _score(kind: str, columns: dict[int, str]) -> int:
    fields = set(columns.values())
    return len(fields) + 2 * len(fields & _TELLTALES[kind])


def header_score(colmap: ColumnMap) -> int:
    """How well a sheet's header maps: for choosing among a workbook's sheets."""
    return _score(colmap.kind, colmap.columns)


def joined_header(upper: Sequence[Any], lower: Sequence[Any]) -> list[str]:
    """One heading per column from a two-row header: "Inherent risk" merged over three
    columns above "Likelihood | Impact | Score" gives "Inherent risk Likelihood", and so on.
    A merged cell keeps its text only in its first column, so the upper row's text is
    carried right across the blanks above a run of lower headings."""
    width = max(len(upper), len(lower))
    up = [str(upper[i]).strip() if i < len(upper) and upper[i] is not None else ""
          for i in range(width)]
    low = [str(lower[i]).strip() if i < len(lower) and lower[i] is not None else ""
           for i in range(width)]
    out = []
    carried = ""
    for i in range(width):
        if up[i]:
            carried = up[i] if low[i] else ""
        elif not low[i]:
            carried = ""
        top = up[i] or (carried if low[i] else "")
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
            raise ImportRefused(f"--map {k}={v}: {v!r} is not a field; fields are: "
                                + ", ".join(SYNONYMS[kinds[0]]))
    best: tuple[int, int, str, dict[int, str], list[Any]] | None = None
    joined_from: dict[int, int] = {}
    candidates: list[tuple[int, list[Any]]] = []
    head = grid.rows[:scan_rows]
    for position, (number, cells) in enumerate(head):
        candidates.append((number, cells))
        below = head[position + 1] if position + 1 < len(head) else None
        if below and below[0] == number + 1 and any(c in (None, "") for c in cells):
            candidates.append((below[0], joined_header(cells, below[1])))
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
    return ColumnMap(found_kind, number, columns, headings, kind_guessed=kind is None,
                     ignored=ignored, header_rows=rows)


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
