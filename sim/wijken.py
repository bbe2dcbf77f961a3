"""The 14 areas (wijken and villages) of gemeente Groningen in which participants work.

The names and their order follow the table of participants by wijk on 1 January 2022
(FACTS.md, 2022 letter). Which areas are near each other, and where each sits on the
schematic tile map, is an assumption read off the city's map: near means sharing a
border or being the closest area across a main road or canal.
"""

from __future__ import annotations

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
