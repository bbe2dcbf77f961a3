"""Observation files: counts observed after a forecast was made, to score it against.

    description = "Counts of 2024 and later"

    [[observation]]
    date = 2024-04-01
    quantity = "employed"          # a column of the weekly time series (sim/outcomes.py)
    value = 120
    source = "council letter of April 2024"

Read and checked like every input (:mod:`sim.config`): unknown keys get the closest
name, a quantity must be a numeric column of the time series, a value a finite number
of at least 0, a date on or after the programme start, a source non-empty; errors name
the file, the key and what is allowed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, Field, model_validator

from sim.config.checks import InputTable, check_keys, string, unknown_name, validate_table
from sim.config.errors import ConfigError, FieldError
from sim.config.read import read_toml
from sim.outcomes import OUTCOMES
from sim.timeline import PROGRAMME_START

QUANTITIES = tuple(name for name in OUTCOMES if name != "binding_constraint")


class Observation(InputTable):
    """One observed figure: a quantity on a date, with its source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    date: dt.date
    quantity: str
    value: float = Field(ge=0)
    source: str = Field(min_length=1)

    @model_validator(mode="after")
    def _known(self) -> Observation:
        if self.quantity not in QUANTITIES:
            raise FieldError(
                "quantity",
                unknown_name(
                    "quantity",
                    self.quantity,
                    QUANTITIES,
                    allowed_text="the numeric columns of the weekly time series (sim/outcomes.py)",
                ),
            )
        if self.date <= PROGRAMME_START:
            raise FieldError("date", f"{self.date} is not after the programme start")
        return self


@dataclass(frozen=True)
class Observations:
    """The observations of a file, in file order."""

    description: str
    observations: tuple[Observation, ...]
    source: str


def parse_observations(data: dict[str, Any], *, source: str) -> Observations:
    """Validate an observation file's tables."""
    check_keys(data, ("description", "observation"), source=source)
    description = string(data.get("description", ""), source=source, key="description")
    rows = data.get("observation")
    if not isinstance(rows, list) or not rows:
        raise ConfigError(
            "needs at least one [[observation]] table", source=source, key="observation"
        )
    observations = tuple(
        validate_table(Observation, row, source=source, where=f"observation[{i}]")
        for i, row in enumerate(rows)
    )
    return Observations(description=description, observations=observations, source=source)


def load_observations(path: str | Path) -> Observations:
    """Read and validate an observation file."""
    data, _ = read_toml(path)
    return parse_observations(data, source=str(path))
