"""One wrapper for the three kinds of A the first-order methods accept."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator, eigsh

from ._validation import as_float_array


def spectral_norm(matvec, rmatvec, n: int, *, tol: float = 1e-10, max_iter: int = 1000) -> float:
    """Largest singular value of an operator by power iteration on A^T A.

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
    """
    v = np.random.default_rng(0).standard_normal(n)
    v /= np.linalg.norm(v)
    sigma2 = 0.0
    for _ in range(max_iter):
        w = rmatvec(matvec(v))
        new = float(np.linalg.norm(w))
        if new == 0.0:
            return 0.0
        v = w / new
        if abs(new - sigma2) <= tol * new:
            sigma2 = new
            break
        sigma2 = new
    return float(np.sqrt(sigma2))


class Operator:
    """A dense array, a scipy.sparse matrix or a LinearOperator, seen as ``matvec``/``rmatvec``.

    Parameters
    ----------
    A : array_like, scipy.sparse matrix or scipy.sparse.linalg.LinearOperator
        The m x n matrix.
    """

    def __init__(self, A) -> None:
        self.kind: str
        if isinstance(A, LinearOperator):
            self.kind = "operator"
            self._A = A
            self.matvec = lambda x: np.asarray(A.matvec(x), dtype=np.float64).ravel()
            self.rmatvec = lambda r: np.asarray(A.rmatvec(r), dtype=np.float64).ravel()
        elif sp.issparse(A):
            self.kind = "sparse"
            M = sp.csr_array(A, dtype=np.float64)
            if M.ndim != 2 or 0 in M.shape:
                raise ValueError(f"A must be a non-empty 2-D matrix, got shape {M.shape}")
            if not np.all(np.isfinite(M.data)):
                raise ValueError("A contains non-finite values (NaN or Inf)")
            MT = M.T.tocsr()
            self._A = M
            self.matvec = M.__matmul__
            self.rmatvec = MT.__matmul__
        else:
            self.kind = "dense"
            M = np.ascontiguousarray(as_float_array(A, "A", 2))
            MT = M.T
            self._A = M
            self.matvec = M.__matmul__
            self.rmatvec = MT.__matmul__
        self.shape: tuple[int, int] = tuple(int(s) for s in self._A.shape)
        if len(self.shape) != 2 or min(self.shape) == 0:
            raise ValueError(f"A must be a non-empty 2-D operator, got shape {self.shape}")
        self._norm: float | None = None

    @property
    def norm(self) -> float:
        """``||A||_2``, computed once (exactly for small dense A, else power iteration)."""
        if self._norm is None:
            if self.kind == "dense" and min(self.shape) <= 100:
                self._norm = float(np.linalg.norm(self._A, 2))
            else:
                self._norm = self._lanczos_norm()
        return self._norm

    def _lanczos_norm(self) -> float:
        """``||A||_2`` by ARPACK on A^T A (tens of products; power iteration as fallback)."""
        n = self.shape[1]
        ata = LinearOperator((n, n), matvec=lambda v: self.rmatvec(self.matvec(v)),
                             dtype=np.float64)
        try:
            lam = eigsh(ata, k=1, which="LM", tol=1e-6, return_eigenvectors=False,
                        v0=np.ones(n))
            return float(np.sqrt(max(lam[0], 0.0)))
        except Exception:  # ARPACK no-convergence, n too small for it, ...
            return spectral_norm(self.matvec, self.rmatvec, n)

    def dense(self, method: str) -> np.ndarray:
        """The explicit matrix; a LinearOperator raises a ValueError naming ``method``."""
        if self.kind == "dense":
            return self._A
        if self.kind == "sparse":
            return self._A.toarray()
        raise ValueError(
            f"method {method!r} needs an explicit matrix; a LinearOperator is accepted "
            "only by the first-order methods (hadamard, projected_gradient, fista)"
        )

    def check_b(self, b) -> np.ndarray:
        """Validate ``b`` against the shape of A."""
        b = as_float_array(b, "b", 1)
        if b.shape[0] != self.shape[0]:
            raise ValueError(
                f"b has length {b.shape[0]} but A has {self.shape[0]} rows (A is "
                f"{self.shape[0]} x {self.shape[1]})"
            )
        return b


def kkt_residual(x: np.ndarray, grad: np.ndarray) -> float:
    """NNLS optimality residual ``||min(x, grad f(x))||_inf`` (0 exactly at a solution)."""
    m = np.minimum(x, grad)
    return float(max(m.max(), -m.min()))
