"""The on-the-run/off-the-run trade: short the newest issue, buy the one before, both in repo.

The newest (on-the-run) note of a term is the most liquid and usually trades *rich*: at a lower
yield than the issue before it (the first off-the-run), whose cash flows are almost the same.
The trade sells the on-the-run short and buys the off-the-run, DV01-neutral (equal price
sensitivity to a parallel move in yields), and waits for the spread to close when a newer issue
takes over and the old on-the-run loses its liquidity premium.

Both legs are in repo. The long is financed at the general-collateral (GC) rate. The short
borrows the bond in a reverse repo and lends the cash from the sale against it at the bond's
repo rate; an on-the-run issue is often *special* (its repo rate is below GC, because many want
to borrow it), so the short earns less than GC on that cash. That shortfall, the
*specialness cost*, is what the convergence must pay for: Krishnamurthy ("The bond/old-bond
spread", *JFE* 66, 2002) found that rolling the 30-year trade at every auction from 1995 to 1999
converged systematically yet earned on average close to nothing once the repo financing was
paid.

P&L of the pair over a holding period, in dollars (:func:`trade_pnl`):

* ``carry``: coupon income (accrual and coupons paid) of the long less that of the short, less
  GC interest on the long's purchase and plus GC interest on the short's sale proceeds;
* ``specialness_cost``: the short's proceeds times the specialness, ACT/360;
* ``convergence_pnl``: the change in the long's price from its yield moving relative to the
  short's (the spread closing pays, widening costs);
* ``market_pnl``: the rest of the price change (a parallel move, which DV01 neutrality nearly
  cancels, and the pull of each price towards par);
* ``total_pnl = carry - specialness_cost + convergence_pnl + market_pnl``.

Leverage and margin come from :mod:`treasury_rv.leverage`: the pair is treated as one position
margined on its gross market value (:func:`widening_margin`).

:class:`LiquidityPremium` is an *illustrative* model of how the on-the-run premium and its
specialness move over an auction cycle, with its parameters in one place; :func:`illustrative_cycle`
runs the trade through a cycle with it. Its outputs are illustrations of shapes reported in the
literature, not estimates of any historical level.

:data:`REAL_PAIRS` holds the real on-the-run and first off-the-run issues of the three episodes
the book follows (1998, March 2020, April 2025), and :func:`rich_cheap` fits a curve on one of
the Fed's shipped dates and measures each issue's richness against it, with the pair's premium
taken from the model (the book has no market quotes for the issues themselves).

Units: yields and rates as decimals; spreads, premiums and specialness in basis points (``_bp``);
faces and P&L in dollars; dates as :class:`datetime.date`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from treasury_rv import leverage
from treasury_rv._validate import (
    as_date,
    as_real,
    check_fraction,
    check_nonnegative,
    check_positive,
    check_rate,
)
from treasury_rv.auctions import (
    TENORS,
    auction_coupon,
    auction_cycle,
    issue_age_cycles,
)
from treasury_rv.bonds import (
    Treasury,
    accrued_interest,
    clean_price,
    dv01,
    yield_to_maturity,
)
from treasury_rv.curves import (
    DAYS_PER_YEAR,
    SvenssonCurve,
    fit_svensson,
    gsw_curve,
    par_coupon,
    price_on_curve,
    yield_residuals_bp,
)
from treasury_rv.data import shipped
from treasury_rv.dates import add_months, coupon_schedule

__all__ = [
    "DEFAULT_SHORT_FACE",
    "FAILS_CHARGE_CEILING",
    "MAX_CYCLE_ROWS",
    "REAL_PAIRS",
    "LiquidityPremium",
    "RealPair",
    "RichCheap",
    "benchmark_gap_bp",
    "breakeven_convergence_bp",
    "fails_charge",
    "fails_charge_rate",
    "hedge_face",
    "illustrative_cycle",
    "max_specialness_bp",
    "real_pair",
    "rich_cheap",
    "trade_pnl",
    "widening_margin",
]

#: Face of the short on-the-run leg unless told otherwise, dollars ($100mn).
DEFAULT_SHORT_FACE = 100e6

#: Most rows :func:`illustrative_cycle` returns.
MAX_CYCLE_ROWS = 5000

_BP = 1e4


# --------------------------------------------------------------------------------------------
# The illustrative liquidity-premium model
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LiquidityPremium:
    """Illustrative model of an issue's liquidity premium and specialness by age.

    Age ``a`` is counted in auction cycles of the issue's term
    (:func:`treasury_rv.auctions.issue_age_cycles`): from 0 at its issue to 1 when the next
    new issue replaces it. The *premium* is how rich the issue trades, in basis points of yield
    below a curve of old issues; the *specialness* is how far its repo rate is below GC.

    * While on the run (``0 <= a < 1``) the premium is
      ``peak_bp x (1 - (1 - share_after_auction) exp(-a / build_up_cycles)) x
      (1 - decline_by_next_auction x a)``: it starts smaller just after the auction and builds
      up (Pasquariello and Vega, *JFE* 92, 2009, find the on/off gap smaller just after
      auctions), then fades as the issue's remaining time on the run shrinks (Goldreich, Hanke
      and Nath, *Review of Finance* 9, 2005: the premium depends on the liquidity still to
      come).
    * At the next auction (``a = 1``) it drops to ``share_kept_off_the_run`` of its last value,
      and then decays with time constant ``off_the_run_decay_cycles`` (Barclay, Hendershott and
      Kotz, *JF* 61, 2006: an issue's trading volume drops by more than 90% when it goes off
      the run).
    * Specialness rises in a straight line from ``specialness_after_auction_bp`` to
      ``specialness_before_next_auction_bp`` over the cycle (Moulton, *JFI* 14, 2004:
      specialness rises as the next auction approaches), then is ``off_the_run_specialness_bp``.

    The defaults are chosen to draw these shapes at a plausible scale, not fitted to data; no
    source in the book gives historical levels for them, and outputs of the model are
    illustrative. With the defaults, a 10-year trade held over one cycle roughly pays its
    specialness with its convergence, in the spirit of Krishnamurthy's finding (*JFE* 66, 2002)
    that average profits are close to zero after repo costs.

    Parameters
    ----------
    peak_bp : float, default 3.0
        Scale of the on-the-run premium, basis points of yield; not negative.
    share_after_auction : float, default 0.5
        Share of the peak the new issue trades at just after its auction, in [0, 1].
    build_up_cycles : float, default 0.1
        Time constant of the build-up after the auction, cycles; positive.
    decline_by_next_auction : float, default 0.3
        Share of the premium lost, in a straight line, by the end of the cycle, in [0, 1].
    share_kept_off_the_run : float, default 0.2
        Share of the premium kept when the issue goes off the run, in [0, 1].
    off_the_run_decay_cycles : float, default 1.0
        Time constant of the decay after that, cycles; positive.
    specialness_after_auction_bp, specialness_before_next_auction_bp : float, default 10, 40
        On-the-run specialness at the start and the end of its cycle, basis points; not
        negative.
    off_the_run_specialness_bp : float, default 0.0
        Specialness of an off-the-run issue, basis points; not negative.

    Examples
    --------
    >>> model = LiquidityPremium()
    >>> model.premium_bp([0.0, 0.5, 0.999, 1.0]).round(2).tolist()
    [1.5, 2.54, 2.1, 0.42]
    >>> model.specialness_bp([0.0, 0.5, 1.0]).tolist()
    [10.0, 25.0, 0.0]
    """

    peak_bp: float = 3.0
    share_after_auction: float = 0.5
    build_up_cycles: float = 0.1
    decline_by_next_auction: float = 0.3
    share_kept_off_the_run: float = 0.2
    off_the_run_decay_cycles: float = 1.0
    specialness_after_auction_bp: float = 10.0
    specialness_before_next_auction_bp: float = 40.0
    off_the_run_specialness_bp: float = 0.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = as_real(getattr(self, f.name), f.name)
            object.__setattr__(self, f.name, value)
            if value < 0:
                raise ValueError(f"{f.name} must not be negative, got {value!r}")
        for name in ("build_up_cycles", "off_the_run_decay_cycles"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive (cycles), got {getattr(self, name)!r}")
        for name in ("share_after_auction", "decline_by_next_auction", "share_kept_off_the_run"):
            if getattr(self, name) > 1:
                raise ValueError(
                    f"{name} must be a share between 0 and 1 (give 20% as 0.2), "
                    f"got {getattr(self, name)!r}"
                )

    def _on_the_run(self, a: np.ndarray) -> np.ndarray:
        build = 1 - (1 - self.share_after_auction) * np.exp(-a / self.build_up_cycles)
        return self.peak_bp * build * (1 - self.decline_by_next_auction * a)

    def premium_bp(self, age_cycles: float | np.ndarray) -> float | np.ndarray:
        """Liquidity premium by age, basis points of yield below the curve. Illustrative.

        Parameters
        ----------
        age_cycles : float or array_like
            Age in auction cycles, not negative (1 = replaced by the next new issue).

        Returns
        -------
        float or numpy.ndarray
            Premium in basis points; same shape as ``age_cycles``.
        """
        a = check_nonnegative(age_cycles, "age_cycles")
        last = self._on_the_run(np.float64(1.0))
        off = last * self.share_kept_off_the_run * np.exp(-(a - 1) / self.off_the_run_decay_cycles)
        out = np.where(a < 1, self._on_the_run(np.minimum(a, 1.0)), off)
        return float(out) if out.ndim == 0 else out

    def specialness_bp(self, age_cycles: float | np.ndarray) -> float | np.ndarray:
        """Repo specialness (GC less the issue's repo rate) by age, basis points. Illustrative.

        Parameters
        ----------
        age_cycles : float or array_like
            Age in auction cycles, not negative.

        Returns
        -------
        float or numpy.ndarray
            Specialness in basis points; same shape as ``age_cycles``.
        """
        a = check_nonnegative(age_cycles, "age_cycles")
        start, end = self.specialness_after_auction_bp, self.specialness_before_next_auction_bp
        out = np.where(a < 1, start + (end - start) * a, self.off_the_run_specialness_bp)
        return float(out) if out.ndim == 0 else out


# --------------------------------------------------------------------------------------------
# The trade
# --------------------------------------------------------------------------------------------


def _bond(value: object, name: str) -> Treasury:
    if not isinstance(value, Treasury):
        raise TypeError(f"{name} must be a Treasury, got {type(value).__name__}")
    return value


def _pair(value: object, name: str) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(value, tuple | list) or len(value) != 2:
        raise TypeError(f"{name} must be a pair (on-the-run, off-the-run) of yields")
    return check_rate(value[0], f"{name}[0]"), check_rate(value[1], f"{name}[1]")


def hedge_face(
    on_the_run: Treasury,
    off_the_run: Treasury,
    settle: dt.date,
    on_yield: float,
    off_yield: float,
    *,
    short_face: float = DEFAULT_SHORT_FACE,
) -> float:
    """Face of the off-the-run long that makes the pair DV01-neutral.

    ``long_face = short_face x DV01(on-the-run) / DV01(off-the-run)``, each DV01 per 100 face
    at its own yield (:func:`treasury_rv.bonds.dv01`), so that a parallel one-basis-point move
    in both yields changes the two legs' values by the same amount.

    Parameters
    ----------
    on_the_run, off_the_run : Treasury
        The issue sold short and the issue bought.
    settle : datetime.date
        Settlement date of the trade.
    on_yield, off_yield : float
        Yields to maturity at settlement, decimal.
    short_face : float, default 100e6
        Face of the short leg, dollars; positive.

    Returns
    -------
    float
        Face of the long leg, dollars.

    Examples
    --------
    >>> import datetime as dt
    >>> on = Treasury(0.04625, dt.date(2035, 2, 15))
    >>> off = Treasury(0.0425, dt.date(2034, 11, 15))
    >>> round(hedge_face(on, off, dt.date(2025, 4, 3), 0.0420, 0.0422) / 1e6, 2)
    104.15
    """
    on_the_run = _bond(on_the_run, "on_the_run")
    off_the_run = _bond(off_the_run, "off_the_run")
    settle = as_date(settle, "settle")
    face = float(check_positive(as_real(short_face, "short_face"), "short_face"))
    on_dv01 = dv01(on_the_run, settle, float(check_rate(on_yield, "on_yield")))
    off_dv01 = dv01(off_the_run, settle, float(check_rate(off_yield, "off_yield")))
    return face * on_dv01 / off_dv01


def _income(bond: Treasury, entry: dt.date, exit_: dt.date) -> float:
    """Coupon income per 100 face from ``entry`` to ``exit_``: accrual plus coupons paid."""
    paid = [d for d in coupon_schedule(bond.maturity, entry) if d <= exit_]
    return (
        accrued_interest(bond, exit_)
        - accrued_interest(bond, entry)
        + len(paid) * 100 * bond.coupon / 2
    )


def _check_dates(on: Treasury, off: Treasury, entry: object, exit_: object):
    entry = as_date(entry, "entry")
    exit_ = as_date(exit_, "exit")
    if exit_ <= entry:
        raise ValueError(f"exit {exit_} must be after entry {entry}")
    for bond, name in ((on, "on_the_run"), (off, "off_the_run")):
        if exit_ >= bond.maturity:
            raise ValueError(f"exit {exit_} must be before the maturity of {name} ({bond.label})")
    return entry, exit_


def trade_pnl(
    on_the_run: Treasury,
    off_the_run: Treasury,
    entry: dt.date,
    exit: dt.date,
    *,
    entry_yields: tuple[float, float],
    exit_yields: tuple[float | np.ndarray, float | np.ndarray],
    gc_rate: float,
    specialness_bp: float | np.ndarray = 0.0,
    short_face: float = DEFAULT_SHORT_FACE,
) -> pd.DataFrame:
    """P&L of short on-the-run / long off-the-run, DV01-neutral, both legs in term repo.

    The long's face comes from :func:`hedge_face` at the entry yields. Each leg is financed
    for the whole period at the entry dirty price: the long borrows it at ``gc_rate``, the
    short lends it at ``gc_rate - specialness``, both ACT/360. Coupons are paid (by the
    short, to the bond's lender) and received without reinvestment. See the module notes for
    the split of the P&L; it adds up exactly.

    Exit yields and the specialness broadcast, so a grid of outcomes is one call.

    Parameters
    ----------
    on_the_run, off_the_run : Treasury
        The issue sold short and the issue bought; both maturing after ``exit``.
    entry, exit : datetime.date
        Settlement dates of the opening and closing trades.
    entry_yields : pair of float
        Yields to maturity ``(on-the-run, off-the-run)`` at entry, decimal.
    exit_yields : pair of float or array_like
        The same at exit.
    gc_rate : float
        General-collateral repo rate over the period, decimal.
    specialness_bp : float or array_like, default 0
        GC less the on-the-run's repo rate over the period, basis points; not negative.
    short_face : float, default 100e6
        Face of the short on-the-run leg, dollars.

    Returns
    -------
    pandas.DataFrame
        One row per broadcast element, with columns ``short_face`` and ``long_face``
        (dollars), ``entry_spread_bp`` and ``exit_spread_bp`` (off-the-run less on-the-run
        yield), ``spread_change_bp``, and in dollars ``carry``, ``specialness_cost``,
        ``convergence_pnl``, ``market_pnl`` and ``total_pnl``.

    Examples
    --------
    >>> import datetime as dt
    >>> on = Treasury(0.04625, dt.date(2035, 2, 15))
    >>> off = Treasury(0.0425, dt.date(2034, 11, 15))
    >>> pnl = trade_pnl(on, off, dt.date(2025, 4, 3), dt.date(2025, 5, 15),
    ...                 entry_yields=(0.0420, 0.0422), exit_yields=(0.0420, 0.0421),
    ...                 gc_rate=0.043, specialness_bp=25.0)
    >>> round(float(pnl.loc[0, "spread_change_bp"]), 6)
    -1.0
    >>> pnl.loc[0, ["convergence_pnl", "specialness_cost"]].round(-2).tolist()
    [81000.0, 30300.0]
    """
    on = _bond(on_the_run, "on_the_run")
    off = _bond(off_the_run, "off_the_run")
    entry, exit_ = _check_dates(on, off, entry, exit)
    y_on0, y_off0 = (float(v) for v in _pair(entry_yields, "entry_yields"))
    y_on1, y_off1 = _pair(exit_yields, "exit_yields")
    gc = float(check_rate(as_real(gc_rate, "gc_rate"), "gc_rate"))
    special = check_nonnegative(specialness_bp, "specialness_bp")
    try:
        y_on1, y_off1, special = (np.ravel(a) for a in np.broadcast_arrays(y_on1, y_off1, special))
    except ValueError as err:
        raise ValueError("exit_yields and specialness_bp do not broadcast together") from err
    short = float(check_positive(as_real(short_face, "short_face"), "short_face"))
    long_ = hedge_face(on, off, entry, y_on0, y_off0, short_face=short)
    tau = (exit_ - entry).days / 360
    p_on0, p_off0 = clean_price(on, entry, y_on0), clean_price(off, entry, y_off0)
    dirty_on0 = p_on0 + accrued_interest(on, entry)
    dirty_off0 = p_off0 + accrued_interest(off, entry)
    p_on1 = np.asarray(clean_price(on, exit_, y_on1))
    p_off1 = np.asarray(clean_price(off, exit_, y_off1))
    # Had the off-the-run's yield moved exactly as the on-the-run's, the spread is unchanged.
    p_off_same = np.asarray(clean_price(off, exit_, y_off0 + (y_on1 - y_on0)))
    carry = long_ / 100 * (_income(off, entry, exit_) - dirty_off0 * gc * tau) - short / 100 * (
        _income(on, entry, exit_) - dirty_on0 * gc * tau
    )
    special_cost = short / 100 * dirty_on0 * special / _BP * tau
    price = long_ / 100 * (p_off1 - p_off0) - short / 100 * (p_on1 - p_on0)
    convergence = long_ / 100 * (p_off1 - p_off_same)
    entry_spread = (y_off0 - y_on0) * _BP
    exit_spread = (y_off1 - y_on1) * _BP
    size = y_on1.size
    return pd.DataFrame(
        {
            "short_face": np.full(size, short),
            "long_face": np.full(size, long_),
            "entry_spread_bp": np.full(size, entry_spread),
            "exit_spread_bp": exit_spread,
            "spread_change_bp": exit_spread - entry_spread,
            "carry": np.full(size, carry),
            "specialness_cost": special_cost,
            "convergence_pnl": convergence,
            "market_pnl": price - convergence,
            "total_pnl": price + carry - special_cost,
        }
    )


def breakeven_convergence_bp(
    on_the_run: Treasury,
    off_the_run: Treasury,
    entry: dt.date,
    exit: dt.date,
    *,
    entry_yields: tuple[float, float],
    gc_rate: float,
    specialness_bp: float,
    short_face: float = DEFAULT_SHORT_FACE,
) -> float:
    """How far the spread must close by ``exit`` for the trade to break even.

    With the on-the-run's yield unchanged, the narrowing of the off-the-run less on-the-run
    spread, in basis points, at which :func:`trade_pnl` gives a total of zero: the
    convergence P&L then pays exactly the specialness cost less the carry and the market P&L
    (the pull to par). A negative answer means the trade makes money even if the spread widens
    by that much.

    Parameters
    ----------
    on_the_run, off_the_run, entry, exit, entry_yields, gc_rate, specialness_bp, short_face
        As for :func:`trade_pnl` (``specialness_bp`` a single number).

    Returns
    -------
    float
        Breakeven narrowing of the spread, basis points.

    Examples
    --------
    >>> import datetime as dt
    >>> on = Treasury(0.04625, dt.date(2035, 2, 15))
    >>> off = Treasury(0.0425, dt.date(2034, 11, 15))
    >>> round(breakeven_convergence_bp(on, off, dt.date(2025, 4, 3), dt.date(2025, 5, 15),
    ...       entry_yields=(0.0420, 0.0422), gc_rate=0.043, specialness_bp=25.0), 2)
    0.35
    """
    on = _bond(on_the_run, "on_the_run")
    off = _bond(off_the_run, "off_the_run")
    entry, exit_ = _check_dates(on, off, entry, exit)
    y_on0, y_off0 = (float(v) for v in _pair(entry_yields, "entry_yields"))
    special = as_real(specialness_bp, "specialness_bp")
    base = trade_pnl(
        on,
        off,
        entry,
        exit_,
        entry_yields=(y_on0, y_off0),
        exit_yields=(y_on0, y_off0),
        gc_rate=gc_rate,
        specialness_bp=special,
        short_face=short_face,
    ).iloc[0]
    # The long's exit price that makes the total zero, and the yield that gives it.
    p_off_unchanged = clean_price(off, exit_, y_off0)
    target = p_off_unchanged - 100 * base["total_pnl"] / base["long_face"]
    y_off1 = yield_to_maturity(off, exit_, target)
    return float(-(y_off1 - y_off0) * _BP)


# --------------------------------------------------------------------------------------------
# Leverage and margin
# --------------------------------------------------------------------------------------------


def widening_margin(
    on_the_run: Treasury,
    off_the_run: Treasury,
    settle: dt.date,
    yields: tuple[float, float],
    widening_bp: float | np.ndarray,
    *,
    equity: float,
    haircut: float,
    short_face: float = DEFAULT_SHORT_FACE,
) -> pd.DataFrame:
    """What a sudden widening of the spread does to a levered pair: loss, margin call, sale.

    The on-the-run richens by ``widening_bp`` (its yield falls, the off-the-run's stays),
    as in a flight to liquidity. The loss on the DV01-neutral pair is the short leg's price
    rise. The pair is taken to be margined as one position on its gross market value (both
    legs) at ``haircut``, so the loss is a price change of ``-loss / gross`` on that position,
    and :func:`treasury_rv.leverage.forced_sale` gives the variation margin called, the part
    spare cash cannot pay and the sale that forces. This is the one margin model of the
    library, applied to the pair; a dealer that margins each leg separately would ask for more.

    Parameters
    ----------
    on_the_run, off_the_run : Treasury
        The issue sold short and the issue bought.
    settle : datetime.date
        Date of the move.
    yields : pair of float
        Yields ``(on-the-run, off-the-run)`` before the move, decimal.
    widening_bp : float or array_like
        Widening of the spread, basis points; not negative.
    equity : float
        The fund's equity in the trade, dollars; at least ``haircut x gross``.
    haircut : float
        Haircut on the gross position, a fraction strictly between 0 and 1.
    short_face : float, default 100e6
        Face of the short leg, dollars.

    Returns
    -------
    pandas.DataFrame
        One row per widening: ``widening_bp``, ``gross`` (dollars, both legs at market),
        ``pair_loss`` (dollars) and the columns of :func:`treasury_rv.leverage.forced_sale`.

    Examples
    --------
    >>> import datetime as dt
    >>> on = Treasury(0.04625, dt.date(2035, 2, 15))
    >>> off = Treasury(0.0425, dt.date(2034, 11, 15))
    >>> out = widening_margin(on, off, dt.date(2025, 4, 3), (0.0420, 0.0422), [2.0, 10.0],
    ...                       equity=4e6, haircut=0.01)
    >>> (out["pair_loss"] / 1e3).round().tolist()
    [164.0, 821.0]
    """
    on = _bond(on_the_run, "on_the_run")
    off = _bond(off_the_run, "off_the_run")
    settle = as_date(settle, "settle")
    y_on, y_off = (float(v) for v in _pair(yields, "yields"))
    widening = np.ravel(check_nonnegative(widening_bp, "widening_bp"))
    short = float(check_positive(as_real(short_face, "short_face"), "short_face"))
    check_fraction(as_real(haircut, "haircut"), "haircut")
    long_ = hedge_face(on, off, settle, y_on, y_off, short_face=short)
    dirty_on = clean_price(on, settle, y_on) + accrued_interest(on, settle)
    dirty_off = clean_price(off, settle, y_off) + accrued_interest(off, settle)
    gross = long_ / 100 * dirty_off + short / 100 * dirty_on
    loss = (
        short
        / 100
        * (
            np.asarray(clean_price(on, settle, y_on - widening / _BP))
            - (dirty_on - accrued_interest(on, settle))
        )
    )
    frame = leverage.forced_sale(gross, equity, haircut, -loss / gross)
    frame.insert(0, "pair_loss", loss)
    frame.insert(0, "gross", gross)
    frame.insert(0, "widening_bp", widening)
    return frame


# --------------------------------------------------------------------------------------------
# An illustrative cycle
# --------------------------------------------------------------------------------------------


def illustrative_cycle(
    tenor: int,
    start: dt.date,
    curve: SvenssonCurve,
    *,
    gc_rate: float,
    model: LiquidityPremium | None = None,
    end: dt.date | None = None,
    coupons: tuple[float, float] | None = None,
    haircut: float = 0.02,
    short_face: float = DEFAULT_SHORT_FACE,
) -> pd.DataFrame:
    """The trade through an auction cycle, priced with the illustrative premium model.

    On ``start`` the fund sells the on-the-run issue of ``tenor`` and buys the first
    off-the-run (:func:`treasury_rv.auctions.auction_cycle`), DV01-neutral, and holds to
    ``end`` (default: the next new issue's date, when the short leg goes off the run). Each
    day, each issue yields its yield on ``curve`` (held fixed) less its premium from ``model``
    at its age (:func:`treasury_rv.auctions.issue_age_cycles`), and the short pays that day's
    specialness. Everything here is illustrative: the curve does not move, the issues are
    the regular calendar's, and the premium and specialness are the model's, not history.

    Parameters
    ----------
    tenor : int
        Original term in years (2, 3, 5, 7, 10, 20 or 30).
    start : datetime.date
        Trade date (settlement).
    curve : SvenssonCurve
        The curve of old issues the premiums are measured from.
    gc_rate : float
        General-collateral repo rate, decimal.
    model : LiquidityPremium, optional
        Premium and specialness model; default ``LiquidityPremium()``.
    end : datetime.date, optional
        Last day; default the next new issue's issue date.
    coupons : pair of float, optional
        Coupons ``(on-the-run, off-the-run)``, decimal. Default: each issue's par coupon on
        ``curve`` at ``start`` put through the auction rule
        (:func:`treasury_rv.auctions.auction_coupon`), an illustrative stand-in for the real
        coupons, which were set at their own auctions.
    haircut : float, default 0.02
        Haircut on the gross position, for the return on equity (equity = haircut x gross
        value at entry, the largest leverage :func:`treasury_rv.leverage.max_leverage` allows).
    short_face : float, default 100e6
        Face of the short leg, dollars.

    Returns
    -------
    pandas.DataFrame
        One row per calendar day from ``start`` to ``end``, with columns ``date``,
        ``on_age_cycles``, ``off_age_cycles``, ``on_premium_bp``, ``off_premium_bp``,
        ``spread_bp`` (off-the-run less on-the-run yield, curve slope included),
        ``premium_gap_bp`` (on-the-run less off-the-run premium: the spread with the curve's
        slope taken out), ``specialness_bp`` (the on-the-run's), the cumulative
        P&L in dollars (``carry``, ``specialness_cost``, ``convergence_pnl``, ``market_pnl``,
        ``total_pnl``), and ``return_on_equity`` (decimal).

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.curves import gsw_curve
    >>> path = illustrative_cycle(10, dt.date(2025, 2, 18), gsw_curve(dt.date(2025, 4, 2)),
    ...                           gc_rate=0.043)
    >>> len(path), path["date"].iloc[-1]
    (87, datetime.date(2025, 5, 15))
    >>> path["premium_gap_bp"].iloc[[0, -1]].round(2).tolist()  # on less off premium
    [1.08, 0.27]
    """
    if isinstance(tenor, bool) or tenor not in TENORS:
        raise ValueError(f"tenor must be one of {list(TENORS)} (years), got {tenor!r}")
    start = as_date(start, "start")
    if not isinstance(curve, SvenssonCurve):
        raise TypeError(f"curve must be a SvenssonCurve, got {type(curve).__name__}")
    model = LiquidityPremium() if model is None else model
    if not isinstance(model, LiquidityPremium):
        raise TypeError(f"model must be a LiquidityPremium, got {type(model).__name__}")
    gc = float(check_rate(as_real(gc_rate, "gc_rate"), "gc_rate"))
    h = float(check_fraction(as_real(haircut, "haircut"), "haircut"))
    cycle = auction_cycle(tenor, start)
    end = cycle.next_issue.issue_date if end is None else as_date(end, "end")
    if end <= start:
        raise ValueError(f"end {end} must be after start {start}")
    days = (end - start).days
    if days + 1 > MAX_CYCLE_ROWS:
        raise ValueError(f"start to end must be at most {MAX_CYCLE_ROWS - 1} days, got {days}")
    on_issue, off_issue = cycle.on_the_run, cycle.first_off_the_run
    if coupons is None:
        coupons = tuple(
            auction_coupon(par_coupon(curve, start, i.maturity)) for i in (on_issue, off_issue)
        )
    elif not isinstance(coupons, tuple | list) or len(coupons) != 2:
        raise TypeError("coupons must be a pair (on-the-run, off-the-run) of decimals")
    on = on_issue.treasury(coupons[0])
    off = off_issue.treasury(coupons[1])
    _check_dates(on, off, start, end)
    rows = []
    spec_cost = 0.0
    entry = None
    for k in range(days + 1):
        day = start + dt.timedelta(days=k)
        ages = [issue_age_cycles(i, day) for i in (on_issue, off_issue)]
        premiums = [model.premium_bp(a) for a in ages]
        fair = [yield_to_maturity(b, day, price_on_curve(b, day, curve)) for b in (on, off)]
        y_on, y_off = (f - p / _BP for f, p in zip(fair, premiums, strict=True))
        special = model.specialness_bp(ages[0])
        if entry is None:
            entry = (y_on, y_off)
            dirty_on0 = clean_price(on, start, y_on) + accrued_interest(on, start)
            pnl = dict.fromkeys(("carry", "convergence_pnl", "market_pnl", "total_pnl"), 0.0)
        else:
            # The specialness of each day past, on the short's proceeds, ACT/360.
            spec_cost += short_face / 100 * dirty_on0 * rows[-1]["specialness_bp"] / _BP / 360
            out = trade_pnl(
                on,
                off,
                start,
                day,
                entry_yields=entry,
                exit_yields=(y_on, y_off),
                gc_rate=gc,
                short_face=short_face,
            ).iloc[0]
            pnl = {name: float(out[name]) for name in ("carry", "convergence_pnl", "market_pnl")}
            pnl["total_pnl"] = float(out["total_pnl"]) - spec_cost
        rows.append(
            {
                "date": day,
                "on_age_cycles": ages[0],
                "off_age_cycles": ages[1],
                "on_premium_bp": premiums[0],
                "off_premium_bp": premiums[1],
                "spread_bp": (y_off - y_on) * _BP,
                "premium_gap_bp": premiums[0] - premiums[1],
                "specialness_bp": special,
                "carry": pnl["carry"],
                "specialness_cost": spec_cost,
                "convergence_pnl": pnl["convergence_pnl"],
                "market_pnl": pnl["market_pnl"],
                "total_pnl": pnl["total_pnl"],
            }
        )
    frame = pd.DataFrame(rows)
    long_face = hedge_face(on, off, start, *entry, short_face=short_face)
    gross = (
        long_face / 100 * (clean_price(off, start, entry[1]) + accrued_interest(off, start))
        + short_face / 100 * dirty_on0
    )
    equity = gross / leverage.max_leverage(h)
    frame["return_on_equity"] = frame["total_pnl"] / equity
    return frame


# --------------------------------------------------------------------------------------------
# Real issues on the Fed's curve
# --------------------------------------------------------------------------------------------

_PAIR_SOURCE = (
    "Issue coupons and maturities as reported in secondary sources (FACTS.md section 5 of the "
    "book's research notes); not yet checked against TreasuryDirect's auction records"
)


@dataclass(frozen=True)
class RealPair:
    """The on-the-run issue of a term and the issue before it, in one year of the book's history.

    Parameters
    ----------
    year : int
        Calendar year of the episode; the pair applies to the Fed curves shipped for that year.
    tenor : int
        Original term, years.
    on_the_run, first_off_the_run : Treasury
        The newest issue and the one before it, with their real coupons and issue dates.
    source : str
        Where the issue details come from.
    """

    year: int
    tenor: int
    on_the_run: Treasury
    first_off_the_run: Treasury
    source: str = _PAIR_SOURCE


#: The pairs the chapter follows: LTCM's 30-year trade of 1998, and the 10-year pairs of
#: March 2020 and April 2025.
REAL_PAIRS: tuple[RealPair, ...] = (
    RealPair(
        1998,
        30,
        Treasury(0.055, dt.date(2028, 8, 15), dt.date(1998, 8, 17), "30y 5 1/2% Aug-2028"),
        Treasury(0.06125, dt.date(2027, 11, 15), dt.date(1997, 11, 17), "30y 6 1/8% Nov-2027"),
    ),
    RealPair(
        2020,
        10,
        Treasury(0.015, dt.date(2030, 2, 15), dt.date(2020, 2, 18), "10y 1 1/2% Feb-2030"),
        Treasury(0.0175, dt.date(2029, 11, 15), dt.date(2019, 11, 15), "10y 1 3/4% Nov-2029"),
    ),
    RealPair(
        2025,
        10,
        Treasury(0.04625, dt.date(2035, 2, 15), dt.date(2025, 2, 18), "10y 4 5/8% Feb-2035"),
        Treasury(0.0425, dt.date(2034, 11, 15), dt.date(2024, 11, 15), "10y 4 1/4% Nov-2034"),
    ),
)


def real_pair(date: dt.date) -> RealPair:
    """The real on-the-run pair the book follows on a date of 1998, 2020 or 2025.

    Parameters
    ----------
    date : datetime.date
        A date on or after the on-the-run's issue date, in the year of one of
        :data:`REAL_PAIRS`, and before the next new issue of that term on Treasury's regular
        calendar (:func:`treasury_rv.auctions.next_issue`).

    Returns
    -------
    RealPair

    Examples
    --------
    >>> import datetime as dt
    >>> real_pair(dt.date(2020, 3, 9)).on_the_run.label
    '1 1/2% 2030-02-15'
    """
    date = as_date(date, "date")
    for pair in REAL_PAIRS:
        if pair.year == date.year:
            on = pair.on_the_run
            replaced = auction_cycle(pair.tenor, on.issue_date).next_issue.issue_date
            if on.issue_date <= date < replaced:
                return pair
            raise ValueError(
                f"date {date} is outside the {pair.year} pair's time on the run "
                f"({on.issue_date} to {replaced})"
            )
    years = [p.year for p in REAL_PAIRS]
    raise ValueError(f"date must fall in one of the years {years}, got {date}")


@dataclass(frozen=True)
class RichCheap:
    """A curve refitted on one of the Fed's dates and each issue's residual against it.

    Parameters
    ----------
    date : datetime.date
        The curve's date, also the settlement date of the prices.
    fed : SvenssonCurve
        The Fed's published curve for the date.
    fitted : SvenssonCurve
        The curve :func:`treasury_rv.curves.fit_svensson` finds from the off-the-run set.
    pair : RealPair
        The real on-the-run pair of the date.
    bonds : pandas.DataFrame
        One row per issue: ``label``, ``kind`` (``"off-the-run set"``, ``"on-the-run"`` or
        ``"first off-the-run"``), ``maturity``, ``years`` (to maturity, ACT/365.25),
        ``coupon`` (decimal), ``price`` (clean, per 100), ``yield_pct`` (yield to maturity,
        percent), ``premium_bp`` (modelled premium put into the price; 0 for the set),
        ``pricing_error_bp`` (the seeded error put into the issue's yield, basis points; 0
        without one) and ``residual_bp`` (yield less the fitted curve's, basis points;
        negative = rich).
    dispersion_bp : float
        Root mean square of the off-the-run set's residuals, basis points: how far a typical
        old issue sits from the fitted curve, the yardstick a pair's residual is read against.
    """

    date: dt.date
    fed: SvenssonCurve
    fitted: SvenssonCurve
    pair: RealPair
    bonds: pd.DataFrame
    dispersion_bp: float


def rich_cheap(
    date: dt.date,
    *,
    model: LiquidityPremium | None = None,
    spacing_months: int = 3,
    pricing_error_bp: float = 0.0,
    seed: int = 0,
) -> RichCheap:
    """Refit the Fed's curve on a shipped date and measure the real pair's richness against it.

    What is real: the Fed's fitted curve for ``date`` (:func:`treasury_rv.curves.gsw_curve`)
    and the coupons and maturities of the pair (:data:`REAL_PAIRS`). What is modelled, for
    want of market quotes for each issue: an *off-the-run set* of bonds maturing every
    ``spacing_months`` months on the 15th of the month from one to thirty years out (about as
    many bonds as the Fed fits), each with the coupon its auction would have got on that curve
    and priced exactly on it; and the pair, priced on the curve less a liquidity premium from
    ``model`` at each issue's age (the on-the-run's fraction of its auction cycle, and one
    cycle more for the first off-the-run). The Svensson form is then fitted to the off-the-run
    set alone, as the Fed leaves out on-the-run and first off-the-run issues
    (:func:`treasury_rv.curves.fit_svensson`), and each issue's residual is measured against
    the fit (:func:`treasury_rv.curves.yield_residuals_bp`). The pair's residuals show the
    modelled premium as a market would show a real one: negative, rich to the curve. The
    residuals of the pair are illustrative.

    Without a pricing error the set lies exactly on the Fed's curve, so the fit recovers it and
    the pair's residuals are the premiums put in: a check of the code, not a measurement. Real
    quotes sit off any smooth curve (bid-ask, small supply and tax effects of single issues):
    ``pricing_error_bp`` adds to every issue's yield, the pair's included, an independent
    normal error of that standard deviation, drawn from ``numpy.random.default_rng(seed)``, so
    a premium can be judged against the set's residual dispersion
    (``RichCheap.dispersion_bp``). The error is labelled, seeded and illustrative.

    Parameters
    ----------
    date : datetime.date
        One of the Fed's shipped curve dates in a year of :data:`REAL_PAIRS`.
    model : LiquidityPremium, optional
        The premium model; default ``LiquidityPremium()``.
    spacing_months : int, default 3
        Months between the maturities of the off-the-run set, 1 to 12.
    pricing_error_bp : float, default 0.0
        Standard deviation of the error put into each issue's yield, basis points; 0 to 25.
    seed : int, default 0
        Seed of the error's random draws.

    Returns
    -------
    RichCheap

    Examples
    --------
    >>> import datetime as dt
    >>> table = rich_cheap(dt.date(2025, 4, 2)).bonds.set_index("kind")
    >>> round(float(table.loc["on-the-run", "residual_bp"]), 2)
    -2.54
    >>> bool(table.loc["off-the-run set", "residual_bp"].abs().max() < 0.01)
    True
    >>> noisy = rich_cheap(dt.date(2025, 4, 2), pricing_error_bp=1.0)
    >>> bool(0.8 < noisy.dispersion_bp < 1.2)
    True
    """
    date = as_date(date, "date")
    pair = real_pair(date)
    model = LiquidityPremium() if model is None else model
    if not isinstance(model, LiquidityPremium):
        raise TypeError(f"model must be a LiquidityPremium, got {type(model).__name__}")
    if isinstance(spacing_months, bool) or not isinstance(spacing_months, int):
        raise TypeError(f"spacing_months must be an int, got {type(spacing_months).__name__}")
    if not 1 <= spacing_months <= 12:
        raise ValueError(f"spacing_months must be between 1 and 12, got {spacing_months}")
    sigma = as_real(pricing_error_bp, "pricing_error_bp")
    if not 0 <= sigma <= 25:
        raise ValueError(f"pricing_error_bp must be from 0 to 25 (basis points), got {sigma!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    fed = gsw_curve(date)
    first = dt.date(date.year + 1, date.month, 15)
    real = {pair.on_the_run.maturity, pair.first_off_the_run.maturity}
    maturities = []
    k = 0
    while (m := add_months(first, k * spacing_months)) <= dt.date(date.year + 30, date.month, 15):
        if m not in real:
            maturities.append(m)
        k += 1
    rows = []
    for m in maturities:
        coupon = float(auction_coupon(par_coupon(fed, date, m)))
        rows.append(("off-the-run set", Treasury(coupon, m), 0.0))
    fraction = auction_cycle(pair.tenor, date).cycle_fraction
    for kind, bond, age in (
        ("on-the-run", pair.on_the_run, fraction),
        ("first off-the-run", pair.first_off_the_run, 1 + fraction),
    ):
        rows.append((kind, bond, float(model.premium_bp(age))))
    bonds = [b for _, b, _ in rows]
    errors = sigma * np.random.default_rng(seed).standard_normal(len(rows))
    prices = []
    for (_, bond, premium), error in zip(rows, errors, strict=True):
        fair = yield_to_maturity(bond, date, price_on_curve(bond, date, fed))
        prices.append(float(clean_price(bond, date, fair + (error - premium) / _BP)))
    n_set = len(maturities)
    fitted = fit_svensson(bonds[:n_set], date, prices[:n_set])
    residuals = yield_residuals_bp(fitted, bonds, date, prices)
    frame = pd.DataFrame(
        {
            "label": [b.name or b.label for b in bonds],
            "kind": [kind for kind, _, _ in rows],
            "maturity": [b.maturity for b in bonds],
            "years": [(b.maturity - date).days / DAYS_PER_YEAR for b in bonds],
            "coupon": [b.coupon for b in bonds],
            "price": prices,
            "yield_pct": [
                100 * yield_to_maturity(b, date, p) for b, p in zip(bonds, prices, strict=True)
            ],
            "premium_bp": [premium for _, _, premium in rows],
            "pricing_error_bp": errors,
            "residual_bp": residuals,
        }
    )
    dispersion = float(np.sqrt(np.mean(np.square(residuals[:n_set]))))
    return RichCheap(
        date=date, fed=fed, fitted=fitted, pair=pair, bonds=frame, dispersion_bp=dispersion
    )


# --------------------------------------------------------------------------------------------
# The specials market: what caps specialness
# --------------------------------------------------------------------------------------------

#: The rate the TMPG fails charge is measured from: 3% a year (Treasury Market Practices Group,
#: Treasury fails charge trading practice, in force from 1 May 2009).
FAILS_CHARGE_CEILING = 0.03


def fails_charge_rate(fed_funds_target_floor: float) -> float:
    """Annual rate of the TMPG fails charge on an undelivered Treasury, decimal.

    The Treasury Market Practices Group's fails-charge practice (from 1 May 2009; Garbade,
    Keane, Logan, Stokes and Wolgemuth, FRBNY *Economic Policy Review*, October 2010) charges a
    seller that fails to deliver ``max(3% - TR, 0)`` a year on the trade's proceeds, ACT/360,
    with ``TR`` the lower limit of the Federal Reserve's target range for the federal funds
    rate. At rates of 3% or more there is no charge: the seller's lost interest on the unpaid
    proceeds is incentive enough to deliver.

    Parameters
    ----------
    fed_funds_target_floor : float
        Lower limit of the fed funds target range, decimal (0.0425 for 4.25%).

    Returns
    -------
    float
        The charge's annual rate, decimal; 0 when the floor is 3% or more.

    Examples
    --------
    >>> fails_charge_rate(0.0425), round(fails_charge_rate(0.0), 4)
    (0.0, 0.03)
    """
    floor = float(check_rate(fed_funds_target_floor, "fed_funds_target_floor"))
    return max(FAILS_CHARGE_CEILING - floor, 0.0)


def fails_charge(proceeds: float, days: int, fed_funds_target_floor: float) -> float:
    """Dollar fails charge on a Treasury delivered ``days`` calendar days late.

    ``proceeds x fails_charge_rate(fed_funds_target_floor) x days / 360``
    (:func:`fails_charge_rate`).

    Parameters
    ----------
    proceeds : float
        The trade's settlement proceeds, dollars; positive.
    days : int
        Calendar days of the fail; not negative.
    fed_funds_target_floor : float
        Lower limit of the fed funds target range, decimal.

    Returns
    -------
    float
        The charge, dollars.

    Examples
    --------
    >>> round(fails_charge(100e6, 1, 0.0), 2)
    8333.33
    """
    proceeds = float(check_positive(proceeds, "proceeds"))
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError(f"days must be a whole number of days, not negative, got {days!r}")
    return proceeds * fails_charge_rate(fed_funds_target_floor) * days / 360


def max_specialness_bp(gc_rate: float, fed_funds_target_floor: float) -> float:
    """The most a short should pay to borrow a bond rather than fail to deliver it, basis points.

    A short who borrows the bond in a reverse repo delivers it, is paid, and lends the cash at
    the bond's repo rate ``r``. A short who fails is not paid, so earns nothing on the cash,
    and owes the fails charge ``c`` (:func:`fails_charge_rate`). Borrowing is the better choice
    while ``r > -c``, so the special repo rate is floored near ``-c`` and specialness (GC less
    ``r``) capped near ``gc_rate + c``. Before the fails charge (``c = 0`` at any rate) the
    floor was a zero repo rate. A bound from the two choices alone: it leaves out the cost of a
    fail to the short's reputation and counterparties, which keeps real specials above it.

    Parameters
    ----------
    gc_rate : float
        General-collateral repo rate, decimal, ACT/360.
    fed_funds_target_floor : float
        Lower limit of the fed funds target range, decimal.

    Returns
    -------
    float
        The cap on specialness, basis points.

    Examples
    --------
    >>> round(max_specialness_bp(0.0430, 0.0425), 1), round(max_specialness_bp(0.0001, 0.0), 1)
    (430.0, 301.0)
    """
    gc = float(check_rate(gc_rate, "gc_rate"))
    return (gc + fails_charge_rate(fed_funds_target_floor)) * _BP


# --------------------------------------------------------------------------------------------
# A proxy from published data
# --------------------------------------------------------------------------------------------


def benchmark_gap_bp(date: dt.date, tenor: int = 10) -> float:
    """Treasury's constant-maturity yield less the Fed's fitted par yield, basis points.

    Treasury's constant-maturity (CMT) curve, which FRED publishes as ``DGS10`` and ``DGS30``,
    is read mainly from the on-the-run issues; the Fed's fitted curve leaves the on-the-run and
    first off-the-run issues out (Gürkaynak, Sack and Wright 2007). The CMT yield of a term less
    the fitted curve's par yield of the same term
    (:meth:`treasury_rv.curves.SvenssonCurve.par_yield`, on the same semiannual bond basis) is
    therefore a rough proxy for how rich the benchmark issues are. It is *not* the on/off-the-run
    spread: it also holds the two curves' different fitting methods, the on-the-run's maturity
    being a little short of the full term, and the CMT's rounding to 0.01%, which alone is worth
    half a basis point either way. Both inputs are published data (the shipped datasets
    ``daily_closes``, FRED's ``DGS10`` and ``DGS30``, and ``gsw_svensson``).

    Parameters
    ----------
    date : datetime.date
        A date of both shipped datasets.
    tenor : int, default 10
        Term in years, 10 or 30.

    Returns
    -------
    float
        CMT yield less fitted par yield, basis points (negative: the benchmarks are rich).

    Examples
    --------
    >>> import datetime as dt
    >>> round(benchmark_gap_bp(dt.date(2025, 4, 2)), 1)
    -3.4
    """
    date = as_date(date, "date")
    if isinstance(tenor, bool) or tenor not in (10, 30):
        raise ValueError(f"tenor must be 10 or 30 (years), got {tenor!r}")
    closes = shipped("daily_closes")
    closes = closes.loc[closes["series"] == f"DGS{tenor}"]
    row = closes.loc[closes["date"] == date]
    if row.empty:
        raise ValueError(f"date must be one of the shipped CMT dates {closes['date'].tolist()}")
    cmt = float(row.iloc[0]["close"])
    return float((cmt - gsw_curve(date).par_yield(float(tenor))) * _BP)
