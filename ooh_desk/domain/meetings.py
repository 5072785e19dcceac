"""Committees, meetings, agenda items, attendance, minutes and RESOLVED decisions as plain
dataclasses, and the rules of the trade about them: municipal years, minute numbering,
public and private (exempt) business, how a meeting's time is written.

Imports no Qt, no SQL and no files.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from datetime import date

from .records import new_uuid

ROLES = ("Chair", "Deputy Chair", "Member")
PARTS = ("public", "private")
ATTENDANCE_KINDS = ("present", "apologies", "substitute", "other representative", "officer")
# The paragraphs of Part 1 of Schedule 12A to the Local Government Act 1972 a private item
# relies on, as agendas cite them ("Paragraph 3"), with what each covers.
EXEMPTION_PARAGRAPHS = {
    "Paragraph 1": "information relating to any individual",
    "Paragraph 2": "information likely to reveal the identity of an individual",
    "Paragraph 3": "financial or business affairs of any particular person",
    "Paragraph 4": "consultations or negotiations on a labour relations matter",
    "Paragraph 5": "information subject to legal professional privilege",
    "Paragraph 6": "a proposed notice, order or direction under any enactment",
    "Paragraph 7": "the prevention, investigation or prosecution of crime",
}
# Councils' municipal years run from the annual meeting in May to the following April;
# minutes are numbered afresh each municipal year.
MUNICIPAL_YEAR_START_MONTH = 5

_ROLE_WORDS = {"chair": "Chair", "chairman": "Chair", "chairperson": "Chair",
               "vice chair": "Deputy Chair", "vice-chair": "Deputy Chair",
               "deputy chair": "Deputy Chair", "deputy": "Deputy Chair", "member": "Member",
               "": "Member"}
_PART_WORDS = {"public": "public", "": "public", "open": "public", "part 1": "public",
               "part i": "public", "private": "private", "exempt": "private",
               "confidential": "private", "part 2": "private", "part ii": "private",
               "closed": "private"}
_ATTENDANCE_WORDS = {"present": "present", "member": "present", "apologies": "apologies",
                     "apology": "apologies", "absent": "apologies", "substitute": "substitute",
                     "other representative": "other representative",
                     "other representatives": "other representative",
                     "in attendance": "other representative", "officer": "officer",
                     "officers": "officer", "employee": "officer", "employees": "officer"}
_SMALL_WORDS = {"and", "of", "the", "for", "&"}


@dataclass
class Member:
    name: str
    role: str = "Member"
    organisation: str = ""


@dataclass
class Committee:
    name: str
    organisation: str = ""  # the body whose committee it is: "Coventry City Council"
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    default_place: str = ""
    issued_by: str = ""  # the officer who issues the agenda, with title and address
    members: list[Member] = field(default_factory=list)
    uuid: str = field(default_factory=new_uuid)

    @property
    def chair(self) -> Member | None:
        return next((m for m in self.members if m.role == "Chair"), None)


@dataclass
class Meeting:
    ref: str
    committee: str
    date: date
    time: str = ""  # 24-hour "14:00"; shown as "2.00 pm"
    place: str = ""
    municipal_year: str = ""
    published: date | None = None
    closed_at: str = ""  # 24-hour time the meeting closed
    uuid: str = field(default_factory=new_uuid)

    def __post_init__(self) -> None:
        if not self.municipal_year:
            self.municipal_year = municipal_year(self.date)


@dataclass
class StoredDocument:
    """A report's file, kept inside the register so the register stays one file."""

    filename: str
    sha256: str
    size: int
    uuid: str = field(default_factory=new_uuid)

    @property
    def suffix(self) -> str:
        return self.filename.rsplit(".", 1)[-1].lower() if "." in self.filename else ""


@dataclass
class AgendaItem:
    number: str
    title: str
    part: str = "public"
    exemption: str = ""  # for private items: the paragraph of the exemption relied on
    item_type: str = ""  # the heading it sits under: "Development Items", "Information Item"
    presenter: str = ""
    notes: str = ""  # lines shown under the title: "(a) To agree the minutes ..."
    document: StoredDocument | None = None
    paper_ref: str = ""  # a paper in the register, rendered through the Word report code
    minutes_of: str = ""  # a meeting's ref: that meeting's minutes are this item's document
    minute_number: int | None = None
    minute: str = ""  # what the minutes record under this item
    position: int = 0
    # A private item whose minutes, decisions and actions a user has released for publication
    # (`minutes --release`); its papers stay exempt.
    released: bool = False
    uuid: str = field(default_factory=new_uuid)

    @property
    def private(self) -> bool:
        return self.part == "private"

    @property
    def withheld(self) -> bool:
        """Its minutes, RESOLVED decisions and actions arising stay out of everything public
        (packs, reports, public minutes): private business not released. store.meetings
        applies the same rule in SQL (WITHHELD_SQL)."""
        return self.private and not self.released

    @property
    def has_document(self) -> bool:
        return bool(self.document or self.paper_ref or self.minutes_of)


@dataclass
class Attendee:
    name: str
    kind: str = "present"
    organisation: str = ""
    substitute_for: str = ""


@dataclass
class Decision:
    """One lettered part of what a minute RESOLVED."""

    text: str
    letter: str = "a"
    minute_number: int | None = None
    municipal_year: str = ""
    meeting_ref: str = ""
    item_number: str = ""
    ref: str = ""  # "2017/18 min 3(a)"
    private: bool = False  # of a private item not released: kept out of public papers
    uuid: str = field(default_factory=new_uuid)


# --- rules -------------------------------------------------------------------------------------


def municipal_year(day: date) -> str:
    """'2017/18' for a day between May 2017 and April 2018."""
    start = day.year if day.month >= MUNICIPAL_YEAR_START_MONTH else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def decision_letter(n: int) -> str:
    """The letter of the nth decision under one minute: a, b, ... z, aa, ab ..."""
    letters = string.ascii_lowercase
    if n < 1:
        raise ValueError("decisions are numbered from 1")
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = letters[rem] + out
    return out


def decision_ref(year: str, minute_number: int | None, letter: str) -> str:
    return f"{year} min {minute_number or '?'}({letter})"


def number_minutes(meetings: list[tuple[date, str, list[tuple[str, bool]]]]) -> dict[str, int]:
    """Minute numbers for one municipal year: every minuted item, in meeting date order
    then agenda order, numbered from 1. Takes (date, meeting ref, [(item uuid, minuted)])."""
    out: dict[str, int] = {}
    n = 0
    for _, _, items in sorted(meetings, key=lambda m: (m[0], m[1])):
        for uuid, minuted in items:
            if minuted:
                n += 1
                out[uuid] = n
    return out


def parse_role(text: str) -> str:
    key = " ".join(str(text or "").split()).lower()
    if key in _ROLE_WORDS:
        return _ROLE_WORDS[key]
    raise ValueError(f"{text!r} is not a role (use Chair, Deputy Chair or Member)")


def parse_part(text: str) -> str:
    key = " ".join(str(text or "").split()).lower()
    if key in _PART_WORDS:
        return _PART_WORDS[key]
    raise ValueError(f"{text!r} is not public or private")


def parse_attendance_kind(text: str) -> str:
    key = " ".join(str(text or "").split()).lower()
    if key in _ATTENDANCE_WORDS:
        return _ATTENDANCE_WORDS[key]
    raise ValueError(f"{text!r} is not an attendance kind (use one of: "
                     f"{', '.join(ATTENDANCE_KINDS)})")


_TIME = re.compile(r"^\s*(\d{1,2})(?:[.:](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?\s*$", re.I)


def parse_time(text: str) -> str:
    """'2.00 pm', '2pm', '14:00' -> '14:00'. Empty stays empty."""
    text = str(text or "").strip()
    if not text:
        return ""
    found = _TIME.match(text)
    if not found:
        raise ValueError(f"{text!r} is not a time (write it as 2.00 pm or 14:00)")
    hour, minute = int(found.group(1)), int(found.group(2) or 0)
    suffix = (found.group(3) or "").replace(".", "").lower()
    if suffix == "pm" and hour < 12:
        hour += 12
    elif suffix == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or (suffix and int(found.group(1)) > 12):
        raise ValueError(f"{text!r} is not a time of day")
    return f"{hour:02d}:{minute:02d}"


def display_time(value: str) -> str:
    """'14:00' -> '2.00 pm', as agendas write it."""
    if not value:
        return ""
    hour, minute = (int(p) for p in value.split(":"))
    suffix = "pm" if hour >= 12 else "am"
    return f"{(hour - 1) % 12 + 1}.{minute:02d} {suffix}"


def meeting_ref(committee: str, day: date) -> str:
    """A meeting's ref: the committee's initials and the ISO day, e.g. CHWB-2017-09-04."""
    words = re.split(r"[\s\-]+", committee)
    initials = "".join(w[0] for w in words if w and w[0].isalpha() and w.lower() not in _SMALL_WORDS
                       and (w[0].isupper() or len(words) == 1))
    return f"{(initials or 'MTG').upper()}-{day.isoformat()}"


_PARAGRAPH = re.compile(r"^(?:para(?:graph)?\.?\s*)?(\d+)$", re.I)


def parse_exemption(text: str) -> str:
    """An exemption paragraph as agendas cite it: '3', 'para 3', 'paragraph 3' ->
    'Paragraph 3'. Other wording (an NHS body's own grounds) is kept as typed."""
    text = " ".join(str(text or "").split())
    found = _PARAGRAPH.match(text)
    return f"Paragraph {found.group(1)}" if found else text


def not_for_publication(exemption: str) -> str:
    """The line every page of exempt business carries: 'NOT FOR PUBLICATION by virtue of
    Paragraph 3 of Part 1 of Schedule 12A of the Local Government Act 1972'."""
    exemption = parse_exemption(exemption)
    if _PARAGRAPH.match(exemption):
        return (f"NOT FOR PUBLICATION by virtue of {exemption} of Part 1 of Schedule 12A of "
                "the Local Government Act 1972")
    return f"NOT FOR PUBLICATION ({exemption})" if exemption else "NOT FOR PUBLICATION"


def pages_text(first: int, last: int) -> str:
    """The agenda's page range: '(Pages 5 - 14)', or '(Page 15)' for one page."""
    return f"(Page {first})" if first == last else f"(Pages {first} - {last})"
