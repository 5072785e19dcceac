"""The agenda item's pane of the Meetings view: its title, presenter and type, public or private
business with the exemption paragraph, and its document (a file kept in the register, or a
paper linked from it); and the verbs that arrange the agenda: add, take off and move items.
Every change is an undoable command (gui.edits) written at once."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QFormLayout, QLabel, QWidget

from ....domain.meetings import EXEMPTION_PARAGRAPHS, AgendaItem
from ....store import meetings as store
from ....store.queries import paper_refs
from ...edits import Edits, push
from ...edits.meetings import AddAgendaItem, MeetingEdit, RemoveAgendaItem, SaveAgendaItem
from ...models.meetings import document_text
from ...widgets import ERROR_STYLE, hbox
from .parts import Selection, buddy, button, line_edit

DOCUMENT_FILTER = "Word documents and PDFs (*.docx *.pdf);;Other documents (*.doc *.odt *.rtf)"
ITEM_TYPES = ("Development Items", "Information Item", "Decision Item", "Performance Item")


class AgendaItemEditor(QWidget):
    """The selected agenda item, each field written as it is left. `added` and `moved` carry
    the uuid of the item an edit put somewhere new, for the view to select it (and, once
    added, to show this pane, where its title waits to be typed)."""

    added = Signal(str)
    moved = Signal(str)

    def __init__(self, edits: Edits, selection: Selection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.reg = edits.reg
        self.selection = selection

        self.item_title = line_edit("Item title")
        self.item_title.editingFinished.connect(self._commit_title)
        self.presenter = line_edit("Presenter", "Who presents the item")
        self.presenter.editingFinished.connect(self._commit_presenter)
        self.item_type = QComboBox()
        self.item_type.setEditable(True)
        self.item_type.setAccessibleName("Item type")
        self.item_type.setToolTip("The heading the item sits under on the agenda")
        self.item_type.activated.connect(lambda _i: self._commit_item_type())
        self.item_type.lineEdit().editingFinished.connect(self._commit_item_type)
        self.part = QComboBox()
        self.part.setAccessibleName("Public or private business")
        self.part.addItem("Public", "public")
        self.part.addItem("Private (exempt)", "private")
        self.part.activated.connect(lambda _i: self._commit_part())
        self.exemption = QComboBox()
        self.exemption.setAccessibleName("Exemption paragraph")
        self.exemption.setToolTip("The paragraph of Part 1 of Schedule 12A to the Local "
                                  "Government Act 1972 the private item relies on")
        self._fill_exemptions("")
        self.exemption.activated.connect(lambda _i: self._commit_part())
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Problem with the item")
        self.document = QLabel()
        self.document.setWordWrap(True)
        self.document.setAccessibleName("The item's document")
        self.attach_button = button("Attach a &document…",
                                    "Attach a Word document or PDF to the item",
                                    lambda: self.attach_document(None))
        self.clear_button = button("&Clear", "Take the document off the item",
                                   self.clear_document)
        self.paper = QComboBox()
        self.paper.setAccessibleName("Paper in the register")
        self.link_button = button("&Link the paper", "Make the chosen paper the item's document",
                                  self.link_paper)
        form = QFormLayout()
        form.addRow(buddy("&Title:", self.item_title), self.item_title)
        form.addRow(buddy("Pre&senter:", self.presenter), self.presenter)
        form.addRow(buddy("Item t&ype:", self.item_type), self.item_type)
        form.addRow(buddy("Pa&rt:", self.part), self.part)
        form.addRow(buddy("E&xemption:", self.exemption), self.exemption)
        form.addRow("", self.message)
        form.addRow("Document:", self.document)
        form.addRow("", hbox(self.attach_button, self.clear_button))
        form.addRow("Paper:", hbox(self.paper, self.link_button))
        self.setLayout(form)

    def _fill_exemptions(self, current: str) -> None:
        self.exemption.clear()
        self.exemption.addItem("(choose the paragraph)", "")
        for paragraph, meaning in EXEMPTION_PARAGRAPHS.items():
            self.exemption.addItem(f"{paragraph}: {meaning}", paragraph)
        if current and self.exemption.findData(current) < 0:
            self.exemption.addItem(current, current)
        self.exemption.setCurrentIndex(max(self.exemption.findData(current), 0))

    # --- what is shown -----------------------------------------------------------------------

    def refresh(self) -> None:
        """The papers that can be linked and the item types offered, read afresh."""
        self.paper.clear()
        for ref, title in paper_refs(self.reg):
            self.paper.addItem(f"{ref}: {title}", ref)
        if not self.paper.count():
            self.paper.addItem("(no papers in the register yet)", None)
        self.paper.setEnabled(self.paper.itemData(0) is not None)
        self.link_button.setEnabled(self.paper.isEnabled())
        types = dict.fromkeys([*ITEM_TYPES, *store.item_types_in_use(self.reg)])
        self.item_type.clear()
        self.item_type.addItems(list(types))

    def show_item(self, item: AgendaItem | None) -> None:
        self.message.clear()
        if item is None:
            for edit in (self.item_title, self.presenter):
                edit.clear()
            self.item_type.setEditText("")
            self.document.setText("<i>No item selected</i>")
            return
        self.item_title.setText(item.title)
        self.item_title.setCursorPosition(0)
        self.presenter.setText(item.presenter)
        self.presenter.setCursorPosition(0)
        self.item_type.setEditText(item.item_type)
        self.part.setCurrentIndex(max(self.part.findData(item.part), 0))
        self._fill_exemptions(item.exemption)
        self.exemption.setEnabled(item.private)
        if item.private and not item.exemption:
            self.message.setText("Choose the exemption paragraph this private item relies on; "
                                 "the agenda prints it.")
        self.document.setText(document_words(item))
        self.clear_button.setEnabled(item.has_document)

    # --- changing the item -------------------------------------------------------------------

    def _push(self, command: MeetingEdit) -> bool:
        return push(self.edits, command)

    def _edit_item(self, text: str, document_path: Path | None = None, **changes: Any) -> bool:
        before, meeting = self.selection.item(), self.selection.meeting
        if before is None or meeting is None:
            return False
        after = dataclasses.replace(before, **changes)
        if after == before and document_path is None:
            return False
        return self._push(SaveAgendaItem(self.edits, meeting, before, after,
                                         f"{text} (item {before.number})", document_path))

    def _commit_title(self) -> None:
        item = self.selection.item()
        title = " ".join(self.item_title.text().split())
        if item is None or title == item.title:
            return
        if not title:
            self.message.setText("An agenda item needs a title; not saved.")
            self.item_title.setText(item.title)
            return
        self.message.clear()
        self._edit_item(f"Title: {title}", title=title)

    def _commit_presenter(self) -> None:
        if self.selection.item() is not None:
            self._edit_item("Presenter", presenter=" ".join(self.presenter.text().split()))

    def _commit_item_type(self) -> None:
        if self.selection.item() is not None:
            self._edit_item("Item type", item_type=" ".join(self.item_type.currentText().split()))

    def _commit_part(self) -> None:
        item = self.selection.item()
        if item is None:
            return
        part = self.part.currentData()
        exemption = (self.exemption.currentData() or item.exemption) if part == "private" else ""
        text = f"Private ({exemption or 'no paragraph'})" if part == "private" else "Public"
        self._edit_item(text, part=part, exemption=exemption)

    def set_private(self, exemption: str) -> bool:
        """Mark the selected item private, relying on the given paragraph ('Paragraph 3')."""
        self._fill_exemptions(exemption)
        self.part.setCurrentIndex(self.part.findData("private"))
        if self.selection.item() is None:
            return False
        return self._edit_item(f"Private ({exemption})", part="private", exemption=exemption)

    def attach_document(self, path: Path | None) -> bool:
        item = self.selection.item()
        if item is None:
            return False
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self, f"Attach a document to item {item.number}", str(self.reg.path.parent),
                DOCUMENT_FILTER)
            if not chosen:
                return False
            path = Path(chosen)
        return self._edit_item(f"Attach {path.name}", document_path=path, paper_ref="",
                               minutes_of="")

    def link_paper(self) -> bool:
        ref = self.paper.currentData()
        if not ref:
            return False
        return self._edit_item(f"Link the paper {ref}", document=None, paper_ref=ref,
                               minutes_of="")

    def clear_document(self) -> bool:
        return self._edit_item("Clear the document", document=None, paper_ref="", minutes_of="")

    # --- arranging the agenda ----------------------------------------------------------------

    def add_item(self) -> bool:
        meeting = self.selection.meeting
        if meeting is None:
            return False
        item = AgendaItem(number=str(self.selection.agenda.rowCount() + 1), title="New item")
        if not self._push(AddAgendaItem(self.edits, meeting, item, f"Add item {item.number}")):
            return False
        self.added.emit(item.uuid)  # the view selects it and shows this pane
        self.item_title.setFocus()
        self.item_title.selectAll()
        return True

    def remove_item(self) -> bool:
        item, meeting = self.selection.item(), self.selection.meeting
        if item is None or meeting is None:
            return False
        return self._push(RemoveAgendaItem(self.edits, meeting, list(self.selection.agenda.items),
                                           item, f"Take item {item.number} off the agenda"))

    def move_item(self, step: int) -> bool:
        """The selected item up (step -1) or down (+1), the items renumbered as they move."""
        uuid = self.selection.uuid
        agenda = self.selection.agenda
        moved = agenda.move(agenda.row_of(uuid), step)
        if moved:
            self.moved.emit(uuid)
        return moved


def document_words(item: AgendaItem) -> str:
    if item.document is not None:
        return f"{item.document.filename} ({max(item.document.size // 1024, 1)} KB, kept in " \
               "the register)"
    if item.paper_ref:
        return f"The paper {item.paper_ref}, written from the register when the pack is built"
    if item.minutes_of:
        return f"The minutes of {item.minutes_of}, written when the pack is built"
    return document_text(item)
