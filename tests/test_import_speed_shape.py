"""What a large import must still do now that it writes in batches: every row its own ref,
rows without a ref numbered on in turn, one audit row per record created or field changed,
the search index in step, and nothing written when any row is refused. Behaviour only: the
timings are bench/import_bench.py's."""

from __future__ import annotations

import sqlite3

from conftest import write_csv

from ooh_desk.domain.records import Mitigation, Risk, ref_number
from ooh_desk.domain.scoring import Rating
from ooh_desk.store import Register, history, records
from ooh_desk.store.queries import RecordQuery, count_records

FEEDBACK = 2000
RISKS = 300


def _feedback_csv(path, rows: int = FEEDBACK, start: int = 1):
    lines = ["event,route,date,stakeholder_group,comment,themes,action_taken,status"]
    lines += [f'Drop-in {n % 9},survey,{n % 28 + 1:02d}/09/2017,Carers,"Comment {n}: later '
              f'opening, please",Access; Travel,,open' for n in range(start, start + rows)]
    return write_csv(path, "\n".join(lines) + "\n")


def _risks_csv(path, rows: int = RISKS, controls: str = "Monthly review"):
    lines = ["ref,title,owner,likelihood,impact,controls,mitigations"]
    lines += [f'R-{n:04d},Risk {n} to the programme,Owner {n % 7},{n % 5 + 1},{n % 4 + 1},'
              f'{controls},"- First step {n}\n- Second step"' for n in range(1, rows + 1)]
    return write_csv(path, "\n".join(lines) + "\n")


def _audit(register, kind: str) -> list[dict]:
    with Register.open(register, readonly=True) as reg:
        return history.changes(reg, kind)


def test_ref_less_rows_take_distinct_consecutive_refs(cli, register, tmp_path):
    result = cli("import", register, _feedback_csv(tmp_path / "a.csv"))
    assert result.code == 0, result.err
    assert f"Imported: {FEEDBACK} new, 0 updated" in result.out
    more = cli("import", register, _feedback_csv(tmp_path / "b.csv", rows=3, start=FEEDBACK + 1))
    assert more.code == 0, more.err
    with Register.open(register, readonly=True) as reg:
        stored = records.all_records(reg, "feedback")
    numbers = sorted(ref_number("F", f.ref) for f in stored)
    assert numbers == list(range(1, FEEDBACK + 4))
    by_ref = {f.ref: f.comment for f in stored}
    assert by_ref["F-001"].startswith("Comment 1:")
    assert by_ref["F-2000"].startswith("Comment 2000:")
    assert by_ref["F-2003"].startswith(f"Comment {FEEDBACK + 3}:")


def test_each_imported_record_has_one_created_audit_row(cli, register, tmp_path):
    assert cli("import", register, _risks_csv(tmp_path / "r.csv")).code == 0
    assert cli("import", register, _feedback_csv(tmp_path / "f.csv")).code == 0
    for kind, rows in (("risks", RISKS), ("feedback", FEEDBACK)):
        created = [a for a in _audit(register, kind) if a["new"] == "created"]
        assert len(created) == rows
        assert len({a["uuid"] for a in created}) == rows
    with Register.open(register, readonly=True) as reg:
        risks = records.all_records(reg, "risks")
        scores = history.scores_by_risk(reg)
        audited = {a["uuid"]: a["ref"] for a in history.changes(reg, "risks")}
    assert {r.uuid: r.ref for r in risks} == audited
    assert all(scores[r.uuid] == [r.current.score] for r in risks)
    assert all([m.description for m in r.mitigations] ==
               [f"First step {ref_number('R', r.ref)}", "Second step"] for r in risks)


def test_a_second_import_of_the_same_file_is_all_unchanged(cli, register, tmp_path):
    risks, feedback = _risks_csv(tmp_path / "r.csv"), _feedback_csv(tmp_path / "f.csv")
    for source in (risks, feedback):
        assert cli("import", register, source).code == 0
    before = _audit(register, None)
    for source, rows in ((risks, RISKS), (feedback, FEEDBACK)):
        result = cli("import", register, source)
        assert result.code == 0, result.err
        assert f"Imported: 0 new, 0 updated, {rows} unchanged, 0 refused" in result.out
    assert _audit(register, None) == before


def test_an_updating_import_rewrites_rows_in_place_with_search_in_step(cli, register,
                                                                         tmp_path):
    assert cli("import", register, _risks_csv(tmp_path / "a.csv")).code == 0
    with Register.open(register, readonly=True) as reg:
        before = {r["ref"]: (r["uuid"], r["created"]) for r in reg.db["risks"].rows}
    result = cli("import", register, _risks_csv(tmp_path / "b.csv", controls="Weekly huddle"))
    assert result.code == 0, result.err
    assert f"Imported: 0 new, {RISKS} updated, 0 unchanged" in result.out
    with Register.open(register, readonly=True) as reg:
        after = {r["ref"]: (r["uuid"], r["created"]) for r in reg.db["risks"].rows}
        assert after == before  # the same rows, not new ones
        assert count_records(reg, RecordQuery("risks", search="huddle")) == RISKS
        assert count_records(reg, RecordQuery("risks", search="monthly")) == 0
        assert {r.controls for r in records.all_records(reg, "risks")} == {"Weekly huddle"}
    changed = [a for a in _audit(register, "risks") if a["field"] == "controls"]
    assert len(changed) == RISKS
    assert {(a["old"], a["new"]) for a in changed} == {("Monthly review", "Weekly huddle")}
    conn = sqlite3.connect(register)
    try:
        conn.execute("insert into risks_fts(risks_fts) values ('integrity-check')")
    finally:
        conn.close()


def test_one_refused_row_at_the_end_of_a_long_file_writes_nothing(cli, register, tmp_path):
    source = _feedback_csv(tmp_path / "f.csv")
    text = source.read_text(encoding="utf-8") + "Drop-in 1,survey,31/02/2017,Carers,Late,,,open\n"
    source.write_text(text, encoding="utf-8")
    result = cli("import", register, source)
    assert result.code == 1
    assert f"row {FEEDBACK + 2}" in result.err and "Traceback" not in result.err
    with Register.open(register, readonly=True) as reg:
        assert records.total_records(reg, "feedback") == 0
        assert history.changes(reg, "feedback") == []


def test_batches_fit_a_small_sqlite_parameter_limit(register):
    """Some SQLite builds allow 999 parameters to a statement: a batch of 27-column risk
    rows must be cut to fit, not refused by SQLite."""
    with Register.open(register) as reg:
        reg.db.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
        risks = [Risk(ref=f"R-{n:03d}", title=f"Risk {n}", current=Rating(2, 3),
                      mitigations=[Mitigation(f"Step {n}")]) for n in range(1, 251)]
        changes = records.save_records(reg, "risks", risks)
        assert [c.outcome for c in changes] == ["new"] * 250
        risks[0].title = "Risk one, renamed"
        changes = records.save_records(reg, "risks", risks)
        assert [c.outcome for c in changes].count("updated") == 1
        stored = records.all_records(reg, "risks")
    assert len(stored) == 250 and stored[0].title == "Risk one, renamed"
    assert all(len(r.mitigations) == 1 for r in stored)


def test_each_cell_is_read_as_itself_however_often_its_value_repeats():
    """Ratings and dates are read once per distinct value; a refused value is refused on
    every row it is on, and 1, 1.0 and True are three values, not one."""
    from ooh_desk.domain.records import FieldReader, build_risk

    def read(likelihood, raised="31/10/2017"):
        reader = FieldReader({"title": "A risk", "likelihood": likelihood, "impact": 2,
                              "raised": raised}, "row")
        return build_risk(reader, "R-001"), reader.problems

    for _ in range(2):
        assert read(1)[0].current == Rating(1, 2)
        assert read(1.0)[0].current == Rating(1, 2)
        assert read("1")[0].current == Rating(1, 2)
        risk, problems = read(True)
        assert risk.current is None and "True is not a likelihood" in problems[0].message
        risk, problems = read(1, raised="31/02/2017")
        assert risk.raised is None and len(problems) == 1
        assert read(1)[0].raised.text == "31 October 2017"


def test_rows_and_their_history_go_in_a_few_statements_not_one_a_row(register):
    """The search index behind risks and feedback is flushed once a statement: writing a
    statement a row (or a hundred) made it most of the cost of a large import."""
    from ooh_desk.domain.records import FeedbackItem

    items = [FeedbackItem(ref=f"F-{n:04d}", comment=f"Comment {n}") for n in range(1, 2001)]
    with Register.open(register) as reg:
        statements: list[str] = []
        execute = reg.db.conn.execute

        def counted(sql, *args):
            statements.append(sql)
            return execute(sql, *args)

        reg.db.conn.execute = counted
        records.save_records(reg, "feedback", items)
        del reg.db.conn.execute
        assert records.total_records(reg, "feedback") == 2000
        assert len(history.changes(reg, "feedback")) == 2000
    inserts = [s for s in statements if s.lower().lstrip().startswith("insert")]
    assert 2 <= len(inserts) <= 6


def test_the_cycle_collector_is_paused_while_rows_are_read_and_left_as_found(
        cli, register, tmp_path, monkeypatch):
    import gc

    from ooh_desk.domain import records as domain_records

    seen = []
    build = domain_records.BUILDERS["feedback"]

    def watching(reader, ref):
        seen.append(gc.isenabled())
        return build(reader, ref)

    monkeypatch.setitem(domain_records.BUILDERS, "feedback", watching)
    assert gc.isenabled()
    assert cli("import", register, _feedback_csv(tmp_path / "a.csv", rows=5)).code == 0
    assert seen == [False] * 5 and gc.isenabled()
    gc.disable()
    try:
        assert cli("import", register, _feedback_csv(tmp_path / "b.csv", rows=5, start=6)).code == 0
        assert not gc.isenabled()  # a caller that paused it keeps it paused
    finally:
        gc.enable()
