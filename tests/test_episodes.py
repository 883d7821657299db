"""Tests for the shipped episode dataset and the one spiral model run on three episodes.

The dataset's figures are read from the CSVs and compared with the values written here from
the project's facts sheet (FACTS.md, cited by section and line) and the primary source it
names. The model's tests check identities and directions, not its illustrative numbers.
"""

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from treasury_rv import episodes as ep
from treasury_rv import leverage as lv
from treasury_rv.data import shipped, shipped_names

# --------------------------------------------------------------------------------------------
# The dataset against the facts sheet
# --------------------------------------------------------------------------------------------

FACTS_FIGURES = [
    # LTCM. FACTS §4 line 219-224: Jorion (2000), European Financial Management 6(3) [P].
    ("ltcm1998", "capital_start", 4.7, "usd_bn"),
    ("ltcm1998", "returned_to_investors", 2.7, "usd_bn"),
    ("ltcm1998", "leverage_start", 28, "x"),
    ("ltcm1998", "assets", 125, "usd_bn"),
    ("ltcm1998", "capital_fall_end_august", 52, "percent"),
    ("ltcm1998", "assets_end_august", 126, "usd_bn"),
    ("ltcm1998", "loss_1998", 4.4, "usd_bn"),
    ("ltcm1998", "recapitalisation_stake", 90, "percent"),
    # FACTS §5 line 258-261: House Banking Committee hearing of 1 Oct 1998, 27:1 [P]; 25:1 and
    # 55x (Lowenstein) [S]; $550m loss [S]; 21bp swap-spread move unconfirmed; GAO/GGD-00-3,
    # "about $3.6bn" by 14 institutions [P].
    ("ltcm1998", "leverage_hearing", 27, "x"),
    ("ltcm1998", "leverage_balance_sheet", 25, "x"),
    ("ltcm1998", "leverage_end_august", 55, "x"),
    # FACTS §2 line 129-130: Lowenstein, August loss $1.9bn leaving about $2.3bn [S].
    ("ltcm1998", "loss_august", 1.9, "usd_bn"),
    ("ltcm1998", "equity_end_august", 2.3, "usd_bn"),
    ("ltcm1998", "loss_21_august", 0.55, "usd_bn"),
    ("ltcm1998", "swap_spread_move_21_august", 21, "bp"),
    ("ltcm1998", "recapitalisation", 3.6, "usd_bn"),
    ("ltcm1998", "recapitalisation_institutions", 14, "count"),
    # FACTS §2 line 127-128: GAO/GGD-00-3, "almost 90 percent of its capital" [P].
    ("ltcm1998", "capital_lost_share", 90, "percent"),
    # FACTS §4 line 225-226: Cleveland Fed Economic Trends, Sept 1999 [P].
    ("ltcm1998", "swap_spread_10y_1990s_low", 20, "bp"),
    ("ltcm1998", "swap_spread_10y_1990s_high", 40, "bp"),
    ("ltcm1998", "swap_spread_10y_early_1999_low", 75, "bp"),
    ("ltcm1998", "swap_spread_10y_early_1999_high", 85, "bp"),
    ("ltcm1998", "swap_spread_10y_august_1999", 108, "bp"),
    # March 2020. FACTS §2 line 110-111: Banegas, Monin & Petrasek, FEDS Note 2021-10-06 [P].
    ("covid2020", "hf_treasury_long", 1450, "usd_bn"),
    ("covid2020", "hf_treasury_short", 940, "usd_bn"),
    ("covid2020", "hf_repo_borrowing", 1465, "usd_bn"),
    ("covid2020", "hf_gross_exposure_fall", 426, "usd_bn"),
    ("covid2020", "hf_net_treasury_sales", 173, "usd_bn"),
    ("covid2020", "hf_short_derivatives_cut", 232, "usd_bn"),
    ("covid2020", "hf_top50_share", 85, "percent"),
    # Banegas, Monin & Petrasek (FEDS Note, 6 Oct 2021, federalreserve.gov): the top 50 funds held
    # "90 percent of hedge fund repo and reverse repo in early 2020" (not in FACTS).
    ("covid2020", "hf_top50_repo_share", 90, "percent"),
    # FACTS §2 line 115-117: Barth, Kahn & Mann, FEDS Note 2023-08-30 [P], 31 Jan 2019.
    ("covid2020", "lev_funds_futures_short_2019", 631, "usd_bn"),
    # FACTS §2 line 112-113 and §5 line 252-254: Barth & Kahn, OFR WP 21-01 (half, a quarter
    # of dealer repo) and JME 155 (> 60%, 70%) [P].
    ("covid2020", "basis_share_of_hf_positions_wp", 50, "percent"),
    ("covid2020", "basis_share_of_dealer_repo", 25, "percent"),
    ("covid2020", "basis_share_of_hf_positions", 60, "percent"),
    ("covid2020", "basis_share_of_hf_repo", 70, "percent"),
    # FACTS §5 line 255-257: Kruttli et al., FEDS 2021-038 [P].
    ("covid2020", "hf_return_march", -7, "percent"),
    ("covid2020", "hf_exposure_cut", 20, "percent"),
    # FACTS §2 line 137-139: Liberty Street Economics, 2020-04-17 [P].
    ("covid2020", "purchase_directive_treasuries", 500, "usd_bn"),
    ("covid2020", "purchase_directive_mbs", 200, "usd_bn"),
    ("covid2020", "purchases_first_day", 40, "usd_bn"),
    ("covid2020", "purchases_treasuries_march", 775, "usd_bn"),
    ("covid2020", "purchases_mbs_march", 291, "usd_bn"),
    # FACTS §2 line 139-140: $75bn a day, then $15bn a day from 20 April [S, no source named].
    ("covid2020", "purchase_pace_peak", 75, "usd_bn_per_day"),
    ("covid2020", "purchase_pace_late_april", 15, "usd_bn_per_day"),
    # FACTS §5 line 319-320: Vissing-Jorgensen, JME 124 (2021): 64bp from 9 to 18 March,
    # "$1T of Treasuries in 2020Q1" [P].
    ("covid2020", "yield_10y_rise", 64, "bp"),
    ("covid2020", "purchases_treasuries_q1", 1000, "usd_bn"),
    # FACTS §4 line 240-241: reading of Fleming & Ruela, Liberty Street, April 2020 [S].
    ("covid2020", "bid_ask_10y_before", 0.5, "32nds"),
    ("covid2020", "bid_ask_10y_peak", 1.0, "32nds"),
    ("covid2020", "bid_ask_30y_before", 1, "32nds"),
    ("covid2020", "bid_ask_30y_peak", 5, "32nds"),
    # April 2025. FACTS §2 line 147: Perli, NY Fed, 9 May 2025, about 30bp by 11 April [P].
    ("tariff2025", "long_yields_rise", 30, "bp"),
    # FACTS §5 line 310-312: Monin, FEDS Note, 22 Jun 2026 [P, from a verbatim mirror].
    ("tariff2025", "swap_spread_trades", 305, "usd_bn"),
    ("tariff2025", "swap_spread_unwound", 60, "usd_bn"),
    ("tariff2025", "basis_trades", 830, "usd_bn"),
    ("tariff2025", "maturity_matched_trades", 395, "usd_bn"),
    # Monin (2026): $830bn is "about double its previous peak in early 2020" (not in FACTS).
    ("covid2020", "basis_trade_peak_early_2020", 415, "usd_bn"),
    # FACTS §2 line 123-124 and §5 line 248-251: FT Alphaville (2025), 50x normal, up to 100x,
    # about $800bn net short [S]; Banegas & Monin (2023), top-50 leverage near 7:1 [S].
    ("tariff2025", "leverage_normal", 50, "x"),
    ("tariff2025", "leverage_max", 100, "x"),
    ("tariff2025", "hf_net_futures_short", 800, "usd_bn"),
    ("tariff2025", "hf_leverage_top50", 7, "x"),
    # FACTS §1 line 94-96: OFR blogs 2022-12-05 and 2023-05-12 [P].
    ("tariff2025", "bilateral_zero_haircut_share", 74, "percent"),
    ("tariff2025", "triparty_median_haircut", 2, "percent"),
    # FACTS §2 line 152: FT Alphaville (2025), 9/10-year gap 4-5bp, near 9bp in April 2025.
    ("tariff2025", "onoff_9_10_usual_low", 4, "bp"),
    ("tariff2025", "onoff_9_10_usual_high", 5, "bp"),
    ("tariff2025", "onoff_9_10_april", 9, "bp"),
    # FACTS §4 line 238-239 and §5 line 299-300: swap spreads, 8 April and late May 2025 [S / ?].
    ("tariff2025", "swap_spread_10y_8_april", -57, "bp"),
    ("tariff2025", "swap_spread_10y_late_may", -59, "bp"),
    ("tariff2025", "swap_spread_30y_late_may", -94, "bp"),
    # FACTS §5 line 314-315: Brookings (Liang), 10y spiked to 4.5% intraday on 8 April [S].
    ("tariff2025", "yield_10y_intraday_high", 4.5, "percent"),
    # FACTS §5 line 267-268: about $6tn (BNP Paribas, 11 Jun 2025) [S].
    ("tariff2025", "slr_capacity", 6, "usd_tn"),
    # Gilts. FACTS §5 line 262-265: 30-year gilt up about 1.2 percentage points from 22 to
    # 27 Sep 2022, near 5% on 27 Sep [S]; BoE auctions of up to GBP 5bn a day [S]; bought
    # GBP 19.3bn (12.1 conventional, 7.2 index-linked) 28 Sep - 14 Oct [P].
    ("gilt2022", "gilt_30y_rise", 120, "bp"),
    ("gilt2022", "gilt_30y_close_27_september", 5, "percent"),
    ("gilt2022", "purchase_auction_limit", 5, "gbp_bn_per_day"),
    # The Times, 27 Sep 2022 (not in FACTS): the 30-year gilt yield rose 45bp to 4.97% on 26 Sep.
    ("gilt2022", "gilt_30y_rise_26_september", 45, "bp"),
    ("gilt2022", "gilt_30y_close_26_september", 4.97, "percent"),
    ("gilt2022", "purchases", 19.3, "gbp_bn"),
    ("gilt2022", "purchases_conventional", 12.1, "gbp_bn"),
    ("gilt2022", "purchases_index_linked", 7.2, "gbp_bn"),
    # FACTS §2 line 162-163: two daily rises > 35bp against a previous record of 29bp
    # (Bank of England, March 2023) [P; not among the figures §5 marks unconfirmed].
    ("gilt2022", "daily_rises_above_35bp", 2, "count"),
    ("gilt2022", "previous_record_daily_rise", 29, "bp"),
    # Hauser (BoE speech, 4 Nov 2022) [P]: purchases "ran for 13 days".
    ("gilt2022", "purchase_days", 13, "days"),
]


@pytest.mark.parametrize(("name", "key", "expected", "unit"), FACTS_FIGURES)
def test_figure_matches_facts(name, key, expected, unit):
    out = ep.figure(name, key)
    assert out["value"] == pytest.approx(expected, rel=1e-12)
    assert out["unit"] == unit


# Status as the facts sheet tags it, after the corrections of FACTS §5.
FACTS_STATUS = [
    ("ltcm1998", "leverage_hearing", "primary"),  # §5 line 258
    ("ltcm1998", "leverage_end_august", "secondary"),  # §5 line 258-259, Lowenstein [S]
    ("ltcm1998", "loss_21_august", "secondary"),  # §5 line 259 [S]
    ("ltcm1998", "swap_spread_move_21_august", "unconfirmed"),  # §5 line 260 [?]
    ("ltcm1998", "recapitalisation", "primary"),  # §5 line 260-261 [P]
    ("ltcm1998", "derivatives_notional_min", "secondary"),  # §5 line 259 [S]
    ("covid2020", "purchases_treasuries_march", "primary"),  # §2 line 138 [P]
    ("covid2020", "purchase_pace_peak", "unconfirmed"),  # §2 line 139 [S], no source named
    ("covid2020", "yield_10y_rise", "primary"),  # §5 line 319 [P]
    ("tariff2025", "swap_spread_10y_8_april", "unconfirmed"),  # §4 238-239, no source named
    ("tariff2025", "swap_spread_unwound", "primary"),  # §5 line 310-312 [P]
    ("tariff2025", "slr_capacity", "secondary"),  # §5 line 267-268 [S]
    ("gilt2022", "gilt_30y_rise", "secondary"),  # §5 line 262 [S]
    ("gilt2022", "purchases", "primary"),  # §5 line 264-265 [P]
]


@pytest.mark.parametrize(("name", "key", "status"), FACTS_STATUS)
def test_status_follows_the_corrections(name, key, status):
    assert ep.figure(name, key)["status"] == status


def test_superseded_gilt_figures_are_not_shipped():
    # FACTS §5 line 265-266: the "160bp" rise and "127bp intraday range" are unconfirmed and
    # superseded by the 1.2 percentage-point move; neither number appears as a gilt figure.
    values = ep.episode("gilt2022")["value"]
    numbers = {v for v in values if isinstance(v, float)}
    assert not numbers & {160.0, 127.0}


def test_derived_basis_peak_is_half_the_2025_size():
    # Monin (2026): the September 2025 basis trade was "about double its previous peak in early
    # 2020"; the shipped peak is that half, and lies in the $400-500bn of press estimates
    # (FACTS §2 line 113, [S]).
    peak = ep.fact("covid2020", "basis_trade_peak_early_2020")
    assert peak == ep.fact("tariff2025", "basis_trades") / 2
    assert 400 <= peak <= 500


def test_recapitalisation_is_the_corrected_range():
    # FACTS §5 line 261: sources range $3.5-3.65bn, print "about $3.6bn".
    out = ep.figure("ltcm1998", "recapitalisation")
    assert 3.5 <= out["value"] <= 3.65
    assert "about" in out["label"]


# FACTS §4 line 183-194: FRED DGS10 / DGS30 closes, percent [P]; §2 line 141 for 2019-12-31
# and 2020-02-26.
FACTS_CLOSES = [
    ("1998-08-31", 5.05, 5.30),
    ("1998-10-05", 4.16, 4.70),
    ("2020-03-09", 0.54, 0.99),
    ("2020-03-18", 1.18, 1.77),
    ("2025-04-02", 4.20, 4.54),
    ("2025-04-03", 4.06, 4.49),
    ("2025-04-04", 4.01, 4.41),
    ("2025-04-07", 4.15, 4.58),
    ("2025-04-08", 4.26, 4.71),
    ("2025-04-09", 4.34, 4.72),
    ("2025-04-10", 4.40, 4.86),
    ("2025-04-11", 4.48, 4.85),
    ("2019-12-31", 1.92, None),
    ("2020-02-26", 1.34, None),
]


def test_daily_closes_match_facts():
    closes = ep.daily_closes()
    table = closes.set_index(["date", "series"])["close"]
    expected = 0
    for day, ten, thirty in FACTS_CLOSES:
        d = dt.date.fromisoformat(day)
        assert table[(d, "DGS10")] == pytest.approx(ten / 100, abs=1e-12)
        expected += 1
        if thirty is not None:
            assert table[(d, "DGS30")] == pytest.approx(thirty / 100, abs=1e-12)
            expected += 1
    assert len(closes) == expected  # nothing shipped that FACTS does not give
    assert list(closes.columns) == ["date", "episode", "series", "close", "source"]
    assert all(isinstance(d, dt.date) for d in closes["date"])


@pytest.mark.parametrize(
    ("name", "series", "start", "end", "bp"),
    [
        # FACTS §4 line 196-197: March 2020, 10y +64bp and 30y +78bp from 9 to 18 March;
        # April 2025, 10y +47bp and 30y +44bp from 4 to 11 April.
        ("covid2020", "DGS10", "2020-03-09", "2020-03-18", 64),
        ("covid2020", "DGS30", "2020-03-09", "2020-03-18", 78),
        ("tariff2025", "DGS10", "2025-04-04", "2025-04-11", 47),
        ("tariff2025", "DGS30", "2025-04-04", "2025-04-11", 44),
        ("ltcm1998", "DGS10", "1998-08-31", "1998-10-05", -89),
    ],
)
def test_close_change_bp(name, series, start, end, bp):
    got = ep.close_change_bp(name, series, dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    assert got == pytest.approx(bp, abs=1e-9)


def test_close_change_agrees_with_the_cited_rise():
    # Vissing-Jorgensen's 64bp (FACTS §5 line 319) is the DGS10 change over the same dates.
    got = ep.close_change_bp("covid2020", "DGS10", dt.date(2020, 3, 9), dt.date(2020, 3, 18))
    assert got == pytest.approx(ep.fact("covid2020", "yield_10y_rise"), abs=1e-9)


# --------------------------------------------------------------------------------------------
# The dataset's shape and labels
# --------------------------------------------------------------------------------------------


def test_shipped_names_include_the_episode_datasets():
    assert {"episodes", "daily_closes", "episode_calibrations"} <= set(shipped_names())


def test_every_row_has_a_source_and_a_known_status():
    facts = shipped("episodes")
    assert list(facts.columns) == [
        "episode",
        "key",
        "label",
        "value",
        "unit",
        "date",
        "status",
        "source",
        "reference",
    ]
    assert facts["source"].notna().all()
    assert (facts["source"].str.strip().str.len() > 10).all()
    assert set(facts["status"]) <= set(ep.STATUSES)
    assert set(facts["episode"]) == set(ep.EPISODES)
    assert not facts.duplicated(["episode", "key"]).any()
    assert facts["label"].notna().all() and facts["value"].notna().all()
    for frame in (shipped("daily_closes"), shipped("episode_calibrations")):
        assert frame["source"].notna().all()
        assert (frame["source"].str.strip().str.len() > 10).all()


def test_unconfirmed_rows_say_so_in_their_source():
    facts = shipped("episodes")
    unconfirmed = facts[facts["status"] == "unconfirmed"]
    assert len(unconfirmed) >= 5
    words = ("not confirmed", "not checked", "no primary source")
    for source in unconfirmed["source"]:
        assert any(w in source for w in words), source


def test_references_are_in_the_bibliography():
    from pathlib import Path

    bib = (Path(__file__).resolve().parents[1] / "book" / "references.bib").read_text()
    keys = {k for refs in shipped("episodes")["reference"].dropna() for k in refs.split(";")}
    assert keys
    for key in keys:
        assert f"{{{key}," in bib, key


def test_every_episode_has_the_story_rows():
    for name in ep.EPISODES:
        keys = set(ep.episode(name)["key"])
        assert {"position", "intervention_by", "intervention_kind"} <= keys, name
        assert {"stress_start", "stress_end"} <= keys, name
        start = ep.figure(name, "stress_start")["date"]
        end = ep.figure(name, "stress_end")["date"]
        assert isinstance(start, dt.date) and start < end


def test_values_are_typed_by_unit():
    for name in ep.EPISODES:
        rows = ep.episode(name)
        for value, unit in zip(rows["value"], rows["unit"], strict=True):
            if unit in ("text", "date"):
                assert isinstance(value, str) and value
            else:
                assert isinstance(value, float) and math.isfinite(value)


def test_fact_and_figure_agree():
    rows = ep.episode("covid2020")
    for key, value in zip(rows["key"], rows["value"], strict=True):
        assert ep.fact("covid2020", key) == value
        assert ep.figure("covid2020", key)["value"] == value


def test_labels_and_constants():
    assert set(ep.EPISODE_LABELS) == set(ep.EPISODES)
    assert set(ep.MODELLED) < set(ep.EPISODES) and "gilt2022" not in ep.MODELLED


def test_events_are_the_dated_rows_in_order():
    for name in ep.EPISODES:
        dated = ep.events(name)
        assert dated["date"].notna().all()
        assert list(dated["date"]) == sorted(dated["date"])
        undated = ep.episode(name)["date"].isna().sum()
        assert len(dated) + undated == len(ep.episode(name))


@pytest.mark.parametrize("name", ["ltcm1998", "covid2020", "tariff2025"])
def test_timeline_holds_the_closes_and_the_fitted_curves(name):
    from treasury_rv.curves import gsw_curve

    line = ep.timeline(name)
    closes = line[line["kind"] == "close"]
    shipped_closes = ep.daily_closes(name)
    assert len(closes) == len(shipped_closes)
    assert sorted(closes["rate"]) == sorted(shipped_closes["close"])
    fitted = line[line["kind"] == "fitted par"]
    assert len(fitted) >= 4  # at least two shipped curve dates per US episode
    for row in fitted.itertuples():
        years = 10.0 if row.maturity == "10-year" else 30.0
        assert row.rate == gsw_curve(row.date).par_yield(years)
        start = ep.figure(name, "stress_start")["date"]
        assert abs((row.date - start).days) <= ep.CURVE_WINDOW_DAYS + 40
    # The fitted par yield sits near the close on the same date (within 40bp).
    both = line.pivot_table(index=["date", "maturity"], columns="kind", values="rate").dropna()
    assert len(both) >= 4
    assert ((both["close"] - both["fitted par"]).abs() < 0.004).all()


def test_gilt_timeline_is_empty():
    line = ep.timeline("gilt2022")
    assert line.empty and list(line.columns) == ["date", "maturity", "kind", "rate", "source"]


# --------------------------------------------------------------------------------------------
# Calibrations
# --------------------------------------------------------------------------------------------


def test_calibration_table_shape():
    table = ep.calibration_table()
    assert list(table.columns) == ["episode", "parameter", "value", "unit", "basis", "source"]
    assert set(table["episode"]) == set(ep.MODELLED)
    assert set(table["basis"]) <= {"sourced", "derived", "illustrative"}
    assert not table.duplicated(["episode", "parameter"]).any()
    counts = table.groupby("episode")["parameter"].apply(frozenset)
    assert len(set(counts)) == 1  # the same parameters for every episode
    # Market depth is never measured: illustrative, or derived by fitting it to measured sales.
    depth = table[table["parameter"] == "price_impact_per_bn"]
    assert (depth["basis"] != "sourced").all()


def test_calibrations_use_the_datasets_figures():
    ltcm = ep.calibration("ltcm1998")
    assert ltcm["position"] == ep.fact("ltcm1998", "assets") * 1e9
    assert ltcm["leverage"] == ep.fact("ltcm1998", "leverage_start")
    assert ltcm["haircut"] == pytest.approx(1 / ltcm["leverage"], rel=1e-15)
    # The shock takes the sourced share of capital at the sourced leverage.
    share = ep.fact("ltcm1998", "capital_fall_end_august") / 100
    assert ltcm["shock"] == pytest.approx(-share / ltcm["leverage"], rel=1e-15)
    assert ltcm["intervention_size"] == ep.fact("ltcm1998", "recapitalisation") * 1e9
    covid = ep.calibration("covid2020")
    assert covid["position"] == ep.fact("covid2020", "basis_trade_peak_early_2020") * 1e9
    assert covid["intervention_size"] == ep.fact("covid2020", "purchases_treasuries_march") * 1e9
    assert covid["haircut"] == ep.fact("tariff2025", "triparty_median_haircut") / 100
    assert covid["leverage"] == ep.fact("tariff2025", "leverage_normal")
    tariff = ep.calibration("tariff2025")
    assert tariff["position"] == ep.fact("tariff2025", "swap_spread_trades") * 1e9
    assert tariff["intervention_size"] == 0


@pytest.mark.parametrize("name", ep.MODELLED)
def test_calibration_is_consistent(name):
    cal = ep.calibration(name)
    assert cal["position_type"] in ep.POSITION_TYPES
    assert cal["intervention_kind"] in ep.INTERVENTION_KINDS
    assert cal["equity"] == pytest.approx(cal["position"] / cal["leverage"])
    assert cal["leverage"] <= 1 / cal["haircut"] * (1 + 1e-12)
    assert -1 < cal["shock"] < 0
    # Duration of the episode's bond at the shipped close, and the shock's yield equivalent.
    from treasury_rv.bonds import dv01

    per_bp = dv01(cal["bond"], cal["bond_date"], cal["bond_yield"])
    from treasury_rv.bonds import dirty_price

    dirty = dirty_price(cal["bond"], cal["bond_date"], cal["bond_yield"])
    assert cal["duration"] == pytest.approx(per_bp / dirty * 1e4, rel=1e-4)
    assert cal["shock_bp"] * cal["duration"] / 1e4 == pytest.approx(-cal["shock"])


def test_position_types_cover_the_three_trades():
    assert {ep.calibration(n)["position_type"] for n in ep.MODELLED} == set(ep.POSITION_TYPES)


# --------------------------------------------------------------------------------------------
# The model: identities, directions, determinism
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ep.MODELLED)
@pytest.mark.parametrize("size_share", [0.0, 0.3, 1.0])
def test_path_identities(name, size_share):
    cal = ep.calibration(name)
    size = size_share * max(cal["intervention_size"], 100e9)
    path = ep.episode_path(name, intervention=size)
    assert path["round"].tolist() == list(range(len(path)))
    assert (path["forced_sale"] >= 0).all() and (path["margin_call"] >= 0).all()
    assert (path["absorbed"] <= path["forced_sale"] + 1e-6).all()
    assert (path["absorbed"] >= 0).all() and (path["injected"] >= 0).all()
    # The equity path: equity = position - repo debt, and it changes by injections less losses.
    np.testing.assert_allclose(path["equity"], path["position"] - path["repo_debt"], atol=1e-3)
    change = path["equity"].diff().iloc[1:]
    np.testing.assert_allclose(
        change, (path["injected"] - path["loss"]).iloc[1:], rtol=1e-9, atol=1e-2
    )
    np.testing.assert_allclose(path["cumulative_sold"], path["forced_sale"].cumsum())
    # The margin call is the cash the sale raises: haircut x the sale ordered.
    h = cal["haircut"] + cal["haircut_increase"]
    ordered = path["forced_sale"] / (1 + path["price_change"])
    np.testing.assert_allclose(path["margin_call"], h * ordered, rtol=1e-12)
    # Yield move: the cumulative price fall at the bond's duration.
    np.testing.assert_allclose(
        path["yield_move_bp"], (100 - path["price"]) / 100 / cal["duration"] * 1e4
    )
    assert (path["yield_move_bp"].diff().iloc[1:] >= -1e-9).all()
    assert path["price"].iloc[1] == pytest.approx(100 * (1 + cal["shock"]))


@pytest.mark.parametrize("name", ep.MODELLED)
def test_path_agrees_with_the_primers_spiral(name):
    cal = ep.calibration(name)
    path = ep.episode_path(name)
    spiral = lv.margin_spiral(
        cal["position"],
        cal["equity"],
        cal["haircut"],
        cal["shock"],
        price_impact_per_bn=cal["price_impact_per_bn"],
        haircut_increase=cal["haircut_increase"],
        max_rounds=200,
    )
    for col in ("price", "position", "repo_debt", "equity", "defaulted"):
        np.testing.assert_array_equal(path[col].to_numpy(), spiral[col].to_numpy())
    np.testing.assert_array_equal(path["forced_sale"].to_numpy(), spiral["sold"].to_numpy())


@pytest.mark.parametrize("name", ep.MODELLED)
def test_outcomes_agree_with_the_paths(name):
    out = ep.episode_outcomes().set_index(["episode", "scenario"])
    cal = ep.calibration(name)
    for scenario, size in (("none", 0.0), ("as it happened", cal["intervention_size"])):
        path = ep.episode_path(name, intervention=size)
        row = out.loc[(name, scenario)]
        assert row["forced_sales"] == pytest.approx(path["cumulative_sold"].iloc[-1], rel=1e-12)
        assert row["absorbed"] == pytest.approx(path["absorbed"].sum(), rel=1e-12, abs=1e-6)
        assert row["injected"] == pytest.approx(path["injected"].sum(), rel=1e-12, abs=1e-6)
        assert row["yield_move_bp"] == pytest.approx(path["yield_move_bp"].iloc[-1], rel=1e-12)
        assert row["defaulted"] == path["defaulted"].iloc[-1]
        assert row["rounds"] == path["round"].iloc[-1]
        # Losses: the equity the fund had, plus what was injected, less what is left.
        lost = cal["equity"] + path["injected"].sum() - path["equity"].iloc[-1]
        assert row["total_loss"] == pytest.approx(lost, rel=1e-9)


def test_model_is_deterministic():
    a, b = ep.episodes_table(), ep.episodes_table()
    pd.testing.assert_frame_equal(a, b)
    grid = [ep.intervention_grid("tariff2025", [0.0, 50e9], shocks_bp=[2, 5]) for _ in range(2)]
    pd.testing.assert_frame_equal(*grid)


def test_the_episodes_interventions_in_the_model():
    out = ep.episode_outcomes().set_index(["episode", "scenario"])
    # LTCM: the spiral runs to default alone; the recapitalisation, arriving before the first
    # forced sale, stops it.
    assert out.loc[("ltcm1998", "none"), "defaulted"]
    assert not out.loc[("ltcm1998", "as it happened"), "defaulted"]
    assert out.loc[("ltcm1998", "as it happened"), "injected"] == pytest.approx(3.6e9)
    # March 2020: the purchases cut the forced sales and the yield move.
    none, happened = out.loc[("covid2020", "none")], out.loc[("covid2020", "as it happened")]
    assert happened["forced_sales"] < none["forced_sales"]
    assert happened["yield_move_bp"] < none["yield_move_bp"]
    assert 0 < happened["absorbed"] <= 775e9
    # April 2025: no intervention, so both scenarios are the same.
    pd.testing.assert_series_equal(
        out.loc[("tariff2025", "none")],
        out.loc[("tariff2025", "as it happened")],
        check_names=False,
    )


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(ep.MODELLED),
    st.floats(min_value=0.2, max_value=1.0),
    st.floats(min_value=0.5, max_value=40.0),
    st.integers(min_value=0, max_value=3),
)
def test_more_intervention_never_hurts(name, lev_share, shock_bp, delay):
    cal = ep.calibration(name)
    top = max(1.0, lev_share / cal["haircut"])
    sizes = np.linspace(0, 2 * max(cal["intervention_size"], 100e9), 9)
    grid = ep.intervention_grid(name, sizes, leverages=[top], shocks_bp=[shock_bp], delay=delay)
    assert (grid["forced_sales"] >= 0).all()
    defaulted = grid["defaulted"].to_numpy()
    # A larger intervention never turns survival into default ...
    assert not np.any(defaulted[1:] & ~defaulted[:-1])
    # ... and, short of default, never raises forced sales, the yield move or the loss.
    calm = grid[~grid["defaulted"]]
    for col in ("forced_sales", "yield_move_bp", "total_loss"):
        steps = np.diff(calm[col].to_numpy())
        assert np.all(steps <= 1e-6 * max(1.0, calm[col].abs().max())), col


def test_intervention_grid_shape_and_agreement():
    sizes = [0.0, 100e9, 775e9]
    grid = ep.intervention_grid(
        "covid2020", sizes, leverages=[20, 50], shocks_bp=[2.0, 4.0, 8.0], delay=1
    )
    assert len(grid) == 18
    assert grid["episode"].eq("covid2020").all()
    assert list(grid.columns[:5]) == [
        "episode",
        "leverage",
        "shock_bp",
        "shock",
        "intervention_size",
    ]
    cal = ep.calibration("covid2020")
    for row in grid.sample(6, random_state=2).itertuples():
        out = lv.spiral_outcome(
            cal["position"],
            cal["position"] / row.leverage,
            cal["haircut"],
            -row.shock_bp * cal["duration"] / 1e4,
            price_impact_per_bn=cal["price_impact_per_bn"],
            max_rounds=200,
            backstop=row.intervention_size,
            intervention_delay=1,
        )
        assert out["total_sold"] == pytest.approx(row.forced_sales, rel=1e-12, abs=1e-3)
        assert out["defaulted"] == row.defaulted
    # The calibrated point is in the grid's defaults.
    only = ep.intervention_grid("covid2020", [cal["intervention_size"]])
    assert len(only) == 1
    assert only["leverage"].iloc[0] == cal["leverage"]
    assert only["shock"].iloc[0] == pytest.approx(cal["shock"])


def test_slider_grid_fits_a_chart():
    grid = ep.intervention_grid(
        "covid2020",
        np.linspace(0, 1000e9, 11),
        leverages=np.arange(10, 51, 5),
        shocks_bp=np.arange(1, 11),
    )
    assert len(grid) == 990 <= lv.MAX_GRID_ROWS


def test_episodes_table():
    table = ep.episodes_table()
    assert list(table.columns) == [
        "episode",
        "label",
        "measure",
        "value",
        "unit",
        "basis",
        "status",
        "source",
        "reference",
    ]
    sourced = table[table["basis"] == "sourced"]
    model = table[table["basis"] == "illustrative model"]
    assert set(sourced["episode"]) == set(ep.EPISODES)
    assert set(model["episode"]) == set(ep.MODELLED)
    assert (model["status"] == "model").all()
    assert set(sourced["status"]) <= set(ep.STATUSES)
    # Sourced values are the dataset's figures.
    row = sourced[(sourced["episode"] == "gilt2022") & (sourced["measure"] == "intervention")]
    assert row["value"].item() == ep.fact("gilt2022", "purchases")
    assert row["unit"].item() == "gbp_bn"
    # Days of stress from the sourced dates: 9 to 18 March 2020 is nine days.
    days = sourced.set_index(["episode", "measure"])["value"]
    assert days[("covid2020", "days_of_stress")] == 9
    assert (
        days[("gilt2022", "days_of_stress")] == (dt.date(2022, 10, 14) - dt.date(2022, 9, 22)).days
    )
    # Model values are the model's outcomes.
    out = ep.episode_outcomes().set_index(["episode", "scenario"])
    m = model.set_index(["episode", "measure"])["value"]
    assert m[("covid2020", "model_forced_sales")] == pytest.approx(
        out.loc[("covid2020", "none"), "forced_sales"] / 1e9
    )
    assert m[("ltcm1998", "defaulted")] == 1.0


# --------------------------------------------------------------------------------------------
# Intervention options added to the primer's spiral
# --------------------------------------------------------------------------------------------


def test_zero_intervention_leaves_the_spiral_unchanged():
    base = lv.margin_spiral(1e9, 10e6, 0.01, -0.003, price_impact_per_bn=0.005)
    with_zero = lv.margin_spiral(
        1e9, 10e6, 0.01, -0.003, price_impact_per_bn=0.005, backstop=0.0, recapitalisation=0.0
    )
    pd.testing.assert_frame_equal(base, with_zero.drop(columns=["absorbed", "injected"]))
    assert (with_zero["absorbed"] == 0).all() and (with_zero["injected"] == 0).all()


def test_backstop_takes_sales_without_impact():
    # A backstop large enough to take the first sale: the price stays at the shock's level.
    path = lv.margin_spiral(1e9, 10e6, 0.01, -0.003, price_impact_per_bn=0.005, backstop=1e9)
    assert path["price"].iloc[-1] == pytest.approx(99.7)
    assert path["absorbed"].sum() == pytest.approx(path["sold"].sum())
    # A small one is used up, and the rest of the sales move the price.
    small = lv.margin_spiral(1e9, 10e6, 0.01, -0.003, price_impact_per_bn=0.005, backstop=50e6)
    # The backstop is counted at the amount ordered; ``absorbed`` is what it paid.
    ordered = small["absorbed"] / (1 + small["price_change"])
    assert ordered.sum() == pytest.approx(50e6)
    assert small["price"].iloc[-1] < 99.7


def test_recapitalisation_repays_debt():
    path = lv.margin_spiral(
        1e9, 10e6, 0.01, -0.003, price_impact_per_bn=0.005, recapitalisation=3e6
    )
    # After the shock equity is 7mn against 99.7mn needed at 100x; 3mn more makes 10mn.
    assert path.loc[2, "injected"] == 3e6
    assert path.loc[2, "equity"] == pytest.approx(10e6 - path.loc[2, "loss"])
    out = lv.spiral_outcome(
        1e9, 10e6, 0.01, -0.003, price_impact_per_bn=0.005, recapitalisation=3e6
    )
    assert out["total_injected"] == 3e6
    assert out["total_loss"] == pytest.approx(path["loss"].sum())


def test_delay_postpones_the_intervention():
    kwargs = {"price_impact_per_bn": 0.005, "backstop": 1e9}
    late = lv.margin_spiral(1e9, 10e6, 0.01, -0.002, intervention_delay=1, **kwargs)
    assert late.loc[2, "absorbed"] == 0 and late.loc[3, "absorbed"] > 0
    never = lv.margin_spiral(1e9, 10e6, 0.01, -0.002, intervention_delay=500, **kwargs)
    assert never["absorbed"].sum() == 0


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"backstop": -1.0}, ValueError, "backstop"),
        ({"backstop": "big"}, TypeError, "backstop"),
        ({"recapitalisation": -1.0}, ValueError, "recapitalisation"),
        ({"backstop": 1.0, "intervention_delay": 1.5}, TypeError, "intervention_delay"),
        ({"backstop": 1.0, "intervention_delay": -1}, ValueError, "intervention_delay"),
    ],
)
def test_spiral_intervention_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        lv.margin_spiral(1e9, 10e6, 0.01, -0.002, price_impact_per_bn=0.005, **kwargs)


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: ep.episode("ltcm"), ValueError, "name must be one of"),
        (lambda: ep.episode(1998), TypeError, "name must be a str"),
        (lambda: ep.fact("ltcm1998", "leverage"), ValueError, "key 'leverage' is not a figure"),
        (lambda: ep.fact("ltcm1998", 3), TypeError, "key must be a str"),
        (lambda: ep.figure("gilt2022", "nope"), ValueError, "its keys are"),
        (lambda: ep.daily_closes("2020"), ValueError, "name must be one of"),
        (
            lambda: ep.close_change_bp(
                "covid2020", "DGS5", dt.date(2020, 3, 9), dt.date(2020, 3, 18)
            ),
            ValueError,
            "series must be one of",
        ),
        (
            lambda: ep.close_change_bp(
                "covid2020", "DGS10", dt.date(2020, 3, 10), dt.date(2020, 3, 18)
            ),
            ValueError,
            "start 2020-03-10 has no DGS10 close",
        ),
        (
            lambda: ep.close_change_bp("covid2020", "DGS10", "2020-03-09", dt.date(2020, 3, 18)),
            TypeError,
            "start must be a datetime.date",
        ),
        (lambda: ep.calibration("gilt2022"), ValueError, "name must be one of"),
        (lambda: ep.episode_path("covid2020", intervention=-1.0), ValueError, "intervention"),
        (lambda: ep.episode_path("covid2020", intervention="all"), TypeError, "intervention"),
        (lambda: ep.episode_path("covid2020", delay=1.0), TypeError, "delay"),
        (lambda: ep.episode_path("covid2020", delay=-2), ValueError, "delay"),
        (lambda: ep.intervention_grid("covid2020", [-1.0]), ValueError, "sizes"),
        (lambda: ep.intervention_grid("covid2020", []), ValueError, "sizes must not be empty"),
        (lambda: ep.intervention_grid("covid2020", [0.0], leverages=[60]), ValueError, "leverages"),
        (
            lambda: ep.intervention_grid("covid2020", [0.0], leverages=[0.5]),
            ValueError,
            "leverages",
        ),
        (lambda: ep.intervention_grid("covid2020", [0.0], shocks_bp=[-3]), ValueError, "shocks_bp"),
        (
            lambda: ep.intervention_grid("covid2020", [0.0], shocks_bp=[1e5]),
            ValueError,
            "shocks_bp",
        ),
        (lambda: ep.intervention_grid("covid2020", ["a"]), TypeError, "sizes"),
        (
            lambda: ep.intervention_grid(
                "covid2020", np.zeros(50), leverages=np.arange(10, 50), shocks_bp=np.arange(1, 4)
            ),
            ValueError,
            "at most 5000",
        ),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


# --------------------------------------------------------------------------------------------
# What the calibrated model concludes (the chapter's stated results)
# --------------------------------------------------------------------------------------------


def test_march_2020_depth_is_fitted_to_the_measured_sales():
    # Hedge funds' net Treasury sales in March 2020: $173bn (Banegas, Monin and Petrasek 2021).
    measured = ep.fact("covid2020", "hf_net_treasury_sales") * 1e9
    cal = ep.calibration("covid2020")
    fitted = ep.price_impact_for_sales("covid2020", measured)
    assert cal["price_impact_per_bn"] == pytest.approx(fitted, rel=1e-4)
    out = ep.episode_outcomes().set_index(["episode", "scenario"])
    assert out.loc[("covid2020", "none"), "forced_sales"] == pytest.approx(measured, rel=1e-3)
    # A deeper market sells less, a shallower one more: the fit is on a rising curve.
    lower = ep.price_impact_for_sales("covid2020", 0.9 * measured)
    assert lower < fitted


def test_first_forced_sale_is_set_by_the_shock_alone():
    for name in ep.MODELLED:
        cal = ep.calibration(name)
        path = ep.episode_path(name)
        first = ep.first_forced_sale(name)
        # The round-2 sale ordered is the margin call over the haircut in force.
        ordered = path["margin_call"].iloc[2] / (cal["haircut"] + cal["haircut_increase"])
        assert first == pytest.approx(ordered, rel=1e-9)
    # At maximum leverage, no rise in haircut: -shock x position x (1 / haircut - 1).
    cal = ep.calibration("covid2020")
    closed = -cal["shock"] * cal["position"] * (1 / cal["haircut"] - 1)
    assert ep.first_forced_sale("covid2020") == pytest.approx(closed, rel=1e-12)
    # On the whole $1.45tn of hedge funds' longs the first sale alone would exceed the
    # measured $173bn, so no depth could match it (Banegas, Monin and Petrasek 2021).
    whole = (
        -cal["shock"] * ep.fact("covid2020", "hf_treasury_long") * 1e9 * (1 / cal["haircut"] - 1)
    )
    assert whole > ep.fact("covid2020", "hf_net_treasury_sales") * 1e9


def test_price_impact_for_sales_bad_input():
    with pytest.raises(ValueError, match="sales"):
        ep.price_impact_for_sales("covid2020", 50e9)  # below the first forced sale
    with pytest.raises(ValueError, match="sales"):
        ep.price_impact_for_sales("covid2020", -1.0)
    with pytest.raises(ValueError, match="sales"):
        ep.price_impact_for_sales("covid2020", 1e13)  # more than it can sell before default


def test_march_2020_forced_selling_is_a_small_part_of_the_rise():
    # Vissing-Jorgensen (2021): the 10-year rose 64bp from 9 to 18 March 2020.
    out = ep.episode_outcomes().set_index(["episode", "scenario"])
    move = out.loc[("covid2020", "none"), "yield_move_bp"]
    assert 0 < move < ep.fact("covid2020", "yield_10y_rise") / 4


def test_march_2020_purchases_beyond_what_the_funds_sell_change_nothing():
    out = ep.episode_outcomes().set_index(["episode", "scenario"])
    happened = out.loc[("covid2020", "as it happened")]
    used = happened["absorbed"]
    assert 0 < used < ep.fact("covid2020", "purchases_treasuries_march") * 1e9 / 10
    just_enough = ep.episode_path("covid2020", intervention=used * (1 + 1e-9))
    full = ep.episode_path("covid2020", intervention=775e9)
    assert just_enough["cumulative_sold"].iloc[-1] == pytest.approx(
        full["cumulative_sold"].iloc[-1], rel=1e-9
    )
    assert just_enough["price"].iloc[-1] == pytest.approx(full["price"].iloc[-1], rel=1e-12)


def test_ltcm_rescue_works_only_before_the_first_forced_sale():
    # Built in: the fund starts at its maximum leverage, so any loss forces a sale.
    cal = ep.calibration("ltcm1998")
    assert cal["haircut"] == pytest.approx(1 / cal["leverage"])
    on_time = ep.episode_path("ltcm1998", intervention=cal["intervention_size"], delay=0)
    late = ep.episode_path("ltcm1998", intervention=cal["intervention_size"], delay=1)
    assert not on_time["defaulted"].iloc[-1] and on_time["forced_sale"].sum() == 0
    assert late["defaulted"].iloc[-1] and late["forced_sale"].sum() > 0


# --------------------------------------------------------------------------------------------
# The dated timelines
# --------------------------------------------------------------------------------------------


def test_every_timeline_event_is_dated_and_cited():
    line = ep.official_timeline()
    assert list(line.columns) == ["episode", "date", "event", "status", "source", "reference"]
    assert set(line["episode"]) == set(ep.MODELLED)
    assert all(isinstance(d, dt.date) for d in line["date"])
    assert set(line["status"]) <= set(ep.STATUSES)
    assert (line["source"].str.len() > 10).all() and (line["event"].str.len() > 5).all()
    assert not line.duplicated(["episode", "date"]).any()
    # Every event lies within four months of its episode's dated stress.
    for name, rows in line.groupby("episode"):
        start = ep.figure(name, "stress_start")["date"]
        assert all(abs((d - start).days) <= 120 for d in rows["date"])
    # A cited key is one the bibliography holds.
    bib = (Path(__file__).resolve().parents[1] / "book" / "references.bib").read_text()
    keys = {k for refs in line["reference"] for k in refs.split(";") if k}
    assert keys and all(f"{{{k}," in bib for k in keys)


def test_timelines_hold_the_turning_points():
    # The dates the episodes turn on: the 1998 rescue and the intermeeting cut (GAO 1999;
    # Cleveland Fed 1998), the FOMC of 15 March 2020 (its minutes), the 9 April 2025 pause
    # (Liang 2025).
    line = ep.official_timeline()
    dates = set(zip(line["episode"], line["date"], strict=True))
    for point in (
        ("ltcm1998", dt.date(1998, 9, 23)),
        ("ltcm1998", dt.date(1998, 10, 15)),
        ("covid2020", dt.date(2020, 3, 15)),
        ("covid2020", dt.date(2020, 3, 23)),
        ("tariff2025", dt.date(2025, 4, 9)),
    ):
        assert point in dates
    # The timeline agrees with the dataset where both date an event.
    assert ep.figure("tariff2025", "tariff_pause")["date"] == dt.date(2025, 4, 9)
    assert ep.figure("ltcm1998", "stress_end")["date"] == dt.date(1998, 9, 23)
    with pytest.raises(ValueError, match="name"):
        ep.official_timeline("gilt2022")
