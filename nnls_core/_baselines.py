"""Classical NNLS solvers, each returning the same :class:`Result` as the Hadamard method."""

from __future__ import annotations

import time

import numpy as np
import scipy.optimize

from ._driver import Iteration, Stalled, drive
from ._operator import Operator
from ._validation import check_int, check_positive
from .result import Recorder, Result


def _setup(A, b, max_iter, tol):
    op = Operator(A)
    b = op.check_b(b)
    return op, b, check_int(max_iter, "max_iter"), check_positive(tol, "tol", allow_zero=True)


def _direct(op: Operator, b: np.ndarray, x: np.ndarray, *, method: str, status: str,
            message: str, t0: float) -> Result:
    """Wrap the answer of a direct (non-iterative) solver as one step from x_0 = 0
    (``n_iter = 1``, history = [0, x]); its own iteration count goes in the message."""
    rec = Recorder(x.shape[0], 1)
    zero = np.zeros_like(x)
    rec.record(0, zero, 0.5 * float(b @ b), -op.rmatvec(b))
    r = op.matvec(x) - b
    f = 0.5 * float(r @ r)
    z = op.rmatvec(r)
    rec.record(1, x, f, z)
    return Result(x=x, objective=f, rnorm=float(np.sqrt(2 * f)), n_iter=1,
                  status=status, message=message, time_s=time.perf_counter() - t0,
                  method=method, history=rec.history(1, x, z))


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
    M = op.dense("l1_min")
    res = scipy.optimize.linprog(np.ones(op.shape[1]), A_eq=M, b_eq=b, bounds=(0, None),
                                 method="highs")
    if res.status == 0:
        return _direct(op, b, np.maximum(res.x, 0.0), method="l1_min", status="converged",
                       message=f"linear program solved by HiGHS in {res.nit} iterations",
                       t0=t0)
    return _direct(op, b, np.zeros(op.shape[1]), method="l1_min", status="infeasible",
                   message="A x = b has no non-negative solution (noisy or overdetermined "
                   f"problem), so there is no minimum-l1 reference: {res.message}", t0=t0)


class _Projected(Iteration):
    """Projected gradient ``x <- max(x - z / ||A||^2, 0)``, optionally FISTA with restart."""

    def __init__(self, op, b, step, accelerated):
        super().__init__(op, b, np.zeros(op.shape[1]))
        self.eta = 1.0 / max(op.norm**2, 1e-300) if step is None else step
        self.accelerated = accelerated
        self.x_prev, self.t = self.x, 1.0

    def step(self, k):
        if not self.accelerated:
            x_new = np.maximum(self.x - self.eta * self.z, 0.0)
            f_new, r_new = self.objective_at(x_new)
            self.accept(x_new, f_new, r_new)
            return
        t_new = (1 + np.sqrt(1 + 4 * self.t**2)) / 2
        y = self.x + (self.t - 1) / t_new * (self.x - self.x_prev)
        f_y, r_y = self.objective_at(y)
        x_new = np.maximum(y - self.eta * self.op.rmatvec(r_y), 0.0)
        f_new, r_new = self.objective_at(x_new)
        if f_new > self.f:  # function-value restart: redo as a plain projected step
            self.t, self.x_prev = 1.0, self.x
            x_new = np.maximum(self.x - self.eta * self.z, 0.0)
            f_new, r_new = self.objective_at(x_new)
            t_new = 1.0
        self.x_prev, self.t = self.x, t_new
        self.accept(x_new, f_new, r_new)


def projected_gradient(A, b, *, step: float | None = None, max_iter: int = 50_000,
                       tol: float = 1e-6) -> Result:
    """Projected gradient descent with step ``1/||A||_2^2``, from x = 0.

    Parameters
    ----------
    A : array_like (m, n), scipy.sparse matrix or LinearOperator
    b : array_like (m,)
    step : float, optional
        Default ``1 / ||A||_2^2`` (``||A||_2`` by power iteration for large A).
    max_iter : int
    tol : float
        Stop when ``||min(x, grad f)||_inf <= tol * ||A^T b||_inf``.

    Examples
    --------
    >>> import numpy as np
    >>> r = projected_gradient(np.eye(2), [1.0, -1.0])
    >>> r.x.tolist(), r.status
    ([1.0, 0.0], 'converged')
    """
    op, b, max_iter, tol = _setup(A, b, max_iter, tol)
    step = None if step is None else check_positive(step, "step")
    return drive(_Projected(op, b, step, False), max_iter=max_iter, tol=tol,
                 method="projected_gradient")


def fista(A, b, *, step: float | None = None, max_iter: int = 50_000,
          tol: float = 1e-6) -> Result:
    """Accelerated projected gradient (FISTA) with function-value restart, from x = 0.

    Same parameters as :func:`projected_gradient`; the objective never increases.

    Examples
    --------
    >>> import numpy as np
    >>> fista(np.eye(2), [1.0, -1.0]).x.tolist()
    [1.0, 0.0]
    """
    op, b, max_iter, tol = _setup(A, b, max_iter, tol)
    step = None if step is None else check_positive(step, "step")
    return drive(_Projected(op, b, step, True), max_iter=max_iter, tol=tol, method="fista")


class _Multiplicative(Iteration):
    """Sha-Saul-Lee multiplicative updates on Q = A^T A, c = -A^T b (any sign of A)."""

    def __init__(self, op, b, M):
        Q = M.T @ M
        self.Qp, self.Qm = np.maximum(Q, 0.0), np.maximum(-Q, 0.0)
        self.c = -(M.T @ b)
        super().__init__(op, b, np.ones(op.shape[1]))

    def step(self, k):
        x, c = self.x, self.c
        qp = np.maximum(self.Qp @ x, 1e-300)
        x_new = x * (-c + np.sqrt(c * c + 4 * qp * (self.Qm @ x))) / (2 * qp)
        f_new, r_new = self.objective_at(x_new)
        if np.array_equal(x_new, x):
            raise Stalled("multiplicative update reached a fixed point")
        self.accept(x_new, f_new, r_new)


def multiplicative(A, b, *, max_iter: int = 50_000, tol: float = 1e-6) -> Result:
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
    op, b, max_iter, tol = _setup(A, b, max_iter, tol)
    M = op.dense("multiplicative")
    return drive(_Multiplicative(op, b, M), max_iter=max_iter, tol=tol,
                 method="multiplicative")
