"""The ``basisbaan`` commands: run, calibrate, sbc, forecast, validate, report, bench, dashboard.

Every failure is one line on standard error, never a traceback (``--debug`` shows it):

- bad input (a config file, a command-line option, an output location, a foreign
  results directory) names the file or option, the key and what is allowed, and exits
  with status 2 before anything is written;
- a fault of the system (a full disk, a permission taken away, a damaged results file,
  a closed output pipe) says what failed and exits with status 1; what was finished is
  kept and the same command resumes it;
- Ctrl-C stops an experiment with status 130; finished runs stay on disk and the same
  command resumes it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from sim.config.checks import MAX_RUNS, scheduler_address, whole_number
from sim.config.errors import ConfigError, one_line
from sim.config.locations import GROWTH_SCENARIOS, REPO_ROOT, config_file

EXIT_FAULT = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130

# More local workers than this is a typo (the pool starts them all): 1,024 is what the
# calibration settings allow too.
MAX_WORKERS = 1_024
MAX_REPEATS = 10_000

RESUME_RUNS = "runs finished so far are kept: run the same command again to complete the rest"


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors as one line like every other (exit status 2)."""

    def error(self, message: str) -> NoReturn:
        message = message.removeprefix("argument ")
        print(one_line(f"basisbaan: {message} (see {self.prog} --help)"), file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


class _Output:
    """Standard output that a closed pipe (``basisbaan run | head -1``) does not stop.

    The work goes on when the reader goes away; :func:`main` says so at the end and
    exits with status 1.
    """

    closed = False

    @classmethod
    def say(cls, text: str) -> None:
        if cls.closed:
            return
        try:
            print(text, flush=True)
        except BrokenPipeError:
            cls.closed = True
            # Python flushes stdout once more at exit: point it at nothing first.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``basisbaan`` command."""
    from sim.store import DamagedResultsError, StoreError

    _Output.closed = False
    try:
        args = _parser().parse_args(argv)
    except SystemExit as done:
        if done.code in (0, None):  # --help: argparse's way, as before
            raise
        return EXIT_BAD_INPUT  # a bad option, already said in one line
    hint = getattr(args, "resume_hint", "")
    try:
        code = int(args.command(args) or 0)
    except ConfigError as error:
        return _fail(args, error, str(error), EXIT_BAD_INPUT)
    except StoreError as error:
        return _fail(args, error, str(error), EXIT_BAD_INPUT)
    except KeyboardInterrupt as error:
        return _fail(
            args, error, f"interrupted; {hint or 'nothing was finished'}", EXIT_INTERRUPTED
        )
    except DamagedResultsError as error:
        return _fail(args, error, str(error), EXIT_FAULT)
    except OSError as error:
        return _fail(args, error, _system_fault(error, hint), EXIT_FAULT)
    except MemoryError as error:
        return _fail(args, error, f"out of memory; {hint or 'nothing was finished'}", EXIT_FAULT)
    except Exception as error:  # a bug: one line, with how to see the traceback
        return _fail(
            args,
            error,
            f"internal error: {type(error).__name__}: {error} (this is a bug; run again with "
            "--debug for the traceback and report it)",
            EXIT_FAULT,
        )
    if _Output.closed:
        _complain("standard output was closed before everything was printed (broken pipe); "
                  "the work itself was completed")  # fmt: skip
        return EXIT_FAULT
    return code


def _system_fault(error: OSError, hint: str) -> str:
    """A failure of the system while writing or reading, in one line."""
    where = f"{error.filename}: " if error.filename else ""
    what = error.strerror or str(error) or type(error).__name__
    return f"{where}{what}; {hint}" if hint else f"{where}{what}"


def _fail(args: argparse.Namespace, error: BaseException, message: str, code: int) -> int:
    if getattr(args, "debug", False):
        traceback.print_exception(error)
    _complain(message)
    return code


def _complain(message: str) -> None:
    # Standard error closed too: there is nobody to tell.
    with contextlib.suppress(BrokenPipeError, ValueError):
        print(one_line(f"basisbaan: {message}"), file=sys.stderr, flush=True)


def _parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", help="show the traceback of an error (for developers)"
    )
    parser = _Parser(
        prog="basisbaan",
        description="Simulation of the Groningen basisbaan programme.",
        parents=[common],
    )
    sub = parser.add_subparsers(required=True, metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_text, parents=[common])

    run = command("run", "run an experiment or config (default: the baseline)")
    run.add_argument("config", nargs="?", type=Path, default=None, metavar="CONFIG")
    run.add_argument("--out", type=Path, help="results directory (default: results/<name>/)")
    run.add_argument("--seed", type=int, help="master seed (overrides the file's)")
    run.add_argument("--replications", type=int, help="replicates per scenario")
    run.add_argument("--samples", type=int,
                     help="draw a sampled sweep or an analysis's design at this size "
                     "(Morris trajectories, Sobol' base samples, sweep samples)")  # fmt: skip
    run.add_argument("--until", help="last date, e.g. 2030-12-31")
    run.add_argument("--workers", type=int, help="worker processes (default: all cores)")
    run.add_argument("--scheduler", help="Dask scheduler address, tcp://HOST:PORT")
    run.add_argument("--no-figures", action="store_true", help="skip the figures")
    run.add_argument("--max-runs", type=int, default=MAX_RUNS,
                     help=f"refuse experiments of more runs (default {MAX_RUNS:,})")  # fmt: skip
    run.set_defaults(command=_run, resume_hint=RESUME_RUNS)

    calibrate = command("calibrate", "ABC-SMC calibration to the observed figures")
    calibrate.add_argument("config", nargs="?", type=Path, default=None, metavar="CONFIG")
    calibrate.add_argument("--scheduler", help="Dask scheduler address, tcp://HOST:PORT")
    calibrate.add_argument("--resume", action="store_true", help="continue the last run")
    calibrate.add_argument("--workers", type=int, help="worker processes (default: all cores)")
    calibrate.add_argument("--out", type=Path, default=Path("results/calibration"))
    calibrate.set_defaults(
        command=_calibrate,
        resume_hint="finished generations are kept in the history: add --resume to continue",
    )

    sbc = command("sbc", "simulation-based calibration: does the calibration cover the truth?")
    sbc.add_argument("config", nargs="?", type=Path, default=None, metavar="CONFIG")
    sbc.add_argument("--datasets", type=int, help="synthetic data sets (default: the [sbc] table)")
    sbc.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                     help="data sets calibrated at once (default: all cores)")  # fmt: skip
    sbc.add_argument("--resume", action="store_true", help="skip the data sets already done")
    sbc.add_argument("--out", type=Path, default=Path("results/calibration"))
    sbc.set_defaults(
        command=_sbc,
        resume_hint="finished data sets are kept in sbc.partial.csv: add --resume to continue",
    )

    forecast = command("forecast", "the path to 250 jobs from the posterior")
    forecast.add_argument("--policy", type=Path, default=None, help="experiment file of scenarios")
    forecast.add_argument("--until", default="2030-12-31", help="last date (default 2030-12-31)")
    forecast.add_argument("--draws", type=int, default=40, help="posterior draws (default 40)")
    forecast.add_argument(
        "--ways", type=int, default=2,
        help="implementation draws per posterior draw (default 2)",
    )  # fmt: skip
    forecast.add_argument(
        "--seeds", type=int, default=2,
        help="runs (seeds) per implementation draw (default 2)",
    )  # fmt: skip
    forecast.add_argument("--out", type=Path, default=Path("results/forecast"))
    forecast.add_argument("--posterior", type=Path, help="posterior file (default: committed)")
    forecast.add_argument("--workers", type=int, help="worker processes (default: all cores)")
    forecast.add_argument("--scheduler", help="Dask scheduler address, tcp://HOST:PORT")
    forecast.add_argument("--no-figures", action="store_true", help="skip figures and report")
    forecast.add_argument("--max-runs", type=int, default=MAX_RUNS,
                          help=f"refuse forecasts of more runs (default {MAX_RUNS:,})")  # fmt: skip
    forecast.set_defaults(command=_forecast, resume_hint=RESUME_RUNS)

    validate = command("validate", "score a forecast against figures observed after it")
    validate.add_argument("observed", type=Path, metavar="OBSERVED.toml")
    validate.add_argument(
        "--forecast", type=Path, required=True, metavar="DIR", help="the forecast's folder"
    )
    validate.add_argument(
        "--out", type=Path, help="where validation.csv goes (default: the forecast's folder)"
    )
    validate.add_argument("--no-figures", action="store_true", help="skip the figure and report")
    validate.set_defaults(command=_validate)

    report = command("report", "the policy report of a results directory (HTML)")
    report.add_argument("results", type=Path, metavar="RESULTS_DIR")
    report.add_argument("--lang", choices=("en", "nl"), default="en")
    report.add_argument("--out", type=Path, help="HTML file (default: RESULTS_DIR/report.html)")
    report.set_defaults(command=_report)

    bench = command("bench", "time one replicate to 2030-12-31 and one to 2023-03-31")
    bench.add_argument("--repeats", type=int, default=15, help="timed runs (default 15)")
    bench.add_argument(
        "--anchors", type=Path, help="folder of the speed anchors (shared/bench) to time alongside"
    )
    bench.set_defaults(command=_bench)

    dashboard = sub.add_parser("dashboard", help="the what-if dashboard in the browser")
    dashboard.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    dashboard.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    dashboard.add_argument("--lang", choices=("nl", "en"), default="nl", help="language")
    dashboard.add_argument(
        "--out", type=Path, default=Path("results/dashboard"), help="saved experiments, reports"
    )
    dashboard.add_argument("--workers", type=int, help="worker processes (default: all cores)")
    dashboard.set_defaults(command=_dashboard)
    return parser


def _check_workers(workers: int | None) -> None:
    if workers is not None:
        whole_number(workers, at_least=1, at_most=MAX_WORKERS, source="--workers")


def _check_scheduler(address: str | None) -> None:
    if address is not None:
        scheduler_address(address)


def _check_max_runs(value: int) -> int:
    return whole_number(value, at_least=1, source="--max-runs")


def _run(args: argparse.Namespace) -> int:
    from sim.config.locations import output_folder
    from sim.experiment import load_experiment
    from sim.runner import run_experiment
    from sim.store import OUTPUTS_BYTES

    max_runs = _check_max_runs(args.max_runs)
    experiment = load_experiment(
        config_file(args.config), max_runs=max_runs, replicates=args.replications
    ).with_settings(seed=args.seed, until=args.until, samples=args.samples, max_runs=max_runs)
    _check_workers(args.workers)
    _check_scheduler(args.scheduler)
    out = output_folder(args.out if args.out is not None else Path("results") / experiment.name)
    report = run_experiment(
        experiment,
        out,
        workers=args.workers,
        scheduler=args.scheduler,
        reserve_bytes=0 if args.no_figures else OUTPUTS_BYTES,
    )
    _say_run(experiment.name, report, out)
    if experiment.is_analysis:
        from sim.analysis import write_analysis

        written = write_analysis(out, experiment, figures=not args.no_figures)
    else:
        written = write_outputs(out, figures=not args.no_figures)
    for path in written:
        _Output.say(f"  {path}")
    return 0


def _say_run(name: str, report: Any, out: Path) -> None:
    _Output.say(
        f"{name}: {report.runs_done} runs in {report.seconds:.1f} s on "
        f"{report.workers} ({report.runs_skipped} already done) -> {out}"
    )
    if report.redone:
        keys = sorted({damage.key for damage in report.redone})
        _Output.say(f"  redone, as a part was missing or damaged: {len(keys)} run(s)")
        for damage in report.redone:
            _Output.say(f"    {damage}")


def _sbc(args: argparse.Namespace) -> int:
    from sim.calibration.fit import DEFAULT_CONFIG as CALIBRATION
    from sim.calibration.sbc import check_calibration

    _check_workers(args.workers)
    if args.datasets is not None:
        whole_number(args.datasets, at_least=2, source="--datasets")
    result = check_calibration(
        config_file(args.config, CALIBRATION),
        out_dir=args.out,
        datasets=args.datasets,
        workers=args.workers,
        resume=args.resume,
    )
    section = result.section
    _Output.say(
        f"simulation-based calibration: {section['datasets']} data sets in "
        f"{result.seconds:.0f} s; the truth inside its 50% interval "
        f"{section['coverage50']:.0%} of the time, inside its 90% interval "
        f"{section['coverage90']:.0%} (a calibrated method: 50% and 90%)"
    )
    for path in result.files:
        _Output.say(f"  {path}")
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    from sim.calibration.fit import DEFAULT_CONFIG as CALIBRATION
    from sim.calibration.fit import describe, run_calibration

    _check_workers(args.workers)
    _check_scheduler(args.scheduler)
    result = run_calibration(
        config_file(args.config, CALIBRATION),
        scheduler=args.scheduler,
        resume=args.resume,
        out_dir=args.out,
        workers=args.workers,
    )
    for line in describe(result):
        _Output.say(line)
    return 0


def _forecast(args: argparse.Namespace) -> int:
    from sim.calibration.fit import DEFAULT_POSTERIOR, load_posterior
    from sim.config.locations import output_folder
    from sim.experiment import load_experiment
    from sim.forecast import (
        TIMESERIES_NEEDED,
        Design,
        forecast_experiment,
        forecast_table,
        p250_table,
        posterior_provenance,
        variance_table,
    )
    from sim.runner import run_experiment
    from sim.store import OUTPUTS_BYTES, read_table

    max_runs = _check_max_runs(args.max_runs)
    _check_workers(args.workers)
    _check_scheduler(args.scheduler)
    policy = load_experiment(config_file(args.policy, GROWTH_SCENARIOS), max_runs=max_runs)
    policy = policy.with_settings(until=args.until)
    for option in ("ways", "seeds"):
        whole_number(getattr(args, option), at_least=1, source=f"--{option}")
    # Each run of the design runs once in every scenario (and sweep sample) of the policy.
    per_draw = len(policy.scenarios) * len(policy.samples) * args.ways * args.seeds
    draws = whole_number(
        args.draws, at_least=1, at_most=max(max_runs // per_draw, 1),
        raise_with="--max-runs", source="--draws",
    )  # fmt: skip
    design = Design(draws, args.ways, args.seeds)
    posterior_path = args.posterior or DEFAULT_POSTERIOR
    posterior = load_posterior(posterior_path)
    out = output_folder(args.out)
    experiment = forecast_experiment(
        policy, posterior, design, provenance=posterior_provenance(posterior_path, posterior)
    )
    report = run_experiment(
        experiment,
        out,
        workers=args.workers,
        scheduler=args.scheduler,
        reserve_bytes=OUTPUTS_BYTES,
    )
    _say_run(experiment.name, report, out)
    ts = read_table(out, "timeseries", columns=TIMESERIES_NEEDED)
    written = [out / "forecast.csv", out / "p250.csv", out / "variance.csv"]
    forecast_table(ts, experiment.until).to_csv(written[0], index=False)
    target = experiment.params(next(iter(experiment.scenarios))).job_ceiling_max
    p250_table(ts, experiment.until, target).to_csv(written[1], index=False)
    variance_table(ts, design, experiment.until).to_csv(written[2], index=False)
    fit = _calibration_fit()
    if fit is not None:
        written.append(out / "ppc.csv")
        fit.to_csv(written[-1], index=False)
    written += write_outputs(out, figures=not args.no_figures)
    for path in written:
        _Output.say(f"  {path}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from sim.validation import validate_forecast

    result = validate_forecast(args.observed, args.forecast, args.out, figures=not args.no_figures)
    table = result.table
    _Output.say(
        f"forecast {args.forecast}: made {result.made or 'at an unknown time'} from the posterior "
        f"with SHA-256 {result.posterior_sha256 or 'unknown'}; calibrated on figures up to "
        f"{result.origin}"
    )
    for (day, quantity), rows in table.groupby(["date", "quantity"], sort=False):
        value = float(rows["value"].iloc[0])
        _Output.say(f"  {quantity} on {day}: observed {value:,.0f}")
        for row in rows.itertuples():
            scores = [row.crps_persistence, row.crps_trend, row.crps_policy]
            hand = min((v for v in scores if v == v), default=float("nan"))  # NaN: none
            _Output.say(
                f"    {row.scenario}: PIT {row.pit:.2f}, inside 50/80/95%: "
                f"{'/'.join('yes' if v else 'no' for v in (row.in50, row.in80, row.in95))}, "
                f"CRPS {row.crps:.1f} (best hand-made forecast {hand:.1f})"
            )
    for path in result.written:
        _Output.say(f"  {path}")
    return 0


def _calibration_fit():
    """The calibration's predictive check: the last run's, else the committed copy."""
    import pandas as pd

    for path in (Path("results/calibration/ppc.csv"), REPO_ROOT / "calibration" / "ppc.csv"):
        if path.exists():
            return pd.read_csv(path)
    return None


def _report(args: argparse.Namespace) -> int:
    from sim.config.locations import output_file
    from sim.report import write_report

    if args.out is not None:
        output_file(args.out)
    path = write_report(args.results, out=args.out, lang=args.lang)
    _Output.say(f"  {path}")
    return 0


def write_outputs(directory: Path, *, figures: bool = True) -> list[Path]:
    """Write summary.csv, the figures and the report of a finished results directory."""
    from sim.store import shared_reads

    with shared_reads():  # the summary, figures and report read each table once
        return _write_outputs(directory, figures=figures)


def _write_outputs(directory: Path, *, figures: bool) -> list[Path]:
    from sim.store import read_table
    from sim.summary import summarise

    summary = summarise(read_table(directory, "runs"), read_table(directory, "years"))
    path = directory / "summary.csv"
    summary.to_csv(path, index=False)
    written = [path]
    if figures:
        from sim.figures import save_figures
        from sim.store import read_manifest
        from sim.wijken import Area

        ts = read_table(directory, "timeseries")
        by_wijk = read_table(directory, "by_wijk")
        manifest = read_manifest(directory)
        recorded = manifest.get("areas")
        areas = [Area(**area) for area in recorded] if recorded else None
        target = int(manifest.get("target_jobs", 250))
        written += save_figures(ts, by_wijk, directory / "figures", areas=areas, target=target)
        from sim.report import write_report

        written.append(write_report(directory))
    return written


def _bench(args: argparse.Namespace) -> int:
    from sim.bench import (
        CALIBRATION_UNTIL,
        bench_replicate,
        compare_with_anchor,
        time_anchor,
    )
    from sim.simulation import DEFAULT_UNTIL

    whole_number(args.repeats, at_least=1, at_most=MAX_REPEATS, source="--repeats")
    scripts = ("numpy_bound.py", "naive_mesa.py")
    if args.anchors is not None:
        for script in scripts:
            if not (args.anchors / script).is_file():
                raise ConfigError(
                    f"holds no {script}: give the folder of the speed anchors (shared/bench)",
                    source=str(args.anchors),
                )
    if args.anchors is None:
        for until in (DEFAULT_UNTIL, CALIBRATION_UNTIL):
            result = bench_replicate(repeats=args.repeats, until=until)
            _Output.say(
                f"one run 2020-03-01..{until}: median {result.median_seconds:.4f} s "
                f"(min {result.min_seconds:.4f} s, {result.runs} runs)"
            )
        return 0
    comparison = compare_with_anchor(args.anchors, repeats=args.repeats)
    anchor = comparison.anchor_median
    anchor_times = ", ".join(f"{t:.4f}" for t in comparison.anchor_seconds)
    for label, result in (
        ("one replicate 2020-03-01..2030-12-31", comparison.replicate),
        (f"one simulation 2020-03-01..{CALIBRATION_UNTIL}", comparison.calibration),
        (
            f"one calibration evaluation 2020-03-01..{comparison.evaluation_until} "
            "(calibration/hanze.toml, a prior draw)",
            comparison.evaluation,
        ),
    ):
        _Output.say(
            f"{label}: median {result.median_seconds:.4f} s (min {result.min_seconds:.4f} s, "
            f"{result.runs} runs) = {comparison.ratio(result):.2f}x the numpy anchor"
        )
    recipients = comparison.replicate.recipients
    _Output.say(
        f"anchor numpy_bound.py ({recipients} recipients x {comparison.replicate.weeks} weeks): "
        f"median {anchor:.4f} s of {len(comparison.anchor_seconds)} ({anchor_times})"
    )
    started = time.perf_counter()
    seconds = time_anchor(args.anchors / "naive_mesa.py", recipients, comparison.replicate.weeks)
    _Output.say(
        f"anchor naive_mesa.py: {seconds:.4f} s -> one replicate is "
        f"{comparison.replicate.median_seconds / seconds:.3f}x its time "
        f"(timed once, in {time.perf_counter() - started:.0f} s)"
    )
    before, after = comparison.load_average
    _Output.say(
        f"load average (1 min) {before:.1f} before, {after:.1f} after, on {os.cpu_count()} cores"
    )
    return 0


def _dashboard(args: argparse.Namespace) -> int:
    _check_workers(args.workers)
    whole_number(args.port, at_least=1, source="--port")
    from sim.dashboard.server import serve

    serve(host=args.host, port=args.port, lang=args.lang, out=args.out, workers=args.workers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
