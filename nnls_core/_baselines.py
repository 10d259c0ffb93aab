"""Classical NNLS solvers, each returning the same :class:`Result` as the Hadamard method."""

from __future__ import annotations

import time

import numpy as np
import scipy.optimize

from . import _steps
from ._driver import Budget, Run
from ._operator import Operator
from ._reparam import Projected, optimality
from .options import ActiveSetOptions, FirstOrderOptions
from .references import min_l1
from .result import Recorder, Result


def _direct(op: Operator, b: np.ndarray, x: np.ndarray, *, method: str, status: str,
            message: str, t0: float) -> Result:
    """Wrap the answer of a direct (non-iterative) solver as one step from x_0 = 0
    (``n_iter = 1``, history = [0, x]); its own iteration count goes in the message."""
    rec = Recorder(1, x.shape[0], 1)
    b_norm = float(np.linalg.norm(b))
    for k, xk in enumerate((np.zeros_like(x), x)):
        r = op.matmat(xk[None])[0] - b
        f = 0.5 * float(r @ r)
        res = optimality(xk[None], op.rmatmat(r[None]), op.col_norms, b_norm)[0]
        rec.objective(k, np.array([0]), np.array([f]))
        rec.iterate(k, 0, xk, res)
    return Result(x=x, objective=f, rnorm=float(np.sqrt(2 * f)), n_iter=1,
                  status=status, message=message, time_s=time.perf_counter() - t0,
                  method=method, history=rec.history(0, 1, f))


def lawson_hanson(A, b, *, max_iter: int | None = None) -> Result:
    """Lawson-Hanson active-set NNLS (``scipy.optimize.nnls``), exact in finite steps.

    Parameters
    ----------
    A : array_like (m, n) or scipy.sparse matrix
    b : array_like (m,)
    max_iter : int, optional
        Passed to scipy as ``maxiter`` (default ``3 n``); reaching it gives status
        "max_iter" with the zero vector's objective left as the answer.

    Returns
    -------
    Result

    Examples
    --------
    >>> import numpy as np
    >>> lawson_hanson(np.eye(2), [1.0, -1.0]).x.tolist()
    [1.0, 0.0]
    """
    t0 = time.perf_counter()
    max_iter = ActiveSetOptions(max_iter).max_iter
    op = Operator(A)
    b = op.check_b(b)
    M = op.dense("lawson_hanson")
    try:
        x, _ = scipy.optimize.nnls(M, b, maxiter=max_iter)
    except RuntimeError as exc:
        return _direct(op, b, np.zeros(op.shape[1]), method="lawson_hanson",
                       status="max_iter", message=f"scipy.optimize.nnls: {exc}", t0=t0)
    return _direct(op, b, x, method="lawson_hanson", status="converged",
                   message="active-set method finished (exact up to rounding)", t0=t0)


def lstsq(A, b) -> Result:
    """Unconstrained minimum-norm least squares (``numpy.linalg.lstsq``): may be negative.

    Shows why the constraint matters: compare its x with an NNLS solution.

    Examples
    --------
    >>> import numpy as np
    >>> lstsq(np.eye(2), [1.0, -1.0]).x.tolist()
    [1.0, -1.0]
    """
    t0 = time.perf_counter()
    op = Operator(A)
    b = op.check_b(b)
    x = np.linalg.lstsq(op.dense("lstsq"), b, rcond=None)[0]
    neg = int((x < 0).sum())
    return _direct(op, b, x, method="lstsq", status="converged",
                   message=f"unconstrained minimum-norm solution; {neg} negative entries",
                   t0=t0)


def l1_min(A, b) -> Result:
    """Minimum-l1 non-negative solution of ``A x = b``: ``min 1^T x, A x = b, x >= 0``.

    Solved as a linear program by ``scipy.optimize.linprog`` (HiGHS). The reference for
    the implicit bias of small initialization on underdetermined problems.

    Returns
    -------
    Result
        status "infeasible" (and x = 0) when ``A x = b`` has no non-negative solution,
        e.g. on noisy or overdetermined problems.

    Examples
    --------
    >>> import numpy as np
    >>> l1_min([[1.0, 1.0]], [2.0]).objective < 1e-12
    True
    """
    t0 = time.perf_counter()
    op = Operator(A)
    b = op.check_b(b)
    x, msg, nit = min_l1(op.dense("l1_min"), b)
    if x is not None:
        return _direct(op, b, x, method="l1_min", status="converged",
                       message=f"linear program solved by HiGHS in {nit} iterations", t0=t0)
    return _direct(op, b, np.zeros(op.shape[1]), method="l1_min", status="infeasible",
                   message="A x = b has no non-negative solution (noisy or overdetermined "
                   f"problem), so there is no minimum-l1 reference: {msg}", t0=t0)


def _first_order(A, b, method: str, opts: FirstOrderOptions, policy_of) -> Result:
    op = Operator(A)
    b = op.check_b(b)
    P0 = (np.ones if method == "multiplicative" else np.zeros)((1, op.shape[1]))
    budget = Budget(opts.max_iter, opts.tol, opts.time_limit, opts.callback)
    eta = 1.0 / max(op.norm**2, 1e-300) if opts.step is None else opts.step
    return Run(op, b[None], Projected, P0, budget, method).run(policy_of(op, b, eta))[0]


def projected_gradient(A, b, *, step: float | None = None, max_iter: int = 50_000,
                       tol: float = 1e-8, time_limit: float | None = None,
                       callback=None) -> Result:
    """Projected gradient descent with step ``1/||A||_2^2``, from x = 0.

    Parameters
    ----------
    A : array_like (m, n), scipy.sparse matrix or LinearOperator
    b : array_like (m,)
    step : float, optional
        Default ``1 / ||A||_2^2`` (``||A||_2`` by power iteration for large A).
    max_iter : int
    tol : float
        Stop when the relative optimality residual (:func:`nnls_core.optimality`) is at
        most ``tol``.
    time_limit : float, optional
        Seconds, then status "time_limit".
    callback : callable, optional
        ``callback(k, state)``; returning False stops with status "cancelled".

    Examples
    --------
    >>> import numpy as np
    >>> r = projected_gradient(np.eye(2), [1.0, -1.0])
    >>> r.x.tolist(), r.status
    ([1.0, 0.0], 'converged')
    """
    opts = FirstOrderOptions(step, max_iter, tol, time_limit, callback)
    return _first_order(A, b, "projected_gradient", opts,
                        lambda op, b, eta: _steps.Fixed(eta))


def fista(A, b, *, step: float | None = None, max_iter: int = 50_000,
          tol: float = 1e-8, time_limit: float | None = None, callback=None) -> Result:
    """Accelerated projected gradient (FISTA) with function-value restart, from x = 0.

    Same parameters as :func:`projected_gradient`; the objective never increases.

    Examples
    --------
    >>> import numpy as np
    >>> fista(np.eye(2), [1.0, -1.0]).x.tolist()
    [1.0, 0.0]
    """
    opts = FirstOrderOptions(step, max_iter, tol, time_limit, callback)
    return _first_order(A, b, "fista", opts,
                        lambda op, b, eta: _steps.Momentum(_steps.Fixed(eta), "fista"))


def multiplicative(A, b, *, max_iter: int = 50_000, tol: float = 1e-8,
                   time_limit: float | None = None, callback=None) -> Result:
    """Multiplicative updates for NNLS (Sha, Saul, Lee), valid for any sign of A.

    With ``Q = A^T A``, ``c = -A^T b``, ``Q+ = max(Q, 0)``, ``Q- = max(-Q, 0)``:
    ``x_i <- x_i (-c_i + sqrt(c_i^2 + 4 (Q+ x)_i (Q- x)_i)) / (2 (Q+ x)_i)``, from x = 1.
    The objective never increases; zero entries stay zero.

    Examples
    --------
    >>> import numpy as np
    >>> r = multiplicative(np.eye(2), [1.0, -1.0], max_iter=200)
    >>> bool(abs(r.x[0] - 1) < 1e-6 and r.x[1] < 1e-6)
    True
    """
    opts = FirstOrderOptions(None, max_iter, tol, time_limit, callback)
    return _first_order(A, b, "multiplicative", opts, lambda op, b, eta: _steps.Multiplicative(
        op.dense("multiplicative"), b))
