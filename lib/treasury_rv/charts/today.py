"""Charts of where the trades stand: futures positioning, the on/off gap, SOFR, long yields.

Each ``*_frame`` function returns one tidy DataFrame of published values, read either from
what ships with the library (the default: the site build is offline and reproducible) or,
with ``reading="cache"`` (``$TREASURY_RV_DATA=cache``), from the reader's download cache,
filled by ``python -m treasury_rv.data fetch``; long daily series from the cache are thinned
to one value a week (each week's last) to stay within :data:`~treasury_rv.charts.MAX_ROWS`.
Each ``*_chart`` function draws such a frame with the book's episodes marked (1998, March
2020, April 2025) and says in its title where the values come from and how current they are.
"""

from __future__ import annotations

import datetime as dt
import os
import textwrap
from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from treasury_rv import data
from treasury_rv.charts import PALETTE, caption_source, chart_frame
from treasury_rv.curves import SvenssonCurve
from treasury_rv.data import fetch, loaders
from treasury_rv.futures import SPECS

__all__ = [
    "EPISODE_MARKS",
    "PLOT_WIDTH",
    "READINGS",
    "as_of",
    "footprint_chart",
    "footprint_frame",
    "onoff_gap_chart",
    "onoff_gap_frame",
    "reading",
    "sofr_chart",
    "sofr_frame",
    "yields_chart",
    "yields_frame",
]

#: Width of each chart's plotting area, pixels (fits a 390 px phone screen with its axis).
PLOT_WIDTH = 250

#: Where the page's values come from: what ships with the library, or the reader's cache.
READINGS = ("snapshot", "cache")

#: The book's episodes, each marked at one date: the recapitalisation of LTCM (GAO/GGD-00-3),
#: the FOMC's purchase directive of 15 March 2020, the tariff announcements of 2 April 2025.
EPISODE_MARKS = pd.DataFrame(
    {
        "date": [dt.date(1998, 9, 23), dt.date(2020, 3, 15), dt.date(2025, 4, 2)],
        "episode": ["1998", "Mar 2020", "Apr 2025"],
    }
)

#: CFTC contract codes (as the loaders name them) to the book's futures roots.
_ROOT = {"ZT": "TU", "ZF": "FV", "ZN": "TY", "TN": "TN", "ZB": "US", "UB": "UB"}
_MEASURES = {
    "lev_money_net": "Leveraged funds, net",
    "asset_mgr_net": "Asset managers, net",
    "lev_money_short": "Leveraged funds, shorts",
}
_GREY = "#8A939C"
_STATUS_CHARS = 44  # longest status line under a title, characters (about 270 px at 12 px)
_DATE_AXIS = alt.Axis(format="%Y", labelAngle=0, tickCount=6, title=None)
_LEGEND = alt.Legend(orient="bottom", direction="vertical", title=None, labelLimit=260)


def reading(value: str | None = None) -> str:
    """Where the page's values come from: ``value``, else ``$TREASURY_RV_DATA``, else snapshot.

    Parameters
    ----------
    value : str, optional
        ``"snapshot"`` or ``"cache"``.

    Examples
    --------
    >>> reading("snapshot")
    'snapshot'
    """
    chosen = value if value is not None else os.environ.get(loaders.DATA_ENV, "") or "snapshot"
    chosen = chosen.strip().lower()
    if chosen not in READINGS:
        raise ValueError(f"reading must be one of {list(READINGS)}, got {value!r}")
    return chosen


def _notional_bn(frame: pd.DataFrame) -> pd.Series:
    """Contracts times each contract's face value (:data:`treasury_rv.futures.SPECS`), $bn."""
    return frame["contracts"] * frame["contract"].map(lambda root: SPECS[root].face) / 1e9


def _weekly(frame: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Each week's last row (per group ``by``): a daily series thinned to fit a chart."""
    week = pd.to_datetime(frame["date"]).dt.to_period("W-FRI")
    keys = [week, *[frame[c] for c in by]]
    return frame.groupby(keys, sort=True).tail(1).reset_index(drop=True)


def _cached_start(source: str, cache_dir: str | os.PathLike | None) -> dt.date:
    """First day of the first file of ``source`` in the cache (``fetch --since`` may skip some)."""
    first = fetch._FIRST[source]
    for url, arguments in fetch.planned_files(source, first, dt.date.today()):
        if loaders.cached_file(url, fetch._KIND[source], cache_dir).is_file():
            year = arguments.get("year")
            return first if year is None else max(first, dt.date(year, 1, 1))
    raise loaders.DownloadError(
        f"no {source} file is in the cache at {cache_dir or loaders.default_cache_dir()}: run "
        f"`python -m treasury_rv.data fetch --only {source}` first."
    )


def as_of(source: str, cache_dir: str | os.PathLike | None = None) -> str | None:
    """When the newest cached file of a ``fetch`` source was fetched (UTC date), if any.

    Parameters
    ----------
    source : str
        One of :data:`treasury_rv.data.fetch.SOURCES`.
    cache_dir : str or os.PathLike, optional
        Cache folder; by default :func:`treasury_rv.data.loaders.default_cache_dir`.
    """
    if source not in fetch.SOURCES:
        raise ValueError(f"source must be one of {list(fetch.SOURCES)}, got {source!r}")
    folder = loaders.default_cache_dir() if cache_dir is None else cache_dir
    kind = fetch._KIND[source]
    times = []
    for path in sorted(os.scandir(folder), key=lambda e: e.name) if os.path.isdir(folder) else []:
        if path.name.startswith(kind + "-") and not path.name.endswith(".json"):
            record = loaders.provenance(path.path)
            if record:
                times.append(record["fetched_at"])
    return max(times)[:10] if times else None


# --------------------------------------------------------------------------------------
# Frames


def footprint_frame(
    reading: str = "snapshot", *, cache_dir: str | os.PathLike | None = None
) -> pd.DataFrame:
    """Positions in the CBOT Treasury futures, in contracts and in dollars of notional.

    Parameters
    ----------
    reading : {"snapshot", "cache"}
        The shipped snapshot ``cftc-positions`` (published weeks of 2025 and 2026, in the
        10-year note contracts), or every week in the cache (``fetch`` takes 2010 on).
    cache_dir : str or os.PathLike, optional
        Cache folder, for ``reading="cache"``.

    Returns
    -------
    pandas.DataFrame
        ``date``, ``contract`` (the book's root: "TY", "TN", …, or "all six" for the sum of
        the six contracts' notionals), ``measure`` (label), ``contracts`` (NaN for "all
        six"), ``notional_bn`` (contracts times the contract's face value, billions of
        dollars) and ``source``.
    """
    if reading == "snapshot":
        shipped = data.snapshot("cftc-positions")
        out = pd.DataFrame(
            {
                "date": shipped["date"],
                "contract": [_ROOT[c] for c in shipped["contract"]],
                "measure": [_MEASURES[m] for m in shipped["measure"]],
                "contracts": shipped["contracts"].astype(float),
                "source": shipped["source"],
            }
        )
        out["notional_bn"] = _notional_bn(out)
    elif reading == "cache":
        start = _cached_start("cftc", cache_dir)
        tff = loaders.cftc_treasury_positions(start=start, cache_dir=cache_dir)
        tff["asset_mgr_net"] = tff["asset_mgr_long"] - tff["asset_mgr_short"]
        long = tff.melt(
            id_vars=["date", "contract"],
            value_vars=["lev_money_net", "asset_mgr_net"],
            var_name="measure",
            value_name="contracts",
        )
        long["measure"] = long["measure"].map(_MEASURES)
        long["contract"] = long["contract"].map(_ROOT)
        long["contracts"] = long["contracts"].astype(float)
        long["notional_bn"] = _notional_bn(long)
        total = long.groupby(["date", "measure"], as_index=False)["notional_bn"].sum()
        total["contract"] = "all six"
        total["contracts"] = np.nan
        out = pd.concat([long[long["contract"] == "TY"], total], ignore_index=True)
        out["source"] = "CFTC Traders in Financial Futures (futures only), from the cache"
    else:
        raise ValueError(f"reading must be one of {list(READINGS)}, got {reading!r}")
    out = out[["date", "contract", "measure", "contracts", "notional_bn", "source"]]
    return out.sort_values(["date", "contract", "measure"]).reset_index(drop=True)


def onoff_gap_frame(
    reading: str = "snapshot", *, cache_dir: str | os.PathLike | None = None
) -> pd.DataFrame:
    """Treasury's 10-year par yield minus the Fed's fitted 10-year par yield, in basis points.

    Treasury's constant-maturity curve is read off the on-the-run issues; the Fed's fitted
    curve uses off-the-run issues only, so the gap is negative when the newest notes trade
    rich (lower yields) than the curve the older ones trace.

    Parameters
    ----------
    reading : {"snapshot", "cache"}
        The shipped dates where both are on record (Treasury's closes, as FRED DGS10, and the
        Fed's published Svensson parameters, whose 10-year par yield is recomputed with
        :class:`treasury_rv.curves.SvenssonCurve`), or the cached files (Treasury's "10 Yr"
        column and the Fed's ``SVENPY10``) from the first cached year, weekly.
    cache_dir : str or os.PathLike, optional
        Cache folder, for ``reading="cache"``.

    Returns
    -------
    pandas.DataFrame
        ``date``, ``treasury_10y`` and ``fitted_10y`` (decimals), ``gap_bp`` and ``window``
        (the year, which groups the snapshot's dates into episodes).
    """
    if reading == "snapshot":
        closes = data.shipped("daily_closes")
        ten = closes[closes["series"] == "DGS10"].set_index("date")["close"]
        params = data.shipped("gsw_svensson")
        rows = []
        for _, row in params.iterrows():
            if row["date"] in ten.index:
                curve = SvenssonCurve(
                    *row[["beta0", "beta1", "beta2", "beta3", "tau1", "tau2"]].astype(float)
                )
                rows.append((row["date"], float(ten[row["date"]]), float(curve.par_yield(10.0))))
        out = pd.DataFrame(rows, columns=["date", "treasury_10y", "fitted_10y"])
    elif reading == "cache":
        start = _cached_start("treasury", cache_dir)
        par = loaders.treasury_par_curve(start=start, cache_dir=cache_dir)
        ten = par[par["tenor"] == "10 Yr"].set_index("date")["par_yield"]
        fed = loaders.fed_fitted_curve(start=start, cache_dir=cache_dir)
        fitted = fed.set_index("date")["SVENPY10"]
        both = pd.concat([ten.rename("treasury_10y"), fitted.rename("fitted_10y")], axis=1)
        out = _weekly(both.dropna().rename_axis("date").reset_index())
    else:
        raise ValueError(f"reading must be one of {list(READINGS)}, got {reading!r}")
    out["gap_bp"] = 1e4 * (out["treasury_10y"] - out["fitted_10y"])
    out["window"] = [str(d.year) for d in out["date"]]
    return out.sort_values("date").reset_index(drop=True)


def sofr_frame(
    reading: str = "snapshot", *, cache_dir: str | os.PathLike | None = None
) -> pd.DataFrame:
    """SOFR and its published 1st, 25th, 75th and 99th percentiles, daily, as decimals.

    Parameters
    ----------
    reading : {"snapshot", "cache"}
        The shipped snapshot ``sofr-nyfed`` (the New York Fed's published rates for
        September–October 2019 and March–April 2020), or every day since April 2018 from
        the cache.
    cache_dir : str or os.PathLike, optional
        Cache folder, for ``reading="cache"``.

    Returns
    -------
    pandas.DataFrame
        ``date``, ``rate``, ``percentile_1``, ``percentile_25``, ``percentile_75``,
        ``percentile_99`` (decimals) and ``window`` (year and month of the snapshot's
        stretch, or the year from the cache).
    """
    columns = ["rate", "percentile_1", "percentile_25", "percentile_75", "percentile_99"]
    if reading == "snapshot":
        shipped = data.snapshot("sofr-nyfed")
        out = pd.DataFrame({"date": shipped["date"]})
        for column in columns:
            out[column] = shipped[f"{column}_pct"].to_numpy(float) / 100
        out["window"] = [str(d.year) for d in out["date"]]
    elif reading == "cache":
        first = dt.date(2018, 4, 2)
        today = dt.date.today()
        url = loaders.SOFR_URL.format(start=first, end=today)
        path = loaders.cached_file(url, loaders.CACHE_KINDS["sofr"], cache_dir)
        if not path.is_file():  # the newest SOFR file fetched, whatever its end date
            folder = path.parent
            found = sorted(
                (p for p in folder.glob(loaders.CACHE_KINDS["sofr"] + "-*") if p.suffix != ".json"),
                key=lambda p: (loaders.provenance(p) or {}).get("fetched_at", ""),
            )
            if not found:
                raise loaders.DownloadError(
                    f"SOFR is not in the cache at {folder}: run `python -m treasury_rv.data "
                    "fetch --only sofr` first."
                )
            path = found[-1]
        sofr = loaders.sofr_rates(source=path)
        out = sofr[["date", *[c for c in columns if c in sofr.columns]]].copy()
        out["window"] = "cache"
    else:
        raise ValueError(f"reading must be one of {list(READINGS)}, got {reading!r}")
    return out.sort_values("date").reset_index(drop=True)


def yields_frame(
    reading: str = "snapshot", *, cache_dir: str | os.PathLike | None = None
) -> pd.DataFrame:
    """Treasury's 10- and 30-year par yields (constant maturity), as decimals.

    Parameters
    ----------
    reading : {"snapshot", "cache"}
        The closes shipped in ``daily_closes`` (FRED DGS10 and DGS30 on the episodes' key
        dates), or Treasury's curve from the first cached year, weekly.
    cache_dir : str or os.PathLike, optional
        Cache folder, for ``reading="cache"``.

    Returns
    -------
    pandas.DataFrame
        ``date``, ``maturity`` ("10-year" or "30-year"), ``par_yield`` and ``window``.
    """
    names = {"DGS10": "10-year", "DGS30": "30-year", "10 Yr": "10-year", "30 Yr": "30-year"}
    if reading == "snapshot":
        closes = data.shipped("daily_closes")
        out = pd.DataFrame(
            {
                "date": closes["date"],
                "maturity": closes["series"].map(names),
                "par_yield": closes["close"].astype(float),
            }
        )
    elif reading == "cache":
        start = _cached_start("treasury", cache_dir)
        par = loaders.treasury_par_curve(start=start, cache_dir=cache_dir)
        par = par[par["tenor"].isin(["10 Yr", "30 Yr"])]
        out = _weekly(par, by=["tenor"])
        out = pd.DataFrame(
            {
                "date": out["date"],
                "maturity": out["tenor"].map(names),
                "par_yield": out["par_yield"],
            }
        )
    else:
        raise ValueError(f"reading must be one of {list(READINGS)}, got {reading!r}")
    out["window"] = [str(d.year) for d in out["date"]]
    return out.sort_values(["date", "maturity"]).reset_index(drop=True)


# --------------------------------------------------------------------------------------
# Charts


def _iso(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["date"] = [d.isoformat() for d in out["date"]]
    return out


def _episodes(dates: pd.Series) -> alt.LayerChart:
    """Grey rules and labels at the episodes that fall within the dates drawn."""
    lo, hi = min(dates), max(dates)
    pad = dt.timedelta(days=max(20, (hi - lo).days // 20))
    marks = EPISODE_MARKS[[lo - pad <= d <= hi + pad for d in EPISODE_MARKS["date"]]]
    base = alt.Chart(_iso(marks))
    rule = base.mark_rule(color=_GREY, strokeDash=[4, 3]).encode(x="date:T")
    text = base.mark_text(
        angle=90, align="left", baseline="bottom", dx=4, dy=-3, color=_GREY, fontSize=11
    ).encode(x="date:T", y=alt.value(0), text="episode:N")
    return alt.layer(rule, text)


def _title(heading: str, lines: Sequence[str]) -> alt.TitleParams:
    """The heading, and the status lines wrapped to fit above a phone-width plot."""
    wrapped = [part for line in lines for part in textwrap.wrap(line, width=_STATUS_CHARS)]
    return alt.TitleParams(text=heading, subtitle=wrapped, subtitleColor=_GREY)


def _check_lines(lines: object, name: str) -> list[str]:
    if isinstance(lines, str) or not all(isinstance(x, str) for x in lines):
        raise TypeError(f"{name} must be a list of strings")
    return list(lines)


def _time_axis(frame: pd.DataFrame) -> tuple[alt.Scale, alt.Axis]:
    """A time scale a little wider than the data's dates, and an axis labelled to suit."""
    lo, hi = min(frame["date"]), max(frame["date"])
    pad = dt.timedelta(days=max(20, (hi - lo).days // 20))
    scale = alt.Scale(domain=[(lo - pad).isoformat(), (hi + pad).isoformat()])
    if (hi - lo).days > 3 * 365:
        return scale, _DATE_AXIS
    return scale, alt.Axis(format="%b %Y", labelAngle=-35, tickCount=5, title=None)


def _titled(chart: alt.TopLevelMixin, heading: str, lines: list[str], source: str):
    """``chart`` with the heading and status lines above it and the source line below."""
    return caption_source(
        alt.VConcatChart(vconcat=[chart.properties(title=_title(heading, lines))]), source
    )


def footprint_chart(frame: pd.DataFrame, *, status: Sequence[str], source: str) -> alt.VConcatChart:
    """Net positions in contracts (top) and in billions of dollars of notional (bottom).

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`footprint_frame`.
    status : sequence of str
        Lines under the title: where the values come from, how current, what is missing.
    source : str
        The source line under the chart.
    """
    frame = chart_frame(frame, ["date", "contract", "measure", "contracts", "notional_bn"], "frame")
    lines = _check_lines(status, "status")
    table = _iso(frame.assign(series=frame["measure"] + " (" + frame["contract"] + ")"))
    scale, axis = _time_axis(frame)
    colour = alt.Color("series:N", legend=_LEGEND, scale=alt.Scale(range=list(PALETTE)))
    tooltip = [
        alt.Tooltip("date:T", format="%-d %b %Y"),
        "series:N",
        alt.Tooltip("contracts:Q", format=",.0f"),
        alt.Tooltip("notional_bn:Q", format=",.1f", title="$bn"),
    ]

    def panel(field: str, title: str, rows: pd.DataFrame) -> alt.LayerChart:
        base = alt.Chart(rows).encode(
            x=alt.X("date:T", scale=scale, axis=axis),
            y=alt.Y(f"{field}:Q", title=title),
            color=colour,
            tooltip=tooltip,
        )
        return alt.layer(base.mark_line(), base.mark_point(), _episodes(frame["date"])).properties(
            width=PLOT_WIDTH, height=150
        )

    counted = table[table["contracts"].notna()]
    top = panel("contracts", "Contracts", counted).properties(
        title=_title("Futures positions: the basis trade's footprint", lines)
    )
    return caption_source(alt.vconcat(top, panel("notional_bn", "Notional ($bn)", table)), source)


def onoff_gap_chart(frame: pd.DataFrame, *, status: Sequence[str], source: str) -> alt.VConcatChart:
    """The 10-year on/off gap in basis points, one line per stretch of dates.

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`onoff_gap_frame`.
    status : sequence of str
        Lines under the title.
    source : str
        The source line under the chart.
    """
    frame = chart_frame(frame, ["date", "gap_bp", "window"], "frame")
    lines = _check_lines(status, "status")
    scale, axis = _time_axis(frame)
    base = alt.Chart(_iso(frame)).encode(
        x=alt.X("date:T", scale=scale, axis=axis),
        y=alt.Y("gap_bp:Q", title="Treasury minus fitted, bp"),
        detail="window:N",
        tooltip=[
            alt.Tooltip("date:T", format="%-d %b %Y"),
            alt.Tooltip("gap_bp:Q", format=".1f", title="gap (bp)"),
            alt.Tooltip("treasury_10y:Q", format=".2%", title="Treasury 10y"),
            alt.Tooltip("fitted_10y:Q", format=".2%", title="Fed fitted 10y"),
        ],
    )
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color=_GREY).encode(y="y:Q")
    chart = alt.layer(
        zero,
        base.mark_line(color=PALETTE[0]),
        base.mark_point(color=PALETTE[0]),
        _episodes(frame["date"]),
    ).properties(width=PLOT_WIDTH, height=200)
    return _titled(chart, "The 10-year on/off gap", lines, source)


def sofr_chart(frame: pd.DataFrame, *, status: Sequence[str], source: str) -> alt.VConcatChart:
    """SOFR (line) inside its 25th–75th (dark band) and 1st–99th (light band) percentiles.

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`sofr_frame`.
    status : sequence of str
        Lines under the title.
    source : str
        The source line under the chart.
    """
    frame = chart_frame(
        frame,
        ["date", "rate", "percentile_1", "percentile_25", "percentile_75", "percentile_99"],
        "frame",
    )
    lines = _check_lines(status, "status")
    table = _iso(frame)
    for column in ("rate", "percentile_1", "percentile_25", "percentile_75", "percentile_99"):
        table[column] = 100 * table[column]
    scale, axis = _time_axis(frame)
    windows = alt.Chart(table).encode(x=alt.X("date:T", scale=scale, axis=axis), detail="window:N")
    tooltip = [
        alt.Tooltip("date:T", format="%-d %b %Y"),
        alt.Tooltip("rate:Q", format=".2f", title="SOFR (%)"),
        alt.Tooltip("percentile_1:Q", format=".2f", title="1st pct (%)"),
        alt.Tooltip("percentile_99:Q", format=".2f", title="99th pct (%)"),
    ]
    outer = windows.mark_area(opacity=0.25, color=PALETTE[5]).encode(
        y=alt.Y("percentile_1:Q", title="Percent"), y2="percentile_99:Q"
    )
    inner = windows.mark_area(opacity=0.45, color=PALETTE[0]).encode(
        y="percentile_25:Q", y2="percentile_75:Q"
    )
    line = windows.mark_line(color=PALETTE[1], point=True).encode(y="rate:Q", tooltip=tooltip)
    chart = alt.layer(outer, inner, line, _episodes(frame["date"])).properties(
        width=PLOT_WIDTH, height=200
    )
    return _titled(chart, "SOFR and the spread of its trades", lines, source)


def yields_chart(frame: pd.DataFrame, *, status: Sequence[str], source: str) -> alt.VConcatChart:
    """Treasury's 10- and 30-year par yields, percent.

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`yields_frame`.
    status : sequence of str
        Lines under the title.
    source : str
        The source line under the chart.
    """
    frame = chart_frame(frame, ["date", "maturity", "par_yield", "window"], "frame")
    lines = _check_lines(status, "status")
    table = _iso(frame.assign(par_yield=100 * frame["par_yield"]))
    scale, axis = _time_axis(frame)
    base = alt.Chart(table).encode(
        x=alt.X("date:T", scale=scale, axis=axis),
        y=alt.Y("par_yield:Q", title="Par yield (%)"),
        color=alt.Color("maturity:N", legend=_LEGEND, scale=alt.Scale(range=list(PALETTE))),
        detail="window:N",
        tooltip=[
            alt.Tooltip("date:T", format="%-d %b %Y"),
            "maturity:N",
            alt.Tooltip("par_yield:Q", format=".2f", title="yield (%)"),
        ],
    )
    chart = alt.layer(base.mark_line(), base.mark_point(), _episodes(frame["date"])).properties(
        width=PLOT_WIDTH, height=200
    )
    return _titled(chart, "The 10- and 30-year yields", lines, source)
