"""Tune before you code: one grid over alpha x L x step mode, summarized per cell.

:func:`tune` runs the Hadamard method for every combination of the initialization scale
alpha, the exponent L and a step mode, on one problem, with :func:`nnls_core.sweep.sweep`
(the rows of a batch run together). It records per cell the iterations and the time to
the tolerance, the status, and the l1 norm of the end point relative to a reference: the
minimum-l1 non-negative solution of ``A x = b`` (the limit the implicit bias aims at),
or the Lawson-Hanson solution when ``A x = b`` has no non-negative solution.

The step modes are the four ways the dashboard runs the method:

* ``"fixed"``: a fixed step, ``step_scale`` times the safe step of
  :func:`nnls_core.references.safe_step` (one per L);
* ``"bb"``: Barzilai-Borwein steps;
* ``"nesterov"``: momentum on u with backtracking (``step="auto"``);
* ``"mirror"``: accelerated mirror descent with backtracking.

A batch shares its step mode (and the engine runs accelerated mirror descent for one L
per batch), so the grid is run as one batch per mode (per mode and L for mirror).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields

import numpy as np

from .references import min_l1, nnls_solution, safe_step, solution_scale, spectral_norm
from .sweep import grid, sweep

__all__ = ["MODES", "TuneGrid", "load_grid", "mode_options", "save_grid", "tune"]

#: The step modes of the grid, in display order.
MODES = ("fixed", "bb", "nesterov", "mirror")


def mode_options(mode: str, step: float | None = None) -> dict:
    """The options of :func:`nnls_core.hadamard` that select a step mode.

    Parameters
    ----------
    mode : {"fixed", "bb", "nesterov", "mirror"}
    step : float, optional
        The fixed step (mode "fixed" only, where it is required).

    Examples
    --------
    >>> mode_options("nesterov")
    {'accel': 'nesterov', 'step': 'auto'}
    >>> mode_options("fixed", 0.25)
    {'step': 0.25}
    """
    if mode == "fixed":
        if step is None:
            raise ValueError("mode 'fixed' needs a step")
        return {"step": float(step)}
    if step is not None:
        raise ValueError(f"mode {mode!r} chooses its own steps; give no step")
    if mode == "bb":
        return {"step": "bb"}
    if mode in ("nesterov", "mirror"):
        return {"accel": mode, "step": "auto"}
    raise ValueError(f"mode must be one of {MODES}, got {mode!r}")


@dataclass(frozen=True)
class TuneGrid:
    """The outcome of :func:`tune`; arrays are indexed ``[mode, L, alpha]``.

    Attributes
    ----------
    alphas, Ls, modes : tuple
        The grid's axes.
    n_iter : ndarray of int
        Iterations done (to the tolerance when the cell converged).
    time_s : ndarray of float
        Seconds from the start of the cell's batch until the cell stopped (the rows of a
        batch share every iteration, so this is the cell's cost inside the batch).
    status : ndarray of str
        The Result's status ("converged" only when the stopping test holds).
    l1 : ndarray of float
        ``||x||_1`` of the end point (x may have negative entries only for L = 1, plain
        unconstrained gradient descent).
    steps : ndarray of float
        The fixed step of each cell (NaN for the adaptive modes).
    l1_ref : float
        The reference l1 norm (see ``l1_ref_name``).
    l1_ref_name : str
        "min-l1 LP" (minimum-l1 non-negative solution of ``A x = b``) or "Lawson-Hanson"
        (when ``A x = b`` has no non-negative solution).
    tol, max_iter : float, int
        The stopping tolerance and the iteration budget of every cell.
    wall_s : float
        Wall time of the whole grid.
    """

    alphas: tuple[float, ...]
    Ls: tuple[float, ...]
    modes: tuple[str, ...]
    n_iter: np.ndarray
    time_s: np.ndarray
    status: np.ndarray
    l1: np.ndarray
    steps: np.ndarray
    l1_ref: float
    l1_ref_name: str
    tol: float
    max_iter: int
    wall_s: float

    @property
    def converged(self) -> np.ndarray:
        """True where the cell passed the stopping test."""
        return self.status == "converged"

    @property
    def l1_ratio(self) -> np.ndarray:
        """``||x||_1 / l1_ref``: 1 is the sparsest fit; above 1, the l1 not bought."""
        return self.l1 / max(self.l1_ref, np.finfo(float).tiny)

    def options(self, i: int, j: int, k: int) -> dict:
        """The keyword options of ``nnls_core.solve(A, b, method="hadamard", ...)`` that
        reproduce cell ``[i, j, k]`` (mode, L, alpha)."""
        mode = self.modes[i]
        step = float(self.steps[i, j, k]) if mode == "fixed" else None
        L = self.Ls[j]
        return {"L": int(L) if float(L).is_integer() else float(L),
                "alpha": float(self.alphas[k]), **mode_options(mode, step),
                "max_iter": int(self.max_iter), "tol": float(self.tol)}

    def best(self, l1_slack: float = 0.05) -> tuple[int, int, int] | None:
        """The converged cell with the fewest iterations among those whose l1 is within
        ``1 + l1_slack`` of the reference (ties: the shorter time), or None."""
        ok = self.converged & (self.l1_ratio <= 1 + l1_slack)
        if not ok.any():
            return None
        cells = np.argwhere(ok)
        key = [(self.n_iter[tuple(c)], self.time_s[tuple(c)]) for c in cells]
        return tuple(int(v) for v in cells[min(range(len(key)), key=key.__getitem__)])


_GRID_ARRAYS = ("n_iter", "time_s", "status", "l1", "steps")


def save_grid(g: TuneGrid, path, meta: dict | None = None) -> None:
    """Write a grid to a compressed ``.npz`` file, no pickle.

    Parameters
    ----------
    g : TuneGrid
    path : str or Path or file
    meta : dict, optional
        JSON-serializable data kept beside the grid (e.g. the settings it came from).

    Examples
    --------
    >>> import io, nnls_core as nc
    >>> p = nc.sparse_problem(10, 30, 2, seed=0)
    >>> g = tune(p.A, p.b, alphas=[0.1], Ls=[2], modes=["bb"], max_iter=200)
    >>> buf = io.BytesIO()
    >>> save_grid(g, buf, {"note": "small"})
    >>> _ = buf.seek(0)
    >>> back, meta = load_grid(buf)
    >>> back.status.tolist() == g.status.tolist(), back.alphas, meta
    (True, (0.1,), {'note': 'small'})
    """
    scalars = {f.name: getattr(g, f.name) for f in fields(g) if f.name not in _GRID_ARRAYS}
    np.savez_compressed(path, meta=np.array(json.dumps({"meta": meta or {},
                                                        "grid": scalars})),
                        **{k: getattr(g, k) for k in _GRID_ARRAYS})


def load_grid(path) -> tuple[TuneGrid, dict]:
    """Read what :func:`save_grid` wrote: ``(grid, meta)``."""
    with np.load(path, allow_pickle=False) as data:
        info = json.loads(str(data["meta"]))
        arrays = {k: data[k] for k in _GRID_ARRAYS}
    scalars = info["grid"]
    for k in ("alphas", "Ls", "modes"):
        scalars[k] = tuple(scalars[k])
    return TuneGrid(**scalars, **arrays), info["meta"]


def _l1_reference(A, b) -> tuple[float, str]:
    x, _, _ = min_l1(A, b)
    if x is not None:
        return float(x.sum()), "min-l1 LP"
    return float(nnls_solution(A, b).sum()), "Lawson-Hanson"


def tune(
    A,
    b,
    *,
    alphas: Sequence[float],
    Ls: Sequence[float] = (2, 3, 4),
    modes: Sequence[str] = MODES,
    tol: float = 1e-4,
    max_iter: int = 1000,
    step_scale: float = 1.0,
    progress: Callable[[float], None] | None = None,
) -> TuneGrid:
    """Run the Hadamard method on every cell of alpha x L x step mode; summarize each.

    Parameters
    ----------
    A : array_like, shape (m, n)
        A dense matrix (the references solve a linear program and Lawson-Hanson on it).
    b : array_like, shape (m,)
    alphas, Ls : sequence of float
        Initialization scales and exponents.
    modes : sequence of str
        Step modes among :data:`MODES`.
    tol, max_iter : float, int
        The stopping tolerance and iteration budget of every cell.
    step_scale : float
        The fixed step is ``step_scale`` times the safe step
        ``1 / (L^2 x_max^(2-2/L) ||A||_2^2)`` (x_max: the largest entry of the
        Lawson-Hanson solution); 2 is the edge of the stability region.
    progress : callable, optional
        Called as ``progress(done_fraction)`` now and then while the grid runs, and
        with 1.0 at the end.

    Returns
    -------
    TuneGrid

    Examples
    --------
    >>> import nnls_core as nc
    >>> p = nc.sparse_problem(20, 60, 3, seed=1)
    >>> g = tune(p.A, p.b, alphas=[1e-2, 1e-1], Ls=[2], modes=["bb"], tol=1e-6,
    ...          max_iter=3000)
    >>> g.status.tolist()
    [[['converged', 'converged']]]

    Each cell is the run that ``nc.solve`` makes with ``g.options(...)``:

    >>> r = nc.solve(p.A, p.b, method="hadamard", **g.options(0, 0, 1))
    >>> r.n_iter == int(g.n_iter[0, 0, 1]), bool(np.abs(r.x).sum() == g.l1[0, 0, 1])
    (True, True)

    Smaller alpha costs iterations and buys sparsity (l1 nearer the minimum-l1 LP):

    >>> n, ratio = g.n_iter[0, 0], g.l1_ratio[0, 0]
    >>> bool(n[0] > n[1] and 1 < ratio[0] < ratio[1])
    True
    """
    alphas = tuple(float(a) for a in alphas)
    Ls = tuple(float(v) for v in Ls)
    modes = tuple(modes)
    if not alphas or not Ls or not modes:
        raise ValueError("alphas, Ls and modes must not be empty")
    bad = [m for m in modes if m not in MODES]
    if bad:
        raise ValueError(f"unknown step modes {bad}; choose among {MODES}")
    A = np.asarray(A, dtype=float)
    b = np.asarray(b, dtype=float).ravel()
    t0 = time.perf_counter()
    shape = (len(modes), len(Ls), len(alphas))
    n_iter = np.zeros(shape, dtype=np.int64)
    time_s, l1, steps = np.zeros(shape), np.zeros(shape), np.full(shape, np.nan)
    status = np.empty(shape, dtype="<U10")
    cells = grid(L=Ls, alpha=alphas)
    fixed = None
    if "fixed" in modes:
        fixed = step_scale * np.asarray(safe_step(spectral_norm(A), cells["L"],
                                                  max(solution_scale(A, b), 1e-12)))
    # one batch per mode; accelerated mirror descent runs one L per batch
    batches = [(i, None) for i, m in enumerate(modes) if m != "mirror"]
    batches += [(i, j) for i, m in enumerate(modes) if m == "mirror" for j in range(len(Ls))]
    for done, (i, j) in enumerate(batches):
        report = None
        if progress is not None:
            def report(frac: float, done: int = done) -> None:
                progress((done + frac) / len(batches))
        opts = mode_options(modes[i], 1.0 if modes[i] == "fixed" else None)
        if modes[i] == "fixed":
            opts["step"] = fixed
        where = (i,) if j is None else (i, j)
        L, alpha = (cells["L"], cells["alpha"]) if j is None else (Ls[j], alphas)
        rs = sweep(A, b, L=L, alpha=alpha, max_iter=max_iter, tol=tol, record=False,
                   progress=report, **opts)
        for arr, values in ((n_iter, [r.n_iter for r in rs]), (time_s, [r.time_s for r in rs]),
                            (l1, [float(np.abs(r.x).sum()) for r in rs]),
                            (status, [r.status for r in rs])):
            arr[where] = np.reshape(values, arr[where].shape)
        if modes[i] == "fixed":
            steps[i] = np.reshape(fixed, (len(Ls), len(alphas)))
    l1_ref, ref_name = _l1_reference(A, b)
    if progress is not None:
        progress(1.0)
    return TuneGrid(alphas, Ls, modes, n_iter, time_s, status, l1, steps, l1_ref, ref_name,
                    float(tol), int(max_iter), time.perf_counter() - t0)
