"""The shared argument checks: each names the argument and says what was wrong."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from treasury_rv import _validate as v


def test_as_date_accepts_dates_and_truncates_datetimes():
    assert v.as_date(dt.date(2025, 4, 2), "settle") == dt.date(2025, 4, 2)
    assert v.as_date(dt.datetime(2025, 4, 2, 15, 30), "settle") == dt.date(2025, 4, 2)
    assert v.as_date(np.datetime64("2025-04-02"), "settle") == dt.date(2025, 4, 2)


@pytest.mark.parametrize("bad", ["2025-04-02", 20250402, None])
def test_as_date_rejects_other_types_naming_the_argument(bad):
    with pytest.raises(TypeError, match="settle"):
        v.as_date(bad, "settle")


@pytest.mark.parametrize("bad", [np.nan, np.inf, [0.01, np.nan]])
def test_non_finite_numbers_are_rejected(bad):
    with pytest.raises(ValueError, match="ytm must be finite"):
        v.as_float_array(bad, "ytm")


def test_rates_as_percentages_and_below_minus_200pct_are_rejected():
    assert float(v.check_rate(0.0425, "ytm")) == 0.0425
    with pytest.raises(ValueError, match="ytm .*percentage"):
        v.check_rate(4.25, "ytm")
    with pytest.raises(ValueError, match="ytm must be above -200%"):
        v.check_rate(-2.0, "ytm")


def test_fraction_and_positive_checks():
    with pytest.raises(ValueError, match=r"haircut .*give 2% as 0.02"):
        v.check_fraction(2, "haircut")
    with pytest.raises(ValueError, match="haircut"):
        v.check_fraction(0.0, "haircut")
    with pytest.raises(ValueError, match="price must be positive"):
        v.check_positive([100.0, 0.0], "price")


@pytest.mark.parametrize(
    ("bad", "match"), [(4.125, "percentage"), (-0.01, "negative"), (0.3, "25%")]
)
def test_coupon_checks(bad, match):
    with pytest.raises(ValueError, match=match):
        v.check_coupon(bad)


def test_real_numbers_only():
    with pytest.raises(TypeError, match="equity"):
        v.as_real("10", "equity")
    with pytest.raises(TypeError, match="equity"):
        v.as_real(True, "equity")
    with pytest.raises(TypeError, match="prices"):
        v.as_float_array(["a"], "prices")


def test_fraction_may_allow_zero():
    assert float(v.check_fraction(0.0, "haircut", allow_zero=True)) == 0.0
    with pytest.raises(ValueError, match=r"haircut must be in \[0, 1\)"):
        v.check_fraction(-0.01, "haircut", allow_zero=True)


def test_nonnegative_check_names_the_argument():
    assert float(v.check_nonnegative(0.0, "buffer")) == 0.0
    with pytest.raises(ValueError, match="buffer must not be negative, got -1.0"):
        v.check_nonnegative([1.0, -1.0], "buffer")
