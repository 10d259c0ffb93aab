"""The one result type of every solver, with a bounded iteration log."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ._operator import kkt_residual

Status = Literal["converged", "max_iter", "diverged", "infeasible"]

#: At most this many iterates are kept, whatever ``max_iter`` is.
MAX_CHECKPOINTS = 1000


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
    >>> len(checkpoint_schedule(10**6)) <= 1000
    True
    """
    if max_iter + 1 <= max_points:
        return np.arange(max_iter + 1)
    ks = np.unique(np.round(np.geomspace(1, max_iter, max_points - 1)).astype(np.int64))
    return np.concatenate(([0], ks))


@dataclass(frozen=True, eq=False)
class History:
    """What a run went through, ready to plot.

    Attributes
    ----------
    objective : ndarray, shape (n_iter + 1,)
        ``1/2 ||A x_k - b||^2`` at every iteration k = 0..n_iter.
    iterations : ndarray of int, shape (c,)
        The checkpoint iterations (log-spaced plus the last; every iteration for short runs).
    x : ndarray, shape (c, n)
        The iterates at the checkpoints.
    kkt : ndarray, shape (c,)
        ``||min(x, grad f(x))||_inf`` at the checkpoints.
    l1 : ndarray, shape (c,)
        ``||x||_1`` at the checkpoints.
    time_s : ndarray, shape (c,)
        Wall-clock seconds since the start at the checkpoints.
    """

    objective: np.ndarray
    iterations: np.ndarray
    x: np.ndarray
    kkt: np.ndarray
    l1: np.ndarray
    time_s: np.ndarray

    def to_csv(self) -> str:
        """The run as CSV: ``iteration,objective`` for every iteration, with ``kkt`` and
        ``l1`` filled at the checkpoints (empty elsewhere).

        Examples
        --------
        >>> import nnls_core as nc
        >>> r = nc.solve([[1.0, 0.0], [0.0, 1.0]], [1.0, -1.0], method="fista")
        >>> r.history.to_csv().splitlines()[0]
        'iteration,objective,kkt,l1'
        """
        at = {int(k): j for j, k in enumerate(self.iterations)}
        lines = ["iteration,objective,kkt,l1"]
        for k, f in enumerate(self.objective):
            j = at.get(k)
            extra = f"{self.kkt[j]!r},{self.l1[j]!r}" if j is not None else ","
            lines.append(f"{k},{float(f)!r},{extra}")
        return "\n".join(lines) + "\n"

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays."""
        return sum(a.nbytes for a in (self.objective, self.iterations, self.x,
                                      self.kkt, self.l1, self.time_s))


@dataclass(frozen=True, eq=False)
class Result:
    """Outcome of :func:`nnls_core.solve` and of every per-method function.

    Attributes
    ----------
    x : ndarray, shape (n,)
        The solution (never contains NaN; on divergence, the last good iterate).
    objective : float
        ``1/2 ||A x - b||^2``.
    rnorm : float
        ``||A x - b||``.
    n_iter : int
        Iterations performed.
    status : {"converged", "max_iter", "diverged", "infeasible"}
    message : str
        A human-readable account of the status (for "diverged": a safe step to try).
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
    def kkt(self) -> float:
        """KKT residual at the final iterate."""
        return float(self.history.kkt[-1])


class Recorder:
    """Fills a :class:`History` with bounded memory while a solver runs."""

    def __init__(self, n: int, max_iter: int) -> None:
        self.t0 = time.perf_counter()
        self.objective = np.empty(max_iter + 1)
        self.schedule = checkpoint_schedule(max_iter)
        self._next = 0
        c = len(self.schedule) + 1
        self.iters = np.empty(c, dtype=np.int64)
        self.xs = np.empty((c, n))
        self.kkts = np.empty(c)
        self.l1s = np.empty(c)
        self.times = np.empty(c)
        self._c = 0
        self._last = -1

    def record(self, k: int, x: np.ndarray, f: float, grad: np.ndarray, kkt: float | None = None) -> None:
        """Log iteration ``k`` (objective always, iterate at checkpoints)."""
        self.objective[k] = f
        if self._next < len(self.schedule) and k == self.schedule[self._next]:
            self._next += 1
            self._store(k, x, grad, kkt)

    def _store(self, k, x, grad, kkt) -> None:
        c = self._c
        self.iters[c] = k
        self.xs[c] = x
        self.kkts[c] = kkt_residual(x, grad) if kkt is None else kkt
        self.l1s[c] = np.abs(x).sum()
        self.times[c] = time.perf_counter() - self.t0
        self._c += 1
        self._last = k

    def elapsed(self) -> float:
        """Seconds since the recorder was made."""
        return time.perf_counter() - self.t0

    def history(self, k: int, x: np.ndarray, grad: np.ndarray) -> History:
        """Close the log at iteration ``k`` with the final iterate ``x``."""
        if self._last != k:
            self._store(k, x, grad, None)
        c = self._c
        return History(
            self.objective[: k + 1].copy(), self.iters[:c].copy(), self.xs[:c].copy(),
            self.kkts[:c].copy(), self.l1s[:c].copy(), self.times[:c].copy(),
        )
