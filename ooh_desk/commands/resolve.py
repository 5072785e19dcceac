"""`ooh-desk resolve REGISTER C-001 --take ours|theirs`: settle one conflict a merge left."""

from __future__ import annotations

import argparse

from .common import EXIT_OK

NAME = "resolve"
HELP = "settle a conflict a merge left, taking ours or theirs"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("register")
    parser.add_argument("conflict", metavar="CONFLICT", help="its ref, such as C-001")
    parser.add_argument("--take", required=True, choices=("ours", "theirs"),
                        help="ours keeps the register's value; theirs takes the other copy's")


def run(args: argparse.Namespace) -> int:
    from ..services.merge import resolve

    c = resolve(args.register, args.conflict, args.take)
    what = f"{c['record']} {c['field']}" if c["field"] else c["record"]
    value = c[args.take]
    print(f"Settled {c['ref']} ({c['kind']} {what}): took {args.take}, {value!r}")
    return EXIT_OK
