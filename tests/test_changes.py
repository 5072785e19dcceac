"""The issue register (schema 4) and "changed since the last report": recording what was
written, finding the last report, the summary in words, the report's sentences, the demo's
dated story, and the dashboard panel."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import docx
import pytest
import sqlite_utils

from ooh_desk.domain.board_dates import parse_board_date
from ooh_desk.domain.changes import ChangeSummary, Issue, since_sentences, summarise
from ooh_desk.domain.records import Action, Milestone, Risk
from ooh_desk.domain.scoring import Rating
from ooh_desk.services.since import changes_since
from ooh_desk.store import Register, records
from ooh_desk.store import issues as store
from ooh_desk.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

SINCE = datetime(2017, 10, 12, 16, tzinfo=UTC)


def _row(at, kind, ref, field, old, new):
    return {"at": at, "kind": kind, "ref": ref, "field": field, "old": old, "new": new}


# --- the pure summary ------------------------------------------------------------------------


def test_summary_names_slips_scores_statuses_and_leaves_out_what_came_before():
    m = Milestone("M-001", "Tender published", forecast=parse_board_date("late November 2017"))
    r = Risk("R-001", "TUPE", current=Rating(4, 4))
    a_late = Action("A-001", "Send letters", due=parse_board_date("20/10/2017"))
    a_old = Action("A-002", "Old", due=parse_board_date("01/10/2017"))
    audit = [
        _row("2017-10-01T12:00:00+00:00", "milestones", "M-001", "forecast", "October 2017",
             "Early November 2017"),  # before the last report: not counted
        _row("2017-10-20T12:00:00+00:00", "milestones", "M-001", "forecast",
             "Early November 2017", "late November 2017"),
        _row("2017-10-21T12:00:00+00:00", "risks", "R-001", "likelihood", "3", "4"),
        _row("2017-10-21T12:00:00+00:00", "risks", "R-001", "status", "open", "escalated"),
        _row("2017-10-22T12:00:00+00:00", "risks", "R-009", "", "", "created"),
        _row("2017-12-01T12:00:00+00:00", "risks", "R-001", "status", "escalated", "closed"),
    ]
    summary = summarise(audit, SINCE, date(2017, 11, 9),
                        {"milestones": [m], "risks": [r], "actions": [a_late, a_old]})
    got = {(c.change, c.ref): c for c in summary.changes}
    assert set(got) == {("slipped", "M-001"), ("rose", "R-001"), ("escalated", "R-001"),
                        ("new", "R-009"), ("overdue", "A-001")}  # A-002 was overdue already
    slip = got[("slipped", "M-001")]
    assert (slip.before, slip.after) == ("Early November 2017", "late November 2017")
    assert got[("rose", "R-001")].text.endswith("rose from 12 (High) to 16 (Extreme)")
    assert got[("overdue", "A-001")].at == "2017-10-21"
    assert summary.new_by_kind() == {"risks": 1}


def test_forward_moves_fallen_scores_and_completed_records():
    m = Milestone("M-002", "Go-live", forecast=parse_board_date("June 2018"),
                  actual=parse_board_date("01/11/2017"), status="complete")
    r = Risk("R-002", "Staff", current=Rating(3, 4))
    audit = [
        _row("2017-10-20T12:00:00+00:00", "milestones", "M-002", "forecast", "July 2018",
             "June 2018"),
        _row("2017-11-01T12:00:00+00:00", "milestones", "M-002", "actual", None, "01/11/2017"),
        _row("2017-11-01T12:00:00+00:00", "risks", "R-002", "impact", "5", "4"),
        _row("2017-11-02T12:00:00+00:00", "actions", "A-001", "status", "open", "complete"),
        _row("2017-11-02T12:00:00+00:00", "feedback", "F-001", "status", "open", "actioned"),
    ]
    summary = summarise(audit, SINCE, date(2017, 11, 9), {"milestones": [m], "risks": [r]})
    assert [c.change for c in summary.changes] == ["brought forward", "completed", "fell",
                                                   "action completed", "actioned"]
    fell = summary.of("fell")[0]
    assert (fell.before, fell.after) == ("15 (Extreme)", "12 (High)")


def test_sentences_fall_back_to_nothing_without_an_earlier_report():
    assert since_sentences(ChangeSummary(None, date(2017, 11, 9))) == []
    issue = Issue("report", date(2017, 10, 12), SINCE)
    quiet = since_sentences(ChangeSummary(SINCE, date(2017, 11, 9), issue))
    assert quiet == ["Since the last report on 12 October 2017, no milestone has slipped.",
                     "No risk score has changed."]


# --- the store ---------------------------------------------------------------------------------


def test_issue_register_finds_the_last_report_before_a_date(register):
    with Register.open(register) as reg:
        for as_at, committee, kind in (("2017-09-14", "Board", "report"),
                                       ("2017-10-12", "Scrutiny", "report"),
                                       ("2017-10-20", "Board", "risk-log"),
                                       ("2017-11-09", "Board", "report")):
            store.record_issue(reg, Issue(kind, date.fromisoformat(as_at), datetime.now(UTC),
                                          committee=committee, file_name="x.docx"))
        assert len(store.issues(reg)) == 4
        last = store.last_issue_before(reg, date(2017, 11, 9))
        assert (last.as_at, last.committee) == (date(2017, 10, 12), "Scrutiny")
        assert store.last_issue_before(reg, date(2017, 11, 9), "board").as_at == date(2017, 9, 14)
        assert store.last_issue_before(reg, date(2017, 9, 14)) is None
        assert store.issues(reg)[0].user == reg.user


def test_version_3_register_upgrades_to_4_keeping_its_data(tmp_path):
    path = tmp_path / "v3.oohdesk"
    db = sqlite_utils.Database(path)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    for step in MIGRATIONS[:3]:
        step(db)
    db.execute("PRAGMA user_version = 3")
    db["milestones"].insert({"uuid": "m1", "ref": "M-001", "title": "Kept", "status": "open"})
    db["committees"].insert({"uuid": "c1", "name": "Kept Board"})
    db.conn.commit()
    db.close()
    with Register.open(path) as reg:
        backup = reg.backup_path
        assert records.get_record(reg, "milestones", "M-001").title == "Kept"
        assert reg.db["committees"].count == 1
        assert store.issues(reg) == []
        assert SCHEMA_VERSION >= 4 and "reports_issued" in reg.db.table_names()
    old = sqlite_utils.Database(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 3
    assert "reports_issued" not in old.table_names() and old["milestones"].count == 1


# --- the demo's story and the command line ----------------------------------------------------


def test_demo_tells_what_changed_since_the_october_report(cli, demo_register):
    issued = json.loads(cli("list", demo_register, "issued", "--json").out)
    assert [(i["kind"], i["as_at"]["iso"], i["committee"]) for i in issued] == [
        ("report", "2017-10-12", "Programme Board")]
    result = cli("list", demo_register, "changes", "--json")
    assert result.code == 0
    items = json.loads(result.out)
    assert all(i["ref"] and i["last_report"] == "2017-10-12" for i in items)
    by = {(i["change"], i["ref"]) for i in items}
    assert {("slipped", "M-009"), ("slipped", "M-010"), ("slipped", "M-015"),
            ("completed", "M-008"), ("rose", "R-001"), ("fell", "R-002"),
            ("escalated", "R-003"), ("new", "R-012"), ("action completed", "A-009"),
            ("overdue", "A-004"), ("actioned", "F-001")} <= by
    assert ("slipped", "M-011") not in by  # it slipped before the October report
    slip = next(i for i in items if i["ref"] == "M-010" and i["change"] == "slipped")
    assert (slip["from"], slip["to"]) == ("Early November 2017", "Late November 2017")
    # every change happened after the report and no later than the demo's as-at date
    assert all("2017-10-12" < i["at"] <= "2017-11-09" for i in items)
    later = json.loads(cli("list", demo_register, "changes", "--since", "2017-11-01",
                           "--json").out)
    assert {i["ref"] for i in later} < {i["ref"] for i in items}
    assert "M-010" not in {i["ref"] for i in later}
    text = cli("list", demo_register, "changes").out
    assert "moved later: from Early November 2017 to Late November 2017" in text


def test_writing_outputs_enters_them_on_the_issue_register(cli, demo_copy, tmp_path):
    assert cli("report", demo_copy, "--style", "durham", "--as-at", "2017-11-09",
               "-o", tmp_path / "d.docx").code == 0
    assert cli("export", demo_copy, "risk-log", "--as-at", "2017-11-10",
               "-o", tmp_path / "log.xlsx").code == 0
    issued = json.loads(cli("list", demo_copy, "issued", "--json").out)
    assert [(i["kind"], i["as_at"]["iso"], i["file_name"]) for i in issued[1:]] == [
        ("report", "2017-11-09", "d.docx"), ("risk-log", "2017-11-10", "log.xlsx")]
    assert issued[1]["committee"] == "Health and Social Care Scrutiny Committee"
    assert issued[1]["style"] == "durham"
    # the next report, a month on, counts its changes from the November report
    with Register.open(demo_copy, readonly=True) as reg:
        summary = changes_since(reg, as_at=date(2017, 12, 7))
    assert summary.last_issue.as_at == date(2017, 11, 9)
    assert [c.change for c in summary.changes] == ["overdue", "overdue"]  # A-006, A-007


def test_durham_draft_says_what_changed_since_the_last_report(demo_copy, tmp_path, cli):
    out = tmp_path / "d.docx"
    assert cli("report", demo_copy, "--style", "durham", "-o", out).code == 0
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    since = next(t for t in texts if "Since the last report on 12 October 2017, " in t)
    assert since.startswith(tuple(f"{n}\t" for n in range(1, 40)))  # a numbered paragraph
    # the three slipped since are among those the summary set out against the baseline, so
    # they are named by ref here, each described once (test_report_prose)
    assert "3 of those milestones have slipped: M-009, M-010 and M-015" in since
    assert sum("Publish tender for the specialist services lot (M-010), from " in t
               for t in texts) == 1
    rose = next(t for t in texts if "risk scores rose" in t)
    assert "Complexity of TUPE transfers across several employers (R-001), from 12 (High) to " \
           "16 (Extreme)" in rose
    assert any("risk scores fell" in t and "R-002" in t for t in texts)
    # the sentences against the baseline stay
    assert any("slipped against the baseline" in t for t in texts)


def test_a_register_with_no_earlier_report_keeps_the_usual_wording(register, cli, tmp_path):
    out = tmp_path / "r.docx"
    assert cli("report", register, "-o", out).code == 0
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Since the last report" not in text
    assert "No milestone has slipped against its baseline." in text


# --- the dashboard panel -----------------------------------------------------------------------


@pytest.fixture
def dashboard(qtbot, demo_copy):
    from ooh_desk.gui.edits import Edits
    from ooh_desk.gui.views.dashboard import DashboardView

    reg = Register.open(demo_copy)
    view = DashboardView(Edits(reg))
    qtbot.addWidget(view)
    yield view
    reg.close()


def test_dashboard_lists_each_change_since_the_last_report_in_words(dashboard, qtmodeltester):
    model = dashboard.changes
    qtmodeltester.check(model)
    rows = [tuple(model.index(r, c).data() for c in range(4)) for r in range(model.rowCount())]
    assert rows[0][:3] == ("27 October 2017", "Slipped", "M-009")
    assert "from 31 October 2017 to 17 November 2017" in rows[0][3]
    assert any(r[1] == "Risk rose" and r[2] == "R-001" and "to 16 (Extreme)" in r[3]
               for r in rows)
    assert any(r[1] == "Became overdue" and r[2] == "A-004" for r in rows)
    assert dashboard.changes_since.text().startswith(
        "Since the last report: Report as at 12 October 2017 to the Programme Board")
    from PySide6.QtCore import Qt

    headings = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert headings == ["When", "Change", "Ref", "What changed"]


def test_minutes_are_entered_with_their_meeting_and_committee(cli, demo_copy, tmp_path):
    assert cli("minutes", demo_copy, "--meeting", "2017-07-10", "-o", tmp_path / "m.docx").code == 0
    last = json.loads(cli("list", demo_copy, "issued", "--json").out)[-1]
    assert (last["kind"], last["meeting"], last["committee"], last["file_name"]) == (
        "minutes", "CHWB-2017-07-10", "Coventry Health and Well-being Board", "m.docx")


def test_a_read_only_register_still_gets_its_report_with_a_note(cli, demo_copy, tmp_path):
    import os
    import stat

    os.chmod(demo_copy, stat.S_IRUSR)
    result = cli("report", demo_copy, "-o", tmp_path / "r.docx")
    assert result.code == 0 and (tmp_path / "r.docx").exists()
    assert "not entered in the issue register" in result.err


def test_dashboard_with_no_earlier_report_says_so_and_lists_nothing(qtbot, register, cli, tmp_path):
    from ooh_desk.gui.edits import Edits
    from ooh_desk.gui.views.dashboard import DashboardView

    source = tmp_path / "r.csv"
    source.write_text("ref,title,likelihood,impact\nR-001,Estates delay,2,3\n")
    assert cli("import", register, source).code == 0
    with Register.open(register) as reg:
        view = DashboardView(Edits(reg))
        qtbot.addWidget(view)
        assert view.changes.rowCount() == 0
        assert view.changes_since.text().startswith("No report has been written")


def test_changes_since_reads_only_the_records_the_history_names(demo_copy, monkeypatch):
    from ooh_desk.services import since

    with Register.open(demo_copy) as reg:
        asked: list[tuple[str, int]] = []
        original = records.by_uuids

        def spy(reg, kind, uuids):
            uuids = list(uuids)
            asked.append((kind, len(uuids)))
            return original(reg, kind, uuids)

        monkeypatch.setattr(records, "by_uuids", spy)
        since.changes_since(reg)
        feedback = dict(asked).get("feedback", 0)
        assert feedback < records.total_records(reg, "feedback")
