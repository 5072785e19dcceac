"""The conflicts merges left (services.merge), one per row: which record and field, and base,
ours and theirs side by side with who changed each and when. A proxy hides the settled ones
unless asked."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt

from ...domain.board_dates import long_date, short_date
from ...services.merge import list_conflicts
from ...store import Register
from .small import AnyIndex, ListTableModel

CONFLICT_ROLE = Qt.ItemDataRole.UserRole + 1
EMPTY = "(empty)"
# How each kind of record is named in the table ("risks" is a Risk).
KIND_WORDS = {"risks": "Risk", "milestones": "Milestone", "feedback": "Feedback",
              "actions": "Action", "papers": "Paper", "meetings": "Meeting",
              "agenda_items": "Agenda item", "committees": "Committee", "events": "Event",
              "workstreams": "Workstream", "programme": "Programme settings"}


def kind_words(kind: str) -> str:
    return KIND_WORDS.get(kind, kind.replace("_", " ").capitalize())


def field_words(conflict: dict[str, Any]) -> str:
    field = conflict["field"]
    return field.replace("_", " ") if field else "the whole record"


def value_words(value: Any) -> str:
    return EMPTY if value is None or value == "" else str(value)


def when_words(at: str | None, short: bool = False) -> str:
    """'4 September 2017' (or, `short`, '04/09/2017') from an ISO timestamp; '' for none."""
    if not at:
        return ""
    try:
        day = date.fromisoformat(at[:10])
    except ValueError:
        return at
    return short_date(day) if short else long_date(day)


def by_words(who: str | None, at: str | None, short: bool = False) -> str:
    """'ann, 2 December 2026' ('ann, 02/12/2026' when `short`)."""
    return ", ".join(p for p in (who or "", when_words(at, short)) if p)


def status_words(conflict: dict[str, Any]) -> str:
    if conflict["status"] == "open":
        return "Open"
    return f"Settled: took {conflict['taken']}"


class ConflictModel(ListTableModel):
    """Every conflict in the register, open and settled, in ref order: a row of words each,
    the conflict itself kept as the row's key."""

    HEADINGS = ("Ref", "Kind", "Record", "Field", "Base", "Ours", "Theirs", "Ours by",
                "Theirs by", "Status")

    def __init__(self, reg: Register, parent: Any = None) -> None:
        super().__init__(self.HEADINGS, parent)
        self.reg = reg
        self.conflicts: list[dict[str, Any]] = []
        self.reload()

    def reload(self) -> None:
        self.conflicts = list_conflicts(self.reg)
        self.set_rows([self.words(c) for c in self.conflicts], keys=self.conflicts)

    def open_count(self) -> int:
        return sum(1 for c in self.conflicts if c["status"] == "open")

    def row_of(self, ref: str) -> int:
        return next((n for n, c in enumerate(self.conflicts) if c["ref"] == ref), -1)

    @staticmethod
    def words(c: dict[str, Any]) -> tuple[str, ...]:
        return (c["ref"], kind_words(c["kind"]), c["record"] or "", field_words(c),
                value_words(c["base"]), value_words(c["ours"]), value_words(c["theirs"]),
                by_words(c["ours_by"], c["ours_at"], short=True),
                by_words(c["theirs_by"], c["theirs_at"], short=True), status_words(c))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == CONFLICT_ROLE:
            valid = index.isValid() and 0 <= index.row() < len(self.keys)
            return self.keys[index.row()] if valid else None
        return super().data(index, role)


class ConflictProxy(QSortFilterProxyModel):
    """The conflicts shown: the open ones, or (with `show_settled`) every one."""

    def __init__(self, model: ConflictModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.show_settled = False
        self.setSourceModel(model)

    def set_show_settled(self, on: bool) -> None:
        self.beginFilterChange()
        self.show_settled = on
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: AnyIndex) -> bool:
        if self.show_settled:
            return True
        model = self.sourceModel()
        return 0 <= row < len(model.conflicts) and model.conflicts[row]["status"] == "open"

    def conflict(self, row: int) -> dict[str, Any] | None:
        index = self.index(row, 0)
        return index.data(CONFLICT_ROLE) if index.isValid() else None
