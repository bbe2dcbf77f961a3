"""The report in a real browser: headless Chromium loads it without errors, every figure
shows with a size, and both languages render.

Chromium is driven through its DevTools protocol over a pipe (``--remote-debugging-pipe``:
JSON messages separated by NUL bytes on file descriptors 3 and 4), so no extra package
is needed. Console errors, uncaught exceptions and failed loads (a broken image) are
collected from the protocol's events, and a page known to be broken checks that the
checks can fail. Screenshots are saved in the test's temporary directory. The tests
skip, saying so, only when no Chromium binary can be found (``.ci/run`` installs
Debian's ``chromium`` where it is missing).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import signal
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from tests.test_report import FIGURES, build_tiny_results, tiny_report

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
WIDTH = 1280
TIMEOUT = 30.0


def find_browser() -> str | None:
    """A Chromium binary on PATH (or named by $CHROMIUM), None when there is none."""
    named = os.environ.get("CHROMIUM")
    if named and shutil.which(named):
        return shutil.which(named)
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


class Chromium:
    """Headless Chromium driven over the DevTools pipe."""

    def __init__(self, binary: str, profile: Path):
        low_read, self._commands = os.pipe()
        self._replies, low_write = os.pipe()
        commands_read = fcntl.fcntl(low_read, fcntl.F_DUPFD, 10)
        replies_write = fcntl.fcntl(low_write, fcntl.F_DUPFD, 10)
        os.close(low_read)
        os.close(low_write)
        args = [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            "--remote-debugging-pipe",
            "about:blank",
        ]

        # The protocol pipe must be fds 3 (commands in) and 4 (replies out) in the browser.
        # posix_spawn applies these actions in order; both ends sit above 10 here, so the
        # two dup2 actions cannot clobber each other. Other descriptors close on exec.
        self.pid = os.posix_spawn(
            binary,
            args,
            os.environ,
            file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
                (os.POSIX_SPAWN_DUP2, commands_read, 3),
                (os.POSIX_SPAWN_DUP2, replies_write, 4),
            ],
        )
        os.close(commands_read)
        os.close(replies_write)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> int:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        return self._next

    def wait_for(self, predicate, timeout: float = TIMEOUT) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "method" in message:
                    self.events.append(message)
                if predicate(message):
                    return message
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer in time")
            ready, _, _ = select.select([self._replies], [], [], left)
            if ready:
                chunk = os.read(self._replies, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                self._buffer += chunk

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None):
        number = self.send(method, params, session)
        reply = self.wait_for(lambda m: m.get("id") == number)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def open(self, url: str, height: int = 900) -> Page:
        """A new tab showing ``url``, loaded, with console and log events switched on."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Runtime.enable", "Log.enable", "Page.enable"):
            self.call(domain, session=session)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session,
        )
        self.call("Page.navigate", {"url": url}, session)
        self.wait_for(
            lambda m: m.get("method") == "Page.loadEventFired" and m.get("sessionId") == session
        )
        return Page(self, session)

    def close(self) -> None:
        """Ask the browser to quit; kill it when it does not within ten seconds."""
        with contextlib.suppress(OSError):
            self.send("Browser.close")
        deadline = time.monotonic() + 10
        while os.waitpid(self.pid, os.WNOHANG) == (0, 0):
            if time.monotonic() > deadline:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
                break
            time.sleep(0.05)
        os.close(self._commands)
        os.close(self._replies)


class Page:
    """One loaded tab."""

    def __init__(self, browser: Chromium, session: str):
        self.browser = browser
        self.session = session

    def evaluate(self, expression: str) -> Any:
        result = self.browser.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            self.session,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and failed loads of this tab."""
        found = []
        for event in self.browser.events:
            if event.get("sessionId") != self.session:
                continue
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                found.append(
                    f"exception: {details.get('exception', {}).get('description', details['text'])}"
                )
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(
                    "console.error: " + " ".join(str(a.get("value")) for a in params["args"])
                )
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                entry = params["entry"]
                found.append(f"log: {entry['text']} {entry.get('url', '')}".strip())
        return found

    def screenshot(self, path: Path) -> Path:
        """The whole page as PNG."""
        data = self.browser.call(
            "Page.captureScreenshot",
            {"format": "png", "captureBeyondViewport": True},
            self.session,
        )["data"]
        path.write_bytes(base64.b64decode(data))
        return path


FIGURES_JS = """
JSON.stringify([...document.querySelectorAll('figure[data-figure]')].map(f => {
  const img = f.querySelector('img');
  const box = img ? img.getBoundingClientRect() : {width: 0, height: 0};
  return {key: f.dataset.figure, complete: !!img && img.complete,
          naturalWidth: img ? img.naturalWidth : 0, naturalHeight: img ? img.naturalHeight : 0,
          width: box.width, height: box.height, alt: img ? img.alt : ''};
}))
"""
PAGE_JS = """
JSON.stringify({lang: document.documentElement.lang, title: document.title,
  sections: [...document.querySelectorAll('main section[id]')].map(s => s.id),
  h2: [...document.querySelectorAll('h2')].map(h => h.textContent),
  height: document.documentElement.scrollHeight,
  headlineRows: document.querySelectorAll('#headline tbody tr').length,
  headlineColumns: document.querySelectorAll('#headline thead th').length,
  stylesheets: document.styleSheets.length,
  external: [...document.querySelectorAll('[src], link[href]')]
    .map(e => e.getAttribute('src') || e.getAttribute('href'))
    .filter(u => !u.startsWith('data:'))})
"""
BROKEN_PAGE = """<!DOCTYPE html><html lang="en"><body>
<figure data-figure="broken"><img alt="x" src="missing.png"></figure>
<script>console.error("deliberate error"); notDefined();</script></body></html>"""


@pytest.fixture(scope="module")
def browser():
    binary = find_browser()
    if binary is None:
        pytest.skip(
            "SKIPPED: no Chromium binary found (tried $CHROMIUM and "
            + ", ".join(BROWSERS)
            + "); install Debian's 'chromium' package (.ci/run does) to run the browser test"
        )
    profile = Path(tempfile.mkdtemp(prefix="report-chromium-"))
    chromium = Chromium(binary, profile)
    try:
        yield chromium
    finally:
        chromium.close()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def tiny_results(tmp_path_factory) -> Path:
    return build_tiny_results(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def reports(tiny_results, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("browser")
    reports = {}
    for lang in ("en", "nl"):
        reports[lang] = out / f"report_{lang}.html"
        reports[lang].write_text(tiny_report(tiny_results, lang), encoding="utf-8")
    return reports


def test_checks_catch_a_broken_page(browser, tmp_path):
    """The console, exception and image checks report a page known to be broken."""
    page_file = tmp_path / "broken.html"
    page_file.write_text(BROKEN_PAGE, encoding="utf-8")
    page = browser.open(page_file.as_uri())
    figures = json.loads(page.evaluate(FIGURES_JS))
    errors = page.errors()
    assert figures[0]["naturalWidth"] == 0
    assert any("deliberate error" in e for e in errors)
    assert any("notDefined" in e for e in errors)
    assert any("missing.png" in e for e in errors)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_report_renders_in_chromium(browser, reports, lang, tmp_path):
    """Loads without console errors; every figure is there with a non-zero size."""
    page = browser.open(reports[lang].as_uri())
    info = json.loads(page.evaluate(PAGE_JS))
    figures = json.loads(page.evaluate(FIGURES_JS))
    shot = page.screenshot(tmp_path / f"report_{lang}.png")

    assert page.errors() == []
    assert info["lang"] == lang
    assert info["sections"] == ["s1", "s2", "s3", "s4", "s5", "s6"]
    assert info["external"] == [], "the report must not load anything from outside itself"
    assert info["stylesheets"] == 1
    assert info["headlineRows"] == 5 + 2  # 1 January 2021-2025, year of 250, share reaching it
    assert info["headlineColumns"] == 1 + 2  # the year, then a column per scenario
    assert {f["key"] for f in figures} == FIGURES
    for figure in figures:
        assert figure["complete"], figure["key"]
        assert figure["naturalWidth"] > 100, figure
        assert figure["naturalHeight"] > 100, figure
        assert figure["width"] > 100, figure
        assert figure["height"] > 100, figure
        assert figure["alt"], figure["key"]
    heading = {"en": "1. When do we reach 250 jobs?", "nl": "1. Wanneer zijn er 250 basisbanen?"}
    assert info["h2"][0] == heading[lang]
    assert shot.stat().st_size > 50_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
