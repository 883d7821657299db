"""Argument checks shared by the numeric modules.

Every check raises :class:`ValueError` or :class:`TypeError` with a message that names the
argument and says what was wrong, so that bad input never turns into a silent NaN.
"""

from __future__ import annotations

import datetime as dt
import math
from numbers import Real

import numpy as np

__all__ = [
    "as_date",
    "as_float_array",
    "as_real",
    "check_coupon",
    "check_fraction",
    "check_nonnegative",
    "check_positive",
    "check_rate",
]


def as_date(value: object, name: str) -> dt.date:
    """Return ``value`` as a :class:`datetime.date`, or raise ``TypeError`` naming ``name``.

    A :class:`datetime.datetime` is accepted and truncated to its date; a string is not,
    so that "2025-04-02" versus "04/02/2025" ambiguity never reaches a calculation.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return value.astype("datetime64[D]").item()
    raise TypeError(f"{name} must be a datetime.date, got {type(value).__name__} {value!r}")


def as_real(value: object, name: str) -> float:
    """Return ``value`` as a finite float, or raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, Real | np.number):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    out = float(value)
    if not math.isfinite(out):
        raise ValueError(f"{name} must be finite, got {out!r}")
    return out


def as_float_array(value: object, name: str) -> np.ndarray:
    """Return ``value`` as a finite float array (0-d for a scalar), or raise naming ``name``."""
    try:
        raw = np.asarray(value)
    except ValueError as err:  # ragged nested sequences
        raise TypeError(f"{name} must be a real number or an array of them") from err
    if raw.dtype.kind not in "iuf":
        raise TypeError(
            f"{name} must be a real number or an array of them, got {type(value).__name__}"
            f" {value!r:.60}"
        )
    arr = raw.astype(float)
    if not np.all(np.isfinite(arr)):
        bad = arr[~np.isfinite(arr)].ravel()[0] if arr.ndim else arr
        raise ValueError(f"{name} must be finite, got {float(bad)!r}")
    return arr


def check_rate(value: object, name: str) -> np.ndarray:
    """Check a rate or yield given as a decimal: finite and above -200%.

    Returns a float array (0-d for a scalar). A value above 1 (100%) is taken as a
    percentage typed by mistake (4.25 for 4.25%) and rejected.
    """
    arr = as_float_array(value, name)
    if np.any(arr <= -2.0):
        raise ValueError(
            f"{name} must be above -200% (-2.0 as a decimal), got {float(arr.min())!r}"
        )
    if np.any(arr > 1.0):
        raise ValueError(
            f"{name} = {float(arr.max())!r} looks like a percentage; give rates as decimals "
            f"(4.25% is 0.0425)"
        )
    return arr


def check_positive(value: object, name: str) -> np.ndarray:
    """Check that a number or array is finite and strictly positive; return it as an array."""
    arr = as_float_array(value, name)
    if np.any(arr <= 0):
        raise ValueError(f"{name} must be positive, got {float(arr.min())!r}")
    return arr


def check_nonnegative(value: object, name: str) -> np.ndarray:
    """Check that a number or array is finite and not negative; return it as an array."""
    arr = as_float_array(value, name)
    if np.any(arr < 0):
        raise ValueError(f"{name} must not be negative, got {float(arr.min())!r}")
    return arr


def check_fraction(value: object, name: str, *, allow_zero: bool = False) -> np.ndarray:
    """Check a fraction in (0, 1), or [0, 1) with ``allow_zero``; return it as an array.

    A haircut that sets leverage (1/haircut) must be above zero; a haircut on a repo loan
    that is simply marked to market may be zero, as most bilateral Treasury repo is.
    """
    arr = as_float_array(value, name)
    below = (arr < 0) if allow_zero else (arr <= 0)
    outside = below | (arr >= 1)
    if np.any(outside):
        bad = arr[outside].ravel()[0] if arr.ndim else arr
        hint = " (give 2% as 0.02)" if float(bad) >= 1 else ""
        interval = "in [0, 1)" if allow_zero else "strictly between 0 and 1"
        raise ValueError(f"{name} must be {interval}{hint}, got {float(bad)!r}")
    return arr


def check_coupon(value: object, name: str = "coupon") -> float:
    """Check an annual coupon rate given as a decimal (0.04125 for 4 1/8%)."""
    out = as_real(value, name)
    if out < 0:
        raise ValueError(f"{name} must not be negative, got {out!r}")
    if out >= 1:
        raise ValueError(
            f"{name} = {out!r} looks like a percentage; give coupons as decimals "
            f"(4.125% is 0.04125)"
        )
    if out > 0.25:
        raise ValueError(f"{name} = {out!r} is above 25%, which no Treasury has paid")
    return out
