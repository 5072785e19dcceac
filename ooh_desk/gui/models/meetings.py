"""Models for the Meetings view: the register's meetings, one meeting's agenda (arranged by
drag and drop or Alt+Up / Alt+Down, each move renumbering the items and written to the register
in one transaction through the undo stack), its attendance and its actions arising."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from ...domain.board_dates import long_date
from ...domain.meetings import AgendaItem, Meeting, display_time
from ...store import Register
from ...store import meetings as store
from ..edits import Edits, push
from ..edits.meetings import KIND, ReorderAgenda
from .small import ListTableModel

AnyIndex = QModelIndex | QPersistentModelIndex
AGENDA_MIME = "application/x-ooh-desk-agenda-items"
PRIVATE_FILL = "F3E5F5"  # a pale purple behind the words "Private"


class MeetingListModel(ListTableModel):
    """Every meeting in the register, earliest first; `keys` holds the Meeting per row."""

    def __init__(self, reg: Register, parent: Any = None) -> None:
        super().__init__(["Committee", "Date", "Time", "Place", "Items"], parent, stretch_column=0)
        self.refit_on_reset = False  # the view sizes these columns to their contents
        self.reg = reg
        self.reload()

    def reload(self) -> None:
        meetings = store.all_meetings(self.reg)
        counts = store.agenda_counts(self.reg) if meetings else {}
        rows = []
        for m in meetings:
            items, private = counts.get(m.uuid, (0, 0))
            rows.append((m.committee, f"{m.date:%A} {long_date(m.date)}", display_time(m.time),
                         m.place, f"{items} ({private} private)" if private else str(items)))
        self.set_rows(rows, keys=meetings)


def document_text(item: AgendaItem) -> str:
    if item.document is not None:
        return item.document.filename
    if item.paper_ref:
        return f"Paper {item.paper_ref}"
    if item.minutes_of:
        return f"Minutes of {item.minutes_of}"
    return "None"


def part_text(item: AgendaItem) -> str:
    if not item.private:
        return "Public"
    return f"Private ({item.exemption})" if item.exemption else "Private (no paragraph)"


class AgendaModel(ListTableModel):
    """One meeting's agenda items in order. Rows move by drag and drop (mimeData /
    dropMimeData) or moveRows; every move renumbers the items 1, 2, 3 ... and is written to
    the register as one undoable edit."""

    # Presenter and item type are in the item's pane beside the table, leaving room for titles.
    COLUMNS = ("No.", "Title", "Part", "Document", "Minute")

    def __init__(self, edits: Edits, parent: Any = None) -> None:
        super().__init__(self.COLUMNS, parent, stretch_column=1)
        self.edits = edits
        self.reg = edits.reg
        self.meeting: Meeting | None = None
        self.items: list[AgendaItem] = []
        edits.changed.connect(self._changed)

    # --- what it shows --------------------------------------------------------------------------

    def _show(self, items: list[AgendaItem]) -> None:
        self.items = items
        self.rows = [self._cells(i) for i in items]
        self.fills = {(n, 2): PRIVATE_FILL for n, i in enumerate(items) if i.private}
        self.keys = list(items)

    def set_meeting(self, meeting: Meeting | None) -> None:
        self.beginResetModel()
        self.meeting = meeting
        self._show(store.agenda(self.reg, meeting) if meeting else [])
        self.endResetModel()

    def reload(self) -> None:
        """Read the agenda again. When the same items are in the same order only their cells
        change, so the view keeps its selection and scroll position."""
        if self.meeting is None:
            return
        fresh = store.agenda(self.reg, self.meeting)
        if [i.uuid for i in fresh] != [i.uuid for i in self.items]:
            self.beginResetModel()
            self._show(fresh)
            self.endResetModel()
            return
        self._show(fresh)
        if fresh:
            self.dataChanged.emit(self.index(0, 0), self.index(len(fresh) - 1, len(self.COLUMNS) - 1))

    def _changed(self, kind: str, ref: str) -> None:
        if kind == KIND and self.meeting is not None and ref == self.meeting.ref:
            self.reload()

    def item(self, row: int) -> AgendaItem | None:
        return self.items[row] if 0 <= row < len(self.items) else None

    def row_of(self, uuid: str) -> int:
        return next((n for n, i in enumerate(self.items) if i.uuid == uuid), -1)

    @staticmethod
    def _cells(item: AgendaItem) -> tuple[str, ...]:
        return (item.number, item.title, part_text(item), document_text(item),
                f"Minute {item.minute_number}" if item.minute_number else "")

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item(index.row()) if index.isValid() else None
        if item is not None and role == Qt.ItemDataRole.ToolTipRole and index.column() == 1:
            return "\n".join(p for p in (item.title, item.item_type, item.presenter) if p)
        return super().data(index, role)

    # --- moving items ---------------------------------------------------------------------------

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled  # drops land between rows, never on one
        return (Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsDragEnabled)

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [AGENDA_MIME]

    def mimeData(self, indexes: Any) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        data = QMimeData()
        uuids = [self.items[r].uuid for r in rows if r < len(self.items)]
        data.setData(AGENDA_MIME, QByteArray(json.dumps(uuids).encode("utf-8")))
        return data

    def _dragged(self, data: QMimeData) -> list[int]:
        if data is None or not data.hasFormat(AGENDA_MIME):
            return []
        try:
            uuids = json.loads(bytes(data.data(AGENDA_MIME).data()).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return []
        rows = sorted(self.row_of(u) for u in uuids) if isinstance(uuids, list) else []
        return rows if rows and rows[0] >= 0 else []

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: AnyIndex) -> bool:
        return action == Qt.DropAction.MoveAction and bool(self._dragged(data))

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: AnyIndex) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        rows = self._dragged(data) if action == Qt.DropAction.MoveAction else []
        if not rows or rows != list(range(rows[0], rows[-1] + 1)):
            return False  # only one run of items moves at a time
        if row < 0:  # dropped on an item: it goes before that item; on empty space: at the end
            row = parent.row() if parent.isValid() else len(self.items)
        return self.moveRows(QModelIndex(), rows[0], len(rows), QModelIndex(), row)

    def moveRows(self, sourceParent: AnyIndex, sourceRow: int, count: int,  # noqa: N803
                 destinationParent: AnyIndex, destinationChild: int) -> bool:  # noqa: N803
        if (sourceParent.isValid() or destinationParent.isValid() or count < 1
                or self.meeting is None or sourceRow < 0 or sourceRow + count > len(self.items)
                or not 0 <= destinationChild <= len(self.items)
                or sourceRow <= destinationChild <= sourceRow + count):
            return False
        before = list(self.items)
        moving = self.items[sourceRow:sourceRow + count]
        if not self.beginMoveRows(QModelIndex(), sourceRow, sourceRow + count - 1, QModelIndex(),
                                  destinationChild):
            return False
        rest = self.items[:sourceRow] + self.items[sourceRow + count:]
        at = destinationChild if destinationChild < sourceRow else destinationChild - count
        self._show(rest[:at] + moving + rest[at:])
        self.endMoveRows()
        moved = moving[0]
        where = self.items.index(moved) + 1
        text = (f"Move item {moved.number} ({moved.title}) to {where}" if count == 1
                else f"Move items {moved.number}–{moving[-1].number} to {where}")
        # Written, renumbered, through the undo stack; the register's answer is then shown
        # (the same rows in the same order, so the selection stays where it is).
        return push(self.edits, ReorderAgenda(self.edits, self.meeting, before,
                                              [i.uuid for i in self.items], text))

    def move(self, row: int, step: int) -> bool:
        """Move one item up (step -1) or down (step +1): the keyboard's Alt+Up / Alt+Down."""
        target = row + step
        if not 0 <= row < len(self.items) or not 0 <= target < len(self.items):
            return False
        return self.moveRows(QModelIndex(), row, 1, QModelIndex(),
                             target if step < 0 else target + 1)


class AttendanceModel(ListTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(["Name", "Organisation", "Attended as", "Substitute for"], parent,
                         stretch_column=1)

    def show(self, attendees: list[Any]) -> None:
        self.set_rows([(a.name, a.organisation, a.kind.capitalize(), a.substitute_for)
                       for a in attendees], keys=attendees)


class ActionsArisingModel(ListTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(["Ref", "Action arising", "Owner", "Due", "Status"], parent,
                         stretch_column=1)

    def show(self, actions: list[Any]) -> None:
        self.set_rows([(a.ref, a.description, a.owner, a.due.text if a.due else "",
                        a.status.capitalize()) for a in actions], keys=actions)
