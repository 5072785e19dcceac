"""Excel's limit on the text of one cell, and the marker a cut cell ends with, so a register
value is never shortened silently: the risk log (exports/xlsx_rows.py) cuts a longer text to
the limit ending with the marker, and an import (services/importing.py) that meets the marker
keeps the register's whole text. Pure: no openpyxl, no SQL, no Qt."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

CELL_LIMIT = 32767  # characters in one Excel cell, counted as Excel counts them (UTF-16)
CUT_MARKER = "(continued — full text in the register)"
_BEFORE_MARKER = "\n"

# What a cell cannot hold (and the log drops) and line ends, ignored when a cut cell is
# compared with the register's text.
_NOT_COMPARED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def excel_length(text: str) -> int:
    """The length Excel gives the text: characters beyond the BMP (emoji) count twice."""
    return len(text.encode("utf-16-le")) // 2


def too_long(text: str) -> bool:
    return len(text) > CELL_LIMIT or (len(text) > CELL_LIMIT // 2
                                      and excel_length(text) > CELL_LIMIT)


def fit_cell(text: str) -> str:
    """The text whole when one cell holds it; else as much as fits, ending with the marker
    (the whole is exactly the cell's limit)."""
    if not too_long(text):
        return text
    room = CELL_LIMIT - len(_BEFORE_MARKER + CUT_MARKER)
    head = text.encode("utf-16-le")[:room * 2].decode("utf-16-le", errors="ignore")
    return head + _BEFORE_MARKER + CUT_MARKER


def cut_head(value: Any) -> str | None:
    """The text before the marker when `value` is a cell the log cut; None otherwise."""
    if not isinstance(value, str):
        return None
    text = value.rstrip()
    if not text.endswith(CUT_MARKER):
        return None
    return text[:-len(CUT_MARKER)].rstrip()


def continues(whole: str, head: str) -> bool:
    """Whether `whole` starts with the text a cut cell holds (spacing and line ends aside)."""
    return _comparable(whole).startswith(_comparable(head))


def _comparable(text: str) -> str:
    return " ".join(_NOT_COMPARED.sub("", text).split())


def keep_whole_text(values: dict[str, Any], register: Mapping[str, Any] | None,
                    name: str) -> list[str]:
    """Read a row's cut cells back without shortening the register: a cell ending with the
    marker leaves the register's text as it is (the field is taken out of `values`); where the
    register holds no text the cut one continues, the text before the marker goes in and a
    note, for the import report, says so. `register` is the record's values as stored, or
    None for a new record; a list of actions is matched item by item on its description."""
    notes = []
    for field, value in list(values.items()):
        stored = register.get(field) if register else None
        head = cut_head(value)
        if head is not None:
            if stored and (not isinstance(stored, str) or continues(stored, head)):
                del values[field]
            else:
                values[field] = head
                notes.append(_note(name, field.replace("_", " "), head))
        elif isinstance(value, list) and any(cut_head(getattr(v, "description", None))
                                             is not None for v in value):
            values[field] = [_whole_item(item, n, stored or [], name, notes)
                             for n, item in enumerate(value)]
    return notes


def _whole_item(item: Any, index: int, stored: list[Any], name: str, notes: list[str]) -> Any:
    head = cut_head(getattr(item, "description", None))
    if head is None:
        return item
    candidates = stored[index:index + 1] + stored
    match = next((s for s in candidates if continues(getattr(s, "description", ""), head)), None)
    if match is not None:
        return dataclasses.replace(item, description=match.description)
    notes.append(_note(name, f"mitigating action {index + 1}", head))
    return dataclasses.replace(item, description=head)


def _note(name: str, what: str, head: str) -> str:
    return (f"{name} {what}: the file's text was cut at Excel's cell limit and the register "
            f"holds no fuller text, so its first {len(head):,} characters were imported "
            "(without the marker)")
