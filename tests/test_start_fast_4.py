"""Starting fast, fourth pass: the first paint writes nothing and reads few board dates, so it
compiles only the board-date patterns it tries and loads neither the papers' rules, the merge
verbs, nor the modules a write, a merge or the X11 check brings (uuid, platform, hashlib,
ctypes, subprocess)."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import python_prints
from test_start_fast_2 import isolated_env, loaded_modules

from ooh_desk.domain import board_dates

# Each is loaded when the user does what needs it: opens Papers or a table of records, saves,
# copies or merges; ctypes and subprocess only when an X11 start asks whether Qt's xcb plugin
# can load (this run is offscreen and, like a Wayland, macOS or Windows start, asks nothing).
NOT_AT_START = ("ooh_desk.services.papers", "ooh_desk.domain.papers", "ooh_desk.store.papers",
                "ooh_desk.services.merge", "ooh_desk.gui.models.records", "uuid", "platform",
                "hashlib", "ctypes", "subprocess")


def test_the_first_paint_loads_nothing_a_write_or_the_papers_need(demo_copy, tmp_path):
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "ooh_desk.cli", "gui",
                           str(demo_copy), "--quit-after-paint"], capture_output=True, text=True,
                          timeout=120, env=isolated_env(tmp_path))
    assert proc.returncode == 0, proc.stderr
    loaded = loaded_modules(proc.stderr)
    assert "ooh_desk.gui.views.dashboard" in loaded  # the dashboard was drawn
    assert sorted(loaded & set(NOT_AT_START)) == []


def test_a_board_date_pattern_is_compiled_when_a_date_is_first_tried_against_it():
    """Imported, the module has compiled none of its patterns; a date in the commonest form
    compiles the few tried before it, not all of them."""
    script = ("from ooh_desk.domain import board_dates as b\n"
              "print(b._compiled.cache_info().currsize)\n"
              "b.parse_board_date('31 October 2017')\n"
              "print(b._compiled.cache_info().currsize, len(b._FORMS))\n")
    assert " ".join(python_prints(script)).split() == ["0", "3", str(len(board_dates._FORMS))]


def test_dates_still_read_in_every_form():
    assert board_dates.parse_board_date("w/c 4 September 2017").text == "w/c 4 September 2017"
    assert board_dates.parse_board_date("October 31, 2017",
                                        dayfirst_only=False).earliest.isoformat() == "2017-10-31"
    assert board_dates.parse_board_date("Q3 2017/18").earliest.isoformat() == "2017-10-01"
    assert all(isinstance(board_dates._compiled(p), re.Pattern) for p, _ in board_dates._FORMS)


def test_a_command_line_builds_and_loads_only_the_command_it_names():
    """argparse's making of every command's flags, and the loading of every command's module
    with what it imports, were part of each start of the app."""
    script = ("import sys\n"
              "from ooh_desk import cli\n"
              "parser = cli.build_parser(only=cli.command_named(['gui', 'x.oohdesk']))\n"
              "print(sorted(parser._subparsers._group_actions[0].choices))\n"
              "print(sorted(m for m in sys.modules if m.startswith('ooh_desk.commands.')))\n")
    assert python_prints(script) == ["['gui']", "['ooh_desk.commands.common', "
                                     "'ooh_desk.commands.gui']"]


def test_the_command_named_is_the_first_word_and_a_bare_command_line_opens_the_app():
    from ooh_desk import cli

    assert cli.command_named(["gui", "x.oohdesk", "--quit-after-paint"]) == "gui"
    assert cli.command_named(["--quiet", "forward-plan", "x"]) == "forward-plan"
    assert cli.command_named([]) == "gui"
    assert cli.command_named(["--self-test"]) is None
    assert cli.command_named(["x.oohdesk"]) is None  # no command: every one is built
    everything = cli.build_parser()._subparsers._group_actions[0].choices
    assert list(everything)[:2] == ["gui", "init"] and "forward-plan" in everything
    assert "--open" in {o for a in everything["list"]._actions for o in a.option_strings}
