"""Real-browser fixtures: a fresh ``streamlit run`` server and Debian's Chromium via playwright.

On CI (``CI=true``) a missing browser or playwright is a failure, not a skip.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests must run on CI: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_streamlit(log, timeout: float = 60.0) -> tuple[subprocess.Popen, str]:
    """Start ``streamlit run app.py`` headless on a free loopback port, writing its output
    to the open file ``log``; return the process and its base URL once it is healthy."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true",
         f"--server.port={port}", "--server.address=127.0.0.1",
         "--browser.gatherUsageStats=false", "--server.fileWatcherType=none"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"streamlit did not start (see {log.name})")
        time.sleep(0.2)


def stop_streamlit(proc: subprocess.Popen) -> None:
    """Terminate the server (kill it if it does not stop within 10 s)."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextlib.contextmanager
def streamlit_server(timeout: float = 60.0) -> Iterator[str]:
    """A fresh ``streamlit run app.py`` server for the duration of the block; yields its URL."""
    SHOTS.parent.mkdir(exist_ok=True)
    log_path = SHOTS.parent / f".server-{os.getpid()}-{time.monotonic_ns()}.log"
    with open(log_path, "w") as log:
        proc, url = start_streamlit(log, timeout)
        try:
            yield url
        finally:
            stop_streamlit(proc)
    log_path.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install -e '.[test]')")
    if not Path(CHROMIUM).exists():
        _missing("Debian's chromium is not installed (apt-get install -y chromium)")
    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """One fresh server per test module."""
    SHOTS.mkdir(exist_ok=True)
    with streamlit_server() as url:
        yield url


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.js_errors = errors
    yield pg
    ctx.close()


def wait_idle(pg, timeout: float = 60_000) -> None:
    """Wait until the script has finished its run (and give plotly a moment to draw)."""
    pg.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    pg.wait_for_timeout(300)
    pg.wait_for_selector(IDLE, timeout=timeout)
    pg.wait_for_timeout(700)


def wait_for_chart(pg, script: str, differs_from: str | None = None,
                   timeout: float = 60_000) -> str:
    """Wait until the JS expression ``script`` (an arrow function returning a string or
    null) returns a value, different from ``differs_from`` when given; return it.

    Charts appear after the script reports idle (plotly draws asynchronously), so tests
    wait for the chart data they assert on rather than for the idle flag or a sleep.
    """
    body = script.strip()
    prev = json.dumps(differs_from)
    pg.wait_for_function(f"(() => {{ const v = ({body})(); return v && v !== {prev}; }})",
                         timeout=timeout)
    return pg.evaluate(script)


def assert_no_exception(pg) -> None:
    """No Streamlit exception box and no traceback on the page."""
    assert pg.locator("[data-testid='stException']").count() == 0, pg.inner_text("body")[:2000]
    assert "Traceback" not in pg.inner_text("body")


# every figure's traces, without plotly's per-session bookkeeping (uid)
CHART_DATA = """() => JSON.stringify([...document.querySelectorAll('.js-plotly-plot')].map(
  p => (p.data || []).map(t => Object.fromEntries(Object.entries(t).filter(([k]) => k !== 'uid')))
))"""


def slider(pg, label: str):
    """The Streamlit slider whose label contains ``label``."""
    return pg.locator("[data-testid='stSlider']", has_text=label).first


def slider_value(pg, label: str) -> str:
    """The value a slider's thumb shows."""
    return slider(pg, label).locator("[data-testid='stSliderThumbValue']").inner_text()


def chart_data(pg, n: int = 1) -> str:
    """All plotly traces of the page as JSON, once at least ``n`` charts are drawn."""
    pg.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    pg.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {n}",
        timeout=60_000)
    pg.wait_for_timeout(500)
    return pg.evaluate(CHART_DATA)
