"""``python -m treasury_rv.data fetch`` against a server the test starts on 127.0.0.1.

The server holds copies of the test fixtures at each publisher's path (the fixtures' numbers
are test inputs, not published values); ``--mirror`` points the command at it.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from test_loaders import FED, PAR_CURVE, SOFR, TFF, PublisherServer

from treasury_rv import data
from treasury_rv._site import STATIC_SITE_ENV
from treasury_rv.data import fetch, loaders

TODAY = dt.date.today()
SINCE = dt.date(2024, 1, 1)  # the Fed and SOFR fixtures hold dates of January 2024
YEARS = list(range(SINCE.year, TODAY.year + 1))
ROOT = Path(__file__).resolve().parents[1]


def par_curve_of(year: int) -> bytes:
    return PAR_CURVE.read_bytes().replace(b"/2020", f"/{year}".encode())


def tff_zip_of(year: int) -> bytes:
    report = TFF.read_bytes().replace(b",2022-", f",{year}-".encode())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"FinFutYY{year % 100:02d}.txt", report)
    return buffer.getvalue()


def serve_every_source(server: PublisherServer) -> dict[str, bytes]:
    """Serve each file ``fetch --since SINCE`` asks for; return the bytes of each address."""
    files = {}
    for year in YEARS:
        files[loaders.TREASURY_PAR_CURVE_URL.format(year=year)] = par_curve_of(year)
        files[loaders.CFTC_TFF_URL.format(year=year)] = tff_zip_of(year)
    files[loaders.FED_FITTED_CURVE_URL] = FED.read_bytes()
    files[loaders.SOFR_URL.format(start=SINCE, end=TODAY)] = SOFR.read_bytes()
    for url, payload in files.items():
        server.serve(url, ("ok", payload))
    return files


@pytest.fixture(autouse=True)
def reader_session(monkeypatch):
    monkeypatch.delenv(STATIC_SITE_ENV, raising=False)
    monkeypatch.delenv(loaders.MIRROR_ENV, raising=False)
    monkeypatch.delenv(loaders.DATA_ENV, raising=False)
    monkeypatch.setattr(loaders, "_sleep", lambda seconds: None)


@pytest.fixture
def server():
    publisher = PublisherServer()
    yield publisher
    publisher.stop()


def run(server: PublisherServer, cache: Path, *extra: str) -> int:
    argv = ["fetch", "--since", SINCE.isoformat(), "--cache-dir", str(cache)]
    return fetch.main([*argv, "--mirror", server.base, *extra])


def expected_dates(source: str, folder: Path) -> list[dt.date]:
    """The dates the loaders read from the served files themselves, from SINCE on."""
    if source in ("treasury", "cftc"):
        make, loader = {
            "treasury": (par_curve_of, data.treasury_par_curve),
            "cftc": (tff_zip_of, data.cftc_treasury_positions),
        }[source]
        frames = []
        for year in YEARS:
            path = folder / f"{source}-{year}"
            path.write_bytes(make(year))
            frames.append(loader(source=path))
    elif source == "fed":
        frames = [data.fed_fitted_curve(source=FED)]
    else:
        frames = [data.sofr_rates(source=SOFR)]
    return [d for frame in frames for d in frame["date"] if d >= SINCE]


def test_fetch_downloads_each_source_one_request_at_a_time_and_sums_up(server, tmp_path, capsys):
    files = serve_every_source(server)
    cache = tmp_path / "cache"
    assert run(server, cache) == 0
    out, err = capsys.readouterr()
    lines = out.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == list(fetch.SOURCES)
    assert server.most_at_once == 1
    assert len(server.requests) == len(files)
    for line, source in zip(lines, fetch.SOURCES, strict=True):
        dates = expected_dates(source, tmp_path)
        assert f"{len(dates):,} rows" in line
        assert f"{min(dates)} to {max(dates)}" in line
        assert str(cache) in line
        assert re.search(rf"{source:>8}: 100%.*\|", err), f"no finished progress bar: {source}"
    # Every cached file is the served one, with its provenance beside it.
    for url, payload in files.items():
        (path,) = [
            loaders.cached_file(url, kind, cache)
            for kind in loaders.CACHE_KINDS.values()
            if loaders.cached_file(url, kind, cache).is_file()
        ]
        assert path.read_bytes() == payload
        assert data.provenance(path)["url"] == url
    printed = sum(int(n.replace(",", "")) for n in re.findall(r"([\d,]+) bytes", out))
    assert printed == sum(len(p) for p in files.values())


def test_a_second_fetch_reads_the_cache_and_refresh_downloads_again(server, tmp_path, capsys):
    files = serve_every_source(server)
    cache = tmp_path / "cache"
    assert run(server, cache) == 0
    asked = len(server.requests)
    assert run(server, cache) == 0
    assert len(server.requests) == asked  # everything was fetched today
    assert "(0 downloaded)" in capsys.readouterr().out
    assert run(server, cache, "--refresh", "--only", "fed", "--only", "sofr") == 0
    assert len(server.requests) == asked + 2
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["fed", "sofr"]
    assert len(files) == asked


def test_offline_each_source_says_so_in_one_line_and_the_exit_status_is_one(tmp_path, capsys):
    closed = PublisherServer()
    closed.stop()  # nothing listens at its address any more
    cache = tmp_path / "cache"
    assert run(closed, cache, "--timeout", "2") == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == list(fetch.SOURCES)
    for line in lines:
        assert closed.base in line and "offline" in line and "Nothing was written" in line
    assert not cache.exists() or not list(cache.iterdir())


def test_a_bad_file_stops_its_source_only(server, tmp_path, capsys):
    serve_every_source(server)
    broken = server.serve(loaders.CFTC_TFF_URL.format(year=SINCE.year), ("ok", b"<html></html>"))
    assert run(server, tmp_path / "cache") == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == list(fetch.SOURCES)
    assert broken in lines[-1] and "Nothing was written" in lines[-1]
    assert all("rows" in line for line in lines[:-1])


def test_since_must_be_a_year_or_a_date(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        fetch.main(["fetch", "--since", "last year", "--cache-dir", str(tmp_path)])
    assert info.value.code == 2
    assert "--since must be a year" in capsys.readouterr().err
    with pytest.raises(ValueError, match="only"):
        fetch.fetch(["ecb"], cache_dir=tmp_path)
    with pytest.raises(ValueError, match="since"):
        fetch.planned_files("fed", TODAY + dt.timedelta(days=1), TODAY)


def test_stopped_mid_download_nothing_is_half_written(server, tmp_path):
    server.serve(loaders.FED_FITTED_CURVE_URL, ("stall", (FED.read_bytes() * 50, 30)))
    cache = tmp_path / "cache"
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "lib")}
    environment.pop(STATIC_SITE_ENV, None)
    command = [sys.executable, "-m", "treasury_rv.data", "fetch", "--only", "fed"]
    command += ["--cache-dir", str(cache), "--mirror", server.base]
    process = subprocess.Popen(
        command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 30
        while not server.requests and time.monotonic() < deadline:
            time.sleep(0.1)
        assert server.requests, "the command never asked the server"
        time.sleep(0.5)  # half the file has been sent; the rest never comes
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode != 0
    assert not cache.exists() or not list(cache.iterdir())
