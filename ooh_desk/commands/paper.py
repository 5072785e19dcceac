"""`ooh-desk paper REGISTER new|set|show|list|import …`: papers kept in the register, so a
paper's narrative lives with its data rather than in a loose Word file.

    ooh-desk paper reg.oohdesk new --title "Out of Hospital update" --committee "…" --author "…"
    ooh-desk paper reg.oohdesk set P-001 --section purpose=@purpose.md --decision approval
    ooh-desk paper reg.oohdesk import update.md            (## Purpose, ## Recommendations …)
    ooh-desk paper reg.oohdesk show P-001 [--json]
    ooh-desk paper reg.oohdesk list [--json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..errors import UserError
from ..store import Register
from .common import EXIT_OK

NAME = "paper"
HELP = "create, edit and list the papers written for meetings"

_FIELDS = (
    ("--title", "the paper's title"),
    ("--committee", "the committee or board it goes to"),
    ("--meeting", "the meeting's ref"),
    ("--meeting-date", "the meeting's date (YYYY-MM-DD or 9 November 2017)"),
    ("--author", "the report author's name"),
    ("--author-title", "the author's job title"),
    ("--directorate", "the author's directorate or organisation"),
    ("--contact", "telephone and e-mail contact"),
    ("--sponsor", "the sponsoring director"),
    ("--decision", "approval, consideration or noting"),
    ("--style", "house style: coventry, durham or nhs-cover"),
    ("--blocks", "register blocks, comma separated: timeline, risk-log, heat-map, actions, "
                 "feedback, decisions, options (the paper's options appraisal)"),
    ("--include-closed-risks", "yes or no: show closed risks in the risk log"),
    ("--exempt", "yes or no: private (exempt) business, never in a public pack"),
    ("--exemption", "the paragraph an exempt paper relies on (Paragraph 3); printed with NOT "
                    "FOR PUBLICATION on every page"),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("register")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    def fields(p: argparse.ArgumentParser) -> None:
        for flag, text in _FIELDS:
            p.add_argument(flag, metavar="TEXT", help=text)
        p.add_argument("--section", action="append", default=[], metavar="NAME=TEXT",
                       help="a narrative section (purpose, recommendations, background, options, "
                            "financial, legal, equality, ppi, risk …, or any heading of your "
                            "own, printed as typed); NAME=@FILE reads the text from a file "
                            "(Markdown: lists, | tables |, ![alt text](picture.png)); "
                            "repeatable; empty text removes it")

    fields(sub.add_parser("new", help="create a paper"))
    p = sub.add_parser("set", help="change a paper's fields or sections")
    p.add_argument("ref")
    fields(p)
    p = sub.add_parser("show", help="show one paper")
    p.add_argument("ref")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("list", help="list the papers")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("import", help="create (or with --ref, update) a paper from Markdown")
    p.add_argument("file")
    p.add_argument("--ref", help="the paper to update (default: a new paper)")


def _values(args: argparse.Namespace) -> dict[str, str]:
    out = {}
    for flag, _ in _FIELDS:
        value = getattr(args, flag[2:].replace("-", "_"))
        if value is not None:
            out[flag[2:].replace("-", " ")] = value
    return out


def _sections(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise UserError(f"--section {item!r}: write it as NAME=TEXT or NAME=@FILE")
        if text.startswith("@"):
            path = Path(text[1:])
            if not path.exists():
                raise UserError(f"--section {name}: there is no file at {path}")
            try:
                text = path.read_text("utf-8-sig")
            except UnicodeDecodeError:
                raise UserError(f"--section {name}: {path.name} is not UTF-8 text") from None
            from ..services import papers

            text = papers.absolute_pictures(text, path.resolve().parent)
        out[name.strip()] = text
    return out


def run(args: argparse.Namespace) -> int:
    # Loaded here, not with the command line: the desktop app starts through cli.py too.
    from ..services import papers

    readonly = args.action in ("show", "list")
    with Register.open(args.register, readonly=readonly) as reg:
        if args.action == "new":
            paper = papers.new_paper(reg, _values(args), _sections(args.section))
            print(f"Created paper {paper.ref}: {paper.title}")
        elif args.action == "set":
            change = papers.edit_paper(reg, args.ref, _values(args), _sections(args.section))
            what = ", ".join(sorted(change.fields)) if change.fields else "nothing changed"
            print(f"Paper {change.ref}: {what}")
        elif args.action == "import":
            paper, change = papers.import_markdown(reg, Path(args.file), args.ref)
            verb = {"new": "Created", "updated": "Updated"}.get(change.outcome, "Unchanged:")
            print(f"{verb} paper {paper.ref}: {paper.title} "
                  f"({len(paper.sections)} sections: {', '.join(paper.sections)})")
        elif args.action == "show":
            found = [p for p in papers.list_papers(reg) if p["ref"].lower() == args.ref.lower()]
            if not found:
                raise UserError(f"there is no paper {args.ref} in {reg.path.name}")
            _show(found[0], args.json)
        else:
            items = papers.list_papers(reg)
            if args.json:
                print(json.dumps(items, indent=2, ensure_ascii=False))
            else:
                print(f"{len(items)} papers")
                for p in items:
                    when = p["meeting_date"]["text"] if p["meeting_date"] else "no date"
                    print(f"{p['ref']:<7} {p['decision']:<13} {when:<18} {p['title']}  "
                          f"[{p['committee'] or 'no committee'}]")
    return EXIT_OK


def _show(item: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(item, indent=2, ensure_ascii=False))
        return
    for key, value in item.items():
        if key in ("sections", "uuid"):
            continue
        if key == "meeting_date":
            value = value["text"] if value else ""
        print(f"{key.replace('_', ' ').capitalize() + ':':<22} {value}")
    for name, text in item["sections"].items():
        print(f"\n## {name}\n{text}")
