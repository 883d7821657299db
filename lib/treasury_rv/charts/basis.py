"""Charts of the cash-futures basis: the deliverable basket, CTD switching, the levered trade.

Each ``*_grid`` function runs the numeric modules over the values a chart's controls can take
and returns one tidy DataFrame (at most :data:`~treasury_rv.charts.MAX_ROWS` rows); each
``*_chart`` function draws such a frame with Altair and binds its controls, so the static page
responds by filtering the precomputed grid. Grids store the control values as whole numbers
(basis points, 32nds, percent of initial margin), which the filters compare after rounding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from treasury_rv._validate import as_float_array
from treasury_rv.bonds import Treasury
from treasury_rv.charts import MAX_ROWS, PALETTE, chart_frame, select, slider
from treasury_rv.dates import to_32nds
from treasury_rv.fmt import number, pct
from treasury_rv.futures import FuturesContract, basis_shock_path, basket_table

__all__ = [
    "MAX_ROWS",
    "basis_sheet",
    "basket_chart",
    "basket_repo_grid",
    "basis_by_date_chart",
    "ctd_switch_chart",
    "stress_chart",
    "stress_grid",
]


#: Width of the plotting area of the two-panel charts, pixels: with the bond names beside it
#: a chart fits a 342 px phone column (two-panel charts cannot take the container's width).
PLOT_WIDTH = 200

#: Height of one bond's row in the bar and dot panels, pixels.
ROW_HEIGHT = 16

_VERMILION = PALETTE[1]

#: Colours of notes whose implied repo is at or below, and above, the repo rate.
_ABOVE_BELOW = ["#8A939C", PALETTE[2]]

#: Legend entries one under another, so a legend never sets the width of a phone-sized chart.
_STACKED = alt.Legend(orient="bottom", direction="vertical")

#: Ends of the colour ramp for bonds by maturity: sky blue to blue, legible on the light and
#: the dark page alike, and never the vermilion that marks the cheapest to deliver.
_MATURITY_RAMP = ("#56B4E9", PALETTE[0])


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------


def _whole_grid(values: object, name: str) -> np.ndarray:
    """A 1-d, strictly increasing grid of whole numbers (the values a control can take)."""
    arr = np.atleast_1d(as_float_array(values, name))
    if arr.ndim != 1 or arr.size < 2:
        raise ValueError(f"{name} must be a 1-d sequence of at least two values")
    if np.any(np.diff(arr) <= 0):
        raise ValueError(f"{name} must be strictly increasing")
    if not np.allclose(arr, np.round(arr), atol=1e-9):
        raise ValueError(f"{name} must be whole numbers, got {arr.tolist()}")
    return np.round(arr).astype(int)


def _step(values: np.ndarray, name: str) -> int:
    """The common step of an evenly spaced grid of whole numbers."""
    steps = np.unique(np.diff(values))
    if steps.size != 1:
        raise ValueError(f"{name} must be evenly spaced, got steps {steps.tolist()}")
    return int(steps[0])


def _initial(value: float, values: np.ndarray, name: str) -> float:
    """``value`` if it is one of the grid's values (in the grid's units), else ValueError."""
    if not np.any(np.isclose(values, value)):
        raise ValueError(
            f"{name} must be one of the grid's values {values.tolist()}, got {value!r}"
        )
    return value


def _bond_order(grid: pd.DataFrame) -> list[str]:
    """Bond labels sorted by maturity (the basket's natural order)."""
    firsts = grid.drop_duplicates("bond").sort_values("maturity_years")
    return firsts["bond"].tolist()


def _years(maturity: pd.Series, settle: dt.date) -> np.ndarray:
    return np.array([(m - settle).days / 365.25 for m in maturity])


# --------------------------------------------------------------------------------------------
# The basket at a range of repo rates
# --------------------------------------------------------------------------------------------


def basket_repo_grid(
    bonds: Sequence[Treasury],
    clean_prices,
    futures_price: float,
    contract: str | FuturesContract,
    settle: dt.date,
    delivery: dt.date,
    repo_bp,
) -> pd.DataFrame:
    """The basis sheet (:func:`treasury_rv.futures.basket_table`) at each of several repo rates.

    Parameters
    ----------
    bonds : sequence of Treasury
        The deliverable basket.
    clean_prices : sequence of float
        Clean prices at settlement, per 100, one per bond.
    futures_price : float
        Futures price, points per 100.
    contract : str or FuturesContract
        Contract code such as ``"TYM25"``.
    settle, delivery : datetime.date
        Settlement and delivery dates.
    repo_bp : sequence of int
        Term repo rates, basis points (430 for 4.30%), evenly spaced and increasing.

    Returns
    -------
    pandas.DataFrame
        The columns of ``basket_table`` plus ``repo_bp`` (int) and ``maturity_years``
        (years from settlement), one row per repo rate and bond.

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.futures import deliverable_basket
    >>> basket = deliverable_basket("TYM25")[6:8]  # the Feb-32 and May-32 ten-year notes
    >>> g = basket_repo_grid(basket, [87.0, 92.6], 110.5, "TYM25", dt.date(2025, 4, 3),
    ...                      dt.date(2025, 6, 2), [400, 425, 450])
    >>> len(g), sorted(g["repo_bp"].unique().tolist())
    (6, [400, 425, 450])
    """
    rates = _whole_grid(repo_bp, "repo_bp")
    _step(rates, "repo_bp")
    if len(rates) * len(bonds) > MAX_ROWS:
        raise ValueError(f"repo_bp x bonds gives more than {MAX_ROWS} rows")
    frames = []
    for bp in rates:
        table = basket_table(
            bonds, clean_prices, futures_price, contract, settle, delivery, bp / 1e4
        )
        frames.append(table.assign(repo_bp=int(bp)))
    grid = pd.concat(frames, ignore_index=True)
    grid["maturity_years"] = _years(grid["maturity"], settle)
    return grid


def basket_chart(grid: pd.DataFrame, *, repo_bp: int) -> alt.VConcatChart:
    """Implied repo against a repo-rate slider, and the net basis that results, bond by bond.

    Top: each bond's implied repo rate (independent of the repo rate) with a rule at the repo
    rate chosen on the slider; a bond whose implied repo is above it delivers at a profit.
    Bottom: each bond's net basis at that repo rate, the cheapest to deliver marked.

    Parameters
    ----------
    grid : pandas.DataFrame
        From :func:`basket_repo_grid`.
    repo_bp : int
        Initial repo rate, basis points; one of the grid's ``repo_bp`` values.

    Returns
    -------
    altair.VConcatChart

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.futures import deliverable_basket
    >>> basket = deliverable_basket("TYM25")[6:8]  # the Feb-32 and May-32 ten-year notes
    >>> g = basket_repo_grid(basket, [87.0, 92.6], 110.5, "TYM25", dt.date(2025, 4, 3),
    ...                      dt.date(2025, 6, 2), [400, 425, 450])
    >>> chart = basket_chart(g, repo_bp=425)
    """
    cols = ("bond", "maturity_years", "repo_bp", "implied_repo", "net_basis_32nds", "ctd")
    grid = chart_frame(grid, cols, "grid")
    rates = np.sort(grid["repo_bp"].unique())
    step = _step(rates, "grid['repo_bp']")
    _initial(repo_bp, rates, "repo_bp")
    repo = slider(
        "repo_pct",
        start=rates[0] / 100,
        stop=rates[-1] / 100,
        step=step / 100,
        value=repo_bp / 100,
        label="Term repo rate (%)",
    )
    data = grid.loc[:, list(cols)].assign(
        implied_repo_pct=100 * grid["implied_repo"], repo_bp=grid["repo_bp"].astype(int)
    )
    order = _bond_order(data)
    chosen = alt.datum.repo_bp == alt.expr.round(repo * 100)
    bond_axis = alt.Y("bond:N", sort=order, title=None)

    irr = data.loc[data["repo_bp"] == rates[0]]
    irr_lo, irr_hi = (
        min(irr["implied_repo_pct"].min(), rates[0] / 100),
        max(irr["implied_repo_pct"].max(), rates[-1] / 100),
    )
    pad = 0.05 * (irr_hi - irr_lo)
    irr_scale = alt.Scale(domain=[irr_lo - pad, irr_hi + pad], nice=False)
    points = (
        alt.Chart(irr)
        .transform_calculate(
            side=f"datum.implied_repo_pct > {repo.name} ? 'Above the repo rate' : 'At or below it'"
        )
        .mark_point(size=80, filled=True, opacity=1)
        .encode(
            x=alt.X("implied_repo_pct:Q", title="Implied repo rate (%, ACT/360)", scale=irr_scale),
            y=bond_axis,
            color=alt.Color(
                "side:N",
                title=None,
                # Grey and green, legible on light and dark pages: vermilion marks the CTD.
                scale=alt.Scale(
                    domain=["At or below it", "Above the repo rate"], range=_ABOVE_BELOW
                ),
                legend=_STACKED,
            ),
            tooltip=[
                alt.Tooltip("bond:N", title="Bond"),
                alt.Tooltip("implied_repo_pct:Q", title="Implied repo (%)", format=".3f"),
            ],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"row": [0]}))
        .transform_calculate(repo=repo.name)
        .mark_rule(strokeDash=[6, 3], strokeWidth=2, color=_VERMILION)
        .encode(x=alt.X("repo:Q", scale=irr_scale))
    )
    top = alt.layer(points, rule).properties(
        width=PLOT_WIDTH, height=ROW_HEIGHT * len(order), title="Implied repo against repo"
    )

    nb = data["net_basis_32nds"]
    nb_pad = 0.05 * (nb.max() - nb.min())
    bars = (
        alt.Chart(data)
        .transform_filter(chosen)
        .transform_calculate(role="datum.ctd ? 'Cheapest to deliver' : 'Other deliverable'")
        .mark_bar()
        .encode(
            x=alt.X(
                "net_basis_32nds:Q",
                title="Net basis (32nds per 100 face)",
                scale=alt.Scale(domain=[nb.min() - nb_pad, nb.max() + nb_pad], nice=False),
            ),
            y=bond_axis,
            color=alt.Color(
                "role:N",
                title=None,
                scale=alt.Scale(domain=["Other deliverable", "Cheapest to deliver"]),
                legend=_STACKED,
            ),
            tooltip=[
                alt.Tooltip("bond:N", title="Bond"),
                alt.Tooltip("net_basis_32nds:Q", title="Net basis (32nds)", format=".2f"),
                alt.Tooltip("implied_repo_pct:Q", title="Implied repo (%)", format=".3f"),
            ],
        )
        .properties(
            width=PLOT_WIDTH, height=ROW_HEIGHT * len(order), title="Net basis at that rate"
        )
    )
    return (
        alt.vconcat(top, bars, description=_BASKET_DESCRIPTION)
        .add_params(repo)
        .resolve_scale(color="independent")
    )


_BASKET_DESCRIPTION = (
    "Two bar and dot charts of the deliverable basket. Top: each bond's implied repo rate with a "
    "dashed line at the chosen repo rate. Bottom: each bond's net basis in 32nds at that repo "
    "rate, the cheapest to deliver highlighted."
)


# --------------------------------------------------------------------------------------------
# CTD switching
# --------------------------------------------------------------------------------------------


def ctd_switch_chart(
    grid: pd.DataFrame,
    settle: dt.date,
    *,
    shift_bp: int = 0,
    twist_bp: int = 0,
    clip_32nds: float = 64.0,
) -> alt.VConcatChart:
    """Each bond's net basis as yields shift, and the cheapest to deliver at the chosen shift.

    Top: net basis of every bond (32nds) against the parallel yield shift, with a rule at the
    shift chosen on the slider; the bond lying lowest is the cheapest to deliver. Bottom: the
    net basis of each bond at the chosen shift, the CTD highlighted. A drop-down picks the
    twist (steepening or flattening of the basket's yields).

    Parameters
    ----------
    grid : pandas.DataFrame
        From :func:`treasury_rv.delivery.ctd_grid`, with whole-number ``shift_bp`` (evenly
        spaced) and ``twist_bp`` values and the bonds' ``maturity`` column added (dates).
    settle : datetime.date
        Settlement date (maturities are shown as years from it).
    shift_bp : int, default 0
        Initial parallel shift, basis points; one of the grid's values.
    twist_bp : int, default 0
        Initial twist, basis points; one of the grid's values.
    clip_32nds : float, default 64
        Upper end of the top panel's net-basis axis, 32nds; lines of notes far from
        delivery run off its top (the bottom panel's axis always fits the chosen shift).

    Returns
    -------
    altair.VConcatChart

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.delivery import ctd_grid
    >>> from treasury_rv.futures import deliverable_basket
    >>> basket = [deliverable_basket("TYM25")[i] for i in (0, 11)]
    >>> g = ctd_grid(basket, [0.0405, 0.0418], None, "TYM25", dt.date(2025, 4, 3),
    ...              dt.date(2025, 6, 2), 0.043, [-100, 0, 100])
    >>> g["maturity"] = [b.maturity for b in basket] * 3
    >>> chart = ctd_switch_chart(g, dt.date(2025, 4, 3))
    """
    cols = ("shift_bp", "twist_bp", "bond", "maturity", "net_basis_32nds", "is_ctd", "yield")
    grid = chart_frame(grid, cols, "grid")
    shifts = _whole_grid(np.sort(grid["shift_bp"].unique()), "grid['shift_bp']")
    step = _step(shifts, "grid['shift_bp']")
    twists = np.sort(grid["twist_bp"].unique())
    if not np.allclose(twists, np.round(twists)):
        raise ValueError("grid['twist_bp'] must be whole numbers of basis points")
    twists = np.round(twists).astype(int)
    _initial(shift_bp, shifts, "shift_bp")
    _initial(twist_bp, twists, "twist_bp")
    if not clip_32nds > 0:
        raise ValueError(f"clip_32nds must be positive, got {clip_32nds!r}")

    data = pd.DataFrame(
        {
            "shift_bp": np.round(grid["shift_bp"].to_numpy()).astype(int),
            "twist_bp": np.round(grid["twist_bp"].to_numpy()).astype(int),
            "bond": grid["bond"].to_numpy(),
            "maturity_years": _years(grid["maturity"], settle),
            "yield_pct": 100 * grid["yield"].to_numpy(),
            "net_basis_32nds": grid["net_basis_32nds"].to_numpy(),
            "is_ctd": grid["is_ctd"].to_numpy(dtype=bool),
        }
    )
    order = _bond_order(data)
    shift = slider(
        "shift_bp",
        start=int(shifts[0]),
        stop=int(shifts[-1]),
        step=step,
        value=shift_bp,
        label="Parallel yield shift (bp)",
    )
    twist_labels = [
        "none" if t == 0 else (f"steepen {t} bp" if t > 0 else f"flatten {-t} bp") for t in twists
    ]
    twist = select(
        "twist_bp",
        [int(t) for t in twists],
        value=int(twist_bp),
        label="Twist (longest minus shortest yield)",
        labels=twist_labels,
    )
    low = min(float(data["net_basis_32nds"].min()), 0.0)
    y_scale = alt.Scale(domain=[low - 2, clip_32nds], nice=False, clamp=False)
    colour = alt.Color(
        "maturity_years:Q",
        title="Years to maturity",
        scale=alt.Scale(range=list(_MATURITY_RAMP)),
        legend=alt.Legend(orient="bottom", gradientLength=160),
    )
    base = alt.Chart(data).transform_filter(alt.datum.twist_bp == twist)
    lines = base.mark_line(strokeWidth=1.8, clip=True).encode(
        x=alt.X("shift_bp:Q", title="Parallel yield shift (bp)"),
        y=alt.Y("net_basis_32nds:Q", title="Net basis (32nds)", scale=y_scale),
        color=colour,
        detail="bond:N",
        tooltip=[
            alt.Tooltip("bond:N", title="Bond"),
            alt.Tooltip("shift_bp:Q", title="Shift (bp)"),
            alt.Tooltip("net_basis_32nds:Q", title="Net basis (32nds)", format=".1f"),
        ],
    )
    ctd_points = (
        base.transform_filter(alt.datum.is_ctd)
        .mark_point(size=18, filled=True, color=_VERMILION, clip=True)
        .encode(x="shift_bp:Q", y=alt.Y("net_basis_32nds:Q", scale=y_scale))
    )
    rule = (
        alt.Chart(pd.DataFrame({"row": [0]}))
        .transform_calculate(shift=shift.name)
        .mark_rule(strokeDash=[6, 3], strokeWidth=2)
        .encode(x="shift:Q")
    )
    top = alt.layer(lines, ctd_points, rule).properties(
        width=PLOT_WIDTH, height=200, title="Net basis as yields shift"
    )

    bars = (
        base.transform_filter(alt.datum.shift_bp == alt.expr.round(shift))
        .transform_calculate(
            role="datum.is_ctd ? 'Cheapest to deliver' : 'Other deliverable'",
            yield_label="format(datum.yield_pct, '.2f') + '%'",
        )
        .mark_bar()
        .encode(
            # The axis follows the chosen scenario, so no bar is ever cut off.
            x=alt.X("net_basis_32nds:Q", title="Net basis at the chosen shift (32nds)"),
            y=alt.Y("bond:N", sort=order, title=None),
            color=alt.Color(
                "role:N",
                title=None,
                scale=alt.Scale(domain=["Other deliverable", "Cheapest to deliver"]),
                legend=_STACKED,
            ),
            tooltip=[
                alt.Tooltip("bond:N", title="Bond"),
                alt.Tooltip("yield_label:N", title="Yield"),
                alt.Tooltip("net_basis_32nds:Q", title="Net basis (32nds)", format=".1f"),
            ],
        )
        .properties(width=PLOT_WIDTH, height=ROW_HEIGHT * len(order), title="Which is cheapest")
    )
    return (
        alt.vconcat(top, bars, description=_CTD_DESCRIPTION)
        .add_params(shift, twist)
        .resolve_scale(color="independent")
    )


_CTD_DESCRIPTION = (
    "Line chart of each deliverable bond's net basis in 32nds against a parallel shift in "
    "yields, with the chosen shift marked, above a bar chart of the net basis at that shift "
    "with the cheapest to deliver highlighted."
)


# --------------------------------------------------------------------------------------------
# The levered position under stress
# --------------------------------------------------------------------------------------------


def stress_grid(
    bond: Treasury,
    contract: str | FuturesContract,
    settle: dt.date,
    delivery: dt.date,
    clean_price: float,
    futures_price: float,
    *,
    repo_rate: float,
    cheapenings_32nds,
    margin_pcts,
    days: int = 20,
    shock_day: int = 5,
    face: float = 100e6,
    haircut: float = 0.0,
    initial_margin: float = 2_000.0,
    equity: float | None = None,
) -> pd.DataFrame:
    """Equity and margin of the levered basis position under each basis shock and margin hike.

    Illustrative scenarios, one :func:`treasury_rv.futures.basis_shock_path` for each pair of
    a cheapening of cash against futures and a margin level. Without a shock the bond follows
    its forward price at the repo rate (so carry is paid for) and its net basis shrinks to
    zero at ``delivery``, so the calm path earns the trade's profit steadily; from
    ``shock_day`` on the bond is a further ``cheapening`` 32nds cheaper and the futures
    initial margin is ``margin_pct`` per cent of its starting level.

    Parameters
    ----------
    bond : Treasury
        The bond held (normally the CTD).
    contract : str or FuturesContract
        Contract shorted.
    settle : datetime.date
        First day of the path (a business day).
    delivery : datetime.date
        Delivery day of ``contract``, on or after the last day of the path.
    clean_price : float
        Starting clean price, per 100.
    futures_price : float
        Futures price, points per 100.
    repo_rate : float
        Repo rate, decimal, ACT/360.
    cheapenings_32nds : sequence of int
        Cheapenings of cash against futures (falls of the basis), 32nds (whole numbers,
        evenly spaced, increasing).
    margin_pcts : sequence of int
        Futures initial margin after the shock, percent of its starting level (100 = no
        change; positive whole numbers, evenly spaced, increasing).
    days : int, default 20
        Business days in the path after ``settle``.
    shock_day : int, default 5
        Day (1 to ``days``) on which the shock arrives.
    face : float, default 100e6
        Face of bonds held, dollars.
    haircut : float, default 0
        Repo haircut, decimal.
    initial_margin : float, default 2000
        Futures initial margin per contract before the shock, dollars.
    equity : float, optional
        Starting equity, dollars (default: the first day's margin requirement).

    Returns
    -------
    pandas.DataFrame
        Columns ``cheapening_32nds``, ``margin_pct`` (ints), ``day``, ``equity``,
        ``margin_requirement``, ``excess_equity`` (dollars), ``leverage``, ``margin_call``;
        one row per scenario and day.

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.bonds import Treasury
    >>> g = stress_grid(Treasury(0.0425, dt.date(2032, 2, 15)), "TYM25", dt.date(2025, 3, 3),
    ...                 dt.date(2025, 6, 30), 99.5, 109.625, repo_rate=0.043,
    ...                 cheapenings_32nds=[0, 16], margin_pcts=[100, 200], days=5, shock_day=2)
    >>> len(g)
    24
    """
    cheapenings = _whole_grid(cheapenings_32nds, "cheapenings_32nds")
    margins = _whole_grid(margin_pcts, "margin_pcts")
    _step(cheapenings, "cheapenings_32nds")
    _step(margins, "margin_pcts")
    if np.any(margins <= 0):
        raise ValueError(f"margin_pcts must be positive, got {margins.tolist()}")
    keep = ["day", "equity", "margin_requirement", "excess_equity", "leverage", "margin_call"]
    frames = []
    for w in cheapenings:
        for m in margins:
            path = basis_shock_path(
                bond, contract, settle, delivery, clean_price, futures_price,
                days=days, shock_day=shock_day, cash_cheapening_32nds=w,
                margin_multiplier=m / 100, face=face, repo_rate=repo_rate, haircut=haircut,
                initial_margin=initial_margin, equity=equity,
            )  # fmt: skip
            if len(cheapenings) * len(margins) * len(path) > MAX_ROWS:
                raise ValueError(f"the grid would have more than {MAX_ROWS} rows")
            frames.append(path[keep].assign(cheapening_32nds=int(w), margin_pct=int(m)))
    grid = pd.concat(frames, ignore_index=True)
    return grid[["cheapening_32nds", "margin_pct", *keep]]


def stress_chart(
    grid: pd.DataFrame, *, cheapening_32nds: int = 0, margin_pct: int = 100
) -> alt.LayerChart:
    """The levered basis position's equity and margin requirement, day by day, under stress.

    Two sliders choose how far cash cheapens against futures (32nds: the basis falls by that
    much) and the futures margin after the shock
    (percent of its starting level); days on which equity is below the requirement are marked
    as margin calls.

    Parameters
    ----------
    grid : pandas.DataFrame
        From :func:`stress_grid`.
    cheapening_32nds : int, default 0
        Initial cheapening of cash against futures, 32nds; one of the grid's values.
    margin_pct : int, default 100
        Initial margin level, percent; one of the grid's values.

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.bonds import Treasury
    >>> g = stress_grid(Treasury(0.0425, dt.date(2032, 2, 15)), "TYM25", dt.date(2025, 3, 3),
    ...                 dt.date(2025, 6, 30), 99.5, 109.625, repo_rate=0.043,
    ...                 cheapenings_32nds=[0, 16], margin_pcts=[100, 200], days=5, shock_day=2)
    >>> chart = stress_chart(g, cheapening_32nds=16)
    """
    cols = ("cheapening_32nds", "margin_pct", "day", "equity", "margin_requirement", "margin_call")
    grid = chart_frame(grid, cols, "grid")
    cheapenings = _whole_grid(
        np.sort(grid["cheapening_32nds"].unique()), "grid['cheapening_32nds']"
    )
    margins = _whole_grid(np.sort(grid["margin_pct"].unique()), "grid['margin_pct']")
    _initial(cheapening_32nds, cheapenings, "cheapening_32nds")
    _initial(margin_pct, margins, "margin_pct")
    cheapen = slider(
        "cheapening_32nds",
        start=int(cheapenings[0]),
        stop=int(cheapenings[-1]),
        step=_step(cheapenings, "grid['cheapening_32nds']"),
        value=cheapening_32nds,
        label="Cash cheapening vs futures (32nds)",
    )
    hike = slider(
        "margin_pct",
        start=int(margins[0]),
        stop=int(margins[-1]),
        step=_step(margins, "grid['margin_pct']"),
        value=margin_pct,
        label="Futures margin after the shock (% of before)",
    )
    series = ["Equity", "Margin requirement"]
    data = pd.DataFrame(
        {
            "cheapening_32nds": np.round(grid["cheapening_32nds"].to_numpy()).astype(int),
            "margin_pct": np.round(grid["margin_pct"].to_numpy()).astype(int),
            "day": grid["day"].to_numpy(),
            "margin_call": grid["margin_call"].to_numpy(dtype=bool),
            series[0]: grid["equity"].to_numpy() / 1e6,
            series[1]: grid["margin_requirement"].to_numpy() / 1e6,
        }
    )
    chosen = (alt.datum.cheapening_32nds == alt.expr.round(cheapen)) & (
        alt.datum.margin_pct == alt.expr.round(hike)
    )
    lo = float(data[series].to_numpy().min())
    hi = float(data[series].to_numpy().max())
    pad = 0.05 * (hi - lo)
    y = alt.Y(
        "usd_mn:Q",
        title="US$ million",
        scale=alt.Scale(domain=[min(lo - pad, 0.0), hi + pad], nice=False),
    )
    x = alt.X("day:Q", title="Business days", axis=alt.Axis(tickMinStep=1))
    base = alt.Chart(data).transform_filter(chosen).transform_fold(series, as_=["series", "usd_mn"])
    lines = base.mark_line().encode(
        x=x,
        y=y,
        color=alt.Color(
            "series:N",
            title=None,
            scale=alt.Scale(domain=[series[0], "Margin call", series[1]]),
            # Stacked, so the legend never sets the width of a phone-sized chart.
            legend=alt.Legend(direction="vertical"),
        ),
        strokeDash=alt.StrokeDash(
            "series:N",
            legend=None,
            scale=alt.Scale(domain=series, range=[[1, 0], [6, 3]]),
        ),
        tooltip=[
            alt.Tooltip("day:Q", title="Day"),
            alt.Tooltip("series:N", title="Series"),
            alt.Tooltip("usd_mn:Q", title="US$ mn", format=",.2f"),
        ],
    )
    calls = (
        base.transform_filter((alt.datum.series == series[0]) & alt.datum.margin_call)
        .transform_calculate(flag="'Margin call'")
        .mark_point(shape="triangle-down", size=90, filled=True)
        .encode(x=x, y=y, color=alt.Color("flag:N", legend=alt.Legend(direction="vertical")))
    )
    zero = alt.Chart(pd.DataFrame({"usd_mn": [0.0]})).mark_rule(opacity=0.4).encode(y="usd_mn:Q")
    return (
        alt.layer(zero, lines, calls, description=_STRESS_DESCRIPTION)
        .add_params(cheapen, hike)
        .properties(width="container", height=300)
    )


_STRESS_DESCRIPTION = (
    "Line chart of the levered basis position's equity and margin requirement in US dollar "
    "millions over business days, with triangles on days of a margin call; sliders set the "
    "cheapening of cash against futures and the futures margin after the shock."
)


# --------------------------------------------------------------------------------------------
# The basket on a few dates
# --------------------------------------------------------------------------------------------


def basis_by_date_chart(frame: pd.DataFrame) -> alt.LayerChart:
    """Net basis of each note of a basket on a few dates, with each date's CTD ringed.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per date and note, with columns ``date`` (a label, e.g. ``"2 Apr"``; dates are
        drawn in the order they first appear), ``bond`` (label; notes in the order they first
        appear), ``net_basis_32nds`` and ``ctd`` (bool, one True per date).

    Returns
    -------
    altair.LayerChart

    Examples
    --------
    >>> f = pd.DataFrame({"date": ["2 Apr", "2 Apr", "9 Apr", "9 Apr"],
    ...                   "bond": ["A", "B", "A", "B"], "net_basis_32nds": [-1.4, 0.3, 0.2, -1.1],
    ...                   "ctd": [True, False, False, True]})
    >>> chart = basis_by_date_chart(f)
    """
    frame = chart_frame(frame, ("date", "bond", "net_basis_32nds", "ctd"), "frame")
    ctd = frame["ctd"].to_numpy(dtype=bool)
    per_date = pd.Series(ctd).groupby(frame["date"].to_numpy()).sum()
    if not (per_date == 1).all():
        raise ValueError("frame['ctd'] must mark exactly one note on each date")
    dates = list(dict.fromkeys(frame["date"]))
    bonds = list(dict.fromkeys(frame["bond"]))
    if len(dates) > len(PALETTE) - 1:
        raise ValueError(f"frame has {len(dates)} dates; at most {len(PALETTE) - 1} can be drawn")
    data = pd.DataFrame(
        {
            "date": frame["date"].to_numpy(),
            "bond": frame["bond"].to_numpy(),
            "net_basis_32nds": frame["net_basis_32nds"].to_numpy(dtype=float),
            "ctd": ctd,
        }
    )
    colours = [c for c in PALETTE if c != _VERMILION][: len(dates)]
    y = alt.Y("bond:N", title=None, sort=bonds)
    x = alt.X("net_basis_32nds:Q", title="Net basis (32nds)")
    base = alt.Chart(data)
    dots = base.mark_point(filled=True, size=60).encode(
        x=x,
        y=y,
        color=alt.Color(
            "date:N",
            title="Curve of",
            sort=dates,
            scale=alt.Scale(domain=dates, range=colours),
            legend=_STACKED,
        ),
        tooltip=[
            alt.Tooltip("date:N", title="Curve of"),
            alt.Tooltip("bond:N", title="Note"),
            alt.Tooltip("net_basis_32nds:Q", title="Net basis (32nds)", format=".2f"),
        ],
    )
    rings = (
        base.transform_filter(alt.datum.ctd)
        .mark_point(size=220, strokeWidth=2, color=_VERMILION)
        .encode(x=x, y=y)
    )
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(opacity=0.4).encode(x="x:Q")
    return alt.layer(zero, dots, rings, description=_BY_DATE_DESCRIPTION).properties(
        width=PLOT_WIDTH, height=ROW_HEIGHT * len(bonds)
    )


_BY_DATE_DESCRIPTION = (
    "Dot chart of each deliverable note's net basis in 32nds on a few curve dates, one colour "
    "a date; a vermilion ring marks the cheapest to deliver on each date."
)


# --------------------------------------------------------------------------------------------
# The basis sheet as a table
# --------------------------------------------------------------------------------------------


def basis_sheet(table: pd.DataFrame) -> pd.DataFrame:
    """A deliverable basket formatted as a trader's basis sheet, for display.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`treasury_rv.futures.basket_table`.

    Returns
    -------
    pandas.DataFrame
        Text columns, indexed by bond, with short headers so that the sheet fits a page
        column: ``Price`` in 32nds (eighths of a 32nd as a third digit), ``Yield`` and ``IRR``
        (implied repo) in percent to 3 decimals, ``CF`` to 4 decimals, ``Gross``, ``Carry``
        and ``Net`` basis in 32nds to 1 decimal (negatives with a true minus sign), and a
        mark in ``CTD``.

    Examples
    --------
    >>> import datetime as dt
    >>> from treasury_rv.futures import basket_table, deliverable_basket
    >>> basket = deliverable_basket("TYM25")[6:8]  # the Feb-32 and May-32 ten-year notes
    >>> t = basket_table(basket, [87.0, 92.6], 110.5, "TYM25",
    ...                  dt.date(2025, 4, 3), dt.date(2025, 6, 2), 0.043)
    >>> basis_sheet(t).loc["T 1 7/8 02/15/32", "Price"]
    '87-00'
    """
    cols = (
        "bond", "price", "yield", "cf", "gross_basis_32nds", "carry_32nds", "net_basis_32nds",
        "implied_repo", "ctd",
    )  # fmt: skip
    table = chart_frame(table, cols, "table")
    return pd.DataFrame(
        {
            "Price": [to_32nds(p) for p in table["price"]],
            "Yield": [pct(y, 3) for y in table["yield"]],
            "CF": [f"{cf:.4f}" for cf in table["cf"]],
            "IRR": [pct(r, 3) for r in table["implied_repo"]],
            "Gross": [number(x, 1) for x in table["gross_basis_32nds"]],
            "Carry": [number(x, 1) for x in table["carry_32nds"]],
            "Net": [number(x, 1) for x in table["net_basis_32nds"]],
            "CTD": ["✓" if c else "" for c in table["ctd"]],
        },
        index=pd.Index(table["bond"].tolist()),
    )
