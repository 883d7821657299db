"""Checks of the built static site in headless Chromium, with every off-host request blocked.

Run after the book is built (``make test`` builds it first). Every page must load with no
console error and no request leaving the site's own host; every chart must be drawn; every
control under a chart must change what the chart shows; charts must redraw in dark mode.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.site

SITE = Path(__file__).resolve().parents[1] / "_build" / "html"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SKIP_DIRS = {"_static", "_sources", "_images", "_downloads", "_sphinx_design_static"}


def _pages() -> list[str]:
    if not SITE.is_dir():
        return []
    pages = []
    for path in sorted(SITE.rglob("*.html")):
        rel = path.relative_to(SITE)
        if SKIP_DIRS.isdisjoint(rel.parts):
            pages.append(rel.as_posix())
    return pages


PAGES = _pages()
CHAPTERS = [p for p in PAGES if p.startswith("chapters/")]
# Pages that draw charts: every chapter and the trades-today page.
CHARTED = CHAPTERS + [p for p in PAGES if p == "book/today.html"]


try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the browser fixture skips these tests without playwright
    PlaywrightTimeout = TimeoutError


def test_site_was_built():
    assert (SITE / "index.html").is_file(), f"no built site at {SITE}: run `make book` first"
    assert CHAPTERS, "the built site has no chapter pages"
    assert "book/today.html" in CHARTED, "the built site has no trades-today page"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@pytest.fixture(scope="module")
def server():
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    assert CHROMIUM, "Chromium is not installed (apt-get install chromium)"
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


#: True once a page with maths has MathJax running, or at once on a page without maths.
MATHJAX_STARTED_JS = """() => !document.querySelector('script[src*="trv-maths.js"]')
  || !!(window.MathJax && window.MathJax.startup && window.MathJax.startup.promise)"""


class PageVisit:
    """One page opened in a fresh context, recording console errors and off-host requests."""

    def __init__(self, browser, server: str, path: str, *, dark: bool = False, width: int = 1280):
        self.errors: list[str] = []
        self.blocked: list[str] = []
        host = urlparse(server).netloc
        self.context = browser.new_context(
            viewport={"width": width, "height": 900}, color_scheme="dark" if dark else "light"
        )

        def route(r):
            if urlparse(r.request.url).netloc == host:
                r.continue_()
            else:
                self.blocked.append(r.request.url)
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.goto(f"{server}/{path}", wait_until="load")
        self.charts = self.page.locator("div.trv-chart")
        n = self.charts.count()
        if n:
            self.page.wait_for_function(
                f"document.querySelectorAll('div.trv-chart[data-drawn=true]').length === {n}",
                timeout=30_000,
            )
        # MathJax is fetched once the charts are drawn (trv-maths.js): wait for its typesetting.
        self.page.wait_for_function(MATHJAX_STARTED_JS, timeout=30_000)
        self.page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : 0")
        self.page.wait_for_timeout(300)

    def close(self):
        self.context.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_offline_without_errors(browser, server, path):
    visit = PageVisit(browser, server, path)
    try:
        assert visit.blocked == [], f"{path} requested off-host resources: {visit.blocked}"
        assert visit.errors == [], f"{path} logged console errors: {visit.errors}"
    finally:
        visit.close()


@pytest.mark.parametrize("path", CHARTED)
def test_every_chart_drawn_and_every_control_alive(browser, server, path):
    visit = PageVisit(browser, server, path)
    try:
        n = visit.charts.count()
        assert n >= 1, f"{path} has no charts"
        for i in range(n):
            chart = visit.charts.nth(i)
            chart_id = chart.get_attribute("id")
            marks = chart.locator(
                "svg .mark-line path, svg .mark-rect path, svg .mark-area path,"
                " svg .mark-symbol path, svg .mark-rule line, svg .mark-text text"
            )
            assert marks.count() > 0, f"{path}: chart {chart_id} drew no marks"
            controls = chart.locator(".vega-bindings input[type=range], .vega-bindings select")
            for j in range(controls.count()):
                control = controls.nth(j)
                before = chart.locator("svg").first.inner_html()
                changed = control.evaluate(
                    """el => {
                        const old = el.value;
                        if (el.tagName === 'SELECT') {
                            el.selectedIndex = (el.selectedIndex + 1) % el.options.length;
                        } else {
                            const lo = +el.min, hi = +el.max;
                            el.value = (+old - lo > (hi - lo) / 2) ? lo : hi;
                        }
                        el.dispatchEvent(new Event('input', {bubbles: true}));
                        el.dispatchEvent(new Event('change', {bubbles: true}));
                        return el.value !== old;
                    }"""
                )
                assert changed, f"{path}: control {j} of chart {chart_id} could not be moved"
                try:
                    visit.page.wait_for_function(
                        "([id, before]) => document.querySelector('#' + id + ' svg')"
                        ".innerHTML !== before",
                        arg=[chart_id, before],
                        timeout=5_000,
                    )
                except PlaywrightTimeout:
                    pytest.fail(f"{path}: control {j} of chart {chart_id} is dead")
        assert visit.errors == [], f"{path} logged console errors: {visit.errors}"
    finally:
        visit.close()


@pytest.mark.parametrize("path", CHARTED)
def test_charts_redraw_in_dark_mode_and_fit_a_phone(browser, server, path):
    visit = PageVisit(browser, server, path, dark=True, width=390)
    try:
        assert visit.page.evaluate("document.documentElement.dataset.theme") == "dark"
        label_fill = visit.page.evaluate(
            """() => {
                const t = document.querySelector('div.trv-chart svg .role-axis-label text');
                return t ? getComputedStyle(t).fill : null;
            }"""
        )
        assert label_fill is not None, f"{path}: no axis labels found"
        assert label_fill != "rgb(0, 0, 0)", f"{path}: black axis labels on the dark page"
        overflow = visit.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"{path}: page is {overflow}px wider than a 390px phone screen"
        assert visit.errors == [], f"{path} logged console errors in dark mode: {visit.errors}"
    finally:
        visit.close()


@pytest.mark.parametrize("path", CHARTED)
def test_no_live_widgets_on_static_pages(browser, server, path):
    html = (SITE / path).read_text(encoding="utf-8")
    assert "application/vnd.jupyter.widget-view+json" not in html
    assert "require.min.js" not in html


@pytest.mark.parametrize("path", CHAPTERS)
def test_chapter_offers_runnable_notebook(path):
    notebook = SITE / "_sources" / Path(path).with_suffix(".ipynb")
    assert notebook.is_file(), f"no .ipynb download for {path}"
    html = (SITE / path).read_text(encoding="utf-8")
    assert Path(path).with_suffix(".ipynb").name in html, f"{path} does not link its .ipynb"
