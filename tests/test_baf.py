"""Issue 17, items 1-4: the Board Assurance Framework — strategic objectives and principal
risks imported (bad values refused with file, row and column, the register unchanged), the
framework's rules (overall assurance rating, trend as at a date, gaps and overdue actions),
`list objectives|baf`, the BAF report in Word and Excel read back as a reader sees them, the
NHS cover sheet's links, and a merge of two copies that both edited the framework."""

from __future__ import annotations

import json
from datetime import date

import docx
import openpyxl
import pytest
from conftest import write_csv
from docx.oxml.ns import qn

from ooh_desk.domain.assurance import (
    Assurance,
    Gap,
    overall_rating,
    parse_line,
)
from ooh_desk.domain.papers import Paper
from ooh_desk.services.merge import copy_register, merge
from ooh_desk.store import Register
from ooh_desk.store.papers import save_paper

OBJECTIVES = """ref,objective,lead,committee
SO1,Commission safe community services,Director of Quality and Nursing,Quality and Safety Committee
SO2,Keep the system affordable,Chief Finance Officer,Finance and Performance Committee
"""
RISKS = (
    "ref,title,owner,inherent_likelihood,inherent_impact,likelihood,impact,"
    "target_likelihood,target_impact,controls,baf,objectives,target_date\n"
    "R-001,Providers destabilised,Director of Commissioning,5,4,4,4,3,3,"
    "Chief officer forum meets monthly,yes,\"SO2, so1\",31/03/2018\n"
    "R-002,Records cannot be shared,Head of Digital,4,3,3,3,2,2,"
    "SystmOne named in the specification,no,,\n"
    "R-003,Conflicts of interest,Head of Governance,3,4,2,4,1,4,Register of interests,yes,"
    "SO1,31/10/2017\n")
ACTIONS = (
    "ref,description,owner,due,status\n"
    "A-001,Agree a memorandum of understanding with the acute trusts,"
    "Director of Commissioning,20/10/2017,in progress\n"
    "A-002,Collect declarations from the evaluation panel,Head of Governance,03/11/2017,"
    "complete\n"
    "A-003,Model the outcome-linked payment,Chief Finance Officer,15/12/2017,open\n")
ASSURANCES = (
    "risk,control,line,source,date,rating,gap_in_control,gap_in_assurance,action\n"
    "R-001,Chief officer forum meets monthly,1,Programme Board finance report,12/10/2017,"
    "positive,,,\n"
    "R-001,Chief officer forum meets monthly,second line,Commissioning Board minutes,"
    "05/10/2017,positive,No memorandum of understanding with the acute trusts,,A-001\n"
    "R-003,Register of interests,1,Register checked by the Head of Governance,02/10/2017,"
    "positive,,,\n"
    "R-003,Log of procurement decisions,2,Audit Committee review,18/10/2017,positive,,"
    "Declarations not yet collected,A-002\n"
    "R-003,Register of interests,independent,Internal audit of conflicts of interest,"
    "15/06/2017,positive,,,\n")
AS_AT = "2017-11-09"


@pytest.fixture
def baf_register(tmp_path, cli):
    path = tmp_path / "baf.oohdesk"
    assert cli("init", path, "--programme", "Test programme").code == 0
    for kind, text in (("objectives", OBJECTIVES), ("risks", RISKS), ("actions", ACTIONS),
                       ("assurances", ASSURANCES)):
        result = cli("import", path, write_csv(tmp_path / f"{kind}.csv", text), "--kind", kind)
        assert result.code == 0, result.err
    return path


def listed(cli, path, kind):
    result = cli("list", path, kind, "--json", "--as-at", AS_AT)
    assert result.code == 0, result.err
    return json.loads(result.out)


# --- imports -------------------------------------------------------------------------------------


def test_objectives_and_principal_risks_are_imported_and_listed(baf_register, cli):
    objectives = listed(cli, baf_register, "objectives")
    assert [(o["ref"], o["lead"], o["principal_risks"]) for o in objectives] == [
        ("SO1", "Director of Quality and Nursing", ["R-001", "R-003"]),
        ("SO2", "Chief Finance Officer", ["R-001"])]
    risks = {r["ref"]: r for r in listed(cli, baf_register, "risks")}
    assert risks["R-001"]["baf"] is True and risks["R-002"]["baf"] is False
    assert risks["R-001"]["objectives"] == "SO2, SO1"  # refs kept in upper case
    assert risks["R-001"]["target_date"] == {"text": "31 March 2018", "earliest": "2018-03-31",
                                             "latest": "2018-03-31"}


def test_list_baf_gives_each_principal_risk_its_rating_gaps_and_overdue_actions(baf_register,
                                                                                cli):
    baf = {r["ref"]: r for r in listed(cli, baf_register, "baf")}
    assert list(baf) == ["R-001", "R-003"]  # R-002 is not marked for the framework
    r1 = baf["R-001"]
    assert r1["objectives"] == ["SO1", "SO2"] or r1["objectives"] == ["SO2", "SO1"]
    assert (r1["current"]["score"], r1["current"]["band"]) == (16, "Extreme")
    assert (r1["target"]["score"], r1["target"]["band"]) == (9, "High")
    assert r1["assurance"] == "Limited"  # an open gap in control
    assert [a["line"] for a in r1["assurances"]] == [1, 2]
    gap = r1["gaps"][0]
    assert (gap["kind"], gap["action"], gap["state"], gap["overdue"]) == \
        ("control", "A-001", "overdue", True)
    assert gap["due"]["earliest"] == "2017-10-20"
    assert "OVERDUE" in gap["words"] and "20 days late" in gap["words"]
    r3 = baf["R-003"]
    # Positive on all three lines, its one gap closed by a completed action.
    assert (r3["assurance"], r3["gaps"][0]["state"]) == ("Substantial", "closed")
    assert r3["target_date_passed"] is True  # 31/10/2017 passed with 8 above the target 4
    plain = cli("list", baf_register, "baf", "--as-at", AS_AT)
    assert "R-001" in plain.out and "OVERDUE" in plain.out


def test_a_principal_risk_linked_to_an_objective_not_in_the_register_is_refused(
        baf_register, cli, tmp_path):
    before = listed(cli, baf_register, "risks")
    bad = write_csv(tmp_path / "bad_risks.csv",
                    "ref,title,likelihood,impact,objectives,baf\n"
                    "R-002,Records cannot be shared,3,3,\"SO1, SO7\",yes\n")
    result = cli("import", baf_register, bad, "--kind", "risks")
    assert result.code == 1
    line = result.err.strip().splitlines()[-1]
    assert "bad_risks.csv row 2, column 'objectives'" in line and "SO7" in line
    assert "Traceback" not in result.err
    assert listed(cli, baf_register, "risks") == before


@pytest.mark.parametrize(("cells", "column", "words"), [
    ("R-001,Forum,4,Minutes,05/10/2017,positive,,,", "line", "'4' is not a line"),
    ("R-001,Forum,x,Minutes,05/10/2017,positive,,,", "line", "'x' is not a line"),
    ("R-001,Forum,1,Minutes,31/02/2018,positive,,,", "date", "not a real day"),
    ("R-001,Forum,1,Minutes,05/10/2017,maybe,,,", "rating", "'maybe'"),
    ("R-001,Forum,1,Minutes,05/10/2017,positive,A gap,,A-009", "action",
     "there is no action A-009"),
    ("R-009,Forum,1,Minutes,05/10/2017,positive,,,", "risk", "there is no risk R-009"),
])
def test_a_bad_source_of_assurance_is_refused_naming_row_and_column(baf_register, cli, tmp_path,
                                                                   cells, column, words):
    before = listed(cli, baf_register, "baf")
    bad = write_csv(tmp_path / "bad.csv", ASSURANCES.splitlines()[0] + "\n"
                    + "R-001,Forum,1,Minutes,05/10/2017,positive,,,\n" + cells + "\n")
    result = cli("import", baf_register, bad, "--kind", "assurances")
    assert result.code == 1
    message = result.err.strip().splitlines()[-1]
    assert f"bad.csv row 3, column '{column}'" in message and words in message
    assert listed(cli, baf_register, "baf") == before  # the good row 2 was not written either


def test_a_dry_run_of_assurances_writes_nothing(baf_register, cli, tmp_path):
    before = listed(cli, baf_register, "baf")
    new = write_csv(tmp_path / "more.csv", ASSURANCES.splitlines()[0] + "\n"
                    "R-001,Forum,3,Internal audit,01/11/2017,negative,,,\n")
    result = cli("import", baf_register, new, "--kind", "assurances", "--dry-run", "--json")
    assert result.code == 0
    report = json.loads(result.out)
    assert (report["kind"], report["written"], report["rows"][0]["outcome"]) == \
        ("assurances", False, "updated")
    assert listed(cli, baf_register, "baf") == before


# --- the rules -------------------------------------------------------------------------------------


def _gap(kind: str, state: str) -> Gap:
    return Gap("R-001", kind, "a gap", "A-001", None, state, "")


@pytest.mark.parametrize(("ratings", "gaps", "level"), [
    ([], [], "No assurance"),
    ([(1, "none"), (3, "none")], [], "No assurance"),
    ([(1, "positive"), (2, "positive"), (3, "positive")], [], "Substantial"),
    ([(1, "positive"), (2, "positive"), (3, "positive")], [("assurance", "open")], "Reasonable"),
    ([(1, "positive"), (2, "positive"), (3, "positive")], [("assurance", "closed")],
     "Substantial"),
    ([(1, "positive"), (2, "positive")], [], "Reasonable"),
    ([(1, "positive"), (3, "negative")], [], "Limited"),
    ([(1, "positive"), (2, "positive"), (3, "positive")], [("control", "overdue")], "Limited"),
])
def test_overall_assurance_rating(ratings, gaps, level):
    assurances = [Assurance("control", line, rating=rating) for line, rating in ratings]
    assert overall_rating(assurances, [_gap(k, s) for k, s in gaps])[0] == level


def test_lines_are_read_in_words_or_numbers():
    assert [parse_line(v) for v in ("1", 2.0, "Third line", "internal audit", "2nd")] == \
        [1, 2, 3, 3, 2]


def test_trend_is_as_at_the_framework_date(baf_register, cli, tmp_path):
    # R-001 was reviewed at 16 before the framework's date and rose to 20 after it: as at
    # that date its trend was steady (the register's own scores are dated today, later still).
    with Register.open(baf_register) as reg:
        uuid = reg.db.execute("select uuid from risks where ref = 'R-001'").fetchone()[0]
        for at, likelihood in (("2017-10-01", 4), ("2017-12-01", 5)):
            reg.db["risk_scores"].insert({"risk_uuid": uuid, "at": at, "likelihood": likelihood,
                                          "impact": 4, "score": likelihood * 4, "user": "t"})
    assert {r["ref"]: r["trend"] for r in listed(cli, baf_register, "baf")}["R-001"] == "steady"
    later = json.loads(cli("list", baf_register, "baf", "--json", "--as-at", "2017-12-02").out)
    assert {r["ref"]: r["trend"] for r in later}["R-001"] == "up"


# --- the BAF report --------------------------------------------------------------------------------


def _table_with(doc, heading: str):
    return next(t for t in doc.tables if t.rows[0].cells[0].text.strip() == heading)


def test_the_baf_report_reads_as_a_governing_body_receives_it(baf_register, cli, tmp_path):
    out = tmp_path / "BAF.docx"
    result = cli("baf", baf_register, "-o", out, "--as-at", AS_AT)
    assert result.code == 0, result.err
    doc = docx.Document(str(out))
    assert doc.core_properties.title == "Board Assurance Framework as at 9 November 2017"
    assert doc.core_properties.language == "en-GB"
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["1. Summary", "2. Heat map of principal risks"]
    assert "3. SO1: Commission safe community services" in headings
    assert "R-001 Providers destabilised" in headings
    summary = _table_with(doc, "Strategic objective")
    assert [c.text for c in summary.rows[0].cells] == [
        "Strategic objective", "Principal risk", "Current", "Target", "Trend",
        "Assurance rating"]
    assert summary.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on each page
    first = [c.text for c in summary.rows[1].cells]
    assert first[1].startswith("R-001") and first[2] == "4 x 4 = 16\nExtreme"
    assert first[3] == "3 x 3 = 9\nHigh" and first[5] == "Limited"  # bands and rating in words
    texts = "\n".join(p.text for p in doc.paragraphs)
    assert "A-001 OVERDUE: due 20 October 2017, 20 days late" in texts
    # Per risk: the sources of assurance by line, a line with none said so in words.
    lines = [t for t in doc.tables if t.rows[0].cells[0].text == "Line"]
    cells = [c.text for t in lines for row in t.rows for c in row.cells]
    assert "Third line: independent" in cells
    assert "No source of assurance on this line" in cells
    gaps = [t for t in doc.tables if t.rows[0].cells[0].text == "Gap"]
    gap_cells = [c.text for t in gaps for row in t.rows for c in row.cells]
    assert any("OVERDUE" in c for c in gap_cells)
    assert any(c.startswith("Closed: A-002 complete") for c in gap_cells)
    heat = _table_with(doc, "Likelihood \u2193 / Impact \u2192")
    assert "R-001" in heat.rows[2].cells[4].text  # likelihood 4, impact 4: Extreme
    assert "Extreme (16)" in heat.rows[2].cells[4].text
    issued = json.loads(cli("list", baf_register, "issued", "--json").out)
    assert [i["kind"] for i in issued] == ["baf"]


def test_the_baf_report_refuses_a_name_that_is_not_docx(baf_register, cli, tmp_path):
    result = cli("baf", baf_register, "-o", tmp_path / "BAF.xlsx")
    assert result.code == 1 and "ending .docx" in result.err
    assert not (tmp_path / "BAF.xlsx").exists()


def test_the_baf_workbook_holds_the_same_framework(baf_register, cli, tmp_path):
    out = tmp_path / "BAF.xlsx"
    result = cli("export", baf_register, "baf", "-o", out, "--as-at", AS_AT)
    assert result.code == 0, result.err
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["BAF summary", "Sources of assurance", "Gaps and actions",
                             "Objectives", "Heat map"]
    ws = wb["BAF summary"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(2)]
    r1 = next(r for r in rows if r["Risk"] == "R-001" and r["Objective"] == "SO2")
    assert (r1["Current score"], r1["Current band"], r1["Target band"]) == (16, "Extreme", "High")
    assert (r1["Assurance rating"], r1["Overdue actions"]) == ("Limited", "A-001")
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    assert ws.print_title_rows == "$1:$1"  # the header printed on every page
    gaps = wb["Gaps and actions"]
    states = {row[0].value + "/" + row[3].value: row[7].value for row in gaps.iter_rows(2)}
    assert states == {"R-001/A-001": "overdue", "R-003/A-002": "closed"}
    r3 = next(r for r in rows if r["Risk"] == "R-003")
    assert r3["Target date"] == "31 October 2017 (passed, score above target)"


# --- the NHS cover sheet ----------------------------------------------------------------------------


def _cover_rows(path):
    doc = docx.Document(str(path))
    return {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}


def test_the_cover_sheet_is_filled_from_the_papers_links(baf_register, cli, tmp_path):
    with Register.open(baf_register) as reg:
        save_paper(reg, Paper("P-001", "Procurement approach", committee="Governing Body",
                              author="Deputy Chief Operating Officer", blocks=[],
                              sections={"Purpose": "To approve the approach.",
                                        "Principal risks": "R-003"}))
        save_paper(reg, Paper("P-002", "Finance update", committee="Governing Body",
                              blocks=[], sections={"Objectives": "SO2"}))
        save_paper(reg, Paper("P-003", "Risk report", committee="Governing Body",
                              blocks=["risk-log"], sections={}))
    rows = {}
    for ref in ("P-001", "P-002", "P-003"):
        out = tmp_path / f"{ref}.docx"
        result = cli("report", baf_register, "--paper", ref, "--style", "nhs-cover", "-o", out)
        assert result.code == 0, result.err
        rows[ref] = _cover_rows(out)
    objectives = "Which of the organisation's objectives does this paper support?"
    risks = "Links to the principal risk(s) in the Assurance Framework"
    # A principal risk named: it, and the objective it threatens.
    assert rows["P-001"][risks].startswith("R-003 Conflicts of interest: current score 8 (High)")
    assert rows["P-001"][objectives] == ("SO1 Commission safe community services "
                                         "(lead: Director of Quality and Nursing)")
    # An objective named, and no principal risk.
    assert rows["P-002"][objectives].startswith("SO2 Keep the system affordable")
    assert rows["P-002"][risks].startswith("Not yet given")
    # A risk log carries every open principal risk, R-002 (not principal) left out.
    assert rows["P-003"][risks].splitlines()[0].startswith("R-001")
    assert rows["P-003"][risks].splitlines()[1].startswith("R-003")
    assert "R-002" not in rows["P-003"][risks]
    assert rows["P-003"][objectives].splitlines()[0].startswith("SO1")


# --- copies that merge ------------------------------------------------------------------------------


def test_two_copies_edit_the_framework_and_merge(baf_register, tmp_path, cli):
    ann, ben = tmp_path / "ann.oohdesk", tmp_path / "ben.oohdesk"
    copy_register(baf_register, ann, "Ann")
    copy_register(baf_register, ben, "Ben")
    # Ann adds an independent source to R-001; Ben renames the lead of SO2 and links R-002.
    more = write_csv(tmp_path / "ann.csv", ASSURANCES.splitlines()[0] + "\n"
                     + "\n".join(ASSURANCES.splitlines()[1:3]) + "\n"
                     "R-001,Chief officer forum meets monthly,3,External audit,01/11/2017,"
                     "positive,,,\n")
    assert cli("import", ann, more, "--kind", "assurances").code == 0
    lead = write_csv(tmp_path / "ben.csv", "ref,objective,lead,committee\n"
                     "SO2,Keep the system affordable,Director of Finance,"
                     "Finance and Performance Committee\n")
    assert cli("import", ben, lead, "--kind", "objectives").code == 0
    link = write_csv(tmp_path / "ben_risks.csv", "ref,baf,objectives\nR-002,yes,SO2\n")
    assert cli("import", ben, link, "--kind", "risks").code == 0, "R-002 linked on Ben's copy"

    summary = merge(ann, ben)
    assert not summary.conflicts
    objectives = {o["ref"]: o for o in listed(cli, ann, "objectives")}
    assert objectives["SO2"]["lead"] == "Director of Finance"
    assert objectives["SO2"]["principal_risks"] == ["R-001", "R-002"]
    baf = {r["ref"]: r for r in listed(cli, ann, "baf")}
    assert [a["line"] for a in baf["R-001"]["assurances"]] == [1, 2, 3]
    # And back the other way: Ben's copy receives Ann's source of assurance.
    merge(ben, ann)
    assert [a["line"] for a in {r["ref"]: r for r in listed(cli, ben, "baf")}["R-001"]
            ["assurances"]] == [1, 2, 3]


def test_the_demo_has_a_framework_with_an_overdue_gap(demo_copy, cli):
    baf = listed(cli, demo_copy, "baf")
    objectives = listed(cli, demo_copy, "objectives")
    assert len(objectives) == 4 and 4 <= len(baf) <= 6
    assert all(o["principal_risks"] for o in objectives)
    assert {a["line"] for r in baf for a in r["assurances"]} == {1, 2, 3}
    assert any(g["overdue"] for r in baf for g in r["gaps"])
    assert date.fromisoformat(AS_AT)  # the demo is written as at 9 November 2017
