"""The parameter table of ``docs/ODD.md``, generated from the parameter registry.

The ODD document (Grimm et al. 2020) describes the model in prose; its parameter
table is written here from :func:`sim.params.registry` so that the two can never
disagree. :func:`parameter_table` builds the Markdown, :func:`update_odd` puts it
between the markers ``<!-- parameters:start -->`` and ``<!-- parameters:end -->`` of
``docs/ODD.md``, and ``python -m sim.odd`` does that from the command line.

The table has one part per section of the registry (each entry names its section, one
of :data:`sim.params.SECTIONS`). This module writes ``docs/ODD.md``: it sits on top of
the model core, which does no I/O.

Reference: Grimm, V., et al. (2020). The ODD protocol for describing agent-based and
other simulation models: a second update to improve clarity, replication, and
structural realism. *Journal of Artificial Societies and Social Simulation* 23(2), 7.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from sim.params import Params, ScheduleRange, registry
from sim.wijken import Area

START = "<!-- parameters:start -->"
END = "<!-- parameters:end -->"
ODD_PATH = Path(__file__).resolve().parents[1] / "docs" / "ODD.md"

COLUMNS = ("Parameter", "Meaning", "Default", "Unit", "Allowed", "Source")


# ---------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------


def sections() -> list[tuple[str, list[str]]]:
    """The registry's parameters grouped by their section, in registry order.

    Each registry entry names its section (``section=`` in :func:`sim.params.P`); a
    section whose entries are not next to each other in the registry would come out as
    two tables of the same title, which a test forbids.

    Returns:
        ``(title, names)`` pairs in registry order.
    """
    groups: list[tuple[str, list[str]]] = []
    for row in registry():
        if not groups or groups[-1][0] != row["section"]:
            groups.append((row["section"], []))
        groups[-1][1].append(row["name"])
    return groups


# ---------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------


def format_number(value: float) -> str:
    """A number without float noise: ``3.0`` as 3, ``27387`` as 27,387, ``1/3`` as 0.3333."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if float(value).is_integer():
        whole = int(value)
        return f"{whole:,}" if abs(whole) >= 1_000 else str(whole)
    if abs(value) >= 1_000:
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:.4g}"


def format_default(value: Any) -> str:
    """A default as a reader would write it: schedules as "2020: 3, 2023: 4", dates ISO."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, tuple) and value and all(isinstance(v, Area) for v in value):
        # The areas: their names with their weights (neighbours and tiles in the profile).
        return "; ".join(f"{area.name}: {format_number(area.weight)}" for area in value)
    if isinstance(value, Mapping):
        # Keys are years, dates or wijk names: written as they are, never as amounts.
        return ", ".join(
            f"{k.isoformat() if isinstance(k, dt.date) else k}: {format_default(v)}"
            for k, v in value.items()
        )
    return str(value)


def allowed(name: str) -> str:
    """The values a parameter may take, read from its field's constraints.

    ``registry()`` gives the bounds as "low..high", which does not tell a strict
    bound (``gt``) from an inclusive one and has none for year schedules; here the
    range says whether a bound is included ("0 to 1", "above 0, up to 40") and a
    schedule gives the range of its values.
    """
    field = Params.model_fields[name]
    low = high = None
    low_open = False
    schedule: tuple[float, float | None] | None = None
    for meta in field.metadata:
        if hasattr(meta, "ge"):
            low = meta.ge
        if hasattr(meta, "gt"):
            low, low_open = meta.gt, True
        if hasattr(meta, "le"):
            high = meta.le
        schedule = schedule or _schedule_bounds(meta)
    annotation = field.annotation
    if get_origin(annotation) is Literal:
        return "one of " + ", ".join(f"'{choice}'" for choice in get_args(annotation))
    if annotation is bool:
        return "true or false"
    if annotation is dt.date:
        return "a date"
    if schedule is not None:
        return f"{{year: value}}, each value {_interval(schedule[0], schedule[1], False)}"
    if name == "subsidies":
        return "{date: EUR}, each amount at least 0"
    if name == "areas":
        return (
            "areas with unique names, weights at least 0 with a positive total, and mutual "
            "neighbours (every area has one when there are several)"
        )
    text = _interval(low, high, low_open)
    if field.default is None or (annotation is not None and type(None) in _args(annotation)):
        text = f"{text} or none" if text else "none"
    return text


def _args(annotation: Any) -> tuple[Any, ...]:
    return getattr(annotation, "__args__", ())


def _schedule_bounds(meta: Any) -> tuple[float, float | None] | None:
    """The (low, high) of a year schedule's range check, if ``meta`` is one.

    The check is a :class:`sim.params.ScheduleRange` (wrapped in pydantic's
    ``AfterValidator``); anything else gives None.
    """
    func = getattr(meta, "func", None)
    if not isinstance(func, ScheduleRange):
        return None
    return func.ge, func.le


def _interval(low: float | None, high: float | None, low_open: bool) -> str:
    """Bounds in words ("0 to 1", "above 0, up to 40", "at least 0").

    Words rather than brackets, so that a thousands separator is never misread as the
    comma between the bounds.
    """
    if low is None:
        return "" if high is None else f"up to {format_number(high)}"
    if high is None:
        return f"{'above' if low_open else 'at least'} {format_number(low)}"
    if low_open:
        return f"above {format_number(low)}, up to {format_number(high)}"
    return f"{format_number(low)} to {format_number(high)}"


def _cell(text: Any) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


# ---------------------------------------------------------------------------
# The table and the document
# ---------------------------------------------------------------------------


def parameter_table() -> str:
    """The parameter table of ``docs/ODD.md``, as Markdown, from the registry.

    One table per section of the registry (a ``###`` heading each), one row per
    parameter: name, meaning, default, unit, allowed values and source.

    Returns:
        The Markdown text, ending with a newline.
    """
    rows = {row["name"]: row for row in registry()}
    header = "| " + " | ".join(COLUMNS) + " |"
    rule = "|" + "|".join("---" for _ in COLUMNS) + "|"
    parts = []
    for title, names in sections():
        lines = [f"### {title}", "", header, rule]
        for name in names:
            row = rows[name]
            cells = (
                f"`{name}`",
                row["meaning"],
                format_default(row["default"]),
                row["unit"],
                allowed(name),
                row["source"],
            )
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def table_in(text: str) -> str:
    """The text between the parameter markers of an ODD document.

    Raises:
        ValueError: when the markers are missing or out of order.
    """
    start, end = text.find(START), text.find(END)
    if start < 0 or end < 0 or end < start:
        raise ValueError(f"the document needs the markers {START} and {END}, in that order")
    return text[start + len(START) : end].strip("\n") + "\n"


def update_odd(path: str | Path = ODD_PATH) -> bool:
    """Rewrite the parameter table between the markers of the ODD document.

    Args:
        path: the ODD document (``docs/ODD.md`` by default).

    Returns:
        Whether the file changed.

    Raises:
        ValueError: when the markers are missing or out of order.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    table_in(text)  # checks the markers
    start, end = text.find(START), text.find(END)
    new = text[: start + len(START)] + "\n\n" + parameter_table() + "\n" + text[end:]
    if new == text:
        return False
    path.write_text(new, encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    """Rewrite the parameter table of ``docs/ODD.md`` (or of the file given)."""
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else ODD_PATH
    changed = update_odd(path)
    print(f"{path}: parameter table {'updated' if changed else 'already up to date'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
