"""The streamed rows of the risk log: the fast route (rows built as openpyxl's own XML) and
the public route (styled WriteOnlyCells) must write the same cells, and the fast route must
be the one in use with the openpyxl installed, so an openpyxl upgrade that changes its
streaming insides fails here instead of quietly making the export slow."""

from __future__ import annotations

import zipfile
from datetime import date

import openpyxl
import pytest
from openpyxl import Workbook, load_workbook

from ooh_desk.exports import xlsx_rows
from ooh_desk.exports.risk_log import SHEETS, STYLES
from ooh_desk.exports.xlsx_rows import RowWriter, text_cell
from ooh_desk.store import Register, records

COLUMNS = ["text", "number", "date", "centre", "text"]
TRICKY = [
    ["=HYPERLINK(\"http://evil.example\")", 3, date(2017, 12, 4), "#N/A", "plain words"],
    ["+1+2", 2.5, None, "", "  leading and trailing  "],
    ["-3", 0, date(2018, 1, 31), "@SUM(A1:A2)", "a & b < c > d \"quoted\" 'single'"],
    ["\ttabbed", -4, None, "x\ry", "line one\r\nline two\nline three"],
    ["bell\x07 and\x1f control \ufffe", 12, None, "\u2191 Rising", "\u00a3 \u2022 caf\u00e9 \U0001F600"],
    ["x" * 40000, None, None, None, "   "],
]


def write(path, fast: bool) -> bool:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Rows")
    rows = RowWriter(ws, [STYLES[c] for c in COLUMNS], fast=fast)
    rows.append_cells([text_cell(ws, f"Heading {n}", STYLES["header"]) for n in range(5)], 30)
    for n, values in enumerate(TRICKY):
        rows.append(values, height=None if n == 1 else 15.5 + n)
    wb.save(path)
    return rows.fast


def cells(path):
    ws = load_workbook(path)["Rows"]
    out = []
    for row in ws.iter_rows():
        for c in row:
            out.append((c.coordinate, c.value, c.data_type, c.quotePrefix, c.number_format,
                        c.font.name, c.font.sz, c.font.b, c.border.left.style,
                        c.fill.fgColor.rgb, c.alignment.wrap_text, c.alignment.horizontal,
                        c.alignment.vertical))
    heights = {n: d.height for n, d in ws.row_dimensions.items() if d.height}
    return out, heights


def test_fast_route_is_on_with_this_openpyxl():
    ws = Workbook(write_only=True).create_sheet("x")
    assert xlsx_rows.fast_path_available(ws), (
        f"openpyxl {openpyxl.__version__} no longer streams rows the way xlsx_rows expects; "
        "the risk log falls back to the slow public route until RowWriter is updated")
    assert RowWriter(ws, [STYLES["text"]]).fast


def test_fast_and_public_routes_write_the_same_cells(tmp_path):
    assert write(tmp_path / "fast.xlsx", fast=True) is True
    assert write(tmp_path / "public.xlsx", fast=False) is False
    fast, public = cells(tmp_path / "fast.xlsx"), cells(tmp_path / "public.xlsx")
    assert fast == public
    values, heights = fast
    by_ref = {v[0]: v for v in values}
    assert by_ref["A2"][1:4] == ("=HYPERLINK(\"http://evil.example\")", "s", True)
    assert by_ref["D2"][1:4] == ("#N/A", "s", True)  # an error code typed as words stays words
    assert by_ref["E3"][1] == "  leading and trailing  "
    assert by_ref["E4"][1] == "a & b < c > d \"quoted\" 'single'"
    assert by_ref["D5"][1] == "x\ry" and by_ref["E5"][1] == "line one\nline two\nline three"
    assert by_ref["A6"][1] == "bell and control "
    assert len(by_ref["A7"][1]) == 32767
    assert by_ref["C2"][1].date() == date(2017, 12, 4) and by_ref["C2"][4] == "dd/mm/yyyy"
    assert by_ref["B3"][1] == 2.5 and by_ref["C3"][5:9] == ("Arial", 9.0, False, "thin")
    assert heights == {1: 30, 2: 15.5, 4: 17.5, 5: 18.5, 6: 19.5, 7: 20.5}
    for name in ("fast.xlsx", "public.xlsx"):
        with zipfile.ZipFile(tmp_path / name) as z:
            assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_fast_route_refuses_a_value_it_cannot_write(tmp_path):
    wb = Workbook(write_only=True)
    rows = RowWriter(wb.create_sheet("x"), [STYLES["text"]], fast=True)
    with pytest.raises(TypeError, match="cannot be written"):
        rows.append([object()])
    with pytest.raises(ValueError, match="1 columns"):
        RowWriter(Workbook(write_only=True).create_sheet("y"), [STYLES["text"]]).append([1, 2])


def whole_log(path):
    wb = load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        out[ws.title] = [
            (c.coordinate, c.value, c.data_type, c.quotePrefix, c.number_format, c.font.b,
             c.fill.fgColor.rgb, c.alignment.wrap_text, c.border.top.style)
            for row in ws.iter_rows() for c in row]
        out[ws.title + " heights"] = {n: d.height for n, d in ws.row_dimensions.items()
                                      if d.height}
        out[ws.title + " filter"] = ws.auto_filter.ref
    return out


def test_whole_log_is_the_same_by_either_route(cli, demo_copy, tmp_path, monkeypatch):
    assert cli("export", demo_copy, "risk-log", "-o", tmp_path / "fast.xlsx").code == 0
    monkeypatch.setattr(xlsx_rows, "fast_path_available", lambda ws: False)
    assert cli("export", demo_copy, "risk-log", "-o", tmp_path / "public.xlsx").code == 0
    fast, public = whole_log(tmp_path / "fast.xlsx"), whole_log(tmp_path / "public.xlsx")
    assert list(load_workbook(tmp_path / "public.xlsx").sheetnames) == list(SHEETS)
    assert fast == public
    with Register.open(demo_copy, readonly=True) as reg:
        rows = records.total_records(reg, "risks") + 1
    assert len(fast["Risk log"]) == rows * 20 and fast["Risk log filter"] == f"A1:T{rows}"
