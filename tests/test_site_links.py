"""Every local link of the built site resolves: each ``href`` and ``src`` on every page.

Run after ``make book`` (which prints the PDFs the pages offer). Addresses with a scheme
(``https:``, ``mailto:``) and in-page anchors are not checked here; any other address, taken
relative to its page, must name a file of the site.
"""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"

pytestmark = pytest.mark.site


class _Addresses(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.found.append(value)


def local_addresses(page: Path) -> list[str]:
    """The ``href`` and ``src`` values of ``page`` that name a file of the same site."""
    parser = _Addresses()
    parser.feed(page.read_text("utf-8"))
    return [
        a
        for a in parser.found
        if not re.match(r"^([a-z][a-z0-9+.-]*:|//|#)", a, re.IGNORECASE) and not a.startswith("{{")
    ]


def dead_links(site: Path) -> list[str]:
    """``page -> address`` for every local address of the site naming no file."""
    dead = []
    for page in sorted(site.rglob("*.html")):
        folder = page.parent.relative_to(site).as_posix()
        for address in local_addresses(page):
            path = unquote(urlsplit(address).path)
            if not path:
                continue
            target = site / posixpath.normpath(posixpath.join(folder, path))
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                dead.append(f"{page.relative_to(site)} -> {address}")
    return dead


def test_dead_links_are_found(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "p.html").write_text(
        '<a href="q.html#x">q</a><img src="../img.png"><a href="https://x.org/">x</a>'
        '<a href="#top">top</a><a href="missing.pdf">pdf</a>',
        encoding="utf-8",
    )
    (tmp_path / "a" / "q.html").write_text("", encoding="utf-8")
    (tmp_path / "img.png").write_bytes(b"")
    assert dead_links(tmp_path) == ["a/p.html -> missing.pdf"]


def test_every_local_link_of_the_site_resolves():
    assert (SITE / "index.html").is_file(), "no built site: run `make book`"
    dead = dead_links(SITE)
    assert not dead, f"{len(dead)} dead local links, e.g. {dead[:8]}"
