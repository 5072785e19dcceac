"""Importing the files people already keep — CSV and .xlsx registers, a committee's forward
plan, OOH Desk's own JSON — each all or nothing, with a dry run that says row by row what
would change. Imports no Qt."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
from collections.abc import Callable, Mapping
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, Literal, overload

from ..domain.assurance import check_objectives
from ..domain.board_dates import BoardDateError, parse_day
from ..domain.cell_limit import CUT_MARKER, keep_whole_text
from ..domain.meetings import Committee, Meeting, meeting_ref
from ..domain.records import (
    BUILDERS,
    FieldReader,
    Problem,
    normal_ref,
    typed_values,
)
from ..errors import UserError
from ..imports.agenda import read_forward_plan
from ..imports.errors import ImportRefused
from ..imports.mapping import ColumnMap, find_header
from ..imports.report import ImportReport, RowOutcome
from ..imports.rows import record_values
from ..imports.sheets import close_on_closed_sheet, other_sheets_note
from ..imports.sources import check_readable, read_grid, read_grids
from ..imports.tabular import Grid
from ..imports.values import NumberedRef, read_values
from ..store import Register, RegisterError
from ..store import meetings as store
from ..store import records as store_records
from ..store.assurance import objective_refs
from .records import ensure_named
from .transfer import import_json


@overload
def import_file(register: str | Path, source: str | Path, *, kind: str | None = None,
                sheet: str | None = None, overrides: Mapping[str, str] | None = None,
                dry_run: bool = False, all_sheets: Literal[False] = False) -> ImportReport: ...


@overload
def import_file(register: str | Path, source: str | Path, *, kind: str | None = None,
                sheet: str | None = None, overrides: Mapping[str, str] | None = None,
                dry_run: bool = False, all_sheets: Literal[True]) -> list[ImportReport]: ...


def import_file(register: str | Path, source: str | Path, *, kind: str | None = None,
                sheet: str | None = None, overrides: Mapping[str, str] | None = None,
                dry_run: bool = False,
                all_sheets: bool = False) -> ImportReport | list[ImportReport]:
    source = Path(source)
    if not source.exists():
        raise UserError(f"there is no file at {source}")
    # A dry run reads only: it works on a read-only register and leaves every byte as it was.
    with Register.open(register, readonly=dry_run) as reg:
        return import_into(reg, source, kind=kind, sheet=sheet, overrides=overrides,
                           dry_run=dry_run, all_sheets=all_sheets)


@overload
def import_into(reg: Register, source: Path, *, kind: str | None = None, sheet: str | None = None,
                overrides: Mapping[str, str] | None = None, dry_run: bool = False,
                all_sheets: Literal[False] = False) -> ImportReport: ...


@overload
def import_into(reg: Register, source: Path, *, kind: str | None = None, sheet: str | None = None,
                overrides: Mapping[str, str] | None = None, dry_run: bool = False,
                all_sheets: Literal[True]) -> list[ImportReport]: ...


def import_into(reg: Register, source: Path, *, kind: str | None = None, sheet: str | None = None,
                overrides: Mapping[str, str] | None = None, dry_run: bool = False,
                all_sheets: bool = False) -> ImportReport | list[ImportReport]:
    """One sheet (the one named, or the best) into the register; or, with `all_sheets`,
    every sheet of the workbook that looks like the same kind of register, one report per
    sheet, all in one transaction: if any sheet is refused, none is written."""
    check_readable(source)  # a folder or a pipe: refused before anything reads it
    if source.suffix.lower() == ".json":  # OOH Desk's own export: see services.transfer
        report = import_json(reg, source, dry_run)
        return [report] if all_sheets else report
    own = _own_reader(kind)
    if own is not None:  # a kind with a reader of its own (one sheet, its own records)
        report = own(reg, source, sheet=sheet, overrides=overrides, dry_run=dry_run)
        return [report] if all_sheets else report
    sheets = read_grids(source, sheet=sheet, kind=kind, all_sheets=all_sheets)
    reports: list[ImportReport] = []
    typed_refs: dict[str, str] = {}  # ref typed in the file -> the sheet it was first on
    try:
        with _write_lock(reg, dry_run):
            for grid in sheets.grids:
                # Every sheet is read as the kind the best one was found to be.
                colmap = find_header(grid, sheets.kind if all_sheets else kind, overrides)
                colmap.kind_guessed = kind is None
                notes = close_on_closed_sheet(grid, colmap)
                report, records = _plan_rows(reg, grid, colmap)
                report.notes[:0] = notes + other_sheets_note(sheets.others, colmap.kind)
                _refuse_refs_of_other_sheets(grid, colmap, report, typed_refs)
                reports.append(report)
                if not report.refused and not dry_run:
                    ensure_named(reg, colmap.kind, records)
                    store_records.save_records(reg, colmap.kind, records,
                                               operation=f"import {source.name}")
            if any(r.refused for r in reports) and not dry_run:
                raise _NothingWritten
    except _NothingWritten:
        pass  # the transaction was rolled back; the reports say why
    else:
        for report in reports:
            report.written = not dry_run
    return reports if all_sheets else reports[0]


class _NothingWritten(Exception):
    """Raised inside the import's transaction to roll back sheets already written when a
    later sheet is refused."""


def _refuse_refs_of_other_sheets(grid: Grid, colmap: ColumnMap, report: ImportReport,
                                 typed_refs: dict[str, str]) -> None:
    """A ref typed on two sheets of one workbook is one risk kept twice (open and closed):
    refuse the second rather than let it quietly overwrite the first."""
    index = next((i for i, name in colmap.columns.items() if name == "ref"), None)
    if index is None:
        return
    by_row = {number: cells for number, cells in grid.rows}
    here: dict[str, str] = {}
    for outcome in report.rows:
        cells = by_row.get(outcome.row, [])
        typed = cells[index] if index < len(cells) else None
        ref = normal_ref(typed)
        # A number the file numbers its rows with (3) became a ref when every ref
        # on the sheet was one: two sheets numbering their rows from 1 would share refs.
        numbered = not ref and outcome.outcome != "refused" and _whole_number(typed)
        if numbered:
            ref = outcome.ref
        if not ref:
            continue
        first = typed_refs.get(ref.upper())  # on an earlier sheet: this one's come after
        if first is not None:
            outcome.outcome = "refused"
            heading = colmap.headings[index]
            outcome.problems.append(Problem(
                f"{grid.source} row {outcome.row}", heading,
                f"{_typed(typed)} would be {ref}, which sheet {first!r} numbers too; "
                f"--map \"{heading}=ignore\" gives every sheet's rows their own refs"
                if numbered else f"{ref} is also on sheet {first!r}; keep each risk on one "
                "sheet"))
        here.setdefault(ref.upper(), str(grid.sheet))
    for ref, sheet in here.items():
        typed_refs.setdefault(ref, sheet)


def _whole_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, int) or isinstance(value, str) and value.strip().isdigit()


def _write_lock(reg: Register, dry_run: bool) -> contextlib.AbstractContextManager[Any]:
    """An import plans (new refs, what is new, updated or unchanged) and writes inside one
    transaction, which takes the register's write lock first: a second import at the same
    time waits, then plans on top of the first, or is told the register is in use. A dry
    run writes nothing and takes no lock."""
    return contextlib.nullcontext() if dry_run else reg.transaction()


_NATURAL_KEY = {"risks": ("title",), "milestones": ("title",),
                "feedback": ("event", "comment"), "actions": ("description",)}


def _natural_key(kind: str, record: Any) -> tuple:
    return tuple(" ".join(str(getattr(record, f)).split()).lower() for f in _NATURAL_KEY[kind])


def _plan_rows(reg: Register, grid: Grid, colmap: ColumnMap) -> tuple[ImportReport, list[Any]]:
    with store_records.collector_paused():
        return _plan_each_row(reg, grid, colmap)


def _plan_each_row(reg: Register, grid: Grid, colmap: ColumnMap
                   ) -> tuple[ImportReport, list[Any]]:
    kind = colmap.kind
    build = BUILDERS[kind]
    columns = colmap.field_columns()
    # Refs compare without regard to case: a row's ref finds the record stored under it in
    # any case, and keeps the register's spelling.
    current = {r.ref.upper(): r for r in store_records.all_records(reg, kind)}
    rows = list(record_values(grid, colmap, known_refs=current.keys()))
    readings = read_values(grid, colmap, rows)
    existing = {_natural_key(kind, r): r.ref for r in current.values()}
    in_file = {ref for _, values in rows if (ref := normal_ref(values.get("ref")))}
    fresh = store_records.new_refs(reg, kind, taken=in_file)
    objectives = objective_refs(reg) if kind == "risks" else set()
    outcomes: list[RowOutcome] = []
    records: list[Any] = []
    seen_refs: dict[str, int] = {}
    notes: list[str] = []
    for number, values in rows:
        supplied = set(values)
        reader = FieldReader(values, f"{grid.source} row {number}", columns)
        ref = reader.ref()
        known = current.get(ref)
        if known is not None and isinstance(values.get("ref"), NumberedRef):
            clash = numbered_clash(kind, known, values, values["ref"])
            if clash:
                outcomes.append(RowOutcome(number, ref, "refused", [Problem(
                    f"{grid.source} row {number}", values["ref"].heading, clash)]))
                continue
        stored = typed_values(known) if known is not None else None
        # A cell an Excel log cut to its limit leaves the register's whole text standing.
        if any(CUT_MARKER in v if isinstance(v, str) else isinstance(v, list)
               for v in values.values()):  # only such a cell (or a list of them) can be cut
            notes += keep_whole_text(values, stored, ref or f"{grid.source} row {number}")
        if known is not None:
            ref = known.ref
            # What the file lacks is taken from the register, so a sheet of scores alone
            # updates scores and is checked against the whole record, not refused for
            # lacking a title.
            reader.values = stored | values
        record = build(reader, ref)
        if kind == "risks" and "objectives" in supplied:  # the BAF: refs the register holds
            check_objectives(reader, record.objectives, objectives)
        if reader.problems:
            outcomes.append(RowOutcome(number, ref or _typed(values.get("ref")), "refused",
                                       reader.problems))
            continue
        if not ref:  # the record the register holds with these words, or a new ref
            ref = (existing and existing.get(_natural_key(kind, record))) or next(fresh)
            record.ref = ref
        if ref.upper() in seen_refs:
            reader.problem("ref", f"{ref} is used again (first on row {seen_refs[ref.upper()]})")
        seen_refs.setdefault(ref.upper(), number)
        outcomes.append(RowOutcome(number, ref, "refused" if reader.problems else "new",
                                   reader.problems))
        if not reader.problems:
            if ref.upper() in current:
                _keep_what_the_file_lacks(record, current[ref.upper()], supplied)
            records.append(record)
    for outcome, change in zip((o for o in outcomes if o.outcome != "refused"),
                               store_records.plan(reg, kind, records), strict=True):
        outcome.outcome = change.outcome
        outcome.changed = sorted(change.fields)
    report = ImportReport(grid.source, kind, colmap.kind_guessed, colmap.describe(),
                          colmap.ignored, outcomes, encoding=grid.encoding, notes=notes,
                          readings=readings, columns=colmap.account())
    if not outcomes:
        raise ImportRefused(f"{grid.source}: the header is on row {colmap.header_row} but no "
                            "rows below it hold any records")
    return report, records


_NOUN = {"risks": "risk", "milestones": "milestone", "feedback": "feedback item",
         "actions": "action"}


def numbered_clash(kind: str, known: Any, values: dict[str, Any],
                   numbered: NumberedRef) -> str | None:
    """Why a row whose ref was made from the file's own row number (3 -> R-003) must not
    update the record the register keeps under that ref: the row's words (its title, or
    its description when it has no title) are another record's. None when they are the
    same record, or the row has no words to tell."""
    keys = (_NATURAL_KEY[kind], *_OTHER_WORDS.get(kind, ()))
    fields = next((key for key in keys if all(str(values.get(f) or "").strip() for f in key)),
                  None)
    if fields is None:
        return None  # a sheet of refs and scores alone: the ref is all there is to go on
    row_words = tuple(" ".join(str(values[f]).split()).lower() for f in fields)
    if row_words == tuple(" ".join(str(getattr(known, f)).split()).lower() for f in fields):
        return None
    noun = _NOUN[kind]
    return (f"{numbered.number} would be {numbered}, but {numbered} in the register is another "
            f"{noun} ({_typed(getattr(known, fields[-1]), 40)!r}); type {numbered} in the "
            f"file if this row is that {noun}, or --map \"{numbered.heading}=ignore\" to give "
            "the file's rows new refs")


# Words that tell a record from another where a file lacks its natural key (a risk
# register with a description and no title).
_OTHER_WORDS = {"risks": (("description",),)}


def _typed(value: Any, limit: int = 24) -> str:
    """A refused row's ref as typed, short enough for a report line."""
    text = "" if value is None else " ".join(str(value).split())
    return text if len(text) <= limit else text[:limit - 4] + "…"


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


# --- forward plans -----------------------------------------------------------------------------


def _own_reader(kind: str | None) -> Callable[..., ImportReport] | None:
    """The reader of a kind that is not a register of rows with refs (risks, milestones,
    feedback, actions): a committee's forward plan and the governance registers. Each loads
    with its service, when that kind is imported."""
    if kind == "agenda":  # a forward plan: committees, meetings, agenda items, documents
        return import_agenda
    if kind == "key-decisions":  # a council's forward plan of key decisions
        from .key_decisions import import_key_decisions

        return import_key_decisions
    if kind in ("interests", "declarations"):  # members' interests, declared at meetings
        from .interests import import_interests

        return partial(import_interests, kind=kind)
    if kind in ("options", "option-scores"):  # a paper's options appraisal
        from .options import import_options

        return partial(import_options, kind=kind)
    if kind in ("objectives", "assurances"):  # the Board Assurance Framework
        from .assurance import import_baf

        return partial(import_baf, kind=kind)
    return None


def import_agenda(reg: Register, source: Path, *, sheet: str | None = None,
                  overrides: Mapping[str, str] | None = None,
                  dry_run: bool = False) -> ImportReport:
    """A forward plan: committees and meetings are made as named, each meeting's agenda
    becomes the rows given, and each document is copied into the register. All or nothing."""
    grid = read_grid(source, sheet=sheet, kind="agenda")
    colmap = find_header(grid, "agenda", overrides)
    plan = read_forward_plan(grid, colmap, source.resolve().parent)
    if not plan.items:
        raise ImportRefused(f"{grid.source}: the header is on row {colmap.header_row} but no "
                            "rows below it hold any agenda items")
    outcomes = []
    for p in plan.items:
        ref = meeting_ref(p.committee, p.meeting_date) if p.meeting_date != date.min else ""
        problems = plan.problems.get(p.row, [])
        outcomes.append(RowOutcome(p.row, f"{ref} item {p.item.number}",
                                   "refused" if problems else "new", problems))
    report = ImportReport(grid.source, "agenda", False, colmap.describe(), colmap.ignored,
                          outcomes, encoding=grid.encoding)
    if report.refused:
        return report
    if dry_run:
        _plan_outcomes(reg, plan, outcomes)
        return report
    with reg.transaction():  # planned under the write lock, as every import is
        _plan_outcomes(reg, plan, outcomes)
        by_meeting: dict[str, tuple[Meeting, list[Any]]] = {}
        for p in plan.items:
            committee = store.get_committee(reg, p.committee)
            if committee is None:
                committee = Committee(p.committee, default_place=p.place)
                store.save_committee(reg, committee, operation=f"import {source.name}")
            ref = meeting_ref(committee.name, p.meeting_date)
            if ref not in by_meeting:
                meeting = Meeting(ref, committee.name, p.meeting_date, p.time,
                                  p.place or committee.default_place)
                existing = _existing_meeting(reg, ref)
                if existing:
                    meeting.uuid, meeting.published = existing.uuid, existing.published
                    meeting.closed_at = existing.closed_at
                by_meeting[ref] = (meeting, [])
            if p.item.minutes_of:  # a date of this committee's, or a meeting's ref
                with contextlib.suppress(BoardDateError):
                    p.item.minutes_of = meeting_ref(committee.name, parse_day(p.item.minutes_of))
            if p.document_bytes is not None:
                p.item.document = store.add_document(reg, p.document_name, p.document_bytes,
                                                     operation=f"import {source.name}")
            by_meeting[ref][1].append(p.item)
        for meeting, items in by_meeting.values():
            store.save_meeting(reg, meeting, operation=f"import {source.name}")
            store.save_agenda(reg, meeting, items, operation=f"import {source.name}")
    report.written = True
    return report


def _existing_meeting(reg: Register, ref: str) -> Meeting | None:
    try:
        return store.find_meeting(reg, ref)
    except RegisterError:
        return None


def _plan_outcomes(reg: Register, plan: Any, outcomes: list[RowOutcome]) -> None:
    """new / updated / unchanged per row, against the agenda already in the register."""
    for p, outcome in zip(plan.items, outcomes, strict=True):
        meeting = _existing_meeting(reg, meeting_ref(p.committee, p.meeting_date))
        if meeting is None:
            continue
        old = next((i for i in store.agenda(reg, meeting) if i.number == p.item.number), None)
        if old is None:
            continue
        changed = [name for name in ("title", "part", "exemption", "item_type", "presenter",
                                     "notes", "paper_ref")
                   if getattr(old, name) != getattr(p.item, name)]
        new_digest = hashlib.sha256(p.document_bytes).hexdigest() \
            if p.document_bytes is not None else None
        if new_digest != (old.document.sha256 if old.document else None):
            changed.append("document")
        outcome.outcome = "updated" if changed else "unchanged"
        outcome.changed = changed
