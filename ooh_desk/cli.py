"""The command line: the same work as the desktop app, scriptable. This module holds the parser
and the dispatch; each command is a module in commands/.

Exit 0 on success; 1 with one plain-English line on stderr for anything the user must put
right; 2 for bad usage. Nothing here imports Qt unless the `gui` command is chosen.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from . import __version__
from .commands.common import EXIT_OK, EXIT_USER_ERROR
from .errors import UserFacing, plain_message

# The modules in commands/, in the order `ooh-desk --help` lists their commands. Each is
# loaded only when a command line names it (all of them for the list in --help): the desktop
# app starts through here, and must not pay for the other commands' imports.
COMMANDS = ("gui", "init", "demo", "import_", "list_", "export", "report", "paper", "pack",
            "minutes", "baf", "forward_plan", "due", "copy", "merge", "resolve", "team", "sync",
            "doctor")


def command_name(module: str) -> str:
    """The command a module in commands/ runs: `import_` runs import, `forward_plan`
    forward-plan."""
    return module.rstrip("_").replace("_", "-")


def load_command(module: str) -> ModuleType:
    return importlib.import_module(f"{__package__}.commands.{module}")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Every command's parser; with `only` (the command about to run), that command's alone,
    the others' modules left unloaded."""
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
    for module in COMMANDS:
        if only is not None and command_name(module) != only:
            continue
        command = load_command(module)
        p = sub.add_parser(command.NAME, help=command.HELP)
        command.add_arguments(p)
        p.set_defaults(run=command.run)
    return parser


def command_named(argv: Sequence[str] | None) -> str | None:
    """The command a command line names (its first word that is not a flag: no top-level
    option takes a value); `gui` for a bare `ooh-desk`, which opens the app; None when the
    first word is no command, or there are only flags (--help lists every command)."""
    words = sys.argv[1:] if argv is None else argv
    if not words:
        return "gui"
    first = next((w for w in words if not w.startswith("-")), None)
    return first if first in {command_name(m) for m in COMMANDS} else None


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
