"""Read a council's forward plan of key decisions (`--kind key-decisions`: ref, matter,
decision_maker, date, key, exempt, documents, contact, published; notice and status too) into
domain records, every problem collected with its row and column. Nothing is written.

Imports no Qt and no SQL."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.key_decisions import KeyDecision, build_key_decision
from ..domain.records import FieldReader, Problem
from .mapping import ColumnMap
from .rows import record_values
from .tabular import Grid


@dataclass
class KeyDecisionRow:
    row: int
    decision: KeyDecision
    typed_ref: str  # the ref as the file gave it, upper case; '' when none
    supplied: set[str]  # the fields the file has columns for
    problems: list[Problem] = field(default_factory=list)


def read_key_decisions(grid: Grid, colmap: ColumnMap) -> list[KeyDecisionRow]:
    columns = colmap.field_columns()
    supplied = set(colmap.columns.values())
    out = []
    seen: dict[str, int] = {}
    for number, values in record_values(grid, colmap):
        r = FieldReader(values, f"{grid.source} row {number}", columns)
        ref = r.ref()
        kd = build_key_decision(r, ref)
        if ref and ref in seen:
            r.problem("ref", f"{ref} is used again (first on row {seen[ref]})")
        if ref:
            seen.setdefault(ref, number)
        out.append(KeyDecisionRow(number, kd, ref, supplied, r.problems))
    return out
