"""The parameter registry: defaults, validation messages, overrides, schedules."""

from __future__ import annotations

import datetime as dt

import pytest

from sim.config.errors import ConfigError
from sim.params import SECTIONS, P, Params, in_force, registry


def test_defaults_validate_and_the_registry_lists_every_field():
    # Units and sources are checked once for the whole registry in test_odd.
    Params()
    assert [row["name"] for row in registry()] == Params.names()


def test_every_entry_names_a_section_and_an_unknown_one_is_refused():
    assert {row["section"] for row in registry()} == set(SECTIONS)
    with pytest.raises(ValueError, match="section 'Misc' is not one of SECTIONS"):
        P(1.0, unit="x", source="assumption: a test", doc="A test.", section="Misc")


def test_unknown_key_suggests_the_closest_name():
    with pytest.raises(
        ConfigError, match=r"x.toml: key 'referals_per_coach_week'.*referrals_per_coach_week"
    ):
        Params.from_mapping({"referals_per_coach_week": 1.0}, source="x.toml")


@pytest.mark.parametrize(
    ("overrides", "pattern"),
    [
        (
            {"referrals_per_coach_week": -1},
            r"key 'referrals_per_coach_week'.*greater than or equal to 0",
        ),
        ({"share_women": 1.5}, r"key 'share_women'.*less than or equal to 1"),
        ({"households": "many"}, r"key 'households'.*valid integer"),
        ({"intake_coaches": {"2020": -2}}, r"key 'intake_coaches'.*at least 0"),
        ({"intake_coaches": {"twenty": 2}}, r"key 'intake_coaches'.*not a whole year"),
        ({"subsidies": {"autumn": 5}}, r"key 'subsidies'.*not a date"),
        (
            {"covid_end": "2019-01-01"},
            r"key 'covid_end': covid_end \(2019-01-01\) is before covid_start",
        ),
        (
            {"additional_work_hours": 6},
            r"key 'additional_work_hours': additional_work_hours \(6\) is less than the "
            r"smallest task \(task_hours_min = 8\)",
        ),
        (
            {"task_hours_max": 4, "task_hours_min": 8},
            r"key 'task_hours_max': task_hours_max \(4\) is below task_hours_min",
        ),
        (
            # Tasks of 10 h only: 32 contract hours cannot be made of whole tasks.
            {"task_hours_min": 10, "task_hours_max": 12},
            r"key 'full_time_hours': full_time_hours \(32\) is not the sum of at most "
            r"tasks_per_participant_max \(3\) tasks of 10 hours",
        ),
        (
            {"part_time_start_hours": 20, "task_hours_min": 12, "task_hours_max": 16},
            r"key 'part_time_start_hours': part_time_start_hours \(20\) is not the sum",
        ),
        (
            {"wijk_weights": {"Groningen-Noord": 1}},
            r"key 'wijk_weights': unknown wijk 'Groningen-Noord'; allowed: Selwerd, ",
        ),
        ({"share_couples": 0.8}, r"key 'share_single_parents': share_couples \+ share_single"),
    ],
)
def test_invalid_values_name_the_key_and_what_is_allowed(overrides, pattern):
    with pytest.raises(ConfigError, match=pattern):
        Params.from_mapping(overrides, source="x.toml")


def test_overrides_copy_and_never_mutate():
    base = Params()
    scenario = base.with_overrides({"intake_coaches": {2020: 2, 2025: 6}})
    assert base.intake_coaches == {2020: 2.0}
    assert scenario.intake_coaches == {2020: 2.0, 2025: 6.0}
    assert scenario.changed() == {"intake_coaches": {2020: 2.0, 2025: 6.0}}
    with pytest.raises(Exception, match="frozen"):
        base.households = 5  # type: ignore[misc]


def test_year_schedule_is_a_step_function():
    schedule = {2020: 2.0, 2024: 5.0, 2026: 8.0}
    assert [in_force(schedule, y) for y in (2019, 2020, 2023, 2024, 2025, 2026, 2030)] == [
        2.0, 2.0, 2.0, 5.0, 5.0, 8.0, 8.0,
    ]  # fmt: skip


def test_dates_and_lump_sums_parse_from_text():
    p = Params.from_mapping({"subsidies": {"2024-01-15": 1000}, "covid_end": "2021-06-30"})
    assert p.subsidies == {dt.date(2024, 1, 15): 1000.0}
    assert p.covid_end == dt.date(2021, 6, 30)
