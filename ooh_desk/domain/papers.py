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
BLOCKS = ("timeline", "risk-log", "heat-map", "actions", "feedback", "decisions")
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
    sections: dict[str, str] = field(default_factory=dict)
    blocks: list[str] = field(default_factory=lambda: list(DEFAULT_BLOCKS))
    include_closed_risks: bool = False
    exempt: bool = False  # private (exempt) business: never in a public pack
    exemption: str = ""  # the paragraph an exempt paper relies on: "Paragraph 3"
    uuid: str = field(default_factory=new_uuid)

    def section(self, name: str) -> str:
        return self.sections.get(name, "").strip()


def section_key(heading: str) -> str:
    """The section a heading names: 'Purpose of the Report' -> 'purpose'. A heading OOH Desk
    does not know becomes its own section, kept under a tidy key."""
    text = " ".join(re.sub(r"^\s*\d+(\.\d+)*\.?\s*", "", heading).split()).strip(" :").lower()
    for key, names in SECTIONS.items():
        if text == key or text in names:
            return key
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_") or "section"


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
                "heatmap": "heat-map", "engagement": "feedback"}.get(name, name)
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
    first '## Heading', then one section per '## Heading'. Returns (fields, sections)."""
    fields: dict[str, str] = {}
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        heading = re.match(r"^(#{1,3})\s+(.*?)\s*#*\s*$", line)
        if heading and len(heading.group(1)) == 1 and current is None:
            fields["title"] = heading.group(2)
            continue
        if heading and len(heading.group(1)) == 2:
            current = section_key(heading.group(2))
            if current in sections:
                raise PaperError(f"line {number} of {source}: the section "
                                 f"'{heading.group(2)}' appears twice")
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


def bullet_text(paragraph: str) -> str | None:
    """The text of a bullet paragraph ('- Do this' -> 'Do this'), or None if not a bullet."""
    match = re.match(r"^[-*•]\s+(.*)$", paragraph)
    return match.group(1) if match else None


def list_items(text: str) -> list[str]:
    """Recommendations as items: each bullet or numbered line, else each paragraph."""
    return [re.sub(r"^([-*•]|\d{1,2}[.)]|[a-z][.)])\s+", "", p) for p in paragraphs(text)]


# --- the draft written from the register ----------------------------------------------------


def slipped(m: Milestone) -> bool:
    """Forecast later than the baseline and not yet complete."""
    return (m.actual is None and m.status not in ("complete", "cancelled") and m.forecast
            is not None and m.baseline is not None and m.forecast.latest > m.baseline.latest)


def summary_sentences(programme: Programme, risks: Sequence[Risk], milestones: Sequence[Milestone],
                      actions: Sequence[Action], as_at: date) -> list[str]:
    """What a programme manager would write at the top of the update, from the data."""
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
        sentences.append(f"The risk log holds {_n(len(open_risks), 'open risk')}: "
                         f"{_join(parts)}. {_n(high, 'risk', 'is', 'are')} high or extreme.")
        top = max(open_risks, key=lambda r: (r.current.score, r.ref))
        sentences.append(f"The highest scored is {top.ref}, {top.title.rstrip('.')} "
                         f"(likelihood {top.current.likelihood} x impact {top.current.impact} = "
                         f"{top.current.score}, {band(top.current.score, programme.bands).name}).")
    else:
        sentences.append("There are no open risks on the risk log.")
    rags = [(m, milestone_rag(m, as_at, programme.rag_tolerance_days,
                              programme.amber_window_days)) for m in milestones]
    done = [m for m, rag in rags if rag.status == "Complete"]
    late = [m for m in milestones if slipped(m)]
    red = [m for m, rag in rags if rag.status == "Red"]
    sentences.append(f"Of {_n(len(milestones), 'milestone')}, {len(done)} "
                     f"{'is' if len(done) == 1 else 'are'} complete and {len(red)} "
                     f"{'is' if len(red) == 1 else 'are'} red.")
    if late:
        described = [f"{m.ref} {m.title} (from {m.baseline.text} to {m.forecast.text})"
                     for m in late[:5]]
        more = f", and {len(late) - 5} more" if len(late) > 5 else ""
        sentences.append(f"{_n(len(late), 'milestone has', plural='milestones have')} slipped "
                         f"against the baseline: {_join(described)}{more}.")
    else:
        sentences.append("No milestone has slipped against its baseline.")
    overdue = [a for a in actions if action_overdue(a, as_at)]
    if overdue:
        sentences.append(f"{_n(len(overdue), 'action is', plural='actions are')} overdue: "
                         f"{_join(_owned(a) for a in overdue)}.")
    else:
        sentences.append("No action is overdue.")
    return sentences


def _owned(a: Action) -> str:
    return f"{a.ref} ({a.owner or 'no owner'})"


def draft_paper(programme: Programme, risks: Sequence[Risk], milestones: Sequence[Milestone],
                actions: Sequence[Action], as_at: date, committee: str = "",
                changes: ChangeSummary | None = None) -> Paper:
    """The paper `report` writes when none is named: purpose, the recommendation to note
    progress, and what the register says — and, when an earlier report is on the issue
    register, what changed since it."""
    committee = committee or (programme.reviewing_bodies[0] if programme.reviewing_bodies
                              else "Programme Board")
    summary = summary_sentences(programme, risks, milestones, actions, as_at)
    summary += since_sentences(changes) if changes is not None else []
    sections = {
        "purpose": f"To update the {committee} on the progress of the {programme.name} as at "
                   f"{long_date(as_at)}: its milestones, risks and engagement.",
        "recommendations": f"- Note the progress of the {programme.name}.\n"
                           "- Note the risks and the actions in place to mitigate them.",
        "summary": "\n\n".join(summary),
        "background": f"The {programme.name} is overseen by the "
                      f"{programme.sponsor or 'programme board'}. This report is written from "
                      f"the programme register as at {long_date(as_at)}.",
        "risk": "All risks are held on the programme risk log with mitigating actions, and "
                "are reviewed regularly. The open risks are set out in this report.",
        "key_issues": " ".join(summary[:2]),
    }
    return Paper(ref="", title=f"{programme.name}: progress report", committee=committee,
                 meeting_date=as_at, author="Programme Manager", author_title=programme.name,
                 directorate=programme.sponsor, sponsor=programme.sponsor, decision="noting",
                 sections=sections, blocks=list(DEFAULT_BLOCKS))


def _n(count: int, noun: str, singular_verb: str = "", plural_verb: str = "",
       plural: str | None = None) -> str:
    word = noun if count == 1 else (plural or noun + "s")
    verb = singular_verb if count == 1 else plural_verb
    return f"{count} {word}" + (f" {verb}" if verb else "")


def _join(items: Sequence[str] | object) -> str:
    items = list(items)  # type: ignore[call-overload]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
