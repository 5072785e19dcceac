"""Members' registers of interests and their declarations at meetings: the kinds of interest
the members' code of conduct names, what a member did about one, the sentence the minutes
carry, the agenda's "Declarations of Interest" item, and the match of a member's registered
interests against an agenda item's words, which is shown to the committee officer and never
decides anything. Pure: no SQL, no Qt, no files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from .meetings import AgendaItem
from .prose import word_key, word_lookup
from .records import new_uuid

# The three kinds of interest in a council's code of conduct, the most serious first.
KINDS = ("disclosable pecuniary", "other registrable", "non-registrable")
# What a member did about an interest declared at a meeting.
ACTIONS = ("withdrew", "stayed and did not vote", "dispensation")

_KIND_WORDS = {
    "disclosable pecuniary": ("disclosable pecuniary", "dpi", "pecuniary", "disclosable"),
    "other registrable": ("other registrable", "ori", "registrable", "other", "personal"),
    "non-registrable": ("non-registrable", "non registrable", "nonregistrable", "nri",
                        "non-pecuniary", "non pecuniary"),
}
_ACTION_WORDS = {
    "withdrew": ("withdrew", "withdraw", "withdrawn", "left", "left the room",
                 "left the meeting", "withdrew from the meeting", "did not take part", "absent"),
    "stayed and did not vote": ("stayed and did not vote", "stayed", "did not vote",
                                "remained and did not vote", "remained but did not vote",
                                "remained", "no vote", "abstained"),
    "dispensation": ("dispensation", "had a dispensation", "dispensation granted",
                     "with a dispensation", "took part under a dispensation"),
}
_KINDS = word_lookup(_KIND_WORDS)
_ACTIONS = word_lookup(_ACTION_WORDS)

DECLARATIONS_TITLE = "Declarations of Interest"
_DECLARATIONS_ITEM = re.compile(r"^\s*(declarations?|disclosures?)\s+of\s+(pecuniary\s+|"
                                r"members'?\s+)?interests?\b", re.IGNORECASE)
_OPENING_ITEM = re.compile(r"\b(apologies|welcome|introductions?)\b", re.IGNORECASE)


class InterestError(ValueError):
    """A kind or action that is not one of the code's; the message is for the user."""


def parse_kind(text: str) -> str:
    key = word_key(text).removesuffix(" interest").removesuffix(" interests")
    if key in _KINDS:
        return _KINDS[key]
    raise InterestError(f"{text!r} is not a kind of interest (use disclosable pecuniary, "
                        "other registrable or non-registrable)")


def parse_action(text: str) -> str:
    """What a member did, or '' when the row leaves it empty."""
    key = word_key(text)
    if not key:
        return ""
    if key in _ACTIONS:
        return _ACTIONS[key]
    raise InterestError(f"{text!r} is not what a member did about an interest (use withdrew, "
                        "stayed and did not vote, or dispensation)")


def check_action(kind: str, action: str) -> None:
    """A disclosable pecuniary interest bars a member from the item unless a dispensation was
    granted: the declaration must say what the member did."""
    if kind == KINDS[0] and not action:
        raise InterestError("a disclosable pecuniary interest needs what the member did "
                            "(withdrew, stayed and did not vote, or dispensation)")


@dataclass
class Interest:
    """One entry in a member's register of interests."""

    ref: str
    member: str
    interest: str
    kind: str
    from_date: date | None = None
    to_date: date | None = None  # None while it is held
    uuid: str = field(default_factory=new_uuid)

    def held_on(self, day: date) -> bool:
        return (self.from_date is None or self.from_date <= day) and \
            (self.to_date is None or day <= self.to_date)


@dataclass
class Declaration:
    """A member's declaration at a meeting, against one agenda item."""

    ref: str
    meeting_ref: str
    item_number: str
    member: str
    interest: str
    kind: str
    action: str = ""
    item_title: str = ""
    uuid: str = field(default_factory=new_uuid)


# --- members' names --------------------------------------------------------------------------

_COUNCILLOR = re.compile(r"^(cllr\.?|councillor)\s+", re.IGNORECASE)


def same_member(a: str, b: str) -> bool:
    """'Cllr K Caan', 'Councillor K Caan' and 'cllr k caan' are one member."""
    return member_key(a) == member_key(b)


def member_key(name: str) -> str:
    return " ".join(_COUNCILLOR.sub("", " ".join(str(name or "").split())).lower().split())


def spoken_name(name: str) -> str:
    """A member as the minutes name them: 'Cllr K Caan' is 'Councillor K Caan'."""
    text = " ".join(str(name or "").split())
    return _COUNCILLOR.sub("Councillor ", text)


# --- what the minutes say --------------------------------------------------------------------

_ACTION_SENTENCE = {"withdrew": "withdrew from the meeting",
                    "stayed and did not vote": "stayed in the meeting but did not vote",
                    "dispensation": "took part under a dispensation"}


def declaration_sentence(d: Declaration) -> str:
    """'Councillor K Taylor declared a disclosable pecuniary interest in item 7 (Out of
    Hospital) – director of X Ltd – and withdrew from the meeting.'"""
    article = "an" if d.kind[:1] in "aeiou" else "a"
    item = f"item {d.item_number}" + (f" ({d.item_title})" if d.item_title else "")
    done = f" and {_ACTION_SENTENCE[d.action]}" if d.action else ""
    # The interest between dashes, or after one when nothing follows it.
    interest = (f" \u2013 {d.interest.rstrip('.')}" + (" \u2013" if done else "")
                if d.interest else "")
    return f"{spoken_name(d.member)} declared {article} {d.kind} interest in {item}{interest}{done}."


NO_DECLARATIONS = "There were no declarations of interest."


# --- the agenda's standing item ----------------------------------------------------------------


def is_declarations_item(title: str) -> bool:
    return bool(_DECLARATIONS_ITEM.match(title or ""))


def declarations_item(items: Sequence[AgendaItem]) -> AgendaItem | None:
    """The agenda's "Declarations of Interest" item, if it has one."""
    return next((i for i in items if is_declarations_item(i.title)), None)


def declarations_place(items: Sequence[AgendaItem]) -> int:
    """Where the item goes on an agenda without one, as councils number it: after the opening
    items (welcome, apologies), else first. An index into `items`."""
    place = 0
    for index, item in enumerate(items):
        if _OPENING_ITEM.search(item.title) and index == place:
            place = index + 1
    return place


# --- matching registered interests to the agenda ---------------------------------------------

# Words that say nothing about what an interest or an item is about.
_STOP_WORDS = """
a about above after again all also an and any are as at be been before being between both but
by can could did do does for from had has have he her his i if in into is it its itself me more
most my no nor not of off on once only or other our out over own same she should so some such
than that the their them then there these they this those through to too under until up very
was we were what when where which while who whom why will with would you your
item items report reports update updates paper papers presentation minutes meeting meetings
board committee council councils cabinet member members membership chair deputy vice
programme programmes plan plans strategy strategies proposal proposals review reviews
progress work works working group groups service services partnership partnerships
local city county borough district area areas new development information matters arising
previous agreement approve approval consideration noting note any business public private
urgent urgency other declarations declaration interest interests apologies welcome absence
ltd limited plc llp company companies director directors trustee trustees governor governors
employee employment employed shareholder shareholding shares share owner spouse partner
husband wife civil including includes include appointed appointment
"""
_STOP = frozenset(_STOP_WORDS.split())
_WORD = re.compile(r"[a-z][a-z'\-]+")


def words_of(text: str, ignore: Iterable[str] = ()) -> set[str]:
    """The words of a text that can tell what it is about: lower case, three letters or more,
    common and procedural words left out, a plural's -s dropped."""
    return set(_forms(text, ignore))


def _forms(text: str, ignore: Iterable[str] = ()) -> dict[str, str]:
    """Each telling word's stem, with the word as the text spells it (lower case)."""
    skip = set(_STOP) | {_stem(w) for w in ignore}
    out: dict[str, str] = {}
    for word in _WORD.findall((text or "").lower()):
        for part in word.strip("'-").split("-"):
            part = part.strip("'")
            stem = _stem(part)
            if len(stem) >= 3 and stem not in skip and part not in skip:
                out.setdefault(stem, part)
    return out


def _stem(word: str) -> str:
    word = word.removesuffix("'s")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@dataclass(frozen=True)
class InterestFlag:
    """A member of the committee who holds a registered interest sharing words with an agenda
    item: for the committee officer to raise with the member. Never a finding."""

    member: str
    interest_ref: str
    interest: str
    kind: str
    item_number: str
    item_title: str
    words: tuple[str, ...]

    def line(self) -> str:
        """'Item 7 (Out of Hospital): Cllr K Taylor, INT-001 Trustee of … (other registrable);
        shares the word 'hospital''."""
        shared = ", ".join(f"'{w}'" for w in self.words)
        word = "word" if len(self.words) == 1 else "words"
        return (f"Item {self.item_number} ({self.item_title}): {self.member}, "
                f"{self.interest_ref} {self.interest} ({self.kind}); shares the {word} {shared}")


def interest_flags(members: Sequence[str], interests: Sequence[Interest],
                   items: Sequence[AgendaItem], day: date,
                   ignore: Iterable[str] = ()) -> list[InterestFlag]:
    """Each member of the committee whose registered interest, held on the meeting's day,
    shares words with an agenda item's title or notes. `ignore`: words every item shares
    (the committee's and organisation's names), which would flag every member for every
    item. The standing items (apologies, declarations, minutes) are not matched."""
    ignored = words_of(" ".join(ignore))
    members_by_key = {member_key(m): m for m in members}
    out = []
    for interest in interests:
        member = members_by_key.get(member_key(interest.member))
        if member is None or not interest.held_on(day):
            continue
        held = words_of(interest.interest) - ignored
        if not held:
            continue
        for item in items:
            if is_declarations_item(item.title) or item.minutes_of \
                    or _OPENING_ITEM.search(item.title):
                continue
            said = _forms(f"{item.title}\n{item.notes}")
            shared = held & (set(said) - ignored)
            if shared:  # named as the item spells them
                out.append(InterestFlag(member, interest.ref, interest.interest, interest.kind,
                                        item.number, item.title,
                                        tuple(sorted(said[w] for w in shared))))
    return out
