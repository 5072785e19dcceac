"""Each view of the desktop app on a small register (not the whole app): what it shows, edits
reaching the register through the undo stack, and invalid input shown at the field, unwritten."""

from __future__ import annotations

import gui_support
import pytest
from PySide6.QtCore import Qt

from ooh_desk.domain.records import action_overdue, milestone_rag
from ooh_desk.gui.views.actions import ActionsView
from ooh_desk.gui.views.dashboard import DashboardView
from ooh_desk.gui.views.engagement import EngagementView
from ooh_desk.gui.views.milestones import MilestonesView
from ooh_desk.gui.views.papers import PapersView
from ooh_desk.gui.views.risks import RisksView
from ooh_desk.store import history, records
from ooh_desk.store.queries import risk_matrix

pytestmark = pytest.mark.gui


def shown(qtbot, widget):
    return gui_support.shown(qtbot, widget, size=(1200, 800))


def test_dashboard_shows_counts_heat_map_and_what_needs_attention(qtbot, edits, reg):
    view = shown(qtbot, DashboardView(edits))
    assert view.heat_map.counts == risk_matrix(reg)
    assert sum(view.heat_map.counts.values()) == 18  # two of the twenty risks are closed
    as_at = reg.default_as_at()
    overdue = [a.ref for a in records.all_records(reg, "actions") if action_overdue(a, as_at)]
    assert len(overdue) >= 4
    assert f"{records.total_records(reg, 'risks')} risks" in view.counts.text()
    assert f"{len(overdue)} overdue" in view.counts.text()
    bands = {view.bands.rows[n][0]: view.bands.rows[n][1] for n in range(view.bands.rowCount())}
    assert bands == {"Extreme": "3", "High": "9", "Moderate": "4", "Low": "2"}
    red = [m.ref for m in records.all_records(reg, "milestones") if milestone_rag(m, as_at).status == "Red"]
    assert [row[0] for row in view.milestones.rows if row[3] == "Red"] == red
    assert {row[3] for row in view.milestones.rows} <= {"Red", "Amber"}
    assert [row[0] for row in view.actions.rows] == overdue
    assert {row[4] for row in view.actions.rows} == {"Overdue"}
    image = view.heat_map.grab().toImage()
    assert not image.isNull() and image.width() >= 420


def test_risks_lower_a_likelihood_then_undo_and_redo_reach_the_register(qtbot, edits, reg):
    view = shown(qtbot, RisksView(edits))
    view.select_ref("R-003")
    assert view.current_risk.ref == "R-003"
    assert view.current.result.text() == "Score 16: Extreme"
    view.current.likelihood.setFocus()
    qtbot.keyClick(view.current.likelihood, Qt.Key.Key_Up)  # 4 Likely -> 3 Possible
    assert records.get_record(reg, "risks", "R-003").current.likelihood == 3
    assert view.current.result.text() == "Score 12: High"
    assert edits.stack.undoText().startswith("Current rating of R-003")
    changes = [h for h in history.changes(reg, "risks") if h["ref"] == "R-003" and h["field"] == "likelihood"]
    assert (changes[-1]["old"], changes[-1]["new"]) == ("4", "3")
    edits.stack.undo()
    assert records.get_record(reg, "risks", "R-003").current.likelihood == 4
    assert view.current.result.text() == "Score 16: Extreme"
    edits.stack.redo()
    assert records.get_record(reg, "risks", "R-003").current.likelihood == 3


def test_half_a_rating_is_shown_at_the_field_and_not_written(qtbot, edits, reg):
    view = shown(qtbot, RisksView(edits))
    view.select_ref("R-001")
    view.current.likelihood.setFocus()
    qtbot.keyClick(view.current.likelihood, Qt.Key.Key_Home)  # "(no likelihood)"
    assert "Choose a likelihood too" in view.current.message.text()
    assert records.get_record(reg, "risks", "R-001").current.likelihood == 4
    assert edits.stack.count() == 0


def test_risks_filter_and_search(qtbot, edits):
    view = shown(qtbot, RisksView(edits))
    view.band.setCurrentIndex(view.band.findData("Extreme"))
    assert view.model.total() == 3
    assert view.shown.text() == "3 of 20 risks shown"
    view.band.setCurrentIndex(0)
    qtbot.keyClicks(view.search, "TUPE")
    qtbot.waitUntil(lambda: view.model.total() == 1)
    assert view.current_risk.ref == "R-001"


def test_milestone_dates_typed_as_people_write_them(qtbot, edits, reg):
    view = shown(qtbot, MilestonesView(edits))
    row = view.model.row_of("M-013")
    view.table.selectRow(view.proxy.mapFromSource(view.model.index(row, 0)).row())
    assert view.milestone.ref == "M-013"
    field = view.forecast.edit
    field.selectAll()
    qtbot.keyClicks(field, "Smarch 2017")
    assert view.forecast.meaning.text().startswith("Not understood")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert records.get_record(reg, "milestones", "M-013").forecast.text != "Smarch 2017"
    assert edits.stack.count() == 0
    field.selectAll()
    qtbot.keyClicks(field, "Early March 2018")
    assert view.forecast.meaning.text() == "Means 1 March 2018 to 10 March 2018"
    qtbot.keyClick(field, Qt.Key.Key_Return)
    saved = records.get_record(reg, "milestones", "M-013").forecast
    assert (saved.earliest.isoformat(), saved.latest.isoformat()) == ("2018-03-01", "2018-03-10")
    assert view.rag.text().startswith("Red: Forecast")  # later than its December baseline
    edits.stack.undo()
    assert records.get_record(reg, "milestones", "M-013").forecast.text.startswith("December")


def test_engagement_we_did_saved_with_enter(qtbot, edits, reg):
    view = shown(qtbot, EngagementView(edits))
    view.events_table.selectRow(0)
    assert view.model.total() == 6  # the market engagement event's comments
    row = view.model.row_of("F-003")
    view.table.selectRow(view.proxy.mapFromSource(view.model.index(row, 0)).row())
    assert view.feedback.ref == "F-003"
    view.we_did.clear()
    qtbot.keyClicks(view.we_did, "The specification now sets out what practices will provide.")
    qtbot.keyClick(view.we_did, Qt.Key.Key_Return)
    saved = records.get_record(reg, "feedback", "F-003")
    assert saved.action_taken.startswith("The specification now sets out")
    assert saved.status == "actioned"


def test_actions_overdue_in_words_and_status_change(qtbot, edits, reg):
    view = shown(qtbot, ActionsView(edits))
    as_at = reg.default_as_at()
    overdue = [a.ref for a in records.all_records(reg, "actions") if action_overdue(a, as_at)]
    view.overdue_only.setChecked(True)
    assert view.proxy.rowCount() == len(overdue) >= 2
    view.table.selectRow(0)
    assert view.action.ref == "A-003"
    view.status.setFocus()
    view.status.setCurrentIndex(view.status.findData("complete"))
    view.status.activated.emit(view.status.currentIndex())
    assert records.get_record(reg, "actions", "A-003").status == "complete"
    assert view.proxy.rowCount() == len(overdue) - 1  # no longer overdue once complete


def test_papers_view_writes_the_risk_log_off_the_gui_thread(qtbot, edits, reg, tmp_path, monkeypatch):
    import openpyxl
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    view = shown(qtbot, PapersView(edits))
    qtbot.waitUntil(lambda: "1 Purpose" in view.outline.toPlainText(), timeout=30000)
    out = tmp_path / "log.xlsx"
    task = view.write_risk_log(out)
    with qtbot.waitSignal(task.finished, timeout=60000) as blocker:
        pass
    assert blocker.args[0] == "done", blocker.args
    cells = [c.value for ws in openpyxl.load_workbook(out).worksheets for row in ws.iter_rows()
             for c in row]
    assert "R-003" in cells
    assert view.result.text() == f"Wrote {out}"


def test_papers_view_writes_the_word_report_in_the_chosen_style(qtbot, edits, reg, tmp_path,
                                                                 monkeypatch):
    import docx
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    view = shown(qtbot, PapersView(edits))
    view.style.setCurrentIndex(view.style.findData("durham"))
    qtbot.waitUntil(lambda: "Purpose of the Report" in view.outline.toPlainText(), timeout=30000)
    out = tmp_path / "report.docx"
    task = view.write_report(out)
    with qtbot.waitSignal(task.finished, timeout=120000) as blocker:
        pass
    assert blocker.args[0] == "done", blocker.args
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Purpose of the Report" in text
    assert view.result.text() == f"Wrote {out}"


def test_papers_view_reports_a_failure_in_words(qtbot, edits, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    view = shown(qtbot, PapersView(edits))
    task = view.write_risk_log(tmp_path / "no such folder" / "log.xlsx")
    with qtbot.waitSignal(task.finished, timeout=60000) as blocker:
        pass
    assert blocker.args[0] == "failed"
    assert warnings and warnings[0].startswith("Nothing was written:")
    assert not (tmp_path / "no such folder").exists()


def test_a_write_the_register_refuses_is_reported_and_not_put_on_the_undo_stack(qtbot, edits, reg,
                                                                                  monkeypatch):
    from ooh_desk.services import records as record_services
    from ooh_desk.store import RegisterInUse

    def in_use(*args, **kwargs):
        raise RegisterInUse(f"the register {reg.path} is in use by another program")

    monkeypatch.setattr(record_services, "save_record", in_use)
    view = shown(qtbot, RisksView(edits))
    view.select_ref("R-001")
    with qtbot.waitSignal(edits.failed) as blocker:
        view.current.likelihood.setFocus()
        qtbot.keyClick(view.current.likelihood, Qt.Key.Key_Up)
    assert "in use by another program" in blocker.args[0]
    assert edits.stack.count() == 0
    assert records.get_record(reg, "risks", "R-001").current.likelihood == 4
    assert view.current.likelihood.currentData() == 4  # the picker shows what is stored
