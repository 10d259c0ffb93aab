"""nnls_core: non-negative least squares by Hadamard reparametrization.

Chou, Maly, Verdun, da Costa, Mirandola, "Get rid of your constraints and reparametrize:
A study in NNLS and implicit bias", AISTATS 2025 (arXiv:2207.08437).

Examples
--------
>>> import nnls_core as nc
>>> p = nc.sparse_problem(50, 200, 5, seed=0)
>>> r = nc.solve(p.A, p.b, method="hadamard", alpha=1e-2)
>>> r.status
'converged'
"""

from . import experiments, io, metrics, nmf, options, references, sweep, teaching
from ._baselines import fista, l1_min, lawson_hanson, lstsq, multiplicative, projected_gradient
from ._driver import State
from ._hadamard import hadamard
from ._operator import kkt_residual
from ._reparam import optimality
from ._solve import METHODS, OPTIONS, solve
from .options import HadamardOptions
from .references import safe_step, spectral_norm
from .export import python_snippet
from .flows import Flow, accelerated_flow, gradient_flow
from .problems import Problem, gaussian_problem, sparse_problem
from .result import History, Result, checkpoint_schedule

__all__ = [
    "solve", "METHODS", "OPTIONS", "HadamardOptions", "Result", "History", "State",
    "checkpoint_schedule", "optimality", "options", "references",
    "Problem", "sparse_problem", "gaussian_problem",
    "hadamard", "lawson_hanson", "projected_gradient", "fista", "multiplicative",
    "lstsq", "l1_min", "safe_step", "kkt_residual", "spectral_norm",
    "Flow", "gradient_flow", "accelerated_flow",
    "experiments", "io", "metrics", "nmf", "sweep", "teaching", "python_snippet",
]
