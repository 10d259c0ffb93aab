"""The paper's experiments exactly as the authors ran them (Chou et al., AISTATS 2025).

Chou, Maly, Verdun, da Costa, Mirandola, "Get rid of your constraints and reparametrize:
A study in NNLS and implicit bias", AISTATS 2025 (arXiv:2207.08437); the authors' code:
https://github.com/claudioverdun/NNLS_submission (``examples/`` and ``src/nnls.py``).

This module reproduces their set-ups on the library's one engine:

* :func:`paper_problem`: their data, bit for bit (legacy ``np.random.seed``, ``x_true``
  drawn before ``A``, support on the first s indices);
* :func:`step_from_paper`, :func:`conversion`: their step sizes in ours, with the reason;
* the experiments E1-E6 as functions returning typed, frozen results that state the
  paper's parameters in the paper's units next to the converted ones
  (:class:`PaperSetting`), with ``rows()`` ready for JSON and ``to_json()``;
* :func:`load_shipped`: the results of the long runs, computed once by
  ``bench/paper_assets.py`` and shipped in ``assets/paper/``.

Every experiment takes ``progress`` (``progress(fraction)`` with a float in [0, 1]).

Examples
--------
>>> import nnls_core.paper as paper
>>> p = paper_problem(10, 50, 3, seed=3)
>>> p.name
'data as in the paper (seed 3): 10x50, s=3'
>>> conversion(0.1, L=2)
'paper eta = 0.1 -> our eta = 0.05 for L = 2, because ...'
"""

from __future__ import annotations

import dataclasses
import io
import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ._baselines import fista, lawson_hanson, projected_gradient
from ._hadamard import hadamard
from ._validation import check_int, check_positive
from .problems import Problem
from .references import basis_pursuit, min_l1, nnls_solution
from .sweep import grid, sweep

__all__ = [
    "paper_problem", "paper_problems", "step_from_paper", "step_to_paper", "conversion",
    "STEP_RULES", "PaperSetting", "E1Result", "E2Result", "E3Result", "E4Result",
    "E5Result", "E6Result", "e1_implicit_bias", "e2_trajectories", "e3_decay",
    "e4_acceleration", "e5_comparison", "e6_scaling", "EXPERIMENTS", "run",
    "load_shipped", "ASSETS", "AUTHORS_CODE", "AUTHORS_E1",
]

#: The authors' published code.
AUTHORS_CODE = "https://github.com/claudioverdun/NNLS_submission"
#: Where ``bench/paper_assets.py`` writes the shipped results.
ASSETS = Path(__file__).resolve().parent.parent / "assets" / "paper"

#: E1 as the authors' code prints it (``examples/gd_alpha.py``, seed 3): ``||x||_1`` of
#: the L = 2 limits for alpha = 1e-3 .. 1e-1, the non-negative minimum-l1 solution and
#: Lawson-Hanson.
AUTHORS_E1 = {
    "alphas": (1e-3, 10**-2.5, 1e-2, 10**-1.5, 1e-1),
    2: (1.2422, 1.2539, 1.2829, 1.3726, 1.7826),
    "l1_min": 1.2346,
    "lawson_hanson": 1.3766,
}


# --- data ------------------------------------------------------------------------------

def _draw(rs: np.random.RandomState, m: int, n: int, s: int):
    """One draw of the authors' generator from the legacy stream ``rs``."""
    x = np.zeros(n)
    x[:s] = rs.normal(0, 1, s)
    norm = np.linalg.norm(x)
    if norm > 0:
        x /= norm
    x = np.abs(x)
    A = (1 / np.sqrt(m)) * rs.normal(0, 1, (m, n))  # their order of operations
    return A, x, A @ x


def _check_sizes(m, n, s):
    m = check_int(m, "m", minimum=1)
    n = check_int(n, "n", minimum=1)
    s = check_int(s, "s", minimum=0)
    if s > n:
        raise ValueError(f"s must be <= n = {n}, got {s}")
    return m, n, s


def paper_problems(m: int, n: int, s: int, seed: int, count: int) -> list[Problem]:
    """``count`` consecutive problems from one seeded stream, as the authors' comparison
    scripts draw their repetitions (``np.random.seed(seed)`` once, then one draw per
    repetition).

    Parameters
    ----------
    m, n, s, seed :
        As in :func:`paper_problem`.
    count : int

    Returns
    -------
    list of Problem
        The first one is ``paper_problem(m, n, s, seed)``.

    Examples
    --------
    >>> ps = paper_problems(5, 8, 2, seed=3, count=2)
    >>> bool((ps[0].A == paper_problem(5, 8, 2, seed=3).A).all())
    True
    >>> bool((ps[1].A == ps[0].A).all())
    False
    """
    m, n, s = _check_sizes(m, n, s)
    count = check_int(count, "count", minimum=1)
    seed = check_int(seed, "seed", minimum=0)
    rs = np.random.RandomState(seed)
    out = []
    for j in range(count):
        A, x, b = _draw(rs, m, n, s)
        tag = f" (repetition {j + 1} of {count})" if count > 1 else ""
        out.append(Problem(A, b, x, f"data as in the paper (seed {seed}): {m}x{n}, "
                                    f"s={s}{tag}", seed,
                           {"generator": "paper", "repetition": j}))
    return out


def paper_problem(m: int, n: int, s: int, seed: int = 3) -> Problem:
    """The authors' data, bit for bit.

    Their generator (``examples/datagen.py``, modes "normal"), seeded with numpy's legacy
    ``np.random.seed(seed)`` (here the same stream from ``np.random.RandomState(seed)``,
    without touching the global state): ``x_true`` is drawn first, ``s`` draws
    ``normal(0, 1, s)`` on the first ``s`` indices of a length-n zero vector, normalized to
    unit 2-norm, then made non-negative (absolute value); then
    ``A = normal(0, 1, (m, n)) / sqrt(m)`` (computed as ``(1/sqrt(m)) * normal(...)``, as
    they do, so that every bit agrees); ``b = A x_true`` (no noise).

    E1 (``gd_alpha.py``), E2 (``gd_coords.py``) and E3 (``gd_gamma.py``) use seed 3, E4
    (``gd_ode.py``) seed 42.

    Parameters
    ----------
    m, n : int
        Measurements and unknowns (their ``y_dim``, ``x_dim``).
    s : int
        Non-zeros of ``x_true`` (the first ``s`` coordinates).
    seed : int
        The legacy seed.

    Returns
    -------
    Problem
        Named "data as in the paper (seed <seed>): <m>x<n>, s=<s>".

    Examples
    --------
    >>> p = paper_problem(10, 50, 3, seed=3)
    >>> p.A.shape, int((p.x_true > 0).sum()), round(float(np.linalg.norm(p.x_true)), 12)
    ((10, 50), 3, 1.0)
    >>> bool((p.x_true[3:] == 0).all() and np.allclose(p.A @ p.x_true, p.b))
    True
    """
    return paper_problems(m, n, s, seed, 1)[0]


# --- step conversions ------------------------------------------------------------------

#: method -> (exponent e: ours = theirs / L^e, the reason in words).
STEP_RULES = {
    "gd": (1, "their Riemannian update is x <- x - L*eta*z*x^(2-2/L) where ours is "
              "x <- x - eta*L^2*x^(2-2/L)*z (and their u-form u <- u - eta*z*u^(L-1) "
              "drops the factor L of the gradient L*u^(L-1)*z of g(u) = f(u^L)), so "
              "ours = theirs / L"),
    "nesterov": (1, "their Nesterov step on u is u <- v - eta*z(v^2)*v, the gradient of "
                    "1/2||A u^2 - b||^2 without its factor 2, where ours is "
                    "u <- v - eta*2*v*z, so ours = theirs / L (= theirs / 2)"),
    "mirror": (2, "their mirror step is zeta <- zeta - eta*(k+2)/2*z with zeta = log y, "
                  "where ours is log y <- log y - L^2*eta*(k+2)/2*z, so ours = theirs / L^2 "
                  "(= theirs / 4)"),
}


def _rule(method: str):
    try:
        return STEP_RULES[method]
    except KeyError:
        raise ValueError(f"method must be one of {sorted(STEP_RULES)}, got {method!r}") \
            from None


def step_from_paper(eta: float, L: float = 2, method: str = "gd") -> float:
    """Our step for the authors' step ``eta`` (see :data:`STEP_RULES`).

    Parameters
    ----------
    eta : float
        The step in the authors' code.
    L : float
        The exponent (their number of layers).
    method : {"gd", "nesterov", "mirror"}
        "gd": their ``gd`` (Riemannian x-form and u-form alike): ours = theirs / L;
        "nesterov": their ``gd_2layers_nesterov``: ours = theirs / L (L = 2 in their
        code); "mirror": their ``gd_2layers_nesterov_mirror``: ours = theirs / L^2
        (L = 2 in their code).

    Examples
    --------
    >>> step_from_paper(0.1, 2), step_from_paper(0.01, 2, "nesterov")
    (0.05, 0.005)
    >>> step_from_paper(0.01, 2, "mirror")
    0.0025
    """
    e, _ = _rule(method)
    return float(check_positive(eta, "eta")) / float(L) ** e


def step_to_paper(eta: float, L: float = 2, method: str = "gd") -> float:
    """The authors' step for our step ``eta`` (the inverse of :func:`step_from_paper`).

    Examples
    --------
    >>> step_to_paper(0.05, 2)
    0.1
    """
    e, _ = _rule(method)
    return float(check_positive(eta, "eta")) * float(L) ** e


def conversion(eta: float, L: float = 2, method: str = "gd", *, short: bool = True) -> str:
    """The conversion of the authors' step ``eta`` in one sentence.

    ``short`` ends the sentence with "because ..."; ``short=False`` gives the reason.

    Examples
    --------
    >>> conversion(0.1, L=3, short=False)[:52]
    'paper eta = 0.1 -> our eta = 0.0333 for L = 3, becau'
    """
    ours = step_from_paper(eta, L, method)
    why = "..." if short else _rule(method)[1]
    return f"paper eta = {eta:g} -> our eta = {ours:.3g} for L = {L:g}, because {why}"


# --- results ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PaperSetting:
    """An experiment's parameters in the paper's units and converted to ours.

    Attributes
    ----------
    experiment : str
        "E1" ... "E6".
    title : str
    script : str
        The authors' script that runs it (in their repository's ``examples/``).
    data : dict
        ``m, n, s, seed`` (and ``reps`` when several problems are drawn).
    paper : dict
        Their parameters in their units (``eta``, ``alpha``/``alphas``, ``T``, ...).
    ours : dict
        The same run in this library's units (``step`` per L and method, ``alpha``,
        ``max_iter``, options such as ``form``, ``accel``, ``decay_offset``).
    notes : tuple of str
        The conversions and every deliberate difference, in words.
    """

    experiment: str
    title: str
    script: str
    data: dict
    paper: dict
    ours: dict
    notes: tuple = ()

    def to_dict(self) -> dict:
        """A JSON-ready copy."""
        return {"experiment": self.experiment, "title": self.title, "script": self.script,
                "data": _jsonable(self.data), "paper": _jsonable(self.paper),
                "ours": _jsonable(self.ours), "notes": list(self.notes)}

    @classmethod
    def from_dict(cls, d: dict) -> "PaperSetting":
        return cls(d["experiment"], d["title"], d["script"], d["data"], d["paper"],
                   d["ours"], tuple(d["notes"]))

    def text(self) -> str:
        """The setting in a few lines of plain text (for a page or ``--help``)."""
        lines = [f"{self.experiment}: {self.title} (the authors' {self.script}; "
                 f"{AUTHORS_CODE})",
                 "data: " + ", ".join(f"{k} = {v}" for k, v in self.data.items()),
                 "paper units: " + ", ".join(f"{k} = {_fmt(v)}" for k, v in
                                             self.paper.items()),
                 "ours: " + ", ".join(f"{k} = {_fmt(v)}" for k, v in self.ours.items())]
        return "\n".join(lines + [f"- {n}" for n in self.notes])


def _fmt(v) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_fmt(x)}" for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_fmt(x) for x in v) + "]"
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def _jsonable(v):
    """Plain Python types (dict keys as strings) for json.dumps."""
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, np.ndarray):
        return _jsonable(v.tolist())
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer, int)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        v = float(v)
        return v if math.isfinite(v) else None
    return v


class _Experiment:
    """What every result shares: ``rows()``, ``to_json()`` and its setting."""

    setting: PaperSetting
    elapsed_s: float

    def rows(self) -> list[dict]:  # pragma: no cover - every result defines it
        raise NotImplementedError

    def to_json(self) -> dict:
        """One JSON-ready object: ``experiment``, ``setting``, ``rows``, ``elapsed_s``."""
        return {"experiment": self.setting.experiment, "setting": self.setting.to_dict(),
                "rows": _jsonable(self.rows()), "elapsed_s": float(self.elapsed_s)}


def _scaled(progress, lo: float, hi: float):
    if progress is None:
        return None
    return lambda frac: progress(lo + (hi - lo) * min(max(float(frac), 0.0), 1.0))


def _done(progress) -> None:
    if progress is not None:
        progress(1.0)


def _thin(iterations: np.ndarray, max_points: int) -> np.ndarray:
    """Indices of about ``max_points`` log-spaced entries of an increasing int array
    (always the first and the last)."""
    its = np.asarray(iterations)
    if its.size <= max_points:
        return np.arange(its.size)
    targets = np.unique(np.round(np.geomspace(1, max(int(its[-1]), 1), max_points - 1)))
    idx = np.unique(np.clip(np.searchsorted(its, targets), 0, its.size - 1))
    return np.unique(np.concatenate(([0], idx, [its.size - 1])))


# --- E1: implicit bias -----------------------------------------------------------------

#: The alphas of E1, as the authors write them: ``np.logspace(-3, -1, 5)``.
E1_ALPHAS = tuple(np.logspace(-3, -1, 5).tolist())


@dataclass(frozen=True, eq=False)
class E1Result(_Experiment):
    """E1: ``||x||_1`` of the limit against alpha, for L = 2 and 3, with references.

    Attributes
    ----------
    setting : PaperSetting
    Ls : tuple of float
    alphas : ndarray (a,)
    l1 : ndarray (len(Ls), a)
        ``||x||_1`` of the last iterate.
    status : ndarray of str (len(Ls), a)
        "converged" when the stopping test held (the limit is reached); "max_iter" marks
        an open point, not a limit.
    n_iter : ndarray of int (len(Ls), a)
    kkt : ndarray (len(Ls), a)
        The relative optimality residual at the last iterate.
    references : dict
        "l1_min" (non-negative minimum-l1, LP), "basis_pursuit" (minimum-l1 without the
        sign constraint, as the authors computed it), "lawson_hanson" -> ``||x||_1``.
    l1_true : float
        ``||x_true||_1``.
    elapsed_s : float
    results : list of Result or None
        The runs (``results[i * a + j]``: ``Ls[i]``, ``alphas[j]``), their histories
        holding only the first and the last point (E1 needs the limits, and a full
        history costs a fifth of each of the 5e5 iterations); None when loaded from the
        shipped file.
    """

    setting: PaperSetting
    Ls: tuple
    alphas: np.ndarray
    l1: np.ndarray
    status: np.ndarray
    n_iter: np.ndarray
    kkt: np.ndarray
    references: dict
    l1_true: float
    elapsed_s: float
    results: list | None = None

    @property
    def converged(self) -> np.ndarray:
        """Which points are limits (the stopping test held)."""
        return self.status == "converged"

    def rows(self) -> list[dict]:
        """``{"L", "alpha", "l1", "converged", "status", "n_iter", "kkt"}`` per run,
        then ``{"reference": "l1_min" | "basis_pursuit" | "lawson_hanson", "l1"}``.

        Examples
        --------
        >>> e = e1_implicit_bias(Ls=[2], alphas=[0.1], max_iter=5_000)
        >>> sorted(e.rows()[0])
        ['L', 'alpha', 'converged', 'kkt', 'l1', 'n_iter', 'status']
        >>> [r["reference"] for r in e.rows()[1:]]
        ['l1_min', 'basis_pursuit', 'lawson_hanson']
        """
        out = []
        for i, L in enumerate(self.Ls):
            for j, a in enumerate(self.alphas):
                out.append({"L": _num(L), "alpha": float(a), "l1": float(self.l1[i, j]),
                            "converged": bool(self.status[i, j] == "converged"),
                            "status": str(self.status[i, j]),
                            "n_iter": int(self.n_iter[i, j]), "kkt": float(self.kkt[i, j])})
        for name in ("l1_min", "basis_pursuit", "lawson_hanson"):
            out.append({"reference": name, "l1": float(self.references[name])})
        return out

    def to_json(self) -> dict:
        d = super().to_json()
        d["l1_true"] = self.l1_true
        return d

    @classmethod
    def from_json(cls, d: dict) -> "E1Result":
        """Rebuild from :meth:`to_json` (the shipped file)."""
        runs = [r for r in d["rows"] if "L" in r]
        refs = {r["reference"]: r["l1"] for r in d["rows"] if "reference" in r}
        Ls = tuple(dict.fromkeys(float(r["L"]) for r in runs))
        alphas = np.array(list(dict.fromkeys(r["alpha"] for r in runs)))
        shape = (len(Ls), alphas.size)
        grid_ = {(float(r["L"]), r["alpha"]): r for r in runs}
        get = lambda key, dtype: np.array(  # noqa: E731
            [[grid_[(L, a)][key] for a in alphas] for L in Ls], dtype=dtype).reshape(shape)
        return cls(PaperSetting.from_dict(d["setting"]), Ls, alphas, get("l1", float),
                   get("status", object), get("n_iter", int), get("kkt", float), refs,
                   float(d["l1_true"]), float(d["elapsed_s"]))


def _num(L):
    L = float(L)
    return int(L) if L.is_integer() else L


def _riemannian_runs(m, n, s, seed, Ls, alphas, eta, max_iter, tol, progress, record):
    """The authors' Riemannian fixed-step GD on their data, every (L, alpha) in one
    sweep (L outer): returns the problem, the exponents, the converted steps, the runs.
    ``record`` False keeps only the end points (a fifth cheaper per iteration)."""
    p = paper_problem(m, n, s, seed)
    Ls = tuple(float(L) for L in np.atleast_1d(Ls))
    steps = {L: step_from_paper(eta, L) for L in Ls}
    g = grid(L=list(Ls), alpha=np.atleast_1d(alphas))
    rs = sweep(p.A, p.b, L=g["L"], alpha=g["alpha"], step=[steps[L] for L in g["L"]],
               form="x", max_iter=max_iter, tol=tol, record=record, progress=progress)
    return p, Ls, steps, rs


def e1_implicit_bias(*, m: int = 10, n: int = 50, s: int = 3, seed: int = 3,
                     Ls: Sequence[float] = (2, 3), alphas: Sequence[float] = E1_ALPHAS,
                     eta: float = 0.1, max_iter: int = 500_000, tol: float = 1e-10,
                     progress: Callable[[float], None] | None = None) -> E1Result:
    """E1 (the authors' ``gd_alpha.py``): l1 of the limit against alpha.

    The authors' Riemannian gradient descent with a fixed step, ``x_0 = alpha^L``,
    ``T = 5e5`` iterations, on :func:`paper_problem` ``(10, 50, 3, seed=3)``; all
    (L, alpha) runs in one batched :func:`nnls_core.sweep.sweep` (``form="x"``, our
    step ``eta / L``: :func:`conversion`).

    Parameters
    ----------
    m, n, s, seed : the data (:func:`paper_problem`).
    Ls, alphas : the grid (paper: L = 2, 3; alpha = logspace(-3, -1, 5)).
    eta : float
        The step in the paper's units (0.1).
    max_iter : int
        Their T (5e5).
    tol : float
        A row stops earlier when its relative optimality residual is at most ``tol``
        (1e-10: its l1 then agrees with the full T to ~1e-9); rows that do not get
        there end "max_iter" and are open points, not limits.
    progress : callable, optional

    Returns
    -------
    E1Result

    Examples
    --------
    >>> e = e1_implicit_bias(Ls=[2], alphas=[0.1], max_iter=5_000)
    >>> e.rows()[0]["l1"], e.rows()[0]["status"]  # doctest: +ELLIPSIS
    (1.78257643..., 'converged')
    >>> round(e.references["l1_min"], 4), round(e.references["lawson_hanson"], 4)
    (1.2346, 1.3766)
    """
    t0 = time.perf_counter()
    alphas = np.array([check_positive(a, "alpha") for a in np.atleast_1d(alphas)])
    p, Ls, steps, rs = _riemannian_runs(m, n, s, seed, Ls, alphas, eta, max_iter, tol,
                                        _scaled(progress, 0, 0.97), record=False)
    x_l1 = min_l1(p.A, p.b)[0]
    x_bp = basis_pursuit(p.A, p.b)
    x_lh = nnls_solution(p.A, p.b)
    refs = {"l1_min": float(np.abs(x_l1).sum()) if x_l1 is not None else float("nan"),
            "basis_pursuit": float(np.abs(x_bp).sum()) if x_bp is not None else float("nan"),
            "lawson_hanson": float(np.abs(x_lh).sum())}
    shape = (len(Ls), alphas.size)
    setting = PaperSetting(
        "E1", "l1 norm of the limit against the initialization alpha", "gd_alpha.py",
        {"m": m, "n": n, "s": s, "seed": seed},
        {"eta": eta, "alphas": alphas.tolist(), "T": max_iter, "Ls": list(Ls),
         "riemannian": True, "gamma": 0.0},
        {"step": {_num(L): steps[L] for L in Ls}, "alpha": alphas.tolist(),
         "form": "x", "max_iter": max_iter, "tol": tol},
        (*(conversion(eta, L, short=False) for L in Ls),
         "alpha is the same in both: u_0 = alpha, x_0 = alpha^L.",
         f"The authors run all T iterations; here a row stops when its relative "
         f"optimality residual reaches {tol:g} (its l1 agrees with T iterations to "
         f"about 1e-9); a row that does not is marked open (status 'max_iter').",
         "basis_pursuit is their 'BP' (min ||x||_1 s.t. Ax = b, no sign constraint); "
         "l1_min adds x >= 0 (an LP, HiGHS); lawson_hanson is scipy.optimize.nnls."))
    out = E1Result(setting, Ls, alphas, np.array([r.x.sum() for r in rs]).reshape(shape),
                   np.array([r.status for r in rs], dtype=object).reshape(shape),
                   np.array([r.n_iter for r in rs]).reshape(shape),
                   np.array([r.kkt for r in rs]).reshape(shape), refs,
                   float(np.abs(p.x_true).sum()), time.perf_counter() - t0, list(rs))
    _done(progress)
    return out


# --- E2: coordinate trajectories -------------------------------------------------------

@dataclass(frozen=True, eq=False)
class E2Result(_Experiment):
    """E2: the coordinates of the iterates along the run, for L = 2 and 3.

    Attributes
    ----------
    setting : PaperSetting
    Ls : tuple of float
    iterations : list of ndarray of int
        Per L, the log-spaced checkpoints (the History's; at most 1000).
    x : list of ndarray (c, n)
        Per L, the iterates at the checkpoints.
    x_true : ndarray (n,)
    elapsed_s : float
    """

    setting: PaperSetting
    Ls: tuple
    iterations: list
    x: list
    x_true: np.ndarray
    elapsed_s: float

    def rows(self, coords: Sequence[int] | None = None) -> list[dict]:
        """``{"L", "iteration", "coordinate", "x", "error"}`` with ``error = |x_j -
        x_true_j|`` (the authors' plot), for ``coords`` (default: the support, the first
        s coordinates).

        Examples
        --------
        >>> e = e2_trajectories(max_iter=50)
        >>> e.rows()[0]  # doctest: +ELLIPSIS
        {'L': 2, 'iteration': 0, 'coordinate': 0, 'x': 0.0001, 'error': 0.97005632...}
        """
        if coords is None:
            coords = range(int(self.setting.data["s"]))
        out = []
        for L, its, X in zip(self.Ls, self.iterations, self.x):
            for k, xk in zip(its.tolist(), X):
                for j in coords:
                    out.append({"L": _num(L), "iteration": int(k), "coordinate": int(j),
                                "x": float(xk[j]),
                                "error": float(abs(xk[j] - self.x_true[j]))})
        return out

    def thinned(self, max_points: int = 200) -> "E2Result":
        """The same result at about ``max_points`` log-spaced checkpoints per L."""
        keep = [_thin(its, max_points) for its in self.iterations]
        note = (f"Thinned to {max(k.size for k in keep)} log-spaced checkpoints per L "
                "(the shipped file).")
        setting = dataclasses.replace(self.setting, notes=(*self.setting.notes, note))
        return E2Result(setting, self.Ls, [its[k] for its, k in zip(self.iterations, keep)],
                        [X[k] for X, k in zip(self.x, keep)], self.x_true, self.elapsed_s)

    def to_npz(self) -> bytes:
        """The result as a compressed ``.npz`` (iterates in float32)."""
        buf = io.BytesIO()
        arrays = {"x_true": self.x_true, "Ls": np.array(self.Ls),
                  "meta": np.array(json.dumps({"setting": self.setting.to_dict(),
                                               "elapsed_s": self.elapsed_s}))}
        for i, (its, X) in enumerate(zip(self.iterations, self.x)):
            arrays[f"iterations_{i}"] = its.astype(np.int64)
            arrays[f"x_{i}"] = X.astype(np.float32)
        np.savez_compressed(buf, **arrays)
        return buf.getvalue()

    @classmethod
    def from_npz(cls, data) -> "E2Result":
        """Rebuild from :meth:`to_npz` bytes or a path."""
        z = np.load(io.BytesIO(data) if isinstance(data, bytes) else data)
        meta = json.loads(str(z["meta"]))
        Ls = tuple(float(L) for L in z["Ls"])
        return cls(PaperSetting.from_dict(meta["setting"]), Ls,
                   [z[f"iterations_{i}"] for i in range(len(Ls))],
                   [z[f"x_{i}"].astype(float) for i in range(len(Ls))], z["x_true"],
                   float(meta["elapsed_s"]))


def e2_trajectories(*, m: int = 30, n: int = 50, s: int = 3, seed: int = 3,
                    Ls: Sequence[float] = (2, 3), alpha: float = 1e-2, eta: float = 1e-2,
                    max_iter: int = 300_000, tol: float = 0.0,
                    progress: Callable[[float], None] | None = None) -> E2Result:
    """E2 (the authors' ``gd_coords.py``): coordinate trajectories.

    Riemannian GD (``form="x"``) from ``x_0 = alpha^L`` with the paper's fixed step
    ``eta`` (ours ``eta / L``) for ``T = 3e5`` iterations on :func:`paper_problem`
    ``(30, 50, 3, seed=3)``, both L in one :func:`nnls_core.sweep.sweep`. The iterates
    are kept at log-spaced checkpoints (the History's).

    Parameters
    ----------
    m, n, s, seed, Ls, alpha, eta, max_iter :
        As in the paper (eta in the paper's units; max_iter is their T).
    tol : float
        0 (default): run all T iterations as the authors do.
    progress : callable, optional

    Examples
    --------
    >>> e = e2_trajectories(max_iter=100)
    >>> [X.shape for X in e.x]
    [(101, 50), (101, 50)]
    """
    t0 = time.perf_counter()
    p, Ls, steps, rs = _riemannian_runs(m, n, s, seed, Ls, [alpha], eta, max_iter, tol,
                                        _scaled(progress, 0, 0.99), record=True)
    setting = PaperSetting(
        "E2", "trajectories of the coordinates", "gd_coords.py",
        {"m": m, "n": n, "s": s, "seed": seed},
        {"eta": eta, "alpha": alpha, "T": max_iter, "Ls": list(Ls), "riemannian": True},
        {"step": {_num(L): steps[L] for L in Ls}, "alpha": alpha, "form": "x",
         "max_iter": max_iter, "tol": tol},
        (*(conversion(eta, L, short=False) for L in Ls),
         "The authors keep every iterate; here the iterates are kept at log-spaced "
         "checkpoints (at most 1000, the History's)."))
    out = E2Result(setting, Ls, [r.history.iterations for r in rs],
                   [r.history.x for r in rs], p.x_true, time.perf_counter() - t0)
    _done(progress)
    return out


# --- E3: step-size decay ---------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class E3Result(_Experiment):
    """E3: the residual ``||A x_k - b||`` with decaying steps ``eta / (t+2)^gamma``.

    Attributes
    ----------
    setting : PaperSetting
    Ls, gammas : tuple of float
    residual : ndarray (len(Ls), len(gammas))
        ``||A x_T - b||`` after the last iteration.
    status : ndarray of str (len(Ls), len(gammas))
    curves : dict
        ``(L, gamma) -> (iterations, residuals)``, log-spaced (about 300 points).
    elapsed_s : float
    """

    setting: PaperSetting
    Ls: tuple
    gammas: tuple
    residual: np.ndarray
    status: np.ndarray
    curves: dict
    elapsed_s: float

    def rows(self) -> list[dict]:
        """``{"L", "gamma", "residual", "status"}`` per run.

        Examples
        --------
        >>> e = e3_decay(Ls=[2], gammas=[0.5], max_iter=100)
        >>> sorted(e.rows()[0])
        ['L', 'gamma', 'residual', 'status']
        """
        return [{"L": _num(L), "gamma": float(g), "residual": float(self.residual[i, j]),
                 "status": str(self.status[i, j])}
                for i, L in enumerate(self.Ls) for j, g in enumerate(self.gammas)]

    def to_json(self) -> dict:
        d = super().to_json()
        d["curves"] = [{"L": _num(L), "gamma": float(g), "iteration": its.tolist(),
                        "residual": _jsonable(res)}
                       for (L, g), (its, res) in self.curves.items()]
        return d

    @classmethod
    def from_json(cls, d: dict) -> "E3Result":
        rows = d["rows"]
        Ls = tuple(dict.fromkeys(float(r["L"]) for r in rows))
        gammas = tuple(dict.fromkeys(float(r["gamma"]) for r in rows))
        at = {(float(r["L"]), float(r["gamma"])): r for r in rows}
        res = np.array([[at[(L, g)]["residual"] for g in gammas] for L in Ls], dtype=float)
        st = np.array([[at[(L, g)]["status"] for g in gammas] for L in Ls], dtype=object)
        curves = {(float(c["L"]), float(c["gamma"])):
                  (np.array(c["iteration"]), np.array(c["residual"], dtype=float))
                  for c in d.get("curves", [])}
        return cls(PaperSetting.from_dict(d["setting"]), Ls, gammas, res, st, curves,
                   float(d["elapsed_s"]))


def _curve(r, squared: bool = False, max_points: int = 300):
    """``(iterations, ||A x_k - b||)`` (or its square) of a run, log-thinned."""
    its, f = r.history.objective_iterations, r.history.objective
    keep = _thin(its, max_points)
    val = 2 * f[keep] if squared else np.sqrt(2 * f[keep])
    return its[keep], val


def e3_decay(*, m: int = 20, n: int = 50, s: int = 3, seed: int = 3,
             Ls: Sequence[float] = (2, 3), gammas: Sequence[float] = (0, 0.25, 0.5, 0.75),
             alpha: float = 0.1, eta: float = 0.1, max_iter: int = 200_000,
             tol: float = 0.0,
             progress: Callable[[float], None] | None = None) -> E3Result:
    """E3 (the authors' ``gd_gamma.py``): decaying steps ``eta_t = eta / (t+2)^gamma``.

    Riemannian GD (``form="x"``) from ``u_0 = alpha`` with the authors' decay indexing
    (``decay_offset=2``: ``eta / (k+2)^gamma`` from k = 0, where our default is
    ``(k+1)``), our ``eta / L``, ``T = 2e5``, on :func:`paper_problem`
    ``(20, 50, 3, seed=3)``; all (L, gamma) in one batch.

    Parameters
    ----------
    m, n, s, seed, Ls, gammas, alpha, eta, max_iter :
        As in the paper (eta in the paper's units; max_iter is their T).
    tol : float
        0 (default): all T iterations, as the authors.
    progress : callable, optional

    Returns
    -------
    E3Result
        ``residual[i, j] = ||A x_T - b||`` for ``Ls[i]``, ``gammas[j]``.

    Examples
    --------
    >>> e = e3_decay(Ls=[2], gammas=[0, 0.75], max_iter=1000)
    >>> bool(e.residual[0, 0] < e.residual[0, 1])
    True
    """
    t0 = time.perf_counter()
    p = paper_problem(m, n, s, seed)
    Ls = tuple(float(L) for L in np.atleast_1d(Ls))
    gammas = tuple(float(g) for g in np.atleast_1d(gammas))
    g = grid(L=list(Ls), gamma=list(gammas))
    rs = sweep(p.A, p.b, L=g["L"], alpha=alpha,
               step=[step_from_paper(eta, L) for L in g["L"]], decay=g["gamma"],
               decay_offset=2, form="x", max_iter=max_iter, tol=tol,
               progress=_scaled(progress, 0, 0.99))
    shape = (len(Ls), len(gammas))
    setting = PaperSetting(
        "E3", "step-size decay", "gd_gamma.py", {"m": m, "n": n, "s": s, "seed": seed},
        {"eta": eta, "alpha": alpha, "T": max_iter, "Ls": list(Ls), "gammas": list(gammas),
         "decay": "eta/(t+2)^gamma, t = 0, 1, ...", "riemannian": True},
        {"step": {_num(L): step_from_paper(eta, L) for L in Ls}, "alpha": alpha,
         "decay": list(gammas), "decay_offset": 2, "form": "x", "max_iter": max_iter,
         "tol": tol},
        (*(conversion(eta, L, short=False) for L in Ls),
         "Their decay is eta/(t+2)^gamma from t = 0 where ours is eta/(k+1)^gamma: "
         "decay_offset=2 gives theirs.",
         "residual = ||A x_T - b|| after T iterations (their printout is the record "
         "before the last update, x_{T-1}: the same to about 1e-5 relative, except at "
         "the floating-point floor)."))
    out = E3Result(setting, Ls, gammas, np.array([r.rnorm for r in rs]).reshape(shape),
                   np.array([r.status for r in rs], dtype=object).reshape(shape),
                   {(float(L), float(gm)): _curve(r) for L, gm, r in
                    zip(g["L"], g["gamma"], rs)}, time.perf_counter() - t0)
    _done(progress)
    return out


# --- E4: acceleration ------------------------------------------------------------------

E4_METHODS = ("plain", "nesterov", "mirror")


@dataclass(frozen=True, eq=False)
class E4Result(_Experiment):
    """E4: plain GD, the authors' Nesterov on u and their accelerated mirror descent.

    Attributes
    ----------
    setting : PaperSetting
    objective : dict
        method -> ``||A x_T - b||^2`` at ``k = T`` (the authors' convention: the squared
        residual, without our 1/2; the iterate after T updates, their record index T).
    status : dict
        method -> status.
    curves : dict
        method -> ``(iterations, ||A x_k - b||^2)``, log-spaced.
    elapsed_s : float
    """

    setting: PaperSetting
    objective: dict
    status: dict
    curves: dict
    elapsed_s: float

    def rows(self) -> list[dict]:
        """``{"method": "plain" | "nesterov" | "mirror", "objective", "status"}``.

        Examples
        --------
        >>> e = e4_acceleration(max_iter=100)
        >>> [r["method"] for r in e.rows()]
        ['plain', 'nesterov', 'mirror']
        """
        return [{"method": k, "objective": float(v), "status": str(self.status[k])}
                for k, v in self.objective.items()]

    def to_json(self) -> dict:
        d = super().to_json()
        d["curves"] = [{"method": k, "iteration": its.tolist(), "objective": _jsonable(v)}
                       for k, (its, v) in self.curves.items()]
        return d

    @classmethod
    def from_json(cls, d: dict) -> "E4Result":
        obj = {r["method"]: r["objective"] for r in d["rows"]}
        st = {r["method"]: r["status"] for r in d["rows"]}
        curves = {c["method"]: (np.array(c["iteration"]), np.array(c["objective"], float))
                  for c in d.get("curves", [])}
        return cls(PaperSetting.from_dict(d["setting"]), obj, st, curves,
                   float(d["elapsed_s"]))


def e4_acceleration(*, m: int = 20, n: int = 50, s: int = 3, seed: int = 42,
                    x0: float = 1e-3, eta: float = 1e-2, max_iter: int = 10_000,
                    L: float = 2, restart: bool = False, sign_guard: bool = False,
                    progress: Callable[[float], None] | None = None) -> E4Result:
    """E4 (the authors' ``gd_ode.py``): plain GD, Nesterov on u, accelerated mirror.

    On :func:`paper_problem` ``(20, 50, 3, seed=42)``, all from ``x_0 = 1e-3`` with the
    authors' ``eta = 1e-2``:

    * "plain": GD on u (``form="u"``, their ``gd(..., riemannian=False)``), our step
      ``eta / L``;
    * "nesterov": their Nesterov on u (``accel="nesterov_paper"``: gradient at the
      extrapolated point, ``k/(k+3)`` momentum, no restart, no sign guard), our step
      ``eta / L``;
    * "mirror": their accelerated mirror descent (``accel="mirror_paper"``, x mixed with
      ``exp(zeta)`` before the gradient), our step ``eta / L^2``.

    Parameters
    ----------
    m, n, s, seed : the data.
    x0 : float
        The starting point ``x_0`` (every method; ours ``alpha = x0^(1/L)``).
    eta : float
        The step in the paper's units.
    max_iter : int
        ``T`` (1e4; their script runs 18000 and the paper reads k = 1e4).
    L : float
        2 in the paper.
    restart, sign_guard : bool
        The options of the "_paper" schedules (off, as in the paper).
    progress : callable, optional

    Returns
    -------
    E4Result
        ``objective[method] = ||A x_T - b||^2``.

    Examples
    --------
    >>> e = e4_acceleration(max_iter=2000)
    >>> bool(e.objective["nesterov"] < e.objective["plain"])
    True
    """
    t0 = time.perf_counter()
    p = paper_problem(m, n, s, seed)
    alpha = float(x0) ** (1 / L)
    steps = {"plain": step_from_paper(eta, L, "gd"),
             "nesterov": step_from_paper(eta, L, "nesterov"),
             "mirror": step_from_paper(eta, L, "mirror")}
    kw = {"plain": dict(form="u"),
          "nesterov": dict(accel="nesterov_paper", restart=restart, sign_guard=sign_guard),
          "mirror": dict(accel="mirror_paper", restart=restart)}
    runs = {}
    for i, meth in enumerate(E4_METHODS):
        runs[meth] = hadamard(p.A, p.b, L=L, alpha=alpha, step=steps[meth],
                              max_iter=max_iter, tol=0.0, **kw[meth])
        if progress is not None:
            progress((i + 1) / len(E4_METHODS))
    setting = PaperSetting(
        "E4", "acceleration: plain GD, Nesterov on u, accelerated mirror descent",
        "gd_ode.py", {"m": m, "n": n, "s": s, "seed": seed},
        {"eta": eta, "x0": x0, "T": max_iter, "L": L,
         "nesterov": "gd_2layers_nesterov(A, b, sqrt(x0), eta, T, restart=False)",
         "mirror": "gd_2layers_nesterov_mirror(A, b, x0, eta, T)",
         "plain": "gd(A, b, sqrt(x0), eta, T, L=2, riemannian=False)"},
        {"step": steps, "alpha": alpha, "max_iter": max_iter,
         "accel": {"plain": None, "nesterov": "nesterov_paper", "mirror": "mirror_paper"},
         "form": {"plain": "u", "nesterov": "u", "mirror": "x"}, "restart": restart,
         "sign_guard": sign_guard},
        (conversion(eta, L, "gd", short=False), conversion(eta, L, "nesterov", short=False),
         conversion(eta, L, "mirror", short=False),
         f"Every method starts at x_0 = {x0:g} (ours alpha = x0^(1/L) = {alpha:.4g}).",
         "objective = ||A x_T - b||^2 (the authors' convention: squared residual, without "
         "the 1/2 of our objective) after T updates, their record index T.",
         "The authors' script has no plain-GD run in E4; 'plain' is their gd on u "
         "(riemannian=False) with the same x_0 and eta."))
    out = E4Result(setting, {k: 2 * r.objective for k, r in runs.items()},
                   {k: r.status for k, r in runs.items()},
                   {k: _curve(r, squared=True) for k, r in runs.items()},
                   time.perf_counter() - t0)
    _done(progress)
    return out


# --- E5 / E6: classical solvers ---------------------------------------------------------

#: The authors' alphas (x_0) for underdetermined comparisons (``solver_interfaces.py``).
AUTHORS_SPARSE_ALPHAS = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2)

#: Methods of E5 / E6: label -> what runs.
SOLVER_METHODS = {
    "lawson_hanson": "scipy.optimize.nnls (active set)",
    "projected_gradient": "projected gradient, step eta",
    "fista": "FISTA with restart, step eta",
    "gd": "Hadamard GD, Riemannian x-form, step eta/L",
    "gd_bb": "Hadamard GD with Barzilai-Borwein steps (x-form)",
    "nesterov": "the authors' Nesterov on u (nesterov_paper), step eta/L",
    "mirror": "the authors' accelerated mirror descent (mirror_paper, L = 2), step eta/4",
}


#: The reparametrized methods among :data:`SOLVER_METHODS`.
REPARAMETRIZED = ("gd", "gd_bb", "nesterov", "mirror")


def _solve_one(method, p, *, L, x0, eta, max_iter, tol):
    """One run of a comparison method: ``(x, seconds, n_iter, status)``."""
    A, b = p.A, p.b
    if method == "lawson_hanson":
        r = lawson_hanson(A, b)
    elif method == "projected_gradient":
        r = projected_gradient(A, b, step=eta, max_iter=max_iter, tol=tol)
    elif method == "fista":
        r = fista(A, b, step=eta, max_iter=max_iter, tol=tol)
    else:
        alpha = x0 ** (1 / L)
        if method == "gd":
            kw = dict(step=step_from_paper(eta, L), form="x")
        elif method == "gd_bb":
            kw = dict(step="bb", form="x")
        elif method == "nesterov":
            kw = dict(step=step_from_paper(eta, L, "nesterov"), accel="nesterov_paper")
        elif method == "mirror":
            kw = dict(step=step_from_paper(eta, L, "mirror"), accel="mirror_paper")
        else:
            raise ValueError(f"unknown method {method!r}; choose from {list(SOLVER_METHODS)}")
        r = hadamard(A, b, L=L, alpha=alpha, max_iter=max_iter, tol=tol, **kw)
    return r.x, r.time_s, r.n_iter, r.status


def _configs(methods, Ls, alphas):
    """(method, L, x0) triples: the direct and projected methods once (L, x0 None)."""
    out = []
    for meth in methods:
        if meth not in SOLVER_METHODS:
            raise ValueError(f"unknown method {meth!r}; choose from {list(SOLVER_METHODS)}")
        if meth in ("lawson_hanson", "projected_gradient", "fista"):
            out.append((meth, None, None))
        else:
            for L in ([2.0] if meth == "mirror" else Ls):
                out += [(meth, L, a) for a in alphas]
    return out


def _stats(p, x, t, n_it, status):
    r = p.A @ x - p.b
    nt = np.linalg.norm(p.x_true)
    return {"l1_ratio": float(np.abs(x).sum() / np.abs(p.x_true).sum()),
            "residual": float(np.linalg.norm(r)),
            "error": float(np.linalg.norm(x - p.x_true) / (nt if nt > 0 else 1.0)),
            "time_s": float(t), "n_iter": int(n_it), "converged": status == "converged",
            "status": str(status)}


def _mean_rows(table: dict, extra) -> list[dict]:
    out = []
    for key, runs in table.items():
        row = dict(extra(key))
        for name in ("l1_ratio", "residual", "error", "time_s", "n_iter"):
            row[name] = float(np.mean([r[name] for r in runs]))
        row["converged"] = float(np.mean([r["converged"] for r in runs]))
        statuses = [r["status"] for r in runs]
        row["statuses"] = {k: statuses.count(k) for k in sorted(set(statuses))}
        row["reps"] = len(runs)
        out.append(row)
    return out


@dataclass(frozen=True, eq=False)
class E5Result(_Experiment):
    """E5: classical solvers against the reparametrized ones on sparse recovery.

    Attributes
    ----------
    setting : PaperSetting
    table : list of dict
        One row per (method, L, x0), means over the repetitions: ``l1_ratio``
        (``||x||_1 / ||x_true||_1``), ``residual`` (``||Ax - b||``, the authors'
        "err"), ``error`` (``||x - x_true|| / ||x_true||``), ``time_s``, ``n_iter`` and
        ``converged`` (the fraction of runs whose stopping test held), ``statuses``
        (status -> count, e.g. ``{"diverged": 3}``) and ``reps``.
    elapsed_s : float
    """

    setting: PaperSetting
    table: list
    elapsed_s: float

    def rows(self) -> list[dict]:
        """The table (see the class).

        Examples
        --------
        >>> e = e5_comparison(m=20, n=50, s=3, reps=1, methods=["lawson_hanson", "gd"],
        ...                   Ls=[2], max_iter=200)
        >>> [(r["method"], r["L"]) for r in e.rows()]
        [('lawson_hanson', None), ('gd', 2)]
        """
        return list(self.table)

    def summary(self, tol: float = 1e-6) -> list[str]:
        """Where each method wins, in sentences (``tol``: the relative residual
        ``||Ax - b|| / ||b||`` below which a run counts as solved)."""
        return _wins(self.table, self.setting.data, tol)


def _label(row) -> str:
    if row.get("L") is None:
        return row["method"]
    return f"{row['method']} (L = {row['L']}, x0 = {row['x0']:g})"


def _wins(table, data, tol) -> list[str]:
    scale = data.get("b_norm", 1.0) or 1.0
    solved = [r for r in table if r["residual"] / scale <= tol]
    ours = [r for r in solved if r["method"] in REPARAMETRIZED]
    out = []
    if solved:
        fast = min(solved, key=lambda r: r["time_s"])
        out.append(f"fastest to a relative residual <= {tol:g}: {_label(fast)} "
                   f"({fast['time_s']:.3g} s)")
        best = min(solved, key=lambda r: r["error"])
        out.append(f"closest to x_true among those: {_label(best)} "
                   f"(relative error {best['error']:.2g})")
        sparse = min(solved, key=lambda r: r["l1_ratio"])
        out.append(f"smallest l1 norm among those: {_label(sparse)} "
                   f"(l1 ratio {sparse['l1_ratio']:.4f})")
    else:
        out.append(f"no method reached a relative residual <= {tol:g}")
    if ours:
        fast = min(ours, key=lambda r: r["time_s"])
        out.append(f"fastest reparametrized method: {_label(fast)} "
                   f"({fast['time_s']:.3g} s, relative error {fast['error']:.2g})")
    unsolved = [f"{_label(r)} [{', '.join(f'{k} x{v}' for k, v in r['statuses'].items())}]"
                for r in table if r["residual"] / scale > tol]
    if unsolved:
        out.append("not solved within the budget: " + "; ".join(unsolved))
    return out


def e5_comparison(*, m: int = 200, n: int = 500, s: int = 25, seed: int = 3,
                  reps: int = 3, methods: Sequence[str] = tuple(SOLVER_METHODS),
                  Ls: Sequence[float] = (2, 3), alphas: Sequence[float] = (1e-3,),
                  eta: float = 0.1, max_iter: int = 10_000, tol: float = 1e-10,
                  progress: Callable[[float], None] | None = None) -> E5Result:
    """E5 (the authors' ``test_sparsity.py``): classical solvers against ours.

    ``reps`` problems :func:`paper_problems` ``(200, 500, 25, seed=3)`` (one stream, as
    the authors); for each method the mean ``||x||_1 / ||x_true||_1``, ``||Ax - b||``,
    ``||x - x_true|| / ||x_true||``, time and iterations. Iterative methods stop at
    ``max_iter`` (their T = 1e4) or when the relative optimality residual is at most
    ``tol``; every run is timed on its own (no batching), one BLAS thread.

    Parameters
    ----------
    m, n, s, seed, reps : the data (the authors: 200, 500, 25, seed 3, 3 repetitions).
    methods : sequence of str
        Keys of :data:`SOLVER_METHODS`.
    Ls : the exponents of the reparametrized methods (mirror: L = 2 only).
    alphas : sequence of float
        ``x_0`` of the reparametrized methods (ours ``alpha = x0^(1/L)``); the authors
        sweep :data:`AUTHORS_SPARSE_ALPHAS`.
    eta : float
        Their step (0.1), converted per method (:data:`SOLVER_METHODS`).
    max_iter, tol : the budget.
    progress : callable, optional

    Examples
    --------
    >>> e = e5_comparison(m=20, n=50, s=3, reps=1, methods=["lawson_hanson"])
    >>> e.rows()[0]["method"], e.rows()[0]["residual"] < 1e-10
    ('lawson_hanson', True)
    """
    t0 = time.perf_counter()
    reps = check_int(reps, "reps", minimum=1)
    probs = paper_problems(m, n, s, seed, reps)
    Ls = tuple(float(L) for L in np.atleast_1d(Ls))
    alphas = tuple(float(a) for a in np.atleast_1d(alphas))
    configs = _configs(methods, Ls, alphas)
    table: dict = {c: [] for c in configs}
    total, done = len(configs) * reps, 0
    for p in probs:
        for c in configs:
            meth, L, a = c
            table[c].append(_stats(p, *_solve_one(meth, p, L=L, x0=a, eta=eta,
                                                  max_iter=max_iter, tol=tol)))
            done += 1
            if progress is not None:
                progress(done / total)
    rows = _mean_rows(table, lambda c: {"method": c[0], "L": None if c[1] is None
                                        else _num(c[1]), "x0": c[2]})
    setting = PaperSetting(
        "E5", "comparison with classical NNLS solvers", "test_sparsity.py",
        {"m": m, "n": n, "s": s, "seed": seed, "reps": reps,
         "b_norm": float(np.mean([np.linalg.norm(p.b) for p in probs]))},
        {"eta": eta, "T": max_iter, "alphas (x0)": list(alphas), "Ls": list(Ls)},
        {"methods": {k: SOLVER_METHODS[k] for k in methods}, "max_iter": max_iter,
         "tol": tol},
        (conversion(eta, 2, "gd", short=False),
         "Projected gradient and FISTA use eta as it is (the same gradient "
         "A^T(Ax - b)); they start from 0 where the authors start from x0.",
         "The authors' table averages 3 repetitions of their solvers (CVXPY, TNT-NN "
         "are not run here); their mirror run starts at sqrt(x0), ours at x0."))
    _done(progress)
    return E5Result(setting, rows, time.perf_counter() - t0)


@dataclass(frozen=True, eq=False)
class E6Result(_Experiment):
    """E6: time against n on square problems (m = n = s).

    Attributes
    ----------
    setting : PaperSetting
    table : list of dict
        One row per (method, n), means over the repetitions: ``time_s``,
        ``residual``, ``error``, ``l1_ratio``, ``n_iter``, ``converged``, ``statuses``,
        ``reps``.
    elapsed_s : float
    """

    setting: PaperSetting
    table: list
    elapsed_s: float

    def rows(self) -> list[dict]:
        """The table (see the class).

        Examples
        --------
        >>> e = e6_scaling(sizes=[20], reps=1, methods=["lawson_hanson", "fista"],
        ...                max_iter=100)
        >>> [(r["method"], r["n"]) for r in e.rows()]
        [('lawson_hanson', 20), ('fista', 20)]
        """
        return list(self.table)

    def summary(self, tol: float = 1e-6) -> list[str]:
        """Per n, the fastest method that reached ``||Ax - b|| / ||b|| <= tol``."""
        out = []
        for n in self.setting.data["sizes"]:
            sub = [r for r in self.table if r["n"] == n]
            scale = self.setting.data["b_norm"][str(n)] if isinstance(
                self.setting.data["b_norm"], dict) else 1.0
            ok = [r for r in sub if r["residual"] / scale <= tol]
            if ok:
                best = min(ok, key=lambda r: r["time_s"])
                out.append(f"n = {n}: fastest to a relative residual <= {tol:g}: "
                           f"{best['method']} ({best['time_s']:.3g} s)")
            else:
                out.append(f"n = {n}: no method reached a relative residual <= {tol:g}")
            ours = [r for r in sub if r["method"] in REPARAMETRIZED]
            if ours:
                best = min(ours, key=lambda r: r["residual"])
                out.append(f"n = {n}: smallest residual of the reparametrized methods: "
                           f"{best['method']} ({best['residual'] / scale:.2g} relative, "
                           f"{best['time_s']:.3g} s, {best['n_iter']:.0f} iterations)")
        return out


def e6_scaling(*, sizes: Sequence[int] = (50, 100, 200), seed: int = 2, reps: int = 2,
               methods: Sequence[str] = tuple(SOLVER_METHODS), x0: float = 1e-2,
               eta: float = 0.1, max_iter: int = 10_000, tol: float = 1e-10,
               progress: Callable[[float], None] | None = None) -> E6Result:
    """E6 (the authors' ``timing_algs.py``): time scaling on square problems.

    For each n in ``sizes``, ``reps`` problems with ``m = n = s`` (dense ``x_true``)
    from one legacy stream seeded once with ``seed`` (the authors' script does not seed
    this experiment); L = 2, ``x_0 = 1e-2``, their ``eta = 0.1``, ``T = 1e4``. The
    authors go up to n = 4000; the default stops at 200 to stay quick.

    Parameters
    ----------
    sizes : sequence of int
    seed, reps, methods, x0, eta, max_iter, tol, progress :
        As in :func:`e5_comparison` (one ``x0``; L = 2).

    Examples
    --------
    >>> e = e6_scaling(sizes=[20, 40], reps=1, methods=["lawson_hanson"])
    >>> [r["n"] for r in e.rows()]
    [20, 40]
    """
    t0 = time.perf_counter()
    sizes = [check_int(v, "size", minimum=1) for v in np.atleast_1d(sizes)]
    reps = check_int(reps, "reps", minimum=1)
    rs = np.random.RandomState(check_int(seed, "seed", minimum=0))
    configs = _configs(methods, (2.0,), (float(x0),))
    table: dict = {}
    b_norm = {}
    total, done = len(sizes) * reps * len(configs), 0
    for n in sizes:
        norms = []
        for j in range(reps):
            A, x, b = _draw(rs, n, n, n)
            p = Problem(A, b, x, f"data as in the paper (seed {seed}): {n}x{n}, s={n}")
            norms.append(float(np.linalg.norm(b)))
            for c in configs:
                meth, L, a = c
                table.setdefault((meth, n), []).append(
                    _stats(p, *_solve_one(meth, p, L=L or 2.0, x0=a or x0, eta=eta,
                                          max_iter=max_iter, tol=tol)))
                done += 1
                if progress is not None:
                    progress(done / total)
        b_norm[str(n)] = float(np.mean(norms))
    rows = _mean_rows(table, lambda c: {"method": c[0], "n": c[1]})
    setting = PaperSetting(
        "E6", "time against n on square problems", "timing_algs.py",
        {"sizes": sizes, "seed": seed, "reps": reps, "m = n = s": True, "b_norm": b_norm},
        {"eta": eta, "T": max_iter, "x0": x0, "L": 2},
        {"methods": {k: SOLVER_METHODS[k] for k in methods}, "max_iter": max_iter,
         "tol": tol},
        (conversion(eta, 2, "gd", short=False),
         "The authors' square_dim_scaling draws without seeding; here one stream seeded "
         f"with {seed} draws the sizes in order.",
         "Their 'GD' on square problems runs the u-form; ours the x-form (first-order "
         "equal)."))
    _done(progress)
    return E6Result(setting, rows, time.perf_counter() - t0)


# --- registry and shipped results ------------------------------------------------------

#: name -> the function computing it.
EXPERIMENTS = {"E1": e1_implicit_bias, "E2": e2_trajectories, "E3": e3_decay,
               "E4": e4_acceleration, "E5": e5_comparison, "E6": e6_scaling}

#: The shipped files (``bench/paper_assets.py``), by experiment.
SHIPPED = {"E1": "E1.json", "E2": "E2.npz", "E3": "E3.json", "E4": "E4.json"}


def run(name: str, *, progress: Callable[[float], None] | None = None, **overrides):
    """Compute experiment ``name`` ("E1" ... "E6") with its paper settings (or
    ``overrides``); for the CLI and the pages.

    Examples
    --------
    >>> run("E4", max_iter=10).rows()[0]["method"]
    'plain'
    >>> run("E7")
    Traceback (most recent call last):
    ...
    ValueError: unknown experiment 'E7'; choose one of ['E1', 'E2', 'E3', 'E4', 'E5', 'E6']
    """
    key = str(name).upper()
    if key not in EXPERIMENTS:
        raise ValueError(f"unknown experiment {name!r}; choose one of {list(EXPERIMENTS)}")
    return EXPERIMENTS[key](progress=progress, **overrides)


def load_shipped(name: str, directory: str | Path | None = None):
    """The shipped result of experiment ``name`` (E1-E4), computed once at full size by
    ``bench/paper_assets.py``; no computation.

    Raises
    ------
    FileNotFoundError
        When the file is not there (run ``python bench/paper_assets.py``).

    Examples
    --------
    >>> e = load_shipped("E1")
    >>> e.rows()[0]["L"], e.rows()[0]["alpha"], round(e.rows()[0]["l1"], 4)
    (2, 0.001, 1.2422)
    """
    key = str(name).upper()
    if key not in SHIPPED:
        raise ValueError(f"no shipped result for {name!r}; shipped: {list(SHIPPED)}")
    path = Path(directory or ASSETS) / SHIPPED[key]
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `python bench/paper_assets.py`")
    if key == "E2":
        return E2Result.from_npz(path)
    d = json.loads(path.read_text())
    return {"E1": E1Result, "E3": E3Result, "E4": E4Result}[key].from_json(d)


def save(result, directory: str | Path | None = None) -> Path:
    """Write a result of E1-E4 where :func:`load_shipped` reads it; returns the path."""
    key = result.setting.experiment
    path = Path(directory or ASSETS) / SHIPPED[key]
    path.parent.mkdir(parents=True, exist_ok=True)
    if key == "E2":
        path.write_bytes(result.to_npz())
    else:
        path.write_text(json.dumps(result.to_json(), indent=1) + "\n")
    return path
