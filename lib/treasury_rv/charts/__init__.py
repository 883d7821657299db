"""Charts for the book: one Altair theme, offline rendering, controls and chart builders.

Call :func:`enable` once at the top of a chapter. It registers and enables the book's theme
and picks the renderer for where the chapter runs:

- while the static site is being built, a renderer that writes each chart as a ``<div>`` plus
  its Vega-Lite spec as JSON; the site's own script (served from ``_static/``) draws every such
  chart with the Vega bundle shipped with the site, so no page loads anything from another host;
- in a live kernel (JupyterLab, Notebook 7, VS Code), Altair's ``JupyterChart`` widget in
  offline mode: the Vega libraries travel with the widget (from ``vl-convert-python``), so the
  charts draw, and their sliders work, with no network. Jupyter's built-in Vega renderer cannot
  be used: it draws Vega-Lite v3 to v5 only, and Altair 6 writes v6.

The theme uses the Okabe–Ito palette (distinguishable with the common colour-vision
deficiencies); the site's script swaps in a lighter variant of the same hues in dark mode.

Builders for a chapter's charts live in submodules named after the market idea they draw
(:mod:`treasury_rv.charts.leverage`, :mod:`treasury_rv.charts.basis`); each takes tidy
DataFrames from the numeric modules and returns an Altair chart.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import math
import textwrap
from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from treasury_rv._site import building_static_site

__all__ = [
    "MAX_ROWS",
    "PALETTE",
    "THEME_NAME",
    "caption_source",
    "TEXT_PALETTE",
    "enable",
    "page_spec",
    "select",
    "slider",
    "theme_config",
]

THEME_NAME = "treasury_rv"
RENDERER_NAME = "treasury_rv_static"
#: The renderer for a live kernel: Altair's JupyterChart, offline (see :func:`enable`).
LIVE_RENDERER = "treasury_rv_live"

#: Most rows of data one chart may embed in a page (keep each chart's data small).
MAX_ROWS = 5000

#: Okabe–Ito colours without black, in the order series are coloured.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermilion
    "#009E73",  # bluish green
    "#E69F00",  # orange
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
)

#: The same hues darkened to at least 4.5:1 on white (WCAG AA for text), for text marks.
TEXT_PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue (already 5.2:1)
    "#BE5400",  # vermilion
    "#008460",  # bluish green
    "#9C6C00",  # orange
    "#BB4D8A",  # reddish purple
    "#177AB2",  # sky blue
    "#80770A",  # yellow
)

#: Widest legend label, in pixels, before it is cut with an ellipsis (fits a 390 px phone).
LEGEND_LABEL_LIMIT = 280

#: Significant digits chart data keep in a page: more than a chart or its tooltips can show.
DATA_DIGITS = 7

#: Longest line, in characters, of a source note under a chart (about 280 px at 11 px).
SOURCE_LINE_CHARS = 48

_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
_chart_numbers = itertools.count(1)


def theme_config() -> dict[str, Any]:
    """Return the book's Vega-Lite configuration (light mode; the site adapts it to dark mode).

    Returns
    -------
    dict
        A Vega-Lite top-level ``config`` object: system fonts, Okabe–Ito categorical range,
        responsive width; a transparent background on the site (which themes the page behind
        it) and white in a live kernel, where the notebook's theme may be dark.
    """
    return {
        "config": {
            "background": None if building_static_site() else "white",
            "font": _FONT,
            "view": {"continuousWidth": 560, "continuousHeight": 300, "stroke": None},
            "range": {"category": list(PALETTE)},
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 13,
                "titleFontWeight": "normal",
                "gridOpacity": 0.5,
            },
            # Legend labels up to a phone's width before an ellipsis, and swatches in the
            # full colour the text names (a translucent mark would give a paler swatch).
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "orient": "bottom",
                "labelLimit": LEGEND_LABEL_LIMIT,
                "symbolOpacity": 1,
            },
            "title": {"fontSize": 15, "anchor": "start", "subtitleFontSize": 12},
            "line": {"strokeWidth": 2.5},
            "point": {"size": 60, "filled": True},
        }
    }


def _rounded(value: Any) -> Any:
    """``value`` to :data:`DATA_DIGITS` significant digits if it is a non-integral float."""
    if isinstance(value, float) and math.isfinite(value) and not value.is_integer():
        return float(f"{value:.{DATA_DIGITS}g}")
    return value


def _columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]] | None:
    """``rows`` as one list per field, or None if the rows do not all have the same fields."""
    if not rows or not all(isinstance(r, dict) for r in rows):
        return None
    fields = list(rows[0])
    if any(list(r) != fields for r in rows):
        return None
    return {f: [_rounded(r[f]) for r in rows] for f in fields}


def _is_text_mark(node: dict[str, Any]) -> bool:
    mark = node.get("mark")
    return mark == "text" or (isinstance(mark, dict) and mark.get("type") == "text")


def _text_colours(node: Any) -> Any:
    """Return ``node`` with text marks and titles in :data:`TEXT_PALETTE`.

    Every :data:`PALETTE` colour a text mark or a title names is swapped for its darker
    variant, so coloured words keep 4.5:1 on white.
    """
    swap = {c.lower(): t for c, t in zip(PALETTE, TEXT_PALETTE, strict=True)}

    def recolour(value: Any) -> Any:
        if isinstance(value, str):
            return swap.get(value.lower(), value)
        if isinstance(value, dict):
            return {k: recolour(v) for k, v in value.items()}
        if isinstance(value, list):
            return [recolour(v) for v in value]
        return value

    if isinstance(node, list):
        return [_text_colours(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in ("datasets", "data"):
            out[key] = value
        elif key in ("mark", "encoding") and _is_text_mark(node):
            out[key] = recolour(value)
        elif key == "title" and isinstance(value, dict):
            out[key] = {
                k: recolour(v) if k in ("color", "subtitleColor") else v for k, v in value.items()
            }
        else:
            out[key] = _text_colours(value)
    return out


def _axis_titles(node: Any, found: dict[str, str]) -> dict[str, str]:
    """The first title (or field) the chart gives its x and y channels, searching its layers."""
    if isinstance(node, list):
        for item in node:
            _axis_titles(item, found)
    elif isinstance(node, dict):
        for channel in ("x", "y"):
            enc = (node.get("encoding") or {}).get(channel)
            if channel not in found and isinstance(enc, dict):
                title = enc.get("title", enc.get("field"))
                if isinstance(title, list):
                    title = " ".join(str(t) for t in title)
                if title:
                    found[channel] = str(title)
        for key, value in node.items():
            if key not in ("datasets", "data", "encoding"):
                _axis_titles(value, found)
    return found


def _title_text(spec: dict[str, Any]) -> str:
    title = spec.get("title", "")
    if isinstance(title, dict):
        title = title.get("text", "")
    if isinstance(title, list):
        title = " ".join(str(t) for t in title)
    return str(title)


def _description(spec: dict[str, Any]) -> str:
    """Return a chart's text alternative.

    Its ``description``, or one made from its title and what its axes show, pointing at
    the table of its numbers under it.
    """
    if spec.get("description"):
        return str(spec["description"])
    axes = _axis_titles(spec, {})
    parts = [_title_text(spec).strip().rstrip(".")]
    if "x" in axes and "y" in axes:
        parts.append(f"Chart of {axes['y']} against {axes['x']}")
    elif axes:
        parts.append(f"Chart of {next(iter(axes.values()))}")
    parts.append("The numbers are in the table under the chart")
    return ". ".join(p for p in parts if p) + "."


def _spec_html(spec: dict[str, Any]) -> str:
    """Return the static-site HTML for one chart: a target ``<div>`` and its JSON.

    The JSON is ``{"spec": ..., "columns": ...}``: the Vega-Lite spec (with a ``description``,
    text marks in :data:`TEXT_PALETTE`) whose datasets that are uniform rows travel as columns,
    each float to :data:`DATA_DIGITS` significant digits (:func:`page_spec` reads it back).
    """
    spec = _text_colours(spec)
    spec["description"] = _description(spec)
    columns = {}
    datasets = dict(spec.get("datasets") or {})
    for name, rows in list(datasets.items()):
        cols = _columns(rows) if isinstance(rows, list) else None
        if cols is not None:
            columns[name] = cols
            del datasets[name]
    if "datasets" in spec:
        spec["datasets"] = datasets
    payload = json.dumps(
        {"spec": spec, "columns": columns}, sort_keys=True, separators=(",", ":"), allow_nan=False
    )
    digest = hashlib.sha1(payload.encode()).hexdigest()[:10]
    chart_id = f"trv-chart-{next(_chart_numbers)}-{digest}"
    # "</" would close the <script> element early; JSON allows the escaped form.
    payload = payload.replace("</", "<\\/")
    return (
        f'<div class="trv-chart" id="{chart_id}" role="figure"'
        f' aria-label="{html.escape(spec["description"], quote=True)}"></div>'
        f'<script type="application/json" class="trv-chart-spec" data-target="{chart_id}">'
        f"{payload}</script>"
    )


def page_spec(text: str) -> dict[str, Any]:
    """Return the Vega-Lite spec of a chart's JSON as a page carries it (see :func:`enable`).

    Parameters
    ----------
    text : str
        The content of a ``<script class="trv-chart-spec">`` element.

    Returns
    -------
    dict
        The spec, with every dataset as a list of rows again.
    """
    payload = json.loads(text)
    if not isinstance(payload, dict) or "spec" not in payload:
        raise ValueError("text must be a chart's page JSON, with a 'spec' key")
    spec = payload["spec"]
    columns = payload.get("columns") or {}
    if columns:
        datasets = dict(spec.get("datasets") or {})
        for name, cols in columns.items():
            fields = list(cols)
            n = len(cols[fields[0]]) if fields else 0
            datasets[name] = [{f: cols[f][i] for f in fields} for i in range(n)]
        spec["datasets"] = datasets
    return spec


def _static_renderer(spec: dict[str, Any], **_: Any) -> dict[str, str]:
    """Altair renderer for the static site (see :func:`enable`)."""
    return {"text/html": _spec_html(spec), "text/plain": "<interactive chart>"}


def _fixed_widths(spec: Any, width: int) -> Any:
    """Return ``spec`` with every ``"width": "container"`` replaced by ``width`` pixels."""
    if isinstance(spec, dict):
        return {
            key: width if key == "width" and value == "container" else _fixed_widths(value, width)
            for key, value in spec.items()
        }
    if isinstance(spec, list):
        return [_fixed_widths(item, width) for item in spec]
    return spec


def _live_renderer(spec: dict[str, Any], **metadata: Any) -> Any:
    """Altair renderer for a live kernel (see :func:`enable`).

    A widget's output area gives a ``"container"``-width chart no width to fill, so those
    charts get the theme's default width.
    """
    from altair.vegalite.v6.display import jupyter_renderer

    width = theme_config()["config"]["view"]["continuousWidth"]
    return jupyter_renderer(_fixed_widths(spec, width), **metadata)


def enable() -> None:
    """Enable the book's theme and the offline renderer for where the chapter runs.

    While the static site is built, charts are written for the site's own script; otherwise
    they are shown as Altair ``JupyterChart`` widgets with the Vega libraries carried offline.

    Examples
    --------
    >>> from treasury_rv import charts
    >>> charts.enable()
    """
    if THEME_NAME not in alt.theme.names():
        alt.theme.register(THEME_NAME, enable=False)(theme_config)
    alt.theme.enable(THEME_NAME)
    if building_static_site():
        alt.renderers.register(RENDERER_NAME, _static_renderer)
        alt.renderers.enable(RENDERER_NAME)
    else:
        # The renderer would switch the widget offline only at the first chart; do it now.
        alt.JupyterChart.enable_offline()
        alt.renderers.register(LIVE_RENDERER, _live_renderer)
        alt.renderers.enable(LIVE_RENDERER, offline=True)


def slider(
    name: str, *, start: float, stop: float, step: float, value: float, label: str
) -> alt.Parameter:
    """Return an Altair parameter bound to a range slider shown under the chart.

    Parameters
    ----------
    name : str
        Parameter name used in expressions (a valid JavaScript identifier).
    start, stop, step : float
        Slider range and increment, in the units of the quantity it controls.
    value : float
        Initial value; must lie in ``[start, stop]``.
    label : str
        Text shown beside the slider, with units (e.g. ``"Haircut (%)"``).

    Examples
    --------
    >>> haircut = slider("haircut_pct", start=0.5, stop=10, step=0.5, value=2, label="Haircut (%)")
    """
    if not name.isidentifier():
        raise ValueError(f"name must be a valid identifier, got {name!r}")
    if not start < stop:
        raise ValueError(f"start must be below stop, got start={start!r}, stop={stop!r}")
    if not step > 0:
        raise ValueError(f"step must be positive, got {step!r}")
    if not start <= value <= stop:
        raise ValueError(f"value must lie in [start, stop] = [{start}, {stop}], got {value!r}")
    return alt.param(
        name=name,
        value=value,
        bind=alt.binding_range(min=start, max=stop, step=step, name=f"{label} "),
    )


def select(
    name: str,
    options: Sequence[Any],
    *,
    value: Any,
    label: str,
    labels: Sequence[str] | None = None,
) -> alt.Parameter:
    """Return an Altair parameter bound to a drop-down select shown under the chart.

    Parameters
    ----------
    name : str
        Parameter name used in expressions (a valid JavaScript identifier).
    options : sequence
        The values the parameter can take.
    value : object
        Initial value; one of ``options``.
    label : str
        Text shown beside the control.
    labels : sequence of str, optional
        Display text for each option (defaults to the options themselves).

    Examples
    --------
    >>> contract = select("contract", ["TU", "FV", "TY"], value="TY", label="Contract")
    """
    if not name.isidentifier():
        raise ValueError(f"name must be a valid identifier, got {name!r}")
    options = list(options)
    if value not in options:
        raise ValueError(f"value must be one of options {options!r}, got {value!r}")
    if labels is not None and len(labels) != len(options):
        raise ValueError(
            f"labels must have one entry per option ({len(options)}), got {len(labels)}"
        )
    binding = alt.binding_select(
        options=options,
        labels=list(labels) if labels is not None else alt.Undefined,
        name=f"{label} ",
    )
    return alt.param(name=name, value=value, bind=binding)


def caption_source(chart: alt.TopLevelMixin, source: str) -> alt.TopLevelMixin:
    """Return ``chart`` with a source line under it, in the chart itself (kept on export).

    Parameters
    ----------
    chart : altair chart
        Any top-level Altair chart.
    source : str
        The source or model note, e.g. ``"Source: FRED DGS10"`` or
        ``"Illustrative model; parameters in the text"``.
    """
    if not source.strip():
        raise ValueError("source must not be empty")
    # Short lines: a title wider than the plot would squeeze a "container"-width chart.
    lines = textwrap.wrap(source, width=SOURCE_LINE_CHARS)
    return chart.properties(
        title=alt.TitleParams(
            text=lines, orient="bottom", anchor="start", fontSize=11, fontWeight="normal"
        )
    )


def check_rows(n: int, what: str) -> None:
    """Raise ValueError if ``what`` would embed more than :data:`MAX_ROWS` rows of chart data."""
    if n > MAX_ROWS:
        raise ValueError(f"{what} would give {n} rows of chart data; at most {MAX_ROWS} allowed")


def chart_frame(data: object, columns: Sequence[str], name: str) -> pd.DataFrame:
    """Return ``data`` if it is a non-empty DataFrame with ``columns`` and few enough rows.

    Parameters
    ----------
    data : object
        The tidy table a chart builder was given (usually made by the matching ``*_grid``).
    columns : sequence of str
        Columns the chart reads.
    name : str
        The argument's name, used in error messages.

    Returns
    -------
    pandas.DataFrame
        ``data`` itself (not a copy).

    Examples
    --------
    >>> chart_frame(pd.DataFrame({"x": [1, 2]}), ["x"], "grid").shape
    (2, 1)
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(data).__name__}")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ValueError(
            f"{name} is missing columns {missing}; it lacks the columns the matching grid makes"
        )
    if data.empty:
        raise ValueError(f"{name} must not be empty")
    if len(data) > MAX_ROWS:
        raise ValueError(f"{name} has {len(data)} rows; a chart may embed at most {MAX_ROWS}")
    return data
