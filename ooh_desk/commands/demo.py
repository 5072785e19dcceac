"""`ooh-desk demo [REGISTER]`: a register filled from sample_data/."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UserError
from ..services.demo import build_demo, default_demo_path, rebuild_default_demo
from .common import EXIT_OK

NAME = "demo"
HELP = "build a register filled from the sample data"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("register", nargs="?",
                        help=f"where to build it (default: {default_demo_path()})")


def run(args: argparse.Namespace) -> int:
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
