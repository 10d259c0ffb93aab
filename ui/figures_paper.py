"""Pure figure builders for the paper's experiments (implicit bias, recovery, rates).

Inputs are numbers (arrays, dicts of curves) or the objects of :mod:`nnls_core.sweep`,
:mod:`nnls_core.experiments` and :mod:`nnls_core.paper`; outputs are plotly Figures.
Projector-ready: fonts of at least 14 px, the legend right of the plot (never over the
title), log axes labelled at whole decades only. Everything sent to the browser is
float32 and thinned; nothing non-finite is plotted. A run that did not converge is drawn
with open markers and named "not converged" (never as a limit); a diverged run keeps its
legend entry, drawn up to its last finite value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nnls_core import Result
from nnls_core.experiments import accel_time_step
from nnls_core.flows import Flow
from ui.figures import COLORS, f32, log_indices

FLOOR = 1e-16
REF = "#4a5568"
REF_BELOW = 100.0  # reference slopes start this factor under the curves
DIVERGED = "#c53030"
DASHES = ["dash", "dot", "dashdot", "longdash", "longdashdot"]
FONT = 15  # px: readable from the back of a classroom
METHOD_LABELS = {"hadamard": "Hadamard GD", "lawson_hanson": "Lawson-Hanson",
                 "l1_min": "ℓ1-min (LP)"}
NOT_CONVERGED = "not converged"


def _layout(fig: go.Figure, title: str, *, height: int = 380, **over) -> None:
    """The house layout: title at the top left, the legend in a column right of the plot
    (never over the title or the axis labels)."""
    base = dict(height=height, font=dict(size=FONT),
                title=dict(text=title, x=0, xanchor="left", y=0.98, yanchor="top",
                           font=dict(size=FONT + 2)),
                margin=dict(l=70, r=10, t=40, b=60),
                legend=dict(orientation="v", x=1.02, xanchor="left", y=1, yanchor="top",
                            font=dict(size=FONT - 1), tracegroupgap=4),
                hoverlabel=dict(font=dict(size=FONT)))
    fig.update_layout(**{**base, **over})
    for update in (fig.update_xaxes, fig.update_yaxes):  # over any theme's smaller ticks
        update(tickfont=dict(size=FONT - 1), title_font=dict(size=FONT))


def log_axis(title: str, values=None, max_labels: int = 7) -> dict:
    """Axis settings of a log axis labelled at whole decades only: every decade, or every
    2nd, 3rd, ... one when ``values`` (the data on the axis) span more than
    ``max_labels`` decades.

    Examples
    --------
    >>> log_axis("α")["dtick"], log_axis("α")["exponentformat"]
    (1, 'power')
    >>> log_axis("f", [1e-15, 1.0])["dtick"]
    3
    """
    step = 1
    if values is not None:
        v = np.asarray(values, dtype=float)
        v = v[np.isfinite(v) & (v > 0)]
        if v.size:
            decades = np.log10(v.max()) - np.log10(v.min())
            step = max(1, int(np.ceil(decades / max_labels)))
    return dict(type="log", title=_title(title), dtick=step, exponentformat="power",
                showexponent="all", minor=dict(showgrid=False, ticks=""))


def _title(text: str) -> dict:
    return dict(text=text, font=dict(size=FONT))


def _values(fig: go.Figure, axis: str) -> np.ndarray:
    """Every finite value the traces of ``fig`` put on ``axis`` ("x" or "y")."""
    out = [np.asarray(getattr(tr, axis), dtype=float).ravel() for tr in fig.data
           if getattr(tr, axis) is not None]
    return np.concatenate(out) if out else np.array([])


def _finite(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    return f32(x[ok]), f32(y[ok])


# --------------------------------------------------------------------------- implicit bias
def l1_alpha_figure(alphas: Sequence[float], Ls: Sequence[float], l1: np.ndarray,
                    converged: np.ndarray, n_iter: np.ndarray, refs: Mapping[str, float],
                    *, title: str = "ℓ1 norm of the limit against α") -> go.Figure:
    """``||x||_1`` of the last iterate against alpha (log axis), one line per L through
    the converged runs (filled markers); runs that did not converge are open markers in
    a trace of their own named "L = ..: not converged", whose hover says so. ``refs``
    (label -> value) are horizontal lines.

    Examples
    --------
    >>> fig = l1_alpha_figure([0.01, 0.1], [2], np.array([[1.0, 1.2]]),
    ...                       np.array([[False, True]]), np.array([[100, 40]]),
    ...                       {"min ℓ1 (LP)": 0.9})
    >>> [t.name for t in fig.data]
    ['L = 2', 'L = 2: not converged', 'min ℓ1 (LP) = 0.9000']
    """
    alphas = np.asarray(alphas, dtype=float)
    l1, converged, n_iter = np.asarray(l1), np.asarray(converged, bool), np.asarray(n_iter)
    fig = go.Figure()
    for i, L in enumerate(Ls):
        color = COLORS[i % len(COLORS)]
        ok = converged[i]
        fig.add_trace(go.Scatter(
            x=f32(alphas[ok]), y=f32(l1[i][ok]), name=f"L = {L:g}", mode="lines+markers",
            legendgroup=f"L{L:g}", line=dict(color=color, width=3),
            marker=dict(size=11, color=color),
            customdata=n_iter[i][ok],
            hovertemplate="α = %{x:.3g}<br>‖x‖₁ = %{y:.5f} (converged after "
                          "%{customdata} iterations)<extra>L = " + f"{L:g}</extra>"))
        if (~ok).any():
            fig.add_trace(go.Scatter(
                x=f32(alphas[~ok]), y=f32(l1[i][~ok]), name=f"L = {L:g}: {NOT_CONVERGED}",
                mode="markers", legendgroup=f"L{L:g}",
                marker=dict(size=12, symbol="circle-open", color=color,
                            line=dict(width=2.5, color=color)),
                customdata=n_iter[i][~ok],
                hovertemplate="α = %{x:.3g}<br>‖x‖₁ = %{y:.5f}: NOT converged after "
                              "%{customdata} iterations, not a limit<extra>L = "
                              + f"{L:g}</extra>"))
    styles = [("#1a202c", "solid"), ("#6b46c1", "dashdot"), (DIVERGED, "dash"),
              ("#2f855a", "dot")]
    for j, (label, value) in enumerate(refs.items()):
        if value is None or not np.isfinite(value):
            continue
        color, dash = styles[j % len(styles)]
        fig.add_trace(go.Scatter(
            x=f32([alphas.min(), alphas.max()]), y=f32([value, value]), mode="lines",
            name=f"{label} = {value:.4f}", line=dict(color=color, width=1.8, dash=dash),
            hoverinfo="name"))
    _layout(fig, title)
    fig.update_xaxes(**log_axis("α (u₀ = α·1, x₀ = α^L)"))
    fig.update_yaxes(title=_title("‖x‖₁ at the end of the run"))
    return fig


def trajectories_figure(iterations: Sequence[np.ndarray], xs: Sequence[np.ndarray],
                        Ls: Sequence[float], x_true: np.ndarray, *,
                        title: str = "Coordinates x_j along the run") -> go.Figure:
    """The support coordinates of ``x_k`` (log-log) against ``k + 1``, one panel per L,
    with their targets ``x_true_j`` (dotted) and the largest off-support coordinate
    (grey). ``iterations[i]``, ``xs[i]`` (checkpoints x n): the run with ``Ls[i]``.

    Examples
    --------
    >>> its = [np.array([0, 1, 9])]
    >>> X = [np.array([[1e-4, 1e-4, 1e-4], [1e-3, 1e-4, 1e-5], [0.5, 0.1, 1e-8]])]
    >>> fig = trajectories_figure(its, X, [2], np.array([0.5, 0.1, 0.0]))
    >>> [t.name for t in fig.data if t.showlegend]
    ['x_0 (target 0.5)', 'x_1 (target 0.1)', 'largest off-support x_j']
    """
    support = np.flatnonzero(np.asarray(x_true) > 0)
    off = np.setdiff1d(np.arange(np.size(x_true)), support)
    fig = make_subplots(rows=1, cols=len(Ls), shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=[f"L = {L:g}" for L in Ls])
    for i, (its, X) in enumerate(zip(iterations, xs)):
        k = np.asarray(its, dtype=float) + 1
        X = np.asarray(X, dtype=float)
        for c, j in enumerate(support):
            color = COLORS[c % len(COLORS)]
            x, y = _finite(k, np.maximum(X[:, j], FLOOR))
            fig.add_trace(go.Scatter(x=x, y=y, mode="lines", line=dict(color=color, width=3),
                                     name=f"x_{j} (target {x_true[j]:.3g})",
                                     legendgroup=f"c{j}", showlegend=i == 0),
                          row=1, col=i + 1)
            fig.add_trace(go.Scatter(x=f32([k[0], k[-1]]), y=f32([x_true[j]] * 2),
                                     mode="lines", hoverinfo="skip", showlegend=False,
                                     legendgroup=f"c{j}",
                                     line=dict(color=color, width=1.4, dash="dot")),
                          row=1, col=i + 1)
        if off.size:
            x, y = _finite(k, np.maximum(X[:, off].max(axis=1), FLOOR))
            fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name="largest off-support x_j",
                                     line=dict(color=REF, width=2.4, dash="dash"),
                                     legendgroup="off", showlegend=i == 0),
                          row=1, col=i + 1)
        fig.update_xaxes(**log_axis("iteration k + 1"), row=1, col=i + 1)
    fig.update_yaxes(**log_axis("x_j", _values(fig, "y")), row=1, col=1)
    _layout(fig, title, margin=dict(l=70, r=10, t=70, b=60))
    fig.update_annotations(font_size=FONT)
    return fig


def residual_paths_figure(results: Mapping[str, Result], *, title: str) -> go.Figure:
    """``||A x_k - b||`` against ``k + 1`` (log-log), one line per run; a run that did not
    converge is dashed and named "not converged".

    Examples
    --------
    >>> import nnls_core as nc
    >>> p = nc.sparse_problem(5, 10, 2, seed=0)
    >>> r = nc.solve(p.A, p.b, method="hadamard", alpha=0.1, max_iter=20)
    >>> [t.name for t in residual_paths_figure({"α = 0.1": r}, title="").data]
    ['α = 0.1 (not converged)']
    """
    fig = go.Figure()
    for i, (label, r) in enumerate(results.items()):
        ks, ys = _result_curve(r, "rnorm")
        ok = r.status == "converged"
        fig.add_trace(go.Scatter(
            x=ks, y=ys, name=label if ok else f"{label} ({NOT_CONVERGED})",
            mode="lines" if ks.size > 1 else "markers",
            line=dict(color=COLORS[i % len(COLORS)], width=2.6,
                      dash="solid" if ok else "dash")))
    _layout(fig, title)
    fig.update_xaxes(**log_axis("iteration k + 1"))
    fig.update_yaxes(**log_axis("‖A x_k − b‖", _values(fig, "y")))
    return fig


# --------------------------------------------------------------------------- recovery
def phase_figure(pt, *, height: int = 320) -> go.Figure:
    """Success probability heatmaps, one panel per method: rows m/n, columns s/m.

    A cell with runs that did not converge shows their count (they count as failures);
    the panel title gives the method's fraction of such runs.

    Examples
    --------
    >>> from nnls_core.experiments import phase_transition
    >>> pt = phase_transition(20, [0.5, 1.0], [0.2], trials=1, methods=["l1_min"])
    >>> fig = phase_figure(pt)
    >>> [t.type for t in fig.data], fig.layout.annotations[0].text
    (['heatmap'], 'ℓ1-min (LP): 0% not converged')
    """
    methods = list(pt.success)
    titles = [f"{METHOD_LABELS.get(mth, mth)}: {100 * pt.not_converged_fraction(mth):.0f}% "
              "not converged" for mth in methods]
    fig = make_subplots(rows=1, cols=len(methods), shared_yaxes=True,
                        horizontal_spacing=0.03, subplot_titles=titles)
    for j, mth in enumerate(methods):
        nc = np.asarray(pt.not_converged[mth])
        fig.add_trace(go.Heatmap(
            x=f32(pt.rhos), y=f32(pt.deltas), z=f32(pt.success[mth]), coloraxis="coloraxis",
            customdata=np.dstack([np.broadcast_to(pt.ms[:, None], pt.ss.shape), pt.ss, nc]),
            text=np.where(nc > 0, nc.astype(str), ""), texttemplate="%{text}",
            textfont=dict(color="white", size=FONT - 1),
            hovertemplate=("s/m = %{x:.2f}, m/n = %{y:.2f}<br>m = %{customdata[0]}, "
                           "s = %{customdata[1]}<br>success = %{z:.0%}<br>not converged: "
                           f"%{{customdata[2]}} of {pt.trials} runs<extra>"
                           + METHOD_LABELS.get(mth, mth) + "</extra>")),
            row=1, col=j + 1)
        fig.update_xaxes(title=_title("s / m"), row=1, col=j + 1)
    fig.update_yaxes(title=_title("m / n"), row=1, col=1)
    _layout(fig, "", height=height, margin=dict(l=70, r=10, t=60, b=60),
            coloraxis=dict(colorscale="Viridis", cmin=0, cmax=1,
                           colorbar=dict(title=_title("success"), tickformat=".0%", thickness=14,
                                         tickfont=dict(size=FONT - 1))))
    fig.update_annotations(font_size=FONT)
    return fig


def perturbation_figure(pe, *, height: int = 400) -> go.Figure:
    """Median error ``||x - x_true||`` (band: min to max over trials) against the size
    of the negative perturbation, with the reference line error = size.

    Examples
    --------
    >>> from nnls_core.experiments import perturbation_stability
    >>> pe = perturbation_stability(10, 30, 2, [1e-3, 1e-2], trials=1, methods=["l1_min"])
    >>> [t.name for t in perturbation_figure(pe).data if t.showlegend is not False]
    ['ℓ1-min (LP)', 'error = ‖d‖ (slope 1)']
    """
    fig = go.Figure()
    sizes = np.asarray(pe.sizes, dtype=float)
    pos = sizes > 0
    for i, (mth, err) in enumerate(pe.error.items()):
        color = COLORS[i % len(COLORS)]
        label = METHOD_LABELS.get(mth, mth)
        ok = pos & np.any(np.isfinite(err), axis=1)
        if not ok.any():
            continue
        e = err[ok]
        med = np.nanmedian(e, axis=1)
        lo, hi = np.nanmin(e, axis=1), np.nanmax(e, axis=1)
        xs = sizes[ok]
        fig.add_trace(go.Scatter(x=f32(np.concatenate([xs, xs[::-1]])),
                                 y=f32(np.maximum(np.concatenate([hi, lo[::-1]]), FLOOR)),
                                 fill="toself", fillcolor=color, opacity=0.15, mode="lines",
                                 line=dict(width=0), hoverinfo="skip", showlegend=False,
                                 legendgroup=label))
        fig.add_trace(go.Scatter(x=f32(xs), y=f32(np.maximum(med, FLOOR)), name=label,
                                 mode="lines+markers", legendgroup=label,
                                 line=dict(color=color, width=2.6,
                                           dash=["solid", "dash", "dot"][i % 3])))
    if pos.any():
        xs = sizes[pos]
        fig.add_trace(go.Scatter(x=f32(xs), y=f32(xs), name="error = ‖d‖ (slope 1)",
                                 mode="lines", line=dict(color=REF, width=1.6, dash="dot")))
    _layout(fig, "", height=height, margin=dict(l=70, r=10, t=20, b=60))
    fig.update_xaxes(**log_axis("‖d‖₂ (b = A(x_true − d), d ≥ 0)"))
    fig.update_yaxes(**log_axis("‖x − x_true‖₂", _values(fig, "y")))
    return fig


# --------------------------------------------------------------------------- rates
def _result_curve(r: Result, quantity: str) -> tuple[np.ndarray, np.ndarray]:
    """(k + 1, ||A x_k - b|| or f(x_k)) of a Result's history, thinned, finite."""
    obj = r.history.objective
    idx = log_indices(len(obj))
    val = obj[idx] if quantity == "objective" else np.sqrt(2 * np.maximum(obj[idx], 0))
    return _finite(r.history.objective_iterations[idx] + 1, np.maximum(val, FLOOR))


def result_curves(results: Mapping, quantity: str = "rnorm",
                  step: float | None = None) -> dict:
    """Curves ``label -> (k + 1, values)`` of Results (their histories) and Flows (at
    ``k = t / step``, the accelerated flow at ``k = t / (2 sqrt(step))``), in
    ``quantity``: "rnorm" (``||A x - b||``) or "objective" (``1/2 ||A x - b||^2``).

    Examples
    --------
    >>> import nnls_core as nc
    >>> p = nc.sparse_problem(5, 10, 2, seed=0)
    >>> r = nc.solve(p.A, p.b, method="hadamard", alpha=0.1, max_iter=3, step=0.01)
    >>> k, v = result_curves({"run": r})["run"]
    >>> k.tolist()
    [1.0, 2.0, 3.0, 4.0]
    """
    out = {}
    for label, r in results.items():
        if isinstance(r, Flow):
            ok = np.isfinite(r.objective) & (r.t > 0)
            h = accel_time_step(step) if label == "accelerated flow" else step
            ks = r.t[ok] / h
            obj = r.objective[ok]
            ys = obj if quantity == "objective" else np.sqrt(2 * np.maximum(obj, 0))
            keep = ks >= 1
            out[label] = _finite(ks[keep], np.maximum(ys[keep], FLOOR))
        else:
            out[label] = _result_curve(r, quantity)
    return out


def _references(fig, k_end: float, y0: float, refs: list[tuple[str, float]]) -> None:
    """Reference slopes ``k^(-p)`` from k0 = sqrt(k_end) on, starting a factor
    ``REF_BELOW`` under ``y0`` (the lowest curve there) so they never hide a curve."""
    if k_end < 10 or not np.isfinite(y0) or y0 <= 0:
        return
    k0 = max(2.0, float(np.sqrt(k_end)))
    y0 = max(y0 / REF_BELOW, FLOOR)
    ks = np.geomspace(k0, k_end, 40)
    for j, (name, p) in enumerate(refs):
        fig.add_trace(go.Scatter(x=f32(ks), y=f32(np.maximum(y0 * (ks / k0) ** (-p), FLOOR)),
                                 name="reference slopes" if j == 0 else name, mode="lines",
                                 legendgroup="refs", showlegend=j == 0,
                                 hovertemplate=f"reference slope {name}<extra></extra>",
                                 line=dict(color=REF, width=1.4, dash=DASHES[j % len(DASHES)])))


def _at(k: np.ndarray, y: np.ndarray, k0: float) -> float:
    return float(y[min(int(np.searchsorted(k, k0)), len(y) - 1)])


def _curve_trace(k, y, name, color, dash, status) -> go.Scatter:
    """One curve; a diverged run is drawn in red up to its last finite value and keeps
    its legend entry (a single point becomes a cross)."""
    diverged = status == "diverged"
    if diverged:
        name += " (diverged)"
    elif status not in (None, "converged", "max_iter"):
        name += f" ({status})"
    return go.Scatter(x=f32(k), y=f32(y), name=name,
                      mode="lines" if np.size(k) > 1 else "markers",
                      marker=dict(symbol="x", size=12, color=DIVERGED if diverged else color),
                      line=dict(color=DIVERGED if diverged else color, width=2.6, dash=dash))


def decay_figure(curves: Mapping, *, quantity: str = "rnorm",
                 statuses: Mapping | None = None,
                 title: str = "Decaying steps: larger γ, slower decrease") -> go.Figure:
    """The residual (or objective) against ``k + 1`` for each (L, gamma), with the
    references ``k^(gamma-1)`` per gamma (square-rooted for the residual norm).

    ``curves`` maps ``(L, gamma) -> (k + 1, values)``; colour = gamma, dash = L.
    ``statuses`` ``(L, gamma) -> status`` marks diverged runs (red, kept in the legend).

    Examples
    --------
    >>> c = {(2.0, 0.0): (np.array([1.0, 100.0]), np.array([1.0, 0.01]))}
    >>> [t.name for t in decay_figure(c).data]
    ['γ = 0, L = 2', 'reference slopes']
    """
    statuses = statuses or {}
    fig = go.Figure()
    gammas = sorted({g for _, g in curves})
    Ls = sorted({L for L, _ in curves})
    power = 1.0 if quantity == "objective" else 0.5
    longest = None
    for (L, g), (k, y) in sorted(curves.items()):
        fig.add_trace(_curve_trace(k, y, f"γ = {g:g}, L = {L:g}",
                                   COLORS[gammas.index(g) % len(COLORS)],
                                   ["solid", "dash", "dot", "dashdot"][Ls.index(L) % 4],
                                   statuses.get((L, g))))
        if statuses.get((L, g)) != "diverged" and np.size(k) > 1:
            if longest is None or k[-1] > longest[-1]:
                longest = k
    if longest is not None:
        k0 = np.sqrt(longest[-1])
        lowest = min(_at(k, y, k0) for (L, g), (k, y) in curves.items()
                     if statuses.get((L, g)) != "diverged" and np.size(k) > 1
                     and k[-1] >= k0)
        refs = [(f"k^({g:g}−1)" + ("" if power == 1 else "/2"), power * (1 - g))
                for g in gammas if g < 1]
        _references(fig, float(longest[-1]), lowest, refs)
    _layout(fig, title, height=420)
    fig.update_xaxes(**log_axis("iteration k + 1"))
    fig.update_yaxes(**log_axis("f(x_k) = ½‖A x_k − b‖²" if quantity == "objective"
                                else "‖A x_k − b‖", _values(fig, "y")))
    return fig


ACCEL_STYLES = {"plain": (COLORS[0], "solid", "plain GD"),
                "nesterov": (COLORS[1], "solid", "Nesterov"),
                "mirror": (COLORS[2], "solid", "accelerated mirror descent"),
                "gradient flow": (COLORS[0], "dot", "gradient flow (t = kη)"),
                "accelerated flow": (COLORS[2], "dot", "accelerated flow (t = 2k√η)")}


def acceleration_figure(curves: Mapping, *, ytitle: str, power: float,
                        statuses: Mapping | None = None,
                        title: str = "Acceleration: plain GD against momentum") -> go.Figure:
    """Plain GD, Nesterov, accelerated mirror descent (and flows) against ``k + 1``, with
    the reference slopes ``k^-power`` and ``k^-2 power`` from the plain curve.

    ``curves``: ``"plain" | "nesterov" | "mirror" | "gradient flow" | "accelerated flow"
    -> (k + 1, values)``; ``power``: 1 for an objective, 0.5 for a residual norm.

    Examples
    --------
    >>> c = {"plain": (np.array([1.0, 1e4]), np.array([1.0, 1e-4]))}
    >>> [t.hovertemplate or t.name for t in acceleration_figure(c, ytitle="f", power=1).data]
    ['plain GD', 'reference slope 1/k<extra></extra>', 'reference slope 1/k²<extra></extra>']
    """
    statuses = statuses or {}
    fig = go.Figure()
    for label, (k, y) in curves.items():
        color, dash, name = ACCEL_STYLES.get(label, (COLORS[3], "solid", label))
        fig.add_trace(_curve_trace(k, y, name, color, dash, statuses.get(label)))
    if "plain" in curves and np.size(curves["plain"][0]) > 1:
        k, y = curves["plain"]
        names = {1.0: "1/k", 0.5: "1/√k", 2.0: "1/k²"}
        _references(fig, float(k[-1]), _at(k, y, np.sqrt(k[-1])),
                    [(names.get(power, f"k^-{power:g}"), power),
                     (names.get(2 * power, f"k^-{2 * power:g}"), 2 * power)])
    _layout(fig, title)
    fig.update_xaxes(**log_axis("iteration k + 1"))
    fig.update_yaxes(**log_axis(ytitle, _values(fig, "y")))
    return fig
