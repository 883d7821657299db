"""The Svensson curve against the Fed's published parameters and zero yields, and pricing on it."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from treasury_rv import data
from treasury_rv.bonds import Treasury, accrued_interest, clean_price
from treasury_rv.curves import SvenssonCurve, gsw_curve, price_on_curve

# Federal Reserve feds200628 (Gürkaynak, Sack and Wright 2007): published 10- and 30-year
# zero-coupon yields (SVENY10, SVENY30, percent, two decimals) for the shipped parameter rows;
# figures as in the project's facts sheet, one vintage of the file. Tolerance: half a unit in
# the last published decimal.
PUBLISHED_ZEROS = [
    (dt.date(1998, 8, 31), 5.18, 5.40),
    (dt.date(1998, 10, 5), 4.46, 5.03),
    (dt.date(2020, 3, 9), 0.62, 1.25),
    (dt.date(2020, 3, 18), 1.30, 2.10),
    (dt.date(2025, 4, 2), 4.23, 4.72),
    (dt.date(2025, 4, 9), 4.41, 4.90),
]


@pytest.mark.parametrize(("date", "ten", "thirty"), PUBLISHED_ZEROS)
def test_zero_yields_match_the_fed(date, ten, thirty):
    curve = gsw_curve(date)
    assert abs(100 * curve.zero_rate(10.0) - ten) <= 0.005 + 1e-12
    assert abs(100 * curve.zero_rate(30.0) - thirty) <= 0.005 + 1e-12


def test_short_end_tends_to_beta0_plus_beta1():
    curve = gsw_curve(dt.date(2025, 4, 2))
    assert math.isclose(100 * curve.zero_rate(1e-9), curve.beta0 + curve.beta1, rel_tol=1e-7)


@given(st.floats(0.05, 40), st.floats(0.05, 40))
def test_discount_factors_fall_with_maturity_on_a_positive_curve(m1, m2):
    curve = gsw_curve(dt.date(2025, 4, 2))
    short, long = sorted((m1, m2))
    assert curve.discount(long) <= curve.discount(short) + 1e-15


def test_price_on_a_flat_curve_is_the_sum_of_discounted_flows():
    # Independent sum: 4 1/4% Nov-34 from 3 April 2025; 20 coupons of 2.125 from 15 May 2025.
    bond = Treasury(0.0425, dt.date(2034, 11, 15))
    settle = dt.date(2025, 4, 3)
    flat = SvenssonCurve(4.0, 0.0, 0.0, 0.0, 1.0, 10.0)
    pays = [dt.date(2025 + k // 2, 5 if k % 2 == 0 else 11, 15) for k in range(20)]
    total = sum(
        (2.125 + (100 if d == bond.maturity else 0)) * math.exp(-0.04 * (d - settle).days / 365.25)
        for d in pays
    )
    assert math.isclose(
        price_on_curve(bond, settle, flat), total - accrued_interest(bond, settle), abs_tol=1e-10
    )


def test_flat_curve_price_is_close_to_the_street_price_at_the_equivalent_yield():
    # A flat 4% continuously compounded curve is a flat 2(e^{0.02} - 1) semiannual yield; the
    # two prices differ only through ACT/365.25 versus period-fraction time (a few cents).
    bond = Treasury(0.0425, dt.date(2034, 11, 15))
    settle = dt.date(2025, 4, 3)
    flat = SvenssonCurve(4.0, 0.0, 0.0, 0.0, 1.0, 10.0)
    street = clean_price(bond, settle, 2 * (math.exp(0.02) - 1))
    assert abs(price_on_curve(bond, settle, flat) - street) < 0.05


def test_shift_lowers_the_price_by_about_dv01_per_bp():
    bond = Treasury(0.0425, dt.date(2034, 11, 15))
    curve = gsw_curve(dt.date(2025, 4, 2))
    settle = dt.date(2025, 4, 3)
    down, up = (price_on_curve(bond, settle, curve, shift_bp=s) for s in (-1, 1))
    assert 0.07 < (down - up) / 2 < 0.09  # a 9.6-year note: DV01 near 8 cents per 100


def test_bad_input():
    with pytest.raises(ValueError, match="date must be one of"):
        gsw_curve(dt.date(2025, 4, 3))
    with pytest.raises(TypeError, match="date"):
        gsw_curve("2025-04-02")
    with pytest.raises(ValueError, match="tau1"):
        SvenssonCurve(4.0, 0.0, 0.0, 0.0, 0.0, 10.0)
    with pytest.raises(ValueError, match="beta0"):
        SvenssonCurve(float("nan"), 0.0, 0.0, 0.0, 1.0, 10.0)
    with pytest.raises(ValueError, match="years"):
        gsw_curve(dt.date(2025, 4, 2)).zero_rate(np.array([1.0, 0.0]))
    with pytest.raises(TypeError, match="curve"):
        price_on_curve(Treasury(0.04, dt.date(2030, 5, 15)), dt.date(2025, 4, 3), None)


def test_shipped_dataset_names_its_source():
    table = data.shipped("gsw_svensson")
    assert table["source"].str.contains("feds200628").all()
    assert "gsw_svensson" in data.shipped_names()
    with pytest.raises(ValueError, match="name must be one of"):
        data.shipped("nope")
