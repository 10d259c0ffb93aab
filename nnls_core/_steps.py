"""Step policies: small pieces that move the rows of a :class:`._driver.Run`.

Each policy is written once and works per row on a batch:

* :class:`Fixed`: ``eta_k = eta / (k+1)^gamma``; a step that leaves the domain or blows
  the objective up ends the row as "diverged" with a safe step in the message;
* :class:`Armijo`: backtracking that tries a doubled step each iteration and never
  increases the objective;
* :class:`BB`: Barzilai-Borwein steps safeguarded by a non-monotone (Grippo-Lampariello-
  Lucidi) Armijo search;
* :class:`Momentum`: Nesterov extrapolation with function-value restart around a fixed or
  backtracking step (``k/(k+3)`` for the Hadamard method, the FISTA sequence for
  projected gradient);
* :class:`Mirror`: accelerated mirror descent from the paper's second-order ODE;
* :class:`Multiplicative`: Sha-Saul-Lee multiplicative updates;
* :class:`FixedFrom`, :class:`NesterovPaper`, :class:`MirrorPaper`: the authors' step
  indexing and momentum schedules, as their published code runs them (no restarts or
  sign guards unless asked; see :mod:`nnls_core.paper`).

A line search that can find no decrease ends the row as "stalled", never "converged".
"""

from __future__ import annotations

import numpy as np

from ._reparam import all_le, rowdot
from .references import safe_step

ARMIJO = 1e-4
GLL_MEMORY = 10
#: A backtracking search gives up (the row stalls) after this many shorter steps.
MAX_BACKTRACKS = 80
#: Problems with fewer entries of A than this try ``WIDTH`` halvings per round.
WIDE_BELOW, WIDTH = 50_000, 8
#: BB steps are capped at this multiple of the initial step.
BB_CAP = 1e10
#: BB steps go at most this fraction of the way to the boundary P = 0.
BOUNDARY = 0.9

def at_floor(f_new: np.ndarray, f: np.ndarray, f0: np.ndarray) -> np.ndarray:
    """True where ``f_new`` exceeds ``f`` by no more than the rounding of an objective
    evaluation (relative to f and, near zero, to the starting objective)."""
    return np.isfinite(f_new) & (f_new - f <= 1e-12 * f + 1e-15 * np.sqrt(f * f0)
                                 + 1e-30 * f0)


NO_DECREASE = ("no step along the descent direction decreases the objective (the "
               "objective is at its floating-point floor, or the gradient has vanished)")


def initial_step(run, norm2: np.ndarray | None = None) -> np.ndarray:
    """Per-row start of an adaptive step: the safe step at the starting point, for
    ``||A||_2^2`` or an upper bound ``norm2`` of it."""
    L = getattr(run.geo, "L", np.ones(run.idx.size))
    return safe_step(np.sqrt(run.norm2 if norm2 is None else norm2), L, run.X.max(axis=1))


def diverged(run, rows: np.ndarray, k: int, why: list[str]) -> None:
    """End ``rows`` as "diverged", naming a step inside the stability region."""
    L = getattr(run.geo, "L", None)
    msgs = []
    for j, r in enumerate(rows):
        x_max = max(float(run.X[r].max()), float(run.x_scale[r]), run.solution_scale(r))
        if L is None:
            eta, rule = 1.0 / run.norm2[r], "1/||A||_2^2"
        else:
            eta, rule = safe_step(np.sqrt(run.norm2[r]), L[r], x_max), \
                "1/(L^2 max(x)^(2-2/L) ||A||_2^2), half the stability bound"
        msgs.append(f"diverged at iteration {k + 1}: {why[j]}. Try step <= {eta:.3g} "
                    f"(= {rule}), or an adaptive step (step='bb').")
    run.stop(rows, "diverged", msgs)


def _trial(run, P, G, eta, rows=None):
    """Trial point ``project(P - eta G)`` with its iterate, objective and residual."""
    P_new = np.multiply(G, eta[:, None])
    P_new = run.geo.project(np.subtract(P, P_new, out=P_new))
    X_new = run.geo.to_x(P_new, rows=rows)
    f_new, R_new = run.objective(X_new, rows)
    return P_new, X_new, R_new, f_new


def search(run, P, G, pgrad, eta, ref, c=ARMIJO):
    """Backtracking per row: halve ``eta`` until ``f(P_new) <= ref + c <pgrad, P_new - P>``.

    Only the failed rows are tried again, so they cost the other rows no products. On
    small problems (:data:`WIDE_BELOW` entries of A) the next ``WIDTH`` halvings of every
    failed row are tried together in one product and the first that passes is kept: the
    same steps as halving one at a time, in fewer rounds (a batch otherwise waits, round
    after round, for its slowest row).
    Returns the accepted ``(P_new, X_new, R_new, f_new)``, the steps and a mask of the
    rows for which no step was found.
    """
    P_new, X_new, R_new, f_new = _trial(run, P, G, eta)
    bound = ref + c * rowdot(pgrad, P_new - P)
    # the common case: every first trial passes
    if all_le(f_new, bound) and run.geo.all_valid(P_new):
        return (P_new, X_new, R_new, f_new), eta, np.zeros(P.shape[0], dtype=bool)
    ok = (f_new <= bound) & run.geo.valid(P_new)
    todo = np.flatnonzero(~ok)
    m, n = run.op.shape
    width = WIDTH if m * n < WIDE_BELOW else 1
    tried = 0
    while todo.size and tried < MAX_BACKTRACKS:
        K = min(width, MAX_BACKTRACKS - tried)
        halvings = np.exp2(-np.arange(1, K + 1))  # exact: the same steps as halving
        rows = np.repeat(todo, K)
        P_t, G_t, pg_t = P[rows], G[rows], pgrad[rows]
        eta_t = (eta[todo][:, None] * halvings).ravel()
        p, x, r, fp = _trial(run, P_t, G_t, eta_t, rows=rows)
        good = (run.geo.valid(p, rows=rows) & (
            fp <= ref[rows] + c * rowdot(pg_t, p - P_t))).reshape(-1, K)
        tried += K
        found = good.any(axis=1)
        first = np.argmax(good, axis=1)
        pick = np.flatnonzero(found) * K + first[found]  # the first halving that passes
        g = todo[found]
        P_new[g], X_new[g], R_new[g], f_new[g] = p[pick], x[pick], r[pick], fp[pick]
        eta[g] = eta_t[pick]
        eta[todo[~found]] *= halvings[-1]
        todo = todo[~found]
    failed = np.zeros(P.shape[0], dtype=bool)
    failed[todo] = True
    return (P_new, X_new, R_new, f_new), eta, failed


def _move(run, points, failed: np.ndarray, k: int) -> None:
    """Accept the rows that found a step; the others stall."""
    if np.logical_or.reduce(failed):
        bad = np.flatnonzero(failed)
        run.stop(bad, "stalled", [NO_DECREASE] * bad.size)
        good = np.flatnonzero(~failed)
        run.accept(good, *(a[good] for a in points))
    else:
        run.accept(None, *points)


class Fixed:
    """``eta_k = eta / (k+1)^decay`` per row."""

    def __init__(self, eta, decay=0.0) -> None:
        self.eta, self.decay = eta, decay

    def bind(self, run) -> None:
        B = run.idx.size
        run.vars["eta"] = np.broadcast_to(np.asarray(self.eta, float), (B,)).copy()
        run.vars["decay"] = np.broadcast_to(np.asarray(self.decay, float), (B,)).copy()
        self.decaying = bool(np.any(run.vars["decay"]))

    def size(self, run, k: int) -> np.ndarray:
        """The steps of the active rows at iteration k."""
        eta = run.vars["eta"]
        return eta / (k + 1) ** run.vars["decay"] if self.decaying else eta

    def step(self, run, k: int) -> None:
        points = _trial(run, run.P, run.G, self.size(run, k))
        if run.geo.all_valid(points[0]) and all_le(points[3], run.limit):
            run.accept(None, *points)
            return
        bad = ~(run.geo.valid(points[0]) & (points[3] <= run.limit))
        if bad.any():
            rows = np.flatnonzero(bad)
            inval = ~run.geo.valid(points[0][rows], rows=rows)
            why = [run.geo.leaves_domain(r) if out else
                   f"the objective grew to {points[3][r]:.3g}"
                   for r, out in zip(rows, inval)]
            diverged(run, rows, k, why)
            good = np.flatnonzero(~bad)
            run.accept(good, *(a[good] for a in points))
        else:
            run.accept(None, *points)


class Armijo:
    """Backtracking: try twice the last accepted step, halve until Armijo holds."""

    def bind(self, run) -> None:
        run.vars["eta"] = initial_step(run) / 2

    def step(self, run, k: int) -> None:
        eta = run.vars["eta"] * 2.0
        points, eta, failed = search(run, run.P, run.G, run.geo.pgrad(run.G, run.Z), eta,
                                     run.f)
        run.vars["eta"] = eta
        _move(run, points, failed, k)


class BB:
    """Barzilai-Borwein steps with a non-monotone Armijo safeguard (reference: the
    largest of the last ``GLL_MEMORY`` objectives).

    ``alternate``: the two Barzilai-Borwein steps take turns (Dai and Fletcher's "ABB"),
    ``s.s / s.y`` (BB1) at odd iterations and ``s.y / y.y`` (BB2, never longer) at even
    ones; otherwise BB1 alone. Every step is also held to ``boundary`` times the step
    that would bring a coordinate to the boundary ``P = 0``: a step across it is refused
    anyway, and each refusal costs a product with A.

    In the u-form the two together cut the refused first trials from about one
    iteration in six (BB1 alone; nearly every iteration on tall problems with active
    constraints) to a few in a hundred, and the iterations by a fifth. In the x-form BB2
    slows convergence for L >= 3 on tall problems, so the Hadamard method alternates in
    the u-form only (``python bench/bb_variants.py`` prints the comparison).
    """

    def __init__(self, alternate: bool = True, boundary: float = BOUNDARY) -> None:
        self.alternate, self.boundary = alternate, boundary

    def bind(self, run) -> None:
        # the first step only has to be safe: from the second on the steps come from
        # the iterates, so an upper bound of ||A||_2 (no products) replaces ||A||_2
        eta0 = initial_step(run, run.norm2_bound)
        run.vars["eta"] = eta0
        run.vars["cap"] = BB_CAP * eta0
        run.vars["recent"] = np.repeat(run.f[:, None], GLL_MEMORY, axis=1)
        run.vars["P_prev"] = run.P.copy()
        run.vars["G_prev"] = run.G.copy()

    def step(self, run, k: int) -> None:
        v = run.vars
        eta = v["eta"]
        if k:
            s, y = run.P - v["P_prev"], run.G - v["G_prev"]
            sy = rowdot(s, y)
            num, den = ((sy, rowdot(y, y)) if self.alternate and k % 2 == 0
                        else (rowdot(s, s), sy))
            # sy <= 0 (no positive curvature along s): keep the last step
            eta = np.where(sy > 0, np.minimum(num / den, v["cap"]), eta)
        if self.boundary:
            eta = np.minimum(eta, self.boundary * run.geo.to_boundary(run.P, run.G))
        v["P_prev"], v["G_prev"] = run.P, run.G
        points, eta, failed = search(run, run.P, run.G, run.geo.pgrad(run.G, run.Z), eta,
                                     v["recent"].max(axis=1))
        v["eta"] = eta
        np.copyto(v["recent"][:, k % GLL_MEMORY], points[3], where=~failed)
        _move(run, points, failed, k)


class Momentum:
    """Nesterov extrapolation with function-value restart.

    ``y = p + beta_k (p - p_prev)``, then a step from y (``inner``: :class:`Fixed` or
    backtracking); a step that would increase the objective restarts the momentum and is
    replaced by a plain step from p. ``schedule`` "nesterov": ``beta = t/(t+3)``;
    "fista": the FISTA sequence ``t' = (1 + sqrt(1 + 4 t^2))/2``, ``beta = (t-1)/t'``.
    """

    def __init__(self, inner: Fixed | None, schedule: str = "nesterov") -> None:
        self.inner, self.schedule = inner, schedule

    def bind(self, run) -> None:
        if self.inner is not None:
            self.inner.bind(run)
        else:
            run.vars["eta"] = initial_step(run)
        run.vars["t"] = np.full(run.idx.size, 1.0 if self.schedule == "fista" else 0.0)
        run.vars["P_prev"] = run.P.copy()

    def _beta(self, t):
        if self.schedule == "fista":
            t_new = (1 + np.sqrt(1 + 4 * t * t)) / 2
            return (t - 1) / t_new, t_new
        return t / (t + 3), t + 1

    def _from(self, run, k, P, G, Z, f_ref, rows=None):
        """A step from P along G: fixed, or backtracking with the descent-lemma test."""
        if self.inner is not None:
            eta = self.inner.size(run, k) if rows is None else self.inner.size(run, k)[rows]
            pts = _trial(run, P, G, eta, rows)
            return pts, np.zeros(P.shape[0], dtype=bool)
        eta = run.vars["eta"] if rows is None else run.vars["eta"][rows]
        eta = eta * 1.1
        pts, eta, failed = search_rows(run, P, G, run.geo.pgrad(G, Z), eta, f_ref, rows)
        if rows is None:
            run.vars["eta"] = eta
        else:
            run.vars["eta"][rows] = eta
        return pts, failed

    def step(self, run, k: int) -> None:
        v = run.vars
        beta, t_next = self._beta(v["t"])
        Y = run.P + beta[:, None] * (run.P - v["P_prev"])
        out = ~run.geo.valid(Y)
        if out.any():  # extrapolated out of the domain: no momentum for these rows
            Y[out] = run.P[out]
            t_next[out] = 1.0 if self.schedule == "fista" else 0.0
        f_y, R_y = run.objective(run.geo.to_x(Y))
        Z_y = run.gradient(R_y)
        G_y = run.geo.direction(Y, Z_y)
        pts, failed = self._from(run, k, Y, G_y, Z_y, f_y)
        up = np.flatnonzero(failed | ~(pts[3] <= run.f) | ~run.geo.valid(pts[0]))
        restart = np.zeros(run.idx.size, dtype=bool)
        if up.size:  # restart: forget the momentum and take a plain step from p
            restart[up] = True
            plain, failed2 = self._from(run, k, run.P[up], run.G[up], run.Z[up], run.f[up],
                                        rows=up)
            # a plain step may only fail to decrease by rounding (the floating-point floor)
            worse = failed2 | ~run.geo.valid(plain[0], rows=up) | ~at_floor(
                plain[3], run.f[up], run.f0[up])
            for a, b in zip(pts, plain):
                a[up] = b
            if worse.any():
                if self.inner is None:
                    run.stop(up[worse], "stalled", [NO_DECREASE] * int(worse.sum()))
                else:
                    diverged(run, up[worse], k, ["even a step without momentum increases "
                                                 "the objective"] * int(worse.sum()))
                restart[up[worse]] = False
        t_next[restart] = 1.0 if self.schedule == "fista" else 0.0
        ended = np.zeros(run.idx.size, dtype=bool)
        for rows, _, _ in run._stopped:
            ended[rows] = True
        go = np.flatnonzero(~ended)
        v["t"] = t_next
        if go.size == run.idx.size:
            v["P_prev"] = run.P
            run.accept(None, *pts)
        else:
            v["P_prev"][go] = run.P[go]
            run.accept(go, *(a[go] for a in pts))

def search_rows(run, P, G, pgrad, eta, ref, rows):
    """:func:`search` on a subset of the rows (``rows`` None: all)."""
    if rows is None:
        return search(run, P, G, pgrad, eta, ref, c=0.5)
    sub = _Subset(run, rows)
    return search(sub, P, G, pgrad, eta, ref, c=0.5)


class _Subset:
    """A view of some rows of a run, for a search restricted to them."""

    def __init__(self, run, rows) -> None:
        self.run, self.rows, self.op = run, rows, run.op
        self.geo = _SubGeo(run.geo, rows)

    def objective(self, X, rows=None):
        sel = self.rows if rows is None else self.rows[rows]
        return self.run.objective(X, sel)


class _SubGeo:
    def __init__(self, geo, rows) -> None:
        self.geo, self.rows = geo, rows

    def project(self, P):
        return self.geo.project(P)

    def to_x(self, P, rows=None):
        return self.geo.to_x(P, rows=self.rows if rows is None else self.rows[rows])

    def valid(self, P, rows=None):
        return self.geo.valid(P, rows=self.rows if rows is None else self.rows[rows])

    def all_valid(self, P):
        return bool(self.valid(P).all())


class Mirror:
    """Accelerated mirror descent from the paper's ODE ``x' = (2/t)(y - x)``,
    ``y' = -(t/2) y (.) grad f(x)`` (x-form, one exponent L for the whole batch).

    The mirror map has Hessian ``1 / (L^2 x^(2-2/L))``, the metric of the x-form, so a
    step ``eta`` here is comparable to ``eta`` in the plain methods. For L = 2 the update
    is ``log y <- log y - 4 eta (k+2)/2 grad f(x)``, ``x <- (x + tau y)/(1 + tau)``,
    ``tau = 2/(k+2)``. Restarted (y back to x) when the objective would increase.
    ``inner`` None: the step is a factor (adapted by the restarts) times the safe step.
    """

    def __init__(self, inner: Fixed | None) -> None:
        self.inner = inner

    def bind(self, run) -> None:
        L = run.geo.L
        if not np.all(L == L[0]):
            raise ValueError("accel='mirror' runs one exponent L per batch")
        self.L = float(L[0])
        self.power = 2 / self.L - 1  # psi(x) = x^power / power (log x when L = 2)
        if self.inner is not None:
            self.inner.bind(run)
        else:
            run.vars["scale"] = np.ones(run.idx.size)
        run.vars["Y"] = run.X.copy()
        run.vars["t"] = np.zeros(run.idx.size)
        run.vars["restarted"] = np.zeros(run.idx.size, dtype=bool)

    def psi(self, x):
        if self.L == 2:
            return np.log(x)
        if self.L == 1:
            return x
        return x**self.power / self.power

    def psi_inv(self, theta):
        if self.L == 2:
            return np.exp(theta)
        if self.L == 1:
            return theta
        base = self.power * theta  # must be > 0 to stay inside the domain
        if self.power < 0:
            return np.where(base > 0, np.maximum(base, 1e-300) ** (1 / self.power), np.inf)
        return np.maximum(base, 0.0) ** (1 / self.power)

    def step(self, run, k: int) -> None:
        v, L = run.vars, self.L
        if self.inner is None:
            x_max = np.maximum(run.X.max(axis=1), run.x_scale)
            eta = v["scale"] * safe_step(np.sqrt(run.norm2), L, x_max)
        else:
            eta = self.inner.size(run, k)
        t = v["t"][:, None]
        Y = self.psi_inv(self.psi(v["Y"]) - L**2 * eta[:, None] * (t + 2) / 2 * run.Z)
        tau = 2 / (t + 2)
        X_new = (run.X + tau * Y) / (1 + tau)
        ok = run.geo.valid(X_new)
        f_new, R_new = run.objective(np.where(ok[:, None], X_new, run.X))
        bad = ~(ok & (f_new <= run.f))
        if bad.any():  # restart: y back to x, no move this iteration
            rows = np.flatnonzero(bad)
            again = rows[v["restarted"][rows]]  # a step without momentum fails too
            if again.size:
                floor = at_floor(f_new[again], run.f[again], run.f0[again])
                if self.inner is None:
                    v["scale"][again] *= 0.5
                    stall = again[v["scale"][again] < 1e-12]
                    run.stop(stall, "stalled", [NO_DECREASE] * stall.size)
                else:
                    blow = again[~floor]
                    diverged(run, blow, k, ["even a step without momentum increases the "
                                            "objective"] * blow.size)
            v["restarted"][rows] = True
            v["t"][rows] = 0
            v["Y"][rows] = run.X[rows]
        good = np.flatnonzero(~bad)
        v["restarted"][good] = False
        if self.inner is None:
            v["scale"][good] = np.minimum(1.0, v["scale"][good] * 1.05)
        v["Y"][good] = Y[good]
        v["t"][good] += 1
        if good.size == run.idx.size:
            run.accept(None, X_new, X_new, R_new, f_new)
        else:
            run.accept(good, X_new[good], X_new[good], R_new[good], f_new[good])


class Multiplicative:
    """Sha-Saul-Lee updates ``x <- x (-c + sqrt(c^2 + 4 (Q+ x)(Q- x))) / (2 Q+ x)`` with
    ``Q = A^T A``, ``c = -A^T b``, ``Q+- = max(+-Q, 0)``; valid for any sign of A."""

    def __init__(self, M: np.ndarray, b: np.ndarray) -> None:
        Q = M.T @ M
        self.Qp, self.Qm = np.maximum(Q, 0.0), np.maximum(-Q, 0.0)
        self.c = -(M.T @ b)

    def bind(self, run) -> None:
        """Nothing per row."""

    def step(self, run, k: int) -> None:
        X, c = run.X, self.c
        qp = np.maximum(X @ self.Qp, 1e-300)
        X_new = X * (-c + np.sqrt(c * c + 4 * qp * (X @ self.Qm))) / (2 * qp)
        f_new, R_new = run.objective(X_new)
        fixed = np.all(X_new == X, axis=1) | ~np.isfinite(f_new)
        if fixed.any():
            rows = np.flatnonzero(fixed)
            run.stop(rows, "stalled", ["the multiplicative update reached a fixed point "
                                       "(entries that reach 0 stay at 0)"] * rows.size)
            go = np.flatnonzero(~fixed)
            run.accept(go, X_new[go], X_new[go], R_new[go], f_new[go])
        else:
            run.accept(None, X_new, X_new, R_new, f_new)


# --- the authors' schedules (Chou et al.'s published code; see nnls_core.paper) --------

class FixedFrom(Fixed):
    """``eta_k = eta / (k + offset)^decay`` per row, k = 0, 1, ...

    :class:`Fixed` is ``offset = 1``; the authors index their decay ``eta / (t+2)^gamma``
    from ``t = 0``, i.e. ``offset = 2``. The step itself is :meth:`Fixed.step`.
    """

    def __init__(self, eta, decay=0.0, offset=1.0) -> None:
        super().__init__(eta, decay)
        self.offset = offset

    def bind(self, run) -> None:
        super().bind(run)
        B = run.idx.size
        run.vars["offset"] = np.broadcast_to(np.asarray(self.offset, float), (B,)).copy()

    def size(self, run, k: int) -> np.ndarray:
        eta = run.vars["eta"]
        if not self.decaying:
            return eta
        return eta / (k + run.vars["offset"]) ** run.vars["decay"]


def _even_u(run) -> np.ndarray:
    """Rows whose u may change sign: u-form with an even integer L (``x = u^L >= 0``)."""
    L = getattr(run.geo, "L", None)
    if L is None or getattr(run.geo, "form", "x") != "u":
        return np.zeros(run.idx.size, dtype=bool)
    return (L % 2 == 0)


def _finish(run, k: int, P, X, R, f, ok, why) -> None:
    """Accept the rows with ``ok``; end the others as "diverged" (``why(row)``)."""
    if ok.all():
        run.accept(None, P, X, R, f)
        return
    rows = np.flatnonzero(~ok)
    diverged(run, rows, k, [why(r) for r in rows])
    good = np.flatnonzero(ok)
    run.accept(good, P[good], X[good], R[good], f[good])


class NesterovPaper:
    """The authors' Nesterov momentum on u, as their code runs it.

    With a momentum counter ``c`` (0 at the start) and the extrapolated point ``v``
    (``v_0 = u_0``), one iteration is::

        u_{k+1} = v_k - eta_k G(v_k)          # the gradient at v, G = L v^(L-1) z(v^L)
        v_{k+1} = u_{k+1} + c/(c+3) (u_{k+1} - u_k);   c <- c + 1

    The iterate is ``x_k = u_k^L`` (the point the objective and the stopping test see).
    Nothing else: no function-value restart, no line search, and u may cross zero when
    L is an even integer (x = u^L stays >= 0; for other L a negative u ends the row as
    "diverged"). Options: ``restart`` (theirs: once ``c > 10``, when
    ``||u_{k+1} - u_k|| < ||u_k - u_{k-1}||`` set ``c = 1`` and ``v = u_{k+1}``);
    ``sign_guard`` (an extrapolated ``v`` with a negative entry is replaced by
    ``u_{k+1}`` and ``c`` goes back to 0). Their step is ours times L (their gradient of
    ``1/2 ||A u^2 - b||^2`` drops the factor 2).
    """

    def __init__(self, inner: FixedFrom, restart: bool = False,
                 sign_guard: bool = False) -> None:
        self.inner, self.restart, self.sign_guard = inner, restart, sign_guard

    def bind(self, run) -> None:
        self.inner.bind(run)
        B = run.idx.size
        run.vars["V"] = run.P.copy()
        run.vars["c"] = np.zeros(B)
        run.vars["dprev"] = np.full(B, np.inf)
        run.vars["even"] = _even_u(run)

    def step(self, run, k: int) -> None:
        v, geo = run.vars, run.geo
        eta = self.inner.size(run, k)
        V = v["V"]
        _, R_v = run.objective(geo.to_x(V))
        G_v = geo.direction(V, run.gradient(R_v))
        U = V - eta[:, None] * G_v
        X = geo.to_x(U)
        f, R = run.objective(X)
        D = U - run.P
        c = v["c"]
        V_new = U + (c / (c + 3))[:, None] * D
        c = c + 1
        if self.restart:
            dn = np.sqrt(rowdot(D, D))
            again = (c > 10) & (dn < v["dprev"])
            V_new[again] = U[again]
            c[again] = 1
            v["dprev"] = dn
        if self.sign_guard:
            neg = ~(V_new.min(axis=1) >= 0)
            V_new[neg] = U[neg]
            c[neg] = 0
        v["V"], v["c"] = V_new, c
        inside = (U.min(axis=1) >= 0) | (v["even"] & np.isfinite(U.sum(axis=1)))
        ok = inside & (f <= run.limit)
        _finish(run, k, U, X, R, f, ok,
                lambda r: geo.leaves_domain(r) if not inside[r]
                else f"the objective grew to {f[r]:.3g}")


class MirrorPaper(Mirror):
    """The authors' accelerated mirror descent (x-form), as their code runs it.

    With ``theta = psi(y)`` (``log y`` for L = 2; ``theta_0 = psi(x_0)``) and a counter
    ``c`` (0 at the start), one iteration is::

        theta <- theta - L^2 eta_k (c+2)/2 z(x_k)       # z = A^T (A x_k - b)
        x_{k+1} = (x_k + tau psi^{-1}(theta)) / (1 + tau),  tau = 2/(c+3);  c <- c + 1

    i.e. x is mixed with ``exp(zeta)`` before the gradient is taken at the mixed point,
    which their loop records as ``x_{k+1}`` (their first mixing, with tau = 1, leaves
    ``x_0`` unchanged). No restart by default; ``restart``: once ``c > 10``, when the
    objective increases, ``theta = psi(x_{k+1})`` and ``c = 0``. For L = 2 their step
    is ours times 4 = L^2 (their ``zeta -= eta (k+2)/2 grad``).
    """

    def __init__(self, inner: FixedFrom, restart: bool = False) -> None:
        self.inner, self.restart = inner, restart

    def bind(self, run) -> None:
        L = run.geo.L
        if not np.all(L == L[0]):
            raise ValueError("accel='mirror_paper' runs one exponent L per batch")
        self.L = float(L[0])
        self.power = 2 / self.L - 1
        self.inner.bind(run)
        with np.errstate(divide="ignore"):
            run.vars["theta"] = self.psi(run.X)
        run.vars["c"] = np.zeros(run.idx.size)

    def step(self, run, k: int) -> None:
        v, L = run.vars, self.L
        eta = self.inner.size(run, k)
        c = v["c"]
        theta = v["theta"] - (L**2 * eta * (c + 2) / 2)[:, None] * run.Z
        tau = (2 / (c + 3))[:, None]
        X = (run.X + tau * self.psi_inv(theta)) / (1 + tau)
        f, R = run.objective(X)
        c = c + 1
        if self.restart:
            up = np.flatnonzero((c > 10) & (f > run.f))
            if up.size:
                c[up] = 0
                with np.errstate(divide="ignore"):
                    theta[up] = self.psi(X[up])
        v["theta"], v["c"] = theta, c
        inside = run.geo.valid(X)
        ok = inside & (f <= run.limit)
        _finish(run, k, X, X, R, f, ok,
                lambda r: run.geo.leaves_domain(r) if not inside[r]
                else f"the objective grew to {f[r]:.3g}")
