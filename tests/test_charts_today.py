"""The page on the trades today: its shipped snapshots, its frames and charts, the cache mode."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from test_fetch import FED, SINCE, serve_every_source
from test_loaders import PAR_CURVE, TFF, PublisherServer

from treasury_rv import data
from treasury_rv._site import STATIC_SITE_ENV
from treasury_rv.charts import MAX_ROWS, today
from treasury_rv.data import fetch, loaders
from treasury_rv.futures import SPECS

D = dt.date


@pytest.fixture(autouse=True)
def reader_session(monkeypatch):
    monkeypatch.delenv(STATIC_SITE_ENV, raising=False)
    monkeypatch.delenv(loaders.MIRROR_ENV, raising=False)
    monkeypatch.delenv(loaders.DATA_ENV, raising=False)


# --------------------------------------------------------------------------------------
# The shipped snapshots against the values as published


def test_sofr_snapshot_holds_the_new_york_feds_published_fixings():
    sofr = today.sofr_frame("snapshot").set_index("date")
    # New York Fed, SOFR data page: 17 Sep 2019 rate 5.25, 1st pct 2.25, 99th pct 9.00;
    # 16 Mar 2020 rate 0.26, 99th pct 2.00; 24 Mar 2020 rate 0.01.
    assert sofr.loc[D(2019, 9, 17), "rate"] == pytest.approx(0.0525, abs=1e-12)
    assert sofr.loc[D(2019, 9, 17), "percentile_1"] == pytest.approx(0.0225, abs=1e-12)
    assert sofr.loc[D(2019, 9, 17), "percentile_99"] == pytest.approx(0.09, abs=1e-12)
    assert sofr.loc[D(2020, 3, 16), "percentile_99"] == pytest.approx(0.02, abs=1e-12)
    assert sofr.loc[D(2020, 3, 24), "rate"] == pytest.approx(0.0001, abs=1e-12)
    # The median lies between the quartiles, which lie between the 1st and 99th percentiles.
    order = ["percentile_1", "percentile_25", "rate", "percentile_75", "percentile_99"]
    assert (sofr[order].diff(axis=1).iloc[:, 1:] >= -1e-12).all().all()
    assert all(d.weekday() < 5 for d in sofr.index)
    assert data.snapshot("sofr-nyfed")["source"].str.contains("New York Fed").all()


def test_footprint_snapshot_holds_the_published_positions_and_their_notional():
    frame = today.footprint_frame("snapshot").set_index(["date", "contract", "measure"])
    # Reuters, 17 Jan 2025, CFTC data for the week ended 14 Jan 2025 (10-year note).
    lev = frame.loc[(D(2025, 1, 14), "TY", "Leveraged funds, net")]
    am = frame.loc[(D(2025, 1, 14), "TY", "Asset managers, net")]
    assert lev["contracts"] == -1_267_611 and am["contracts"] == 1_633_891
    # Notional is contracts times the face value ($100,000 for the 10-year note).
    assert SPECS["TY"].face == 100_000
    assert lev["notional_bn"] == pytest.approx(-1_267_611 * 100_000 / 1e9)
    shorts = frame.xs("TN", level="contract")["contracts"]
    assert shorts.loc[(D(2026, 2, 3), "Leveraged funds, shorts")] == 553_938
    assert all(d.weekday() == 1 for d, _, _ in frame.index)  # the report's Tuesdays


def test_onoff_gap_is_treasurys_yield_minus_the_fitted_par_yield():
    gap = today.onoff_gap_frame("snapshot").set_index("date")
    closes = data.shipped("daily_closes")
    ten = closes[closes["series"] == "DGS10"].set_index("date")["close"]
    assert set(gap.index) == set(data.shipped("gsw_svensson")["date"]) & set(ten.index)
    assert (gap["treasury_10y"] == ten.loc[gap.index]).all()
    assert gap["gap_bp"].to_numpy() == pytest.approx(
        1e4 * (gap["treasury_10y"] - gap["fitted_10y"]).to_numpy()
    )
    # The Fed's published 10-year zero on these dates (FACTS.md section 4) sits within a few
    # basis points of the recomputed par yield: the fit is the published one.
    assert abs(gap.loc[D(2020, 3, 18), "fitted_10y"] - 0.0130) < 0.001


def test_yields_snapshot_is_the_shipped_closes():
    ylds = today.yields_frame("snapshot").set_index(["date", "maturity"])["par_yield"]
    # FRED DGS10 / DGS30 closes (FACTS.md section 4).
    assert ylds.loc[(D(2025, 4, 11), "10-year")] == pytest.approx(0.0448)
    assert ylds.loc[(D(2025, 4, 11), "30-year")] == pytest.approx(0.0485)
    assert ylds.loc[(D(2020, 3, 9), "10-year")] == pytest.approx(0.0054)


# --------------------------------------------------------------------------------------
# The charts


def spec_text(chart) -> str:
    return json.dumps(chart.to_dict())


@pytest.mark.parametrize(
    ("frame", "chart"),
    [
        (today.footprint_frame, today.footprint_chart),
        (today.onoff_gap_frame, today.onoff_gap_chart),
        (today.sofr_frame, today.sofr_chart),
        (today.yields_frame, today.yields_chart),
    ],
)
def test_each_chart_says_where_its_values_come_from(frame, chart):
    drawn = chart(frame(), status=["Shipped snapshot: a line", "None shipped for X"], source="S")
    text = spec_text(drawn)
    assert "Shipped snapshot: a line" in text and "None shipped for X" in text
    assert '"S"' in text
    with pytest.raises(TypeError, match="status"):
        chart(frame(), status="one string", source="S")
    with pytest.raises(ValueError, match="rows"):
        chart(pd.concat([frame()] * (MAX_ROWS // len(frame()) + 1)), status=[], source="S")


def test_episodes_are_marked_only_within_the_dates_drawn():
    yields = spec_text(today.yields_chart(today.yields_frame(), status=[], source="S"))
    assert all(e in yields for e in today.EPISODE_MARKS["episode"])
    sofr = spec_text(today.sofr_chart(today.sofr_frame(), status=[], source="S"))
    assert "Mar 2020" in sofr and "Apr 2025" not in sofr and '"1998"' not in sofr


def test_reading_defaults_to_the_snapshot_and_follows_the_variable(monkeypatch):
    assert today.reading() == "snapshot"
    monkeypatch.setenv(loaders.DATA_ENV, "cache")
    assert today.reading() == "cache"
    with pytest.raises(ValueError, match="reading"):
        today.reading("live")
    with pytest.raises(ValueError, match="reading"):
        today.sofr_frame("live")


# --------------------------------------------------------------------------------------
# From the reader's cache, as the build reads it with TREASURY_RV_DATA=cache


def test_the_page_frames_read_the_cache_fetch_filled(tmp_path, monkeypatch):
    server = PublisherServer()
    try:
        serve_every_source(server)
        # Fed fixture dates moved onto two of the par-curve fixture's (shifted to SINCE's year).
        fed = FED.read_bytes().replace(b"2024-01-02", b"2024-03-18")
        fed = fed.replace(b"2024-01-03", b"2024-03-10")
        server.serve(loaders.FED_FITTED_CURVE_URL, ("ok", fed))
        cache = tmp_path / "cache"
        monkeypatch.setenv(loaders.MIRROR_ENV, server.base)
        with open(tmp_path / "bars", "w") as bars:
            summaries = fetch.fetch(since=SINCE, cache_dir=cache, stream=bars)
    finally:
        server.stop()
    assert all(s.error is None for s in summaries)
    monkeypatch.setenv(STATIC_SITE_ENV, "1")
    monkeypatch.setenv(loaders.DATA_ENV, "cache")
    gap = today.onoff_gap_frame("cache", cache_dir=cache).set_index("date")
    par = data.treasury_par_curve(source=PAR_CURVE)
    ten = par[par["tenor"] == "10 Yr"].set_index("date")["par_yield"]
    fitted = data.fed_fitted_curve(source=FED).set_index("date")["SVENPY10"]
    assert gap.loc[D(2024, 3, 18), "gap_bp"] == pytest.approx(
        1e4 * (ten[D(2020, 3, 18)] - fitted[D(2024, 1, 2)])
    )
    footprint = today.footprint_frame("cache", cache_dir=cache)
    tff = data.cftc_treasury_positions(source=TFF)
    week = footprint[(footprint["date"] == D(SINCE.year, 2, 15))]
    total = week[(week["contract"] == "all six") & (week["measure"] == "Leveraged funds, net")]
    faces = tff["contract"].map({"ZT": 2e5, "ZF": 1e5, "ZN": 1e5, "TN": 1e5, "ZB": 1e5, "UB": 1e5})
    expected = (tff["lev_money_net"] * faces)[tff["date"] == D(2022, 2, 15)].sum() / 1e9
    assert total["notional_bn"].item() == pytest.approx(expected)
    assert len(today.sofr_frame("cache", cache_dir=cache)) == 2
    assert set(today.yields_frame("cache", cache_dir=cache)["maturity"]) == {"10-year", "30-year"}
    assert today.as_of("fed", cache) == dt.datetime.now(dt.UTC).date().isoformat()
