"""The forward plan of key decisions, as a user works it: import the plan's spreadsheet (all or
nothing, with a dry run), list each decision with its clear days of notice and where that
notice stands (services/forward_plan.py writes the published notice). Imports no Qt."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from ..domain.board_dates import long_date
from ..domain.codec import board_date_to_json
from ..domain.key_decisions import KeyDecision, notice_state
from ..errors import UserError
from ..imports.errors import ImportRefused
from ..imports.key_decisions import read_key_decisions
from ..imports.mapping import find_header
from ..imports.report import ImportReport, RowOutcome
from ..imports.sources import read_grid
from ..store import Register
from ..store import key_decisions as store
from ..store.records import Removed, delete_record, restore_record

KIND = "key-decisions"


# --- importing --------------------------------------------------------------------------------


def import_key_decisions(reg: Register, source: Path, *, sheet: str | None = None,
                         overrides: Mapping[str, str] | None = None,
                         dry_run: bool = False) -> ImportReport:
    """Key decisions from a CSV or sheet, by ref (a row without one finds the decision with
    the same matter, or takes the next free KD-nnn). A column the file lacks leaves the
    register's value standing. All or nothing: one refused row refuses the file."""
    grid = read_grid(source, sheet=sheet, kind=KIND)
    colmap = find_header(grid, KIND, overrides)
    rows = read_key_decisions(grid, colmap)
    if not rows:
        raise ImportRefused(f"{grid.source}: the header is on row {colmap.header_row} but no "
                            "rows below it hold any key decisions")
    report = ImportReport(grid.source, KIND, False, colmap.describe(), colmap.ignored, [],
                          encoding=grid.encoding, columns=colmap.account())
    if dry_run:
        _plan(reg, rows, report)
        return report
    with reg.transaction():  # planned under the write lock, as every import is
        decisions = _plan(reg, rows, report)
        if not report.refused:
            store.save_key_decisions(reg, decisions, operation=f"import {source.name}")
            report.written = True
    return report


def _plan(reg: Register, rows: list[Any], report: ImportReport) -> list[KeyDecision]:
    stored = {kd.ref.upper(): kd for kd in store.all_key_decisions(reg)}
    by_matter = {" ".join(kd.matter.lower().split()): kd.ref for kd in stored.values()}
    fresh = iter(store.new_refs(reg, taken=[r.typed_ref for r in rows if r.typed_ref]))
    decisions = []
    for row in rows:
        kd = row.decision
        if row.problems:
            report.rows.append(RowOutcome(row.row, row.typed_ref, "refused", row.problems))
            continue
        if not kd.ref:
            kd.ref = by_matter.get(" ".join(kd.matter.lower().split())) or next(fresh)
        old = stored.get(kd.ref.upper())
        if old is not None:
            _keep_what_the_file_lacks(kd, old, row.supplied)
        decisions.append(kd)
        report.rows.append(RowOutcome(row.row, kd.ref, "new"))
    planned = iter(store.plan(reg, decisions))
    for outcome in report.rows:
        if outcome.outcome != "refused":
            change = next(planned)
            outcome.outcome, outcome.changed = change.outcome, sorted(change.fields)
    return decisions


# The file's column that supplies each field, where the two are named apart.
_COLUMN = {"exemption": "exempt"}


def _keep_what_the_file_lacks(kd: KeyDecision, old: KeyDecision, supplied: set[str]) -> None:
    for f in dataclasses.fields(kd):
        if f.name not in ("ref", "uuid") and _COLUMN.get(f.name, f.name) not in supplied:
            setattr(kd, f.name, getattr(old, f.name))


# --- listing ----------------------------------------------------------------------------------


def _day(value: date | None) -> dict[str, str] | None:
    return {"text": long_date(value), "iso": value.isoformat()} if value else None


def key_decision_json(kd: KeyDecision, as_at: date) -> dict[str, Any]:
    """One key decision as `list --json` gives it: the record, its clear days of notice,
    and its notice as it stands on `as_at` (a status word and a sentence)."""
    state = notice_state(kd, as_at)
    return {"ref": kd.ref, "matter": kd.matter, "decision_maker": kd.decision_maker,
            "date": board_date_to_json(kd.date), "key": kd.key, "exempt": kd.exempt,
            "exemption": kd.exemption or None, "documents": kd.documents,
            "contact": kd.contact, "published": _day(kd.published),
            "notice": kd.notice or None, "status": kd.status,
            "clear_days": state.clear_days, "notice_due_by": _day(state.due_by),
            "notice_status": state.status, "notice_words": state.words,
            "warning": state.warning, "uuid": kd.uuid}


def list_key_decisions(reg: Register, as_at: date | None = None) -> list[dict[str, Any]]:
    """Every key decision, made and withdrawn ones too, in date order (then ref)."""
    when = as_at or reg.default_as_at()
    found = sorted(store.all_key_decisions(reg),
                   key=lambda kd: (kd.decision_day or date.max, kd.ref))
    return [key_decision_json(kd, when) for kd in found]


# --- one at a time (the app) ------------------------------------------------------------------


def save_key_decision(reg: Register, kd: KeyDecision, operation: str = "edit") -> KeyDecision:
    """Save one key decision as the app's form gives it (a new one, without a ref, takes the
    next free KD-nnn inside the write), in one audited transaction."""
    if not kd.matter.strip():
        raise UserError("a key decision needs the matter to be decided")
    with reg.transaction():
        if not kd.ref:
            kd.ref = next(iter(store.new_refs(reg)))
        store.save_key_decisions(reg, [kd], operation=operation)
    return kd


def remove_key_decision(reg: Register, ref: str, operation: str = "delete") -> Removed:
    """Delete a key decision; what is returned puts it back whole (`restore_key_decision`)."""
    return delete_record(reg, store.KIND, ref, operation)


def restore_key_decision(reg: Register, removed: Removed, operation: str = "undo") -> None:
    restore_record(reg, removed, operation)
