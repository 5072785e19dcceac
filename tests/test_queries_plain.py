"""The views' reads (a page of records, its count, filters, search, trend scores, pickers)
are plain SQL on the register's connection: opening the Risks or Engagement view loads no
sqlite-utils, and whatever a user types in the search box is text to find, never the
full-text index's query language."""

from __future__ import annotations

import pytest
from conftest import python_prints

from ooh_desk.store import Register, RegisterError
from ooh_desk.store.queries import (
    RecordQuery,
    count_records,
    distinct_values,
    page_records,
    paper_refs,
    risk_scores,
)


def test_a_view_reads_its_pages_without_loading_sqlite_utils(demo_copy):
    script = (
        "import sys\n"
        "from ooh_desk.store import Register\n"
        "from ooh_desk.store.queries import RecordQuery, count_records, distinct_values, "
        "page_records, paper_refs, risk_scores\n"
        f"with Register.open({str(demo_copy)!r}, readonly=True) as reg:\n"
        "    q = RecordQuery('risks', filters=(('band', 'Extreme'),), search='tup',"
        " order='score', descending=True)\n"
        "    risks = page_records(reg, RecordQuery('risks'), 0, 50)\n"
        "    print(count_records(reg, q), len(risks), len(distinct_values(reg, 'risks', 'owner')),"
        " len(paper_refs(reg)), len(risk_scores(reg, [r.uuid for r in risks])))\n"
        "print('sqlite_utils' in sys.modules)\n")
    counts, loaded = python_prints(script)
    assert loaded == "False"
    found, page, owners, papers, scored = (int(n) for n in counts.split())
    assert page >= 10 and owners > 3 and papers >= 1 and scored == page and found >= 0


@pytest.mark.parametrize("typed", ['"', 'tup"', '"tup', 'tup AND', "NEAR(tup", "tup*", "-tup",
                                   "(tup)", "tup:", "^tup", "''", "R-²"])
def test_whatever_is_typed_in_search_is_text_to_find(reg, typed):
    found = count_records(reg, RecordQuery("risks", search=typed))
    assert found >= 0  # no syntax error from the full-text index, whatever was typed


def test_search_words_narrow_as_prefixes_and_punctuation_is_not_syntax(reg):
    assert count_records(reg, RecordQuery("risks", search="tup")) == 1
    assert count_records(reg, RecordQuery("risks", search='"tup')) == 1
    # AND is a word to find like any other, not the index's operator
    assert count_records(reg, RecordQuery("risks", search="tup AND")) == count_records(
        reg, RecordQuery("risks", search="tup and"))
    assert count_records(reg, RecordQuery("risks", search="zzzz")) == 0


def test_pages_come_in_order_and_cover_every_record_once(reg):
    total = count_records(reg, RecordQuery("risks"))
    by_score = RecordQuery("risks", order="score", descending=True)
    pages = [page_records(reg, by_score, offset, 7) for offset in range(0, total, 7)]
    refs = [r.ref for page in pages for r in page]
    assert len(refs) == total == len(set(refs))
    scores = [(r.current.score if r.current else 0) for page in pages for r in page]
    assert scores == sorted(scores, reverse=True)


def test_bad_filters_and_fields_are_refused_in_words(reg):
    with pytest.raises(RegisterError, match="no risk band called 'Purple'"):
        count_records(reg, RecordQuery("risks", filters=(("band", "Purple"),)))
    with pytest.raises(RegisterError, match="cannot be filtered by 'title'"):
        count_records(reg, RecordQuery("risks", filters=(("title", "x"),)))
    with pytest.raises(RegisterError, match="cannot be sorted by 'nonsense'"):
        page_records(reg, RecordQuery("risks", order="nonsense"), 0, 10)
    with pytest.raises(RegisterError, match="have no field 'nonsense'"):
        distinct_values(reg, "risks", "nonsense")


def test_an_old_register_without_papers_has_no_paper_refs(tmp_path):
    register = tmp_path / "old.oohdesk"
    with Register.create(register) as reg:
        reg.conn.execute("drop table if exists papers")
        assert paper_refs(reg) == []


def test_trend_scores_are_each_risks_own_oldest_first(reg):
    risks = page_records(reg, RecordQuery("risks"), 0, 100)
    scores = risk_scores(reg, [r.uuid for r in risks])
    assert set(scores) == {r.uuid for r in risks}
    assert any(len(s) > 1 for s in scores.values())  # the demo has reviewed risks
    for risk in risks:
        if scores[risk.uuid] and risk.current:
            assert scores[risk.uuid][-1] == risk.current.score  # the latest is the current
    assert risk_scores(reg, []) == {}
