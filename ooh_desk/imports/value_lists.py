"""The drop-down lists a workbook puts on its cells (data validation of type "list"), read as
the word scales the workbook itself defines: a likelihood column whose cells offer "Rare,
Unlikely, Probable, Likely, Very Likely" ranks "Probable" 3, whatever our default says.

Lists are found both where the Office Open XML standard keeps them (<dataValidations>) and
where Excel keeps a list that points at another sheet (the x14 extension list, which openpyxl
drops). A list may be typed inline ("Low,Medium,High"), a range ('Drop Downs'!$A$2:$A$6,
often on a hidden sheet) or a defined name pointing at one. Imports no Qt.
"""

from __future__ import annotations

import re
from typing import Any

_X14 = "{http://schemas.microsoft.com/office/spreadsheetml/2009/9/main}"
_XM = "{http://schemas.microsoft.com/office/excel/2006/main}"
# A list longer than this is a look-up table, not a scale.
MAX_ITEMS = 50
_RANGE = re.compile(r"^(?:(?P<sheet>'(?:[^']|'')+'|[^'!]+)!)?"
                    r"\$?(?P<c1>[A-Z]{1,3})\$?(?P<r1>\d+)(?::\$?(?P<c2>[A-Z]{1,3})\$?(?P<r2>\d+))?$",
                    re.I)


def extension_lists(element: Any) -> list[tuple[str, str]]:
    """(formula, cells) of each drop-down list in a sheet's extension list (<extLst>)."""
    out = []
    for validation in element.iter(f"{_X14}dataValidation"):
        if validation.get("type") != "list":
            continue
        formula = validation.findtext(f"{_X14}formula1/{_XM}f")
        cells = validation.findtext(f"{_XM}sqref")
        if formula and cells:
            out.append((formula, cells))
    return out


def read_value_lists(wb: Any, ws: Any, parser: Any,
                     stopped_early: bool = False) -> dict[int, list[str]]:
    """Column index (0-based) -> the words its drop-down list offers, in the workbook's
    order, for every column of `ws` that has one. `parser` is the sheet's WorkSheetParser
    after parsing; `extension_lists` found the rest. When reading stopped before the end
    of the sheet (rows of styled, empty cells), the lists after the cells are read alone."""
    if stopped_early:
        found = _trailing_lists(ws)
    else:
        found = list(getattr(parser, "extension_lists", []))
        standard = getattr(parser, "data_validations", None)
        found += [(v.formula1, str(v.sqref))
                  for v in getattr(standard, "dataValidation", None) or []
                  if v.type == "list" and v.formula1]
    out: dict[int, list[str]] = {}
    for formula, cells in found:
        try:
            words = _list_items(wb, ws, formula)
        except (KeyError, ValueError, TypeError):  # a list we cannot follow is no scale
            continue
        if not words:
            continue
        for column in _columns(cells):
            out.setdefault(column, words)
    return out


def _trailing_lists(ws: Any) -> list[tuple[str, str]]:
    """The drop-down lists of a sheet, read from its XML without its cells."""
    from openpyxl.worksheet._reader import EXT_TAG, VALIDATION_TAG
    from openpyxl.worksheet.datavalidation import DataValidationList
    from openpyxl.xml.functions import iterparse

    found: list[tuple[str, str]] = []
    with ws._get_source() as src:
        for _, element in iterparse(src):
            if element.tag == VALIDATION_TAG:
                found += [(v.formula1, str(v.sqref))
                          for v in DataValidationList.from_tree(element).dataValidation
                          if v.type == "list" and v.formula1]
            elif element.tag == EXT_TAG:
                found += extension_lists(element)
            if element.tag in (VALIDATION_TAG, EXT_TAG) or element.tag.endswith("}row"):
                element.clear()
    return found


def _columns(cells: str) -> list[int]:
    from openpyxl.utils import range_boundaries

    columns: list[int] = []
    for part in cells.split():
        min_col, _, max_col, _ = range_boundaries(part)
        if min_col is None or max_col is None:
            continue
        columns.extend(c - 1 for c in range(min_col, max_col + 1) if c - 1 not in columns)
    return columns


def _list_items(wb: Any, ws: Any, formula: str) -> list[str]:
    formula = formula.strip().lstrip("=")
    if formula.startswith('"') and formula.endswith('"'):
        return _clean(formula[1:-1].split(","))
    match = _RANGE.match(formula)
    if match is None:
        target = _defined_name(wb, ws, formula)
        if target is None:
            return []
        match = _RANGE.match(target)
        if match is None:
            return []
    sheet_name = match["sheet"]
    if sheet_name:
        sheet_name = sheet_name[1:-1].replace("''", "'") if sheet_name.startswith("'") \
            else sheet_name
        sheet = wb[sheet_name]
    else:
        sheet = ws
    from openpyxl.utils import column_index_from_string

    c1, r1 = column_index_from_string(match["c1"]), int(match["r1"])
    c2 = column_index_from_string(match["c2"]) if match["c2"] else c1
    r2 = int(match["r2"]) if match["r2"] else r1
    if (r2 - r1 + 1) * (c2 - c1 + 1) > MAX_ITEMS:
        return []
    values = [v for row in sheet.iter_rows(min_row=r1, max_row=r2, min_col=c1, max_col=c2,
                                           values_only=True) for v in row]
    return _clean(values)


def _defined_name(wb: Any, ws: Any, name: str) -> str | None:
    for names in (getattr(ws, "defined_names", None) or {}, wb.defined_names):
        defined = names.get(name) if hasattr(names, "get") else None
        if defined is not None:
            return defined.attr_text
    return None


def _clean(values: list[Any]) -> list[str]:
    words = [" ".join(str(v).split()) for v in values if v is not None and str(v).strip()]
    return list(dict.fromkeys(words))
