"""``python -m treasury_rv.data fetch``: download every series the book can use into the cache.

Four sources, one publisher request at a time, each with its own progress bar:

``treasury``
    Treasury's daily par yield curves, one file per calendar year since 1990.
``fed``
    The Federal Reserve Board's fitted curves (``feds200628``), one file of every date.
``sofr``
    The New York Fed's SOFR and its percentiles, since its first publication (3 April 2018).
``cftc``
    The CFTC's Traders in Financial Futures, one file per calendar year since 2010.

A file already in the cache is not downloaded again, except those the publisher still
extends (the current year's, the Fed's single file) when their copy was fetched before
today; ``--refresh`` downloads everything again. Each download goes through the loaders of
:mod:`treasury_rv.data.loaders`, so it is parsed and checked before it replaces anything.
Offline, each source says so in one line and the command exits with status 1, leaving the
cache as it was. ``$TREASURY_RV_MIRROR`` (or ``--mirror``) reads every publisher's files from
one other server instead.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from treasury_rv.data import loaders

__all__ = ["FetchSummary", "SOURCES", "fetch", "main", "planned_files"]

#: The sources ``fetch`` downloads, in the order it downloads them.
SOURCES = ("treasury", "fed", "sofr", "cftc")

#: First date of each source when ``--since`` is not given.
_FIRST = {
    "treasury": dt.date(1990, 1, 1),
    "fed": dt.date(1990, 1, 1),
    "sofr": dt.date(2018, 4, 2),
    "cftc": dt.date(2010, 1, 1),
}
_KIND = {
    "treasury": loaders.CACHE_KINDS["treasury_par_curve"],
    "fed": loaders.CACHE_KINDS["fed_fitted_curve"],
    "sofr": loaders.CACHE_KINDS["sofr"],
    "cftc": loaders.CACHE_KINDS["cftc_tff"],
}


@dataclasses.dataclass
class FetchSummary:
    """What ``fetch`` holds of one source once it has run.

    Attributes
    ----------
    source : str
        One of :data:`SOURCES`.
    rows : int
        Rows the loaders return for the period (for Treasury's curve: one per date and
        maturity).
    first, last : datetime.date or None
        First and last dates of those rows.
    bytes : int
        Size of the source's files in the cache.
    files : list of pathlib.Path
        The cached files.
    downloaded : int
        How many of them this run downloaded (the others were in the cache already).
    fetched_at : str or None
        When the newest of them was fetched (UTC, ISO 8601), from its provenance record.
    error : str or None
        Why the source stopped, if it did.
    """

    source: str
    rows: int = 0
    first: dt.date | None = None
    last: dt.date | None = None
    bytes: int = 0
    files: list[Path] = dataclasses.field(default_factory=list)
    downloaded: int = 0
    fetched_at: str | None = None
    error: str | None = None

    def line(self) -> str:
        """The summary line printed for this source."""
        if self.error is not None:
            return f"{self.source}: {self.error}"
        folder = self.files[0].parent if self.files else "-"
        return (
            f"{self.source}: {self.rows:,} rows, {self.first} to {self.last}, "
            f"{self.bytes:,} bytes in {len(self.files)} file(s) "
            f"({self.downloaded} downloaded), fetched {self.fetched_at}, in {folder}"
        )


def planned_files(source: str, since: dt.date, today: dt.date) -> list[tuple[str, dict]]:
    """The publisher addresses ``fetch`` reads for ``source``, each with its loader's arguments.

    Parameters
    ----------
    source : str
        One of :data:`SOURCES`.
    since : datetime.date
        First date wanted; sources that start later start at their first date.
    today : datetime.date
        Last date wanted (the current calendar year's files are the last ones).

    Returns
    -------
    list of (str, dict)
        The publisher's address and the keyword arguments of its loader that read it.

    Examples
    --------
    >>> [url[-9:] for url, _ in planned_files("cftc", dt.date(2024, 5, 1), dt.date(2025, 1, 3))]
    ['_2024.zip', '_2025.zip']
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {list(SOURCES)}, got {source!r}")
    start = max(since, _FIRST[source])
    if start > today:
        raise ValueError(f"since ({since}) must not be after today ({today})")
    if source == "fed":
        return [(loaders.FED_FITTED_CURVE_URL, {})]
    if source == "sofr":
        url = loaders.SOFR_URL.format(start=start, end=today)
        return [(url, {"start": start, "end": today})]
    template = loaders.TREASURY_PAR_CURVE_URL if source == "treasury" else loaders.CFTC_TFF_URL
    return [
        (template.format(year=year), {"year": year}) for year in range(start.year, today.year + 1)
    ]


def _loader(source: str) -> Callable[..., pd.DataFrame]:
    return {
        "treasury": loaders.treasury_par_curve,
        "fed": loaders.fed_fitted_curve,
        "sofr": loaders.sofr_rates,
        "cftc": loaders.cftc_treasury_positions,
    }[source]


def _needs_download(path: Path, url: str, today: dt.date, refresh: bool) -> bool:
    """True unless a copy is cached that the publisher no longer extends, or that is fresh."""
    if refresh or not path.is_file():
        return True
    extended = url == loaders.FED_FITTED_CURVE_URL or str(today.year) in url
    if not extended:
        return False
    record = loaders.provenance(path)
    return record is None or dt.datetime.fromisoformat(record["fetched_at"]).date() < today


def _fetch_source(
    source: str,
    since: dt.date,
    today: dt.date,
    cache_dir: Path,
    refresh: bool,
    timeout: float | None,
    stream,
) -> FetchSummary:
    summary = FetchSummary(source)
    files = planned_files(source, since, today)
    loader = _loader(source)
    frames = []
    bar = tqdm(
        total=len(files),
        desc=f"{source:>8}",
        unit="file",
        file=stream,
        dynamic_ncols=True,
        leave=True,
    )
    try:
        for url, arguments in files:
            path = loaders.cached_file(url, _KIND[source], cache_dir)
            download = _needs_download(path, url, today, refresh)
            label = str(arguments.get("year", url.rsplit("/", 1)[-1].split("?")[0]))
            bar.set_postfix_str(label)
            received = [0]

            def progress(n: int, received=received, label=label) -> None:
                received[0] += n
                bar.set_postfix_str(f"{label}: {received[0] / 1e6:.1f} MB", refresh=False)

            token = loaders._PROGRESS.set(progress)
            try:
                options = {"cache_dir": cache_dir, "refresh": download}
                if timeout is not None:
                    options["timeout"] = timeout
                frames.append(loader(**arguments, **options))
            except (loaders.DownloadError, loaders.FormatChangedError) as err:
                summary.error = str(err)
                return summary
            finally:
                loaders._PROGRESS.reset(token)
            summary.downloaded += int(download)
            summary.files.append(path)
            summary.bytes += path.stat().st_size
            record = loaders.provenance(path)
            if record and (summary.fetched_at is None or record["fetched_at"] > summary.fetched_at):
                summary.fetched_at = record["fetched_at"]
            bar.update(1)
    finally:
        bar.close()
    frame = pd.concat(frames, ignore_index=True)
    start = max(since, _FIRST[source])
    frame = frame[[d >= start for d in frame["date"]]]
    summary.rows = len(frame)
    if summary.rows:
        summary.first, summary.last = min(frame["date"]), max(frame["date"])
    return summary


def fetch(
    only: Sequence[str] = SOURCES,
    *,
    since: dt.date | None = None,
    refresh: bool = False,
    cache_dir: str | os.PathLike | None = None,
    timeout: float | None = None,
    today: dt.date | None = None,
    stream=None,
) -> list[FetchSummary]:
    """Download the chosen sources into the cache, one request at a time.

    Parameters
    ----------
    only : sequence of str
        Sources among :data:`SOURCES` (default: all four).
    since : datetime.date, optional
        First date wanted (default: each source's own first date in this module's docstring).
    refresh : bool
        Download every file again, even those cached.
    cache_dir : str or os.PathLike, optional
        Cache folder; by default :func:`treasury_rv.data.loaders.default_cache_dir`.
    timeout : float, optional
        Seconds to wait for each answer (default: each loader's).
    today : datetime.date, optional
        Last date wanted (default: today).
    stream : file, optional
        Where the progress bars go (default: standard error).

    Returns
    -------
    list of FetchSummary
        One per source, in the order of :data:`SOURCES`.
    """
    chosen = list(only)
    unknown = [s for s in chosen if s not in SOURCES]
    if unknown or not chosen:
        raise ValueError(f"only must name sources among {list(SOURCES)}, got {chosen!r}")
    day = today or dt.date.today()
    first = since or dt.date(1900, 1, 1)
    folder = Path(cache_dir) if cache_dir is not None else loaders.default_cache_dir()
    out = stream if stream is not None else sys.stderr
    return [
        _fetch_source(s, first, day, folder, refresh, timeout, out) for s in SOURCES if s in chosen
    ]


def _since(text: str) -> dt.date:
    try:
        if len(text) == 4 and text.isdigit():
            return dt.date(int(text), 1, 1)
        return dt.date.fromisoformat(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(
            f"--since must be a year (2015) or a date (2015-06-30), got {text!r}"
        ) from err


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return its exit status (0 when every source was fetched)."""
    parser = argparse.ArgumentParser(
        prog="python -m treasury_rv.data",
        description="Download the public series the book uses into the local cache.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("fetch", help="download Treasury, Fed, NY Fed and CFTC data")
    command.add_argument(
        "--only",
        action="append",
        choices=SOURCES,
        help="fetch only this source (repeat for more); default: all",
    )
    command.add_argument("--refresh", action="store_true", help="download cached files again")
    command.add_argument("--since", type=_since, help="first year or date wanted")
    command.add_argument("--cache-dir", help="cache folder (default: $TREASURY_RV_CACHE or ~)")
    command.add_argument("--timeout", type=float, help="seconds to wait for each answer")
    command.add_argument(
        "--mirror",
        help=f"base address to read every publisher's files from (${loaders.MIRROR_ENV})",
    )
    args = parser.parse_args(argv)
    if args.mirror:
        os.environ[loaders.MIRROR_ENV] = args.mirror
    summaries = fetch(
        args.only or SOURCES,
        since=args.since,
        refresh=args.refresh,
        cache_dir=args.cache_dir,
        timeout=args.timeout,
    )
    for summary in summaries:
        print(summary.line())
    return 1 if any(s.error is not None for s in summaries) else 0
