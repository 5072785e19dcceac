"""`ooh-desk demo [REGISTER]`: a register filled from sample_data/."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UserError
from .common import EXIT_OK

NAME = "demo"
HELP = "build a register filled from the sample data"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("register", nargs="?",
                        help="where to build it (default: the demo register the app opens, "
                             "in your user data folder)")


def run(args: argparse.Namespace) -> int:
    # Loaded here: every command (the desktop app's start above all) would pay for them.
    from ..services.demo import build_demo, rebuild_default_demo

    if args.register:
        path = Path(args.register)
        if path.exists():
            raise UserError(f"{path} already exists; give a new file name for the demo register")
        path.parent.mkdir(parents=True, exist_ok=True)
        build_demo(path)
    else:
        path = rebuild_default_demo()
    print(f"Built the demo register at {path}")
    return EXIT_OK
