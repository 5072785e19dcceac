"""The Board Assurance Framework, as the user works with it: import strategic objectives and
sources of assurance (all or nothing, with a dry run), save or remove them one at a time (the
app), read the framework as at a date (the BAF report, its workbook, `list baf`, `due`) and
list it for `--json`. Imports no Qt.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from ..domain import codec
from ..domain.assurance import (
    LEVELS,
    LINES,
    Assurance,
    Baf,
    Objective,
    build_baf,
)
from ..domain.board_dates import long_date
from ..errors import UserError
from ..imports.assurance import read_assurances, read_objectives
from ..imports.errors import ImportRefused
from ..imports.mapping import find_header
from ..imports.report import ImportReport, RowOutcome
from ..imports.sources import read_grid
from ..store import Register, records
from ..store import assurance as store
from ..store.records import Change, Removed

KINDS = ("objectives", "assurances")


# --- imports ------------------------------------------------------------------------------------


def import_baf(reg: Register, source: Path, kind: str, *, sheet: str | None = None,
               overrides: Mapping[str, str] | None = None,
               dry_run: bool = False) -> ImportReport:
    """`--kind objectives` or `--kind assurances`: all or nothing."""
    grid = read_grid(source, sheet=sheet, kind=kind)
    colmap = find_header(grid, kind, overrides)
    if kind == "objectives":
        report, write = _plan_objectives(reg, grid, colmap)
    else:
        report, write = _plan_assurances(reg, grid, colmap)
    if not report.rows:
        raise ImportRefused(f"{grid.source}: the header is on row {colmap.header_row} but no "
                            f"rows below it hold any {kind}")
    if report.refused or dry_run:
        return report
    with reg.transaction():
        write(f"import {source.name}")
    report.written = True
    return report


def _report(grid: Any, kind: str, colmap: Any, outcomes: list[RowOutcome]) -> ImportReport:
    return ImportReport(grid.source, kind, False, colmap.describe(), colmap.ignored, outcomes,
                        encoding=grid.encoding, columns=colmap.account())


def _plan_objectives(reg: Register, grid: Any, colmap: Any) -> tuple[ImportReport, Any]:
    read = read_objectives(grid, colmap)
    good = [o for number, _, o in read.rows if number not in read.problems]
    changes = iter(store.plan_objectives(reg, good))
    outcomes = []
    for number, ref, _ in read.rows:
        problems = read.problems.get(number, [])
        if problems:
            outcomes.append(RowOutcome(number, ref, "refused", problems))
            continue
        change = next(changes)
        outcomes.append(RowOutcome(number, ref, change.outcome, [], sorted(change.fields)))
    return _report(grid, "objectives", colmap, outcomes), \
        lambda operation: store.save_objectives(reg, good, operation=operation)


def _plan_assurances(reg: Register, grid: Any, colmap: Any) -> tuple[ImportReport, Any]:
    """A file's rows for a risk become that risk's sources of assurance, in the file's order;
    risks the file does not name keep theirs."""
    risks = {r["ref"].upper(): r["ref"] for r in reg.query("select ref from risks")}
    actions = {r["ref"].upper() for r in reg.query("select ref from actions")}
    read = read_assurances(grid, colmap, risks, actions)
    by_risk: dict[str, list[Assurance]] = {}
    for number, risk, assurance in read.rows:
        if risk and number not in read.problems:
            by_risk.setdefault(risk, []).append(assurance)  # type: ignore[arg-type]
    planned = {ref: store.plan_assurances(reg, ref, items) for ref, items in by_risk.items()}
    outcomes = []
    for number, risk, _ in read.rows:
        problems = read.problems.get(number, [])
        if problems or not risk:
            outcomes.append(RowOutcome(number, risk or "", "refused", problems))
            continue
        change = planned[risk]
        outcomes.append(RowOutcome(number, risk, change.outcome, [], sorted(change.fields)))
    report = _report(grid, "assurances", colmap, outcomes)
    marked = {r["ref"] for r in reg.query("select ref from risks where baf = 1")}
    unmarked = sorted(ref for ref in by_risk if ref not in marked)
    if unmarked:
        report.notes.append(
            f"{', '.join(unmarked)} {'is' if len(unmarked) == 1 else 'are'} not marked for the "
            "Board Assurance Framework (baf: yes): the assurances are kept, but the BAF report "
            "shows principal risks only")

    def write(operation: str) -> None:
        for ref, items in by_risk.items():
            store.save_assurances(reg, ref, items, operation=operation)

    return report, write


# --- one record at a time (the app) ---------------------------------------------------------------


def save_objective(reg: Register, objective: Objective, operation: str = "edit") -> Change:
    """Save one objective, checked as an import checks it (a ref, and the objective's words)."""
    if not objective.ref or not objective.objective.strip():
        raise UserError("an objective needs a ref (such as SO1) and its words")
    return store.save_objectives(reg, [objective], operation=operation)[0]


def remove_objective(reg: Register, ref: str, operation: str = "delete") -> Removed:
    return store.delete_objective(reg, ref, operation=operation)


def restore_objective(reg: Register, removed: Removed, operation: str = "undo") -> None:
    """Put a deleted objective back whole (the app's undo of a delete)."""
    store.restore_objective(reg, removed, operation=operation)


def save_assurances(reg: Register, risk_ref: str, items: list[Assurance],
                    operation: str = "edit") -> Change:
    """Make a risk's sources of assurance these (an edit in the app; undone by saving the
    old list again). An action named must be in the register."""
    actions = {r["ref"].upper() for r in reg.query("select ref from actions")}
    for n, a in enumerate(items, 1):
        if a.line not in LINES:
            raise UserError(f"source of assurance {n}: the line must be 1, 2 or 3")
        if a.action_ref and a.action_ref.upper() not in actions:
            raise UserError(f"source of assurance {n}: there is no action {a.action_ref}")
    return store.save_assurances(reg, risk_ref, items, operation=operation)


# --- the framework as at a date ---------------------------------------------------------------------


def baf_as_at(reg: Register, as_at: date | None = None, include_closed: bool = False) -> Baf:
    """The Board Assurance Framework as it stood on `as_at` (default: the register's date)."""
    when = as_at or reg.default_as_at()
    risks = records.all_records(reg, "risks")
    return build_baf(store.all_objectives(reg), risks, store.assurances_by_risk(reg),
                     records.all_records(reg, "actions"), store.scores_as_at(reg, when), when,
                     include_closed=include_closed)


def _day(value: date) -> dict[str, str]:
    return {"text": long_date(value), "iso": value.isoformat()}


def list_objectives(reg: Register, as_at: date | None = None) -> list[dict[str, Any]]:
    """Every strategic objective with the principal risks linked to it."""
    baf = baf_as_at(reg, as_at)
    return [{"ref": o.ref, "objective": o.objective, "lead": o.lead, "committee": o.committee,
             "principal_risks": [p.ref for p in baf.for_objective(o)], "uuid": o.uuid}
            for o in baf.objectives]


def list_baf(reg: Register, as_at: date | None = None) -> list[dict[str, Any]]:
    """Every open principal risk as the framework shows it as at a date: objectives, scores
    with bands, trend, overall assurance rating and why, sources by line, gaps with their
    actions (overdue said in words)."""
    baf = baf_as_at(reg, as_at)
    programme = reg.programme
    out = []
    for p in baf.principal:
        r = p.risk
        out.append({
            "ref": r.ref, "title": r.title, "owner": r.owner,
            "objectives": [o.ref for o in p.objectives],
            "unknown_objectives": baf.unknown_objectives.get(r.ref, []),
            "inherent": codec.rating_to_json(r.inherent, programme),
            "current": codec.rating_to_json(r.current, programme),
            "target": codec.rating_to_json(r.target, programme),
            "target_date": codec.board_date_to_json(r.target_date),
            "target_date_passed": p.target_passed,
            "trend": p.trend, "assurance": p.level, "assurance_reason": p.level_reason,
            "controls": p.controls(),
            "assurances": [{"line": a.line, "line_name": LINES[a.line], "control": a.control,
                            "source": a.source, "date": codec.board_date_to_json(a.date),
                            "rating": a.rating, "gap_in_control": a.gap_in_control or None,
                            "gap_in_assurance": a.gap_in_assurance or None,
                            "action": a.action_ref or None} for a in p.assurances],
            "gaps": [gap_json(g, baf.as_at) for g in p.gaps],
            "status": r.status, "uuid": r.uuid})
    return out


def gap_json(gap: Any, as_at: date) -> dict[str, Any]:
    action = gap.action
    return {"risk": gap.risk_ref, "kind": gap.kind, "gap": gap.text,
            "action": gap.action_ref or None, "state": gap.state, "overdue": gap.overdue,
            "due": codec.board_date_to_json(action.due) if action is not None else None,
            "as_at": _day(as_at)["iso"], "words": gap.words}


def baf_gaps(reg: Register, as_at: date | None = None) -> list[dict[str, Any]]:
    """The framework's open gaps as at a date, overdue first (for `due` and the dashboard):
    each with its risk, the action closing it and where that stands, in words."""
    baf = baf_as_at(reg, as_at)
    out = [{"ref": f"{p.ref}/gap {n}", **gap_json(g, baf.as_at)}
           for p in baf.principal for n, g in enumerate(p.gaps, 1) if g.open]
    return sorted(out, key=lambda g: (not g["overdue"], g["risk"]))


__all__ = ["KINDS", "LEVELS", "baf_as_at", "baf_gaps", "import_baf", "list_baf",
           "list_objectives", "remove_objective", "restore_objective", "save_assurances",
           "save_objective"]
