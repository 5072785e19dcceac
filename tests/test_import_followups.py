"""Issue 13 follow-ups: a file that numbers its rows (1, 2, 3) never overwrites another
record the register keeps under R-001, R-002 …; a sheet of refs and impacts alone still
updates the risks it names; the header search and the money check do their work once."""

from __future__ import annotations

import pytest
from conftest import write_csv

from ooh_desk.imports import mapping, rows
from ooh_desk.imports.sources import read_grid
from ooh_desk.services.import_preview import preview
from ooh_desk.services.importing import import_file
from ooh_desk.store import Register, records

FIRST = ("Risk #,Title,Likelihood,Impact,Owner\n"
         "1,Staff leave the programme,3,4,Ann Lee\n"
         "2,The supplier fails,2,5,Bob Ray\n"
         "3,The budget is cut,4,4,Cy Moss\n")


def risks(path):
    with Register.open(path, readonly=True) as reg:
        return {r.ref: r for r in records.all_records(reg, "risks")}


@pytest.fixture
def numbered(register, tmp_path):
    """A register whose risks came from a file numbering its rows 1 to 3."""
    report = import_file(register, write_csv(tmp_path / "first.csv", FIRST))
    assert not report.refused and set(risks(register)) == {"R-001", "R-002", "R-003"}
    return register


# --- 1. a number made into a ref never overwrites another record ---------------------------------


OTHER = ("Risk #,Title,Likelihood,Impact,Owner\n"
         "1,Staff leave the programme,3,5,Ann Lee\n"
         "3,The roof leaks in winter,2,2,Dee Fox\n")


def test_number_ref_naming_another_risk_is_refused_with_the_way_out(numbered, tmp_path, cli):
    other = write_csv(tmp_path / "other.csv", OTHER)
    result = cli("import", numbered, other)
    assert result.code != 0
    line = ("other.csv row 3, column 'Risk #': 3 would be R-003, but R-003 in the register is "
            "another risk ('The budget is cut'); type R-003 in the file if this row is that "
            "risk, or --map \"Risk #=ignore\" to give the file's rows new refs")
    assert line in result.err
    assert risks(numbered)["R-003"].title == "The budget is cut"  # all or nothing
    assert risks(numbered)["R-001"].current.impact == 4
    # The way out it names: the number column ignored, rows are found by their titles, and
    # a title the register lacks is a new risk with the next free ref.
    report = import_file(numbered, other, overrides={"Risk #": "ignore"})
    assert not report.refused
    assert [(o.ref, o.outcome) for o in report.rows] == [("R-001", "updated"), ("R-004", "new")]
    held = risks(numbered)
    assert held["R-003"].title == "The budget is cut"
    assert held["R-004"].title == "The roof leaks in winter"


def test_the_same_file_again_still_updates_and_a_typed_ref_may_retitle(numbered, tmp_path):
    again = write_csv(tmp_path / "again.csv", FIRST.replace("3,4,Ann Lee", "3,5,Ann Lee"))
    report = import_file(numbered, again)
    assert not report.refused
    assert [o.outcome for o in report.rows] == ["updated", "unchanged", "unchanged"]
    assert risks(numbered)["R-001"].current.impact == 5
    # R-003 typed in full is the user's word that this row is that risk: a retitle. Typed
    # as 3, the same row is refused.
    head = "Ref,Title,Likelihood,Impact,Owner\n"
    retitle = "R-003,The budget is cut by a third,4,4,Cy Moss\n"
    refused = import_file(numbered, write_csv(tmp_path / "n.csv", head + "3" + retitle[5:]))
    assert [o.outcome for o in refused.rows] == ["refused"]
    report = import_file(numbered, write_csv(tmp_path / "typed.csv", head + retitle))
    assert [o.outcome for o in report.rows] == ["updated"]
    assert risks(numbered)["R-003"].title == "The budget is cut by a third"


def test_a_file_of_descriptions_alone_is_told_apart_by_its_descriptions(register, tmp_path):
    head = "Risk #,Risk description,Likelihood,Impact\n"
    import_file(register, write_csv(tmp_path / "a.csv", head + "1,Staff may leave. More.,3,4\n"))
    again = import_file(register, write_csv(tmp_path / "b.csv",
                                            head + "1,Staff may leave. More.,3,5\n"))
    assert [o.outcome for o in again.rows] == ["updated"]
    other = import_file(register, write_csv(tmp_path / "c.csv",
                                            head + "1,Rain may flood the site.,2,2\n"),
                        dry_run=True)
    [problem] = other.rows[0].problems
    assert "R-001 in the register is another risk ('Staff may leave. More.')" in str(problem)


def test_the_wizard_preview_shows_the_clash_on_its_row(numbered, tmp_path):
    other = write_csv(tmp_path / "other.csv", "Risk #,Title,Likelihood,Impact,Owner\n"
                      "2,A different risk,1,1,Dee Fox\n")
    with Register.open(numbered, readonly=True) as reg:
        shown = preview(other, reg=reg)
    assert shown.rows[0].problems == [
        "Risk #: 2 would be R-002, but R-002 in the register is another risk ('The supplier "
        "fails'); type R-002 in the file if this row is that risk, or --map \"Risk #=ignore\" "
        "to give the file's rows new refs"]


def test_two_sheets_numbering_their_rows_from_1_are_refused_in_the_dry_run_too(register,
                                                                              tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    for sheet, titles in (("Risks", ("Staff leave", "Supplier fails")),
                          ("Closed risks", ("Rain floods the site",))):
        ws = wb.active if sheet == "Risks" else wb.create_sheet(sheet)
        ws.title = sheet
        ws.append(["Risk #", "Title", "Likelihood", "Impact", "Owner"])
        for n, title in enumerate(titles, 1):
            ws.append([n, title, 3, 3, "Ann Lee"])
    wb.save(tmp_path / "two.xlsx")
    reports = import_file(register, tmp_path / "two.xlsx", all_sheets=True, dry_run=True)
    [closed] = [o for o in reports[1].rows if o.outcome == "refused"]
    assert "1 would be R-001, which sheet 'Risks' numbers too; --map \"Risk #=ignore\" " \
        "gives every sheet's rows their own refs" in str(closed.problems[-1])
    # Written for real, the first sheet's R-001 is in the register when the second is read.
    reports = import_file(register, tmp_path / "two.xlsx", all_sheets=True)
    [closed] = [o for o in reports[1].rows if o.outcome == "refused"]
    assert "R-001 in the register is another risk ('Staff leave')" in str(closed.problems[0])
    assert risks(register) == {}
    reports = import_file(register, tmp_path / "two.xlsx", all_sheets=True,
                          overrides={"Risk #": "ignore"})
    assert not any(r.refused for r in reports)
    held = risks(register)
    assert sorted((r.title, r.status) for r in held.values()) == [
        ("Rain floods the site", "closed"), ("Staff leave", "open"),
        ("Supplier fails", "open")]


# --- 2. refs and impacts alone update the risks they name -----------------------------------------


@pytest.mark.parametrize("ref_heading, refs", [("Ref", ("R-001", "R-002")),
                                                ("Risk #", ("1", "2"))])
def test_refs_and_impacts_alone_update_known_risks(numbered, tmp_path, ref_heading, refs):
    update = write_csv(tmp_path / "update.csv",
                       f"{ref_heading},Impact\n{refs[0]},1\n{refs[1]},2\n")
    report = import_file(numbered, update)
    assert not report.refused
    assert [o.outcome for o in report.rows] == ["updated", "updated"]
    held = risks(numbered)
    assert (held["R-001"].current.likelihood, held["R-001"].current.impact) == (3, 1)
    assert (held["R-002"].current.likelihood, held["R-002"].current.impact) == (2, 2)


def test_the_wizard_preview_reads_refs_and_impacts_as_the_update_they_are(numbered,
                                                                          tmp_path):
    update = write_csv(tmp_path / "update.csv", "Ref,Impact\nR-001,1\nR-002,2\n")
    with Register.open(numbered, readonly=True) as reg:
        shown = preview(update, reg=reg)
    assert shown.refusal == ""
    assert [r.problems for r in shown.rows] == [[], []]
    assert "no column gives a likelihood" in preview(update).refusal  # no register: refused


def test_impacts_for_a_risk_the_register_lacks_are_still_refused_in_one_line(numbered,
                                                                            tmp_path, cli):
    update = write_csv(tmp_path / "update.csv", "Ref,Impact\nR-001,1\nR-009,2\n")
    result = cli("import", numbered, update)
    assert result.code != 0
    assert "'Impact' gives each of its 2 risks an impact, but no column gives a likelihood" \
        in result.err
    assert risks(numbered)["R-001"].current.impact == 4
    # Without R-009 the same sheet is an update (refused before this change).
    result = cli("import", numbered, write_csv(tmp_path / "known.csv", "Ref,Impact\nR-001,1\n"))
    assert result.code == 0, result.err
    assert risks(numbered)["R-001"].current.impact == 1


# --- 3. the header search and the money check, each done once ------------------------------------


def test_money_columns_read_the_grid_once(tmp_path, monkeypatch):
    path = write_csv(tmp_path / "cost.csv", "Ref,Title,Likelihood,Impact (£),Cost\n"
                     "R-001,A,3,15000,200\nR-002,B,2,\"2,000\",300\n")
    grid = read_grid(path, kind="risks")
    colmap = mapping.find_header(grid, "risks")
    reads = []

    class Counted(list):
        def __iter__(self):
            reads.append(1)
            return super().__iter__()

    monkeypatch.setattr(grid, "rows", Counted(grid.rows))
    found, example = rows._money_columns(grid, colmap, colmap.headings)
    assert found == ["Impact (£)", "Cost"] and example == "15000"
    assert len(reads) == 1


def test_find_header_normalises_each_heading_once(tmp_path, monkeypatch):
    head = "Risk ID,Risk Title,Probability,Impact,Owner,Mitigation,Status,Date raised"
    body = "\n".join(f"R-{n:03d},Risk {n},3,4,Ann,Act,Open,01/02/2024" for n in range(1, 40))
    grid = read_grid(write_csv(tmp_path / "r.csv", f"{head}\n{body}\n"), kind=None)
    mapping.normalise.cache_clear()
    colmap = mapping.find_header(grid, None)
    assert colmap.kind == "risks" and colmap.columns[1] == "title"
    info = mapping.normalise.cache_info()
    assert info.hits > info.misses  # the same headings are looked up, not worked out again
