"""`ooh-desk import REGISTER FILE [--kind KIND] [--sheet NAME] [--map "Their column=field" …]
[--dry-run] [--json]`: a CSV, .xlsx or OOH Desk JSON file into the register, all or nothing."""

from __future__ import annotations

import argparse
import json
import sys

from ..imports.mapping import parse_overrides
from ..imports.report import ImportReport
from ..imports.tabular import WINDOWS_1252
from ..services.importing import import_file
from .common import EXIT_OK, EXIT_USER_ERROR

NAME = "import"
HELP = "import a CSV, .xlsx or OOH Desk .json file"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("register")
    parser.add_argument("file")
    parser.add_argument("--kind", choices=["risks", "milestones", "feedback", "actions", "agenda"],
                        help="what the file holds (default: guessed from its headings)")
    parser.add_argument("--sheet", metavar="NAME", help="the sheet to read from an .xlsx file")
    parser.add_argument("--map", action="append", metavar='"Their column=field"',
                        help="map a column heading to a field (repeatable; field 'ignore' "
                             "drops it)")
    parser.add_argument("--dry-run", action="store_true",
                        help="show what would change, row by row, and write nothing")
    parser.add_argument("--json", action="store_true", help="print the import report as JSON")


def run(args: argparse.Namespace) -> int:
    report = import_file(args.register, args.file, kind=args.kind, sheet=args.sheet,
                         overrides=parse_overrides(args.map or []), dry_run=args.dry_run)
    if args.json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        _print_report(report, args.dry_run)
    if report.refused:
        first = report.problems[0]
        more = len(report.problems) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''}; --dry-run lists them all)" \
            if more else ""
        print(f"Nothing was imported: {first}{tail}", file=sys.stderr)
        return EXIT_USER_ERROR
    return EXIT_OK


def _print_report(report: ImportReport, dry_run: bool) -> None:
    guessed = " (guessed from the headings; say --kind to choose)" if report.kind_guessed else ""
    print(f"{report.source}: {report.kind}{guessed}")
    if report.encoding == WINDOWS_1252:
        print(f"Text read as {WINDOWS_1252}, as Excel saves \"CSV\" on Windows: if an accented "
              "letter or a symbol looks wrong, save the file as \"CSV UTF-8\" and import again")
    elif report.encoding:
        print(f"Text read as {report.encoding}")
    if report.mapping:
        print("Columns used: " + "; ".join(f"{m['column']} -> {m['field']}"
                                           for m in report.mapping))
    if report.ignored:
        print("Columns ignored: " + "; ".join(report.ignored))
    if dry_run or report.refused:
        for r in report.rows:
            if r.outcome == "refused":
                for p in r.problems:
                    print(f"  refused   {p}")
            elif r.outcome != "unchanged" or dry_run:
                changed = f" ({', '.join(r.changed)})" if r.changed else ""
                where = f"row {r.row}: " if r.row else ""
                print(f"  {r.outcome:<9} {where}{r.ref}{changed}")
    counts = report.counts()
    summary = ", ".join(f"{n} {k}" for k, n in counts.items())
    verb = "Would import" if dry_run else ("Imported" if report.written else "Refused")
    print(f"{verb}: {summary}")
    for note in report.notes:
        print(f"Note: {note}")
