"""The one result type of every solver, with an iteration log bounded in bytes."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

import numpy as np

Status = Literal["converged", "max_iter", "diverged", "stalled", "time_limit", "cancelled",
                 "infeasible"]

#: At most this many iterates are kept, whatever ``max_iter`` is.
MAX_CHECKPOINTS = 1000
#: Bytes of stored iterates per result: fewer checkpoints are kept for large n.
X_BUDGET = 8 * 2**20
#: Objective values kept per result; past this the log keeps every 2nd, 4th, ... one.
MAX_OBJECTIVES = 2**17


def checkpoint_schedule(max_iter: int, max_points: int = MAX_CHECKPOINTS) -> np.ndarray:
    """Iterations at which iterates are kept: all of them for short runs, else log-spaced.

    Parameters
    ----------
    max_iter : int
        Largest iteration that can occur.
    max_points : int
        Bound on the number of checkpoints (the last iterate is added on top).

    Returns
    -------
    ndarray of int
        Sorted, unique, starting at 0.

    Examples
    --------
    >>> checkpoint_schedule(5).tolist()
    [0, 1, 2, 3, 4, 5]
    >>> len(checkpoint_schedule(10**12)) <= 1000
    True
    """
    max_points = max(int(max_points), 2)
    if max_iter + 1 <= max_points:
        return np.arange(max_iter + 1)
    ks = np.unique(np.round(np.geomspace(1, max_iter, max_points - 1)).astype(np.int64))
    return np.concatenate(([0], ks))


def checkpoints_for(n: int, budget: int = X_BUDGET) -> int:
    """Number of iterates of length ``n`` that fit the byte budget (between 2 and 1000).

    Examples
    --------
    >>> checkpoints_for(100), checkpoints_for(2_000_000)
    (1000, 2)
    """
    return int(min(MAX_CHECKPOINTS, max(2, budget // (8 * max(n, 1)))))


@dataclass(frozen=True, eq=False)
class History:
    """What a run went through, ready to plot; its size is bounded whatever the run.

    Attributes
    ----------
    objective : ndarray, shape (k,)
        ``1/2 ||A x - b||^2`` at the iterations ``objective_iterations``: every iteration
        for runs up to ``MAX_OBJECTIVES`` iterations, else every 2nd, 4th, ... one (the
        last iteration is always included).
    iterations : ndarray of int, shape (c,)
        The checkpoint iterations (log-spaced plus the last; every iteration for short
        runs). ``c`` is at most ``checkpoints_for(n)``: 1000 for ``n <= 1048``, fewer
        for larger n so that the iterates take at most ``X_BUDGET`` bytes.
    x : ndarray, shape (c, n)
        The iterates at the checkpoints.
    kkt : ndarray, shape (c,)
        The relative optimality residual of the stopping test at the checkpoints
        (see :func:`nnls_core.optimality`).
    l1 : ndarray, shape (c,)
        ``||x||_1`` at the checkpoints.
    time_s : ndarray, shape (c,)
        Wall-clock seconds since the start at the checkpoints.
    objective_iterations : ndarray of int, shape (k,)
        The iterations of ``objective``.
    """

    objective: np.ndarray
    iterations: np.ndarray
    x: np.ndarray
    kkt: np.ndarray
    l1: np.ndarray
    time_s: np.ndarray
    objective_iterations: np.ndarray

    def to_csv(self) -> str:
        """The run as CSV: ``iteration,objective`` for every logged iteration, with
        ``kkt`` and ``l1`` filled at the checkpoints (empty elsewhere).

        Examples
        --------
        >>> import nnls_core as nc
        >>> r = nc.solve([[1.0, 0.0], [0.0, 1.0]], [1.0, -1.0], method="fista")
        >>> r.history.to_csv().splitlines()[:2]
        ['iteration,objective,kkt,l1', '0,1.0,0.7071067811865475,0.0']
        """
        at = {int(k): j for j, k in enumerate(self.iterations)}
        lines = ["iteration,objective,kkt,l1"]
        for k, f in zip(self.objective_iterations.tolist(), self.objective.tolist()):
            j = at.get(k)
            extra = (f"{float(self.kkt[j])!r},{float(self.l1[j])!r}" if j is not None
                     else ",")
            lines.append(f"{k},{f!r},{extra}")
        return "\n".join(lines) + "\n"

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays."""
        return sum(a.nbytes for a in (self.objective, self.iterations, self.x, self.kkt,
                                      self.l1, self.time_s, self.objective_iterations))


@dataclass(frozen=True, eq=False)
class Result:
    """Outcome of :func:`nnls_core.solve` and of every solver of the library.

    Attributes
    ----------
    x : ndarray, shape (n,)
        The solution: always finite; on divergence, the last good iterate.
    objective : float
        ``1/2 ||A x - b||^2``.
    rnorm : float
        ``||A x - b||``.
    n_iter : int
        Iterations performed.
    status : {"converged", "max_iter", "diverged", "stalled", "time_limit", \
"cancelled", "infeasible"}
        "converged" only when the stopping test holds at ``x`` (direct methods: when
        they finished); every other status says why the run ended, and so does
        ``message``.
    message : str
        A plain account of the status (for "diverged": a safe step to try).
    time_s : float
        Wall-clock time.
    method : str
    history : History
    """

    x: np.ndarray
    objective: float
    rnorm: float
    n_iter: int
    status: Status
    message: str
    time_s: float
    method: str
    history: History

    @property
    def success(self) -> bool:
        """True when ``status == "converged"``."""
        return self.status == "converged"

    @property
    def kkt(self) -> float:
        """Relative optimality residual at the final iterate (the stopping measure)."""
        return float(self.history.kkt[-1])


class Recorder:
    """Fills :class:`History` objects for ``B`` runs at once with bounded memory.

    Parameters
    ----------
    B, n : int
        Number of runs and of unknowns.
    max_iter : int
        Iteration cap (sets the checkpoint schedule).
    full : bool
        False keeps only the first and last objective and iterate (large batches).
    """

    _CHUNK = 1024

    def __init__(self, B: int, n: int, max_iter: int, full: bool = True) -> None:
        self.t0 = time.perf_counter()
        self.B, self.full = B, full
        self.stride = 1
        self.chunks: list[np.ndarray] = []
        self.count = 0  # objective entries logged
        sched = checkpoint_schedule(max_iter, checkpoints_for(n)) if full else np.array([0])
        self.schedule = set(sched.tolist())
        self.points: list[list[tuple]] = [[] for _ in range(B)]
        self.first = np.zeros(B)

    def objective(self, k: int, idx: np.ndarray, f: np.ndarray) -> None:
        """Log the objective ``f`` of the runs ``idx`` at iteration ``k``."""
        if not self.full or k % self.stride:
            if k == 0:
                self.first[idx] = f
            return
        pos = k // self.stride
        if pos == MAX_OBJECTIVES:  # halve the log: keep every other entry
            log = np.concatenate(self.chunks)[::2]
            self.chunks = [log[i:i + self._CHUNK] for i in range(0, len(log), self._CHUNK)]
            self.chunks[-1] = np.concatenate(
                [self.chunks[-1], np.empty((self._CHUNK - len(self.chunks[-1]), self.B))])
            self.stride *= 2
            if k % self.stride:
                return
            pos = k // self.stride
        c, i = divmod(pos, self._CHUNK)
        if c == len(self.chunks):
            self.chunks.append(np.empty((self._CHUNK, self.B)))
        if idx.size == self.B:  # every run still active: a slice, not a gather
            self.chunks[c][i] = f
        else:
            self.chunks[c][i, idx] = f

    def wants(self, k: int) -> bool:
        """True when iteration ``k`` is a checkpoint."""
        return k in self.schedule

    def iterate(self, k: int, run: int, x: np.ndarray, kkt: float) -> None:
        """Store the iterate of run ``run`` at iteration ``k``."""
        pts = self.points[run]
        if pts and pts[-1][0] == k:
            return
        pts.append((k, x.copy(), float(kkt), time.perf_counter() - self.t0))

    def history(self, run: int, k: int, f_last: float) -> History:
        """Close the log of run ``run``, which stopped at iteration ``k`` with ``f_last``."""
        if self.full:
            last = k // self.stride
            log = np.concatenate([c[:, run] for c in self.chunks])[: last + 1]
            its = np.arange(last + 1, dtype=np.int64) * self.stride
            if its[-1] != k:
                log, its = np.append(log, f_last), np.append(its, k)
        else:
            log = np.array([self.first[run], f_last]) if k else np.array([f_last])
            its = np.array([0, k] if k else [0], dtype=np.int64)
        pts = self.points[run]
        self.points[run] = []
        xs = np.array([p[1] for p in pts])
        return History(
            log.copy(), np.array([p[0] for p in pts], dtype=np.int64), xs,
            np.array([p[2] for p in pts]),
            np.abs(xs).sum(axis=1) if xs.ndim == 2 else np.zeros(0),
            np.array([p[3] for p in pts]), its)

    def elapsed(self) -> float:
        """Seconds since the recorder was made."""
        return time.perf_counter() - self.t0


_HISTORY = ("objective", "iterations", "x", "kkt", "l1", "time_s", "objective_iterations")
_SCALARS = ("objective", "rnorm", "n_iter", "status", "message", "time_s", "method")


def save_results(results: list[Result], path, meta: dict | None = None) -> None:
    """Write results (with their histories) to a compressed ``.npz`` file, no pickle.

    Parameters
    ----------
    results : list of Result
    path : str or Path
    meta : dict, optional
        JSON-serializable data kept beside the results (e.g. the settings they came from).

    Examples
    --------
    >>> import io, nnls_core as nc
    >>> r = nc.solve([[1.0, 0.0], [0.0, 1.0]], [1.0, -1.0], method="fista")
    >>> buf = io.BytesIO()
    >>> save_results([r], buf, {"note": "identity"})
    >>> _ = buf.seek(0)
    >>> (back,), meta = load_results(buf)
    >>> back.status == r.status, bool((back.x == r.x).all()), meta
    (True, True, {'note': 'identity'})
    """
    import json

    arrays = {"meta": np.array(json.dumps({
        "meta": meta or {},
        "results": [{k: getattr(r, k) for k in _SCALARS} for r in results]}))}
    for i, r in enumerate(results):
        arrays[f"{i}.x"] = r.x
        for k in _HISTORY:
            arrays[f"{i}.history.{k}"] = getattr(r.history, k)
    np.savez_compressed(path, **arrays)


def load_results(path) -> tuple[list[Result], dict]:
    """Read what :func:`save_results` wrote: ``(results, meta)``."""
    import json

    with np.load(path, allow_pickle=False) as data:
        info = json.loads(str(data["meta"]))
        results = [Result(x=data[f"{i}.x"], history=History(
            **{k: data[f"{i}.history.{k}"] for k in _HISTORY}), **scalars)
                   for i, scalars in enumerate(info["results"])]
    return results, info["meta"]
