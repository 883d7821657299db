"""Live-kernel panels: ipywidgets controls that recompute with the library at each move.

On the static site a panel cannot run (there is no Python behind the page), so while the
site is built :func:`panel` returns a short note in its place instead of inert controls.
ipywidgets is imported only when a live panel is made.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from treasury_rv._site import building_static_site

__all__ = ["Control", "LiveNote", "panel"]


@dataclass(frozen=True)
class Control:
    """A numeric slider of a live panel.

    Parameters
    ----------
    label : str
        Text beside the slider, with units (e.g. ``"Haircut (%)"``).
    start, stop, step : float
        Range and increment, in the units of the label.
    value : float
        Initial value, within ``[start, stop]``.
    """

    label: str
    start: float
    stop: float
    step: float
    value: float

    def __post_init__(self) -> None:
        if not self.start < self.stop:
            raise ValueError(f"start must be below stop, got {self.start!r} >= {self.stop!r}")
        if not self.step > 0:
            raise ValueError(f"step must be positive, got {self.step!r}")
        if not self.start <= self.value <= self.stop:
            raise ValueError(
                f"value must lie in [start, stop] = [{self.start}, {self.stop}], got {self.value!r}"
            )


@dataclass(frozen=True)
class LiveNote:
    """What stands in for a live panel on the static page."""

    title: str
    text: str

    def _repr_html_(self) -> str:
        return (
            f'<div class="trv-live-note"><strong>{html.escape(self.title)}</strong> '
            f"is a live panel. {html.escape(self.text)} Download this chapter as a notebook "
            "(the download button at the top of the page) and run it to use it; the charts "
            "on this page work as they are.</div>"
        )

    def __repr__(self) -> str:
        return f"{self.title}: live panel (run the notebook to use it). {self.text}"


def panel(
    compute: Callable[..., Any],
    controls: Mapping[str, Control],
    *,
    title: str,
    note: str,
) -> Any:
    """Return a live panel: sliders whose values are passed to ``compute`` at each move.

    Parameters
    ----------
    compute : callable
        Called with one keyword argument per control (the slider values, in the controls'
        units); whatever it returns (a DataFrame, a chart, text) is displayed under the
        sliders.
    controls : mapping of str to Control
        Keyword name for ``compute`` → slider description.
    title : str
        Panel heading.
    note : str
        One sentence saying what the panel does; shown on the static page instead.

    Returns
    -------
    ipywidgets.VBox or LiveNote
        The panel in a live kernel; a :class:`LiveNote` while the static site is built.

    Examples
    --------
    In a notebook, as the last expression of a cell:

    >>> from treasury_rv.leverage import max_leverage
    >>> panel(lambda haircut_pct: max_leverage(haircut_pct / 100),
    ...       {"haircut_pct": Control("Haircut (%)", 0.5, 10, 0.5, 2)},
    ...       title="Maximum leverage", note="It shows 1/haircut.")  # doctest: +SKIP
    """
    if not callable(compute):
        raise TypeError(f"compute must be callable, got {type(compute).__name__}")
    if not controls:
        raise ValueError("controls must name at least one Control")
    for name, control in controls.items():
        if not isinstance(control, Control):
            raise TypeError(f"controls[{name!r}] must be a Control, got {type(control).__name__}")
    if building_static_site():
        return LiveNote(title, note)

    import ipywidgets as w
    from IPython.display import display

    sliders = {
        name: w.FloatSlider(
            value=c.value,
            min=c.start,
            max=c.stop,
            step=c.step,
            description=c.label,
            continuous_update=False,
            style={"description_width": "initial"},
            layout=w.Layout(width="28rem"),
        )
        for name, c in controls.items()
    }
    out = w.Output()

    def update(_change: object = None) -> None:
        with out:
            out.clear_output(wait=True)
            display(compute(**{name: s.value for name, s in sliders.items()}))

    for s in sliders.values():
        s.observe(update, names="value")
    update()
    return w.VBox([w.HTML(f"<strong>{html.escape(title)}</strong>"), *sliders.values(), out])
