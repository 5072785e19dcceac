"""`ooh-desk report REGISTER [--paper REF] [--meeting REF] [--style …] [--template FILE.docx]
[--as-at DATE] [--include-closed] -o FILE.docx`: a Word board report in a house style."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

STYLE_CHOICES = ("coventry", "durham", "nhs-cover")


def add_arguments(parser: argparse.ArgumentParser, as_at_type) -> None:
    parser.add_argument("register")
    parser.add_argument("--paper", metavar="REF",
                        help="the paper to write (default: a draft written from the register)")
    parser.add_argument("--meeting", metavar="REF", help="the meeting the report is for")
    parser.add_argument("--style", choices=STYLE_CHOICES,
                        help="house style (default: the paper's own, else coventry)")
    parser.add_argument("--template", metavar="FILE.docx",
                        help="a council's Word template: its styles, fonts, header and footer")
    parser.add_argument("--as-at", type=as_at_type, metavar="YYYY-MM-DD",
                        help="the date that decides RAG and overdue (default: today)")
    parser.add_argument("--include-closed", action="store_true",
                        help="show closed risks in the risk log too")
    parser.add_argument("-o", "--output", required=True, metavar="FILE.docx")


def run(args: argparse.Namespace) -> int:
    from ..exports.report import ReportError, write_report
    from ..services import UserError, record_issue
    from ..store import Register

    out = Path(args.output)
    facts: dict[str, str] = {}
    with Register.open(args.register, readonly=True) as reg:
        try:
            warnings = write_report(reg, out, paper_ref=args.paper, meeting=args.meeting,
                                    style=args.style, template=args.template,
                                    as_at=args.as_at, include_closed=args.include_closed,
                                    facts=facts)
        except ReportError as exc:
            raise UserError(str(exc)) from None
    note = record_issue(args.register, "report", args.as_at, out, **facts)
    for warning in [*warnings, *([note] if note else [])]:
        print(f"Note: {warning}", file=sys.stderr)
    print(f"Wrote {out}")
    return 0
