"""The loop every iterative solver shares: stopping, divergence, logging."""

from __future__ import annotations

import math

import numpy as np

from ._operator import Operator, kkt_residual
from .result import Recorder, Result

#: An objective this many times the initial one counts as divergence.
BLOWUP = 1e8


class Diverged(Exception):
    """Raised by a step that would leave the domain or blow up; the state is unchanged."""


class Stalled(Exception):
    """Raised when no decrease is possible any more (floating-point floor)."""


class Iteration:
    """State of an iterative method: the iterate ``x``, residual ``r = A x - b``,
    gradient ``z = A^T r`` and objective ``f``. Subclasses implement :meth:`step`."""

    def __init__(self, op: Operator, b: np.ndarray, x0: np.ndarray) -> None:
        self.op, self.b = op, b
        self.set_x(x0)
        self.f0 = self.f

    def set_x(self, x: np.ndarray) -> None:
        """Make ``x`` the iterate and update r, f and z (two products with A)."""
        self.x = x
        self.r = self.op.matvec(x) - self.b
        self.f = 0.5 * float(self.r @ self.r)
        self.z = self.op.rmatvec(self.r)

    def objective_at(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        """``(f(x), A x - b)`` at a trial point (one product with A)."""
        r = self.op.matvec(x) - self.b
        return 0.5 * float(r @ r), r

    def accept(self, x: np.ndarray, f: float, r: np.ndarray) -> None:
        """Move to a trial point whose objective and residual are known (one product)."""
        self.x, self.f, self.r = x, f, r
        self.z = self.op.rmatvec(r)

    def blown_up(self, f: float) -> bool:
        """True if a trial objective is non-finite or has exploded."""
        return not math.isfinite(f) or f > BLOWUP * max(self.f0, 1e-300)

    def residual(self) -> float:
        """The stopping measure (the NNLS KKT residual unless overridden)."""
        return kkt_residual(self.x, self.z)

    def step(self, k: int) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


def drive(it: Iteration, *, max_iter: int, tol: float, method: str) -> Result:
    """Run ``it`` until ``residual <= tol * ||A^T b||_inf``, divergence or ``max_iter``.

    The returned ``x`` is always the last good iterate, so it never holds NaN.
    """
    rec = Recorder(it.x.shape[0], max_iter)
    scale = max(float(np.max(np.abs(it.op.rmatvec(it.b)))), np.finfo(float).tiny)
    threshold = tol * scale
    rec.record(0, it.x, it.f, it.z)
    status, message, k = "max_iter", "", 0
    if it.residual() <= threshold:
        status = "converged"
    while status == "max_iter" and k < max_iter:
        try:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                it.step(k)  # overflow in a trial step is detected and reported, not warned
        except Diverged as exc:
            status, message = "diverged", str(exc)
            break
        except Stalled as exc:
            status, message = "converged", str(exc)
            break
        k += 1
        rec.record(k, it.x, it.f, it.z)
        if it.residual() <= threshold:
            status = "converged"
    if status == "converged" and not message:
        message = f"optimality residual <= tol * ||A^T b||_inf after {k} iterations"
    elif status == "max_iter":
        message = (f"stopped at max_iter = {max_iter} with optimality residual "
                   f"{it.residual():.3g} (target {threshold:.3g})")
    history = rec.history(k, it.x, it.z)
    return Result(
        x=it.x.copy(), objective=it.f, rnorm=float(np.sqrt(2 * it.f)), n_iter=k,
        status=status, message=message, time_s=rec.elapsed(), method=method,
        history=history,
    )
