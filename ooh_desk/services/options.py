"""A paper's options appraisal, the verbs: import the long list (`--kind options`) or the
weighted scores (`--kind option-scores`) for one or more papers, all or nothing, each paper's
appraisal checked whole before anything is written (weights total 100, every option scored
once per criterion); read it back; save it from the app. Imports no Qt."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..domain.options import (
    Appraisal,
    Option,
    OptionsError,
    Score,
    check_appraisal,
    preferred_sentence,
    total_text,
)
from ..domain.papers import Paper
from ..domain.records import Problem
from ..imports.errors import ImportRefused
from ..imports.mapping import find_header
from ..imports.options import PaperRows, read_options, read_scores
from ..imports.report import ImportReport, RowOutcome
from ..imports.sources import read_grid
from ..store import Register
from ..store import options as store
from ..store.papers import get_paper, save_paper

KINDS = ("options", "option-scores")
BLOCK = "options"


def import_options(reg: Register, source: Path, kind: str, *, sheet: str | None = None,
                   overrides: Mapping[str, str] | None = None,
                   dry_run: bool = False) -> ImportReport:
    """Each paper named in the file gets the options (or scores) the file gives it, replacing
    those it held; a paper given options also carries the `options` block in its report."""
    grid = read_grid(source, sheet=sheet, kind=kind)
    colmap = find_header(grid, kind, overrides)
    read = read_options(grid, colmap) if kind == "options" else read_scores(grid, colmap)
    if not read.rows:
        raise ImportRefused(f"{grid.source}: the header is on row {colmap.header_row} but no "
                            f"rows below it hold any {kind.replace('-', ' ')}")
    if dry_run:
        return _import(reg, grid, colmap, kind, read, source, write=False)
    with reg.transaction():
        return _import(reg, grid, colmap, kind, read, source, write=True)


def _import(reg: Register, grid: Any, colmap: Any, kind: str, read: PaperRows, source: Path,
            write: bool) -> ImportReport:
    heading = colmap.field_columns()
    papers: dict[str, Paper | None] = {}
    for number, typed in read.rows:
        if typed and typed not in papers:
            papers[typed] = get_paper(reg, typed)
        if typed and papers[typed] is None and number not in read.problems:
            read.problems[number] = [Problem(f"{grid.source} row {number}",
                                             heading.get("paper", "paper"),
                                             f"there is no paper {typed} in {reg.path.name} "
                                             "(see 'ooh-desk list REGISTER papers')")]
    new: dict[str, Appraisal] = {}
    if not read.problems:
        for typed, paper in papers.items():
            held = store.appraisal(reg, paper.ref)
            given = read.options.get(typed, []) if kind == "options" else read.scores.get(typed, [])
            appraisal = Appraisal([o for _, o in given], held.scores) if kind == "options" \
                else Appraisal(held.options, [s for _, s in given])
            try:
                check_appraisal(appraisal, paper.ref)
            except OptionsError as exc:
                first = given[0][0]
                column = "weight" if "weights" in str(exc) else \
                    ("option" if kind == "options" else "score")
                read.problems[first] = [Problem(f"{grid.source} row {first}",
                                                heading.get(column, column), str(exc))]
                continue
            new[typed] = appraisal
    outcomes = []
    for number, typed in read.rows:
        if number in read.problems:
            outcomes.append(RowOutcome(number, typed, "refused", read.problems[number]))
            continue
        outcomes.append(_outcome(reg, kind, number, papers[typed], read))
    report = ImportReport(grid.source, kind, False, colmap.describe(), colmap.ignored, outcomes,
                          encoding=grid.encoding, columns=colmap.account())
    if report.refused or not write:
        return report
    for typed, appraisal in new.items():
        paper = papers[typed]
        store.save_appraisal(reg, paper.ref, appraisal, options=kind == "options",
                             scores=kind == "option-scores",
                             operation=f"import {source.name}")
        if BLOCK not in paper.blocks:
            paper.blocks.append(BLOCK)
            save_paper(reg, paper, operation=f"import {source.name}")
            report.notes.append(f"paper {paper.ref} now carries the options appraisal in its "
                                "report (the 'options' block)")
    report.written = True
    return report


def _outcome(reg: Register, kind: str, number: int, paper: Paper, read: PaperRows) -> RowOutcome:
    """One row's outcome against what the paper holds: its option (or score) new, changed or
    the same."""
    held = store.appraisal(reg, paper.ref)
    typed = {n: r for rows in (read.options if kind == "options" else read.scores).values()
             for n, r in rows}[number]
    if isinstance(typed, Option):
        was: Option | Score | None = next((o for o in held.options if _same(o.name, typed.name)),
                                          None)
        ref, fields = f"{paper.ref} {typed.name}", ("summary", "benefits", "risks", "verdict",
                                                    "reason")
    else:
        was = held.score(typed.criterion, typed.option)
        ref, fields = f"{paper.ref} {typed.criterion} / {typed.option}", ("weight", "score",
                                                                          "rationale")
    changed = [] if was is None else [f for f in fields if getattr(was, f) != getattr(typed, f)]
    outcome = "new" if was is None else "updated" if changed else "unchanged"
    return RowOutcome(number, ref, outcome, [], changed)


def _same(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


# --- the app and the report -----------------------------------------------------------------------


def paper_appraisal(reg: Register, paper_ref: str) -> Appraisal:
    return store.appraisal(reg, paper_ref)


def save_paper_appraisal(reg: Register, paper_ref: str, options: list[Option],
                         scores: list[Score], operation: str = "edit") -> list[str]:
    """The app's options editor: the whole appraisal checked, then saved in one transaction
    (an OptionsError naming the paper when it does not add up)."""
    appraisal = Appraisal(list(options), list(scores))
    with reg.transaction():
        paper = get_paper(reg, paper_ref)
        if paper is None:
            raise OptionsError(f"there is no paper {paper_ref} in {reg.path.name}")
        check_appraisal(appraisal, paper.ref)
        return store.save_appraisal(reg, paper.ref, appraisal, operation=operation)


def appraisal_to_json(appraisal: Appraisal) -> dict[str, Any]:
    """A paper's appraisal as `paper show --json` gives it: totals as exact decimal text."""
    return {
        "options": [{"option": o.name, "summary": o.summary, "benefits": o.benefits,
                     "risks": o.risks, "verdict": o.verdict, "reason": o.reason}
                    for o in appraisal.options],
        "criteria": [{"criterion": c, "weight": w} for c, w in appraisal.criteria()],
        "scores": [{"criterion": s.criterion, "weight": s.weight, "option": s.option,
                    "score": s.score, "rationale": s.rationale} for s in appraisal.scores],
        "totals": {name: total_text(appraisal.total(name))
                   for name in appraisal.scored_options()},
        "preferred": [o.name for o in appraisal.preferred()],
        "summary": preferred_sentence(appraisal) if not appraisal.empty else "",
    }
