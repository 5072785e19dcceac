"""Board dates: dates as board papers write them ("19/20 July 17", "Q3 2017/18"), kept as one
house-form text plus the earliest and latest real day they can mean. Imports no Qt and no SQL.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

__all__ = [
    "BoardDate",
    "BoardDateError",
    "long_date",
    "month_first_day",
    "numeric_day_parts",
    "parse_board_date",
    "parse_day",
    "parse_optional",
    "short_date",
]

# Years outside this window are almost always typos ("31/10/3017"); refusing them is kinder
# than filing a milestone a thousand years late.
MIN_YEAR, MAX_YEAR = 1900, 2199

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}  # first month; three months each

_NEEDS_YEAR = "needs a year, as in October 2017"
_HOW_TO_WRITE = "write it like 31/10/2017, October 2017, Early November 2017 or Q3 2017/18"


class BoardDateError(ValueError):
    """A typed date OOH Desk cannot understand; the message is one sentence for the user."""


@dataclass(frozen=True, order=False)
class BoardDate:
    """What was written, in house form, and the first and last real day it can mean."""

    text: str
    earliest: date
    latest: date

    def __post_init__(self) -> None:
        if self.latest < self.earliest:
            raise ValueError(f"{self.text!r} ends ({self.latest}) before it starts "
                             f"({self.earliest})")

    @property
    def exact(self) -> bool:
        return self.earliest == self.latest

    def iso(self) -> str:
        if self.exact:
            return self.earliest.isoformat()
        return f"{self.earliest.isoformat()}/{self.latest.isoformat()}"

    @classmethod
    def from_date(cls, d: date) -> BoardDate:
        if isinstance(d, datetime):
            d = d.date()
        return cls(long_date(d), d, d)

    def __str__(self) -> str:
        return self.text


def long_date(d: date) -> str:
    """4 September 2017: en-GB, no leading zero."""
    return f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


def short_date(d: date) -> str:
    """04/09/2017: always day first."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def parse_board_date(text: str, *, dayfirst_only: bool = True) -> BoardDate:
    """Read a date as a board paper writes it, or raise BoardDateError saying why not.

    Numbers are always read day first (31/10/2017). With ``dayfirst_only=False`` a day written
    after a month *name* is also read ("October 31, 2017"); the month being a word leaves no
    doubt, so this never changes how an all-number date is read.
    """
    if text is None:
        raise BoardDateError("a date is needed")
    if not isinstance(text, str):
        raise TypeError(f"parse_board_date() takes text, not {type(text).__name__}")
    cleaned = _clean(text)
    if not cleaned:
        raise BoardDateError("a date is needed")
    forms = _FORMS if dayfirst_only else [*_FORMS, *_MONTH_FIRST_FORMS]
    try:
        return _parse_one(cleaned, None, forms)
    except _NoForm:
        return _parse_range(cleaned, forms)


def parse_optional(text: str | None) -> BoardDate | None:
    """None for a blank cell, else the board date (or BoardDateError)."""
    if text is None or (isinstance(text, str) and not _clean(text)):
        return None
    return parse_board_date(text)


def parse_day(text: str | date | BoardDate) -> date:
    """A single real day, written any way an exact day may be written, or BoardDateError."""
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    board_date = text if isinstance(text, BoardDate) else parse_board_date(text)
    if not board_date.exact:
        raise BoardDateError(f"'{board_date.text}' is not a single day; "
                             "write it like 31/10/2017 or 31 October 2017")
    return board_date.earliest


# --- reading -----------------------------------------------------------------------------------

class _NoForm(Exception):
    """The text is not written in this form (as opposed to: in this form, but impossible)."""


class _NoYear(BoardDateError):
    """Raised for "31 October": in a range the message should name the whole range."""


@dataclass(frozen=True)
class _Reading:
    """One piece of text being read, and the year to lend it when it has none of its own
    (the first half of "January-February 2018")."""

    text: str
    default_year: int | None

    def error(self, why: str) -> BoardDateError:
        return BoardDateError(f"'{self.text}' {why}")

    def not_understood(self) -> BoardDateError:
        return self.error(f"is not a date OOH Desk understands; {_HOW_TO_WRITE}")

    def full_year(self, digits: str) -> int:
        year = 2000 + int(digits) if len(digits) == 2 else int(digits)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise self.error(f"is not a date OOH Desk understands; years run from {MIN_YEAR} "
                             f"to {MAX_YEAR}")
        return year

    def year(self, m: re.Match[str]) -> int:
        if m["y"] is not None:
            return self.full_year(m["y"])
        if self.default_year is None:
            raise _NoYear(f"'{self.text}' {_NEEDS_YEAR}")
        return self.default_year

    def day(self, year: int, month: int, day: int) -> date:
        if not 1 <= month <= 12:
            raise self.error(f"is not a real day: there is no month {month}")
        last = _last_day(year, month)
        if not 1 <= day <= last:
            raise self.error(f"is not a real day: {MONTH_NAMES[month - 1]} {year} has "
                             f"{last} days")
        return date(year, month, day)


Builder = Callable[[re.Match[str], _Reading], BoardDate]
Forms = Sequence[tuple[str, Builder]]  # a pattern's text, compiled on first use


def _clean(text: str) -> str:
    text = text.translate(_TRANSLATE)
    # \s here is Unicode-aware, so non-breaking and thin spaces become plain spaces too.
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip(".").rstrip()


_TRANSLATE = str.maketrans({
    "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-", "\u2015": "\u2014",
})


def _parse_one(text: str, default_year: int | None, forms: Forms) -> BoardDate:
    reading = _Reading(text, default_year)
    for pattern, build in forms:
        m = _compiled(pattern).fullmatch(text)
        if m is None:
            continue
        try:
            return build(m, reading)
        except _NoForm:
            continue
    raise _NoForm(text)


_RANGE_SEPARATOR = re.compile(r" ?[-\u2013\u2014] ?| to ", re.IGNORECASE)


def _parse_range(text: str, forms: Forms) -> BoardDate:
    """"A - B": try every dash (or "to") as the one between the two ends. Exactly one way of
    splitting may make sense; two different readings would be a guess, so that is an error.
    A spaced dash outranks a bare one: "2025-26 – 28 July 2026" splits at the en dash."""
    readings: dict[bool, dict[tuple[date, date], BoardDate]] = {True: {}, False: {}}
    out_of_order: BoardDateError | None = None  # both ends read, in the wrong order
    bad_part: BoardDateError | None = None  # an end in a known form, but impossible
    for sep in _RANGE_SEPARATOR.finditer(text):
        left, right = text[:sep.start()].strip(), text[sep.end():].strip()
        if not left or not right:
            continue
        try:
            end = _parse_one(right, None, forms)
            start = _parse_one(left, end.earliest.year, forms)
        except _NoForm:
            continue
        except BoardDateError as exc:
            bad_part = bad_part or exc
            continue
        try:
            joined = _join(start, end, text)
        except BoardDateError as exc:
            out_of_order = out_of_order or exc
            continue
        spaced = sep.group() != sep.group().strip()
        readings[spaced][(joined.earliest, joined.latest)] = joined
    best = readings[True] or readings[False]
    if len(best) == 1:
        return next(iter(best.values()))
    if not best and out_of_order is not None:
        raise out_of_order
    if not best and isinstance(bad_part, _NoYear):
        raise BoardDateError(f"'{text}' {_NEEDS_YEAR}")
    if not best and bad_part is not None:
        raise bad_part
    raise _Reading(text, None).not_understood()


def _join(start: BoardDate, end: BoardDate, text: str) -> BoardDate:
    if (start.earliest, start.latest) == (end.earliest, end.latest):
        return start
    if end.earliest < start.earliest:
        raise BoardDateError(f"'{text}' ends before it starts")
    if end.latest < start.latest:
        raise BoardDateError(f"'{text}' ends before its first part does")
    a, b = start.earliest, end.earliest
    if start.exact and end.exact and (a.year, a.month) == (b.year, b.month):
        return _days_of_month(a, b)
    return BoardDate(f"{start.text} \u2013 {end.text}", start.earliest, end.latest)


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _days_of_month(first: date, last: date) -> BoardDate:
    """19/20 July 2017 for two days running, 4–8 September 2017 for a longer run."""
    joiner = "/" if (last - first).days == 1 else "\u2013"
    month = f"{MONTH_NAMES[first.month - 1]} {first.year}"
    return BoardDate(f"{first.day}{joiner}{last.day} {month}", first, last)


# --- the forms: a pattern and the builder that turns its match into a BoardDate -----------------

_MONTHS = {name.lower(): i for i, name in enumerate(MONTH_NAMES, 1)}
_MONTHS |= {name[:3].lower(): i for i, name in enumerate(MONTH_NAMES, 1)}
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): i for i, name in enumerate(WEEKDAY_NAMES)}
_WEEKDAYS |= {name[:3].lower(): i for i, name in enumerate(WEEKDAY_NAMES)}
_WEEKDAYS |= {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}


def _alternatives(words: dict[str, int]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_Y = r"(?P<y>[0-9]{4}|[0-9]{2})"
_Y4 = r"(?P<y>[0-9]{4})"
_D = r"(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?"
_MON = rf"(?P<mon>{_alternatives(_MONTHS)})\.?"
_WEEKDAY = rf"(?:(?P<wd>{_alternatives(_WEEKDAYS)})\.?,? )?"
_DASH = "[-\u2013\u2014]"
_FY = r"(?P<y1>[0-9]{4}|[0-9]{2}) ?[/-] ?(?P<y2>[0-9]{4}|[0-9]{2})"


def _month_of(m: re.Match[str]) -> int:
    return _MONTHS[m["mon"].lower().rstrip(".")]


def _numeric_day(m: re.Match[str], r: _Reading) -> BoardDate:
    if m["s1"].strip() != m["s2"].strip():  # 31/10-2017 is no form at all
        raise _NoForm(r.text)
    year, first, second = r.year(m), int(m["d"]), int(m["m"])
    if second > 12 and 1 <= first <= 12 and second <= _last_day(year, first):
        # 08/20/2022 reads only month first. Which order a date was written in is never
        # guessed from one date: 08/05/2022 beside it would be read wrongly.
        meant = date(year, first, second)
        raise r.error(f"is written month first ({long_date(meant)}); OOH Desk reads "
                      f"dates day first and does not guess the order of each one: write it "
                      f"as {short_date(meant)}")
    return BoardDate.from_date(r.day(year, second, first))


_ALL_NUMBER_DAY = re.compile(r"\s*([0-9]{1,2})( ?[/.-] ?)([0-9]{1,2})( ?[/.-] ?)"
                             r"([0-9]{4}|[0-9]{2})\s*")


def numeric_day_parts(text: str) -> tuple[int, int, int] | None:
    """(first number, second number, year) of a day written all in numbers ("08/20/2022",
    "20.08.22"), or None for any other text: for telling which order a column writes its
    dates in."""
    m = _ALL_NUMBER_DAY.fullmatch(text) if isinstance(text, str) else None
    if m is None or m[2].strip() != m[4].strip():
        return None
    year = 2000 + int(m[5]) if len(m[5]) == 2 else int(m[5])  # as _Reading.full_year does
    return (int(m[1]), int(m[3]), year) if MIN_YEAR <= year <= MAX_YEAR else None


def month_first_day(text: str) -> date:
    """A day written all in numbers read month first ("08/20/2022" is 20 August 2022), for a
    column whose dates can only be read that way; BoardDateError if it is no such day."""
    parts = numeric_day_parts(text)
    if parts is None:
        raise BoardDateError(f"'{text}' is not a date written in numbers")
    month, day, year = parts
    return _Reading(_clean(text), None).day(year, month, day)


def _iso_day(m: re.Match[str], r: _Reading) -> BoardDate:
    return BoardDate.from_date(r.day(r.year(m), int(m["m"]), int(m["d"])))


def _named_day(m: re.Match[str], r: _Reading) -> BoardDate:
    d = r.day(r.year(m), _month_of(m), int(m["d"]))
    if m["wd"] is not None and _WEEKDAYS[m["wd"].lower()] != d.weekday():
        raise r.error(f"does not add up: {long_date(d)} is a {WEEKDAY_NAMES[d.weekday()]}")
    return BoardDate.from_date(d)


def _day_pair(m: re.Match[str], r: _Reading) -> BoardDate:
    year, month = r.year(m), _month_of(m)
    first, last = r.day(year, month, int(m["d1"])), r.day(year, month, int(m["d2"]))
    if last <= first:
        raise r.error("ends before it starts")
    if not re.fullmatch(_DASH, m["sep"]) and (last - first).days != 1:
        # "4/8 September" is not two days running and could be a mistyped 4/8/2017.
        raise r.error("names two days that are not next to each other; write a run of days "
                      "as 4-8 September 2017")
    return _days_of_month(first, last)


def _month(m: re.Match[str], r: _Reading) -> BoardDate:
    year, month = r.year(m), _month_of(m)
    return BoardDate(f"{MONTH_NAMES[month - 1]} {year}", date(year, month, 1),
                     date(year, month, _last_day(year, month)))


def _part_of_month(m: re.Match[str], r: _Reading) -> BoardDate:
    year, month = r.year(m), _month_of(m)
    part = m["part"].split()[0].lower()
    if part in ("early", "beginning", "start"):
        label, first, last = "Early ", 1, 10
    elif part in ("mid", "middle"):
        label, first, last = "Mid-", 11, 20
    else:  # late, end
        label, first, last = "Late ", 21, _last_day(year, month)
    return BoardDate(f"{label}{MONTH_NAMES[month - 1]} {year}", date(year, month, first),
                     date(year, month, last))


def _financial_year_start(m: re.Match[str], r: _Reading) -> int:
    first = r.full_year(m["y1"])
    second = m["y2"]
    follows = int(second) == (first + 1) % 100 if len(second) == 2 else int(second) == first + 1
    if not follows:
        raise r.error("does not add up: in a financial year the second year follows the "
                      "first, as in 2017/18")
    return first


def _fy_label(first: int) -> str:
    return f"{first}/{(first + 1) % 100:02d}"


def _financial_year(m: re.Match[str], r: _Reading) -> BoardDate:
    first = _financial_year_start(m, r)
    return BoardDate(_fy_label(first), date(first, 4, 1), date(first + 1, 3, 31))


def _quarter(m: re.Match[str], r: _Reading) -> BoardDate:
    quarter = int(m["q"])
    if not 1 <= quarter <= 4:
        raise r.error("is not a date OOH Desk understands; a financial year has quarters "
                      "Q1 to Q4")
    first = _financial_year_start(m, r)
    # UK financial quarters: Q1 is April to June, so Q4 is January to March of the next year.
    month = 4 + 3 * (quarter - 1)
    year = first + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return BoardDate(f"Q{quarter} {_fy_label(first)}", date(year, month, 1),
                     date(year, month + 2, _last_day(year, month + 2)))


def _season(m: re.Match[str], r: _Reading) -> BoardDate:
    year, name = r.year(m), m["season"].lower()
    start = date(year, _SEASONS[name], 1)
    end_year, end_month = (year + 1, 2) if name == "winter" else (year, _SEASONS[name] + 2)
    return BoardDate(f"{name.capitalize()} {year}", start,
                     date(end_year, end_month, _last_day(end_year, end_month)))


def _week_commencing(m: re.Match[str], r: _Reading) -> BoardDate:
    monday = _parse_one(m["day"], r.default_year, _DAY_FORMS).earliest
    return BoardDate(f"w/c {long_date(monday)}", monday, monday + timedelta(days=6))


def _year(m: re.Match[str], r: _Reading) -> BoardDate:
    year = r.year(m)
    return BoardDate(str(year), date(year, 1, 1), date(year, 12, 31))


# Each pattern is compiled the first time a date is tried against it, not at import: the
# desktop app imports this module to draw its first window, which reads a few dates in one or
# two forms, if any (tests/test_start_fast_4.py).
@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE | re.ASCII)


# The text is already cleaned: single spaces, no trailing full stop. Patterns are whole-text
# matches; a year left out is only allowed where a range lends one ("January-February 2018").
_DAY_FORMS: Forms = [
    # 2017-10-31
    (rf"{_Y4}-(?P<m>[0-9]{{1,2}})-(?P<d>[0-9]{{1,2}})", _iso_day),
    # 31/10/2017, 31/10/17, 31.10.2017, 31-10-2017: always day first
    (rf"(?P<d>[0-9]{{1,2}})(?P<s1> ?[/.-] ?)(?P<m>[0-9]{{1,2}})(?P<s2> ?[/.-] ?){_Y}",
     _numeric_day),
    # 31 October 2017, 31st Oct 17, Tuesday 31 October 2017, 31-Oct-17
    (rf"{_WEEKDAY}{_D}(?: | of |-){_MON}(?:(?:,? |-){_Y})?", _named_day),
]
_FORMS: Forms = [
    *_DAY_FORMS,
    # 19/20 July 17, 19 /20 July 2017, 19-20 July 2017
    (rf"(?P<d1>[0-9]{{1,2}})(?:st|nd|rd|th)? ?(?P<sep>/|&|and|{_DASH}) ?"
     rf"(?P<d2>[0-9]{{1,2}})(?:st|nd|rd|th)? {_MON}(?: {_Y})?", _day_pair),
    # October 2017, Oct 17, Oct-17, Sept 2017
    (rf"{_MON}(?:(?: |-|, ){_Y})?", _month),
    # Early November 2017, mid-December 2017, late October 2017, end of October 2017
    (rf"(?:the )?(?P<part>early|beginning of|start of|mid|middle of|late|end of|end)"
     rf"(?: ?{_DASH} ?| ){_MON}(?:(?: |-){_Y})?", _part_of_month),
    # Q3 2017/18, Q3 17/18, Q3 2017-18, 2017/18 Q3
    (rf"q(?P<q>[0-9]) ?(?:fy ?)?{_FY}", _quarter),
    (rf"(?:fy ?)?{_FY} ?q(?P<q>[0-9])", _quarter),
    # 2018/19, 2018-19, 2018/2019, FY 2018/19
    (r"(?:fy ?|financial year )?(?P<y1>[0-9]{4})[/-](?P<y2>[0-9]{4}|[0-9]{2})", _financial_year),
    # Spring 2018 ... Winter 2018 (December 2018 to February 2019)
    (rf"(?P<season>spring|summer|autumn|winter)(?:(?: |-){_Y})?", _season),
    # w/c 4 September 2017, week commencing 04/09/2017
    (r"(?:w/c|w/b|wc|week commencing|week beginning|week starting)(?: on)?:? ?(?P<day>.+)",
     _week_commencing),
    # 2018
    (_Y4, _year),
]

# Only with dayfirst_only=False: October 31, 2017 (the month is a word, so there is no doubt).
_MONTH_FIRST_FORMS: Forms = [
    (rf"{_WEEKDAY}(?P<mon>{_alternatives(_MONTHS)})\.? {_D},? {_Y4}", _named_day),
]
