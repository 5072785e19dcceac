"""Workbook layouts people really keep (issue 13, layouts): two-row headers with cells merged
down and group labels merged across, several risk sheets in one workbook (open and closed),
hidden empty columns beside the real ones, and a Word document saved with an .xlsx name.
Every workbook is built here with openpyxl, in our own words."""

from __future__ import annotations

import json

import pytest
from conftest import REALWORLD
from openpyxl import Workbook

from ooh_desk.imports import mapping, xlsx
from ooh_desk.store import Register, records


def stored(path):
    with Register.open(path, readonly=True) as reg:
        return {r.ref: r for r in records.all_records(reg, "risks")}


# --- two-row headers with merges -----------------------------------------------------------

# A RAID log laid out the way many PMOs draw it: most headings merged down rows 1-2, two
# group labels merged across (one over three columns, one over two), and two headings typed
# in row 2 alone beside the groups, with nothing above them.
RAID_ROWS = [
    ["RD-01", "03/04/2023", "Hub lease not signed", 4, 4, 16, "Escalate to the director",
     3, 3, "Estates lead", "Open"],
    ["RD-02", "05/04/2023", "Shared care record not live", 3, 5, 15, "Weekly supplier call",
     2, 4, "Digital lead", "Open"],
    ["RD-03", "07/04/2023", "Night nurses hard to recruit", 5, 3, 15,
     "Joint advert with the trust", 4, 2, "HR business partner", "Open"],
]


def raid_log(path, before="Initial", after="Controlled", rating="Probability", banner=None):
    wb = Workbook()
    ws = wb.active
    ws.title = "RAID - Risks"
    if banner:  # a title merged across the top of the sheet, over the whole header
        ws.append([banner])
        ws.merge_cells("A1:K1")
    top = ws.max_row + 1 if banner else 1
    ws.append(["Risk ID", "Date Raised", "Risk Title", before, None, None, None, after, None,
               None, "Status"])
    ws.append([None, None, None, rating, "Impact", "Risk Score", "Mitigating actions", rating,
               "Impact", "Owner", None])
    for column in "ABCK":
        ws.merge_cells(f"{column}{top}:{column}{top + 1}")
    ws.merge_cells(f"D{top}:F{top}")
    ws.merge_cells(f"H{top}:I{top}")
    for row in RAID_ROWS:
        ws.append(row)
    wb.save(path)
    return path


def test_merged_headings_name_every_column_they_cover(tmp_path):
    grid = xlsx.read_xlsx(raid_log(tmp_path / "raid.xlsx"))
    top, low = grid.rows[0][1], grid.rows[1][1]
    assert low[0] == "Risk ID" and low[2] == "Risk Title"  # merged down
    assert top[3:6] == ["Initial"] * 3 and top[7:9] == ["Controlled"] * 2  # merged across
    assert top[6] is None and top[9] is None  # not merged: nothing to spread
    # Each label qualifies the columns under it and no others.
    assert mapping.joined_header(top, low, carry=False) == [
        "Risk ID", "Date Raised", "Risk Title", "Initial Probability", "Initial Impact",
        "Initial Risk Score", "Mitigating actions", "Controlled Probability",
        "Controlled Impact", "Owner", "Status"]


def test_two_row_header_maps_each_stage_and_the_columns_beside_the_groups(tmp_path):
    """Below a banner (a title merged across the sheet, which is not a group label and is
    left as it is), the two-row header maps every column to the right field."""
    grid = xlsx.read_xlsx(raid_log(tmp_path / "raid.xlsx", "Inherent", "Residual",
                                   "Likelihood", banner="Community services RAID log"))
    assert grid.rows[0][1][1] is None  # the banner is not spread
    colmap = mapping.find_header(grid, "risks")
    assert colmap.header_rows == (2, 3)
    fields = colmap.field_columns()
    assert fields == {
        "ref": "Risk ID", "raised": "Date Raised", "title": "Risk Title",
        "inherent_likelihood": "Inherent Likelihood", "inherent_impact": "Inherent Impact",
        "inherent_score": "Inherent Risk Score", "mitigations": "Mitigating actions",
        "likelihood": "Residual Likelihood", "impact": "Residual Impact", "owner": "Owner",
        "status": "Status"}


def test_raid_log_with_merged_two_row_header_imports_every_row(cli, register, tmp_path):
    result = cli("import", register, raid_log(tmp_path / "raid.xlsx"), "--kind", "risks")
    assert result.code == 0, result.out + result.err
    assert "Imported: 3 new" in result.out
    risks = stored(register)
    assert sorted(risks) == ["RD-01", "RD-02", "RD-03"]
    lease = risks["RD-01"]
    assert lease.title == "Hub lease not signed"
    assert (lease.inherent.likelihood, lease.inherent.impact) == (4, 4)
    assert (lease.current.likelihood, lease.current.impact) == (3, 3)
    assert lease.owner == "Estates lead"
    assert [m.description for m in lease.mitigations] == ["Escalate to the director"]
    nurses = risks["RD-03"]
    assert (nurses.inherent.likelihood, nurses.inherent.impact) == (5, 3)
    assert (nurses.current.likelihood, nurses.current.impact) == (4, 2)


# --- hidden empty columns ------------------------------------------------------------------


def hidden_column_workbook(path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Ref", "Title", "Owner", "Likelihood", "Probability", "Impact"])
    ws.append(["HC-1", "Transport contract ends", "Contracts manager", None, 4, 3])
    ws.append(["HC-2", "Pharmacy cover thin at weekends", "Chief pharmacist", None, 2, 5])
    ws.column_dimensions["D"].hidden = True  # an old "Likelihood" column, hidden and empty
    wb.save(path)
    return path


def test_hidden_empty_column_does_not_take_the_field_from_the_visible_one(cli, register,
                                                                           tmp_path):
    path = hidden_column_workbook(tmp_path / "hidden.xlsx")
    assert xlsx.read_xlsx(path).hidden_columns == {3}
    result = cli("import", register, path, "--kind", "risks")
    assert result.code == 0, result.out + result.err
    assert "Probability -> likelihood" in result.out
    risks = stored(register)
    assert (risks["HC-1"].current.likelihood, risks["HC-1"].current.impact) == (4, 3)
    assert (risks["HC-2"].current.likelihood, risks["HC-2"].current.impact) == (2, 5)


def test_hidden_column_with_data_is_still_read(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Ref", "Title", "Likelihood", "Impact"])
    ws.append(["HD-1", "Estates survey late", 3, 3])
    ws.column_dimensions.group("C", "D", hidden=True)  # one <col min max> for both
    wb.save(tmp_path / "grouped.xlsx")
    grid = xlsx.read_xlsx(tmp_path / "grouped.xlsx")
    assert grid.hidden_columns == {2, 3}
    fields = mapping.find_header(grid, "risks").field_columns()
    assert fields["likelihood"] == "Likelihood" and fields["impact"] == "Impact"


# --- several risk sheets -------------------------------------------------------------------

HEADER = ["Risk ID", "Risk Title", "Owner", "Likelihood", "Impact", "Mitigation", "Status"]


def several_sheets(path, closed_rows=None, closed_header=HEADER):
    wb = Workbook()
    ws = wb.active
    ws.title = "Open Risks"
    ws.append(HEADER)
    ws.append(["OR-1", "GP practice mergers stall", "Primary care lead", 3, 4,
               "Monthly practice forum", "Open"])
    ws.append(["OR-2", "Winter demand above plan", "Urgent care lead", 4, 4,
               "Surge beds agreed", "Open"])
    other = wb.create_sheet("Not project specific")
    other.append(HEADER)
    other.append(["NP-1", "Office move disrupts staff", "Facilities", 2, 2, "Phased move",
                  "Open"])
    contacts = wb.create_sheet("Contacts")
    contacts.append(["Name", "Role", "Phone"])
    contacts.append(["A. Person", "Project officer", "01234 567890"])
    closed = wb.create_sheet("Closed Risks")
    closed.append(closed_header)
    for row in closed_rows if closed_rows is not None else [
        ["CR-1", "Data sharing agreement unsigned", "IG lead", 1, 3, "Signed in March",
         "Closed"],
        ["CR-2", "Steering group lacks a chair", "Programme director", 1, 2, "Chair appointed",
         None],
        ["CR-3", "Lease break clause missed", "Estates lead", 2, 3, "Legal advice taken",
         "Open"],
    ]:
        closed.append(row)
    wb.save(path)
    return path


def test_best_sheet_is_imported_and_the_other_risk_sheets_are_named(cli, register, tmp_path):
    path = several_sheets(tmp_path / "sheets.xlsx")
    result = cli("import", register, path)
    assert result.code == 0, result.err
    assert "sheet 'Open Risks'" in result.out
    assert "Imported: 2 new" in result.out
    note = next(line for line in result.out.splitlines() if "--all-sheets" in line)
    assert "'Not project specific'" in note and "'Closed Risks'" in note
    assert "--sheet NAME" in note and "'Contacts'" not in note
    assert sorted(stored(register)) == ["OR-1", "OR-2"]
    assert {r.status for r in stored(register).values()} == {"open"}
    assert "imported as closed" not in result.out


def test_all_sheets_imports_each_risk_sheet_and_closes_the_closed_ones(cli, register,
                                                                        tmp_path):
    path = several_sheets(tmp_path / "sheets.xlsx")
    result = cli("import", register, path, "--all-sheets")
    assert result.code == 0, result.out + result.err
    for sheet in ("Open Risks", "Not project specific", "Closed Risks"):
        assert f"sheet {sheet!r}: risks" in result.out
    assert "Contacts" not in result.out
    assert result.out.count("Imported:") == 3
    risks = stored(register)
    assert sorted(risks) == ["CR-1", "CR-2", "CR-3", "NP-1", "OR-1", "OR-2"]
    assert risks["CR-1"].status == "closed"
    assert risks["CR-2"].status == "closed"  # blank status on a closed sheet
    assert risks["CR-3"].status == "open"  # the status column says otherwise: kept
    assert risks["OR-1"].status == "open" and risks["NP-1"].status == "open"
    disagree = next(line for line in result.out.splitlines() if "disagree" in line
                    or "says 'Open'" in line)
    assert "'Closed Risks'" in disagree and "row 4" in disagree
    assert any("row 3" in line and "imported as closed" in line
               for line in result.out.splitlines())


def test_all_sheets_json_gives_one_report_per_sheet(cli, register, tmp_path):
    path = several_sheets(tmp_path / "sheets.xlsx")
    result = cli("import", register, path, "--all-sheets", "--dry-run", "--json")
    assert result.code == 0, result.err
    reports = json.loads(result.out)
    assert [r["source"] for r in reports] == [
        "sheets.xlsx, sheet 'Open Risks'", "sheets.xlsx, sheet 'Not project specific'",
        "sheets.xlsx, sheet 'Closed Risks'"]
    assert [r["counts"]["new"] for r in reports] == [2, 1, 3]
    assert not any(r["written"] for r in reports)
    assert stored(register) == {}


def test_all_sheets_is_all_or_nothing(cli, register, tmp_path):
    path = several_sheets(tmp_path / "sheets.xlsx", closed_rows=[
        ["CR-1", "Data sharing agreement unsigned", "IG lead", 9, 3, "Signed", "Closed"]])
    result = cli("import", register, path, "--all-sheets")
    assert result.code == 1
    assert result.err.count("\n") == 1
    assert "Closed Risks' row 2" in result.err and "Nothing was imported" in result.err
    assert stored(register) == {}  # the open sheets, planned first, were not written either


def test_same_ref_on_two_sheets_is_refused(cli, register, tmp_path):
    path = several_sheets(tmp_path / "sheets.xlsx", closed_rows=[
        ["OR-2", "Winter demand above plan", "Urgent care lead", 1, 4, "Passed", "Closed"]])
    result = cli("import", register, path, "--all-sheets")
    assert result.code == 1
    assert "OR-2 is also on sheet 'Open Risks'" in result.err
    assert stored(register) == {}


def test_closed_sheet_without_a_status_column_closes_every_risk(cli, register, tmp_path):
    path = several_sheets(tmp_path / "sheets.xlsx", closed_header=HEADER[:-1], closed_rows=[
        ["CR-7", "Consultation period too short", "Engagement lead", 1, 2, "Extended"],
        ["CR-8", "Car parking at the hub", "Estates lead", 1, 1, "New spaces leased"],
    ])
    result = cli("import", register, path, "--sheet", "closed risks")
    assert result.code == 0, result.out + result.err
    assert "(the sheet's name, 'Closed Risks') -> status" in result.out
    assert "its 2 risks were imported as closed" in result.out
    assert {r.status for r in stored(register).values()} == {"closed"}


def test_own_risk_log_still_comes_back_whole_with_all_sheets(cli, demo_copy, tmp_path):
    log = tmp_path / "log.xlsx"
    assert cli("export", demo_copy, "risk-log", "-o", log).code == 0
    with Register.open(demo_copy, readonly=True) as reg:
        before = {r.ref: r.status for r in records.all_records(reg, "risks")}
    again = cli("import", demo_copy, log, "--all-sheets", "--dry-run")
    assert again.code == 0, again.err
    assert again.out.count("Would import:") == 1
    assert f"0 new, 0 updated, {len(before)} unchanged" in again.out


# --- not a workbook at all -----------------------------------------------------------------


def test_word_document_with_an_xlsx_name_is_refused_in_one_line(cli, register):
    path = REALWORLD / "raid-log-actually-docx_pravalika9860.xlsx"
    if not path.exists():
        pytest.skip("the shared real-world registers are not on this machine")
    result = cli("import", register, path, "--dry-run")
    assert result.code == 1
    assert result.err.count("\n") == 1
    assert "it is a Word document saved with an .xlsx name" in result.err
    assert "open it in Word" in result.err
    assert "Traceback" not in result.err


def test_merges_are_read_when_styled_empty_rows_run_on(tmp_path):
    """Reading stops in a long run of formatted but empty rows; the merged ranges, which a
    workbook lists after its cells, are still found."""
    from openpyxl.styles import PatternFill

    path = raid_log(tmp_path / "raid.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb.active
    fill = PatternFill("solid", fgColor="DDEEFF")
    for row in range(10, 10 + xlsx.BLANK_ROWS_TO_STOP + 20):
        ws.cell(row=row, column=1).fill = fill
    wb.save(path)
    grid = xlsx.read_xlsx(path)
    assert grid.rows[1][1][0] == "Risk ID"
    assert grid.rows[0][1][3:6] == ["Initial"] * 3
