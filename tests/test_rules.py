"""Milestone RAG, overdue actions and building records from typed rows."""

from datetime import date

import pytest

from ooh_desk.domain.board_dates import parse_board_date as bd
from ooh_desk.domain.records import (
    Action,
    FieldReader,
    Milestone,
    action_overdue,
    build_risk,
    milestone_rag,
    split_lines,
)

AS_AT = date(2017, 11, 9)


def m(baseline=None, forecast=None, actual=None, status="in progress"):
    return Milestone("M-001", "Contract signature", baseline=baseline and bd(baseline),
                     forecast=forecast and bd(forecast), actual=actual and bd(actual), status=status)


@pytest.mark.parametrize(("milestone", "rag"), [
    (m("November 2017", actual="03/11/2017"), "Complete"),
    (m("November 2017", "December 2017"), "Red"),           # slipped past tolerance
    (m("late October 2017"), "Red"),                       # past due, not done
    (m("Early November 2017", "Early November 2017"), "Green"),  # latest day, 10th, not past
    (m("mid-November 2017"), "Amber"),                     # due within 14 days, no forecast
    (m("mid-November 2017", "mid-November 2017"), "Green"),  # forecast confirmed
    (m("April 18"), "Green"),
    (m("Q4 2017/18", "Q4 2017/18"), "Green"),
])
def test_milestone_rag(milestone, rag):
    got = milestone_rag(milestone, AS_AT)
    assert got.status == rag, got.reason


def test_slip_within_tolerance_is_amber_and_beyond_is_red():
    slipped = m("Early December 2017", "mid-December 2017")  # 10 days
    assert milestone_rag(slipped, AS_AT, tolerance_days=14).status == "Amber"
    assert milestone_rag(slipped, AS_AT, tolerance_days=0).status == "Red"
    assert "10 days" in milestone_rag(slipped, AS_AT).reason


def test_overdue_action():
    a = Action("A-001", "Send TUPE data", due=bd("31/10/2017"))
    assert action_overdue(a, AS_AT)
    a.status = "complete"
    assert not action_overdue(a, AS_AT)
    assert not action_overdue(Action("A-002", "x", due=bd("9/11/2017")), AS_AT)
    assert not action_overdue(Action("A-003", "x"), AS_AT)


def test_every_problem_in_a_row_is_reported_with_its_column():
    reader = FieldReader({"title": "", "description": "", "likelihood": "7",
                          "impact": "high-ish", "raised": "soonish", "status": "maybe"},
                         "risks.csv row 5", {"likelihood": "Likelihood", "impact": "Severity"})
    build_risk(reader, "R-001")
    found = {(p.column, p.where) for p in reader.problems}
    assert ("Likelihood", "risks.csv row 5") in found
    assert ("Severity", "risks.csv row 5") in found
    assert ("raised", "risks.csv row 5") in found
    assert ("status", "risks.csv row 5") in found
    assert any(p.column == "title" for p in reader.problems)


def test_mitigations_split_on_lines_bullets_and_numbers():
    assert split_lines("- one\n- two\r\n\n• three") == ["one", "two", "three"]
    assert split_lines("1. first\n2) second\n(3) third") == ["first", "second", "third"]
    assert split_lines("alpha; beta") == ["alpha", "beta"]
    assert split_lines("-5% budget cut") == ["-5% budget cut"]
