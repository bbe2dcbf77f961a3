"""A results directory read for the report: the :class:`Results` bundle.

:func:`read_results` reads what ``basisbaan run`` or ``basisbaan forecast`` wrote (see
:mod:`sim.store`): the manifest, the five Parquet tables, ``summary.csv`` (worked out
again from the runs when it is missing) and, for a forecast, ``forecast.csv``,
``p250.csv`` and ``ppc.csv``. A directory that is not a results directory raises
:class:`~sim.params.ConfigError` with a message that says why, so the command line
exits with status 2. (:func:`sim.store.load_results` is the other reader: it gives the
weekly frame alone.)

Only the store, the summary and the parameter registry's error are imported: reading
results does not import the model (or Mesa).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from sim.config.errors import ConfigError
from sim.store import MANIFEST, TABLES, StoreError, read_manifest, read_table
from sim.summary import SUMMARY_COLUMNS, TARGET_JOBS, summarise
from sim.wijken import Area

RUN_KEYS = ["scenario", "sample", "replicate"]
FORECAST_COLUMNS = ("scenario", "date", "quantity", "q025", "q10", "q50", "q90", "q975")
P250_COLUMNS = ("scenario", "year", "probability")
PPC_COLUMNS = ("target", "date", "observed", "q05", "q25", "q50", "q75", "q95", "inside_90")


@dataclass(frozen=True)
class Results:
    """Everything the report reads from a results directory."""

    directory: Path
    manifest: dict[str, Any]
    scenarios: tuple[str, ...]
    summary: pd.DataFrame  # summary.csv as written (per scenario and sample)
    pooled: pd.DataFrame  # the same measures with sweep samples pooled per scenario
    timeseries: pd.DataFrame
    by_wijk: pd.DataFrame
    composition: pd.DataFrame
    years: pd.DataFrame
    runs: pd.DataFrame
    forecast: pd.DataFrame | None
    p250: pd.DataFrame | None
    ppc: pd.DataFrame | None

    @property
    def areas(self) -> tuple[Area, ...] | None:
        """The municipality's areas (None in results written before areas were recorded)."""
        recorded = self.manifest.get("areas")
        return tuple(Area(**area) for area in recorded) if recorded else None

    @property
    def municipality(self) -> str:
        """The municipality's name for the reader (Groningen unless a profile says otherwise)."""
        profile = self.manifest.get("municipality") or {}
        return str(profile.get("display_name") or "Gemeente Groningen")

    @property
    def target_jobs(self) -> int:
        """The jobs the programme aims for (Groningen's 250 in older results)."""
        return int(self.manifest.get("target_jobs", TARGET_JOBS))

    @property
    def is_groningen(self) -> bool:
        """Whether these are Groningen's runs, so that its observed figures apply."""
        profile = self.manifest.get("municipality") or {}
        return profile.get("name", "groningen") == "groningen"

    @property
    def is_forecast(self) -> bool:
        """Whether the directory holds a forecast (it has a ``forecast.csv``)."""
        return self.forecast is not None

    @property
    def end(self) -> pd.Timestamp:
        """The last date of the runs."""
        return pd.Timestamp(self.timeseries["date"].max())

    @property
    def start(self) -> pd.Timestamp:
        """The first date of the runs."""
        return pd.Timestamp(self.timeseries["date"].min())

    @property
    def samples(self) -> int:
        """Sweep samples per scenario (1 without a sweep)."""
        return int(self.runs["sample"].nunique())

    def has(self, *columns: str) -> bool:
        """Whether the runs kept all these weekly columns."""
        return all(c in self.timeseries.columns for c in columns)

    def measure(self, measure: str, scenario: str, year: int | None = None) -> pd.Series | None:
        """One row of the pooled summary (sweep samples pooled), None when there is none."""
        pooled = self.pooled
        rows = pooled[(pooled["measure"] == measure) & (pooled["scenario"] == scenario)]
        if year is not None:
            rows = rows[rows["year"] == year]
        return rows.iloc[-1] if len(rows) else None

    def end_values(self, columns: Sequence[str]) -> pd.DataFrame:
        """Per run, the columns' values in the last week (columns not kept are left out)."""
        kept = [c for c in columns if c in self.timeseries.columns]
        return self.timeseries.groupby(RUN_KEYS, sort=False)[kept].last().reset_index()


def read_results(results_dir: str | Path) -> Results:
    """Read a results directory for the report.

    Args:
        results_dir: a directory written by ``basisbaan run`` or ``basisbaan forecast``.

    Returns:
        The tables of the directory.

    Raises:
        ConfigError: the directory does not exist, is empty, is not a results
            directory, or holds no finished runs; the message says which.
    """
    directory = Path(results_dir)
    where = str(directory)
    hint = "give a directory written by 'basisbaan run' or 'basisbaan forecast'"
    if not directory.exists():
        raise ConfigError(f"does not exist; {hint}", source=where)
    if not directory.is_dir():
        raise ConfigError(f"is a file, not a results directory; {hint}", source=where)
    if not any(directory.iterdir()):
        raise ConfigError(f"is empty: no results to report on; {hint}", source=where)
    try:
        manifest = read_manifest(directory)
    except StoreError:
        raise ConfigError(
            f"is not a results directory (it has no {MANIFEST}); {hint}", source=where
        ) from None
    except (OSError, ValueError) as error:
        raise ConfigError(f"{MANIFEST} cannot be read ({error}); {hint}", source=where) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("experiment"), dict):
        raise ConfigError(
            f"{MANIFEST} is not the manifest of a basisbaan experiment; {hint}", source=where
        )
    tables: dict[str, pd.DataFrame] = {}
    for table in TABLES:
        try:
            tables[table] = read_table(directory, table)
        except StoreError:
            raise ConfigError(
                f"holds no finished runs ({table}.parquet is missing or empty): the experiment "
                "has not run yet or was stopped before its first run finished",
                source=where,
            ) from None
        except (OSError, pa.ArrowException) as error:
            raise ConfigError(f"{table}.parquet cannot be read: {error}", source=where) from None
    runs, years = tables["runs"], tables["years"]
    summary_path = directory / "summary.csv"
    summary = (
        _read_csv(summary_path, SUMMARY_COLUMNS)
        if summary_path.exists()
        else summarise(runs, years)
    )
    pooled = summarise(runs.assign(sample=0), years.assign(sample=0))
    declared = list(manifest["experiment"].get("scenarios") or {})
    present = list(dict.fromkeys(tables["runs"]["scenario"].astype(str)))
    scenarios = tuple(
        [s for s in declared if s in present] + [s for s in present if s not in declared]
    )
    return Results(
        directory=directory,
        manifest=manifest,
        scenarios=scenarios,
        summary=summary,
        pooled=pooled,
        timeseries=tables["timeseries"],
        by_wijk=tables["by_wijk"],
        composition=tables["composition"],
        years=years,
        runs=runs,
        forecast=_optional_csv(directory / "forecast.csv", FORECAST_COLUMNS),
        p250=_optional_csv(directory / "p250.csv", P250_COLUMNS),
        ppc=_optional_csv(directory / "ppc.csv", PPC_COLUMNS),
    )


def _read_csv(path: Path, columns: Sequence[str]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path)
    except (OSError, ValueError) as error:
        raise ConfigError(f"cannot be read: {error}", source=str(path)) from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ConfigError(
            f"lacks the columns {', '.join(missing)}: not written by this project", source=str(path)
        )
    return frame


def _optional_csv(path: Path, columns: Sequence[str]) -> pd.DataFrame | None:
    return _read_csv(path, columns) if path.exists() else None
