"""Sphinx extension for the book's static site.

- Marks the build as a static-site build, so chapter kernels (started by this process)
  render charts for the page and replace live widget panels with a note.
- Serves the Vega libraries from the site's own ``_static/`` (built once per build from
  ``vl-convert-python``'s bundle) and loads them, with the chart script, only on pages
  that have charts.
- Offers each chapter as a runnable ``.ipynb`` (made from its MyST source, without outputs)
  through the theme's download button.
- Drops script tags that would be emitted twice (sphinx-thebe's inline configuration),
  which otherwise raise "Identifier ... has already been declared" on every page.
"""

from __future__ import annotations

import os
from pathlib import Path

import jupytext
import vl_convert

from treasury_rv._site import STATIC_SITE_ENV

VEGA_BUNDLE = "vega/vega-bundle.js"
CHART_SCRIPT = "trv-charts.js"


def _vega_bundle_source() -> str:
    """Return the Vega + Vega-Lite + vega-embed bundle wrapped so its names stay private.

    The bundle is a classic script with top-level ``const`` declarations that collide with
    Sphinx's globals; inside a function scope they do not, and the bundle still assigns
    ``window.vegaEmbed``, ``window.vega`` and ``window.vegaLite`` itself.
    """
    return "(function () {\n" + vl_convert.javascript_bundle() + "\n})();\n"


def write_vega_bundle(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir, "_static", VEGA_BUNDLE)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(_vega_bundle_source(), encoding="utf-8")


def add_page_assets(app, pagename, templatename, context, doctree) -> None:
    if "trv-chart-spec" in context.get("body", ""):
        app.add_js_file(VEGA_BUNDLE, priority=800)
        app.add_js_file(CHART_SCRIPT, priority=801)


def offer_notebook(app, pagename, templatename, context, doctree) -> None:
    """Write a chapter's notebook (no outputs) under ``_sources`` and point the button at it."""
    source = Path(app.env.doc2path(pagename))
    if source.suffix != ".md" or not source.read_text(encoding="utf-8").startswith("---\njupytext"):
        return
    notebook = jupytext.read(source)
    target = Path(app.outdir, "_sources", pagename).with_suffix(".ipynb")
    target.parent.mkdir(parents=True, exist_ok=True)
    jupytext.write(notebook, target, fmt="ipynb")
    context["ipynb_source"] = pagename + ".ipynb"


def drop_duplicate_scripts(app, pagename, templatename, context, doctree) -> None:
    seen = set()
    unique = []
    for script in context.get("script_files", []):
        # An inline script is added once with filename None and once with "".
        key = (script.filename or "", tuple(sorted(script.attributes.items())))
        if key in seen:
            continue
        seen.add(key)
        unique.append(script)
    context["script_files"] = unique


def setup(app):
    os.environ[STATIC_SITE_ENV] = "1"
    app.connect("html-page-context", add_page_assets)
    app.connect("html-page-context", offer_notebook, priority=400)
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    app.connect("build-finished", write_vega_bundle)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
