"""The whole book as a PDF (``make pdf``) and the instructor's kit made with the site.

The PDF: it exists, its outline and its text hold every page's title in the order of
``_toc.yml``, a page with a figure shows the chart drawn (checked as an image with poppler's
``pdftoppm``), controls and collapsed code are not printed, and each chapter's solutions come
after its exercises. The kit: exercise sheets without solutions, solution sheets with one per
exercise, and a figure pack with every chart of every chapter on white.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
PDF = ROOT / "_build" / "pdf" / "treasury-rv.pdf"
sys.path.insert(0, str(ROOT / "book" / "_ext"))

from trv_kit import chapter_stem, chart_figures, toc_chapters, toc_docnames  # noqa: E402

pytestmark = pytest.mark.site

CHAPTERS = toc_chapters(ROOT / "_toc.yml")

#: Vega's colour for a mark with no colour of its own (Fig. 1.1's line and area).
VEGA_MARK_COLOUR = "#4c78a8"


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def _line_colour(spec: dict) -> str:
    """The colour of a chart's first line mark: its own, or Vega's default."""
    marks = [layer.get("mark") for layer in spec.get("layer", [spec])]
    lines = [m for m in marks if isinstance(m, dict) and m.get("type") == "line"] or [{}]
    return lines[0].get("color", VEGA_MARK_COLOUR)


def _title(docname: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((SITE / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")
    heading = soup.select_one("article.bd-article h1")
    for tag in heading.select("a.headerlink"):
        tag.decompose()
    return heading.get_text(" ", strip=True)


def _text(first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-layout"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run([*args, str(PDF), "-"], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def reader():
    pypdf = pytest.importorskip("pypdf")
    assert PDF.is_file(), f"no PDF at {PDF}: run `make pdf` (after `make book`)"
    return pypdf.PdfReader(PDF)


@pytest.fixture(scope="module")
def chapter_starts(reader):
    """First page (1-based) of each top-level outline entry, by title."""
    return {item.title: reader.get_destination_page_number(item) + 1 for item in reader.outline}


def test_pdf_outline_follows_the_table_of_contents(reader):
    titles = [_title(d) for d in toc_docnames(ROOT / "_toc.yml")]
    outline = [item.title for item in reader.outline]
    assert outline == titles
    pages = [reader.get_destination_page_number(item) for item in reader.outline]
    assert pages == sorted(pages) and len(set(pages)) == len(pages)


def test_pdf_text_has_every_chapter_title_in_order(reader, chapter_starts):
    """Each chapter's title is printed on the page where the outline starts it, in order."""
    pages = []
    for docname in CHAPTERS:
        title = _title(docname)
        page = chapter_starts[title]
        assert title in re.sub(r"\s+", " ", _text(page)), f"{title!r} not printed on page {page}"
        pages.append(page)
    assert pages == sorted(pages)
    assert len(reader.pages) > 20


def _ppm_pixels(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    magic, width, height, maxval, rest = data.split(maxsplit=4)
    assert magic == b"P6" and maxval == b"255"
    return int(width), int(height), rest


def _pixels_near(colour: str, page: int, tmp_path: Path) -> int:
    """Pixels of a page (rendered at 60 dpi) within a small distance of ``colour``."""
    assert shutil.which("pdftoppm"), "pdftoppm is not installed (apt-get install poppler-utils)"
    out = tmp_path / f"page{page}"
    subprocess.run(
        ["pdftoppm", "-r", "60", "-f", str(page), "-l", str(page), str(PDF), str(out)],
        check=True,
    )
    (image,) = tmp_path.glob(f"page{page}*.ppm")
    width, height, pixels = _ppm_pixels(image)
    image.unlink()
    c = _rgb(colour)
    count = 0
    for i in range(0, width * height * 3, 3):
        if abs(pixels[i] - c[0]) + abs(pixels[i + 1] - c[1]) + abs(pixels[i + 2] - c[2]) < 40:
            count += 1
    return count


def test_pdf_page_with_a_figure_shows_the_chart_drawn(reader, chapter_starts, tmp_path):
    """The page that holds Fig. 1.1's caption, or the one before, has the chart's line on it
    (pixels of its colour); the glossary's first page (text and links) has almost none, so the
    check tells a drawn chart from an empty box."""
    first_chapter = _title(toc_chapters(ROOT / "_toc.yml")[0])
    start = chapter_starts[first_chapter]
    pages = [
        p
        for p in range(start, len(reader.pages) + 1)
        if "Fig. 1.1 " in re.sub(r"\s+", " ", _text(p))
    ]
    assert pages, "Fig. 1.1 is not printed"
    caption = pages[-1]  # the caption itself, after the prose's mention of the figure
    first_chapter_page = SITE / f"{CHAPTERS[0]}.html"
    (_, spec), *_ = chart_figures(first_chapter_page)
    colour = _line_colour(spec)
    drawn = max(_pixels_near(colour, p, tmp_path) for p in (caption - 1, caption))
    assert drawn > 200, f"no drawn chart near page {caption} ({drawn} pixels of {colour})"
    text_only = _pixels_near(colour, chapter_starts["Glossary"], tmp_path)
    assert text_only < 50, f"the glossary's first page has {text_only} pixels of {colour}"


def test_pdf_prints_no_controls_or_collapsed_code(reader):
    text = re.sub(r"\s+", " ", _text())
    assert "Show code cell" not in text and "Hide code cell" not in text
    # The sliders themselves: checked in the print layout by test_site_reader (their labels
    # double as axis titles, so the text cannot tell them apart).


def _last_heading(docname: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((SITE / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")
    heading = soup.select("article.bd-article section > h2")[-1]
    for tag in heading.select("a.headerlink"):
        tag.decompose()
    return heading.get_text(" ", strip=True)


def test_pdf_solutions_come_at_the_end_of_each_chapter(reader, chapter_starts):
    starts = [chapter_starts[_title(d)] for d in CHAPTERS]
    ends = [s - 1 for s in starts[1:]] + [len(reader.pages)]
    for number, (docname, start, end) in enumerate(zip(CHAPTERS, starts, ends, strict=True), 1):
        text = re.sub(r"\s+", " ", _text(start, end))
        solutions = [m.start() for m in re.finditer(rf"Solution to Exercise {number}\.\d+", text)]
        assert solutions, f"{docname}: no solutions in the PDF"
        last = text.find(_last_heading(docname))
        assert 0 <= last < text.find(" Solutions ", last) < min(solutions), (
            f"{docname}: solutions are not in a Solutions section after the chapter's last one"
        )


# --------------------------------------------------------------------------------------------
# The instructor's kit
# --------------------------------------------------------------------------------------------


def _png_size_and_corner(data: bytes) -> tuple[tuple[int, int], tuple[int, ...]]:
    """Width, height and the top-left pixel of a PNG (8-bit RGB or RGBA)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour = header
    assert depth == 8 and colour in (2, 6)
    channels = 3 if colour == 2 else 4
    row = zlib.decompressobj().decompress(idat, 1 + channels)
    # Whatever the first row's filter, its first pixel is stored as it is.
    return (width, height), tuple(row[1 : 1 + channels])


@pytest.mark.parametrize("docname", CHAPTERS)
def test_figure_pack_has_every_chart_on_white(docname):
    stem = chapter_stem(docname)
    charts = chart_figures(SITE / f"{docname}.html")
    assert charts, f"{docname} has no charts"
    pack = SITE / "downloads" / f"{stem}-figures.zip"
    names = set(zipfile.ZipFile(pack).namelist())
    for name, spec in charts:
        for ext in ("svg", "png", "csv"):
            assert f"{stem}-figures/{name}.{ext}" in names, f"{name}.{ext} not in {pack.name}"
        folder = SITE / "downloads" / "figures" / stem
        svg = (folder / f"{name}.svg").read_text(encoding="utf-8")
        width = float(re.search(r'<svg[^>]*\bwidth="([\d.]+)"', svg).group(1))
        (png_w, _), corner = _png_size_and_corner((folder / f"{name}.png").read_bytes())
        assert abs(png_w - 2 * width) <= 2, f"{name}.png is not twice the SVG's width"
        assert corner[:3] == (255, 255, 255), f"{name}.png has no white background: {corner}"
        rows = next(iter(spec["datasets"].values()))
        header = (folder / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert set(header.split(",")) == set().union(*(r.keys() for r in rows))


@pytest.mark.parametrize("docname", CHAPTERS)
def test_exercise_sheets_with_and_without_solutions(docname):
    stem = chapter_stem(docname)
    page = (SITE / f"{docname}.html").read_text(encoding="utf-8")
    n = page.count('class="exercise admonition"')
    assert n >= 1, f"{docname} has no exercises"
    sheet = (SITE / "downloads" / f"{stem}-exercises.html").read_text(encoding="utf-8")
    answers = (SITE / "downloads" / f"{stem}-exercise-solutions.html").read_text(encoding="utf-8")
    assert sheet.count('class="exercise admonition"') == n
    assert 'class="solution' not in sheet and "Solution to" not in sheet
    assert answers.count('class="exercise admonition"') == n
    assert answers.count('class="solution') == page.count('class="solution')
    for kind in ("exercises", "exercise-solutions"):
        assert (SITE / "downloads" / f"{stem}-{kind}.pdf").is_file(), "run `make pdf`"


def test_book_pdf_is_linked_from_the_site():
    html = (SITE / f"{CHAPTERS[0]}.html").read_text(encoding="utf-8")
    assert "../downloads/treasury-rv.pdf" in html
    assert (SITE / "downloads" / "treasury-rv.pdf").is_file()
