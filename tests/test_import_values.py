"""Values read as the user meant them (issue 13, items 4-7 and 10): Excel serial dates,
dd.mm.yyyy and month-first columns, boilerplate prefixes, words for scores (the workbook's
own drop-down scale first), bare numbers as refs, owners tidied; and the registers that
cannot be put on the 5x5 matrix refused in one line that says what to change."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from conftest import REALWORLD, write_csv
from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from test_import_csv import snapshot

from ooh_desk.imports.mapping import find_header
from ooh_desk.imports.rows import record_values
from ooh_desk.imports.values import read_values
from ooh_desk.imports.xlsx import read_xlsx
from ooh_desk.store import Register, records


def risks(path):
    with Register.open(path, readonly=True) as reg:
        return {r.ref: r for r in records.all_records(reg, "risks")}


def dry_run(cli, register, source, *args):
    result = cli("import", register, source, "--dry-run", "--json", *args)
    assert result.out, result.err
    return json.loads(result.out)


def refused(cli, register, source, *args):
    """The import is refused in one line on stderr, and the register is unchanged."""
    before = snapshot(register)
    result = cli("import", register, source, *args)
    assert result.code == 1, result.out
    assert result.err.count("\n") == 1 and "Traceback" not in result.err, result.err
    assert snapshot(register) == before
    return result.err


def workbook(path, header, rows, *, formats=None):
    book = Workbook()
    sheet = book.active
    sheet.title = "Risks"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    book.save(path)
    return path


# --- 4. Excel serial dates --------------------------------------------------------------------


def test_a_serial_number_in_a_date_column_is_the_excel_date_it_counts_to(cli, register,
                                                                          tmp_path):
    source = write_csv(tmp_path / "risks.csv",
                       "Ref,Title,Date identified,Likelihood,Impact\n"
                       "R-001,Estates not ready,43000,3,4\n")
    data = dry_run(cli, register, source)
    assert "Date identified: read 43000 as 22 September 2017 (an Excel date stored as a " \
           "number)" in data["readings"]
    assert cli("import", register, source).code == 0
    assert risks(register)["R-001"].raised.earliest == date(2017, 9, 22)
    # A number that is no day between 1990 and 2100 is no date.
    source = write_csv(tmp_path / "small.csv", "ref,title,raised,likelihood,impact\n"
                                               "R-002,Staffing,12,3,4\n")
    assert "row 2, column 'raised': '12' is not a date" in refused(cli, register, source)


def test_serial_numbers_among_real_dates_say_so_once_for_the_column(cli, register, tmp_path):
    source = workbook(tmp_path / "log.xlsx", ["Ref", "Title", "Date raised", "Likelihood",
                                              "Impact"],
                      [["R-001", "Estates", datetime(2022, 7, 1), 2, 3],
                       ["R-002", "Staffing", 44770, 3, 3],
                       ["R-003", "Digital", 44771, 4, 4]])
    data = dry_run(cli, register, source)
    assert "Date raised: read 2 numbers as Excel dates, e.g. 44770 as 28 July 2022" \
        in data["readings"]
    assert cli("import", register, source).code == 0
    got = risks(register)
    assert [got[r].raised.text for r in ("R-001", "R-002", "R-003")] == \
        ["1 July 2022", "28 July 2022", "29 July 2022"]


# --- 5. dd.mm.yyyy, month-first columns and real dates shown month first ---------------------


def test_dotted_dates_real_dates_shown_month_first_and_serials_in_one_column(cli, register,
                                                                             tmp_path):
    source = workbook(tmp_path / "log.xlsx", ["Ref", "Title", "Date raised", "Likelihood",
                                              "Impact"],
                      [["R-001", "Estates", "20.08.2022", 2, 3],
                       ["R-002", "Staffing", "03.01.23", 2, 3],
                       ["R-003", "Digital", datetime(2022, 11, 8), 2, 3],
                       ["R-004", "Finance", 44770, 2, 3]],
                      formats={"C4": "mm-dd-yy"})
    assert cli("import", register, source).code == 0
    got = risks(register)
    assert [got[f"R-00{n}"].raised.text for n in range(1, 5)] == \
        ["20 August 2022", "3 January 2023", "8 November 2022", "28 July 2022"]


def test_a_column_that_can_only_be_month_first_is_read_month_first_and_says_so(cli, register,
                                                                              tmp_path):
    source = write_csv(tmp_path / "risks.csv", "ref,title,raised,likelihood,impact\n"
                                               "R-001,Estates,08/20/2022,3,4\n"
                                               "R-002,Staffing,08/05/2022,3,4\n")
    data = dry_run(cli, register, source)
    assert "raised: read the dates month first (08/20/2022 as 20 August 2022), as no date " \
           "in the column can be read day first" in data["readings"]
    assert cli("import", register, source).code == 0
    got = risks(register)
    assert (got["R-001"].raised.text, got["R-002"].raised.text) == \
        ("20 August 2022", "5 August 2022")


def test_a_month_first_date_among_day_first_ones_is_refused_naming_the_order(cli, register,
                                                                             tmp_path):
    source = write_csv(tmp_path / "risks.csv", "ref,title,raised,likelihood,impact\n"
                                               "R-001,Estates,25/08/2022,3,4\n"
                                               "R-002,Staffing,08/20/2022,3,4\n")
    err = refused(cli, register, source)
    assert "row 3, column 'raised': '08/20/2022' is written month first (20 August 2022); " \
           "OOH Desk reads dates day first and does not guess the order of each one: write " \
           "it as 20/08/2022" in err


# --- 6. boilerplate prefixes -------------------------------------------------------------------


def test_a_prefix_every_value_starts_with_is_dropped(cli, register, tmp_path):
    source = write_csv(tmp_path / "risks.csv",
                       "ref,title,description,likelihood,impact\n"
                       "R-001,There is a risk that: staff leave,Resulting in: late go-live,3,4\n"
                       "R-002,There is a risk that:  estates slip,Resulting in: cost,3,4\n")
    data = dry_run(cli, register, source)
    assert "title: dropped 'There is a risk that:' from the start of all 2 values" \
        in data["readings"]
    assert "description: dropped 'Resulting in:' from the start of all 2 values" \
        in data["readings"]
    assert cli("import", register, source).code == 0
    got = risks(register)
    assert (got["R-001"].title, got["R-001"].description) == ("Staff leave", "Late go-live")
    assert got["R-002"].title == "Estates slip"
    # A prefix only some values start with says something: it is kept.
    source = write_csv(tmp_path / "some.csv", "ref,title,likelihood,impact\n"
                                              "R-003,Estates: lease ends,3,4\n"
                                              "R-004,Staffing gaps,3,4\n")
    assert not any("dropped" in line for line in dry_run(cli, register, source)["readings"])
    assert cli("import", register, source).code == 0
    assert risks(register)["R-003"].title == "Estates: lease ends"


# --- 7. words for scores -------------------------------------------------------------------------


def test_words_for_likelihood_and_impact_are_read_and_reported_per_column(cli, register,
                                                                         tmp_path):
    source = write_csv(tmp_path / "risks.csv",
                       "ref,title,Likelihood (High/Med/Low),Impact (High/Med/Low)\n"
                       "R-001,Estates,High,HIgh\n"
                       "R-002,Staffing,Med,low\n"
                       "R-003,Digital,4 - Likely,L2\n",)
    data = dry_run(cli, register, source, "--map", "Likelihood (High/Med/Low)=likelihood",
                   "--map", "Impact (High/Med/Low)=impact")
    assert "Likelihood (High/Med/Low): read 'High' as 4, 'Med' as 3" in data["readings"]
    assert "Impact (High/Med/Low): read 'HIgh' as 4, 'low' as 2" in data["readings"]
    assert cli("import", register, source, "--map", "Likelihood (High/Med/Low)=likelihood",
               "--map", "Impact (High/Med/Low)=impact").code == 0
    got = risks(register)
    assert [(got[r].current.likelihood, got[r].current.impact)
            for r in ("R-001", "R-002", "R-003")] == [(4, 4), (3, 2), (4, 2)]


def _listed_workbook(path, formula, scale, hidden_sheet=True):
    """A log whose Likelihood cells offer a drop-down list of `scale`, kept on a hidden
    sheet (or typed inline when `formula` is None)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Risks"
    sheet.append(["Ref", "Title", "Likelihood", "Impact"])
    sheet.append(["R-001", "Estates", "Probable", 3])
    sheet.append(["R-002", "Staffing", "Very Likely", 2])
    lists = book.create_sheet("Lists")
    for n, word in enumerate(scale, 1):
        lists.cell(row=n, column=1, value=word)
    if hidden_sheet:
        lists.sheet_state = "hidden"
    if formula == "Scale":
        book.defined_names["Scale"] = DefinedName("Scale", attr_text="Lists!$A$1:$A$5")
    validation = DataValidation(type="list", formula1=formula or '"' + ",".join(scale) + '"')
    validation.add("C2:C100")
    sheet.add_data_validation(validation)
    book.save(path)
    return path


WORKBOOK_SCALE = ["Rare", "Unlikely", "Probable", "Likely", "Very Likely"]


@pytest.mark.parametrize("formula", ["Scale", "Lists!$A$1:$A$5", None])
def test_the_workbooks_own_word_scale_ranks_its_words(cli, register, tmp_path, formula):
    source = _listed_workbook(tmp_path / "log.xlsx", formula, WORKBOOK_SCALE)
    data = dry_run(cli, register, source)
    assert "Likelihood: read 'Probable' as 3, 'Very Likely' as 5, by the workbook's own list " \
           "(Rare 1, Unlikely 2, Probable 3, Likely 4, Very Likely 5); 'Probable' is 3 here, " \
           "4 by default" in data["readings"]
    assert cli("import", register, source).code == 0
    got = risks(register)
    assert (got["R-001"].current.likelihood, got["R-002"].current.likelihood) == (3, 5)


def test_a_scale_listed_from_the_top_down_ranks_its_first_word_highest(cli, register,
                                                                       tmp_path):
    scale = ["Extreme", "Very High", "High", "Low", "Negligible"]
    source = _listed_workbook(tmp_path / "log.xlsx", "Scale", scale)
    book_rows = [("R-001", "High"), ("R-002", "Extreme")]
    from openpyxl import load_workbook

    book = load_workbook(source)
    for n, (_, word) in enumerate(book_rows, 2):
        book["Risks"].cell(row=n, column=3, value=word)
    book.save(source)
    assert cli("import", register, source).code == 0
    got = risks(register)
    assert (got["R-001"].current.likelihood, got["R-002"].current.likelihood) == (3, 5)


def test_a_drop_down_list_below_rows_of_styled_empty_cells_is_still_read(tmp_path,
                                                                         monkeypatch):
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    from ooh_desk.imports import xlsx

    monkeypatch.setattr(xlsx, "BLANK_ROWS_TO_STOP", 50)
    source = _listed_workbook(tmp_path / "long.xlsx", "Lists!$A$1:$A$5", WORKBOOK_SCALE)
    book = load_workbook(source)
    for n in range(4, 200):
        book["Risks"].cell(n, 1).font = Font(bold=True)  # styled, empty: reading stops early
    book.save(source)
    grid = read_xlsx(source, sheet="Risks")
    assert [n for n, _ in grid.rows] == [1, 2, 3]
    assert grid.value_lists == {2: WORKBOOK_SCALE}


def test_the_real_risk_log_keeps_its_scale_on_a_hidden_sheet_in_excels_extension_list():
    path = REALWORLD / "risk-log-residual_refusetoloose.xlsx"
    if not path.exists():
        pytest.skip("../shared/realworld is missing")
    grid = read_xlsx(path)
    assert grid.value_lists[4] == WORKBOOK_SCALE  # E, Probability
    assert grid.value_lists[5] == ["Trivial", "Minor", "Moderate", "Major", "Extreme"]
    colmap = find_header(grid, "risks", {"Probability": "likelihood", "Impact": "impact",
                                         "Risk Statement": "title", "Risk #": "ref"})
    rows = list(record_values(grid, colmap))
    readings = read_values(grid, colmap, rows)
    by_row = dict(rows)
    assert (by_row[2]["likelihood"], by_row[3]["likelihood"]) == (4, 3)  # Likely, Probable
    assert by_row[3]["impact"] == 4  # Major
    assert any("'Probable' is 3 here, 4 by default" in line for line in readings)
    assert by_row[2]["ref"] == "R-001"


# --- refs, owners, placeholders ----------------------------------------------------------------


def test_bare_numbers_in_the_ref_column_become_the_kinds_refs(cli, register, tmp_path):
    source = workbook(tmp_path / "log.xlsx", ["ID", "Title", "Likelihood", "Impact"],
                      [[1, "Estates", 2, 3], [2, "Staffing", 3, 3], [3, "Digital", 4, 4]])
    data = dry_run(cli, register, source)
    assert "ID: read the numbers 1 to 3 as refs R-001 to R-003" in data["readings"]
    assert cli("import", register, source).code == 0
    assert list(risks(register)) == ["R-001", "R-002", "R-003"]
    again = cli("import", register, source)  # the same file finds the same records
    assert "0 new, 0 updated, 3 unchanged" in again.out


def test_owners_are_tidied_and_a_file_with_no_owners_says_so(cli, register, tmp_path):
    source = workbook(tmp_path / "log.xlsx", ["Ref", "Title", "Owner", "Likelihood", "Impact"],
                      [["R-001", "Estates", "Event coordinator ", 2, 3],
                       ["R-002", "Staffing", "Jane Smith\nHead of HR", 3, 3]])
    data = dry_run(cli, register, source)
    assert "Owner: joined the lines of 1 owner written on more than one line, e.g. " \
           "'Jane Smith, Head of HR'" in data["readings"]
    assert cli("import", register, source).code == 0
    got = risks(register)
    assert (got["R-001"].owner, got["R-002"].owner) == ("Event coordinator",
                                                        "Jane Smith, Head of HR")
    blank = workbook(tmp_path / "blank.xlsx", ["Ref", "Title", "Owner", "Likelihood", "Impact"],
                     [["R-003", "Digital", None, 2, 3], ["R-004", "Finance", " ", 3, 3]])
    data = dry_run(cli, register, blank)
    assert "no owner in the file ('Owner' is empty on every row): 2 risks have none" \
        in data["readings"]
    assert data["counts"]["new"] == 2
    none = write_csv(tmp_path / "none.csv", "ref,title,likelihood,impact\nR-005,Legal,2,2\n")
    assert "no owner in the file: 1 risk has none" in dry_run(cli, register, none)["readings"]


def test_rows_holding_only_an_id_are_skipped_and_said(cli, register, tmp_path):
    source = workbook(tmp_path / "log.xlsx", ["ID", "Title", "Likelihood", "Impact"],
                      [[1, "Estates", 2, 3], [2, None, None, None], [3, None, None, None]])
    data = dry_run(cli, register, source)
    assert [r["row"] for r in data["rows"]] == [2]
    assert "skipped rows 3, 4: each holds only 'ID' (2, 3) and nothing else to import" \
        in data["readings"]


# --- refused in one line: not a 5x5 register ------------------------------------------------


def test_decimal_probabilities_are_refused_once_for_the_file(cli, register, tmp_path):
    source = workbook(tmp_path / "log.xlsx", ["No", "Risk", "Probability", "Impact"],
                      [["R1", "Estates", 0.4, "High"], ["R2", "Staffing", 0.075, "Low"],
                       ["R3", "Digital", 1, "Medium"]])
    err = refused(cli, register, source)
    assert "'Probability' holds probabilities between 0 and 1 (such as 0.4 on row 2), not " \
           "likelihoods scored 1 to 5, so none of its 3 risks was imported; replace each " \
           "probability with the score your risk policy gives it" in err


def test_percentage_bands_and_money_impact_are_refused_as_a_cost_risk_register(cli, register,
                                                                             tmp_path):
    source = workbook(tmp_path / "log.xlsx",
                      ["ID", "Title", "Probability", "Impact (monetary)", "Importance"],
                      [[1, "Number plates", "75% to 100%", 15000, None],
                       [2, "Data security", "50% to 75%", 20000, None],
                       [3, None, None, None, None]])
    err = refused(cli, register, source)
    assert "is a cost-risk register, not a 5x5 one: its 2 risks are scored in percentages " \
           "and money ('Probability' holds percentage bands such as '75% to 100%' and " \
           "'Impact (monetary)' holds money amounts (e.g. 15000))" in err


def test_an_impact_with_no_likelihood_column_is_refused_once_naming_the_fix(cli, register,
                                                                           tmp_path):
    source = workbook(tmp_path / "issues.xlsx",
                      ["ID", "Issue", "Priority", "Severity", "Status"],
                      [["I-001", "Budget raised", "High", "Minor", "Open"],
                       ["I-002", "No test run", "Medium", "Major", "Open"]])
    err = refused(cli, register, source, "--kind", "risks")
    assert "'Severity' gives each of its 2 risks an impact, but no column gives a " \
           "likelihood" in err
    assert "add a 'Likelihood' column scored 1 to 5" in err
    assert "import with --kind actions" in err


def test_the_readme_says_what_each_word_means_exactly_as_they_are_read():
    from conftest import ROOT

    from ooh_desk.domain.scoring import WORD_SCALES

    readme = (ROOT / "README.md").read_text("utf-8")
    table = readme.split("| score | likelihood | impact |", 1)[1].split("\n\n", 1)[0]
    documented: dict[str, dict[str, int]] = {"likelihood": {}, "impact": {}}
    for line in table.strip().splitlines()[1:]:
        score, likelihood, impact = (cell.strip() for cell in line.strip(" |").split("|"))
        for scale, words in (("likelihood", likelihood), ("impact", impact)):
            documented[scale] |= {w.strip().lower(): int(score) for w in words.split(",")}
    assert documented == WORD_SCALES
