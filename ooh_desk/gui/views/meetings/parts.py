"""What the Meetings view and its parts share: the meeting and agenda item on screen
(`Selection`), and the small widget builders every part uses. Imports none of the parts."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QScrollArea, QWidget

from ....domain.meetings import AgendaItem, Meeting
from ...models.meetings import AgendaModel


class Selection:
    """The meeting the view shows (the agenda model's) and the agenda item picked in it. Only
    the view changes them; a part reads them when it writes, so an edit is about the item on
    screen as the register has it now, never a copy kept from when it was shown."""

    def __init__(self, agenda: AgendaModel) -> None:
        self.agenda = agenda
        self.uuid = ""  # the agenda item picked; "" for none

    @property
    def meeting(self) -> Meeting | None:
        return self.agenda.meeting

    def item(self) -> AgendaItem | None:
        return self.agenda.item(self.agenda.row_of(self.uuid) if self.uuid else -1)


def button(text: str, name: str, slot: Any) -> QPushButton:
    """A push button whose accessible name doubles as its tooltip."""
    widget = QPushButton(text)
    widget.setAccessibleName(name)
    widget.setToolTip(name)
    widget.clicked.connect(lambda _checked=False: slot())
    return widget


def line_edit(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def buddy(text: str, widget: QWidget) -> QLabel:
    """A label whose &-letter (Alt+letter) puts the focus in `widget`."""
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def scrolled(page: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area
