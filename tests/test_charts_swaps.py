"""Chart builders of the swap-spread chapter: their grids, controls, size limits and bad input."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from treasury_rv import swaps
from treasury_rv.charts import swaps as sc

TRADE = dt.date(2025, 4, 2)
TENORS = [1, 2, 5, 10, 30]
# Made-up par swap rates and Treasury yields, shaped like a 2025 curve.
PAR = np.array([0.0400, 0.0385, 0.0375, 0.0370, 0.0372])
TREASURY = np.array([0.0405, 0.0395, 0.0400, 0.0425, 0.0465])
LEVELS = np.arange(-50, 51, 25)
SLOPES = np.arange(-20, 21, 20)


def params(spec: dict) -> dict:
    """Bound parameters of a chart spec by name."""
    return {p["name"]: p for p in spec.get("params", []) if "bind" in p}


def largest_dataset(spec: dict) -> int:
    return max(len(v) for v in spec.get("datasets", {}).values())


@pytest.fixture(scope="module")
def curve_data():
    return sc.curve_grid(TRADE, TENORS, PAR, TREASURY, levels_bp=LEVELS, slopes_bp=SLOPES)


# --- the bootstrapped curve -------------------------------------------------------------------


def test_curve_grid_shifts_the_swap_rates_and_so_the_spreads(curve_data):
    pillars, _ = curve_data
    assert len(pillars) == LEVELS.size * SLOPES.size * len(TENORS)
    flat = pillars[(pillars["level_bp"] == 0) & (pillars["slope_bp"] == 0)]
    assert np.allclose(flat["spread_bp"], (PAR - TREASURY) * 1e4, atol=1e-6)
    # Level 25, slope 20: +25bp at 1 year, +45bp at 30 years, +25 + 20 x 9/29 at 10 years.
    shifted = pillars[(pillars["level_bp"] == 25) & (pillars["slope_bp"] == 20)]
    expected = 25 + 20 * (np.array(TENORS) - 1) / 29
    assert np.allclose(shifted["spread_bp"].to_numpy() - flat["spread_bp"].to_numpy(), expected)
    assert np.allclose(shifted["treasury_pct"], TREASURY * 100)


def test_curve_grid_curves_reprice_their_swaps(curve_data):
    pillars, curve = curve_data
    one = pillars[(pillars["level_bp"] == -50) & (pillars["slope_bp"] == 20)]
    rebuilt = swaps.SofrCurve.bootstrap(TRADE, TENORS, one["par_pct"].to_numpy() / 100)
    keys = (curve["level_key"] == -5000) & (curve["slope_key"] == 2000)
    zero = curve[keys & (curve["series"] == "Zero rate (continuous)")]
    forward = curve[keys & (curve["series"] == "One-year forward rate (ACT/360)")]
    assert zero["years"].tolist() == list(range(1, 31))
    assert forward["years"].tolist() == list(range(31))  # 0 to 29, and 30 where the last ends
    assert forward["rate_pct"].iloc[-1] == forward["rate_pct"].iloc[-2]
    # The first one-year forward is the 1-year deposit rate implied by the first zero rate:
    # (exp(z t) - 1) / (days / 360), with t in ACT/365F years, computed here by hand.
    days = (dt.date(2026, 4, 2) - TRADE).days
    z = rebuilt.zero_rate(dt.date(2026, 4, 2))
    by_hand = (np.exp(z * days / 365) - 1) / (days / 360)
    assert forward["rate_pct"].iloc[0] == pytest.approx(by_hand * 100, abs=1e-6)
    assert zero["rate_pct"].iloc[0] == pytest.approx(z * 100, abs=1e-6)


def test_curve_chart_has_level_and_slope_sliders(curve_data):
    spec = sc.curve_chart(*curve_data, level_bp=25, slope_bp=0).to_dict()
    bound = params(spec)
    assert set(bound) == {"level", "slope"}
    assert (bound["level"]["value"], bound["level"]["bind"]["min"]) == (25, -50)
    assert bound["level"]["bind"]["max"] == 50 and bound["level"]["bind"]["step"] == 25
    assert bound["slope"]["bind"]["step"] == 20
    assert largest_dataset(spec) <= sc.MAX_ROWS
    assert spec["description"]


def test_curve_bad_input(curve_data):
    with pytest.raises(ValueError, match="same length"):
        sc.curve_grid(TRADE, TENORS, PAR[:-1], TREASURY, levels_bp=[0], slopes_bp=[0])
    with pytest.raises(ValueError, match="evenly spaced"):
        sc.curve_grid(TRADE, TENORS, PAR, TREASURY, levels_bp=[0, 10, 30], slopes_bp=[0])
    with pytest.raises(ValueError, match="two tenors"):
        sc.curve_grid(TRADE, [5], PAR[:1], TREASURY[:1], levels_bp=[0], slopes_bp=[0])
    with pytest.raises(ValueError, match="rows"):
        sc.curve_grid(
            TRADE, TENORS, PAR, TREASURY, levels_bp=np.arange(-100, 101), slopes_bp=[0, 1]
        )
    with pytest.raises(ValueError, match="level_bp"):
        sc.curve_chart(*curve_data, level_bp=10)
    with pytest.raises(TypeError, match="curve"):
        sc.curve_chart(curve_data[0], None)
    with pytest.raises(ValueError, match="lacks the columns"):
        sc.curve_chart(curve_data[0].drop(columns="spread_bp"), curve_data[1])


# --- the breakeven spread under the leverage ratio ----------------------------------------


SLRS = np.arange(33) / 400  # 0% to 8% in quarter points
ROCS = np.arange(2, 21) / 100


def test_breakeven_grid_by_hand():
    grid = sc.breakeven_grid(SLRS, ROCS, repo_minus_sofr_bp=3.0).set_index(["slr_key", "roc_key"])
    # 5% of capital at 10% a year: 0.05 x 0.10 = 0.005 of the asset = 50bp; less 3bp of repo.
    row = grid.loc[(500, 1000)]
    assert row["cost_bp"] == pytest.approx(50.0)
    assert row["breakeven_bp"] == pytest.approx(-53.0)
    # Treasuries out of the ratio (as in 2020-21): no balance-sheet cost at all.
    assert grid.loc[(0, 1500), "cost_bp"] == 0.0
    assert len(grid) == SLRS.size * ROCS.size


def test_breakeven_chart_marks_every_rule_and_has_two_sliders():
    grid = sc.breakeven_grid(SLRS, ROCS)
    spec = sc.breakeven_chart(grid, swaps.SLR_RULES, slr_pct=5.0, roc_pct=10.0).to_dict()
    assert set(params(spec)) == {"slr", "roc"}
    assert params(spec)["slr"]["bind"]["step"] == pytest.approx(0.25)
    marked = sc._rule_points(swaps.SLR_RULES)
    assert set(marked["rule"]) == {rule.name for rule in swaps.SLR_RULES}
    excluded = [r.name for r in swaps.SLR_RULES if r.treasuries_excluded]
    assert (marked.loc[marked["rule"].isin(excluded), "slr_key"] == 0).all()
    assert largest_dataset(spec) <= sc.MAX_ROWS


def test_breakeven_bad_input():
    with pytest.raises(ValueError, match="slrs"):
        sc.breakeven_grid([0.05, 5.0], ROCS)
    with pytest.raises(ValueError, match="returns_on_capital"):
        sc.breakeven_grid(SLRS, [-0.1, 0.1])
    coarse = sc.breakeven_grid(np.arange(9) / 100, ROCS)  # whole percents: no 3.5% or 4.25%
    with pytest.raises(ValueError, match="not on the grid"):
        sc.breakeven_chart(coarse, swaps.SLR_RULES)
    with pytest.raises(TypeError, match="SlrRule"):
        sc.breakeven_chart(sc.breakeven_grid(SLRS, ROCS), ["2014"])


# --- a spread shock on the levered trade ------------------------------------------------------


def test_shock_grid_by_hand():
    # $100mn of Treasuries, $85,000 a bp on each leg, no repo haircut, $1.275mn of swap
    # initial margin; at 50x the equity is $2mn and the margin rate 1.275%.
    grid = sc.shock_grid(
        100e6, 85_000.0, 0.0, 1.275e6, spread_moves_bp=[-20.0, -10.0, 0.0, 10.0],
        leverages=[40.0, 50.0],
    ).set_index(["leverage", "move_bp"])  # fmt: skip
    row = grid.loc[(50.0, -20.0)]
    loss = 20 * 85_000.0
    call = loss  # variation margin: the loss, one for one
    spare = 2e6 - 1.275e6
    # No haircut: cutting a share x of the trade releases x of the $1.275mn initial margin.
    share = (call - spare) / 1.275e6
    assert row["loss_mn"] * 1e6 == pytest.approx(loss)
    assert row["call_mn"] * 1e6 == pytest.approx(call)
    assert row["sale_mn"] * 1e6 == pytest.approx(share * (100e6 - loss), abs=1.0)
    assert row["zone"] == "forced sale"
    assert grid.loc[(50.0, 10.0), "zone"] == "no call"
    assert grid.loc[(40.0, -10.0), "zone"] == "cash pays the call"  # spare 2.5 - 1.275
    # At 50x a fall of 2e6 / 85,000 = 23.5bp takes all the equity: not reached at -20.
    assert row["equity_left_mn"] == pytest.approx(0.3)


def test_shock_chart_sliders_and_size():
    grid = sc.shock_grid(
        1e9, 850_000.0, 0.0, 25e6, spread_moves_bp=-np.arange(0, 41, 2),
        leverages=np.arange(10, 41, 5),
    )  # fmt: skip
    spec = sc.shock_chart(grid, spread_move_bp=-10, leverage=30).to_dict()
    bound = params(spec)
    assert set(bound) == {"leverage", "move"}
    assert (bound["move"]["bind"]["min"], bound["move"]["bind"]["max"]) == (-40, 0)
    assert bound["leverage"]["value"] == 30
    assert largest_dataset(spec) <= sc.MAX_ROWS
    assert (grid["zone"] == "equity gone").any()


def test_shock_bad_input():
    with pytest.raises(ValueError, match="leverages"):
        sc.shock_grid(100e6, 85_000.0, 0.0, 1.275e6, spread_moves_bp=[0, -5], leverages=[80, 90])
    with pytest.raises(ValueError, match="spread_moves_bp"):
        sc.shock_grid(100e6, 85_000.0, 0.0, 1.275e6, spread_moves_bp=[0, -5, -20], leverages=[10])
    with pytest.raises(ValueError, match="position"):
        sc.shock_grid(-1, 85_000.0, 0.0, 1.275e6, spread_moves_bp=[0, -5], leverages=[10])
    grid = sc.shock_grid(100e6, 85_000.0, 0.0, 1.275e6, spread_moves_bp=[0, -5], leverages=[10, 20])
    with pytest.raises(ValueError, match="spread_move_bp"):
        sc.shock_chart(grid, spread_move_bp=-3)
    with pytest.raises(TypeError, match="grid"):
        sc.shock_chart(pd.DataFrame.to_dict(grid))


# --- the term structure of swap spreads ---------------------------------------------------------


def _notes():
    return pd.DataFrame(
        {
            "label": ["Nov-34", "Feb-35"],
            "maturity": [dt.date(2034, 11, 15), dt.date(2035, 2, 15)],
            "tenor": [10, 10],
            "yield": [0.0422, 0.0424],
        }
    )


def test_spread_term_grid_by_hand():
    trade = dt.date(2025, 4, 2)
    curve = swaps.SofrCurve.bootstrap(trade, [9, 10], [0.0360, 0.0370])
    grid = sc.spread_term_grid(curve, trade, _notes()).set_index(["label", "series"])
    nine, ten = swaps.ois_par_rate(curve, trade, [9, 10])
    # The 9-year swap ends on 4 April 2034, the 10-year on 4 April 2035: 365 days apart.
    matched = nine + (ten - nine) * 225 / 365
    assert grid.loc[("Nov-34", sc._MATCHED), "spread_bp"] == pytest.approx((matched - 0.0422) * 1e4)
    assert grid.loc[("Nov-34", sc._BENCHMARK), "spread_bp"] == pytest.approx((ten - 0.0422) * 1e4)
    assert grid.loc[("Feb-35", sc._MATCHED), "years"] == pytest.approx(3606 / 365)


def test_spread_term_chart_draws_both_definitions():
    trade = dt.date(2025, 4, 2)
    curve = swaps.SofrCurve.bootstrap(trade, [9, 10], [0.0360, 0.0370])
    spec = sc.spread_term_chart(sc.spread_term_grid(curve, trade, _notes())).to_dict()
    assert len(spec["layer"]) == 2
    assert largest_dataset(spec) <= sc.MAX_ROWS
    with pytest.raises(ValueError, match="notes"):
        sc.spread_term_grid(curve, trade, _notes().drop(columns="tenor"))
    bad = sc.spread_term_grid(curve, trade, _notes()).assign(series="other")
    with pytest.raises(ValueError, match="series"):
        sc.spread_term_chart(bad)
