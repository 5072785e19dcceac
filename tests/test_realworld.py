"""Registers written by other people (../shared/realworld/, read in place, never copied into
the repository): each imports with the expected count, or is refused with a clear reason."""

from __future__ import annotations

import csv
import json

import pytest
from conftest import REALWORLD
from openpyxl import load_workbook
from test_import_csv import snapshot

from ooh_desk.store import Register, records

UK = REALWORLD / "uk_utility_programme_risk_register_kunalpatil3008.xlsx"
PMO = REALWORLD / "pmo_raid_log_muhammadmuqris14.xlsx"
CHF = REALWORLD / "ch_plant_qcra_risk_register_drogoxx.csv"

pytestmark = pytest.mark.skipif(not REALWORLD.exists(), reason="../shared/realworld is missing")


def all_risks(path):
    with Register.open(path, readonly=True) as reg:
        return {r.ref: r for r in records.all_records(reg, "risks")}


def test_uk_utility_register_imports_all_25_with_their_scores(cli, register):
    result = cli("import", register, UK)
    assert result.code == 0, result.err
    assert "Imported: 25 new, 0 updated, 0 unchanged, 0 refused" in result.out
    assert "Likelihood_1_5 -> likelihood; Impact_1_5 -> impact" in result.out
    got = all_risks(register)
    assert list(got) == [f"RSK-{n}" for n in range(101, 126)]
    workbook = load_workbook(UK, read_only=True)
    rows = list(workbook["Risk_Register"].iter_rows(min_row=2, values_only=True))
    workbook.close()  # read-only workbooks hold the file open until closed
    assert len(rows) == 25
    for row in rows:
        risk = got[row[0]]
        assert (risk.current.likelihood, risk.current.impact, risk.current.score) == row[6:9]
        assert risk.description == row[4] and risk.owner == row[11]
        assert [m.description for m in risk.mitigations] == [row[12]]
        assert risk.raised.earliest == row[1].date()
        assert risk.status == ("closed" if row[14] == "Closed" else "open")
    assert got["RSK-101"].title == "Incomplete asset records in CEC system causing reporting gaps"
    assert sum(1 for r in got.values() if r.current.score >= 15) == 6  # "Red" in the file


def test_pmo_raid_log_risks_sheet_under_a_title_banner_and_kpi_strip(cli, register):
    result = cli("import", register, PMO, "--kind", "risks", "--dry-run", "--json")
    data = json.loads(result.out)
    assert data["source"] == "pmo_raid_log_muhammadmuqris14.xlsx, sheet 'Risks'"
    assert [r["row"] for r in data["rows"]] == list(range(12, 18))
    assert {"column": "Probability", "field": "likelihood"} in data["mapping"]
    result = cli("import", register, PMO, "--kind", "risks")
    assert result.code == 0, result.err
    assert "Imported: 6 new" in result.out
    got = all_risks(register)
    assert list(got) == [f"R-00{n}" for n in range(1, 7)]
    r1 = got["R-001"]
    assert (r1.current.likelihood, r1.current.impact) == (3, 4)  # MEDIUM, HIGH
    assert r1.raised.text == "5 February 2025" and r1.review_date.text == "5 March 2025"
    assert got["R-002"].review_date.text == "21 February 2025"
    assert r1.owner == "Project Coordinator" and r1.category == "Schedule"
    assert [r.ref for r in got.values() if r.status == "closed"] == ["R-004"]


def test_pmo_raid_log_guesses_the_risks_sheet_and_names_other_sheets(cli, register):
    result = cli("import", register, PMO, "--dry-run")
    assert "sheet 'Risks': risks (guessed from the headings" in result.out
    assert "Would import: 6 new" in result.out
    result = cli("import", register, PMO, "--sheet", "Raid")
    assert result.code == 1
    assert "'Risks', 'Assumptions', 'Issues', 'Dependencies', 'Instructions'" in result.err


def test_cost_risk_register_is_refused_with_the_reason_and_nothing_written(cli, register):
    with CHF.open(encoding="utf-8-sig", newline="") as f:
        expected = len(list(csv.reader(f))) - 1
    assert expected == 52
    before = snapshot(register)
    result = cli("import", register, CHF)
    assert result.code == 1
    assert result.err.count("\n") == 1
    err = result.err
    assert "is a cost-risk register, not a 5x5 one: its 52 risks" in err
    assert "'Likelihood' (twice) hold percentages such as '20%'" in err
    assert "'Initial risk'" in err and "money amounts (e.g. '300,000 CHF')" in err
    assert "scores likelihood and impact 1 to 5" in err
    assert snapshot(register) == before


# --- refused in one line that says what to change (issue 13) -------------------------------------

DECIMAL = REALWORLD / "risk-register-decimal-prob_CRMills97.xlsx"
PRINCE2 = REALWORLD / "prince2-risk-register_Nchaulagai.xlsx"
ISSUES = REALWORLD / "issue-register_Nchaulagai.xlsx"


def _refused_in_one_line(cli, register, path, *args):
    before = snapshot(register)
    result = cli("import", register, path, *args)
    assert result.code == 1, result.out
    assert result.err.count("\n") == 1 and "Traceback" not in result.err, result.err
    assert snapshot(register) == before
    return result.err


def test_decimal_probabilities_are_one_refusal_not_seventy(cli, register):
    err = _refused_in_one_line(cli, register, DECIMAL)
    assert err.startswith("risk-register-decimal-prob_CRMills97.xlsx, sheet 'Risk Register': "
                          "'Probability' holds probabilities between 0 and 1 (such as 0.4 on "
                          "row 4), not likelihoods scored 1 to 5, so none of its 70 risks was "
                          "imported; replace each probability with the score your risk policy "
                          "gives it (1 Rare, 2 Unlikely, 3 Possible, 4 Likely, 5 Almost "
                          "certain)"), err


def test_prince2_bands_and_money_are_one_refusal_and_its_placeholder_rows_are_skipped(
        cli, register):
    err = _refused_in_one_line(cli, register, PRINCE2)
    assert "is a cost-risk register, not a 5x5 one: its 3 risks are scored in percentages " \
           "and money" in err  # rows 5-7 hold only an ID and an uncalculated formula
    assert "'Probability' holds percentage bands such as '75% to 100%'" in err
    assert "money amounts (e.g. 15000)" in err
    assert "add columns scored that way" in err


def test_an_issue_log_without_likelihood_is_one_refusal_naming_both_ways_forward(cli,
                                                                                 register):
    err = _refused_in_one_line(cli, register, ISSUES, "--kind", "risks")
    assert "'Severity' gives each of its 5 risks an impact, but no column gives a likelihood" \
        in err
    assert "add a 'Likelihood' column scored 1 to 5" in err
    assert "it reads as an issue log" in err and "--kind actions" in err
    result = cli("import", register, ISSUES, "--kind", "actions")
    assert result.code == 0, result.err
    assert "Imported: 5 new" in result.out
