"""`ooh-desk baf REGISTER -o BAF.docx [--as-at DATE]`: the Board Assurance Framework as a Word
report: per strategic objective its principal risks with scores, trend, controls, sources of
assurance by line and gaps with their actions, a summary table and a heat map."""

from __future__ import annotations

import argparse

from .common import EXIT_OK, add_as_at, print_notes

NAME = "baf"
HELP = "write the Board Assurance Framework report (Word)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("register")
    parser.add_argument("-o", "--output", required=True, metavar="FILE.docx")
    add_as_at(parser, "the date that decides trend, overdue actions and target dates "
                      "(default: today, or the register's own date)")


def run(args: argparse.Namespace) -> int:
    # Loaded when the command runs: `ooh-desk gui` and the rest should not wait for it.
    from ..services import outputs

    written = outputs.write_baf(args.register, args.output, as_at=args.as_at)
    print_notes(written.notes)
    print(f"Wrote {written.path}")
    return EXIT_OK
