"""The public-data loaders: parsing, the cache, the offline error, format changes, bad input.

Every test reads small files made in each publisher's layout (``tests/fixtures``; their
numbers are test inputs, not published values) or the shipped samples. No test touches the
network: downloads go to ``file://`` addresses, to a replaced ``urllib.request.urlopen``, or to
a server the test starts on 127.0.0.1 that serves the fixtures and then misbehaves.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.server
import io
import json
import math
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import numpy as np
import pytest

from treasury_rv import data
from treasury_rv._site import STATIC_SITE_ENV
from treasury_rv.curves import SvenssonCurve
from treasury_rv.data import loaders
from treasury_rv.data.loaders import DownloadError, FormatChangedError

D = dt.date
FIXTURES = Path(__file__).parent / "fixtures"
PAR_CURVE = FIXTURES / "daily-treasury-rates-2020.csv"
FED = FIXTURES / "feds200628.csv"
SOFR = FIXTURES / "sofr.json"
TFF = FIXTURES / "FinFut22.txt"


class FakeOpener:
    """Stands in for ``urllib.request.urlopen``: serves bytes per URL and records the calls."""

    def __init__(self, pages: dict[str, bytes] | None = None, error: Exception | None = None):
        self.pages = pages or {}
        self.error = error
        self.calls: list[tuple[str, float]] = []

    def __call__(self, request, timeout=None):
        url = request.full_url if isinstance(request, urllib.request.Request) else request
        self.calls.append((url, timeout))
        if self.error is not None:
            raise self.error
        return io.BytesIO(self.pages[url])


@pytest.fixture(autouse=True)
def reader_session(monkeypatch):
    """Run as a reader's session, not the site build (which refuses every download)."""
    monkeypatch.delenv(STATIC_SITE_ENV, raising=False)


@pytest.fixture(autouse=True)
def waits(monkeypatch):
    """Record the back-off waits between retries instead of sleeping through them."""
    slept: list[float] = []
    monkeypatch.setattr(loaders, "_sleep", slept.append)
    monkeypatch.delenv(loaders.MIRROR_ENV, raising=False)
    monkeypatch.delenv(loaders.DATA_ENV, raising=False)
    return slept


@pytest.fixture
def opener(monkeypatch):
    fake = FakeOpener()
    monkeypatch.setattr(urllib.request, "urlopen", fake)
    return fake


def cached_files(folder: Path) -> list[Path]:
    """The cached downloads in ``folder``, without their provenance sidecars."""
    return [p for p in folder.iterdir() if p.suffix != ".json"]


def renamed(path: Path, old: str, new: str, tmp_path: Path) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text
    out = tmp_path / path.name
    out.write_text(text.replace(old, new), encoding="utf-8")
    return out


# --------------------------------------------------------------------------------------
# Treasury's par yield curve


def test_par_curve_is_long_in_decimals_with_dates_and_maturities():
    curve = data.treasury_par_curve(source=PAR_CURVE)
    assert list(curve.columns) == ["date", "tenor", "years", "par_yield"]
    assert all(type(d) is dt.date for d in curve["date"])
    assert curve["date"].is_monotonic_increasing
    one = curve[(curve["date"] == D(2020, 3, 18)) & (curve["tenor"] == "10 Yr")]
    assert one["par_yield"].item() == pytest.approx(0.0118, abs=1e-12)
    assert one["years"].item() == 10.0
    month = curve[(curve["date"] == D(2020, 3, 18)) & (curve["tenor"] == "1 Mo")]
    assert month["years"].item() == pytest.approx(1 / 12)
    # Within a date the maturities run from the shortest to the longest.
    for _, day in curve.groupby("date"):
        assert day["years"].is_monotonic_increasing


def test_par_curve_drops_blank_cells_instead_of_inventing_zeros():
    curve = data.treasury_par_curve(source=PAR_CURVE)
    counts = curve.groupby("date").size()
    assert counts[D(2020, 3, 18)] == 12
    assert counts[D(2020, 3, 9)] == 11  # the 1 Yr cell is empty in the fixture
    assert not ((curve["date"] == D(2020, 3, 9)) & (curve["tenor"] == "1 Yr")).any()


def test_par_curve_filters_by_year_or_dates_on_a_given_file():
    assert data.treasury_par_curve(2021, source=PAR_CURVE).empty
    window = data.treasury_par_curve(start=D(2020, 3, 10), end=D(2020, 3, 18), source=PAR_CURVE)
    assert sorted(set(window["date"])) == [D(2020, 3, 10), D(2020, 3, 18)]


def test_dates_before_the_first_published_year_only_filter_a_given_file():
    curve = data.treasury_par_curve(start=D(1985, 1, 1), end=D(2020, 3, 9), source=PAR_CURVE)
    assert sorted(set(curve["date"])) == [D(2020, 3, 9)]
    with pytest.raises(ValueError, match="start's year must be between 1990"):
        data.treasury_par_curve(start=D(1985, 1, 1))


def test_par_curve_downloads_each_calendar_year_from_treasury(opener, tmp_path):
    url_2019 = loaders.TREASURY_PAR_CURVE_URL.format(year=2019)
    url_2020 = loaders.TREASURY_PAR_CURVE_URL.format(year=2020)
    header = 'Date,"3 Mo","10 Yr"\n'
    opener.pages = {
        url_2019: (header + "12/31/2019,1.55,1.92\n12/30/2019,1.57,1.90\n").encode(),
        url_2020: PAR_CURVE.read_bytes(),
    }
    curve = data.treasury_par_curve(
        start=D(2019, 12, 31), end=D(2020, 3, 9), cache_dir=tmp_path, timeout=5
    )
    assert [url for url, _ in opener.calls] == [url_2019, url_2020]
    assert all(timeout == 5 for _, timeout in opener.calls)
    assert sorted(set(curve["date"])) == [D(2019, 12, 31), D(2020, 3, 9)]
    assert "year=2020" not in url_2019 and "daily_treasury_yield_curve" in url_2020


def test_an_end_date_in_the_future_asks_only_for_published_years(opener, tmp_path):
    this_year = dt.date.today().year
    url = loaders.TREASURY_PAR_CURVE_URL.format(year=this_year)
    opener.pages = {url: PAR_CURVE.read_bytes()}
    data.treasury_par_curve(
        start=D(this_year, 1, 1), end=D(this_year + 2, 1, 1), cache_dir=tmp_path
    )
    assert [called for called, _ in opener.calls] == [url]


# --------------------------------------------------------------------------------------
# The Fed's fitted curve


def test_fed_curve_finds_the_header_after_the_notes_and_converts_yields():
    fed = data.fed_fitted_curve(source=FED)
    assert fed["date"].tolist() == [D(1975, 1, 2), D(2024, 1, 2), D(2024, 1, 3)]
    row = fed.loc[fed["date"] == D(2024, 1, 2)].iloc[0]
    # Fixture: SVENYnn = 4.5 + 0.02 nn percent; parameters kept as published.
    assert row["SVENY10"] == pytest.approx(0.047, abs=1e-12)
    assert row["SVENPY30"] == pytest.approx(0.051, abs=1e-12)
    assert row["BETA0"] == 4.1 and row["TAU2"] == 11.0
    early = fed.loc[fed["date"] == D(1975, 1, 2)].iloc[0]
    assert math.isnan(early["SVENY08"]) and early["SVENY07"] == pytest.approx(0.0664)


def test_fed_curve_filters_dates():
    fed = data.fed_fitted_curve(D(2024, 1, 3), D(2024, 12, 31), source=FED)
    assert fed["date"].tolist() == [D(2024, 1, 3)]


def test_svensson_parameters_build_curves_and_keep_nelson_siegel_rows():
    params = data.fed_svensson_parameters(data.fed_fitted_curve(source=FED))
    assert list(params.columns) == ["date", "beta0", "beta1", "beta2", "beta3", "tau1", "tau2"]
    early = params.iloc[0]
    assert early["beta3"] == 0 and early["tau2"] == early["tau1"] == 1.5
    for _, row in params.iterrows():
        curve = SvenssonCurve(**row.drop("date"))
        x = 10 / row["tau1"]
        s = (1 - math.exp(-x)) / x
        x2 = 10 / row["tau2"]
        s2 = (1 - math.exp(-x2)) / x2
        expected = (
            row["beta0"]
            + row["beta1"] * s
            + row["beta2"] * (s - math.exp(-x))
            + row["beta3"] * (s2 - math.exp(-x2))
        )
        assert curve.zero_rate(10.0) == pytest.approx(expected / 100, rel=1e-12)


def test_svensson_parameters_drop_rows_with_other_missing_values():
    fed = data.fed_fitted_curve(source=FED)
    fed.loc[fed["date"] == D(2024, 1, 3), "BETA1"] = np.nan
    params = data.fed_svensson_parameters(fed)
    assert params["date"].tolist() == [D(1975, 1, 2), D(2024, 1, 2)]


def test_svensson_parameters_want_the_loaders_frame():
    with pytest.raises(TypeError, match="fitted"):
        data.fed_svensson_parameters([1, 2, 3])
    fed = data.fed_fitted_curve(source=FED).drop(columns="TAU2")
    with pytest.raises(FormatChangedError, match="'TAU2'"):
        data.fed_svensson_parameters(fed)


# --------------------------------------------------------------------------------------
# SOFR


def test_sofr_is_sorted_by_date_in_decimals():
    sofr = data.sofr_rates(source=SOFR)
    assert sofr["date"].tolist() == [D(2024, 1, 2), D(2024, 1, 3)]
    assert sofr["rate"].tolist() == pytest.approx([0.054, 0.0532], abs=1e-12)
    assert sofr["percentile_99"].iloc[0] == pytest.approx(0.0555, abs=1e-12)
    assert sofr["volume_bn"].tolist() == [1800.0, 1900.0]


def test_sofr_fields_left_out_or_null_are_missing_values(tmp_path):
    document = json.loads(SOFR.read_text())
    document["refRates"][0]["volumeInBillions"] = None
    del document["refRates"][0]["percentPercentile1"]
    path = tmp_path / "sofr.json"
    path.write_text(json.dumps(document))
    sofr = data.sofr_rates(source=path)
    assert sofr["volume_bn"].tolist()[0] == 1800.0 and math.isnan(sofr["volume_bn"].iloc[1])
    assert math.isnan(sofr["percentile_1"].iloc[1])
    document["refRates"][0]["percentRate"] = None
    path.write_text(json.dumps(document))
    with pytest.raises(FormatChangedError, match="'percentRate' holds None"):
        data.sofr_rates(source=path)


def test_sofr_download_asks_for_the_dates(opener, tmp_path):
    url = loaders.SOFR_URL.format(start="2024-01-02", end="2024-01-03")
    opener.pages = {url: SOFR.read_bytes()}
    sofr = data.sofr_rates(D(2024, 1, 2), D(2024, 1, 3), cache_dir=tmp_path)
    assert opener.calls[0][0].endswith("search.json?startDate=2024-01-02&endDate=2024-01-03")
    assert len(sofr) == 2


# --------------------------------------------------------------------------------------
# CFTC Traders in Financial Futures


def tff_zip(tmp_path: Path) -> Path:
    path = tmp_path / "fut_fin_txt_2022.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("FinFut22.txt", TFF.read_bytes())
    return path


def test_cftc_rows_are_picked_by_code_across_the_market_name_change(tmp_path):
    for source in (TFF, tff_zip(tmp_path)):
        tff = data.cftc_treasury_positions(source=source, contracts=["ZN"])
        assert tff["date"].tolist() == [D(2022, 2, 1), D(2022, 2, 15)]
        assert tff["market"].tolist() == [
            "10-YEAR U.S. TREASURY NOTES - CHICAGO BOARD OF TRADE",
            "UST 10Y NOTE - CHICAGO BOARD OF TRADE",
        ]
        assert tff["lev_money_short"].tolist() == [1200000, 1250000]
        assert tff["lev_money_net"].tolist() == [350000 - 1200000, 360000 - 1250000]
        assert tff["lev_money_long"].dtype == np.int64


def test_cftc_leaves_out_other_markets():
    tff = data.cftc_treasury_positions(source=TFF)
    assert sorted(set(tff["contract"])) == ["ZN", "ZT"]
    assert set(tff["cftc_code"]) == {"043602", "042601"}


def test_cftc_download_is_the_yearly_zip(opener, tmp_path):
    url = loaders.CFTC_TFF_URL.format(year=2022)
    opener.pages = {url: tff_zip(tmp_path).read_bytes()}
    tff = data.cftc_treasury_positions(2022, cache_dir=tmp_path / "cache", contracts="ZT")
    assert opener.calls[0][0] == "https://www.cftc.gov/files/dea/history/fut_fin_txt_2022.zip"
    assert tff["open_interest"].tolist() == [2100000]


def test_cftc_zip_with_no_report_is_a_format_change(tmp_path):
    path = tmp_path / "empty.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.pdf", b"%PDF")
    with pytest.raises(FormatChangedError, match="one .txt report"):
        data.cftc_treasury_positions(source=path)


# --------------------------------------------------------------------------------------
# The cache


def test_second_call_reads_the_cache_and_refresh_downloads_again(tmp_path):
    original = tmp_path / "published.json"
    original.write_bytes(SOFR.read_bytes())
    url = original.as_uri()
    cache = tmp_path / "cache"
    first = data.sofr_rates(source=url, cache_dir=cache)
    assert len(cached_files(cache)) == 1
    changed = json.loads(SOFR.read_text())
    changed["refRates"][0]["percentRate"] = 5.00
    original.write_text(json.dumps(changed))
    cached = data.sofr_rates(source=url, cache_dir=cache)
    assert cached.equals(first)
    fresh = data.sofr_rates(source=url, cache_dir=cache, refresh=True)
    assert fresh["rate"].iloc[-1] == pytest.approx(0.05)
    assert data.sofr_rates(source=url, cache_dir=cache)["rate"].iloc[-1] == pytest.approx(0.05)


def test_cached_copy_is_used_when_offline(opener, tmp_path):
    url = loaders.FED_FITTED_CURVE_URL
    opener.pages = {url: FED.read_bytes()}
    first = data.fed_fitted_curve(cache_dir=tmp_path)
    opener.error = urllib.error.URLError("[Errno -3] Temporary failure in name resolution")
    again = data.fed_fitted_curve(cache_dir=tmp_path)
    assert len(opener.calls) == 1
    assert again.equals(first)
    with pytest.raises(DownloadError):
        data.fed_fitted_curve(cache_dir=tmp_path, refresh=True)


def test_cache_folder_defaults_to_the_environment_variable(opener, tmp_path, monkeypatch):
    monkeypatch.setenv("TREASURY_RV_CACHE", str(tmp_path / "env-cache"))
    assert data.default_cache_dir() == tmp_path / "env-cache"
    opener.pages = {loaders.FED_FITTED_CURVE_URL: FED.read_bytes()}
    data.fed_fitted_curve()
    assert len(cached_files(tmp_path / "env-cache")) == 1


def test_cache_folder_without_the_variable_is_the_users(monkeypatch, tmp_path):
    monkeypatch.delenv("TREASURY_RV_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(loaders.sys, "platform", "linux")
    assert data.default_cache_dir() == tmp_path / "treasury_rv"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert data.default_cache_dir() == Path.home() / ".cache" / "treasury_rv"
    monkeypatch.setattr(loaders.sys, "platform", "darwin")
    assert data.default_cache_dir() == Path.home() / "Library" / "Caches" / "treasury_rv"
    monkeypatch.setattr(loaders.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
    assert data.default_cache_dir() == tmp_path / "treasury_rv" / "Cache"


def test_a_local_file_is_read_directly_and_not_cached(tmp_path):
    cache = tmp_path / "cache"
    data.sofr_rates(source=str(SOFR), cache_dir=cache)
    assert not cache.exists()


# --------------------------------------------------------------------------------------
# Offline and refused downloads


def test_offline_raises_a_download_error_naming_the_address(opener, tmp_path):
    cause = urllib.error.URLError("[Errno -3] Temporary failure in name resolution")
    opener.error = cause
    with pytest.raises(DownloadError) as info:
        data.treasury_par_curve(2020, cache_dir=tmp_path, timeout=2)
    message = str(info.value)
    assert loaders.TREASURY_PAR_CURVE_URL.format(year=2020) in message
    assert "offline" in message and "source=" in message and "name resolution" in message
    assert info.value.__cause__ is cause
    assert opener.calls[0][1] == 2
    assert not list(tmp_path.iterdir())  # nothing half-written in the cache


def test_timeout_is_a_download_error(opener, tmp_path):
    opener.error = TimeoutError("timed out")
    with pytest.raises(DownloadError, match="within 30 s"):
        data.sofr_rates(D(2024, 1, 2), D(2024, 1, 3), cache_dir=tmp_path)
    assert len(opener.calls) == 1 + loaders.RETRIES


def test_http_error_is_a_download_error_with_the_status(opener, tmp_path):
    url = loaders.CFTC_TFF_URL.format(year=2022)
    opener.error = urllib.error.HTTPError(url, 404, "Not Found", {}, None)
    with pytest.raises(DownloadError, match="HTTP 404"):
        data.cftc_treasury_positions(2022, cache_dir=tmp_path)


def test_the_book_build_never_downloads_nor_reads_the_cache(opener, tmp_path, monkeypatch):
    url = loaders.FED_FITTED_CURVE_URL
    opener.pages = {url: FED.read_bytes()}
    data.fed_fitted_curve(cache_dir=tmp_path)  # a reader's cached copy
    monkeypatch.setenv(STATIC_SITE_ENV, "1")
    with pytest.raises(DownloadError, match="the book's build never reads the network"):
        data.fed_fitted_curve(cache_dir=tmp_path)
    with pytest.raises(DownloadError, match="sample"):
        data.sofr_rates(source=SOFR.as_uri(), cache_dir=tmp_path)
    assert len(opener.calls) == 1
    assert len(data.sample("fed_fitted_curve")) == 8  # samples and local files still read
    assert len(data.sofr_rates(source=SOFR)) == 2


# --------------------------------------------------------------------------------------
# Format changes


@pytest.mark.parametrize(
    ("loader", "path", "old", "new", "named"),
    [
        (data.treasury_par_curve, PAR_CURVE, '"10 Yr"', '"10 Year"', "10 Yr"),
        (data.treasury_par_curve, PAR_CURVE, "Date,", "As Of Date,", "Date"),
        (data.fed_fitted_curve, FED, ",SVENY10,", ",SVENY_10,", "SVENY10"),
        (data.fed_fitted_curve, FED, ",TAU1,", ",TAU_1,", "TAU1"),
        (data.sofr_rates, SOFR, '"percentRate"', '"rate"', "percentRate"),
        (data.sofr_rates, SOFR, '"effectiveDate"', '"date"', "effectiveDate"),
        (data.sofr_rates, SOFR, '"refRates"', '"rates"', "refRates"),
        (
            data.cftc_treasury_positions,
            TFF,
            "Lev_Money_Positions_Short_All",
            "Lev_Money_Short_All",
            "Lev_Money_Positions_Short_All",
        ),
        (
            data.cftc_treasury_positions,
            TFF,
            "CFTC_Contract_Market_Code",
            "Contract_Code",
            "CFTC_Contract_Market_Code",
        ),
    ],
)
def test_a_renamed_column_is_named_in_the_error(loader, path, old, new, named, tmp_path):
    with pytest.raises(FormatChangedError, match=f"'{named}'"):
        loader(source=renamed(path, old, new, tmp_path))


def test_an_unknown_maturity_column_is_named(tmp_path):
    path = renamed(PAR_CURVE, '"20 Yr"', '"20 Years"', tmp_path)
    with pytest.raises(FormatChangedError, match="'20 Years'"):
        data.treasury_par_curve(source=path)


@pytest.mark.parametrize(
    ("loader", "path", "old", "new", "named"),
    [
        (data.treasury_par_curve, PAR_CURVE, "03/18/2020", "2020-03-18", "Date"),
        (data.treasury_par_curve, PAR_CURVE, ",1.77", ",1.77%", "30 Yr"),
        (data.fed_fitted_curve, FED, "2024-01-02", "01/02/2024", "Date"),
        (data.sofr_rates, SOFR, "5.32", '"5.32"', "percentRate"),
        (data.cftc_treasury_positions, TFF, "2022-02-15", "02/15/2022", "Report_Date"),
        (data.cftc_treasury_positions, TFF, ",1250000,", ",n/a,", "Lev_Money_Positions_Short"),
        (data.cftc_treasury_positions, TFF, ",1250000,", ",,", "Lev_Money_Positions_Short"),
        (data.cftc_treasury_positions, TFF, ",1250000,", ",nan,", "Lev_Money_Positions_Short"),
    ],
)
def test_unreadable_cells_are_format_changes_naming_the_column(
    loader, path, old, new, named, tmp_path
):
    with pytest.raises(FormatChangedError, match=named):
        loader(source=renamed(path, old, new, tmp_path))


def test_a_page_instead_of_the_data_is_a_format_change(tmp_path):
    page = tmp_path / "moved.html"
    page.write_text("<html><body>This page has moved</body></html>\n")
    for loader in (data.treasury_par_curve, data.fed_fitted_curve, data.sofr_rates):
        with pytest.raises(FormatChangedError):
            loader(source=page)
    with pytest.raises(FormatChangedError):
        data.cftc_treasury_positions(source=page)


# --------------------------------------------------------------------------------------
# Bad arguments


@pytest.mark.parametrize(
    ("call", "error", "named"),
    [
        (lambda: data.treasury_par_curve("2020"), TypeError, "year"),
        (lambda: data.treasury_par_curve(True), TypeError, "year"),
        (lambda: data.treasury_par_curve(1985), ValueError, "year"),
        (lambda: data.treasury_par_curve(2020, start=D(2020, 1, 1)), ValueError, "either year"),
        (lambda: data.treasury_par_curve(), ValueError, "year or start"),
        (lambda: data.treasury_par_curve(start="2020-01-01"), TypeError, "start"),
        (
            lambda: data.treasury_par_curve(start=D(2020, 3, 1), end=D(2020, 1, 1)),
            ValueError,
            "end",
        ),
        (lambda: data.fed_fitted_curve(D(2024, 2, 1), D(2024, 1, 1)), ValueError, "end"),
        (lambda: data.sofr_rates(D(2024, 1, 2)), ValueError, "start and end"),
        (lambda: data.cftc_treasury_positions(2022, contracts=["TY"]), ValueError, "contracts"),
        (lambda: data.cftc_treasury_positions(2022, contracts=[]), ValueError, "contracts"),
        (lambda: data.cftc_treasury_positions(2022, contracts=5), TypeError, "contracts"),
        (lambda: data.cftc_treasury_positions(2001), ValueError, "year"),
        (lambda: data.sofr_rates(source=SOFR, timeout=0), ValueError, "timeout"),
        (lambda: data.sofr_rates(source=SOFR, refresh="yes"), TypeError, "refresh"),
        (lambda: data.sofr_rates(source=SOFR, cache_dir=5), TypeError, "cache_dir"),
        (lambda: data.sofr_rates(source=FIXTURES / "missing.json"), ValueError, "source"),
        (lambda: data.sofr_rates(source=42), TypeError, "source"),
        (lambda: data.sample("nope"), ValueError, "name"),
        (lambda: data.sample_note(3), ValueError, "name"),
    ],
)
def test_bad_arguments_are_named(call, error, named, opener):
    opener.error = AssertionError("bad arguments must be refused before any download")
    with pytest.raises(error, match=named):
        call()
    assert not opener.calls


# --------------------------------------------------------------------------------------
# The shipped samples

# FRED DGS10 / DGS30 closes (Treasury's 10- and 30-year par yields), percent; as in the
# project's facts sheet (FACTS.md section 4).
PUBLISHED_PAR = {
    D(2025, 4, 2): (4.20, 4.54),
    D(2025, 4, 4): (4.01, 4.41),
    D(2025, 4, 9): (4.34, 4.72),
    D(2025, 4, 11): (4.48, 4.85),
}
# Fed feds200628 published zero-coupon yields SVENY10 / SVENY30, percent (FACTS.md section 4).
PUBLISHED_ZEROS = {
    D(1998, 8, 31): (5.18, 5.40),
    D(1998, 10, 5): (4.46, 5.03),
    D(2020, 3, 9): (0.62, 1.25),
    D(2020, 3, 18): (1.30, 2.10),
    D(2025, 4, 2): (4.23, 4.72),
    D(2025, 4, 9): (4.41, 4.90),
}


def test_every_loader_has_a_sample_it_reads():
    assert data.sample_names() == ["cftc_tff", "fed_fitted_curve", "sofr", "treasury_par_curve"]
    for name in data.sample_names():
        frame = data.sample(name)
        assert len(frame) > 0
        assert all(type(d) is dt.date for d in frame["date"])
        assert data.sample_path(name).is_file()


def test_samples_say_what_is_illustrative_in_the_note_and_the_file():
    for name in ("sofr", "cftc_tff"):
        assert "ILLUSTRATIVE" in data.sample_note(name)
        assert "illustrative" in data.sample_path(name).name
    assert "illustrative" in data.sample_path("treasury_par_curve").name
    assert "ILLUSTRATIVE" in data.sample_note("treasury_par_curve")
    assert "illustrative" in json.loads(data.sample_path("sofr").read_text())["note"].lower()
    assert "recomputed" in data.sample_path("fed_fitted_curve").read_text().lower()


def test_par_curve_sample_carries_the_published_10_and_30_year_yields():
    curve = data.sample("treasury_par_curve")
    assert sorted(set(curve["date"])) == sorted(PUBLISHED_PAR)
    for day, (ten, thirty) in PUBLISHED_PAR.items():
        on = curve[curve["date"] == day].set_index("tenor")["par_yield"]
        assert on["10 Yr"] == pytest.approx(ten / 100, abs=1e-12)
        assert on["30 Yr"] == pytest.approx(thirty / 100, abs=1e-12)


def test_par_curve_sample_other_maturities_are_the_fitted_curves_par_yields():
    # What sample_note says: the illustrative maturities are the Fed curve's par yields.
    shipped = data.shipped("gsw_svensson").set_index("date")
    curve = data.sample("treasury_par_curve")
    others = curve[~curve["tenor"].isin(["10 Yr", "30 Yr"])]
    for _, row in others.iterrows():
        params = shipped.loc[row["date"], ["beta0", "beta1", "beta2", "beta3", "tau1", "tau2"]]
        fitted = SvenssonCurve(*params.astype(float)).par_yield(row["years"])
        assert row["par_yield"] == pytest.approx(round(100 * fitted, 2) / 100, abs=1e-12)


def test_fed_sample_parameters_are_the_shipped_published_ones():
    params = data.fed_svensson_parameters(data.sample("fed_fitted_curve"))
    shipped = data.shipped("gsw_svensson").drop(columns="source")
    assert params["date"].tolist() == shipped["date"].tolist()
    for column in ("beta0", "beta1", "beta2", "beta3", "tau1", "tau2"):
        assert params[column].tolist() == shipped[column].tolist()


def test_fed_sample_yields_match_the_published_zeros_and_its_parameters():
    fed = data.sample("fed_fitted_curve").set_index("date")
    for day, (ten, thirty) in PUBLISHED_ZEROS.items():
        assert 100 * fed.loc[day, "SVENY10"] == pytest.approx(ten, abs=0.005 + 1e-9)
        assert 100 * fed.loc[day, "SVENY30"] == pytest.approx(thirty, abs=0.005 + 1e-9)
    params = data.fed_svensson_parameters(fed.reset_index())
    for _, row in params.iterrows():
        curve = SvenssonCurve(**row.drop("date"))
        years = np.arange(1, 31, dtype=float)
        zeros = fed.loc[row["date"], [f"SVENY{m:02d}" for m in range(1, 31)]].to_numpy(float)
        pars = fed.loc[row["date"], [f"SVENPY{m:02d}" for m in range(1, 31)]].to_numpy(float)
        # Rounded to four decimals in percent: within half a unit of the last decimal.
        assert np.max(np.abs(zeros - curve.zero_rate(years))) <= 0.5e-6 + 1e-12
        assert np.max(np.abs(pars - curve.par_yield(years))) <= 0.5e-6 + 1e-12


def test_cftc_sample_has_the_six_treasury_contracts_and_leaves_out_the_rest():
    tff = data.sample("cftc_tff")
    assert sorted(set(tff["contract"])) == sorted(data.CFTC_TREASURY_CODES)
    assert tff.groupby("date").size().tolist() == [6, 6]
    assert "13874A" in data.sample_path("cftc_tff").read_text()  # a non-Treasury market


# --------------------------------------------------------------------------------------
# Against a server on 127.0.0.1: the fixtures served, then the faults


class PublisherServer:
    """A local HTTP server standing in for the publishers (``$TREASURY_RV_MIRROR``).

    ``routes`` maps a path with its query (as the loaders ask for it) to a list of answers,
    used in turn (the last one repeats): ``("ok", body)``, ``(status, body)`` for an HTTP
    error, ``("truncate", body)`` (announces the full length, sends half, closes),
    ``("stall", (body, seconds))`` (sends half, then nothing for that long) or
    ``("hang", seconds)`` (answers nothing for that long). ``most_at_once`` is the largest
    number of requests it was answering at the same time.
    """

    def __init__(self):
        self.routes: dict[str, list[tuple[object, object]]] = {}
        self.requests: list[str] = []
        self.most_at_once = 0
        self._active = 0
        self._lock = threading.Lock()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format, *args):  # noqa: A002 - the base class's signature
                pass

            def do_GET(self):
                with owner._lock:
                    owner.requests.append(self.path)
                    owner._active += 1
                    owner.most_at_once = max(owner.most_at_once, owner._active)
                try:
                    self.answer()
                finally:
                    with owner._lock:
                        owner._active -= 1

            def answer(self):
                answers = owner.routes.get(self.path, [(404, b"not here")])
                kind, body = answers.pop(0) if len(answers) > 1 else answers[0]
                if kind == "hang":
                    time.sleep(body)
                    return
                pause = 0.0
                if kind == "stall":
                    body, pause = body
                status = 200 if kind in ("ok", "truncate", "stall") else int(kind)
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if kind in ("truncate", "stall"):
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    time.sleep(pause)
                    self.close_connection = True
                    return
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def serve(self, url: str, *answers: tuple[object, object]) -> str:
        """Answer the publisher's ``url`` (its path and query) with ``answers``, in turn."""
        parts = urllib.parse.urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        self.routes[path] = list(answers)
        return self.base + path

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def publisher(monkeypatch):
    server = PublisherServer()
    monkeypatch.setenv(loaders.MIRROR_ENV, server.base)
    yield server
    server.stop()


ERROR_PAGE = b"<!DOCTYPE html><html><body><h1>Service unavailable</h1></body></html>\n"
FED_URL = loaders.FED_FITTED_CURVE_URL


def cached_fed(cache: Path) -> Path:
    return loaders.cached_file(FED_URL, loaders.CACHE_KINDS["fed_fitted_curve"], cache)


def test_a_download_is_cached_with_its_provenance(publisher, tmp_path):
    mirrored = publisher.serve(FED_URL, ("ok", FED.read_bytes()))
    fed = data.fed_fitted_curve(cache_dir=tmp_path)
    assert len(fed) == len(data.fed_fitted_curve(source=FED))
    path = cached_fed(tmp_path)
    assert path.read_bytes() == FED.read_bytes()
    record = data.provenance(path)
    assert record["url"] == FED_URL and record["fetched_from"] == mirrored
    assert record["bytes"] == len(FED.read_bytes())
    assert record["sha256"] == hashlib.sha256(FED.read_bytes()).hexdigest()
    fetched = dt.datetime.fromisoformat(record["fetched_at"])
    assert abs(dt.datetime.now(dt.UTC) - fetched) < dt.timedelta(minutes=5)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_an_error_page_served_as_a_success_is_never_cached(publisher, tmp_path):
    mirrored = publisher.serve(FED_URL, ("ok", ERROR_PAGE))
    with pytest.raises(FormatChangedError) as info:
        data.fed_fitted_curve(cache_dir=tmp_path)
    assert mirrored in str(info.value) and "Nothing was written" in str(info.value)
    assert not tmp_path.exists() or not list(tmp_path.iterdir())


def test_a_failed_refresh_keeps_the_good_copy_and_says_so(publisher, tmp_path):
    publisher.serve(
        FED_URL,
        ("ok", FED.read_bytes()),
        ("ok", ERROR_PAGE),
        ("ok", FED.read_bytes().replace(b",SVENY10,", b",SVENY_10,")),
        (404, b"gone"),
    )
    good = data.fed_fitted_curve(cache_dir=tmp_path)
    record = data.provenance(cached_fed(tmp_path))
    for expected in (FormatChangedError, FormatChangedError, DownloadError):
        with pytest.raises(expected, match="previous copy .* is kept") as info:
            data.fed_fitted_curve(cache_dir=tmp_path, refresh=True)
        assert record["fetched_at"] in str(info.value)
        assert cached_fed(tmp_path).read_bytes() == FED.read_bytes()
        assert data.provenance(cached_fed(tmp_path)) == record
        assert data.fed_fitted_curve(cache_dir=tmp_path).equals(good)


def test_a_renamed_column_on_refresh_is_named_and_the_copy_kept(publisher, tmp_path):
    renamed_fed = FED.read_bytes().replace(b",SVENY10,", b",SVENY_10,")
    publisher.serve(FED_URL, ("ok", FED.read_bytes()), ("ok", renamed_fed))
    data.fed_fitted_curve(cache_dir=tmp_path)
    with pytest.raises(FormatChangedError, match="'SVENY10'"):
        data.fed_fitted_curve(cache_dir=tmp_path, refresh=True)
    assert cached_fed(tmp_path).read_bytes() == FED.read_bytes()


def test_a_server_error_is_retried_with_backoff(publisher, tmp_path, waits):
    publisher.serve(FED_URL, (500, b"busy"), (503, b"busy"), ("ok", FED.read_bytes()))
    data.fed_fitted_curve(cache_dir=tmp_path)
    assert len(publisher.requests) == 3
    assert waits == [loaders.RETRY_BACKOFF, 2 * loaders.RETRY_BACKOFF]


def test_a_server_error_that_lasts_gives_up_after_the_retries(publisher, tmp_path, waits):
    mirrored = publisher.serve(FED_URL, (500, b"busy"))
    with pytest.raises(DownloadError) as info:
        data.fed_fitted_curve(cache_dir=tmp_path)
    message = str(info.value)
    assert mirrored in message and "HTTP 500" in message and "try again later" in message
    assert len(publisher.requests) == 1 + loaders.RETRIES
    assert waits == [loaders.RETRY_BACKOFF * 2**i for i in range(loaders.RETRIES)]
    assert not tmp_path.exists() or not list(tmp_path.iterdir())


def test_a_client_error_is_never_retried(publisher, tmp_path, waits):
    mirrored = publisher.serve(FED_URL, (404, b"no such file"))
    with pytest.raises(DownloadError, match="HTTP 404") as info:
        data.fed_fitted_curve(cache_dir=tmp_path)
    assert mirrored in str(info.value) and "moved" in str(info.value)
    assert len(publisher.requests) == 1 and waits == []


def test_a_truncated_body_is_retried_then_refused(publisher, tmp_path, waits):
    publisher.serve(FED_URL, ("truncate", FED.read_bytes()))
    with pytest.raises(DownloadError, match="cut short"):
        data.fed_fitted_curve(cache_dir=tmp_path)
    assert len(publisher.requests) == 1 + loaders.RETRIES
    assert not tmp_path.exists() or not list(tmp_path.iterdir())


def test_no_answer_within_the_timeout_is_retried_then_refused(publisher, tmp_path, monkeypatch):
    monkeypatch.setattr(loaders, "RETRIES", 1)
    mirrored = publisher.serve(FED_URL, ("hang", 1.5))
    with pytest.raises(DownloadError, match="no answer within 0.2 s, 2 times") as info:
        data.fed_fitted_curve(cache_dir=tmp_path, timeout=0.2)
    assert mirrored in str(info.value)
    assert len(publisher.requests) == 2


def test_the_build_reads_the_cache_only_when_asked(publisher, tmp_path, monkeypatch):
    publisher.serve(FED_URL, ("ok", FED.read_bytes()))
    fetched = data.fed_fitted_curve(cache_dir=tmp_path)
    monkeypatch.setenv(STATIC_SITE_ENV, "1")
    with pytest.raises(DownloadError, match="never reads the network"):
        data.fed_fitted_curve(cache_dir=tmp_path)
    monkeypatch.setenv(loaders.DATA_ENV, "cache")
    assert data.fed_fitted_curve(cache_dir=tmp_path, refresh=True).equals(fetched)
    assert len(publisher.requests) == 1
    with pytest.raises(DownloadError, match="run `python -m treasury_rv.data fetch`"):
        data.sofr_rates(D(2024, 1, 2), D(2024, 1, 3), cache_dir=tmp_path)
    assert len(publisher.requests) == 1
