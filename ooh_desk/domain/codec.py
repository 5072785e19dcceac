"""Records as JSON-ready dicts: the form `list --json` shows, with the derived facts (`band`,
`rag`, `overdue`) it adds, and the form format-version-1 exports hold (`import` still reads
them). Board dates are objects with the house text beside ISO earliest/latest days. Imports
no Qt, no SQL."""

from __future__ import annotations

import dataclasses
import typing
from datetime import date
from functools import cache
from typing import Any

from .board_dates import BoardDate
from .records import (
    RECORD_TYPES,
    Action,
    FeedbackItem,
    Milestone,
    Mitigation,
    Programme,
    Risk,
    action_overdue,
    milestone_rag,
)
from .scoring import Rating, band, impact_label, likelihood_label, trend
from .treatment import parse_treatment

FORMAT = "ooh-desk-register"
# 1: the programme, workstreams, events and the four record kinds, as records.
# 2: the whole register, table by table as stored (services.transfer); 1 still imports.
# A column a later schema adds (a risk's treatment, schema 6) is no new format: an older
# file without it imports with the column empty, and the file says its schema_version.
FORMAT_VERSION = 2


def board_date_to_json(value: BoardDate | None) -> dict[str, str] | None:
    if value is None:
        return None
    return {"text": value.text, "earliest": value.earliest.isoformat(),
            "latest": value.latest.isoformat()}


def board_date_from_json(value: Any) -> BoardDate | None:
    if not value:
        return None
    return BoardDate(value["text"], date.fromisoformat(value["earliest"]),
                     date.fromisoformat(value["latest"]))


def rating_to_json(value: Rating | None, programme: Programme | None = None) -> dict | None:
    if value is None:
        return None
    out: dict[str, Any] = {"likelihood": value.likelihood, "impact": value.impact,
                           "score": value.score}
    if programme is not None:
        out["likelihood_label"] = likelihood_label(value.likelihood)
        out["impact_label"] = impact_label(value.impact)
        out["band"] = band(value.score, programme.bands).name
    return out


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def to_json(record: Any, programme: Programme | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if isinstance(value, BoardDate) or (value is None and
                                            BoardDate in typing.get_args(_hints(type(record))[f.name])):
            out[f.name] = board_date_to_json(value)
        elif isinstance(value, Rating) or f.name in ("inherent", "current", "target"):
            out[f.name] = rating_to_json(value, programme)
        elif f.name == "mitigations":
            out[f.name] = [{"description": m.description, "owner": m.owner,
                            "due": board_date_to_json(m.due), "status": m.status}
                           for m in value]
        else:
            out[f.name] = value
    return out


def from_json(kind: str, data: dict[str, Any]) -> Any:
    cls = RECORD_TYPES[kind]
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        hint = _hints(cls)[f.name]
        if BoardDate in typing.get_args(hint):
            values[f.name] = board_date_from_json(value)
        elif Rating in typing.get_args(hint):
            values[f.name] = Rating(value["likelihood"], value["impact"]) if value else None
        elif f.name == "mitigations":
            values[f.name] = [Mitigation(m["description"], m.get("owner", ""),
                                         board_date_from_json(m.get("due")),
                                         m.get("status", "open")) for m in value or []]
        elif f.name == "treatment":
            values[f.name] = parse_treatment(value)
        else:
            values[f.name] = value
    return cls(**values)


def with_derived(kind: str, record: Any, programme: Programme, as_at: date,
                 scores: list[int] | None = None) -> dict[str, Any]:
    """The record as `list --json` shows it: stored fields plus what is worked out."""
    out = to_json(record, programme)
    out.pop("uuid", None)
    out = {"ref": out.pop("ref"), **out, "uuid": record.uuid}
    if isinstance(record, Risk):
        current = record.current
        out["band"] = band(current.score, programme.bands).name if current else None
        out["trend"] = trend(scores or [])
    elif isinstance(record, Milestone):
        rag = milestone_rag(record, as_at, programme.rag_tolerance_days,
                            programme.amber_window_days)
        out["rag"] = rag.status
        out["rag_reason"] = rag.reason
    elif isinstance(record, Action):
        out["overdue"] = action_overdue(record, as_at)
    elif isinstance(record, FeedbackItem):
        pass
    return out
