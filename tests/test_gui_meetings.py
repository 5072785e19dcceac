"""The Meetings view: agenda items moved by drag and drop and by Alt+Up / Alt+Down reach the
register renumbered and undo; private marking, title edits and attached documents; attendance,
minutes, lettered decisions and actions arising; packs and minutes built off the GUI thread and
read back."""

from __future__ import annotations

import csv
import shutil

import pytest
from conftest import marked_pdf
from docx import Document
from pypdf import PdfReader
from PySide6.QtCore import QModelIndex, Qt

from ooh_desk.gui.edits import Edits
from ooh_desk.gui.models.meetings import (
    ActionsArisingModel,
    AgendaModel,
    AttendanceModel,
    MeetingListModel,
)
from ooh_desk.gui.views.meetings import MeetingsView
from ooh_desk.services.listing import list_records
from ooh_desk.store import (
    Register,
    history,
    records,
)
from ooh_desk.store import meetings as store

pytestmark = pytest.mark.gui

SECRET = "ZEBRA-DEPOT-7731"
JULY, SEPTEMBER = "CHWB-2017-07-10", "CHWB-2017-09-04"




@pytest.fixture
def pdf_register(cli, register, tmp_path):
    """A meeting whose items carry only PDFs, so building its packs needs no LibreOffice."""
    rows = [("1", "Apologies", "public", "")]
    for n, (letter, pages) in enumerate((("A", 3), ("B", 2), ("C", 1)), 2):
        marked_pdf(tmp_path / f"item{letter}.pdf", pages, f"ITEM-{letter}")
        rows.append((str(n), f"Item {letter}", "public", f"item{letter}.pdf"))
    marked_pdf(tmp_path / "depot.pdf", 2, SECRET)
    rows.append(("5", "Disposal of the depot", "private - paragraph 3", "depot.pdf"))
    plan = tmp_path / "plan.csv"
    with open(plan, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["committee", "meeting_date", "time", "place", "item_no", "title", "part",
                         "presenter", "document"])
        for number, title, part, document in rows:
            writer.writerow(["Test Board", "2017-09-04", "2.00 pm", "Committee Room 3", number,
                             title, part, "A Presenter", document])
    result = cli("import", register, plan, "--kind", "agenda")
    assert result.code == 0, result.err
    return register


def shown(qtbot, widget):
    qtbot.addWidget(widget)
    widget.confirm_results = False
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def order(reg, ref):
    return [(i.number, i.title) for i in store.agenda(reg, store.find_meeting(reg, ref))]


def test_meeting_models_pass_the_model_tester(qtmodeltester, qtbot, edits, reg):
    meetings = MeetingListModel(reg)
    qtmodeltester.check(meetings)
    assert [row[1] for row in meetings.rows] == ["Monday 10 July 2017", "Monday 4 September 2017"]
    assert meetings.rows[1][4] == "10 (1 private)"
    agenda = AgendaModel(edits)
    qtmodeltester.check(agenda)  # no meeting chosen yet
    agenda.set_meeting(store.find_meeting(reg, SEPTEMBER))
    qtmodeltester.check(agenda)
    assert agenda.data(agenda.index(9, 2)) == "Private (Paragraph 3)"
    assert agenda.data(agenda.index(7, 3)) == "cqc_local_system_review.pdf"
    july = store.find_meeting(reg, JULY)
    people = AttendanceModel()
    people.show(store.attendance(reg, july))
    qtmodeltester.check(people)
    assert people.rowCount() > 5
    arising = ActionsArisingModel()
    arising.show([a for _, a in store.actions_arising(reg, july)])
    qtmodeltester.check(arising)


def test_dragging_an_item_reaches_the_register_renumbered_in_one_undoable_edit(qtbot, edits,
                                                                               reg):
    view = shown(qtbot, MeetingsView(edits))
    assert view.meeting.ref == SEPTEMBER  # the last meeting, none being after the as-at date
    model = view.agenda
    before = order(reg, SEPTEMBER)
    assert model.mimeTypes() == ["application/x-ooh-desk-agenda-items"]
    assert model.supportedDropActions() == Qt.DropAction.MoveAction
    # Drag item 7 (Out of Hospital) and drop it between items 3 and 4.
    data = model.mimeData([model.index(6, 0), model.index(6, 1)])
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    after = order(reg, SEPTEMBER)
    assert [t for _, t in after] == [t for _, t in before[:3]] + [before[6][1]] + \
        [t for _, t in before[3:6]] + [t for _, t in before[7:]]
    assert [n for n, _ in after] == [str(n) for n in range(1, 11)]  # renumbered in order
    assert [model.data(model.index(r, 1)) for r in range(10)] == [t for _, t in after]
    assert edits.stack.count() == 1 and "Out of Hospital" in edits.stack.undoText()
    renumbered = [h for h in history.changes(reg, "agenda_items") if h["field"] == "number"]
    assert len(renumbered) == 4  # the moved item and the three it passed
    edits.stack.undo()
    assert order(reg, SEPTEMBER) == before
    assert [model.data(model.index(r, 1)) for r in range(10)] == [t for _, t in before]
    # moveRows, as a view's internal move calls it: the last item to the top.
    assert model.moveRows(QModelIndex(), 9, 1, QModelIndex(), 0)
    assert order(reg, SEPTEMBER)[0] == ("1", before[9][1])
    assert not model.moveRows(QModelIndex(), 2, 1, QModelIndex(), 3)  # onto itself: no move
    assert edits.stack.count() == 1  # the undone move made way for this one


def test_alt_up_and_down_move_the_selected_item_and_ctrl_z_puts_it_back(qtbot, edits, reg):
    view = shown(qtbot, MeetingsView(edits))
    before = order(reg, SEPTEMBER)
    view.table.selectRow(4)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(view.table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    moved = order(reg, SEPTEMBER)
    assert moved[6] == ("7", before[4][1])
    assert view.table.selectionModel().selectedRows()[0].row() == 6  # the selection follows
    assert view.current_item().title == before[4][1]
    qtbot.keyClick(view.table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert order(reg, SEPTEMBER)[5] == ("6", before[4][1])
    edits.stack.undo()
    edits.stack.undo()
    edits.stack.undo()
    assert order(reg, SEPTEMBER) == before
    assert view.current_item().title == before[4][1]
    view.table.selectRow(0)
    assert not view.item_editor.move_item(-1)  # the first item cannot go higher


def test_moving_minuted_items_renumbers_the_minutes_and_undo_restores_them(qtbot, edits, reg):
    view = shown(qtbot, MeetingsView(edits))
    assert view.select_ref(JULY)
    refs = [d.ref for d in store.decisions(reg, store.find_meeting(reg, JULY))]
    assert "2017/18 min 3(a)" in refs  # item 3, Appointment of Deputy Chair
    view.table.selectRow(2)
    assert view.item_editor.move_item(1)
    texts = {d.text: d.ref for d in store.decisions(reg, store.find_meeting(reg, JULY))}
    assert texts["Dr Adrian Canale-Parola be appointed Deputy Chair of the Board for 2017/18."] \
        == "2017/18 min 4(a)"
    assert view.agenda.data(view.agenda.index(3, 4)) == "Minute 4"
    edits.stack.undo()
    assert [d.ref for d in store.decisions(reg, store.find_meeting(reg, JULY))] == refs


def test_marking_an_item_private_with_its_paragraph_and_undoing_it(qtbot, edits, reg):
    view = shown(qtbot, MeetingsView(edits))
    item_pane = view.item_editor
    view.table.selectRow(6)  # Out of Hospital
    item_pane.part.setCurrentIndex(item_pane.part.findData("private"))
    item_pane.part.activated.emit(item_pane.part.currentIndex())
    item = store.agenda(reg, view.meeting)[6]
    assert (item.part, item.exemption) == ("private", "")
    assert "Choose the exemption paragraph" in item_pane.message.text()
    assert item_pane.exemption.isEnabled()
    item_pane.exemption.setCurrentIndex(item_pane.exemption.findData("Paragraph 3"))
    item_pane.exemption.activated.emit(item_pane.exemption.currentIndex())
    item = store.agenda(reg, view.meeting)[6]
    assert (item.part, item.exemption) == ("private", "Paragraph 3")
    assert view.agenda.data(view.agenda.index(6, 2)) == "Private (Paragraph 3)"
    assert item_pane.message.text() == ""
    assert view.meetings.rows[1][4] == "10 (2 private)"
    edits.stack.undo()
    edits.stack.undo()
    item = store.agenda(reg, view.meeting)[6]
    assert (item.part, item.exemption) == ("public", "")
    assert item_pane.part.currentData() == "public" and not item_pane.exemption.isEnabled()
    assert item_pane.set_private("Paragraph 1")
    assert store.agenda(reg, view.meeting)[6].exemption == "Paragraph 1"


def test_a_title_typed_in_the_pane_is_saved_and_ctrl_z_reverts_it(qtbot, edits, reg):
    view = shown(qtbot, MeetingsView(edits))
    item_pane = view.item_editor
    view.table.selectRow(3)
    item_pane.item_title.setFocus()
    item_pane.item_title.selectAll()
    qtbot.keyClicks(item_pane.item_title, "West Midlands Combined Authority Wellbeing Board")
    qtbot.keyClick(item_pane.item_title, Qt.Key.Key_Return)
    assert order(reg, SEPTEMBER)[3] == ("4", "West Midlands Combined Authority Wellbeing Board")
    assert view.agenda.data(view.agenda.index(3, 1)).startswith("West Midlands Combined")
    edits.stack.undo()
    assert order(reg, SEPTEMBER)[3] == ("4", "West Midlands Well-being Board")
    assert item_pane.item_title.text() == "West Midlands Well-being Board"
    item_pane.item_title.setText("   ")
    item_pane.item_title.editingFinished.emit()
    assert "needs a title" in item_pane.message.text()
    assert order(reg, SEPTEMBER)[3][1] == "West Midlands Well-being Board"


def test_attaching_a_document_keeps_it_in_the_register(qtbot, edits, reg, tmp_path):
    failures: list[str] = []
    edits.failed.connect(failures.append)
    view = shown(qtbot, MeetingsView(edits))
    item_pane = view.item_editor
    view.table.selectRow(3)  # West Midlands Well-being Board: no document yet
    paper = marked_pdf(tmp_path / "wm board update.pdf", 2, "WM-BOARD")
    assert item_pane.attach_document(paper)
    item = store.agenda(reg, view.meeting)[3]
    assert item.document.filename == "wm board update.pdf"
    assert store.document_content(reg, item.document.uuid) == paper.read_bytes()
    assert view.agenda.data(view.agenda.index(3, 3)) == "wm board update.pdf"
    assert "kept in the register" in item_pane.document.text()
    edits.stack.undo()
    assert store.agenda(reg, view.meeting)[3].document is None
    edits.stack.redo()
    assert store.agenda(reg, view.meeting)[3].document.filename == "wm board update.pdf"
    notes = tmp_path / "notes.txt"
    notes.write_text("not a report", "utf-8")
    assert not item_pane.attach_document(notes)
    assert "not a Word document or PDF" in failures[-1]
    assert store.agenda(reg, view.meeting)[3].document.filename == "wm board update.pdf"
    assert item_pane.clear_document()
    assert store.agenda(reg, view.meeting)[3].has_document is False


def test_adding_and_removing_an_item(qtbot, edits, reg):
    view = shown(qtbot, MeetingsView(edits))
    item_pane = view.item_editor
    before = order(reg, SEPTEMBER)
    assert item_pane.add_item()
    assert order(reg, SEPTEMBER)[-1] == ("11", "New item")
    assert view.current_item().title == "New item" and view.focusWidget() is item_pane.item_title
    assert item_pane.remove_item()
    assert order(reg, SEPTEMBER) == before
    view.table.selectRow(1)
    assert item_pane.remove_item()
    assert len(order(reg, SEPTEMBER)) == 9
    edits.stack.undo()
    assert order(reg, SEPTEMBER) == before


def test_recording_attendance_a_minute_decisions_and_an_action(qtbot, edits, reg, tmp_path):
    view = shown(qtbot, MeetingsView(edits))
    attendance_pane, minutes_pane = view.attendance_editor, view.minutes_editor
    meeting = view.meeting
    assert store.attendance(reg, meeting) == []
    view.sections.setCurrentIndex(1)
    assert attendance_pane.add_membership()
    members = store.get_committee(reg, meeting.committee).members
    assert [a.name for a in store.attendance(reg, meeting)] == [m.name for m in members]
    attendance_pane.attendee_name.setFocus()
    qtbot.keyClicks(attendance_pane.attendee_name, "Councillor Joan Smith")
    attendance_pane.attendee_kind.setCurrentIndex(attendance_pane.attendee_kind.findData("substitute"))
    assert attendance_pane.substitute_for.isEnabled()
    attendance_pane.substitute_for.setText(members[-1].name)
    qtbot.keyClick(attendance_pane.attendee_name, Qt.Key.Key_Return)
    last = store.attendance(reg, meeting)[-1]
    assert (last.name, last.kind, last.substitute_for) == \
        ("Councillor Joan Smith", "substitute", members[-1].name)
    attendance_pane.attendance_table.selectRow(0)
    attendance_pane.attendee_kind.setCurrentIndex(attendance_pane.attendee_kind.findData("apologies"))
    assert attendance_pane.update_attendee()
    assert store.attendance(reg, meeting)[0].kind == "apologies"
    assert attendance_pane.attendance.rows[0][2] == "Apologies"
    edits.stack.undo()
    assert store.attendance(reg, meeting)[0].kind == "present"

    view.sections.setCurrentIndex(0)
    view.details.setCurrentIndex(1)
    view.table.selectRow(6)  # Out of Hospital
    minutes_pane.minute.setPlainText("The Board considered the out of hospital programme.")
    minutes_pane.resolved.setPlainText("(a) The programme be endorsed.\n\nb) A further report "
                                       "come in March 2018.")
    assert minutes_pane.record_minute()
    item = store.agenda(reg, meeting)[6]
    assert item.minute == "The Board considered the out of hospital programme."
    decided = [(d.letter, d.text, d.ref) for d in store.decisions(reg, meeting)]
    number = item.minute_number
    assert number is not None
    assert decided == [("a", "The programme be endorsed.", f"2017/18 min {number}(a)"),
                       ("b", "A further report come in March 2018.", f"2017/18 min {number}(b)")]
    assert f"Minute {number} (2017/18)</b> RESOLVED that:<br>(a) The programme be endorsed.<br>" \
        "(b) A further report" in minutes_pane.lettered.text()
    minutes_pane.action_text.setText("Report the direct award to the Board")
    minutes_pane.action_owner.setText("Andrea Green")
    minutes_pane.action_due.setText("not a date")
    assert not minutes_pane.add_action()
    assert "not understood" in minutes_pane.action_message.text()
    minutes_pane.action_due.setText("Early December 2017")
    assert minutes_pane.add_action()
    (number_, action), = store.actions_arising(reg, meeting)
    assert number_ == "7" and action.owner == "Andrea Green"
    assert action.source == f"{SEPTEMBER} minute 7" and action.due.text == "Early December 2017"
    assert minutes_pane.arising.rows[0][1] == "Report the direct award to the Board"
    edits.stack.undo()
    assert records.get_record(reg, "actions", action.ref) is None and minutes_pane.arising.rowCount() == 0
    edits.stack.redo()
    assert store.actions_arising(reg, meeting)[0][1].ref == action.ref

    out = tmp_path / "minutes.docx"
    task = view.write_minutes(out)
    with qtbot.waitSignal(task.finished, timeout=60000) as blocker:
        pass
    assert blocker.args[0] == "done", blocker.args
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "The programme be endorsed." in text and "Councillor Joan Smith" in text
    assert view.result.text() == f"Wrote the minutes: {out}"


def test_a_typed_minute_is_recorded_on_leaving_the_field_or_the_item(qtbot, edits, reg):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QFocusEvent
    from PySide6.QtWidgets import QApplication

    view = shown(qtbot, MeetingsView(edits))
    minutes_pane = view.minutes_editor
    view.details.setCurrentIndex(1)
    view.table.selectRow(3)
    qtbot.keyClicks(minutes_pane.minute, "The Chair reported on the regional board.")
    assert store.agenda(reg, view.meeting)[3].minute == ""
    QApplication.sendEvent(minutes_pane.minute, QFocusEvent(QEvent.Type.FocusOut))
    assert store.agenda(reg, view.meeting)[3].minute == "The Chair reported on the regional board."
    qtbot.keyClicks(minutes_pane.resolved, "The update be noted.")
    view.table.selectRow(4)  # moving to another item records what was typed for this one
    assert [d.text for d in store.decisions(reg, view.meeting)] == ["The update be noted."]
    assert minutes_pane.minute.toPlainText() == "" and view.current_item().number == "5"
    qtbot.keyClicks(minutes_pane.minute, "Chief Superintendent Goosen introduced the update.")
    qtbot.keyClick(minutes_pane.minute, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert store.agenda(reg, view.meeting)[4].minute.startswith("Chief Superintendent")


def test_building_both_packs_through_the_worker(qtbot, pdf_register, tmp_path):
    with Register.open(pdf_register) as reg:
        view = shown(qtbot, MeetingsView(Edits(reg)))
        assert view.meeting.ref == "TB-2017-09-04"
        view.table.selectRow(3)  # Item C to the top, so the pack follows the new order
        for _ in range(3):
            assert view.item_editor.move_item(-1)
        out = tmp_path / "pack.pdf"
        task = view.build_packs(out, private=True)
        with qtbot.waitSignal(task.finished, timeout=120000) as blocker:
            pass
    assert blocker.args[0] == "done", blocker.args
    private = tmp_path / "pack (private).pdf"
    assert view.result.text().startswith(f"Wrote the public pack: {out}")
    assert str(private) in view.result.text()
    public = PdfReader(out)
    front = " ".join((public.pages[0].extract_text() or "").split())
    assert front.index("Item C") < front.index("Apologies") < front.index("Item A")
    assert "Item C (Page 3)" in front
    assert "ITEM-C page 1" in public.pages[2].extract_text()
    assert all(SECRET not in (p.extract_text() or "") for p in public.pages)
    assert SECRET in "".join(p.extract_text() or "" for p in PdfReader(private).pages)
    with Register.open(pdf_register, readonly=True) as reg:
        (issued,) = [i for i in list_records(reg, "issued") if i["kind"] == "pack"]
    assert (issued["meeting"], issued["file_name"]) == ("TB-2017-09-04", "pack.pdf")


def test_a_pack_that_cannot_be_built_says_why_and_writes_nothing(qtbot, edits, reg, tmp_path):
    view = shown(qtbot, MeetingsView(edits))
    out = tmp_path / "no such folder" / "pack.pdf"
    task = view.build_packs(out)
    with qtbot.waitSignal(task.finished, timeout=60000) as blocker:
        pass
    assert blocker.args[0] == "failed"
    assert view.result.text() == f"Not written: the folder {out.parent} does not exist"
    assert not out.parent.exists()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_building_the_demo_pack_converts_word_reports(qtbot, edits, reg, tmp_path):
    view = shown(qtbot, MeetingsView(edits))
    out = tmp_path / "demo pack.pdf"
    task = view.build_packs(out)
    with qtbot.waitSignal(task.finished, timeout=300000) as blocker:
        pass
    assert blocker.args[0] == "done", blocker.args
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(out).pages)
    assert "Out of Hospital" in text and "commercial terms" not in text
    assert "1 private item(s) left out" in view.result.text()


def test_store_refuses_a_stale_reorder_and_removing_a_minuted_item(reg):
    from ooh_desk.store import RegisterError

    july = store.find_meeting(reg, JULY)
    items = store.agenda(reg, july)
    with pytest.raises(RegisterError, match="has changed since it was shown"):
        store.reorder_agenda(reg, july, [i.uuid for i in items[1:]])
    with pytest.raises(RegisterError, match="has minutes or actions recorded"):
        store.remove_agenda_item(reg, july, items[2].uuid)
    assert [i.uuid for i in store.agenda(reg, july)] == [i.uuid for i in items]
