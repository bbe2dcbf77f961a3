"""The command line: ``basisbaan run | calibrate | forecast | report | bench | dashboard``.

Bad input (a config error, a foreign results directory) prints one message naming
the file, the key and what is allowed, and exits with status 2 before anything is
written. Ctrl-C stops an experiment; finished runs stay on disk and the same command
resumes it.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from sim.config.checks import whole_number
from sim.config.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = Path("experiments/baseline.toml")
POLICY = Path("experiments/growth_scenarios.toml")

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``basisbaan`` command."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.command(args) or 0)
    except ConfigError as error:
        print(f"basisbaan: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(
            "basisbaan: interrupted; finished runs are saved. Run the same command again to "
            "complete the rest.",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="basisbaan", description="Simulation of the Groningen basisbaan programme."
    )
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run an experiment or config (default: the baseline)")
    run.add_argument("config", nargs="?", type=Path, default=None, metavar="CONFIG")
    run.add_argument("--out", type=Path, help="results directory (default: results/<name>/)")
    run.add_argument("--seed", type=int, help="master seed (overrides the file's)")
    run.add_argument("--replications", type=int, help="replicates per scenario")
    run.add_argument("--until", help="last date, e.g. 2030-12-31")
    run.add_argument("--workers", type=int, help="worker processes (default: all cores)")
    run.add_argument("--scheduler", help="Dask scheduler address, tcp://HOST:PORT")
    run.add_argument("--no-figures", action="store_true", help="skip the figures")
    run.set_defaults(command=_run)

    calibrate = sub.add_parser("calibrate", help="ABC-SMC calibration to the observed figures")
    calibrate.add_argument("config", nargs="?", type=Path, default=None, metavar="CONFIG")
    calibrate.add_argument("--scheduler", help="Dask scheduler address, tcp://HOST:PORT")
    calibrate.add_argument("--resume", action="store_true", help="continue the last run")
    calibrate.add_argument("--workers", type=int, help="worker processes (default: all cores)")
    calibrate.add_argument("--out", type=Path, default=Path("results/calibration"))
    calibrate.set_defaults(command=_calibrate)

    forecast = sub.add_parser("forecast", help="the path to 250 jobs from the posterior")
    forecast.add_argument("--policy", type=Path, default=None, help="experiment file of scenarios")
    forecast.add_argument("--until", default="2030-12-31", help="last date (default 2030-12-31)")
    forecast.add_argument("--draws", type=int, default=100, help="posterior draws (default 100)")
    forecast.add_argument("--out", type=Path, default=Path("results/forecast"))
    forecast.add_argument("--posterior", type=Path, help="posterior file (default: committed)")
    forecast.add_argument("--workers", type=int, help="worker processes (default: all cores)")
    forecast.add_argument("--scheduler", help="Dask scheduler address, tcp://HOST:PORT")
    forecast.add_argument("--no-figures", action="store_true", help="skip figures and report")
    forecast.set_defaults(command=_forecast)

    report = sub.add_parser("report", help="the policy report of a results directory (HTML)")
    report.add_argument("results", type=Path, metavar="RESULTS_DIR")
    report.add_argument("--lang", choices=("en", "nl"), default="en")
    report.add_argument("--out", type=Path, help="HTML file (default: RESULTS_DIR/report.html)")
    report.set_defaults(command=_report)

    bench = sub.add_parser("bench", help="time one replicate to 2030-12-31")
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


def _resolve_config(path: Path | None, default: Path = DEFAULT_CONFIG) -> Path:
    if path is not None:
        return path
    if default.exists():
        return default
    return REPO_ROOT / default


def _check_workers(workers: int | None) -> None:
    if workers is not None:
        whole_number(workers, at_least=1, source="--workers")


def _run(args: argparse.Namespace) -> int:
    from sim.experiment import load_experiment
    from sim.runner import run_experiment
    from sim.store import StoreError

    experiment = load_experiment(_resolve_config(args.config)).with_settings(
        seed=args.seed, replicates=args.replications, until=args.until
    )
    _check_workers(args.workers)
    out = args.out or Path("results") / experiment.name
    try:
        report = run_experiment(experiment, out, workers=args.workers, scheduler=args.scheduler)
    except StoreError as error:
        raise ConfigError(str(error), source="--out") from None
    print(
        f"{experiment.name}: {report.runs_done} runs in {report.seconds:.1f} s on "
        f"{report.workers} ({report.runs_skipped} already done) -> {out}"
    )
    written = write_outputs(out, figures=not args.no_figures)
    for path in written:
        print(f"  {path}")
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    from sim.calibration.fit import DEFAULT_CONFIG as CALIBRATION

    _check_workers(args.workers)
    from sim.calibration.fit import run_calibration

    result = run_calibration(
        _resolve_config(args.config, CALIBRATION),
        scheduler=args.scheduler,
        resume=args.resume,
        out_dir=args.out,
        workers=args.workers,
    )
    print(
        f"{result.name}: {result.total_simulations} simulations in {result.abc_seconds:.0f} s "
        f"({result.simulations_per_second:.0f}/s, {result.generations} generations, "
        f"{result.sampler}); final epsilon {result.final_epsilon:.3g}"
    )
    print(f"  posterior: {result.posterior_path}\n  predictive check: {result.ppc_path}")
    if result.outside_90:
        print(f"  outside their 90% predictive interval: {', '.join(result.outside_90)}")
    return 0


def _forecast(args: argparse.Namespace) -> int:
    from sim.calibration.fit import load_posterior
    from sim.experiment import load_experiment
    from sim.forecast import TIMESERIES_NEEDED, forecast_experiment, forecast_table, p250_table
    from sim.runner import run_experiment
    from sim.store import StoreError, read_table

    _check_workers(args.workers)
    policy = load_experiment(_resolve_config(args.policy, POLICY)).with_settings(until=args.until)
    posterior = load_posterior(args.posterior)
    experiment = forecast_experiment(policy, posterior, args.draws)
    try:
        report = run_experiment(
            experiment, args.out, workers=args.workers, scheduler=args.scheduler
        )
    except StoreError as error:
        raise ConfigError(str(error), source="--out") from None
    print(
        f"{experiment.name}: {report.runs_done} runs in {report.seconds:.1f} s on {report.workers} "
        f"({report.runs_skipped} already done) -> {args.out}"
    )
    ts = read_table(args.out, "timeseries", columns=TIMESERIES_NEEDED)
    written = [args.out / "forecast.csv", args.out / "p250.csv"]
    forecast_table(ts, experiment.until).to_csv(written[0], index=False)
    p250_table(ts, experiment.until).to_csv(written[1], index=False)
    fit = _calibration_fit()
    if fit is not None:
        written.append(args.out / "ppc.csv")
        fit.to_csv(written[-1], index=False)
    written += write_outputs(args.out, figures=not args.no_figures)
    for path in written:
        print(f"  {path}")
    return 0


def _calibration_fit():
    """The calibration's predictive check: the last run's, else the committed copy."""
    import pandas as pd

    for path in (Path("results/calibration/ppc.csv"), REPO_ROOT / "calibration" / "ppc.csv"):
        if path.exists():
            return pd.read_csv(path)
    return None


def _report(args: argparse.Namespace) -> int:
    from sim.report import write_report

    path = write_report(args.results, out=args.out, lang=args.lang)
    print(f"  {path}")
    return 0


def write_outputs(directory: Path, *, figures: bool = True) -> list[Path]:
    """Write summary.csv, the figures and the report of a finished results directory."""
    from sim.store import read_table
    from sim.summary import summarise

    summary = summarise(read_table(directory, "runs"), read_table(directory, "years"))
    path = directory / "summary.csv"
    summary.to_csv(path, index=False)
    written = [path]
    if figures:
        from sim.figures import save_figures

        ts = read_table(directory, "timeseries")
        by_wijk = read_table(directory, "by_wijk")
        written += save_figures(ts, by_wijk, directory / "figures")
        from sim.report import write_report

        written.append(write_report(directory))
    return written


def _bench(args: argparse.Namespace) -> int:
    from sim.bench import bench_replicate, time_anchor

    result = bench_replicate(repeats=args.repeats)
    print(
        f"one replicate 2020-03-01..2030-12-31: median {result.median_seconds:.4f} s "
        f"(min {result.min_seconds:.4f} s, {args.repeats} runs); "
        f"{result.ns_per_recipient_week:.1f} ns per recipient-week "
        f"({result.recipients} recipients x {result.weeks} weeks)"
    )
    if args.anchors:
        for script in ("numpy_bound.py", "naive_mesa.py"):
            started = time.perf_counter()
            seconds = time_anchor(args.anchors / script, result.recipients, result.weeks)
            print(
                f"anchor {script}: {seconds:.4f} s -> this model is "
                f"{result.median_seconds / seconds:.2f}x its time "
                f"(timed in {time.perf_counter() - started:.0f} s)"
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
