"""The observed figures of FACTS.md, as the figures and the report draw them."""

from __future__ import annotations

import datetime as dt

from sim.observed import (
    EMPLOYED_BY_WIJK_2022,
    NO_ABSENCE_SHARE_H2_2021,
    OBSERVED,
    SICK_ABSENCE_H2_2021,
    observed,
)
from sim.outcomes import OUTCOMES


def test_the_counts_are_those_of_facts_md():
    figures = {(o.column, o.date): o.value for o in OBSERVED}
    assert figures[("employed", dt.date(2021, 1, 1))] == 25
    assert figures[("employed", dt.date(2022, 1, 1))] == 47
    assert figures[("employed", dt.date(2023, 3, 1))] == 56
    assert figures[("spoken_cum", dt.date(2022, 1, 1))] == 151
    assert figures[("rejected_paid_work_cum", dt.date(2022, 1, 1))] == 34
    assert figures[("rejected_health_cum", dt.date(2022, 1, 1))] == 26
    assert figures[("rejected_volunteering_cum", dt.date(2022, 1, 1))] == 17
    assert SICK_ABSENCE_H2_2021 == 0.036
    assert NO_ABSENCE_SHARE_H2_2021 == 31 / 47
    assert sum(EMPLOYED_BY_WIJK_2022.values()) == 47


def test_every_observation_is_of_a_model_column_and_has_a_source():
    for o in OBSERVED:
        assert o.column in OUTCOMES
        assert o.source.strip()


def test_observations_of_a_column_come_in_date_order():
    employed = observed("employed")
    assert [o.value for o in employed] == [25, 47, 56]
    assert [o.date for o in observed("exited_cum")] == [dt.date(2022, 1, 1), dt.date(2023, 3, 1)]
    assert observed("no_such_column") == []
