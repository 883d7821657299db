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
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from treasury_rv._validate import as_date, as_float_array, as_real
from treasury_rv.bonds import Treasury, accrued_interest
from treasury_rv.data import shipped
from treasury_rv.dates import coupon_schedule

__all__ = ["DAYS_PER_YEAR", "SvenssonCurve", "gsw_curve", "price_on_curve"]

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
    if not isinstance(curve, SvenssonCurve):
        raise TypeError(f"curve must be a SvenssonCurve, got {type(curve).__name__}")
    settle = as_date(settle, "settle")
    shift = as_real(shift_bp, "shift_bp") / 1e4
    pay_dates = coupon_schedule(bond.maturity, settle)
    years = np.array([(d - settle).days for d in pay_dates]) / DAYS_PER_YEAR
    flows = np.full(len(pay_dates), 100 * bond.coupon / 2)
    flows[-1] += 100
    zero = np.asarray(curve.zero_rate(years)) + shift
    return float(np.sum(flows * np.exp(-zero * years))) - accrued_interest(bond, settle)
