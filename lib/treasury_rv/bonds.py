"""Treasury notes and bonds: accrued interest, price and yield, DV01, duration and convexity.

Street convention, for a bond paying ``C / 2`` per 100 face every six months:

* accrued interest = ``100 * C / 2 * d / D``, with ``d`` the days from the last coupon date
  to settlement and ``D`` the days in the coupon period (actual/actual ICMA);
* dirty (full) price = ``sum_k CF_k / (1 + y / 2) ** (w + k)``, ``k = 0, 1, ...``, with
  ``w = days(settle -> next coupon) / D``;
* clean (quoted) price = dirty price - accrued interest.

The same formula is used when settlement falls in the final coupon period: one cash flow,
``100 + 100 * C / 2``, discounted by ``(1 + y / 2) ** w``. (Some quotation systems switch to
simple money-market interest in that last period, and Treasury's auction formula, 31 CFR 356
Appendix B, treats the fractional first period with simple interest; both give slightly
different yields for the same price.)

Every pricing function is vectorised over the yield (or the price): give a float and get a
float, give an array and get an array of the same shape. The cash flows depend only on the
bond and the settlement date, so they are set up once per call and the sums over them use the
closed form of a geometric series.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from treasury_rv import dates
from treasury_rv._validate import as_date, check_coupon, check_positive, check_rate

__all__ = [
    "Treasury",
    "accrued_interest",
    "cash_flows",
    "clean_price",
    "convexity",
    "dirty_price",
    "dv01",
    "macaulay_duration",
    "modified_duration",
    "yield_to_maturity",
]

#: Coupons a year on Treasury notes and bonds.
FREQUENCY = 2
#: One basis point as a decimal yield.
BP = 1e-4
#: Yield accuracy of :func:`yield_to_maturity` (the solver stops well inside it).
YIELD_TOLERANCE = 1e-10
#: Below this periodic yield the series sums are added term by term (the closed forms cancel).
_SMALL_PERIODIC_YIELD = 1e-6
#: Yields are priced in blocks of this many.
_BLOCK = 8192
#: Yields at which prices are tabulated for the solver's first guess.
_GUESS_GRID = np.linspace(-0.10, 0.40, 201)
_MAX_ITERATIONS = 100


@dataclass(frozen=True)
class Treasury:
    """A US Treasury note or bond: fixed semiannual coupons and principal at maturity.

    Parameters
    ----------
    coupon : float
        Annual coupon rate as a decimal (0.04125 for 4 1/8%).
    maturity : datetime.date
        Maturity date; coupons fall every six months back from it (end-of-month rule, see
        :mod:`treasury_rv.dates`).
    issue_date : datetime.date, optional
        Issue date, for reference; it must be before maturity. Interest accrues on the regular
        schedule counted back from maturity, as Treasury dates interest on new issues.
    name : str, optional
        Free text such as ``"10y on-the-run"``.

    Examples
    --------
    >>> import datetime as dt
    >>> Treasury(0.04125, dt.date(2032, 11, 15)).label
    '4 1/8% 2032-11-15'
    """

    coupon: float
    maturity: dt.date
    issue_date: dt.date | None = None
    name: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "coupon", check_coupon(self.coupon, "coupon"))
        object.__setattr__(self, "maturity", as_date(self.maturity, "maturity"))
        if self.issue_date is not None:
            issue = as_date(self.issue_date, "issue_date")
            if issue >= self.maturity:
                raise ValueError(f"issue_date {issue} must be before maturity {self.maturity}")
            object.__setattr__(self, "issue_date", issue)
        if self.name is not None and not isinstance(self.name, str):
            raise TypeError(f"name must be a str or None, got {type(self.name).__name__}")

    @property
    def label(self) -> str:
        """Short market-style description: coupon in eighths of a percent and maturity date."""
        return f"{_coupon_text(self.coupon)} {self.maturity.isoformat()}"


def _coupon_text(coupon: float) -> str:
    """``0.04125`` -> ``"4 1/8%"``; coupons off the 1/8 grid are written as decimals."""
    eighths = coupon * 800
    if abs(eighths - round(eighths)) > 1e-9:
        return f"{coupon * 100:.4f}".rstrip("0").rstrip(".") + "%"
    whole, part = divmod(round(eighths), 8)
    if part == 0:
        return f"{whole}%"
    fraction = Fraction(part, 8)
    return f"{whole} {fraction}%" if whole else f"{fraction}%"


@dataclass(frozen=True)
class _Flows:
    """Remaining cash flows of a bond at a settlement date, per 100 face.

    ``n`` coupons of ``coupon`` at times ``w, w + 1, ..., w + n - 1`` (in coupon periods),
    and the principal of 100 with the last one.
    """

    w: float
    n: int
    coupon: float
    accrued: float


def _flows(bond: Treasury, settle: object) -> _Flows:
    if not isinstance(bond, Treasury):
        raise TypeError(f"bond must be a Treasury, got {type(bond).__name__}")
    settle = as_date(settle, "settle")
    previous = dates.previous_coupon_date(bond.maturity, settle, FREQUENCY)
    following = dates.next_coupon_date(bond.maturity, settle, FREQUENCY)
    n = len(dates.coupon_schedule(bond.maturity, settle, frequency=FREQUENCY))
    period_days = (following - previous).days
    w = (following - settle).days / period_days
    coupon = 100 * bond.coupon / FREQUENCY
    return _Flows(w=w, n=n, coupon=coupon, accrued=coupon * (1 - w))


def _yields(ytm: object) -> tuple[np.ndarray, tuple[int, ...]]:
    """Checked yields as a flat float array, and the shape to give results back in."""
    y = check_rate(ytm, "ytm")
    return y.ravel(), y.shape


def _output(values: np.ndarray, shape: tuple[int, ...]) -> float | np.ndarray:
    """A float for a scalar input (``shape == ()``), else an array of the input's shape."""
    return float(values[0]) if shape == () else values.reshape(shape)


def _direct_sums(f: _Flows, y: np.ndarray, orders: int) -> list[np.ndarray]:
    """``[sum_k a_k t_k**j v**t_k for j in range(orders)]`` over the cash flows, term by term."""
    times = f.w + np.arange(f.n, dtype=float)
    amounts = np.full(f.n, f.coupon)
    amounts[-1] += 100.0
    weights = np.stack([amounts * times**j for j in range(orders)], axis=1)
    sums = np.empty((y.size, orders))
    rows = max(1, _BLOCK * 64 // f.n)
    for start in range(0, y.size, rows):
        part = slice(start, start + rows)
        sums[part] = np.exp(np.outer(-np.log1p(y[part] / 2), times)) @ weights
    return [sums[:, j] for j in range(orders)]


def _dirty_block(f: _Flows, y: np.ndarray, with_slope: bool):
    """:func:`_dirty` on one block of yields (small enough to stay in the processor cache)."""
    x = y * 0.5
    growth = 1 + x
    log_growth = np.log1p(x)
    v_w = np.exp(log_growth * -f.w)
    v_n_minus_1 = np.expm1(log_growth * -f.n)  # v**n - 1, exact for small x
    small = np.abs(x) < _SMALL_PERIODIC_YIELD
    any_small = bool(small.any())
    ratio = growth / (np.where(small, 1.0, x) if any_small else x)
    annuity = -v_n_minus_1 * ratio  # sum_{k<n} v**k
    v_last = (v_n_minus_1 + 1) * growth  # v**(n - 1)
    price = v_w * (f.coupon * annuity + 100 * v_last)
    if with_slope:
        weighted = (annuity - 1 - (f.n - 1) * (v_n_minus_1 + 1)) * ratio  # sum_{k<n} k v**k
        time_sum = v_w * (f.coupon * (f.w * annuity + weighted) + 100 * (f.w + f.n - 1) * v_last)
    if any_small:
        near_zero = _direct_sums(f, y[small], 2 if with_slope else 1)
        price[small] = near_zero[0]
        if with_slope:
            time_sum[small] = near_zero[1]
    if not with_slope:
        return price
    return price, time_sum / (-2 * growth)


def _dirty(f: _Flows, y: np.ndarray, with_slope: bool = False):
    """Dirty price per 100 at the 1-d yields ``y``, and its derivative in ``y`` if asked.

    With ``x = y / 2`` and ``v = 1 / (1 + x)``: price ``= v**w * (c * S + 100 * v**(n-1))``,
    ``S = sum_{k<n} v**k = (1 - v**n) / (1 - v)``, written with ``expm1``/``log1p`` so it keeps
    full precision for small ``x``. The slope is ``-(v / 2) * sum_k a_k t_k v**t_k``, with
    ``sum_{k<n} k v**k = (S - 1 - (n - 1) v**n) / (1 - v)``. Where ``|x|`` is tiny these
    closed forms cancel, and the sums are added term by term instead. Long inputs are done
    in blocks, which is several times faster than whole-array temporaries.
    """
    if y.size <= _BLOCK:
        return _dirty_block(f, y, with_slope)
    price = np.empty_like(y)
    slope = np.empty_like(y) if with_slope else None
    for start in range(0, y.size, _BLOCK):
        part = slice(start, start + _BLOCK)
        if with_slope:
            price[part], slope[part] = _dirty_block(f, y[part], True)
        else:
            price[part] = _dirty_block(f, y[part], False)
    return (price, slope) if with_slope else price


def cash_flows(bond: Treasury, settle: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """Remaining cash flows of a bond bought at ``settle``, with their times in coupon periods.

    Parameters
    ----------
    bond : Treasury
        The bond.
    settle : datetime.date
        Settlement date, before maturity. A coupon due on ``settle`` belongs to the seller.

    Returns
    -------
    times : numpy.ndarray
        ``w, w + 1, ...`` in coupon periods (half-years) from settlement, with ``w`` the
        fraction of the current period left (actual/actual). The street-convention discount
        factor of a flow at yield ``y`` is ``(1 + y / 2) ** -times``.
    amounts : numpy.ndarray
        Cash flows per 100 face: each coupon, ``100 * coupon / 2``, and the principal added to
        the last one.

    Examples
    --------
    >>> import datetime as dt
    >>> t, cf = cash_flows(Treasury(0.04, dt.date(2026, 5, 15)), dt.date(2025, 5, 15))
    >>> t.tolist(), cf.tolist()
    ([1.0, 2.0], [2.0, 102.0])
    """
    f = _flows(bond, settle)
    times = f.w + np.arange(f.n, dtype=float)
    amounts = np.full(f.n, f.coupon)
    amounts[-1] += 100.0
    return times, amounts


def accrued_interest(bond: Treasury, settle: dt.date) -> float:
    """Accrued interest per 100 face: ``100 * C / 2 * days since last coupon / days in period``.

    Parameters
    ----------
    bond : Treasury
        The bond.
    settle : datetime.date
        Settlement date, before maturity. Zero on a coupon date.

    Returns
    -------
    float
        Accrued interest, in points per 100 face.

    Examples
    --------
    >>> import datetime as dt
    >>> bond = Treasury(0.04125, dt.date(2032, 11, 15))
    >>> round(accrued_interest(bond, dt.date(2023, 2, 15)), 10)  # 2.0625 * 92 / 181
    1.0483425414
    """
    return _flows(bond, settle).accrued


def dirty_price(bond: Treasury, settle: dt.date, ytm: float | np.ndarray) -> float | np.ndarray:
    """Dirty (full) price per 100 face from the yield to maturity, street convention.

    Parameters
    ----------
    bond : Treasury
        The bond.
    settle : datetime.date
        Settlement date, before maturity.
    ytm : float or array_like
        Yield to maturity, decimal, semiannually compounded (0.0425 for 4.25%).

    Returns
    -------
    float or numpy.ndarray
        Price including accrued interest, per 100 face; same shape as ``ytm``.

    Examples
    --------
    >>> import datetime as dt
    >>> bond = Treasury(0.04, dt.date(2035, 5, 15))
    >>> round(dirty_price(bond, dt.date(2025, 5, 15), 0.04), 10)
    100.0
    """
    y, shape = _yields(ytm)
    return _output(_dirty(_flows(bond, settle), y), shape)


def clean_price(bond: Treasury, settle: dt.date, ytm: float | np.ndarray) -> float | np.ndarray:
    """Clean (quoted) price per 100 face from the yield: dirty price less accrued interest.

    Parameters
    ----------
    bond : Treasury
        The bond.
    settle : datetime.date
        Settlement date, before maturity.
    ytm : float or array_like
        Yield to maturity, decimal, semiannually compounded.

    Returns
    -------
    float or numpy.ndarray
        Clean price per 100 face; same shape as ``ytm``.

    Examples
    --------
    >>> import datetime as dt
    >>> bond = Treasury(0.04, dt.date(2035, 5, 15))
    >>> round(clean_price(bond, dt.date(2025, 8, 15), 0.04), 4)  # not par between coupons
    99.995
    """
    y, shape = _yields(ytm)
    f = _flows(bond, settle)
    return _output(_dirty(f, y) - f.accrued, shape)


def yield_to_maturity(
    bond: Treasury, settle: dt.date, clean_price: float | np.ndarray
) -> float | np.ndarray:
    """Yield to maturity from the clean price, street convention; the inverse of clean_price.

    Newton's method on every price at once, from a first guess read off a table of prices at
    yields from -10% to 40%. Price is a decreasing, convex function of yield, so the iterates
    close in on the solution from below without overshooting; iteration stops when the next
    error is bounded well within ``1e-10`` in yield. A price whose yield cannot be found (an
    absurd price, such as 1e-6 for a long bond) raises ``ValueError``.

    Parameters
    ----------
    bond : Treasury
        The bond.
    settle : datetime.date
        Settlement date, before maturity.
    clean_price : float or array_like
        Clean price per 100 face, finite and positive.

    Returns
    -------
    float or numpy.ndarray
        Yield, decimal, semiannually compounded; same shape as ``clean_price``.

    Examples
    --------
    >>> import datetime as dt
    >>> bond = Treasury(0.04125, dt.date(2032, 11, 15))
    >>> round(yield_to_maturity(bond, dt.date(2022, 11, 15), 100.0), 12)
    0.04125
    """
    price = check_positive(clean_price, "clean_price")
    f = _flows(bond, settle)
    target = price.ravel() + f.accrued
    grid_log_price = np.log(_dirty(f, _GUESS_GRID))[::-1]
    y = np.empty_like(target)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for start in range(0, target.size, _BLOCK):
            part = slice(start, start + _BLOCK)
            y[part] = _solve_block(f, target[part], grid_log_price)
    return _output(y, price.shape)


def _solve_block(f: _Flows, target: np.ndarray, grid_log_price: np.ndarray) -> np.ndarray:
    """Yields at which the dirty price is ``target``, by Newton's method.

    Price is decreasing and convex in yield, so from below the solution Newton's iterates rise
    to it without overshooting, and from above one step lands below it. A step that would
    cross the -200% edge of the domain halves the distance to the edge instead.
    """
    # First guess: the yield interpolated against log price on a grid of 0.25% steps.
    y = np.interp(np.log(target), grid_log_price, _GUESS_GRID[::-1])
    # After a Newton step s the error is about K s**2, K = P'' / (2 |P'|) <= v (n + w) / 4.
    curvature = (f.n + f.w) / 4
    active = np.arange(y.size)
    y_active, target_active = y.copy(), target
    for _ in range(_MAX_ITERATIONS):
        value, slope = _dirty(f, y_active, with_slope=True)
        step = (value - target_active) / slope
        new = y_active - step
        edge_gap = y_active + 2
        new = np.where(
            np.isfinite(value), np.where(new > -2, new, edge_gap / 2 - 2), 2 * edge_gap - 2
        )
        y[active] = new
        moving = ~(curvature / (1 + y_active / 2) * step**2 <= 1e-3 * YIELD_TOLERANCE)
        if not moving.any():
            return y
        active = active[moving]
        y_active, target_active = new[moving], target_active[moving]
    raise ValueError(
        f"clean_price: no yield found within {_MAX_ITERATIONS} iterations for the price "
        f"{float(target[active[0]] - f.accrued)!r}"
    )


def dv01(bond: Treasury, settle: dt.date, ytm: float | np.ndarray) -> float | np.ndarray:
    """DV01: the price gain per 100 face for a one-basis-point fall in yield.

    Central difference, ``(P(y - 1bp) - P(y + 1bp)) / 2``; positive for a bond.

    Parameters
    ----------
    bond : Treasury
        The bond.
    settle : datetime.date
        Settlement date, before maturity.
    ytm : float or array_like
        Yield to maturity, decimal, semiannually compounded.

    Returns
    -------
    float or numpy.ndarray
        Price points per 100 face per basis point; same shape as ``ytm``.

    Examples
    --------
    >>> import datetime as dt
    >>> bond = Treasury(0.04, dt.date(2035, 5, 15))
    >>> round(dv01(bond, dt.date(2025, 5, 15), 0.04), 4)  # about 8 cents per 100 per bp
    0.0818
    """
    y, shape = _yields(ytm)
    if np.any(y - BP <= -2.0):
        raise ValueError(
            f"ytm must be above -199.99% for a one-basis-point bump, got {float(y.min())!r}"
        )
    f = _flows(bond, settle)
    return _output((_dirty(f, y - BP) - _dirty(f, y + BP)) / 2, shape)


def macaulay_duration(
    bond: Treasury, settle: dt.date, ytm: float | np.ndarray
) -> float | np.ndarray:
    """Macaulay duration: the present-value-weighted mean time of the cash flows, in years.

    Parameters
    ----------
    bond : Treasury
        The bond.
    settle : datetime.date
        Settlement date, before maturity.
    ytm : float or array_like
        Yield to maturity, decimal, semiannually compounded.

    Returns
    -------
    float or numpy.ndarray
        Years; same shape as ``ytm``.

    Examples
    --------
    >>> import datetime as dt
    >>> bond = Treasury(0.0, dt.date(2030, 5, 15))
    >>> round(macaulay_duration(bond, dt.date(2025, 5, 15), 0.04), 12)  # a zero: its maturity
    5.0
    """
    y, shape = _yields(ytm)
    value, time_sum = _direct_sums(_flows(bond, settle), y, 2)
    return _output(time_sum / value / FREQUENCY, shape)


def modified_duration(
    bond: Treasury, settle: dt.date, ytm: float | np.ndarray
) -> float | np.ndarray:
    """Modified duration, ``-(dP/dy) / P`` on the dirty price, in years.

    Analytic: Macaulay duration divided by ``1 + y / 2``.

    Parameters
    ----------
    bond : Treasury
        The bond.
    settle : datetime.date
        Settlement date, before maturity.
    ytm : float or array_like
        Yield to maturity, decimal, semiannually compounded.

    Returns
    -------
    float or numpy.ndarray
        Years (percent price change per 1% yield change); same shape as ``ytm``.

    Examples
    --------
    >>> import datetime as dt
    >>> bond = Treasury(0.0, dt.date(2030, 5, 15))
    >>> round(modified_duration(bond, dt.date(2025, 5, 15), 0.04), 6)  # 5 / 1.02
    4.901961
    """
    y, shape = _yields(ytm)
    value, time_sum = _direct_sums(_flows(bond, settle), y, 2)
    return _output(time_sum / value / FREQUENCY / (1 + y / 2), shape)


def convexity(bond: Treasury, settle: dt.date, ytm: float | np.ndarray) -> float | np.ndarray:
    """Convexity, ``(d2P/dy2) / P`` on the dirty price, in years squared.

    Analytic: with ``t_k`` in coupon periods, ``d2P/dy2 = sum CF_k t_k (t_k + 1) /
    (4 (1 + y / 2) ** (t_k + 2))``.

    Parameters
    ----------
    bond : Treasury
        The bond.
    settle : datetime.date
        Settlement date, before maturity.
    ytm : float or array_like
        Yield to maturity, decimal, semiannually compounded.

    Returns
    -------
    float or numpy.ndarray
        Years squared; same shape as ``ytm``. A price change for a yield change ``dy`` is
        about ``P * (-modified_duration * dy + convexity * dy**2 / 2)``.

    Examples
    --------
    >>> import datetime as dt
    >>> bond = Treasury(0.0, dt.date(2030, 5, 15))
    >>> round(convexity(bond, dt.date(2025, 5, 15), 0.04), 6)  # 10 * 11 / (4 * 1.02**2)
    26.432141
    """
    y, shape = _yields(ytm)
    value, time_sum, square_sum = _direct_sums(_flows(bond, settle), y, 3)
    return _output((square_sum + time_sum) / value / (4 * (1 + y / 2) ** 2), shape)
