"""How papers and lists mark a record whose field two merged copies of the register still
disagree on (an open conflict, docs/merge-design.md), so nothing unsettled reads as settled:
`list` adds "[owner: conflict, see C-003]"; a paper's cell adds "(not yet agreed: two copies
differ, see C-003)" after the value, and a note under the table says what that means.
Pure: no SQL, no files, no Qt."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# A conflict's field is the register's column ("" when one copy edited the record and the
# other deleted it); these are the columns a reader knows by other words.
_FIELD_WORDS = {
    "": "whole record",
    "likelihood": "current likelihood",
    "impact": "current impact",
    "resolved": "decision",
    "minute": "minute",
    "action_taken": "action taken",
}
NOT_AGREED = "not yet agreed"
# Said once under a table (or in a minute) that carries a mark, for a board reader.
NOTE = ("Entries marked \u201cnot yet agreed\u201d are held differently in two copies of the "
        "register that have been brought together. This copy's entry is shown until the "
        "programme office settles which is right.")


def field_words(name: str) -> str:
    return _FIELD_WORDS.get(name, name.replace("_", " "))


@dataclass(frozen=True)
class ConflictMarks:
    """The open conflicts by the record they are about: (kind, record uuid) -> [(field,
    conflict ref)], field "" for an edit against a delete. Empty when all is settled."""

    by_record: Mapping[tuple[str, str], Sequence[tuple[str, str]]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.by_record)

    def of(self, kind: str, uuid: str) -> list[tuple[str, str]]:
        return list(self.by_record.get((kind, uuid), ()))

    def refs(self, kind: str, uuid: str, fields: Iterable[str]) -> list[str]:
        """The conflicts on any of these fields of one record."""
        wanted = set(fields)
        return [ref for name, ref in self.of(kind, uuid) if name in wanted]

    def others(self, kind: str, uuid: str, shown: Iterable[str]) -> list[tuple[str, str]]:
        """The conflicts on fields a table does not show (and on the record as a whole), for
        its main cell to name: a paper never drops a clash because it lacks the column."""
        seen = set(shown)
        return [(name, ref) for name, ref in self.of(kind, uuid) if name not in seen]

    def any_of(self, kind: str, uuids: Iterable[str]) -> bool:
        return any((kind, u) in self.by_record for u in uuids)


def cell_mark(refs: Sequence[str]) -> str:
    """What a paper's cell adds after the value of a field in conflict; "" for none."""
    if not refs:
        return ""
    return f"({NOT_AGREED}: two copies differ, see {', '.join(dict.fromkeys(refs))})"


def named_mark(found: Sequence[tuple[str, str]]) -> str:
    """A mark naming the fields, for conflicts on fields the cell does not itself show."""
    if not found:
        return ""
    parts = []
    for name, ref in found:
        what = ("edited in one copy and deleted in another" if name == ""
                else f"{field_words(name)} differs between two copies")
        parts.append(f"{what}, see {ref}")
    return f"({NOT_AGREED}: {'; '.join(parts)})"


def with_mark(text: str, mark: str) -> str:
    """A cell's text with its mark on a line of its own after the value."""
    if not mark:
        return text
    return f"{text}\n{mark}" if text else mark


# The marks at the end of a cell's text, as cell_mark, named_mark and with_mark write them.
_MARK_TAIL = re.compile(r"(?:\s*\(not yet agreed: [^()]*\))+\s*$")


def without_mark(text: str) -> str:
    """A cell's text with the marks a paper wrote after its value taken off: for reading an
    exported log back (the mark is not part of the value)."""
    return _MARK_TAIL.sub("", text)


def list_mark(found: Iterable[Mapping[str, str | None]]) -> str:
    """What `list` adds after a record's line: "  [owner: conflict, see C-003]"."""
    parts = [f"{field_words(c.get('field') or '')}: conflict, see {c['ref']}" for c in found]
    return f"  [{'; '.join(parts)}]" if parts else ""
