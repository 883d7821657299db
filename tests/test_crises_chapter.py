"""The crises chapter prints the library's numbers, glued from the model and the data, never typed.

Two checks. The chapter is executed as the site executes it, and the numbers it glues into its
prose are compared with the same numbers computed here from :mod:`treasury_rv.episodes` (the
dataset, the daily closes and the model). And the chapter's prose, read as text, contains no
figure of the episode dataset written out by hand: every such number reaches the page through
``glue``.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import jupytext
import pytest
from nbclient import NotebookClient

from treasury_rv import episodes, fmt
from treasury_rv._site import STATIC_SITE_ENV
from treasury_rv.charts.crises import written

CHAPTER = Path(__file__).resolve().parents[1] / "chapters" / "crises.md"
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


@pytest.fixture(scope="module")
def glued():
    """Every value the executed chapter glues, by name (as the text the page shows)."""
    notebook = jupytext.read(CHAPTER)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(STATIC_SITE_ENV, "1")
        NotebookClient(
            notebook,
            timeout=300,
            kernel_name="python3",
            resources={"metadata": {"path": str(CHAPTER.parent)}},
        ).execute()
    out = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                out[name] = ast.literal_eval(
                    output["data"]["application/papermill.record/text/plain"]
                )
    return out


def prose() -> str:
    """The chapter's Markdown, without code cells, roles, labels and dates."""
    notebook = jupytext.read(CHAPTER)
    text = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    text = re.sub(r"```\{code-cell\}.*?```", " ", text, flags=re.S)
    text = re.sub(r"\{[\w:-]+\}`[^`]*`", " ", text)  # {glue:text}`x`, {cite:p}`x`, ...
    text = re.sub(r"^:label: .*$|^\(.*\)=$", " ", text, flags=re.M)
    text = re.sub(rf"\b\d{{1,2}} (?:{MONTHS})(?: \d{{4}})?", " ", text)
    text = re.sub(rf"\b(?:{MONTHS}) \d{{4}}", " ", text)
    return re.sub(r"\b(?:19|20)\d{2}\b", " ", text).replace("\\$", "$")


@pytest.mark.notebooks
def test_every_glued_name_in_the_prose_is_glued(glued):
    used = set(re.findall(r"\{glue:text\}`([^`]+)`", CHAPTER.read_text(encoding="utf-8")))
    assert used, "the chapter glues nothing"
    assert used <= set(glued), f"used but never glued: {sorted(used - set(glued))}"


@pytest.mark.notebooks
def test_dataset_figures_printed_are_the_datasets(glued):
    expected = {
        "l_recap": written(episodes.fact("ltcm1998", "recapitalisation"), "usd_bn"),
        "l_lev_start": fmt.times(episodes.fact("ltcm1998", "leverage_start")),
        "l_capital_fall": f"{fmt.number(episodes.fact('ltcm1998', 'capital_fall_end_august'))}%",
        "c_fed_ust": written(episodes.fact("covid2020", "purchases_treasuries_march"), "usd_bn"),
        "c_hf_sales": written(episodes.fact("covid2020", "hf_net_treasury_sales"), "usd_bn"),
        "t_ss_unwound": written(episodes.fact("tariff2025", "swap_spread_unwound"), "usd_bn"),
        "k_boe_total": f"£{fmt.number(episodes.fact('gilt2022', 'purchases'), 1)}bn",
        "k_boe_sold": episodes.fact("gilt2022", "purchases_sold"),
    }
    for name, text in expected.items():
        assert glued[name] == text, (name, glued[name], text)


@pytest.mark.notebooks
def test_yield_moves_printed_are_the_shipped_closes(glued):
    march = episodes.close_change_bp(
        "covid2020", "DGS10", dt.date(2020, 3, 9), dt.date(2020, 3, 18)
    )
    april = episodes.close_change_bp(
        "tariff2025", "DGS30", dt.date(2025, 4, 4), dt.date(2025, 4, 11)
    )
    assert glued["c_10y_change"] == fmt.bp(march)
    assert glued["t_30y_change"] == fmt.bp(april)
    # The rise printed from the closes is the one Vissing-Jorgensen (2021) reports.
    assert glued["c_10y_change"] == glued["c_vj_rise"]


@pytest.mark.notebooks
def test_model_numbers_printed_are_the_models(glued):
    out = episodes.episode_outcomes().set_index(["episode", "scenario"])
    for key, name in (("l", "ltcm1998"), ("c", "covid2020"), ("t", "tariff2025")):
        alone = out.loc[(name, "none")]
        helped = out.loc[(name, "as it happened")]
        assert glued[f"{key}_m_move"] == fmt.bp(alone["yield_move_bp"])
        assert glued[f"{key}_m_move_help"] == fmt.bp(helped["yield_move_bp"])
        assert glued[f"{key}_m_fate"] == ("fails" if alone["defaulted"] else "survives")
        assert glued[f"{key}_m_rounds"] == str(int(alone["rounds"]))
    sales = out.loc[("covid2020", "none"), "forced_sales"]
    assert glued["c_m_sales"] in (fmt.money(sales, 0), fmt.money(sales, 2))
    shock = episodes.calibration("covid2020")["shock_bp"]
    assert glued["c_m_shock"] == fmt.bp(shock)


def test_no_dataset_figure_is_typed_in_the_prose():
    text = prose()
    typed = []
    for name in episodes.EPISODES:
        facts = episodes.episode(name)
        for _, row in facts.iterrows():
            if row["unit"] in ("text", "date", "32nds", "count", "days", "x"):
                continue
            value = float(row["value"])
            if value.is_integer() and abs(value) < 10:
                continue  # single digits are everywhere ("a 2% haircut" in an exercise)
            shown = written(value, row["unit"]).lstrip("$£").replace("\N{MINUS SIGN}", "")
            if re.search(rf"(?<![\d.,]){re.escape(shown)}", text):
                typed.append((name, row["key"], shown))
    assert not typed, f"dataset figures typed in the prose instead of glued: {typed}"


@pytest.mark.notebooks
def test_model_conclusions_printed_are_the_models(glued):
    out = episodes.episode_outcomes().set_index(["episode", "scenario"])
    helped = out.loc[("covid2020", "as it happened")]
    assert glued["c_m_first"] == fmt.money(episodes.first_forced_sale("covid2020"), 0)
    assert glued["c_m_used"] == fmt.money(helped["absorbed"], 0)
    # The share of the 64bp rise (Vissing-Jorgensen 2021) that the model's spread move makes.
    share = out.loc[("covid2020", "none"), "yield_move_bp"] / episodes.fact(
        "covid2020", "yield_10y_rise"
    )
    assert glued["c_m_share"] == fmt.pct(share, 0)
    late = episodes.episode_path("ltcm1998", intervention=3.6e9, delay=1)
    assert glued["l_m_late_sales"] == fmt.money(late["forced_sale"].sum(), 0)
