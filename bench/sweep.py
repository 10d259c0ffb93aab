"""Benchmark of nnls_core.sweep, measured side by side in one run.

    python bench/sweep.py            # full run
    python bench/sweep.py --quick    # smaller grid

1. B = 32 fixed-step Hadamard runs (an alpha grid) on one A, m = 50, n = 200: one batched
   sweep against 32 sequential ``nnls_core.solve`` calls (target: batched >= 5x faster).
   The same for 32 independent problems stacked as (32, 50, 200).
   The same alpha grid with Barzilai-Borwein steps: ``sweep(..., step="bb")`` against 32
   sequential ``nnls_core.hadamard(..., step="bb")`` calls (CPU time, median of 3
   interleaved rounds; target >= 8x).
2. Phase transition: a 10 x 10 grid of (m/n, s/m) with 10 trials per cell at n = 50 for
   Hadamard GD, Lawson-Hanson and l1-min (target: under 60 s on two cores).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nnls_core as nc  # noqa: E402
from nnls_core.experiments import phase_transition  # noqa: E402
from nnls_core.references import nnls_solution, safe_step, spectral_norm  # noqa: E402
from nnls_core.sweep import sweep  # noqa: E402


def _cpu(fn):
    t0 = time.process_time()
    out = fn()
    return time.process_time() - t0, out


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def batched_vs_sequential(max_iter: int) -> None:
    p = nc.sparse_problem(50, 200, 5, seed=1)
    x_max = float(nnls_solution(p.A, p.b).max())
    eta = safe_step(spectral_norm(p.A), 2, x_max)
    alphas = np.geomspace(1e-3, 1e-1, 32)
    tb, rs = _timed(lambda: sweep(p.A, p.b, L=2, alpha=alphas, step=eta,
                                    max_iter=max_iter, tol=1e-6))
    ts, qs = _timed(lambda: [nc.solve(p.A, p.b, L=2, alpha=a, step=eta, max_iter=max_iter,
                                      tol=1e-6) for a in alphas])
    diff = max(float(np.abs(r.x - q.x).max()) for r, q in zip(rs, qs))
    iters = sum(r.n_iter for r in rs)
    print(f"shared A, B = 32, m = 50, n = 200, {iters} iterations in all: batched "
          f"{tb:.2f} s, sequential {ts:.2f} s, ratio {ts / tb:.1f}x "
          f"(target >= 5x); max |x_batched - x_sequential| = {diff:.1e}")

    ps = [nc.sparse_problem(50, 200, 5, seed=s) for s in range(32)]
    A, b = np.stack([q.A for q in ps]), np.stack([q.b for q in ps])
    etas = [safe_step(spectral_norm(q.A), 2, float(nnls_solution(q.A, q.b).max())) for q in ps]
    tb, rs = _timed(lambda: sweep(A, b, L=2, alpha=1e-2, step=etas, max_iter=max_iter,
                                    tol=1e-6))
    ts, qs = _timed(lambda: [nc.solve(q.A, q.b, L=2, alpha=1e-2, step=e, max_iter=max_iter,
                                      tol=1e-6) for q, e in zip(ps, etas)])
    diff = max(float(np.abs(r.x - q.x).max()) for r, q in zip(rs, qs))
    print(f"stacked (32, 50, 200): batched {tb:.2f} s, sequential {ts:.2f} s, ratio "
          f"{ts / tb:.1f}x; max |x_batched - x_sequential| = {diff:.1e}")


def batched_vs_sequential_bb(max_iter: int, tol: float = 1e-8, repeat: int = 3) -> None:
    """B = 32 alphas on one 50 x 200 problem with Barzilai-Borwein steps: one sweep
    against 32 sequential single runs (each row keeps its own BB step and line search),
    in CPU time (both run on one BLAS thread), median over interleaved rounds."""
    p = nc.sparse_problem(50, 200, 5, seed=1)
    alphas = np.geomspace(1e-3, 1e-1, 32)
    ratios, tbs, tss = [], [], []
    for _ in range(repeat):
        tb, rs = _cpu(lambda: sweep(p.A, p.b, L=2, alpha=alphas, step="bb",
                                    max_iter=max_iter, tol=tol))
        ts, qs = _cpu(lambda: [nc.hadamard(p.A, p.b, L=2, alpha=a, step="bb",
                                           max_iter=max_iter, tol=tol) for a in alphas])
        ratios.append(ts / tb)
        tbs.append(tb)
        tss.append(ts)
    diff = max(float(np.abs(r.x - q.x).max()) for r, q in zip(rs, qs))
    same_iters = sum(r.n_iter == q.n_iter for r, q in zip(rs, qs))
    statuses = {st: sum(r.status == st for r in rs) for st in sorted({r.status for r in rs})}
    iters = sum(r.n_iter for r in rs)
    print(f"BB steps, shared A, B = 32, m = 50, n = 200, tol = {tol:g}, {iters} iterations "
          f"in all (longest row {max(r.n_iter for r in rs)}), statuses {statuses}: batched "
          f"{np.median(tbs):.2f} s, sequential {np.median(tss):.2f} s (CPU), ratio "
          f"{np.median(ratios):.1f}x (median of {repeat}; target >= 8x); "
          f"max |x_batched - x_sequential| = {diff:.1e}; same iteration count in "
          f"{same_iters}/32 rows")


def phase_grid(cells: int, trials: int) -> None:
    grid = np.linspace(1 / cells, 1.0, cells)
    t, pt = _timed(lambda: phase_transition(50, grid, grid, trials=trials))
    print(f"phase transition {cells} x {cells} x {trials} trials, n = 50: {t:.1f} s in all "
          "(target < 60 s); per method: "
          + ", ".join(f"{k} {v:.1f} s" for k, v in pt.time_s.items()))
    for k, v in pt.success.items():
        print(f"  {k:14s} overall success {100 * v.mean():.0f}%")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    batched_vs_sequential(2_000 if args.quick else 5_000)
    batched_vs_sequential_bb(2_000 if args.quick else 5_000)
    phase_grid(*((6, 5) if args.quick else (10, 10)))


if __name__ == "__main__":
    main()
