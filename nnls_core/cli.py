"""Headless command line: ``python -m nnls_core solve ...``.

Builds a problem (a seeded generator, or ``A`` and ``b`` read from CSV/.npy files),
runs :func:`nnls_core.solve` with exactly the options given on the command line (so
the solver's own defaults apply to the rest) and prints a summary or one JSON object.

Bad input (unknown method, unreadable or non-finite files, an option the method does
not take, ...) gives a one-line message on stderr and exit code 2, never a traceback.
A run that ends without converging ("max_iter", "stalled", "diverged", "time_limit",
"infeasible") is a result, not an error: its status and message are printed and the
exit code is 0.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path
from typing import Any, NoReturn, Sequence

import numpy as np

from . import io as _io
from ._solve import METHODS, solve
from .problems import Problem, gaussian_problem, sparse_problem

PROG = "python -m nnls_core"

#: Defaults of the generated problem (those of the dashboard's Playground).
GENERATOR_DEFAULTS: dict[str, Any] = {
    "m": 30, "n": 100, "sparsity": 4, "noise": 0.0, "negative_perturbation": 0.0,
    "correlation": 0.0, "seed": 0,
}
_SPARSE_ONLY = ("sparsity", "noise", "negative_perturbation", "correlation")
#: Method options, in the order they are reported.
_METHOD_OPTIONS = ("L", "alpha", "step", "decay", "form", "accel", "max_iter", "tol",
                   "time_limit")

MAIN_EPILOG = """\
commands:
  solve     build or load an NNLS problem and solve it (see: %(prog)s solve --help)

examples:
  %(prog)s solve --m 50 --n 200 --sparsity 5 --alpha 1e-3
  %(prog)s solve --generator gaussian --m 80 --n 40 --method lawson_hanson --json
  %(prog)s solve --A A.csv --b b.npy --method fista --x-out x.npy
"""

SOLVE_EPILOG = f"""\
Only the method options you give are passed on; the method's own defaults apply to
the others (see help(nnls_core.hadamard)). An option the method does not take is an
error. Methods: {", ".join(sorted(METHODS))}.

examples:
  # the Playground's default problem, Hadamard with alpha = 1e-3 and L = 2
  %(prog)s --generator sparse --m 30 --n 100 --sparsity 4 --seed 0 --alpha 1e-3

  # fixed step with decay on the Riemannian x-form; one JSON object on stdout
  %(prog)s --step 0.05 --decay 0.5 --form x --max-iter 20000 --json

  # accelerated (mirror) and the min-l1 reference on correlated columns
  %(prog)s --correlation 0.7 --accel mirror --alpha 1e-4
  %(prog)s --correlation 0.7 --method l1_min

  # your own data (CSV or .npy only; pickled .npy files are refused), save x
  %(prog)s --A A.csv --b b.csv --method lawson_hanson --x-out x.npy

status: "converged" only when the stopping test holds (--tol). Otherwise the status
says why the run ended and the message gives the details: "max_iter" (iteration cap),
"stalled" (no step decreases the objective any more), "diverged" (fixed step too large;
the message names a safe step), "time_limit" (--time-limit), "infeasible" (l1_min:
A x = b has no non-negative solution).

exit status: 0 on a finished run (whatever its status; see "status" and "message"),
2 on bad input.
"""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _step(text: str) -> float | str:
    """``--step``: a positive number, "auto" or "bb"."""
    if text in ("auto", "bb"):
        return text
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a number, 'auto' or 'bb', got {text!r}") from None


def _exponent(text: str) -> int | float:
    """``--L``: an int when integral (as the dashboard passes it), else a float."""
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None


def _accel(text: str) -> str | None:
    if text == "none":
        return None
    if text in ("nesterov", "mirror"):
        return text
    raise argparse.ArgumentTypeError(f"must be nesterov, mirror or none, got {text!r}")


def build_parser() -> argparse.ArgumentParser:
    """The ``python -m nnls_core`` argument parser (with its ``solve`` sub-command).

    Returns
    -------
    argparse.ArgumentParser
    """
    parser = _Parser(
        prog=PROG,
        description="Non-negative least squares min_{x>=0} 1/2 ||Ax - b||^2 by Hadamard "
                    "reparametrization (Chou et al., AISTATS 2025), from the command line.",
        epilog=MAIN_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    p = sub.add_parser(
        "solve", help="build or load a problem and solve it",
        description="Build (--generator) or load (--A/--b) an NNLS problem, solve it with "
                    "nnls_core.solve and print a summary, or one JSON object with --json.",
        epilog=SOLVE_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    g = p.add_argument_group(
        "generated problem (default: --generator sparse --m 30 --n 100 --sparsity 4 --seed 0)")
    g.add_argument("--generator", choices=("sparse", "gaussian"), default=None,
                   help="sparse: b = A x_true (+ noise) with a sparse non-negative x_true; "
                        "gaussian: A and b i.i.d. N(0, 1/m), no ground truth")
    g.add_argument("--m", type=int, help="rows (measurements), default 30")
    g.add_argument("--n", type=int, help="columns (unknowns), default 100")
    g.add_argument("--sparsity", type=int, help="non-zeros of x_true (sparse only), default 4")
    g.add_argument("--noise", type=float, help="relative noise level (sparse only), default 0")
    g.add_argument("--negative-perturbation", type=float, metavar="D",
                   help="||d||_2 of the negative perturbation (sparse only), default 0")
    g.add_argument("--correlation", type=float, metavar="RHO",
                   help="column correlation in [0, 1) (sparse only), default 0")
    g.add_argument("--seed", type=int, help="random seed, default 0")
    f = p.add_argument_group("problem from files (CSV or .npy, never pickle)")
    f.add_argument("--A", metavar="FILE", type=Path, help="matrix A (m x n)")
    f.add_argument("--b", metavar="FILE", type=Path, help="vector b (length m)")
    s = p.add_argument_group("method and its options (only the given ones are passed on)",
                             argument_default=argparse.SUPPRESS)
    s.add_argument("--method", default="hadamard", metavar="NAME",
                   help=f"one of {', '.join(sorted(METHODS))} (default hadamard)")
    s.add_argument("--L", type=_exponent, help="exponent of x = u^L, L >= 1 (hadamard)")
    s.add_argument("--alpha", type=float, help="initialization u_0 = alpha (hadamard)")
    s.add_argument("--step", type=_step, metavar="{NUMBER,auto,bb}",
                   help="fixed step, 'auto' (backtracking) or 'bb' (Barzilai-Borwein)")
    s.add_argument("--decay", type=float, help="step decay eta_k = eta/(k+1)^decay (fixed step)")
    s.add_argument("--form", choices=("u", "x"), help="u: GD on u; x: Riemannian form (hadamard)")
    s.add_argument("--accel", type=_accel, metavar="{nesterov,mirror,none}",
                   help="acceleration (hadamard)")
    s.add_argument("--max-iter", type=int, metavar="K", help="iteration cap")
    s.add_argument("--tol", type=float,
                   help="stop (status converged) when the relative optimality residual "
                        "||min(x, grad f(x) / ||A||_2^2)||_inf / max(||x||_inf, "
                        "||A^T b||_inf / ||A||_2^2) is at most TOL; scale-free (scaling A, "
                        "b or x leaves it unchanged); default 1e-8 (iterative methods)")
    s.add_argument("--time-limit", type=float, metavar="SECONDS",
                   help="wall-clock limit (iterative methods); the run then ends with "
                        "status time_limit")
    o = p.add_argument_group("output")
    o.add_argument("--json", action="store_true", help="print one JSON object instead")
    o.add_argument("--x-out", metavar="FILE.npy", type=Path, help="save x as a .npy file")
    return parser


def _read(path: Path, name: str, ndim) -> np.ndarray:
    """Read at most ``MAX_BYTES + 1`` bytes (enough for load_array to refuse a big file)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(_io.MAX_BYTES + 1)
    except OSError as exc:
        raise ValueError(f"cannot read {name} from {path}: {exc.strerror or exc}") from None
    return _io.load_array(data, path.name, name=name, ndim=ndim)


def problem_from_args(args: argparse.Namespace) -> tuple[Problem, dict[str, Any]]:
    """Build the problem the arguments describe, with a JSON-able description of it.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed ``solve`` arguments.

    Returns
    -------
    problem : Problem
    description : dict
        ``{"generator": ..., <its arguments>}`` or ``{"A": path, "b": path, "m", "n"}``.

    Raises
    ------
    ValueError
        Conflicting or invalid problem options, unreadable files.
    """
    gen_given = {k: getattr(args, k) for k in GENERATOR_DEFAULTS if getattr(args, k) is not None}
    if args.A is not None or args.b is not None:
        if args.A is None or args.b is None:
            raise ValueError("give both --A and --b")
        if args.generator is not None or gen_given:
            flags = ["--generator"] * (args.generator is not None) + [
                "--" + k.replace("_", "-") for k in gen_given]
            raise ValueError(f"{', '.join(flags)} cannot be combined with --A/--b")
        A = _read(args.A, "A", 2)
        b = _read(args.b, "b", (1, 2))
        p = Problem.from_arrays(A, b, name=f"{args.A.name} / {args.b.name}")
        return p, {"A": str(args.A), "b": str(args.b), "m": p.shape[0], "n": p.shape[1]}
    kind = args.generator or "sparse"
    values = GENERATOR_DEFAULTS | gen_given
    if kind == "gaussian":
        extra = [k for k in _SPARSE_ONLY if k in gen_given]
        if extra:
            raise ValueError(", ".join("--" + k.replace("_", "-") for k in extra)
                             + " only apply to --generator sparse")
        p = gaussian_problem(values["m"], values["n"], seed=values["seed"])
        return p, {"generator": "gaussian", "m": values["m"], "n": values["n"],
                   "seed": values["seed"]}
    p = sparse_problem(values["m"], values["n"], values["sparsity"], noise=values["noise"],
                       negative_perturbation=values["negative_perturbation"],
                       correlation=values["correlation"], seed=values["seed"])
    return p, {"generator": "sparse", **values}


def _finite(v: float) -> float | None:
    """JSON has no NaN/Inf: those become null."""
    return float(v) if math.isfinite(v) else None


def run_solve(args: argparse.Namespace) -> int:
    """Carry out ``solve``: build the problem, solve, print, save; return the exit code.

    Raises
    ------
    ValueError
        On bad input (the caller turns it into a message and exit code 2).
    """
    if args.method not in METHODS:
        raise ValueError(f"unknown method {args.method!r}; choose one of {sorted(METHODS)}")
    if args.x_out is not None and args.x_out.suffix.lower() != ".npy":
        raise ValueError(f"--x-out must name a .npy file, got {str(args.x_out)!r}")
    options = {k: getattr(args, k) for k in _METHOD_OPTIONS if hasattr(args, k)}
    problem, desc = problem_from_args(args)
    res = solve(problem.A, problem.b, method=args.method, **options)
    error = (float(np.linalg.norm(res.x - problem.x_true))
             if problem.x_true is not None else None)
    if args.x_out is not None:
        try:
            np.save(args.x_out, res.x, allow_pickle=False)
        except OSError as exc:
            raise ValueError(f"cannot write {args.x_out}: {exc.strerror or exc}") from None
    if args.json:
        out: dict[str, Any] = {
            "method": args.method, "options": options, "problem": desc,
            "status": res.status, "success": res.success, "message": res.message,
            "optimality": _finite(res.kkt),
            "objective": _finite(res.objective), "rnorm": _finite(res.rnorm),
            "n_iter": int(res.n_iter), "time_s": float(res.time_s),
            "x": [float(v) for v in res.x],
        }
        if problem.x_true is not None:
            out["x_true"] = [float(v) for v in problem.x_true]
            out["error"] = _finite(error)
        print(json.dumps(out, allow_nan=False))
        return 0
    m, n = problem.shape
    x = res.x
    big = int((x > 1e-3 * max(float(np.max(np.abs(x))), 1e-300)).sum())
    opts = ", ".join(f"{k}={v!r}" for k, v in options.items()) or "defaults"
    lines = [
        f"problem    {problem.name}" + (f" (seed {problem.seed})" if problem.seed is not None
                                        else "") + f", A is {m} x {n}",
        f"method     {args.method} ({opts})",
        f"status     {res.status} after {res.n_iter:,} iterations in {1e3 * res.time_s:.1f} ms"
        + ("" if res.success else " (not converged, see the message)"),
        f"message    {res.message}",
        f"optimality relative residual {res.kkt:.3g}",
        f"objective  {res.objective:.6e}   ||Ax - b|| = {res.rnorm:.6e}",
        f"x          {big} of {n} entries above 1e-3 max|x|, ||x||_1 = {float(np.abs(x).sum()):.6g}, "
        f"min x = {float(x.min()):.3g}",
    ]
    if error is not None:
        lines.append(f"x_true     ||x - x_true||_2 = {error:.6e}")
    if args.x_out is not None:
        lines.append(f"saved      x to {args.x_out}")
    print("\n".join(lines))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name (default ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 2 on bad input (a one-line message on stderr).

    Examples
    --------
    >>> main(["solve", "--m", "10", "--n", "20", "--sparsity", "2", "--json"])  # doctest: +SKIP
    0
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return run_solve(args)
    except BrokenPipeError:  # e.g. piped into head: the reader left, not an error
        try:  # point stdout at devnull so that the flush at exit does not fail again
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 0
    except ValueError as exc:
        msg = " ".join(str(exc).split())  # one line
        print(f"{PROG} solve: error: {msg}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except MemoryError:
        print(f"{PROG} solve: error: out of memory (try a smaller problem)", file=sys.stderr)
        return 2
