"""docs/ODD.md against the parameter registry and the outcomes (sim.odd)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import sim.odd as odd
from sim.outcomes import OUTCOMES
from sim.params import SECTIONS, Params, registry

REGENERATE = "run `python -m sim.odd` to regenerate the parameter table of docs/ODD.md"

# A source must say where the figure comes from: FACTS.md (or a document in
# shared/sources), an assumption, a policy lever or the project issue that decided it,
# followed by what it says or why. A bare label ("assumption") is not a source.
SOURCE_RULE = re.compile(
    r"^(?P<kind>FACTS\.md(?: \([^)]*\))?|sources/\S+|assumption|policy lever|issue)"
    r"[\s:;,]*(?P<why>.*)$"
)
# Registry entries known to give no reasoning. Remove a name here once sim/params.py
# gives its reason; a test below fails as soon as it does, so this list cannot go stale.


@pytest.fixture(scope="module")
def odd_text() -> str:
    return odd.ODD_PATH.read_text(encoding="utf-8")


def _section(text: str, heading: str) -> str:
    """The text under a Markdown heading, up to the next heading of the same or a higher level."""
    match = re.search(rf"^(#+) {re.escape(heading)}\s*$", text, re.MULTILINE)
    assert match, f"docs/ODD.md has no heading '{heading}'"
    level = len(match[1])
    end = re.compile(rf"^#{{1,{level}}} ", re.MULTILINE).search(text, match.end())
    return text[match.end() : end.start() if end else len(text)]


# --- the generated table ---------------------------------------------------------------


def test_parameter_table_in_odd_is_up_to_date(odd_text):
    assert odd.table_in(odd_text) == odd.parameter_table(), REGENERATE


def test_a_changed_default_makes_the_table_stale(odd_text, monkeypatch):
    rows = registry()
    rows[0] = {**rows[0], "default": 12_345}
    monkeypatch.setattr(odd, "registry", lambda: rows)
    assert odd.table_in(odd_text) != odd.parameter_table()


def test_table_has_one_row_per_parameter_in_registry_order():
    table = odd.parameter_table()
    names = re.findall(r"^\| `(\w+)` \|", table, re.MULTILINE)
    assert names == Params.names()


def test_rows_have_one_cell_per_column():
    for line in odd.parameter_table().splitlines():
        if line.startswith("| `"):
            cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
            assert len(cells) == len(odd.COLUMNS), line


def test_parameters_are_grouped_by_the_sections_of_the_registry():
    groups = odd.sections()
    titles = [title for title, _ in groups]
    assert [name for _, names in groups for name in names] == Params.names()
    # Every section once, in the registry's order: its entries sit together.
    assert titles == list(SECTIONS), "a section's entries are split in sim/params.py"
    assert titles[0].startswith("Population")
    assert "wage_cost_per_year" in dict(groups)["Costs"]
    assert "households" in dict(groups)[titles[0]]
    for title in titles:
        assert f"### {title}\n" in odd.parameter_table()


def test_sections_follow_the_registry_not_the_comments(monkeypatch):
    rows = registry()
    rows[0] = {**rows[0], "section": "Elsewhere"}
    monkeypatch.setattr(odd, "registry", lambda: rows)
    assert odd.sections()[0] == ("Elsewhere", [rows[0]["name"]])
    assert "### Elsewhere\n" in odd.parameter_table()


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ({2020: 2.0}, "2020: 2"),
        ({2020: 3.0, 2023: 4.0}, "2020: 3, 2023: 4"),
        ({dt.date(2023, 10, 1): 200_000.0}, "2023-10-01: 200,000"),
        (dt.date(2022, 11, 1), "2022-11-01"),
        (1 / 3, "0.3333"),
        (0.099, "0.099"),
        (27_387, "27,387"),
        (32.0, "32"),
        (None, "none"),
        (True, "true"),
    ],
)
def test_defaults_are_formatted_readably(value, text):
    assert odd.format_default(value) == text


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("share_women", "0 to 1"),
        ("full_time_hours", "above 0, up to 40"),
        ("budget_net_eur_per_year", "at least 0 or none"),
        ("intake_coaches", "{year: value}, each value 0 to 1,000"),
        ("covid_start", "a date"),
        ("intake_coaches_follow_ceiling", "true or false"),
    ],
)
def test_allowed_values_follow_the_field_constraints(name, text):
    assert odd.allowed(name) == text


def test_every_parameter_has_allowed_values():
    assert [name for name in Params.names() if not odd.allowed(name)] == []


# --- updating the document -------------------------------------------------------------


def test_update_odd_rewrites_only_between_the_markers(tmp_path: Path):
    path = tmp_path / "ODD.md"
    before, after = "# Title\n\nprose\n\n", "\n\nmore prose\n"
    path.write_text(f"{before}{odd.START}\n| stale |\n{odd.END}{after}", encoding="utf-8")
    assert odd.update_odd(path) is True
    text = path.read_text(encoding="utf-8")
    assert text.startswith(before + odd.START)
    assert text.endswith(odd.END + after)
    assert odd.table_in(text) == odd.parameter_table()
    assert odd.update_odd(path) is False
    assert path.read_text(encoding="utf-8") == text


def test_update_odd_needs_the_markers(tmp_path: Path):
    path = tmp_path / "ODD.md"
    path.write_text(f"no markers\n{odd.END}\n{odd.START}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="parameters:start"):
        odd.update_odd(path)


def test_main_rewrites_the_given_file(tmp_path: Path, capsys):
    path = tmp_path / "ODD.md"
    path.write_text(f"{odd.START}\n{odd.END}\n", encoding="utf-8")
    assert odd.main([str(path)]) == 0
    assert "updated" in capsys.readouterr().out
    assert odd.table_in(path.read_text(encoding="utf-8")) == odd.parameter_table()


# --- the prose -------------------------------------------------------------------------


def test_every_parameter_is_described_outside_the_generated_table(odd_text):
    prose = odd_text[: odd_text.index(odd.START)] + odd_text[odd_text.index(odd.END) :]
    missing = [name for name in Params.names() if f"`{name}`" not in prose]
    assert not missing, f"describe these parameters in docs/ODD.md (where they act): {missing}"


def test_every_outcome_column_is_documented_in_observation(odd_text):
    observation = _section(odd_text, "Observation")
    missing = [column for column in OUTCOMES if f"`{column}`" not in observation]
    assert not missing, f"document these outcome columns under Observation: {missing}"


def test_binding_constraints_are_documented_in_priority_order(odd_text):
    from sim.model import CONSTRAINTS

    observation = _section(odd_text, "Observation")
    assert " > ".join(f"`{c}`" for c in CONSTRAINTS) in observation


def test_odd_has_the_seven_elements(odd_text):
    for heading in (
        "1 Purpose and patterns",
        "2 Entities, state variables and scales",
        "3 Process overview and scheduling",
        "4 Design concepts",
        "5 Initialization",
        "6 Input data",
        "7 Submodels",
        "Parameters",
    ):
        assert _section(odd_text, heading).strip()


# --- the registry's units and sources --------------------------------------------------


def documentation_problems(row: dict) -> list[str]:
    """What a registry entry lacks: a unit, a meaning, a source that says where from."""
    problems = []
    if not row["unit"].strip():
        problems.append("no unit")
    if not row["meaning"].strip():
        problems.append("no meaning (doc)")
    match = SOURCE_RULE.match(row["source"])
    if not match:
        problems.append(
            f"source {row['source']!r} must start with 'FACTS.md', 'sources/<document>', "
            "'assumption', 'policy lever' or 'issue'"
        )
    elif len(match["why"].split()) < 2:
        problems.append(f"source {row['source']!r} gives no figure or reasoning")
    return problems


def test_every_parameter_has_a_unit_a_meaning_and_a_source():
    # One test for the whole registry (not one per parameter), so that the test count
    # reports behaviour; the message names every entry that lacks something, and what.
    problems = {row["name"]: documentation_problems(row) for row in registry()}
    problems = {name: found for name, found in problems.items() if found}
    assert not problems, "parameters documented incompletely in sim/params.py:\n" + "\n".join(
        f"  {name}: {'; '.join(found)}" for name, found in problems.items()
    )


def test_a_documentation_problem_is_named_with_its_parameter():
    # The check above can fail, and says which entry and why.
    row = {**registry()[0], "unit": " ", "source": "assumption"}
    assert documentation_problems(row) == [
        "no unit",
        "source 'assumption' gives no figure or reasoning",
    ]
    assert documentation_problems({**row, "unit": "h", "meaning": "", "source": "guess"}) == [
        "no meaning (doc)",
        "source 'guess' must start with 'FACTS.md', 'sources/<document>', 'assumption', "
        "'policy lever' or 'issue'",
    ]
    assert documentation_problems(registry()[0]) == []


@pytest.mark.parametrize(
    "source",
    ["", "see above", "assumption", "FACTS.md", "guess: 0.5", "facts: a number"],
)
def test_the_source_rule_rejects_unsourced_text(source):
    match = SOURCE_RULE.match(source)
    assert match is None or len(match["why"].split()) < 2
