"""The parameter registry: defaults, validation messages, overrides, schedules."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# --- properties: any valid value accepted, any invalid refused ----------------------------

# Fields in a rule with another field (Params._consistent): checked by their own
# property below, not one at a time.
JOINT = {
    "covid_start", "covid_end", "task_hours_min", "task_hours_max", "additional_work_hours",
    "full_time_hours", "part_time_start_hours", "tasks_per_participant_max",
    "share_age_under_27", "share_age_45_plus", "share_on_benefit_over_2_years",
    "share_on_benefit_over_5_years", "share_couples", "share_single_parents",
    "job_ceiling_max", "job_ceiling_experiment",
}  # fmt: skip


def bounds(name):
    """(kind, low, high, low inclusive, high inclusive) of a plain number field."""
    field = Params.model_fields[name]
    low = high = None
    low_in = high_in = True
    for rule in field.metadata:
        if hasattr(rule, "ge"):
            low = rule.ge
        if hasattr(rule, "gt"):
            low, low_in = rule.gt, False
        if hasattr(rule, "le"):
            high = rule.le
        if hasattr(rule, "lt"):
            high, high_in = rule.lt, False
    return field.annotation, low, high, low_in, high_in


NUMBERS = [
    name
    for name in Params.names()
    if name not in JOINT
    and Params.model_fields[name].annotation in (int, float)
    and None not in bounds(name)[1:3]
]


def test_the_properties_cover_most_parameters():
    # Plain numbers with both bounds, one at a time: the bulk of the registry.
    assert len(NUMBERS) >= 60
    assert {"share_women", "households", "exit_quit", "covid_factor"} <= set(NUMBERS)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_any_value_within_a_fields_range_is_accepted(data):
    name = data.draw(st.sampled_from(NUMBERS))
    kind, low, high, low_in, high_in = bounds(name)
    if kind is int:
        value = data.draw(st.integers(low + (not low_in), high - (not high_in)))
    else:
        value = data.draw(st.floats(low, high, exclude_min=not low_in, exclude_max=not high_in))
    assert getattr(Params.from_mapping({name: value}), name) == value


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_any_value_outside_a_fields_range_is_refused_naming_the_key(data):
    name = data.draw(st.sampled_from(NUMBERS))
    kind, low, high, low_in, high_in = bounds(name)
    below = data.draw(st.booleans())
    step = data.draw(st.integers(1, 10**6) if kind is int else st.floats(1e-6, 1e6))
    if below:
        value = low - step if low_in else low - step + (1 if kind is int else step)
    else:
        value = high + step if high_in else high + step - (1 if kind is int else step)
    with pytest.raises(ConfigError, match=rf"x\.toml: key '{name}'"):
        Params.from_mapping({name: value}, source="x.toml")


@settings(max_examples=100, deadline=None)
@given(couples=st.floats(0, 1), single_parents=st.floats(0, 1))
def test_household_shares_are_accepted_exactly_when_they_fit_in_one(couples, single_parents):
    overrides = {"share_couples": couples, "share_single_parents": single_parents}
    if couples + single_parents <= 1:
        assert Params.from_mapping(overrides).share_couples == couples
    else:
        with pytest.raises(ConfigError, match="key 'share_single_parents'"):
            Params.from_mapping(overrides, source="x.toml")


@settings(max_examples=100, deadline=None)
@given(experiment=st.integers(0, 1_000), most=st.integers(0, 1_000))
def test_the_most_jobs_are_accepted_exactly_when_not_below_the_experiments(experiment, most):
    overrides = {"job_ceiling_experiment": experiment, "job_ceiling_max": most}
    if most >= experiment:
        assert Params.from_mapping(overrides).job_ceiling_max == most
    else:
        with pytest.raises(ConfigError, match="key 'job_ceiling_max'"):
            Params.from_mapping(overrides, source="x.toml")


@settings(max_examples=100, deadline=None)
@given(low=st.sampled_from([4, 8, 12, 16]), span=st.integers(0, 3), hours=st.integers(8, 40))
def test_contract_hours_are_accepted_exactly_when_whole_tasks_make_them(low, span, hours):
    # Tasks of low, low + 4, ... up to low + 4 x span hours, at most three of them.
    levels = range(low, low + 4 * span + 1, 4)
    sums = {a + b + c for a in (0, *levels) for b in (0, *levels) for c in (0, *levels)}
    overrides = {
        "task_hours_min": low,
        "task_hours_max": low + 4 * span,
        "part_time_start_hours": 4 * span + low,
        "full_time_hours": hours,
    }
    if hours in sums:
        assert Params.from_mapping(overrides).full_time_hours == hours
    else:
        with pytest.raises(ConfigError, match=r"key 'full_time_hours'.*is not the sum"):
            Params.from_mapping(overrides, source="x.toml")


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
