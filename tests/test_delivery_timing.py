"""The TYM25 basket dataset, the delivery calendar, and the timing of delivery."""

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from treasury_rv.data import shipped
from treasury_rv.delivery import ctd_grid, switch_option_value
from treasury_rv.futures import (
    best_delivery_days,
    carry,
    contract,
    conversion_factor,
    deliverable_basket,
    delivery_day_grid,
    forward_price,
    implied_repo_rate,
    is_deliverable,
    net_basis,
    no_option_price,
    zero_carry_repo_rate,
)

D = dt.date
SETTLE = D(2025, 4, 3)
REPO = 0.043
TYM25 = contract("TYM25")
# The basket as it stood on 3 April 2025 (the April and May 7-year notes were not yet issued).
BASKET = [b for b in deliverable_basket("TYM25") if b.issue_date <= SETTLE]
PRICES = [102.59, 101.85, 100.34, 100.32, 86.95, 92.61, 91.50, 100.10, 95.84, 94.78]
F = 110.5


# --------------------------------------------------------------------------------------------
# The shipped basket
# --------------------------------------------------------------------------------------------


def test_basket_dataset_is_cited_and_complete():
    table = shipped("deliverable_baskets")
    rows = table.loc[table["contract"] == "TYM25"]
    # FACTS §1: six 7-year notes Dec 2031 - May 2032 and six 10-year notes Feb 2032 - May 2033.
    assert rows["note"].value_counts().to_dict() == {"7-year": 6, "10-year": 6}
    assert rows["source"].str.len().gt(20).all()
    assert set(rows["status"]) <= {"secondary", "unconfirmed"}
    assert rows["maturity"].min() == D(2031, 12, 31)
    assert rows["maturity"].max() == D(2033, 5, 15)


def test_basket_coupons_follow_the_auction_rule():
    # 31 CFR 356.20: the coupon is the high yield rounded down to the nearest 1/8 of 1%.
    rows = shipped("deliverable_baskets").dropna(subset=["auction_high_yield"])
    assert len(rows) == 10
    for y, c in zip(rows["auction_high_yield"], rows["coupon"], strict=True):
        assert c == pytest.approx(np.floor(y * 800 + 1e-9) / 800)


def test_every_shipped_note_is_deliverable_and_its_neighbours_are_not():
    basket = deliverable_basket("TYM25")
    assert [b.name for b in basket[:2]] == ["T 4 1/2 12/31/31", "T 4 3/8 01/31/32"]
    assert all(is_deliverable(b, "TYM25") for b in basket)
    # 7-year note of 30 Nov 2031: 6y5m29d from 1 June 2025, short of 6y6m.
    from treasury_rv.bonds import Treasury

    nov31 = Treasury(0.04125, D(2031, 11, 30), issue_date=D(2024, 12, 2))
    aug33 = Treasury(0.03875, D(2033, 8, 15), issue_date=D(2023, 8, 15))  # 8y2m: too long
    assert not is_deliverable(nov31, "TYM25")
    assert not is_deliverable(aug33, "TYM25")
    # Before the rule change the same 10-year note was deliverable into TYM23.
    assert is_deliverable(aug33, "TYZ23") is False
    assert is_deliverable(Treasury(0.0275, D(2032, 8, 15), issue_date=D(2022, 8, 15)), "TYM23")


def test_unknown_basket_names_the_argument():
    with pytest.raises(ValueError, match="contract must be one of the shipped baskets"):
        deliverable_basket("TYU25")


# --------------------------------------------------------------------------------------------
# The delivery calendar (CBOT rules; CME Clearing Advisory 08-100 for the three-day cycle)
# --------------------------------------------------------------------------------------------


def test_tym25_calendar_from_the_rules():
    assert TYM25.first_intention_day == D(2025, 5, 29)  # Thursday
    assert TYM25.first_notice_day == D(2025, 5, 30)  # Friday
    assert TYM25.first_delivery_day == D(2025, 6, 2)  # Monday
    assert TYM25.last_trading_day == D(2025, 6, 18)  # Juneteenth (19 June) is a holiday
    assert TYM25.last_intention_day == D(2025, 6, 26)
    assert TYM25.last_delivery_day == D(2025, 6, 30)
    cal = TYM25.calendar()
    assert cal["date"].is_monotonic_increasing
    assert len(TYM25.delivery_days()) == 20  # June 2025 has 21 weekdays, less Juneteenth


def test_two_year_calendar_delivers_into_the_next_month():
    tu = contract("TUM25")
    assert tu.last_trading_day == D(2025, 6, 30)
    assert tu.last_delivery_day == D(2025, 7, 3)
    assert tu.last_intention_day == D(2025, 7, 1)


# --------------------------------------------------------------------------------------------
# Timing: the best delivery day and the value of choosing it
# --------------------------------------------------------------------------------------------


def test_delivery_day_grid_matches_the_basis_functions():
    grid = delivery_day_grid(BASKET, PRICES, F, "TYM25", SETTLE, REPO)
    assert len(grid) == 20 * len(BASKET)
    bond, price = BASKET[4], PRICES[4]  # the 1 7/8% of Feb-2032
    for day in (D(2025, 6, 2), D(2025, 6, 17), D(2025, 6, 30)):
        row = grid[(grid["delivery"] == day) & (grid["bond"] == bond.name)].iloc[0]
        cf = row["cf"]
        assert row["implied_repo"] == pytest.approx(
            implied_repo_rate(bond, price, F, cf, SETTLE, day), abs=1e-14
        )
        assert row["net_basis_32nds"] == pytest.approx(
            32 * net_basis(bond, price, F, cf, SETTLE, day, REPO), abs=1e-10
        )


def test_best_day_follows_the_sign_of_carry():
    best = best_delivery_days(BASKET, PRICES, F, "TYM25", SETTLE, REPO).set_index("bond")
    for bond, price in zip(BASKET, PRICES, strict=True):
        # carry over the delivery month: the fall in the forward price from its first day to
        # its last (both from today's price at today's repo rate)
        first, last = TYM25.first_delivery_day, TYM25.last_delivery_day
        c = forward_price(bond, price, SETTLE, first, REPO) - forward_price(
            bond, price, SETTLE, last, REPO
        )
        expected = TYM25.first_delivery_day if c < 0 else TYM25.last_delivery_day
        assert best.loc[bond.name, "best_day"] == expected


def test_timing_value_is_the_carry_over_the_delivery_month():
    best = best_delivery_days(BASKET, PRICES, F, "TYM25", SETTLE, REPO).set_index("bond")
    first, last = TYM25.first_delivery_day, TYM25.last_delivery_day
    for bond, price in zip(BASKET, PRICES, strict=True):
        row = best.loc[bond.name]
        nb_first = 32 * net_basis(bond, price, F, 1.0, SETTLE, first, REPO)
        nb_last = 32 * net_basis(bond, price, F, 1.0, SETTLE, last, REPO)
        # The difference of net bases does not depend on F x CF: it is the forward drift.
        assert row["timing_value_32nds"] == pytest.approx(abs(nb_last - nb_first), abs=1e-9)
        assert row["timing_value_32nds"] >= 0
    # The 1 7/8% note: about 4.7/32 of negative carry over June at 4.30% repo.
    assert best.loc["T 1 7/8 02/15/32", "timing_value_32nds"] == pytest.approx(4.69, abs=0.02)


@settings(max_examples=30, deadline=None)
@given(repo=st.floats(0.0, 0.08), futures=st.floats(100.0, 120.0))
def test_best_day_is_never_worse_than_either_end(repo, futures):
    best = best_delivery_days(BASKET, PRICES, futures, "TYM25", SETTLE, repo)
    assert (best["net_basis_32nds"] <= best["net_basis_first_32nds"] + 1e-12).all()
    assert (best["net_basis_32nds"] <= best["net_basis_last_32nds"] + 1e-12).all()
    assert best["ctd"].sum() == 1


def test_coupon_in_the_delivery_month_uses_the_coupon_formula():
    # TYU25 (Sep 2025): the 3 3/8% of May-2033 pays no coupon in September, but bought on
    # 1 Aug 2025 the 2 3/4% of Aug-2032 pays 1.375 on 15 Aug before any September delivery.
    # IRR = (F CF + AI_del + C - P_full) x 360 / (P_full d - C d_C) (Burghardt & Belton).
    bond = deliverable_basket("TYM25")[8]
    settle, day = D(2025, 8, 1), D(2025, 9, 2)
    price, fut, cf = 92.0, 112.0, 0.8135
    from treasury_rv.bonds import accrued_interest

    full = price + accrued_interest(bond, settle)
    c, d, d_c = 1.375, (day - settle).days, (day - D(2025, 8, 15)).days
    expected = (fut * cf + accrued_interest(bond, day) + c - full) * 360 / (full * d - c * d_c)
    assert implied_repo_rate(bond, price, fut, cf, settle, day) == pytest.approx(
        expected, abs=1e-13
    )


def test_timing_bad_input():
    with pytest.raises(ValueError, match="settle"):
        best_delivery_days(BASKET, PRICES, F, "TYM25", D(2025, 6, 3), REPO)
    with pytest.raises(ValueError, match="clean_prices"):
        delivery_day_grid(BASKET, PRICES[:3], F, "TYM25", SETTLE, REPO)
    with pytest.raises(ValueError, match="settle .* before bond"):
        delivery_day_grid(deliverable_basket("TYM25"), 102.0, F, "TYM25", SETTLE, REPO)


def test_cheapest_is_the_lowest_net_basis_even_when_implied_repo_ranks_otherwise():
    # On the curve prices of 3 April 2025 the 4 1/2% Dec-2031 (positive carry, best delivered on
    # 30 June) costs least to deliver, while the 4 3/8% Jan-2032 (best on 2 June) has the higher
    # implied repo to its own best day: an annual rate over 60 days (to 2 June) against one over
    # 88 (to 30 June).
    from treasury_rv.curves import gsw_curve, price_on_curve

    curve = gsw_curve(D(2025, 4, 2))
    prices = np.round(256 * np.array([price_on_curve(b, SETTLE, curve) for b in BASKET])) / 256
    best = best_delivery_days(BASKET, prices, 111.53125, "TYM25", SETTLE, REPO)
    ctd = best.loc[best["ctd"]].iloc[0]
    assert ctd["net_basis_32nds"] == best["net_basis_32nds"].min()
    assert ctd["bond"] == "T 4 1/2 12/31/31"
    assert best.loc[best["implied_repo"].idxmax(), "bond"] == "T 4 3/8 01/31/32"
    # To one common day, 2 June, the two rankings agree again.
    from treasury_rv.futures import basket_table

    june2 = basket_table(BASKET, prices, 111.53125, "TYM25", SETTLE, D(2025, 6, 2), REPO)
    assert june2.loc[june2["ctd"], "bond"].iloc[0] == "T 4 1/2 12/31/31"
    assert june2["net_basis_32nds"].idxmin() == june2["implied_repo"].idxmax()


# --------------------------------------------------------------------------------------------
# The no-option price, the zero-carry repo rate and the last notice day
# --------------------------------------------------------------------------------------------


def test_no_option_price_zeroes_the_cheapest_net_basis():
    f = no_option_price(BASKET, PRICES, TYM25, SETTLE, REPO)
    best = best_delivery_days(BASKET, PRICES, f, TYM25, SETTLE, REPO)
    # At that price the CTD's net basis to its best day is zero and every other note's is
    # positive (identity: net basis = CF x (forward / CF - F)).
    assert best["net_basis_32nds"].min() == pytest.approx(0.0, abs=1e-9)
    assert (best["net_basis_32nds"] >= -1e-9).all()
    by_hand = min(
        forward_price(b, p, SETTLE, d, REPO) / conversion_factor(b.coupon, b.maturity, TYM25)
        for b, p, d in zip(BASKET, PRICES, best["best_day"], strict=True)
    )
    assert f == pytest.approx(by_hand, abs=1e-12)


def test_the_ctd_depends_on_the_futures_price():
    # The basis chapter once named a CTD at a placeholder futures price. Net basis is
    # forward - F x CF, so a higher F favours the notes with the larger factors: two notes
    # can swap places as F moves, although their best delivery days do not change.
    pair = [BASKET[0], BASKET[4]]  # 4 1/2% Dec-31 (CF 0.92), 1 7/8% Feb-32 (CF 0.78)
    prices = [PRICES[0], PRICES[4]]
    days = None
    ctds = set()
    for f in (100.0, 105.0, 110.0, 115.0, 120.0):
        best = best_delivery_days(pair, prices, f, TYM25, SETTLE, REPO)
        days = best["best_day"].tolist() if days is None else days
        assert best["best_day"].tolist() == days
        ctds.add(best.loc[best["ctd"], "bond"].item())
    assert len(ctds) == 2


def test_no_option_price_bad_input():
    with pytest.raises(ValueError, match="settle"):
        no_option_price(BASKET, PRICES, TYM25, D(2025, 6, 2), REPO)
    with pytest.raises(ValueError, match="clean_prices"):
        no_option_price(BASKET, PRICES[:3], TYM25, SETTLE, REPO)
    with pytest.raises(ValueError, match="repo_rate"):
        no_option_price(BASKET, PRICES, TYM25, SETTLE, 4.3)


def test_zero_carry_repo_rate_by_hand():
    # 4 1/8% of 31 March 2032 from 3 April to 2 June 2025, no coupon in between: coupon income
    # = AI(2 June) - AI(3 April) = 2.0625 x 63/183 - 2.0625 x 3/183 (ACT/ACT half-years from
    # 31 March to 30 September 2025, 183 days).
    bond, price = BASKET[3], 100.32
    income = 2.0625 * (63 - 3) / 183
    full = price + 2.0625 * 3 / 183
    expected = income * 360 / (full * 60)
    r = zero_carry_repo_rate(bond, price, SETTLE, D(2025, 6, 2))
    assert r == pytest.approx(expected, rel=1e-12)
    assert carry(bond, price, SETTLE, D(2025, 6, 2), r) == pytest.approx(0.0, abs=1e-12)


def test_zero_carry_repo_rate_sets_the_best_day():
    # Carry to the last delivery day changes sign at the zero-carry rate, and the best day of a
    # note flips from the last delivery day to the first (the timing option).
    ctd, price = BASKET[0], PRICES[0]  # coupon paid on the last delivery day, 30 June
    r = zero_carry_repo_rate(ctd, price, SETTLE, TYM25.last_delivery_day)
    assert carry(ctd, price, SETTLE, TYM25.last_delivery_day, r) == pytest.approx(0, abs=1e-12)
    below = best_delivery_days([ctd], [price], F, TYM25, SETTLE, r - 1e-4)
    above = best_delivery_days([ctd], [price], F, TYM25, SETTLE, r + 1e-4)
    assert below["best_day"].item() == TYM25.last_delivery_day
    assert above["best_day"].item() == TYM25.first_delivery_day


def test_zero_carry_repo_rate_bad_input():
    with pytest.raises(ValueError, match="clean_price"):
        zero_carry_repo_rate(BASKET[0], -1.0, SETTLE, D(2025, 6, 30))
    with pytest.raises(ValueError, match="delivery"):
        zero_carry_repo_rate(BASKET[0], 100.0, SETTLE, SETTLE)


def test_last_notice_day_is_day_two_of_the_last_cycle():
    # CME Clearing Advisory 08-100: day 1 intention, day 2 notice (the short selects the
    # instruments it will deliver), day 3 delivery.
    assert TYM25.last_notice_day == D(2025, 6, 27)  # Friday before Monday 30 June
    assert (TYM25.last_notice_day - TYM25.last_trading_day).days == 9
    events = dict(zip(TYM25.calendar()["event"], TYM25.calendar()["date"], strict=True))
    assert events["Last intention day"] < events["Last notice day"] < events["Last delivery day"]
    assert contract("TUM25").last_notice_day == D(2025, 7, 2)  # delivers on Thu 3 July


# --------------------------------------------------------------------------------------------
# Each note to its own delivery day in the switch models
# --------------------------------------------------------------------------------------------


def test_ctd_grid_with_each_note_to_its_own_day():
    pair = [BASKET[0], BASKET[4]]
    yields = [0.0406, 0.0410]
    days = [TYM25.last_delivery_day, TYM25.first_delivery_day]
    grid = ctd_grid(pair, yields, None, TYM25, SETTLE, days, REPO, [0.0])
    prices = grid["price"].tolist()
    # At zero shift the model price is the no-option price with those delivery days, and the
    # net basis of each note is the one to its own day.
    assert grid["futures_price"].iloc[0] == pytest.approx(
        min(
            forward_price(b, p, SETTLE, d, REPO) / conversion_factor(b.coupon, b.maturity, TYM25)
            for b, p, d in zip(pair, prices, days, strict=True)
        ),
        abs=1e-12,
    )
    for (_, row), b, d in zip(grid.iterrows(), pair, days, strict=True):
        nb = net_basis(
            b, row["price"], row["futures_price"],
            conversion_factor(b.coupon, b.maturity, TYM25), SETTLE, d, REPO,
        )  # fmt: skip
        assert row["net_basis_32nds"] == pytest.approx(32 * nb, abs=1e-9)
    assert grid["is_ctd"].sum() == 1
    assert grid.loc[grid["is_ctd"], "net_basis_32nds"].item() == pytest.approx(0.0, abs=1e-9)


def test_switch_option_with_each_note_to_its_own_day():
    pair = [BASKET[0], BASKET[4]]
    yields = [0.0406, 0.0410]
    days = [TYM25.last_delivery_day, TYM25.first_delivery_day]
    one_day = switch_option_value(pair, yields, F, TYM25, SETTLE, days[0], REPO, vol_bp=0.0)
    per_note = switch_option_value(pair, yields, F, TYM25, SETTLE, days, REPO, vol_bp=0.0)
    # With no volatility nothing switches, so the option is worth nothing either way.
    assert one_day.value_32nds == per_note.value_32nds == 0.0
    # Carrying the negative-carry note to 30 June instead of 2 June overstates its net basis
    # by its carry over the month.
    grid_one = ctd_grid(pair, yields, F, TYM25, SETTLE, days[0], REPO, [0.0])
    grid_own = ctd_grid(pair, yields, F, TYM25, SETTLE, days, REPO, [0.0])
    assert grid_one["net_basis_32nds"].iloc[1] > grid_own["net_basis_32nds"].iloc[1]
    with pytest.raises(ValueError, match="delivery"):
        ctd_grid(pair, yields, F, TYM25, SETTLE, days[:1], REPO, [0.0])


# --------------------------------------------------------------------------------------------
# The position through Liberation Day, on the Fed's fitted curves
# --------------------------------------------------------------------------------------------


def test_basis_position_through_liberation_day():
    from treasury_rv.bonds import modified_duration, yield_to_maturity
    from treasury_rv.curves import gsw_curve, price_on_curve
    from treasury_rv.futures import basis_position_path

    days = [
        (D(2025, 4, 2), SETTLE),
        (D(2025, 4, 4), D(2025, 4, 7)),
        (D(2025, 4, 9), D(2025, 4, 10)),
    ]
    curves = {c: gsw_curve(c) for c, _ in days + [(D(2025, 4, 11), None)]}
    # NY Fed (Perli, 9 May 2025): by 11 April longer-term yields were about 30bp above their
    # 2 April level. The fitted 10-year par yield agrees to within 15bp.
    rise = curves[D(2025, 4, 11)].par_yield(10.0) - curves[D(2025, 4, 2)].par_yield(10.0)
    assert 0.0015 < rise < 0.0045

    f0 = None
    ctds, futures, ctd_prices, durations = [], [], [], []
    for c, s in days:
        prices = np.round(256 * np.array([price_on_curve(b, s, curves[c]) for b in BASKET])) / 256
        f = no_option_price(BASKET, prices, TYM25, s, REPO)
        f0 = f if f0 is None else f0
        best = best_delivery_days(BASKET, prices, f, TYM25, s, REPO)
        ctd = BASKET[int(np.flatnonzero(best["ctd"])[0])]
        ctds.append(ctd)
        futures.append(f)
        ctd_prices.append(prices[0])
        i = BASKET.index(ctd)
        durations.append(modified_duration(ctd, s, yield_to_maturity(ctd, s, prices[i])))
    # The duration rule: yields rose from 4 to 9 April, and the CTD on 9 April is a note of
    # at least the duration of the 4 April CTD.
    assert durations[2] >= durations[1]

    settles = [s for _, s in days]
    path = basis_position_path(
        settles, ctd_prices, futures, bond=BASKET[0], contract=TYM25, face=100e6,
        repo_rate=REPO, haircut=0.0, initial_margin=2_000.0, equity=2e6,
    )  # fmt: skip
    contracts = round(100e6 * conversion_factor(BASKET[0].coupon, BASKET[0].maturity, TYM25) / 1e5)
    # Identities: variation margin is contracts x $1,000 a point of the futures' daily move, and
    # the bond leg marks the face times the change in clean price.
    assert np.allclose(path["variation_margin"].iloc[1:], -contracts * 1_000 * np.diff(futures))
    assert np.allclose(path["bond_pnl"], 1e6 * (np.array(ctd_prices) - ctd_prices[0]))
    assert np.allclose(path["basis_pnl"], path["bond_pnl"] + path["futures_pnl"])
