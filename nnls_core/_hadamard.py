"""Gradient descent on the Hadamard reparametrization x = u^L (Chou et al., AISTATS 2025).

:func:`run_batch` assembles the pieces (geometry, step policy, driver) for B rows;
:func:`hadamard` is the batch of one and :func:`nnls_core.sweep.sweep` the batch of many.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import _steps
from ._driver import Budget, Run
from ._operator import Operator
from ._reparam import Hadamard
from .options import HadamardOptions
from .result import Result


def policy_for(opts: HadamardOptions, etas: np.ndarray, decays: np.ndarray):
    """The step policy of ``opts`` (its step kind and acceleration), per-row steps."""
    if opts.accel == "nesterov_paper":
        return _steps.NesterovPaper(_steps.FixedFrom(etas, decays, opts.decay_offset),
                                    opts.restart, opts.sign_guard)
    if opts.accel == "mirror_paper":
        return _steps.MirrorPaper(_steps.FixedFrom(etas, decays, opts.decay_offset),
                                  opts.restart)
    fixed = _steps.Fixed(etas, decays) if opts.fixed else None
    if fixed is not None and opts.decay_offset != 1:
        fixed = _steps.FixedFrom(etas, decays, opts.decay_offset)
    if opts.accel == "nesterov":
        return _steps.Momentum(fixed, "nesterov")
    if opts.accel == "mirror":
        return _steps.Mirror(fixed)
    if fixed is not None:
        return fixed
    return _steps.BB(alternate=opts.form == "u") if opts.step == "bb" else _steps.Armijo()


def run_batch(op: Operator, b: np.ndarray, rows: list[HadamardOptions], *,
              record: bool = True) -> list[Result]:
    """Run one Hadamard configuration per row together (they share ``form``, ``accel``,
    the step kind and the budget of ``rows[0]``; L, alpha, a fixed step and decay are
    per row)."""
    first = rows[0]
    kinds = {(o.form, o.accel, o.fixed or o.step, o.max_iter, o.tol, o.decay_offset,
              o.restart, o.sign_guard) for o in rows}
    if len(kinds) > 1:
        raise ValueError("a batch shares form, accel, the step kind (fixed, 'bb' or "
                         "'auto'), max_iter and tol (and decay_offset, restart, "
                         "sign_guard); run separate batches for each")
    L = np.array([o.L for o in rows])
    alpha = np.array([o.alpha for o in rows])
    form = "x" if first.accel in ("mirror", "mirror_paper") else first.form
    geo = Hadamard(L, form)
    etas = np.array([o.step if o.fixed else np.nan for o in rows])
    decays = np.array([o.decay for o in rows])
    P0 = geo.start(alpha, op.shape[1])
    budget = Budget(first.max_iter, first.tol, first.time_limit, first.callback, record)
    return Run(op, b, geo, P0, budget, "hadamard").run(policy_for(first, etas, decays))


def hadamard(
    A,
    b,
    *,
    L: float = 2,
    alpha: float = 1e-2,
    step: float | str | None = None,
    decay: float = 0.0,
    form: str = "u",
    accel: str | None = None,
    max_iter: int = 50_000,
    tol: float = 1e-8,
    time_limit: float | None = None,
    callback: Callable | None = None,
    decay_offset: float = 1.0,
    restart: bool = False,
    sign_guard: bool = False,
) -> Result:
    """NNLS by gradient descent on ``x = u^L`` from ``u_0 = alpha * 1``.

    Minimizes ``g(u) = 1/2 ||A u^L - b||^2`` without constraints; ``x = u^L`` stays
    non-negative. Small ``alpha`` biases the limit towards the minimum-l1 NNLS solution.

    Parameters
    ----------
    A : array_like (m, n), scipy.sparse matrix or LinearOperator
    b : array_like (m,) or (m, 1)
    L : float
        Exponent, ``1 <= L <= 64`` (L = 1 is plain unconstrained gradient descent).
    alpha : float
        Initialization scale: ``u_0 = alpha``, so ``x_0 = alpha^L``.
    step : float or {"auto", "bb"}, optional
        Default: "bb" without acceleration, "auto" with it. A fixed step ``eta`` (with
        ``decay``: ``eta_k = eta / (k+1)^decay``); "auto": backtracking (Armijo) that
        tries a doubled step each iteration and never increases the objective; "bb":
        Barzilai-Borwein steps safeguarded by a non-monotone line search.
    decay : float
        Step-size decay exponent gamma in [0, 1] (fixed steps only).
    form : {"u", "x"}
        "u": ``u <- u - eta L u^(L-1) (.) z``; "x": the Riemannian form
        ``x <- x - eta L^2 x^(2-2/L) (.) z``, where ``z = A^T (A x - b)``.
    accel : {None, "nesterov", "mirror", "nesterov_paper", "mirror_paper"}
        "nesterov": momentum ``k/(k+3)`` on u with function-value restart;
        "mirror": accelerated mirror descent discretizing the paper's ODE
        ``x' = (2/t)(y - x)``, ``y' = -(t/2) y (.) grad f(x)`` (restarted too).
        "nesterov_paper" / "mirror_paper": the authors' schedules exactly as their
        published code runs them (fixed step only, no restart; :mod:`nnls_core.paper`).
    max_iter : int
    tol : float
        Stop ("converged") when the relative optimality residual
        ``||min(x, grad f(x) / ||A||_2^2)||_inf / max(||x||_inf, ||A^T b||_inf / ||A||_2^2)``
        is at most ``tol`` (:func:`nnls_core.optimality`; scale-invariant).
    time_limit : float, optional
        Seconds; the run then ends with status "time_limit".
    callback : callable, optional
        ``callback(k, state)`` after every iteration (:class:`nnls_core.State`); return
        False to stop with status "cancelled".
    decay_offset : float
        ``eta_k = eta / (k + decay_offset)^decay`` (default 1; the authors' code uses 2).
    restart, sign_guard : bool
        For ``accel="nesterov_paper"`` / ``"mirror_paper"``: options of the authors'
        momentum schedules (see :class:`nnls_core.HadamardOptions`); off by default, as
        in the paper.

    Returns
    -------
    Result
        "converged" only when the stopping test holds; "diverged" when a fixed step is
        too large (``message`` names a safe step, ``x`` is the last good iterate);
        "stalled" when no step decreases the objective any more; "max_iter",
        "time_limit", "cancelled" otherwise.

    Examples
    --------
    >>> import nnls_core as nc
    >>> p = nc.sparse_problem(30, 60, 3, seed=0)
    >>> r = hadamard(p.A, p.b, alpha=1e-2)
    >>> r.status, bool(r.objective < 1e-9)
    ('converged', True)
    """
    opts = HadamardOptions(L=L, alpha=alpha, step=step, decay=decay, form=form,
                           accel=accel, max_iter=max_iter, tol=tol, time_limit=time_limit,
                           callback=callback, decay_offset=decay_offset, restart=restart,
                           sign_guard=sign_guard)
    return hadamard_with(A, b, opts)


def hadamard_with(A, b, opts: HadamardOptions) -> Result:
    """:func:`hadamard` with validated options."""
    op = Operator(A)
    b = op.check_b(b)
    return run_batch(op, b[None], [opts])[0]
