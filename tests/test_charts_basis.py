"""Chart builders of the basis chapter: their grids, controls, size limits and bad input."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from treasury_rv.bonds import accrued_interest
from treasury_rv.charts import basis as bc
from treasury_rv.delivery import ctd_grid
from treasury_rv.futures import basis_shock_path, deliverable_basket

SETTLE = dt.date(2025, 4, 3)
DELIVERY = dt.date(2025, 6, 30)
# Three notes of the real TYM25 basket (the 1 7/8% Feb-2032, 4 1/8% Nov-2032 and 3 3/8%
# May-2033 ten-year notes); prices are made up for the tests.
BASKET = [deliverable_basket("TYM25")[i] for i in (6, 9, 11)]
PRICES = [86.953125, 100.1, 94.8]
FUTURES = 112.015625


def params(spec: dict) -> dict:
    """Bound parameters of a chart spec by name."""
    return {p["name"]: p for p in spec.get("params", []) if "bind" in p}


def embedded_rows(spec: dict) -> int:
    return sum(len(v) for v in spec.get("datasets", {}).values())


@pytest.fixture(scope="module")
def repo_grid():
    return bc.basket_repo_grid(
        BASKET, PRICES, FUTURES, "TYM25", SETTLE, DELIVERY, repo_bp=range(400, 461, 5)
    )


@pytest.fixture(scope="module")
def switch_grid():
    grid = ctd_grid(
        BASKET, [0.0407, 0.0411, 0.0422], FUTURES, "TYM25", SETTLE, DELIVERY, 0.043,
        np.arange(-200, 201, 20), [-20, 0, 20],
    )  # fmt: skip
    grid["maturity"] = grid["bond"].map({b.name: b.maturity for b in BASKET})
    return grid


@pytest.fixture(scope="module")
def stress():
    return bc.stress_grid(
        BASKET[0], "TYM25", SETTLE, DELIVERY, PRICES[0], FUTURES, repo_rate=0.043,
        cheapenings_32nds=range(0, 33, 8), margin_pcts=range(100, 201, 50), days=10,
        shock_day=3, face=100e6, haircut=0.0, initial_margin=2_000.0, equity=1.75e6,
    )  # fmt: skip


# --------------------------------------------------------------------------------------------
# The basket against the repo rate
# --------------------------------------------------------------------------------------------


def test_repo_grid_has_one_row_per_rate_and_bond(repo_grid):
    assert len(repo_grid) == 13 * len(BASKET)
    assert sorted(repo_grid["repo_bp"].unique()) == list(range(400, 461, 5))
    assert repo_grid["maturity_years"].between(6, 10).all()


def test_net_basis_moves_with_repo_by_full_price_times_days(repo_grid):
    # Net basis = forward - F x CF, and with no coupon before delivery the forward rises by
    # (P + AI) x days/360 per unit of repo rate: 5bp moves it by (P + AI) x 88/360 x 0.0005.
    ctd = repo_grid.loc[repo_grid["bond"] == BASKET[0].name].sort_values("repo_bp")
    full = PRICES[0] + accrued_interest(BASKET[0], SETTLE)
    step_32nds = 32 * full * (DELIVERY - SETTLE).days / 360 * 0.0005
    assert np.allclose(np.diff(ctd["net_basis_32nds"]), step_32nds, atol=1e-9)
    # The implied repo rate does not depend on the repo rate.
    assert np.ptp(ctd["implied_repo"]) < 1e-15


def test_basket_chart_binds_a_repo_slider_over_the_grid(repo_grid):
    spec = bc.basket_chart(repo_grid, repo_bp=430).to_dict()
    repo = params(spec)["repo_pct"]
    assert repo["value"] == pytest.approx(4.30)
    assert (repo["bind"]["min"], repo["bind"]["max"]) == pytest.approx((4.0, 4.6))
    assert repo["bind"]["step"] == pytest.approx(0.05)
    assert 0 < embedded_rows(spec) <= bc.MAX_ROWS
    assert spec["description"]


def test_basket_chart_rejects_bad_grids(repo_grid):
    with pytest.raises(TypeError, match="grid"):
        bc.basket_chart(repo_grid.to_dict(), repo_bp=430)
    with pytest.raises(ValueError, match="missing columns"):
        bc.basket_chart(repo_grid.drop(columns="implied_repo"), repo_bp=430)
    with pytest.raises(ValueError, match="repo_bp"):
        bc.basket_chart(repo_grid, repo_bp=431)
    with pytest.raises(ValueError, match="empty"):
        bc.basket_chart(repo_grid.iloc[:0], repo_bp=430)
    uneven = repo_grid.loc[repo_grid["repo_bp"] != 410]
    with pytest.raises(ValueError, match="evenly spaced"):
        bc.basket_chart(uneven, repo_bp=430)
    big = pd.concat([repo_grid] * (bc.MAX_ROWS // len(repo_grid) + 1), ignore_index=True)
    with pytest.raises(ValueError, match="rows"):
        bc.basket_chart(big, repo_bp=430)


def test_repo_grid_rejects_bad_rates():
    with pytest.raises(ValueError, match="repo_bp"):
        bc.basket_repo_grid(BASKET, PRICES, FUTURES, "TYM25", SETTLE, DELIVERY, [430])
    with pytest.raises(ValueError, match="whole numbers"):
        bc.basket_repo_grid(BASKET, PRICES, FUTURES, "TYM25", SETTLE, DELIVERY, [430, 430.5])
    with pytest.raises(ValueError, match="increasing"):
        bc.basket_repo_grid(BASKET, PRICES, FUTURES, "TYM25", SETTLE, DELIVERY, [450, 430])


# --------------------------------------------------------------------------------------------
# CTD switching
# --------------------------------------------------------------------------------------------


def test_ctd_chart_has_shift_slider_and_twist_select(switch_grid):
    spec = bc.ctd_switch_chart(switch_grid, SETTLE, shift_bp=0, twist_bp=0).to_dict()
    found = params(spec)
    shift, twist = found["shift_bp"], found["twist_bp"]
    assert (shift["bind"]["min"], shift["bind"]["max"], shift["bind"]["step"]) == (-200, 200, 20)
    assert twist["bind"]["input"] == "select"
    assert twist["bind"]["options"] == [-20, 0, 20]
    assert twist["bind"]["labels"] == ["flatten 20 bp", "none", "steepen 20 bp"]
    assert 0 < embedded_rows(spec) <= bc.MAX_ROWS


def test_ctd_chart_rejects_bad_input(switch_grid):
    with pytest.raises(ValueError, match="shift_bp"):
        bc.ctd_switch_chart(switch_grid, SETTLE, shift_bp=5)
    with pytest.raises(ValueError, match="twist_bp"):
        bc.ctd_switch_chart(switch_grid, SETTLE, twist_bp=10)
    with pytest.raises(ValueError, match="missing columns"):
        bc.ctd_switch_chart(switch_grid.drop(columns="maturity"), SETTLE)
    with pytest.raises(ValueError, match="clip_32nds"):
        bc.ctd_switch_chart(switch_grid, SETTLE, clip_32nds=0)


# --------------------------------------------------------------------------------------------
# The levered position under stress
# --------------------------------------------------------------------------------------------


def scenario(grid, widening, margin):
    rows = grid.loc[(grid["cheapening_32nds"] == widening) & (grid["margin_pct"] == margin)]
    return rows.sort_values("day").reset_index(drop=True)


def test_stress_grid_shape_and_calm_path_earns_the_net_basis(stress):
    assert len(stress) == 5 * 3 * 11
    calm = scenario(stress, 0, 100)
    # Hand check of the calm path's gain after 10 business days (3 April -> 17 April 2025,
    # 14 days): minus the net basis, pro rata over the 88 days to delivery. CF 0.7807 by
    # CME's formula (n = 6, z = 6); net basis = forward - F x CF with no coupon in between.
    full = PRICES[0] + accrued_interest(BASKET[0], SETTLE)
    coupon_income = 100 * 0.01875 / 2 * 88 / 181
    forward = PRICES[0] + full * 0.043 * 88 / 360 - coupon_income
    net = forward - FUTURES * 0.7807
    expected = -net / 100 * 100e6 * 14 / 88
    assert calm["equity"].iloc[-1] - 1.75e6 == pytest.approx(expected, rel=0.02)


def test_each_32nd_of_widening_costs_31250_on_100mn_face(stress):
    # A 32nd on $100mn face is $31,250; the drop arrives on the shock day.
    calm, shocked = scenario(stress, 0, 100), scenario(stress, 16, 100)
    gap = calm["equity"] - shocked["equity"]
    assert np.allclose(gap.iloc[:3], 0, atol=1e-6)
    assert gap.iloc[3] == pytest.approx(16 * 31_250, rel=1e-6)


def test_margin_hike_scales_the_requirement(stress):
    base, hiked = scenario(stress, 0, 100), scenario(stress, 0, 200)
    contracts_margin = 781 * 2_000.0  # round(100mn x 0.7807 / 100k) contracts
    assert base["margin_requirement"].iloc[0] == pytest.approx(contracts_margin)
    assert hiked["margin_requirement"].iloc[5] == pytest.approx(2 * contracts_margin)
    assert hiked["margin_call"].iloc[3:].all() and not base["margin_call"].any()


def test_stress_chart_binds_two_sliders(stress):
    spec = bc.stress_chart(stress, cheapening_32nds=8, margin_pct=150).to_dict()
    found = params(spec)
    assert found["cheapening_32nds"]["value"] == 8
    assert (found["cheapening_32nds"]["bind"]["min"], found["cheapening_32nds"]["bind"]["max"]) == (
        0,
        32,
    )
    assert found["margin_pct"]["bind"]["step"] == 50
    assert 0 < embedded_rows(spec) <= bc.MAX_ROWS


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(cheapenings_32nds=[0, 4.5]), "whole numbers"),
        (dict(margin_pcts=[0, 100]), "margin_pcts"),
        (dict(shock_day=11), "shock_day"),
        (dict(days=0), "days"),
        (dict(cheapenings_32nds=[0, 4, 12]), "evenly spaced"),
    ],
)
def test_stress_grid_rejects_bad_input(kwargs, match):
    args = dict(cheapenings_32nds=[0, 4], margin_pcts=[100, 200], days=10, shock_day=3)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        bc.stress_grid(
            BASKET[0], "TYM25", SETTLE, DELIVERY, PRICES[0], FUTURES, repo_rate=0.043, **args
        )


@pytest.mark.parametrize(
    ("settle", "delivery"),
    [
        (dt.date(2025, 6, 20), DELIVERY),  # ten business days from 20 June end on 7 July
        (SETTLE, dt.date(2025, 4, 10)),  # not a delivery day of TYM25
        (SETTLE, dt.date(2025, 7, 1)),
    ],
)
def test_stress_grid_needs_a_delivery_day_after_the_path(settle, delivery):
    with pytest.raises(ValueError, match="delivery"):
        bc.stress_grid(
            BASKET[0], "TYM25", settle, delivery, PRICES[0], FUTURES,
            repo_rate=0.043, cheapenings_32nds=[0, 4], margin_pcts=[100, 200], days=10,
        )  # fmt: skip


def test_stress_grid_refuses_too_many_rows():
    # 201 widenings x 2 margins x 21 days = 8,442 rows.
    with pytest.raises(ValueError, match="rows"):
        bc.stress_grid(
            BASKET[0], "TYM25", SETTLE, DELIVERY, PRICES[0], FUTURES, repo_rate=0.043,
            cheapenings_32nds=range(0, 201), margin_pcts=[100, 200], days=20,
        )  # fmt: skip


def test_stress_grid_is_one_shock_path_per_scenario(stress):
    # Each scenario is futures.basis_shock_path with the margin multiplier = margin_pct / 100.
    path = basis_shock_path(
        BASKET[0], "TYM25", SETTLE, DELIVERY, PRICES[0], FUTURES, days=10, shock_day=3,
        cash_cheapening_32nds=24, margin_multiplier=1.5, face=100e6, repo_rate=0.043,
        haircut=0.0, initial_margin=2_000.0, equity=1.75e6,
    )  # fmt: skip
    rows = scenario(stress, 24, 150)
    cols = ["day", "equity", "margin_requirement", "excess_equity", "leverage", "margin_call"]
    pd.testing.assert_frame_equal(rows[cols], path[cols])


def test_stress_chart_rejects_values_off_the_grid(stress):
    with pytest.raises(ValueError, match="cheapening_32nds"):
        bc.stress_chart(stress, cheapening_32nds=5)
    with pytest.raises(ValueError, match="margin_pct"):
        bc.stress_chart(stress, margin_pct=125)


# --------------------------------------------------------------------------------------------
# The basis sheet
# --------------------------------------------------------------------------------------------


def test_basis_sheet_formats_market_conventions(repo_grid):
    table = repo_grid.loc[repo_grid["repo_bp"] == 430]
    sheet = bc.basis_sheet(table)
    row = sheet.loc[BASKET[0].name]
    assert row["Price"] == "86-30+"  # 86 + 30.5/32 = 86.953125
    assert row["CF"] == "0.7807"
    assert sheet["CTD"].tolist().count("✓") == 1
    assert list(sheet.columns) == ["Price", "Yield", "CF", "IRR", "Gross", "Carry", "Net", "CTD"]
    # Negatives are written with a true minus sign, never a hyphen.
    text = " ".join(sheet[["Yield", "IRR", "Gross", "Carry", "Net"]].to_numpy().ravel())
    assert "-" not in text
    assert "\u2212" in text
    with pytest.raises(ValueError, match="table is missing"):
        bc.basis_sheet(table.drop(columns="cf"))


# --------------------------------------------------------------------------------------------
# The basket on a few dates
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def by_date():
    from treasury_rv.futures import best_delivery_days

    rows = []
    for label, futures in (("2 Apr", FUTURES), ("9 Apr", FUTURES - 3.0)):
        table = best_delivery_days(BASKET, PRICES, futures, "TYM25", SETTLE, 0.043)
        table.insert(0, "date", label)
        rows.append(table)
    return pd.concat(rows, ignore_index=True)


def test_basis_by_date_chart_draws_every_note_and_rings_each_ctd(by_date):
    spec = bc.basis_by_date_chart(by_date).to_dict()
    assert embedded_rows(spec) == len(by_date) + 1  # the notes and the zero line
    assert spec["description"]
    rings = [layer for layer in spec["layer"] if layer.get("transform")]
    assert len(rings) == 1 and rings[0]["mark"]["color"] == bc._VERMILION
    dots = next(layer for layer in spec["layer"] if "color" in layer.get("encoding", {}))
    assert dots["encoding"]["color"]["scale"]["domain"] == ["2 Apr", "9 Apr"]
    assert bc._VERMILION not in dots["encoding"]["color"]["scale"]["range"]


def test_basis_by_date_chart_rejects_bad_frames(by_date):
    with pytest.raises(TypeError, match="frame"):
        bc.basis_by_date_chart(by_date.to_dict())
    with pytest.raises(ValueError, match="missing columns"):
        bc.basis_by_date_chart(by_date.drop(columns="ctd"))
    two_ctds = by_date.assign(ctd=True)
    with pytest.raises(ValueError, match="exactly one"):
        bc.basis_by_date_chart(two_ctds)
    one_day = by_date.loc[by_date["date"] == "2 Apr"]
    many = pd.concat([one_day.assign(date=f"d{i}") for i in range(7)], ignore_index=True)
    with pytest.raises(ValueError, match="dates"):
        bc.basis_by_date_chart(many)
