"""Continuous-time references: the reparametrized gradient flow and the accelerated ODE."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp

from ._operator import Operator
from ._reparam import optimality
from ._validation import check_int, check_positive

#: A flow whose end point passes the stopping test at this tolerance is "converged".
FLOW_TOL = 1e-6


@dataclass(frozen=True, eq=False)
class Flow:
    """Objective along a continuous trajectory, with the status vocabulary of
    :class:`nnls_core.Result`.

    Attributes
    ----------
    t : ndarray
        Times (log-spaced), at most ``n_points``.
    objective : ndarray
        ``1/2 ||A x(t) - b||^2``.
    x : ndarray, shape (len(t), n)
    status : {"converged", "max_iter", "stalled"}
        "converged": the end point passes the stopping test (:func:`nnls_core.optimality`
        at ``FLOW_TOL``); "max_iter": integrated to ``t_max`` without getting there;
        "stalled": the integrator failed before ``t_max`` (``message`` says why).
    message : str
    """

    t: np.ndarray
    objective: np.ndarray
    x: np.ndarray
    status: str
    message: str

    @property
    def success(self) -> bool:
        """True when ``status == "converged"``."""
        return self.status == "converged"


def _setup(A, b, alpha, L, t_max, n_points):
    op = Operator(A)
    b = op.check_b(b)
    A = op.dense("a flow")
    n_points = check_int(n_points, "n_points", minimum=2)
    if n_points > 10_000:
        raise ValueError(f"n_points must be <= 10000, got {n_points}")
    alpha = check_positive(alpha, "alpha")
    L = check_positive(L, "L")
    if L < 1:
        raise ValueError(f"L must be >= 1, got {L}")
    t_max = check_positive(t_max, "t_max")
    t_eval = np.geomspace(min(1e-3, t_max / 10), t_max, n_points)
    return A, b, alpha, L, t_eval


def _finish(sol, A, b, x_of) -> Flow:
    X = x_of(sol.y).T
    keep = np.isfinite(X).all(axis=1)
    X, t = X[keep], sol.t[keep]
    R = X @ A.T - b
    obj = 0.5 * np.einsum("ij,ij->i", R, R)
    if not sol.success or not keep.all() or not len(t):
        return Flow(t, obj, X, "stalled", f"the integrator stopped: {sol.message}")
    res = optimality(X[-1:], (R[-1:] @ A), np.linalg.norm(A, axis=0), np.linalg.norm(b))[0]
    if res <= FLOW_TOL:
        return Flow(t, obj, X, "converged", f"stationary at t = {t[-1]:.3g} (optimality "
                    f"residual {res:.2g})")
    return Flow(t, obj, X, "max_iter", f"integrated to t_max = {t[-1]:.3g}; optimality "
                f"residual there {res:.2g} (not yet stationary)")


def gradient_flow(A, b, *, alpha: float = 1e-2, L: float = 2, t_max: float = 1e3,
                  n_points: int = 200, rtol: float = 1e-8) -> Flow:
    """Integrate ``u' = -L u^(L-1) (.) A^T (A u^L - b)``, ``u(0) = alpha``, so that
    ``x = u^L`` follows ``x' = -L^2 x^(2-2/L) (.) grad f(x)``. Objective is O(1/t).

    Integrated in ``log u`` (u stays positive) with an implicit method (LSODA).

    Examples
    --------
    >>> import numpy as np
    >>> fl = gradient_flow(np.eye(2), np.array([1.0, -1.0]), t_max=100)
    >>> bool(fl.objective[-1] < fl.objective[0]), fl.status
    (True, 'converged')
    """
    A, b, alpha, L, t_eval = _setup(A, b, alpha, L, t_max, n_points)

    def rhs(_t, s):  # s = log u
        u = np.exp(s)
        z = A.T @ (A @ u**L - b)
        return -L * u ** (L - 2) * z

    s0 = np.full(A.shape[1], np.log(alpha))
    sol = solve_ivp(rhs, (0.0, t_eval[-1]), s0, t_eval=t_eval, method="LSODA",
                    rtol=rtol, atol=1e-10)
    return _finish(sol, A, b, lambda y: np.exp(y) ** L)


def accelerated_flow(A, b, *, alpha: float = 1e-2, t_max: float = 1e3,
                     n_points: int = 200, rtol: float = 1e-8) -> Flow:
    """Integrate the paper's second-order system (L = 2 form), O(1/t^2):
    ``x' = (2/t)(y - x)``, ``y' = -(t/2) y (.) grad f(x)``, ``x(t0) = y(t0) = alpha^2``.

    ``y`` is integrated in ``log y``; the start is t0 = 1e-6 (the 2/t term is singular
    at 0, and x' = 0 there since x = y).

    Examples
    --------
    >>> import numpy as np
    >>> fl = accelerated_flow(np.eye(2), np.array([1.0, -1.0]), t_max=100)
    >>> fl.status, bool(abs(fl.objective[-1] - 0.5) < 1e-4)  # optimum 0.5 at x = (1, 0)
    ('max_iter', True)
    """
    A, b, alpha, _, t_eval = _setup(A, b, alpha, 2, t_max, n_points)
    n = A.shape[1]

    def rhs(t, s):
        x, logy = s[:n], s[n:]
        y = np.exp(logy)
        g = A.T @ (A @ x - b)
        return np.concatenate(((2 / t) * (y - x), -(t / 2) * g))

    t0 = 1e-6
    x0 = np.full(n, alpha**2)
    s0 = np.concatenate((x0, np.log(x0)))
    t_eval = t_eval[t_eval > t0]
    sol = solve_ivp(rhs, (t0, t_eval[-1]), s0, t_eval=t_eval, method="LSODA",
                    rtol=rtol, atol=1e-12)
    return _finish(sol, A, b, lambda y: y[:n])
