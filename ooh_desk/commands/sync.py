"""`ooh-desk sync REGISTER [--json]`: pull the team's changes, merge them (clashes become
conflicts, as in `merge`), push ours, in one server transaction."""

from __future__ import annotations

import argparse
import json

from .common import EXIT_OK

NAME = "sync"
HELP = "sync a register with its team register on PostgreSQL (pull, merge, push)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("register")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")


def run(args: argparse.Namespace) -> int:
    from ..services.team import sync
    from .team import with_password

    summary = with_password(lambda pw: sync(args.register, password=pw))
    print(json.dumps(summary.to_json(), indent=2, ensure_ascii=False) if args.json
          else "\n".join(summary.lines()))
    return EXIT_OK
