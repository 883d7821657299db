"""The short's delivery choice: how the cheapest-to-deliver bond switches, and what that is worth.

Two illustrative models built on the basis arithmetic of :mod:`treasury_rv.futures`.

**CTD grid** (:func:`ctd_grid`). Every bond's yield moves at once by a parallel shift ``s``
plus a twist ``k`` (the longest bond's yield moves ``k/2`` up, the shortest ``k/2`` down, the
others in proportion to their remaining term). Prices are repriced at settlement and carried to
delivery at the repo rate. The futures price follows the cheapest delivery: the no-option
futures price is ``min_i forward_i / CF_i``, so that the CTD's net basis is zero; a quoted
``futures_price`` adds today's gap between it and that model price, held fixed across
scenarios. The CTD is the bond with the lowest net basis (the delivery that costs least: every
contract takes the same face of whichever bond is delivered). Each bond can be carried to its
own delivery day (its best day, from :func:`treasury_rv.futures.best_delivery_days`), so that
a negative-carry bond is not charged carry it would never pay. On a flat curve, with yields
below the 6% notional coupon the shortest-duration bonds are cheapest; above it, the longest.

**Switch option** (:func:`switch_option_value`). Yields move by the time of delivery by a
normal shock with standard deviation ``vol_bp * sqrt(T)`` (and, optionally, a twist); as in
the grid, each scenario's delivery price ``P_i`` is the forward price of the bond repriced at
the moved yield. At delivery the futures converges to the cheapest bond,
``F_T = min_i P_i / CF_i``, so a long holding today's CTD against ``CF_CTD`` futures collects
``P_CTD - CF_CTD * F_T >= 0``: zero if the CTD stays cheapest, positive if another bond takes
over. The option value is the mean of that over the scenarios (undiscounted, in 32nds). In a
market that prices it fairly, the CTD's net basis is about this value.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from treasury_rv._validate import (
    as_date,
    as_float_array,
    as_real,
    check_nonnegative,
    check_positive,
    check_rate,
)
from treasury_rv.bonds import clean_price
from treasury_rv.futures import (
    FuturesContract,
    _basket,
    _forward,
    _implied_repo,
    _parse,
    _per_bond,
    _period,
    _stack,
)

__all__ = ["SwitchOption", "ctd_grid", "switch_option_value"]

#: Days in a year for scaling an annual yield volatility to the time to delivery.
DAYS_PER_YEAR = 365.25


class _Scenarios:
    """Forward prices of a deliverable basket under yield moves (see the module notes)."""

    def __init__(self, bonds, yields, contract, settle, delivery, repo_rate):
        fut = _parse(contract)
        self.bonds, self.labels, self.cf = _basket(bonds, fut)
        n = len(self.bonds)
        self.yields = _per_bond(yields, "yields", n, check_rate)
        self.repo = _per_bond(repo_rate, "repo_rate", n, check_rate)
        self.settle = as_date(settle, "settle")
        if isinstance(delivery, (dt.date, str)):
            delivery = [delivery] * n
        elif not hasattr(delivery, "__len__") or len(delivery) != n:
            raise ValueError(f"delivery must be a date or one date per bond ({n})")
        periods = [_period(b, self.settle, d) for b, d in zip(self.bonds, delivery, strict=True)]
        self.period = _stack(periods, (-1, 1))
        years = np.array([(b.maturity - self.settle).days / DAYS_PER_YEAR for b in self.bonds])
        spread = years.max() - years.min()
        mid = (years.max() + years.min()) / 2
        #: Share of a twist each bond's yield takes: -1/2 (shortest) to +1/2 (longest).
        self.twist_weight = (years - mid) / spread if spread > 0 else np.zeros(n)

    def prices(self, moves_bp: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Clean prices, full prices and forward prices, shape (bonds, scenarios)."""
        clean = np.vstack(
            [
                clean_price(b, self.settle, y + m / 1e4)
                for b, y, m in zip(self.bonds, self.yields, moves_bp, strict=True)
            ]
        )
        full = clean + self.period.ai_settle
        forward = _forward(full, self.period, self.repo[:, None])
        return clean, full, forward


def _grid(values: object, name: str) -> np.ndarray:
    arr = np.atleast_1d(as_float_array(values, name))
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-d sequence of basis points")
    return arr


def ctd_grid(
    bonds,
    yields,
    futures_price: float | None,
    contract: str | FuturesContract,
    settle: dt.date,
    delivery: dt.date,
    repo_rate,
    shifts_bp,
    twists_bp=None,
) -> pd.DataFrame:
    """Net basis, implied repo and CTD of each bond under parallel shifts and twists.

    Illustrative model (module notes): yields move by ``shift + twist x weight``, prices are
    carried to delivery at repo, and the futures price is the cheapest delivery price
    ``min_i forward_i / CF_i`` (plus, if ``futures_price`` is given, today's gap between it and
    that model price).

    Parameters
    ----------
    bonds : sequence of Treasury
        Deliverable basket.
    yields : sequence of float
        Today's yields, decimals, one per bond.
    futures_price : float or None
        Today's futures price, points per 100, or None for the no-option model price.
    contract : str or FuturesContract
        Contract code such as ``"TYM25"``.
    settle : datetime.date
        Settlement date.
    delivery : datetime.date or sequence of datetime.date
        Delivery date, after ``settle``, or one per bond (each bond's best delivery day, as
        :func:`treasury_rv.futures.best_delivery_days` gives it).
    repo_rate : float or sequence of float
        Term repo rate to delivery, decimal, ACT/360 (one, or one per bond).
    shifts_bp : sequence of float
        Parallel yield shifts, basis points.
    twists_bp : sequence of float, optional
        Twists, basis points: the change in the longest-minus-shortest yield spread
        (positive steepens). Default: no twist.

    Returns
    -------
    pandas.DataFrame
        One row per twist, shift and bond (in that order). Columns: ``shift_bp``,
        ``twist_bp``, ``bond`` (label), ``yield`` (decimal), ``price`` (clean, per 100),
        ``futures_price`` (model, per 100), ``net_basis_32nds``, ``implied_repo`` (decimal),
        ``is_ctd`` (bool; lowest net basis in the scenario).

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.futures import deliverable_basket
    >>> basket = [deliverable_basket("TYM25")[i] for i in (0, 11)]  # Dec-31 7y, May-33 10y
    >>> g = ctd_grid(basket, [0.0405, 0.0418], None, "TYM25", dt.date(2025, 4, 3),
    ...              dt.date(2025, 6, 2), 0.043, [-200, 0, 200])
    >>> g.loc[g["is_ctd"], ["shift_bp", "bond"]].values.tolist()
    [[-200.0, 'T 4 1/2 12/31/31'], [0.0, 'T 4 1/2 12/31/31'], [200.0, 'T 3 3/8 05/15/33']]
    """
    basket = _Scenarios(bonds, yields, contract, settle, delivery, repo_rate)
    shifts = _grid(shifts_bp, "shifts_bp")
    twists = np.zeros(1) if twists_bp is None else _grid(twists_bp, "twists_bp")
    twist_col = np.repeat(twists, shifts.size)
    shift_col = np.tile(shifts, twists.size)
    moves = shift_col[None, :] + basket.twist_weight[:, None] * twist_col[None, :]
    # the last column is today's yields, for the quoted price's gap to the model price
    clean, full, forward = basket.prices(np.hstack([moves, np.zeros((moves.shape[0], 1))]))
    model = (forward / basket.cf[:, None]).min(axis=0)
    if futures_price is None:
        premium = 0.0
    else:
        premium = float(check_positive(futures_price, "futures_price")) - model[-1]
    clean, full, forward, model = clean[:, :-1], full[:, :-1], forward[:, :-1], model[:-1]
    futures = model + premium
    if np.any(futures <= 0):
        raise ValueError("futures_price is too far below the model price for these scenarios")
    invoice_clean = futures[None, :] * basket.cf[:, None]
    irr = _implied_repo(full, invoice_clean, basket.period)
    net = 32 * (forward - invoice_clean)
    n, m = clean.shape
    ctd = np.arange(n)[:, None] == net.argmin(axis=0)
    return pd.DataFrame(
        {
            "shift_bp": np.repeat(shift_col, n),
            "twist_bp": np.repeat(twist_col, n),
            "bond": np.tile(np.array(basket.labels, dtype=object), m),
            "yield": (basket.yields[:, None] + moves / 1e4).T.ravel(),
            "price": clean.T.ravel(),
            "futures_price": np.repeat(futures, n),
            "net_basis_32nds": net.T.ravel(),
            "implied_repo": irr.T.ravel(),
            "is_ctd": ctd.T.ravel(),
        }
    )


@dataclass(frozen=True)
class SwitchOption:
    """Value of the short's switch (quality) option in an illustrative yield-scenario model.

    Attributes
    ----------
    value_32nds : float
        Expected basis of today's CTD at delivery, 32nds per 100 (undiscounted).
    standard_error_32nds : float
        Monte Carlo standard error of ``value_32nds``.
    ctd : str
        Label of today's CTD: the lowest forward price per CF, the note the futures track
        (at the no-option futures price, the note with the lowest net basis).
    ctd_net_basis_32nds : float
        Today's net basis of the CTD at the quoted futures price, 32nds.
    switch_probability : float
        Share of scenarios in which another bond is cheapest at delivery.
    delivery_shares : dict of str to float
        Share of scenarios in which each bond is cheapest at delivery.
    """

    value_32nds: float
    standard_error_32nds: float
    ctd: str
    ctd_net_basis_32nds: float
    switch_probability: float
    delivery_shares: dict[str, float]


def switch_option_value(
    bonds,
    yields,
    futures_price: float,
    contract: str | FuturesContract,
    settle: dt.date,
    delivery: dt.date,
    repo_rate,
    vol_bp: float,
    *,
    twist_vol_bp: float = 0.0,
    n_scenarios: int = 20_000,
    seed: int = 0,
) -> SwitchOption:
    """Value the short's option to deliver whichever bond is cheapest (illustrative).

    Yields move to delivery by a parallel shift ~ N(0, vol_bp x sqrt(T)) and, if
    ``twist_vol_bp`` > 0, an independent twist ~ N(0, twist_vol_bp x sqrt(T)), with T in
    years (days / 365.25). In each scenario the futures converges to the cheapest forward
    price per CF; the option value is the mean basis of today's CTD at delivery (module
    notes). Only the switch option is valued, not the timing, end-of-month or wild-card options.

    Parameters
    ----------
    bonds : sequence of Treasury
        Deliverable basket.
    yields : sequence of float
        Today's yields, decimals, one per bond.
    futures_price : float
        Today's futures price, points per 100 (for today's CTD and its net basis).
    contract : str or FuturesContract
        Contract code such as ``"TYM25"``.
    settle : datetime.date
        Settlement date.
    delivery : datetime.date or sequence of datetime.date
        Delivery date, after ``settle``, or one per bond; yields move over the time to the
        latest of them.
    repo_rate : float or sequence of float
        Term repo rate to delivery, decimal, ACT/360.
    vol_bp : float
        Normal volatility of yields, basis points a year (e.g. 100), non-negative.
    twist_vol_bp : float, default 0
        Normal volatility of the twist (longest-minus-shortest spread), basis points a year.
    n_scenarios : int, default 20000
        Number of yield scenarios.
    seed : int, default 0
        Seed of the :class:`numpy.random.Generator`; the same seed gives the same value.

    Returns
    -------
    SwitchOption

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.futures import deliverable_basket
    >>> basket = [deliverable_basket("TYM25")[i] for i in (0, 11)]  # Dec-31 7y, May-33 10y
    >>> opt = switch_option_value(basket, [0.0405, 0.0418], 110.5, "TYM25",
    ...     dt.date(2025, 4, 3), dt.date(2025, 6, 2), 0.043, vol_bp=100)
    >>> opt.ctd, opt.value_32nds > 0
    ('T 4 1/2 12/31/31', True)
    """
    basket = _Scenarios(bonds, yields, contract, settle, delivery, repo_rate)
    quoted = float(check_positive(futures_price, "futures_price"))
    vol = float(check_nonnegative(as_real(vol_bp, "vol_bp"), "vol_bp"))
    twist_vol = float(check_nonnegative(as_real(twist_vol_bp, "twist_vol_bp"), "twist_vol_bp"))
    if isinstance(n_scenarios, bool) or not isinstance(n_scenarios, int) or n_scenarios < 2:
        raise ValueError(f"n_scenarios must be an int of at least 2, got {n_scenarios!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")

    n = len(basket.bonds)
    _, _, forward0 = basket.prices(np.zeros((n, 1)))
    # Today's CTD is the note the futures track, the lowest forward price per CF: the note
    # the scenarios converge to when yields do not move (so the option is worth nothing then).
    ctd = int(np.argmin(forward0[:, 0] / basket.cf))
    ctd_net_basis = 32 * (forward0[ctd, 0] - quoted * basket.cf[ctd])

    scale = math.sqrt(float(np.max(basket.period.days)) / DAYS_PER_YEAR)
    shocks = np.random.default_rng(seed).standard_normal((2, n_scenarios)) * scale
    moves = vol * shocks[0][None, :] + twist_vol * basket.twist_weight[:, None] * shocks[1]
    _, _, forward = basket.prices(moves)
    per_cf = forward / basket.cf[:, None]
    cheapest = per_cf.argmin(axis=0)
    basis_at_delivery = 32 * basket.cf[ctd] * (per_cf[ctd] - per_cf.min(axis=0))
    shares = np.bincount(cheapest, minlength=n) / n_scenarios
    return SwitchOption(
        value_32nds=float(basis_at_delivery.mean()),
        standard_error_32nds=float(basis_at_delivery.std(ddof=1) / math.sqrt(n_scenarios)),
        ctd=basket.labels[ctd],
        ctd_net_basis_32nds=float(ctd_net_basis),
        switch_probability=float(1 - shares[ctd]),
        delivery_shares=dict(zip(basket.labels, shares.tolist(), strict=True)),
    )
