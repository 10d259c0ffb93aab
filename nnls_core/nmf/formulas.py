"""The formulas of regularized NMF, written once: objective, gradients, Lipschitz
constants, their independent checks, the regularizers and the input checks.

The public functions validate their inputs; the private kernels below them (``_grad_W``,
``_grad_H``, ``_residual_sq``, ``_penalty``, ``_lipschitz_W``, ``_lipschitz_H``,
``_local_lipschitz``) take validated arrays and optional precomputed products, and are
what the solvers call in their loops.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import eigsh

from .._validation import MAGNITUDE_RANGE, as_float_array, check_int, check_magnitude, \
    check_positive

_EPS = np.finfo(np.float64).eps


# --------------------------------------------------------------------------- input checks
def _check_scale(A: np.ndarray, name: str, hint: str) -> None:
    """ValueError naming the value when the largest entry is outside MAGNITUDE_RANGE
    (an all-zero array passes: callers that refuse it say so themselves)."""
    try:
        check_magnitude(A, name, allow_zero=True)
    except ValueError:
        top = float(np.max(np.abs(A)))
        lo, hi = MAGNITUDE_RANGE
        raise ValueError(
            f"{name} has an entry of magnitude {top:.3g}; the largest entry must lie between "
            f"{lo:.0e} and {hi:.0e} (products and the objective would overflow or underflow): "
            f"rescale {name} ({hint})"
        ) from None


def _check_data(X) -> np.ndarray:
    """X as a finite 2-D float array of sensible magnitude (any sign)."""
    X = as_float_array(X, "X", 2)
    _check_scale(X, "X", "W H scales with it")
    return X


def _check_X(X) -> np.ndarray:
    """Data to factorize: finite, 2-D, non-negative, not all zero, sensible magnitude."""
    X = as_float_array(X, "X", 2)
    if (X < 0).any():
        raise ValueError(
            f"X must be non-negative; it has {int((X < 0).sum())} negative entries "
            f"(min {X.min():.3g})"
        )
    if not (X > 0).any():
        raise ValueError("X is all zeros; there is nothing to factorize")
    _check_scale(X, "X", "W H scales with it")
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
    _check_scale(M, "M", "or lam: the penalty is lam ||M W||^2")
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


# --------------------------------------------------------------------------- kernels
def _tdot(W: np.ndarray, X: np.ndarray) -> np.ndarray:
    """``W.T @ X`` with a contiguous copy of the thin ``W.T`` (2-3x faster in OpenBLAS)."""
    return np.ascontiguousarray(W.T) @ X


def _lmax(G) -> float:
    """Largest eigenvalue of a symmetric positive semidefinite matrix (dense or sparse)."""
    if sp.issparse(G):
        if G.shape[0] <= 400:
            return float(np.linalg.eigvalsh(G.toarray())[-1])
        return float(eigsh(G, k=1, which="LA", tol=1e-12, return_eigenvectors=False)[0])
    if G.shape[0] <= 600:
        return float(np.linalg.eigvalsh(G)[-1])
    return float(eigsh(G, k=1, which="LA", tol=1e-12, return_eigenvectors=False)[0])


def _norm2_sq(A) -> float:
    """Squared spectral norm of a dense or sparse matrix: ``_lmax`` of its smaller Gram."""
    if sp.issparse(A):
        return _lmax((A.T @ A).tocsr())
    A = np.asarray(A, dtype=float)
    return _lmax(A.T @ A if A.shape[1] <= A.shape[0] else A @ A.T)


def _residual_sq(X, W, H, *, nX2=None, WtX=None, WtW=None, HHt=None) -> float:
    """``||X - W H||_F^2``.

    Directly when ``nX2`` is None; otherwise by the trace identity
    ``||X||^2 - 2 <W^T X, H> + <W^T W, H H^T>`` (O((m+n) r^2) once the products are
    known), falling back to the direct sum near an exact fit, where the identity cancels.
    """
    if nX2 is not None:
        WtX = _tdot(W, X) if WtX is None else WtX
        WtW = W.T @ W if WtW is None else WtW
        HHt = H @ H.T if HHt is None else HHt
        res = nX2 - 2.0 * float(np.vdot(WtX, H)) + float(np.vdot(WtW, HHt))
        if res >= 1e-6 * nX2:
            return res
    R = X - W @ H
    return float(np.vdot(R, R))


def _penalty(W, lam: float, M) -> float:
    """``lam ||M W||_F^2`` (0 without a regularizer); ``M`` dense or sparse."""
    if M is None or not lam:
        return 0.0
    MW = M @ W
    return lam * float(np.vdot(MW, MW))


def _grad_W(X, W, H, lam: float = 0.0, M=None, *, HHt=None, XHt=None) -> np.ndarray:
    """``grad_W f = 2 (W H H^T - X H^T + lam M^T M W)``."""
    HHt = H @ H.T if HHt is None else HHt
    XHt = X @ H.T if XHt is None else XHt
    g = W @ HHt
    g -= XHt
    if M is not None and lam:
        g += lam * (M.T @ (M @ W))
    g *= 2.0
    return g


def _grad_H(X, W, H, *, WtW=None, WtX=None) -> np.ndarray:
    """``grad_H f = 2 (W^T W H - W^T X)``."""
    WtW = W.T @ W if WtW is None else WtW
    WtX = _tdot(W, X) if WtX is None else WtX
    g = WtW @ H
    g -= WtX
    g *= 2.0
    return g


def _lipschitz_W(HHt, lam: float = 0.0, M2: float = 0.0) -> float:
    """``L_W = 2 (||H||_2^2 + lam ||M||_2^2)`` from ``H H^T`` and ``||M||_2^2``."""
    return 2.0 * (_lmax(HHt) + lam * M2)


def _lipschitz_H(WtW) -> float:
    """``L_H = 2 ||W||_2^2`` from ``W^T W``."""
    return 2.0 * _lmax(WtW)


def _local_lipschitz(P, L: float, g) -> float:
    """Curvature bound of ``g(U) = f(U (.) U)`` in U at ``P = U (.) U``.

    The Hessian in U is ``4 diag(U) Hess_P diag(U) + 2 diag(grad_P f)``, so its norm is at
    most ``4 max(P) L + 2 max|grad_P f|`` with ``L`` the Lipschitz constant in P.
    """
    return 4.0 * float(P.max()) * L + 2.0 * float(np.abs(g).max())


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
    X = _check_data(X)
    W, H = _check_factors(W, H, *X.shape)
    lam = _lam(lam)
    M = _check_M(M, X.shape[0])
    return _residual_sq(X, W, H) + _penalty(W, lam, M)


def gradients(X, W, H, lam: float = 0.0, M=None) -> tuple[np.ndarray, np.ndarray]:
    """Gradients of :func:`objective` with respect to ``W`` and ``H``.

    ``grad_W = 2 (W H H^T - X H^T + lam M^T M W)`` and ``grad_H = 2 (W^T W H - W^T X)``
    (the seed writes ``W W^T H``, whose shapes do not match).

    Parameters
    ----------
    X, W, H, lam, M
        As in :func:`objective`.

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
    X = _check_data(X)
    W, H = _check_factors(W, H, *X.shape)
    lam = _lam(lam)
    M = _check_M(M, X.shape[0])
    return _grad_W(X, W, H, lam, M), _grad_H(X, W, H)


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
    M2 = _norm2_sq(M) if (M is not None and lam > 0) else 0.0
    return _lipschitz_W(H @ H.T, lam, M2), _lipschitz_H(W.T @ W)


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
    X = _check_data(X)
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

    Parameters
    ----------
    X, W, H, lam, M
        As in :func:`objective`.
    seed : int
        Seed of the random directions.
    t : float
        Relative finite-difference step.

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
    X = _check_data(X)
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


# --------------------------------------------------------------------------- ground truth
def match_columns(W, W_true) -> tuple[np.ndarray, np.ndarray]:
    """Pair the columns of ``W`` with those of ``W_true`` (NMF fixes neither order nor
    scale): the one-to-one pairing with the largest total cosine similarity.

    Parameters
    ----------
    W : array_like, shape (m, r)
    W_true : array_like, shape (m, r_true)

    Returns
    -------
    order : ndarray of int, shape (r,)
        Columns of ``W`` in the order of the true columns they are paired with; columns
        left unpaired (when ``r > r_true``) come last.
    cosine : ndarray, shape (min(r, r_true),)
        Cosine similarity of each pair, in the order of ``W_true``'s columns (1 = same
        direction; the mean is the "parts found" score).

    Examples
    --------
    >>> import numpy as np
    >>> Wt = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> order, cos = match_columns(3 * Wt[:, ::-1], Wt)
    >>> order.tolist(), np.round(cos, 12).tolist()
    ([1, 0], [1.0, 1.0])
    """
    from scipy.optimize import linear_sum_assignment

    W = np.asarray(W, dtype=float)
    W_true = np.asarray(W_true, dtype=float)
    if W.ndim != 2 or W_true.ndim != 2 or W.shape[0] != W_true.shape[0]:
        raise ValueError(f"W {W.shape} and W_true {W_true.shape} need the same rows")

    def unit(A):
        return A / np.maximum(np.linalg.norm(A, axis=0, keepdims=True), _EPS)

    C = unit(W_true).T @ unit(W)  # r_true x r
    rows, cols = linear_sum_assignment(-C)
    rest = np.setdiff1d(np.arange(W.shape[1]), cols)
    return np.concatenate([cols, rest]).astype(int), C[rows, cols]
