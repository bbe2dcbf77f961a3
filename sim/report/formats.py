"""How the report writes numbers, years and overrides, in English or Dutch.

English writes ``1,234.5``, Dutch ``1.234,5``; both write a true minus sign and an en
dash for a missing value. The templates reach these through filters (see
:mod:`sim.report.context`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping

MISSING = "–"


def format_number(value: float | None, lang: str, decimals: int = 0) -> str:
    """A number with thousands separators in the report's language (–  when missing)."""
    if value is None or not math.isfinite(float(value)):
        return MISSING
    text = f"{float(value):,.{decimals}f}"
    if text.startswith("-"):
        text = "−" + text[1:]
    if text in ("−0", "−0.0", "−0.00"):
        text = text[1:]
    return text.translate(str.maketrans(",.", ".,")) if lang == "nl" else text


def format_times(count: int, lang: str) -> str:
    """How often something is done, in words: 'once', '10 times'; 'één keer', '10 keer'."""
    if lang == "nl":
        return "één keer" if count == 1 else f"{format_number(count, lang)} keer"
    return "once" if count == 1 else f"{format_number(count, lang)} times"


def format_jobs(value: float | None, lang: str) -> str:
    """A count of jobs: whole numbers plain, medians between two runs with one decimal."""
    if value is None or not math.isfinite(float(value)):
        return MISSING
    return format_number(value, lang, 0 if float(value).is_integer() else 1)


def format_share(value: float | None, lang: str) -> str:
    """A share (0-1) as a whole percentage."""
    if value is None or not math.isfinite(float(value)):
        return MISSING
    return format_number(100 * float(value), lang, 0) + "%"


def format_millions(value: float | None, lang: str) -> str:
    """Euros in millions with two decimals."""
    if value is None or not math.isfinite(float(value)):
        return MISSING
    return format_number(float(value) / 1e6, lang, 2)


def calendar_year(decimal_year: float) -> int | None:
    """The calendar year of a decimal year (None for never reached)."""
    return math.floor(decimal_year) if math.isfinite(decimal_year) else None


def format_year(decimal_year: float | None, never: str) -> str:
    """A decimal year as its calendar year; ``never`` for a run that never got there."""
    if decimal_year is None or math.isnan(decimal_year):
        return MISSING
    year = calendar_year(float(decimal_year))
    return str(year) if year is not None else never


def toml_value(value: object) -> str:
    """An override as it would be written in TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return str(value)
