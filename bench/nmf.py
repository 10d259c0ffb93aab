"""Benchmark: per-iteration time of our NMF solvers against scikit-learn, side by side.

Run:  python bench/nmf.py [--iters 200] [--repeats 5]

Target (issue): our multiplicative rule is not slower per iteration than
sklearn.decomposition.NMF(solver="mu") on the digits (64 x 1797), r = 16. Both start from
the same point and run the same number of iterations; runs are interleaved so that load
from other processes hits both alike; the median over repeats is reported. nnls_core runs
BLAS single-threaded for products this small (see _threads.SINGLE_THREAD_BELOW); scikit-learn
is timed both under that same limit and with its own default threads.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nnls_core import _threads, nmf  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iters", type=int, default=200)
    ap.add_argument("--repeats", type=int, default=9)
    ap.add_argument("--rank", type=int, default=16)
    args = ap.parse_args()

    X, _, _ = nmf.digits()
    r = args.rank
    W0, H0 = nmf.init(X, r, "random", seed=0)
    def own_threads(fn):
        """Run ``fn`` with our single-thread limit lifted (BLAS default threads)."""
        def run():
            # the threshold is read by nmf.solvers (solve and sklearn_nmf alike)
            saved, _threads.SINGLE_THREAD_BELOW = _threads.SINGLE_THREAD_BELOW, 0
            try:
                return fn()
            finally:
                _threads.SINGLE_THREAD_BELOW = saved
        return run

    runs = {
        "ours multiplicative (own threads)": own_threads(
            lambda: nmf.solve(X, r, "multiplicative", max_iter=args.iters, init=(W0, H0))),
        "ours multiplicative": lambda: nmf.solve(X, r, "multiplicative", max_iter=args.iters,
                                                 init=(W0, H0)),
        "sklearn mu": lambda: nmf.sklearn_nmf(X, r, "mu", max_iter=args.iters, init=(W0, H0)),
        "sklearn mu (own threads)": lambda: nmf.sklearn_nmf(
            X, r, "mu", max_iter=args.iters, init=(W0, H0), same_threads=False),
        "ours projected_gradient": lambda: nmf.solve(X, r, "projected_gradient",
                                                     max_iter=args.iters, init=(W0, H0)),
        "ours hadamard": lambda: nmf.solve(X, r, "hadamard", max_iter=args.iters, init=(W0, H0)),
        "sklearn cd": lambda: nmf.sklearn_nmf(X, r, "cd", max_iter=args.iters, init=(W0, H0)),
    }
    per_iter: dict[str, list[float]] = {k: [] for k in runs}
    final: dict[str, float] = {}
    status: dict[str, str] = {}
    for name, fn in runs.items():  # warm-up (imports, caches)
        fn()
    for _ in range(args.repeats):
        for name, fn in runs.items():
            t0 = time.perf_counter()
            res = fn()
            dt = time.perf_counter() - t0  # wall clock of the whole call, both sides alike
            per_iter[name].append(dt / res.n_iter)
            final[name] = res.objective
            status[name] = res.status
    print(f"digits X {X.shape}, r = {r}, {args.iters} iterations, median of {args.repeats} "
          "interleaved repeats (wall clock of the whole call / iterations)")
    print(f"{'method':34s} {'ms/iter':>9s} {'final f (seed conv.)':>22s}  status")
    med = {k: float(np.median(v)) for k, v in per_iter.items()}
    for k in runs:
        print(f"{k:34s} {1e3 * med[k]:9.3f} {final[k]:22.6g}  {status[k]}")
    ratio = med["ours multiplicative"] / med["sklearn mu"]
    ratio2 = med["ours multiplicative"] / med["sklearn mu (own threads)"]
    same = abs(final["ours multiplicative"] - final["sklearn mu"]) / final["sklearn mu"]
    print(f"\nratio ours multiplicative / sklearn mu per iteration, same BLAS thread limit: "
          f"{ratio:.3f} ({'PASS' if ratio <= 1.0 else 'FAIL'}: target <= 1)")
    print(f"ratio ours (single-thread limit) / sklearn mu (default BLAS threads): "
          f"{ratio2:.3f} (information: unequal thread budgets)")
    ratio3 = med["ours multiplicative (own threads)"] / med["sklearn mu (own threads)"]
    print(f"ratio ours multiplicative / sklearn mu, both with default BLAS threads: "
          f"{ratio3:.3f} ({'PASS' if ratio3 <= 1.0 else 'FAIL'}: target <= 1)")
    print(f"relative difference of final objectives (same algorithm, same start): {same:.2e}")


if __name__ == "__main__":
    main()
