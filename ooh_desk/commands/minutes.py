"""`ooh-desk minutes REGISTER --meeting REF [--record FILE] [--release ITEM_NO]
[--withhold ITEM_NO] [-o FILE.docx]`: record what happened at a meeting (attendance, minutes,
RESOLVED decisions, actions) from a sheet, release a private item's minutes for publication
(or withhold them again), and write the minutes as a Word document."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UserError
from .common import EXIT_OK, print_notes

NAME = "minutes"
HELP = "write a meeting's minutes (Word)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("register")
    parser.add_argument("--meeting", required=True, metavar="REF|YYYY-MM-DD")
    parser.add_argument("--record", metavar="FILE",
                        help="a CSV or .xlsx of section, item_no, name, organisation, text, "
                             "owner, due rows to record first (attendance, minute, resolved, "
                             "action, closed)")
    parser.add_argument("--sheet", metavar="NAME", help="the sheet to read from an .xlsx file")
    parser.add_argument("-o", "--output", metavar="FILE.docx", help="write the minutes here")
    parser.add_argument("--include-private", action="store_true",
                        help="include the minutes of private (exempt) items")
    parser.add_argument("--release", action="append", default=[], metavar="ITEM_NO",
                        help="release a private item's minutes, decisions and actions, so "
                             "public minutes, packs and reports show them (its papers stay "
                             "exempt); repeatable")
    parser.add_argument("--withhold", action="append", default=[], metavar="ITEM_NO",
                        help="withhold a released private item's minutes again; repeatable")


def run(args: argparse.Namespace) -> int:
    # Loaded when the command runs: `ooh-desk gui` and the rest should not wait for it.
    from ..services import outputs
    from ..services.meetings import record_minutes, release_items
    from ..store import Register

    if not (args.record or args.output or args.release or args.withhold):
        raise UserError("say what to do: --record FILE to record a meeting, --release ITEM_NO "
                        "to publish a private item's minutes, -o FILE.docx to write them")
    if args.output:
        # Before anything is recorded for it: never over the register, and named .docx.
        outputs.check_output(args.register, args.output, "minutes")
    if args.record:
        with Register.open(args.register) as reg:
            counts = record_minutes(reg, args.meeting, Path(args.record), sheet=args.sheet)
        print("Recorded: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    for numbers, released in ((args.release, True), (args.withhold, False)):
        if numbers:
            with Register.open(args.register) as reg:
                items = release_items(reg, args.meeting, numbers, released)
            for item in items:
                print(f"{'Released' if released else 'Withheld'} item {item.number} "
                      f"({item.title}): its minutes, decisions and actions "
                      + ("may now appear in public minutes, packs and reports" if released
                         else "are private again"))
    if args.output:
        written = outputs.write_minutes(args.register, args.meeting, args.output,
                                        include_private=args.include_private)
        print(f"Wrote {written.path}")
        print_notes(written.notes)
    return EXIT_OK
