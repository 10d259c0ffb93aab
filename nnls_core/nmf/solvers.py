"""NMF solvers: projected gradient, Lee-Seung multiplicative rules and the Hadamard
reparametrization, run by one piece of bookkeeping (:class:`_Run`) that owns the
stopping rule, divergence, the time limit, the callback and the bounded history.

Every gradient, objective and Lipschitz constant comes from :mod:`.formulas`.
"""

from __future__ import annotations

import math
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .._driver import BLOWUP
from .._threads import blas_threads
from .._validation import check_int, check_positive
from . import formulas as F
from .init import _start

#: Solver names accepted by :func:`solve`.
METHODS = ("projected_gradient", "multiplicative", "hadamard")

#: Every status an :class:`NMFResult` can have.
STATUSES = ("converged", "max_iter", "diverged", "stalled", "time_limit", "cancelled")

#: At most this many entries per history array; longer runs keep every 2nd, 4th, ...
#: iteration (and always the last one).
MAX_HISTORY = 2**17


_EPS = F._EPS
_TINY = np.finfo(np.float64).tiny  # only guards a division by an exactly zero constant

#: A relative error ``||X - W H||_F / ||X||_F`` (with the penalty, ``sqrt(f) / ||X||_F``)
#: at most this is an exact factorization up to round-off: the run has converged.
EXACT_FIT = 16 * _EPS


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class NMFResult:
    """Result of an NMF solver.

    Attributes
    ----------
    W : ndarray, shape (m, r)
        Non-negative basis (its columns are the "parts"). Always finite: after a
        divergence, the last finite iterate.
    H : ndarray, shape (r, n)
        Non-negative coefficients (always finite, like ``W``).
    objective : float
        Final ``||X - W H||_F^2 + lam ||M W||_F^2`` (seed convention, no 1/2).
    rel_error : float
        Final ``||X - W H||_F / ||X||_F``.
    n_iter : int
        Number of iterations whose result was kept (a diverging step is not counted).
    status : {"converged", "max_iter", "diverged", "stalled", "time_limit", "cancelled"}
        Why the run ended. "converged" only when the stopping rule holds: the relative
        decrease of the objective over the last iteration is at most ``tol`` (``tol > 0``),
        or the fit is exact up to round-off (``sqrt(f) <= EXACT_FIT ||X||_F``). With
        ``tol = 0`` a full run ends with "max_iter".
        "stalled": the update left W and H exactly unchanged (a fixed point).
    message : str
        A plain account of the status (for "diverged": what to change).
    time_s : float
        Wall-clock time of the iterations (initialization excluded).
    method : str
        Solver name.
    history : dict of str to ndarray
        ``"iteration"``, ``"objective"``, ``"rel_error"``, ``"residual_sq"``
        (``||X - W H||_F^2``) and ``"time"`` (seconds since start): the starting point
        (iteration 0) and every iteration after it for runs of fewer than
        ``MAX_HISTORY`` iterations; longer runs keep every 2nd, 4th, ... iteration, so
        each array holds at most ``MAX_HISTORY`` entries. The last iteration is always
        included; ``"iteration"`` gives the iteration number of each entry.
    """

    W: np.ndarray
    H: np.ndarray
    objective: float
    rel_error: float
    n_iter: int
    status: str
    message: str
    time_s: float
    method: str
    history: dict = field(repr=False)

    @property
    def success(self) -> bool:
        """True when ``status == "converged"``."""
        return self.status == "converged"

    @property
    def residual_sq(self) -> float:
        """``||X - W H||_F^2`` at the end."""
        return float(self.history["residual_sq"][-1])

    @property
    def objective_half(self) -> float:
        """``0.5 ||X - W H||_F^2``: scikit-learn's convention (no regularizer)."""
        return 0.5 * self.residual_sq

    @property
    def time_per_iter(self) -> float:
        """Mean seconds per iteration."""
        return self.time_s / max(self.n_iter, 1)


@dataclass(frozen=True)
class NMFState:
    """What a callback of :func:`solve` sees after each iteration:
    ``callback(k, state)``; returning False ends the run as "cancelled".

    Attributes
    ----------
    k : int
        Iterations done.
    objective : float
        The objective at ``(W, H)``.
    W, H : ndarray
        The current iterate (read only: do not modify them).
    rel_error : float
        ``||X - W H||_F / ||X||_F``.
    elapsed : float
        Seconds since the start of the iterations.
    """

    k: int
    objective: float
    W: np.ndarray
    H: np.ndarray
    rel_error: float
    elapsed: float


class _History:
    """Per-iteration log with at most ``MAX_HISTORY`` entries per array.

    Entries sit at multiples of ``stride``; when the log is full, every other entry is
    dropped and the stride doubles. The latest iteration, if it is not on the stride,
    waits in ``tail`` and is appended at the end.
    """

    def __init__(self, f0: float, res0: float) -> None:
        self.stride = 1
        self.k, self.f = array("q", [0]), array("d", [f0])
        self.res, self.t = array("d", [res0]), array("d", [0.0])
        self.tail: tuple | None = None

    def add(self, k: int, f: float, res: float, t: float) -> None:
        if k % self.stride == 0 and len(self.k) >= MAX_HISTORY - 1:
            self.k, self.f, self.res, self.t = (a[::2] for a in (self.k, self.f, self.res,
                                                                   self.t))
            self.stride *= 2
        if k % self.stride:
            self.tail = (k, f, res, t)
            return
        self.k.append(k)
        self.f.append(f)
        self.res.append(res)
        self.t.append(t)
        self.tail = None

    def arrays(self, nX: float) -> dict:
        k, f, res, t = (np.array(a) for a in (self.k, self.f, self.res, self.t))
        if self.tail is not None:
            k, f, res, t = (np.append(a, v) for a, v in zip((k, f, res, t), self.tail))
        return {"objective": f, "rel_error": np.sqrt(res) / nX, "time": t,
                "residual_sq": res, "iteration": k}


# --------------------------------------------------------------------------- the problem
class _Problem:
    """Data and regularizer, with the pieces every solver needs precomputed."""

    def __init__(self, X: np.ndarray, lam: float, M: np.ndarray | None):
        self.X = X
        self.nX2 = float(np.vdot(X, X))
        # floor of the multiplicative denominators W H H^T and W^T W H: machine epsilon at
        # the scale of those products (they scale as max(X)^1.5), so that rescaling X
        # rescales the iterates and changes nothing else
        self.den_floor = _EPS * float(X.max()) ** 1.5
        self.lam = lam if M is not None else 0.0
        if self.lam > 0:
            Ms = sp.csr_matrix(M)
            G = (Ms.T @ Ms).tocsr()
            self.M = Ms
            self.P = G.maximum(0).tocsr()  # M^T M = P - N for the multiplicative rule
            self.N = (-G).maximum(0).tocsr()
            self.M2 = F._norm2_sq(Ms)
        else:
            self.M = self.P = self.N = None
            self.M2 = 0.0

    def objective(self, W, H, WtX=None, WtW=None, HHt=None) -> tuple[float, float]:
        """``(f, ||X - W H||^2)``, reusing the products that are known."""
        res = F._residual_sq(self.X, W, H, nX2=self.nX2, WtX=WtX, WtW=WtW, HHt=HHt)
        res = max(res, 0.0) if res == res else res  # keep a NaN visible
        return res + F._penalty(W, self.lam, self.M), res


# --------------------------------------------------------------------------- bookkeeping
class _Run:
    """Stopping rule, divergence, time limit, callback and history for one run.

    A solver loop proposes each new iterate with :meth:`accept` (False: stop) or ends the
    run with :meth:`diverge`; ``W``, ``H``, ``f`` always hold the last accepted, finite
    iterate.
    """

    def __init__(self, pb: _Problem, W, H, *, max_iter: int, tol: float,
                 time_limit: float | None, callback: Callable | None,
                 step_scale: float | None = None) -> None:
        self.pb, self.max_iter, self.tol = pb, max_iter, tol
        self.time_limit, self.callback, self.step_scale = time_limit, callback, step_scale
        f0, res0 = pb.objective(W, H)
        if not math.isfinite(f0):
            raise ValueError(f"the objective at the starting point is {f0} (overflow): "
                             "rescale X, the initial W and H, or lam")
        self.W, self.H, self.f, self.res, self.k = W, H, f0, res0, 0
        self.limit = BLOWUP * max(f0, pb.nX2)
        self.floor = EXACT_FIT**2 * pb.nX2
        self.nX = math.sqrt(pb.nX2)
        self.hist = _History(f0, res0)
        self.status: str | None = None
        self.message = ""
        self.t0 = time.perf_counter()

    def _decrease(self, f_prev: float, f: float) -> float:
        return abs(f_prev - f) / f_prev if f_prev > 0 else (0.0 if f == f_prev else math.inf)

    def accept(self, W, H, f: float, res: float) -> bool:
        """Take the next iterate; return False when the run has ended."""
        if not f <= self.limit:  # also catches NaN
            self.diverge("the objective became non-finite" if not math.isfinite(f) else
                         f"the objective grew to {f:.3g}, above {BLOWUP:.0e} times "
                         "max(||X||^2, its start)")
            return False
        k = self.k + 1
        t = time.perf_counter() - self.t0
        f_prev, W_prev, H_prev = self.f, self.W, self.H
        self.W, self.H, self.f, self.res, self.k = W, H, f, res, k
        self.hist.add(k, f, res, t)
        tol = self.tol
        d = self._decrease(f_prev, f)
        if f <= self.floor:
            self._end("converged", f"converged after {k} iterations: the objective is "
                                   f"{f:.3g}, at the round-off level of an exact "
                                   f"factorization (relative error {math.sqrt(res) / self.nX:.2g})")
        elif tol and d <= tol:
            self._end("converged", f"converged after {k} iterations: relative decrease of "
                                   f"the objective {d:.3g} <= tol = {tol:g}")
        elif f == f_prev and np.array_equal(W, W_prev) and np.array_equal(H, H_prev):
            self._end("stalled", f"stalled at iteration {k}: the update left W and H "
                                 "exactly unchanged, a fixed point it cannot leave (entries "
                                 "at 0 stay at 0 under the multiplicative and Hadamard "
                                 "updates)")
        elif self.time_limit is not None and t > self.time_limit:
            self._end("time_limit", f"not converged: stopped by the time limit of "
                                    f"{self.time_limit:g} s after {k} iterations "
                                    f"({t:.2f} s); {self._last(d)}")
        elif self.callback is not None and self.callback(
                k, NMFState(k, f, W, H, math.sqrt(res) / self.nX, t)) is False:
            self._end("cancelled", f"cancelled by the callback after {k} iterations; "
                                   f"{self._last(d)}")
        elif k >= self.max_iter:
            self._end("max_iter", f"not converged: stopped at max_iter = {k}; "
                                  f"{self._last(d)}")
        else:
            return True
        return False

    def _last(self, d: float) -> str:
        if self.tol:
            return (f"the last relative decrease of the objective, {d:.3g}, is above "
                    f"tol = {self.tol:g}")
        return ("tol = 0, so no stopping test was run (pass tol > 0 to stop once the relative "
                f"decrease of the objective falls below it; the last one was {d:.3g})")

    def diverge(self, why: str) -> None:
        """End the run as "diverged" at the next iteration, keeping the last iterate."""
        if self.step_scale is not None:
            advice = (f"Lower step_scale (now {self.step_scale:g}); below 2 each step stays "
                      "within the curvature bound at the current point")
        else:
            advice = "This should not happen for this method: please report it"
        self._end("diverged", f"diverged at iteration {self.k + 1}: {why}; W and H are the "
                              f"last finite iterate (iteration {self.k}). {advice}.")

    def _end(self, status: str, message: str) -> None:
        self.status, self.message = status, message

    def result(self, method: str) -> NMFResult:
        hist = self.hist.arrays(self.nX)
        return NMFResult(
            W=self.W, H=self.H, objective=float(self.f),
            rel_error=float(math.sqrt(self.res) / self.nX), n_iter=self.k,
            status=self.status, message=self.message,
            time_s=time.perf_counter() - self.t0, method=method, history=hist,
        )


# --------------------------------------------------------------------------- loops
def _pg(pb: _Problem, run: _Run, accelerate: bool) -> None:
    """Alternating projected gradient with steps 1/L_W, 1/L_H (Nesterov + restart)."""
    X, lam, M = pb.X, pb.lam, pb.M
    W, H = run.W, run.H
    Wp, Hp = W, H
    t = 1.0
    HHt = H @ H.T
    while True:
        t_new = (1 + np.sqrt(1 + 4 * t * t)) / 2 if accelerate else 1.0
        beta = (t - 1) / t_new if accelerate else 0.0
        XHt = X @ H.T
        LW = F._lipschitz_W(HHt, lam, pb.M2)
        for attempt in (0, 1):
            b = beta if attempt == 0 else 0.0
            Wh = W + b * (W - Wp) if b else W
            gW = F._grad_W(X, Wh, H, lam, M, HHt=HHt, XHt=XHt)
            Wn = np.maximum(Wh - (1.0 / max(LW, _TINY)) * gW, 0.0)
            Hh = H + b * (H - Hp) if b else H
            WtW = Wn.T @ Wn
            WtX = F._tdot(Wn, X)
            gH = F._grad_H(X, Wn, Hh, WtW=WtW, WtX=WtX)
            Hn = np.maximum(Hh - (1.0 / max(F._lipschitz_H(WtW), _TINY)) * gH, 0.0)
            HHt_n = Hn @ Hn.T
            f, res = pb.objective(Wn, Hn, WtX, WtW, HHt_n)
            if not accelerate or f <= run.f or attempt == 1:
                break
            t_new = 1.0  # restart: redo this iteration without extrapolation
        if not run.accept(Wn, Hn, f, res):
            return
        Wp, Hp, W, H, t, HHt = W, H, Wn, Hn, t_new, HHt_n


def _mu(pb: _Problem, run: _Run) -> None:
    """Lee-Seung: ``W <- W (X H^T + lam N W) / (W H H^T + lam P W)``, then H likewise.

    The numerators and denominators are the negative and positive parts of the
    gradients of :mod:`.formulas` (``grad = 2 (den - num)``).
    """
    X, lam, floor = pb.X, pb.lam, pb.den_floor
    W, H = run.W, run.H
    HHt = H @ H.T
    while True:
        num = X @ H.T
        den = W @ HHt
        if lam:
            num += lam * (pb.N @ W)
            den += lam * (pb.P @ W)
        np.maximum(den, floor, out=den)
        Wn = W * num
        Wn /= den
        WT = np.ascontiguousarray(Wn.T)
        WtW = WT @ Wn
        WtX = WT @ X
        den = WtW @ H
        np.maximum(den, floor, out=den)
        Hn = H * WtX
        Hn /= den
        HHt = Hn @ Hn.T  # reused by the next W update
        f, res = pb.objective(Wn, Hn, WtX, WtW, HHt)
        if not run.accept(Wn, Hn, f, res):
            return
        W, H = Wn, Hn


def _hadamard(pb: _Problem, run: _Run, step_scale: float) -> None:
    """Plain gradient descent on ``W = U*U``, ``H = V*V``, steps ``step_scale / L_loc``."""
    X, lam, M = pb.X, pb.lam, pb.M
    U, V = np.sqrt(run.W), np.sqrt(run.H)
    W, H = U * U, V * V
    HHt = H @ H.T
    while True:
        gW = F._grad_W(X, W, H, lam, M, HHt=HHt)
        LU = F._local_lipschitz(W, F._lipschitz_W(HHt, lam, pb.M2), gW)
        Un = U - (step_scale / max(LU, _TINY)) * (2.0 * U * gW)  # grad_U = 2 U grad_W
        Wn = Un * Un
        WtW = Wn.T @ Wn
        if not np.isfinite(WtW).all():
            run.diverge("W = U*U overflowed")
            return
        WtX = F._tdot(Wn, X)
        gH = F._grad_H(X, Wn, H, WtW=WtW, WtX=WtX)
        LV = F._local_lipschitz(H, F._lipschitz_H(WtW), gH)
        Vn = V - (step_scale / max(LV, _TINY)) * (2.0 * V * gH)
        Hn = Vn * Vn
        HHt = Hn @ Hn.T
        f, res = pb.objective(Wn, Hn, WtX, WtW, HHt)
        if not run.accept(Wn, Hn, f, res):
            return
        U, V, W, H = Un, Vn, Wn, Hn


# --------------------------------------------------------------------------- entry point
def solve(
    X, r: int, method: str = "multiplicative", *, lam: float = 0.0, M=None,
    max_iter: int = 200, init="random", seed: int | None = 0, accelerate: bool = False,
    step_scale: float = 1.0, tol: float = 0.0, time_limit: float | None = None,
    callback: Callable | None = None,
) -> NMFResult:
    """Minimize ``||X - W H||_F^2 + lam ||M W||_F^2`` over ``W, H >= 0``.

    Parameters
    ----------
    X : array_like, shape (m, n)
        Non-negative, finite data whose largest entry lies between 1e-100 and 1e100.
    r : int
        Rank, ``1 <= r <= min(m, n)``.
    method : {"projected_gradient", "multiplicative", "hadamard"}
        ``"projected_gradient"``: alternating W then H steps of 1/L_W and 1/L_H, projected
        onto the non-negative orthant; ``accelerate=True`` adds Nesterov extrapolation
        with a restart whenever the objective would increase (so it stays monotone).
        ``"multiplicative"``: Lee-Seung, ``W <- W (X H^T + lam N W) / (W H H^T + lam P W)``
        with ``M^T M = P - N`` split into positive and negative parts, then
        ``H <- H (W^T X) / (W^T W H)``; denominators floored at machine epsilon times
        ``max(X)^1.5``, their scale.
        ``"hadamard"``: ``W = U*U``, ``H = V*V``, alternating plain gradient steps on U
        and V with step ``step_scale / L_loc`` where ``L_loc`` bounds the local curvature
        ``4 max(W) L_W + 2 max|grad_W f|`` (likewise for V).
    lam : float, default 0
        Regularization weight (>= 0); ignored when ``M`` is None.
    M : array_like, shape (q, m), optional
        Regularizer (see :func:`regularizer`).
    max_iter : int, default 200
    init : {"random", "nndsvd", "nndsvda"} or (W, H)
        Starting point (see :func:`init`), or an explicit pair.
    seed : int or None, default 0
        Seed of the random initialization.
    accelerate : bool, default False
        Only for ``"projected_gradient"``.
    step_scale : float, default 1
        Only for ``"hadamard"``. Too large a value makes the run diverge: it then ends
        with status "diverged" and the last finite W, H.
    tol : float, default 0
        Stop with status "converged" once the relative decrease of the objective over an
        iteration, ``|f_prev - f| / f_prev``, is at most ``tol``, or once the fit is exact
        up to round-off (``sqrt(f) <= EXACT_FIT ||X||_F``, whatever ``tol``). With 0
        there is no other test: a full run ends with status "max_iter".
    time_limit : float, optional
        Seconds; the run ends with status "time_limit" after the first iteration that
        finishes later.
    callback : callable, optional
        ``callback(k, state)`` after each iteration, with ``state`` an :class:`NMFState`
        (attributes ``k``, ``objective``, ``W``, ``H``, ``rel_error``, ``elapsed``);
        returning False ends the run with status "cancelled".

    Returns
    -------
    NMFResult
        With ``status``, ``message`` and ``success``; W, H and the objective are finite.

    Raises
    ------
    ValueError
        Bad shapes, NaN/Inf, negative or out-of-range entries in X, ``r`` too large,
        negative ``lam``, unknown method or init, a non-positive ``time_limit`` or a
        ``callback`` that is not callable.

    Examples
    --------
    >>> import numpy as np
    >>> from nnls_core import nmf
    >>> X, _, _ = nmf.synthetic(30, 20, 3, noise=0.0, seed=0)
    >>> res = nmf.solve(X, 3, "multiplicative", max_iter=50, seed=0)
    >>> res.n_iter, len(res.history["objective"]), res.status
    (50, 51, 'max_iter')
    >>> bool(res.history["objective"][-1] < res.history["objective"][0])
    True
    >>> res = nmf.solve(X, 3, "projected_gradient", max_iter=5000, tol=1e-6)
    >>> res.status, res.success, res.n_iter < 5000
    ('converged', True, True)
    >>> nmf.solve(X, 3, "hadamard", step_scale=1e3).status
    'diverged'
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    max_iter = check_int(max_iter, "max_iter", minimum=1)
    step_scale = check_positive(step_scale, "step_scale")
    tol = check_positive(tol, "tol", allow_zero=True)
    if time_limit is not None:
        time_limit = check_positive(time_limit, "time_limit")
    if callback is not None and not callable(callback):
        raise ValueError(f"callback must be callable, got {callback!r}")
    X, r, lam, M, W, H = _start(X, r, init, seed, lam, M)
    pb = _Problem(X, lam, M)
    with blas_threads(X.size * r), np.errstate(over="ignore", invalid="ignore"):
        run = _Run(pb, W, H, max_iter=max_iter, tol=tol, time_limit=time_limit,
                   callback=callback, step_scale=step_scale if method == "hadamard" else None)
        if method == "projected_gradient":
            _pg(pb, run, bool(accelerate))
            name = "projected_gradient" + ("+acc" if accelerate else "")
        elif method == "multiplicative":
            _mu(pb, run)
            name = method
        else:
            _hadamard(pb, run, step_scale)
            name = method
    return run.result(name)
