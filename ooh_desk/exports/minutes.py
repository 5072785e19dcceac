"""A meeting's minutes as a Word document in the form councils use: who was present (members,
substitutes, other representatives, officers) and who sent apologies; each minute under its
number for the municipal year; "RESOLVED that:" with its parts numbered (1), (2) or lettered
(a), (b) as the register's settings say; the actions arising; page numbers in the footer.
Headings step down one level at a time (the meeting, then Present / Apologies / Public
Business, then each group and minute), so a screen reader's heading list reads as the page does.

Public minutes leave private (exempt) items out — their minutes, decisions and actions —
unless the item was released, so they can go into the next meeting's public pack;
`include_private` writes the full set, NOT FOR PUBLICATION at the top of every page. Imports
python-docx only, no Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ..domain.board_dates import long_date
from ..domain.conflict_marks import NOTE as CONFLICT_NOTE
from ..domain.conflict_marks import ConflictMarks, cell_mark, named_mark
from ..domain.interests import DECLARATIONS_TITLE, declaration_sentence, declarations_item
from ..domain.meetings import (
    AgendaItem,
    Attendee,
    Committee,
    Meeting,
    display_time,
    not_for_publication,
)
from ..errors import atomic_output
from ..store import Register
from ..store import interests as interest_store
from ..store import meetings as store
from ..store.changes import open_conflicts_by_record
from .docx_xml import (
    add_page_number_field,
    clean_text,
    keep_refs_whole,
    keep_rows_whole,
    mark_header_row,
    set_language,
    set_table_alt_text,
    set_table_widths,
)
from .writer import fit_widths, longest_words, mark_every_header


def write_minutes(reg: Register, meeting: Meeting, output: Path,
                  include_private: bool = False, page_numbers: bool = True) -> Path:
    """The minutes as a .docx at `output`. `page_numbers=False` leaves the footer empty, for a
    pack that numbers its own pages."""
    committee = store.get_committee(reg, meeting.committee) or Committee(meeting.committee)
    items = [i for i in store.agenda(reg, meeting) if include_private or not i.withheld]
    people = store.attendance(reg, meeting)
    decided: dict[str, list] = {}
    for d in store.decisions(reg, meeting, include_private=include_private):
        decided.setdefault(d.item_number, []).append(d)
    actions = store.actions_arising(reg, meeting, include_private=include_private)
    # Each declaration as the minutes say it, under the Declarations of Interest item (or,
    # on an agenda without one, under its own heading); a withheld item is not named.
    withheld = {i.number for i in store.agenda(reg, meeting) if i.withheld and not include_private}
    declared = [declaration_sentence(replace(d, item_title="private business")
                                     if d.item_number in withheld else d)
                for d in interest_store.declarations(reg, meeting)]
    standing = declarations_item(items)

    doc = Document()
    _house_style(doc)
    title = f"Minutes of the Meeting of {committee.name}"
    doc.core_properties.title = f"{title}, {long_date(meeting.date)}"
    doc.core_properties.author = committee.organisation or committee.name
    doc.core_properties.language = "en-GB"
    if committee.organisation:
        doc.add_paragraph(clean_text(committee.organisation), style="Title")
    when = f"{meeting.date.strftime('%A')}, {long_date(meeting.date)}"
    at = f" at {display_time(meeting.time)}" if meeting.time else ""
    _heading(doc, f"{title} held{at} on {when}", 1)
    if meeting.place:
        doc.add_paragraph(clean_text(f"Place: {meeting.place}"))

    _people(doc, committee, people)
    numbering = reg.programme.resolution_numbering
    marks = ConflictMarks(open_conflicts_by_record(reg))

    for part, heading in (("public", "Public Business"), ("private", "Private Business")):
        part_items = [i for i in items if i.part == part and (i.minute_number or i.minute)]
        unplaced = declared if part == "public" and declared and standing is None else []
        if not part_items and not unplaced:
            continue
        _heading(doc, heading, 2)
        if unplaced:
            _heading(doc, DECLARATIONS_TITLE, 3)
            for sentence in unplaced:
                doc.add_paragraph(clean_text(sentence))
        for item in part_items:
            _minute(doc, item, decided.get(item.number, []), numbering, marks,
                    declared if item is standing else ())
    if marks.any_of("agenda_items", [i.uuid for i in items if i.minute_number or i.minute]):
        doc.add_paragraph(clean_text(CONFLICT_NOTE)).runs[0].italic = True

    if actions:
        _heading(doc, "Actions arising", 2)
        table = doc.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        headers = ("Ref", "Minute", "Action", "Owner", "Due")
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        mark_header_row(table.rows[0])
        numbers = {i.number: i.minute_number for i in items}
        rows = [(action.ref, str(numbers.get(item_no) or item_no), clean_text(action.description),
                 clean_text(action.owner), action.due.text if action.due else "")
                for item_no, action in actions]
        for values in rows:
            for cell, text in zip(table.add_row().cells, values, strict=True):
                cell.text = text
        # Each column at least as wide as its widest word, so no ref or name breaks.
        set_table_widths(table, fit_widths(
            [Cm(w) for w in (1.8, 1.6, 7.0, 3.2, 2.4)],
            [longest_words(h, [r[n] for r in rows], 11) for n, h in enumerate(headers)]))
        keep_rows_whole(table)
        set_table_alt_text(table, "Actions arising",
                           "Each action arising from these minutes: its reference, the minute "
                           "it arose from, the action, its owner and when it is due.")
    if meeting.closed_at:
        doc.add_paragraph(f"(Meeting closed at {display_time(meeting.closed_at)})")
    exempt = {i.exemption for i in items if i.withheld and (i.minute_number or i.minute)}
    if exempt:  # the full minutes carry exempt business: every page says so
        mark_every_header(doc, not_for_publication(exempt.pop() if len(exempt) == 1 else ""))
    keep_refs_whole(doc.element.body)  # an action's ref never breaks at its hyphen
    if page_numbers:
        footer = doc.sections[0].footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_page_number_field(footer)
    return _save(doc, output)


def _heading(doc, text: str, level: int):  # noqa: ANN001, ANN202 - python-docx objects
    """A heading kept on the page of what follows it."""
    p = doc.add_heading(clean_text(text), level=level)
    p.paragraph_format.keep_with_next = True
    return p


def _house_style(doc) -> None:  # noqa: ANN001 - a python-docx Document
    set_language(doc, "en-GB")
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    for name, size in (("Title", 16), ("Heading 1", 14), ("Heading 2", 13), ("Heading 3", 12)):
        style = doc.styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = None
        style.font.bold = True
        fonts = style.element.rPr.rFonts if style.element.rPr is not None else None
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            if fonts is not None and fonts.get(qn(attr)) is not None:
                del fonts.attrib[qn(attr)]  # a theme font would win over Arial
    for section in doc.sections:  # A4, as council packs are printed
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)


def _people(doc, committee: Committee, people: list[Attendee]) -> None:  # noqa: ANN001
    roles = {m.name: m.role for m in committee.members}

    def named(a: Attendee) -> str:
        role = roles.get(a.name, "")
        text = a.name + (f" ({role})" if role in ("Chair", "Deputy Chair") else "")
        if a.organisation:
            text += f", {a.organisation}"
        if a.substitute_for:
            text += f" (substitute for {a.substitute_for})"
        return text

    # As the seed minutes set them out: who was present in three groups (officers by their
    # directorate: "Place: L Knight"), then apologies. Each group is a heading and a real
    # list, so a screen reader can move between them and hear how many are in each.
    members = "Board Members:" if "board" in committee.name.lower() else "Members:"
    groups = (("Present:", members, ("present", "substitute")),
              ("Present:", "Other Representatives:", ("other representative",)),
              ("Present:", "Employees (by Directorate):", ("officer",)),
              ("Apologies:", "", ("apologies",)))
    headed = set()
    for heading, label, kinds in groups:
        found = [a for a in people if a.kind in kinds]
        if not found:
            continue
        if heading not in headed:
            _heading(doc, heading, 2)
            headed.add(heading)
        if label:
            _heading(doc, label, 3)
        lines = _by_directorate(found) if kinds == ("officer",) else [named(a) for a in found]
        items = [doc.add_paragraph(clean_text(line), style="List Bullet") for line in lines]
        for p in items[:-1] if len(items) <= 6 else items[:1]:
            p.paragraph_format.keep_with_next = True  # a short group stays whole


def _by_directorate(officers: list[Attendee]) -> list[str]:
    """'Place: L Knight', 'People: P Fahy, J Fowles, R Nawaz': officers under their
    directorate (the attendance's organisation), in the order the register lists them."""
    groups: dict[str, list[str]] = {}
    for a in officers:
        groups.setdefault(a.organisation.strip(), []).append(a.name)
    return [f"{directorate}: {', '.join(names)}" if directorate else ", ".join(names)
            for directorate, names in groups.items()]


def resolution_label(n: int, letter: str, numbering: str) -> str:
    """The label of the nth part of a resolution: '(1)' when the register numbers them,
    else the decision's own letter, '(a)'."""
    return f"({n})" if numbering == "(1)" else f"({letter})"


def _minute(doc, item: AgendaItem, decisions: list, numbering: str = "(1)",  # noqa: ANN001
            marks: ConflictMarks | None = None, declared: Sequence[str] = ()) -> None:
    marks = marks or ConflictMarks()
    number = f"{item.minute_number}. " if item.minute_number else ""
    _heading(doc, f"{number}{item.title}", 3)
    if item.private and item.exemption:
        doc.add_paragraph(clean_text(f"(Exempt: {item.exemption})")).runs[0].italic = True
    for sentence in declared:  # the declarations of interest, each as the minutes say it
        doc.add_paragraph(clean_text(sentence))
    # A field two merged copies disagree on: the minute, the decisions, or any other.
    _mark(doc, named_mark(marks.others("agenda_items", item.uuid, ("minute", "resolved"))))
    for paragraph in (p.strip() for p in item.minute.split("\n\n")):
        if paragraph:
            doc.add_paragraph(clean_text(paragraph))
    _mark(doc, cell_mark(marks.refs("agenda_items", item.uuid, ("minute",))))
    if len(decisions) == 1:
        p = doc.add_paragraph()
        p.add_run("RESOLVED").bold = True
        p.add_run(clean_text(f" that {_lower_first(decisions[0].text)}"))
    elif decisions:
        p = doc.add_paragraph()
        p.add_run("RESOLVED").bold = True
        p.add_run(" that:")
        p.paragraph_format.keep_with_next = True  # never 'RESOLVED that:' alone on a page
        for n, d in enumerate(decisions, 1):
            label = resolution_label(n, d.letter, numbering)
            q = doc.add_paragraph(clean_text(f"{label} {d.text}"))
            q.paragraph_format.left_indent = Cm(1)
            q.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _mark(doc, cell_mark(marks.refs("agenda_items", item.uuid, ("resolved",))))


def _mark(doc, mark: str) -> None:  # noqa: ANN001 - a python-docx Document
    """A minute's mark, in italics on its own line: what two copies still disagree on."""
    if mark:
        doc.add_paragraph(clean_text(mark)).runs[0].italic = True


def _lower_first(text: str) -> str:
    # "The report be noted" reads "RESOLVED that the report be noted"; keep names and acronyms.
    first = text.split(" ", 1)[0]
    if first in ("The", "A", "An", "This", "These", "Further", "Progress") and len(text) > 1:
        return text[0].lower() + text[1:]
    return text


def _save(doc, output: Path) -> Path:  # noqa: ANN001
    output = Path(output)
    with atomic_output(output) as temp:
        doc.save(temp)
    return output
