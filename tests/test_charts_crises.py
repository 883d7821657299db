"""Chart builders of the crises chapter: their controls, data limits and bad input."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pandas as pd
import pytest

from treasury_rv.charts import crises as cc

LABELS = {"ltcm1998": "LTCM, 1998", "covid2020": "March 2020"}


def params(spec: dict) -> dict:
    """Bound parameters of a chart spec by name."""
    return {p["name"]: p for p in spec.get("params", []) if "bind" in p}


def rows_of(spec: dict) -> dict:
    return {name: values for name, values in spec.get("datasets", {}).items()}


@pytest.fixture
def yields():
    # FRED DGS10 closes as listed in the chapter's sources (values only shape the test).
    return pd.DataFrame(
        {
            "episode": ["ltcm1998", "ltcm1998", "covid2020", "covid2020"],
            "date": [dt.date(1998, 8, 31), dt.date(1998, 10, 5)]
            + [dt.date(2020, 3, 9), dt.date(2020, 3, 18)],
            "series": "10-year close",
            "value_pct": [5.05, 4.16, 0.54, 1.18],
        }
    )


@pytest.fixture
def paths():
    frames = []
    for name, scenario in itertools.product(LABELS, ["no intervention", "with purchases"]):
        frames.append(
            pd.DataFrame(
                {
                    "episode": name,
                    "scenario": scenario,
                    "step": range(4),
                    "price": [100, 99, 98.5, 98.2],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def test_timeline_picks_the_episode_for_both_panels(yields, paths):
    chart = cc.timeline_chart(yields, paths, episode="covid2020", labels=LABELS, source="FRED")
    spec = chart.to_dict()
    pick = params(spec)["episode"]
    assert pick["value"] == "covid2020"
    assert pick["bind"]["options"] == list(LABELS)
    assert pick["bind"]["labels"] == list(LABELS.values())
    filters = [
        t["filter"]
        for panel in spec["vconcat"]
        for t in panel.get("transform", [])
        if "filter" in t
    ]
    assert filters == ["datum.episode == episode"] * 2
    data = rows_of(spec)
    dates = {row["date"] for rows in data.values() for row in rows if "date" in row}
    assert dates == {"1998-08-31", "1998-10-05", "2020-03-09", "2020-03-18"}
    assert spec["vconcat"][0]["encoding"]["x"]["scale"]["type"] == "utc"
    assert spec["title"]["text"] == ["FRED"]


def test_timeline_of_one_episode_has_no_dead_control(yields, paths):
    one = {"ltcm1998": LABELS["ltcm1998"]}
    spec = cc.timeline_chart(
        yields[yields["episode"] == "ltcm1998"],
        paths[paths["episode"] == "ltcm1998"],
        episode="ltcm1998",
        labels=one,
        source="FRED",
    ).to_dict()
    assert params(spec) == {}
    filters = [
        t["filter"]
        for panel in spec["vconcat"]
        for t in panel.get("transform", [])
        if "filter" in t
    ]
    assert filters == ['datum.episode == "ltcm1998"'] * 2


def test_timeline_bad_input(yields, paths):
    with pytest.raises(ValueError, match="episode must be one of"):
        cc.timeline_chart(yields, paths, episode="gilt2022", labels=LABELS, source="x")
    with pytest.raises(ValueError, match="no entry for the episodes"):
        cc.timeline_chart(yields, paths, episode="ltcm1998", labels={"ltcm1998": "x"}, source="x")
    with pytest.raises(ValueError, match="lacks the columns"):
        cc.timeline_chart(
            yields.drop(columns="series"), paths, episode="ltcm1998", labels=LABELS, source="x"
        )
    with pytest.raises(TypeError, match="yields date"):
        cc.timeline_chart(
            yields.assign(date="1998-08-31"), paths, episode="ltcm1998", labels=LABELS, source="x"
        )
    with pytest.raises(TypeError, match="paths"):
        cc.timeline_chart(yields, paths.to_dict(), episode="ltcm1998", labels=LABELS, source="x")
    with pytest.raises(ValueError, match="source"):
        cc.timeline_chart(yields, paths, episode="ltcm1998", labels=LABELS, source=" ")


def comparison_table():
    return pd.DataFrame(
        {
            "measure": ["Leverage (×)"] * 2 + ["Intervention ($bn)"] * 2,
            "episode": ["LTCM, 1998", "March 2020"] * 2,
            "value": [27.0, np.nan, 3.6, 775.0],
            "text": ["27×", "n/a", "$3.6bn", "$775bn"],
            "status": ["sourced", "approximate or unconfirmed", "sourced", "sourced"],
        }
    )


def test_comparison_has_one_panel_per_measure_on_its_own_scale():
    order = ["LTCM, 1998", "March 2020"]
    spec = cc.comparison_chart(comparison_table(), episodes=order, source="Sources").to_dict()
    assert spec["facet"]["row"]["sort"] == ["Leverage (×)", "Intervention ($bn)"]
    assert spec["resolve"]["scale"]["x"] == "independent"
    (rows,) = rows_of(spec).values()
    # A missing figure draws no bar (length 0) but keeps its label.
    missing = [r for r in rows if r["text"] == "n/a"]
    assert missing and missing[0]["bar"] == 0.0
    layer = spec["spec"]["layer"]
    assert layer[0]["encoding"]["y"]["sort"] == order
    assert layer[0]["encoding"]["color"]["scale"]["domain"] == list(cc.STATUSES)


def test_comparison_bad_input():
    table = comparison_table()
    with pytest.raises(ValueError, match="does not list"):
        cc.comparison_chart(table, episodes=["LTCM, 1998"], source="s")
    with pytest.raises(ValueError, match="status"):
        cc.comparison_chart(
            table.assign(status="guess"), episodes=["LTCM, 1998", "March 2020"], source="s"
        )
    with pytest.raises(ValueError, match="width"):
        cc.comparison_chart(table, episodes=["LTCM, 1998", "March 2020"], source="s", width=5)


def grid():
    rows = []
    for lev, shock, size in itertools.product([10, 20, 30], [10, 20], [0, 100, 200]):
        sales = lev * shock / (1 + size / 100)
        rows.append((lev, shock, size, sales, shock + sales / 10, sales > 500))
    return pd.DataFrame(rows, columns=cc._GRID_COLUMNS)


def test_intervention_chart_sliders_and_the_chosen_point():
    chart = cc.intervention_chart(grid(), source="Illustrative", leverage=20, intervention_bn=100)
    spec = chart.to_dict()
    bound = params(spec)
    assert set(bound) == {"leverage", "shock", "intervention"}
    assert (bound["leverage"]["value"], bound["leverage"]["bind"]["step"]) == (20, 10)
    assert bound["shock"]["value"] == 20  # the middle of [10, 20]
    assert (bound["intervention"]["bind"]["min"], bound["intervention"]["bind"]["max"]) == (0, 200)
    (data,) = rows_of(spec).values()
    assert len(data) == 18
    text = spec["vconcat"][0]["layer"][0]["transform"]
    assert "datum.intervention_bn == round(intervention)" in text[0]["filter"]


def test_intervention_chart_bad_input():
    g = grid()
    with pytest.raises(ValueError, match="leverage must be one of"):
        cc.intervention_chart(g, source="s", leverage=25)
    with pytest.raises(TypeError, match="shock_bp"):
        cc.intervention_chart(g, source="s", shock_bp="10")
    with pytest.raises(ValueError, match="every"):
        cc.intervention_chart(g.iloc[1:], source="s")
    with pytest.raises(ValueError, match="evenly spaced"):
        cc.intervention_chart(g.replace({"intervention_bn": {200: 300}}), source="s")
    with pytest.raises(ValueError, match="whole numbers"):
        cc.intervention_chart(g.assign(leverage=g["leverage"] + 0.5), source="s")
    with pytest.raises(ValueError, match="finite"):
        cc.intervention_chart(g.assign(yield_move_bp=np.nan), source="s")
    big = pd.concat([g] * 300, ignore_index=True)
    with pytest.raises(ValueError, match="at most 5000"):
        cc.intervention_chart(big, source="s")


# --- the comparison frame, from the episode dataset -------------------------------------------


def test_written_figures():
    assert cc.written(775.0, "usd_bn") == "$775bn"
    assert cc.written(60.0, "usd_bn") == "$60bn"
    assert cc.written(4.4, "usd_bn") == "$4.4bn"
    assert cc.written(1450.0, "usd_bn") == "$1.45tn"
    assert cc.written(19.3, "gbp_bn") == "£19.3bn"
    assert cc.written(27.0, "x") == "27×"
    assert cc.written(-7.0, "percent") == "\N{MINUS SIGN}7%"
    with pytest.raises(ValueError, match="unit"):
        cc.written(1.0, "furlongs")


def test_comparison_frame_prefers_sources_and_keeps_units_apart():
    from treasury_rv import episodes

    table = episodes.episodes_table()
    frame = cc.comparison_frame(table, episodes.EPISODE_LABELS)
    assert len(frame) == len(cc.MEASURES) * len(episodes.EPISODES)
    cell = frame.set_index(["measure", "episode"])
    covid = episodes.EPISODE_LABELS["covid2020"]
    size = cell.loc[("Size of the trade that unwound ($bn)", covid)]
    # The basis trade at its early-2020 peak, half the $830bn of Sep 2025 (Monin 2026).
    assert size["value"] == episodes.fact("covid2020", "basis_trade_peak_early_2020")
    assert size["status"] == "sourced"
    # April 2025's size is a September 2025 figure: shown as approximate.
    april = cell.loc[
        ("Size of the trade that unwound ($bn)", episodes.EPISODE_LABELS["tariff2025"])
    ]
    assert april["status"] == "approximate or unconfirmed"
    # Measured sales and the model's are different rows: LTCM has no measured sales.
    ltcm = episodes.EPISODE_LABELS["ltcm1998"]
    assert cell.loc[("Sales by the levered holders, as measured ($bn)", ltcm), "text"] == "n/a"
    modelled = cell.loc[("Forced sales in the model ($bn)", ltcm)]
    assert modelled["status"] == "illustrative model"
    measured = cell.xs("Sales by the levered holders, as measured ($bn)")
    assert (measured["status"] != "illustrative model").all()
    # April 2025 had no official purchases: a fact, not a model output.
    none = cell.loc[
        ("Support: purchases or new equity ($bn)", episodes.EPISODE_LABELS["tariff2025"])
    ]
    assert none["text"] == "none" and none["status"] != "illustrative model"
    # LTCM's shock is a fall in capital (percent), not a yield move: text, no bar.
    shock = cell.loc[("Shock: rise in yield (bp)", episodes.EPISODE_LABELS["ltcm1998"])]
    assert np.isnan(shock["value"]) and shock["text"].endswith("%")
    # The gilt purchases are in pounds: text, no bar on the dollar axis.
    gilt = cell.loc[("Support: purchases or new equity ($bn)", episodes.EPISODE_LABELS["gilt2022"])]
    assert np.isnan(gilt["value"]) and gilt["text"].startswith("£")
    # No sourced leverage for March 2020: the model's input fills the cell, labelled as such.
    lev = cell.loc[("Leverage (× equity)", episodes.EPISODE_LABELS["covid2020"])]
    assert lev["status"] == "illustrative model"
    assert lev["value"] == episodes.calibration("covid2020")["leverage"]
    # The gilt episode is not modelled: a measure without a figure stays empty.
    assert cell.loc[("Leverage (× equity)", episodes.EPISODE_LABELS["gilt2022"]), "text"] == "n/a"
    chart = cc.comparison_chart(frame, episodes=list(episodes.EPISODE_LABELS.values()), source="s")
    assert chart.to_dict()["facet"]["row"]["sort"] == [m for _, m, _ in cc.MEASURES]


def test_comparison_frame_bad_input():
    table = pd.DataFrame(
        {
            "episode": ["a"],
            "measure": ["size"],
            "value": [1.0],
            "unit": ["usd_bn"],
            "basis": ["sourced"],
            "status": ["rumour"],
        }
    )
    with pytest.raises(ValueError, match="status"):
        cc.comparison_frame(table, {"a": "A"})
    with pytest.raises(ValueError, match="labels"):
        cc.comparison_frame(table.assign(status="primary"), {})
    with pytest.raises(ValueError, match="lacks the columns"):
        cc.comparison_frame(table.drop(columns="unit"), {"a": "A"})


def test_timeline_chart_marks_the_dated_events():
    import datetime as dt

    from treasury_rv import episodes

    y = pd.DataFrame(
        {
            "episode": "covid2020",
            "date": [dt.date(2020, 3, 9), dt.date(2020, 3, 18)],
            "series": "10-year close",
            "value_pct": [0.54, 1.18],
        }
    )
    p = pd.DataFrame(
        {"episode": "covid2020", "scenario": "none", "step": [0, 1], "price": [100.0, 99.5]}
    )
    line = episodes.official_timeline("covid2020")
    labels = {"covid2020": "March 2020"}
    chart = cc.timeline_chart(y, p, episode="covid2020", labels=labels, source="s", events=line)
    spec = chart.to_dict()
    top = spec["vconcat"][0]
    rules = [layer for layer in top["layer"] if layer["mark"]["type"] == "rule"]
    assert len(rules) == 1
    # Every event of the timeline is in the chart's data, on its date.
    data = [d for d in spec["datasets"].values() if d and "event" in d[0]]
    assert len(data) == 1 and len(data[0]) == len(line)
    plain = cc.timeline_chart(y, p, episode="covid2020", labels=labels, source="s").to_dict()
    assert "layer" not in plain["vconcat"][0]
    with pytest.raises(ValueError, match="events"):
        cc.timeline_chart(
            y, p, episode="covid2020", labels=labels, source="s", events=line.assign(episode="x")
        )
