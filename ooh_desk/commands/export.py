"""`ooh-desk export REGISTER risk-log|json|baf -o FILE [--as-at DATE]`: the Excel risk log, the
whole register as JSON (which `import` takes back), or the Board Assurance Framework as a
workbook."""

from __future__ import annotations

import argparse

from .common import EXIT_OK, add_as_at, print_notes

NAME = "export"
HELP = "export a risk log (.xlsx) or the whole register (.json)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("register")
    parser.add_argument("what", choices=["risk-log", "json", "baf", "calendar"])
    parser.add_argument("-o", "--output", required=True, metavar="FILE")
    add_as_at(parser, "the date that decides RAG and overdue (default: today)")


def run(args: argparse.Namespace) -> int:
    # Loaded when the command runs: `ooh-desk gui` and the rest should not wait for it.
    from ..services import outputs

    if args.what == "json":
        written = outputs.write_json_export(args.register, args.output)
    elif args.what == "calendar":  # the register's dates as an iCalendar (.ics) file
        from ..services.due import write_calendar

        written = write_calendar(args.register, args.output)
    elif args.what == "baf":  # the Board Assurance Framework as a workbook
        written = outputs.write_baf(args.register, args.output, as_at=args.as_at,
                                    workbook=True)
    else:  # argparse has checked the choice
        written = outputs.write_risk_log(args.register, args.output, as_at=args.as_at)
    print_notes(written.notes)
    print(f"Wrote {written.path}")
    return EXIT_OK
