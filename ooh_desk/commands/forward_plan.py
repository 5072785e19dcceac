"""`ooh-desk forward-plan REGISTER -o PLAN.docx [--from DATE] [--organisation NAME]`: the
forward plan of key decisions as the council publishes it (Word)."""

from __future__ import annotations

import argparse

from .common import EXIT_OK, as_at, print_notes

NAME = "forward-plan"
HELP = "write the forward plan of key decisions (Word)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("register")
    parser.add_argument("-o", "--output", required=True, metavar="FILE.docx")
    parser.add_argument("--from", dest="from_day", type=as_at, metavar="YYYY-MM-DD",
                        help="the day the plan is published, and the decisions from it "
                             "(default: the register's as-at date, else today)")
    parser.add_argument("--organisation", metavar="NAME",
                        help="the council publishing it (default: the register's organisation)")


def run(args: argparse.Namespace) -> int:
    # Loaded when the command runs: `ooh-desk gui` and the rest should not wait for python-docx.
    from ..services.forward_plan import write_forward_plan

    written = write_forward_plan(args.register, args.output, from_day=args.from_day,
                                 organisation=args.organisation)
    print(f"Wrote {written.path}")
    print_notes(written.notes)
    return EXIT_OK
