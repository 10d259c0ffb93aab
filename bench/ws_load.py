"""Load test at the protocol level: simulated students speak Streamlit's websocket protocol
(the BackMsg / ForwardMsg protobufs shipped in ``streamlit.proto``) to a server of this
app, so that 30-100 of them cost little CPU next to the server they measure.

Run:  python bench/ws_load.py [--students 30] [--interactions 10] [--duration 600]

It starts its own ``streamlit run app.py`` on a free loopback port (nothing else is
contacted), warms it up with one student who visits every page of the sequence, then
lets the students connect a few at a time. Each opens pages and changes widgets like a
student (Playground alpha / L / step, a paper preset on Implicit bias, NMF rank), waits
1-3 s between interactions, and records the latency of each interaction: from sending
``rerun_script`` with the new widget states to the ``script_finished`` message. An
exception element, a timeout or a broken connection is an error; a widget a page no longer
has is skipped (counted, not an error). The RSS of the server and its worker processes is sampled
every second, from /proc. Printed: sessions, interactions, errors, p50 / p95 of
each interaction kind, p50 / p95 / max latency, and RSS: warm baseline, peak, and ``--after`` seconds after the sessions closed
(Streamlit keeps a closed session for ``server.disconnectedSessionTTL`` = 120 s, in case
the browser reconnects; ``--ttl`` sets it for this server).

Targets (issue 13): 30 students x 10 interactions, 0 errors, p95 < 2 s, RSS < 1 GB during
the run and within 20% of the warm baseline 60 s after the sessions close.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[1]
FINISHED = ForwardMsg.ScriptFinishedStatus
TARGET_P95_S, TARGET_RSS_MB, TARGET_RECOVERY = 2.0, 1024, 0.20
#: element types that are widgets a student can set (value type each one sends)
#: (a select_slider is a "slider" element with options, sending string_array_value)
WIDGETS = {"slider": "double_array_value", "number_input": "double_value",
           "selectbox": "string_value", "button": "trigger_value"}


# --------------------------------------------------------------------------- the server
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, ttl: float | None, log) -> subprocess.Popen:
    """``streamlit run app.py`` on 127.0.0.1:port; returns once /_stcore/health answers."""
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true",
           f"--server.port={port}", "--server.address=127.0.0.1",
           "--browser.gatherUsageStats=false", "--server.fileWatcherType=none"]
    if ttl is not None:
        cmd.append(f"--server.disconnectedSessionTTL={ttl:g}")
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    log.seek(0)
    raise RuntimeError("the streamlit server did not start; its output:\n" + log.read()[-2000:])


def rss_mb(pid: int) -> float:
    """Resident memory in MB of ``pid`` and its descendants (the worker processes that
    compute runs; pages they share counted in each, so an upper bound), from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) / 1024 for line in status.splitlines()
                       if line.startswith("VmRSS:")), 0.0)
    return total


def cpu_s(pid: int) -> tuple[float, float]:
    """CPU seconds (user + system, all threads) used so far by ``pid`` and by its
    children (the worker processes that compute runs; they live as long as the server)."""
    own = children = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        seconds = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        if stat.parent.name == str(pid):
            own += seconds
        elif int(fields[1]) == pid:
            children += seconds
    return own, children


async def sample_rss(pid: int, samples: list[tuple[float, float]], stop: asyncio.Event):
    while not stop.is_set():
        samples.append((time.monotonic(), rss_mb(pid)))
        try:
            await asyncio.wait_for(stop.wait(), 1.0)
        except TimeoutError:
            pass


# --------------------------------------------------------------------------- one student
@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    by_step: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    sessions: int = 0


class Student:
    """One browser tab, as the server sees it: a websocket, the widgets of the current
    page (found in the element deltas), and the widget states it sends back."""

    def __init__(self, url: str, stats: Stats, timeout: float, verbose: bool = False) -> None:
        self.url, self.stats, self.timeout, self.verbose = url, stats, timeout, verbose
        self.widgets: dict[str, tuple[str, object]] = {}  # widget id -> (type, proto)
        self.states: dict[str, WidgetState] = {}
        self.page = ""

    async def run_script(self, ws, what: str) -> bool:
        """Send rerun_script with the current states; wait for the run to finish."""
        msg = BackMsg()
        cs = msg.rerun_script
        cs.page_name = self.page
        cs.widget_states.widgets.extend(self.states.values())
        self.widgets = {}
        t0 = time.monotonic()
        await ws.send(msg.SerializeToString())
        error = None
        while True:
            try:
                raw = await asyncio.wait_for(ws.recv(), t0 + self.timeout - time.monotonic())
            except TimeoutError:
                self.stats.errors.append(f"{what}: no script_finished in {self.timeout:g} s")
                return False
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            kind = fm.WhichOneof("type")
            if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                el = fm.delta.new_element
                etype = el.WhichOneof("type")
                if etype == "exception":
                    error = f"{what}: exception {el.exception.message[:200]}"
                elif etype in WIDGETS:
                    proto = getattr(el, etype)
                    self.widgets[proto.id] = (etype, proto)
            elif kind == "script_finished":
                if fm.script_finished == FINISHED.FINISHED_EARLY_FOR_RERUN:
                    continue  # the page asked for a rerun: the interaction goes on
                dt = time.monotonic() - t0
                if error:
                    self.stats.errors.append(error)
                    return False
                self.stats.latencies.append(dt)
                self.stats.by_step.setdefault(what, []).append(dt)
                if self.verbose:
                    print(f"  {what:<40} {dt:6.2f} s", flush=True)
                return True

    def find(self, key: str, etypes: tuple[str, ...], label: str | None = None):
        """The widget with this key (ids of keyed widgets end with the key) or label."""
        for wid, (etype, proto) in self.widgets.items():
            if etype in etypes and (wid.endswith("-" + key) or
                                    (label and label.lower() in proto.label.lower())):
                return wid, etype, proto
        return None

    def set_state(self, wid: str, value_type: str, value) -> None:
        ws = WidgetState(id=wid)
        if value_type in ("double_array_value", "string_array_value"):
            getattr(ws, value_type).data.extend(value)
        else:
            setattr(ws, value_type, value)
        self.states[wid] = ws

    async def open(self, ws, page: str) -> bool:
        self.page, self.states = page, {}
        return await self.run_script(ws, f"open {page}")

    async def change(self, ws, rng: random.Random, key: str, etypes: tuple[str, ...],
                     label: str | None = None) -> bool | None:
        """Move a widget to another value (a neighbouring option, or +-1 step); None when
        the page has no such widget."""
        found = self.find(key, etypes, label)
        if found is None:
            self.stats.skipped.append(f"{self.page}: {key}")
            return None
        wid, etype, p = found
        if etype == "button":
            self.set_state(wid, "trigger_value", True)
            ok = await self.run_script(ws, f"{self.page}: {key}")
            self.states.pop(wid, None)  # a trigger is true for one run only
            return ok
        sent = self.states.get(wid)
        if etype == "selectbox" or (etype == "slider" and p.options):
            options = list(p.options)
            if p.set_value and p.raw_value:  # the value the script set (session state)
                cur = p.raw_value if etype == "selectbox" else p.raw_value[0]
            elif sent is not None:
                cur = sent.string_value if etype == "selectbox" else sent.string_array_value.data[0]
            else:
                cur = options[int(p.default if etype == "selectbox" else p.default[0])]
            i = options.index(cur)
            j = i + rng.choice((-1, 1))
            j = j if 0 <= j < len(options) else 2 * i - j  # bounce off the ends
            if etype == "selectbox":
                self.set_state(wid, "string_value", options[j])
            else:
                self.set_state(wid, "string_array_value", [options[j]])
        elif etype == "slider":
            if p.set_value and p.value:
                v = p.value[0]
            else:
                v = sent.double_array_value.data[0] if sent is not None else p.default[0]
            nv = v + p.step if v + p.step <= p.max else v - p.step
            self.set_state(wid, "double_array_value", [nv])
        else:  # number_input
            if p.set_value:
                v = p.value
            else:
                v = sent.double_value if sent is not None else p.default
            step = p.step or 1
            nv = v + step if not p.has_max or v + step <= p.max else v - step
            self.set_state(wid, "double_value", nv)
        return await self.run_script(ws, f"{self.page}: {key}")


#: what a student does, in order (cycled until the interaction count is reached)
SCRIPT = (
    ("open", "playground"),
    ("change", "alpha", ("slider", "selectbox"), "initialization"),
    ("change", "L", ("number_input", "slider"), "exponent L"),
    ("change", "step_kind", ("selectbox",), "step size"),
    ("open", "implicit_bias"),
    ("change", "implicit_bias:preset:E1 + E2 (paper)", ("button",), "(paper)"),
    ("open", "nmf"),
    ("change", "nmf_r_synthetic", ("slider",), "rank r"),
    ("change", "nmf_step", ("slider",), "Hadamard step"),
)


async def student(url: str, n: int, stats: Stats, rng: random.Random, timeout: float,
                  think: tuple[float, float], deadline: float, verbose: bool = False,
                  pages: tuple[str, ...] | None = None) -> None:
    s = Student(url, stats, timeout, verbose)
    script = [step for step, page in zip(SCRIPT, _pages_of(SCRIPT))
              if pages is None or page in pages]
    try:
        async with connect(url, subprotocols=["streamlit"], max_size=None,
                           open_timeout=timeout) as ws:
            stats.sessions += 1
            done = 0
            for step in _cycle(script):
                if done >= n or time.monotonic() > deadline:
                    break
                if step[0] == "open":
                    ok = await s.open(ws, step[1])
                else:
                    ok = await s.change(ws, rng, *step[1:])
                    if ok is None:
                        continue  # not an interaction: the page has no such widget
                done += 1
                if not ok and step[0] == "open":
                    break  # the page did not load: this student gives up
                await asyncio.sleep(rng.uniform(*think))
    except Exception as exc:  # noqa: BLE001 - any failure of a session is an error
        stats.errors.append(f"connection: {type(exc).__name__}: {exc}")


def _pages_of(script) -> list[str]:
    """The page each step of ``script`` happens on."""
    out, page = [], ""
    for step in script:
        page = step[1] if step[0] == "open" else page
        out.append(page)
    return out


def _cycle(seq):
    while True:
        yield from seq


async def main_async(args) -> int:
    port = free_port()
    url = f"ws://127.0.0.1:{port}/_stcore/stream"
    with tempfile.TemporaryFile("w+") as log:  # the server's output, gone with the run
        proc = start_server(port, args.ttl, log)
        try:
            return await _measure(args, proc, url)
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


async def _measure(args, proc, url: str) -> int:
    pid = proc.pid
    print(f"server pid {pid} on {url}; start RSS {rss_mb(pid):.0f} MB", flush=True)
    warm = Stats()
    t0 = time.monotonic()
    await student(url, len(SCRIPT), warm, random.Random(0), args.timeout, (0, 0),
                  time.monotonic() + args.duration, verbose=True, pages=args.pages)
    print(f"warm-up: {len(warm.latencies)} runs in {time.monotonic() - t0:.1f} s, "
          f"{len(warm.errors)} errors {warm.errors[:3]}; skipped: {sorted(set(warm.skipped))}",
          flush=True)
    await asyncio.sleep(5)
    baseline = rss_mb(pid)
    stats, samples, stop = Stats(), [], asyncio.Event()
    sampler = asyncio.create_task(sample_rss(pid, samples, stop))
    deadline = time.monotonic() + args.duration
    tasks = []
    t_start, cpu_start = time.monotonic(), cpu_s(pid)
    for i in range(args.students):  # a class arrives over a few seconds
        tasks.append(asyncio.create_task(student(
            url, args.interactions, stats, random.Random(i + 1), args.timeout,
            (args.think_min, args.think_max), deadline, pages=args.pages)))
        await asyncio.sleep(args.ramp / max(args.students, 1))
    await asyncio.gather(*tasks)
    t_run = time.monotonic() - t_start
    cpu_run, cpu_workers = (b - a for a, b in zip(cpu_start, cpu_s(pid)))
    closed = time.monotonic()
    while time.monotonic() - closed < args.after:
        await asyncio.sleep(1)
    after = rss_mb(pid)
    stop.set()
    await sampler
    during = [mb for t, mb in samples if t <= closed]
    peak = max(during) if during else float("nan")
    lat = np.asarray(stats.latencies)
    p50, p95, mx = ((float(np.percentile(lat, 50)), float(np.percentile(lat, 95)),
                     float(lat.max())) if lat.size else (float("nan"),) * 3)
    print(f"\nsessions {stats.sessions} of {args.students}, interactions {lat.size} "
          f"(+{len(stats.errors)} failed) in {t_run:.0f} s, errors {len(stats.errors)}; "
          f"server CPU {cpu_run:.1f} s ({cpu_run / t_run:.0%} of one core, "
          f"{1e3 * cpu_run / max(lat.size, 1):.0f} ms per interaction), "
          f"worker processes {cpu_workers:.1f} s")
    for e in sorted(set(stats.errors))[:10]:
        print("  error:", e)
    if stats.skipped:
        print(f"  skipped (widget not on the page): {sorted(set(stats.skipped))}")
    for what, ts in stats.by_step.items():
        print(f"  {what:<48} n {len(ts):3d}   p50 {np.median(ts):6.2f} s   "
              f"p95 {np.percentile(ts, 95):6.2f} s")
    print(f"latency   p50 {p50:.2f} s   p95 {p95:.2f} s   max {mx:.2f} s   "
          f"(target p95 < {TARGET_P95_S:g} s)")
    print(f"RSS       warm baseline {baseline:.0f} MB   peak {peak:.0f} MB   "
          f"{args.after:g} s after close {after:.0f} MB ({100 * (after / baseline - 1):+.0f}%)"
          f"   (targets: peak < {TARGET_RSS_MB} MB, after within {100 * TARGET_RECOVERY:.0f}%)")
    ok = (not stats.errors and lat.size and p95 < TARGET_P95_S and peak < TARGET_RSS_MB
          and after <= (1 + TARGET_RECOVERY) * baseline)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=30)
    ap.add_argument("--interactions", type=int, default=10, help="per student")
    ap.add_argument("--duration", type=float, default=600, help="hard bound, seconds")
    ap.add_argument("--timeout", type=float, default=60,
                    help="seconds an interaction may take before it counts as an error")
    ap.add_argument("--think-min", type=float, default=1.0)
    ap.add_argument("--think-max", type=float, default=3.0)
    ap.add_argument("--ramp", type=float, default=10.0, help="seconds to connect everyone")
    ap.add_argument("--after", type=float, default=60.0,
                    help="seconds after the sessions close before the last RSS reading")
    ap.add_argument("--ttl", type=float, default=None,
                    help="server.disconnectedSessionTTL for this server (default: 120 s)")
    ap.add_argument("--pages", nargs="*", default=None,
                    help="only these pages of the sequence (playground implicit_bias nmf)")
    args = ap.parse_args()
    if args.pages is not None:
        args.pages = tuple(args.pages)
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
