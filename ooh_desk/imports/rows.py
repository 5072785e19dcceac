"""Turn a mapped grid into per-row field values, skipping what is not a record."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .mapping import ColumnMap
from .tabular import Grid

_FOOTER = re.compile(r"^\s*(total|totals|grand total|count|sum|end of (register|log)|key)\b",
                     re.I)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def record_values(grid: Grid, colmap: ColumnMap) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, {field: value}) for each row below the header that holds a record."""
    for number, cells in grid.rows:
        if number <= colmap.header_row:
            continue
        values = {name: cells[i] if i < len(cells) else None
                  for i, name in colmap.columns.items()}
        if all(_blank(v) for v in values.values()):
            continue
        first = next((c for c in cells if not _blank(c)), "")
        if isinstance(first, str) and _FOOTER.match(first):
            continue
        yield number, values
