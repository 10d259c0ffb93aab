"""Benchmark: server time of every page (views/*.py), per page and per interaction, cold
and warm, with the targets printed beside the figures.

Run:  python bench/pages.py [--repeats 5] [--pages playground nmf ...]

What is timed is ``AppTest.run()``: one full script run of the page as the server would do
it for one browser (widgets, numerics, figures, serialization), without the network.

- **first open (cold)**: the page's first run in a fresh Python process with empty
  caches. "first open" has already imported what every page uses (numpy, pandas for
  tables, scipy, plotly, nnls_core: a running server loads them for its first visitor,
  once); target 1 s.
  "first, no imports" has imported only Streamlit, so it also pays those libraries: the
  very first visitor of a freshly started server (shown, no target).
- **default view (warm)**: reruns of the unchanged page. Target: median 0.3 s, p95 0.5 s.
- **interactions (warm)**: each interaction alternates between two settings, so after the
  first pair every run may be served from the page's caches; the first change is shown as
  "first", the rest give the median and p95. Same targets.

AppTest compiles the script on every run (a server caches the bytecode), so the figures
here are slightly pessimistic. It also rescans the installed packages for Streamlit
components on every run, which a server does once at startup: that scan is done before
the clock starts, as on a running server. Widgets are looked up by key (or label); an interaction
whose widget a page no longer has is skipped with a note, so the script survives page
rewrites.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VIEWS = ROOT / "views"
TARGET_MEDIAN, TARGET_P95, TARGET_FIRST = 0.3, 0.5, 1.0
TIMEOUT = 300.0


class Missing(Exception):
    """The page has no widget for this interaction (it was renamed or removed)."""


def _widget(at, kinds: tuple[str, ...], key: str | None = None, label: str | None = None,
            key_prefix: str | None = None):
    for kind in kinds:
        for w in getattr(at, kind):
            k = getattr(w, "key", None) or ""
            if (key is not None and k == key) or \
                    (key_prefix is not None and k.startswith(key_prefix)) or \
                    (label is not None and label.lower() in (w.label or "").lower()):
                return w
    raise Missing(f"no {'/'.join(kinds)} with key {key or key_prefix!r} or label {label!r}")


def toggle_select(key: str, label: str | None = None) -> Callable:
    """Alternate a selectbox / select_slider between its option and the next one (the
    previous at the end)."""
    state: dict = {}

    def act(at):
        w = _widget(at, ("selectbox", "select_slider"), key=key, label=label)
        opts = list(w.options)
        shown = w.format_func(w.value)
        i = opts.index(shown) if shown in opts else 0  # (a value the options do not show)
        if "pair" not in state:
            state["pair"] = (i, i + 1 if i + 1 < len(opts) else i - 1)
        j = state["pair"][1] if i == state["pair"][0] else state["pair"][0]
        if hasattr(w, "select_index"):
            # select_index would store the label as the value (wrong with a format_func):
            # the widget's own deserializer turns the label back into the option
            try:
                meta = at.session_state._state._state._new_widget_state.widget_metadata
                w.set_value(meta[w.id].deserializer(opts[j]))
            except (AttributeError, KeyError):
                raise Missing(f"cannot map option {opts[j]!r} of {key!r}") from None
            return
        try:  # a select_slider gives only formatted options: numbers read back exactly
            value = type(w.value)(opts[j])
        except (TypeError, ValueError):
            raise Missing(f"cannot read option {opts[j]!r} of {key!r}") from None
        if w.format_func(value) != opts[j]:
            raise Missing(f"option {opts[j]!r} of {key!r} does not read back")
        w.set_value(value)
    return act


def toggle_number(key: str | None = None, label: str | None = None, delta: float = 1,
                  key_prefix: str | None = None) -> Callable:
    """Alternate a slider / number_input between its value and value + delta (or - delta
    at the top of its range)."""
    state: dict = {}

    def act(at):
        w = _widget(at, ("slider", "number_input"), key=key, label=label,
                    key_prefix=key_prefix)
        if "values" not in state:
            v = w.value
            hi = getattr(w, "max", None)
            up = v + delta
            state["values"] = (v, up if hi is None or up <= hi else v - delta)
        a, b = state["values"]
        w.set_value(b if w.value == a else a)
    return act


def preset(match: str = "paper") -> Callable:
    """Press a preset button (label containing ``match``, else the page's first preset),
    after pressing another preset (untimed) so the timed click changes the settings."""
    def buttons(at):
        found = [b for b in at.button if ":preset:" in (b.key or "")]
        if not found:
            raise Missing("no preset buttons")
        timed = next((b for b in found if match.lower() in b.label.lower()), found[0])
        other = next((b for b in found if b.key != timed.key), None)
        return timed, other

    def setup(at):
        _, other = buttons(at)
        if other is not None:
            other.click()
            at.run(timeout=TIMEOUT)

    def act(at):
        buttons(at)[0].click()
    act.setup = setup
    return act


#: page -> [(interaction, action)]; the action changes widgets on an AppTest, run() is timed
INTERACTIONS: dict[str, list[tuple[str, Callable]]] = {
    "playground": [("alpha", lambda: toggle_select("alpha", "initialization")),
                   ("L", lambda: toggle_number("L", "exponent L")),
                   ("step", lambda: toggle_select("step_kind", "step size"))],
    "implicit_bias": [("paper preset", lambda: preset("paper"))],
    "rates": [("paper preset", lambda: preset("paper"))],
    "recovery": [("preset", lambda: preset("paper"))],
    "nmf": [("rank +1", lambda: toggle_number(key_prefix="nmf_r_", label="rank r")),
            ("step multiplier", lambda: toggle_number("nmf_step", delta=-0.1))],
}


#: a server scans the installed packages for Streamlit components once, at startup;
#: AppTest rescans them on every run (about 1 s), which no page open costs a server
SCAN_ONCE = ("import functools\n"
             "from streamlit.components.v2 import manifest_scanner as ms\n"
             "ms.scan_component_manifests = functools.cache(ms.scan_component_manifests)\n"
             "ms.scan_component_manifests()\n")

#: what a running server has imported after serving any page
SHARED = ("import numpy, pandas, scipy.linalg, scipy.optimize, plotly.graph_objects, "
          "nnls_core, ui.common")


def script_of(page: Path) -> Path:
    """The script AppTest runs for a page: the entry script for the default page (Home
    links to the other pages, which needs app.py's navigation), else the page itself."""
    return ROOT / "app.py" if page.stem == "home" else page


def cold(page: Path, shared: bool = True) -> float:
    """Seconds of the page's first run in a fresh process (see the module docstring)."""
    code = (
        "import sys, time, json; sys.path.insert(0, %r)\n"
        "from streamlit.testing.v1 import AppTest\n"
        + SCAN_ONCE + (SHARED + "\n" if shared else "") +
        "at = AppTest.from_file(%r, default_timeout=%r)\n"
        "t = time.perf_counter(); at.run(); dt = time.perf_counter() - t\n"
        "print(json.dumps({'s': dt, 'exc': [str(e.value) for e in at.exception]}))\n"
    ) % (str(ROOT), str(script_of(page)), TIMEOUT)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=TIMEOUT + 60)
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        raise RuntimeError(out.stderr[-1500:])
    res = json.loads(lines[-1])
    if res["exc"]:
        raise RuntimeError(res["exc"])
    return res["s"]


def timed_run(at) -> float:
    t = time.perf_counter()
    at.run(timeout=TIMEOUT)
    dt = time.perf_counter() - t
    if at.exception:
        raise RuntimeError([e.value for e in at.exception])
    return dt


def stats(times: list[float]) -> tuple[float, float]:
    return float(np.median(times)), float(np.percentile(times, 95))


def row(page: str, what: str, first: float | None, times: list[float] | None) -> bool:
    ok = True
    cells = [page, what]
    if first is not None:
        cells.append(f"{first:7.2f}")
    else:
        cells.append(f"{'':7}")
    if times:
        med, p95 = stats(times)
        cells += [f"{med:7.3f}", f"{p95:7.3f}"]
        ok = med <= TARGET_MEDIAN and p95 <= TARGET_P95
    else:
        cells += [f"{'':7}", f"{'':7}"]
    if what == "first open":
        ok = first is not None and first <= TARGET_FIRST
    if what == "first, no imports":
        print(f"{cells[0]:<20} {cells[1]:<18} {cells[2]}", flush=True)
        return True
    print(f"{cells[0]:<20} {cells[1]:<18} {cells[2]}  {cells[3]}  {cells[4]}   "
          f"{'PASS' if ok else 'FAIL'}", flush=True)
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5, help="warm runs per line")
    ap.add_argument("--pages", nargs="*", help="page names (default: every views/*.py)")
    args = ap.parse_args()
    from streamlit.testing.v1 import AppTest
    exec(SCAN_ONCE)  # the warm runs below, as in a running server

    pages = sorted(VIEWS.glob("*.py"))
    if args.pages:
        pages = [p for p in pages if p.stem in args.pages]
    print(f"targets: first open <= {TARGET_FIRST} s; warm median <= {TARGET_MEDIAN} s, "
          f"p95 <= {TARGET_P95} s  ({args.repeats} repeats; seconds of server time)")
    print(f"{'page':<20} {'interaction':<18} {'first':>7}  {'median':>7}  {'p95':>7}   verdict")
    failed = 0
    for page in pages:
        name = page.stem
        try:
            row(name, "first, no imports", cold(page, shared=False), None)
            failed += not row(name, "first open", cold(page), None)
        except Exception as exc:  # noqa: BLE001 - a broken page is reported, not fatal
            print(f"{name:<20} first open: ERROR {exc}")
            failed += 1
            continue
        at = AppTest.from_file(str(script_of(page)), default_timeout=TIMEOUT)
        at.run()
        try:
            failed += not row(name, "default view", None,
                              [timed_run(at) for _ in range(args.repeats)])
        except Exception as exc:  # noqa: BLE001
            print(f"{name:<20} default view: ERROR {exc}")
            failed += 1
            continue
        for what, make in INTERACTIONS.get(name, []):
            act = make()
            times = []
            try:
                for _ in range(args.repeats + 1):
                    if hasattr(act, "setup"):
                        act.setup(at)
                    act(at)
                    times.append(timed_run(at))
            except Missing as exc:
                print(f"{name:<20} {what:<18} skipped: {exc}")
                continue
            except Exception as exc:  # noqa: BLE001
                print(f"{name:<20} {what:<18} ERROR {exc}")
                failed += 1
                continue
            failed += not row(name, what, times[0], times[1:])
    print(f"{failed} line(s) over target" if failed else "every line within target")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
