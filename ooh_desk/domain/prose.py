"""The small rules of the sentences a report writes from the data, so a board reads them
unedited: a count that starts a sentence is spelt in words ("Three risks are …"), a verb
agrees with a committee's name ("The Governing Bodies are …"), a record is named by its title
with its register ref in brackets. Pure functions: no SQL, no Qt, no files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

_T = TypeVar("_T")
_PUNCTUATION = re.compile(r"[_\-–—/.:;,!()\[\]]+")


def word_key(value: Any) -> str:
    """A typed word as a list of accepted words spells it: case, punctuation and spacing set
    aside ("Non-Registrable." is "non registrable"); a lone + or - is kept (a rating)."""
    text = "" if value is None else str(value).strip()
    if text in ("+", "-"):
        return text
    return " ".join(_PUNCTUATION.sub(" ", text).split()).lower()


def word_lookup(words: Mapping[_T, Iterable[str]]) -> dict[str, _T]:
    """Each accepted word, spelt as `word_key` spells it, -> what it means."""
    return {word_key(w): meaning for meaning, said in words.items() for w in said}

_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen")
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")

# A committee named by a plural noun ("CCG Governing Bodies") takes a plural verb; these end
# in s but are one body or a mass noun.
_SINGULAR_ENDINGS = ("ss", "us", "is", "ics", "news")


def quoted(typed: object, limit: int = 24) -> str:
    """What someone typed, quoted for a one-line message: whole when short, else its start and
    its length ('pppppppppppppppppppp'… (40,000 characters)), so a pasted page never floods
    the line."""
    text = str(typed)
    return repr(text) if len(text) <= limit else f"{text[:20]!r}… ({len(text):,} characters)"


def short_name(typed: object, limit: int, what: str) -> str:
    """A name someone typed (a profile's, who a copy is for), spacing folded; ValueError, in
    words that start with `what`, when it is longer than `limit` or holds control
    characters (a terminal escape would ride along into every message that names it)."""
    import unicodedata

    name = " ".join(str(typed or "").split())
    if len(name) > limit:
        raise ValueError(f"{what} is at most {limit} characters; {quoted(name)} is too long")
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in name):
        raise ValueError(f"{what} cannot hold control characters: {quoted(name, limit)}")
    return name


def spoken(n: int) -> str:
    """A whole number in words, as a sentence may start with it: 3 -> 'three',
    21 -> 'twenty-one', 140 -> 'one hundred and forty'. Beyond 9,999, the digits."""
    if n < 0 or n > 9999:
        return f"{n:,}"
    if n < 20:
        return _UNITS[n]
    if n < 100:
        tens, units = divmod(n, 10)
        return _TENS[tens] + (f"-{_UNITS[units]}" if units else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_UNITS[hundreds]} hundred" + (f" and {spoken(rest)}" if rest else "")
    thousands, rest = divmod(n, 1000)
    tail = "" if not rest else f" and {spoken(rest)}" if rest < 100 else f" {spoken(rest)}"
    return f"{spoken(thousands)} thousand{tail}"


def counted(n: int, singular: str, plural: str | None = None, *, start: bool = False) -> str:
    """'3 risks' in a sentence, 'Three risks' at its start (a count of one: '1 risk',
    'One risk')."""
    noun = singular if n == 1 else (plural or singular + "s")
    number = spoken(n).capitalize() if start else str(n)
    return f"{number} {noun}"


def is_plural_name(name: str) -> bool:
    """Whether a body's name is a plural noun: 'CCG Governing Bodies', 'Joint Boards' (the
    word before any 'of …' or 'for …' decides: 'Board of Governors' is one board)."""
    words = name.replace(",", " ").split()
    for joiner in ("of", "for", "in", "on"):
        if joiner in words[1:]:
            words = words[:words.index(joiner, 1)]
    head = words[-1].lower() if words else ""
    return len(head) > 3 and head.endswith("s") and not head.endswith(_SINGULAR_ENDINGS)


def agreeing_verb(name: str, singular: str, plural: str) -> str:
    """The verb that agrees with a body's name: agreeing_verb('CCG Governing Bodies', 'is',
    'are') -> 'are'."""
    return plural if is_plural_name(name) else singular


def titled(title: str, ref: str) -> str:
    """A record as a board reads it: its title, then its register ref in brackets."""
    title = " ".join((title or "").split()).rstrip(".")
    return f"{title} ({ref})" if title and ref else title or ref


def the(name: str) -> str:
    """'the Collaborative Commissioning Board'; a name that starts 'The' keeps its own."""
    return name if name.lower().startswith("the ") else f"the {name}"


def joined(items: Iterable[str], separator: str = ", ") -> str:
    """'a, b and c'; with separator '; ': 'a; b; and c' (for items that hold commas)."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    last = "; and " if separator == "; " else " and "
    return separator.join(items[:-1]) + last + items[-1]
