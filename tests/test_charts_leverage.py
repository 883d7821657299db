"""Chart builders for the repo, leverage and margin chapter."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from treasury_rv.charts import leverage as cl

HAIRCUTS = np.arange(1, 21) / 200  # 0.5%, 1%, ..., 10%
LEVERAGES = np.arange(10, 101, 5)
FALLS = np.arange(31) / 1000  # 0% to 3% in steps of 0.1%
SHOCKS = np.arange(1, 16) / 1000  # 0.1% to 1.5%
IMPACTS = np.arange(16) / 1e5  # 0 to 1.5% per $100bn sold


def spec_of(chart):
    spec = chart.to_dict()
    rows = {name: len(values) for name, values in spec.get("datasets", {}).items()}
    return spec, rows


def params_of(spec):
    return {p["name"]: p for p in spec.get("params", []) if "bind" in p}


# --- the repo ladder -------------------------------------------------------------------------


def test_ladder_paths_match_the_geometric_sum():
    paths = cl.ladder_paths(10e6, HAIRCUTS)
    assert len(paths) <= cl.MAX_ROWS
    for h in (0.01, 0.05):
        one = paths[paths["haircut_key"] == round(h * 1e4)]
        n = one["round"].to_numpy()
        # Position after n rounds = E (1 - (1 - h)^n) / h, summed by hand here.
        expected = 10 * (1 - (1 - h) ** n) / h
        assert np.allclose(one["position_mn"], expected, atol=1e-3)
        assert one["limit_mn"].iloc[0] == pytest.approx(10 / h)
        assert one["round"].iloc[0] == 0 and one["position_mn"].iloc[0] == 0


def test_ladder_chart_has_a_haircut_slider_over_the_grid():
    spec, rows = spec_of(cl.ladder_chart(cl.ladder_paths(10e6, HAIRCUTS), haircut_pct=1.0))
    bound = params_of(spec)
    assert set(bound) == {"haircut"}
    slider = bound["haircut"]
    assert (slider["value"], slider["bind"]["min"], slider["bind"]["max"]) == (1.0, 0.5, 10.0)
    assert slider["bind"]["step"] == pytest.approx(0.5)
    assert max(rows.values()) <= 5000
    assert spec["description"]


def test_ladder_bad_input():
    with pytest.raises(ValueError, match="haircuts"):
        cl.ladder_paths(10e6, [0.01, 1.5])
    with pytest.raises(ValueError, match="evenly spaced"):
        cl.ladder_paths(10e6, [0.01, 0.02, 0.05])
    with pytest.raises(ValueError, match="equity"):
        cl.ladder_paths(-1, HAIRCUTS)
    with pytest.raises(ValueError, match="points"):
        cl.ladder_paths(10e6, HAIRCUTS, points=1)
    with pytest.raises(ValueError, match="rows"):
        cl.ladder_paths(10e6, np.arange(1, 101) / 1000, points=60)
    paths = cl.ladder_paths(10e6, HAIRCUTS, points=5)
    with pytest.raises(ValueError, match="haircut_pct"):
        cl.ladder_chart(paths, haircut_pct=0.7)
    with pytest.raises(TypeError, match="paths"):
        cl.ladder_chart(paths.to_dict())
    with pytest.raises(ValueError, match="lacks the columns"):
        cl.ladder_chart(paths.drop(columns="limit_mn"))


# --- margin calls and forced sales ----------------------------------------------------------


def test_margin_grid_by_hand():
    grid = cl.margin_grid(10e6, 0.01, LEVERAGES, FALLS).set_index(["leverage", "fall_key"])
    # 50x on $10mn with a 1% haircut: $500mn of bonds, spare cash 10 - 5 = $5mn.
    # A 1.5% fall loses $7.5mn; the call is 0.99 x 7.5 = $7.425mn; cash pays 5, so the
    # sale is 2.425 / 0.01 = $242.5mn.
    row = grid.loc[(50.0, 150)]
    assert row["loss_mn"] == pytest.approx(7.5)
    assert row["call_mn"] == pytest.approx(7.425)
    assert row["sale_mn"] == pytest.approx(242.5)
    assert row["zone"] == "forced sale"
    assert grid.loc[(50.0, 50), "zone"] == "cash pays the call"  # 0.5% fall: call 2.475 < 5
    assert grid.loc[(50.0, 200), "zone"] == "equity gone"  # 2% at 50x is the whole equity
    assert len(grid) == LEVERAGES.size * FALLS.size


def test_margin_chart_sliders_and_size():
    grid = cl.margin_grid(10e6, 0.01, LEVERAGES, FALLS)
    spec, rows = spec_of(cl.margin_chart(grid, leverage=50, fall_pct=1.0))
    bound = params_of(spec)
    assert set(bound) == {"leverage", "fall"}
    assert bound["leverage"]["bind"]["min"] == 10 and bound["leverage"]["bind"]["max"] == 100
    assert bound["fall"]["value"] == 1.0 and bound["fall"]["bind"]["step"] == pytest.approx(0.1)
    assert max(rows.values()) <= 5000


def test_margin_bad_input():
    with pytest.raises(ValueError, match="leverages"):
        cl.margin_grid(10e6, 0.02, [10, 60], FALLS)  # above 1 / haircut = 50
    with pytest.raises(ValueError, match="price_falls"):
        cl.margin_grid(10e6, 0.01, LEVERAGES, [-0.01, 0.0, 0.01])
    with pytest.raises(ValueError, match="haircut"):
        cl.margin_grid(10e6, 2, LEVERAGES, FALLS)
    with pytest.raises(ValueError, match="rows"):
        cl.margin_grid(10e6, 0.0001, np.arange(1, 101), np.arange(60) / 1000)
    grid = cl.margin_grid(10e6, 0.01, LEVERAGES, FALLS)
    with pytest.raises(ValueError, match="leverage"):
        cl.margin_chart(grid, leverage=12)
    with pytest.raises(ValueError, match="not be empty"):
        cl.margin_chart(grid.iloc[:0])


# --- the spiral -----------------------------------------------------------------------------


def test_spiral_paths_and_outcomes():
    paths, ends = cl.spiral_paths(500e9, 10e9, 0.02, SHOCKS, IMPACTS)
    assert len(paths) <= cl.MAX_ROWS and len(ends) == SHOCKS.size * IMPACTS.size
    no_impact = ends[ends["impact_key"] == 0]
    assert not no_impact["defaulted"].any()  # without price impact only the shock is lost
    # A shock as large as the haircut (2%) wipes the fund out at once: not in this grid, so
    # check one directly.
    _, big = cl.spiral_paths(500e9, 10e9, 0.02, [0.02, 0.025], [0.0, 1e-5])
    assert big["defaulted"].all()
    one = paths[(paths["shock_key"] == 50) & (paths["impact_key"] == 0)]
    assert one["price"].iloc[0] == 100.0
    assert np.allclose(one["price"].iloc[1:], 99.5)  # the sale moves nothing
    assert paths["default"].sum() == ends["defaulted"].sum()


def test_spiral_chart_sliders_and_size():
    paths, ends = cl.spiral_paths(500e9, 10e9, 0.02, SHOCKS, IMPACTS)
    spec, rows = spec_of(cl.spiral_chart(paths, ends, shock_pct=0.5, impact=0.3))
    bound = params_of(spec)
    assert set(bound) == {"shock", "impact"}
    assert bound["impact"]["bind"]["max"] == pytest.approx(1.5)
    assert max(rows.values()) <= 5000


def test_spiral_bad_input():
    with pytest.raises(ValueError, match="shocks"):
        cl.spiral_paths(500e9, 10e9, 0.02, [], IMPACTS)
    with pytest.raises(ValueError, match="rounds"):
        cl.spiral_paths(500e9, 10e9, 0.02, SHOCKS, IMPACTS, rounds=0)
    with pytest.raises(ValueError, match="equity"):
        cl.spiral_paths(500e9, 1e9, 0.02, SHOCKS, IMPACTS)  # 500x on a 2% haircut
    paths, ends = cl.spiral_paths(500e9, 10e9, 0.02, SHOCKS[:3], IMPACTS[:3])
    with pytest.raises(ValueError, match="impact"):
        cl.spiral_chart(paths, ends, impact=1.0)
    with pytest.raises(TypeError, match="outcomes"):
        cl.spiral_chart(paths, None)


def test_spiral_path_chart_marks_a_default():
    from treasury_rv.leverage import margin_spiral

    path = margin_spiral(500e9, 10e9, 0.02, -0.005, price_impact_per_bn=1e-4)
    spec, _ = spec_of(cl.spiral_path_chart(path))
    assert spec["title"]["text"].startswith("DEFAULT")
    with pytest.raises(ValueError, match="path"):
        cl.spiral_path_chart(pd.DataFrame({"round": [0]}))


# --- labels: one way to write money ----------------------------------------------------------


def test_red_cells_have_a_legend_entry():
    grid = cl.margin_grid(10e6, 0.01, LEVERAGES, FALLS)
    spec, _ = spec_of(cl.margin_chart(grid, leverage=50, fall_pct=1.0))
    fills = [layer["encoding"]["fill"] for layer in spec["layer"] if "fill" in layer["encoding"]]
    assert len(fills) == 1, "the equity-gone cells need one legend entry"
    (fill,) = fills
    assert fill["scale"] == {"domain": ["equity gone"], "range": ["#D55E00"]}
    assert "Red" in fill["legend"]["labelExpr"]


MONEY_CASES = [0.0, 0.4, 0.9999996, 2.475, 7.425, 242.5, 999.996, 1250.0, -2.475]


def test_vega_money_text_matches_fmt_money():
    """The chart's in-browser money text reads exactly as the prose's fmt.money."""
    import vl_convert

    from treasury_rv import fmt

    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": [{"i": i, "x": x} for i, x in enumerate(MONEY_CASES)]},
        "transform": [{"calculate": cl._money_expr("x"), "as": "label"}],
        "mark": {"type": "text"},
        "encoding": {"y": {"field": "i", "type": "ordinal"}, "text": {"field": "label"}},
    }
    svg = vl_convert.vegalite_to_svg(spec)
    drawn = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert drawn[-len(MONEY_CASES) :] == [fmt.money(x * 1e6) for x in MONEY_CASES]


def test_spiral_summary_uses_the_book_formats():
    from treasury_rv.leverage import margin_spiral

    path = margin_spiral(500e9, 10e9, 0.02, -0.005, price_impact_per_bn=0.3e-4)
    lines, fail = cl._spiral_summary(path)
    assert fail is None
    assert lines[1].startswith("Equity left $") and lines[1].endswith("bn")
    assert "." in lines[1] and lines[0].endswith("%")
