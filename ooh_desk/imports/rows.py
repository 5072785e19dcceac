"""Turn a mapped grid into per-row field values, skipping what is not a record."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .errors import ImportRefused
from .mapping import ColumnMap
from .tabular import Grid

_FOOTER = re.compile(r"^\s*(total|totals|grand total|count|sum|end of (register|log)|key)\b",
                     re.I)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def record_values(grid: Grid, colmap: ColumnMap) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, {field: value}) for each row below the header that holds a record."""
    if colmap.kind == "risks":
        refuse_quantitative(grid, colmap)
    companions = grid.companions if colmap.kind == "risks" else None
    if companions is None:
        yield from _record_values(grid, colmap)
        return
    refs: set[str] = set()
    for number, values in _record_values(grid, colmap):
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
        _refuse_unread(grid, colmap, number)
        values = {name: cells[i] if i < len(cells) else None
                  for i, name in colmap.columns.items()}
        if all(_blank(v) for v in values.values()):
            continue
        first = next((c for c in cells if not _blank(c)), "")
        if isinstance(first, str) and _FOOTER.match(first):
            continue
        yield number, values


def _refuse_unread(grid: Grid, colmap: ColumnMap, number: int) -> None:
    """Refuse a row whose imported cell the file holds no value for (a formula never
    calculated), rather than read it as blank and complain that a title is needed."""
    for index, name in colmap.columns.items():
        why = grid.unread.get((number, index))
        if why and name not in _CHECKED_ONLY:
            raise ImportRefused(f"{grid.source}, row {number}, column {_letter(index)} "
                                f"({colmap.headings[index]!r}): {why}")


def _letter(index: int) -> str:
    """A spreadsheet column's letters from its 0-based index: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# A cost-risk (quantitative) register scores likelihood as a percentage and impact as money.
_PERCENT = re.compile(r"^\s*-?\d+(?:\.\d+)?\s*%\s*$")
_MONEY = re.compile(r"^\s*(?:[£$€]|CHF|EUR|USD|GBP)?\s*-?[\d,]+(?:\.\d+)?\s*"
                    r"(?:[kKmM]|CHF|EUR|USD|GBP|bn)?\s*$")
_CURRENCY = re.compile(r"[£$€]|\b(?:CHF|EUR|USD|GBP)\b")
_RATING_FIELDS = ("inherent_likelihood", "likelihood", "target_likelihood",
                  "inherent_impact", "impact", "target_impact")


def refuse_quantitative(grid: Grid, colmap: ColumnMap) -> None:
    """Refuse, in one line, a register scored in percentages and money rather than on the
    5x5 matrix. OOH Desk does not convert them: how a percentage or an amount becomes a 1-5
    score is each organisation's own risk policy, and guessing it would misstate every risk."""
    rows = list(_record_values(grid, colmap))
    if not rows:
        return
    percent_columns = []
    for index, name in colmap.columns.items():
        if name not in _RATING_FIELDS:
            continue
        values = [v.get(name) for _, v in rows if not _blank(v.get(name))]
        if values and sum(1 for v in values if isinstance(v, str) and _PERCENT.match(v)) \
                > len(values) / 2:
            percent_columns.append(colmap.headings[index])
    money_columns = []
    example = ""
    for index, heading in colmap.headings.items():
        values = [row[1][index] for row in grid.rows if row[0] > colmap.header_row
                  and index < len(row[1]) and not _blank(row[1][index])]
        money = [v for v in values if isinstance(v, str) and _CURRENCY.search(v)
                 and _MONEY.match(v)]
        if values and len(money) > len(values) / 2:
            money_columns.append(heading)
            example = example or money[0]
    if not percent_columns:
        return
    likelihood_example = next(v[colmap_field] for _, v in rows
                              for colmap_field in _RATING_FIELDS
                              if isinstance(v.get(colmap_field), str)
                              and _PERCENT.match(v[colmap_field]))
    money_text = (f" and {_names(money_columns)} hold{'s' if len(money_columns) == 1 else ''} "
                  f"money amounts (e.g. {example!r})") if money_columns else ""
    raise ImportRefused(
        f"{grid.source} is a cost-risk register, not a 5x5 one: its {len(rows)} risks are "
        f"scored in percentages and money ({_names(percent_columns)} "
        f"hold{'s' if len(percent_columns) == 1 else ''} percentages such as "
        f"{likelihood_example!r}{money_text}). OOH Desk scores likelihood and impact 1 to 5; "
        "add columns scored that way (your risk policy says how percentages and amounts "
        "translate) and import again, pointing --map at them if their headings differ")


def _names(headings: list[str]) -> str:
    quoted = [repr(h) for h in dict.fromkeys(headings)]
    if len(headings) > len(quoted):
        quoted = [f"{q} (twice)" if headings.count(q.strip("'")) > 1 else q for q in quoted]
    return ", ".join(quoted)
