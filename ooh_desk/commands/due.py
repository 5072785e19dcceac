"""`ooh-desk due REGISTER [--within DAYS] [--as-at DATE] [--json]`: what is due or overdue —
risk reviews, actions, milestones, key decisions' notice, principal risks past their target
date — overdue first, in plain words."""

from __future__ import annotations

import argparse
import json

from ..domain.due import DEFAULT_WITHIN
from .common import EXIT_OK, add_as_at
from .list_ import escaped

NAME = "due"
HELP = "list what is due and overdue"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("register")
    parser.add_argument("--within", type=int, default=DEFAULT_WITHIN, metavar="DAYS",
                        help=f"also what falls due within this many days (default "
                             f"{DEFAULT_WITHIN})")
    add_as_at(parser, "the day to count from (default: the register's as-at date, else today)")
    parser.add_argument("--json", action="store_true",
                        help="print JSON (ISO dates beside the dates as written)")


def run(args: argparse.Namespace) -> int:
    from ..services.due import due_items, due_json
    from ..store import Register

    with Register.open(args.register, readonly=True) as reg:
        when = args.as_at or reg.default_as_at()
        items = due_items(reg, when, args.within)
    if args.json:
        print(json.dumps([due_json(i, when) for i in items], indent=2, ensure_ascii=False))
        return EXIT_OK
    overdue = sum(1 for i in items if i.overdue)
    print(f"As at {when.strftime('%d/%m/%Y')}: {overdue} overdue, {len(items) - overdue} due "
          f"within {args.within} day{'' if args.within == 1 else 's'}")
    for item in items:
        flag = "OVERDUE" if item.overdue else "due"
        print(escaped(f"{flag:<8} {item.due.strftime('%d/%m/%Y')}  {item.kind:<13} "
                      f"{item.words}"))
    return EXIT_OK
