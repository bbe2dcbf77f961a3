"""What every section of the report shares: the results, the language, figures, templates.

A section is a module with one or more functions that compute its tables from
:class:`~sim.report.results.Results`, a dict of its words per language (``WORDS``, and
``LABELS`` for names in the data) and a Jinja2 template in ``templates/`` that lays the
tables out in words. :class:`Context` carries what the sections share: the results,
the language, the scenarios in the report's order with their colours, and how a figure
is drawn, titled with its finding and embedded as a PNG.

Templates are autoescaped. Numbers reach them raw and are written by filters in the
page's language: ``number(decimals)``, ``jobs``, ``share``, ``millions``,
``year(never)``; ``fill(**values)`` fills a phrase's ``{fields}``, ``label`` gives a
name from the data in words, ``toml`` writes an override as in an experiment file and
``exact`` gives a number in full for ``data-`` attributes.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jinja2
import pandas as pd
from markupsafe import Markup
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from sim.figures.style import DPI, retitled, scenario_colours
from sim.report import formats
from sim.report.results import Results

Words = Mapping[str, Mapping[str, str]]
"""Phrases per language: ``{"en": {key: phrase}, "nl": {key: phrase}}``."""

LANGUAGES = ("en", "nl")

# Phrases more than one section uses.
COMMON: dict[str, dict[str, str]] = {
    "en": {
        "scenario": "Scenario",
        "scenarios_heading": "Scenarios",
        "year": "Year",
        "not_available": "Not available: {what}",
        "missing_columns": "the run did not keep {columns}",
    },
    "nl": {
        "scenario": "Scenario",
        "scenarios_heading": "Scenario's",
        "year": "Jaar",
        "not_available": "Niet beschikbaar: {what}",
        "missing_columns": "de run bewaarde {columns} niet",
    },
}


@jinja2.pass_context
def _number(context: jinja2.runtime.Context, value: float | None, decimals: int = 0) -> str:
    return formats.format_number(value, context["lang"], decimals)


@jinja2.pass_context
def _jobs(context: jinja2.runtime.Context, value: float | None) -> str:
    return formats.format_jobs(value, context["lang"])


@jinja2.pass_context
def _share(context: jinja2.runtime.Context, value: float | None) -> str:
    return formats.format_share(value, context["lang"])


@jinja2.pass_context
def _millions(context: jinja2.runtime.Context, value: float | None) -> str:
    return formats.format_millions(value, context["lang"])


@jinja2.pass_context
def _label(context: jinja2.runtime.Context, name: str) -> str:
    return context["labels"].get(name, name)


def _fill(phrase: str, **values: object) -> str:
    return phrase.format(**values)


def _exact(value: float) -> str:
    """A number in full, for data attributes that tests and scripts read back."""
    return repr(float(value))


ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("sim.report", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
ENVIRONMENT.filters.update(
    number=_number,
    jobs=_jobs,
    share=_share,
    millions=_millions,
    year=formats.format_year,
    label=_label,
    fill=_fill,
    toml=formats.toml_value,
    exact=_exact,
)
ENVIRONMENT.globals["nan"] = float("nan")


@dataclass(frozen=True)
class FigureBlock:
    """A drawn figure as the page embeds it."""

    key: str  # the figure's name: its id is fig-KEY, its data-figure attribute KEY
    alt: str  # the heading and findings drawn as its title, on one line
    png: str  # the PNG, base64
    caption: str  # how to read it
    findings: tuple[str, ...] = ()  # the finding lines of its title, a line per scenario


@dataclass(frozen=True)
class Missing:
    """What the page says in place of a figure or table whose columns were not kept."""

    note: str


@dataclass
class Context:
    """The results and language of one report, shared by its sections.

    Attributes:
        results: the results directory, read.
        lang: ``"en"`` or ``"nl"``.
        budget: a yearly net budget (EUR) given on the command line, if any.
        scenarios: the scenarios in the report's order.
        colours: each scenario's colour, the same in every figure and table.
        end_label: the last date of the runs, ISO.
    """

    results: Results
    lang: str
    budget: float | None = None
    scenarios: list[str] = field(init=False)
    colours: dict[str, str] = field(init=False)
    end_label: str = field(init=False)

    def __post_init__(self) -> None:
        self.scenarios = list(self.results.scenarios)
        # Colours in the order scenarios appear in the tables (the baseline first), as
        # the figures of every run give them, so a scenario keeps its colour throughout.
        colours = scenario_colours(pd.unique(self.results.timeseries["scenario"].astype(str)))
        self.colours = {s: to_hex(colours[s]) for s in self.scenarios}
        self.end_label = self.results.end.date().isoformat()

    def words(self, *tables: Words) -> dict[str, str]:
        """The common phrases and those of ``tables``, in the report's language.

        ``{target}`` (the jobs the programme aims for) and ``{municipality}`` are filled
        in here, from the results, so that every section speaks of the place it reports on.
        """
        merged = dict(COMMON[self.lang])
        for table in tables:
            merged.update(table[self.lang])
        target, place = str(self.results.target_jobs), self.results.municipality
        return {
            key: text.replace("{target}", target).replace("{municipality}", place)
            for key, text in merged.items()
        }

    def missing(self, *columns: str) -> Missing:
        """The note for columns the runs did not keep."""
        common = COMMON[self.lang]
        lacking = [c for c in columns if not self.results.has(c)]
        what = common["missing_columns"].format(columns=", ".join(lacking))
        return Missing(common["not_available"].format(what=what))

    def figure(
        self,
        key: str,
        heading: str,
        findings: Sequence[str],
        draw: Callable[[], Figure],
        caption: str,
        columns: Sequence[str] = (),
    ) -> FigureBlock | Missing:
        """Draw a figure, title it with its heading and findings, and encode it.

        Args:
            key: the figure's name.
            heading: its heading, in the report's language.
            findings: one finding per line under the heading (a line per scenario).
            draw: draws the figure in the report's language.
            caption: how to read it.
            columns: weekly columns the figure needs; without them the page says so.
        """
        if not self.results.has(*columns):
            return self.missing(*columns)
        title = "\n".join([heading, *findings])
        fig = retitled(draw(), title, len(self.scenarios))
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI)
        png = base64.b64encode(buffer.getvalue()).decode("ascii")
        return FigureBlock(key, title.replace("\n", "; "), png, caption, tuple(findings))

    def render(
        self,
        template: str,
        words: Mapping[str, str],
        labels: Words | None = None,
        **values: Any,
    ) -> Markup:
        """A template filled with the report's language, words, colours and ``values``."""
        return Markup(
            ENVIRONMENT.get_template(template).render(
                lang=self.lang,
                w=words,
                labels=(labels or {}).get(self.lang, {}),
                colours=self.colours,
                scenarios=self.scenarios,
                end_label=self.end_label,
                **values,
            )
        )
