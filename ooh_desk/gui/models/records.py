"""Table models over the register's records. Each holds one page of rows and fetches the next
as the view scrolls (`canFetchMore` / `fetchMore`); sorting and filtering are done by the
register over every record (ooh_desk.services.RecordQuery), never over the rows on screen.
Bands, RAG and overdue come from ooh_desk.domain, always as words with the colour."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from ...domain.records import action_overdue, milestone_rag
from ...domain.scoring import TREND_ARROWS, TREND_WORDS, band, trend
from ...store import Register
from ...store.queries import RecordQuery, count_records, page_records, risk_scores
from ..colours import OVERDUE_COLOUR, RAG_COLOURS, fill, ink_for

PAGE_SIZE = 50  # about two screenfuls; scrolling fetches the next
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex
_ROLES = {int(r) for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                           Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.BackgroundRole,
                           Qt.ItemDataRole.ForegroundRole, RECORD_ROLE)}


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[Any], str]
    order: str | None = None  # the field the register sorts by; None: not sortable
    fill: Callable[[Any], str | None] | None = None  # hex RGB behind the words
    tip: Callable[[Any], str] | None = None
    stretch: bool = False  # the long text column that takes the spare width


def _date(value: Any) -> str:
    return value.text if value else ""


class RecordTableModel(QAbstractTableModel):
    """One kind of record, a page at a time. Subclasses name the kind and the columns."""

    kind = ""

    def __init__(self, reg: Register, as_at: date | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.as_at = as_at or reg.default_as_at()
        self.programme = reg.programme
        self.query = RecordQuery(self.kind)
        self.columns = self.make_columns()
        self._rows: list[Any] = []
        self._total = 0
        self._fetching = False
        self.reload()

    def make_columns(self) -> list[Column]:
        raise NotImplementedError

    @property
    def stretch_column(self) -> int:
        return next((n for n, c in enumerate(self.columns) if c.stretch), -1)

    # --- what to show ----------------------------------------------------------------------

    def set_query(self, **changes: Any) -> None:
        self.query = dataclasses.replace(self.query, **changes)
        self.reload()

    def set_filter(self, name: str, value: str | None) -> None:
        filters = tuple((k, v) for k, v in self.query.filters if k != name)
        if value is not None:
            filters += ((name, value),)
        self.set_query(filters=filters)

    def reload(self) -> None:
        self.beginResetModel()
        self.programme = self.reg.programme
        self._total = count_records(self.reg, self.query)
        self._rows = self._fetch(0, PAGE_SIZE)
        self.endResetModel()

    def total(self) -> int:
        """Every record the query matches, fetched or not."""
        return self._total

    def _fetch(self, offset: int, limit: int) -> list[Any]:
        records = page_records(self.reg, self.query, offset, limit)
        return [self.prepare(r) for r in records] if records else []

    def prepare(self, record: Any) -> Any:
        """Work out, once per fetched record, what the columns show."""
        return record

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._fetching and len(self._rows) < self._total

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        # Views (and Qt's model tester) may ask for more while rows are being inserted.
        self._fetching = True
        try:
            more = self._fetch(len(self._rows), PAGE_SIZE)
            if not more:
                self._total = len(self._rows)  # the register shrank under us
                return
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()
        finally:
            self._fetching = False

    def fetch_all(self) -> None:
        while self.canFetchMore():
            self.fetchMore()

    # --- the Qt model ----------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def record(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, ref: str) -> int:
        for n, r in enumerate(self._rows):
            if self.ref_of(r) == ref:
                return n
        return -1

    def ref_of(self, row: Any) -> str:
        return row.ref

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Views ask for a dozen roles per cell as they paint: answer the rest at once.
        if role not in _ROLES or not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tip(row) if column.tip else (column.text(row) or None)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole) and column.fill:
            colour = column.fill(row)
            if not colour:
                return None
            return fill(colour) if role == Qt.ItemDataRole.BackgroundRole else ink_for(colour)
        if role == RECORD_ROLE:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title if 0 <= section < len(self.columns) else None
        return section + 1

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns) or self.columns[column].order is None:
            return
        wanted = (self.columns[column].order, order == Qt.SortOrder.DescendingOrder)
        if wanted != (self.query.order, self.query.descending):
            self.set_query(order=wanted[0], descending=wanted[1])


class RecordProxy(QSortFilterProxyModel):
    """Sits between a record model and its view. Sorting is passed to the register (so it
    covers every record, not only those fetched); an optional predicate hides rows by a
    derived rule (overdue, RAG) once every row is fetched."""

    def __init__(self, source: RecordTableModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self._accept: Callable[[Any], bool] | None = None

    def source(self) -> RecordTableModel:
        return self.sourceModel()  # type: ignore[return-value]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.source().sort(column, order)

    def set_predicate(self, accept: Callable[[Any], bool] | None) -> None:
        if accept is not None:
            self.source().fetch_all()  # a derived rule cannot be asked of the register
        self.beginFilterChange()
        self._accept = accept
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if self._accept is None:
            return True
        return self._accept(self.source().record(source_row))

    def record(self, proxy_row: int) -> Any:
        return self.source().record(self.mapToSource(self.index(proxy_row, 0)).row())


# --- the kinds ------------------------------------------------------------------------------


@dataclass
class RiskRow:
    risk: Any
    band: str
    colour: str | None
    trend: str

    @property
    def ref(self) -> str:
        return self.risk.ref


class RiskModel(RecordTableModel):
    kind = "risks"

    def _fetch(self, offset: int, limit: int) -> list[Any]:
        risks = page_records(self.reg, self.query, offset, limit)
        scores = risk_scores(self.reg, [r.uuid for r in risks])
        out = []
        for r in risks:
            found = band(r.current.score, self.programme.bands) if r.current else None
            out.append(RiskRow(r, found.name if found else "", found.colour if found else None,
                               trend(scores.get(r.uuid, []))))
        return out

    def make_columns(self) -> list[Column]:
        def score(row: RiskRow) -> str:
            c = row.risk.current
            return f"{c.score} ({c.likelihood} x {c.impact})" if c else ""

        return [
            Column("Ref", lambda r: r.risk.ref, "ref"),
            Column("Risk", lambda r: r.risk.title, "title", stretch=True),
            Column("Band", lambda r: r.band, "score", fill=lambda r: r.colour),
            Column("Score", score, "score"),
            Column("Trend", lambda r: f"{TREND_ARROWS[r.trend]} {TREND_WORDS[r.trend]}"),
            Column("Owner", lambda r: r.risk.owner, "owner"),
            Column("Status", lambda r: r.risk.status.capitalize(), "status"),
            Column("Workstream", lambda r: r.risk.workstream, "workstream"),
            Column("Review", lambda r: _date(r.risk.review_date), "review_date"),
        ]


@dataclass
class MilestoneRow:
    milestone: Any
    rag: str
    reason: str

    @property
    def ref(self) -> str:
        return self.milestone.ref


class MilestoneModel(RecordTableModel):
    kind = "milestones"

    def prepare(self, record: Any) -> MilestoneRow:
        p = self.programme
        rag = milestone_rag(record, self.as_at, p.rag_tolerance_days, p.amber_window_days)
        return MilestoneRow(record, rag.status, rag.reason)

    def make_columns(self) -> list[Column]:
        m = "milestone"
        return [
            Column("Ref", lambda r: r.milestone.ref, "ref"),
            Column("Milestone", lambda r: r.milestone.title, "title", stretch=True),
            Column("RAG", lambda r: r.rag, None, fill=lambda r: RAG_COLOURS[r.rag],
                   tip=lambda r: f"{r.rag}: {r.reason}"),
            Column("Baseline", lambda r: _date(getattr(r, m).baseline), "baseline"),
            Column("Forecast", lambda r: _date(getattr(r, m).forecast), "forecast"),
            Column("Actual", lambda r: _date(getattr(r, m).actual), "actual"),
            Column("Status", lambda r: r.milestone.status.capitalize(), "status"),
            Column("Why", lambda r: r.reason),
            Column("Workstream", lambda r: r.milestone.workstream, "workstream"),
            Column("Owner", lambda r: r.milestone.owner, "owner"),
        ]


class FeedbackModel(RecordTableModel):
    kind = "feedback"

    def make_columns(self) -> list[Column]:
        return [
            Column("Ref", lambda f: f.ref, "ref"),
            Column("Event", lambda f: f.event, "event"),
            Column("Group", lambda f: f.stakeholder_group, "stakeholder_group"),
            Column("You said", lambda f: f.comment, "comment", stretch=True),
            Column("Themes", lambda f: ", ".join(f.themes), "themes"),
            Column("We did", lambda f: f.action_taken, "action_taken"),
            Column("Status", lambda f: f.status.capitalize(), "status"),
        ]


@dataclass
class ActionRow:
    action: Any
    overdue: bool

    @property
    def ref(self) -> str:
        return self.action.ref


class ActionModel(RecordTableModel):
    kind = "actions"

    def prepare(self, record: Any) -> ActionRow:
        return ActionRow(record, action_overdue(record, self.as_at))

    def make_columns(self) -> list[Column]:
        return [
            Column("Ref", lambda r: r.action.ref, "ref"),
            Column("Action", lambda r: r.action.description, "description",
                   stretch=True),
            Column("Owner", lambda r: r.action.owner, "owner"),
            Column("Due", lambda r: _date(r.action.due), "due"),
            Column("Status", lambda r: r.action.status.capitalize(), "status"),
            Column("Overdue", lambda r: "Overdue" if r.overdue else "", None,
                   fill=lambda r: OVERDUE_COLOUR if r.overdue else None),
            Column("Source", lambda r: r.action.source, "source"),
        ]
