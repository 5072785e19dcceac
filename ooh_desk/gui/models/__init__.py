"""Qt item models over the register: each reads through ooh_desk.services, a page at a time."""

from .records import (
    ActionModel,
    FeedbackModel,
    MilestoneModel,
    RecordProxy,
    RecordTableModel,
    RiskModel,
)
from .small import EventModel, ListTableModel, MitigationModel, ScoreHistoryModel

__all__ = ["ActionModel", "EventModel", "FeedbackModel", "ListTableModel", "MilestoneModel",
           "MitigationModel", "RecordProxy", "RecordTableModel", "RiskModel",
           "ScoreHistoryModel"]
