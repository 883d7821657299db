"""Fitting the Svensson curve to bond prices, rich/cheap residuals, par and forward curves."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from treasury_rv import curves
from treasury_rv.bonds import Treasury, accrued_interest, clean_price, yield_to_maturity
from treasury_rv.curves import (
    MIN_FIT_BONDS,
    SvenssonCurve,
    fit_svensson,
    gsw_curve,
    par_coupon,
    price_on_curve,
    yield_residuals_bp,
)
from treasury_rv.dates import add_months, coupon_schedule

D = dt.date
SETTLE = D(2025, 4, 3)
# The Fed's fitted curves shipped with the library (feds200628; FACTS.md section 4).
SHIPPED_DATES = [
    D(1998, 8, 31),
    D(1998, 10, 5),
    D(2020, 3, 9),
    D(2020, 3, 18),
    D(2025, 4, 2),
    D(2025, 4, 4),
    D(2025, 4, 9),
    D(2025, 4, 11),
]


def universe(n=120, settle=SETTLE):
    """Notes and bonds maturing every few weeks out to 30 years, on the 15th or a month end,
    with coupons from 1/8% to 6 1/4% (an off-the-run universe like the one the Fed fits)."""
    out = []
    for k in range(n):
        months = 1 + (k * 359) // (n - 1)
        day = D(2025, 4, 30) if k % 3 == 0 else D(2025, 4, 15)
        maturity = add_months(day, months, eom=k % 3 == 0)
        out.append(Treasury(0.00125 * (1 + (7 * k) % 50), maturity))
    return [b for b in out if b.maturity > settle]


def prices_on(curve, bonds, settle=SETTLE):
    return np.array([price_on_curve(b, settle, curve) for b in bonds])


# --------------------------------------------------------------------------------------------
# Pricing on the curve: the fast cash-flow grid against the dates and bonds modules
# --------------------------------------------------------------------------------------------

PRICING_BONDS = [
    Treasury(0.0425, D(2034, 11, 15)),
    Treasury(0.04625, D(2055, 2, 15)),
    Treasury(0.0, D(2030, 5, 15)),
    Treasury(0.00125, D(2026, 8, 31)),  # month-end maturities
    Treasury(0.0375, D(2030, 2, 28)),
    Treasury(0.02875, D(2032, 2, 29)),
    Treasury(0.0425, D(2028, 11, 30)),
    Treasury(0.0625, D(2030, 8, 30)),  # the 30th, not a month end
]
PRICING_SETTLES = [D(2025, 4, 3), D(2025, 5, 15), D(2026, 2, 28), D(2026, 8, 30), D(2029, 12, 31)]


@pytest.mark.parametrize(
    ("bond", "settle"),
    [(b, s) for b in PRICING_BONDS for s in PRICING_SETTLES if s < b.maturity],
    ids=str,
)
def test_price_on_curve_is_the_sum_over_the_coupon_schedule(bond, settle):
    curve = gsw_curve(D(2025, 4, 2))
    total = 0.0
    for pay in coupon_schedule(bond.maturity, settle):
        years = (pay - settle).days / 365.25
        flow = 100 * bond.coupon / 2 + (100 if pay == bond.maturity else 0)
        total += flow * math.exp(-curve.zero_rate(years) * years)
    expected = total - accrued_interest(bond, settle)
    assert price_on_curve(bond, settle, curve) == pytest.approx(expected, abs=1e-11)


# --------------------------------------------------------------------------------------------
# The fit recovers a known curve
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("date", SHIPPED_DATES, ids=str)
def test_fit_recovers_the_feds_curves(date):
    # Prices generated on the Fed's published curve; the fit must give them back to well
    # under a tenth of a basis point of yield, and the zero curve with them.
    fed = gsw_curve(date)
    bonds = universe()
    prices = prices_on(fed, bonds)
    fitted = fit_svensson(bonds, SETTLE, prices)
    residuals = yield_residuals_bp(fitted, bonds, SETTLE, prices)
    assert np.sqrt(np.mean(residuals**2)) < 0.1
    assert np.abs(residuals).max() < 0.1
    years = np.linspace(0.25, 30, 120)
    assert np.abs(fitted.zero_rate(years) - fed.zero_rate(years)).max() * 1e4 < 0.1


def test_fit_recovers_the_parameters_where_they_are_identified():
    # 20 March 2020's parameters all matter (no beta near zero), so they come back too.
    fed = gsw_curve(D(2020, 3, 18))
    bonds = universe()
    fitted = fit_svensson(bonds, SETTLE, prices_on(fed, bonds))
    for name in ("beta0", "beta1", "beta2", "beta3", "tau1", "tau2"):
        assert getattr(fitted, name) == pytest.approx(getattr(fed, name), rel=1e-6, abs=1e-6)


def test_fit_is_deterministic():
    rng = np.random.default_rng(7)
    bonds = universe()
    prices = prices_on(gsw_curve(D(2025, 4, 9)), bonds) + rng.normal(0, 0.05, len(bonds))
    assert fit_svensson(bonds, SETTLE, prices) == fit_svensson(bonds, SETTLE, prices)


def test_fit_accepts_any_sequence_and_array_of_prices():
    bonds = universe(40)
    prices = prices_on(gsw_curve(D(2025, 4, 2)), bonds)
    assert fit_svensson(tuple(bonds), SETTLE, prices.tolist()) == fit_svensson(
        bonds, SETTLE, prices
    )


def test_noisy_prices_leave_residuals_of_the_noise_size():
    # Yield noise of 0.5bp on every bond: the fit cannot absorb it, so the residuals keep it.
    rng = np.random.default_rng(11)
    fed = gsw_curve(D(2025, 4, 2))
    bonds = universe()
    noise_bp = rng.normal(0, 0.5, len(bonds))
    prices = np.array(
        [
            clean_price(b, SETTLE, yield_to_maturity(b, SETTLE, p) + n / 1e4)
            for b, p, n in zip(bonds, prices_on(fed, bonds), noise_bp, strict=True)
        ]
    )
    residuals = yield_residuals_bp(fit_svensson(bonds, SETTLE, prices), bonds, SETTLE, prices)
    assert 0.3 < np.sqrt(np.mean(residuals**2)) < 0.6
    assert np.corrcoef(residuals, noise_bp)[0, 1] > 0.9


def test_one_cheap_bond_shows_as_a_positive_residual():
    # A 10-year note 5bp cheap among 120 bonds on the curve: the fit is barely moved by it,
    # so its residual is close to +5bp and the others stay near zero.
    fed = gsw_curve(D(2025, 4, 2))
    bonds = universe()
    prices = prices_on(fed, bonds)
    i = min(range(len(bonds)), key=lambda k: abs((bonds[k].maturity - D(2035, 2, 15)).days))
    fair = yield_to_maturity(bonds[i], SETTLE, prices[i])
    prices[i] = clean_price(bonds[i], SETTLE, fair + 0.0005)
    residuals = yield_residuals_bp(fit_svensson(bonds, SETTLE, prices), bonds, SETTLE, prices)
    assert 4.5 < residuals[i] < 5.05
    assert np.abs(np.delete(residuals, i)).max() < 0.5


# --------------------------------------------------------------------------------------------
# Residuals
# --------------------------------------------------------------------------------------------


def test_residuals_are_zero_on_curve_prices():
    curve = gsw_curve(D(2020, 3, 9))
    bonds = universe(60)
    residuals = yield_residuals_bp(curve, bonds, SETTLE, prices_on(curve, bonds))
    assert np.abs(residuals).max() < 1e-6


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=0, max_value=59),
    st.floats(min_value=-25, max_value=25, allow_nan=False),
)
def test_cheapening_by_x_bp_gives_a_residual_of_x(k, x_bp):
    # Identity: price the bond x bp of yield above its on-curve yield; the residual is x.
    curve = gsw_curve(D(2025, 4, 2))
    bond = universe(60)[k]
    fair = yield_to_maturity(bond, SETTLE, price_on_curve(bond, SETTLE, curve))
    price = clean_price(bond, SETTLE, fair + x_bp / 1e4)
    assert yield_residuals_bp(curve, [bond], SETTLE, [price])[0] == pytest.approx(x_bp, abs=1e-5)


# --------------------------------------------------------------------------------------------
# Par yields and forward rates
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("years", [0.5, 1.0, 2.0, 7.5, 10.0, 30.0])
@pytest.mark.parametrize("rate_pct", [-0.5, 0.0, 4.0, 9.0])
def test_par_yield_on_a_flat_curve(years, rate_pct):
    # Flat continuously compounded rate r, coupons every half-year: the par coupon is the
    # semiannual equivalent 2 (e^{r/2} - 1), for any whole number of half-years.
    flat = SvenssonCurve(rate_pct, 0.0, 0.0, 0.0, 1.0, 10.0)
    expected = 2 * math.expm1(rate_pct / 200)
    assert flat.par_yield(years) == pytest.approx(expected, abs=1e-13)


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(SHIPPED_DATES),
    st.integers(min_value=1, max_value=360),
    st.integers(min_value=0, max_value=200),
)
def test_a_bond_with_the_par_coupon_prices_at_par(date, months, days):
    # Identity: par_coupon makes price_on_curve exactly 100, on and between coupon dates.
    curve = gsw_curve(date)
    settle = D(2025, 5, 15) + dt.timedelta(days=days)
    maturity = add_months(D(2025, 5, 15), months + 7)
    coupon = par_coupon(curve, settle, maturity)
    assert price_on_curve(Treasury(coupon, maturity), settle, curve) == pytest.approx(
        100.0, abs=1e-9
    )


@pytest.mark.parametrize("date", SHIPPED_DATES, ids=str)
def test_par_yield_agrees_with_a_real_bond_on_a_coupon_date(date):
    # On a coupon date the idealised half-year schedule is the real one up to ACT/365.25
    # (a 10-year note's half-years run 181-184 days): within a fifth of a basis point.
    curve = gsw_curve(date)
    real = par_coupon(curve, D(2025, 5, 15), D(2035, 5, 15))
    assert abs(curve.par_yield(10.0) - real) * 1e4 < 0.2


def test_par_yield_between_coupon_dates_takes_off_accrued():
    # 9.75 years: the first coupon is a quarter-year away and half a period has accrued.
    curve = SvenssonCurve(4.0, -1.0, 2.0, 1.0, 1.5, 12.0)
    times = 9.75 - 0.5 * np.arange(20)
    annuity = np.sum(curve.discount(times))
    expected = 2 * (1 - curve.discount(9.75)) / (annuity - 0.5)
    assert curve.par_yield(9.75) == pytest.approx(expected, abs=1e-15)


def test_par_yield_and_forward_rate_are_vectorised():
    curve = gsw_curve(D(2025, 4, 2))
    grid = np.array([[1.0, 2.0], [10.0, 30.0]])
    assert curve.par_yield(grid).shape == (2, 2)
    assert curve.forward_rate(grid).shape == (2, 2)
    assert curve.par_yield(grid)[1, 0] == pytest.approx(curve.par_yield(10.0), abs=1e-15)
    assert isinstance(curve.par_yield(5.0), float)
    assert isinstance(curve.forward_rate(5.0), float)


@pytest.mark.parametrize("date", SHIPPED_DATES, ids=str)
@pytest.mark.parametrize("years", [0.25, 2.0, 10.0, 30.0])
def test_zero_rate_is_the_average_forward_rate(date, years):
    curve = gsw_curve(date)
    integral, _ = quad(curve.forward_rate, 0.0, years, epsabs=1e-14, epsrel=1e-12)
    assert integral / years == pytest.approx(curve.zero_rate(years), abs=1e-12)


def test_forward_rate_limits():
    curve = gsw_curve(D(2020, 3, 18))
    assert curve.forward_rate(0.0) == pytest.approx((curve.beta0 + curve.beta1) / 100, abs=1e-15)
    assert curve.forward_rate(1e4) == pytest.approx(curve.beta0 / 100, abs=1e-12)


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------


def test_fit_bad_input():
    bonds = universe(20)
    prices = prices_on(gsw_curve(D(2025, 4, 2)), bonds)
    with pytest.raises(ValueError, match="at least 6 bonds"):
        fit_svensson(bonds[:5], SETTLE, prices[:5])
    assert MIN_FIT_BONDS == 6
    with pytest.raises(ValueError, match="same length"):
        fit_svensson(bonds, SETTLE, prices[:-1])
    with pytest.raises(ValueError, match="clean_prices must be finite"):
        fit_svensson(bonds, SETTLE, np.r_[prices[:-1], np.nan])
    with pytest.raises(ValueError, match="clean_prices must be finite"):
        fit_svensson(bonds, SETTLE, np.r_[prices[:-1], np.inf])
    with pytest.raises(ValueError, match="clean_prices must be positive"):
        fit_svensson(bonds, SETTLE, np.r_[prices[:-1], -1.0])
    with pytest.raises(ValueError, match=r"clean_prices\[3\]"):
        fit_svensson(bonds, SETTLE, np.r_[prices[:3], 1e-6, prices[4:]])
    with pytest.raises(ValueError, match="one-dimensional"):
        fit_svensson(bonds, SETTLE, prices[:, None])
    with pytest.raises(TypeError, match="clean_prices"):
        fit_svensson(bonds, SETTLE, ["100"] * len(bonds))
    with pytest.raises(TypeError, match=r"bonds\[2\] must be a Treasury"):
        fit_svensson([*bonds[:2], "4% 2030", *bonds[3:]], SETTLE, prices)
    with pytest.raises(TypeError, match="bonds must be a sequence"):
        fit_svensson(iter(bonds), SETTLE, prices)
    with pytest.raises(TypeError, match="settle"):
        fit_svensson(bonds, "2025-04-03", prices)
    with pytest.raises(ValueError, match=r"maturity of bonds\[0\]"):
        fit_svensson(bonds, bonds[0].maturity, prices)


def test_fit_failure_is_reported(monkeypatch):
    # A search that fails from every start (here forced) is an error, not a curve.
    class Failed:
        success, status, cost, x = False, -1, np.nan, np.full(2, np.nan)

    monkeypatch.setattr(curves, "least_squares", lambda *a, **k: Failed())
    bonds = universe(20)
    with pytest.raises(ValueError, match="did not converge"):
        fit_svensson(bonds, SETTLE, prices_on(gsw_curve(D(2025, 4, 2)), bonds))


def test_residuals_par_and_forward_bad_input():
    curve = gsw_curve(D(2025, 4, 2))
    bond = Treasury(0.04, D(2030, 5, 15))
    with pytest.raises(TypeError, match="curve"):
        yield_residuals_bp(None, [bond], SETTLE, [100.0])
    with pytest.raises(ValueError, match="same length"):
        yield_residuals_bp(curve, [bond], SETTLE, [100.0, 99.0])
    with pytest.raises(ValueError, match="clean_prices must be positive"):
        yield_residuals_bp(curve, [bond], SETTLE, [0.0])
    with pytest.raises(ValueError, match="clean_prices must be finite"):
        yield_residuals_bp(curve, [bond], SETTLE, [np.nan])
    with pytest.raises(TypeError, match="bonds must be a sequence"):
        yield_residuals_bp(curve, bond, SETTLE, [100.0])
    with pytest.raises(ValueError, match="years must be positive"):
        curve.par_yield([1.0, 0.0])
    with pytest.raises(ValueError, match="years must not be negative"):
        curve.forward_rate(-1.0)
    with pytest.raises(ValueError, match="years must be finite"):
        curve.par_yield(np.inf)
    with pytest.raises(ValueError, match="before maturity"):
        par_coupon(curve, D(2030, 5, 15), D(2030, 5, 15))
    with pytest.raises(TypeError, match="maturity"):
        par_coupon(curve, SETTLE, "2030-05-15")
    with pytest.raises(TypeError, match="curve"):
        par_coupon("curve", SETTLE, D(2030, 5, 15))
    with pytest.raises(ValueError, match="before maturity"):
        price_on_curve(bond, D(2031, 1, 1), curve)
