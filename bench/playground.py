"""Playground performance with the default settings, measured in one run.

    python bench/playground.py

Prints (a) the compute + figure-building time of one full page run with cold caches,
split into its parts (the α grid of the scrubber is one batched run of every α, stopped
at the page's time budget), (b) AppTest wall time of a cold and a warm full rerun of the
page script, and (c) the number of points the figures send to the browser (target
<= 200k). The client-side α scrubbing itself is measured in a browser by
``bench/scrub.py``.
"""

from __future__ import annotations

import base64
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the dashboard's ui package lives beside nnls_core

import numpy as np
import streamlit as st
from streamlit.testing.v1 import AppTest

import nnls_core as nc
from ui import figures as F

PAGE = str(ROOT / "views" / "playground.py")


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


ALPHAS = [float(f"{m}e{e}") for e in range(-6, 0) for m in (1, 2, 5)] + [1.0]
GRID_BUDGET = 3.0  # the page's time budget of the α grid (views/playground.py)


def compute_and_figures() -> dict[str, float]:
    parts = {}
    p, parts["problem"] = timed(lambda: nc.sparse_problem(30, 100, 4, seed=0))
    _, parts["cond, norm"] = timed(lambda: (np.linalg.svd(p.A, compute_uv=False),
                                            nc.spectral_norm(p.A)))
    lh, parts["lawson_hanson"] = timed(lambda: nc.solve(p.A, p.b, method="lawson_hanson"))
    r, parts["hadamard"] = timed(lambda: nc.solve(p.A, p.b, L=2, alpha=1e-3, step="bb",
                                                  form="u", max_iter=20_000, tol=1e-8))
    fi, parts["fista"] = timed(lambda: nc.solve(p.A, p.b, method="fista"))
    l1, parts["l1_min"] = timed(lambda: nc.solve(p.A, p.b, method="l1_min"))
    grid, parts["alpha grid"] = timed(lambda: nc.sweep.sweep(
        p.A, p.b, L=2, alpha=ALPHAS, step="bb", form="u", max_iter=20_000, tol=1e-8,
        time_limit=GRID_BUDGET))
    its = {"hadamard": r, "FISTA": fi}

    def figs():
        return [F.scrub_figure(ALPHAS, grid, p.x_true, lh.objective,
                               active=ALPHAS.index(1e-3), classical=("FISTA", fi)),
                F.objective_figure(its, lh.objective, anchor="hadamard"),
                F.trajectories_figure(r, p.x_true),
                F.l1_kkt_figure(its, {"min l1": float(l1.x.sum())}, tol=1e-8),
                F.stem_figure({}, p.x_true)]

    _, parts["figures"] = timed(figs)
    return parts


def count_points(spec: dict) -> int:
    def n(v):
        if isinstance(v, dict) and "bdata" in v:
            return len(base64.b64decode(v["bdata"])) // np.dtype(v["dtype"]).itemsize
        return len(v) if isinstance(v, list) else 0
    total = sum(n(t.get("y", [])) for t in spec.get("data", []))
    for fr in spec.get("frames", []):
        total += sum(n(t.get("y", [])) for t in fr.get("data", []))
    return total


def main() -> None:
    runs = []
    for _ in range(3):
        runs.append(compute_and_figures())
    print("[a] one full run with cold caches, median of 3 (seconds):")
    for k in runs[0]:
        print(f"    {k:18s} {statistics.median(r[k] for r in runs):.3f}")
    total = statistics.median(sum(r.values()) for r in runs)
    print(f"    {'total':18s} {total:.3f}   (the α grid stops at its {GRID_BUDGET:g} s budget;"
          " it is cached per problem and step setting, so moving α costs none of it)")

    cold, warm = [], []
    for _ in range(3):
        st.cache_data.clear()
        at = AppTest.from_file(PAGE, default_timeout=120)
        _, t = timed(at.run)
        cold.append(t)
        _, t = timed(at.run)
        warm.append(t)
    assert not at.exception
    print(f"[b] AppTest full rerun of the page script: cold caches {statistics.median(cold):.3f} s,"
          f" warm caches {statistics.median(warm):.3f} s (median of 3; includes AppTest overhead)")

    points = {el.proto.id.split("-")[-1] if el.proto.id else "?": count_points(json.loads(el.proto.spec))
              for el in at.get("plotly_chart")}
    print(f"[c] points sent to the browser: {sum(points.values()):,} in total (target <= 200,000)")
    for k, v in points.items():
        print(f"    {v:8,d}  {k}")


if __name__ == "__main__":
    main()
