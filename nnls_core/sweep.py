"""Many Hadamard runs at once: parameter sweeps and stacks of small problems.

:func:`sweep` runs the Hadamard method of :func:`nnls_core.hadamard` for B
configurations together, one per row of a ``(B, n)`` array, on the same engine:

* a shared ``A`` (``(m, n)``): one ``X @ A.T`` and one ``R @ A`` per iteration for all
  rows (matrix-matrix products), e.g. an alpha grid times several L times several
  right-hand sides;
* stacked ``A`` (``(B, m, n)``): many independent small problems, ``np.matmul`` on the
  stack.

Every row follows exactly the algorithm, step policy (fixed with decay, Barzilai-Borwein,
backtracking, Nesterov, mirror) and stopping test of the single run, so the results equal
sequential :func:`nnls_core.hadamard` calls up to rounding. Rows that stop are dropped
from the batch, so the cost follows the slowest row only.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np

from ._hadamard import run_batch
from ._operator import Operator
from .options import HadamardOptions
from .result import Result

__all__ = ["sweep", "grid"]


def grid(**axes) -> dict[str, np.ndarray]:
    """Cartesian product of parameter lists, as equal-length arrays for :func:`sweep`.

    Examples
    --------
    >>> g = grid(L=[2, 3], alpha=[1e-3, 1e-2])
    >>> g["L"].tolist(), g["alpha"].tolist()
    ([2, 2, 3, 3], [0.001, 0.01, 0.001, 0.01])
    """
    names = list(axes)
    rows = list(itertools.product(*(np.atleast_1d(axes[k]).tolist() for k in names)))
    return {k: np.array([r[i] for r in rows]) for i, k in enumerate(names)}


def _column(value, name: str, B: int) -> list:
    if isinstance(value, str) or value is None or np.ndim(value) == 0:
        return [value] * B
    vals = list(np.asarray(value, dtype=object).ravel())
    if np.ndim(value) != 1 or len(vals) not in (1, B):
        raise ValueError(f"{name} must be a number or have length {B}, got shape "
                         f"{np.shape(value)}")
    return vals * B if len(vals) == 1 else vals


def _batch_size(*values) -> int:
    sizes = {np.size(v) for v in values if not isinstance(v, str) and np.ndim(v) > 0}
    if 0 in sizes:
        return 0
    sizes.discard(1)
    if len(sizes) > 1:
        raise ValueError(f"parameter lists have different lengths {sorted(sizes)}; "
                         "use nnls_core.sweep.grid for a Cartesian product")
    return sizes.pop() if sizes else 1


def sweep(
    A,
    b,
    *,
    L=2,
    alpha=1e-2,
    step=None,
    decay=0.0,
    form: str = "u",
    accel: str | None = None,
    max_iter: int = 50_000,
    tol: float = 1e-8,
    time_limit: float | None = None,
    decay_offset: float = 1.0,
    restart: bool = False,
    sign_guard: bool = False,
    record: bool = True,
    progress: Callable[[float], None] | None = None,
) -> list[Result]:
    """The Hadamard method for many configurations at once.

    Parameters
    ----------
    A : array_like, shape (m, n) or (B, m, n)
        One matrix shared by all runs, or a stack of independent problems.
    b : array_like, shape (m,) or (B, m)
        One right-hand side for all runs, or one per run.
    L, alpha, decay : float or sequence of length B
        Per-run exponent, initialization scale and decay, as in :func:`nnls_core.hadamard`.
    step : float, sequence of floats, "bb" or "auto", optional
        Per-run fixed steps, or one adaptive kind for all runs (default as in
        :func:`nnls_core.hadamard`).
    form, accel, max_iter, tol, time_limit :
        As in :func:`nnls_core.hadamard`, shared by all runs.
    decay_offset, restart, sign_guard :
        As in :func:`nnls_core.hadamard` (:class:`nnls_core.HadamardOptions`), shared by
        all runs: ``eta_k = eta / (k + decay_offset)^decay`` (the authors index from 2),
        and the options of the authors' momentum schedules ``accel="nesterov_paper"`` /
        ``"mirror_paper"``.
    record : bool
        True: full histories as in :func:`nnls_core.solve`. False: the histories hold
        only the first and the last iterate and objective (large stacks).
    progress : callable, optional
        Called as ``progress(done_fraction)`` with a float in [0, 1] (the fraction of
        ``max_iter`` done, or of the runs finished if more) now and then, and with 1.0 at
        the end.

    Returns
    -------
    list of Result
        One per run, in order; equal (to rounding) to the sequential
        ``nnls_core.hadamard(A_j, b_j, L=L_j, alpha=alpha_j, step=step_j, ...)``.

    Examples
    --------
    >>> import nnls_core as nc
    >>> p = nc.sparse_problem(10, 50, 3, seed=0)
    >>> rs = sweep(p.A, p.b, L=2, alpha=[1e-2, 1e-1], step=0.05, max_iter=20_000)
    >>> [r.status for r in rs]
    ['converged', 'converged']

    The authors' decay indexing ``eta / (k+2)^gamma`` for two gammas at once:

    >>> rs = sweep(p.A, p.b, alpha=0.1, step=0.05, decay=[0.0, 0.5], decay_offset=2,
    ...            form="x", max_iter=100, tol=0)
    >>> bool(rs[0].objective < rs[1].objective)  # the undecayed step goes further
    True
    """
    op = Operator(A, stack=True)
    b = op.check_b(b, batch=True)
    B = _batch_size(L, alpha, step, decay)
    if B == 0:
        raise ValueError("the parameter lists (L, alpha, step, decay) must not be empty")
    for size, name in ((op.batch, "A"), (b.shape[0] if b.ndim == 2 else None, "b")):
        if size is not None:
            if B not in (1, size):
                raise ValueError(f"{name} holds {size} problems but the parameter lists "
                                 f"have length {B}")
            B = size
    if op.batch is not None and b.ndim == 2 and op.batch != b.shape[0]:
        raise ValueError(f"A holds {op.batch} problems but b holds {b.shape[0]}")
    b = np.broadcast_to(b, (B, op.shape[0]))
    if op.batch is not None:
        op = op.take(np.arange(B)) if op.batch == B else op
    Ls, alphas, steps, decays = (_column(v, k, B) for v, k in
                                 ((L, "L"), (alpha, "alpha"), (step, "step"),
                                  (decay, "decay")))
    def tick(k, state):
        if progress is not None and (k % 200 == 0):
            frac = max(k / max(max_iter, 1), 1 - state.rows.size / B)
            progress(min(frac, 1.0))
        return True

    rows = [HadamardOptions(L=Ls[j], alpha=alphas[j], step=steps[j], decay=decays[j],
                            form=form, accel=accel, max_iter=max_iter, tol=tol,
                            time_limit=time_limit, decay_offset=decay_offset,
                            restart=restart, sign_guard=sign_guard,
                            callback=tick if progress is not None else None)
            for j in range(B)]
    out = run_batch(op, b, rows, record=record)
    if progress is not None:
        progress(1.0)
    return out
