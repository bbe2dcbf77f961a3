"""The report: any experiment's or forecast's results as one self-contained HTML file.

:func:`build_report` reads a results directory (see :mod:`sim.store`) and returns an
HTML page with every figure embedded as a base64 PNG and a small inline stylesheet,
so it opens anywhere without network access; :func:`write_report` writes it (by
default to ``RESULTS_DIR/report.html``). It answers, per scenario and side by side:

1. When do we reach 250 jobs? (jobs filled as fan charts with the observed counts,
   the chance of 250 by year, a headline table of jobs on 1 January that matches
   ``summary.csv``; for a forecast also ``forecast.csv``);
2. What limits growth? (the intake funnel and which constraint held starts back);
3. What does it cost, and who pays? (gross and net per year and per job-year, by item
   and by party, following the cost table of FACTS.md; a funding gap when a budget
   is given);
4. Who takes part, and where? (composition against the eligible pool, per wijk);
5. How sure are we? (the calibration fit of a forecast, or a note that the intervals
   hold run-to-run randomness only);
6. What was run? (the experiment, scenarios and overrides, seeds, code version).

The words are in :mod:`sim.report_text` (English and Dutch); the figures come from
:mod:`sim.figures`, drawn in the report's language.
A directory that is not a results directory raises :class:`~sim.params.ConfigError`
with a message that says why, so the command line exits with status 2.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from sim import __version__
from sim.constraints import CONSTRAINTS
from sim.figures import summaries as rf
from sim.figures.calibration import calibration_fit
from sim.figures.style import DPI, retitled
from sim.observed import EMPLOYED_BY_WIJK_DATE
from sim.params import ConfigError
from sim.report_text import label, texts
from sim.store import MANIFEST, TABLES, StoreError, read_manifest, read_table
from sim.summary import SUMMARY_COLUMNS, TARGET_JOBS, summarise
from sim.timeline import WEEKS_PER_YEAR
from sim.wijken import OBSERVED_2022_01_01, WIJKEN

REPORT_FILE = "report.html"
RUN_KEYS = ["scenario", "sample", "replicate"]
COST_ITEMS = {
    "wages": "cost_wages_eur",
    "employer": "cost_employer_eur",
    "guidance": "cost_guidance_eur",
    "coaches_cost": "cost_coaches_eur",
    "contributions": "contributions_eur",
    "benefits_saved": "benefits_saved_eur",
    "subsidies": "subsidies_eur",
}
SAVINGS = ("contributions", "benefits_saved", "subsidies")  # shown as negative
# Selected candidates waiting for tasks (a year's mean) from which the report points out
# that tasks held growth back, whatever constraint the weekly record names.
WAITING_FOR_TASKS_NOTE = 10
FUNNEL = (
    ("stage_eligible", "eligible"),
    ("stage_referred", "referred_cum"),
    ("stage_spoken", "spoken_cum"),
    ("paid_work", "rejected_paid_work_cum"),
    ("health", "rejected_health_cum"),
    ("volunteering", "rejected_volunteering_cum"),
    ("other", "rejected_other_cum"),
    ("stage_started", "started_cum"),
    ("stage_exited", "exited_cum"),
    ("stage_employed", "employed"),
)
FORECAST_COLUMNS = ("scenario", "date", "quantity", "q025", "q10", "q50", "q90", "q975")
P250_COLUMNS = ("scenario", "year", "probability")
PPC_COLUMNS = ("target", "date", "observed", "q05", "q25", "q50", "q75", "q95", "inside_90")


@dataclass(frozen=True)
class Results:
    """Everything the report reads from a results directory."""

    directory: Path
    manifest: dict[str, Any]
    scenarios: tuple[str, ...]
    summary: pd.DataFrame  # summary.csv as written (per scenario and sample)
    pooled: pd.DataFrame  # the same measures with sweep samples pooled per scenario
    timeseries: pd.DataFrame
    by_wijk: pd.DataFrame
    composition: pd.DataFrame
    years: pd.DataFrame
    runs: pd.DataFrame
    forecast: pd.DataFrame | None
    p250: pd.DataFrame | None
    ppc: pd.DataFrame | None

    @property
    def is_forecast(self) -> bool:
        """Whether the directory holds a forecast (it has a ``forecast.csv``)."""
        return self.forecast is not None

    @property
    def end(self) -> pd.Timestamp:
        """The last date of the runs."""
        return pd.Timestamp(self.timeseries["date"].max())

    @property
    def start(self) -> pd.Timestamp:
        """The first date of the runs."""
        return pd.Timestamp(self.timeseries["date"].min())

    @property
    def samples(self) -> int:
        """Sweep samples per scenario (1 without a sweep)."""
        return int(self.runs["sample"].nunique())


# ---------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------


def load_results(results_dir: str | Path) -> Results:
    """Read a results directory for the report.

    Args:
        results_dir: a directory written by ``basisbaan run`` or ``basisbaan forecast``.

    Returns:
        The tables of the directory.

    Raises:
        ConfigError: the directory does not exist, is empty, is not a results
            directory, or holds no finished runs; the message says which.
    """
    directory = Path(results_dir)
    where = str(directory)
    hint = "give a directory written by 'basisbaan run' or 'basisbaan forecast'"
    if not directory.exists():
        raise ConfigError(f"does not exist; {hint}", source=where)
    if not directory.is_dir():
        raise ConfigError(f"is a file, not a results directory; {hint}", source=where)
    if not any(directory.iterdir()):
        raise ConfigError(f"is empty: no results to report on; {hint}", source=where)
    try:
        manifest = read_manifest(directory)
    except StoreError:
        raise ConfigError(
            f"is not a results directory (it has no {MANIFEST}); {hint}", source=where
        ) from None
    except (OSError, ValueError) as error:
        raise ConfigError(f"{MANIFEST} cannot be read ({error}); {hint}", source=where) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("experiment"), dict):
        raise ConfigError(
            f"{MANIFEST} is not the manifest of a basisbaan experiment; {hint}", source=where
        )
    tables: dict[str, pd.DataFrame] = {}
    for table in TABLES:
        try:
            tables[table] = read_table(directory, table)
        except StoreError:
            raise ConfigError(
                f"holds no finished runs ({table}.parquet is missing or empty): the experiment "
                "has not run yet or was stopped before its first run finished",
                source=where,
            ) from None
        except (OSError, pa.ArrowException) as error:
            raise ConfigError(f"{table}.parquet cannot be read: {error}", source=where) from None
    runs, years = tables["runs"], tables["years"]
    summary_path = directory / "summary.csv"
    summary = (
        _read_csv(summary_path, SUMMARY_COLUMNS)
        if summary_path.exists()
        else summarise(runs, years)
    )
    pooled = summarise(runs.assign(sample=0), years.assign(sample=0))
    declared = list(manifest["experiment"].get("scenarios") or {})
    present = list(dict.fromkeys(tables["runs"]["scenario"].astype(str)))
    scenarios = tuple(
        [s for s in declared if s in present] + [s for s in present if s not in declared]
    )
    return Results(
        directory=directory,
        manifest=manifest,
        scenarios=scenarios,
        summary=summary,
        pooled=pooled,
        timeseries=tables["timeseries"],
        by_wijk=tables["by_wijk"],
        composition=tables["composition"],
        years=years,
        runs=runs,
        forecast=_optional_csv(directory / "forecast.csv", FORECAST_COLUMNS),
        p250=_optional_csv(directory / "p250.csv", P250_COLUMNS),
        ppc=_optional_csv(directory / "ppc.csv", PPC_COLUMNS),
    )


def _read_csv(path: Path, columns: Sequence[str]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path)
    except (OSError, ValueError) as error:
        raise ConfigError(f"cannot be read: {error}", source=str(path)) from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ConfigError(
            f"lacks the columns {', '.join(missing)}: not written by this project", source=str(path)
        )
    return frame


def _optional_csv(path: Path, columns: Sequence[str]) -> pd.DataFrame | None:
    return _read_csv(path, columns) if path.exists() else None


# ---------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------


def write_report(
    results_dir: str | Path,
    out: str | Path | None = None,
    lang: str = "en",
    *,
    budget_eur_per_year: float | None = None,
) -> Path:
    """Write the report of a results directory as one HTML file.

    Args:
        results_dir: a directory written by ``basisbaan run`` or ``basisbaan forecast``.
        out: the file to write (default ``RESULTS_DIR/report.html``).
        lang: ``"en"`` (default) or ``"nl"``.
        budget_eur_per_year: a yearly net budget line to compare costs with (default:
            the experiment's ``budget_net_eur_per_year``, if any).

    Returns:
        The path written.

    Raises:
        ConfigError: see :func:`load_results`; also for an unknown language.
    """
    page = build_report(results_dir, lang=lang, budget_eur_per_year=budget_eur_per_year)
    target = Path(out) if out is not None else Path(results_dir) / REPORT_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(page, encoding="utf-8")
    temporary.replace(target)
    return target


def build_report(
    results_dir: str | Path, *, lang: str = "en", budget_eur_per_year: float | None = None
) -> str:
    """The report of a results directory as a self-contained HTML page.

    Args:
        results_dir: a directory written by ``basisbaan run`` or ``basisbaan forecast``.
        lang: ``"en"`` (default) or ``"nl"``.
        budget_eur_per_year: a yearly net budget line (default: from the experiment).

    Returns:
        The HTML page.

    Raises:
        ConfigError: see :func:`load_results`; also for an unknown language.
    """
    try:
        t = texts(lang)
    except ValueError as error:
        raise ConfigError(str(error), source="--lang") from None
    results = load_results(results_dir)
    return _Report(results, t, lang, budget_eur_per_year).page()


# ---------------------------------------------------------------------------------------
# Who pays
# ---------------------------------------------------------------------------------------

PARTIES = ("municipality", "national", "wijk_organisations", "subsidy_providers")


def cost_by_party(costs: pd.DataFrame) -> pd.DataFrame:
    """Each party's net position (cost +, saving or income -) from the cost items, EUR.

    The report's reading of FACTS.md (cost table of the 2022 letter and the remark of the
    first MKBA that the benefits do not land with the party that bears most costs): the
    municipality pays wages, employer cost, guidance and its coaches and receives the
    contributions and subsidies; the benefits no longer paid are saved on the bijstand
    budget (BUIG) that the national government gives municipalities; wijk organisations
    pay the contributions; subsidy providers pay the subsidies. The municipality's and
    the benefit budget's positions add up to the model's net cost.

    Args:
        costs: one row per run (or year) with the columns of :data:`COST_ITEMS`,
            ``cost_net_eur`` and ``job_years``, and any label columns.

    Returns:
        The label columns, one column per party of :data:`PARTIES`, ``net_model`` (the
        model's net cost) and ``job_years``.
    """
    c = {k: costs[v] for k, v in COST_ITEMS.items()}
    labels = [k for k in RUN_KEYS if k in costs.columns]
    return pd.DataFrame(
        {
            **{k: costs[k] for k in labels},
            "municipality": c["wages"]
            + c["employer"]
            + c["guidance"]
            + c["coaches_cost"]
            - c["contributions"]
            - c["subsidies"],
            "national": -c["benefits_saved"],
            "wijk_organisations": c["contributions"],
            "subsidy_providers": c["subsidies"],
            "net_model": costs["cost_net_eur"],
            "job_years": costs["job_years"],
        }
    )


# ---------------------------------------------------------------------------------------
# Number formats
# ---------------------------------------------------------------------------------------


def format_number(value: float | None, lang: str, decimals: int = 0) -> str:
    """A number with thousands separators in the report's language (–  when missing)."""
    if value is None or not math.isfinite(float(value)):
        return "–"
    text = f"{float(value):,.{decimals}f}"
    if text.startswith("-"):
        text = "−" + text[1:]
    if text in ("−0", "−0.0", "−0.00"):
        text = text[1:]
    return text.translate(str.maketrans(",.", ".,")) if lang == "nl" else text


def format_jobs(value: float | None, lang: str) -> str:
    """A count of jobs: whole numbers plain, medians between two runs with one decimal."""
    if value is None or not math.isfinite(float(value)):
        return "–"
    return format_number(value, lang, 0 if float(value).is_integer() else 1)


def format_share(value: float | None, lang: str) -> str:
    """A share (0-1) as a whole percentage."""
    if value is None or not math.isfinite(float(value)):
        return "–"
    return format_number(100 * float(value), lang, 0) + "%"


def format_millions(value: float | None, lang: str) -> str:
    """Euros in millions with two decimals."""
    if value is None or not math.isfinite(float(value)):
        return "–"
    return format_number(float(value) / 1e6, lang, 2)


def calendar_year(decimal_year: float) -> int | None:
    """The calendar year of a decimal year (None for never reached)."""
    return math.floor(decimal_year) if math.isfinite(decimal_year) else None


# ---------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------

STYLE = """
:root { --ink: #1a202c; --muted: #5a6270; --line: #d8dde4; --band: #f4f6f9; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; color: var(--ink); margin: 0; line-height: 1.45; background: #fff; }
main { max-width: 1120px; margin: 0 auto; padding: 1.5rem 1.5rem 4rem; }
h1 { font-size: 1.7rem; margin: 0.2rem 0; }
h2 { font-size: 1.35rem; margin-top: 2.6rem; padding-top: 0.6rem;
  border-top: 3px solid var(--ink); }
h3 { font-size: 1.05rem; margin: 1.6rem 0 0.4rem; }
p, li { max-width: 72ch; }
.subtitle, .note, figcaption, .muted { color: var(--muted); }
.note { font-size: 0.88rem; }
nav ol { columns: 2; }
.findings { background: var(--band); border-left: 4px solid var(--ink); padding: 0.6rem 1rem; }
.findings li { margin: 0.2rem 0; }
figure { margin: 1.2rem 0 1.6rem; }
figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { font-size: 0.9rem; margin-top: 0.3rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.86rem; margin: 0.5rem 0 0.3rem; }
th, td { border-bottom: 1px solid var(--line); padding: 0.3rem 0.55rem; vertical-align: top; }
th { text-align: left; background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td .iv { display: block; color: var(--muted); font-size: 0.78rem; }
tr.total td { font-weight: 600; border-top: 2px solid var(--ink); }
.scn { white-space: nowrap; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 2px;
  margin-right: 0.4em; vertical-align: -0.1em; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: 0.82rem; }
pre { background: var(--band); padding: 0.7rem; overflow-x: auto; }
.assumption { border-left: 4px solid #c08a00; background: #fff8e6; padding: 0.5rem 0.9rem; }
.inside-no { color: #c53030; font-weight: 600; }
footer { margin-top: 3rem; font-size: 0.8rem; color: var(--muted); }
@media print { h2 { break-before: page; } figure { break-inside: avoid; } }
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _attrs(attrs: Mapping[str, object] | None) -> str:
    return "".join(f' {k}="{_e(v)}"' for k, v in (attrs or {}).items())


def _cell(content: str, *, num: bool = False, attrs: Mapping[str, object] | None = None) -> str:
    cls = ' class="num"' if num else ""
    return f"<td{cls}{_attrs(attrs)}>{content}</td>"


def _table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    numeric_from: int = 1,
    attrs: Mapping[str, object] | None = None,
    totals: Sequence[int] = (),
) -> str:
    numeric = ' class="num"'
    total = ' class="total"'
    head = "".join(
        f"<th{numeric if k >= numeric_from else ''}>{h}</th>" for k, h in enumerate(headers)
    )
    body = "".join(
        f"<tr{total if k in totals else ''}>{''.join(row)}</tr>" for k, row in enumerate(rows)
    )
    return (
        f'<div class="scroll"><table{_attrs(attrs)}><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _with_interval(main: str, low: str, high: str, between: str = "–") -> str:
    """A table cell's value with its interval in small type below it."""
    return f'{main}<span class="iv">{low}{between}{high}</span>'


def figure_html(fig: Figure, key: str, title: str, caption: str) -> str:
    """A figure as an embedded PNG; its title (the finding) is in the image and its alt text.

    Args:
        fig: the figure (drawn with its title).
        key: the figure's name (``data-figure`` attribute, ``fig-KEY`` id).
        title: the finding in words, one line per scenario.
        caption: how to read the figure.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    alt = title.replace("\n", "; ")
    return (
        f'<figure id="fig-{_e(key)}" data-figure="{_e(key)}">'
        f'<img alt="{_e(alt)}" src="data:image/png;base64,{data}">'
        f"<figcaption>{_e(caption)}</figcaption></figure>"
    )


class _Report:
    """Builds the page section by section from one results directory."""

    def __init__(
        self, results: Results, t: Mapping[str, str], lang: str, budget: float | None
    ) -> None:
        from sim.figures import scenario_colours

        self.r = results
        self.t = t
        self.lang = lang
        self.budget_override = budget
        self.scenarios = list(results.scenarios)
        # sim.figures gives colours in the order scenarios appear in the tables (the
        # baseline first); the same call here keeps each scenario's colour in every figure.
        colours = scenario_colours(pd.unique(results.timeseries["scenario"].astype(str)))
        self.colours = {s: to_hex(colours[s]) for s in self.scenarios}
        self.end_label = self.r.end.date().isoformat()
        self.figures: list[str] = []
        self.ts = results.timeseries

    # --- helpers ------------------------------------------------------------------------
    def f(self, key: str, **values: object) -> str:
        """A template of the report's language filled with values (not escaped)."""
        return self.t[key].format(**values)

    def num(self, value: float | None, decimals: int = 0) -> str:
        return format_number(value, self.lang, decimals)

    def share(self, value: float | None) -> str:
        return format_share(value, self.lang)

    def measure(self, measure: str, scenario: str, year: int | None = None) -> pd.Series | None:
        """One pooled summary row (samples pooled per scenario)."""
        rows = self.r.pooled[
            (self.r.pooled["measure"] == measure) & (self.r.pooled["scenario"] == scenario)
        ]
        if year is not None:
            rows = rows[rows["year"] == year]
        return rows.iloc[-1] if len(rows) else None

    def swatch(self, scenario: str) -> str:
        """The scenario's name after a square of its colour, kept on one line."""
        colour = self.colours[scenario]
        return (
            f'<span class="scn"><span class="swatch" style="background:{colour}"></span>'
            f"{_e(scenario)}</span>"
        )

    def has(self, *columns: str) -> bool:
        return all(c in self.ts.columns for c in columns)

    def missing(self, *columns: str) -> str:
        lacking = [c for c in columns if c not in self.ts.columns]
        what = self.f("missing_columns", columns=", ".join(lacking))
        return f'<p class="note">{_e(self.f("not_available", what=what))}</p>'

    def figure(
        self,
        key: str,
        heading: str,
        findings: Sequence[str],
        draw: Callable[[], Figure],
        columns: Sequence[str] = (),
    ) -> str:
        """Draw a figure, title it with its finding in the report's language, embed it.

        Titles that :mod:`sim.figures` writes (worked out its own way) give way to the
        report's, so figure titles and tables agree.
        """
        if not self.has(*columns):
            return self.missing(*columns)
        title = "\n".join([heading, *findings])
        fig = retitled(draw(), title, len(self.scenarios))
        self.figures.append(key)
        caption = self.t[f"cap_{key}"]
        if key == "reach_probability":
            source = "p250_source_forecast" if self.r.p250 is not None else "p250_source_runs"
            caption += " " + self.t[source]
        return figure_html(fig, key, title, caption)

    def end_values(self, columns: Sequence[str]) -> pd.DataFrame:
        """Per run, the columns' values in the last week."""
        cols = [c for c in columns if c in self.ts.columns]
        return self.ts.groupby(RUN_KEYS, sort=False)[cols].last().reset_index()

    # --- page ---------------------------------------------------------------------------
    def page(self) -> str:
        sections = [
            self.section_250(),
            self.section_limits(),
            self.section_costs(),
            self.section_who(),
            self.section_sure(),
            self.section_run(),
        ]
        m = self.r.manifest
        made = dt.date.today().isoformat()
        subtitle = self.f(
            "forecast_subtitle" if self.r.is_forecast else "subtitle",
            name=m.get("name", "?"),
            runs=len(self.r.runs),
            until=self.end_label,
            made=made,
        )
        toc = "".join(
            f'<li><a href="#s{k}">{_e(self.t[f"s{k}"].split(" ", 1)[1])}</a></li>'
            for k in range(1, 7)
        )
        footer = self.f(
            "footer",
            version=m.get("package_version", __version__),
            revision=m.get("git_revision", "unknown"),
        )
        return (
            f'<!DOCTYPE html>\n<html lang="{self.lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(self.f('page_title', name=m.get('name', '?')))}</title>"
            f"<style>{STYLE}</style></head><body><main>"
            f"<h1>{_e(self.t['heading'])}</h1>"
            f'<p class="subtitle">{_e(subtitle)}</p>'
            f"<p>{_e(self.t['intro'])}</p>"
            f"{self.key_findings()}"
            f"<h3>{_e(self.t['scenarios_heading'])}</h3>{self.scenario_table()}"
            f"<nav><h3>{_e(self.t['contents'])}</h3><ol>{toc}</ol></nav>"
            f"{''.join(sections)}"
            f"<footer>{_e(footer)}</footer></main></body></html>\n"
        )

    def key_findings(self) -> str:
        items = []
        for s in self.scenarios:
            per_job = self.measure("cost_net_per_job_year_eur", s)
            text = self.f(
                "finding",
                reach=self.reach_sentence(s),
                per_job=self.num(None if per_job is None else per_job["q50"]),
                constraint=label(self.t, self.top_constraint(s)[0]),
            )
            items.append(f"<li>{self.swatch(s)}: {_e(text)}</li>")
        note = f'<p class="note">{_e(self.t["intervals_note"])}</p>'
        heading = f"<h3>{_e(self.t['key_findings'])}</h3>"
        return f'<section class="findings">{heading}<ul>{"".join(items)}</ul>{note}</section>'

    def scenario_table(self) -> str:
        scenarios = self.r.manifest["experiment"].get("scenarios") or {}
        descriptions = self.r.manifest.get("scenario_descriptions") or {}
        rows = []
        for s in self.scenarios:
            overrides = scenarios.get(s) or {}
            listed = (
                "<br>".join(
                    f"<code>{_e(k)} = {_e(_toml_value(v))}</code>" for k, v in overrides.items()
                )
                if overrides
                else _e(self.t["no_overrides"])
            )
            rows.append(
                [
                    _cell(self.swatch(s), attrs={"data-scenario": s}),
                    _cell(_e(descriptions.get(s, ""))),
                    _cell(listed, attrs={"data-overrides": s}),
                ]
            )
        headers = [_e(self.t[k]) for k in ("scenario", "description", "overrides")]
        table = _table(headers, rows, numeric_from=99, attrs={"id": "scenarios"})
        if self.r.samples > 1:
            table += f'<p class="note">{_e(self.f("sweep_note", count=self.r.samples))}</p>'
        return table

    # --- 1. reaching 250 --------------------------------------------------------------------
    def reach_share(self, scenario: str) -> float:
        """Share of runs with 250 jobs by the end of the last year."""
        rows = self.r.pooled[
            (self.r.pooled["measure"] == "reached_250_by_year")
            & (self.r.pooled["scenario"] == scenario)
        ]
        return float(rows.sort_values("year")["mean"].iloc[-1]) if len(rows) else float("nan")

    def reach_sentence(self, scenario: str) -> str:
        row = self.measure("year_250_reached", scenario)
        share = self.reach_share(scenario)
        if row is None or not share > 0:
            return self.f("reach_none", end=self.end_label)
        median, low, high = (calendar_year(float(row[q])) for q in ("q50", "q05", "q95"))
        if median is None:
            return self.f("reach_some", end=self.end_label, share=self.share(share))
        if high is None:
            return self.f(
                "reach_median_only", year=median, share=self.share(share), end=self.end_label
            )
        if low == high:
            return self.f("reach_in_exact", year=median)
        return self.f("reach_in", year=median, low=low, high=high)

    def section_250(self) -> str:
        from sim.figures import employed_fan

        findings = [f"{s}: {self.reach_sentence(s)}" for s in self.scenarios]
        parts = [
            f'<section id="s1"><h2>{_e(self.t["s1"])}</h2><p>{_e(self.t["s1_intro"])}</p>',
            self.figure(
                "employed_fan",
                self.t["fig_employed_title"],
                findings,
                lambda: employed_fan(self.ts, title="", lang=self.lang),
                ["employed", "job_ceiling"],
            ),
        ]
        p250 = self.p250_table()
        last = int(p250["year"].max())
        p_findings = [
            self.f(
                "p250_finding",
                scenario=s,
                share=self.share(
                    float(
                        p250[(p250["scenario"] == s) & (p250["year"] == last)]["probability"].sum()
                    )
                ),
                year=last,
            )
            for s in self.scenarios
        ]
        parts.append(
            self.figure(
                "reach_probability",
                self.t["fig_p250_title"],
                p_findings,
                lambda: rf.reach_probability(p250, self.colours, title="", lang=self.lang),
            )
        )
        parts.append(self.headline_table())
        if self.r.forecast is not None:
            parts.append(self.forecast_table(self.r.forecast))
        parts.append("</section>")
        return "".join(parts)

    def p250_table(self) -> pd.DataFrame:
        if self.r.p250 is not None:
            frame = self.r.p250
        else:
            rows = self.r.pooled[self.r.pooled["measure"] == "reached_250_by_year"]
            frame = rows.rename(columns={"mean": "probability"})
        frame = frame[frame["scenario"].isin(self.scenarios)][["scenario", "year", "probability"]]
        frame = frame.astype({"year": int, "probability": float})
        order = {s: k for k, s in enumerate(self.scenarios)}
        return frame.sort_values(
            ["scenario", "year"], key=lambda c: c.map(order) if c.name == "scenario" else c
        )

    def headline_table(self) -> str:
        """Jobs on 1 January (a row per year) per scenario (a column each), from summary.csv."""
        summary = self.r.summary
        jan1 = summary[summary["measure"] == "employed_jan1"]
        years = sorted(int(y) for y in jan1["year"].dropna().unique())
        last_year = int(summary[summary["measure"] == "reached_250_by_year"]["year"].max())
        samples = sorted(summary["sample"].unique())
        columns = []  # (scenario, sample, rows of summary.csv)
        for s in self.scenarios:
            for sample in samples:
                mine = summary[(summary["scenario"] == s) & (summary["sample"] == sample)]
                if not mine.empty:
                    columns.append((s, sample, mine))
        headers = [_e(self.t["year"])]
        for s, sample, _ in columns:
            name = self.swatch(s)
            if len(samples) > 1:
                name += f'<br><span class="muted">{_e(self.f("sample", sample=sample))}</span>'
            headers.append(name)
        rows = []
        for year in years:
            row = [_cell(_e(self.f("jan1", year=year)))]
            for s, _, mine in columns:
                cell = mine[(mine["measure"] == "employed_jan1") & (mine["year"] == year)]
                row.append(self.interval_cell(cell, s, "employed_jan1", year, format_jobs))
            rows.append(row)
        row = [_cell(_e(self.t["col_year_250"]))]
        for s, _, mine in columns:
            reach = mine[mine["measure"] == "year_250_reached"]
            row.append(self.interval_cell(reach, s, "year_250_reached", None, self.year_text))
        rows.append(row)
        row = [_cell(_e(self.f("col_share_250", end=self.end_label)))]
        for s, _, mine in columns:
            share = mine[(mine["measure"] == "reached_250_by_year") & (mine["year"] == last_year)]
            value = float(share["mean"].iloc[0]) if len(share) else float("nan")
            attrs = {
                "data-scenario": s,
                "data-measure": "reached_250_by_year",
                "data-year": last_year,
                "data-mean": repr(value),
            }
            row.append(_cell(self.share(value), num=True, attrs=attrs))
        rows.append(row)
        return (
            f"<h3>{_e(self.t['headline'])}</h3>"
            + _table(headers, rows, attrs={"id": "headline"}, totals=(len(years),))
            + f'<p class="note">{_e(self.t["headline_note"])}</p>'
        )

    def year_text(self, value: float | None, lang: str) -> str:
        if value is None or math.isnan(value):
            return "–"
        year = calendar_year(float(value))
        return str(year) if year is not None else self.t["never"]

    def interval_cell(
        self,
        rows: pd.DataFrame,
        scenario: str,
        measure: str,
        year: int | None,
        fmt: Callable[[float | None, str], str],
    ) -> str:
        if rows.empty:
            return _cell("–", num=True)
        row = rows.iloc[0]
        q50, q05, q95 = (float(row[q]) for q in ("q50", "q05", "q95"))
        attrs = {
            "data-scenario": scenario,
            "data-measure": measure,
            "data-year": "" if year is None else year,
            "data-q50": repr(q50),
            "data-q05": repr(q05),
            "data-q95": repr(q95),
        }
        low, high = fmt(q05, self.lang), fmt(q95, self.lang)
        spread = low if low == high and measure == "year_250_reached" else f"{low}–{high}"
        body = f'{fmt(q50, self.lang)}<span class="iv">{spread}</span>'
        return _cell(body, num=True, attrs=attrs)

    def forecast_table(self, forecast: pd.DataFrame) -> str:
        frame = forecast[forecast["scenario"].isin(self.scenarios)].copy()
        frame["day"] = pd.to_datetime(frame["date"]).dt.date
        dates = sorted(frame["day"].unique())
        headers = [_e(self.t["scenario"]), _e(self.t["quantity"])] + [d.isoformat() for d in dates]
        rows = []
        quantities = ("employed", "employed_permanent", "exited_cum", "cost_net_eur_cum")
        for s in self.scenarios:
            for quantity in quantities:
                mine = frame[(frame["scenario"] == s) & (frame["quantity"] == quantity)]
                if mine.empty:
                    continue
                scale = 1e6 if quantity == "cost_net_eur_cum" else 1.0
                decimals = 2 if scale > 1 else 0
                row = [_cell(self.swatch(s)), _cell(_e(self.t[f"q_{quantity}"]))]
                for day in dates:
                    at = mine[mine["day"] == day]
                    if at.empty:
                        row.append(_cell("–", num=True))
                        continue
                    q = at.iloc[0]
                    row.append(
                        _cell(
                            _with_interval(
                                *(self.num(q[k] / scale, decimals) for k in ("q50", "q025", "q975"))
                            ),
                            num=True,
                            attrs={
                                "data-scenario": s,
                                "data-quantity": quantity,
                                "data-date": day.isoformat(),
                            },
                        )
                    )
                rows.append(row)
        return (
            f"<h3>{_e(self.t['forecast_table'])}</h3>"
            + _table(headers, rows, numeric_from=2, attrs={"id": "forecast"})
            + f'<p class="note">{_e(self.t["forecast_note"])}</p>'
        )

    # --- 2. what limits growth -------------------------------------------------------------
    def top_constraint(self, scenario: str, last_year: bool = False) -> tuple[str, float]:
        shares = (
            self.last_year_binding().get(scenario, {})
            if last_year
            else self.binding_shares(scenario)
        )
        if not shares:
            return "candidates", float("nan")
        name = max(CONSTRAINTS, key=lambda c: shares.get(c, 0.0))
        return name, shares.get(name, 0.0)

    def binding_shares(self, scenario: str) -> dict[str, float]:
        shares = {}
        for c in CONSTRAINTS:
            row = self.measure(f"binding_{c}", scenario)
            shares[c] = float(row["mean"]) if row is not None else float("nan")
        return shares

    def last_year_binding(self) -> dict[str, dict[str, float]]:
        if "binding_constraint" not in self.ts.columns:
            return {}
        recent = self.ts[self.ts["date"] > self.r.end - pd.Timedelta(days=365)]
        shares = recent.groupby("scenario")["binding_constraint"].value_counts(normalize=True)
        return {s: {c: float(shares.get((s, c), 0.0)) for c in CONSTRAINTS} for s in self.scenarios}

    def worst_year_waiting_for_tasks(self) -> dict[str, tuple[int, float]]:
        """Per scenario, the year with most selected candidates waiting for tasks.

        The median over runs of each year's mean. Those candidates count against the jobs
        ceiling when new candidates are admitted to the intake, so a task shortage can
        be recorded as the ceiling holding starts back.
        """
        if not self.has("waiting_for_tasks"):
            return {}
        frame = self.ts.assign(year=pd.to_datetime(self.ts["date"]).dt.year)
        yearly = frame.groupby([*RUN_KEYS, "year"])["waiting_for_tasks"].mean()
        medians = yearly.groupby(["scenario", "year"]).median()
        worst = {}
        for s in self.scenarios:
            if s in medians.index.get_level_values("scenario"):
                mine = medians.xs(s, level="scenario")
                worst[s] = (int(mine.idxmax()), float(mine.max()))
        return worst

    def section_limits(self) -> str:
        from sim.figures import binding_constraints, intake_funnel

        ends = self.end_values([column for _, column in FUNNEL])
        medians = ends.groupby("scenario")[[c for c in ends.columns if c not in RUN_KEYS]].median()
        funnel_findings = []
        for s in self.scenarios:
            if s in medians.index and {"started_cum", "spoken_cum"} <= set(medians.columns):
                started, spoken = (
                    float(medians.loc[s, "started_cum"]),
                    float(medians.loc[s, "spoken_cum"]),
                )
                funnel_findings.append(
                    self.f(
                        "funnel_finding",
                        scenario=s,
                        started=format_jobs(started, self.lang),
                        spoken=format_jobs(spoken, self.lang),
                        share=self.share(started / spoken if spoken else float("nan")),
                    )
                )
        parts = [
            f'<section id="s2"><h2>{_e(self.t["s2"])}</h2><p>{_e(self.t["s2_intro"])}</p>',
            self.figure(
                "intake_funnel",
                self.t["fig_funnel_title"],
                funnel_findings,
                lambda: intake_funnel(self.ts, lang=self.lang),
                [column for _, column in FUNNEL if column not in ("eligible", "exited_cum")],
            ),
        ]
        # The funnel as a table.
        headers = [_e(self.t["stage"])] + [self.swatch(s) for s in self.scenarios]
        rows = []
        for key, column in FUNNEL:
            if column not in medians.columns:
                continue
            name = (
                self.f("stage_rejected", reason=label(self.t, key))
                if column.startswith("rejected")
                else self.t[key]
            )
            rows.append(
                [_cell(_e(name))]
                + [
                    _cell(
                        format_jobs(float(medians.loc[s, column]), self.lang),
                        num=True,
                        attrs={"data-scenario": s, "data-column": column},
                    )
                    for s in self.scenarios
                ]
            )
        parts.append(f"<h3>{_e(self.f('funnel_table', end=self.end_label))}</h3>")
        parts.append(_table(headers, rows, attrs={"id": "funnel"}))
        parts.append(f'<p class="note">{_e(self.t["funnel_note"])}</p>')
        # Binding constraints over time, and as shares.
        binding_findings = []
        for s in self.scenarios:
            name, share = self.top_constraint(s)
            binding_findings.append(
                self.f(
                    "binding_finding",
                    scenario=s,
                    constraint=label(self.t, name),
                    share=self.share(share),
                )
            )
        parts.append(
            self.figure(
                "binding_constraints",
                self.t["fig_binding_title"],
                binding_findings,
                lambda: binding_constraints(self.ts, lang=self.lang),
                ["binding_constraint"],
            )
        )
        recent = self.last_year_binding()
        headers = [_e(self.t["scenario"])]
        for c in CONSTRAINTS:
            headers.append(_e(label(self.t, c)))
        rows = []
        for s in self.scenarios:
            whole = self.binding_shares(s)
            row = [
                _cell(
                    _with_interval(
                        self.swatch(s), _e(self.t["whole_run"]), _e(self.t["last_year"]), " / "
                    )
                )
            ]
            for c in CONSTRAINTS:
                last = recent.get(s, {}).get(c, float("nan"))
                row.append(
                    _cell(
                        f'{self.share(whole[c])}<span class="iv">{self.share(last)}</span>',
                        num=True,
                        attrs={
                            "data-scenario": s,
                            "data-measure": f"binding_{c}",
                            "data-mean": repr(whole[c]),
                        },
                    )
                )
            rows.append(row)
        parts.append(f"<h3>{_e(self.t['binding_table'])}</h3>")
        parts.append(_table(headers, rows, attrs={"id": "binding"}))
        parts.append(f'<p class="note">{_e(self.t["binding_note"])}</p>')
        waiting_for_tasks = self.worst_year_waiting_for_tasks()
        ceilings = (
            self.end_values(["job_ceiling"]).groupby("scenario")["job_ceiling"].median()
            if self.has("job_ceiling")
            else pd.Series(dtype=float)
        )
        advice = []
        for s in self.scenarios:
            name, _ = self.top_constraint(s, last_year=True)
            jobs = float(medians.loc[s, "employed"]) if "employed" in medians else float("nan")
            ceiling = float(ceilings.get(s, float("nan")))
            # At the target size the ceiling holds by design: no lever to pull.
            if name == "ceiling" and ceiling >= TARGET_JOBS and jobs >= 0.95 * ceiling:
                text = self.f(
                    "lever_full",
                    scenario=s,
                    jobs=format_jobs(jobs, self.lang),
                    ceiling=format_jobs(ceiling, self.lang),
                )
            else:
                lever = label(self.t, f"lever_{name}")
                text = self.f(
                    "lever_advice", scenario=s, constraint=label(self.t, name), lever=lever
                )
            waiting = waiting_for_tasks.get(s)
            if waiting is not None and waiting[1] >= WAITING_FOR_TASKS_NOTE:
                text += " " + self.f(
                    "tasks_hidden",
                    year=waiting[0],
                    waiting=self.num(waiting[1]),
                )
            advice.append(f"<li>{_e(text)}</li>")
        parts.append(
            f'<h3>{_e(self.t["lever"])}</h3><ul id="levers">{"".join(advice)}</ul></section>'
        )
        return "".join(parts)

    # --- 3. costs ----------------------------------------------------------------------------
    def run_costs(self) -> pd.DataFrame:
        """Per run: totals of each cost item, gross, net and job-years."""
        items = [c for c in COST_ITEMS.values() if c in self.ts.columns]
        sums = self.ts.groupby(RUN_KEYS, sort=False)[
            [*items, "cost_gross_eur", "cost_net_eur", "employed"]
        ].sum()
        sums["job_years"] = sums.pop("employed") / WEEKS_PER_YEAR
        return sums.reset_index()

    def full_years(self) -> list[int]:
        dates = pd.to_datetime(self.ts["date"])
        first, last = dates.min(), dates.max()
        return [
            y
            for y in range(first.year, last.year + 1)
            if first <= pd.Timestamp(y, 1, 7) and last >= pd.Timestamp(y, 12, 24)
        ]

    def section_costs(self) -> str:
        from sim.figures import cost_per_year, cumulative_net_cost

        full = self.full_years()
        cost_year = full[-1] if full else int(self.r.end.year)
        start_year, end_year = int(self.r.start.year), int(self.r.end.year)
        year_findings = []
        cum_findings = []
        for s in self.scenarios:
            net = self.measure("cost_net_eur", s, cost_year)
            year_findings.append(
                self.f(
                    "cost_year_finding",
                    scenario=s,
                    net=format_millions(None if net is None else net["q50"], self.lang),
                    year=cost_year,
                )
            )
            cum = self.measure("cost_net_cum_eur", s, end_year)
            cum_findings.append(
                self.f(
                    "cost_cum_finding",
                    scenario=s,
                    net=format_millions(None if cum is None else cum["q50"], self.lang),
                    end=self.end_label,
                )
            )
        parts = [
            f'<section id="s3"><h2>{_e(self.t["s3"])}</h2><p>{_e(self.t["s3_intro"])}</p>',
            self.figure(
                "cost_per_year",
                self.t["fig_cost_year_title"],
                year_findings,
                lambda: cost_per_year(self.ts, lang=self.lang),
                [*COST_ITEMS.values(), "cost_gross_eur", "cost_net_eur", "employed"],
            ),
            self.figure(
                "cumulative_net_cost",
                self.t["fig_cost_cum_title"],
                cum_findings,
                lambda: cumulative_net_cost(self.ts, lang=self.lang),
                ["cost_net_eur"],
            ),
            self.cost_year_table(),
        ]
        items = list(COST_ITEMS.values())
        if not self.has(*items):
            parts.append(self.missing(*items))
        else:
            costs = self.run_costs()
            parts.append(self.items_table(costs, start_year, end_year))
            parts.append(self.payers_part(costs, start_year, end_year))
        parts.append(self.budget_part())
        parts.append("</section>")
        return "".join(parts)

    def cost_year_table(self) -> str:
        years = self.r.years.copy()
        years["cost_gross_per_job_year_eur"] = years["cost_gross_eur"] / years["job_years"].where(
            years["job_years"] > 0
        )
        gross_per_job = years.groupby(["scenario", "year"])["cost_gross_per_job_year_eur"].median()
        all_years = sorted(int(y) for y in years["year"].unique())
        headers = [_e(self.t["scenario"]), _e(self.t["measure"])] + [str(y) for y in all_years]
        rows = []
        for s in self.scenarios:
            for key, measure in (
                ("m_gross", "cost_gross_eur"),
                ("m_net", "cost_net_eur"),
                ("m_gross_per_job_year", None),
                ("m_net_per_job_year", "cost_net_per_job_year_eur"),
            ):
                row = [_cell(self.swatch(s)), _cell(_e(self.t[key]))]
                for y in all_years:
                    if measure is None:
                        value = float(gross_per_job.get((s, y), float("nan")))
                        row.append(_cell(self.num(value), num=True))
                        continue
                    found = self.measure(measure, s, y)
                    value = float("nan") if found is None else float(found["q50"])
                    text = (
                        self.num(value)
                        if "per_job" in measure
                        else format_millions(value, self.lang)
                    )
                    row.append(
                        _cell(
                            text,
                            num=True,
                            attrs={"data-scenario": s, "data-measure": measure, "data-year": y},
                        )
                    )
                rows.append(row)
        return (
            f"<h3>{_e(self.t['cost_table'])}</h3>"
            + _table(headers, rows, numeric_from=2, attrs={"id": "costs"})
            + f'<p class="note">{_e(self.t["cost_table_note"])}</p>'
        )

    def items_table(self, costs: pd.DataFrame, start: int, end: int) -> str:
        means = costs.groupby("scenario").mean(numeric_only=True)
        per_job = costs.assign(
            **{
                c: costs[c] / costs["job_years"]
                for c in [*COST_ITEMS.values(), "cost_gross_eur", "cost_net_eur"]
            }
        )
        per_job_means = per_job.groupby("scenario").mean(numeric_only=True)
        headers = [_e(self.t["item"])] + [self.swatch(s) for s in self.scenarios]
        rows = []
        lines = [(k, v, -1 if k in SAVINGS else 1) for k, v in COST_ITEMS.items()]
        lines += [("gross_total", "cost_gross_eur", 1), ("net_total", "cost_net_eur", 1)]
        for key, column, sign in lines:
            name = self.t[key] if key in ("gross_total", "net_total") else label(self.t, key)
            row = [_cell(_e(name))]
            for s in self.scenarios:
                total = sign * float(means.loc[s, column])
                per_job_year = sign * float(per_job_means.loc[s, column])
                row.append(
                    self.money_cell(total, per_job_year, {"data-scenario": s, "data-item": key})
                )
            rows.append(row)
        return (
            f"<h3>{_e(self.f('items_table', start=start, end=end))}</h3>"
            + _table(headers, rows, attrs={"id": "items"}, totals=(len(lines) - 2, len(lines) - 1))
            + f'<p class="note">{_e(self.t["items_note"])}</p>'
        )

    def money_cell(self, total: float, per_job_year: float, attrs: Mapping[str, object]) -> str:
        """Euro million over the run, with euros per job-year in small type below."""
        below = self.f("per_job_year_value", value=self.num(per_job_year))
        text = f'{format_millions(total, self.lang)}<span class="iv">{_e(below)}</span>'
        return _cell(text, num=True, attrs={**attrs, "data-total": repr(total)})

    def payers_part(self, costs: pd.DataFrame, start: int, end: int) -> str:
        payers = cost_by_party(costs)
        parties = list(PARTIES)
        means = payers.groupby("scenario").mean(numeric_only=True)
        per_job = payers.assign(
            **{p: payers[p] / payers["job_years"] for p in [*parties, "net_model"]}
        )
        per_job_means = per_job.groupby("scenario").mean(numeric_only=True)
        chart = pd.DataFrame(
            {s: [float(means.loc[s, p]) / 1e6 for p in parties] for s in self.scenarios},
            index=[label(self.t, p) for p in parties],
        )
        findings = [
            self.f(
                "payers_finding",
                scenario=s,
                municipality=format_millions(float(means.loc[s, "municipality"]), self.lang),
                national=format_millions(-float(means.loc[s, "national"]), self.lang),
            )
            for s in self.scenarios
        ]
        figure = self.figure(
            "cost_by_payer",
            self.f("fig_payers_title", start=start, end=end),
            findings,
            lambda: rf.cost_by_payer(
                chart,
                self.colours,
                title="",
                period=(start, end),
                lang=self.lang,
                number=lambda value: self.num(value, 2),
            ),
        )
        headers = [_e(self.t["party"])] + [self.swatch(s) for s in self.scenarios]
        rows = []
        for p in [*parties, "net_model"]:
            row = [_cell(_e(label(self.t, p)))]
            for s in self.scenarios:
                total, per_job_year = float(means.loc[s, p]), float(per_job_means.loc[s, p])
                row.append(
                    self.money_cell(total, per_job_year, {"data-scenario": s, "data-party": p})
                )
            rows.append(row)
        return (
            figure
            + f"<h3>{_e(self.f('payers_table', start=start, end=end))}</h3>"
            + _table(headers, rows, attrs={"id": "payers"}, totals=(len(parties),))
            + f'<p class="note">{_e(self.t["payers_note"])}</p>'
            + f'<p class="assumption" id="payers-assumption">{_e(self.t["payers_assumption"])}</p>'
        )

    def budgets(self) -> dict[str, float]:
        """Scenario -> yearly net budget (EUR) where one is given."""
        if self.budget_override is not None:
            return dict.fromkeys(self.scenarios, float(self.budget_override))
        experiment = self.r.manifest["experiment"]
        base = experiment.get("base") or {}
        scenarios = experiment.get("scenarios") or {}
        found = {}
        for s in self.scenarios:
            value = {**base, **(scenarios.get(s) or {})}.get("budget_net_eur_per_year")
            if value is not None:
                found[s] = float(value)
        return found

    def budget_part(self) -> str:
        heading = f"<h3>{_e(self.t['budget_heading'])}</h3>"
        budgets = self.budgets()
        if not budgets:
            return heading + f'<p id="budget">{_e(self.t["no_budget"])}</p>'
        net = self.r.years.pivot_table(
            index="year", columns="scenario", values="cost_net_eur", aggfunc="median"
        )
        net = net[[s for s in self.scenarios if s in net.columns]]
        findings = []
        rows = []
        for s in self.scenarios:
            if s not in budgets:
                continue
            over = [int(y) for y in net.index if net.loc[y, s] > budgets[s]]
            if over:
                findings.append(
                    self.f("budget_finding_over", scenario=s, years=", ".join(map(str, over)))
                )
            else:
                findings.append(self.f("budget_finding_within", scenario=s))
            for y in net.index:
                gap = float(net.loc[y, s]) - budgets[s]
                rows.append(
                    [
                        _cell(self.swatch(s)),
                        _cell(str(int(y))),
                        _cell(format_millions(float(net.loc[y, s]), self.lang), num=True),
                        _cell(format_millions(budgets[s], self.lang), num=True),
                        _cell(
                            format_millions(max(gap, 0.0), self.lang),
                            num=True,
                            attrs={"data-scenario": s, "data-year": int(y), "data-gap": repr(gap)},
                        ),
                    ]
                )
        figure = self.figure(
            "net_cost_against_budget",
            self.t["fig_budget_title"],
            findings,
            lambda: rf.net_cost_against_budget(
                net / 1e6,
                {s: b / 1e6 for s, b in budgets.items()},
                self.colours,
                title="",
                lang=self.lang,
            ),
        )
        headers = [_e(self.t[k]) for k in ("scenario", "year")] + [
            _e(self.t["m_net"]),
            _e(self.t["budget"]),
            _e(self.t["gap"]),
        ]
        return (
            heading
            + figure
            + _table(headers, rows, numeric_from=2, attrs={"id": "budget"})
            + f'<p class="note">{_e(self.t["budget_note"])}</p>'
        )

    # --- 4. who and where ----------------------------------------------------------------------
    def section_who(self) -> str:
        from sim.figures import wijk_map

        parts = [f'<section id="s4"><h2>{_e(self.t["s4"])}</h2><p>{_e(self.t["s4_intro"])}</p>']
        parts.append(self.composition_part())
        parts.append(self.wijk_part(wijk_map))
        parts.append("</section>")
        return "".join(parts)

    def composition_part(self) -> str:
        comp = self.r.composition
        groups = list(dict.fromkeys(comp["group"]))
        eligible = comp.groupby("group")["eligible_share"].mean().reindex(groups)
        stats = (
            comp.groupby(["scenario", "group"])["participant_share"]
            .agg(mean="mean", low=lambda x: x.quantile(0.05), high=lambda x: x.quantile(0.95))
            .reset_index()
        )
        stats = stats[stats["scenario"].isin(self.scenarios)]
        first = self.scenarios[0]
        gaps = stats[stats["scenario"] == first].set_index("group")["mean"] - eligible
        gaps = gaps.dropna()
        findings = []
        for group in dict.fromkeys([gaps.idxmin(), gaps.idxmax()] if len(gaps) else []):
            findings.append(
                self.f(
                    "composition_finding",
                    group=label(self.t, group),
                    participants=self.share(
                        float(
                            stats[(stats["scenario"] == first) & (stats["group"] == group)][
                                "mean"
                            ].iloc[0]
                        )
                    ),
                    eligible=self.share(float(eligible[group])),
                    scenario=first,
                )
            )
        chart = stats.assign(group=stats["group"].map(lambda g: label(self.t, g)))
        chart["scenario"] = pd.Categorical(chart["scenario"], self.scenarios)
        chart = chart.sort_values("scenario").astype({"scenario": str})
        figure = self.figure(
            "composition",
            self.t["fig_composition_title"],
            findings,
            lambda: rf.composition_against_eligible(
                chart,
                pd.Series(eligible.to_numpy(), index=[label(self.t, g) for g in groups]),
                self.colours,
                title="",
                lang=self.lang,
            ),
        )
        headers = [_e(self.t["group"]), _e(self.t["eligible"])] + [
            self.swatch(s) for s in self.scenarios
        ]
        rows = []
        for group in groups:
            row = [
                _cell(_e(label(self.t, group))),
                _cell(self.share(float(eligible[group])), num=True),
            ]
            for s in self.scenarios:
                mine = stats[(stats["scenario"] == s) & (stats["group"] == group)]
                if mine.empty:
                    row.append(_cell("–", num=True))
                    continue
                m = mine.iloc[0]
                row.append(
                    _cell(
                        _with_interval(*(self.share(m[k]) for k in ("mean", "low", "high"))),
                        num=True,
                        attrs={"data-scenario": s, "data-group": group},
                    )
                )
            rows.append(row)
        return (
            figure
            + f"<h3>{_e(self.t['composition_table'])}</h3>"
            + _table(headers, rows, attrs={"id": "composition"})
            + f'<p class="note">{_e(self.t["composition_note"])}</p>'
        )

    def wijk_part(self, wijk_map: Callable[..., Figure]) -> str:
        by_wijk = self.r.by_wijk
        end = by_wijk["date"].max()
        at_end = by_wijk[by_wijk["date"] == end].groupby(["scenario", "wijk"])["employed"].median()
        findings = []
        for s in self.scenarios:
            mine = (
                at_end.xs(s, level="scenario")
                if s in at_end.index.get_level_values(0)
                else pd.Series(dtype=float)
            )
            if len(mine):
                findings.append(
                    self.f(
                        "wijk_finding",
                        scenario=s,
                        wijk=mine.idxmax(),
                        count=format_jobs(float(mine.max()), self.lang),
                        fewest=mine.idxmin(),
                        low=format_jobs(float(mine.min()), self.lang),
                    )
                )
        figure = self.figure(
            "wijk_map",
            self.f("fig_wijk_title", date=pd.Timestamp(end).date().isoformat()),
            findings,
            lambda: wijk_map(by_wijk, lang=self.lang),
        )
        observed_day = pd.Timestamp(EMPLOYED_BY_WIJK_DATE)
        early = by_wijk[by_wijk["date"] <= observed_day]
        at_2022 = None
        if len(early) and by_wijk["date"].min() <= observed_day <= end:
            day = early["date"].max()
            at_2022 = early[early["date"] == day].groupby(["scenario", "wijk"])["employed"].median()
        headers = [_e(self.t["wijk"]), _e(self.t["observed_2022"])]
        headers += [self.swatch(s) for s in self.scenarios]
        rows = []
        for wijk in WIJKEN:
            row = [_cell(_e(wijk)), _cell(str(OBSERVED_2022_01_01[wijk]), num=True)]
            for s in self.scenarios:
                value = format_jobs(float(at_end.get((s, wijk), float("nan"))), self.lang)
                if at_2022 is not None:
                    early_value = float(at_2022.get((s, wijk), float("nan")))
                    value += f'<span class="iv">{format_jobs(early_value, self.lang)}</span>'
                row.append(_cell(value, num=True, attrs={"data-scenario": s, "data-wijk": wijk}))
            rows.append(row)
        return (
            figure
            + f"<h3>{_e(self.t['wijk_table'])}</h3>"
            + _table(headers, rows, attrs={"id": "wijken"})
            + f'<p class="note">{_e(self.f("wijk_note", end=self.end_label))}</p>'
        )

    # --- 5. how sure ---------------------------------------------------------------------------
    def section_sure(self) -> str:
        parts = [f'<section id="s5"><h2>{_e(self.t["s5"])}</h2>']
        ppc = self.r.ppc
        if ppc is None:
            parts.append(f'<p id="uncertainty">{_e(self.t["no_calibration"])}</p></section>')
            return "".join(parts)
        inside = int(ppc["inside_90"].astype(str).str.lower().isin(["true", "1"]).sum())
        ppc = ppc.assign(inside_90=ppc["inside_90"].astype(str).str.lower().isin(["true", "1"]))
        parts.append(f"<p>{_e(self.t['calibration_intro'])}</p>")
        parts.append(
            self.figure(
                "calibration_fit",
                self.f("fig_ppc_title", inside=inside, total=len(ppc)),
                [],
                lambda: calibration_fit(ppc, title="", lang=self.lang),
            )
        )
        headers = [_e(self.t[k]) for k in ("target", "date", "observed", "predicted", "inside")]
        rows = []
        for _, target in ppc.iterrows():
            decimals = (
                3 if abs(float(target["observed"])) < 1 and float(target["observed"]) != 0 else 0
            )
            yes = bool(target["inside_90"])
            rows.append(
                [
                    _cell(_e(target["target"])),
                    _cell(_e(target["date"])),
                    _cell(self.num(float(target["observed"]), decimals), num=True),
                    _cell(
                        _with_interval(
                            *(self.num(float(target[k]), decimals) for k in ("q50", "q05", "q95"))
                        ),
                        num=True,
                    ),
                    _cell(
                        _e(self.t["yes" if yes else "no"])
                        if yes
                        else f'<span class="inside-no">{_e(self.t["no"])}</span>'
                    ),
                ]
            )
        parts.append(f"<h3>{_e(self.t['ppc_table'])}</h3>")
        parts.append(_table(headers, rows, numeric_from=2, attrs={"id": "ppc"}))
        parts.append(f'<p class="note">{_e(self.t["ppc_note"])}</p>')
        parts.append(f'<p id="uncertainty">{_e(self.t["forecast_intervals"])}</p></section>')
        return "".join(parts)

    # --- 6. what was run ------------------------------------------------------------------------
    def section_run(self) -> str:
        m = self.r.manifest
        experiment = m["experiment"]
        base = experiment.get("base") or {}
        sweep = experiment.get("sweep")
        seeds = m.get("seeds") or []
        seed_text = ", ".join(str(s) for s in seeds[:10]) + (
            f", … ({len(seeds)})" if len(seeds) > 10 else ""
        )
        seconds = (m.get("run_seconds") or {}).get("total")
        settings = [
            ("r_name", _e(m.get("name", ""))),
            ("r_description", _e(m.get("description", ""))),
            ("r_file", f"<code>{_e(m.get('experiment_file', ''))}</code>"),
            ("r_hash", f"<code>{_e(m.get('experiment_hash', ''))}</code>"),
            (
                "r_base",
                "<br>".join(f"<code>{_e(k)} = {_e(_toml_value(v))}</code>" for k, v in base.items())
                or _e(self.t["none"]),
            ),
            (
                "r_sweep",
                _e(self.f("r_sweep_samples", count=len(sweep), names=", ".join(sweep[0])))
                if sweep
                else _e(self.t["none"]),
            ),
            ("r_replicates", _e(m.get("replicates", experiment.get("replicates", "")))),
            ("r_seed", f"<code>{_e(m.get('master_seed', experiment.get('seed', '')))}</code>"),
            ("r_seeds", f"<code>{_e(seed_text)}</code>"),
            ("r_until", _e(m.get("until", experiment.get("until", "")))),
            ("r_runs", _e(f"{len(self.r.runs)} / {m.get('runs_total', '?')}")),
            ("r_version", _e(m.get("package_version", ""))),
            ("r_revision", f"<code>{_e(m.get('git_revision', ''))}</code>"),
            ("r_started", _e(str(m.get("started", "")).replace("T", " "))),
            ("r_finished", _e(str(m.get("finished", "")).replace("T", " "))),
            ("r_seconds", _e("–" if seconds is None else f"{self.num(float(seconds), 1)} s")),
            ("r_workers", _e(m.get("workers", ""))),
            ("r_results", f"<code>{_e(self.r.directory.resolve())}</code>"),
            ("r_report", _e(dt.datetime.now().isoformat(timespec="seconds").replace("T", " "))),
        ]
        rows = [[_cell(_e(self.t[k])), _cell(v, attrs={"data-setting": k})] for k, v in settings]
        text = m.get("experiment_text") or json.dumps(experiment, indent=2)
        return (
            f'<section id="s6"><h2>{_e(self.t["s6"])}</h2>'
            f"<h3>{_e(self.t['scenarios_heading'])}</h3>{self.scenario_table()}"
            + _table(
                [_e(self.t["setting"]), _e(self.t["value"])],
                rows,
                numeric_from=99,
                attrs={"id": "run"},
            )
            + f"<details><summary>{_e(self.t['experiment_text'])}</summary>"
            + f"<pre>{_e(text)}</pre></details>"
            + "</section>"
        )


def _toml_value(value: object) -> str:
    """An override as it would be written in TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return str(value)


__all__ = [
    "PARTIES",
    "REPORT_FILE",
    "Results",
    "build_report",
    "cost_by_party",
    "format_jobs",
    "format_number",
    "load_results",
    "write_report",
]
