"""The governance views (issue 17): Assurance (objectives and the BAF's principal risks and
sources of assurance), Key decisions (the forward plan's notice), the Meetings view's interests
and declarations, a paper's options editor and the dashboard's due list. Qt's model tester on
every new model; each edit written to the register, undone and redone; problems shown at the
field with nothing written; every focusable widget named for a screen reader and reached by
keyboard."""

from __future__ import annotations

import pytest
from gui_support import shown
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLineEdit, QWidget

from ooh_desk.gui.app import VIEWS, MainWindow
from ooh_desk.gui.models.due import DueModel
from ooh_desk.gui.models.governance import (
    AssuranceModel,
    DeclarationModel,
    FlagModel,
    InterestModel,
    KeyDecisionModel,
    KeyProxy,
    ObjectiveModel,
    OptionModel,
    PrincipalRiskModel,
    ScoreGridModel,
)
from ooh_desk.gui.views.assurance import AssuranceView
from ooh_desk.gui.views.dashboard import DashboardView
from ooh_desk.gui.views.key_decisions import KeyDecisionsView
from ooh_desk.gui.views.meetings import MeetingsView
from ooh_desk.gui.views.options_editor import OptionsEditor
from ooh_desk.services import assurance, interests, options
from ooh_desk.services.due import due_items
from ooh_desk.store import interests as interest_store
from ooh_desk.store import key_decisions as kd_store
from ooh_desk.store import meetings as meeting_store

pytestmark = pytest.mark.gui

SEPTEMBER = "CHWB-2017-09-04"


def objective(reg, ref):
    return assurance.store.get_objective(reg, ref)


def sources(reg, risk):
    uuid = next(reg.query("select uuid from risks where ref = ?", [risk]))["uuid"]
    return assurance.store.assurances_by_risk(reg, [uuid]).get(uuid, [])


def no_confirm(*_args):
    return True


def unnamed_focusable(root: QWidget) -> list[str]:
    """Every widget a keyboard user can Tab to that a screen reader would not name."""
    out = []
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root) or not (w.focusPolicy() & Qt.FocusPolicy.TabFocus):
            continue
        if w.parent() is not None and isinstance(w.parent(), (QComboBox,)):
            continue  # a combo's own line edit is named by the combo
        if isinstance(w, QLineEdit) and isinstance(w.parent(), QComboBox):
            continue
        if not w.accessibleName() and not (isinstance(w, QAbstractButton) and w.text()):
            out.append(f"{type(w).__name__} {w.objectName()!r}")
    return out


# --- models ---------------------------------------------------------------------------------------


def test_every_governance_model_passes_the_model_tester(qtmodeltester, reg):
    baf = assurance.baf_as_at(reg)
    models = []
    objectives = ObjectiveModel()
    objectives.show(baf)
    risks = PrincipalRiskModel()
    risks.show(baf, reg.programme.bands)
    sources_model = AssuranceModel()
    sources_model.show(baf.principal[0])
    decisions = KeyDecisionModel()
    decisions.show(kd_store.all_key_decisions(reg), reg.default_as_at())
    held = InterestModel()
    held.show(interest_store.all_interests(reg))
    meeting = meeting_store.find_meeting(reg, SEPTEMBER)
    declared = DeclarationModel()
    found = interest_store.declarations(reg, meeting)
    declared.show(found, ["minute"] * len(found))
    flags = FlagModel()
    flags.show(interests.interest_flags(reg, meeting))
    due = DueModel()
    due.show(due_items(reg))
    appraisal = options.paper_appraisal(reg, "OBC-001")
    long_list = OptionModel()
    long_list.show(appraisal.options)
    grid = ScoreGridModel()
    grid.show(appraisal, [o.name for o in appraisal.options])
    models = [objectives, risks, sources_model, decisions, held, declared, flags, due,
              long_list, grid, KeyProxy(risks)]
    for model in models:
        qtmodeltester.check(model)
        assert model.rowCount() > 0, type(model).__name__
    # Bands, ratings and warnings in words as well as colour.
    assert risks.rows[0][3].endswith("(Extreme)") and risks.rows[0][6] in (
        "Substantial", "Reasonable", "Limited", "No assurance")
    assert grid.rows[-1][0] == "Weighted total (out of 10)" and grid.rows[-1][1] == "100 of 100"
    assert grid.rows[-1][2] == "7.60"  # the preferred option, exactly


def test_the_scoring_grid_totals_live_and_refuses_what_is_not_a_score(qtmodeltester, reg):
    appraisal = options.paper_appraisal(reg, "OBC-001")
    grid = ScoreGridModel()
    grid.show(appraisal, [o.name for o in appraisal.options])
    qtmodeltester.check(grid)
    total = len(grid.criteria)
    assert not grid.setData(grid.index(0, 2), "11")
    assert "11 is not a score" in grid.problem and grid.rows[0][2] == "8"
    assert not grid.setData(grid.index(0, 2), "x")
    assert grid.setData(grid.index(0, 2), "10")  # 2 more points at weight 30: +0.60
    assert grid.rows[total][2] == "8.20" and grid.problem == ""
    assert grid.setData(grid.index(0, 1), "20")
    assert grid.rows[total][1] == "90 of 100"
    assert grid.weight_problem() == ("The weights total 90, not 100: add 10 before the "
                                     "appraisal can be saved.")
    assert not grid.flags(grid.index(total, 2)) & Qt.ItemFlag.ItemIsEditable


# --- Assurance ------------------------------------------------------------------------------------


def test_assurance_view_edits_objectives_undoably(qtbot, edits, reg):
    view = shown(qtbot, AssuranceView(edits))
    view.confirm = no_confirm
    assert view.objective.ref == "SO1"
    lead = view.objective_form.widgets["lead"]
    before = objective(reg, "SO1").lead
    lead.setText("Chief Nurse")
    lead.editingFinished.emit()
    assert objective(reg, "SO1").lead == "Chief Nurse"
    edits.stack.undo()
    assert objective(reg, "SO1").lead == before
    assert view.objective_form.widgets["lead"].text() == before
    edits.stack.redo()
    assert objective(reg, "SO1").lead == "Chief Nurse"

    dialog = view.new_objective()
    assert dialog.form.widgets["ref"].text() == "SO5"
    assert not dialog.create()  # no words: shown at the field, nothing written
    assert dialog.form.messages["objective"].isVisibleTo(dialog)
    assert objective(reg, "SO5") is None
    dialog.form.widgets["objective"].set_value("Be a good employer")
    assert dialog.create()
    assert objective(reg, "SO5").objective == "Be a good employer"
    edits.stack.undo()
    assert objective(reg, "SO5") is None
    edits.stack.redo()
    assert objective(reg, "SO5") is not None

    view.objectives_table.selectRow(view.objectives_proxy.row_of(lambda o: o.ref == "SO4"))
    assert view.delete_objective()
    assert objective(reg, "SO4") is None
    assert "SO4" not in [r[0] for r in view.objectives.rows]
    edits.stack.undo()
    assert objective(reg, "SO4").lead == "Head of Corporate Governance"


def test_a_source_of_assurance_is_edited_at_its_fields(qtbot, edits, reg):
    view = shown(qtbot, AssuranceView(edits))
    view.confirm = no_confirm
    risk = view.principal.ref
    held = sources(reg, risk)
    place, first = view.current_assurance()
    date = view.assurance_form.widgets["date"]
    date.edit.setText("31/02/2018")
    date.edit.editingFinished.emit()
    assert "Not understood" in date.meaning.text()  # at the field, in words
    assert sources(reg, risk) == held and edits.stack.count() == 0
    date.edit.setText(first.date.text if first.date else "")  # put right
    date.edit.editingFinished.emit()

    rating = view.assurance_form.widgets["rating"]
    rating.setCurrentIndex(rating.findData("negative"))
    rating.activated.emit(rating.currentIndex())
    assert sources(reg, risk)[place].rating == "negative"
    assert view.risks.rows[view.risks.row_of(lambda p: p.ref == risk)][6] == "Limited"
    edits.stack.undo()
    assert sources(reg, risk)[place].rating == first.rating

    action = view.assurance_form.widgets["action"]
    action.setText("A-999")
    action.editingFinished.emit()
    assert view.assurance_form.messages["action"].isVisibleTo(view)
    assert "no action A-999" in view.assurance_form.messages["action"].text()
    assert edits.stack.count() == 1  # the undone rating only

    dialog = view.new_assurance()
    dialog.form.widgets["control"].set_value("Quarterly deep dive at the Audit Committee")
    line = dialog.form.widgets["line"]
    line.setCurrentIndex(line.findData(3))
    dialog.form.widgets["date"].edit.setText("32 January 2018")
    assert not dialog.create()
    assert dialog.form.messages["date"].isVisibleTo(dialog)
    dialog.form.widgets["date"].edit.setText("15/01/2018")
    assert dialog.create()
    added = sources(reg, risk)[-1]
    assert (added.line, added.date.text) == (3, "15 January 2018")
    assert len(sources(reg, risk)) == len(held) + 1
    edits.stack.undo()
    assert len(sources(reg, risk)) == len(held)
    edits.stack.redo()
    view.assurances_table.selectRow(view.assurances_proxy.row_of(lambda p: p == len(held)))
    assert view.delete_assurance()
    assert len(sources(reg, risk)) == len(held)


# --- Key decisions --------------------------------------------------------------------------------


def test_key_decisions_show_notice_and_edit_undoably(qtbot, edits, reg):
    view = shown(qtbot, KeyDecisionsView(edits))
    view.confirm = no_confirm
    words = {row[0]: row[5] for row in view.model.rows}
    assert words["KD-006"] == "\u26a0 Notice late" and words["KD-003"] == "General exception"
    view.warnings_only.setChecked(True)
    assert [view.proxy.key(r).ref for r in range(view.proxy.rowCount())] == ["KD-006"]
    view.warnings_only.setChecked(False)

    dialog = view.new_decision()
    form = dialog.form
    form.widgets["matter"].set_value("Award of the home care framework")
    form.widgets["decision_maker"].set_value("Cabinet")
    form.widgets["date"].edit.setText("4 December 2017")
    form.widgets["published"].set_value("13/11/2017")  # 20 clear days
    form.widgets["exempt"].set_value("yes")
    assert not dialog.create()
    assert "paragraph" in form.messages["exempt"].text()
    form.widgets["exempt"].set_value("Paragraph 3")
    assert dialog.create()
    made = kd_store.get_key_decision(reg, "KD-007")
    assert (made.matter, made.exemption) == ("Award of the home care framework", "Paragraph 3")
    row = view.model.row_of(lambda kd: kd.ref == "KD-007")
    assert view.model.rows[row][4:6] == ("20", "\u26a0 General exception")
    assert "scrutiny" in view.notice.text()
    edits.stack.undo()
    assert kd_store.get_key_decision(reg, "KD-007") is None
    edits.stack.redo()
    assert kd_store.get_key_decision(reg, "KD-007").uuid == made.uuid

    view.table.selectRow(view.proxy.row_of(lambda kd: kd.ref == "KD-007"))
    published = view.form.widgets["published"]
    published.setText("Early December")
    published.editingFinished.emit()
    assert view.form.messages["published"].isVisibleTo(view)
    assert kd_store.get_key_decision(reg, "KD-007").published == made.published
    published.setText("13/11/2017")  # put right: the other fields save again
    published.editingFinished.emit()
    notice = view.form.widgets["notice"]
    notice.setCurrentIndex(notice.findData("general exception"))
    notice.activated.emit(notice.currentIndex())
    assert kd_store.get_key_decision(reg, "KD-007").notice == "general exception"
    edits.stack.undo()
    assert kd_store.get_key_decision(reg, "KD-007").notice == ""

    assert view.delete_decision()
    assert kd_store.get_key_decision(reg, "KD-007") is None
    edits.stack.undo()
    assert kd_store.get_key_decision(reg, "KD-007").matter == made.matter


# --- Interests and declarations -------------------------------------------------------------------


def test_declarations_and_interests_in_the_meetings_view(qtbot, edits, reg):
    view = shown(qtbot, MeetingsView(edits))
    view.select_ref(SEPTEMBER)
    view.sections.setCurrentWidget(view.interests_editor)
    part = view.interests_editor
    meeting = meeting_store.find_meeting(reg, SEPTEMBER)
    count = len(interest_store.declarations(reg, meeting))
    assert ("A Hardy", "hospital") in [(r[1], r[4]) for r in part.flags.rows]

    part.item.setCurrentIndex(part.item.findData("7"))
    part.member.setEditText("A Hardy")
    part.interest.setText("Chief Executive of the acute trust")
    part.kind.setCurrentIndex(part.kind.findData("disclosable pecuniary"))
    assert not part.record_declaration()  # a pecuniary interest needs what they did
    assert part.problem.isVisibleTo(view) and "what the member did" in part.problem.text()
    assert len(interest_store.declarations(reg, meeting)) == count
    part.action.setCurrentIndex(part.action.findData("withdrew"))
    assert part.record_declaration()
    declared = interest_store.declarations(reg, meeting)
    assert len(declared) == count + 1
    assert ("A Hardy", "Withdrew") in [(r[1], r[4]) for r in part.declarations.rows]
    assert any("withdrew from the meeting" in r[5] for r in part.declarations.rows)
    edits.stack.undo()
    assert len(interest_store.declarations(reg, meeting)) == count
    edits.stack.redo()
    assert len(interest_store.declarations(reg, meeting)) == count + 1
    row = part.declarations.row_of(lambda d: d.member == "A Hardy")
    part.declarations_table.selectRow(row)
    assert part.remove_declaration()
    assert len(interest_store.declarations(reg, meeting)) == count

    held = len(interest_store.all_interests(reg))
    dialog = part.new_interest()
    dialog.form.widgets["member"].set_value("A Hardy")
    dialog.form.widgets["interest"].set_value("Trustee of the hospital charity")
    dialog.form.widgets["from"].set_value("31/02/2017")
    assert not dialog.create()
    assert dialog.form.messages["from"].isVisibleTo(dialog)
    dialog.form.widgets["from"].set_value("01/04/2017")
    assert dialog.create()
    assert len(interest_store.all_interests(reg)) == held + 1
    assert "Trustee of the hospital charity" in [r[2] for r in part.interests.rows]
    edits.stack.undo()
    assert len(interest_store.all_interests(reg)) == held
    edits.stack.redo()
    ref = next(i.ref for i in interest_store.all_interests(reg) if "charity" in i.interest)
    proxy = part.interests_table.model()
    part.interests_table.selectRow(proxy.row_of(lambda i: i.ref == ref))
    assert part.remove_interest()
    assert ref not in [i.ref for i in interest_store.all_interests(reg)]
    edits.stack.undo()
    assert ref in [i.ref for i in interest_store.all_interests(reg)]


# --- Options appraisal ----------------------------------------------------------------------------


def test_the_options_editor_saves_only_an_appraisal_that_adds_up(qtbot, edits, reg):
    editor = shown(qtbot, OptionsEditor(edits, "OBC-001"))
    before = options.paper_appraisal(reg, "OBC-001")
    grid = editor.grid
    assert grid.setData(grid.index(0, 1), "20")
    assert editor.grid_problem.isVisibleTo(editor)
    assert "total 90, not 100" in editor.grid_problem.text()
    assert not editor.save()
    assert options.paper_appraisal(reg, "OBC-001") == before and edits.stack.count() == 0
    assert grid.setData(grid.index(1, 1), "35")  # 20 + 35 + 20 + 15 + 10 = 100
    assert not editor.grid_problem.isVisibleTo(editor)
    assert editor.options.setData(editor.options.index(0, 0), "Lead provider")
    assert grid.headings[2] == "Lead provider"  # the grid follows the new name
    assert not editor.options.setData(editor.options.index(1, 4), "maybe")
    assert "not a verdict" in editor.options_problem.text()
    assert editor.save()
    saved = options.paper_appraisal(reg, "OBC-001")
    assert saved.options[0].name == "Lead provider" and dict(saved.criteria())[
        saved.criteria()[0][0]] == 20
    assert options.appraisal_to_json(saved)["totals"]["Lead provider"] == \
        grid.rows[-1][2]
    assert editor.saved.text() == "Saved"
    edits.stack.undo()
    assert options.paper_appraisal(reg, "OBC-001") == before
    assert editor.options.rows[0][0] == before.options[0].name  # the editor shows it again
    edits.stack.redo()
    assert options.paper_appraisal(reg, "OBC-001").options[0].name == "Lead provider"


# --- the dashboard and the main window -------------------------------------------------------------


def test_the_dashboard_lists_what_is_due_overdue_first(qtbot, edits, reg):
    view = shown(qtbot, DashboardView(edits))
    rows = view.due.rows
    expected = due_items(reg)
    assert len(rows) == len(expected) > 0
    whens = [r[0] for r in rows]
    late = sum(1 for w in whens if w == "Overdue")
    assert late > 0 and whens[:late] == ["Overdue"] * late
    assert all(w.startswith("Due ") for w in whens[late:])
    assert rows[0][2] == expected[0].words
    assert view.due_tabs.tabText(0).startswith(f"Due and overdue ({late} overdue")


def test_the_new_views_are_tabs_built_on_first_use(qtbot, reg):
    window = MainWindow(reg, remember_settings=False)
    qtbot.addWidget(window)
    assert [v.key for v in VIEWS][-2:] == ["assurance", "key_decisions"]
    assert window.tabs.tabText(8) == "&9 Assurance" and window.tabs.tabText(9) == "1&0 Key decisions"
    assert not any(isinstance(v, (AssuranceView, KeyDecisionsView)) for v in window.built_views())
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    shortcuts = {a.text(): a.shortcut().toString() for a in view_menu.actions()}
    assert shortcuts["Assurance"] == "Ctrl+9" and shortcuts["Key decisions"] == "Ctrl+0"
    next(a for a in view_menu.actions() if a.text() == "Key decisions").trigger()
    assert isinstance(window.tabs.currentWidget(), KeyDecisionsView)
    assert not any(isinstance(v, AssuranceView) for v in window.built_views())


def test_every_focusable_widget_is_named_and_reached_by_keyboard(qtbot, edits):
    for view in (AssuranceView(edits), KeyDecisionsView(edits), OptionsEditor(edits, "OBC-001")):
        shown(qtbot, view, activate=True)
        assert unnamed_focusable(view) == [], type(view).__name__
        # Tab walks from the first table through every table of the view.
        tables = [t for t in view.findChildren(QWidget) if t.metaObject().className() ==
                  "QTableView" and t.isVisibleTo(view)]
        tables[0].setFocus()
        reached = set()
        for _ in range(200):
            reached.add(QApplication.focusWidget())
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert set(tables) <= reached, type(view).__name__
        view.close()
    meetings = shown(qtbot, MeetingsView(edits))
    meetings.sections.setCurrentWidget(meetings.interests_editor)
    assert unnamed_focusable(meetings.interests_editor) == []


def test_ctrl_n_in_the_key_decisions_view_opens_a_new_decision(qtbot, edits):
    view = shown(qtbot, KeyDecisionsView(edits), activate=True)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert view.dialog is not None and view.dialog.isVisible()
    view.dialog.reject()
