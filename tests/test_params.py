"""The parameter registry: defaults, validation messages, overrides, schedules."""

from __future__ import annotations

import datetime as dt

import pytest

from sim.config.errors import ConfigError
from sim.params import SECTIONS, P, Params, in_force, registry


def test_defaults_validate_and_every_entry_has_unit_and_source():
    Params()
    for row in registry():
        assert row["unit"], row["name"]
        assert row["source"], row["name"]


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
        ({"households": "many"}, r"key 'households': must be a number, not text in quotes"),
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
            # Tasks of 10 h only: 32 contract hours cannot be made of whole tasks; the
            # message names the key the user set.
            {"task_hours_min": 10, "task_hours_max": 12},
            r"key 'task_hours_min': full_time_hours \(32\) is not the sum of at most "
            r"tasks_per_participant_max \(3\) tasks of 10 hours",
        ),
        (
            {"part_time_start_hours": 20, "task_hours_min": 12, "task_hours_max": 16},
            r"key 'part_time_start_hours': part_time_start_hours \(20\) is not the sum",
        ),
        (
            {"areas": [{"name": "Noord", "weight": 1, "near": ["Zuid"]}]},
            r"key 'areas': area 'Noord' is near 'Zuid', which is not an area; allowed: Noord",
        ),
        (
            {"areas": [{"name": "A", "weight": 1, "near": []}, {"name": "B", "weight": 1}]},
            r"key 'areas': area 'A' has no neighbours",
        ),
        (
            {
                "areas": [
                    {"name": "A", "weight": 1, "near": ["B"]},
                    {"name": "B", "weight": 1, "near": ["C"]},
                    {"name": "C", "weight": 0, "near": ["B"]},
                ]
            },
            r"key 'areas': area 'A' is near 'B' but 'B' does not list 'A': neighbours are mutual",
        ),
        (
            {"programme_start": "2019-01-01"},
            r"key 'programme_start': programme_start \(2019-01-01\) is before the model's calendar",
        ),
        ({"share_couples": 0.8}, r"key 'share_couples': share_couples \+ share_single"),
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


# Every field of the registry, those added later included: the plain-value rules of
# sim.config.checks.InputTable hold for each, by its type.
_KINDS = {name: Params.model_fields[name].annotation for name in Params.names()}


@pytest.mark.parametrize("name", [n for n, kind in _KINDS.items() if kind in (int, float)])
@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), True, False, "1"])
def test_a_number_field_takes_no_nan_inf_boolean_or_text(name, value):
    with pytest.raises(ConfigError, match=rf"^x.toml: key 'params.{name}': must be "):
        Params.from_mapping({name: value}, source="x.toml", where="params")


@pytest.mark.parametrize("name", [n for n, kind in _KINDS.items() if kind is dt.date])
@pytest.mark.parametrize("value", [0, 20_000, 1.5, True])
def test_a_date_field_takes_no_number(name, value):
    with pytest.raises(ConfigError, match=rf"key '{name}': must be a date such as|got true"):
        Params.from_mapping({name: value}, source="x.toml")


@pytest.mark.parametrize("name", [n for n, kind in _KINDS.items() if kind is bool])
@pytest.mark.parametrize("value", [0, 1, "yes", "true"])
def test_a_flag_takes_only_true_or_false(name, value):
    with pytest.raises(ConfigError, match=rf"key '{name}': must be true or false, not "):
        Params.from_mapping({name: value}, source="x.toml")


@pytest.mark.parametrize(
    "name", [n for n, kind in _KINDS.items() if kind == dict[int, float]]
)  # the year schedules
@pytest.mark.parametrize(
    "value", [float("nan"), float("inf"), {"2024": float("nan")}, {"2024": True}]
)
def test_a_year_schedule_takes_no_nan_inf_or_boolean(name, value):
    with pytest.raises(ConfigError, match=rf"key '{name}(\.2024)?': "):
        Params.from_mapping({name: value}, source="x.toml")
