"""The single entry point."""

from __future__ import annotations

from typing import Any

from ._baselines import fista, l1_min, lawson_hanson, lstsq, multiplicative, projected_gradient
from ._hadamard import hadamard, hadamard_with
from .options import (ActiveSetOptions, FirstOrderOptions, HadamardOptions, NoOptions,
                      make)
from .result import Result

#: The options type of each method.
OPTIONS = {
    "hadamard": HadamardOptions,
    "lawson_hanson": ActiveSetOptions,
    "projected_gradient": FirstOrderOptions,
    "fista": FirstOrderOptions,
    "multiplicative": FirstOrderOptions,
    "lstsq": NoOptions,
    "l1_min": NoOptions,
}

METHODS = {
    "hadamard": hadamard,
    "lawson_hanson": lawson_hanson,
    "projected_gradient": projected_gradient,
    "fista": fista,
    "multiplicative": multiplicative,
    "lstsq": lstsq,
    "l1_min": l1_min,
}


def solve(A, b, method: str = "hadamard", **options: Any) -> Result:
    """Solve ``min_{x >= 0} 1/2 ||A x - b||^2`` with the chosen method.

    Parameters
    ----------
    A : array_like (m, n), scipy.sparse matrix or LinearOperator
        LinearOperators are accepted by "hadamard", "projected_gradient" and "fista".
    b : array_like (m,)
    method : str
        One of "hadamard" (default, the paper's method), "lawson_hanson",
        "projected_gradient", "fista", "multiplicative", "lstsq" (unconstrained,
        for contrast), "l1_min" (minimum-l1 non-negative solution of A x = b).
    **options
        The method's options (see :func:`nnls_core.hadamard`, ...), validated by its
        options type (:mod:`nnls_core.options`).

    Returns
    -------
    Result

    Raises
    ------
    ValueError
        For an unknown method, an option the method does not take, or bad input.

    Examples
    --------
    >>> import nnls_core as nc
    >>> p = nc.sparse_problem(50, 200, 5, seed=0)
    >>> r = nc.solve(p.A, p.b, method="hadamard", alpha=1e-2)
    >>> r.status, bool(r.objective < 1e-10), bool(abs(r.x - p.x_true).max() < 0.05)
    ('converged', True, True)
    """
    try:
        fn = METHODS[method]
    except (KeyError, TypeError):
        raise ValueError(f"unknown method {method!r}; choose one of {sorted(METHODS)}") from None
    if method == "multiplicative" and "step" in options:
        raise ValueError("method 'multiplicative' does not take option(s) ['step']; "
                         "it takes ['max_iter', 'tol', 'time_limit', 'callback']")
    opts = make(OPTIONS[method], options, method)
    if method == "hadamard":
        return hadamard_with(A, b, opts)
    return fn(A, b, **{k: getattr(opts, k) for k in options})
