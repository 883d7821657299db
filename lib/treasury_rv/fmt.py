"""One way to write numbers in the book's prose, tables and chart labels.

Every chapter formats the numbers it prints with these functions, so that the same quantity
always reads the same way:

- money: ``$1.56mn``, ``$2.48bn``, ``$1.45tn``; below a million, whole dollars with
  thousands separators (``$54,919``);
- rates and yields (decimals in, per cent out): ``4.30%``;
- spreads in basis points: ``12bp``; prices and bases in 32nds: ``5.3/32``;
- leverage and ratios: ``55×``;
- negatives with the minus sign U+2212 (``−3.2bp``), never a hyphen.

Examples
--------
>>> money(1_562_000), money(54_919.4), money(-2.475e6)
('$1.56mn', '$54,919', '−$2.48mn')
>>> pct(0.043), bp(-3.24, 1), n32(5.26), times(54.6)
('4.30%', '−3.2bp', '5.3/32', '55×')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from treasury_rv._validate import as_real

__all__ = ["MINUS", "bp", "money", "n32", "number", "pct", "style_table", "times"]

#: The minus sign the book prints (U+2212), wider than a hyphen and never broken from its number.
MINUS = "\u2212"

#: Units money is written in: whole dollars, then millions, billions and trillions.
_LEVELS = ((1.0, ""), (1e6, "mn"), (1e9, "bn"), (1e12, "tn"))


def _digits(digits: object) -> int:
    if isinstance(digits, bool) or not isinstance(digits, int) or digits < 0:
        raise ValueError(f"digits must be a whole number >= 0, got {digits!r}")
    return digits


def number(value: float, digits: int = 0) -> str:
    """A number with thousands separators and a true minus sign.

    Parameters
    ----------
    value : float
        The number (finite).
    digits : int, default 0
        Decimal places.

    Returns
    -------
    str

    Examples
    --------
    >>> number(-1234.567, 1)
    '−1,234.6'
    """
    x = as_real(value, "value")
    text = f"{abs(x):,.{_digits(digits)}f}"
    negative = x < 0 and text.strip("0.,") != ""  # "-0.0" prints as 0.0
    return (MINUS if negative else "") + text


def money(value: float, digits: int = 2) -> str:
    """Dollars: ``$1.56mn``, ``$2.48bn``, ``$1.45tn``, or whole dollars below a million.

    Parameters
    ----------
    value : float
        Amount, dollars.
    digits : int, default 2
        Decimal places for amounts of a million or more.

    Returns
    -------
    str

    Examples
    --------
    >>> money(775e9, 0), money(2_000), money(-1.75e6)
    ('$775bn', '$2,000', '−$1.75mn')
    """
    x = as_real(value, "value")
    sign = MINUS if x < 0 else ""
    size = abs(x)
    places = _digits(digits)
    k = max(i for i, (scale, _) in enumerate(_LEVELS) if size >= scale or i == 0)
    # rounding may carry into the next level: $999,999.7 is $1.00mn, not $1,000,000
    if k + 1 < len(_LEVELS) and _shown(size, k, places) >= _LEVELS[k + 1][0] / _LEVELS[k][0]:
        k += 1
    shown = _shown(size, k, places)
    if k == 0:
        return f"{sign if shown else ''}${shown:,.0f}"
    return f"{sign}${shown:,.{places}f}{_LEVELS[k][1]}"


def _shown(size: float, level: int, places: int) -> float:
    """``size`` dollars in units of ``_LEVELS[level]``, rounded as :func:`money` prints it."""
    return round(size / _LEVELS[level][0], places if level else 0)


def pct(value: float, digits: int = 2) -> str:
    """A decimal rate as per cent: ``pct(0.043) == '4.30%'``.

    Parameters
    ----------
    value : float
        Rate, decimal (0.043 for 4.3%).
    digits : int, default 2
        Decimal places of the percentage.

    Returns
    -------
    str
    """
    return number(100 * as_real(value, "value"), digits) + "%"


def bp(value_bp: float, digits: int = 0) -> str:
    """Basis points: ``bp(12.4) == '12bp'``.

    Parameters
    ----------
    value_bp : float
        The spread, already in basis points.
    digits : int, default 0
        Decimal places.

    Returns
    -------
    str
    """
    return number(as_real(value_bp, "value_bp"), digits) + "bp"


def n32(value_32nds: float, digits: int = 1) -> str:
    """A price difference already in 32nds: ``n32(-5.26) == '−5.3/32'``.

    Parameters
    ----------
    value_32nds : float
        The amount in 32nds of a point (per 100 face).
    digits : int, default 1
        Decimal places.

    Returns
    -------
    str
    """
    return number(as_real(value_32nds, "value_32nds"), digits) + "/32"


def times(value: float, digits: int = 0) -> str:
    """A multiple such as leverage: ``times(54.6) == '55×'``.

    Parameters
    ----------
    value : float
        The multiple.
    digits : int, default 0
        Decimal places.

    Returns
    -------
    str
    """
    return number(as_real(value, "value"), digits) + "×"


def style_table(frame: pd.DataFrame, formats: dict[str, object]) -> pd.DataFrame:
    """A copy of ``frame`` with the named columns written as text by the given formatters.

    For tables printed in chapters and solutions, so that they show ``4.30%`` and ``−$1.2mn``
    rather than raw floats.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    formats : dict of str to callable
        Column name to a function of one number returning text (e.g. :func:`pct`, or
        ``lambda x: bp(x, 1)``). Other columns are kept as they are.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> t = pd.DataFrame({"bond": ["A"], "irr": [0.0412]})
    >>> style_table(t, {"irr": pct}).to_dict("records")
    [{'bond': 'A', 'irr': '4.12%'}]
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in formats if c not in frame.columns]
    if missing:
        raise ValueError(f"formats names columns not in frame: {missing}")
    out = frame.copy()
    for column, formatter in formats.items():
        if not callable(formatter):
            raise TypeError(f"formats[{column!r}] must be callable")
        out[column] = [formatter(float(v)) for v in np.asarray(frame[column], dtype=float)]
    return out
