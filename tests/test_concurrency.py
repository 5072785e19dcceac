"""Two writers at once: each user action takes the register's write lock before it reads
anything its writes depend on (the next free ref, what is new or updated), so a second
writer either waits and does its whole work on top of the first, or is refused as in use.
Nothing is lost either way."""

from __future__ import annotations

import subprocess
import sys

from conftest import write_csv

from ooh_desk.domain.records import Risk
from ooh_desk.domain.scoring import Rating
from ooh_desk.services import records as record_service
from ooh_desk.services.registers import init_register
from ooh_desk.store import Register, records

ROUNDS = 20
ROWS = 300


def _ref_less_risks(path, tag: str, rows: int = ROWS):
    lines = ["title,owner,likelihood,impact"]
    lines += [f"{tag} risk {n},Owner {n % 7},{n % 5 + 1},{n % 4 + 1}" for n in range(1, rows + 1)]
    return write_csv(path, "\n".join(lines) + "\n")


def _titles(path) -> list[tuple[str, str]]:
    with Register.open(path, readonly=True) as reg:
        return [(r.ref, r.title) for r in records.all_records(reg, "risks")]


def test_two_ref_less_imports_at_once_keep_every_row_exactly_once(tmp_path):
    files = {tag: _ref_less_risks(tmp_path / f"{tag}.csv", tag) for tag in ("first", "second")}
    expected = {tag: {f"{tag} risk {n}" for n in range(1, ROWS + 1)} for tag in files}
    for round_ in range(ROUNDS):
        register = init_register(tmp_path / f"round{round_}.oohdesk", "Race")
        procs = {tag: subprocess.Popen([sys.executable, "-m", "ooh_desk.cli", "import",
                                        str(register), str(source)],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True)
                 for tag, source in files.items()}
        results = {tag: (*p.communicate(timeout=120), p.returncode) for tag, p in procs.items()}
        stored = _titles(register)
        refs = [ref for ref, _ in stored]
        titles = [title for _, title in stored]
        assert len(set(refs)) == len(refs), f"round {round_}: a ref is held twice"
        assert len(set(titles)) == len(titles), f"round {round_}: a title is held twice"
        codes = {tag: code for tag, (_, _, code) in results.items()}
        if set(codes.values()) == {0}:
            assert set(titles) == expected["first"] | expected["second"], f"round {round_}"
            assert len(stored) == 2 * ROWS
            for out, _, _ in results.values():
                assert f"Imported: {ROWS} new, 0 updated" in out, f"round {round_}: {out}"
            continue
        # One was refused as in use, cleanly: exit 1, one line, and only the other's rows.
        assert sorted(codes.values()) == [0, 1], f"round {round_}: {results}"
        refused = next(tag for tag, code in codes.items() if code == 1)
        kept = next(tag for tag in codes if tag != refused)
        err = results[refused][1]
        assert "in use" in err and err.count("\n") == 1 and "Traceback" not in err, err
        assert set(titles) == expected[kept], f"round {round_}"


def test_a_second_import_after_the_first_numbers_on_from_it(cli, register, tmp_path):
    assert cli("import", register, _ref_less_risks(tmp_path / "a.csv", "first", 3)).code == 0
    result = cli("import", register, _ref_less_risks(tmp_path / "b.csv", "second", 3))
    assert result.code == 0, result.err
    assert "Imported: 3 new, 0 updated" in result.out
    assert _titles(register) == [("R-001", "first risk 1"), ("R-002", "first risk 2"),
                                 ("R-003", "first risk 3"), ("R-004", "second risk 1"),
                                 ("R-005", "second risk 2"), ("R-006", "second risk 3")]


def _new_risk(title: str) -> Risk:
    return Risk(ref="", title=title, owner="Programme Manager", current=Rating(3, 3))


def test_two_app_windows_each_creating_a_ref_less_record_get_two_refs(register):
    """Each app window holds its own connection; a new record is given its ref inside the
    write, so neither window's record replaces the other's."""
    with Register.open(register) as one, Register.open(register) as two:
        first, second = _new_risk("Typed in window one"), _new_risk("Typed in window two")
        record_service.save_record(one, "risks", first)
        record_service.save_record(two, "risks", second)
    assert first.ref == "R-001" and second.ref == "R-002"
    assert _titles(register) == [("R-001", "Typed in window one"),
                                 ("R-002", "Typed in window two")]


def test_the_new_record_form_takes_the_ref_free_when_it_is_saved(register, qtbot):
    """A form opened before another window added a risk still makes a new risk of its own."""
    from ooh_desk.gui.edits import Edits
    from ooh_desk.gui.forms import NewRecordDialog
    from ooh_desk.gui.views.risks import NEW_RISK_FIELDS

    with Register.open(register) as one, Register.open(register) as two:
        dialog = NewRecordDialog(Edits(one), "risks", NEW_RISK_FIELDS)
        qtbot.addWidget(dialog)
        assert "R-001" in dialog.ref.text()
        record_service.save_record(two, "risks", _new_risk("Typed in window two"))
        form = dialog.form
        qtbot.keyClicks(form.widgets["title"], "Typed in window one")
        form.widgets["likelihood"].setCurrentIndex(form.widgets["likelihood"].findData(2))
        form.widgets["impact"].setCurrentIndex(form.widgets["impact"].findData(4))
        assert dialog.create(), dialog.problem.text()
        assert dialog.created.ref == "R-002"
        assert dialog.edits.stack.undoText() == "New risk R-002"
    assert _titles(register) == [("R-001", "Typed in window two"),
                                 ("R-002", "Typed in window one")]


def test_a_new_action_arising_and_a_recorded_minute_sheet_number_on(demo_copy, tmp_path):
    """Actions arising take their ref inside the write too, whichever front end adds them."""
    from ooh_desk.services import meetings

    with Register.open(demo_copy) as one, Register.open(demo_copy) as two:
        meeting = meetings.store.find_meeting(one, "CHWB-2017-09-04")
        item = meetings.store.agenda(one, meeting)[0]
        before = records.total_records(one, "actions")
        a = meetings.add_action_arising(one, meeting, item, "Write to the providers")
        b = meetings.add_action_arising(two, meeting, item, "Chase the providers")
        assert a.ref != b.ref
        assert records.total_records(two, "actions") == before + 2


def test_papers_made_from_two_windows_and_the_command_line_get_their_own_refs(register):
    from ooh_desk.domain.papers import Paper
    from ooh_desk.services import papers

    with Register.open(register) as one, Register.open(register) as two:
        typed = Paper(ref="", title="Typed in the app")
        record_service.save_record(one, "papers", typed)
        made = papers.new_paper(two, {"title": "Made by paper new"})
        assert (typed.ref, made.ref) == ("P-001", "P-002")
        assert [p["title"] for p in papers.list_papers(one)] == ["Typed in the app",
                                                                 "Made by paper new"]
