"""What a register's columns mean: inherent, current and target scores told apart by the
words of their headings and by each other; mitigations, treatment and controls kept apart;
and a report that shows every mapping decision — each column used with three of its values,
each column left out and why — before anything is written."""

from __future__ import annotations

import json

import pytest
from conftest import REALWORLD, write_csv
from openpyxl import Workbook

from ooh_desk.imports.mapping import map_headings
from ooh_desk.store import Register, records

JKLODA = REALWORLD / "raid-log-4sheets_Jkloda.xlsx"
RESIDUAL = REALWORLD / "risk-log-residual_refusetoloose.xlsx"
BAND = "a band in words; OOH Desk works the band out from likelihood x impact"


def risks(path):
    with Register.open(path, readonly=True) as reg:
        return {r.ref: r for r in records.all_records(reg, "risks")}


def mapped(headings):
    return {headings[i]: name for i, name in map_headings("risks", headings).items()}


def scores(risk):
    return tuple((r.likelihood, r.impact) if r else None
                 for r in (risk.inherent, risk.current, risk.target))


def workbook(path, rows, hidden=()):
    wb = Workbook()
    ws = wb.active
    ws.title = "Risks"
    for row in rows:
        ws.append(row)
    for letter in hidden:
        ws.column_dimensions[letter].hidden = True
    wb.save(path)
    return path


# --- inherent, current, target -----------------------------------------------------------------


@pytest.mark.parametrize(("word", "stage"), [
    ("Initial", "inherent_"), ("Inherent", "inherent_"), ("Gross", "inherent_"),
    ("Original", "inherent_"), ("Pre-mitigation", "inherent_"), ("Unmitigated", "inherent_"),
    ("Residual", ""), ("Current", ""), ("Controlled", ""), ("Net", ""),
    ("Target", "target_"), ("Tolerance", "target_"), ("Appetite", "target_"),
    ("Post-mitigation", "target_"),
])
def test_a_stage_word_and_a_base_word_name_the_field(word, stage):
    beside = ["Inherent Likelihood", "Inherent Impact"] if stage == "" \
        else ["Residual Likelihood", "Residual Impact"]
    headings = ["Ref", f"{word} Probability", f"{word} Severity", f"{word} risk rating", *beside]
    got = mapped(headings)
    assert {h: got.get(h) for h in headings[:4]} == {
        "Ref": "ref", f"{word} Probability": f"{stage}likelihood",
        f"{word} Severity": f"{stage}impact", f"{word} risk rating": f"{stage}score"}


def test_before_and_after_controls_and_a_stage_in_brackets():
    assert mapped(["Likelihood (before controls)", "Impact before controls",
                   "Likelihood after controls", "Impact (residual)"]) == {
        "Likelihood (before controls)": "inherent_likelihood",
        "Impact before controls": "inherent_impact",
        "Likelihood after controls": "likelihood", "Impact (residual)": "impact"}


def test_a_plain_pair_is_current_beside_an_inherent_pair_and_inherent_beside_a_residual_one():
    assert mapped(["Inherent Likelihood", "Inherent Impact", "Likelihood", "Impact"]) == {
        "Inherent Likelihood": "inherent_likelihood", "Inherent Impact": "inherent_impact",
        "Likelihood": "likelihood", "Impact": "impact"}
    assert mapped(["Probability", "Impact", "Risk Score", "Residual Probability",
                   "Residual Impact", "Residual Score"]) == {
        "Probability": "inherent_likelihood", "Impact": "inherent_impact",
        "Risk Score": "inherent_score", "Residual Probability": "likelihood",
        "Residual Impact": "impact", "Residual Score": "score"}
    assert mapped(["Likelihood", "Impact", "Target Likelihood", "Target Impact"]) == {
        "Likelihood": "likelihood", "Impact": "impact",
        "Target Likelihood": "target_likelihood", "Target Impact": "target_impact"}


def test_a_scale_hint_in_brackets_is_dropped_and_risk_hash_is_the_ref():
    assert mapped(["Risk #", "Risk Statement", "Impact (High/Med/Low)",
                   "Likelihood (High/Med/Low)", "Recommended control(s)", "Current Risks"]) == {
        "Risk #": "ref", "Risk Statement": "title", "Impact (High/Med/Low)": "impact",
        "Likelihood (High/Med/Low)": "likelihood", "Recommended control(s)": "mitigations",
        "Current Risks": "description"}  # a board paper's table: the risks, in words


def test_a_machine_written_csv_with_a_residual_pair_has_inherent_and_current(cli, register,
                                                                             tmp_path):
    source = write_csv(tmp_path / "scored.csv",
                       "risk_id,title,L_1to5,I_1to5,residual_L_1to5,residual_I_1to5\n"
                       "R-1,Supplier leaves the framework,4,5,2,3\n"
                       "R-2,Data sharing agreement unsigned,3,3,1,3\n")
    result = cli("import", register, source)
    assert result.code == 0, result.err
    got = risks(register)
    assert scores(got["R-1"]) == ((4, 5), (2, 3), None)
    assert scores(got["R-2"]) == ((3, 3), (1, 3), None)


def test_a_sheet_with_one_pair_is_the_current_score(cli, register, tmp_path):
    source = write_csv(tmp_path / "one.csv", "Ref,Title,Gross Probability,Gross Consequence,"
                                             "Gross risk score\nR-1,Estates,2,4,8\n")
    result = cli("import", register, source, "--dry-run", "--json")
    columns = {c["column"]: c for c in json.loads(result.out)["columns"]}
    assert columns["Gross Probability"]["field"] == "likelihood"
    assert columns["Gross risk score"]["field"] == "score"
    assert columns["Gross Consequence"]["why"] == \
        "'Gross Consequence' is the sheet's only impact: read as the current one"
    assert cli("import", register, source).code == 0
    assert scores(risks(register)["R-1"]) == (None, (2, 4), None)


def test_a_band_in_words_is_left_out_with_the_reason_but_a_number_is_checked(cli, register,
                                                                            tmp_path):
    words = workbook(tmp_path / "words.xlsx", [
        ["Ref", "Title", "Likelihood", "Impact", "Risk Rating", "RAG"],
        ["R-1", "Estates", 4, 4, "High", "Red"],
        ["R-2", "Staffing", 1, 2, "Low", "Green"]])
    result = cli("import", register, words, "--dry-run", "--json")
    assert result.code == 0, result.err
    columns = {c["column"]: c for c in json.loads(result.out)["columns"]}
    assert columns["Risk Rating"]["field"] is None and columns["Risk Rating"]["why"] == BAND
    assert columns["RAG"]["why"] == BAND
    numbers = workbook(tmp_path / "numbers.xlsx", [
        ["Ref", "Title", "Likelihood", "Impact", "Risk Rating"],
        ["R-1", "Estates", 4, 4, 12]])
    result = cli("import", register, numbers)
    assert result.code == 1
    assert "score 12 is not likelihood x impact (4 x 4 = 16)" in result.err


# --- mitigations, treatment, controls ----------------------------------------------------------


@pytest.mark.parametrize("heading", [
    "Mitigating actions / controls", "Mitigation Strategy",
    "Control Measures/ Comments", "Recommended control(s)", "Response Description"])
def test_headings_that_mean_mitigations(heading):
    assert mapped(["Ref", "Title", heading]) == {"Ref": "ref", "Title": "title",
                                                 heading: "mitigations"}


@pytest.mark.parametrize("heading", ["Treatment", "Response", "Response Strategy",
                                     "Risk response"])
def test_headings_that_mean_the_treatment(heading):
    assert mapped(["Ref", "Title", heading]) == {"Ref": "ref", "Title": "title",
                                                 heading: "treatment"}


def test_treatment_is_its_own_field_and_never_fills_mitigations(cli, register, tmp_path):
    source = write_csv(tmp_path / "log.csv",
                       "Ref,Title,Likelihood,Impact,Response,Existing controls,Mitigation\n"
                       "R-1,Estates,3,4,Reduce,Monthly estates board,\"1. Survey the sites\n"
                       "2. Agree the lease terms\"\n"
                       "R-2,Staffing,2,2,Accept,,\n")
    result = cli("import", register, source)
    assert result.code == 0, result.err
    got = risks(register)
    assert got["R-1"].treatment == "treat" and got["R-2"].treatment == "tolerate"
    assert [m.description for m in got["R-1"].mitigations] == ["Survey the sites",
                                                               "Agree the lease terms"]
    assert got["R-2"].mitigations == []
    assert got["R-1"].controls == "Monthly estates board"


def test_a_response_column_in_sentences_is_read_as_mitigations(cli, register, tmp_path):
    source = write_csv(tmp_path / "prince2.csv",
                       "ID,Title,Probability,Impact,Response(s)\n"
                       "R-1,Number plates unreadable,3,4,Use optical character recognition\n"
                       "R-2,Data stolen,2,5,Encrypt the database and add two-factor sign-in\n")
    result = cli("import", register, source, "--dry-run", "--json")
    assert result.code == 0, result.err
    column = next(c for c in json.loads(result.out)["columns"] if c["column"] == "Response(s)")
    assert column["field"] == "mitigations" and "not a treatment" in column["why"]
    assert cli("import", register, source).code == 0
    got = risks(register)["R-1"]
    assert got.treatment == "" and [m.description for m in got.mitigations] == [
        "Use optical character recognition"]


# --- the mapping report ------------------------------------------------------------------------


def test_the_report_lists_every_column_with_samples_and_every_column_left_out_with_why(
        cli, register, tmp_path):
    source = workbook(tmp_path / "log.xlsx", [
        ["Ref", "Title", "Likelihood", "Probability", "Impact", "Owner", "Lead", "Region",
         "Risk Level", "Old likelihood", "Notes to self"],
        ["R-1", "Estates", None, 3, 4, "Head of estates", "A Jones", "North", "High", None, "x"],
        ["R-2", "Staffing", None, 2, 2, "HR lead", "B Khan", "South", "Low", None, "y"],
        ["R-3", "Budget", None, 4, 5, "CFO", "C Wu", "East", "High", None, "z"],
        ["R-4", "Digital", None, 1, 1, "CIO", "D Roe", "West", "Low", None, "w"]],
        hidden=("J",))
    result = cli("import", register, source, "--dry-run", "--json",
                 "--map", "Notes to self=ignore")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    # The keys every earlier report had are still there.
    assert {"column": "Probability", "field": "likelihood"} in data["mapping"]
    assert "Region" in data["ignored_columns"]
    columns = {c["column"]: c for c in data["columns"]}
    assert [c["letter"] for c in data["columns"]] == list("ABCDEFGHIJK")
    assert columns["Probability"] == {"column": "Probability", "letter": "D",
                                      "field": "likelihood", "samples": ["3", "2", "4"],
                                      "why": ""}
    assert columns["Owner"]["samples"] == ["Head of estates", "HR lead", "CFO"]
    assert columns["Likelihood"]["field"] is None
    assert columns["Likelihood"]["why"] == "empty; 'Probability' gives the likelihood values"
    assert columns["Lead"]["why"] == "a second 'owner' column; 'Owner' is used"
    assert columns["Region"]["why"] == "no field matches"
    assert columns["Risk Level"]["why"] == BAND
    assert columns["Old likelihood"]["why"] == "hidden and empty"
    assert columns["Notes to self"]["why"] == "--map said to ignore it"


def test_a_dry_run_prints_the_columns_their_values_and_how_values_were_read(cli, register):
    result = cli("import", register, RESIDUAL, "--dry-run")
    assert result.code == 0, result.err
    out = result.out
    assert "Columns used (with three of their values):" in out
    assert "  A  Risk #                -> ref                  1 | 2 | 3\n" in out
    assert "  E  Probability           -> inherent_likelihood  Likely | Probable | Probable\n" \
        in out
    assert "no stage named; beside 'Residual Probability', the inherent likelihood" in out
    assert "'Residual': the current impact" in out
    assert "Columns ignored:\n  B  WBS Entry             no field matches\n" in out
    assert f"  G  Risk Level            {BAND}\n" in out
    assert "Read as:\n" in out
    assert out.index("Columns ignored:") < out.index("Read as:") < out.index("Would import")


def test_a_real_import_says_in_brief_what_was_left_out_and_why(cli, register):
    result = cli("import", register, RESIDUAL)
    assert result.code == 0, result.err
    assert "Columns used: Risk # -> ref; Risk Statement -> title;" in result.out
    assert f"Columns ignored: WBS Entry (no field matches); Risk Level, Residual Risk Level " \
           f"({BAND})" in result.out


# --- real registers ----------------------------------------------------------------------------

real = pytest.mark.skipif(not REALWORLD.exists(), reason="../shared/realworld is missing")


@real
def test_jkloda_raid_log_is_read_as_four_risks(cli, register):
    result = cli("import", register, JKLODA, "--dry-run", "--json")
    data = json.loads(result.out)
    assert data["kind"] == "risks" and data["source"].endswith("sheet 'Risks'")
    assert {"column": "Mitigation Strategy", "field": "mitigations"} in data["mapping"]
    assert cli("import", register, JKLODA).code == 0
    got = risks(register)
    assert list(got) == ["R1", "R2", "R3", "R4"]
    assert got["R1"].mitigations == []
    assert [m.description for m in got["R2"].mitigations] == ["Regular code reviews"]
    assert scores(got["R4"]) == (None, (3, 4), None)  # Likelihood Medium, Impact "HIgh"


@real
def test_residual_risk_log_has_inherent_current_treatment_and_mitigations(cli, register):
    result = cli("import", register, RESIDUAL)
    assert result.code == 0, result.err
    assert "Imported: 9 new" in result.out
    got = risks(register)
    assert len(got) == 9
    first = next(r for r in got.values() if r.title.startswith("Particpant may drop out"))
    # Likely / Moderate, then residual Probable / Moderate, on the workbook's own scale.
    assert scores(first) == ((4, 3), (3, 3), None)
    assert first.owner == "Program Manager" and first.treatment == "treat"
    assert [m.description for m in first.mitigations] == [
        "Implement a buddy system, set small milestones, and offer rewards to keep "
        "participants motivated"]
    assert sorted({r.treatment for r in got.values()}) == ["terminate", "transfer", "treat"]
    assert all(r.inherent and r.current and len(r.mitigations) == 1 for r in got.values())
