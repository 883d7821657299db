r"""US Treasury futures: contracts, conversion factors, the basis, carry and implied repo.

The cash-futures basis in the arithmetic of CME and Burghardt & Belton, *The Treasury Bond
Basis*:

- gross basis = clean price - futures price x conversion factor;
- carry = coupon income - repo cost over the days from settlement to delivery;
- net basis = gross basis - carry;
- implied repo rate = the financing rate at which buying the bond, repo-financing it and
  delivering it into the futures breaks even. The bond with the highest implied repo rate is the
  cheapest to deliver (CTD).

Money-market convention throughout: repo and implied repo are simple ACT/360 rates. A coupon
paid between settlement and delivery is taken to be reinvested (or to pay down the repo loan)
at the same rate until delivery. With coupons :math:`c_k` paid on :math:`t_k`, full price
:math:`P_f = P + AI_s`, :math:`d` days to delivery and :math:`d_k` days from :math:`t_k` to
delivery, the forward clean price at repo rate :math:`r` is

.. math::

    P_{fwd}(r) = P_f (1 + r d / 360) - \sum_k c_k (1 + r d_k / 360) - AI_d,

carry is :math:`P - P_{fwd}(r)`, net basis is :math:`P_{fwd}(r) - F \cdot CF`, and the implied
repo rate solves :math:`P_{fwd}(r) = F \cdot CF`:

.. math::

    IRR = \frac{F \cdot CF + AI_d + \sum_k c_k - P_f}{(P_f d - \sum_k c_k d_k) / 360}.

So net basis = :math:`(r - IRR)(P_f d - \sum_k c_k d_k) / 360` exactly, which with no coupon
in the period is the familiar :math:`(P + AI_s)(r - IRR)\,d/360`.

Units: prices and bases per 100 face (points; the tables also give 32nds), rates as decimals,
money in dollars.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from treasury_rv._validate import (
    as_date,
    as_real,
    check_coupon,
    check_fraction,
    check_nonnegative,
    check_positive,
    check_rate,
)
from treasury_rv.bonds import Treasury, _coupon_text, accrued_interest, dv01, yield_to_maturity
from treasury_rv.data import shipped
from treasury_rv.dates import (
    add_business_days,
    add_months,
    last_business_day,
    next_coupon_date,
)

__all__ = [
    "SPECS",
    "ContractSpec",
    "FuturesContract",
    "basis_position_path",
    "basis_shock_path",
    "basket_table",
    "best_delivery_days",
    "carry",
    "check_deliverable",
    "contract",
    "conversion_factor",
    "deliverable_basket",
    "delivery_day_grid",
    "forward_price",
    "futures_dv01",
    "gross_basis",
    "hedge_contracts",
    "hedge_ratio",
    "implied_repo_rate",
    "invoice_price",
    "is_deliverable",
    "net_basis",
    "no_option_price",
    "zero_carry_repo_rate",
]

#: Notional coupon of every CBOT Treasury contract (decimal): the yield the conversion factor
#: prices a bond at.
NOTIONAL_COUPON = 0.06

#: Delivery month letters (futures month codes) and the months they stand for.
DELIVERY_MONTHS = {"H": 3, "M": 6, "U": 9, "Z": 12}


# --------------------------------------------------------------------------------------------
# Contract specifications
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeRule:
    """The deliverable grade of a contract from one contract month on (CBOT rulebook).

    Remaining terms count from the first day of the delivery month, except where
    ``max_from_month_end`` says the upper limit counts from its last day.

    Attributes
    ----------
    effective : tuple of int, or None
        (year, month) of the first contract month the rule applies to; None for the earliest
        rule the library knows (it applies to every earlier contract month).
    min_remaining_months : int
        Shortest remaining term of a deliverable issue, months (inclusive).
    max_remaining_months : int or None
        Longest remaining term, months (None: no limit).
    max_from_month_end : bool
        Whether the longest remaining term is counted from the last day of the delivery month
        (TU, Z3N) rather than the first.
    max_inclusive : bool
        Whether an issue exactly at the longest remaining term is deliverable ("not more
        than") or not ("less than").
    max_original_months : int or None
        Longest original term (issue date to maturity), months (None: no rule).
    deliverable : str
        The grade in words.
    source : str
        The rule and where its text comes from.
    """

    effective: tuple[int, int] | None
    min_remaining_months: int
    max_remaining_months: int | None
    max_from_month_end: bool
    max_inclusive: bool
    max_original_months: int | None
    deliverable: str
    source: str


@dataclass(frozen=True)
class ContractSpec:
    """Specification of one CBOT Treasury futures contract (cmegroup.com contract specs).

    Attributes
    ----------
    root : str
        Contract root, e.g. ``"TY"``.
    name : str
        Contract name.
    face : int
        Face value at maturity of one contract, dollars.
    tick : float
        Minimum price fluctuation of an outright, points per 100.
    cf_family : {"note", "bond"}
        Conversion-factor rounding: ``"note"`` counts remaining whole months (TU, Z3N, FV),
        ``"bond"`` rounds them down to a quarter (TY, TN, US, UB).
    last_trading_offset : int
        Last trading day = this many business days before the month's last business day
        (0 for TU, Z3N, FV; 7 for TY, TN, US, UB).
    grades : tuple of GradeRule
        The deliverable grade's rules in the order they took effect; :meth:`grade` picks the
        one in force for a contract month.
    """

    root: str
    name: str
    face: int
    tick: float
    cf_family: Literal["note", "bond"]
    last_trading_offset: int
    grades: tuple[GradeRule, ...]

    def grade(self, year: int, month: int) -> GradeRule:
        """The grade rule in force for the contract month ``year``-``month``.

        Examples
        --------
        >>> SPECS["TY"].grade(2023, 6).max_remaining_months
        120
        >>> SPECS["TY"].grade(2023, 9).deliverable
        'original term <= 10y; remaining >= 6y6m and < 8y from the first day of the delivery month'
        """
        in_force = [g for g in self.grades if g.effective is None or g.effective <= (year, month)]
        return in_force[-1]


_FROM_FIRST_DAY = "from the first day of the delivery month"
_CBOT = "CBOT Rulebook chapter {}, Rule {}"

#: The seven CBOT Treasury contracts by root: face, tick and deliverable grade from the
#: cmegroup.com contract-specification pages and the CBOT rulebook chapters they cite; each
#: grade rule carries the contract month it took effect.
SPECS: dict[str, ContractSpec] = {
    spec.root: spec
    for spec in (
        ContractSpec(
            root="TU", name="2-Year T-Note", face=200_000, tick=1 / 256, cf_family="note",
            last_trading_offset=0,
            grades=(GradeRule(
                effective=None, min_remaining_months=21, max_remaining_months=24,
                max_from_month_end=True, max_inclusive=True, max_original_months=63,
                deliverable=f"original term <= 5y3m; remaining >= 1y9m {_FROM_FIRST_DAY} "
                "and <= 2y from its last day",
                source="cmegroup.com 2-Year T-Note contract specs",
            ),),
        ),
        ContractSpec(
            root="Z3N", name="3-Year T-Note", face=200_000, tick=1 / 256, cf_family="note",
            last_trading_offset=0,
            grades=(GradeRule(
                effective=None, min_remaining_months=33, max_remaining_months=36,
                max_from_month_end=True, max_inclusive=True, max_original_months=84,
                deliverable=f"original term <= 7y; remaining >= 2y9m {_FROM_FIRST_DAY} "
                "and <= 3y from its last day",
                source="cmegroup.com 3-Year T-Note contract specs",
            ),),
        ),
        ContractSpec(
            root="FV", name="5-Year T-Note", face=100_000, tick=1 / 128, cf_family="note",
            last_trading_offset=0,
            grades=(GradeRule(
                effective=None, min_remaining_months=50, max_remaining_months=None,
                max_from_month_end=False, max_inclusive=True, max_original_months=63,
                deliverable=f"original term <= 5y3m; remaining >= 4y2m {_FROM_FIRST_DAY}",
                source="cmegroup.com 5-Year T-Note contract specs",
            ),),
        ),
        ContractSpec(
            root="TY", name="10-Year T-Note", face=100_000, tick=1 / 64, cf_family="bond",
            last_trading_offset=7,
            grades=(
                GradeRule(
                    effective=None, min_remaining_months=78, max_remaining_months=120,
                    max_from_month_end=False, max_inclusive=True, max_original_months=120,
                    deliverable=f"notes (original term <= 10y); remaining 6y6m to 10y "
                    f"{_FROM_FIRST_DAY}",
                    source=_CBOT.format(19, "19101.A") + " before the September 2023 contract "
                    "month; cmegroup.com 10-Year T-Note contract specs",
                ),
                GradeRule(
                    effective=(2023, 9), min_remaining_months=78, max_remaining_months=96,
                    max_from_month_end=False, max_inclusive=False, max_original_months=120,
                    deliverable=f"original term <= 10y; remaining >= 6y6m and < 8y "
                    f"{_FROM_FIRST_DAY}",
                    source=_CBOT.format(19, "19101.A") + " as amended by CME SER-9102 "
                    "(6 Dec 2022), from the September 2023 contract month; rule text as quoted "
                    "in secondary sources (CME's older spec pages still say 10 years)",
                ),
            ),
        ),
        ContractSpec(
            root="TN", name="Ultra 10-Year T-Note", face=100_000, tick=1 / 64, cf_family="bond",
            last_trading_offset=7,
            grades=(GradeRule(
                effective=None, min_remaining_months=113, max_remaining_months=120,
                max_from_month_end=False, max_inclusive=True, max_original_months=120,
                deliverable=f"original-issue 10-year notes; remaining 9y5m to 10y "
                f"{_FROM_FIRST_DAY}",
                source=_CBOT.format(26, "26101") + "; cmegroup.com Ultra 10-Year contract specs",
            ),),
        ),
        ContractSpec(
            root="US", name="Treasury Bond", face=100_000, tick=1 / 32, cf_family="bond",
            last_trading_offset=7,
            grades=(
                GradeRule(
                    effective=None, min_remaining_months=180, max_remaining_months=None,
                    max_from_month_end=False, max_inclusive=True, max_original_months=None,
                    deliverable=f"remaining >= 15y {_FROM_FIRST_DAY}",
                    source="cmegroup.com Treasury Bond contract specs, before the March 2011 "
                    "contract month",
                ),
                GradeRule(
                    effective=(2011, 3), min_remaining_months=180, max_remaining_months=300,
                    max_from_month_end=False, max_inclusive=False, max_original_months=None,
                    deliverable=f"remaining >= 15y and < 25y {_FROM_FIRST_DAY}",
                    source="capped at 25 years from the March 2011 contract month "
                    "(cmegroup.com Ultra T-Bond futures page)",
                ),
            ),
        ),
        ContractSpec(
            root="UB", name="Ultra Treasury Bond", face=100_000, tick=1 / 32, cf_family="bond",
            last_trading_offset=7,
            grades=(GradeRule(
                effective=None, min_remaining_months=300, max_remaining_months=None,
                max_from_month_end=False, max_inclusive=True, max_original_months=None,
                deliverable=f"remaining >= 25y {_FROM_FIRST_DAY}",
                source=_CBOT.format(40, "40101") + "; cmegroup.com Ultra T-Bond contract specs",
            ),),
        ),
    )
}  # fmt: skip

_CODE = re.compile(r"(?P<root>[A-Z0-9]+?)(?P<letter>[FGHJKMNQUVXZ])(?P<yy>\d{2})")


@dataclass(frozen=True)
class FuturesContract:
    """One delivery month of a Treasury futures contract, e.g. ``TYM25``, and its calendar.

    Delivery is a three-business-day cycle (CME Clearing Advisory 08-100): on *intention
    day* the short declares that it will deliver, on *notice day* the clearing house matches
    it with a long and invoices, on *delivery day* the bonds move against cash. So the first
    intention day is two business days before the first delivery day, and the last intention
    day two business days before the last delivery day.

    Attributes
    ----------
    code : str
        Root + month letter + two-digit year.
    spec : ContractSpec
        The contract's specification.
    grade : GradeRule
        The deliverable grade in force for this contract month.
    year, month : int
        Delivery year and month.
    month_start : datetime.date
        First calendar day of the delivery month (the date conversion factors and
        deliverability count from).
    month_end : datetime.date
        Last calendar day of the delivery month.
    first_intention_day : datetime.date
        First position / intention day: two business days before the first delivery day.
    first_notice_day : datetime.date
        The business day before the first delivery day.
    first_delivery_day : datetime.date
        First business day of the delivery month.
    last_trading_day : datetime.date
        TY/TN/US/UB: 7 business days before the month's last business day; TU/Z3N/FV: the
        month's last business day.
    last_intention_day : datetime.date
        Two business days before the last delivery day.
    last_delivery_day : datetime.date
        TY/TN/US/UB: the month's last business day; TU/Z3N/FV: the third business day after
        the last trading day.
    """

    code: str
    spec: ContractSpec
    grade: GradeRule
    year: int
    month: int
    month_start: dt.date
    month_end: dt.date
    first_intention_day: dt.date
    first_notice_day: dt.date
    first_delivery_day: dt.date
    last_trading_day: dt.date
    last_intention_day: dt.date
    last_delivery_day: dt.date

    def delivery_days(self) -> list[dt.date]:
        """Every business day from the first to the last delivery day, inclusive.

        Examples
        --------
        >>> days = contract("TYM25").delivery_days()
        >>> days[0], days[-1], len(days)
        (datetime.date(2025, 6, 2), datetime.date(2025, 6, 30), 20)
        """
        days = [self.first_delivery_day]
        while days[-1] < self.last_delivery_day:
            days.append(add_business_days(days[-1], 1))
        return days

    @property
    def last_notice_day(self) -> dt.date:
        """Day 2 of the last delivery cycle: the last day the short selects the bonds to deliver.

        CME Clearing Advisory 08-100: on notice day "Shorts must select the instruments they
        will deliver and confirm their invoices by 2:00 p.m."; so the end-of-month option (the
        choice of bond after the last trading day) runs to this day.

        Examples
        --------
        >>> contract("TYM25").last_notice_day
        datetime.date(2025, 6, 27)
        """
        return add_business_days(self.last_delivery_day, -1)

    def calendar(self) -> pd.DataFrame:
        """The contract's delivery calendar as a table of events and dates.

        Examples
        --------
        >>> contract("TYM25").calendar()["date"].iloc[0]
        datetime.date(2025, 5, 29)
        """
        events = [
            ("First position (intention) day", self.first_intention_day),
            ("First notice day", self.first_notice_day),
            ("First delivery day", self.first_delivery_day),
            ("Last trading day", self.last_trading_day),
            ("Last intention day", self.last_intention_day),
            ("Last notice day", self.last_notice_day),
            ("Last delivery day", self.last_delivery_day),
        ]
        return pd.DataFrame(events, columns=["event", "date"])


def contract(code: str | FuturesContract) -> FuturesContract:
    """Parse a contract code such as ``"TYM25"`` into its delivery calendar and specification.

    Parameters
    ----------
    code : str or FuturesContract
        Root (TU, Z3N, FV, TY, TN, US, UB) + delivery month letter (H, M, U, Z) + two-digit
        year (20yy). A parsed contract is returned unchanged.

    Returns
    -------
    FuturesContract

    Examples
    --------
    >>> c = contract("TYM25")
    >>> c.first_notice_day, c.last_trading_day, c.last_delivery_day, c.spec.face
    (datetime.date(2025, 5, 30), datetime.date(2025, 6, 18), datetime.date(2025, 6, 30), 100000)
    """
    if isinstance(code, FuturesContract):
        return code
    if not isinstance(code, str):
        raise TypeError(f"contract must be a code such as 'TYM25', got {type(code).__name__}")
    match = _CODE.fullmatch(code.strip().upper())
    if match is None:
        raise ValueError(
            f"contract {code!r} is not a code of root + month letter + two-digit year, "
            "such as 'TYM25'"
        )
    root, letter = match["root"], match["letter"]
    if root not in SPECS:
        raise ValueError(f"contract {code!r} has unknown root {root!r}; known: {sorted(SPECS)}")
    if letter not in DELIVERY_MONTHS:
        raise ValueError(
            f"contract {code!r} has month letter {letter!r}; Treasury futures deliver only in "
            "H, M, U, Z (March, June, September, December)"
        )
    spec = SPECS[root]
    year, month = 2000 + int(match["yy"]), DELIVERY_MONTHS[letter]
    month_start = dt.date(year, month, 1)
    last_bd = last_business_day(year, month)
    last_trading = add_business_days(last_bd, -spec.last_trading_offset)
    last_delivery = last_bd if spec.last_trading_offset else add_business_days(last_trading, 3)
    first_delivery = add_business_days(month_start, 0)
    return FuturesContract(
        code=f"{root}{letter}{match['yy']}",
        spec=spec,
        grade=spec.grade(year, month),
        year=year,
        month=month,
        month_start=month_start,
        month_end=add_months(month_start, 0, eom=True),
        first_intention_day=add_business_days(first_delivery, -2),
        first_notice_day=add_business_days(first_delivery, -1),
        first_delivery_day=first_delivery,
        last_trading_day=last_trading,
        last_intention_day=add_business_days(last_delivery, -2),
        last_delivery_day=last_delivery,
    )


# --------------------------------------------------------------------------------------------
# Conversion factors and deliverability
# --------------------------------------------------------------------------------------------


def _years_months(start: dt.date, maturity: dt.date) -> tuple[int, int]:
    """Whole years and leftover whole months from ``start`` (a first of month) to maturity."""
    months = (maturity.year - start.year) * 12 + (maturity.month - start.month)
    return divmod(months, 12)


def conversion_factor(
    coupon: float, maturity: dt.date, contract: str | FuturesContract, *, rounded: bool = True
) -> float:
    """CME conversion factor: the price per 1 face of the bond at a 6% yield.

    CME, "Calculating U.S. Treasury Futures Conversion Factors" (2024): with n whole years and
    z whole months from the first day of the delivery month to maturity (z rounded down to a
    quarter for TY, TN, US, UB), v = z if z < 7 else 3 (bond contracts) or z - 6 (TU, Z3N,
    FV); a = 1.03^(-v/6); b = (cpn/2)(6 - v)/6; c = 1.03^(-2n) if z < 7 else 1.03^(-(2n+1));
    d = (cpn/0.06)(1 - c); factor = a (cpn/2 + c + d) - b.

    Parameters
    ----------
    coupon : float
        Annual coupon, decimal (0.04125).
    maturity : datetime.date
        Maturity date, after the first day of the delivery month.
    contract : str or FuturesContract
        Contract code such as ``"TYM25"``.
    rounded : bool, default True
        Round to 4 decimals as CME publishes; False gives the unrounded value.

    Returns
    -------
    float
        Conversion factor (per 1 of face).

    Examples
    --------
    >>> import datetime as dt
    >>> conversion_factor(0.03375, dt.date(2034, 11, 15), "TYM25")  # 9y5m
    0.8157
    """
    coupon = check_coupon(coupon, "coupon")
    maturity = as_date(maturity, "maturity")
    fut = _parse(contract)
    if maturity <= fut.month_start:
        raise ValueError(
            f"maturity {maturity} must be after the first day of the delivery month "
            f"{fut.month_start} of {fut.code}"
        )
    n, z = _years_months(fut.month_start, maturity)
    if fut.spec.cf_family == "bond":
        z = z // 3 * 3
        v = z if z < 7 else 3
    else:
        v = z if z < 7 else z - 6
    half = coupon / 2
    a = 1.03 ** (-v / 6)
    b = half * (6 - v) / 6
    c = 1.03 ** (-2 * n) if z < 7 else 1.03 ** (-(2 * n + 1))
    d = coupon / NOTIONAL_COUPON * (1 - c)
    factor = a * (half + c + d) - b
    return round(factor, 4) if rounded else factor


def _parse(value: object) -> FuturesContract:
    """:func:`contract` for functions whose ``contract`` argument hides the module function."""
    return contract(value)  # type: ignore[arg-type]


def _check_bond(bond: object) -> Treasury:
    if not isinstance(bond, Treasury):
        raise TypeError(f"bond must be a Treasury, got {type(bond).__name__}")
    return bond


def _deliverability_problem(bond: Treasury, fut: FuturesContract) -> str | None:
    """Why ``bond`` is not deliverable into ``fut`` (None if it is)."""
    rule = fut.grade
    shortest = add_months(fut.month_start, rule.min_remaining_months)
    if bond.maturity < shortest:
        return f"matures {bond.maturity}, before {shortest} (the shortest for {fut.code})"
    if rule.max_remaining_months is not None:
        base = fut.month_end if rule.max_from_month_end else fut.month_start
        longest = add_months(base, rule.max_remaining_months, eom=rule.max_from_month_end)
        too_long = bond.maturity > longest if rule.max_inclusive else bond.maturity >= longest
        if too_long:
            limit = "after" if rule.max_inclusive else "on or after"
            return f"matures {bond.maturity}, {limit} {longest} (the longest for {fut.code})"
    if bond.issue_date is None:
        if rule.max_original_months is None:
            return None
        raise ValueError(
            f"bond.issue_date is needed: {fut.code} limits the original term ({rule.deliverable})"
        )
    if rule.max_original_months is not None:
        longest_original = add_months(bond.issue_date, rule.max_original_months)
        if bond.maturity > longest_original:
            return (
                f"has an original term from {bond.issue_date} to {bond.maturity}, longer than "
                f"{rule.max_original_months // 12}y{rule.max_original_months % 12}m"
            )
    if bond.issue_date >= fut.last_delivery_day:
        return (
            f"is issued on {bond.issue_date}, on or after the last delivery day "
            f"{fut.last_delivery_day} (CME SER-4819)"
        )
    return None


def is_deliverable(bond: Treasury, contract: str | FuturesContract) -> bool:
    """Whether ``bond`` is in the deliverable basket of ``contract``.

    The grade is the rule in force for the contract month (:attr:`FuturesContract.grade`; the
    10-year contract's changed from the September 2023 contract month). Remaining terms count
    from the first day of the delivery month (TU and Z3N's upper limit from its last day);
    rules on the original term need ``bond.issue_date``. An issue settling on or after the
    last delivery day is not deliverable (CME SER-4819), which matters for the new 2-, 5- and
    7-year notes issued at month-ends.

    Reopenings: deliverability is decided by the issue's original issue date and maturity,
    so a reopening changes nothing here; it only adds to the amount of an issue that is
    already in or out of the grade. CBOT submission 25-099 (filed with the CFTC on 21 Feb
    2025) concerns adding reopened issues to the grade from the March 2026 contract month;
    the library models no exclusion of reopened amounts, before or after that month.

    Parameters
    ----------
    bond : Treasury
        The note or bond.
    contract : str or FuturesContract
        Contract code such as ``"TYM25"``.

    Returns
    -------
    bool

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.bonds import Treasury
    >>> feb35 = Treasury(0.04625, dt.date(2035, 2, 15), issue_date=dt.date(2025, 2, 18))
    >>> is_deliverable(feb35, "TYM25")  # 9y8m left: over the 8-year limit from Sep 2023
    False
    >>> nov32 = Treasury(0.04125, dt.date(2032, 11, 15), issue_date=dt.date(2022, 11, 15))
    >>> is_deliverable(nov32, "TYM25"), is_deliverable(nov32, "TYM23")
    (True, True)
    """
    return _deliverability_problem(_check_bond(bond), _parse(contract)) is None


def check_deliverable(bond: Treasury, contract: str | FuturesContract) -> Treasury:
    """Return ``bond`` if it is deliverable into ``contract``, else raise ``ValueError``.

    Parameters
    ----------
    bond : Treasury
        The note or bond.
    contract : str or FuturesContract
        Contract code such as ``"TYM25"``.

    Returns
    -------
    Treasury
        ``bond``, unchanged.

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.bonds import Treasury
    >>> may33 = Treasury(0.03375, dt.date(2033, 5, 15), issue_date=dt.date(2023, 5, 15))
    >>> check_deliverable(may33, "TYM25").coupon
    0.03375
    """
    bond = _check_bond(bond)
    fut = _parse(contract)
    problem = _deliverability_problem(bond, fut)
    if problem is not None:
        raise ValueError(
            f"bond {_label(bond)} is not deliverable into {fut.code}: it {problem}; "
            f"{fut.code} takes {fut.grade.deliverable}"
        )
    return bond


def deliverable_basket(contract: str | FuturesContract) -> list[Treasury]:
    """The real deliverable basket of a contract shipped with the library, as Treasuries.

    The notes come from the shipped dataset ``deliverable_baskets`` (coupon, maturity,
    original issue date, CUSIP where known, auction high yield, a ``status`` of
    ``secondary`` or ``unconfirmed`` and a ``source`` on every row); each is checked against
    the contract's grade. Names are written as on a trader's delivery screen,
    ``"T 1 7/8 02/15/32"``.

    Parameters
    ----------
    contract : str or FuturesContract
        A contract in the dataset (today ``"TYM25"``).

    Returns
    -------
    list of Treasury
        In the dataset's order (7-year notes, then 10-year notes, each by maturity).

    Examples
    --------
    >>> basket = deliverable_basket("TYM25")
    >>> len(basket), basket[0].name, basket[-1].name
    (12, 'T 4 1/2 12/31/31', 'T 3 3/8 05/15/33')
    """
    fut = _parse(contract)
    table = shipped("deliverable_baskets")
    rows = table.loc[table["contract"] == fut.code]
    if rows.empty:
        raise ValueError(
            f"contract must be one of the shipped baskets {sorted(set(table['contract']))}, "
            f"got {fut.code}"
        )
    bonds = [
        Treasury(
            float(row.coupon),
            row.maturity,
            issue_date=row.issue_date,
            name=f"T {_coupon_text(float(row.coupon)).rstrip('%')} {row.maturity:%m/%d/%y}",
        )
        for row in rows.itertuples()
    ]
    return [check_deliverable(b, fut) for b in bonds]


# --------------------------------------------------------------------------------------------
# Invoice price, basis, carry, implied repo
# --------------------------------------------------------------------------------------------


def _label(bond: Treasury) -> str:
    """The bond's name if it has one, else its label such as ``"4 1/8% 2032-11-15"``."""
    return bond.name or bond.label


def _out(value: np.ndarray) -> float | np.ndarray:
    """A 0-d result as a float; arrays unchanged."""
    return float(value) if np.ndim(value) == 0 else value


@dataclass(frozen=True)
class _Period:
    """Cash-flow facts of holding bonds from settlement to delivery (per 100 face).

    Fields are floats for one bond, or arrays for a basket (see :func:`_stack`).
    """

    ai_settle: float | np.ndarray
    ai_delivery: float | np.ndarray
    coupons: float | np.ndarray  # coupons paid after settle, up to and including delivery
    coupon_days: float | np.ndarray  # sum of those coupons x days from payment to delivery
    days: int | np.ndarray


def _coupons_between(maturity: dt.date, start: dt.date, end: dt.date) -> list[dt.date]:
    """Coupon dates after ``start`` up to and including ``end`` (``end`` before maturity)."""
    paid = []
    date = next_coupon_date(maturity, start)
    while date <= end:
        paid.append(date)
        date = next_coupon_date(maturity, date)
    return paid


def _period(bond: Treasury, settle: object, delivery: object) -> _Period:
    settle = as_date(settle, "settle")
    delivery = as_date(delivery, "delivery")
    if delivery <= settle:
        raise ValueError(f"delivery {delivery} must be after settle {settle}")
    if delivery >= bond.maturity:
        raise ValueError(f"delivery {delivery} must be before the bond's maturity {bond.maturity}")
    if bond.issue_date is not None and settle < bond.issue_date:
        raise ValueError(
            f"settle {settle} is before bond {_label(bond)} is issued on {bond.issue_date}"
        )
    paid = _coupons_between(bond.maturity, settle, delivery)
    amount = 100 * bond.coupon / 2
    return _Period(
        ai_settle=float(accrued_interest(bond, settle)),
        ai_delivery=float(accrued_interest(bond, delivery)),
        coupons=amount * len(paid),
        coupon_days=amount * sum((delivery - d).days for d in paid),
        days=(delivery - settle).days,
    )


def _stack(periods: list[_Period], shape: tuple[int, ...] = (-1,)) -> _Period:
    """One :class:`_Period` with array fields for a basket sharing settle (and its days)."""
    return _Period(
        *(
            np.array([getattr(q, field) for q in periods]).reshape(shape)
            for field in ("ai_settle", "ai_delivery", "coupons", "coupon_days", "days")
        ),
    )


def _forward(full: np.ndarray, p: _Period, repo: np.ndarray) -> np.ndarray:
    """Forward clean price at delivery that breaks even at ``repo`` (module notes)."""
    return full * (1 + repo * p.days / 360) - p.coupons - repo * p.coupon_days / 360 - p.ai_delivery


def invoice_price(
    futures_price: float,
    conversion_factor: float,
    accrued: float | None = None,
    *,
    bond: Treasury | None = None,
    delivery: dt.date | None = None,
) -> float | np.ndarray:
    """Invoice price the long pays on delivery: F x CF + accrued interest at delivery.

    Parameters
    ----------
    futures_price : float or array
        Futures settlement price, points per 100.
    conversion_factor : float
        Conversion factor of the delivered bond.
    accrued : float, optional
        Accrued interest at delivery, per 100 face. If omitted, computed from ``bond`` and
        ``delivery``.
    bond : Treasury, optional
        The delivered bond (when ``accrued`` is omitted).
    delivery : datetime.date, optional
        Delivery date (when ``accrued`` is omitted).

    Returns
    -------
    float or numpy.ndarray
        Invoice price per 100 face.

    Examples
    --------
    >>> invoice_price(110.5, 0.8157, 1.25)
    91.38485
    """
    f = check_positive(futures_price, "futures_price")
    cf = check_positive(conversion_factor, "conversion_factor")
    if accrued is None:
        if bond is None or delivery is None:
            raise ValueError("accrued is missing: give accrued, or bond and delivery")
        ai = float(accrued_interest(_check_bond(bond), as_date(delivery, "delivery")))
    else:
        ai = float(check_nonnegative(as_real(accrued, "accrued"), "accrued"))
    return _out(f * cf + ai)


def gross_basis(
    bond: Treasury,
    clean_price: float,
    futures_price: float,
    conversion_factor: float,
) -> float | np.ndarray:
    """Gross basis: clean price - futures price x conversion factor.

    Parameters
    ----------
    bond : Treasury
        The bond (checked; the basis needs only its prices).
    clean_price : float or array
        Bond clean price, per 100.
    futures_price : float or array
        Futures price, points per 100.
    conversion_factor : float
        The bond's conversion factor.

    Returns
    -------
    float or numpy.ndarray
        Gross basis in points per 100 (x 32 for 32nds).

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.bonds import Treasury
    >>> bond = Treasury(0.0425, dt.date(2032, 2, 15))
    >>> round(32 * gross_basis(bond, 99.5, 109.625, 0.9069), 4)  # in 32nds
    2.5948
    """
    _check_bond(bond)
    p = check_positive(clean_price, "clean_price")
    f = check_positive(futures_price, "futures_price")
    cf = check_positive(conversion_factor, "conversion_factor")
    return _out(p - f * cf)


def forward_price(
    bond: Treasury,
    clean_price: float,
    settle: dt.date,
    delivery: dt.date,
    repo_rate: float,
) -> float | np.ndarray:
    """Forward clean price at delivery: the break-even sale price of a repo-financed bond.

    Parameters
    ----------
    bond : Treasury
        The bond.
    clean_price : float or array
        Clean price at settlement, per 100.
    settle : datetime.date
        Settlement date of the purchase.
    delivery : datetime.date
        Forward (delivery) date, after ``settle`` and before maturity.
    repo_rate : float or array
        Term repo rate, decimal, ACT/360; coupons paid in the period are reinvested at it.

    Returns
    -------
    float or numpy.ndarray
        Forward clean price, per 100.

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.bonds import Treasury
    >>> bond = Treasury(0.0425, dt.date(2032, 2, 15))
    >>> round(forward_price(bond, 99.5, dt.date(2025, 3, 3), dt.date(2025, 6, 30), 0.043), 4)
    99.5199
    """
    bond = _check_bond(bond)
    p = check_positive(clean_price, "clean_price")
    r = check_rate(repo_rate, "repo_rate")
    period = _period(bond, settle, delivery)
    return _out(_forward(p + period.ai_settle, period, r))


def carry(
    bond: Treasury,
    clean_price: float,
    settle: dt.date,
    delivery: dt.date,
    repo_rate: float,
) -> float | np.ndarray:
    """Carry of a repo-financed bond to delivery: coupon income - repo cost.

    Coupon income = AI at delivery - AI at settlement + coupons paid in between; repo cost =
    (P + AI_settle) x r x days/360, less the interest earned on coupons reinvested at r until
    delivery (module notes). Carry = clean price - forward price.

    Parameters
    ----------
    bond : Treasury
        The bond.
    clean_price : float or array
        Clean price at settlement, per 100.
    settle : datetime.date
        Settlement date.
    delivery : datetime.date
        Delivery date, after ``settle``.
    repo_rate : float or array
        Term repo rate, decimal, ACT/360.

    Returns
    -------
    float or numpy.ndarray
        Carry in points per 100 (positive: the bond earns more than it costs to finance).

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.bonds import Treasury
    >>> bond = Treasury(0.0425, dt.date(2032, 2, 15))
    >>> round(carry(bond, 99.5, dt.date(2025, 3, 3), dt.date(2025, 6, 30), 0.043), 4)
    -0.0199
    """
    bond = _check_bond(bond)
    p = check_positive(clean_price, "clean_price")
    r = check_rate(repo_rate, "repo_rate")
    period = _period(bond, settle, delivery)
    return _out(p - _forward(p + period.ai_settle, period, r))


def zero_carry_repo_rate(
    bond: Treasury,
    clean_price: float,
    settle: dt.date,
    delivery: dt.date,
) -> float:
    """Term repo rate at which a repo-financed bond's carry to delivery is zero.

    Carry is affine in the repo rate (module notes), so the break-even rate is exact:
    r = (AI_delivery - AI_settle + coupons) x 360 / ((P + AI_settle) x days - coupon-days),
    the coupon income over the money borrowed. Above it the bond's carry is negative and, in
    :func:`best_delivery_days`, it is best delivered on the first delivery day; below it, on
    the last.

    Parameters
    ----------
    bond : Treasury
        The bond.
    clean_price : float
        Clean price at settlement, per 100.
    settle : datetime.date
        Settlement date.
    delivery : datetime.date
        Delivery date, after ``settle``.

    Returns
    -------
    float
        Repo rate, decimal, ACT/360.

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.bonds import Treasury
    >>> bond = Treasury(0.0425, dt.date(2032, 2, 15))
    >>> r = zero_carry_repo_rate(bond, 99.5, dt.date(2025, 3, 3), dt.date(2025, 6, 30))
    >>> round(r, 5), abs(carry(bond, 99.5, dt.date(2025, 3, 3), dt.date(2025, 6, 30), r)) < 1e-12
    (0.0424, True)
    """
    bond = _check_bond(bond)
    p = float(check_positive(clean_price, "clean_price"))
    period = _period(bond, settle, delivery)
    full = p + period.ai_settle
    income = period.ai_delivery - period.ai_settle + period.coupons
    return float(income * 360 / (full * period.days - period.coupon_days))


def _basis_inputs(bond, clean_price, futures_price, conversion_factor, settle, delivery):
    bond = _check_bond(bond)
    p = check_positive(clean_price, "clean_price")
    f = check_positive(futures_price, "futures_price")
    cf = check_positive(conversion_factor, "conversion_factor")
    return bond, p, f, cf, _period(bond, settle, delivery)


def _implied_repo(full, invoice_clean, p: _Period):
    """IRR from full price and F x CF (module notes), array-friendly."""
    return (invoice_clean + p.ai_delivery + p.coupons - full) / (
        (full * p.days - p.coupon_days) / 360
    )


def implied_repo_rate(
    bond: Treasury,
    clean_price: float,
    futures_price: float,
    conversion_factor: float,
    settle: dt.date,
    delivery: dt.date,
) -> float | np.ndarray:
    """Implied repo rate: the ACT/360 return of buying the bond and delivering it.

    With no coupon before delivery, IRR = [(F x CF + AI_delivery) / (P + AI_settle) - 1] x
    360 / days. With a coupon c paid at t_c and reinvested at the same rate,
    IRR = (F x CF + AI_delivery + c - P_full) / (P_full x days/360 - c x (delivery - t_c)/360).

    Parameters
    ----------
    bond : Treasury
        The bond.
    clean_price : float or array
        Clean price at settlement, per 100.
    futures_price : float or array
        Futures price, points per 100.
    conversion_factor : float
        The bond's conversion factor.
    settle : datetime.date
        Settlement date of the purchase.
    delivery : datetime.date
        Delivery date, after ``settle``.

    Returns
    -------
    float or numpy.ndarray
        Implied repo rate, decimal (ACT/360).

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.bonds import Treasury
    >>> bond = Treasury(0.0425, dt.date(2032, 2, 15))
    >>> round(implied_repo_rate(bond, 99.5, 109.625, 0.9069,
    ...                         dt.date(2025, 3, 3), dt.date(2025, 6, 30)), 4)
    0.0399
    """
    _, p, f, cf, period = _basis_inputs(
        bond, clean_price, futures_price, conversion_factor, settle, delivery
    )
    return _out(_implied_repo(p + period.ai_settle, f * cf, period))


def net_basis(
    bond: Treasury,
    clean_price: float,
    futures_price: float,
    conversion_factor: float,
    settle: dt.date,
    delivery: dt.date,
    repo_rate: float,
) -> float | np.ndarray:
    """Net basis: gross basis - carry = forward price - F x CF.

    Equals (repo - IRR) x (P_full x days - sum of coupon x days from payment to delivery)/360
    (module notes); positive when the bond is dearer than the futures after carry.

    Parameters
    ----------
    bond : Treasury
        The bond.
    clean_price : float or array
        Clean price at settlement, per 100.
    futures_price : float or array
        Futures price, points per 100.
    conversion_factor : float
        The bond's conversion factor.
    settle : datetime.date
        Settlement date.
    delivery : datetime.date
        Delivery date, after ``settle``.
    repo_rate : float or array
        Term repo rate, decimal, ACT/360.

    Returns
    -------
    float or numpy.ndarray
        Net basis in points per 100 (x 32 for 32nds).

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.bonds import Treasury
    >>> bond = Treasury(0.0425, dt.date(2032, 2, 15))
    >>> round(net_basis(bond, 99.5, 109.625, 0.9069,
    ...                 dt.date(2025, 3, 3), dt.date(2025, 6, 30), 0.043), 4)
    0.1009
    """
    _, p, f, cf, period = _basis_inputs(
        bond, clean_price, futures_price, conversion_factor, settle, delivery
    )
    r = check_rate(repo_rate, "repo_rate")
    return _out(_forward(p + period.ai_settle, period, r) - f * cf)


# --------------------------------------------------------------------------------------------
# The deliverable basket
# --------------------------------------------------------------------------------------------


def _basket(bonds, fut: FuturesContract):
    """Check a deliverable basket and return (bonds, labels, conversion factors)."""
    if isinstance(bonds, Treasury) or not hasattr(bonds, "__len__") or len(bonds) == 0:
        raise ValueError("bonds must be a non-empty sequence of Treasury")
    bonds = [check_deliverable(b, fut) for b in bonds]
    labels = [_label(b) for b in bonds]
    cfs = np.array([conversion_factor(b.coupon, b.maturity, fut) for b in bonds])
    return bonds, labels, cfs


def _per_bond(value: object, name: str, n: int, check) -> np.ndarray:
    arr = check(value, name)
    if arr.ndim == 0:
        return np.full(n, float(arr))
    if arr.shape != (n,):
        raise ValueError(
            f"{name} must be a number or have one value per bond ({n}), got shape {arr.shape}"
        )
    return arr


def basket_table(
    bonds,
    clean_prices,
    futures_price: float,
    contract: str | FuturesContract,
    settle: dt.date,
    delivery: dt.date,
    repo_rate,
) -> pd.DataFrame:
    """The deliverable basket as a trader's basis sheet, one row per bond.

    Parameters
    ----------
    bonds : sequence of Treasury
        The basket; each bond must be deliverable into ``contract``.
    clean_prices : sequence of float
        Clean prices at settlement, per 100, one per bond.
    futures_price : float
        Futures price, points per 100.
    contract : str or FuturesContract
        Contract code such as ``"TYM25"``.
    settle : datetime.date
        Settlement date.
    delivery : datetime.date
        Delivery date (typically the last delivery day), after ``settle``.
    repo_rate : float or sequence of float
        Term repo rate to delivery, decimal, ACT/360 (one for all, or one per bond for issues
        trading special).

    Returns
    -------
    pandas.DataFrame
        Columns: ``bond`` (label), ``coupon`` (decimal), ``maturity``, ``price`` (clean, per
        100), ``yield`` (decimal), ``cf``, ``gross_basis_32nds``, ``carry_32nds``,
        ``net_basis_32nds``, ``implied_repo`` and ``actual_repo`` (decimals), ``ctd`` (True for
        the highest implied repo).

    Examples
    --------
    >>> import datetime as dt
    >>> basket = [deliverable_basket("TYM25")[i] for i in (0, 6)]  # 4 1/2% Dec-31, 1 7/8% Feb-32
    >>> t = basket_table(basket, [102.59, 86.95], 110.5, "TYM25",
    ...                  dt.date(2025, 4, 3), dt.date(2025, 6, 2), 0.043)
    >>> t["ctd"].tolist()
    [True, False]
    """
    fut = _parse(contract)
    bonds, labels, cfs = _basket(bonds, fut)
    n = len(bonds)
    p = _per_bond(clean_prices, "clean_prices", n, check_positive)
    r = _per_bond(repo_rate, "repo_rate", n, check_rate)
    f = float(check_positive(futures_price, "futures_price"))
    q = _stack([_period(b, settle, delivery) for b in bonds])
    full = p + q.ai_settle
    forward = _forward(full, q, r)
    invoice_clean = f * cfs
    irr = _implied_repo(full, invoice_clean, q)
    settle = as_date(settle, "settle")
    yields = [float(yield_to_maturity(b, settle, float(x))) for b, x in zip(bonds, p, strict=True)]
    return pd.DataFrame(
        {
            "bond": labels,
            "coupon": [b.coupon for b in bonds],
            "maturity": [b.maturity for b in bonds],
            "price": p,
            "yield": yields,
            "cf": cfs,
            "gross_basis_32nds": 32 * (p - invoice_clean),
            "carry_32nds": 32 * (p - forward),
            "net_basis_32nds": 32 * (forward - invoice_clean),
            "implied_repo": irr,
            "actual_repo": r,
            "ctd": np.arange(n) == int(np.argmax(irr)),
        }
    )


# --------------------------------------------------------------------------------------------
# Delivery timing
# --------------------------------------------------------------------------------------------


def delivery_day_grid(
    bonds,
    clean_prices,
    futures_price: float,
    contract: str | FuturesContract,
    settle: dt.date,
    repo_rate,
) -> pd.DataFrame:
    """Net basis, carry and implied repo of each bond to every delivery day of the contract.

    A long basis position put on today at ``futures_price`` and delivered on day ``t``
    makes ``F x CF - P_fwd(t)``, minus the net basis to ``t``, whatever the futures price
    does in between (the variation margin on the futures makes up the difference from the
    invoice at ``t``; its financing is ignored). So the short delivers each bond on the day
    with the lowest net basis: the first delivery day when carry is negative, the last when
    it is positive (Burghardt & Belton, *The Treasury Bond Basis*, the timing option).

    Parameters
    ----------
    bonds : sequence of Treasury
        The basket; each bond must be deliverable into ``contract``.
    clean_prices : sequence of float
        Clean prices at settlement, per 100, one per bond.
    futures_price : float
        Futures price, points per 100.
    contract : str or FuturesContract
        Contract code such as ``"TYM25"``.
    settle : datetime.date
        Settlement date, before the first delivery day.
    repo_rate : float or sequence of float
        Term repo rate, decimal, ACT/360 (one for all, or one per bond), the same to every
        delivery day.

    Returns
    -------
    pandas.DataFrame
        One row per delivery day and bond (days in order, bonds in the given order), with the
        columns of :func:`basket_table` (``ctd`` marks the highest implied repo on that day)
        and ``delivery`` (date).

    Examples
    --------
    >>> import datetime as dt
    >>> basket = deliverable_basket("TYM25")[:2]
    >>> g = delivery_day_grid(basket, [101.0, 100.5], 110.0, "TYM25", dt.date(2025, 4, 3), 0.043)
    >>> len(g), g["delivery"].iloc[0], g["delivery"].iloc[-1]
    (40, datetime.date(2025, 6, 2), datetime.date(2025, 6, 30))
    """
    fut = _parse(contract)
    settle = as_date(settle, "settle")
    if settle >= fut.first_delivery_day:
        raise ValueError(
            f"settle {settle} must be before the first delivery day {fut.first_delivery_day} "
            f"of {fut.code}"
        )
    tables = []
    for day in fut.delivery_days():
        table = basket_table(bonds, clean_prices, futures_price, fut, settle, day, repo_rate)
        table.insert(0, "delivery", day)
        tables.append(table)
    return pd.concat(tables, ignore_index=True)


def no_option_price(
    bonds,
    clean_prices,
    contract: str | FuturesContract,
    settle: dt.date,
    repo_rate,
) -> float:
    """Futures price at which the cheapest bond, delivered on its best day, has zero net basis.

    ``min_i min_t P_fwd,i(t) / CF_i`` over the bonds ``i`` and the delivery days ``t``: the
    price of the futures without its delivery options. The bond that attains it is the
    cheapest to deliver at that price; a bond's best day (the earliest or latest delivery day,
    by the sign of its carry) does not depend on the futures price, but which bond is cheapest
    does, so a CTD is named at the futures price the text uses.

    Parameters
    ----------
    bonds, clean_prices, contract, settle, repo_rate
        As in :func:`delivery_day_grid`.

    Returns
    -------
    float
        Futures price, points per 100.

    Examples
    --------
    >>> import datetime as dt
    >>> basket = [deliverable_basket("TYM25")[i] for i in (0, 6)]  # 4 1/2% Dec-31, 1 7/8% Feb-32
    >>> f = no_option_price(basket, [102.59, 86.95], "TYM25", dt.date(2025, 4, 3), 0.043)
    >>> b = best_delivery_days(basket, [102.59, 86.95], f, "TYM25", dt.date(2025, 4, 3), 0.043)
    >>> b.loc[b["ctd"], "bond"].item(), bool(abs(b["net_basis_32nds"].min()) < 1e-9)
    ('T 4 1/2 12/31/31', True)
    """
    fut = _parse(contract)
    settle = as_date(settle, "settle")
    if settle >= fut.first_delivery_day:
        raise ValueError(
            f"settle {settle} must be before the first delivery day {fut.first_delivery_day} "
            f"of {fut.code}"
        )
    bonds, _, cfs = _basket(bonds, fut)
    n = len(bonds)
    prices = _per_bond(clean_prices, "clean_prices", n, check_positive)
    repo = _per_bond(repo_rate, "repo_rate", n, check_rate)
    days = fut.delivery_days()
    forward = np.array(
        [
            [_forward(p + q.ai_settle, q, r) for q in (_period(b, settle, d) for d in days)]
            for b, p, r in zip(bonds, prices, repo, strict=True)
        ]
    )
    return float((forward.min(axis=1) / cfs).min())


def best_delivery_days(
    bonds,
    clean_prices,
    futures_price: float,
    contract: str | FuturesContract,
    settle: dt.date,
    repo_rate,
) -> pd.DataFrame:
    """Each bond's best delivery day, its net basis and implied repo to it, and the timing value.

    With today's prices and a repo rate that stays where it is, the net basis to day ``t``
    changes by the day's carry, so the best day is the first delivery day for a bond with
    negative carry and the last for one with positive carry. The **timing value** is what
    the choice of day is worth against being made to deliver on the worse of the two: the
    net basis to the worse end day minus the net basis to the best day, i.e. the bond's carry
    over the delivery month (deterministic: no rate or price uncertainty is valued).

    Parameters
    ----------
    bonds, clean_prices, futures_price, contract, settle, repo_rate
        As in :func:`delivery_day_grid`.

    Returns
    -------
    pandas.DataFrame
        One row per bond. Columns: ``bond``, ``best_day`` (date), ``net_basis_32nds`` and
        ``implied_repo`` (decimal) to the best day, ``net_basis_first_32nds`` and
        ``net_basis_last_32nds`` (to the first and last delivery days),
        ``timing_value_32nds`` (>= 0) and ``ctd`` (True for the lowest net basis to its best
        day: each contract takes the same face of whichever note is delivered, so the cheapest
        is the one whose delivery costs least; ranked by implied repo instead, notes delivered
        on different days can come out in another order, since an annual rate over four weeks
        and one over eight are not the same money).

    Examples
    --------
    >>> import datetime as dt
    >>> basket = [deliverable_basket("TYM25")[i] for i in (0, 6)]  # 4 1/2% Dec-31, 1 7/8% Feb-32
    >>> b = best_delivery_days(basket, [102.59, 86.95], 110.5, "TYM25", dt.date(2025, 4, 3),
    ...                        0.043)
    >>> b["best_day"].tolist()  # positive carry: deliver last; negative carry: deliver first
    [datetime.date(2025, 6, 30), datetime.date(2025, 6, 2)]
    """
    grid = delivery_day_grid(bonds, clean_prices, futures_price, contract, settle, repo_rate)
    rows = []
    for label, by_day in grid.groupby("bond", sort=False):
        best = by_day.loc[by_day["net_basis_32nds"].idxmin()]
        first, last = by_day["net_basis_32nds"].iloc[0], by_day["net_basis_32nds"].iloc[-1]
        rows.append(
            {
                "bond": label,
                "best_day": best["delivery"],
                "net_basis_32nds": best["net_basis_32nds"],
                "implied_repo": best["implied_repo"],
                "net_basis_first_32nds": first,
                "net_basis_last_32nds": last,
                "timing_value_32nds": max(first, last) - best["net_basis_32nds"],
            }
        )
    table = pd.DataFrame(rows)
    table["ctd"] = np.arange(len(table)) == int(table["net_basis_32nds"].to_numpy().argmin())
    return table


# --------------------------------------------------------------------------------------------
# Futures DV01 and hedge ratios
# --------------------------------------------------------------------------------------------


def futures_dv01(
    ctd: Treasury,
    ctd_yield: float,
    conversion_factor: float,
    settle: dt.date,
    delivery: dt.date,
    repo_rate: float,
) -> float:
    """DV01 of the futures through its cheapest-to-deliver bond: forward DV01 of the CTD / CF.

    The forward price moves with the bond's yield as the full price does, grown by the
    financing factor: forward DV01 = DV01(settle) x (1 + repo x days/360).

    Parameters
    ----------
    ctd : Treasury
        The cheapest-to-deliver bond.
    ctd_yield : float
        Its yield at settlement, decimal.
    conversion_factor : float
        Its conversion factor.
    settle : datetime.date
        Settlement date.
    delivery : datetime.date
        Delivery date, after ``settle``.
    repo_rate : float
        Term repo rate, decimal, ACT/360.

    Returns
    -------
    float
        Futures DV01, points per 100 of futures face per basis point (positive).

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.bonds import Treasury
    >>> bond = Treasury(0.0425, dt.date(2032, 2, 15))
    >>> round(futures_dv01(bond, 0.0433, 0.9069,
    ...                    dt.date(2025, 3, 3), dt.date(2025, 6, 30), 0.043), 4)
    0.0664
    """
    ctd = _check_bond(ctd)
    y = float(check_rate(ctd_yield, "ctd_yield"))
    cf = float(check_positive(conversion_factor, "conversion_factor"))
    r = float(check_rate(repo_rate, "repo_rate"))
    period = _period(ctd, settle, delivery)
    spot = float(dv01(ctd, as_date(settle, "settle"), y))
    return spot * (1 + r * period.days / 360) / cf


def hedge_ratio(bond_dv01: float, futures_dv01: float) -> float | np.ndarray:
    """Futures face per unit of bond face that offsets the bond's DV01.

    Parameters
    ----------
    bond_dv01 : float or array
        DV01 of the bond, per 100 face per basis point.
    futures_dv01 : float
        DV01 of the futures, per 100 face per basis point (see :func:`futures_dv01`).

    Returns
    -------
    float or numpy.ndarray
        Futures face to sell per 1 of bond face held (per-100 ratio).

    Examples
    --------
    >>> hedge_ratio(0.0800, 0.0640)
    1.25
    """
    b = check_positive(bond_dv01, "bond_dv01")
    f = check_positive(futures_dv01, "futures_dv01")
    return _out(b / f)


def hedge_contracts(
    face: float, bond_dv01: float, futures_dv01: float, contract: str | FuturesContract
) -> float:
    """Number of futures contracts that hedge ``face`` dollars of a bond (unrounded).

    Parameters
    ----------
    face : float
        Face value of the bond position, dollars.
    bond_dv01 : float
        DV01 of the bond, per 100 face per basis point.
    futures_dv01 : float
        DV01 of the futures, per 100 face per basis point.
    contract : str or FuturesContract
        Contract code (gives the face per contract: $100,000, or $200,000 for TU and Z3N).

    Returns
    -------
    float
        Contracts to sell (round to whole contracts to trade).

    Examples
    --------
    >>> hedge_contracts(10_000_000, 0.0800, 0.0640, "TYM25")
    125.0
    """
    amount = float(check_positive(face, "face"))
    ratio = float(hedge_ratio(bond_dv01, futures_dv01))
    return amount * ratio / _parse(contract).spec.face


# --------------------------------------------------------------------------------------------
# The leveraged basis position
# --------------------------------------------------------------------------------------------


def _path(value: object, name: str, n: int) -> np.ndarray:
    arr = check_positive(value, name)
    if arr.ndim == 0:
        return np.full(n, float(arr))
    if arr.shape != (n,):
        raise ValueError(f"{name} must have one value per date ({n}), got shape {arr.shape}")
    return arr


def basis_position_path(
    dates,
    bond_prices,
    futures_prices,
    *,
    bond: Treasury,
    contract: str | FuturesContract,
    face: float,
    repo_rate: float,
    haircut: float,
    initial_margin: float,
    margin_multiplier=1.0,
    equity: float | None = None,
) -> pd.DataFrame:
    """Day-by-day P&L, margin and leverage of a long basis position (long bond, short futures).

    The position: long ``face`` of the bond, financed in repo at ``repo_rate`` with
    ``haircut`` (the repo loan is re-marked daily to (1 - haircut) x the full value, so price
    moves settle in cash each day), short round(face x CF / contract face) futures, each
    requiring ``initial_margin`` x ``margin_multiplier`` and settling variation margin daily.
    Equity = starting equity + bond P&L + futures P&L + coupon income - repo interest. The
    margin requirement is haircut x full value + initial margin; a margin call is flagged when
    equity falls below it.

    Parameters
    ----------
    dates : sequence of datetime.date
        Strictly increasing dates (at least two).
    bond_prices : sequence of float
        Bond clean prices per 100, one per date.
    futures_prices : sequence of float
        Futures prices, points per 100, one per date.
    bond : Treasury
        The bond held.
    contract : str or FuturesContract
        Contract shorted.
    face : float
        Face of bonds held, dollars.
    repo_rate : float
        Overnight repo rate, decimal, ACT/360.
    haircut : float
        Repo haircut, decimal in [0, 1) (0.02 for 2%).
    initial_margin : float
        Futures initial margin per contract, dollars, before the multiplier.
    margin_multiplier : float or sequence of float, default 1.0
        Multiplier on initial margin, one for all dates or one per date (e.g. 1.0 then 2.0
        from the day of a margin hike).
    equity : float, optional
        Starting equity, dollars. Default: exactly the first day's margin requirement.

    Returns
    -------
    pandas.DataFrame
        One row per date. Columns: ``date``, ``day`` (0, 1, ...), ``bond_price``,
        ``futures_price``, ``contracts`` (short), cumulative dollars ``bond_pnl``,
        ``futures_pnl``, ``basis_pnl`` (their sum), ``coupon_income``, ``repo_interest``
        (cost); ``variation_margin`` (that day's futures cash flow, dollars, + received);
        ``initial_margin`` (dollars posted); ``margin_requirement``, ``equity``,
        ``excess_equity`` (dollars); ``leverage`` (bond full value / equity; NaN once
        equity is gone); ``margin_call`` (bool).

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.bonds import Treasury
    >>> days = [dt.date(2025, 3, 3), dt.date(2025, 3, 4)]
    >>> path = basis_position_path(days, [99.5, 99.4], [109.625, 109.5],
    ...     bond=Treasury(0.0425, dt.date(2032, 2, 15)), contract="TYM25", face=100e6,
    ...     repo_rate=0.043, haircut=0.02, initial_margin=3_500)
    >>> int(path["contracts"].iloc[0]), round(float(path["variation_margin"].iloc[1]))
    (907, 113375)
    """
    bond = _check_bond(bond)
    fut = _parse(contract)
    days = [as_date(d, "dates") for d in dates]
    n = len(days)
    if n < 2 or any(b <= a for a, b in zip(days, days[1:], strict=False)):
        raise ValueError("dates must be at least two strictly increasing dates")
    p = _path(bond_prices, "bond_prices", n)
    f = _path(futures_prices, "futures_prices", n)
    mult = _path(margin_multiplier, "margin_multiplier", n)
    amount = float(check_positive(face, "face"))
    r = float(check_rate(repo_rate, "repo_rate"))
    h = float(check_fraction(haircut, "haircut", allow_zero=True))
    im = float(check_positive(initial_margin, "initial_margin"))
    if days[-1] >= bond.maturity:
        raise ValueError(f"dates must end before the bond's maturity {bond.maturity}")

    cf = conversion_factor(bond.coupon, bond.maturity, fut)
    contracts = round(amount * cf / fut.spec.face)
    if contracts == 0:
        raise ValueError(f"face {amount!r} is too small to short a whole {fut.code} contract")
    ai = np.array([float(accrued_interest(bond, d)) for d in days])
    paid = np.searchsorted(
        np.array(_coupons_between(bond.maturity, days[0], days[-1])), np.array(days), side="right"
    )
    scale = amount / 100
    full_value = scale * (p + ai)
    futures_face = contracts * fut.spec.face / 100
    elapsed = np.diff(np.array([d.toordinal() for d in days]))
    loan = (1 - h) * full_value
    repo_interest = np.concatenate([[0.0], np.cumsum(loan[:-1] * r * elapsed / 360)])
    bond_pnl = scale * (p - p[0])
    futures_pnl = futures_face * (f[0] - f)
    coupon_income = scale * (ai - ai[0] + paid * 100 * bond.coupon / 2)
    margin = contracts * im * mult
    requirement = h * full_value + margin
    start = requirement[0] if equity is None else as_real(equity, "equity")
    if start <= 0:
        raise ValueError(f"equity must be positive, got {start!r}")
    eq = start + bond_pnl + futures_pnl + coupon_income - repo_interest
    with np.errstate(divide="ignore", invalid="ignore"):
        leverage = np.where(eq > 0, full_value / eq, np.nan)
    return pd.DataFrame(
        {
            "date": days,
            "day": np.arange(n),
            "bond_price": p,
            "futures_price": f,
            "contracts": contracts,
            "bond_pnl": bond_pnl,
            "futures_pnl": futures_pnl,
            "basis_pnl": bond_pnl + futures_pnl,
            "coupon_income": coupon_income,
            "repo_interest": repo_interest,
            "variation_margin": np.concatenate([[0.0], futures_face * (f[:-1] - f[1:])]),
            "initial_margin": margin,
            "margin_requirement": requirement,
            "equity": eq,
            "excess_equity": eq - requirement,
            "leverage": leverage,
            "margin_call": eq < requirement,
        }
    )


def basis_shock_path(
    bond: Treasury,
    contract: str | FuturesContract,
    settle: dt.date,
    delivery: dt.date,
    clean_price: float,
    futures_price: float,
    *,
    days: int = 20,
    shock_day: int = 5,
    cash_cheapening_32nds: float = 0.0,
    margin_multiplier: float = 1.0,
    face: float = 100e6,
    repo_rate: float = 0.043,
    haircut: float = 0.02,
    initial_margin: float = 2_500.0,
    equity: float | None = None,
) -> pd.DataFrame:
    r"""A stylised basis-trade stress: cash cheapens against futures and margins rise.

    Illustrative scenario for :func:`basis_position_path` over ``days`` business days
    :math:`t_0 < t_1 < \dots < t_n` from :math:`t_0` = ``settle``. The futures price stays at
    :math:`F` = ``futures_price``. Without a shock the bond's clean price on :math:`t_k` is

    .. math::

        P_k = P_{fwd}(t_0 \to t_k) - NB_0 \, \frac{t_k - t_0}{T - t_0},

    where :math:`P_{fwd}(t_0 \to t_k)` is :func:`forward_price` of ``clean_price`` from
    :math:`t_0` to :math:`t_k` at ``repo_rate`` (:math:`P_0` = ``clean_price``), :math:`T` is
    ``delivery``, :math:`NB_0` is :func:`net_basis` from :math:`t_0` to :math:`T` and the
    fraction counts calendar days. So the calm position pays its carry day by day and its net
    basis shrinks to zero at delivery, where :math:`P = F \times CF`: in a straight line up to
    interest on interest at the repo rate. From ``shock_day`` on (:math:`k \ge` ``shock_day``)
    the clean price is a further ``cash_cheapening_32nds``/32 lower: cash cheapens against
    futures and the gross basis falls by that much, a loss for the long-basis position; and
    the futures initial margin is multiplied by ``margin_multiplier``.

    Parameters
    ----------
    bond : Treasury
        The bond held.
    contract : str or FuturesContract
        Contract shorted.
    settle : datetime.date
        First date of the path (if not a business day, the next business day is used).
    delivery : datetime.date
        Day the bond is delivered into the futures: a delivery day of ``contract`` (from its
        first to its last delivery day; the short chooses, e.g. the first when carry is
        negative), on or after the last date of the path.
    clean_price : float
        Clean price on the first date, per 100.
    futures_price : float
        Futures price, points per 100.
    days : int, default 20
        Business days after ``settle`` in the path.
    shock_day : int, default 5
        Day (1 to ``days``) on which the shock arrives.
    cash_cheapening_32nds : float, default 0
        Fall of the bond's price against the futures, 32nds.
    margin_multiplier : float, default 1
        Multiplier on initial margin from ``shock_day``.
    face, repo_rate, haircut, initial_margin, equity
        As in :func:`basis_position_path`; ``repo_rate`` also sets the calm path's forward
        prices and net basis. Defaults (illustrative): $100mn face, 4.3% repo, 2% haircut,
        $2,500 a contract (about 2% of a 10-year contract's notional; CME's current margins
        are at cmegroup.com/clearing/margins), equity = the first day's requirement.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`basis_position_path`, one row per date.

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.bonds import Treasury
    >>> path = basis_shock_path(Treasury(0.0425, dt.date(2032, 2, 15)), "TYM25",
    ...     dt.date(2025, 6, 2), dt.date(2025, 6, 30), 99.5, 109.625, days=19)
    >>> path["date"].iloc[-1], round(float(path["bond_price"].iloc[-1]), 6)  # F x CF
    (datetime.date(2025, 6, 30), 99.418913)
    >>> shocked = basis_shock_path(Treasury(0.0425, dt.date(2032, 2, 15)), "TYM25",
    ...     dt.date(2025, 6, 2), dt.date(2025, 6, 30), 99.5, 109.625,
    ...     days=10, cash_cheapening_32nds=16, margin_multiplier=2)
    >>> bool(shocked["margin_call"].iloc[-1])
    True
    """
    bond = _check_bond(bond)
    fut = _parse(contract)
    for value, name in ((days, "days"), (shock_day, "shock_day")):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be an int >= 1, got {value!r}")
    if shock_day > days:
        raise ValueError(f"shock_day must be at most days ({days}), got {shock_day}")
    widening = as_real(cash_cheapening_32nds, "cash_cheapening_32nds")
    mult = float(check_positive(margin_multiplier, "margin_multiplier"))
    p0 = float(check_positive(clean_price, "clean_price"))
    f = float(check_positive(futures_price, "futures_price"))
    r = float(check_rate(repo_rate, "repo_rate"))
    start = add_business_days(as_date(settle, "settle"), 0)
    delivery = as_date(delivery, "delivery")
    if not fut.first_delivery_day <= delivery <= fut.last_delivery_day:
        raise ValueError(
            f"delivery {delivery} must be a delivery day of {fut.code}, "
            f"{fut.first_delivery_day} to {fut.last_delivery_day}"
        )
    dates = [add_business_days(start, k) for k in range(days + 1)]
    if dates[-1] > delivery:
        raise ValueError(f"delivery {delivery} must be on or after the path's last day {dates[-1]}")
    full = p0 + float(accrued_interest(bond, start))
    cf = conversion_factor(bond.coupon, bond.maturity, fut)
    net = _forward(full, _period(bond, start, delivery), r) - f * cf
    forward = np.array([p0] + [_forward(full, _period(bond, start, d), r) for d in dates[1:]])
    elapsed = np.array([(d - start).days for d in dates]) / (delivery - start).days
    after = np.arange(days + 1) >= shock_day
    return basis_position_path(
        dates,
        forward - net * elapsed - widening / 32 * after,
        np.full(days + 1, f),
        bond=bond,
        contract=fut,
        face=face,
        repo_rate=r,
        haircut=haircut,
        initial_margin=initial_margin,
        margin_multiplier=np.where(after, mult, 1.0),
        equity=equity,
    )
