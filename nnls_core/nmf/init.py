"""Seeded non-negative starting points shared by every NMF solver and the anchor."""

from __future__ import annotations

import numpy as np

from .formulas import _EPS, _check_factors, _check_M, _check_rank, _check_X, _lam


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


def _start(X, r, init_, seed, lam, M):
    """Validate the problem and build the starting point: ``(X, r, lam, M, W, H)``.

    ``init_`` is a method name of :func:`init` or an explicit non-negative ``(W, H)``
    pair (copied).
    """
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
