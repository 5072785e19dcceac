"""What an import would read, before anything is written: the file's columns with the field
each becomes and three sample values, and its first rows as the fields would hold them, with
each row's problems. The app's import wizard shows it and redraws it as the user changes a
column's field. Reads the file only; writes nothing. Imports no Qt."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..domain.records import BUILDERS, FieldReader, normal_ref, typed_values
from ..imports.errors import ImportRefused
from ..imports.mapping import SYNONYMS, ColumnMap, find_header, map_headings
from ..imports.rows import record_values
from ..imports.sources import read_grid
from ..imports.tabular import Grid
from ..imports.values import NumberedRef, read_values
from ..store import Register
from ..store import records as store_records
from .importing import numbered_clash

SAMPLES = 3
FIRST_ROWS = 10


@dataclass
class PreviewColumn:
    index: int  # 0-based, in the sheet
    heading: str  # as the file spells it
    field: str | None  # None: not read
    samples: list[str] = field(default_factory=list)
    # Why the column was read as it was, or left out, where that needs saying ("'Residual':
    # the current likelihood", "a band in words; ..."); "" when the heading says it plainly.
    why: str = ""


@dataclass
class PreviewRow:
    row: int  # as the spreadsheet numbers it
    cells: dict[int, str]  # column index -> the value as it would be read, in words
    problems: list[str] = field(default_factory=list)


@dataclass
class Preview:
    source: str  # "Register.xlsx, sheet 'Risks'"
    kind: str
    kind_guessed: bool
    header_rows: tuple[int, ...]
    columns: list[PreviewColumn]
    rows: list[PreviewRow]
    total_rows: int  # record rows in the whole file
    readings: list[str] = field(default_factory=list)
    # What stops the whole file however its columns are read (a cost-risk register, a
    # formula with no result), or "" when nothing does.
    refusal: str = ""

    @property
    def fields(self) -> list[str]:
        """The fields a column of this kind may become."""
        return list(SYNONYMS.get(self.kind, {}))

    def headings(self) -> list[str]:
        return [c.heading for c in self.columns]

    def mapping(self) -> list[tuple[str, str | None]]:
        """(their heading, field or None) per column, left to right."""
        return [(c.heading, c.field) for c in self.columns]


def preview(source: str | Path, kind: str | None = None, sheet: str | None = None,
            overrides: Mapping[str, str] | None = None, *, reg: Register | None = None,
            first_rows: int = FIRST_ROWS) -> Preview:
    """Read `source` as an import would and say what it would read. With `reg`, a row whose
    ref the register holds is checked as the update it would be (what the file lacks is
    taken from the register), as the dry run checks it."""
    grid = read_grid(Path(source), sheet=sheet, kind=kind)
    return preview_grid(grid, kind, overrides, reg=reg, first_rows=first_rows)


def preview_grid(grid: Grid, kind: str | None = None, overrides: Mapping[str, str] | None = None,
                 *, reg: Register | None = None, first_rows: int = FIRST_ROWS) -> Preview:
    """`preview` over a grid already read: the wizard reads the file once and redraws the
    preview from it each time a column's field is changed."""
    unmapped = ""
    try:
        colmap = find_header(grid, kind, overrides)
    except ImportRefused as exc:
        if kind is None or "no recognisable columns" not in str(exc):
            raise
        colmap = _headings_row(grid, kind, overrides)
        unmapped = ("Too few of these headings were recognised to read the file: choose the "
                    "field each column holds.")
    by_field = {f: i for i, f in colmap.columns.items()}
    refusal = ""
    try:
        known_refs = _all_refs(reg, colmap.kind) if reg is not None else ()
        rows = list(record_values(grid, colmap, known_refs)) if colmap.columns else \
            [(n, {}) for n, cells in grid.rows if n > colmap.header_row and any(map(as_text, cells))]
        readings = read_values(grid, colmap, rows)
    except ImportRefused as exc:
        # Still show the columns, so the user can see (and perhaps change) what was read.
        refusal, readings = str(exc), []
        rows = [(n, {f: cells[i] if i < len(cells) else None for i, f in colmap.columns.items()})
                for n, cells in grid.rows if n > colmap.header_row]
    raw = dict(grid.rows)
    indexes = sorted(colmap.headings)

    def shown(number: int, values: dict[str, Any], index: int) -> str:
        name = colmap.columns.get(index)
        if name is not None:
            return as_text(values.get(name))
        cells = raw.get(number, [])
        return as_text(cells[index] if index < len(cells) else None)

    columns = []
    for index in indexes:
        samples: list[str] = []
        for number, values in rows:
            text = shown(number, values, index)
            if text:
                samples.append(text)
                if len(samples) == SAMPLES:
                    break
        columns.append(PreviewColumn(index, colmap.headings[index], colmap.columns.get(index),
                                     samples, colmap.why.get(index, "")))
    known = _known(reg, colmap.kind, rows[:first_rows], by_field) if reg is not None else {}
    out_rows = []
    for number, values in rows[:first_rows]:
        cells = {index: shown(number, values, index) for index in indexes}
        problems = [] if refusal else _problems(grid, colmap.kind, colmap.field_columns(),
                                                number, values, known)
        out_rows.append(PreviewRow(number, cells, problems))
    return Preview(grid.source, colmap.kind, colmap.kind_guessed, colmap.header_rows or
                   (colmap.header_row,), columns, out_rows, len(rows), readings,
                   refusal or unmapped)


def _headings_row(grid: Grid, kind: str, overrides: Mapping[str, str] | None) -> ColumnMap:
    """The header of a sheet of the kind the user chose whose headings name too few fields:
    its first row of two or more headings, each read as the user has said (else as nothing)
    until enough are chosen for the import to find the header itself."""
    for number, cells in grid.rows[:30]:
        headings = {i: " ".join(as_text(c).split()) for i, c in enumerate(cells) if as_text(c)}
        if len(headings) < 2:
            continue
        columns = {i: f for i, f in map_headings(kind, cells, overrides).items() if i in headings}
        return ColumnMap(kind, number, columns, headings, kind_guessed=False,
                         ignored=[h for i, h in headings.items() if i not in columns],
                         header_rows=(number,))
    raise ImportRefused(f"{grid.source}: no recognisable columns (the sheet is empty)")


def _known(reg: Register, kind: str, rows: list[tuple[int, dict[str, Any]]],
           by_field: dict[str, int]) -> dict[str, Any]:
    """The register's records the previewed rows name by ref."""
    if "ref" not in by_field:
        return {}
    wanted = {ref for _, values in rows if (ref := normal_ref(values.get("ref")))}
    if not wanted:
        return {}
    return {r.ref.upper(): r for r in store_records.all_records(reg, kind)
            if r.ref.upper() in wanted}


def _all_refs(reg: Register, kind: str) -> set[str]:
    """Every ref the register holds for `kind`, upper case: a file whose rows all name one
    may leave out what the register knows (a sheet of refs and impacts)."""
    if kind not in BUILDERS:
        return set()
    return {r.ref.upper() for r in store_records.all_records(reg, kind)}


def _problems(grid: Grid, kind: str, columns: dict[str, str], number: int,
              values: dict[str, Any], known: dict[str, Any]) -> list[str]:
    """What would stop this row, each as '<column>: <what is wrong>'."""
    if kind not in BUILDERS:
        return []
    reader = FieldReader(values, f"{grid.source} row {number}", columns)
    ref = reader.ref()
    if ref and ref in known:
        if isinstance(values.get("ref"), NumberedRef):
            clash = numbered_clash(kind, known[ref], values, values["ref"])
            if clash:
                return [f"{values['ref'].heading}: {clash}"]
        reader.values = typed_values(known[ref]) | values
    BUILDERS[kind](reader, ref)
    return [f"{p.column}: {p.message}" if p.column else p.message for p in reader.problems]


def as_text(value: Any) -> str:
    """A cell's value as the user would write it: dates as 04/09/2017, whole numbers without
    a decimal point, text as typed."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.hour or value.minute or value.second:
            return value.strftime("%d/%m/%Y %H:%M")
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).strip()
