"""Benchmarks for nnls_core, measured side by side in one run.

    python bench/solvers.py            # full run (a few minutes)
    python bench/solvers.py --quick    # smaller sizes

1. Per-iteration cost of "hadamard" divided by the cost of the two matrix-vector
   products it needs (A x and A^T r, the faster of a transposed copy and A read in
   place, with the one BLAS thread the solvers use for products this size), at m = 500,
   n = 2000, in CPU time, median of interleaved rounds (targets: fixed step <= 1.15,
   bb <= 1.4). Beside them, the same ratio for the fixed-step update and stopping test
   written out by hand in plain numpy (no history, checks or batch axis): the floor.
2. Time to solution of every method against the Lawson-Hanson reference
   (``nnls_core.references.nnls_solution``, i.e. scipy.optimize.nnls), tall / square / wide.
3. Small alpha (1e-3): iterations and time to reach objective 1e-10 for the plain fixed
   step, "auto", "bb", Nesterov and mirror.
4. Wide problems (200x1000, 500x2000, 2000x8000; --quick: the first two): the default
   Hadamard run against scipy.optimize.nnls, time ratio measured side by side.
"""

from __future__ import annotations

import argparse
import time

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nnls_core as nc  # noqa: E402
from nnls_core._threads import blas_threads  # noqa: E402
from nnls_core.references import nnls_solution, safe_step, spectral_norm  # noqa: E402


def cpu_time(fn) -> float:
    """CPU seconds of one call (this process)."""
    t = time.process_time()
    fn()
    return time.process_time() - t


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def per_iteration(m: int, n: int, iters: int, rounds: int = 7) -> None:
    """Median over interleaved rounds of (solver time / two mat-vecs time), in CPU time.

    The products run on one BLAS thread (as the solvers run them at this size), so CPU
    time is their cost; unlike wall time it does not count the moments the process
    waits for a core on a loaded machine. The baseline of each round is the faster of
    two layouts: A^T r from a transposed copy of A, or read from A itself (what the
    solvers do: one copy of A stays in cache better).
    """
    p = nc.sparse_problem(m, n, n // 40, seed=0)
    A, b = p.A, p.b
    x = np.abs(np.random.default_rng(1).standard_normal(n))
    AT = np.ascontiguousarray(A.T)

    def matvecs(AT):
        with blas_threads(m * n):  # as the solvers run them
            for _ in range(iters):
                r = A @ x - b
                AT @ r

    step = safe_step(spectral_norm(A), 2, 1.0) / 10
    col = np.linalg.norm(A, axis=0)

    def floor():
        """The fixed-step u-form update and the stopping test written out by hand: no
        history, no divergence checks, no batch axis (what numpy alone costs)."""
        with blas_threads(m * n):
            u = np.full(n, 1e-2)
            z = A.T @ (A @ (u * u) - b)
            for _ in range(iters):
                u = u - step * 2.0 * u * z
                x = u * u
                r = A @ x - b
                z = A.T @ r
                t = x * col
                np.minimum(t, z / col, out=t)
                if np.abs(t).max() <= 0.0:
                    break

    variants = {"hadamard fixed step, u-form": dict(step=step),
                "hadamard fixed step, x-form": dict(step=step, form="x"),
                "hadamard bb (default)": dict(step="bb"),
                "hadamard auto": dict(step="auto")}
    runs = {k: (lambda kw=kw: nc.hadamard(A, b, alpha=1e-2, max_iter=iters, tol=0.0, **kw))
            for k, kw in variants.items()}
    n_iter = {k: run().n_iter for k, run in runs.items()}
    times: dict[str, list[float]] = {k: [] for k in ["copy", "in place", "floor", *runs]}
    for _ in range(rounds):  # interleaved, so that load on the machine hits all alike
        times["copy"].append(cpu_time(lambda: matvecs(AT)))
        times["in place"].append(cpu_time(lambda: matvecs(A.T)))
        times["floor"].append(cpu_time(floor))
        for k, run in runs.items():
            times[k].append(cpu_time(run) / max(n_iter[k], 1) * iters)
    base = np.minimum(times["copy"], times["in place"])
    print(f"\n[1] per-iteration cost at m={m}, n={n} ({iters} iterations, CPU time, "
          f"{rounds} interleaved rounds, medians; targets: fixed <= 1.15, bb <= 1.4)")
    print(f"    two mat-vecs (A x, A^T r): {np.median(base) / iters * 1e6:8.1f} us / "
          f"iteration (A^T from a copy {np.median(times['copy']) / iters * 1e6:.1f}, read "
          f"in place {np.median(times['in place']) / iters * 1e6:.1f})")
    for k in ["floor", *runs]:
        ratio = np.median(np.array(times[k]) / base)
        label = "hand-written loop (floor)" if k == "floor" else k
        print(f"    {label:32s}{np.median(times[k]) / iters * 1e6:8.1f} us / iteration   ratio "
              f"{ratio:5.2f}")
    print("    (the floor: the fixed-step update and stopping test alone, in plain numpy; "
          "bb and auto also evaluate rejected trial steps: extra products with A)")


def time_to_solution(sizes: list[tuple[int, int]]) -> None:
    print("\n[2] time to solution vs Lawson-Hanson (references.nnls_solution = "
          "scipy.optimize.nnls; sparse ground truth, 1% noise; gap = (f - f_LH) / (||b||^2 / 2))")
    methods = [("hadamard", {}), ("hadamard", {"accel": "nesterov"}),
               ("hadamard", {"accel": "mirror"}), ("projected_gradient", {}),
               ("fista", {}), ("multiplicative", {}), ("lawson_hanson", {})]
    for m, n in sizes:
        p = nc.sparse_problem(m, n, max(1, min(m, n) // 10), noise=0.01, seed=0)
        t_ref = best_of(lambda: nnls_solution(p.A, p.b), repeat=3)
        x_ref = nnls_solution(p.A, p.b)
        f_ref = 0.5 * float(np.sum((p.A @ x_ref - p.b) ** 2))
        shape = "tall" if m > n else "wide" if m < n else "square"
        print(f"  {shape} {m}x{n}: Lawson-Hanson reference {t_ref * 1e3:8.1f} ms")
        for name, kw in methods:
            r = nc.solve(p.A, p.b, method=name, **kw)
            t = best_of(lambda: nc.solve(p.A, p.b, method=name, **kw), repeat=2)
            label = name + ("/" + kw["accel"] if kw else "")
            gap = (r.objective - f_ref) / (0.5 * float(p.b @ p.b))
            print(f"    {label:22s}{t * 1e3:9.1f} ms  x{t / t_ref:7.2f} of LH  "
                  f"iters {r.n_iter:6d}  {r.status:10s} gap {gap:+.1e}")


def small_alpha(m: int, n: int, target: float = 1e-10) -> None:
    p = nc.sparse_problem(m, n, 5, seed=0)
    x_lh = nnls_solution(p.A, p.b)
    fixed = safe_step(spectral_norm(p.A), 2, float(x_lh.max()))
    print(f"\n[3] alpha = 1e-3, L = 2, sparse {m}x{n}, s=5: iterations and time to "
          f"objective <= {target:g}")
    variants = [("plain fixed step", dict(step=fixed)), ("auto (backtracking)", dict(step="auto")),
                ("bb (default)", dict(step="bb")), ("nesterov (auto)", dict(accel="nesterov")),
                ("mirror (auto)", dict(accel="mirror"))]
    for label, kw in variants:
        r = nc.hadamard(p.A, p.b, alpha=1e-3, max_iter=200_000, tol=1e-9, **kw)
        hit = np.flatnonzero(r.history.objective <= target)
        if hit.size == 0:
            print(f"    {label:22s} not reached in {r.n_iter} iterations "
                  f"(objective {r.objective:.2e}, status {r.status})")
            continue
        k = int(r.history.objective_iterations[hit[0]])
        t = best_of(lambda: nc.hadamard(p.A, p.b, alpha=1e-3, max_iter=k, tol=0.0, **kw), 3)
        err = np.abs(r.x - p.x_true).max()
        print(f"    {label:22s} {k:7d} iterations  {t * 1e3:9.1f} ms   "
              f"(final max|x - x_true| = {err:.1e})")


#: Time to solution of the default run over scipy.optimize.nnls's, not to exceed.
WIDE_TARGETS = {(200, 1000): 5.4, (500, 2000): 0.87, (2000, 8000): 0.18}


def wide(sizes: list[tuple[int, int]], repeat: int = 3) -> None:
    print("\n[4] wide problems: default hadamard (nc.solve) vs scipy.optimize.nnls, "
          f"wall time, {repeat} interleaved rounds, median of the per-round ratios")
    for m, n in sizes:
        p = nc.sparse_problem(m, n, max(1, m // 10), noise=0.01, seed=0)
        r = nc.solve(p.A, p.b)
        t_s, t_h = [], []
        for _ in range(repeat):
            t_s.append(best_of(lambda: nnls_solution(p.A, p.b), 1))
            t_h.append(best_of(lambda: nc.solve(p.A, p.b), 1))
        ratio = float(np.median(np.array(t_h) / np.array(t_s)))
        target = WIDE_TARGETS.get((m, n))
        print(f"    {m}x{n}: scipy {np.median(t_s):8.3f} s   hadamard {np.median(t_h):8.3f} s"
              f"   ratio {ratio:6.2f}" + (f" (target <= {target})" if target else "")
              + f"   ({r.status}, {r.n_iter} iterations)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes")
    args = ap.parse_args()
    per_iteration(500, 2000, 200 if args.quick else 1000)
    sizes = ([(200, 50), (100, 100), (50, 200)] if args.quick
             else [(1000, 200), (2000, 500), (300, 300), (800, 800), (200, 1000), (500, 2000)])
    time_to_solution(sizes)
    small_alpha(50, 200)
    wide([(200, 1000), (500, 2000)] + ([] if args.quick else [(2000, 8000)]))


if __name__ == "__main__":
    main()
