"""Read a paper's options appraisal from a mapped grid: the long list (`--kind options`: paper,
option, summary, benefits, risks, verdict, reason) or the weighted scores (`--kind
option-scores`: paper, criterion, weight, option, score, rationale), every problem kept with
its row and column. Nothing is written here, and nothing checked against the register: the
caller checks the papers exist and the appraisal adds up. Imports no Qt and no SQL."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.options import (
    MAX_SCORE,
    TOTAL_WEIGHT,
    Option,
    OptionsError,
    Score,
    parse_verdict,
    parse_whole,
)
from ..domain.records import FieldReader, Problem
from .mapping import ColumnMap
from .rows import record_values
from .tabular import Grid


@dataclass
class PaperRows:
    """A grid's rows by the paper they belong to (as typed), with each row's problems."""

    options: dict[str, list[tuple[int, Option]]] = field(default_factory=dict)
    scores: dict[str, list[tuple[int, Score]]] = field(default_factory=dict)
    problems: dict[int, list[Problem]] = field(default_factory=dict)
    rows: list[tuple[int, str]] = field(default_factory=list)  # (row, paper) for every row


def _paper(r: FieldReader) -> str:
    return r.text("paper", required=True, what="paper ref").upper()


def read_options(grid: Grid, colmap: ColumnMap) -> PaperRows:
    out = PaperRows()
    columns = colmap.field_columns()
    seen: dict[tuple[str, str], int] = {}
    for number, values in record_values(grid, colmap):
        r = FieldReader(values, f"{grid.source} row {number}", columns)
        paper = _paper(r)
        name = r.text("option", required=True, what="option's short name")
        verdict = "carried forward"
        if r.text("verdict"):
            try:
                verdict = parse_verdict(r.text("verdict"))
            except OptionsError as exc:
                r.problem("verdict", str(exc))
        key = (paper, " ".join(name.lower().split()))
        if name and key in seen:
            r.problem("option", f"{name!r} is listed again for paper {paper} (first on row "
                                f"{seen[key]})")
        seen.setdefault(key, number)
        out.rows.append((number, paper))
        if r.problems:
            out.problems[number] = r.problems
            continue
        out.options.setdefault(paper, []).append((number, Option(
            name=" ".join(name.split()), summary=r.text("summary"), benefits=r.text("benefits"),
            risks=r.text("risks"), verdict=verdict, reason=r.text("reason"))))
    return out


def read_scores(grid: Grid, colmap: ColumnMap) -> PaperRows:
    out = PaperRows()
    columns = colmap.field_columns()
    for number, values in record_values(grid, colmap):
        r = FieldReader(values, f"{grid.source} row {number}", columns)
        paper = _paper(r)
        criterion = r.text("criterion", required=True, what="criterion")
        option = r.text("option", required=True, what="option's short name")
        weight = _whole(r, "weight", "weight", 0, TOTAL_WEIGHT)
        score = _whole(r, "score", "score", 0, MAX_SCORE)
        out.rows.append((number, paper))
        if r.problems:
            out.problems[number] = r.problems
            continue
        out.scores.setdefault(paper, []).append((number, Score(
            criterion=" ".join(criterion.split()), weight=weight, option=" ".join(option.split()),
            score=score, rationale=r.text("rationale"))))
    return out


def _whole(r: FieldReader, name: str, what: str, low: int, high: int) -> int:
    try:
        return parse_whole(r.raw(name), what, low, high)
    except OptionsError as exc:
        r.problem(name, str(exc))
        return 0
