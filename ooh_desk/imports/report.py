"""What an import did, or would do, row by row: the answer every importer gives (CSV, .xlsx,
forward plans, OOH Desk JSON) and both front ends show. Imports no Qt."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..domain.records import Problem


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
    # The text encoding a CSV was read in ("UTF-8", "UTF-16", "Windows-1252"); None for a
    # workbook or JSON. Shown to the user: Windows-1252 cannot be told from other 8-bit
    # encodings, so the user is the judge of whether the accents came out right.
    encoding: str | None = None
    # Things the user should know that refuse nothing: a text the file held cut short (an
    # Excel log's cell limit) imported as it stood.
    notes: list[str] = field(default_factory=list)
    # Values read in a way the user might not expect, one line each: words as scores,
    # Excel serial numbers as dates, boilerplate dropped ("read 43000 as 22 September 2017").
    readings: list[str] = field(default_factory=list)
    # Every headed column in sheet order: {"column", "letter", "field" (None when ignored),
    # "samples" (up to three values as typed), "why" (how it was read, or why it was left
    # out)}. "mapping" and "ignored" say the same in brief, as they always have.
    columns: list[dict[str, Any]] = field(default_factory=list)

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
            "written": self.written, "encoding": self.encoding, "counts": self.counts(),
            "mapping": self.mapping,
            "ignored_columns": self.ignored, "notes": self.notes, "readings": self.readings,
            "columns": self.columns,
            "rows": [{"row": r.row, "ref": r.ref, "outcome": r.outcome,
                      "changed": r.changed,
                      "problems": [{"where": p.where, "column": p.column, "message": p.message}
                                   for p in r.problems]} for r in self.rows],
        }
