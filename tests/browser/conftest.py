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
            proc.wait()
            log.flush()
            try:  # the log is removed with the server: show its end here
                tail = Path(log.name).read_text(errors="replace")[-2000:]
            except (OSError, TypeError):
                tail = f"(see {log.name})"
            raise RuntimeError(f"streamlit did not start; its output:\n{tail}")
        time.sleep(0.2)


def stop_streamlit(proc: subprocess.Popen) -> None:
    """Terminate the server (kill it if it does not stop within 10 s)."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.contextmanager
def streamlit_server(timeout: float = 60.0) -> Iterator[str]:
    """A fresh ``streamlit run app.py`` server for the duration of the block; yields its URL.

    The server's log is kept only while it runs: it is removed however the block ends (a
    failed test included), so a run leaves the tree as it found it."""
    SHOTS.parent.mkdir(exist_ok=True)
    log_path = SHOTS.parent / f".server-{os.getpid()}-{time.monotonic_ns()}.log"
    try:
        with open(log_path, "w") as log:
            proc, url = start_streamlit(log, timeout)
            try:
                yield url
            except BaseException:  # a failing block: keep the server's output in the report
                log.flush()
                print(log_path.read_text(errors="replace")[-3000:], file=sys.stderr)
                raise
            finally:
                stop_streamlit(proc)
    finally:
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
    from playwright.sync_api import expect as _expect
    _expect.set_options(timeout=60_000)  # a page run on a loaded 2-core machine
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield _Browser(b)
        b.close()


#: How long a page action (click, inner_text, ...) may wait, instead of playwright's 30 s:
#: under load a renderer drawing large charts can be busy longer than that.
ACTION_TIMEOUT = 120_000


class _Browser:
    """The browser, whose every context waits up to ``ACTION_TIMEOUT`` for an action."""

    def __init__(self, browser) -> None:
        self._browser = browser

    def new_context(self, **kwargs):
        ctx = self._browser.new_context(**kwargs)
        ctx.set_default_timeout(ACTION_TIMEOUT)
        return ctx

    def __getattr__(self, name):
        return getattr(self._browser, name)


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


def expect(*args, **kwargs):
    """playwright's ``expect`` (imported late: without playwright the tests skip, not error)."""
    from playwright.sync_api import expect as _expect
    return _expect(*args, **kwargs)


def _timeout_error():
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    return PlaywrightTimeout


def main(pg):
    """The page's main area (where every page writes its title, text and figures)."""
    return pg.locator("[data-testid='stMain']")


def wait_idle(pg, timeout: float = 60_000) -> None:
    """Wait until the app is there and no script run is in progress.

    The idle flag alone proves nothing right after a load or an interaction (the run may
    not have started yet): use it after a wait on what the test asserts (``goto_page``,
    ``rerun``, ``chart_data``, ``expect(...)``), never instead of one."""
    pg.wait_for_selector("[data-testid='stApp']", state="attached", timeout=timeout)
    pg.wait_for_selector(IDLE, state="attached", timeout=timeout)


def goto_page(pg, url: str, text: str, timeout: float = 60_000) -> None:
    """Open ``url`` and wait until its main area shows ``text`` (written by the page's
    script run) and that run has finished."""
    pg.goto(url)
    expect(main(pg)).to_contain_text(text, timeout=timeout)
    wait_idle(pg, timeout)


# counts the script runs that ended since it was installed (a run ends when the state
# attribute leaves "running"); the observer sees every change, however short the run
_WATCH_RUNS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  window.__runsEnded = 0;
  if (window.__runObserver) window.__runObserver.disconnect();
  window.__runObserver = new MutationObserver(records => {
    for (const r of records) if (r.oldValue === 'running') window.__runsEnded += 1;
  });
  window.__runObserver.observe(app, {attributes: true, attributeOldValue: true,
                                     attributeFilter: ['data-test-script-state']});
}"""
_RUN_DONE = f"""() => window.__runsEnded > 0 && !!document.querySelector("{IDLE}")"""
_STATE = """() => ({runsEnded: window.__runsEnded, scriptState: document.querySelector(
  "[data-testid='stApp']")?.getAttribute('data-test-script-state')})"""


@contextlib.contextmanager
def rerun(pg, timeout: float = 60_000) -> Iterator[None]:
    """Wait for the script run that the interaction inside the block triggers to finish::

        with rerun(page):
            button.click()
    """
    wait_idle(pg, timeout)
    pg.evaluate(_WATCH_RUNS)
    yield
    try:
        pg.wait_for_function(_RUN_DONE, timeout=timeout)
    except _timeout_error() as exc:  # say what the page was doing
        state = pg.evaluate(_STATE)
        pg.screenshot(path=str(SHOTS / "rerun_timeout.png"))
        raise AssertionError(
            f"no script run ended within {timeout / 1000:g} s of the interaction: "
            f"{state} (a run that never started points at a lost interaction, one still "
            "'running' at a slow server); screenshot rerun_timeout.png") from exc


def runs_ended(pg) -> int:
    """Script runs that ended since the last ``rerun`` / ``watch_runs`` (see there)."""
    return pg.evaluate("() => window.__runsEnded")


def watch_runs(pg) -> None:
    """Start counting script runs (``runs_ended``), e.g. to show that a client-side
    control (plotly's Play) runs no script."""
    pg.evaluate(_WATCH_RUNS)


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


def wait_for_plot_data(pg, plot, timeout: float = 60_000) -> None:
    """Wait until the plotly chart ``plot`` (a locator) has drawn traces with data."""
    plot.locator(".main-svg").first.wait_for(state="visible", timeout=timeout)
    pg.wait_for_function("p => !!(p.data && p.data.length)", arg=plot.element_handle(),
                         timeout=timeout)


def assert_no_exception(pg) -> None:
    """No Streamlit exception box and no traceback on the page."""
    assert pg.locator("[data-testid='stException']").count() == 0, pg.inner_text("body")[:2000]
    assert "Traceback" not in pg.inner_text("body")


# every figure's traces, without plotly's per-session bookkeeping (uid)
CHART_DATA = """() => JSON.stringify([...document.querySelectorAll('.js-plotly-plot')].map(
  p => (p.data || []).map(t => Object.fromEntries(Object.entries(t).filter(([k]) => k !== 'uid')))
))"""

# the figures once settled: no script run in progress, at least n charts drawn with data,
# and the same data at two consecutive polls (charts are drawn one by one, asynchronously)
_SETTLED = f"""([n, differs, equals]) => {{
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  const drawn = plots.filter(p => p.data && p.data.length && p.querySelector('.main-svg'));
  if (!document.querySelector("{IDLE}") || drawn.length < n) {{
    window.__chartPrev = null;
    return false;
  }}
  const v = ({CHART_DATA})();
  if (equals !== null) return v === equals;
  const same = v === window.__chartPrev;
  window.__chartPrev = v;
  return same && v !== differs;
}}"""


def choose(pg, label: str, option: str, timeout: float = 60_000) -> None:
    """Pick ``option`` in the Streamlit selectbox whose label contains ``label``.

    A click that lands while an expander above is still opening (or a rerun redraws the
    box) leaves the list closed; the click is then repeated until the option shows."""
    box = pg.locator("[data-testid='stSelectbox']").filter(has_text=label).first
    box.wait_for(state="visible", timeout=timeout)
    item = pg.get_by_role("option", name=option)
    deadline = time.monotonic() + timeout / 1000
    while True:
        box.click()
        try:
            item.wait_for(state="visible", timeout=5_000)
            break
        except _timeout_error():
            if time.monotonic() > deadline:
                raise
            pg.keyboard.press("Escape")
    item.click()


def slider(pg, label: str):
    """The Streamlit slider whose label contains ``label``."""
    return pg.locator("[data-testid='stSlider']", has_text=label).first


def slider_thumb_value(pg, label: str):
    """The locator of the value a slider's thumb shows."""
    return slider(pg, label).locator("[data-testid='stSliderThumbValue']")


def slider_value(pg, label: str) -> str:
    """The value a slider's thumb shows."""
    return slider_thumb_value(pg, label).inner_text()


def chart_data(pg, n: int = 1, differs_from: str | None = None, equals: str | None = None,
               timeout: float = 60_000) -> str:
    """All plotly traces of the page as JSON, once at least ``n`` charts are drawn and
    their data has settled (and differs from ``differs_from`` / equals ``equals`` when
    given). If that does not happen within ``timeout``, return the data as it is then, so
    the test's own assertion reports the difference."""
    pg.evaluate("() => { window.__chartPrev = null; }")
    try:
        pg.wait_for_function(_SETTLED, arg=[n, differs_from, equals], polling=250,
                             timeout=timeout)
    except _timeout_error():
        pass
    return pg.evaluate(CHART_DATA)
