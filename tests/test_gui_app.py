"""The app around the views: workshop capture by keystrokes only, the worker and Cancel, the
import wizard, dialogs for registers that cannot be opened, and the --smoke-test."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from conftest import run_cli_process, write_csv
from gui_support import wizard_on
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox

from ooh_desk.errors import UserError
from ooh_desk.gui import app as gui_app
from ooh_desk.gui import import_wizard
from ooh_desk.gui.capture import CaptureDialog
from ooh_desk.gui.import_wizard import ImportWizard, import_work
from ooh_desk.gui.worker import Cancelled, Progress, Task
from ooh_desk.store import Register, records

pytestmark = pytest.mark.gui


def focused(widget):
    return widget.focusWidget()


# --- workshop capture ----------------------------------------------------------------------


def test_capture_ten_comments_by_keystrokes_only(qtbot, edits, reg):
    dialog = CaptureDialog(edits)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.event.setCurrentIndex(dialog.event.findText("Patient and public engagement event"))
    before = records.total_records(reg, "feedback")
    dialog.comment.setFocus()
    for n in range(1, 11):
        assert focused(dialog) is dialog.comment
        qtbot.keyClicks(dialog.comment, f"Comment number {n} about parking at the clinic")
        qtbot.keyClick(dialog.comment, Qt.Key.Key_Tab)
        assert focused(dialog) is dialog.group
        qtbot.keyClicks(dialog.group, "Carers")
        qtbot.keyClick(dialog.group, Qt.Key.Key_Tab)
        assert focused(dialog) is dialog.themes
        qtbot.keyClicks(dialog.themes, "transport, parking")
        qtbot.keyClick(dialog.themes, Qt.Key.Key_Delete)  # drop any suggested ending
        qtbot.keyClick(dialog.themes, Qt.Key.Key_Return)
        assert dialog.comment.text() == "" and dialog.themes.text() == ""
    assert records.total_records(reg, "feedback") == before + 10
    saved = [f for f in records.all_records(reg, "feedback") if f.comment.startswith("Comment number")]
    assert len(saved) == 10
    assert all(f.event == "Patient and public engagement event" and f.stakeholder_group == "Carers"
               and f.themes == ["transport", "parking"] and f.date is not None for f in saved)
    assert dialog.count.text() == "10 comments captured in this session"
    assert "parking" in dialog.theme_words.stringList()


def test_capture_refuses_an_empty_comment_in_words(qtbot, edits, reg):
    dialog = CaptureDialog(edits)
    qtbot.addWidget(dialog)
    before = records.total_records(reg, "feedback")
    qtbot.keyClicks(dialog.themes, "access")
    qtbot.keyClick(dialog.themes, Qt.Key.Key_Return)
    assert "Type a comment" in dialog.message.text()
    assert records.total_records(reg, "feedback") == before


def test_capture_undo_removes_the_comment(qtbot, edits, reg):
    dialog = CaptureDialog(edits)
    qtbot.addWidget(dialog)
    before = records.total_records(reg, "feedback")
    qtbot.keyClicks(dialog.comment, "The bus does not stop at the new hub")
    qtbot.keyClick(dialog.comment, Qt.Key.Key_Return)
    assert records.total_records(reg, "feedback") == before + 1
    edits.stack.undo()
    assert records.total_records(reg, "feedback") == before
    edits.stack.redo()
    assert records.total_records(reg, "feedback") == before + 1


def test_themes_are_suggested_one_at_a_time(qtbot, edits):
    dialog = CaptureDialog(edits)
    qtbot.addWidget(dialog)
    assert "access" in dialog.theme_words.stringList()
    dialog.themes.setFocus()
    qtbot.keyClicks(dialog.themes, "transport, acc")
    assert dialog.themes.text() == "transport, access"  # the rest suggested, selected
    assert dialog.themes.selectedText() == "ess"
    qtbot.keyClick(dialog.themes, Qt.Key.Key_Delete)
    assert dialog.themes.text() == "transport, acc"  # Delete drops the suggestion
    qtbot.keyClicks(dialog.themes, "x")
    assert dialog.themes.text() == "transport, accx"  # no earlier theme: nothing suggested


# --- long work ------------------------------------------------------------------------------


def test_a_cancelled_worker_reports_cancelled(qtbot):
    started = threading.Event()

    def work(progress: Progress) -> str:
        started.set()
        for _ in range(10_000):
            progress.check()
            threading.Event().wait(0.01)
        return "finished anyway"

    task = Task("Waiting", work, show_dialog=False)
    with qtbot.waitSignal(task.finished, timeout=60000) as blocker:
        task.start()
        assert started.wait(30)
        task.cancel()
    assert blocker.args == ["cancelled", None]


def test_a_cancelled_import_writes_nothing(qtbot, reg, tmp_path, monkeypatch):
    source = write_csv(tmp_path / "more.csv", "description,owner,due\nBook the room,Clerk,1/12/2017\n"
                                              "Send the papers,Clerk,5/12/2017\n")
    before = records.total_records(reg, "actions")
    real_import = import_wizard.import_into
    progress_seen: list[Progress] = []

    def import_then_cancel(*args, **kwargs):
        report = real_import(*args, **kwargs)
        progress_seen[0].cancel()  # the user presses Cancel while the import is writing
        return report

    monkeypatch.setattr(import_wizard, "import_into", import_then_cancel)
    work = import_work(reg.path, source, kind="actions", sheet=None, overrides={})

    def tracked(progress: Progress):
        progress_seen.append(progress)
        return work(progress)

    task = Task("Importing", tracked, show_dialog=False)
    with qtbot.waitSignal(task.finished, timeout=60000) as blocker:
        task.start()
    assert blocker.args[0] == "cancelled"
    assert records.total_records(reg, "actions") == before
    with pytest.raises(Cancelled):
        cancelled = Progress()
        cancelled.cancel()
        work(cancelled)
    assert records.total_records(reg, "actions") == before


def test_a_failed_job_reports_the_users_error_in_words(qtbot):
    def work(progress: Progress) -> None:
        raise UserError("there is no file at /nowhere.csv")

    task = Task("Failing", work, show_dialog=False)
    with qtbot.waitSignal(task.finished, timeout=60000) as blocker:
        task.start()
    assert blocker.args == ["failed", "there is no file at /nowhere.csv"]


# --- the import wizard ----------------------------------------------------------------------


def test_import_wizard_maps_columns_dry_runs_then_imports(qtbot, edits, reg, tmp_path, monkeypatch):
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    source = write_csv(tmp_path / "our actions.csv",
                       "Action to take,Lead officer,Deadline,Notes\n"
                       "Book the venue for the locality event,Events team,1/12/2017,first\n"
                       "Print the easy-read summary,Comms team,Early December 2017,second\n")
    before = records.total_records(reg, "actions")
    wizard = wizard_on(qtbot, edits, source, "actions")
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page, wizard.file_page.message.text()
    combos = wizard.mapping_page.combos
    assert set(combos) == {"Action to take", "Lead officer", "Deadline", "Notes"}
    combos["Action to take"].setCurrentIndex(combos["Action to take"].findData("description"))
    combos["Lead officer"].setCurrentIndex(combos["Lead officer"].findData("owner"))
    combos["Deadline"].setCurrentIndex(combos["Deadline"].findData("due"))
    wizard.next()
    assert wizard.currentPage() is wizard.summary_page, wizard.mapping_page.message.text()
    assert wizard.summary_page.counts.text().startswith("2 new")
    assert wizard.summary_page.isComplete()
    assert records.total_records(reg, "actions") == before  # a dry run writes nothing
    with qtbot.waitSignal(wizard.imported, timeout=60000) as blocker:
        wizard.accept()
    assert blocker.args == ["actions"]
    found = {a.description: a for a in records.all_records(reg, "actions")}
    assert found["Print the easy-read summary"].owner == "Comms team"
    assert found["Print the easy-read summary"].due.text.startswith("Early December")


def test_import_wizard_shows_a_bad_file_at_the_field(qtbot, edits, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("nothing that looks like a register\n", "utf-8")
    wizard = ImportWizard(edits)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path.setText(str(bad))
    wizard.next()
    assert wizard.currentPage() is wizard.file_page
    assert "no recognisable columns" in wizard.file_page.message.text()


# --- opening registers ------------------------------------------------------------------------


@pytest.fixture
def dialogs(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda parent, title, text, *a: shown.append(text) or QMessageBox.StandardButton.Ok)
    return shown


def test_a_damaged_file_gives_a_dialog_not_a_crash(qtbot, reg, tmp_path, dialogs):
    window = gui_app.MainWindow(reg, remember_settings=False)
    qtbot.addWidget(window)
    damaged = tmp_path / "damaged.oohdesk"
    damaged.write_bytes(b"this is not a database at all" * 100)
    assert not window.switch_to(damaged)
    assert "not an OOH Desk register" in dialogs[-1]
    assert window.reg is reg  # still on the register it had


def test_a_register_from_a_newer_version_gives_a_dialog(qtbot, reg, register, dialogs):
    conn = sqlite3.connect(register)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    window = gui_app.MainWindow(reg, remember_settings=False)
    qtbot.addWidget(window)
    assert not window.switch_to(register)
    assert "newer version of OOH Desk" in dialogs[-1]


def test_window_title_names_programme_and_file_and_undo_is_ctrl_z(qtbot, reg):
    window = gui_app.MainWindow(reg, remember_settings=False)
    qtbot.addWidget(window)
    assert reg.programme.name in window.windowTitle()
    assert reg.path.name in window.windowTitle()
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    assert "Ctrl+Y" in [s.toString() for s in window.redo_action.shortcuts()]
    assert [window.tabs.tabText(n).split(" ", 1)[1] for n in range(window.tabs.count())] == \
        ["Dashboard", "Risks", "Milestones", "Engagement", "Actions", "Papers", "Meetings",
         "Conflicts", "Assurance", "Key decisions"]


def test_first_run_builds_the_demo(tmp_path, monkeypatch):
    demo = tmp_path / "data" / "demo.oohdesk"
    monkeypatch.setattr(gui_app, "recent_registers", lambda: [])
    monkeypatch.setattr("ooh_desk.gui.app.default_demo_path", lambda: demo)
    assert gui_app.first_register() == demo
    with Register.open(demo, readonly=True) as built:
        assert records.total_records(built, "risks") > 0


def test_every_control_a_keyboard_user_needs_has_an_accessible_name(qtbot, reg):
    from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPushButton, QTableView

    window = gui_app.MainWindow(reg, remember_settings=False)
    qtbot.addWidget(window)
    unnamed = []
    for view in window.views:
        for kind in (QComboBox, QLineEdit, QTableView):
            for w in view.findChildren(kind):
                if isinstance(w.parent(), QComboBox):  # a combo's own line edit
                    continue
                if not w.accessibleName():
                    unnamed.append(f"{type(view).__name__}: {type(w).__name__}")
        for w in view.findChildren(QPushButton) + view.findChildren(QCheckBox):
            if not w.accessibleName():
                unnamed.append(f"{type(view).__name__}: button")
    assert unnamed == []


# --- the smoke test, as a real process ---------------------------------------------------------


def test_smoke_test_opens_every_view_and_saves_screenshots(demo_copy, tmp_path):
    shots = tmp_path / "shots"
    result = run_cli_process("gui", demo_copy, "--smoke-test", "--screenshots", shots)
    assert result.code == 0, result.err
    names = sorted(p.name for p in shots.iterdir())
    assert names == sorted(f"{n}.png" for n in ("dashboard", "risks", "milestones", "engagement",
                                                  "actions", "papers", "meetings", "conflicts",
                                                  "assurance", "key decisions", "interests",
                                                  "options", "capture", "import"))
    for png in shots.iterdir():
        image = QImage(str(png))
        assert not image.isNull() and image.width() >= 600, png.name


def test_smoke_test_on_an_empty_register(register):
    result = run_cli_process("gui", register, "--smoke-test")
    assert result.code == 0, result.err


def test_smoke_test_fails_with_the_reason_for_a_damaged_file(tmp_path):
    damaged = tmp_path / "damaged.oohdesk"
    damaged.write_bytes(b"\x00garbage" * 500)
    result = run_cli_process("gui", damaged, "--smoke-test")
    assert result.code == 1
    assert "not an OOH Desk register" in result.err


def test_geometry_columns_and_view_are_remembered(qtbot, reg, tmp_path):
    from PySide6.QtCore import QSettings

    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    window = gui_app.MainWindow(reg)
    qtbot.addWidget(window)
    window.show()
    window.resize(950, 660)
    window.tabs.setCurrentIndex(2)
    risks = window.views[1].table.horizontalHeader()
    risks.resizeSection(2, 333)
    window.save_layouts()
    again = gui_app.MainWindow(reg)
    qtbot.addWidget(again)
    again.show()
    assert again.tabs.currentIndex() == 2
    assert again.views[1].table.horizontalHeader().sectionSize(2) == 333
    assert again.size().height() == 660  # (the offscreen screen is too narrow to test width)
    assert list(tmp_path.rglob("*.conf")) or list(tmp_path.rglob("*.ini"))


def test_reopening_the_last_register_writes_no_settings(tmp_path):
    """Each start remembers its register at the head of the recent list; when it is there
    already (most starts), nothing is written: no lock file, no rewrite, no disc sync."""
    from PySide6.QtCore import QSettings

    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    first, second = tmp_path / "first.oohdesk", tmp_path / "second.oohdesk"
    gui_app.remember(first)
    gui_app.remember(second)
    [written] = tmp_path.rglob("*.conf")
    before = written.stat()
    gui_app.remember(second)  # already first in the list
    after = written.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert gui_app.recent_registers() == [second.resolve(), first.resolve()]
    gui_app.remember(first)  # a change of order is written
    assert gui_app.recent_registers() == [first.resolve(), second.resolve()]
    assert written.stat().st_ino != before.st_ino or written.stat().st_mtime_ns != before.st_mtime_ns


def test_an_action_leads_to_the_risk_it_came_from(qtbot, reg):
    window = gui_app.MainWindow(reg, remember_settings=False)
    qtbot.addWidget(window)
    actions = window.views[4]
    row = actions.model.row_of("A-003")
    assert "R-004" in actions.model.record(row).action.source
    actions.table.selectRow(actions.proxy.mapFromSource(actions.model.index(row, 0)).row())
    actions.table.setFocus()
    qtbot.keyClick(actions.table, Qt.Key.Key_Return)
    assert window.tabs.currentWidget() is window.views[1]
    assert window.views[1].current_risk.ref == "R-004"
