"""Chart builders of the on/off-the-run chapter: grids, controls, size limits and bad input."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from treasury_rv.auctions import auction_cycle
from treasury_rv.bonds import yield_to_maturity
from treasury_rv.charts import onoff as oc
from treasury_rv.curves import gsw_curve, price_on_curve
from treasury_rv.onoff import LiquidityPremium, real_pair, rich_cheap, trade_pnl, widening_margin

D = dt.date
DAY = D(2025, 4, 2)
PAIR = real_pair(DAY)
CURVE = gsw_curve(DAY)
YIELDS = (0.0420, 0.0421)  # round illustrative yields near the 4.20% close (FRED DGS10)


def params(spec: dict) -> dict:
    """Bound parameters of a chart spec by name."""
    return {p["name"]: p for p in spec.get("params", []) if "bind" in p}


def embedded_rows(spec: dict) -> int:
    return sum(len(v) for v in spec.get("datasets", {}).values())


@pytest.fixture(scope="module")
def cycle_grid():
    return oc.cycle_pnl_grid(
        PAIR, CURVE, gc_rate=0.043, entry_pcts=range(0, 91, 30), specialness_bps=range(0, 61, 20)
    )


@pytest.fixture(scope="module")
def widen_grid():
    return oc.widening_grid(
        PAIR, DAY, YIELDS, widenings_bp=range(0, 21, 5), leverages=range(20, 101, 40),
        haircut=0.01,
    )  # fmt: skip


# --------------------------------------------------------------------------------------------
# Timeline
# --------------------------------------------------------------------------------------------


def test_timeline_puts_one_issue_on_the_run_at_a_time():
    frame = oc.timeline_frame(10, D(2024, 12, 1), D(2025, 8, 31), step_days=7)
    on = frame.loc[(frame["row"] == "status") & (frame["status"] == "On the run")]
    starts, ends = on["start"].tolist(), on["end"].tolist()
    assert starts == sorted(starts)
    assert all(e == s for e, s in zip(ends[:-1], starts[1:], strict=False))  # handed over
    # Treasury's calendar: the Feb-2035 note was issued 18 Feb 2025 and replaced 15 May 2025.
    feb = on.loc[on["issue"] == "10y 2035-02-15"].iloc[0]
    assert (feb["start"], feb["end"]) == ("2025-02-18", "2025-05-15")
    reopenings = frame.loc[(frame["row"] == "reopening") & (frame["issue"] == "10y 2035-02-15")]
    assert reopenings["start"].tolist() == ["2025-03-17", "2025-04-15"]
    # The premium drops when the next issue comes.
    prem = frame.loc[(frame["row"] == "premium") & (frame["issue"] == "10y 2035-02-15")]
    before = prem.loc[prem["start"] < "2025-05-15", "premium_bp"].iloc[-1]
    after = prem.loc[prem["start"] >= "2025-05-15", "premium_bp"].iloc[0]
    assert after < 0.5 * before
    spec = oc.timeline_chart(frame).to_dict()
    assert embedded_rows(spec) == len(frame)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"start": D(2025, 1, 1), "end": D(2024, 1, 1)}, "end"),
        ({"start": D(2020, 1, 1), "end": D(2025, 1, 1)}, "end"),
        ({"start": D(2025, 1, 1), "end": D(2025, 6, 1), "step_days": 0}, "step_days"),
        ({"start": D(2025, 1, 1), "end": D(2025, 6, 1), "model": 3}, "model"),
    ],
)
def test_timeline_bad_input(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        oc.timeline_frame(10, **kwargs)


# --------------------------------------------------------------------------------------------
# Residuals
# --------------------------------------------------------------------------------------------


def test_residual_grid_matches_rich_cheap_and_chart_selects_dates():
    dates = [D(2020, 3, 9), DAY]
    grid = oc.residual_grid(dates, points=11)
    for d in dates:
        bonds = grid.loc[(grid["date"] == d.isoformat()) & (grid["row"] == "bond")]
        expected = rich_cheap(d).bonds
        np.testing.assert_allclose(bonds["residual_bp"], expected["residual_bp"])
        assert (grid.loc[grid["date"] == d.isoformat(), "row"] == "curve").sum() == 11
    spec = oc.residual_chart(grid, date=DAY).to_dict()
    pick = params(spec)["curve_date"]
    assert pick["value"] == "2025-04-02"
    assert pick["bind"]["options"] == ["2020-03-09", "2025-04-02"]
    assert embedded_rows(spec) == len(grid) + 1  # and the zero line
    with pytest.raises(ValueError, match="curve_date|value"):
        oc.residual_chart(grid, date=D(2025, 4, 9))


def test_residual_grid_carries_the_seeded_pricing_error():
    grid = oc.residual_grid([DAY], points=5, pricing_error_bp=1.0, seed=11)
    bonds = grid.loc[grid["row"] == "bond"]
    out = rich_cheap(DAY, pricing_error_bp=1.0, seed=11)
    np.testing.assert_allclose(bonds["residual_bp"], out.bonds["residual_bp"])
    np.testing.assert_allclose(grid["dispersion_bp"], out.dispersion_bp)
    # The band on the residual panel spans minus to plus the dispersion.
    spec = oc.residual_chart(grid, date=DAY).to_dict()
    assert "-datum.dispersion_bp" in str(spec) and "y2" in str(spec)
    clean = oc.residual_grid([DAY], points=5)
    assert not np.allclose(bonds["residual_bp"], clean.loc[clean["row"] == "bond", "residual_bp"])


def test_residual_grid_bad_input():
    with pytest.raises(ValueError, match="points"):
        oc.residual_grid([DAY], points=1)
    with pytest.raises(ValueError, match="dates"):
        oc.residual_grid([])
    with pytest.raises(TypeError, match="grid"):
        oc.residual_chart([1, 2], date=DAY)


# --------------------------------------------------------------------------------------------
# The trade over a cycle
# --------------------------------------------------------------------------------------------


def test_cycle_grid_parts_add_up_and_match_trade_pnl(cycle_grid):
    wide = cycle_grid.pivot_table(
        index=["entry_pct", "specialness_bp"], columns="component", values="usd_mn"
    )
    parts = ["Carry", "Specialness", "Convergence", "Market"]
    np.testing.assert_allclose(wide[parts].sum(axis=1), wide["Total"], atol=1e-9)
    # One cell by hand with trade_pnl: entry at 30% of the cycle, 40bp special.
    model = LiquidityPremium()
    cycle = auction_cycle(10, PAIR.on_the_run.issue_date)
    entry = PAIR.on_the_run.issue_date + dt.timedelta(days=round(0.3 * cycle.cycle_days))
    exit_ = cycle.next_issue.issue_date
    age = (entry - PAIR.on_the_run.issue_date).days / cycle.cycle_days

    def y(bond, day, a):
        fair = yield_to_maturity(bond, day, price_on_curve(bond, day, CURVE))
        return fair - model.premium_bp(a) / 1e4

    on, off = PAIR.on_the_run, PAIR.first_off_the_run
    out = trade_pnl(
        on, off, entry, exit_, entry_yields=(y(on, entry, age), y(off, entry, age + 1)),
        exit_yields=(y(on, exit_, 1.0), y(off, exit_, 2.0)), gc_rate=0.043, specialness_bp=40.0,
    ).iloc[0]  # fmt: skip
    assert wide.loc[(30, 40), "Total"] == pytest.approx(out["total_pnl"] / 1e6)
    # More specialness, less profit; the breakeven specialness zeroes the total.
    totals = wide["Total"].xs(30, level="entry_pct")
    assert np.all(np.diff(totals.to_numpy()) < 0)
    row = cycle_grid.loc[cycle_grid["entry_pct"] == 30].iloc[0]
    slope = (totals.iloc[-1] - totals.iloc[0]) / 60
    assert totals.iloc[0] + slope * row["breakeven_bp"] == pytest.approx(0, abs=1e-9)


def test_cycle_chart_binds_two_sliders(cycle_grid):
    spec = oc.cycle_pnl_chart(cycle_grid, entry_pct=30, specialness_bp=20).to_dict()
    bound = params(spec)
    assert bound["entry_pct"]["value"] == 30 and bound["entry_pct"]["bind"]["step"] == 30
    assert bound["specialness"]["value"] == 20 and bound["specialness"]["bind"]["max"] == 60
    assert embedded_rows(spec) == len(cycle_grid) + 1  # and the zero line
    with pytest.raises(ValueError, match="entry_pct"):
        oc.cycle_pnl_chart(cycle_grid, entry_pct=31, specialness_bp=20)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"entry_pcts": [0, 100]}, "entry_pcts"),
        ({"entry_pcts": [0, 10, 30]}, "entry_pcts"),
        ({"specialness_bps": [-10, 0]}, "specialness_bps"),
        ({"entry_pcts": range(0, 96), "specialness_bps": range(0, 20)}, "rows"),
    ],
)
def test_cycle_grid_bad_input(kwargs, match):
    args = {"entry_pcts": [0, 50], "specialness_bps": [0, 10], **kwargs}
    with pytest.raises(ValueError, match=match):
        oc.cycle_pnl_grid(PAIR, CURVE, gc_rate=0.043, **args)
    with pytest.raises(TypeError, match="pair"):
        oc.cycle_pnl_grid("pair", CURVE, gc_rate=0.043, entry_pcts=[0, 50], specialness_bps=[0, 1])


# --------------------------------------------------------------------------------------------
# Widening x leverage
# --------------------------------------------------------------------------------------------


def test_widening_grid_is_widening_margin_at_each_leverage(widen_grid):
    gross = widening_margin(
        PAIR.on_the_run, PAIR.first_off_the_run, DAY, YIELDS, 0.0, equity=1e12, haircut=0.01
    )["gross"].iloc[0]
    for lev, rows in widen_grid.groupby("leverage"):
        out = widening_margin(
            PAIR.on_the_run, PAIR.first_off_the_run, DAY, YIELDS, rows["widening_bp"],
            equity=gross / lev, haircut=0.01,
        )  # fmt: skip
        np.testing.assert_allclose(rows["loss_mn"], out["pair_loss"] / 1e6)
        np.testing.assert_allclose(rows["sale_mn"], out["sale"] / 1e6)
        assert rows["equity_mn"].iloc[0] == pytest.approx(gross / lev / 1e6)
    # The loss does not depend on leverage; the equity left does, and falls with it.
    loss = widen_grid.pivot(index="widening_bp", columns="leverage", values="loss_mn")
    np.testing.assert_allclose(loss.to_numpy(), loss.to_numpy()[:, :1] * np.ones((1, 3)))
    left = widen_grid.pivot(index="widening_bp", columns="leverage", values="equity_left_pct")
    assert np.all(np.diff(left.loc[20].to_numpy()) < 0)
    assert set(widen_grid["outcome"]) <= {
        "no loss", "spare cash pays the call", "forced sale", "equity gone"
    }  # fmt: skip
    assert (widen_grid.loc[widen_grid["widening_bp"] == 0, "outcome"] == "no loss").all()


def test_widening_chart_binds_two_sliders(widen_grid):
    spec = oc.widening_chart(widen_grid, leverage=60, widening_bp=10).to_dict()
    bound = params(spec)
    assert bound["leverage"]["value"] == 60 and bound["leverage"]["bind"]["step"] == 40
    assert bound["widening"]["value"] == 10 and bound["widening"]["bind"]["max"] == 20
    assert embedded_rows(spec) == len(widen_grid) + 1  # and the zero line


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"leverages": [50, 150]}, "leverages"),
        ({"widenings_bp": [-5, 0]}, "widenings_bp"),
        ({"haircut": 1.5}, "haircut"),
    ],
)
def test_widening_grid_bad_input(kwargs, match):
    args = {"widenings_bp": [0, 5], "leverages": [10, 20], "haircut": 0.01, **kwargs}
    with pytest.raises(ValueError, match=match):
        oc.widening_grid(PAIR, DAY, YIELDS, **args)


def test_charts_refuse_frames_without_their_columns():
    with pytest.raises(ValueError, match="missing"):
        oc.widening_chart(pd.DataFrame({"leverage": [1]}), leverage=1, widening_bp=0)
    with pytest.raises(ValueError, match="empty"):
        oc.timeline_chart(
            pd.DataFrame(columns=["row", "issue", "status", "start", "end", "premium_bp"])
        )
