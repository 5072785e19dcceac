"""`ooh-desk minutes REGISTER --meeting REF [--record FILE] [-o FILE.docx]`: record what
happened at a meeting (attendance, minutes, RESOLVED decisions, actions) from a sheet, and
write the minutes as a Word document."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UserError, check_folder
from ..services import outputs
from ..services.meetings import record_minutes
from ..store import Register
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


def run(args: argparse.Namespace) -> int:
    if not args.record and not args.output:
        raise UserError("say what to do: --record FILE to record a meeting, -o FILE.docx to "
                        "write its minutes, or both")
    if args.output:
        check_folder(args.output)  # before anything is recorded for it
    if args.record:
        with Register.open(args.register) as reg:
            counts = record_minutes(reg, args.meeting, Path(args.record), sheet=args.sheet)
        print("Recorded: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    if args.output:
        written = outputs.write_minutes(args.register, args.meeting, args.output,
                                        include_private=args.include_private)
        print(f"Wrote {written.path}")
        print_notes(written.notes)
    return EXIT_OK
