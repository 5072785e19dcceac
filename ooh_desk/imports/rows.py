"""Turn a mapped grid into per-row field values, skipping what is not a record (blank,
footer and ID-only placeholder rows), and refuse in one line a sheet whose risks cannot be
put on the 5x5 matrix at all. Imports no Qt."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from typing import Any

from ..domain.records import REF_PREFIX, normal_ref
from .errors import ImportRefused
from .mapping import ColumnMap, column_letter
from .tabular import Grid

_FOOTER = re.compile(r"^\s*(total|totals|grand total|count|sum|end of (register|log)|key)\b",
                     re.I)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def record_values(grid: Grid, colmap: ColumnMap, known_refs: Collection[str] = ()
                  ) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, {field: value}) for each row below the header that holds a record.
    `known_refs` (upper case) are the refs the register already holds: rows that all update
    those may leave out what the register already knows."""
    rows = list(_record_values(grid, colmap))
    if colmap.kind == "risks":
        refuse_unscorable(grid, colmap, rows, known_refs)
    companions = grid.companions if colmap.kind == "risks" else None
    if companions is None:
        yield from rows
        return
    refs: set[str] = set()
    for number, values in rows:
        refs.add(str(values.get("ref") or "").strip())
        yield number, companions.complete(values)
    companions.check_all_on_log(refs)


# Columns only checked against likelihood x impact, never stored: a score the file does not
# hold is not needed.
_CHECKED_ONLY = ("inherent_score", "score")


def _record_values(grid: Grid, colmap: ColumnMap) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, cells in grid.rows:
        if number <= colmap.header_row:
            continue
        if grid.unread:
            _refuse_unread(grid, colmap, number)
        values = {name: cells[i] if i < len(cells) else None
                  for i, name in colmap.columns.items()}
        if _placeholder(values) or all(_blank(v) for v in values.values()):
            continue
        first = next((c for c in cells if not _blank(c)), "")
        if isinstance(first, str) and _FOOTER.match(first):
            continue
        yield number, values


def _placeholder(values: dict[str, Any]) -> bool:
    """A row that holds its ref and nothing else: an ID typed ahead for risks not yet
    written (a template's numbered rows), not a record to refuse for lacking a title."""
    return not _blank(values.get("ref")) and all(_blank(v) for k, v in values.items()
                                                  if k != "ref")


def placeholder_rows(grid: Grid, colmap: ColumnMap,
                     kept: list[tuple[int, Any]]) -> list[tuple[int, Any]]:
    """(row number, ref) of the rows below the header skipped as placeholders, given the
    rows `record_values` kept."""
    out = []
    numbers = {number for number, _ in kept}
    for number, cells in grid.rows:
        if number <= colmap.header_row or number in numbers:
            continue
        values = {name: cells[i] if i < len(cells) else None
                  for i, name in colmap.columns.items()}
        if _placeholder(values):
            out.append((number, values["ref"]))
    return out


def _refuse_unread(grid: Grid, colmap: ColumnMap, number: int) -> None:
    """Refuse a row whose imported cell the file holds no value for (a formula never
    calculated), rather than read it as blank and complain that a title is needed."""
    for index, name in colmap.columns.items():
        why = grid.unread.get((number, index))
        if why and name not in _CHECKED_ONLY:
            raise ImportRefused(f"{grid.source}, row {number}, column {column_letter(index)} "
                                f"({colmap.headings[index]!r}): {why}")


# A cost-risk (quantitative) register scores likelihood as a percentage (or a band of them,
# "75% to 100%") and impact as money.
_PERCENT = re.compile(r"^\s*-?\d+(?:\.\d+)?\s*%\s*$")
_PERCENT_BAND = re.compile(r"^\s*\d+(?:\.\d+)?\s*%?\s*(?:to|-|\u2013|\u2014)\s*"
                           r"\d+(?:\.\d+)?\s*%\s*$", re.I)
_MONEY = re.compile(r"^\s*(?:[£$€]|CHF|EUR|USD|GBP)?\s*-?[\d,]+(?:\.\d+)?\s*"
                    r"(?:[kKmM]|CHF|EUR|USD|GBP|bn)?\s*$")
_CURRENCY = re.compile(r"[£$€]|\b(?:CHF|EUR|USD|GBP)\b")
# A heading that says its column holds money ("Impact (monetary)", "Cost (£)").
_MONEY_HEADING = re.compile(r"[£$€]|\b(?:monetary|money|cost|costs|financial|CHF|EUR|USD|GBP)\b",
                            re.I)
_LIKELIHOOD_FIELDS = ("inherent_likelihood", "likelihood", "target_likelihood")
_IMPACT_FIELDS = ("inherent_impact", "impact", "target_impact")
_RATING_FIELDS = _LIKELIHOOD_FIELDS + _IMPACT_FIELDS
_SCALE_WORDS = ("1 Rare, 2 Unlikely, 3 Possible, 4 Likely, 5 Almost certain")


def refuse_unscorable(grid: Grid, colmap: ColumnMap, rows: list[tuple[int, dict[str, Any]]],
                      known_refs: Collection[str] = ()) -> None:
    """Refuse, in one line that says what to change, a sheet whose risks cannot be put on the
    5x5 matrix at all: scored in percentages and money, in probabilities between 0 and 1, or
    with an impact and no likelihood (an issue log). Row-by-row refusals would say the same
    thing once a row."""
    if not rows:
        return
    refuse_quantitative(grid, colmap, rows)
    _refuse_probabilities(grid, colmap, rows)
    if not _all_known(rows, colmap.kind, known_refs):
        _refuse_half_pairs(grid, colmap, rows)


def _all_known(rows: list[tuple[int, dict[str, Any]]], kind: str,
               known_refs: Collection[str]) -> bool:
    """Whether every row's ref (R-003, or 3 for a file that numbers its rows) is one the
    register holds: a sheet of refs and impacts alone updates risks already scored."""
    if not known_refs:
        return False
    for _, values in rows:
        ref = values.get("ref")
        if isinstance(ref, int | float) and not isinstance(ref, bool) and float(ref).is_integer() \
                or isinstance(ref, str) and ref.strip().isdigit():
            ref = f"{REF_PREFIX.get(kind, '')}-{int(float(ref)):03d}"
        if (normal_ref(ref) or "") not in known_refs:
            return False
    return True


def refuse_quantitative(grid: Grid, colmap: ColumnMap,
                        rows: list[tuple[int, dict[str, Any]]]) -> None:
    """Refuse, in one line, a register scored in percentages and money rather than on the
    5x5 matrix. OOH Desk does not convert them: how a percentage or an amount becomes a 1-5
    score is each organisation's own risk policy, and guessing it would misstate every risk."""
    percent_columns: list[str] = []
    band_columns: list[str] = []
    percent_example = band_example = ""
    for index, name in colmap.columns.items():
        if name not in _RATING_FIELDS:
            continue
        values = [v.get(name) for _, v in rows if not _blank(v.get(name))]
        texts = [v for v in values if isinstance(v, str) and "%" in v]  # both need one
        percents = [v for v in texts if _PERCENT.match(v)]
        bands = [v for v in texts if _PERCENT_BAND.match(v)]
        if values and len(percents) > len(values) / 2:
            percent_columns.append(colmap.headings[index])
            percent_example = percent_example or percents[0]
        elif values and len(bands) > len(values) / 2:
            band_columns.append(colmap.headings[index])
            band_example = band_example or bands[0]
    impacts = {i: h for i, h in colmap.headings.items()
               if colmap.columns.get(i) in _IMPACT_FIELDS or "impact" in h.lower()}
    if not (percent_columns or band_columns or _money_columns(grid, colmap, impacts)[0]):
        return
    money_columns, example = _money_columns(grid, colmap, colmap.headings)
    held = []
    if percent_columns:
        held.append(f"{_names(percent_columns)} {_hold(percent_columns)} percentages such as "
                    f"{percent_example!r}")
    if band_columns:
        held.append(f"{_names(band_columns)} {_hold(band_columns)} percentage bands such as "
                    f"{band_example!r}")
    if money_columns:
        held.append(f"{_names(money_columns)} {_hold(money_columns)} money amounts "
                    f"(e.g. {example!r})")
    scored_in = " and ".join(w for w, used in (("percentages", percent_columns or band_columns),
                                               ("money", money_columns)) if used)
    raise ImportRefused(
        f"{grid.source} is a cost-risk register, not a 5x5 one: its {len(rows)} "
        f"risk{'s are' if len(rows) != 1 else ' is'} scored in {scored_in} "
        f"({' and '.join(held)}). OOH Desk scores likelihood and impact 1 to 5; "
        "add columns scored that way (your risk policy says how percentages and amounts "
        "translate) and import again, pointing --map at them if their headings differ")


def _how_many(given: int, rows: int) -> str:
    if given == rows:
        return "its only risk" if rows == 1 else f"each of its {rows} risks"
    return f"{given} of its {rows} risks"


def _money_columns(grid: Grid, colmap: ColumnMap,
                   headings: dict[int, str]) -> tuple[list[str], Any]:
    """Those of `headings` whose column holds money: amounts with a currency ("300,000
    CHF"), or numbers under a heading that says money ("Impact (monetary)"); and an example."""
    found: list[str] = []
    example: Any = ""
    columns: dict[int, list[Any]] = {index: [] for index in headings}
    for number, cells in grid.rows:  # one pass over the sheet, not one per heading
        if number <= colmap.header_row:
            continue
        for index, values in columns.items():
            if index < len(cells) and not _blank(cells[index]):
                values.append(cells[index])
    for index, heading in headings.items():
        values = columns[index]
        money = [v for v in values if isinstance(v, str) and _CURRENCY.search(v)
                 and _MONEY.match(v)]
        if not (values and len(money) > len(values) / 2) and _MONEY_HEADING.search(heading):
            money = [v for v in values if _amount(v)]
        if values and len(money) > len(values) / 2:
            found.append(heading)
            example = example or money[0]
    return found, example


def _hold(headings: list[str]) -> str:
    return "holds" if len(headings) == 1 else "hold"


def _amount(value: Any) -> bool:
    """A number that can only be money in a column whose heading says money: over 5."""
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        if not _MONEY.match(value):
            return False
        try:
            value = float(re.sub(r"[^\d.\-]", "", value))
        except ValueError:
            return False
    return isinstance(value, int | float) and abs(value) > 5


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _refuse_probabilities(grid: Grid, colmap: ColumnMap,
                          rows: list[tuple[int, dict[str, Any]]]) -> None:
    """A likelihood given as a probability between 0 and 1 (0.4, 0.075): one line for the
    file, not one per risk. Which probability is which 1-5 score is the organisation's risk
    policy, so OOH Desk does not convert them."""
    for index, name in sorted(colmap.columns.items()):
        if name not in _LIKELIHOOD_FIELDS:
            continue
        given = [(number, v[name]) for number, v in rows if not _blank(v.get(name))]
        numbers = [(number, _number(value)) for number, value in given]
        numbers = [(number, x) for number, x in numbers if x is not None]
        if not numbers or len(numbers) <= len(given) / 2:
            continue
        fractions = [(number, x) for number, x in numbers if 0 < x < 1]
        if not fractions or any(not 0 <= x <= 1 for _, x in numbers):
            continue
        row, first = fractions[0]
        raise ImportRefused(
            f"{grid.source}: {colmap.headings[index]!r} holds probabilities between 0 and 1 "
            f"(such as {first:g} on row {row}), not likelihoods scored 1 to 5, so none of its "
            f"{len(rows)} risks was imported; replace each probability with the score your "
            f"risk policy gives it ({_SCALE_WORDS}), or add a column scored that way and "
            f"point --map at it, and import again")


def _refuse_half_pairs(grid: Grid, colmap: ColumnMap,
                       rows: list[tuple[int, dict[str, Any]]]) -> None:
    """An impact with no likelihood column anywhere (an issue log's Severity), or the other
    way round: no row can be scored, and the fix is a column, not every row."""
    mapped = set(colmap.columns.values())
    no_likelihood = not mapped & set(_LIKELIHOOD_FIELDS)
    no_impact = not mapped & set(_IMPACT_FIELDS)
    halves = [(n, "likelihood") for n in _IMPACT_FIELDS if n in mapped and no_likelihood] \
        + [(n, "impact") for n in _LIKELIHOOD_FIELDS if n in mapped and no_impact]
    if not halves:
        return
    name, missing = halves[0]
    given = sum(1 for _, v in rows if not _blank(v.get(name)))
    if given <= len(rows) / 2:
        return
    index = next(i for i, f in colmap.columns.items() if f == name)
    heading = colmap.headings[index]
    has = "impact" if missing == "likelihood" else "likelihood"
    headings = " ".join([*colmap.headings.values(), grid.source]).lower()
    issues = ("; it reads as an issue log (issues have already happened, so they have no "
              "likelihood): to keep them as actions instead, import with --kind actions"
              if missing == "likelihood" and re.search(r"\b(issue|priority)", headings)
              else "")
    raise ImportRefused(
        f"{grid.source}: {heading!r} gives {_how_many(given, len(rows))} an {has}, but no "
        f"column gives a {missing}, so none can be scored on the 5x5 matrix (likelihood x "
        f"impact); add a {missing.capitalize()!r} column scored 1 to 5 (or name the column "
        f"that holds it with --map \"Their column={missing}\") and import again{issues}")


def _names(headings: list[str]) -> str:
    quoted = [repr(h) for h in dict.fromkeys(headings)]
    if len(headings) > len(quoted):
        quoted = [f"{q} (twice)" if headings.count(q.strip("'")) > 1 else q for q in quoted]
    return ", ".join(quoted)
