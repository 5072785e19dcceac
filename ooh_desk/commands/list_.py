"""`ooh-desk list REGISTER KIND [--open] [--as-at DATE] [--since DATE] [--json]`: every record
of a kind, one line each, or as JSON (ISO dates beside board dates)."""

from __future__ import annotations

import argparse
import json
import unicodedata
from datetime import date
from typing import Any

from ..domain.board_dates import short_date
from ..domain.conflict_marks import list_mark
from ..services.listing import LISTED_KINDS, list_records
from ..store import Register
from .common import EXIT_OK, add_as_at, as_at

NAME = "list"
HELP = "list a kind of record"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("register")
    parser.add_argument("kind", choices=LISTED_KINDS)
    parser.add_argument("--open", action="store_true",
                        help="only open risks, incomplete milestones and actions, open feedback")
    add_as_at(parser, "the date that decides RAG and overdue (default: today)")
    parser.add_argument("--since", type=as_at, metavar="YYYY-MM-DD",
                        help="changes: count from this day (default: the last report issued)")
    parser.add_argument("--json", action="store_true",
                        help="print JSON (ISO dates beside board dates)")


# Kinds whose name on the command line is not the words a heading uses.
_NOUNS = {"baf": ("principal risk in the assurance framework",
                  "principal risks in the assurance framework"),
          "key-decisions": ("key decision", "key decisions")}


def run(args: argparse.Namespace) -> int:
    with Register.open(args.register, readonly=True) as reg:
        items = list_records(reg, args.kind, args.as_at, open_only=args.open,
                             since=getattr(args, "since", None))
        when = args.as_at or reg.default_as_at()
    if args.json:
        print(json.dumps(items, indent=2, ensure_ascii=False))
        return EXIT_OK
    # "1 conflict", "2 conflicts"; a kind not named as a plural (feedback, issued) as it is.
    one, many = _NOUNS.get(args.kind, (args.kind.removesuffix("s"), args.kind))
    noun = one if len(items) == 1 and many.endswith("s") else many
    print(f"{len(items)} {noun} as at {when.strftime('%d/%m/%Y')}")
    for item in items:
        print(escaped(line(args.kind, item) + list_mark(item.get("conflicts") or ())))
    return EXIT_OK


# Written as a reader types them; other controls as \xNN or \uNNNN.
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Bidirectional embeddings, overrides and isolates reorder what a terminal shows after them.
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def escaped(text: str) -> str:
    """A record's line as one line a terminal shows as it is: control characters, line and
    paragraph breaks and bidirectional controls in a title or description are written as
    escapes (`\\n`, `\\t`, `\\x07`, `\\u2028`), never acted on. (--json escapes them itself.)"""
    if text.isprintable():  # nearly every line: no control or format character at all
        return text
    return "".join(_escape(ch) if unicodedata.category(ch) in ("Cc", "Zl", "Zp")
                   or ch in _BIDI else ch for ch in text)


def _escape(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def _when(value: Any) -> str:
    return value["text"] if value else "-"


def line(kind: str, item: dict[str, Any]) -> str:
    """One record as a line of plain `list` output."""
    if kind == "risks":
        cur = item["current"]
        score = f"{cur['score']:>2} {item['band']:<8}" if cur else " - -       "
        treatment = (item.get("treatment") or "-").capitalize()
        return f"{item['ref']:<8} {score} {item['trend']:<6} {item['status']:<9} " \
               f"{treatment:<9} {item['title']}  [{item['owner'] or 'no owner'}]"
    if kind == "milestones":
        due = _when(item["forecast"] or item["baseline"])
        return f"{item['ref']:<8} {item['rag']:<8} {due:<28} {item['title']}"
    if kind == "actions":
        flag = "OVERDUE " if item["overdue"] else ""
        private = " [PRIVATE]" if item.get("private") else ""
        return f"{item['ref']:<8} {item['status']:<11} due {_when(item['due']):<18} " \
               f"{flag}{item['description']}  [{item['owner'] or 'no owner'}]{private}"
    if kind == "feedback":
        return f"{item['ref']:<8} {item['status']:<16} {item['event']}: {item['comment']}"
    if kind == "meetings":
        return (f"{item['ref']:<18} {short_date(date.fromisoformat(item['date']['iso']))} "
                f"{item['time']['text']:<8} {item['committee']} ({item['items']} items, "
                f"{item['private_items']} private)")
    if kind == "agenda":
        part = (" [PRIVATE, minutes released]" if item.get("released") else " [PRIVATE]") \
            if item["part"] == "private" else ""
        return f"{item['ref']:<22} {item['title']}{part}"
    if kind == "decisions":
        private = " [PRIVATE]" if item.get("private") else ""
        return f"{item['ref']:<18} {item['meeting']}: {item['text']}{private}"
    if kind == "issued":
        return f"{item['at'][:10]}  {item['kind']:<9} as at {item['as_at']['iso']}  " \
               f"{item['committee'] or '-'}  {item['file_name']}"
    if kind == "conflicts":
        what = f"{item['record']} {item['field']}" if item["field"] else item["record"]
        state = item["status"] if item["status"] == "open" else f"took {item['taken']}"
        return (f"{item['ref']:<7} {state:<12} {item['kind'].replace('_', ' ')} {what}: "
                f"base {item['base']!r}, ours {item['ours']!r} ({item['ours_by']}), "
                f"theirs {item['theirs']!r} ({item['theirs_by']}, {item['other']})")
    if kind == "changes":
        return f"{(item['at'] or '')[:10]:<10}  {item['change']:<16} {item['text']}"
    if kind == "interests":
        held = f"from {_when(item['from'])}" + (f" to {_when(item['to'])}" if item["to"] else "")
        return (f"{item['ref']:<8} {item['member']:<20} {item['kind']:<22} {item['interest']}"
                f"  [{held}]")
    if kind == "declarations":
        return f"{item['ref']:<8} {item['meeting']:<18} {item['minute']}"
    if kind == "objectives":
        risks = ", ".join(item["principal_risks"]) or "no principal risks"
        return f"{item['ref']:<6} {item['objective']}  [{item['lead'] or 'no lead'}; {risks}]"
    if kind == "baf":
        cur, target = item["current"], item["target"]
        now = f"{cur['score']} {cur['band']}" if cur else "not scored"
        aim = f"{target['score']} {target['band']}" if target else "none"
        overdue = sum(1 for g in item["gaps"] if g["overdue"])
        late = f", {overdue} gap action{'s' if overdue != 1 else ''} OVERDUE" if overdue else ""
        return (f"{item['ref']:<8} {', '.join(item['objectives']) or '-':<9} current {now}, "
                f"target {aim}, {item['trend']}, assurance {item['assurance']}{late}  "
                f"{item['title']}")
    if kind == "key-decisions":
        days = item["clear_days"]
        notice = f"{days} clear day{'' if days == 1 else 's'}" if days is not None \
            else "not published"
        flag = "TO DO " if item["warning"] else ""
        private = f" [PRIVATE: {item['exemption']}]" if item["exempt"] else ""
        return (f"{item['ref']:<7} {_when(item['date']):<18} {notice:<17} "
                f"{item['notice_status']:<18} {item['status']:<9} {item['matter']}  "
                f"[{item['decision_maker']}]{private}  {flag}{item['notice_words']}")
    return json.dumps(item, ensure_ascii=False)
