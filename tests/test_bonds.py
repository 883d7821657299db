"""Tests for treasury_rv.bonds: accrued interest, price <-> yield, DV01, duration, convexity."""

import calendar
import dataclasses
import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from treasury_rv.bonds import (
    Treasury,
    accrued_interest,
    cash_flows,
    clean_price,
    convexity,
    dirty_price,
    dv01,
    macaulay_duration,
    modified_duration,
    yield_to_maturity,
)

D = dt.date


# --------------------------------------------------------------------------------------------
# An independent implementation of the street convention: walk the coupon dates one by one,
# count the days, and add the discounted cash flows in a plain loop.
# --------------------------------------------------------------------------------------------


def _months_back(maturity, months):
    """The date ``months`` months before ``maturity``, by the Treasury end-of-month rule."""
    month_end = maturity.day == calendar.monthrange(maturity.year, maturity.month)[1]
    total = maturity.year * 12 + maturity.month - 1 - months
    year, month = total // 12, total % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return D(year, month, last if month_end else min(maturity.day, last))


def street(coupon, maturity, settle, ytm):
    """(dirty price, accrued interest) per 100 face, computed from first principles."""
    remaining = []  # coupon dates after settle, latest first
    months = 0
    while (day := _months_back(maturity, months)) > settle:
        remaining.append(day)
        months += 6
    last_coupon = day
    remaining.reverse()
    next_coupon = remaining[0]
    period_days = (next_coupon - last_coupon).days
    w = (next_coupon - settle).days / period_days
    dirty = 0.0
    for k, pay_date in enumerate(remaining):
        amount = 100 * coupon / 2 + (100 if pay_date == maturity else 0)
        dirty += amount / (1 + ytm / 2) ** (w + k)
    accrued = 100 * coupon / 2 * (settle - last_coupon).days / period_days
    return dirty, accrued


BONDS = [
    Treasury(0.04125, D(2032, 11, 15)),
    Treasury(0.04625, D(2055, 2, 15)),
    Treasury(0.0, D(2030, 5, 15)),
    Treasury(0.00125, D(2026, 8, 31)),  # month-end maturities
    Treasury(0.0375, D(2030, 2, 28)),
    Treasury(0.02875, D(2032, 2, 29)),
    Treasury(0.0425, D(2028, 11, 30)),
    Treasury(0.05, D(2031, 5, 31)),
    Treasury(0.0625, D(2030, 8, 30)),  # the 30th, not a month end
    Treasury(0.1, D(2027, 3, 31)),
]
SETTLES = [
    D(2025, 4, 9),
    D(2025, 5, 15),  # a coupon date for the 15 May/November bonds
    D(2026, 2, 27),
    D(2026, 2, 28),  # a coupon date for the February month-end bonds
    D(2026, 8, 30),  # last period of the 2026-08-31 bond, one day before maturity
    D(2027, 1, 4),  # last period of the 2027-03-31 bond
    D(2029, 12, 31),
    D(2030, 2, 27),
]
YIELDS = [-0.01, 0.0, 1e-9, 1e-6, 0.00015, 0.0425, 0.08, 0.25]


def _grid():
    for bond in BONDS:
        for settle in SETTLES:
            if settle < bond.maturity:
                yield bond, settle


@pytest.mark.parametrize(("bond", "settle"), list(_grid()), ids=str)
def test_agrees_with_independent_street_convention(bond, settle):
    prices = dirty_price(bond, settle, np.array(YIELDS))
    for ytm, price in zip(YIELDS, prices, strict=True):
        expected, accrued = street(bond.coupon, bond.maturity, settle, ytm)
        assert price == pytest.approx(expected, abs=1e-8)
        assert dirty_price(bond, settle, ytm) == pytest.approx(expected, abs=1e-8)
        assert clean_price(bond, settle, ytm) == pytest.approx(expected - accrued, abs=1e-8)
    assert accrued_interest(bond, settle) == pytest.approx(accrued, abs=1e-12)


@pytest.mark.parametrize(("bond", "settle"), list(_grid()), ids=str)
def test_cash_flows_match_independent_schedule(bond, settle):
    times, amounts = cash_flows(bond, settle)
    rebuilt = float(np.sum(amounts / 1.02**times))  # 4% yield
    assert rebuilt == pytest.approx(street(bond.coupon, bond.maturity, settle, 0.04)[0], abs=1e-9)
    assert np.diff(times) == pytest.approx(np.ones(times.size - 1), abs=1e-12)
    assert 0 < times[0] <= 1
    assert amounts[-1] == pytest.approx(100 + 50 * bond.coupon, abs=1e-12)


# --------------------------------------------------------------------------------------------
# Published and hand-computed values
# --------------------------------------------------------------------------------------------


# Treasury auction results (high yield and price per 100, six decimals) as reported by
# The Bond Buyer:
#   https://www.bondbuyer.com/news/treasury-10-year-notes-go-at-3937-high-yield-BB288238
#   http://www.bondbuyer.com/issues/121_27/treasury-auction-10-year-notes-1036134-1.html
#   https://www.bondbuyer.com/news/treasury-10-year-notes-go-at-2250-high-yield-on-aug-9
#   https://www.bondbuyer.com/news/treasury-10-year-notes-go-at-2180-high-yield-on-sept-12
@pytest.mark.parametrize(
    ("coupon", "maturity", "settle", "high_yield", "price"),
    [
        # Original 10-year issues: settlement on the dated date starts a full coupon period, so
        # Treasury's auction formula (31 CFR 356, Appendix B) and the street convention agree.
        # Results as reported by The Bond Buyer ("Treasury 10-Year Notes Go at 3.937% High
        # Yield", May 2008): 3 7/8% notes dated 15 May, maturing 15 May 2018, price 99.491561.
        (0.03875, D(2018, 5, 15), D(2008, 5, 15), 0.03937, 99.491561),
        # "Treasury 10-Year Notes Go at 2.020% High Yield" (The Bond Buyer, February 2012):
        # 2% notes maturing 15 February 2022, price 99.819726. (The article's "dated Feb. 15,
        # 2011" is a misprint for 2012: the price needs exactly 20 whole periods.)
        (0.02, D(2022, 2, 15), D(2012, 2, 15), 0.0202, 99.819726),
        # "Treasury 10-year notes go at 2.250% high yield on Aug. 9" (The Bond Buyer, 2017):
        # 2 1/4% notes dated 15 August 2017, maturing 15 August 2027, price par.
        (0.0225, D(2027, 8, 15), D(2017, 8, 15), 0.0225, 100.0),
    ],
)
def test_auction_prices(coupon, maturity, settle, high_yield, price):
    bond = Treasury(coupon, maturity)
    # Auction prices are published to six decimals.
    assert clean_price(bond, settle, high_yield) == pytest.approx(price, abs=5e-7)
    assert yield_to_maturity(bond, settle, price) == pytest.approx(high_yield, abs=1e-7)


def test_reopening_differs_from_treasury_formula_by_the_fractional_period():
    # Reopened 2 1/4% notes of 15 August 2027, auctioned 12 September 2017 at a 2.180% high
    # yield, price 100.619500, settling 15 September 2017 (The Bond Buyer, "Treasury 10-year
    # notes go at 2.180% high yield on Sept. 12"). Treasury's formula (31 CFR 356, Appendix B)
    # discounts the first, fractional period with simple interest:
    #   P + AI = (C/2 + C/2 * a_n + 100 v^n) / (1 + (r/s) i/2),
    # r = 153 days (15 Sep 2017 -> 15 Feb 2018), s = 184 days (15 Aug 2017 -> 15 Feb 2018),
    # n = 19 whole periods after the next coupon, v = 1 / (1 + i/2).
    coupon, ytm, r, s, n = 0.0225, 0.0218, 153, 184, 19
    v = 1 / (1 + ytm / 2)
    annuity = sum(v**k for k in range(1, n + 1))
    accrued = 100 * coupon / 2 * (s - r) / s
    treasury_formula = (100 * coupon / 2 * (1 + annuity) + 100 * v**n) / (
        1 + r / s * ytm / 2
    ) - accrued
    assert treasury_formula == pytest.approx(100.6195, abs=5e-7)

    bond = Treasury(coupon, D(2027, 8, 15))
    settle = D(2017, 9, 15)
    assert accrued_interest(bond, settle) == pytest.approx(accrued, abs=1e-12)
    # Compounding over the fraction (street) discounts less than simple interest does.
    street_price = clean_price(bond, settle, ytm)
    assert 0 < street_price - treasury_formula < 1e-3


def test_accrued_interest_by_hand():
    # 4 1/8% of 15 Nov 2032, settling 15 Feb 2023: 92 days since 15 Nov 2022
    # (15 + 31 + 31 + 15) of 181 in the period to 15 May 2023 (15 + 31 + 31 + 28 + 31 + 30 + 15).
    bond = Treasury(0.04125, D(2032, 11, 15))
    assert accrued_interest(bond, D(2023, 2, 15)) == pytest.approx(2.0625 * 92 / 181, abs=1e-14)
    # On a coupon date: nothing accrued.
    assert accrued_interest(bond, D(2023, 5, 15)) == 0.0
    # 3 3/4% of 28 Feb 2030, settling 1 Mar 2029: 1 day since 28 Feb 2029 of 184 to 31 Aug 2029
    # (1 + 30 + 31 + 30 + 31 + 30 + 31 = 184).
    month_end = Treasury(0.0375, D(2030, 2, 28))
    assert accrued_interest(month_end, D(2029, 3, 1)) == pytest.approx(1.875 / 184, abs=1e-14)
    # 30 Nov 2028 maturity, settling 30 Jun 2028: 30 days since 31 May 2028 of 183 to 30 Nov.
    nov = Treasury(0.0425, D(2028, 11, 30))
    assert accrued_interest(nov, D(2028, 6, 30)) == pytest.approx(2.125 * 30 / 183, abs=1e-14)


def test_par_on_a_coupon_date():
    # At a yield equal to the coupon, a bond is worth par on a coupon date.
    for coupon in (0.00125, 0.02875, 0.04125, 0.0625):
        for maturity, settle in [
            (D(2035, 5, 15), D(2025, 5, 15)),
            (D(2030, 2, 28), D(2027, 8, 31)),
        ]:
            bond = Treasury(coupon, maturity)
            assert clean_price(bond, settle, coupon) == pytest.approx(100.0, abs=1e-10)
            assert yield_to_maturity(bond, settle, 100.0) == pytest.approx(coupon, abs=1e-12)


def test_zero_coupon_by_hand():
    # 10 whole periods to maturity: price 100 / 1.02**10, Macaulay duration 5 years,
    # modified 5 / 1.02, convexity 10 * 11 / (4 * 1.02**2).
    bond = Treasury(0.0, D(2030, 5, 15))
    settle = D(2025, 5, 15)
    assert dirty_price(bond, settle, 0.04) == pytest.approx(100 / 1.02**10, abs=1e-12)
    assert macaulay_duration(bond, settle, 0.04) == pytest.approx(5.0, abs=1e-12)
    assert modified_duration(bond, settle, 0.04) == pytest.approx(5 / 1.02, abs=1e-12)
    assert convexity(bond, settle, 0.04) == pytest.approx(110 / (4 * 1.02**2), abs=1e-10)


def test_final_period_single_cash_flow():
    # Settling 14 Feb 2027 for a 15 May 2027 maturity: 90 days to go of 181 (15 Nov 2026 ->
    # 15 May 2027: 15 + 31 + 31 + 28 + 31 + 30 + 15), one cash flow of 102.
    bond = Treasury(0.04, D(2027, 5, 15))
    settle = D(2027, 2, 14)
    w = 90 / 181
    assert dirty_price(bond, settle, 0.05) == pytest.approx(102 / 1.025**w, abs=1e-12)
    times, amounts = cash_flows(bond, settle)
    assert times.tolist() == pytest.approx([w], abs=1e-15)
    assert amounts.tolist() == [102.0]


# --------------------------------------------------------------------------------------------
# Identities and properties
# --------------------------------------------------------------------------------------------

bonds_and_settles = st.builds(
    lambda coupon_eighths, maturity, days_before: (
        Treasury(coupon_eighths / 800, maturity),
        maturity - dt.timedelta(days=days_before),
    ),
    coupon_eighths=st.integers(0, 120),
    maturity=st.dates(D(2020, 1, 1), D(2060, 12, 31)),
    days_before=st.integers(1, 365 * 30 + 7),
)
yields = st.floats(-0.02, 0.2, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(bonds_and_settles, yields)
def test_price_yield_round_trip(bond_settle, ytm):
    bond, settle = bond_settle
    price = clean_price(bond, settle, ytm)
    assert yield_to_maturity(bond, settle, price) == pytest.approx(ytm, abs=1e-10)


@settings(max_examples=100, deadline=None)
@given(bonds_and_settles)
def test_round_trip_on_arrays(bond_settle):
    bond, settle = bond_settle
    ytm = np.linspace(-0.02, 0.2, 240).reshape(3, 80, 1)
    price = clean_price(bond, settle, ytm)
    assert price.shape == ytm.shape
    back = yield_to_maturity(bond, settle, price)
    assert isinstance(back, np.ndarray) and back.shape == ytm.shape
    assert np.max(np.abs(back - ytm)) <= 1e-10
    # Price falls as yield rises.
    assert np.all(np.diff(price.ravel()) < 0)


@settings(max_examples=200, deadline=None)
@given(bonds_and_settles, yields)
def test_clean_is_dirty_less_accrued(bond_settle, ytm):
    bond, settle = bond_settle
    assert clean_price(bond, settle, ytm) == pytest.approx(
        dirty_price(bond, settle, ytm) - accrued_interest(bond, settle), abs=1e-12
    )
    assert 0 <= accrued_interest(bond, settle) < 100 * bond.coupon / 2 + 1e-12


@settings(max_examples=200, deadline=None)
@given(bonds_and_settles, yields)
def test_risk_measures_against_finite_differences(bond_settle, ytm):
    bond, settle = bond_settle
    h = 5e-5  # half a basis point, a different step from dv01's own
    p_down, p_mid, p_up = dirty_price(bond, settle, np.array([ytm - h, ytm, ytm + h]))
    slope = (p_down - p_up) / (2 * h)
    curvature = (p_up - 2 * p_mid + p_down) / h**2

    # Central differences err by about (step**2 / 6) P''' / P', under 2e-6 relative for a
    # 30-year bond with a 1bp step.
    assert dv01(bond, settle, ytm) > 0
    assert dv01(bond, settle, ytm) == pytest.approx(slope * 1e-4, rel=1e-5)
    assert modified_duration(bond, settle, ytm) == pytest.approx(slope / p_mid, rel=1e-5)
    assert macaulay_duration(bond, settle, ytm) == pytest.approx(
        modified_duration(bond, settle, ytm) * (1 + ytm / 2), rel=1e-12
    )
    conv = convexity(bond, settle, ytm)
    assert conv > 0
    # The second difference loses about eps * P / h**2 ~ 1e-5 to rounding.
    assert conv == pytest.approx(curvature / p_mid, rel=1e-4, abs=2e-3)


def test_duration_bounded_by_maturity():
    bond = Treasury(0.05, D(2055, 2, 15))
    settle = D(2025, 4, 9)
    years = (bond.maturity - settle).days / 365.25
    mac = macaulay_duration(bond, settle, np.array([0.0, 0.05, 0.2]))
    assert np.all((0 < mac) & (mac < years))
    assert np.all(np.diff(mac) < 0)  # higher yield, shorter duration


def test_scalar_in_scalar_out():
    bond = Treasury(0.04125, D(2032, 11, 15))
    settle = D(2025, 4, 9)
    for func in (clean_price, dirty_price, dv01, modified_duration, macaulay_duration, convexity):
        assert type(func(bond, settle, 0.04)) is float
        assert type(func(bond, settle, np.float64(0.04))) is float
        assert func(bond, settle, [0.04, 0.05]).shape == (2,)
    assert type(yield_to_maturity(bond, settle, 99.5)) is float
    # Elementwise: the vectorised answer equals the scalar one.
    ytm = np.array([[0.01, 0.03], [0.05, 0.07]])
    prices = clean_price(bond, settle, ytm)
    for idx in np.ndindex(ytm.shape):
        assert prices[idx] == pytest.approx(clean_price(bond, settle, ytm[idx]), abs=1e-11)
    assert dv01(bond, settle, ytm).shape == (2, 2)
    assert convexity(bond, settle, ytm).shape == (2, 2)


def test_yield_of_extreme_prices():
    bond = Treasury(0.04625, D(2055, 2, 15))
    settle = D(2025, 4, 9)
    prices = np.array([1.0, 10.0, 300.0, 1000.0])
    back = yield_to_maturity(bond, settle, prices)
    assert clean_price(bond, settle, np.clip(back, None, 1.0))[1:] == pytest.approx(
        prices[1:], rel=1e-10
    )
    # The yield of price 1 is above 100%, beyond clean_price's input range: check by hand.
    expected, accrued = street(bond.coupon, bond.maturity, settle, float(back[0]))
    assert expected - accrued == pytest.approx(1.0, rel=1e-9)


def test_unreachable_price_raises():
    # One day before maturity a price of 1 needs a yield beyond any float.
    bond = Treasury(0.01, D(2025, 5, 15))
    with pytest.raises(ValueError, match="clean_price"):
        yield_to_maturity(bond, D(2025, 5, 14), 1.0)


# --------------------------------------------------------------------------------------------
# The Treasury type
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("coupon", "label"),
    [
        (0.04125, "4 1/8% 2035-05-15"),
        (0.04, "4% 2035-05-15"),
        (0.00125, "1/8% 2035-05-15"),
        (0.0375, "3 3/4% 2035-05-15"),
        (0.045, "4 1/2% 2035-05-15"),
        (0.040625, "4.0625% 2035-05-15"),
        (0.0, "0% 2035-05-15"),
    ],
)
def test_label(coupon, label):
    assert Treasury(coupon, D(2035, 5, 15)).label == label


def test_treasury_is_frozen_and_normalised():
    bond = Treasury(np.float64(0.04), dt.datetime(2035, 5, 15, 12), D(2025, 5, 15), "10y")
    assert type(bond.coupon) is float
    assert bond.maturity == D(2035, 5, 15) and type(bond.maturity) is D
    assert bond.name == "10y"
    with pytest.raises(dataclasses.FrozenInstanceError):
        bond.coupon = 0.05


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------

BOND = Treasury(0.04125, D(2032, 11, 15))
SETTLE = D(2025, 4, 9)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"coupon": 4.125}, ValueError, "coupon.*percentage"),
        ({"coupon": -0.01}, ValueError, "coupon"),
        ({"coupon": 0.3}, ValueError, "coupon"),
        ({"coupon": math.nan}, ValueError, "coupon"),
        ({"coupon": "0.04"}, TypeError, "coupon"),
        ({"maturity": "2032-11-15"}, TypeError, "maturity"),
        ({"issue_date": D(2033, 1, 1)}, ValueError, "issue_date"),
        ({"issue_date": "2022-11-15"}, TypeError, "issue_date"),
        ({"name": 10}, TypeError, "name"),
    ],
)
def test_treasury_bad_input(kwargs, error, match):
    args = {"coupon": 0.04125, "maturity": D(2032, 11, 15)} | kwargs
    with pytest.raises(error, match=match):
        Treasury(**args)


PRICERS = [clean_price, dirty_price, dv01, modified_duration, macaulay_duration, convexity]


@pytest.mark.parametrize("func", PRICERS + [yield_to_maturity])
def test_settle_checks(func):
    value = 99.0 if func is yield_to_maturity else 0.04
    with pytest.raises(ValueError, match="settle .* must be before maturity"):
        func(BOND, BOND.maturity, value)
    with pytest.raises(ValueError, match="settle .* must be before maturity"):
        func(BOND, D(2040, 1, 1), value)
    with pytest.raises(TypeError, match="settle"):
        func(BOND, "2025-04-09", value)
    with pytest.raises(TypeError, match="bond"):
        func((0.04125, D(2032, 11, 15)), SETTLE, value)


def test_accrued_and_cash_flow_checks():
    with pytest.raises(ValueError, match="settle .* must be before maturity"):
        accrued_interest(BOND, D(2032, 11, 15))
    with pytest.raises(TypeError, match="settle"):
        accrued_interest(BOND, None)
    with pytest.raises(ValueError, match="settle"):
        cash_flows(BOND, D(2033, 1, 1))


@pytest.mark.parametrize("func", PRICERS)
@pytest.mark.parametrize(
    ("ytm", "error", "match"),
    [
        (math.nan, ValueError, "ytm"),
        (math.inf, ValueError, "ytm"),
        (np.array([0.04, math.nan]), ValueError, "ytm"),
        (-2.0, ValueError, "ytm"),
        (-3.0, ValueError, "ytm"),
        (4.25, ValueError, "ytm.*percentage"),
        ("0.04", TypeError, "ytm"),
        (True, TypeError, "ytm"),
        ([0.04, None], TypeError, "ytm"),
    ],
)
def test_bad_yields(func, ytm, error, match):
    with pytest.raises(error, match=match):
        func(BOND, SETTLE, ytm)


def test_dv01_needs_room_below_the_yield():
    with pytest.raises(ValueError, match=r"ytm .* got -1\.99995$"):
        dv01(BOND, SETTLE, -1.99995)


@pytest.mark.parametrize(
    ("price", "error"),
    [
        (0.0, ValueError),
        (-1.0, ValueError),
        (math.nan, ValueError),
        (math.inf, ValueError),
        (np.array([99.0, 0.0]), ValueError),
        ("99-16", TypeError),
        ("99.5", TypeError),
        (None, TypeError),
    ],
)
def test_bad_prices(price, error):
    with pytest.raises(error, match="clean_price"):
        yield_to_maturity(BOND, SETTLE, price)
