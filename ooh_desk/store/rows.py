"""Turn domain records into table rows and back. Which columns exist is read from the table;
which fields are board dates or ratings is read from the record's type hints."""

from __future__ import annotations

import dataclasses
import typing
from datetime import date
from functools import cache
from typing import Any

from ..domain.board_dates import BoardDate
from ..domain.records import RECORD_TYPES, Mitigation
from ..domain.scoring import Rating

# Where a risk's three ratings live in the row.
RATING_COLUMNS = {
    "inherent": ("inherent_likelihood", "inherent_impact"),
    "current": ("likelihood", "impact"),
    "target": ("target_likelihood", "target_impact"),
}
# The columns the register stamps on every row it writes: never a change to a record's fields.
STAMP_COLUMNS = frozenset({"uuid", "created", "updated", "updated_by"})


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _is(cls: type, name: str, wanted: type) -> bool:
    return wanted in typing.get_args(_hints(cls)[name]) or _hints(cls)[name] is wanted


def to_row(record: Any) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name, how in _read_plan(type(record)):
        value = getattr(record, name)
        if how == "mitigations":
            continue  # its own table
        if how == "date":
            row[name] = value.text if value else None
            row[f"{name}_from"] = value.earliest.isoformat() if value else None
            row[f"{name}_to"] = value.latest.isoformat() if value else None
        elif how == "rating":
            likelihood, impact = RATING_COLUMNS[name]
            row[likelihood] = value.likelihood if value else None
            row[impact] = value.impact if value else None
        elif isinstance(value, list):
            row[name] = "; ".join(value)
        elif how == "bool":
            row[name] = int(value)
        else:
            row[name] = value
    return row


@cache
def _read_plan(cls: type) -> tuple[tuple[str, str], ...]:
    """(field, how it is read) for each field of a record type, worked out once: a 10,000-risk
    export reads every field of every row."""
    plan = []
    for f in dataclasses.fields(cls):
        if f.name in ("mitigations", "themes"):
            how = f.name
        elif _is(cls, f.name, BoardDate):
            how = "date"
        elif _is(cls, f.name, Rating):
            how = "rating"
        elif _hints(cls)[f.name] is bool:
            how = "bool"
        else:
            how = "text" if _hints(cls)[f.name] is str else "value"
        plan.append((f.name, how))
    return tuple(plan)


def from_row(cls: type, row: dict[str, Any], mitigations: list[Mitigation] | None = None) -> Any:
    values: dict[str, Any] = {}
    for name, how in _read_plan(cls):
        if how == "mitigations":
            values[name] = mitigations or []
        elif how == "date":
            values[name] = board_date_from(row, name)
        elif how == "rating":
            likelihood, impact = (row.get(c) for c in RATING_COLUMNS[name])
            values[name] = Rating(likelihood, impact) if likelihood and impact else None
        elif how == "themes":
            values[name] = [t for t in (row.get(name) or "").split("; ") if t]
        elif how == "bool":
            values[name] = bool(row.get(name))
        elif name in row:
            value = row[name]
            values[name] = "" if value is None and how == "text" else value
    return cls(**values)


def board_date_from(row: dict[str, Any], name: str) -> BoardDate | None:
    if not row.get(name):
        return None
    return BoardDate(row[name], date.fromisoformat(row[f"{name}_from"]),
                     date.fromisoformat(row[f"{name}_to"]))


def date_columns(name: str, value: BoardDate | None) -> dict[str, Any]:
    """A board date's three columns: its words, and the first and last day it can mean."""
    return {name: value.text if value else None,
            f"{name}_from": value.earliest.isoformat() if value else None,
            f"{name}_to": value.latest.isoformat() if value else None}


def record_type(kind: str) -> type:
    return RECORD_TYPES[kind]
