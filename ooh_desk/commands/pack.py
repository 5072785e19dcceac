"""`ooh-desk pack REGISTER --meeting REF|DATE -o FILE.pdf [--private-out FILE.pdf]`: a
meeting's agenda pack, and its private pack for exempt business."""

from __future__ import annotations

import argparse
from typing import Any

from ..domain.meetings import pages_text
from .common import EXIT_OK, add_as_at, print_notes

NAME = "pack"
HELP = "build a meeting's agenda pack (PDF)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("register")
    parser.add_argument("--meeting", required=True, metavar="REF|YYYY-MM-DD",
                        help="the meeting's ref, or its date where one committee meets that day")
    parser.add_argument("-o", "--output", required=True, metavar="FILE.pdf",
                        help="the public pack (private items are never in it)")
    parser.add_argument("--private-out", metavar="FILE.pdf",
                        help="also build the private pack, holding only the exempt items")
    add_as_at(parser, "the date papers in the register are written as at")


def run(args: argparse.Namespace) -> int:
    # Loaded when the command runs: `ooh-desk gui` and the rest should not wait for it.
    from ..services import outputs

    written = outputs.build_pack(args.register, args.meeting, args.output, args.private_out,
                                 as_at=args.as_at)
    for line in describe(written.pack):
        print(line)
    # Members whose registered interests share words with an item: for the officer to raise.
    from ..services.interests import pack_lines

    for line in pack_lines(args.register, args.meeting):
        print(line)
    print_notes(written.notes)
    return EXIT_OK


def describe(result: Any) -> list[str]:
    """Lines for the command line: where each item starts (`result` is an
    exports.pack.PackResult)."""
    lines = []
    for pack, name in ((result.public, "Public pack"), (result.private, "Private pack")):
        if pack is None:
            continue
        lines.append(f"{name}: {pack.path} ({pack.pages} pages, front sheet "
                     f"{pack.front_sheet_pages}, {len(pack.blank_pages)} blank)")
        lines += [f"  {i.number}. {i.title} {pages_text(i.first, i.last)}" for i in pack.items]
    if result.private_items_left_out:
        n = result.private_items_left_out
        lines.append(f"{n} private item{'s are' if n > 1 else ' is'} not in the public pack; "
                     "give --private-out FILE.pdf to build the private pack")
    return lines
