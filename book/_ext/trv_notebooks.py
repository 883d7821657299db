"""Reader notebooks and the library's wheel, made when the site is built.

For every chapter executed by MyST-NB, writes two notebooks under ``downloads/`` in the built
site, made from the executed chapter:

- ``<chapter>.ipynb``, for students: the text in plain Markdown (every glued number filled in,
  equations as ``$$…$$``, citations as "(Author Year)" linked to the bibliography page,
  glossary terms linked to the glossary, exercises as headings), without the solutions;
- ``<chapter>-solutions.ipynb``: the same with every solution under its exercise.

Both run in any Jupyter kernel that has the library installed: the one line that imports
MyST-NB's ``glue`` imports :func:`treasury_rv.notebook.glue` instead, and outputs are cleared
(a kernel re-creates them). The first cell says how to install the library: the wheel this
build writes to ``downloads/`` (also ``make wheel``) or ``pip install`` from the repository,
whose address is the one setting ``trv_repository_url``. Each chapter page links both
notebooks under its title and in the theme's download menu.

The conversion itself (:func:`convert_notebook`) knows nothing of Sphinx: a :class:`Resolver`
supplies the numbers, links and labels, so it is tested on its own.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import nbformat
from docutils import nodes

DOWNLOADS = "downloads"
SOLUTIONS_SUFFIX = "-solutions"
GLUE_IMPORT = re.compile(r"^(\s*)from myst_nb import glue\s*$", re.MULTILINE)
GLUE_SHIM = r"\1from treasury_rv.notebook import glue"
FORBIDDEN_IMPORT = re.compile(r"^\s*(from|import)\s+(myst_nb|sphinx)\b", re.MULTILINE)

ADMONITIONS = {
    "admonition": "",
    "attention": "Attention",
    "caution": "Caution",
    "danger": "Danger",
    "dropdown": "",
    "epigraph": "",
    "error": "Error",
    "hint": "Hint",
    "important": "Important",
    "margin": "",
    "note": "Note",
    "seealso": "See also",
    "sidebar": "",
    "tip": "Tip",
    "topic": "",
    "warning": "Warning",
}
CODE_DIRECTIVES = {"code", "code-block", "sourcecode"}


class Resolver(Protocol):
    """What the conversion needs from the build: numbers, links and labels as Markdown."""

    def glue(self, role: str, key: str, spec: str) -> str: ...
    def xref(self, role: str, content: str) -> str: ...
    def equation_number(self, label: str) -> str: ...
    def figure_label(self, name: str) -> str: ...
    def warn(self, message: str) -> None: ...


# --- Markdown text ------------------------------------------------------------------------------

_ROLE = r"\{(?P<role>[A-Za-z][\w:+.-]*)\}`(?P<content>[^`]+)`"
_CODE = r"(?P<ticks>`+)(?P<code>.+?)(?<!`)(?P=ticks)(?!`)"
_INLINE = re.compile(rf"\\.|{_ROLE}|{_CODE}|\$\$.+?\$\$|\$", re.DOTALL)
_SUBSTITUTION = re.compile(r"\{\{\s*([\w.-]+)\s*\}\}")
_TARGET_LINE = re.compile(r"^\s*\(([^()\s]+)\)=\s*$")


#: A literal dollar sign. Escaped, so Markdown renderers do not start maths at it, and in a
#: span of its own: JupyterLab's MathJax runs on the rendered page, where ``\$`` is a bare
#: ``$`` again and two in a paragraph would enclose "maths"; the span keeps them apart.
DOLLAR = "<span>\\$</span>"


def escape_dollars(text: str) -> str:
    """Return ``text`` with every dollar sign written as a literal :data:`DOLLAR`."""
    return re.sub(r"\\?\$", lambda _: DOLLAR, text)


def _inline_math_end(text: str, start: int) -> int | None:
    """End (exclusive) of inline maths opened by the ``$`` at ``start``, or None.

    Follows MyST's dollarmath rules with digits not allowed next to the dollars (the book's
    ``myst_dmath_allow_digits: false``): ``$10mn`` is money, ``$1-h$`` is maths.
    """
    if start > 0 and text[start - 1].isdigit():
        return None
    if start + 1 >= len(text) or text[start + 1].isspace():
        return None
    pos = start + 1
    while True:
        close = text.find("$", pos)
        if close < 0:
            return None
        if text[close - 1] == "\\":
            pos = close + 1
            continue
        if close == start + 1 or text[close - 1].isspace():
            return None
        if close + 1 < len(text) and text[close + 1].isdigit():
            return None
        return close + 1


def convert_inline(text: str, resolver: Resolver, substitutions: dict[str, str]) -> str:
    """Convert MyST inline syntax in ``text`` to plain Markdown (see the module docstring)."""
    out: list[str] = []
    pos = 0
    while True:
        match = _INLINE.search(text, pos)
        if match is None:
            out.append(text[pos:])
            break
        out.append(text[pos : match.start()])
        token = match.group(0)
        if match.group("role"):
            out.append(_convert_role(match.group("role"), match.group("content"), resolver))
            pos = match.end()
        elif token == "$":
            end = _inline_math_end(text, match.start())
            if end is None:
                out.append(DOLLAR)
                pos = match.end()
            else:
                out.append(text[match.start() : end])
                pos = end
        elif token == r"\$":
            out.append(DOLLAR)
            pos = match.end()
        else:  # another escaped character, a code span or display maths: kept as written
            out.append(token)
            pos = match.end()
    result = "".join(out)

    def substitute(m: re.Match[str]) -> str:
        if m.group(1) not in substitutions:
            resolver.warn(f"unknown substitution {m.group(0)!r}")
            return m.group(0)
        return substitutions[m.group(1)]

    return _SUBSTITUTION.sub(substitute, result)


_PYTHON_ROLES = ("func", "meth", "class", "data", "attr", "mod", "obj", "exc")


def _python_object(role: str, content: str) -> str:
    """A Python-domain role as the code span Sphinx shows: ``{func}`~a.b.f``` -> `` `f()` ``."""
    explicit = re.match(r"^(?P<title>.+?)\s*<(?P<target>[^<>]+)>$", content)
    if explicit:
        return f"`{explicit.group('title')}`"
    target = content.lstrip("!")
    name = target[1:].rsplit(".", 1)[-1] if target.startswith("~") else target
    return f"`{name}()`" if role in ("func", "meth") else f"`{name}`"


def _convert_role(role: str, content: str, resolver: Resolver) -> str:
    if role.startswith("glue"):
        key, _, spec = content.partition(":")
        return resolver.glue(role, key.strip(), spec.strip())
    if role == "math":
        return f"${content}$"
    if role in ("sub", "sup"):
        return f"<{role}>{content}</{role}>"
    if role in ("code", "kbd", "samp", "file", "command", "literal"):
        return f"`{content}`"
    if role == "abbr":
        return re.sub(r"\s*\(.*\)\s*$", "", content)
    if role in ("term", "ref", "numref", "doc", "eq", "download") or role.startswith("cite"):
        return resolver.xref(role, content)
    if role.removeprefix("py:") in _PYTHON_ROLES:
        return _python_object(role.removeprefix("py:"), content)
    resolver.warn(f"role {{{role}}} has no plain-Markdown form; kept its text")
    return content


# --- Blocks ------------------------------------------------------------------------------------

_FENCE = re.compile(r"^(?P<indent>[ ]{0,3})(?P<fence>`{3,}|:{3,})\s*(?P<info>.*)$")


@dataclass
class Directive:
    """A fenced MyST directive: name, argument, options and body lines."""

    name: str
    argument: str
    options: dict[str, str]
    body: list[str]


@dataclass
class State:
    """What the conversion of one chapter carries from cell to cell."""

    solutions: bool
    in_solution: bool = False
    #: The last thing read was a ``{solution}``: hidden cells right after it compute its numbers.
    after_solution: bool = False
    exercises: dict[str, int] = field(default_factory=dict)
    count: int = 0


def _split_blocks(lines: list[str]) -> list[str | Directive | list[str]]:
    """Split Markdown lines into text lines, directives and plain fenced code (kept as is)."""
    blocks: list[str | Directive | list[str]] = []
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            blocks.append(lines[i])
            i += 1
            continue
        fence = match.group("fence")
        closing = re.compile(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        j = i + 1
        while j < len(lines) and not closing.match(lines[j]):
            j += 1
        inner = lines[i + 1 : j]
        info = match.group("info").strip()
        directive = re.match(r"^\{(?P<name>[\w:-]+)\}\s*(?P<arg>.*)$", info)
        if directive:
            blocks.append(_parse_directive(directive.group("name"), directive.group("arg"), inner))
        else:
            blocks.append(lines[i : j + 1])
        i = j + 1
    return blocks


def _parse_directive(name: str, argument: str, inner: list[str]) -> Directive:
    options: dict[str, str] = {}
    body = list(inner)
    if body and body[0].strip() == "---":
        end = next((k for k in range(1, len(body)) if body[k].strip() == "---"), None)
        if end is not None:
            for line in body[1:end]:
                key, _, value = line.partition(":")
                options[key.strip()] = value.strip()
            body = body[end + 1 :]
    else:
        while body and re.match(r"^:[\w-]+:", body[0]):
            key, _, value = body.pop(0)[1:].partition(":")
            options[key.strip()] = value.strip()
    return Directive(name, argument.strip(), options, body)


def convert_markdown(
    text: str, resolver: Resolver, state: State, substitutions: dict[str, str]
) -> str:
    """Convert one Markdown cell of a chapter; returns "" when nothing of it is kept."""
    out: list[str] = []
    text_lines: list[str] = []

    def flush() -> None:
        if text_lines and not (state.in_solution and not state.solutions):
            kept = [
                line
                for line in text_lines
                if not _TARGET_LINE.match(line)
                and not line.startswith("%")
                and line.strip() != "+++"
            ]
            out.append(convert_inline("\n".join(kept), resolver, substitutions))
        text_lines.clear()

    for block in _split_blocks(text.splitlines()):
        if isinstance(block, str):
            text_lines.append(block)
            if block.strip():
                state.after_solution = False
            continue
        flush()
        state.after_solution = isinstance(block, Directive) and block.name == "solution"
        if state.in_solution and not state.solutions:
            if isinstance(block, Directive) and block.name == "solution-end":
                state.in_solution = False
            continue
        if isinstance(block, list):
            out.append("\n".join(block))
        else:
            out.append(_convert_directive(block, resolver, state, substitutions))
    flush()
    return "\n\n".join(part.strip("\n") for part in out if part.strip()).strip() + "\n"


def _convert_directive(
    d: Directive, resolver: Resolver, state: State, substitutions: dict[str, str]
) -> str:
    def body() -> str:
        return convert_markdown("\n".join(d.body), resolver, state, substitutions).strip()

    if d.name == "math":
        maths = "\n".join(line for line in d.body if line.strip())
        if "label" in d.options:
            maths += rf" \tag{{{resolver.equation_number(d.options['label'])}}}"
        return f"$$\n{maths}\n$$"
    if d.name == "exercise":
        state.count += 1
        if "label" in d.options:
            state.exercises[d.options["label"]] = state.count
        title = f": {convert_inline(d.argument, resolver, substitutions)}" if d.argument else ""
        return f"### Exercise {state.count}{title}\n\n{body()}"
    if d.name in ("solution", "solution-start"):
        number = state.exercises.get(d.argument)
        if number is None:
            resolver.warn(f"solution for unknown exercise {d.argument!r}")
        if d.name == "solution-start":
            state.in_solution = True
        if not state.solutions:
            return ""
        heading = f"#### Solution to exercise {number}"
        return heading if d.name == "solution-start" else f"{heading}\n\n{body()}"
    if d.name == "solution-end":
        state.in_solution = False
        return ""
    if d.name in ADMONITIONS:
        title = convert_inline(d.argument, resolver, substitutions) or ADMONITIONS[d.name]
        lines = ([f"**{title}**", ""] if title else []) + body().splitlines()
        return "\n".join(f"> {line}".rstrip() for line in lines)
    if d.name in CODE_DIRECTIVES:
        return "\n".join([f"```{d.argument}", *d.body, "```"])
    resolver.warn(f"directive {{{d.name}}} has no plain-Markdown form; kept its content")
    return body()


# --- Notebooks ---------------------------------------------------------------------------------


def convert_code(source: str, resolver: Resolver) -> str:
    """A chapter's code cell as it runs in a plain kernel: ``glue`` from the library."""
    source = GLUE_IMPORT.sub(GLUE_SHIM, source)
    if FORBIDDEN_IMPORT.search(source):
        resolver.warn("a code cell imports myst_nb or sphinx, which a reader's kernel lacks")
    return source


def _part_of_solution(cell: nbformat.NotebookNode, state: State) -> bool:
    """Whether a code cell belongs to a solution: inside one, or hidden right after one."""
    return state.in_solution or (state.after_solution and _hidden(cell))


def _hidden(cell: nbformat.NotebookNode) -> bool:
    return "remove-cell" in cell.metadata.get("tags", [])


def convert_notebook(
    executed: nbformat.NotebookNode,
    resolver: Resolver,
    *,
    solutions: bool,
    header: str,
    substitutions: dict[str, str] | None = None,
) -> nbformat.NotebookNode:
    """Return the reader notebook made from an executed chapter (see the module docstring)."""
    substitutions = substitutions or {}
    state = State(solutions=solutions)
    cells = [nbformat.v4.new_markdown_cell(header)]
    for cell in executed.cells:
        if cell.cell_type == "markdown":
            text = convert_markdown(cell.source, resolver, state, substitutions)
            if text.strip():
                cells.append(nbformat.v4.new_markdown_cell(text))
        elif cell.cell_type == "code" and not solutions and _part_of_solution(cell, state):
            continue
        elif cell.cell_type == "code":
            state.after_solution = state.after_solution and _hidden(cell)
            code = nbformat.v4.new_code_cell(convert_code(cell.source, resolver))
            if "hide-input" in cell.metadata.get("tags", []):
                code.metadata["jupyter"] = {"source_hidden": True}
            cells.append(code)
            figure = cell.metadata.get("mystnb", {}).get("figure", {})
            if figure.get("caption"):
                label = resolver.figure_label(figure["name"]) if figure.get("name") else ""
                caption = convert_inline(figure["caption"], resolver, substitutions)
                cells.append(nbformat.v4.new_markdown_cell(f"*{label}* {caption}".strip()))
    for number, cell in enumerate(cells):
        cell["id"] = f"cell-{number}"
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return notebook


def reader_header(
    *, title: str, solutions: bool, wheel_name: str, wheel_url: str, repository_url: str
) -> str:
    """The first cell of a reader notebook: what it is and how to install the library."""
    kind = "with worked solutions" if solutions else "exercises without solutions"
    install = [
        f"- the wheel served with the book, [{wheel_name}]({wheel_url}): download it, then "
        f"`pip install {wheel_name}`;",
    ]
    if repository_url:
        install.append(f'- or from the repository: `pip install "git+{repository_url}"`.')
    return "\n".join(
        [
            f"*Treasury Relative Value*, reader notebook: **{title}** ({kind}).",
            "",
            "**Before you run it**, install the book's library, `treasury_rv`, into the "
            "environment of this notebook's kernel, once, with either",
            "",
            *install,
            "",
            "It brings what the chapter needs (NumPy, pandas, SciPy, Altair with offline "
            "charts, ipywidgets); nothing else is downloaded when the notebook runs. Then "
            "run all cells (*Run → Run All Cells*). The numbers in the text were computed when "
            "the book was built; the cells compute them again with the library.",
        ]
    )


# --- The build ---------------------------------------------------------------------------------


def _node_markdown(
    node: nodes.Node, link: Callable[[nodes.Element], str], *, parens: bool = False
) -> str:
    """Resolved reference nodes (a link, a citation) as Markdown.

    With ``parens``, square brackets outside links become parentheses: a citation reads
    "(Author, Year)" and its brackets cannot be taken for a Markdown link.
    """
    if isinstance(node, nodes.Text):
        text = escape_dollars(node.astext())
        return text.translate(str.maketrans("[]", "()")) if parens else text
    if isinstance(node, nodes.reference):
        inner = "".join(_node_markdown(child, link) for child in node.children)
        return f"[{inner}]({link(node)})"
    return "".join(_node_markdown(child, link, parens=parens) for child in node.children)


class SphinxResolver:
    """Numbers and links of one chapter from the finished build (see :class:`Resolver`)."""

    def __init__(self, app, docname: str, glue_data: dict, site_prefix: str) -> None:
        self.app, self.docname, self.glue_data, self.prefix = app, docname, glue_data, site_prefix
        self.page = app.builder.get_target_uri(docname)

    def warn(self, message: str) -> None:
        from sphinx.util import logging

        logging.getLogger(__name__).warning(f"reader notebook: {message}", location=self.docname)

    def glue(self, role: str, key: str, spec: str) -> str:
        from myst_nb.core.variables import format_plain_text

        if key not in self.glue_data:
            self.warn(f"no glued value {key!r}")
            return key
        data = self.glue_data[key]["data"]
        if role == "glue:md" and "text/markdown" in data:
            return data["text/markdown"]
        return escape_dollars(format_plain_text(data.get("text/plain", ""), spec))

    def _link(self, ref: nodes.Element) -> str:
        if ref.get("refuri"):
            uri = ref["refuri"]
            if re.match(r"^[a-z]+:", uri):
                return uri
            uri = posixpath.normpath(posixpath.join(posixpath.dirname(self.page), uri))
        else:
            uri = f"{self.page}#{ref.get('refid', '')}"
        return self.prefix + uri

    def _resolve(self, role: str, content: str) -> nodes.Element | None:
        from sphinx.addnodes import pending_xref

        match = re.match(r"^(?P<title>.+?)\s*<(?P<target>[^<>]+)>$", content, re.DOTALL)
        title, target = (match["title"], match["target"]) if match else (content, content)
        domain, _, typ = role.rpartition(":") if role.startswith("cite") else ("", "", role)
        domain = domain or {"eq": "math", "cite": "cite"}.get(typ, "std")
        if role == "cite":
            domain, typ = "cite", "p"
        if typ == "term":
            target = target.lower()
        node = pending_xref(
            content,
            nodes.inline(title, title),
            refdomain=domain,
            reftype=typ,
            reftarget=target,
            refexplicit=bool(match),
            refdoc=self.docname,
        )
        env = self.app.env
        return env.get_domain(domain).resolve_xref(
            env, self.docname, self.app.builder, typ, target, node, nodes.inline(title, title)
        )

    def xref(self, role: str, content: str) -> str:
        resolved = self._resolve(role, content)
        if resolved is None:
            self.warn(f"cannot resolve {{{role}}}`{content}`")
            return content
        return _node_markdown(resolved, self._link, parens=role.startswith("cite"))

    def equation_number(self, label: str) -> str:
        resolved = self._resolve("eq", label)
        return resolved.astext().strip("()") if resolved is not None else ""

    def figure_label(self, name: str) -> str:
        resolved = self._resolve("numref", name)
        return resolved.astext() + "." if resolved is not None else ""


def executed_chapters(app) -> dict[str, Path]:
    """Docname → the executed notebook MyST-NB wrote, for every chapter of this build."""
    folder = Path(app.outdir).parent / "jupyter_execute"
    found = {}
    for docname in sorted(app.env.found_docs):
        path = folder / f"{docname}.ipynb"
        if path.is_file():
            found[docname] = path
    return found


def notebook_names(docname: str) -> tuple[str, str]:
    """File names of a chapter's reader notebooks: the student's, then with solutions."""
    stem = posixpath.basename(docname)
    return f"{stem}.ipynb", f"{stem}{SOLUTIONS_SUFFIX}.ipynb"


def wheel_name(root: Path) -> str:
    """File name of the library's wheel, from the version in ``pyproject.toml``."""
    project = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["project"]
    return f"{project['name'].replace('-', '_')}-{project['version']}-py3-none-any.whl"


def fill_settings(app, docname, source) -> None:
    """Put the repository's address and the wheel's name wherever a page names them.

    ``{{ trv_repository_url }}`` and ``{{ trv_wheel }}`` are replaced before MyST reads the page,
    so they work in code blocks too.
    """
    source[0] = (
        source[0]
        .replace("{{ trv_repository_url }}", app.config.trv_repository_url)
        .replace("{{ trv_wheel }}", wheel_name(Path(app.confdir)))
    )


def build_wheel(root: Path, dest: Path) -> Path:
    """Build the library's wheel from a clean copy of its sources into ``dest``; return it."""
    dest.mkdir(parents=True, exist_ok=True)
    for old in dest.glob("treasury_rv-*.whl"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("pyproject.toml", "README.md", "LICENSE"):
            shutil.copy2(root / name, Path(tmp, name))
        shutil.copytree(
            root / "lib",
            Path(tmp, "lib"),
            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc"),
        )
        built = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps"]
            + ["--no-build-isolation", "--no-index", "--wheel-dir", str(dest.resolve()), tmp],
            capture_output=True,
            text=True,
        )
        if built.returncode != 0:
            raise RuntimeError(f"building the wheel failed:\n{built.stdout}{built.stderr}")
    (wheel,) = dest.glob("treasury_rv-*.whl")
    return wheel


def _site_prefix(app) -> str:
    """How a reader notebook (in ``downloads/``) links to a page: the site's address, if set."""
    base = app.config.html_baseurl
    return base.rstrip("/") + "/" if base else "../"


def write_reader_notebooks(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    downloads = Path(app.outdir, DOWNLOADS)
    wheel = build_wheel(Path(app.confdir), downloads)
    prefix = _site_prefix(app)
    substitutions = {"trv_repository_url": app.config.trv_repository_url}
    substitutions.update(app.config.myst_substitutions or {})
    folder = Path(app.outdir).parent / "jupyter_execute"
    for docname, path in executed_chapters(app).items():
        executed = nbformat.read(path, as_version=4)
        glue_path = folder / f"{docname}.glue.json"
        glue_data = json.loads(glue_path.read_text("utf-8")) if glue_path.is_file() else {}
        resolver = SphinxResolver(app, docname, glue_data, prefix)
        number = ".".join(map(str, app.env.toc_secnumbers.get(docname, {}).get("", ())))
        title = f"{number} {app.env.titles[docname].astext()}".strip()
        for name, solutions in zip(notebook_names(docname), (False, True), strict=True):
            header = reader_header(
                title=title,
                solutions=solutions,
                wheel_name=wheel.name,
                wheel_url=prefix + f"{DOWNLOADS}/{wheel.name}",
                repository_url=app.config.trv_repository_url,
            )
            notebook = convert_notebook(
                executed, resolver, solutions=solutions, header=header, substitutions=substitutions
            )
            nbformat.write(notebook, downloads / name)


def _relative(app, docname: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(app.builder.get_target_uri(docname)))


def link_reader_notebooks(app, doctree, docname) -> None:
    """Put links to the chapter's reader notebooks under its title."""
    if docname not in executed_chapters(app):
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    student, solutions = notebook_names(docname)
    para = nodes.paragraph(classes=["trv-reader-notebooks"])
    para += nodes.Text("Run this chapter as a notebook: ")
    para += nodes.reference("", student, refuri=_relative(app, docname, f"{DOWNLOADS}/{student}"))
    para += nodes.Text(" (exercises without solutions) or ")
    para += nodes.reference(
        "", solutions, refuri=_relative(app, docname, f"{DOWNLOADS}/{solutions}")
    )
    para += nodes.Text(" (with solutions). The first cell says how to install the book's library.")
    section.insert(1, para)


def point_download_menu(app, pagename, templatename, context, doctree) -> None:
    """Make the theme's ``.ipynb`` download the reader notebook, and add the solutions one."""
    if pagename not in executed_chapters(app):
        return
    student, solutions = notebook_names(pagename)
    for group in context.get("header_buttons", []):
        buttons = group.get("buttons", [])
        for index, button in enumerate(buttons):
            if button.get("label") == "download-notebook-button":
                button["url"] = _relative(app, pagename, f"{DOWNLOADS}/{student}")
                extra = dict(button, url=_relative(app, pagename, f"{DOWNLOADS}/{solutions}"))
                extra.update(text=".ipynb with solutions", label="download-solutions-button")
                buttons.insert(index + 1, extra)
                return


def setup(app):
    app.add_config_value("trv_repository_url", "", "html", types=[str])
    app.connect("source-read", fill_settings)
    app.connect("doctree-resolved", link_reader_notebooks)
    app.connect("html-page-context", point_download_menu, priority=600)
    app.connect("build-finished", write_reader_notebooks, priority=600)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":  # `make wheel`: python book/_ext/trv_notebooks.py <directory>
    print(build_wheel(Path(__file__).resolve().parents[2], Path(sys.argv[1])))
