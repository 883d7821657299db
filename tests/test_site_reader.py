"""The built site as a reader meets it: contrast in dark mode, a phone's width, touch targets,
quiet consoles, page weight, the bibliography's style, one API page per module, and the chart
menu's export.

Run after the book is built (``make test`` builds it first), in headless Chromium with every
off-host request blocked (the fixtures of ``test_site``).
"""

from __future__ import annotations

import gzip
import importlib
import pkgutil
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from test_site import CHAPTERS, PAGES, SITE, PageVisit, browser, server  # noqa: F401

pytestmark = pytest.mark.site

#: WCAG 2.x minimum contrast for body text.
MIN_CONTRAST = 4.5
#: Heaviest page, with everything it loads, gzip-compressed.
MAX_PAGE_BYTES = 1_000_000

CONTRAST_JS = """(el) => {
  const rgba = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  function background(node) {
    for (let n = node; n; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.99)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  }
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const fg = rgba(getComputedStyle(el).color).slice(0, 3);
  const [a, b] = [lum(fg), lum(background(el))].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def _visit(browser, server, path, **kw):  # noqa: F811 - the fixtures imported above
    return PageVisit(browser, server, path, **kw)


@pytest.mark.parametrize("path", CHAPTERS)
def test_live_panel_notes_readable_in_dark_mode(browser, server, path):  # noqa: F811
    visit = _visit(browser, server, path, dark=True)
    try:
        notes = visit.page.locator(".trv-live-note")
        if notes.count() == 0:
            pytest.skip(f"{path} has no live panel")
        for i in range(notes.count()):
            ratio = notes.nth(i).evaluate(CONTRAST_JS)
            assert ratio >= MIN_CONTRAST, f"{path}: live-panel note {i} contrast {ratio:.2f}:1"
    finally:
        visit.close()


def test_contrast_check_catches_dark_on_dark(browser, server):  # noqa: F811
    """The contrast measure itself: dark text on a dark box fails it."""
    visit = _visit(browser, server, PAGES[0])
    try:
        ratio = visit.page.evaluate(
            """(js) => {
                const box = document.createElement('div');
                box.style.background = 'rgb(41, 49, 61)';
                box.style.color = 'rgb(34, 40, 50)';
                box.textContent = 'x';
                document.body.appendChild(box);
                return eval(js)(box);
            }""",
            CONTRAST_JS,
        )
        assert ratio < 1.5
    finally:
        visit.close()


OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const spill = [];
  for (const el of document.querySelectorAll('.bd-article *')) {
    if (el.closest('mjx-assistive-mml')) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    let boxed = false;
    for (let a = el.parentElement; a && !boxed; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      boxed = (o === 'auto' || o === 'scroll') && a.getBoundingClientRect().right <= width + 1;
    }
    if (!boxed) spill.push(el.tagName.toLowerCase() + '.' + el.className);
  }
  return {page: document.documentElement.scrollWidth - width, spill: spill.slice(0, 5)};
}"""


@pytest.mark.parametrize("path", PAGES)
def test_nothing_widens_a_phone_screen(browser, server, path):  # noqa: F811
    """At 390 px, wide tables, equations, URLs and signatures scroll or wrap in their own box."""
    visit = _visit(browser, server, path, width=390)
    try:
        found = visit.page.evaluate(OVERFLOW_JS)
        assert found["page"] <= 1, f"{path}: page {found['page']}px wider than a 390px phone"
        assert found["spill"] == [], f"{path}: content past the screen's edge: {found['spill']}"
    finally:
        visit.close()


FIT_JS = """() => (window.MathJax ? window.MathJax.startup.promise : Promise.resolve()).then(() => {
  if (window.trvFitEquations) window.trvFitEquations();
  return [...document.querySelectorAll('mjx-container[display="true"]')].map(m => ({
    text: m.textContent.slice(0, 40),
    over: m.scrollWidth - m.clientWidth,
    scrolls: ['auto', 'scroll'].includes(getComputedStyle(m).overflowX),
  }));
})"""


@pytest.mark.parametrize("path", CHAPTERS)
def test_display_equations_fit_on_desktop_and_scroll_on_a_phone(browser, server, path):  # noqa: F811
    for width in (1280, 390):
        visit = _visit(browser, server, path, width=width)
        try:
            equations = visit.page.evaluate(FIT_JS)
            if not equations:
                pytest.skip(f"{path} has no display equations")
            if width == 1280:
                wide = [e["text"] for e in equations if e["over"] > 1]
                assert wide == [], f"{path}: display equations wider than the column: {wide}"
            cut = [e["text"] for e in equations if e["over"] > 1 and not e["scrolls"]]
            assert cut == [], f"{path}: display equations cut off at {width}px: {cut}"
        finally:
            visit.close()


@pytest.mark.parametrize("path", CHAPTERS)
def test_chart_controls_are_24px_touch_targets(browser, server, path):  # noqa: F811
    visit = _visit(browser, server, path, width=390)
    try:
        heights = visit.page.evaluate(
            """() => [...document.querySelectorAll(
                '.trv-chart .vega-bindings input[type=range], .trv-chart .vega-bindings select'
            )].map(e => e.getBoundingClientRect().height)"""
        )
        assert heights, f"{path} has no chart controls"
        assert min(heights) >= 24, f"{path}: a control is {min(heights):.0f}px tall"
    finally:
        visit.close()


@pytest.mark.parametrize("path", CHAPTERS)
def test_no_infinite_extent_warnings(browser, server, path):  # noqa: F811
    """Vega warns when a scale gets no data; every chart's scales must have some."""
    warnings: list[str] = []
    visit = _visit(browser, server, path)
    try:
        # Reload with the listener attached from the start of the page's life.
        visit.page.on("console", lambda m: m.type == "warning" and warnings.append(m.text))
        visit.page.reload(wait_until="load")
        n = visit.charts.count()
        visit.page.wait_for_function(
            f"document.querySelectorAll('div.trv-chart[data-drawn=true]').length === {n}"
        )
        visit.page.wait_for_timeout(300)
        bad = [w for w in warnings if "Infinite extent" in w]
        assert bad == [], f"{path}: {bad}"
    finally:
        visit.close()


def _compressed_weight(browser, server, path) -> tuple[int, list[str]]:  # noqa: F811
    """Gzipped bytes of a page and of everything it loads (read from the built site)."""
    urls: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    host = urlparse(server).netloc
    context.route(
        "**/*", lambda r: r.continue_() if urlparse(r.request.url).netloc == host else r.abort()
    )
    page = context.new_page()
    page.on("requestfinished", lambda r: urls.append(r.url))
    page.goto(f"{server}/{path}", wait_until="load")
    n = page.locator("div.trv-chart").count()
    if n:
        page.wait_for_function(
            f"document.querySelectorAll('div.trv-chart[data-drawn=true]').length === {n}"
        )
    page.wait_for_timeout(500)
    context.close()
    total, files = 0, []
    for url in dict.fromkeys(urls):
        file = SITE / unquote(urlparse(url).path).lstrip("/")
        if file.is_file():
            total += len(gzip.compress(file.read_bytes(), compresslevel=6))
            files.append(file.relative_to(SITE).as_posix())
    return total, files


@pytest.mark.parametrize("path", PAGES)
def test_page_weight_with_its_scripts(browser, server, path):  # noqa: F811
    total, files = _compressed_weight(browser, server, path)
    assert path in files, f"{path}: the page itself was not counted"
    assert not any("fontawesome.js" in f for f in files), f"{path} loads fontawesome.js"
    assert total <= MAX_PAGE_BYTES, f"{path}: {total / 1e6:.2f} MB compressed with its loads"


def test_mathjax_only_where_there_is_maths():
    intro = (SITE / "book" / "intro.html").read_text(encoding="utf-8")
    primer = (SITE / CHAPTERS[0]).read_text(encoding="utf-8")
    assert 'class="math' in primer and "trv-maths.js" in primer and "window.MathJax" in primer
    assert 'class="math' not in intro, "the intro now has maths: pick another page"
    assert "trv-maths.js" not in intro and "window.MathJax" not in intro
    # No page asks for MathJax itself in its <head>: trv-maths.js fetches it after the charts.
    assert "tex-chtml.js" not in primer and "tex-chtml.js" not in intro
    assert "mathjax/tex-chtml.js" in (SITE / "_static" / "trv-maths.js").read_text()


def test_bibliography_is_author_year():
    html = (SITE / "book" / "references.html").read_text(encoding="utf-8")
    labels = re.findall(r'class="label"><span class="fn-bracket">\[</span>([^<]+)<', html)
    assert len(labels) > 10
    assert not [x for x in labels if x.strip().isdigit()], "numbered bibliography labels"
    assert not [x for x in labels if "\\" in x or "&quot;" in x], "LaTeX left in labels"
    year = re.compile(r"\b(1[89]|20)\d\d[a-z]?$|n\.d\.[a-z]?$")
    assert all(year.search(x.strip()) for x in labels), [x for x in labels if not year.search(x)]


def _modules() -> list[str]:
    package = importlib.import_module("treasury_rv")
    return sorted(
        m.name
        for m in pkgutil.walk_packages(package.__path__, "treasury_rv.")
        if not any(part.startswith("_") for part in m.name.split("."))
    )


@pytest.mark.parametrize("module", _modules())
def test_api_reference_has_a_page_per_module(module):
    """Each module has its own page (a submodule may share its package's page)."""
    top = module.split(".")[1]
    page = SITE / "book" / "api" / f"{top}.html"
    assert page.is_file(), f"no API page for treasury_rv.{top}"
    assert f'id="module-{module}"' in page.read_text(encoding="utf-8"), f"{module} not on {top}"
    index = (SITE / "book" / "api.html").read_text(encoding="utf-8")
    assert 'id="module-' not in index, "the API index page should only list the module pages"


def test_chart_export_is_white_and_light_in_dark_mode(browser, server):  # noqa: F811
    visit = _visit(browser, server, CHAPTERS[0], dark=True)
    try:
        chart = visit.charts.first
        png = chart.evaluate("t => window.trvExportImage(t, 'png')")
        svg = chart.evaluate(
            "t => window.trvExportImage(t, 'svg').then(u => fetch(u)).then(r => r.text())"
        )
        corner, size = visit.page.evaluate(
            """async (url) => {
                const img = new Image(); img.src = url; await img.decode();
                const c = document.createElement('canvas');
                c.width = img.width; c.height = img.height;
                const g = c.getContext('2d'); g.drawImage(img, 0, 0);
                return [Array.from(g.getImageData(1, 1, 1, 1).data), [img.width, img.height]];
            }""",
            png,
        )
        shown = chart.evaluate("t => t.querySelector('svg').getBoundingClientRect().width")
        assert corner == [255, 255, 255, 255], f"PNG export corner pixel {corner}"
        assert size[0] >= 2 * shown - 4, f"PNG export {size} is not twice the chart ({shown}px)"
        assert re.search(r'<rect[^>]*fill="(white|#fff|#ffffff)"', svg), "no white background"
        assert "#d5dbe1" not in svg.lower(), "the SVG export carries the dark palette"
        # The menu's own links use the same export, named after the figure.
        menu = chart.locator("details summary")
        menu.click()
        link = chart.locator(".vega-actions a[download$='.png']")
        link.dispatch_event("mousedown")
        visit.page.wait_for_function(
            "el => el.dataset.exporting === 'done'", arg=link.element_handle()
        )
        figure = chart.evaluate("t => (t.closest('figure[id]') || t).id")
        assert link.get_attribute("download") == f"{figure}.png"
        assert link.get_attribute("href").startswith("data:image/png")
        assert visit.errors == []
    finally:
        visit.close()


def test_print_layout_wraps_code_and_hides_controls(browser, server):  # noqa: F811
    visit = _visit(browser, server, CHAPTERS[0], width=680)
    try:
        visit.page.emulate_media(media="print")
        found = visit.page.evaluate(
            """() => ({
                wide: [...document.querySelectorAll('.bd-article pre')]
                        .filter(p => p.scrollWidth > p.clientWidth + 1).length,
                controls: [...document.querySelectorAll('.vega-bindings')]
                        .filter(b => b.getBoundingClientRect().height > 0).length,
                charts: [...document.querySelectorAll('div.trv-chart svg')]
                        .filter(s => s.getBoundingClientRect().height > 0).length,
            })"""
        )
        equations = visit.page.evaluate(FIT_JS)
        wide = [e["text"] for e in equations if e["over"] > 1]
        assert wide == [], f"display equations wider than the printed page: {wide}"
        assert found["wide"] == 0, f"{found['wide']} code blocks run off the printed page"
        assert found["controls"] == 0, "chart controls are printed"
        assert found["charts"] > 0, "charts are not printed"
    finally:
        visit.close()


def test_downloads_link_targets_exist_after_the_build():
    """The kit's sheets and figure packs the teaching page links to are in the built site."""
    html = (SITE / "book" / "teaching.html").read_text(encoding="utf-8")
    links = re.findall(r'href="\.\./(downloads/[^"#]+)"', html)
    assert links, "the teaching page links to no downloads"
    own = [x for x in links if x.endswith((".html", ".zip"))]
    missing = [x for x in own if not (SITE / x).is_file()]
    assert missing == [], f"teaching page links to missing files: {missing}"
    assert all(Path(x).name.startswith(tuple(_chapter_stems())) for x in own)


def _chapter_stems() -> list[str]:
    return [Path(p).stem for p in CHAPTERS]


def test_icon_font_keeps_every_icon_the_pages_use():
    """The cut-down icon font still has a glyph for every ``fa-*`` icon on every page."""
    ttLib = pytest.importorskip("fontTools.ttLib")
    css = "".join(p.read_text(encoding="utf-8") for p in (SITE / "_static").rglob("*.css"))
    glyph_of = {
        name: int(code, 16)
        for selectors, code in re.findall(
            r'((?:\.fa-[a-z0-9-]+:before,?)+)\{content:"\\([0-9a-f]{4,5})"\}', css
        )
        for name in re.findall(r"\.fa-([a-z0-9-]+):before", selectors)
    }
    (font_file,) = (SITE / "_static").rglob("fa-solid-900.woff2")
    cmap = ttLib.TTFont(font_file).getBestCmap()
    used = {
        name
        for page in PAGES
        for name in re.findall(r"\bfa-([a-z0-9-]+)", (SITE / page).read_text(encoding="utf-8"))
        if name in glyph_of
    }
    assert {"bars", "magnifying-glass", "download"} <= used
    missing = sorted(name for name in used if glyph_of[name] not in cmap)
    assert missing == [], f"icons without a glyph in the site's font: {missing}"
    assert font_file.stat().st_size < 20_000, "the icon font was not cut down"


def test_every_page_names_its_favicon():
    """Each page links the site's icon, so no browser asks the host for /favicon.ico."""
    for page in PAGES:
        html = (SITE / page).read_text(encoding="utf-8")
        match = re.search(r'<link rel="icon" href="([^"]+)"', html)
        assert match, f"{page} has no favicon link"
        assert (SITE / page).parent.joinpath(match.group(1)).resolve().is_file(), page


def test_head_holds_no_blocking_script_but_the_documentation_options():
    """Scripts in a page's <head> are deferred or async: none holds up the first paint."""
    for page in CHAPTERS:
        head = (SITE / page).read_text(encoding="utf-8").split("</head>")[0]
        blocking = [
            src
            for attrs, src in re.findall(r"<script([^>]*)\ssrc=\"([^\"]+)\"", head)
            if "defer" not in attrs and "async" not in attrs
        ]
        assert all("documentation_options" in s for s in blocking), f"{page}: {blocking}"
        assert "vega-bundle.js" not in head.split("window.trvBundle")[0], page
