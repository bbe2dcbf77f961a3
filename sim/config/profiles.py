"""Municipality profiles: one TOML file per municipality in ``municipalities/``.

A profile says what is particular to a municipality: its bijstand population, its areas
(wijken and villages, with their weights and neighbours), its organisations, its wage and
cost figures, the programme's start and its target. Every figure carries its source;
a source that starts with "assumption" marks a figure a local user should replace with
their own. Everything a profile does not name keeps the registry's default, which is
Groningen's (listed as taken from Groningen, so a reader sees it).

    name = "amersfoort"
    display_name = "Gemeente Amersfoort"
    description = "..."

    [figures]
    households = { value = 2_881, source = "FACTS.md: 2,881 bijstand benefits on 1 Jan 2020" }
    wage_cost_per_year = { value = 32_000, source = "assumption: ..." }

    [[areas]]
    name = "Kruiskamp"
    weight = 1.4
    near = ["Liendert", "Schothorst"]
    tile = [3, 1]                     # optional: column, row on the map (north up)
    source = "assumption: ..."

An experiment chooses its profile with ``municipality = "amersfoort"`` (a name from
``municipalities/``, or a path to a profile file).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.config.checks import check_keys, folder_name, key_path, string, validation_error
from sim.config.errors import ConfigError
from sim.config.read import read_toml
from sim.params import Params
from sim.wijken import Area

REPO_ROOT = Path(__file__).resolve().parents[2]
PROFILES = REPO_ROOT / "municipalities"
PROFILE_KEYS = ("name", "display_name", "description", "figures", "areas")
FIGURE_KEYS = ("value", "source")
AREA_KEYS = ("name", "weight", "near", "tile", "source")
# What no profile may leave to Groningen's defaults: the size of the pool, the start and
# target, and every cost item of the accounts.
REQUIRED_FIGURES = (
    "households",
    "programme_start",
    "job_ceiling_max",
    "wage_cost_per_year",
    "employer_cost_per_year",
    "guidance_cost_first_year",
    "guidance_cost_later_years",
    "coach_cost_per_year",
    "benefit_saved_per_year",
)
ASSUMPTION = "assumption"


@dataclass(frozen=True)
class Profile:
    """A validated municipality profile."""

    name: str
    display_name: str
    description: str
    source: str  # the file it was read from
    overrides: dict[str, Any]  # parameter name -> value (the areas as a list of tables)
    sources: dict[str, str] = field(default_factory=dict)  # figure -> its source

    @property
    def assumptions(self) -> list[str]:
        """The figures marked as assumptions: a local user should replace them."""
        return [name for name, src in self.sources.items() if src.lower().startswith(ASSUMPTION)]

    @property
    def from_groningen(self) -> list[str]:
        """Parameters the profile does not name, which keep Groningen's registry defaults."""
        named = set(self.overrides)
        return [name for name in Params.names() if name not in named]

    def manifest(self) -> dict[str, Any]:
        """What a results directory records of the profile."""
        return {
            "name": self.name,
            "display_name": self.display_name,
            "file": self.source,
            "figures": sorted(self.overrides),
            "assumptions": self.assumptions,
        }


def profile_path(reference: str, *, relative_to: Path | None = None) -> Path:
    """The file of a profile named in an experiment: a name from ``municipalities/``, or a path."""
    if reference.endswith(".toml") or "/" in reference:
        path = Path(reference)
        if not path.is_absolute() and relative_to is not None:
            path = relative_to / path
        return path
    for folder in (Path("municipalities"), PROFILES):
        candidate = folder / f"{reference}.toml"
        if candidate.exists():
            return candidate
    return PROFILES / f"{reference}.toml"


def load_profile(path: str | Path) -> Profile:
    """Read and validate a municipality profile (errors name the file and the key)."""
    data, _ = read_toml(path)
    return parse_profile(data, source=str(path))


def parse_profile(data: dict[str, Any], *, source: str) -> Profile:
    """Validate a profile's tables; see the module docstring for the format."""
    check_keys(data, PROFILE_KEYS, source=source)
    name = folder_name(data.get("name"), source=source, key="name")
    display = string(data.get("display_name", name), source=source, key="display_name")
    description = string(data.get("description", ""), source=source, key="description")
    figures = data.get("figures", {})
    if not isinstance(figures, dict):
        raise ConfigError("must be a table of figures", source=source, key="figures")
    check_keys(
        figures,
        Params.names(),
        source=source,
        where="figures",
        what="parameter",
        allowed_text="the parameter names of sim/params.py (the table of docs/ODD.md)",
    )
    overrides: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for figure, entry in figures.items():
        where = key_path("figures", figure)
        if not isinstance(entry, dict):
            raise ConfigError(
                'must be a table { value = ..., source = "..." }', source=source, key=where
            )
        check_keys(entry, FIGURE_KEYS, source=source, where=where)
        for key in FIGURE_KEYS:
            if key not in entry:
                raise ConfigError(
                    f"missing '{key}': every figure needs its value and its source",
                    source=source,
                    key=where,
                )
        overrides[figure] = entry["value"]
        sources[figure] = _source(entry["source"], source, key_path(where, "source"))
    if "areas" in figures:
        raise ConfigError(
            "give the areas as [[areas]] tables, not as a figure", source=source, key="figures"
        )
    areas = data.get("areas")
    if areas is not None:
        overrides["areas"], area_sources = _areas(areas, source)
        sources.update(area_sources)
    missing = [figure for figure in (*REQUIRED_FIGURES, "areas") if figure not in overrides]
    if missing:
        raise ConfigError(
            f"missing {', '.join(missing)}: a profile gives the size of its bijstand "
            "population, its areas, its start and target and every cost item",
            source=source,
            key="figures" if missing[0] != "areas" else "areas",
        )
    try:
        Params(**overrides)
    except ValidationError as error:
        raise validation_error(error, source=source, where="figures") from None
    return Profile(
        name=name,
        display_name=display,
        description=description,
        source=source,
        overrides=overrides,
        sources=sources,
    )


def _areas(value: Any, source: str) -> tuple[list[dict[str, Any]], dict[str, str]]:
    if not isinstance(value, list) or not value:
        raise ConfigError("must be a list of [[areas]] tables", source=source, key="areas")
    tables, sources = [], {}
    for i, entry in enumerate(value):
        where = key_path("areas", i)
        if not isinstance(entry, dict):
            raise ConfigError("must be an [[areas]] table", source=source, key=where)
        check_keys(entry, AREA_KEYS, source=source, where=where)
        if "source" not in entry:
            raise ConfigError(
                "missing 'source': say where the weight and neighbours come from",
                source=source,
                key=where,
            )
        table = {k: v for k, v in entry.items() if k != "source"}
        try:
            area = Area(**table)
        except ValidationError as error:
            raise validation_error(error, source=source, where=where) from None
        sources[f"areas.{area.name}"] = _source(entry["source"], source, key_path(where, "source"))
        tables.append(table)
    return tables, sources


def _source(value: Any, source: str, key: str) -> str:
    text = string(value, source=source, key=key).strip()
    if not text:
        raise ConfigError(
            "an empty source: cite the figure or write 'assumption: ...'", source=source, key=key
        )
    return text
