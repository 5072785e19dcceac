"""Where an agenda pack may print on a page it did not draw: the boxes a page's own text
occupies (read with pypdf), and the first clear spot in the margins for a stamp (the pack's
page number, a private pack's NOT FOR PUBLICATION line), so a stamp never prints over a
document's own footer ("Page 1 of 14"). Imports no Qt.

Only text is seen (a picture or a drawn line in a margin is not); text is measured with its
font's own glyph widths where the font gives them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pypdf import PageObject
from pypdf.generic import DictionaryObject, StreamObject
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF points

PAD = 6.0  # clear space kept round a stamp, in points (a line apart, not touching)


@dataclass(frozen=True)
class Stamp:
    """A line placed on a page: its text, font, size and baseline origin."""

    text: str
    font: str
    size: float
    x: float
    y: float

    def box(self) -> Box:
        width = stringWidth(self.text, self.font, self.size)
        return (self.x, self.y - 0.25 * self.size, self.x + width, self.y + 0.95 * self.size)


def _multiply(m: Sequence[float], n: Sequence[float]) -> list[float]:
    return [m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
            m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3],
            m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5]]


# One token of a content stream: a literal string (one level of nested parentheses; deeper is
# vanishingly rare and only blurs that page's measuring), a hex string, an array bracket,
# a name, a number, or an operator. Whitespace, comments and dictionary brackets are skipped.
_TOKEN = re.compile(rb"""
    (?P<tj>\[(?:[^\]\\(]|\((?:[^\\()]|\\.|\((?:[^\\()]|\\.)*\))*\))*\]\s*TJ)
  | (?P<string>\((?:[^\\()]|\\.|\((?:[^\\()]|\\.)*\))*\))
  | (?P<hex><[0-9A-Fa-f\s]*>)
  | (?P<open>\[) | (?P<close>\])
  | (?P<name>/[^\s/\[\]()<>{}%]*)
  | (?P<number>[+-]?(?:\d+\.?\d*|\.\d+))
  | (?P<op>[A-Za-z'"*]+[0-9]?)
""", re.X | re.S)
_ESCAPE = re.compile(rb"\\(?:[0-7]{1,3}|.)", re.S)
_INLINE_IMAGE_END = re.compile(rb"\sEI(?=\s|$)")
_TEXT_OPS = {b"Tj", b"TJ", b"'", b'"'}
_SHOWN = re.compile(rb"<([0-9A-Fa-f\s]*)>|\(((?:[^\\()]|\\.|\((?:[^\\()]|\\.)*\))*)\)", re.S)


class _Font:
    """What measuring a run of text needs from a font: bytes per glyph, and glyph widths."""

    def __init__(self, font: DictionaryObject | None) -> None:
        self.wide = font is not None and font.get("/Subtype") == "/Type0"
        self.table = [600.0] * 256  # a glyph the font does not measure: a wide guess
        first = int(font.get("/FirstChar", 0)) if font is not None else 0
        widths = font.get("/Widths") if font is not None else None
        for n, w in enumerate(widths.get_object() if widths is not None else ()):
            if 0 <= first + n < 256:
                self.table[first + n] = float(w)

    def width(self, raw: bytes) -> float:
        """In thousandths of the font size."""
        if self.wide:
            return len(raw) // 2 * 600.0
        return sum(map(self.table.__getitem__, raw))


def text_boxes(page: PageObject) -> list[Box]:
    """A box round each run of text the page shows (its forms' too). A small content-stream
    reader of our own: pypdf's text extraction costs tens of milliseconds a page, this a
    few, and a 35-page pack stamps every page."""
    boxes: list[Box] = []
    resources = page.get("/Resources")
    contents = page.get_contents()
    if contents is not None:
        _scan(contents.get_data(), resources.get_object() if resources else DictionaryObject(),
              [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], boxes, 0)
    return boxes


def _scan(data: bytes, resources: DictionaryObject, ctm: list[float], boxes: list[Box],
          depth: int) -> None:
    fonts = resources.get("/Font")
    fonts = fonts.get_object() if fonts is not None else DictionaryObject()
    cache: dict[str, _Font] = {}
    stack: list[tuple] = []
    font, size, leading = _Font(None), 0.0, 0.0
    tm = tlm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    operands: list = []
    array: list | None = None
    position = 0
    while position is not None:
        tokens, position = _TOKEN.finditer(data, position), None
        for found in tokens:
            kind = found.lastgroup
            if kind == "tj":  # a whole TJ array: its strings measured, its kerning ignored
                width = font.width(_shown_bytes(found.group())) / 1000 * size
                _add_box(boxes, _multiply(tm, ctm), width, size)
                tm = _multiply([1, 0, 0, 1, width, 0], tm)
                operands = []
            elif kind == "number":  # kept as bytes until an operator needs it, in a TJ array a float
                if array is None:
                    operands.append(found.group())
                else:
                    array.append(float(found.group()))
            elif kind == "op":
                op = found.group()
                if op in _TEXT_OPS:
                    if operands:
                        if op != b"Tj" and op != b"TJ":
                            tm = tlm = _multiply([1, 0, 0, 1, 0, -leading], tlm)
                        width = _shown_width(operands[-1], font) / 1000 * size
                        _add_box(boxes, _multiply(tm, ctm), width, size)
                        tm = _multiply([1, 0, 0, 1, width, 0], tm)
                elif op == b"Td" or op == b"TD":
                    if len(operands) >= 2:
                        tx, ty = float(operands[-2]), float(operands[-1])
                        if op == b"TD":
                            leading = -ty
                        tm = tlm = _multiply([1, 0, 0, 1, tx, ty], tlm)
                elif op == b"Tf":
                    if len(operands) >= 2:
                        name = operands[-2]
                        if name not in cache:
                            entry = fonts.get("/" + name)
                            cache[name] = _Font(entry.get_object() if entry is not None else None)
                        font, size = cache[name], float(operands[-1])
                elif op == b"Tm":
                    if len(operands) >= 6:
                        tm = tlm = [float(x) for x in operands[-6:]]
                elif op == b"T*":
                    tm = tlm = _multiply([1, 0, 0, 1, 0, -leading], tlm)
                elif op == b"BT":
                    tm = tlm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
                elif op == b"q":
                    stack.append((ctm, font, size, leading))
                elif op == b"Q":
                    if stack:
                        ctm, font, size, leading = stack.pop()
                elif op == b"cm":
                    if len(operands) >= 6:
                        ctm = _multiply([float(x) for x in operands[-6:]], ctm)
                elif op == b"TL":
                    if operands:
                        leading = float(operands[-1])
                elif op == b"Do":
                    if operands and depth < 8:
                        _form(resources, operands[-1], ctm, boxes, depth)
                elif op == b"ID":  # an inline image's data runs to EI: skip it unread
                    end = _INLINE_IMAGE_END.search(data, found.end())
                    position = end.end() if end else None
                    operands = []
                    break
                operands = []
            elif kind == "string":
                raw = _ESCAPE.sub(b"?", found.group()[1:-1])
                (operands if array is None else array).append(raw)
            elif kind == "name":
                (operands if array is None else array).append(found.group()[1:].decode("latin-1"))
            elif kind == "open":
                array = []
            elif kind == "close":
                operands.append(array or [])
                array = None
            else:  # hex string
                digits = re.sub(rb"\s", b"", found.group()[1:-1])
                raw = bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())
                (operands if array is None else array).append(raw)


def _shown_bytes(array: bytes) -> bytes:
    """The glyph codes a TJ array shows, its hex and literal strings joined."""
    out = []
    for found in _SHOWN.finditer(array):
        if found.group(1) is not None:
            digits = re.sub(rb"\s", b"", found.group(1))
            out.append(bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode()))
        else:
            out.append(_ESCAPE.sub(b"?", found.group(2)))
    return b"".join(out)


def _shown_width(shown: bytes | list, font: _Font) -> float:
    """A Tj string's or TJ array's width in thousandths of the font size."""
    if isinstance(shown, bytes):
        return font.width(shown)
    width = 0.0
    for part in shown if isinstance(shown, list) else ():
        if isinstance(part, bytes):
            width += font.width(part)
        elif isinstance(part, float):
            width -= part
    return width


def _add_box(boxes: list[Box], m: list[float], width: float, size: float) -> None:
    across, up = math.hypot(m[0], m[1]), math.hypot(m[2], m[3])
    if width <= 0 or not size:
        return
    x, y = m[4], m[5]
    height = size * up
    boxes.append((x, y - 0.3 * height, x + width * across, y + height))


def _form(resources: DictionaryObject, name: str, ctm: list[float], boxes: list[Box],
          depth: int) -> None:
    objects = resources.get("/XObject")
    entry = objects.get_object().get("/" + name) if objects is not None else None
    form = entry.get_object() if entry is not None else None
    if not isinstance(form, StreamObject) or form.get("/Subtype") != "/Form":
        return
    matrix = [float(x) for x in form.get("/Matrix", [1, 0, 0, 1, 0, 0])]
    inner = form.get("/Resources")
    _scan(form.get_data(), inner.get_object() if inner is not None else resources,
          _multiply(matrix, ctm), boxes, depth + 1)


def _clear(box: Box, occupied: Sequence[Box]) -> bool:
    left, bottom, right, top = box[0] - PAD, box[1] - PAD, box[2] + PAD, box[3] + PAD
    return not any(left < o[2] and o[0] < right and bottom < o[3] and o[1] < top
                   for o in occupied)


def place(text: str, font: str, sizes: Sequence[float], page: Box, occupied: Sequence[Box],
          where: Sequence[str]) -> Stamp | None:
    """The first clear spot for `text`, trying each size (largest first) at each place in
    `where`: 'bottom-centre', 'bottom-right', 'bottom-left', 'top-centre', 'top-right',
    'top-left', 'foot-centre' … ('foot' is nearer the edge than 'bottom', 'head' than 'top');
    None when every spot holds other text."""
    left, bottom, right, top = page
    side = 15 * mm
    for size in sizes:
        width = stringWidth(text, font, size)
        if width > right - left - 2 * 8 * mm:
            continue
        rows = {"bottom": bottom + 8 * mm, "foot": bottom + 5 * mm,
                "top": top - 11 * mm, "head": top - 7 * mm}
        columns = {"centre": (left + right - width) / 2, "left": left + side,
                   "right": right - side - width}
        for spot in where:
            row, column = spot.split("-")
            stamp = Stamp(text, font, size, columns[column], rows[row])
            if _clear(stamp.box(), occupied):
                return stamp
    return None


__all__ = ["Box", "Stamp", "place", "text_boxes"]
