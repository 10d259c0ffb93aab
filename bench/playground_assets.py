"""Write assets/playground/default.npz: the Playground's default run and its α grid
(every α of the slider, histories slimmed as the page slims them), computed without the
page's time budgets; and assets/tune/default.npz: the Tune page's default grid. Run it
after changing either page's defaults or the engine; tests/test_playground.py and
tests/test_tune.py fail while a file is stale.

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
from nnls_core.tuning import MODES, save_grid, tune  # noqa: E402
from ui.problems import ALPHAS, GENERATORS, make_problem  # noqa: E402
from ui.shipped import PATH, TUNE_PATH, grid_options, options_of, slim  # noqa: E402

#: The Playground's default problem key (kind, m, n, s, noise, neg, corr, seed) and
#: solver settings; tests/test_playground.py checks them against the page's own.
KEY = (GENERATORS[0], 30, 100, 4, 0.0, 0.0, 0.7, 0)
SETTINGS = dict(L=2, alpha=1e-3, max_iter=20_000, tol=nc.HadamardOptions().tol, accel=None,
                form="u", step_kind="bb", eta=0.05, gamma=0.0)
#: The Tune page's default grid on the same problem (tests/test_tune.py checks the page
#: opens on it).
TUNE = dict(alphas=(1e-3, 1e-2, 2e-2, 5e-2, 1e-1, 2e-1), Ls=(2, 3, 4), modes=MODES,
            tol=1e-4, max_iter=1000, step_scale=1.0)


def tune_key() -> str:
    """The Tune page's key of the default grid (its run_key, as a string)."""
    return repr((KEY, *(tuple(TUNE[k]) for k in ("alphas", "Ls", "modes")), TUNE["tol"],
                 TUNE["max_iter"], TUNE["step_scale"]))


def main() -> None:
    p = make_problem(*KEY)
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
    g = tune(p.A, p.b, **TUNE)
    TUNE_PATH.parent.mkdir(parents=True, exist_ok=True)
    save_grid(g, TUNE_PATH, {"run_key": tune_key()})
    print(f"{TUNE_PATH}: {g.status.size} cells, {int(g.converged.sum())} converged "
          f"({g.wall_s:.1f} s, {TUNE_PATH.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
