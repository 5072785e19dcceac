"""`ooh-desk gui [REGISTER] [--smoke-test] [--screenshots DIR] [--quit-after-paint]`: open the
desktop app. Qt is imported only when this command runs, so the rest of the command line works
without it."""

from __future__ import annotations

import argparse
import os
import sys

from ..errors import UserError
from ..gui import qt_libraries  # imports no Qt: asks before Qt can abort

NAME = "gui"
HELP = "open the desktop app"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("register", nargs="?",
                        help="register file (default: the last one, or the demo)")
    parser.add_argument("--smoke-test", action="store_true",
                        help="open every view once offscreen; exit 0 if all opened cleanly, "
                             "else 1")
    parser.add_argument("--screenshots", metavar="DIR", help="save one PNG per view into DIR")
    parser.add_argument("--quit-after-paint", action="store_true",
                        help="open the app as a user would and exit 0 as soon as the main "
                             "window is first painted (what start-up benchmarks time)")


def _no_display() -> bool:
    """On Linux without X or Wayland, Qt aborts the process; say so in words instead."""
    return (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"))


def run(args: argparse.Namespace) -> int:
    smoke_test = getattr(args, "smoke_test", False)
    if _no_display() and not smoke_test:
        raise UserError("the desktop app needs a screen and none was found (no DISPLAY or "
                        "WAYLAND_DISPLAY); run it from a desktop session, or use the command "
                        "line, e.g. 'ooh-desk list REGISTER risks'")
    # Whether Qt can open a window is asked while its modules load (importing them opens none);
    # the answer is waited for before the QApplication is made, where Qt would abort.
    problem = (lambda: None) if smoke_test else qt_libraries.problem_in_background()
    try:
        from ..gui.launch import run as run_app  # Qt loads here, and only here
    except ImportError as exc:
        cannot_load: ImportError | None = exc
    else:
        cannot_load = None
    said = problem()
    if said:
        raise UserError(said)
    if cannot_load is not None:
        raise UserError(f"the desktop app cannot start: {cannot_load}. On Debian or Ubuntu "
                        "install Qt's libraries: apt-get install libegl1 libxkbcommon0 "
                        "libfontconfig1 libdbus-1-3 libgl1")
    return run_app(getattr(args, "register", None), smoke_test=smoke_test,
                   screenshots=getattr(args, "screenshots", None),
                   quit_after_paint=getattr(args, "quit_after_paint", False))
