"""Export a dashboard run as a self-contained Python snippet that reproduces it exactly."""

from __future__ import annotations

import math
import numbers
from typing import Any

from ._solve import METHODS, OPTIONS
from .options import make

#: Keyword arguments of :func:`nnls_core.sparse_problem`, in call order.
_SPARSE_KEYS = ("noise", "negative_perturbation", "correlation", "seed")
_UPLOAD = ("upload", "files", "arrays")


def _literal(value: Any, name: str) -> str:
    """A Python literal for ``value`` that evaluates back to an identical object.

    Floats go through ``repr`` (shortest round-tripping form) after conversion from
    NumPy scalars, so ``0.1 + 0.2`` is written ``0.30000000000000004``.
    """
    if value is None or isinstance(value, (bool, str)):
        return repr(value)
    if isinstance(value, numbers.Integral):
        return repr(int(value))
    if isinstance(value, numbers.Real):
        v = float(value)
        if math.isfinite(v):
            return repr(v)
        return f'float("{v!r}")'  # float("nan"), float("inf"), float("-inf")
    raise ValueError(f"{name} must be a number, a string, a bool or None to be exported, "
                     f"got {type(value).__name__} {value!r}")


def _int(problem: dict, key: str) -> str:
    v = problem[key]
    if isinstance(v, bool) or not isinstance(v, numbers.Integral):
        if isinstance(v, numbers.Real) and float(v).is_integer():
            v = int(v)
        else:
            raise ValueError(f"problem[{key!r}] must be an integer, got {v!r}")
    return repr(int(v))


def _problem_code(problem: dict) -> tuple[list[str], list[str]]:
    """(import lines, code lines) building ``p``."""
    if not isinstance(problem, dict) or "generator" not in problem:
        raise ValueError("problem must be a dict with a 'generator' key "
                         "('sparse', 'gaussian' or 'upload')")
    gen = problem["generator"]
    if gen == "sparse":
        allowed = {"generator", "m", "n", "sparsity", *_SPARSE_KEYS}
    elif gen == "gaussian":
        allowed = {"generator", "m", "n", "seed"}
    elif gen in _UPLOAD:
        allowed = {"generator", "A_file", "b_file", "name"}
    else:
        raise ValueError(f"unknown generator {gen!r}; use 'sparse', 'gaussian' or 'upload'")
    extra = sorted(set(problem) - allowed)
    if extra:
        raise ValueError(f"problem keys {extra} do not apply to generator {gen!r}")
    if gen in _UPLOAD:
        a_file = str(problem.get("A_file", "A.npy"))
        b_file = str(problem.get("b_file", "b.npy"))
        lines = [
            "# Uploaded data: save the arrays next to this script first, e.g.",
            f"#   np.save({a_file!r}, A); np.save({b_file!r}, b)",
            "# They are read exactly as the dashboard reads uploads (CSV or .npy, no pickle).",
            f"A = load_array(Path({a_file!r}).read_bytes(), {a_file!r}, name=\"A\", ndim=2)",
            f"b = load_array(Path({b_file!r}).read_bytes(), {b_file!r}, name=\"b\", ndim=(1, 2))",
            f"p = nc.Problem.from_arrays(A, b, name={a_file + ' / ' + b_file!r})",
        ]
        return ["from pathlib import Path", "", "import nnls_core as nc",
                "from nnls_core.io import load_array"], lines
    for key in ("m", "n") + (("sparsity",) if gen == "sparse" else ()):
        if key not in problem:
            raise ValueError(f"problem needs {key!r} for generator {gen!r}")
    seed = problem.get("seed")
    seed_lit = "None" if seed is None else _int(problem, "seed")
    if gen == "gaussian":
        call = (f"p = nc.gaussian_problem({_int(problem, 'm')}, {_int(problem, 'n')}, "
                f"seed={seed_lit})")
    else:
        kw = [f"{k}={_literal(float(problem[k]), k) if k in problem else '0.0'}"
              for k in _SPARSE_KEYS[:-1]]
        call = (f"p = nc.sparse_problem(\n    {_int(problem, 'm')}, {_int(problem, 'n')}, "
                f"{_int(problem, 'sparsity')},\n    " + ", ".join(kw) + f",\n    seed={seed_lit},\n)")
    return ["import nnls_core as nc"], [call]


def python_snippet(problem: dict, method: str, options: dict) -> str:
    """A self-contained Python script that reproduces a dashboard run exactly.

    The script builds the same problem (the generator call with its exact arguments, or
    the uploaded arrays loaded from ``A.npy`` / ``b.npy``), calls
    ``nc.solve(p.A, p.b, method=..., **options)`` with the options written out as
    literals, and prints the status, objective and iteration count. Floats are written
    with ``repr``, so they round-trip exactly; ints stay ints.

    Parameters
    ----------
    problem : dict
        ``{"generator": "sparse", "m", "n", "sparsity", "noise", "negative_perturbation",
        "correlation", "seed"}`` (missing float keys default to 0.0, a missing seed to
        None), ``{"generator": "gaussian", "m", "n", "seed"}``, or
        ``{"generator": "upload"}`` (optional ``"A_file"``, ``"b_file"``, default
        ``"A.npy"`` and ``"b.npy"``) for uploaded data.
    method : str
        One of :data:`nnls_core.METHODS`.
    options : dict
        Keyword options of the method, in the order to write them; values must be
        numbers, strings, bools or None. They are checked by the method's options type
        (:mod:`nnls_core.options`), as :func:`nnls_core.solve` checks them.

    Returns
    -------
    str
        Python source; after ``exec`` its namespace holds ``p`` (the problem),
        ``options`` and ``r`` (the :class:`~nnls_core.Result`).

    Raises
    ------
    ValueError
        Unknown generator or method, missing or extra problem keys, an option the
        method does not take or a bad option value, an option value that has no exact
        literal.

    Examples
    --------
    >>> code = python_snippet(
    ...     {"generator": "sparse", "m": 30, "n": 100, "sparsity": 4, "noise": 0.0,
    ...      "negative_perturbation": 0.0, "correlation": 0.0, "seed": 0},
    ...     "hadamard", {"L": 2, "alpha": 1e-2, "step": "bb"})
    >>> print(code.splitlines()[-3])
    print(f"iterations: {r.n_iter}")
    >>> ns = {}
    >>> exec(code, ns)  # doctest: +ELLIPSIS
    status: converged (...)
    objective: ...
    iterations: ...
    ||x - x_true||_2: ...
    >>> import nnls_core as nc
    >>> ref = nc.solve(ns["p"].A, ns["p"].b, method="hadamard", L=2, alpha=1e-2, step="bb")
    >>> bool((ns["r"].x == ref.x).all())
    True
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {sorted(METHODS)}")
    if not isinstance(options, dict):
        raise ValueError(f"options must be a dict, got {type(options).__name__}")
    for k in options:
        if not isinstance(k, str) or not k.isidentifier():
            raise ValueError(f"option names must be identifiers, got {k!r}")
    make(OPTIONS[method], options, method)  # the check nc.solve makes: fail here, not later
    imports, build = _problem_code(problem)
    opt_lines = [f"    {str(k)!r}: {_literal(v, f'option {k!r}')}," for k, v in options.items()]
    lines = [
        '"""Reproduce an NNLS dashboard run with nnls_core (Chou et al., AISTATS 2025)."""',
        "",
        *imports,
        "",
        *build,
        "",
        "options = {" + ("" if opt_lines else "}"),
        *opt_lines,
        *(["}"] if opt_lines else []),
        f"r = nc.solve(p.A, p.b, method={method!r}, **options)",
        "",
        "# r.status is 'converged' (r.success) only when the stopping test holds: the relative",
        "# optimality residual nc.optimality is at most tol. Otherwise ('max_iter', 'stalled',",
        "# 'diverged', 'time_limit', 'infeasible') r.message says why the run ended.",
        'print(f"status: {r.status} ({r.message})")',
        'print(f"objective: {r.objective:.6e}")',
        'print(f"iterations: {r.n_iter}")',
        "if p.x_true is not None:",
        '    print(f"||x - x_true||_2: {float(((r.x - p.x_true) ** 2).sum()) ** 0.5:.6e}")',
    ]
    return "\n".join(lines) + "\n"
