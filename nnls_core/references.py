"""Reference recipes used by the library, the pages and the benchmarks, each written once.

* :func:`min_l1`: the non-negative minimum-l1 solution of ``A x = b`` (linear program);
* :func:`basis_pursuit`: the minimum-l1 solution without the sign constraint;
* :func:`nnls_solution`: an exact NNLS solution (Lawson-Hanson, ``scipy.optimize.nnls``);
* :func:`safe_step`: a fixed step inside the stability region of the Hadamard method;
* :func:`spectral_norm`: ``||A||_2``.
"""

from __future__ import annotations

import numpy as np
import scipy.optimize

from ._operator import Operator


def spectral_norm(A) -> float:
    """``||A||_2`` of a dense or sparse matrix or a LinearOperator.

    Exact (SVD) for small dense A, ARPACK on ``A^T A`` otherwise.

    Examples
    --------
    >>> spectral_norm(np.diag([3.0, 1.0]))
    3.0
    """
    return float(Operator(A).norm)


def safe_step(norm_A, L, x_max):
    """A fixed step inside the stability region ``L^2 eta x_max^(2-2/L) ||A||_2^2 < 2``.

    Returns half the edge of the region, ``1 / (L^2 x_max^(2-2/L) ||A||_2^2)``; arrays
    broadcast (one step per row of a batch).

    Parameters
    ----------
    norm_A : float or ndarray
        ``||A||_2``.
    L : float or ndarray
        The exponent.
    x_max : float or ndarray
        The largest coordinate the iterates will reach (e.g. of the NNLS solution).

    Examples
    --------
    >>> safe_step(2.0, 2, 1.0)
    0.0625
    """
    L = np.asarray(L, dtype=float)
    with np.errstate(over="ignore", under="ignore"):
        curvature = L**2 * np.maximum(x_max, 1e-300) ** (2 - 2 / L) * np.square(norm_A)
        out = 1.0 / np.clip(curvature, 1e-300, 1e300)
    return float(out) if out.ndim == 0 else out


def nnls_solution(A, b, *, max_iter: int | None = None) -> np.ndarray:
    """An exact NNLS solution by Lawson-Hanson (``scipy.optimize.nnls``).

    Parameters
    ----------
    A : array_like (m, n) or scipy.sparse matrix
    b : array_like (m,)
    max_iter : int, optional
        scipy's ``maxiter`` (default ``10 n`` here: scipy's ``3 n`` fails on some
        degenerate problems).

    Raises
    ------
    RuntimeError
        When the active-set method reaches ``max_iter``.

    Examples
    --------
    >>> nnls_solution(np.eye(2), [1.0, -1.0]).tolist()
    [1.0, 0.0]
    """
    op = Operator(A)
    b = op.check_b(b)
    M = op.dense("lawson_hanson")
    return scipy.optimize.nnls(M, b, maxiter=10 * op.shape[1] if max_iter is None
                               else max_iter)[0]


def solution_scale(A, b) -> float:
    """The largest coordinate of an NNLS solution (Lawson-Hanson when A is explicit and at
    most 4 million entries), else the cheap estimate ``||A^T b||_inf / ||A||_2^2``.

    Examples
    --------
    >>> solution_scale(np.eye(2), np.array([2.0, -1.0]))
    2.0
    """
    op = Operator(A)
    b = op.check_b(b)
    estimate = float(np.max(np.abs(op.rmatmat(b[None])))) / max(op.norm**2, 1e-300)
    if op.kind == "operator" or op.shape[0] * op.shape[1] > 4_000_000:
        return estimate
    try:
        return float(np.max(nnls_solution(op.dense("nnls"), b)))
    except RuntimeError:
        return estimate


def min_l1(A, b) -> tuple[np.ndarray | None, str, int]:
    """Minimum-l1 non-negative solution: ``min 1^T x  s.t.  A x = b, x >= 0`` (HiGHS).

    The limit of the Hadamard method as ``alpha -> 0`` on underdetermined problems.

    Returns
    -------
    x : ndarray or None
        None when ``A x = b`` has no non-negative solution (noisy or overdetermined).
    message : str
        HiGHS's message.
    nit : int
        Simplex/IPM iterations.

    Examples
    --------
    >>> x, _, _ = min_l1([[1.0, 1.0]], [2.0])
    >>> float(x.sum())
    2.0
    """
    op = Operator(A)
    b = op.check_b(b)
    M = op.dense("l1_min")
    res = scipy.optimize.linprog(np.ones(op.shape[1]), A_eq=M, b_eq=b, bounds=(0, None),
                                 method="highs")
    if res.status != 0:
        return None, str(res.message), int(res.nit)
    return np.maximum(res.x, 0.0), str(res.message), int(res.nit)


def basis_pursuit(A, b) -> np.ndarray | None:
    """Minimum-l1 solution of ``A x = b`` without a sign constraint (``x = x+ - x-``).

    The authors' "basis pursuit" reference; None when ``A x = b`` is inconsistent.

    Examples
    --------
    >>> basis_pursuit([[1.0, -1.0]], [-2.0]).tolist()
    [0.0, 2.0]
    """
    op = Operator(A)
    b = op.check_b(b)
    M = op.dense("basis_pursuit")
    n = op.shape[1]
    res = scipy.optimize.linprog(np.ones(2 * n), A_eq=np.hstack([M, -M]), b_eq=b,
                                 bounds=(0, None), method="highs")
    if res.status != 0:
        return None
    return res.x[:n] - res.x[n:]
