"""Dates and quotes for US Treasury notes and bonds.

Coupon schedules with the end-of-month rule, the day counts Treasuries and money markets use
(actual/actual ICMA, actual/360), a business-day calendar for the Treasury market, and price
quotes in 32nds of a point (``"99-16+"``).

Conventions
-----------
Coupon dates are unadjusted: a coupon due on a Sunday is paid on the next business day, but
accrued interest and the pricing fractions are counted to the unadjusted date. Coupons fall
every ``12 / frequency`` months counted back from maturity. When maturity is the last day of its
month, every coupon is on the last day of its month (a 2030-02-28 maturity pays on August 31);
otherwise the coupon day is the maturity's day of the month, cut to the length of shorter
months (a 2030-08-30 maturity pays on 28 or 29 February and 30 August).
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from functools import lru_cache

from treasury_rv._validate import as_date, as_real

__all__ = [
    "act_360",
    "act_act_icma",
    "add_business_days",
    "add_months",
    "coupon_schedule",
    "from_32nds",
    "holidays",
    "is_business_day",
    "is_month_end",
    "last_business_day",
    "next_coupon_date",
    "previous_coupon_date",
    "to_32nds",
]

#: Longest original term of a Treasury, in years; the default reach of :func:`coupon_schedule`.
LONGEST_TERM_YEARS = 30

#: Juneteenth National Independence Day became a market holiday in 2022.
JUNETEENTH_FIRST_YEAR = 2022


# --------------------------------------------------------------------------------------------
# Months and coupon schedules
# --------------------------------------------------------------------------------------------


def _month_length(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def is_month_end(d: dt.date) -> bool:
    """Whether ``d`` is the last day of its month.

    Parameters
    ----------
    d : datetime.date
        The date.

    Returns
    -------
    bool

    Examples
    --------
    >>> import datetime as dt
    >>> is_month_end(dt.date(2024, 2, 29)), is_month_end(dt.date(2023, 2, 28))
    (True, True)
    """
    d = as_date(d, "d")
    return d.day == _month_length(d.year, d.month)


def add_months(d: dt.date, n: int, eom: bool = False) -> dt.date:
    """Move a date by whole calendar months.

    Parameters
    ----------
    d : datetime.date
        Start date.
    n : int
        Number of months, negative to go back.
    eom : bool, default False
        If true, land on the last day of the target month (the end-of-month rule).
        Otherwise keep ``d``'s day of the month, cut to the target month's length.

    Returns
    -------
    datetime.date

    Examples
    --------
    >>> import datetime as dt
    >>> add_months(dt.date(2031, 5, 31), -6)
    datetime.date(2030, 11, 30)
    >>> add_months(dt.date(2028, 11, 30), -6, eom=True)
    datetime.date(2028, 5, 31)
    """
    d = as_date(d, "d")
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int number of months, got {type(n).__name__} {n!r}")
    index = d.year * 12 + (d.month - 1) + n
    year, month = divmod(index, 12)
    month += 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise ValueError(f"n = {n} months from {d} leaves the supported calendar")
    length = _month_length(year, month)
    return dt.date(year, month, length if eom else min(d.day, length))


def _months_per_period(frequency: object) -> int:
    if isinstance(frequency, bool) or not isinstance(frequency, int):
        raise TypeError(f"frequency must be an int, got {type(frequency).__name__} {frequency!r}")
    if frequency not in (1, 2, 4, 12):
        raise ValueError(f"frequency must be 1, 2, 4 or 12 payments a year, got {frequency}")
    return 12 // frequency


def _coupon_date(maturity: dt.date, k: int, months: int) -> dt.date:
    """The ``k``-th coupon date counted back from maturity (``k = 0`` is maturity itself)."""
    return add_months(maturity, -k * months, eom=is_month_end(maturity))


def _periods_back(maturity: dt.date, settle: dt.date, months: int) -> int:
    """Smallest ``k`` with coupon date ``k`` on or before ``settle`` (``settle < maturity``)."""
    gap = (maturity.year - settle.year) * 12 + maturity.month - settle.month
    k = max(gap // months, 1)
    while _coupon_date(maturity, k, months) > settle:
        k += 1
    while k > 1 and _coupon_date(maturity, k - 1, months) <= settle:
        k -= 1
    return k


def _check_before_maturity(maturity: dt.date, settle: dt.date) -> None:
    if settle >= maturity:
        raise ValueError(f"settle {settle} must be before maturity {maturity}")


def coupon_schedule(
    maturity: dt.date, start: dt.date | None = None, *, frequency: int = 2
) -> list[dt.date]:
    """Coupon dates of a Treasury, ascending, from after ``start`` up to maturity.

    Parameters
    ----------
    maturity : datetime.date
        Maturity date, which is also the last coupon date.
    start : datetime.date, optional
        Only coupon dates strictly after ``start`` are returned (a coupon falling on ``start``
        itself has been paid to the seller). Default: maturity less 30 years, the longest
        Treasury term, which gives the full schedule of a 30-year bond.
    frequency : int, default 2
        Coupons a year: 2 for Treasury notes and bonds (1, 4 and 12 are also accepted).

    Returns
    -------
    list of datetime.date
        Unadjusted coupon dates (see the module notes on the end-of-month rule); empty if
        ``start`` is on or after maturity.

    Examples
    --------
    >>> import datetime as dt
    >>> coupon_schedule(dt.date(2026, 2, 28), dt.date(2025, 1, 1))
    [datetime.date(2025, 2, 28), datetime.date(2025, 8, 31), datetime.date(2026, 2, 28)]
    """
    maturity = as_date(maturity, "maturity")
    months = _months_per_period(frequency)
    if start is None:
        start = add_months(maturity, -12 * LONGEST_TERM_YEARS)
    else:
        start = as_date(start, "start")
    if start >= maturity:
        return []
    k = _periods_back(maturity, start, months)
    return [_coupon_date(maturity, j, months) for j in range(k - 1, -1, -1)]


def previous_coupon_date(maturity: dt.date, settle: dt.date, frequency: int = 2) -> dt.date:
    """Start of the coupon period that contains ``settle``: the last coupon date on or before it.

    On a coupon date the new period has just begun, so the result is ``settle`` itself and
    accrued interest is zero. The date may be before the bond was issued (the regular schedule
    counted back from maturity), which is how Treasury dates interest for a new issue.

    Parameters
    ----------
    maturity : datetime.date
        Maturity date.
    settle : datetime.date
        Settlement date, before maturity.
    frequency : int, default 2
        Coupons a year.

    Returns
    -------
    datetime.date

    Examples
    --------
    >>> import datetime as dt
    >>> previous_coupon_date(dt.date(2032, 11, 15), dt.date(2023, 5, 15))
    datetime.date(2023, 5, 15)
    >>> previous_coupon_date(dt.date(2032, 11, 15), dt.date(2023, 2, 15))
    datetime.date(2022, 11, 15)
    """
    maturity = as_date(maturity, "maturity")
    settle = as_date(settle, "settle")
    months = _months_per_period(frequency)
    _check_before_maturity(maturity, settle)
    return _coupon_date(maturity, _periods_back(maturity, settle, months), months)


def next_coupon_date(maturity: dt.date, settle: dt.date, frequency: int = 2) -> dt.date:
    """End of the coupon period that contains ``settle``: the first coupon date after it.

    Parameters
    ----------
    maturity : datetime.date
        Maturity date.
    settle : datetime.date
        Settlement date, before maturity.
    frequency : int, default 2
        Coupons a year.

    Returns
    -------
    datetime.date

    Examples
    --------
    >>> import datetime as dt
    >>> next_coupon_date(dt.date(2030, 2, 28), dt.date(2029, 3, 1))
    datetime.date(2029, 8, 31)
    """
    maturity = as_date(maturity, "maturity")
    settle = as_date(settle, "settle")
    months = _months_per_period(frequency)
    _check_before_maturity(maturity, settle)
    return _coupon_date(maturity, _periods_back(maturity, settle, months) - 1, months)


# --------------------------------------------------------------------------------------------
# Day counts
# --------------------------------------------------------------------------------------------


def act_act_icma(
    start: dt.date,
    end: dt.date,
    period_start: dt.date,
    period_end: dt.date,
    frequency: int = 2,
) -> float:
    """Actual/actual (ICMA) year fraction from ``start`` to ``end`` within one coupon period.

    The fraction is ``days(start, end) / (frequency * days(period_start, period_end))``, so a
    whole semiannual period is exactly half a year however many days it has.

    Parameters
    ----------
    start, end : datetime.date
        Accrual start and end.
    period_start, period_end : datetime.date
        The coupon period the accrual falls in (``period_start < period_end``).
    frequency : int, default 2
        Coupons a year.

    Returns
    -------
    float
        Year fraction (negative if ``end`` is before ``start``).

    Examples
    --------
    >>> import datetime as dt
    >>> act_act_icma(dt.date(2022, 11, 15), dt.date(2023, 2, 14),
    ...              dt.date(2022, 11, 15), dt.date(2023, 5, 15))  # 91 / (2 * 181)
    0.2513812154696133
    """
    start = as_date(start, "start")
    end = as_date(end, "end")
    period_start = as_date(period_start, "period_start")
    period_end = as_date(period_end, "period_end")
    _months_per_period(frequency)
    if period_end <= period_start:
        raise ValueError(f"period_end {period_end} must be after period_start {period_start}")
    return (end - start).days / (frequency * (period_end - period_start).days)


def act_360(start: dt.date, end: dt.date) -> float:
    """Actual/360 year fraction: calendar days from ``start`` to ``end`` over 360.

    Parameters
    ----------
    start, end : datetime.date
        Start and end of the period.

    Returns
    -------
    float
        Year fraction (negative if ``end`` is before ``start``).

    Examples
    --------
    >>> import datetime as dt
    >>> act_360(dt.date(2025, 1, 1), dt.date(2025, 4, 1))
    0.25
    """
    start = as_date(start, "start")
    end = as_date(end, "end")
    return (end - start).days / 360


# --------------------------------------------------------------------------------------------
# Business days
# --------------------------------------------------------------------------------------------


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The ``n``-th given weekday (Monday = 0) of a month; ``n = -1`` for the last one."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year, month, _month_length(year, month))
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def _easter(year: int) -> dt.date:
    """Western Easter Sunday (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _observed(day: dt.date, *, saturday_to_friday: bool) -> dt.date | None:
    """The weekday a fixed-date holiday is observed on, or None if it is not."""
    if day.weekday() == 6:
        return day + dt.timedelta(days=1)
    if day.weekday() == 5:
        return day - dt.timedelta(days=1) if saturday_to_friday else None
    return day


@lru_cache(maxsize=512)
def _holidays(year: int) -> frozenset[dt.date]:
    days = {
        _nth_weekday(year, 1, 0, 3),  # Martin Luther King Jr. Day: third Monday of January
        _nth_weekday(year, 2, 0, 3),  # Washington's Birthday: third Monday of February
        _easter(year) - dt.timedelta(days=2),  # Good Friday
        _nth_weekday(year, 5, 0, -1),  # Memorial Day: last Monday of May
        _nth_weekday(year, 9, 0, 1),  # Labor Day: first Monday of September
        _nth_weekday(year, 10, 0, 2),  # Columbus Day: second Monday of October
        _nth_weekday(year, 11, 3, 4),  # Thanksgiving: fourth Thursday of November
    }
    fixed = [
        (dt.date(year, 1, 1), False),  # a Saturday New Year leaves 31 December open
        (dt.date(year, 7, 4), True),
        (dt.date(year, 11, 11), False),  # a Saturday Veterans Day leaves the Friday open
        (dt.date(year, 12, 25), True),
    ]
    if year >= JUNETEENTH_FIRST_YEAR:
        fixed.append((dt.date(year, 6, 19), True))
    for day, saturday_to_friday in fixed:
        observed = _observed(day, saturday_to_friday=saturday_to_friday)
        if observed is not None:
            days.add(observed)
    return frozenset(days)


def holidays(year: int) -> list[dt.date]:
    """Weekday holidays of the US Treasury market in ``year``, ascending.

    The rules follow SIFMA's standing recommendations for US government securities: the federal
    holidays (New Year's Day, Martin Luther King Jr. Day, Washington's Birthday, Memorial Day,
    Juneteenth from 2022, Independence Day, Labor Day, Columbus Day, Veterans Day, Thanksgiving,
    Christmas) plus Good Friday. When the monthly employment report falls on Good Friday (2010,
    2012, 2015, 2021, 2023, 2026) SIFMA recommends a noon early close for trading instead of a
    full close, but also that the day "not be treated as a good settlement day" for government
    securities (SIFMA releases of 21 March 2012, 9 March 2015, 20 March 2026), so it is not a
    business day here in any year: a date that lands on it rolls, as 4 April 2042 does to 7
    April. QuantLib's ``UnitedStates.GovernmentBond`` calendar keeps those Fridays open; its
    ``UnitedStates.SOFR`` calendar closes them. A holiday on a Sunday is observed on the Monday.
    A holiday on a Saturday is observed on the Friday, except New Year's Day and Veterans Day,
    for which the Friday stays a trading day (as on 31 December 2021 and 10 November 2023).
    Juneteenth on a Saturday (first in 2027) is taken to move to the Friday, like Independence
    Day and Christmas. Other early closes are business days; one-off closures (national days of
    mourning, storms) are not included.

    Parameters
    ----------
    year : int
        Calendar year.

    Returns
    -------
    list of datetime.date

    Examples
    --------
    >>> import datetime as dt
    >>> dt.date(2021, 12, 24) in holidays(2021)  # Christmas on a Saturday
    True
    """
    if isinstance(year, bool) or not isinstance(year, int):
        raise TypeError(f"year must be an int, got {type(year).__name__} {year!r}")
    if not dt.MINYEAR < year < dt.MAXYEAR:
        raise ValueError(f"year must be between {dt.MINYEAR + 1} and {dt.MAXYEAR - 1}, got {year}")
    return sorted(_holidays(year))


def is_business_day(d: dt.date) -> bool:
    """Whether ``d`` is a Treasury-market business day: a weekday that is not in :func:`holidays`.

    Parameters
    ----------
    d : datetime.date
        The date.

    Returns
    -------
    bool

    Examples
    --------
    >>> import datetime as dt
    >>> is_business_day(dt.date(2025, 7, 4)), is_business_day(dt.date(2025, 7, 3))
    (False, True)
    """
    d = as_date(d, "d")
    return d.weekday() < 5 and d not in _holidays(d.year)


def add_business_days(d: dt.date, n: int) -> dt.date:
    """Move ``n`` Treasury-market business days from ``d`` (back if ``n`` is negative).

    ``n = 0`` returns ``d`` itself if it is a business day, else the next business day.

    Parameters
    ----------
    d : datetime.date
        Start date (need not be a business day).
    n : int
        Number of business days.

    Returns
    -------
    datetime.date

    Examples
    --------
    >>> import datetime as dt
    >>> add_business_days(dt.date(2025, 7, 3), 1)  # over Independence Day and a weekend
    datetime.date(2025, 7, 7)
    """
    d = as_date(d, "d")
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int number of business days, got {type(n).__name__} {n!r}")
    step = dt.timedelta(days=1 if n >= 0 else -1)
    if n == 0:
        while not is_business_day(d):
            d += step
        return d
    remaining = abs(n)
    while remaining:
        d += step
        if is_business_day(d):
            remaining -= 1
    return d


def last_business_day(year: int, month: int) -> dt.date:
    """The last Treasury-market business day of a month.

    Parameters
    ----------
    year : int
        Calendar year.
    month : int
        Month, 1 to 12.

    Returns
    -------
    datetime.date

    Examples
    --------
    >>> last_business_day(2024, 3)  # 29 March 2024 was Good Friday
    datetime.date(2024, 3, 28)
    """
    for value, name in ((year, "year"), (month, "month")):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if not 1 <= month <= 12:
        raise ValueError(f"month must be between 1 and 12, got {month}")
    d = dt.date(year, month, _month_length(year, month))
    while not is_business_day(d):
        d -= dt.timedelta(days=1)
    return d


# --------------------------------------------------------------------------------------------
# Quotes in 32nds
# --------------------------------------------------------------------------------------------

_QUOTE = re.compile(r"(?P<sign>-)?(?P<handle>\d+)-(?P<ticks>\d{2})(?P<sub>[0-7+¼½¾])?")
_SUB_EIGHTHS = {"+": 4, "¼": 2, "½": 4, "¾": 6} | {str(i): i for i in range(8)}
_PRECISIONS = (1, 2, 4, 8)


def from_32nds(quote: str) -> float:
    """Read a price quoted in 32nds of a point.

    Forms accepted: ``"99-16"`` (16/32), ``"99-16+"`` (16.5/32), ``"99-162"`` (a third digit
    counts eighths of a 32nd, 16 2/8 / 32; ``"99-164"`` is the same as ``"99-16+"``),
    ``"99-16¼"``/``"99-16½"``/``"99-16¾"``, and a leading ``"-"`` for negative quotes such as a
    basis of ``"-0-08"``. Surrounding spaces are ignored.

    Parameters
    ----------
    quote : str
        The quote.

    Returns
    -------
    float
        Price in points (per 100 face).

    Examples
    --------
    >>> from_32nds("99-16+")
    99.515625
    >>> from_32nds("99-162")
    99.5078125
    """
    if not isinstance(quote, str):
        raise TypeError(f"quote must be a str such as '99-16+', got {type(quote).__name__}")
    match = _QUOTE.fullmatch(quote.strip())
    if match is None:
        raise ValueError(
            f"quote {quote!r} is not a 32nds quote such as '99-16', '99-16+' or '99-162'"
        )
    ticks = int(match["ticks"])
    if ticks > 31:
        raise ValueError(f"quote {quote!r} has {ticks} 32nds; the 32nds must be 00 to 31")
    eighths = _SUB_EIGHTHS[match["sub"]] if match["sub"] else 0
    value = int(match["handle"]) + (ticks * 8 + eighths) / 256
    return -value if match["sign"] else value


def to_32nds(price: float, *, precision: int = 8) -> str:
    """Write a price as a quote in 32nds, rounded to the nearest ``1 / (32 * precision)``.

    Parameters
    ----------
    price : float
        Price in points (per 100 face); may be negative (a basis).
    precision : int, default 8
        Parts of a 32nd to keep: 1 (whole 32nds), 2 (halves, shown as ``"+"``), 4 or 8
        (a third digit counting eighths of a 32nd). A half is always shown as ``"+"``.
        Ties round away from zero.

    Returns
    -------
    str

    Examples
    --------
    >>> to_32nds(99.515625)
    '99-16+'
    >>> to_32nds(99.5078125)
    '99-162'
    >>> to_32nds(-0.25)
    '-0-08'
    """
    value = as_real(price, "price")
    if isinstance(precision, bool) or precision not in _PRECISIONS:
        raise ValueError(f"precision must be one of {_PRECISIONS}, got {precision!r}")
    units = math.floor(abs(value) * 32 * precision + 0.5)  # in 1/(32*precision) of a point
    eighths_total = units * (8 // precision)
    handle, rest = divmod(eighths_total, 256)
    ticks, eighths = divmod(rest, 8)
    sub = "+" if eighths == 4 else (str(eighths) if eighths else "")
    sign = "-" if value < 0 and eighths_total else ""
    return f"{sign}{handle}-{ticks:02d}{sub}"
