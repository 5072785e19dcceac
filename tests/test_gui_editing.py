"""Creating, deleting and editing records in the desktop app: each an undoable command on the
one Edits stack that reaches the register (and its audit history), with every problem shown
at its field in words and nothing written until the record is valid."""

from __future__ import annotations

import gui_support
import pytest
from PySide6.QtCore import Qt

from ooh_desk.domain.board_dates import parse_board_date
from ooh_desk.domain.records import Mitigation
from ooh_desk.gui.views.actions import ActionsView
from ooh_desk.gui.views.engagement import EngagementView
from ooh_desk.gui.views.milestones import MilestonesView
from ooh_desk.gui.views.risks import RisksView
from ooh_desk.store import history, records

pytestmark = pytest.mark.gui


def shown(qtbot, widget):
    return gui_support.shown(qtbot, widget, activate=True)


def press_ok(qtbot, dialog):
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)


# --- the register: delete gives back what restore puts back ------------------------------


def test_register_restore_puts_a_deleted_risk_back_whole(reg):
    before = records.get_record(reg, "risks", "R-003")
    scores = history.score_history(reg, before.uuid)
    assert before.mitigations and len(scores) >= 2
    removed = records.delete_record(reg, "risks", "R-003")
    assert records.get_record(reg, "risks", "R-003") is None
    assert history.score_history(reg, before.uuid) == []
    records.restore_record(reg, removed)
    after = records.get_record(reg, "risks", "R-003")
    assert after == before  # same uuid, fields and mitigations in order
    assert history.score_history(reg, before.uuid) == scores
    assert [h["new"] for h in history.changes(reg, "risks") if h["ref"] == "R-003"][-2:] == \
        ["deleted", "restored"]
    hits = list(reg.db.query("select rowid from risks_fts where risks_fts match 'TUPE'"))
    assert hits  # full-text search finds restored risks again


def test_a_mitigation_owner_due_or_status_edit_is_saved_and_audited(reg):
    risk = records.get_record(reg, "risks", "R-001")
    risk.mitigations[0] = Mitigation(risk.mitigations[0].description, owner="Jane Smith",
                                     due=parse_board_date("Q3 2017/18"), status="in progress")
    change = records.save_records(reg, "risks", [risk])[0]
    assert change.outcome == "updated" and "mitigations" in change.fields
    saved = records.get_record(reg, "risks", "R-001").mitigations[0]
    assert (saved.owner, saved.due.text, saved.status) == ("Jane Smith", "Q3 2017/18",
                                                           "in progress")
    audit = [h for h in history.changes(reg, "risks") if h["ref"] == "R-001" and h["field"] == "mitigations"]
    assert "owner Jane Smith" in audit[-1]["new"]


# --- creating -------------------------------------------------------------------------------


def test_new_risk_by_keyboard_shows_every_problem_at_its_field_then_creates(qtbot, edits, reg):
    view = shown(qtbot, RisksView(edits))
    count = records.total_records(reg, "risks")
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = view.record_actions.dialog
    assert dialog is not None and dialog.isVisible()
    form = dialog.form
    press_ok(qtbot, dialog)
    assert form.messages["title"].text() == "A risk title is needed."
    qtbot.keyClicks(form.widgets["title"], "Estates not ready for the hub")
    qtbot.keyClicks(form.widgets["review_date"].edit, "Smarch 2018")
    press_ok(qtbot, dialog)
    assert records.total_records(reg, "risks") == count and edits.stack.count() == 0
    assert form.messages["title"].isHidden()
    assert form.messages["likelihood"].text().startswith("A risk needs a likelihood")
    assert "Smarch" in form.messages["review_date"].text()
    assert form.widgets["review_date"].meaning.text().startswith("Not understood")

    form.widgets["likelihood"].setCurrentIndex(form.widgets["likelihood"].findData(3))
    form.widgets["impact"].setCurrentIndex(form.widgets["impact"].findData(4))
    form.widgets["review_date"].edit.clear()
    qtbot.keyClicks(form.widgets["review_date"].edit, "Early January 2018")
    assert form.widgets["review_date"].meaning.text() == "Means 1 January 2018 to 10 January 2018"
    ref = records.next_ref(reg, "risks")
    qtbot.keyClick(form.widgets["title"], Qt.Key.Key_Return)  # Enter presses Create
    created = records.get_record(reg, "risks", ref)
    assert created.title == "Estates not ready for the hub"
    assert (created.current.score, created.review_date.text) == (12, "Early January 2018")
    assert view.current_risk.ref == ref
    assert edits.stack.undoText() == f"New risk {ref}"
    edits.stack.undo()
    assert records.get_record(reg, "risks", ref) is None
    edits.stack.redo()
    assert records.get_record(reg, "risks", ref).title == "Estates not ready for the hub"


def test_new_milestone_action_and_comment(qtbot, edits, reg):
    milestones = shown(qtbot, MilestonesView(edits))
    dialog = milestones.record_actions.new()
    qtbot.keyClicks(dialog.form.widgets["title"], "Hub open to patients")
    press_ok(qtbot, dialog)
    assert dialog.form.messages["baseline"].text() == \
        "A milestone needs a baseline, forecast or actual date."
    qtbot.keyClicks(dialog.form.widgets["baseline"].edit, "Q4 2017/18")
    press_ok(qtbot, dialog)
    created = records.get_record(reg, "milestones", dialog.created.ref)
    assert (created.title, created.baseline.text) == ("Hub open to patients", "Q4 2017/18")

    actions = shown(qtbot, ActionsView(edits))
    dialog = actions.record_actions.new()
    press_ok(qtbot, dialog)
    assert dialog.form.messages["description"].text() == "A description is needed."
    qtbot.keyClicks(dialog.form.widgets["description"], "Book the estates walk-round")
    qtbot.keyClicks(dialog.form.widgets["due"].edit, "30/11/2017")
    press_ok(qtbot, dialog)
    assert records.get_record(reg, "actions", dialog.created.ref).due.latest.isoformat() == "2017-11-30"

    engagement = shown(qtbot, EngagementView(edits))
    engagement.events_table.selectRow(0)
    dialog = engagement.record_actions.new()
    event = engagement.events.keys[0]
    assert dialog.form.widgets["event"].text() == event.name  # starts at the chosen event
    qtbot.keyClicks(dialog.form.widgets["comment"], "Evening clinics would help carers")
    qtbot.keyClicks(dialog.form.widgets["themes"], "access, carers")
    press_ok(qtbot, dialog)
    saved = records.get_record(reg, "feedback", dialog.created.ref)
    assert (saved.event, saved.themes) == (event.name, ["access", "carers"])
    assert edits.stack.count() == 3


# --- deleting --------------------------------------------------------------------------------


def test_delete_a_risk_with_del_then_undo_brings_it_back_whole(qtbot, edits, reg):
    view = shown(qtbot, RisksView(edits))
    asked: list[str] = []
    view.record_actions.confirm = lambda parent, title, text: asked.append(text) or True
    view.select_ref("R-003")
    before = records.get_record(reg, "risks", "R-003")
    scores = history.score_history(reg, before.uuid)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert asked and asked[0].startswith(f"Delete the risk R-003: {before.title}?")
    assert f"Its {len(before.mitigations)} mitigating actions and {len(scores)} score reviews" \
        in asked[0]
    assert records.get_record(reg, "risks", "R-003") is None
    assert view.current_risk is not None and view.current_risk.ref != "R-003"
    total = records.total_records(reg, "risks")
    assert view.shown.text() == f"{total} of {total} risks shown"
    edits.stack.undo()
    assert records.get_record(reg, "risks", "R-003") == before
    assert history.score_history(reg, before.uuid) == scores
    assert view.model.row_of("R-003") >= 0
    edits.stack.redo()
    assert records.get_record(reg, "risks", "R-003") is None
    edits.stack.undo()
    assert records.get_record(reg, "risks", "R-003") == before


def test_delete_refused_by_the_user_writes_nothing(qtbot, edits, reg):
    view = shown(qtbot, ActionsView(edits))
    view.record_actions.confirm = lambda parent, title, text: False
    view.table.selectRow(0)
    ref = view.action.ref
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert records.get_record(reg, "actions", ref) is not None and edits.stack.count() == 0


# --- editing the rest of a risk -----------------------------------------------------------


def test_risk_title_owner_and_review_date_edits_are_undoable_and_audited(qtbot, edits, reg):
    view = shown(qtbot, RisksView(edits))
    view.select_ref("R-002")
    title = view.form.widgets["title"]
    old_title = title.text()
    title.selectAll()
    qtbot.keyClicks(title, "Workforce not in post in time")
    qtbot.keyClick(title, Qt.Key.Key_Return)
    assert records.get_record(reg, "risks", "R-002").title == "Workforce not in post in time"
    audit = [h for h in history.changes(reg, "risks") if h["ref"] == "R-002" and h["field"] == "title"]
    assert (audit[-1]["old"], audit[-1]["new"]) == (old_title, "Workforce not in post in time")
    review = view.form.widgets["review_date"].edit
    review.selectAll()
    qtbot.keyClicks(review, "Late December 2017")
    assert view.form.widgets["review_date"].meaning.text() == \
        "Means 21 December 2017 to 31 December 2017"
    qtbot.keyClick(review, Qt.Key.Key_Return)
    assert records.get_record(reg, "risks", "R-002").review_date.text == "Late December 2017"
    description = records.get_record(reg, "risks", "R-002").description
    assert description
    title.selectAll()
    qtbot.keyClick(title, Qt.Key.Key_Delete)
    qtbot.keyClick(title, Qt.Key.Key_Return)  # a risk may go by its description's first line
    assert records.get_record(reg, "risks", "R-002").title == description.split(". ")[0].rstrip(".") + "." \
        or description.startswith(records.get_record(reg, "risks", "R-002").title)
    assert edits.stack.count() == 3
    edits.stack.undo()
    edits.stack.undo()
    assert records.get_record(reg, "risks", "R-002").review_date is None or \
        records.get_record(reg, "risks", "R-002").review_date.text != "Late December 2017"
    edits.stack.undo()
    assert records.get_record(reg, "risks", "R-002").title == old_title


def test_closing_a_risk_asks_for_its_reason_and_saves_both_as_one_edit(qtbot, edits, reg):
    view = shown(qtbot, RisksView(edits))
    view.select_ref("R-005")
    status = view.form.widgets["status"]
    status.setCurrentIndex(status.findData("closed"))
    status.activated.emit(status.currentIndex())
    assert records.get_record(reg, "risks", "R-005").status != "closed"
    assert view.form.messages["closed_reason"].text().startswith("Say why the risk is closed")
    reason = view.form.widgets["closed_reason"]
    assert reason.isEnabled() and reason.hasFocus()
    qtbot.keyClicks(reason, "Contract signed; the risk has passed")
    qtbot.keyClick(reason, Qt.Key.Key_Return)
    saved = records.get_record(reg, "risks", "R-005")
    assert (saved.status, saved.closed_reason) == ("closed", "Contract signed; the risk has passed")
    assert edits.stack.undoText() == "Close R-005"
    edits.stack.undo()
    assert records.get_record(reg, "risks", "R-005").status == "open"


def test_mitigations_add_edit_move_remove_each_undoable(qtbot, edits, reg):
    view = shown(qtbot, RisksView(edits))
    view.select_ref("R-001")
    original = records.get_record(reg, "risks", "R-001").mitigations
    dialog = view.add_mitigation()
    dialog.form.widgets["due"].edit.setText("Smarch")
    dialog.check()
    assert dialog.form.messages["description"].text() == "A description of the action is needed."
    assert dialog.form.messages["due"].text()
    assert records.get_record(reg, "risks", "R-001").mitigations == original
    dialog.form.widgets["description"].setPlainText("Agree the TUPE list with the provider")
    qtbot.keyClicks(dialog.form.widgets["owner"], "HR Lead")
    dialog.form.widgets["due"].edit.setText("End of November 2017")
    dialog.check()
    items = records.get_record(reg, "risks", "R-001").mitigations
    assert len(items) == len(original) + 1
    assert (items[-1].owner, items[-1].due.text) == ("HR Lead", "Late November 2017")

    view.mitigation_table.selectRow(len(items) - 1)
    dialog = view.edit_mitigation()
    status = dialog.form.widgets["status"]
    status.setCurrentIndex(status.findData("complete"))
    dialog.check()
    assert records.get_record(reg, "risks", "R-001").mitigations[-1].status == "complete"

    view.mitigation_table.setFocus()
    qtbot.keyClick(view.mitigation_table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    moved = records.get_record(reg, "risks", "R-001").mitigations
    assert moved[-2].description == "Agree the TUPE list with the provider"
    qtbot.keyClick(view.mitigation_table, Qt.Key.Key_Delete)
    assert [m.description for m in records.get_record(reg, "risks", "R-001").mitigations] == \
        [m.description for m in original]
    assert edits.stack.undoText() == f"Remove mitigating action {len(original)} from R-001"
    edits.stack.undo()  # remove
    edits.stack.undo()  # move
    edits.stack.undo()  # edit
    assert records.get_record(reg, "risks", "R-001").mitigations[-1].status == "open"
    edits.stack.undo()  # add
    assert records.get_record(reg, "risks", "R-001").mitigations == original
    fields = {h["field"] for h in history.changes(reg, "risks") if h["ref"] == "R-001"}
    assert "mitigations" in fields


def test_milestone_and_action_text_fields(qtbot, edits, reg):
    view = shown(qtbot, MilestonesView(edits))
    view.table.selectRow(0)
    ref = view.milestone.ref
    notes = view.form.widgets["notes"]
    notes.setFocus()
    notes.selectAll()
    qtbot.keyClicks(notes, "Depends on the estates survey")
    qtbot.keyClick(notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert records.get_record(reg, "milestones", ref).notes == "Depends on the estates survey"
    owner = view.form.widgets["owner"]
    owner.selectAll()
    qtbot.keyClicks(owner, "Programme Director")
    qtbot.keyClick(owner, Qt.Key.Key_Return)
    assert records.get_record(reg, "milestones", ref).owner == "Programme Director"

    actions = shown(qtbot, ActionsView(edits))
    actions.table.selectRow(0)
    aref = actions.action.ref
    source = actions.form.widgets["source"]
    source.selectAll()
    qtbot.keyClicks(source, "Risk R-003")
    qtbot.keyClick(source, Qt.Key.Key_Return)
    assert records.get_record(reg, "actions", aref).source == "Risk R-003"
    description = actions.form.widgets["description"]
    description.setFocus()
    description.selectAll()
    qtbot.keyClick(description, Qt.Key.Key_Delete)
    qtbot.keyClick(description, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert actions.form.messages["description"].text() == "A description is needed."
    assert records.get_record(reg, "actions", aref).description
    edits.stack.undo()
    assert records.get_record(reg, "actions", aref).source != "Risk R-003"
    edits.stack.undo()
    edits.stack.undo()
    assert records.get_record(reg, "milestones", ref).notes != "Depends on the estates survey"


def test_mitigation_model(qtmodeltester, reg):
    from ooh_desk.gui.models import MitigationModel

    model = MitigationModel()
    risk = records.get_record(reg, "risks", "R-001")
    assert risk.mitigations, "the fixture's R-001 needs mitigations for this test to mean much"
    model.show(risk)
    qtmodeltester.check(model)
    assert model.rowCount() == len(risk.mitigations)
    first = risk.mitigations[0]
    assert [model.data(model.index(0, c)) for c in (0, 1, 3)] == \
        [first.description, first.owner, first.status.capitalize()]
    model.show(None)
    assert model.rowCount() == 0


# --- papers ---------------------------------------------------------------------------------


def test_new_paper_sections_outline_and_word_report(qtbot, edits, reg, tmp_path, monkeypatch):
    import docx
    from PySide6.QtWidgets import QMessageBox

    from ooh_desk.gui.views.papers import PapersView
    from ooh_desk.store.papers import get_paper

    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    view = shown(qtbot, PapersView(edits))
    view.paper.setFocus()
    qtbot.keyClick(view.paper, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = view.dialog
    assert dialog is not None and dialog.isVisible()
    fields = dialog.fields
    qtbot.keyClicks(fields.widgets["meeting"], "HWB-2017-12")
    press_ok(qtbot, dialog)
    assert fields.messages["title"].text() == "A paper needs a title."
    assert edits.stack.count() == 0
    qtbot.keyClicks(fields.widgets["title"], "Out of hospital: the hub business case")
    qtbot.keyClicks(fields.widgets["committee"], "Health and Wellbeing Board")
    qtbot.keyClicks(fields.widgets["author"], "Programme Manager")
    decision = fields.widgets["decision"]
    decision.setCurrentIndex(decision.findData("approval"))
    fields.widgets["style"].setCurrentIndex(fields.widgets["style"].findData("durham"))
    fields.block_boxes["feedback"].setChecked(False)
    fields.block_boxes["decisions"].setChecked(True)
    press_ok(qtbot, dialog)
    ref = dialog.created.ref
    paper = get_paper(reg, ref)
    assert (paper.title, paper.decision, paper.style) == (
        "Out of hospital: the hub business case", "approval", "durham")
    assert "feedback" not in paper.blocks and "decisions" in paper.blocks
    assert view.paper.currentData() == ref
    assert view.style.currentData() == "durham"

    view.section.setCurrentIndex(view.section.findData("purpose"))
    view.section_text.setFocus()
    qtbot.keyClicks(view.section_text, "To seek approval of the hub business case.")
    qtbot.keyClick(view.section_text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert get_paper(reg, ref).sections["purpose"] == "To seek approval of the hub business case."
    assert edits.stack.undoText() == f"Edit the purpose of {ref}"
    audit = [h for h in history.changes(reg, "papers") if h["ref"] == ref and h["field"] == "sections"]
    assert "hub business case" in audit[-1]["new"]
    edits.stack.undo()
    assert "purpose" not in get_paper(reg, ref).sections
    assert view.section_text.toPlainText() == ""
    edits.stack.redo()
    assert view.section_text.toPlainText() == "To seek approval of the hub business case."

    # The outline is read from the report itself: Durham headings, then blocks with rows.
    qtbot.waitUntil(lambda: "Purpose of the Report" in view.outline.toPlainText(), timeout=30000)
    outline = view.outline.toPlainText()
    assert outline.index("Purpose of the Report") < outline.index("Recommendations and reasons")
    open_risks = sum(1 for r in records.all_records(reg, "risks") if r.status != "closed")
    assert f"[table: {open_risks} rows — Current Risks, Mitigation]" in outline
    assert "Engagement Route" not in outline  # the feedback block was left out

    out = tmp_path / "paper.docx"
    task = view.write_report(out)
    with qtbot.waitSignal(task.finished, timeout=120000) as blocker:
        pass
    assert blocker.args[0] == "done", blocker.args
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "To seek approval of the hub business case." in text
    assert "Purpose of the Report" in text
    edits.stack.undo()
    edits.stack.undo()  # the new paper
    assert get_paper(reg, ref) is None
    assert view.paper.currentData() is None


def test_paper_field_edit_shows_problems_at_the_field(qtbot, edits, reg):
    from ooh_desk.gui.views.papers import PapersView
    from ooh_desk.services.papers import new_paper
    from ooh_desk.store.papers import get_paper

    paper = new_paper(reg, {"title": "Highlight report", "committee": "Programme Board"})
    view = shown(qtbot, PapersView(edits))
    view.refresh(select=paper.ref)
    title = view.fields.widgets["title"]
    title.selectAll()
    qtbot.keyClick(title, Qt.Key.Key_Delete)
    qtbot.keyClick(title, Qt.Key.Key_Return)
    assert view.fields.messages["title"].text() == "A paper needs a title."
    assert get_paper(reg, paper.ref).title == "Highlight report"
    sponsor = view.fields.widgets["sponsor"]
    qtbot.keyClicks(sponsor, "Director of Commissioning")
    qtbot.keyClick(sponsor, Qt.Key.Key_Return)
    assert get_paper(reg, paper.ref).sponsor == "Director of Commissioning"
    edits.stack.undo()
    assert get_paper(reg, paper.ref).sponsor == ""


# --- light and dark palettes --------------------------------------------------------------


@pytest.fixture
def dark_palette(qapp):
    from PySide6.QtGui import QColor, QPalette

    before = qapp.palette()
    palette = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#2b2b2b"),
                         (QPalette.ColorRole.WindowText, "#e6e6e6"),
                         (QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.Text, "#e6e6e6"),
                         (QPalette.ColorRole.Button, "#353535"),
                         (QPalette.ColorRole.ButtonText, "#e6e6e6")):
        palette.setColor(role, QColor(colour))
    qapp.setPalette(palette)
    yield palette
    qapp.setPalette(before)


def test_text_on_band_and_rag_fills_reads_under_a_dark_palette(qtbot, edits, reg, dark_palette):
    from PySide6.QtGui import QColor

    from ooh_desk.gui.colours import contrast

    risks = shown(qtbot, RisksView(edits))
    milestones = shown(qtbot, MilestonesView(edits))
    checked = set()
    for model in (risks.model, milestones.model, risks.history):
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                index = model.index(row, column)
                back = model.data(index, Qt.ItemDataRole.BackgroundRole)
                if back is None:
                    continue
                ink = model.data(index, Qt.ItemDataRole.ForegroundRole)
                assert ink is not None, (model, row, column)
                assert contrast(QColor(ink), QColor(back)) >= 4.5, (back.name(), ink.name())
                checked.add(QColor(back).name())
    assert len(checked) >= 6  # every band and RAG colour the demo uses
    # Words on fills in the detail panes: ink set with the fill, not left to the palette.
    risks.select_ref("R-003")
    assert "color: #000000" in risks.current.result.styleSheet()  # black reads best on red
    assert "color: #000000" in milestones.rag.styleSheet()
    # Problems in words stay readable on a dark window.
    assert "#FF8A80" in risks.form.messages["title"].styleSheet()
    assert "#FF8A80" in risks.current.message.styleSheet()
