"""Small, cited datasets shipped with the library, and loaders for the public data.

Each CSV in this folder has a ``source`` column naming where its numbers come from; the
builds never touch the network. :func:`shipped` reads one by name. :func:`snapshot` reads
the dated published values the book's page on the trades today is drawn from when it is built
(folder ``snapshots``; each row cites where it was published). The loaders of
:mod:`treasury_rv.data.loaders` (re-exported here) download the publishers' own files on a
reader's request, and ``sample`` shows what each returns on a small shipped sample.
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

# The loaders are re-exported here (``from treasury_rv.data import sofr_rates``) and
# documented in their own module, :mod:`treasury_rv.data.loaders`.
from treasury_rv.data.loaders import (  # noqa: F401
    CACHE_KINDS,
    CFTC_TREASURY_CODES,
    DownloadError,
    FormatChangedError,
    cached_file,
    cftc_treasury_positions,
    default_cache_dir,
    fed_fitted_curve,
    fed_svensson_parameters,
    provenance,
    publisher_url,
    sample,
    sample_names,
    sample_note,
    sample_path,
    sofr_rates,
    treasury_par_curve,
)

__all__ = ["shipped", "shipped_names", "snapshot", "snapshot_names"]


def shipped_names() -> list[str]:
    """Names of the datasets shipped with the library (CSV file names without ``.csv``)."""
    files = resources.files(__name__)
    return sorted(p.name.removesuffix(".csv") for p in files.iterdir() if p.name.endswith(".csv"))


def shipped(name: str) -> pd.DataFrame:
    """Return a shipped dataset as a DataFrame; date columns are parsed to dates.

    Date columns are ``date``, ``maturity`` and any whose name ends in ``_date``, written
    ``YYYY-MM-DD``; empty cells become None.

    Parameters
    ----------
    name : str
        Dataset name, one of :func:`shipped_names` (e.g. ``"gsw_svensson"``).

    Examples
    --------
    >>> shipped("gsw_svensson").columns[:3].tolist()
    ['date', 'beta0', 'beta1']
    """
    names = shipped_names()
    if name not in names:
        raise ValueError(f"name must be one of the shipped datasets {names}, got {name!r}")
    with resources.files(__name__).joinpath(f"{name}.csv").open("r", encoding="utf-8") as fh:
        frame = pd.read_csv(fh)
    for column in frame.columns:
        if column in ("date", "maturity") or column.endswith("_date"):
            parsed = pd.to_datetime(frame[column], format="%Y-%m-%d")
            frame[column] = [None if pd.isna(d) else d.date() for d in parsed]
    return frame


def snapshot_names() -> list[str]:
    """Names of the shipped snapshots of published values (``snapshots/*.csv`` without ``.csv``).

    Examples
    --------
    >>> snapshot_names()
    ['cftc-positions', 'sofr-nyfed']
    """
    files = resources.files(__name__).joinpath("snapshots")
    return sorted(p.name.removesuffix(".csv") for p in files.iterdir() if p.name.endswith(".csv"))


def snapshot(name: str) -> pd.DataFrame:
    """Return a shipped snapshot of published values; its ``date`` column as dates.

    Parameters
    ----------
    name : str
        One of :func:`snapshot_names`: ``"sofr-nyfed"`` (the New York Fed's SOFR and its
        percentiles, in percent as published, and volume in billions of dollars, for two
        windows of 2019 and 2020) or ``"cftc-positions"`` (positions in the CBOT 10-year
        note futures, in contracts, for weeks of 2025 and 2026).

    Examples
    --------
    >>> snapshot("sofr-nyfed").columns[:2].tolist()
    ['date', 'rate_pct']
    """
    names = snapshot_names()
    if name not in names:
        raise ValueError(f"name must be one of the snapshots {names}, got {name!r}")
    path = resources.files(__name__).joinpath("snapshots").joinpath(f"{name}.csv")
    with path.open("r", encoding="utf-8") as fh:
        frame = pd.read_csv(fh)
    frame["date"] = [d.date() for d in pd.to_datetime(frame["date"], format="%Y-%m-%d")]
    return frame
