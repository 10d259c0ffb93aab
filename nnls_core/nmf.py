"""Regularized non-negative matrix factorization (NMF), three ways.

Objective (the seed's convention, *without* the factor 1/2)::

    f(W, H) = ||X - W H||_F^2 + lam ||M W||_F^2,     W >= 0, H >= 0

with ``X`` (m x n), ``W`` (m x r), ``H`` (r x n) and a regularizer ``M`` (q x m).

Gradients and Lipschitz constants (corrected from the seed)::

    grad_W f = 2 (W H H^T - X H^T + lam M^T M W)
    grad_H f = 2 (W^T W H - W^T X)
    L_W = 2 (||H||_2^2 + lam ||M||_2^2)     (the Hessian in W is a Kronecker sum)
    L_H = 2 ||W||_2^2

Solvers (all share the same seeded initialization):

- ``"projected_gradient"``: alternating projected gradient with steps 1/L_W and 1/L_H,
  optionally accelerated (Nesterov extrapolation with restart, still monotone);
- ``"multiplicative"``: Lee-Seung rules, with the regularizer through M^T M = P - N;
- ``"hadamard"``: W = U (.) U, H = V (.) V and plain gradient descent on (U, V), the
  reparametrization of Chou et al. (AISTATS 2025) carried over to NMF.

:func:`sklearn_nmf` runs ``sklearn.decomposition.NMF`` from the same start as an anchor
(scikit-learn minimizes 0.5 ||X - W H||_F^2; :class:`NMFResult` reports both conventions).
"""

from __future__ import annotations

import contextlib
import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import eigsh

from ._validation import as_float_array, check_int, check_positive

__all__ = [
    "NMFResult",
    "METHODS",
    "objective",
    "gradients",
    "lipschitz",
    "lipschitz_power",
    "gradient_check",
    "init",
    "solve",
    "sklearn_nmf",
    "regularizer",
    "synthetic",
    "swimmer",
    "digits",
]

#: Solver names accepted by :func:`solve`.
METHODS = ("projected_gradient", "multiplicative", "hadamard")

_EPS = np.finfo(np.float64).eps


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class NMFResult:
    """Result of an NMF solver.

    Attributes
    ----------
    W : ndarray, shape (m, r)
        Non-negative basis (its columns are the "parts").
    H : ndarray, shape (r, n)
        Non-negative coefficients.
    objective : float
        Final ``||X - W H||_F^2 + lam ||M W||_F^2`` (seed convention, no 1/2).
    rel_error : float
        Final ``||X - W H||_F / ||X||_F``.
    n_iter : int
        Number of iterations run.
    time_s : float
        Wall-clock time of the iterations (initialization excluded).
    method : str
        Solver name.
    history : dict of str to ndarray
        ``"objective"``, ``"rel_error"`` and ``"time"`` (seconds since start), one
        entry per iteration plus the starting point at index 0.
    """

    W: np.ndarray
    H: np.ndarray
    objective: float
    rel_error: float
    n_iter: int
    time_s: float
    method: str
    history: dict = field(repr=False)

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


# --------------------------------------------------------------------------- validation
def _check_X(X) -> np.ndarray:
    X = as_float_array(X, "X", 2)
    if (X < 0).any():
        raise ValueError(
            f"X must be non-negative; it has {int((X < 0).sum())} negative entries "
            f"(min {X.min():.3g})"
        )
    if not (X > 0).any():
        raise ValueError("X is all zeros; there is nothing to factorize")
    return X


def _check_rank(r, m: int, n: int) -> int:
    r = check_int(r, "r", minimum=1)
    if r > min(m, n):
        raise ValueError(f"rank r={r} is too large for X of shape ({m}, {n}); need r <= {min(m, n)}")
    return r


def _check_M(M, m: int) -> np.ndarray | None:
    if M is None:
        return None
    if sp.issparse(M):
        M = M.toarray()
    M = as_float_array(M, "M", 2)
    if M.shape[1] != m:
        raise ValueError(f"M must have m={m} columns (it multiplies W from the left), got shape {M.shape}")
    return M


def _check_factors(W, H, m: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    W = as_float_array(W, "W", 2)
    H = as_float_array(H, "H", 2)
    if W.shape[0] != m or H.shape[1] != n or W.shape[1] != H.shape[0]:
        raise ValueError(
            f"shapes do not match: X is ({m}, {n}), W is {W.shape}, H is {H.shape}; "
            "need W (m, r) and H (r, n)"
        )
    return W, H


def _lam(lam) -> float:
    return check_positive(lam, "lam", allow_zero=True)


# --------------------------------------------------------------------------- formulas
def objective(X, W, H, lam: float = 0.0, M=None) -> float:
    """Regularized NMF objective ``||X - W H||_F^2 + lam ||M W||_F^2``.

    Parameters
    ----------
    X : array_like, shape (m, n)
        Data (non-negativity is not required here).
    W : array_like, shape (m, r)
    H : array_like, shape (r, n)
    lam : float, default 0
        Regularization weight (>= 0).
    M : array_like, shape (q, m), optional
        Regularizer; ``None`` means no regularization term.

    Returns
    -------
    float
        The objective in the seed's convention (no factor 1/2).

    Examples
    --------
    >>> import numpy as np
    >>> from nnls_core import nmf
    >>> W, H = np.ones((2, 1)), np.ones((1, 3))
    >>> nmf.objective(2 * np.ones((2, 3)), W, H)
    6.0
    >>> nmf.objective(W @ H, W, H, lam=0.5, M=np.eye(2))
    1.0
    """
    X = as_float_array(X, "X", 2)
    W, H = _check_factors(W, H, *X.shape)
    lam = _lam(lam)
    M = _check_M(M, X.shape[0])
    f = float(np.sum((X - W @ H) ** 2))
    if M is not None and lam > 0:
        f += lam * float(np.sum((M @ W) ** 2))
    return f


def gradients(X, W, H, lam: float = 0.0, M=None) -> tuple[np.ndarray, np.ndarray]:
    """Gradients of :func:`objective` with respect to ``W`` and ``H``.

    ``grad_W = 2 (W H H^T - X H^T + lam M^T M W)`` and ``grad_H = 2 (W^T W H - W^T X)``
    (the seed writes ``W W^T H``, whose shapes do not match).

    Returns
    -------
    grad_W : ndarray, shape (m, r)
    grad_H : ndarray, shape (r, n)

    Examples
    --------
    >>> import numpy as np
    >>> from nnls_core import nmf
    >>> X = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> gW, gH = nmf.gradients(X, np.ones((2, 1)), np.ones((1, 2)))
    >>> gW.ravel().tolist(), gH.ravel().tolist()
    ([-2.0, -10.0], [-4.0, -8.0])
    """
    X = as_float_array(X, "X", 2)
    W, H = _check_factors(W, H, *X.shape)
    lam = _lam(lam)
    M = _check_M(M, X.shape[0])
    R = W @ H - X
    gW = 2.0 * (R @ H.T)
    if M is not None and lam > 0:
        gW += 2.0 * lam * (M.T @ (M @ W))
    gH = 2.0 * (W.T @ R)
    return gW, gH


def _norm2_sq(A) -> float:
    """Squared spectral norm of a dense or sparse matrix."""
    if sp.issparse(A):
        G = (A.T @ A).tocsr()
        if G.shape[0] <= 400:
            return float(np.linalg.eigvalsh(G.toarray())[-1])
        return float(eigsh(G, k=1, which="LA", tol=1e-12, return_eigenvectors=False)[0])
    A = np.asarray(A, dtype=float)
    small = A.T @ A if A.shape[1] <= A.shape[0] else A @ A.T
    if small.shape[0] <= 600:
        return float(np.linalg.eigvalsh(small)[-1])
    return float(eigsh(small, k=1, which="LA", tol=1e-12, return_eigenvectors=False)[0])


def lipschitz(W, H, lam: float = 0.0, M=None) -> tuple[float, float]:
    """Lipschitz constants of ``grad_W f`` (in W) and ``grad_H f`` (in H).

    The Hessian in W acts as ``D -> 2 (D H H^T + lam M^T M D)``, a Kronecker sum whose
    largest eigenvalue is the *sum* of the two largest ones, so
    ``L_W = 2 (||H||_2^2 + lam ||M||_2^2)``. In H, ``L_H = 2 ||W||_2^2``. Both are
    exact (not just upper bounds).

    Parameters
    ----------
    W : array_like, shape (m, r)
    H : array_like, shape (r, n)
    lam : float, default 0
    M : array_like, shape (q, m), optional

    Returns
    -------
    L_W, L_H : float

    Examples
    --------
    >>> import numpy as np
    >>> from nnls_core import nmf
    >>> nmf.lipschitz(np.eye(2), 3 * np.eye(2), lam=1.0, M=np.eye(2))
    (20.0, 2.0)
    """
    W = as_float_array(W, "W", 2)
    H = as_float_array(H, "H", 2)
    if W.shape[1] != H.shape[0]:
        raise ValueError(f"W {W.shape} and H {H.shape} do not multiply")
    lam = _lam(lam)
    M = _check_M(M, W.shape[0])
    reg = lam * _norm2_sq(M) if (M is not None and lam > 0) else 0.0
    return 2.0 * (_norm2_sq(H) + reg), 2.0 * _norm2_sq(W)


def lipschitz_power(
    X, W, H, lam: float = 0.0, M=None, *, block: str = "W",
    max_iter: int = 5000, tol: float = 1e-13, seed: int = 0,
) -> tuple[float, int]:
    """Estimate a block Lipschitz constant by power iteration on gradient differences.

    ``f`` is quadratic in each block, so ``grad(W + D) - grad(W)`` is the Hessian applied
    to ``D``; power iteration on that map needs no formula for the Hessian at all, which
    makes it an independent check of :func:`lipschitz`.

    Parameters
    ----------
    X, W, H, lam, M
        As in :func:`objective`.
    block : {"W", "H"}
    max_iter : int
    tol : float
        Stop when the Rayleigh quotient changes by less than ``tol`` (relative).
    seed : int

    Returns
    -------
    estimate : float
    n_iter : int

    Examples
    --------
    >>> import numpy as np
    >>> from nnls_core import nmf
    >>> rng = np.random.default_rng(0)
    >>> X, W, H = rng.random((6, 5)), rng.random((6, 2)), rng.random((2, 5))
    >>> est, _ = nmf.lipschitz_power(X, W, H, block="H")
    >>> bool(abs(est - nmf.lipschitz(W, H)[1]) < 1e-8 * est)
    True
    """
    X = as_float_array(X, "X", 2)
    W, H = _check_factors(W, H, *X.shape)
    if block not in ("W", "H"):
        raise ValueError(f"block must be 'W' or 'H', got {block!r}")
    idx = 0 if block == "W" else 1
    base = W if block == "W" else H
    g0 = gradients(X, W, H, lam, M)[idx]
    rng = np.random.default_rng(seed)
    D = rng.standard_normal(base.shape)
    D /= np.linalg.norm(D)
    est, k = 0.0, 0
    for k in range(1, check_int(max_iter, "max_iter", minimum=1) + 1):
        args = (W + D, H) if block == "W" else (W, H + D)
        HD = gradients(X, *args, lam, M)[idx] - g0
        new = float(np.sum(D * HD))
        nrm = np.linalg.norm(HD)
        if nrm == 0:
            return 0.0, k
        D = HD / nrm
        if k > 1 and abs(new - est) <= tol * abs(new):
            est = new
            break
        est = new
    return est, k


def gradient_check(X, W, H, lam: float = 0.0, M=None, *, seed: int = 0, t: float = 1e-5) -> dict:
    """Compare the gradient formulas with central finite differences along random directions.

    Returns
    -------
    dict
        For each block ``"W"`` and ``"H"``: ``(finite_difference, formula, relative_error)``
        of the directional derivative along a random unit direction.

    Examples
    --------
    >>> import numpy as np
    >>> from nnls_core import nmf
    >>> rng = np.random.default_rng(1)
    >>> X, W, H = rng.random((5, 4)), rng.random((5, 2)), rng.random((2, 4))
    >>> bool(nmf.gradient_check(X, W, H, lam=0.3, M=np.eye(5))["W"][2] < 1e-7)
    True
    """
    X = as_float_array(X, "X", 2)
    W, H = _check_factors(W, H, *X.shape)
    gW, gH = gradients(X, W, H, lam, M)
    rng = np.random.default_rng(seed)
    out = {}
    for name, base, g in (("W", W, gW), ("H", H, gH)):
        D = rng.standard_normal(base.shape)
        D /= np.linalg.norm(D)
        h = t * max(1.0, float(np.linalg.norm(base)))
        if name == "W":
            fp = objective(X, W + h * D, H, lam, M)
            fm = objective(X, W - h * D, H, lam, M)
        else:
            fp = objective(X, W, H + h * D, lam, M)
            fm = objective(X, W, H - h * D, lam, M)
        fd = (fp - fm) / (2 * h)
        an = float(np.sum(g * D))
        out[name] = (fd, an, abs(fd - an) / max(abs(an), abs(fd), 1e-300))
    return out


# --------------------------------------------------------------------------- initialization
def init(X, r: int, method: str = "random", seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """Seeded non-negative starting point shared by all solvers.

    Parameters
    ----------
    X : array_like, shape (m, n)
        Non-negative data.
    r : int
        Rank, ``1 <= r <= min(m, n)``.
    method : {"random", "nndsvd", "nndsvda"}
        ``"random"``: ``sqrt(mean(X)/r) * |N(0, 1)|`` entries (as scikit-learn).
        ``"nndsvd"``: Boutsidis-Gallopoulos non-negative double SVD (has exact zeros,
        which are fixed points of the multiplicative and Hadamard updates).
        ``"nndsvda"``: NNDSVD with zeros filled by ``mean(X)``.
    seed : int or None

    Returns
    -------
    W : ndarray, shape (m, r)
    H : ndarray, shape (r, n)

    Examples
    --------
    >>> import numpy as np
    >>> from nnls_core import nmf
    >>> W, H = nmf.init(np.ones((4, 3)), 2, seed=0)
    >>> W.shape, H.shape, bool((W >= 0).all() and (H >= 0).all())
    ((4, 2), (2, 3), True)
    """
    X = _check_X(X)
    m, n = X.shape
    r = _check_rank(r, m, n)
    if method == "random":
        rng = np.random.default_rng(seed)
        avg = np.sqrt(X.mean() / r)
        W = avg * np.abs(rng.standard_normal((m, r)))
        H = avg * np.abs(rng.standard_normal((r, n)))
        return W, H
    if method not in ("nndsvd", "nndsvda"):
        raise ValueError(f"init must be 'random', 'nndsvd' or 'nndsvda', got {method!r}")
    U, S, Vt = np.linalg.svd(X, full_matrices=False)
    W = np.zeros((m, r))
    H = np.zeros((r, n))
    W[:, 0] = np.sqrt(S[0]) * np.abs(U[:, 0])
    H[0, :] = np.sqrt(S[0]) * np.abs(Vt[0, :])
    for j in range(1, r):
        x, y = U[:, j], Vt[j, :]
        xp, yp = np.maximum(x, 0), np.maximum(y, 0)
        xn, yn = np.abs(np.minimum(x, 0)), np.abs(np.minimum(y, 0))
        xpn, ypn, xnn, ynn = (np.linalg.norm(v) for v in (xp, yp, xn, yn))
        mp, mn = xpn * ypn, xnn * ynn
        if mp > mn:
            u, v, sigma = xp / max(xpn, _EPS), yp / max(ypn, _EPS), mp
        else:
            u, v, sigma = xn / max(xnn, _EPS), yn / max(ynn, _EPS), mn
        lbd = np.sqrt(S[j] * sigma)
        W[:, j] = lbd * u
        H[j, :] = lbd * v
    W[W < 1e-6 * W.max()] = 0.0
    H[H < 1e-6 * H.max()] = 0.0
    if method == "nndsvda":
        avg = X.mean()
        W[W == 0] = avg
        H[H == 0] = avg
    return W, H


# --------------------------------------------------------------------------- solvers
#: Below this many multiply-adds per product (m n r), run BLAS single-threaded: the
#: products are too small to gain from threads, and on a busy machine OpenBLAS threads
#: spin-waiting for cores cost up to 10x (measured on the 2-core CI box).
SINGLE_THREAD_BELOW = 50_000_000


@contextlib.contextmanager
def _blas_threads(work: int):
    """Limit BLAS to one thread for small problems (no-op without threadpoolctl)."""
    if work >= SINGLE_THREAD_BELOW:
        yield
        return
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def _tdot(W: np.ndarray, X: np.ndarray) -> np.ndarray:
    """``W.T @ X`` with a contiguous copy of the thin ``W.T`` (2-3x faster in OpenBLAS)."""
    return np.ascontiguousarray(W.T) @ X


class _Problem:
    """Precomputed pieces shared by the solvers."""

    def __init__(self, X: np.ndarray, lam: float, M: np.ndarray | None):
        self.X = X
        self.XT = np.ascontiguousarray(X.T)
        self.nX2 = float(np.sum(X * X))
        self.lam = lam if M is not None else 0.0
        if self.lam > 0:
            Ms = sp.csr_matrix(M)
            G = (Ms.T @ Ms).tocsr()
            self.G = G
            self.P = G.maximum(0).tocsr()
            self.N = (-G).maximum(0).tocsr()
            self.M = Ms
            self.M2 = _norm2_sq(Ms)
        else:
            self.G = self.P = self.N = self.M = None
            self.M2 = 0.0

    def reg(self, W: np.ndarray) -> float:
        if self.lam == 0:
            return 0.0
        MW = self.M @ W
        return self.lam * float(np.sum(MW * MW))

    def residual_sq(self, W, H, WtX=None, WtW=None, HHt=None) -> float:
        """||X - WH||^2 by the trace identity (O((m+n) r^2) given the products)."""
        WtX = _tdot(W, self.X) if WtX is None else WtX
        WtW = W.T @ W if WtW is None else WtW
        HHt = H @ H.T if HHt is None else HHt
        res = self.nX2 - 2.0 * float(np.sum(WtX * H)) + float(np.sum(WtW * HHt))
        if res < 1e-6 * self.nX2:  # cancellation: compute directly near an exact fit
            R = self.X - W @ H
            res = float(np.sum(R * R))
        return max(res, 0.0)


def _pg(pb: _Problem, W, H, max_iter, accelerate, tol, rec):
    X, lam = pb.X, pb.lam
    Wp, Hp = W.copy(), H.copy()
    t = 1.0
    f_prev = rec.f[-1]
    for _ in range(max_iter):
        t_new = (1 + np.sqrt(1 + 4 * t * t)) / 2 if accelerate else 1.0
        beta = (t - 1) / t_new if accelerate else 0.0
        for attempt in (0, 1):
            b = beta if attempt == 0 else 0.0
            Wh = W + b * (W - Wp) if b else W
            HHt = H @ H.T
            XHt = X @ H.T
            gW = Wh @ HHt - XHt
            if lam:
                gW += lam * (pb.G @ Wh)
            LW = 2.0 * (float(np.linalg.eigvalsh(HHt)[-1]) + lam * pb.M2)
            Wn = np.maximum(Wh - (2.0 / max(LW, _EPS)) * gW, 0.0)
            Hh = H + b * (H - Hp) if b else H
            WtW = Wn.T @ Wn
            WtX = _tdot(Wn, X)
            LH = 2.0 * float(np.linalg.eigvalsh(WtW)[-1])
            Hn = np.maximum(Hh - (2.0 / max(LH, _EPS)) * (WtW @ Hh - WtX), 0.0)
            res = pb.residual_sq(Wn, Hn, WtX, WtW, Hn @ Hn.T)
            f = res + pb.reg(Wn)
            if not accelerate or f <= f_prev or attempt == 1:
                break
            t_new = 1.0  # restart: redo this iteration without extrapolation
        Wp, Hp, W, H, t = W, H, Wn, Hn, t_new
        rec.add(f, res)
        if tol and abs(f_prev - f) <= tol * max(f_prev, _EPS):
            break
        f_prev = f
    return W, H


def _mu(pb: _Problem, W, H, max_iter, tol, rec):
    X, lam = pb.X, pb.lam
    f_prev = rec.f[-1]
    HHt = H @ H.T
    for _ in range(max_iter):
        num = X @ H.T
        den = W @ HHt
        if lam:
            num += lam * (pb.N @ W)
            den += lam * (pb.P @ W)
        np.maximum(den, _EPS, out=den)
        W = W * num
        W /= den
        WT = np.ascontiguousarray(W.T)
        WtW = WT @ W
        WtX = WT @ X
        den = WtW @ H
        np.maximum(den, _EPS, out=den)
        H = H * WtX
        H /= den
        HHt = H @ H.T  # reused by the next W update
        res = pb.nX2 - 2.0 * float(np.vdot(WtX, H)) + float(np.vdot(WtW, HHt))
        if res < 1e-6 * pb.nX2:
            res = pb.residual_sq(W, H)
        f = res + pb.reg(W)
        rec.add(f, res)
        if tol and abs(f_prev - f) <= tol * max(f_prev, _EPS):
            break
        f_prev = f
    return W, H


def _hadamard(pb: _Problem, W, H, max_iter, step_scale, tol, rec):
    X, lam = pb.X, pb.lam
    U, V = np.sqrt(W), np.sqrt(H)
    W, H = U * U, V * V
    f_prev = rec.f[-1]
    for _ in range(max_iter):
        HHt = H @ H.T
        gW = 2.0 * (W @ HHt - X @ H.T)
        if lam:
            gW += 2.0 * lam * (pb.G @ W)
        LW = 2.0 * (float(np.linalg.eigvalsh(HHt)[-1]) + lam * pb.M2)
        # local smoothness of g(U) = f(U*U): ||4 diag(U) Hess diag(U) + 2 diag(grad)||
        LU = 4.0 * float(W.max()) * LW + 2.0 * float(np.abs(gW).max())
        U = U - (step_scale / max(LU, _EPS)) * (2.0 * U * gW)
        W = U * U
        WtW = W.T @ W
        WtX = _tdot(W, X)
        gH = 2.0 * (WtW @ H - WtX)
        LH = 2.0 * float(np.linalg.eigvalsh(WtW)[-1])
        LV = 4.0 * float(H.max()) * LH + 2.0 * float(np.abs(gH).max())
        V = V - (step_scale / max(LV, _EPS)) * (2.0 * V * gH)
        H = V * V
        res = pb.residual_sq(W, H, WtX, WtW, H @ H.T)
        f = res + pb.reg(W)
        if not np.isfinite(f):
            raise FloatingPointError("hadamard GD diverged (non-finite objective); lower step_scale")
        rec.add(f, res)
        if tol and abs(f_prev - f) <= tol * max(f_prev, _EPS):
            break
        f_prev = f
    return W, H


class _Recorder:
    def __init__(self, f0: float, res0: float, nX2: float):
        self.f, self.res, self.t = [f0], [res0], [0.0]
        self.nX = np.sqrt(nX2)
        self.t0 = time.perf_counter()

    def add(self, f: float, res: float) -> None:
        self.f.append(f)
        self.res.append(res)
        self.t.append(time.perf_counter() - self.t0)

    def result(self, W, H, method: str) -> NMFResult:
        res = np.asarray(self.res)
        hist = {
            "objective": np.asarray(self.f),
            "rel_error": np.sqrt(res) / self.nX,
            "time": np.asarray(self.t),
            "residual_sq": res,
        }
        return NMFResult(
            W=W, H=H, objective=float(self.f[-1]), rel_error=float(hist["rel_error"][-1]),
            n_iter=len(self.f) - 1, time_s=float(self.t[-1]), method=method, history=hist,
        )


def _start(X, r, init_, seed, lam, M):
    X = _check_X(X)
    m, n = X.shape
    r = _check_rank(r, m, n)
    lam = _lam(lam)
    M = _check_M(M, m)
    if isinstance(init_, str):
        W, H = init(X, r, init_, seed)
    else:
        try:
            W, H = init_
        except (TypeError, ValueError):
            raise ValueError("init must be a method name or a (W, H) pair") from None
        W, H = _check_factors(W, H, m, n)
        if W.shape[1] != r:
            raise ValueError(f"init W has {W.shape[1]} columns but r={r}")
        if (W < 0).any() or (H < 0).any():
            raise ValueError("init W and H must be non-negative")
        W, H = W.copy(), H.copy()
    return X, r, lam, M, W, H


def solve(
    X, r: int, method: str = "multiplicative", *, lam: float = 0.0, M=None,
    max_iter: int = 200, init="random", seed: int | None = 0, accelerate: bool = False,
    step_scale: float = 1.0, tol: float = 0.0,
) -> NMFResult:
    """Minimize ``||X - W H||_F^2 + lam ||M W||_F^2`` over ``W, H >= 0``.

    Parameters
    ----------
    X : array_like, shape (m, n)
        Non-negative, finite data.
    r : int
        Rank, ``1 <= r <= min(m, n)``.
    method : {"projected_gradient", "multiplicative", "hadamard"}
        ``"projected_gradient"``: alternating W then H steps of 1/L_W and 1/L_H, projected
        onto the non-negative orthant; ``accelerate=True`` adds Nesterov extrapolation
        with a restart whenever the objective would increase (so it stays monotone).
        ``"multiplicative"``: Lee-Seung, ``W <- W (X H^T + lam N W) / (W H H^T + lam P W)``
        with ``M^T M = P - N`` split into positive and negative parts, then
        ``H <- H (W^T X) / (W^T W H)``; denominators floored at machine epsilon.
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
        Only for ``"hadamard"``.
    tol : float, default 0
        Stop early once the relative decrease of the objective is below ``tol``.

    Returns
    -------
    NMFResult

    Raises
    ------
    ValueError
        Bad shapes, NaN/Inf or negative entries in X, ``r`` too large, negative ``lam``,
        unknown method or init.

    Examples
    --------
    >>> import numpy as np
    >>> from nnls_core import nmf
    >>> X, _, _ = nmf.synthetic(30, 20, 3, noise=0.0, seed=0)
    >>> res = nmf.solve(X, 3, "multiplicative", max_iter=50, seed=0)
    >>> res.n_iter, len(res.history["objective"])
    (50, 51)
    >>> bool(res.history["objective"][-1] < res.history["objective"][0])
    True
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    max_iter = check_int(max_iter, "max_iter", minimum=1)
    step_scale = check_positive(step_scale, "step_scale")
    tol = check_positive(tol, "tol", allow_zero=True)
    X, r, lam, M, W, H = _start(X, r, init, seed, lam, M)
    pb = _Problem(X, lam, M)
    res0 = pb.residual_sq(W, H)
    rec = _Recorder(res0 + pb.reg(W), res0, pb.nX2)
    with _blas_threads(X.size * r):
        if method == "projected_gradient":
            W, H = _pg(pb, W, H, max_iter, bool(accelerate), tol, rec)
            name = "projected_gradient" + ("+acc" if accelerate else "")
        elif method == "multiplicative":
            W, H = _mu(pb, W, H, max_iter, tol, rec)
            name = method
        else:
            W, H = _hadamard(pb, W, H, max_iter, step_scale, tol, rec)
            name = method
    return rec.result(W, H, name)


def sklearn_nmf(
    X, r: int, solver: str = "mu", *, max_iter: int = 200, init="random",
    seed: int | None = 0, lam: float = 0.0, M=None, same_threads: bool = True,
) -> NMFResult:
    """Run ``sklearn.decomposition.NMF`` from the same start, as an anchor.

    scikit-learn minimizes ``0.5 ||X - W H||_F^2`` (here without any regularizer). The
    returned ``objective`` is evaluated in *our* convention, including ``lam ||M W||^2``
    if given, so rows are comparable; the history holds only the start and the end.

    Parameters
    ----------
    X, r, max_iter, init, seed, lam, M
        As in :func:`solve`.
    solver : {"mu", "cd"}
    same_threads : bool, default True
        Run under the same BLAS thread limit as :func:`solve` (one thread for small
        problems), so that times are comparable; False leaves scikit-learn's default.

    Returns
    -------
    NMFResult
        ``method`` is ``"sklearn-mu"`` or ``"sklearn-cd"``; ``n_iter`` is scikit-learn's.

    Examples
    --------
    >>> import numpy as np
    >>> from nnls_core import nmf
    >>> X, _, _ = nmf.synthetic(20, 15, 2, noise=0.0, seed=1)
    >>> res = nmf.sklearn_nmf(X, 2, "cd", max_iter=100)
    >>> bool(res.rel_error < 0.05)
    True
    """
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning

    if solver not in ("mu", "cd"):
        raise ValueError(f"solver must be 'mu' or 'cd', got {solver!r}")
    max_iter = check_int(max_iter, "max_iter", minimum=1)
    X, r, lam, M, W0, H0 = _start(X, r, init, seed, lam, M)
    pb = _Problem(X, lam, M)
    res0 = pb.residual_sq(W0, H0)
    model = NMF(n_components=r, init="custom", solver=solver, beta_loss="frobenius",
                tol=0.0, max_iter=max_iter, random_state=0)
    limit = _blas_threads(X.size * r) if same_threads else contextlib.nullcontext()
    with limit, warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        t0 = time.perf_counter()
        W = model.fit_transform(X, W=W0.copy(), H=H0.copy())
        dt = time.perf_counter() - t0
    H = model.components_
    res = float(np.sum((X - W @ H) ** 2))
    f = res + pb.reg(W)
    n_it = int(model.n_iter_)
    hist = {
        "objective": np.array([res0 + pb.reg(W0), f]),
        "rel_error": np.sqrt([res0, res]) / np.sqrt(pb.nX2),
        "time": np.array([0.0, dt]),
        "residual_sq": np.array([res0, res]),
    }
    return NMFResult(W=W, H=H, objective=f, rel_error=float(hist["rel_error"][-1]),
                     n_iter=n_it, time_s=dt, method=f"sklearn-{solver}", history=hist)


# --------------------------------------------------------------------------- regularizers
def regularizer(kind: str, m: int) -> np.ndarray | None:
    """Build a regularizer ``M`` acting on the columns of ``W`` (length ``m``).

    Parameters
    ----------
    kind : {"none", "identity", "diff"}
        ``"none"``: no regularizer (returns None); ``"identity"``: ridge ``||W||_F^2``;
        ``"diff"``: first differences, shape (m-1, m), which favours smooth columns.
    m : int

    Returns
    -------
    ndarray or None

    Examples
    --------
    >>> from nnls_core import nmf
    >>> nmf.regularizer("diff", 3)
    array([[-1.,  1.,  0.],
           [ 0., -1.,  1.]])
    """
    m = check_int(m, "m", minimum=1)
    if kind == "none":
        return None
    if kind == "identity":
        return np.eye(m)
    if kind == "diff":
        if m < 2:
            raise ValueError("first differences need m >= 2")
        D = np.zeros((m - 1, m))
        i = np.arange(m - 1)
        D[i, i] = -1.0
        D[i, i + 1] = 1.0
        return D
    raise ValueError(f"regularizer kind must be 'none', 'identity' or 'diff', got {kind!r}")


# --------------------------------------------------------------------------- data
def synthetic(m: int = 60, n: int = 80, r: int = 5, *, noise: float = 0.01,
              seed: int | None = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Non-negative rank-``r`` data ``X = W H + noise``, clipped at zero.

    ``W`` and ``H`` have |N(0, 1)| entries with about half set to zero (so the factors are
    identifiable parts); the noise is Gaussian with standard deviation
    ``noise * mean(W H)``.

    Returns
    -------
    X : ndarray, shape (m, n)
    W : ndarray, shape (m, r)
    H : ndarray, shape (r, n)

    Examples
    --------
    >>> from nnls_core import nmf
    >>> X, W, H = nmf.synthetic(10, 8, 2, noise=0.0)
    >>> bool(abs(X - W @ H).max() == 0), X.shape
    (True, (10, 8))
    """
    m = check_int(m, "m", minimum=1)
    n = check_int(n, "n", minimum=1)
    r = _check_rank(r, m, n)
    noise = check_positive(noise, "noise", allow_zero=True)
    rng = np.random.default_rng(seed)
    W = np.abs(rng.standard_normal((m, r))) * (rng.random((m, r)) < 0.6)
    H = np.abs(rng.standard_normal((r, n))) * (rng.random((r, n)) < 0.6)
    W[rng.integers(0, m, r), np.arange(r)] += 1.0  # no empty column
    H[np.arange(r), rng.integers(0, n, r)] += 1.0
    X = W @ H
    if noise > 0:
        X = np.maximum(X + noise * X.mean() * rng.standard_normal(X.shape), 0.0)
    return X, W, H


def _segment(img: np.ndarray, p0, p1) -> None:
    for s in np.linspace(0.0, 1.0, 40):
        y = int(round(p0[0] + s * (p1[0] - p0[0])))
        x = int(round(p0[1] + s * (p1[1] - p0[1])))
        img[y, x] = 1.0


def swimmer() -> tuple[np.ndarray, np.ndarray, tuple[int, int]]:
    """The "swimmer" images: a torso plus 4 limbs, each limb in 4 positions.

    All 4^4 = 256 combinations, 32 x 32 pixels, one image per column of ``X``. Torso and
    limbs never overlap, so ``X = parts @ H`` exactly with 0/1 coefficients: an exact
    non-negative factorization of rank 17 (the torso could also be absorbed into one
    limb's 4 positions, so 16 suffice as well; the ordinary rank is 13).

    Returns
    -------
    X : ndarray, shape (1024, 256)
    parts : ndarray, shape (1024, 17)
        The ground-truth parts (torso first).
    shape : tuple
        ``(32, 32)``, the image shape of a column.

    Examples
    --------
    >>> from nnls_core import nmf
    >>> X, parts, shape = nmf.swimmer()
    >>> X.shape, parts.shape, shape
    ((1024, 256), (1024, 17), (32, 32))
    """
    size = 32
    torso = np.zeros((size, size))
    torso[9:23, 15:17] = 1.0
    parts = [torso]
    # (shoulder/hip anchor, side): limbs start one pixel off the torso
    anchors = [((9, 13), -1), ((9, 18), 1), ((22, 13), -1), ((22, 18), 1)]
    angles = np.deg2rad([-50.0, -15.0, 15.0, 50.0])
    for (y0, x0), side in anchors:
        for a in angles:
            img = np.zeros((size, size))
            dy, dx = 7 * np.sin(a), side * 7 * np.cos(a)
            _segment(img, (y0, x0), (y0 + dy, x0 + dx))
            parts.append(img)
    P = np.stack([p.ravel() for p in parts], axis=1)
    cols = []
    for a in range(4):
        for b in range(4):
            for c in range(4):
                for d in range(4):
                    cols.append(P[:, 0] + P[:, 1 + a] + P[:, 5 + b] + P[:, 9 + c] + P[:, 13 + d])
    X = np.stack(cols, axis=1)
    return X, P, (size, size)


def digits() -> tuple[np.ndarray, np.ndarray, tuple[int, int]]:
    """scikit-learn's bundled handwritten digits (no download), one 8 x 8 image per column.

    Returns
    -------
    X : ndarray, shape (64, 1797)
        Pixel intensities in [0, 16].
    labels : ndarray, shape (1797,)
    shape : tuple
        ``(8, 8)``.

    Examples
    --------
    >>> from nnls_core import nmf
    >>> X, y, shape = nmf.digits()
    >>> X.shape, shape
    ((64, 1797), (8, 8))
    """
    from sklearn.datasets import load_digits

    d = load_digits()
    return np.ascontiguousarray(d.data.T, dtype=float), d.target, (8, 8)
