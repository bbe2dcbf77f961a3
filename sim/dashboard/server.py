"""Serving the dashboard: Solara on this machine, every asset served locally, nothing sent out.

:func:`serve` sets Solara up before importing it (the settings are read at import):
the app is :mod:`sim.dashboard.app`; the page's scripts, styles and fonts come from
the ``solara-assets`` copy in the environment (Solara's asset route), and the server
never fetches a missing one from a CDN, so the page works without internet; Solara's
usage statistics are switched off. Saved experiments and reports are served from
``out`` under :data:`sim.dashboard.app.REPORTS_URL`. The server binds to 127.0.0.1
unless told otherwise, with a warning.
"""

from __future__ import annotations

import os
import signal
import sys
import warnings
from pathlib import Path

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


class AssetMissingError(RuntimeError):
    """An asset the page asked for is not in the local copy (nothing is downloaded)."""


def configure(lang: str, out: Path) -> None:
    """Set Solara's and the app's settings in the environment (before Solara is imported)."""
    os.environ["SOLARA_APP"] = "sim.dashboard.app"
    os.environ["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "false"
    os.environ["SOLARA_ASSETS_PROXY"] = "true"  # the page asks this server for its assets
    os.environ["SOLARA_MODE"] = "production"
    os.environ["BASISBAAN_DASHBOARD_LANG"] = lang
    os.environ["BASISBAAN_DASHBOARD_OUT"] = str(out)


def _refuse(url: str) -> bytes:
    raise AssetMissingError(
        f"{url} is not in the local copy of Solara's assets: install solara-assets "
        "(pip install -e .); the dashboard downloads nothing"
    )


def app(lang: str = "nl", out: Path = Path("results/dashboard")):
    """The dashboard's ASGI app (Solara's, with the saved files served from ``out``)."""
    configure(lang, out)
    import solara.server.cdn_helper as cdn_helper
    from solara.server.starlette import app as solara_app
    from starlette.routing import Mount
    from starlette.staticfiles import StaticFiles

    from sim.dashboard.app import REPORTS_URL

    cdn_helper.fetch_from_cdn = _refuse  # offline: never download a missing asset
    out.mkdir(parents=True, exist_ok=True)
    if not any(getattr(route, "path", "") == REPORTS_URL for route in solara_app.router.routes):
        solara_app.router.routes.insert(0, Mount(REPORTS_URL, app=StaticFiles(directory=out)))
    return solara_app


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    lang: str = "nl",
    out: Path = Path("results/dashboard"),
    workers: int | None = None,
) -> None:
    """Start the worker processes and serve the dashboard until interrupted."""
    if host not in LOCAL_HOSTS:
        print(
            f"basisbaan dashboard: warning: listening on {host}, so other machines that can "
            "reach this one can open the dashboard and start computations",
            file=sys.stderr,
        )
    asgi = app(lang, out)
    import uvicorn

    from sim.dashboard import app as dashboard

    if workers is not None:
        dashboard.ENGINE.workers = workers
    print(f"basisbaan dashboard: starting {dashboard.ENGINE.workers} worker processes ...")
    dashboard.ENGINE.start()
    print(
        f"basisbaan dashboard: computing the announced policy ({dashboard.DEFAULT_DRAWS} "
        "posterior draws), so that the page answers at once ...",
        flush=True,
    )
    dashboard.warm_up()
    shown = f"[{host}]" if ":" in host else host
    print(f"basisbaan dashboard: open http://{shown}:{port}/ (Ctrl-C stops it)", flush=True)
    # uvicorn stops on SIGTERM and then raises the signal again: handled here as an exit,
    # so that the worker processes are shut down rather than left behind.
    signal.signal(signal.SIGTERM, _exit)
    # Solara warns on every page load that its session cookie falls back to SameSite=Lax
    # over http: what a dashboard on 127.0.0.1 wants, and nothing a user should act on.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    try:
        uvicorn.run(asgi, host=host, port=port, log_level="warning")
    finally:
        dashboard.ENGINE.close()


def _exit(signum: int, frame: object) -> None:
    raise SystemExit(0)
