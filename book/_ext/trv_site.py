"""Sphinx extension for the book's static site.

- Marks the build as a static-site build, so chapter kernels (started by this process)
  render charts for the page and replace live widget panels with a note.
- Serves the Vega libraries from the site's own ``_static/`` (built once per build from
  ``vl-convert-python``'s bundle) and loads them, with the chart script, only on pages
  that have charts, and only once the page's text has painted.
- Keeps the first paint fast on a slow line: every script is deferred (MathJax is fetched
  after the charts), the theme's stylesheets are cut to the rules the site uses, and the
  theme's script preloads are dropped.
- Fixes what WCAG 2.2 AA checks (axe-core, ``tests/test_a11y.py``) find in the theme's
  HTML: controls named as they read, bibliography entries as list items, scrolling tables
  reachable by keyboard.
- Offers each chapter as a runnable ``.ipynb`` (made from its MyST source, without outputs)
  through the theme's download button.
- Drops script tags that would be emitted twice (sphinx-thebe's inline configuration),
  which otherwise raise "Identifier ... has already been declared" on every page.
- Loads MathJax only on pages with mathematics, and no page loads the theme's 1.5 MB
  ``fontawesome.js``: the theme's own stylesheet already draws its icons from the webfont,
  which is cut down to the icons the site uses. Pages other than the search page do not
  load the search index (the theme's search-as-you-type, which needs it, is off).
- Adds the whole book as a PDF (``make pdf``) to every page's download menu.
- Labels the bibliography author–year, as the text cites it (the ``authoryear`` style).
- Makes the instructor's kit (:mod:`trv_kit`).
"""

from __future__ import annotations

import codecs
import json
import os
import re
from pathlib import Path

import jupytext
import latexcodec  # noqa: F401 - registers the "ulatex" codec
import vl_convert
from fontTools import subset
from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from sphinx.builders.html._assets import _JavaScript

from treasury_rv._site import STATIC_SITE_ENV

VEGA_BUNDLE = "vega/vega-bundle.js"
CHART_SCRIPT = "trv-charts.js"
MATHS_SCRIPT = "trv-maths.js"
#: Where ``make pdf`` puts the whole book inside the site.
BOOK_PDF = "downloads/treasury-rv.pdf"
#: What Sphinx writes for mathematics in a page's body (inline, display, or in an output).
MATH_MARKERS = ('class="math', "\\(", "\\[", "$$")
#: Fetches the Vega bundle after the first paint; ``trv-charts.js`` waits on ``trvBundle``.
_BUNDLE_LOADER = """window.trvBundle = new Promise(function (resolve, reject) {
  var started = false;
  function load() {
    if (started) return;
    started = true;
    var s = document.createElement("script");
    s.src = %s;
    s.onload = resolve;
    s.onerror = reject;
    document.head.appendChild(s);
  }
  var types = (window.PerformanceObserver && PerformanceObserver.supportedEntryTypes) || [];
  if (types.indexOf("paint") >= 0) {
    new PerformanceObserver(function (list, observer) { observer.disconnect(); load(); })
      .observe({ type: "paint", buffered: true });
  }
  window.addEventListener("load", load);
});"""
# The theme preloads its two scripts at high priority; they are deferred anyway, and the
# preload only takes bandwidth from the stylesheets the first paint waits for.
_SCRIPT_PRELOAD = re.compile(r'\s*<link rel="preload" as="script" href="[^"]*" />')
#: Accessible names that do not match what the control shows (WCAG 2.5.3) or are missing
#: (4.1.2), fixed in the built HTML: (pattern, replacement).
_NAME_FIXES = (
    # The search button reads "Search Ctrl+K"; its name comes from that text.
    (
        re.compile(
            r'(<button class="btn search-button-field[^"]*" title="Search") aria-label="Search"'
        ),
        r"\1",
    ),
    # A hidden code cell's toggle reads "Show code cell source": let that be its name.
    (re.compile(r'<summary aria-label="Toggle hidden content">'), "<summary>"),
    # Bibliography entries: ARIA 1.2 deprecates doc-biblioentry; they are a list's items.
    (re.compile(r'role="doc-biblioentry"'), 'role="listitem"'),
    # A table wider than a phone scrolls sideways in its own box: keyboard readers need to
    # reach it to scroll it (WCAG 2.1.1).
    (re.compile(r"<table(?![^>]*tabindex)"), '<table tabindex="0"'),
    # The sidebar's section toggles show only a chevron.
    (
        re.compile(r'<summary>(<span class="toctree-toggle" role="presentation">)'),
        r'<summary aria-label="Show or hide this part\'s pages">\1',
    ),
)
_FONTAWESOME_TAG = re.compile(
    r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>'
)
_SEARCH_TAGS = re.compile(
    r'\s*<script(?: defer="defer")? src="[^"]*'
    r'(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)[^"]*"></script>'
)
# A rule giving icon classes their glyph: ``.fa-bars:before,.fa-navicon:before{content:"\f0c9"}``.
_ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:before,?)+)\{content:"\\([0-9a-f]{4,5})"\}')
_ICON_NAME = re.compile(r"\.fa-([a-z0-9-]+):before")
_GLYPH = re.compile(r'"\\([0-9a-f]{4,5})"')
_ICON_CLASS = re.compile(r"\bfa-([a-z0-9-]+)")


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


def write_root_redirect(app, exception) -> None:
    """Write the site root's ``index.html``: a redirect to the first page that names the icon.

    Runs before the table-of-contents extension's own redirect, which is a bare ``meta``
    tag and is written only when no ``index.html`` exists.
    """
    if exception is not None or app.builder.format != "html":
        return
    root = app.config.root_doc
    target = f"{root}.html"
    title = app.config.html_title
    icon = f"_static/{Path(app.config.html_favicon).name}"
    Path(app.outdir, "index.html").write_text(
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        f'<link rel="icon" href="{icon}">\n'
        f'<meta http-equiv="Refresh" content="0; url={target}">\n'
        f'</head>\n<body>\n<p><a href="{target}">{title}</a></p>\n</body>\n</html>\n',
        encoding="utf-8",
    )


def add_page_assets(app, pagename, templatename, context, doctree) -> None:
    """Add the chart script to pages with charts and the maths script to pages with maths.

    Both are deferred. A small inline script fetches the Vega bundle once the page's first
    paint is done (or at its load event, whichever is first), so the bundle never competes
    with the stylesheets; the maths script fetches MathJax once the charts are drawn.
    """
    body = context.get("body", "")
    if "trv-chart-spec" in body:
        bundle = context["pathto"](f"_static/{VEGA_BUNDLE}", 1)
        app.add_js_file(None, body=_BUNDLE_LOADER % json.dumps(bundle), priority=800)
        app.add_js_file(CHART_SCRIPT, priority=801, defer="defer")
    if any(marker in body for marker in MATH_MARKERS):
        app.add_js_file(MATHS_SCRIPT, priority=802, defer="defer")


def load_mathjax_only_with_maths(app, pagename, templatename, context, doctree) -> None:
    """Drop MathJax's script from every page, and its configuration from pages without maths.

    ``trv-maths.js`` loads MathJax on pages with mathematics, after the charts.
    """
    body = context.get("body", "")
    has_maths = any(marker in body for marker in MATH_MARKERS)
    context["script_files"] = [
        script
        for script in context.get("script_files", [])
        if "mathjax" not in (script.filename or "").lower()
        and (has_maths or "window.MathJax" not in script.attributes.get("body", ""))
    ]


def defer_scripts(app, pagename, templatename, context, doctree) -> None:
    """Make every script file the page loads deferred, so none holds up the first paint.

    ``documentation_options.js`` stays as it is: inline scripts after it extend the object
    it defines. The search page keeps them as they are: its own scripts, written after the
    head, call ``_ready`` from ``doctools.js`` as soon as they load. Sphinx shares one
    script object among all pages, so each page gets deferred copies, never the originals.
    """
    if pagename == "search":
        return
    context["script_files"] = [_deferred(script) for script in context.get("script_files", [])]


def _deferred(script):
    """``script`` as a deferred script file, or unchanged if inline, async or already deferred."""
    name = script.filename or ""
    attributes = dict(script.attributes)
    if not name or "documentation_options" in name or {"async", "defer"} & attributes.keys():
        return script
    return _JavaScript(name, priority=script.priority, **attributes, defer="defer")


def _used_icons(out: Path) -> set[str]:
    """Names of the ``fa-*`` icon classes written in some page or script of the site."""
    names: set[str] = set()
    for path in [*out.rglob("*.html"), *(out / "_static").rglob("*.js")]:
        if "mathjax" in path.parts or path.name == "vega-bundle.js":
            continue
        names.update(_ICON_CLASS.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return names


def _drop_unused_icon_rules(css: str, used: set[str]) -> str:
    """``css`` without the rules giving a glyph to icon classes no page or script uses."""

    def keep(match: re.Match) -> str:
        names = _ICON_NAME.findall(match.group(1))
        return match.group(0) if used.intersection(names) else ""

    return _ICON_RULE.sub(keep, css)


def trim_icon_styles(app, exception) -> None:
    """Cut the icon rules of the theme's stylesheets down to the icons the site shows.

    The theme ships one rule per Font Awesome icon: 87 KB of its 397 KB stylesheet.
    """
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    used = _used_icons(out)
    for sheet in (out / "_static").rglob("*.css"):
        text = sheet.read_text(encoding="utf-8")
        lean = _drop_unused_icon_rules(text, used)
        if lean != text:
            sheet.write_text(lean, encoding="utf-8")


#: Stylesheets cut down to the rules whose classes the site uses (the theme's, with all of
#: Bootstrap's components, and sphinx-design's).
TRIMMED_STYLESHEETS = ("styles/pydata-sphinx-theme.css", "sphinx-design.min.css")
_CSS_CLASS = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")
_WORD = re.compile(r"[A-Za-z0-9_-]+")


def _site_words(out: Path) -> set[str]:
    """Every word (letters, digits, ``-``, ``_``) in the site's pages and scripts."""
    words: set[str] = set()
    for path in [*out.rglob("*.html"), *(out / "_static").rglob("*.js")]:
        if "mathjax" in path.parts or path.name == "vega-bundle.js":
            continue
        words.update(_WORD.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return words


def _top_level_split(text: str, sep: str = ",") -> list[str]:
    parts, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _unused_rules_dropped(css: str, words: set[str]) -> str:
    """``css`` without the selectors naming a class that no page or script mentions.

    A class counts as used if it is a word of the site, or starts with a word ending in
    ``-`` (a script building ``"bs-tooltip-" + placement``). At-rules are kept, and the
    rules inside ``@media``/``@supports``/``@layer`` are cut the same way.
    """
    prefixes = tuple(w for w in words if w.endswith("-"))

    def used(selector: str) -> bool:
        return all(c in words or c.startswith(prefixes) for c in _CSS_CLASS.findall(selector))

    out, i, n = [], 0, len(css)
    while i < n:
        j = css.find("{", i)
        if j < 0:
            out.append(css[i:])
            break
        depth, k = 1, j + 1
        while depth:
            c = css[k]
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            elif c in "\"'":
                k = css.index(c, k + 1)
            k += 1
        prelude, block = css[i:j], css[j + 1 : k - 1]
        head = prelude.strip()
        if head.startswith(("@media", "@supports", "@layer")):
            inner = _unused_rules_dropped(block, words)
            if inner.strip():
                out.append(f"{prelude}{{{inner}}}")
        elif head.startswith("@"):
            out.append(f"{prelude}{{{block}}}")
        else:
            kept = [s for s in _top_level_split(prelude) if used(s)]
            if kept:
                out.append(",".join(kept) + "{" + block + "}")
        i = k
    return "".join(out)


def trim_stylesheets(app, exception) -> None:
    """Cut :data:`TRIMMED_STYLESHEETS` to the rules the site can use.

    The theme's 397 KB sheet is most of what a page waits for before its first paint.
    """
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    words = _site_words(out)
    for name in TRIMMED_STYLESHEETS:
        sheet = out / "_static" / name
        if sheet.is_file():
            text = sheet.read_text(encoding="utf-8")
            sheet.write_text(_unused_rules_dropped(text, words), encoding="utf-8")


def lighten_pages(app, exception) -> None:
    """Lighten and label every page.

    Removes ``fontawesome.js`` and the theme's script preloads from every page, and the
    search index from all but the search page; gives controls names that match what they
    show (:data:`_NAME_FIXES`).
    """
    if exception is not None or app.builder.format != "html":
        return
    search_as_you_type = app.config.html_theme_options.get("search_as_you_type", False)
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        lean = _SCRIPT_PRELOAD.sub("", _FONTAWESOME_TAG.sub("", text))
        for pattern, replacement in _NAME_FIXES:
            lean = pattern.sub(replacement, lean)
        if not search_as_you_type and page.name != "search.html":
            lean = _SEARCH_TAGS.sub("", lean)
        if lean != text:
            page.write_text(lean, encoding="utf-8")


def subset_icon_fonts(app, exception) -> None:
    """Cut the theme's icon webfonts down to the glyphs the site can show.

    Those are the icons named by an ``fa-*`` class on some page, and every glyph the
    stylesheets use directly (admonition and navigation icons, outside the ``.fa-*`` rules).
    """
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    css = "".join(p.read_text(encoding="utf-8") for p in (out / "_static").rglob("*.css"))
    by_class = {
        name: code
        for selectors, code in _ICON_RULE.findall(css)
        for name in _ICON_NAME.findall(selectors)
    }
    glyphs = {int(code, 16) for code in _GLYPH.findall(_ICON_RULE.sub("", css))}
    for page in out.rglob("*.html"):
        for name in _ICON_CLASS.findall(page.read_text(encoding="utf-8")):
            if name in by_class:
                glyphs.add(int(by_class[name], 16))
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.notdef_outline = True
    for font_file in (out / "_static").rglob("fa-*.woff2"):
        font = subset.load_font(str(font_file), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(glyphs))
        subsetter.subset(font)
        subset.save_font(font, str(font_file), options)


def offer_book_pdf(app, pagename, templatename, context, doctree) -> None:
    """Add the whole book as a PDF to the page's download menu; name the page print."""
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        for button in group["buttons"]:
            if button.get("label") == "download-pdf-button":
                button["text"] = "print page"
        group["buttons"].append(
            {
                "type": "link",
                "url": context["pathto"](BOOK_PDF, 1),
                "text": "whole book (.pdf)",
                "tooltip": "The whole book as one PDF",
                "icon": "fas fa-book",
                "label": "download-book-pdf-button",
            }
        )


class AuthorYearLabels(BaseLabelStyle):
    """Bibliography labels as the text cites: "Author, Year" ("Author and Other, Year",
    "Author et al., Year"), with a, b, ... after the year when two entries would share one."""

    def format_labels(self, sorted_entries):
        labels = [self._label(entry) for entry in sorted_entries]
        seen: dict[str, int] = {}
        for label in labels:
            seen[label] = seen.get(label, 0) + 1
        used: dict[str, int] = {}
        for label in labels:
            if seen[label] > 1:
                used[label] = used.get(label, 0) + 1
                yield f"{label}{chr(ord('a') + used[label] - 1)}"
            else:
                yield label

    @staticmethod
    def _label(entry) -> str:
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [" ".join(p.prelast_names + p.last_names) for p in people]
        if len(names) > 2:
            who = f"{names[0]} et al."
        elif names:
            who = " and ".join(names)
        else:
            fields = entry.fields
            who = fields.get("organization") or fields.get("institution") or fields.get("key")
            who = str(who or fields.get("publisher") or fields.get("title", "Anon."))
        who = codecs.decode(who, "ulatex").replace("{", "").replace("}", "")
        return f"{who}, {entry.fields.get('year', 'n.d.')}"


class AuthorYearStyle(PlainStyle):
    """The plain BibTeX style with author–year labels (``bibtex_default_style: authoryear``)."""

    default_label_style = "authoryear"


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
    register_plugin("pybtex.style.labels", "authoryear", AuthorYearLabels)
    register_plugin("pybtex.style.formatting", "authoryear", AuthorYearStyle)
    app.setup_extension("trv_kit")
    app.connect("html-page-context", add_page_assets)
    app.connect("html-page-context", load_mathjax_only_with_maths, priority=950)
    app.connect("html-page-context", offer_book_pdf, priority=600)
    app.connect("html-page-context", offer_notebook, priority=400)
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    app.connect("html-page-context", defer_scripts, priority=960)
    app.connect("build-finished", write_vega_bundle)
    app.connect("build-finished", write_root_redirect, priority=400)
    app.connect("build-finished", lighten_pages)
    app.connect("build-finished", subset_icon_fonts)
    app.connect("build-finished", trim_icon_styles)
    app.connect("build-finished", trim_stylesheets)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
