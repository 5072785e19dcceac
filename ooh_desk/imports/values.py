"""Reading a mapped column's values as the user meant them, column by column, before each
row is built into a record; every reading that is not obvious is said in the report.

Rules are the column's, not one cell's: a number is an Excel date because it sits in a date
column and counts to a day between 1990 and 2100; a date is read month first only when no
date in its column can be read day first; a phrase is boilerplate only when every value
starts with it; a word is a score by the column's own drop-down list when it has one.
Imports no Qt.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from ..domain.board_dates import (
    BoardDateError,
    long_date,
    month_first_day,
    numeric_day_parts,
)
from ..domain.conflict_marks import NOT_AGREED, without_mark
from ..domain.prose import counted
from ..domain.records import REF_PREFIX
from ..domain.scoring import ScoreError, parse_rating, rating_word
from .mapping import ColumnMap
from .rows import placeholder_rows
from .tabular import Grid

Rows = list[tuple[int, dict[str, Any]]]

DATE_FIELDS = frozenset({"raised", "review_date", "baseline", "forecast", "actual", "due",
                         "date"})
RATING_SCALES = {"inherent_likelihood": "likelihood", "likelihood": "likelihood",
                 "target_likelihood": "likelihood", "inherent_impact": "impact",
                 "impact": "impact", "target_impact": "impact"}
BOILERPLATE_FIELDS = ("title", "description")
OWNED_KINDS = {"risks": "risk", "milestones": "milestone", "actions": "action"}

# Excel counts days from 30 December 1899 (its day 1 is 1 January 1900, and it believes 1900
# was a leap year). A number is read as a date only between these two days.
EXCEL_EPOCH = date(1899, 12, 30)
FIRST_SERIAL_DAY, LAST_SERIAL_DAY = date(1990, 1, 1), date(2100, 12, 31)
# ASCII digits only, as in a ref: a full-width '１' or '４３０００' is not read as a number.
_SERIAL = re.compile(r"^\s*[0-9]{5}(?:\.[0-9]+)?\s*$")
# "There is a risk that:", "Resulting in:": a short leading phrase ending in a colon.
_LEADING_PHRASE = re.compile(r"^\s*([^:\n]{1,60}?)\s*:\s+(?=\S)")
_WHOLE_NUMBER = re.compile(r"^\s*[0-9]{1,6}\s*$")


def read_values(grid: Grid, colmap: ColumnMap, rows: Rows) -> list[str]:
    """Tidy `rows` ({field: value} per row) in place; return the readings to report."""
    readings: list[str] = _without_conflict_marks(rows)
    skipped = placeholder_rows(grid, colmap, rows)
    for index, name in sorted(colmap.columns.items()):
        heading = colmap.headings.get(index, name)
        if name == "ref":
            readings += _numbers_as_refs(rows, colmap.kind, heading)
        elif name in DATE_FIELDS:
            readings += _serial_dates(rows, name, heading)
            readings += _month_first(rows, name, heading)
        elif name in BOILERPLATE_FIELDS:
            readings += _boilerplate(rows, name, heading)
        elif name in RATING_SCALES:
            readings += _words_as_scores(rows, name, heading, grid.value_lists.get(index))
        elif name == "owner":
            readings += _tidy_owners(rows, heading)
    if skipped:
        readings.append(_placeholders(skipped, colmap))
    readings += _no_owner(rows, colmap)
    return readings


def _without_conflict_marks(rows: Rows) -> list[str]:
    """An OOH Desk log written while two merged copies disagreed marks those cells "(not yet
    agreed: ...)" after the value; the mark is not part of the value, so it comes off."""
    marked = 0
    for _, values in rows:
        for name, value in values.items():
            if isinstance(value, str) and NOT_AGREED in value:
                values[name] = without_mark(value)
                marked += values[name] != value
    if not marked:
        return []
    return [f"took the \u201c{NOT_AGREED}\u201d marks off {counted(marked, 'cell')}: they say "
            "two merged copies of a register disagreed, and are not part of the value"]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _filled(rows: Rows, name: str) -> Iterator[dict[str, Any]]:
    """The rows whose `name` is filled, one by one (a rule may stop at the first that
    breaks it)."""
    for _, values in rows:
        value = values.get(name)
        if value is not None and (not isinstance(value, str) or value.strip()):
            yield values


def _as_typed(value: Any) -> str:
    """A value as the user typed it: 43000, not 43000.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- refs ---------------------------------------------------------------------------------------


class NumberedRef(str):
    """A ref made from a bare number in the file (3 -> R-003). The number was the file's own
    row numbering, not a ref typed on purpose: the import refuses it rather than overwrite a
    different record the register keeps under that ref."""

    number: int
    heading: str

    def __new__(cls, ref: str, number: int, heading: str) -> NumberedRef:
        made = super().__new__(cls, ref)
        made.number, made.heading = number, heading
        return made


def _numbers_as_refs(rows: Rows, kind: str, heading: str) -> list[str]:
    """Bare whole numbers (1, 2, 3) in a ref column become the kind's refs (R-001, R-002 …),
    when every ref in the column is one: a file numbering its rows means them as refs, and
    the number is kept, so importing the file again finds the same records."""
    if kind not in REF_PREFIX:
        return []
    column: list[dict[str, Any]] = []
    numbers: list[int] = []
    for values in _filled(rows, "ref"):
        n = _whole(values["ref"])
        if n is None or n < 1:
            return []  # a ref column with any real ref in it: numbers are refused by row
        column.append(values)
        numbers.append(n)
    if not column:
        return []
    prefix = REF_PREFIX[kind]
    for values, n in zip(column, numbers, strict=True):
        values["ref"] = NumberedRef(f"{prefix}-{n:03d}", n, heading)
    low, high = min(numbers), max(numbers)
    if len(column) == 1:
        return [f"{heading}: read the number {low} as the ref {prefix}-{low:03d}"]
    return [f"{heading}: read the numbers {low} to {high} as refs {prefix}-{low:03d} to "
            f"{prefix}-{high:03d}"]


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value <= 999_999 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value <= 999_999 else None
    if isinstance(value, str) and _WHOLE_NUMBER.match(value):
        return int(value)
    return None


# --- dates ------------------------------------------------------------------------------------


def _serial_dates(rows: Rows, name: str, heading: str) -> list[str]:
    """Excel serial numbers (43000) in a date column are the days they count to."""
    read: list[tuple[Any, date]] = []
    for values in _filled(rows, name):
        day = _serial_day(values[name])
        if day is not None:
            read.append((values[name], day))
            values[name] = day
    if not read:
        return []
    value, day = read[0]
    if len(read) == 1:
        return [f"{heading}: read {_as_typed(value)} as {long_date(day)} "
                "(an Excel date stored as a number)"]
    return [f"{heading}: read {len(read)} numbers as Excel dates, e.g. "
            f"{_as_typed(value)} as {long_date(day)}"]


def _serial_day(value: Any) -> date | None:
    if isinstance(value, bool | date | datetime):
        return None
    if isinstance(value, str):
        if not _SERIAL.match(value):
            return None
        value = float(value)
    if not isinstance(value, int | float):
        return None
    day = EXCEL_EPOCH + timedelta(days=int(value))
    return day if FIRST_SERIAL_DAY <= day <= LAST_SERIAL_DAY else None


def _month_first(rows: Rows, name: str, heading: str) -> list[str]:
    """Dates written all in numbers are read day first, as a UK paper writes them; a column
    is read month first only when it can be read no other way (some second number over 12,
    no first number over 12). A column mixing the two is left for each month-first date to
    be refused by name: which order each date was written in is never guessed."""
    typed = []
    for values in _filled(rows, name):
        parts = numeric_day_parts(values[name]) if isinstance(values[name], str) else None
        if parts is None:
            continue
        if parts[0] > 12:
            return []  # the column writes its dates day first
        typed.append((values, parts))
    if not any(second > 12 for _, (_, second, _) in typed):
        return []
    example = ""
    for values, _ in typed:
        try:
            day = month_first_day(values[name])
        except BoardDateError:
            continue  # not a day either way round: the row is refused saying so
        example = example or f"{values[name].strip()} as {long_date(day)}"
        values[name] = day
    if not example:
        return []
    return [f"{heading}: read the dates month first ({example}), as no date in the column "
            "can be read day first"]


# --- text ---------------------------------------------------------------------------------------


def _boilerplate(rows: Rows, name: str, heading: str) -> list[str]:
    """A leading phrase every value in the column starts with ("There is a risk that:") says
    nothing about any one risk: it is dropped."""
    column: list[dict[str, Any]] = []
    phrases: list[re.Match[str]] = []
    for values in _filled(rows, name):
        m = _LEADING_PHRASE.match(values[name]) if isinstance(values[name], str) else None
        if m is None or not re.search(r"[^\W\d_]", m.group(1)):
            return []  # a value with no leading phrase: nothing is boilerplate
        column.append(values)
        phrases.append(m)
    if len(column) < 2:
        return []
    keys = {" ".join(m.group(1).split()).casefold() for m in phrases}
    if len(keys) != 1 or len(next(iter(keys)).split()) > 8:
        return []
    for values, m in zip(column, phrases, strict=True):
        rest = values[name][m.end():]
        values[name] = rest[:1].upper() + rest[1:]
    phrase = " ".join(phrases[0].group(1).split()) + ":"
    return [f"{heading}: dropped {phrase!r} from the start of all {len(column)} values"]


def _tidy_owners(rows: Rows, heading: str) -> list[str]:
    """Stray spaces go; an owner written on two lines ("Jane Smith" / "Head of Finance")
    becomes one, the lines joined with a comma."""
    joined = []
    tidied: dict[str, tuple[str, bool]] = {}  # an owner's text, tidy, and whether joined
    for values in _filled(rows, "owner"):
        value = values["owner"]
        if not isinstance(value, str):
            continue
        if value not in tidied:
            lines = [" ".join(line.split()) for line in value.splitlines()]
            lines = [line for line in lines if line]
            tidied[value] = (", ".join(lines), len(lines) > 1)
        tidy, was_joined = tidied[value]
        if was_joined:
            joined.append(tidy)
        values["owner"] = tidy
    if not joined:
        return []
    return [f"{heading}: joined the lines of {len(joined)} owner"
            f"{'s' if len(joined) > 1 else ''} written on more than one line, e.g. "
            f"{joined[0]!r}"]


def _no_owner(rows: Rows, colmap: ColumnMap) -> list[str]:
    noun = OWNED_KINDS.get(colmap.kind)
    if noun is None or not rows or any(not _blank(v.get("owner")) for _, v in rows):
        return []
    column = next((colmap.headings[i] for i, f in colmap.columns.items() if f == "owner"), None)
    if column is None and not {"title", "description"} & set(colmap.columns.values()):
        return []  # a sheet of refs and scores alone updates them; owners stay as they were
    where = f" ({column!r} is empty on every row)" if column else ""
    count = f"1 {noun} has" if len(rows) == 1 else f"{len(rows)} {noun}s have"
    return [f"no owner in the file{where}: {count} none"]


def _placeholders(skipped: list[tuple[int, Any]], colmap: ColumnMap) -> str:
    heading = next((colmap.headings[i] for i, f in colmap.columns.items() if f == "ref"), "ref")
    numbers = ", ".join(str(number) for number, _ in skipped)
    refs = ", ".join(_as_typed(ref) for _, ref in skipped)
    row = "row" if len(skipped) == 1 else "rows"
    return f"skipped {row} {numbers}: {'it holds' if len(skipped) == 1 else 'each holds'} " \
           f"only {heading!r} ({refs}) and nothing else to import"


# --- likelihood and impact -----------------------------------------------------------------


def _words_as_scores(rows: Rows, name: str, heading: str,
                     value_list: list[str] | None) -> list[str]:
    """Words for a likelihood or impact become their scores, by the workbook's own five-word
    drop-down list when the column has one, else by OOH Desk's default table (README)."""
    scale = RATING_SCALES[name]
    ranks = _list_ranks(value_list, scale)
    read: dict[str, int] = {}
    known: dict[str, int | None] = {}  # each distinct text, worked out once
    for values in _filled(rows, name):
        value = values[name]
        if not isinstance(value, str):
            continue
        if value not in known:
            known[value] = _word_score(value, scale, ranks)
        score = known[value]
        if score is None:
            continue
        read.setdefault(" ".join(value.split()), score)
        values[name] = score
    if not read:
        return []
    shown = ", ".join(f"{word!r} as {score}" for word, score in read.items())
    if ranks:
        order = ", ".join(f"{word} {ranks[word.casefold()]}" for word in value_list or [])
        differ = [f"{word!r} is {score} here, {rating_word(word, scale)} by default"
                  for word, score in read.items()
                  if rating_word(word, scale) not in (None, score)]
        return [f"{heading}: read {shown}, by the workbook's own list ({order})"
                + (f"; {'; '.join(differ)}" if differ else "")]
    return [f"{heading}: read {shown}"]


def _word_score(value: str, scale: str, ranks: dict[str, int]) -> int | None:
    """The score a word stands for; None for a number or "4 - Likely" (read as it is,
    nothing to explain) and for a word that is no score (refused on its row, saying what
    the scale is)."""
    if re.search(r"\d", value):
        return None
    score = ranks.get(" ".join(value.split()).casefold())
    if score is not None:
        return score
    try:
        return parse_rating(value, scale)
    except ScoreError:
        return None


def _list_ranks(value_list: list[str] | None, scale: str) -> dict[str, int]:
    """A five-word drop-down list as a scale: its words ranked 1 to 5 in the list's order,
    or 5 to 1 when the list runs from the highest down ("Very High, High, …")."""
    if not value_list or len(value_list) != 5 \
            or any(re.search(r"\d", word) for word in value_list):
        return {}
    known = [(position, rating_word(word, scale)) for position, word in enumerate(value_list)]
    known = [(position, score) for position, score in known if score is not None]
    falling = sum((b[1] > a[1]) - (b[1] < a[1]) for a, b in zip(known, known[1:], strict=False))
    order = list(reversed(value_list)) if falling < 0 else value_list
    return {word.casefold(): n for n, word in enumerate(order, 1)}
