"""The on-the-run/off-the-run trade: P&L identities, breakeven, margin, the premium model."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from treasury_rv import leverage
from treasury_rv.auctions import auction_cycle
from treasury_rv.bonds import Treasury, accrued_interest, clean_price, dv01
from treasury_rv.curves import gsw_curve
from treasury_rv.data import shipped
from treasury_rv.onoff import (
    DEFAULT_SHORT_FACE,
    MAX_CYCLE_ROWS,
    LiquidityPremium,
    benchmark_gap_bp,
    breakeven_convergence_bp,
    fails_charge,
    fails_charge_rate,
    hedge_face,
    illustrative_cycle,
    max_specialness_bp,
    real_pair,
    rich_cheap,
    trade_pnl,
    widening_margin,
)

D = dt.date
# April 2025: 10y on the run 4 5/8% 15 Feb 2035, first off the run 4 1/4% 15 Nov 2034
# (FACTS.md section 5). Yields here are round illustrative numbers near the 4.20% 10-year
# close of 2 April 2025 (FRED DGS10, FACTS.md section 4), not quotes for these notes.
ON = Treasury(0.04625, D(2035, 2, 15))
OFF = Treasury(0.0425, D(2034, 11, 15))
ENTRY, EXIT = D(2025, 4, 3), D(2025, 5, 15)
ENTRY_YIELDS = (0.0420, 0.0422)


def pnl(
    exit_yields, *, gc=0.043, special=0.0, exit_=EXIT, entry_yields=ENTRY_YIELDS, on=ON, off=OFF
):
    return trade_pnl(
        on,
        off,
        ENTRY,
        exit_,
        entry_yields=entry_yields,
        exit_yields=exit_yields,
        gc_rate=gc,
        specialness_bp=special,
    )


# --------------------------------------------------------------------------------------------
# Sizing
# --------------------------------------------------------------------------------------------


def test_hedge_face_equalises_dv01():
    long_face = hedge_face(ON, OFF, ENTRY, *ENTRY_YIELDS)
    on_dv01 = dv01(ON, ENTRY, ENTRY_YIELDS[0]) * DEFAULT_SHORT_FACE / 100
    off_dv01 = dv01(OFF, ENTRY, ENTRY_YIELDS[1]) * long_face / 100
    assert on_dv01 == pytest.approx(off_dv01, rel=1e-12)
    # The shorter, lower-coupon old note needs a little more face.
    assert long_face > DEFAULT_SHORT_FACE
    assert hedge_face(ON, ON, ENTRY, 0.042, 0.042, short_face=5e6) == pytest.approx(5e6)


# --------------------------------------------------------------------------------------------
# P&L identities
# --------------------------------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(st.floats(min_value=-50, max_value=50))
def test_dv01_neutral_pair_barely_moves_with_a_parallel_shift(shift_bp):
    # Both yields move by the same amount overnight, no financing: what is left is the
    # convexity difference and a day's pull to par, a small fraction of either leg's move.
    exit_ = D(2025, 4, 4)
    s = shift_bp / 1e4
    row = pnl((ENTRY_YIELDS[0] + s, ENTRY_YIELDS[1] + s), gc=0.0, exit_=exit_).iloc[0]
    one_leg = abs(DEFAULT_SHORT_FACE / 100 * dv01(ON, ENTRY, ENTRY_YIELDS[0]) * shift_bp)
    assert row["convergence_pnl"] == pytest.approx(0.0, abs=1e-6)
    assert abs(row["market_pnl"]) <= 0.01 * one_leg + 2_000
    assert row["spread_change_bp"] == pytest.approx(0.0, abs=1e-9)


def test_the_parts_add_up_and_broadcast():
    ons = np.array([0.041, 0.042, 0.043])
    out = pnl((ons, 0.0421), special=np.array([[0.0], [30.0]]))
    assert len(out) == 6
    total = out["carry"] - out["specialness_cost"] + out["convergence_pnl"] + out["market_pnl"]
    np.testing.assert_allclose(out["total_pnl"], total, rtol=0, atol=1e-6)


def test_carry_by_hand():
    # Independent carry: coupon income of each leg (accrual, plus the 15 May coupon of the
    # May/November note; the February note pays in August) less GC interest on the dirty
    # price, ACT/360, for 42 days.
    out = pnl(ENTRY_YIELDS, gc=0.043).iloc[0]
    tau = 42 / 360
    long_face = out["long_face"]

    def leg(bond, y, coupons_paid):
        dirty = clean_price(bond, ENTRY, y) + accrued_interest(bond, ENTRY)
        income = accrued_interest(bond, EXIT) - accrued_interest(bond, ENTRY)
        income += coupons_paid * 100 * bond.coupon / 2
        return income - dirty * 0.043 * tau

    assert accrued_interest(OFF, EXIT) == 0.0  # a coupon date
    expected = long_face / 100 * leg(OFF, 0.0422, 1) - DEFAULT_SHORT_FACE / 100 * leg(ON, 0.0420, 0)
    assert out["carry"] == pytest.approx(expected, rel=1e-12)


def test_carry_and_specialness_signs():
    # Long $104mn of the 4 1/4% against short $100mn of the 4 5/8%: the long earns less
    # coupon (4.42 a year against 4.625 per 100 of the short), so with no financing the carry
    # is negative; GC then charges the long's value and pays on the short's, both ~$100mn.
    no_gc = pnl(ENTRY_YIELDS, gc=0.0).iloc[0]
    assert no_gc["carry"] < 0
    # A higher GC rate costs more on the larger (long) leg than it earns on the short.
    assert pnl(ENTRY_YIELDS, gc=0.05).iloc[0]["carry"] < pnl(ENTRY_YIELDS, gc=0.03).iloc[0]["carry"]
    # Specialness is a cost, one for one on the short's proceeds, ACT/360.
    base = pnl(ENTRY_YIELDS).iloc[0]
    special = pnl(ENTRY_YIELDS, special=25.0).iloc[0]
    dirty = clean_price(ON, ENTRY, 0.042) + accrued_interest(ON, ENTRY)
    expected_cost = DEFAULT_SHORT_FACE / 100 * dirty * 25e-4 * 42 / 360
    assert special["specialness_cost"] == pytest.approx(expected_cost, rel=1e-12)
    assert base["total_pnl"] - special["total_pnl"] == pytest.approx(expected_cost, rel=1e-9)
    assert special["carry"] == base["carry"]


@pytest.mark.parametrize("narrowing_bp", [0.5, 1.0, 3.0])
def test_convergence_pays_about_dv01_times_the_narrowing(narrowing_bp):
    # The off-the-run's yield falls relative to the on-the-run's: the long gains about its
    # DV01 times the narrowing.
    exit_yields = (ENTRY_YIELDS[0], ENTRY_YIELDS[1] - narrowing_bp / 1e4)
    row = pnl(exit_yields).iloc[0]
    approx = row["long_face"] / 100 * dv01(OFF, EXIT, ENTRY_YIELDS[1]) * narrowing_bp
    assert row["spread_change_bp"] == pytest.approx(-narrowing_bp, abs=1e-9)
    assert row["convergence_pnl"] == pytest.approx(approx, rel=2e-3)
    widening = pnl((ENTRY_YIELDS[0] - narrowing_bp / 1e4, ENTRY_YIELDS[1])).iloc[0]
    assert widening["convergence_pnl"] < 0


# --------------------------------------------------------------------------------------------
# Breakeven: convergence pays the specialness (Krishnamurthy, JFE 66, 2002, on why the
# trade's average profit is close to zero after repo costs)
# --------------------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(st.floats(min_value=0, max_value=150), st.floats(min_value=0.0, max_value=0.06))
def test_breakeven_convergence_makes_the_total_zero(special, gc):
    narrowing = breakeven_convergence_bp(
        ON, OFF, ENTRY, EXIT, entry_yields=ENTRY_YIELDS, gc_rate=gc, specialness_bp=special
    )
    row = pnl((ENTRY_YIELDS[0], ENTRY_YIELDS[1] - narrowing / 1e4), gc=gc, special=special)
    row = row.iloc[0]
    assert row["total_pnl"] == pytest.approx(0.0, abs=1e-4)
    assert row["convergence_pnl"] == pytest.approx(
        row["specialness_cost"] - row["carry"] - row["market_pnl"], abs=1e-4
    )


@pytest.mark.parametrize("special", [5.0, 25.0, 100.0])
def test_breakeven_convergence_equals_the_specialness_cost_for_identical_legs(special):
    # Short and long the same note: carry and market P&L cancel exactly, so the breakeven
    # convergence P&L is the specialness cost itself.
    narrowing = breakeven_convergence_bp(
        ON, ON, ENTRY, EXIT, entry_yields=(0.042, 0.042), gc_rate=0.043, specialness_bp=special
    )
    row = pnl(
        (0.042, 0.042 - narrowing / 1e4), special=special, entry_yields=(0.042, 0.042), off=ON
    ).iloc[0]
    assert row["carry"] == pytest.approx(0.0, abs=1e-8)
    assert row["market_pnl"] == pytest.approx(0.0, abs=1e-8)
    assert row["convergence_pnl"] == pytest.approx(row["specialness_cost"], rel=1e-9)
    assert narrowing > 0
    # More specialness needs more convergence.
    more = breakeven_convergence_bp(
        ON,
        ON,
        ENTRY,
        EXIT,
        entry_yields=(0.042, 0.042),
        gc_rate=0.043,
        specialness_bp=special + 10,
    )
    assert more > narrowing


# --------------------------------------------------------------------------------------------
# Leverage and margin, through treasury_rv.leverage
# --------------------------------------------------------------------------------------------


def test_widening_margin_uses_the_leverage_model():
    out = widening_margin(
        ON, OFF, ENTRY, ENTRY_YIELDS, [0.0, 2.0, 10.0, 40.0], equity=4e6, haircut=0.01
    )
    gross = out["gross"].iloc[0]
    # Loss: the short leg's price rise for its yield falling by the widening.
    p0 = clean_price(ON, ENTRY, 0.042)
    expected = [
        DEFAULT_SHORT_FACE / 100 * (clean_price(ON, ENTRY, 0.042 - w / 1e4) - p0)
        for w in (0.0, 2.0, 10.0, 40.0)
    ]
    np.testing.assert_allclose(out["pair_loss"], expected, rtol=1e-12)
    # The same numbers as the leverage module's own margin call on the gross position.
    direct = leverage.margin_call(gross, 4e6, 0.01, -np.array(expected) / gross)
    np.testing.assert_allclose(out["call"], direct["call"], rtol=1e-12)
    np.testing.assert_allclose(out["shortfall"], direct["shortfall"], rtol=1e-12)
    assert out["call"].iloc[0] == 0
    # 40bp of widening on a ~$210mn gross pair with $4mn of equity wipes out most of it.
    assert out["sale"].iloc[-1] > 0
    assert (np.diff(out["pair_loss"]) > 0).all()


# --------------------------------------------------------------------------------------------
# The illustrative premium model
# --------------------------------------------------------------------------------------------


def test_premium_shapes():
    model = LiquidityPremium()
    a = np.linspace(0, 0.999, 400)
    on = model.premium_bp(a)
    # Smaller just after the auction than later in the cycle (Pasquariello and Vega 2009).
    assert on[0] < on.max()
    assert on[0] == pytest.approx(model.peak_bp * model.share_after_auction)
    # A jump down at the next auction (Barclay, Hendershott and Kotz 2006: volume falls >90%).
    before, after = model.premium_bp(1 - 1e-12), model.premium_bp(1.0)
    assert after == pytest.approx(before * model.share_kept_off_the_run, rel=1e-9)
    # Then a decay with age.
    off = model.premium_bp(np.linspace(1, 5, 50))
    assert (np.diff(off) < 0).all()
    # Specialness rises into the next auction (Moulton 2004), then drops off the run.
    spec = model.specialness_bp(a)
    assert (np.diff(spec) > 0).all()
    assert model.specialness_bp(1.0) == model.off_the_run_specialness_bp
    assert model.premium_bp(a).shape == a.shape
    assert isinstance(model.premium_bp(0.5), float)


def test_premium_model_parameters():
    with pytest.raises(dataclasses.FrozenInstanceError):
        LiquidityPremium().peak_bp = 5.0  # type: ignore[misc]
    flat = LiquidityPremium(share_after_auction=1.0, decline_by_next_auction=0.0)
    assert flat.premium_bp(0.3) == pytest.approx(flat.peak_bp)
    with pytest.raises(ValueError, match="peak_bp must not be negative"):
        LiquidityPremium(peak_bp=-1.0)
    with pytest.raises(ValueError, match="build_up_cycles must be positive"):
        LiquidityPremium(build_up_cycles=0.0)
    with pytest.raises(ValueError, match="share_kept_off_the_run must be a share"):
        LiquidityPremium(share_kept_off_the_run=20.0)
    with pytest.raises(TypeError, match="peak_bp"):
        LiquidityPremium(peak_bp="3")
    with pytest.raises(ValueError, match="age_cycles must not be negative"):
        LiquidityPremium().premium_bp(-0.1)
    with pytest.raises(ValueError, match="age_cycles must be finite"):
        LiquidityPremium().specialness_bp(np.nan)


# --------------------------------------------------------------------------------------------
# An illustrative cycle
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ten_year_cycle():
    # From the Feb-2035 note's issue (18 Feb 2025) to the May-2035 note's (15 May 2025), on
    # the Fed's curve of 2 April 2025 held fixed. Illustrative.
    return illustrative_cycle(10, D(2025, 2, 18), gsw_curve(D(2025, 4, 2)), gc_rate=0.043)


def test_cycle_path(ten_year_cycle):
    path = ten_year_cycle
    cycle = auction_cycle(10, D(2025, 2, 18))
    assert len(path) == cycle.cycle_days + 1 <= MAX_CYCLE_ROWS
    assert path["date"].iloc[-1] == cycle.next_issue.issue_date
    assert path.iloc[0][["carry", "convergence_pnl", "total_pnl"]].tolist() == [0.0, 0.0, 0.0]
    assert path["on_age_cycles"].iloc[0] == 0.0 and path["on_age_cycles"].iloc[-1] == 1.0
    assert path["off_age_cycles"].iloc[0] == 1.0
    # The parts add up every day; the specialness cost only grows.
    total = path["carry"] - path["specialness_cost"] + path["convergence_pnl"]
    np.testing.assert_allclose(path["total_pnl"], total + path["market_pnl"], atol=1e-6)
    assert (np.diff(path["specialness_cost"]) >= 0).all()
    # The premium builds after the auction, so the trade is under water mid-cycle, and the
    # jump at the next issue brings the convergence.
    assert path["total_pnl"].min() < 0
    assert path["convergence_pnl"].iloc[-1] > 0
    assert path["premium_gap_bp"].iloc[-1] < path["premium_gap_bp"].iloc[0]


def test_cycle_with_defaults_roughly_breaks_even(ten_year_cycle):
    # With the defaults the convergence over a 10-year cycle roughly pays the specialness, the
    # shape of Krishnamurthy's (2002) finding; illustrative, not a historical figure.
    last = ten_year_cycle.iloc[-1]
    assert abs(last["total_pnl"]) < 0.25 * last["specialness_cost"]


def test_cycle_is_deterministic_and_takes_options(ten_year_cycle):
    again = illustrative_cycle(10, D(2025, 2, 18), gsw_curve(D(2025, 4, 2)), gc_rate=0.043)
    assert again.equals(ten_year_cycle)
    no_special = LiquidityPremium(
        specialness_after_auction_bp=0.0, specialness_before_next_auction_bp=0.0
    )
    free = illustrative_cycle(
        10,
        D(2025, 2, 18),
        gsw_curve(D(2025, 4, 2)),
        gc_rate=0.043,
        model=no_special,
        end=D(2025, 3, 18),
        coupons=(0.04625, 0.0425),
    )
    assert len(free) == 29
    assert (free["specialness_cost"] == 0).all()
    # Leverage at 1 / haircut: return on equity is P&L over 2% of the gross.
    assert free["return_on_equity"].iloc[-1] != 0


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------


def test_bad_input():
    kw = {"entry_yields": ENTRY_YIELDS, "exit_yields": ENTRY_YIELDS, "gc_rate": 0.043}
    with pytest.raises(TypeError, match="on_the_run must be a Treasury"):
        trade_pnl("ON", OFF, ENTRY, EXIT, **kw)
    with pytest.raises(TypeError, match="off_the_run must be a Treasury"):
        trade_pnl(ON, None, ENTRY, EXIT, **kw)
    with pytest.raises(ValueError, match="exit .* must be after entry"):
        trade_pnl(ON, OFF, EXIT, ENTRY, **kw)
    with pytest.raises(ValueError, match="before the maturity of off_the_run"):
        trade_pnl(ON, OFF, ENTRY, D(2034, 11, 15), **kw)
    with pytest.raises(TypeError, match="entry"):
        trade_pnl(ON, OFF, "2025-04-03", EXIT, **kw)
    with pytest.raises(ValueError, match="gc_rate .* looks like a percentage"):
        trade_pnl(ON, OFF, ENTRY, EXIT, **{**kw, "gc_rate": 4.3})
    with pytest.raises(ValueError, match="specialness_bp must not be negative"):
        trade_pnl(ON, OFF, ENTRY, EXIT, **kw, specialness_bp=-5.0)
    with pytest.raises(TypeError, match="exit_yields must be a pair"):
        trade_pnl(ON, OFF, ENTRY, EXIT, **{**kw, "exit_yields": 0.042})
    with pytest.raises(ValueError, match=r"entry_yields\[1\] must be finite"):
        trade_pnl(ON, OFF, ENTRY, EXIT, **{**kw, "entry_yields": (0.042, np.nan)})
    with pytest.raises(ValueError, match="do not broadcast"):
        trade_pnl(ON, OFF, ENTRY, EXIT, **{**kw, "exit_yields": ([0.04, 0.05], [0.04] * 3)})
    with pytest.raises(ValueError, match="short_face must be positive"):
        trade_pnl(ON, OFF, ENTRY, EXIT, **kw, short_face=0.0)
    with pytest.raises(ValueError, match="on_yield .* looks like a percentage"):
        hedge_face(ON, OFF, ENTRY, 4.2, 0.042)
    with pytest.raises(TypeError, match="specialness_bp"):
        breakeven_convergence_bp(
            ON, OFF, ENTRY, EXIT, entry_yields=ENTRY_YIELDS, gc_rate=0.04, specialness_bp=None
        )
    with pytest.raises(ValueError, match="widening_bp must not be negative"):
        widening_margin(ON, OFF, ENTRY, ENTRY_YIELDS, -1.0, equity=4e6, haircut=0.01)
    with pytest.raises(ValueError, match="haircut must be strictly between"):
        widening_margin(ON, OFF, ENTRY, ENTRY_YIELDS, 1.0, equity=4e6, haircut=2.0)
    with pytest.raises(ValueError, match="equity must cover the haircut"):
        widening_margin(ON, OFF, ENTRY, ENTRY_YIELDS, 1.0, equity=1e5, haircut=0.01)
    curve = gsw_curve(D(2025, 4, 2))
    with pytest.raises(ValueError, match="tenor must be one of"):
        illustrative_cycle(4, D(2025, 2, 18), curve, gc_rate=0.043)
    with pytest.raises(TypeError, match="curve must be a SvenssonCurve"):
        illustrative_cycle(10, D(2025, 2, 18), None, gc_rate=0.043)
    with pytest.raises(TypeError, match="model must be a LiquidityPremium"):
        illustrative_cycle(10, D(2025, 2, 18), curve, gc_rate=0.043, model={})
    with pytest.raises(ValueError, match="end .* must be after start"):
        illustrative_cycle(10, D(2025, 2, 18), curve, gc_rate=0.043, end=D(2025, 2, 18))
    with pytest.raises(ValueError, match="at most"):
        illustrative_cycle(10, D(2025, 2, 18), curve, gc_rate=0.043, end=D(2045, 2, 18))
    with pytest.raises(TypeError, match="coupons must be a pair"):
        illustrative_cycle(10, D(2025, 2, 18), curve, gc_rate=0.043, coupons=0.04)
    with pytest.raises(ValueError, match="haircut"):
        illustrative_cycle(10, D(2025, 2, 18), curve, gc_rate=0.043, haircut=0.0)


# --------------------------------------------------------------------------------------------
# The real pairs and the refitted curve
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "coupons", "maturities"),
    [
        # FACTS.md section 5: LTCM's 30-year pair, and the 10-year pairs of 2020 and 2025.
        (D(1998, 8, 31), (0.055, 0.06125), (D(2028, 8, 15), D(2027, 11, 15))),
        (D(2020, 3, 18), (0.015, 0.0175), (D(2030, 2, 15), D(2029, 11, 15))),
        (D(2025, 4, 9), (0.04625, 0.0425), (D(2035, 2, 15), D(2034, 11, 15))),
    ],
)
def test_real_pair_by_date(date, coupons, maturities):
    pair = real_pair(date)
    assert (pair.on_the_run.coupon, pair.first_off_the_run.coupon) == coupons
    assert (pair.on_the_run.maturity, pair.first_off_the_run.maturity) == maturities
    assert pair.first_off_the_run.issue_date < pair.on_the_run.issue_date <= date
    assert "not yet checked" in pair.source


@pytest.mark.parametrize("date", [D(2021, 3, 1), D(2025, 1, 10), D(2025, 6, 1), "x"])
def test_real_pair_rejects_dates_it_does_not_cover(date):
    with pytest.raises((ValueError, TypeError), match="date"):
        real_pair(date)


@pytest.mark.parametrize("date", [D(1998, 10, 5), D(2020, 3, 9), D(2025, 4, 2)])
def test_rich_cheap_recovers_the_fed_curve_and_shows_the_premium(date):
    model = LiquidityPremium()
    out = rich_cheap(date, model=model)
    table = out.bonds
    off_set = table.loc[table["kind"] == "off-the-run set"]
    # The off-the-run set is priced on the Fed's curve: the fit recovers it to a small
    # fraction of a basis point in par yield from 1 to 30 years.
    years = np.linspace(1, 30, 59)
    gap_bp = 1e4 * np.abs(out.fitted.par_yield(years) - out.fed.par_yield(years))
    assert gap_bp.max() < 0.1
    assert off_set["residual_bp"].abs().max() < 0.01
    assert len(off_set) >= 100
    # The pair's residuals are minus the modelled premiums (rich to the curve).
    pair = table.loc[table["kind"] != "off-the-run set"].set_index("kind")
    fraction = auction_cycle(out.pair.tenor, date).cycle_fraction
    expected = {
        "on-the-run": model.premium_bp(fraction),
        "first off-the-run": model.premium_bp(1 + fraction),
    }
    for kind, premium in expected.items():
        assert pair.loc[kind, "premium_bp"] == pytest.approx(premium)
        assert pair.loc[kind, "residual_bp"] == pytest.approx(-premium, abs=0.01)
    assert pair.loc["on-the-run", "residual_bp"] < pair.loc["first off-the-run", "residual_bp"] < 0


def test_rich_cheap_with_no_premium_puts_the_pair_on_the_curve():
    flat = LiquidityPremium(peak_bp=0.0)
    table = rich_cheap(D(2025, 4, 2), model=flat).bonds
    assert table["residual_bp"].abs().max() < 0.01
    # A coarser set still fits (about 30 bonds).
    coarse = rich_cheap(D(2025, 4, 2), spacing_months=12).bonds
    assert 30 <= len(coarse) <= 32


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"date": D(2025, 4, 3)}, ValueError, "date must be one of the shipped"),
        ({"date": D(2025, 4, 2), "model": "flat"}, TypeError, "model"),
        ({"date": D(2025, 4, 2), "spacing_months": 0}, ValueError, "spacing_months"),
        ({"date": D(2025, 4, 2), "spacing_months": 1.5}, TypeError, "spacing_months"),
    ],
)
def test_rich_cheap_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        rich_cheap(**kwargs)


# --------------------------------------------------------------------------------------------
# The CMT less fitted-curve proxy
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("date", [D(1998, 8, 31), D(2020, 3, 18), D(2025, 4, 9)])
@pytest.mark.parametrize("tenor", [10, 30])
def test_benchmark_gap_is_cmt_less_fitted_par_yield(date, tenor):
    # The CMT closes are FRED's DGS10/DGS30 (FACTS.md section 4): 2025-04-09 10y 4.34, 30y 4.72.
    closes = shipped("daily_closes").set_index(["date", "series"])["close"]
    par = gsw_curve(date).par_yield(float(tenor))
    expected = (closes.loc[(date, f"DGS{tenor}")] - par) * 1e4
    assert benchmark_gap_bp(date, tenor) == pytest.approx(expected, abs=1e-9)


def test_benchmark_gap_reads_the_published_closes():
    # FRED DGS10 4.34% on 9 April 2025 and DGS30 0.99% on 9 March 2020 (FACTS.md section 4).
    par10 = gsw_curve(D(2025, 4, 9)).par_yield(10.0)
    par30 = gsw_curve(D(2020, 3, 9)).par_yield(30.0)
    assert benchmark_gap_bp(D(2025, 4, 9)) == pytest.approx((0.0434 - par10) * 1e4, abs=1e-6)
    assert benchmark_gap_bp(D(2020, 3, 9), 30) == pytest.approx((0.0099 - par30) * 1e4, abs=1e-6)
    # Every shipped Fed curve date has both closes.
    for d in shipped("gsw_svensson")["date"]:
        assert np.isfinite([benchmark_gap_bp(d, 10), benchmark_gap_bp(d, 30)]).all()


@pytest.mark.parametrize(
    ("date", "tenor", "match"),
    [(D(2025, 4, 3), 10, "date"), (D(2025, 4, 2), 20, "tenor"), (D(2025, 4, 2), True, "tenor")],
)
def test_benchmark_gap_bad_input(date, tenor, match):
    with pytest.raises(ValueError, match=match):
        benchmark_gap_bp(date, tenor)


# --------------------------------------------------------------------------------------------
# The fit with a pricing error: residual dispersion
# --------------------------------------------------------------------------------------------


def test_noisy_fit_residual_dispersion_is_the_pricing_error():
    # Each yield gets an independent N(0, sigma) error; a six-parameter fit to about 116 bonds
    # absorbs little of it, so the set's residual RMS is close to sigma (sampling error ~7%).
    clean = rich_cheap(D(2025, 4, 2))
    assert clean.dispersion_bp < 0.01
    noisy = rich_cheap(D(2025, 4, 2), pricing_error_bp=1.0, seed=7)
    table = noisy.bonds
    off_set = table.loc[table["kind"] == "off-the-run set"]
    draws = off_set["pricing_error_bp"].to_numpy()
    assert noisy.dispersion_bp == pytest.approx(np.sqrt(np.mean(off_set["residual_bp"] ** 2)))
    assert 0.75 < noisy.dispersion_bp < 1.25
    # The fit removes at most its six parameters' worth of the draws' variance.
    assert noisy.dispersion_bp <= np.sqrt(np.mean(draws**2)) + 1e-9
    # Residuals follow the draws: the set's residuals are the errors less a smooth fit error.
    assert np.corrcoef(draws, off_set["residual_bp"])[0, 1] > 0.95
    # The pair's residual is its own draw less its premium, up to the fit's error there.
    pair = table.loc[table["kind"] != "off-the-run set"]
    expected = pair["pricing_error_bp"] - pair["premium_bp"]
    assert np.abs(pair["residual_bp"] - expected).max() < 0.5


def test_noisy_fit_is_seeded_and_scales_with_the_error():
    a = rich_cheap(D(2025, 4, 2), pricing_error_bp=1.0, seed=3)
    b = rich_cheap(D(2025, 4, 2), pricing_error_bp=1.0, seed=3)
    c = rich_cheap(D(2025, 4, 2), pricing_error_bp=1.0, seed=4)
    assert a.bonds["residual_bp"].equals(b.bonds["residual_bp"])
    assert not np.allclose(a.bonds["pricing_error_bp"], c.bonds["pricing_error_bp"])
    # The same draws at twice the size: the fit is close to linear in small yield errors.
    double = rich_cheap(D(2025, 4, 2), pricing_error_bp=2.0, seed=3)
    assert double.dispersion_bp == pytest.approx(2 * a.dispersion_bp, rel=0.02)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"pricing_error_bp": -1.0}, ValueError, "pricing_error_bp"),
        ({"pricing_error_bp": 30.0}, ValueError, "pricing_error_bp"),
        ({"seed": 1.5}, TypeError, "seed"),
    ],
)
def test_noisy_fit_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        rich_cheap(D(2025, 4, 2), **kwargs)


# --------------------------------------------------------------------------------------------
# The TMPG fails charge and the cap on specialness
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("floor", "rate"),
    [
        # TMPG Treasury fails charge: max(3% - TR, 0) a year, TR = lower limit of the fed funds
        # target range (Garbade et al., FRBNY EPR, Oct 2010). Target-range floors: 0% from
        # 16 Dec 2008 and 16 Mar 2020; 0.25% from 17 Dec 2015; 4.25% from 19 Dec 2024.
        (0.0, 0.03),
        (0.0025, 0.0275),
        (0.0425, 0.0),
        (0.03, 0.0),
    ],
)
def test_fails_charge_rate(floor, rate):
    assert fails_charge_rate(floor) == pytest.approx(rate, abs=1e-15)


def test_fails_charge_dollars_and_the_specialness_cap():
    # $100mn failed for one day at a zero floor: 100e6 x 3% / 360.
    assert fails_charge(100e6, 1, 0.0) == pytest.approx(100e6 * 0.03 / 360)
    assert fails_charge(100e6, 10, 0.0) == pytest.approx(10 * fails_charge(100e6, 1, 0.0))
    assert fails_charge(100e6, 5, 0.0425) == 0.0
    # Borrowing at repo rate r beats failing while r > -c: the cap is GC + c.
    assert max_specialness_bp(0.0430, 0.0425) == pytest.approx(430.0)
    assert max_specialness_bp(0.0001, 0.0) == pytest.approx(301.0)
    # A special repo rate below -c costs more than the fail it avoids.
    gc, floor = 0.0010, 0.0
    cap = max_specialness_bp(gc, floor) / 1e4
    for r in (gc - cap + 0.0001, gc - cap - 0.0001):
        borrow_gain = r  # lend the proceeds at r
        fail_gain = -fails_charge_rate(floor)  # no proceeds, pay the charge
        assert (borrow_gain > fail_gain) == (r > gc - cap)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: fails_charge_rate(4.25), "fed_funds_target_floor"),
        (lambda: fails_charge(-1.0, 1, 0.0), "proceeds"),
        (lambda: fails_charge(1e6, -1, 0.0), "days"),
        (lambda: fails_charge(1e6, 1.5, 0.0), "days"),
        (lambda: max_specialness_bp(4.3, 0.0), "gc_rate"),
    ],
)
def test_fails_charge_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
