"""Charts for the swap-spread chapter: the SOFR curve, the SLR's spread and a spread shock.

The three charts: the SOFR curve bootstrapped from par swap rates, the swap spread a dealer
needs under the supplementary leverage ratio, and a spread shock on a levered swap-spread trade.

Each chart comes with the function that makes its data. :func:`curve_grid`,
:func:`breakeven_grid` and :func:`shock_grid` call :mod:`treasury_rv.swaps` over a grid of
inputs and reshape the results into tidy frames; :func:`curve_chart`, :func:`breakeven_chart`
and :func:`shock_chart` draw them with sliders that filter the precomputed grid, so the static
page responds without Python behind it. As in :mod:`treasury_rv.charts.leverage`, every grid
stores each slider's value as a whole-number key (hundredths of the slider's unit), so that
filtering never compares floats.

Rates in the frames are in percent (``_pct``), spreads in basis points (``_bp``) and money in
millions of dollars (``_mn``), the units the charts show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from treasury_rv import fmt, swaps
from treasury_rv._validate import (
    as_date,
    as_float_array,
    as_real,
    check_fraction,
    check_positive,
)
from treasury_rv.charts import MAX_ROWS, PALETTE, chart_frame, check_rows
from treasury_rv.charts.leverage import (
    _grid_values,
    _is_on,
    _key,
    _money_expr,
    _slider_for,
    _text_lines,
)
from treasury_rv.dates import add_months

__all__ = [
    "MAX_ROWS",
    "breakeven_chart",
    "breakeven_grid",
    "curve_chart",
    "curve_grid",
    "shock_chart",
    "shock_grid",
    "spread_term_chart",
    "spread_term_grid",
]

_MN = 1e6

#: Width of each panel of the two-panel curve chart, pixels: with its axis it fits a 342 px
#: phone column (a chart of two panels cannot take the container's width).
PANEL_WIDTH = 260

_VERMILION = PALETTE[1]
_GONE_COLOUR = _VERMILION

#: Legend entries one under another, so a legend never sets the width of a phone-sized chart.
_STACKED = alt.Legend(orient="bottom", direction="vertical", title=None, labelLimit=230)

_ZERO = "Zero rate (continuous)"
_FORWARD = "One-year forward rate (ACT/360)"
_PAR = "Par swap rate (pillars)"


# --------------------------------------------------------------------------------------------
# The bootstrapped curve under a level and slope shift of the par swap rates
# --------------------------------------------------------------------------------------------


def curve_grid(
    trade_date: dt.date,
    tenors_years: Sequence[int],
    par_rates: Sequence[float],
    treasury_yields: Sequence[float],
    *,
    levels_bp: Sequence[float],
    slopes_bp: Sequence[float],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Bootstrapped SOFR curves and swap spreads over a grid of shifts of the par swap rates.

    For each pair (level, slope) the par rate of tenor ``T`` moves by
    ``level + slope x (T - T_1) / (T_n - T_1)`` basis points: the slope adds nothing at the
    shortest tenor and its full size at the longest. The Treasury yields stay where they are,
    so the swap spreads move with the swap rates. Each shifted set of par rates is bootstrapped
    with :meth:`treasury_rv.swaps.SofrCurve.bootstrap`.

    Parameters
    ----------
    trade_date : datetime.date
        Trade date of the swaps, a business day.
    tenors_years : sequence of int
        Swap tenors in whole years, increasing; at least two.
    par_rates : sequence of float
        Par SOFR swap rate of each tenor before any shift, decimal.
    treasury_yields : sequence of float
        Treasury yield of each tenor, decimal (the spreads are swap minus Treasury).
    levels_bp, slopes_bp : sequence of float
        Level and slope shifts, basis points, each evenly spaced (one slider step).

    Returns
    -------
    pillars : pandas.DataFrame
        One row per (level, slope, tenor): ``level_bp``, ``slope_bp``, their keys
        ``level_key`` and ``slope_key`` (hundredths of a bp), ``tenor``, ``par_pct``,
        ``treasury_pct`` and ``spread_bp``.
    curve : pandas.DataFrame
        One row per (level, slope, year, series): the two keys, ``years`` and ``rate_pct``, for
        the series ``"Zero rate (continuous)"`` (to each whole year, ACT/365F) and
        ``"One-year forward rate (ACT/360)"`` (from each whole year to the next, at the year it
        starts; the last one is repeated at the last year, where its step ends).

    Examples
    --------
    >>> import datetime as dt
    >>> pillars, curve = curve_grid(dt.date(2025, 4, 2), [1, 2, 5], [0.040, 0.039, 0.038],
    ...                             [0.041, 0.040, 0.040], levels_bp=[0, 10], slopes_bp=[0])
    >>> pillars.loc[pillars["level_bp"] == 10, "spread_bp"].round(6).tolist()
    [0.0, 0.0, -10.0]
    """
    trade = as_date(trade_date, "trade_date")
    tenors = np.ravel(np.asarray(tenors_years))
    par = np.ravel(as_float_array(par_rates, "par_rates"))
    tsy = np.ravel(as_float_array(treasury_yields, "treasury_yields"))
    if tenors.size < 2:
        raise ValueError("tenors_years must hold at least two tenors")
    if not par.size == tsy.size == tenors.size:
        raise ValueError(
            f"tenors_years, par_rates and treasury_yields must have the same length, got "
            f"{tenors.size}, {par.size} and {tsy.size}"
        )
    levels = _grid_values(levels_bp, "levels_bp")
    slopes = _grid_values(slopes_bp, "slopes_bp")
    years = np.arange(1, int(tenors[-1]) + 1)
    check_rows(levels.size * slopes.size * 2 * years.size, "curve_grid")
    check_rows(levels.size * slopes.size * tenors.size, "curve_grid pillars")
    dates = [add_months(trade, 12 * int(k)) for k in years]
    starts = [trade, *dates[:-1]]
    weight = (tenors - tenors[0]) / (tenors[-1] - tenors[0])

    pillar_frames, curve_frames = [], []
    for level in levels:
        for slope in slopes:
            shifted = par + (level + slope * weight) / 1e4
            built = swaps.SofrCurve.bootstrap(trade, tenors, shifted)
            keys = {"level_key": int(_key(level)), "slope_key": int(_key(slope))}
            pillar_frames.append(
                pd.DataFrame(
                    {
                        "level_bp": level,
                        "slope_bp": slope,
                        **keys,
                        "tenor": tenors.astype(int),
                        "par_pct": shifted * 100,
                        "treasury_pct": tsy * 100,
                        "spread_bp": swaps.swap_spread_bp(shifted, tsy),
                    }
                )
            )
            forward = built.forward_rate(starts, dates)
            for series, shown, values in (
                (_ZERO, years, built.zero_rate(dates)),
                # The last forward is repeated at the last year, where its step ends.
                (_FORWARD, np.append(years - 1, years[-1]), np.append(forward, forward[-1])),
            ):
                curve_frames.append(
                    pd.DataFrame(
                        {**keys, "years": shown, "rate_pct": values * 100, "series": series}
                    )
                )
    pillars = pd.concat(pillar_frames, ignore_index=True)
    curve = pd.concat(curve_frames, ignore_index=True)
    return pillars.round(6), curve.round(6)


def curve_chart(
    pillars: pd.DataFrame,
    curve: pd.DataFrame,
    *,
    level_bp: float | None = None,
    slope_bp: float | None = None,
) -> alt.VConcatChart:
    """The bootstrapped curve (top) and the swap spreads (bottom), with level and slope sliders.

    Parameters
    ----------
    pillars, curve : pandas.DataFrame
        The two frames of :func:`curve_grid`.
    level_bp, slope_bp : float, optional
        Shifts shown first, basis points; each one of the grid's (default: the middle one).

    Returns
    -------
    altair.VConcatChart
        Top: the zero and one-year forward curves as lines and the par swap rates as points,
        by maturity. Bottom: the swap spread of each tenor as bars. Two sliders under it.

    Examples
    --------
    >>> import datetime as dt
    >>> data = curve_grid(dt.date(2025, 4, 2), [1, 2, 5], [0.040, 0.039, 0.038],
    ...                   [0.041, 0.040, 0.040], levels_bp=[0, 10], slopes_bp=[0, 5])
    >>> chart = curve_chart(*data, level_bp=0, slope_bp=0)
    """
    p_cols = ["level_bp", "slope_bp", "level_key", "slope_key", "tenor", "par_pct"]
    p_cols += ["treasury_pct", "spread_bp"]
    c_cols = ["level_key", "slope_key", "years", "rate_pct", "series"]
    pillars = chart_frame(pillars, p_cols, "pillars")[p_cols]
    curve = chart_frame(curve, c_cols, "curve")[c_cols]
    levels = _grid_values(np.unique(pillars["level_bp"]), "pillars level_bp")
    slopes = _grid_values(np.unique(pillars["slope_bp"]), "pillars slope_bp")
    lvl, _ = _slider_for(levels, "level", "Level shift of swap rates (bp)", level_bp, "level_bp")
    slp, _ = _slider_for(slopes, "slope", "Slope shift, 30y vs 1y (bp)", slope_bp, "slope_bp")
    on = f"{_is_on(lvl, 'level_key')} && {_is_on(slp, 'slope_key')}"

    rates = pd.concat([pillars["par_pct"], curve["rate_pct"]])
    pad = 0.05 * (rates.max() - rates.min())
    x = alt.X(
        "years:Q", title="Maturity (years)", scale=alt.Scale(domain=[0, curve["years"].max()])
    )
    y = alt.Y(
        "rate_pct:Q",
        title="Rate (%)",
        scale=alt.Scale(domain=[rates.min() - pad, rates.max() + pad], nice=False, zero=False),
    )
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(domain=[_ZERO, _FORWARD, _PAR], range=[PALETTE[0], PALETTE[2], _VERMILION]),
        legend=_STACKED,
    )
    tip = [
        alt.Tooltip("series:N", title="Series"),
        alt.Tooltip("years:Q", title="Years"),
        alt.Tooltip("rate_pct:Q", title="Rate (%)", format=".3f"),
    ]
    shown = alt.Chart(curve).transform_filter(on)
    # Zero rates change smoothly; a one-year forward rate holds for its whole year.
    zero_line = shown.transform_filter(f"datum.series == '{_ZERO}'").mark_line()
    forward_line = shown.transform_filter(f"datum.series == '{_FORWARD}'").mark_line(
        interpolate="step-after"
    )
    lines = [m.encode(x=x, y=y, color=colour, tooltip=tip) for m in (zero_line, forward_line)]
    dots = (
        alt.Chart(pillars)
        .transform_filter(on)
        .transform_calculate(series=f"'{_PAR}'", years="datum.tenor", rate_pct="datum.par_pct")
        .mark_point(size=70, filled=True, opacity=1)
        .encode(
            x=x,
            y=y,
            color=colour,
            tooltip=[
                alt.Tooltip("tenor:Q", title="Tenor (years)"),
                alt.Tooltip("par_pct:Q", title="Par swap rate (%)", format=".3f"),
                alt.Tooltip("treasury_pct:Q", title="Treasury yield (%)", format=".3f"),
            ],
        )
    )
    top = alt.layer(*lines, dots).properties(
        width=PANEL_WIDTH, height=220, title="SOFR curve from par swap rates"
    )

    spreads = pillars["spread_bp"]
    s_pad = 0.05 * (spreads.max() - spreads.min())
    bars = (
        alt.Chart(pillars)
        .transform_filter(on)
        .mark_bar(color=PALETTE[0])
        .encode(
            x=alt.X("tenor:O", title="Tenor (years)", axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "spread_bp:Q",
                title="Swap spread (bp)",
                scale=alt.Scale(
                    domain=[min(spreads.min() - s_pad, 0), max(spreads.max() + s_pad, 0)],
                    nice=False,
                ),
            ),
            tooltip=[
                alt.Tooltip("tenor:O", title="Tenor (years)"),
                alt.Tooltip("spread_bp:Q", title="Swap spread (bp)", format=".1f"),
                alt.Tooltip("par_pct:Q", title="Swap rate (%)", format=".3f"),
                alt.Tooltip("treasury_pct:Q", title="Treasury yield (%)", format=".3f"),
            ],
        )
        .properties(width=PANEL_WIDTH, height=150, title="Swap spread (swap − Treasury)")
    )
    return alt.vconcat(top, bars, description=_CURVE_DESCRIPTION).add_params(lvl, slp)


_CURVE_DESCRIPTION = (
    "Two charts. Top: a SOFR curve bootstrapped from par swap rates, with the zero rates and "
    "one-year forward rates as lines and the par swap rates as points, by maturity. Bottom: the "
    "swap spread of each tenor against the Treasury yield, as bars. Sliders shift the par swap "
    "rates in level and in slope."
)


# --------------------------------------------------------------------------------------------
# The spread a dealer needs under the supplementary leverage ratio
# --------------------------------------------------------------------------------------------


def breakeven_grid(
    slrs: Sequence[float],
    returns_on_capital: Sequence[float],
    *,
    repo_minus_sofr_bp: float = 0.0,
) -> pd.DataFrame:
    """Balance-sheet cost and breakeven swap spread over a grid of SLRs and returns on capital.

    Calls :func:`treasury_rv.swaps.balance_sheet_cost_bp` and
    :func:`treasury_rv.swaps.dealer_breakeven_spread_bp`. Illustrative model.

    Parameters
    ----------
    slrs : sequence of float
        Leverage-ratio requirements, fractions in [0, 1), evenly spaced (0.0025 steps for a
        quarter of a percentage point).
    returns_on_capital : sequence of float
        Annual returns required on capital, fractions in [0, 1), evenly spaced.
    repo_minus_sofr_bp : float, default 0
        The dealer's repo rate less SOFR, bp.

    Returns
    -------
    pandas.DataFrame
        One row per pair: ``slr_pct``, ``roc_pct``, their keys ``slr_key`` and ``roc_key``
        (hundredths of a percent), ``cost_bp`` and ``breakeven_bp``.

    Examples
    --------
    >>> grid = breakeven_grid([0.0, 0.05], [0.10])
    >>> grid["breakeven_bp"].round(6).tolist()
    [-0.0, -50.0]
    """
    slr = _grid_values(check_fraction(slrs, "slrs", allow_zero=True), "slrs", 100)
    roc = _grid_values(
        check_fraction(returns_on_capital, "returns_on_capital", allow_zero=True),
        "returns_on_capital",
        100,
    )
    spread = as_real(repo_minus_sofr_bp, "repo_minus_sofr_bp")
    check_rows(slr.size * roc.size, "breakeven_grid")
    s, r = (a.ravel() for a in np.meshgrid(slr, roc, indexing="ij"))
    frame = pd.DataFrame(
        {
            "slr_pct": s * 100,
            "roc_pct": r * 100,
            "slr_key": _key(s * 100),
            "roc_key": _key(r * 100),
            "cost_bp": swaps.balance_sheet_cost_bp(s, r),
            "breakeven_bp": swaps.dealer_breakeven_spread_bp(s, r, repo_minus_sofr_bp=spread),
        }
    )
    return frame.round(6)


def _rule_points(rules: Sequence[swaps.SlrRule]) -> pd.DataFrame:
    """One row per requirement a rule sets on Treasuries: its name, who it binds, the level."""
    rows = []
    for rule in rules:
        if not isinstance(rule, swaps.SlrRule):
            raise TypeError(f"rules must hold SlrRule entries, got {type(rule).__name__}")
        label = rule.name
        for who, (low, high) in (("holding companies", rule.holding_company), ("banks", rule.bank)):
            for level in sorted({low, high}):
                on_treasuries = 0.0 if rule.treasuries_excluded else level
                rows.append(
                    {
                        "rule": label,
                        "who": who,
                        "requirement_pct": level * 100,
                        "slr_key": int(_key(on_treasuries * 100)),
                    }
                )
    return pd.DataFrame(rows).drop_duplicates(["rule", "slr_key"])


def breakeven_chart(
    grid: pd.DataFrame,
    rules: Sequence[swaps.SlrRule],
    *,
    slr_pct: float | None = None,
    roc_pct: float | None = None,
) -> alt.LayerChart:
    """The breakeven swap spread against the SLR requirement, for a chosen return on capital.

    Parameters
    ----------
    grid : pandas.DataFrame
        Output of :func:`breakeven_grid`.
    rules : sequence of treasury_rv.swaps.SlrRule
        The rules to mark (e.g. :data:`treasury_rv.swaps.SLR_RULES`); each requirement they set
        on Treasuries must be on the grid (an exclusion counts as 0%).
    slr_pct, roc_pct : float, optional
        Requirement and return on capital shown first, percent; each one of the grid's.

    Returns
    -------
    altair.LayerChart
        The breakeven spread as a line, the rules' requirements as coloured points on it, the
        chosen requirement as a larger point with two lines of text, and two sliders.

    Examples
    --------
    >>> from treasury_rv.swaps import SLR_RULES
    >>> grid = breakeven_grid([i / 400 for i in range(33)], [0.05, 0.10, 0.15])
    >>> chart = breakeven_chart(grid, SLR_RULES, slr_pct=5.0, roc_pct=10.0)
    """
    cols = ["slr_pct", "roc_pct", "slr_key", "roc_key", "cost_bp", "breakeven_bp"]
    data = chart_frame(grid, cols, "grid")[cols]
    slrs = _grid_values(np.unique(data["slr_pct"]), "grid slr_pct")
    rocs = _grid_values(np.unique(data["roc_pct"]), "grid roc_pct")
    slr_p, _ = _slider_for(slrs, "slr", "Leverage-ratio requirement (%)", slr_pct, "slr_pct")
    roc_p, _ = _slider_for(rocs, "roc", "Return on capital (%)", roc_pct, "roc_pct")
    points = _rule_points(rules)
    missing = set(points["slr_key"]) - set(data["slr_key"])
    if missing:
        raise ValueError(
            f"rules set requirements not on the grid: {sorted(k / 100 for k in missing)}%"
        )
    marked = points.merge(data, on="slr_key")
    roc_on = _is_on(roc_p, "roc_key")

    low = min(data["breakeven_bp"].min(), 0.0)
    x = alt.X("slr_pct:Q", title="SLR requirement on Treasuries (%)")
    y = alt.Y(
        "breakeven_bp:Q",
        title="Breakeven swap spread (bp)",
        scale=alt.Scale(domain=[low * 1.05, 0], nice=False),
    )
    base = alt.Chart(data).transform_filter(roc_on)
    line = base.mark_line(color=PALETTE[0]).encode(
        x=x,
        y=y,
        tooltip=[
            alt.Tooltip("slr_pct:Q", title="Requirement (%)", format=".2f"),
            alt.Tooltip("roc_pct:Q", title="Return on capital (%)", format=".0f"),
            alt.Tooltip("breakeven_bp:Q", title="Breakeven spread (bp)", format=".1f"),
        ],
    )
    rule_marks = (
        alt.Chart(marked)
        .transform_filter(roc_on)
        .mark_point(size=90, filled=True, opacity=1, shape="diamond")
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "rule:N",
                scale=alt.Scale(range=[PALETTE[3], PALETTE[2], PALETTE[4]]),
                legend=_STACKED,
            ),
            tooltip=[
                alt.Tooltip("rule:N", title="Rule"),
                alt.Tooltip("who:N", title="Applies to"),
                alt.Tooltip("requirement_pct:Q", title="Requirement (%)", format=".2f"),
                alt.Tooltip("breakeven_bp:Q", title="Breakeven spread (bp)", format=".1f"),
            ],
        )
    )
    chosen = base.transform_filter(_is_on(slr_p, "slr_key"))
    dot = chosen.mark_point(size=160, filled=False, strokeWidth=3, color=_VERMILION).encode(
        x=x, y=y
    )
    words = chosen.transform_calculate(
        line1=(
            "'Capital ' + format(datum.slr_pct, '.2f') + '% × ' + format(datum.roc_pct, '.0f')"
            " + '% = ' + format(datum.cost_bp, '.0f') + 'bp a year'"
        ),
        line2=(
            f"'Breakeven spread ' + (datum.breakeven_bp < 0 ? '{fmt.MINUS}' : '')"
            " + format(abs(datum.breakeven_bp), '.0f') + 'bp or below'"
        ),
    )
    chart = alt.layer(line, rule_marks, dot, *_text_lines(words, ["line1", "line2"]))
    chart = chart.add_params(slr_p, roc_p).properties(
        width="container",
        height=260,
        description=(
            "Line chart: the swap spread at which a bank is paid for the capital a Treasury "
            "uses under the supplementary leverage ratio, against the ratio's requirement, with "
            "the requirements of the 2014, 2020 and 2025 rules marked. Sliders set the "
            "requirement and the return on capital."
        ),
    )
    return chart


# --------------------------------------------------------------------------------------------
# A spread shock on a levered swap-spread trade
# --------------------------------------------------------------------------------------------


def shock_grid(
    position: float,
    dv01: float,
    haircut: float,
    initial_margin: float,
    *,
    spread_moves_bp: Sequence[float],
    leverages: Sequence[float],
) -> pd.DataFrame:
    """Loss, margin call and forced sale of a swap-spread trade over spread moves and leverage.

    For each leverage ``L`` the fund's equity is ``position / L``; each spread move goes
    through :func:`treasury_rv.swaps.vm_call`: the loss is called as variation margin, spare
    cash pays first, and the rest is raised by cutting the trade, which frees the repo haircut
    and releases the swap's initial margin pro rata. Illustrative.

    Parameters
    ----------
    position : float
        Market value of the Treasury, dollars, positive.
    dv01 : float
        DV01 of each (matched) leg, dollars per bp, positive.
    haircut : float
        Repo haircut on the Treasury, a fraction in [0, 1).
    initial_margin : float
        Initial margin on the swap, dollars, not negative.
    spread_moves_bp : sequence of float
        Changes in the swap spread, bp, evenly spaced (negative: the spread falls).
    leverages : sequence of float
        Position / equity, evenly spaced, each from 1 to the most the margins allow,
        ``position / (haircut x position + initial_margin)``.

    Returns
    -------
    pandas.DataFrame
        One row per (leverage, move): ``leverage``, ``lev_key``, ``move_bp``, ``move_key``,
        ``loss_mn`` (positive for a loss), ``equity_mn``, ``equity_left_mn``,
        ``equity_left_pct`` (of the starting equity), ``call_mn``, ``spare_mn``, ``sale_mn``,
        ``sale_pct`` (of the position after the move) and ``zone``: ``"cash pays the call"``,
        ``"forced sale"``, ``"no call"`` (the spread rose) or ``"equity gone"``.

    Examples
    --------
    >>> grid = shock_grid(100e6, 85_000.0, 0.0, 1.275e6, spread_moves_bp=[-20.0, -5.0],
    ...                   leverages=[40.0, 50.0])
    >>> grid.loc[grid["leverage"] == 50, "sale_mn"].round(1).tolist()
    [75.2, 0.0]
    """
    p = float(check_positive(as_real(position, "position"), "position"))
    moves = _grid_values(spread_moves_bp, "spread_moves_bp")
    levs = _grid_values(leverages, "leverages")
    ceiling = p / (haircut * p + initial_margin) if haircut * p + initial_margin > 0 else np.inf
    if levs[0] < 1 or levs[-1] > ceiling * (1 + 1e-12):
        raise ValueError(
            f"leverages must lie between 1 and the most the margins allow, {ceiling:.4g}, got "
            f"{levs[0]:g} to {levs[-1]:g}"
        )
    check_rows(levs.size * moves.size, "shock_grid")
    frames = []
    for lev in levs:
        equity = p / lev
        out = swaps.vm_call(
            moves, position=p, equity=equity, dv01=dv01, haircut=haircut,
            initial_margin=initial_margin,
        )  # fmt: skip
        sale = out["sale"].to_numpy()
        held = p - out["loss"].to_numpy()  # the note after the move
        gone = out["equity_after"].to_numpy() <= 0
        sale = np.where(gone, np.maximum(held, 0.0), sale)
        zone = np.where(
            gone,
            "equity gone",
            np.where(
                sale > 0,
                "forced sale",
                np.where(out["call"] > 0, "cash pays the call", "no call"),
            ),
        )
        frames.append(
            pd.DataFrame(
                {
                    "leverage": lev,
                    "lev_key": int(_key(lev)),
                    "move_bp": moves,
                    "move_key": _key(moves),
                    "loss_mn": out["loss"].to_numpy() / _MN,
                    "equity_mn": equity / _MN,
                    "equity_left_mn": out["equity_after"].to_numpy() / _MN,
                    "equity_left_pct": out["equity_after"].to_numpy() / equity * 100,
                    "call_mn": out["call"].to_numpy() / _MN,
                    "spare_mn": out["spare_cash"].to_numpy() / _MN,
                    "sale_mn": sale / _MN,
                    "sale_pct": np.where(held > 0, sale / np.where(held > 0, held, 1) * 100, 0.0),
                    "zone": zone,
                }
            )
        )
    return pd.concat(frames, ignore_index=True).round(6)


def shock_chart(
    grid: pd.DataFrame, *, spread_move_bp: float | None = None, leverage: float | None = None
) -> alt.LayerChart:
    """Equity left after a spread move, by move, at the leverage the slider picks.

    Parameters
    ----------
    grid : pandas.DataFrame
        Output of :func:`shock_grid`.
    spread_move_bp : float, optional
        Spread move shown first, bp; one of the grid's (default: the middle one).
    leverage : float, optional
        Leverage shown first; one of the grid's (default: the middle one).

    Returns
    -------
    altair.LayerChart
        Equity left (% of the starting equity) against the spread move as a line with points
        coloured by outcome, the chosen move outlined, five lines of text about it, and two
        sliders.

    Examples
    --------
    >>> grid = shock_grid(100e6, 85_000.0, 0.0, 1.275e6, spread_moves_bp=[-10.0, -5.0, 0.0],
    ...                   leverages=[30.0, 40.0])
    >>> chart = shock_chart(grid, spread_move_bp=-5, leverage=30)
    """
    cols = ["leverage", "lev_key", "move_bp", "move_key", "loss_mn", "equity_mn"]
    cols += ["equity_left_mn", "equity_left_pct", "call_mn", "spare_mn", "sale_mn", "sale_pct"]
    cols += ["zone"]
    data = chart_frame(grid, cols, "grid")[cols]
    levs = _grid_values(np.unique(data["leverage"]), "grid leverage")
    moves = _grid_values(np.unique(data["move_bp"]), "grid move_bp")
    lev_p, _ = _slider_for(levs, "leverage", "Leverage (×)", leverage, "leverage")
    move_p, _ = _slider_for(
        moves, "move", "Change in the swap spread (bp)", spread_move_bp, "spread_move_bp"
    )
    lev_on = _is_on(lev_p, "lev_key")

    low = min(data["equity_left_pct"].min(), 0.0)
    high = max(data["equity_left_pct"].max(), 100.0)
    x = alt.X("move_bp:Q", title="Change in the swap spread (bp)")
    y = alt.Y(
        "equity_left_pct:Q",
        title="Equity left (% of the start)",
        scale=alt.Scale(domain=[low - 5, high + 5], nice=False),
    )
    base = alt.Chart(data).transform_filter(lev_on)
    zones = ["no call", "cash pays the call", "forced sale", "equity gone"]
    tip = [
        alt.Tooltip("move_bp:Q", title="Spread change (bp)"),
        alt.Tooltip("zone:N", title="Outcome"),
        alt.Tooltip("equity_left_pct:Q", title="Equity left (%)", format=".0f"),
        alt.Tooltip("call_mn:Q", title="Margin call ($mn)", format=",.2f"),
        alt.Tooltip("sale_mn:Q", title="Forced sale ($mn)", format=",.1f"),
    ]
    line = base.mark_line(color="#8A939C").encode(x=x, y=y)
    dots = base.mark_point(size=60, filled=True, opacity=1).encode(
        x=x,
        y=y,
        color=alt.Color(
            "zone:N",
            scale=alt.Scale(domain=zones, range=[PALETTE[2], PALETTE[0], PALETTE[3], _GONE_COLOUR]),
            legend=_STACKED,
        ),
        tooltip=tip,
    )
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(strokeDash=[4, 3]).encode(y="y:Q")
    chosen = base.transform_filter(_is_on(move_p, "move_key"))
    ring = chosen.mark_point(size=220, filled=False, strokeWidth=3, color=_VERMILION).encode(
        x=x, y=y
    )
    gone = "datum.zone == 'equity gone'"
    words = chosen.transform_calculate(pnl_size_mn="abs(datum.loss_mn)").transform_calculate(
        line1=(
            "format(datum.leverage, '.0f') + '×, spread ' + format(datum.move_bp, '+.0f')"
            f" + 'bp: P&L ' + (datum.loss_mn > 0 ? '{fmt.MINUS}' : '+')"
            f" + {_money_expr('pnl_size_mn')}"
        ),
        line2=(
            f"{gone} ? 'Equity gone: the fund fails'"
            f" : 'Equity left ' + {_money_expr('equity_left_mn')}"
            " + ' (' + format(datum.equity_left_pct, '.0f') + '%)'"
        ),
        line3=(
            f"{gone} ? 'Its lenders bear the rest'"
            " : datum.zone == 'no call' ? 'No margin call'"
            f" : 'Margin call ' + {_money_expr('call_mn')}"
        ),
        line4=(
            f"{gone} || datum.zone == 'no call' ? '' : 'Spare cash ' + {_money_expr('spare_mn')}"
        ),
        line5=(
            f"{gone} ? '' : datum.zone == 'forced sale'"
            f" ? 'Forced sale ' + {_money_expr('sale_mn')}"
            " + ' (' + format(datum.sale_pct, '.0f') + '%)'"
            " : ''"
        ),
    )
    text = _text_lines(words, ["line1", "line2", "line3", "line4", "line5"])
    layers = [zero, line, dots, ring, *text]
    chart = alt.layer(*layers).add_params(lev_p, move_p)
    return chart.properties(
        width="container",
        height=260,
        description=(
            "Line chart: the equity a levered swap spread trade keeps after the spread moves, "
            "for a range of moves, with points coloured by whether spare cash pays the margin "
            "call, a forced sale is needed, or the equity is gone. Sliders set the leverage and "
            "the move described above the chart."
        ),
    )


# --------------------------------------------------------------------------------------------
# The term structure of swap spreads: matched maturity and to the benchmark swap
# --------------------------------------------------------------------------------------------

_MATCHED = "Matched maturity (swap interpolated to the note)"
_BENCHMARK = "To the benchmark swap (whole-year tenor)"


def spread_term_grid(
    curve: swaps.SofrCurve,
    trade_date: dt.date,
    notes: pd.DataFrame,
) -> pd.DataFrame:
    """Swap spreads of a set of Treasuries, matched-maturity and to the benchmark swap.

    For each note the matched-maturity spread uses
    :func:`treasury_rv.swaps.matched_maturity_spread_bp`; the spread to the benchmark uses the
    par rate of the whole-year swap of the note's benchmark tenor
    (:func:`treasury_rv.swaps.ois_par_rate`). Illustrative when the curve is.

    Parameters
    ----------
    curve : treasury_rv.swaps.SofrCurve
        The SOFR curve.
    trade_date : datetime.date
        Trade date.
    notes : pandas.DataFrame
        One row per note: ``label`` (str), ``maturity`` (datetime.date), ``tenor`` (the
        benchmark swap's whole years) and ``yield`` (decimal).

    Returns
    -------
    pandas.DataFrame
        Long table, two rows per note: ``label``, ``years`` (ACT/365 from the trade date to
        maturity), ``tenor``, ``series`` and ``spread_bp``.

    Examples
    --------
    >>> import datetime as dt
    >>> trade = dt.date(2025, 4, 2)
    >>> curve = swaps.SofrCurve.bootstrap(trade, [9, 10], [0.0360, 0.0370])
    >>> notes = pd.DataFrame({"label": ["Nov-34"], "maturity": [dt.date(2034, 11, 15)],
    ...                       "tenor": [10], "yield": [0.0422]})
    >>> spread_term_grid(curve, trade, notes)["spread_bp"].round(1).tolist()
    [-55.8, -52.0]
    """
    data = chart_frame(notes, ["label", "maturity", "tenor", "yield"], "notes")
    check_rows(2 * len(data), "spread_term_grid")
    rows = []
    named = data[["label", "maturity", "tenor", "yield"]].rename(columns={"yield": "yld"})
    for note in named.itertuples(index=False):
        matched = swaps.matched_maturity_spread_bp(curve, trade_date, note.maturity, note.yld)
        bench_rate = swaps.ois_par_rate(curve, trade_date, int(note.tenor))
        bench = swaps.swap_spread_bp(bench_rate, note.yld)
        years = (note.maturity - trade_date).days / 365.0
        for series, value in ((_MATCHED, matched), (_BENCHMARK, bench)):
            rows.append(
                {
                    "label": str(note.label),
                    "years": years,
                    "tenor": int(note.tenor),
                    "series": series,
                    "spread_bp": float(value),
                }
            )
    return pd.DataFrame(rows)


def spread_term_chart(grid: pd.DataFrame) -> alt.LayerChart:
    """The term structure of swap spreads: both definitions against the notes' maturities.

    Parameters
    ----------
    grid : pandas.DataFrame
        Output of :func:`spread_term_grid`.

    Returns
    -------
    altair.LayerChart
        Lines with points, one colour per definition, spread (bp) against years to maturity,
        with a tooltip naming each note and its benchmark swap.

    Examples
    --------
    >>> import datetime as dt
    >>> trade = dt.date(2025, 4, 2)
    >>> curve = swaps.SofrCurve.bootstrap(trade, [9, 10], [0.0360, 0.0370])
    >>> notes = pd.DataFrame({"label": ["Nov-34"], "maturity": [dt.date(2034, 11, 15)],
    ...                       "tenor": [10], "yield": [0.0422]})
    >>> chart = spread_term_chart(spread_term_grid(curve, trade, notes))
    """
    cols = ["label", "years", "tenor", "series", "spread_bp"]
    data = chart_frame(grid, cols, "grid")[cols]
    unknown = set(data["series"]) - {_MATCHED, _BENCHMARK}
    if unknown:
        raise ValueError(f"grid has series the chart does not draw: {sorted(unknown)}")
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(domain=[_MATCHED, _BENCHMARK], range=[PALETTE[0], PALETTE[1]]),
        legend=_STACKED,
    )
    base = alt.Chart(data).encode(
        x=alt.X("years:Q", title="Years to maturity"),
        y=alt.Y("spread_bp:Q", title="Swap spread (bp)"),
        color=colour,
        tooltip=[
            alt.Tooltip("label:N", title="Note"),
            alt.Tooltip("tenor:Q", title="Benchmark swap (years)"),
            alt.Tooltip("series:N", title="Spread"),
            alt.Tooltip("spread_bp:Q", title="Spread (bp)", format=".1f"),
        ],
    )
    chart = alt.layer(base.mark_line(), base.mark_point(filled=True, size=50))
    return chart.properties(
        width="container",
        height=240,
        description=(
            "Line chart: swap spreads of Treasury notes against their years to maturity, "
            "measured two ways: against a swap interpolated to each note's maturity, and "
            "against the whole-year benchmark swap."
        ),
    )
