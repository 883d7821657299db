"""The instructor's kit, made from the built chapter pages at the end of each HTML build.

For every numbered chapter in ``_toc.yml`` (so a new chapter joins the kit by joining the table
of contents) it writes, under ``_build/html/downloads/``:

- ``<chapter>-exercises.html``: the chapter's exercises, without solutions;
- ``<chapter>-exercise-solutions.html``: each exercise followed by its solution;
- ``figures/<chapter>/<figure>.svg``, ``<figure>.png`` (twice the screen size) and
  ``<figure>.csv`` (the chart's data; ``<figure>-2.csv`` and on for a chart with several data
  sets), on a white background in the light palette, named after the figure's label;
- ``<chapter>-figures.zip``: the same figures in one file.

``make pdf`` prints the two sheets as PDFs beside them. The ``{trv-kit}`` directive puts the
table of these downloads (and of the chapter's reader notebooks) on the teaching page.
"""

from __future__ import annotations

import copy
import csv
import io
import zipfile
from pathlib import Path

import vl_convert
import yaml
from bs4 import BeautifulSoup
from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from treasury_rv import charts

DOWNLOADS = "downloads"
#: Width, in pixels, given to a chart that fills its column on the page ("container").
EXPORT_WIDTH = 640


# ---------------------------------------------------------------------------------------------
# The chapters, from the table of contents
# ---------------------------------------------------------------------------------------------


def toc_docnames(toc_path: Path) -> list[str]:
    """Every document of ``_toc.yml`` in reading order: the root, then parts, chapters, sections."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    names = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                names.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return names


def toc_chapters(toc_path: Path) -> list[str]:
    """The numbered chapters of ``_toc.yml`` (the parts with ``numbered: true``), in order."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    return [
        entry["file"]
        for part in toc.get("parts", [])
        if part.get("numbered")
        for entry in part.get("chapters", [])
    ]


def chapter_stem(docname: str) -> str:
    """``chapters/primer`` -> ``primer``: the prefix of a chapter's download files."""
    return docname.rsplit("/", 1)[-1]


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------


def export_spec(spec: dict) -> dict:
    """A chart's spec for a figure file: white background, light palette, fixed width."""
    out = copy.deepcopy(spec)
    config = out.setdefault("config", {})
    config["background"] = "white"

    def fix_width(node):
        if isinstance(node, dict):
            if node.get("width") == "container":
                node["width"] = EXPORT_WIDTH
            for value in node.values():
                fix_width(value)
        elif isinstance(node, list):
            for value in node:
                fix_width(value)

    fix_width({k: v for k, v in out.items() if k not in ("datasets", "data")})
    return out


def _csv_text(rows: list[dict]) -> str:
    columns: list[str] = []
    for row in rows:
        columns.extend(c for c in row if c not in columns)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def chart_figures(page: Path) -> list[tuple[str, dict]]:
    """Each chart of a built page as ``(name, spec)``: the figure's label, or page-chart-N."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    found = []
    for n, script in enumerate(soup.select("script.trv-chart-spec"), start=1):
        figure = script.find_parent("figure")
        name = figure["id"] if figure is not None and figure.get("id") else None
        found.append((name or f"{page.stem}-chart-{n}", charts.page_spec(script.string)))
    return found


def write_figures(page: Path, target: Path) -> list[Path]:
    """Write every chart of ``page`` as SVG, 2x PNG and CSV under ``target``; return the files."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, spec in chart_figures(page):
        spec = export_spec(spec)
        svg, png = target / f"{name}.svg", target / f"{name}.png"
        svg.write_text(vl_convert.vegalite_to_svg(spec), encoding="utf-8")
        png.write_bytes(vl_convert.vegalite_to_png(spec, scale=2))
        written += [svg, png]
        for i, rows in enumerate(spec.get("datasets", {}).values(), start=1):
            data = target / (f"{name}.csv" if i == 1 else f"{name}-{i}.csv")
            data.write_text(_csv_text(rows), encoding="utf-8")
            written.append(data)
    return written


# ---------------------------------------------------------------------------------------------
# Exercise sheets
# ---------------------------------------------------------------------------------------------

_SHEET = """<!DOCTYPE html>
<html lang="en" data-theme="light">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="../_static/favicon.svg">
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #222; }}
h1 {{ font-size: 1.6rem; }} .trv-sheet-meta {{ color: #555; }}
.admonition {{ border-left: 4px solid #0072B2; padding: 0.2rem 1rem; margin: 1.2rem 0;
  break-inside: avoid; }}
.solution {{ border-left-color: #009E73; background: #f5f9f7; }}
.admonition-title {{ font-weight: 600; margin: 0.5rem 0; }}
pre {{ white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f6f6; padding: 0.5rem; }}
table {{ border-collapse: collapse; display: block; overflow-x: auto; }}
td, th {{ border: 1px solid #ccc; padding: 0.2rem 0.5rem; }}
mjx-container[display="true"] {{ display: block; overflow-x: auto; }}
a.headerlink {{ display: none; }}
</style>
<script>
window.MathJax = {{"options": {{"processHtmlClass": "tex2jax_process|mathjax_process|math"}}}}
</script>
<script defer src="../_static/mathjax/tex-chtml.js"></script>
</head>
<body>
<h1>{title}</h1>
<p class="trv-sheet-meta">{meta}</p>
{body}
</body>
</html>
"""


def write_sheets(page: Path, chapter_url: str, target: Path) -> tuple[Path, Path]:
    """Write a chapter's exercise sheet (no solutions) and its solutions sheet."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    title = soup.find("h1").get_text(" ", strip=True).rstrip("#").strip()
    for link in soup.select('a[href^="#"]'):
        link["href"] = chapter_url + link["href"]
    for tag in soup.select("a.headerlink, button"):
        tag.decompose()
    exercises = soup.select("div.exercise")
    solutions = {}
    for solution in soup.select("div.solution"):
        ref = solution.select_one(".admonition-title a[href]")
        key = ref["href"].rsplit("#", 1)[-1] if ref is not None else None
        solution["class"] = [c for c in solution.get("class", []) if c != "dropdown"]
        solutions[key] = str(solution)
    plain = "\n".join(str(e) for e in exercises)
    both = "\n".join(str(e) + "\n" + solutions.get(e.get("id"), "") for e in exercises)
    meta = f'From the chapter <a href="{chapter_url}">{title}</a>.'
    stem = page.stem
    sheet = target / f"{stem}-exercises.html"
    answers = target / f"{stem}-exercise-solutions.html"
    sheet.write_text(
        _SHEET.format(title=f"Exercises: {title}", meta=meta, body=plain), encoding="utf-8"
    )
    answers.write_text(
        _SHEET.format(title=f"Exercises with solutions: {title}", meta=meta, body=both),
        encoding="utf-8",
    )
    return sheet, answers


def write_kit(app, exception) -> None:
    """``build-finished``: write the sheets and figure packs of every numbered chapter."""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    downloads = out / DOWNLOADS
    downloads.mkdir(parents=True, exist_ok=True)
    for docname in toc_chapters(Path(app.srcdir, "_toc.yml")):
        page = out / f"{docname}.html"
        if not page.is_file():
            continue
        stem = chapter_stem(docname)
        write_sheets(page, f"../{docname}.html", downloads)
        figures = write_figures(page, downloads / "figures" / stem)
        with zipfile.ZipFile(downloads / f"{stem}-figures.zip", "w", zipfile.ZIP_DEFLATED) as zf:
            for path in figures:
                zf.write(path, f"{stem}-figures/{path.name}")


# ---------------------------------------------------------------------------------------------
# The table of downloads on the teaching page
# ---------------------------------------------------------------------------------------------


class kit_table(nodes.General, nodes.Element):  # noqa: N801 - docutils node naming
    """Placeholder for the kit's table, filled in once every chapter's title is known."""


class KitDirective(SphinxDirective):
    """``{trv-kit}``: one row of downloads per numbered chapter of ``_toc.yml``."""

    has_content = False

    def run(self):
        return [kit_table()]


def _link(href: str, text: str) -> str:
    return f'<a href="{href}">{text}</a>'


def fill_kit_tables(app, doctree, docname) -> None:
    """``doctree-resolved``: replace each ``{trv-kit}`` with its HTML table."""
    tables = list(doctree.findall(kit_table))
    if not tables:
        return
    up = "../" * docname.count("/")
    rows = []
    for number, chapter in enumerate(toc_chapters(Path(app.srcdir, "_toc.yml")), start=1):
        stem = chapter_stem(chapter)
        title = app.env.titles[chapter].astext() if chapter in app.env.titles else stem
        d = f"{up}{DOWNLOADS}/{stem}"
        rows.append(
            "<tr>"
            f"<td>{number}. {_link(f'{up}{chapter}.html', title)}</td>"
            f"<td>{_link(f'{d}.ipynb', 'notebook')} · "
            f"{_link(f'{d}-solutions.ipynb', 'with solutions')}</td>"
            f"<td>{_link(f'{d}-exercises.html', 'HTML')} · "
            f"{_link(f'{d}-exercises.pdf', 'PDF')}</td>"
            f"<td>{_link(f'{d}-exercise-solutions.html', 'HTML')} · "
            f"{_link(f'{d}-exercise-solutions.pdf', 'PDF')}</td>"
            f"<td>{_link(f'{d}-figures.zip', 'SVG, PNG, CSV (zip)')}</td>"
            "</tr>"
        )
    html = (
        '<table class="table trv-kit"><thead><tr><th>Chapter</th><th>Reader notebooks</th>'
        "<th>Exercise sheet</th><th>Solutions</th><th>Figure pack</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )
    for table in tables:
        table.replace_self(nodes.raw("", html, format="html"))


def setup(app):
    app.add_node(kit_table)
    app.add_directive("trv-kit", KitDirective)
    app.connect("doctree-resolved", fill_kit_tables)
    app.connect("build-finished", write_kit)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


__all__ = ["chapter_stem", "export_spec", "toc_chapters", "toc_docnames", "write_kit"]
