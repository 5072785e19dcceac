"""Board dates: every form the seeds use, the forms we refuse, and the house text as a fixed
point."""

from dataclasses import FrozenInstanceError
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ooh_desk.domain.board_dates import (
    BoardDate,
    BoardDateError,
    long_date,
    parse_board_date,
    parse_day,
    parse_optional,
    short_date,
)

D = date

PARSES = [
    # exact days: always day first, two-digit years are 20yy
    ("31/10/2017", "31 October 2017", D(2017, 10, 31), D(2017, 10, 31)),
    ("31/10/17", "31 October 2017", D(2017, 10, 31), D(2017, 10, 31)),
    ("31.10.2017", "31 October 2017", D(2017, 10, 31), D(2017, 10, 31)),
    ("31-10-2017", "31 October 2017", D(2017, 10, 31), D(2017, 10, 31)),
    ("2017-10-31", "31 October 2017", D(2017, 10, 31), D(2017, 10, 31)),
    ("31 October 2017", "31 October 2017", D(2017, 10, 31), D(2017, 10, 31)),
    ("31 Oct 2017", "31 October 2017", D(2017, 10, 31), D(2017, 10, 31)),
    ("31st October 2017", "31 October 2017", D(2017, 10, 31), D(2017, 10, 31)),
    ("4th October 2017", "4 October 2017", D(2017, 10, 4), D(2017, 10, 4)),
    ("Tuesday 31 October 2017", "31 October 2017", D(2017, 10, 31), D(2017, 10, 31)),
    ("Tue, 31 Oct 17", "31 October 2017", D(2017, 10, 31), D(2017, 10, 31)),
    ("31-Oct-17", "31 October 2017", D(2017, 10, 31), D(2017, 10, 31)),
    ("04/09/2017", "4 September 2017", D(2017, 9, 4), D(2017, 9, 4)),
    ("01/02/2018", "1 February 2018", D(2018, 2, 1), D(2018, 2, 1)),  # 1 Feb, never 2 Jan
    ("29/02/2020", "29 February 2020", D(2020, 2, 29), D(2020, 2, 29)),
    # months
    ("Oct 17", "October 2017", D(2017, 10, 1), D(2017, 10, 31)),
    ("July 17", "July 2017", D(2017, 7, 1), D(2017, 7, 31)),
    ("October 2017", "October 2017", D(2017, 10, 1), D(2017, 10, 31)),
    ("Oct-17", "October 2017", D(2017, 10, 1), D(2017, 10, 31)),
    ("Sept 2017", "September 2017", D(2017, 9, 1), D(2017, 9, 30)),
    ("November 17", "November 2017", D(2017, 11, 1), D(2017, 11, 30)),
    ("February 2020", "February 2020", D(2020, 2, 1), D(2020, 2, 29)),
    # two days
    ("19/20 July 17", "19/20 July 2017", D(2017, 7, 19), D(2017, 7, 20)),
    ("19 /20 July 17", "19/20 July 2017", D(2017, 7, 19), D(2017, 7, 20)),
    ("19-20 July 2017", "19/20 July 2017", D(2017, 7, 19), D(2017, 7, 20)),
    ("4-8 September 2017", "4–8 September 2017", D(2017, 9, 4), D(2017, 9, 8)),
    # part of a month
    ("Early November 2017", "Early November 2017", D(2017, 11, 1), D(2017, 11, 10)),
    ("mid-December 2017", "Mid-December 2017", D(2017, 12, 11), D(2017, 12, 20)),
    ("Mid December 2017", "Mid-December 2017", D(2017, 12, 11), D(2017, 12, 20)),
    ("late October 2017", "Late October 2017", D(2017, 10, 21), D(2017, 10, 31)),
    ("late February 2018", "Late February 2018", D(2018, 2, 21), D(2018, 2, 28)),
    ("end of October 2017", "Late October 2017", D(2017, 10, 21), D(2017, 10, 31)),
    ("end October 2017", "Late October 2017", D(2017, 10, 21), D(2017, 10, 31)),
    ("beginning of March 2018", "Early March 2018", D(2018, 3, 1), D(2018, 3, 10)),
    ("start of March 2018", "Early March 2018", D(2018, 3, 1), D(2018, 3, 10)),
    # ranges
    ("December 17 - January 2018", "December 2017 – January 2018",
     D(2017, 12, 1), D(2018, 1, 31)),
    ("December 17- January 2018", "December 2017 – January 2018",
     D(2017, 12, 1), D(2018, 1, 31)),
    ("May 2018 – September 2018", "May 2018 – September 2018", D(2018, 5, 1), D(2018, 9, 30)),
    ("May 2018 — September 2018", "May 2018 – September 2018", D(2018, 5, 1), D(2018, 9, 30)),
    ("May 2018 to September 2018", "May 2018 – September 2018", D(2018, 5, 1), D(2018, 9, 30)),
    ("January-February 2018", "January 2018 – February 2018", D(2018, 1, 1), D(2018, 2, 28)),
    ("Oct-17 - Dec-17", "October 2017 – December 2017", D(2017, 10, 1), D(2017, 12, 31)),
    ("4 September 2017 - 8 September 2017", "4–8 September 2017",
     D(2017, 9, 4), D(2017, 9, 8)),
    ("4 September - 8 September 2017", "4–8 September 2017", D(2017, 9, 4), D(2017, 9, 8)),
    ("30 September 2017 to 2 October 2017", "30 September 2017 – 2 October 2017",
     D(2017, 9, 30), D(2017, 10, 2)),
    ("Late October 2017 – mid-December 2017", "Late October 2017 – Mid-December 2017",
     D(2017, 10, 21), D(2017, 12, 20)),
    ("Q3 2017/18 - Q4 2017/18", "Q3 2017/18 – Q4 2017/18", D(2017, 10, 1), D(2018, 3, 31)),
    ("2017 - 2019", "2017 – 2019", D(2017, 1, 1), D(2019, 12, 31)),
    # a spaced dash outranks a bare one
    ("2025-26 – 28 July 2026", "2025/26 – 28 July 2026", D(2025, 4, 1), D(2026, 7, 28)),
    # UK financial quarters
    ("Q1 2017/18", "Q1 2017/18", D(2017, 4, 1), D(2017, 6, 30)),
    ("Q2 2017/18", "Q2 2017/18", D(2017, 7, 1), D(2017, 9, 30)),
    ("Q3 2017/18", "Q3 2017/18", D(2017, 10, 1), D(2017, 12, 31)),
    ("Q4 2017/18", "Q4 2017/18", D(2018, 1, 1), D(2018, 3, 31)),
    ("Q3 17/18", "Q3 2017/18", D(2017, 10, 1), D(2017, 12, 31)),
    ("Q3 2017-18", "Q3 2017/18", D(2017, 10, 1), D(2017, 12, 31)),
    ("2017/18 Q3", "Q3 2017/18", D(2017, 10, 1), D(2017, 12, 31)),
    ("q3 2017/2018", "Q3 2017/18", D(2017, 10, 1), D(2017, 12, 31)),
    ("Q4 2099/00", "Q4 2099/00", D(2100, 1, 1), D(2100, 3, 31)),
    # financial years
    ("2018/19", "2018/19", D(2018, 4, 1), D(2019, 3, 31)),
    ("2018-19", "2018/19", D(2018, 4, 1), D(2019, 3, 31)),
    ("2018/2019", "2018/19", D(2018, 4, 1), D(2019, 3, 31)),
    ("FY 2018/19", "2018/19", D(2018, 4, 1), D(2019, 3, 31)),
    # seasons
    ("Spring 2018", "Spring 2018", D(2018, 3, 1), D(2018, 5, 31)),
    ("summer 2018", "Summer 2018", D(2018, 6, 1), D(2018, 8, 31)),
    ("AUTUMN 2018", "Autumn 2018", D(2018, 9, 1), D(2018, 11, 30)),
    ("Winter 2018", "Winter 2018", D(2018, 12, 1), D(2019, 2, 28)),
    ("Winter 2019", "Winter 2019", D(2019, 12, 1), D(2020, 2, 29)),
    # week commencing
    ("w/c 4 September 2017", "w/c 4 September 2017", D(2017, 9, 4), D(2017, 9, 10)),
    ("W/C 04/09/2017", "w/c 4 September 2017", D(2017, 9, 4), D(2017, 9, 10)),
    ("week commencing 4 September 2017", "w/c 4 September 2017", D(2017, 9, 4), D(2017, 9, 10)),
    ("w/c 4 September - w/c 11 September 2017", "w/c 4 September 2017 – w/c 11 September 2017",
     D(2017, 9, 4), D(2017, 9, 17)),
    # a bare year
    ("2018", "2018", D(2018, 1, 1), D(2018, 12, 31)),
    # tolerance: case, extra and non-breaking spaces, a trailing full stop
    ("  OCTOBER   2017 ", "October 2017", D(2017, 10, 1), D(2017, 10, 31)),
    ("31\u00a0October\u00a02017.", "31 October 2017", D(2017, 10, 31), D(2017, 10, 31)),
    ("EARLY\u202fnovember 2017.", "Early November 2017", D(2017, 11, 1), D(2017, 11, 10)),
    ("q3\t2017/18", "Q3 2017/18", D(2017, 10, 1), D(2017, 12, 31)),
]


@pytest.mark.parametrize(("text", "house", "earliest", "latest"), PARSES,
                         ids=[row[0] for row in PARSES])
def test_parses(text, house, earliest, latest):
    board_date = parse_board_date(text)
    assert (board_date.text, board_date.earliest, board_date.latest) == (house, earliest, latest)
    assert parse_board_date(house) == board_date  # the house text reads back as itself


REFUSED = [
    "soon", "TBC", "next year", "31/10", "Q5 2017/18", "2017/18/19", "high-ish", "13/2017",
    "next spring-ish", "31/02/2017", "32/10/2017", "13/13/2017", "00/10/2017", "29/02/2019",
    "2017/19", "2017/2019", "2017-2019", "Q3 2017/19", "Q3 2017", "Q0 2017/18",
    "January 2018 - December 2017", "20/19 July 2017", "19/19 July 2017", "4/8 September 2017",
    "Monday 31 October 2017", "31 October", "October", "January-February", "Early 2018",
    "31/10/3017", "01/01/1899", "10/31/2017", "2017/10/31", "October 31, 2017", "17/18",
    "Winter 2018/19", "w/c October 2017", "31/10-2017", "May - - June 2018", "-", "to",
    "2018 2019", "31 October 2017 10:00", "2018 - March 2018",
    "2017-10-11-2018",  # 11 October 2017 to 2018, or 2017 to 10 November 2018? Never guess.
]


@pytest.mark.parametrize("text", REFUSED)
def test_refuses_and_names_the_text(text):
    with pytest.raises(BoardDateError) as caught:
        parse_board_date(text)
    message = str(caught.value)
    assert f"'{text}'" in message
    assert message.count(".") <= 2 and "\n" not in message  # one plain sentence


def test_the_plain_message_says_how_to_write_a_date():
    with pytest.raises(BoardDateError) as caught:
        parse_board_date("next spring-ish")
    assert str(caught.value) == (
        "'next spring-ish' is not a date OOH Desk understands; write it like 31/10/2017, "
        "October 2017, Early November 2017 or Q3 2017/18")


@pytest.mark.parametrize(("text", "why"), [
    ("31/02/2017", "February 2017 has 28 days"),
    ("13/13/2017", "there is no month 13"),
    ("Q3 2017/19", "second year follows the first"),
    ("January 2018 - December 2017", "ends before it starts"),
    ("2018 - March 2018", "ends before its first part does"),
    ("31/02/2017 - 04/03/2017", "'31/02/2017' is not a real day"),
    ("Monday 31 October 2017", "31 October 2017 is a Tuesday"),
    ("January-February", "needs a year"),
    ("Q5 2017/18", "Q1 to Q4"),
])
def test_refusals_say_why(text, why):
    with pytest.raises(BoardDateError, match=why):
        parse_board_date(text)


@pytest.mark.parametrize("blank", ["", "   ", "\u00a0", "."])
def test_blank_needs_a_date(blank):
    with pytest.raises(BoardDateError, match="a date is needed"):
        parse_board_date(blank)


def test_board_date_error_is_a_value_error():
    assert issubclass(BoardDateError, ValueError)


def test_board_date_basics():
    day = parse_board_date("31/10/2017")
    assert day.exact and day.iso() == "2017-10-31" and str(day) == "31 October 2017"
    month = parse_board_date("Oct 17")
    assert not month.exact and month.iso() == "2017-10-01/2017-10-31"
    assert str(month) == "October 2017"
    with pytest.raises(FrozenInstanceError):
        month.text = "November 2017"
    assert len({day, parse_board_date("31 Oct 17")}) == 1  # hashable, equal by value
    with pytest.raises(ValueError):
        BoardDate("backwards", D(2017, 10, 31), D(2017, 10, 1))


def test_from_date():
    assert BoardDate.from_date(D(2017, 9, 4)) == BoardDate("4 September 2017", D(2017, 9, 4),
                                                          D(2017, 9, 4))
    assert BoardDate.from_date(datetime(2017, 9, 4, 15, 30)).earliest == D(2017, 9, 4)


def test_long_and_short_dates():
    assert long_date(D(2017, 9, 4)) == "4 September 2017"
    assert short_date(D(2017, 9, 4)) == "04/09/2017"


def test_parse_optional():
    assert parse_optional(None) is None
    assert parse_optional("  \u00a0") is None
    assert parse_optional("July 17") == parse_board_date("July 2017")
    with pytest.raises(BoardDateError):
        parse_optional("TBC")


def test_parse_day():
    assert parse_day("31/10/17") == D(2017, 10, 31)
    assert parse_day("Tuesday 31st October 2017") == D(2017, 10, 31)
    assert parse_day(D(2017, 10, 31)) == D(2017, 10, 31)
    assert parse_day(datetime(2017, 10, 31, 9, 0)) == D(2017, 10, 31)
    assert type(parse_day(datetime(2017, 10, 31, 9, 0))) is date
    for not_a_day in ("October 2017", "19/20 July 2017", "w/c 4 September 2017", "TBC", ""):
        with pytest.raises(BoardDateError):
            parse_day(not_a_day)
    with pytest.raises(BoardDateError, match="'October 2017' is not a single day"):
        parse_day("Oct 17")


def test_month_names_first_only_when_asked():
    with pytest.raises(BoardDateError):
        parse_board_date("October 31, 2017")
    assert parse_board_date("October 31, 2017", dayfirst_only=False).earliest == D(2017, 10, 31)
    # numbers stay day first whatever the flag says
    assert parse_board_date("01/02/2018", dayfirst_only=False).earliest == D(2018, 2, 1)
    assert parse_board_date("December 17", dayfirst_only=False).text == "December 2017"


# --- properties ---------------------------------------------------------------------------------

days = st.dates(min_value=D(1900, 1, 1), max_value=D(2199, 12, 31))


@given(days)
def test_short_and_long_dates_read_back_exactly(d):
    for text in (short_date(d), long_date(d), d.isoformat()):
        board_date = parse_board_date(text)
        assert board_date.earliest == board_date.latest == d
        assert board_date.text == long_date(d)


def _assert_sound(board_date):
    assert board_date.earliest <= board_date.latest
    assert parse_board_date(board_date.text) == board_date  # house text is a fixed point
    assert parse_board_date(board_date.text.upper()) == board_date


MONTHS = ["January", "Feb", "March", "Apr", "May", "June", "Jul", "Aug", "Sept", "Oct", "Nov",
          "December"]


@st.composite
def board_date_texts(draw):
    """Texts written the ways board papers write them, with random days, months and years."""
    d = draw(days.filter(lambda d: d.year <= 2198))
    year = draw(st.sampled_from([str(d.year), str(d.year)[2:]])) if d.year >= 2000 else str(
        d.year)
    month = MONTHS[d.month - 1]
    fy = d.year if d.month >= 4 else d.year - 1
    single = draw(st.sampled_from([
        short_date(d), long_date(d), d.isoformat(), f"{d.day} {month} {year}",
        f"{month} {year}", f"{month}-{year}",
        f"{draw(st.sampled_from(['early', 'Mid-', 'mid', 'late', 'end of']))} {month} {year}",
        f"{min(d.day, 27)}/{min(d.day, 27) + 1} {month} {year}",
        f"Q{draw(st.integers(1, 4))} {fy}/{(fy + 1) % 100:02d}",
        f"{fy}-{(fy + 1) % 100:02d}",
        f"{draw(st.sampled_from(['Spring', 'summer', 'Autumn', 'winter']))} {d.year}",
        f"w/c {short_date(d)}", str(d.year),
    ]))
    if not draw(st.booleans()):
        return single
    later = draw(st.dates(min_value=d, max_value=D(2199, 12, 31)))
    other = draw(st.sampled_from([
        long_date(later), f"{MONTHS[later.month - 1]} {later.year}", str(later.year),
        f"Late {MONTHS[later.month - 1]} {later.year}",
    ]))
    return f"{single}{draw(st.sampled_from([' - ', '-', ' – ', ' to ']))}{other}"


@given(board_date_texts())
def test_written_forms_are_sound(text):
    try:
        board_date = parse_board_date(text)
    except BoardDateError:
        return  # e.g. a range that ends before it starts, or "Mid-" with a day past the 20th
    _assert_sound(board_date)


TOKENS = ["1", "4", "19", "20", "31", "13", "02", "10", "17", "18", "2017", "2018", "2019",
          "/", "-", "–", ".", " ", " - ", " to ", "July", "Oct", "December", "Sept", "Q3", "Q4",
          "early", "mid", "mid-", "Late", "end of", "w/c", "Spring", "Winter", "Tuesday", "st",
          "FY", "and", "&", "\u00a0"]


@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=7).map("".join))
def test_any_text_is_read_soundly_or_refused(text):
    try:
        board_date = parse_board_date(text)
    except BoardDateError as exc:
        assert str(exc)
        return
    _assert_sound(board_date)
