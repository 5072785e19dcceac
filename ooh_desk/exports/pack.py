"""A meeting's agenda packs as PDF: the front sheet (in the form of a council agenda: time
and date, place, numbered public business with "(Pages a - b)", private business, contact
officer, membership), then each item's document starting on a right-hand (odd) page, with
"This page is intentionally left blank" pages between, page numbers stamped on every page
after the front sheet where the page's own text leaves the margin clear (pack_margins; our
own papers and minutes go in without page numbers of their own), a bookmark per item, one
structure tree for a screen reader (pack_tags), and the document's title and language set.

The page ranges are read from the finished PDFs, never estimated. Private (exempt) items go
only into the private pack: the public pack never receives a private item's pages, title,
bookmark, file name or metadata, nor (through the papers and minutes written into it) the
minutes, decisions or actions of private business not released. A public item carrying an
exempt paper stops the pack; every page of the private pack says NOT FOR PUBLICATION with
its exemption paragraph, stamped clear of the page's text where the page does not say so.

Imports no Qt. Word documents go through LibreOffice (exports/office.py); the front sheet,
blank pages and page-number overlays are drawn with reportlab, which saves a second
LibreOffice start per pack.
"""

from __future__ import annotations

import io
import stat
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import NameObject, TextStringObject

from ..domain.board_dates import long_date
from ..domain.meetings import AgendaItem, Committee, Meeting, not_for_publication, parse_exemption
from ..errors import UserFacing, partial_path
from ..store import Register
from ..store import meetings as store
from ..store.papers import get_paper
from . import office, report
from . import pack_drawing as drawing
from . import pack_margins as margins
from .docx_xml import has_field
from .minutes import write_minutes
from .pack_tags import merge_structure

BLANK_TEXT = "This page is intentionally left blank"
LANGUAGE = "en-GB"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted Office file is an OLE container

Progress = Callable[[str, int, int], None]


class PackError(UserFacing):
    """A pack cannot be built; the message names the item and what to do."""


@dataclass
class PackedItem:
    number: str
    title: str
    first: int
    last: int


@dataclass
class BuiltPack:
    path: Path
    pages: int
    front_sheet_pages: int
    items: list[PackedItem] = field(default_factory=list)
    blank_pages: list[int] = field(default_factory=list)  # 1-based
    notes: list[str] = field(default_factory=list)  # pages with no clear margin for a stamp


@dataclass
class PackResult:
    public: BuiltPack
    private: BuiltPack | None = None
    private_items_left_out: int = 0
    notes: list[str] = field(default_factory=list)  # for the user: "… no private pack was written"


def build_packs(reg: Register, meeting: Meeting, output: Path, private_output: Path | None = None,
                as_at: date | None = None, progress: Progress | None = None) -> PackResult:
    """Build the public pack (and the private one when asked); nothing is written unless
    every document converts."""
    progress = progress or (lambda step, done, total: None)
    committee = store.get_committee(reg, meeting.committee) or Committee(meeting.committee)
    items = store.agenda(reg, meeting)
    public = [i for i in items if not i.private]
    private = [i for i in items if i.private]
    if private_output is not None and Path(private_output).resolve() == Path(output).resolve():
        raise PackError("the private pack must be written to a different file from the "
                        "public pack")
    _check_no_exempt_paper(reg, meeting, public)
    notes = []
    if private_output is not None and not private:
        notes.append(f"{meeting.ref} has no private items; no private pack was written")
        private_output = None
    for path in (output, private_output):
        if path is not None and not Path(path).parent.is_dir():
            raise PackError(f"the folder {Path(path).parent} does not exist")
    output = Path(output)
    private_output = Path(private_output) if private_output is not None else None
    wanted = public + (private if private_output is not None else [])
    try:
        with tempfile.TemporaryDirectory(prefix="ooh-pack-") as scratch:
            pdfs = _item_pdfs(reg, meeting, wanted, Path(scratch), as_at, progress)
            progress("assembling the public pack", 0, 1)
            public_pack = _assemble(committee, meeting, public, private, pdfs, output,
                                    private_pack=False)
            private_pack = None
            if private_output is not None:
                progress("assembling the private pack", 0, 1)
                private_pack = _assemble(committee, meeting, private, [], pdfs, private_output,
                                         private_pack=True)
            # Only now, with both packs complete, do they take their real names.
            _commit(public_pack)
            if private_pack is not None:
                _commit(private_pack)
    except BaseException:
        for path in (output, private_output):
            if path is not None:
                _partial(path).unlink(missing_ok=True)
        raise
    progress("done", 1, 1)
    notes += public_pack.notes + (private_pack.notes if private_pack is not None else [])
    return PackResult(public_pack, private_pack,
                      0 if private_output is not None else len(private), notes)


def _check_no_exempt_paper(reg: Register, meeting: Meeting, public: Sequence[AgendaItem]) -> None:
    for item in public:
        paper = get_paper(reg, item.paper_ref) if item.paper_ref else None
        if paper is not None and paper.exempt:
            raise PackError(f"{meeting.ref} item {item.number} carries the exempt paper "
                            f"{paper.ref}; mark the item private (with its exemption paragraph) "
                            "or link a public paper; no pack was written")


# --- each item's document as PDF ------------------------------------------------------------------


def _label(item: AgendaItem) -> str:
    return f"item {item.number} ({item.title})"


def _item_pdfs(reg: Register, meeting: Meeting, items: Sequence[AgendaItem], scratch: Path,
               as_at: date | None, progress: Progress) -> dict[str, Path]:
    """item uuid -> its PDF. Word documents are converted together in one LibreOffice run."""
    to_convert: dict[Path, AgendaItem] = {}
    ready: dict[str, Path] = {}
    for n, item in enumerate(items, 1):
        stem = scratch / f"item-{n:02d}"
        if item.document is not None:
            content = store.document_content(reg, item.document.uuid)
            if item.document.suffix == "pdf":
                path = stem.with_suffix(".pdf")
                path.write_bytes(content)
                ready[item.uuid] = path
            else:
                _check_office_file(item, content)
                path = stem.with_suffix(f".{item.document.suffix}")
                path.write_bytes(content)
                to_convert[path] = item
        elif item.paper_ref:
            to_convert[_without_page_numbers(
                _write_paper(reg, item, stem.with_suffix(".docx"), as_at, meeting))] = item
        elif item.minutes_of:
            minutes_of = store.find_meeting(reg, item.minutes_of)
            # A private item may carry the exempt part of earlier minutes; a public one never.
            to_convert[_without_page_numbers(
                write_minutes(reg, minutes_of, stem.with_suffix(".docx"),
                              include_private=item.private))] = item
    if to_convert:
        progress("converting Word documents with LibreOffice", 0, len(to_convert))
        try:
            converted = office.convert_to_pdf(list(to_convert), scratch / "pdf")
        except office.OfficeMissing as exc:
            raise PackError(str(exc)) from None
        except subprocess.TimeoutExpired:
            raise PackError("LibreOffice took too long converting the documents; close other "
                            "LibreOffice windows and try again") from None
        for source, pdf in converted.items():
            item = to_convert[source]
            if pdf is None:
                raise PackError(f"{meeting.ref} {_label(item)}: LibreOffice could not convert "
                                f"its document{_named(item)} (is it damaged or "
                                "password-protected?); no pack was written")
            ready[item.uuid] = pdf
        progress("converting Word documents with LibreOffice", len(to_convert), len(to_convert))
    for item in items:
        if item.uuid in ready:
            _check_pdf(meeting, item, ready[item.uuid])
    return ready


def _named(item: AgendaItem) -> str:
    return f" {item.document.filename}" if item.document else ""


def _check_office_file(item: AgendaItem, content: bytes) -> None:
    suffix = item.document.suffix if item.document else ""
    if suffix in ("docx", "odt"):
        if content.startswith(_OLE_MAGIC):
            raise PackError(f"{_label(item)}: its document{_named(item)} is password-protected;"
                            " save a copy without a password and attach that; no pack was "
                            "written")
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                bad = archive.testzip()
        except zipfile.BadZipFile:
            bad = "the file"
        if bad is not None:
            raise PackError(f"{_label(item)}: its document{_named(item)} is damaged (it is not "
                            "a readable Word file); no pack was written")


def _check_pdf(meeting: Meeting, item: AgendaItem, path: Path) -> None:
    where = f"{meeting.ref} {_label(item)}"
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PackError(f"{where}: its PDF{_named(item)} is password-protected; attach a "
                            "copy without a password; no pack was written")
        pages = len(reader.pages)
    except PackError:
        raise
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise PackError(f"{where}: its PDF{_named(item)} is damaged ({exc}); no pack was "
                        "written") from None
    if pages == 0:
        raise PackError(f"{where}: its PDF{_named(item)} has no pages; no pack was written")


def _write_paper(reg: Register, item: AgendaItem, out: Path, as_at: date | None,
                 meeting: Meeting) -> Path:
    """The item's paper, written for this meeting: its committee, date and as-at date
    (as_at.report_as_at: the meeting's date unless the pack is asked for another)."""
    try:
        report.write_report(reg, out, paper_ref=item.paper_ref, meeting=meeting.ref, as_at=as_at,
                            exempt=item.private, exemption=item.exemption)
    except UserFacing as exc:  # the report's own user errors, named against the item
        raise PackError(f"{_label(item)}: the paper {item.paper_ref} cannot be written "
                        f"({exc})") from None
    return out


def _without_page_numbers(path: Path) -> Path:
    """Our own papers and minutes go into a pack without their 'Page X of Y': the pack
    numbers every page, and two numbers on one page contradict each other."""
    from docx import Document  # python-docx only when a pack writes our own documents
    from docx.oxml.ns import qn

    doc = Document(str(path))
    changed = False
    for section in doc.sections:
        for part in (section.footer, section.first_page_footer, section.even_page_footer,
                     section.header, section.first_page_header, section.even_page_header):
            if part.is_linked_to_previous:
                continue
            for paragraph in part.paragraphs:
                if has_field([paragraph._p], "PAGE") or has_field([paragraph._p], "NUMPAGES"):
                    for child in list(paragraph._p):
                        if child.tag != qn("w:pPr"):
                            paragraph._p.remove(child)
                    changed = True
    if changed:
        doc.save(str(path))
    return path


# --- assembling a pack -------------------------------------------------------------------------


def _assemble(committee: Committee, meeting: Meeting, items: Sequence[AgendaItem],
              withheld: Sequence[AgendaItem], pdfs: dict[str, Path], output: Path,
              private_pack: bool) -> BuiltPack:
    readers = {uuid: PdfReader(path) for uuid, path in pdfs.items()}
    for reader in readers.values():
        if reader.is_encrypted:
            reader.decrypt("")
    counts = {i.uuid: len(readers[i.uuid].pages) for i in items if i.uuid in readers}
    # The front sheet's length decides where item 1 starts, and the page numbers printed on
    # it can (rarely) change its length: lay out until it stops changing.
    front_pages, ranges, front = 1, {}, b""
    for _ in range(4):
        ranges = _ranges(items, counts, front_pages)
        tags = drawing.Tags()
        front = drawing.front_sheet(committee, meeting, items, withheld, ranges, private_pack,
                                    tags)
        length = len(PdfReader(io.BytesIO(front)).pages)
        if length == front_pages:
            break
        front_pages = length
    else:
        raise PackError("the front sheet's length would not settle; shorten the item titles")
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(front)), import_outline=False)
    blank_pages: list[int] = []
    packed: list[PackedItem] = []
    parts: list[tuple[PdfReader, int, str]] = []
    writer.add_outline_item(title="Agenda", page_number=0)
    for item in items:
        if item.uuid not in ranges:
            continue
        first, last = ranges[item.uuid]
        while len(writer.pages) < first - 1:
            writer.append(PdfReader(io.BytesIO(drawing.blank_page())), import_outline=False)
            blank_pages.append(len(writer.pages))
        writer.append(readers[item.uuid], import_outline=False)
        assert len(writer.pages) == last, "page arithmetic went wrong"
        writer.add_outline_item(title=f"{item.number}. {item.title}", page_number=first - 1)
        packed.append(PackedItem(item.number, item.title, first, last))
        parts.append((readers[item.uuid], first - 1, f"{item.number}. {item.title}"))
    merge_structure(writer, parts, LANGUAGE, tags.pages)
    markings = _markings(items, ranges, front_pages, len(writer.pages)) if private_pack else {}
    notes = _stamp(writer, front_pages, markings)
    title = _title(committee, meeting, private_pack)
    writer.add_metadata({"/Title": title, "/Author": committee.organisation or committee.name,
                         "/Subject": "Agenda pack" + (" - private business" if private_pack
                                                      else ""),
                         "/Creator": "OOH Desk"})
    root = writer._root_object
    root[NameObject("/Lang")] = TextStringObject(LANGUAGE)
    writer.create_viewer_preferences()
    writer.viewer_preferences.display_doctitle = True
    writer.page_mode = "/UseOutlines"
    with open(_partial(output), "wb") as handle:
        writer.write(handle)
    return BuiltPack(output, len(writer.pages), front_pages, packed, blank_pages,
                     [f"{output.name}: {note}" for note in notes])


def _ranges(items: Sequence[AgendaItem], counts: dict[str, int],
            front_pages: int) -> dict[str, tuple[int, int]]:
    """Each document's first and last page: every item starts on an odd page."""
    out = {}
    page = front_pages + 1
    for item in items:
        if item.uuid not in counts:
            continue
        if page % 2 == 0:
            page += 1
        out[item.uuid] = (page, page + counts[item.uuid] - 1)
        page += counts[item.uuid]
    return out


# A stamp goes in the first spot the page's own text leaves clear: the page number at the foot
# (centre, then the corners), then the head; a private pack's marking at the head first.
NUMBER_SPOTS = ("bottom-centre", "bottom-right", "bottom-left", "foot-centre", "foot-right",
                "foot-left", "top-right", "head-right", "top-left", "head-left", "top-centre",
                "head-centre")
MARKING_SPOTS = ("head-centre", "top-centre", "foot-centre", "bottom-centre", "foot-left",
                 "bottom-left", "head-left", "top-left")


def _markings(items: Sequence[AgendaItem], ranges: dict[str, tuple[int, int]],
              front_pages: int, pages: int) -> dict[int, str]:
    """page index -> the NOT FOR PUBLICATION line it carries: an item's pages (and the blank
    page before it) its own exemption; the front sheet every exemption in the pack."""
    out = dict.fromkeys(range(pages), exemption_line(items))
    start = front_pages
    for item in items:
        if item.uuid in ranges:
            first, last = ranges[item.uuid]
            for index in range(start, last):
                out[index] = exemption_line([item])
            start = last
    return out


def exemption_line(items: Sequence[AgendaItem]) -> str:
    grounds = list(dict.fromkeys(parse_exemption(i.exemption) for i in items if i.exemption))
    if len(grounds) <= 1:
        return not_for_publication(grounds[0] if grounds else "")
    if all(g.startswith("Paragraph ") for g in grounds):
        joined = ", ".join(grounds[:-1]) + f" and {grounds[-1]}"
        return (f"NOT FOR PUBLICATION by virtue of {joined} of Part 1 of Schedule 12A of the "
                "Local Government Act 1972")
    return f"NOT FOR PUBLICATION ({'; '.join(grounds)})"


def _stamp(writer: PdfWriter, front_pages: int, markings: dict[int, str]) -> list[str]:
    """Number every page after the front sheet and put each page's marking on it, each where
    the page's own text leaves the margin clear. Returns a note for each stamp left off."""
    targets = sorted(set(range(front_pages, len(writer.pages))) | set(markings))
    if not targets:
        return []
    regular, bold = drawing.fonts()
    notes, overlays = [], []
    for index in targets:
        page = writer.pages[index]
        if page.get("/Rotate"):
            page.transfer_rotation_to_content()
        crop = page.cropbox
        area = (float(crop.left), float(crop.bottom), float(crop.right), float(crop.top))
        occupied = margins.text_boxes(page)
        placed = []
        line = markings.get(index)
        if line and " ".join(line.split()) not in " ".join((page.extract_text() or "").split()):
            stamp = margins.place(line, bold, (8, 7, 6), area, occupied, MARKING_SPOTS)
            if stamp is None:
                notes.append(f"page {index + 1} has no clear margin for \"{line}\"")
            else:
                placed.append(stamp)
                occupied.append(stamp.box())
        if index >= front_pages:
            stamp = margins.place(f"Page {index + 1}", regular, (10, 8), area, occupied,
                                  NUMBER_SPOTS)
            if stamp is None:
                notes.append(f"page {index + 1} has no clear margin for its page number")
            else:
                placed.append(stamp)
        media = page.mediabox
        overlays.append(((float(media.left), float(media.bottom), float(media.width),
                          float(media.height)), placed))
    overlay = PdfReader(io.BytesIO(drawing.stamps(overlays)))
    for index, stamp_page in zip(targets, overlay.pages, strict=True):
        writer.pages[index].merge_page(stamp_page)
    return notes


def _title(committee: Committee, meeting: Meeting, private_pack: bool) -> str:
    title = f"{committee.name}, {long_date(meeting.date)}: agenda pack"
    return title + " (private business, not for publication)" if private_pack else title


def _partial(path: Path) -> Path:
    return partial_path(path)  # cut to fit the disk beside a long output name


def _commit(pack: BuiltPack) -> None:
    temp = _partial(pack.path)
    try:
        if pack.path.is_file():  # a pack replaced keeps the permissions it was given
            temp.chmod(stat.S_IMODE(pack.path.stat().st_mode))
        temp.replace(pack.path)
    except PermissionError:
        temp.unlink(missing_ok=True)
        raise PackError(f"cannot write {pack.path}: permission denied (is it open in another "
                        "program?)") from None


__all__ = ["BLANK_TEXT", "PackError", "PackResult", "build_packs"]
