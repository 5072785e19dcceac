"""Small table models over lists the register hands back whole: engagement events, one risk's
mitigations and score history, and the dashboard's short lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ...domain.board_dates import long_date
from ...domain.scoring import band
from ...store import Register, programme
from ..colours import fill, ink_for

AnyIndex = QModelIndex | QPersistentModelIndex
_TEXT = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
         Qt.ItemDataRole.AccessibleTextRole)
_FILL = (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole)


class ListTableModel(QAbstractTableModel):
    refit_on_reset = True  # small: the view re-measures its columns when the rows change

    """Rows of text with optional fills: `rows` are tuples of cell text, `fills` the hex
    colour behind a cell (or None), keyed by (row, column)."""

    def __init__(self, headings: Sequence[str], parent: Any = None, stretch_column: int = -1) -> None:
        super().__init__(parent)
        self.headings = list(headings)
        self.stretch_column = stretch_column
        self.rows: list[tuple[str, ...]] = []
        self.fills: dict[tuple[int, int], str] = {}
        self.keys: list[Any] = []

    def set_rows(self, rows: Sequence[Sequence[str]], fills: dict[tuple[int, int], str] | None = None,
                 keys: Sequence[Any] | None = None) -> None:
        self.beginResetModel()
        self.rows = [tuple(r) for r in rows]
        self.fills = dict(fills or {})
        self.keys = list(keys) if keys is not None else [None] * len(self.rows)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headings)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Asked for every role of every cell a table measures or paints: the roles answered
        # are looked up once (_TEXT, _FILL), not on each call.
        row = index.row()
        if not index.isValid() or row >= len(self.rows):
            return None
        if role in _TEXT:
            return self.rows[row][index.column()]
        if role in _FILL:
            colour = self.fills.get((row, index.column()))
            if colour:
                return fill(colour) if role == _FILL[0] else ink_for(colour)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headings[section] if 0 <= section < len(self.headings) else None
        return section + 1


class EventModel(ListTableModel):
    def __init__(self, reg: Register, parent: Any = None) -> None:
        super().__init__(["Event", "Route", "Date", "Place", "Attendance"], parent, stretch_column=0)
        self.reg = reg
        self.reload()

    def reload(self) -> None:
        events = programme.events(self.reg)
        self.set_rows([(e.name, e.route, e.date.text if e.date else "", e.place,
                        "" if e.attendance is None else str(e.attendance)) for e in events],
                      keys=events)


class MitigationModel(ListTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(["Mitigating action", "Owner", "Due", "Status"], parent, stretch_column=0)

    def show(self, risk: Any | None) -> None:
        items = risk.mitigations if risk else []
        self.set_rows([(m.description, m.owner, m.due.text if m.due else "",
                        m.status.capitalize()) for m in items])


class ScoreHistoryModel(ListTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(["Reviewed", "Likelihood", "Impact", "Score", "Band", "By"], parent)

    def show(self, history: Sequence[dict[str, Any]], bands: Sequence[Any]) -> None:
        from datetime import date

        rows, fills = [], {}
        for n, h in enumerate(history):
            found = band(h["score"], bands)
            rows.append((long_date(date.fromisoformat(h["at"][:10])), str(h["likelihood"]),
                         str(h["impact"]), str(h["score"]), found.name, h["user"] or ""))
            fills[(n, 4)] = found.colour
        self.set_rows(rows, fills)
