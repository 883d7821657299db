r"""Fitted yield curves: the Svensson form the Federal Reserve publishes, and pricing on it.

The Fed's fitted Treasury curve (Gürkaynak, Sack and Wright 2007; dataset ``feds200628``)
gives, for each day, six Svensson parameters. The zero-coupon yield for maturity ``m`` years,
continuously compounded and in percent, is

.. math::

    y(m) = \beta_0 + \beta_1 \frac{1 - e^{-m/\tau_1}}{m/\tau_1}
         + \beta_2 \Big[\frac{1 - e^{-m/\tau_1}}{m/\tau_1} - e^{-m/\tau_1}\Big]
         + \beta_3 \Big[\frac{1 - e^{-m/\tau_2}}{m/\tau_2} - e^{-m/\tau_2}\Big].

The curve is fitted to off-the-run notes and bonds only, so a price "on the curve" is what
an off-the-run issue would be worth with no richness or cheapness of its own.

The module also fits the same form to a set of bond prices (:func:`fit_svensson`), measures
each bond's richness or cheapness against a curve (:func:`yield_residuals_bp`), and gives
the par yields and instantaneous forward rates of a curve for charts
(:meth:`SvenssonCurve.par_yield`, :meth:`SvenssonCurve.forward_rate`, :func:`par_coupon`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

from treasury_rv._validate import as_date, as_float_array, as_real, check_nonnegative
from treasury_rv.bonds import Treasury, yield_to_maturity
from treasury_rv.data import shipped

__all__ = [
    "DAYS_PER_YEAR",
    "FIT_TAU_BOUNDS",
    "FIT_TAU_STARTS",
    "MIN_FIT_BONDS",
    "SvenssonCurve",
    "fit_svensson",
    "gsw_curve",
    "par_coupon",
    "price_on_curve",
    "yield_residuals_bp",
]

#: Days per year for the curve's maturities (ACT/365.25), as in the Fed's dataset.
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class SvenssonCurve:
    """A Svensson zero curve with parameters as the Fed publishes them.

    Parameters
    ----------
    beta0, beta1, beta2, beta3 : float
        Level, slope and two curvature parameters, percent.
    tau1, tau2 : float
        Decay times, years; positive.

    Examples
    --------
    >>> curve = SvenssonCurve(4.0, 0.0, 0.0, 0.0, 1.0, 10.0)
    >>> round(float(curve.zero_rate(10.0)), 6)
    0.04
    """

    beta0: float
    beta1: float
    beta2: float
    beta3: float
    tau1: float
    tau2: float

    def __post_init__(self) -> None:
        for name in ("beta0", "beta1", "beta2", "beta3", "tau1", "tau2"):
            as_real(getattr(self, name), name)
        for name in ("tau1", "tau2"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive (years), got {getattr(self, name)!r}")

    def zero_rate(self, years: float | np.ndarray) -> float | np.ndarray:
        """Zero-coupon yield, continuously compounded, decimal (0.0423 for 4.23%).

        Parameters
        ----------
        years : float or array_like
            Maturities in years, positive.
        """
        m = as_float_array(years, "years")
        if np.any(m <= 0):
            raise ValueError(f"years must be positive, got {m.min()!r}")
        x1, x2 = m / self.tau1, m / self.tau2
        s1 = -np.expm1(-x1) / x1
        s2 = -np.expm1(-x2) / x2
        pct = (
            self.beta0
            + self.beta1 * s1
            + self.beta2 * (s1 - np.exp(-x1))
            + self.beta3 * (s2 - np.exp(-x2))
        )
        out = pct / 100
        return float(out) if out.ndim == 0 else out

    def discount(self, years: float | np.ndarray) -> float | np.ndarray:
        """Discount factor ``exp(-y(m) m)`` for maturities in years."""
        m = as_float_array(years, "years")
        out = np.exp(-np.asarray(self.zero_rate(m)) * m)
        return float(out) if out.ndim == 0 else out

    def forward_rate(self, years: float | np.ndarray) -> float | np.ndarray:
        r"""Instantaneous forward rate, continuously compounded, decimal.

        The derivative of ``y(m) m`` in ``m``, so that the zero yield is the average forward
        rate out to its maturity, ``y(m) = (1/m) \int_0^m f(s) ds``:

        ``f(m) = [beta0 + beta1 e^(-m/tau1) + beta2 (m/tau1) e^(-m/tau1)
        + beta3 (m/tau2) e^(-m/tau2)] / 100``.

        Parameters
        ----------
        years : float or array_like
            Maturities in years, not negative (at 0 the forward is the short rate,
            ``(beta0 + beta1) / 100``).

        Returns
        -------
        float or numpy.ndarray
            Forward rates, decimal; same shape as ``years``.

        Examples
        --------
        >>> curve = SvenssonCurve(4.0, -1.0, 0.0, 0.0, 2.0, 10.0)
        >>> round(curve.forward_rate(0.0), 6), round(curve.forward_rate(100.0), 6)
        (0.03, 0.04)
        """
        m = check_nonnegative(years, "years")
        x1, x2 = m / self.tau1, m / self.tau2
        e1, e2 = np.exp(-x1), np.exp(-x2)
        pct = self.beta0 + self.beta1 * e1 + self.beta2 * x1 * e1 + self.beta3 * x2 * e2
        out = pct / 100
        return float(out) if out.ndim == 0 else out

    def par_yield(self, years: float | np.ndarray) -> float | np.ndarray:
        """Par yield on a semiannual bond basis, decimal, for maturities in years.

        The coupon rate, paid semiannually, at which a bond maturing in ``years`` has a clean
        price of 100 on this curve. Its coupons fall at ``years, years - 0.5, ...`` (in years
        from settlement, down to the first one after it); for a maturity that is not a whole
        number of half-years the bond is between coupon dates and its clean price is the dirty
        price less accrued interest on the fraction of the current half-year already run.
        With ``D(t)`` the discount factor, ``A = sum_k D(t_k)`` and ``a`` that fraction,

        ``par yield = 2 (1 - D(years)) / (A - a)``.

        This is the idealised schedule of a yield-curve chart; :func:`par_coupon` gives the par
        coupon of a real bond on its own dates.

        Parameters
        ----------
        years : float or array_like
            Maturities in years, positive.

        Returns
        -------
        float or numpy.ndarray
            Par yields, decimal, semiannually compounded; same shape as ``years``.

        Examples
        --------
        >>> import math
        >>> flat = SvenssonCurve(4.0, 0.0, 0.0, 0.0, 1.0, 10.0)  # 4% continuously compounded
        >>> math.isclose(flat.par_yield(10.0), 2 * (math.exp(0.02) - 1))
        True
        """
        m = _positive_years(years)
        flat = np.ravel(m)
        count = np.ceil(2 * flat - 1e-9).astype(int)  # coupons still to come
        k = np.arange(int(count.max()))
        times = flat[:, None] - 0.5 * k[None, :]
        live = k[None, :] < count[:, None]
        times = np.where(live, times, 1.0)
        discount = np.where(live, np.asarray(self.discount(times)), 0.0)
        accrued_share = 2 * (0.5 * count - flat)
        out = 2 * (1 - np.asarray(self.discount(flat))) / (discount.sum(axis=1) - accrued_share)
        out = out.reshape(m.shape)
        return float(out) if out.ndim == 0 else out


def _positive_years(years: object) -> np.ndarray:
    """Maturities in years as a float array, each positive, or raise naming ``years``."""
    m = as_float_array(years, "years")
    if np.any(m <= 0):
        raise ValueError(f"years must be positive, got {float(m.min())!r}")
    return m


def gsw_curve(date: dt.date) -> SvenssonCurve:
    """The Fed's fitted curve on a date shipped with the library.

    Parameters
    ----------
    date : datetime.date
        One of the dates in the shipped dataset ``gsw_svensson`` (key dates of 1998, 2020
        and 2025; see :func:`treasury_rv.data.shipped`).

    Examples
    --------
    >>> import datetime as dt
    >>> round(100 * gsw_curve(dt.date(2025, 4, 2)).zero_rate(10.0), 2)
    4.23
    """
    date = as_date(date, "date")
    table = shipped("gsw_svensson")
    row = table.loc[table["date"] == date]
    if row.empty:
        raise ValueError(
            f"date must be one of the shipped curve dates {table['date'].tolist()}, got {date}"
        )
    params = row.iloc[0]
    return SvenssonCurve(
        *(float(params[k]) for k in ("beta0", "beta1", "beta2", "beta3", "tau1", "tau2"))
    )


@dataclass(frozen=True)
class _FlowGrid:
    """Remaining cash flows of several bonds at one settlement date, padded to one width.

    ``years[i, j]`` is the time of bond ``i``'s ``j``-th remaining flow (ACT/365.25 from
    settlement) and ``amounts[i, j]`` its size per 100 face; padding has amount 0 and time 1.
    ``accrued[i]`` is the bond's accrued interest per 100 face (actual/actual ICMA).
    """

    years: np.ndarray
    amounts: np.ndarray
    accrued: np.ndarray


def _month_ends(month_index: np.ndarray) -> np.ndarray:
    """Last day of each month, as ``datetime64[D]``, for months counted from January 1970."""
    months = month_index.astype("datetime64[M]")
    return (months + 1).astype("datetime64[D]") - 1


def _flow_grid(bonds: Sequence[Treasury], settle: dt.date) -> _FlowGrid:
    """Cash flows of ``bonds`` bought at ``settle``, built for all bonds at once.

    The coupon dates follow :mod:`treasury_rv.dates` (semiannual, counted back from maturity,
    end-of-month rule, unadjusted) and the accrued interest follows
    :func:`treasury_rv.bonds.accrued_interest`; the tests check both against those functions.
    """
    maturities = []
    for i, bond in enumerate(bonds):
        if not isinstance(bond, Treasury):
            raise TypeError(f"bonds[{i}] must be a Treasury, got {type(bond).__name__}")
        if bond.maturity <= settle:
            raise ValueError(f"settle {settle} must be before the maturity of bonds[{i}] ({bond})")
        maturities.append(bond.maturity)
    maturity = np.array(maturities, dtype="datetime64[D]")
    coupon = np.array([50.0 * b.coupon for b in bonds])
    settle64 = np.datetime64(settle, "D")
    month = maturity.astype("datetime64[M]").astype(np.int64)
    month_end = _month_ends(month)
    eom = maturity == month_end
    day = (maturity - month.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64)
    gap = month - settle64.astype("datetime64[M]").astype(np.int64)
    width = int(gap.max()) // 6 + 3  # every remaining coupon and the one before settlement
    back = np.arange(width)
    months = month[:, None] - 6 * back[None, :]
    ends = _month_ends(months)
    starts = months.astype("datetime64[M]").astype("datetime64[D]")
    length = (ends - starts).astype(np.int64) + 1
    dates = np.where(eom[:, None], ends, starts + np.minimum(day[:, None], length - 1))
    days = (dates - settle64).astype(np.int64)  # descending along each row
    live = days > 0
    count = live.sum(axis=1)
    rows = np.arange(len(bonds))
    previous = days[rows, count]  # the last coupon date on or before settlement (<= 0)
    following = days[rows, count - 1]
    accrued = coupon * (-previous) / (following - previous)
    years = np.where(live, days / DAYS_PER_YEAR, 1.0)
    amounts = np.where(live, coupon[:, None], 0.0)
    amounts[:, 0] += 100.0  # back = 0 is maturity
    return _FlowGrid(years=years, amounts=amounts, accrued=accrued)


def _check_curve(curve: object) -> None:
    if not isinstance(curve, SvenssonCurve):
        raise TypeError(f"curve must be a SvenssonCurve, got {type(curve).__name__}")


def price_on_curve(
    bond: Treasury, settle: dt.date, curve: SvenssonCurve, *, shift_bp: float = 0.0
) -> float:
    """Clean price per 100 face of ``bond`` discounted on ``curve``.

    Each coupon and the principal are discounted at the curve's zero rate for their payment
    date, with time measured ACT/365.25 from settlement; accrued interest is then
    subtracted. ``shift_bp`` moves the whole zero curve in parallel.

    Parameters
    ----------
    bond : Treasury
        The bond.
    settle : datetime.date
        Settlement date, before maturity.
    curve : SvenssonCurve
        The zero curve.
    shift_bp : float, default 0
        Parallel shift of the zero curve, basis points.

    Examples
    --------
    >>> import datetime as dt
    >>> bond = Treasury(0.0425, dt.date(2034, 11, 15))
    >>> round(price_on_curve(bond, dt.date(2025, 4, 3), gsw_curve(dt.date(2025, 4, 2))), 3)
    100.266
    """
    if not isinstance(bond, Treasury):
        raise TypeError(f"bond must be a Treasury, got {type(bond).__name__}")
    _check_curve(curve)
    settle = as_date(settle, "settle")
    shift = as_real(shift_bp, "shift_bp") / 1e4
    if settle >= bond.maturity:
        raise ValueError(f"settle {settle} must be before maturity {bond.maturity}")
    return float(_prices(_flow_grid([bond], settle), curve, shift)[0])


def _prices(grid: _FlowGrid, curve: SvenssonCurve, shift: float = 0.0) -> np.ndarray:
    """Clean prices per 100 face of the bonds in ``grid`` on ``curve``."""
    zero = np.asarray(curve.zero_rate(grid.years)) + shift
    return np.sum(grid.amounts * np.exp(-zero * grid.years), axis=1) - grid.accrued


# --------------------------------------------------------------------------------------------
# Fitting the Svensson form to bond prices
# --------------------------------------------------------------------------------------------

#: Fewest bonds :func:`fit_svensson` accepts: one per parameter.
MIN_FIT_BONDS = 6

#: Starting decay times ``(tau1, tau2)``, years, from which :func:`fit_svensson` searches.
#: They span the values in the Fed's dataset on the shipped dates (``tau1`` from 0.7 to 4.7
#: years, ``tau2`` from 6 to 19 years).
FIT_TAU_STARTS = ((0.5, 5.0), (1.0, 10.0), (1.0, 20.0), (3.0, 10.0), (3.0, 20.0), (5.0, 30.0))

#: Range the fitted decay times are kept in, years.
FIT_TAU_BOUNDS = (0.05, 60.0)

#: Starting points refined by the full nonlinear fit (the best by a linearised first pass).
_FIT_REFINED = 3
_FLAT_YIELD_ITERATIONS = 50
_BETA_ITERATIONS = 20
_MAX_FIT_EVALUATIONS = 200


@dataclass(frozen=True)
class _FitData:
    times: np.ndarray  # distinct payment times, years from settlement
    amounts: np.ndarray  # per 100 face, bonds x distinct times
    accrued: np.ndarray
    prices: np.ndarray  # clean, per 100 face
    flat_yields: np.ndarray  # continuously compounded, ACT/365.25
    weights: np.ndarray  # price change per unit of flat yield, per 100 face
    durations: np.ndarray  # Macaulay duration on the same basis, years


def _fit_inputs(bonds: object, settle: object, clean_prices: object) -> _FitData:
    settle = as_date(settle, "settle")
    if not isinstance(bonds, Sequence) or isinstance(bonds, str | bytes):
        raise TypeError(f"bonds must be a sequence of Treasury, got {type(bonds).__name__}")
    prices = as_float_array(clean_prices, "clean_prices")
    if prices.ndim != 1:
        raise ValueError(f"clean_prices must be one-dimensional, got shape {prices.shape}")
    if len(bonds) != prices.size:
        raise ValueError(
            f"bonds and clean_prices must have the same length, got {len(bonds)} and {prices.size}"
        )
    if len(bonds) < MIN_FIT_BONDS:
        raise ValueError(
            f"bonds must hold at least {MIN_FIT_BONDS} bonds to fit six parameters, "
            f"got {len(bonds)}"
        )
    if np.any(prices <= 0):
        raise ValueError(f"clean_prices must be positive, got {float(prices.min())!r}")
    grid = _flow_grid(list(bonds), settle)
    # Bonds share payment dates: discount each distinct date once, then sum per bond with a
    # matrix product (the padding has amount 0 and lands on some time or other).
    times, where = np.unique(grid.years, return_inverse=True)
    amounts = np.zeros((prices.size, times.size))
    rows = np.repeat(np.arange(prices.size), grid.years.shape[1])
    np.add.at(amounts, (rows, where.ravel()), grid.amounts.ravel())
    # Each bond's flat yield on the curve's own basis (continuously compounded, ACT/365.25),
    # by Newton's method for all bonds at once: price is convex and falling in the yield, so
    # from a yield below the solution the iterates rise to it without overshooting.
    dirty = prices + grid.accrued
    y = np.full(prices.size, -0.5)
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(_FLAT_YIELD_ITERATIONS):
            flows = amounts * np.exp(-y[:, None] * times)
            step = (flows.sum(axis=1) - dirty) / (flows @ times)
            y = y + step
            if np.all(np.abs(step) < 1e-13):
                break
    bad = ~(np.abs(y) <= 1) | ~(np.abs(step) < 1e-10)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"clean_prices[{i}] = {float(prices[i])!r} implies no yield between -100% and "
            f"100% for bonds[{i}] ({bonds[i]})"
        )
    weights = (amounts * np.exp(-y[:, None] * times)) @ times
    return _FitData(times, amounts, grid.accrued, prices, y, weights, weights / dirty)


def _loadings(m: np.ndarray, tau1: float, tau2: float) -> np.ndarray:
    """Zero-yield loadings of the four betas (decimal per percent), shape ``m.shape + (4,)``."""
    x1, x2 = m / tau1, m / tau2
    s1, s2 = -np.expm1(-x1) / x1, -np.expm1(-x2) / x2
    return np.stack([np.ones_like(m), s1, s1 - np.exp(-x1), s2 - np.exp(-x2)], axis=-1) / 100


def _start_betas(data: _FitData, tau1: float, tau2: float) -> tuple[np.ndarray, float]:
    """Betas of a linear first pass: the zero yield at each bond's duration = its flat yield."""
    loads = _loadings(data.durations, tau1, tau2)
    betas, *_ = np.linalg.lstsq(loads, data.flat_yields, rcond=None)
    return betas, float(np.sum((loads @ betas - data.flat_yields) ** 2))


def _residuals_and_jacobian(
    params: np.ndarray, data: _FitData, *, taus: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Duration-weighted price errors in bp of yield, and their derivatives in the parameters.

    The derivatives are in the four betas and, with ``taus``, the two decay times.
    """
    b0, b1, b2, b3, tau1, tau2 = params
    t = data.times
    x1, x2 = t / tau1, t / tau2
    e1, e2 = np.exp(-x1), np.exp(-x2)
    s1, s2 = -np.expm1(-x1) / x1, -np.expm1(-x2) / x2
    zero = (b0 + b1 * s1 + b2 * (s1 - e1) + b3 * (s2 - e2)) / 100
    discount = np.exp(-zero * t)
    # d price / d zero(t) = -t D(t) per unit of flow; d s / d x = (e^-x - s) / x and
    # d x / d tau = -x / tau. Column 0 holds the discount factors, so that one matrix
    # product gives the prices and their derivatives together.
    dz = np.empty((t.size, 7 if taus else 5))
    dz[:, 1] = 1.0
    dz[:, 2] = s1
    dz[:, 3] = s1 - e1
    dz[:, 4] = s2 - e2
    if taus:
        ds1, ds2 = (e1 - s1) / x1, (e2 - s2) / x2
        dz[:, 5] = (b1 * ds1 + b2 * (ds1 + e1)) * (-x1 / tau1)
        dz[:, 6] = b3 * (ds2 + e2) * (-x2 / tau2)
    dz *= (-t * discount / 100)[:, None]
    dz[:, 0] = discount
    both = data.amounts @ dz
    scale = 1e4 / data.weights
    residuals = (both[:, 0] - data.accrued - data.prices) * scale
    return residuals, both[:, 1:] * scale[:, None]


def _solve_betas(data: _FitData, taus: np.ndarray, betas: np.ndarray) -> np.ndarray:
    """The betas that fit best for fixed decay times, by Gauss-Newton from ``betas``.

    Prices are nearly linear in the betas, so a few steps reach the solution.
    """
    for _ in range(_BETA_ITERATIONS):
        residuals, jacobian = _residuals_and_jacobian(np.r_[betas, taus], data, taus=False)
        step = np.linalg.lstsq(jacobian, -residuals, rcond=None)[0]
        betas = betas + step
        if not np.all(np.isfinite(betas)) or np.max(np.abs(step)) < 1e-9:
            break
    return betas


def _fit_from(data: _FitData, tau1: float, tau2: float, betas: np.ndarray):
    """Least squares over the decay times with the betas solved inside (variable projection).

    Returns ``(cost, parameters)`` or ``None`` if the search fails. The Jacobian in the decay
    times is Kaufman's: their columns less the part the betas' columns explain.
    """
    state = {"betas": betas}

    def fun(taus):
        state["betas"] = _solve_betas(data, taus, state["betas"])
        residuals, jacobian = _residuals_and_jacobian(np.r_[state["betas"], taus], data)
        state.update(taus=taus.copy(), jacobian=jacobian)
        return residuals

    def jac(taus):
        if not np.array_equal(state.get("taus"), taus):
            fun(taus)
        j_betas, j_taus = state["jacobian"][:, :4], state["jacobian"][:, 4:]
        return j_taus - j_betas @ np.linalg.lstsq(j_betas, j_taus, rcond=None)[0]

    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            result = least_squares(
                fun,
                np.array([tau1, tau2]),
                jac=jac,
                bounds=FIT_TAU_BOUNDS,
                method="trf",
                x_scale="jac",
                xtol=1e-10,
                ftol=1e-10,
                gtol=1e-10,
                max_nfev=_MAX_FIT_EVALUATIONS,
            )
    except (ValueError, np.linalg.LinAlgError):
        return None
    if not (result.success and np.isfinite(result.cost)):
        return None
    if not np.array_equal(state.get("taus"), result.x):
        fun(result.x)
    params = np.r_[state["betas"], result.x]
    if not np.all(np.isfinite(params)):
        return None
    return float(result.cost), params


def fit_svensson(bonds: Sequence[Treasury], settle: dt.date, clean_prices: object) -> SvenssonCurve:
    """Fit a Svensson zero curve to the clean prices of Treasury notes and bonds.

    The curve minimises the sum of squared price errors, each divided by the bond's price
    sensitivity to its yield, so that every error is about a yield error in basis points
    (the weighting Gürkaynak, Sack and Wright use for the Fed's curve). A bond's price on a
    curve is computed exactly as :func:`price_on_curve` does: each flow discounted at the zero
    rate for its date, ACT/365.25 from settlement, less accrued interest. The sensitivities are
    fixed before the fit, from each bond's own price.

    The search is deterministic. For each pair of starting decay times in
    :data:`FIT_TAU_STARTS` a linear first pass (each bond's flat yield against the zero curve
    at its duration) gives the betas; from the three best pairs, SciPy's trust-region least
    squares moves the decay times (kept within :data:`FIT_TAU_BOUNDS`) with the betas solved
    exactly for each, and exact derivatives throughout. The fit with the smallest error is
    kept, so the same prices always give the same curve.

    Fewer than six bonds, lengths that differ, prices that are not finite or positive or that
    imply no yield between -100% and 100%, and a fit that fails to converge from every
    starting point all raise ``ValueError``.

    Parameters
    ----------
    bonds : sequence of Treasury
        At least :data:`MIN_FIT_BONDS` (six) bonds, all maturing after ``settle``. Choose
        them as the Fed does for its curve (off-the-run notes and bonds, no bills), or the fit
        will bend to the on-the-run issues' premium.
    settle : datetime.date
        Settlement date of the prices.
    clean_prices : array_like
        Clean (quoted) prices per 100 face, one for each bond, positive and finite.

    Returns
    -------
    SvenssonCurve
        The fitted curve, parameters in the Fed's units (betas in percent, taus in years).

    Examples
    --------
    >>> import datetime as dt
    >>> settle, fed = dt.date(2025, 4, 3), gsw_curve(dt.date(2025, 4, 2))
    >>> bonds = [Treasury(0.04, dt.date(2026 + k, 5, 15)) for k in range(0, 30, 2)]
    >>> prices = [price_on_curve(b, settle, fed) for b in bonds]
    >>> fitted = fit_svensson(bonds, settle, prices)
    >>> float(abs(yield_residuals_bp(fitted, bonds, settle, prices)).max()) < 0.01
    True
    """
    data = _fit_inputs(bonds, settle, clean_prices)
    starts = []
    for tau1, tau2 in FIT_TAU_STARTS:
        betas, cost = _start_betas(data, tau1, tau2)
        starts.append((cost, tau1, tau2, betas))
    starts.sort(key=lambda item: item[0])
    best = None
    for _, tau1, tau2, betas in starts[:_FIT_REFINED]:
        found = _fit_from(data, tau1, tau2, betas)
        if found is not None and (best is None or found[0] < best[0]):
            best = found
    if best is None:
        raise ValueError(
            "clean_prices: the Svensson fit did not converge from any starting point; check "
            "the prices for outliers or add bonds across more maturities"
        )
    return SvenssonCurve(*(float(v) for v in best[1]))


def yield_residuals_bp(
    curve: SvenssonCurve, bonds: Sequence[Treasury], settle: dt.date, clean_prices: object
) -> np.ndarray:
    """Each bond's yield less the yield of its price on the curve, basis points.

    Both yields are street-convention yields to maturity
    (:func:`treasury_rv.bonds.yield_to_maturity`): the market's from ``clean_prices`` and the
    curve's from :func:`price_on_curve`. Positive means the bond yields more than the curve
    says, so it is *cheap* to the curve; negative means it is *rich* (as on-the-run issues
    usually are against a curve fitted to off-the-run ones).

    Parameters
    ----------
    curve : SvenssonCurve
        The fitted curve.
    bonds : sequence of Treasury
        The bonds, all maturing after ``settle``.
    settle : datetime.date
        Settlement date of the prices.
    clean_prices : array_like
        Clean prices per 100 face, one per bond, positive.

    Returns
    -------
    numpy.ndarray
        Residuals in basis points, one per bond.

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.bonds import clean_price
    >>> settle, curve = dt.date(2025, 4, 3), gsw_curve(dt.date(2025, 4, 2))
    >>> bond = Treasury(0.0425, dt.date(2034, 11, 15))
    >>> on_curve = yield_to_maturity(bond, settle, price_on_curve(bond, settle, curve))
    >>> cheap = clean_price(bond, settle, on_curve + 0.0002)  # 2bp cheap
    >>> yield_residuals_bp(curve, [bond], settle, [cheap]).round(6).tolist()
    [2.0]
    """
    _check_curve(curve)
    settle = as_date(settle, "settle")
    if not isinstance(bonds, Sequence) or isinstance(bonds, str | bytes):
        raise TypeError(f"bonds must be a sequence of Treasury, got {type(bonds).__name__}")
    prices = as_float_array(clean_prices, "clean_prices")
    if prices.ndim != 1 or prices.size != len(bonds):
        raise ValueError(
            f"bonds and clean_prices must have the same length, got {len(bonds)} and {prices.size}"
        )
    if np.any(prices <= 0):
        raise ValueError(f"clean_prices must be positive, got {float(prices.min())!r}")
    model = _prices(_flow_grid(list(bonds), settle), curve)
    out = np.empty(len(bonds))
    for i, bond in enumerate(bonds):
        market = yield_to_maturity(bond, settle, float(prices[i]))
        fair = yield_to_maturity(bond, settle, float(model[i]))
        out[i] = 1e4 * (market - fair)
    return out


def par_coupon(curve: SvenssonCurve, settle: dt.date, maturity: dt.date) -> float:
    """The coupon at which a Treasury maturing on ``maturity`` is priced at par on ``curve``.

    The clean price on the curve (:func:`price_on_curve`) is linear in the coupon ``C``:
    ``100 D_n + 50 C (A - a) = 100`` with ``D_n`` the discount factor of the principal,
    ``A`` the sum of the coupon dates' discount factors and ``a`` the accrued fraction of the
    current period, so ``C = 2 (1 - D_n) / (A - a)`` exactly. On the real coupon dates of a
    bond, this is the dated counterpart of :meth:`SvenssonCurve.par_yield`.

    Parameters
    ----------
    curve : SvenssonCurve
        The zero curve.
    settle : datetime.date
        Settlement date, before maturity.
    maturity : datetime.date
        Maturity date of the bond.

    Returns
    -------
    float
        Annual coupon rate, decimal, paid semiannually (not rounded to eighths).

    Examples
    --------
    >>> import datetime as dt
    >>> curve = gsw_curve(dt.date(2025, 4, 2))
    >>> c = par_coupon(curve, dt.date(2025, 5, 15), dt.date(2035, 5, 15))
    >>> round(price_on_curve(Treasury(c, dt.date(2035, 5, 15)), dt.date(2025, 5, 15), curve), 10)
    100.0
    """
    _check_curve(curve)
    settle = as_date(settle, "settle")
    maturity = as_date(maturity, "maturity")
    if settle >= maturity:
        raise ValueError(f"settle {settle} must be before maturity {maturity}")
    grid = _flow_grid([Treasury(0.02, maturity)], settle)  # 1 per 100 face each half-year
    live = grid.amounts[0] > 0
    discount = np.exp(-np.asarray(curve.zero_rate(grid.years[0][live])) * grid.years[0][live])
    principal = discount[0]  # column 0 is maturity
    accrued_share = float(grid.accrued[0])  # accrued per 1 of half-yearly coupon
    return float(2 * (1 - principal) / (discount.sum() - accrued_share))
