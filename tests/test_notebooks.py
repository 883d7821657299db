"""Every chapter executes without error, and two executions give the same outputs.

Chapters run as the static site runs them (charts rendered for the page, live panels
replaced by notes) twice, and once as a student's live kernel runs them (live panels built).
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

from treasury_rv._site import STATIC_SITE_ENV

pytestmark = pytest.mark.notebooks

CHAPTERS = sorted((Path(__file__).resolve().parents[1] / "chapters").glob("*.md"))


def execute(path: Path) -> nbformat.NotebookNode:
    notebook = jupytext.read(path)
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    return notebook


def outputs(notebook: nbformat.NotebookNode) -> list[tuple[int, str, str]]:
    """Every output of every code cell, as (cell index, kind, text).

    A kernel may split one print into several stream messages, differently on each run;
    consecutive messages of the same stream are joined, as a reader sees them.
    """
    found = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                if found and found[-1][:2] == (index, output.name):
                    found[-1] = (index, output.name, found[-1][2] + output.text)
                else:
                    found.append((index, output.name, output.text))
            elif output.output_type in ("execute_result", "display_data"):
                for mime, data in sorted(output.data.items()):
                    found.append((index, mime, str(data)))
            elif output.output_type == "error":
                found.append((index, "error", output.ename))
    return found


def test_there_are_chapters():
    assert CHAPTERS, "no chapters found"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_runs_the_same_twice(path, monkeypatch):
    monkeypatch.setenv(STATIC_SITE_ENV, "1")
    first = outputs(execute(path))
    second = outputs(execute(path))
    assert first, f"{path.name} produced no output"
    assert not [o for o in first if o[1] in ("error", "stderr")], f"{path.name}: {first}"
    assert first == second, f"{path.name} gives different outputs on a second run"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_runs_in_a_live_kernel(path, monkeypatch):
    monkeypatch.delenv(STATIC_SITE_ENV, raising=False)
    notebook = execute(path)
    kinds = {kind for _, kind, _ in outputs(notebook)}
    assert "error" not in kinds
    if "panel(" in path.read_text(encoding="utf-8"):
        assert "application/vnd.jupyter.widget-view+json" in kinds, (
            f"{path.name} calls a live panel but no widget was built"
        )
