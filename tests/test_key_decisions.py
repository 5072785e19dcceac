"""The forward plan of key decisions (issue 17, items 5-6): the 28-clear-day rule and its
exceptions, `import --kind key-decisions`, `list REGISTER key-decisions`, and the published
notice `forward-plan` writes, read back from the .docx."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta

import docx
import pytest
from conftest import SAMPLE_DATA, write_csv
from docx.oxml.ns import qn
from hypothesis import given
from hypothesis import strategies as st

from ooh_desk.domain.board_dates import BoardDate
from ooh_desk.domain.key_decisions import (
    FULL_NOTICE,
    GENERAL_EXCEPTION,
    NOTICE_DUE,
    NOTICE_LATE,
    SPECIAL_URGENCY,
    KeyDecision,
    clear_days,
    notice_due_by,
    notice_state,
    parse_exempt,
    parse_key,
    parse_notice,
    procedure_for,
)

PLAN = SAMPLE_DATA / "key_decisions.csv"
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


def decision(day: date, published: date | None = None, notice: str = "") -> KeyDecision:
    return KeyDecision("KD-001", "A matter", "Cabinet", BoardDate.from_date(day),
                       published=published, notice=notice)


# --- the rule --------------------------------------------------------------------------------


@given(DAYS, st.integers(min_value=1, max_value=400))
def test_clear_days_leave_out_both_ends(published, gap):
    assert clear_days(published, published + timedelta(days=gap)) == gap - 1


@given(DAYS)
def test_the_notice_date_gives_exactly_28_clear_days_and_a_day_later_gives_27(day):
    assert clear_days(notice_due_by(day), day) == 28
    assert clear_days(notice_due_by(day) + timedelta(days=1), day) == 27
    assert procedure_for(28) == ""
    assert procedure_for(27) == GENERAL_EXCEPTION


@given(DAYS, st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=60))
def test_publishing_earlier_never_makes_the_notice_worse(day, early, late):
    rank = {FULL_NOTICE: 0, GENERAL_EXCEPTION: 1, SPECIAL_URGENCY: 2}
    first = min(early, late) + 1
    second = max(early, late) + 1
    sooner = notice_state(decision(day, day - timedelta(days=second)), day - timedelta(days=70))
    later = notice_state(decision(day, day - timedelta(days=first)), day - timedelta(days=70))
    assert rank[sooner.status] <= rank[later.status]


@pytest.mark.parametrize(("gap", "status", "warning"), [
    (29, FULL_NOTICE, False), (28, GENERAL_EXCEPTION, True), (21, GENERAL_EXCEPTION, True),
    (6, GENERAL_EXCEPTION, True), (5, SPECIAL_URGENCY, True), (1, SPECIAL_URGENCY, True)])
def test_the_procedure_follows_the_clear_days(gap, status, warning):
    day = date(2017, 11, 28)
    state = notice_state(decision(day, day - timedelta(days=gap)), date(2017, 11, 1))
    assert (state.clear_days, state.status, state.warning) == (gap - 1, status, warning)


def test_a_general_exception_recorded_with_too_few_days_is_special_urgency():
    day = date(2017, 11, 28)
    recorded = notice_state(decision(day, date(2017, 11, 24), GENERAL_EXCEPTION), date(2017, 11, 1))
    assert recorded.status == SPECIAL_URGENCY and recorded.warning
    assert "fewer than the 5 it needs" in recorded.words
    fine = notice_state(decision(day, date(2017, 11, 7), GENERAL_EXCEPTION), date(2017, 11, 1))
    assert (fine.status, fine.warning, fine.clear_days) == (GENERAL_EXCEPTION, False, 20)


def test_unpublished_notice_is_due_then_late():
    day = date(2017, 12, 5)
    assert notice_due_by(day) == date(2017, 11, 6)
    due = notice_state(decision(day), date(2017, 11, 6))
    assert (due.status, due.warning) == (NOTICE_DUE, False)
    late = notice_state(decision(day), date(2017, 11, 9))
    assert (late.status, late.warning) == (NOTICE_LATE, True)
    assert "3 days late" in late.words and "29 November 2017" in late.words


@pytest.mark.parametrize(("typed", "kept"), [
    ("", ""), ("no", ""), ("Public", ""), ("3", "Paragraph 3"), ("para 3", "Paragraph 3"),
    ("Yes - paragraph 3 (the lease terms of 1 High Street)", "Paragraph 3"),
    ("exempt: paras 3 and 5", "Paragraphs 3 and 5"),
    ("Private (paragraph 3)", "Paragraph 3"), ("3 and 5", "Paragraphs 3 and 5")])
def test_exempt_keeps_the_paragraph_number_only(typed, kept):
    assert parse_exempt(typed) == kept


@pytest.mark.parametrize("typed", ["yes", "paragraph 9", "commercially sensitive",
                                   "lease of 1 High Street"])
def test_exempt_without_a_paragraph_of_schedule_12a_is_refused(typed):
    with pytest.raises(ValueError):
        parse_exempt(typed)


def test_key_and_notice_words():
    assert parse_key("") and parse_key("Yes") and not parse_key("non-key")
    assert parse_notice("General Exception (regulation 10)") == GENERAL_EXCEPTION
    assert parse_notice("special urgency") == SPECIAL_URGENCY and parse_notice("") == ""
    with pytest.raises(ValueError):
        parse_key("perhaps")
    with pytest.raises(ValueError):
        parse_notice("late")


# --- import and list -------------------------------------------------------------------------


@pytest.fixture
def plan_register(tmp_path, cli):
    path = tmp_path / "council.oohdesk"
    assert cli("init", path, "--programme", "Out of Hospital",
               "--organisation", "Coventry City Council").code == 0
    result = cli("import", path, PLAN, "--kind", "key-decisions")
    assert result.code == 0, result.err
    assert "Imported: 6 new" in result.out
    return path


def listed(cli, path, *extra):
    result = cli("list", path, "key-decisions", "--json", *extra)
    assert result.code == 0, result.err
    return {item["ref"]: item for item in json.loads(result.out)}


def test_list_shows_each_decision_with_its_clear_days_and_status(plan_register, cli):
    items = listed(cli, plan_register, "--as-at", "2017-11-09")
    assert items["KD-003"]["clear_days"] == 20
    assert items["KD-003"]["notice_status"] == GENERAL_EXCEPTION
    assert items["KD-003"]["published"] == {"text": "7 November 2017", "iso": "2017-11-07"}
    assert items["KD-002"]["clear_days"] == 45 and items["KD-002"]["notice_status"] == FULL_NOTICE
    assert items["KD-006"]["notice_status"] == NOTICE_LATE and items["KD-006"]["warning"]
    assert items["KD-006"]["notice_due_by"]["iso"] == "2017-11-06"
    assert items["KD-005"]["notice_status"] == NOTICE_DUE
    assert items["KD-004"]["exemption"] == "Paragraph 3" and items["KD-004"]["exempt"]
    assert items["KD-004"]["date"] == {"text": "January 2018", "earliest": "2018-01-01",
                                       "latest": "2018-01-31"}
    assert items["KD-001"]["status"] == "made"
    plain = cli("list", plan_register, "key-decisions", "--as-at", "2017-11-09").out
    assert "KD-003" in plain and "20 clear days" in plain and "general exception" in plain


def test_importing_again_changes_nothing_and_a_dry_run_writes_nothing(plan_register, cli):
    again = cli("import", plan_register, PLAN, "--kind", "key-decisions")
    assert "0 new, 0 updated, 6 unchanged" in again.out
    edited = PLAN.read_text("utf-8").replace("07/11/2017", "06/11/2017")
    copy = write_csv(plan_register.parent / "plan.csv", edited)
    dry = cli("import", plan_register, copy, "--kind", "key-decisions", "--dry-run")
    assert "updated   row 4: KD-003 (published)" in dry.out
    assert listed(cli, plan_register)["KD-003"]["published"]["iso"] == "2017-11-07"


@pytest.mark.parametrize(("cell", "column", "words"), [
    ("31/02/2018", "date", "31/02/2018"), ("", "date", "needs the date"),
    ("yes", "exempt", "paragraph of Schedule 12A")])
def test_a_bad_value_is_one_line_naming_file_row_and_column(tmp_path, cli, cell, column, words):
    path = tmp_path / "c.oohdesk"
    cli("init", path)
    row = {"date": "01/03/2018", "exempt": ""} | {column: cell}
    source = write_csv(tmp_path / "kd.csv",
                       "ref,matter,decision_maker,date,key,exempt,published\n"
                       "KD-001,Good matter,Cabinet,05/12/2017,yes,,01/10/2017\n"
                       f"KD-002,Bad matter,Cabinet,{row['date']},yes,{row['exempt']},\n")
    result = cli("import", path, source, "--kind", "key-decisions")
    assert result.code == 1
    line = result.err.strip()
    assert "\n" not in line and "Traceback" not in result.err
    assert "kd.csv row 3" in line and f"column '{column}'" in line and words in line
    assert listed(cli, path) == {}  # all or nothing: the good row was not written either


# --- the published notice --------------------------------------------------------------------


def test_the_forward_plan_prints_the_notice_with_exempt_matters_undisclosed(plan_register, cli,
                                                                             tmp_path):
    out = tmp_path / "plan.docx"
    result = cli("forward-plan", plan_register, "-o", out, "--from", "2017-11-09")
    assert result.code == 0, result.err
    # What the officer must still do is said to them, not printed in the notice.
    assert "KD-006" in result.err and "29 November 2017" in result.err
    document = docx.Document(out)
    assert document.core_properties.title == "Forward Plan of Key Decisions"
    assert document.core_properties.language == "en-GB"
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["About this notice", "Key decisions"]
    assert "Decisions with less than 28 clear days' notice" in headings
    table = document.tables[0]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    assert list(rows) == ["KD-003", "KD-002", "KD-006", "KD-004", "KD-005"]  # by date; not KD-001
    assert "General exception (regulation 10)" in rows["KD-003"][8]
    assert "20 clear days' notice" in rows["KD-003"][8]
    assert rows["KD-004"][5].startswith("Private: Paragraph 3 of Part 1 of Schedule 12A")
    assert rows["KD-004"][6] == "Exempt (Paragraph 3): not listed"
    body = "\n".join(p.text for p in document.paragraphs) + "".join(
        c.text for r in table.rows for c in r.cells)
    assert "heads of terms" not in body  # the exempt matter's documents
    assert "First published in this notice" in rows["KD-006"][8]
    assert "Published by Coventry City Council on 9 November 2017." in body
    issued = json.loads(cli("list", plan_register, "issued", "--json").out)
    assert [i["kind"] for i in issued] == ["forward-plan"]


def test_the_plan_starts_from_its_date(plan_register, cli, tmp_path):
    out = tmp_path / "later.docx"
    assert cli("forward-plan", plan_register, "-o", out, "--from", "2018-01-15").code == 0
    refs = [r.cells[0].text for r in docx.Document(out).tables[0].rows[1:]]
    assert refs == ["KD-004", "KD-005"]  # January 2018 still running; February ahead


def test_a_register_without_key_decisions_is_told_so(tmp_path, cli):
    path = tmp_path / "empty.oohdesk"
    cli("init", path)
    result = cli("forward-plan", path, "-o", tmp_path / "plan.docx")
    assert result.code == 1 and "holds no key decisions" in result.err
    assert not (tmp_path / "plan.docx").exists()


def test_the_demo_has_the_forward_plan(demo_register, cli):
    items = listed(cli, demo_register)
    assert len(items) == 6
    assert items["KD-003"]["notice_status"] == GENERAL_EXCEPTION
    assert items["KD-003"]["clear_days"] == 20


# --- copies merge -----------------------------------------------------------------------------


def test_a_key_decision_edited_on_two_copies_merges_field_by_field(plan_register, cli, tmp_path):
    from ooh_desk.store import Register
    from ooh_desk.store import key_decisions as store

    theirs = tmp_path / "theirs.oohdesk"
    assert cli("copy", plan_register, theirs, "--for", "ben").code == 0
    with Register.open(plan_register, user="ann") as reg:
        kd = store.get_key_decision(reg, "KD-005")
        kd.published = date(2017, 11, 20)
        store.save_key_decisions(reg, [kd])
    with Register.open(theirs, user="ben") as reg:
        kd = store.get_key_decision(reg, "KD-005")
        kd.contact = "Director of Adult Services"
        store.save_key_decisions(reg, [kd])
    result = cli("merge", plan_register, theirs)
    assert result.code == 0, result.err
    merged = listed(cli, plan_register, "--as-at", "2017-11-09")["KD-005"]
    assert merged["published"]["iso"] == "2017-11-20"
    assert merged["contact"] == "Director of Adult Services"
    shutil.rmtree(tmp_path / "unused", ignore_errors=True)
