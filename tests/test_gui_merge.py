"""Merging in the app (issue 14, item 4): File > Merge another copy… with a dry-run summary
first, the Conflicts view with base / ours / theirs side by side and a one-key choice (O keeps
ours, T takes theirs, each undone with Ctrl+Z), and the dashboard line that leads there."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest
from conftest import edit, new_risk
from gui_support import shown
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from ooh_desk.gui import app as gui_app
from ooh_desk.gui.edits import Edits
from ooh_desk.gui.merge_dialog import summary_lines
from ooh_desk.gui.models.conflicts import ConflictModel
from ooh_desk.gui.views.conflicts import ConflictsView
from ooh_desk.services.merge import copy_register, merge
from ooh_desk.store import Register, records

pytestmark = pytest.mark.gui
WAIT = 60000  # a merge of the demo takes a second or two; a slow machine gets longer




def value(path: Path, kind: str, ref: str, name: str):
    with Register.open(path, readonly=True) as reg:
        record = records.get_record(reg, kind, ref)
        return None if record is None else getattr(record, name)


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def laptops(demo_copy, tmp_path):
    """Ann's and Ben's copies of the demo: both changed R-003's owner and both made R-021."""
    ann, ben = tmp_path / "ann.oohdesk", tmp_path / "ben.oohdesk"
    copy_register(demo_copy, ann, "Ann")
    copy_register(demo_copy, ben, "Ben")
    edit(ann, "risks", "R-003", "ann", owner="Programme Director")
    edit(ben, "risks", "R-003", "ben", owner="Chief Finance Officer")
    new_risk(ann, "Estates not ready for the hub", "ann")
    new_risk(ben, "Digital records not shared across providers", "ben")
    edit(ben, "milestones", "M-002", "ben", title="Options appraisal signed off by both boards")
    return ann, ben


@pytest.fixture
def window(qtbot, laptops, monkeypatch):
    """The app on Ann's copy, with the file dialog answering Ben's copy."""
    ann, ben = laptops
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *args, **kwargs: (str(ben), "")))
    reg = Register.open(ann, user="ann")
    main = gui_app.MainWindow(reg, remember_settings=False)
    shown(qtbot, main, activate=True)
    yield main
    main.close()


def file_menu_action(window, text: str):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    return next(a for a in menu.actions() if a.text() == text)


def wait_for_box(qtbot, flow, words: str):
    qtbot.waitUntil(lambda: flow.box is not None and flow.box.isVisible()
                    and words in flow.box.text(), timeout=WAIT)
    return flow.box


def activate(qtbot, window):
    """The window active again once a message box has closed (keys reach only it)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def merged_through_the_menu(qtbot, window):
    file_menu_action(window, "&Merge another copy…").trigger()
    flow = window.merge_flow
    wait_for_box(qtbot, flow, "would bring in")
    flow.merge_button.click()
    wait_for_box(qtbot, flow, "Merged ben.oohdesk into ann.oohdesk")
    return flow


# --- File > Merge another copy… ------------------------------------------------------------


def test_merge_from_the_menu_shows_the_dry_run_then_merges_and_says_what_happened(
        qtbot, window, laptops):
    ann, ben = laptops
    before = file_hash(ann)
    window.view_named("risks")  # a view built before the merge is built again after it
    file_menu_action(window, "&Merge another copy…").trigger()
    flow = window.merge_flow
    box = wait_for_box(qtbot, flow, "would bring in")
    text = box.text()
    assert "Merging ben.oohdesk into ann.oohdesk would bring in" in text
    assert "Risks: 1 new, 1 conflict, 1 renumbered" in text
    assert "R-021 is now R-022 (Digital records not shared across providers)" in text
    assert "Milestones: 1 updated" in text
    assert "cannot be undone" in box.informativeText()
    assert file_hash(ann) == before  # the dry run wrote nothing
    flow.merge_button.click()
    done = wait_for_box(qtbot, flow, "Merged ben.oohdesk into ann.oohdesk")
    assert "1 conflict (the same thing changed on both copies) kept" in done.text()
    assert flow.backup is not None and flow.backup.exists()
    assert str(flow.backup) in done.informativeText()
    assert value(flow.backup, "risks", "R-022", "title") is None  # the register as it was
    # Every view shows the register as merged; the undo history starts again.
    assert window.edits.stack.count() == 0
    assert window.built_views()[0].conflicts.isVisible()
    risks = window.view_named("risks")
    assert risks.model.row_of("R-022") >= 0
    assert value(ann, "risks", "R-022", "title") == "Digital records not shared across providers"
    assert value(ann, "milestones", "M-002", "title") == \
        "Options appraisal signed off by both boards"
    # "Show the conflicts" goes to the Conflicts view.
    show = next(b for b in done.buttons() if b.text() == "Show the &conflicts")
    show.click()
    assert type(window.tabs.currentWidget()).__name__ == "ConflictsView"
    assert window.tabs.tabText(window.tabs.currentIndex()) == "&8 Conflicts"


def test_cancelling_at_the_summary_merges_nothing(qtbot, window, laptops):
    ann, _ = laptops
    before = file_hash(ann)
    file_menu_action(window, "&Merge another copy…").trigger()
    flow = window.merge_flow
    box = wait_for_box(qtbot, flow, "would bring in")
    box.button(box.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: flow.box is None or not flow.box.isVisible())
    assert "Cancelled; nothing was merged" in window.status.text()
    assert file_hash(ann) == before


def test_a_register_that_is_not_a_copy_is_refused_in_one_plain_message(qtbot, window, laptops,
                                                                       tmp_path, monkeypatch):
    from ooh_desk.services.registers import init_register

    ann, _ = laptops
    stranger = init_register(tmp_path / "stranger.oohdesk", "Another programme")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *args, **kwargs: (str(stranger), "")))
    before = file_hash(ann)
    file_menu_action(window, "&Merge another copy…").trigger()
    box = wait_for_box(qtbot, window.merge_flow, "Nothing was merged")
    assert "not copies of one register" in box.text()
    assert "Traceback" not in box.text() and len(box.text().splitlines()) == 1
    assert file_hash(ann) == before


def test_the_summary_says_when_there_is_nothing_to_merge(qtbot, window, laptops):
    _, ben = laptops
    merged_through_the_menu(qtbot, window).box.close()
    file_menu_action(window, "&Merge another copy…").trigger()
    box = wait_for_box(qtbot, window.merge_flow, "nothing to merge")
    assert box.text() == ("ann.oohdesk already holds every change made in ben.oohdesk; there "
                          "is nothing to merge.")


def test_a_merge_cancelled_after_writing_but_before_it_commits_writes_nothing(laptops,
                                                                            monkeypatch):
    from ooh_desk.gui.merge_dialog import merge_work
    from ooh_desk.gui.worker import Cancelled, Progress
    from ooh_desk.store import changes

    ann, ben = laptops
    before = file_hash(ann)
    progress = Progress()
    write = changes.apply_plan

    def written_then_cancelled(*args, **kwargs):
        refs = write(*args, **kwargs)
        progress.cancel()  # the user presses Cancel as the last record is written
        return refs

    monkeypatch.setattr(changes, "apply_plan", written_then_cancelled)
    with pytest.raises(Cancelled):
        merge_work(ann, ben)(progress)
    assert file_hash(ann) == before
    assert not list(ann.parent.glob("ann before merge*"))  # no copy left for a merge not made


# --- the Conflicts view --------------------------------------------------------------------


def test_the_conflicts_view_settles_by_one_key_and_undo_puts_ours_back(qtbot, window, laptops):
    ann, _ = laptops
    merged_through_the_menu(qtbot, window).box.close()
    dashboard = window.built_views()[0]
    assert dashboard.conflicts.isVisible()
    assert dashboard.conflicts.accessibleName() == "1 conflict to settle"
    qtbot.mouseClick(dashboard.conflicts, Qt.MouseButton.LeftButton)
    view = window.tabs.currentWidget()
    assert isinstance(view, ConflictsView)
    assert view.proxy.rowCount() == 1
    cells = [view.proxy.index(0, n).data() for n in range(view.proxy.columnCount())]
    assert cells[:7] == ["C-001", "Risk", "R-003", "owner", "Director of Commissioning",
                         "Programme Director", "Chief Finance Officer"]
    assert cells[7].startswith("ann, ") and cells[8].startswith("ben, ")
    assert cells[9] == "Open"
    assert view.ours.value.text() == "Programme Director"
    assert view.theirs.value.text() == "Chief Finance Officer"
    assert view.base.value.text() == "Director of Commissioning"
    assert view.theirs.title() == "Theirs: ben.oohdesk"
    assert (view.keep_ours.accessibleName(), view.take_theirs.accessibleName()) == \
        ("Keep ours", "Take theirs")
    # T takes theirs: written, the conflict settled and hidden, the dashboard line gone.
    activate(qtbot, window)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_T)
    assert value(ann, "risks", "R-003", "owner") == "Chief Finance Officer"
    risks = window.view_named("risks").model  # the Risks view reads the risk again
    assert risks.record(risks.row_of("R-003")).risk.owner == "Chief Finance Officer"
    assert view.proxy.rowCount() == 0
    assert not dashboard.conflicts.isVisibleTo(dashboard)
    assert window.edits.stack.undoText() == "Settle C-001: take theirs"
    view.show_settled.setChecked(True)
    assert view.proxy.rowCount() == 1 and view.proxy.index(0, 9).data() == "Settled: took theirs"
    view.show_settled.setChecked(False)
    # Ctrl+Z: ours is back and the conflict open again, the dashboard line with it.
    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert value(ann, "risks", "R-003", "owner") == "Programme Director"
    assert risks.record(risks.row_of("R-003")).risk.owner == "Programme Director"
    assert view.proxy.rowCount() == 1 and view.proxy.index(0, 9).data() == "Open"
    assert dashboard.conflicts.isVisibleTo(dashboard)
    # O keeps ours: nothing written to the risk, the conflict settled.
    qtbot.keyClick(view.table, Qt.Key.Key_O)
    assert value(ann, "risks", "R-003", "owner") == "Programme Director"
    with Register.open(ann, readonly=True) as reg:
        settled = list(reg.db["conflicts"].rows)
    assert [(c["status"], c["taken"]) for c in settled] == [("settled", "ours")]
    assert not dashboard.conflicts.isVisibleTo(dashboard)


def test_taking_theirs_deletes_a_record_and_undo_brings_it_back_whole(qtbot, demo_copy,
                                                                      tmp_path):
    ann, ben = tmp_path / "ann.oohdesk", tmp_path / "ben.oohdesk"
    copy_register(demo_copy, ann)
    copy_register(demo_copy, ben)
    edit(ann, "risks", "R-006", "ann", title="Still very much a risk")
    with Register.open(ben) as reg:
        records.delete_record(reg, "risks", "R-006")
    merge(ann, ben)
    with Register.open(ann) as reg:
        before = records.get_record(reg, "risks", "R-006")
        scores = reg.db["risk_scores"].count_where("risk_uuid = ?", [before.uuid])
        edits = Edits(reg)
        view = ConflictsView(edits)
        shown(qtbot, view, (1100, 700))
        assert "taking theirs deletes Risk R-006" in view.outcome.text()
        assert view.settle("theirs")
        assert records.get_record(reg, "risks", "R-006") is None
        edits.stack.undo()
        after = records.get_record(reg, "risks", "R-006")
        assert after == before
        assert reg.db["risk_scores"].count_where("risk_uuid = ?", [before.uuid]) == scores
        assert view.proxy.index(0, 9).data() == "Open"
        edits.stack.redo()
        assert records.get_record(reg, "risks", "R-006") is None
        view.close()


def test_taking_theirs_restores_a_record_ours_deleted_and_a_programme_name_and_undo_too(
        demo_copy, tmp_path):
    from ooh_desk.services.merge import settle_conflict, unsettle_conflict

    ann, ben = tmp_path / "ann.oohdesk", tmp_path / "ben.oohdesk"
    copy_register(demo_copy, ann)
    copy_register(demo_copy, ben)
    with Register.open(ann) as reg:
        records.delete_record(reg, "risks", "R-006")
        reg.set_programme(dataclasses.replace(reg.programme, name="Ann's name for it"))
    edit(ben, "risks", "R-006", "ben", title="Edited on Ben's laptop")
    with Register.open(ben) as reg:
        reg.set_programme(dataclasses.replace(reg.programme, name="Ben's name for it"))
    assert len(merge(ann, ben).conflicts) == 2
    with Register.open(ann) as reg:
        kinds = {c["kind"]: c["ref"] for c in reg.db["conflicts"].rows}
        restored = settle_conflict(reg, kinds["risks"], "theirs")
        assert records.get_record(reg, "risks", "R-006").title == "Edited on Ben's laptop"
        renamed = settle_conflict(reg, kinds["programme"], "theirs")
        assert reg.programme.name == "Ben's name for it"
        unsettle_conflict(reg, renamed)
        assert reg.programme.name == "Ann's name for it"
        unsettle_conflict(reg, restored)
        assert records.get_record(reg, "risks", "R-006") is None
        assert {c["status"] for c in reg.db["conflicts"].rows} == {"open"}
        undone = [a for a in reg.db["audit"].rows if a["operation"] == "undo"]
        assert {(a["kind"], a["new"]) for a in undone} >= {("risks", "deleted"),
                                                           ("conflicts", "open")}


def test_the_conflict_model_passes_qts_model_tester(qtmodeltester, laptops):
    ann, ben = laptops
    merge(ann, ben)
    with Register.open(ann) as reg:
        model = ConflictModel(reg)
        assert model.rowCount() == 1
        qtmodeltester.check(model)


def test_the_dashboard_line_is_hidden_without_conflicts(qtbot, reg):
    window = gui_app.MainWindow(reg, remember_settings=False)
    shown(qtbot, window)
    assert not window.built_views()[0].conflicts.isVisibleTo(window)
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    next(a for a in view_menu.actions() if a.shortcut().toString() == "Ctrl+8").trigger()
    view = window.tabs.currentWidget()
    assert isinstance(view, ConflictsView)
    assert view.summary.text().startswith("No conflicts.")
    assert not view.keep_ours.isEnabled() and not view.take_theirs.isEnabled()
    window.close()


def test_the_summary_in_words_names_every_kind_and_renumbered_ref(laptops):
    ann, ben = laptops
    lines = summary_lines(merge(ann, ben, dry_run=True))
    assert lines[0] == "Merging ben.oohdesk into ann.oohdesk would bring in 3 changes:"
    assert "    R-021 is now R-022 (Digital records not shared across providers)" in lines
