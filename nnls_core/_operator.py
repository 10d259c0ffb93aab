"""One wrapper for every kind of A: dense, sparse, LinearOperator, or a stack of problems.

Products act on a leading batch axis: ``matmat(X)`` maps ``(B, n)`` to ``(B, m)``. Each
row is multiplied with the same BLAS kernel as a single run (``np.matmul`` broadcasting
calls it row by row), so a batch gives bit-identical iterates to sequential runs; adaptive
steps (Barzilai-Borwein) would amplify even last-bit differences of a matrix-matrix
product into different stopping iterations.

A dense A is kept once: ``A^T r`` reads the same memory as ``A x`` (BLAS's transposed
matrix-vector product), so an iteration streams one copy of A, not two, and the pair of
products stays in cache for twice the size of A.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator, eigsh

from ._validation import as_float_array, check_magnitude

#: Dense A up to this many rows or columns gets its exact ||A||_2 from an SVD.
_EXACT_NORM = 100


def power_norm(matvec, rmatvec, n: int, *, tol: float = 1e-10, max_iter: int = 1000) -> float:
    """Largest singular value of an operator by power iteration on ``A^T A``.

    Parameters
    ----------
    matvec, rmatvec : callable
        ``x -> A x`` and ``r -> A^T r``.
    n : int
        Number of columns of A.
    tol : float
        Relative change of the estimate at which to stop.
    max_iter : int
        Iteration cap.

    Returns
    -------
    float
        ``||A||_2`` (0.0 for a zero operator).

    Examples
    --------
    >>> import numpy as np
    >>> A = np.diag([3.0, 1.0])
    >>> round(power_norm(A.__matmul__, A.T.__matmul__, 2), 8)
    3.0
    """
    v = np.random.default_rng(0).standard_normal(n)
    v /= np.linalg.norm(v)
    sigma2 = 0.0
    for _ in range(max_iter):
        w = rmatvec(matvec(v))
        new = float(_scaled_norm(w))
        if new == 0.0:
            return 0.0
        v = w / new
        if abs(new - sigma2) <= tol * new:
            sigma2 = new
            break
        sigma2 = new
    return float(np.sqrt(sigma2))


class Operator:
    """A dense array, a scipy.sparse matrix, a LinearOperator, or a stack ``(B, m, n)``
    of dense problems, seen through batched products.

    Parameters
    ----------
    A : array_like, scipy.sparse matrix or scipy.sparse.linalg.LinearOperator
        The m x n matrix, or ``(B, m, n)`` when ``stack`` is true.
    stack : bool
        Accept a 3-D array of independent problems.
    """

    def __init__(self, A, *, stack: bool = False) -> None:
        self.kind: str
        if isinstance(A, LinearOperator):
            if np.dtype(A.dtype).kind == "c":
                raise ValueError("A must be real; the LinearOperator has a complex dtype")
            self.kind, self._A = "operator", A
        elif sp.issparse(A):
            if np.iscomplexobj(A.data if hasattr(A, "data") else A):
                raise ValueError("A must be real, got a complex sparse matrix")
            M = sp.csr_array(A, dtype=np.float64)
            if M.ndim != 2 or 0 in M.shape:
                raise ValueError(f"A must be a non-empty 2-D matrix, got shape {M.shape}")
            if not np.all(np.isfinite(M.data)):
                raise ValueError("A contains non-finite values (NaN or Inf)")
            check_magnitude(M.data, "A")
            self.kind, self._A, self._AT = "sparse", M, M.T.tocsr()
        else:
            M = np.ascontiguousarray(as_float_array(A, "A", (2, 3) if stack else 2))
            check_magnitude(M, "A")
            self.kind = "stack" if M.ndim == 3 else "dense"
            self._A = M
        self.shape: tuple[int, int] = tuple(int(s) for s in self._A.shape[-2:])
        if len(self._A.shape) not in (2, 3) or min(self.shape) == 0:
            raise ValueError(f"A must be a non-empty 2-D operator, got shape {self._A.shape}")
        self._norm: np.ndarray | float | None = None

    @property
    def batch(self) -> int | None:
        """Number of stacked problems, or None for one shared A."""
        return self._A.shape[0] if self.kind == "stack" else None

    # products ---------------------------------------------------------------------------
    def matmat(self, X: np.ndarray) -> np.ndarray:
        """``A x`` for every row ``x`` of ``X`` (shape (B, n) -> (B, m))."""
        if self.kind == "dense":  # row by row with the single-run kernel: bit-identical
            return (self._A @ X[0])[None] if X.shape[0] == 1 else np.matmul(
                self._A, X[:, :, None])[:, :, 0]
        if self.kind == "stack":
            return np.matmul(self._A, X[:, :, None])[:, :, 0]
        if self.kind == "sparse":
            return (self._A @ X.T).T
        return np.stack([self._apply(self._A.matvec, x, self.shape[0], "matvec") for x in X])

    def rmatmat(self, R: np.ndarray) -> np.ndarray:
        """``A^T r`` for every row ``r`` of ``R`` (shape (B, m) -> (B, n))."""
        if self.kind == "dense":  # A^T read in place (no transposed copy), same kernel
            AT = self._A.T
            return (AT @ R[0])[None] if R.shape[0] == 1 else np.matmul(
                AT, R[:, :, None])[:, :, 0]
        if self.kind == "stack":
            return np.matmul(R[:, None, :], self._A)[:, 0, :]
        if self.kind == "sparse":
            return (self._AT @ R.T).T
        return np.stack([self._apply(self._A.rmatvec, r, self.shape[1], "rmatvec") for r in R])

    @staticmethod
    def _apply(fn, v: np.ndarray, size: int, name: str) -> np.ndarray:
        """Call a LinearOperator and check what it returns: real, finite, of the right size."""
        out = np.asarray(fn(v))
        if np.iscomplexobj(out):
            raise ValueError(f"the LinearOperator's {name} returned complex values")
        out = out.astype(np.float64, copy=False).ravel()
        if out.shape != (size,):
            raise ValueError(f"the LinearOperator's {name} returned shape {out.shape}, "
                             f"expected ({size},)")
        if np.isfinite(v).all() and not np.isfinite(out).all():
            raise ValueError(f"the LinearOperator's {name} returned NaN or Inf for a "
                             "finite input")
        return out

    def take(self, rows: np.ndarray) -> "Operator":
        """The operator of the given stacked problems (itself for a shared A)."""
        if self.kind != "stack":
            return self
        out = object.__new__(Operator)
        out.kind, out._A, out.shape = "stack", self._A[rows], self.shape
        out._norm = None if self._norm is None else self._norm[rows]
        cols = getattr(self, "_cols", None)
        out._cols = None if cols is None else cols[rows]
        inv = getattr(self, "_inv_cols", None)
        out._inv_cols = None if inv is None else inv[rows]
        return out

    # norms ------------------------------------------------------------------------------
    @property
    def col_norms(self) -> np.ndarray:
        """``||A e_i||_2`` for every column: shape (n,), or (B, n) for a stack.

        For a LinearOperator (columns unknown without n products) every entry is
        ``||A||_2``.
        """
        if getattr(self, "_cols", None) is None:
            if self.kind in ("dense", "stack"):
                sub = "...ij,...ij->...j"
                self._cols = np.sqrt(np.einsum(sub, self._A, self._A))
                top = float(np.max(np.abs(self._A)))
                if not (1e-140 < top < 1e140):  # squares could under/overflow
                    self._cols = _scaled_norm(self._A, axis=-2)
            elif self.kind == "sparse":
                self._cols = np.sqrt(np.asarray(self._A.multiply(self._A).sum(axis=0))
                                     ).ravel()
                if not np.isfinite(self._cols).all():
                    self._cols = _scaled_norm(self._A.toarray(), axis=-2)
            else:
                self._cols = np.full(self.shape[1], float(self.norm))
        return self._cols

    @property
    def inv_col_norms(self) -> np.ndarray:
        """``1 / ||A e_i||_2`` (0 for a zero column), cached like :attr:`col_norms`."""
        if getattr(self, "_inv_cols", None) is None:
            c = self.col_norms
            with np.errstate(divide="ignore"):
                self._inv_cols = np.where(c > 0, 1.0 / c, 0.0)
        return self._inv_cols

    @property
    def norm(self):
        """``||A||_2``, computed once: a float, or an array (B,) for a stack.

        Exact (SVD) for small dense A, ARPACK on ``A^T A`` otherwise (power iteration as
        a fallback).
        """
        if self._norm is None:
            if self.kind == "stack":
                self._norm = np.linalg.norm(self._A, 2, axis=(1, 2))
            elif self.kind == "dense" and min(self.shape) <= _EXACT_NORM:
                self._norm = float(np.linalg.norm(self._A, 2))
            elif self.kind == "sparse" and min(self.shape) <= _EXACT_NORM:
                self._norm = float(np.linalg.norm(self._A.toarray(), 2))
            elif self.kind == "operator" and self.shape[1] <= _EXACT_NORM:
                eye = np.eye(self.shape[1])
                self._norm = float(np.linalg.norm(self.matmat(eye).T, 2))
            else:
                self._norm = self._lanczos_norm()
        return self._norm

    @property
    def norm_bound(self):
        """An upper bound of ``||A||_2`` that costs no product with A: the Frobenius norm
        ``||A||_F`` (from the column norms; ``||A||_2`` itself for a LinearOperator), a
        float or an array (B,) for a stack.

        Examples
        --------
        >>> Operator(np.diag([3.0, 4.0])).norm_bound
        5.0
        """
        if self.kind == "operator":
            return self.norm
        bound = _scaled_norm(self.col_norms, axis=-1)
        return bound if self.kind == "stack" else float(bound)

    def _lanczos_norm(self) -> float:
        n = self.shape[1]
        mv = lambda v: self.matmat(v[None])[0]  # noqa: E731
        rmv = lambda r: self.rmatmat(r[None])[0]  # noqa: E731
        ata = LinearOperator((n, n), matvec=lambda v: rmv(mv(v)), dtype=np.float64)
        try:
            lam = eigsh(ata, k=1, which="LM", tol=1e-6, return_eigenvectors=False,
                        v0=np.ones(n))
            return float(np.sqrt(max(lam[0], 0.0)))
        except Exception:  # ARPACK no-convergence, n too small for it, ...
            return power_norm(mv, rmv, n)

    def dense(self, method: str) -> np.ndarray:
        """The explicit matrix; a LinearOperator raises a ValueError naming ``method``."""
        if self.kind in ("dense", "stack"):
            return self._A
        if self.kind == "sparse":
            return self._A.toarray()
        raise ValueError(
            f"method {method!r} needs an explicit matrix; a LinearOperator is accepted "
            "only by the first-order methods (hadamard, projected_gradient, fista)"
        )

    def check_b(self, b, *, batch: bool = False) -> np.ndarray:
        """Validate ``b`` against A: shape (m,) or (m, 1); with ``batch``, also (B, m)."""
        b = as_float_array(b, "b", (1, 2))
        m = self.shape[0]
        if b.ndim == 2 and b.shape == (m, 1) and not (batch and m == 1):
            b = b[:, 0]
        if b.ndim == 2 and not batch:
            raise ValueError(f"b must be a vector of length {m}, got shape {b.shape}")
        if b.shape[-1] != m:
            raise ValueError(
                f"b has length {b.shape[-1]} but A has {m} rows (A is "
                f"{self.shape[0]} x {self.shape[1]})"
            )
        check_magnitude(b, "b", allow_zero=True)
        return b


def _scaled_norm(a: np.ndarray, axis=None):
    """Euclidean norm without overflow or underflow for entries near 1e±200."""
    top = np.max(np.abs(a), axis=axis, keepdims=True)
    safe = np.where(top > 0, top, 1.0)
    out = np.sqrt(np.sum(np.square(a / safe), axis=axis, keepdims=True)) * top
    return np.squeeze(out, axis=axis) if axis is not None else float(out.ravel()[0])


def kkt_residual(x: np.ndarray, grad: np.ndarray) -> float:
    """Raw NNLS KKT residual ``||min(x, grad f(x))||_inf`` (0 exactly at a solution).

    Its units mix those of x and of the gradient; the stopping test uses the scale-free
    :func:`nnls_core.optimality` instead.

    Examples
    --------
    >>> import numpy as np
    >>> kkt_residual(np.array([1.0, 0.0]), np.array([0.0, 2.0]))
    0.0
    """
    m = np.minimum(x, grad)
    return float(max(m.max(), -m.min()))
