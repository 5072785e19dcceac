"""The verbs on papers — create, edit, import from Markdown, list — called alike by the command
line and the desktop app. Every write is one transaction, audited. Imports no Qt."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

from ..domain import codec
from ..domain.board_dates import BoardDate, BoardDateError, parse_day
from ..domain.meetings import parse_exemption
from ..domain.papers import (
    PICTURE,
    REGISTER_PICTURE,
    STYLES,
    Paper,
    PaperError,
    parse_blocks,
    parse_decision,
    parse_markdown,
)
from ..errors import UserFacing
from ..store import Change, Register
from ..store.papers import add_picture, all_papers, get_paper, next_paper_ref, save_paper

# Fields typed as text, by the names a user may give them (CLI flags and Markdown front matter).
TEXT_FIELDS = {"title": "title", "committee": "committee", "meeting": "meeting",
               "author": "author", "author title": "author_title", "job title": "author_title",
               "author_title": "author_title", "directorate": "directorate",
               "contact": "contact", "sponsor": "sponsor"}
_YES = {"yes", "y", "true", "1", "on"}
_NO = {"no", "n", "false", "0", "off", ""}


class PaperInputError(UserFacing, ValueError):
    """A paper's input that cannot be used; one plain-English line saying where."""


def apply_fields(paper: Paper, values: Mapping[str, str], where: str) -> None:
    """Set a paper's fields from typed text ('meeting date' -> a day, 'decision' -> one of
    approval/consideration/noting …), or raise PaperInputError naming the field. An
    exemption paragraph makes the paper exempt; a paper made public loses its paragraph."""
    keys = {name.replace("_", " ").replace("-", " ").lower().strip() for name in values}
    for name, raw in values.items():
        key = name.replace("_", " ").replace("-", " ").lower().strip()
        text = " ".join(str(raw).split()) if key != "sections" else raw
        try:
            if key in TEXT_FIELDS:
                setattr(paper, TEXT_FIELDS[key], text)
            elif key in ("meeting date", "date"):
                paper.meeting_date = parse_day(text) if text else None
            elif key == "decision":
                paper.decision = parse_decision(text)
            elif key == "style":
                if text and text.lower() not in STYLES:
                    raise PaperError(f"{text!r} is not a house style (use {', '.join(STYLES)})")
                paper.style = text.lower()
            elif key == "blocks":
                paper.blocks = parse_blocks(text)
            elif key in ("include closed risks", "exempt"):
                flag = _flag(text)
                setattr(paper, key.replace(" ", "_"), flag)
            elif key == "exemption":
                paper.exemption = parse_exemption(text)
            else:
                raise PaperError(f"OOH Desk does not know the field {name!r}")
        except (PaperError, BoardDateError) as exc:
            raise PaperInputError(f"{where}, {name}: {exc}") from None
    if "exemption" in keys and paper.exemption:
        if "exempt" in keys and not paper.exempt:
            raise PaperInputError(f"{where}: a paper with an exemption paragraph is exempt; "
                                  "give exempt yes, or no paragraph")
        paper.exempt = True
    if not paper.exempt:
        paper.exemption = ""


def _flag(text: str) -> bool:
    key = text.strip().lower()
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise PaperError(f"{text!r} is not yes or no")


def set_sections(paper: Paper, sections: Mapping[str, str]) -> None:
    """Replace the named sections' text; empty text removes a section. A section the paper
    has already ('purpose' finds 'Purpose of the Report') keeps its heading and its place; a
    new one is added at the end under the heading exactly as typed."""
    for name, text in sections.items():
        heading = paper.heading_for(name) or " ".join(name.split())
        if text.strip():
            paper.sections[heading] = text.strip()
        else:
            paper.sections.pop(heading, None)


# The picture formats a Word document shows, by the bytes they start with.
_PICTURE_MAGIC = ((b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF8", "GIF"),
                  (b"BM", "BMP"), (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"))


def absolute_pictures(text: str, folder: Path) -> str:
    """A section read from a file: its pictures' relative paths made relative to that file's
    folder (so `--section background=@notes/bg.md` finds notes/map.png)."""
    def fix(match: re.Match[str]) -> str:
        target = match.group(2).strip()
        if not target or REGISTER_PICTURE.match(target) or Path(target).is_absolute():
            return match.group(0)
        return f"![{match.group(1)}](<{(folder / target).resolve()}>)"
    return PICTURE.sub(fix, text)


def store_pictures(reg: Register, paper: Paper) -> None:
    """Copy every picture a section shows into the register and point the section at the
    stored copy, so the paper needs no file beside it. A picture without alt text, or whose
    file is missing or not a picture, is refused naming the paper, section and picture."""
    for heading, text in list(paper.sections.items()):
        where = f"paper {paper.ref or '(new)'}, section '{heading}'"

        def keep(match: re.Match[str], where: str = where) -> str:
            alt, target = match.group(1).strip(), match.group(2).strip()
            if not alt:
                shown = REGISTER_PICTURE.sub(r"\2", target) if target else "()"
                shown = Path(shown).name or shown
                raise PaperInputError(f"{where}: the picture {shown} has no alt text; write "
                                      f"![what the picture shows]({shown}) so a screen reader "
                                      "can say it")
            if REGISTER_PICTURE.match(target):
                return match.group(0)
            if not target:
                raise PaperInputError(f"{where}: the picture '{alt}' names no file")
            path = Path(target).expanduser()
            try:
                content = path.read_bytes()
            except FileNotFoundError:
                raise PaperInputError(f"{where}: there is no picture file at {path}") from None
            except OSError as exc:
                raise PaperInputError(f"{where}: the picture {path} cannot be read "
                                      f"({exc.strerror or exc})") from None
            if not any(content.startswith(magic) for magic, _ in _PICTURE_MAGIC):
                raise PaperInputError(f"{where}: {path.name} is not a PNG, JPEG, GIF, BMP or "
                                      "TIFF picture")
            return f"![{alt}]({add_picture(reg, path.name, content)})"

        paper.sections[heading] = PICTURE.sub(keep, text)


def new_paper(reg: Register, values: Mapping[str, str], sections: Mapping[str, str] | None = None,
              where: str = "the new paper") -> Paper:
    with reg.transaction():
        paper = Paper(ref=next_paper_ref(reg), title="")
        apply_fields(paper, values, where)
        if not paper.title:
            raise PaperInputError(f"{where}: a paper needs a title (--title)")
        set_sections(paper, sections or {})
        store_pictures(reg, paper)
        save_paper(reg, paper, operation="paper new")
    return paper


def edit_paper(reg: Register, ref: str, values: Mapping[str, str],
               sections: Mapping[str, str] | None = None) -> Change:
    with reg.transaction():
        paper = get_paper(reg, ref)
        if paper is None:
            raise PaperInputError(f"there is no paper {ref} in {reg.path.name}")
        apply_fields(paper, values, f"paper {paper.ref}")
        if not paper.title:
            raise PaperInputError(f"paper {paper.ref}: the title cannot be empty")
        set_sections(paper, sections or {})
        store_pictures(reg, paper)
        return save_paper(reg, paper, operation="paper set")


def save_paper_record(reg: Register, paper: Paper, operation: str = "edit") -> Change:
    """Write a whole paper as edited in the desktop app (or put back by an undo), checked as
    the command line checks it."""
    if not paper.title.strip():
        raise PaperInputError(f"paper {paper.ref or '(new)'}: a paper needs a title")
    if paper.style and paper.style not in STYLES:
        raise PaperInputError(f"paper {paper.ref}: {paper.style!r} is not a house style "
                              f"(use {', '.join(STYLES)})")
    try:
        paper.decision = parse_decision(paper.decision)
        paper.blocks = parse_blocks(paper.blocks)
    except PaperError as exc:
        raise PaperInputError(f"paper {paper.ref}: {exc}") from None
    with reg.transaction():
        if not paper.ref:
            paper.ref = next_paper_ref(reg)
        store_pictures(reg, paper)
        return save_paper(reg, paper, operation=operation)


def import_markdown(reg: Register, path: Path, ref: str | None = None) -> tuple[Paper, Change]:
    """A paper from a Markdown file: 'Field: value' lines, then one '## Heading' per section.
    With `ref`, that paper is updated (its sections replaced by the file's)."""
    if not path.exists():
        raise PaperInputError(f"there is no file at {path}")
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError:
        raise PaperInputError(f"{path.name} is not UTF-8 text; save it as UTF-8 and try "
                              "again") from None
    try:
        front, sections = parse_markdown(text, path.name)
    except PaperError as exc:
        raise PaperInputError(str(exc)) from None
    if not sections:
        raise PaperInputError(f"{path.name} has no sections: start each with a '## Heading' "
                              "line, such as '## Purpose'")
    with reg.transaction():
        paper = get_paper(reg, ref) if ref else None
        if ref and paper is None:
            raise PaperInputError(f"there is no paper {ref} in {reg.path.name}")
        if paper is None:
            paper = Paper(ref=next_paper_ref(reg), title="")
        apply_fields(paper, front, path.name)
        if not paper.title:
            raise PaperInputError(f"{path.name}: the paper needs a title ('# Title' or "
                                  "'Title: …' before the first section)")
        folder = path.resolve().parent
        paper.sections = {h: absolute_pictures(t, folder) for h, t in sections.items()}
        store_pictures(reg, paper)
        change = save_paper(reg, paper, operation=f"import {path.name}")
    return paper, change


def paper_to_json(paper: Paper) -> dict[str, Any]:
    """A paper as `list papers --json` shows it: ref first, the meeting date as a board date
    (house text beside ISO days)."""
    out: dict[str, Any] = {"ref": paper.ref}
    for f in fields(paper):
        if f.name == "ref":
            continue
        value = getattr(paper, f.name)
        if f.name == "meeting_date":
            value = codec.board_date_to_json(BoardDate.from_date(value) if value else None)
        out[f.name] = value
    return out


def list_papers(reg: Register) -> list[dict[str, Any]]:
    return [paper_to_json(p) for p in all_papers(reg)]
