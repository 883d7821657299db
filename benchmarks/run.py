"""Benchmarks: cold build time, library throughput on arrays, and page weight.

Run with ``make bench`` (or ``python benchmarks/run.py [--skip-build]``). Prints one line per
figure with its target and writes ``benchmarks/results.json``. These are measurements, not tests:
nothing here fails a build.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from treasury_rv import bonds, curves, data, delivery, episodes, futures, onoff, swaps
from treasury_rv.dates import add_months

ROOT = Path(__file__).resolve().parents[1]


def best_ms(fn, repeat: int = 7) -> float:
    """Best wall time of ``repeat`` calls, in milliseconds (after one warm-up call)."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1e3 * min(times)


def bond_throughput() -> dict[str, float]:
    """Clean price and yield for 100,000 yields of one bond."""
    bond = bonds.Treasury(0.0425, dt.date(2034, 11, 15))
    settle = dt.date(2025, 4, 2)
    ytm = np.linspace(0.0, 0.10, 100_000)
    prices = bonds.clean_price(bond, settle, ytm)
    return {
        "clean_price_100k_ms": best_ms(lambda: bonds.clean_price(bond, settle, ytm)),
        "yield_to_maturity_100k_ms": best_ms(lambda: bonds.yield_to_maturity(bond, settle, prices)),
    }


def basket_throughput() -> dict[str, float]:
    """Basket table and CTD grid for a 15-bond TY basket × 201 parallel yield shifts.

    The real TYM25 basket has 12 notes; this one has a month-end note (10-year original
    term) for each of the 15 months from December 2031, as wide as the 6y6m-8y grade allows.
    """
    settle, delivery_date = dt.date(2025, 4, 2), dt.date(2025, 6, 30)
    candidates = [
        bonds.Treasury(0.03 + 0.001 * i, m, issue_date=add_months(m, -120, eom=True))
        for i, m in enumerate(add_months(dt.date(2031, 12, 31), k, eom=True) for k in range(18))
    ]
    basket = [b for b in candidates if futures.is_deliverable(b, "TYM25")][:15]
    if len(basket) != 15:
        raise RuntimeError(f"expected a 15-bond basket, built {len(basket)}")
    yields = np.full(len(basket), 0.042)
    prices = np.array(
        [bonds.clean_price(b, settle, y) for b, y in zip(basket, yields, strict=True)]
    )
    shifts = np.linspace(-200, 200, 201)

    def table():
        return futures.basket_table(basket, prices, 111.0, "TYM25", settle, delivery_date, 0.043)

    def grid():
        return delivery.ctd_grid(
            basket, yields, None, "TYM25", settle, delivery_date, 0.043, shifts
        )

    return {
        "basket_size": len(basket),
        "basket_table_ms": best_ms(table),
        "ctd_grid_201_shifts_ms": best_ms(grid),
    }


def curve_fit_throughput() -> dict[str, float]:
    """Svensson fit to 300 notes and bonds priced on the Fed's curve of 2 April 2025."""
    settle = dt.date(2025, 4, 3)
    fed = curves.gsw_curve(dt.date(2025, 4, 2))
    universe = [
        bonds.Treasury(0.00125 * (1 + (7 * k) % 50), add_months(dt.date(2025, 5, 15), 1 + k))
        for k in range(300)
    ]
    prices = np.array([curves.price_on_curve(b, settle, fed) for b in universe])
    return {"fit_svensson_300_ms": best_ms(lambda: curves.fit_svensson(universe, settle, prices))}


def swap_throughput() -> dict[str, float]:
    """Bootstrap of an 11-pillar SOFR curve, and 10,000 par rates on it."""
    trade = dt.date(2025, 4, 2)
    tenors = [1, 2, 3, 5, 7, 10, 12, 15, 20, 25, 30]
    rates = [0.0410, 0.0392, 0.0385, 0.0380, 0.0383, 0.0390, 0.0394, 0.0398, 0.04, 0.0396, 0.039]
    curve = swaps.SofrCurve.bootstrap(trade, tenors, rates)
    many = np.random.default_rng(0).integers(1, 31, size=10_000)

    def bootstrap():
        swaps._period_dates.cache_clear()  # time the schedule too, not a cached one
        return swaps.SofrCurve.bootstrap(trade, tenors, rates)

    def par_rates():
        swaps._period_dates.cache_clear()
        return swaps.ois_par_rate(curve, trade, many)

    return {
        "sofr_bootstrap_11_ms": best_ms(bootstrap),
        "ois_par_rate_10k_ms": best_ms(par_rates),
    }


def onoff_throughput() -> dict[str, float]:
    """Svensson fit to 100 bonds, and one date's refit with the on/off-the-run residuals."""
    settle = dt.date(2025, 4, 3)
    fed = curves.gsw_curve(dt.date(2025, 4, 2))
    universe = [
        bonds.Treasury(0.00125 * (1 + (7 * k) % 50), add_months(dt.date(2025, 5, 15), 1 + 3 * k))
        for k in range(100)
    ]
    prices = np.array([curves.price_on_curve(b, settle, fed) for b in universe])
    return {
        "fit_svensson_100_ms": best_ms(lambda: curves.fit_svensson(universe, settle, prices)),
        "rich_cheap_one_date_ms": best_ms(lambda: onoff.rich_cheap(dt.date(2025, 4, 2)), repeat=3),
    }


def episode_grid_throughput() -> dict[str, float]:
    """The crises chapter's slider grid: 9 leverages x 10 shocks x 11 interventions (990 rows)."""

    def grid():
        episodes.intervention_grid(
            "covid2020",
            np.linspace(0, 1000e9, 11),
            leverages=np.arange(10, 51, 5),
            shocks_bp=np.arange(1, 11),
        )

    return {"intervention_grid_990_ms": best_ms(grid, repeat=3)}


def loader_throughput() -> dict[str, float]:
    """Parse a file the size of the Fed's whole fitted-curve history (16,500 dates).

    Built from the shipped ``feds200628`` sample by repeating its rows on successive dates, in
    a temporary file; nothing is downloaded.
    """
    lines = data.sample_path("fed_fitted_curve").read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Date,"))
    rows = [line.split(",", 1)[1] for line in lines[header + 1 :]]
    first = dt.date(1961, 6, 14)
    body = [f"{first + dt.timedelta(days=k)},{rows[k % len(rows)]}" for k in range(16_500)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "feds200628.csv")
        path.write_text("\n".join(lines[: header + 1] + body) + "\n", encoding="utf-8")
        return {"fed_fitted_curve_16500_ms": best_ms(lambda: data.fed_fitted_curve(source=path), 3)}


def cold_build() -> float:
    """Seconds for `jupyter-book build` of a fresh copy of the tracked files (no cache)."""
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()
    with tempfile.TemporaryDirectory() as tmp:
        for name in tracked:
            target = Path(tmp, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target)
        jb = Path(sys.executable).with_name("jupyter-book")
        start = time.perf_counter()
        subprocess.run([str(jb), "build", tmp, "-W", "-n", "--keep-going", "-q"], check=True)
        return time.perf_counter() - start


def page_weights() -> dict[str, int]:
    """Bytes of each chapter page: its HTML (with the charts' inline data) and its own images."""
    site = ROOT / "_build" / "html"
    weights = {}
    for page in sorted((site / "chapters").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        images = re.findall(r'src="\.\./(_images/[^"]+)"', html)
        weights[page.name] = page.stat().st_size + sum(
            (site / img).stat().st_size for img in set(images)
        )
    return weights


def reader_downloads() -> dict[str, int]:
    """Bytes of the library's wheel and of each reader notebook the site serves."""
    downloads = ROOT / "_build" / "html" / "downloads"
    return {
        path.name: path.stat().st_size
        for path in sorted(downloads.glob("*"))
        if path.suffix in (".whl", ".ipynb")
    }


def _serve_site(site: Path):
    """A local server for the built site; returns (base URL, server)."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - the base class's signature
            pass

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}", httpd


def loaded_page_weights() -> dict[str, dict[str, int]]:
    """Each page with everything it loads in Chromium (scripts, styles, fonts, images).

    Bytes as served and gzip-compressed (level 6, as a web server would send them), read
    from the built files the page requested; requests leaving the local server are blocked.
    """
    import gzip
    from urllib.parse import unquote, urlparse

    from playwright.sync_api import sync_playwright

    site = ROOT / "_build" / "html"
    skip = {"_static", "_sources", "_images", "_downloads", "downloads"}
    pages = [
        p.relative_to(site).as_posix()
        for p in sorted(site.rglob("*.html"))
        if skip.isdisjoint(p.relative_to(site).parts)
    ]
    base, httpd = _serve_site(site)
    host = urlparse(base).netloc
    weights = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=shutil.which("chromium"),
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            for path in pages:
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.route(
                    "**/*",
                    lambda r: (
                        r.continue_() if urlparse(r.request.url).netloc == host else r.abort()
                    ),
                )
                page = context.new_page()
                urls: list[str] = []
                page.on("requestfinished", lambda r, urls=urls: urls.append(r.url))
                page.goto(f"{base}/{path}", wait_until="load")
                page.wait_for_timeout(1500)
                context.close()
                raw = packed = 0
                for url in dict.fromkeys(urls):
                    file = site / unquote(urlparse(url).path).lstrip("/")
                    if file.is_file():
                        data = file.read_bytes()
                        raw += len(data)
                        packed += len(gzip.compress(data, compresslevel=6))
                weights[path] = {"bytes": raw, "gzip_bytes": packed}
            browser.close()
    finally:
        httpd.shutdown()
    return weights


#: The slow-phone profile of issue 18: a 390 x 844 screen, 400 kbit/s each way, 400 ms round
#: trip, a CPU four times slower than this machine's.
SLOW_PHONE = {"width": 390, "height": 844, "kbps": 400, "rtt_ms": 400, "cpu_slowdown": 4}
#: Goals on that profile: first contentful paint, and every chart on the page drawn.
SLOW_PHONE_GOALS_S = {"fcp_s": 4.0, "charts_s": 10.0}


def _serve_site_gzipped(site: Path):
    """A local server for the built site that gzips every response (level 6), as a static
    host does; returns (base URL, server)."""
    import functools
    import gzip
    import http.server
    import threading

    packed: dict[Path, bytes] = {}

    class Gzipped(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - the base class's signature
            pass

        def do_GET(self):  # noqa: N802 - the base class's name
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", ""):
                return super().do_GET()
            if path not in packed:
                packed[path] = gzip.compress(path.read_bytes(), compresslevel=6)
            body = packed[path]
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Gzipped, directory=str(site))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}", httpd


#: Bytes the page received over the network (headers and bodies, compressed), its first
#: contentful paint, and the number of charts on it.
_PAGE_FIGURES_JS = """() => {
  const entries = performance.getEntriesByType("navigation")
    .concat(performance.getEntriesByType("resource"));
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  return {
    transferred: entries.reduce((sum, e) => sum + (e.transferSize || 0), 0),
    fcp_ms: fcp ? fcp.startTime : null,
    charts: document.querySelectorAll("div.trv-chart").length,
  };
}"""


def slow_phone_pages(pages: list[str] | None = None) -> dict[str, dict[str, float]]:
    """Each chapter loaded in Chromium on :data:`SLOW_PHONE`, served gzipped from 127.0.0.1.

    Throttling goes through the DevTools protocol (``Network.emulateNetworkConditions``,
    ``Emulation.setCPUThrottlingRate``), with the cache off. For each page: bytes transferred,
    seconds to first contentful paint and seconds until every chart has been drawn, both
    from the start of navigation.
    """
    from urllib.parse import urlparse

    from playwright.sync_api import sync_playwright

    site = ROOT / "_build" / "html"
    if pages is None:
        pages = [p.relative_to(site).as_posix() for p in sorted((site / "chapters").glob("*.html"))]
    base, httpd = _serve_site_gzipped(site)
    host = urlparse(base).netloc
    rate = SLOW_PHONE["kbps"] * 1000 / 8
    results = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=shutil.which("chromium"),
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            for path in pages:
                context = browser.new_context(
                    viewport={"width": SLOW_PHONE["width"], "height": SLOW_PHONE["height"]},
                    device_scale_factor=1,
                )
                context.route(
                    "**/*",
                    lambda r: (
                        r.continue_() if urlparse(r.request.url).netloc == host else r.abort()
                    ),
                )
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                cdp.send(
                    "Network.emulateNetworkConditions",
                    {
                        "offline": False,
                        "latency": SLOW_PHONE["rtt_ms"],
                        "downloadThroughput": rate,
                        "uploadThroughput": rate,
                    },
                )
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": SLOW_PHONE["cpu_slowdown"]})
                page.goto(f"{base}/{path}", wait_until="load", timeout=180_000)
                page.wait_for_function(
                    "[...document.querySelectorAll('div.trv-chart')]"
                    ".every((c) => c.dataset.drawn === 'true')",
                    timeout=180_000,
                    polling=100,
                )
                charts_ms = page.evaluate("performance.now()")
                page.wait_for_timeout(500)
                figures = page.evaluate(_PAGE_FIGURES_JS)
                results[path] = {
                    "transferred_bytes": figures["transferred"],
                    "fcp_s": (figures["fcp_ms"] or float("nan")) / 1e3,
                    "charts_s": charts_ms / 1e3 if figures["charts"] else 0.0,
                    "charts": figures["charts"],
                }
                context.close()
            browser.close()
    finally:
        httpd.shutdown()
    return results


def slow_phone_table(results: dict[str, dict[str, float]]) -> str:
    """The slow-phone figures as a Markdown table, with the goals."""
    goals = SLOW_PHONE_GOALS_S
    lines = [
        f"| page | transferred | first contentful paint (≤ {goals['fcp_s']:.0f} s) "
        f"| all charts drawn (≤ {goals['charts_s']:.0f} s) |",
        "|---|---|---|---|",
    ]
    for path, r in results.items():
        lines.append(
            f"| {Path(path).stem} | {r['transferred_bytes'] / 1e3:.0f} KB | {r['fcp_s']:.1f} s "
            f"| {r['charts_s']:.1f} s ({r['charts']} charts) |"
        )
    return "\n".join(lines)


def pdf_build() -> dict[str, float]:
    """Seconds and bytes for `make pdf` (the whole book printed from the built site)."""
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    import trv_pdf

    return trv_pdf.build(ROOT / "_build" / "html", ROOT / "_build" / "pdf" / "treasury-rv.pdf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-build", action="store_true", help="skip the cold build")
    parser.add_argument("--skip-pdf", action="store_true", help="skip the PDF build")
    parser.add_argument(
        "--slow-phone", action="store_true", help="only the chapters on the slow-phone profile"
    )
    args = parser.parse_args()
    if args.slow_phone:
        print(slow_phone_table(slow_phone_pages()))
        return
    results: dict[str, object] = {}
    results.update(bond_throughput())
    results.update(basket_throughput())
    results.update(curve_fit_throughput())
    results.update(swap_throughput())
    results.update(onoff_throughput())
    results.update(episode_grid_throughput())
    results.update(loader_throughput())
    if not args.skip_build:
        results["cold_build_s"] = cold_build()
    if (ROOT / "_build" / "html" / "chapters").is_dir():
        results["page_bytes"] = page_weights()
        if not args.skip_pdf:
            results.update(pdf_build())
        if shutil.which("chromium"):
            results["loaded_page_bytes"] = loaded_page_weights()
            results["slow_phone"] = slow_phone_pages()
    if (ROOT / "_build" / "html" / "downloads").is_dir():
        results["download_bytes"] = reader_downloads()
    targets = {
        "clean_price_100k_ms": "≤ 20 ms",
        "yield_to_maturity_100k_ms": "≤ 20 ms",
        "basket_table_ms": "(with the grid) ≤ 20 ms",
        "ctd_grid_201_shifts_ms": "(with the table) ≤ 20 ms",
        "fit_svensson_300_ms": "≤ 100 ms",
        "cold_build_s": "≤ 60 s",
        "sofr_bootstrap_11_ms": "≤ 20 ms",
        "ois_par_rate_10k_ms": "≤ 20 ms",
        "fit_svensson_100_ms": "≤ 100 ms",
        "rich_cheap_one_date_ms": "(about 120 bonds priced and fitted)",
        "intervention_grid_990_ms": "≤ 1,000 ms",
        "fed_fitted_curve_16500_ms": "≤ 1,000 ms",
        "pdf_build_s": "(make pdf, after make book)",
    }
    for key, value in results.items():
        if key == "page_bytes":
            for page, size in value.items():
                print(f"page {page:<28} {size / 1e6:8.3f} MB   target ≤ 1.5 MB")
        elif key == "download_bytes":
            for name, size in value.items():
                print(f"download {name:<33} {size / 1e3:8.1f} kB")
        elif key == "loaded_page_bytes":
            for page, size in sorted(value.items(), key=lambda kv: -kv[1]["gzip_bytes"]):
                print(
                    f"loaded {page:<26} {size['bytes'] / 1e6:8.3f} MB, gzip"
                    f" {size['gzip_bytes'] / 1e6:6.3f} MB   target ≤ 1 MB gzip (heaviest)"
                )
        elif key == "slow_phone":
            print(slow_phone_table(value))
        elif key == "pdf_bytes":
            print(f"{key:<33} {value / 1e6:8.2f} MB")
        elif isinstance(value, float):
            print(f"{key:<33} {value:8.2f}      target {targets.get(key, '')}")
        else:
            print(f"{key:<33} {value!s:>8}")
    (Path(__file__).parent / "results.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
