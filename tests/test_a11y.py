"""Accessibility of the built site: axe-core's WCAG 2.0-2.2 A and AA rules find nothing on any
page (chapters in light and dark mode and on a 390 px phone, every book page), every chart has
a text alternative and its numbers as a table, and every chart control is reached by the Tab
key and shows where the focus is.

axe-core comes from the npm registry (``npm ci`` installs the version in
``package-lock.json``; ``.ci/run`` does it). Run after the book is built, in headless
Chromium with every off-host request blocked (the fixtures of ``test_site``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_site import CHAPTERS, PAGES, PageVisit, browser, server  # noqa: F401

pytestmark = pytest.mark.site

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
#: The rule sets the site is held to: WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BOOK_PAGES = [p for p in PAGES if p not in CHAPTERS]
#: Chapters as a reader meets them: light and dark mode on a desktop, and on a phone.
VARIANTS = {"light": {}, "dark": {"dark": True}, "phone": {"width": 390}}

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, { runOnly: { type: "tag", values: tags } });
  return result.violations.map((v) => ({
    id: v.id,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + n.failureSummary),
    count: v.nodes.length,
  }));
}"""


def _violations(browser, server, path, **kw):  # noqa: F811 - the fixtures imported above
    assert AXE.is_file(), f"axe-core is not installed at {AXE}: run `npm ci`"
    visit = PageVisit(browser, server, path, **kw)
    try:
        visit.page.add_script_tag(path=str(AXE))
        return visit.page.evaluate(RUN_AXE, WCAG_TAGS)
    finally:
        visit.close()


def _report(violations) -> str:
    return "\n".join(
        f"{v['id']} ({v['count']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in violations
    )


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("path", CHAPTERS)
def test_chapter_has_no_axe_violations(browser, server, path, variant):  # noqa: F811
    found = _violations(browser, server, path, **VARIANTS[variant])
    assert found == [], f"{path} ({variant}):\n{_report(found)}"


@pytest.mark.parametrize("path", BOOK_PAGES)
def test_book_page_has_no_axe_violations(browser, server, path):  # noqa: F811
    found = _violations(browser, server, path)
    assert found == [], f"{path}:\n{_report(found)}"


CHART_TEXT_JS = """() => [...document.querySelectorAll("div.trv-chart")].map((chart) => {
  const svg = chart.querySelector("svg");
  const details = chart.nextElementSibling;
  return {
    id: chart.id,
    label: chart.getAttribute("aria-label") || "",
    description: (chart.trvSpec && chart.trvSpec.description) || "",
    drawn: !!svg,
    table: !!(details && details.matches("details.trv-chart-data")),
  };
})"""


@pytest.mark.parametrize("path", CHAPTERS)
def test_every_chart_has_a_text_alternative_and_a_table(browser, server, path):  # noqa: F811
    visit = PageVisit(browser, server, path)
    try:
        charts = visit.page.evaluate(CHART_TEXT_JS)
        assert charts, f"{path} has no charts"
        for chart in charts:
            assert len(chart["description"]) > 20, f"{path} {chart['id']}: no description"
            assert chart["label"] == chart["description"], f"{path} {chart['id']}: label"
            assert chart["drawn"], f"{path} {chart['id']}: not drawn"
            assert chart["table"], f"{path} {chart['id']}: no table of its numbers"
        first = visit.page.locator("details.trv-chart-data").first
        first.locator("summary").click()
        rows = first.locator("tbody tr").count()
        assert rows > 0, f"{path}: the first chart's table is empty"
        header = first.locator("thead th").count()
        assert header >= 2, f"{path}: the first chart's table has {header} columns"
    finally:
        visit.close()


#: Records, for every element the focus lands on inside a chart, whether a ring shows.
WATCH_FOCUS_JS = """() => {
  window.trvFocused = new Map();
  const controls = document.querySelectorAll(
    "div.trv-chart input, div.trv-chart select, div.trv-chart summary,"
    + " details.trv-chart-data > summary");
  controls.forEach((el, i) => { el.dataset.trvControl = String(i); });
  document.addEventListener("focusin", (event) => {
    const el = event.target;
    if (!el.dataset || el.dataset.trvControl === undefined) return;
    const style = getComputedStyle(el);
    const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1)
      || (style.boxShadow && style.boxShadow !== "none");
    window.trvFocused.set(el.dataset.trvControl, { ring: !!ring, what: el.outerHTML.slice(0, 80) });
  });
  return controls.length;
}"""


@pytest.mark.parametrize("path", CHAPTERS)
def test_chart_controls_reached_by_keyboard_with_a_focus_ring(browser, server, path):  # noqa: F811
    visit = PageVisit(browser, server, path)
    try:
        page = visit.page
        total = page.evaluate(WATCH_FOCUS_JS)
        assert total > 0, f"{path} has no chart controls"
        for _ in range(40):
            for _ in range(25):
                page.keyboard.press("Tab")
            if page.evaluate("window.trvFocused.size") >= total:
                break
        focused = page.evaluate("Object.fromEntries(window.trvFocused)")
        assert len(focused) == total, f"{path}: Tab reached {len(focused)} of {total} controls"
        no_ring = [f["what"] for f in focused.values() if not f["ring"]]
        assert no_ring == [], f"{path}: no visible focus on {no_ring}"
    finally:
        visit.close()
