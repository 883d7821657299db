"""Every chapter follows the book's shape: sections in order, a self-check, charts with
captions, exercises with collapsed solutions, and no outputs stored in the source."""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import pytest

CHAPTERS = sorted((Path(__file__).resolve().parents[1] / "chapters").glob("*.md"))
SECTIONS = [
    "Overview",
    "The idea in words",
    "Compute it yourself",
    "Explore",
    "What can go wrong",
    "In history",
    "Exercises",
    "Further reading",
]
MIN_EXERCISES = {"primer": 4, "basis": 6, "onoff": 6}
MIN_EXERCISES["swaps"] = 6
MIN_EXERCISES["crises"] = 6


@pytest.fixture(params=CHAPTERS, ids=lambda p: p.stem)
def chapter(request):
    return request.param, request.param.read_text(encoding="utf-8")


def test_label_and_sections_in_order(chapter):
    path, text = chapter
    assert re.search(rf"^\({path.stem}\)=\n# ", text, re.M), f"{path.name}: no ({path.stem})= label"
    headings = re.findall(r"^## (.+)$", text, re.M)
    positions = []
    for section in SECTIONS:
        matches = [i for i, h in enumerate(headings) if h.startswith(section)]
        assert matches, f"{path.name} has no '{section}' section"
        positions.append(matches[0])
    assert positions == sorted(positions), f"{path.name}: sections out of order: {headings}"


def test_self_check_asserts_against_the_library(chapter):
    path, text = chapter
    section = text.split("## Compute it yourself", 1)[1].split("\n## ", 1)[0]
    assert "assert" in section, f"{path.name}: 'Compute it yourself' checks nothing"


def test_exercises_have_collapsed_solutions(chapter):
    path, text = chapter
    exercises = re.findall(r"```\{exercise\}\n:label: (\S+)", text)
    assert len(exercises) >= MIN_EXERCISES.get(path.stem, 4), f"{path.name}: too few exercises"
    for label in exercises:
        solution = re.search(
            rf"```\{{solution(?:-start)?\}} {re.escape(label)}\n:class: dropdown", text
        )
        assert solution, f"{path.name}: exercise {label} has no collapsed solution"


def test_charts_are_numbered_figures_with_captions(chapter):
    path, text = chapter
    notebook = jupytext.read(path)
    figures = [
        cell.metadata["mystnb"]["figure"]
        for cell in notebook.cells
        if cell.cell_type == "code" and "figure" in cell.metadata.get("mystnb", {})
    ]
    assert len(figures) >= 3, f"{path.name}: fewer than three figures"
    for figure in figures:
        assert figure.get("name", "").startswith("fig-"), figure
        assert len(figure.get("caption", "")) > 40, f"{path.name}: thin caption {figure}"
        assert re.search(r"Source|[Ii]llustrative|[Cc]omputed with", figure["caption"]), (
            f"{path.name}: caption names no source: {figure['caption']}"
        )


def test_sources_carry_no_outputs(chapter):
    path, _ = chapter
    notebook = jupytext.read(path)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
