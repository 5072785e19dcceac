"""The Meetings view, in parts: `view` the frame (meeting list, agenda table, the tabs, the pack
and minutes buttons), `agenda` the selected item and arranging the agenda, `minutes` the
minute, decisions and actions arising, `attendance` who came; `parts` what they share."""

from .view import MeetingsView

__all__ = ["MeetingsView"]
