"""Table models over the governance registers (issue 17), each a ListTableModel (a
QAbstractTableModel) read whole through services, with `KeyProxy` to sort and filter them:
strategic objectives and the Board Assurance Framework's principal risks and their sources of
assurance; the forward plan of key decisions with their notice; a committee's registered
interests, a meeting's declarations and the members to ask; and a
paper's options and weighted scoring grid, edited in place as a draft with its totals worked
out live. Bands, ratings and warnings are words as well as colour."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt

from ...domain.assurance import (
    LEVEL_FILLS,
    LINES,
    Assurance,
    Baf,
    PrincipalRisk,
    score_words,
)
from ...domain.board_dates import long_date
from ...domain.interests import Declaration, Interest, InterestFlag, member_key
from ...domain.key_decisions import KeyDecision, NoticeState, notice_state
from ...domain.options import (
    MAX_SCORE,
    TOTAL_WEIGHT,
    Appraisal,
    Option,
    OptionsError,
    Score,
    parse_verdict,
    parse_whole,
    short_verdict,
    total_text,
)
from ...domain.scoring import band
from ..colours import OVERDUE_COLOUR
from .small import AnyIndex, ListTableModel

KEY_ROLE = Qt.ItemDataRole.UserRole + 2
WARNING_FILL = "FFEB9C"  # a pale amber behind a warning, always with its words
RATING_FILLS = {"positive": "C6EFCE", "negative": "FFC7CE", "none": ""}


def _day(value: date | None) -> str:
    return long_date(value) if value else ""


class KeyedModel(ListTableModel):
    """A ListTableModel whose rows' keys (the records shown) are given by KEY_ROLE."""

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == KEY_ROLE:
            valid = index.isValid() and 0 <= index.row() < len(self.keys)
            return self.keys[index.row()] if valid else None
        return super().data(index, role)

    def key(self, row: int) -> Any:
        return self.keys[row] if 0 <= row < len(self.keys) else None

    def row_of(self, match: Callable[[Any], bool]) -> int:
        return next((n for n, k in enumerate(self.keys) if match(k)), -1)


class KeyProxy(QSortFilterProxyModel):
    """Sorts a keyed model by the words shown; an optional predicate on each row's key hides
    rows (the principal risks of one objective)."""

    refit_on_reset = True  # table_view fits the columns to the rows each time they change

    def __init__(self, model: KeyedModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSourceModel(model)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._accept: Callable[[Any], bool] | None = None

    def set_predicate(self, accept: Callable[[Any], bool] | None) -> None:
        self.beginFilterChange()
        self._accept = accept
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: AnyIndex) -> bool:
        if self._accept is None:
            return True
        key = self.sourceModel().key(row)
        return key is not None and self._accept(key)

    def key(self, proxy_row: int) -> Any:
        index = self.index(proxy_row, 0)
        return index.data(KEY_ROLE) if index.isValid() else None

    def row_of(self, match: Callable[[Any], bool]) -> int:
        source = self.sourceModel().row_of(match)
        if source < 0:
            return -1
        return self.mapFromSource(self.sourceModel().index(source, 0)).row()


# --- the Board Assurance Framework ---------------------------------------------------------------


class ObjectiveModel(KeyedModel):
    HEADINGS = ("Ref", "Strategic objective", "Executive lead", "Lead committee",
                "Principal risks")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(self.HEADINGS, parent, stretch_column=1)

    def show(self, baf: Baf) -> None:
        rows = [(o.ref, o.objective, o.lead, o.committee,
                 ", ".join(p.ref for p in baf.for_objective(o)) or "None linked")
                for o in baf.objectives]
        self.set_rows(rows, keys=list(baf.objectives))


class PrincipalRiskModel(KeyedModel):
    """Each open principal risk: its objectives, current and target scores with their bands
    in words (and colour), trend, overall assurance rating and target date."""

    HEADINGS = ("Ref", "Principal risk", "Objectives", "Current", "Target", "Trend",
                "Assurance", "Target date")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(self.HEADINGS, parent)  # every column as wide as its words
        self.baf: Baf | None = None

    def show(self, baf: Baf, bands: Sequence[Any]) -> None:
        self.baf = baf
        rows, fills = [], {}
        for n, p in enumerate(baf.principal):
            r = p.risk
            rows.append((r.ref, r.title, ", ".join(o.ref for o in p.objectives) or "None",
                         score_words(r.current, bands), score_words(r.target, bands),
                         p.trend_words, p.level,
                         (r.target_date.text + (" (passed)" if p.target_passed else ""))
                         if r.target_date else "Not set"))
            for column, rating in ((3, r.current), (4, r.target)):
                if rating is not None:
                    fills[(n, column)] = band(rating.score, bands).colour
            fills[(n, 6)] = LEVEL_FILLS[p.level]
            if p.target_passed:
                fills[(n, 7)] = OVERDUE_COLOUR
        self.set_rows(rows, fills, keys=list(baf.principal))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and index.column() == 6:
            p = self.key(index.row())
            return f"{p.level}: {p.level_reason}" if p else None
        return super().data(index, role)


class AssuranceModel(KeyedModel):
    """One principal risk's sources of assurance, first line first: the control, source,
    date, what it said, and the gaps it shows with where the action closing them stands."""

    HEADINGS = ("Line", "Source of assurance", "Date", "Rating", "Gaps",
                "Action closing them")  # the control it assures is in the pane beside it

    def __init__(self, parent: Any = None) -> None:
        super().__init__(self.HEADINGS, parent, stretch_column=1)
        self.principal: PrincipalRisk | None = None

    def show(self, principal: PrincipalRisk | None) -> None:
        self.principal = principal
        items = list(principal.assurances) if principal else []
        gaps = iter(principal.gaps if principal else [])
        rows, fills = [], {}
        for n, a in enumerate(items):
            states = [next(gaps) for text in (a.gap_in_control, a.gap_in_assurance) if text]
            words = states[0].words if states else (a.action_ref or "")
            said = "; ".join(f"In {kind}: {text}" for kind, text in (
                ("control", a.gap_in_control), ("assurance", a.gap_in_assurance)) if text)
            rows.append((f"Line {a.line}", a.source or a.control, a.date.text if a.date else "",
                         a.rating.capitalize(), said or "None", words))
            if RATING_FILLS.get(a.rating):
                fills[(n, 3)] = RATING_FILLS[a.rating]
            if states and states[0].overdue:
                fills[(n, 5)] = OVERDUE_COLOUR
        # Keys are the rows' places in the risk's own list (the order it is saved in).
        order = sorted(range(len(items)), key=lambda i: (items[i].line, i))
        self.set_rows([rows[i] for i in order],
                      {(order.index(r), c): v for (r, c), v in fills.items()},
                      keys=[i for i in order])

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and index.column() == 0:
            found = self.assurance(index.row())
            return f"Line {found.line}: {LINES[found.line]}" if found else None
        return super().data(index, role)

    def assurance(self, row: int) -> Assurance | None:
        place = self.key(row)
        if self.principal is None or place is None:
            return None
        return self.principal.assurances[place]


# --- key decisions -----------------------------------------------------------------------------


class KeyDecisionModel(KeyedModel):
    """The forward plan: each decision with its clear days of notice and where that notice
    stands as at the register's date, the warning in words (and shaded)."""

    HEADINGS = ("Ref", "Date", "Matter for decision", "Published", "Clear days", "Notice",
                "Status")  # the decision maker and the rest are in the pane beside it

    def __init__(self, parent: Any = None) -> None:
        super().__init__(self.HEADINGS, parent, stretch_column=2)
        self.states: list[NoticeState] = []

    def show(self, decisions: Sequence[KeyDecision], as_at: date) -> None:
        found = sorted(decisions, key=lambda kd: (kd.decision_day or date.max, kd.ref))
        self.states = [notice_state(kd, as_at) for kd in found]
        rows, fills = [], {}
        for n, (kd, state) in enumerate(zip(found, self.states, strict=True)):
            notice = state.status[:1].upper() + state.status[1:]
            rows.append((kd.ref, kd.date.text if kd.date else "", kd.matter,
                         _day(kd.published),
                         "" if state.clear_days is None else str(state.clear_days),
                         f"\u26a0 {notice}" if state.warning else notice,
                         kd.status.capitalize()))
            if state.warning:
                fills[(n, 5)] = WARNING_FILL
        self.set_rows(rows, fills, keys=found)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and index.column() == 5 \
                and index.row() < len(self.states):
            return self.states[index.row()].words
        return super().data(index, role)


# --- interests and declarations --------------------------------------------------------------


class InterestModel(KeyedModel):
    HEADINGS = ("Ref", "Member", "Interest", "Kind", "From", "To")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(self.HEADINGS, parent, stretch_column=2)

    def show(self, interests: Sequence[Interest], members: Sequence[str] | None = None) -> None:
        """The registered interests of `members` (every member's when None)."""
        wanted = {member_key(m) for m in members} if members else None
        shown = [i for i in interests if wanted is None or member_key(i.member) in wanted]
        self.set_rows([(i.ref, i.member, i.interest, i.kind.capitalize(), _day(i.from_date),
                        _day(i.to_date) or "Held") for i in shown], keys=shown)


class DeclarationModel(KeyedModel):
    HEADINGS = ("Item", "Member", "Interest", "Kind", "Action", "What the minutes say")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(self.HEADINGS, parent, stretch_column=5)

    def show(self, declarations: Sequence[Declaration], minutes: Sequence[str]) -> None:
        self.set_rows([(f"{d.item_number} {d.item_title}".strip(), d.member, d.interest,
                        d.kind.capitalize(), d.action.capitalize() or "Not recorded", line)
                       for d, line in zip(declarations, minutes, strict=True)],
                      keys=list(declarations))


class FlagModel(KeyedModel):
    """Members whose registered interests share words with an item: to ask, never decided."""

    HEADINGS = ("Item", "Member", "Registered interest", "Kind", "Words shared")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(self.HEADINGS, parent, stretch_column=2)

    def show(self, flags: Sequence[InterestFlag]) -> None:
        self.set_rows([(f"{f.item_number} {f.item_title}", f.member,
                        f"{f.interest_ref} {f.interest}", f.kind.capitalize(),
                        ", ".join(f.words)) for f in flags], keys=list(flags))


# --- a paper's options appraisal (a draft, edited in place) -------------------------------------


class OptionModel(KeyedModel):
    """The long list of options, each cell edited in place. The verdict is checked as it is
    typed; `problem(text)` says what was not taken, for the editor to show at the table."""

    HEADINGS = ("Option", "Summary", "Benefits", "Risks", "Verdict", "Reason")
    FIELDS = ("name", "summary", "benefits", "risks", "verdict", "reason")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(self.HEADINGS, parent, stretch_column=1)
        self.options: list[Option] = []
        self.problem = ""
        self.edited: Callable[[], None] = lambda: None

    def show(self, options: Sequence[Option]) -> None:
        self.options = list(options)
        self._refresh()

    def _refresh(self) -> None:
        self.set_rows([(o.name, o.summary, o.benefits, o.risks, short_verdict(o.verdict),
                        o.reason) for o in self.options], keys=self.options)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.EditRole and index.isValid() and index.row() < len(self.rows):
            return self.rows[index.row()][index.column()]
        return super().data(index, role)

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() \
                or index.row() >= len(self.options):
            return False
        name, text = self.FIELDS[index.column()], " ".join(str(value or "").split())
        option = self.options[index.row()]
        try:
            if name == "verdict":
                text = parse_verdict(text)
            elif name == "name" and not text:
                raise OptionsError("an option needs a short name")
        except OptionsError as exc:
            self.problem = f"{self.HEADINGS[index.column()]}: {exc}"
            self.edited()
            return False
        self.problem = ""
        old = option.name
        setattr(option, name, text)
        self.rows[index.row()] = (option.name, option.summary, option.benefits, option.risks,
                                  short_verdict(option.verdict), option.reason)
        self.dataChanged.emit(index, index)
        if name == "name" and old != text:
            self.renamed(old, text)
        self.edited()
        return True

    def renamed(self, old: str, new: str) -> None:
        """Set by the editor: the scoring grid follows an option's new name."""

    def add(self, name: str) -> None:
        self.beginInsertRows(QModelIndex(), len(self.options), len(self.options))
        self.options.append(Option(name))
        self.rows.append((name, "", "", "", short_verdict("carried forward"), ""))
        self.keys = self.options
        self.endInsertRows()
        self.edited()

    def remove(self, row: int) -> Option | None:
        if not 0 <= row < len(self.options):
            return None
        self.beginRemoveRows(QModelIndex(), row, row)
        gone = self.options.pop(row)
        self.rows.pop(row)
        self.keys = self.options
        self.endRemoveRows()
        self.edited()
        return gone


class ScoreGridModel(KeyedModel):
    """The weighted scoring grid: a row per criterion (its weight, then a score 0 to 10 per
    option), and a last row of weighted totals worked out live, exactly, as the report prints
    them. A weight or score that is not a whole number in range is not taken: `problem` says
    why; `weight_problem` says when the weights do not total 100."""

    TOTAL_ROW = "Weighted total (out of 10)"

    def __init__(self, parent: Any = None) -> None:
        super().__init__(("Criterion", "Weight"), parent, stretch_column=0)
        self.criteria: list[list[Any]] = []  # [criterion, weight, {option: score}, {option: why}]
        self.option_names: list[str] = []
        self.problem = ""
        self.edited: Callable[[], None] = lambda: None

    def show(self, appraisal: Appraisal, options: Sequence[str]) -> None:
        self.option_names = list(options)
        self.criteria = []
        for criterion, weight in appraisal.criteria():
            scores, why = {}, {}
            for name in self.option_names:
                found = appraisal.score(criterion, name)
                if found is not None:
                    scores[name], why[name] = found.score, found.rationale
            self.criteria.append([criterion, weight, scores, why])
        self._refresh()

    def set_options(self, options: Sequence[str]) -> None:
        self.option_names = list(options)
        self._refresh()

    def rename(self, old: str, new: str) -> None:
        for row in self.criteria:
            for table in (row[2], row[3]):
                if old in table:
                    table[new] = table.pop(old)

    def _refresh(self) -> None:
        self.beginResetModel()  # the columns change with the options: a reset, not a change
        self.headings = ["Criterion", "Weight", *self.option_names]
        self.rows = self._cells()
        self.fills = self._fills()
        self.keys = [None] * len(self.rows)
        self.endResetModel()

    def _cells(self) -> list[tuple[str, ...]]:
        rows = [(c, str(w), *(str(s[n]) if n in s else "" for n in self.option_names))
                for c, w, s, _ in self.criteria]
        if self.criteria:
            appraisal = self.appraisal()
            rows.append((self.TOTAL_ROW, f"{self.weight_total()} of {TOTAL_WEIGHT}",
                         *(total_text(appraisal.total(n)) for n in self.option_names)))
        return rows

    def _fills(self) -> dict[tuple[int, int], str]:
        if not self.criteria:
            return {}
        last = len(self.criteria)
        fills = {(last, 1): WARNING_FILL} if self.weight_total() != TOTAL_WEIGHT else {}
        best = self.appraisal().highest() if self.option_names else []
        for n, name in enumerate(self.option_names, 2):
            if name in best and len(self.criteria):
                fills[(last, n)] = "C6EFCE"
        return fills

    def weight_total(self) -> int:
        return sum(w for _, w, _, _ in self.criteria)

    def weight_problem(self) -> str:
        total = self.weight_total()
        if not self.criteria or total == TOTAL_WEIGHT:
            return ""
        return (f"The weights total {total}, not {TOTAL_WEIGHT}: "
                f"{'add' if total < TOTAL_WEIGHT else 'take off'} "
                f"{abs(TOTAL_WEIGHT - total)} before the appraisal can be saved.")

    def appraisal_scores(self) -> list[Score]:
        return [Score(c, w, name, s[name], why.get(name, ""))
                for c, w, s, why in self.criteria for name in self.option_names if name in s]

    def appraisal(self) -> Appraisal:
        return Appraisal([Option(n) for n in self.option_names], self.appraisal_scores())

    def is_total_row(self, row: int) -> bool:
        return bool(self.criteria) and row == len(self.criteria)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = super().flags(index)
        return flags if self.is_total_row(index.row()) else flags | Qt.ItemFlag.ItemIsEditable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        if role == Qt.ItemDataRole.EditRole:
            return self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() >= 2 \
                and not self.is_total_row(index.row()):
            why = self.criteria[index.row()][3].get(self.option_names[index.column() - 2], "")
            return why or None
        return super().data(index, role)

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() \
                or index.row() >= len(self.criteria):
            return False
        row, column = self.criteria[index.row()], index.column()
        text = " ".join(str(value if value is not None else "").split())
        try:
            if column == 0:
                if not text:
                    raise OptionsError("a criterion needs its words")
                row[0] = text
            elif column == 1:
                row[1] = parse_whole(text, "weight", 0, TOTAL_WEIGHT)
            else:
                name = self.option_names[column - 2]
                if text:
                    row[2][name] = parse_whole(text, "score", 0, MAX_SCORE)
                else:
                    row[2].pop(name, None)
        except OptionsError as exc:
            self.problem = f"{self.headings[column]}, {row[0]}: {exc}"
            self.edited()
            return False
        self.problem = ""
        self.rows = self._cells()
        self.fills = self._fills()
        last = len(self.rows) - 1
        self.dataChanged.emit(index, index)
        self.dataChanged.emit(self.index(last, 0), self.index(last, len(self.headings) - 1))
        self.edited()
        return True

    def add(self, criterion: str, weight: int = 0) -> None:
        self.criteria.append([criterion, weight, {}, {}])
        self._refresh()
        self.edited()

    def remove(self, row: int) -> bool:
        if not 0 <= row < len(self.criteria):
            return False
        self.criteria.pop(row)
        self._refresh()
        self.edited()
        return True


__all__ = ["KEY_ROLE", "AssuranceModel", "DeclarationModel", "FlagModel",
           "InterestModel", "KeyDecisionModel", "KeyProxy", "KeyedModel", "ObjectiveModel",
           "OptionModel", "PrincipalRiskModel", "ScoreGridModel"]
