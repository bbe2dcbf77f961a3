"""The report: any experiment's or forecast's results as one self-contained HTML file.

:func:`build_report` reads a results directory (:func:`~sim.report.results.read_results`)
and returns an HTML page with every figure embedded as a base64 PNG and a small inline
stylesheet, so it opens anywhere without network access; :func:`write_report` writes it
(by default to ``RESULTS_DIR/report.html``). In English or Dutch, it answers per
scenario and side by side, a section each:

1. When do we reach 250 jobs? (:mod:`sim.report.reach`)
2. What limits growth? (:mod:`sim.report.limits`)
3. What does it cost, and who pays? (:mod:`sim.report.costs`)
4. Who takes part, and where? (:mod:`sim.report.who`)
5. How sure are we? (:mod:`sim.report.certainty`)
6. What was run? (:mod:`sim.report.run`)

with the key findings (:mod:`sim.report.findings`) on top. Each section is a module
whose functions compute its tables, a dict of its words in both languages and a
Jinja2 template (``templates/``) that lays the tables out in those words; figures come
from :mod:`sim.figures`, drawn in the report's language. :mod:`sim.report.context`
holds what the sections share, :mod:`sim.report.page` puts the page together. The
results of a sensitivity analysis or a scenario discovery get a report of their own
(:mod:`sim.report.analysis`).

A directory that is not a results directory raises :class:`~sim.params.ConfigError`
with a message that says why, so the command line exits with status 2. The report
does not import the model (or Mesa).
"""

from __future__ import annotations

from pathlib import Path

from sim.config.errors import ConfigError
from sim.report.analysis import build_analysis_page, is_analysis
from sim.report.context import LANGUAGES
from sim.report.costs import COST_ITEMS, PARTIES, cost_by_party
from sim.report.formats import format_jobs, format_number
from sim.report.page import build_page
from sim.report.results import Results, read_results

REPORT_FILE = "report.html"


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
        ConfigError: see :func:`~sim.report.results.read_results`; also for an unknown
            language.
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
        ConfigError: see :func:`~sim.report.results.read_results`; also for an unknown
            language.
    """
    if lang not in LANGUAGES:
        raise ConfigError(
            f"unknown report language '{lang}'; choose one of {', '.join(LANGUAGES)}",
            source="--lang",
        )
    if is_analysis(results_dir):
        # A sensitivity analysis or a scenario discovery has a report of its own.
        return build_analysis_page(results_dir, lang)
    return build_page(read_results(results_dir), lang, budget_eur_per_year)


__all__ = [
    "COST_ITEMS",
    "PARTIES",
    "REPORT_FILE",
    "Results",
    "build_report",
    "cost_by_party",
    "format_jobs",
    "format_number",
    "read_results",
    "write_report",
]
