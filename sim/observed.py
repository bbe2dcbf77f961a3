"""The observed figures of FACTS.md that runs are drawn against.

Dated counts from the municipality's letters (sources in ``shared/sources``). They are
overlays for figures and reports; the calibration targets in
``calibration/targets.toml`` carry the same figures with how the model is compared to
them, and a test keeps the two in agreement.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sim.wijken import OBSERVED_2022_01_01


@dataclass(frozen=True)
class Observation:
    """One observed figure: the model column it corresponds to, its date, value and source."""

    column: str
    date: dt.date
    value: float
    source: str


_MEMO_2021 = "2021-02 voorbereidingsmemo (collegebrief 3 Feb 2021)"
_LETTER_2022 = "2022-01 collegebrief twee jaar basisbanen (third Hanze interim report)"
_VNG_2023 = "2023-03 VNG news: basisbaan structureel"

OBSERVED: tuple[Observation, ...] = (
    Observation("started_cum", dt.date(2020, 6, 30), 9, "regional news, Jun 2020"),
    Observation("employed", dt.date(2021, 1, 1), 25, _MEMO_2021),
    Observation("employed", dt.date(2022, 1, 1), 47, _LETTER_2022),
    Observation("employed", dt.date(2023, 3, 1), 56, _VNG_2023),
    Observation("spoken_cum", dt.date(2022, 1, 1), 151, _LETTER_2022),
    Observation("rejected_paid_work_cum", dt.date(2022, 1, 1), 34, _LETTER_2022),
    Observation("rejected_health_cum", dt.date(2022, 1, 1), 26, _LETTER_2022),
    Observation("rejected_volunteering_cum", dt.date(2022, 1, 1), 17, _LETTER_2022),
    Observation("exited_cum", dt.date(2022, 1, 1), 0, _LETTER_2022),
    Observation("exited_cum", dt.date(2023, 3, 1), 0, _VNG_2023),
)

# Sickness absence in the second half of 2021 (share of hours) and participants with
# no absence at all in that half-year (31 of 47).
SICK_ABSENCE_H2_2021 = 0.036
NO_ABSENCE_SHARE_H2_2021 = 31 / 47

# Participants by wijk on 1 January 2022 (total 47).
EMPLOYED_BY_WIJK_2022 = OBSERVED_2022_01_01
EMPLOYED_BY_WIJK_DATE = dt.date(2022, 1, 1)


def observed(column: str) -> list[Observation]:
    """The observations of one model column, in date order."""
    return sorted((o for o in OBSERVED if o.column == column), key=lambda o: o.date)
