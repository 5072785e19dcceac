"""`ooh-desk minutes REGISTER --meeting REF [--record FILE] [-o FILE.docx]`: record what
happened at a meeting (attendance, minutes, RESOLVED decisions, actions) from a sheet, and
write the minutes as a Word document."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser, as_at_type) -> None:  # noqa: ANN001, ARG001
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
    from ..meeting_services import record_minutes, write_minutes
    from ..services import UserError, record_issue
    from ..store import Register

    if not args.record and not args.output:
        raise UserError("say what to do: --record FILE to record a meeting, -o FILE.docx to "
                        "write its minutes, or both")
    if args.record:
        with Register.open(args.register) as reg:
            counts = record_minutes(reg, args.meeting, Path(args.record), sheet=args.sheet)
        print("Recorded: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    if args.output:
        out = Path(args.output)
        if not out.parent.is_dir():
            raise UserError(f"the folder {out.parent} does not exist")
        write_minutes(args.register, args.meeting, out, include_private=args.include_private)
        print(f"Wrote {out}")
        note = record_issue(args.register, "minutes", None, out, meeting_ref=args.meeting)
        if note:
            print(f"Note: {note}", file=sys.stderr)
    return 0
