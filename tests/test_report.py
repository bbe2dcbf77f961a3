"""The HTML report: every section for every scenario, numbers as in summary.csv, both
languages, forecasts with their calibration fit, and clear errors for directories that
hold no results."""

from __future__ import annotations

import base64
import contextlib
import functools
import io
import json
import math
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from sim.experiment import load_experiment
from sim.figures import intake_funnel
from sim.figures.labels import fields
from sim.figures.summaries import cost_against_other_places
from sim.params import ConfigError
from sim.report import (
    COST_ITEMS,
    PARTIES,
    build_report,
    certainty,
    cost_by_party,
    costs,
    findings,
    format_jobs,
    format_number,
    limits,
    page,
    reach,
    run,
    who,
    write_report,
)
from sim.report.context import COMMON, LANGUAGES
from sim.report.costs import COMPARATORS
from sim.runner import run_experiment
from sim.store import read_table
from sim.summary import summarise
from sim.timeline import WEEKS_PER_YEAR

SCENARIOS = ("announced", "faster")
TINY = """
name = "tiny_report"
description = "Two scenarios, two replicates, to 2025: for the report tests."
replicates = 2
seed = 7
until = 2025-12-31

[params]
# A town of 3,000 households where most long-term recipients want work: candidates
# enough for the faster scenario to reach 250 jobs by 2025.
households = 3000
inflow_households_per_year = 340
share_willing = 0.8

[scenarios.announced]
description = "+50 jobs a year up to 250."

[scenarios.faster]
description = "+200 jobs a year up to 250."
ceiling_growth_per_year = 200
"""
FIGURES = {
    "employed_fan",
    "reach_probability",
    "intake_funnel",
    "binding_constraints",
    "cost_per_year",
    "cumulative_net_cost",
    "cost_by_payer",
    "cost_against_other_places",
    "composition",
    "wijk_map",
}


def build_tiny_results(base: Path) -> Path:
    """Run the tiny experiment once per test session (shared with the browser test)."""
    out = base / "tiny_results"
    if (out / "summary.csv").exists():
        return out
    experiment_file = base / "tiny.toml"
    experiment_file.write_text(TINY, encoding="utf-8")
    run_experiment(load_experiment(experiment_file), out, workers=1, progress=False)
    summarise(read_table(out, "runs"), read_table(out, "years")).to_csv(
        out / "summary.csv", index=False
    )
    return out


@functools.cache
def tiny_report(results: Path, lang: str) -> str:
    """The report of the tiny results, built once per session and language (~2 s each)."""
    return build_report(results, lang=lang)


@pytest.fixture(scope="session")
def tiny_results(tmp_path_factory) -> Path:
    return build_tiny_results(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def report_en(tiny_results) -> str:
    return tiny_report(tiny_results, "en")


@pytest.fixture(scope="module")
def report_nl(tiny_results) -> str:
    return tiny_report(tiny_results, "nl")


class Page(HTMLParser):
    """The parts of the report the tests look at: elements by id, figures, table cells."""

    def __init__(self, text: str):
        super().__init__()
        self.ids: set[str] = set()
        self.figures: dict[str, dict[str, str]] = {}
        self.cells: list[tuple[dict[str, str], str]] = []
        self.lang = ""
        self._figure: str | None = None
        self._cell: dict[str, str] | None = None
        self._text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "html":
            self.lang = a.get("lang", "")
        if tag == "figure":
            self._figure = a.get("data-figure")
        if tag == "img" and self._figure:
            self.figures[self._figure] = a
        if tag == "td":
            self._cell, self._text = a, []

    def handle_endtag(self, tag):
        if tag == "figure":
            self._figure = None
        if tag == "td" and self._cell is not None:
            self.cells.append((self._cell, "".join(self._text)))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._text.append(data)

    def cell(self, **wanted: str) -> list[tuple[dict[str, str], str]]:
        return [
            (a, text)
            for a, text in self.cells
            if all(a.get(f"data-{k.replace('_', '-')}") == v for k, v in wanted.items())
        ]


# --- content -----------------------------------------------------------------------------
def test_every_section_for_every_scenario(report_en):
    page = Page(report_en)
    assert {"s1", "s2", "s3", "s4", "s5", "s6"} <= page.ids
    for table in ("scenarios", "headline", "funnel", "binding", "levers", "costs", "items"):
        assert table in page.ids, table
    for table in ("payers", "payers-assumption", "budget", "composition", "wijken", "run"):
        assert table in page.ids, table
    assert set(page.figures) == FIGURES
    for scenario in SCENARIOS:
        assert page.cell(scenario=scenario, measure="employed_jan1"), "headline"
        assert page.cell(scenario=scenario, column="started_cum"), "funnel"
        assert page.cell(scenario=scenario, measure="binding_ceiling"), "constraints"
        assert page.cell(scenario=scenario, measure="cost_net_eur", year="2024"), "cost per year"
        for party in (*PARTIES, "net_model"):
            assert page.cell(scenario=scenario, party=party), party
        assert page.cell(scenario=scenario, group="single parent"), "composition"
        assert page.cell(scenario=scenario, wijk="Beijum"), "wijk"
        assert report_en.count(f"{scenario}: ") >= 8, "findings name each scenario"
    (_, overrides), *_ = page.cell(overrides="faster")
    assert overrides == "ceiling_growth_per_year = 200"
    (_, seed), *_ = page.cell(setting="r_seed")
    assert seed == "7"
    assert "run-to-run randomness only" in report_en  # section 5 without a calibration


def test_figures_are_embedded_pngs_with_findings(report_en):
    page = Page(report_en)
    for key, img in page.figures.items():
        assert img["src"].startswith("data:image/png;base64,"), key
        png = base64.b64decode(img["src"].split(",", 1)[1])
        assert png[:8] == b"\x89PNG\r\n\x1a\n", key
        assert len(png) > 10_000, key
        assert len(img["alt"]) > 20, key
    # The title of the jobs figure says when 250 is reached (or that it is not).
    assert "250 jobs" in page.figures["employed_fan"]["alt"]
    assert "faster: 250 jobs reached" in page.figures["employed_fan"]["alt"]


def test_self_contained(report_en):
    lowered = report_en.lower()
    assert "<link" not in lowered
    assert "<script" not in lowered
    assert "http://" not in lowered
    assert "https://" not in lowered
    assert lowered.count("<style>") == 1


def test_headline_numbers_equal_summary(tiny_results, report_en):
    summary = pd.read_csv(tiny_results / "summary.csv")
    page = Page(report_en)
    jan1 = summary[summary["measure"] == "employed_jan1"]
    assert len(jan1) == 2 * 5  # two scenarios, 1 January 2021-2025
    for row in jan1.itertuples():
        cells = page.cell(scenario=row.scenario, measure="employed_jan1", year=str(int(row.year)))
        assert len(cells) == 1, (row.scenario, row.year)
        attrs, text = cells[0]
        for q in ("q50", "q05", "q95"):
            assert float(attrs[f"data-{q}"]) == pytest.approx(getattr(row, q), rel=1e-12)
        assert (
            text
            == f"{format_jobs(row.q50, 'en')}{format_jobs(row.q05, 'en')}–{format_jobs(row.q95, 'en')}"
        )
    last = summary[summary["measure"] == "reached_250_by_year"]["year"].max()
    for scenario in SCENARIOS:
        reach = summary[
            (summary["measure"] == "year_250_reached") & (summary["scenario"] == scenario)
        ]
        attrs, text = page.cell(scenario=scenario, measure="year_250_reached")[0]
        assert float(attrs["data-q50"]) == pytest.approx(float(reach["q50"].iloc[0]), rel=1e-12)
        median = float(reach["q50"].iloc[0])
        assert text.startswith(str(math.floor(median)) if math.isfinite(median) else "not reached")
        share = summary[
            (summary["measure"] == "reached_250_by_year")
            & (summary["scenario"] == scenario)
            & (summary["year"] == last)
        ]["mean"].iloc[0]
        attrs, text = page.cell(scenario=scenario, measure="reached_250_by_year")[0]
        assert float(attrs["data-mean"]) == pytest.approx(share)
        assert text == f"{round(100 * share)}%"


def test_costs_follow_summary(tiny_results, report_en):
    summary = pd.read_csv(tiny_results / "summary.csv")
    page = Page(report_en)
    row = summary[
        (summary["measure"] == "cost_net_eur")
        & (summary["scenario"] == "faster")
        & (summary["year"] == 2024)
    ].iloc[0]
    _, text = page.cell(scenario="faster", measure="cost_net_eur", year="2024")[0]
    assert text == f"{row.q50 / 1e6:,.2f}"


def test_dutch_report(report_nl, report_en):
    page = Page(report_nl)
    assert page.lang == "nl"
    assert set(page.figures) == FIGURES
    for word in ("basisbaan", "wijk", "begeleiding", "instroom", "uitstroom"):
        assert word in report_nl.lower(), word
    for english in ("What limits growth", "Who pays", "Key findings", "How sure are we"):
        assert english in report_en
        assert english not in report_nl
    assert "Wat remt de groei?" in report_nl
    # Dutch number format in the tables: decimal comma.
    assert any("," in text and "." not in text for a, text in page.cells if "data-party" in a)
    assert (
        Page(report_nl).figures["employed_fan"]["src"]
        != Page(report_en).figures["employed_fan"]["src"]
    )


SECTIONS = (page, findings, reach, limits, costs, who, certainty, run)


def test_languages_have_the_same_keys_and_placeholders():
    tables = [COMMON] + [m.WORDS for m in SECTIONS] + [m.LABELS for m in (limits, costs, who)]
    for table in tables:
        assert set(table) == set(LANGUAGES)
        english = table["en"]
        for lang in LANGUAGES:
            assert set(table[lang]) == set(english), lang
            for key, template in table[lang].items():
                assert fields(template) == fields(english[key]), (lang, key)


def test_section_words_do_not_shadow_the_common_words():
    for module in SECTIONS:
        assert not set(module.WORDS["en"]) & set(COMMON["en"]), module.__name__


def test_figure_words_are_drawn_in_dutch(tiny_results):
    ts = read_table(tiny_results, "timeseries")
    near_2022 = intake_funnel(ts, at="2022-01-01", lang="nl").axes[0]
    near_2022.figure.draw_without_rendering()  # tick labels are set when drawn
    assert "gesproken\n(gemeld 151)" in [t.get_text() for t in near_2022.get_yticklabels()]
    assert intake_funnel(ts, lang="nl").axes[0].get_xlabel() == (
        "mensen op 28 dec 2025 (mediaan van 2 runs per scenario)"
    )


def test_number_formats():
    assert format_number(1234567.891, "en", 1) == "1,234,567.9"
    assert format_number(1234567.891, "nl", 1) == "1.234.567,9"
    assert format_number(-14000, "en") == "−14,000"
    assert format_number(-0.001, "en") == "0"
    assert format_number(float("nan"), "en") == "–"
    assert format_jobs(23.5, "nl") == "23,5"
    assert format_jobs(50.0, "en") == "50"


def test_how_often_a_point_is_run_reads_as_words():
    from sim.report.formats import format_times

    assert format_times(1, "en") == "once"
    assert format_times(1, "nl") == "één keer"
    assert format_times(10, "en") == "10 times"
    assert format_times(1000, "nl") == "1.000 keer"


# --- who pays ----------------------------------------------------------------------------
def test_cost_by_party_adds_up_to_net_cost():
    costs = pd.DataFrame(
        {
            "scenario": ["a"],
            "cost_wages_eur": [27_387.0],
            "cost_employer_eur": [600.0],
            "cost_guidance_eur": [4_000.0],
            "cost_coaches_eur": [1_500.0],
            "supplements_eur": [0.0],
            "contributions_eur": [1_000.0],
            "benefits_saved_eur": [14_000.0],
            "subsidies_eur": [500.0],
            "job_years": [1.0],
        }
    )
    gross = 27_387 + 600 + 4_000 + 1_500 - 1_000
    costs["cost_gross_eur"] = gross
    costs["cost_net_eur"] = gross - 14_000 - 500
    party = cost_by_party(costs).iloc[0]
    assert party["municipality"] == pytest.approx(27_387 + 600 + 4_000 + 1_500 - 1_000 - 500)
    assert party["national"] == pytest.approx(-14_000)
    assert party["wijk_organisations"] == pytest.approx(1_000)
    assert party["subsidy_providers"] == pytest.approx(500)
    assert party["municipality"] + party["national"] == pytest.approx(party["net_model"])
    assert set(COST_ITEMS.values()) <= set(costs.columns)


def test_payers_table_matches_the_runs(tiny_results, report_en):
    ts = read_table(tiny_results, "timeseries")
    totals = ts.groupby(["scenario", "replicate"])[list(COST_ITEMS.values())].sum()
    mean = totals.groupby("scenario").mean()
    national = -mean.loc["announced", "benefits_saved_eur"]
    attrs, text = Page(report_en).cell(scenario="announced", party="national")[0]
    assert float(attrs["data-total"]) == pytest.approx(national)
    assert text == f"{national / 1e6:,.2f}".replace("-", "−") + "€−14,000 per job-year"
    assert "BUIG" in report_en


def test_budget_line_gives_a_funding_gap(tiny_results):
    page_text = build_report(tiny_results, budget_eur_per_year=1_000_000)
    page = Page(page_text)
    assert "net_cost_against_budget" in page.figures
    years = read_table(tiny_results, "years")
    net_2025 = years[(years["scenario"] == "faster") & (years["year"] == 2025)][
        "cost_net_eur"
    ].median()
    attrs = next(
        a
        for a, _ in page.cells
        if a.get("data-scenario") == "faster" and a.get("data-year") == "2025" and "data-gap" in a
    )
    assert float(attrs["data-gap"]) == pytest.approx(net_2025 - 1_000_000)
    assert "above the budget in" in page.figures["net_cost_against_budget"]["alt"]


def test_no_budget_says_so(report_en):
    assert "No budget line was given" in report_en


# --- forecasts -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fake_forecast(tiny_results, tmp_path_factory) -> Path:
    """The tiny results with the files a forecast adds (made-up numbers)."""
    out = tmp_path_factory.mktemp("forecast") / "forecast"
    shutil.copytree(tiny_results, out)
    rows = []
    for scenario in SCENARIOS:
        for year in range(2024, 2031):
            for k, quantity in enumerate(
                ("employed", "employed_permanent", "exited_cum", "cost_net_eur_cum")
            ):
                base = (year - 2020) * (10 + k) * (1e6 if quantity == "cost_net_eur_cum" else 1)
                rows.append(
                    {"scenario": scenario, "date": f"{year}-04-01", "quantity": quantity,
                     "q025": 0.8 * base, "q10": 0.9 * base, "q50": base, "q90": 1.1 * base, "q975": 1.2 * base}
                )  # fmt: skip
    pd.DataFrame(rows).to_csv(out / "forecast.csv", index=False)
    pd.DataFrame(
        [
            {"scenario": s, "year": y, "probability": min(1.0, 0.125 * (y - 2024))}
            for s in SCENARIOS
            for y in range(2024, 2031)
        ]
    ).to_csv(out / "p250.csv", index=False)
    pd.DataFrame(
        [
            {"target": "employed_2021_01", "date": "2021-01-01", "observed": 25, "q05": 18, "q25": 22,
             "q50": 25, "q75": 28, "q95": 33, "inside_90": True, "use": "fit"},
            {"target": "spoken_2022_01", "date": "2022-01-01", "observed": 151, "q05": 160, "q25": 170,
             "q50": 180, "q75": 190, "q95": 200, "inside_90": False, "use": "fit"},
            {"target": "sick_absence_h2_2021", "date": "2021-12-31", "observed": 0.036, "q05": 0.02,
             "q25": 0.03, "q50": 0.04, "q75": 0.05, "q95": 0.06, "inside_90": True, "use": "check"},
        ]
    ).to_csv(out / "ppc.csv", index=False)  # fmt: skip
    return out


def test_forecast_shows_calibration_and_forecast_tables(fake_forecast):
    path = write_report(fake_forecast)
    assert path == fake_forecast / "report.html"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    page = Page(text)
    assert set(page.figures) == FIGURES | {"calibration_fit"}
    assert (
        "2 of 3 targets inside their 90% predictive interval"
        in page.figures["calibration_fit"]["alt"]
    )
    assert {"ppc", "forecast", "uncertainty"} <= page.ids
    assert "run-to-run randomness only" not in text
    assert "uncertainty about the parameters" in text
    cell = page.cell(scenario="faster", quantity="employed", date="2030-04-01")
    assert cell[0][1] == "100" + "80–120"
    # The chance of 250 comes from p250.csv: 75% by 2030 in this made-up file.
    assert "faster: 75% by the end of 2030" in page.figures["reach_probability"]["alt"]
    assert "Forecast" in text
    dutch = write_report(fake_forecast, fake_forecast / "sub" / "rapport.html", "nl")
    dutch_text = dutch.read_text(encoding="utf-8")
    assert '<html lang="nl">' in dutch_text
    assert "Kalibratie: 2 van de 3 doelen" in dutch_text
    assert "Prognose op 1 april" in dutch_text


# --- errors ----------------------------------------------------------------------------------
def test_missing_directory(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        build_report(tmp_path / "nowhere")


def test_empty_directory(tmp_path):
    with pytest.raises(ConfigError, match="is empty"):
        build_report(tmp_path)


def test_foreign_directory(tmp_path):
    (tmp_path / "notes.txt").write_text("not results", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"not a results directory \(it has no manifest.json\)"):
        build_report(tmp_path)


def test_broken_manifest(tmp_path):
    (tmp_path / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"manifest\.json cannot be read"):
        build_report(tmp_path)
    (tmp_path / "manifest.json").write_text(json.dumps({"name": "x"}), encoding="utf-8")
    with pytest.raises(ConfigError, match="not the manifest of a basisbaan experiment"):
        build_report(tmp_path)


def test_no_finished_runs(tiny_results, tmp_path):
    shutil.copy(tiny_results / "manifest.json", tmp_path / "manifest.json")
    with pytest.raises(ConfigError, match="holds no finished runs"):
        build_report(tmp_path)


def test_unknown_language(tiny_results):
    with pytest.raises(ConfigError, match="unknown report language 'fr'"):
        build_report(tiny_results, lang="fr")


def test_the_report_does_not_import_the_model(tiny_results):
    """Building a report imports neither Mesa nor the model (nor pyplot)."""
    script = (
        "import sys; from sim.report import build_report; "
        f"build_report({str(tiny_results)!r}, lang='nl'); "
        "print(sorted(m for m in ('mesa', 'sim.model', 'sim.experiment', "
        "'matplotlib.pyplot') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300
    )
    assert done.stdout.strip() == "[]"


def test_command_line_exits_2_without_a_traceback(tmp_path):
    from sim.cli import main

    with contextlib.redirect_stdout(io.StringIO()), pytest.raises(SystemExit) as asked:
        main(["report", "--help"])
    assert asked.value.code == 0  # 'basisbaan report' is a command
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        status = main(["report", str(tmp_path)])
    assert status == 2
    assert "is empty" in stderr.getvalue()
    assert "Traceback" not in stderr.getvalue()


def test_net_cost_per_participant_year_and_other_places(tiny_results, report_en):
    from sim.report.costs import comparison_table
    from sim.report.results import read_results

    results = read_results(tiny_results)
    table = comparison_table(results)
    # Worked out from the runs directly: each run's net cost over its job-years.
    ts = results.timeseries
    runs = ts.groupby(["scenario", "replicate"]).agg(
        net=("cost_net_eur", "sum"), weeks=("employed", "sum")
    )
    per_year = (runs["net"] / (runs["weeks"] / WEEKS_PER_YEAR)).groupby("scenario").median()
    for scenario in ("announced", "faster"):
        assert table.loc[scenario, "per_year"] == pytest.approx(per_year[scenario])
        assert table.loc[scenario, "low"] <= table.loc[scenario, "per_year"]
        assert table.loc[scenario, "per_year"] <= table.loc[scenario, "high"]
    page = Page(report_en)
    assert "per participant-year" in page.figures["cost_against_other_places"]["alt"]
    # FACTS.md's other places are drawn, named, beside the model's bars.
    colours = {"announced": "#000000", "faster": "#ffffff"}
    fig = cost_against_other_places(
        table, colours, title="", comparators=COMPARATORS["en"], lang="en"
    )
    drawn = " ".join(text.get_text() for legend in fig.legends for text in legend.get_texts())
    for place in ("Amstelveen", "Marienthal", "TZCLD"):
        assert place in drawn
