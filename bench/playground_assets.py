"""Write assets/playground/default.npz: the Playground's default run and its α grid
(every α of the slider, histories slimmed as the page slims them), computed without the
page's time budgets. Run it after changing the Playground's defaults or the engine;
tests/test_playground.py fails while the file is stale.

    python bench/playground_assets.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nnls_core as nc  # noqa: E402
from nnls_core.result import save_results  # noqa: E402
from nnls_core.sweep import sweep  # noqa: E402
from ui.problems import ALPHAS, GENERATORS  # noqa: E402
from ui.shipped import PATH, grid_options, options_of, slim  # noqa: E402

#: The Playground's default problem key (kind, m, n, s, noise, neg, corr, seed) and
#: solver settings; tests/test_playground.py checks them against the page's own.
KEY = (GENERATORS[0], 30, 100, 4, 0.0, 0.0, 0.7, 0)
SETTINGS = dict(L=2, alpha=1e-3, max_iter=20_000, tol=nc.HadamardOptions().tol, accel=None,
                form="u", step_kind="bb", eta=0.05, gamma=0.0)


def main() -> None:
    kind, m, n, s, noise, neg, corr, seed = KEY
    p = nc.sparse_problem(m, n, s, noise=noise, negative_perturbation=neg, seed=seed)
    options = options_of(**SETTINGS)
    t = time.perf_counter()
    run = nc.solve(p.A, p.b, method="hadamard", **options)
    opts = {k: v for k, v in options.items() if k != "alpha"}
    grid = [slim(r) for r in sweep(p.A, p.b, alpha=ALPHAS, **opts)]
    PATH.parent.mkdir(parents=True, exist_ok=True)
    save_results([run, *grid], PATH, {
        "run_key": repr((KEY, tuple(sorted(options.items())))),
        "grid_key": repr((KEY, grid_options(options)))})
    print(f"{PATH}: run {run.status} after {run.n_iter} iterations; grid "
          f"{sum(r.status == 'converged' for r in grid)}/{len(grid)} converged "
          f"({time.perf_counter() - t:.1f} s, {PATH.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
