"""Charts of the crises chapter: episode timelines, the episodes side by side, interventions.

Each builder takes a tidy DataFrame and returns an Altair chart whose controls work on the
static page: :func:`timeline_chart` shows the cited yields of the episode a drop-down picks,
with the illustrative model's path for that episode under them; :func:`comparison_chart`
sets the episodes side by side, one small bar panel per measure; :func:`intervention_chart`
reads forced sales and the yield move off a precomputed grid of leverage, shock and
intervention size with three sliders. The grids store every slider's value as a whole number
(times, basis points, billions of dollars), so the filters compare integers.

The frames that feed the charts come from :mod:`treasury_rv.episodes`; :func:`comparison_frame`
turns its table of episodes into the side-by-side chart's rows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from treasury_rv import fmt
from treasury_rv.charts import MAX_ROWS, PALETTE, caption_source, chart_frame, select, slider

__all__ = [
    "MAX_ROWS",
    "MEASURES",
    "PLOT_WIDTH",
    "STATUSES",
    "comparison_chart",
    "comparison_frame",
    "intervention_chart",
    "timeline_chart",
    "written",
]

#: Width of each panel of the multi-panel charts, pixels (they cannot take the container's
#: width, and must fit a 390 px phone screen with their axis titles).
PLOT_WIDTH = 250

_VERMILION = PALETTE[1]
_ORANGE = PALETTE[3]
_STACKED = alt.Legend(orient="bottom", direction="vertical", title=None, labelLimit=260)
_DATE_AXIS = alt.Axis(format="%-d %b %Y", labelAngle=-35, tickCount=5, title=None)


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------


def _frame(data: object, columns: Sequence[str], name: str) -> pd.DataFrame:
    """A copy of ``columns`` of ``data``, checked by :func:`~treasury_rv.charts.chart_frame`."""
    return chart_frame(data, columns, name)[list(columns)].copy()


def _whole_steps(values: object, name: str) -> np.ndarray:
    """Sorted distinct whole numbers, evenly spaced (a slider can only step evenly)."""
    arr = np.unique(np.asarray(values, dtype=float))
    if not np.all(np.isfinite(arr)) or not np.allclose(arr, np.round(arr)):
        raise ValueError(f"{name} must hold whole numbers, got {arr.tolist()}")
    arr = np.round(arr).astype(int)
    if arr.size < 2:
        raise ValueError(f"{name} needs at least two values for a slider, got {arr.tolist()}")
    if np.unique(np.diff(arr)).size != 1:
        raise ValueError(f"{name} must be evenly spaced (one slider step), got {arr.tolist()}")
    return arr


def _initial(value: object, values: np.ndarray, name: str) -> int:
    """The slider's first position: ``value`` if it is on the grid (default the middle)."""
    if value is None:
        return int(values[len(values) // 2])
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if not np.any(values == value):
        raise ValueError(f"{name} must be one of the grid's values {values.tolist()}, got {value}")
    return int(value)


def _iso(dates: pd.Series, name: str) -> list[str]:
    """Dates as ISO strings for Vega-Lite, which reads them as UTC midnight."""
    out = []
    for d in dates:
        if not isinstance(d, dt.date):
            raise TypeError(f"{name} must hold datetime.date values, got {type(d).__name__}")
        out.append(d.isoformat())
    return out


# --------------------------------------------------------------------------------------------
# An episode's timeline and its model path
# --------------------------------------------------------------------------------------------


def timeline_chart(
    yields: pd.DataFrame,
    paths: pd.DataFrame,
    *,
    episode: str,
    labels: Mapping[str, str],
    source: str,
    step_title: str = "Round of forced selling (0 = before the shock)",
    events: pd.DataFrame | None = None,
) -> alt.VConcatChart:
    """An episode's cited yields by date, and the model's price path, picked with a drop-down.

    Parameters
    ----------
    yields : pandas.DataFrame
        One row per (episode, date, series): ``episode`` (key), ``date``
        (``datetime.date``), ``series`` (what the line is, e.g. "10-year close") and
        ``value_pct`` (percent).
    paths : pandas.DataFrame
        One row per (episode, scenario, step): ``episode``, ``scenario`` (e.g. "no
        intervention"), ``step`` (whole number) and ``price`` (index, 100 before the shock).
        An illustrative model's output.
    episode : str
        The episode shown first; a key of ``labels``.
    labels : mapping of str to str
        Episode key to the name the drop-down shows, in the drop-down's order; every episode
        in ``yields`` and ``paths`` must have one.
    source : str
        The source line under the chart (the yields' sources and the model's label).
    step_title : str, optional
        Title of the lower panel's horizontal axis.
    events : pandas.DataFrame, optional
        Dated events to mark on the upper panel as vertical rules, one row per event:
        ``episode``, ``date`` (``datetime.date``) and ``event`` (what happened, shown on
        hover), as :func:`treasury_rv.episodes.official_timeline` gives them.

    Returns
    -------
    altair.VConcatChart
        Top: lines and points of the yields against date; bottom: the model's price index
        by step, one line per scenario; a drop-down that picks the episode for both when
        ``labels`` names more than one (with one episode, no control).

    Examples
    --------
    >>> import datetime as dt
    >>> import pandas as pd
    >>> y = pd.DataFrame({"episode": "a", "date": [dt.date(2020, 3, 9), dt.date(2020, 3, 18)],
    ...                   "series": "10-year close", "value_pct": [0.54, 1.18]})
    >>> p = pd.DataFrame({"episode": "a", "scenario": "no intervention", "step": [0, 1],
    ...                   "price": [100.0, 99.5]})
    >>> chart = timeline_chart(y, p, episode="a", labels={"a": "March 2020"}, source="FRED")
    """
    ys = _frame(yields, ["episode", "date", "series", "value_pct"], "yields")
    ps = _frame(paths, ["episode", "scenario", "step", "price"], "paths")
    names = dict(labels)
    if not names:
        raise ValueError("labels must name at least one episode")
    unknown = sorted((set(ys["episode"]) | set(ps["episode"])) - set(names))
    if unknown:
        raise ValueError(f"labels has no entry for the episodes {unknown}")
    if episode not in names:
        raise ValueError(f"episode must be one of {list(names)}, got {episode!r}")
    if not np.all(np.isfinite(ys["value_pct"].to_numpy(dtype=float))):
        raise ValueError("yields value_pct must be finite")
    ys["date"] = _iso(ys["date"], "yields date")
    ys["value_pct"] = ys["value_pct"].astype(float).round(4)
    ps["price"] = ps["price"].astype(float).round(4)
    ps["step"] = ps["step"].astype(int)

    # One episode: no drop-down (a control that cannot change anything would be dead).
    pick = None
    on = f"datum.episode == {json.dumps(episode)}"
    if len(names) > 1:
        pick = select(
            "episode", list(names), value=episode, label="Episode", labels=list(names.values())
        )
        on = "datum.episode == episode"
    top = (
        alt.Chart(ys)
        .transform_filter(on)
        .mark_line(point=True)
        .encode(
            x=alt.X("date:T", scale=alt.Scale(type="utc"), axis=_DATE_AXIS),
            y=alt.Y("value_pct:Q", title="Yield (%)", scale=alt.Scale(zero=False)),
            color=alt.Color("series:N", legend=_STACKED),
            tooltip=[
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("utcyearmonthdate(date):T", title="Date", format="%-d %b %Y"),
                alt.Tooltip("value_pct:Q", title="Yield (%)", format=".2f"),
            ],
        )
        .properties(width=PLOT_WIDTH, height=200, title="Cited yields")
    )
    if events is not None:
        marks = _frame(events, ["episode", "date", "event"], "events")
        unknown = sorted(set(marks["episode"]) - set(names))
        if unknown:
            raise ValueError(f"labels has no entry for the events' episodes {unknown}")
        marks["date"] = _iso(marks["date"], "events date")
        rules = (
            alt.Chart(marks)
            .transform_filter(on)
            .mark_rule(color=PALETTE[5], strokeDash=[3, 3], strokeWidth=1.5)
            .encode(
                x=alt.X("date:T", scale=alt.Scale(type="utc")),
                tooltip=[
                    alt.Tooltip("utcyearmonthdate(date):T", title="Date", format="%-d %b %Y"),
                    alt.Tooltip("event:N", title="Event"),
                ],
            )
        )
        top = alt.layer(top, rules).properties(title="Cited yields, with the dated events")
    bottom = (
        alt.Chart(ps)
        .transform_filter(on)
        .mark_line(point=True)
        .encode(
            x=alt.X("step:Q", title=step_title, axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("price:Q", title="Price (index, 100 before)", scale=alt.Scale(zero=False)),
            color=alt.Color(
                "scenario:N",
                scale=alt.Scale(range=[_VERMILION, PALETTE[0], PALETTE[2]]),
                legend=_STACKED,
            ),
            strokeDash=alt.StrokeDash("scenario:N", legend=None),
            tooltip=[
                alt.Tooltip("scenario:N", title="Scenario"),
                alt.Tooltip("step:Q", title="Step"),
                alt.Tooltip("price:Q", title="Price", format=".3f"),
            ],
        )
        .properties(width=PLOT_WIDTH, height=180, title="Illustrative model of the unwind")
    )
    chart = alt.vconcat(
        top,
        bottom,
        description=(
            "Two line charts for one episode (picked with a drop-down when there are several). "
            "Top: the cited Treasury yields on each date. Bottom: an illustrative model's price "
            "index as forced sales run their course, with and without an intervention."
        ),
    ).resolve_scale(color="independent")
    if pick is not None:
        chart = chart.add_params(pick)
    return caption_source(chart, source)


# --------------------------------------------------------------------------------------------
# The episodes side by side
# --------------------------------------------------------------------------------------------

#: How each figure in the comparison was obtained, and the colour its bar takes.
STATUSES: dict[str, str] = {
    "sourced": PALETTE[0],
    "approximate or unconfirmed": PALETTE[5],
    "illustrative model": _ORANGE,
}


#: The measures of the comparison, in order: (key in the episodes table, name with unit, unit).
MEASURES: tuple[tuple[str, str, str], ...] = (
    ("size", "Size of the trade that unwound ($bn)", "usd_bn"),
    ("leverage", "Leverage (× equity)", "x"),
    ("shock", "Shock: rise in yield (bp)", "bp"),
    ("forced_sales", "Sales by the levered holders, as measured ($bn)", "usd_bn"),
    ("model_forced_sales", "Forced sales in the model ($bn)", "usd_bn"),
    ("intervention", "Support: purchases or new equity ($bn)", "usd_bn"),
    ("days_of_stress", "Dated stress window, as each source dates it (days)", "days"),
)

_STATUS_OF = {
    "primary": "sourced",
    "secondary": "approximate or unconfirmed",
    "unconfirmed": "approximate or unconfirmed",
    "model": "illustrative model",
}


def written(value: float, unit: str) -> str:
    """A figure as the page writes it, in its own unit.

    Parameters
    ----------
    value : float
        The figure in ``unit``.
    unit : str
        ``usd_bn``, ``usd_tn``, ``gbp_bn``, ``usd_bn_per_day``, ``gbp_bn_per_day``, ``x``
        (times equity), ``bp``, ``percent``, ``count`` or ``days``, the units of
        :mod:`treasury_rv.episodes`.

    Returns
    -------
    str

    Examples
    --------
    >>> written(775.0, "usd_bn"), written(3.6, "usd_bn"), written(0.55, "usd_bn")
    ('$775bn', '$3.6bn', '$550mn')
    >>> written(1450.0, "usd_bn"), written(1.0, "usd_tn"), written(19.3, "gbp_bn")
    ('$1.45tn', '$1tn', '£19.3bn')
    """
    if unit in ("usd_bn", "usd_tn"):
        dollars = value * (1e9 if unit == "usd_bn" else 1e12)
        size = abs(dollars)
        if size >= 1e12:  # $1.45tn, but $1tn for a round trillion
            return fmt.money(dollars, 0 if size % 1e12 == 0 else 2)
        tenth = 1e9 <= size < 100e9 and round(value, 1) != round(value)
        return fmt.money(dollars, 1 if tenth else 0)
    if unit == "gbp_bn":
        return f"£{fmt.number(value, 1)}bn"
    if unit == "x":
        return fmt.times(value)
    if unit == "bp":
        return fmt.bp(value)
    if unit == "percent":
        return f"{fmt.number(value, 0 if float(value).is_integer() else 1)}%"
    if unit in ("usd_bn_per_day", "gbp_bn_per_day"):
        return written(value, unit.removesuffix("_per_day")) + " a day"
    if unit == "count":
        return fmt.number(value)
    if unit == "days":
        return f"{fmt.number(value)} days"
    raise ValueError(f"unit {unit!r} has no written form here")


def comparison_frame(table: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """The rows :func:`comparison_chart` draws, from :func:`treasury_rv.episodes.episodes_table`.

    For each measure of :data:`MEASURES` and each episode, the sourced figure if there is one,
    else the illustrative model's (for the modelled episodes), else a row with no value
    ("n/a"). A figure in another unit than its measure's (LTCM's shock is a fall in capital,
    the gilt purchases are in pounds) keeps its text but gets no bar.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``episode``, ``measure``, ``value``, ``unit``, ``basis`` (``"sourced"`` or
        ``"illustrative model"``) and ``status`` (``primary``, ``secondary``,
        ``unconfirmed`` or ``model``).
    labels : mapping of str to str
        Episode key to the name shown, in the order the episodes take.

    Returns
    -------
    pandas.DataFrame
        Columns ``measure`` (its name with unit), ``episode`` (name shown), ``value``
        (float in the measure's unit, NaN for no bar), ``text`` and ``status`` (one of
        :data:`STATUSES`).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"episode": ["a", "a"], "measure": ["size", "size"],
    ...                   "value": [125.0, 120.0], "unit": "usd_bn",
    ...                   "basis": ["sourced", "illustrative model"],
    ...                   "status": ["primary", "model"]})
    >>> comparison_frame(t, {"a": "LTCM"})[["measure", "text", "status"]].iloc[0].tolist()
    ['Size of the trade that unwound ($bn)', '$125bn', 'sourced']
    """
    data = _frame(table, ["episode", "measure", "value", "unit", "basis", "status"], "table")
    names = dict(labels)
    if not names:
        raise ValueError("labels must name at least one episode")
    bad = sorted(set(data["status"]) - set(_STATUS_OF))
    if bad:
        raise ValueError(f"table status must be one of {list(_STATUS_OF)}, got {bad}")
    rows = []
    for key, measure, unit in MEASURES:
        for name, shown in names.items():
            found = data[(data["episode"] == name) & (data["measure"] == key)]
            sourced = found[found["basis"] == "sourced"]
            pick = sourced if not sourced.empty else found
            if pick.empty:
                rows.append((measure, shown, np.nan, "n/a", "approximate or unconfirmed"))
                continue
            row = pick.iloc[0]
            value = float(row["value"])
            bar = value if row["unit"] == unit else np.nan
            text = "none" if value == 0 else written(value, row["unit"])
            rows.append((measure, shown, bar, text, _STATUS_OF[row["status"]]))
    return pd.DataFrame(rows, columns=["measure", "episode", "value", "text", "status"])


def comparison_chart(
    table: pd.DataFrame, *, episodes: Sequence[str], source: str, width: int = 170
) -> alt.FacetChart:
    """The episodes side by side: one small bar panel per measure, each on its own scale.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per (measure, episode): ``measure`` (its name with its unit, e.g.
        "Forced sales ($bn)"), ``episode`` (the name shown), ``value`` (float; NaN where no
        figure exists), ``text`` (the value as the page writes it) and ``status``, one of
        :data:`STATUSES`.
    episodes : sequence of str
        The episodes' names in the order the bars take.
    source : str
        The source line under the chart.
    width : int, default 170
        Width of each panel's plot, pixels.

    Returns
    -------
    altair.FacetChart
        A column of bar panels, measures in the order they first appear in ``table``; each
        bar labelled with its ``text`` and coloured by its status; "none" or "n/a" where a
        figure is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"measure": "Leverage (×)", "episode": ["A", "B"], "value": [28, 50],
    ...                   "text": ["28×", "50×"], "status": "sourced"})
    >>> chart = comparison_chart(t, episodes=["A", "B"], source="Sources in the table")
    """
    data = _frame(table, ["measure", "episode", "value", "text", "status"], "table")
    order = list(episodes)
    missing = sorted(set(data["episode"]) - set(order))
    if missing:
        raise ValueError(f"episodes does not list {missing}")
    bad = sorted(set(data["status"]) - set(STATUSES))
    if bad:
        raise ValueError(f"table status must be one of {list(STATUSES)}, got {bad}")
    if isinstance(width, bool) or not isinstance(width, int) or not 80 <= width <= 600:
        raise ValueError(f"width must be a whole number of pixels from 80 to 600, got {width!r}")
    data["value"] = data["value"].astype(float)
    data["bar"] = data["value"].fillna(0.0)
    measures = list(dict.fromkeys(data["measure"]))
    y = alt.Y("episode:N", sort=order, title=None, axis=alt.Axis(labelLimit=120))
    x = alt.X("bar:Q", title=None, axis=alt.Axis(tickCount=3, grid=False))
    bars = (
        alt.Chart()
        .mark_bar(height=14)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "status:N",
                title=None,
                scale=alt.Scale(domain=list(STATUSES), range=list(STATUSES.values())),
                legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=260),
            ),
            tooltip=[
                alt.Tooltip("episode:N", title="Episode"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("text:N", title="Value"),
                alt.Tooltip("status:N", title="Status"),
            ],
        )
    )
    labels = alt.Chart().mark_text(align="left", dx=4, fontSize=11).encode(x=x, y=y, text="text:N")
    chart = (
        alt.layer(bars, labels, data=data)
        .properties(width=width, height=alt.Step(20))
        .facet(
            row=alt.Row(
                "measure:N",
                sort=measures,
                title=None,
                header=alt.Header(
                    labelAngle=0,
                    labelAlign="left",
                    labelAnchor="start",
                    labelOrient="top",
                    labelFontSize=12,
                    labelFontWeight="bold",
                ),
            ),
            spacing=22,
        )
        .resolve_scale(x="independent")
        .properties(
            description=(
                "Bar panels, one per measure (size, leverage, shock, forced sales, "
                "intervention, days to calm), with one bar per episode; bars coloured by "
                "whether the figure is sourced, approximate or from the illustrative model."
            )
        )
    )
    return caption_source(chart, source)


# --------------------------------------------------------------------------------------------
# Leverage, shock and intervention: forced sales and the yield move
# --------------------------------------------------------------------------------------------

_GRID_COLUMNS = [
    "leverage",
    "shock_bp",
    "intervention_bn",
    "forced_sales_bn",
    "yield_move_bp",
    "defaulted",
]


def intervention_chart(
    grid: pd.DataFrame,
    *,
    source: str,
    leverage: float | None = None,
    shock_bp: float | None = None,
    intervention_bn: float | None = None,
) -> alt.VConcatChart:
    """Forced sales and the yield move against the size of an intervention, with three sliders.

    Parameters
    ----------
    grid : pandas.DataFrame
        One row per (leverage, shock, intervention): ``leverage`` (times equity),
        ``shock_bp`` (the initial rise in yield, bp) and ``intervention_bn`` (purchases,
        $bn), each an evenly spaced grid of whole numbers; ``forced_sales_bn`` (the sales
        left to the market, net of what the intervention bought, $bn), ``yield_move_bp``
        (the spread move against the position, bp) and ``defaulted`` (bool). An
        illustrative model's output.
    source : str
        The source line under the chart.
    leverage, shock_bp, intervention_bn : float, optional
        The sliders' first positions, each one of the grid's values (default the middle).

    Returns
    -------
    altair.VConcatChart
        Two panels against the intervention's size, the sales left to the market and the
        spread move against the position,
        for the leverage and shock the sliders pick; the intervention the third slider picks
        is marked on both and spelled out above them.

    Examples
    --------
    >>> import itertools
    >>> import pandas as pd
    >>> rows = [(lev, s, i, 10.0 * lev * s / (1 + i), s * (1 + 1 / (1 + i)), False)
    ...         for lev, s, i in itertools.product([10, 20], [10, 20], [0, 50])]
    >>> g = pd.DataFrame(rows, columns=["leverage", "shock_bp", "intervention_bn",
    ...                                 "forced_sales_bn", "yield_move_bp", "defaulted"])
    >>> chart = intervention_chart(g, source="Illustrative model")
    """
    data = _frame(grid, _GRID_COLUMNS, "grid")
    levs = _whole_steps(data["leverage"], "grid leverage")
    shocks = _whole_steps(data["shock_bp"], "grid shock_bp")
    sizes = _whole_steps(data["intervention_bn"], "grid intervention_bn")
    if len(data) != levs.size * shocks.size * sizes.size:
        raise ValueError("grid must hold every (leverage, shock_bp, intervention_bn) once")
    for column in ("forced_sales_bn", "yield_move_bp"):
        if not np.all(np.isfinite(data[column].to_numpy(dtype=float))):
            raise ValueError(f"grid {column} must be finite")
    first = {
        "leverage": _initial(leverage, levs, "leverage"),
        "shock_bp": _initial(shock_bp, shocks, "shock_bp"),
        "intervention_bn": _initial(intervention_bn, sizes, "intervention_bn"),
    }
    for column in ("leverage", "shock_bp", "intervention_bn"):
        data[column] = data[column].round().astype(int)
    data["defaulted"] = data["defaulted"].astype(bool)
    data = data.round({"forced_sales_bn": 3, "yield_move_bp": 3})

    lev_p = slider(
        "leverage",
        start=int(levs[0]),
        stop=int(levs[-1]),
        step=int(levs[1] - levs[0]),
        value=first["leverage"],
        label="Leverage (×)",
    )
    shock_p = slider(
        "shock",
        start=int(shocks[0]),
        stop=int(shocks[-1]),
        step=int(shocks[1] - shocks[0]),
        value=first["shock_bp"],
        label="Initial spread shock (bp)",
    )
    size_p = slider(
        "intervention",
        start=int(sizes[0]),
        stop=int(sizes[-1]),
        step=int(sizes[1] - sizes[0]),
        value=first["intervention_bn"],
        label="Intervention ($bn)",
    )
    case = "datum.leverage == round(leverage) && datum.shock_bp == round(shock)"
    chosen = f"{case} && datum.intervention_bn == round(intervention)"
    x = alt.X("intervention_bn:Q", title="Intervention: purchases ($bn)")
    base = alt.Chart(data).transform_filter(case)
    tips = [
        alt.Tooltip("intervention_bn:Q", title="Intervention ($bn)"),
        alt.Tooltip("forced_sales_bn:Q", title="Sales left to the market ($bn)", format=",.1f"),
        alt.Tooltip("yield_move_bp:Q", title="Spread move against the position (bp)", format=".1f"),
        alt.Tooltip("defaulted:N", title="Fund fails"),
    ]

    def panel(field: str, title: str, heading: str) -> alt.LayerChart:
        y = alt.Y(f"{field}:Q", title=title)
        line = base.mark_line(point=True).encode(x=x, y=y, tooltip=tips)
        # The failure marks sit on every point, shown only where the funds fail: a layer
        # filtered to no rows would give its scales an infinite extent.
        failed = base.mark_point(shape="cross", size=90, color=_VERMILION).encode(
            x=x, y=y, opacity=alt.condition("datum.defaulted", alt.value(1), alt.value(0))
        )
        mark = (
            alt.Chart(data)
            .transform_filter(chosen)
            .mark_point(size=220, filled=False, strokeWidth=3, color=_ORANGE, opacity=1)
            .encode(x=x, y=y)
        )
        return alt.layer(line, failed, mark).properties(width=PLOT_WIDTH, height=150, title=heading)

    words = (
        alt.Chart(data)
        .transform_filter(chosen)
        .transform_calculate(
            line1=(
                "'Sales left to the market $' + format(datum.forced_sales_bn, ',.0f')"
                " + 'bn; spread move ' + format(datum.yield_move_bp, '.1f') + 'bp'"
            ),
            line2=(
                "datum.defaulted ? 'The levered funds fail: equity gone'"
                " : 'The levered funds survive'"
            ),
        )
    )
    text = alt.layer(
        words.mark_text(align="left", baseline="top", fontSize=12).encode(
            x=alt.value(0), y=alt.value(0), text="line1:N"
        ),
        words.mark_text(align="left", baseline="top", fontSize=12, dy=16).encode(
            x=alt.value(0),
            y=alt.value(0),
            text="line2:N",
            color=alt.condition("datum.defaulted", alt.value(_VERMILION), alt.value(PALETTE[2])),
        ),
    ).properties(width=PLOT_WIDTH, height=34)
    chart = alt.vconcat(
        text,
        panel("forced_sales_bn", "Sales left to the market ($bn)", "Sales left to the market"),
        panel("yield_move_bp", "Spread move against the position (bp)", "The spread move"),
        description=(
            "Two line charts against the size of a central-bank intervention: the leveraged "
            "funds' sales left to the market after the purchases and the spread move against "
            "their position, for the leverage and initial shock "
            "two sliders pick; a third slider picks the intervention, circled on both and "
            "described above them. Crosses mark sizes at which the funds fail."
        ),
    ).add_params(lev_p, shock_p, size_p)
    return caption_source(chart, source)
