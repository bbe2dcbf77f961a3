"""Calibration: targets and their validation, statistics, distance, posterior, recovery."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyabc
import pytest

from sim.calibration.fit import (
    describe,
    load_posterior,
    posterior_params,
    posterior_predictive,
    ppc_table,
    run_calibration,
    save_posterior,
    weighted_quantiles,
)
from sim.calibration.settings import (
    SEED_KEY,
    evaluation_seed,
    inflow_matters,
    load_calibration,
    parse_calibration,
    prior_distribution,
    window_params,
)
from sim.calibration.targets import (
    Distance,
    load_targets,
    parse_targets,
    record_statistics,
    recorded,
    summary_statistics,
)
from sim.config.errors import ConfigError
from sim.observed import (
    EMPLOYED_BY_WIJK_2022,
    EMPLOYED_BY_WIJK_DATE,
    NO_ABSENCE_SHARE_H2_2021,
    OBSERVED,
    SICK_ABSENCE_H2_2021,
)
from sim.params import Params
from sim.simulation import Replicate, run_replicate
from sim.wijken import WIJKEN

from .conftest import TWO_PRIORS_IN_A_TOWN

REPO = Path(__file__).resolve().parents[1]
TARGETS = REPO / "calibration" / "targets.toml"
HANZE = REPO / "calibration" / "hanze.toml"


# ---------------------------------------------------------------------------
# The shipped files: one source of truth
# ---------------------------------------------------------------------------


def test_every_observed_figure_is_a_target_with_the_same_value_and_date():
    targets = load_targets(TARGETS)
    at = {(t.column, t.date): t.value for t in targets if t.statistic == "value_at"}
    for observation in OBSERVED:
        assert at[(observation.column, observation.date)] == observation.value, observation
    sickness = [t for t in targets if t.statistic == "hours_weighted_mean"]
    assert [(t.column, t.start, t.date, t.value) for t in sickness] == [
        ("sick_absence_rate", dt.date(2021, 7, 1), dt.date(2021, 12, 31), SICK_ABSENCE_H2_2021)
    ]
    (no_absence,) = [t for t in targets if t.column == "no_absence_share"]
    assert no_absence.value == pytest.approx(NO_ABSENCE_SHARE_H2_2021, abs=1e-4)


def test_no_target_carries_a_figure_that_is_not_observed():
    targets = load_targets(TARGETS)
    observed = {(o.column, o.date, o.value) for o in OBSERVED}
    for t in targets:
        if t.statistic == "value_at" and t.column != "no_absence_share":
            assert (t.column, t.date, t.value) in observed, t.name


def test_wijk_targets_are_the_observed_spread():
    targets = load_targets(TARGETS)
    wijk = {t.wijk: t for t in targets if t.statistic == "wijk_employed"}
    assert set(wijk) == set(WIJKEN)
    assert {name: t.value for name, t in wijk.items()} == EMPLOYED_BY_WIJK_2022
    assert {t.date for t in wijk.values()} == {EMPLOYED_BY_WIJK_DATE}
    assert sum(t.value for t in wijk.values()) == 47
    assert all(t.use == "check" for t in wijk.values())


def test_targets_are_dated_up_to_march_2023_and_scaled():
    targets = load_targets(TARGETS)
    # FACTS.md ends in March 2023; the pool figures of the Hanze final report (15 Mar 2023)
    # are the last.
    assert targets.observed_until == dt.date(2023, 3, 31)
    assert targets.last_date == dt.date(2023, 3, 15)
    assert all(t.date <= dt.date(2023, 3, 31) for t in targets)
    for t in targets:
        if t.column.endswith("_cum") or t.column == "employed":
            # Written to one decimal in targets.toml (7.9 for sqrt(47) + 1 = 7.86).
            assert t.scale == pytest.approx(math.sqrt(t.value) + 1, abs=0.06), t.name
    assert len(targets.fit) == 12


def test_hanze_config_is_valid_and_within_the_registry():
    cal = load_calibration(HANZE)
    assert cal.targets.last_date == dt.date(2023, 3, 15)
    for p in cal.free:
        low, high = p.bounds_as_values()
        Params.from_mapping({p.name: low})
        Params.from_mapping({p.name: high})
        assert p.reason
    (growth,) = [p for p in cal.free if p.name == "ceiling_growth_start"]
    assert growth.bounds_as_values() == (dt.date(2022, 3, 1), dt.date(2023, 3, 1))
    assert cal.fingerprint() == load_calibration(HANZE).fingerprint()


# ---------------------------------------------------------------------------
# Validation: errors name the file, the key and what is allowed
# ---------------------------------------------------------------------------

GOOD_TARGET = {
    "name": "employed_2022_01",
    "statistic": "value_at",
    "column": "employed",
    "date": dt.date(2022, 1, 1),
    "value": 47,
    "source": "FACTS.md",
    "scale": 7.9,
    "scale_reason": "count",
    "use": "fit",
}


@pytest.mark.parametrize(
    ("change", "key", "message"),
    [
        ({"valeu": 47}, r"target\[employed_2022_01\]\.valeu", "did you mean 'value'"),
        ({"column": "employd"}, r"\.column", "unknown outcome column 'employd'.*'employed'"),
        ({"date": dt.date(2023, 4, 1)}, r"\.date", "after observed_until \\(2023-03-31\\)"),
        ({"statistic": "pool", "column": "househlds"}, r"\.column", "did you mean 'households'"),
        ({"scale": 0}, r"\.scale", "greater than 0"),
        ({"statistic": "mean"}, r"\.statistic", "value_at"),
        ({"use": "check"}, r"\.use_reason", "say why"),
        (
            {"statistic": "wijk_employed", "wijk": "Selwerdd"},
            r"\.wijk",
            "did you mean 'Selwerd'",
        ),
        (
            {"statistic": "hours_weighted_mean", "column": "sick_absence_rate"},
            r"\.start",
            "needs a start date",
        ),
    ],
)
def test_bad_targets_are_config_errors(change, key, message):
    with pytest.raises(ConfigError, match=f"targets.toml: key '[^']*{key}': .*{message}"):
        parse_targets({"target": [{**GOOD_TARGET, **change}]}, source="targets.toml")


def test_free_parameters_are_those_the_screen_found_identifiable():
    # calibration/identifiability.csv (scripts/identifiability.py): a parameter is free
    # exactly when the fitted statistics predict it (R^2 >= 0.2); the others stay fixed.
    screen = pd.read_csv(REPO / "calibration" / "identifiability.csv")
    parameters = screen[screen["kind"] == "parameter"]
    identified = set(parameters.loc[parameters["verdict"] == "identified", "name"])
    assert set(load_calibration(HANZE).names) == identified
    assert set(parameters["name"]) - identified  # some were screened out
    targets = screen[screen["kind"] == "target"]
    fitted = {t.name for t in load_targets(TARGETS).fit}
    assert fitted == set(targets.loc[targets["verdict"] == "fit", "name"])


def test_a_new_count_is_accepted_once_observed_until_moves_to_its_date():
    later = {**GOOD_TARGET, "name": "employed_2024_04", "date": dt.date(2024, 4, 1)}
    with pytest.raises(ConfigError, match="after observed_until"):
        parse_targets({"target": [GOOD_TARGET, later]}, source="t.toml")
    targets = parse_targets(
        {"observed_until": dt.date(2024, 4, 1), "target": [GOOD_TARGET, later]}, source="t.toml"
    )
    assert targets.last_date == dt.date(2024, 4, 1)
    assert {"quantity": "employed", "date": "2024-04-01", "value": 47.0} in targets.counts()
    with pytest.raises(ConfigError, match="key 'observed_until': must be a date"):
        parse_targets({"observed_until": "2024", "target": [GOOD_TARGET]}, source="t.toml")


def test_pool_figures_are_counted_per_household_at_the_date():
    from sim.population import pool_figures
    from tests.programme.tiny import population

    pop = population(
        5,
        household=np.array([0, 0, 1, 2, 3], np.int32),
        bijstand_from=np.array([-6.0, -6.0, -4.0, -1.0, 0.0]) * 52.1775,
        bijstand_to=np.array([1e9, 1e9, 1e9, 1e9, 10.0]),
        willing_from=np.array([0, 0, 99, 0, 0], np.int32),
    )
    # Week 52 is just under a year after the start: households 0, 1 and 2 have been on
    # bijstand 6.997, 4.997 and 1.997 years (household 1 not over 5), household 3 left.
    figures = pool_figures(pop, 52)
    assert figures["households"] == 3
    assert figures["households_over_3_years"] == 2
    assert figures["share_over_5_years"] == pytest.approx(1 / 3)
    assert figures["willing_over_3_years"] == 1  # household 1 is willing only from week 99


def test_duplicate_target_names_and_unknown_tables_are_rejected():
    with pytest.raises(ConfigError, match="a second target of this name"):
        parse_targets({"target": [GOOD_TARGET, GOOD_TARGET]}, source="t.toml")
    with pytest.raises(ConfigError, match="key 'targets': unknown key; did you mean 'target'"):
        parse_targets({"targets": [GOOD_TARGET]}, source="t.toml")


def _config(tmp_path: Path, **changes) -> dict:
    (tmp_path / "targets.toml").write_text(TARGETS.read_text(encoding="utf-8"), encoding="utf-8")
    config = {
        "name": "test",
        "targets": "targets.toml",
        "seed": 1,
        "priors": {"covid_factor": {"low": 0.2, "high": 1.0, "reason": "why"}},
        "distance": {"kind": "sum_of_squares"},
        "abc": {"population_size": 50, "max_total_simulations": 100, "max_generations": 2},
    }
    for key, value in changes.items():
        if value is None:
            config.pop(key)
        else:
            config[key] = value
    return config


@pytest.mark.parametrize(
    ("changes", "key", "message"),
    [
        ({"prior": {}}, "prior", "did you mean 'priors'"),
        (
            {"priors": {"covid_factr": {"low": 0.2, "high": 1, "reason": "r"}}},
            "covid_factr",
            "unknown parameter; did you mean 'covid_factor'",
        ),
        (
            {"priors": {"covid_factor": {"low": 0.2, "high": 1.5, "reason": "r"}}},
            r"priors\.covid_factor\.high",
            r"1\.5 is outside the registry's allowed range 0\.\.1",
        ),
        (
            {"priors": {"covid_factor": {"low": 0.8, "high": 0.2, "reason": "r"}}},
            r"priors\.covid_factor",
            "must be below high",
        ),
        (
            {"priors": {"task_acquisition_per_week": {"low": 1, "high": 5, "reason": "r"}}},
            r"priors\.task_acquisition_per_week",
            "only a number or date parameter can be free",
        ),
        (
            {"priors": {"ceiling_growth_start": {"low": 0, "high": 5, "reason": "r"}}},
            r"priors\.ceiling_growth_start",
            "needs date bounds",
        ),
        (
            {"priors": {"covid_factor": {"low": 0.2, "high": 1, "reson": "r"}}},
            r"priors\.covid_factor\.reson",
            "did you mean 'reason'",
        ),
        (
            {"abc": {"population": 50, "max_total_simulations": 1, "max_generations": 1}},
            r"abc\.population",
            "did you mean 'population_size'",
        ),
        (
            {
                "abc": {
                    "population_size": 50,
                    "max_total_simulations": 1,
                    "max_generations": 1,
                    "prior_share": 1.0,
                }
            },
            r"abc\.prior_share",
            "less than 1",
        ),
        ({"distance": {"kind": "adaptiv"}}, r"distance\.kind", "'info_weighted'"),
        ({"distance": {"kind": "adaptive", "scale": "iqr"}}, r"distance\.scale", "'rmsd'"),
        ({"fixed": {"covid_factor": 0.5}}, r"priors\.covid_factor", "both free and fixed"),
        ({"fixed": {"househlds": 10}}, "househlds", "did you mean 'households'"),
        ({"seed": None}, "seed", "Field required"),
    ],
)
def test_bad_calibration_files_are_config_errors(tmp_path, changes, key, message):
    with pytest.raises(ConfigError, match=f"cal.toml[^:]*: key '[^']*{key}[^']*': .*{message}"):
        parse_calibration(_config(tmp_path, **changes), source="cal.toml", base_dir=tmp_path)


def test_missing_files_are_config_errors(tmp_path):
    with pytest.raises(ConfigError, match=r"nope\.toml: file not found"):
        load_calibration(tmp_path / "nope.toml")
    # A missing targets file is named with the file and key that point to it.
    with pytest.raises(ConfigError) as caught:
        parse_calibration(
            _config(tmp_path, targets="missing.toml"), source="cal.toml", base_dir=tmp_path
        )
    assert str(caught.value) == f"cal.toml: key 'targets': {tmp_path / 'missing.toml'} not found"


# ---------------------------------------------------------------------------
# Summary statistics, distance, seeds
# ---------------------------------------------------------------------------


def _replicate() -> Replicate:
    dates = pd.date_range("2021-06-06", periods=32, freq="7D")  # Sundays, as the model
    n = len(dates)
    hours = np.where(np.arange(n) < 10, 100.0, 300.0)
    rate = np.where(np.arange(n) < 10, 0.10, 0.02)
    ts = pd.DataFrame(
        {
            "date": dates,
            "employed": np.arange(n),
            "contract_hours": hours,
            "sick_absence_rate": rate,
        }
    )
    by_wijk = pd.DataFrame(
        {
            "date": np.repeat(dates, len(WIJKEN)),
            "replicate": 0,
            "wijk": np.tile(np.array(WIJKEN, dtype=object), n),
            "employed": np.tile(np.arange(len(WIJKEN)), n) + np.repeat(np.arange(n), len(WIJKEN)),
        }
    )
    return Replicate(timeseries=ts, by_wijk=by_wijk, composition=pd.DataFrame())


def _targets(*rows: dict):
    return parse_targets({"target": [{**GOOD_TARGET, **row} for row in rows]}, source="t")


def test_summary_statistics_known_answers():
    rep = _replicate()
    targets = _targets(
        {"name": "on", "date": dt.date(2021, 6, 20)},  # a model week ends that day: row 2
        {"name": "between", "date": dt.date(2021, 6, 23)},  # last row on or before: row 2
        {
            "name": "sick",
            "statistic": "hours_weighted_mean",
            "column": "sick_absence_rate",
            "start": dt.date(2021, 7, 1),
            "date": dt.date(2021, 12, 31),
            "value": 0.036,
        },
        {
            "name": "beijum",
            "statistic": "wijk_employed",
            "wijk": "Beijum",
            "date": dt.date(2021, 6, 23),
            "use": "check",
            "use_reason": "r",
        },
    )
    stats = summary_statistics(rep, targets)
    assert stats["on"] == 2
    assert stats["between"] == 2
    ts = rep.timeseries
    weeks = ts[(ts["date"] >= "2021-07-01") & (ts["date"] <= "2021-12-31")]
    expected = np.average(weeks["sick_absence_rate"], weights=weeks["contract_hours"])
    assert stats["sick"] == pytest.approx(expected)
    assert stats["sick"] != pytest.approx(weeks["sick_absence_rate"].mean())  # weighted
    assert stats["beijum"] == WIJKEN.index("Beijum") + 2


def test_summary_statistics_refuse_dates_beyond_the_run():
    with pytest.raises(ValueError, match="outside the simulated weeks"):
        summary_statistics(_replicate(), _targets({"date": dt.date(2022, 6, 1)}))


def test_distance_sums_squared_scaled_differences_of_fit_targets_only():
    targets = _targets(
        {"name": "a", "value": 10, "scale": 2.0},
        {"name": "b", "value": 0, "scale": 1.0},
        {"name": "c", "value": 5, "scale": 1.0, "use": "check", "use_reason": "r"},
    )
    distance = Distance(targets)
    observed = targets.observed()
    assert distance({"a": 14, "b": 1, "c": 100, SEED_KEY: 3}, observed) == pytest.approx(5.0)
    assert distance({"a": 10, "b": 0, "c": -7}, observed) == 0.0
    assert distance({"a": float("nan"), "b": 0, "c": 5}, observed) == math.inf


def test_evaluation_seed_is_a_function_of_master_seed_and_values():
    values = {"covid_factor": 0.5, "early_exit_factor": 0.1}
    seed = evaluation_seed(7, values)
    assert seed == evaluation_seed(7, dict(reversed(values.items())))
    assert seed != evaluation_seed(8, values)
    assert seed != evaluation_seed(7, {**values, "covid_factor": np.nextafter(0.5, 1)})
    assert 0 <= seed < 2**63


def test_inflow_is_skipped_only_where_it_cannot_reach_the_targets():
    base = Params()
    assert not inflow_matters(base, dt.date(2023, 3, 1))  # newcomers eligible from week 157
    assert inflow_matters(base, dt.date(2023, 3, 31))
    assert window_params(base, dt.date(2023, 3, 1)).inflow_households_per_year == 0
    assert window_params(base, dt.date(2023, 3, 31)) is base
    short = base.with_overrides({"eligible_min_years_on_benefit": 1.0})
    assert window_params(short, dt.date(2023, 3, 1)) is short


def test_simulator_is_reproducible_and_seeds_differ_between_parameters():
    cal = load_calibration(HANZE)
    simulator = cal.simulator()
    particle = {p.name: 0.0 for p in cal.free}  # probit scale: 0 is the prior's middle
    numbers = {p.name: float(p.from_sampler(0.0)) for p in cal.free}
    assert numbers == pytest.approx({p.name: (p.low + p.high) / 2 for p in cal.free})
    first = simulator(particle)
    assert simulator(particle) == first
    assert first[SEED_KEY] == evaluation_seed(cal.seed, numbers)
    # The fitted targets only: the checked ones are the predictive check's.
    assert set(first) == {t.name for t in cal.targets.fit} | {SEED_KEY}
    other = simulator({**particle, "covid_factor": 1e-9})
    assert other[SEED_KEY] != first[SEED_KEY]


def test_the_simulator_records_only_what_its_targets_read_and_gets_the_same_statistics():
    """The lean record of a calibration run changes nothing: the reporters only read."""
    cal = load_calibration(HANZE)
    simulator = cal.simulator()
    outcomes, by_wijk = recorded(cal.targets.fit)
    assert "contract_hours" in outcomes  # read by the weighted sickness absence
    assert not by_wijk  # the wijk counts are checked, not fitted
    until = max(t.date for t in cal.targets.fit)
    for index, share in enumerate((0.2, 0.5, 0.8)):
        numbers = {p.name: p.low + share * (p.high - p.low) for p in cal.free}
        lean = simulator.run(numbers, seed=index)
        full_run = run_replicate(window_params(simulator.params(numbers), until), index, until)
        full = summary_statistics(full_run, cal.targets.fit)
        assert lean.keys() == full.keys()
        for name, value in lean.items():
            assert value == full[name] or (math.isnan(value) and math.isnan(full[name])), name


def test_statistics_from_the_weekly_record_are_those_of_the_run_tables():
    """Every target, fitted and checked (wijk counts, pool figures), read from the record."""
    from sim.outcomes import WeeklyRecord
    from sim.simulation import run_model

    targets = load_targets(TARGETS)
    until = targets.last_date
    for seed, params in ((3, Params()), (4, Params(covid_factor=0.3, intake_slots_per_coach=9))):
        tables = summary_statistics(run_replicate(params, seed, until), targets)
        from_record = record_statistics(run_model(params, seed, until, WeeklyRecord()), targets)
        assert from_record.keys() == tables.keys() == {t.name for t in targets}
        for name, value in from_record.items():
            assert value == tables[name] or (math.isnan(value) and math.isnan(tables[name])), name


def test_a_predictive_draw_reads_what_the_run_tables_give():
    """The predictive check records only what its targets and figures read: same numbers."""
    from sim.calibration.fit import PPC_SERIES, _predict_one

    targets = load_targets(TARGETS)
    until = targets.last_date
    for seed, params in ((5, Params()), (6, Params(covid_factor=0.4, keep_volunteering=0.9))):
        draw = _predict_one((params, seed, until, targets))
        run = run_replicate(params, seed, until)
        tables = summary_statistics(run, targets)
        assert draw.keys() == {*tables, SEED_KEY, *(f"series_{c}" for c in PPC_SERIES)}
        assert draw[SEED_KEY] == seed
        for name, value in tables.items():
            assert draw[name] == value or (math.isnan(value) and math.isnan(draw[name])), name
        for column in PPC_SERIES:
            series = run.timeseries[column].to_numpy(float)
            np.testing.assert_array_equal(draw[f"series_{column}"], series)
            assert series[-1] > 0  # not vacuous: the series moved


def test_recorded_outcomes_follow_the_targets():
    targets = load_targets(TARGETS)
    wijk = [t for t in targets if t.statistic == "wijk_employed"]
    counts = [t for t in targets if t.statistic == "value_at"]
    assert recorded(tuple(wijk)) == ((), True)
    assert recorded(tuple(counts[:1])) == ((counts[0].column,), False)


def test_the_sampler_scale_is_the_uniform_prior_of_the_file():
    """pyabc's standard normal on the probit scale is the file's uniform on low..high."""
    from scipy import stats

    cal = load_calibration(HANZE)
    prior = prior_distribution(cal.free)
    rng = np.random.default_rng(5)
    for p in cal.free:
        z = stats.norm.rvs(size=20_000, random_state=rng)
        numbers = p.from_sampler(z)
        assert p.low < numbers.min()
        assert numbers.max() < p.high
        # Kolmogorov-Smirnov against the uniform on the prior's range; 1e-3 is the chance
        # of refusing a correct mapping on this fixed seed's draws.
        assert stats.kstest(numbers, stats.uniform(p.low, p.high - p.low).cdf).pvalue > 1e-3
        assert np.allclose(p.to_sampler(numbers[:100]), z[:100])
        assert prior[p.name].distribution.dist.name == "norm"


def test_the_prior_density_of_one_value_is_scipys_to_the_bit():
    import pickle

    from scipy import stats

    from sim.calibration.proposals import StandardNormal

    rv = StandardNormal()
    x = np.random.default_rng(8).normal(0.0, 3.0, 20_000)
    reference = stats.norm.pdf(x)
    # The same number as scipy gives: the calibration's weights do not change.
    assert [rv.pdf(float(v)) for v in x] == reference.tolist()
    assert [rv.pdf(v) for v in x[:100]] == reference[:100].tolist()  # numpy's float64
    assert np.array_equal(rv.pdf(x), reference)  # arrays: scipy itself
    assert rv.pdf(40.0) == 0.0  # far in the tail, as scipy: no error
    # pyabc copies and pickles its priors: the class (and its fast density) stays.
    assert type(rv.copy()) is StandardNormal
    assert type(pickle.loads(pickle.dumps(rv))) is StandardNormal
    with pytest.raises(ValueError, match="a standard normal only"):
        StandardNormal("norm", 1.0, 2.0)


def _draws_and_state(rv, count: int) -> tuple[list, tuple]:
    np.random.seed(12)  # noqa: NPY002 (pyabc's generator)
    draws = [rv.rvs() for _ in range(count)]
    return draws, np.random.random_sample(3).tolist()  # noqa: NPY002 (where it was left)


def test_a_prior_draw_is_scipys_to_the_bit():
    import pyabc

    from sim.calibration.proposals import StandardNormal

    ours, state = _draws_and_state(StandardNormal(), 5000)
    theirs, their_state = _draws_and_state(pyabc.RV("norm", 0.0, 1.0), 5000)
    assert [(type(v), v) for v in ours] == [(type(v), v) for v in theirs]
    assert state == their_state  # the generator left where scipy leaves it
    assert len(set(ours)) == 5000  # not vacuous: draws, not a constant
    np.random.seed(12)  # noqa: NPY002
    assert StandardNormal().rvs(size=3).shape == (3,)  # sizes: scipy itself


def test_the_one_model_prior_is_scipys_randint_of_one():
    import pickle

    import pyabc

    from sim.calibration.proposals import SingleModel

    ours, theirs = SingleModel(), pyabc.RV("randint", 0, 1)
    (draws, state), (their_draws, their_state) = (
        _draws_and_state(ours, 100),
        _draws_and_state(theirs, 100),
    )
    assert [(type(m), m) for m in draws] == [(type(m), m) for m in their_draws]
    assert state == their_state  # a range of one takes nothing from the generator
    for m in (0, 1, -1, np.int64(0), np.int64(2)):
        assert (type(ours.pmf(m)), ours.pmf(m)) == (type(theirs.pmf(m)), theirs.pmf(m))
    assert ours.pmf(0) == 1.0  # not vacuous: both cases seen
    assert ours.pmf(1) == 0.0
    assert np.array_equal(ours.pmf(np.array([0, 1])), [1.0, 0.0])  # arrays: scipy itself
    assert type(ours.copy()) is SingleModel
    assert type(pickle.loads(pickle.dumps(ours))) is SingleModel
    with pytest.raises(ValueError, match="one model only"):
        SingleModel("randint", 0, 2)


def test_weighted_quantiles():
    values = [3.0, 1.0, 2.0, 10.0]
    assert weighted_quantiles(values, [1, 1, 1, 1], 0.5) == pytest.approx(2.5)
    assert weighted_quantiles(values, [0, 0, 1, 0], [0.05, 0.95]) == pytest.approx([2.0, 2.0])
    assert weighted_quantiles(values, [1, 1, 1, 97], 0.6) == pytest.approx(10.0)
    # The median falls inside the weight of 10, interpolated from the value below it.
    assert 9 < weighted_quantiles(values, [1, 1, 1, 97], 0.5) < 10


def test_ppc_table_marks_targets_outside_their_90_percent_interval():
    targets = _targets({"name": "a", "value": 10}, {"name": "b", "value": 200})
    draws = pd.DataFrame({"a": np.arange(101.0) / 5, "b": np.arange(101.0)})
    table = ppc_table(targets, draws)
    assert table.columns[:9].tolist() == [
        "target", "date", "observed", "q05", "q25", "q50", "q75", "q95", "inside_90"
    ]  # fmt: skip
    assert table["inside_90"].tolist() == [True, False]
    assert table.loc[0, "q50"] == pytest.approx(10.0)


# ---------------------------------------------------------------------------
# The posterior file
# ---------------------------------------------------------------------------


def _posterior(weights=(0.7, 0.3, 0.0)) -> pd.DataFrame:
    posterior = pd.DataFrame(
        {
            "covid_factor": [0.3, 0.5, 0.9],
            "intake_slots_per_coach": [4, 6, 8],
            "ceiling_growth_start": [dt.date(2022, 5, 1), dt.date(2022, 9, 1), dt.date(2023, 1, 1)],
            "weight": list(weights),
        }
    )
    posterior.attrs = {"calibration": "test", "fixed": {"households": 2000}}
    return posterior


def test_posterior_parquet_round_trip(tmp_path):
    posterior = _posterior()
    path = save_posterior(posterior, tmp_path / "sub" / "posterior.parquet")
    back = load_posterior(path)
    pd.testing.assert_frame_equal(back, posterior)
    assert back.attrs == posterior.attrs
    assert isinstance(back["ceiling_growth_start"].iloc[0], dt.date)


def test_load_posterior_normalises_weights_and_rejects_bad_files(tmp_path):
    path = save_posterior(_posterior(weights=(2.0, 2.0, 4.0)), tmp_path / "p.parquet")
    assert load_posterior(path)["weight"].tolist() == pytest.approx([0.25, 0.25, 0.5])
    save_posterior(_posterior().drop(columns="weight"), tmp_path / "w.parquet")
    with pytest.raises(ConfigError, match=r"w\.parquet: has no 'weight' column"):
        load_posterior(tmp_path / "w.parquet")
    save_posterior(_posterior().rename(columns={"covid_factor": "covid"}), tmp_path / "n.parquet")
    with pytest.raises(ConfigError, match="key 'covid': unknown parameter; did you mean"):
        load_posterior(tmp_path / "n.parquet")
    with pytest.raises(ConfigError, match="no posterior here"):
        load_posterior(tmp_path / "absent.parquet")


def test_posterior_params_draw_rows_by_weight():
    posterior = _posterior()
    draws = posterior_params(posterior, 4000, np.random.default_rng(3))
    covid = np.array([p.covid_factor for p in draws])
    # Weights 0.7 / 0.3: 4,000 draws have a standard error of 0.007; 0.03 is 4 of them.
    assert np.mean(covid == 0.3) == pytest.approx(0.7, abs=0.03)
    assert np.mean(covid == 0.5) == pytest.approx(0.3, abs=0.03)
    assert not np.any(covid == 0.9)  # weight 0: never drawn
    first = draws[int(np.argmax(covid == 0.3))]
    assert first.ceiling_growth_start == dt.date(2022, 5, 1)
    assert first.intake_slots_per_coach == 4
    assert first.households == 2000  # the calibration's fixed overrides come along
    again = posterior_params(posterior, 4000, np.random.default_rng(3))
    assert [p.covid_factor for p in again] == covid.tolist()


# ---------------------------------------------------------------------------
# Recovery: calibrate on data simulated from known parameters
# ---------------------------------------------------------------------------

TRUTH = {"share_prospect_paid_work": 0.3, "cannot_take_step": 0.25}


def _recovery_calibration(
    tmp_path: Path, population: int, budget: int, proposal: str = 'transition = "local"'
):
    rows = [
        ("paid_work", "rejected_paid_work_cum", 6.0),
        ("other", "rejected_other_cum", 5.0),
        ("spoken", "spoken_cum", 10.0),
        ("employed", "employed", 6.0),
    ]
    targets = "\n".join(
        f"""
[[target]]
name = "{name}"
statistic = "value_at"
column = "{column}"
date = 2021-07-01
value = 0
source = "simulated"
scale = {scale}
scale_reason = "about the spread between runs"
use = "fit"
"""
        for name, column, scale in rows
    )
    (tmp_path / "targets.toml").write_text(targets, encoding="utf-8")
    config = f"""
name = "recovery"
targets = "targets.toml"
seed = 11
{TWO_PRIORS_IN_A_TOWN}
[distance]
kind = "sum_of_squares"
[abc]
population_size = {population}
max_total_simulations = {budget}
max_generations = 10
{proposal}
[ppc]
draws = 10
"""
    path = tmp_path / "recovery.toml"
    path.write_text(config, encoding="utf-8")
    cal = load_calibration(path)
    truth = cal.simulator().params({**TRUTH})
    pseudo = cal.simulator().run({**TRUTH}, seed=2024)
    assert truth.share_prospect_paid_work == TRUTH["share_prospect_paid_work"]
    return dataclasses.replace(cal, targets=cal.targets.with_values(pseudo)), path


@pytest.fixture(scope="module")
def recovered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("recovery")
    # 1,200 simulations: on the probit scale with local proposals, 700 left the posterior
    # of cannot_take_step at 64% of its prior; the check below asks for under 60%.
    cal, path = _recovery_calibration(tmp, population=100, budget=1_200)
    result = run_calibration(
        path,
        calibration=cal,
        out_dir=tmp / "out",
        posterior_path=tmp / "posterior.parquet",
        workers=1,
        figures=False,
    )
    return cal, result, tmp


def test_recovery_posterior_covers_the_true_parameters(recovered):
    cal, result, _ = recovered
    posterior = load_posterior(result.posterior_path)
    # Stopped by its budget of 1,200 simulations (10 generations of 100 would need more).
    assert result.total_simulations >= 1_200
    for name, truth in TRUTH.items():
        low, high = weighted_quantiles(posterior[name], posterior["weight"], [0.05, 0.95])
        assert low <= truth <= high, (name, low, high)
        (p,) = [p for p in cal.free if p.name == name]
        assert high - low < 0.6 * (p.high - p.low), (name, low, high)  # learnt something
    assert set(result.ppc["target"]) == {"paid_work", "other", "spoken", "employed"}


def test_the_command_line_and_the_diagnostics_count_the_same_generations(recovered):
    """The diagnostics count pyabc's calibration sample (t = -1) as a generation; the
    command line (``describe``, which ``basisbaan calibrate`` prints) counts the
    generations after it, and says so."""
    _, result, _ = recovered
    history = pyabc.History(f"sqlite:///{result.database}", _id=result.abc_id)
    ts = history.get_all_populations()["t"].tolist()
    assert ts[0] == -1
    assert ts[1:] == list(range(len(ts) - 1))
    diagnostics = json.loads(result.posterior_path.with_name("diagnostics.json").read_text("utf-8"))
    assert diagnostics["generations"] == len(ts)
    assert result.generations == len(ts) - 1
    assert f"{result.generations} generations after the calibration sample" in describe(result)[0]


def test_resume_of_a_finished_run_adds_nothing_and_a_changed_one_is_refused(recovered):
    cal, result, tmp = recovered
    again = run_calibration(
        cal.source,
        calibration=cal,
        resume=True,
        out_dir=tmp / "out",
        posterior_path=tmp / "posterior_again.parquet",
        workers=1,
        figures=False,
    )
    assert again.total_simulations == result.total_simulations
    assert again.abc_id == result.abc_id
    pd.testing.assert_frame_equal(
        load_posterior(again.posterior_path), load_posterior(result.posterior_path)
    )
    changed = dataclasses.replace(cal, seed=cal.seed + 1)
    with pytest.raises(ConfigError, match="started with other targets, priors, seed or settings"):
        run_calibration(cal.source, calibration=changed, resume=True, out_dir=tmp / "out")
    with pytest.raises(ConfigError, match="no calibration run to resume"):
        run_calibration(cal.source, calibration=cal, resume=True, out_dir=tmp / "elsewhere")


@pytest.mark.parametrize(
    "proposal",
    ['transition = "local"', 'transition = "multivariate_normal"\nprior_share = 0.3'],
)
def test_single_core_calibration_is_reproducible(tmp_path, proposal):
    cal, path = _recovery_calibration(tmp_path, population=20, budget=60, proposal=proposal)
    posteriors = []
    for run in ("a", "b"):
        result = run_calibration(
            path,
            calibration=cal,
            out_dir=tmp_path / run,
            posterior_path=tmp_path / run / "posterior.parquet",
            workers=1,
            figures=False,
        )
        posteriors.append(load_posterior(result.posterior_path))
    pd.testing.assert_frame_equal(posteriors[0], posteriors[1])


def test_a_calibration_runs_on_a_dask_cluster(tmp_path):
    """The issue's other route to a big calibration: ``--scheduler``, pyabc's Dask sampler."""
    distributed = pytest.importorskip("distributed")
    cal, path = _recovery_calibration(tmp_path, population=20, budget=60)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        result = run_calibration(
            path,
            calibration=cal,
            out_dir=tmp_path / "out",
            posterior_path=tmp_path / "posterior.parquet",
            scheduler=cluster.scheduler_address,
            figures=False,
        )
    assert result.sampler == f"dask {cluster.scheduler_address}"
    assert result.total_simulations >= 60  # stopped by its budget, as on one core
    posterior = load_posterior(result.posterior_path)
    assert len(posterior) == 20  # one full generation of particles
    assert posterior["weight"].sum() == pytest.approx(1.0)
    # The predictive check went to the cluster too, and gives what it gives on one core:
    # the same draws, seeds and statistics (README: reproducible on any number of workers).
    assert set(result.ppc["target"]) == {"paid_work", "other", "spoken", "employed"}
    draws = pd.read_parquet(tmp_path / "out" / "ppc_draws.parquet")
    assert len(draws) == 10  # the file's [ppc] draws
    one_core = posterior_predictive(cal, posterior, workers=1)
    pd.testing.assert_frame_equal(draws, one_core[draws.columns])


def test_calibration_runs_do_not_keep_their_models_alive():
    import gc

    from sim.model import BasisbaanModel

    def models_alive() -> int:
        gc.collect()
        return sum(isinstance(obj, BasisbaanModel) for obj in gc.get_objects())

    cal = load_calibration(HANZE)
    simulator = cal.simulator()
    before = models_alive()
    for shift in range(3):
        simulator({p.name: shift - 1.0 for p in cal.free})
    assert models_alive() == before


def test_the_committed_diagnostics_describe_the_committed_posterior():
    """calibration/diagnostics.json (issue: its schema) matches posterior.parquet and hanze.toml."""
    diagnostics = json.loads((REPO / "calibration" / "diagnostics.json").read_text("utf-8"))
    cal = load_calibration(HANZE)
    posterior = load_posterior(REPO / "calibration" / "posterior.parquet")
    assert diagnostics["simulations"] >= 50_000  # the size of calibration
    assert diagnostics["particles"] == len(posterior) == cal.abc.population_size
    assert diagnostics["fingerprint"] == posterior.attrs["fingerprint"] == cal.fingerprint()
    assert set(diagnostics["parameters"]) == set(cal.names) == set(diagnostics["correlations"])
    for name, row in diagnostics["parameters"].items():
        assert row["q05"] <= row["q50"] <= row["q95"], name
    assert 0 < diagnostics["ess_final"] <= diagnostics["particles"]
    assert diagnostics["ess_final"] >= 0.4 * diagnostics["particles"]  # the least share
    sbc = diagnostics["sbc"]
    assert sbc["datasets"] >= 20  # the least number of synthetic data sets
    assert 0 <= sbc["coverage50"] <= sbc["coverage90"] <= 1


def test_the_figures_beside_the_posterior_are_copies_of_the_ones_drawn(tmp_path):
    from sim.calibration.fit import _copied

    drawn = tmp_path / "results" / "figures"
    drawn.mkdir(parents=True)
    files = []
    for name, content in (("a.png", b"first"), ("b.png", b"second")):
        (drawn / name).write_bytes(content)
        files.append(drawn / name)
    copies = _copied(files, tmp_path / "calibration" / "figures")
    assert [c.name for c in copies] == ["a.png", "b.png"]
    assert [c.read_bytes() for c in copies] == [b"first", b"second"]
    assert not list((tmp_path / "calibration" / "figures").glob(".*"))  # no temporary left
    assert _copied(files, drawn) == []  # the same folder: nothing to copy
