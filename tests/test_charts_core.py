"""The book's chart theme, offline renderer and controls; the live-panel fallback."""

from __future__ import annotations

import json
import re

import altair as alt
import pandas as pd
import pytest

from treasury_rv import charts, widgets
from treasury_rv._site import STATIC_SITE_ENV


@pytest.fixture
def static_site(monkeypatch):
    monkeypatch.setenv(STATIC_SITE_ENV, "1")
    charts.enable()
    yield
    alt.renderers.enable("default")


def small_chart():
    df = pd.DataFrame({"x": [1, 2, 3], "y": [1.0, 4.0, 9.0]})
    h = charts.slider("h", start=0.5, stop=10, step=0.5, value=2, label="Haircut (%)")
    return (
        alt.Chart(df, description="test chart")
        .mark_line()
        .encode(x="x:Q", y="z:Q")
        .transform_calculate(z="datum.y * h")
        .add_params(h)
    )


def test_static_renderer_writes_div_and_spec_without_cdn(static_site):
    bundle = small_chart()._repr_mimebundle_()
    page = bundle["text/html"]
    match = re.search(r'<div class="trv-chart" id="([^"]+)"', page)
    assert match, page[:200]
    spec_text = re.search(r'data-target="' + match.group(1) + r'">(.*)</script>', page).group(1)
    spec = charts.page_spec(spec_text.replace("<\\/", "</"))
    assert spec["params"][0]["bind"]["input"] == "range"
    assert spec["config"]["range"]["category"] == list(charts.PALETTE)
    assert "cdn" not in page.lower() and "<script src" not in page
    assert 'aria-label="test chart"' in page


def test_chart_ids_are_unique_and_script_cannot_be_closed_early(static_site):
    df = pd.DataFrame({"label": ["</script><b>x</b>"], "v": [1]})
    chart = alt.Chart(df).mark_bar().encode(x="v:Q", y="label:N")
    first = chart._repr_mimebundle_()["text/html"]
    second = chart._repr_mimebundle_()["text/html"]
    assert first.count("</script>") == 1
    ids = [re.search(r'id="([^"]+)"', h).group(1) for h in (first, second)]
    assert ids[0] != ids[1]


def test_theme_and_offline_widget_renderer_in_a_live_kernel(monkeypatch):
    monkeypatch.delenv(STATIC_SITE_ENV, raising=False)
    alt.renderers.enable("default")
    charts.enable()
    try:
        assert alt.theme.active == charts.THEME_NAME
        assert alt.renderers.active == charts.LIVE_RENDERER
        assert alt.renderers.options == {"offline": True}
        # The widget carries the Vega libraries itself: no module loaded from a CDN.
        esm = alt.JupyterChart._esm
        assert len(esm) > 500_000, "the Vega libraries are not in the widget"
        assert not re.search(r"""(import|from)\s*["']https?://""", esm)
        assert "esm.sh" not in esm and "jsdelivr" not in esm
        chart = small_chart().properties(width="container")
        data, _ = chart._repr_mimebundle_()
        assert "application/vnd.jupyter.widget-view+json" in data
        widget = alt.JupyterChart(chart)  # as the renderer makes it, before the fixed width
        assert widget.spec["width"] == "container"
        spec = charts._fixed_widths(chart.to_dict(), 560)
        assert spec["width"] == 560 and spec["config"]["background"] == "white"
    finally:
        alt.renderers.enable("default")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(start=5, stop=1, step=1, value=2, label="x"), "start"),
        (dict(start=0, stop=1, step=0, value=0.5, label="x"), "step"),
        (dict(start=0, stop=1, step=0.1, value=2, label="x"), "value"),
    ],
)
def test_slider_rejects_bad_ranges(kwargs, match):
    with pytest.raises(ValueError, match=match):
        charts.slider("s", **kwargs)


def test_controls_need_identifier_names_and_valid_values():
    with pytest.raises(ValueError, match="name"):
        charts.slider("two words", start=0, stop=1, step=0.1, value=0.5, label="x")
    with pytest.raises(ValueError, match="value"):
        charts.select("c", ["TU", "TY"], value="US", label="Contract")
    with pytest.raises(ValueError, match="labels"):
        charts.select("c", ["TU", "TY"], value="TU", label="Contract", labels=["2-year"])
    with pytest.raises(ValueError, match="source"):
        charts.caption_source(small_chart(), "  ")


def test_live_panel_is_a_note_on_the_static_site(monkeypatch):
    monkeypatch.setenv(STATIC_SITE_ENV, "1")
    note = widgets.panel(
        lambda haircut_pct: 100 / haircut_pct,
        {"haircut_pct": widgets.Control("Haircut (%)", 0.5, 10, 0.5, 2)},
        title="Maximum leverage",
        note="It shows 1/haircut.",
    )
    assert isinstance(note, widgets.LiveNote)
    assert "trv-live-note" in note._repr_html_() and "Maximum leverage" in note._repr_html_()


def test_live_panel_recomputes_when_a_slider_moves(monkeypatch):
    pytest.importorskip("ipywidgets")
    monkeypatch.delenv(STATIC_SITE_ENV, raising=False)
    seen = []
    box = widgets.panel(
        lambda haircut_pct: seen.append(haircut_pct) or 100 / haircut_pct,
        {"haircut_pct": widgets.Control("Haircut (%)", 0.5, 10, 0.5, 2)},
        title="Maximum leverage",
        note="It shows 1/haircut.",
    )
    slider = box.children[1]
    slider.value = 4
    assert seen == [2, 4]


def test_panel_rejects_bad_controls():
    with pytest.raises(ValueError, match="controls"):
        widgets.panel(lambda: 0, {}, title="t", note="n")
    with pytest.raises(TypeError, match="controls"):
        widgets.panel(lambda x: x, {"x": (0, 1)}, title="t", note="n")
    with pytest.raises(TypeError, match="compute"):
        widgets.panel(3, {"x": widgets.Control("x", 0, 1, 0.1, 0.5)}, title="t", note="n")
    with pytest.raises(ValueError, match="value"):
        widgets.Control("x", 0, 1, 0.1, 2)


def test_select_binds_options_with_and_without_labels():
    plain = charts.select("c", ["TU", "TY"], value="TY", label="Contract").param.to_dict()
    assert plain["bind"]["options"] == ["TU", "TY"] and "labels" not in plain["bind"]
    named = charts.select(
        "c", ["TU", "TY"], value="TY", label="Contract", labels=["2-year", "10-year"]
    ).param.to_dict()
    assert named["bind"]["labels"] == ["2-year", "10-year"]


def test_source_note_is_wrapped_into_short_lines():
    source = "Illustrative model (treasury_rv.futures.basis_shock_path); parameters in the text."
    title = charts.caption_source(small_chart(), source).to_dict()["title"]
    assert " ".join(title["text"]) == source
    assert all(len(line) <= charts.SOURCE_LINE_CHARS for line in title["text"])
    assert title["orient"] == "bottom"


def _page_json(html_text: str) -> str:
    return re.search(r'class="trv-chart-spec"[^>]*>(.*)</script>', html_text).group(1)


def test_page_json_carries_columns_back_to_the_same_rows(static_site):
    df = pd.DataFrame({"x": [1, 2, 3], "y": [0.1 + 0.2, 1 / 3, 2.0], "s": ["a", "b", "c"]})
    chart = alt.Chart(df).mark_line().encode(x="x:Q", y="y:Q")
    text = _page_json(chart._repr_mimebundle_()["text/html"])
    payload = json.loads(text)
    assert payload["spec"]["datasets"] == {}, "uniform rows should travel as columns"
    (rows,) = charts.page_spec(text)["datasets"].values()
    assert [r["x"] for r in rows] == [1, 2, 3] and [r["s"] for r in rows] == ["a", "b", "c"]
    # 0.1 + 0.2 = 0.30000000000000004 in binary; seven significant digits keep 0.3.
    assert [r["y"] for r in rows] == [0.3, 0.3333333, 2.0]


def test_page_spec_rejects_a_bare_spec():
    with pytest.raises(ValueError, match="text"):
        charts.page_spec('{"mark": "line"}')


def test_text_marks_take_the_darker_palette_and_lines_keep_theirs(static_site):
    df = pd.DataFrame({"x": [1, 2], "y": [1.0, 2.0], "t": ["a", "b"]})
    base = alt.Chart(df).encode(x="x:Q", y="y:Q")
    chart = base.mark_line(color=charts.PALETTE[2]) + base.mark_text(
        color=charts.PALETTE[2]
    ).encode(text="t:N")
    spec = charts.page_spec(_page_json(chart._repr_mimebundle_()["text/html"]))
    line, text = spec["layer"]
    assert line["mark"]["color"] == charts.PALETTE[2]
    assert text["mark"]["color"] == charts.TEXT_PALETTE[2]


def _contrast_on_white(colour: str) -> float:
    rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in rgb]
    lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return 1.05 / (lum + 0.05)


def test_text_palette_meets_wcag_aa_on_white():
    # WCAG 2.x, 1.4.3: text needs 4.5:1 against its background.
    assert all(_contrast_on_white(c) >= 4.5 for c in charts.TEXT_PALETTE)
    assert _contrast_on_white(charts.PALETTE[2]) < 4.5, "the contrast formula is off"


def test_chart_without_description_gets_one_from_its_axes(static_site):
    df = pd.DataFrame({"x": [1, 2], "y": [1.0, 2.0]})
    chart = (
        alt.Chart(df, title="Net basis")
        .mark_line()
        .encode(x=alt.X("x:Q", title="Days to delivery"), y=alt.Y("y:Q", title="Basis (32nds)"))
    )
    text = charts.page_spec(_page_json(chart._repr_mimebundle_()["text/html"]))["description"]
    assert text.startswith("Net basis. Chart of Basis (32nds) against Days to delivery.")
