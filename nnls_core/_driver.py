"""One loop for B rows: stopping test, divergence, budgets, callback, history.

Every iterative solver of the library (the Hadamard method in all its modes, projected
gradient, FISTA, multiplicative updates) is a geometry (:mod:`._reparam`) plus a step
policy (:mod:`._steps`) run by :class:`Run`. A single run is the batch of one.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._operator import Operator
from ._reparam import any_le, residuals, rowdot
from ._threads import blas_threads
from .references import solution_scale
from .result import Recorder, Result

#: An objective this many times the initial one counts as divergence.
BLOWUP = 1e8


@dataclass(frozen=True)
class State:
    """What a callback sees: ``callback(k, state) -> bool`` (False stops the run).

    Attributes
    ----------
    k : int
        Iterations done.
    x : ndarray
        The current iterate: shape (n,) for a single run, (B, n) for the active rows of a
        batch.
    objective : float or ndarray
        ``1/2 ||A x - b||^2`` (per active row for a batch).
    residual : float or ndarray
        The relative optimality residual of the stopping test.
    rows : ndarray of int
        Which runs of the batch are still active.
    elapsed : float
        Seconds since the start.
    """

    k: int
    x: np.ndarray
    objective: float | np.ndarray
    residual: float | np.ndarray
    rows: np.ndarray
    elapsed: float


@dataclass(frozen=True)
class Budget:
    """The stopping rule and limits shared by every iterative solver."""

    max_iter: int
    tol: float
    time_limit: float | None = None
    callback: Callable[[int, State], bool] | None = None
    record: bool = True


class Run:
    """The state of B rows run together: ``P`` (the solver's variable), ``X`` (the
    iterate), ``R = A X - b``, ``f`` (objective), ``Z = A^T R``, ``G`` (the direction).

    Step policies move rows with :meth:`accept` and end rows with :meth:`stop`; their own
    per-row arrays live in :attr:`vars` so that finished rows are dropped everywhere.
    """

    def __init__(self, op: Operator, b: np.ndarray, geo, P0: np.ndarray, budget: Budget,
                 method: str) -> None:
        self.op, self.geo, self.budget, self.method = op, geo, budget, method
        B, n = P0.shape
        self.B = B
        self.b = np.ascontiguousarray(np.broadcast_to(b, (B, op.shape[0])))
        self.idx = np.arange(B)
        self.vars: dict[str, np.ndarray] = {}
        self.rec = Recorder(B, n, budget.max_iter, budget.record)
        self.out: list[Result | None] = [None] * B
        self.P = P0
        # the first products with the loop's BLAS threads: for a small product, threads
        # woken here would spin-wait (burning a core) through the first part of the loop
        with blas_threads(op.shape[0] * op.shape[1]), \
                np.errstate(over="ignore", invalid="ignore", under="ignore"):
            self.X = geo.to_x(P0)
            self.f, self.R = self.objective(self.X)
            self.Z = op.rmatmat(self.R)
            self.G = geo.direction(self.P, self.Z)
        # the residual is measured against ||b||; for b = 0 (solution x = 0) against the
        # starting residual ||A x_0||, so it still falls to 0 as x does
        b_norm = np.linalg.norm(self.b, axis=1)
        b_norm = np.where(b_norm > 0, b_norm, np.sqrt(2 * self.f))
        self.inv_b_norm = 1.0 / np.maximum(b_norm, np.finfo(float).tiny)
        bad = ~(np.isfinite(self.f) & np.isfinite(self.G).all(axis=1))
        if bad.any():
            j = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"the starting point overflows (x_0 up to {float(np.max(self.X[j])):.3g}, "
                f"objective {float(self.f[j]):.3g}): choose a smaller alpha for this A and b")
        self._norms()
        self.f0 = self.f.copy()
        self.limit = BLOWUP * np.maximum(self.f0, 1e-300)
        self._stopped: list[tuple[np.ndarray, str, list[str]]] = []
        self.tol = budget.tol

    # products ------------------------------------------------------------------------
    def objective(self, X: np.ndarray, rows=None) -> tuple[np.ndarray, np.ndarray]:
        """``(f, R)`` at trial iterates ``X`` of all rows or of the given rows."""
        op = self.op if rows is None else self.op.take(rows)
        b = self.b if rows is None else self.b[rows]
        R = op.matmat(X)
        R -= b
        f = rowdot(R, R)
        f *= 0.5
        return f, R

    def gradient(self, R: np.ndarray, rows=None) -> np.ndarray:
        op = self.op if rows is None else self.op.take(rows)
        return op.rmatmat(R)

    @property
    def norm2(self) -> np.ndarray:
        """``||A||_2^2`` per active row, computed when a step rule first needs it."""
        return self._squared("norm2", lambda: self.op.norm)

    @property
    def norm2_bound(self) -> np.ndarray:
        """An upper bound of ``||A||_2^2`` per active row that costs no product
        (:attr:`Operator.norm_bound`)."""
        return self._squared("norm2_bound", lambda: self.op.norm_bound)

    def _squared(self, name: str, norm) -> np.ndarray:
        """``norm()**2`` per active row (at least the smallest float), kept in vars."""
        if name not in self.vars:
            sq = np.broadcast_to(np.square(norm()), (self.idx.size,)).astype(float)
            self.vars[name] = np.maximum(sq, np.finfo(float).tiny)
        return self.vars[name]

    @property
    def x_scale(self) -> np.ndarray:
        """``||A^T b||_inf / ||A||_2^2`` per active row: the size of a solution."""
        if "x_scale" not in self.vars:
            self.vars["x_scale"] = np.abs(self.op.rmatmat(self.b)).max(axis=1) / self.norm2
        return self.vars["x_scale"]

    def solution_scale(self, row: int) -> float:
        """Largest entry of an NNLS solution of the row's problem (computed on demand;
        the cheap estimate for stacks and LinearOperators)."""
        if self.op.kind == "stack":
            return float(self.x_scale[row])
        return solution_scale(self.op._A, self.b[row])

    def residual(self) -> np.ndarray:
        """The stopping measure of the active rows (see :func:`nnls_core.optimality`)."""
        return residuals(self.X, self.Z, self.col, self.inv_col, self.inv_b_norm,
                         self.geo.plain)

    # moves ----------------------------------------------------------------------------
    def accept(self, rows, P, X, R, f) -> None:
        """Move the given rows (None: all) to trial points whose ``R`` and ``f`` are known."""
        if rows is None:
            self.P, self.X, self.R, self.f = P, X, R, f
            self.Z = self.gradient(R)
            self.G = self.geo.direction(P, self.Z)
            return
        if not len(rows):
            return
        # new arrays, not in-place writes: a policy may hold the previous ones (BB's s, y)
        self.P, self.X, self.R, self.f = (self.P.copy(), self.X.copy(), self.R.copy(),
                                          self.f.copy())
        self.P[rows], self.X[rows], self.R[rows], self.f[rows] = P, X, R, f
        Z = self.gradient(R, rows)
        self.Z, self.G = self.Z.copy(), self.G.copy()
        self.Z[rows] = Z
        self.G[rows] = self.geo.direction(P, Z, rows=rows)

    def stop(self, rows: np.ndarray, status: str, messages: list[str]) -> None:
        """End the given rows (local indices) with ``status``; their state is kept."""
        if len(rows):
            self._stopped.append((np.asarray(rows), status, messages))

    # the loop -------------------------------------------------------------------------
    def run(self, policy) -> list[Result]:
        """Iterate ``policy.step`` until every row has stopped; one Result per row."""
        m, n = self.op.shape
        with blas_threads(m * n):
            return self._run(policy)

    def _run(self, policy) -> list[Result]:
        budget = self.budget
        outside = np.geterr()  # the callback runs with the caller's floating-point state
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            policy.bind(self)
            res = self.residual()
            self._log(0, res)
            self._end(np.flatnonzero(res <= self.tol), 0, "converged", res)
            k = 0
            t_end = (math.inf if budget.time_limit is None
                     else self.rec.t0 + budget.time_limit)
            while self.idx.size:
                if k >= budget.max_iter:
                    self._end(np.arange(self.idx.size), k, "max_iter", self.residual())
                    break
                policy.step(self, k)
                if self._stopped:
                    res = self.residual()
                    for rows, status, msgs in self._stopped:
                        self._end(rows, k, status, res, msgs)
                    self._stopped = []
                    if not self.idx.size:
                        break
                k += 1
                res = self.residual()
                self._log(k, res)
                if any_le(res, self.tol):
                    self._end(np.flatnonzero(res <= self.tol), k, "converged", res)
                    if not self.idx.size:
                        break
                if time.perf_counter() > t_end:
                    self._end(np.arange(self.idx.size), k, "time_limit", self.residual())
                elif budget.callback is not None:
                    single = self.B == 1
                    st = State(k, self.X[0] if single else self.X,
                               float(self.f[0]) if single else self.f,
                               float(res[0]) if single else res, self.idx.copy(),
                               self.rec.elapsed())
                    with np.errstate(**outside):
                        go_on = budget.callback(k, st)
                    if go_on is False:
                        self._end(np.arange(self.idx.size), k, "cancelled", res)
        return self.out

    def _log(self, k: int, res: np.ndarray) -> None:
        self.rec.objective(k, self.idx, self.f)
        if self.rec.wants(k):
            for j, run in enumerate(self.idx):
                self.rec.iterate(k, run, self.X[j], res[j])

    def _end(self, rows: np.ndarray, k: int, status: str, res: np.ndarray,
             messages: list[str] | None = None) -> None:
        """Write the Results of the given active rows and drop them from the batch."""
        if not len(rows):
            return
        rows = np.unique(rows)
        t = self.rec.elapsed()
        for j, r in enumerate(rows):
            run = self.idx[r]
            if self.out[run] is not None:
                continue
            self.rec.iterate(k, run, self.X[r], res[r])
            f = float(self.f[r])
            msg = self._message(status, k, float(res[r]), t,
                                None if messages is None else messages[j])
            self.out[run] = Result(
                x=self.X[r].copy(), objective=f, rnorm=math.sqrt(2 * f), n_iter=k,
                status=status, message=msg, time_s=t, method=self.method,
                history=self.rec.history(run, k, f))
        keep = np.ones(self.idx.size, dtype=bool)
        keep[rows] = False
        self._keep(keep)

    def _message(self, status: str, k: int, res: float, t: float, detail: str | None) -> str:
        where = f"optimality residual {res:.3g} (tolerance {self.tol:.3g})"
        if status == "converged":
            return f"converged after {k} iterations: {where}"
        if status == "max_iter":
            return f"not converged: stopped at max_iter = {k} with {where}"
        if status == "time_limit":
            return (f"not converged: stopped by the time limit of "
                    f"{self.budget.time_limit:g} s after {k} iterations ({t:.2f} s) with "
                    f"{where}")
        if status == "cancelled":
            return f"cancelled by the callback after {k} iterations with {where}"
        if status == "stalled":
            return f"stalled at iteration {k}: {detail}; {where}"
        return str(detail)

    def _keep(self, keep: np.ndarray) -> None:
        if keep.all():
            return
        rows = np.flatnonzero(keep)
        for name in ("idx", "P", "X", "R", "f", "Z", "G", "b", "inv_b_norm", "f0", "limit"):
            setattr(self, name, getattr(self, name)[rows])
        for name, arr in self.vars.items():
            self.vars[name] = arr[rows]
        self.op = self.op.take(rows)
        self._norms()
        self.geo.keep(rows)

    def _norms(self) -> None:
        # 2-D like X and Z: numpy's faster path for operands of one rank
        self.col = np.atleast_2d(self.op.col_norms)
        self.inv_col = np.atleast_2d(self.op.inv_col_norms)


def run_single(op: Operator, b: np.ndarray, geo, P0: np.ndarray, policy, budget: Budget,
               method: str) -> Result:
    """Run one row and return its Result."""
    return Run(op, b, geo, P0, budget, method).run(policy)[0]
