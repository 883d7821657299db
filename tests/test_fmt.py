import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from treasury_rv import fmt


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (1_562_000, 2, "$1.56mn"),
        (54_919.4, 2, "$54,919"),
        (-2.475e6, 2, "−$2.48mn"),
        (775e9, 0, "$775bn"),
        (1.45e12, 2, "$1.45tn"),
        (999_999.7, 2, "$1.00mn"),  # rounding carries into millions
        (999.999e6, 2, "$1.00bn"),
        (-0.3, 2, "$0"),  # no minus on a zero
        (0, 2, "$0"),
    ],
)
def test_money(value, digits, expected):
    assert fmt.money(value, digits) == expected


def test_rates_spreads_and_multiples():
    assert fmt.pct(0.043) == "4.30%"
    assert fmt.pct(-0.0005, 3) == "−0.050%"
    assert fmt.bp(12.4) == "12bp"
    assert fmt.bp(-3.24, 1) == "−3.2bp"
    assert fmt.n32(-5.26) == "−5.3/32"
    assert fmt.times(54.6) == "55×"
    assert fmt.number(-1234.567, 1) == "−1,234.6"
    assert fmt.number(-0.04, 1) == "0.0"  # rounds to zero: no sign


@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False))
def test_no_hyphen_minus_and_sign_matches(x):
    for text in (fmt.money(x), fmt.number(x, 2), fmt.pct(x / 1e6), fmt.bp(x / 1e6, 1)):
        assert "-" not in text
    shown = fmt.number(x, 2)
    if shown.startswith(fmt.MINUS):
        assert x < 0


@given(st.floats(min_value=1, max_value=1e14, allow_nan=False))
def test_money_reads_back_within_rounding(x):
    text = fmt.money(x, 2)
    units = {"tn": 1e12, "bn": 1e9, "mn": 1e6}
    body = text.removeprefix("$")
    scale = units.get(body[-2:], 1.0)
    value = float(body.rstrip("tnbm").replace(",", "")) * scale
    assert math.isclose(value, x, rel_tol=0.01, abs_tol=0.5)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "1.5", None, True])
def test_bad_value_names_argument(bad):
    with pytest.raises((TypeError, ValueError), match="value"):
        fmt.money(bad)


def test_bad_digits():
    with pytest.raises(ValueError, match="digits"):
        fmt.number(1.0, -1)


def test_style_table():
    t = pd.DataFrame({"bond": ["A", "B"], "irr": [0.0412, -0.001]})
    out = fmt.style_table(t, {"irr": fmt.pct})
    assert out["irr"].tolist() == ["4.12%", "−0.10%"]
    assert t["irr"].dtype == float  # the original is untouched
    with pytest.raises(ValueError, match="not in frame"):
        fmt.style_table(t, {"nope": fmt.pct})
    with pytest.raises(TypeError, match="callable"):
        fmt.style_table(t, {"irr": "pct"})
