"""Treasury's auction cycle against real issues, and the coupon rule."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from treasury_rv.auctions import (
    TENORS,
    Issue,
    auction_coupon,
    auction_cycle,
    issue_age_cycles,
    issue_calendar,
    new_issue,
    next_issue,
    off_the_run,
    on_the_run,
)
from treasury_rv.dates import is_business_day, is_month_end

D = dt.date

# --------------------------------------------------------------------------------------------
# Real issues (FACTS.md section 5, "Real issues"; section 1, TYM25 basket)
# --------------------------------------------------------------------------------------------


def test_april_2025_ten_year():
    # 2 April 2025: 10y on the run 4 5/8% 15 Feb 2035 (reopened in March and again in April),
    # first off the run 4 1/4% 15 Nov 2034 (FACTS.md section 5). 15 Feb 2025 was a Saturday
    # and 17 Feb Washington's Birthday, so the new issue settled on Tuesday 18 Feb; the March
    # reopening on Monday 17 March (15 March a Saturday); the April one on Tuesday 15 April.
    date = D(2025, 4, 2)
    assert on_the_run(10, date).maturity == D(2035, 2, 15)
    assert on_the_run(10, date).issue_date == D(2025, 2, 18)
    assert on_the_run(10, date).reopenings == (D(2025, 3, 17), D(2025, 4, 15))
    assert off_the_run(10, date).maturity == D(2034, 11, 15)
    assert off_the_run(10, date, 2).maturity == D(2034, 8, 15)
    assert next_issue(10, date).maturity == D(2035, 5, 15)
    cycle = auction_cycle(10, date)
    assert cycle.on_the_run.maturity == D(2035, 2, 15)
    assert cycle.first_off_the_run.maturity == D(2034, 11, 15)
    assert cycle.last_issue_date == D(2025, 3, 17)
    assert cycle.next_issue_date == D(2025, 4, 15)
    assert cycle.age_days == 43 and cycle.cycle_days == 86
    assert cycle.cycle_fraction == pytest.approx(0.5)


def test_april_2025_thirty_year():
    # 30y on the run 4 5/8% 15 Feb 2055 [?], previous 4 1/2% 15 Nov 2054 [S] (FACTS.md 5).
    assert on_the_run(30, D(2025, 4, 9)).maturity == D(2055, 2, 15)
    assert off_the_run(30, D(2025, 4, 9)).maturity == D(2054, 11, 15)


@pytest.mark.parametrize("date", [D(2020, 3, 9), D(2020, 3, 16), D(2020, 3, 18), D(2020, 3, 31)])
def test_march_2020(date):
    # March 2020: 10y on the run 1 1/2% 15 Feb 2030 (reopened at the 11 March auction), first
    # off the run 1 3/4% 15 Nov 2029; 30y on the run 2% 15 Feb 2050 (FACTS.md section 5).
    assert on_the_run(10, date).maturity == D(2030, 2, 15)
    assert off_the_run(10, date).maturity == D(2029, 11, 15)
    assert on_the_run(30, date).maturity == D(2050, 2, 15)
    # The March reopening settled on Monday 16 March (the 15th was a Sunday).
    assert on_the_run(10, date).reopenings[0] == D(2020, 3, 16)


def test_seven_year_issued_after_a_saturday_month_end():
    # The 7y maturing 31 May 2032 was issued on Monday 2 June 2025, for Saturday 31 May
    # (FACTS.md section 1, TYM25 basket).
    issue = new_issue(7, 2025, 5)
    assert issue.issue_date == D(2025, 6, 2)
    assert issue.maturity == D(2032, 5, 31)
    assert on_the_run(7, D(2025, 6, 1)).maturity == D(2032, 4, 30)
    assert on_the_run(7, D(2025, 6, 2)).maturity == D(2032, 5, 31)


@pytest.mark.parametrize(
    ("year", "month", "maturity"),
    [
        # The 7-year notes of the TYM25 basket (FACTS.md section 1): new each month-end.
        (2024, 12, D(2031, 12, 31)),
        (2025, 1, D(2032, 1, 31)),
        (2025, 2, D(2032, 2, 29)),  # 28 Feb 2025 to the leap-year month end
        (2025, 3, D(2032, 3, 31)),
        (2025, 4, D(2032, 4, 30)),
    ],
)
def test_tym25_seven_year_notes(year, month, maturity):
    assert new_issue(7, year, month).maturity == maturity


@pytest.mark.parametrize(
    ("year", "month", "maturity"),
    [
        # The 10-year notes of the TYM25 basket (FACTS.md section 1): new each quarter.
        (2022, 2, D(2032, 2, 15)),
        (2022, 5, D(2032, 5, 15)),
        (2022, 8, D(2032, 8, 15)),
        (2022, 11, D(2032, 11, 15)),
        (2023, 2, D(2033, 2, 15)),
        (2023, 5, D(2033, 5, 15)),
    ],
)
def test_tym25_ten_year_notes(year, month, maturity):
    assert new_issue(10, year, month).maturity == maturity


def test_three_and_twenty_year_patterns():
    # 3y: new every month, issued on the 15th (TreasuryDirect, "When auctions happen").
    assert new_issue(3, 2025, 3).issue_date == D(2025, 3, 17)  # 15 March 2025: Saturday
    assert new_issue(3, 2025, 3).maturity == D(2028, 3, 15)
    # 20y: new in Feb/May/Aug/Nov, reopened in between (FACTS.md section 5), maturing on the
    # 15th, issued at the month's end as CME described it in 2020 [S].
    bond = on_the_run(20, D(2025, 7, 1))
    assert bond.maturity == D(2045, 5, 15)
    assert bond.issue_date == D(2025, 6, 2)  # 31 May 2025 was a Saturday
    assert bond.dated_date == D(2025, 5, 15)
    with pytest.raises(ValueError, match="from May 2020"):
        on_the_run(20, D(2019, 1, 1))


# --------------------------------------------------------------------------------------------
# Properties of the regular calendar
# --------------------------------------------------------------------------------------------

dates = st.dates(min_value=D(2021, 1, 1), max_value=D(2060, 12, 31))


@given(st.sampled_from(TENORS), dates)
def test_on_the_run_brackets_the_date(tenor, date):
    current = on_the_run(tenor, date)
    following = next_issue(tenor, date)
    previous = off_the_run(tenor, date)
    assert previous.issue_date < current.issue_date <= date < following.issue_date
    assert previous.maturity < current.maturity < following.maturity
    # The day before the next issue settles, the current issue is still on the run.
    day_before = following.issue_date - dt.timedelta(days=1)
    assert on_the_run(tenor, day_before) == current
    assert on_the_run(tenor, following.issue_date) == following
    assert off_the_run(tenor, following.issue_date) == current


@given(st.sampled_from(TENORS), dates)
def test_issue_dates_are_business_days_on_or_after_the_nominal_day(tenor, date):
    issue = on_the_run(tenor, date)
    assert is_business_day(issue.issue_date)
    assert 0 <= (issue.issue_date - issue.dated_date).days <= 20
    for reopening in issue.reopenings:
        assert is_business_day(reopening)
        assert issue.issue_date < reopening < next_issue(tenor, date).issue_date
    assert issue.maturity.year - issue.dated_date.year == tenor
    if tenor in (2, 5, 7):
        assert is_month_end(issue.maturity)
    else:
        assert issue.maturity.day == 15


@given(st.sampled_from(TENORS), dates)
def test_cycle_fraction_runs_from_zero_to_one(tenor, date):
    cycle = auction_cycle(tenor, date)
    assert 0 <= cycle.cycle_fraction < 1
    assert cycle.age_days == (date - cycle.on_the_run.issue_date).days
    assert cycle.last_issue_date <= date < cycle.next_issue_date


def test_issue_calendar():
    cal = issue_calendar(10, D(2025, 1, 1), D(2025, 12, 31))
    assert len(cal) == 12
    assert (cal["kind"] == "new").sum() == 4
    assert cal["issue_date"].is_monotonic_increasing
    assert cal.loc[cal["kind"] == "new", "maturity"].tolist() == [
        D(2035, 2, 15),
        D(2035, 5, 15),
        D(2035, 8, 15),
        D(2035, 11, 15),
    ]
    monthly = issue_calendar(2, D(2025, 1, 1), D(2025, 12, 31))
    assert len(monthly) == 12 and (monthly["kind"] == "new").all()
    # The 20-year calendar starts with the bond's return in 2020.
    assert issue_calendar(20, D(2019, 1, 1), D(2020, 12, 31))["issue_date"].min() >= D(2020, 5, 31)


def test_issue_as_a_treasury():
    bond = on_the_run(10, D(2025, 4, 2)).treasury(0.04625)
    assert bond.label == "4 5/8% 2035-02-15"
    assert bond.issue_date == D(2025, 2, 18)
    assert bond.name == "10y 2035-02-15"
    assert isinstance(on_the_run(10, D(2025, 4, 2)), Issue)


# --------------------------------------------------------------------------------------------
# The coupon rule: high yield rounded down to 1/8%, minimum 1/8% (31 CFR 356.20; 76 FR 11079)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("high_yield", "coupon"),
    [
        (0.04632, 0.04625),  # FACTS.md section 5: 4.632% -> 4 5/8%
        (0.0, 0.00125),  # the minimum coupon
        (-0.001, 0.00125),
        (0.00124, 0.00125),
        # TYM25 basket high yields and coupons (FACTS.md section 1) [S]
        (0.04457, 0.04375),
        (0.04194, 0.04125),
        (0.04233, 0.04125),
        (0.04123, 0.04),
        (0.01904, 0.01875),
        (0.02943, 0.02875),
        (0.04140, 0.04125),
        (0.03613, 0.035),
        (0.03448, 0.03375),
        (0.04625, 0.04625),  # exactly on an eighth stays there
        (0.04, 0.04),
    ],
)
def test_auction_coupon(high_yield, coupon):
    assert auction_coupon(high_yield) == pytest.approx(coupon, abs=1e-12)


@given(st.integers(min_value=0, max_value=15_000))
def test_coupon_is_the_eighth_at_or_below(thousandths_of_a_percent):
    high_yield = thousandths_of_a_percent / 100_000
    coupon = auction_coupon(high_yield)
    assert coupon == pytest.approx(round(coupon / 0.00125) * 0.00125, abs=1e-12)
    if high_yield >= 0.00125:
        assert coupon <= high_yield + 1e-12 and high_yield - coupon < 0.00125


def test_auction_coupon_vectorised():
    out = auction_coupon(np.array([[0.04632, 0.0], [0.01904, 0.05]]))
    np.testing.assert_allclose(out, [[0.04625, 0.00125], [0.01875, 0.05]], atol=1e-12)


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------


def test_bad_input():
    with pytest.raises(ValueError, match="tenor must be one of"):
        on_the_run(4, D(2025, 4, 2))
    with pytest.raises(TypeError, match="tenor"):
        on_the_run(10.0, D(2025, 4, 2))
    with pytest.raises(TypeError, match="tenor"):
        on_the_run(True, D(2025, 4, 2))
    with pytest.raises(TypeError, match="date"):
        on_the_run(10, "2025-04-02")
    with pytest.raises(TypeError, match="date"):
        next_issue(10, None)
    with pytest.raises(ValueError, match="n must be between"):
        off_the_run(10, D(2025, 4, 2), 0)
    with pytest.raises(TypeError, match="n must be a whole number"):
        off_the_run(10, D(2025, 4, 2), 1.5)
    with pytest.raises(ValueError, match="no new 10-year issue"):
        new_issue(10, 2025, 3)
    with pytest.raises(ValueError, match="month must be between"):
        new_issue(2, 2025, 13)
    with pytest.raises(TypeError, match="year"):
        new_issue(2, "2025", 1)
    with pytest.raises(ValueError, match="end .* must not be before start"):
        issue_calendar(10, D(2025, 2, 1), D(2025, 1, 1))
    with pytest.raises(ValueError, match="at most 40 years"):
        issue_calendar(10, D(1990, 1, 1), D(2035, 1, 1))
    with pytest.raises(ValueError, match="high_yield .* looks like a percentage"):
        auction_coupon(4.632)
    with pytest.raises(ValueError, match="high_yield must be finite"):
        auction_coupon(float("nan"))
    with pytest.raises(TypeError, match="high_yield"):
        auction_coupon("4.632%")
    with pytest.raises(ValueError, match="coupon"):
        on_the_run(10, D(2025, 4, 2)).treasury(4.625)


# --------------------------------------------------------------------------------------------
# Age in cycles
# --------------------------------------------------------------------------------------------


def test_issue_age_in_cycles():
    feb35 = on_the_run(10, D(2025, 4, 2))
    assert issue_age_cycles(feb35, D(2025, 2, 18)) == 0.0
    assert issue_age_cycles(feb35, D(2025, 4, 2)) == pytest.approx(0.5)
    assert issue_age_cycles(feb35, D(2025, 5, 15)) == 1.0  # first off the run
    assert issue_age_cycles(feb35, D(2025, 8, 15)) == 2.0
    nov34 = off_the_run(10, D(2025, 4, 2))
    assert issue_age_cycles(nov34, D(2025, 4, 2)) == pytest.approx(1.5)
    with pytest.raises(ValueError, match="before the issue date"):
        issue_age_cycles(feb35, D(2025, 2, 17))
    with pytest.raises(TypeError, match="issue must be an Issue"):
        issue_age_cycles(feb35.treasury(0.04625), D(2025, 4, 2))
    odd = Issue(10, D(2035, 3, 15), D(2025, 3, 17), D(2025, 3, 15))
    with pytest.raises(ValueError, match="not a regular-calendar issue"):
        issue_age_cycles(odd, D(2025, 4, 2))


@given(
    st.sampled_from(TENORS),
    st.dates(min_value=D(2022, 1, 1), max_value=D(2060, 12, 31)),  # 20y: from May 2020
    st.integers(min_value=1, max_value=6),
)
def test_off_the_run_age_is_n_plus_the_cycle_fraction(tenor, date, n):
    issue = off_the_run(tenor, date, n)
    assert issue_age_cycles(issue, date) == pytest.approx(
        n + auction_cycle(tenor, date).cycle_fraction
    )
