"""Read the Board Assurance Framework's sheets — strategic objectives (`ref, objective, lead,
committee`) and sources of assurance (`risk, control, line, source, date, rating,
gap_in_control, gap_in_assurance, action`) — into domain records, collecting every problem
with its row and column. A risk or action ref the register does not hold is a problem naming
it. Nothing is written here. Imports no Qt and no SQL.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from ..domain.assurance import Assurance, Objective, build_assurance, build_objective
from ..domain.records import FieldReader, Problem, normal_ref
from .mapping import ColumnMap
from .rows import record_values
from .tabular import Grid


@dataclass
class Read:
    """What a sheet holds, row by row: (row number, ref, record), and each row's problems."""

    rows: list[tuple[int, str, object]] = field(default_factory=list)
    problems: dict[int, list[Problem]] = field(default_factory=dict)


def read_objectives(grid: Grid, colmap: ColumnMap) -> Read:
    out = Read()
    columns = colmap.field_columns()
    seen: dict[str, int] = {}
    for number, values in record_values(grid, colmap):
        r = FieldReader(values, f"{grid.source} row {number}", columns)
        ref = r.ref()
        objective: Objective = build_objective(r, ref)
        if ref and ref in seen:
            r.problem("ref", f"{ref} is listed again (first on row {seen[ref]})")
        seen.setdefault(ref, number)
        out.rows.append((number, ref, objective))
        if r.problems:
            out.problems[number] = r.problems
    return out


def read_assurances(grid: Grid, colmap: ColumnMap, risks: Mapping[str, str],
                    actions: Collection[str]) -> Read:
    """Each row's source of assurance and the risk it belongs to. `risks` maps each risk ref
    the register holds (upper case) to its ref as stored; `actions` are the action refs it
    holds (upper case)."""
    out = Read()
    columns = colmap.field_columns()
    for number, values in record_values(grid, colmap):
        r = FieldReader(values, f"{grid.source} row {number}", columns)
        typed = r.text("risk")
        risk = ""
        if not typed:
            r.problem("risk", "the risk's ref is needed (such as R-005)")
        elif normal_ref(typed) is None:
            r.problem("risk", f"{typed!r} is not a risk's ref (such as R-005)")
        elif normal_ref(typed) not in risks:
            r.problem("risk", f"there is no risk {normal_ref(typed)} in the register; import "
                              "the risks first")
        else:
            risk = risks[normal_ref(typed) or ""]
        assurance: Assurance = build_assurance(r)
        if assurance.action_ref and assurance.action_ref not in actions:
            r.problem("action", f"there is no action {assurance.action_ref} in the register; "
                                "import or add the action first")
        out.rows.append((number, risk, assurance))
        if r.problems:
            out.problems[number] = r.problems
    return out
