"""A paper's options appraisal, as a business case sets it out: the long list of options, each
with its verdict (preferred, carried forward, discounted) and the reason, and the weighted
scoring of the options against critical success factors (weights total 100; each score 0 to
10). Totals are worked out exactly, in whole numbers of hundredths, never in floating point.
Pure: no SQL, no Qt, no files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..errors import UserFacing
from .prose import joined

VERDICTS = ("preferred", "carried forward", "discounted")
_VERDICT_WORDS = {
    "preferred": ("preferred", "preferred option", "recommended", "recommend", "chosen",
                  "preferred way forward", "selected"),
    "carried forward": ("carried forward", "carry forward", "carried", "short list",
                        "shortlist", "shortlisted", "short-listed", "possible", "retained",
                        "kept", "considered further"),
    "discounted": ("discounted", "discount", "rejected", "reject", "ruled out", "not viable",
                   "dropped", "excluded"),
}
TOTAL_WEIGHT = 100
MAX_SCORE = 10


class OptionsError(UserFacing, ValueError):
    """An appraisal that does not add up; the message names the paper."""


def parse_verdict(text: str) -> str:
    key = " ".join(str(text or "").replace("_", " ").lower().split())
    for verdict, words in _VERDICT_WORDS.items():
        if key in words:
            return verdict
    raise OptionsError(f"{text!r} is not a verdict (use preferred, carried forward or "
                       "discounted)")


def parse_whole(value: object, what: str, low: int, high: int) -> int:
    """A weight or a score as typed (7, '7', 7.0, '25%'): a whole number from low to high,
    or OptionsError saying what it must be."""
    if isinstance(value, bool):
        raise OptionsError(f"{value!r} is not a {what}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = str(value if value is not None else "").strip().removesuffix("%").strip()
        if not text:
            raise OptionsError(f"a {what} is needed")
        try:
            exact = Decimal(text)
        except ArithmeticError:
            raise OptionsError(f"{str(value).strip()!r} is not a {what}: write a whole number "
                               f"from {low} to {high}") from None
        if not exact.is_finite() or exact != exact.to_integral_value():
            raise OptionsError(f"{str(value).strip()!r} is not a {what}: write a whole number "
                               f"from {low} to {high}")
        number = int(exact)
    if not low <= number <= high:
        raise OptionsError(f"{number} is not a {what}: it must be from {low} to {high}")
    return number


@dataclass
class Option:
    name: str  # the short name: "Option 1 - Prime contractor"
    summary: str = ""
    benefits: str = ""
    risks: str = ""
    verdict: str = "carried forward"
    reason: str = ""


@dataclass
class Score:
    criterion: str  # a critical success factor
    weight: int  # its share of 100
    option: str  # an option's short name
    score: int  # 0 to 10
    rationale: str = ""


@dataclass
class Appraisal:
    """A paper's options and their scores, in the order typed."""

    options: list[Option] = field(default_factory=list)
    scores: list[Score] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.options and not self.scores

    def criteria(self) -> list[tuple[str, int]]:
        """(criterion, weight) in the order first typed."""
        out: dict[str, int] = {}
        for s in self.scores:
            out.setdefault(s.criterion, s.weight)
        return list(out.items())

    def scored_options(self) -> list[str]:
        """The options the scoring covers: the long list's order, then any scored only."""
        named = [o.name for o in self.options]
        scored = list(dict.fromkeys(s.option for s in self.scores))
        return [n for n in named if _key(n) in {_key(s) for s in scored}] + \
            [s for s in scored if _key(s) not in {_key(n) for n in named}]

    def score(self, criterion: str, option: str) -> Score | None:
        return next((s for s in self.scores if _key(s.criterion) == _key(criterion)
                     and _key(s.option) == _key(option)), None)

    def hundredths(self, option: str) -> int:
        """An option's weighted total in hundredths of a point (out of 1,000): each score
        times its criterion's weight, summed. Whole numbers throughout, so exact."""
        return sum(s.score * s.weight for s in self.scores if _key(s.option) == _key(option))

    def total(self, option: str) -> Decimal:
        """An option's weighted total out of 10, exact: 525 hundredths is Decimal('5.25')."""
        return Decimal(self.hundredths(option)) / 100

    def preferred(self) -> list[Option]:
        return [o for o in self.options if o.verdict == "preferred"]

    def highest(self) -> list[str]:
        """The option(s) with the highest weighted total."""
        names = self.scored_options()
        if not names:
            return []
        best = max(self.hundredths(n) for n in names)
        return [n for n in names if self.hundredths(n) == best]


def _key(name: str) -> str:
    return " ".join(str(name or "").lower().split())


def total_text(value: Decimal) -> str:
    """A weighted total as printed: two decimal places, 5.25, 7.00."""
    return f"{value.quantize(Decimal('0.01'))}"


def check_appraisal(appraisal: Appraisal, paper: str) -> None:
    """The rules an appraisal must keep, each broken one an error naming the paper: one
    weight per criterion, weights totalling 100, every option scored against every
    criterion once, every scored option on the long list, at most one preferred option."""
    where = f"paper {paper}"
    weights: dict[str, int] = {}
    for s in appraisal.scores:
        was = weights.setdefault(_key(s.criterion), s.weight)
        if was != s.weight:
            raise OptionsError(f"{where}: the criterion {s.criterion!r} is given two weights "
                               f"({was} and {s.weight}); give it one")
    criteria = appraisal.criteria()
    if criteria:
        total = sum(w for _, w in criteria)
        if total != TOTAL_WEIGHT:
            raise OptionsError(f"{where}: the weights of its {len(criteria)} criteria total "
                               f"{total}, not {TOTAL_WEIGHT} "
                               f"({', '.join(f'{c} {w}' for c, w in criteria)})")
    named = {_key(o.name) for o in appraisal.options}
    if len(named) != len(appraisal.options):
        raise OptionsError(f"{where}: two options have the same name; give each its own")
    seen: set[tuple[str, str]] = set()
    for s in appraisal.scores:
        pair = (_key(s.criterion), _key(s.option))
        if pair in seen:
            raise OptionsError(f"{where}: {s.option!r} is scored twice against "
                               f"{s.criterion!r}; score it once")
        seen.add(pair)
        if appraisal.options and _key(s.option) not in named:
            raise OptionsError(f"{where}: {s.option!r} is scored but is not one of its options "
                               f"({joined([o.name for o in appraisal.options])})")
    for criterion, _ in criteria:
        for option in appraisal.scored_options():
            if (_key(criterion), _key(option)) not in seen:
                raise OptionsError(f"{where}: {option!r} has no score against {criterion!r}; "
                                   "score every option against every criterion")
    preferred = appraisal.preferred()
    if len(preferred) > 1:
        raise OptionsError(f"{where}: {len(preferred)} options are marked preferred "
                           f"({joined([o.name for o in preferred])}); mark one")


def preferred_sentence(appraisal: Appraisal) -> str:
    """The preferred option named in words, with its weighted total and how it stands against
    the highest scored; or, with none preferred, which option scores highest."""
    preferred = appraisal.preferred()
    top = appraisal.highest()
    scored = {_key(n) for n in appraisal.scored_options()}
    if preferred:
        choice = preferred[0]
        text = f"The preferred option is {choice.name}"
        if _key(choice.name) not in scored:
            return text + "." + (f" {choice.reason.rstrip('.')}." if choice.reason else "")
        text += f", with a weighted score of {total_text(appraisal.total(choice.name))} out of 10"
        if [_key(n) for n in top] == [_key(choice.name)]:
            return text + ", the highest of the options scored."
        if _key(choice.name) in {_key(n) for n in top}:
            others = [n for n in top if _key(n) != _key(choice.name)]
            return text + f", level with {joined(others)}."
        best = top[0]
        return (text + f"; {joined(top)} {'scores' if len(top) == 1 else 'score'} higher "
                f"({total_text(appraisal.total(best))}), and the long list gives the reasons.")
    if not top:
        return "No option has been marked as preferred."
    if len(top) == 1:
        return (f"No option has been marked as preferred; {top[0]} has the highest weighted "
                f"score, {total_text(appraisal.total(top[0]))} out of 10.")
    return (f"No option has been marked as preferred; {joined(top)} share the highest weighted "
            f"score, {total_text(appraisal.total(top[0]))} out of 10.")


def scoring_description(appraisal: Appraisal) -> str:
    """How the totals are reached, in words, for the table's note and its alt text."""
    return (f"Each option is scored from 0 to {MAX_SCORE} against each criterion; a criterion's "
            f"weight is its share of {TOTAL_WEIGHT}. An option's weighted score is the sum of "
            f"score x weight \u00f7 {TOTAL_WEIGHT}, out of {MAX_SCORE}.")


def short_verdict(verdict: str) -> str:
    return verdict[:1].upper() + verdict[1:]


def option_names(options: Sequence[Option]) -> list[str]:
    return [o.name for o in options]
