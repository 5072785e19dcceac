"""The dashboard's list of what is due or overdue (services.due.due_items), overdue first, each
in words, "Overdue" in words as well as shaded. Apart from the governance models so the
dashboard, drawn at start, loads nothing more than it needs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...domain.board_dates import short_date
from ...domain.due import DueItem
from ..colours import OVERDUE_COLOUR
from .small import ListTableModel


class DueModel(ListTableModel):
    HEADINGS = ("When", "Ref", "In words", "Owner")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(self.HEADINGS, parent, stretch_column=2)

    def show(self, items: Sequence[DueItem]) -> None:
        rows, fills = [], {}
        for n, item in enumerate(items):
            rows.append(("Overdue" if item.overdue else f"Due {short_date(item.due)}",
                         item.ref, item.words, item.owner))
            if item.overdue:
                fills[(n, 0)] = OVERDUE_COLOUR
        self.set_rows(rows, fills, keys=list(items))

    def overdue(self) -> int:
        return sum(1 for item in self.keys if item.overdue)
