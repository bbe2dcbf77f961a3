"""Bad input, tried the way a new user would: the corpus of malformed files and command lines.

Every case runs the ``basisbaan`` command (in this process) and must exit with status 2,
print exactly one line naming the file (or option) and the key, say what is wrong, and
write nothing at all: the folder it runs in is the same afterwards, byte for byte. The
cases cover every kind of fault the command can meet (reading, TOML, each key of an
experiment, parameters and their year schedules, scenarios, sweeps, limits, command-line
options, output locations, posterior files, calibration settings and targets, report and
bench options).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.cli import main

ROOT = Path(__file__).resolve().parents[1]

# The command every experiment case runs: tiny, so that a case that wrongly passes
# validation still finishes quickly (and then fails its test).
RUN = ["run", "x.toml", "--out", "out", "--replications", "1", "--until", "2020-06-30"]
NAME = 'name = "x"\n'

GOOD_TARGETS = """\
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

GOOD_CALIBRATION = """\
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


@dataclass(frozen=True)
class Case:
    """One malformed input: files to write, the command, and the one line it must give.

    ``source`` and ``key`` are the start of the message (``basisbaan: SOURCE: key 'KEY':
    ``); ``message`` is a regular expression the rest must match.
    """

    id: str
    argv: list[str]
    source: str
    key: str | None
    message: str
    files: dict[str, str | bytes] = field(default_factory=dict)


def experiment(id: str, text: str, key: str | None, message: str, *extra: str) -> Case:
    """A case of a malformed experiment file ``x.toml``, run with the tiny command."""
    return Case(id, [*RUN, *extra], "x.toml", key, message, {"x.toml": text})


def whole_file(id: str, text: str, key: str | None, message: str) -> Case:
    """A case of an experiment file run as it is, with its own replicates and horizon."""
    return Case(id, ["run", "x.toml", "--out", "out"], "x.toml", key, message, {"x.toml": text})


def option(id: str, extra: list[str], source: str, message: str, text: str = NAME) -> Case:
    """A case of a bad command-line option on a good experiment file."""
    return Case(id, [*RUN, *extra], source, None, message, {"x.toml": text})


def calibration(id: str, old: str, new: str, key: str | None, message: str) -> Case:
    """A case of a calibration file ``cal.toml`` with one change to a good one."""
    assert old in GOOD_CALIBRATION, old
    text = GOOD_CALIBRATION.replace(old, new, 1)
    return Case(
        id,
        ["calibrate", "cal.toml", "--out", "out"],
        "cal.toml",
        key,
        message,
        {"cal.toml": text, "targets.toml": GOOD_TARGETS},
    )


def targets(id: str, old: str, new: str, key: str | None, message: str) -> Case:
    """A case of a targets file with one change to a good one (read by a good calibration)."""
    assert old in GOOD_TARGETS, old
    return Case(
        id,
        ["calibrate", "cal.toml", "--out", "out"],
        "targets.toml",
        key,
        message,
        {"cal.toml": GOOD_CALIBRATION, "targets.toml": GOOD_TARGETS.replace(old, new, 1)},
    )


def posterior_bytes(frame: pd.DataFrame) -> bytes:
    import io

    sink = io.BytesIO()
    frame.to_parquet(sink, index=False)
    return sink.getvalue()


def forecast(id: str, extra: list[str], source: str, key: str | None, message: str,
             files: dict[str, str | bytes] | None = None) -> Case:  # fmt: skip
    """A case of ``basisbaan forecast`` with tiny settings."""
    argv = ["forecast", "--out", "out", "--draws", "2", "--until", "2020-06-30", *extra]
    return Case(id, argv, source, key, message, files or {})


GOOD_POSTERIOR = pd.DataFrame({"covid_factor": [0.5, 0.7], "weight": [0.5, 0.5]})
FILE_NAME_RULE = r"cannot be a file name: use 1 to 64 of the letters a-z and A-Z, digits"
LIMIT = r"is more than 100,000 \(raise the limit with --max-runs\)"
NOT_A_NUMBER = r"must be a number, not true or false \(got true\)"
NOT_FINITE = r"must be a finite number \(got (nan|inf|-inf)\)"
DEEP = "a = " + "[" * 5000 + "]" * 5000 + "\n"

CASES = [
    # --- reading the file -------------------------------------------------------------
    Case("missing file", ["run", "nope.toml"], "nope.toml", None, "^file not found$"),
    Case("a folder as config", ["run", "sub"], "sub", None, "^is a directory, not a file$",
         {"sub/keep.txt": "x"}),
    Case("a device as config", ["run", "/dev/zero", "--out", "out"], "/dev/zero", None,
         r"^is larger than 1,000,000 bytes: not a config file$"),
    Case("config name too long", ["run", "a" * 300 + ".toml"], "a" * 300 + ".toml", None,
         "^cannot be read: File name too long$"),
    Case("latin-1", RUN, "x.toml", None,
         r"^not UTF-8 text: byte 0xe9 at line 2, column 6 \(save the file as UTF-8\)$",
         {"x.toml": (NAME + "# caf\u00e9\n").encode("latin-1")}),
    Case("utf-16 with BOM", RUN, "x.toml", None, r"^not UTF-8 text: byte 0xff at line 1, column 1",
         {"x.toml": NAME.encode("utf-16")}),
    Case("utf-16 without BOM", RUN, "x.toml", None, r"^not valid TOML: ",
         {"x.toml": NAME.encode("utf-16-le")}),
    Case("random bytes", RUN, "x.toml", None, r"^not UTF-8 text: byte 0x",
         {"x.toml": np.random.default_rng(13).bytes(4096)}),
    experiment("a NUL byte", 'name = "x"\x00\n', None, r"^not valid TOML: .*\(at line 1, column 11\)$"),
    experiment("too large", NAME + "#" * 1_100_000 + "\n", None,
               r"^is larger than 1,000,000 bytes: not a config file$"),
    experiment("no equals sign", NAME + "replicates 3\n", None,
               r"^not valid TOML: .*\(at line 2, column 12\)$"),
    experiment("unclosed table", "[params\n", None, r"^not valid TOML: .*\(at line 1, column 8\)$"),
    experiment("duplicate key", NAME + NAME, None, r"^not valid TOML: .*\(at line 2, column"),
    experiment("unclosed string", 'name = "x\n', None, r"^not valid TOML: "),
    experiment("impossible date", NAME + "until = 2021-02-30\n", None, r"^not valid TOML: "),
    experiment("arrays nested 5,000 deep", DEEP, None,
               r"^arrays or tables nested deeper than 16 levels$"),
    experiment("arrays nested 20 deep", "a = " + "[" * 20 + "]" * 20 + "\n", None,
               r"^arrays or tables nested deeper than 16 levels$"),
    experiment("tables nested 20 deep", "a = " + "{b = " * 20 + "1" + "}" * 20 + "\n", None,
               r"^arrays or tables nested deeper than 16 levels$"),
    # --- top-level keys -----------------------------------------------------------------
    experiment("unknown key with hint", NAME + "replicate = 3\n", "replicate",
               r"^unknown key; did you mean 'replicates'\? allowed: name, description, extends"),
    experiment("unknown key without hint", NAME + "zzz = 3\n", "zzz", r"^unknown key; allowed: name, "),
    experiment("a parameter at the top", NAME + "covid_factor = 0.5\n", "covid_factor",
               r"^a parameter at the top of the file: put it under \[params\]"),
    experiment("name empty", 'name = ""\n', "name", rf"^'' {FILE_NAME_RULE}"),
    experiment("name with a space", 'name = "a b"\n', "name", rf"^'a b' {FILE_NAME_RULE}"),
    experiment("name with a slash", 'name = "a/b"\n', "name", rf"^'a/b' {FILE_NAME_RULE}"),
    experiment("name with a newline", 'name = "a\\nb"\n', "name", rf"^'a\\nb' {FILE_NAME_RULE}"),
    experiment("name with a NUL", 'name = "a\\u0000b"\n', "name", rf"^'a\\x00b' {FILE_NAME_RULE}"),
    experiment("name with a tab", 'name = "a\\tb"\n', "name", rf"^'a\\tb' {FILE_NAME_RULE}"),
    experiment("name of 65 characters", f'name = "{"a" * 65}"\n', "name", FILE_NAME_RULE),
    experiment("name of 300 characters", f'name = "{"a" * 300}"\n', "name", FILE_NAME_RULE),
    experiment("name starting with a dot", 'name = ".x"\n', "name", FILE_NAME_RULE),
    experiment("name starting with a dash", 'name = "-x"\n', "name", FILE_NAME_RULE),
    experiment("name with accents", 'name = "\u00e9\u00e9n"\n', "name", FILE_NAME_RULE),
    experiment("name ending with a dot", 'name = "x."\n', "name", FILE_NAME_RULE),
    experiment("name of a device", 'name = "CON"\n', "name",
               r"^'CON' cannot be a file name: Windows reserves it for a device$"),
    experiment("name of a device with an extension", 'name = "nul.txt"\n', "name",
               r"Windows reserves it for a device$"),
    experiment("name a number", "name = 3\n", "name", r"^must be a string, got 3$"),
    experiment("name a boolean", "name = true\n", "name", r"^must be a string, got true$"),
    Case("no name and a file name with a space", ["run", "my exp.toml", "--out", "out"],
         "my exp.toml", "name", rf"^missing, and the file's name cannot stand in for it: 'my exp' {FILE_NAME_RULE}",
         {"my exp.toml": "replicates = 1\n"}),
    experiment("description a number", NAME + "description = 3\n", "description",
               r"^must be a string, got 3$"),
    experiment("description an array", NAME + 'description = ["a"]\n', "description",
               r"^must be a string, got \['a'\]$"),
    experiment("seed negative", NAME + "seed = -1\n", "seed", r"^must be a whole number of at least 0"),
    experiment("seed a float", NAME + "seed = 1.5\n", "seed", r"got 1.5$"),
    experiment("seed a boolean", NAME + "seed = true\n", "seed", r"got true$"),
    experiment("seed text", NAME + 'seed = "1"\n', "seed", r"got '1'$"),
    experiment("seed nan", NAME + "seed = nan\n", "seed", r"got nan$"),
    experiment("seed beyond 64 bits", NAME + "seed = 9223372036854775808\n", "seed",
               r"and at most 9,223,372,036,854,775,807, got 9223372036854775808$"),
    experiment("replicates zero", NAME + "replicates = 0\n", "replicates",
               r"^must be a whole number of at least 1, got 0$"),
    experiment("replicates a fraction", NAME + "replicates = 2.5\n", "replicates", r"got 2.5$"),
    experiment("replicates a boolean", NAME + "replicates = true\n", "replicates", r"got true$"),
    experiment("replicates inf", NAME + "replicates = inf\n", "replicates", r"got inf$"),
    whole_file("replicates a trillion", NAME + "replicates = 1000000000000\n", "replicates",
               r"^1 scenario x 1 sample x 1,000,000,000,000 replicates is 1,000,000,000,000 runs, "
               r"more than the limit of 100,000: lower it, or raise the limit with --max-runs$"),
    whole_file("replicates over the limit with scenarios",
               NAME + "replicates = 40000\n[scenarios.a]\n[scenarios.b]\n[scenarios.c]\n",
               "replicates",
               r"^3 scenarios x 1 sample x 40,000 replicates is 120,000 runs, more than the "
               r"limit of 100,000: lower it, or raise the limit with --max-runs$"),
    experiment("until before the start", NAME + "until = 2019-01-01\n", "until",
               r"^2019-01-01 must be at least a week after the programme start 2020-03-01 "
               r"\(from 2020-03-08\) and no later than 2046-02-18$"),
    experiment("until within the first week", NAME + "until = 2020-03-05\n", "until",
               r"^2020-03-05 must be at least a week after"),
    experiment("until beyond the horizon", NAME + "until = 2047-01-01\n", "until", r"no later than 2046-02-18$"),
    experiment("until text", NAME + 'until = "tomorrow"\n', "until",
               r"^'tomorrow' is not a date such as 2030-12-31$"),
    experiment("until a number", NAME + "until = 2030\n", "until", r"^2030 is not a date"),
    experiment("until a boolean", NAME + "until = true\n", "until", r"^true is not a date"),
    experiment("until a time of day", NAME + "until = 07:30:00\n", "until", r"is not a date"),
    experiment("outputs empty", NAME + "outputs = []\n", "outputs",
               r"^must name at least one outcome \(leave it out to keep them all\)$"),
    experiment("outputs twice", NAME + 'outputs = ["employed", "employed"]\n', "outputs",
               r"^names 'employed' twice$"),
    experiment("outputs unknown", NAME + 'outputs = ["employd"]\n', "outputs",
               r"^unknown outcome 'employd'; did you mean 'employed'\?"),
    experiment("outputs a string", NAME + 'outputs = "employed"\n', "outputs",
               r"^must be a list of outcome names, got 'employed'$"),
    experiment("outputs numbers", NAME + "outputs = [1]\n", "outputs", r"^must be a list of outcome names"),
    experiment("extends a missing file", NAME + 'extends = "nope.toml"\n', "extends", r"^nope.toml not found$"),
    Case("extends a folder", RUN, "x.toml", "extends", r"^sub is a folder, not a file$",
         {"x.toml": NAME + 'extends = "sub"\n', "sub/keep.txt": "x"}),
    experiment("extends itself", NAME + 'extends = "x.toml"\n', "extends",
               r"^extends a file that extends this one: a cycle \(x.toml -> x.toml\)$"),
    Case("extends a cycle", RUN, "b.toml", "extends",
         r"^extends a file that extends this one: a cycle \(x.toml -> b.toml -> x.toml\)$",
         {"x.toml": NAME + 'extends = "b.toml"\n', "b.toml": 'name = "b"\nextends = "x.toml"\n'}),
    experiment("extends a number", NAME + "extends = 3\n", "extends", r"^must be a string, got 3$"),
    experiment("extends nothing", NAME + 'extends = ""\n', "extends", r"^'' is not a file name$"),
    Case("a parent with a bad parameter", RUN, "b.toml", "params.covid_factor",
         r"less than or equal to 1 \(got 3\)$",
         {"x.toml": NAME + 'extends = "b.toml"\n', "b.toml": "[params]\ncovid_factor = 3\n"}),
    Case("a parent not UTF-8", RUN, "b.toml", None, r"^not UTF-8 text",
         {"x.toml": NAME + 'extends = "b.toml"\n', "b.toml": b"# caf\xe9\n"}),
    # --- parameters -----------------------------------------------------------------------
    experiment("params not a table", NAME + "params = 3\n", "params",
               r"^must be a table of parameters, got 3$"),
    experiment("parameter unknown with hint", NAME + "[params]\nreferals_per_coach_week = 2\n",
               "params.referals_per_coach_week", r"^unknown parameter; did you mean 'referrals_per_coach_week'\?"),
    experiment("parameter unknown without hint", NAME + "[params]\nqqq = 2\n", "params.qqq",
               r"^unknown parameter; allowed: the parameter names of sim/params.py"),
    experiment("parameter nan", NAME + "[params]\ncovid_factor = nan\n", "params.covid_factor", NOT_FINITE),
    experiment("parameter inf", NAME + "[params]\nhouseholds = inf\n", "params.households", NOT_FINITE),
    experiment("parameter -inf", NAME + "[params]\nstate_pension_age = -inf\n",
               "params.state_pension_age", NOT_FINITE),
    experiment("parameter true for a share", NAME + "[params]\ncovid_factor = true\n",
               "params.covid_factor", NOT_A_NUMBER),
    experiment("parameter true for a count", NAME + "[params]\ninitial_referrals = true\n",
               "params.initial_referrals", NOT_A_NUMBER),
    experiment("parameter false for a count", NAME + "[params]\nmatching_weeks = false\n",
               "params.matching_weeks", r"^must be a number, not true or false \(got false\)$"),
    experiment("parameter a number in quotes", NAME + '[params]\ncovid_factor = "0.5"\n',
               "params.covid_factor", r"^must be a number, not text in quotes \(got '0.5'\)$"),
    experiment("parameter above its range", NAME + "[params]\nshare_women = 1.2\n",
               "params.share_women", r"^Input should be less than or equal to 1 \(got 1.2\)$"),
    experiment("parameter below its range", NAME + "[params]\ncovid_factor = -0.5\n",
               "params.covid_factor", r"greater than or equal to 0 \(got -0.5\)$"),
    experiment("count with a fraction", NAME + "[params]\nhouseholds = 1500.5\n",
               "params.households", r"fractional part \(got 1500.5\)$"),
    experiment("count beyond 64 bits", NAME + "[params]\nhouseholds = 99999999999999999999999\n",
               "params.households", r"less than or equal to 1000000"),
    experiment("a number for a date", NAME + "[params]\ncovid_start = 5\n", "params.covid_start",
               r"^must be a date such as 2023-10-01, not a number \(got 5\)$"),
    experiment("text for a date", NAME + '[params]\ncovid_start = "March"\n', "params.covid_start",
               r"valid date .*\(got 'March'\)$"),
    experiment("a number for a flag", NAME + "[params]\nintake_coaches_follow_ceiling = 1\n",
               "params.intake_coaches_follow_ceiling", r"^must be true or false, not a number \(got 1\)$"),
    experiment("text for a flag", NAME + '[params]\nintake_coaches_follow_ceiling = "yes"\n',
               "params.intake_coaches_follow_ceiling", r"^must be true or false, not text in quotes"),
    experiment("budget inf", NAME + "[params]\nbudget_net_eur_per_year = inf\n",
               "params.budget_net_eur_per_year", NOT_FINITE),
    experiment("budget negative", NAME + "[params]\nbudget_net_eur_per_year = -1\n",
               "params.budget_net_eur_per_year", r"greater than or equal to 0"),
    experiment("covid end before start", NAME + "[params]\ncovid_end = 2019-01-01\n",
               "params.covid_end", r"^covid_end \(2019-01-01\) is before covid_start \(2020-03-15\)$"),
    experiment("task hours crossed", NAME + "[params]\ntask_hours_min = 20\ntask_hours_max = 12\n",
               "params.task_hours_max", r"^task_hours_max \(12\) is below task_hours_min \(20\)$"),
    experiment("additional work below the smallest task", NAME + "[params]\nadditional_work_hours = 4\n",
               "params.additional_work_hours",
               r"^additional_work_hours \(4\) is less than the smallest task \(task_hours_min = 8\)"),
    # --- year schedules and lump sums -----------------------------------------------------
    experiment("schedule nan in a year", NAME + "[params]\nceiling_growth_per_year = { 2022 = nan }\n",
               "params.ceiling_growth_per_year.2022", NOT_FINITE),
    experiment("schedule inf in a year", NAME + "[params]\ntask_acquisition_per_week = { 2022 = inf }\n",
               "params.task_acquisition_per_week.2022", NOT_FINITE),
    experiment("schedule nan plain", NAME + "[params]\nintake_coaches = nan\n",
               "params.intake_coaches", r"^must be a finite number or a table \{year = value\} \(got nan\)$"),
    experiment("schedule inf plain", NAME + "[params]\ncontributions_per_job_year = inf\n",
               "params.contributions_per_job_year", r"must be a finite number or a table"),
    experiment("schedule true plain", NAME + "[params]\nintake_coaches = true\n",
               "params.intake_coaches", r"^expected a number or a table \{year = value\}, not true or false \(got true\)$"),
    experiment("schedule true in a year", NAME + "[params]\nintake_coaches = { 2020 = true }\n",
               "params.intake_coaches.2020", NOT_A_NUMBER),
    experiment("schedule text in a year", NAME + '[params]\nintake_coaches = { 2020 = "2" }\n',
               "params.intake_coaches.2020", r"not text in quotes \(got '2'\)$"),
    experiment("schedule year not a year", NAME + "[params]\nintake_coaches = { twenty = 2 }\n",
               "params.intake_coaches", r"year 'twenty' is not a whole year such as 2024"),
    experiment("schedule year too early", NAME + "[params]\nintake_coaches = { 1999 = 2 }\n",
               "params.intake_coaches", r"year 1999 is outside 2020\.\.2100"),
    experiment("schedule negative", NAME + "[params]\nceiling_growth_per_year = { 2022 = -50 }\n",
               "params.ceiling_growth_per_year", r"value -50 for 2022 must be at least 0"),
    experiment("schedule too large", NAME + "[params]\nceiling_growth_per_year = 1e9\n",
               "params.ceiling_growth_per_year", r"at most 100000"),
    experiment("schedule empty", NAME + "[params]\nintake_coaches = {}\n", "params.intake_coaches",
               r"non-empty table"),
    experiment("schedule text", NAME + '[params]\nintake_coaches = "two"\n', "params.intake_coaches",
               r"expected a number or a non-empty table"),
    experiment("subsidy inf", NAME + "[params]\nsubsidies = { 2023-10-01 = inf }\n",
               "params.subsidies.2023-10-01", NOT_FINITE),
    experiment("subsidy nan", NAME + "[params]\nsubsidies = { 2023-10-01 = nan }\n",
               "params.subsidies.2023-10-01", NOT_FINITE),
    experiment("subsidy true", NAME + "[params]\nsubsidies = { 2023-10-01 = true }\n",
               "params.subsidies.2023-10-01", NOT_A_NUMBER),
    experiment("subsidy negative", NAME + "[params]\nsubsidies = { 2023-10-01 = -5 }\n",
               "params.subsidies", r"amount for 2023-10-01 must be a finite number of euros >= 0, got -5"),
    experiment("subsidy date not a date", NAME + "[params]\nsubsidies = { autumn = 5 }\n",
               "params.subsidies", r"'autumn' is not a date such as 2023-10-01"),
    experiment("subsidies not a table", NAME + "[params]\nsubsidies = 5\n", "params.subsidies",
               r"expected a table \{date = amount\}"),
    experiment("area weight true", NAME + '[[params.areas]]\nname = "A"\nweight = true\n',
               "params.areas.0.weight", NOT_A_NUMBER),
    experiment("area weight nan", NAME + '[[params.areas]]\nname = "A"\nweight = nan\n',
               "params.areas.0.weight", NOT_FINITE),
    experiment("area near unknown", NAME + '[[params.areas]]\nname = "A"\nweight = 1\nnear = ["Bb"]\n'
               '[[params.areas]]\nname = "B"\nweight = 1\nnear = ["A"]\n',
               "params.areas", r"area 'A' is near 'Bb', which is not an area; allowed: A, B"),
    # --- scenarios --------------------------------------------------------------------------
    experiment("scenarios not a table", NAME + "scenarios = 3\n", "scenarios",
               r"^must be a non-empty table of \[scenarios.NAME\]$"),
    experiment("scenarios empty", NAME + "scenarios = {}\n", "scenarios",
               r"^must be a non-empty table of \[scenarios.NAME\]$"),
    experiment("scenario not a table", NAME + "[scenarios]\na = 3\n", "scenarios.a",
               r"^must be a table of parameter overrides, got 3$"),
    experiment("scenario name empty", NAME + '[scenarios.""]\n', "scenarios", rf"^'' {FILE_NAME_RULE}"),
    experiment("scenario name with __", NAME + "[scenarios.a__b]\n", "scenarios.a__b",
               rf"^'a__b' {FILE_NAME_RULE}.*, without '__'$"),
    experiment("scenario name with a newline", NAME + '[scenarios."a\\nb"]\n', "scenarios.a\\nb",
               rf"^'a\\nb' {FILE_NAME_RULE}"),
    experiment("scenario name with a NUL", NAME + '[scenarios."a\\u0000b"]\n', "scenarios.a\\x00b",
               rf"^'a\\x00b' {FILE_NAME_RULE}"),
    experiment("scenario name of 300 characters", NAME + f'[scenarios.{"s" * 300}]\n',
               f"scenarios.{'s' * 300}", FILE_NAME_RULE),
    experiment("scenario name with a space", NAME + '[scenarios."a b"]\n', "scenarios.a b", FILE_NAME_RULE),
    experiment("scenario names differing in case", NAME + "[scenarios.Fast]\n[scenarios.fast]\n",
               "scenarios.fast",
               r"^differs from scenario 'Fast' only in upper and lower case: their files would "
               r"be the same on macOS and Windows$"),
    experiment("scenario of a device", NAME + "[scenarios.aux]\n", "scenarios.aux",
               r"Windows reserves it for a device$"),
    experiment("scenario description a number", NAME + "[scenarios.a]\ndescription = 3\n",
               "scenarios.a.description", r"^must be a string, got 3$"),
    experiment("scenario description a boolean", NAME + "[scenarios.a]\ndescription = true\n",
               "scenarios.a.description", r"^must be a string, got true$"),
    experiment("scenario key with hint", NAME + "[scenarios.a]\ndescriptoin = 'x'\n",
               "scenarios.a.descriptoin",
               r"^unknown key; did you mean 'description'\? allowed: description, or a parameter name"),
    experiment("scenario key without hint", NAME + "[scenarios.a]\nzzqq = 3\n", "scenarios.a.zzqq",
               r"^unknown key; allowed: description, or a parameter name of sim/params.py"),
    experiment("scenario parameter nan", NAME + "[scenarios.a]\ncovid_factor = nan\n",
               "scenarios.a.covid_factor", NOT_FINITE),
    experiment("scenario parameter true", NAME + "[scenarios.a]\ncovid_factor = true\n",
               "scenarios.a.covid_factor", NOT_A_NUMBER),
    experiment("scenario schedule nan", NAME + "[scenarios.a]\nintake_coaches = { 2025 = nan }\n",
               "scenarios.a.intake_coaches.2025", NOT_FINITE),
    experiment("scenario out of range", NAME + "[scenarios.faster]\ncovid_factor = 1.5\n",
               "scenarios.faster.covid_factor", r"^Input should be less than or equal to 1 \(got 1.5\)$"),
    # --- sweeps -------------------------------------------------------------------------------
    experiment("sweep not a table", NAME + "sweep = 3\n", "sweep", r"^must be a table, got 3$"),
    experiment("sweep key unknown", NAME + "[sweep]\nsampels = 4\n", "sweep.sampels",
               r"^unknown key; did you mean 'samples'\?"),
    experiment("sweep method unknown", NAME + "[sweep]\nmethod = 'random'\n", "sweep.method",
               r"^unknown sweep method 'random'; allowed: grid, lhs, sobol$"),
    experiment("sweep method a number", NAME + "[sweep]\nmethod = 3\n", "sweep.method",
               r"^unknown sweep method 3"),
    experiment("sweep without parameters", NAME + "[sweep]\nsamples = 4\n", "sweep.parameters",
               r"^must be a non-empty table name = \[values\]$"),
    experiment("sweep parameters empty", NAME + "[sweep]\nsamples = 4\nparameters = {}\n",
               "sweep.parameters", r"non-empty table"),
    experiment("sweep parameter unknown", NAME + "[sweep]\nsamples = 4\n[sweep.parameters]\ncovid = [0, 1]\n",
               "sweep.parameters.covid", r"^unknown parameter; did you mean"),
    experiment("sweep range not a list", NAME + "[sweep]\nsamples = 4\n[sweep.parameters]\ncovid_factor = 0.5\n",
               "sweep.parameters.covid_factor", r"^must be \[low, high\] of finite numbers, got 0.5$"),
    experiment("sweep range with text", NAME + "[sweep]\nsamples = 4\n[sweep.parameters]\ncovid_factor = [0.1, 'x']\n",
               "sweep.parameters.covid_factor", r"of finite numbers, got \[0.1, 'x'\]$"),
    experiment("sweep range with nan", NAME + "[sweep]\nsamples = 4\n[sweep.parameters]\ncovid_factor = [nan, 0.5]\n",
               "sweep.parameters.covid_factor", r"of finite numbers, got \[nan, 0.5\]$"),
    experiment("sweep range with inf", NAME + "[sweep]\nsamples = 4\n[sweep.parameters]\ncovid_factor = [0.1, inf]\n",
               "sweep.parameters.covid_factor", r"of finite numbers, got \[0.1, inf\]$"),
    experiment("sweep range with a boolean", NAME + "[sweep]\nsamples = 4\n[sweep.parameters]\ncovid_factor = [false, true]\n",
               "sweep.parameters.covid_factor", r"of finite numbers, got \[False, True\]$"),
    experiment("sweep range reversed", NAME + "[sweep]\nsamples = 4\n[sweep.parameters]\ncovid_factor = [0.8, 0.4]\n",
               "sweep.parameters.covid_factor", r"^must be \[low, high\] with low < high, got \[0.8, 0.4\]$"),
    experiment("sweep range empty width", NAME + "[sweep]\nsamples = 4\n[sweep.parameters]\ncovid_factor = [0.5, 0.5]\n",
               "sweep.parameters.covid_factor", r"with low < high, got \[0.5, 0.5\]$"),
    experiment("sweep range of three", NAME + "[sweep]\nsamples = 4\n[sweep.parameters]\ncovid_factor = [0.1, 0.2, 0.3]\n",
               "sweep.parameters.covid_factor", r"with low < high"),
    experiment("sweep bound beyond the registry", NAME + "[sweep]\nsamples = 4\n[sweep.parameters]\ncovid_factor = [0.5, 1.5]\n",
               "sweep.parameters.covid_factor", r"^Input should be less than or equal to 1 \(got 1.5\)$"),
    experiment("sweep low bound below the registry", NAME + "[sweep]\nsamples = 4\n[sweep.parameters]\ncovid_factor = [-0.5, 0.5]\n",
               "sweep.parameters.covid_factor", r"greater than or equal to 0 \(got -0.5\)$"),
    experiment("sweep bound clashing with a default",
               NAME + "[sweep]\nmethod = 'grid'\n[sweep.parameters]\ntask_hours_min = [8, 20]\n",
               "sweep.parameters.task_hours_min",
               r"^task_hours_max \(16\) is below task_hours_min \(20\) \(with the sweep's task_hours_min = 20\)$"),
    experiment("sweep of a date", NAME + "[sweep]\nsamples = 4\n[sweep.parameters]\ncovid_start = [1, 5]\n",
               "sweep.parameters.covid_start", r"^must be a date such as 2023-10-01, not a number \(got 1\)$"),
    experiment("sweep of a flag", NAME + "[sweep]\nmethod = 'grid'\n[sweep.parameters]\nintake_coaches_follow_ceiling = [0, 1]\n",
               "sweep.parameters.intake_coaches_follow_ceiling", r"^must be true or false, not a number"),
    experiment("grid without values", NAME + "[sweep]\nmethod = 'grid'\n[sweep.parameters]\ncovid_factor = []\n",
               "sweep.parameters.covid_factor", r"^needs at least one value$"),
    experiment("grid with a sample count", NAME + "[sweep]\nmethod = 'grid'\nsamples = 4\n[sweep.parameters]\ncovid_factor = [0.5]\n",
               "sweep.samples", r"^a grid takes no sample count$"),
    experiment("samples missing", NAME + "[sweep]\n[sweep.parameters]\ncovid_factor = [0.1, 0.5]\n",
               "sweep.samples", r"^must be a whole number of at least 1, got None$"),
    experiment("samples zero", NAME + "[sweep]\nsamples = 0\n[sweep.parameters]\ncovid_factor = [0.1, 0.5]\n",
               "sweep.samples", r"got 0$"),
    experiment("samples a fraction", NAME + "[sweep]\nsamples = 2.5\n[sweep.parameters]\ncovid_factor = [0.1, 0.5]\n",
               "sweep.samples", r"got 2.5$"),
    experiment("samples a boolean", NAME + "[sweep]\nsamples = true\n[sweep.parameters]\ncovid_factor = [0.1, 0.5]\n",
               "sweep.samples", r"got true$"),
    experiment("samples a billion", NAME + "[sweep]\nsamples = 1000000000\n[sweep.parameters]\ncovid_factor = [0.1, 0.5]\n",
               "sweep.samples", rf"^1,000,000,000 {LIMIT}$"),
    experiment("grid that explodes",
               NAME + "[sweep]\nmethod = 'grid'\n[sweep.parameters]\n"
               + "".join(f"{name} = [{', '.join(['0.5'] * 20)}]\n"
                         for name in ("covid_factor", "share_women", "share_debts", "keep_volunteering",
                                      "cannot_take_step", "exit_quit", "share_volunteering")),
               "sweep.parameters",
               r"^a grid of 20 x 20 x 20 x 20 x 20 x 20 x 20 values is 1,280,000,000 runs, more than "
               r"the limit of 100,000: lower it, or raise the limit with --max-runs$"),
    experiment("sweep and scenarios over the limit",
               NAME + "replicates = 1\n[scenarios.a]\n[scenarios.b]\n[sweep]\nsamples = 60000\n"
               "[sweep.parameters]\ncovid_factor = [0.1, 0.5]\n",
               "sweep.samples", r"^2 scenarios x 60,000 samples x 1 replicate is 120,000 runs"),
    experiment("sweep sample clashing with a scenario",
               NAME + "[params]\npart_time_start_hours = 32\n[scenarios.b]\ntask_hours_max = 12\n"
               "[sweep]\nmethod = 'grid'\n[sweep.parameters]\ntask_hours_min = [8, 16]\n",
               "scenarios.b.task_hours_max",
               r"^task_hours_max \(12\) is below task_hours_min \(16\) \(a sweep sample in scenario 'b'\)$"),
    # --- command-line options ----------------------------------------------------------------
    option("replications not a number", ["--replications", "abc"], "--replications",
           r"^invalid int value: 'abc' \(see basisbaan run --help\)$"),
    option("replications zero", ["--replications", "0"], "--replications",
           r"^must be a whole number of at least 1, got 0$"),
    option("replications negative", ["--replications=-3"], "--replications", r"got -3$"),
    option("replications a trillion", ["--replications", "1000000000000"], "--replications",
           r"^1 scenario x 1 sample x 1,000,000,000,000 replicates is 1,000,000,000,000 runs"),
    option("replications over a lowered limit", ["--replications", "20", "--max-runs", "10"],
           "--replications", r"^1 scenario x 1 sample x 20 replicates is 20 runs, more than the limit of 10:"),
    option("replications over the limit with scenarios", ["--replications", "40000"],
           "--replications", r"^3 scenarios x 1 sample x 40,000 replicates is 120,000 runs",
           NAME + "[scenarios.a]\n[scenarios.b]\n[scenarios.c]\n"),
    option("max-runs zero", ["--max-runs", "0"], "--max-runs", r"got 0$"),
    option("max-runs not a number", ["--max-runs", "many"], "--max-runs", r"^invalid int value"),
    option("seed option negative", ["--seed=-1"], "--seed", r"^must be a whole number of at least 0"),
    option("seed option beyond 64 bits", ["--seed", str(2**64)], "--seed", r"got 18446744073709551616$"),
    option("seed not a number", ["--seed", "x"], "--seed", r"^invalid int value: 'x'"),
    option("until option before the start", ["--until", "2019-05-01"], "--until",
           r"^2019-05-01 must be at least a week after the programme start"),
    option("until option within the first week", ["--until", "2020-03-02"], "--until", r"at least a week"),
    option("until not a date", ["--until", "soon"], "--until", r"^'soon' is not a date such as 2030-12-31$"),
    option("until an impossible date", ["--until", "2021-02-30"], "--until", r"is not a date"),
    option("workers zero", ["--workers", "0"], "--workers", r"^must be a whole number of at least 1 and at most 1,024, got 0$"),
    option("workers too many", ["--workers", "100000"], "--workers", r"at most 1,024, got 100000$"),
    option("workers not a number", ["--workers", "all"], "--workers", r"^invalid int value: 'all'"),
    option("scheduler without a port", ["--scheduler", "foo"], "--scheduler",
           r"^'foo' is not a scheduler address: give tcp://HOST:PORT"),
    option("scheduler port zero", ["--scheduler", "tcp://localhost:0"], "--scheduler", r"not a scheduler address"),
    option("scheduler port too large", ["--scheduler", "tcp://localhost:99999"], "--scheduler", r"not a scheduler address"),
    option("scheduler http", ["--scheduler", "http://localhost:8786"], "--scheduler", r"not a scheduler address"),
    option("scheduler empty", ["--scheduler", ""], "--scheduler", r"^'' is not a scheduler address"),
    option("scheduler with a space", ["--scheduler", "tcp://a b:1"], "--scheduler", r"not a scheduler address"),
    option("unknown option", ["--replicates", "3"], "unrecognized arguments",
           r"^--replicates 3 \(see basisbaan --help\)$"),
    Case("no command", [], "the following arguments are required", None, r"^COMMAND \(see basisbaan --help\)$"),
    Case("unknown command", ["rn"], "COMMAND", None, r"^invalid choice: 'rn'"),
    # --- output locations ---------------------------------------------------------------
    Case("out is a file", ["run", "x.toml", "--out", "x.toml"], "x.toml", None,
         r"^is a file, not a folder$", {"x.toml": NAME}),
    Case("out under a file", ["run", "x.toml", "--out", "x.toml/sub"], "x.toml/sub", None,
         r"^cannot be created: x.toml is a file, not a folder$", {"x.toml": NAME}),
    Case("out is /dev/null", ["run", "x.toml", "--out", "/dev/null"], "/dev/null", None,
         r"^is a device, not a folder$", {"x.toml": NAME}),
    Case("out under /dev/null", ["run", "x.toml", "--out", "/dev/null/x"], "/dev/null/x", None,
         r"^cannot be created: /dev/null is a device, not a folder$", {"x.toml": NAME}),
    Case("out name too long", ["run", "x.toml", "--out", "o" * 300], "o" * 300, None,
         r"^has a name longer than 255 bytes \('oooooooooooooooooooo...'\)", {"x.toml": NAME}),
    Case("out path too long", ["run", "x.toml", "--out", "/".join(["o" * 200] * 25)],
         "/".join(["o" * 200] * 25), None, r"^is longer than 4095 bytes", {"x.toml": NAME}),
    Case("out a broken link", ["run", "x.toml", "--out", "link/sub"], "link/sub", None,
         r"^cannot be created: link is a broken link, not a folder$", {"x.toml": NAME, "@link": "nowhere"}),
    Case("out a folder of something else", ["run", "x.toml", "--out", "other"], "other", None,
         r"^is not empty and holds no manifest.json", {"x.toml": NAME, "other/notes.txt": "mine"}),
    Case("default results folder is a file", ["run", "x.toml"], "results/x", None,
         r"^is a file, not a folder$", {"x.toml": NAME, "results/x": "a file"}),
    # --- forecasts and posterior files -----------------------------------------------------
    forecast("posterior not Parquet", ["--posterior", "post.parquet"], "post.parquet", None,
             r"^not a Parquet file \(", {"post.parquet": "name = 'x'\n"}),
    forecast("posterior empty file", ["--posterior", "post.parquet"], "post.parquet", None,
             r"^not a Parquet file", {"post.parquet": b""}),
    forecast("posterior a device", ["--posterior", "/dev/zero"], "/dev/zero", None,
             r"^is larger than 100,000,000 bytes: not a posterior file$"),
    forecast("posterior missing", ["--posterior", "nope.parquet"], "nope.parquet", None,
             r"^no posterior here; run `basisbaan calibrate` to make one$"),
    forecast("posterior a folder", ["--posterior", "sub"], "sub", None, r"^is a directory, not a file$",
             {"sub/keep.txt": "x"}),
    forecast("posterior without weights", ["--posterior", "post.parquet"], "post.parquet", None,
             r"^has no 'weight' column$", {"post.parquet": posterior_bytes(GOOD_POSTERIOR.drop(columns="weight"))}),
    forecast("posterior weights nan", ["--posterior", "post.parquet"], "post.parquet", "weight",
             r"^weights must be finite, >= 0 and not all 0$",
             {"post.parquet": posterior_bytes(GOOD_POSTERIOR.assign(weight=[np.nan, 1.0]))}),
    forecast("posterior weights all zero", ["--posterior", "post.parquet"], "post.parquet", "weight",
             r"^weights must be finite", {"post.parquet": posterior_bytes(GOOD_POSTERIOR.assign(weight=0.0))}),
    forecast("posterior weights text", ["--posterior", "post.parquet"], "post.parquet", "weight",
             r"^weights must be numbers$", {"post.parquet": posterior_bytes(GOOD_POSTERIOR.assign(weight=["a", "b"]))}),
    forecast("posterior value nan", ["--posterior", "post.parquet"], "post.parquet", "row 1.covid_factor",
             NOT_FINITE, {"post.parquet": posterior_bytes(GOOD_POSTERIOR.assign(covid_factor=[0.5, np.nan]))}),
    forecast("posterior value out of range", ["--posterior", "post.parquet"], "post.parquet",
             "row 0.covid_factor", r"less than or equal to 1 \(got 7.0\)$",
             {"post.parquet": posterior_bytes(GOOD_POSTERIOR.assign(covid_factor=[7.0, 0.5]))}),
    forecast("posterior unknown parameter", ["--posterior", "post.parquet"], "post.parquet", "covid",
             r"^unknown parameter; did you mean 'covid_end'\?",
             {"post.parquet": posterior_bytes(GOOD_POSTERIOR.rename(columns={"covid_factor": "covid"}))}),
    forecast("draws zero", ["--draws", "0"], "--draws", None, r"^must be a whole number of at least 1, got 0$"),
    forecast("draws a billion", ["--draws", "1000000000"], "--draws", None,
             r"^1,000,000,000 is more than 20,000 \(raise the limit with --max-runs\)$"),
    forecast("policy missing", ["--policy", "nope.toml"], "nope.toml", None, r"^file not found$"),
    forecast("policy with a bad parameter", ["--policy", "x.toml"], "x.toml", "params.covid_factor",
             NOT_FINITE, {"x.toml": NAME + "[params]\ncovid_factor = nan\n"}),
    forecast("forecast until before the start", ["--until", "2019-01-01"], "--until", None,
             r"at least a week after the programme start"),
    forecast("forecast out is a file", ["--out", "x.toml"], "x.toml", None, r"^is a file, not a folder$",
             {"x.toml": NAME}),
    # --- calibration settings and targets -------------------------------------------------
    calibration("calibration key unknown", "seed = 1", "sed = 1", "sed",
                r"^unknown key; did you mean 'seed'\?"),
    calibration("calibration name with a space", 'name = "c"', 'name = "c d"', "name",
                rf"^'c d' {FILE_NAME_RULE}.* \(got 'c d'\)$"),
    calibration("calibration name of 300 characters", 'name = "c"', f'name = "{"c" * 300}"', "name",
                FILE_NAME_RULE),
    calibration("calibration name a dot", 'name = "c"', 'name = ".."', "name", FILE_NAME_RULE),
    calibration("calibration seed true", "seed = 1", "seed = true", "seed", NOT_A_NUMBER),
    calibration("calibration seed nan", "seed = 1", "seed = nan", "seed", r"valid integer|finite"),
    calibration("calibration seed negative", "seed = 1", "seed = -1", "seed", r"greater than or equal to 0"),
    calibration("calibration targets missing", 'targets = "targets.toml"', 'targets = "nope.toml"',
                "targets", r"^nope.toml not found$"),
    calibration("calibration targets empty", 'targets = "targets.toml"', 'targets = ""', "targets",
                r"at least 1 character"),
    calibration("population true", "population_size = 50", "population_size = true",
                "abc.population_size", NOT_A_NUMBER),
    calibration("population a fraction", "population_size = 50", "population_size = 50.5",
                "abc.population_size", r"fractional part"),
    calibration("population too small", "population_size = 50", "population_size = 5",
                "abc.population_size", r"greater than or equal to 10 \(got 5\)$"),
    calibration("walltime inf", "max_generations = 2", "max_generations = 2\nmax_walltime_minutes = inf",
                "abc.max_walltime_minutes", NOT_FINITE),
    calibration("epsilon nan", "max_generations = 2", "max_generations = 2\nminimum_epsilon = nan",
                "abc.minimum_epsilon", NOT_FINITE),
    calibration("abc workers zero", "max_generations = 2", "max_generations = 2\nworkers = 0",
                "abc.workers", r"greater than or equal to 1"),
    calibration("prior low nan", "low = 0.2", "low = nan", "priors.covid_factor.low", NOT_FINITE),
    calibration("prior low true", "low = 0.2", "low = true", "priors.covid_factor.low",
                r"^must be a number, not true or false"),
    calibration("prior high beyond the registry", "high = 1.0", "high = 3.0", "priors.covid_factor.high",
                r"^3.0 is outside the registry's allowed range 0\.\.1"),
    calibration("prior reversed", "low = 0.2\nhigh = 1.0", "low = 0.9\nhigh = 0.1", "priors.covid_factor",
                r"^low \(0.9\) must be below high \(0.1\)$"),
    calibration("prior unknown parameter", "[priors.covid_factor]", "[priors.covid_factr]",
                "priors.covid_factr", r"^unknown parameter; did you mean 'covid_factor'\?"),
    calibration("distance unknown", 'kind = "sum_of_squares"', 'kind = "euclid"', "distance.kind",
                r"Input should be 'sum_of_squares' \(got 'euclid'\)$"),
    calibration("fixed nan", "[distance]", "[fixed]\nshare_women = nan\n[distance]", "fixed.share_women",
                NOT_FINITE),
    targets("target value nan", "value = 47", "value = nan", "target[employed_2022].value", NOT_FINITE),
    targets("target value inf", "value = 47", "value = inf", "target[employed_2022].value", NOT_FINITE),
    targets("target value true", "value = 47", "value = true", "target[employed_2022].value", NOT_A_NUMBER),
    targets("target scale nan", "scale = 7.9", "scale = nan", "target[employed_2022].scale", NOT_FINITE),
    targets("target scale zero", "scale = 7.9", "scale = 0", "target[employed_2022].scale",
            r"greater than 0 \(got 0\)$"),
    targets("target column unknown", 'column = "employed"', 'column = "employd"', "target[employed_2022].column",
            r"unknown outcome column 'employd'; did you mean 'employed'\?"),
    targets("target date after March 2023", "date = 2022-01-01", "date = 2024-01-01",
            "target[employed_2022].date", r"no later than 2023-03-31"),
    targets("target key unknown", "value = 47", "valeu = 47", "target[employed_2022].valeu",
            r"^unknown key; did you mean 'value'\?"),
    targets("targets none", GOOD_TARGETS, "", "target", r"^needs at least one \[\[target\]\]$"),
    targets("not_used a number", "use = \"fit\"\n", "use = \"fit\"\n[meta]\n", "meta",
            r"^unknown key; allowed: target, not_used$"),
    # --- reports and bench ------------------------------------------------------------------
    Case("report of a missing folder", ["report", "nope"], "nope", None, r"^does not exist; give a directory"),
    Case("report of a file", ["report", "x.toml"], "x.toml", None, r"^is a file, not a results directory",
         {"x.toml": NAME}),
    Case("report of an empty folder", ["report", "empty"], "empty", None, r"^is empty: no results",
         {"empty/": ""}),
    Case("report of a foreign folder", ["report", "other"], "other", None,
         r"^is not a results directory \(it has no manifest.json\)", {"other/notes.txt": "x"}),
    Case("report with a broken manifest", ["report", "other"], "other", None,
         r"^manifest.json cannot be read", {"other/manifest.json": "{not json"}),
    Case("report language unknown", ["report", "other", "--lang", "fr"], "--lang", None,
         r"^invalid choice: 'fr'"),
    Case("report out a folder", ["report", "other", "--out", "sub"], "sub", None,
         r"^is a folder: give a file name$", {"sub/keep.txt": "x"}),
    Case("report out under a file", ["report", "other", "--out", "x.toml/r.html"], "x.toml/r.html",
         None, r"^cannot be created: x.toml is a file, not a folder$", {"x.toml": NAME}),
    Case("bench repeats zero", ["bench", "--repeats", "0"], "--repeats", None, r"got 0$"),
    Case("bench anchors missing", ["bench", "--anchors", "nope", "--repeats", "1"], "nope", None,
         r"^holds no numpy_bound.py: give the folder of the speed anchors"),
]  # fmt: skip


def _write_files(folder: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        if name.startswith("@"):  # a symbolic link to content
            (folder / name[1:]).symlink_to(str(content))
            continue
        path = folder / name
        if name.endswith("/"):  # an empty folder
            path.mkdir(parents=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under ``folder``, with its size and modification time."""
    found = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        found[str(path.relative_to(folder))] = (info.st_size, info.st_mtime_ns)
    return found


def test_the_corpus_is_large_and_its_cases_distinct():
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids)), "two cases share an id"
    assert len(CASES) >= 200


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_bad_input_exits_2_with_one_line_naming_file_and_key_and_writes_nothing(
    case, tmp_path, monkeypatch, capsys
):
    _write_files(tmp_path, case.files)
    monkeypatch.chdir(tmp_path)
    before = _snapshot(tmp_path)
    code = main(case.argv)
    out, err = capsys.readouterr()
    assert code == 2, err
    assert out == ""
    assert err.endswith("\n"), err
    assert err.count("\n") == 1, err
    key = f"key '{case.key}': " if case.key else ""
    prefix = f"basisbaan: {case.source}: {key}"
    assert err.startswith(prefix), f"{err!r} does not start with {prefix!r}"
    rest = err[len(prefix) :].rstrip("\n")
    assert re.search(case.message, rest), f"{rest!r} does not match {case.message!r}"
    assert _snapshot(tmp_path) == before, "something was written"
