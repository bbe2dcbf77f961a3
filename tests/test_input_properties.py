"""Property-based checks of the validation layer (Hypothesis): no input gives a traceback.

Generated TOML documents and values for every parameter are either valid, or refused
with one :class:`ConfigError` (exit status 2 on the command line, one line naming the
file and key, nothing written). What is accepted is sane: finite numbers, flags that are
booleans, and a model that runs on it without NaN or negative counts.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import string
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

import sim.runner
from sim.cli import main
from sim.config.errors import ConfigError
from sim.experiment import EXPERIMENT_KEYS, Experiment
from sim.outcomes import OUTCOMES
from sim.params import Params, registry
from sim.simulation import run_replicate

NAMES = Params.names()

# --- values as TOML can write them ---------------------------------------------------
scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.integers(),  # beyond 64 bits too: tomllib reads them
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-10, max_value=2_000),
    st.text(max_size=12),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=6), inner, max_size=4),
        st.dictionaries(st.integers(1990, 2110).map(str), inner, min_size=1, max_size=4),
    ),
    max_leaves=8,
)


def toml_value(value: Any) -> str:
    """A value in TOML's inline syntax."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # JSON's escapes are TOML's
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return (
        "{" + ", ".join(f"{json.dumps(str(k))} = {toml_value(v)}" for k, v in value.items()) + "}"
    )


def toml_document(table: dict[str, Any]) -> str:
    """A document whose top-level keys are written as ``key = value`` lines."""
    return "".join(f"{json.dumps(key)} = {toml_value(value)}\n" for key, value in table.items())


# --- experiments: well formed, with one fault, or anything ------------------------------
def _in_range(field: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values inside a number parameter's allowed range (as the registry states it)."""
    low_text, _, high_text = field["range"].partition("..")
    low = float(low_text) if low_text else 0.0
    high = float(high_text) if high_text else max(10.0, 10 * abs(float(field["default"] or 1)))
    annotation = Params.model_fields[field["name"]].annotation
    if annotation is int:
        return st.integers(math.ceil(low), math.floor(min(high, 10**6)))
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


NUMBER_FIELDS = [
    f
    for f in registry()
    if Params.model_fields[f["name"]].annotation in (int, float)
    and f["range"]
    # The size of the population is what makes a run slow; it is kept small below.
    and f["name"] not in ("households", "inflow_households_per_year")
]
safe_names = st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=8).filter(
    lambda name: "__" not in name and not name.startswith("_")
)
good_overrides = st.lists(st.sampled_from(NUMBER_FIELDS), max_size=3, unique_by=str).flatmap(
    lambda fields: st.fixed_dictionaries({f["name"]: _in_range(f) for f in fields})
)
good_sweeps = st.sampled_from([f for f in NUMBER_FIELDS if Params.model_fields[f["name"]].annotation is float]).flatmap(
    lambda f: st.tuples(_in_range(f), _in_range(f)).filter(lambda b: b[0] < b[1]).map(
        lambda bounds: {"method": "lhs", "samples": 2, "parameters": {f["name"]: list(bounds)}}
    )
)  # fmt: skip
well_formed = st.fixed_dictionaries(
    {"name": safe_names},
    optional={
        "description": st.text(max_size=20),
        "seed": st.integers(0, 2**32),
        "replicates": st.integers(1, 3),
        "until": st.dates(dt.date(2020, 3, 8), dt.date(2046, 2, 18)),
        "outputs": st.lists(st.sampled_from(list(OUTCOMES)), min_size=1, max_size=3, unique=True),
        "params": good_overrides,
        "scenarios": st.dictionaries(safe_names, good_overrides, min_size=1, max_size=3),
        "sweep": good_sweeps,
    },
)


def _with_a_fault(table: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """The table with one key's value replaced by anything, or one key added."""
    keys = st.sampled_from([*table, *EXPERIMENT_KEYS]) | st.text(max_size=6)
    return st.tuples(keys, values).map(lambda change: {**table, change[0]: change[1]})


anything = st.dictionaries(
    st.sampled_from(EXPERIMENT_KEYS) | st.text(max_size=6), values, max_size=5
)
experiments = st.one_of(well_formed, well_formed.flatmap(_with_a_fault), anything)


def _snapshot(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(table=experiments)
def test_an_experiment_file_is_run_or_refused_in_one_line(table, tmp_path, monkeypatch, capsys):
    """The command either reaches the runner with a valid experiment, or exits 2 cleanly."""
    case = Path(tempfile.mkdtemp(dir=tmp_path))
    path = case / "x.toml"
    path.write_text(toml_document(table), encoding="utf-8")
    reached: list[Experiment] = []

    def record(experiment, directory, **kwargs):
        reached.append(experiment)
        raise KeyboardInterrupt  # stop here: the experiment was accepted

    monkeypatch.setattr(sim.runner, "run_experiment", record)
    before = _snapshot(case)
    code = main(["run", str(path), "--out", str(case / "out"), "--max-runs", "500"])
    err = capsys.readouterr().err
    assert code in (2, 130), err
    assert err.count("\n") == 1, err
    assert _snapshot(case) == before
    event("accepted" if code == 130 else "refused")
    if code == 2:
        assert err.startswith(f"basisbaan: {path}") or err.startswith("basisbaan: --"), err
        return
    (experiment,) = reached
    assert 1 <= experiment.run_count <= 500
    for scenario in experiment.scenarios:
        for sample in range(len(experiment.samples)):
            _check_sane(experiment.params(scenario, sample))


@settings(max_examples=600, deadline=None)
@given(name=st.sampled_from(NAMES), value=values)
def test_every_parameter_takes_any_value_or_refuses_it_naming_the_key(name, value):
    refused: ConfigError | None = None
    try:
        params = Params.from_mapping({name: value}, source="x.toml", where="params")
    except ConfigError as error:
        refused = error
    if refused is None:
        _check_sane(params)
        return
    assert refused.source == "x.toml"
    assert (refused.key or "").startswith(f"params.{name}"), refused
    assert "\n" not in str(refused)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("job_ceiling_experiment", 251),  # above job_ceiling_max (250, FACTS.md)
        ("share_age_under_27", 0.9),  # with share_age_45_plus, more than everyone
        ("share_on_benefit_over_2_years", 0.01),  # fewer than those over 5 years
        ("share_couples", 0.99),  # with share_single_parents, more than everyone
        ("covid_start", "2029-01-01"),  # after covid_end
        ("task_hours_min", 40),  # above task_hours_max
    ],
)
def test_a_rule_across_two_keys_names_the_one_given(name, value):
    """Setting one key of a two-key rule out of line names that key, not its partner."""
    with pytest.raises(ConfigError) as refused:
        Params.from_mapping({name: value}, source="x.toml", where="params")
    assert refused.value.key == f"params.{name}", refused.value


def _check_sane(params: Params) -> None:
    """Accepted values are plain: finite numbers, booleans only in flags."""
    for field in registry():
        value = getattr(params, field["name"])
        annotation = Params.model_fields[field["name"]].annotation
        if annotation is bool:
            assert isinstance(value, bool)
            continue
        numbers = value.values() if isinstance(value, dict) else [value]
        for number in numbers:
            if isinstance(number, int | float):
                assert not isinstance(number, bool), field["name"]
                assert math.isfinite(number), field["name"]


# --- what is accepted runs sensibly -------------------------------------------------------
@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_accepted_parameters_give_finite_non_negative_weekly_counts(data):
    chosen = data.draw(st.lists(st.sampled_from(NUMBER_FIELDS), max_size=4, unique_by=str))
    changes = {f["name"]: data.draw(_in_range(f), label=f["name"]) for f in chosen}
    try:
        params = Params.from_mapping(
            {"households": 300, "inflow_households_per_year": 30, **changes}
        )
    except ConfigError:
        assume(False)
        return
    ts = run_replicate(params, seed=1, until="2021-06-30").timeseries
    numbers = ts.drop(columns=["date", "binding_constraint"])
    # A share of the participants is undefined (NaN) in a week without participants.
    undefined = numbers["no_absence_share"].isna() & (ts["employed"] == 0)
    numbers = numbers.assign(no_absence_share=numbers["no_absence_share"].mask(undefined, 0.0))
    assert not numbers.isna().any().any(), "NaN in a weekly column"
    assert numbers.abs().max().max() < 1e12
    counts = ts[[c for c in ts.columns if c.endswith("_cum") or c in ("employed", "job_ceiling")]]
    assert (counts.to_numpy() >= 0).all()
