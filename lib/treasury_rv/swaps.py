"""SOFR swaps: the discount curve, par rates, DV01, swap spreads and the swap-spread trade.

A USD SOFR overnight indexed swap (OIS) exchanges a fixed rate for SOFR compounded daily over
each period. This module prices spot-starting SOFR OIS on a single curve (the same curve
projects SOFR and discounts), bootstraps that curve from par swap rates, and puts numbers on the
*swap-spread trade*: long a Treasury financed in repo, paying fixed on a swap of the same
maturity and receiving SOFR, which gains as the swap spread (swap rate minus Treasury yield)
rises towards zero.

Conventions of a spot-starting SOFR OIS
---------------------------------------
* Effective date two US government-securities business days after the trade date
  (:func:`effective_date`, the calendar of :mod:`treasury_rv.dates`).
* Annual periods on both legs: period dates are the effective date plus whole years, each
  adjusted *modified following* (:func:`modified_following`); no end-of-month rule.
* ACT/360 accrual on both legs; payment two business days after each period end.
* The floating leg compounds SOFR; on a single curve a period from ``s`` to ``e`` pays
  ``DF(s) / DF(e) - 1`` per unit of notional, at its payment date.

These are the terms of the standard ``USD-FIXED-1Y-SOFR-OIS`` convention of the OpenGamma Strata
library (spot two days, both legs annual ACT/360, payment two days after each period); the
ISDA definitions themselves were not consulted.

So for a swap of ``n`` years with periods ``k = 1..n`` (accrual ``a_k``, payment date ``p_k``)

``annuity = sum_k a_k DF(p_k)``, ``par rate = sum_k (DF(s_k) / DF(e_k) - 1) DF(p_k) / annuity``.

The curve (:class:`SofrCurve`) holds discount factors at pillar dates and interpolates
log-linearly in time (flat instantaneous forward rates between pillars), extrapolating the last
forward rate past the last pillar. Times are ACT/365F years from the curve's reference date.

The trade (:func:`hedge_notional`, :func:`trade_carry_bp`, :func:`trade_pnl`) is sized to
match the bond's yield DV01 with the swap's par-rate PV01 (:func:`swap_pv01`), so a move of
both quoted rates leaves it flat and only the spread's moves count. Its carry is counted leg
by leg in dollars (:func:`bond_carry`, :func:`swap_carry`), and over a horizon on an
unchanged curve (:func:`swap_value_at_horizon`); :func:`trade_carry_bp` is the first-order
identity. Its margin: :func:`vm_call` pays a loss as variation margin and meets it by cutting
the trade, which releases initial margin pro rata; :func:`spread_shock` and
:func:`margin_hike` go through :mod:`treasury_rv.leverage`, the library's one margin model,
with the pair as one position at an effective haircut (the repo haircut plus the swap's
initial margin over the Treasury's value), a simplification of those mechanics.

The balance-sheet model at the end (:data:`SLR_RULES`, :func:`balance_sheet_cost_bp`,
:func:`dealer_breakeven_spread_bp`) is *illustrative*: it prices the supplementary leverage
ratio as the return a bank must earn on the capital it ties up, and nothing more.

Units: rates and yields as decimals (0.0425); spreads, carry and shocks in basis points
(``_bp``); notionals, PVs, DV01s and margins in dollars; dates as :class:`datetime.date`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from treasury_rv import leverage
from treasury_rv._validate import (
    as_date,
    as_float_array,
    as_real,
    check_fraction,
    check_nonnegative,
    check_positive,
    check_rate,
)
from treasury_rv.bonds import Treasury, accrued_interest, clean_price, dirty_price
from treasury_rv.dates import (
    act_360,
    add_business_days,
    add_months,
    coupon_schedule,
    is_business_day,
)

__all__ = [
    "MAX_TENOR_YEARS",
    "PAYMENT_LAG_DAYS",
    "SLR_RULES",
    "SPOT_LAG_DAYS",
    "SlrRule",
    "SofrCurve",
    "annuity",
    "balance_sheet_cost_bp",
    "bond_carry",
    "dealer_breakeven_spread_bp",
    "effective_date",
    "hedge_notional",
    "margin_hike",
    "matched_maturity_spread_bp",
    "matched_maturity_swap_rate",
    "modified_following",
    "ois_par_rate",
    "ois_schedule",
    "slr_rule",
    "spread_shock",
    "swap_dv01",
    "swap_initial_margin",
    "swap_carry",
    "swap_pv",
    "swap_pv01",
    "swap_spread_bp",
    "trade_carry_bp",
    "swap_value_at_horizon",
    "trade_pnl",
    "vm_call",
]

#: Business days from trade date to effective date of a spot-starting SOFR OIS.
SPOT_LAG_DAYS = 2

#: Business days from the end of each period to its payment.
PAYMENT_LAG_DAYS = 2

#: Longest swap tenor the module prices, in years.
MAX_TENOR_YEARS = 50

_BP = 1e4
_DAYS_PER_YEAR = 365.0  # ACT/365F, the curve's time axis
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


# --------------------------------------------------------------------------------------------
# Argument checks
# --------------------------------------------------------------------------------------------


def _result(arr: np.ndarray) -> float | np.ndarray:
    return float(arr) if np.ndim(arr) == 0 else arr


def _ordinals(value: object, name: str) -> tuple[np.ndarray, bool]:
    """Dates as an int array of proleptic ordinals, and whether the input was one date."""
    if isinstance(value, dt.date | np.datetime64):
        return np.asarray(as_date(value, name).toordinal()), True
    if isinstance(value, np.ndarray) and value.dtype.kind == "M":
        days = value.astype("datetime64[D]").astype(np.int64)
        return days + _EPOCH_ORDINAL, False
    if isinstance(value, str) or not isinstance(
        value, Sequence | np.ndarray | pd.Series | pd.Index
    ):
        raise TypeError(
            f"{name} must be a datetime.date or a sequence of them, got {type(value).__name__}"
        )
    out = [as_date(d, f"{name}[{i}]").toordinal() for i, d in enumerate(value)]
    return np.asarray(out, dtype=np.int64), False


def _tenors(value: object, name: str = "tenor_years") -> np.ndarray:
    """Whole-year tenors from 1 to :data:`MAX_TENOR_YEARS` as an int array (0-d for a scalar)."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a whole number of years, got bool {value!r}")
    arr = as_float_array(value, name)
    if arr.size == 0:
        raise ValueError(f"{name} must hold at least one tenor")
    if np.any(arr != np.round(arr)):
        bad = float(arr[arr != np.round(arr)].ravel()[0]) if arr.ndim else float(arr)
        raise ValueError(
            f"{name} must be whole years (1 to {MAX_TENOR_YEARS}), got {bad!r}; "
            "sub-year swaps are not supported"
        )
    if np.any((arr < 1) | (arr > MAX_TENOR_YEARS)):
        bad = float(arr[(arr < 1) | (arr > MAX_TENOR_YEARS)].ravel()[0]) if arr.ndim else arr
        raise ValueError(f"{name} must be between 1 and {MAX_TENOR_YEARS} years, got {bad!r}")
    return arr.astype(np.int64)


def _trade_date(value: object, name: str = "trade_date") -> dt.date:
    d = as_date(value, name)
    if not is_business_day(d):
        raise ValueError(
            f"{name} {d} is not a US government-securities business day (weekend or holiday)"
        )
    return d


def _curve(value: object, name: str = "curve") -> SofrCurve:
    if not isinstance(value, SofrCurve):
        raise TypeError(f"{name} must be a SofrCurve, got {type(value).__name__}")
    return value


def _broadcast(**arrays: np.ndarray) -> list[np.ndarray]:
    try:
        return np.broadcast_arrays(*arrays.values())
    except ValueError as err:
        shaped = " and ".join(f"{k} {np.shape(v)}" for k, v in arrays.items() if np.ndim(v))
        raise ValueError(f"{shaped} do not broadcast together") from err


# --------------------------------------------------------------------------------------------
# Log-linear interpolation of discount factors
# --------------------------------------------------------------------------------------------


def _log_df(t: np.ndarray, node_t: np.ndarray, node_y: np.ndarray) -> np.ndarray:
    """Log discount factors at times ``t``: nodes ``(0, 0), (node_t, node_y)``, flat beyond."""
    xs = np.concatenate(([0.0], node_t))
    ys = np.concatenate(([0.0], node_y))
    slope = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
    inside = np.interp(t, xs, ys)
    return np.where(t > xs[-1], ys[-1] + slope * (t - xs[-1]), inside)


@dataclass(frozen=True)
class SofrCurve:
    """A SOFR discount curve: discount factors at pillar dates, log-linear in between.

    ``DF(reference_date) = 1``. Between pillars ``ln DF`` is linear in time, so the
    instantaneous forward rate is flat on each segment; past the last pillar the last segment's
    forward rate continues. Time is counted in ACT/365F years from ``reference_date``; the
    same curve projects SOFR and discounts.

    Parameters
    ----------
    reference_date : datetime.date
        The date the discount factors are seen from (the trade date of a bootstrapped curve).
    dates : sequence of datetime.date
        Pillar dates, strictly increasing and after ``reference_date``; at least one.
    discount_factors : sequence of float
        Discount factor at each pillar, positive (a factor above 1 is a negative rate).

    Examples
    --------
    >>> import datetime as dt
    >>> curve = SofrCurve(dt.date(2025, 4, 2), [dt.date(2026, 4, 2)], [0.96])
    >>> round(curve.discount(dt.date(2025, 10, 1)), 6)  # 182 days: 0.96 ** (182 / 365)
    0.979851
    >>> round(curve.zero_rate(dt.date(2026, 4, 2)), 6)  # -ln(0.96), continuously compounded
    0.040822
    """

    reference_date: dt.date
    dates: tuple[dt.date, ...]
    discount_factors: tuple[float, ...]
    _times: np.ndarray = field(init=False, repr=False, compare=False)
    _log_dfs: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ref = as_date(self.reference_date, "reference_date")
        ords, single = _ordinals(self.dates, "dates")
        if single:
            raise TypeError("dates must be a sequence of datetime.date, not a single date")
        dfs = np.ravel(check_positive(self.discount_factors, "discount_factors"))
        if ords.size == 0:
            raise ValueError("dates must hold at least one pillar date")
        if ords.size != dfs.size:
            raise ValueError(
                f"dates and discount_factors must have the same length, got {ords.size} "
                f"and {dfs.size}"
            )
        if ords[0] <= ref.toordinal():
            raise ValueError(f"dates must be after reference_date {ref}, got {self.dates[0]}")
        if np.any(np.diff(ords) <= 0):
            raise ValueError("dates must be strictly increasing")
        object.__setattr__(self, "reference_date", ref)
        object.__setattr__(self, "dates", tuple(dt.date.fromordinal(int(o)) for o in ords))
        object.__setattr__(self, "discount_factors", tuple(float(x) for x in dfs))
        object.__setattr__(self, "_times", (ords - ref.toordinal()) / _DAYS_PER_YEAR)
        object.__setattr__(self, "_log_dfs", np.log(dfs))

    def _years(self, dates: object, name: str) -> tuple[np.ndarray, bool]:
        ords, single = _ordinals(dates, name)
        t = (ords - self.reference_date.toordinal()) / _DAYS_PER_YEAR
        if np.any(t < 0):
            raise ValueError(f"{name} must be on or after the curve's reference date")
        return t, single

    def _discount_years(self, t: np.ndarray) -> np.ndarray:
        return np.exp(_log_df(t, self._times, self._log_dfs))

    def discount(self, dates: dt.date | Sequence[dt.date]) -> float | np.ndarray:
        """Discount factor to each date.

        Parameters
        ----------
        dates : datetime.date or sequence of datetime.date
            Dates on or after the reference date.

        Returns
        -------
        float or numpy.ndarray
            A float for one date, an array for a sequence.

        Examples
        --------
        >>> import datetime as dt
        >>> curve = SofrCurve(dt.date(2025, 4, 2), [dt.date(2026, 4, 2)], [0.96])
        >>> curve.discount([dt.date(2025, 4, 2), dt.date(2026, 4, 2)]).tolist()
        [1.0, 0.96]
        """
        t, single = self._years(dates, "dates")
        out = self._discount_years(t)
        return float(out) if single else out

    def zero_rate(self, dates: dt.date | Sequence[dt.date]) -> float | np.ndarray:
        """Continuously compounded zero rate to each date, ACT/365F: ``-ln DF / t``.

        At the reference date itself (``t = 0``) the rate is the limit, the first segment's
        forward rate.

        Parameters
        ----------
        dates : datetime.date or sequence of datetime.date
            Dates on or after the reference date.

        Returns
        -------
        float or numpy.ndarray
            Zero rates, decimal.

        Examples
        --------
        >>> import datetime as dt
        >>> curve = SofrCurve(dt.date(2025, 4, 2), [dt.date(2027, 4, 2)], [0.92])
        >>> round(curve.zero_rate(dt.date(2026, 4, 2)), 6)  # flat forward: same as at 2 years
        0.041691
        """
        t, single = self._years(dates, "dates")
        y = _log_df(t, self._times, self._log_dfs)
        first = -self._log_dfs[0] / self._times[0]
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(t > 0, -y / np.where(t > 0, t, 1.0), first)
        return float(out) if single else out

    def forward_rate(self, start: object, end: object) -> float | np.ndarray:
        """Simple forward rate from ``start`` to ``end``, ACT/360: ``(DF(s)/DF(e) - 1) / a``.

        This is the compounded SOFR a period from ``start`` to ``end`` pays on this curve,
        expressed as a simple ACT/360 rate.

        Parameters
        ----------
        start, end : datetime.date or sequence of datetime.date
            Period starts and ends (equal lengths, or one of them a single date); each end
            after its start, both on or after the reference date.

        Returns
        -------
        float or numpy.ndarray
            Forward rates, decimal.

        Examples
        --------
        >>> import datetime as dt
        >>> curve = SofrCurve(dt.date(2025, 4, 2), [dt.date(2026, 4, 2)], [0.96])
        >>> round(curve.forward_rate(dt.date(2025, 4, 2), dt.date(2026, 4, 2)), 6)
        0.041096
        """
        ts, single_s = self._years(start, "start")
        te, single_e = self._years(end, "end")
        ts, te = _broadcast(start=ts, end=te)
        if np.any(te <= ts):
            raise ValueError("end must be after start")
        growth = self._discount_years(ts) / self._discount_years(te)
        out = (growth - 1) / ((te - ts) * _DAYS_PER_YEAR / 360)
        return float(out) if single_s and single_e else out

    def shifted(self, shift_bp: float) -> SofrCurve:
        """The curve with every continuously compounded zero rate moved by ``shift_bp``.

        A parallel shift: ``DF'(t) = DF(t) exp(-shift t)``. Log-linear interpolation keeps it
        exact between and beyond the pillars.

        Parameters
        ----------
        shift_bp : float
            Shift in basis points; negative for a fall in rates.

        Returns
        -------
        SofrCurve

        Examples
        --------
        >>> import datetime as dt
        >>> curve = SofrCurve(dt.date(2025, 4, 2), [dt.date(2026, 4, 2)], [0.96])
        >>> up = curve.shifted(10.0)
        >>> day = dt.date(2026, 4, 2)
        >>> round((up.zero_rate(day) - curve.zero_rate(day)) * 1e4, 9)
        10.0
        """
        s = as_real(shift_bp, "shift_bp") / _BP
        dfs = np.exp(self._log_dfs - s * self._times)
        return SofrCurve(self.reference_date, self.dates, tuple(dfs))

    @classmethod
    def bootstrap(
        cls, trade_date: dt.date, tenors_years: Sequence[int], par_rates: Sequence[float]
    ) -> SofrCurve:
        """The curve on which each spot-starting SOFR OIS prices at its par rate.

        One pillar per swap, at its last payment date; each pillar's discount factor is solved
        (Brent's method) so that the swap's par rate on the curve equals its input, with the
        pillars before it held fixed. The curve's reference date is the trade date.

        Parameters
        ----------
        trade_date : datetime.date
            Trade date, a US government-securities business day.
        tenors_years : sequence of int
            Swap tenors in whole years, strictly increasing, 1 to :data:`MAX_TENOR_YEARS`.
        par_rates : sequence of float
            Par fixed rate of each swap, decimal (0.0395 for 3.95%).

        Returns
        -------
        SofrCurve
            Reprices every input to within 1e-12 in rate.

        Examples
        --------
        >>> import datetime as dt
        >>> trade = dt.date(2025, 4, 2)
        >>> curve = SofrCurve.bootstrap(trade, [1, 2, 5, 10], [0.041, 0.039, 0.038, 0.039])
        >>> ois_par_rate(curve, trade, [1, 2, 5, 10]).round(10).tolist()
        [0.041, 0.039, 0.038, 0.039]
        """
        trade = _trade_date(trade_date)
        tenors = np.ravel(_tenors(tenors_years, "tenors_years"))
        rates = np.ravel(check_rate(par_rates, "par_rates"))
        if tenors.size != rates.size:
            raise ValueError(
                f"tenors_years and par_rates must have the same length, got {tenors.size} "
                f"and {rates.size}"
            )
        if np.any(np.diff(tenors) <= 0):
            raise ValueError("tenors_years must be strictly increasing")
        grid = _grid(trade, trade, int(tenors[-1]))
        node_t: list[float] = []
        node_y: list[float] = []
        for n, rate in zip(tenors, rates, strict=True):
            t_pillar = grid.pay[n - 1]
            y_prev = node_y[-1] if node_y else 0.0
            t_prev = node_t[-1] if node_t else 0.0
            span = t_pillar - t_prev

            def error(y, n=n, rate=rate, t_pillar=t_pillar):
                xs, ys = np.array([*node_t, t_pillar]), np.array([*node_y, y])
                return _par_from_nodes(grid, xs, ys, n) - rate

            # Forward rates from -90% to +500% over the new segment bracket any sane input.
            low, high = y_prev - 5.0 * span, y_prev + 0.9 * span
            if error(low) * error(high) > 0:
                raise ValueError(
                    f"par_rates: no curve reprices the {n}-year rate {rate!r} given the "
                    "shorter tenors"
                )
            node_y.append(brentq(error, low, high, xtol=1e-15, rtol=4 * np.finfo(float).eps))
            node_t.append(t_pillar)
        pays = _period_dates(effective_date(trade), int(tenors[-1]))[2]
        return cls(trade, [pays[n - 1] for n in tenors], np.exp(node_y))


# --------------------------------------------------------------------------------------------
# Schedules
# --------------------------------------------------------------------------------------------


def effective_date(trade_date: dt.date) -> dt.date:
    """Effective (start) date of a spot-starting SOFR OIS: trade date + 2 business days.

    Business days are those of the US government-securities market
    (:func:`treasury_rv.dates.is_business_day`).

    Parameters
    ----------
    trade_date : datetime.date
        Trade date, a business day.

    Returns
    -------
    datetime.date

    Examples
    --------
    >>> import datetime as dt
    >>> effective_date(dt.date(2025, 7, 2))  # over Independence Day and a weekend
    datetime.date(2025, 7, 7)
    """
    return add_business_days(_trade_date(trade_date), SPOT_LAG_DAYS)


def modified_following(d: dt.date) -> dt.date:
    """Adjust a date to a business day, modified following.

    The next business day, unless that is in the next month; then the business day before.

    Parameters
    ----------
    d : datetime.date
        The unadjusted date.

    Returns
    -------
    datetime.date

    Examples
    --------
    >>> import datetime as dt
    >>> modified_following(dt.date(2026, 1, 31))  # a Saturday at month end: back to Friday
    datetime.date(2026, 1, 30)
    >>> modified_following(dt.date(2026, 2, 1))  # a Sunday: on to Monday
    datetime.date(2026, 2, 2)
    """
    d = as_date(d, "d")
    following = add_business_days(d, 0)
    if following.month == d.month:
        return following
    preceding = d
    while not is_business_day(preceding):
        preceding -= dt.timedelta(days=1)
    return preceding


@lru_cache(maxsize=256)
def _period_dates(effective: dt.date, n: int) -> tuple[tuple[dt.date, ...], ...]:
    """Adjusted period starts, ends and payment dates of the first ``n`` annual periods."""
    bounds = [effective] + [
        modified_following(add_months(effective, 12 * k)) for k in range(1, n + 1)
    ]
    pay = tuple(add_business_days(e, PAYMENT_LAG_DAYS) for e in bounds[1:])
    return tuple(bounds[:-1]), tuple(bounds[1:]), pay


@dataclass(frozen=True)
class _Grid:
    """Times (ACT/365F years from the curve's reference date) and accruals of annual periods."""

    start: np.ndarray
    end: np.ndarray
    pay: np.ndarray
    accrual: np.ndarray


def _grid(trade: dt.date, reference: dt.date, n: int) -> _Grid:
    starts, ends, pays = _period_dates(add_business_days(trade, SPOT_LAG_DAYS), n)
    ords = [np.array([d.toordinal() for d in ds]) for ds in (starts, ends, pays)]
    s, e, p = ((o - reference.toordinal()) / _DAYS_PER_YEAR for o in ords)
    return _Grid(s, e, p, (ords[1] - ords[0]) / 360)


def ois_schedule(trade_date: dt.date, tenor_years: int) -> pd.DataFrame:
    """The periods of a spot-starting SOFR OIS: the same on the fixed and floating legs.

    Parameters
    ----------
    trade_date : datetime.date
        Trade date, a US government-securities business day.
    tenor_years : int
        Tenor in whole years, 1 to :data:`MAX_TENOR_YEARS`.

    Returns
    -------
    pandas.DataFrame
        One row per annual period: ``start`` and ``end`` (accrual dates, modified following),
        ``payment`` (two business days after ``end``) and ``accrual`` (ACT/360 year fraction).

    Examples
    --------
    >>> import datetime as dt
    >>> ois_schedule(dt.date(2025, 4, 2), 2)
            start         end     payment   accrual
    0  2025-04-04  2026-04-06  2026-04-08  1.019444
    1  2026-04-06  2027-04-05  2027-04-07  1.011111
    """
    trade = _trade_date(trade_date)
    tenor = _tenors(tenor_years)
    if tenor.ndim:
        raise TypeError("tenor_years must be one whole number of years")
    starts, ends, pays = _period_dates(effective_date(trade), int(tenor))
    accrual = [(e - s).days / 360 for s, e in zip(starts, ends, strict=True)]
    return pd.DataFrame({"start": starts, "end": ends, "payment": pays, "accrual": accrual})


# --------------------------------------------------------------------------------------------
# Pricing
# --------------------------------------------------------------------------------------------


def _legs(
    grid: _Grid, node_t: np.ndarray, node_y: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Discounted floating payments and annuity terms of the first ``n`` periods."""
    df_s, df_e, df_p = (
        np.exp(_log_df(t[:n], node_t, node_y)) for t in (grid.start, grid.end, grid.pay)
    )
    return (df_s / df_e - 1) * df_p, grid.accrual[:n] * df_p


def _par_from_nodes(grid: _Grid, xs: np.ndarray, ys: np.ndarray, n: int) -> float:
    floating, fixed = _legs(grid, xs, ys, n)
    return float(floating.sum() / fixed.sum())


def _cumulative_legs(
    curve: SofrCurve, trade_date: object, tenor_years: object
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Floating-leg and annuity values (per unit notional) of each tenor, and the tenors."""
    curve = _curve(curve)
    trade = _trade_date(trade_date)
    if trade < curve.reference_date:
        raise ValueError(
            f"trade_date {trade} must be on or after the curve's reference date "
            f"{curve.reference_date}"
        )
    tenors = _tenors(tenor_years)
    n = int(tenors.max())
    floating, fixed = _legs(_grid(trade, curve.reference_date, n), curve._times, curve._log_dfs, n)
    return np.cumsum(floating)[tenors - 1], np.cumsum(fixed)[tenors - 1], tenors


def ois_par_rate(
    curve: SofrCurve, trade_date: dt.date, tenor_years: int | Sequence[int]
) -> float | np.ndarray:
    """Par fixed rate of spot-starting SOFR OIS: floating-leg value over the annuity.

    Parameters
    ----------
    curve : SofrCurve
        The SOFR curve.
    trade_date : datetime.date
        Trade date, a business day on or after the curve's reference date (after it, the rate
        is a forward-starting par rate seen from the reference date).
    tenor_years : int or array_like of int
        Tenors in whole years, 1 to :data:`MAX_TENOR_YEARS`.

    Returns
    -------
    float or numpy.ndarray
        Par rates, decimal, annual ACT/360; a float for one tenor.

    Examples
    --------
    >>> import datetime as dt
    >>> curve = SofrCurve(dt.date(2025, 4, 2), [dt.date(2035, 4, 2)], [0.68])
    >>> round(ois_par_rate(curve, dt.date(2025, 4, 2), 10), 6)  # flat 3.85% continuous
    0.03876
    """
    floating, fixed, _ = _cumulative_legs(curve, trade_date, tenor_years)
    return _result(floating / fixed)


def annuity(
    curve: SofrCurve, trade_date: dt.date, tenor_years: int | Sequence[int]
) -> float | np.ndarray:
    """The fixed leg's annuity: ``sum_k a_k DF(p_k)``, years per unit of notional.

    One basis point on the fixed rate is worth ``annuity x notional / 10,000`` dollars.

    Parameters
    ----------
    curve : SofrCurve
        The SOFR curve.
    trade_date : datetime.date
        Trade date, a business day on or after the curve's reference date.
    tenor_years : int or array_like of int
        Tenors in whole years, 1 to :data:`MAX_TENOR_YEARS`.

    Returns
    -------
    float or numpy.ndarray
        Annuity, in years (ACT/360 accruals, discounted).

    Examples
    --------
    >>> import datetime as dt
    >>> curve = SofrCurve(dt.date(2025, 4, 2), [dt.date(2035, 4, 2)], [0.68])
    >>> round(annuity(curve, dt.date(2025, 4, 2), 10), 4)
    8.2522
    """
    _, fixed, _ = _cumulative_legs(curve, trade_date, tenor_years)
    return _result(fixed)


def swap_pv(
    curve: SofrCurve,
    trade_date: dt.date,
    tenor_years: int | Sequence[int],
    fixed_rate: float | Sequence[float],
    notional: float,
    *,
    pay_fixed: bool = True,
) -> float | np.ndarray:
    """Present value of a SOFR OIS, dollars, seen from the curve's reference date.

    For the payer of fixed: ``notional x (floating leg - fixed_rate x annuity)``; the
    receiver's is the negative. Zero at the par rate.

    Parameters
    ----------
    curve : SofrCurve
        The SOFR curve.
    trade_date : datetime.date
        Trade date, a business day on or after the curve's reference date.
    tenor_years : int or array_like of int
        Tenors in whole years.
    fixed_rate : float or array_like
        Fixed rate, decimal; broadcasts against ``tenor_years``.
    notional : float
        Notional, dollars, positive.
    pay_fixed : bool, default True
        True for the payer of fixed (receiver of SOFR), False for the receiver of fixed.

    Returns
    -------
    float or numpy.ndarray
        PV in dollars.

    Examples
    --------
    >>> import datetime as dt
    >>> curve = SofrCurve(dt.date(2025, 4, 2), [dt.date(2035, 4, 2)], [0.68])
    >>> round(swap_pv(curve, dt.date(2025, 4, 2), 10, 0.0378, 100e6))  # pay 3.78%, par 3.876%
    792011
    """
    if not isinstance(pay_fixed, bool):
        raise TypeError(f"pay_fixed must be a bool, got {type(pay_fixed).__name__}")
    floating, fixed, _ = _cumulative_legs(curve, trade_date, tenor_years)
    k = check_rate(fixed_rate, "fixed_rate")
    n = float(check_positive(as_real(notional, "notional"), "notional"))
    floating, fixed, k = _broadcast(tenor_years=floating, fixed_annuity=fixed, fixed_rate=k)
    pv = n * (floating - k * fixed)
    return _result(pv if pay_fixed else -pv)


def swap_dv01(
    curve: SofrCurve,
    trade_date: dt.date,
    tenor_years: int | Sequence[int],
    notional: float,
    *,
    fixed_rate: float | None = None,
) -> float | np.ndarray:
    """DV01 of a SOFR OIS: dollars gained by the *receiver of fixed* for a 1bp fall in rates.

    The fall is a parallel shift of the curve's continuously compounded zero rates
    (:meth:`SofrCurve.shifted`), by central difference over +/-1bp. The result is positive;
    the payer of fixed loses the same amount. It is close to ``annuity x notional / 10,000``
    but a little larger, since a 1bp move in continuously compounded ACT/365F zero rates
    moves the annual ACT/360 par rate by slightly more than 1bp.

    Parameters
    ----------
    curve : SofrCurve
        The SOFR curve.
    trade_date : datetime.date
        Trade date, a business day on or after the curve's reference date.
    tenor_years : int or array_like of int
        Tenors in whole years.
    notional : float
        Notional, dollars, positive.
    fixed_rate : float or array_like, optional
        The swap's fixed rate, decimal; default the par rate (a new swap).

    Returns
    -------
    float or numpy.ndarray
        Dollars per basis point.

    Examples
    --------
    >>> import datetime as dt
    >>> curve = SofrCurve(dt.date(2025, 4, 2), [dt.date(2035, 4, 2)], [0.68])
    >>> round(swap_dv01(curve, dt.date(2025, 4, 2), 10, 100e6))  # $ per bp on $100mn
    84592
    """
    curve = _curve(curve)
    k = ois_par_rate(curve, trade_date, tenor_years) if fixed_rate is None else fixed_rate
    args = (trade_date, tenor_years, k, notional)
    down = swap_pv(curve.shifted(-1.0), *args, pay_fixed=False)
    up = swap_pv(curve.shifted(1.0), *args, pay_fixed=False)
    return _result((np.asarray(down) - np.asarray(up)) / 2)


def swap_spread_bp(swap_rate: object, treasury_yield: object) -> float | np.ndarray:
    """Swap spread: the swap's fixed rate minus the Treasury yield of the same maturity, in bp.

    Negative when Treasury yields exceed swap rates, as at long maturities since 2008. Quoted,
    as the market quotes it, as the plain difference of an annual ACT/360 swap rate and a
    semiannual Treasury yield, with no convexity or day-count adjustment.

    Parameters
    ----------
    swap_rate : float or array_like
        Par swap rate, decimal.
    treasury_yield : float or array_like
        Treasury yield (a note's yield to maturity or a fitted par yield), decimal.

    Returns
    -------
    float or numpy.ndarray
        Basis points.

    Examples
    --------
    >>> round(swap_spread_bp(0.0390, 0.0449), 6)
    -59.0
    """
    s, y = _broadcast(
        swap_rate=check_rate(swap_rate, "swap_rate"),
        treasury_yield=check_rate(treasury_yield, "treasury_yield"),
    )
    return _result((s - y) * _BP)


# --------------------------------------------------------------------------------------------
# The swap-spread trade: long Treasury in repo, pay fixed, receive SOFR
# --------------------------------------------------------------------------------------------


def hedge_notional(
    bond_dv01_per_100: object, face: object, swap_dv01_per_notional: object
) -> float | np.ndarray:
    """Swap notional whose DV01 matches a Treasury position's: the pay-fixed hedge.

    ``notional = face x bond_dv01_per_100 / 100 / swap_dv01_per_notional``, so that a 1bp move
    changes the bond and the swap by the same dollars in opposite directions. The two DV01s
    must be on one basis: the bond's is per bp of its yield, so the swap's should be per bp of
    its par rate (:func:`swap_pv01`); against :func:`swap_dv01`, per bp of zero rates, the
    hedge is a few per cent short of neutral to a move in both quoted rates.

    Parameters
    ----------
    bond_dv01_per_100 : float or array_like
        The Treasury's DV01, price points per 100 face per bp (:func:`treasury_rv.bonds.dv01`).
    face : float or array_like
        Face of the Treasury position, dollars, positive.
    swap_dv01_per_notional : float or array_like
        The swap's DV01 per dollar of notional, dollars per bp, on the bond's basis
        (``swap_pv01(curve, trade_date, tenor, 1.0)``).

    Returns
    -------
    float or numpy.ndarray
        Swap notional, dollars.

    Examples
    --------
    >>> round(hedge_notional(0.0818, 100e6, 0.00085) / 1e6, 2)  # $mn of swap for $100mn face
    96.24
    """
    b, f, s = _broadcast(
        bond_dv01_per_100=check_positive(bond_dv01_per_100, "bond_dv01_per_100"),
        face=check_positive(face, "face"),
        swap_dv01_per_notional=check_positive(swap_dv01_per_notional, "swap_dv01_per_notional"),
    )
    return _result(f * b / 100 / s)


def trade_carry_bp(
    treasury_yield: object, repo_rate: object, swap_rate: object, sofr: object
) -> float | np.ndarray:
    """First-order carry of the swap-spread trade, bp a year: the Treasury's and the swap's.

    ``carry = (treasury_yield - repo_rate) - (swap_rate - sofr)``: the bond earns its yield
    over the repo rate that finances it; the swap pays fixed and receives SOFR. This is the
    identity to first order only: it puts the four rates on one notional and one day count.
    The trade's dollars differ, because the repo finances the bond's dirty value at ACT/360,
    the bond earns its coupon and pull to par (not its yield on face), and the swap accrues at
    ACT/360 on its own notional; :func:`bond_carry` and :func:`swap_carry` count them leg by
    leg. When repo is close to SOFR the carry is close to minus the swap spread.

    Parameters
    ----------
    treasury_yield, repo_rate, swap_rate, sofr : float or array_like
        Rates, decimal; broadcast together.

    Returns
    -------
    float or numpy.ndarray
        Basis points a year on the notional.

    Examples
    --------
    >>> round(trade_carry_bp(0.0449, 0.0440, 0.0390, 0.0436), 6)  # spread -59bp, repo 4bp over
    55.0
    """
    y, r, s, f = _broadcast(
        treasury_yield=check_rate(treasury_yield, "treasury_yield"),
        repo_rate=check_rate(repo_rate, "repo_rate"),
        swap_rate=check_rate(swap_rate, "swap_rate"),
        sofr=check_rate(sofr, "sofr"),
    )
    return _result(((y - r) - (s - f)) * _BP)


def trade_pnl(
    spread_change_bp: object,
    dv01: object,
    *,
    carry_bp: object = 0.0,
    position: object = 0.0,
    horizon_years: object = 0.0,
) -> float | np.ndarray:
    """P&L of the DV01-matched swap-spread trade, dollars: spread move plus carry.

    Long the Treasury and paying fixed, the trade gains ``dv01`` for each basis point the swap
    spread rises (the Treasury yield falls against the swap rate) and loses as it falls. Over a
    holding period it also earns its carry on the position:

    ``pnl = dv01 x spread_change_bp + position x carry_bp / 10,000 x horizon_years``.

    Parameters
    ----------
    spread_change_bp : float or array_like
        Change in the swap spread, bp; negative when the spread falls (more negative).
    dv01 : float or array_like
        DV01 of each leg, dollars per bp, positive (the legs are matched).
    carry_bp : float or array_like, default 0
        Carry, bp a year on the position (:func:`trade_carry_bp`).
    position : float or array_like, default 0
        Market value of the Treasury position, dollars, not negative.
    horizon_years : float or array_like, default 0
        Holding period, years, not negative.

    Returns
    -------
    float or numpy.ndarray
        Dollars.

    Examples
    --------
    >>> trade_pnl(-10.0, 85_000.0)  # the spread falls 10bp on $85,000 a bp
    -850000.0
    >>> trade_pnl(0.0, 85_000.0, carry_bp=55.0, position=100e6, horizon_years=0.25)
    137500.0
    """
    d, dv, c, p, t = _broadcast(
        spread_change_bp=as_float_array(spread_change_bp, "spread_change_bp"),
        dv01=check_positive(dv01, "dv01"),
        carry_bp=as_float_array(carry_bp, "carry_bp"),
        position=check_nonnegative(position, "position"),
        horizon_years=check_nonnegative(horizon_years, "horizon_years"),
    )
    return _result(dv * d + p * c / _BP * t)


def swap_initial_margin(
    notional: object, dv01_per_notional: object, im_bp: object
) -> float | np.ndarray:
    """Illustrative initial margin on a cleared swap: a shock of ``im_bp`` times its DV01.

    Clearing houses set initial margin with historical-simulation VaR models over several
    days of rate moves; this stand-in charges the loss from a single parallel move of
    ``im_bp``: ``notional x dv01_per_notional x im_bp``. The shock size is the reader's
    choice, not a clearing house's parameter.

    Parameters
    ----------
    notional : float or array_like
        Swap notional, dollars, positive.
    dv01_per_notional : float or array_like
        DV01 per dollar of notional, dollars per bp, positive.
    im_bp : float or array_like
        The margin shock, bp, not negative.

    Returns
    -------
    float or numpy.ndarray
        Initial margin, dollars.

    Examples
    --------
    >>> round(swap_initial_margin(100e6, 0.00085, 30.0))  # a 30bp shock on a 10-year swap
    2550000
    """
    n, d, m = _broadcast(
        notional=check_positive(notional, "notional"),
        dv01_per_notional=check_positive(dv01_per_notional, "dv01_per_notional"),
        im_bp=check_nonnegative(im_bp, "im_bp"),
    )
    return _result(n * d * m)


def spread_shock(
    spread_change_bp: object,
    *,
    position: float,
    equity: float,
    dv01: float,
    haircut: float,
    initial_margin: float = 0.0,
    buffer: float = 0.0,
) -> pd.DataFrame:
    """What a move in the swap spread does to a levered trade: loss, margin call, forced sale.

    The trade's P&L on the move is ``dv01 x spread_change_bp`` (:func:`trade_pnl`, no carry).
    For margin it is treated as one position worth ``position`` (the Treasury at market),
    financed at an effective haircut ``haircut + initial_margin / position`` (the repo haircut
    plus the swap's initial margin), with the move's P&L as a price change of
    ``pnl / position``; :func:`treasury_rv.leverage.forced_sale` then gives the variation
    margin called, the part spare cash cannot pay, and the sale that forces. This is the
    library's one margin model applied to the pair.

    Parameters
    ----------
    spread_change_bp : float or array_like
        Change in the swap spread, bp; a fall (negative) loses.
    position : float
        Market value of the Treasury, dollars, positive.
    equity : float
        The fund's equity in the trade, dollars; at least
        ``haircut x position + initial_margin``.
    dv01 : float
        DV01 of each (matched) leg, dollars per bp, positive.
    haircut : float
        Repo haircut on the Treasury, a fraction in [0, 1).
    initial_margin : float, default 0
        Initial margin posted on the swap, dollars (:func:`swap_initial_margin`).
    buffer : float, default 0
        Cash the fund keeps rather than meet calls with, dollars (as in ``forced_sale``).

    Returns
    -------
    pandas.DataFrame
        One row per spread change: ``spread_change_bp``, ``trade_pnl`` (dollars),
        ``margin_rate`` (the effective haircut) and the columns of
        :func:`treasury_rv.leverage.forced_sale`.

    Examples
    --------
    >>> out = spread_shock([-5.0, -20.0], position=100e6, equity=2e6, dv01=85_000.0,
    ...                    haircut=0.0, initial_margin=1.275e6)
    >>> out[["trade_pnl", "call", "sale"]].round(-3).values.tolist()
    [[-425000.0, 420000.0, 0.0], [-1700000.0, 1678000.0, 74771000.0]]
    """
    move = np.ravel(as_float_array(spread_change_bp, "spread_change_bp"))
    p = float(check_positive(as_real(position, "position"), "position"))
    e = float(check_positive(as_real(equity, "equity"), "equity"))
    d = float(check_positive(as_real(dv01, "dv01"), "dv01"))
    rate = _margin_rate(p, haircut, initial_margin, "initial_margin")
    pnl = d * move
    if np.any(np.abs(pnl) > p):
        raise ValueError("spread_change_bp x dv01 must not exceed the position in size")
    frame = leverage.forced_sale(p, e, rate, pnl / p, buffer=buffer)
    frame.insert(0, "margin_rate", rate)
    frame.insert(0, "trade_pnl", pnl)
    frame.insert(0, "spread_change_bp", move)
    return frame


def _margin_rate(position: float, haircut: object, initial_margin: object, name: str) -> float:
    h = float(check_fraction(as_real(haircut, "haircut"), "haircut", allow_zero=True))
    im = float(check_nonnegative(as_real(initial_margin, name), name))
    rate = h + im / position
    if not 0 < rate < 1:
        raise ValueError(
            f"haircut + {name} / position must be strictly between 0 and 1, got {rate!r}"
        )
    return rate


def margin_hike(
    position: float,
    equity: float,
    haircut: float,
    initial_margin_before: float,
    initial_margin_after: float,
) -> pd.DataFrame:
    """The unwind forced when the clearing house raises initial margin on the swap.

    As in :func:`spread_shock` the trade is one position financed at the effective haircut
    ``haircut + initial_margin / position``; a rise in initial margin at unchanged equity is a
    rise in that haircut, and :func:`treasury_rv.leverage.haircut_hike` gives the share of the
    trade (Treasury and swap together, the margin scaling with the notional) that must go. A
    fund at its limit sells ``1 - rate_before / rate_after`` of the position.

    Parameters
    ----------
    position : float
        Market value of the Treasury, dollars, positive.
    equity : float
        The fund's equity in the trade, dollars; at least the margin before the rise,
        ``haircut x position + initial_margin_before``.
    haircut : float
        Repo haircut on the Treasury, a fraction in [0, 1).
    initial_margin_before, initial_margin_after : float
        Initial margin on the swap before and after the rise, dollars, not negative.

    Returns
    -------
    pandas.DataFrame
        One row: ``initial_margin_before``, ``initial_margin_after`` and the columns of
        :func:`treasury_rv.leverage.haircut_hike` (``haircut_before`` and ``haircut_after``
        there are the effective rates).

    Examples
    --------
    >>> out = margin_hike(100e6, 2e6, 0.005, 1.5e6, 3e6)  # margin doubles at 50x
    >>> out.loc[0, ["sale", "sale_share"]].round(4).tolist()
    [42857142.8571, 0.4286]
    """
    p = float(check_positive(as_real(position, "position"), "position"))
    before = _margin_rate(p, haircut, initial_margin_before, "initial_margin_before")
    after = _margin_rate(p, haircut, initial_margin_after, "initial_margin_after")
    frame = leverage.haircut_hike(equity, before, after, position=p)
    frame.insert(0, "initial_margin_after", float(initial_margin_after))
    frame.insert(0, "initial_margin_before", float(initial_margin_before))
    return frame


# --------------------------------------------------------------------------------------------
# Balance-sheet cost: the supplementary leverage ratio (illustrative)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlrRule:
    """A setting of the US supplementary leverage ratio (SLR) for the largest banks (G-SIBs).

    The SLR is tier 1 capital over total leverage exposure, which counts every asset,
    Treasuries and central-bank reserves included, whatever its risk.

    Attributes
    ----------
    name : str
        Short name of the rule.
    effective : datetime.date
        First day in force.
    ends : datetime.date or None
        Last day in force, or None while it still applies.
    holding_company : tuple of float
        Requirement for G-SIB holding companies (minimum plus buffer), as a (low, high) range
        of fractions; equal when there is one figure.
    bank : tuple of float
        Requirement for their insured bank subsidiaries to be well capitalised, (low, high).
    treasuries_excluded : bool
        Whether Treasuries and reserves were left out of the exposure measure.
    source : str
        Where the figures come from.
    confirmed : bool
        Whether the figures were read in a primary source.
    """

    name: str
    effective: dt.date
    ends: dt.date | None
    holding_company: tuple[float, float]
    bank: tuple[float, float]
    treasuries_excluded: bool
    source: str
    confirmed: bool


#: SLR settings for US G-SIBs since the enhanced SLR took effect, oldest first.
#:
#: The 2014 rule (5% for holding companies, 6% for their banks, from 1 January 2018), the
#: temporary exclusion of Treasuries and reserves (1 April 2020 to 31 March 2021) and the 2025
#: recalibration (3.5-4.25% and at most 4%, from 1 April 2026). Each :class:`SlrRule` carries
#: its source.
#:
#: :meta hide-value:
SLR_RULES: tuple[SlrRule, ...] = (
    SlrRule(
        name="2014 enhanced SLR",
        effective=dt.date(2018, 1, 1),
        ends=dt.date(2026, 3, 31),
        holding_company=(0.05, 0.05),
        bank=(0.06, 0.06),
        treasuries_excluded=False,
        source=(
            "Final rule, 79 FR 24528 (1 May 2014): 3% minimum + 2% buffer for G-SIB holding "
            "companies, 6% for their banks to be well capitalised; effective 1 January 2018"
        ),
        confirmed=True,
    ),
    SlrRule(
        name="2020 temporary exclusion of Treasuries and reserves",
        effective=dt.date(2020, 4, 1),
        ends=dt.date(2021, 3, 31),
        holding_company=(0.05, 0.05),
        bank=(0.06, 0.06),
        treasuries_excluded=True,
        source=(
            "Federal Reserve Board interim final rule announced 1 April 2020 (FR Doc. "
            "2020-07345, Federal Register 14 April 2020) for holding companies; their banks "
            "could elect a similar exclusion (85 FR 32980, 1 June 2020); expired 31 March "
            "2021, not extended (joint release of 19 March 2021)"
        ),
        confirmed=True,
    ),
    SlrRule(
        name="2025 recalibration",
        effective=dt.date(2026, 4, 1),
        ends=None,
        holding_company=(0.035, 0.0425),
        bank=(0.035, 0.04),
        treasuries_excluded=False,
        source=(
            "Joint proposal of 27 June 2025 (90 FR 30780): buffer = 50% of the method-1 G-SIB "
            "surcharge, 3.5-4.25%; final rule of 25 November 2025 (FR Doc. 2025-21626; OCC "
            "Bulletin 2025-41) caps the bank buffer at 1% (at most 4%); effective 1 April "
            "2026, optional from 1 January 2026"
        ),
        confirmed=True,
    ),
)


def slr_rule(on_date: dt.date) -> SlrRule:
    """The SLR setting in force on a date (from :data:`SLR_RULES`).

    Where two rules overlap (the 2020 exclusion within the 2014 rule) the later one applies.

    Parameters
    ----------
    on_date : datetime.date
        The date; on or after 1 January 2018, when the enhanced SLR took effect.

    Returns
    -------
    SlrRule

    Examples
    --------
    >>> import datetime as dt
    >>> slr_rule(dt.date(2020, 6, 30)).treasuries_excluded
    True
    >>> slr_rule(dt.date(2025, 4, 2)).holding_company
    (0.05, 0.05)
    """
    d = as_date(on_date, "on_date")
    live = [r for r in SLR_RULES if r.effective <= d and (r.ends is None or d <= r.ends)]
    if not live:
        raise ValueError(
            f"on_date {d} is before {SLR_RULES[0].effective}, when the enhanced SLR took effect"
        )
    return max(live, key=lambda r: r.effective)


def balance_sheet_cost_bp(slr: object, return_on_capital: object) -> float | np.ndarray:
    """Illustrative cost of holding an asset against a leverage ratio, bp a year of the asset.

    A leverage ratio ``slr`` makes each dollar of assets tie up ``slr`` dollars of tier 1
    capital, whatever the asset; if shareholders want ``return_on_capital`` on it, the asset
    must earn ``slr x return_on_capital`` a year to pay for its place on the balance sheet.

    Parameters
    ----------
    slr : float or array_like
        Leverage-ratio requirement, a fraction in [0, 1) (0.05 for 5%; 0 when the asset is
        excluded from the exposure measure).
    return_on_capital : float or array_like
        Annual return required on that capital, over what it earns anyway, decimal in [0, 1).

    Returns
    -------
    float or numpy.ndarray
        Basis points a year on the asset.

    Examples
    --------
    >>> round(balance_sheet_cost_bp(0.05, 0.10), 6)
    50.0
    """
    s, r = _broadcast(
        slr=check_fraction(slr, "slr", allow_zero=True),
        return_on_capital=check_fraction(return_on_capital, "return_on_capital", allow_zero=True),
    )
    return _result(s * r * _BP)


def dealer_breakeven_spread_bp(
    slr: object, return_on_capital: object, *, repo_minus_sofr_bp: object = 0.0
) -> float | np.ndarray:
    """Illustrative swap spread that leaves a dealer indifferent to the swap-spread trade.

    A dealer that holds the Treasury, finances it in repo and pays fixed on a matched swap earns
    the carry ``(y - repo) - (s - SOFR) = -spread - (repo - SOFR)`` a year. It breaks even when
    the carry pays for the balance sheet (:func:`balance_sheet_cost_bp`):

    ``breakeven spread = -balance_sheet_cost_bp - repo_minus_sofr_bp``.

    Spreads below it (more negative) pay the dealer to hold bonds; above it the dealer will not.
    Only the leverage ratio is priced: no risk-based capital, no margin, no term repo.

    Parameters
    ----------
    slr : float or array_like
        Leverage-ratio requirement, a fraction in [0, 1).
    return_on_capital : float or array_like
        Annual return required on that capital, decimal in [0, 1).
    repo_minus_sofr_bp : float or array_like, default 0
        Repo rate the dealer pays less SOFR, bp.

    Returns
    -------
    float or numpy.ndarray
        Breakeven swap spread, bp (negative).

    Examples
    --------
    >>> round(dealer_breakeven_spread_bp(0.05, 0.10, repo_minus_sofr_bp=2.0), 6)
    -52.0
    """
    cost, rms = _broadcast(
        cost=np.asarray(balance_sheet_cost_bp(slr, return_on_capital)),
        repo_minus_sofr_bp=as_float_array(repo_minus_sofr_bp, "repo_minus_sofr_bp"),
    )
    return _result(-cost - rms)


# --------------------------------------------------------------------------------------------
# Leg by leg: the trade's dollar carry, its roll-down, and its margin
# --------------------------------------------------------------------------------------------


def swap_pv01(
    curve: SofrCurve, trade_date: dt.date, tenor_years: int | Sequence[int], notional: float
) -> float | np.ndarray:
    """Par-rate PV01 of a SOFR OIS: dollars per basis point of its fixed rate.

    ``notional x annuity / 10,000``: what the swap gains or loses when its par rate, the rate
    the market quotes, moves by 1bp. This is the basis on which a swap spread is quoted (a
    swap rate minus a bond yield), so a hedge that sets it against the bond's yield DV01
    (:func:`treasury_rv.bonds.dv01`) is neutral to a 1bp move in both quoted rates.
    :func:`swap_dv01`, per bp of zero rates, is a few per cent larger.

    Parameters
    ----------
    curve : SofrCurve
        The SOFR curve.
    trade_date : datetime.date
        Trade date, a business day on or after the curve's reference date.
    tenor_years : int or array_like of int
        Tenors in whole years.
    notional : float
        Notional, dollars, positive.

    Returns
    -------
    float or numpy.ndarray
        Dollars per basis point.

    Examples
    --------
    >>> import datetime as dt
    >>> curve = SofrCurve(dt.date(2025, 4, 2), [dt.date(2035, 4, 2)], [0.68])
    >>> round(swap_pv01(curve, dt.date(2025, 4, 2), 10, 100e6))  # annuity 8.2522 x $10,000
    82522
    """
    n = float(check_positive(as_real(notional, "notional"), "notional"))
    return _result(np.asarray(annuity(curve, trade_date, tenor_years)) * n / _BP)


def _horizon(start: object, end: object) -> tuple[dt.date, dt.date]:
    s, e = as_date(start, "settle"), as_date(end, "horizon")
    if e <= s:
        raise ValueError(f"horizon {e} must be after {s}")
    return s, e


def bond_carry(
    bond: Treasury,
    settle: dt.date,
    ytm: float,
    face: float,
    repo_rate: float,
    horizon: dt.date,
) -> pd.Series:
    """Dollar carry of a Treasury held in repo from ``settle`` to ``horizon``, at its own yield.

    The bond earns its coupon (accrued interest gained plus any coupon paid in the period)
    and its *pull to par*, the change in its clean price at an unchanged yield; the repo costs
    interest on the *dirty* value borrowed, at ``repo_rate`` on an ACT/360 basis. Coupon plus
    pull to par is the bond's return at a constant yield, semiannual ACT/ACT; it is not the
    yield times face, which is what a carry in basis points implicitly assumes.

    Parameters
    ----------
    bond : treasury_rv.bonds.Treasury
        The note or bond.
    settle : datetime.date
        Settlement date of the purchase, before ``horizon``.
    ytm : float
        The bond's yield to maturity at purchase, decimal, held fixed to the horizon.
    face : float
        Face held, dollars, positive.
    repo_rate : float
        Repo rate, decimal, ACT/360; the whole dirty value is borrowed (no haircut).
    horizon : datetime.date
        End of the holding period, before maturity.

    Returns
    -------
    pandas.Series
        Dollars: ``coupon_income``, ``pull_to_par``, ``repo_interest`` (a cost, negative) and
        ``total``; and ``financed`` (the dirty value borrowed) and ``days``.

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.bonds import Treasury
    >>> leg = bond_carry(Treasury(0.04, dt.date(2030, 5, 15)), dt.date(2025, 5, 15), 0.04,
    ...                  100e6, 0.04, dt.date(2025, 11, 15))  # at par: coupon less 184 days
    >>> leg[["coupon_income", "pull_to_par", "repo_interest"]].round(0).tolist()
    [2000000.0, 0.0, -2044444.0]
    """
    if not isinstance(bond, Treasury):
        raise TypeError(f"bond must be a Treasury, got {type(bond).__name__}")
    s, h = _horizon(settle, horizon)
    if h >= bond.maturity:
        raise ValueError(f"horizon {h} must be before the bond's maturity {bond.maturity}")
    y = float(check_rate(as_real(ytm, "ytm"), "ytm"))
    f = float(check_positive(as_real(face, "face"), "face"))
    r = float(check_rate(as_real(repo_rate, "repo_rate"), "repo_rate"))
    paid = sum(
        bond.coupon / 2 * 100 for c in coupon_schedule(bond.maturity, s) if c <= h
    )  # coupons paid after settle, up to and including the horizon
    coupon = paid + accrued_interest(bond, h) - accrued_interest(bond, s)
    pull = clean_price(bond, h, y) - clean_price(bond, s, y)
    financed = dirty_price(bond, s, y) / 100 * f
    repo = -financed * r * act_360(s, h)
    parts = {"coupon_income": coupon / 100 * f, "pull_to_par": pull / 100 * f}
    parts["repo_interest"] = repo
    parts["total"] = sum(parts.values())
    return pd.Series({**parts, "financed": financed, "days": float((h - s).days)})


def swap_carry(
    notional: float, fixed_rate: float, sofr: float, start: dt.date, horizon: dt.date
) -> pd.Series:
    """Dollar carry of a pay-fixed SOFR OIS from ``start`` to ``horizon``: SOFR less fixed.

    Both legs accrue on the swap's own notional at ACT/360: the payer of fixed receives
    ``notional x sofr x days / 360`` and pays ``notional x fixed_rate x days / 360``. SOFR is
    taken as constant over the period (compounding a constant rate daily adds a fraction of a
    basis point a year and is left out).

    Parameters
    ----------
    notional : float
        Swap notional, dollars, positive.
    fixed_rate : float
        The swap's fixed rate, decimal.
    sofr : float
        SOFR over the period, decimal.
    start, horizon : datetime.date
        Start and end of the period; ``horizon`` after ``start``.

    Returns
    -------
    pandas.Series
        Dollars to the payer of fixed: ``sofr_received``, ``fixed_paid`` (negative), ``total``.

    Examples
    --------
    >>> import datetime as dt
    >>> leg = swap_carry(100e6, 0.0366, 0.0435, dt.date(2025, 4, 4), dt.date(2026, 4, 4))
    >>> round(leg["total"])  # 69bp on $100mn for 365 / 360 of a year
    699583
    """
    s, h = _horizon(start, horizon)
    n = float(check_positive(as_real(notional, "notional"), "notional"))
    k = float(check_rate(as_real(fixed_rate, "fixed_rate"), "fixed_rate"))
    f = float(check_rate(as_real(sofr, "sofr"), "sofr"))
    a = act_360(s, h)
    parts = {"sofr_received": n * f * a, "fixed_paid": -n * k * a}
    return pd.Series({**parts, "total": parts["sofr_received"] + parts["fixed_paid"]})


def swap_value_at_horizon(
    curve: SofrCurve,
    trade_date: dt.date,
    tenor_years: int,
    fixed_rate: float,
    notional: float,
    horizon: dt.date,
    sofr: float,
) -> float:
    """Value to the payer of fixed of a spot-starting SOFR OIS at a horizon, curve unchanged.

    *Unchanged* means unchanged in time to maturity: the curve seen from ``horizon`` has the
    same discount factor ``t`` years ahead as ``curve`` has ``t`` years after its reference
    date (the pillars move forward with the calendar). SOFR is realised at ``sofr`` from the
    effective date to the horizon; the rest of the first period compounds at the rolled curve's
    forward rate. The value is the swap's carry accrued so far plus its *roll-down*, what the
    shorter swap's lower or higher par rate is worth against the fixed rate.

    Parameters
    ----------
    curve : SofrCurve
        The curve at the trade date (its reference date).
    trade_date : datetime.date
        Trade date of the swap, the curve's reference date.
    tenor_years : int
        Tenor in whole years.
    fixed_rate : float
        The swap's fixed rate, decimal.
    notional : float
        Notional, dollars, positive.
    horizon : datetime.date
        The date it is valued, after the effective date and before the first period ends.
    sofr : float
        SOFR realised from the effective date to the horizon, decimal, ACT/360.

    Returns
    -------
    float
        Dollars, valued at the horizon.

    Examples
    --------
    >>> import datetime as dt
    >>> curve = SofrCurve(dt.date(2025, 4, 2), [dt.date(2035, 4, 2)], [0.68])  # flat forward
    >>> k = ois_par_rate(curve, dt.date(2025, 4, 2), 10)
    >>> sofr = curve.forward_rate(dt.date(2025, 4, 4), dt.date(2025, 7, 4))  # as forecast
    >>> value = swap_value_at_horizon(curve, dt.date(2025, 4, 2), 10, k, 1e8,
    ...                               dt.date(2025, 7, 4), sofr)
    >>> abs(value) < 1e-6  # a flat curve does not roll, and SOFR came in as forecast: nothing
    True
    """
    curve = _curve(curve)
    trade = _trade_date(trade_date)
    if trade != curve.reference_date:
        raise ValueError(f"trade_date {trade} must be the curve's reference date")
    tenor = _tenors(tenor_years)
    if tenor.ndim:
        raise TypeError("tenor_years must be one whole number of years")
    k = float(check_rate(as_real(fixed_rate, "fixed_rate"), "fixed_rate"))
    n = float(check_positive(as_real(notional, "notional"), "notional"))
    f = float(check_rate(as_real(sofr, "sofr"), "sofr"))
    starts, ends, pays = _period_dates(effective_date(trade), int(tenor))
    h = as_date(horizon, "horizon")
    if not starts[0] < h < ends[0]:
        raise ValueError(f"horizon {h} must be after {starts[0]} and before {ends[0]}")
    shift = h - trade
    rolled = SofrCurve(h, [d + shift for d in curve.dates], curve.discount_factors)
    realised = 1 + f * act_360(starts[0], h)
    floating = [realised / rolled.discount(ends[0]) - 1]
    later = zip(starts[1:], ends[1:], strict=True)
    floating += [rolled.discount(s) / rolled.discount(e) - 1 for s, e in later]
    accrual = np.array([act_360(s, e) for s, e in zip(starts, ends, strict=True)])
    df_pay = rolled.discount(list(pays))
    return float(n * np.sum((np.asarray(floating) - k * accrual) * df_pay))


def vm_call(
    spread_change_bp: object,
    *,
    position: float,
    equity: float,
    dv01: float,
    haircut: float,
    initial_margin: float,
) -> pd.DataFrame:
    """A fall in the swap spread through variation margin and the release of initial margin.

    The mechanics of a cleared swap and a repo, leg by leg, when the spread moves by
    ``spread_change_bp`` and rates are otherwise unchanged in level: the fund pays its loss
    ``dv01 x |move|`` in cash, one for one, as variation margin on whichever leg lost (repo
    margin on the note, clearing-house margin on the swap). A fund with no cash beyond its
    margins meets the call by cutting a share ``x`` of the whole trade: selling the note repays
    its repo and frees the haircut, ``haircut x`` the note's value, and unwinding the swap
    releases its initial margin pro rata, so

    ``x = call / (haircut x position_after + initial_margin)``, sale ``= x x position_after``.

    The move is taken as a rise in the note's yield with swap rates unchanged (the note
    cheapens), so the note's value falls by the loss. Initial margin is taken as unchanged by
    the move; a rise is :func:`margin_hike`.

    Parameters
    ----------
    spread_change_bp : float or array_like
        Change in the swap spread, bp; a fall (negative) loses.
    position : float
        Market value of the note, dollars, positive.
    equity : float
        The fund's equity, dollars, at least ``haircut x position + initial_margin``; the
        excess is spare cash that pays the call first.
    dv01 : float
        DV01 of each (matched) leg, dollars per bp of the spread, positive.
    haircut : float
        Repo haircut, a fraction in [0, 1).
    initial_margin : float
        Initial margin on the swap, dollars, not negative; ``haircut`` and it not both zero.

    Returns
    -------
    pandas.DataFrame
        One row per move: ``spread_change_bp``, ``loss`` and ``call`` (dollars, both the loss
        on a fall), ``spare_cash``, ``released_per_share`` (margin freed by cutting the whole
        trade), ``sale_share`` and ``sale`` (dollars of note sold; NaN shares once the loss
        exceeds the equity, when everything goes), ``equity_after``.

    Examples
    --------
    >>> out = vm_call(-10.0, position=1e9, equity=24e6, dv01=800e3, haircut=0.0,
    ...               initial_margin=24e6)
    >>> out.loc[0, ["call", "sale_share"]].round(4).tolist()  # $8mn of $24mn margin: a third
    [8000000.0, 0.3333]
    """
    move = np.ravel(as_float_array(spread_change_bp, "spread_change_bp"))
    p = float(check_positive(as_real(position, "position"), "position"))
    e = float(check_positive(as_real(equity, "equity"), "equity"))
    d = float(check_positive(as_real(dv01, "dv01"), "dv01"))
    h = float(check_fraction(as_real(haircut, "haircut"), "haircut", allow_zero=True))
    im = float(check_nonnegative(as_real(initial_margin, "initial_margin"), "initial_margin"))
    if h == 0 and im == 0:
        raise ValueError("haircut and initial_margin must not both be zero")
    if e < h * p + im:
        raise ValueError(
            f"equity {e!r} must be at least haircut x position + initial_margin {h * p + im!r}"
        )
    pnl = d * move
    if np.any(np.abs(pnl) > p):
        raise ValueError("spread_change_bp x dv01 must not exceed the position in size")
    loss = np.maximum(-pnl, 0.0)
    spare = e - h * p - im
    call = loss
    p_after = p - loss  # the note's yield rises, swap rates stay: the note takes the loss
    released = h * p_after + im
    short = np.maximum(call - spare, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(loss >= e, np.nan, short / released)
    share = np.where(share > 1, np.nan, share)
    sale = np.where(np.isnan(share), p_after, share * p_after)
    return pd.DataFrame(
        {
            "spread_change_bp": move,
            "loss": loss,
            "call": call,
            "spare_cash": np.full(move.shape, spare),
            "released_per_share": released,
            "sale_share": share,
            "sale": sale,
            "equity_after": e + pnl,
        }
    )


# --------------------------------------------------------------------------------------------
# Matched-maturity swap spreads
# --------------------------------------------------------------------------------------------


def matched_maturity_swap_rate(curve: SofrCurve, trade_date: dt.date, maturity: dt.date) -> float:
    """Par SOFR swap rate interpolated to a bond's maturity date.

    The par rates of the two whole-year spot-starting swaps whose last periods end either side
    of ``maturity`` (:func:`ois_par_rate`), interpolated linearly in calendar days between their
    end dates. This is the *interpolated* swap rate a matched-maturity swap spread uses; a swap
    struck to the bond's own dates, with a broken period, would differ from it by the curve's
    curvature between the two tenors.

    Parameters
    ----------
    curve : SofrCurve
        The SOFR curve.
    trade_date : datetime.date
        Trade date, a business day on or after the curve's reference date.
    maturity : datetime.date
        The bond's maturity, between the end of the 1-year and of the
        :data:`MAX_TENOR_YEARS`-year swap.

    Returns
    -------
    float
        Par swap rate, decimal, annual ACT/360.

    Examples
    --------
    >>> import datetime as dt
    >>> trade = dt.date(2025, 4, 2)
    >>> curve = SofrCurve.bootstrap(trade, [9, 10], [0.0360, 0.0370])
    >>> round(matched_maturity_swap_rate(curve, trade, dt.date(2034, 10, 4)), 5)  # ~halfway
    0.0365
    """
    trade = _trade_date(trade_date)
    m = as_date(maturity, "maturity")
    ends = _period_dates(effective_date(trade), MAX_TENOR_YEARS)[1]
    if not ends[0] <= m <= ends[-1]:
        raise ValueError(
            f"maturity {m} must be between {ends[0]} and {ends[-1]}, the ends of the 1-year and "
            f"{MAX_TENOR_YEARS}-year swaps"
        )
    # ends[n - 1] <= maturity <= ends[n]: between the n- and (n + 1)-year swaps
    n = min(max(int(np.searchsorted([e.toordinal() for e in ends], m.toordinal())), 1), 49)
    low, high = ois_par_rate(curve, trade, [n, n + 1])
    w = (m - ends[n - 1]).days / (ends[n] - ends[n - 1]).days
    return float(low + w * (high - low))


def matched_maturity_spread_bp(
    curve: SofrCurve, trade_date: dt.date, maturity: dt.date, treasury_yield: float
) -> float:
    """Matched-maturity swap spread of a Treasury: the swap rate at its maturity less its yield.

    The swap rate is :func:`matched_maturity_swap_rate`, so the spread compares the bond with a
    swap of its own maturity rather than with the nearest whole-year (benchmark) swap.

    Parameters
    ----------
    curve : SofrCurve
        The SOFR curve.
    trade_date : datetime.date
        Trade date.
    maturity : datetime.date
        The Treasury's maturity.
    treasury_yield : float
        The Treasury's yield to maturity, decimal.

    Returns
    -------
    float
        Basis points.

    Examples
    --------
    >>> import datetime as dt
    >>> trade = dt.date(2025, 4, 2)
    >>> curve = SofrCurve.bootstrap(trade, [9, 10], [0.0360, 0.0370])
    >>> round(matched_maturity_spread_bp(curve, trade, dt.date(2034, 10, 4), 0.0420), 1)
    -55.0
    """
    rate = matched_maturity_swap_rate(curve, trade_date, maturity)
    return float(swap_spread_bp(rate, treasury_yield))
