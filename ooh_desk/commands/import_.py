"""`ooh-desk import REGISTER FILE [--kind KIND] [--sheet NAME] [--all-sheets]
[--map "Their column=field" …] [--dry-run] [--json]`: a CSV, .xlsx or OOH Desk JSON file into
the register, all or nothing."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from .common import EXIT_OK, EXIT_USER_ERROR

if TYPE_CHECKING:  # the readers load when the command runs, not with every command line
    from ..imports.profiles import Profile
    from ..imports.report import ImportReport

NAME = "import"
HELP = "import a CSV, .xlsx or OOH Desk .json file"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("register")
    parser.add_argument("file")
    parser.add_argument("--kind", choices=["risks", "milestones", "feedback", "actions", "agenda",
                                           "objectives", "assurances", "key-decisions",
                                           "interests", "declarations", "options",
                                           "option-scores"],
                        help="what the file holds (default: guessed from its headings)")
    parser.add_argument("--sheet", metavar="NAME", help="the sheet to read from an .xlsx file")
    parser.add_argument("--all-sheets", action="store_true",
                        help="import every sheet that looks like the best one (open and "
                             "closed risks), all or nothing, one report per sheet")
    parser.add_argument("--map", action="append", metavar='"Their column=field"',
                        help="map a column heading to a field (repeatable; field 'ignore' "
                             "drops it)")
    parser.add_argument("--profile", metavar="NAME",
                        help="read the columns as a saved mapping profile says (--kind and "
                             "--map win over it)")
    parser.add_argument("--save-profile", metavar="NAME",
                        help="save this file's mapping as a profile, for the next file with "
                             "the same headings")
    parser.add_argument("--dry-run", action="store_true",
                        help="show what would change, row by row, and write nothing")
    parser.add_argument("--json", action="store_true", help="print the import report as JSON")


def run(args: argparse.Namespace) -> int:
    from ..imports.mapping import parse_overrides
    from ..imports.profiles import check_can_save, find_profile, with_profile
    from ..services.importing import import_file

    # A saved mapping profile supplies the kind and the mapping; --kind and --map win over it.
    profile = find_profile(args.profile) if args.profile else None
    if args.save_profile:
        check_can_save(args.save_profile)  # before the register is written, not after
    args.kind = args.kind or (profile.kind if profile else None)
    found = import_file(args.register, args.file, kind=args.kind, sheet=args.sheet,
                        overrides=with_profile(profile, parse_overrides(args.map or [])),
                        dry_run=args.dry_run, all_sheets=args.all_sheets)
    # --all-sheets gives one report per sheet (a JSON list); any refusal refuses them all.
    reports = found if isinstance(found, list) else [found]
    if args.json:
        shown = [r.to_json() for r in reports] if args.all_sheets else reports[0].to_json()
        print(json.dumps(shown, indent=2, ensure_ascii=False))
    else:
        for report in reports:
            _print_report(report, args.dry_run)
    report = next((r for r in reports if r.refused), reports[0])
    _profile_notes(report, profile, args.save_profile, sys.stderr if args.json else sys.stdout)
    if report.refused:
        first = report.problems[0]
        more = len(report.problems) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''}; --dry-run lists them all)" \
            if more else ""
        print(f"Nothing was imported: {first}{tail}", file=sys.stderr)
        return EXIT_USER_ERROR
    return EXIT_OK


def _print_report(report: ImportReport, dry_run: bool) -> None:
    from ..imports.tabular import WINDOWS_1252

    guessed = " (guessed from the headings; say --kind to choose)" if report.kind_guessed else ""
    print(f"{report.source}: {report.kind}{guessed}")
    if report.encoding == WINDOWS_1252:
        print(f"Text read as {WINDOWS_1252}, as Excel saves \"CSV\" on Windows: if an accented "
              "letter or a symbol looks wrong, save the file as \"CSV UTF-8\" and import again")
    elif report.encoding:
        print(f"Text read as {report.encoding}")
    if report.columns and (dry_run or report.refused):
        _print_columns(report)
    else:
        if report.mapping:
            print("Columns used: " + "; ".join(f"{m['column']} -> {m['field']}"
                                               for m in report.mapping))
        _print_ignored(report)
    if report.readings:
        print("Read as:")
        for reading in report.readings:
            print(f"  {reading}")
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


def _print_columns(report: ImportReport) -> None:
    """Column by column, before anything is written: the field each became, with three of
    its values, and how an unclear heading was read."""
    used = [c for c in report.columns if c["field"]]
    if used:
        heading = _width(c["column"] for c in report.columns)
        name = max(len(c["field"]) for c in used)
        print("Columns used (with three of their values):")
        # The values share what is left of a line 110 characters wide, a third each.
        room = max(12, (110 - (heading + name + 12)) // 3 - 3)
        for c in used:
            samples = " | ".join(_cut(v, room) for v in c["samples"]) or "(empty)"
            print(f"  {c['letter']:<3}{_cut(c['column'], heading):<{heading}}  -> "
                  f"{c['field']:<{name}}  {samples}".rstrip())
            if c["why"]:
                print(f"  {'':<{heading + 3}}     {c['why']}")
    _print_ignored(report, brief=False)


def _print_ignored(report: ImportReport, brief: bool = True) -> None:
    """Each column left out and why: a line each, or in brief those left out for the same
    reason together."""
    ignored = [c for c in report.columns if not c["field"]]
    if ignored and not brief:
        heading = _width(c["column"] for c in report.columns)
        print("Columns ignored:")
        for c in ignored:
            print(f"  {c['letter']:<3}{_cut(c['column'], heading):<{heading}}  {c['why']}")
    elif ignored:
        by_reason: dict[str, list[str]] = {}
        for c in ignored:
            by_reason.setdefault(c["why"], []).append(c["column"])
        print("Columns ignored: " + "; ".join(
            ", ".join(headings) + (f" ({why})" if why else "")
            for why, headings in by_reason.items()))
    elif report.ignored:
        print("Columns ignored: " + "; ".join(report.ignored))


def _width(headings: Iterable[str]) -> int:
    return min(max((len(h) for h in headings), default=0), 28)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def _profile_notes(report: ImportReport, profile: Profile | None, save_as: str | None,
                   out: TextIO) -> None:
    """Say when a profile was made for other headings; save this mapping when asked."""
    from ..imports.profiles import profile_from, save_profile

    columns = [(m["column"], m["field"]) for m in report.mapping] + \
        [(h, None) for h in report.ignored]
    if profile is not None and not profile.fits(h for h, _ in columns):
        print(f"Note: the profile {profile.name!r} was saved for a file with other headings; "
              "check the columns used", file=out)
    if save_as and columns:
        path = save_profile(profile_from(save_as, report.kind, columns))
        print(f"Saved this mapping as the import profile {save_as!r} (in {path})", file=out)
