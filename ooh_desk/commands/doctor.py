"""`ooh-desk doctor [REGISTER] [--json]`: what a helpdesk needs to know about this install, on
one screen (services/diagnostics). Qt is asked only here, late, and its absence is reported
rather than fatal: the doctor must work on the machine where the app will not start."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from .common import EXIT_OK

NAME = "doctor"
HELP = "what a helpdesk needs to know about this install"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("register", nargs="?",
                        help="a register to check (default: the last one the app opened)")
    parser.add_argument("--json", action="store_true", help="print the same facts as JSON")


def qt_facts() -> Any:
    from ..services.diagnostics import QtFacts

    try:
        from ..gui.about import qt_facts as ask_qt  # Qt loads here, and only here
        from ..gui.app import recent_registers, settings

        return ask_qt(settings(), recent_registers())
    except Exception as exc:  # a doctor reports a broken Qt; it must not die of it
        return QtFacts(problem=f"Qt cannot be loaded: {exc}")


def run(args: argparse.Namespace) -> int:
    from ..services.diagnostics import diagnose

    register = getattr(args, "register", None)
    diagnosis = diagnose(qt_facts(), last_register=Path(register) if register else None)
    if getattr(args, "json", False):
        print(json.dumps(diagnosis.as_dict(), indent=2, ensure_ascii=False))
    else:
        print(diagnosis.as_text())
    return EXIT_OK
