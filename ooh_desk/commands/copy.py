"""`ooh-desk copy REGISTER OUT.oohdesk [--for NAME]`: a working copy of the register for
another laptop or a workshop, which `merge` takes back field by field."""

from __future__ import annotations

import argparse

from .common import EXIT_OK

NAME = "copy"
HELP = "make a working copy of a register for another laptop (merge it back later)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("register")
    parser.add_argument("out", metavar="OUT.oohdesk")
    parser.add_argument("--for", dest="for_name", metavar="NAME",
                        help="who or what the copy is for (a person, a workshop)")


def run(args: argparse.Namespace) -> int:
    from ..services.merge import copy_register

    out = copy_register(args.register, args.out, args.for_name)
    print(f"Wrote the working copy {out}" + (f" for {args.for_name}" if args.for_name else "")
          + f"; merge it back with: ooh-desk merge {args.register} {out}")
    return EXIT_OK
