"""The NHS 5x5 risk matrix: likelihood and impact, score, bands and trend.

Pure functions only; imports no Qt, no SQL.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

LIKELIHOOD_LABELS = ("Rare", "Unlikely", "Possible", "Likely", "Almost certain")
IMPACT_LABELS = ("Negligible", "Minor", "Moderate", "Major", "Catastrophic")

# Words some registers use in place of numbers. "High"/"Medium"/"Low" are common in
# RAID logs; they map onto the matrix the way most NHS risk policies read them. The README's
# import section prints this table: keep the two in step. A workbook that
# defines its own scale (a drop-down list of five words) is read by that list instead.
WORD_SCALES = {
    "likelihood": {label.lower(): n for n, label in enumerate(LIKELIHOOD_LABELS, 1)}
    | {"almost certain": 5, "certain": 5, "very likely": 5, "very unlikely": 1, "remote": 1,
       "probable": 4, "possible": 3, "very low": 1, "low": 2, "medium": 3, "med": 3,
       "moderate": 3, "high": 4, "very high": 5},
    "impact": {label.lower(): n for n, label in enumerate(IMPACT_LABELS, 1)}
    | {"insignificant": 1, "trivial": 1, "minimal": 1, "serious": 4, "severe": 4,
       "critical": 5, "extreme": 5, "very low": 1, "low": 2, "medium": 3, "med": 3,
       "high": 4, "very high": 5},
}


def rating_word(value: object, scale: str) -> int | None:
    """The score a word alone stands for on OOH Desk's default scale ("High" is 4, "HIgh"
    too), or None when `value` is not such a word."""
    if not isinstance(value, str):
        return None
    key = " ".join(value.replace("\u00a0", " ").split()).lower()
    return WORD_SCALES[scale].get(key)


class ScoreError(ValueError):
    """A likelihood, impact or band definition that is not on the 5x5 matrix."""


def parse_rating(value: object, scale: str = "likelihood") -> int:
    """Read a likelihood or impact as people write it: 4, "4", "Likely", "4 - Likely",
    "4 – Likely (may occur)", "L4", "4 (Likely)". Anything else raises ScoreError."""
    if isinstance(value, bool):
        raise ScoreError(f"{value!r} is not a {scale}")
    if isinstance(value, int | float):
        if float(value).is_integer() and 1 <= int(value) <= 5:
            return int(value)
        raise ScoreError(f"{_show(value)} is not a {scale}: use 1 to 5 ({_labels(scale)})")
    text = " ".join(str(value or "").replace("\u00a0", " ").split())
    if not text:
        raise ScoreError(f"a {scale} is needed (1 to 5)")
    words = WORD_SCALES[scale]
    match = re.fullmatch(r"[LIPS]?\s*(\d+)(?:\.0)?\s*(?:[-–—:=(]\s*(.*?)\)?)?\s*", text, re.I)
    if match:
        number = int(match.group(1))
        if not 1 <= number <= 5:
            raise ScoreError(f"{text!r} is not a {scale}: use 1 to 5 ({_labels(scale)})")
        label = (match.group(2) or "").strip().lower()
        label = re.split(r"\s*\(", label)[0]
        if label and label in words and words[label] != number:
            raise ScoreError(f"{text!r} is not a {scale}: {number} and {label!r} disagree")
        return number
    key = re.sub(r"\s*\(.*\)\s*$", "", text).lower()
    if key in words:
        return words[key]
    raise ScoreError(f"{text!r} is not a {scale}: use 1 to 5 ({_labels(scale)})")


def _labels(scale: str) -> str:
    labels = LIKELIHOOD_LABELS if scale == "likelihood" else IMPACT_LABELS
    return ", ".join(f"{n} {label}" for n, label in enumerate(labels, 1))


def _show(value: object) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def likelihood_label(n: int) -> str:
    return LIKELIHOOD_LABELS[n - 1]


def impact_label(n: int) -> str:
    return IMPACT_LABELS[n - 1]


@dataclass(frozen=True)
class Rating:
    """A point on the matrix: likelihood x impact."""

    likelihood: int
    impact: int

    def __post_init__(self) -> None:
        for scale, n in (("likelihood", self.likelihood), ("impact", self.impact)):
            if not isinstance(n, int) or not 1 <= n <= 5:
                raise ScoreError(f"{n!r} is not a {scale}: use 1 to 5")

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    def __str__(self) -> str:
        return f"{self.likelihood} x {self.impact} = {self.score}"


@dataclass(frozen=True)
class Band:
    name: str
    low: int
    high: int
    colour: str  # hex RGB without '#', for Word/Excel/Qt fills


DEFAULT_BANDS: tuple[Band, ...] = (
    Band("Low", 1, 3, "92D050"),
    Band("Moderate", 4, 6, "FFFF00"),
    Band("High", 8, 12, "FFC000"),
    Band("Extreme", 15, 25, "FF0000"),
)


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a hex RGB colour ("FF0000")."""
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(colour[i:i + 2]) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(one: str, other: str) -> float:
    """WCAG 2 contrast ratio of two hex RGB colours, 1 to 21 (4.5 is the floor for text)."""
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_on(fill: str) -> str:
    """Black or white, whichever reads better on `fill`: white on the NHS red is 4.0:1,
    below WCAG's 4.5, where black is 5.3:1."""
    return max(("000000", "FFFFFF"), key=lambda text: contrast_ratio(fill, text))

# The scores L x I can actually take on a 5x5 matrix.
POSSIBLE_SCORES = sorted({likelihood * impact for likelihood in range(1, 6) for impact in range(1, 6)})


def check_bands(bands: Sequence[Band]) -> list[str]:
    """Every problem with a register's own band definition (empty when sound)."""
    problems = []
    for score in POSSIBLE_SCORES:
        owners = [b.name for b in bands if b.low <= score <= b.high]
        if not owners:
            problems.append(f"score {score} falls in no band")
        elif len(owners) > 1:
            problems.append(f"score {score} falls in more than one band ({', '.join(owners)})")
    return problems


def band(score: int, bands: Sequence[Band] = DEFAULT_BANDS) -> Band:
    for candidate in bands:
        if candidate.low <= score <= candidate.high:
            return candidate
    raise ScoreError(f"score {score} is in no band")


def trend(scores: Sequence[int]) -> str:
    """'up', 'down' or 'steady' from a risk's current scores, oldest first."""
    if len(scores) < 2 or scores[-1] == scores[-2]:
        return "steady"
    return "up" if scores[-1] > scores[-2] else "down"


TREND_WORDS = {"up": "Rising", "down": "Falling", "steady": "No change"}
TREND_ARROWS = {"up": "\u2191", "down": "\u2193", "steady": "\u2192"}
