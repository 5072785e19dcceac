"""The command line: the same work as the desktop app, scriptable. This module holds the parser
and the dispatch; each command is a module in commands/.

Exit 0 on success; 1 with one plain-English line on stderr for anything the user must put
right; 2 for bad usage. Nothing here imports Qt unless the `gui` command is chosen.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .commands import (
    baf,
    copy,
    demo,
    doctor,
    due,
    export,
    forward_plan,
    gui,
    import_,
    init,
    list_,
    merge,
    minutes,
    pack,
    paper,
    report,
    resolve,
    sync,
    team,
)
from .commands.common import EXIT_OK, EXIT_USER_ERROR
from .errors import UserFacing, plain_message

# In the order `ooh-desk --help` lists them.
COMMANDS = (gui, init, demo, import_, list_, export, report, paper, pack, minutes, baf,
            forward_plan, due, copy, merge,
            resolve, team, sync, doctor)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Every command's parser; with `only` (the command about to run), the others are listed by
    name and help alone, their arguments (most of the parser's making) left unbuilt."""
    parser = argparse.ArgumentParser(
        prog="ooh-desk",
        description="OOH Desk: a programme's register of milestones, risks, engagement and "
                    "actions, and the board papers written from it.")
    parser.add_argument("--version", action="version", version=f"ooh-desk {__version__}")
    installed = parser.add_mutually_exclusive_group()
    installed.add_argument("--self-test", action="store_true",
                           help="check this installation: in a temporary folder create a "
                                "register, import a CSV, write a Word report, an Excel log "
                                "and (with LibreOffice) a PDF pack; exit 0, or 1 naming what "
                                "failed")
    installed.add_argument("--install-desktop", action="store_true",
                           help="Linux: add OOH Desk to your application menu, with its icon, "
                                "and open .oohdesk registers with it (your own folders only)")
    installed.add_argument("--uninstall-desktop", action="store_true",
                           help="Linux: remove what --install-desktop added")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        p = sub.add_parser(command.NAME, help=command.HELP)
        if only is None or only == command.NAME:
            command.add_arguments(p)
        p.set_defaults(run=command.run)
    return parser


def command_named(argv: Sequence[str] | None) -> str | None:
    """The command a command line names (its first word that is not a flag: no top-level
    option takes a value), or None when that word is no command or there is none."""
    words = sys.argv[1:] if argv is None else argv
    first = next((w for w in words if not w.startswith("-")), None)
    return first if first in {c.NAME for c in COMMANDS} else None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(only=command_named(argv))  # the desktop app starts through here
    args = parser.parse_args(argv)
    flag = next((f for f in ("self_test", "install_desktop", "uninstall_desktop")
                 if getattr(args, f)), None)
    if flag:
        if args.command is not None:
            parser.error(f"--{flag.replace('_', '-')} takes no command")
        args.run = TOP_LEVEL[flag]
    elif args.command is None:
        args = parser.parse_args(["gui", *([] if argv is None else list(argv))])
    return run_command(args)


def self_test(_args: argparse.Namespace) -> int:
    """`ooh-desk --self-test`: each check as it finishes, then one line saying how it went."""
    from .services.self_test import run_self_test, summary

    where = Path(sys.executable).parent if getattr(sys, "frozen", False) else Path(__file__).parent
    print(f"OOH Desk {__version__} self-test, running from {where}", flush=True)
    passed, verdict = summary(run_self_test(say=lambda check: print(check.line(), flush=True)))
    print(verdict, file=sys.stdout if passed else sys.stderr)
    return EXIT_OK if passed else EXIT_USER_ERROR


def desktop(args: argparse.Namespace) -> int:
    """`ooh-desk --install-desktop` / `--uninstall-desktop` (Linux)."""
    from .services import desktop as entries

    if args.install_desktop:
        change = entries.install_desktop()
        print(f"Added OOH Desk to your applications menu ({change.paths[0]}); .oohdesk "
              f"registers now open with it. Files written under {entries.data_home()}: "
              f"{len(change.paths)}. Run it again if you move the app.")
    else:
        change = entries.uninstall_desktop()
        print(f"Removed OOH Desk from your applications menu: {len(change.paths)} files "
              f"removed from {entries.data_home()}." if change.paths else
              "OOH Desk was not in your applications menu; nothing to remove.")
    for note in change.notes:
        print(f"Note: {note}.", file=sys.stderr)
    return EXIT_OK


TOP_LEVEL = {"self_test": self_test, "install_desktop": desktop, "uninstall_desktop": desktop}


def run_command(args: argparse.Namespace) -> int:
    try:
        return args.run(args)
    except UserFacing as exc:
        print(plain_message(exc), file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("Stopped; nothing more was written.", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
