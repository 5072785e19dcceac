"""Refs: what one looks like (checked on the way in, by file, row and column), that case does
not matter (r-001 is R-001), and that no stored value, however odd, stops a new record
being given the next free ref."""

from __future__ import annotations

import json

import pytest
from conftest import write_csv
from openpyxl import Workbook
from test_import_csv import snapshot

from ooh_desk.domain.papers import Paper
from ooh_desk.domain.records import Action, Risk
from ooh_desk.domain.scoring import Rating
from ooh_desk.services import records as record_service
from ooh_desk.store import Register, papers, records

RULE = "a ref is 1 to 10 letters, a dash and 1 to 6 digits, such as R-007"


def _refs(path, kind="risks"):
    with Register.open(path, readonly=True) as reg:
        return [r.ref for r in records.all_records(reg, kind)]


def _risks_csv(path, *refs: str):
    lines = ["ref,title,likelihood,impact"]
    lines += [f"{ref},Risk {n},3,{n % 5 + 1}" for n, ref in enumerate(refs, 1)]
    return write_csv(path, "\n".join(lines) + "\n")


@pytest.mark.parametrize("bad", ["R-\u00b2", "R-" + "1" * 5000, "R-\u0661\u0662", "7", "R-1.5",
                                 "RISKREGISTER-1", "R-1234567", "R 001"])
def test_a_bad_ref_is_refused_naming_file_row_and_column(cli, register, tmp_path, bad):
    source = _risks_csv(tmp_path / "risks.csv", "R-001", bad)
    before = snapshot(register)
    result = cli("import", register, source)
    assert result.code == 1
    assert result.err.count("\n") == 1 and len(result.err) < 400, result.err
    assert "risks.csv row 3, column 'ref':" in result.err
    assert "is not a ref" in result.err and RULE in result.err
    assert snapshot(register) == before


def test_a_number_in_an_xlsx_ref_cell_among_refs_is_refused_not_guessed(cli, register,
                                                                         tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Risk ID", "Title", "Likelihood", "Impact"])
    sheet.append(["RSK-101", "Staff not ready", 2, 3])
    sheet.append([7, "Estates not ready", 2, 3])
    book.save(tmp_path / "log.xlsx")
    result = cli("import", register, tmp_path / "log.xlsx")
    assert result.code == 1
    assert "row 3, column 'Risk ID': '7' is not a ref: " + RULE in result.err
    assert _refs(register) == []
    # A column of numbers alone numbers the kind's refs (issue 13): see test_import_values.


def test_the_refs_people_use_are_accepted(cli, register, tmp_path):
    source = _risks_csv(tmp_path / "risks.csv", "R-001", "RSK-101", "CS01", "ABCDEFGHIJ-999999",
                        " R-1 ")
    result = cli("import", register, source)
    assert result.code == 0, result.err
    assert sorted(_refs(register)) == ["ABCDEFGHIJ-999999", "CS01", "R-001", "R-1", "RSK-101"]


def _older_version_register(register):
    """A register an older version wrote, holding refs it should never have let in."""
    with Register.open(register) as reg:
        records.save_records(reg, "risks", [
            Risk(ref=ref, title=f"Old risk {n}", current=Rating(2, 2))
            for n, ref in enumerate(["R-\u00b2", "R-" + "9" * 5000, "7", "r-5", "R-x"], 1)])
        records.save_records(reg, "actions", [Action(ref="A-\u00b3", description="Old")])
        papers.save_paper(reg, Paper(ref="P-\u00b9", title="Old paper"))


def test_new_refs_are_given_whatever_an_older_version_stored(cli, register, tmp_path):
    _older_version_register(register)
    result = cli("import", register, write_csv(tmp_path / "new.csv",
                                               "title,likelihood,impact\nA new risk,3,3\n"))
    assert result.code == 0, result.err
    assert "R-006" in _refs(register)  # on from r-5
    with Register.open(register) as reg:  # the app's new-record form
        created = Risk(ref="", title="Typed in the app", current=Rating(1, 2))
        record_service.save_record(reg, "risks", created)
        assert created.ref == "R-007"
        action = Action(ref="", description="Typed in the app")
        record_service.save_record(reg, "actions", action)
        assert action.ref == "A-001"
    result = cli("paper", register, "new", "--title", "Community services update")
    assert result.code == 0, result.err
    assert "Created paper P-001" in result.out


def test_a_ref_in_another_case_is_the_same_record(cli, register, tmp_path):
    assert cli("import", register, _risks_csv(tmp_path / "a.csv", "R-001")).code == 0
    result = cli("import", register, write_csv(tmp_path / "b.csv",
                                               "ref,title,likelihood,impact\nr-001,Risk 1,4,4\n"))
    assert result.code == 0, result.err
    assert "Imported: 0 new, 1 updated" in result.out
    assert _refs(register) == ["R-001"]
    with Register.open(register, readonly=True) as reg:
        assert records.get_record(reg, "risks", "r-001").current.score == 16


def test_a_lower_case_ref_is_kept_in_upper_case(cli, register, tmp_path):
    result = cli("import", register, _risks_csv(tmp_path / "a.csv", "r-009", "cs02"))
    assert result.code == 0, result.err
    assert _refs(register) == ["CS02", "R-009"]


def test_one_ref_twice_in_a_file_in_two_cases_is_refused(cli, register, tmp_path):
    result = cli("import", register, _risks_csv(tmp_path / "a.csv", "R-001", "r-001"))
    assert result.code == 1
    assert "row 3, column 'ref': R-001 is used again (first on row 2)" in result.err
    assert _refs(register) == []


def test_a_lower_case_ref_an_older_version_stored_is_updated_not_doubled(cli, register,
                                                                           tmp_path):
    with Register.open(register) as reg:
        records.save_records(reg, "risks", [Risk(ref="r-001", title="Old", current=Rating(2, 2))])
    result = cli("import", register, _risks_csv(tmp_path / "a.csv", "R-001"))
    assert result.code == 0, result.err
    assert "Imported: 0 new, 1 updated" in result.out
    assert _refs(register) == ["r-001"]


def test_a_paper_ref_in_any_case_finds_the_paper(cli, register, tmp_path):
    assert cli("paper", register, "new", "--title", "Community services update").code == 0
    shown = cli("paper", register, "show", "p-001")
    assert shown.code == 0 and "Community services update" in shown.out
    result = cli("report", register, "--paper", "p-001", "-o", tmp_path / "update.docx")
    assert result.code == 0, result.err


def test_a_json_import_with_a_bad_ref_is_refused(cli, register, tmp_path):
    from ooh_desk.domain import codec

    data = {"format": codec.FORMAT, "format_version": 1,  # records alone, updated by ref
            "risks": [codec.to_json(Risk(ref="R-\u00b2", title="Odd", current=Rating(2, 2)))]}
    (tmp_path / "bad.json").write_text(json.dumps(data), "utf-8")
    before = snapshot(register)
    result = cli("import", register, tmp_path / "bad.json")
    assert result.code == 1
    assert "risks item 1" in result.err and "is not a ref" in result.err
    assert snapshot(register) == before
