"""Qt item models over the register: each reads through ooh_desk.services, a page at a time.

Each name is loaded from its module on first use (PEP 562): the dashboard, drawn at start, needs
only the small list model, not the record tables' models and their proxy."""

from __future__ import annotations

from typing import Any

_MODULE_OF = {"ActionModel": "records", "FeedbackModel": "records", "MilestoneModel": "records",
              "RecordProxy": "records", "RecordTableModel": "records", "RiskModel": "records",
              "EventModel": "small", "ListTableModel": "small", "MitigationModel": "small",
              "ScoreHistoryModel": "small"}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> Any:
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if _MODULE_OF[name] == "records":
        from . import records as module
    else:
        from . import small as module
    return getattr(module, name)
