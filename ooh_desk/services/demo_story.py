"""The demo register's history, told as it happened: the records as they stood at the last
report (the sample CSVs, less the records changes.csv says were added later), that report on
the issue register, then each dated change in sample_data/changes.csv made as a real, audited
edit and dated the day it was made. Called by services.demo.build_demo; imports no Qt.

changes.csv columns: date, kind, ref, field, value. A `field` of `created` holds a record
back from the base import and adds it on that date (a feedback row's ref is its position in
feedback.csv, as the import numbers it)."""

from __future__ import annotations

import csv
import io
import tempfile
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from pathlib import Path
from typing import Any

from ..domain.board_dates import BoardDate, BoardDateError, parse_day, parse_optional
from ..domain.changes import Issue
from ..domain.records import REF_PREFIX, parse_status
from ..domain.scoring import Rating, ScoreError, parse_rating
from ..errors import UserFacing
from ..store import Register, history, records
from ..store.issues import record_issue

KINDS = ("milestones", "risks", "feedback", "actions")
_STATUS_KIND = {"milestones": "milestone", "risks": "risk", "feedback": "feedback",
                "actions": "action"}


class DemoDataError(UserFacing):
    """The shipped sample data does not hold together; the message names the file and row."""


@dataclass(frozen=True)
class DatedChange:
    row: int
    day: date
    kind: str
    ref: str
    field: str
    value: str


def read_changes(path: Path) -> list[DatedChange]:
    if not path.exists():
        return []
    out = []
    for number, row in enumerate(csv.DictReader(io.StringIO(path.read_text("utf-8"))), start=2):
        try:
            day = parse_day(row["date"])
        except (BoardDateError, ValueError) as exc:
            raise DemoDataError(f"{path.name} row {number}, column date: {exc}") from None
        if row["kind"] not in KINDS:
            raise DemoDataError(f"{path.name} row {number}, column kind: {row['kind']!r} is "
                                f"not one of {', '.join(KINDS)}")
        out.append(DatedChange(number, day, row["kind"], row["ref"].strip(),
                               row["field"].strip(), row["value"] or ""))
    return sorted(out, key=lambda c: (c.day, c.row))


def _row_ref(kind: str, row: dict[str, str], position: int) -> str:
    return (row.get("ref") or "").strip() or f"{REF_PREFIX[kind]}-{position:03d}"


@contextmanager
def base_files(sample_data: Path, changes: list[DatedChange]) -> Iterator[dict[str, Path]]:
    """Copies of the sample CSVs without the records added after the last report, and one
    small CSV per later addition (named as the original, so the audit says where it came
    from), in a scratch folder that lasts while the demo is built."""
    held = {(c.kind, c.ref): c for c in changes if c.field == "created"}
    with tempfile.TemporaryDirectory(prefix="ooh-demo-story-") as scratch:
        files: dict[str, Path] = {}
        for kind in KINDS:
            source = sample_data / f"{kind}.csv"
            reader = csv.DictReader(io.StringIO(source.read_text("utf-8")))
            assert reader.fieldnames is not None
            base, later = [], []
            for position, row in enumerate(reader, start=1):
                ref = _row_ref(kind, row, position)
                (later if (kind, ref) in held else base).append((ref, row))
            files[kind] = _write(Path(scratch) / "base" / source.name, reader.fieldnames, base)
            for ref, row in later:
                files[f"{kind}/{ref}"] = _write(Path(scratch) / ref / source.name,
                                                reader.fieldnames, [(ref, row)])
        yield files


def _write(path: Path, header: list[str], rows: list[tuple[str, dict[str, str]]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        writer.writerows(row for _, row in rows)
    return path


def record_issued(reg: Register, settings: dict[str, Any]) -> None:
    """The outputs programme.toml says were issued before the changes ([[issued]])."""
    for i in settings.get("issued", []):
        record_issue(reg, Issue(
            kind=i["kind"], as_at=date.fromisoformat(i["as_at"]),
            at=datetime.fromisoformat(i["at"]), file_name=i.get("file_name", ""),
            committee=i.get("committee", ""), style=i.get("style", ""),
            meeting_ref=i.get("meeting_ref", "")))


def apply_changes(reg: Register, changes: list[DatedChange], files: dict[str, Path],
                  import_file: Any) -> None:
    """Each day's changes as audited edits (one save per record per day), then that day's
    history is dated the day it happened."""
    for day, todays in groupby(changes, key=lambda c: c.day):
        for (kind, ref), edits in groupby(todays, key=lambda c: (c.kind, c.ref)):
            edits = list(edits)
            if any(e.field == "created" for e in edits):
                import_file(reg, files[f"{kind}/{ref}"], kind)
                if records.get_record(reg, kind, ref) is None:
                    raise DemoDataError(f"changes.csv row {edits[0].row}: adding {ref} made "
                                        "a record with another ref")
                continue
            record = records.get_record(reg, kind, ref)
            if record is None:
                raise DemoDataError(f"changes.csv row {edits[0].row}, column ref: there is no "
                                    f"{kind} record {ref}")
            for e in edits:
                _set(record, e)
            records.save_records(reg, kind, [record], operation="edit")
        history.backdate(reg, day)


def _set(record: Any, change: DatedChange) -> None:
    name, value = change.field, change.value.strip()
    where = f"changes.csv row {change.row}, column value"
    try:
        if name in ("likelihood", "impact"):
            current = record.current or Rating(1, 1)
            number = parse_rating(value, name)
            record.current = Rating(number, current.impact) if name == "likelihood" \
                else Rating(current.likelihood, number)
        elif name == "status":
            record.status = parse_status(_STATUS_KIND[change.kind], value)
        elif not hasattr(record, name) or name in ("ref", "uuid"):
            raise DemoDataError(f"changes.csv row {change.row}, column field: {name!r} is not a "
                                f"field a {change.kind} record can change")
        elif BoardDate in typing.get_args(typing.get_type_hints(type(record))[name]):
            setattr(record, name, parse_optional(value))
        else:
            setattr(record, name, value)
    except (BoardDateError, ScoreError, ValueError) as exc:
        raise DemoDataError(f"{where}: {exc}") from None
