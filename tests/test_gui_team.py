"""Team sync in the app (issue 15, item 5), against a real PostgreSQL server: File > Join a team
register… makes and opens a working copy; Ctrl+Shift+S (or the Sync button) pulls the team's
changes, pushes ours and the status bar says "0 local changes"; a server that cannot be
reached is one plain message and the changes wait; a refused login asks for the password and
tries again; Cancel before the server commits leaves both sides as they were; every control
is reachable by keyboard and named for a screen reader."""

from __future__ import annotations

import dataclasses
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import edit
from gui_support import shown
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QToolButton

from ooh_desk.gui import app as gui_app
from ooh_desk.gui.sync import NOT_JOINED
from ooh_desk.services import team
from ooh_desk.store import Register, records

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
pytestmark = pytest.mark.gui
WAIT = 60000  # a sync of the demo takes a second or two; a slow machine gets longer
SYNC_KEYS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def value(path: Path, kind: str, ref: str, name: str):
    with Register.open(path, readonly=True) as reg:
        return getattr(records.get_record(reg, kind, ref), name)



def server_changes(pg_db) -> int:
    with pg_db.admin() as conn:
        return conn.execute("select count(*) from ooh.changes").fetchone()[0]


@pytest.fixture
def published(pg_db, demo_copy):
    """The demo published to a fresh database as the team register `ooh`."""
    team.publish(demo_copy, pg_db.url, schema="ooh")
    return demo_copy


@pytest.fixture
def open_window(qtbot):
    windows = []

    def on(path: Path, user: str = "ann"):
        main = gui_app.MainWindow(Register.open(path, user=user), remember_settings=False)
        shown(qtbot, main, activate=True)
        windows.append(main)
        return main

    yield on
    for main in windows:
        main.close()


def file_menu_action(window, text: str):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    return next(a for a in menu.actions() if a.text() == text)


def activate(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def press_sync(qtbot, window):
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_S, SYNC_KEYS)


def wait_for_box(qtbot, flow, words: str):
    qtbot.waitUntil(lambda: flow.box is not None and flow.box.isVisible()
                    and words in flow.box.text(), timeout=WAIT)
    return flow.box


def edit_in_app(window, ref: str, **values) -> None:
    """An edit as the Risks view makes it: through the window's undo stack."""
    before = records.get_record(window.reg, "risks", ref)
    assert window.edits.save("risks", before, dataclasses.replace(before, **values),
                             f"Edit risk {ref}")


def joined_copy(pg_db, tmp_path: Path, name: str) -> Path:
    local = tmp_path / f"{name}.oohdesk"
    team.join(pg_db.url, local, schema="ooh")
    return local


# --- joining, editing, syncing -------------------------------------------------------------------


def test_join_through_the_dialog_then_ctrl_shift_s_pulls_and_pushes(
        qtbot, published, pg_db, tmp_path, open_window, monkeypatch, register):
    window = open_window(register)  # a register on no team
    assert not file_menu_action(window, "S&ync with the team register").isEnabled()
    local = tmp_path / "laptop"  # the dialog adds .oohdesk
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args, **kwargs: (str(local), "")))
    file_menu_action(window, "&Join a team register…").trigger()
    dialog = window.join_dialog
    qtbot.waitExposed(dialog)
    dialog.url.setText(pg_db.url)
    dialog.schema.setText("ooh")
    qtbot.mouseClick(dialog.choose, Qt.MouseButton.LeftButton)
    assert dialog.local.text() == str(local)
    qtbot.mouseClick(dialog.join_button, Qt.MouseButton.LeftButton)
    joined = local.with_suffix(".oohdesk")
    qtbot.waitUntil(lambda: window.reg is not None and window.reg.path == joined, timeout=WAIT)
    sync_action = file_menu_action(window, "S&ync with the team register")
    assert sync_action.isEnabled() and sync_action.shortcut().toString() == "Ctrl+Shift+S"
    assert window.team.toolbar.isVisible()
    label = window.team.label
    qtbot.waitUntil(lambda: label.text() == "last synced just now · 0 local changes")

    # Someone else on the team changes a risk meanwhile; here, another is edited.
    ben = joined_copy(pg_db, tmp_path, "ben")
    edit(ben, "risks", "R-002", "ben", owner="Head of Estates")
    team.sync(ben)
    risks = window.show_view("risks")
    edit_in_app(window, "R-003", owner="Programme Director")
    assert label.text() == "last synced just now · 1 local change"
    assert window.edits.stack.count() == 1

    before = server_changes(pg_db)
    press_sync(qtbot, window)
    flow = window.team.flow
    box = wait_for_box(qtbot, flow, "Synced laptop.oohdesk with the team register ooh")
    assert "1 change pulled, 1 change pushed" in box.text()
    assert "cannot be undone with Edit &gt; Undo" in box.informativeText() or \
        "cannot be undone with Edit > Undo" in box.informativeText()
    assert label.text() == "last synced just now · 0 local changes"
    assert server_changes(pg_db) == before + 1
    # Every view is built afresh from the register as the sync left it, undo starts again.
    assert window.edits.stack.count() == 0
    assert window.view_named("risks") is not risks
    assert value(joined, "risks", "R-002", "owner") == "Head of Estates"
    team.sync(ben)
    assert value(ben, "risks", "R-003", "owner") == "Programme Director"
    box.close()


def test_a_sync_that_leaves_a_conflict_leads_to_the_conflicts_view(
        qtbot, published, pg_db, tmp_path, open_window):
    mine, theirs = joined_copy(pg_db, tmp_path, "mine"), joined_copy(pg_db, tmp_path, "theirs")
    edit(theirs, "risks", "R-003", "ben", owner="Chief Finance Officer")
    team.sync(theirs)
    window = open_window(mine)
    edit_in_app(window, "R-003", owner="Programme Director")
    press_sync(qtbot, window)
    flow = window.team.flow
    box = wait_for_box(qtbot, flow, "1 conflict")
    assert "settle in the Conflicts view" in box.text()
    assert flow.show_button.accessibleName() == "Show the conflicts"
    flow.show_button.click()
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is window.view_named("conflicts"))
    assert window.team.label.text().endswith("· 0 local changes")


# --- when the server cannot be reached or refuses ----------------------------------------------


def test_an_unreachable_server_is_a_plain_message_and_the_changes_wait(
        qtbot, published, pg_db, tmp_path, open_window):
    laptop = joined_copy(pg_db, tmp_path, "laptop")
    with Register.open(laptop) as reg, reg.transaction():
        held = team.team_settings(reg)
        held["url"] = "postgresql://ann@127.0.0.1:1/nowhere"  # nothing listens on port 1
        reg.conn.execute("update meta set value = ? where key = 'team'", [json.dumps(held)])
    window = open_window(laptop)
    edit_in_app(window, "R-003", owner="Programme Director")
    label = window.team.label
    qtbot.waitUntil(lambda: label.text().endswith("· 1 local change"))
    press_sync(qtbot, window)
    flow = window.team.flow
    box = wait_for_box(qtbot, flow, "Could not reach the team server at 127.0.0.1:1")
    assert "Traceback" not in box.text() and "\n" not in box.text()
    assert box.informativeText() == ("One local change is kept in this register and will be "
                                     "sent next time; everything else works as usual.")
    assert label.text().endswith("· 1 local change")
    assert value(laptop, "risks", "R-003", "owner") == "Programme Director"
    assert window.edits.stack.count() == 1  # nothing came in: the undo history stays
    box.close()


def test_a_refused_login_asks_for_the_password_once_and_keeps_it_nowhere(
        qtbot, published, pg_db, tmp_path, open_window, monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    url = pg_db.login_role("ann", "s3cret-word")
    team.grant(pg_db.url, "ann", "edit", schema="ooh")
    laptop = tmp_path / "ann.oohdesk"
    team.join(url, laptop, schema="ooh", password="s3cret-word")
    window = open_window(laptop)
    edit_in_app(window, "R-003", owner="Programme Director")
    press_sync(qtbot, window)
    flow = window.team.flow
    qtbot.waitUntil(lambda: flow.prompt is not None and flow.prompt.isVisible(), timeout=WAIT)
    prompt = flow.prompt
    assert "refused the login for user ann" in prompt.labelText()
    field = prompt.findChild(QLineEdit)
    assert field.echoMode() == QLineEdit.EchoMode.Password
    assert field.accessibleName() == "Password"
    prompt.setTextValue("s3cret-word")
    prompt.accept()
    wait_for_box(qtbot, flow, "1 change pushed")
    assert window.team.label.text().endswith("· 0 local changes")
    assert b"s3cret-word" not in laptop.read_bytes()
    flow.box.close()

    # A wrong password, once asked for, is said plainly; the change waits.
    edit_in_app(window, "R-004", owner="Head of Estates")
    press_sync(qtbot, window)
    flow = window.team.flow
    qtbot.waitUntil(lambda: flow.prompt is not None and flow.prompt.isVisible(), timeout=WAIT)
    flow.prompt.setTextValue("wrong")
    flow.prompt.accept()
    box = wait_for_box(qtbot, flow, "refused the login for user ann")
    assert "wrong" not in box.text() and "One local change is kept" in box.informativeText()
    box.close()


def test_cancel_before_the_server_commits_leaves_both_sides_as_they_were(
        qtbot, published, pg_db, tmp_path, open_window, monkeypatch):
    laptop = joined_copy(pg_db, tmp_path, "laptop")
    window = open_window(laptop)
    edit_in_app(window, "R-003", owner="Programme Director")
    real_sync = team.sync

    def cancelled_while_pushing(register, password=None, check=None, progress=None):
        def say(text):
            if text == "Pushing our changes":
                progress.__self__.cancel()  # the user presses Cancel during the push
            progress(text)

        return real_sync(register, password, check=check, progress=say)

    monkeypatch.setattr(team, "sync", cancelled_while_pushing)
    before = server_changes(pg_db)
    press_sync(qtbot, window)
    flow = window.team.flow
    box = wait_for_box(qtbot, flow, "Cancelled; nothing was synced.")
    assert "One local change is kept" in box.informativeText()
    assert server_changes(pg_db) == before
    assert window.team.label.text().endswith("· 1 local change")
    box.close()


# --- a register on no team, keys and names ---------------------------------------------------------


def test_ctrl_shift_s_on_a_register_on_no_team_says_how_to_join(qtbot, demo_copy, open_window):
    window = open_window(demo_copy)
    assert not window.team.toolbar.isVisible() and not window.team.label.isVisible()
    press_sync(qtbot, window)
    assert window.status.text() == NOT_JOINED
    assert window.team.flow is None
    save_copy = file_menu_action(window, "Save a &copy as…")
    assert save_copy.shortcut().toString() == "Ctrl+Alt+S"
    shortcuts = [a.shortcut().toString() for menu in window.menuBar().actions()
                 for a in menu.menu().actions() if not a.shortcut().isEmpty()]
    assert len(shortcuts) == len(set(shortcuts))


def test_the_join_dialog_and_the_sync_controls_are_keyboard_reachable_and_named(
        qtbot, published, pg_db, tmp_path, open_window, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName",  # were it to open, it would say so
                        staticmethod(lambda *args, **kwargs: pytest.fail("a file dialog opened")))
    window = open_window(joined_copy(pg_db, tmp_path, "laptop"))
    label = window.team.label
    qtbot.waitUntil(lambda: label.text() == "last synced just now · 0 local changes")
    # The line keeps time by itself: once a minute it is worked out again.
    with window.reg.transaction():
        held = team.team_settings(window.reg)
        held["last_synced"] = (datetime.now(UTC) - timedelta(minutes=10, seconds=5)).isoformat()
        window.reg.conn.execute("update meta set value = ? where key = 'team'",
                                [json.dumps(held)])
    assert window.team.timer.isActive() and window.team.timer.interval() == 60_000
    window.team.timer.setInterval(50)
    qtbot.waitUntil(lambda: label.text() == "last synced 10 minutes ago · 0 local changes")
    button = window.team.toolbar.widgetForAction(window.team.action)
    assert isinstance(button, QToolButton) and button.accessibleName() == "Sync"
    assert window.team.label.accessibleName() == "Team sync status"
    dialog = window.join_team()
    qtbot.waitExposed(dialog)
    dialog.url.setFocus()
    qtbot.waitUntil(dialog.url.hasFocus)
    reached = [dialog.url]
    for _ in range(8):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    for widget in (dialog.schema, dialog.local, dialog.choose, dialog.password,
                   dialog.join_button):
        assert widget in reached, widget.accessibleName()
    assert all(w.accessibleName() for w in reached)
    assert dialog.password.echoMode() == QLineEdit.EchoMode.Password
    dialog.url.setFocus()
    qtbot.waitUntil(dialog.url.hasFocus)
    qtbot.keyClick(dialog.url, Qt.Key.Key_Return)  # Join with nothing typed: said in words
    assert dialog.problem.text().startswith("Type the team server's address")
    dialog.reject()
    window.close()
    assert not window.team.timer.isActive()
