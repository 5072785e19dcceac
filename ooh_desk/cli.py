"""The command line: the same work as the desktop app, scriptable. This module holds the parser
and the dispatch; each command is a module in commands/.

Exit 0 on success; 1 with one plain-English line on stderr for anything the user must put
right; 2 for bad usage. Nothing here imports Qt unless the `gui` command is chosen.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__
from .commands import demo, export, gui, import_, init, list_, minutes, pack, paper, report
from .commands.common import EXIT_OK, EXIT_USER_ERROR
from .errors import UserFacing, plain_message

# In the order `ooh-desk --help` lists them.
COMMANDS = (gui, init, demo, import_, list_, export, report, paper, pack, minutes)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ooh-desk",
        description="OOH Desk: a programme's register of milestones, risks, engagement and "
                    "actions, and the board papers written from it.")
    parser.add_argument("--version", action="version", version=f"ooh-desk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        p = sub.add_parser(command.NAME, help=command.HELP)
        command.add_arguments(p)
        p.set_defaults(run=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["gui", *([] if argv is None else list(argv))])
    return run_command(args)


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
