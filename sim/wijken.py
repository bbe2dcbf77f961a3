"""The areas (wijken and villages) participants live and work in: Groningen's 14 by default.

An :class:`Area` has a name, a weight (how many bijstand households live there,
relative to the others), the areas near it, and optionally its place on a schematic
tile map. A municipality's areas are a parameter (``Params.areas``); Groningen's are
the default. Its names and their order follow the table of participants by wijk on 1
January 2022 (FACTS.md, 2022 letter). Which areas are near each other, and where each
sits on the tile map, is an assumption read off the city's map: near means sharing a
border or being the closest area across a main road or canal.
"""

from __future__ import annotations

from pydantic import ConfigDict, Field

from sim.config.checks import InputTable


class Area(InputTable):
    """One area of a municipality (a wijk or a village)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=80)
    weight: float = Field(ge=0)
    near: tuple[str, ...] = ()
    tile: tuple[int, int] | None = None


WIJKEN: tuple[str, ...] = (
    "Selwerd",
    "De Hoogte/Indische buurt",
    "Centrum",
    "Korrewegwijk",
    "De Wijert",
    "Vinkhuizen",
    "Beijum",
    "Corpus den Hoorn",
    "Oosterpark",
    "Lewenborg",
    "Paddepoel",
    "Rivierenbuurt",
    "Haren",
    "Hoogkerk",
)

VILLAGES: frozenset[str] = frozenset({"Haren", "Hoogkerk"})

_NEAR_PAIRS: tuple[tuple[str, str], ...] = (
    ("Centrum", "Selwerd"),
    ("Centrum", "De Hoogte/Indische buurt"),
    ("Centrum", "Korrewegwijk"),
    ("Centrum", "Oosterpark"),
    ("Centrum", "Rivierenbuurt"),
    ("Centrum", "Corpus den Hoorn"),
    ("Selwerd", "Paddepoel"),
    ("Selwerd", "De Hoogte/Indische buurt"),
    ("Selwerd", "Vinkhuizen"),
    ("Paddepoel", "Vinkhuizen"),
    ("Vinkhuizen", "Hoogkerk"),
    ("Vinkhuizen", "Corpus den Hoorn"),
    ("Hoogkerk", "Corpus den Hoorn"),
    ("De Hoogte/Indische buurt", "Korrewegwijk"),
    ("De Hoogte/Indische buurt", "Beijum"),
    ("Korrewegwijk", "Beijum"),
    ("Korrewegwijk", "Lewenborg"),
    ("Korrewegwijk", "Oosterpark"),
    ("Beijum", "Lewenborg"),
    ("Lewenborg", "Oosterpark"),
    ("Oosterpark", "Rivierenbuurt"),
    ("Rivierenbuurt", "De Wijert"),
    ("Rivierenbuurt", "Corpus den Hoorn"),
    ("De Wijert", "Corpus den Hoorn"),
    ("De Wijert", "Haren"),
)


def _near() -> dict[str, tuple[str, ...]]:
    near: dict[str, list[str]] = {name: [] for name in WIJKEN}
    for a, b in _NEAR_PAIRS:
        near[a].append(b)
        near[b].append(a)
    return {name: tuple(sorted(others)) for name, others in near.items()}


NEAR: dict[str, tuple[str, ...]] = _near()

# Schematic tile map: (column, row), north at row 0. Used by the figures only.
TILES: dict[str, tuple[int, int]] = {
    "Paddepoel": (1, 0),
    "Selwerd": (2, 0),
    "De Hoogte/Indische buurt": (3, 0),
    "Beijum": (4, 0),
    "Vinkhuizen": (0, 1),
    "Centrum": (2, 1),
    "Korrewegwijk": (3, 1),
    "Lewenborg": (4, 1),
    "Hoogkerk": (0, 2),
    "Corpus den Hoorn": (1, 2),
    "Rivierenbuurt": (2, 2),
    "Oosterpark": (3, 2),
    "De Wijert": (2, 3),
    "Haren": (2, 4),
}

# Participants by wijk on 1 January 2022 (FACTS.md, 2022 letter; total 47).
# A calibration target and a figure overlay; never a model input.
OBSERVED_2022_01_01: dict[str, int] = {
    "Selwerd": 4,
    "De Hoogte/Indische buurt": 6,
    "Centrum": 3,
    "Korrewegwijk": 1,
    "De Wijert": 5,
    "Vinkhuizen": 3,
    "Beijum": 5,
    "Corpus den Hoorn": 3,
    "Oosterpark": 4,
    "Lewenborg": 3,
    "Paddepoel": 4,
    "Rivierenbuurt": 4,
    "Haren": 1,
    "Hoogkerk": 1,
}


# assumption: relative number of bijstand households per area (FACTS.md has no counts per
# wijk): higher in Vinkhuizen, Beijum, Lewenborg and Oosterpark, low in the villages.
GRONINGEN_WEIGHTS: dict[str, float] = {
    "Selwerd": 1.0,
    "De Hoogte/Indische buurt": 1.0,
    "Centrum": 1.0,
    "Korrewegwijk": 1.0,
    "De Wijert": 0.8,
    "Vinkhuizen": 1.3,
    "Beijum": 1.2,
    "Corpus den Hoorn": 0.8,
    "Oosterpark": 1.1,
    "Lewenborg": 1.1,
    "Paddepoel": 1.0,
    "Rivierenbuurt": 0.8,
    "Haren": 0.4,
    "Hoogkerk": 0.5,
}

GRONINGEN_AREAS: tuple[Area, ...] = tuple(
    Area(name=name, weight=GRONINGEN_WEIGHTS[name], near=NEAR[name], tile=TILES[name])
    for name in WIJKEN
)


def check_areas(areas: tuple[Area, ...]) -> tuple[Area, ...]:
    """Validate a municipality's areas: unique names, neighbours known and mutual.

    Raises:
        ValueError: naming the area and what is wrong.
    """
    if not areas:
        raise ValueError("give at least one area")
    names = [area.name for area in areas]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValueError(f"area '{name}' is listed twice")
        seen.add(name)
    if sum(area.weight for area in areas) <= 0:
        raise ValueError("the weights of the areas must have a positive total")
    by_name = {area.name: area for area in areas}
    for area in areas:
        if len(areas) > 1 and not area.near:
            raise ValueError(
                f"area '{area.name}' has no neighbours: list the areas near it in 'near' "
                "(participants take tasks in the areas near their own)"
            )
        for other in area.near:
            if other == area.name:
                raise ValueError(f"area '{area.name}' lists itself as near")
            if other not in by_name:
                raise ValueError(
                    f"area '{area.name}' is near '{other}', which is not an area; "
                    f"allowed: {', '.join(names)}"
                )
            if area.name not in by_name[other].near:
                raise ValueError(
                    f"area '{area.name}' is near '{other}' but '{other}' does not list "
                    f"'{area.name}': neighbours are mutual"
                )
    tiles = [area.tile for area in areas if area.tile is not None]
    if len(set(tiles)) < len(tiles):
        raise ValueError("two areas share a tile of the map")
    return areas
