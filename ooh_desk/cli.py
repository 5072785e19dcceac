"""The command line: the same work as the desktop app, scriptable.

Exit 0 on success; 1 with one plain-English line on stderr for anything the user must put
right; 2 for bad usage. Nothing here imports Qt unless the `gui` command is chosen.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from . import __version__

EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE = 0, 1, 2


def default_demo_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("OOH Desk", appauthor=False) / "demo.oohdesk"


def _as_at(text: str) -> date:
    from .domain.board_dates import BoardDateError, parse_day

    try:
        return date.fromisoformat(text)
    except ValueError:
        try:
            return parse_day(text)
        except BoardDateError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2017-11-09") from None


# --- commands ---------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from .services import init_register

    path = init_register(args.register, args.programme)
    print(f"Created the register {path}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from .services import UserError, build_demo

    path = Path(args.register) if args.register else default_demo_path()
    if path.exists():
        if args.register:
            raise UserError(f"{path} already exists; give a new file name for the demo register")
        path.unlink()  # the default demo is ours to rebuild
    path.parent.mkdir(parents=True, exist_ok=True)
    build_demo(path)
    print(f"Built the demo register at {path}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from .imports.mapping import parse_overrides
    from .services import import_file

    report = import_file(args.register, args.file, kind=args.kind, sheet=args.sheet,
                         overrides=parse_overrides(args.map or []), dry_run=args.dry_run)
    if args.json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        _print_import(report, args.dry_run)
    if report.refused:
        first = report.problems[0]
        more = len(report.problems) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''}; --dry-run lists them all)" \
            if more else ""
        print(f"Nothing was imported: {first}{tail}", file=sys.stderr)
        return EXIT_USER_ERROR
    return EXIT_OK


def _print_import(report: Any, dry_run: bool) -> None:
    guessed = " (guessed from the headings; say --kind to choose)" if report.kind_guessed else ""
    print(f"{report.source}: {report.kind}{guessed}")
    if report.mapping:
        print("Columns used: " + "; ".join(f"{m['column']} -> {m['field']}"
                                           for m in report.mapping))
    if report.ignored:
        print("Columns ignored: " + "; ".join(report.ignored))
    if dry_run or report.refused:
        for r in report.rows:
            if r.outcome == "refused":
                for p in r.problems:
                    print(f"  refused   {p}")
            elif r.outcome != "unchanged" or dry_run:
                changed = f" ({', '.join(r.changed)})" if r.changed else ""
                where = f"row {r.row}: " if r.row else ""
                print(f"  {r.outcome:<9} {where}{r.ref}{changed}")
    counts = report.counts()
    summary = ", ".join(f"{n} {k}" for k, n in counts.items())
    verb = "Would import" if dry_run else ("Imported" if report.written else "Refused")
    print(f"{verb}: {summary}")


def cmd_list(args: argparse.Namespace) -> int:
    from .services import list_records
    from .store import Register

    with Register.open(args.register, readonly=True) as reg:
        items = list_records(reg, args.kind, args.as_at, open_only=args.open,
                             since=getattr(args, "since", None))
        as_at = args.as_at or reg.default_as_at()
    if args.json:
        print(json.dumps(items, indent=2, ensure_ascii=False))
        return EXIT_OK
    print(f"{len(items)} {args.kind} as at {as_at.strftime('%d/%m/%Y')}")
    for item in items:
        print(_line(args.kind, item))
    return EXIT_OK


def _when(value: Any) -> str:
    return value["text"] if value else "-"


def _line(kind: str, item: dict[str, Any]) -> str:
    if kind == "risks":
        cur = item["current"]
        score = f"{cur['score']:>2} {item['band']:<8}" if cur else " - -       "
        return f"{item['ref']:<8} {score} {item['trend']:<6} {item['status']:<9} " \
               f"{item['title']}  [{item['owner'] or 'no owner'}]"
    if kind == "milestones":
        due = _when(item["forecast"] or item["baseline"])
        return f"{item['ref']:<8} {item['rag']:<8} {due:<28} {item['title']}"
    if kind == "actions":
        flag = "OVERDUE " if item["overdue"] else ""
        return f"{item['ref']:<8} {item['status']:<11} due {_when(item['due']):<18} " \
               f"{flag}{item['description']}  [{item['owner'] or 'no owner'}]"
    if kind == "feedback":
        return f"{item['ref']:<8} {item['status']:<16} {item['event']}: {item['comment']}"
    if kind in ("meetings", "agenda", "decisions"):
        from .meeting_services import meeting_line

        return meeting_line(kind, item)
    if kind == "issued":
        return f"{item['at'][:10]}  {item['kind']:<9} as at {item['as_at']['iso']}  " \
               f"{item['committee'] or '-'}  {item['file_name']}"
    if kind == "changes":
        return f"{(item['at'] or '')[:10]:<10}  {item['change']:<16} {item['text']}"
    return json.dumps(item, ensure_ascii=False)


def cmd_export(args: argparse.Namespace) -> int:
    from .services import UserError, write_json_export
    from .store import Register

    out = Path(args.output)
    if args.what == "json":
        with Register.open(args.register, readonly=True) as reg:
            write_json_export(reg, out)
    elif args.what == "risk-log":
        from .exports import risk_log
        from .services import record_issue

        with Register.open(args.register, readonly=True) as reg:
            risk_log.write_risk_log(reg, out, as_at=args.as_at)
        note = record_issue(args.register, "risk-log", args.as_at, out)
        if note:
            print(f"Note: {note}", file=sys.stderr)
    else:  # argparse has checked the choice
        raise UserError(f"cannot export {args.what!r}")
    print(f"Wrote {out}")
    return EXIT_OK


def _no_display() -> bool:
    """On Linux without X or Wayland, Qt aborts the process; say so in words instead."""
    import os

    return (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"))


def cmd_gui(args: argparse.Namespace) -> int:
    if _no_display() and not getattr(args, "smoke_test", False):
        from .services import UserError

        raise UserError("the desktop app needs a screen and none was found (no DISPLAY or "
                        "WAYLAND_DISPLAY); run it from a desktop session, or use the command "
                        "line, e.g. 'ooh-desk list REGISTER risks'")
    try:
        from .gui.app import run
    except ImportError as exc:
        from .services import UserError

        raise UserError(f"the desktop app cannot start: {exc}. On Debian or Ubuntu install "
                        "Qt's libraries: apt-get install libegl1 libxkbcommon0 libfontconfig1 "
                        "libdbus-1-3 libgl1") from None
    return run(getattr(args, "register", None), smoke_test=getattr(args, "smoke_test", False),
               screenshots=getattr(args, "screenshots", None))


# --- wiring ------------------------------------------------------------------------------------

# Commands that live in their own module under ooh_desk/commands/: each module has
# `add_arguments(parser, as_at_type)` and `run(args) -> int`.
MODULE_COMMANDS = [
    ("report", "write a Word board report from the register", "report"),
    ("paper", "create, edit and list the papers written for meetings", "paper"),
    ("pack", "build a meeting's agenda pack (PDF)", "pack"),
    ("minutes", "write a meeting's minutes (Word)", "minutes"),
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ooh-desk",
        description="OOH Desk: a programme's register of milestones, risks, engagement and "
                    "actions, and the board papers written from it.")
    parser.add_argument("--version", action="version", version=f"ooh-desk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("gui", help="open the desktop app")
    p.add_argument("register", nargs="?", help="register file (default: the last one, or the demo)")
    p.add_argument("--smoke-test", action="store_true",
                   help="open every view once offscreen; exit 0 if all opened cleanly, else 1")
    p.add_argument("--screenshots", metavar="DIR", help="save one PNG per view into DIR")
    p.set_defaults(run=cmd_gui)

    p = sub.add_parser("init", help="create an empty register")
    p.add_argument("register")
    p.add_argument("--programme", metavar="NAME", help="the programme's name")
    p.set_defaults(run=cmd_init)

    p = sub.add_parser("demo", help="build a register filled from the sample data")
    p.add_argument("register", nargs="?", help=f"where to build it (default: {default_demo_path()})")
    p.set_defaults(run=cmd_demo)

    p = sub.add_parser("import", help="import a CSV, .xlsx or OOH Desk .json file")
    p.add_argument("register")
    p.add_argument("file")
    p.add_argument("--kind", choices=["risks", "milestones", "feedback", "actions", "agenda"],
                   help="what the file holds (default: guessed from its headings)")
    p.add_argument("--sheet", metavar="NAME", help="the sheet to read from an .xlsx file")
    p.add_argument("--map", action="append", metavar='"Their column=field"',
                   help="map a column heading to a field (repeatable; field 'ignore' drops it)")
    p.add_argument("--dry-run", action="store_true",
                   help="show what would change, row by row, and write nothing")
    p.add_argument("--json", action="store_true", help="print the import report as JSON")
    p.set_defaults(run=cmd_import)

    p = sub.add_parser("list", help="list a kind of record")
    p.add_argument("register")
    p.add_argument("kind", choices=["risks", "milestones", "feedback", "actions", "papers",
                                    "agenda", "meetings", "decisions", "issued", "changes"])
    p.add_argument("--open", action="store_true",
                   help="only open risks, incomplete milestones and actions, open feedback")
    p.add_argument("--as-at", type=_as_at, metavar="YYYY-MM-DD",
                   help="the date that decides RAG and overdue (default: today)")
    p.add_argument("--since", type=_as_at, metavar="YYYY-MM-DD",
                   help="changes: count from this day (default: the last report issued)")
    p.add_argument("--json", action="store_true", help="print JSON (ISO dates beside board dates)")
    p.set_defaults(run=cmd_list)

    p = sub.add_parser("export", help="export a risk log (.xlsx) or the whole register (.json)")
    p.add_argument("register")
    p.add_argument("what", choices=["risk-log", "json"])
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--as-at", type=_as_at, metavar="YYYY-MM-DD")
    p.set_defaults(run=cmd_export)

    for name, help_text, module_name in MODULE_COMMANDS:
        qualified = f"ooh_desk.commands.{module_name}"
        if importlib.util.find_spec(qualified) is None:
            continue  # that capability is not built yet
        module = importlib.import_module(qualified)
        p = sub.add_parser(name, help=help_text)
        module.add_arguments(p, _as_at)
        p.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["gui", *([] if argv is None else list(argv))])
    return run_command(args)


def run_command(args: argparse.Namespace) -> int:
    from .errors import UserFacing, plain_message

    try:
        return args.run(args)
    except UserFacing as exc:
        print(plain_message(exc), file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("Stopped; nothing more was written.", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
