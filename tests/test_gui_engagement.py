"""Engagement in the desktop app: new events and every field of an event edited (a renamed
event carries its comments), full editing of a comment with its personal data mark, and the
mark in workshop capture mode. Each edit is undoable on the one Edits stack and reaches the
register; a paper written afterwards leaves the marked comment out."""

from __future__ import annotations

import gui_support
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ooh_desk.domain.records import EngagementEvent
from ooh_desk.gui.capture import CaptureDialog
from ooh_desk.gui.views.engagement import PERSONAL_DATA, EngagementView
from ooh_desk.store import RegisterError, history, programme, records

pytestmark = pytest.mark.gui

CLINICAL = "Clinical engagement event"


def shown(qtbot, widget):
    return gui_support.shown(qtbot, widget, activate=True)


def retype(qtbot, line, text):
    line.setFocus()
    line.clear()  # not Backspace: an emptied line would pop up every earlier value
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)


def comments_at(reg, event):
    return sorted(f.ref for f in records.all_records(reg, "feedback") if f.event == event)


# --- the store: renaming an event carries its feedback --------------------------------------


def test_register_renames_an_event_with_its_feedback_in_one_audited_step(reg):
    refs = comments_at(reg, CLINICAL)
    assert len(refs) >= 5
    before = next(e for e in programme.events(reg) if e.name == CLINICAL)
    programme.update_event(reg, CLINICAL, EngagementEvent(name="Clinical summit", route="clinical",
                                                          date=before.date, attendance=41,
                                                          uuid=before.uuid))
    after = next(e for e in programme.events(reg) if e.name == "Clinical summit")
    assert (after.uuid, after.attendance) == (before.uuid, 41)
    assert comments_at(reg, "Clinical summit") == refs and comments_at(reg, CLINICAL) == []
    audit = history.changes(reg)
    assert any(a["kind"] == "events" and a["field"] == "name" and a["old"] == CLINICAL
               and a["new"] == "Clinical summit" for a in audit)
    moved = {a["ref"] for a in audit if a["kind"] == "feedback" and a["field"] == "event"
             and a["new"] == "Clinical summit"}
    assert moved == set(refs)


def test_register_refuses_a_rename_onto_another_event_and_changes_nothing(reg):
    other = programme.events(reg)[0].name
    assert other != CLINICAL
    clinical = next(e for e in programme.events(reg) if e.name == CLINICAL)
    with pytest.raises(RegisterError, match="already an engagement event called"):
        programme.update_event(reg, CLINICAL, EngagementEvent(name=other, uuid=clinical.uuid))
    with pytest.raises(RegisterError, match="no engagement event called 'Nowhere'"):
        programme.update_event(reg, "Nowhere", EngagementEvent(name="Somewhere"))
    assert CLINICAL in {e.name for e in programme.events(reg)} and comments_at(reg, CLINICAL)


def test_register_will_not_delete_an_event_that_still_has_feedback(reg):
    with pytest.raises(RegisterError, match="still has feedback"):
        programme.delete_event(reg, CLINICAL)


# --- events in the view ----------------------------------------------------------------------


def test_new_event_by_keystrokes_with_problems_at_their_fields_then_undo_redo(qtbot, edits, reg):
    view = shown(qtbot, EngagementView(edits))
    qtbot.keyClick(view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    dialog = view.event_dialog
    assert dialog is not None and dialog.isVisible()
    form = dialog.form
    qtbot.keyClicks(form.widgets["name"], "Carers' evening")
    route = form.widgets["route"]
    assert [route.itemData(i) for i in range(1, route.count())] == [
        "market", "practice", "clinical", "staff", "patient and public", "survey", "workshop"]
    route.setCurrentIndex(route.findData("patient and public"))
    date = form.widgets["date"]
    qtbot.keyClicks(date.edit, "Early November 2017")
    assert "November 2017" in date.meaning.text()  # its meaning, shown as it is typed
    qtbot.keyClicks(form.widgets["attendance"], "about forty")
    assert not dialog.create()
    assert form.messages["attendance"].isVisibleTo(dialog)
    assert "whole number" in form.messages["attendance"].text()
    assert "Carers' evening" not in {e.name for e in programme.events(reg)}
    retype(qtbot, form.widgets["attendance"], "40")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    saved = next(e for e in programme.events(reg) if e.name == "Carers' evening")
    assert (saved.route, saved.attendance, saved.date.text) == ("patient and public", 40,
                                                                "Early November 2017")
    assert "Carers' evening" in [e.name for e in view.events.keys]
    edits.stack.undo()
    assert "Carers' evening" not in {e.name for e in programme.events(reg)}
    edits.stack.redo()
    assert "Carers' evening" in {e.name for e in programme.events(reg)}


def test_a_bad_date_is_shown_at_the_field_and_not_saved(qtbot, edits, reg):
    view = shown(qtbot, EngagementView(edits))
    assert view.select_event(CLINICAL)
    date = view.event_form.widgets["date"]
    before = view.event.date
    retype(qtbot, date.edit, "the thirty-second of Smarch")
    assert date.meaning.text().startswith("Not understood")
    assert next(e for e in programme.events(reg) if e.name == CLINICAL).date == before
    assert edits.stack.count() == 0


def test_renaming_the_selected_event_carries_its_feedback_and_undoes(qtbot, edits, reg):
    view = shown(qtbot, EngagementView(edits))
    refs = comments_at(reg, CLINICAL)
    assert view.select_event(CLINICAL)
    assert view.model.total() == len(refs)
    retype(qtbot, view.event_form.widgets["name"], "Clinical summit")
    assert comments_at(reg, "Clinical summit") == refs and comments_at(reg, CLINICAL) == []
    assert view.event.name == "Clinical summit"  # still selected after the rename
    assert view.event_filter.text() == "Event: Clinical summit"
    assert view.model.total() == len(refs)
    assert edits.stack.undoText() == f"Rename event {CLINICAL} to Clinical summit"
    retype(qtbot, view.event_form.widgets["attendance"], "abc")
    assert "whole number" in view.event_form.messages["attendance"].text()
    retype(qtbot, view.event_form.widgets["attendance"], "52")
    assert next(e for e in programme.events(reg) if e.name == "Clinical summit").attendance == 52
    edits.stack.undo()
    edits.stack.undo()
    assert comments_at(reg, CLINICAL) == refs and comments_at(reg, "Clinical summit") == []
    assert view.event.name == CLINICAL
    edits.stack.redo()
    assert comments_at(reg, "Clinical summit") == refs


# --- feedback in the view --------------------------------------------------------------------


def test_every_field_of_a_comment_edited_and_personal_data_left_out_of_the_report(
        qtbot, edits, reg, tmp_path):
    import docx

    from ooh_desk.exports.report import write_report

    view = shown(qtbot, EngagementView(edits))
    assert view.select_ref("F-008")
    form = view.form
    text = form.widgets["comment"]
    text.setFocus()
    text.selectAll()
    qtbot.keyClicks(text, "Reaching a named social worker by phone takes days")
    qtbot.keyClick(text, Qt.Key.Key_Tab)  # leaving it commits
    retype(qtbot, form.widgets["stakeholder_group"], "Ward managers")
    themes = form.widgets["themes"]
    retype(qtbot, themes, "social care; access; phones")
    saved = records.get_record(reg, "feedback", "F-008")
    assert saved.comment == "Reaching a named social worker by phone takes days"
    assert (saved.stakeholder_group, saved.themes) == ("Ward managers",
                                                       ["social care", "access", "phones"])
    assert themes.text() == "social care; access; phones"
    # The box is reached by keyboard and ticked with Space.
    box = form.widgets["personal_data"]
    assert box.accessibleName() == "Contains personal data"
    form.widgets["status"].setFocus()
    qtbot.keyClick(form.widgets["status"], Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is box
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert records.get_record(reg, "feedback", "F-008").personal_data is True
    column = view.model.columns.index(next(c for c in view.model.columns
                                           if c.title == "Personal data"))
    row = view.model.row_of("F-008")
    assert view.model.index(row, column).data() == PERSONAL_DATA
    assert "left out of papers" in view.selected.text()

    out = tmp_path / "report.docx"
    write_report(reg, out)
    words = "\n".join(p.text for p in docx.Document(out).paragraphs) + "\n".join(
        c.text for t in docx.Document(out).tables for r in t.rows for c in r.cells)
    assert "Reaching a named social worker" not in words
    assert "Withheld: this item holds personal data" in words

    edits.stack.undo()
    assert records.get_record(reg, "feedback", "F-008").personal_data is False
    assert not box.isChecked()
    edits.stack.redo()
    assert records.get_record(reg, "feedback", "F-008").personal_data is True


def test_we_did_moves_an_open_comment_to_actioned_and_undo_reaches_the_store(qtbot, edits, reg):
    view = shown(qtbot, EngagementView(edits))
    item = next(f for f in records.all_records(reg, "feedback") if f.status == "open")
    assert view.select_ref(item.ref)
    retype(qtbot, view.form.widgets["action_taken"], "We met the practice managers")
    saved = records.get_record(reg, "feedback", item.ref)
    assert (saved.action_taken, saved.status) == ("We met the practice managers", "actioned")
    edits.stack.undo()
    assert records.get_record(reg, "feedback", item.ref).status == "open"


def test_themes_complete_the_last_tag_from_earlier_themes(qtbot, edits, reg):
    view = shown(qtbot, EngagementView(edits))
    assert view.select_ref("F-008")
    themes = view.form.widgets["themes"]
    completer = themes.completer()
    assert "access" in completer.model().stringList()
    themes.setFocus()
    themes.clear()
    qtbot.keyClicks(themes, "social care; acc")
    assert themes.text() == "social care; access"  # the rest of "access" offered inline
    assert themes.selectedText() == "ess"
    qtbot.keyClick(themes, Qt.Key.Key_Return)
    assert records.get_record(reg, "feedback", "F-008").themes == ["social care", "access"]


def test_new_comment_marked_personal_then_delete_and_undo(qtbot, edits, reg):
    view = shown(qtbot, EngagementView(edits))
    assert view.select_event(CLINICAL)
    dialog = view.record_actions.new()
    qtbot.keyClicks(dialog.form.widgets["comment"], "Mrs Jones at Flat 2 waited nine days")
    dialog.form.widgets["personal_data"].setChecked(True)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    ref = dialog.created.ref
    saved = records.get_record(reg, "feedback", ref)
    assert (saved.event, saved.personal_data) == (CLINICAL, True)
    view.record_actions.confirm = lambda parent, title, text: True
    assert view.select_ref(ref)
    assert view.record_actions.delete()
    assert records.get_record(reg, "feedback", ref) is None
    edits.stack.undo()
    assert records.get_record(reg, "feedback", ref).personal_data is True
    edits.stack.undo()
    assert records.get_record(reg, "feedback", ref) is None


# --- workshop capture ------------------------------------------------------------------------


def test_capture_marks_personal_data_by_tab_or_ctrl_p_and_clears_after_enter(qtbot, edits, reg):
    dialog = CaptureDialog(edits)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.event.setCurrentIndex(dialog.event.findText(CLINICAL))
    dialog.comment.setFocus()
    qtbot.keyClicks(dialog.comment, "My husband Tom Hughes was sent home without a care plan")
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.personal
    qtbot.keyClick(dialog.personal, Qt.Key.Key_Space)
    assert dialog.personal.isChecked()
    qtbot.keyClick(dialog.personal, Qt.Key.Key_Return)
    first = next(f for f in records.all_records(reg, "feedback") if f.comment.startswith("My husband Tom"))
    assert first.personal_data is True
    assert not dialog.personal.isChecked() and dialog.comment.text() == ""
    assert "personal data" in dialog.message.text()

    qtbot.keyClicks(dialog.comment, "The car park is full by nine")
    qtbot.keyClick(dialog.comment, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert dialog.personal.isChecked()
    qtbot.keyClick(dialog.comment, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.personal.isChecked()
    qtbot.keyClick(dialog.comment, Qt.Key.Key_Return)
    second = next(f for f in records.all_records(reg, "feedback")
                  if f.comment == "The car park is full by nine")
    assert second.personal_data is False
