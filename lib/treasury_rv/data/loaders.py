r"""Loaders for the public data a reader will want next, with an on-disk cache.

Four publishers, each read from its own site (not from a redistributor):

- :func:`treasury_par_curve`: the US Treasury's daily par yield curve (the "constant maturity"
  yields), one CSV per calendar year.
- :func:`fed_fitted_curve` and :func:`fed_svensson_parameters`: the Federal Reserve Board's
  fitted Treasury curve (Gürkaynak, Sack and Wright 2007; dataset ``feds200628``), fitted to
  off-the-run notes and bonds only.
- :func:`sofr_rates`: the New York Fed's Secured Overnight Financing Rate.
- :func:`cftc_treasury_positions`: the CFTC's Traders in Financial Futures report, with the
  positions of leveraged funds, asset managers and dealers in the CBOT Treasury futures.

Every loader takes the same keyword arguments:

``source``
    A local file (path) or a URL to read instead of the publisher's address: a file you
    already downloaded, or a copy of it. A local file is parsed directly and never cached.
``cache_dir``
    Folder of the on-disk cache. The default is ``$TREASURY_RV_CACHE`` if it is set, else the
    user cache folder (``$XDG_CACHE_HOME/treasury_rv`` or ``~/.cache/treasury_rv``; on macOS
    ``~/Library/Caches/treasury_rv``; on Windows ``%LOCALAPPDATA%\treasury_rv\Cache``). A
    download is kept there and read back on the next call with the same address; the cache
    never expires on its own.
``refresh``
    ``True`` downloads again and replaces the cached copy (for the current year's files,
    which the publishers extend every day or week) once the new file has parsed.
``timeout``
    Seconds to wait for the publisher; a timeout, an HTTP 5xx answer or a body cut short is
    tried again up to :data:`RETRIES` times, after waits of :data:`RETRY_BACKOFF` seconds
    doubling each time. An HTTP 4xx answer is never retried.

A download is parsed, and so checked against the publisher's layout, before it is written to
the cache (through a temporary file renamed into place): an error page served as a success, a
truncated file or a changed layout never replaces a good copy, and the error says whether a
previous copy was kept. Beside each cached file a ``.json`` sidecar records the publisher's
address, the address read (``$TREASURY_RV_MIRROR`` can point every publisher at one mirror,
see :func:`publisher_url`), the time it was fetched, its size and SHA-256 (:func:`provenance`).
``python -m treasury_rv.data fetch`` downloads every series the book uses into the cache.

A download that fails (no network, a timeout, an HTTP error) raises :class:`DownloadError`
naming the address, the reason and what to do; a file whose layout is not the one described
here raises :class:`FormatChangedError` naming the missing or unexpected column. Units follow
the library's: rates and yields as decimals, dates as :class:`datetime.date`, positions in
contracts. Network access uses ``urllib`` only. While the book's site is being built the
loaders refuse any URL (a :class:`DownloadError`), so a page can only show them on a local
file, such as the small samples from :func:`sample`; with ``$TREASURY_RV_DATA=cache`` they
read the reader's cache instead, and still never the network.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import hashlib
import http.client
import io
import json
import os
import re
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from treasury_rv._site import building_static_site
from treasury_rv._validate import as_date, as_real

__all__ = [
    "CACHE_KINDS",
    "CFTC_TREASURY_CODES",
    "DATA_ENV",
    "DownloadError",
    "FormatChangedError",
    "MIRROR_ENV",
    "RETRIES",
    "RETRY_BACKOFF",
    "cached_file",
    "cftc_treasury_positions",
    "default_cache_dir",
    "fed_fitted_curve",
    "fed_svensson_parameters",
    "provenance",
    "publisher_url",
    "sample",
    "sample_names",
    "sample_note",
    "sample_path",
    "sofr_rates",
    "treasury_par_curve",
]

#: Treasury's daily par yield curve, one CSV per calendar year (``{year}`` filled in).
TREASURY_PAR_CURVE_URL = (
    "https://home.treasury.gov/resource-center/data-chart-center/interest-rates/"
    "daily-treasury-rates.csv/{year}/all?type=daily_treasury_yield_curve"
    "&field_tdr_date_value={year}&_format=csv"
)
#: The Federal Reserve Board's fitted Treasury curve, all dates in one CSV.
FED_FITTED_CURVE_URL = "https://www.federalreserve.gov/data/yield-curve-tables/feds200628.csv"
#: The New York Fed's SOFR between two dates, as JSON.
SOFR_URL = (
    "https://markets.newyorkfed.org/api/rates/secured/sofr/search.json"
    "?startDate={start}&endDate={end}"
)
#: The CFTC's Traders in Financial Futures (futures only), one zip per calendar year.
CFTC_TFF_URL = "https://www.cftc.gov/files/dea/history/fut_fin_txt_{year}.zip"

#: CFTC contract market codes of the CBOT Treasury futures (the join key: the market names
#: changed in February 2022).
CFTC_TREASURY_CODES = {
    "ZT": "042601",
    "ZF": "044601",
    "ZN": "043602",
    "TN": "043607",
    "ZB": "020601",
    "UB": "020604",
}

#: Cache prefix of each loader's files (see :func:`cached_file`).
CACHE_KINDS = {
    "treasury_par_curve": "treasury-par-curve",
    "fed_fitted_curve": "fed-feds200628",
    "sofr": "nyfed-sofr",
    "cftc_tff": "cftc-tff",
}

#: Environment variable: a base address that stands in for every publisher's host
#: (see :func:`publisher_url`).
MIRROR_ENV = "TREASURY_RV_MIRROR"
#: Environment variable: ``cache`` lets the book's build read the reader's cache (never the
#: network).
DATA_ENV = "TREASURY_RV_DATA"
#: Attempts after the first on a timeout, an HTTP 5xx or a body cut short.
RETRIES = 3
#: Seconds before the first retry; each later wait doubles.
RETRY_BACKOFF = 1.0

_CACHE_ENV = "TREASURY_RV_CACHE"
_CHUNK = 1 << 16
_sleep = time.sleep
#: Called with the size of each chunk read, while set (the ``fetch`` command's progress bars).
_PROGRESS: contextvars.ContextVar[Callable[[int], None] | None] = contextvars.ContextVar(
    "treasury_rv_download_progress", default=None
)
_FIRST_PAR_CURVE_YEAR = 1990  # Treasury's daily par yield curve starts in 1990
_FIRST_TFF_YEAR = 2006  # the Traders in Financial Futures history starts in 2006
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_TENOR = re.compile(r"^(\d+(?:\.\d+)?) (Mo|Yr)$")


class DownloadError(OSError):
    """A publisher's file could not be downloaded (offline, timed out or refused).

    The message names the address and the reason; the original ``urllib`` error is
    chained as ``__cause__``.
    """


class FormatChangedError(ValueError):
    """A downloaded or given file is not laid out as the loader expects.

    The message names the missing, renamed or unreadable column, so that a change at the
    publisher shows up as a clear error rather than as wrong numbers.
    """


# --------------------------------------------------------------------------------------
# Fetching and the cache


def default_cache_dir() -> Path:
    """Folder the loaders cache downloads in when no ``cache_dir`` is given.

    ``$TREASURY_RV_CACHE`` if set, else the platform's user cache folder followed by
    ``treasury_rv``.

    Examples
    --------
    >>> isinstance(default_cache_dir(), Path)
    True
    """
    env = os.environ.get(_CACHE_ENV)
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "treasury_rv" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "treasury_rv"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "treasury_rv"


def _check_options(cache_dir: object, refresh: object, timeout: object) -> tuple[Path, float]:
    if not isinstance(refresh, bool):
        raise TypeError(f"refresh must be True or False, got {type(refresh).__name__} {refresh!r}")
    seconds = as_real(timeout, "timeout")
    if seconds <= 0:
        raise ValueError(f"timeout must be positive (seconds), got {seconds!r}")
    if cache_dir is None:
        return default_cache_dir(), seconds
    if not isinstance(cache_dir, str | os.PathLike):
        raise TypeError(
            f"cache_dir must be a folder path, got {type(cache_dir).__name__} {cache_dir!r}"
        )
    return Path(cache_dir), seconds


def _is_url(source: str) -> bool:
    return bool(_URL_SCHEME.match(source))


def _cache_file(cache_dir: Path, kind: str, url: str) -> Path:
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    return cache_dir / f"{kind}-{digest}"


def publisher_url(url: str) -> str:
    """The address a publisher's file is downloaded from: ``url``, or its copy on a mirror.

    With ``$TREASURY_RV_MIRROR`` set to a base address (such as ``http://127.0.0.1:8000``),
    the scheme and host of ``url`` are replaced by it and the path and query kept, so that one
    server holding copies of the four publishers' files can stand in for them. The cache is
    keyed on the publisher's own address either way.
    """
    mirror = os.environ.get(MIRROR_ENV, "").strip()
    if not mirror:
        return url
    return re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/]+", mirror.rstrip("/"), url, count=1)


class _Transient(Exception):
    """A failure worth retrying (a timeout, HTTP 5xx, a body cut short)."""

    def __init__(self, reason: str, cause: BaseException | None = None):
        super().__init__(reason)
        self.reason = reason
        self.cause = cause


def _is_timeout(err: BaseException) -> bool:
    return isinstance(err, TimeoutError) or isinstance(getattr(err, "reason", None), TimeoutError)


def _read_once(url: str, timeout: float) -> bytes:
    """One request: the whole body, or ``_Transient``, or a ``DownloadError`` not to retry."""
    request = urllib.request.Request(url, headers={"User-Agent": "treasury_rv data loader"})
    progress = _PROGRESS.get()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            headers = getattr(response, "headers", None)
            length = headers.get("Content-Length") if headers is not None else None
            expected = int(length) if length and length.isdigit() else None
            chunks = []
            got = 0
            while True:
                chunk = response.read(_CHUNK)
                if not chunk:
                    break
                chunks.append(chunk)
                got += len(chunk)
                if progress is not None:
                    progress(len(chunk))
    except urllib.error.HTTPError as err:
        if err.code >= 500:
            raise _Transient(f"the server answered HTTP {err.code} ({err.reason})", err) from err
        raise DownloadError(
            f"could not download {url}: the server answered HTTP {err.code} ({err.reason}). "
            "The address may have moved: check it on the publisher's site, or pass source= a "
            "copy of the file you already have."
        ) from err
    except http.client.IncompleteRead as err:
        raise _Transient(f"the download was cut short ({len(err.partial)} bytes)", err) from err
    except (urllib.error.URLError, OSError, http.client.HTTPException) as err:
        if _is_timeout(err):
            raise _Transient(f"no answer within {timeout:g} s", err) from err
        reason = getattr(err, "reason", None) or err
        raise DownloadError(
            f"could not download {url}: {reason}. You may be offline: try again when connected, "
            "or pass source= a copy of the file you already have."
        ) from err
    if expected is not None and got < expected:
        raise _Transient(f"the download was cut short ({got} of {expected} bytes)")
    return b"".join(chunks)


def _download(url: str, timeout: float) -> bytes:
    """The bytes at ``url``; timeouts, HTTP 5xx and cut-short bodies are retried.

    At most :data:`RETRIES` more attempts follow the first, after waits of
    :data:`RETRY_BACKOFF` seconds doubling each time. HTTP 4xx is never retried.
    """
    for attempt in range(RETRIES + 1):
        try:
            return _read_once(url, timeout)
        except _Transient as err:
            if attempt == RETRIES:
                raise DownloadError(
                    f"could not download {url}: {err.reason}, {attempt + 1} times. You may be "
                    f"offline, or the server did not answer within {timeout:g} s: try again "
                    "later (or with a longer timeout=), or pass source= a copy of the file you "
                    "already have."
                ) from err.cause
            _sleep(RETRY_BACKOFF * 2**attempt)
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _provenance_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _write_atomic(path: Path, payload: bytes) -> None:
    """Write ``payload`` to ``path`` through a temporary file in the same folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _store(path: Path, payload: bytes, url: str, fetched_from: str) -> None:
    """Cache a checked download and its provenance sidecar (address, time, size, SHA-256)."""
    record = {
        "url": url,
        "fetched_from": fetched_from,
        "fetched_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "bytes": len(payload),
        "sha256": hashlib.sha256(payload).hexdigest(),
    }
    _write_atomic(path, payload)
    _write_atomic(_provenance_path(path), (json.dumps(record, indent=1) + "\n").encode())


def provenance(path: str | os.PathLike) -> dict | None:
    """Where a cached file came from: its sidecar record, or None if it has none.

    Parameters
    ----------
    path : str or os.PathLike
        A file in the cache folder.

    Returns
    -------
    dict or None
        ``url`` (the publisher's address), ``fetched_from`` (the address actually read: the
        same, or a mirror's), ``fetched_at`` (UTC, ISO 8601), ``bytes`` and ``sha256`` of the
        cached file.
    """
    sidecar = _provenance_path(Path(path))
    if not sidecar.is_file():
        return None
    return json.loads(sidecar.read_text(encoding="utf-8"))


def cached_file(url: str, kind: str, cache_dir: str | os.PathLike | None = None) -> Path:
    """Path the cache keeps the download of a publisher's ``url`` at (it may not exist yet).

    Parameters
    ----------
    url : str
        The publisher's address, such as ``FED_FITTED_CURVE_URL``.
    kind : str
        The loader's cache prefix (see :data:`CACHE_KINDS`).
    cache_dir : str or os.PathLike, optional
        Cache folder; by default :func:`default_cache_dir`.
    """
    folder = default_cache_dir() if cache_dir is None else Path(cache_dir)
    return _cache_file(folder, kind, url)


def _kept(path: Path) -> str:
    record = provenance(path) if path.exists() else None
    if not path.exists():
        return " Nothing was written to the cache."
    when = record["fetched_at"] if record else "an earlier run"
    return f" The previous copy (fetched {when}) is kept in the cache at {path}."


def _reading_cache_while_building() -> bool:
    return os.environ.get(DATA_ENV, "").strip().lower() == "cache"


def _fetch(
    url: str,
    kind: str,
    cache_dir: Path,
    refresh: bool,
    timeout: float,
    parse: Callable[[bytes], pd.DataFrame],
) -> pd.DataFrame:
    """The parsed file at ``url``, from the cache unless ``refresh`` or not cached yet.

    A download is parsed (and so checked against the expected layout) before it replaces
    anything in the cache; a failed download or a file that does not parse leaves the cache
    as it was, and the error says so. Refused while the book's static site is being built,
    unless ``$TREASURY_RV_DATA`` is ``cache``: then the cached copy is read, and never the
    network.
    """
    path = _cache_file(cache_dir, kind, url)
    if building_static_site():
        if not _reading_cache_while_building():
            raise DownloadError(
                f"not downloading {url}: the book's build never reads the network or the "
                "download cache; use sample(name), or source= a file shipped with the book."
            )
        if not path.is_file():
            raise DownloadError(
                f"{url} is not in the cache at {cache_dir}: the book's build reads the cache "
                f"only (${DATA_ENV}=cache); run `python -m treasury_rv.data fetch` first."
            )
        return _parse_cached(path, parse)
    if path.is_file() and not refresh:
        return _parse_cached(path, parse)
    fetched_from = publisher_url(url)
    try:
        payload = _download(fetched_from, timeout)
    except DownloadError as err:
        raise DownloadError(str(err) + _kept(path)) from err.__cause__
    try:
        frame = parse(payload)
    except FormatChangedError as err:
        raise FormatChangedError(
            f"{fetched_from} did not give the expected file: {err}{_kept(path)}"
        ) from err
    _store(path, payload, url, fetched_from)
    return frame


def _parse_cached(path: Path, parse: Callable[[bytes], pd.DataFrame]) -> pd.DataFrame:
    try:
        return parse(path.read_bytes())
    except FormatChangedError as err:
        raise FormatChangedError(
            f"the cached copy at {path} does not read: {err} Download it again with "
            "refresh=True, or delete the file."
        ) from err


def _read_source(
    source: object,
    kind: str,
    cache_dir: Path,
    refresh: bool,
    timeout: float,
    parse: Callable[[bytes], pd.DataFrame],
) -> pd.DataFrame:
    """A ``source=`` argument parsed: a local file read directly, or a URL fetched."""
    if not isinstance(source, str | os.PathLike):
        raise TypeError(
            f"source must be a file path or a URL, got {type(source).__name__} {source!r}"
        )
    text = os.fspath(source)
    if isinstance(source, str) and _is_url(text):
        return _fetch(text, kind, cache_dir, refresh, timeout, parse)
    path = Path(text).expanduser()
    if not path.is_file():
        raise ValueError(f"source must be an existing file or a URL, got {text!r}")
    return parse(path.read_bytes())


def _frames(
    source: object,
    urls: Iterable[str],
    kind: str,
    cache_dir: object,
    refresh: object,
    timeout: object,
    parse: Callable[[bytes], pd.DataFrame],
) -> list[pd.DataFrame]:
    """The parsed file of ``source``, or of each publisher address in ``urls``."""
    folder, seconds = _check_options(cache_dir, refresh, timeout)
    if source is not None:
        return [_read_source(source, kind, folder, refresh, seconds, parse)]
    return [_fetch(url, kind, folder, refresh, seconds, parse) for url in urls]


# --------------------------------------------------------------------------------------
# Argument checks


def _year(value: object, name: str, first: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be a whole year such as 2025, got {value!r}")
    year = int(value)
    last = dt.date.today().year
    if not first <= year <= last:
        raise ValueError(f"{name} must be between {first} and {last}, got {year}")
    return year


def _period(
    year: object, start: object, end: object, first: int, *, needed: bool
) -> tuple[dt.date | None, dt.date | None, list[int]]:
    """Check ``year`` or ``start``/``end``; return the date bounds and the years spanned."""
    if year is not None and (start is not None or end is not None):
        raise ValueError("give either year or start/end, not both")
    if year is not None:
        y = _year(year, "year", first)
        return dt.date(y, 1, 1), dt.date(y, 12, 31), [y]
    lo = None if start is None else as_date(start, "start")
    hi = None if end is None else as_date(end, "end")
    if lo is not None and hi is not None and hi < lo:
        raise ValueError(f"end ({hi}) must not be before start ({lo})")
    if not needed:  # a given source: the dates only filter its rows
        return lo, hi, []
    if lo is None:
        raise ValueError("give year or start (and optionally end), or source=")
    first_year = _year(lo.year, "start's year", first)
    last_year = min((hi or dt.date.today()).year, dt.date.today().year)  # no file for future years
    return lo, hi, list(range(first_year, last_year + 1))


def _between(frame: pd.DataFrame, lo: dt.date | None, hi: dt.date | None) -> pd.DataFrame:
    keep = np.ones(len(frame), dtype=bool)
    if lo is not None:
        keep &= np.array([d >= lo for d in frame["date"]], dtype=bool)
    if hi is not None:
        keep &= np.array([d <= hi for d in frame["date"]], dtype=bool)
    return frame.loc[keep].reset_index(drop=True)


# --------------------------------------------------------------------------------------
# Parsing helpers


def _require(columns: Iterable[str], required: Iterable[str], what: str) -> None:
    present = list(columns)
    missing = [c for c in required if c not in present]
    if missing:
        raise FormatChangedError(
            f"{what}: missing column {missing[0]!r}"
            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
            + f"; the file has columns {present[:12]}{' …' if len(present) > 12 else ''}."
            " The publisher may have renamed it: check the file, or report it."
        )


def _dates(values: Iterable[object], fmt: str, column: str, what: str) -> list[dt.date]:
    out = []
    for raw in values:
        try:
            out.append(dt.datetime.strptime(str(raw).strip(), fmt).date())
        except ValueError as err:
            raise FormatChangedError(
                f"{what}: column {column!r} holds {raw!r}, not a date written {fmt}"
            ) from err
    return out


def _numbers(table: pd.DataFrame, column: str, what: str) -> np.ndarray:
    """A column read by :func:`_csv` as floats; a cell that is not a number is an error."""
    series = table[column]
    if pd.api.types.is_numeric_dtype(series):
        return series.to_numpy(dtype=float)
    out = pd.to_numeric(series.astype(str).str.strip(), errors="coerce")
    bad = out.isna() & series.notna()
    if bad.any():
        raise FormatChangedError(
            f"{what}: column {column!r} holds {series[bad].iloc[0]!r}, not a number"
        )
    return out.to_numpy(dtype=float)


def _csv(payload: bytes, what: str, text: Iterable[str], missing: Iterable[str]) -> pd.DataFrame:
    """Read a CSV: the ``text`` columns as strings, the others as numbers where they parse.

    Cells in ``missing`` (and only those) become NaN; column names are stripped.
    """
    try:
        decoded = payload.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise FormatChangedError(f"{what}: the file is not UTF-8 text") from err
    try:
        table = pd.read_csv(
            io.StringIO(decoded),
            dtype=dict.fromkeys(text, str),
            na_values=list(missing),
            keep_default_na=False,
            skipinitialspace=True,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise FormatChangedError(f"{what}: the file is not a readable CSV ({err})") from err
    table.columns = [str(c).strip() for c in table.columns]
    return table


# --------------------------------------------------------------------------------------
# Treasury's daily par yield curve


def _tenor_years(label: str) -> float:
    number, unit = _TENOR.match(label).groups()
    return float(number) / 12 if unit == "Mo" else float(number)


def _parse_par_curve(payload: bytes) -> pd.DataFrame:
    what = "Treasury par yield curve"
    table = _csv(payload, what, text=["Date"], missing=["", "N/A", "NA"])
    _require(table.columns, ["Date", "10 Yr"], what)
    others = [c for c in table.columns if c != "Date" and not _TENOR.match(c)]
    if others:
        raise FormatChangedError(
            f"{what}: unexpected column {others[0]!r}; maturities are written like '3 Mo' or "
            "'10 Yr'. The publisher may have renamed a column."
        )
    dates = _dates(table["Date"], "%m/%d/%Y", "Date", what)
    rows = []
    for label in table.columns.drop("Date"):
        pct = _numbers(table, label, what)
        years = _tenor_years(label)
        rows.extend(
            (d, label, years, p / 100) for d, p in zip(dates, pct, strict=True) if np.isfinite(p)
        )
    frame = pd.DataFrame(rows, columns=["date", "tenor", "years", "par_yield"])
    return frame.sort_values(["date", "years"], kind="stable").reset_index(drop=True)


def treasury_par_curve(
    year: int | None = None,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    source: str | os.PathLike | None = None,
    cache_dir: str | os.PathLike | None = None,
    refresh: bool = False,
    timeout: float = 30.0,
) -> pd.DataFrame:
    """Treasury's daily par yield curve rates, one row per date and maturity.

    Treasury publishes one CSV per calendar year: a ``Date`` column (MM/DD/YYYY) and one
    column per maturity ("1 Mo" … "30 Yr", in percent). The set of maturities changes over
    time (the 1-month bill from 2001, the 30-year gap of 2002–2006, the 4-month bill from
    2022, the 6-week bill from 2025), so the result is long: a maturity not published on a
    date has no row.

    Parameters
    ----------
    year : int, optional
        Calendar year to load (1990 onward). Give either ``year`` or ``start``/``end``.
    start, end : datetime.date, optional
        First and last dates to keep (inclusive); every calendar year between them is
        downloaded. ``end`` defaults to today.
    source : str or os.PathLike, optional
        A file in Treasury's format, or its URL, to read instead of Treasury's site. With
        ``source``, ``year`` and ``start``/``end`` only filter the rows.
    cache_dir : str or os.PathLike, optional
        Cache folder; by default :func:`default_cache_dir`.
    refresh : bool
        Download again even if a cached copy exists; the copy is replaced only once the new
        file has parsed.
    timeout : float
        Seconds to wait for the server (default 30); a timeout is retried (:data:`RETRIES`).

    Returns
    -------
    pandas.DataFrame
        Columns ``date`` (datetime.date), ``tenor`` (Treasury's label, e.g. "10 Yr"),
        ``years`` (maturity in years; months / 12) and ``par_yield`` (decimal, semiannual
        bond-equivalent), sorted by date and maturity.

    Raises
    ------
    DownloadError
        If the file cannot be downloaded.
    FormatChangedError
        If ``Date`` or ``10 Yr`` is missing, a column is not a maturity, or a cell is not a
        date or a number.

    Examples
    --------
    >>> curve = treasury_par_curve(source=sample_path("treasury_par_curve"))
    >>> row = curve[(curve["date"] == dt.date(2025, 4, 4)) & (curve["tenor"] == "10 Yr")]
    >>> float(row["par_yield"].iloc[0])
    0.0401
    """
    lo, hi, years = _period(year, start, end, _FIRST_PAR_CURVE_YEAR, needed=source is None)
    urls = [TREASURY_PAR_CURVE_URL.format(year=y) for y in years]
    frames = _frames(
        source,
        urls,
        CACHE_KINDS["treasury_par_curve"],
        cache_dir,
        refresh,
        timeout,
        _parse_par_curve,
    )
    frame = pd.concat(frames, ignore_index=True)
    frame = frame.sort_values(["date", "years"], kind="stable").reset_index(drop=True)
    return _between(frame, lo, hi)


# --------------------------------------------------------------------------------------
# The Fed's fitted curve (feds200628)

_SVENSSON = ["BETA0", "BETA1", "BETA2", "BETA3", "TAU1", "TAU2"]
_FED_REQUIRED = ["Date", *_SVENSSON, *[f"SVENY{m:02d}" for m in range(1, 31)]]


def _parse_fed_curve(payload: bytes) -> pd.DataFrame:
    what = "Fed fitted curve (feds200628)"
    try:
        lines = payload.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as err:
        raise FormatChangedError(f"{what}: the file is not UTF-8 text") from err
    header = next(
        (i for i, line in enumerate(lines) if re.match(r'^"?Date"?\s*,', line.strip())), None
    )
    if header is None:
        raise FormatChangedError(
            f"{what}: missing column 'Date': no line of the file starts with a 'Date' header"
        )
    body = "\n".join(lines[header:]).encode("utf-8")
    table = _csv(body, what, text=["Date"], missing=["", "NA", "N/A"])
    _require(table.columns, _FED_REQUIRED, what)
    frame = pd.DataFrame({"date": _dates(table["Date"], "%Y-%m-%d", "Date", what)})
    columns = {}
    for column in table.columns.drop("Date"):
        values = _numbers(table, column, what)
        columns[column] = values / 100 if column.startswith("SVEN") else values
    frame = pd.concat([frame, pd.DataFrame(columns)], axis=1)
    return frame.sort_values("date", kind="stable").reset_index(drop=True)


def fed_fitted_curve(
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    source: str | os.PathLike | None = None,
    cache_dir: str | os.PathLike | None = None,
    refresh: bool = False,
    timeout: float = 60.0,
) -> pd.DataFrame:
    """The Federal Reserve's fitted Treasury curve (``feds200628``), one row per date.

    The Fed's CSV has a few lines of notes, then a header row starting ``Date`` and one row
    per business day since 1961: zero-coupon yields ``SVENY01``–``SVENY30``, par yields
    ``SVENPY01``–``SVENPY30``, instantaneous forwards ``SVENF01``–``SVENF30``, one-year
    forwards ``SVEN1F01``, ``SVEN1F04``, ``SVEN1F09`` (all in percent), and the Svensson
    parameters ``BETA0``–``BETA3`` (percent) and ``TAU1``, ``TAU2`` (years). Early dates
    have missing long maturities ("NA"). The curve is fitted to off-the-run notes and bonds
    only; the whole history is one file of about 15 MB, downloaded once and then cached.

    Parameters
    ----------
    start, end : datetime.date, optional
        First and last dates to keep (inclusive); by default every date.
    source : str or os.PathLike, optional
        A file in the Fed's format, or its URL, to read instead of the Fed's site.
    cache_dir : str or os.PathLike, optional
        Cache folder; by default :func:`default_cache_dir`.
    refresh : bool
        Download again even if a cached copy exists; the copy is replaced only once the new
        file has parsed.
    timeout : float
        Seconds to wait for the server (default 60); a timeout is retried (:data:`RETRIES`).

    Returns
    -------
    pandas.DataFrame
        ``date`` (datetime.date), then every column of the file under its published name:
        ``SVEN*`` yields and forwards converted to decimals (continuously compounded for
        ``SVENY`` and ``SVENF``, semiannual bond-equivalent for ``SVENPY``), ``BETA0``–
        ``BETA3`` kept in percent and ``TAU1``, ``TAU2`` in years, as
        :class:`treasury_rv.curves.SvenssonCurve` takes them. Missing values are NaN.

    Raises
    ------
    DownloadError
        If the file cannot be downloaded.
    FormatChangedError
        If the header row, ``BETA0``–``BETA3``, ``TAU1``, ``TAU2`` or any of
        ``SVENY01``–``SVENY30`` is missing, or a cell is not a date or a number.

    Examples
    --------
    >>> fed = fed_fitted_curve(source=sample_path("fed_fitted_curve"))
    >>> round(100 * float(fed.loc[fed["date"] == dt.date(2025, 4, 2), "SVENY10"].iloc[0]), 2)
    4.23
    """
    lo = None if start is None else as_date(start, "start")
    hi = None if end is None else as_date(end, "end")
    if lo is not None and hi is not None and hi < lo:
        raise ValueError(f"end ({hi}) must not be before start ({lo})")
    (frame,) = _frames(
        source,
        [FED_FITTED_CURVE_URL],
        CACHE_KINDS["fed_fitted_curve"],
        cache_dir,
        refresh,
        timeout,
        _parse_fed_curve,
    )
    return _between(frame, lo, hi)


def fed_svensson_parameters(fitted: pd.DataFrame) -> pd.DataFrame:
    """The Svensson parameters of a fitted-curve frame, ready for ``SvenssonCurve``.

    Parameters
    ----------
    fitted : pandas.DataFrame
        The result of :func:`fed_fitted_curve` (columns ``date``, ``BETA0``–``BETA3``,
        ``TAU1``, ``TAU2``).

    Returns
    -------
    pandas.DataFrame
        Columns ``date``, ``beta0``, ``beta1``, ``beta2``, ``beta3`` (percent), ``tau1``,
        ``tau2`` (years), the layout of the shipped dataset ``gsw_svensson``: each row
        unpacks into :class:`treasury_rv.curves.SvenssonCurve`. Dates fitted with the
        three-factor Nelson–Siegel form (``BETA3`` zero and ``TAU2`` missing, before 1980)
        get ``tau2 = tau1``, which leaves the curve unchanged; rows with any other missing
        parameter are dropped.

    Examples
    --------
    >>> from treasury_rv.curves import SvenssonCurve
    >>> params = fed_svensson_parameters(sample("fed_fitted_curve"))
    >>> curve = SvenssonCurve(**params.drop(columns="date").iloc[0])
    >>> round(100 * curve.zero_rate(10.0), 2)
    5.18
    """
    if not isinstance(fitted, pd.DataFrame):
        raise TypeError(
            f"fitted must be the DataFrame from fed_fitted_curve, got {type(fitted).__name__}"
        )
    _require(fitted.columns, ["date", *_SVENSSON], "fitted")
    out = pd.DataFrame({"date": list(fitted["date"])})
    for column in _SVENSSON:
        out[column.lower()] = fitted[column].to_numpy(dtype=float)
    nelson_siegel = (out["beta3"] == 0) & out["tau2"].isna()
    out.loc[nelson_siegel, "tau2"] = out.loc[nelson_siegel, "tau1"]
    complete = out[[c.lower() for c in _SVENSSON]].notna().all(axis=1)
    return out.loc[complete].reset_index(drop=True)


# --------------------------------------------------------------------------------------
# SOFR (New York Fed)

#: Fields of a NY Fed ``refRates`` entry: (name in the file, column, factor to the library's unit).
_SOFR_FIELDS = [
    ("percentRate", "rate", 0.01),
    ("percentPercentile1", "percentile_1", 0.01),
    ("percentPercentile25", "percentile_25", 0.01),
    ("percentPercentile75", "percentile_75", 0.01),
    ("percentPercentile99", "percentile_99", 0.01),
    ("volumeInBillions", "volume_bn", 1.0),
]


def _parse_sofr(payload: bytes) -> pd.DataFrame:
    what = "NY Fed SOFR"
    try:
        document = json.loads(payload.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise FormatChangedError(f"{what}: the file is not JSON ({err})") from err
    if not isinstance(document, dict) or not isinstance(document.get("refRates"), list):
        raise FormatChangedError(f"{what}: missing field 'refRates' (a list of daily rates)")
    rows = []
    for item in document["refRates"]:
        if not isinstance(item, dict):
            raise FormatChangedError(f"{what}: an entry of 'refRates' is not an object")
        if item.get("type", "SOFR") != "SOFR":
            continue
        for key in ("effectiveDate", "percentRate"):
            if key not in item:
                raise FormatChangedError(
                    f"{what}: missing field {key!r} in refRates (fields: {sorted(item)})"
                )
        (day,) = _dates([item["effectiveDate"]], "%Y-%m-%d", "effectiveDate", what)
        row = {"date": day}
        for key, name, scale in _SOFR_FIELDS:
            value = item.get(key)
            if value is None and key != "percentRate":
                continue  # a field the NY Fed leaves out (or null) on some dates
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise FormatChangedError(f"{what}: field {key!r} holds {value!r}, not a number")
            row[name] = value * scale
        rows.append(row)
    columns = ["date", *(name for _, name, _ in _SOFR_FIELDS)]
    frame = pd.DataFrame(rows, columns=columns)
    frame = frame.dropna(axis=1, how="all") if rows else frame[["date", "rate"]]
    return frame.sort_values("date", kind="stable").reset_index(drop=True)


def sofr_rates(
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    source: str | os.PathLike | None = None,
    cache_dir: str | os.PathLike | None = None,
    refresh: bool = False,
    timeout: float = 30.0,
) -> pd.DataFrame:
    """The Secured Overnight Financing Rate from the New York Fed, one row per business day.

    The NY Fed's markets API answers JSON: ``{"refRates": [{"effectiveDate": "YYYY-MM-DD",
    "type": "SOFR", "percentRate": 4.33, "percentPercentile1": …, "volumeInBillions": …},
    …]}``, rates in percent.

    Parameters
    ----------
    start, end : datetime.date
        First and last dates (inclusive). Both are needed to download; with ``source`` they
        only filter the rows.
    source : str or os.PathLike, optional
        A file in the NY Fed's format, or its URL, to read instead of the NY Fed's site.
    cache_dir : str or os.PathLike, optional
        Cache folder; by default :func:`default_cache_dir`.
    refresh : bool
        Download again even if a cached copy exists; the copy is replaced only once the new
        file has parsed.
    timeout : float
        Seconds to wait for the server (default 30); a timeout is retried (:data:`RETRIES`).

    Returns
    -------
    pandas.DataFrame
        ``date`` (datetime.date) and ``rate`` (decimal), with ``percentile_1``,
        ``percentile_25``, ``percentile_75``, ``percentile_99`` (decimals) and ``volume_bn``
        (transaction volume, billions of dollars) when the file has them; sorted by date.

    Raises
    ------
    DownloadError
        If the file cannot be downloaded.
    FormatChangedError
        If ``refRates``, ``effectiveDate`` or ``percentRate`` is missing, or a value is not a
        date or a number.

    Examples
    --------
    >>> sofr = sofr_rates(source=sample_path("sofr"))
    >>> list(sofr.columns[:2])
    ['date', 'rate']
    """
    lo = None if start is None else as_date(start, "start")
    hi = None if end is None else as_date(end, "end")
    if source is None and (lo is None or hi is None):
        raise ValueError("start and end must both be given to download SOFR (or give source=)")
    if lo is not None and hi is not None and hi < lo:
        raise ValueError(f"end ({hi}) must not be before start ({lo})")
    urls = [] if source is not None else [SOFR_URL.format(start=lo, end=hi)]
    (frame,) = _frames(source, urls, CACHE_KINDS["sofr"], cache_dir, refresh, timeout, _parse_sofr)
    return _between(frame, lo, hi)


# --------------------------------------------------------------------------------------
# CFTC Traders in Financial Futures

_TFF_DATE = "Report_Date_as_YYYY-MM-DD"
_TFF_CODE = "CFTC_Contract_Market_Code"
_TFF_POSITIONS = {
    "Open_Interest_All": "open_interest",
    "Lev_Money_Positions_Long_All": "lev_money_long",
    "Lev_Money_Positions_Short_All": "lev_money_short",
    "Asset_Mgr_Positions_Long_All": "asset_mgr_long",
    "Asset_Mgr_Positions_Short_All": "asset_mgr_short",
    "Dealer_Positions_Long_All": "dealer_long",
    "Dealer_Positions_Short_All": "dealer_short",
}
_TFF_REQUIRED = ["Market_and_Exchange_Names", _TFF_DATE, _TFF_CODE, *_TFF_POSITIONS]


def _unzip(payload: bytes, what: str) -> bytes:
    if not payload.startswith(b"PK"):
        return payload
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            members = [n for n in archive.namelist() if n.lower().endswith((".txt", ".csv"))]
            if len(members) != 1:
                raise FormatChangedError(
                    f"{what}: the zip should hold one .txt report, it holds {archive.namelist()}"
                )
            return archive.read(members[0])
    except zipfile.BadZipFile as err:
        raise FormatChangedError(f"{what}: the file is not a readable zip ({err})") from err


def _parse_tff(payload: bytes, codes: dict[str, str]) -> pd.DataFrame:
    what = "CFTC Traders in Financial Futures"
    text = ["Market_and_Exchange_Names", _TFF_DATE, _TFF_CODE]
    table = _csv(_unzip(payload, what), what, text=text, missing=[])
    _require(table.columns, _TFF_REQUIRED, what)
    code = table[_TFF_CODE].str.strip().str.zfill(6)
    by_code = {v: k for k, v in codes.items()}
    table = table.loc[code.isin(by_code)].reset_index(drop=True)
    code = code.loc[code.isin(by_code)].reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "date": _dates(table[_TFF_DATE], "%Y-%m-%d", _TFF_DATE, what),
            "contract": [by_code[c] for c in code],
            "cftc_code": list(code),
            "market": list(table["Market_and_Exchange_Names"].str.strip()),
        }
    )
    for column, name in _TFF_POSITIONS.items():
        frame[name] = _numbers(table, column, what).astype(np.int64)
    frame["lev_money_net"] = frame["lev_money_long"] - frame["lev_money_short"]
    return frame.sort_values(["date", "contract"], kind="stable").reset_index(drop=True)


def _contract_codes(contracts: object) -> dict[str, str]:
    if isinstance(contracts, str):
        contracts = [contracts]
    try:
        chosen = list(contracts)
    except TypeError as err:
        raise TypeError(
            f"contracts must be a list of codes such as ['ZN'], got {contracts!r}"
        ) from err
    unknown = [c for c in chosen if c not in CFTC_TREASURY_CODES]
    if unknown or not chosen:
        raise ValueError(
            f"contracts must be codes among {sorted(CFTC_TREASURY_CODES)}, got {contracts!r}"
        )
    return {c: CFTC_TREASURY_CODES[c] for c in chosen}


def cftc_treasury_positions(
    year: int | None = None,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    contracts: Iterable[str] = tuple(CFTC_TREASURY_CODES),
    source: str | os.PathLike | None = None,
    cache_dir: str | os.PathLike | None = None,
    refresh: bool = False,
    timeout: float = 60.0,
) -> pd.DataFrame:
    """Weekly positions in the CBOT Treasury futures by trader type, from the CFTC.

    The CFTC's Traders in Financial Futures report (futures only) comes as one zip per
    calendar year holding a comma-separated text file with a row per market and Tuesday:
    ``Report_Date_as_YYYY-MM-DD``, ``CFTC_Contract_Market_Code``,
    ``Lev_Money_Positions_Long_All``, ``Lev_Money_Positions_Short_All``,
    ``Asset_Mgr_Positions_…``, ``Dealer_Positions_…``, ``Open_Interest_All`` and many more.
    Rows are picked by contract market code (:data:`CFTC_TREASURY_CODES`), not by name,
    because the market names changed in February 2022. Positions are numbers of contracts;
    multiply by the contract's face value for a notional.

    Parameters
    ----------
    year : int, optional
        Calendar year to load (2006 onward). Give either ``year`` or ``start``/``end``.
    start, end : datetime.date, optional
        First and last report dates to keep (inclusive); every year between them is
        downloaded. ``end`` defaults to today.
    contracts : iterable of str
        Contract codes to keep, among "ZT", "ZF", "ZN", "TN", "ZB", "UB" (default: all six).
    source : str or os.PathLike, optional
        The zip, or the text file inside it, or its URL, to read instead of the CFTC's site.
    cache_dir : str or os.PathLike, optional
        Cache folder; by default :func:`default_cache_dir`.
    refresh : bool
        Download again even if a cached copy exists; the copy is replaced only once the new
        file has parsed.
    timeout : float
        Seconds to wait for the server (default 60); a timeout is retried (:data:`RETRIES`).

    Returns
    -------
    pandas.DataFrame
        ``date`` (report date, datetime.date), ``contract``, ``cftc_code``, ``market`` (the
        name as published), ``open_interest``, ``lev_money_long``, ``lev_money_short``,
        ``asset_mgr_long``, ``asset_mgr_short``, ``dealer_long``, ``dealer_short`` and
        ``lev_money_net`` (long minus short), all in contracts; sorted by date and contract.

    Raises
    ------
    DownloadError
        If the file cannot be downloaded.
    FormatChangedError
        If one of the columns above is missing or renamed, or a cell is not a date or a
        number.

    Examples
    --------
    >>> tff = cftc_treasury_positions(source=sample_path("cftc_tff"), contracts=["ZN"])
    >>> sorted(set(tff["contract"]))
    ['ZN']
    """
    codes = _contract_codes(contracts)
    lo, hi, years = _period(year, start, end, _FIRST_TFF_YEAR, needed=source is None)
    urls = [CFTC_TFF_URL.format(year=y) for y in years]
    # Every contract is parsed (and so checked) before a download is cached; then filtered.
    parse = functools.partial(_parse_tff, codes=CFTC_TREASURY_CODES)
    frames = _frames(source, urls, CACHE_KINDS["cftc_tff"], cache_dir, refresh, timeout, parse)
    frame = pd.concat(frames, ignore_index=True)
    frame = frame[frame["contract"].isin(list(codes))]
    frame = frame.sort_values(["date", "contract"], kind="stable").reset_index(drop=True)
    return _between(frame, lo, hi)


# --------------------------------------------------------------------------------------
# Shipped samples

_SAMPLES = {
    "treasury_par_curve": (
        "daily-treasury-rates-2025-partly-illustrative.csv",
        treasury_par_curve,
        "Treasury's daily par yield curve CSV layout (2025 columns), four dates of April 2025. "
        "The 10 Yr and 30 Yr columns are the published closes (FRED DGS10/DGS30, which are "
        "Treasury's par yields). Every other maturity is ILLUSTRATIVE: the Fed fitted curve's "
        "par yield on that date (shipped gsw_svensson parameters), rounded to two decimals, "
        "not Treasury's published value.",
    ),
    "fed_fitted_curve": (
        "feds200628-sample.csv",
        fed_fitted_curve,
        "The Fed's feds200628 layout for the eight key dates of 1998, 2020 and 2025. BETA0-3 "
        "and TAU1-2 are the published parameters (one vintage of the file, as in the shipped "
        "gsw_svensson dataset). SVENY and SVENPY are recomputed from those parameters by "
        "treasury_rv.curves and rounded to four decimals as the Fed publishes them; they "
        "match the published 10- and 30-year zero yields to the two decimals on record. The "
        "forward-rate columns of the full file are left out.",
    ),
    "sofr": (
        "sofr-illustrative.json",
        sofr_rates,
        "ILLUSTRATIVE values in the NY Fed's JSON layout (refRates with effectiveDate, type, "
        "percentRate, percentiles and volumeInBillions) for the first days of April 2025: the "
        "layout is the NY Fed's, the numbers are not published SOFR fixings.",
    ),
    "cftc_tff": (
        "fut_fin_illustrative.txt",
        cftc_treasury_positions,
        "ILLUSTRATIVE positions in the CFTC Traders in Financial Futures layout (the first "
        "columns of the futures-only report, in the published order) for the six CBOT "
        "Treasury futures on two Tuesdays of April 2025: the layout and the contract codes "
        "are the CFTC's, the position counts are not the published ones.",
    ),
}


def sample_names() -> list[str]:
    """Names of the shipped samples, one per loader.

    Examples
    --------
    >>> sample_names()
    ['cftc_tff', 'fed_fitted_curve', 'sofr', 'treasury_par_curve']
    """
    return sorted(_SAMPLES)


def _sample_entry(name: object) -> tuple:
    if not isinstance(name, str) or name not in _SAMPLES:
        raise ValueError(f"name must be one of the samples {sample_names()}, got {name!r}")
    return _SAMPLES[name]


def sample_path(name: str) -> Path:
    """Path of a shipped sample file, to pass as ``source=`` to its loader.

    Parameters
    ----------
    name : str
        One of :func:`sample_names`.

    Examples
    --------
    >>> sample_path("sofr").suffix
    '.json'
    """
    filename = _sample_entry(name)[0]
    return Path(str(resources.files(__package__).joinpath("samples").joinpath(filename)))


def sample_note(name: str) -> str:
    """Where a shipped sample's numbers come from, and which of them are illustrative.

    Parameters
    ----------
    name : str
        One of :func:`sample_names`.

    Examples
    --------
    >>> "ILLUSTRATIVE" in sample_note("sofr")
    True
    """
    return _sample_entry(name)[2]


def sample(name: str) -> pd.DataFrame:
    """A shipped sample read by its own loader: what the loader returns, without a network.

    The file is read by its own loader, with ``source=sample_path(name)``, so the result is
    what that loader returns; :func:`sample_note` says which values are published and which
    illustrative.

    Parameters
    ----------
    name : str
        One of :func:`sample_names`: "treasury_par_curve", "fed_fitted_curve", "sofr" or
        "cftc_tff".

    Examples
    --------
    >>> sample("cftc_tff").columns[:3].tolist()
    ['date', 'contract', 'cftc_code']
    """
    _, loader, _ = _sample_entry(name)
    return loader(source=sample_path(name))
