"""The Qt models over the register: Qt's model tester on each, lazy fetching, sorting and
filtering over the whole register, and derived words (band, RAG, overdue) from the domain."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from ooh_desk.domain.records import action_overdue, milestone_rag
from ooh_desk.gui.models import (
    ActionModel,
    EventModel,
    FeedbackModel,
    ListTableModel,
    MilestoneModel,
    MitigationModel,
    RecordProxy,
    RiskModel,
    ScoreHistoryModel,
)
from ooh_desk.gui.models import records as record_models
from ooh_desk.store import Register, history, records

pytestmark = pytest.mark.gui


@pytest.fixture
def demo(demo_copy):
    with Register.open(demo_copy) as reg:
        yield reg


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(record_models, "PAGE_SIZE", 7)


def texts(model, column):
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


@pytest.mark.parametrize("cls", [RiskModel, MilestoneModel, FeedbackModel, ActionModel])
def test_record_models_pass_the_model_tester(qtmodeltester, demo, small_pages, cls):
    model = cls(demo)
    qtmodeltester.check(model)
    model.fetch_all()  # the tester stays attached and checks every page inserted
    assert model.rowCount() == model.total() > 7


@pytest.mark.parametrize("cls", [RiskModel, MilestoneModel, FeedbackModel, ActionModel])
def test_record_proxies_pass_the_model_tester(qtmodeltester, demo, small_pages, cls):
    qtmodeltester.check(RecordProxy(cls(demo)))


@pytest.mark.parametrize("cls", [RiskModel, MilestoneModel, FeedbackModel, ActionModel])
def test_record_models_on_an_empty_register(qtmodeltester, register, cls):
    with Register.open(register) as reg:
        model = cls(reg)
        qtmodeltester.check(model)
        assert model.rowCount() == 0 and not model.canFetchMore()


def test_small_models_pass_the_model_tester(qtmodeltester, demo):
    qtmodeltester.check(EventModel(demo))
    risk = records.get_record(demo, "risks", "R-003")
    mitigations = MitigationModel()
    mitigations.show(risk)
    assert mitigations.rowCount() == len(risk.mitigations) > 0
    qtmodeltester.check(mitigations)
    scores = ScoreHistoryModel()
    scores.show(history.score_history(demo, risk.uuid), demo.programme.bands)
    assert scores.rowCount() >= 2
    qtmodeltester.check(scores)
    listing = ListTableModel(["A", "B"])
    listing.set_rows([("x", "y")], {(0, 1): "FF0000"})
    qtmodeltester.check(listing)
    assert isinstance(listing.data(listing.index(0, 1), Qt.ItemDataRole.BackgroundRole), QColor)


def test_models_fetch_a_page_at_a_time(demo, small_pages):
    model = FeedbackModel(demo)
    assert model.total() == records.total_records(demo, "feedback") == 30
    assert model.rowCount() == 7 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 14
    model.fetch_all()
    assert model.rowCount() == 30 and not model.canFetchMore()
    assert len(set(texts(model, 0))) == 30  # pages neither overlap nor skip


def test_sorting_is_over_the_whole_register_not_the_rows_fetched(demo, small_pages):
    model = RiskModel(demo)
    proxy = RecordProxy(model)
    score_column = [c.title for c in model.columns].index("Score")
    proxy.sort(score_column, Qt.SortOrder.DescendingOrder)
    best = max(r.current.score for r in records.all_records(demo, "risks") if r.current)
    assert model.rowCount() == 7
    assert proxy.record(0).risk.current.score == best
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    assert proxy.record(0).ref == "R-001"


def test_risks_filter_by_band_and_search_through_full_text(demo):
    model = RiskModel(demo)
    band_column = [c.title for c in model.columns].index("Band")
    model.set_filter("band", "Extreme")
    assert model.rowCount() == 3
    assert set(texts(model, band_column)) == {"Extreme"}
    colour = model.data(model.index(0, band_column), Qt.ItemDataRole.BackgroundRole)
    assert colour.name().upper() == "#FF0000"
    model.set_filter("band", None)
    model.set_query(search="tup")  # a prefix, as typed so far
    assert texts(model, 0) == ["R-001"]
    model.set_query(search="")
    model.set_filter("status", "closed")
    assert sorted(texts(model, 0)) == ["R-011", "R-017"]


def test_milestone_rag_and_action_overdue_come_from_the_domain(demo):
    as_at = demo.default_as_at()
    milestones = MilestoneModel(demo)
    rag_column = [c.title for c in milestones.columns].index("RAG")
    for row in range(milestones.rowCount()):
        m = milestones.record(row).milestone
        assert milestones.data(milestones.index(row, rag_column)) == milestone_rag(m, as_at).status
    assert "Red" in texts(milestones, rag_column)
    actions = ActionModel(demo)
    overdue_column = [c.title for c in actions.columns].index("Overdue")
    expected = ["Overdue" if action_overdue(a, as_at) else "" for a in records.all_records(demo, "actions")]
    assert texts(actions, overdue_column) == expected
    assert expected.count("Overdue") >= 2


def test_proxy_predicate_hides_rows_by_a_derived_rule(demo, small_pages):
    actions = ActionModel(demo)
    proxy = RecordProxy(actions)
    assert isinstance(proxy, QSortFilterProxyModel)
    proxy.set_predicate(lambda row: row.overdue)
    as_at = demo.default_as_at()
    overdue = [a.ref for a in records.all_records(demo, "actions") if action_overdue(a, as_at)]
    assert [proxy.record(n).ref for n in range(proxy.rowCount())] == overdue
    proxy.set_predicate(None)
    assert proxy.rowCount() == records.total_records(demo, "actions") > len(overdue)
