"""The dashboard: counts, open risks by band, the 5x5 heat map, milestones due or slipped,
overdue actions and what changed since the last report, all as at the register's report date."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.board_dates import long_date
from ...domain.changes import ChangeSummary, describe_since
from ...domain.due import DEFAULT_WITHIN
from ...domain.records import action_overdue, milestone_rag
from ...domain.scoring import IMPACT_LABELS, LIKELIHOOD_LABELS, band
from ...services.due import due_items
from ...services.since import changes_since, last_issue, open_conflicts
from ...store import records
from ...store.queries import risk_matrix
from ..colours import OVERDUE_COLOUR, RAG_COLOURS, fill, ink_for
from ..edits import Edits
from ..models import ListTableModel
from ..models.due import DueModel
from ..tables import table_view


class HeatMap(QWidget):
    """The NHS 5x5 matrix, likelihood up the side and impact along the bottom; each cell
    shows its band in words and how many open risks sit there."""

    def __init__(self, bands: tuple, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bands = bands
        self.counts: dict[tuple[int, int], int] = {}
        self.setAccessibleName("Risk heat map")
        self.setMinimumSize(QSize(420, 300))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_counts(self, counts: dict[tuple[int, int], int]) -> None:
        self.counts = counts
        described = "; ".join(f"likelihood {lk} impact {im}: {n}"
                              for (lk, im), n in sorted(counts.items(), reverse=True))
        self.setAccessibleDescription(f"Open risks on the 5x5 matrix. {described or 'None'}")
        self.update()

    def paintEvent(self, event: object) -> None:
        p = QPainter(self)
        metrics = self.fontMetrics()
        left = metrics.horizontalAdvance("Almost certain") + 34
        bottom = metrics.height() * 2 + 14
        width = max(self.width() - left - 8, 50)
        height = max(self.height() - bottom - 8, 50)
        cell_w, cell_h = width / 5, height / 5
        small = QFont(self.font())
        small.setPointSizeF(max(self.font().pointSizeF() - 1, 7))
        bold = QFont(self.font())
        bold.setBold(True)
        for likelihood in range(1, 6):
            y = 4 + (5 - likelihood) * cell_h
            for impact in range(1, 6):
                x = left + (impact - 1) * cell_w
                found = band(likelihood * impact, self.bands)
                rect = QRectF(x, y, cell_w, cell_h)
                # The cell filled by its brush, not fillRect: choosing among fillRect's
                # overloads makes PySide build QGradient's hundreds of presets, at start.
                p.setBrush(fill(found.colour))
                p.setPen(QPen(self.palette().window().color(), 2))
                p.drawRect(rect)
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.setPen(ink_for(found.colour))
                count = self.counts.get((likelihood, impact), 0)
                p.setFont(small)
                p.drawText(rect.adjusted(4, 3, -4, -cell_h / 2), Qt.AlignmentFlag.AlignHCenter
                           | Qt.AlignmentFlag.AlignTop, f"{found.name} {likelihood * impact}")
                p.setFont(bold)
                p.drawText(rect.adjusted(4, cell_h / 3, -4, -3), Qt.AlignmentFlag.AlignCenter,
                           f"{count} risk{'s' if count != 1 else ''}" if count else "")
            p.setPen(self.palette().windowText().color())
            p.setFont(self.font())
            p.drawText(QRectF(4, y, left - 10, cell_h),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       f"{likelihood} {LIKELIHOOD_LABELS[likelihood - 1]}")
        p.setPen(self.palette().windowText().color())
        for impact in range(1, 6):
            x = left + (impact - 1) * cell_w
            p.drawText(QRectF(x, 6 + height, cell_w, metrics.height() + 4),
                       Qt.AlignmentFlag.AlignHCenter, f"{impact} {IMPACT_LABELS[impact - 1]}")
        p.drawText(QRectF(left, 8 + height + metrics.height(), width, metrics.height() + 4),
                   Qt.AlignmentFlag.AlignHCenter, "Impact  \u2192")
        p.save()
        p.translate(2, 4 + height / 2)
        p.rotate(-90)
        p.drawText(QRectF(-80, 0, 160, metrics.height() + 4),
                   Qt.AlignmentFlag.AlignHCenter, "Likelihood  \u2192")
        p.restore()
        p.end()


# How each kind of change reads in the panel's "Change" column.
CHANGE_WORDS = {"slipped": "Slipped", "brought forward": "Brought forward",
                "completed": "Completed", "rose": "Risk rose", "fell": "Risk fell",
                "opened": "Reopened", "escalated": "Escalated", "closed": "Closed", "new": "New",
                "deleted": "Deleted", "action completed": "Action completed",
                "overdue": "Became overdue", "actioned": "Feedback actioned"}


class ChangesModel(ListTableModel):
    """The changes since the last report, one per row, each in words."""

    def __init__(self, parent: object = None) -> None:
        super().__init__(["When", "Change", "Ref", "What changed"], parent, stretch_column=3)
        self.summary: ChangeSummary | None = None

    def show(self, summary: ChangeSummary | None) -> None:
        from datetime import date

        self.summary = summary
        changes = summary.changes if summary else []
        self.set_rows([(long_date(date.fromisoformat(c.at[:10])) if c.at else "",
                        CHANGE_WORDS.get(c.change, c.change.capitalize()), c.ref, c.text)
                       for c in changes], keys=[c.ref for c in changes])


class DashboardView(QWidget):
    title = "Dashboard"
    # The user asked to see the conflicts a merge left ("3 conflicts to settle").
    conflicts_requested = Signal()

    def __init__(self, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self.reg = edits.reg
        self.setAccessibleName("Dashboard")
        self.heading = QLabel()
        self.heading.setAccessibleName("Programme and report date")
        self.counts = QLabel()
        self.counts.setAccessibleName("Record counts")
        self.counts.setWordWrap(True)
        # Shown only while a merge has left clashes to settle; opens the Conflicts view.
        self.conflicts = QPushButton()
        self.conflicts.setFlat(True)
        self.conflicts.setCursor(Qt.CursorShape.PointingHandCursor)
        self.conflicts.setStyleSheet("text-align: left; font-weight: bold;")
        self.conflicts.setToolTip("Open the Conflicts view (Ctrl+8)")
        self.conflicts.clicked.connect(self.conflicts_requested.emit)
        self.heat_map = HeatMap(self.reg.programme.bands)
        self.bands = ListTableModel(["Band", "Open risks", "Scores"], stretch_column=2)
        self.milestones = ListTableModel(["Ref", "Milestone", "Due", "RAG", "Why"], stretch_column=4)
        self.actions = ListTableModel(["Ref", "Action", "Owner", "Due", "Overdue"], stretch_column=1)
        self.changes = ChangesModel()
        self.changes_since = QLabel()
        self.changes_since.setAccessibleName("Changes counted since")
        self.changes_since.setWordWrap(True)
        grid = QGridLayout()
        grid.addWidget(self._box("Heat map of open risks (current scores)", self.heat_map), 0, 0, 2, 1)
        self.tables = [table_view(self.bands, "Open risks by band", sortable=False),
                       table_view(self.milestones, "Milestones due or slipped", sortable=False),
                       table_view(self.actions, "Overdue actions", sortable=False),
                       table_view(self.changes, "Changed since last report", sortable=False)]
        band_table = self.tables[0]
        band_table.setMaximumHeight(band_table.verticalHeader().defaultSectionSize() * 5 + 30)
        grid.addWidget(self._box("Open risks by band", band_table), 0, 1)
        grid.addWidget(self._box("Milestones due or slipped", self.tables[1]), 1, 1)
        # What is due or overdue across the register (`ooh-desk due`), beside the overdue
        # actions alone.
        self.due = DueModel()
        self.tables.append(table_view(self.due, "Due and overdue", sortable=False))
        self.due_tabs = QTabWidget()
        self.due_tabs.setAccessibleName("Due and overdue, and overdue actions")
        self.due_tabs.addTab(self.tables[4], "Due and overdue")
        self.due_tabs.addTab(self.tables[2], "Overdue actions")
        grid.addWidget(self.due_tabs, 2, 0)
        changed = QWidget()
        changed_layout = QVBoxLayout(changed)
        changed_layout.setContentsMargins(0, 0, 0, 0)
        changed_layout.addWidget(self.changes_since)
        changed_layout.addWidget(self.tables[3])
        grid.addWidget(self._box("Changed since last report", changed), 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.counts)
        layout.addWidget(self.conflicts, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(grid, 1)
        edits.changed.connect(lambda *_: self.refresh())
        self.refresh()

    @staticmethod
    def _box(title: str, widget: QWidget) -> QGroupBox:
        box = QGroupBox(title)
        box.setAccessibleName(title)
        QVBoxLayout(box).addWidget(widget)
        return box

    def refresh(self) -> None:
        reg = self.reg
        programme = reg.programme
        as_at = reg.default_as_at()
        self.heading.setText(f"<h2>{programme.name}</h2>Position as at {long_date(as_at)}")
        matrix = risk_matrix(reg)
        self.heat_map.bands = programme.bands
        self.heat_map.set_counts(matrix)
        counts = {kind: records.total_records(reg, kind)
                  for kind in ("risks", "milestones", "feedback", "actions")}
        open_risks = sum(matrix.values())
        milestones = records.all_records(reg, "milestones")
        rags = [(m, milestone_rag(m, as_at, programme.rag_tolerance_days,
                                  programme.amber_window_days)) for m in milestones]
        overdue = [a for a in records.all_records(reg, "actions") if action_overdue(a, as_at)]
        red = sum(1 for _, r in rags if r.status == "Red")
        self.counts.setText(
            f"{counts['risks']} risks ({open_risks} open and scored) · {counts['milestones']} "
            f"milestones ({red} red) · {counts['feedback']} feedback comments · "
            f"{counts['actions']} actions ({len(overdue)} overdue)")
        self.due.show(due_items(reg, as_at, DEFAULT_WITHIN))
        late = self.due.overdue()
        self.due_tabs.setTabText(0, f"Due and overdue ({late} overdue, {len(self.due.keys) - late}"
                                    f" due within {DEFAULT_WITHIN} days)")
        self.due_tabs.setTabText(1, f"Overdue actions ({len(overdue)})")
        waiting = open_conflicts(reg)
        words = f"{waiting} conflict{'s' if waiting != 1 else ''} to settle"
        self.conflicts.setText(f"\u26a0 {words}: see the Conflicts view")
        self.conflicts.setAccessibleName(words)
        self.conflicts.setVisible(waiting > 0)
        by_band = {b.name: 0 for b in programme.bands}
        for (likelihood, impact), n in matrix.items():
            by_band[band(likelihood * impact, programme.bands).name] += n
        bands = list(reversed(programme.bands))
        self.bands.set_rows([(b.name, str(by_band[b.name]), f"{b.low} to {b.high}") for b in bands],
                            {(n, 0): b.colour for n, b in enumerate(bands)})
        due = [(m, r) for m, r in rags if r.status in ("Red", "Amber")]
        due.sort(key=lambda mr: (mr[1].status != "Red", mr[0].ref))
        self.milestones.set_rows(
            [(m.ref, m.title, (m.forecast or m.baseline).text if (m.forecast or m.baseline) else "",
              r.status, r.reason) for m, r in due],
            {(n, 3): RAG_COLOURS[r.status] for n, (_, r) in enumerate(due)},
            keys=[m.ref for m, _ in due])
        self.actions.set_rows(
            [(a.ref, a.description, a.owner, a.due.text if a.due else "", "Overdue")
             for a in overdue],
            {(n, 4): OVERDUE_COLOUR for n in range(len(overdue))}, keys=[a.ref for a in overdue])
        if last_issue(reg, as_at) is None:
            # With nothing issued yet, "since the last report" is the whole history, which
            # says nothing new and costs a read of every record on a large register.
            self.changes.show(None)
            self.changes_since.setText("No report has been written from this register before "
                                       f"{long_date(as_at)}; once one is, what changes after "
                                       "it is listed here.")
        else:
            summary = changes_since(reg, as_at=as_at)
            self.changes.show(summary)
            self.changes_since.setText(describe_since(summary) + (
                "" if summary.changes else " Nothing has changed."))
        # Each table fitted its columns to its new rows as its model was reset (table_view).
