"""`ooh-desk pack REGISTER --meeting REF|DATE -o FILE.pdf [--private-out FILE.pdf]`: a
meeting's agenda pack, and its private pack for exempt business."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser, as_at_type) -> None:  # noqa: ANN001
    parser.add_argument("register")
    parser.add_argument("--meeting", required=True, metavar="REF|YYYY-MM-DD",
                        help="the meeting's ref, or its date where one committee meets that day")
    parser.add_argument("-o", "--output", required=True, metavar="FILE.pdf",
                        help="the public pack (private items are never in it)")
    parser.add_argument("--private-out", metavar="FILE.pdf",
                        help="also build the private pack, holding only the exempt items")
    parser.add_argument("--as-at", type=as_at_type, metavar="YYYY-MM-DD",
                        help="the date papers in the register are written as at")


def run(args: argparse.Namespace) -> int:
    from ..exports.pack import PackError, describe
    from ..meeting_services import build_pack
    from ..services import UserError, record_issue

    try:
        result = build_pack(args.register, args.meeting, Path(args.output),
                            Path(args.private_out) if args.private_out else None,
                            as_at=args.as_at)
    except PackError as exc:
        raise UserError(str(exc)) from None
    for line in describe(result):
        print(line)
    note = record_issue(args.register, "pack", args.as_at, Path(args.output),
                        meeting_ref=args.meeting)
    if note:
        print(f"Note: {note}", file=sys.stderr)
    return 0
