"""The report's tables, one section at a time, on the results made by hand in conftest.py.

Each test works out its expected numbers by hand in comments, from HAND_RUNS (three
rows a run: D1 2021-01-03, D2 2021-12-26, D3 2022-12-25) and the summary, years,
composition and by_wijk rows of ``hand_results``.
"""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest

from sim.report import certainty, costs, findings, limits, reach, run, who
from sim.report.page import build_page
from sim.timeline import WEEKS_PER_YEAR as WPY
from sim.wijken import OBSERVED_2022_01_01


# --- 1. when 250 ------------------------------------------------------------------------------
def test_reach_table_and_sentences(hand_results):
    table = reach.reach_table(hand_results)
    # baseline: 60% reach 250 by the end of 2022 (the last year's reached_250_by_year);
    # the year reached is 2022.5 in the median run (2022), 2021.2 at 5% (2021), never at 95%.
    assert table.loc["baseline", "share"] == pytest.approx(0.6)
    assert (table.loc["baseline", "median"], table.loc["baseline", "low"]) == (2022, 2021)
    assert pd.isna(table.loc["baseline", "high"])
    # faster: 2022.1, 2022.3 and 2022.9 are all in 2022.
    assert list(table.loc["faster", ["median", "low", "high"]]) == [2022, 2022, 2022]
    words = reach.WORDS["en"]
    assert reach.reach_sentence(table.loc["baseline"], words, "2022-12-25", "en") == (
        "250 jobs reached in 2022 (median); 60% of runs reach it by 2022-12-25"
    )
    assert reach.reach_sentence(table.loc["faster"], words, "2022-12-25", "en") == (
        "250 jobs reached in 2022 in at least 90% of runs"
    )


def test_p250_and_headline_tables(hand_results):
    p250 = reach.p250_table(hand_results)
    # The summary's reached_250_by_year, baseline first, by year.
    assert p250.to_dict("list") == {
        "scenario": ["baseline", "baseline", "faster", "faster"],
        "year": [2021, 2022, 2021, 2022],
        "probability": [0.25, 0.6, 0.0, 1.0],
    }
    headline = reach.headline_table(hand_results)
    assert headline.columns == [("baseline", 0), ("faster", 0)]
    assert (headline.samples, headline.years, headline.last_year) == (1, [2022], 2022)
    cells = headline.cells
    assert cells.loc[("baseline", 0, "employed_jan1", 2022), "q05"] == 20.5
    assert cells.loc[("faster", 0, "year_250_reached", -1), "q50"] == 2022.3
    # Only the last year's share of runs reaching 250 is in the table.
    assert cells.loc[("baseline", 0, "reached_250_by_year", 2022), "mean"] == 0.6
    assert ("baseline", 0, "reached_250_by_year", 2021) not in cells.index
    assert reach.forecast_table(hand_results).empty  # no forecast.csv


# --- 2. what limits growth --------------------------------------------------------------------
def test_funnel_table_is_the_median_of_the_last_week(hand_results):
    funnel = limits.funnel_table(hand_results)
    # baseline at D3: spoken 80 and 100 -> 90; started 40 and 60 -> 50; employed 30, 50 -> 40.
    assert funnel.loc["baseline", ["spoken_cum", "started_cum", "employed"]].tolist() == [
        90,
        50,
        40,
    ]
    # faster: employed 240 and 250 -> 245; eligible 400 and 400.
    assert funnel.loc["faster", ["employed", "eligible"]].tolist() == [245, 400]


def test_binding_table_whole_run_and_last_year(hand_results):
    binding = limits.binding_table(hand_results).set_index(["scenario", "constraint"])
    # Whole run: the summary's binding_* means.
    assert binding.loc[("baseline", "ceiling"), "whole"] == 0.5
    assert binding.loc[("baseline", "tasks"), "whole"] == 0.5
    # Last year: weeks after 2021-12-25, so D2 and D3 of both runs: tasks, tasks (r0) and
    # ceiling, tasks (r1): tasks 3/4, ceiling 1/4.
    assert binding.loc[("baseline", "tasks"), "last_year"] == 0.75
    assert binding.loc[("baseline", "ceiling"), "last_year"] == 0.25
    assert binding.loc[("faster", "ceiling"), "last_year"] == 1.0
    # On a tie (ceiling and tasks both 0.5) the constraint listed first wins.
    whole = limits.shares_of(limits.binding_table(hand_results), "baseline", "whole")
    assert limits.top_constraint(whole) == ("ceiling", 0.5)
    assert limits.top_constraint({}) == ("candidates", pytest.approx(math.nan, nan_ok=True))


def test_pool_table_is_the_median_pool_and_the_pooled_yield(hand_results):
    # Two runs of one scenario, a row on 1 January of 2021 and 2022 and a last week.
    dates = pd.to_datetime(["2020-03-01", "2021-01-01", "2022-01-01", "2022-06-01"])
    rows = []
    for replicate, pool, spoken, started in (
        (0, [800, 700, 500, 450], [0, 100, 200, 230], [0, 30, 50, 60]),
        (1, [820, 760, 600, 590], [0, 80, 200, 210], [0, 30, 60, 62]),
    ):
        rows.append(
            pd.DataFrame(
                {
                    "scenario": "baseline",
                    "sample": 0,
                    "replicate": replicate,
                    "date": dates,
                    "willing_pool": pool,
                    "spoken_cum": spoken,
                    "started_cum": started,
                }
            )
        )
    results = dataclasses.replace(
        hand_results, scenarios=("baseline",), timeseries=pd.concat(rows, ignore_index=True)
    )
    table = limits.pool_table(results).set_index("year")
    # 1 Jan 2021: pools 700 and 760, median 730; no year before the start: no yield.
    assert table.loc[2021, "pool"] == 730
    assert math.isnan(table.loc[2021, "yield"])
    # 1 Jan 2022: median of 500 and 600; in 2021 the runs spoke to 100 + 120 and
    # started 20 + 30: a yield of 50 / 220.
    assert table.loc[2022, "pool"] == 550
    assert table.loc[2022, "yield"] == pytest.approx(50 / 220)
    # Runs that did not keep the columns give an empty table.
    bare = dataclasses.replace(results, timeseries=results.timeseries.drop(columns="willing_pool"))
    assert limits.pool_table(bare).empty


def test_lever_table(hand_results):
    levers = limits.lever_table(hand_results)
    baseline, faster = levers.loc["baseline"], levers.loc["faster"]
    # baseline: tasks in the last year; waiting for tasks per run and year: r0 2021 mean(0, 4)
    # = 2, 2022 20; r1 2021 3, 2022 10 -> medians 2.5 (2021) and 15 (2022): at least 10.
    assert baseline["constraint"] == "tasks"
    assert (baseline["waiting_year"], baseline["waiting"]) == (2022, 15.0)
    assert baseline["tasks_hidden"]
    assert not baseline["at_target"]
    # faster: the ceiling in the last year, median ceiling 250 (the target) with 245 of it
    # filled (>= 95% of 250 = 237.5): the ceiling holds by design.
    assert (faster["constraint"], faster["jobs"], faster["ceiling"]) == ("ceiling", 245, 250)
    assert faster["at_target"]
    assert not faster["tasks_hidden"]


# --- 3. costs ---------------------------------------------------------------------------------
def test_cost_year_table(hand_results):
    table = costs.cost_year_table(hand_results).set_index(["scenario", "row", "year"])["value"]
    assert table[("baseline", "m_gross", 2021)] == 400_000  # the summary's q50
    assert table[("baseline", "m_net", 2022)] == 105_000
    # Gross per job-year from the years table: 2021 r0 270,000 / 1.0, r1 540,000 / 1.5 =
    # 360,000 -> median 315,000; 2022 270,000 both.
    assert table[("baseline", "m_gross_per_job_year", 2021)] == 315_000
    assert table[("baseline", "m_gross_per_job_year", 2022)] == 270_000
    assert table[("baseline", "m_net_per_job_year", 2021)] == 110_000
    assert math.isnan(table[("baseline", "m_net_per_job_year", 2022)])  # not in the summary
    assert costs.full_years(hand_results) == [2021, 2022]


def test_items_and_payers_tables(hand_results):
    run_costs = costs.run_costs(hand_results)
    # baseline r0: three rows of wages 100,000 -> 300,000; employed 10 + 20 + 30 = 60 weeks.
    r0 = run_costs[(run_costs["scenario"] == "baseline") & (run_costs["replicate"] == 0)].iloc[0]
    assert r0["cost_wages_eur"] == 300_000
    assert r0["job_years"] == pytest.approx(60 / WPY)
    items = costs.items_table(run_costs).set_index(["scenario", "line"])
    # Wages: mean of 300,000 and 600,000; per job-year: mean of 300,000 / (60 / WPY) and
    # 600,000 / (90 / WPY) = WPY x mean(5,000, 6,666.67).
    assert items.loc[("baseline", "wages"), "total"] == 450_000
    assert items.loc[("baseline", "wages"), "per_job_year"] == pytest.approx(WPY * 35_000 / 6)
    # Savings are negative: benefits no longer paid 180,000 and 360,000.
    assert items.loc[("baseline", "benefits_saved"), "total"] == -270_000
    # Net: (135,000 - 60,000) x 3 = 225,000 and (270,000 - 120,000 - 15,000) x 3 = 405,000.
    assert items.loc[("baseline", "net_total"), "total"] == 315_000
    payers = costs.payers_table(run_costs).set_index(["scenario", "party"])["total"]
    # Municipality: r0 (100 + 10 + 20 + 5) x 3,000 = 405,000; r1 (200 + 20 + 40 + 10 - 15)
    # x 3,000 = 765,000 -> 585,000; the benefit budget saves 270,000: net 315,000.
    assert payers[("baseline", "municipality")] == 585_000
    assert payers[("baseline", "national")] == -270_000
    assert payers[("baseline", "subsidy_providers")] == 22_500
    assert payers[("baseline", "net_model")] == 315_000
    # faster: (300 + 30 + 60 + 15 - 5) x 3,000 = 1,200,000; contributions 15,000.
    assert payers[("faster", "municipality")] == 1_200_000
    assert payers[("faster", "wijk_organisations")] == 15_000


def test_budget_table(hand_results):
    # Only faster has a budget (its overrides): 300,000 a year.
    assert costs.budgets(hand_results) == {"faster": 300_000.0}
    assert costs.budgets(hand_results, 1e6) == {"baseline": 1e6, "faster": 1e6}
    table = costs.budget_table(hand_results, costs.budgets(hand_results))
    # Net cost per year, median of the runs: 2021 (400,000 + 500,000) / 2 = 450,000, gap
    # 150,000; 2022 (200,000 + 250,000) / 2 = 225,000, gap -75,000 (within).
    assert table.to_dict("list") == {
        "scenario": ["faster", "faster"],
        "year": [2021, 2022],
        "net": [450_000.0, 225_000.0],
        "budget": [300_000.0, 300_000.0],
        "gap": [150_000.0, -75_000.0],
    }


# --- 4. who and where -------------------------------------------------------------------------
def test_composition_table(hand_results):
    composition = who.composition_table(hand_results)
    # Eligible: women 0.5 in every run; debts 0.3 (baseline) and 0.2 (faster) -> 0.25.
    assert composition.eligible.to_dict() == pytest.approx({"women": 0.5, "debts": 0.25})
    stats = composition.participants.set_index(["scenario", "group"])
    # baseline women: 0.4 and 0.6 -> mean 0.5, 5% 0.4 + 0.05 x 0.2 = 0.41, 95% 0.59.
    assert stats.loc[("baseline", "women")].tolist() == pytest.approx([0.5, 0.41, 0.59])
    assert stats.loc[("faster", "debts")].tolist() == pytest.approx([0.3, 0.3, 0.3])


def test_wijk_table(hand_results):
    table = who.wijk_table(hand_results).set_index(["wijk", "scenario"])
    # At the end (D3): baseline Beijum 5 and 7 -> 6; in the last week up to 1 January 2022
    # (D2): 3 and 4 -> 3.5. faster has no rows at D2.
    assert table.loc[("Beijum", "baseline"), ["end", "early"]].tolist() == [6, 3.5]
    assert table.loc[("Beijum", "faster"), "end"] == 25
    assert math.isnan(table.loc[("Beijum", "faster"), "early"])
    assert math.isnan(table.loc[("Vinkhuizen", "baseline"), "end"])  # no rows at all
    assert table.loc[("Beijum", "baseline"), "observed"] == OBSERVED_2022_01_01["Beijum"]
    assert len(table) == 2 * len(OBSERVED_2022_01_01)


# --- 5. how sure --------------------------------------------------------------------------------
def test_ppc_table(hand_results):
    ppc = certainty.ppc_table(hand_results)
    # inside_90 read from its text; a share (0.036) is shown with three decimals.
    assert ppc["inside_90"].tolist() == [True, False]
    assert ppc["decimals"].tolist() == [0, 3]


# --- 6. what was run, and the key findings ------------------------------------------------------
def test_scenario_and_run_tables(hand_results):
    scenarios = run.scenario_table(hand_results)
    assert scenarios["scenario"].tolist() == ["baseline", "faster"]
    assert scenarios["overrides"].tolist()[0] == {}
    assert scenarios["description"].tolist()[1] == "+100 jobs a year."
    settings = run.run_table(hand_results)
    assert (settings.runs_finished, settings.runs_total, settings.seconds) == (4, 4, 8.25)
    assert settings.started == "2024-05-01 10:00:00"
    assert settings.sweep is None
    assert '"households": 1500' in settings.text  # the experiment, as no file text is kept


def test_findings_table(hand_results):
    table = findings.findings_table(hand_results)
    # Net cost per job-year over the whole run: the year-less row (not 2021's 110,000).
    assert table["net_per_job_year"].tolist() == [18_200, 9_100]
    # baseline ties ceiling and tasks over the whole run: the ceiling, listed first.
    assert table["constraint"].tolist() == ["ceiling", "ceiling"]
    assert table.loc["faster", "share"] == 1.0


def test_the_page_words_the_tables(hand_results):
    """The templates put the hand-made numbers into words, in Dutch."""
    page = build_page(hand_results, "nl")
    assert 'data-gap="150000.0"' in page
    assert "faster: met 245 van 250 banen ingevuld" in page
    assert "Let op: in 2022 wachtten gemiddeld 15 geselecteerde kandidaten" in page
    # faster: the municipality's 1,200,000 in EUR million, with a decimal comma.
    assert 'data-party="municipality" data-total="1200000.0">1,20<' in page
