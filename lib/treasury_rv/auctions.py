"""Treasury's auction cycle: which note or bond is on the run on a date, its age, the next issue.

What is modelled is the *regular calendar* Treasury describes (TreasuryDirect, "When auctions
happen"), not a record of real auctions:

=========  ================================  ==================================  ==================
term       new issues                        issued (the nominal day)            matures
=========  ================================  ==================================  ==================
2, 5, 7    every month                       last calendar day of the month      last day of the
                                                                                 month, N years on
3          every month                       15th of the month                   the 15th
10, 30     February, May, August, November;  15th of the month                   the 15th of the
           reopened in the other 8 months                                        new-issue month
20         as the 10-year                    last calendar day of the month      the 15th of the
                                                                                 new-issue month
=========  ================================  ==================================  ==================

When the nominal day is a weekend or a holiday the securities are issued on the next business
day (TreasuryDirect; :func:`treasury_rv.dates.is_business_day` gives the calendar); the
maturity and the coupon dates stay on the nominal day. The 20-year bond's issue day is the
month's end as CME described it when the bond returned in May 2020 ("settled on the last day of
the month or the first business day thereafter"); that detail is not confirmed against
Treasury's own table, and the model does not give a 20-year bond before May 2020.

Real auctions differ from the regular calendar: auction dates are announced a few days ahead;
Treasury changes the pattern (it has suspended and reintroduced the 20- and 30-year bonds, for
example) and moves dates around holidays and debt-limit episodes. For any date in the past, the
real issues can be looked up (TreasuryDirect's auction results, by CUSIP) and should be preferred
where they differ. An issue becomes on the run here on its issue (settlement) date; in the market
it trades "when issued" from its auction a few days earlier and is usually quoted as the
benchmark from then.

The coupon of a new issue is set at its auction: the high yield rounded down to the nearest
1/8 of one percent, with a minimum of 1/8% (31 CFR 356.20; 76 FR 11079, 1 March 2011); see
:func:`auction_coupon`. A reopening adds to an existing issue and keeps its coupon.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from numbers import Integral

import numpy as np
import pandas as pd

from treasury_rv._validate import as_date, check_rate
from treasury_rv.bonds import Treasury
from treasury_rv.dates import add_business_days, add_months

__all__ = [
    "COUPON_INCREMENT",
    "MINIMUM_COUPON",
    "TENORS",
    "AuctionCycle",
    "Issue",
    "auction_coupon",
    "auction_cycle",
    "issue_age_cycles",
    "issue_calendar",
    "new_issue",
    "next_issue",
    "off_the_run",
    "on_the_run",
]

#: Coupons of new notes and bonds are multiples of 1/8 of one percent (31 CFR 356.20).
COUPON_INCREMENT = 0.00125
#: The lowest coupon Treasury sets, 1/8 of one percent (76 FR 11079, 1 March 2011).
MINIMUM_COUPON = 0.00125

_MONTH_END = 0
_QUARTERLY = (2, 5, 8, 11)
_MONTHLY = tuple(range(1, 13))


@dataclass(frozen=True)
class _Pattern:
    new_months: tuple[int, ...]  # months in which a new issue comes
    issue_day: int  # nominal issue day: 15 or _MONTH_END
    maturity_day: int  # 15 or _MONTH_END
    first_issue: dt.date | None = None  # nominal date of the first new issue modelled


_PATTERNS = {
    2: _Pattern(_MONTHLY, _MONTH_END, _MONTH_END),
    3: _Pattern(_MONTHLY, 15, 15),
    5: _Pattern(_MONTHLY, _MONTH_END, _MONTH_END),
    7: _Pattern(_MONTHLY, _MONTH_END, _MONTH_END),
    10: _Pattern(_QUARTERLY, 15, 15),
    20: _Pattern(_QUARTERLY, _MONTH_END, 15, first_issue=dt.date(2020, 5, 31)),
    30: _Pattern(_QUARTERLY, 15, 15),
}

#: Original terms, in years, of the notes and bonds in Treasury's regular calendar.
TENORS = tuple(_PATTERNS)


def _tenor(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"tenor must be a whole number of years, got {type(value).__name__}")
    if int(value) not in _PATTERNS:
        raise ValueError(f"tenor must be one of {list(TENORS)} (years), got {value!r}")
    return int(value)


def _month_index(d: dt.date) -> int:
    return d.year * 12 + d.month - 1


def _nominal(month_index: int, day: int) -> dt.date:
    """The 15th (``day = 15``) or the last day (``day = 0``) of a month counted from year 0."""
    year, month = divmod(month_index, 12)
    first = dt.date(year, month + 1, 1)
    return add_months(first, 0, eom=True) if day == _MONTH_END else first.replace(day=day)


@dataclass(frozen=True)
class Issue:
    """A note or bond of Treasury's regular calendar (as modelled; see the module notes).

    Parameters
    ----------
    tenor : int
        Original term in years (2, 3, 5, 7, 10, 20 or 30).
    maturity : datetime.date
        Maturity date.
    issue_date : datetime.date
        Date the new issue settles: the nominal day, moved to the next business day if needed.
    dated_date : datetime.date
        The nominal day, from which the regular coupon schedule runs (for the 20-year bond, the
        15th of the month; its issue is at the month's end).
    reopenings : tuple of datetime.date
        Issue dates of the regular reopenings (none for the monthly terms).

    Examples
    --------
    >>> import datetime as dt
    >>> issue = on_the_run(10, dt.date(2025, 4, 2))
    >>> issue.label, issue.issue_date
    ('10y 2035-02-15', datetime.date(2025, 2, 18))
    """

    tenor: int
    maturity: dt.date
    issue_date: dt.date
    dated_date: dt.date
    reopenings: tuple[dt.date, ...] = ()

    @property
    def label(self) -> str:
        """Term and maturity, such as ``"10y 2035-02-15"``."""
        return f"{self.tenor}y {self.maturity.isoformat()}"

    def treasury(self, coupon: float, name: str | None = None) -> Treasury:
        """The issue as a :class:`~treasury_rv.bonds.Treasury` with the given coupon.

        Parameters
        ----------
        coupon : float
            Annual coupon rate, decimal (as set at the auction; see :func:`auction_coupon`).
        name : str, optional
            Free text; default the issue's label.

        Returns
        -------
        Treasury

        Examples
        --------
        >>> import datetime as dt
        >>> on_the_run(10, dt.date(2025, 4, 2)).treasury(0.04625).label
        '4 5/8% 2035-02-15'
        """
        return Treasury(coupon, self.maturity, issue_date=self.issue_date, name=name or self.label)


def new_issue(tenor: int, year: int, month: int) -> Issue:
    """The new issue of ``tenor`` in a given month of the regular calendar.

    Parameters
    ----------
    tenor : int
        Original term in years, one of :data:`TENORS`.
    year : int
        Calendar year of the issue.
    month : int
        Month of the issue, 1 to 12; for the 10-, 20- and 30-year terms one of February,
        May, August and November.

    Returns
    -------
    Issue

    Examples
    --------
    >>> new_issue(7, 2025, 5).issue_date  # 31 May 2025 was a Saturday
    datetime.date(2025, 6, 2)
    """
    tenor = _tenor(tenor)
    for value, name in ((year, "year"), (month, "month")):
        if isinstance(value, bool) or not isinstance(value, Integral):
            raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if not 1 <= month <= 12:
        raise ValueError(f"month must be between 1 and 12, got {month}")
    pattern = _PATTERNS[tenor]
    if month not in pattern.new_months:
        names = ", ".join(dt.date(2000, m, 1).strftime("%B") for m in pattern.new_months)
        raise ValueError(f"month {month} has no new {tenor}-year issue; new issues come in {names}")
    if not 1 < year < 9000:
        raise ValueError(f"year must be between 2 and 8999, got {year}")
    return _issue(tenor, year * 12 + month - 1)


def _issue(tenor: int, month_index: int) -> Issue:
    pattern = _PATTERNS[tenor]
    nominal = _nominal(month_index, pattern.issue_day)
    if pattern.first_issue is not None and nominal < pattern.first_issue:
        raise ValueError(
            f"the {tenor}-year issues are modelled from {pattern.first_issue:%B %Y} on; "
            f"look up earlier issues"
        )
    dated = _nominal(month_index, pattern.maturity_day)
    maturity = add_months(dated, 12 * tenor, eom=pattern.maturity_day == _MONTH_END)
    gaps = range(1, 12 // len(pattern.new_months))
    reopenings = tuple(
        add_business_days(_nominal(month_index + k, pattern.issue_day), 0) for k in gaps
    )
    return Issue(
        tenor=tenor,
        maturity=maturity,
        issue_date=add_business_days(nominal, 0),
        dated_date=dated,
        reopenings=reopenings,
    )


def _new_issue_months(tenor: int, month_index: int, step: int) -> int:
    """The nearest month index at or beyond ``month_index`` (going by ``step``) with a new issue."""
    months = _PATTERNS[tenor].new_months
    while month_index % 12 + 1 not in months:
        month_index += step
    return month_index


def _issues_around(tenor: int, date: dt.date) -> tuple[int, Issue]:
    """The latest new issue on or before ``date``, and its month index."""
    index = _new_issue_months(tenor, _month_index(date), -1)
    issue = _issue(tenor, index)
    # This month's issue may come later in the month, and last month's may have settled on
    # the first business day of this one (after a weekend month end).
    while issue.issue_date > date:
        index = _new_issue_months(tenor, index - 1, -1)
        issue = _issue(tenor, index)
    return index, issue


def on_the_run(tenor: int, date: dt.date) -> Issue:
    """The on-the-run issue of ``tenor`` on ``date``: the newest issue settled by then.

    Modelled on the regular calendar (see the module notes): the newest issue is on the run from
    its issue date, through its reopenings, until the next new issue settles.

    Parameters
    ----------
    tenor : int
        Original term in years, one of :data:`TENORS`.
    date : datetime.date
        The date.

    Returns
    -------
    Issue

    Examples
    --------
    >>> import datetime as dt
    >>> on_the_run(10, dt.date(2020, 3, 16)).maturity
    datetime.date(2030, 2, 15)
    """
    tenor = _tenor(tenor)
    date = as_date(date, "date")
    return _issues_around(tenor, date)[1]


def off_the_run(tenor: int, date: dt.date, n: int = 1) -> Issue:
    """The ``n``-th off-the-run issue of ``tenor`` on ``date`` (``n = 1``: first off the run).

    The issue that was on the run ``n`` new issues ago; reopenings do not count.

    Parameters
    ----------
    tenor : int
        Original term in years, one of :data:`TENORS`.
    date : datetime.date
        The date.
    n : int, default 1
        How many new issues back, 1 to 120.

    Returns
    -------
    Issue

    Examples
    --------
    >>> import datetime as dt
    >>> off_the_run(10, dt.date(2025, 4, 2)).maturity
    datetime.date(2034, 11, 15)
    """
    tenor = _tenor(tenor)
    date = as_date(date, "date")
    if isinstance(n, bool) or not isinstance(n, Integral):
        raise TypeError(f"n must be a whole number, got {type(n).__name__} {n!r}")
    if not 1 <= n <= 120:
        raise ValueError(f"n must be between 1 and 120, got {n!r}")
    index, _ = _issues_around(tenor, date)
    for _ in range(n):
        index = _new_issue_months(tenor, index - 1, -1)
    return _issue(tenor, index)


def next_issue(tenor: int, date: dt.date) -> Issue:
    """The next new issue of ``tenor`` after ``date``: the one that will replace the on-the-run.

    Parameters
    ----------
    tenor : int
        Original term in years, one of :data:`TENORS`.
    date : datetime.date
        The date.

    Returns
    -------
    Issue

    Examples
    --------
    >>> import datetime as dt
    >>> next_issue(10, dt.date(2025, 4, 2)).issue_date
    datetime.date(2025, 5, 15)
    """
    tenor = _tenor(tenor)
    date = as_date(date, "date")
    index, _ = _issues_around(tenor, date)
    return _issue(tenor, _new_issue_months(tenor, index + 1, 1))


@dataclass(frozen=True)
class AuctionCycle:
    """Where a date falls in a term's auction cycle (regular calendar; see the module notes).

    Parameters
    ----------
    tenor : int
        Original term, years.
    date : datetime.date
        The date asked about.
    on_the_run, first_off_the_run, next_issue : Issue
        The issue on the run, the one before it, and the one that will replace it.
    age_days : int
        Days since the on-the-run's issue date.
    cycle_days : int
        Days from the on-the-run's issue date to the next issue's.
    cycle_fraction : float
        ``age_days / cycle_days``, from 0 (just issued) towards 1 (about to be replaced).
    last_issue_date : datetime.date
        The most recent issue date of the on-the-run (its first issue or latest reopening).
    next_issue_date : datetime.date
        The next date it grows (a reopening) or is replaced (the next issue).
    """

    tenor: int
    date: dt.date
    on_the_run: Issue
    first_off_the_run: Issue
    next_issue: Issue
    age_days: int
    cycle_days: int
    cycle_fraction: float
    last_issue_date: dt.date
    next_issue_date: dt.date


def auction_cycle(tenor: int, date: dt.date) -> AuctionCycle:
    """The on-the-run issue on a date, how old it is, and what comes next.

    Parameters
    ----------
    tenor : int
        Original term in years, one of :data:`TENORS`.
    date : datetime.date
        The date.

    Returns
    -------
    AuctionCycle

    Examples
    --------
    >>> import datetime as dt
    >>> cycle = auction_cycle(10, dt.date(2025, 4, 2))
    >>> cycle.age_days, cycle.cycle_days, cycle.last_issue_date
    (43, 86, datetime.date(2025, 3, 17))
    """
    tenor = _tenor(tenor)
    date = as_date(date, "date")
    current = on_the_run(tenor, date)
    following = next_issue(tenor, date)
    dates = [current.issue_date, *current.reopenings, following.issue_date]
    age = (date - current.issue_date).days
    cycle = (following.issue_date - current.issue_date).days
    return AuctionCycle(
        tenor=tenor,
        date=date,
        on_the_run=current,
        first_off_the_run=off_the_run(tenor, date),
        next_issue=following,
        age_days=age,
        cycle_days=cycle,
        cycle_fraction=age / cycle,
        last_issue_date=max(d for d in dates if d <= date),
        next_issue_date=min(d for d in dates if d > date),
    )


def issue_age_cycles(issue: Issue, date: dt.date) -> float:
    """How old an issue is on ``date``, counted in auction cycles of its term.

    ``k + f``: ``k`` new issues of the same term have come since it (0 while it is on the run,
    1 once it is first off the run, ...), and ``f`` is the fraction of the current cycle run
    (``AuctionCycle.cycle_fraction``). So an issue goes off the run when its age reaches 1.
    Regular calendar, as modelled (see the module notes).

    Parameters
    ----------
    issue : Issue
        An issue of the regular calendar (from :func:`on_the_run`, :func:`off_the_run`, ...).
    date : datetime.date
        The date, on or after the issue date and at most 120 issues later.

    Returns
    -------
    float
        Age in cycles, not negative.

    Examples
    --------
    >>> import datetime as dt
    >>> issue = on_the_run(10, dt.date(2025, 4, 2))
    >>> issue_age_cycles(issue, dt.date(2025, 4, 2)), issue_age_cycles(issue, dt.date(2025, 5, 15))
    (0.5, 1.0)
    """
    if not isinstance(issue, Issue):
        raise TypeError(f"issue must be an Issue, got {type(issue).__name__}")
    date = as_date(date, "date")
    if date < issue.issue_date:
        raise ValueError(f"date {date} must not be before the issue date {issue.issue_date}")
    cycle = auction_cycle(issue.tenor, date)
    if cycle.on_the_run == issue:
        return cycle.cycle_fraction
    for n in range(1, 121):
        if off_the_run(issue.tenor, date, n) == issue:
            return n + cycle.cycle_fraction
    raise ValueError(f"issue {issue.label} is not a regular-calendar issue of {date} or before")


def issue_calendar(tenor: int, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Issue dates of ``tenor`` between two dates on the regular calendar, for a chart.

    Parameters
    ----------
    tenor : int
        Original term in years, one of :data:`TENORS`.
    start, end : datetime.date
        First and last dates, inclusive; at most 40 years apart.

    Returns
    -------
    pandas.DataFrame
        One row per issue date, ascending, with columns ``issue_date``, ``kind`` (``"new"`` or
        ``"reopening"``), ``maturity``, ``label`` and ``tenor``.

    Examples
    --------
    >>> import datetime as dt
    >>> cal = issue_calendar(10, dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    >>> cal["kind"].tolist()
    ['reopening', 'new', 'reopening', 'reopening', 'new', 'reopening']
    """
    tenor = _tenor(tenor)
    start = as_date(start, "start")
    end = as_date(end, "end")
    if end < start:
        raise ValueError(f"end {end} must not be before start {start}")
    if (end - start).days > 40 * 366:
        raise ValueError(f"start and end must be at most 40 years apart, got {start} and {end}")
    rows = []
    index = _new_issue_months(tenor, _month_index(start) - 12, -1)
    first = _PATTERNS[tenor].first_issue
    while True:
        if first is None or _nominal(index, _PATTERNS[tenor].issue_day) >= first:
            issue = _issue(tenor, index)
            if issue.issue_date > end:
                break
            for kind, when in [("new", issue.issue_date)] + [
                ("reopening", d) for d in issue.reopenings
            ]:
                if start <= when <= end:
                    rows.append((when, kind, issue.maturity, issue.label, tenor))
        index = _new_issue_months(tenor, index + 1, 1)
    frame = pd.DataFrame(rows, columns=["issue_date", "kind", "maturity", "label", "tenor"])
    return frame.sort_values("issue_date", kind="stable").reset_index(drop=True)


def auction_coupon(high_yield: float | np.ndarray) -> float | np.ndarray:
    """The coupon a new note or bond gets from its auction's high yield.

    Treasury sets the coupon of a new fixed-rate note or bond at the high yield rounded down
    to the nearest 1/8 of one percent, and at no less than 1/8% (31 CFR 356.20; the minimum
    by 76 FR 11079, 1 March 2011). The bond is then sold at or just below par; a high yield
    under 1/8% is sold at a premium.

    Parameters
    ----------
    high_yield : float or array_like
        Auction high yield, decimal (0.04632 for 4.632%).

    Returns
    -------
    float or numpy.ndarray
        Coupon rate, decimal, a multiple of 0.00125; same shape as ``high_yield``.

    Examples
    --------
    >>> auction_coupon(0.04632)  # 4.632% -> 4 5/8%
    0.04625
    >>> auction_coupon([0.0, 0.01904]).tolist()  # 0% -> 1/8%; 1.904% -> 1 7/8%
    [0.00125, 0.01875]
    """
    y = check_rate(high_yield, "high_yield")
    # High yields are stated to three decimals of a percent; the small allowance keeps a
    # yield exactly on an eighth (4.625%) from being floored to the eighth below by rounding.
    eighths = np.floor(y / COUPON_INCREMENT + 1e-6)
    out = np.maximum(eighths * COUPON_INCREMENT, MINIMUM_COUPON)
    out = np.round(out, 8)
    return float(out) if out.ndim == 0 else out
