"""`ooh-desk init REGISTER [--programme NAME] [--organisation NAME]`: an empty register."""

from __future__ import annotations

import argparse

from .common import EXIT_OK

NAME = "init"
HELP = "create an empty register"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("register")
    parser.add_argument("--programme", metavar="NAME", help="the programme's name")
    parser.add_argument("--organisation", metavar="NAME",
                        help="the council or NHS body whose papers these are (the report "
                             "header names it)")


def run(args: argparse.Namespace) -> int:
    from ..services.registers import init_register

    path = init_register(args.register, args.programme, args.organisation)
    print(f"Created the register {path}")
    return EXIT_OK
