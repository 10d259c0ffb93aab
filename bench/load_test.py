"""Real-browser smoke test on loopback: a few concurrent Chromium sessions on the Playground.

    python bench/load_test.py [--sessions 3] [--waves 1] [--timeout 240]

The class-size load test is ``bench/ws_load.py``: it speaks Streamlit's websocket protocol,
so 30-100 simulated students cost little CPU. Here every session is a real browser on the
same cores as the server, so many sessions measure the browsers starving the server; keep
this one short, as a check that real browsers get through a page and its reruns.

Starts a fresh ``streamlit run app.py`` (as tests/browser/conftest.py does), then, per
wave, opens ``--sessions`` concurrent sessions on /playground: playwright browser
contexts in ONE headless Debian chromium. Each session waits for the first script run to
finish, sets its own seed (so the problem/solver caches fill with distinct entries),
waits, sets a new iteration budget (a new solver run), waits again, and checks the
page for Streamlit exceptions and page errors. Every wait and the whole wave are bounded
by timeouts.

The streamlit server's resident memory (VmRSS from /proc, psutil when installed) is
sampled every 0.5 s: before the sessions, peak during each wave, and 10 s after each
wave's sessions closed. The caches have ``max_entries``, so after the second wave (new
seeds) the server's RSS must level off rather than grow by another wave's worth.

Prints a summary and exits with status 1 on any error (exception box, page error,
timeout), 0 otherwise. Bounded: at most ``waves * sessions`` sessions, each wave at most
``--timeout`` seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import (CHROMIUM, CHROMIUM_ARGS, IDLE,  # noqa: E402
                                    start_streamlit, stop_streamlit)

#: Idle, and the main column (tabs) has been drawn: a whole run of the page is done.
DONE_JS = """() => !!document.querySelector("%s")
                 && !!document.querySelector("[data-testid='stTabs']")""" % IDLE.replace('"', '\\"')
#: Count changes of the script-state attribute: any change after an action means a rerun
#: started (a fast rerun may go running -> notRunning between two polls).
WATCH_JS = """() => {
  window.__stateChanges = 0;
  const app = document.querySelector("[data-testid='stApp']");
  if (window.__stateObserver) window.__stateObserver.disconnect();
  window.__stateObserver = new MutationObserver(rs => { window.__stateChanges += rs.length; });
  window.__stateObserver.observe(app, {attributes: true,
                                       attributeFilter: ["data-test-script-state"]});
}"""
RERUN_DONE_JS = "() => window.__stateChanges > 0 && (%s)()" % DONE_JS


# ------------------------------------------------------------------ server and memory

def rss_mb(pid: int) -> float:
    """Resident set size of ``pid`` in MiB (psutil if installed, else /proc/<pid>/status)."""
    try:
        import psutil
    except ImportError:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        raise RuntimeError(f"no VmRSS for pid {pid}")
    return psutil.Process(pid).memory_info().rss / 2**20


def cpu_s(pid: int) -> float:
    """User + system CPU seconds used so far by ``pid`` (from /proc/<pid>/stat)."""
    import os

    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Sampler(threading.Thread):
    """Samples the server's RSS every ``period`` seconds; ``peak()`` since the last reset."""

    def __init__(self, pid: int, period: float = 0.5):
        super().__init__(daemon=True)
        self.pid, self.period = pid, period
        self.samples: list[tuple[float, float]] = []
        self._stop_event = threading.Event()
        self._since = time.monotonic()

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                self.samples.append((time.monotonic(), rss_mb(self.pid)))
            except (OSError, RuntimeError):
                return
            self._stop_event.wait(self.period)

    def reset(self) -> None:
        self._since = time.monotonic()

    def peak(self) -> float:
        vals = [v for t, v in self.samples if t >= self._since]
        return max(vals) if vals else float("nan")

    def stop(self) -> None:
        self._stop_event.set()


# ------------------------------------------------------------------ sessions

@dataclass
class Session:
    index: int
    seed: int
    errors: list[str] = field(default_factory=list)
    seconds: float = float("nan")
    steps: int = 0  # completed page runs (first load, seed, alpha)


async def one_session(browser, url: str, s: Session, timeout_ms: float) -> None:
    t0 = time.monotonic()
    ctx = await browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = await ctx.new_page()
        page.set_default_timeout(timeout_ms)  # actions too: 30 pages share a loaded CPU
        page.on("pageerror", lambda e: s.errors.append(f"page error: {e}"))
        await page.goto(url + "/playground", wait_until="domcontentloaded", timeout=timeout_ms)
        await page.wait_for_function(DONE_JS, timeout=timeout_ms, polling=250)
        s.steps += 1

        # a seed of its own: new problem, new solver runs, new cache entries
        seed_box = page.locator("[data-testid='stNumberInput']", has_text="seed").locator("input")
        await page.evaluate(WATCH_JS)
        await seed_box.fill(str(s.seed))
        await seed_box.press("Enter")
        await page.wait_for_function(RERUN_DONE_JS, timeout=timeout_ms, polling=250)
        s.steps += 1

        # a new iteration budget: a new hadamard run (and cache entry) for this session
        budget = page.locator("[data-testid='stNumberInput']", has_text="max iterations").locator("input")
        await page.evaluate(WATCH_JS)
        await budget.fill("8000")
        await budget.press("Enter")
        await page.wait_for_function(RERUN_DONE_JS, timeout=timeout_ms, polling=250)
        s.steps += 1

        if await seed_box.input_value() != str(s.seed):
            s.errors.append(f"seed box shows {await seed_box.input_value()!r}, not {s.seed}")
        if await budget.input_value() != "8000":
            s.errors.append(f"max iterations shows {await budget.input_value()!r}, not 8000")
        if await page.get_by_text("iterations,", exact=False).count() < 1:
            s.errors.append("no run status after the budget change")
        n_exc = await page.locator("[data-testid='stException']").count()
        if n_exc:
            text = await page.locator("[data-testid='stException']").first.inner_text()
            s.errors.append(f"{n_exc} exception box(es): {text[:300]!r}")
    except asyncio.CancelledError:
        s.errors.append(f"cancelled by the wave timeout after {s.steps} of 3 page runs")
        raise
    except Exception as exc:  # timeouts and playwright errors are the findings
        s.errors.append(f"{type(exc).__name__} after {s.steps} of 3 page runs: "
                        f"{str(exc).splitlines()[0][:300]}")
    finally:
        s.seconds = time.monotonic() - t0
        try:
            await asyncio.shield(ctx.close())
        except Exception:
            pass


async def _staggered(delay: float, coro):
    await asyncio.sleep(delay)
    return await coro


async def wave(browser, url: str, sessions: list[Session], timeout_s: float,
               stagger: float = 0.0) -> float:
    """Run the sessions concurrently (starts ``stagger`` s apart); return the wall time."""
    t0 = time.monotonic()
    tasks = [asyncio.create_task(_staggered(
        k * stagger, one_session(browser, url, s, timeout_s * 1000 * 0.9)))
        for k, s in enumerate(sessions)]
    done, pending = await asyncio.wait(tasks, timeout=timeout_s)
    for t in pending:
        t.cancel()
    if pending:
        await asyncio.wait(pending, timeout=30)
    for s in sessions:
        if s.steps < 3 and not s.errors:  # e.g. cancelled before it started
            s.errors.append(f"did not finish ({s.steps} of 3 page runs)")
    return time.monotonic() - t0


async def run_waves(url: str, n_sessions: int, n_waves: int, timeout_s: float,
                    sampler: Sampler, pid: int, settle_s: float, stagger: float) -> list[dict]:
    from playwright.async_api import async_playwright

    reports = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                           headless=True)
        try:
            # warm-up: one session imports the page's modules and fills the default caches,
            # so the waves measure sessions, not the server's first import
            warm = [Session(-1, seed=10**6)]
            await wave(browser, url, warm, timeout_s)
            reports.append({"wave": 0, "sessions": warm, "rss": rss_mb(pid)})
            print(f"warm-up session: {warm[0].seconds:.1f} s, RSS {reports[0]['rss']:.0f} MiB, "
                  f"errors {len(warm[0].errors)}", flush=True)
            for w in range(n_waves):
                sessions = [Session(i, seed=1 + w * n_sessions + i) for i in range(n_sessions)]
                before, cpu0 = rss_mb(pid), cpu_s(pid)
                sampler.reset()
                wall = await wave(browser, url, sessions, timeout_s, stagger)
                cpu = cpu_s(pid) - cpu0
                peak = sampler.peak()
                await asyncio.sleep(settle_s)  # contexts are closed: let the server settle
                after = rss_mb(pid)
                reports.append({"wave": w + 1, "sessions": sessions, "wall_s": wall,
                                "before": before, "peak": peak, "after": after,
                                "seeds": (sessions[0].seed, sessions[-1].seed), "cpu": cpu})
                print(f"wave {w + 1}: {wall:.1f} s, RSS before {before:.0f} MiB, "
                      f"peak {peak:.0f} MiB, after {after:.0f} MiB, "
                      f"errors {sum(bool(s.errors) for s in sessions)}", flush=True)
        finally:
            await browser.close()
    return reports


# ------------------------------------------------------------------ main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=3, help="concurrent sessions per wave")
    ap.add_argument("--waves", type=int, default=1, help="waves of sessions (new seeds each)")
    ap.add_argument("--timeout", type=float, default=240.0, help="seconds allowed per wave")
    ap.add_argument("--stagger", type=float, default=0.2,
                    help="seconds between session starts within a wave")
    ap.add_argument("--settle", type=float, default=10.0,
                    help="seconds to wait after a wave before reading RSS")
    args = ap.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"no chromium at {CHROMIUM}", file=sys.stderr)
        return 2

    t_start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="nnls-load-") as tmp:
        log_path = Path(tmp) / "server.log"
        log = open(log_path, "w")
        proc, url = start_streamlit(log)
        sampler = Sampler(proc.pid)
        try:
            time.sleep(2)
            idle = rss_mb(proc.pid)
            sampler.start()
            print(f"server pid {proc.pid} at {url}: idle RSS {idle:.0f} MiB; "
                  f"{args.waves} wave(s) of {args.sessions} sessions", flush=True)
            reports = asyncio.run(run_waves(url, args.sessions, args.waves, args.timeout,
                                            sampler, proc.pid, args.settle, args.stagger))
            alive = proc.poll() is None
        finally:
            sampler.stop()
            stop_streamlit(proc)
            log.close()
            log_tail = log_path.read_text(errors="replace")[-3000:]
    total = time.monotonic() - t_start

    errors = [(r["wave"], s.index, e) for r in reports for s in r["sessions"] for e in s.errors]
    warm = reports.pop(0)
    print("\n=== Playground load test ===")
    print(f"streamlit server RSS: idle before any session {idle:.1f} MiB; after one warm-up "
          f"session (page modules imported) {warm['rss']:.1f} MiB")
    for r in reports:
        secs = [s.seconds for s in r["sessions"]]
        n = len(r["sessions"])
        print(f"wave {r['wave']} (seeds {r['seeds'][0]}..{r['seeds'][1]}): "
              f"{n} sessions x 3 page runs, wall {r['wall_s']:.1f} s, per session "
              f"median {statistics.median(secs):.1f} s / max {max(secs):.1f} s, "
              f"failed sessions {sum(bool(s.errors) for s in r['sessions'])}, "
              f"server CPU {r['cpu']:.1f} s")
        print(f"    RSS before {r['before']:.1f} MiB | peak {r['peak']:.1f} MiB | "
              f"after close + {args.settle:.0f} s {r['after']:.1f} MiB | "
              f"per session (peak - before)/{n} = {(r['peak'] - r['before']) / n:.2f} MiB")
    if len(reports) >= 2:
        g1 = reports[0]["after"] - warm["rss"]
        g2 = reports[-1]["after"] - reports[0]["after"]
        print(f"growth over wave 1 (from warm): {g1:+.1f} MiB; from wave 1 to wave {len(reports)}: "
              f"{g2:+.1f} MiB (bounded caches: the second should be much smaller)")
    print(f"server still alive at the end: {alive}; total wall time {total:.1f} s")
    if errors:
        print(f"\n{len(errors)} error(s):")
        for w, i, e in errors[:40]:
            print(f"  wave {w} session {i}: {e}")
    if not alive:
        errors.append((0, -1, "server died"))
        print("server log tail:\n" + log_tail)
    print("RESULT:", "FAIL" if errors else "OK")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
