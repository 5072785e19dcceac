"""`ooh-desk report REGISTER [--paper REF] [--meeting REF] [--style …] [--template FILE.docx]
[--as-at DATE] [--include-closed] -o FILE.docx`: a Word board report in a house style."""

from __future__ import annotations

import argparse

from .common import EXIT_OK, add_as_at, print_notes

NAME = "report"
HELP = "write a Word board report from the register"
STYLE_CHOICES = ("coventry", "durham", "nhs-cover")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("register")
    parser.add_argument("--paper", metavar="REF",
                        help="the paper to write (default: a draft written from the register)")
    parser.add_argument("--meeting", metavar="REF", help="the meeting the report is for")
    parser.add_argument("--style", choices=STYLE_CHOICES,
                        help="house style (default: the paper's own, else coventry)")
    parser.add_argument("--template", metavar="FILE.docx",
                        help="a council's Word template: its styles, fonts, header and footer")
    add_as_at(parser, "the date that decides RAG and overdue (default: today)")
    parser.add_argument("--include-closed", action="store_true",
                        help="show closed risks in the risk log too")
    parser.add_argument("-o", "--output", required=True, metavar="FILE.docx")


def run(args: argparse.Namespace) -> int:
    # Loaded when the command runs: `ooh-desk gui` and the rest should not wait for it.
    from ..services import outputs

    written = outputs.write_report(args.register, args.output, paper_ref=args.paper,
                                   meeting=args.meeting, style=args.style,
                                   template=args.template, as_at=args.as_at,
                                   include_closed=args.include_closed)
    print_notes(written.notes)
    print(f"Wrote {written.path}")
    return EXIT_OK
