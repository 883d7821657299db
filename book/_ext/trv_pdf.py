"""Print the built site as one PDF: ``make pdf`` (after ``make book``).

Every page of ``_toc.yml``, in its order, is opened in the Debian Chromium the site tests use
(headless, with every request that leaves the local server blocked), its charts drawn as on the
site in the light palette, and printed with the site's print stylesheet: no navigation, no
sliders (each chart shows its opening state), code wrapped. A chapter's solutions move from
under its exercises to a "Solutions" section at its end. A title page and a contents list with
page numbers come first; the PDF has an outline and page numbers. The exercise sheets of the
instructor's kit are printed too, beside their HTML.

Usage: ``python book/_ext/trv_pdf.py [--site _build/html] [--out _build/pdf/treasury-rv.pdf]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import html
import http.server
import io
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import yaml
from pypdf import PdfReader, PdfWriter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from trv_kit import DOWNLOADS, chapter_stem, toc_chapters  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
#: A4 with 16 mm margins; the pages are laid out this wide (CSS px) so charts fit the paper.
PAPER = {
    "format": "A4",
    "margin": {"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
}
LAYOUT_WIDTH = 680
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: Run in each printed page: solutions to the end of the chapter, opened; widgets' notes kept.
PREPARE_PAGE = """() => {
  const article = document.querySelector('article.bd-article') || document.body;
  const solutions = [...article.querySelectorAll('div.solution')];
  if (solutions.length) {
    const section = document.createElement('section');
    section.className = 'trv-print-solutions';
    const heading = document.createElement('h2');
    heading.textContent = 'Solutions';
    section.appendChild(heading);
    for (const s of solutions) {
      s.classList.remove('dropdown', 'toggle', 'toggle-hidden');
      section.appendChild(s);
    }
    article.appendChild(section);
  }
  for (const el of document.querySelectorAll('.toggle-hidden')) {
    el.classList.remove('toggle-hidden');
  }
  return solutions.length;
}"""

_COVER = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 20mm; }}
body {{ font-family: system-ui, "DejaVu Sans", Arial, sans-serif; color: #222; }}
.cover {{ height: 230mm; display: flex; flex-direction: column; justify-content: center;
  break-after: page; }}
.cover h1 {{ font-size: 34pt; margin: 0 0 8mm; }} .cover p {{ font-size: 13pt; color: #444; }}
h2 {{ font-size: 18pt; }} ol {{ list-style: none; padding: 0; }}
li {{ display: flex; font-size: 11.5pt; margin: 2.2mm 0; }}
li .t {{ flex: 1; border-bottom: 1px dotted #999; margin-right: 3mm; }}
li.part {{ display: block; font-weight: 600; margin-top: 5mm; color: #0072B2; }}
li.sub {{ padding-left: 8mm; font-size: 10.5pt; color: #333; }}
</style></head><body>
<section class="cover"><h1>{title}</h1><p>{author}</p><p>{made}</p>
<p>The web edition has interactive charts and live notebooks; this PDF shows each chart as it
first appears there. Model output is labelled <em>illustrative</em>; every historical figure is
cited.</p></section>
<h2>Contents</h2><ol>{items}</ol></body></html>"""

_NUMBERS = """<!DOCTYPE html><html><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 0; }} body {{ margin: 0; font: 9pt "DejaVu Sans", Arial, sans-serif; }}
div {{ height: 297mm; position: relative; break-after: page; }}
span {{ position: absolute; bottom: 8mm; left: 0; right: 0; text-align: center; color: #555; }}
</style></head><body>{pages}</body></html>"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A page closed while a font or script was still arriving: nothing to report.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on a free local port for the duration of the block."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


def toc_outline(toc_path: Path) -> list[tuple[str, str, int]]:
    """Every page of ``_toc.yml`` in reading order as ``(docname, part caption, depth)``."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    found = [(toc["root"], "", 0)]

    def walk(entries, caption, depth):
        for entry in entries or []:
            if "file" in entry:
                found.append((entry["file"], caption, depth))
            walk(entry.get("sections"), caption, depth + 1)

    for part in toc.get("parts", []):
        walk(part.get("chapters"), part.get("caption", ""), 0)
    walk(toc.get("chapters"), "", 0)
    return found


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        raise SystemExit("Chromium is not installed (apt-get install chromium)")
    return path


def page_title(site: Path, docname: str) -> str:
    """A built page's title (its first heading), without the section number."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((site / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")
    heading = soup.select_one("article.bd-article h1") or soup.find("title")
    for tag in heading.select("a.headerlink"):
        tag.decompose()
    return heading.get_text(" ", strip=True)


def print_page(context, url: str, pdf_options: dict) -> bytes:
    """Open ``url`` for print, draw its charts, move its solutions, and return it as PDF."""
    page = context.new_page()
    try:
        page.emulate_media(media="print", color_scheme="light")
        page.goto(url, wait_until="load")
        charts = page.locator("div.trv-chart").count()
        if charts:
            page.wait_for_function(
                f"document.querySelectorAll('div.trv-chart[data-drawn=true]').length === {charts}",
                timeout=60_000,
            )
        page.evaluate(PREPARE_PAGE)
        page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
        page.evaluate("() => window.trvFitEquations && window.trvFitEquations()")
        page.wait_for_timeout(300)
        return page.pdf(**pdf_options)
    finally:
        page.close()


def _numbers_pdf(context, count: int) -> PdfReader:
    pages = "".join(f"<div><span>{n}</span></div>" for n in range(1, count + 1))
    page = context.new_page()
    try:
        page.set_content(_NUMBERS.format(pages=pages))
        return PdfReader(io.BytesIO(page.pdf(format="A4", margin={"top": "0", "bottom": "0"})))
    finally:
        page.close()


def build(site: Path, out: Path) -> dict[str, float]:
    """Write the book's PDF to ``out`` (and a copy into the site); return timings and size."""
    from playwright.sync_api import sync_playwright

    start = time.perf_counter()
    if not (site / "index.html").is_file():
        raise SystemExit(f"no built site at {site}: run `make book` first")
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    outline = toc_outline(ROOT / "_toc.yml")
    chapters = toc_chapters(ROOT / "_toc.yml")
    pdf_options = {
        **PAPER,
        "print_background": True,
        "display_header_footer": True,
        "header_template": (
            '<div style="font-size:7pt;color:#777;width:100%;padding:0 16mm;">'
            "<span class='title'></span></div>"
        ),
        "footer_template": "<span></span>",
    }
    with serve(site) as base, sync_playwright() as pw:
        host = urlparse(base).netloc
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": LAYOUT_WIDTH, "height": 900}, color_scheme="light"
        )
        context.route(
            "**/*",
            lambda r: r.continue_() if urlparse(r.request.url).netloc == host else r.abort(),
        )
        parts = []
        for docname, caption, depth in outline:
            pdf = print_page(context, f"{base}/{docname}.html", pdf_options)
            title = page_title(site, docname)
            parts.append((title, caption, depth, PdfReader(io.BytesIO(pdf))))
        # The exercise sheets of the instructor's kit, printed beside their HTML.
        for docname in chapters:
            stem = chapter_stem(docname)
            for sheet in (f"{stem}-exercises", f"{stem}-exercise-solutions"):
                if (site / DOWNLOADS / f"{sheet}.html").is_file():
                    pdf = print_page(context, f"{base}/{DOWNLOADS}/{sheet}.html", PAPER)
                    (site / DOWNLOADS / f"{sheet}.pdf").write_bytes(pdf)

        def front_matter(first_pages: list[int]) -> bytes:
            items, caption_now = [], ""
            for (title, caption, depth, _), n in zip(parts, first_pages, strict=True):
                if caption and caption != caption_now:
                    items.append(f'<li class="part">{html.escape(caption)}</li>')
                    caption_now = caption
                items.append(
                    f'<li class="{"sub" if depth else ""}"><span class="t">'
                    f"{html.escape(title)}</span><span>{n}</span></li>"
                )
            made = f"Printed from the web edition on {dt.date.today():%d %B %Y}."
            cover = _COVER.format(
                title=html.escape(config["title"]),
                author=html.escape(config.get("author", "")),
                made=made,
                items="".join(items),
            )
            page = context.new_page()
            try:
                page.set_content(cover)
                return page.pdf(**PAPER)
            finally:
                page.close()

        # The contents' own length shifts every page number: lay it out until it is stable.
        front_len = 0
        for _ in range(3):
            first, n = [], front_len + 1
            for *_, reader in parts:
                first.append(n)
                n += len(reader.pages)
            front = PdfReader(io.BytesIO(front_matter(first)))
            if len(front.pages) == front_len:
                break
            front_len = len(front.pages)
        writer = PdfWriter()
        writer.append(front)
        for title, _, _, reader in parts:
            writer.append(reader, outline_item=title)
        numbers = _numbers_pdf(context, len(writer.pages))
        for page, number in zip(writer.pages, numbers.pages, strict=True):
            page.merge_page(number)
        browser.close()
    # Each printed page embeds the same fonts and images: keep one copy of each.
    writer.compress_identical_objects(remove_identicals=True, remove_orphans=True)
    writer.add_metadata({"/Title": config["title"], "/Author": config.get("author", "")})
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        writer.write(fh)
    shutil.copyfile(out, site / DOWNLOADS / out.name)
    return {
        "pdf_build_s": time.perf_counter() - start,
        "pdf_bytes": out.stat().st_size,
        "pdf_pages": len(writer.pages),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf" / "treasury-rv.pdf")
    args = parser.parse_args()
    stats = build(args.site, args.out)
    print(
        f"wrote {args.out}: {stats['pdf_pages']} pages, {stats['pdf_bytes'] / 1e6:.1f} MB"
        f" in {stats['pdf_build_s']:.0f} s"
    )


if __name__ == "__main__":
    main()
