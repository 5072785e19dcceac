"""The forward plan of key decisions (councils): a key decision's record, and the notice rule
of the Local Authorities (Executive Arrangements) (Meetings and Access to Information)
(England) Regulations 2012. Notice is published at least 28 clear days before the decision
(regulation 9); with less, the decision may be taken under the general exception, once the
chair of the scrutiny committee has had 5 clear days' written notice (regulation 10), or,
with fewer still, under special urgency, with that chair's agreement (regulation 11). A clear
day leaves out the day of publication and the day of the decision.

Imports no Qt and no SQL."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .board_dates import BoardDate, BoardDateError, long_date, parse_day
from .records import FieldReader, new_uuid

REF_PREFIX = "KD"
NOTICE_CLEAR_DAYS = 28
GENERAL_EXCEPTION_CLEAR_DAYS = 5
GENERAL_EXCEPTION = "general exception"
SPECIAL_URGENCY = "special urgency"
NOTICES = (GENERAL_EXCEPTION, SPECIAL_URGENCY)
# What became of the decision: typed by the officer, never worked out.
STATUSES = ("planned", "made", "deferred", "withdrawn")
# Part 1 of Schedule 12A to the Local Government Act 1972 has seven paragraphs.
EXEMPT_PARAGRAPHS = range(1, 8)

# The notice as worked out on a day: one of these words, and a sentence saying why.
FULL_NOTICE = "28 days' notice"
NOTICE_DUE = "notice due"
NOTICE_LATE = "notice late"
DATE_PASSED = "date passed"
NOT_KEY = "not a key decision"
NOTICE_STATES = (FULL_NOTICE, NOTICE_DUE, NOTICE_LATE, GENERAL_EXCEPTION, SPECIAL_URGENCY,
                 DATE_PASSED, NOT_KEY, "made", "withdrawn")


@dataclass
class KeyDecision:
    ref: str
    matter: str
    decision_maker: str = ""  # a person (with their title) or a body
    date: BoardDate | None = None  # the day, or the period, the decision is to be taken in
    key: bool = True
    exemption: str = ""  # "Paragraph 3" when it is to be taken in private; '' in public
    documents: str = ""  # the documents to be considered, one a line
    contact: str = ""  # the officer to ask for them
    published: date | None = None  # the day notice of it was first published
    notice: str = ""  # '', general exception, special urgency: as the officer recorded it
    status: str = "planned"
    uuid: str = field(default_factory=new_uuid)

    @property
    def exempt(self) -> bool:
        return bool(self.exemption)

    @property
    def decision_day(self) -> date | None:
        """The first day the decision may be taken: notice counts back from it."""
        return self.date.earliest if self.date else None


# --- the rule ----------------------------------------------------------------------------------


def clear_days(published: date, decision: date) -> int:
    """Whole days between publication and decision, neither counted (0 when none)."""
    return max(0, (decision - published).days - 1)


def notice_due_by(decision: date) -> date:
    """The last day notice can be published and still give 28 clear days."""
    return decision - timedelta(days=NOTICE_CLEAR_DAYS + 1)


def scrutiny_chair_by(decision: date) -> date:
    """The last day the scrutiny chair can be told in writing for the general exception."""
    return decision - timedelta(days=GENERAL_EXCEPTION_CLEAR_DAYS + 1)


def procedure_for(days: int) -> str:
    """Which procedure a decision with this many clear days' notice falls under: '' (full
    notice), the general exception or special urgency."""
    if days >= NOTICE_CLEAR_DAYS:
        return ""
    return GENERAL_EXCEPTION if days >= GENERAL_EXCEPTION_CLEAR_DAYS else SPECIAL_URGENCY


@dataclass(frozen=True)
class NoticeState:
    """A key decision's notice as it stands on a day."""

    status: str  # one of NOTICE_STATES
    clear_days: int | None  # None while no notice is published
    due_by: date | None  # the last day for 28 clear days' notice
    words: str  # a sentence for the officer
    warning: bool  # something the officer must still do


def _days(n: int) -> str:
    return f"{n} clear day{'' if n == 1 else 's'}"


def notice_state(kd: KeyDecision, as_at: date, published_on: date | None = None) -> NoticeState:
    """The notice of `kd` as at `as_at`. `published_on` stands in for a decision not yet
    published (a forward plan about to publish it gives that plan's day)."""
    day = kd.decision_day
    due_by = notice_due_by(day) if day else None
    if kd.status in ("made", "withdrawn"):
        return NoticeState(kd.status, _clear(kd, day), due_by, f"Decision {kd.status}", False)
    if not kd.key:
        return NoticeState(NOT_KEY, _clear(kd, day), due_by,
                           "Not a key decision: the 28-day rule does not apply", False)
    if day is None:
        return NoticeState(NOTICE_DUE, None, None, "No decision date: give one", True)
    published = kd.published or published_on
    if published is None:
        if day < as_at:
            return NoticeState(DATE_PASSED, None, due_by,
                               f"The decision date {long_date(day)} has passed with no notice "
                               "published: record it as made, deferred or withdrawn", True)
        if as_at <= due_by:
            return NoticeState(NOTICE_DUE, None, due_by,
                               f"Publish notice by {long_date(due_by)} for 28 clear days' "
                               f"notice of the decision on {long_date(day)}", False)
        late = (as_at - due_by).days
        return NoticeState(NOTICE_LATE, None, due_by, (
            f"Notice was due by {long_date(due_by)} for the decision on {long_date(day)} "
            f"({late} day{'' if late == 1 else 's'} late): " + _late_advice(day, as_at)), True)
    days = clear_days(published, day)
    needed = procedure_for(days)
    if not needed:
        return NoticeState(FULL_NOTICE, days, due_by,
                           f"Published {long_date(published)}: {_days(days)}' notice "
                           f"(28 needed)", False)
    recorded = kd.notice
    if needed == GENERAL_EXCEPTION and recorded in NOTICES:
        return NoticeState(recorded, days, due_by, _recorded(recorded, days, day), False)
    if needed == SPECIAL_URGENCY and recorded == SPECIAL_URGENCY:
        return NoticeState(SPECIAL_URGENCY, days, due_by, _recorded(recorded, days, day), False)
    if needed == GENERAL_EXCEPTION:
        return NoticeState(GENERAL_EXCEPTION, days, due_by, (
            f"{_days(days)}' notice, fewer than 28: the general exception applies; tell the "
            f"chair of the scrutiny committee in writing by {long_date(scrutiny_chair_by(day))} "
            "(5 clear days before the decision), then record it"), True)
    wrong = (f"recorded as a general exception, but {_days(days)} are fewer than the 5 it "
             "needs: " if recorded == GENERAL_EXCEPTION else f"{_days(days)}' notice: ")
    return NoticeState(SPECIAL_URGENCY, days, due_by, wrong[:1].upper() + wrong[1:] + (
        "only special urgency allows it; the chair of the scrutiny committee must agree that "
        "the decision is urgent and cannot reasonably be deferred"), True)


def _clear(kd: KeyDecision, day: date | None) -> int | None:
    return clear_days(kd.published, day) if kd.published and day else None


def _late_advice(day: date, as_at: date) -> str:
    if as_at <= scrutiny_chair_by(day):
        return ("publish it now under the general exception and tell the chair of the scrutiny "
                f"committee in writing by {long_date(scrutiny_chair_by(day))}")
    return ("too late for the general exception: only special urgency, with the scrutiny "
            "chair's agreement, allows the decision on that date; or defer it")


def _recorded(recorded: str, days: int, day: date) -> str:
    if recorded == GENERAL_EXCEPTION:
        return (f"{_days(days)}' notice: taken under the general exception (regulation 10); the "
                f"scrutiny chair is told in writing by {long_date(scrutiny_chair_by(day))}")
    return (f"{_days(days)}' notice: taken under special urgency (regulation 11), with the "
            "scrutiny chair's agreement that it cannot reasonably be deferred")


# --- reading what was typed --------------------------------------------------------------------

_YES = {"yes", "y", "true", "1", "key", "key decision", "x"}
_NO = {"no", "n", "false", "0", "non-key", "non key", "not key", "not a key decision", "-"}
_PUBLIC = {"", "no", "n", "false", "0", "public", "open", "none", "-", "n/a", "not exempt"}
_NUMBER = re.compile(r"\d+")
_LIST = r"(\d+(?:\s*(?:,|and|&|/)\s*\d+)*)"
# "paragraph 3", "paras 3 and 5" anywhere in the cell; or the cell is the numbers alone,
# perhaps after yes/private/exempt ("3", "Private - 3", "exempt (3)").
_PARAGRAPHS = re.compile(r"\bpara(?:graph)?s?\.?\s*" + _LIST)
_BARE_PARAGRAPHS = re.compile(r"^(?:(?:yes|y|private|exempt|confidential)\s*[-:(,]?\s*)?"
                              + _LIST + r"\)?$")
_NOTICE_WORDS = {
    "": "", "none": "", "no": "", "-": "", "n/a": "", "28 days": "", "28 days' notice": "",
    "general exception": GENERAL_EXCEPTION, "ge": GENERAL_EXCEPTION,
    "regulation 10": GENERAL_EXCEPTION, "reg 10": GENERAL_EXCEPTION,
    "special urgency": SPECIAL_URGENCY, "urgency": SPECIAL_URGENCY, "urgent": SPECIAL_URGENCY,
    "regulation 11": SPECIAL_URGENCY, "reg 11": SPECIAL_URGENCY,
}
_STATUS_WORDS = {
    "": "planned", "planned": "planned", "forthcoming": "planned", "pending": "planned",
    "open": "planned", "scheduled": "planned", "made": "made", "taken": "made",
    "decided": "made", "done": "made", "deferred": "deferred", "postponed": "deferred",
    "moved": "deferred", "withdrawn": "withdrawn", "cancelled": "withdrawn",
    "removed": "withdrawn",
}


def _key(text: str) -> str:
    return " ".join(str(text or "").replace("_", " ").split()).lower()


def parse_key(value: Any) -> bool:
    """yes/no; an empty cell is a key decision (the plan is theirs)."""
    if isinstance(value, bool):
        return value
    word = _key(value)
    if word in _YES or word == "":
        return True
    if word in _NO:
        return False
    raise ValueError(f"{str(value)!r} is not yes or no")


def parse_exempt(value: Any) -> str:
    """The Schedule 12A paragraph(s) an exempt matter relies on, and nothing else: 'yes -
    paragraph 3', 'Private (para 3)', '3' -> 'Paragraph 3'; '3 and 5' -> 'Paragraphs 3 and 5';
    '' or 'no' -> ''. Any other words the cell holds are left out: a forward plan prints the
    paragraph, never the exempt detail."""
    word = _key(value)
    if word in _PUBLIC:
        return ""
    found = _PARAGRAPHS.search(word) or _BARE_PARAGRAPHS.match(word)
    numbers = [int(n) for n in _NUMBER.findall(found.group(1))] if found else []
    if not numbers:
        raise ValueError(f"{str(value)!r} does not name the paragraph of Schedule 12A it relies "
                         "on; write it like 'Paragraph 3' (1 to 7), or leave it empty for a "
                         "public decision")
    wrong = [n for n in numbers if n not in EXEMPT_PARAGRAPHS]
    if wrong:
        raise ValueError(f"paragraph {wrong[0]} is not one of Schedule 12A's (1 to 7)")
    numbers = sorted(set(numbers))
    if len(numbers) == 1:
        return f"Paragraph {numbers[0]}"
    return "Paragraphs " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


def parse_notice(value: Any) -> str:
    word = _key(value).replace("(", " ").replace(")", " ")
    word = " ".join(word.split())
    if word in _NOTICE_WORDS:
        return _NOTICE_WORDS[word]
    for phrase in ("general exception", "special urgency"):
        if phrase in word:
            return phrase
    raise ValueError(f"{str(value)!r} is not a notice procedure (use general exception or "
                     "special urgency, or leave it empty)")


def parse_decision_status(value: Any) -> str:
    word = _key(value)
    if word in _STATUS_WORDS:
        return _STATUS_WORDS[word]
    raise ValueError(f"{str(value)!r} is not a decision status (use one of: "
                     f"{', '.join(STATUSES)})")


def build_key_decision(r: FieldReader, ref: str) -> KeyDecision:
    """A key decision from a row of typed values, every problem collected on `r`."""
    kd = KeyDecision(ref=ref, matter=r.text("matter", required=True, what="matter for decision"),
                     decision_maker=r.text("decision_maker", required=True,
                                           what="decision maker"),
                     date=r.board_date("date"), documents=r.text("documents"),
                     contact=r.text("contact"))
    if kd.date is None and not any(p.column == r.columns.get("date", "date") for p in r.problems):
        r.problem("date", "a key decision needs the date, or the period, it is to be taken in")
    for name, parse, attr in (("key", parse_key, "key"), ("exempt", parse_exempt, "exemption"),
                              ("notice", parse_notice, "notice"),
                              ("status", parse_decision_status, "status")):
        try:
            setattr(kd, attr, parse(r.raw(name)))
        except ValueError as exc:
            r.problem(name, str(exc))
    published = r.raw("published")
    if published not in (None, "") and str(published).strip():
        try:
            kd.published = parse_day(published if isinstance(published, date)
                                     else str(published))
        except BoardDateError as exc:
            r.problem("published", str(exc))
    return kd
