"""The pages OOH Desk draws itself for an agenda pack — the front sheet, "This page is
intentionally left blank" pages, and the page-number overlays — with reportlab, which lays
text out with real font metrics in milliseconds (a LibreOffice start costs a second or
more, and the front sheet may need laying out twice). Imports no Qt.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ..domain.board_dates import long_date
from ..domain.meetings import AgendaItem, Committee, Meeting, display_time, pages_text
from .pack_margins import Stamp

# Councils write agendas in Arial; Liberation Sans has Arial's metrics and is free.
_FONT_CANDIDATES = {
    "regular": ("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
                "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
                "C:/Windows/Fonts/arial.ttf", "/Library/Fonts/Arial.ttf",
                "/System/Library/Fonts/Supplemental/Arial.ttf"),
    "bold": ("/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
             "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
             "C:/Windows/Fonts/arialbd.ttf", "/Library/Fonts/Arial Bold.ttf",
             "/System/Library/Fonts/Supplemental/Arial Bold.ttf"),
}
ACCESSIBILITY_NOTE = ("A hearing loop is available in the meeting room. If you need a British "
                      "Sign Language interpreter for this meeting, or these papers in another "
                      "format or language, please contact the officer named below.")
FILMING_NOTE = ("The public part of this meeting may be filmed or recorded by anyone present; "
                "please tell the officer named below if you do not wish to be filmed.")
EXEMPT_LAW = "Schedule 12A of the Local Government Act 1972"
# Page numbers, markings repeated on every page and blank-page notices are pagination
# artifacts: a screen reader skips them rather than reading them into the text.
ARTIFACT = "/Artifact <</Type /Pagination>> BDC"


@cache
def fonts() -> tuple[str, str]:
    """(regular, bold) font names, embedded TrueType where we can find it."""
    found = {}
    for weight, paths in _FONT_CANDIDATES.items():
        path = next((p for p in paths if Path(p).exists()), None)
        if path:
            name = f"OOHDesk-{weight}"
            pdfmetrics.registerFont(TTFont(name, path))
            found[weight] = name
    if len(found) == 2:
        pdfmetrics.registerFontFamily("OOHDesk-regular", normal=found["regular"],
                                      bold=found["bold"], italic=found["regular"],
                                      boldItalic=found["bold"])
        return found["regular"], found["bold"]
    return "Helvetica", "Helvetica-Bold"


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = fonts()
    base = ParagraphStyle("body", fontName=regular, fontSize=11, leading=14.5, spaceAfter=6)
    return {
        "body": base,
        "committee": ParagraphStyle("committee", base, fontName=bold, fontSize=20, leading=25,
                                    spaceAfter=14),
        "label": ParagraphStyle("label", base, fontName=bold, fontSize=12, spaceAfter=2),
        "value": ParagraphStyle("value", base, spaceAfter=10),
        "part": ParagraphStyle("part", base, fontName=bold, fontSize=14, leading=18,
                               spaceBefore=8, spaceAfter=8),
        "heading": ParagraphStyle("heading", base, fontName=bold, fontSize=11, spaceBefore=8),
        "item": ParagraphStyle("item", base, leftIndent=9 * mm, firstLineIndent=-9 * mm,
                               spaceAfter=3),
        "sub": ParagraphStyle("sub", base, leftIndent=9 * mm, spaceAfter=3),
        "small": ParagraphStyle("small", base, fontSize=10, leading=13),
        "marking": ParagraphStyle("marking", base, fontName=bold, fontSize=12, alignment=1,
                                  spaceAfter=10),
    }


def _p(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


def presenter_line(item: AgendaItem) -> str:
    """'Report of Andrea Green, ...' for an item with a report; a presenter's own words
    ('The Chair will report at the meeting') as typed."""
    text = item.presenter.strip()
    if not text:
        return ""
    lower = text.lower()
    if lower.startswith(("report of", "report from", "the ", "presentation", "verbal")) or \
            " will " in lower:
        return text
    return f"Report of {text}" if item.has_document else f"{text} will report at the meeting"


def front_sheet(committee: Committee, meeting: Meeting, items: Sequence[AgendaItem],
                withheld: Sequence[AgendaItem], ranges: dict[str, tuple[int, int]],
                private_pack: bool, tags: Tags | None = None) -> bytes:
    """The agenda's front sheet. `items` are the pack's own items; `withheld` are private
    items listed on the public agenda by number and exemption only (never their titles).
    With `tags`, each paragraph is drawn as marked content and recorded there, so the pack
    can give the front sheet a structure tree (pack_tags)."""
    s = _styles()
    story: list = []
    if private_pack:
        story.append(Paragraph("NOT FOR PUBLICATION: PRIVATE BUSINESS", s["marking"]))
    story.append(Paragraph(_p(committee.name), s["committee"]))
    when = long_date_with_day(meeting)
    story += [Paragraph("Time and Date", s["label"]), Paragraph(_p(when), s["value"]),
              Paragraph("Place", s["label"]), Paragraph(_p(meeting.place or "To be confirmed"),
                                                        s["value"])]
    public_items = [i for i in items if not i.private]
    private_items = [i for i in items if i.private]
    if not private_pack:
        story.append(Paragraph("Public Business", s["part"]))
        story += _item_list(public_items, ranges, s)
        story.append(Paragraph("Private Business", s["part"]))
        if withheld:
            story.append(Paragraph(
                _p("The following items are not for publication: the public and press may be "
                   f"excluded while they are considered, under {EXEMPT_LAW}."), s["body"]))
            for item in withheld:
                story.append(Paragraph(
                    f"{_p(item.number)}.&nbsp;&nbsp;Exempt item: "
                    f"{_p(_exemption(item))}", s["item"]))
        else:
            story.append(Paragraph("Nil", s["body"]))
    else:
        story.append(Paragraph("Private Business", s["part"]))
        story.append(Paragraph(_p(f"These items are not for publication. The public and press "
                                  f"may be excluded while they are considered, under "
                                  f"{EXEMPT_LAW}."), s["body"]))
        story += _item_list(private_items, ranges, s, exempt=True)
    story.append(Spacer(1, 6 * mm))
    if committee.issued_by:
        story.append(Paragraph(_p(committee.issued_by), s["body"]))
    if meeting.published:
        story.append(Paragraph(_p(meeting.published.strftime("%A, ") +
                                  long_date_text(meeting.published)), s["body"]))
    contact = _contact_sentence(committee)
    if contact:
        story.append(Paragraph(f"<b>Note:</b> {_p(contact)}", s["body"]))
    if committee.members:
        names = [m.name + (f" ({m.role})" if m.role != "Member" else "")
                 for m in committee.members]
        joined = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
        story.append(Paragraph(f"<b>Membership:</b> {_p(joined)}", s["body"]))
    notes = [Paragraph(_p(ACCESSIBILITY_NOTE), s["small"])]
    if not private_pack:
        notes.append(Paragraph(_p(FILMING_NOTE), s["small"]))
    block = [Paragraph("Please note", s["heading"]), *notes]
    if committee.contact_name:
        lines = [committee.contact_name]
        if committee.contact_phone:
            lines.append(f"Telephone: {committee.contact_phone}")
        if committee.contact_email:
            lines.append(f"Email: {committee.contact_email}")
        block.append(Paragraph(_p("\n".join(lines)), s["small"]))
    table = Table([[block]], colWidths=[A4[0] - 50 * mm])
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.75, "#000000"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 8),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                               ("TOPPADDING", (0, 0), (-1, -1), 6),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    story.append(KeepTogether([Spacer(1, 4 * mm), table]))
    out = io.BytesIO()
    title = f"{committee.name}, {long_date_text(meeting.date)}: agenda"
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm,
                            topMargin=20 * mm, bottomMargin=20 * mm, title=title,
                            author=committee.organisation or committee.name, lang="en-GB",
                            creator="OOH Desk")
    doc.build(_tagged(story, tags) if tags is not None else story)
    return out.getvalue()


# How a screen reader meets the front sheet: the committee's name is the heading, the parts
# of the agenda and the item groups below it, everything else a paragraph.
_ROLES = {"committee": "H1", "part": "H2", "heading": "H3"}


class Tags:
    """The structure drawn pages carry: for each page (0-based), the role of each marked
    paragraph in the order drawn, which is its MCID."""

    def __init__(self) -> None:
        self.pages: dict[int, list[str]] = {}

    def begin(self, canvas: Canvas, role: str) -> None:
        roles = self.pages.setdefault(canvas.getPageNumber() - 1, [])
        canvas._code.append(f"/{role} <</MCID {len(roles)}>> BDC")  # reportlab cannot tag
        roles.append(role)


class _Tagged(Flowable):
    """A paragraph drawn inside BDC … EMC, its role and MCID recorded in `tags`."""

    def __init__(self, inner: Paragraph, role: str, tags: Tags) -> None:
        super().__init__()
        self.inner, self.role, self.tags = inner, role, tags

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = self.inner.wrap(available_width, available_height)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list:
        return [_Tagged(part, self.role, self.tags)
                for part in self.inner.split(available_width, available_height)]

    def getSpaceBefore(self) -> float:  # noqa: N802 - reportlab's name
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self) -> float:  # noqa: N802 - reportlab's name
        return self.inner.getSpaceAfter()

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802,N803
        self.tags.begin(canvas, self.role)
        self.inner.drawOn(canvas, x, y, _sW)
        canvas._code.append("EMC")


def _tagged(story: list, tags: Tags) -> list:
    """The story with every paragraph (in kept-together groups and table cells too) tagged."""
    out = []
    for flowable in story:
        if isinstance(flowable, Paragraph):
            flowable = _Tagged(flowable, _ROLES.get(flowable.style.name, "P"), tags)
        elif isinstance(flowable, KeepTogether):
            flowable._content = _tagged(flowable._content, tags)
        elif isinstance(flowable, Table):
            flowable._cellvalues = [[_tagged(cell, tags) if isinstance(cell, list) else cell
                                     for cell in row] for row in flowable._cellvalues]
        out.append(flowable)
    return out


def _item_list(items: Sequence[AgendaItem], ranges: dict[str, tuple[int, int]],
               s: dict[str, ParagraphStyle], exempt: bool = False) -> list:
    story: list = []
    heading = ""
    for item in items:
        if item.item_type and item.item_type != heading:
            story.append(Paragraph(_p(item.item_type), s["heading"]))
        heading = item.item_type or heading
        pages = f" {pages_text(*ranges[item.uuid])}" if item.uuid in ranges else ""
        parts = [Paragraph(f"{_p(item.number)}.&nbsp;&nbsp;<b>{_p(item.title)}</b>{_p(pages)}",
                           s["item"])]
        if item.notes:
            parts.append(Paragraph(_p(item.notes), s["sub"]))
        line = presenter_line(item)
        if line:
            parts.append(Paragraph(_p(line), s["sub"]))
        if exempt:
            parts.append(Paragraph(_p(f"Exempt: {_exemption(item)}"), s["sub"]))
        story.append(KeepTogether(parts))
    if not items:
        story.append(Paragraph("Nil", s["body"]))
    return story


def _exemption(item: AgendaItem) -> str:
    if item.exemption:
        return f"{item.exemption} of Part 1 of {EXEMPT_LAW}"
    return f"exempt information under {EXEMPT_LAW}"


def _contact_sentence(committee: Committee) -> str:
    if not committee.contact_name:
        return ""
    text = (f"The person to contact about the agenda and documents for this meeting is "
            f"{committee.contact_name}")
    if committee.contact_phone:
        text += f", telephone {committee.contact_phone}"
    if committee.contact_email:
        text += f", email {committee.contact_email}"
    return text + "."


def long_date_text(day) -> str:  # noqa: ANN001 - a date
    return long_date(day)


def long_date_with_day(meeting: Meeting) -> str:
    """'2.00 pm on Monday, 4 September 2017'."""
    day = f"{meeting.date.strftime('%A')}, {long_date_text(meeting.date)}"
    time = display_time(meeting.time)
    return f"{time} on {day}" if time else day


def blank_page() -> bytes:
    out = io.BytesIO()
    regular, _ = fonts()
    canvas = Canvas(out, pagesize=A4, lang="en-GB")
    canvas.setFont(regular, 12)
    canvas._code.append(ARTIFACT)  # reportlab has no marked-content call of its own
    canvas.drawCentredString(A4[0] / 2, A4[1] / 2, "This page is intentionally left blank")
    canvas._code.append("EMC")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def stamps(pages: Sequence[tuple[tuple[float, float, float, float], Sequence[Stamp]]]) -> bytes:
    """One overlay page per page to stamp, each the size (left, bottom, width, height) of the
    page it will be merged onto, carrying its stamps where pack_margins placed them."""
    out = io.BytesIO()
    fonts()  # the stamps' fonts are registered before they are drawn
    canvas = Canvas(out, pagesize=A4)
    for (left, bottom, width, height), placed in pages:
        canvas.setPageSize((left + width, bottom + height))
        for stamp in placed:
            canvas.setFont(stamp.font, stamp.size)
            canvas._code.append(ARTIFACT)
            canvas.drawString(stamp.x, stamp.y, stamp.text)
            canvas._code.append("EMC")
        canvas.showPage()
    canvas.save()
    return out.getvalue()
