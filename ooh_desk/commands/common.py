"""What several commands share: reading a date argument and telling the user notes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from datetime import date

from ..domain.board_dates import BoardDateError, parse_day

EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE = 0, 1, 2


def as_at(text: str) -> date:
    """An argparse type: 2017-11-09, or a day as a paper writes it (9 November 2017)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        try:
            return parse_day(text)
        except BoardDateError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2017-11-09") from None


def add_as_at(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--as-at", type=as_at, metavar="YYYY-MM-DD", help=help_text)


def print_notes(notes: Iterable[str]) -> None:
    for note in notes:
        print(f"Note: {note}", file=sys.stderr)
