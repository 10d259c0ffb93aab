"""Benchmark of the Tune page's grid, measured side by side with one single run.

    python bench/tune.py             # 3 rounds
    python bench/tune.py --rounds 1

The grid is the page's default: alpha in {1e-3, 1e-2, 2e-2, 5e-2, 1e-1, 2e-1} x L in
{2, 3, 4} x the four step modes (fixed, BB, Nesterov, mirror), tolerance 1e-4, budget 1000
iterations, on the Playground's default problem ``nc.sparse_problem(30, 100, 4, seed=0)``
(``nnls_core.tuning.tune``: one batch per mode, per mode and L for mirror). The single
run is the Playground's default run (BB steps, L = 2, alpha = 1e-3, tolerance 1e-8).
Each round times both, one after the other; the best round is reported (the machine is
shared), with the CPU time of the process and the load average beside the wall time (on
a loaded machine the CPU time is the better estimate of the wall time on an idle one).
Target: grid < 3 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nnls_core as nc  # noqa: E402
from nnls_core.tuning import tune  # noqa: E402

ALPHAS = [1e-3, 1e-2, 2e-2, 5e-2, 1e-1, 2e-1]


def _timed(fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - w, time.process_time() - c, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    p = nc.sparse_problem(30, 100, 4, seed=0)
    tune(p.A, p.b, alphas=ALPHAS[:1], Ls=[2], modes=["bb"], max_iter=10)  # warm-up
    best = None
    for _ in range(args.rounds):
        tg, cg, g = _timed(lambda: tune(p.A, p.b, alphas=ALPHAS, Ls=[2, 3, 4],
                                        tol=1e-4, max_iter=1000))
        ts, cs, r = _timed(lambda: nc.solve(p.A, p.b, method="hadamard", L=2, alpha=1e-3,
                                            step="bb", max_iter=20_000, tol=1e-8))
        if best is None or tg < best[0]:
            best = (tg, cg, ts, cs, g, r)
    tg, cg, ts, cs, g, r = best
    cells = g.n_iter.size
    print(f"tune grid: {len(g.alphas)} alphas x {len(g.Ls)} L x {len(g.modes)} step modes "
          f"= {cells} cells, {int(g.converged.sum())} converged to 1e-4 within 1000 "
          f"iterations, {int(g.n_iter.sum()):,} row-iterations")
    load, cpus = os.getloadavg()[0], os.cpu_count()
    print(f"  grid        {tg:6.2f} s wall ({cg:5.2f} s CPU)   target < 3 s: "
          f"{'met' if tg < 3 else 'NOT met'} in wall time, "
          f"{'met' if cg < 3 else 'NOT met'} in CPU time "
          f"(load average {load:.1f} on {cpus} CPUs)")
    print(f"  single run  {ts:6.2f} s wall ({cs:5.2f} s CPU)   Playground default, "
          f"{r.status} after {r.n_iter:,} iterations")
    print(f"  ratio grid / single run: {tg / ts:.2f} (wall), {cg / max(cs, 1e-9):.2f} (CPU)")


if __name__ == "__main__":
    main()
