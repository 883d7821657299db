"""Tests of treasury_rv.futures and treasury_rv.delivery (Treasury futures basis and CTD)."""

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from treasury_rv.bonds import Treasury, clean_price, dv01, modified_duration
from treasury_rv.delivery import SwitchOption, ctd_grid, switch_option_value
from treasury_rv.futures import (
    SPECS,
    FuturesContract,
    basis_position_path,
    basis_shock_path,
    basket_table,
    carry,
    check_deliverable,
    contract,
    conversion_factor,
    deliverable_basket,
    forward_price,
    futures_dv01,
    gross_basis,
    hedge_contracts,
    hedge_ratio,
    implied_repo_rate,
    invoice_price,
    is_deliverable,
    net_basis,
)

D = dt.date
SETTLE, DELIVERY = D(2025, 3, 3), D(2025, 6, 30)  # TYM25: settle to the last delivery day
REPO = 0.043

# The real TYM25 basket (shipped dataset) as it stood on SETTLE: the notes issued by then.
BASKET = [b for b in deliverable_basket("TYM25") if b.issue_date <= SETTLE]


def _name(bond):
    """The bond's name in the library's tables (its name if it has one, else its label)."""
    return bond.name or bond.label


def note(coupon, maturity, years=10):
    """A note with an original term of ``years`` (issued that many years before maturity)."""
    return Treasury(coupon, maturity, issue_date=maturity.replace(year=maturity.year - years))


# An upward-sloping curve: 4.15% at 7 years, +10bp a year.
YIELDS = [0.0415 + 0.001 * ((b.maturity - SETTLE).days / 365.25 - 7) for b in BASKET]
PRICES = [clean_price(b, SETTLE, y) for b, y in zip(BASKET, YIELDS, strict=True)]

# Hand-computed inputs for the 4 1/4% of 15 Feb 2032 settling 3 Mar 2025, delivered 30 Jun 2025:
# coupon period 15 Feb - 15 Aug 2025 is 181 days; 16 days accrued at settle, 135 at delivery;
# 119 days from settle to delivery; no coupon in between.
BOND = Treasury(0.0425, D(2032, 2, 15))
AI_SETTLE = 2.125 * 16 / 181
AI_DELIVERY = 2.125 * 135 / 181
DAYS = 119


def test_hand_day_counts():
    assert (SETTLE - D(2025, 2, 15)).days == 16
    assert (DELIVERY - D(2025, 2, 15)).days == 135
    assert (D(2025, 8, 15) - D(2025, 2, 15)).days == 181
    assert (DELIVERY - SETTLE).days == DAYS


# --------------------------------------------------------------------------------------------
# Contracts
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "first_delivery", "last_trading", "last_delivery"),
    [
        # 1 June 2025 is a Sunday; 19 June (Juneteenth) is a holiday, so 7 business days
        # before Mon 30 June is Wed 18 June.
        ("TYM25", D(2025, 6, 2), D(2025, 6, 18), D(2025, 6, 30)),
        # Tue 31 Dec 2024 is the last business day; 3 business days later, past New Year's
        # Day: 2, 3, 6 January.
        ("TUZ24", D(2024, 12, 2), D(2024, 12, 31), D(2025, 1, 6)),
        # 3 April 2026 is Good Friday: 3 business days after Tue 31 March are 1, 2, 6 April.
        ("Z3NH26", D(2026, 3, 2), D(2026, 3, 31), D(2026, 4, 6)),
        # Tue 30 Sep 2025 less 7 business days: 29, 26, 25, 24, 23, 22, 19 -> the 7th is 19.
        ("UBU25", D(2025, 9, 2), D(2025, 9, 19), D(2025, 9, 30)),
        # Mon 31 March 2025 is the last business day.
        ("FVH25", D(2025, 3, 3), D(2025, 3, 31), D(2025, 4, 3)),
    ],
)
def test_contract_calendar(code, first_delivery, last_trading, last_delivery):
    c = contract(code)
    assert c.code == code
    assert c.first_delivery_day == first_delivery
    assert c.last_trading_day == last_trading
    assert c.last_delivery_day == last_delivery
    assert c.month_start == D(c.year, c.month, 1)
    assert contract(c) is c


def test_contract_specs():
    # cmegroup.com contract specifications: face and minimum tick.
    faces = {"TU": 200_000, "Z3N": 200_000, "FV": 100_000, "TY": 100_000, "TN": 100_000,
             "US": 100_000, "UB": 100_000}  # fmt: skip
    ticks = {"TU": 1 / 256, "Z3N": 1 / 256, "FV": 1 / 128, "TY": 1 / 64, "TN": 1 / 64,
             "US": 1 / 32, "UB": 1 / 32}  # fmt: skip
    assert set(SPECS) == set(faces)
    for root, spec in SPECS.items():
        assert spec.face == faces[root]
        assert spec.tick == ticks[root]
        assert spec.cf_family == ("note" if root in ("TU", "Z3N", "FV") else "bond")
    c = contract("ubu25")
    assert c.spec.root == "UB" and (c.year, c.month) == (2025, 9)
    with pytest.raises(Exception):  # noqa: B017 - frozen dataclass
        c.spec.face = 1  # type: ignore[misc]


@pytest.mark.parametrize("code", ["TYX25", "XXM25", "TYM2", "TYM2025", "", "M25", "TY"])
def test_contract_bad_code(code):
    with pytest.raises(ValueError, match="contract"):
        contract(code)


def test_contract_bad_type():
    with pytest.raises(TypeError, match="contract"):
        contract(2025)


# --------------------------------------------------------------------------------------------
# Conversion factors
# --------------------------------------------------------------------------------------------

# CME, "Calculating U.S. Treasury Futures Conversion Factors" (2024), unrounded worked
# examples. Each maturity is chosen so that, from 1 June 2025 (the first day of the M25
# delivery month), it is exactly the example's n years and z months away.
CME_EXAMPLES = [
    ("TUM25", 0.0075, D(2027, 5, 31), 0.906258),  # 1y11m
    ("Z3NM25", 0.01125, D(2028, 6, 15), 0.867956),  # 3y0m
    ("FVM25", 0.02125, D(2030, 5, 31), 0.837079),  # 4y11m
    ("TYM25", 0.03375, D(2034, 11, 15), 0.815653),  # 9y5m (rounded down to 9y3m)
    ("USM25", 0.06375, D(2046, 5, 15), 1.044053),  # 20y11m (20y9m)
    ("UBM25", 0.04375, D(2055, 5, 15), 0.775740),  # 29y11m (29y9m)
]


@pytest.mark.parametrize(("code", "coupon", "maturity", "expected"), CME_EXAMPLES)
def test_conversion_factor_cme_examples(code, coupon, maturity, expected):
    # CME publishes these to 6 decimals: tolerance half a unit in the 6th decimal.
    assert conversion_factor(coupon, maturity, code, rounded=False) == pytest.approx(
        expected, abs=5e-7
    )
    rounded = conversion_factor(coupon, maturity, code)
    assert rounded == round(conversion_factor(coupon, maturity, code, rounded=False), 4)
    assert rounded == pytest.approx(round(expected, 4), abs=1e-12)


@pytest.mark.parametrize(
    ("coupon", "maturity", "expected"),
    [
        # Hull, Options, Futures, and Other Derivatives, ch. 6: a 10% bond with 20y0m and an
        # 8% bond with 18y3m (bond-contract quarter rounding; 20y0m and 18y3m from 1 June 2025).
        (0.10, D(2045, 6, 15), 1.4623),
        (0.08, D(2043, 9, 15), 1.2199),
    ],
)
def test_conversion_factor_hull(coupon, maturity, expected):
    assert conversion_factor(coupon, maturity, "USM25") == pytest.approx(expected, abs=1e-12)


def test_conversion_factor_rounding_families():
    # Bond contracts round months down to a quarter: 9y5m and 9y3m give the same factor.
    assert conversion_factor(0.04, D(2034, 11, 15), "TYM25", rounded=False) == (
        conversion_factor(0.04, D(2034, 9, 15), "TYM25", rounded=False)
    )
    # Note contracts count whole months: 1y11m and 1y9m differ.
    assert conversion_factor(0.04, D(2027, 5, 31), "TUM25") != conversion_factor(
        0.04, D(2027, 3, 31), "TUM25"
    )
    # A 6% coupon on a whole number of half-years prices at par at a 6% yield.
    assert conversion_factor(0.06, D(2035, 6, 1), "TYM25", rounded=False) == pytest.approx(1.0)
    assert conversion_factor(0.06, D(2027, 12, 1), "TUM25", rounded=False) == pytest.approx(1.0)


def _cf_by_formula(coupon, n, z, v):
    """CME's formula written out from its steps (CME, "Calculating U.S. Treasury Futures
    Conversion Factors"), for a given n, z and v."""
    c = 1.03 ** (-2 * n) if z < 7 else 1.03 ** (-(2 * n + 1))
    d = coupon / 0.06 * (1 - c)
    return 1.03 ** (-v / 6) * (coupon / 2 + c + d) - coupon / 2 * (6 - v) / 6


def test_conversion_factor_of_a_note_six_years_eight_months_out():
    # The 1 7/8% of 15 Feb 2032 into TYM25: 6y8m from 1 June 2025. TY rounds z = 8 down to 6
    # (v = 6); the whole-month rule of TU/Z3N/FV gives v = z - 6 = 2 at the true 6y8m; a note
    # priced at 6y9m gets v = 3. Independent recomputation (review of the basis chapter, Dec
    # 2026): 0.7807, 0.7760 and 0.7738.
    feb32 = D(2032, 2, 15)
    assert conversion_factor(0.01875, feb32, "TYM25") == 0.7807
    assert conversion_factor(0.01875, feb32, "FVM25") == 0.7760
    assert conversion_factor(0.01875, D(2032, 3, 15), "TYM25") == 0.7738
    assert round(_cf_by_formula(0.01875, 6, 8, 2), 4) == 0.7760
    assert round(_cf_by_formula(0.01875, 6, 9, 3), 4) == 0.7738


def test_conversion_factor_quarter_boundary():
    # TY rounds the months to maturity down to a quarter: the 4 1/8% note of 29 Feb 2032
    # (6y8m) is priced as 6y6m, the 4 1/8% of 31 Mar 2032 (6y9m) exactly at 6y9m, and those of
    # 30 Apr and 31 May 2032 (6y10m, 6y11m) also as 6y9m. Below a 6% coupon a shorter priced
    # term gives a higher factor: the March note, a month longer than February's, is priced a
    # full quarter longer.
    cf = {m: conversion_factor(0.04125, m, "TYM25", rounded=False) for m in (
        D(2031, 12, 1), D(2032, 2, 29), D(2032, 3, 1), D(2032, 3, 31), D(2032, 5, 31))}  # fmt: skip
    assert cf[D(2032, 2, 29)] == cf[D(2031, 12, 1)]  # both 6y6m after rounding
    assert cf[D(2032, 3, 31)] == cf[D(2032, 3, 1)] == cf[D(2032, 5, 31)]  # all 6y9m
    assert cf[D(2032, 2, 29)] > cf[D(2032, 3, 31)]
    whole_month = conversion_factor(0.04125, D(2032, 5, 31), "FVM25", rounded=False)  # 6y11m
    assert cf[D(2032, 5, 31)] > whole_month  # rounding down raises a sub-6% factor
    # Published factors of the two 7-year notes (review of the basis chapter: 0.9003, 0.8971).
    assert conversion_factor(0.04125, D(2032, 2, 29), "TYM25") == 0.9003
    assert conversion_factor(0.04125, D(2032, 3, 31), "TYM25") == 0.8971


def test_four_notes_leave_the_basket_at_the_september_roll():
    # CBOT Rule 19101.A from the September 2023 contract month: at least 6y6m to run from the
    # first day of the delivery month. From 1 September 2025 the cut-off is 1 March 2032, so
    # the 7-year notes of Dec-31, Jan-32 and Feb-32 and the 1 7/8% ten-year of 15 Feb 2032 leave
    # the basket, and the March-2032 7-year note stays.
    june = deliverable_basket("TYM25")
    leaving = [b.name for b in june if not is_deliverable(b, "TYU25")]
    assert leaving == [
        "T 4 1/2 12/31/31", "T 4 3/8 01/31/32", "T 4 1/8 02/29/32", "T 1 7/8 02/15/32"
    ]  # fmt: skip
    assert all(b.maturity < D(2032, 3, 1) for b in june if b.name in leaving)
    assert all(b.maturity >= D(2032, 3, 1) for b in june if b.name not in leaving)


@settings(max_examples=100, deadline=None)
@given(
    coupon=st.floats(0.0, 0.15),
    months=st.integers(1, 400),
    root=st.sampled_from(sorted(SPECS)),
)
def test_conversion_factor_is_price_at_six_percent_on_coupon_dates(coupon, months, root):
    # With whole half-years (z = 0 or 6) the factor is the price per 1 of face at a 6% yield,
    # summed here term by term.
    months = months // 6 * 6 or 6
    maturity = D(2025 + (5 + months) // 12, (5 + months) % 12 + 1, 1)
    periods = months // 6
    price = sum(coupon / 2 / 1.03**k for k in range(1, periods + 1)) + 1 / 1.03**periods
    assert conversion_factor(coupon, maturity, f"{root}M25", rounded=False) == pytest.approx(
        price, abs=1e-12
    )


# --------------------------------------------------------------------------------------------
# Deliverability
# --------------------------------------------------------------------------------------------

EARLY = D(2015, 1, 1)  # an issue date old enough to pass no original-term rule ...
FIVE_Y = D(2024, 6, 1)  # ... and one recent enough to pass them all


@pytest.mark.parametrize(
    ("code", "maturity", "issue", "ok"),
    [
        # TU: remaining >= 1y9m from 1 June 2025 and <= 2y from 30 June 2025.
        ("TUM25", D(2027, 3, 1), FIVE_Y, True),
        ("TUM25", D(2027, 2, 28), FIVE_Y, False),
        ("TUM25", D(2027, 6, 30), FIVE_Y, True),
        ("TUM25", D(2027, 7, 1), FIVE_Y, False),
        # TU: original term <= 5y3m.
        ("TUM25", D(2027, 3, 31), D(2021, 12, 31), True),
        ("TUM25", D(2027, 3, 31), D(2021, 12, 30), False),
        # Z3N: remaining >= 2y9m from the first day, <= 3y from the last day; original <= 7y.
        ("Z3NM25", D(2028, 3, 1), FIVE_Y, True),
        ("Z3NM25", D(2028, 2, 29), FIVE_Y, False),
        ("Z3NM25", D(2028, 6, 30), D(2021, 6, 30), True),
        ("Z3NM25", D(2028, 7, 1), FIVE_Y, False),
        ("Z3NM25", D(2028, 5, 15), D(2018, 5, 15), False),
        # FV: remaining >= 4y2m; original <= 5y3m.
        ("FVM25", D(2029, 8, 1), FIVE_Y, True),
        ("FVM25", D(2029, 7, 31), FIVE_Y, False),
        ("FVM25", D(2030, 5, 31), D(2025, 6, 2), True),
        ("FVM25", D(2030, 5, 15), D(2025, 2, 15), True),
        ("FVM25", D(2030, 5, 15), D(2025, 2, 14), False),
        ("FVM25", D(2030, 5, 15), D(2020, 5, 15), False),  # an old 10-year note
        # TY from the Sep 2023 contract month (CBOT Rule 19101.A as amended by CME SER-9102):
        # original term <= 10y, remaining >= 6y6m and < 8y from the first day of the month.
        ("TYM25", D(2031, 12, 1), D(2024, 12, 1), True),
        ("TYM25", D(2031, 11, 30), D(2024, 11, 30), False),
        ("TYM25", D(2033, 5, 31), D(2023, 5, 31), True),
        ("TYM25", D(2033, 6, 1), D(2023, 6, 1), False),  # exactly 8 years: "less than"
        ("TYM25", D(2035, 2, 15), D(2025, 2, 18), False),  # the 4 5/8% Feb-2035 is not
        ("TYM25", D(2032, 11, 15), D(2002, 11, 15), False),  # an old 30-year bond
        ("TYU23", D(2031, 6, 1), D(2021, 6, 1), True),
        ("TYU23", D(2031, 5, 31), D(2021, 5, 31), True),  # 7y8m from 1 Sep 2023
        ("TYU23", D(2031, 9, 1), D(2021, 9, 1), False),  # 8y: out from U23 on
        # TY before Sep 2023: remaining 6y6m to 10y, original term <= 10y.
        ("TYM23", D(2029, 12, 1), D(2022, 12, 1), True),
        ("TYM23", D(2029, 11, 30), D(2022, 11, 30), False),
        ("TYM23", D(2033, 6, 1), D(2023, 6, 1), True),  # 10 years exactly: "not more than"
        ("TYM23", D(2033, 5, 15), D(2023, 5, 15), True),  # 9y11m: deliverable only before U23
        ("TYM23", D(2033, 6, 2), D(2023, 6, 2), False),
        # A note issued on or after the last delivery day is not deliverable (CME SER-4819):
        # the 7-year note of 30 Jun 2025 settles on TYM25's last delivery day.
        ("TYM25", D(2032, 6, 30), D(2025, 6, 30), False),
        ("TYM25", D(2032, 5, 31), D(2025, 6, 2), True),
        # TN: original-issue 10-year notes, remaining 9y5m to 10y.
        ("TNM25", D(2034, 11, 1), D(2024, 11, 1), True),
        ("TNM25", D(2034, 10, 31), D(2024, 10, 31), False),
        ("TNM25", D(2035, 6, 1), D(2025, 6, 1), True),
        ("TNM25", D(2035, 6, 2), D(2025, 6, 2), False),
        ("TNM25", D(2034, 11, 15), D(2004, 11, 15), False),  # an old 30-year bond
        # US: remaining >= 15y and < 25y from the March 2011 contract month, >= 15y before.
        ("USZ10", D(2040, 12, 1), None, True),
        ("USH11", D(2041, 3, 1), None, False),
        # US: remaining >= 15y and < 25y.
        ("USM25", D(2040, 6, 1), None, True),
        ("USM25", D(2040, 5, 31), None, False),
        ("USM25", D(2050, 5, 31), None, True),
        ("USM25", D(2050, 6, 1), None, False),
        # UB: remaining >= 25y.
        ("UBM25", D(2050, 6, 1), None, True),
        ("UBM25", D(2050, 5, 31), None, False),
        ("UBM25", D(2055, 5, 15), None, True),
    ],
)
def test_deliverability_boundaries(code, maturity, issue, ok):
    bond = Treasury(0.04, maturity, issue_date=issue)
    assert is_deliverable(bond, code) is ok
    if ok:
        assert check_deliverable(bond, code) is bond
    else:
        with pytest.raises(ValueError, match="bond"):
            check_deliverable(bond, code)


@pytest.mark.parametrize(
    ("code", "maturity"),
    [("TUM25", D(2027, 5, 31)), ("Z3NM25", D(2028, 5, 31)), ("FVM25", D(2030, 5, 31)),
     ("TNM25", D(2035, 2, 15))],
)  # fmt: skip
def test_deliverability_needs_issue_date(code, maturity):
    bond = Treasury(0.04, maturity)  # remaining term fits; the original term is unknown
    with pytest.raises(ValueError, match=r"bond\.issue_date"):
        is_deliverable(bond, code)


def test_deliverability_bad_input():
    with pytest.raises(TypeError, match="bond"):
        is_deliverable("4% 2034", "TYM25")
    with pytest.raises(ValueError, match="contract"):
        is_deliverable(BOND, "TYQ25")


# --------------------------------------------------------------------------------------------
# Invoice price, gross basis, carry, implied repo, net basis
# --------------------------------------------------------------------------------------------

F, CF, P = 109.625, 0.9069, 99.5


def test_invoice_price():
    assert invoice_price(F, CF, 1.25) == pytest.approx(F * CF + 1.25, abs=1e-12)
    from_bond = invoice_price(F, CF, bond=BOND, delivery=DELIVERY)
    assert from_bond == pytest.approx(F * CF + AI_DELIVERY, abs=1e-12)
    arr = invoice_price(np.array([100.0, 110.0]), CF, 0.5)
    np.testing.assert_allclose(arr, np.array([100.0, 110.0]) * CF + 0.5, atol=1e-12)


def test_gross_basis():
    assert gross_basis(BOND, P, F, CF) == pytest.approx(P - F * CF, abs=1e-12)
    assert gross_basis(bond=BOND, clean_price=P, futures_price=F, conversion_factor=CF) == (
        gross_basis(BOND, P, F, CF)
    )


def test_implied_repo_no_coupon_simple_formula():
    expected = ((F * CF + AI_DELIVERY) / (P + AI_SETTLE) - 1) * 360 / DAYS
    assert implied_repo_rate(BOND, P, F, CF, SETTLE, DELIVERY) == pytest.approx(expected, abs=1e-12)


def test_carry_and_forward_no_coupon_by_hand():
    full = P + AI_SETTLE
    expected = AI_DELIVERY - AI_SETTLE - full * REPO * DAYS / 360
    assert carry(BOND, P, SETTLE, DELIVERY, REPO) == pytest.approx(expected, abs=1e-12)
    assert forward_price(BOND, P, SETTLE, DELIVERY, REPO) == pytest.approx(
        full * (1 + REPO * DAYS / 360) - AI_DELIVERY, abs=1e-12
    )
    nb = net_basis(BOND, P, F, CF, SETTLE, DELIVERY, REPO)
    assert nb == pytest.approx(gross_basis(BOND, P, F, CF) - expected, abs=1e-12)


# A coupon inside the period: the 4 5/8% of 15 Feb 2035 bought 1 July 2025 for delivery on
# 30 Sep 2025 (TYU25) pays 2.3125 on 15 Aug 2025. Accrued at settle 136/181 of a coupon (15 Feb
# to 1 Jul, period to 15 Aug of 181 days); at delivery 46/184 (15 Aug to 30 Sep, period to
# 15 Feb 2026 of 184 days); 91 days settle to delivery; the coupon is reinvested for 46 days.
COUPON_BOND = Treasury(0.04625, D(2035, 2, 15))
C_SETTLE, C_DELIVERY = D(2025, 7, 1), D(2025, 9, 30)
C_P, C_F, C_CF, C = 101.0, 111.0, 0.9050, 2.3125
C_AI_SETTLE, C_AI_DELIVERY = C * 136 / 181, C * 46 / 184
C_DAYS, C_REINVEST = 91, 46


def test_coupon_case_day_counts():
    assert (C_SETTLE - D(2025, 2, 15)).days == 136
    assert (C_DELIVERY - D(2025, 8, 15)).days == C_REINVEST
    assert (D(2026, 2, 15) - D(2025, 8, 15)).days == 184
    assert (C_DELIVERY - C_SETTLE).days == C_DAYS


def test_implied_repo_with_coupon_by_hand():
    full = C_P + C_AI_SETTLE
    expected = (C_F * C_CF + C_AI_DELIVERY + C - full) / (
        full * C_DAYS / 360 - C * C_REINVEST / 360
    )
    got = implied_repo_rate(COUPON_BOND, C_P, C_F, C_CF, C_SETTLE, C_DELIVERY)
    assert got == pytest.approx(expected, abs=1e-12)
    # The coupon matters: ignoring it would give a very different rate.
    naive = ((C_F * C_CF + C_AI_DELIVERY) / full - 1) * 360 / C_DAYS
    assert abs(got - naive) > 0.05


def test_carry_and_net_basis_with_coupon_by_hand():
    full = C_P + C_AI_SETTLE
    repo_cost = REPO * (full * C_DAYS - C * C_REINVEST) / 360
    expected_carry = C_AI_DELIVERY - C_AI_SETTLE + C - repo_cost
    assert carry(COUPON_BOND, C_P, C_SETTLE, C_DELIVERY, REPO) == pytest.approx(
        expected_carry, abs=1e-12
    )
    nb = net_basis(COUPON_BOND, C_P, C_F, C_CF, C_SETTLE, C_DELIVERY, REPO)
    assert nb == pytest.approx(C_P - C_F * C_CF - expected_carry, abs=1e-12)
    # The identity with a coupon inside: net basis = (repo - IRR) x (P_full d - c d_c) / 360.
    irr = implied_repo_rate(COUPON_BOND, C_P, C_F, C_CF, C_SETTLE, C_DELIVERY)
    assert nb == pytest.approx((REPO - irr) * (full * C_DAYS - C * C_REINVEST) / 360, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(
    price=st.floats(70.0, 130.0),
    futures=st.floats(80.0, 140.0),
    cf=st.floats(0.6, 1.2),
    repo=st.floats(-0.01, 0.10),
    start=st.integers(0, 170),
    length=st.integers(1, 180),
)
def test_carry_identity_without_coupon(price, futures, cf, repo, start, length):
    # Between the coupons of 15 Feb and 15 Aug 2025 no coupon is paid:
    # net basis = (P + AI_settle) x (repo - implied repo) x days / 360.
    settle = D(2025, 2, 15) + dt.timedelta(days=start)
    delivery = min(settle + dt.timedelta(days=length), D(2025, 8, 14))
    if delivery <= settle:
        return
    days = (delivery - settle).days
    ai = 2.125 * (settle - D(2025, 2, 15)).days / 181
    nb = net_basis(BOND, price, futures, cf, settle, delivery, repo)
    irr = implied_repo_rate(BOND, price, futures, cf, settle, delivery)
    assert nb == pytest.approx((price + ai) * (repo - irr) * days / 360, abs=1e-9)
    # and gross basis = carry + net basis
    assert gross_basis(BOND, price, futures, cf) == pytest.approx(
        carry(BOND, price, settle, delivery, repo) + nb, abs=1e-9
    )


def test_basis_functions_vectorise():
    prices = np.array([99.0, 99.5, 100.0])
    got = net_basis(BOND, prices, F, CF, SETTLE, DELIVERY, REPO)
    assert isinstance(got, np.ndarray) and got.shape == (3,)
    for p, g in zip(prices, got, strict=True):
        assert g == pytest.approx(net_basis(BOND, float(p), F, CF, SETTLE, DELIVERY, REPO))
    assert isinstance(implied_repo_rate(BOND, P, F, CF, SETTLE, DELIVERY), float)


# --------------------------------------------------------------------------------------------
# The basket
# --------------------------------------------------------------------------------------------

COLUMNS = [
    "bond", "coupon", "maturity", "price", "yield", "cf", "gross_basis_32nds", "carry_32nds",
    "net_basis_32nds", "implied_repo", "actual_repo", "ctd",
]  # fmt: skip


def test_basket_table():
    t = basket_table(BASKET, PRICES, 110.0, "TYM25", SETTLE, DELIVERY, REPO)
    assert list(t.columns) == COLUMNS
    assert len(t) == len(BASKET)
    for i, bond in enumerate(BASKET):
        row = t.iloc[i]
        cf = conversion_factor(bond.coupon, bond.maturity, "TYM25")
        assert row["cf"] == cf
        assert row["yield"] == pytest.approx(YIELDS[i], abs=1e-9)
        assert row["gross_basis_32nds"] == pytest.approx(32 * (PRICES[i] - 110.0 * cf))
        assert row["carry_32nds"] == pytest.approx(
            32 * carry(bond, PRICES[i], SETTLE, DELIVERY, REPO)
        )
        assert row["net_basis_32nds"] == pytest.approx(
            row["gross_basis_32nds"] - row["carry_32nds"], abs=1e-9
        )
        assert row["implied_repo"] == pytest.approx(
            implied_repo_rate(bond, PRICES[i], 110.0, cf, SETTLE, DELIVERY), abs=1e-12
        )
    assert t["ctd"].sum() == 1
    assert t.loc[t["ctd"], "implied_repo"].iloc[0] == t["implied_repo"].max()
    assert (t["actual_repo"] == REPO).all()


def test_basket_table_repo_per_bond():
    repo = [REPO] * len(BASKET)
    repo[3] = 0.01  # one issue trades special
    t = basket_table(BASKET, PRICES, 110.0, "TYM25", SETTLE, DELIVERY, repo)
    assert t["actual_repo"].iloc[3] == 0.01
    base = basket_table(BASKET, PRICES, 110.0, "TYM25", SETTLE, DELIVERY, REPO)
    # Cheaper financing raises carry and lowers the net basis of that bond only.
    assert t["net_basis_32nds"].iloc[3] < base["net_basis_32nds"].iloc[3]
    assert t["net_basis_32nds"].iloc[0] == base["net_basis_32nds"].iloc[0]


def test_basket_table_bad_input():
    args = (110.0, "TYM25", SETTLE, DELIVERY, REPO)
    with pytest.raises(ValueError, match="bond"):
        basket_table([*BASKET, Treasury(0.04, D(2030, 5, 15))], [*PRICES, 99.0], *args)
    with pytest.raises(ValueError, match="clean_prices"):
        basket_table(BASKET, PRICES[:-1], *args)
    with pytest.raises(ValueError, match="bonds"):
        basket_table([], [], *args)
    with pytest.raises(ValueError, match="futures_price"):
        basket_table(BASKET, PRICES, 0.0, "TYM25", SETTLE, DELIVERY, REPO)
    with pytest.raises(ValueError, match="delivery"):
        basket_table(BASKET, PRICES, 110.0, "TYM25", SETTLE, SETTLE, REPO)
    with pytest.raises(ValueError, match="contract"):
        basket_table(BASKET, PRICES, 110.0, "TYZ2", SETTLE, DELIVERY, REPO)
    with pytest.raises(ValueError, match="repo_rate"):
        basket_table(BASKET, PRICES, 110.0, "TYM25", SETTLE, DELIVERY, 4.3)


# --------------------------------------------------------------------------------------------
# CTD under yield shifts and twists
# --------------------------------------------------------------------------------------------

SHIFTS = np.linspace(-300, 300, 121)
DURATION = {_name(b): modified_duration(b, SETTLE, y) for b, y in zip(BASKET, YIELDS, strict=True)}


def _ctd_rows(grid: pd.DataFrame) -> pd.DataFrame:
    return grid[grid["is_ctd"]]


def test_ctd_grid_shape_and_no_option_model():
    g = ctd_grid(BASKET, YIELDS, None, "TYM25", SETTLE, DELIVERY, REPO, SHIFTS)
    assert list(g.columns) == [
        "shift_bp", "twist_bp", "bond", "yield", "price", "futures_price", "net_basis_32nds",
        "implied_repo", "is_ctd",
    ]  # fmt: skip
    assert len(g) == len(SHIFTS) * len(BASKET)
    assert (g["twist_bp"] == 0).all()
    ctd = _ctd_rows(g)
    assert len(ctd) == len(SHIFTS)
    # With the futures at the cheapest delivery price, the CTD's net basis is zero, its
    # implied repo is the repo rate, and every other bond's net basis is positive.
    np.testing.assert_allclose(ctd["net_basis_32nds"], 0.0, atol=1e-9)
    np.testing.assert_allclose(ctd["implied_repo"], REPO, atol=1e-12)
    assert (g["net_basis_32nds"] > -1e-9).all()
    # Prices follow the shifted yields.
    row = g[(g["shift_bp"] == SHIFTS[10]) & (g["bond"] == _name(BASKET[4]))].iloc[0]
    assert row["yield"] == pytest.approx(YIELDS[4] + SHIFTS[10] / 1e4)
    assert row["price"] == pytest.approx(clean_price(BASKET[4], SETTLE, row["yield"]), abs=1e-12)


def test_ctd_duration_does_not_fall_as_yields_rise():
    g = ctd_grid(BASKET, YIELDS, 110.0, "TYM25", SETTLE, DELIVERY, REPO, SHIFTS)
    durations = _ctd_rows(g).sort_values("shift_bp")["bond"].map(DURATION).to_numpy()
    assert np.all(np.diff(durations) >= 0)
    assert durations[0] == min(DURATION.values())
    assert durations[-1] == max(DURATION.values())


def test_ctd_switches_near_six_percent_on_a_flat_curve():
    # Conversion factors price every bond at 6%: on a flat curve well below 6% the
    # shortest-duration bond is cheapest, well above it the longest.
    bonds = [note(0.04, D(2032, 1, 31), 7), note(0.0275, D(2032, 8, 15)),
             note(0.03875, D(2032, 11, 15)), note(0.01875, D(2033, 5, 15))]  # fmt: skip
    g = ctd_grid(bonds, [0.04] * 4, None, "TYM25", SETTLE, DELIVERY, REPO, [100.0, 300.0])
    ctd = _ctd_rows(g).set_index("shift_bp")["bond"]
    durations = {_name(b): modified_duration(b, SETTLE, 0.06) for b in bonds}
    assert durations[ctd[100.0]] == min(durations.values())  # yields at 5%
    assert durations[ctd[300.0]] == max(durations.values())  # yields at 7%


def test_ctd_grid_quoted_price_matches_basket_table_at_zero_shift():
    g = ctd_grid(BASKET, YIELDS, 110.0, "TYM25", SETTLE, DELIVERY, REPO, [-50.0, 0.0, 50.0])
    today = g[g["shift_bp"] == 0.0].reset_index(drop=True)
    t = basket_table(BASKET, PRICES, 110.0, "TYM25", SETTLE, DELIVERY, REPO)
    np.testing.assert_allclose(today["futures_price"], 110.0, atol=1e-9)
    np.testing.assert_allclose(today["net_basis_32nds"], t["net_basis_32nds"], atol=1e-8)
    np.testing.assert_allclose(today["implied_repo"], t["implied_repo"], atol=1e-12)
    assert today["is_ctd"].tolist() == t["ctd"].tolist()


def test_ctd_grid_twists():
    twists = [-100.0, 0.0, 100.0]
    g = ctd_grid(BASKET, YIELDS, None, "TYM25", SETTLE, DELIVERY, REPO, [0.0, 50.0], twists)
    assert len(g) == 2 * 3 * len(BASKET)
    assert sorted(g["twist_bp"].unique()) == twists
    # The longest bond's yield moves up by half the twist, the shortest down by half.
    by_maturity = sorted(range(len(BASKET)), key=lambda i: BASKET[i].maturity)
    shortest, longest = by_maturity[0], by_maturity[-1]
    row = g[(g["twist_bp"] == 100.0) & (g["shift_bp"] == 0.0)].set_index("bond")
    assert row.loc[_name(BASKET[longest]), "yield"] == pytest.approx(YIELDS[longest] + 0.005)
    assert row.loc[_name(BASKET[shortest]), "yield"] == pytest.approx(YIELDS[shortest] - 0.005)
    # A steepener cheapens long bonds: the CTD's duration does not fall.
    ctd = _ctd_rows(g[g["shift_bp"] == 50.0]).set_index("twist_bp")["bond"].map(DURATION)
    assert ctd[-100.0] <= ctd[0.0] <= ctd[100.0]


def test_ctd_grid_bad_input():
    args = ("TYM25", SETTLE, DELIVERY, REPO)
    with pytest.raises(ValueError, match="shifts_bp"):
        ctd_grid(BASKET, YIELDS, None, *args, [])
    with pytest.raises(ValueError, match="twists_bp"):
        ctd_grid(BASKET, YIELDS, None, *args, [0.0], [[1.0, 2.0]])
    with pytest.raises(ValueError, match="yields"):
        ctd_grid(BASKET, YIELDS[:3], None, *args, [0.0])
    with pytest.raises(ValueError, match="futures_price"):
        ctd_grid(BASKET, YIELDS, -1.0, *args, [0.0])
    with pytest.raises(ValueError, match="delivery"):
        ctd_grid(BASKET, YIELDS, None, "TYM25", DELIVERY, SETTLE, REPO, [0.0])
    with pytest.raises(ValueError, match="bond"):
        ctd_grid([Treasury(0.04, D(2045, 5, 15))], [0.045], None, *args, [0.0])


# --------------------------------------------------------------------------------------------
# Futures DV01 and hedge ratios
# --------------------------------------------------------------------------------------------


def test_futures_dv01_is_forward_dv01_over_cf():
    y = 0.0433
    got = futures_dv01(BOND, y, CF, SETTLE, DELIVERY, REPO)
    # Independent: bump the yield, reprice, carry both prices forward, difference.
    up = forward_price(BOND, clean_price(BOND, SETTLE, y + 1e-4), SETTLE, DELIVERY, REPO)
    down = forward_price(BOND, clean_price(BOND, SETTLE, y - 1e-4), SETTLE, DELIVERY, REPO)
    assert got == pytest.approx((down - up) / 2 / CF, rel=1e-10)
    assert got == pytest.approx(dv01(BOND, SETTLE, y) * (1 + REPO * DAYS / 360) / CF, rel=1e-12)


def test_dv01_hedge_is_cf_ratio_over_financing_factor():
    # Hedging the CTD itself: contracts = face x CF / (contract face x (1 + repo x days/360)),
    # the CF ratio trimmed by the financing factor (by hand from the definitions).
    y = 0.0433
    contracts = hedge_contracts(
        100e6, dv01(BOND, SETTLE, y), futures_dv01(BOND, y, CF, SETTLE, DELIVERY, REPO), "TYM25"
    )
    assert contracts == pytest.approx(100e6 * CF / 100_000 / (1 + REPO * DAYS / 360), rel=1e-12)


def test_futures_dv01_yield_as_percentage_names_argument():
    with pytest.raises(ValueError, match="ctd_yield"):
        futures_dv01(BOND, 4.33, CF, SETTLE, DELIVERY, REPO)


def test_hedge_ratio_and_contracts():
    assert hedge_ratio(0.08, 0.064) == pytest.approx(1.25)
    # $10mn of bonds, 1.25 futures face per bond face: 125 TY contracts ($100k) ...
    assert hedge_contracts(10_000_000, 0.08, 0.064, "TYM25") == pytest.approx(125.0)
    # ... or 62.5 TU contracts ($200k).
    assert hedge_contracts(10_000_000, 0.08, 0.064, "TUM25") == pytest.approx(62.5)
    with pytest.raises(ValueError, match="futures_dv01"):
        hedge_ratio(0.08, 0.0)
    with pytest.raises(ValueError, match="face"):
        hedge_contracts(-1.0, 0.08, 0.064, "TYM25")


# --------------------------------------------------------------------------------------------
# The switch option
# --------------------------------------------------------------------------------------------


def test_switch_option_matches_two_bond_approximation():
    # Two bonds on a flat curve at the yield where their forward prices per CF are equal.
    # Near there the difference of the two ratios is about slope x shift, so the expected
    # basis of the one delivered today is CF x |slope| x sigma sqrt(T) / sqrt(2 pi).
    short, long_ = note(0.04, D(2032, 1, 31), 7), note(0.04625, D(2033, 5, 15))
    cfs, cfl = (conversion_factor(b.coupon, b.maturity, "TYM25") for b in (short, long_))

    def gap(y):
        ratio = [
            forward_price(b, clean_price(b, SETTLE, y), SETTLE, DELIVERY, REPO) / cf
            for b, cf in ((short, cfs), (long_, cfl))
        ]
        return ratio[1] - ratio[0]

    lo, hi = 0.03, 0.09
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if gap(mid) > 0 else (lo, mid)
    tie = (lo + hi) / 2
    slope = abs(gap(tie + 1e-4) - gap(tie - 1e-4)) / 2  # per bp
    futures = forward_price(short, clean_price(short, SETTLE, tie), SETTLE, DELIVERY, REPO) / cfs
    vol = 25.0
    sigma = vol * math.sqrt(DAYS / 365.25)
    opt = switch_option_value(
        [short, long_], [tie, tie], futures, "TYM25", SETTLE, DELIVERY, REPO, vol,
        n_scenarios=200_000,
    )  # fmt: skip
    cf_ctd = cfs if opt.ctd == _name(short) else cfl
    expected = 32 * cf_ctd * slope * sigma / math.sqrt(2 * math.pi)
    assert opt.value_32nds == pytest.approx(expected, rel=0.03)
    assert opt.switch_probability == pytest.approx(0.5, abs=0.01)
    assert abs(opt.ctd_net_basis_32nds) < 1e-6


def test_switch_option_properties():
    args = (BASKET, YIELDS, 110.0, "TYM25", SETTLE, DELIVERY, REPO)
    low = switch_option_value(*args, 50.0)
    high = switch_option_value(*args, 150.0)
    assert isinstance(low, SwitchOption)
    assert 0 < low.value_32nds < high.value_32nds
    assert switch_option_value(*args, 50.0) == low  # seeded: reproducible
    assert sum(high.delivery_shares.values()) == pytest.approx(1.0)
    assert high.switch_probability == pytest.approx(1 - high.delivery_shares[high.ctd])
    t = basket_table(BASKET, PRICES, 110.0, "TYM25", SETTLE, DELIVERY, REPO)
    assert high.ctd == t.loc[t["ctd"], "bond"].iloc[0]
    assert high.ctd_net_basis_32nds == pytest.approx(t.loc[t["ctd"], "net_basis_32nds"].iloc[0])
    zero = switch_option_value(*args, 0.0)
    assert zero.value_32nds == 0.0 and zero.switch_probability == 0.0
    # One bond: nothing to switch to.
    single = switch_option_value(BASKET[:1], YIELDS[:1], 110.0, "TYM25", SETTLE, DELIVERY, REPO,
                                 100.0, twist_vol_bp=30.0)  # fmt: skip
    assert single.value_32nds == 0.0
    # A twist adds optionality.
    twisted = switch_option_value(*args, 50.0, twist_vol_bp=50.0)
    assert twisted.value_32nds > low.value_32nds


def test_switch_option_bad_input():
    args = (BASKET, YIELDS, 110.0, "TYM25", SETTLE, DELIVERY, REPO)
    with pytest.raises(ValueError, match="vol_bp"):
        switch_option_value(*args, -1.0)
    with pytest.raises(ValueError, match="twist_vol_bp"):
        switch_option_value(*args, 50.0, twist_vol_bp=-1.0)
    with pytest.raises(ValueError, match="n_scenarios"):
        switch_option_value(*args, 50.0, n_scenarios=1)
    with pytest.raises(TypeError, match="seed"):
        switch_option_value(*args, 50.0, seed=1.5)
    with pytest.raises(ValueError, match="futures_price"):
        switch_option_value(BASKET, YIELDS, 0.0, "TYM25", SETTLE, DELIVERY, REPO, 50.0)


# --------------------------------------------------------------------------------------------
# The leveraged basis position
# --------------------------------------------------------------------------------------------


def test_basis_position_path_by_hand():
    dates = [D(2025, 3, 3), D(2025, 3, 4), D(2025, 3, 5)]
    face, h, im = 10_000_000, 0.02, 2_000.0
    path = basis_position_path(
        dates, [99.5, 99.25, 99.0], [109.625, 109.5, 109.5], bond=BOND, contract="TYM25",
        face=face, repo_rate=REPO, haircut=h, initial_margin=im, margin_multiplier=[1, 1, 2],
    )  # fmt: skip
    n = round(face * CF / 100_000)  # CF of the 4 1/4% 2032 for TYM25 is 0.9069: 91 contracts
    assert n == 91 and (path["contracts"] == n).all()
    ai = [2.125 * k / 181 for k in (16, 17, 18)]
    full = [face / 100 * (p + a) for p, a in zip([99.5, 99.25, 99.0], ai, strict=True)]
    np.testing.assert_allclose(path["variation_margin"], [0.0, n * 1000 * 0.125, 0.0])
    np.testing.assert_allclose(path["futures_pnl"], [0.0, n * 1000 * 0.125, n * 1000 * 0.125])
    np.testing.assert_allclose(path["bond_pnl"], [0.0, -25_000.0, -50_000.0])
    np.testing.assert_allclose(path["coupon_income"], [face / 100 * (a - ai[0]) for a in ai])
    repo = np.cumsum([0.0] + [(1 - h) * v * REPO / 360 for v in full[:2]])
    np.testing.assert_allclose(path["repo_interest"], repo)
    margin = np.array([1, 1, 2]) * n * im
    np.testing.assert_allclose(path["initial_margin"], margin)
    requirement = h * np.array(full) + margin
    np.testing.assert_allclose(path["margin_requirement"], requirement)
    equity = (
        requirement[0] + path["basis_pnl"] + path["coupon_income"] - path["repo_interest"]
    ).to_numpy()
    np.testing.assert_allclose(path["equity"], equity)
    np.testing.assert_allclose(path["leverage"], np.array(full) / equity)
    # The basis widened by 8/32 less the futures' 1/8 x CF: equity falls; and the margin
    # hike on day 2 forces a call.
    assert path["margin_call"].tolist() == [False, True, True]
    assert path["excess_equity"].iloc[2] < path["excess_equity"].iloc[1]


def test_basis_position_bad_input():
    dates = [D(2025, 3, 3), D(2025, 3, 4)]
    kw = dict(bond=BOND, contract="TYM25", face=1e7, repo_rate=REPO, haircut=0.02,
              initial_margin=2_000.0)  # fmt: skip
    with pytest.raises(ValueError, match="dates"):
        basis_position_path(dates[::-1], [99.5, 99.4], [109.6, 109.5], **kw)
    with pytest.raises(ValueError, match="bond_prices"):
        basis_position_path(dates, [99.5], [109.6, 109.5], **kw)
    with pytest.raises(ValueError, match="futures_prices"):
        basis_position_path(dates, [99.5, 99.4], [109.6, -1.0], **kw)
    with pytest.raises(ValueError, match="haircut"):
        basis_position_path(dates, [99.5, 99.4], [109.6, 109.5], **{**kw, "haircut": 1.0})
    with pytest.raises(ValueError, match="face"):
        basis_position_path(dates, [99.5, 99.4], [109.6, 109.5], **{**kw, "face": 1_000.0})
    with pytest.raises(ValueError, match="equity"):
        basis_position_path(dates, [99.5, 99.4], [109.6, 109.5], **{**kw, "equity": -1.0})


# basis_shock_path: the calm path follows the forward price with the net basis converging to
# zero at delivery (the module notes' forward price, written out by hand here).
# 4 1/4% of 15 Feb 2032 into TYM25 from Mon 2 June 2025 (first delivery day) to Mon 30 June
# (last): 19 business days (Juneteenth, Thu 19 June, is a holiday), 28 calendar days.
SHOCK_SETTLE = D(2025, 6, 2)
SHOCK_DATES = [D(2025, 6, d) for d in (2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17, 18, 20, 23,
                                       24, 25, 26, 27, 30)]  # fmt: skip
SHOCK_F = 109.75  # F x CF = 99.532275 > forward price: the futures are rich


def calm_prices_by_hand(p0, f, cf, repo, dates, delivery, ai, coupons=()):
    """Calm-path clean prices: forward price at repo minus the pro-rata starting net basis.

    ``ai(d)`` is accrued interest per 100 on d; ``coupons`` are (date, amount) pairs, each
    reinvested at repo until the date priced (module notes).
    """
    t0, full = dates[0], p0 + ai(dates[0])

    def forward(d):
        paid = sum(c * (1 + repo * (d - t).days / 360) for t, c in coupons if t0 < t <= d)
        return full * (1 + repo * (d - t0).days / 360) - paid - ai(d)

    net0 = forward(delivery) - f * cf
    total = (delivery - t0).days
    return np.array([p0] + [forward(d) for d in dates[1:]]) - net0 * np.array(
        [(d - t0).days / total for d in dates]
    ), net0


def test_basis_shock_path_calm_by_hand():
    assert (SHOCK_SETTLE - D(2025, 2, 15)).days == 107
    face, h = 100e6, 0.0
    path = basis_shock_path(BOND, "TYM25", SHOCK_SETTLE, DELIVERY, P, SHOCK_F, days=19,
                            repo_rate=REPO, haircut=h, face=face)  # fmt: skip
    assert path["date"].tolist() == SHOCK_DATES

    def ai(d):  # the coupon period 15 Feb - 15 Aug 2025 has 181 days
        return 2.125 * (d - D(2025, 2, 15)).days / 181

    prices, net0 = calm_prices_by_hand(P, SHOCK_F, CF, REPO, SHOCK_DATES, DELIVERY, ai)
    np.testing.assert_allclose(path["bond_price"], prices, rtol=0, atol=1e-9)
    assert (path["futures_price"] == SHOCK_F).all()
    # At delivery the basis has converged: the bond is worth F x CF, so the basis P&L to
    # delivery is minus today's gross basis (net basis + carry), times face/100.
    assert path["bond_price"].iloc[-1] == pytest.approx(SHOCK_F * CF, abs=1e-9)
    assert path["basis_pnl"].iloc[-1] == pytest.approx(-(P - SHOCK_F * CF) * face / 100, abs=1e-6)
    # On each day the net basis (computed by hand from that day's price) is the starting net
    # basis scaled down in a straight line, plus interest on interest: with a = days elapsed,
    # b = days left, NB_k = NB_0 (1 - e) + full_0 r^2 a b / 360^2 - NB_0 e r b / 360.
    accrued = np.array([ai(d) for d in SHOCK_DATES])
    ai_delivery, full0 = 2.125 * 135 / 181, P + accrued[0]
    a = np.array([(d - SHOCK_SETTLE).days for d in SHOCK_DATES])
    b, e = 28 - a, a / 28
    net = (path["bond_price"] + accrued) * (1 + REPO * b / 360) - ai_delivery - SHOCK_F * CF
    expected = net0 * (1 - e) + full0 * REPO**2 * a * b / 360**2 - net0 * e * REPO * b / 360
    np.testing.assert_allclose(net, expected, rtol=0, atol=1e-12)
    # The basis P&L is the change in gross basis = change in net basis + change in carry.
    carry_left = path["bond_price"] - (net + SHOCK_F * CF)
    np.testing.assert_allclose(
        path["basis_pnl"], face / 100 * (net - net0 + carry_left - carry_left[0]), atol=1e-6
    )
    # With no haircut the trade earns minus the starting net basis, up to the repo paid
    # overnight on the marked value instead of to term on the starting value: about
    # r/360 x 28^2/2 x full_0 r/360 points, or $560 on $100mn here.
    assert net0 < 0
    gain = path["equity"].iloc[-1] - path["equity"].iloc[0]
    assert gain == pytest.approx(-net0 * face / 100, abs=1_000)
    assert not path["margin_call"].any()


def test_basis_shock_path_with_a_coupon_by_hand():
    # COUPON_BOND into TYU25 from 1 July to 30 Sept 2025: the 15 Aug coupon is paid on the way
    # and reinvested at repo. Business days by numpy's calendar with the two holidays in the
    # period (Independence Day, Labor Day).
    dates = [
        d.astype(dt.date)
        for d in np.arange(np.datetime64(C_SETTLE), np.datetime64(C_DELIVERY) + 1)
        if np.is_busday(d, holidays=["2025-07-04", "2025-09-01"])
    ]
    path = basis_shock_path(COUPON_BOND, "TYU25", C_SETTLE, C_DELIVERY, C_P, C_F,
                            days=len(dates) - 1, repo_rate=REPO)  # fmt: skip
    assert path["date"].tolist() == dates
    # CME's conversion factor: 9 years 5 months from 1 Sep 2025, rounded to 9 years 3 months.
    c18 = 1.03**-18
    cf = 1.03**-0.5 * (0.023125 + c18 + 0.04625 / 0.06 * (1 - c18)) - 0.023125 * 3 / 6
    cf = round(cf, 4)

    def ai(d):
        start, days = (D(2025, 2, 15), 181) if d < D(2025, 8, 15) else (D(2025, 8, 15), 184)
        return C * (d - start).days / days

    prices, _ = calm_prices_by_hand(C_P, C_F, cf, REPO, dates, C_DELIVERY, ai,
                                    coupons=[(D(2025, 8, 15), C)])  # fmt: skip
    np.testing.assert_allclose(path["bond_price"], prices, rtol=0, atol=1e-9)
    assert path["bond_price"].iloc[-1] == pytest.approx(C_F * cf, abs=1e-9)


def test_basis_shock_path_shock():
    # From Thu 3 July 2025 over Independence Day (Fri 4 July) into TYU25; the 4 1/8% of
    # 15 Nov 2032 is in its basket.
    bond = Treasury(0.04125, D(2032, 11, 15))
    kw = dict(days=5, equity=20e6, haircut=0.02, face=100e6)
    args = (bond, "TYU25", D(2025, 7, 3), D(2025, 9, 30), 99.5, 110.0)
    calm = basis_shock_path(*args, **kw)
    path = basis_shock_path(*args, shock_day=2, cash_cheapening_32nds=16, margin_multiplier=3, **kw)
    assert path["date"].tolist() == [
        D(2025, 7, 3), D(2025, 7, 7), D(2025, 7, 8), D(2025, 7, 9), D(2025, 7, 10), D(2025, 7, 11)
    ]  # fmt: skip
    np.testing.assert_allclose(
        path["bond_price"] - calm["bond_price"], [0, 0, -0.5, -0.5, -0.5, -0.5], atol=1e-12
    )
    np.testing.assert_allclose(path["bond_pnl"] - calm["bond_pnl"], [0, 0] + [-500_000] * 4)
    assert (path["futures_pnl"] == 0).all()
    np.testing.assert_allclose(path["initial_margin"] / calm["initial_margin"], [1, 1, 3, 3, 3, 3])
    # 16/32 on $100mn face is $500,000, lost on the shock day (repo so far is the same).
    gap = calm["equity"] - path["equity"]
    assert gap.iloc[:2].abs().max() < 1e-6 and gap.iloc[2] == pytest.approx(500_000, abs=1e-6)
    assert not calm["margin_call"].any()
    assert (path["equity"] <= calm["equity"] + 1e-6).all()


@settings(max_examples=50, deadline=None)
@given(
    price=st.floats(95.0, 105.0),
    futures=st.floats(105.0, 115.0),
    repo=st.floats(0.0, 0.08),
    start=st.integers(0, 18),
    shock_day=st.integers(1, 19),
    widening=st.floats(-64.0, 64.0),
)
def test_basis_shock_path_converges_at_delivery(price, futures, repo, start, shock_day, widening):
    # Whatever the prices and repo, the calm path starts at the clean price and ends at F x CF
    # on the delivery day; the shock moves every price from shock_day on by widening/32.
    settle = SHOCK_DATES[start]
    days = len(SHOCK_DATES) - 1 - start
    shock_day = min(shock_day, days)
    kw = dict(days=days, shock_day=shock_day, repo_rate=repo)
    args = (BOND, "TYM25", settle, DELIVERY, price, futures)
    calm = basis_shock_path(*args, **kw)
    shocked = basis_shock_path(*args, cash_cheapening_32nds=widening, **kw)
    assert calm["bond_price"].iloc[0] == price
    assert calm["bond_price"].iloc[-1] == pytest.approx(futures * CF, abs=1e-9)
    after = np.arange(days + 1) >= shock_day
    np.testing.assert_allclose(
        shocked["bond_price"] - calm["bond_price"], -widening / 32 * after, atol=1e-9
    )


@pytest.mark.parametrize(
    ("settle", "delivery", "kwargs", "error", "match"),
    [
        (SETTLE, D(2025, 7, 1), {}, ValueError, "delivery"),  # after TYM25's delivery month
        (SETTLE, D(2025, 5, 30), {}, ValueError, "delivery"),  # before it
        (D(2025, 6, 20), DELIVERY, {"days": 10}, ValueError, "delivery"),  # path goes past it
        (SETTLE, "2025-06-30", {}, TypeError, "delivery"),
        (SETTLE, DELIVERY, {"days": 5, "shock_day": 6}, ValueError, "shock_day"),
        (SETTLE, DELIVERY, {"shock_day": 0}, ValueError, "shock_day"),
        (SETTLE, DELIVERY, {"days": 0}, ValueError, "days"),
        (SETTLE, DELIVERY, {"days": 5.0}, ValueError, "days"),
        (SETTLE, DELIVERY, {"cash_cheapening_32nds": "16"}, TypeError, "cash_cheapening_32nds"),
        (SETTLE, DELIVERY, {"margin_multiplier": 0.0}, ValueError, "margin_multiplier"),
        (SETTLE, DELIVERY, {"clean_price": 0.0}, ValueError, "clean_price"),
        (SETTLE, DELIVERY, {"futures_price": -1.0}, ValueError, "futures_price"),
        (SETTLE, DELIVERY, {"repo_rate": -3.0}, ValueError, "repo_rate"),
        (SETTLE, DELIVERY, {"haircut": 1.0}, ValueError, "haircut"),
        (SETTLE, DELIVERY, {"bond": "BOND"}, TypeError, "bond"),
    ],
)
def test_basis_shock_path_bad_input(settle, delivery, kwargs, error, match):
    kw = {"bond": BOND, "clean_price": P, "futures_price": F, **kwargs}
    with pytest.raises(error, match=match):
        basis_shock_path(contract="TYM25", settle=settle, delivery=delivery, **kw)


# --------------------------------------------------------------------------------------------
# Bad input to the basis functions
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"futures_price": 0.0}, "futures_price"),
        ({"futures_price": -110.0}, "futures_price"),
        ({"conversion_factor": 0.0}, "conversion_factor"),
        ({"conversion_factor": -0.9}, "conversion_factor"),
        ({"clean_price": 0.0}, "clean_price"),
        ({"delivery": SETTLE}, "delivery"),
        ({"delivery": D(2025, 3, 1)}, "delivery"),
        ({"delivery": D(2033, 1, 1)}, "delivery"),  # after the bond matures
        ({"settle": "2025-03-03"}, "settle"),
    ],
)
def test_basis_bad_input(kwargs, name):
    base = dict(bond=BOND, clean_price=P, futures_price=F, conversion_factor=CF,
                settle=SETTLE, delivery=DELIVERY)  # fmt: skip
    args = {**base, **kwargs}
    error = TypeError if name == "settle" else ValueError
    with pytest.raises(error, match=name):
        implied_repo_rate(**args)
    with pytest.raises(error, match=name):
        net_basis(**args, repo_rate=REPO)


def test_other_bad_input():
    with pytest.raises(TypeError, match="bond"):
        gross_basis(None, P, F, CF)
    with pytest.raises(ValueError, match="futures_price"):
        gross_basis(BOND, P, 0.0, CF)
    with pytest.raises(ValueError, match="conversion_factor"):
        gross_basis(BOND, P, F, -1.0)
    with pytest.raises(ValueError, match="repo_rate"):
        carry(BOND, P, SETTLE, DELIVERY, 4.3)
    with pytest.raises(ValueError, match="accrued"):
        invoice_price(F, CF)
    with pytest.raises(ValueError, match="futures_price"):
        invoice_price(0.0, CF, 1.0)
    with pytest.raises(ValueError, match="conversion_factor"):
        invoice_price(F, 0.0, 1.0)
    with pytest.raises(ValueError, match="coupon"):
        conversion_factor(4.25, D(2032, 2, 15), "TYM25")
    with pytest.raises(ValueError, match="maturity"):
        conversion_factor(0.0425, D(2025, 5, 15), "TYM25")
    with pytest.raises(ValueError, match="contract"):
        conversion_factor(0.0425, D(2032, 2, 15), "TYM")
    with pytest.raises(ValueError, match="conversion_factor"):
        futures_dv01(BOND, 0.0433, 0.0, SETTLE, DELIVERY, REPO)
    with pytest.raises(ValueError, match="delivery"):
        futures_dv01(BOND, 0.0433, CF, DELIVERY, SETTLE, REPO)


def test_futures_contract_is_exported():
    assert isinstance(contract("TNZ25"), FuturesContract)
