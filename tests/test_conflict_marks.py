"""Papers and lists mark a record two merged copies still disagree on (issue 14, item 3):
`list` names the field and the conflict, the Word report and the Excel risk log write
"not yet agreed … see C-001" after the value in the right cell, the minutes mark a minute
or decision in conflict, and a settled conflict is no longer marked."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import openpyxl
import pytest
from conftest import edit

from ooh_desk.domain.conflict_marks import (
    ConflictMarks,
    cell_mark,
    list_mark,
    named_mark,
    with_mark,
    without_mark,
)
from ooh_desk.domain.scoring import Rating
from ooh_desk.exports.report import report_data
from ooh_desk.services.merge import merge
from ooh_desk.store import Register, records
from ooh_desk.store import meetings as meeting_store
from ooh_desk.store.changes import open_conflicts_by_record

MARK = "not yet agreed"
MEETING = "CHWB-2017-09-04"



def minute(path: Path, user: str, text: str, resolved: list[str]) -> None:
    with Register.open(path, user=user) as reg:
        meeting = meeting_store.find_meeting(reg, MEETING)
        item = meeting_store.agenda(reg, meeting)[2]
        meeting_store.record_minute(reg, meeting, item, text, resolved)


@pytest.fixture
def clashed(demo_copy, tmp_path, cli):
    """Two copies of the demo that disagree on R-003's owner (C-001), R-002's current
    likelihood (C-002) and F-002's action taken (C-003), merged into ann's."""
    ann, ben = tmp_path / "ann.oohdesk", tmp_path / "ben.oohdesk"
    for copy in (ann, ben):
        assert cli("copy", demo_copy, copy).code == 0
    edit(ann, "risks", "R-003", "ann", owner="Programme Director")
    edit(ben, "risks", "R-003", "ben", owner="Chief Finance Officer")
    edit(ann, "risks", "R-002", "ann", current=Rating(4, 4))
    edit(ben, "risks", "R-002", "ben", current=Rating(2, 4))
    edit(ann, "feedback", "F-002", "ann", action_taken="A clause on local suppliers went in.")
    edit(ben, "feedback", "F-002", "ben", action_taken="Bidders were asked about charities.")
    assert merge(ann, ben).conflicts == ["C-001", "C-002", "C-003"]
    return ann


def cells_with(path: Path, text: str) -> list[list[str]]:
    """Every table row of a .docx (its cells' text) with a cell holding `text`."""
    return [[c.text for c in row.cells] for table in docx.Document(str(path)).tables
            for row in table.rows if any(text in c.text for c in row.cells)]


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


# --- the store and the marks' words ---------------------------------------------------------------


def test_open_conflicts_by_record_gives_field_and_ref_per_record(clashed):
    with Register.open(clashed, readonly=True) as reg:
        found = open_conflicts_by_record(reg)
        r3 = records.get_record(reg, "risks", "R-003")
        r2 = records.get_record(reg, "risks", "R-002")
    assert found[("risks", r3.uuid)] == [("owner", "C-001")]
    assert found[("risks", r2.uuid)] == [("likelihood", "C-002")]
    assert len(found) == 3


def test_marks_words():
    marks = ConflictMarks({("risks", "u1"): [("owner", "C-003"), ("", "C-004")]})
    assert cell_mark(marks.refs("risks", "u1", ["owner"])) == \
        "(not yet agreed: two copies differ, see C-003)"
    assert named_mark(marks.others("risks", "u1", ["owner"])) == \
        "(not yet agreed: edited in one copy and deleted in another, see C-004)"
    assert list_mark([{"field": "owner", "ref": "C-003"}]) == "  [owner: conflict, see C-003]"
    assert cell_mark([]) == "" and not ConflictMarks()
    marked = with_mark("Programme Director", cell_mark(["C-003"]) + " " + named_mark(
        [("review_date", "C-005")]))
    assert marked.startswith("Programme Director\n(not yet agreed: two copies differ")
    assert "review date differs between two copies, see C-005" in marked
    assert without_mark(marked) == "Programme Director"
    assert without_mark("Costs (see note) rise") == "Costs (see note) rise"


# --- list ---------------------------------------------------------------------------------------


def test_list_marks_the_field_in_conflict_and_json_carries_it(clashed, cli):
    out = cli("list", clashed, "risks").out.splitlines()
    r3 = next(line for line in out if line.startswith("R-003"))
    r1 = next(line for line in out if line.startswith("R-001"))
    assert r3.endswith("[Programme Director]  [owner: conflict, see C-001]")
    assert "conflict" not in r1
    assert "[current likelihood: conflict, see C-002]" in \
        next(line for line in out if line.startswith("R-002"))
    feedback = cli("list", clashed, "feedback").out
    assert "[action taken: conflict, see C-003]" in feedback

    risks = {r["ref"]: r for r in json.loads(cli("list", clashed, "risks", "--json").out)}
    assert risks["R-003"]["conflicts"] == [{"field": "owner", "ref": "C-001"}]
    assert risks["R-001"]["conflicts"] == []
    milestones = json.loads(cli("list", clashed, "milestones", "--json").out)
    assert all(m["conflicts"] == [] for m in milestones)


def test_a_settled_conflict_is_no_longer_marked(clashed, cli, tmp_path):
    assert cli("resolve", clashed, "C-001", "--take", "theirs").code == 0
    line = next(x for x in cli("list", clashed, "risks").out.splitlines()
                if x.startswith("R-003"))
    assert "conflict" not in line and "[Chief Finance Officer]" in line
    risks = {r["ref"]: r for r in json.loads(cli("list", clashed, "risks", "--json").out)}
    assert risks["R-003"]["conflicts"] == []
    assert risks["R-002"]["conflicts"] == [{"field": "likelihood", "ref": "C-002"}]

    report = tmp_path / "after.docx"
    assert cli("report", clashed, "-o", report).code == 0
    owner_rows = cells_with(report, "Chief Finance Officer")
    r3 = next(row for row in owner_rows if row[0] == "R-003")
    assert MARK not in " ".join(r3)
    log = tmp_path / "after.xlsx"
    assert cli("export", clashed, "risk-log", "-o", log).code == 0
    ws = openpyxl.load_workbook(log)["Risk log"]
    row = next(r for r in ws.iter_rows(values_only=True) if r[0] == "R-003")
    assert row[3] == "Chief Finance Officer"


# --- the Word report ----------------------------------------------------------------------------


def test_report_marks_the_right_risk_and_field(clashed, cli, tmp_path):
    report = tmp_path / "board.docx"
    assert cli("report", clashed, "--style", "coventry", "-o", report).code == 0
    log_rows = {row[0]: row for row in cells_with(report, "x") if row[0].startswith("R-")}
    # R-003's owner cell carries the mark after the value; its other cells do not.
    r3 = log_rows["R-003"]
    assert r3[2] == "Programme Director\n(not yet agreed: two copies differ, see C-001)"
    assert MARK not in r3[1] and MARK not in r3[4] and MARK not in r3[7]
    # R-002's current score is in conflict: that cell, not the owner's.
    r2 = log_rows["R-002"]
    assert r2[4].endswith("(not yet agreed: two copies differ, see C-002)")
    assert r2[4].startswith("4 x 4 = 16")
    assert MARK not in r2[2] and MARK not in r2[3]
    assert not any(MARK in " ".join(row) for ref, row in log_rows.items()
                   if ref not in ("R-002", "R-003"))
    # Feedback: the action taken, in the appendix.
    fb = cells_with(report, "A clause on local suppliers went in.")
    assert fb and fb[0][2].endswith("see C-003)") and MARK not in fb[0][1]
    # A note in plain words under the tables, and the heat map says the score is unsettled.
    text = "\n".join(paragraphs(report))
    assert "held differently in two copies of the register" in text
    assert "current score of R-002 is not yet agreed" in text


def test_durham_names_a_field_its_table_does_not_show(clashed, cli, tmp_path):
    report = tmp_path / "durham.docx"
    assert cli("report", clashed, "--style", "durham", "-o", report).code == 0
    rows = cells_with(report, "R-003: current score")
    assert rows[0][0].endswith("(not yet agreed: owner differs between two copies, "
                               "see C-001)")


def test_risk_log_cell_has_the_mark(clashed, cli, tmp_path):
    log = tmp_path / "log.xlsx"
    result = cli("export", clashed, "risk-log", "-o", log)
    assert result.code == 0
    assert "R-002, R-003" in result.out + result.err
    wb = openpyxl.load_workbook(log)
    ws = wb["Risk log"]
    heads = [" ".join(str(c).split()) for c in next(ws.iter_rows(values_only=True))]
    rows = {r[0]: dict(zip(heads, r, strict=True)) for r in ws.iter_rows(min_row=2,
                                                                         values_only=True)}
    assert rows["R-003"]["Owner"] == \
        "Programme Director\n(not yet agreed: two copies differ, see C-001)"
    assert rows["R-002"]["Current likelihood"] == \
        "4\n(not yet agreed: two copies differ, see C-002)"
    assert rows["R-002"]["Owner"] == "Head of Communications and Engagement"
    assert rows["R-001"]["Current likelihood"] == 4
    key = [r[0] for r in wb["Key"].iter_rows(values_only=True)]
    assert "Not yet agreed" in key


# --- minutes ------------------------------------------------------------------------------------


def test_minutes_mark_a_minute_and_decision_in_conflict(demo_copy, tmp_path, cli):
    ann, ben = tmp_path / "ann.oohdesk", tmp_path / "ben.oohdesk"
    for copy in (ann, ben):
        assert cli("copy", demo_copy, copy).code == 0
    minute(ann, "ann", "The board heard the update from the programme director.",
           ["To note the progress made."])
    minute(ben, "ben", "The board heard the update and asked questions.",
           ["To ask for a further report."])
    refs = merge(ann, ben).conflicts
    assert len(refs) == 2
    out = tmp_path / "minutes.docx"
    assert cli("minutes", ann, "--meeting", MEETING, "-o", out).code == 0
    text = paragraphs(out)
    at = text.index("The board heard the update from the programme director.")
    assert text[at + 1] == f"(not yet agreed: two copies differ, see {refs[0]})" or \
        text[at + 1] == f"(not yet agreed: two copies differ, see {refs[1]})"
    assert sum(MARK in p for p in text) >= 3  # the minute, the decision, the note
    decided = text.index(next(p for p in text if "note the progress made" in p))
    assert MARK in text[decided + 1]
    # A report's decisions block marks the same decision.
    with Register.open(ann, readonly=True) as reg:
        data = report_data(reg)
    marked = [(text, refs) for (_, text), refs in zip(data.decisions, data.decision_conflicts,
                                                      strict=True) if refs]
    assert len(marked) == 1 and marked[0][0] == "To note the progress made."


def test_a_marked_risk_log_imports_back_without_its_marks(clashed, cli, tmp_path):
    """The marks are not values: a log written while copies disagreed, imported back into
    its own register, changes nothing."""
    log = tmp_path / "log.xlsx"
    assert cli("export", clashed, "risk-log", "-o", log).code == 0
    result = cli("import", clashed, log, "--dry-run", "--json")
    data = json.loads(result.out)
    assert data["counts"]["updated"] == 0, [r for r in data["rows"] if r["outcome"] != "unchanged"]
    assert data["counts"]["refused"] == 0
    assert any("not yet agreed" in line for line in data["readings"])
