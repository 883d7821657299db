"""Four stress episodes in cited figures, and one margin-spiral model run on three of them.

The facts come from the shipped dataset ``episodes`` (one row per sourced figure: LTCM in
1998, the March 2020 dash for cash, the April 2025 tariff shock and, for comparison, the UK
gilt/LDI crisis of September 2022), with the daily 10- and 30-year Treasury closes in
``daily_closes``. Every row names its source and says whether it is ``primary``,
``secondary`` or ``unconfirmed``; chapters read figures from here rather than retyping them.

The model is the primer's leverage-margin-forced-sale spiral,
:func:`treasury_rv.leverage.margin_spiral`, run on one calibration per US episode
(``episode_calibrations``): the position, its leverage and haircut, the shock, the market's
depth and the intervention (a recapitalisation for LTCM, central-bank purchases for March
2020, none in April 2025). Each parameter says whether it is sourced, derived from sourced
figures or illustrative. Everything the model returns is illustrative, not history: a
"round" of the spiral is a step of the model, not a day.

Units: money in dollars in the model (the dataset keeps each figure's own unit, such as
``usd_bn``); price changes as fractions; yield and spread moves in basis points (``_bp``);
dates as :class:`datetime.date`.
"""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np
import pandas as pd

from treasury_rv import leverage
from treasury_rv._validate import as_date, as_float_array, as_real
from treasury_rv.bonds import Treasury, modified_duration
from treasury_rv.curves import gsw_curve
from treasury_rv.data import shipped

__all__ = [
    "CURVE_WINDOW_DAYS",
    "EPISODES",
    "EPISODE_LABELS",
    "INTERVENTION_KINDS",
    "MODELLED",
    "POSITION_TYPES",
    "SERIES",
    "STATUSES",
    "calibration",
    "calibration_table",
    "close_change_bp",
    "daily_closes",
    "episode",
    "episode_outcomes",
    "episode_path",
    "episodes_table",
    "events",
    "fact",
    "figure",
    "first_forced_sale",
    "intervention_grid",
    "official_timeline",
    "price_impact_for_sales",
    "timeline",
]

#: Episode identifiers, in date order except the UK comparison, which comes last.
EPISODES = ("ltcm1998", "covid2020", "tariff2025", "gilt2022")

#: The US episodes run through the margin-spiral model.
MODELLED = ("ltcm1998", "covid2020", "tariff2025")

#: A short title for each episode, for tables and chart legends.
EPISODE_LABELS = {
    "ltcm1998": "LTCM, 1998",
    "covid2020": "Dash for cash, March 2020",
    "tariff2025": "Tariff shock, April 2025",
    "gilt2022": "UK gilts and LDI, 2022",
}

#: How well each figure is sourced: a primary source, a secondary one, or not confirmed.
STATUSES = ("primary", "secondary", "unconfirmed")

#: The trade each modelled episode's position stands for.
POSITION_TYPES = ("basis", "onoff", "swap_spread")

#: What an intervention does in the model (see :func:`treasury_rv.leverage.margin_spiral`).
INTERVENTION_KINDS = ("backstop", "recapitalisation")

#: Treasury constant-maturity series in ``daily_closes``.
SERIES = ("DGS10", "DGS30")

# Units whose values are words or dates rather than numbers.
_TEXT_UNITS = ("text", "date")
_BP = 1e4


# --------------------------------------------------------------------------------------------
# Argument checks
# --------------------------------------------------------------------------------------------


def _choice(value: object, name: str, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, one of {list(allowed)}, got {value!r}")
    if value not in allowed:
        raise ValueError(f"{name} must be one of {list(allowed)}, got {value!r}")
    return value


def _episode_name(name: object, allowed: tuple[str, ...] = EPISODES) -> str:
    return _choice(name, "name", allowed)


# --------------------------------------------------------------------------------------------
# The facts
# --------------------------------------------------------------------------------------------


def _typed(value: str, unit: str) -> float | str:
    return value if unit in _TEXT_UNITS else float(value)


@functools.cache
def _facts() -> pd.DataFrame:
    frame = shipped("episodes")
    frame["value"] = [_typed(str(v), u) for v, u in zip(frame["value"], frame["unit"], strict=True)]
    frame["reference"] = frame["reference"].fillna("")
    return frame


def episode(name: str) -> pd.DataFrame:
    """The sourced figures of one episode, one row per figure.

    Parameters
    ----------
    name : str
        Episode identifier, one of :data:`EPISODES`.

    Returns
    -------
    pandas.DataFrame
        Columns ``key`` (the figure's name), ``label`` (what it is, in words), ``value`` (a
        float, or a str when ``unit`` is ``"text"`` or ``"date"``; a ``"date"`` row marks an
        event on its ``date`` and its value says what happened), ``unit`` (``usd_bn``,
        ``gbp_bn``, ``bp``, ``percent``, ``x`` for a multiple of equity, ``32nds``, ...),
        ``date`` (the date the figure refers to, a :class:`datetime.date`; a month's figure
        carries the month's last day; None when the source gives no date), ``status``
        (``primary``, ``secondary`` or ``unconfirmed``), ``source`` (in words) and
        ``reference`` (bibliography keys, separated by ``;``, or empty).

    Examples
    --------
    >>> ltcm = episode("ltcm1998")
    >>> ltcm.set_index("key").loc["recapitalisation", ["value", "unit", "status"]].tolist()
    [3.6, 'usd_bn', 'primary']
    """
    facts = _facts()
    rows = facts[facts["episode"] == _episode_name(name)]
    return rows.drop(columns="episode").reset_index(drop=True)


def _row(name: str, key: object) -> pd.Series:
    rows = episode(name)
    if not isinstance(key, str):
        raise TypeError(f"key must be a str, got {type(key).__name__} {key!r}")
    match = rows[rows["key"] == key]
    if match.empty:
        raise ValueError(
            f"key {key!r} is not a figure of episode {name!r}; its keys are {rows['key'].tolist()}"
        )
    return match.iloc[0]


def fact(name: str, key: str) -> float | str:
    """One sourced figure of an episode: a float, or a str for words and dates.

    Parameters
    ----------
    name : str
        Episode identifier, one of :data:`EPISODES`.
    key : str
        The figure's key, as listed by :func:`episode`.

    Returns
    -------
    float or str
        The value in the unit :func:`figure` gives (``3.6`` for $3.6bn in ``usd_bn``).

    Examples
    --------
    >>> fact("covid2020", "purchases_treasuries_march")  # $bn, 15-31 March 2020
    775.0
    >>> fact("gilt2022", "intervention_by")
    'The Bank of England'
    """
    return _row(name, key)["value"]


def figure(name: str, key: str) -> dict[str, object]:
    """One figure with what a caption needs: value, unit, date, source, status.

    Parameters
    ----------
    name : str
        Episode identifier, one of :data:`EPISODES`.
    key : str
        The figure's key, as listed by :func:`episode`.

    Returns
    -------
    dict
        ``value``, ``unit``, ``label``, ``date`` (None if undated), ``status``, ``source``
        and ``reference`` (bibliography keys separated by ``;``, possibly empty).

    Examples
    --------
    >>> out = figure("tariff2025", "swap_spread_unwound")
    >>> out["value"], out["unit"], out["status"], out["reference"]
    (60.0, 'usd_bn', 'primary', 'monin2026decomposing')
    """
    row = _row(name, key)
    names = ("value", "unit", "label", "date", "status", "source", "reference")
    return {k: row[k] for k in names}


def daily_closes(name: str | None = None) -> pd.DataFrame:
    """The daily 10- and 30-year Treasury closes shipped for the episodes.

    Parameters
    ----------
    name : str, optional
        Episode identifier, one of :data:`EPISODES`; by default every episode's closes. The
        gilt episode has no US closes, so its frame is empty.

    Returns
    -------
    pandas.DataFrame
        Columns ``date`` (:class:`datetime.date`), ``episode``, ``series`` (``DGS10`` or
        ``DGS30``), ``close`` (yield as a decimal, 0.0505 for 5.05%) and ``source``, in date
        order.

    Examples
    --------
    >>> closes = daily_closes("covid2020")
    >>> closes[closes["series"] == "DGS30"]["close"].tolist()
    [0.0099, 0.0177]
    """
    frame = shipped("daily_closes")
    if name is not None:
        frame = frame[frame["episode"] == _episode_name(name)]
    return frame.sort_values(["date", "series"], kind="stable").reset_index(drop=True)


def _close(name: str, series: str, day: dt.date, arg: str) -> float:
    closes = daily_closes(name)
    closes = closes[closes["series"] == series]
    match = closes[closes["date"] == day]
    if match.empty:
        days = [d.isoformat() for d in closes["date"]]
        raise ValueError(
            f"{arg} {day.isoformat()} has no {series} close for {name!r}; dates with one: {days}"
        )
    return float(match["close"].iloc[0])


def close_change_bp(name: str, series: str, start: dt.date, end: dt.date) -> float:
    """Change in a shipped Treasury close between two dates, in basis points.

    Parameters
    ----------
    name : str
        Episode identifier, one of :data:`EPISODES`.
    series : str
        ``"DGS10"`` or ``"DGS30"``.
    start, end : datetime.date
        Dates with a shipped close for that episode and series.

    Returns
    -------
    float
        ``(close at end - close at start) x 10,000``, bp (positive for a rise in yield).

    Examples
    --------
    >>> import datetime as dt
    >>> round(close_change_bp("covid2020", "DGS10", dt.date(2020, 3, 9), dt.date(2020, 3, 18)))
    64
    """
    name = _episode_name(name)
    series = _choice(series, "series", SERIES)
    first = _close(name, series, as_date(start, "start"), "start")
    last = _close(name, series, as_date(end, "end"), "end")
    return (last - first) * _BP


#: Days either side of an episode's stress within which a shipped Fed fitted curve belongs to it.
CURVE_WINDOW_DAYS = 90

_FITTED_MATURITIES = {"DGS10": 10.0, "DGS30": 30.0}


def events(name: str) -> pd.DataFrame:
    """The dated figures of an episode, in date order, for a timeline's marks.

    Parameters
    ----------
    name : str
        Episode identifier, one of :data:`EPISODES`.

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`episode` that carry a date, sorted by date (ties in the dataset's
        order), with the same columns.

    Examples
    --------
    >>> events("gilt2022")["date"].iloc[0].isoformat()
    '2022-09-22'
    """
    rows = episode(name)
    rows = rows[rows["date"].notna()]
    return rows.sort_values("date", kind="stable").reset_index(drop=True)


def official_timeline(name: str | None = None) -> pd.DataFrame:
    """The dated turning points of an episode: official actions and the market events between.

    From the shipped dataset ``timelines``: one row per event, each with its date, its status
    (:data:`STATUSES`) and its source (and a bibliography key where the book cites one).

    Parameters
    ----------
    name : str, optional
        Episode identifier, one of :data:`MODELLED`; by default every episode's events.

    Returns
    -------
    pandas.DataFrame
        Columns ``episode``, ``date`` (:class:`datetime.date`), ``event``, ``status``,
        ``source`` and ``reference`` (``""`` where there is no bibliography key), sorted by
        episode and date.

    Examples
    --------
    >>> line = official_timeline("covid2020")
    >>> [d.isoformat() for d in line["date"]][:3]
    ['2020-03-03', '2020-03-12', '2020-03-15']
    """
    frame = shipped("timelines").fillna({"reference": ""})
    if name is not None:
        frame = frame[frame["episode"] == _episode_name(name, MODELLED)]
    return frame.sort_values(["episode", "date"], kind="stable", ignore_index=True)


def timeline(name: str) -> pd.DataFrame:
    """The shipped 10- and 30-year Treasury yields around an episode, for a timeline chart.

    Two kinds of point: the constant-maturity closes of :func:`daily_closes`, and the par
    yields at 10 and 30 years of the Federal Reserve's fitted (Gurkaynak-Sack-Wright) curves
    shipped for dates within :data:`CURVE_WINDOW_DAYS` of the episode's stress
    (:func:`treasury_rv.curves.gsw_curve`; the fitted curve leaves out the newest issues, so it
    sits a little apart from the closes). The gilt episode has no shipped US yields: its frame
    is empty.

    Parameters
    ----------
    name : str
        Episode identifier, one of :data:`EPISODES`.

    Returns
    -------
    pandas.DataFrame
        Columns ``date``, ``maturity`` (``"10-year"`` or ``"30-year"``), ``kind``
        (``"close"`` or ``"fitted par"``), ``rate`` (the yield, decimal, semiannual bond basis) and
        ``source``, sorted by date, maturity and kind.

    Examples
    --------
    >>> line = timeline("covid2020")
    >>> sorted(line["kind"].unique())
    ['close', 'fitted par']
    """
    name = _episode_name(name)
    closes = daily_closes(name)
    rows = [
        {
            "date": d,
            "maturity": f"{series[3:]}-year",
            "kind": "close",
            "rate": close,
            "source": source,
        }
        for d, series, close, source in zip(
            closes["date"], closes["series"], closes["close"], closes["source"], strict=True
        )
    ]
    start, end = (_row(name, k)["date"] for k in ("stress_start", "stress_end"))
    window = dt.timedelta(days=CURVE_WINDOW_DAYS)
    if not closes.empty:
        for d in shipped("gsw_svensson")["date"]:
            if start - window <= d <= end + window:
                curve = gsw_curve(d)
                for series, years in _FITTED_MATURITIES.items():
                    rows.append(
                        {
                            "date": d,
                            "maturity": f"{series[3:]}-year",
                            "kind": "fitted par",
                            "rate": float(curve.par_yield(years)),
                            "source": "Federal Reserve Board, feds200628 (Gurkaynak, Sack and "
                            "Wright 2007): par yield on the fitted curve",
                        }
                    )
    columns = ["date", "maturity", "kind", "rate", "source"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["date", "maturity", "kind"], kind="stable", ignore_index=True)


# --------------------------------------------------------------------------------------------
# Calibrations
# --------------------------------------------------------------------------------------------


def calibration_table() -> pd.DataFrame:
    """Every modelled episode's parameters with their basis and source, one row each.

    Returns
    -------
    pandas.DataFrame
        Columns ``episode``, ``parameter``, ``value`` (as written in the CSV), ``unit``,
        ``basis`` (``sourced``, ``derived`` from sourced figures, or ``illustrative``) and
        ``source``.

    Examples
    --------
    >>> table = calibration_table()
    >>> sorted(table["basis"].unique())
    ['derived', 'illustrative', 'sourced']
    """
    return shipped("episode_calibrations")


_NUMBERS = (
    "position",
    "leverage",
    "haircut",
    "haircut_increase",
    "shock",
    "price_impact_per_bn",
    "bond_coupon",
    "intervention_size",
)


def calibration(name: str) -> dict[str, object]:
    """One episode's model parameters, typed and ready for the spiral.

    The duration that turns the model's price moves into yield (or spread) moves is that of
    the episode's on-the-run bond at the shipped constant-maturity close, computed with
    :func:`treasury_rv.bonds.modified_duration`.

    Parameters
    ----------
    name : str
        Episode identifier, one of :data:`MODELLED`.

    Returns
    -------
    dict
        ``position_type`` (one of :data:`POSITION_TYPES`), ``position`` (dollars),
        ``leverage`` (position / equity), ``equity`` (dollars), ``haircut``,
        ``haircut_increase`` and ``shock`` (fractions; the shock is a price change),
        ``price_impact_per_bn`` (fraction of the price per $1bn sold), ``bond``
        (:class:`~treasury_rv.bonds.Treasury`), ``bond_date``, ``bond_yield`` (decimal),
        ``duration`` (modified duration, years), ``shock_bp`` (the shock as a yield or
        spread move, bp), ``intervention_kind`` (one of :data:`INTERVENTION_KINDS`),
        ``intervention_size`` (dollars) and ``intervention_delay`` (rounds).

    Examples
    --------
    >>> cal = calibration("covid2020")
    >>> cal["position_type"], cal["leverage"], cal["intervention_kind"]
    ('basis', 50.0, 'backstop')
    """
    return dict(_calibration(_episode_name(name, MODELLED)))


@functools.cache
def _calibration(name: str) -> dict[str, object]:
    table = calibration_table()
    values = table[table["episode"] == name].set_index("parameter")["value"]
    out: dict[str, object] = {k: float(values[k]) for k in _NUMBERS}
    out["position_type"] = _choice(values["position_type"], "position_type", POSITION_TYPES)
    out["intervention_kind"] = _choice(
        values["intervention_kind"], "intervention_kind", INTERVENTION_KINDS
    )
    out["intervention_delay"] = int(values["intervention_delay"])
    out["equity"] = out["position"] / out["leverage"]
    bond_date = dt.date.fromisoformat(values["bond_date"])
    bond = Treasury(out.pop("bond_coupon"), dt.date.fromisoformat(values["bond_maturity"]))
    bond_yield = _close(name, values["bond_series"], bond_date, "bond_date")
    out.update(bond=bond, bond_date=bond_date, bond_yield=bond_yield)
    out["duration"] = float(modified_duration(bond, bond_date, bond_yield))
    out["shock_bp"] = -out["shock"] / out["duration"] * _BP
    return out


# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------


def _size(value: object, name: str) -> float:
    out = as_real(value, name)
    if out < 0:
        raise ValueError(f"{name} must not be negative, got {out!r}")
    return out


def _delay(value: object, cal: dict[str, object]) -> int:
    if value is None:
        return int(cal["intervention_delay"])
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"delay must be a whole number of rounds, got {value!r}")
    if not 0 <= value <= 1000:
        raise ValueError(f"delay must be between 0 and 1000 rounds, got {value!r}")
    return int(value)


def _intervention(cal: dict[str, object], size: float, delay: int) -> dict[str, object]:
    kind = cal["intervention_kind"]
    return {kind: size, "intervention_delay": delay}


_MAX_ROUNDS = 200


def _spiral_args(cal: dict[str, object]) -> dict[str, object]:
    return {
        "position": cal["position"],
        "equity": cal["equity"],
        "haircut": cal["haircut"],
        "price_impact_per_bn": cal["price_impact_per_bn"],
        "haircut_increase": cal["haircut_increase"],
        "max_rounds": _MAX_ROUNDS,
    }


def episode_path(name: str, *, intervention: float = 0.0, delay: int | None = None) -> pd.DataFrame:
    """The model's spiral for one episode, round by round. Illustrative.

    Runs :func:`treasury_rv.leverage.margin_spiral` on the episode's :func:`calibration`,
    with an intervention of the episode's kind (a backstop buying forced sales, or a
    recapitalisation) of the given size.

    Parameters
    ----------
    name : str
        Episode identifier, one of :data:`MODELLED`.
    intervention : float, default 0
        Size of the intervention, dollars, not negative (0: none). The size the episode saw
        is the ``intervention_size`` of its :func:`calibration`.
    delay : int, optional
        Selling rounds before the intervention arrives, 0 to 1,000; by default the
        calibration's.

    Returns
    -------
    pandas.DataFrame
        One row per round (0 before the shock, 1 the shock, then the rounds of selling),
        with columns ``episode``, ``round``, ``price`` (index, 100 before the shock),
        ``price_change`` (fraction), ``yield_move_bp`` (the cumulative price fall as a yield
        or spread move at the bond's modified duration, first order, bp), ``loss``,
        ``margin_call`` (the cash the lender asks for, which the round's sale raises:
        the haircut times the sale ordered), ``forced_sale`` (proceeds of the round's sale),
        ``absorbed`` (the part of it the backstop bought), ``injected`` (new equity),
        ``position``, ``repo_debt``, ``equity`` (all dollars), ``leverage``,
        ``cumulative_sold``, ``cumulative_loss`` (dollars) and ``defaulted``.

    Examples
    --------
    >>> alone = episode_path("ltcm1998")
    >>> saved = episode_path("ltcm1998", intervention=3.6e9)
    >>> alone["defaulted"].iloc[-1].item(), saved["defaulted"].iloc[-1].item()
    (True, False)
    """
    cal = calibration(name)
    size = _size(intervention, "intervention")
    path = leverage.margin_spiral(
        shock=cal["shock"],
        **_spiral_args(cal),
        **_intervention(cal, size, _delay(delay, cal)),
    )
    ordered = path["sold"] / (1 + path["price_change"])
    out = pd.DataFrame(
        {
            "episode": name,
            "round": path["round"],
            "price": path["price"],
            "price_change": path["price_change"],
            "yield_move_bp": (1 - path["price"] / 100) / cal["duration"] * _BP,
            "loss": path["loss"],
            "margin_call": path["haircut"] * ordered,
            "forced_sale": path["sold"],
            "absorbed": path["absorbed"],
            "injected": path["injected"],
            "position": path["position"],
            "repo_debt": path["repo_debt"],
            "equity": path["equity"],
            "leverage": path["leverage"],
            "cumulative_sold": path["cumulative_sold"],
            "cumulative_loss": path["cumulative_loss"],
            "defaulted": path["defaulted"],
        }
    )
    return out


def first_forced_sale(name: str) -> float:
    """The forced sale the shock alone orders, before any price impact. Illustrative.

    After the shock the fund's lenders ask for the haircut (after any increase) on what it
    still holds; the sale that meets the call is ``book - (book - debt) / haircut``. For a
    fund that starts at its maximum leverage (``equity = haircut x position``, no rise in the
    haircut) it is ``-shock x position x (1 / haircut - 1)``, whatever the market's depth:
    the depth only decides how the later rounds go.

    Parameters
    ----------
    name : str
        Episode identifier, one of :data:`MODELLED`.

    Returns
    -------
    float
        The first round's sale, dollars (0 if the shock leaves the fund inside its haircut).

    Examples
    --------
    >>> round(first_forced_sale("covid2020") / 1e9, 1)  # 0.4% x $415bn x 49
    81.3
    """
    cal = calibration(name)
    book = cal["position"] * (1 + cal["shock"])
    debt = cal["position"] - cal["equity"]
    haircut = cal["haircut"] + cal["haircut_increase"]
    return max(book - (book - debt) / haircut, 0.0)


def price_impact_for_sales(name: str, sales: object, *, tol: float = 1e-9) -> float:
    """The market depth at which the model, without intervention, sells a given amount.

    A calibration: on the episode's :func:`calibration` (position, leverage, haircut,
    shock), the price impact per $1bn is found, by bisection, at which the spiral's forced
    sales without any intervention equal ``sales``. Forced sales rise with the price impact
    as long as the fund survives, so the answer is unique below the depth that ruins it.

    Parameters
    ----------
    name : str
        Episode identifier, one of :data:`MODELLED`.
    sales : float
        Target forced sales, dollars; above :func:`first_forced_sale` (which no depth can
        undercut) and below what the fund can sell before it defaults.
    tol : float, default 1e-9
        Relative tolerance on the price impact.

    Returns
    -------
    float
        Price impact, fraction of the price per $1bn sold.

    Examples
    --------
    >>> depth = price_impact_for_sales("covid2020", 173e9)
    >>> round(depth * 1e5, 2)  # about 0.003% of the price per $1bn sold
    3.04
    """
    cal = calibration(name)
    target = _size(sales, "sales")
    floor = first_forced_sale(name)
    if target <= floor:
        raise ValueError(
            f"sales must exceed the first forced sale of {floor / 1e9:.1f}bn, which no depth "
            f"can undercut, got {target / 1e9:.1f}bn"
        )
    args = _spiral_args(cal)

    def sold(depth: float) -> tuple[float, bool]:
        out = leverage.spiral_outcome(shock=cal["shock"], **{**args, "price_impact_per_bn": depth})
        return out["total_sold"], out["defaulted"]

    lo, hi = 0.0, 1e-6
    total, broke = sold(hi)
    while total < target and not broke:  # a deep enough fall always ruins the fund
        lo, hi = hi, 2 * hi
        total, broke = sold(hi)
    while hi - lo > tol * hi:
        mid = (lo + hi) / 2
        total, broke = sold(mid)
        if broke or total >= target:
            hi = mid
        else:
            lo = mid
    total, broke = sold(hi)
    if broke:
        raise ValueError(
            f"sales of {target / 1e9:.1f}bn are more than the fund sells before it defaults"
        )
    return hi


def _outcome_row(cal: dict[str, object], out: dict[str, object]) -> dict[str, object]:
    return {
        "price_drop": out["price_drop"],
        "yield_move_bp": out["price_drop"] / cal["duration"] * _BP,
        "forced_sales": out["total_sold"],
        "absorbed": out["total_absorbed"],
        "injected": out["total_injected"],
        "total_loss": out["total_loss"],
        "defaulted": out["defaulted"],
        "rounds": out["rounds"],
        "amplification": out["amplification"],
    }


def episode_outcomes(*, delay: int | None = None) -> pd.DataFrame:
    """Where each modelled episode's spiral ends, without and with its intervention.

    Illustrative. For each episode in :data:`MODELLED`, two scenarios: ``"none"`` (no
    intervention) and ``"as it happened"`` (the intervention the calibration sources, which
    for April 2025 is none).

    Parameters
    ----------
    delay : int, optional
        Selling rounds before the intervention arrives, 0 to 1,000; by default each
        calibration's.

    Returns
    -------
    pandas.DataFrame
        One row per (episode, scenario), with columns ``episode``, ``label``, ``scenario``,
        ``intervention_kind``, ``intervention_size`` (dollars), ``price_drop`` (fraction of
        the starting price), ``yield_move_bp``, ``forced_sales``, ``absorbed``,
        ``injected``, ``total_loss`` (dollars), ``defaulted``, ``rounds`` (rounds of the
        model, the shock included) and ``amplification``.

    Examples
    --------
    >>> out = episode_outcomes().set_index(["episode", "scenario"])
    >>> bool(out.loc[("ltcm1998", "none"), "defaulted"])
    True
    """
    rows = []
    for name in MODELLED:
        cal = calibration(name)
        lag = _delay(delay, cal)
        for scenario, size in (("none", 0.0), ("as it happened", cal["intervention_size"])):
            out = leverage.spiral_outcome(
                shock=cal["shock"], **_spiral_args(cal), **_intervention(cal, size, lag)
            )
            rows.append(
                {
                    "episode": name,
                    "label": EPISODE_LABELS[name],
                    "scenario": scenario,
                    "intervention_kind": cal["intervention_kind"],
                    "intervention_size": size,
                    **_outcome_row(cal, out),
                }
            )
    return pd.DataFrame(rows)


def intervention_grid(
    name: str,
    sizes: object,
    *,
    leverages: object = None,
    shocks_bp: object = None,
    delay: int | None = None,
) -> pd.DataFrame:
    """Outcomes over intervention sizes, leverages and shocks, for a chart's sliders.

    Illustrative. Every combination of leverage, shock and intervention size is run
    through :func:`treasury_rv.leverage.spiral_grid` on the episode's calibration; the
    fund's equity is ``position / leverage``.

    Parameters
    ----------
    name : str
        Episode identifier, one of :data:`MODELLED`.
    sizes : array_like
        Intervention sizes, dollars, not negative.
    leverages : array_like, optional
        Leverages (position / equity), each at least 1 and at most ``1 / haircut`` (the
        haircut of the calibration); by default the calibration's.
    shocks_bp : array_like, optional
        Shocks as yield or spread moves, bp, positive (a rise in yield is a price fall of
        ``shock_bp x duration / 10,000``, at most 100%); by default the calibration's.
    delay : int, optional
        Selling rounds before the intervention arrives; by default the calibration's.

    Returns
    -------
    pandas.DataFrame
        One row per (leverage, shock, size), leverages varying slowest, at most 5,000 rows,
        with columns ``episode``, ``leverage``, ``shock_bp``, ``shock`` (price change,
        fraction), ``intervention_size`` and the outcome columns of
        :func:`episode_outcomes`: ``price_drop``, ``yield_move_bp``, ``forced_sales``,
        ``absorbed``, ``injected``, ``total_loss``, ``defaulted``, ``rounds``,
        ``amplification``.

    Examples
    --------
    >>> grid = intervention_grid("covid2020", [0.0, 300e9, 775e9])
    >>> bool(grid["forced_sales"].is_monotonic_decreasing)
    True
    """
    cal = calibration(name)
    lag = _delay(delay, cal)
    size_arr = np.ravel(as_float_array(sizes, "sizes"))
    if np.any(size_arr < 0):
        raise ValueError(f"sizes must not be negative, got {float(size_arr.min())!r}")
    lev = np.ravel(as_float_array(cal["leverage"] if leverages is None else leverages, "leverages"))
    limit = 1 / cal["haircut"]
    if np.any(lev < 1) or np.any(lev > limit * (1 + 1e-12)):
        bad = float(lev[(lev < 1) | (lev > limit * (1 + 1e-12))][0])
        raise ValueError(f"leverages must be between 1 and 1 / haircut = {limit:.4g}, got {bad!r}")
    bp = np.ravel(as_float_array(cal["shock_bp"] if shocks_bp is None else shocks_bp, "shocks_bp"))
    if np.any(bp <= 0):
        raise ValueError(f"shocks_bp must be positive (a rise in yield), got {float(bp.min())!r}")
    shocks = -bp * cal["duration"] / _BP
    if np.any(shocks < -1):
        raise ValueError(
            f"shocks_bp must give a price fall of at most 100% at duration "
            f"{cal['duration']:.2f}, got {float(bp.max())!r}"
        )
    for arr, label in ((size_arr, "sizes"), (lev, "leverages"), (bp, "shocks_bp")):
        if arr.size == 0:
            raise ValueError(f"{label} must not be empty")
    rows = size_arr.size * lev.size * bp.size
    if rows > leverage.MAX_GRID_ROWS:
        raise ValueError(
            f"leverages x shocks_bp x sizes gives {rows} rows; at most "
            f"{leverage.MAX_GRID_ROWS} are allowed"
        )
    args = _spiral_args(cal)
    frames = []
    for lv in lev:
        args["equity"] = cal["position"] / lv
        for size in size_arr:
            grid = leverage.spiral_grid(
                shocks=shocks,
                price_impacts_per_bn=[args["price_impact_per_bn"]],
                **{k: v for k, v in args.items() if k != "price_impact_per_bn"},
                **_intervention(cal, float(size), lag),
            )
            frames.append(
                pd.DataFrame(
                    {
                        "leverage": lv,
                        "shock_bp": bp,
                        "shock": shocks,
                        "intervention_size": size,
                        "price_drop": grid["price_drop"],
                        "yield_move_bp": grid["price_drop"] / cal["duration"] * _BP,
                        "forced_sales": grid["total_sold"],
                        "absorbed": grid["total_absorbed"],
                        "injected": grid["total_injected"],
                        "total_loss": grid["total_loss"],
                        "defaulted": grid["defaulted"],
                        "rounds": grid["rounds"],
                        "amplification": grid["amplification"],
                    }
                )
            )
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "episode", name)
    return out.sort_values(
        ["leverage", "shock_bp", "intervention_size"], kind="stable", ignore_index=True
    )


# --------------------------------------------------------------------------------------------
# Side by side
# --------------------------------------------------------------------------------------------

# Which sourced figure stands for each measure of the side-by-side table.
_TABLE_FACTS = {
    "ltcm1998": {
        "size": "assets",
        "leverage": "leverage_start",
        "shock": "capital_fall_end_august",
        "intervention": "recapitalisation",
    },
    "covid2020": {
        "size": "basis_trade_peak_early_2020",
        "shock": "yield_10y_rise",
        "forced_sales": "hf_net_treasury_sales",
        "intervention": "purchases_treasuries_march",
    },
    "tariff2025": {
        "size": "swap_spread_trades",
        "shock": "long_yields_rise",
        "forced_sales": "swap_spread_unwound",
        "intervention": "official_purchases",
    },
    "gilt2022": {
        "shock": "gilt_30y_rise",
        "intervention": "purchases",
    },
}


# Sourced figures that stand for the measure only approximately: April 2025's size is the
# swap-spread book of September 2025 (Monin 2026), months after the unwind.
_TABLE_APPROXIMATE = {("tariff2025", "size")}


def _stress_days(name: str) -> tuple[int, str, str]:
    start, end = _row(name, "stress_start"), _row(name, "stress_end")
    status = (
        "unconfirmed"
        if "unconfirmed" in (start["status"], end["status"])
        else ("secondary" if "secondary" in (start["status"], end["status"]) else "primary")
    )
    refs = ";".join(dict.fromkeys(r for r in (start["reference"], end["reference"]) if r))
    return (end["date"] - start["date"]).days, status, refs


def episodes_table() -> pd.DataFrame:
    """The episodes side by side: sourced figures and the model's, each labelled.

    Returns
    -------
    pandas.DataFrame
        Long format, one row per (episode, measure, basis), with columns ``episode``,
        ``label``, ``measure`` (``size``, ``leverage``, ``shock``, ``forced_sales``,
        ``intervention``, ``days_of_stress`` for sourced figures; for the model ``size``,
        ``leverage``, ``shock``, ``intervention``, ``model_forced_sales`` (never
        ``forced_sales``: the measured and the modelled sales are different rows),
        ``yield_move_bp`` (the spread move against the position),
        ``forced_sales_with_intervention``,
        ``yield_move_bp_with_intervention``, ``rounds_to_calm`` and ``defaulted``),
        ``value`` (float), ``unit``, ``basis`` (``"sourced"`` or ``"illustrative model"``),
        ``status`` (the figure's status; ``"model"`` for the model), ``source`` and
        ``reference``. Days of stress run between the dates the sources give for the start
        and the end of the stress (see the ``stress_start`` and ``stress_end`` figures).
        The model's sizes are in ``usd_bn`` and its moves in ``bp``.

    Examples
    --------
    >>> table = episodes_table()
    >>> sorted(table["basis"].unique())
    ['illustrative model', 'sourced']
    """
    rows = []
    for name in EPISODES:
        for measure, key in _TABLE_FACTS[name].items():
            fig = figure(name, key)
            rows.append(
                {
                    "episode": name,
                    "measure": measure,
                    "value": float(fig["value"]),
                    "unit": fig["unit"],
                    "basis": "sourced",
                    "status": (
                        "unconfirmed" if (name, measure) in _TABLE_APPROXIMATE else fig["status"]
                    ),
                    "source": f"{fig['label']}: {fig['source']}",
                    "reference": fig["reference"],
                }
            )
        days, status, refs = _stress_days(name)
        rows.append(
            {
                "episode": name,
                "measure": "days_of_stress",
                "value": float(days),
                "unit": "days",
                "basis": "sourced",
                "status": status,
                "source": "Calendar days between the sourced start and end of the stress",
                "reference": refs,
            }
        )
    outcomes = episode_outcomes().set_index(["episode", "scenario"])
    for name in MODELLED:
        cal = calibration(name)
        alone = outcomes.loc[(name, "none")]
        helped = outcomes.loc[(name, "as it happened")]
        model = {
            "size": (cal["position"] / 1e9, "usd_bn"),
            "leverage": (cal["leverage"], "x"),
            "shock": (cal["shock_bp"], "bp"),
            "model_forced_sales": (alone["forced_sales"] / 1e9, "usd_bn"),
            "yield_move_bp": (alone["yield_move_bp"], "bp"),
            "intervention": (cal["intervention_size"] / 1e9, "usd_bn"),
            "forced_sales_with_intervention": (helped["forced_sales"] / 1e9, "usd_bn"),
            "yield_move_bp_with_intervention": (helped["yield_move_bp"], "bp"),
            "rounds_to_calm": (float(helped["rounds"]), "rounds"),
            "defaulted": (float(alone["defaulted"]), "flag"),
        }
        for measure, (value, unit) in model.items():
            rows.append(
                {
                    "episode": name,
                    "measure": measure,
                    "value": float(value),
                    "unit": unit,
                    "basis": "illustrative model",
                    "status": "model",
                    "source": "treasury_rv.episodes on the calibration in episode_calibrations",
                    "reference": "",
                }
            )
    table = pd.DataFrame(rows)
    table.insert(1, "label", table["episode"].map(EPISODE_LABELS))
    return table
