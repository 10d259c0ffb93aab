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

Every run returns an :class:`NMFResult` with ``status`` ("converged" only when the
stopping rule holds), ``message`` and ``success``; ``time_limit`` and ``callback`` bound
its cost, and its history is bounded in memory. :func:`sklearn_nmf` runs
``sklearn.decomposition.NMF`` from the same start as an anchor (scikit-learn minimizes
0.5 ||X - W H||_F^2; :class:`NMFResult` reports both conventions).

Modules: :mod:`.formulas` (objective, gradients, Lipschitz constants, checks,
regularizers), :mod:`.init` (starting points), :mod:`.solvers` (:func:`solve`),
:mod:`.datasets` (synthetic, swimmer, digits), :mod:`.anchor` (scikit-learn). scikit-learn
is imported only when :func:`sklearn_nmf` or :func:`digits` runs.

Examples
--------
>>> from nnls_core import nmf
>>> X, _, _ = nmf.synthetic(30, 20, 3, noise=0.0, seed=0)
>>> res = nmf.solve(X, 3, "projected_gradient", accelerate=True, max_iter=2000, tol=1e-9)
>>> res.status, bool(res.rel_error < 1e-3)
('converged', True)
"""

from .anchor import sklearn_nmf
from .datasets import digits, swimmer, synthetic
from .formulas import gradient_check, gradients, lipschitz, lipschitz_power, match_columns, \
    objective, regularizer
from .init import init
from .solvers import METHODS, NMFResult, NMFState, solve

__all__ = [
    "NMFResult",
    "NMFState",
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
    "match_columns",
    "synthetic",
    "swimmer",
    "digits",
]
