"""Reading a user's file and checking it (sim.config): one message format for every file.

Every file the project accepts (a config's parameters, an experiment, calibration
settings, targets) fails the same four ways with the same kind of message: not UTF-8,
not TOML, an unknown key (with the closest name), an invalid value (with the key path,
the value and what is allowed).
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sim.calibration.settings import load_calibration
from sim.calibration.targets import load_targets
from sim.config.checks import (
    InputTable,
    check_keys,
    folder_name,
    is_number,
    nesting,
    number,
    scheduler_address,
    shown,
    suggestion,
    validate_table,
    validation_error,
    whole_number,
    within_limit,
)
from sim.config.errors import ConfigError, FieldError, one_line
from sim.config.locations import output_file, output_folder
from sim.config.read import MAX_CONFIG_BYTES, read_params, read_text, read_toml
from sim.experiment import load_experiment
from sim.params import Params

# ---------------------------------------------------------------------------
# One good file of each kind, and a fault of each sort in it
# ---------------------------------------------------------------------------

PARAMS = """\
name = "x"
[params]
referrals_per_coach_week = 1.2
share_women = 0.5
"""

EXPERIMENT = """\
name = "x"
replicates = 3
[params]
referrals_per_coach_week = 1.2
[scenarios.more]
covid_factor = 0.5
"""

TARGETS = """\
[[target]]
name = "employed_2022"
statistic = "value_at"
column = "employed"
date = 2022-01-01
value = 47
source = "FACTS.md"
scale = 7.9
scale_reason = "a count"
use = "fit"
"""

CALIBRATION = """\
name = "c"
targets = "targets.toml"
seed = 1
[priors.covid_factor]
low = 0.2
high = 1.0
reason = "a pace between a standstill and normal"
[distance]
kind = "sum_of_squares"
[abc]
population_size = 50
max_total_simulations = 100
max_generations = 2
"""


def _read_calibration(path: Path) -> Any:
    (path.parent / "targets.toml").write_text(TARGETS, encoding="utf-8")
    return load_calibration(path)


# kind -> (good text, reader, a line to corrupt, unknown key fault, invalid value fault)
# A fault is (old text, new text, key path in the message, the rest of the message).
KINDS: dict[str, tuple[str, Callable[[Path], Any], tuple, tuple]] = {
    "params": (
        PARAMS,
        read_params,
        ("referrals_per_coach_week", "referals_per_coach_week", "params.referals_per_coach_week",
         "unknown parameter; did you mean 'referrals_per_coach_week'?"),
        ("share_women = 0.5", "share_women = 1.5", "params.share_women",
         r"less than or equal to 1 \(got 1.5\)"),
    ),
    "experiment": (
        EXPERIMENT,
        load_experiment,
        ("replicates = 3", "replicate = 3", "replicate",
         "unknown key; did you mean 'replicates'? allowed: name, description, extends"),
        ("covid_factor = 0.5", "covid_factor = 2", "scenarios.more.covid_factor",
         r"less than or equal to 1 \(got 2\)"),
    ),
    "calibration settings": (
        CALIBRATION,
        _read_calibration,
        ("population_size", "populaton_size", "abc.populaton_size",
         "unknown key; did you mean 'population_size'? allowed: population_size, "),
        ("population_size = 50", "population_size = 5", "abc.population_size",
         r"greater than or equal to 10 \(got 5\)"),
    ),
    "targets": (
        TARGETS,
        load_targets,
        ("value = 47", "valeu = 47", "target[employed_2022].valeu",
         "unknown key; did you mean 'value'? allowed: name, statistic, column"),
        ("scale = 7.9", "scale = 0", "target[employed_2022].scale",
         r"greater than 0 \(got 0\)"),
    ),
}  # fmt: skip


def _write(tmp_path: Path, kind: str, text: str | bytes) -> Path:
    path = tmp_path / f"{kind.replace(' ', '_')}.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", KINDS)
def test_the_good_file_of_each_kind_reads(tmp_path, kind):
    good, read, _, _ = KINDS[kind]
    assert read(_write(tmp_path, kind, good)) is not None


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_that_is_not_utf8_names_the_file_line_and_column(tmp_path, kind):
    good, read, _, _ = KINDS[kind]
    # "é" in Latin-1 is the byte 0xe9, in a comment: line 2, column 6 of the file.
    first, rest = good.split("\n", 1)
    path = _write(tmp_path, kind, f"{first}\n# caf\u00e9\n{rest}".encode("latin-1"))
    with pytest.raises(ConfigError) as caught:
        read(path)
    assert str(caught.value) == (
        f"{path}: not UTF-8 text: byte 0xe9 at line 2, column 6 (save the file as UTF-8)"
    )
    assert caught.value.source == str(path)


@pytest.mark.parametrize("kind", KINDS)
def test_a_toml_syntax_error_names_the_file_line_and_column(tmp_path, kind):
    good, read, _, _ = KINDS[kind]
    first, rest = good.split("\n", 1)
    path = _write(tmp_path, kind, f"{first}\nkey value\n{rest}")  # no equals sign
    with pytest.raises(ConfigError) as caught:
        read(path)
    assert str(caught.value).startswith(f"{path}: not valid TOML: ")
    assert str(caught.value).endswith("(at line 2, column 5)")


@pytest.mark.parametrize("kind", KINDS)
def test_an_unknown_key_names_the_file_the_key_path_and_the_closest_name(tmp_path, kind):
    good, read, (old, new, key, message), _ = KINDS[kind]
    assert old in good
    path = _write(tmp_path, kind, good.replace(old, new, 1))
    with pytest.raises(ConfigError) as caught:
        read(path)
    assert str(caught.value).startswith(f"{path}: key '{key}': {message}")
    assert (caught.value.source, caught.value.key) == (str(path), key)


@pytest.mark.parametrize("kind", KINDS)
def test_an_invalid_value_names_the_file_key_value_and_what_is_allowed(tmp_path, kind):
    good, read, _, (old, new, key, message) = KINDS[kind]
    assert old in good
    path = _write(tmp_path, kind, good.replace(old, new, 1))
    with pytest.raises(ConfigError) as caught:
        read(path)
    assert re.fullmatch(rf"{re.escape(f'{path}: key {key!r}: ')}.*{message}", str(caught.value))
    assert (caught.value.source, caught.value.key) == (str(path), key)


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def test_missing_files_and_directories_are_named(tmp_path):
    with pytest.raises(
        ConfigError, match=rf"^{re.escape(str(tmp_path / 'no.toml'))}: file not found$"
    ):
        read_text(tmp_path / "no.toml")
    with pytest.raises(ConfigError, match="is a directory, not a file"):
        read_toml(tmp_path)


def test_a_byte_order_mark_is_not_part_of_the_toml(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbfname = 'x'\n")
    data, text = read_toml(path)
    assert data == {"name": "x"}
    assert text == "name = 'x'\n"


def test_read_params_reads_the_params_table_or_the_whole_file(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("name = 'x'\n[params]\nintake_coaches = { 2020 = 2, 2024 = 4 }\n")
    assert read_params(path).intake_coaches == {2020: 2.0, 2024: 4.0}
    path.write_text("covid_factor = 0.5\n")
    assert read_params(path) == Params(covid_factor=0.5)
    path.write_text("covid_factr = 0.5\n")
    with pytest.raises(ConfigError, match=r"c.toml: key 'covid_factr': unknown parameter"):
        read_params(path)
    path.write_text("params = 3\n")
    with pytest.raises(ConfigError, match=r"c.toml: key 'params': must be a table of parameters"):
        read_params(path)
    path.write_text("[params]\nfull_time_hours = 50\n")
    with pytest.raises(
        ConfigError, match=r"c.toml: key 'params.full_time_hours': .*less than or equal to 40"
    ):
        read_params(path)


# ---------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------


def test_the_model_core_imports_no_reader():
    # The core does no I/O: importing the model must not import the file readers.
    code = (
        "import sys, sim.params, sim.model; "
        "print(sorted({'sim.config.read', 'tomllib'} & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_config_error_is_one_class_wherever_it_is_imported_from():
    import sim
    import sim.params

    assert sim.params.ConfigError is ConfigError
    assert sim.ConfigError is ConfigError


def test_config_error_keeps_file_key_and_message_apart():
    error = ConfigError("must be at least 1", source="x.toml", key="sweep.samples")
    assert str(error) == "x.toml: key 'sweep.samples': must be at least 1"
    assert (error.source, error.key, error.message) == (
        "x.toml",
        "sweep.samples",
        "must be at least 1",
    )
    assert str(ConfigError("file not found", source="y.toml")) == "y.toml: file not found"
    assert isinstance(error, ValueError)


def test_an_unknown_key_has_one_format():
    with pytest.raises(ConfigError) as caught:
        check_keys({"a": 1, "bta": 2}, ("a", "beta", "gamma"), source="f.toml", where="t")
    assert str(caught.value) == (
        "f.toml: key 't.bta': unknown key; did you mean 'beta'? allowed: a, beta, gamma"
    )
    with pytest.raises(ConfigError) as caught:
        check_keys({"zzz": 1}, ("a", "beta"), source="f.toml")
    assert str(caught.value) == "f.toml: key 'zzz': unknown key; allowed: a, beta"


def test_a_long_list_of_allowed_names_can_be_described_instead():
    tail = suggestion("covid", ["covid_factor", "covid_start"], allowed_text="the registry")
    assert tail == "; did you mean 'covid_start'? allowed: the registry"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")

    low: float = Field(ge=0)
    high: float = Field(le=10)
    kind: str = "a"

    @model_validator(mode="after")
    def _ordered(self) -> _Model:
        if self.high < self.low:
            raise FieldError("high", f"high ({self.high}) is below low ({self.low})")
        return self


@pytest.mark.parametrize(
    ("data", "key", "message"),
    [
        ({"low": -1, "high": 1}, "t.low", r"greater than or equal to 0 \(got -1\)"),
        ({"low": 1, "high": "x"}, "t.high", r"valid number.* \(got 'x'\)"),
        ({"high": 1}, "t.low", "^Field required$"),
        ({"low": 5, "high": 2}, "t.high", r"^high \(2.0\) is below low \(5.0\)$"),
        ({"low": 1, "hihg": 2}, "t.hihg", "did you mean 'high'"),
    ],
)
def test_validate_table_names_the_key_path_value_and_what_is_allowed(data, key, message):
    with pytest.raises(ConfigError) as caught:
        validate_table(_Model, data, source="f.toml", where="t")
    assert (caught.value.source, caught.value.key) == ("f.toml", key)
    assert re.search(message, caught.value.message), caught.value.message


def test_validation_error_without_a_file_names_the_key():
    with pytest.raises(ValidationError) as caught:
        _Model(low=-1, high=1)
    assert str(validation_error(caught.value, source=None)) == (
        "key 'low': Input should be greater than or equal to 0 (got -1)"
    )


def test_a_table_that_is_not_a_table_is_named():
    with pytest.raises(ConfigError, match=r"^f.toml: key 'abc': must be a table, got \[1, 2\]$"):
        validate_table(_Model, [1, 2], source="f.toml", where="abc")


def test_booleans_are_not_numbers():
    assert is_number(3)
    assert is_number(0.5)
    assert not is_number(True)
    assert not is_number("3")
    with pytest.raises(
        ConfigError, match=r"--workers: must be a whole number of at least 1, got true"
    ):
        whole_number(True, at_least=1, source="--workers")
    with pytest.raises(ConfigError, match=r"got 2\.0$"):
        whole_number(2.0, at_least=1, source="x.toml", key="replicates")
    assert whole_number(2, at_least=1, source="x.toml") == 2


@pytest.mark.parametrize("name", ["", ".hidden", "a b", "a/b", "a\\b", "x__y"])
def test_names_that_become_folders_are_checked(name):
    with pytest.raises(ConfigError, match=r"cannot be a file name"):
        folder_name(name, source="x.toml", key="scenarios.n", also_forbidden=("__",))


def test_a_safe_name_passes():
    assert folder_name("growth_2025-v2", source="x.toml", key="name") == "growth_2025-v2"
    with pytest.raises(ConfigError, match=r"key 'name': must be a string, got 3"):
        folder_name(3, source="x.toml", key="name")


# ---------------------------------------------------------------------------
# The checks added for bad input: values, limits, addresses, locations
# ---------------------------------------------------------------------------


def test_number_is_finite_not_boolean_and_within_bounds():
    assert number(0.5, source="f", at_least=0, at_most=1) == 0.5
    for bad in (float("nan"), float("inf"), True, "0.5", None):
        with pytest.raises(ConfigError, match=r"^f: key 'k': must be a finite number from 0 to 1"):
            number(bad, source="f", key="k", at_least=0, at_most=1)
    with pytest.raises(ConfigError, match=r"of at least 2, got 1$"):
        number(1, source="f", at_least=2)


def test_a_limit_says_how_the_count_is_made_and_how_to_raise_it():
    assert within_limit(10, limit=10, parts="x", source="f") == 10
    with pytest.raises(ConfigError) as caught:
        within_limit(12, limit=10, parts="2 scenarios x 6 replicates", source="f", key="replicates")
    assert str(caught.value) == (
        "f: key 'replicates': 2 scenarios x 6 replicates is 12 runs, more than the limit of "
        "10: lower it, or raise the limit with --max-runs"
    )
    with pytest.raises(
        ConfigError, match=r"^--x: 11 is more than 10 \(raise the limit with --y\)$"
    ):
        whole_number(11, at_least=1, at_most=10, raise_with="--y", source="--x")
    with pytest.raises(ConfigError, match=r"at least 1 and at most 10, got 11$"):
        whole_number(11, at_least=1, at_most=10, source="--x")


@pytest.mark.parametrize(
    "address",
    ["tcp://10.0.0.5:8786", "tls://sched.example.org:1", "localhost:8786", "tcp://[::1]:8786"],
)
def test_scheduler_addresses_dask_takes(address):
    assert scheduler_address(address) == address


@pytest.mark.parametrize(
    "address",
    ["", "foo", "tcp://host", "tcp://host:0", "tcp://host:65536", "http://h:1", "tcp://a b:1"],
)
def test_malformed_scheduler_addresses(address):
    with pytest.raises(
        ConfigError, match=r"^--scheduler: .* is not a scheduler address: give tcp://HOST:PORT"
    ):
        scheduler_address(address)


def test_nesting_is_measured_without_recursion():
    deep: list = []
    for _ in range(100_000):  # far beyond Python's recursion limit
        deep = [deep]
    assert nesting(deep) == 100_000
    assert nesting({"a": [1, {"b": 2}]}) == 3
    assert nesting(3) == 0


def test_values_in_messages_are_short_and_on_one_line():
    assert shown(True) == "true"
    assert shown(dt.date(2024, 1, 2)) == "2024-01-02"
    assert shown("a\nb") == "'a\\nb'"
    assert len(shown("x" * 1000)) == 60
    error = ConfigError("bad\nvalue", source="a\x00b.toml", key="k\tk")
    assert str(error) == "a\\x00b.toml: key 'k\\tk': bad\\nvalue"
    assert one_line("caf\u00e9") == "caf\u00e9"


class _Table(InputTable):
    share: float = 0.5
    count: int = 1
    day: dt.date = dt.date(2020, 1, 1)
    flag: bool = False
    either: float | dt.date = 0.0
    weights: dict[str, float] = Field(default_factory=dict)
    anything: Any = None


@pytest.mark.parametrize(
    ("values", "key", "message"),
    [
        ({"share": float("nan")}, "share", r"must be a finite number \(got nan\)"),
        ({"share": True}, "share", r"must be a number, not true or false \(got true\)"),
        ({"share": "0.5"}, "share", r"must be a number, not text in quotes"),
        ({"count": False}, "count", r"not true or false \(got false\)"),
        ({"day": 7}, "day", r"must be a date such as 2023-10-01, not a number \(got 7\)"),
        ({"flag": 1}, "flag", r"must be true or false, not a number \(got 1\)"),
        ({"flag": "no"}, "flag", r"must be true or false, not text in quotes"),
        ({"either": True}, "either", r"not true or false"),
        (
            {"weights": {"a": 1, "b": True}},
            "weights.b",
            r"must be a number, not true or false \(got true\)",
        ),
        ({"weights": {"a": float("inf")}}, "weights.a", r"must be a finite number \(got inf\)"),
    ],
)
def test_input_tables_take_plain_values_only(values, key, message):
    with pytest.raises(ConfigError) as caught:
        validate_table(_Table, values, source="f.toml", where="t")
    assert caught.value.key == f"t.{key}"
    assert re.search(message, caught.value.message), caught.value.message


def test_input_tables_take_what_they_should():
    table = _Table(share=1, count=3, day="2021-01-02", flag=True, either="2022-01-01",
                   weights={"a": 2}, anything=True)  # fmt: skip
    assert (table.share, table.day, table.either) == (1.0, dt.date(2021, 1, 2), dt.date(2022, 1, 1))


def test_a_config_is_read_at_most_a_megabyte(tmp_path):
    path = tmp_path / "big.toml"
    path.write_bytes(b"#" * (MAX_CONFIG_BYTES + 1))
    with pytest.raises(ConfigError, match=r"is larger than 1,000,000 bytes: not a config file$"):
        read_text(path)
    path.write_bytes(b"#" * MAX_CONFIG_BYTES)
    assert read_text(path) == "#" * MAX_CONFIG_BYTES


def test_output_locations_are_checked_without_creating_anything(tmp_path):
    (tmp_path / "file").write_text("x")
    assert output_folder(tmp_path / "new" / "deeper") == tmp_path / "new" / "deeper"
    assert output_file(tmp_path / "new" / "report.html") == tmp_path / "new" / "report.html"
    assert output_file(tmp_path / "file") == tmp_path / "file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]
    with pytest.raises(ConfigError, match=r"file: is a file, not a folder$"):
        output_folder(tmp_path / "file")
    with pytest.raises(ConfigError, match=r"cannot be created: .*file is a file, not a folder$"):
        output_folder(tmp_path / "file" / "sub")
    with pytest.raises(ConfigError, match=r"is a folder: give a file name$"):
        output_file(tmp_path)
    with pytest.raises(ConfigError, match=r"too little free space: about .* is needed for 3 runs"):
        output_folder(tmp_path, needs_bytes=2**62, needs_for="3 runs")


def test_toml_is_read_in_one_module():
    # The house rule: one reader for every file the project accepts (sim.config.read),
    # so every file gets the same checks and the same messages.
    sim = Path(__file__).resolve().parents[1] / "sim"
    readers = sorted(
        str(path.relative_to(sim))
        for path in sim.rglob("*.py")
        if re.search(r"^\s*(import tomllib|from tomllib import)", path.read_text(), re.M)
    )
    assert readers == ["config/read.py"]


def test_a_command_given_no_file_runs_the_shipped_one_from_any_folder(tmp_path, monkeypatch):
    from sim.config.locations import BASELINE, GROWTH_SCENARIOS, REPO_ROOT, config_file

    asked = tmp_path / "mine.toml"
    assert config_file(asked) == asked
    monkeypatch.chdir(tmp_path)  # no experiments/ here: the checkout's file
    assert config_file(None) == REPO_ROOT / BASELINE
    assert config_file(None, GROWTH_SCENARIOS).is_file()
    (tmp_path / "experiments").mkdir()
    (tmp_path / BASELINE).write_text('name = "edited"\n')
    assert config_file(None) == BASELINE  # a copy in the working folder comes first
