"""Keep each item's tagged-PDF structure (the headings, paragraphs, lists and tables
LibreOffice writes for a screen reader) when its pages are merged into an agenda pack: one
structure tree for the pack, a section per item holding that item's own tree. pypdf drops a
source's /StructTreeRoot and each page's /StructParents when it appends pages; this puts them
back. Imports no Qt.

The front sheet's paragraphs are tagged as pack_drawing drew them (H1, H2, H3, P); its
box's ruled lines are not (untagged graphics). An attached PDF that was untagged to begin
with stays untagged. Stamps and blank-page notices are pagination artifacts (pack_drawing), so
a screen reader skips them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    PdfObject,
    TextStringObject,
)


def _numbers(tree: DictionaryObject) -> Iterator[tuple[int, PdfObject]]:
    """The (key, value) pairs of a PDF number tree, its /Kids walked."""
    nums = tree.get("/Nums")
    if nums is not None:
        nums = nums.get_object()
        for n in range(0, len(nums) - 1, 2):
            yield int(nums[n]), nums[n + 1]
    for kid in tree.get("/Kids", []):
        yield from _numbers(kid.get_object())


def _kids(element: DictionaryObject) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    kids = kids.get_object()
    return list(kids) if isinstance(kids, ArrayObject) else [kids]


def _reparent(element: DictionaryObject, parent: PdfObject, depth: int = 0) -> None:
    """Give every structure element its /P again (cloning left them out, so the source's
    root was not copied with them)."""
    element[NameObject("/P")] = parent
    if depth > 200:  # a malformed, looping tree
        return
    for kid in _kids(element):
        target = kid.get_object()
        if isinstance(target, DictionaryObject) and target.get("/Type", "/StructElem") \
                == "/StructElem" and "/S" in target:
            _reparent(target, element.indirect_reference or element, depth + 1)


def merge_structure(writer: PdfWriter, parts: Sequence[tuple[PdfReader, int, str]],
                    language: str, drawn: dict[int, list[str]] | None = None,
                    drawn_title: str = "Agenda") -> list[int]:
    """Build the pack's structure tree: first the pages we drew (`drawn`: page index -> the
    role of each marked paragraph, MCID order, as pack_drawing.Tags records them), then each
    part (its reader, the writer page index its first page went to, its title) that is
    tagged. Returns the 1-based pack pages tagged."""
    root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
    root_ref = writer._add_object(root)
    document = DictionaryObject({NameObject("/Type"): NameObject("/StructElem"),
                                 NameObject("/S"): NameObject("/Document"),
                                 NameObject("/P"): root_ref,
                                 NameObject("/Lang"): TextStringObject(language)})
    document_ref = writer._add_object(document)
    sections = ArrayObject()
    nums = ArrayObject()
    role_map = DictionaryObject()
    next_key = 0
    tagged: list[int] = []
    if drawn:
        section = DictionaryObject({NameObject("/Type"): NameObject("/StructElem"),
                                    NameObject("/S"): NameObject("/Sect"),
                                    NameObject("/T"): TextStringObject(drawn_title),
                                    NameObject("/P"): document_ref})
        section_ref = writer._add_object(section)
        kids = ArrayObject()
        for index, roles in sorted(drawn.items()):
            page = writer.pages[index]
            elements = ArrayObject()
            for mcid, role in enumerate(roles):
                element = writer._add_object(DictionaryObject({
                    NameObject("/Type"): NameObject("/StructElem"),
                    NameObject("/S"): NameObject("/" + role), NameObject("/P"): section_ref,
                    NameObject("/Pg"): page.indirect_reference, NameObject("/K"): NumberObject(mcid)}))
                elements.append(element)
                kids.append(element)
            page[NameObject("/StructParents")] = NumberObject(next_key)
            nums.extend([NumberObject(next_key), elements])
            next_key += 1
            tagged.append(index + 1)
        section[NameObject("/K")] = kids
        sections.append(section_ref)
    for reader, start, title in parts:
        source = reader.trailer["/Root"].get("/StructTreeRoot")
        if source is None:
            continue
        source = source.get_object()
        section = DictionaryObject({NameObject("/Type"): NameObject("/StructElem"),
                                    NameObject("/S"): NameObject("/Sect"),
                                    NameObject("/T"): TextStringObject(title),
                                    NameObject("/P"): document_ref})
        section_ref = writer._add_object(section)
        kids = ArrayObject()
        for kid in _kids(source):
            kid_object = kid.get_object()
            if not isinstance(kid_object, DictionaryObject):
                continue  # not a structure element: nothing a reader could reach
            if kid_object.get("/S") == "/Document":  # the item's own Document: its children
                kids.extend(_kids(kid_object))
            else:
                kids.append(kid)
        cloned = ArrayObject(k.clone(writer, ignore_fields=("/P",)) for k in kids)
        for kid in cloned:
            target = kid.get_object()
            if isinstance(target, DictionaryObject) and "/S" in target:
                _reparent(target, section_ref)
        section[NameObject("/K")] = cloned
        sections.append(section_ref)
        for name, value in source.get("/RoleMap", DictionaryObject()).items():
            role_map.setdefault(NameObject(name), value)
        offset, highest = next_key, -1
        for key, value in _numbers(source.get("/ParentTree", DictionaryObject()).get_object()):
            nums.extend([NumberObject(key + offset), value.clone(writer, ignore_fields=("/P",))])
            highest = max(highest, key)
        for n, page in enumerate(reader.pages):
            target = writer.pages[start + n]
            if "/StructParents" in page:
                target[NameObject("/StructParents")] = NumberObject(page["/StructParents"] + offset)
                tagged.append(start + n + 1)
            for annotation in target.get("/Annots", []):
                annotation = annotation.get_object()
                if "/StructParent" in annotation:
                    annotation[NameObject("/StructParent")] = NumberObject(
                        annotation["/StructParent"] + offset)
        next_key = offset + highest + 1
    if not tagged:
        return []
    document[NameObject("/K")] = sections
    root[NameObject("/K")] = document_ref
    root[NameObject("/ParentTree")] = writer._add_object(DictionaryObject({NameObject("/Nums"):
                                                                           nums}))
    root[NameObject("/ParentTreeNextKey")] = NumberObject(next_key)
    if role_map:
        root[NameObject("/RoleMap")] = role_map
    catalog = writer._root_object
    catalog[NameObject("/StructTreeRoot")] = root_ref
    catalog[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"):
                                                         BooleanObject(True)})
    return tagged


__all__ = ["merge_structure"]
