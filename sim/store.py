"""The result store: every finished run on disk at once, safe against interruption.

A results directory holds ``manifest.json``, ``index.jsonl`` and five Parquet datasets,
each a directory of part files, one per run: ``timeseries.parquet/`` (weekly outcomes),
``by_wijk.parquet/`` (employed per wijk), ``composition.parquet/`` (participants
against the eligible pool), ``years.parquet/`` and ``runs.parquet/`` (the per-run
summaries of ``sim.summary``). A sweep's directory also holds ``design.parquet``, its
sampled inputs (``param_<name>``), one row per sample: reading the runs table joins
them on ``sample``, so that each run's part does not repeat them (about 50 kB of
Parquet metadata a run for the 68 inputs of a Morris design; written for speed).

Part files are written to a hidden temporary name and renamed into place, so a killed
process leaves whole files or nothing. When all five parts of a run are in place, a
line with each part's SHA-256 checksum and size is appended to ``index.jsonl``: that
line marks the run as finished. On resume every part of every indexed run is checked
against its checksum; a run with a missing or damaged part (a disk fault, an operating
system crash that cut a file short, a stray edit) is redone, and
:meth:`ResultStore.inspect` says which. Reading a table checks every part it reads the
same way and names the file when one is damaged (:class:`DamagedResultsError`). The store
does not fsync every part (that would double a run's cost here): the checksums find
what a crash damaged.

Re-running the same experiment into the same directory skips finished runs. A directory
that holds another experiment (another hash) is refused, never mixed or overwritten.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import statistics
import subprocess
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from sim import __version__

if TYPE_CHECKING:
    # For its type only: the readers below serve the report, which does not run the
    # model, and sim.experiment imports the model (and Mesa).
    from sim.experiment import Experiment

TABLES = ("timeseries", "by_wijk", "composition", "years", "runs")
COMPRESSED_FROM_ROWS = 100  # parts of fewer rows are stored uncompressed
MANIFEST = "manifest.json"
INDEX = "index.jsonl"
DESIGN = "design.parquet"
INPUT_PREFIX = "param_"
READ_THREADS = 8  # part files read at once (reading, hashing and decoding release the GIL)

# What a run takes on disk, for the free-space check before an experiment starts: five
# part files of about 13 kB of Parquet metadata each, rounded up to whole 4 kB blocks,
# plus about 100 bytes per simulated week (measured: 68 kB for a run to mid-2020,
# 120 kB to 2030); rounded up, as running out half way costs more than asking for room.
RUN_BYTES = 96 * 1024
RUN_BYTES_PER_WEEK = 128
# summary.csv, six figures and the report, which embeds them (measured: about 1.1 MB).
OUTPUTS_BYTES = 4 * 1024 * 1024


class StoreError(Exception):
    """A results directory that cannot be used (it names the directory and why)."""


class DamagedResultsError(Exception):
    """A part file of a finished run that is missing or not what was written.

    Not a :class:`StoreError`: the directory is the right one, one of its files is
    damaged. The message names the file; running the experiment again redoes that run.
    """


@dataclass(frozen=True)
class Damage:
    """A part of a finished run found missing or damaged on resume."""

    key: str
    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path} ({self.reason})"


def bytes_needed(runs: int, weeks: int, *, outputs: bool = True) -> int:
    """About how many bytes ``runs`` runs of ``weeks`` weeks take, and the outputs."""
    return runs * (RUN_BYTES + RUN_BYTES_PER_WEEK * weeks) + (OUTPUTS_BYTES if outputs else 0)


def to_parquet_bytes(frame: pd.DataFrame) -> bytes:
    """A frame as Parquet file contents (made in the worker, written by the store).

    A part of a few rows is not compressed: its file is mostly schema, which zstd
    hardly shrinks, and compressing it took half the time of writing a run's parts
    (written for speed).
    """
    table = pa.Table.from_pandas(frame, preserve_index=False)
    compression = "zstd" if table.num_rows >= COMPRESSED_FROM_ROWS else "none"
    sink = io.BytesIO()
    pq.write_table(table, sink, compression=compression)
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
    def inspect(self) -> tuple[set[str], list[Damage]]:
        """What is already done, without writing anything.

        Returns:
            The keys of the finished runs whose every part matches its checksum, and the
            missing or damaged parts of the other indexed runs (which run again).

        Raises:
            StoreError: the directory holds another experiment, or is not a results
                directory of this project.
        """
        manifest = self.directory / MANIFEST
        if manifest.exists():
            existing = self._read_manifest()
            if existing.get("experiment_hash") != self.experiment.digest():
                raise StoreError(
                    f"{self.directory}: holds results of another experiment "
                    f"('{existing.get('name')}', hash {existing.get('experiment_hash')}); "
                    f"this one has hash {self.experiment.digest()}. Use --out to choose a new "
                    "directory, or remove the old one."
                )
        elif self.directory.exists() and any(self.directory.iterdir()):
            raise StoreError(
                f"{self.directory}: is not empty and holds no {MANIFEST}: not a results "
                "directory of this project. Use --out to choose a new directory."
            )
        done: set[str] = set()
        damaged: list[Damage] = []
        for key, entry in _read_index(self.directory).items():
            faults = [
                Damage(key, path, reason)
                for table, path in self._parts(key).items()
                if (reason := _fault(path, entry, table)) is not None
            ]
            if faults:
                damaged.extend(faults)
            else:
                done.add(key)
        return done, damaged

    def prepare(self, damaged: Sequence[Damage] = ()) -> None:
        """Create the directory, or tidy it for resuming: the first write of a run.

        Removes the temporary files a killed run left and the parts of the damaged runs,
        and drops those runs from the index, so that they run again.
        """
        for table in TABLES:
            (self.directory / f"{table}.parquet").mkdir(parents=True, exist_ok=True)
            for stale in (self.directory / f"{table}.parquet").glob(".*.tmp"):
                stale.unlink()
        redo = {damage.key for damage in damaged}
        for key in redo:
            for path in self._parts(key).values():
                path.unlink(missing_ok=True)
        # Rewritten whole: drops the redone runs and a line a killed process cut short.
        lines = [
            json.dumps({"run": key, **entry}) + "\n"
            for key, entry in _read_index(self.directory).items()
            if key not in redo
        ]
        _write_atomically(self.directory / INDEX, "".join(lines))
        design = design_table(self.experiment)
        if design is not None:
            # Written each time: the same bytes for the same experiment, so a damaged
            # copy is mended by running the experiment again.
            _write_atomically(self.directory / DESIGN, to_parquet_bytes(design))
        if not (self.directory / MANIFEST).exists():
            self._write_manifest(self._new_manifest())

    def open(self) -> set[str]:
        """Create or reopen the directory; returns the keys of runs already finished."""
        done, damaged = self.inspect()
        self.prepare(damaged)
        return done

    def finished(self) -> set[str]:
        """Keys of the runs whose every part is on disk and matches its checksum."""
        return self.inspect()[0]

    def _parts(self, key: str) -> dict[str, Path]:
        return {table: self.directory / f"{table}.parquet" / f"{key}.parquet" for table in TABLES}

    # --- writing --------------------------------------------------------------------
    def write_run(self, key: str, parts: dict[str, bytes], seconds: float | None = None) -> None:
        """Write one run's part files atomically, then its line in the index.

        ``seconds``, the run's time, goes on its index line, from which :meth:`finish`
        sums the timings without reading the runs back.

        A failure (a full disk) leaves no temporary file behind and the run out of the
        index: it runs again on resume.
        """
        for table in TABLES:
            target = self.directory / f"{table}.parquet" / f"{key}.parquet"
            temporary = target.with_name(f".{key}.tmp")
            try:
                temporary.write_bytes(parts[table])
                os.replace(temporary, target)
            except BaseException as error:
                temporary.unlink(missing_ok=True)
                raise _naming(error, target) from None
        entry: dict[str, Any] = {
            "run": key,
            "sha256": {table: hashlib.sha256(parts[table]).hexdigest() for table in TABLES},
            "bytes": {table: len(parts[table]) for table in TABLES},
        }
        if seconds is not None:
            entry["seconds"] = seconds
        try:
            with open(self.directory / INDEX, "a", encoding="utf-8") as index:
                index.write(json.dumps(entry) + "\n")
        except OSError as error:
            raise _naming(error, self.directory / INDEX) from None

    def finish(self, *, started: dt.datetime, workers: str) -> dict[str, Any]:
        """Record the end of the experiment and the runs' timings in the manifest.

        The timings come from the index, line by line, so that the coordinator's memory
        stays flat in the number of runs: reading the runs table back for them grew it
        by about 11 kB a run. The per-run seconds are in the runs table (``seconds``).
        A directory written before index lines carried the seconds is timed from the
        runs table.
        """
        manifest = self._read_manifest()
        seconds = _index_seconds(self.directory)
        if seconds is None:
            runs = self.load("runs", columns=["scenario", "sample", "replicate", "seconds"])
            seconds = runs["seconds"].tolist()
        manifest.update(
            status="complete",
            finished=_now(),
            last_started=started.isoformat(timespec="seconds"),
            workers=workers,
            runs_finished=len(seconds),
            run_seconds={
                "total": float(sum(seconds)),
                "median": float(statistics.median(seconds)),
                "max": float(max(seconds)),
            },
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
            # A forecast's pre-registration: the posterior it drew from (hash) and when
            # it was made, so that figures observed later can be shown to be new to it.
            "forecast": {**exp.provenance, "made": _now()} if exp.provenance else None,
            "started": _now(),
            "status": "running",
        }

    def _read_manifest(self) -> dict[str, Any]:
        try:
            manifest = json.loads((self.directory / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise StoreError(f"{self.directory / MANIFEST}: cannot be read: {error}") from None
        if not isinstance(manifest, dict):
            raise StoreError(f"{self.directory / MANIFEST}: is not a manifest of this project")
        return manifest

    def _write_manifest(self, manifest: dict[str, Any]) -> None:
        _write_atomically(self.directory / MANIFEST, json.dumps(manifest, indent=2, default=str))


def design_table(experiment: Experiment) -> pd.DataFrame | None:
    """A sweep's sampled inputs, one row per sample: ``sample`` and ``param_<name>``.

    None for an experiment without a sweep.
    """
    if experiment.sweep is None:
        return None
    points = experiment.sweep.values  # noqa: PD011 (the sweep's points, not pandas)
    inputs = {f"{INPUT_PREFIX}{name}": [point[name] for point in points] for name in points[0]}
    return pd.DataFrame({"sample": list(range(len(points))), **inputs})


def _write_atomically(target: Path, content: str | bytes) -> None:
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        if isinstance(content, bytes):
            temporary.write_bytes(content)
        else:
            temporary.write_text(content, encoding="utf-8")
        os.replace(temporary, target)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        raise _naming(error, target) from None


def _naming(error: BaseException, path: Path) -> BaseException:
    """An OSError that names the file being written (a failed write names none)."""
    if isinstance(error, OSError) and error.filename is None and error.errno is not None:
        return OSError(error.errno, error.strerror, str(path))
    return error


def _index_entries(directory: Path) -> Iterator[dict[str, Any]]:
    """The whole lines of a results directory's index, in order, read line by line.

    A line that is not whole (a process killed while appending it) is skipped.

    Raises:
        StoreError: the index exists but cannot be read.
    """
    try:
        # Damaged bytes spoil only their line: that run is redone, the rest stand.
        with open(directory / INDEX, encoding="utf-8", errors="replace") as lines:
            for line in lines:
                try:
                    entry = json.loads(line)
                    key, sums, sizes = entry["run"], entry["sha256"], entry["bytes"]
                    whole = isinstance(key, str) and all(t in sums and t in sizes for t in TABLES)
                except (ValueError, KeyError, TypeError):
                    continue
                if whole:
                    yield entry
    except FileNotFoundError:
        return
    except OSError as error:
        raise StoreError(f"{directory / INDEX}: cannot be read: {error}") from None


def _read_index(directory: Path) -> dict[str, dict[str, Any]]:
    """The finished runs of a results directory: key -> checksums and sizes of its parts."""
    return {
        entry["run"]: {"sha256": entry["sha256"], "bytes": entry["bytes"]}
        for entry in _index_entries(directory)
    }


def _index_seconds(directory: Path) -> list[float] | None:
    """Each finished run's seconds, from the index.

    A run redone counts once, with its last time. None when a line carries no seconds,
    or the index holds no run.
    """
    seconds: dict[str, float] = {}
    for entry in _index_entries(directory):
        value = entry.get("seconds")
        if not isinstance(value, int | float):
            return None
        seconds[entry["run"]] = float(value)
    return list(seconds.values()) or None


def _fault(path: Path, entry: dict[str, Any], table: str) -> str | None:
    """Why a part file is not the one indexed (missing, cut short, damaged), or None."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return "missing"
    except OSError as error:
        return f"cannot be read: {error.strerror}"
    return _bytes_fault(raw, entry, table)


def _bytes_fault(raw: bytes, entry: dict[str, Any], table: str) -> str | None:
    """Why the bytes read of a part are not the ones indexed (cut short, damaged), or None."""
    if len(raw) != entry["bytes"][table]:
        return f"{len(raw):,} bytes where {entry['bytes'][table]:,} were written"
    if hashlib.sha256(raw).hexdigest() != entry["sha256"][table]:
        return "its checksum differs from the one recorded when it was written"
    return None


def read_table(directory: str | Path, table: str, columns: list[str] | None = None) -> pd.DataFrame:
    """Read one table of a results directory (every finished run), sorted by run and date.

    Every part read is checked against its checksum in the index (a directory written
    before there was an index is read as it is). The runs table of a sweep carries its
    sampled inputs (``param_<name>``, from ``design.parquet``) after the run's labels.

    Raises:
        StoreError: the table holds no finished runs, or lacks one of ``columns``.
        DamagedResultsError: a part is missing or damaged; the message names the file.
    """
    directory = Path(directory)
    design = _read_design(directory) if table == "runs" else None
    if design is None:
        return _read_parts(directory, table, columns).to_pandas()
    inputs = [c for c in design.column_names[1:] if columns is None or c in columns]
    wanted = None if columns is None else [c for c in columns if c not in inputs]
    if wanted is not None and "sample" not in wanted:
        wanted.append("sample")  # to join on
    runs = _read_parts(directory, table, wanted)
    # Each run's row takes its sample's inputs, placed after the run's labels.
    drawn = design.take(pc.index_in(runs.column("sample"), value_set=design.column("sample")))
    names = runs.column_names
    labels = [c for c in (*RUN_ORDER, "seed") if c in names]
    at = max(names.index(c) for c in labels) + 1
    order = [*names[:at], *inputs, *names[at:]] if columns is None else columns
    pick = {**{c: runs.column(c) for c in names}, **{c: drawn.column(c) for c in inputs}}
    return pa.table({c: pick[c] for c in order}).to_pandas()


def _read_design(directory: Path) -> pa.Table | None:
    """A sweep's ``design.parquet``, or None (no sweep, or written before there was one)."""
    path = directory / DESIGN
    try:
        return pq.read_table(path)
    except FileNotFoundError:
        return None
    except (OSError, pa.ArrowException) as error:
        reason = str(error).split("\n", 1)[0]
        raise DamagedResultsError(
            f"{path}: damaged ({reason}); run the same experiment into this directory "
            "again to write it anew"
        ) from None


def _read_parts(directory: Path, table: str, columns: list[str] | None) -> pa.Table:
    """One table's parts, checked, in run and row order (shared within ``shared_reads``)."""
    path = directory / f"{table}.parquet"
    index = _read_index(directory)
    parts: list[tuple[Path, dict[str, Any] | None]]
    if index:
        parts = [(path / f"{key}.parquet", entry) for key, entry in sorted(index.items())]
    else:
        parts = [(part, None) for part in sorted(path.glob("*.parquet"))] if path.is_dir() else []
    if not parts:
        raise StoreError(f"{path}: holds no results")

    def read(part: tuple[Path, dict[str, Any] | None]) -> pa.Table:
        file, entry = part
        # Read once: checked against the index, then parsed from the same bytes
        # (written for speed: the part used to be read for each).
        try:
            raw = file.read_bytes()
        except FileNotFoundError:
            raise DamagedResultsError(_damaged(file, "missing")) from None
        except OSError as error:
            reason = f"cannot be read: {error.strerror}"
            raise DamagedResultsError(_damaged(file, reason)) from None
        fault = _bytes_fault(raw, entry, table) if entry is not None else None
        if fault is not None:
            raise DamagedResultsError(_damaged(file, fault))
        try:
            parquet = pq.ParquetFile(pa.BufferReader(raw))
            names = parquet.schema_arrow.names
        except (OSError, pa.ArrowException) as error:
            raise DamagedResultsError(_damaged(file, str(error).split("\n", 1)[0])) from None
        missing = [c for c in columns or () if c not in names]
        if missing:
            raise StoreError(
                f"{file}: has no column {', '.join(missing)}: the experiment did not keep it"
            )
        try:
            columns_read = parquet.read(columns=columns)
            if entry is None:
                # No checksum vouches for the part: its pandas metadata is parsed here,
                # so that damage to it names the file (it is otherwise parsed only when
                # the parts are converted together).
                columns_read.schema.pandas_metadata  # noqa: B018
            return columns_read
        except (OSError, pa.ArrowException, ValueError) as error:
            raise DamagedResultsError(_damaged(file, str(error).split("\n", 1)[0])) from None

    stack = _shared_stack()
    shared = stack[-1] if stack else None
    key = (str(directory.resolve()), table, tuple(columns) if columns is not None else None)
    if shared is not None and key in shared:
        return shared[key]
    with cf.ThreadPoolExecutor(READ_THREADS) as pool:
        tables = list(pool.map(read, parts))
    whole = _in_order(tables)
    if shared is not None:
        shared[key] = whole
    return whole


RUN_ORDER = ("scenario", "sample", "replicate")  # a table's rows: by run,
ROW_ORDER = ("date", "year", "wijk")  # then, within a run, by these


def _in_order(parts: list[pa.Table]) -> pa.Table:
    """The parts' rows as one table, sorted by run, then date, year or wijk (stably).

    Sorted in Arrow, then converted once: sorting the pandas frame moved every column
    through pandas' take. When each part holds one run, and no two the same, each part
    is sorted on its own and the parts put in run order, which is what one stable sort
    of all rows gives at a fraction of its cost: sorting the 7.9 million rows of
    ``by_wijk`` for 1,000 runs as one took seconds (written for speed). Otherwise all
    rows are sorted together.
    """
    names = parts[0].column_names
    run_keys = [c for c in RUN_ORDER if c in names]
    row_keys = [(c, "ascending") for c in ROW_ORDER if c in names]
    runs = [run for run in (_one_run(part, run_keys) for part in parts) if run is not None]
    # Parts of one table written by different versions may differ in columns (a sweep
    # resumed since its inputs moved to design.parquet): a column some parts lack is
    # null there.
    if len(runs) < len(parts) or len(set(runs)) < len(runs):
        whole = pa.concat_tables(parts, promote_options="default")
        order = [(c, "ascending") for c in run_keys] + row_keys
        return whole.take(pc.sort_indices(whole, sort_keys=order)) if order else whole
    ranked = sorted(range(len(parts)), key=runs.__getitem__)
    return pa.concat_tables(
        [
            parts[i].take(pc.sort_indices(parts[i], sort_keys=row_keys)) if row_keys else parts[i]
            for i in ranked
        ],
        promote_options="default",
    )


def _one_run(part: pa.Table, keys: list[str]) -> tuple[Any, ...] | None:
    """The run a part holds, as its values of ``keys``; None if it holds none or several.

    Python orders these tuples as Arrow sorts the columns: numbers by value, strings by
    code point, which is the byte order of their UTF-8.
    """
    if part.num_rows == 0:
        return None
    run = []
    for key in keys:
        column = part.column(key)
        if column.null_count:
            return None
        low, high = pc.min_max(column).values()
        if low != high:
            return None
        run.append(low.as_py())
    return tuple(run)


# Stacks of the tables read within ``shared_reads`` blocks (see there), one per thread:
# a block in one thread (the dashboard writes its report in a thread) never hands an
# older read to another.
_SHARED_READS = threading.local()


def _shared_stack() -> list[dict[tuple[str, str, tuple[str, ...] | None], pa.Table]]:
    if not hasattr(_SHARED_READS, "stack"):
        _SHARED_READS.stack = []
    return _SHARED_READS.stack


@contextlib.contextmanager
def shared_reads() -> Iterator[None]:
    """Within this block, each table of a results directory is read and checked once.

    The summary, the figures and the report of an experiment read the same tables one
    after another; inside the block a second read of a table (with the same columns)
    is a fresh pandas frame of the Arrow table already read, not a second pass over
    every part file and its checksum (written for speed). Outside such a block every
    read checks every part, so a part damaged since is always found.
    """
    stack = _shared_stack()
    stack.append({})
    try:
        yield
    finally:
        stack.pop()


def _damaged(path: Path, reason: str) -> str:
    return (
        f"{path}: damaged ({reason}); run the same experiment into this directory again "
        "to redo that run"
    )


def load_results(directory: str | Path) -> pd.DataFrame:
    """The tidy weekly time series of every finished run in a results directory."""
    return read_table(directory, "timeseries")


def read_manifest(directory: str | Path) -> dict[str, Any]:
    """The manifest of a results directory."""
    path = Path(directory) / MANIFEST
    if not path.exists():
        raise StoreError(f"{directory}: not a results directory (no {MANIFEST})")
    return json.loads(path.read_text(encoding="utf-8"))


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
