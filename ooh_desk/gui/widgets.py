"""Small widgets the views share: a record table (gui/tables.py, re-exported here), a
likelihood x impact picker that shows the score and band as you choose, and a board-date
field that shows what it understood."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..domain.board_dates import BoardDate, BoardDateError, long_date, parse_optional
from ..domain.scoring import IMPACT_LABELS, LIKELIHOOD_LABELS, Band, Rating, band
from .colours import ink_for
from .tables import fit_columns, fit_height, table_view  # noqa: F401  (the views' import)

ERROR_STYLE = "color: #B00020;"


def error_style(widget: QWidget | None = None) -> str:
    """Red text that reads on the palette in use: dark red on a light window, a light red on
    a dark one (the palette's own colours decide, not a fixed guess)."""
    palette = widget.palette() if widget is not None else QApplication.palette()
    dark = palette.window().color().lightness() < 128
    return f"color: {'#FF8A80' if dark else '#B00020'};"


def scrolling(widget: QWidget, name: str) -> QScrollArea:
    """A pane that scrolls up and down when the window is shorter than it, never sideways."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(widget)
    scroll.setAccessibleName(name)
    return scroll


def band_style(found: Band) -> str:
    ink = ink_for(found.colour).name()
    return f"background: #{found.colour}; color: {ink}; padding: 2px 6px; border-radius: 3px;"


class RatingPicker(QWidget):
    """Likelihood and impact for one of a risk's three ratings. `chosen(rating)` is emitted
    only when the user completes a choice; half a choice is shown at the field, not written."""

    chosen = Signal(object)

    def __init__(self, title: str, bands: tuple[Band, ...], required: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.bands = bands
        self.required = required
        self.likelihood = QComboBox()
        self.impact = QComboBox()
        for combo, labels, scale in ((self.likelihood, LIKELIHOOD_LABELS, "likelihood"),
                                     (self.impact, IMPACT_LABELS, "impact")):
            combo.addItem(f"(no {scale})", None)
            for n, label in enumerate(labels, 1):
                combo.addItem(f"{n} {label}", n)
            combo.setAccessibleName(f"{title} {scale}")
            combo.activated.connect(self._picked)
        self.result = QLabel()
        self.result.setAccessibleName(f"{title} score and band")
        self.message = QLabel()
        self.message.setStyleSheet(error_style(self))
        self.message.setWordWrap(True)
        caption = QLabel(f"<b>{title}</b>")
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(caption, 0, 0)
        layout.addWidget(self.result, 0, 1, 1, 3)
        layout.addWidget(self.likelihood, 1, 0, 1, 2)
        layout.addWidget(QLabel("x"), 1, 2)
        layout.addWidget(self.impact, 1, 3)
        layout.addWidget(self.message, 2, 0, 1, 4)
        layout.setColumnStretch(4, 1)

    def set_rating(self, rating: Rating | None) -> None:
        self.likelihood.setCurrentIndex(rating.likelihood if rating else 0)
        self.impact.setCurrentIndex(rating.impact if rating else 0)
        self.message.clear()
        self._show(rating)

    def rating(self) -> Rating | None:
        likelihood, impact = self.likelihood.currentData(), self.impact.currentData()
        return Rating(likelihood, impact) if likelihood and impact else None

    def _show(self, rating: Rating | None) -> None:
        if rating is None:
            self.result.setText("not scored")
            self.result.setStyleSheet("")
            return
        found = band(rating.score, self.bands)
        self.result.setText(f"Score {rating.score}: {found.name}")
        self.result.setStyleSheet(band_style(found))

    def _picked(self) -> None:
        likelihood, impact = self.likelihood.currentData(), self.impact.currentData()
        if bool(likelihood) != bool(impact):
            missing = "an impact" if likelihood else "a likelihood"
            self.message.setText(f"Choose {missing} too; nothing is saved until both are chosen.")
            self._show(None)
            return
        if not likelihood and self.required:
            self.message.setText(f"A risk needs a {self.title.lower()} likelihood and impact; "
                                 "not saved.")
            self._show(None)
            return
        self.message.clear()
        rating = self.rating()
        self._show(rating)
        self.chosen.emit(rating)


class BoardDateField(QWidget):
    """A date typed as people write it ("Early November 2017"), with what it was understood
    to mean shown live beneath, or why it was not. `committed(board_date)` on Enter or on
    leaving the field, only when the text is understood and has changed."""

    committed = Signal(object)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.edit = QLineEdit()
        self.edit.setAccessibleName(name)
        self.edit.setPlaceholderText("e.g. 31/10/2017, Early November 2017, Q3 2017/18")
        self.meaning = QLabel()
        self.meaning.setAccessibleName(f"{name}: what it means")
        self.meaning.setWordWrap(True)
        self._value: BoardDate | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.edit)
        layout.addWidget(self.meaning)
        self.edit.textEdited.connect(self._interpret)
        self.edit.editingFinished.connect(self._commit)

    def set_value(self, value: BoardDate | None) -> None:
        self._value = value
        self.edit.setText(value.text if value else "")
        self._interpret(self.edit.text())

    def value(self) -> BoardDate | None:
        return self._value

    def parse(self) -> tuple[bool, BoardDate | None]:
        try:
            return True, parse_optional(self.edit.text())
        except BoardDateError as exc:
            self.meaning.setText(f"Not understood: {exc}")
            self.meaning.setStyleSheet(error_style(self))
            return False, None

    def _interpret(self, _text: str = "") -> None:
        ok, value = self.parse()
        if not ok:
            return
        self.meaning.setStyleSheet("")
        self.meaning.setText(describe(value))

    def _commit(self) -> None:
        ok, value = self.parse()
        if not ok or value == self._value:
            return
        self._value = value
        self.committed.emit(value)


def describe(value: BoardDate | None) -> str:
    if value is None:
        return "No date"
    if value.exact:
        return f"Means {long_date(value.earliest)}"
    return f"Means {long_date(value.earliest)} to {long_date(value.latest)}"


def hbox(*widgets: Any, stretch_last: bool = False) -> QHBoxLayout:
    layout = QHBoxLayout()
    for w in widgets:
        if isinstance(w, QWidget):
            layout.addWidget(w)
        else:
            layout.addLayout(w)
    if not stretch_last:
        layout.addStretch(1)
    return layout
