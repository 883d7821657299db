"""What a chapter needs to run as a plain notebook, outside the book's build.

The book's chapters store the numbers their text prints with MyST-NB's ``glue`` while the site
is built. The reader notebooks made from them (the ``.ipynb`` downloads) have those numbers
written into their text already, and import :func:`glue` from here instead, so they run in any
Jupyter kernel with only this library installed: no Sphinx, no MyST-NB.
"""

from __future__ import annotations

from typing import Any

__all__ = ["glue"]


def glue(name: str, variable: Any, display: bool = True) -> None:
    """Show ``variable`` as the book's build would, without storing it for the text.

    Parameters
    ----------
    name : str
        The key the chapter's text uses for the value (kept for the reader's information).
    variable : object
        The value: a number, a formatted string, a table or a chart.
    display : bool, default True
        Show the value in the notebook's output (as MyST-NB does); with ``False`` nothing is
        shown, since the reader notebook's text already carries the value.

    Examples
    --------
    >>> glue("haircut", "2.00%", display=False)
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"name must be a non-empty string, got {name!r}")
    if display:
        from IPython.display import display as show

        show(variable)
