"""Charts for repo leverage: the repo ladder, margin calls and forced sales, a margin spiral.

Each chart comes with the function that makes its data. :func:`ladder_paths`,
:func:`margin_grid` and :func:`spiral_paths` call :mod:`treasury_rv.leverage` over a grid of
inputs and reshape the results into tidy frames; :func:`ladder_chart`, :func:`margin_chart`
and :func:`spiral_chart` draw them with sliders that filter the precomputed grid, so the
static page responds without Python behind it. Every grid stores each slider's value as a
whole-number key (a haircut of 1.5% as 150 hundredths of a percent), so that filtering never
compares floats. :func:`spiral_path_chart` draws one spiral, for a live panel.

Money in the frames is in millions (``_mn``) or billions (``_bn``) of dollars and shares in
percent (``_pct``), the units the charts show.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from treasury_rv import fmt
from treasury_rv import leverage as lv
from treasury_rv._validate import as_float_array, as_real, check_fraction, check_positive
from treasury_rv.charts import MAX_ROWS, caption_source, chart_frame, check_rows, slider

__all__ = [
    "MAX_ROWS",
    "ladder_chart",
    "ladder_paths",
    "margin_chart",
    "margin_grid",
    "spiral_chart",
    "spiral_path_chart",
    "spiral_paths",
]

_MN = 1e6
_BN = 1e9
_DEFAULT_RED = "#D55E00"
_HIGHLIGHT = "#E69F00"
_GONE_LABEL = "Red: the loss takes all the equity"
_KEY_SCALE = 100  # slider values are stored as hundredths of their unit
# Text above a plot is cut with an ellipsis rather than run past the chart on a narrow screen.
_TEXT_LIMIT = alt.ExprRef("width")


# --------------------------------------------------------------------------------------------
# Shared checks
# --------------------------------------------------------------------------------------------


def _key(values: object) -> np.ndarray:
    """Whole-number keys for slider values (hundredths of the slider's unit)."""
    return np.rint(np.asarray(values, dtype=float) * _KEY_SCALE).astype(int)


def _grid_values(values: object, name: str, unit: float = 1.0) -> np.ndarray:
    """A non-empty, sorted, evenly spaced 1-d grid (a slider can only step evenly).

    ``unit`` converts the values to the slider's unit (100 for fractions shown in percent);
    the values must differ there by at least 0.01, the resolution of the keys.
    """
    arr = np.sort(np.ravel(as_float_array(values, name)))
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    if np.unique(_key(arr * unit)).size != arr.size:
        raise ValueError(f"{name} must differ by at least 0.01 in the slider's unit")
    if arr.size > 2:
        steps = np.diff(arr)
        if not np.allclose(steps, steps[0], rtol=1e-6, atol=1e-12):
            raise ValueError(f"{name} must be evenly spaced (one slider step), got {arr.tolist()}")
    return arr


def _step(arr: np.ndarray) -> float:
    return float(arr[1] - arr[0]) if arr.size > 1 else 1.0


def _slider_for(
    values: np.ndarray, name: str, label: str, value: float | None, arg: str
) -> tuple[alt.Parameter, float]:
    """A slider stepping over ``values``; ``value`` must be one of them (default: the middle)."""
    if value is None:
        value = float(values[len(values) // 2])
    value = as_real(value, arg)
    if not np.any(_key(values) == _key(value)):
        raise ValueError(f"{arg} must be one of the grid's values {values.tolist()}, got {value!r}")
    start, stop = float(values[0]), float(values[-1])
    if start == stop:
        raise ValueError(f"{arg}: the grid has a single value; a slider needs at least two")
    return slider(name, start=start, stop=stop, step=_step(values), value=value, label=label), value


def _is_on(param: alt.Parameter, key_field: str) -> str:
    return f"datum.{key_field} == round({param.name} * {_KEY_SCALE})"


# --------------------------------------------------------------------------------------------
# The repo ladder
# --------------------------------------------------------------------------------------------


def ladder_paths(equity: float, haircuts: Sequence[float], *, points: int = 60) -> pd.DataFrame:
    """Repo ladders for a grid of haircuts, sampled for a chart.

    Calls :func:`treasury_rv.leverage.repo_ladder` for each haircut (as many rounds as take the
    position to 99.9% of the limit ``equity / haircut``) and keeps about ``points`` evenly
    spaced rounds of each, plus round 0 (nothing bought yet).

    Parameters
    ----------
    equity : float
        The fund's own money, dollars, positive.
    haircuts : sequence of float
        Repo haircuts as fractions, evenly spaced (0.005, 0.01, ... for 0.5%, 1%, ...).
    points : int, default 60
        Rounds to keep per haircut, 2 to 500.

    Returns
    -------
    pandas.DataFrame
        One row per (haircut, kept round): ``haircut_pct``, ``haircut_key`` (hundredths of a
        percent), ``round``, ``position_mn`` (bonds held after the round, $mn), ``leverage``
        (position / equity), ``limit_mn`` (equity / haircut, $mn), ``max_leverage``
        (1 / haircut) and ``rounds_needed`` (rounds to 99.9% of the limit).

    Examples
    --------
    >>> paths = ladder_paths(10e6, [0.01, 0.02], points=10)
    >>> paths.groupby("haircut_pct")["limit_mn"].first().tolist()
    [1000.0, 500.0]
    """
    e = float(check_positive(as_real(equity, "equity"), "equity"))
    hs = _grid_values(check_fraction(haircuts, "haircuts"), "haircuts", 100)
    if isinstance(points, bool) or not isinstance(points, int) or not 2 <= points <= 500:
        raise ValueError(f"points must be a whole number from 2 to 500, got {points!r}")
    check_rows(hs.size * (points + 1), "ladder_paths")
    frames = []
    for h in hs:
        ladder = lv.repo_ladder(e, h)
        n = len(ladder)
        keep = np.unique(np.rint(np.linspace(1, n, min(points, n))).astype(int)) - 1
        frames.append(
            pd.DataFrame(
                {
                    "haircut_pct": round(h * 100, 4),
                    "haircut_key": int(_key(h * 100)),
                    "round": np.concatenate([[0], ladder["round"].to_numpy()[keep]]),
                    "position_mn": np.concatenate([[0.0], ladder["position"].to_numpy()[keep]])
                    / _MN,
                    "leverage": np.concatenate([[0.0], ladder["leverage"].to_numpy()[keep]]),
                    "limit_mn": float(lv.ladder_limit(e, h)) / _MN,
                    "max_leverage": float(lv.max_leverage(h)),
                    "rounds_needed": n,
                }
            )
        )
    return pd.concat(frames, ignore_index=True).round(
        {"position_mn": 3, "leverage": 3, "limit_mn": 3, "max_leverage": 3}
    )


def ladder_chart(paths: pd.DataFrame, *, haircut_pct: float | None = None) -> alt.LayerChart:
    """The repo ladder: the position climbing round by round towards ``equity / haircut``.

    Parameters
    ----------
    paths : pandas.DataFrame
        Output of :func:`ladder_paths`.
    haircut_pct : float, optional
        Haircut shown first, percent; one of the grid's haircuts (default: the middle one).

    Returns
    -------
    altair.LayerChart
        The position by round (line over a light area), the limit as a dashed rule, two lines
        of text about the limit, and a haircut slider.

    Examples
    --------
    >>> chart = ladder_chart(ladder_paths(10e6, [0.01, 0.02], points=10), haircut_pct=1)
    """
    cols = ["haircut_pct", "haircut_key", "round", "position_mn", "leverage", "limit_mn"]
    data = chart_frame(paths, [*cols, "max_leverage", "rounds_needed"], "paths")
    haircuts = _grid_values(np.unique(data["haircut_pct"]), "paths haircut_pct")
    h, _ = _slider_for(haircuts, "haircut", "Haircut (%)", haircut_pct, "haircut_pct")
    on = _is_on(h, "haircut_key")

    limits = data.groupby("haircut_key", as_index=False).first()
    limits["line1"] = [
        f"Limit = equity / haircut = {fmt.money(lim * _MN)}" for lim in limits["limit_mn"]
    ]
    limits["line2"] = [
        f"{fmt.times(lev)} equity; 99.9% after {fmt.number(n)} rounds"
        for lev, n in zip(limits["max_leverage"], limits["rounds_needed"], strict=True)
    ]
    limits = limits[["haircut_key", "limit_mn", "line1", "line2"]]

    x = alt.X("round:Q", title="Round of buying and repoing")
    y = alt.Y("position_mn:Q", title="Bonds held ($mn)")
    path = (
        alt.Chart(data[["haircut_key", "round", "position_mn", "leverage"]])
        .transform_filter(on)
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("round:Q", title="Round"),
                alt.Tooltip("position_mn:Q", title="Bonds held ($mn)", format=",.1f"),
                alt.Tooltip("leverage:Q", title="Leverage (×)", format=".1f"),
            ],
        )
    )
    limit = alt.Chart(limits).transform_filter(on)
    layers = [
        path.mark_area(opacity=0.18),
        path.mark_line(),
        limit.mark_rule(strokeDash=[6, 4], color=_DEFAULT_RED).encode(y="limit_mn:Q"),
        *_text_lines(limit, ["line1", "line2"]),
    ]
    chart = alt.layer(*layers).add_params(h)
    chart = chart.properties(
        width="container",
        height=280,
        description=(
            "Line chart: the value of bonds a fund holds after each round of buying bonds and "
            "borrowing against them in repo, rising towards the limit, equity divided by the "
            "haircut, drawn as a dashed line. A slider sets the haircut."
        ),
    )
    return caption_source(chart, "Computed with treasury_rv.leverage.repo_ladder")


def _text_lines(
    base: alt.Chart, fields: Sequence[str], *, color: str | None = None
) -> list[alt.Chart]:
    """Lines of text above the plot, one mark per field, the last just above the plot."""
    marks = []
    for i, field in enumerate(fields):
        mark = base.mark_text(align="left", baseline="bottom", fontSize=12, limit=_TEXT_LIMIT)
        encoding = {"x": alt.value(0), "y": alt.value(-6 - 16 * (len(fields) - 1 - i))}
        if color is not None:
            encoding["color"] = alt.value(color)
        marks.append(mark.encode(text=f"{field}:N", **encoding))
    return marks


# --------------------------------------------------------------------------------------------
# Mark to market, margin call, forced sale
# --------------------------------------------------------------------------------------------


def margin_grid(
    equity: float, haircut: float, leverages: Sequence[float], price_falls: Sequence[float]
) -> pd.DataFrame:
    """Margin calls and forced sales over a grid of leverage and price falls.

    For each leverage ``L`` the fund holds ``L x equity`` of bonds in repo at ``haircut`` and
    the price falls by each of ``price_falls``; :func:`treasury_rv.leverage.forced_sale` gives
    the loss, the call, the spare cash that pays it and the sale that covers the rest.

    Parameters
    ----------
    equity : float
        The fund's equity before the fall, dollars, positive.
    haircut : float
        Repo haircut, fraction strictly between 0 and 1.
    leverages : sequence of float
        Position / equity, evenly spaced, each from 1 to ``1 / haircut``.
    price_falls : sequence of float
        Price falls as positive fractions (0.01 for a 1% fall), evenly spaced, below 1.

    Returns
    -------
    pandas.DataFrame
        One row per (leverage, fall): ``leverage``, ``lev_key``, ``fall_pct``, ``fall_key``
        (keys in hundredths), ``loss_mn``, ``equity_left_mn``, ``equity_left_pct`` (of the
        starting equity), ``call_mn`` (variation margin asked), ``spare_mn`` (cash not tied
        up in haircuts before the fall), ``sale_mn``, ``sale_pct`` (share of the bonds held
        after the fall) and ``zone``: ``"cash pays the call"``, ``"forced sale"`` or
        ``"equity gone"``. Money in $mn.

    Examples
    --------
    >>> grid = margin_grid(10e6, 0.01, [50, 100], [0.0, 0.005])
    >>> grid.loc[grid["leverage"] == 100, "sale_mn"].round(1).tolist()
    [0.0, 495.0]
    """
    e = float(check_positive(as_real(equity, "equity"), "equity"))
    h = float(check_fraction(as_real(haircut, "haircut"), "haircut"))
    levs = _grid_values(leverages, "leverages")
    falls = _grid_values(price_falls, "price_falls", 100)
    if levs[0] < 1 or levs[-1] > 1 / h * (1 + 1e-12):
        raise ValueError(
            f"leverages must lie between 1 and 1 / haircut = {1 / h:g}, got "
            f"{levs[0]:g} to {levs[-1]:g}"
        )
    if falls[0] < 0 or falls[-1] >= 1:
        raise ValueError(
            f"price_falls must be fractions in [0, 1) (0.01 for a 1% fall), got "
            f"{falls[0]:g} to {falls[-1]:g}"
        )
    check_rows(levs.size * falls.size, "margin_grid")
    lev, fall = (a.ravel() for a in np.meshgrid(levs, falls, indexing="ij"))
    out = lv.forced_sale(lev * e, e, h, -fall)
    sale = out["sale"].to_numpy()
    held = out["position_after"].to_numpy()
    zone = np.where(
        out["wiped_out"], "equity gone", np.where(sale > 0, "forced sale", "cash pays the call")
    )
    frame = pd.DataFrame(
        {
            "leverage": lev,
            "lev_key": _key(lev),
            "fall_pct": fall * 100,
            "fall_key": _key(fall * 100),
            "loss_mn": out["loss"].to_numpy() / _MN,
            "equity_left_mn": out["equity_after"].to_numpy() / _MN,
            "equity_left_pct": out["equity_after"].to_numpy() / e * 100,
            "call_mn": out["call"].to_numpy() / _MN,
            "spare_mn": out["spare_cash"].to_numpy() / _MN,
            "sale_mn": sale / _MN,
            "sale_pct": np.where(held > 0, sale / np.where(held > 0, held, 1.0) * 100, 0.0),
            "zone": zone,
        }
    )
    return frame.round(6)


def _money_expr(field: str) -> str:
    """Vega expression writing a $mn field as :func:`treasury_rv.fmt.money` does.

    A chart's text is computed in the browser, where Python cannot run, so this mirrors
    ``fmt.money`` for the amounts the charts show: whole dollars below $1mn, then $mn and
    $bn with two decimals, and a leading U+2212 minus for negatives.
    """
    v = f"abs(datum.{field})"
    sign = f"(datum.{field} < 0 ? '{fmt.MINUS}' : '')"
    return (
        f"({sign} + '$' + ({v} >= 999.995 ? format({v} / 1000, ',.2f') + 'bn'"
        f" : {v} >= 0.9999995 ? format({v}, ',.2f') + 'mn'"
        f" : format({v} * 1e6, ',.0f')))"
    )


def margin_chart(
    grid: pd.DataFrame, *, leverage: float | None = None, fall_pct: float | None = None
) -> alt.LayerChart:
    """Heatmap of forced sales over leverage x price fall, with the chosen cell spelled out.

    Parameters
    ----------
    grid : pandas.DataFrame
        Output of :func:`margin_grid`.
    leverage : float, optional
        Leverage shown first (one of the grid's); default the middle one.
    fall_pct : float, optional
        Price fall shown first, percent (one of the grid's); default the middle one.

    Returns
    -------
    altair.LayerChart
        Cells coloured by the forced sale as a share of the bonds, the equity-gone zone in
        red, the chosen cell outlined, four lines of text about it, and two sliders.

    Examples
    --------
    >>> grid = margin_grid(10e6, 0.01, [50, 75, 100], [0.0, 0.005, 0.01])
    >>> chart = margin_chart(grid, leverage=50, fall_pct=0.5)
    """
    cols = ["leverage", "lev_key", "fall_pct", "fall_key", "loss_mn", "equity_left_mn"]
    cols += ["equity_left_pct", "call_mn", "spare_mn", "sale_mn", "sale_pct", "zone"]
    data = chart_frame(grid, cols, "grid")[cols]
    levs = _grid_values(np.unique(data["leverage"]), "grid leverage")
    falls = _grid_values(np.unique(data["fall_pct"]), "grid fall_pct")
    lev_p, _ = _slider_for(levs, "leverage", "Leverage (×)", leverage, "leverage")
    fall_p, _ = _slider_for(falls, "fall", "Price fall (%)", fall_pct, "fall_pct")
    on = f"{_is_on(lev_p, 'lev_key')} && {_is_on(fall_p, 'fall_key')}"
    half_fall, half_lev = _step(falls) / 2, _step(levs) / 2

    base = alt.Chart(data).transform_calculate(
        fall_lo=f"datum.fall_pct - {half_fall}",
        fall_hi=f"datum.fall_pct + {half_fall}",
        lev_lo=f"datum.leverage - {half_lev}",
        lev_hi=f"datum.leverage + {half_lev}",
    )
    x = alt.X("fall_lo:Q", title="Price fall (%)", scale=alt.Scale(nice=False, zero=False))
    y = alt.Y("lev_lo:Q", title="Leverage (× equity)", scale=alt.Scale(nice=False, zero=False))
    cell = {"x": x, "x2": "fall_hi:Q", "y": y, "y2": "lev_hi:Q"}
    tip = [
        alt.Tooltip("leverage:Q", title="Leverage (×)"),
        alt.Tooltip("fall_pct:Q", title="Price fall (%)", format=".2f"),
        alt.Tooltip("zone:N", title="Outcome"),
        alt.Tooltip("sale_mn:Q", title="Forced sale ($mn)", format=",.1f"),
        alt.Tooltip("equity_left_pct:Q", title="Equity left (%)", format=".0f"),
    ]
    alive = (
        base.transform_filter("datum.zone != 'equity gone'")
        .mark_rect()
        .encode(
            color=alt.Color(
                "sale_pct:Q",
                title="Forced sale (% of bonds)",
                scale=alt.Scale(scheme="blues", domain=[0, 100]),
                legend=alt.Legend(orient="bottom", gradientLength=180),
            ),
            tooltip=tip,
            **cell,
        )
    )
    # The red cells get a legend of their own (on the fill channel, so its scale stays apart
    # from the blue gradient's), so that the page can call them "red" and the reader can see why.
    gone = (
        base.transform_filter("datum.zone == 'equity gone'")
        .mark_rect(opacity=0.85)
        .encode(
            fill=alt.Fill(
                "zone:N",
                title=None,
                scale=alt.Scale(domain=["equity gone"], range=[_DEFAULT_RED]),
                legend=alt.Legend(
                    orient="bottom", labelExpr=f"'{_GONE_LABEL}'", symbolType="square"
                ),
            ),
            tooltip=tip,
            **cell,
        )
    )
    chosen = base.transform_filter(on)
    box = chosen.mark_rect(fill=None, stroke=_HIGHLIGHT, strokeWidth=3).encode(**cell)
    gone_now = "datum.zone == 'equity gone'"
    words = chosen.transform_calculate(
        line1=(
            "datum.leverage + '× and a ' + format(datum.fall_pct, '.1f') + '% fall: loss '"
            f" + {_money_expr('loss_mn')}"
        ),
        line2=(
            f"{gone_now} ? 'Equity gone: the fund has failed'"
            f" : 'Equity left ' + {_money_expr('equity_left_mn')}"
            " + ' (' + format(datum.equity_left_pct, '.0f') + '%)'"
        ),
        line3=(
            f"{gone_now} ? 'The lender bears the rest of the loss'"
            f" : 'Margin call ' + {_money_expr('call_mn')}"
            f" + ', spare cash ' + {_money_expr('spare_mn')}"
        ),
        line4=(
            f"{gone_now} ? '' : datum.zone == 'forced sale'"
            f" ? 'Forced sale ' + {_money_expr('sale_mn')}"
            " + ' (' + format(datum.sale_pct, '.0f') + '% of bonds)'"
            " : 'Spare cash pays the call: no sale'"
        ),
    )
    layers = [alive, gone, box, *_text_lines(words, ["line1", "line2", "line3", "line4"])]
    chart = alt.layer(*layers).add_params(lev_p, fall_p)
    chart = chart.properties(
        width="container",
        height=280,
        description=(
            "Heatmap: for each leverage and price fall, the bonds a fund must sell to meet "
            "its repo margin call, as a share of its holdings; cells where the loss exceeds "
            "the equity are red. Two sliders pick the cell described above the chart."
        ),
    )
    return caption_source(chart, "Illustrative: treasury_rv.leverage.forced_sale")


# --------------------------------------------------------------------------------------------
# The margin spiral
# --------------------------------------------------------------------------------------------


def _spiral_summary(path: pd.DataFrame) -> tuple[list[str], int | None]:
    """Three lines on how a :func:`~treasury_rv.leverage.margin_spiral` ends; its default round."""
    first, last = path.iloc[0], path.iloc[-1]
    drop = 100 - last["price"]
    if bool(last["defaulted"]):
        r = int(last["round"])
        down = fmt.pct(drop / 100)
        return [f"DEFAULT in round {r}", "The equity is gone", f"Price down {down} by then"], r
    sold = last["cumulative_sold"]
    return [
        f"Survives: price down {fmt.pct(drop / 100)}",
        f"Equity left {fmt.money(last['equity'])}",
        f"Forced sales {fmt.money(sold)} ({fmt.pct(sold / first['position'], 0)} of bonds)",
    ], None


def spiral_paths(
    position: float,
    equity: float,
    haircut: float,
    shocks: Sequence[float],
    impacts_per_bn: Sequence[float],
    *,
    rounds: int = 40,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Margin spirals over a grid of initial shocks and price impacts, for a chart.

    Runs :func:`treasury_rv.leverage.margin_spiral` for every (shock, impact) pair, up to
    ``rounds`` rounds after the shock, and keeps its price path. Illustrative model.

    Parameters
    ----------
    position, equity : float
        The fund's bonds and equity before the shock, dollars.
    haircut : float
        Repo haircut, fraction strictly between 0 and 1.
    shocks : sequence of float
        Initial price falls as positive fractions (0.005 for 0.5%), evenly spaced.
    impacts_per_bn : sequence of float
        Price fall per $1bn sold, fractions (0.00005 for 0.5bp), evenly spaced; shown in
        percent per $100bn sold (0.00005 per $1bn is 0.5% per $100bn).
    rounds : int, default 40
        Most rounds to run after the shock, 1 to 100.

    Returns
    -------
    paths : pandas.DataFrame
        One row per (shock, impact, round): ``shock_key`` (shock in hundredths of a percent),
        ``impact_key`` (impact in hundredths of a percent per $100bn sold), ``round``,
        ``price`` (index, 100 before the shock) and ``default`` (true in the round the fund
        fails).
    outcomes : pandas.DataFrame
        One row per pair: ``shock_pct``, ``impact_pct_per_100bn``, the two keys,
        ``shock_price`` (the price after the shock alone), ``defaulted``, ``default_round``
        and three lines of text, ``line1`` to ``line3``.

    Examples
    --------
    >>> paths, ends = spiral_paths(500e9, 10e9, 0.02, [0.005], [0.0, 0.0001])
    >>> ends["defaulted"].tolist()
    [False, True]
    """
    p = float(check_positive(as_real(position, "position"), "position"))
    s_grid = _grid_values(shocks, "shocks", 100)
    k_grid = _grid_values(impacts_per_bn, "impacts_per_bn", 1e4)
    if isinstance(rounds, bool) or not isinstance(rounds, int) or not 1 <= rounds <= 100:
        raise ValueError(f"rounds must be a whole number from 1 to 100, got {rounds!r}")
    check_rows(s_grid.size * k_grid.size, "spiral_paths outcomes")
    paths, ends = [], []
    for s in s_grid:
        for k in k_grid:
            run = lv.margin_spiral(p, equity, haircut, -s, price_impact_per_bn=k, max_rounds=rounds)
            lines, fail = _spiral_summary(run)
            keys = {"shock_key": int(_key(s * 100)), "impact_key": int(_key(k * 1e4))}
            paths.append(
                pd.DataFrame(
                    {
                        **keys,
                        "round": run["round"].to_numpy(),
                        "price": run["price"].to_numpy().round(4),
                        "default": (run["round"] == fail).to_numpy(),
                    }
                )
            )
            ends.append(
                {
                    "shock_pct": round(s * 100, 4),
                    "impact_pct_per_100bn": round(k * 1e4, 4),
                    **keys,
                    "shock_price": round(100 * (1 - s), 4),
                    "defaulted": fail is not None,
                    "default_round": fail,
                    **{f"line{i}": text for i, text in enumerate(lines, start=1)},
                }
            )
    out = pd.concat(paths, ignore_index=True)
    check_rows(len(out), "spiral_paths")
    return out, pd.DataFrame(ends)


def _shown_on_default() -> dict:
    """Opacity 1 on the round where the fund defaults, 0 elsewhere."""
    return alt.condition("datum.default", alt.value(1), alt.value(0))


def _spiral_axes() -> tuple[alt.X, alt.Y]:
    return (
        alt.X("round:Q", title="Round (0 = before the shock)", axis=alt.Axis(tickMinStep=1)),
        alt.Y("price:Q", title="Price (index, 100 before the shock)", scale=alt.Scale(zero=False)),
    )


def spiral_chart(
    paths: pd.DataFrame,
    outcomes: pd.DataFrame,
    *,
    shock_pct: float | None = None,
    impact: float | None = None,
) -> alt.LayerChart:
    """The margin spiral: price by round for the shock and price impact the sliders pick.

    Parameters
    ----------
    paths, outcomes : pandas.DataFrame
        The two frames of :func:`spiral_paths`.
    shock_pct : float, optional
        Initial price fall shown first, percent (one of the grid's).
    impact : float, optional
        Price impact shown first, percent per $100bn sold (one of the grid's).

    Returns
    -------
    altair.LayerChart
        The price path, a dashed rule at the price after the shock alone, a red point and
        label where the fund defaults, three lines saying how the spiral ends, and two sliders.

    Examples
    --------
    >>> paths, ends = spiral_paths(500e9, 10e9, 0.02, [0.004, 0.005], [0.0, 0.0001])
    >>> chart = spiral_chart(paths, ends, shock_pct=0.5, impact=1.0)
    """
    path_cols = ["shock_key", "impact_key", "round", "price", "default"]
    path_data = chart_frame(paths, path_cols, "paths")[path_cols]
    cols = ["shock_pct", "impact_pct_per_100bn", "shock_key", "impact_key", "shock_price"]
    text = ["line1", "line2", "line3"]
    ends = chart_frame(outcomes, [*cols, "defaulted", *text], "outcomes")
    shocks = _grid_values(np.unique(ends["shock_pct"]), "outcomes shock_pct")
    impacts = _grid_values(np.unique(ends["impact_pct_per_100bn"]), "outcomes impact")
    s_p, _ = _slider_for(shocks, "shock", "Initial price fall (%)", shock_pct, "shock_pct")
    k_p, _ = _slider_for(impacts, "impact", "Price impact (% per $100bn sold)", impact, "impact")
    on = f"{_is_on(s_p, 'shock_key')} && {_is_on(k_p, 'impact_key')}"

    x, y = _spiral_axes()
    base = alt.Chart(path_data).transform_filter(on)
    line = base.mark_line(point=True).encode(
        x=x,
        y=y,
        tooltip=[
            alt.Tooltip("round:Q", title="Round"),
            alt.Tooltip("price:Q", title="Price", format=".3f"),
        ],
    )
    # The default marks sit on every point of the path, shown only where the fund defaults:
    # a layer filtered to no rows would give its scales an infinite extent.
    dot = base.mark_point(size=220, filled=True, color=_DEFAULT_RED).encode(
        x=x, y=y, opacity=_shown_on_default()
    )
    tag = base.mark_text(
        align="right", dx=-12, fontSize=14, fontWeight="bold", color=_DEFAULT_RED
    ).encode(x=x, y=y, text=alt.condition("datum.default", alt.value("default"), alt.value("")))
    ref_cols = ["shock_key", "impact_key", "shock_price", "defaulted", *text]
    ref = alt.Chart(ends[ref_cols]).transform_filter(on)
    rule = ref.mark_rule(strokeDash=[6, 4], opacity=0.7).encode(y="shock_price:Q")
    rule_tag = ref.mark_text(align="right", baseline="top", dy=3, fontSize=11).encode(
        x=alt.value({"expr": "width"}), y="shock_price:Q", text=alt.value("shock alone")
    )
    lived = _text_lines(ref.transform_filter("!datum.defaulted"), text)
    died = _text_lines(ref.transform_filter("datum.defaulted"), text, color=_DEFAULT_RED)
    chart = alt.layer(line, rule, rule_tag, dot, tag, *lived, *died).add_params(s_p, k_p)
    chart = chart.properties(
        width="container",
        height=280,
        description=(
            "Line chart of a price index, round by round, as a leveraged fund's forced sales "
            "push the price down after an initial shock; a red point marks a default. Sliders "
            "set the initial shock and the price impact of sales."
        ),
    )
    return caption_source(chart, "Illustrative model: treasury_rv.leverage.margin_spiral")


def spiral_path_chart(path: pd.DataFrame) -> alt.LayerChart:
    """One margin spiral's price path, for a live panel (no sliders).

    Parameters
    ----------
    path : pandas.DataFrame
        Output of :func:`treasury_rv.leverage.margin_spiral`.

    Returns
    -------
    altair.LayerChart
        Price by round, a red point where the fund defaults, and a title saying how the spiral
        ends.

    Examples
    --------
    >>> from treasury_rv.leverage import margin_spiral
    >>> chart = spiral_path_chart(
    ...     margin_spiral(500e9, 10e9, 0.02, -0.005, price_impact_per_bn=0.00005)
    ... )
    """
    cols = ["round", "price", "defaulted", "cumulative_sold", "equity", "position"]
    data = chart_frame(path, cols, "path")
    lines, fail = _spiral_summary(data)
    frame = data[["round", "price"]].assign(default=(data["round"] == fail).to_numpy())
    x, y = _spiral_axes()
    base = alt.Chart(frame)
    dot = base.mark_point(size=220, filled=True, color=_DEFAULT_RED)
    dot = dot.encode(x=x, y=y, opacity=_shown_on_default())
    return alt.layer(base.mark_line(point=True).encode(x=x, y=y), dot).properties(
        width=520,
        height=260,
        title=alt.TitleParams(
            lines[0], subtitle=lines[1:], color=_DEFAULT_RED if fail is not None else None
        ),
        description="Line chart of a price index by round in a margin spiral.",
    )
