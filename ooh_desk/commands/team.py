"""`ooh-desk team publish|join|grant`: put a register on the team's PostgreSQL database, make a
local working copy of one, and give a PostgreSQL role read, edit or officer rights
(docs/team-server.md)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TypeVar

from .common import EXIT_OK

NAME = "team"
HELP = "share a register through the team's PostgreSQL database (publish, join, grant)"
T = TypeVar("T")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    verbs = parser.add_subparsers(dest="team_command", metavar="VERB", required=True)
    publish = verbs.add_parser("publish", help="put a register on the team database")
    publish.add_argument("register")
    publish.add_argument("--server", required=True, metavar="URL",
                         help="postgresql://user@host:5432/database (no password: it is "
                              "asked for, or taken from PGPASSWORD or ~/.pgpass)")
    publish.add_argument("--schema", metavar="NAME",
                         help="the team register's schema (default: from the programme's name)")
    publish.add_argument("--json", action="store_true", help="print the summary as JSON")
    join = verbs.add_parser("join", help="make a local working copy of a team register")
    join.add_argument("url", metavar="URL")
    join.add_argument("local", metavar="LOCAL.oohdesk")
    join.add_argument("--schema", metavar="NAME",
                      help="which team register, when the database holds more than one")
    join.add_argument("--json", action="store_true", help="print the summary as JSON")
    grant = verbs.add_parser("grant", help="give a PostgreSQL role rights on a team register")
    grant.add_argument("url", metavar="URL")
    grant.add_argument("role", metavar="ROLE")
    level = grant.add_mutually_exclusive_group(required=True)
    level.add_argument("--read", dest="level", action="store_const", const="read",
                       help="read the register; never sees exempt business")
    level.add_argument("--edit", dest="level", action="store_const", const="edit",
                       help="read and change it; never sees exempt business")
    level.add_argument("--officer", dest="level", action="store_const", const="officer",
                       help="read and change it, exempt business included")
    grant.add_argument("--schema", metavar="NAME",
                       help="which team register, when the database holds more than one")


def with_password(call: Callable[[str | None], T]) -> T:
    """Try the server with libpq's own places for a password (PGPASSWORD, ~/.pgpass, a
    service file); refused and at a terminal, ask once, without echo."""
    from ..store.team import LoginRefused

    try:
        return call(None)
    except LoginRefused:
        if not sys.stdin.isatty():
            raise
    import getpass

    return call(getpass.getpass("Password for the team server: ") or None)


def run(args: argparse.Namespace) -> int:
    from ..services import team

    if args.team_command == "grant":
        print(with_password(lambda pw: team.grant(args.url, args.role, args.level,
                                                  schema=args.schema, password=pw)))
        return EXIT_OK
    if args.team_command == "publish":
        summary = with_password(lambda pw: team.publish(args.register, args.server,
                                                        schema=args.schema, password=pw))
    else:
        summary = with_password(lambda pw: team.join(args.url, args.local, schema=args.schema,
                                                     password=pw))
    print(json.dumps(summary.to_json(), indent=2, ensure_ascii=False) if args.json
          else "\n".join(summary.lines()))
    return EXIT_OK
