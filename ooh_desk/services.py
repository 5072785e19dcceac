"""The verbs a user performs — create a register, import a file, list records, export —
called alike by the command line and the desktop app. Imports no Qt."""

from __future__ import annotations

import csv
import dataclasses
import json
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .domain import codec
from .domain.board_dates import parse_optional
from .domain.changes import ChangeSummary
from .domain.records import (
    BUILDERS,
    EngagementEvent,
    FieldReader,
    Problem,
    Programme,
    Workstream,
    typed_values,
)
from .errors import UserFacing
from .imports.errors import ImportRefused
from .imports.mapping import ColumnMap, find_header
from .imports.rows import record_values
from .imports.tabular import Grid, read_csv
from .store import SUFFIX, Change, Register, RegisterError, Removed
from .store.queries import (  # noqa: F401  (the desktop app's verbs, re-exported)
    PAGE_FILTERS,
    RecordQuery,
    count_records,
    distinct_values,
    page_records,
    paper_refs,
    risk_matrix,
    risk_scores,
)

SAMPLE_DATA = Path(__file__).resolve().parent.parent / "sample_data"
LIST_KINDS = ("risks", "milestones", "feedback", "actions")


class UserError(UserFacing):
    """Something the user must put right; the message is one plain-English line."""


# --- creating --------------------------------------------------------------------------------


def init_register(path: str | Path, programme: str | None = None) -> Path:
    path = Path(path)
    if path.suffix != SUFFIX:
        path = path.with_name(path.name + SUFFIX) if not path.suffix else path
    with Register.create(path, Programme(name=programme or path.stem.replace("_", " "))):
        pass
    return path


def build_demo(path: str | Path, sample_data: Path = SAMPLE_DATA) -> Path:
    """A register filled from sample_data/: the programme, its workstreams and events, then
    each canonical CSV imported exactly as a user would import it."""
    path = Path(path)
    settings = tomllib.loads((sample_data / "programme.toml").read_text("utf-8"))
    p = settings["programme"]
    programme = Programme(
        name=p["name"], sponsor=p.get("sponsor", ""),
        reviewing_bodies=list(p.get("reviewing_bodies", [])),
        protective_marking=p.get("protective_marking", "OFFICIAL"),
        as_at=date.fromisoformat(p["as_at"]) if p.get("as_at") else None)
    with Register.create(path, programme) as reg, reg.transaction():
        for w in settings.get("workstreams", []):
            reg.save_workstream(Workstream(w["name"], w.get("lead", ""), w.get("description", "")))
        for e in settings.get("events", []):
            reg.save_event(EngagementEvent(
                name=e["name"], route=e.get("route", ""), date=parse_optional(e.get("date")),
                place=e.get("place", ""), attendance=e.get("attendance"),
                organisations=e.get("organisations", "")))
        from . import demo_story

        # The records as they stood at the last report; changes.csv then tells what changed.
        changes = demo_story.read_changes(sample_data / "changes.csv")
        with demo_story.base_files(sample_data, changes) as files:
            for kind in ("milestones", "risks", "feedback", "actions"):
                _import_demo(reg, files[kind], kind)
            _load_past_scores(reg, sample_data / "risk_reviews.csv")
            from .meeting_services import load_demo_meetings

            load_demo_meetings(reg, sample_data)  # a committee, its forward plan and minutes
            if settings.get("issued"):
                reg.backdate(min(date.fromisoformat(i["as_at"]) for i in settings["issued"]))
            demo_story.record_issued(reg, settings)
            demo_story.apply_changes(reg, changes, files, _import_demo)
        if programme.as_at:
            reg.backdate(programme.as_at)  # its history reads as it stood on that date
    return path


def _import_demo(reg: Register, source: Path, kind: str) -> None:
    report = import_into(reg, source, kind=kind)
    if report.refused:
        raise UserError(f"the demo data is broken: {report.problems[0]}")


def _load_past_scores(reg: Register, path: Path) -> None:
    from .domain.board_dates import parse_day
    from .domain.scoring import parse_rating

    if not path.exists():
        return
    rows = list(csv.DictReader(path.read_text("utf-8").splitlines()))
    for number, row in enumerate(rows, start=2):
        try:
            reg.add_past_score(row["ref"], parse_day(row["reviewed"]),
                               parse_rating(row["likelihood"], "likelihood"),
                               parse_rating(row["impact"], "impact"))
        except ValueError as exc:
            raise UserError(f"{path.name} row {number}: {exc}") from None


# --- importing -------------------------------------------------------------------------------


@dataclass
class RowOutcome:
    row: int
    ref: str
    outcome: str  # new, updated, unchanged, refused
    problems: list[Problem] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    source: str
    kind: str
    kind_guessed: bool
    mapping: list[dict[str, str]]
    ignored: list[str]
    rows: list[RowOutcome]
    written: bool = False

    @property
    def problems(self) -> list[Problem]:
        return [p for r in self.rows for p in r.problems]

    @property
    def refused(self) -> bool:
        return any(r.outcome == "refused" for r in self.rows)

    def counts(self) -> dict[str, int]:
        out = {"new": 0, "updated": 0, "unchanged": 0, "refused": 0}
        for r in self.rows:
            out[r.outcome] += 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source, "kind": self.kind, "kind_guessed": self.kind_guessed,
            "written": self.written, "counts": self.counts(), "mapping": self.mapping,
            "ignored_columns": self.ignored,
            "rows": [{"row": r.row, "ref": r.ref, "outcome": r.outcome,
                      "changed": r.changed,
                      "problems": [{"where": p.where, "column": p.column, "message": p.message}
                                   for p in r.problems]} for r in self.rows],
        }


def read_grid(path: Path, sheet: str | None = None, kind: str | None = None) -> Grid:
    """Cells from a CSV or .xlsx file; the reader is chosen by what the file is."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        from .imports import xlsx

        return xlsx.read_xlsx(path, sheet=sheet, kind=kind)
    if suffix == ".xls":
        raise ImportRefused(f"{path.name} is an old Excel 97-2003 .xls file; open it in Excel "
                            "or LibreOffice and save it as .xlsx, then import that")
    raise ImportRefused(f"{path.name}: OOH Desk imports .csv, .xlsx and its own .json exports")


def import_file(register: str | Path, source: str | Path, *, kind: str | None = None,
                sheet: str | None = None, overrides: Mapping[str, str] | None = None,
                dry_run: bool = False) -> ImportReport:
    source = Path(source)
    if not source.exists():
        raise UserError(f"there is no file at {source}")
    with Register.open(register) as reg:
        return import_into(reg, source, kind=kind, sheet=sheet, overrides=overrides,
                           dry_run=dry_run)


def import_into(reg: Register, source: Path, *, kind: str | None = None, sheet: str | None = None,
                overrides: Mapping[str, str] | None = None, dry_run: bool = False) -> ImportReport:
    if source.suffix.lower() == ".json":
        return _import_json(reg, source, dry_run)
    if kind == "agenda":  # a forward plan: committees, meetings, agenda items, documents
        from .meeting_services import import_agenda

        return import_agenda(reg, source, sheet=sheet, overrides=overrides, dry_run=dry_run)
    grid = read_grid(source, sheet=sheet, kind=kind)
    colmap = find_header(grid, kind, overrides)
    report, records = _plan_rows(reg, grid, colmap)
    if not report.refused and not dry_run:
        with reg.transaction():
            _ensure_named(reg, colmap.kind, records)
            reg.save(colmap.kind, records, operation=f"import {source.name}")
        report.written = True
    return report


_NATURAL_KEY = {"risks": ("title",), "milestones": ("title",),
                "feedback": ("event", "comment"), "actions": ("description",)}


def _natural_key(kind: str, record: Any) -> tuple:
    return tuple(" ".join(str(getattr(record, f)).split()).lower() for f in _NATURAL_KEY[kind])


def _plan_rows(reg: Register, grid: Grid, colmap: ColumnMap) -> tuple[ImportReport, list[Any]]:
    kind = colmap.kind
    build = BUILDERS[kind]
    columns = colmap.field_columns()
    current = {r.ref: r for r in reg.all(kind)}
    existing = {_natural_key(kind, r): r.ref for r in current.values()}
    outcomes: list[RowOutcome] = []
    records: list[Any] = []
    seen_refs: dict[str, int] = {}
    taken: set[str] = set()
    for number, values in record_values(grid, colmap):
        supplied = set(values)
        known = current.get(str(values.get("ref") or "").strip())
        if known is not None:
            # What the file lacks is taken from the register, so a sheet of scores alone
            # updates scores and is checked against the whole record, not refused for
            # lacking a title.
            values = typed_values(known) | values
        reader = FieldReader(values, f"{grid.source} row {number}", columns)
        ref = reader.text("ref")
        record = build(reader, ref or "")
        if not ref:
            ref = existing.get(_natural_key(kind, record)) or reg.next_ref(kind, taken)
            record.ref = ref
        if ref in seen_refs:
            reader.problem("ref", f"{ref} is used again (first on row {seen_refs[ref]})")
        seen_refs.setdefault(ref, number)
        taken.add(ref)
        outcomes.append(RowOutcome(number, ref, "refused" if reader.problems else "new",
                                   reader.problems))
        if not reader.problems:
            if ref in current:
                _keep_what_the_file_lacks(record, current[ref], supplied)
            records.append(record)
    for outcome, change in zip((o for o in outcomes if o.outcome != "refused"),
                               reg.plan(kind, records), strict=True):
        outcome.outcome = change.outcome
        outcome.changed = sorted(change.fields)
    report = ImportReport(grid.source, kind, colmap.kind_guessed, colmap.describe(),
                          colmap.ignored, outcomes)
    if not outcomes:
        raise ImportRefused(f"{grid.source}: the header is on row {colmap.header_row} but no "
                            "rows below it hold any records")
    return report, records


# A record field and the file columns (fields) that supply it.
_SUPPLIED_BY = {"inherent": {"inherent_likelihood", "inherent_impact"},
                "current": {"likelihood", "impact"},
                "target": {"target_likelihood", "target_impact"}}


def _keep_what_the_file_lacks(record: Any, old: Any, supplied: set[str]) -> None:
    """Updating a record from a file changes only what the file holds: a column the file
    does not have (a risk log without 'raised', a CSV without mitigation owners) leaves the
    register's value as it was rather than blanking it."""
    for f in dataclasses.fields(record):
        if f.name in ("ref", "uuid"):
            continue
        sources = _SUPPLIED_BY.get(f.name, {f.name})
        if not sources & supplied:
            setattr(record, f.name, getattr(old, f.name))
    if "mitigations" in supplied and getattr(record, "mitigations", None):
        # Mitigations typed as lines of text carry no owner, due date or status: keep those
        # of an existing mitigation with the same words.
        before = {m.description: m for m in old.mitigations}
        for m in record.mitigations:
            was = before.get(m.description)
            if was and not (m.owner or m.due) and m.status == "open":
                m.owner, m.due, m.status = was.owner, was.due, was.status


def _ensure_named(reg: Register, kind: str, records: Sequence[Any]) -> None:
    """Workstreams and engagement events named in imported rows become records too."""
    known_workstreams = {w.name for w in reg.workstreams()}
    known_events = {e.name for e in reg.events()}
    for record in records:
        name = getattr(record, "workstream", "")
        if name and name not in known_workstreams:
            reg.save_workstream(Workstream(name))
            known_workstreams.add(name)
        event = getattr(record, "event", "") if kind == "feedback" else ""
        if event and event not in known_events:
            reg.save_event(EngagementEvent(name=event, route=record.route, date=record.date))
            known_events.add(event)


def _import_json(reg: Register, source: Path, dry_run: bool) -> ImportReport:
    try:
        data = json.loads(source.read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportRefused(f"{source.name} is not a readable JSON file ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != codec.FORMAT:
        raise ImportRefused(f"{source.name} is not an OOH Desk register export "
                            "(make one with 'ooh-desk export REGISTER json')")
    if data.get("format_version", 0) > codec.FORMAT_VERSION:
        raise ImportRefused(f"{source.name} was written by a newer version of OOH Desk")
    outcomes: list[RowOutcome] = []
    plans: list[tuple[str, list[Any]]] = []
    for kind in LIST_KINDS:
        records = []
        for n, item in enumerate(data.get(kind, []), 1):
            try:
                records.append(codec.from_json(kind, item))
            except (KeyError, TypeError, ValueError) as exc:
                outcomes.append(RowOutcome(n, str(item.get("ref", "")), "refused",
                                           [Problem(f"{source.name} {kind} item {n}", "",
                                                    f"cannot be read ({exc})")]))
        for record, change in zip(records, reg.plan(kind, records), strict=True):
            outcomes.append(RowOutcome(0, record.ref, change.outcome, [], sorted(change.fields)))
        plans.append((kind, records))
    report = ImportReport(source.name, "register", False, [], [], outcomes)
    if report.refused or dry_run:
        return report
    with reg.transaction():
        if data.get("programme"):
            programme = data["programme"]
            reg.set_programme(_programme_from_json(programme))
        for w in data.get("workstreams", []):
            reg.save_workstream(Workstream(**w))
        for e in data.get("events", []):
            reg.save_event(EngagementEvent(**(e | {"date": codec.board_date_from_json(e["date"])})))
        for kind, records in plans:
            reg.save(kind, records, operation=f"import {source.name}")
    report.written = True
    return report


def _programme_from_json(data: dict[str, Any]) -> Programme:
    from .domain.scoring import Band

    data = dict(data)
    data["bands"] = tuple(Band(**b) for b in data.get("bands", [])) or Programme().bands
    data["as_at"] = date.fromisoformat(data["as_at"]) if data.get("as_at") else None
    return Programme(**data)


# --- reading out -------------------------------------------------------------------------------


def as_at_for(reg: Register, as_at: date | None) -> date:
    return as_at or reg.default_as_at()


def list_records(reg: Register, kind: str, as_at: date | None = None,
                 open_only: bool = False, since: date | None = None) -> list[dict[str, Any]]:
    if kind in ("issued", "changes"):
        return _list_issues(reg, kind, as_at_for(reg, as_at), since)
    if kind in ("meetings", "agenda", "decisions"):
        from .meeting_services import list_meeting_records

        return list_meeting_records(reg, kind)
    if kind == "papers":
        from .paper_service import list_papers

        return list_papers(reg)
    if kind not in LIST_KINDS:
        raise UserError(f"cannot list {kind!r} yet; kinds: {', '.join(LIST_KINDS)}")
    when = as_at_for(reg, as_at)
    programme = reg.programme
    scores = reg.scores_by_risk() if kind == "risks" else {}
    out = []
    for record in reg.all(kind):
        item = codec.with_derived(kind, record, programme, when, scores.get(record.uuid))
        if open_only and not _is_open(kind, item):
            continue
        out.append(item)
    return out


def _is_open(kind: str, item: Mapping[str, Any]) -> bool:
    if kind == "risks":
        return item["status"] != "closed"
    if kind == "milestones":
        return item["rag"] != "Complete"
    if kind == "actions":
        return item["status"] not in ("complete", "cancelled")
    return item["status"] == "open"


def write_json_export(reg: Register, path: str | Path) -> Path:
    """The whole register as OOH Desk's lossless JSON, written whole or not at all."""
    from .errors import atomic_output

    with atomic_output(path) as temp:
        temp.write_text(json.dumps(export_json(reg), indent=2, ensure_ascii=False), "utf-8")
    return Path(path)


def export_json(reg: Register) -> dict[str, Any]:
    import dataclasses

    programme = dataclasses.asdict(reg.programme)
    programme["as_at"] = reg.programme.as_at.isoformat() if reg.programme.as_at else None
    return {
        "format": codec.FORMAT, "format_version": codec.FORMAT_VERSION,
        "programme": programme,
        "workstreams": [dataclasses.asdict(w) for w in reg.workstreams()],
        "events": [dataclasses.asdict(e) | {"date": codec.board_date_to_json(e.date)}
                   for e in reg.events()],
        **{kind: [codec.to_json(r) for r in reg.all(kind)] for kind in LIST_KINDS},
    }


# --- the issue register and what changed since the last report -------------------------------


def record_issue(register: str | Path, kind: str, as_at: date | None, output: str | Path, *,
                 paper_ref: str = "", committee: str = "", meeting_ref: str = "",
                 style: str = "") -> str | None:
    """Enter a file just written (report, risk-log, pack, minutes) in the register's issue
    register: one small transaction after the file is safely on disk. Returns a note for the
    user when the register could not take it (read-only, in use); the file stands anyway."""
    from datetime import UTC, datetime

    from .domain.changes import Issue
    from .store import issues, meetings

    try:
        with Register.open(register) as reg:
            if meeting_ref:  # a ref or a date: entered as the meeting's ref and committee
                meeting = meetings.find_meeting(reg, meeting_ref)
                meeting_ref, committee = meeting.ref, committee or meeting.committee
            issues.record_issue(reg, Issue(
                kind=kind, as_at=as_at_for(reg, as_at), at=datetime.now(UTC),
                file_name=Path(output).name, paper_ref=paper_ref or "",
                committee=committee or "", meeting_ref=meeting_ref or "", style=style or ""))
    except RegisterError as exc:
        return f"the {kind} was written but not entered in the issue register ({exc})"
    return None


def last_issue(reg: Register, as_at: date | None = None) -> Any:
    """The last report, log, pack or minutes written before `as_at`, or None."""
    from .store import issues

    return issues.last_issue_before(reg, as_at_for(reg, as_at))


def changes_since(reg: Register, since: datetime | None = None,
                  as_at: date | None = None, committee: str | None = None) -> ChangeSummary:
    """What changed in the register after `since` (default: the last report issued before
    `as_at`) up to `as_at`, in words."""
    from .store import issues

    return issues.changes_since(reg, as_at_for(reg, as_at), since, committee)


def _list_issues(reg: Register, kind: str, as_at: date,
                 since: date | None) -> list[dict[str, Any]]:
    from .domain.board_dates import long_date
    from .store import issues

    if kind == "issued":
        return [{"ref": f"{i.kind}/{i.at.isoformat(timespec='seconds')}", "kind": i.kind,
                 "at": i.at.isoformat(timespec="seconds"),
                 "as_at": {"text": long_date(i.as_at), "iso": i.as_at.isoformat()},
                 "paper": i.paper_ref or None, "committee": i.committee or None,
                 "meeting": i.meeting_ref or None, "style": i.style or None,
                 "file_name": i.file_name, "user": i.user, "uuid": i.uuid}
                for i in issues.issues(reg)]
    start = datetime.combine(since, datetime.min.time()) if since else None
    summary = changes_since(reg, start, as_at)
    last = summary.last_issue
    return [c.to_json() | {"since": summary.since.isoformat(timespec="seconds")
                           if summary.since else None,
                           "last_report": last.as_at.isoformat() if last else None}
            for c in summary.changes]


# --- the desktop app: pages of records (the queries live in store.queries) -----------------

def save_record(reg: Register, kind: str, record: Any, operation: str = "edit") -> list[Change]:
    """Write one edited or new record, audited, in one transaction."""
    if kind == "papers":
        from .paper_service import save_paper_record

        return [save_paper_record(reg, record, operation=operation)]
    with reg.transaction():
        if kind == "feedback":
            _ensure_named(reg, kind, [record])
        return reg.save(kind, [record], operation=operation)


def save_event(reg: Register, event: EngagementEvent, name: str | None = None,
               operation: str = "edit") -> None:
    """Write a new engagement event (name None) or change the one called `name`; a rename
    carries its feedback with it. Audited, in one transaction."""
    with reg.transaction():
        if name is not None:
            reg.update_event(name, event, operation=operation)
        elif event.name in {e.name for e in reg.events()}:
            raise UserError(f"there is already an engagement event called {event.name!r}")
        else:
            reg.save_event(event)


def delete_event(reg: Register, name: str, operation: str = "delete") -> None:
    with reg.transaction():
        reg.delete_event(name, operation=operation)


def delete_record(reg: Register, kind: str, ref: str, operation: str = "delete") -> Removed:
    """Delete one record (a risk with its mitigations and score history); returns what was
    removed, for `restore_record` to put back whole."""
    with reg.transaction():
        return reg.delete(kind, ref, operation=operation)


def restore_record(reg: Register, removed: Removed, operation: str = "undo") -> None:
    with reg.transaction():
        reg.restore(removed, operation=operation)


__all__ = ["Change", "ImportRefused", "RegisterError", "UserError"]
