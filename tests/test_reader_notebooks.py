"""Reader notebooks: plain Markdown with numbers filled in, no solutions in the student's copy,
and both run in a fresh environment that holds only the library's wheel and a kernel.

The conversion is tested on its own with a stand-in resolver; the notebooks the site build
wrote (``_build/html/downloads``) are checked for what a reader meets, then executed outside
the repository in a virtual environment made from the wheel (cached under ``_build`` by the
wheel's hash; creating it downloads the wheel's dependencies from PyPI).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
import yaml
from myst_nb.core.variables import format_plain_text
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))

import trv_notebooks as tn  # noqa: E402

pytestmark = pytest.mark.reader_notebooks

SITE = ROOT / "_build" / "html"
DOWNLOADS = SITE / tn.DOWNLOADS
EXECUTED = ROOT / "_build" / "jupyter_execute"
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text("utf-8"))
REPOSITORY_URL = CONFIG["sphinx"]["config"]["trv_repository_url"]


def _toc_files(node) -> list[str]:
    found = []
    if isinstance(node, dict):
        if "file" in node:
            found.append(node["file"])
        for value in node.values():
            found += _toc_files(value)
    elif isinstance(node, list):
        for item in node:
            found += _toc_files(item)
    return found


def _chapters() -> list[str]:
    """Docnames of the notebooks in the table of contents (MyST files with a jupytext header)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text("utf-8"))
    return [
        name
        for name in _toc_files(toc)
        if (ROOT / f"{name}.md").is_file()
        and (ROOT / f"{name}.md").read_text("utf-8").startswith("---\njupytext")
    ]


CHAPTERS = _chapters()

# MyST syntax that plain Markdown renderers would print literally.
MYST = {
    "role": re.compile(r"\{[A-Za-z][\w:+.-]*\}`"),
    "directive": re.compile(r"^\s*(`{3,}|:{3,})\s*\{", re.MULTILINE),
    "target": re.compile(r"^\s*\([\w:.-]+\)=\s*$", re.MULTILINE),
    "option": re.compile(r"^:(label|class|name|tags):", re.MULTILINE),
    "substitution": re.compile(r"\{\{.*?\}\}"),
}
# A dollar amount that Jupyter would take for the start of maths.
UNESCAPED_MONEY = re.compile(r"(?<![\\$])\$(\d{1,3}(,\d{3})+|\d[\d.]*(mn|bn|tn))")


# --- The conversion, with a stand-in resolver ---------------------------------------------------


class FakeResolver:
    def __init__(self, glue=None):
        self.glued = glue or {}
        self.warnings = []

    def glue(self, role, key, spec):
        return tn.escape_dollars(format_plain_text(repr(self.glued[key]), spec))

    def xref(self, role, content):
        return f"[{content}]({role})"

    def equation_number(self, label):
        return {"eq-a": "2.1"}[label]

    def figure_label(self, name):
        return "Fig. 2.1."

    def warn(self, message):
        self.warnings.append(message)


def convert(text, *, solutions=False, resolver=None):
    resolver = resolver or FakeResolver({"cash": "$1.56mn", "rate": 0.04321})
    state = tn.State(solutions=solutions)
    return tn.convert_markdown(text, resolver, state, {"who": "everyone"}), resolver


def test_glued_numbers_and_money_are_not_maths():
    text, _ = convert(
        "Cash {glue:text}`cash`, rate {glue:text}`rate:.2%`; \\$10mn, $5bn, and $1-h$ lent; "
        "2$ and `$x` stay."
    )
    d = tn.DOLLAR
    assert text.strip() == (
        f"Cash {d}1.56mn, rate 4.32%; {d}10mn, {d}5bn, and $1-h$ lent; 2{d} and `$x` stay."
    )


def test_roles_become_links_or_text_and_unknown_ones_warn():
    text, resolver = convert(
        "A {term}`haircut <haircut>`, {cite:p}`key`, eq. {eq}`eq-a`, {math}`x^2`, "
        "H{sub}`2`O, {{ who }}, {foo}`bar`."
    )
    assert text.strip() == (
        "A [haircut <haircut>](term), [key](cite:p), eq. [eq-a](eq), $x^2$, "
        "H<sub>2</sub>O, everyone, bar."
    )
    assert resolver.warnings == ["role {foo} has no plain-Markdown form; kept its text"]


def test_python_objects_become_code_as_sphinx_shows_them():
    text, resolver = convert(
        "{func}`~treasury_rv.curves.fit_svensson`, {py:class}`treasury_rv.bonds.Treasury`, "
        "{data}`~treasury_rv.swaps.SLR_RULES`, {meth}`the bootstrap <SofrCurve.bootstrap>`."
    )
    assert text.strip() == (
        "`fit_svensson()`, `treasury_rv.bonds.Treasury`, `SLR_RULES`, `the bootstrap`."
    )
    assert resolver.warnings == []


def test_equations_targets_comments_and_admonitions():
    text, _ = convert(
        "(sec-x)=\n% a comment\n## Title\n\n```{math}\n:label: eq-a\n\nx = 1\n```\n\n"
        "$$\ny = 2\n$$\n\n:::{note}\nMind the {term}`gap`.\n:::\n\n```python\nx = {1: 2}\n```"
    )
    assert text == (
        "## Title\n\n$$\nx = 1 \\tag{2.1}\n$$\n\n$$\ny = 2\n$$\n\n"
        "> **Note**\n>\n> Mind the [gap](term).\n\n```python\nx = {1: 2}\n```\n"
    )


EXERCISES = (
    "## Exercises\n\n```{exercise}\n:label: ex-1\nWhat is {glue:text}`cash`?\n```\n\n"
    "```{solution} ex-1\n:class: dropdown\nIt is {glue:text}`cash`.\n```\n\n"
    "```{exercise}\n:label: ex-2\nCompute it.\n```\n\n"
    "```{solution-start} ex-2\n:class: dropdown\n```"
)


def _chapter_notebook():
    cells = [
        nbformat.v4.new_code_cell("from myst_nb import glue\nglue('cash', 1, display=False)"),
        nbformat.v4.new_markdown_cell(EXERCISES),
        nbformat.v4.new_code_cell("print('worked answer')"),
        nbformat.v4.new_markdown_cell("```{solution-end}\n```\n\nAfter the solution."),
        nbformat.v4.new_markdown_cell("## Further reading"),
    ]
    cells[0].metadata["mystnb"] = {"figure": {"name": "fig-x", "caption": "A \\$5bn chart."}}
    cells[0].outputs = [nbformat.v4.new_output("stream", text="old output")]
    return nbformat.v4.new_notebook(cells=cells)


def test_student_copy_has_exercises_as_headings_and_no_solutions():
    resolver = FakeResolver({"cash": "$1.56mn"})
    nb = tn.convert_notebook(_chapter_notebook(), resolver, solutions=False, header="Install.")
    sources = [c.source for c in nb.cells]
    assert sources[0] == "Install."
    assert sources[1] == "from treasury_rv.notebook import glue\nglue('cash', 1, display=False)"
    assert sources[2] == f"*Fig. 2.1.* A {tn.DOLLAR}5bn chart."
    assert f"### Exercise 1\n\nWhat is {tn.DOLLAR}1.56mn?" in sources[3]
    assert "### Exercise 2\n\nCompute it." in sources[3]
    assert "Solution" not in "".join(sources) and "It is" not in "".join(sources)
    assert "worked answer" not in "".join(sources)
    assert sources[4:] == ["After the solution.\n", "## Further reading\n"]
    assert all(c.get("outputs", []) == [] for c in nb.cells)
    assert resolver.warnings == []
    nbformat.validate(nb)


def test_solutions_copy_keeps_every_solution_under_its_exercise():
    resolver = FakeResolver({"cash": "$1.56mn"})
    nb = tn.convert_notebook(_chapter_notebook(), resolver, solutions=True, header="Install.")
    text = "\n".join(c.source for c in nb.cells)
    assert f"#### Solution to exercise 1\n\nIt is {tn.DOLLAR}1.56mn." in text
    assert text.index("#### Solution to exercise 2") < text.index("print('worked answer')")
    assert text.index("print('worked answer')") < text.index("After the solution.")
    assert resolver.warnings == []


def test_hidden_cells_right_after_a_solution_belong_to_it():
    cells = [
        nbformat.v4.new_markdown_cell(
            "```{exercise}\n:label: e\nQ?\n```\n\n```{solution} e\nA.\n```"
        ),
        nbformat.v4.new_code_cell("answer = 42"),
        nbformat.v4.new_code_cell("plot()"),
        nbformat.v4.new_code_cell("later = 1"),
    ]
    for cell in (cells[1], cells[3]):
        cell.metadata["tags"] = ["remove-cell"]
    chapter = nbformat.v4.new_notebook(cells=cells)
    student = tn.convert_notebook(chapter, FakeResolver(), solutions=False, header="h")
    solutions = tn.convert_notebook(chapter, FakeResolver(), solutions=True, header="h")
    assert [c.source for c in student.cells if c.cell_type == "code"] == ["plot()", "later = 1"]
    assert [c.source for c in solutions.cells if c.cell_type == "code"] == [
        "answer = 42",
        "plot()",
        "later = 1",
    ]


def test_imports_a_reader_kernel_lacks_are_reported():
    resolver = FakeResolver()
    assert tn.convert_code("import sphinx\nx = 1", resolver) == "import sphinx\nx = 1"
    assert resolver.warnings and "sphinx" in resolver.warnings[0]


def test_reader_header_names_the_wheel_and_the_repository():
    header = tn.reader_header(
        title="1 Repo",
        solutions=False,
        wheel_name="w.whl",
        wheel_url="../downloads/w.whl",
        repository_url="https://example.org/r",
    )
    assert "[w.whl](../downloads/w.whl)" in header and "`pip install w.whl`" in header
    assert 'pip install "git+https://example.org/r"' in header
    assert "without solutions" in header


# --- What the site build wrote ------------------------------------------------------------------


def _reader(name: str) -> nbformat.NotebookNode:
    path = DOWNLOADS / name
    assert path.is_file(), f"the site build did not write {path}"
    return nbformat.read(path, as_version=4)


def _markdown(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def _without_code(text: str) -> str:
    """Markdown without fenced code blocks and code spans, where MyST syntax may be quoted."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    return re.sub(r"(`+).+?\1", "", text, flags=re.DOTALL)


def test_there_are_chapters():
    assert CHAPTERS, "no notebook chapters found in _toc.yml"


@pytest.mark.parametrize("docname", CHAPTERS)
def test_reader_notebooks_are_plain_markdown_with_numbers_filled_in(docname):
    source = (ROOT / f"{docname}.md").read_text("utf-8")
    glued = json.loads((EXECUTED / f"{docname}.glue.json").read_text("utf-8"))
    for name in tn.notebook_names(docname):
        nb = _reader(name)
        nbformat.validate(nb)
        text = _markdown(nb)
        for kind, pattern in MYST.items():
            found = pattern.findall(_without_code(text))
            assert not found, f"{name}: MyST {kind} left: {found[:3]}"
        prose = _without_code(text)
        assert not UNESCAPED_MONEY.findall(prose), f"{name}: money read as maths"
        # JupyterLab's MathJax pairs bare escaped dollars: each must sit in its own span.
        assert prose.count("\\$") == prose.count(tn.DOLLAR), f"{name}: a bare escaped dollar"
        assert "glue" not in _without_code(text), f"{name}: an unfilled glue placeholder"
        assert "[[" not in text, f"{name}: a citation in square brackets"
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None
                assert not tn.FORBIDDEN_IMPORT.search(cell.source), f"{name}: {cell.source}"
                assert not re.search(r"^\s*[!%]\s*pip", cell.source, re.MULTILINE)
    solutions_text = _markdown(_reader(tn.notebook_names(docname)[1]))
    for key, spec in re.findall(r"\{glue:text\}`([\w-]+):?([^`]*)`", source):
        value = tn.escape_dollars(format_plain_text(glued[key]["data"]["text/plain"], spec))
        assert value in solutions_text, f"{docname}: glued {key} = {value!r} not in the text"


@pytest.mark.parametrize("docname", CHAPTERS)
def test_student_notebook_has_no_solution(docname):
    source = (ROOT / f"{docname}.md").read_text("utf-8")
    exercises = len(re.findall(r"^```\{exercise\}", source, re.MULTILINE))
    student_name, solutions_name = tn.notebook_names(docname)
    student, solutions = _reader(student_name), _reader(solutions_name)
    assert "solution" not in student_name and "solution" in solutions_name
    assert _markdown(student).count("### Exercise ") == exercises
    assert len(re.findall(r"^#### Solution to exercise \d+$", _markdown(solutions), re.M)) == (
        exercises
    )
    assert "Solution" not in _markdown(student)
    # Every cell of a solution (its text and its code) is missing from the student's copy.
    student_sources = {c.source for c in student.cells}
    in_solution, solution_cells = False, []
    for cell in solutions.cells:
        for part in re.split(r"(?=^#{1,4} )", cell.source, flags=re.MULTILINE):
            heading = re.match(r"^(#{1,4}) ", part)
            if heading:
                in_solution = part.startswith("#### Solution to exercise")
            if in_solution and part.strip():
                solution_cells.append(part.strip())
    assert len(solution_cells) >= exercises
    student_text = "\n".join(student_sources)
    leaked = [s for s in solution_cells if s in student_text]
    assert not leaked, f"{docname}: solution text in the student notebook: {leaked[:1]}"


@pytest.mark.parametrize("docname", CHAPTERS)
def test_chapter_page_links_both_notebooks(docname):
    html = (SITE / f"{docname}.html").read_text("utf-8")
    for name in tn.notebook_names(docname):
        assert f'href="../{tn.DOWNLOADS}/{name}"' in html, f"{docname} does not link {name}"
    assert "download-solutions-button" in html


def test_wheel_is_served_with_the_site_and_declares_what_chapters_need():
    wheel = DOWNLOADS / tn.wheel_name(ROOT)
    assert wheel.is_file(), f"no {wheel.name} in the site"
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        metadata = zf.read(next(n for n in names if n.endswith("METADATA"))).decode()
    package = ROOT / "lib" / "treasury_rv"
    data = {  # the shipped datasets and the loaders' samples
        p.relative_to(package.parent).as_posix()
        for p in (package / "data").rglob("*")
        if p.is_file() and p.suffix != ".py" and "__pycache__" not in p.parts
    }
    assert data and {n for n in names if n.startswith("treasury_rv/data/")} >= data
    assert "treasury_rv/notebook.py" in names
    requires = re.findall(r"^Requires-Dist: ([\w.-]+)", metadata, re.MULTILINE)
    assert {"ipywidgets", "anywidget", "vl-convert-python", "altair"} <= set(requires)
    heavy = {"jupyter-book", "sphinx", "myst-nb", "myst-parser", "jupytext"}
    assert not heavy & {r.lower() for r in requires}


def test_every_reader_notebook_says_how_to_install_the_library():
    for docname in CHAPTERS:
        for name in tn.notebook_names(docname):
            first = _reader(name).cells[0]
            assert first.cell_type == "markdown"
            assert tn.wheel_name(ROOT) in first.source
            assert f"git+{REPOSITORY_URL}" in first.source


def test_repository_address_is_one_setting():
    assert REPOSITORY_URL.startswith("https://")
    assert REPOSITORY_URL in (ROOT / "README.md").read_text("utf-8")
    using = (SITE / "book" / "using.html").read_text("utf-8")
    assert REPOSITORY_URL in using and "&lt;repository URL&gt;" not in using
    assert "{{" not in using


# --- Running them as a reader does --------------------------------------------------------------


@pytest.fixture(scope="session")
def reader_venv() -> Path:
    """A virtual environment with only the wheel (and its dependencies) and ipykernel.

    Cached under ``_build/reader-venv``, keyed on the dependencies the wheel declares (a new
    environment when they change); the wheel itself is reinstalled whenever its hash changes.
    """
    wheel = DOWNLOADS / tn.wheel_name(ROOT)
    if not wheel.is_file():
        pytest.fail(f"no {wheel.name}: build the site first")
    with zipfile.ZipFile(wheel) as zf:
        metadata = zf.read(next(n for n in zf.namelist() if n.endswith("METADATA"))).decode()
    requires = sorted(re.findall(r"^Requires-Dist: (.+)$", metadata, re.MULTILINE))
    key = hashlib.sha256(json.dumps([sys.version_info[:2], requires]).encode()).hexdigest()
    venv = ROOT / "_build" / "reader-venv" / key[:16]
    python = str(venv / "bin" / "python")
    if not (venv / "ready").is_file():
        shutil.rmtree(venv.parent, ignore_errors=True)  # older environments, and a half-made one
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([python, "-m", "pip", "install", "-q", str(wheel), "ipykernel"], check=True)
        subprocess.run(
            [python, "-m", "ipykernel", "install", "--prefix", str(venv)]
            + ["--name", "trv-reader", "--display-name", "treasury_rv reader"],
            check=True,
            capture_output=True,
        )
        (venv / "ready").write_text("")
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if (venv / "ready").read_text() != digest:
        subprocess.run(
            [python, "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)],
            check=True,
        )
        (venv / "ready").write_text(digest)
    return venv


@pytest.fixture
def reader_kernel(reader_venv, monkeypatch, tmp_path):
    """The fresh kernel, seen from a directory outside the repository, with nothing leaking in."""
    monkeypatch.setenv("JUPYTER_PATH", str(reader_venv / "share" / "jupyter"))
    for name in ("PYTHONPATH", "TREASURY_RV_STATIC_SITE", "VIRTUAL_ENV"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_fresh_environment_has_the_library_and_not_the_book_tooling(reader_venv, reader_kernel):
    probe = (
        "import importlib.util, treasury_rv; print(treasury_rv.__file__); "
        "print([m for m in ('myst_nb', 'sphinx', 'jupyter_book') "
        "if importlib.util.find_spec(m)])"
    )
    out = subprocess.run(
        [str(reader_venv / "bin" / "python"), "-c", probe],
        check=True,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    ).stdout.splitlines()
    assert out[0].startswith(str(reader_venv)), out[0]
    assert out[1] == "[]"


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
CDN = re.compile(r"<script[^>]+src=[\"']?https?:|cdn\.|jsdelivr|unpkg|esm\.sh|cdnjs", re.I)


@pytest.mark.parametrize(
    "name", [n for d in CHAPTERS for n in tn.notebook_names(d)], ids=lambda n: n
)
def test_reader_notebook_runs_in_a_fresh_kernel_with_offline_charts(name, reader_kernel):
    nb = _reader(name)
    shutil.copy(DOWNLOADS / name, reader_kernel / name)
    NotebookClient(
        nb,
        timeout=300,
        kernel_name="trv-reader",
        resources={"metadata": {"path": str(reader_kernel)}},
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    errors = [o for o in outputs if o.output_type == "error"]
    assert not errors, f"{name}: {errors[0].ename}: {errors[0].evalue}"
    assert not [o for o in outputs if o.get("name") == "stderr"], f"{name} wrote to stderr"
    for output in outputs:
        assert not CDN.search(json.dumps(output.get("data", {}))), f"{name}: output loads a CDN"
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    models = state.get("state", {})
    charts = [m for m in models.values() if "_esm" in m.get("state", {})]
    if "charts." in "\n".join(c.source for c in nb.cells if c.cell_type == "code"):
        assert charts, f"{name}: no chart widget was drawn"
    for model in charts:
        esm = model["state"]["_esm"]
        assert len(esm) > 500_000, "the chart widget does not carry the Vega libraries"
        assert not re.search(r"""(import|from)\s*["']https?://""", esm)
        assert not CDN.search(esm)
    if "panel(" in "\n".join(c.source for c in nb.cells):
        views = [
            o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
        ]
        sliders = [m for m in models.values() if m.get("model_name") == "FloatSliderModel"]
        assert views and sliders, f"{name}: a live panel was not built"
