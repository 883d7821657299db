"""Tests for treasury_rv.swaps: SOFR OIS schedules, the curve, par rates, DV01, the trade, the SLR.

The independent reference is QuantLib (a test-only dependency, pinned in requirements.txt):
its ``OvernightIndexedSwap`` for par rates and PVs and its ``OISRateHelper`` bootstrap of a
``PiecewiseLogLinearDiscount`` curve. QuantLib's US government-bond calendar keeps Good Friday
open in the years SIFMA recommended only an early close (2021, 2023, 2026, ...), where
:mod:`treasury_rv.dates` closes it; to compare the swap maths rather than the calendars, the
QuantLib side uses a calendar holding the holidays of :func:`treasury_rv.dates.holidays`.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
import QuantLib as ql
from hypothesis import given, settings
from hypothesis import strategies as st

from treasury_rv import leverage
from treasury_rv.bonds import Treasury, dirty_price, dv01, yield_to_maturity
from treasury_rv.dates import add_business_days, holidays, is_business_day
from treasury_rv.swaps import (
    MAX_TENOR_YEARS,
    PAYMENT_LAG_DAYS,
    SLR_RULES,
    SPOT_LAG_DAYS,
    SofrCurve,
    annuity,
    balance_sheet_cost_bp,
    bond_carry,
    dealer_breakeven_spread_bp,
    effective_date,
    hedge_notional,
    margin_hike,
    matched_maturity_spread_bp,
    matched_maturity_swap_rate,
    modified_following,
    ois_par_rate,
    ois_schedule,
    slr_rule,
    spread_shock,
    swap_carry,
    swap_dv01,
    swap_initial_margin,
    swap_pv,
    swap_pv01,
    swap_spread_bp,
    swap_value_at_horizon,
    trade_carry_bp,
    trade_pnl,
    vm_call,
)

D = dt.date
TRADE = D(2025, 4, 2)
# Eleven pillars. The levels are round illustrative numbers near the April 2025 Treasury curve
# less the swap spreads FACTS.md section 5 reports for May 2025 (10y about -59bp, 30y about
# -94bp); they are test inputs, not market quotes.
TENORS = [1, 2, 3, 5, 7, 10, 12, 15, 20, 25, 30]
RATES = [0.0410, 0.0392, 0.0385, 0.0380, 0.0383, 0.0390, 0.0394, 0.0398, 0.0400, 0.0396, 0.0390]
BP = 1e-4
HUNDREDTH_BP = 1e-6


# --------------------------------------------------------------------------------------------
# The QuantLib reference
# --------------------------------------------------------------------------------------------


def qdate(d: dt.date) -> ql.Date:
    return ql.Date(d.day, d.month, d.year)


def pydate(d: ql.Date) -> dt.date:
    return D(d.year(), d.month(), d.dayOfMonth())


def _calendar() -> ql.Calendar:
    cal = ql.BespokeCalendar("treasury_rv")
    cal.addWeekend(ql.Saturday)
    cal.addWeekend(ql.Sunday)
    for year in range(2000, 2120):
        for day in holidays(year):
            cal.addHoliday(qdate(day))
    return cal


CAL = _calendar()


def _index(curve: ql.YieldTermStructure | None = None) -> ql.OvernightIndex:
    handle = ql.YieldTermStructureHandle(curve) if curve else ql.YieldTermStructureHandle()
    return ql.OvernightIndex("SOFR", 0, ql.USDCurrency(), CAL, ql.Actual360(), handle)


def ql_bootstrap(trade: dt.date, tenors, rates) -> ql.YieldTermStructure:
    ql.Settings.instance().evaluationDate = qdate(trade)
    helpers = [
        ql.OISRateHelper(
            SPOT_LAG_DAYS,
            ql.Period(int(n), ql.Years),
            ql.QuoteHandle(ql.SimpleQuote(float(r))),
            _index(),
            paymentLag=PAYMENT_LAG_DAYS,
            paymentConvention=ql.Following,
            paymentFrequency=ql.Annual,
            paymentCalendar=CAL,
            # QuantLib's helpers roll an effective date that is the last business day of its
            # month to month ends (end-of-month rule); the library's schedule does not, as in
            # ql_swap below, so the reference is told the same rule.
            endOfMonth=False,
        )
        for n, r in zip(tenors, rates, strict=True)
    ]
    curve = ql.PiecewiseLogLinearDiscount(qdate(trade), helpers, ql.Actual365Fixed())
    curve.enableExtrapolation()
    return curve


def ql_curve(curve: SofrCurve) -> ql.YieldTermStructure:
    """Our pillars loaded into QuantLib's own log-linear discount curve."""
    ql.Settings.instance().evaluationDate = qdate(curve.reference_date)
    dates = [qdate(curve.reference_date), *map(qdate, curve.dates)]
    out = ql.DiscountCurve(dates, [1.0, *curve.discount_factors], ql.Actual365Fixed())
    out.enableExtrapolation()
    return out


def ql_swap(
    curve: ql.YieldTermStructure, trade: dt.date, tenor: int, fixed_rate: float, notional: float
) -> ql.OvernightIndexedSwap:
    ql.Settings.instance().evaluationDate = qdate(trade)
    start = CAL.advance(qdate(trade), SPOT_LAG_DAYS, ql.Days)
    schedule = ql.Schedule(
        start,
        start + ql.Period(tenor, ql.Years),
        ql.Period(ql.Annual),
        CAL,
        ql.ModifiedFollowing,
        ql.ModifiedFollowing,
        ql.DateGeneration.Forward,
        False,
    )
    swap = ql.OvernightIndexedSwap(
        ql.Swap.Payer,
        notional,
        schedule,
        fixed_rate,
        ql.Actual360(),
        _index(curve),
        0.0,
        PAYMENT_LAG_DAYS,
        ql.Following,
        CAL,
    )
    swap.setPricingEngine(ql.DiscountingSwapEngine(ql.YieldTermStructureHandle(curve)))
    return swap


@pytest.fixture(scope="module")
def curve() -> SofrCurve:
    return SofrCurve.bootstrap(TRADE, TENORS, RATES)


# --------------------------------------------------------------------------------------------
# Schedules
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("trade", "effective"),
    [
        (D(2025, 4, 2), D(2025, 4, 4)),  # Wednesday -> Friday
        (D(2025, 4, 3), D(2025, 4, 7)),  # Thursday -> Monday over the weekend
        (D(2025, 7, 2), D(2025, 7, 7)),  # over Independence Day and the weekend
        (D(2025, 4, 16), D(2025, 4, 21)),  # over Good Friday 18 April 2025
        (D(2024, 12, 31), D(2025, 1, 3)),  # over New Year's Day
    ],
)
def test_effective_date_is_two_business_days_on(trade, effective):
    assert effective_date(trade) == effective


@pytest.mark.parametrize(
    ("unadjusted", "adjusted"),
    [
        (D(2026, 4, 6), D(2026, 4, 6)),  # a business day stays
        (D(2026, 4, 4), D(2026, 4, 6)),  # Saturday -> Monday
        (D(2026, 1, 31), D(2026, 1, 30)),  # Saturday at month end -> Friday before
        (D(2026, 5, 31), D(2026, 5, 29)),  # Sunday at month end; Monday 1 June is next month
        (D(2025, 8, 31), D(2025, 8, 29)),  # Sunday, then Labor Day 1 Sep: back to Friday
        (D(2025, 7, 4), D(2025, 7, 7)),  # Independence Day, a Friday -> Monday
        (D(2025, 11, 30), D(2025, 11, 28)),  # Sunday at month end -> Friday after Thanksgiving
    ],
)
def test_modified_following(unadjusted, adjusted):
    assert modified_following(unadjusted) == adjusted
    q = pydate(CAL.adjust(qdate(unadjusted), ql.ModifiedFollowing))
    assert q == adjusted


def test_schedule_columns_and_conventions():
    table = ois_schedule(TRADE, 10)
    assert list(table.columns) == ["start", "end", "payment", "accrual"]
    assert len(table) == 10
    assert table["start"].iloc[0] == effective_date(TRADE)
    assert (table["start"].iloc[1:].to_numpy() == table["end"].iloc[:-1].to_numpy()).all()
    for row in table.itertuples():
        assert is_business_day(row.end)
        assert row.payment == add_business_days(row.end, PAYMENT_LAG_DAYS)
        assert row.accrual == pytest.approx((row.end - row.start).days / 360, abs=1e-12)
        assert row.end.month == 4  # anniversaries of 4 April, adjusted within the month


trade_dates = st.dates(min_value=D(2000, 1, 3), max_value=D(2060, 12, 31)).filter(is_business_day)


@settings(max_examples=150, deadline=None)
@given(trade=trade_dates, tenor=st.integers(1, MAX_TENOR_YEARS))
def test_schedule_matches_quantlib(trade, tenor):
    ql.Settings.instance().evaluationDate = qdate(trade)
    start = CAL.advance(qdate(trade), SPOT_LAG_DAYS, ql.Days)
    schedule = ql.Schedule(
        start,
        start + ql.Period(tenor, ql.Years),
        ql.Period(ql.Annual),
        CAL,
        ql.ModifiedFollowing,
        ql.ModifiedFollowing,
        ql.DateGeneration.Forward,
        False,
    )
    table = ois_schedule(trade, tenor)
    assert [pydate(d) for d in schedule.dates()] == [table["start"].iloc[0], *table["end"]]
    pays = [pydate(CAL.advance(qdate(e), PAYMENT_LAG_DAYS, ql.Days)) for e in table["end"]]
    assert pays == table["payment"].tolist()


# --------------------------------------------------------------------------------------------
# The curve
# --------------------------------------------------------------------------------------------


def test_curve_holds_its_pillars():
    c = SofrCurve(TRADE, [D(2026, 4, 2), D(2030, 4, 2)], [0.96, 0.82])
    assert c.discount(TRADE) == 1.0
    assert c.discount([D(2026, 4, 2), D(2030, 4, 2)]).tolist() == pytest.approx([0.96, 0.82])
    assert isinstance(c.discount(TRADE), float)
    assert isinstance(c.discount([TRADE]), np.ndarray)


def test_curve_is_log_linear_between_pillars_and_flat_forward_beyond():
    c = SofrCurve(TRADE, [D(2026, 4, 2), D(2030, 4, 2)], [0.96, 0.82])
    t1 = (D(2026, 4, 2) - TRADE).days / 365
    t2 = (D(2030, 4, 2) - TRADE).days / 365
    for days in (30, 200, 700, 1400, 2500, 6000):
        d = TRADE + dt.timedelta(days=days)
        t = days / 365
        if t <= t1:
            expected = math.log(0.96) * t / t1
        else:
            slope = (math.log(0.82) - math.log(0.96)) / (t2 - t1)
            expected = math.log(0.96) + slope * (t - t1)
        assert math.log(c.discount(d)) == pytest.approx(expected, abs=1e-14)


def test_curve_agrees_with_quantlib_log_linear_discount_curve():
    c = SofrCurve(TRADE, [D(2026, 4, 8), D(2030, 4, 8), D(2055, 4, 7)], [0.96, 0.84, 0.31])
    reference = ql_curve(c)
    days = [TRADE + dt.timedelta(days=k) for k in range(0, 50 * 365, 11)]
    expected = [reference.discount(qdate(d)) for d in days]
    assert c.discount(days) == pytest.approx(expected, rel=1e-12)


def test_zero_and_forward_rate_definitions():
    c = SofrCurve(TRADE, [D(2026, 4, 2), D(2030, 4, 2)], [0.96, 0.82])
    d = D(2028, 7, 1)
    t = (d - TRADE).days / 365
    assert c.zero_rate(d) == pytest.approx(-math.log(c.discount(d)) / t, rel=1e-14)
    # at the reference date the zero rate is the first segment's forward rate
    assert c.zero_rate(TRADE) == pytest.approx(-math.log(0.96) * 365 / 365, rel=1e-12)
    s, e = D(2027, 1, 4), D(2029, 6, 1)
    simple = (c.discount(s) / c.discount(e) - 1) * 360 / (e - s).days
    assert c.forward_rate(s, e) == pytest.approx(simple, rel=1e-14)
    many = c.forward_rate([s, s], [e, D(2031, 1, 2)])
    assert many.shape == (2,)
    assert many[0] == pytest.approx(simple, rel=1e-14)


def test_datetime64_dates_give_the_same_factors():
    c = SofrCurve(TRADE, [D(2026, 4, 2)], [0.96])
    days = [D(2025, 6, 1), D(2027, 1, 1)]
    as64 = np.array(days, dtype="datetime64[D]")
    assert c.discount(as64).tolist() == c.discount(days).tolist()


def test_schedule_columns_feed_the_curve(curve):
    table = ois_schedule(TRADE, 5)
    from_series = curve.discount(table["payment"])
    assert from_series.tolist() == curve.discount(list(table["payment"])).tolist()
    stamps = pd.to_datetime(pd.Series(table["payment"]))
    assert curve.discount(stamps).tolist() == pytest.approx(from_series.tolist(), rel=1e-15)
    assert curve.discount(pd.DatetimeIndex(stamps)).tolist() == pytest.approx(
        from_series.tolist(), rel=1e-15
    )


def test_shifted_moves_every_zero_rate():
    c = SofrCurve(TRADE, [D(2026, 4, 2), D(2030, 4, 2)], [0.96, 0.82])
    days = [D(2025, 5, 1), D(2028, 1, 1), D(2040, 1, 1)]
    moved = c.shifted(-25.0).zero_rate(days) - c.zero_rate(days)
    assert moved == pytest.approx([-25 * BP] * 3, abs=1e-14)


# --------------------------------------------------------------------------------------------
# Bootstrap against QuantLib
# --------------------------------------------------------------------------------------------


def test_bootstrap_reprices_its_inputs(curve):
    assert ois_par_rate(curve, TRADE, TENORS) == pytest.approx(RATES, abs=1e-7)
    assert np.max(np.abs(ois_par_rate(curve, TRADE, TENORS) - RATES)) < 1e-12


def test_bootstrap_rejects_rates_no_curve_can_meet():
    # after ten years at 0% a floating leg is worth at most its notional, so a 30-year par
    # rate of 20% (an annuity of about 30 years times 20%) cannot be reached
    with pytest.raises(ValueError, match="par_rates.*30-year"):
        SofrCurve.bootstrap(TRADE, [1, 10, 30], [0.0, 0.0, 0.20])


def test_bootstrap_pillars_are_last_payment_dates(curve):
    assert curve.reference_date == TRADE
    assert list(curve.dates) == [ois_schedule(TRADE, n)["payment"].iloc[-1] for n in TENORS]


def test_bootstrap_agrees_with_quantlib(curve):
    reference = ql_bootstrap(TRADE, TENORS, RATES)
    assert [pydate(d) for d in reference.dates()[1:]] == list(curve.dates)
    days = [TRADE + dt.timedelta(days=k) for k in range(0, 40 * 365, 13)]
    expected = np.array([reference.discount(qdate(d)) for d in days])
    assert np.max(np.abs(curve.discount(days) - expected)) < 1e-10
    # par rates of every tenor, pillars or not, to a hundredth of a basis point
    for n in range(1, 41):
        ql_rate = ql_swap(reference, TRADE, n, 0.04, 1e8).fairRate()
        assert ois_par_rate(curve, TRADE, n) == pytest.approx(ql_rate, abs=HUNDREDTH_BP)


def par_curves(size: int, low: float = -0.005, high: float = 0.10):
    """Par rates that start anywhere in [low, high] and move at most 1% from one tenor to the next.

    Not every list of rates is a curve: after 10 years at 0% no 30-year par rate near 10% can
    be met, since a floating leg is worth at most its notional.
    """
    steps = st.lists(st.floats(-0.01, 0.01), min_size=size - 1, max_size=size - 1)
    return st.tuples(st.floats(low, high), steps).map(
        lambda start_steps: list(
            start_steps[0] + np.concatenate(([0.0], np.cumsum(start_steps[1])))
        )
    )


@settings(max_examples=25, deadline=None)
@given(trade=trade_dates.filter(lambda d: d.year < 2050), rates=par_curves(4))
def test_bootstrap_agrees_with_quantlib_on_random_curves(trade, rates):
    tenors = [1, 3, 10, 30]
    ours = SofrCurve.bootstrap(trade, tenors, rates)
    assert ois_par_rate(ours, trade, tenors) == pytest.approx(rates, abs=1e-7)
    reference = ql_bootstrap(trade, tenors, rates)
    for n in (2, 5, 20, 30):
        ql_rate = ql_swap(reference, trade, n, 0.03, 1e8).fairRate()
        assert ois_par_rate(ours, trade, n) == pytest.approx(ql_rate, abs=HUNDREDTH_BP)


# --------------------------------------------------------------------------------------------
# Pricing
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tenor", [1, 4, 10, 17, 30, 45])
def test_pv_and_annuity_agree_with_quantlib(curve, tenor):
    reference = ql_curve(curve)
    swap = ql_swap(reference, TRADE, tenor, 0.0415, 1e8)
    assert ois_par_rate(curve, TRADE, tenor) == pytest.approx(swap.fairRate(), abs=HUNDREDTH_BP)
    assert swap_pv(curve, TRADE, tenor, 0.0415, 1e8) == pytest.approx(swap.NPV(), abs=0.01)
    # QuantLib's fixed-leg BPS is the PV of 1bp on the fixed leg (negative for the payer)
    assert annuity(curve, TRADE, tenor) * 1e8 * BP == pytest.approx(-swap.fixedLegBPS(), rel=1e-9)


def test_pv_at_par_is_zero_and_legs_mirror(curve):
    for n in (1, 7, 30):
        par = ois_par_rate(curve, TRADE, n)
        assert swap_pv(curve, TRADE, n, par, 1e8) == pytest.approx(0.0, abs=1e-6)
        payer = swap_pv(curve, TRADE, n, 0.05, 1e8)
        assert swap_pv(curve, TRADE, n, 0.05, 1e8, pay_fixed=False) == -payer
        # payer PV falls by notional x annuity for each unit of fixed rate
        slope = swap_pv(curve, TRADE, n, 0.05, 1e8) - swap_pv(curve, TRADE, n, 0.04, 1e8)
        assert slope == pytest.approx(-0.01 * 1e8 * annuity(curve, TRADE, n), rel=1e-9)


def test_vectorised_par_rates_match_one_at_a_time(curve):
    tenors = np.array([30, 1, 10, 10, 2])
    many = ois_par_rate(curve, TRADE, tenors)
    assert many.tolist() == [ois_par_rate(curve, TRADE, int(n)) for n in tenors]
    assert isinstance(ois_par_rate(curve, TRADE, 5), float)
    grid = swap_pv(curve, TRADE, np.array([[2], [10]]), np.array([0.03, 0.04, 0.05]), 1e6)
    assert grid.shape == (2, 3)


@pytest.mark.parametrize("z", [-0.005, 0.0, 0.01, 0.04, 0.08])
def test_flat_curve_par_rate(z):
    # On a flat continuously compounded ACT/365F curve, DF(t) = exp(-z t) in closed form: a
    # period of d days forwards at (e^(z d/365) - 1) x 360/d, and the par rate is the average
    # of those forwards weighted by accrual x DF(payment), so it lies between the smallest and
    # largest of them (periods of 364-368 days; (e^z - 1) x 360/365 for a 365-day year).
    c = SofrCurve(TRADE, [D(2075, 4, 2)], [math.exp(-z * (D(2075, 4, 2) - TRADE).days / 365)])
    for n in (1, 10, 30):
        table = ois_schedule(TRADE, n)
        days = np.array([(e - s).days for s, e in zip(table["start"], table["end"], strict=True)])
        forwards = np.expm1(z * days / 365) * 360 / days
        weights = table["accrual"] * np.exp(
            -z * np.array([(p - TRADE).days for p in table["payment"]]) / 365
        )
        par = ois_par_rate(c, TRADE, n)
        assert par == pytest.approx(np.sum(weights * forwards) / np.sum(weights), abs=1e-14)
        assert forwards.min() - 1e-15 <= par <= forwards.max() + 1e-15
        assert par == pytest.approx(math.expm1(z) * 360 / 365, abs=0.5 * BP)


def test_forward_starting_trade_date(curve):
    later = D(2026, 4, 2)
    # seen from the curve's date, a swap traded a year later is priced off forward rates
    rate = ois_par_rate(curve, later, 5)
    reference = ql_curve(curve)
    ql.Settings.instance().evaluationDate = qdate(TRADE)
    start = CAL.advance(qdate(later), SPOT_LAG_DAYS, ql.Days)
    swap = ql.MakeOIS(
        ql.Period(5, ql.Years), _index(reference), 0.04, effectiveDate=start, paymentLag=2
    )
    assert pydate(swap.startDate()) == ois_schedule(later, 5)["start"].iloc[0]
    swap.setPricingEngine(ql.DiscountingSwapEngine(ql.YieldTermStructureHandle(reference)))
    assert rate == pytest.approx(swap.fairRate(), abs=HUNDREDTH_BP)


def test_dv01_sign_and_size(curve):
    for n in (2, 10, 30):
        d = swap_dv01(curve, TRADE, n, 1e8)
        assert d > 0
        ratio = d / (annuity(curve, TRADE, n) * 1e8 * BP)
        # a 1bp move in continuous ACT/365F zeros is a little over 1bp of annual ACT/360 rate
        assert 1.0 < ratio < 1.06
        # the payer loses what the receiver gains when the curve falls 1bp
        par = ois_par_rate(curve, TRADE, n)
        loss = swap_pv(curve.shifted(-1), TRADE, n, par, 1e8) - swap_pv(curve, TRADE, n, par, 1e8)
        assert loss == pytest.approx(-d, rel=2e-3)


def test_dv01_agrees_with_quantlib_zero_spread(curve):
    reference = ql.YieldTermStructureHandle(ql_curve(curve))
    values = []
    for shift in (-BP, BP):
        bumped = ql.ZeroSpreadedTermStructure(
            reference, ql.QuoteHandle(ql.SimpleQuote(shift)), ql.Continuous, ql.NoFrequency
        )
        bumped.enableExtrapolation()
        values.append(ql_swap(bumped, TRADE, 10, 0.04, 1e8).NPV())
    # payer NPV: up-shift minus down-shift, halved, is the receiver's gain on a fall
    expected = (values[1] - values[0]) / 2
    assert swap_dv01(curve, TRADE, 10, 1e8, fixed_rate=0.04) == pytest.approx(expected, rel=1e-8)


def test_swap_spread_sign():
    assert swap_spread_bp(0.0390, 0.0449) == pytest.approx(-59.0)
    assert swap_spread_bp(0.05, 0.045) == pytest.approx(50.0)
    assert swap_spread_bp([0.04, 0.04], 0.041).tolist() == pytest.approx([-10.0, -10.0])


# --------------------------------------------------------------------------------------------
# The trade
# --------------------------------------------------------------------------------------------


def test_hedge_notional_matches_dv01(curve):
    bond = Treasury(0.04625, D(2035, 2, 15))
    settle = D(2025, 4, 3)
    bond_dv01 = dv01(bond, settle, 0.0420)
    per_notional = swap_dv01(curve, TRADE, 10, 1.0)
    notional = hedge_notional(bond_dv01, 100e6, per_notional)
    assert swap_dv01(curve, TRADE, 10, notional) == pytest.approx(bond_dv01 * 1e6, rel=1e-9)


def test_carry_is_minus_the_spread_when_repo_is_sofr():
    assert trade_carry_bp(0.0449, 0.0436, 0.0390, 0.0436) == pytest.approx(
        -swap_spread_bp(0.0390, 0.0449)
    )
    # repo above SOFR costs the difference
    assert trade_carry_bp(0.0449, 0.0440, 0.0390, 0.0436) == pytest.approx(55.0)


def test_trade_pnl():
    assert trade_pnl(-10.0, 85_000.0) == pytest.approx(-850_000.0)
    assert trade_pnl([5.0, -5.0], 1000.0).tolist() == [5000.0, -5000.0]
    with_carry = trade_pnl(2.0, 1000.0, carry_bp=40.0, position=1e8, horizon_years=0.5)
    assert with_carry == pytest.approx(2000.0 + 1e8 * 0.004 * 0.5)


def test_initial_margin_is_shock_times_dv01():
    assert swap_initial_margin(100e6, 0.00085, 30.0) == pytest.approx(2.55e6)
    assert swap_initial_margin(100e6, 0.00085, 0.0) == 0.0


def test_spread_shock_goes_through_leverage():
    kwargs = {"position": 100e6, "equity": 2e6, "dv01": 85_000.0, "haircut": 0.005}
    out = spread_shock([-20.0, -5.0, 0.0, 10.0], initial_margin=1e6, **kwargs)
    rate = 0.005 + 1e6 / 100e6
    expected = leverage.forced_sale(100e6, 2e6, rate, out["trade_pnl"] / 100e6)
    pd.testing.assert_frame_equal(
        out.drop(columns=["spread_change_bp", "trade_pnl", "margin_rate"]), expected
    )
    assert out["trade_pnl"].tolist() == [-1.7e6, -425_000.0, 0.0, 850_000.0]
    assert out["equity_after"].tolist() == pytest.approx((2e6 + out["trade_pnl"]).tolist())
    assert out["call"].iloc[-1] == 0.0  # a rise brings no call
    assert out["sale"].iloc[0] > 0 and out["sale"].iloc[1] == 0.0


def test_spread_shock_keeps_a_cash_buffer():
    kwargs = {"position": 100e6, "equity": 3e6, "dv01": 85_000.0, "haircut": 0.005}
    plain = spread_shock(-10.0, initial_margin=1e6, **kwargs)
    kept = spread_shock(-10.0, initial_margin=1e6, buffer=1e6, **kwargs)
    # spare cash of 1.5mn pays the 0.84mn call; keeping 1mn back forces a sale instead
    assert plain.loc[0, "sale"] == 0.0
    assert kept.loc[0, "sale"] > 0.0
    assert kept.loc[0, "cash_end"] == pytest.approx(1e6)


def test_spread_shock_requires_equity_for_the_margins():
    with pytest.raises(ValueError, match="equity"):
        spread_shock(-1.0, position=100e6, equity=1e6, dv01=1e4, haircut=0.005, initial_margin=1e6)


def test_margin_hike_goes_through_leverage():
    out = margin_hike(100e6, 2e6, 0.005, 1.5e6, 3e6)
    expected = leverage.haircut_hike(2e6, 0.02, 0.035, position=100e6)
    pd.testing.assert_frame_equal(
        out.drop(columns=["initial_margin_before", "initial_margin_after"]), expected
    )
    # at the limit (50x at an effective 2%) the share sold is 1 - 2% / 3.5%
    assert out.loc[0, "sale_share"] == pytest.approx(1 - 0.02 / 0.035)
    # a fund with room to spare sells nothing for a small rise, and a cut forces nothing
    assert margin_hike(100e6, 5e6, 0.005, 1.5e6, 2e6).loc[0, "sale"] == 0.0
    assert margin_hike(100e6, 2e6, 0.005, 1.5e6, 1e6).loc[0, "sale"] == 0.0


# --------------------------------------------------------------------------------------------
# The supplementary leverage ratio (FACTS.md section 5)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "holding", "bank", "excluded"),
    [
        (D(2018, 1, 1), (0.05, 0.05), (0.06, 0.06), False),  # 79 FR 24528, effective 2018
        (D(2020, 3, 31), (0.05, 0.05), (0.06, 0.06), False),
        (D(2020, 4, 1), (0.05, 0.05), (0.06, 0.06), True),  # temporary exclusion begins
        (D(2021, 3, 31), (0.05, 0.05), (0.06, 0.06), True),  # its last day
        (D(2021, 4, 1), (0.05, 0.05), (0.06, 0.06), False),  # not extended
        (D(2025, 4, 2), (0.05, 0.05), (0.06, 0.06), False),
        (D(2026, 4, 1), (0.035, 0.0425), (0.035, 0.04), False),  # 2025 rule in force
    ],
)
def test_slr_rule_in_force(day, holding, bank, excluded):
    rule = slr_rule(day)
    assert rule.holding_company == holding
    assert rule.bank == bank
    assert rule.treasuries_excluded is excluded
    assert rule.source


def test_slr_rules_are_sourced_and_ordered():
    assert [r.effective for r in SLR_RULES] == sorted(r.effective for r in SLR_RULES)
    assert "79 FR 24528" in SLR_RULES[0].source
    assert "90 FR 30780" in SLR_RULES[-1].source
    for r in SLR_RULES:
        assert r.holding_company[0] <= r.holding_company[1]
        assert r.bank[0] <= r.bank[1]


def test_slr_rule_before_2018_is_an_error():
    with pytest.raises(ValueError, match="on_date"):
        slr_rule(D(2017, 12, 31))


def test_balance_sheet_cost_and_breakeven():
    assert balance_sheet_cost_bp(0.05, 0.10) == pytest.approx(50.0)
    assert balance_sheet_cost_bp(0.0, 0.10) == 0.0  # Treasuries excluded
    assert dealer_breakeven_spread_bp(0.05, 0.10) == pytest.approx(-50.0)
    assert dealer_breakeven_spread_bp(0.05, 0.10, repo_minus_sofr_bp=2.0) == pytest.approx(-52.0)
    grid = dealer_breakeven_spread_bp(np.array([[0.035], [0.05]]), np.array([0.08, 0.12]))
    assert grid.shape == (2, 2)
    # at the breakeven spread the dealer's carry pays exactly for the balance sheet
    spread = dealer_breakeven_spread_bp(0.05, 0.10, repo_minus_sofr_bp=3.0)
    sofr, repo, tsy = 0.0436, 0.0439, 0.0449
    swap = tsy + spread * BP
    assert trade_carry_bp(tsy, repo, swap, sofr) == pytest.approx(balance_sheet_cost_bp(0.05, 0.10))


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    size=st.integers(1, 11),
    data=st.data(),
    fixed=st.floats(-0.01, 0.15),
)
def test_properties_of_a_bootstrapped_curve(size, data, fixed):
    # Par rates read off a curve of flat forwards from -1% to 15%, so that a curve meets them
    # (a list of rates drawn at random need not be a curve: see par_curves).
    tenors = TENORS[:size]
    forwards = data.draw(st.lists(st.floats(-0.01, 0.15), min_size=size, max_size=size))
    pillars = [ois_schedule(TRADE, n)["payment"].iloc[-1] for n in tenors]
    years = np.diff([0.0, *[(d - TRADE).days / 365.0 for d in pillars]])
    source = SofrCurve(TRADE, pillars, np.exp(-np.cumsum(np.array(forwards) * years)))
    rates = ois_par_rate(source, TRADE, tenors)
    c = SofrCurve.bootstrap(TRADE, tenors, rates)
    assert np.max(np.abs(ois_par_rate(c, TRADE, tenors) - rates)) < 1e-7
    # the bootstrap gives back the curve the rates were read from
    assert np.max(np.abs(np.log(c.discount(pillars)) - np.log(source.discount(pillars)))) < 1e-9
    n = tenors[-1]
    par = ois_par_rate(c, TRADE, n)
    pv = swap_pv(c, TRADE, n, fixed, 1e6)
    # the payer gains when the fixed rate is below par
    assert np.sign(round(pv, 6)) == np.sign(round((par - fixed) * annuity(c, TRADE, n) * 1e6, 6))
    assert swap_dv01(c, TRADE, n, 1e6) > 0


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda c: SofrCurve(TRADE, [D(2026, 1, 1)], [0.0]), ValueError, "discount_factors"),
        (lambda c: SofrCurve(TRADE, [D(2025, 1, 1)], [0.9]), ValueError, "reference_date"),
        (
            lambda c: SofrCurve(TRADE, [D(2027, 1, 1), D(2026, 1, 1)], [0.9, 0.95]),
            ValueError,
            "increasing",
        ),
        (lambda c: SofrCurve(TRADE, [D(2026, 1, 1)], [0.9, 0.8]), ValueError, "same length"),
        (lambda c: SofrCurve(TRADE, D(2026, 1, 1), [0.9]), TypeError, "dates"),
        (lambda c: SofrCurve("2025-04-02", [D(2026, 1, 1)], [0.9]), TypeError, "reference_date"),
        (lambda c: c.discount(D(2025, 1, 1)), ValueError, "dates"),
        (lambda c: c.discount("2026-01-01"), TypeError, "dates"),
        (lambda c: c.forward_rate(D(2027, 1, 1), D(2026, 1, 1)), ValueError, "end"),
        (lambda c: SofrCurve.bootstrap(TRADE, [1, 2], [0.04]), ValueError, "same length"),
        (lambda c: SofrCurve.bootstrap(TRADE, [2, 1], [0.04, 0.04]), ValueError, "increasing"),
        (lambda c: SofrCurve.bootstrap(TRADE, [0.5, 1], [0.04, 0.04]), ValueError, "tenors_years"),
        (lambda c: SofrCurve.bootstrap(TRADE, [1, 2], [4.0, 4.1]), ValueError, "percentage"),
        (lambda c: SofrCurve.bootstrap(D(2025, 4, 5), [1], [0.04]), ValueError, "trade_date"),
        (lambda c: SofrCurve.bootstrap(TRADE, [], []), ValueError, "tenors_years"),
        (lambda c: effective_date(D(2025, 4, 18)), ValueError, "trade_date"),  # Good Friday
        (lambda c: effective_date("2025-04-02"), TypeError, "trade_date"),
        (lambda c: modified_following(None), TypeError, "d"),
        (lambda c: ois_schedule(TRADE, 0), ValueError, "tenor_years"),
        (lambda c: ois_schedule(TRADE, 51), ValueError, "tenor_years"),
        (lambda c: ois_schedule(TRADE, 2.5), ValueError, "tenor_years"),
        (lambda c: ois_schedule(TRADE, True), TypeError, "tenor_years"),
        (lambda c: ois_schedule(TRADE, [1, 2]), TypeError, "tenor_years"),
        (lambda c: ois_par_rate("curve", TRADE, 5), TypeError, "curve"),
        (lambda c: ois_par_rate(c, D(2025, 4, 1), 5), ValueError, "trade_date"),
        (lambda c: ois_par_rate(c, TRADE, "10"), TypeError, "tenor_years"),
        (lambda c: annuity(c, TRADE, -1), ValueError, "tenor_years"),
        (lambda c: ois_par_rate(c, TRADE, []), ValueError, "tenor_years"),
        (lambda c: swap_pv(c, TRADE, 5, 4.0, 1e6), ValueError, "fixed_rate"),
        (lambda c: swap_pv(c, TRADE, 5, 0.04, -1e6), ValueError, "notional"),
        (lambda c: swap_pv(c, TRADE, 5, 0.04, 1e6, pay_fixed="yes"), TypeError, "pay_fixed"),
        (lambda c: swap_pv(c, TRADE, [1, 2], [0.04] * 3, 1e6), ValueError, "broadcast"),
        (lambda c: swap_dv01(c, TRADE, 5, 0.0), ValueError, "notional"),
        (lambda c: c.shifted(float("nan")), ValueError, "shift_bp"),
        (lambda c: swap_spread_bp(3.9, 0.04), ValueError, "swap_rate"),
        (lambda c: swap_spread_bp(0.039, "4%"), TypeError, "treasury_yield"),
        (lambda c: hedge_notional(-0.08, 1e8, 0.0008), ValueError, "bond_dv01_per_100"),
        (lambda c: hedge_notional(0.08, 0.0, 0.0008), ValueError, "face"),
        (lambda c: hedge_notional(0.08, 1e8, 0.0), ValueError, "swap_dv01_per_notional"),
        (lambda c: trade_carry_bp(0.045, 4.4, 0.039, 0.0436), ValueError, "repo_rate"),
        (lambda c: trade_carry_bp(0.045, 0.044, 0.039, None), TypeError, "sofr"),
        (lambda c: trade_pnl(1.0, 0.0), ValueError, "dv01"),
        (lambda c: trade_pnl(float("inf"), 1.0), ValueError, "spread_change_bp"),
        (lambda c: trade_pnl(1.0, 1.0, horizon_years=-1.0), ValueError, "horizon_years"),
        (lambda c: swap_initial_margin(1e8, 0.0008, -5.0), ValueError, "im_bp"),
        (lambda c: swap_initial_margin(1e8, -0.0008, 5.0), ValueError, "dv01_per_notional"),
        (
            lambda c: spread_shock(-1.0, position=1e8, equity=5e6, dv01=1e4, haircut=1.0),
            ValueError,
            "haircut",
        ),
        (
            lambda c: spread_shock(-1.0, position=1e8, equity=5e6, dv01=1e4, haircut=0.0),
            ValueError,
            "initial_margin",
        ),
        (
            lambda c: spread_shock(-1e5, position=1e8, equity=5e6, dv01=1e4, haircut=0.02),
            ValueError,
            "spread_change_bp",
        ),
        (
            lambda c: spread_shock("x", position=1e8, equity=5e6, dv01=1e4, haircut=0.02),
            TypeError,
            "spread_change_bp",
        ),
        (lambda c: margin_hike(1e8, 2e6, 0.005, -1.0, 3e6), ValueError, "initial_margin_before"),
        (lambda c: margin_hike(1e8, 2e6, 0.005, 1e6, 2e8), ValueError, "initial_margin_after"),
        (lambda c: margin_hike(1e8, 1e6, 0.005, 1e6, 2e6), ValueError, "equity"),
        (lambda c: margin_hike(0.0, 1e6, 0.005, 1e6, 2e6), ValueError, "position"),
        (lambda c: slr_rule("2025-01-01"), TypeError, "on_date"),
        (lambda c: balance_sheet_cost_bp(5.0, 0.1), ValueError, "slr"),
        (lambda c: balance_sheet_cost_bp(0.05, -0.1), ValueError, "return_on_capital"),
        (
            lambda c: dealer_breakeven_spread_bp(0.05, 0.1, repo_minus_sofr_bp="2"),
            TypeError,
            "repo_minus_sofr_bp",
        ),
    ],
)
def test_bad_input(curve, call, error, match):
    with pytest.raises(error, match=match):
        call(curve)


# --------------------------------------------------------------------------------------------
# Leg by leg: dollar carry, roll-down, one DV01 basis, variation margin
# --------------------------------------------------------------------------------------------

NOTE = Treasury(0.04625, D(2035, 2, 15))
SETTLE = D(2025, 4, 3)


def _ql_note_clean(settle: dt.date, ytm: float) -> tuple[float, float]:
    """QuantLib's clean price and accrued of NOTE at a yield (semiannual ACT/ACT ICMA)."""
    ql.Settings.instance().evaluationDate = qdate(settle)
    schedule = ql.Schedule(
        qdate(D(2025, 2, 15)), qdate(NOTE.maturity), ql.Period(ql.Semiannual), ql.NullCalendar(),
        ql.Unadjusted, ql.Unadjusted, ql.DateGeneration.Backward, False,
    )  # fmt: skip
    dc = ql.ActualActual(ql.ActualActual.ISMA, schedule)
    bond = ql.FixedRateBond(0, 100.0, schedule, [NOTE.coupon], dc)
    rate = ql.InterestRate(ytm, dc, ql.Compounded, ql.Semiannual)
    clean = ql.BondFunctions.cleanPrice(bond, rate, qdate(settle))
    return clean, bond.accruedAmount(qdate(settle))


@pytest.mark.parametrize("horizon", [D(2025, 7, 3), D(2025, 8, 15), D(2026, 4, 3)])
def test_bond_carry_matches_a_quantlib_cash_flow_count(horizon):
    y, face, repo = 0.04224, 1e9, 0.044
    leg = bond_carry(NOTE, SETTLE, y, face, repo, horizon)
    clean0, acc0 = _ql_note_clean(SETTLE, y)
    clean1, acc1 = _ql_note_clean(horizon, y)
    coupons = sum(NOTE.coupon / 2 * 100 for c in (D(2025, 8, 15), D(2026, 2, 15)) if c <= horizon)
    assert leg["pull_to_par"] == pytest.approx((clean1 - clean0) / 100 * face, abs=1.0)
    assert leg["coupon_income"] == pytest.approx((coupons + acc1 - acc0) / 100 * face, abs=1.0)
    days = (horizon - SETTLE).days
    financed = (clean0 + acc0) / 100 * face
    assert leg["repo_interest"] == pytest.approx(-financed * repo * days / 360, rel=1e-9)
    assert leg["total"] == pytest.approx(
        leg[["coupon_income", "pull_to_par", "repo_interest"]].sum()
    )


def test_bond_carry_within_a_coupon_period_is_the_yield_compounded():
    # Hand count: at a constant yield the dirty price grows by (1 + y/2) per coupon period.
    y = 0.045
    horizon = D(2025, 7, 3)
    leg = bond_carry(NOTE, SETTLE, y, 100.0, 0.0, horizon)
    w = (horizon - SETTLE).days / (D(2025, 8, 15) - D(2025, 2, 15)).days
    growth = dirty_price(NOTE, SETTLE, y) * ((1 + y / 2) ** w - 1)
    assert leg["coupon_income"] + leg["pull_to_par"] == pytest.approx(growth, rel=1e-10)


def test_swap_carry_is_each_legs_own_notional_at_act_360():
    leg = swap_carry(955.58e6, 0.03664, 0.0435, D(2025, 4, 4), D(2026, 4, 6))
    # The review's hand count: $955.58mn x (4.35% - 3.664%) x 367 / 360.
    assert leg["total"] == pytest.approx(955.58e6 * (0.0435 - 0.03664) * 367 / 360, rel=1e-12)
    assert leg["sofr_received"] > 0 > leg["fixed_paid"]


def test_leg_by_leg_carry_is_below_the_first_order_identity():
    # Eq. (4.4) x face overstates the carry: repo on the dirty value at ACT/360, the swap's
    # own notional, and coupon + pull to par in place of the yield on face.
    curve = SofrCurve.bootstrap(TRADE, TENORS, RATES)
    k = ois_par_rate(curve, TRADE, 10)
    y = yield_to_maturity(NOTE, SETTLE, 103.2)
    n = hedge_notional(dv01(NOTE, SETTLE, y), 1e9, swap_pv01(curve, TRADE, 10, 1.0))
    dollars = (
        bond_carry(NOTE, SETTLE, y, 1e9, 0.044, D(2026, 4, 3))["total"]
        + swap_carry(n, k, 0.0435, effective_date(TRADE), D(2026, 4, 6))["total"]
    )
    first_order = trade_carry_bp(y, 0.044, k, 0.0435) / 1e4 * 1e9
    assert dollars < 0.9 * first_order


def _rolled_value_by_hand(curve, k, notional, horizon, sofr):
    """The seasoned 10-year swap valued at the horizon from the trade-date curve, by hand."""
    shift = horizon - TRADE
    sched = ois_schedule(TRADE, 10)

    def df(d):  # unchanged curve: DF seen from the horizon = DF the same time after TRADE
        return curve.discount(d - shift)

    total = 0.0
    for i, (s, e, p, a) in enumerate(sched.itertuples(index=False)):
        if i == 0:
            grown = (1 + sofr * (horizon - s).days / 360) / df(e)
        else:
            grown = df(s) / df(e)
        total += ((grown - 1) - k * a) * df(p)
    return notional * total


@pytest.mark.parametrize("horizon", [D(2025, 5, 2), D(2025, 7, 3), D(2026, 3, 31)])
def test_swap_value_at_horizon_matches_a_hand_count(horizon):
    curve = SofrCurve.bootstrap(TRADE, TENORS, RATES)
    k = ois_par_rate(curve, TRADE, 10)
    value = swap_value_at_horizon(curve, TRADE, 10, k, 1e8, horizon, 0.0435)
    assert value == pytest.approx(_rolled_value_by_hand(curve, k, 1e8, horizon, 0.0435), abs=1e-4)


def test_swap_value_at_horizon_on_a_flat_curve_is_the_carry_alone():
    # A flat curve does not roll: what is left is SOFR's surprise over the forecast.
    curve = SofrCurve(TRADE, [D(2035, 4, 2)], [0.68])
    k = ois_par_rate(curve, TRADE, 10)
    start, horizon = effective_date(TRADE), D(2025, 7, 3)
    forecast = curve.forward_rate(start, horizon)
    assert abs(swap_value_at_horizon(curve, TRADE, 10, k, 1e8, horizon, forecast)) < 1e-6
    up = swap_value_at_horizon(curve, TRADE, 10, k, 1e8, horizon, forecast + 0.01)
    assert up > 0  # more SOFR than forecast pays the receiver of SOFR


def test_swap_pv01_is_one_bp_of_fixed_rate():
    curve = SofrCurve.bootstrap(TRADE, TENORS, RATES)
    k = ois_par_rate(curve, TRADE, 10)
    gain = swap_pv(curve, TRADE, 10, k - BP, 1e8) - swap_pv(curve, TRADE, 10, k, 1e8)
    assert swap_pv01(curve, TRADE, 10, 1e8) == pytest.approx(gain, rel=1e-12)
    assert swap_pv01(curve, TRADE, 10, 1e8) < swap_dv01(curve, TRADE, 10, 1e8)


def _parallel_move(per_notional: float) -> tuple[float, float]:
    """Value change of the hedged trade for +1bp in the note's yield and every par swap rate."""
    curve = SofrCurve.bootstrap(TRADE, TENORS, RATES)
    y = yield_to_maturity(NOTE, SETTLE, 103.2)
    face = 1e9
    leg_dv01 = dv01(NOTE, SETTLE, y) / 100 * face
    n = hedge_notional(dv01(NOTE, SETTLE, y), face, per_notional)
    k = ois_par_rate(curve, TRADE, 10)
    bond = (dirty_price(NOTE, SETTLE, y + BP) - dirty_price(NOTE, SETTLE, y)) / 100 * face
    moved = SofrCurve.bootstrap(TRADE, TENORS, [r + BP for r in RATES])
    swap = swap_pv(moved, TRADE, 10, k, n)  # pay fixed at the old rate
    return bond + swap, leg_dv01


def test_par_pv01_hedge_is_flat_to_a_parallel_move_in_quoted_rates():
    curve = SofrCurve.bootstrap(TRADE, TENORS, RATES)
    change, leg = _parallel_move(swap_pv01(curve, TRADE, 10, 1.0))
    assert abs(change) < 0.01 * leg


def test_zero_rate_dv01_hedge_is_not():
    # The check above can fail: hedging a yield DV01 with a zero-rate DV01 under-hedges ~2%.
    curve = SofrCurve.bootstrap(TRADE, TENORS, RATES)
    change, leg = _parallel_move(swap_dv01(curve, TRADE, 10, 1.0))
    assert change < -0.01 * leg


def test_vm_call_pays_the_loss_and_releases_initial_margin_pro_rata():
    kw = {"position": 1e9, "dv01": 800e3, "haircut": 0.0, "initial_margin": 24e6}
    out = vm_call([-10.0, 5.0], equity=24e6, **kw)
    assert out["call"].tolist() == [8e6, 0.0]  # variation margin is the loss, one for one
    # Cutting a third of the trade releases a third of the $24mn margin: the $8mn call.
    assert out.loc[0, "sale_share"] == pytest.approx(1 / 3)
    assert out.loc[0, "sale"] == pytest.approx((1e9 - 8e6) / 3)
    spare = vm_call(-10.0, equity=30e6, **kw).iloc[0]  # $6mn spare pays first
    assert spare["sale_share"] == pytest.approx(2e6 / 24e6)
    haircut = vm_call(-10.0, equity=24e6 + 0.01 * 1e9, **{**kw, "haircut": 0.01}).iloc[0]
    assert haircut["released_per_share"] == pytest.approx(0.01 * (1e9 - 8e6) + 24e6)
    gone = vm_call(-40.0, equity=24e6, **kw).iloc[0]
    assert math.isnan(gone["sale_share"]) and gone["equity_after"] < 0


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: bond_carry(NOTE, SETTLE, 0.04, 1e9, 0.044, SETTLE), ValueError, "horizon"),
        (lambda: bond_carry(NOTE, SETTLE, 0.04, 0.0, 0.044, D(2025, 7, 3)), ValueError, "face"),
        (lambda: bond_carry("x", SETTLE, 0.04, 1e9, 0.044, D(2025, 7, 3)), TypeError, "bond"),
        (lambda: swap_carry(-1.0, 0.04, 0.04, SETTLE, D(2025, 7, 3)), ValueError, "notional"),
        (
            lambda: swap_value_at_horizon(
                SofrCurve.bootstrap(TRADE, TENORS, RATES), TRADE, 10, 0.04, 1e8, D(2026, 5, 1), 0.04
            ),
            ValueError,
            "horizon",
        ),
        (
            lambda: vm_call(
                -1.0, position=1e9, equity=1e6, dv01=1e5, haircut=0.0, initial_margin=2e6
            ),
            ValueError,
            "equity",
        ),
        (
            lambda: vm_call(
                -1.0, position=1e9, equity=1e6, dv01=1e5, haircut=0.0, initial_margin=0.0
            ),
            ValueError,
            "initial_margin",
        ),
        (
            lambda: vm_call(
                -1e5, position=1e8, equity=5e6, dv01=1e4, haircut=0.0, initial_margin=5e6
            ),
            ValueError,
            "spread_change_bp",
        ),
    ],
)
def test_leg_by_leg_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_a_swap_schedule_rolls_off_good_friday_2042():
    # The 17-year swap of 2 April 2025 would end on Friday 4 April 2042, Good Friday and the
    # first Friday of April: not a settlement day (SIFMA), so modified following moves it to
    # Monday 7 April, and the payment two business days later.
    last = ois_schedule(TRADE, 17).iloc[-1]
    assert (last["end"], last["payment"]) == (D(2042, 4, 7), D(2042, 4, 9))


# --------------------------------------------------------------------------------------------
# Matched-maturity spreads
# --------------------------------------------------------------------------------------------


def test_matched_maturity_rate_is_the_pillar_at_a_swap_end_date():
    curve = SofrCurve.bootstrap(TRADE, TENORS, RATES)
    for n in (1, 7, 10, 30, 50):
        end = ois_schedule(TRADE, n)["end"].iloc[-1]
        assert matched_maturity_swap_rate(curve, TRADE, end) == pytest.approx(
            ois_par_rate(curve, TRADE, n), abs=1e-15
        )


def test_matched_maturity_rate_by_hand_between_the_swaps():
    # The 4 1/4% note of 15 November 2034: between the 9-year swap (ending Tuesday 4 April 2034)
    # and the 10-year (Wednesday 4 April 2035); 225 of 365 days along.
    curve = SofrCurve.bootstrap(TRADE, TENORS, RATES)
    nine, ten = ois_par_rate(curve, TRADE, [9, 10])
    by_hand = nine + (ten - nine) * 225 / 365
    assert matched_maturity_swap_rate(curve, TRADE, D(2034, 11, 15)) == pytest.approx(by_hand)
    spread = matched_maturity_spread_bp(curve, TRADE, D(2034, 11, 15), 0.0422)
    assert spread == pytest.approx((by_hand - 0.0422) * 1e4)


@pytest.mark.parametrize("maturity", [D(2026, 1, 15), D(2075, 6, 1)])
def test_matched_maturity_rate_outside_the_swaps(maturity):
    curve = SofrCurve.bootstrap(TRADE, TENORS, RATES)
    with pytest.raises(ValueError, match="maturity"):
        matched_maturity_swap_rate(curve, TRADE, maturity)
