"""Repo financing, haircuts and leverage: the repo ladder, returns, margin calls and forced sales.

A fund buys Treasuries and finances them in repo. The lender advances the market value of the
collateral less a haircut ``h`` (a fraction: 0.02 for 2%), so each dollar of the fund's own money,
its equity, can carry at most ``1 / h`` dollars of bonds. This module puts numbers on that chain:
how the leverage is built (:func:`repo_ladder`), what it does to returns
(:func:`return_on_equity`, :func:`levered_return`), what a price fall does to equity and margin
(:func:`equity_after_move`, :func:`margin_call`, :func:`forced_sale`, :func:`margin_thresholds`,
:func:`haircut_hike`), and how forced sales can feed on themselves (:func:`margin_spiral`,
:func:`spiral_outcome`, :func:`spiral_grid`, :func:`spiral_amplification`; an illustrative
model).

Balance sheet
-------------
The fund holds bonds worth ``position`` dollars, all pledged in repo at haircut ``h``. Its repo
debt is ``(1 - h) * position`` and the equity not tied up in haircuts, ``equity - h * position``,
is spare cash. So ``equity = position + spare cash - repo debt`` and leverage is
``position / equity``, at most ``1 / h``. When the collateral falls in value the lender asks for
variation margin so that the loan is again ``(1 - h)`` times the collateral; the fund pays from
spare cash and, when that runs out, sells bonds. Each dollar of bonds sold repays the ``1 - h``
lent against it and frees ``h`` of cash, so a cash shortfall ``X`` needs a sale of ``X / h``.

Units: money in dollars; haircuts and price changes as fractions (``-0.01`` is a 1% fall); rates
as decimals; spreads and costs in basis points (``_bp``); leverage as a multiple of equity.
"""

from __future__ import annotations

import math
from numbers import Integral

import numpy as np
import pandas as pd

from treasury_rv._validate import (
    as_float_array,
    as_real,
    check_fraction,
    check_nonnegative,
    check_positive,
    check_rate,
)

__all__ = [
    "DEFAULT_LADDER_TARGET",
    "MAX_GRID_ROWS",
    "MAX_LADDER_ROUNDS",
    "equity_after_move",
    "forced_sale",
    "haircut_hike",
    "ladder_limit",
    "levered_return",
    "margin_call",
    "margin_spiral",
    "margin_thresholds",
    "max_leverage",
    "repo_ladder",
    "return_on_equity",
    "spiral_amplification",
    "spiral_grid",
    "spiral_outcome",
]

#: Most rounds :func:`repo_ladder` will draw (a 0.5% haircut needs about 1,400 to get within 0.1%).
MAX_LADDER_ROUNDS = 2000

#: Share of the limit ``equity / haircut`` that :func:`repo_ladder` climbs to by default.
DEFAULT_LADDER_TARGET = 0.999

#: Most rows :func:`spiral_grid` returns, so that a chart's data stays small.
MAX_GRID_ROWS = 5000

_BP = 1e4
_BN = 1e9
# Relative slack, as a share of the position, for "equity covers the haircut" and "equity is
# gone", so that a position at exactly the maximum leverage, or a shock of exactly
# equity / position, is not misjudged over rounding error.
_SLACK = 1e-12


# --------------------------------------------------------------------------------------------
# Argument checks specific to this module
# --------------------------------------------------------------------------------------------


def _result(arr: np.ndarray) -> float | np.ndarray:
    return float(arr) if arr.ndim == 0 else arr


def _positive_scalar(value: object, name: str) -> float:
    return float(check_positive(as_real(value, name), name))


def _fraction_scalar(value: object, name: str) -> float:
    return float(check_fraction(as_real(value, name), name))


def _leverage(value: object, name: str = "leverage") -> np.ndarray:
    arr = as_float_array(value, name)
    if np.any(arr < 1):
        raise ValueError(f"{name} must be at least 1 (position / equity), got {float(arr.min())!r}")
    return arr


def _price_change(value: object, name: str = "price_change") -> np.ndarray:
    arr = as_float_array(value, name)
    if np.any(np.abs(arr) > 1):
        bad = float(arr[np.abs(arr) > 1].ravel()[0]) if arr.ndim else float(arr)
        raise ValueError(
            f"{name} must be a fraction between -1 and 1 (-0.02 is a 2% fall), got {bad!r}"
        )
    return arr


def _whole_number(value: object, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be a whole number, got {type(value).__name__} {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value!r}")
    return int(value)


def _broadcast(**arrays: np.ndarray) -> list[np.ndarray]:
    try:
        return np.broadcast_arrays(*arrays.values())
    except ValueError as err:
        shaped = " and ".join(f"{k} {np.shape(v)}" for k, v in arrays.items() if np.ndim(v))
        raise ValueError(f"{shaped} do not broadcast together") from err


def _flat(**arrays: np.ndarray) -> list[np.ndarray]:
    return [np.ravel(a) for a in _broadcast(**arrays)]


def _check_covered(position: np.ndarray, equity: np.ndarray, haircut: np.ndarray) -> None:
    short = equity < haircut * position * (1 - _SLACK)
    if np.any(short):
        i = np.flatnonzero(short)[0]
        raise ValueError(
            f"equity must cover the haircut on the position (equity >= haircut x position, "
            f"leverage <= 1 / haircut); got equity {float(equity[i])!r} against "
            f"{float(haircut[i])!r} x {float(position[i])!r}"
        )


def _leverage_of(position: np.ndarray, equity: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(equity > 0, position / np.where(equity > 0, equity, 1.0), np.nan)


# --------------------------------------------------------------------------------------------
# Haircuts, maximum leverage and the repo ladder
# --------------------------------------------------------------------------------------------


def max_leverage(haircut: object) -> float | np.ndarray:
    """Largest position a dollar of equity can carry in repo: ``1 / haircut``.

    Parameters
    ----------
    haircut : float or array_like
        Repo haircut as a fraction of the collateral's market value, strictly between 0 and 1
        (0.02 for 2%).

    Returns
    -------
    float or numpy.ndarray
        Maximum leverage, position / equity (a multiple; 50.0 for a 2% haircut).

    Examples
    --------
    >>> max_leverage(0.02)
    50.0
    >>> max_leverage([0.01, 0.05])
    array([100.,  20.])
    """
    return _result(1.0 / check_fraction(haircut, "haircut"))


def ladder_limit(equity: object, haircut: object) -> float | np.ndarray:
    """Largest position the equity can carry: ``equity x max_leverage(haircut)``.

    The limit the repo ladder approaches as the rounds go on.

    Parameters
    ----------
    equity : float or array_like
        The fund's own money, dollars, positive.
    haircut : float or array_like
        Repo haircut as a fraction, strictly between 0 and 1.

    Returns
    -------
    float or numpy.ndarray
        Maximum position, dollars of bonds at market value.

    Examples
    --------
    >>> ladder_limit(10e6, 0.01)  # $10mn at a 1% haircut
    1000000000.0
    """
    e, h = _broadcast(
        equity=check_positive(equity, "equity"), haircut=check_fraction(haircut, "haircut")
    )
    return _result(e * np.asarray(max_leverage(h)))


def _ladder_rounds(haircut: float, rounds: object, target: object) -> int:
    if rounds is not None:
        if target is not None:
            raise ValueError("give either rounds or target, not both")
        return _whole_number(rounds, "rounds", 1, MAX_LADDER_ROUNDS)
    share = DEFAULT_LADDER_TARGET if target is None else _fraction_scalar(target, "target")
    needed = math.ceil(math.log1p(-share) / math.log1p(-haircut) - 1e-9)
    return min(max(needed, 1), MAX_LADDER_ROUNDS)


def repo_ladder(
    equity: object, haircut: object, rounds: object = None, *, target: object = None
) -> pd.DataFrame:
    """Build leverage round by round: buy bonds, repo them out, buy again with the cash lent.

    In round 1 the fund spends its equity ``E`` on bonds and repos them, receiving
    ``(1 - h)`` of their value in cash; in each later round it spends the cash received in the
    round before. Round ``k`` buys ``E (1 - h)^(k-1)``, so after ``n`` rounds the position is
    ``E (1 - (1 - h)^n) / h``, rising geometrically towards the limit ``E / h``
    (:func:`ladder_limit`). The cash lent in the last round is still unspent, so at every round
    ``position + cash_left - repo_debt = equity``.

    Parameters
    ----------
    equity : float
        The fund's own money, dollars, positive.
    haircut : float
        Repo haircut as a fraction, strictly between 0 and 1 (0.01 for 1%).
    rounds : int, optional
        Number of rounds, 1 to :data:`MAX_LADDER_ROUNDS` (2,000). By default, the fewest rounds
        that take the position to ``target`` times the limit, capped at 2,000 (for a haircut
        below about 0.34% the cap binds and the last row falls short of the target; its
        ``leverage`` column says by how much).
    target : float, optional
        Share of the limit ``equity / haircut`` to reach, strictly between 0 and 1; default
        :data:`DEFAULT_LADDER_TARGET` (0.999, within 0.1% of the limit). Give ``rounds`` or
        ``target``, not both.

    Returns
    -------
    pandas.DataFrame
        One row per round, with columns

        - ``round``: 1, 2, ...
        - ``cash_in``: dollars spent on bonds this round.
        - ``bought``: dollars of bonds bought this round (equal to ``cash_in``).
        - ``borrowed``: dollars lent in repo against this round's purchase, ``(1 - h) bought``.
        - ``position``: dollars of bonds held after the round (cumulative).
        - ``repo_debt``: dollars owed in repo after the round (cumulative).
        - ``cash_left``: dollars lent this round and not yet spent.
        - ``equity``: the fund's equity, dollars (constant).
        - ``leverage``: ``position / equity``.

    Examples
    --------
    >>> ladder = repo_ladder(10e6, 0.01)  # $10mn of equity, 1% haircut
    >>> len(ladder), ladder["position"].iloc[-1].round(-5).item()
    (688, 999000000.0)
    >>> repo_ladder(10e6, 0.5, rounds=3)["position"].tolist()
    [10000000.0, 15000000.0, 17500000.0]
    """
    e = _positive_scalar(equity, "equity")
    h = _fraction_scalar(haircut, "haircut")
    n = _ladder_rounds(h, rounds, target)
    k = np.arange(1, n + 1)
    cash_in = e * (1 - h) ** (k - 1)
    borrowed = (1 - h) * cash_in
    position = np.cumsum(cash_in)
    return pd.DataFrame(
        {
            "round": k,
            "cash_in": cash_in,
            "bought": cash_in,
            "borrowed": borrowed,
            "position": position,
            "repo_debt": np.cumsum(borrowed),
            "cash_left": borrowed,
            "equity": np.full(n, e),
            "leverage": position / e,
        }
    )


# --------------------------------------------------------------------------------------------
# Return on equity
# --------------------------------------------------------------------------------------------


def return_on_equity(
    spread_bp: object,
    leverage: object,
    *,
    funding_spread_bp: object = 0.0,
    fees_bp: object = 0.0,
    horizon_years: object = 1.0,
) -> float | np.ndarray:
    """Return on equity of a levered position, in excess of the repo rate.

    A position of ``L`` dollars per dollar of equity earns ``spread_bp`` a year over the repo
    rate on every dollar of bonds. The ``L - 1`` dollars borrowed may cost ``funding_spread_bp``
    more than that repo rate, and running the position costs ``fees_bp`` a year on every dollar
    of bonds. Over ``horizon_years`` (simple interest) the return on equity is

    ``T x [L x (spread - fees) - (L - 1) x funding_spread] / 10,000``.

    This is the return *over the repo rate*: the equity's own dollar, which is not borrowed,
    would earn the repo rate in any case. The total return is this plus ``repo_rate x T``; see
    :func:`levered_return`, which gives the same number from the asset yield and the repo rate.
    Arguments broadcast, so a grid of spreads against leverages is one call.

    Parameters
    ----------
    spread_bp : float or array_like
        What the position earns over the repo rate, basis points a year on the position
        (the asset's yield, or carry, minus the repo rate). May be negative.
    leverage : float or array_like
        Position / equity, at least 1.
    funding_spread_bp : float or array_like, default 0
        Extra financing cost over that repo rate, basis points a year on the borrowed amount
        (``L - 1`` per dollar of equity). Negative if the bonds finance below it.
    fees_bp : float or array_like, default 0
        Other running costs (trading, clearing, balance-sheet charges), basis points a year on
        the position; not negative.
    horizon_years : float or array_like, default 1
        Holding period in years, positive; 1 gives the annual return.

    Returns
    -------
    float or numpy.ndarray
        Return on equity over the horizon, as a decimal (0.025 for 2.5%).

    Examples
    --------
    >>> round(return_on_equity(5, 50), 6)  # 5bp at 50x
    0.025
    >>> return_on_equity(5, [50, 100]).round(6).tolist()
    [0.025, 0.05]
    """
    s, lev, f, c, t = _broadcast(
        spread_bp=as_float_array(spread_bp, "spread_bp"),
        leverage=_leverage(leverage),
        funding_spread_bp=as_float_array(funding_spread_bp, "funding_spread_bp"),
        fees_bp=check_nonnegative(fees_bp, "fees_bp"),
        horizon_years=check_positive(horizon_years, "horizon_years"),
    )
    return _result(t * (lev * (s - c) - (lev - 1) * f) / _BP)


def levered_return(
    asset_yield: object, repo_rate: object, leverage: object, *, horizon_years: object = 1.0
) -> float | np.ndarray:
    """Total return on equity of a bond position financed in repo.

    Per dollar of equity the fund holds ``L`` dollars of bonds yielding ``asset_yield`` and owes
    ``L - 1`` dollars at ``repo_rate``, so over ``horizon_years`` (simple interest)

    ``return = T x [asset_yield x L - repo_rate x (L - 1)]``
    ``       = T x [L x (asset_yield - repo_rate) + repo_rate]``,

    that is :func:`return_on_equity` with ``spread_bp = (asset_yield - repo_rate) x 10,000``
    plus the repo rate the equity's own dollar earns.

    Parameters
    ----------
    asset_yield : float or array_like
        Annual yield (or carry) of the bonds, decimal (0.045 for 4.5%).
    repo_rate : float or array_like
        Annual repo rate paid on the borrowed amount, decimal.
    leverage : float or array_like
        Position / equity, at least 1.
    horizon_years : float or array_like, default 1
        Holding period in years, positive.

    Returns
    -------
    float or numpy.ndarray
        Return on equity over the horizon, decimal.

    Examples
    --------
    >>> round(levered_return(0.0435, 0.043, 50), 6)  # 5bp over repo at 50x
    0.068
    """
    y, r, lev, t = _broadcast(
        asset_yield=check_rate(asset_yield, "asset_yield"),
        repo_rate=check_rate(repo_rate, "repo_rate"),
        leverage=_leverage(leverage),
        horizon_years=check_positive(horizon_years, "horizon_years"),
    )
    return _result(t * (y * lev - r * (lev - 1)))


# --------------------------------------------------------------------------------------------
# Mark-to-market, margin calls and forced sales
# --------------------------------------------------------------------------------------------


def _marked(p: np.ndarray, e: np.ndarray, m: np.ndarray) -> dict[str, np.ndarray]:
    loss = -p * m
    equity_after = e - loss
    position_after = p + p * m
    return {
        "position": p,
        "equity": e,
        "price_change": m,
        "loss": loss,
        "position_after": position_after,
        "equity_after": equity_after,
        "equity_return": -loss / e,
        "leverage_after": _leverage_of(position_after, equity_after),
        "wiped_out": equity_after <= 0,
    }


def equity_after_move(position: object, equity: object, price_change: object) -> pd.DataFrame:
    """Mark a bond position to market: what a price change does to equity and leverage.

    A price change ``m`` on a position ``P`` changes the equity by ``P x m``, that is by
    ``leverage x m`` as a share of equity: at 50x a 2% fall wipes the equity out. Arguments
    broadcast; the result has one row per element.

    Parameters
    ----------
    position : float or array_like
        Market value of the bonds, dollars, positive.
    equity : float or array_like
        The fund's equity before the move, dollars, positive.
    price_change : float or array_like
        Change in the bonds' price as a fraction, between -1 and 1 (-0.01 for a 1% fall).

    Returns
    -------
    pandas.DataFrame
        Columns ``position``, ``equity``, ``price_change`` (the inputs, broadcast),
        ``loss`` (dollars, positive for a loss), ``position_after`` and ``equity_after``
        (dollars), ``equity_return`` (change in equity as a fraction of equity),
        ``leverage_after`` (position / equity; NaN once equity is gone) and ``wiped_out``
        (equity at or below zero).

    Examples
    --------
    >>> move = equity_after_move(1e9, 20e6, -0.01)  # 50x, 1% fall
    >>> move.loc[0, ["loss", "equity_after", "leverage_after"]].tolist()
    [10000000.0, 10000000.0, 99.0]
    """
    p, e, m = _flat(
        position=check_positive(position, "position"),
        equity=check_positive(equity, "equity"),
        price_change=_price_change(price_change),
    )
    return pd.DataFrame(_marked(p, e, m))


def _called(
    position: object, equity: object, haircut: object, price_change: object, buffer: object = 0.0
) -> dict[str, np.ndarray]:
    p, e, h, m, b = _flat(
        position=check_positive(position, "position"),
        equity=check_positive(equity, "equity"),
        haircut=check_fraction(haircut, "haircut"),
        price_change=_price_change(price_change),
        buffer=check_nonnegative(buffer, "buffer"),
    )
    _check_covered(p, e, h)
    out = {"position": p, "equity": e, "haircut": h, **_marked(p, e, m)}
    out["spare_cash"] = np.maximum(e - h * p, 0.0)
    out["call"] = (1 - h) * np.maximum(out["loss"], 0.0)
    out["buffer"] = b
    return out


def margin_call(
    position: object, equity: object, haircut: object, price_change: object
) -> pd.DataFrame:
    """The variation margin a repo lender asks for after a price change.

    The loan against the bonds is ``(1 - h)`` times their value. When the price falls by
    ``|m|`` the lender asks for ``call = (1 - h) x P x |m|`` so that the haircut holds again. The
    fund pays from its spare cash, ``equity - h x P``; what that cannot cover is the
    ``shortfall``, which the fund must raise by selling bonds (see :func:`forced_sale`). A rise
    brings no call (the margin the fund could ask back is not modelled). Arguments broadcast.

    Parameters
    ----------
    position : float or array_like
        Market value of the bonds before the move, dollars, positive.
    equity : float or array_like
        The fund's equity before the move, dollars; at least ``haircut x position``.
    haircut : float or array_like
        Repo haircut as a fraction, strictly between 0 and 1.
    price_change : float or array_like
        Change in the bonds' price as a fraction, between -1 and 1 (-0.01 for a 1% fall).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`equity_after_move` and ``haircut``, plus ``spare_cash`` (dollars
        before the move), ``call`` (variation margin asked, dollars) and ``shortfall`` (the part
        of the call spare cash cannot pay, dollars).

    Examples
    --------
    >>> call = margin_call(1e9, 20e6, 0.01, -0.005)  # 50x with a 1% haircut
    >>> call.loc[0, ["spare_cash", "call", "shortfall"]].tolist()
    [10000000.0, 4950000.0, 0.0]
    """
    out = _called(position, equity, haircut, price_change)
    del out["buffer"]
    out["shortfall"] = np.maximum(out["call"] - out["spare_cash"], 0.0)
    return pd.DataFrame(out)


def forced_sale(
    position: object,
    equity: object,
    haircut: object,
    price_change: object,
    *,
    buffer: object = 0.0,
) -> pd.DataFrame:
    """How many bonds a fund must sell to meet a margin call it cannot pay in cash.

    The fund pays the call (:func:`margin_call`) from its spare cash above ``buffer``, the cash
    it would rather keep. Each dollar of bonds sold repays the ``1 - h`` lent against it and
    frees ``h`` of cash, so the shortfall needs a sale of ``shortfall / h`` (at a 2% haircut,
    $50 of bonds for each $1 of margin). After the sale the loan is again ``(1 - h)`` times the
    bonds held; with no buffer the fund is then at its maximum leverage ``1 / h``. If selling
    every bond is not enough, the buffer goes too. If the move wipes the equity out, everything
    is sold, all the cash is paid over and the lender bears the rest. Arguments broadcast.

    Parameters
    ----------
    position : float or array_like
        Market value of the bonds before the move, dollars, positive.
    equity : float or array_like
        The fund's equity before the move, dollars; at least ``haircut x position``.
    haircut : float or array_like
        Repo haircut as a fraction, strictly between 0 and 1.
    price_change : float or array_like
        Change in the bonds' price as a fraction, between -1 and 1 (-0.01 for a 1% fall).
    buffer : float or array_like, default 0
        Cash the fund keeps rather than meet calls with while it has bonds to sell, dollars,
        not negative.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`margin_call` plus ``buffer``, ``cash_used`` (spare cash paid to
        the lender), ``shortfall`` (now the part of the call the cash above the buffer cannot
        pay),
        ``sale`` (dollars of bonds sold at the new price), ``position_end``,
        ``repo_debt_end`` and ``cash_end`` (dollars after the sale), ``equity_end``
        (``position_end + cash_end - repo_debt_end``, equal to ``equity_after``) and
        ``leverage_end`` (NaN once equity is gone).

    Examples
    --------
    >>> sale = forced_sale(1e9, 10e6, 0.01, -0.005)  # 100x, no spare cash
    >>> sale.loc[0, ["call", "sale", "position_end"]].tolist()
    [4950000.0, 495000000.0, 500000000.0]
    """
    out = _called(position, equity, haircut, price_change, buffer)
    p_after, h = out["position_after"], out["haircut"]
    usable = np.maximum(out["spare_cash"] - out["buffer"], 0.0)
    cash_used = np.minimum(out["call"], usable)
    shortfall = out["call"] - cash_used
    sale = np.minimum(shortfall / h, p_after)
    # Everything sold and still short: the buffer pays what it can.
    cash_used += np.minimum(shortfall - h * sale, out["spare_cash"] - cash_used)
    position_end = p_after - sale
    repo_debt_end = (1 - h) * out["position"] - cash_used - sale
    cash_end = out["spare_cash"] - cash_used
    equity_end = position_end + cash_end - repo_debt_end
    out.update(
        cash_used=cash_used,
        shortfall=shortfall,
        sale=sale,
        position_end=position_end,
        repo_debt_end=repo_debt_end,
        cash_end=cash_end,
        equity_end=equity_end,
        leverage_end=_leverage_of(position_end, equity_end),
    )
    return pd.DataFrame(out)


def margin_thresholds(position: object, equity: object, haircut: object) -> pd.DataFrame:
    """The price falls at which margin calls exhaust the spare cash and wipe out the equity.

    A fall of ``|m|`` brings a call of ``(1 - h) P |m|``, so the spare cash ``E - h P`` is used
    up at ``m = -(E - h P) / ((1 - h) P)``; beyond that every further fall forces sales. The
    equity is gone at ``m = -E / P = -1 / leverage``. With leverage of at least 1 the cash runs
    out first. Arguments broadcast.

    Parameters
    ----------
    position : float or array_like
        Market value of the bonds, dollars, positive.
    equity : float or array_like
        The fund's equity, dollars; at least ``haircut x position``.
    haircut : float or array_like
        Repo haircut as a fraction, strictly between 0 and 1.

    Returns
    -------
    pandas.DataFrame
        Columns ``position``, ``equity``, ``haircut``, ``leverage``, ``spare_cash`` (dollars),
        ``cash_exhausted_at`` and ``wiped_out_at`` (price changes as fractions, not positive).

    Examples
    --------
    >>> levels = margin_thresholds(1e9, 20e6, 0.01)  # 50x with a 1% haircut
    >>> levels.loc[0, ["cash_exhausted_at", "wiped_out_at"]].round(6).tolist()
    [-0.010101, -0.02]
    """
    p, e, h = _flat(
        position=check_positive(position, "position"),
        equity=check_positive(equity, "equity"),
        haircut=check_fraction(haircut, "haircut"),
    )
    _check_covered(p, e, h)
    spare = np.maximum(e - h * p, 0.0)
    return pd.DataFrame(
        {
            "position": p,
            "equity": e,
            "haircut": h,
            "leverage": p / e,
            "spare_cash": spare,
            "cash_exhausted_at": -spare / ((1 - h) * p),
            "wiped_out_at": -e / p,
        }
    )


def haircut_hike(
    equity: object, haircut_before: object, haircut_after: object, *, position: object = None
) -> pd.DataFrame:
    """The sale forced when lenders raise the haircut, at unchanged equity.

    At haircut ``h`` equity ``E`` carries at most ``E / h`` of bonds, so a rise from ``h0`` to
    ``h1`` forces a fund at the old limit to sell ``E / h0 - E / h1``: a share ``1 - h0 / h1``
    of its position (a third when 2% becomes 3%). A fund below the old limit sells only what
    exceeds the new one. A cut in the haircut forces nothing. Arguments broadcast.

    Parameters
    ----------
    equity : float or array_like
        The fund's equity, dollars, positive.
    haircut_before, haircut_after : float or array_like
        Repo haircuts before and after, fractions strictly between 0 and 1.
    position : float or array_like, optional
        Market value of the bonds before the change, dollars; at most ``equity /
        haircut_before``. Default: that limit (the fund at its maximum leverage).

    Returns
    -------
    pandas.DataFrame
        Columns ``equity``, ``haircut_before``, ``haircut_after``, ``position_before``,
        ``position_after`` and ``sale`` (dollars) and ``sale_share`` (sale / position_before).

    Examples
    --------
    >>> hike = haircut_hike(10e6, 0.02, 0.03)
    >>> hike.loc[0, ["position_before", "sale", "sale_share"]].round(4).tolist()
    [500000000.0, 166666666.6667, 0.3333]
    """
    e = check_positive(equity, "equity")
    h0 = check_fraction(haircut_before, "haircut_before")
    h1 = check_fraction(haircut_after, "haircut_after")
    if position is None:
        e, h0, h1 = _flat(equity=e, haircut_before=h0, haircut_after=h1)
        p = e / h0
    else:
        e, h0, h1, p = _flat(
            equity=e,
            haircut_before=h0,
            haircut_after=h1,
            position=check_positive(position, "position"),
        )
        _check_covered(p, e, h0)
    sale = np.maximum(p - e / h1, 0.0)
    return pd.DataFrame(
        {
            "equity": e,
            "haircut_before": h0,
            "haircut_after": h1,
            "position_before": p,
            "position_after": p - sale,
            "sale": sale,
            "sale_share": sale / p,
        }
    )


# --------------------------------------------------------------------------------------------
# A fire-sale spiral
# --------------------------------------------------------------------------------------------


def spiral_amplification(
    position: object, equity: object, haircut: object, price_impact_per_bn: object
) -> float | np.ndarray:
    """How much each round of a fire sale feeds the next: ``impact x repo debt / haircut``.

    In :func:`margin_spiral` a round's forced sale is exactly ``impact per dollar x D / h``
    times the sale before it, where ``D`` is the fund's repo debt (net of spare cash) before the
    round. This function gives that ratio at the start, ``D = position - equity``. Below 1 the
    sales shrink from the first round on; above 1 they grow until enough debt is repaid. For a
    fund at its maximum leverage it is ``impact x (1 / h - 1) x position``.

    Parameters
    ----------
    position : float or array_like
        Market value of the fund's bonds, dollars, positive.
    equity : float or array_like
        The fund's equity, dollars, positive.
    haircut : float or array_like
        Repo haircut in force, as a fraction strictly between 0 and 1.
    price_impact_per_bn : float or array_like
        Fall in price, as a fraction, for each $1bn sold (0.001 for 0.1% per $1bn); not
        negative.

    Returns
    -------
    float or numpy.ndarray
        The amplification factor (dimensionless; 0 for a fund with no debt).

    Examples
    --------
    >>> round(spiral_amplification(1e9, 10e6, 0.01, 0.005), 6)  # $1bn at 100x, 0.5% per $1bn
    0.495
    """
    p, e, h, k = _broadcast(
        position=check_positive(position, "position"),
        equity=check_positive(equity, "equity"),
        haircut=check_fraction(haircut, "haircut"),
        price_impact_per_bn=check_nonnegative(price_impact_per_bn, "price_impact_per_bn"),
    )
    return _result(k / _BN * np.maximum(p - e, 0.0) / h)


def _spiral_inputs(
    position: object,
    equity: object,
    haircut: object,
    haircut_increase: object,
    max_rounds: object,
    tol: object,
) -> tuple[float, float, float, float, int, float]:
    p = _positive_scalar(position, "position")
    e = _positive_scalar(equity, "equity")
    h0 = _fraction_scalar(haircut, "haircut")
    _check_covered(np.array([p]), np.array([e]), np.array([h0]))
    rise = float(
        check_nonnegative(as_real(haircut_increase, "haircut_increase"), "haircut_increase")
    )
    if h0 + rise >= 1:
        raise ValueError(f"haircut + haircut_increase must be below 1, got {h0!r} + {rise!r}")
    n = _whole_number(max_rounds, "max_rounds", 1, 1000)
    t = _fraction_scalar(tol, "tol")
    return p, e, h0, h0 + rise, n, t


def _shock(value: object, name: str) -> np.ndarray:
    arr = as_float_array(value, name)
    outside = (arr < -1) | (arr > 0)
    if np.any(outside):
        bad = float(arr[outside].ravel()[0]) if arr.ndim else float(arr)
        raise ValueError(
            f"{name} must be a price fall as a fraction between -1 and 0 "
            f"(-0.02 is a 2% fall), got {bad!r}"
        )
    return arr


class _Intervention:
    """An intervention in the spiral: who steps in, with how much, and when."""

    def __init__(self, backstop: object, recapitalisation: object, delay: object) -> None:
        self.given = backstop is not None or recapitalisation is not None
        self.backstop = float(check_nonnegative(as_real(backstop or 0.0, "backstop"), "backstop"))
        self.recapitalisation = float(
            check_nonnegative(
                as_real(recapitalisation or 0.0, "recapitalisation"), "recapitalisation"
            )
        )
        # Selling rounds start at 2; the intervention arrives ``delay`` rounds later.
        self.start = 2 + _whole_number(delay, "intervention_delay", 0, 1000)


_NO_INTERVENTION = _Intervention(None, None, 0)


def _run_spiral(
    position: float,
    equity: float,
    h0: float,
    h1: float,
    shock: np.ndarray,
    impact_per_bn: np.ndarray,
    max_rounds: int,
    tol: float,
    help_: _Intervention = _NO_INTERVENTION,
) -> tuple[list[dict[str, np.ndarray]], dict[str, np.ndarray]]:
    """Run the spiral for many (shock, impact) pairs at once; one dict of arrays per round."""
    size = shock.size
    k = impact_per_bn / _BN
    book = np.full(size, position)
    debt = np.full(size, position - equity)
    zeros = np.zeros(size)
    capacity = np.full(size, help_.backstop)

    def row(price, change, loss, sold, haircut, defaulted, absorbed=zeros, injected=zeros):
        out = {
            "price": price.copy(),
            "price_change": change,
            "loss": loss,
            "sold": sold,
            "position": book.copy(),
            "repo_debt": debt.copy(),
            "equity": book - debt,
            "haircut": np.full(size, haircut),
            "defaulted": defaulted.copy(),
        }
        if help_.given:
            out.update(absorbed=absorbed, injected=injected)
        return out

    rows = [row(np.full(size, 100.0), zeros, zeros, zeros, h0, np.zeros(size, dtype=bool))]
    # Round 1: the shock, marked on the whole book.
    loss = -book * shock
    book = book * (1 + shock)
    price = 100.0 * (1 + shock)
    defaulted = book - debt <= _SLACK * position
    rows.append(row(price, shock, loss, zeros, h1, defaulted))
    active = ~defaulted
    converged = np.zeros(size, dtype=bool)
    rounds = np.ones(size, dtype=int)
    # Rounds 2, 3, ...: the fire sale.
    for r in range(2, max_rounds + 1):
        injected = np.where(active, help_.recapitalisation, 0.0) if r == help_.start else zeros
        debt = debt - injected
        need = book - (book - debt) / h1
        calm = active & (need <= tol * position)
        converged |= calm
        active &= ~calm
        if not active.any():
            if injected.any():
                rounds[injected > 0] = r
                rows.append(row(price, zeros, zeros, zeros, h1, defaulted, zeros, injected))
            break
        sale = np.where(active, need, 0.0)
        absorbed = np.minimum(sale, capacity) if r >= help_.start else zeros
        capacity = capacity - absorbed
        change = -np.minimum(k * (sale - absorbed), 1.0)
        loss = -book * change
        proceeds = sale * (1 + change)
        book = (book - sale) * (1 + change)
        debt = debt - proceeds
        price = price * (1 + change)
        broke = active & (book - debt <= _SLACK * position)
        defaulted |= broke
        rounds[active | (injected > 0)] = r
        rows.append(
            row(price, change, loss, proceeds, h1, defaulted, absorbed * (1 + change), injected)
        )
        active &= ~broke
    total_injected = np.sum([x["injected"] for x in rows], axis=0) if help_.given else zeros
    final = {
        "price": price,
        "total_sold": np.sum([x["sold"] for x in rows], axis=0),
        "total_loss": equity + total_injected - (book - debt),
        "position": book,
        "equity": book - debt,
        "rounds": rounds,
        "defaulted": defaulted,
        "converged": converged,
    }
    if help_.given:
        final["total_absorbed"] = np.sum([x["absorbed"] for x in rows], axis=0)
        final["total_injected"] = total_injected
    return rows, final


def margin_spiral(
    position: object,
    equity: object,
    haircut: object,
    shock: object,
    *,
    price_impact_per_bn: object,
    haircut_increase: object = 0.0,
    max_rounds: object = 50,
    tol: object = 1e-6,
    backstop: object = None,
    recapitalisation: object = None,
    intervention_delay: object = 0,
) -> pd.DataFrame:
    """A small deterministic fire-sale spiral: loss, margin call, forced sale, loss again.

    Illustrative model, not a description of any market or episode. A fund holds ``position``
    dollars of bonds on ``equity`` dollars of its own money, financed in repo at ``haircut``;
    its repo debt, net of spare cash, is ``D = position - equity``. The price index starts at
    100.

    - Round 1, the shock: the price changes by ``shock``, the book is marked down and the
      equity takes the loss. Lenders may raise the haircut to ``haircut + haircut_increase``.
    - Rounds 2, 3, ..., the fire sale: to meet the margin call the fund sells what would take
      its leverage back to ``1 / h`` at the current price, ``S = position - equity / h``. Its
      selling pushes the price down by ``price_impact_per_bn x S / $1bn`` (a fraction of the
      price, at most all of it), so it sells at the lower price and marks the bonds it keeps to
      it: the round's loss is the book before the sale times the fall, and the proceeds repay
      repo debt. The loss leaves leverage above ``1 / h`` again, and the next round follows.
    - The spiral stops when the sale needed is below ``tol x position`` (converged; that last
      small sale is not made), when equity reaches zero (default), or after ``max_rounds``.
    - An intervention, if given, arrives in selling round ``2 + intervention_delay``. A
      ``recapitalisation`` pays new equity in at the start of that round (it repays repo debt,
      so the fund needs to sell less). A ``backstop`` is a buyer of last resort that takes up
      to that many dollars of the fund's forced sales, in total, from that round on; what it
      takes does not move the price, so only the rest of the sale has an impact.

    The Notes give what the model implies about when the spiral damps out and when it runs to
    default; :func:`spiral_grid` maps the edge.

    Parameters
    ----------
    position : float
        Market value of the fund's bonds before the shock, dollars, positive.
    equity : float
        The fund's equity before the shock, dollars; at least ``haircut x position``.
    haircut : float
        Repo haircut as a fraction, strictly between 0 and 1.
    shock : float
        The initial price change as a fraction, between -1 and 0 (-0.005 for a 0.5% fall).
    price_impact_per_bn : float
        Fall in price, as a fraction, for each $1bn the fund sells (0.001 for 0.1% per
        $1bn); not negative.
    haircut_increase : float, default 0
        Rise in the haircut from round 1 on, as a fraction (0.01 takes 2% to 3%); not
        negative, and ``haircut + haircut_increase`` below 1.
    max_rounds : int, default 50
        Most rounds, the shock included, 1 to 1,000.
    tol : float, default 1e-6
        Smallest sale worth making, as a fraction of the initial position, strictly between
        0 and 1.
    backstop : float, optional
        Forced sales, dollars at the amount ordered, that a buyer of last resort takes off the
        market without moving the price; not negative. None (the default): no backstop.
    recapitalisation : float, optional
        New equity paid into the fund when the intervention arrives, dollars; not negative.
        None (the default): none.
    intervention_delay : int, default 0
        Selling rounds that pass before the intervention arrives, 0 to 1,000 (0: from the
        first forced sale, round 2).

    Returns
    -------
    pandas.DataFrame
        Row 0 is the state before the shock, row 1 the shock, then one row per round of
        selling, with columns

        - ``round``: 0, 1, 2, ...
        - ``price``: price index at the end of the round (100 before the shock).
        - ``price_change``: this round's price change, fraction.
        - ``loss``: the loss this price change caused, dollars.
        - ``sold``: proceeds of this round's sale, dollars (0 in rounds 0 and 1).
        - ``position``: market value of the bonds held after the round, dollars.
        - ``repo_debt``: repo debt net of spare cash after the round, dollars.
        - ``equity``: ``position - repo_debt``, dollars (negative after a default).
        - ``leverage``: ``position / equity`` (NaN once equity is gone).
        - ``haircut``: the haircut in force, fraction.
        - ``cumulative_loss`` and ``cumulative_sold``: running totals, dollars.
        - ``defaulted``: whether equity has reached zero.

        With ``backstop`` or ``recapitalisation`` given, two more columns: ``absorbed``
        (proceeds of this round's sale paid by the backstop, dollars, part of ``sold``) and
        ``injected`` (new equity paid in this round, dollars). The equity then includes what
        was injected, and ``cumulative_loss`` stays the sum of the price losses.

    Notes
    -----
    Within the model, exactly:

    - Each selling round's sale is ``rho = impact per dollar x D / h`` times the one before,
      ``D`` being the repo debt before the round. Sales repay debt, so ``rho`` only falls. It
      starts at the amplification ``a = impact x (position - equity) / h``
      (:func:`spiral_amplification`, with the haircut after any increase). With ``a <= 1``
      the sales shrink from the first; with ``a > 1`` they grow until the debt has fallen
      below ``h / impact``.
    - The shock alone wipes the fund out when ``|shock| >= equity / position``.
    - For a fund at its maximum leverage (``equity = h x position``) and no haircut increase,
      the first sale loses ``a x |shock| x (1 - |shock|) x position``. The fund defaults in
      round 2 if that is at least the equity the shock left, ``(h - |shock|) x position``; with
      ``a < 1`` it survives if that loss divided by ``1 - a`` (a bound on all the selling
      losses to come) is less.

    Found numerically, not proved: for a fund at its maximum leverage a larger shock or a
    larger impact is never better (default and, short of default, the price drop and the loss
    rise with both). With ``a`` small only a shock close to the haircut brings default; the
    shock needed falls as ``a`` rises, and above ``a`` of about 1.75 even the smallest shock
    runs to default.

    Examples
    --------
    >>> path = margin_spiral(1e9, 10e6, 0.01, -0.002, price_impact_per_bn=0.005)
    >>> path.loc[2, "sold"].round(-5).item(), path["defaulted"].iloc[-1].item()
    (197800000.0, False)
    >>> path = margin_spiral(1e9, 10e6, 0.01, -0.007, price_impact_per_bn=0.005)
    >>> path["defaulted"].iloc[-1].item(), path["round"].iloc[-1].item()
    (True, 2)
    >>> saved = margin_spiral(1e9, 10e6, 0.01, -0.007, price_impact_per_bn=0.005, backstop=1e9)
    >>> saved["defaulted"].iloc[-1].item(), saved["price"].iloc[-1].item()  # all sales absorbed
    (False, 99.3)
    """
    p, e, h0, h1, n, t = _spiral_inputs(
        position, equity, haircut, haircut_increase, max_rounds, tol
    )
    help_ = _Intervention(backstop, recapitalisation, intervention_delay)
    s = _shock(as_real(shock, "shock"), "shock").reshape(1)
    k = check_nonnegative(
        as_real(price_impact_per_bn, "price_impact_per_bn"), "price_impact_per_bn"
    )
    rows, _ = _run_spiral(p, e, h0, h1, s, k.reshape(1), n, t, help_)
    frame = pd.DataFrame({name: np.concatenate([x[name] for x in rows]) for name in rows[0]})
    frame.insert(0, "round", np.arange(len(rows)))
    frame.insert(
        frame.columns.get_loc("haircut"),
        "leverage",
        _leverage_of(frame["position"].to_numpy(), frame["equity"].to_numpy()),
    )
    frame.insert(frame.columns.get_loc("defaulted"), "cumulative_loss", frame["loss"].cumsum())
    frame.insert(frame.columns.get_loc("defaulted"), "cumulative_sold", frame["sold"].cumsum())
    return frame


def _outcomes(final: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {
        "price_drop": 1 - final["price"] / 100,
        "total_sold": final["total_sold"],
        "total_loss": final["total_loss"],
        "final_leverage": _leverage_of(final["position"], final["equity"]),
        "rounds": final["rounds"],
        "defaulted": final["defaulted"],
        "converged": final["converged"],
        **{name: final[name] for name in ("total_absorbed", "total_injected") if name in final},
    }


def spiral_outcome(
    position: object,
    equity: object,
    haircut: object,
    shock: object,
    *,
    price_impact_per_bn: object,
    haircut_increase: object = 0.0,
    max_rounds: object = 50,
    tol: object = 1e-6,
    backstop: object = None,
    recapitalisation: object = None,
    intervention_delay: object = 0,
) -> dict[str, float | int | bool]:
    """Where a :func:`margin_spiral` ends: price drop, sales, losses, default. Illustrative.

    Parameters
    ----------
    position, equity, haircut, shock, price_impact_per_bn, haircut_increase, max_rounds, tol
        As for :func:`margin_spiral`.
    backstop, recapitalisation, intervention_delay
        An intervention, as for :func:`margin_spiral`.

    Returns
    -------
    dict
        ``price_drop`` (fall in the price index from 100, as a fraction of 100),
        ``total_sold`` and ``total_loss`` (dollars; the loss can exceed the equity after a
        default), ``final_leverage`` (NaN after a default), ``rounds`` (rounds run, the shock
        included), ``defaulted``, ``converged`` (the sales died out within ``max_rounds``) and
        ``amplification`` (:func:`spiral_amplification` with the haircut after any increase).
        With an intervention, also ``total_absorbed`` and ``total_injected`` (dollars), and
        ``total_loss`` counts the equity injected as well as the equity the fund began with.

    Examples
    --------
    >>> out = spiral_outcome(1e9, 10e6, 0.01, -0.002, price_impact_per_bn=0.005)
    >>> out["defaulted"], out["converged"], round(out["amplification"], 3)
    (False, True, 0.495)
    """
    p, e, h0, h1, n, t = _spiral_inputs(
        position, equity, haircut, haircut_increase, max_rounds, tol
    )
    help_ = _Intervention(backstop, recapitalisation, intervention_delay)
    s = _shock(as_real(shock, "shock"), "shock").reshape(1)
    k = check_nonnegative(
        as_real(price_impact_per_bn, "price_impact_per_bn"), "price_impact_per_bn"
    )
    _, final = _run_spiral(p, e, h0, h1, s, k.reshape(1), n, t, help_)
    out: dict[str, float | int | bool] = {
        name: value[0].item() for name, value in _outcomes(final).items()
    }
    out["amplification"] = float(spiral_amplification(p, e, h1, k))
    return out


def spiral_grid(
    position: object,
    equity: object,
    haircut: object,
    shocks: object,
    price_impacts_per_bn: object,
    *,
    haircut_increase: object = 0.0,
    max_rounds: object = 50,
    tol: object = 1e-6,
    backstop: object = None,
    recapitalisation: object = None,
    intervention_delay: object = 0,
) -> pd.DataFrame:
    """Outcomes of :func:`margin_spiral` over a grid of shocks and price impacts. Illustrative.

    Every shock is paired with every impact and the spirals run together, vectorised, so a
    chart can show where the spiral damps out and where it runs to default.

    Parameters
    ----------
    position, equity, haircut : float
        As for :func:`margin_spiral`.
    shocks : array_like
        Initial price changes, fractions between -1 and 0.
    price_impacts_per_bn : array_like
        Price impacts, fraction of the price per $1bn sold, not negative.
    haircut_increase, max_rounds, tol, backstop, recapitalisation, intervention_delay
        As for :func:`margin_spiral`.

    Returns
    -------
    pandas.DataFrame
        One row per (shock, impact) pair, shocks varying slowest, at most
        :data:`MAX_GRID_ROWS` (5,000) rows, with columns ``shock``, ``price_impact_per_bn``,
        ``amplification`` and the outcome fields of :func:`spiral_outcome`: ``price_drop``,
        ``total_sold``, ``total_loss``, ``final_leverage``, ``rounds``, ``defaulted``,
        ``converged`` (and ``total_absorbed``, ``total_injected`` with an intervention).

    Examples
    --------
    >>> grid = spiral_grid(1e9, 10e6, 0.01, [-0.002, -0.007], [0.0, 0.005])
    >>> grid["defaulted"].tolist()
    [False, False, False, True]
    """
    p, e, h0, h1, n, t = _spiral_inputs(
        position, equity, haircut, haircut_increase, max_rounds, tol
    )
    help_ = _Intervention(backstop, recapitalisation, intervention_delay)
    s = np.ravel(_shock(shocks, "shocks"))
    k = np.ravel(check_nonnegative(price_impacts_per_bn, "price_impacts_per_bn"))
    if s.size == 0 or k.size == 0:
        raise ValueError("shocks and price_impacts_per_bn must not be empty")
    if s.size * k.size > MAX_GRID_ROWS:
        raise ValueError(
            f"shocks x price_impacts_per_bn gives {s.size * k.size} rows; at most "
            f"{MAX_GRID_ROWS} are allowed"
        )
    ss, kk = (a.ravel() for a in np.meshgrid(s, k, indexing="ij"))
    _, final = _run_spiral(p, e, h0, h1, ss, kk, n, t, help_)
    return pd.DataFrame(
        {
            "shock": ss,
            "price_impact_per_bn": kk,
            "amplification": spiral_amplification(p, e, h1, kk),
            **_outcomes(final),
        }
    )
