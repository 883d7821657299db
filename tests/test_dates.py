"""Tests for treasury_rv.dates: coupon schedules, day counts, business days, 32nds quotes."""

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from treasury_rv.dates import (
    act_360,
    act_act_icma,
    add_business_days,
    add_months,
    coupon_schedule,
    from_32nds,
    holidays,
    is_business_day,
    is_month_end,
    last_business_day,
    next_coupon_date,
    previous_coupon_date,
    to_32nds,
)

D = dt.date


# --------------------------------------------------------------------------------------------
# Months and coupon schedules
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "eom", "expected"),
    [
        (D(2031, 5, 31), -6, False, D(2030, 11, 30)),  # day cut to the shorter month
        (D(2028, 11, 30), -6, True, D(2028, 5, 31)),  # end-of-month rule
        (D(2028, 11, 30), -6, False, D(2028, 5, 30)),
        (D(2030, 8, 31), -6, True, D(2030, 2, 28)),
        (D(2032, 8, 31), -6, True, D(2032, 2, 29)),  # leap year
        (D(2025, 1, 15), 13, False, D(2026, 2, 15)),
        (D(2025, 12, 15), 1, False, D(2026, 1, 15)),
        (D(2025, 1, 31), -1, False, D(2024, 12, 31)),
    ],
)
def test_add_months(start, n, eom, expected):
    assert add_months(start, n, eom=eom) == expected


def test_is_month_end():
    assert is_month_end(D(2024, 2, 29))
    assert is_month_end(D(2023, 2, 28))
    assert not is_month_end(D(2024, 2, 28))
    assert is_month_end(D(2028, 11, 30))
    assert not is_month_end(D(2030, 8, 30))


@pytest.mark.parametrize(
    ("maturity", "start", "expected"),
    [
        # February month-end maturity: coupons on 31 August and the last day of February.
        (
            D(2030, 2, 28),
            D(2027, 12, 31),
            [D(2028, 2, 29), D(2028, 8, 31), D(2029, 2, 28), D(2029, 8, 31), D(2030, 2, 28)],
        ),
        (D(2032, 2, 29), D(2031, 1, 1), [D(2031, 2, 28), D(2031, 8, 31), D(2032, 2, 29)]),
        # 31 May maturity: 30 November coupons; 30 November maturity: 31 May coupons.
        (D(2031, 5, 31), D(2030, 1, 1), [D(2030, 5, 31), D(2030, 11, 30), D(2031, 5, 31)]),
        (D(2028, 11, 30), D(2027, 6, 1), [D(2027, 11, 30), D(2028, 5, 31), D(2028, 11, 30)]),
        (D(2029, 8, 31), D(2028, 9, 1), [D(2029, 2, 28), D(2029, 8, 31)]),
        # 30 August is not a month end: the day is kept where it fits, cut in February.
        (
            D(2030, 8, 30),
            D(2028, 1, 1),
            [
                D(2028, 2, 29),
                D(2028, 8, 30),
                D(2029, 2, 28),
                D(2029, 8, 30),
                D(2030, 2, 28),
                D(2030, 8, 30),
            ],
        ),
        # A coupon on the start date itself is excluded.
        (D(2035, 5, 15), D(2034, 5, 15), [D(2034, 11, 15), D(2035, 5, 15)]),
        (D(2035, 5, 15), D(2035, 5, 14), [D(2035, 5, 15)]),
        (D(2035, 5, 15), D(2035, 5, 15), []),
        (D(2035, 5, 15), D(2036, 1, 1), []),
    ],
)
def test_coupon_schedule(maturity, start, expected):
    assert coupon_schedule(maturity, start) == expected


def test_coupon_schedule_default_is_thirty_years():
    schedule = coupon_schedule(D(2055, 5, 15))
    assert len(schedule) == 60
    assert schedule[0] == D(2025, 11, 15)
    assert schedule[-1] == D(2055, 5, 15)


def test_coupon_schedule_other_frequencies():
    assert coupon_schedule(D(2026, 3, 31), D(2025, 3, 31), frequency=4) == [
        D(2025, 6, 30),
        D(2025, 9, 30),
        D(2025, 12, 31),
        D(2026, 3, 31),
    ]
    assert coupon_schedule(D(2026, 3, 15), D(2024, 1, 1), frequency=1) == [
        D(2024, 3, 15),
        D(2025, 3, 15),
        D(2026, 3, 15),
    ]


@given(
    maturity=st.dates(D(2000, 1, 1), D(2080, 12, 31)),
    back_days=st.integers(1, 365 * 30),
)
def test_coupon_schedule_properties(maturity, back_days):
    start = maturity - dt.timedelta(days=back_days)
    schedule = coupon_schedule(maturity, start)
    assert schedule[-1] == maturity
    assert schedule[0] > start
    assert all(a < b for a, b in zip(schedule, schedule[1:], strict=False))
    # Six months apart, each on the maturity's day (or the month's end).
    for k, day in enumerate(reversed(schedule)):
        assert day == add_months(maturity, -6 * k, eom=is_month_end(maturity))
    # The coupon before the first one is on or before start.
    assert add_months(schedule[0], -6, eom=is_month_end(maturity)) <= start
    previous = previous_coupon_date(maturity, start)
    following = next_coupon_date(maturity, start)
    assert previous <= start < following
    assert following == schedule[0]


@pytest.mark.parametrize(
    ("maturity", "settle", "previous", "following"),
    [
        (D(2032, 11, 15), D(2023, 2, 15), D(2022, 11, 15), D(2023, 5, 15)),
        (D(2032, 11, 15), D(2023, 5, 15), D(2023, 5, 15), D(2023, 11, 15)),  # on a coupon date
        (D(2032, 11, 15), D(2023, 5, 14), D(2022, 11, 15), D(2023, 5, 15)),
        (D(2030, 2, 28), D(2029, 3, 1), D(2029, 2, 28), D(2029, 8, 31)),
        (D(2030, 2, 28), D(2028, 2, 29), D(2028, 2, 29), D(2028, 8, 31)),
        (D(2030, 2, 28), D(2028, 2, 28), D(2027, 8, 31), D(2028, 2, 29)),
        (D(2035, 5, 15), D(2035, 5, 14), D(2034, 11, 15), D(2035, 5, 15)),  # last period
    ],
)
def test_previous_and_next_coupon(maturity, settle, previous, following):
    assert previous_coupon_date(maturity, settle) == previous
    assert next_coupon_date(maturity, settle) == following


# --------------------------------------------------------------------------------------------
# Day counts
# --------------------------------------------------------------------------------------------


def test_act_act_icma_hand_counts():
    # 15 Nov 2022 -> 15 Feb 2023: 15 (to 30 Nov) + 31 + 31 + 15 = 92 days.
    # 15 Nov 2022 -> 15 May 2023: 15 + 31 + 31 + 28 + 31 + 30 + 15 = 181 days.
    period = (D(2022, 11, 15), D(2023, 5, 15))
    assert act_act_icma(D(2022, 11, 15), D(2023, 2, 15), *period) == pytest.approx(
        92 / 362, abs=1e-15
    )
    # A whole period is half a year, however many days it has.
    assert act_act_icma(*period, *period) == 0.5
    # 31 Aug 2028 -> 28 Feb 2029: 30 + 31 + 30 + 31 + 31 + 28 = 181 days; quarterly frequency.
    assert act_act_icma(
        D(2028, 8, 31), D(2028, 9, 30), D(2028, 8, 31), D(2029, 2, 28), frequency=4
    ) == pytest.approx(30 / (4 * 181), abs=1e-15)


def test_act_360():
    assert act_360(D(2025, 1, 1), D(2026, 1, 1)) == pytest.approx(365 / 360, abs=1e-15)
    assert act_360(D(2024, 1, 1), D(2025, 1, 1)) == pytest.approx(366 / 360, abs=1e-15)
    assert act_360(D(2025, 4, 2), D(2025, 4, 1)) == pytest.approx(-1 / 360, abs=1e-15)


# --------------------------------------------------------------------------------------------
# Business days
# --------------------------------------------------------------------------------------------

# SIFMA's recommended full closes for US dollar fixed income in 2025 (SIFMA holiday schedule,
# www.sifma.org/resources/general/holiday-schedule): the federal holidays plus Good Friday
# (18 April 2025).
SIFMA_2025 = [
    D(2025, 1, 1),
    D(2025, 1, 20),
    D(2025, 2, 17),
    D(2025, 4, 18),
    D(2025, 5, 26),
    D(2025, 6, 19),
    D(2025, 7, 4),
    D(2025, 9, 1),
    D(2025, 10, 13),
    D(2025, 11, 11),
    D(2025, 11, 27),
    D(2025, 12, 25),
]


def test_holidays_2025():
    assert holidays(2025) == SIFMA_2025


# Sources for the observance rules: SIFMA press releases of 9 March 2015 (Good Friday with an
# early close is still "not ... a good settlement day") and 14 July 2021 (full close on Monday
# 20 June 2022 for Juneteenth, "incorporated into our holiday schedule" from 2022); Nasdaq.com,
# 6 November 2023 (regular bond-market hours on Friday 10 November 2023, Veterans Day being a
# Saturday); thecorporatecounsel.net, 17 November 2021 (31 December 2021 a trading day, with a
# SIFMA 2 p.m. early close); commdiginews.com, December 2021 (all US markets closed Friday
# 24 December 2021).
@pytest.mark.parametrize(
    ("day", "open_"),
    [
        (D(2025, 7, 4), False),  # Independence Day
        (D(2025, 7, 3), True),
        (D(2021, 12, 24), False),  # Christmas on a Saturday, observed Friday
        (D(2022, 12, 26), False),  # Christmas on a Sunday, observed Monday
        (D(2022, 6, 20), False),  # Juneteenth on a Sunday, observed Monday (SIFMA, July 2021)
        (D(2021, 6, 18), True),  # Juneteenth joined the market calendar in 2022
        (D(2021, 12, 31), True),  # New Year 2022 fell on a Saturday: 31 December stays open
        (D(2023, 1, 2), False),  # New Year 2023 fell on a Sunday
        (D(2023, 11, 10), True),  # Veterans Day on a Saturday: the bond market traded Friday
        (D(2020, 7, 3), False),  # 4 July 2020 was a Saturday
        (D(2026, 7, 3), False),  # and 4 July 2026
        (D(2024, 3, 29), False),  # Good Friday
        (D(2023, 4, 7), False),  # Good Friday (an early close, but not a settlement day)
        (D(2000, 4, 21), False),  # Good Friday (Easter 23 April 2000)
        (D(2038, 4, 23), False),  # Good Friday (Easter 25 April 2038)
        (D(2025, 10, 13), False),  # Columbus Day
        (D(2025, 11, 28), True),  # day after Thanksgiving (an early close only)
        (D(2025, 4, 19), False),  # Saturday
        (D(2025, 4, 20), False),  # Sunday
        (D(2025, 4, 21), True),
    ],
)
def test_is_business_day(day, open_):
    assert is_business_day(day) is open_


# Good Friday in the years SIFMA recommended only an early close, because the monthly jobs
# report fell on it. SIFMA's releases of 21 March 2012, 9 March 2015 and 20 March 2026 each
# recommend that the day "not be treated as a good settlement day" for US government
# securities, with T+2 settlement for trades entered on it; QuantLib's UnitedStates
# GovernmentBond calendar keeps these days open (it lists 2010, 2012, 2015, 2021, 2023, 2026),
# its UnitedStates SOFR calendar closes them, as this calendar does.
GOOD_FRIDAY_EARLY_CLOSES = [
    D(2010, 4, 2),
    D(2012, 4, 6),
    D(2015, 4, 3),
    D(2021, 4, 2),
    D(2023, 4, 7),
    D(2026, 4, 3),
]


@pytest.mark.parametrize("day", GOOD_FRIDAY_EARLY_CLOSES)
def test_good_friday_early_close_is_not_a_settlement_day(day):
    assert day.weekday() == 4 and day.day <= 7  # the first Friday: jobs-report day
    assert not is_business_day(day)
    assert add_business_days(day - dt.timedelta(days=1), 1) == day + dt.timedelta(days=3)


def test_a_schedule_rolls_off_good_friday_2042():
    # Easter 2042 is 6 April, so Good Friday is Friday 4 April, the first Friday of the month.
    # A date that lands on it moves to the next settlement day, Monday 7 April.
    good_friday = D(2042, 4, 4)
    assert good_friday in holidays(2042)
    assert add_business_days(good_friday, 0) == D(2042, 4, 7)
    assert last_business_day(2042, 4) == D(2042, 4, 30)


@given(st.integers(1950, 2100))
def test_holidays_are_weekdays_and_distinct(year):
    days = holidays(year)
    assert len(days) == len(set(days))
    assert all(d.weekday() < 5 for d in days)
    assert all(not is_business_day(d) for d in days)
    # Eleven or twelve closes a year (fewer if a holiday falls on a Saturday and is not moved).
    assert 9 <= len(days) <= 12


def test_add_business_days():
    assert add_business_days(D(2025, 7, 3), 1) == D(2025, 7, 7)
    assert add_business_days(D(2025, 7, 7), -1) == D(2025, 7, 3)
    assert add_business_days(D(2025, 7, 5), 0) == D(2025, 7, 7)
    assert add_business_days(D(2025, 7, 7), 0) == D(2025, 7, 7)
    # 7 business days before 30 June 2025 skips Juneteenth (19 June) and a weekend.
    assert add_business_days(D(2025, 6, 30), -7) == D(2025, 6, 18)
    assert add_business_days(D(2025, 12, 24), 2) == D(2025, 12, 29)


@given(st.dates(D(2000, 1, 1), D(2060, 12, 31)), st.integers(-40, 40))
def test_add_business_days_counts(start, n):
    end = add_business_days(start, n)
    assert is_business_day(end)

    def count(lo, hi):  # business days in [lo, hi)
        return sum(is_business_day(lo + dt.timedelta(days=i)) for i in range((hi - lo).days))

    if n > 0:  # n business days in (start, end]
        assert end > start
        assert count(start + dt.timedelta(days=1), end + dt.timedelta(days=1)) == n
    elif n < 0:  # -n business days in [end, start)
        assert end < start
        assert count(end, start) == -n
    else:
        assert count(start, end) == 0


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2024, 3, D(2024, 3, 28)),  # 29 March 2024 was Good Friday
        (2025, 5, D(2025, 5, 30)),  # 31 May 2025 was a Saturday
        (2025, 8, D(2025, 8, 29)),
        (2025, 12, D(2025, 12, 31)),
        (2022, 12, D(2022, 12, 30)),
        (2025, 6, D(2025, 6, 30)),
    ],
)
def test_last_business_day(year, month, expected):
    assert last_business_day(year, month) == expected


# --------------------------------------------------------------------------------------------
# 32nds
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "value"),
    [
        ("99-16", 99 + 16 / 32),
        ("99-16+", 99.515625),
        ("99-162", 99 + 16.25 / 32),
        ("99-164", 99 + 16.5 / 32),
        ("99-167", 99 + (16 + 7 / 8) / 32),
        ("99-160", 99.5),
        ("99-16¼", 99 + 16.25 / 32),
        ("99-16½", 99 + 16.5 / 32),
        ("99-16¾", 99 + 16.75 / 32),
        ("100-00", 100.0),
        ("112-31+", 112 + 31.5 / 32),
        (" 99-01 ", 99 + 1 / 32),
        ("-0-08", -0.25),
        ("-1-04+", -(1 + 4.5 / 32)),
    ],
)
def test_from_32nds(quote, value):
    assert from_32nds(quote) == value


@pytest.mark.parametrize(
    ("price", "precision", "quote"),
    [
        (99.515625, 8, "99-16+"),
        (99 + 16.25 / 32, 8, "99-162"),
        (99 + 16.75 / 32, 8, "99-166"),
        (99.5, 8, "99-16"),
        (100.0, 8, "100-00"),
        (99.99999, 8, "100-00"),  # rounds up through the handle
        (-0.25, 8, "-0-08"),
        (-0.0001, 8, "0-00"),  # rounds to zero, no sign
        (99.51, 2, "99-16+"),  # 99.51 * 64 = 6368.64 -> 6369 / 64
        (99.51, 1, "99-16"),
        (99 + 16.6 / 32, 4, "99-16+"),  # nearest quarter of a 32nd: 16 2/4
        (99 + 16.7 / 32, 4, "99-166"),  # 16 3/4 = 16 6/8
    ],
)
def test_to_32nds(price, precision, quote):
    assert to_32nds(price, precision=precision) == quote


@given(
    handle=st.integers(0, 200),
    ticks=st.integers(0, 31),
    eighths=st.integers(0, 7),
    negative=st.booleans(),
)
def test_32nds_round_trip(handle, ticks, eighths, negative):
    value = (handle + (ticks + eighths / 8) / 32) * (-1 if negative else 1)
    quote = to_32nds(value)
    assert from_32nds(quote) == value
    assert ("+" in quote) == (eighths == 4)


@given(st.floats(-50, 250, allow_nan=False))
def test_to_32nds_is_nearest_256th(price):
    assert abs(from_32nds(to_32nds(price)) - price) <= 1 / 512 + 1e-12


@pytest.mark.parametrize(
    "quote", ["99-32", "99.5", "99-1", "99-168", "99-16++", "", "abc", "99 16", "-99-16-"]
)
def test_from_32nds_rejects_malformed(quote):
    with pytest.raises(ValueError, match="quote"):
        from_32nds(quote)


def test_32nds_bad_types_and_values():
    with pytest.raises(TypeError, match="quote"):
        from_32nds(99.5)
    with pytest.raises(ValueError, match="price"):
        to_32nds(math.nan)
    with pytest.raises(ValueError, match="price"):
        to_32nds(math.inf)
    with pytest.raises(TypeError, match="price"):
        to_32nds("99-16")
    with pytest.raises(ValueError, match="precision"):
        to_32nds(99.5, precision=3)


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------


def test_dates_bad_input():
    with pytest.raises(TypeError, match="maturity"):
        coupon_schedule("2030-02-28")
    with pytest.raises(TypeError, match="start"):
        coupon_schedule(D(2030, 2, 28), "2025-01-01")
    with pytest.raises(ValueError, match="frequency"):
        coupon_schedule(D(2030, 2, 28), frequency=3)
    with pytest.raises(TypeError, match="frequency"):
        coupon_schedule(D(2030, 2, 28), frequency=2.0)
    with pytest.raises(TypeError, match="settle"):
        previous_coupon_date(D(2030, 2, 28), 20250101)
    with pytest.raises(ValueError, match="settle .* must be before maturity"):
        next_coupon_date(D(2030, 2, 28), D(2030, 2, 28))
    with pytest.raises(ValueError, match="settle .* must be before maturity"):
        previous_coupon_date(D(2030, 2, 28), D(2031, 1, 1))
    with pytest.raises(ValueError, match="period_end"):
        act_act_icma(D(2025, 1, 1), D(2025, 2, 1), D(2025, 3, 1), D(2025, 3, 1))
    with pytest.raises(TypeError, match="end"):
        act_360(D(2025, 1, 1), None)
    with pytest.raises(TypeError, match="n must be an int"):
        add_months(D(2025, 1, 1), 1.5)
    with pytest.raises(TypeError, match="n must be an int"):
        add_business_days(D(2025, 1, 1), True)
    with pytest.raises(TypeError, match="d must be"):
        is_business_day("2025-07-04")
    with pytest.raises(ValueError, match="month"):
        last_business_day(2025, 13)
    with pytest.raises(TypeError, match="year"):
        holidays(2025.0)


def test_datetime_is_accepted_as_date():
    assert previous_coupon_date(D(2032, 11, 15), dt.datetime(2023, 2, 15, 16, 0)) == D(2022, 11, 15)
