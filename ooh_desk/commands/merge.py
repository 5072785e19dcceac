"""`ooh-desk merge REGISTER OTHER.oohdesk [--dry-run] [--json]`: bring another copy's changes
into the register, field by field; clashes are kept as conflicts to settle."""

from __future__ import annotations

import argparse
import json

from .common import EXIT_OK

NAME = "merge"
HELP = "bring another copy's changes into the register (clashes become conflicts)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("register")
    parser.add_argument("other", metavar="OTHER.oohdesk")
    parser.add_argument("--dry-run", action="store_true",
                        help="say what the merge would do; write nothing")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")


def run(args: argparse.Namespace) -> int:
    from ..services.merge import merge

    summary = merge(args.register, args.other, dry_run=args.dry_run)
    if args.json:
        print(json.dumps(summary.to_json(), indent=2, ensure_ascii=False))
    else:
        print("\n".join(summary.lines()))
    return EXIT_OK
