"""The result store: every finished run on disk at once, safe against interruption.

A results directory holds ``manifest.json`` and five Parquet datasets, each a
directory of part files, one per run: ``timeseries.parquet/`` (weekly outcomes),
``by_wijk.parquet/`` (employed per wijk), ``composition.parquet/`` (participants
against the eligible pool), ``years.parquet/`` and ``runs.parquet/`` (the per-run
summaries of ``sim.summary``). Part files are written to a hidden
temporary name and renamed into place, so a killed process leaves whole files or
nothing; the ``runs`` part is written last and marks the run as finished (on resume
only when all its parts are whole). Re-running
the same experiment into the same directory skips finished runs. A directory that
holds another experiment (another hash) is refused, never mixed or overwritten.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim import __version__

if TYPE_CHECKING:
    # For its type only: the readers below serve the report, which does not run the
    # model, and sim.experiment imports the model (and Mesa).
    from sim.experiment import Experiment

TABLES = ("timeseries", "by_wijk", "composition", "years", "runs")
MANIFEST = "manifest.json"


class StoreError(Exception):
    """A results directory that cannot be used (it names the directory and why)."""


def to_parquet_bytes(frame: pd.DataFrame) -> bytes:
    """A frame as Parquet file contents (made in the worker, written by the store)."""
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), sink, compression="zstd")
    return sink.getvalue()


def git_revision() -> str:
    """The commit the code runs from ('unknown' outside a git checkout)."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=Path(__file__).resolve().parent,
        capture_output=True,
        text=True,
        timeout=5,
        check=False,
    ).stdout.strip()
    return out.stdout.strip() + ("+modified" if dirty else "")


class ResultStore:
    """One experiment's results directory."""

    def __init__(self, directory: str | Path, experiment: Experiment):
        self.directory = Path(directory)
        self.experiment = experiment

    # --- opening and resuming -----------------------------------------------------
    def open(self) -> set[str]:
        """Create or reopen the directory; returns the keys of runs already finished."""
        manifest = self.directory / MANIFEST
        if manifest.exists():
            existing = self._read_manifest()
            if existing.get("experiment_hash") != self.experiment.digest():
                raise StoreError(
                    f"{self.directory} holds results of another experiment "
                    f"('{existing.get('name')}', hash {existing.get('experiment_hash')}); "
                    f"this one has hash {self.experiment.digest()}. Use --out to choose a new "
                    "directory, or remove the old one."
                )
        elif self.directory.exists() and any(self.directory.iterdir()):
            raise StoreError(
                f"{self.directory} is not empty and holds no {MANIFEST}: not a results "
                "directory of this project. Use --out to choose a new directory."
            )
        for table in TABLES:
            (self.directory / f"{table}.parquet").mkdir(parents=True, exist_ok=True)
            for stale in (self.directory / f"{table}.parquet").glob(".*.tmp"):
                stale.unlink()
        done = self.finished()
        if not manifest.exists():
            self._write_manifest(self._new_manifest())
        return done

    def finished(self) -> set[str]:
        """Keys of the runs whose every part is on disk and whole.

        A part is whole when it ends with Parquet's closing magic bytes. Parts are
        renamed into place only when written, so a killed process leaves none half
        written; the check also catches parts that an operating-system crash cut short
        (the store does not fsync every part: that would double a run's cost here).
        """
        runs_dir = self.directory / "runs.parquet"
        if not runs_dir.exists():
            return set()
        keys = {path.stem for path in runs_dir.glob("*.parquet")}
        return {
            key
            for key in keys
            if all(
                _whole(self.directory / f"{table}.parquet" / f"{key}.parquet") for table in TABLES
            )
        }

    # --- writing --------------------------------------------------------------------
    def write_run(self, key: str, parts: dict[str, bytes]) -> None:
        """Write one run's part files atomically, the ``runs`` part last."""
        for table in TABLES:
            target = self.directory / f"{table}.parquet" / f"{key}.parquet"
            temporary = target.with_name(f".{key}.tmp")
            temporary.write_bytes(parts[table])
            os.replace(temporary, target)

    def finish(self, *, started: dt.datetime, workers: str) -> dict[str, Any]:
        """Record the end of the experiment and the per-run timings in the manifest."""
        manifest = self._read_manifest()
        runs = self.load("runs", columns=["scenario", "sample", "replicate", "seed", "seconds"])
        manifest.update(
            status="complete",
            finished=_now(),
            last_started=started.isoformat(timespec="seconds"),
            workers=workers,
            runs_finished=len(runs),
            run_seconds={
                "total": float(runs["seconds"].sum()),
                "median": float(runs["seconds"].median()),
                "max": float(runs["seconds"].max()),
            },
            runs=runs.sort_values(["scenario", "sample", "replicate"]).to_dict(orient="records"),
        )
        self._write_manifest(manifest)
        return manifest

    # --- reading ----------------------------------------------------------------------
    def load(self, table: str, columns: list[str] | None = None) -> pd.DataFrame:
        """One table of every finished run."""
        return read_table(self.directory, table, columns)

    def _new_manifest(self) -> dict[str, Any]:
        exp = self.experiment
        first = exp.params(next(iter(exp.scenarios)))
        return {
            "name": exp.name,
            "description": exp.description,
            "municipality": exp.municipality.manifest() if exp.municipality else None,
            # The areas of the first scenario, for the map (the areas are a municipality's,
            # the same in every scenario), and the target the report counts towards.
            "areas": [area.model_dump() for area in first.areas],
            "target_jobs": first.job_ceiling_max,
            "experiment_file": exp.source,
            "experiment_text": exp.text,
            "experiment_hash": exp.digest(),
            "experiment": exp.identity(),
            "scenario_descriptions": exp.scenario_descriptions,
            "package_version": __version__,
            "git_revision": git_revision(),
            "master_seed": exp.seed,
            "replicates": exp.replicates,
            "seeds": exp.seeds(),
            "until": exp.until.isoformat(),
            "runs_total": len(exp.scenarios) * len(exp.samples) * exp.replicates,
            "started": _now(),
            "status": "running",
        }

    def _read_manifest(self) -> dict[str, Any]:
        try:
            return json.loads((self.directory / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise StoreError(f"{self.directory / MANIFEST} cannot be read: {error}") from None

    def _write_manifest(self, manifest: dict[str, Any]) -> None:
        target = self.directory / MANIFEST
        temporary = target.with_name(f".{MANIFEST}.tmp")
        temporary.write_text(json.dumps(manifest, indent=2, default=str), encoding="utf-8")
        os.replace(temporary, target)


def read_table(directory: str | Path, table: str, columns: list[str] | None = None) -> pd.DataFrame:
    """Read one table of a results directory (all part files), sorted by run and date."""
    path = Path(directory) / f"{table}.parquet"
    parts = sorted(path.glob("*.parquet")) if path.is_dir() else []
    if not parts:
        raise StoreError(f"{path} holds no results")
    frame = pq.ParquetDataset([str(part) for part in parts]).read(columns=columns).to_pandas()
    order = [c for c in ("scenario", "sample", "replicate", "date", "year", "wijk") if c in frame]
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


def _whole(path: Path) -> bool:
    """Whether a Parquet file is complete: it ends with the magic bytes PAR1."""
    try:
        with open(path, "rb") as handle:
            handle.seek(-4, os.SEEK_END)
            return handle.read(4) == b"PAR1"
    except OSError:
        return False


def load_results(directory: str | Path) -> pd.DataFrame:
    """The tidy weekly time series of every finished run in a results directory."""
    return read_table(directory, "timeseries")


def read_manifest(directory: str | Path) -> dict[str, Any]:
    """The manifest of a results directory."""
    path = Path(directory) / MANIFEST
    if not path.exists():
        raise StoreError(f"{directory} is not a results directory (no {MANIFEST})")
    return json.loads(path.read_text(encoding="utf-8"))


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
