"""Options appraisal (issue 17, items 9-10): a paper's long list of options and their weighted
scores, imported all or nothing, checked (weights total 100, scores 0-10, each option scored
once per criterion), totalled exactly, and written by the report block `options` as two
tables and a sentence naming the preferred option."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

import pytest
from docx import Document

from ooh_desk.domain.options import (
    Appraisal,
    Option,
    OptionsError,
    Score,
    check_appraisal,
    preferred_sentence,
    total_text,
)

OPTIONS = ("paper,option,summary,benefits,risks,verdict,reason\n"
           "{p},Option A,Do it in house,Control,Cost,preferred,Cheapest over five years\n"
           "{p},Option B,Buy it in,Speed,Lock-in,carried forward,Kept for the market test\n"
           "{p},Option C,Do nothing,None,Service fails,rejected,Does not meet the need\n")


def _scores(paper, weights=(35, 35, 30), a=(5, 5, 6), b=(6, 5, 5), c=(1, 1, 1)):
    lines = ["paper,criterion,weight,option,score,rationale"]
    for n, weight in enumerate(weights):
        for name, marks in (("Option A", a), ("Option B", b), ("Option C", c)):
            lines.append(f"{paper},Criterion {n + 1},{weight},{name},{marks[n]},")
    return "\n".join(lines) + "\n"


@pytest.fixture
def demo_file(demo_register, tmp_path):
    target = tmp_path / "demo.oohdesk"
    shutil.copy(demo_register, target)
    return target


@pytest.fixture
def paper(cli, demo_file):
    result = cli("paper", demo_file, "new", "--title", "Outline business case",
                 "--committee", "Community Services Procurement Board")
    assert result.code == 0, result.err
    return result.out.split()[2].rstrip(":")


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


# --- the arithmetic and the rules -----------------------------------------------------------------


def test_totals_are_exact_where_floating_point_is_not():
    # 15% x 7 + 85% x 6 is 6.1499999999999995 in binary floating point.
    assert 0.15 * 7 + 0.85 * 6 != 6.15
    appraisal = Appraisal([Option("A", verdict="preferred")],
                          [Score("C1", 35, "A", 5), Score("C2", 35, "A", 5), Score("C3", 30, "A", 6)])
    assert appraisal.total("A") == Decimal("5.30")
    appraisal = Appraisal([], [Score("C1", 25, "A", 7), Score("C2", 75, "A", 7)])
    assert total_text(appraisal.total("A")) == "7.00"
    appraisal = Appraisal([], [Score("C1", 15, "A", 7), Score("C2", 85, "A", 6)])
    assert total_text(appraisal.total("A")) == "6.15"


def test_weights_must_total_100_and_the_error_names_the_paper():
    appraisal = Appraisal([Option("A")], [Score("C1", 60, "A", 5), Score("C2", 30, "A", 5)])
    with pytest.raises(OptionsError, match=r"paper P-007: the weights of its 2 criteria total 90"):
        check_appraisal(appraisal, "P-007")
    missing = Appraisal([Option("A"), Option("B")],
                        [Score("C1", 100, "A", 5)])
    check_appraisal(missing, "P-007")  # B is not scored at all: the table leaves it out
    gap = Appraisal([Option("A"), Option("B")],
                    [Score("C1", 50, "A", 5), Score("C2", 50, "A", 5), Score("C1", 50, "B", 1)])
    with pytest.raises(OptionsError, match="'B' has no score against 'C2'"):
        check_appraisal(gap, "P-007")
    two = Appraisal([Option("A", verdict="preferred"), Option("B", verdict="preferred")], [])
    with pytest.raises(OptionsError, match="2 options are marked preferred"):
        check_appraisal(two, "P-007")


def test_the_preferred_option_is_named_against_the_highest_score():
    scores = [Score("C", 100, "A", 6), Score("C", 100, "B", 8)]
    assert preferred_sentence(Appraisal([Option("A", verdict="preferred"), Option("B")],
                                        scores)) == (
        "The preferred option is A, with a weighted score of 6.00 out of 10; B scores higher "
        "(8.00), and the long list gives the reasons.")
    assert preferred_sentence(Appraisal([Option("A"), Option("B")], scores)) == (
        "No option has been marked as preferred; B has the highest weighted score, 8.00 out "
        "of 10.")


# --- import, report and merge ---------------------------------------------------------------------


def test_options_and_scores_import_and_the_report_writes_both_tables(cli, demo_file, paper,
                                                                     tmp_path):
    result = cli("import", demo_file, _write(tmp_path, "o.csv", OPTIONS.format(p=paper)),
                 "--kind", "options")
    assert result.code == 0, result.err
    assert f"paper {paper} now carries the options appraisal" in result.out
    result = cli("import", demo_file, _write(tmp_path, "s.csv", _scores(paper)),
                 "--kind", "option-scores")
    assert result.code == 0, result.err
    out = tmp_path / "case.docx"
    result = cli("report", demo_file, "--paper", paper, "-o", out)
    assert result.code == 0, result.err
    doc = Document(str(out))
    tables = {t.rows[0].cells[0].text: t for t in doc.tables}
    long_list = tables["Option"]
    assert [c.text for c in long_list.rows[0].cells] == ["Option", "Summary", "Benefits", "Risks",
                                                          "Verdict", "Reason"]
    assert [r.cells[4].text for r in long_list.rows[1:]] == ["Preferred", "Carried forward",
                                                              "Discounted"]
    scoring = tables["Criterion"]
    assert [c.text for c in scoring.rows[0].cells] == [
        "Criterion", "Weight", "Option A (preferred)", "Option B", "Option C"]
    total = [c.text for c in scoring.rows[-1].cells]
    # A: 35x5 + 35x5 + 30x6 = 530 hundredths; B: 35x6 + 35x5 + 30x5 = 535.
    assert total == ["Weighted score (out of 10)", "100%", "5.30\nPreferred", "5.35", "1.00"]
    for table in (long_list, scoring):  # the header row repeats on every page
        assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")
    text = [p.text for p in doc.paragraphs]
    assert ("The preferred option is Option A, with a weighted score of 5.30 out of 10; "
            "Option B scores higher (5.35), and the long list gives the reasons.") in text
    assert "4 Options Considered and Recommended Proposal" in text


@pytest.mark.parametrize(("csv_text", "where"), [
    ("paper,criterion,weight,option,score,rationale\n{p},C1,x,Option A,5,\n",
     "s.csv row 2, column 'weight': 'x' is not a weight"),
    ("paper,criterion,weight,option,score,rationale\n{p},C1,100,Option A,11,\n",
     "s.csv row 2, column 'score': 11 is not a score: it must be from 0 to 10"),
    ("paper,criterion,weight,option,score,rationale\n{p},C1,60,Option A,5,\n{p},C2,30,Option A,5,\n",
     "s.csv row 2, column 'weight': paper {p}: the weights of its 2 criteria total 90, not 100"),
    ("paper,criterion,weight,option,score,rationale\nP-999,C1,100,Option A,5,\n",
     "s.csv row 2, column 'paper': there is no paper P-999"),
])
def test_bad_scores_are_one_line_and_the_register_is_unchanged(cli, demo_file, paper, tmp_path,
                                                               csv_text, where):
    before = demo_file.read_bytes()
    result = cli("import", demo_file, _write(tmp_path, "s.csv", csv_text.format(p=paper)),
                 "--kind", "option-scores")
    assert result.code == 1
    assert where.format(p=paper) in result.err.strip().splitlines()[-1]
    assert demo_file.read_bytes() == before


def test_the_block_is_set_with_the_paper_command_and_a_bad_appraisal_stops_the_report(
        cli, demo_file, paper, tmp_path):
    assert cli("paper", demo_file, "set", paper, "--blocks", "options").code == 0
    shown = json.loads(cli("paper", demo_file, "show", paper, "--json").out)
    assert shown["blocks"] == ["options"]
    out = tmp_path / "empty.docx"
    assert cli("report", demo_file, "--paper", paper, "-o", out).code == 0
    assert "No options have been recorded for this paper yet." in \
        [p.text for p in Document(str(out)).paragraphs]


def test_the_demo_business_case_carries_its_appraisal(cli, demo_file, tmp_path):
    papers = json.loads(cli("list", demo_file, "papers", "--json").out)
    case = next(p for p in papers if "outline business case" in p["title"])
    out = tmp_path / "obc.docx"
    assert cli("report", demo_file, "--paper", case["ref"], "-o", out).code == 0
    text = [p.text for p in Document(str(out)).paragraphs]
    # 8x30 + 7x25 + 9x20 + 7x15 + 6x10 = 760 hundredths
    assert ("The preferred option is Prime contractor, with a weighted score of 7.60 out of 10, "
            "the highest of the options scored.") in text


def test_an_appraisal_edited_on_two_copies_merges(cli, demo_file, paper, tmp_path):
    assert cli("import", demo_file, _write(tmp_path, "o.csv", OPTIONS.format(p=paper)),
               "--kind", "options").code == 0
    copy = tmp_path / "copy.oohdesk"
    assert cli("copy", demo_file, copy, "--for", "author").code == 0
    assert cli("import", copy, _write(tmp_path, "s.csv", _scores(paper)),
               "--kind", "option-scores").code == 0
    result = cli("merge", demo_file, copy)
    assert result.code == 0, result.err
    from ooh_desk.services.options import paper_appraisal
    from ooh_desk.store import Register

    with Register.open(demo_file, readonly=True) as reg:
        merged = paper_appraisal(reg, paper)
    assert len(merged.options) == 3 and len(merged.scores) == 9
    assert total_text(merged.total("Option B")) == "5.35"
