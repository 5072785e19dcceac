"""Starting fast, third pass: opening a register and drawing its dashboard need no sqlite-utils
(its import, with click, pluggy and dateutil, was a sixth of the start); `Register.db` makes it
on first use, over the register's own connection."""

from __future__ import annotations

import subprocess
import sys

from test_start_fast_2 import isolated_env, loaded_modules

from ooh_desk.store.register import Register


def test_the_first_paint_loads_no_sqlite_utils(demo_copy, tmp_path):
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "ooh_desk.cli", "gui",
                           str(demo_copy), "--quit-after-paint"], capture_output=True, text=True,
                          timeout=120, env=isolated_env(tmp_path))
    assert proc.returncode == 0, proc.stderr
    loaded = loaded_modules(proc.stderr)
    assert "ooh_desk.gui.views.dashboard" in loaded  # the dashboard was drawn
    assert sorted(m for m in loaded if m.split(".")[0] == "sqlite_utils") == []


def test_sqlite_utils_works_over_the_registers_own_connection(demo_copy):
    with Register.open(demo_copy) as reg:
        assert "db" not in vars(reg)  # not made by opening the register
        assert reg.db.conn is reg.conn
        assert reg.db is reg.db
        assert reg.conn.execute("PRAGMA recursive_triggers").fetchone()[0] == 1
        with reg.transaction():
            reg.db["meta"].upsert({"key": "note", "value": "kept"}, pk="key")
        assert list(reg.query("select value from meta where key = ?", ["note"])) == [
            {"value": "kept"}]


def test_a_timing_run_on_a_register_that_will_not_open_says_so_and_ends(tmp_path):
    """Nobody is there to answer a message box in a timing run: a missing or damaged
    register is said on stderr, exit 1, instead of a dialog that waits for ever."""
    bad = tmp_path / "bad.oohdesk"
    bad.write_text("not a register", encoding="utf-8")
    for path in (tmp_path / "missing.oohdesk", bad):
        proc = subprocess.run([sys.executable, "-m", "ooh_desk.cli", "gui", str(path),
                               "--quit-after-paint"], capture_output=True, text=True,
                              timeout=60, env=isolated_env(tmp_path))
        assert proc.returncode == 1
        assert proc.stderr.count("\n") == 1 and "cannot open the register" in proc.stderr
        assert "Traceback" not in proc.stderr
