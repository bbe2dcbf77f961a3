"""The 14 areas of gemeente Groningen: names, neighbours, tiles, and the 2022 counts."""

from __future__ import annotations

from sim.wijken import NEAR, OBSERVED_2022_01_01, TILES, VILLAGES, WIJKEN


def test_the_areas_are_those_of_the_2022_table_in_its_order():
    # FACTS.md: participants by wijk on 1 Jan 2022, 14 areas, total 47.
    assert len(WIJKEN) == len(set(WIJKEN)) == 14
    assert list(OBSERVED_2022_01_01) == list(WIJKEN)
    assert sum(OBSERVED_2022_01_01.values()) == 47
    assert OBSERVED_2022_01_01["De Hoogte/Indische buurt"] == 6
    assert {"Haren", "Hoogkerk"} == VILLAGES


def test_nearness_is_symmetric_and_every_area_has_a_neighbour():
    assert set(NEAR) == set(WIJKEN)
    for area, others in NEAR.items():
        assert others, f"{area} has no area near it"
        assert area not in others
        assert set(others) <= set(WIJKEN)
        for other in others:
            assert area in NEAR[other], f"{area} is near {other} but not the other way"
    assert "Haren" in NEAR["De Wijert"]


def test_every_area_can_be_reached_from_every_other():
    seen, frontier = {WIJKEN[0]}, [WIJKEN[0]]
    while frontier:
        for other in NEAR[frontier.pop()]:
            if other not in seen:
                seen.add(other)
                frontier.append(other)
    assert seen == set(WIJKEN)


def test_each_area_has_its_own_tile():
    assert set(TILES) == set(WIJKEN)
    assert len(set(TILES.values())) == len(WIJKEN)
