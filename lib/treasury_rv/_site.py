"""Where a chapter is running: a live kernel, or the build of the static site.

The book's Sphinx extension sets :data:`STATIC_SITE_ENV` before it executes the chapters, so
the kernels it starts inherit it. Chapters never test the variable themselves; the
:mod:`treasury_rv.charts` and :mod:`treasury_rv.widgets` modules do.
"""

from __future__ import annotations

import os

STATIC_SITE_ENV = "TREASURY_RV_STATIC_SITE"


def building_static_site() -> bool:
    """Return True while the static site is being built (chapters executed for HTML)."""
    return os.environ.get(STATIC_SITE_ENV, "") == "1"
