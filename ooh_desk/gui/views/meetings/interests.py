"""The interests pane of the Meetings view: the registered interests of the committee's members
(added and removed here), the declarations made at the meeting shown (member, item, interest,
kind, what they did; recorded and removed here, the minutes renumbering), and the members whose
registered interests share words with an agenda item, for the committee officer to ask: shown,
never decided. Every change is one undoable command (gui.edits.governance)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QVBoxLayout, QWidget

from ....domain.board_dates import BoardDateError, parse_day
from ....domain.interests import (
    ACTIONS,
    KINDS,
    Interest,
    InterestError,
    check_action,
    declaration_sentence,
)
from ....domain.records import FieldReader, Problem
from ....services import interests as service
from ....store import interests as store
from ....store import meetings as meetings_store
from ...edits import Edits, push
from ...edits.governance import (
    DECLARATIONS,
    INTERESTS,
    DeleteDeclaration,
    DeleteInterest,
    RecordDeclaration,
    SaveInterest,
)
from ...forms import Field
from ...models.governance import DeclarationModel, FlagModel, InterestModel, KeyProxy
from ...widgets import fit_height, hbox, table_view
from ..governance_forms import FormDialog, problem_label, tab_through
from .parts import Selection, button, line_edit

INTEREST_FIELDS = [Field("member", "&Member"), Field("interest", "&Interest", "text"),
                   Field("kind", "&Kind", "choice", choices=KINDS),
                   Field("from", "&From (a day, or empty)"), Field("to", "&To (a day, or empty)")]


def _combo(name: str, choices: tuple[str, ...], blank: str | None = None) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    if blank is not None:
        combo.addItem(blank, "")
    for choice in choices:
        combo.addItem(choice[:1].upper() + choice[1:], choice)
    return combo


class InterestsEditor(QWidget):
    def __init__(self, edits: Edits, selection: Selection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.reg = edits.reg
        self.selection = selection
        self.dialog: FormDialog | None = None

        self.interests = InterestModel(self)
        self.interests_table = table_view(KeyProxy(self.interests, self),
                                          "Registered interests of the committee's members", self)
        self.add_interest_button = button("Add an &interest…", "Add an entry to a member's "
                                          "register of interests", self.new_interest)
        self.remove_interest_button = button("Remove the in&terest", "Remove the selected "
                                             "registered interest", self.remove_interest)

        self.declarations = DeclarationModel(self)
        self.declarations_table = table_view(self.declarations, "Declarations at the meeting",
                                             self, sortable=False)
        self.item = QComboBox()
        self.item.setAccessibleName("Agenda item declared under")
        self.member = QComboBox()
        self.member.setEditable(True)
        self.member.setAccessibleName("Member declaring")
        self.interest = line_edit("Interest declared", "The interest, in the member's words")
        self.kind = _combo("Kind of interest", KINDS)
        self.action = _combo("What the member did", ACTIONS, blank="(not recorded)")
        self.declare_button = button("Record the &declaration", "Record the member's "
                                     "declaration against the item", self.record_declaration)
        self.remove_declaration_button = button("Remove the declarat&ion", "Remove the "
                                                "selected declaration", self.remove_declaration)
        self.problem = problem_label(self, "Problem with the declaration")
        for combo in (self.item, self.member):  # long item titles must not widen the window
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)

        self.flags = FlagModel(self)
        self.flags_table = table_view(self.flags, "Members to ask about an interest", self,
                                      sortable=False)
        fit_height(self.flags_table, fewest=2, most=5)
        tab_through(self.interests_table, self.declarations_table, self.flags_table)

        interests_box = QGroupBox("Registered interests of the committee's members")
        box = QVBoxLayout(interests_box)
        box.addWidget(self.interests_table, 1)
        box.addLayout(hbox(self.add_interest_button, self.remove_interest_button))
        declarations_box = QGroupBox("Declarations at this meeting (minuted under the item)")
        box = QVBoxLayout(declarations_box)
        box.addWidget(self.declarations_table, 1)
        for row in (((self.item, 3), (self.member, 2)),
                    ((self.interest, 3), (self.kind, 1), (self.action, 1))):
            fields = QHBoxLayout()
            for widget, stretch in row:
                fields.addWidget(widget, stretch)
            box.addLayout(fields)
        box.addWidget(self.problem)
        box.addLayout(hbox(self.declare_button, self.remove_declaration_button))
        flags_box = QGroupBox("Members to ask: a registered interest shares words with an "
                              "item (matched on words only; yours to judge)")
        QVBoxLayout(flags_box).addWidget(self.flags_table)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(interests_box, 1)
        top.addWidget(declarations_box, 1)
        layout.addLayout(top, 1)
        layout.addWidget(flags_box)
        edits.changed.connect(self._changed)

    # --- what is shown ------------------------------------------------------------------------

    def show_meeting(self) -> None:
        meeting = self.selection.meeting
        committee = meetings_store.get_committee(self.reg, meeting.committee) if meeting else None
        members = [m.name for m in committee.members] if committee else []
        self.interests.show(store.all_interests(self.reg), members or None)
        declared = store.declarations(self.reg, meeting) if meeting else []
        self.declarations.show(declared, [declaration_sentence(d) for d in declared])
        self.flags.show(service.interest_flags(self.reg, meeting) if meeting else [])
        self.item.clear()
        for item in meetings_store.agenda(self.reg, meeting) if meeting else []:
            self.item.addItem(f"{item.number} {item.title}", item.number)
        typed = self.member.currentText()
        self.member.clear()
        self.member.addItems(members)
        self.member.setEditText(typed if typed in members else (members[0] if members else ""))
        for widget in (self.declare_button, self.add_interest_button):
            widget.setEnabled(meeting is not None)

    def _changed(self, kind: str, _ref: str) -> None:
        if kind in (INTERESTS, DECLARATIONS, "meetings"):
            self.show_meeting()

    # --- declarations -------------------------------------------------------------------------

    def record_declaration(self) -> bool:
        meeting = self.selection.meeting
        if meeting is None:
            return False
        member = " ".join(self.member.currentText().split())
        interest = " ".join(self.interest.text().split())
        kind, action = self.kind.currentData(), self.action.currentData()
        problem = ("Choose the agenda item the interest is declared under." if self.item.count()
                   == 0 else "Type the member's name." if not member
                   else "Type the interest declared." if not interest else "")
        if not problem:
            try:
                check_action(kind, action)
            except InterestError as exc:
                problem = str(exc)[:1].upper() + str(exc)[1:] + "."
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        if problem:
            return False
        ok = push(self.edits, RecordDeclaration(self.edits, meeting, self.item.currentData(),
                                                member, interest, kind, action))
        if ok:
            self.interest.clear()
        return ok

    def remove_declaration(self) -> bool:
        rows = self.declarations_table.selectionModel().selectedRows()
        meeting = self.selection.meeting
        declaration = self.declarations.key(rows[0].row()) if rows else None
        if declaration is None or meeting is None:
            return False
        return push(self.edits, DeleteDeclaration(
            self.edits, meeting, declaration.ref,
            f"Remove {declaration.member}'s declaration on item {declaration.item_number}"))

    # --- registered interests -----------------------------------------------------------------

    def new_interest(self) -> FormDialog:
        def check(values: dict[str, Any]) -> tuple[list[Problem], bool]:
            reader = FieldReader(values, "the new interest")
            member = reader.text("member", required=True, what="member's name")
            words = reader.text("interest", required=True, what="interest")
            days: dict[str, date | None] = {}
            for name in ("from", "to"):
                text = reader.text(name)
                try:
                    days[name] = parse_day(text) if text else None
                except BoardDateError as exc:
                    reader.problem(name, str(exc))
            if days.get("from") and days.get("to") and days["to"] < days["from"]:
                reader.problem("to", "the interest cannot end before it starts")
            if reader.problems:
                return reader.problems, False
            interest = Interest("", member, words, values["kind"] or KINDS[1], days["from"],
                                days["to"])
            return [], push(self.edits, SaveInterest(self.edits, None, interest,
                                                     f"Register {member}'s interest"))

        self.dialog = FormDialog("New registered interest", INTERESTS, INTEREST_FIELDS, check,
                                 "&Register the interest",
                                 {"member": self.member.currentText(), "kind": KINDS[1]}, self)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.open()
        return self.dialog

    def remove_interest(self) -> bool:
        rows = self.interests_table.selectionModel().selectedRows()
        interest = self.interests_table.model().key(rows[0].row()) if rows else None
        if interest is None:
            return False
        return push(self.edits, DeleteInterest(self.edits, interest.ref,
                                               f"Remove {interest.member}'s interest "
                                               f"{interest.ref}"))


__all__ = ["InterestsEditor"]
