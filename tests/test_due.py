"""Reminders that need no server (issue 17, item 11): `ooh-desk due` and the service the
dashboard calls, `due_items`: risk reviews, actions, mitigating actions, milestones, key
decisions' notice and principal risks past their target, overdue first, in plain words."""

from __future__ import annotations

import json
from datetime import date

from conftest import write_csv

from ooh_desk.domain.board_dates import parse_board_date
from ooh_desk.domain.due import BafTarget, baf_targets, sort_due
from ooh_desk.domain.scoring import Rating


def due_json(cli, path, *extra):
    result = cli("due", path, "--json", *extra)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_the_demo_lists_overdue_first_then_by_date(demo_register, cli):
    items = due_json(cli, demo_register, "--as-at", "2017-11-09")
    flags = [i["overdue"] for i in items]
    assert flags == sorted(flags, reverse=True) and True in flags and False in flags
    overdue = [i for i in items if i["overdue"]]
    assert [i["due"]["latest"] for i in overdue] == sorted(i["due"]["latest"] for i in overdue)
    by_ref = {i["ref"]: i for i in items}
    # A key decision whose 28-day notice date passed three days ago.
    assert by_ref["KD-006"]["kind"] == "key decision" and by_ref["KD-006"]["days"] == -3
    assert "general exception" in by_ref["KD-006"]["words"]
    # An action overdue, a mitigating action, a risk review and a milestone due.
    assert by_ref["A-003"]["overdue"] and by_ref["A-003"]["days"] == -20
    assert by_ref["R-004 action 2"]["kind"] == "mitigation"
    assert by_ref["M-009"]["kind"] == "milestone" and not by_ref["M-009"]["overdue"]
    assert any(i["kind"] == "risk review" for i in items)
    # Nothing complete or closed is listed.
    assert "A-001" not in by_ref and all(i["ref"] for i in items)
    plain = cli("due", demo_register, "--as-at", "2017-11-09")
    first = plain.out.splitlines()
    assert first[0].startswith("As at 09/11/2017:") and " overdue, " in first[0]
    assert first[1].startswith("OVERDUE")


def test_within_narrows_what_is_coming_but_never_what_is_overdue(demo_register, cli):
    wide = due_json(cli, demo_register, "--as-at", "2017-11-09", "--within", "60")
    none = due_json(cli, demo_register, "--as-at", "2017-11-09", "--within", "0")
    assert [i for i in wide if i["overdue"]] == [i for i in none if i["overdue"]]
    assert all(i["overdue"] or i["days"] >= 0 and i["due"]["earliest"] <= "2017-11-09"
               for i in none)
    assert len(wide) > len(none)


def test_a_month_is_due_through_it_and_overdue_after_it(tmp_path, cli):
    path = tmp_path / "r.oohdesk"
    cli("init", path)
    source = write_csv(tmp_path / "risks.csv",
                       "ref,title,likelihood,impact,review_date\n"
                       "R-001,Staff leave during the transfer,4,4,October 2017\n")
    assert cli("import", path, source, "--kind", "risks").code == 0
    assert due_json(cli, path, "--as-at", "2017-09-10") == []
    during = due_json(cli, path, "--as-at", "2017-10-15")
    assert [(i["ref"], i["overdue"], i["days"]) for i in during] == [("R-001", False, 16)]
    assert "October 2017 (by 31 October 2017)" in during[0]["words"]
    after = due_json(cli, path, "--as-at", "2017-11-01")
    assert [(i["ref"], i["overdue"], i["days"]) for i in after] == [("R-001", True, -1)]
    assert "1 day overdue" in after[0]["words"]


def test_a_negative_window_is_a_user_error(demo_register, cli):
    result = cli("due", demo_register, "--within", "-1")
    assert result.code == 1 and "--within" in result.err and "Traceback" not in result.err


def test_the_dashboard_service_gives_items_with_words(demo_register):
    from ooh_desk.services.due import due_items
    from ooh_desk.store import Register

    with Register.open(demo_register, readonly=True) as reg:
        items = due_items(reg, date(2017, 11, 9), 14)
    assert items and all(i.words and i.uuid and i.record_kind for i in items)
    assert items == sort_due(items)


def test_a_principal_risk_past_its_target_date_above_target_is_overdue():
    day = parse_board_date("September 2017")
    targets = [
        BafTarget("R-001", "Above target", "CFO", Rating(4, 4), Rating(2, 3), day, False, "a"),
        BafTarget("R-002", "At target", "CFO", Rating(2, 3), Rating(2, 3), day, False, "b"),
        BafTarget("R-003", "Closed", "CFO", Rating(4, 4), Rating(2, 3), day, True, "c"),
        BafTarget("R-004", "Not yet", "CFO", Rating(4, 4), Rating(2, 3),
                  parse_board_date("December 2017"), False, "d"),
    ]
    found = baf_targets(targets, date(2017, 11, 9))
    assert [(i.ref, i.overdue, i.days) for i in found] == [("R-001", True, -40)]
    assert "target score 6 by September 2017; it is 16" in found[0].words


def test_the_demo_principal_risks_past_target_are_listed(demo_register, cli):
    items = [i for i in due_json(cli, demo_register, "--as-at", "2017-11-09")
             if i["kind"] == "BAF target"]
    assert items and all(i["overdue"] and i["ref"].startswith("R-") for i in items)


def test_reading_only_what_may_be_due_drops_nothing_the_rules_would_list(demo_register):
    """The store reads only records dated up to the window's end (the dashboard shows the
    list at start, on registers of 20,000 records); on every day of the demo's year the list
    is the one the rules make from every record."""
    from datetime import timedelta

    from ooh_desk.domain import due as rules
    from ooh_desk.services.due import due_items
    from ooh_desk.store import Register, key_decisions, records
    from ooh_desk.store import due as store

    with Register.open(demo_register, readonly=True) as reg:
        risks = records.all_records(reg, "risks")
        every = (risks, records.all_records(reg, "actions"),
                 records.all_records(reg, "milestones"), key_decisions.all_key_decisions(reg),
                 store.baf_targets(reg))
        seen = 0
        for n in range(0, 400, 9):
            when = date(2017, 5, 1) + timedelta(days=n)
            for within in (0, 14, 60):
                expected = rules.sort_due([
                    *rules.key_decisions(every[3], when, within),
                    *rules.baf_targets(every[4], when),
                    *rules.risk_reviews(every[0], when, within),
                    *rules.mitigations(every[0], when, within),
                    *rules.actions(every[1], when, within),
                    *rules.milestones(every[2], when, within)])
                assert due_items(reg, when, within) == expected
                seen += len(expected)
    assert seen > 100
