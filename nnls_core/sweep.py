"""Many Hadamard runs at once: parameter sweeps and stacks of small problems.

:func:`sweep` runs the fixed-step Hadamard gradient descent of
:func:`nnls_core.hadamard` (``step=<number>``, optional ``decay``, ``form`` "u" or "x")
for ``B`` configurations together, one configuration per row of a ``(B, n)`` array:

* a shared ``A`` (``(m, n)``): one ``X @ A.T`` and one ``R @ A`` per iteration for all
  rows (matrix-matrix products), e.g. an alpha grid times several L times several
  right-hand sides;
* stacked ``A`` (``(B, m, n)``): many independent small problems, ``np.matmul`` on the
  stack.

Every row follows exactly the algorithm and stopping rule of the sequential solver
(KKT residual ``<= tol * ||A^T b||_inf``, a sign change or blow-up stops that row with
status "diverged" and keeps its last good iterate), so the results equal sequential
``nnls_core.solve(A, b, method="hadamard", step=eta, ...)`` calls up to rounding.
Rows that stop are dropped from the batch, so the cost follows the slowest row only.

The experiment helpers below (:func:`implicit_bias`, :func:`phase_transition`,
:func:`perturbation_stability`, :func:`decay_rates`, :func:`acceleration`) are the
paper's experiments (Chou et al., AISTATS 2025) built on it.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.optimize

from ._driver import BLOWUP
from ._hadamard import _pow, hadamard, safe_step
from ._validation import as_float_array, check_int, check_positive
from .flows import accelerated_flow, gradient_flow
from .problems import sparse_problem
from .result import History, Result, checkpoint_schedule

__all__ = ["sweep", "grid", "implicit_bias", "phase_transition", "perturbation_stability",
           "decay_rates", "acceleration", "accel_time_step", "ImplicitBias", "PhaseTransition",
           "Perturbation", "SUCCESS_TOL"]

#: Relative error ``||x - x_true|| / ||x_true||`` below which a recovery counts as a success.
SUCCESS_TOL = 1e-2
_CHUNK = 2048  # rows of the objective log allocated at a time


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


def _per_row(value, name: str, B: int, *, allow_zero: bool = False) -> np.ndarray:
    if isinstance(value, str):
        raise ValueError(f"sweep batches fixed steps only; {name} must be a number, got "
                         f"{value!r} (use nnls_core.hadamard for step='auto' or 'bb')")
    arr = np.atleast_1d(np.asarray(value, dtype=object))
    if arr.ndim != 1 or arr.size not in (1, B):
        raise ValueError(f"{name} must be a number or have length {B}, got shape {arr.shape}")
    out = np.array([check_positive(v, name, allow_zero=allow_zero) for v in arr])
    return np.broadcast_to(out, (B,)).copy()


def _batch_size(*values) -> int:
    sizes = {np.size(v) for v in values if not isinstance(v, str) and np.ndim(v) > 0}
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
    step=1e-2,
    decay=0.0,
    form: str = "u",
    max_iter: int = 50_000,
    tol: float = 1e-6,
    record: bool = True,
    progress: Callable[[float], None] | None = None,
) -> list[Result]:
    """Fixed-step Hadamard gradient descent for many configurations at once.

    Parameters
    ----------
    A : array_like, shape (m, n) or (B, m, n)
        One matrix shared by all runs, or a stack of independent problems.
    b : array_like, shape (m,) or (B, m)
        One right-hand side for all runs, or one per run.
    L, alpha, step, decay : float or sequence of length B
        Per-run exponent, initialization scale (``u_0 = alpha``), fixed step ``eta`` and
        decay exponent (``eta_k = eta / (k+1)^decay``), as in :func:`nnls_core.hadamard`.
        Scalars are broadcast. ``step`` must be a number ("auto"/"bb" are sequential).
    form : {"u", "x"}
        As in :func:`nnls_core.hadamard` (the same for all runs).
    max_iter : int
    tol : float
        Each run stops when ``||min(x, grad f(x))||_inf <= tol * ||A^T b||_inf``.
    record : bool
        True: full histories as in :func:`nnls_core.solve` (objective every iteration,
        iterates at the log-spaced checkpoints). False: the histories hold only the first
        and the last iterate and objective (for large stacks, e.g. phase transitions).
    progress : callable, optional
        Called as ``progress(done_fraction)`` with a float in [0, 1] now and then, and
        with 1.0 at the end.

    Returns
    -------
    list of Result
        One per run, in order; equal (to rounding) to the sequential
        ``nnls_core.solve(A_j, b_j, method="hadamard", L=L_j, alpha=alpha_j,
        step=step_j, decay=decay_j, form=form, max_iter=max_iter, tol=tol)``.

    Examples
    --------
    >>> import nnls_core as nc
    >>> p = nc.sparse_problem(10, 50, 3, seed=0)
    >>> rs = sweep(p.A, p.b, L=2, alpha=[1e-2, 1e-1], step=0.05, max_iter=20_000)
    >>> [r.status for r in rs]
    ['converged', 'converged']
    """
    A = as_float_array(A, "A", (2, 3))
    b = as_float_array(b, "b", (1, 2))
    stacked = A.ndim == 3
    m, n = A.shape[-2:]
    if b.shape[-1] != m:
        raise ValueError(f"b has length {b.shape[-1]} but A has {m} rows "
                         f"(A is {m} x {n})")
    B = _batch_size(L, alpha, step, decay)
    for arr, name in ((A, "A"), (b, "b")):
        if arr.ndim == (3 if name == "A" else 2):
            if B not in (1, arr.shape[0]):
                raise ValueError(f"{name} holds {arr.shape[0]} problems but the parameter "
                                 f"lists have length {B}")
            B = arr.shape[0]
    if stacked and b.ndim == 2 and A.shape[0] != b.shape[0]:
        raise ValueError(f"A holds {A.shape[0]} problems but b holds {b.shape[0]}")
    Ls = _per_row(L, "L", B)
    if np.any(Ls < 1):
        raise ValueError(f"L must be >= 1, got {Ls.min()}")
    alphas = _per_row(alpha, "alpha", B)
    steps = _per_row(step, "step", B)
    decays = _per_row(decay, "decay", B, allow_zero=True)
    if np.any(decays > 1):
        raise ValueError(f"decay must be in [0, 1], got {decays.max()}")
    if form not in ("u", "x"):
        raise ValueError(f"form must be 'u' or 'x', got {form!r}")
    max_iter = check_int(max_iter, "max_iter", minimum=0)
    tol = check_positive(tol, "tol", allow_zero=True)
    return _Batch(A, b, Ls, alphas, steps, decays, form, max_iter, tol, record,
                  progress).run()


class _Batch:
    """State of the active rows; finished rows are written out and dropped."""

    def __init__(self, A, b, Ls, alphas, steps, decays, form, max_iter, tol, record,
                 progress):
        self.t0 = time.perf_counter()
        B = Ls.size
        self.B, self.form, self.max_iter, self.record = B, form, max_iter, record
        self.progress = progress
        self.stacked = A.ndim == 3
        self.A = np.ascontiguousarray(A) if self.stacked else A
        self.AT = None if self.stacked else np.ascontiguousarray(A.T)
        self.n = A.shape[-1]
        self.b = np.ascontiguousarray(np.broadcast_to(b, (B, b.shape[-1])))
        self.idx = np.arange(B)
        self.L, self.eta, self.decay = Ls, steps, decays
        # the same starting point as _Hadamard: p = alpha (u-form) or alpha**L (x-form)
        p0 = alphas if form == "u" else np.array([float(a)**float(L) for a, L in zip(alphas, Ls)])
        self.P = np.repeat(p0[:, None], self.n, axis=1)
        self._regroup()
        self.X = self._to_x(self.P)
        self.R = self._matvec(self.X) - self.b
        self.f = 0.5 * np.einsum("ij,ij->i", self.R, self.R)
        self.Z = self._rmatvec(self.R)
        self.f0 = self.f.copy()
        scale = np.max(np.abs(self._rmatvec(self.b)), axis=1)
        self.threshold = tol * np.maximum(scale, np.finfo(float).tiny)
        self.G = self._grad(self.P, self.Z)
        # logs
        self.obj_chunks: list[np.ndarray] = []
        self.schedule = set(checkpoint_schedule(max_iter).tolist()) if record else {0}
        self.cp: list[list[tuple]] = [[] for _ in range(B)]  # per run: (k, x, kkt, l1, t)
        self.out: list[Result | None] = [None] * B

    # products -------------------------------------------------------------------------
    def _matvec(self, X):
        if self.stacked:
            return np.matmul(self.A, X[:, :, None])[:, :, 0]
        return X @ self.AT

    def _rmatvec(self, R):
        if self.stacked:
            return np.matmul(R[:, None, :], self.A)[:, 0, :]
        return R @ self.A

    # the pieces of _Hadamard, row-wise ------------------------------------------------
    def _regroup(self):
        """Rows grouped by exponent, so that _pow takes the same code path as hadamard."""
        Ls = self.L
        if Ls.size and np.all(Ls == Ls[0]):
            self.groups = [(float(Ls[0]), slice(None))]
        else:
            self.groups = [(float(v), np.flatnonzero(Ls == v)) for v in np.unique(Ls)]
        self.plain = np.flatnonzero(Ls == 1)

    def _to_x(self, P):
        if self.form == "x":
            return P
        if len(self.groups) == 1:
            return _pow(P, self.groups[0][0])
        X = np.empty_like(P)
        for L, rows in self.groups:
            X[rows] = _pow(P[rows], L)
        return X

    def _grad1(self, P, Z, L):
        if L == 1:
            return Z.copy()
        if self.form == "u":
            return L * _pow(P, L - 1) * Z
        return L**2 * _pow(P, 2 - 2 / L) * Z

    def _grad(self, P, Z):
        if len(self.groups) == 1:
            return self._grad1(P, Z, self.groups[0][0])
        G = np.empty_like(P)
        for L, rows in self.groups:
            G[rows] = self._grad1(P[rows], Z[rows], L)
        return G

    def _residual(self, X, Z):
        res = np.abs(np.minimum(X, Z)).max(axis=1)
        if self.plain.size:
            res[self.plain] = np.abs(Z[self.plain]).max(axis=1)
        return res

    def _kkt(self, X, Z):
        return np.abs(np.minimum(X, Z)).max(axis=1)

    # logging --------------------------------------------------------------------------
    def _log_objective(self, k):
        c, i = divmod(k, _CHUNK)
        if c == len(self.obj_chunks):
            self.obj_chunks.append(np.empty((_CHUNK, self.B)))
        self.obj_chunks[c][i, self.idx] = self.f

    def _checkpoint(self, k, rows=None):
        rows = np.arange(self.idx.size) if rows is None else rows
        if not rows.size:
            return
        X, Z = self.X[rows], self.Z[rows]
        kkt = self._kkt(X, Z)
        l1 = np.abs(X).sum(axis=1)
        t = time.perf_counter() - self.t0
        for j, r in enumerate(rows):
            self.cp[self.idx[r]].append((k, X[j].copy(), kkt[j], l1[j], t))

    def _finish(self, rows, k, status, messages):
        """Write out the results of the given active rows, stopped at iteration k."""
        if not len(rows):
            return
        for j, r in enumerate(rows):
            run = self.idx[r]
            if not self.cp[run] or self.cp[run][-1][0] != k:
                x, z = self.X[r], self.Z[r]
                kkt = self._kkt(x[None], z[None])[0]
                self.cp[run].append((k, x.copy(), kkt, np.abs(x).sum(),
                                     time.perf_counter() - self.t0))
            obj = self._objective_of(run, k)
            cps = self.cp[run]
            hist = History(obj, np.array([c[0] for c in cps], dtype=np.int64),
                           np.array([c[1] for c in cps]), np.array([c[2] for c in cps]),
                           np.array([c[3] for c in cps]), np.array([c[4] for c in cps]))
            f = float(self.f[r])
            self.out[run] = Result(
                x=self.X[r].copy(), objective=f, rnorm=float(np.sqrt(2 * f)), n_iter=k,
                status=status, message=messages[j], time_s=time.perf_counter() - self.t0,
                method="hadamard", history=hist)
            self.cp[run] = []

    def _objective_of(self, run, k):
        if not self.record:
            return np.array([self.f0[run], self.obj_chunks[k // _CHUNK][k % _CHUNK, run]]
                            if k else [self.f0[run]])
        parts = []
        for c, chunk in enumerate(self.obj_chunks):
            lo = c * _CHUNK
            if lo > k:
                break
            parts.append(chunk[: min(_CHUNK, k + 1 - lo), run])
        return np.concatenate(parts)

    def _keep(self, keep):
        """Drop the rows that stopped."""
        if keep.all():
            return
        for name in ("idx", "L", "eta", "eta_col", "decay", "P", "X", "R", "f", "Z", "G",
                     "b", "threshold", "limit"):
            setattr(self, name, getattr(self, name)[keep])
        if self.stacked:
            self.A = self.A[keep]
        self._regroup()

    # the loop -------------------------------------------------------------------------
    def run(self) -> list[Result]:
        self.limit = BLOWUP * np.maximum(self.f0, 1e-300)  # _Iteration.blown_up
        self.eta_col = self.eta[:, None]
        self._log_objective(0)
        self._checkpoint(0)
        done = self._residual(self.X, self.Z) <= self.threshold
        self._finish(np.flatnonzero(done), 0, "converged",
                     ["optimality residual <= tol * ||A^T b||_inf after 0 iterations"]
                     * int(done.sum()))
        self._keep(~done)
        k, last_report = 0, 0.0
        strict = self.form == "u"
        decaying = bool(np.any(self.decay))
        while self.idx.size and k < self.max_iter:
            eta = (self.eta / (k + 1) ** self.decay)[:, None] if decaying else self.eta_col
            P_new = self.P - eta * self.G
            # validity as in _Hadamard.valid: finite (L = 1) or p >= 0 (NaN fails)
            valid = P_new.min(axis=1) >= 0
            if self.plain.size:
                valid[self.plain] = np.isfinite(P_new[self.plain].sum(axis=1))
            with np.errstate(over="ignore", invalid="ignore"):
                X_new = self._to_x(P_new)
                R_new = self._matvec(X_new) - self.b
                f_new = 0.5 * np.einsum("ij,ij->i", R_new, R_new)
            ok = valid & (f_new <= self.limit)  # not blown up (NaN and Inf fail too)
            if not ok.all():
                bad = ~ok
                rows = np.flatnonzero(bad)
                why = [("u changed sign, so x = u^L left the non-negative orthant" if strict
                        else "x left the non-negative orthant") if not valid[r]
                       else f"the objective grew to {f_new[r]:.3g}" for r in rows]
                msgs = [f"diverged at iteration {k + 1}: {w}. Try a smaller step "
                        f"(e.g. nnls_core.safe_step) or step='auto'." for w in why]
                self._finish(rows, k, "diverged", msgs)
                keep = ~bad
                self._keep(keep)
                P_new, X_new, R_new, f_new = P_new[keep], X_new[keep], R_new[keep], f_new[keep]
                if not self.idx.size:
                    break
            self.P, self.X, self.R, self.f = P_new, X_new, R_new, f_new
            self.Z = self._rmatvec(R_new)
            self.G = self._grad(self.P, self.Z)
            k += 1
            self._log_objective(k)
            if k in self.schedule:
                self._checkpoint(k)
            conv = self._residual(self.X, self.Z) <= self.threshold
            if conv.any():
                rows = np.flatnonzero(conv)
                self._finish(rows, k, "converged", [
                    f"optimality residual <= tol * ||A^T b||_inf after {k} iterations"]
                    * rows.size)
                self._keep(~conv)
            if self.progress is not None and (k % 256 == 0 or conv.any()):
                frac = max((self.B - self.idx.size) / self.B, k / max(self.max_iter, 1))
                if frac - last_report >= 0.01:
                    last_report = frac
                    self.progress(min(frac, 1.0))
        if self.idx.size:
            res = self._residual(self.X, self.Z)
            self._finish(np.arange(self.idx.size), k, "max_iter", [
                f"stopped at max_iter = {self.max_iter} with optimality residual "
                f"{res[r]:.3g} (target {self.threshold[r]:.3g})" for r in range(self.idx.size)])
        if self.progress is not None:
            self.progress(1.0)
        return list(self.out)


# ---------------------------------------------------------------------------------------
# The paper's experiments
# ---------------------------------------------------------------------------------------

def _tick(progress, done: int, total: int) -> None:
    if progress is not None:
        progress(min(1.0, done / max(total, 1)))


def _scaled(progress, lo: float, hi: float):
    """A progress callback mapping [0, 1] onto [lo, hi] of an outer callback."""
    if progress is None:
        return None
    return lambda frac: progress(lo + (hi - lo) * frac)


def _x_max(A, b) -> float:
    """Largest coordinate of an NNLS solution (Lawson-Hanson), for :func:`safe_step`."""
    return float(np.max(scipy.optimize.nnls(A, b, maxiter=10 * A.shape[1])[0]))


@dataclass(frozen=True, eq=False)
class ImplicitBias:
    """l1 norm of the limit against alpha, for several L (see :func:`implicit_bias`).

    Attributes
    ----------
    alphas : ndarray (a,)
    Ls : tuple of float
    results : list of list of Result
        ``results[i][j]``: exponent ``Ls[i]``, scale ``alphas[j]``.
    l1, distance : ndarray (len(Ls), a)
        ``||x||_1`` of the limit and ``||x - x_l1||_2`` to the minimum-l1 solution.
    converged : ndarray of bool (len(Ls), a)
    x_l1, x_lh : ndarray (n,)
        Minimum-l1 non-negative solution (LP) and Lawson-Hanson's solution.
    l1_lp, l1_lh : float
    l1_true : float or None
    steps : dict
        L -> the fixed step used (empty for "bb").
    """

    alphas: np.ndarray
    Ls: tuple
    results: list
    l1: np.ndarray
    distance: np.ndarray
    converged: np.ndarray
    x_l1: np.ndarray
    x_lh: np.ndarray
    l1_lp: float
    l1_lh: float
    l1_true: float | None
    steps: dict


def implicit_bias(A, b, *, alphas: Sequence[float], Ls: Sequence[float] = (2, 3),
                  x_true=None, step: str = "bb", step_scale: float = 1.0,
                  max_iter: int = 100_000, tol: float = 1e-6,
                  progress: Callable[[float], None] | None = None) -> ImplicitBias:
    """Limits of Hadamard GD over an alpha grid and several L, with the l1 references.

    Parameters
    ----------
    A, b : the problem (underdetermined, ``A x = b`` feasible with ``x >= 0``).
    alphas, Ls : the grid.
    x_true : ndarray, optional
        Ground truth, for the reference ``||x_true||_1``.
    step : {"bb", "fixed"}
        "bb": sequential :func:`nnls_core.hadamard` runs with Barzilai-Borwein steps
        (fast); "fixed": all runs batched by :func:`sweep` with the fixed step
        ``step_scale * safe_step(||A||_2, L, x_max)`` (the paper's plain GD), where
        ``x_max`` is the largest entry of the LP and Lawson-Hanson solutions.
    max_iter, tol : as in :func:`nnls_core.hadamard`.
    progress : callable, optional
        ``progress(done_fraction)``.

    Examples
    --------
    >>> import nnls_core as nc
    >>> p = nc.sparse_problem(10, 50, 3, seed=0)
    >>> ib = implicit_bias(p.A, p.b, alphas=[1e-3, 1e-1], Ls=[2])
    >>> bool(ib.l1[0, 0] < ib.l1[0, 1])
    True
    """
    A = as_float_array(A, "A", 2)
    b = as_float_array(b, "b", 1)
    alphas = np.array([check_positive(a, "alpha") for a in np.atleast_1d(alphas)])
    Ls = tuple(check_positive(L, "L") for L in np.atleast_1d(Ls))
    if not alphas.size or not Ls:
        raise ValueError("alphas and Ls must not be empty")
    if step not in ("bb", "fixed"):
        raise ValueError(f"step must be 'bb' or 'fixed', got {step!r}")
    res = scipy.optimize.linprog(np.ones(A.shape[1]), A_eq=A, b_eq=b, bounds=(0, None),
                                 method="highs")
    if res.status != 0:
        raise ValueError("A x = b has no non-negative solution, so there is no "
                         f"minimum-l1 reference (noisy or overdetermined?): {res.message}")
    x_l1 = np.maximum(res.x, 0.0)
    x_lh = scipy.optimize.nnls(A, b, maxiter=10 * A.shape[1])[0]
    steps: dict = {}
    if step == "fixed":
        norm = float(np.linalg.norm(A, 2))
        x_max = max(float(x_l1.max()), float(x_lh.max()))
        steps = {L: step_scale * safe_step(norm, L, x_max) for L in Ls}
        g = grid(L=list(Ls), alpha=alphas)
        flat = sweep(A, b, L=g["L"], alpha=g["alpha"], step=[steps[L] for L in g["L"]],
                     max_iter=max_iter, tol=tol, progress=progress)
        results = [flat[i * alphas.size:(i + 1) * alphas.size] for i in range(len(Ls))]
    else:
        results, total = [], len(Ls) * alphas.size
        for i, L in enumerate(Ls):
            row = []
            for j, a in enumerate(alphas):
                row.append(hadamard(A, b, L=L, alpha=a, step="bb", max_iter=max_iter,
                                    tol=tol))
                _tick(progress, i * alphas.size + j + 1, total)
            results.append(row)
    l1 = np.array([[r.x.sum() for r in row] for row in results])
    dist = np.array([[np.linalg.norm(r.x - x_l1) for r in row] for row in results])
    conv = np.array([[r.status == "converged" for r in row] for row in results])
    return ImplicitBias(alphas, Ls, results, l1, dist, conv, x_l1, x_lh, float(x_l1.sum()),
                        float(x_lh.sum()),
                        None if x_true is None else float(np.abs(x_true).sum()), steps)


@dataclass(frozen=True, eq=False)
class PhaseTransition:
    """Success probability of recovering ``x_true`` on a grid of m/n and s/m.

    Attributes
    ----------
    deltas, rhos : ndarray
        The grid: ``delta = m / n`` (rows) and ``rho = s / m`` (columns).
    ms, ss : ndarray of int, shape (len(deltas),) and (len(deltas), len(rhos))
    success : dict
        Method -> ndarray (len(deltas), len(rhos)) of success fractions in [0, 1].
    error : dict
        Method -> ndarray (len(deltas), len(rhos)) of median relative errors.
    trials : int
    n : int
    time_s : dict
        Method -> seconds spent.
    """

    deltas: np.ndarray
    rhos: np.ndarray
    ms: np.ndarray
    ss: np.ndarray
    success: dict
    error: dict
    trials: int
    n: int
    time_s: dict


PT_METHODS = ("hadamard", "lawson_hanson", "l1_min")


def phase_transition(n: int, deltas: Sequence[float], rhos: Sequence[float], *,
                     trials: int = 5, methods: Sequence[str] = PT_METHODS, L: float = 2,
                     alpha: float = 1e-3, step_scale: float = 1.5, max_iter: int = 20_000,
                     tol: float = 1e-5, seed: int = 0,
                     progress: Callable[[float], None] | None = None) -> PhaseTransition:
    """Donoho-Tanner style phase transition for Hadamard GD, Lawson-Hanson and l1-min.

    For each ``delta = m/n`` and ``rho = s/m``, ``trials`` problems
    ``sparse_problem(m, n, s)`` (noiseless); a trial succeeds when
    ``||x - x_true||_2 / ||x_true||_2 < SUCCESS_TOL`` (1e-2). Hadamard GD runs batched on
    the stack of all problems with the same m (:func:`sweep`, fixed step
    ``step_scale * safe_step(||A||_2, L, max x_LH)`` per problem, i.e. 3/4 of the edge of
    the stability region by default); the direct solvers run one by one.

    Examples
    --------
    >>> pt = phase_transition(40, [0.8], [0.1], trials=2, methods=["l1_min"])
    >>> pt.success["l1_min"].tolist()
    [[1.0]]
    """
    n = check_int(n, "n", minimum=2)
    trials = check_int(trials, "trials", minimum=1)
    deltas = np.array([check_positive(d, "delta") for d in np.atleast_1d(deltas)])
    rhos = np.array([check_positive(r, "rho") for r in np.atleast_1d(rhos)])
    bad = [mth for mth in methods if mth not in PT_METHODS]
    if bad or not len(methods):
        raise ValueError(f"methods must be a non-empty subset of {PT_METHODS}, got {methods}")
    ms = np.clip(np.round(deltas * n).astype(int), 1, None)
    ss = np.clip(np.round(rhos[None, :] * ms[:, None]).astype(int), 1, n)
    shape = (deltas.size, rhos.size)
    success = {mth: np.zeros(shape) for mth in methods}
    error = {mth: np.zeros(shape) for mth in methods}
    spent = {mth: 0.0 for mth in methods}
    total = deltas.size
    for i, m in enumerate(ms):
        probs = [sparse_problem(int(m), n, int(ss[i, j]), seed=seed + 1_000_003 * i
                                + 10_007 * j + t)
                 for j in range(rhos.size) for t in range(trials)]
        xs: dict = {}
        t0 = time.perf_counter()
        x_lh = [scipy.optimize.nnls(p.A, p.b, maxiter=10 * n)[0] for p in probs]
        if "lawson_hanson" in methods:
            xs["lawson_hanson"] = x_lh
            spent["lawson_hanson"] += time.perf_counter() - t0
        if "l1_min" in methods:
            t0 = time.perf_counter()
            out = []
            for p in probs:
                r = scipy.optimize.linprog(np.ones(n), A_eq=p.A, b_eq=p.b, bounds=(0, None),
                                           method="highs")
                out.append(np.maximum(r.x, 0.0) if r.status == 0 else np.zeros(n))
            xs["l1_min"] = out
            spent["l1_min"] += time.perf_counter() - t0
        if "hadamard" in methods:
            t0 = time.perf_counter()
            A = np.stack([p.A for p in probs])
            b = np.stack([p.b for p in probs])
            steps = [step_scale * safe_step(float(np.linalg.norm(p.A, 2)), L,
                                            max(float(x.max()), 1e-3))
                     for p, x in zip(probs, x_lh)]
            rs = sweep(A, b, L=L, alpha=alpha, step=steps, max_iter=max_iter, tol=tol,
                       record=False, progress=_scaled(progress, i / total, (i + 1) / total))
            xs["hadamard"] = [r.x for r in rs]
            spent["hadamard"] += time.perf_counter() - t0
        for mth, sol in xs.items():
            err = np.array([np.linalg.norm(x - p.x_true) / np.linalg.norm(p.x_true)
                            for x, p in zip(sol, probs)]).reshape(rhos.size, trials)
            success[mth][i] = np.mean(err < SUCCESS_TOL, axis=1)
            error[mth][i] = np.median(err, axis=1)
        _tick(progress, i + 1, total)
    return PhaseTransition(deltas, rhos, ms, ss, success, error, trials, n, spent)


@dataclass(frozen=True, eq=False)
class Perturbation:
    """Recovery error against the size of a negative perturbation of ``x_true``.

    Attributes
    ----------
    sizes : ndarray
        ``||d||_2`` of the perturbation (``b = A (x_true - d)``, d >= 0 off the support).
    error : dict
        Method -> ndarray (len(sizes), trials) of ``||x - x_true||_2`` (NaN where the
        method had no answer, e.g. an infeasible LP).
    failures : dict
        Method -> number of (size, trial) pairs without an answer.
    """

    sizes: np.ndarray
    error: dict
    failures: dict


def perturbation_stability(m: int, n: int, s: int, sizes: Sequence[float], *,
                           trials: int = 5, L: float = 2, alpha: float = 1e-3,
                           max_iter: int = 20_000, tol: float = 1e-6, seed: int = 0,
                           methods: Sequence[str] = PT_METHODS,
                           progress: Callable[[float], None] | None = None) -> Perturbation:
    """Error ``||x - x_true||`` when ``b = A (x_true - d)`` with ``d >= 0``, ``||d|| = size``.

    The same seed gives the same A, x_true and direction of d for every size, so each
    trial is one :func:`sweep` over the sizes with a shared A.

    Examples
    --------
    >>> pe = perturbation_stability(20, 50, 3, [0.0, 0.1], trials=1, methods=["l1_min"])
    >>> bool(pe.error["l1_min"][0, 0] < 1e-6 < pe.error["l1_min"][1, 0])
    True
    """
    sizes = np.array([check_positive(v, "size", allow_zero=True) for v in np.atleast_1d(sizes)])
    trials = check_int(trials, "trials", minimum=1)
    bad = [mth for mth in methods if mth not in PT_METHODS]
    if bad or not len(methods):
        raise ValueError(f"methods must be a non-empty subset of {PT_METHODS}, got {methods}")
    error = {mth: np.full((sizes.size, trials), np.nan) for mth in methods}
    for t in range(trials):
        probs = [sparse_problem(m, n, s, negative_perturbation=v, seed=seed + t)
                 for v in sizes]
        A, x_true = probs[0].A, probs[0].x_true
        bs = np.stack([p.b for p in probs])
        x_lh = [scipy.optimize.nnls(A, bb, maxiter=10 * n)[0] for bb in bs]
        for k, bb in enumerate(bs):
            if "lawson_hanson" in methods:
                error["lawson_hanson"][k, t] = np.linalg.norm(x_lh[k] - x_true)
            if "l1_min" in methods:
                r = scipy.optimize.linprog(np.ones(n), A_eq=A, b_eq=bb, bounds=(0, None),
                                           method="highs")
                if r.status == 0:
                    error["l1_min"][k, t] = np.linalg.norm(np.maximum(r.x, 0) - x_true)
        if "hadamard" in methods:
            norm = float(np.linalg.norm(A, 2))
            steps = [safe_step(norm, L, max(float(x.max()), 1e-3)) for x in x_lh]
            rs = sweep(A, bs, L=L, alpha=alpha, step=steps, max_iter=max_iter, tol=tol,
                       record=False, progress=_scaled(progress, t / trials, (t + 1) / trials))
            error["hadamard"][:, t] = [np.linalg.norm(r.x - x_true) for r in rs]
        _tick(progress, t + 1, trials)
    failures = {mth: int(np.isnan(e).sum()) for mth, e in error.items()}
    return Perturbation(sizes, error, failures)


def decay_rates(A, b, *, gammas: Sequence[float] = (0.0, 0.25, 0.5, 0.75),
                Ls: Sequence[float] = (2, 3), alpha: float = 0.1, step: float = 0.1,
                max_iter: int = 20_000, tol: float = 1e-12,
                progress: Callable[[float], None] | None = None) -> dict:
    """Fixed step with decay ``eta_k = eta / (k+1)^gamma`` for every (L, gamma), batched.

    Returns
    -------
    dict
        ``(L, gamma) -> Result``.

    Examples
    --------
    >>> import nnls_core as nc
    >>> p = nc.sparse_problem(20, 50, 3, seed=0)
    >>> out = decay_rates(p.A, p.b, gammas=[0, 0.5], Ls=[2], max_iter=500)
    >>> sorted(out)
    [(2.0, 0.0), (2.0, 0.5)]
    """
    g = grid(L=[float(L) for L in Ls], decay=[float(v) for v in gammas])
    rs = sweep(A, b, L=g["L"], decay=g["decay"], alpha=alpha, step=step,
               max_iter=max_iter, tol=tol, progress=progress)
    return {(float(L), float(d)): r for L, d, r in zip(g["L"], g["decay"], rs)}


def accel_time_step(step: float) -> float:
    """Time ``h`` of one accelerated mirror iteration on the paper's ODE: ``2 sqrt(step)``.

    Examples
    --------
    >>> accel_time_step(0.01)
    0.2
    """
    return 2.0 * float(np.sqrt(step))


def acceleration(A, b, *, alpha: float = 1e-3, step: float = 1e-2, L: float = 2,
                 max_iter: int = 20_000, tol: float = 1e-12, flows: bool = True,
                 progress: Callable[[float], None] | None = None) -> dict:
    """Plain GD, Nesterov and accelerated mirror descent with the same fixed step, and
    the continuous flows as reference curves.

    The gradient flow matches plain GD at ``t = k * step``. The accelerated flow (the
    L = 2 system) matches the mirror iteration at ``t = k * accel_time_step(step)``
    ``= 2 k sqrt(step)``: its x-update ``x + tau (y - x)``, ``tau = 2/(k+2)``, is
    ``x' = (2/t)(y - x)`` with ``dt = h``, ``t = k h``, and its y-update
    ``log y -= 4 step (k+2)/2 grad f`` is ``(log y)' = -(t/2) grad f`` with ``h^2 = 4 step``.

    Returns
    -------
    dict
        ``"plain" / "nesterov" / "mirror" -> Result`` and, with ``flows``,
        ``"gradient flow" / "accelerated flow" -> Flow`` (integrated to
        ``t = max_iter * step`` and ``t = min(max_iter, 3000) * 2 sqrt(step)``).

    Examples
    --------
    >>> import nnls_core as nc
    >>> p = nc.sparse_problem(20, 50, 3, seed=0)
    >>> out = acceleration(p.A, p.b, max_iter=200, flows=False)
    >>> sorted(out)
    ['mirror', 'nesterov', 'plain']
    """
    out: dict = {}
    runs = [("plain", None), ("nesterov", "nesterov"), ("mirror", "mirror")]
    total = len(runs) + (2 if flows else 0)
    for i, (label, accel) in enumerate(runs):
        out[label] = hadamard(A, b, L=L, alpha=alpha, step=step, accel=accel,
                              max_iter=max_iter, tol=tol)
        _tick(progress, i + 1, total)
    if flows:
        out["gradient flow"] = gradient_flow(A, b, alpha=alpha, L=L,
                                             t_max=max(max_iter, 10) * step, n_points=300)
        _tick(progress, len(runs) + 1, total)
        # the mirror step matches the ODE with time step h = 2 sqrt(step) (see below);
        # the integration is stopped at k = 3000 to keep it to a few seconds
        out["accelerated flow"] = accelerated_flow(
            A, b, alpha=alpha, t_max=max(min(max_iter, 3000), 10) * accel_time_step(step),
            n_points=300)
        _tick(progress, total, total)
    return out
