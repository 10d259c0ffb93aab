"""The paper's experiments (Chou et al., AISTATS 2025), built on the batched engine.

:func:`implicit_bias` (E1: l1 of the limit against alpha), :func:`phase_transition` and
:func:`perturbation_stability` (recovery), :func:`decay_rates` (E3: step-size decay),
:func:`acceleration` (E4: plain GD, Nesterov, accelerated mirror descent and the flows).
References (LP, Lawson-Hanson, safe steps, norms) come from :mod:`nnls_core.references`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ._hadamard import hadamard
from ._validation import as_float_array, check_int, check_positive
from .flows import accelerated_flow, gradient_flow
from .problems import sparse_problem
from .references import min_l1, nnls_solution, safe_step, spectral_norm
from .sweep import grid, sweep

__all__ = ["implicit_bias", "phase_transition", "perturbation_stability", "decay_rates",
           "acceleration", "accel_time_step", "ImplicitBias", "PhaseTransition",
           "Perturbation", "SUCCESS_TOL", "PT_METHODS", "recovery", "save_recovery", "RECOVERY_DEFAULT",
           "load_recovery"]

#: Relative error ``||x - x_true|| / ||x_true||`` below which a recovery counts as a success.
SUCCESS_TOL = 1e-2


def _tick(progress, done: int, total: int) -> None:
    if progress is not None:
        progress(min(1.0, done / max(total, 1)))


def _scaled(progress, lo: float, hi: float):
    """A progress callback mapping [0, 1] onto [lo, hi] of an outer callback."""
    if progress is None:
        return None
    return lambda frac: progress(lo + (hi - lo) * frac)


@dataclass(frozen=True, eq=False)
class ImplicitBias:
    """l1 norm of the limit against alpha, for several L (see :func:`implicit_bias`).

    Attributes
    ----------
    alphas : ndarray (a,)
    Ls : tuple of float
    results : list of list of Result
        ``results[i][j]``: exponent ``Ls[i]``, scale ``alphas[j]``.
    l1, distance : ndarray (len(Ls), a)
        ``||x||_1`` of the limit and ``||x - x_l1||_2`` to the minimum-l1 solution.
    converged : ndarray of bool (len(Ls), a)
    x_l1, x_lh : ndarray (n,)
        Minimum-l1 non-negative solution (LP) and Lawson-Hanson's solution.
    l1_lp, l1_lh : float
    l1_true : float or None
    steps : dict
        L -> the fixed step used (empty for "bb").
    """

    alphas: np.ndarray
    Ls: tuple
    results: list
    l1: np.ndarray
    distance: np.ndarray
    converged: np.ndarray
    x_l1: np.ndarray
    x_lh: np.ndarray
    l1_lp: float
    l1_lh: float
    l1_true: float | None
    steps: dict


def implicit_bias(A, b, *, alphas: Sequence[float], Ls: Sequence[float] = (2, 3),
                  x_true=None, step: str = "bb", step_scale: float = 1.0,
                  max_iter: int = 100_000, tol: float = 1e-6,
                  progress: Callable[[float], None] | None = None) -> ImplicitBias:
    """Limits of Hadamard GD over an alpha grid and several L, with the l1 references.

    Parameters
    ----------
    A, b : the problem (underdetermined, ``A x = b`` feasible with ``x >= 0``).
    alphas, Ls : the grid.
    x_true : ndarray, optional
        Ground truth, for the reference ``||x_true||_1``.
    step : {"bb", "fixed"}
        "bb": Barzilai-Borwein steps; "fixed": the fixed step
        ``step_scale * safe_step(||A||_2, L, x_max)`` (the paper's plain GD), where
        ``x_max`` is the largest entry of the LP and Lawson-Hanson solutions. Either way
        all runs go in one batch (:func:`nnls_core.sweep.sweep`).
    max_iter, tol : as in :func:`nnls_core.hadamard`.
    progress : callable, optional
        ``progress(done_fraction)``.

    Examples
    --------
    >>> import nnls_core as nc
    >>> p = nc.sparse_problem(10, 50, 3, seed=0)
    >>> ib = implicit_bias(p.A, p.b, alphas=[1e-3, 1e-1], Ls=[2])
    >>> bool(ib.l1[0, 0] < ib.l1[0, 1])
    True
    """
    A = as_float_array(A, "A", 2)
    b = as_float_array(b, "b", 1)
    alphas = np.array([check_positive(a, "alpha") for a in np.atleast_1d(alphas)])
    Ls = tuple(check_positive(L, "L") for L in np.atleast_1d(Ls))
    if not alphas.size or not Ls:
        raise ValueError("alphas and Ls must not be empty")
    if step not in ("bb", "fixed"):
        raise ValueError(f"step must be 'bb' or 'fixed', got {step!r}")
    x_l1, msg, _ = min_l1(A, b)
    if x_l1 is None:
        raise ValueError("A x = b has no non-negative solution, so there is no "
                         f"minimum-l1 reference (noisy or overdetermined?): {msg}")
    x_lh = nnls_solution(A, b)
    steps: dict = {}
    g = grid(L=list(Ls), alpha=alphas)
    if step == "fixed":
        norm = spectral_norm(A)
        x_max = max(float(x_l1.max()), float(x_lh.max()))
        steps = {L: step_scale * safe_step(norm, L, x_max) for L in Ls}
    flat = sweep(A, b, L=g["L"], alpha=g["alpha"],
                 step=[steps[L] for L in g["L"]] if steps else "bb",
                 max_iter=max_iter, tol=tol, progress=progress)
    results = [flat[i * alphas.size:(i + 1) * alphas.size] for i in range(len(Ls))]
    l1 = np.array([[r.x.sum() for r in row] for row in results])
    dist = np.array([[np.linalg.norm(r.x - x_l1) for r in row] for row in results])
    conv = np.array([[r.status == "converged" for r in row] for row in results])
    return ImplicitBias(alphas, Ls, results, l1, dist, conv, x_l1, x_lh, float(x_l1.sum()),
                        float(x_lh.sum()),
                        None if x_true is None else float(np.abs(x_true).sum()), steps)


@dataclass(frozen=True, eq=False)
class PhaseTransition:
    """Success probability of recovering ``x_true`` on a grid of m/n and s/m.

    Attributes
    ----------
    deltas, rhos : ndarray
        The grid: ``delta = m / n`` (rows) and ``rho = s / m`` (columns).
    ms, ss : ndarray of int, shape (len(deltas),) and (len(deltas), len(rhos))
    success : dict
        Method -> ndarray (len(deltas), len(rhos)) of success fractions in [0, 1].
    error : dict
        Method -> ndarray (len(deltas), len(rhos)) of median relative errors.
    not_converged : dict
        Method -> ndarray of int (len(deltas), len(rhos)): runs of the cell that did not
        converge (Hadamard GD: status other than "converged"; l1-min: the LP returned no
        solution; Lawson-Hanson: it hit its iteration cap). Such runs count as failures.
    trials : int
    n : int
    time_s : dict
        Method -> seconds spent.
    step : str
        "fixed" or the adaptive step kind of Hadamard GD.
    """

    deltas: np.ndarray
    rhos: np.ndarray
    ms: np.ndarray
    ss: np.ndarray
    success: dict
    error: dict
    not_converged: dict
    trials: int
    n: int
    time_s: dict
    step: str = "fixed"

    def not_converged_fraction(self, method: str) -> float:
        """Fraction of all runs of ``method`` that did not converge.

        Examples
        --------
        >>> pt = phase_transition(20, [1.0], [0.1], trials=2, methods=["l1_min"])
        >>> pt.not_converged_fraction("l1_min")
        0.0
        """
        return float(self.not_converged[method].sum()) / (self.not_converged[method].size
                                                          * self.trials)


PT_METHODS = ("hadamard", "lawson_hanson", "l1_min")


def phase_transition(n: int, deltas: Sequence[float], rhos: Sequence[float], *,
                     trials: int = 5, methods: Sequence[str] = PT_METHODS, L: float = 2,
                     alpha: float = 1e-3, step: str = "fixed", step_scale: float = 1.5,
                     max_iter: int = 20_000, tol: float = 1e-5, seed: int = 0,
                     progress: Callable[[float], None] | None = None) -> PhaseTransition:
    """Donoho-Tanner style phase transition for Hadamard GD, Lawson-Hanson and l1-min.

    For each ``delta = m/n`` and ``rho = s/m``, ``trials`` problems
    ``sparse_problem(m, n, s)`` (noiseless); a trial succeeds when
    ``||x - x_true||_2 / ||x_true||_2 < SUCCESS_TOL`` (1e-2). Hadamard GD runs batched on
    the stack of all problems with the same m (:func:`sweep`); the direct solvers run one
    by one.

    Parameters
    ----------
    step : str
        "fixed": per problem ``step_scale * safe_step(||A||_2, L, max x_LH)``, i.e. 3/4
        of the edge of the stability region by default; or an adaptive step kind of
        :func:`nnls_core.sweep.sweep` ("bb", "auto"), batched in the same way.

    Examples
    --------
    >>> pt = phase_transition(40, [0.8], [0.1], trials=2, methods=["l1_min"])
    >>> pt.success["l1_min"].tolist(), pt.not_converged["l1_min"].tolist()
    ([[1.0]], [[0]])
    >>> pt = phase_transition(20, [1.0], [0.1], trials=2, methods=["hadamard"], step="bb")
    >>> pt.success["hadamard"].tolist(), pt.not_converged["hadamard"].tolist()
    ([[1.0]], [[0]])
    """
    n = check_int(n, "n", minimum=2)
    trials = check_int(trials, "trials", minimum=1)
    deltas = np.array([check_positive(d, "delta") for d in np.atleast_1d(deltas)])
    rhos = np.array([check_positive(r, "rho") for r in np.atleast_1d(rhos)])
    bad = [mth for mth in methods if mth not in PT_METHODS]
    if bad or not len(methods):
        raise ValueError(f"methods must be a non-empty subset of {PT_METHODS}, got {methods}")
    if not isinstance(step, str):
        raise ValueError(f"step must be 'fixed' or an adaptive kind such as 'bb', got {step!r}")
    ms = np.clip(np.round(deltas * n).astype(int), 1, None)
    ss = np.clip(np.round(rhos[None, :] * ms[:, None]).astype(int), 1, n)
    shape = (deltas.size, rhos.size)
    success = {mth: np.zeros(shape) for mth in methods}
    error = {mth: np.zeros(shape) for mth in methods}
    not_conv = {mth: np.zeros(shape, dtype=int) for mth in methods}
    spent = {mth: 0.0 for mth in methods}
    total = deltas.size
    for i, m in enumerate(ms):
        probs = [sparse_problem(int(m), n, int(ss[i, j]), seed=seed + 1_000_003 * i
                                + 10_007 * j + t)
                 for j in range(rhos.size) for t in range(trials)]
        xs: dict = {}
        failed: dict = {}
        x_lh: list = []
        if "lawson_hanson" in methods or step == "fixed":
            t0 = time.perf_counter()
            for p in probs:
                try:
                    x_lh.append(nnls_solution(p.A, p.b))
                except RuntimeError:  # the active-set method hit its iteration cap
                    x_lh.append(None)
            if "lawson_hanson" in methods:
                xs["lawson_hanson"] = [np.zeros(n) if x is None else x for x in x_lh]
                failed["lawson_hanson"] = [x is None for x in x_lh]
                spent["lawson_hanson"] += time.perf_counter() - t0
        if "l1_min" in methods:
            t0 = time.perf_counter()
            out = [min_l1(p.A, p.b)[0] for p in probs]
            xs["l1_min"] = [np.zeros(n) if x is None else x for x in out]
            failed["l1_min"] = [x is None for x in out]
            spent["l1_min"] += time.perf_counter() - t0
        if "hadamard" in methods:
            t0 = time.perf_counter()
            A = np.stack([p.A for p in probs])
            b = np.stack([p.b for p in probs])
            steps = step if step != "fixed" else [
                step_scale * safe_step(spectral_norm(p.A), L,
                                       1e-3 if x is None else max(float(x.max()), 1e-3))
                for p, x in zip(probs, x_lh)]
            rs = sweep(A, b, L=L, alpha=alpha, step=steps, max_iter=max_iter, tol=tol,
                       record=False, progress=_scaled(progress, i / total, (i + 1) / total))
            xs["hadamard"] = [r.x for r in rs]
            failed["hadamard"] = [r.status != "converged" for r in rs]
            spent["hadamard"] += time.perf_counter() - t0
        for mth, sol in xs.items():
            err = np.array([np.linalg.norm(x - p.x_true) / np.linalg.norm(p.x_true)
                            for x, p in zip(sol, probs)]).reshape(rhos.size, trials)
            success[mth][i] = np.mean(err < SUCCESS_TOL, axis=1)
            error[mth][i] = np.median(err, axis=1)
            not_conv[mth][i] = np.reshape(failed[mth], (rhos.size, trials)).sum(axis=1)
        _tick(progress, i + 1, total)
    return PhaseTransition(deltas, rhos, ms, ss, success, error, not_conv, trials, n, spent,
                           step)


@dataclass(frozen=True, eq=False)
class Perturbation:
    """Recovery error against the size of a negative perturbation of ``x_true``.

    Attributes
    ----------
    sizes : ndarray
        ``||d||_2`` of the perturbation (``b = A (x_true - d)``, d >= 0 off the support).
    error : dict
        Method -> ndarray (len(sizes), trials) of ``||x - x_true||_2`` (NaN where the
        method had no answer, e.g. an infeasible LP).
    failures : dict
        Method -> number of (size, trial) pairs without an answer.
    """

    sizes: np.ndarray
    error: dict
    failures: dict


def perturbation_stability(m: int, n: int, s: int, sizes: Sequence[float], *,
                           trials: int = 5, L: float = 2, alpha: float = 1e-3,
                           step: str = "fixed", max_iter: int = 20_000, tol: float = 1e-6,
                           seed: int = 0,
                           methods: Sequence[str] = PT_METHODS,
                           progress: Callable[[float], None] | None = None) -> Perturbation:
    """Error ``||x - x_true||`` when ``b = A (x_true - d)`` with ``d >= 0``, ``||d|| = size``.

    The same seed gives the same A, x_true and direction of d for every size, so each
    trial is one :func:`sweep` over the sizes with a shared A. ``step``: "fixed" (the
    safe step of each right-hand side's Lawson-Hanson solution) or an adaptive kind of
    :func:`sweep` ("bb", "auto").

    Examples
    --------
    >>> pe = perturbation_stability(20, 50, 3, [0.0, 0.1], trials=1, methods=["l1_min"])
    >>> bool(pe.error["l1_min"][0, 0] < 1e-6 < pe.error["l1_min"][1, 0])
    True
    """
    sizes = np.array([check_positive(v, "size", allow_zero=True) for v in np.atleast_1d(sizes)])
    trials = check_int(trials, "trials", minimum=1)
    bad = [mth for mth in methods if mth not in PT_METHODS]
    if bad or not len(methods):
        raise ValueError(f"methods must be a non-empty subset of {PT_METHODS}, got {methods}")
    error = {mth: np.full((sizes.size, trials), np.nan) for mth in methods}
    for t in range(trials):
        probs = [sparse_problem(m, n, s, negative_perturbation=v, seed=seed + t)
                 for v in sizes]
        A, x_true = probs[0].A, probs[0].x_true
        bs = np.stack([p.b for p in probs])
        x_lh = [nnls_solution(A, bb) for bb in bs]
        for k, bb in enumerate(bs):
            if "lawson_hanson" in methods:
                error["lawson_hanson"][k, t] = np.linalg.norm(x_lh[k] - x_true)
            if "l1_min" in methods:
                x = min_l1(A, bb)[0]
                if x is not None:
                    error["l1_min"][k, t] = np.linalg.norm(x - x_true)
        if "hadamard" in methods:
            norm = spectral_norm(A)
            steps = step if step != "fixed" else [
                safe_step(norm, L, max(float(x.max()), 1e-3)) for x in x_lh]
            rs = sweep(A, bs, L=L, alpha=alpha, step=steps, max_iter=max_iter, tol=tol,
                       record=False, progress=_scaled(progress, t / trials, (t + 1) / trials))
            error["hadamard"][:, t] = [np.linalg.norm(r.x - x_true) for r in rs]
        _tick(progress, t + 1, trials)
    failures = {mth: int(np.isnan(e).sum()) for mth, e in error.items()}
    return Perturbation(sizes, error, failures)


#: The Recovery page's default: converged runs (Barzilai-Borwein steps, 50,000 iterations)
#: at small alpha; shipped in assets/paper/recovery.json by bench/paper_assets.py.
RECOVERY_DEFAULT = dict(n=30, cells=6, trials=5, methods=list(PT_METHODS), L=2, alpha=1e-4,
                        step="bb", max_iter=50_000, perturb_m=20, perturb_s=3,
                        perturb_trials=3)


def recovery(n: int, cells: int, trials: int, *, methods: Sequence[str] = PT_METHODS,
             L: float = 2, alpha: float = 1e-3, step: str = "bb", max_iter: int = 50_000,
             perturb_m: int = 20, perturb_n: int = 50, perturb_s: int = 3,
             perturb_trials: int = 3,
             sizes: Sequence[float] = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1),
             progress: Callable[[float], None] | None = None
             ) -> tuple[PhaseTransition, Perturbation]:
    """The Recovery page's experiment: a ``cells x cells`` :func:`phase_transition`
    (``m/n`` and ``s/m`` both on ``linspace(1/cells, 1, cells)``) and a
    :func:`perturbation_stability` run, with the same Hadamard GD settings.

    Examples
    --------
    >>> pt, pe = recovery(20, 2, 1, methods=["l1_min"], sizes=[0.0, 0.1])
    >>> pt.success["l1_min"].shape, pe.error["l1_min"].shape
    ((2, 2), (2, 3))
    """
    cells = check_int(cells, "cells", minimum=1)
    grid_ = np.round(np.linspace(1 / cells, 1.0, cells), 3)
    pt = phase_transition(n, grid_, grid_, trials=trials, methods=methods, L=L, alpha=alpha,
                          step=step, max_iter=max_iter, progress=_scaled(progress, 0, 0.85))
    pe = perturbation_stability(perturb_m, perturb_n, perturb_s, sizes,
                                trials=perturb_trials, methods=methods, L=L, alpha=alpha,
                                step=step, max_iter=max_iter,
                                progress=_scaled(progress, 0.85, 1.0))
    return pt, pe


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return [None if isinstance(v, float) and np.isnan(v) else v for v in
                value.ravel().tolist()] if value.ndim == 1 else [_plain(r) for r in value]
    return value


def save_recovery(pt: PhaseTransition, pe: Perturbation, settings: dict, path) -> Path:
    """Write a :func:`recovery` result and its settings as JSON (read by
    :func:`load_recovery`).

    Examples
    --------
    >>> import tempfile
    >>> pt, pe = recovery(20, 2, 1, methods=["l1_min"], sizes=[0.0, 0.1])
    >>> f = save_recovery(pt, pe, {"n": 20}, Path(tempfile.mkdtemp()) / "r.json")
    >>> pt2, pe2, settings = load_recovery(f)
    >>> bool((pt2.success["l1_min"] == pt.success["l1_min"]).all()), settings
    (True, {'n': 20})
    """
    path = Path(path)
    doc = {"settings": settings, "phase_transition": _plain(asdict(pt)),
           "perturbation": _plain(asdict(pe))}
    path.write_text(json.dumps(doc, separators=(",", ":")))
    return path


def load_recovery(path) -> tuple[PhaseTransition, Perturbation, dict]:
    """Read a file of :func:`save_recovery`: ``(phase_transition, perturbation, settings)``.

    Examples
    --------
    See :func:`save_recovery`.
    """
    doc = json.loads(Path(path).read_text())
    d = doc["phase_transition"]

    def arr(v, dtype=float):
        return np.array(v, dtype=dtype)

    pt = PhaseTransition(
        arr(d["deltas"]), arr(d["rhos"]), arr(d["ms"], int), arr(d["ss"], int),
        {k: arr(v) for k, v in d["success"].items()},
        {k: arr(v) for k, v in d["error"].items()},
        {k: arr(v, int) for k, v in d["not_converged"].items()},
        int(d["trials"]), int(d["n"]), dict(d["time_s"]), d["step"])
    e = doc["perturbation"]
    pe = Perturbation(arr(e["sizes"]), {k: np.array([[np.nan if x is None else x for x in r]
                                                      for r in v], dtype=float)
                                         for k, v in e["error"].items()}, dict(e["failures"]))
    return pt, pe, doc["settings"]


def decay_rates(A, b, *, gammas: Sequence[float] = (0.0, 0.25, 0.5, 0.75),
                Ls: Sequence[float] = (2, 3), alpha: float = 0.1, step: float = 0.1,
                max_iter: int = 20_000, tol: float = 1e-12,
                progress: Callable[[float], None] | None = None) -> dict:
    """Fixed step with decay ``eta_k = eta / (k+1)^gamma`` for every (L, gamma), batched.

    Returns
    -------
    dict
        ``(L, gamma) -> Result``.

    Examples
    --------
    >>> import nnls_core as nc
    >>> p = nc.sparse_problem(20, 50, 3, seed=0)
    >>> out = decay_rates(p.A, p.b, gammas=[0, 0.5], Ls=[2], max_iter=500)
    >>> sorted(out)
    [(2.0, 0.0), (2.0, 0.5)]
    """
    g = grid(L=[float(L) for L in Ls], decay=[float(v) for v in gammas])
    rs = sweep(A, b, L=g["L"], decay=g["decay"], alpha=alpha, step=step,
               max_iter=max_iter, tol=tol, progress=progress)
    return {(float(L), float(d)): r for L, d, r in zip(g["L"], g["decay"], rs)}


def accel_time_step(step: float) -> float:
    """Time ``h`` of one accelerated mirror iteration on the paper's ODE: ``2 sqrt(step)``.

    Examples
    --------
    >>> accel_time_step(0.01)
    0.2
    """
    return 2.0 * float(np.sqrt(step))


def acceleration(A, b, *, alpha: float = 1e-3, step: float = 1e-2, L: float = 2,
                 max_iter: int = 20_000, tol: float = 1e-12, flows: bool = True,
                 progress: Callable[[float], None] | None = None) -> dict:
    """Plain GD, Nesterov and accelerated mirror descent with the same fixed step, and
    the continuous flows as reference curves.

    The gradient flow matches plain GD at ``t = k * step``. The accelerated flow (the
    L = 2 system) matches the mirror iteration at ``t = k * accel_time_step(step)``
    ``= 2 k sqrt(step)``: its x-update ``x + tau (y - x)``, ``tau = 2/(k+2)``, is
    ``x' = (2/t)(y - x)`` with ``dt = h``, ``t = k h``, and its y-update
    ``log y -= 4 step (k+2)/2 grad f`` is ``(log y)' = -(t/2) grad f`` with ``h^2 = 4 step``.

    Returns
    -------
    dict
        ``"plain" / "nesterov" / "mirror" -> Result`` and, with ``flows``,
        ``"gradient flow" / "accelerated flow" -> Flow`` (integrated to
        ``t = max_iter * step`` and ``t = min(max_iter, 3000) * 2 sqrt(step)``).

    Examples
    --------
    >>> import nnls_core as nc
    >>> p = nc.sparse_problem(20, 50, 3, seed=0)
    >>> out = acceleration(p.A, p.b, max_iter=200, flows=False)
    >>> sorted(out)
    ['mirror', 'nesterov', 'plain']
    """
    out: dict = {}
    runs = [("plain", None), ("nesterov", "nesterov"), ("mirror", "mirror")]
    total = len(runs) + (2 if flows else 0)
    for i, (label, accel) in enumerate(runs):
        out[label] = hadamard(A, b, L=L, alpha=alpha, step=step, accel=accel,
                              max_iter=max_iter, tol=tol)
        _tick(progress, i + 1, total)
    if flows:
        out["gradient flow"] = gradient_flow(A, b, alpha=alpha, L=L,
                                             t_max=max(max_iter, 10) * step, n_points=300)
        _tick(progress, len(runs) + 1, total)
        # the mirror step matches the ODE with time step h = 2 sqrt(step) (see below);
        # the integration is stopped at k = 3000 to keep it to a few seconds
        out["accelerated flow"] = accelerated_flow(
            A, b, alpha=alpha, t_max=max(min(max_iter, 3000), 10) * accel_time_step(step),
            n_points=300)
        _tick(progress, total, total)
    return out
