"""The layout of OOH Desk's own Excel risk log — its sheets and their columns — which
exports/risk_log.py writes and imports/risk_log.py recognises and reads back. Pure data: no
openpyxl, no Qt, no SQL."""

from __future__ import annotations

from dataclasses import dataclass

MAIN_SHEET = "Risk log"
HEAT_MAP_SHEET = "Heat map"
CLOSED_SHEET = "Closed risks"
ACTIONS_SHEET = "Mitigating actions"
KEY_SHEET = "Key"
SHEETS = (MAIN_SHEET, HEAT_MAP_SHEET, CLOSED_SHEET, ACTIONS_SHEET, KEY_SHEET)
KEY_TITLE = "Key to the risk log"  # the Key sheet's A1: with SHEETS, how a log is known again
NO_REASON = "No reason recorded"
NO_CLOSED = "No risks are closed."
CLOSED_RISK_ACTION = "No (risk closed)"  # in the Overdue column: a closed risk chases nothing


@dataclass(frozen=True)
class Column:
    heading: str  # two-line headings use \n; the importer joins them back
    width: float
    kind: str = "text"  # text, number, date, centre


# The main log. It prints two A4 landscape pages wide (the ref and title repeated on the
# second): first the risk, its owner, scores, band and trend; then its category, workstream,
# treatment (the response chosen: Treat, Tolerate, Transfer or Terminate), controls, actions,
# target, review date and status. Columns 1 to LOG_FIRST_PAGE_COLUMNS
# fill the first page at LOG_PRINT_SCALE (9 pt text printing at 8.5 pt). The headings are
# the importer's synonyms, so an exported log imports straight back in any column order.
LOG_COLUMNS: tuple[Column, ...] = (
    Column("Ref", 7, "centre"),
    Column("Risk", 22),
    Column("Description", 34),
    Column("Owner", 13),
    Column("Inherent\nlikelihood", 9, "number"),
    Column("Inherent\nimpact", 8, "number"),
    Column("Inherent\nscore", 8, "number"),
    Column("Current\nlikelihood", 9, "number"),
    Column("Current\nimpact", 8, "number"),
    Column("Current\nscore", 8, "number"),
    Column("Band", 9, "centre"),
    Column("Trend", 10, "centre"),
    Column("Category", 11),
    Column("Workstream", 13),
    Column("Treatment", 10, "centre"),
    Column("Controls", 24),
    Column("Mitigating actions", 34),
    Column("Target\nscore", 8, "centre"),
    Column("Review date", 10, "date"),
    Column("Status", 9, "centre"),
)
LOG_FIRST_PAGE_COLUMNS = 12  # through Trend
LOG_PRINT_TITLE_COLUMNS = "A:B"  # Ref and Risk, on every printed page
LOG_PRINT_SCALE = 95  # per cent
CLOSED_COLUMNS: tuple[Column, ...] = (
    Column("Ref", 8, "centre"), Column("Risk", 40), Column("Owner", 18),
    Column("Last score", 10, "centre"), Column("Band", 10, "centre"),
    Column("Reason closed", 50), Column("Review date", 12, "date"))
ACTION_COLUMNS: tuple[Column, ...] = (
    Column("Risk ref", 8, "centre"), Column("Risk", 32), Column("Mitigating action", 56),
    Column("Owner", 18), Column("Due", 14, "date"), Column("Status", 12, "centre"),
    Column("Overdue", 10, "centre"))
