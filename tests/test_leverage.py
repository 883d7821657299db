"""Tests for treasury_rv.leverage: haircuts, the repo ladder, returns, margin and the spiral."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from treasury_rv.leverage import (
    MAX_GRID_ROWS,
    MAX_LADDER_ROUNDS,
    equity_after_move,
    forced_sale,
    haircut_hike,
    ladder_limit,
    levered_return,
    margin_call,
    margin_spiral,
    margin_thresholds,
    max_leverage,
    repo_ladder,
    return_on_equity,
    spiral_amplification,
    spiral_grid,
    spiral_outcome,
)

haircuts = st.floats(min_value=0.004, max_value=0.5)
equities = st.floats(min_value=1e5, max_value=1e10)


# --------------------------------------------------------------------------------------------
# Haircuts and maximum leverage
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("haircut", "leverage"),
    [
        # Median tri-party Treasury repo haircut of 2% (OFR blog, 2022-12-05): 1 / 0.02 = 50x.
        (0.02, 50.0),
        # FT Alphaville's (2025) "up to 100x" is a 1% haircut.
        (0.01, 100.0),
        (0.05, 20.0),
        (0.5, 2.0),
    ],
)
def test_max_leverage_is_one_over_haircut(haircut, leverage):
    assert max_leverage(haircut) == pytest.approx(leverage, rel=1e-12)
    assert isinstance(max_leverage(haircut), float)


def test_max_leverage_vectorised():
    out = max_leverage(np.array([[0.01, 0.02], [0.04, 0.1]]))
    np.testing.assert_allclose(out, [[100, 50], [25, 10]], rtol=1e-12)


@given(haircuts)
def test_max_leverage_times_haircut_is_one(h):
    assert max_leverage(h) * h == pytest.approx(1.0, rel=1e-12)


@given(equities, haircuts)
def test_ladder_limit_is_equity_times_max_leverage(e, h):
    assert ladder_limit(e, h) == pytest.approx(e * max_leverage(h), rel=1e-12)
    assert ladder_limit(e, h) == pytest.approx(e / h, rel=1e-12)


def test_ladder_limit_broadcasts():
    out = ladder_limit([10e6, 20e6], [[0.01], [0.02]])
    np.testing.assert_allclose(out, [[1e9, 2e9], [5e8, 1e9]], rtol=1e-12)


# --------------------------------------------------------------------------------------------
# The repo ladder
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("equity", "haircut", "limit"),
    [
        # FT Alphaville (April 2025): $10mn at a 1% haircut buys about $1bn.
        (10e6, 0.01, 1e9),
        # Same equity at 2%: 10mn / 0.02 = $500mn.
        (10e6, 0.02, 500e6),
    ],
)
def test_seed_ladder_reaches_the_limit(equity, haircut, limit):
    assert ladder_limit(equity, haircut) == pytest.approx(limit, rel=1e-12)
    ladder = repo_ladder(equity, haircut)
    last = ladder.iloc[-1]
    # Default target: within 0.1% of the limit, never above it.
    assert limit * 0.999 <= last.position <= limit
    assert last.leverage == pytest.approx(last.position / equity)
    # The fewest rounds that reach the target: one round fewer falls short.
    assert ladder.iloc[-2].position < 0.999 * limit


def test_seed_ladder_round_count():
    # (0.99)^n <= 0.001  <=>  n >= ln(0.001) / ln(0.99) = 687.3, so 688 rounds.
    assert len(repo_ladder(10e6, 0.01)) == math.ceil(math.log(0.001) / math.log(0.99))


def test_ladder_by_hand():
    # $10mn at a 50% haircut: buy 10, borrow 5; buy 5, borrow 2.5; buy 2.5, borrow 1.25.
    ladder = repo_ladder(10e6, 0.5, rounds=3)
    assert ladder["round"].tolist() == [1, 2, 3]
    np.testing.assert_allclose(ladder["cash_in"], [10e6, 5e6, 2.5e6])
    np.testing.assert_allclose(ladder["bought"], [10e6, 5e6, 2.5e6])
    np.testing.assert_allclose(ladder["borrowed"], [5e6, 2.5e6, 1.25e6])
    np.testing.assert_allclose(ladder["position"], [10e6, 15e6, 17.5e6])
    np.testing.assert_allclose(ladder["repo_debt"], [5e6, 7.5e6, 8.75e6])
    np.testing.assert_allclose(ladder["cash_left"], [5e6, 2.5e6, 1.25e6])
    np.testing.assert_allclose(ladder["equity"], 10e6)
    np.testing.assert_allclose(ladder["leverage"], [1.0, 1.5, 1.75])


@given(equities, haircuts, st.integers(min_value=1, max_value=400))
def test_ladder_is_geometric(e, h, n):
    ladder = repo_ladder(e, h, rounds=n)
    k = np.arange(1, n + 1)
    # Position after k rounds: E (1 + (1-h) + ... + (1-h)^(k-1)) = E (1 - (1-h)^k) / h.
    expected = e * (1 - (1 - h) ** k) / h
    np.testing.assert_allclose(ladder["position"], expected, rtol=1e-9)
    np.testing.assert_allclose(ladder["repo_debt"], (1 - h) * expected, rtol=1e-9)
    # Each round spends what the last one borrowed.
    np.testing.assert_allclose(ladder["cash_in"].iloc[1:], ladder["borrowed"].iloc[:-1], rtol=1e-12)
    # The balance sheet holds at every round: bonds + unspent cash - debt = equity.
    balance = ladder["position"] + ladder["cash_left"] - ladder["repo_debt"]
    np.testing.assert_allclose(balance, e, rtol=1e-9)
    assert (ladder["leverage"] <= 1 / h * (1 + 1e-12)).all()
    assert ladder["position"].is_monotonic_increasing


@given(haircuts, st.floats(min_value=0.5, max_value=0.9999))
def test_ladder_target_is_met_with_fewest_rounds(h, target):
    ladder = repo_ladder(1e6, h, target=target)
    share = ladder["position"] / ladder_limit(1e6, h)
    if len(ladder) < MAX_LADDER_ROUNDS:
        assert share.iloc[-1] >= target * (1 - 1e-9)
    if len(ladder) > 1:
        assert share.iloc[-2] < target


def test_ladder_cap_binds_for_tiny_haircuts():
    ladder = repo_ladder(1e6, 0.001)
    assert len(ladder) == MAX_LADDER_ROUNDS
    # 1 - 0.999^2000 = 0.8648: the cap leaves the position short of the 99.9% target.
    assert ladder["leverage"].iloc[-1] == pytest.approx(1000 * (1 - 0.999**2000), rel=1e-9)


# --------------------------------------------------------------------------------------------
# Return on equity
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spread_bp", "leverage", "roe"),
    [
        (5, 50, 0.025),  # 5bp x 50 = 250bp = 2.5%
        (5, 100, 0.05),  # 5bp x 100 = 500bp = 5%
        (5, 1, 0.0005),  # unlevered: the spread itself
        (-2, 50, -0.01),  # negative carry is levered too
    ],
)
def test_return_on_equity_by_hand(spread_bp, leverage, roe):
    assert return_on_equity(spread_bp, leverage) == pytest.approx(roe, rel=1e-12)


def test_return_on_equity_costs_by_hand():
    # Funding spread on the borrowed 49 per unit of equity: 50 x 5 - 49 x 1 = 201bp.
    assert return_on_equity(5, 50, funding_spread_bp=1) == pytest.approx(0.0201, rel=1e-12)
    # Fees on the whole position: 50 x (5 - 0.5) = 225bp.
    assert return_on_equity(5, 50, fees_bp=0.5) == pytest.approx(0.0225, rel=1e-12)
    # Over a quarter: 250bp / 4.
    assert return_on_equity(5, 50, horizon_years=0.25) == pytest.approx(0.00625, rel=1e-12)


def test_return_on_equity_grid_broadcasts():
    spreads = np.array([1.0, 2.0, 5.0])[:, None]
    leverage = np.array([10.0, 50.0, 100.0])
    grid = return_on_equity(spreads, leverage)
    assert grid.shape == (3, 3)
    np.testing.assert_allclose(grid, spreads * leverage / 1e4, rtol=1e-12)


@given(
    st.floats(min_value=0.0, max_value=0.1),
    st.floats(min_value=0.0, max_value=0.1),
    st.floats(min_value=1.0, max_value=200.0),
    st.floats(min_value=-0.002, max_value=0.002),
    st.floats(min_value=0.01, max_value=5.0),
)
def test_levered_return_is_excess_return_plus_repo_rate(y, r, lev, f, t):
    assume(r + f >= 0)
    # Total return paying r + f on the borrowed amount = the excess return over r with a
    # funding spread f, plus the repo rate r that the equity's own (unborrowed) dollar earns.
    total = levered_return(y, r + f, lev, horizon_years=t)
    excess = return_on_equity((y - r) * 1e4, lev, funding_spread_bp=f * 1e4, horizon_years=t)
    assert total == pytest.approx(excess + r * t, rel=1e-9, abs=1e-12)


def test_levered_return_by_hand():
    # 4.35% asset, 4.30% repo, 50x: 50 x 4.35% - 49 x 4.30% = 217.5% - 210.7% = 6.8%.
    assert levered_return(0.0435, 0.043, 50) == pytest.approx(0.068, rel=1e-12)
    # Unlevered: the asset yield.
    assert levered_return(0.0435, 0.043, 1) == pytest.approx(0.0435, rel=1e-12)


# --------------------------------------------------------------------------------------------
# Mark-to-market, margin calls, forced sales
# --------------------------------------------------------------------------------------------


def test_equity_after_move_by_hand():
    # $1bn on $20mn (50x). A 1% fall loses $10mn: equity $10mn on $990mn, 99x.
    row = equity_after_move(1e9, 20e6, -0.01).iloc[0]
    assert row.loss == pytest.approx(10e6)
    assert row.position_after == pytest.approx(990e6)
    assert row.equity_after == pytest.approx(10e6)
    assert row.equity_return == pytest.approx(-0.5)
    assert row.leverage_after == pytest.approx(99.0)
    assert not row.wiped_out
    # At 50x a 2% fall takes all the equity.
    wiped = equity_after_move(1e9, 20e6, -0.02).iloc[0]
    assert wiped.wiped_out and math.isnan(wiped.leverage_after)


@given(
    st.floats(min_value=1e6, max_value=1e11),
    st.floats(min_value=1.0, max_value=200.0),
    st.floats(min_value=-0.2, max_value=0.2),
)
def test_equity_return_is_leverage_times_price_change(p, lev, m):
    row = equity_after_move(p, p / lev, m).iloc[0]
    assert row.equity_return == pytest.approx(lev * m, rel=1e-9, abs=1e-12)
    assert row.equity_after == pytest.approx(p / lev + p * m, rel=1e-9, abs=1e-3)


def test_equity_after_move_grid_is_tidy():
    frame = equity_after_move(1e9, [10e6, 20e6], np.array([-0.01, 0.0, 0.01])[:, None])
    assert len(frame) == 6
    assert list(frame["equity"]) == [10e6, 20e6] * 3


def test_margin_call_by_hand():
    # $1bn at a 1% haircut on $20mn: repo debt $990mn, spare cash 20 - 10 = $10mn.
    calls = margin_call(1e9, 20e6, 0.01, [-0.005, -0.015, 0.01])
    small, big, rise = (calls.iloc[i] for i in range(3))
    # 0.5% fall: call 0.99 x $5mn = $4.95mn, paid from $10mn of spare cash.
    assert small.spare_cash == pytest.approx(10e6)
    assert small.call == pytest.approx(4.95e6)
    assert small.shortfall == pytest.approx(0.0)
    # 1.5% fall: call 0.99 x $15mn = $14.85mn; $4.85mn short.
    assert big.call == pytest.approx(14.85e6)
    assert big.shortfall == pytest.approx(4.85e6)
    # A rise brings no call.
    assert rise.call == 0.0 and rise.shortfall == 0.0


def test_forced_sale_by_hand():
    sales = forced_sale(1e9, 20e6, 0.01, [-0.005, -0.015, -0.025])
    none, some, wiped = (sales.iloc[i] for i in range(3))
    assert none.sale == 0.0
    # $4.85mn short at a 1% haircut: each $1 sold frees 1 cent, so sell $485mn.
    assert some.sale == pytest.approx(485e6)
    assert some.position_end == pytest.approx(985e6 - 485e6)
    assert some.equity_end == pytest.approx(5e6)
    assert some.leverage_end == pytest.approx(100.0)
    # A 2.5% fall at 50x: equity -$5mn, everything is sold, the lender is $5mn short.
    assert wiped.wiped_out
    assert wiped.sale == pytest.approx(975e6)
    assert wiped.position_end == pytest.approx(0.0, abs=1e-3)
    assert wiped.repo_debt_end - wiped.cash_end == pytest.approx(5e6)


def test_forced_sale_dips_into_buffer_when_bonds_run_out():
    # $10mn of bonds on $3.75mn at an 18.75% haircut; spare cash $1.875mn, all kept as a
    # buffer. A 25% fall: loss $2.5mn, equity $1.25mn, call 0.8125 x 2.5 = $2.03125mn. Selling
    # all $7.5mn of bonds frees 0.1875 x 7.5 = $1.40625mn; the buffer pays the other $0.625mn.
    row = forced_sale(10e6, 3.75e6, 0.1875, -0.25, buffer=1.875e6).iloc[0]
    assert row.sale == pytest.approx(7.5e6)
    assert row.cash_used == pytest.approx(0.625e6)
    assert row.repo_debt_end == pytest.approx(0.0, abs=1e-6)
    assert row.cash_end == pytest.approx(1.25e6)
    assert row.equity_end == pytest.approx(1.25e6)


def test_forced_sale_buffer_by_hand():
    # Keep $5mn of the $10mn spare cash. A 1% fall: call $9.9mn, $5mn usable, $4.9mn short,
    # sale $490mn.
    row = forced_sale(1e9, 20e6, 0.01, -0.01, buffer=5e6).iloc[0]
    assert row.cash_used == pytest.approx(5e6)
    assert row.shortfall == pytest.approx(4.9e6)
    assert row.sale == pytest.approx(490e6)
    assert row.cash_end == pytest.approx(5e6)


@given(
    st.floats(min_value=1e7, max_value=1e11),
    haircuts,
    st.floats(min_value=0.0, max_value=1.0),
    st.floats(min_value=-0.3, max_value=0.05),
    st.floats(min_value=0.0, max_value=2.0),
)
def test_forced_sale_restores_the_haircut(p, h, slack, m, buffer_share):
    e = h * p * (1 + slack)
    buffer = buffer_share * (e - h * p)
    row = forced_sale(p, e, h, m, buffer=buffer).iloc[0]
    scale = p
    # Selling changes the mix of the balance sheet, not the equity.
    assert row.equity_end == pytest.approx(row.equity_after, abs=1e-9 * scale)
    assert row.equity_after == pytest.approx(e + p * m, abs=1e-9 * scale)
    if row.wiped_out:
        assert row.position_end == pytest.approx(0.0, abs=1e-9 * scale)
        return
    # The loan is within the haircut again, and exactly at it when bonds had to be sold.
    assert row.repo_debt_end <= (1 - h) * row.position_end + 1e-9 * scale
    assert row.cash_end >= -1e-9 * scale
    if row.sale > 1e-9 * scale:
        assert row.repo_debt_end == pytest.approx((1 - h) * row.position_end, abs=1e-9 * scale)
        if row.position_end > 1e-9 * scale:
            # Bonds left: the buffer was kept.
            assert row.cash_end == pytest.approx(min(buffer, e - h * p), abs=1e-9 * scale)
    if buffer == 0:
        # Without a buffer the call is met from cash first, bonds only after.
        assert row.sale == pytest.approx(row.shortfall / h, abs=1e-9 * scale)


def test_margin_thresholds_by_hand():
    # 50x at a 1%: spare cash $10mn lasts until 10 / (0.99 x 1000) = 1.0101% fall; equity
    # is gone at a 2% fall.
    row = margin_thresholds(1e9, 20e6, 0.01).iloc[0]
    assert row.cash_exhausted_at == pytest.approx(-10 / 990, rel=1e-12)
    assert row.wiped_out_at == pytest.approx(-0.02, rel=1e-12)
    assert row.leverage == pytest.approx(50.0)


@given(st.floats(min_value=1e7, max_value=1e11), haircuts, st.floats(min_value=0.0, max_value=5.0))
def test_margin_thresholds_match_margin_call(p, h, slack):
    e = min(h * p * (1 + slack), p)
    row = margin_thresholds(p, e, h).iloc[0]
    assert row.cash_exhausted_at >= row.wiped_out_at - 1e-12
    just_before = margin_call(p, e, h, row.cash_exhausted_at * (1 - 1e-6)).iloc[0]
    just_after = margin_call(p, e, h, max(row.cash_exhausted_at * (1 + 1e-6), -1)).iloc[0]
    assert just_before.shortfall == 0.0
    if -1 < row.cash_exhausted_at * (1 + 1e-6) < 0:
        assert just_after.shortfall > 0.0
    wipe = equity_after_move(p, e, row.wiped_out_at).iloc[0]
    assert wipe.equity_after == pytest.approx(0.0, abs=1e-9 * p)


def test_haircut_hike_by_hand():
    # $10mn at 2% carries $500mn; at 3%, $333.3mn: a third must be sold.
    row = haircut_hike(10e6, 0.02, 0.03).iloc[0]
    assert row.position_before == pytest.approx(500e6)
    assert row.position_after == pytest.approx(10e6 / 0.03)
    assert row.sale == pytest.approx(500e6 - 10e6 / 0.03)
    assert row.sale_share == pytest.approx(1 / 3)
    # A cut forces nothing.
    assert haircut_hike(10e6, 0.03, 0.02).iloc[0].sale == 0.0
    # A fund below the old limit sells only what is above the new one.
    below = haircut_hike(10e6, 0.02, [0.03, 0.04], position=300e6)
    np.testing.assert_allclose(below["sale"], [0.0, 50e6], atol=1e-6)


@given(equities, haircuts, st.floats(min_value=1.0, max_value=3.0))
def test_haircut_hike_share(e, h0, ratio):
    h1 = h0 * ratio
    assume(h1 < 1)
    row = haircut_hike(e, h0, h1).iloc[0]
    assert row.sale_share == pytest.approx(1 - h0 / h1, rel=1e-9, abs=1e-12)
    assert row.position_after == pytest.approx(ladder_limit(e, h1), rel=1e-9)


# --------------------------------------------------------------------------------------------
# The fire-sale spiral
# --------------------------------------------------------------------------------------------


def reference_spiral(position, equity, h0, h1, shock, impact_per_bn, max_rounds, tol):
    """The spiral tracked in face amount and price, one round at a time."""
    zero = 1e-12 * position  # equity this small counts as gone
    face, price, debt = position, 100.0, position - equity
    rows = [(price, 0.0, face, debt)]
    price *= 1 + shock
    rows.append((price, 0.0, face * price / 100, debt))
    defaulted = face * price / 100 - debt <= zero
    r = 1
    while not defaulted and r < max_rounds:
        value = face * price / 100
        need = value - (value - debt) / h1
        if need <= tol * position:
            break
        r += 1
        sell_face = need / (price / 100)
        price *= 1 - min(impact_per_bn * need / 1e9, 1.0)
        proceeds = sell_face * price / 100
        face -= sell_face
        debt -= proceeds
        rows.append((price, proceeds, face * price / 100, debt))
        defaulted = face * price / 100 - debt <= zero
    return pd.DataFrame(rows, columns=["price", "sold", "position", "repo_debt"]), defaulted


def at_max_leverage(h, a, u, position=1e9):
    """Equity, shock and impact giving amplification ``a`` and shock ``u x haircut``."""
    equity = h * position
    impact = a * h / (position - equity) * 1e9
    return equity, -u * h, impact


@pytest.mark.parametrize(
    ("shock", "impact", "increase"),
    [(-0.002, 0.005, 0.0), (-0.001, 0.015, 0.0), (-0.007, 0.005, 0.0), (-0.003, 0.002, 0.005)],
)
def test_spiral_matches_reference(shock, impact, increase):
    path = margin_spiral(
        1e9, 10e6, 0.01, shock, price_impact_per_bn=impact, haircut_increase=increase
    )
    ref, defaulted = reference_spiral(1e9, 10e6, 0.01, 0.01 + increase, shock, impact, 50, 1e-6)
    assert len(path) == len(ref)
    for col in ref.columns:
        np.testing.assert_allclose(path[col], ref[col], rtol=1e-9, atol=1e-3)
    assert path["defaulted"].iloc[-1] == defaulted


@settings(max_examples=60, deadline=None)
@given(
    st.floats(min_value=0.005, max_value=0.1),
    st.floats(min_value=0.0, max_value=3.0),
    st.floats(min_value=0.0, max_value=1.1),
)
def test_spiral_matches_reference_property(h, a, u):
    e, shock, impact = at_max_leverage(h, a, u)
    path = margin_spiral(1e9, e, h, shock, price_impact_per_bn=impact, max_rounds=200)
    ref, defaulted = reference_spiral(1e9, e, h, h, shock, impact, 200, 1e-6)
    assert len(path) == len(ref)
    np.testing.assert_allclose(path["price"], ref["price"], rtol=1e-9)
    np.testing.assert_allclose(path["repo_debt"], ref["repo_debt"], rtol=1e-9, atol=1e-2)
    assert path["defaulted"].iloc[-1] == defaulted


def test_spiral_zero_shock_sells_nothing():
    path = margin_spiral(1e9, 10e6, 0.01, 0.0, price_impact_per_bn=0.05)
    assert (path["sold"] == 0).all()
    assert (path["price"] == 100).all()
    assert not path["defaulted"].any()
    out = spiral_outcome(1e9, 10e6, 0.01, 0.0, price_impact_per_bn=0.05)
    assert out["total_sold"] == 0 and out["price_drop"] == 0 and out["converged"]


def test_spiral_without_impact_is_one_forced_sale():
    # No price impact: one sale, the one forced_sale gives, then calm at 100x.
    path = margin_spiral(1e9, 10e6, 0.01, -0.004, price_impact_per_bn=0.0)
    sale = forced_sale(1e9, 10e6, 0.01, -0.004).iloc[0].sale
    # By hand: the call 0.99 x $4mn has no spare cash to meet it: sell $3.96mn / 0.01.
    assert sale == pytest.approx(396e6)
    assert path["sold"].sum() == pytest.approx(sale)
    assert path["price"].iloc[-1] == pytest.approx(99.6)
    assert path["leverage"].iloc[-1] == pytest.approx(100.0)


def test_spiral_haircut_increase_alone_is_haircut_hike():
    path = margin_spiral(
        10e6 / 0.02, 10e6, 0.02, 0.0, price_impact_per_bn=0.0, haircut_increase=0.01
    )
    hike = haircut_hike(10e6, 0.02, 0.03).iloc[0]
    assert path["sold"].sum() == pytest.approx(hike.sale)
    np.testing.assert_allclose(path["haircut"].iloc[:2], [0.02, 0.03], rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    st.floats(min_value=0.005, max_value=0.1),
    st.floats(min_value=0.0, max_value=3.0),
    st.floats(min_value=0.0, max_value=1.2),
    st.floats(min_value=0.0, max_value=0.01),
)
def test_spiral_conserves_cash(h, a, u, increase):
    e, shock, impact = at_max_leverage(h, a, u)
    path = margin_spiral(1e9, e, h, shock, price_impact_per_bn=impact, haircut_increase=increase)
    scale = 1e9
    # Every dollar of sale proceeds repays repo debt.
    np.testing.assert_allclose(
        -np.diff(path["repo_debt"]), path["sold"].iloc[1:], atol=1e-6 * scale
    )
    # Equity is what the bonds are worth less what is owed, and falls by each round's loss.
    np.testing.assert_allclose(path["equity"], path["position"] - path["repo_debt"], atol=1e-6)
    np.testing.assert_allclose(-np.diff(path["equity"]), path["loss"].iloc[1:], atol=1e-6 * scale)
    np.testing.assert_allclose(path["cumulative_loss"], e - path["equity"], atol=1e-6 * scale)
    # The loss is the price fall on the book held before the round's sale.
    book_before = path["position"].to_numpy()[:-1]
    change = path["price_change"].to_numpy()[1:]
    np.testing.assert_allclose(path["loss"].iloc[1:], -book_before * change, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(
        path["price"].iloc[1:], 100 * np.cumprod(1 + path["price_change"].iloc[1:]), rtol=1e-12
    )


@settings(max_examples=80, deadline=None)
@given(
    st.floats(min_value=0.005, max_value=0.1),
    st.floats(min_value=0.0, max_value=3.0),
    st.floats(min_value=0.01, max_value=0.99),
)
def test_spiral_sales_ratio_is_impact_times_debt_over_haircut(h, a, u):
    e, shock, impact = at_max_leverage(h, a, u)
    path = margin_spiral(1e9, e, h, shock, price_impact_per_bn=impact, max_rounds=200)
    sales = path[path["round"] >= 2]
    assume(len(sales) >= 2)
    # Sale ordered each round, before its own price impact.
    ordered = (sales["sold"] / (1 + sales["price_change"])).to_numpy()
    debt_before = path["repo_debt"].to_numpy()[sales.index[:-1] - 1]
    ratio = ordered[1:] / ordered[:-1]
    rho = impact / 1e9 * debt_before / h
    np.testing.assert_allclose(ratio, rho, rtol=1e-6)
    # At the start it is the amplification; it only falls after that.
    assert rho[0] == pytest.approx(a, rel=1e-9)
    assert spiral_amplification(1e9, e, h, impact) == pytest.approx(a, rel=1e-9)
    assert np.all(np.diff(rho) <= 1e-12)
    if a <= 1:
        assert np.all(ratio <= 1 + 1e-9)


@settings(max_examples=100, deadline=None)
@given(
    st.floats(min_value=0.005, max_value=0.1),
    st.floats(min_value=0.0, max_value=3.0),
    st.floats(min_value=0.0, max_value=1.5),
)
def test_spiral_default_edge(h, a, u):
    e, shock, impact = at_max_leverage(h, a, u)
    f = min(u * h, 1.0)
    out = spiral_outcome(1e9, e, h, -f, price_impact_per_bn=impact, max_rounds=1000, tol=1e-9)
    if f >= h:
        # The shock alone takes the whole equity.
        assert out["defaulted"] and out["rounds"] == 1
        return
    first_sale_loss = a * f * (1 - f)  # per dollar of initial position
    equity_left = h - f
    margin = 1e-6 * h
    if first_sale_loss >= equity_left + margin:
        assert out["defaulted"] and out["rounds"] == 2
    elif first_sale_loss < equity_left - margin:
        # The first sale leaves some equity: no default in round 2.
        assert not (out["defaulted"] and out["rounds"] == 2)
    if a < 1 and first_sale_loss / (1 - a) < equity_left - margin:
        # Every later sale is at most a times the last: the losses cannot catch up.
        assert not out["defaulted"]


@pytest.mark.parametrize(("a", "defaults"), [(1.70, False), (1.80, True)])
def test_spiral_small_shock_edge_near_175(a, defaults):
    # The docstring's "above about 1.75 even the smallest shock runs to default".
    e, shock, impact = at_max_leverage(0.01, a, 1e-4)
    out = spiral_outcome(1e9, e, 0.01, shock, price_impact_per_bn=impact, max_rounds=1000)
    assert out["defaulted"] == defaults


def test_spiral_small_shock_damps_big_shock_defaults():
    # Same impact (a = 0.495), the seed fund of $10mn on $1bn.
    calm = spiral_outcome(1e9, 10e6, 0.01, -0.002, price_impact_per_bn=0.005)
    crash = spiral_outcome(1e9, 10e6, 0.01, -0.007, price_impact_per_bn=0.005)
    assert calm["amplification"] == pytest.approx(0.495)
    assert not calm["defaulted"] and calm["converged"]
    assert crash["defaulted"]
    # Same shock, more impact (a = 1.485): still survives a 0.1% shock after heavy selling.
    steep = spiral_outcome(1e9, 10e6, 0.01, -0.001, price_impact_per_bn=0.015)
    assert not steep["defaulted"]
    assert steep["total_sold"] > 0.9e9


@settings(max_examples=40, deadline=None)
@given(
    st.floats(min_value=0.005, max_value=0.1),
    st.floats(min_value=0.0, max_value=2.5),
    st.floats(min_value=0.0, max_value=1.1),
    st.floats(min_value=0.0, max_value=1.1),
    st.floats(min_value=0.0, max_value=1.0),
)
def test_spiral_is_monotone_in_shock_and_impact(h, a, u1, u2, da):
    e, _, _ = at_max_leverage(h, 0, 0)
    shocks = -np.minimum(np.sort([u1, u2]) * h, 1.0)  # smaller fall first
    impacts = np.array([a, a + da]) * h / (1e9 - e) * 1e9
    grid = spiral_grid(1e9, e, h, shocks, impacts, max_rounds=1000, tol=1e-12)
    # Rows run shocks slowest: [i, j] is shock i (0 the smaller fall) with impact j.
    defaulted = grid["defaulted"].to_numpy().reshape(2, 2)
    calm = ~defaulted & grid["converged"].to_numpy().reshape(2, 2)
    drop = grid["price_drop"].to_numpy().reshape(2, 2)
    loss = grid["total_loss"].to_numpy().reshape(2, 2)
    for lo, hi in [((0, j), (1, j)) for j in (0, 1)] + [((i, 0), (i, 1)) for i in (0, 1)]:
        # Default never goes away with a bigger shock or impact ...
        assert defaulted[hi] >= defaulted[lo]
        # ... and, if both damp out, the price falls and the loss are no smaller.
        if calm[lo] and calm[hi]:
            assert drop[hi] >= drop[lo] - 1e-9
            assert loss[hi] >= loss[lo] - 1e-6


def test_spiral_path_columns_and_rows():
    path = margin_spiral(1e9, 10e6, 0.01, -0.002, price_impact_per_bn=0.005)
    assert list(path.columns) == [
        "round",
        "price",
        "price_change",
        "loss",
        "sold",
        "position",
        "repo_debt",
        "equity",
        "leverage",
        "haircut",
        "cumulative_loss",
        "cumulative_sold",
        "defaulted",
    ]
    assert path["round"].tolist() == list(range(len(path)))
    assert path.iloc[0].price == 100 and path.iloc[0].leverage == pytest.approx(100)
    assert path.iloc[1].price == pytest.approx(99.8) and path.iloc[1].sold == 0
    # First sale by hand: 1bn x 0.2% x 99 = $198mn ordered, sold 0.099% lower.
    assert path.iloc[2].sold == pytest.approx(198e6 * (1 - 0.005 * 0.198))
    assert len(margin_spiral(1e9, 10e6, 0.01, -0.002, price_impact_per_bn=0.005, max_rounds=3)) == 4


def test_spiral_grid_shape_and_agreement():
    shocks = np.linspace(-0.009, 0.0, 10)
    impacts = np.linspace(0.0, 0.02, 9)
    grid = spiral_grid(1e9, 10e6, 0.01, shocks, impacts)
    assert len(grid) == 90
    assert list(grid.columns) == [
        "shock",
        "price_impact_per_bn",
        "amplification",
        "price_drop",
        "total_sold",
        "total_loss",
        "final_leverage",
        "rounds",
        "defaulted",
        "converged",
    ]
    for row in grid.sample(8, random_state=1).itertuples():
        out = spiral_outcome(
            1e9, 10e6, 0.01, row.shock, price_impact_per_bn=row.price_impact_per_bn
        )
        assert out["defaulted"] == row.defaulted
        assert out["price_drop"] == pytest.approx(row.price_drop, abs=1e-12)
        assert out["total_sold"] == pytest.approx(row.total_sold, rel=1e-12, abs=1e-6)
        assert out["amplification"] == pytest.approx(row.amplification)
    # The edge is real: some cells damp out, some default.
    assert grid["defaulted"].any() and not grid["defaulted"].all()


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------

BAD_HAIRCUTS = [0.0, 1.0, 1.5, -0.01, float("nan"), float("inf")]


@pytest.mark.parametrize("bad", BAD_HAIRCUTS)
def test_bad_haircut_value(bad):
    for call in (
        lambda: max_leverage(bad),
        lambda: ladder_limit(1e6, bad),
        lambda: repo_ladder(1e6, bad),
        lambda: margin_call(1e9, 2e7, bad, -0.01),
        lambda: forced_sale(1e9, 2e7, bad, -0.01),
        lambda: margin_thresholds(1e9, 2e7, bad),
        lambda: margin_spiral(1e9, 2e7, bad, -0.01, price_impact_per_bn=0.01),
        lambda: spiral_grid(1e9, 2e7, bad, [-0.01], [0.01]),
        lambda: spiral_amplification(1e9, 2e7, bad, 0.01),
    ):
        with pytest.raises(ValueError, match="haircut"):
            call()


def test_haircut_as_percentage_gets_a_hint():
    with pytest.raises(ValueError, match=r"haircut.*0\.02"):
        max_leverage(2)


@pytest.mark.parametrize("bad", ["2%", None, [0.01, "x"], True])
def test_bad_haircut_type(bad):
    with pytest.raises((TypeError, ValueError), match="haircut"):
        max_leverage(bad)


@pytest.mark.parametrize("bad", [-1e6, 0.0, float("nan"), "10mn"])
def test_bad_equity(bad):
    for call in (
        lambda: ladder_limit(bad, 0.01),
        lambda: repo_ladder(bad, 0.01),
        lambda: equity_after_move(1e9, bad, -0.01),
        lambda: margin_call(1e9, bad, 0.01, -0.01),
        lambda: haircut_hike(bad, 0.01, 0.02),
        lambda: margin_spiral(1e9, bad, 0.01, -0.01, price_impact_per_bn=0.01),
    ):
        with pytest.raises((TypeError, ValueError), match="equity"):
            call()


@pytest.mark.parametrize("bad", [-1e9, 0.0, float("nan"), "1bn"])
def test_bad_position(bad):
    for call in (
        lambda: equity_after_move(bad, 1e7, -0.01),
        lambda: margin_call(bad, 1e7, 0.01, -0.01),
        lambda: margin_thresholds(bad, 1e7, 0.01),
        lambda: haircut_hike(1e7, 0.01, 0.02, position=bad),
        lambda: margin_spiral(bad, 1e7, 0.01, -0.01, price_impact_per_bn=0.01),
        lambda: spiral_amplification(bad, 1e7, 0.01, 0.01),
    ):
        with pytest.raises((TypeError, ValueError), match="position"):
            call()


def test_equity_must_cover_the_haircut():
    # $1bn on $5mn is 200x, beyond the 100x a 1% haircut allows.
    for call in (
        lambda: margin_call(1e9, 5e6, 0.01, -0.01),
        lambda: forced_sale(1e9, 5e6, 0.01, -0.01),
        lambda: margin_thresholds(1e9, 5e6, 0.01),
        lambda: haircut_hike(5e6, 0.01, 0.02, position=1e9),
        lambda: margin_spiral(1e9, 5e6, 0.01, -0.01, price_impact_per_bn=0.01),
    ):
        with pytest.raises(ValueError, match="equity") as caught:
            call()
        # The numbers read as plain numbers, not as numpy reprs.
        assert "got equity 5000000.0 against 0.01 x 1000000000.0" in str(caught.value)


@pytest.mark.parametrize("bad", [-1.5, 2.0, float("nan"), "-1%"])
def test_bad_price_change(bad):
    for call in (
        lambda: equity_after_move(1e9, 1e7, bad),
        lambda: margin_call(1e9, 2e7, 0.01, bad),
        lambda: forced_sale(1e9, 2e7, 0.01, bad),
    ):
        with pytest.raises((TypeError, ValueError), match="price_change"):
            call()


@pytest.mark.parametrize("bad", [0.5, -2.0, float("nan")])
def test_bad_leverage(bad):
    with pytest.raises(ValueError, match="leverage"):
        return_on_equity(5, bad)
    with pytest.raises(ValueError, match="leverage"):
        levered_return(0.04, 0.03, bad)


def test_bad_return_inputs():
    with pytest.raises((TypeError, ValueError), match="spread_bp"):
        return_on_equity("5bp", 50)
    with pytest.raises(ValueError, match="fees_bp"):
        return_on_equity(5, 50, fees_bp=-1)
    with pytest.raises(ValueError, match="horizon_years"):
        return_on_equity(5, 50, horizon_years=0)
    with pytest.raises((TypeError, ValueError), match="funding_spread_bp"):
        return_on_equity(5, 50, funding_spread_bp=float("nan"))
    with pytest.raises(ValueError, match="asset_yield.*percentage"):
        levered_return(4.35, 0.043, 50)
    with pytest.raises(ValueError, match="repo_rate"):
        levered_return(0.0435, float("inf"), 50)
    with pytest.raises(ValueError, match=r"spread_bp \(3,\) and leverage \(2,\)"):
        return_on_equity([1, 2, 3], [10, 20])


def test_bad_ladder_rounds_and_target():
    with pytest.raises(ValueError, match="rounds"):
        repo_ladder(1e6, 0.01, rounds=0)
    with pytest.raises(ValueError, match="rounds"):
        repo_ladder(1e6, 0.01, rounds=MAX_LADDER_ROUNDS + 1)
    with pytest.raises(TypeError, match="rounds"):
        repo_ladder(1e6, 0.01, rounds=2.5)
    with pytest.raises(TypeError, match="rounds"):
        repo_ladder(1e6, 0.01, rounds=True)
    with pytest.raises(ValueError, match="rounds.*target"):
        repo_ladder(1e6, 0.01, rounds=5, target=0.9)
    with pytest.raises(ValueError, match="target"):
        repo_ladder(1e6, 0.01, target=1.0)
    with pytest.raises(TypeError, match="equity"):
        repo_ladder([1e6, 2e6], 0.01)


def test_bad_buffer_and_hike():
    with pytest.raises(ValueError, match="buffer"):
        forced_sale(1e9, 2e7, 0.01, -0.01, buffer=-1.0)
    with pytest.raises(ValueError, match="haircut_after"):
        haircut_hike(1e7, 0.01, 1.0)
    with pytest.raises(ValueError, match="haircut_before"):
        haircut_hike(1e7, 0.0, 0.02)
    with pytest.raises(ValueError, match=r"position \(2,\) and equity \(3,\)"):
        margin_call([1e9, 2e9], [2e7, 3e7, 4e7], 0.01, -0.01)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"shock": 0.01}, "shock"),
        ({"shock": -1.5}, "shock"),
        ({"shock": float("nan")}, "shock"),
        ({"shock": [-0.01]}, "shock"),
        ({"price_impact_per_bn": -0.01}, "price_impact_per_bn"),
        ({"price_impact_per_bn": "big"}, "price_impact_per_bn"),
        ({"haircut_increase": -0.01}, "haircut_increase"),
        ({"haircut_increase": 0.99}, "haircut_increase"),
        ({"max_rounds": 0}, "max_rounds"),
        ({"max_rounds": 10.5}, "max_rounds"),
        ({"max_rounds": 5000}, "max_rounds"),
        ({"tol": 0.0}, "tol"),
    ],
)
def test_bad_spiral_inputs(kwargs, name):
    args = {"shock": -0.01, "price_impact_per_bn": 0.01} | kwargs
    shock = args.pop("shock")
    for fn in (margin_spiral, spiral_outcome):
        with pytest.raises((TypeError, ValueError), match=name):
            fn(1e9, 2e7, 0.01, shock, **args)


def test_bad_spiral_grid_inputs():
    with pytest.raises(ValueError, match="shocks"):
        spiral_grid(1e9, 2e7, 0.01, [-0.01, 0.02], [0.01])
    with pytest.raises(ValueError, match="price_impacts_per_bn"):
        spiral_grid(1e9, 2e7, 0.01, [-0.01], [-0.01])
    with pytest.raises(ValueError, match="shocks and price_impacts_per_bn"):
        spiral_grid(1e9, 2e7, 0.01, [], [0.01])
    n = int(math.isqrt(MAX_GRID_ROWS)) + 1
    with pytest.raises(ValueError, match="shocks x price_impacts_per_bn"):
        spiral_grid(1e9, 2e7, 0.01, np.linspace(-0.01, 0, n), np.linspace(0, 0.01, n))
    with pytest.raises(ValueError, match="price_impact_per_bn"):
        spiral_amplification(1e9, 2e7, 0.01, -1.0)
