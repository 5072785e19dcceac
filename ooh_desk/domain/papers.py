"""A paper: a report being drafted for a meeting, its narrative sections and the register
blocks it carries; reading a paper's narrative from a simple Markdown file; and the draft
OOH Desk writes from the register when there is no paper. Imports no Qt, no SQL, no Word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from ..errors import UserFacing
from .board_dates import long_date
from .changes import ChangeSummary, since_sentences
from .prose import counted, joined, the, titled
from .records import Action, Milestone, Programme, Risk, action_overdue, milestone_rag, new_uuid
from .scoring import band

# The narrative sections every house style knows, in the order a report reads them, with the
# headings people write for them (a Markdown "## Heading" is matched against these).
SECTIONS: dict[str, tuple[str, ...]] = {
    "purpose": ("purpose", "purpose of the report", "purpose of report"),
    "summary": ("summary", "executive summary"),
    "key_issues": ("key issues", "key points"),
    "recommendations": ("recommendations", "recommendation", "recommendations and reasons"),
    "background": ("background", "information/background", "information / background",
                   "introduction", "introduction / background", "information"),
    "options": ("options", "options considered", "options considered and recommended proposal"),
    "financial": ("financial", "financial implications", "finance", "resource implications",
                  "resources"),
    "legal": ("legal", "legal implications"),
    "equality": ("equality", "equality impact assessment", "equalities"),
    "ppi": ("ppi", "patient and public involvement", "patient and public engagement",
            "engagement", "ppe activity"),
    "risk": ("risk", "risks", "risk management", "risks and associated mitigation"),
    "objectives": ("objectives", "links to objectives", "ccg objectives", "strategic objectives"),
    "next_steps": ("next steps",),
}

# Register blocks a paper can carry, in the order a report shows them by default.
BLOCKS = ("timeline", "risk-log", "heat-map", "actions", "feedback", "decisions", "options")
DEFAULT_BLOCKS = ("timeline", "heat-map", "risk-log", "actions", "feedback")

DECISIONS = ("approval", "consideration", "noting")
STYLES = ("coventry", "durham", "nhs-cover")


class PaperError(UserFacing, ValueError):
    """Something wrong with a paper as typed; the message is one sentence for the user."""


@dataclass
class Paper:
    ref: str
    title: str
    committee: str = ""
    meeting: str = ""  # the meeting's ref, once meetings are in the register
    meeting_date: date | None = None
    author: str = ""
    author_title: str = ""
    directorate: str = ""
    contact: str = ""
    sponsor: str = ""
    decision: str = "noting"
    style: str = ""  # empty: the style chosen when the report is written
    # The narrative, in the user's order, keyed by the heading as the user typed it
    # ("Contract History", "Purpose of the Report"); `section(key)` finds one by its key.
    sections: dict[str, str] = field(default_factory=dict)
    blocks: list[str] = field(default_factory=lambda: list(DEFAULT_BLOCKS))
    include_closed_risks: bool = False
    exempt: bool = False  # private (exempt) business: never in a public pack
    exemption: str = ""  # the paragraph an exempt paper relies on: "Paragraph 3"
    uuid: str = field(default_factory=new_uuid)

    def section(self, name: str) -> str:
        """The text of the section a key names ('purpose'), whatever heading it was typed
        under ('Purpose of the Report'); empty if the paper has none."""
        heading = self.heading_for(name)
        return self.sections[heading].strip() if heading is not None else ""

    def heading_for(self, name: str) -> str | None:
        """The paper's own heading for the section `name` (a key or a heading), if it has one."""
        key = section_key(name)
        if name in self.sections:
            return name
        return next((h for h in self.sections if section_key(h) == key), None)

    def narrative(self) -> list[tuple[str, str, str]]:
        """(heading as typed, key, text) for every section with text, in the user's order."""
        return [(h, section_key(h), t.strip()) for h, t in self.sections.items() if t.strip()]


def section_key(heading: str) -> str:
    """The section a heading names: 'Purpose of the Report' -> 'purpose'. A heading OOH Desk
    does not know becomes its own section, kept under a tidy key."""
    text = " ".join(re.sub(r"^\s*\d+(\.\d+)*\.?\s*", "", heading).split()).strip(" :").lower()
    for key, names in SECTIONS.items():
        if text == key or text in names:
            return key
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_") or "section"


# A heading for a known section stored under its bare key (the draft's 'key_issues').
_KEY_TITLES = {"key_issues": "Key issues", "next_steps": "Next steps",
               "ppi": "Patient and public involvement", "financial": "Financial implications",
               "legal": "Legal implications", "equality": "Equality implications"}


def printed_heading(heading: str) -> str:
    """A user's heading as a report prints it: their words, without a number they typed
    ('5. Contract History' -> 'Contract History'), since each house style numbers its own.
    A bare key ('key_issues') is given its words ('Key issues')."""
    if heading in SECTIONS:
        return _KEY_TITLES.get(heading, heading.capitalize())
    return re.sub(r"^\s*\d+(\.\d+)*\.?\s+(?=\S)", "", " ".join(heading.split())) or heading


def repeats(text: str, other: str) -> bool:
    """Whether `text` is already said, word for word, within `other` (the draft's key
    issues within its summary), so a report need not print it twice."""
    short, long_ = " ".join(text.split()), " ".join(other.split())
    return bool(short) and short in long_


def upgrade_sections(stored: dict[str, str]) -> dict[str, str]:
    """Sections as registers before OOH Desk kept the typed heading stored them (keyed by the
    tidy key, 'contract_history'): the key made readable ('Contract history'). Known keys
    and typed headings pass as they are."""
    out: dict[str, str] = {}
    for heading, text in stored.items():
        if re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", heading) and heading not in SECTIONS:
            heading = heading.replace("_", " ").capitalize()
        out[heading] = text
    return out


def parse_decision(text: str) -> str:
    key = " ".join(str(text or "").split()).lower().removeprefix("for ")
    for decision in DECISIONS:
        if key in (decision, decision[:-3] + "e", decision[:3]) or key.startswith(decision):
            return decision
    if key in ("note", "information", "for information"):
        return "noting"
    if key in ("approve", "decision"):
        return "approval"
    if key in ("consider", "discussion"):
        return "consideration"
    raise PaperError(f"{text!r} is not a decision a paper can seek (use approval, consideration "
                     "or noting)")


def parse_blocks(text: str | Sequence[str]) -> list[str]:
    items = text if not isinstance(text, str) else re.split(r"[,;\s]+", text)
    out = []
    for item in items:
        name = item.strip().lower().replace("_", "-")
        if not name:
            continue
        name = {"risks": "risk-log", "risk": "risk-log", "milestones": "timeline",
                "heatmap": "heat-map", "engagement": "feedback",
                "options-appraisal": "options", "appraisal": "options"}.get(name, name)
        if name not in BLOCKS:
            raise PaperError(f"{item!r} is not a register block (use: {', '.join(BLOCKS)})")
        if name not in out:
            out.append(name)
    return out


# Front matter a Markdown paper may start with, "Field: value" lines before the first heading.
_FRONT_FIELDS = {"title", "committee", "meeting", "meeting date", "date", "author", "author title",
                 "job title", "directorate", "contact", "sponsor", "decision", "style", "blocks",
                 "include closed risks", "exempt", "exemption"}


def parse_markdown(text: str, source: str = "the file") -> tuple[dict[str, str], dict[str, str]]:
    """Read a simple Markdown paper: optional 'Field: value' lines (and a '# Title') before the
    first '## Heading', then one section per '## Heading'. Returns (fields, sections), the
    sections in the file's order under their headings as typed."""
    fields: dict[str, str] = {}
    sections: dict[str, list[str]] = {}
    keys: set[str] = set()
    current: str | None = None
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        heading = re.match(r"^(#{1,3})\s+(.*?)\s*#*\s*$", line)
        if heading and len(heading.group(1)) == 1 and current is None:
            fields["title"] = heading.group(2)
            continue
        if heading and len(heading.group(1)) == 2:
            current = " ".join(heading.group(2).split())
            if section_key(current) in keys:
                raise PaperError(f"line {number} of {source}: the section "
                                 f"'{heading.group(2)}' appears twice")
            keys.add(section_key(current))
            sections[current] = []
            continue
        if current is None:
            front = re.match(r"^\s*([A-Za-z][A-Za-z ]*?)\s*:\s*(.*)$", line)
            if front and front.group(1).lower() in _FRONT_FIELDS:
                fields[front.group(1).lower()] = front.group(2).strip()
            elif line.strip():
                raise PaperError(f"line {number} of {source}: text before the first '## Heading' "
                                 "must be 'Field: value' lines (title, committee, author…)")
            continue
        sections[current].append(line)
    return fields, {k: "\n".join(v).strip() for k, v in sections.items()}


def paragraphs(text: str) -> list[str]:
    """A section's text as paragraphs: blank lines separate them; a line starting '- ' or
    '* ' is a bullet of its own and keeps its marker."""
    out: list[str] = []
    para: list[str] = []
    for line in (text or "").splitlines():
        stripped = line.strip()
        if not stripped:
            if para:
                out.append(" ".join(para))
                para = []
        elif re.match(r"^[-*•]\s+", stripped) or re.match(r"^(\d{1,2}|[a-z])[.)]\s+", stripped):
            if para:
                out.append(" ".join(para))
                para = []
            out.append(stripped)
        else:
            para.append(stripped)
    if para:
        out.append(" ".join(para))
    return out


def list_items(text: str) -> list[str]:
    """Recommendations as items: each bullet or numbered line, else each paragraph."""
    return [re.sub(r"^([-*•]|\d{1,2}[.)]|[a-z][.)])\s+", "", p) for p in paragraphs(text)]


# --- a section's Markdown as blocks a report writes ------------------------------------------

# A picture: ![alt text](file.png), the path optionally in <angle brackets>.
PICTURE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)>]*?)>?\s*\)")
# Where a stored picture's bytes are: the register's documents, by SHA-256, then its file name.
REGISTER_PICTURE = re.compile(r"^register:([0-9a-f]{64})/(.+)$")
_ALIGNMENT_ROW = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?$")
_BULLET = re.compile(r"^(\s*)[-*•+]\s+(.*)$")
_NUMBERED = re.compile(r"^(\s*)\d{1,3}[.)]\s+(.*)$")
_NUMBER = re.compile(r"^\(?[-+\u2212]?[£$€]?\s*[-+\u2212]?\d[\d,]*(\.\d+)?\s*"
                     r"(%|[kmb]n?|bn|m)?\)?$", re.IGNORECASE)


@dataclass(frozen=True)
class TextBlock:
    text: str


@dataclass(frozen=True)
class SubHeading:
    text: str


@dataclass(frozen=True)
class ListItem:
    text: str
    numbered: bool
    first: bool  # the first item of its list: a numbered list starts again at 1
    level: int = 0


@dataclass(frozen=True)
class TableBlock:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: tuple[str, ...]  # per column: "left", "right" or "center"


@dataclass(frozen=True)
class PictureBlock:
    alt: str
    target: str  # a path as typed, or register:SHA256/name once stored


Block = TextBlock | SubHeading | ListItem | TableBlock | PictureBlock


def is_number(text: str) -> bool:
    """A cell a reader compares by its digits: '12.4', '£1,250', '(3.2)', '45%', '£2.1m'."""
    return bool(_NUMBER.match(text.strip()))


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)]


def _table(lines: Sequence[str]) -> TableBlock:
    headers = _cells(lines[0])
    marks = _cells(lines[1])
    width = len(headers)
    rows = []
    for line in lines[2:]:
        cells = _cells(line)
        if len(cells) > width:  # never drop what was typed: the spare cells join the last
            cells = cells[:width - 1] + [" | ".join(c for c in cells[width - 1:] if c)]
        rows.append(tuple(cells + [""] * (width - len(cells))))
    align = []
    for n in range(width):
        mark = marks[n] if n < len(marks) else ""
        values = [r[n] for r in rows if r[n]]
        if mark.startswith(":") and mark.endswith(":"):
            align.append("center")
        elif mark.endswith(":") or (values and all(is_number(v) for v in values)):
            align.append("right")
        else:
            align.append("left")
    return TableBlock(tuple(headers), tuple(rows), tuple(align))


def narrative_blocks(text: str) -> list[Block]:
    """A section's Markdown as the blocks a report writes: paragraphs (blank lines separate
    them), '### ' sub-headings, bullet ('- ', '* ') and numbered ('1. ') lists, GitHub pipe
    tables (a header row, then an alignment row such as |---|---:|) and pictures
    (![alt text](file.png)). A lettered line ('a) …') stays a paragraph of its own."""
    lines = (text or "").replace("\r\n", "\n").split("\n")
    out: list[Block] = []
    para: list[str] = []
    in_list: bool | None = None  # None: not in a list; else whether it is numbered

    def flush() -> None:
        if para:
            out.append(TextBlock(" ".join(para)))
            para.clear()

    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        index += 1
        if not stripped:
            flush()
            continue
        if "|" in stripped and index < len(lines) and _ALIGNMENT_ROW.match(lines[index].strip()) \
                and "-" in lines[index]:
            flush()
            table = [stripped, lines[index].strip()]
            index += 1
            while index < len(lines) and "|" in lines[index] and lines[index].strip():
                table.append(lines[index].strip())
                index += 1
            out.append(_table(table))
            in_list = None
            continue
        sub = re.match(r"^#{3,6}\s+(.*?)\s*#*$", stripped)
        if sub:
            flush()
            out.append(SubHeading(sub.group(1)))
            in_list = None
            continue
        if PICTURE.search(stripped):
            flush()
            start = 0
            for match in PICTURE.finditer(stripped):
                before = stripped[start:match.start()].strip()
                if before:
                    out.append(TextBlock(before))
                out.append(PictureBlock(match.group(1).strip(), match.group(2).strip()))
                start = match.end()
            if stripped[start:].strip():
                out.append(TextBlock(stripped[start:].strip()))
            in_list = None
            continue
        item = _BULLET.match(line) or _NUMBERED.match(line)
        if item:
            flush()
            numbered = item.re is _NUMBERED
            level = 1 if len(item.group(1).expandtabs(4)) >= 2 else 0
            out.append(ListItem(item.group(2).strip(), numbered,
                                first=in_list is None or (in_list != numbered and level == 0),
                                level=level))
            if level == 0:
                in_list = numbered
            continue
        if re.match(r"^([a-z]|[ivx]{1,4})[.)]\s+", stripped):
            flush()
            out.append(TextBlock(stripped))
            in_list = None
            continue
        if in_list is not None and out and isinstance(out[-1], ListItem) and not para \
                and (line[:1].isspace() or lines[index - 2].strip()):
            # a wrapped line of the item above (indented, or straight after it)
            last = out[-1]
            out[-1] = ListItem(f"{last.text} {stripped}", last.numbered, last.first, last.level)
            continue
        in_list = None
        para.append(stripped)
    flush()
    return out


def has_figures(text: str) -> bool:
    """Whether a section holds a table or a picture (which a form's cell cannot show)."""
    return any(isinstance(b, TableBlock | PictureBlock) for b in narrative_blocks(text))


def words_only(text: str) -> str:
    """A section's paragraphs and list items as plain lines, without its tables and
    pictures: what a form's cell shows when the whole section is printed elsewhere."""
    lines = []
    for block in narrative_blocks(text):
        if isinstance(block, ListItem):
            lines.append(f"\u2022 {block.text}")
        elif isinstance(block, TextBlock | SubHeading):
            lines.append(block.text)
    return "\n".join(lines)


# --- the draft written from the register ----------------------------------------------------


def slipped(m: Milestone) -> bool:
    """Forecast later than the baseline and not yet complete."""
    return (m.actual is None and m.status not in ("complete", "cancelled") and m.forecast
            is not None and m.baseline is not None and m.forecast.latest > m.baseline.latest)


def paper_as_at(explicit: date | None, meeting_date: date | None, today: date) -> date:
    """The day a paper is written as at (its RAG, overdue actions and "since the last
    report"): the day asked for; else the date of the meeting it goes to, so that "Date:",
    "as at" and "since the last report" agree — but never a day the register has not reached
    (a paper for next month's meeting is as at `today`, the register's own as-at date)."""
    if explicit is not None:
        return explicit
    if meeting_date is not None and meeting_date <= today:
        return meeting_date
    return today


def summary_sentences(programme: Programme, risks: Sequence[Risk], milestones: Sequence[Milestone],
                      actions: Sequence[Action], as_at: date) -> list[str]:
    """What a programme manager would write at the top of the update, from the data: each
    sentence starts with a word, each record is named by its title with its ref in brackets,
    and every item a sentence counts is listed."""
    sentences = []
    open_risks = [r for r in risks if r.status != "closed" and r.current]
    counts: dict[str, int] = {}
    for r in open_risks:
        name = band(r.current.score, programme.bands).name
        counts[name] = counts.get(name, 0) + 1
    serious = [b.name for b in programme.bands[::-1] if b.name in ("Extreme", "High")]
    if open_risks:
        high = sum(counts.get(name, 0) for name in serious)
        parts = [f"{counts[b.name]} {b.name.lower()}" for b in programme.bands[::-1]
                 if counts.get(b.name)]
        serious_text = ("None is high or extreme." if not high
                        else "It is high or extreme." if len(open_risks) == 1
                        else "All of them are high or extreme." if high == len(open_risks)
                        else f"Of these, {_is_are(high)} high or extreme.")
        sentences.append(f"The risk log holds {counted(len(open_risks), 'open risk')}: "
                         f"{joined(parts)}. {serious_text}")
        top = max(open_risks, key=lambda r: (r.current.score, r.ref))
        sentences.append(f"The highest scored risk is {titled(top.title, top.ref)}: likelihood "
                         f"{top.current.likelihood} x impact {top.current.impact} = "
                         f"{top.current.score}, {band(top.current.score, programme.bands).name}.")
    else:
        sentences.append("There are no open risks on the risk log.")
    rags = [(m, milestone_rag(m, as_at, programme.rag_tolerance_days,
                              programme.amber_window_days)) for m in milestones]
    done = [m for m, rag in rags if rag.status == "Complete"]
    late = [m for m in milestones if slipped(m)]
    red = [m for m, rag in rags if rag.status == "Red"]
    if len(rags) == 1:
        sentences.append(f"The programme has one milestone, and it is "
                         f"{rags[0][1].status.lower()}.")
    elif rags:
        sentences.append(f"Of the {counted(len(rags), 'milestone')}, {_is_are(len(done))} "
                         f"complete and {_is_are(len(red))} red.")
    else:
        sentences.append("There are no milestones on the register.")
    if late:
        described = [f"{titled(m.title, m.ref)}, from {m.baseline.text} to {m.forecast.text}"
                     for m in late]
        sentences.append(f"{counted(len(late), 'milestone has', 'milestones have', start=True)} "
                         f"slipped against the baseline: {joined(described, '; ')}.")
    else:
        sentences.append("No milestone has slipped against its baseline.")
    overdue = [a for a in actions if action_overdue(a, as_at)]
    if overdue:
        sentences.append(f"{counted(len(overdue), 'action is', 'actions are', start=True)} "
                         f"overdue: {joined(_owned(a) for a in overdue)}.")
    else:
        sentences.append("No action is overdue.")
    return sentences


def _is_are(count: int) -> str:
    return "none is" if count == 0 else f"{count} is" if count == 1 else f"{count} are"


def _owned(a: Action) -> str:
    return f"{a.ref} ({a.owner})" if a.owner else a.ref


def draft_paper(programme: Programme, risks: Sequence[Risk], milestones: Sequence[Milestone],
                actions: Sequence[Action], as_at: date, committee: str = "",
                changes: ChangeSummary | None = None) -> Paper:
    """The paper `report` writes when none is named: purpose, the recommendation to note
    progress, and what the register says — and, when an earlier report is on the issue
    register, what changed since it (each slipped milestone described once). `committee` is
    the register's spelling (the meeting's committee, else a reviewing body)."""
    committee = committee or (programme.reviewing_bodies[0] if programme.reviewing_bodies
                              else "")
    summary = summary_sentences(programme, risks, milestones, actions, as_at)
    late = {m.ref for m in milestones if slipped(m)}
    summary += since_sentences(changes, described=late) if changes is not None else []
    overseen = (f"The {programme.name} is overseen by {the(programme.sponsor)}. "
                if programme.sponsor else "")
    sections = {
        "purpose": f"To update {the(committee or 'meeting')} on the progress of the "
                   f"{programme.name} as at {long_date(as_at)}: its milestones, risks and "
                   "engagement.",
        "recommendations": f"- Note the progress of the {programme.name}.\n"
                           "- Note the risks and the actions in place to mitigate them.",
        "summary": "\n\n".join(summary),
        "background": f"{overseen}This report is written from the programme register as at "
                      f"{long_date(as_at)}.",
        "risk": "All risks are held on the programme risk log with mitigating actions, and "
                "are reviewed regularly. The open risks are set out in this report.",
        "key_issues": " ".join(summary[:2]),
    }
    return Paper(ref="", title=f"{programme.name}: progress report", committee=committee,
                 meeting_date=as_at, author="Programme Manager", author_title=programme.name,
                 directorate=programme.sponsor, sponsor=programme.sponsor, decision="noting",
                 sections=sections, blocks=list(DEFAULT_BLOCKS))
