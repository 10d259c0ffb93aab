"""Headless command line: ``python -m nnls_core solve ...`` and ``... paper E1``.

``solve`` builds a problem (a seeded generator, or ``A`` and ``b`` read from CSV/.npy
files), runs :func:`nnls_core.solve` with exactly the options given on the command line
(so the solver's own defaults apply to the rest) and prints a summary or one JSON object.

``paper`` runs one of the paper's experiments E1-E6 (:mod:`nnls_core.paper`, the same
functions the dashboard's pages call) with the paper's settings, or prints its shipped
result (``--shipped``, E1-E4), as a table or one JSON object with a ``rows`` list;
progress goes to stderr.

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
import time
from pathlib import Path
from typing import Any, NoReturn, Sequence

import numpy as np

from . import io as _io
from . import paper as _paper
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
  paper     run one of the paper's experiments E1-E6 (see: %(prog)s paper --help)

examples:
  %(prog)s solve --m 50 --n 200 --sparsity 5 --alpha 1e-3
  %(prog)s solve --generator gaussian --m 80 --n 40 --method lawson_hanson --json
  %(prog)s solve --A A.csv --b b.npy --method fista --x-out x.npy
  %(prog)s paper E1 --json
  %(prog)s paper E3 --shipped
"""

PAPER_EPILOG = """\
experiments (Chou et al., AISTATS 2025; the authors' scripts in parentheses):
  E1  l1 norm of the limit against alpha, L = 2 and 3, 5e5 iterations, with the
      references l1_min, basis_pursuit and lawson_hanson (gd_alpha.py)
  E2  coordinate trajectories, 3e5 iterations (gd_coords.py)
  E3  step-size decay eta/(t+2)^gamma, gamma in {0, .25, .5, .75}, 2e5 iterations
      (gd_gamma.py)
  E4  plain GD, Nesterov on u and accelerated mirror descent, 1e4 iterations (gd_ode.py)
  E5  classical solvers against the reparametrized ones, n = 500, m = 200, s = 25
      (test_sparsity.py)
  E6  time against n on square problems (timing_algs.py)

rows of --json (one object: experiment, source, setting, rows, elapsed_s, ...):
  E1  {"L", "alpha", "l1", "converged", "status", "n_iter", "kkt"} per run, then
      {"reference": "l1_min" | "basis_pursuit" | "lawson_hanson", "l1"}
  E2  {"L", "iteration", "coordinate", "x", "error"} (support coordinates, checkpoints)
  E3  {"L", "gamma", "residual" (= ||A x_T - b||), "status"}
  E4  {"method": "plain" | "nesterov" | "mirror", "objective" (= ||A x_T - b||^2),
      "status"}
  E5, E6  one row per method (and L, x0, or n): l1_ratio, residual, error, time_s, ...
A run that ends at the iteration cap has status "max_iter": an open point, not a limit.

examples:
  %(prog)s E1 --json                 # recompute at full size (about 1-2 minutes)
  %(prog)s E1 --shipped              # the shipped result, instantly
  %(prog)s E3 --max-iter 2000 --json # a shortened run
  %(prog)s E6 --sizes 50 100 200 --reps 1

exit status: 0 on a finished run, 2 on bad input.
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
    q = sub.add_parser(
        "paper", help="run one of the paper's experiments E1-E6",
        description="Run an experiment of Chou et al. (AISTATS 2025) on the authors' data "
                    "with the paper's settings (nnls_core.paper, the functions the "
                    "dashboard's pages call) and print its rows as a table, or one JSON "
                    "object with --json. Progress goes to stderr.",
        epilog=PAPER_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    q.add_argument("experiment", type=str.upper, choices=list(_paper.EXPERIMENTS),
                   metavar="EXPERIMENT", help="E1, E2, E3, E4, E5 or E6")
    q.add_argument("--shipped", action="store_true",
                   help="print the shipped full-size result (E1-E4, computed once by "
                        "bench/paper_assets.py) instead of recomputing it")
    w = q.add_argument_group("overrides for shorter runs (default: the paper's settings)",
                             argument_default=argparse.SUPPRESS)
    w.add_argument("--max-iter", type=int, metavar="K",
                   help="iteration cap T (the paper: E1 5e5, E2 3e5, E3 2e5, E4-E6 1e4)")
    w.add_argument("--reps", type=int, metavar="R", help="repetitions (E5, E6)")
    w.add_argument("--sizes", type=int, nargs="+", metavar="N",
                   help="problem sizes n = m (E6; default 50 100 200)")
    o = q.add_argument_group("output")
    o.add_argument("--json", action="store_true", help="print one JSON object instead")
    o.add_argument("--quiet", action="store_true", help="no progress on stderr")
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


#: The overrides of ``paper`` and the experiments that take them.
_PAPER_OVERRIDES = {"max_iter": tuple(_paper.EXPERIMENTS), "reps": ("E5", "E6"),
                    "sizes": ("E6",)}


class _Progress:
    """``progress(fraction)`` for the experiments: a percentage on stderr, rewritten in
    place on a terminal, one line per 10% otherwise."""

    def __init__(self, name: str, stream=None) -> None:
        self.name, self.stream = name, stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.step = 1 if self.tty else 10
        self.last = -1
        self.t0 = time.perf_counter()

    def __call__(self, frac: float) -> None:
        pct = int(100 * min(max(float(frac), 0.0), 1.0))
        if pct // self.step == self.last // self.step:
            return
        self.last = pct
        line = f"{self.name}: {pct:3d}% ({time.perf_counter() - self.t0:.0f} s)"
        print("\r" + line if self.tty else line, end="" if self.tty else "\n",
              file=self.stream, flush=True)

    def done(self) -> None:
        end = "\r" if self.tty else ""
        print(f"{end}{self.name}: done in {time.perf_counter() - self.t0:.1f} s",
              file=self.stream, flush=True)


def _cell(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, dict):
        return ", ".join(f"{k} x{c}" for k, c in v.items())
    return str(v)


def rows_table(rows: list[dict], max_rows: int = 60) -> str:
    """Rows as an aligned plain-text table.

    Parameters
    ----------
    rows : list of dict
        The rows of an experiment (JSON-ready values); the columns are their keys in
        order of first appearance, a missing value is "-".
    max_rows : int
        At most this many rows are shown, the first and the last half.

    Returns
    -------
    str

    Examples
    --------
    >>> print(rows_table([{"L": 2, "l1": 1.25}, {"reference": "l1_min", "l1": 1.2346}]))
    L  l1      reference
    2  1.25    -
    -  1.2346  l1_min
    """
    cols = list(dict.fromkeys(k for r in rows for k in r))
    shown = rows if len(rows) <= max_rows else rows[:max_rows // 2] + rows[-max_rows // 2:]
    cells = [[_cell(r.get(c)) for c in cols] for r in shown]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
    fmt = lambda vals: "  ".join(v.ljust(w) for v, w in zip(vals, widths)).rstrip()  # noqa: E731
    lines = [fmt(cols)] + [fmt(row) for row in cells]
    if len(shown) < len(rows):
        lines.insert(1 + max_rows // 2, f"... ({len(rows) - len(shown)} more rows; --json "
                                        "prints them all)")
    return "\n".join(lines)


def run_paper(args: argparse.Namespace) -> int:
    """Carry out ``paper``: compute (or load) the experiment, print it; return 0.

    Raises
    ------
    ValueError
        On bad input (the caller turns it into a message and exit code 2).
    """
    name = args.experiment
    overrides = {k: getattr(args, k) for k in _PAPER_OVERRIDES if hasattr(args, k)}
    for key in overrides:
        if name not in _PAPER_OVERRIDES[key]:
            raise ValueError(f"--{key.replace('_', '-')} applies to "
                             f"{', '.join(_PAPER_OVERRIDES[key])}, not {name}")
    if args.shipped:
        if overrides:
            flags = ", ".join("--" + k.replace("_", "-") for k in overrides)
            raise ValueError(f"{flags} cannot be combined with --shipped (the shipped "
                             "result is the paper's full-size run)")
        if name not in _paper.SHIPPED:
            raise ValueError(f"no shipped result for {name}; shipped: "
                             f"{', '.join(_paper.SHIPPED)} (recompute without --shipped)")
        try:
            result = _paper.load_shipped(name)
        except FileNotFoundError as exc:
            raise ValueError(str(exc)) from None
    else:
        progress = None if args.quiet else _Progress(name)
        result = _paper.run(name, progress=progress, **overrides)
        if progress is not None:
            progress.done()
    source = "shipped" if args.shipped else "computed"
    payload = result.to_json()
    if args.json:
        print(json.dumps({"experiment": name, "source": source, **payload},
                         allow_nan=False))
        return 0
    how = ("shipped result, computed once by bench/paper_assets.py" if args.shipped
           else "computed now")
    lines = [result.setting.text(), "",
             f"{how}; {result.elapsed_s:.1f} s of computation", "",
             rows_table(payload["rows"])]
    summary = getattr(result, "summary", None)
    if summary is not None:
        lines += [""] + summary()
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
    run = {"solve": run_solve, "paper": run_paper}[args.command]
    try:
        return run(args)
    except BrokenPipeError:  # e.g. piped into head: the reader left, not an error
        try:  # point stdout at devnull so that the flush at exit does not fail again
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 0
    except ValueError as exc:
        msg = " ".join(str(exc).split())  # one line
        print(f"{PROG} {args.command}: error: {msg}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except MemoryError:
        print(f"{PROG} {args.command}: error: out of memory (try a smaller problem)",
              file=sys.stderr)
        return 2
