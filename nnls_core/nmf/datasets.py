"""Data for NMF: exact low-rank synthetic data, the swimmer images, the digits."""

from __future__ import annotations

import numpy as np

from .._validation import check_int, check_positive
from .formulas import _check_rank


def synthetic(m: int = 60, n: int = 80, r: int = 5, *, noise: float = 0.01,
              seed: int | None = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Non-negative rank-``r`` data ``X = W H + noise``, clipped at zero.

    ``W`` and ``H`` have |N(0, 1)| entries with about half set to zero (so the factors are
    identifiable parts); the noise is Gaussian with standard deviation
    ``noise * mean(W H)``.

    Parameters
    ----------
    m, n : int
        Shape of ``X``.
    r : int
        Rank, ``1 <= r <= min(m, n)``.
    noise : float, default 0.01
        Relative noise level (>= 0).
    seed : int or None

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

    scikit-learn is imported here, not with :mod:`nnls_core`.

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
