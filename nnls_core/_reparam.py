"""The math of the iterate's parametrization, on a leading batch axis of B rows.

A *geometry* maps the solver's variable ``P`` (shape (B, n)) to the NNLS iterate ``X``
and gives the descent direction from the gradient ``Z = A^T (A X - b)``:

* :class:`Hadamard`: ``x = u^L`` (u-form: ``P = u``, ``G = L u^(L-1) (.) Z``; x-form:
  ``P = x``, ``G = L^2 x^(2-2/L) (.) Z``), exponent L per row, ``u_0 = alpha``;
* :class:`Projected`: ``P = x``, ``G = Z`` and a projection on ``x >= 0``, from 0.

The stopping measure of every solver, :func:`optimality`, lives here too.
"""

from __future__ import annotations

import numpy as np


def pow_(p: np.ndarray, e: float) -> np.ndarray:
    """``p ** e`` with the common integer exponents done by multiplication (much faster).

    Examples
    --------
    >>> pow_(np.array([2.0, 3.0]), 3).tolist()
    [8.0, 27.0]
    """
    if e == 1:
        return p
    if e == 2:
        return p * p
    if e == 3:
        return p * p * p
    return p**e


def rowdot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise dot products ``sum_j a_ij b_ij``, the same kernel for every row (so a
    batch row equals the single run bit for bit).

    Examples
    --------
    >>> rowdot(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 1.0], [0.0, 1.0]])).tolist()
    [3.0, 4.0]
    """
    return np.vecdot(a, b)


def all_le(a: np.ndarray, b: np.ndarray) -> bool:
    """``all(a <= b)`` for arrays of one shape (False where a is NaN); one row is
    compared as floats (a numpy call costs more than the comparison).

    Examples
    --------
    >>> all_le(np.array([1.0, 2.0]), np.array([2.0, 2.0])), all_le(np.array([np.nan]), np.ones(1))
    (True, False)
    """
    if a.size == 1:
        return bool(a[0] <= b[0])
    return bool(np.logical_and.reduce(a <= b))


def any_le(a: np.ndarray, bound: float) -> bool:
    """``min(a) <= bound``, i.e. some entry is at most ``bound`` (False when an entry is
    NaN, which ``np.minimum`` propagates); one row is compared as a float.

    Examples
    --------
    >>> any_le(np.array([3.0, 1.0]), 2.0), any_le(np.array([np.nan]), 1.0)
    (True, False)
    """
    if a.size == 1:
        return bool(a[0] <= bound)
    return bool(np.minimum.reduce(a) <= bound)


def optimality(X: np.ndarray, Z: np.ndarray, col: np.ndarray, b_norm: np.ndarray,
               plain: np.ndarray | None = None) -> np.ndarray:
    """Relative optimality residual of each row: the stopping measure of every solver.

    ``max_i |min(c_i x_i, z_i / c_i)| / ||b||_2``, where ``z = A^T (A x - b)`` and
    ``c_i = ||A e_i||_2`` is the norm of column i. ``z_i / c_i^2`` is the exact
    minimizer's move along coordinate i, so each term is the length of that move (or of
    the way to the bound x_i = 0) measured by its effect on ``A x``: it is zero exactly
    at an NNLS solution, and dividing by ``||b||`` makes it dimensionless. Multiplying
    A, b, or a column of A by any constant (x changes inversely) leaves it unchanged,
    and a tiny x with a large negative gradient cannot pass it. Rows flagged ``plain``
    (unconstrained gradient descent, L = 1) use ``|z_i| / c_i`` instead.

    Parameters
    ----------
    X, Z : ndarray, shape (B, n)
        Iterates and gradients.
    col : ndarray, shape (n,) or (B, n)
        Column norms of A (per problem for a stack).
    b_norm : ndarray, shape (B,) or float
        ``||b||_2`` per row.
    plain : ndarray of bool, shape (B,), optional

    Returns
    -------
    ndarray, shape (B,)

    Examples
    --------
    >>> X, Z = np.array([[1.0, 0.0]]), np.array([[0.0, 3.0]])
    >>> optimality(X, Z, np.array([1.0, 1.0]), 1.0).tolist()
    [0.0]
    >>> optimality(np.array([[0.0, 0.0]]), np.array([[-2.0, 1.0]]), np.array([1.0, 2.0]),
    ...            4.0).tolist()  # coordinate 0 should move by 2
    [0.5]
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        inv = np.where(col > 0, 1.0 / col, 0.0)
        return residuals(X, Z, col, inv, 1.0 / np.maximum(b_norm, np.finfo(float).tiny),
                         plain)


def residuals(X, Z, col, inv_col, inv_b_norm, plain=None) -> np.ndarray:
    """:func:`optimality` with the reciprocals precomputed (the driver's hot path)."""
    Zc = Z * inv_col
    t = X * col
    np.minimum(t, Zc, out=t)
    res = np.maximum.reduce(np.abs(t, out=t), axis=1)  # ufunc reduce: no method wrapper
    if plain is not None:
        res[plain] = np.abs(Zc[plain]).max(axis=1)
    res *= inv_b_norm
    return res


class Hadamard:
    """``x = u^L`` with a per-row exponent L, in the u-form or the x-form.

    Parameters
    ----------
    L : ndarray, shape (B,)
        Exponents (>= 1; 1 is plain unconstrained gradient descent).
    form : {"u", "x"}
    """

    def __init__(self, L: np.ndarray, form: str) -> None:
        self.form = form
        self.L = np.asarray(L, dtype=float)
        self._group()

    def _group(self) -> None:
        """Rows grouped by exponent so that pow_ takes its fast paths (the same code path
        as a single run, so a batch is bit-identical to sequential runs)."""
        self.groups = self._groups(self.L)
        self.plain = (self.L == 1) if np.any(self.L == 1) else None
        # one exponent for every row (a single run, most batches): no grouping per call
        self.single = self.groups[0][0] if len(self.groups) == 1 else None

    @staticmethod
    def _groups(Ls: np.ndarray) -> list:
        if Ls.size and np.all(Ls == Ls[0]):
            return [(float(Ls[0]), slice(None))]
        groups = []
        for v in np.unique(Ls):
            idx = np.flatnonzero(Ls == v)
            contiguous = idx[-1] - idx[0] + 1 == idx.size  # a view, not a copy
            groups.append((float(v), slice(idx[0], idx[-1] + 1) if contiguous else idx))
        return groups

    def keep(self, rows: np.ndarray) -> None:
        """Keep only the given rows."""
        self.L = self.L[rows]
        self._group()

    def _per_group(self, fn, P: np.ndarray, Z: np.ndarray | None = None,
                   rows=None) -> np.ndarray:
        groups = self.groups
        if rows is not None and len(groups) > 1:
            groups = self._groups(self.L[rows])
        if len(groups) == 1:
            return fn(groups[0][0], P, Z)
        out = np.empty_like(P)
        for L, sub in groups:
            out[sub] = fn(L, P[sub], None if Z is None else Z[sub])
        return out

    def start(self, alpha: np.ndarray, n: int) -> np.ndarray:
        """``u_0 = alpha`` (u-form) or ``x_0 = alpha^L`` (x-form), every coordinate."""
        with np.errstate(over="ignore", under="ignore"):  # an overflow is refused later
            p0 = alpha if self.form == "u" else np.power(alpha, self.L)
        return np.repeat(np.asarray(p0, dtype=float)[:, None], n, axis=1)

    def to_x(self, P: np.ndarray, rows=None) -> np.ndarray:
        """The NNLS iterate of each row (of the given rows when ``rows`` is set)."""
        if self.form == "x":
            return P
        if self.single is not None:
            return pow_(P, self.single)
        return self._per_group(lambda L, p, _: pow_(p, L), P, rows=rows)

    def direction(self, P: np.ndarray, Z: np.ndarray, rows=None) -> np.ndarray:
        """``G`` with ``P <- P - eta G``: ``L u^(L-1) z`` (u-form, the gradient of
        ``g(u) = f(u^L)``) or ``L^2 x^(2-2/L) z`` (x-form, the Riemannian gradient)."""
        if self.single is not None:
            return self._direction(self.single, P, Z)
        return self._per_group(self._direction, P, Z, rows=rows)

    def _direction(self, L: float, p: np.ndarray, z: np.ndarray) -> np.ndarray:
        if L == 1:
            return z.copy()
        G = np.multiply(pow_(p, L - 1), L) if self.form == "u" else \
            np.multiply(pow_(p, 2 - 2 / L), L**2)
        G *= z
        return G

    def to_boundary(self, P: np.ndarray, G: np.ndarray) -> np.ndarray:
        """Per row, the step ``eta`` at which ``P - eta G`` first reaches the boundary
        ``P = 0`` (inf when no coordinate moves towards it, and for L = 1 rows).

        Examples
        --------
        >>> geo = Hadamard(np.array([2.0]), "u")
        >>> geo.to_boundary(np.array([[1.0, 2.0]]), np.array([[4.0, -1.0]])).tolist()
        [0.25]
        """
        # coordinates at the boundary (u = 0, so G = 0) do not move: 0/0 = NaN, which
        # fmax skips (callers run under np.errstate(invalid="ignore"), as the driver does)
        fastest = np.fmax.reduce(G / P, axis=1)
        eta = np.where(fastest > 0, 1.0 / fastest, np.inf)
        if self.plain is not None:
            eta[self.plain] = np.inf
        return eta

    def all_valid(self, P: np.ndarray) -> bool:
        """True when every row passes :meth:`valid` (the common case, checked cheaply)."""
        if self.plain is None:
            return bool(np.minimum.reduce(P, axis=None) >= 0)  # False for NaN too
        return bool(self.valid(P).all())

    def pgrad(self, G: np.ndarray, Z: np.ndarray) -> np.ndarray:
        """The gradient of the objective with respect to P (for sufficient decrease)."""
        return G if self.form == "u" else Z

    @staticmethod
    def project(P: np.ndarray) -> np.ndarray:
        return P

    def valid(self, P: np.ndarray, rows=None) -> np.ndarray:
        """Rows whose P stays in the domain: ``P >= 0`` for L > 1, finite for L = 1.

        For even L a negative u still gives x >= 0, but a sign change means the step
        jumped across the boundary u = 0 that the flow never crosses.
        """
        ok = P.min(axis=1) >= 0  # False for NaN too
        if self.plain is not None:
            plain = self.plain if rows is None else self.plain[rows]
            with np.errstate(over="ignore", invalid="ignore"):
                ok[plain] = np.isfinite(P[plain].sum(axis=1))
        return ok

    def leaves_domain(self, row: int) -> str:
        """Why a step that failed :meth:`valid` is refused, in plain words."""
        L = float(self.L[row])
        if L == 1:
            return "the iterate overflowed"
        if self.form == "x":
            return "x = u^L became negative, which the flow never allows"
        if L.is_integer() and int(L) % 2 == 0:
            return (f"u crossed zero: x = u^{L:g} stays non-negative, but the step jumped "
                    "over the boundary x = 0 that the gradient flow never crosses")
        return f"u became negative, so x = u^{L:g} would be negative or undefined"


class Projected:
    """``P = x`` projected on ``x >= 0`` after each step; starts at 0."""

    plain = None

    @staticmethod
    def keep(rows: np.ndarray) -> None:
        """Nothing is per row."""

    @staticmethod
    def to_x(P: np.ndarray, rows=None) -> np.ndarray:
        return P

    @staticmethod
    def direction(P: np.ndarray, Z: np.ndarray, rows=None) -> np.ndarray:
        return Z

    @staticmethod
    def pgrad(G: np.ndarray, Z: np.ndarray) -> np.ndarray:
        return Z

    @staticmethod
    def project(P: np.ndarray) -> np.ndarray:
        return np.maximum(P, 0.0)

    @staticmethod
    def valid(P: np.ndarray, rows=None) -> np.ndarray:
        return np.isfinite(P.sum(axis=1))

    @staticmethod
    def all_valid(P: np.ndarray) -> bool:
        return bool(np.isfinite(P.sum()))

    @staticmethod
    def leaves_domain(row: int) -> str:
        return "the iterate overflowed"
