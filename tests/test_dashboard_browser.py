"""The dashboard in a real browser: headless Debian Chromium driven by Playwright.

The server runs as ``basisbaan dashboard`` in a subprocess on a free port of
127.0.0.1. The tests check that the page loads and answers, that moving a lever
changes the chart and the numbers, that a lever out of range is named in the page's
language, that the language switch works, that one run can be stepped up close, and
that no request leaves 127.0.0.1 (every script, style and font is served locally).
Screenshots are saved in the tests' temporary directory (and in $DASHBOARD_SHOTS when
set). They skip, saying so, only when no Chromium binary can be found (``.ci/run``
installs Debian's ``chromium``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ANSWER_SECONDS = 420  # 40 draws and their figures, on a busy 2-core machine
LOCAL = ("http://127.0.0.1:", "ws://127.0.0.1:", "data:", "blob:", "about:")


def find_browser() -> str | None:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


BROWSER = find_browser()
pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="no Chromium binary on PATH (.ci/run installs Debian's chromium)"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    out = tmp_path_factory.mktemp("dashboard")
    port = free_port()
    log = (out / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "sim.cli", "dashboard", "--port", str(port), "--out", str(out)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600  # the workers start and compute the announced policy
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        assert process.poll() is None, (out / "server.log").read_text()
        time.sleep(0.5)
    yield url, out
    workers = children(process.pid)
    process.terminate()
    process.wait(timeout=60)
    log.close()
    # Stopped by a signal, the dashboard shuts its worker processes down too.
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not [pid for pid in workers if alive(pid)]


def alive(pid: int) -> bool:
    """Whether a process runs (an exited one not yet reaped by its new parent does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux /proc; none elsewhere)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=BROWSER, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    url, _ = server
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.requests = []  # type: ignore[attr-defined]
    page.on("request", lambda request: page.requests.append(request.url))
    page.goto(url + "/")
    yield page
    page.close()


def shot(page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=tmp_path / f"{name}.png", full_page=True)
    if os.environ.get("DASHBOARD_SHOTS"):
        Path(os.environ["DASHBOARD_SHOTS"]).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(os.environ["DASHBOARD_SHOTS"]) / f"{name}.png", full_page=True)


def answered(page) -> dict[str, str]:
    """Wait until every draw is in and every answer drawn; the numbers and chart then."""
    page.wait_for_selector(".status-done", timeout=ANSWER_SECONDS * 1000)
    page.wait_for_selector("img[data-figure='wijk_map']", timeout=ANSWER_SECONDS * 1000)
    return {
        "difference": page.inner_text(".difference"),
        "chances": page.inner_text(".chance >> nth=1"),
        "fan": page.get_attribute("img[data-figure='employed_fan']", "src") or "",
        "findings": page.inner_text(".answer-employed_fan"),
    }


def test_the_page_answers_and_a_lever_changes_chart_and_numbers(page, tmp_path):
    before = answered(page)
    assert "aangekondigd beleid:" in before["findings"]  # Dutch by default
    assert "uw keuze:" in before["findings"]
    for figure in ("reach_probability", "binding_constraints", "cost_per_year", "cost_by_payer"):
        assert page.locator(f"img[data-figure='{figure}']").count() == 1
    shot(page, tmp_path, "dashboard_nl")

    target = page.locator(".lever-target_jobs input")
    target.fill("300")
    target.press("Enter")
    page.wait_for_function(
        "text => document.querySelector('.difference') && "
        "document.querySelector('.difference').innerText !== text",
        arg=before["difference"],
        timeout=ANSWER_SECONDS * 1000,
    )
    after = answered(page)
    page.wait_for_function(
        "src => document.querySelector(\"img[data-figure='employed_fan']\").src !== src",
        arg=before["fan"],
        timeout=ANSWER_SECONDS * 1000,
    )
    assert after["difference"] != before["difference"]
    assert page.get_attribute("img[data-figure='employed_fan']", "src") != before["fan"]
    assert (
        page.locator(".lever-growth_by_year-2024 input").input_value() == "62.5"
    )  # (300 - 50) / 4 years
    shot(page, tmp_path, "dashboard_lever_moved")
    assert_local(page)


def test_a_lever_out_of_range_and_the_language_switch(page, tmp_path):
    # The page first draws its answer: a value typed before may be replaced by that
    # render (a race seen once in CI), so the lever is moved on the finished page.
    answered(page)
    coaches = page.locator(".lever-coaches_by_year-2025 input")
    coaches.fill("-3")
    coaches.press("Enter")
    page.wait_for_selector(".error-coaches_by_year", timeout=60_000)
    assert "moet tussen 0 en" in page.inner_text(".error-coaches_by_year")
    assert "Pas eerst de knoppen aan" in page.inner_text(".status-errors")

    page.click(".lang-en")
    page.wait_for_selector("text=Levers", timeout=60_000)
    page.wait_for_function(
        "() => document.querySelector('.error-coaches_by_year').innerText"
        ".includes('must be between 0 and')",
        timeout=60_000,
    )
    coaches.fill("2")
    coaches.press("Enter")
    page.wait_for_selector(".status-done", timeout=ANSWER_SECONDS * 1000)
    page.wait_for_function(
        "() => document.body.innerText.includes('announced policy: ')",
        timeout=ANSWER_SECONDS * 1000,
    )
    assert "Jobs filled over time" in page.inner_text("body")
    shot(page, tmp_path, "dashboard_en")
    page.click(".lang-nl")
    page.wait_for_selector("text=Knoppen", timeout=60_000)
    assert_local(page)


def test_one_run_up_close_steps_week_by_week(page, server, tmp_path):
    url, _ = server
    page.goto(url + "/run")
    step = page.get_by_role("button", name="Step", exact=True)
    step.wait_for(timeout=120_000)
    page.wait_for_selector(".up-close-week", timeout=120_000)
    first = page.inner_text(".up-close-week")
    step.click()
    page.wait_for_function(
        "text => document.querySelector('.up-close-week').innerText !== text",
        arg=first,
        timeout=120_000,
    )
    assert "2020-03-08" in page.inner_text(".up-close-week")
    shot(page, tmp_path, "up_close")
    assert_local(page)


def assert_local(page) -> None:
    """Every request of the page went to this machine."""
    outside = [url for url in page.requests if not url.startswith(LOCAL)]
    assert page.requests
    assert outside == []


def test_save_as_experiment_and_open_report(page, browser, server):
    from sim.experiment import load_experiment

    url, out = server
    page.wait_for_selector(".status-done", timeout=ANSWER_SECONDS * 1000)
    page.click(".save-experiment")
    page.wait_for_selector(".note", timeout=60_000)
    saved = sorted(out.glob("dashboard_*.toml"))
    assert saved, page.inner_text(".note")
    experiment = load_experiment(saved[-1])
    assert set(experiment.scenarios) == {"announced", "chosen"}

    page.click(".open-report")
    link = page.wait_for_selector("a.report-link", timeout=ANSWER_SECONDS * 1000)
    href = link.get_attribute("href")
    assert href is not None
    assert href.endswith("/report.html")
    report = browser.new_page()
    report.goto(url + href)
    assert "chosen" in report.inner_text("body")
    report.close()
    assert_local(page)
