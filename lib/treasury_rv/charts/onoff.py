"""Charts of the on-the-run/off-the-run trade: the auction cycle, rich/cheap residuals, P&L, margin.

Each ``*_grid`` (or ``*_frame``) function runs the numeric modules over the values a chart's
controls can take and returns one tidy DataFrame of at most
:data:`~treasury_rv.charts.MAX_ROWS` rows; each ``*_chart`` function draws such a frame with
Altair and binds its controls, so the static page responds by filtering the precomputed grid.
Control values are stored as whole numbers (basis points, per cent of a cycle, times of
leverage) so that filters never compare floats.

Everything drawn from :class:`treasury_rv.onoff.LiquidityPremium` is illustrative, and the
charts say so in their source lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from treasury_rv import fmt
from treasury_rv._validate import as_date, as_float_array, as_real, check_fraction
from treasury_rv.auctions import auction_cycle, issue_age_cycles, issue_calendar, on_the_run
from treasury_rv.bonds import yield_to_maturity
from treasury_rv.charts import MAX_ROWS, PALETTE, caption_source, chart_frame, select, slider
from treasury_rv.curves import SvenssonCurve, price_on_curve
from treasury_rv.onoff import (
    DEFAULT_SHORT_FACE,
    LiquidityPremium,
    RealPair,
    rich_cheap,
    trade_pnl,
    widening_margin,
)

__all__ = [
    "MAX_ROWS",
    "PLOT_WIDTH",
    "cycle_pnl_chart",
    "cycle_pnl_grid",
    "residual_chart",
    "residual_grid",
    "timeline_chart",
    "timeline_frame",
    "widening_chart",
    "widening_grid",
]

#: Width of the plotting area of the two-panel charts, pixels (fits a phone column).
PLOT_WIDTH = 260

#: Width of the timeline's plotting area, pixels: narrower, to leave room for issue labels.
TIMELINE_WIDTH = 210

_MN = 1e6
_BP = 1e4
_VERMILION = PALETTE[1]
_GREY = "#8A939C"
_KINDS = ["off-the-run set", "first off-the-run", "on-the-run"]
_KIND_COLOURS = [_GREY, PALETTE[0], _VERMILION]
_STACKED = alt.Legend(orient="bottom", direction="vertical")
_MODEL_NOTE = "Illustrative: premium and specialness from treasury_rv.onoff.LiquidityPremium"


def _whole_grid(values: object, name: str) -> np.ndarray:
    """A strictly increasing, evenly spaced grid of at least two whole numbers."""
    arr = np.atleast_1d(as_float_array(values, name))
    if arr.ndim != 1 or arr.size < 2:
        raise ValueError(f"{name} must be a 1-d sequence of at least two values")
    if not np.allclose(arr, np.round(arr), atol=1e-9):
        raise ValueError(f"{name} must be whole numbers, got {arr.tolist()}")
    steps = np.unique(np.diff(np.round(arr)))
    if np.any(steps <= 0) or steps.size != 1:
        raise ValueError(f"{name} must be increasing and evenly spaced, got {arr.tolist()}")
    return np.round(arr).astype(int)


def _initial(value: object, values: np.ndarray, name: str) -> int:
    v = as_real(value, name)
    if not np.any(values == round(v)) or v != round(v):
        raise ValueError(
            f"{name} must be one of the grid's values {values.tolist()}, got {value!r}"
        )
    return int(round(v))


def _slider(name: str, values: np.ndarray, value: int, label: str) -> alt.Parameter:
    step = int(values[1] - values[0])
    return slider(
        name, start=int(values[0]), stop=int(values[-1]), step=step, value=value, label=label
    )


def _text_lines(base: alt.Chart, fields: Sequence[str]) -> list[alt.Chart]:
    """Lines of text above the plot, one mark per field, the last just above the plot."""
    marks = []
    for i, field in enumerate(fields):
        mark = base.mark_text(
            align="left", baseline="bottom", fontSize=12, limit=alt.ExprRef("width")
        )
        marks.append(
            mark.encode(
                text=f"{field}:N", x=alt.value(0), y=alt.value(-6 - 16 * (len(fields) - 1 - i))
            )
        )
    return marks


def _money_expr(field: str) -> str:
    """Vega expression writing a $mn field as :func:`treasury_rv.fmt.money` does."""
    v = f"abs(datum.{field})"
    sign = f"(datum.{field} < 0 ? '{fmt.MINUS}' : '')"
    return (
        f"({sign} + '$' + ({v} >= 999.995 ? format({v} / 1000, ',.2f') + 'bn'"
        f" : {v} >= 0.9999995 ? format({v}, ',.2f') + 'mn'"
        f" : format({v} * 1e6, ',.0f')))"
    )


# --------------------------------------------------------------------------------------------
# The auction cycle as a timeline
# --------------------------------------------------------------------------------------------


def timeline_frame(
    tenor: int,
    start: dt.date,
    end: dt.date,
    *,
    model: LiquidityPremium | None = None,
    step_days: int = 7,
) -> pd.DataFrame:
    """The issues of a term between two dates: when each is on the run, its reopenings, its premium.

    Regular calendar (:mod:`treasury_rv.auctions`). For each new issue that is on the run at
    some point from ``start`` to ``end``: one ``"status"`` row per stretch of its life (on the
    run, first off the run, older) clipped to the window, one ``"reopening"`` row per
    reopening in the window, and one ``"premium"`` row every ``step_days`` days with its
    illustrative liquidity premium from ``model`` at its age
    (:func:`treasury_rv.auctions.issue_age_cycles`).

    Parameters
    ----------
    tenor : int
        Original term, years (10, 20 or 30 show reopenings).
    start, end : datetime.date
        The window, at most three years long.
    model : LiquidityPremium, optional
        Premium model; default ``LiquidityPremium()``.
    step_days : int, default 7
        Days between the premium rows, 1 to 31.

    Returns
    -------
    pandas.DataFrame
        Columns ``row`` (``"status"``, ``"reopening"`` or ``"premium"``), ``issue`` (label),
        ``status``, ``start`` and ``end`` (ISO dates), ``premium_bp``.

    Examples
    --------
    >>> import datetime as dt
    >>> f = timeline_frame(10, dt.date(2025, 1, 1), dt.date(2025, 6, 30), step_days=30)
    >>> sorted(f.loc[f["row"] == "status", "issue"].unique())
    ['10y 2034-11-15', '10y 2035-02-15', '10y 2035-05-15']
    """
    start, end = as_date(start, "start"), as_date(end, "end")
    if end <= start or (end - start).days > 3 * 366:
        raise ValueError(f"end must be after start and at most three years on, got {start}, {end}")
    model = LiquidityPremium() if model is None else model
    if not isinstance(model, LiquidityPremium):
        raise TypeError(f"model must be a LiquidityPremium, got {type(model).__name__}")
    if isinstance(step_days, bool) or not isinstance(step_days, int) or not 1 <= step_days <= 31:
        raise ValueError(f"step_days must be a whole number from 1 to 31, got {step_days!r}")
    calendar = issue_calendar(tenor, start, end)
    first = on_the_run(tenor, start)
    labels = [first.label] + [
        label for label in calendar.loc[calendar["kind"] == "new", "label"] if label != first.label
    ]
    rows = []
    issues = {}
    day = start
    while day <= end:
        cycle = auction_cycle(tenor, day)
        issues.setdefault(cycle.on_the_run.label, cycle.on_the_run)
        day += dt.timedelta(days=1)
    for label in labels:
        issue = issues[label]
        became_first_off = auction_cycle(tenor, issue.issue_date).next_issue.issue_date
        older = auction_cycle(tenor, became_first_off).next_issue.issue_date
        for status, s, e in (
            ("On the run", issue.issue_date, became_first_off),
            ("First off the run", became_first_off, older),
            ("Older", older, end),
        ):
            s, e = max(s, start), min(e, end)
            if s < e:
                rows.append(("status", label, status, s.isoformat(), e.isoformat(), np.nan))
        for d in issue.reopenings:
            if start <= d <= end:
                rows.append(("reopening", label, "Reopening", d.isoformat(), d.isoformat(), np.nan))
        day = max(issue.issue_date, start)
        while day <= end:
            premium = float(model.premium_bp(issue_age_cycles(issue, day)))
            rows.append(("premium", label, "", day.isoformat(), day.isoformat(), premium))
            day += dt.timedelta(days=step_days)
    frame = pd.DataFrame(rows, columns=["row", "issue", "status", "start", "end", "premium_bp"])
    if len(frame) > MAX_ROWS:
        raise ValueError(f"the timeline would have {len(frame)} rows; at most {MAX_ROWS}")
    return frame


def timeline_chart(frame: pd.DataFrame) -> alt.VConcatChart:
    """Each issue's life on a time axis (top) and its illustrative liquidity premium (bottom).

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`timeline_frame`.

    Returns
    -------
    altair.VConcatChart

    Examples
    --------
    >>> import datetime as dt
    >>> chart = timeline_chart(timeline_frame(10, dt.date(2025, 1, 1), dt.date(2025, 6, 30)))
    """
    cols = ["row", "issue", "status", "start", "end", "premium_bp"]
    data = chart_frame(frame, cols, "frame")[cols]
    order = list(dict.fromkeys(data.loc[data["row"] == "status", "issue"]))
    x = alt.X("start:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=5))
    y = alt.Y("issue:N", sort=order, title=None)
    statuses = ["On the run", "First off the run", "Older"]
    bars = (
        alt.Chart(data)
        .transform_filter(alt.datum.row == "status")
        .mark_bar(height=14)
        .encode(
            x=x,
            x2="end:T",
            y=y,
            color=alt.Color(
                "status:N",
                title=None,
                scale=alt.Scale(domain=statuses, range=[_VERMILION, PALETTE[0], _GREY]),
                legend=_STACKED,
            ),
            tooltip=[
                alt.Tooltip("issue:N", title="Issue"),
                alt.Tooltip("status:N", title="Status"),
                alt.Tooltip("start:T", title="From", format="%d %b %Y"),
                alt.Tooltip("end:T", title="To", format="%d %b %Y"),
            ],
        )
    )
    reopen = (
        alt.Chart(data)
        .transform_filter(alt.datum.row == "reopening")
        .mark_tick(thickness=3, size=22, color=PALETTE[5])
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("issue:N", title="Reopened"),
                alt.Tooltip("start:T", title="On", format="%d %b %Y"),
            ],
        )
    )
    top = alt.layer(bars, reopen).properties(
        width=TIMELINE_WIDTH, height=30 * len(order), title="Issues (ticks: reopenings)"
    )
    lines = (
        alt.Chart(data)
        .transform_filter(alt.datum.row == "premium")
        .mark_line(interpolate="step-after")
        .encode(
            x=x,
            y=alt.Y("premium_bp:Q", title="Premium (bp of yield)"),
            color=alt.Color("issue:N", sort=order, title=None, legend=_STACKED),
            tooltip=[
                alt.Tooltip("issue:N", title="Issue"),
                alt.Tooltip("start:T", title="Date", format="%d %b %Y"),
                alt.Tooltip("premium_bp:Q", title="Premium (bp)", format=".2f"),
            ],
        )
        .properties(width=TIMELINE_WIDTH, height=160, title="Illustrative liquidity premium")
    )
    return alt.vconcat(top, lines, description=_TIMELINE_DESCRIPTION).resolve_scale(
        color="independent"
    )


_TIMELINE_DESCRIPTION = (
    "Timeline of Treasury issues of one term: a bar per issue coloured by whether it is on the "
    "run, first off the run or older, ticks at reopenings, and below it each issue's "
    "illustrative liquidity premium in basis points over time."
)


# --------------------------------------------------------------------------------------------
# A fitted curve and rich/cheap residuals on the Fed's dates
# --------------------------------------------------------------------------------------------


def residual_grid(
    dates: Sequence[dt.date],
    *,
    model: LiquidityPremium | None = None,
    points: int = 59,
    pricing_error_bp: float = 0.0,
    seed: int = 0,
) -> pd.DataFrame:
    """Refitted curves and residuals on several of the Fed's dates, for :func:`residual_chart`.

    One :func:`treasury_rv.onoff.rich_cheap` per date: a ``"bond"`` row per issue (its yield
    and residual) and ``points`` ``"curve"`` rows of the fitted curve's par yield from 1 to
    30 years.

    Parameters
    ----------
    dates : sequence of datetime.date
        Shipped curve dates of the years in :data:`treasury_rv.onoff.REAL_PAIRS`.
    model : LiquidityPremium, optional
        The premium model for the pair; default ``LiquidityPremium()``.
    points : int, default 59
        Points on each curve, 2 to 300.
    pricing_error_bp : float, default 0.0
        Standard deviation of the seeded error in each issue's yield, basis points
        (:func:`treasury_rv.onoff.rich_cheap`).
    seed : int, default 0
        Seed of the error's draws, the same on every date.

    Returns
    -------
    pandas.DataFrame
        Columns ``date`` (ISO), ``row`` (``"bond"`` or ``"curve"``), ``kind``, ``label``,
        ``years``, ``yield_pct``, ``residual_bp`` (NaN on curve rows), ``premium_bp`` and
        ``dispersion_bp`` (the date's off-the-run residual dispersion, on every row).

    Examples
    --------
    >>> import datetime as dt
    >>> g = residual_grid([dt.date(2025, 4, 2)], points=5)
    >>> sorted(g["row"].unique())
    ['bond', 'curve']
    """
    if isinstance(points, bool) or not isinstance(points, int) or not 2 <= points <= 300:
        raise ValueError(f"points must be a whole number from 2 to 300, got {points!r}")
    dates = [as_date(d, f"dates[{i}]") for i, d in enumerate(dates)]
    if not dates:
        raise ValueError("dates must name at least one date")
    frames = []
    years = np.linspace(1, 30, points)
    for d in dates:
        out = rich_cheap(d, model=model, pricing_error_bp=pricing_error_bp, seed=seed)
        bonds = out.bonds.assign(date=d.isoformat(), row="bond", dispersion_bp=out.dispersion_bp)
        curve = pd.DataFrame(
            {
                "date": d.isoformat(),
                "row": "curve",
                "kind": "fitted curve (par yield)",
                "label": "fitted curve",
                "years": years,
                "yield_pct": 100 * np.asarray(out.fitted.par_yield(years)),
                "residual_bp": np.nan,
                "premium_bp": 0.0,
                "dispersion_bp": out.dispersion_bp,
            }
        )
        frames += [bonds[curve.columns.tolist()], curve]
    grid = pd.concat(frames, ignore_index=True)
    if len(grid) > MAX_ROWS:
        raise ValueError(f"the grid would have {len(grid)} rows; at most {MAX_ROWS}")
    return grid


def residual_chart(grid: pd.DataFrame, *, date: dt.date) -> alt.VConcatChart:
    """Yields and the fitted par curve (top) and each issue's residual (bottom), by date.

    A drop-down picks the curve date; the on-the-run and first off-the-run issues are
    coloured and labelled, and a grey band on the residual panel spans plus and minus the
    date's residual dispersion.

    Parameters
    ----------
    grid : pandas.DataFrame
        From :func:`residual_grid`.
    date : datetime.date
        Date shown first; one of the grid's.

    Returns
    -------
    altair.VConcatChart

    Examples
    --------
    >>> import datetime as dt
    >>> g = residual_grid([dt.date(2025, 4, 2), dt.date(2025, 4, 9)], points=5)
    >>> chart = residual_chart(g, date=dt.date(2025, 4, 9))
    """
    cols = [
        "date", "row", "kind", "label", "years", "yield_pct", "residual_bp", "premium_bp",
        "dispersion_bp",
    ]  # fmt: skip
    data = chart_frame(grid, cols, "grid")[cols]
    options = list(dict.fromkeys(data["date"]))
    first = as_date(date, "date").isoformat()
    labels = [f"{dt.date.fromisoformat(d):%-d %b %Y}" for d in options]
    pick = select("curve_date", options, value=first, label="Fed curve of", labels=labels)
    chosen = alt.datum.date == pick
    x = alt.X("years:Q", title="Years to maturity", scale=alt.Scale(domain=[0, 31], nice=False))
    colour = alt.Color(
        "kind:N",
        title=None,
        scale=alt.Scale(domain=_KINDS, range=_KIND_COLOURS),
        legend=_STACKED,
    )
    tip = [
        alt.Tooltip("label:N", title="Issue"),
        alt.Tooltip("years:Q", title="Years", format=".2f"),
        alt.Tooltip("yield_pct:Q", title="Yield (%)", format=".3f"),
        alt.Tooltip("residual_bp:Q", title="Residual (bp)", format=".2f"),
    ]
    base = alt.Chart(data).transform_filter(chosen)
    is_bond = alt.datum.row == "bond"
    pair = (alt.datum.row == "bond") & (alt.datum.kind != "off-the-run set")
    curve = (
        base.transform_filter(alt.datum.row == "curve")
        .mark_line(color=_GREY, strokeWidth=2)
        .encode(x=x, y=alt.Y("yield_pct:Q", title="Yield (%)", scale=alt.Scale(zero=False)))
    )
    dots = (
        base.transform_filter(is_bond)
        .mark_point(size=22, filled=True)
        .encode(x=x, y="yield_pct:Q", color=colour, tooltip=tip)
    )
    top = alt.layer(curve, dots).properties(
        width=PLOT_WIDTH, height=200, title="Yields and the refitted curve"
    )
    resid = base.transform_filter(is_bond).encode(
        x=x, y=alt.Y("residual_bp:Q", title="Residual (bp; below 0 = rich)"), tooltip=tip
    )
    zero = alt.Chart(pd.DataFrame({"residual_bp": [0.0]})).mark_rule(opacity=0.5)
    band = (
        base.transform_filter(alt.datum.row == "curve")
        .transform_calculate(low=-alt.datum.dispersion_bp, high=alt.datum.dispersion_bp)
        .mark_area(color=_GREY, opacity=0.2)
        .encode(x=x, y="low:Q", y2="high:Q")
    )
    bottom = alt.layer(
        band,
        zero.encode(y="residual_bp:Q"),
        resid.mark_point(size=40, filled=True).encode(color=colour),
        base.transform_filter(pair)
        .mark_text(align="left", dx=8, fontSize=11)
        .encode(x=x, y="residual_bp:Q", text="label:N", color=colour),
    ).properties(width=PLOT_WIDTH, height=200, title="Residuals against the refitted curve")
    return (
        alt.vconcat(top, bottom, description=_RESIDUAL_DESCRIPTION)
        .add_params(pick)
        .resolve_scale(color="shared")
    )


_RESIDUAL_DESCRIPTION = (
    "Two panels for a chosen Fed curve date: yields of an off-the-run set and of the real "
    "on-the-run pair against the refitted par curve, and each issue's yield residual in basis "
    "points, the pair labelled, with a grey band of plus and minus one residual dispersion of "
    "the old issues."
)


# --------------------------------------------------------------------------------------------
# The trade over a cycle: entry age x specialness
# --------------------------------------------------------------------------------------------

_COMPONENTS = ["Carry", "Specialness", "Convergence", "Market", "Total"]


def cycle_pnl_grid(
    pair: RealPair,
    curve: SvenssonCurve,
    *,
    gc_rate: float,
    entry_pcts: Sequence[int],
    specialness_bps: Sequence[int],
    model: LiquidityPremium | None = None,
    short_face: float = DEFAULT_SHORT_FACE,
) -> pd.DataFrame:
    """P&L of the pair held to the next new issue, by entry age and the on-the-run's specialness.

    For each entry age (per cent of the on-the-run's auction cycle already run) the fund sells
    the on-the-run and buys the first off-the-run, DV01-neutral, and holds both to the issue
    date of the next new note, when the short leg goes off the run. Yields are ``curve``'s
    less each issue's premium from ``model`` at its age (the curve does not move); the short
    pays a constant ``specialness`` on its cash for the whole holding
    (:func:`treasury_rv.onoff.trade_pnl`). Illustrative.

    Parameters
    ----------
    pair : RealPair
        The issues (from :data:`treasury_rv.onoff.REAL_PAIRS`).
    curve : SvenssonCurve
        Curve of old issues, held fixed.
    gc_rate : float
        General-collateral repo rate, decimal.
    entry_pcts : sequence of int
        Entry ages, per cent of the cycle, evenly spaced, from 0 to 95.
    specialness_bps : sequence of int
        Specialness of the on-the-run, basis points, evenly spaced, not negative.
    model : LiquidityPremium, optional
        Premium model; default ``LiquidityPremium()``.
    short_face : float, default 100e6
        Face of the short leg, dollars.

    Returns
    -------
    pandas.DataFrame
        One row per (entry, specialness, component): ``entry_pct``, ``specialness_bp``,
        ``component`` (one of carry, specialness cost (as a negative), convergence, market
        and total), ``usd_mn``; plus ``entry_date`` (ISO), ``days`` held,
        ``entry_spread_bp``, ``breakeven_bp`` (the specialness at which the total is zero).

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.curves import gsw_curve
    >>> from treasury_rv.onoff import real_pair
    >>> g = cycle_pnl_grid(real_pair(dt.date(2025, 4, 2)), gsw_curve(dt.date(2025, 4, 2)),
    ...                    gc_rate=0.043, entry_pcts=[0, 50], specialness_bps=[0, 50])
    >>> len(g)
    20
    """
    if not isinstance(pair, RealPair):
        raise TypeError(f"pair must be a RealPair, got {type(pair).__name__}")
    model = LiquidityPremium() if model is None else model
    if not isinstance(model, LiquidityPremium):
        raise TypeError(f"model must be a LiquidityPremium, got {type(model).__name__}")
    entries = _whole_grid(entry_pcts, "entry_pcts")
    specials = _whole_grid(specialness_bps, "specialness_bps")
    if entries[0] < 0 or entries[-1] > 95:
        raise ValueError(f"entry_pcts must lie from 0 to 95, got {entries.tolist()}")
    if specials[0] < 0:
        raise ValueError(f"specialness_bps must not be negative, got {specials.tolist()}")
    if entries.size * specials.size * len(_COMPONENTS) > MAX_ROWS:
        raise ValueError(f"the grid would have more than {MAX_ROWS} rows")
    on, off = pair.on_the_run, pair.first_off_the_run
    cycle = auction_cycle(pair.tenor, on.issue_date)
    exit_ = cycle.next_issue.issue_date

    def yields(day: dt.date, age: float) -> tuple[float, float]:
        out = []
        for bond, a in ((on, age), (off, age + 1)):
            fair = yield_to_maturity(bond, day, price_on_curve(bond, day, curve))
            out.append(fair - float(model.premium_bp(a)) / _BP)
        return out[0], out[1]

    exit_yields = yields(exit_, 1.0)
    frames = []
    for pct in entries:
        entry = on.issue_date + dt.timedelta(days=round(pct / 100 * cycle.cycle_days))
        age = (entry - on.issue_date).days / cycle.cycle_days
        out = trade_pnl(
            on,
            off,
            entry,
            exit_,
            entry_yields=yields(entry, age),
            exit_yields=exit_yields,
            gc_rate=gc_rate,
            specialness_bp=specials.astype(float),
            short_face=short_face,
        )
        parts = np.column_stack(
            [
                out["carry"],
                -out["specialness_cost"],
                out["convergence_pnl"],
                out["market_pnl"],
                out["total_pnl"],
            ]
        )
        per_bp = float(out["specialness_cost"].iloc[-1] - out["specialness_cost"].iloc[0]) / (
            float(specials[-1] - specials[0])
        )
        breakeven = float(specials[0]) + float(out["total_pnl"].iloc[0]) / per_bp
        frames.append(
            pd.DataFrame(
                {
                    "entry_pct": int(pct),
                    "specialness_bp": np.repeat(specials, len(_COMPONENTS)),
                    "component": np.tile(_COMPONENTS, specials.size),
                    "usd_mn": parts.ravel() / _MN,
                    "entry_date": entry.isoformat(),
                    "days": (exit_ - entry).days,
                    "entry_spread_bp": float(out["entry_spread_bp"].iloc[0]),
                    "breakeven_bp": breakeven,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def cycle_pnl_chart(grid: pd.DataFrame, *, entry_pct: int, specialness_bp: int) -> alt.LayerChart:
    """Bars of the pair's P&L by component, for an entry age and a specialness on two sliders.

    Parameters
    ----------
    grid : pandas.DataFrame
        From :func:`cycle_pnl_grid`.
    entry_pct, specialness_bp : int
        Slider values shown first; each one of the grid's.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.curves import gsw_curve
    >>> from treasury_rv.onoff import real_pair
    >>> g = cycle_pnl_grid(real_pair(dt.date(2025, 4, 2)), gsw_curve(dt.date(2025, 4, 2)),
    ...                    gc_rate=0.043, entry_pcts=[0, 50], specialness_bps=[0, 50])
    >>> chart = cycle_pnl_chart(g, entry_pct=50, specialness_bp=0)
    """
    cols = ["entry_pct", "specialness_bp", "component", "usd_mn", "entry_date", "days"]
    cols += ["entry_spread_bp", "breakeven_bp"]
    data = chart_frame(grid, cols, "grid")[cols]
    entries = _whole_grid(np.unique(data["entry_pct"]), "grid entry_pct")
    specials = _whole_grid(np.unique(data["specialness_bp"]), "grid specialness_bp")
    age = _slider("entry_pct", entries, _initial(entry_pct, entries, "entry_pct"),
                  "Entry (% of the cycle run)")  # fmt: skip
    spec = _slider("specialness", specials, _initial(specialness_bp, specials, "specialness_bp"),
                   "On-the-run specialness (bp)")  # fmt: skip
    chosen = (alt.datum.entry_pct == alt.expr.round(age)) & (
        alt.datum.specialness_bp == alt.expr.round(spec)
    )
    lo, hi = float(data["usd_mn"].min()), float(data["usd_mn"].max())
    pad = 0.08 * (hi - lo)
    base = alt.Chart(data).transform_filter(chosen)
    bars = base.mark_bar().encode(
        y=alt.Y("component:N", sort=_COMPONENTS, title=None),
        x=alt.X(
            "usd_mn:Q",
            title="P&L to the next issue ($mn)",
            scale=alt.Scale(domain=[min(lo - pad, 0), max(hi + pad, 0)], nice=False),
        ),
        color=alt.condition(alt.datum.usd_mn < 0, alt.value(_VERMILION), alt.value(PALETTE[0])),
        tooltip=[
            alt.Tooltip("component:N", title="Part"),
            alt.Tooltip("usd_mn:Q", title="US$ mn", format=",.3f"),
        ],
    )
    zero = alt.Chart(pd.DataFrame({"usd_mn": [0.0]})).mark_rule(opacity=0.5).encode(x="usd_mn:Q")
    words = base.transform_filter(alt.datum.component == "Total").transform_calculate(
        line1=(
            "'Enter ' + timeFormat(toDate(datum.entry_date + 'T12:00'), '%-d %b %Y')"
            " + ', hold ' + datum.days + ' days'"
        ),
        line2="'Spread at entry ' + format(datum.entry_spread_bp, '.2f') + 'bp'",
        line3=f"'Total ' + {_money_expr('usd_mn')}",
        line4="'Breaks even at ' + format(datum.breakeven_bp, '.0f') + 'bp special'",
    )
    lines = _text_lines(words, ["line1", "line2", "line3", "line4"])
    chart = alt.layer(zero, bars, *lines).add_params(age, spec)
    return chart.properties(width="container", height=190, description=_CYCLE_DESCRIPTION)


_CYCLE_DESCRIPTION = (
    "Bar chart of the on-the-run/off-the-run pair's profit and loss to the next new issue, "
    "split into carry, specialness cost, convergence, market and total, in US dollar millions; "
    "sliders set the entry date in the auction cycle and the on-the-run's repo specialness."
)


# --------------------------------------------------------------------------------------------
# A sudden widening x leverage: equity and the margin call
# --------------------------------------------------------------------------------------------


def widening_grid(
    pair: RealPair,
    settle: dt.date,
    yields: tuple[float, float],
    *,
    widenings_bp: Sequence[int],
    leverages: Sequence[int],
    haircut: float,
    short_face: float = DEFAULT_SHORT_FACE,
) -> pd.DataFrame:
    """Loss, equity, margin call and forced sale of the levered pair over widening x leverage.

    For each leverage ``L`` (gross value of both legs over equity) the fund's equity is the
    gross value over ``L``, and :func:`treasury_rv.onoff.widening_margin` gives what each
    sudden widening of the spread does (the one margin model, :mod:`treasury_rv.leverage`).

    Parameters
    ----------
    pair : RealPair
        The issues.
    settle : datetime.date
        Date of the move.
    yields : pair of float
        Yields (on-the-run, off-the-run) before the move, decimal.
    widenings_bp : sequence of int
        Widenings, basis points, evenly spaced, not negative.
    leverages : sequence of int
        Leverage, times, evenly spaced, from 1 to ``1 / haircut``.
    haircut : float
        Haircut on the gross position, fraction.
    short_face : float, default 100e6
        Face of the short leg, dollars.

    Returns
    -------
    pandas.DataFrame
        One row per (leverage, widening): ``leverage``, ``widening_bp``, ``equity_mn``
        (before), ``loss_mn``, ``equity_left_mn``, ``equity_left_pct``, ``call_mn``,
        ``sale_mn``, ``sale_pct`` (of the gross position) and ``outcome``.

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.onoff import real_pair
    >>> g = widening_grid(real_pair(dt.date(2025, 4, 2)), dt.date(2025, 4, 2),
    ...                   (0.042, 0.0421), widenings_bp=[0, 10], leverages=[10, 100],
    ...                   haircut=0.01)
    >>> g["outcome"].tolist()
    ['no loss', 'spare cash pays the call', 'no loss', 'forced sale']
    """
    if not isinstance(pair, RealPair):
        raise TypeError(f"pair must be a RealPair, got {type(pair).__name__}")
    widen = _whole_grid(widenings_bp, "widenings_bp")
    levs = _whole_grid(leverages, "leverages")
    h = float(check_fraction(as_real(haircut, "haircut"), "haircut"))
    if widen[0] < 0:
        raise ValueError(f"widenings_bp must not be negative, got {widen.tolist()}")
    if levs[0] < 1 or levs[-1] > 1 / h * (1 + 1e-12):
        raise ValueError(
            f"leverages must lie from 1 to 1 / haircut = {1 / h:g}, got {levs.tolist()}"
        )
    if widen.size * levs.size > MAX_ROWS:
        raise ValueError(f"the grid would have more than {MAX_ROWS} rows")
    on, off = pair.on_the_run, pair.first_off_the_run
    gross = float(
        widening_margin(on, off, settle, yields, 0.0, equity=1e12, haircut=h,
                        short_face=short_face)["gross"].iloc[0]
    )  # fmt: skip
    frames = []
    for lev in levs:
        equity = gross / lev
        out = widening_margin(
            on, off, settle, yields, widen.astype(float), equity=equity, haircut=h,
            short_face=short_face,
        )  # fmt: skip
        outcome = np.where(
            out["wiped_out"],
            "equity gone",
            np.where(
                out["sale"] > 0,
                "forced sale",
                np.where(out["call"] > 0, "spare cash pays the call", "no loss"),
            ),
        )
        frames.append(
            pd.DataFrame(
                {
                    "leverage": int(lev),
                    "widening_bp": widen,
                    "equity_mn": equity / _MN,
                    "loss_mn": out["pair_loss"].to_numpy() / _MN,
                    "equity_left_mn": out["equity_after"].to_numpy() / _MN,
                    "equity_left_pct": out["equity_after"].to_numpy() / equity * 100,
                    "call_mn": out["call"].to_numpy() / _MN,
                    "sale_mn": out["sale"].to_numpy() / _MN,
                    "sale_pct": out["sale"].to_numpy() / gross * 100,
                    "outcome": outcome,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def widening_chart(grid: pd.DataFrame, *, leverage: int, widening_bp: int) -> alt.LayerChart:
    """Equity left after a widening, by leverage, with the chosen case spelled out.

    Parameters
    ----------
    grid : pandas.DataFrame
        From :func:`widening_grid`.
    leverage, widening_bp : int
        Slider values shown first; each one of the grid's.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.onoff import real_pair
    >>> g = widening_grid(real_pair(dt.date(2025, 4, 2)), dt.date(2025, 4, 2),
    ...                   (0.042, 0.0421), widenings_bp=[0, 10], leverages=[10, 100],
    ...                   haircut=0.01)
    >>> chart = widening_chart(g, leverage=100, widening_bp=10)
    """
    cols = ["leverage", "widening_bp", "equity_mn", "loss_mn", "equity_left_mn"]
    cols += ["equity_left_pct", "call_mn", "sale_mn", "sale_pct", "outcome"]
    data = chart_frame(grid, cols, "grid")[cols]
    levs = _whole_grid(np.unique(data["leverage"]), "grid leverage")
    widen = _whole_grid(np.unique(data["widening_bp"]), "grid widening_bp")
    lev_p = _slider("leverage", levs, _initial(leverage, levs, "leverage"), "Leverage (×)")
    w_p = _slider("widening", widen, _initial(widening_bp, widen, "widening_bp"),
                  "Sudden widening of the spread (bp)")  # fmt: skip
    at_lev = alt.datum.leverage == alt.expr.round(lev_p)
    chosen = at_lev & (alt.datum.widening_bp == alt.expr.round(w_p))
    x = alt.X("widening_bp:Q", title="Widening of the spread (bp)")
    y = alt.Y(
        "equity_left_pct:Q",
        title="Equity left (% of before)",
        scale=alt.Scale(domain=[float(min(data["equity_left_pct"].min(), 0)), 100], nice=False),
    )
    base = alt.Chart(data).transform_filter(at_lev)
    line = base.mark_line(color=PALETTE[0]).encode(
        x=x,
        y=y,
        tooltip=[
            alt.Tooltip("widening_bp:Q", title="Widening (bp)"),
            alt.Tooltip("equity_left_pct:Q", title="Equity left (%)", format=".0f"),
            alt.Tooltip("outcome:N", title="Outcome"),
        ],
    )
    pick = alt.Chart(data).transform_filter(chosen)
    dot = pick.mark_point(size=110, filled=True, color=_VERMILION).encode(x=x, y=y)
    zero = alt.Chart(pd.DataFrame({"v": [0.0]})).mark_rule(opacity=0.5).encode(y="v:Q")
    gone = "datum.outcome == 'equity gone'"
    words = pick.transform_calculate(
        line1=(
            "datum.leverage + '× on ' + " + _money_expr("equity_mn") + " + ', '"
            " + datum.widening_bp + 'bp wider'"
        ),
        line2=(
            f"'Loss ' + {_money_expr('loss_mn')} + ({gone} ? ': equity gone'"
            " : '; equity left ' + format(datum.equity_left_pct, '.0f') + '%')"
        ),
        line3=(
            f"{gone} ? 'The lender bears the rest' : datum.call_mn > 0"
            f" ? 'Margin call ' + {_money_expr('call_mn')} : 'No margin call'"
        ),
        line4=(
            f"{gone} ? 'Everything is sold' : datum.outcome == 'forced sale'"
            f" ? 'Forced sale ' + {_money_expr('sale_mn')} + ' ('"
            " + format(datum.sale_pct, '.0f') + '% of both legs)'"
            " : datum.call_mn > 0 ? 'Spare cash pays it' : ''"
        ),
    )
    lines = _text_lines(words, ["line1", "line2", "line3", "line4"])
    chart = alt.layer(zero, line, dot, *lines)
    chart = chart.add_params(lev_p, w_p).properties(
        width="container", height=240, description=_WIDENING_DESCRIPTION
    )
    return caption_source(chart, "Illustrative: treasury_rv.onoff.widening_margin")


_WIDENING_DESCRIPTION = (
    "Line chart of the fund's equity left, as a share of its equity before, against a sudden "
    "widening of the on/off-the-run spread in basis points, for a leverage chosen on a "
    "slider; a second slider picks the widening spelled out above the chart."
)
