import pytest

from ooh_desk.domain.scoring import (
    DEFAULT_BANDS,
    Band,
    Rating,
    ScoreError,
    band,
    check_bands,
    parse_rating,
    trend,
)


@pytest.mark.parametrize(("text", "scale", "expected"), [
    ("4", "likelihood", 4), (4, "likelihood", 4), (4.0, "impact", 4), ("Likely", "likelihood", 4),
    ("4 - Likely", "likelihood", 4), ("4 – Likely (may occur)", "likelihood", 4),
    ("L4", "likelihood", 4), ("4 (Likely)", "likelihood", 4), ("almost certain", "likelihood", 5),
    ("Rare", "likelihood", 1), ("Catastrophic", "impact", 5), ("2 - Minor", "impact", 2),
    ("I3", "impact", 3), ("HIGH", "impact", 4), ("Medium", "likelihood", 3), (" 5 ", "impact", 5),
])
def test_ratings_people_write(text, scale, expected):
    assert parse_rating(text, scale) == expected


@pytest.mark.parametrize("text", [0, 6, 7, "0", "6", "7", "high-ish", "4 - Rare", "", None,
                                  2.5, "five", True])
def test_impossible_ratings_are_refused_clearly(text):
    with pytest.raises(ScoreError) as caught:
        parse_rating(text, "likelihood")
    message = str(caught.value)
    assert "likelihood" in message
    if text not in ("", None, True):
        assert "1 to 5" in message or "disagree" in message


def test_score_is_likelihood_times_impact_and_bands_are_nhs_defaults():
    assert Rating(4, 5).score == 20
    assert [band(s).name for s in (1, 3, 4, 6, 8, 12, 15, 25)] == [
        "Low", "Low", "Moderate", "Moderate", "High", "High", "Extreme", "Extreme"]
    assert check_bands(DEFAULT_BANDS) == []


def test_a_register_can_redefine_its_bands_and_gaps_are_reported():
    own = (Band("Green", 1, 4, "00FF00"), Band("Amber", 5, 12, "FFBF00"),
           Band("Red", 15, 25, "FF0000"))
    assert check_bands(own) == []
    assert band(5, own).name == "Amber"
    assert check_bands(own[:2]) == [f"score {s} falls in no band" for s in (15, 16, 20, 25)]


def test_rating_refuses_off_matrix_values():
    with pytest.raises(ScoreError):
        Rating(0, 3)


@pytest.mark.parametrize(("history", "expected"), [
    ([], "steady"), ([12], "steady"), ([12, 16], "up"), ([16, 12], "down"), ([9, 12, 12], "steady"),
])
def test_trend_from_score_history(history, expected):
    assert trend(history) == expected
