"""The record tables every view shows: a read-only table over a model, its columns as wide as
what they show. Apart from widgets.py (which re-exports these) so the dashboard, drawn at
start, loads only what its tables need, not the pickers and fields of the editing forms."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget


def table_view(model: QAbstractItemModel, name: str, parent: QWidget | None = None,
               sortable: bool = True) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setObjectName(name.replace(" ", "_").lower())
    view.setAccessibleName(name)
    if sortable:
        view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(sortable)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setHighlightSections(False)
    # Column widths are measured over a screenful of rows, whatever the register's size.
    header.setResizeContentsPrecision(FIT_ROWS)
    view.verticalHeader().setResizeContentsPrecision(FIT_ROWS)
    fit_columns(view)
    if getattr(model, "refit_on_reset", False):
        model.modelReset.connect(lambda: fit_columns(view))
    return view


def fit_height(view: QTableView, fewest: int = 2, most: int = 10) -> None:
    """A short list in a pane as tall as its rows (between `fewest` and `most`), so the pane
    shows what it holds rather than an empty box; kept so as the rows change."""

    def fit() -> None:
        rows = min(max(view.model().rowCount(), fewest), most)
        view.setFixedHeight(view.horizontalHeader().sizeHint().height()
                            + rows * view.verticalHeader().defaultSectionSize()
                            + 2 * view.frameWidth() + view.horizontalScrollBar().sizeHint().height())

    view.model().modelReset.connect(fit)
    fit()


MAX_COLUMN_WIDTH = 180
FIT_ROWS = 25
LONG_COLUMN_WIDTH = 340


def fit_columns(view: QTableView) -> None:
    """Columns as wide as what they show (up to a limit), the model's long text column taking
    the spare width. Measured over the rows on screen only, so it costs the same for any size
    of register."""
    header = view.horizontalHeader()
    model = view.model()
    source = model.sourceModel() if hasattr(model, "sourceModel") else model
    stretch = getattr(source, "stretch_column", -1)
    small = getattr(source, "refit_on_reset", False)
    header.setStretchLastSection(not (small and stretch >= 0))
    for column in range(model.columnCount()):
        if small and column == stretch:  # a short list in a pane: the long text takes what is left
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            continue
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        width = max(view.sizeHintForColumn(column), header.sectionSizeHint(column)) + 8
        header.resizeSection(column, LONG_COLUMN_WIDTH if column == stretch
                             else min(width, MAX_COLUMN_WIDTH))
