"""scikit-learn's NMF from the same start: the comparison anchor (imported lazily)."""

from __future__ import annotations

import contextlib
import math
import time
import warnings

import numpy as np

from .._validation import check_int
from .init import _start
from .._threads import blas_threads
from .solvers import NMFResult, _Problem


def sklearn_nmf(
    X, r: int, solver: str = "mu", *, max_iter: int = 200, init="random",
    seed: int | None = 0, lam: float = 0.0, M=None, same_threads: bool = True,
) -> NMFResult:
    """Run ``sklearn.decomposition.NMF`` from the same start, as an anchor.

    scikit-learn minimizes ``0.5 ||X - W H||_F^2`` (here without any regularizer). The
    returned ``objective`` is evaluated in *our* convention, including ``lam ||M W||^2``
    if given, so rows are comparable; the history holds only the start and the end.
    scikit-learn is imported here, not with :mod:`nnls_core`.

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
        It runs with ``tol=0``: status "max_iter" when it used all ``max_iter``
        iterations, "converged" when "cd" stopped earlier (its projected-gradient
        violation reached 0).

    Examples
    --------
    >>> import numpy as np
    >>> from nnls_core import nmf
    >>> X, _, _ = nmf.synthetic(20, 15, 2, noise=0.0, seed=1)
    >>> res = nmf.sklearn_nmf(X, 2, "cd", max_iter=100)
    >>> bool(res.rel_error < 0.05), res.status in ("converged", "max_iter")
    (True, True)
    """
    if solver not in ("mu", "cd"):
        raise ValueError(f"solver must be 'mu' or 'cd', got {solver!r}")
    max_iter = check_int(max_iter, "max_iter", minimum=1)
    X, r, lam, M, W0, H0 = _start(X, r, init, seed, lam, M)
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning

    pb = _Problem(X, lam, M)
    f0, res0 = pb.objective(W0, H0)
    model = NMF(n_components=r, init="custom", solver=solver, beta_loss="frobenius",
                tol=0.0, max_iter=max_iter, random_state=0)
    limit = blas_threads(X.size * r) if same_threads else contextlib.nullcontext()
    with limit, warnings.catch_warnings(), np.errstate(over="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", ConvergenceWarning)
        t0 = time.perf_counter()
        W = model.fit_transform(X, W=W0.copy(), H=H0.copy())
        dt = time.perf_counter() - t0
        H = model.components_
        f, res = pb.objective(W, H)
    n_it = int(model.n_iter_)
    if not (math.isfinite(f) and np.isfinite(W).all() and np.isfinite(H).all()):
        W, H, f, res = W0, H0, f0, res0
        status, message = "diverged", (f"scikit-learn's {solver!r} solver returned a "
                                       "non-finite result; W and H are the starting point")
    elif n_it >= max_iter:
        status, message = "max_iter", (f"not converged: scikit-learn stopped at max_iter = "
                                       f"{max_iter} (run with tol = 0: no stopping test)")
    else:
        status, message = "converged", (f"converged after {n_it} iterations: scikit-learn's "
                                         "stopping test held with tol = 0")
    nX = math.sqrt(pb.nX2)
    hist = {
        "objective": np.array([f0, f]),
        "rel_error": np.sqrt([res0, res]) / nX,
        "time": np.array([0.0, dt]),
        "residual_sq": np.array([res0, res]),
        "iteration": np.array([0, n_it]),
    }
    return NMFResult(W=W, H=H, objective=float(f), rel_error=float(hist["rel_error"][-1]),
                     n_iter=n_it, status=status, message=message, time_s=dt,
                     method=f"sklearn-{solver}", history=hist)
