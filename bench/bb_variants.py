"""Barzilai-Borwein variants for the Hadamard method, compared on the same problems.

    python bench/bb_variants.py

For BB1 alone and alternating BB1/BB2 ("ABB"), each with and without the cap at 0.9 of
the step to the boundary P = 0, in the u-form and the x-form: iterations to the default
tolerance and the share of iterations whose first trial step was refused (each refusal
costs at least one more product with A). Problems: sparse wide ones (the Playground's
kind) and tall Gaussian ones with active constraints (tests/test_core_solvers.py's kind),
L = 2, 3, 4. The library runs ABB with the cap in the u-form and BB1 with the cap in the
x-form (:class:`nnls_core._steps.BB`); this prints the measurements behind that choice.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nnls_core as nc  # noqa: E402
from nnls_core import _steps  # noqa: E402
from nnls_core._driver import Budget, Run  # noqa: E402
from nnls_core._operator import Operator  # noqa: E402
from nnls_core._reparam import Hadamard  # noqa: E402

VARIANTS = {"BB1": (False, 0.0), "BB1+cap": (False, _steps.BOUNDARY),
            "ABB": (True, 0.0), "ABB+cap": (True, _steps.BOUNDARY)}
MAX_ITER = 30_000


class Counting(_steps.BB):
    """The library's BB policy, counting the iterations whose first trial is refused."""

    refused = 0

    def bind(self, run) -> None:
        super().bind(run)
        self.refused = 0

    def step(self, run, k: int) -> None:
        trials = []
        search = _steps.search

        def counted(run_, P, G, pgrad, eta, ref, c=_steps.ARMIJO):
            out = search(run_, P, G, pgrad, eta.copy(), ref, c)
            trials.append(bool(out[1][0] != eta[0]))  # the accepted step is not the first
            return out

        _steps.search = counted
        try:
            super().step(run, k)
        finally:
            _steps.search = search
        self.refused += sum(trials)


def run(p, L: int, alpha: float, form: str, alternate: bool, cap: float, tol: float):
    op = Operator(p.A)
    geo = Hadamard(np.array([float(L)]), form)
    policy = Counting(alternate, cap)
    r = Run(op, op.check_b(p.b)[None], geo, geo.start(np.array([alpha]), op.shape[1]),
            Budget(MAX_ITER, tol, record=False), "hadamard").run(policy)[0]
    return r, policy.refused / max(r.n_iter, 1)


def main() -> None:
    tol = nc.HadamardOptions().tol
    cases = [("sparse 50x200", nc.sparse_problem(50, 200, 5, seed=1), alpha, L)
             for L in (2, 3) for alpha in (1e-3, 1e-2, 1e-1)]
    cases += [("sparse 200x1000", nc.sparse_problem(200, 1000, 20, seed=0), alpha, 2)
              for alpha in (1e-3, 1e-2)]
    cases += [(f"gaussian 80x30 s{seed}", nc.gaussian_problem(80, 30, seed=seed), 1e-2, L)
              for seed in (0, 1) for L in (2, 3, 4)]
    for form in ("u", "x"):
        print(f"\n{form}-form, tol {tol:g}, max_iter {MAX_ITER}: iterations / share of "
              "refused first trials ('*': not converged)")
        print(f"{'problem':24s}{'L':>3s}{'alpha':>8s}" +
              "".join(f"{name:>16s}" for name in VARIANTS))
        totals = dict.fromkeys(VARIANTS, 0)
        for label, p, alpha, L in cases:
            cells = []
            for name, (alternate, cap) in VARIANTS.items():
                r, refused = run(p, L, alpha, form, alternate, cap, tol)
                totals[name] += r.n_iter
                star = " " if r.status == "converged" else "*"
                cells.append(f"{r.n_iter:>8d}{star}/{refused:5.2f}")
            print(f"{label:24s}{L:>3d}{alpha:>8.0e}" + "".join(f"{c:>16s}" for c in cells))
        print(f"{'total iterations':35s}" + "".join(f"{v:>16d}" for v in totals.values()))


if __name__ == "__main__":
    main()
