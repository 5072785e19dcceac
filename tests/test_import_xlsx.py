""".xlsx import through the real command line, with the messy workbooks people keep built
here in the tests: title rows, merged two-row headers, words for scores, uncached formulas,
dates in every form, hidden rows, runaway used ranges — and hostile files refused whole."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font
from test_import_csv import snapshot

from ooh_desk.imports import xlsx
from ooh_desk.imports.tabular import Grid
from ooh_desk.store import Register, records


def risks(path):
    with Register.open(path, readonly=True) as reg:
        return {r.ref: r for r in records.all_records(reg, "risks")}


def messy_workbook(path, extra_rows=()):
    wb = Workbook()
    ws = wb.active
    ws.title = "Risk Register"
    ws["B1"] = "Community Services Risk Register"
    ws["B1"].font = Font(bold=True, size=14)
    ws["B2"] = "Owner: PMO   Last updated: October 2017"
    # Row 4-5: a merged two-row header starting in column B.
    top = ["Risk ID", "Risk", "Owner", "Inherent risk", None, None, "Current risk", None, None,
           "Mitigating actions", "Date raised", "Review date", "Status"]
    low = [None, None, None, "Likelihood", "Impact", "Score", "Likelihood", "Impact", "Score",
           None, None, None, None]
    ws.append([])
    ws.append([None, *top])
    ws.append([None, *low])
    ws.merge_cells("E4:G4")
    ws.merge_cells("H4:J4")
    data = [
        ["CS01", "TUPE data late", "Head of HR", "5 - Almost certain", "4 (Major)", "=E6*F6",
         "L4", "4", "=H6*I6", "1. Workforce group\n2. Chase providers", datetime(2017, 6, 14),
         "2017-12-01", "Open"],
        ["CS02", "Estates costs", "Head of Estates", "Likely", "Moderate", "=E7*F7",
         "3 - Possible", "Moderate", "=H7*I7", "- Agree budget\n- Review leases", "14/06/2017",
         "01/12/17", "Live"],
        ["CS03", "Digital systems", "Head of Digital", 4, 3, 12, 2, 3, 6,
         "\u2022 Interoperability plan", "Early November 2017", "Q3 2017/18", "Escalated"],
    ]
    for row in data:
        ws.append([None, *row])
    ws.row_dimensions[8].hidden = True  # filtered out in Excel, still a risk
    ws.append([])
    ws.append([None, "Total", None, None, None, None, None, None, None, None, None, None, None,
               None])
    for row in extra_rows:
        ws.append(row)
    # Formatting dragged to the last cell of the sheet: the used range runs to XFD1048576.
    ws["XFD1048576"].font = Font(bold=True)
    wb.save(path)
    return path


def test_messy_workbook_imports_every_risk(cli, register, tmp_path):
    source = messy_workbook(tmp_path / "messy.xlsx")
    result = cli("import", register, source)
    assert result.code == 0, result.err
    assert "Imported: 3 new" in result.out
    got = risks(register)
    assert list(got) == ["CS01", "CS02", "CS03"]
    cs01, cs02, cs03 = got["CS01"], got["CS02"], got["CS03"]
    assert (cs01.inherent.likelihood, cs01.inherent.impact) == (5, 4)
    assert (cs01.current.likelihood, cs01.current.impact) == (4, 4)
    assert (cs02.inherent.score, cs02.current.score) == (12, 9)
    assert [m.description for m in cs01.mitigations] == ["Workforce group", "Chase providers"]
    assert [m.description for m in cs02.mitigations] == ["Agree budget", "Review leases"]
    assert cs01.raised.text == "14 June 2017" and cs01.review_date.text == "1 December 2017"
    assert cs02.raised.text == "14 June 2017" and cs02.review_date.text == "1 December 2017"
    assert cs03.raised.text == "Early November 2017" and cs03.review_date.text == "Q3 2017/18"
    assert (cs02.status, cs03.status) == ("open", "escalated")


def test_reader_joins_two_row_header_recomputes_scores_and_keeps_hidden_rows(tmp_path):
    from ooh_desk.imports.mapping import find_header

    grid = xlsx.read_xlsx(messy_workbook(tmp_path / "messy.xlsx"))
    colmap = find_header(grid, "risks")
    assert colmap.header_rows == (4, 5)
    assert colmap.field_columns()["inherent_likelihood"] == "Inherent risk Likelihood"
    assert colmap.field_columns()["score"] == "Current risk Score"
    rows = dict(grid.rows)
    assert rows[6][6] == 20 and rows[6][9] == 16  # =E6*F6 and =H6*I6, never calculated
    assert grid.hidden_rows == {8}
    assert 8 in rows
    assert max(number for number, _ in grid.rows) < 20  # XFD1048576 was not read
    assert max(len(cells) for _, cells in grid.rows) == 14


def test_dry_run_json_reports_the_mapping_of_a_workbook(cli, register, tmp_path):
    source = messy_workbook(tmp_path / "messy.xlsx")
    result = cli("import", register, source, "--dry-run", "--json")
    data = json.loads(result.out)
    assert data["source"] == "messy.xlsx, sheet 'Risk Register'"
    assert {"column": "Current risk Likelihood", "field": "likelihood"} in data["mapping"]
    assert [r["ref"] for r in data["rows"]] == ["CS01", "CS02", "CS03"]
    assert risks(register) == {}


def test_blank_run_stops_the_scan(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "BLANK_ROWS_TO_STOP", 50)
    wb = Workbook()
    ws = wb.active
    ws.append(["Ref", "Title", "Likelihood", "Impact"])
    ws.append(["R-1", "Estates", 2, 3])
    for n in range(3, 200):
        ws.cell(n, 1).font = Font(bold=True)  # styled, empty
    ws.cell(200, 1, "stray note far below")
    wb.save(tmp_path / "long.xlsx")
    grid = xlsx.read_xlsx(tmp_path / "long.xlsx")
    assert [n for n, _ in grid.rows] == [1, 2]


def test_sheet_by_name_or_by_best_heading_match(cli, register, tmp_path):
    wb = Workbook()
    notes = wb.active
    notes.title = "Notes"
    notes.append(["Read me", "first"])
    actions = wb.create_sheet("Actions")
    actions.append(["Action ID", "Action", "Owner", "Due date", "Status"])
    actions.append(["A1", "Send letters", "PMO", "01/12/2017", "Open"])
    log = wb.create_sheet("Risk log")
    log.append(["Risk ID", "Risk", "Likelihood", "Impact", "Mitigations"])
    log.append(["R-1", "Estates", 2, 3, "Agree budget"])
    wb.save(tmp_path / "book.xlsx")
    result = cli("import", register, tmp_path / "book.xlsx", "--kind", "risks", "--dry-run")
    assert "book.xlsx, sheet 'Risk log': risks" in result.out
    result = cli("import", register, tmp_path / "book.xlsx", "--dry-run")
    assert "sheet 'Risk log': risks (guessed" in result.out
    result = cli("import", register, tmp_path / "book.xlsx", "--sheet", "actions", "--dry-run")
    assert "sheet 'Actions': actions" in result.out
    result = cli("import", register, tmp_path / "book.xlsx", "--sheet", "Issues")
    assert result.code == 1
    assert "has no sheet called 'Issues'; its sheets are: 'Notes', 'Actions', 'Risk log'" \
        in result.err


def test_repeated_and_misspelt_headings(cli, register, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Ref", "Title", "Likelihood", "Impact", "Likelihood", "Impact", "Mitigaton actions",
               "Catagory"])
    ws.append(["R-1", "Estates", 4, 4, 2, 3, "Agree budget", "Finance"])
    wb.save(tmp_path / "dup.xlsx")
    result = cli("import", register, tmp_path / "dup.xlsx")
    assert result.code == 0, result.err
    assert "Likelihood -> inherent_likelihood; Impact -> inherent_impact; " \
           "Likelihood -> likelihood; Impact -> impact; Mitigaton actions -> mitigations; " \
           "Catagory -> category" in result.out
    r = risks(register)["R-1"]
    assert r.current.score == 6 and r.inherent.score == 16 and r.category == "Finance"
    assert [m.description for m in r.mitigations] == ["Agree budget"]
    wb = Workbook()
    wb.active.append(["Ref", "Title", "Likelyhood", "Impact"])
    wb.active.append(["R-2", "Digital", 3, 3])
    wb.save(tmp_path / "typo.xlsx")
    result = cli("import", register, tmp_path / "typo.xlsx")
    assert result.code == 0 and "Likelyhood -> likelihood" in result.out


def test_impossible_values_name_sheet_row_and_column(cli, register, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Risks"
    ws.append(["Risk register"])
    ws.append([])
    ws.append(["Ref", "Risk", "Likelihood", "Impact", "Score", "Review date"])
    ws.append(["R-1", "Estates", 2, 3, 6, "01/12/2017"])
    ws.append(["R-2", "Digital", 7, 3, 21, "31/02/2018"])
    ws.append(["R-3", "Finance", 2, 3, 8, None])
    wb.save(tmp_path / "bad.xlsx")
    before = snapshot(register)
    result = cli("import", register, tmp_path / "bad.xlsx", "--dry-run")
    assert result.code == 1
    assert "bad.xlsx, sheet 'Risks' row 5, column 'Likelihood': '7' is not a likelihood" \
        in result.out or "bad.xlsx, sheet 'Risks' row 5, column 'Likelihood': 7 is not" \
        in result.out
    assert "sheet 'Risks' row 5, column 'Review date'" in result.out
    assert "sheet 'Risks' row 6, column 'Score': score 8 is not likelihood x impact " \
           "(2 x 3 = 6)" in result.out
    result = cli("import", register, tmp_path / "bad.xlsx")
    assert result.code == 1 and result.err.count("\n") == 1
    assert "Nothing was imported: bad.xlsx, sheet 'Risks' row 5" in result.err
    assert snapshot(register) == before


def test_no_recognisable_columns_names_the_headings(cli, register, tmp_path):
    wb = Workbook()
    wb.active.append(["Fruit", "Colour", "Price"])
    wb.active.append(["apple", "red", 1])
    wb.save(tmp_path / "shopping.xlsx")
    result = cli("import", register, tmp_path / "shopping.xlsx")
    assert result.code == 1
    assert "no recognisable columns" in result.err and "'Fruit', 'Colour', 'Price'" in result.err


# --- hostile and broken files: one line, exit 1, the register untouched ------------------------


def _refused(cli, register, path, *needles):
    before = snapshot(register)
    result = cli("import", register, path)
    assert result.code == 1, result.out
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    for needle in needles:  # the CLI capitalises the line's first letter
        assert needle.lower() in result.err.lower(), result.err
    assert snapshot(register) == before
    return result


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def test_old_xls_is_refused_with_save_as_advice(cli, register, tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(OLE + b"\x00" * 1024)
    _refused(cli, register, path, "old Excel 97-2003 .xls", "save it as .xlsx")


def test_password_protected_workbook_is_refused(cli, register, tmp_path):
    path = tmp_path / "locked.xlsx"
    path.write_bytes(OLE + b"\x00" * 512 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512)
    _refused(cli, register, path, "locked.xlsx is password-protected", "remove the password")


def test_xls_renamed_to_xlsx_is_refused(cli, register, tmp_path):
    path = tmp_path / "renamed.xlsx"
    path.write_bytes(OLE + b"\x00" * 1024)
    _refused(cli, register, path, "old Excel 97-2003 workbook with an .xlsx name")


def test_corrupt_zip_is_refused(cli, register, tmp_path):
    good = messy_workbook(tmp_path / "good.xlsx").read_bytes()
    path = tmp_path / "broken.xlsx"
    path.write_bytes(good[: len(good) // 2])
    _refused(cli, register, path, "broken.xlsx is damaged")


def test_zip_that_is_not_a_workbook_is_refused(cli, register, tmp_path):
    path = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    _refused(cli, register, path, "is a zip file but not an Excel workbook")


def test_zip_bomb_is_refused_unread(cli, register, tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (12 * 1024 * 1024) + b"/>")
    assert path.stat().st_size < 100_000
    _refused(cli, register, path, "the mark of a zip bomb", "refused unread")


def test_oversized_xml_part_is_refused_unread(cli, register, tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_PART_BYTES", 1024 * 1024)
    path = tmp_path / "huge.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/sharedStrings.xml", b"x" * (2 * 1024 * 1024))
    _refused(cli, register, path, "xl/sharedStrings.xml would unpack to 2 MB")


def test_entity_expansion_in_a_part_is_refused(cli, register, tmp_path):
    good = messy_workbook(tmp_path / "good.xlsx")
    path = tmp_path / "laughs.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                body = data.split(b"?>", 1)[-1]
                data = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
                        + body.replace(b"<sheets>", b"<sheets>&lol2;"))
            dst.writestr(item, data)
    _refused(cli, register, path, "laughs.xlsx cannot be read as an Excel workbook")


def test_grid_type_is_shared_with_csv():
    assert xlsx.read_xlsx.__annotations__["return"] in ("Grid", Grid)


@pytest.fixture
def register(tmp_path):
    from ooh_desk.services.registers import init_register

    return init_register(tmp_path / "test.oohdesk", "Test Programme")
