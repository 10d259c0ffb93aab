"""Gradient descent on the Hadamard reparametrization x = u^L (Chou et al., AISTATS 2025)."""

from __future__ import annotations

import math
from collections import deque

import numpy as np
import scipy.optimize

from ._driver import Diverged, Iteration, Stalled, drive
from ._operator import Operator
from ._validation import check_int, check_positive
from .result import Result

ARMIJO = 1e-4
GLL_MEMORY = 10  # Grippo-Lampariello-Lucidi window for the non-monotone BB search
MAX_HALVINGS = 80


def safe_step(norm_A: float, L: float, x_max: float) -> float:
    """A step inside the stability region ``L^2 eta x_max^(2-2/L) ||A||_2^2 < 2``.

    Returns half the edge of the region, ``1 / (L^2 x_max^(2-2/L) ||A||_2^2)``.

    Parameters
    ----------
    norm_A : float
        ``||A||_2``.
    L : float
        The exponent.
    x_max : float
        The largest coordinate the iterates will reach (e.g. of the NNLS solution).

    Examples
    --------
    >>> safe_step(2.0, 2, 1.0)
    0.0625
    """
    curvature = L**2 * max(x_max, 1e-300) ** (2 - 2 / L) * norm_A**2
    return float(1.0 / max(curvature, 1e-300))


def _pow(p: np.ndarray, e: float) -> np.ndarray:
    """``p ** e`` with the common integer exponents done by multiplication (much faster)."""
    if e == 1:
        return p
    if e == 2:
        return p * p
    if e == 3:
        return p * p * p
    return p**e


class _Hadamard(Iteration):
    """Shared pieces: the parametrization p -> x and the search direction."""

    def __init__(self, op, b, L, alpha, form):
        self.L, self.form = L, form
        self.p = np.full(op.shape[1], alpha if form == "u" else alpha**L, dtype=float)
        super().__init__(op, b, self.to_x(self.p))

    def to_x(self, p: np.ndarray) -> np.ndarray:
        return _pow(p, self.L) if self.form == "u" else p

    def valid(self, p: np.ndarray) -> bool:
        """p stays in the domain: u >= 0 (or x >= 0) for L > 1.

        For even L a negative u still gives x >= 0, but a sign change means the step
        jumped across the boundary the flow never crosses, and the implicit bias is lost.
        """
        if self.L == 1:
            return bool(np.isfinite(p.sum()))
        return bool(p.min() >= 0)  # False for NaN too; Inf is caught by blown_up

    def grad_p(self, p: np.ndarray, z: np.ndarray) -> np.ndarray:
        """Descent direction with a minus sign: grad g(u) = L u^(L-1) z, or the
        Riemannian gradient L^2 x^(2-2/L) z in the x-form."""
        L = self.L
        if L == 1:
            return z.copy()
        if self.form == "u":
            return L * _pow(p, L - 1) * z
        return L**2 * _pow(p, 2 - 2 / L) * z

    def residual(self) -> float:
        if self.L == 1:  # plain unconstrained gradient descent: stationarity
            return float(np.max(np.abs(self.z)))
        return super().residual()

    def solution_scale(self) -> float:
        """Largest coordinate the iterates may reach: that of an NNLS solution
        (Lawson-Hanson) when A is explicit and not huge, else a cheap estimate."""
        x_max = max(float(np.max(self.x)), self.x_scale_estimate())
        if self.op.kind != "operator" and self.op.shape[0] * self.op.shape[1] <= 4_000_000:
            x_star = scipy.optimize.nnls(self.op.dense("hadamard"), self.b, maxiter=10 * self.op.shape[1])[0]
            x_max = max(x_max, float(np.max(x_star)))
        return x_max

    def x_scale_estimate(self) -> float:
        """``||A^T b||_inf / ||A||_2^2``: the size of a solution when A is orthogonal."""
        return float(np.max(np.abs(self.op.rmatvec(self.b)))) / max(self.op.norm**2, 1e-300)

    def floor_reached(self, f_new: float) -> bool:
        """True when a plain step fails only by rounding: the objective cannot go lower."""
        return math.isfinite(f_new) and f_new <= self.f + 1e-12 * max(self.f, 1e-30 * self.f0)

    def diverged_message(self, k: int, why: str) -> str:
        try:
            x_max = self.solution_scale()
        except RuntimeError:  # Lawson-Hanson hit its iteration cap
            x_max = max(float(np.max(self.x)), self.x_scale_estimate())
        eta = safe_step(self.op.norm, self.L, x_max)
        return (f"diverged at iteration {k + 1}: {why}. Try step <= {eta:.3g} "
                f"(= 1/(L^2 max(x)^(2-2/L) ||A||_2^2)) or step='auto'.")


class _Plain(_Hadamard):
    def __init__(self, op, b, L, alpha, form, step, decay):
        super().__init__(op, b, L, alpha, form)
        self.policy = step if isinstance(step, str) else "fixed"
        self.eta = float(step) if self.policy == "fixed" else safe_step(
            op.norm, L, float(np.max(self.x)))
        self.decay = decay
        self.g = self.grad_p(self.p, self.z)
        self.recent = deque([self.f], maxlen=GLL_MEMORY)
        self.prev: tuple[np.ndarray, np.ndarray] | None = None

    def step(self, k: int) -> None:
        p, g = self.p, self.g
        slope = -float(g @ g) if self.form == "u" or self.L == 1 else -float(g @ self.z)
        if self.policy == "fixed":
            eta = self.eta / (k + 1) ** self.decay
            p_new = p - eta * g
            if not self.valid(p_new):
                raise Diverged(self.diverged_message(k, "u changed sign, so x = u^L left "
                               "the non-negative orthant" if self.form == "u"
                               else "x left the non-negative orthant"))
            f_new, r_new = self.objective_at(self.to_x(p_new))
            if self.blown_up(f_new):
                raise Diverged(self.diverged_message(k, f"the objective grew to {f_new:.3g}"))
        else:
            if self.policy == "bb" and self.prev is not None:
                s, y = p - self.prev[0], g - self.prev[1]
                sy = float(s @ y)
                if sy > 0:
                    self.eta = float(s @ s) / sy
            else:  # backtracking: try a larger step first
                self.eta *= 2.0
            ref = max(self.recent) if self.policy == "bb" else self.f
            for _ in range(MAX_HALVINGS):
                p_new = p - self.eta * g
                if self.valid(p_new):
                    f_new, r_new = self.objective_at(self.to_x(p_new))
                    if f_new <= ref + ARMIJO * self.eta * slope:
                        break
                self.eta *= 0.5
            else:
                raise Stalled("the line search found no further decrease: the objective "
                              "is at its floating-point floor")
        self.prev = (p, g)
        self.p = p_new
        self.accept(self.to_x(p_new), f_new, r_new)
        self.g = self.grad_p(self.p, self.z)
        self.recent.append(self.f)


class _Nesterov(_Hadamard):
    """Nesterov momentum k/(k+3) on u, restarted whenever the objective increases."""

    def __init__(self, op, b, L, alpha, step, decay):
        super().__init__(op, b, L, alpha, "u")
        self.auto = step == "auto"
        self.eta = safe_step(op.norm, L, float(np.max(self.x))) if self.auto else float(step)
        self.decay = decay
        self.u_prev = self.p.copy()
        self.t = 0
        self.restarted = False

    def step(self, k: int) -> None:
        u = self.p
        beta = self.t / (self.t + 3)
        y = u + beta * (u - self.u_prev)
        if not self.valid(y):
            y, self.t = u, 0
        f_y, r_y = self.objective_at(_pow(y, self.L))
        g = self.grad_p(y, self.op.rmatvec(r_y))
        gg = float(g @ g)
        if self.auto:
            self.eta *= 1.1
            for _ in range(MAX_HALVINGS):
                u_new = y - self.eta * g
                if self.valid(u_new):
                    f_new, r_new = self.objective_at(_pow(u_new, self.L))
                    if f_new <= f_y - 0.5 * self.eta * gg:
                        break
                self.eta *= 0.5
            else:
                raise Stalled("the line search found no further decrease: the objective "
                              "is at its floating-point floor")
        else:
            u_new = y - self.eta / (k + 1) ** self.decay * g
            f_new, r_new = (self.objective_at(_pow(u_new, self.L)) if self.valid(u_new)
                            else (np.inf, None))
        if not f_new <= self.f:  # function-value restart (also catches NaN/Inf)
            if self.restarted:
                if self.floor_reached(f_new):
                    raise Stalled("no further decrease: the objective is at its "
                                  "floating-point floor")
                raise Diverged(self.diverged_message(
                    k, "even a step without momentum increases the objective"))
            self.restarted, self.t, self.u_prev = True, 0, u
            return  # stay at u; next iteration is a plain gradient step
        self.restarted = False
        self.u_prev, self.p, self.t = u, u_new, self.t + 1
        self.accept(_pow(u_new, self.L), f_new, r_new)


class _Mirror(_Hadamard):
    """Accelerated mirror descent from the paper's second-order ODE.

    The mirror map has Hessian ``1 / (L^2 x^(2-2/L))``, the metric of the x-form, so a
    step ``eta`` here is comparable to ``eta`` in the plain methods. For L = 2 the update
    is ``log y <- log y - 4 eta (k+2)/2 grad f(x)``, ``x <- (x + tau y)/(1 + tau)``,
    ``tau = 2/(k+2)``: the DESIGN's entropic form with step ``4 eta``.
    """

    def __init__(self, op, b, L, alpha, step, decay):
        super().__init__(op, b, L, alpha, "x")
        self.auto = step == "auto"
        self.eta = 1.0 if self.auto else float(step)
        self.x_scale = self.x_scale_estimate() if self.auto else 0.0
        self.decay = decay
        self.y = self.x.copy()
        self.t = 0
        self.restarted = False
        self.power = 2 / L - 1  # psi(x) = x^power / power (log x when L = 2)

    def psi(self, x):
        if self.L == 2:
            return np.log(x)
        if self.L == 1:
            return x
        return x**self.power / self.power

    def psi_inv(self, theta):
        if self.L == 2:
            return np.exp(theta)
        if self.L == 1:
            return theta
        base = self.power * theta  # must be > 0 to stay inside the domain
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            if self.power < 0:
                return np.where(base > 0, np.maximum(base, 1e-300) ** (1 / self.power), np.inf)
            return np.maximum(base, 0.0) ** (1 / self.power)

    def step(self, k: int) -> None:
        L = self.L
        if self.auto:
            eta = self.eta * safe_step(self.op.norm, L, max(float(np.max(self.x)), self.x_scale))
        else:
            eta = self.eta / (k + 1) ** self.decay
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            y = self.psi_inv(self.psi(self.y) - L**2 * eta * (self.t + 2) / 2 * self.z)
            tau = 2 / (self.t + 2)
            x_new = (self.x + tau * y) / (1 + tau)
        ok = self.valid(x_new)
        f_new, r_new = self.objective_at(x_new) if ok else (np.inf, None)
        if not f_new <= self.f:  # restart: forget the momentum, y back to x
            if self.restarted:
                if self.floor_reached(f_new) or (self.auto and self.eta < 1e-12):
                    raise Stalled("no further decrease: the objective is at its "
                                  "floating-point floor")
                if not self.auto:
                    raise Diverged(self.diverged_message(
                        k, "even a step without momentum increases the objective"))
                self.eta *= 0.5
            self.restarted, self.t, self.y = True, 0, self.x.copy()
            return
        self.restarted = False
        if self.auto:  # let a step scale cut by restarts recover
            self.eta = min(1.0, self.eta * 1.05)
        self.y, self.t = y, self.t + 1
        self.accept(x_new, f_new, r_new)


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
    tol: float = 1e-6,
) -> Result:
    """NNLS by gradient descent on ``x = u^L`` from ``u_0 = alpha * 1``.

    Minimizes ``g(u) = 1/2 ||A u^L - b||^2`` without constraints; ``x = u^L`` stays
    non-negative. Small ``alpha`` biases the limit towards the minimum-l1 NNLS solution.

    Parameters
    ----------
    A : array_like (m, n), scipy.sparse matrix or LinearOperator
    b : array_like (m,)
    L : float
        Exponent, ``L >= 1`` (L = 1 is plain unconstrained gradient descent).
    alpha : float
        Initialization scale: ``u_0 = alpha``, so ``x_0 = alpha^L``.
    step : float or {"auto", "bb"}, optional
        Default: "bb" without acceleration, "auto" with it. A fixed step ``eta`` (with ``decay``: ``eta_k = eta / (k+1)^decay``); "auto":
        backtracking (Armijo) line search that tries a doubled step each iteration and
        never increases the objective; "bb": Barzilai-Borwein steps safeguarded by a
        non-monotone line search.
    decay : float
        Step-size decay exponent gamma in [0, 1] (fixed steps only).
    form : {"u", "x"}
        "u": ``u <- u - eta L u^(L-1) (.) z``; "x": the Riemannian form
        ``x <- x - eta L^2 x^(2-2/L) (.) z``, where ``z = A^T (A x - b)``.
    accel : {None, "nesterov", "mirror"}
        "nesterov": momentum ``k/(k+3)`` on u with function-value restart;
        "mirror": accelerated mirror descent discretizing the paper's ODE
        ``x' = (2/t)(y - x)``, ``y' = -(t/2) y (.) grad f(x)`` (restarted too).
    max_iter : int
    tol : float
        Stop when ``||min(x, grad f(x))||_inf <= tol * ||A^T b||_inf``.

    Returns
    -------
    Result
        ``status`` is "diverged" when a fixed step is too large; ``message`` then names
        a safe step and ``x`` is the last good iterate.

    Examples
    --------
    >>> import nnls_core as nc
    >>> p = nc.sparse_problem(30, 60, 3, seed=0)
    >>> r = hadamard(p.A, p.b, alpha=1e-2)
    >>> r.status, bool(r.objective < 1e-12)
    ('converged', True)
    """
    op = Operator(A)
    b = op.check_b(b)
    L = check_positive(L, "L")
    if L < 1:
        raise ValueError(f"L must be >= 1, got {L}")
    alpha = check_positive(alpha, "alpha")
    decay = check_positive(decay, "decay", allow_zero=True)
    if decay > 1:
        raise ValueError(f"decay must be in [0, 1], got {decay}")
    if form not in ("u", "x"):
        raise ValueError(f"form must be 'u' or 'x', got {form!r}")
    if accel not in (None, "nesterov", "mirror"):
        raise ValueError(f"accel must be None, 'nesterov' or 'mirror', got {accel!r}")
    if step is None:
        step = "bb" if accel is None else "auto"
    if isinstance(step, str):
        allowed = ("auto", "bb") if accel is None else ("auto",)
        if step not in allowed:
            raise ValueError(f"step must be a positive number or one of {allowed} "
                             f"(with accel={accel!r}), got {step!r}")
        if decay:
            raise ValueError("decay applies to a fixed step; use step=<number> with decay")
    else:
        step = check_positive(step, "step")
    max_iter = check_int(max_iter, "max_iter", minimum=0)
    tol = check_positive(tol, "tol", allow_zero=True)
    if accel == "nesterov":
        it: Iteration = _Nesterov(op, b, L, alpha, step, decay)
    elif accel == "mirror":
        it = _Mirror(op, b, L, alpha, step, decay)
    else:
        it = _Plain(op, b, L, alpha, form, step, decay)
    return drive(it, max_iter=max_iter, tol=tol, method="hadamard")
