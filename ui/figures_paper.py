"""Pure figure builders for the paper's experiments (implicit bias, recovery, rates).

Inputs are the objects of :mod:`nnls_core.sweep` (or Results); outputs plotly Figures.
Everything sent to the browser is float32 and thinned; nothing non-finite is plotted
(diverged or missing points are left out and reported by the pages).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nnls_core import Result
from nnls_core.experiments import accel_time_step
from ui.figures import COLORS, LAYOUT, f32, log_indices

FLOOR = 1e-16
REF = "#718096"
DASHES = ["dash", "dot", "dashdot", "longdash", "longdashdot"]
METHOD_LABELS = {"hadamard": "Hadamard GD", "lawson_hanson": "Lawson-Hanson",
                 "l1_min": "ℓ1-min (LP)"}


def _layout(fig, title: str, **over) -> None:
    """The house layout with a title (and overrides)."""
    base = {**LAYOUT, "legend": dict(orientation="h", yanchor="top", y=-0.2, x=0),
            "margin": dict(l=60, r=20, t=50, b=150), "height": 520}
    fig.update_layout(**{**base, **over, "title": title})


def _finite(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    return f32(x[ok]), f32(y[ok])


def l1_alpha_figure(ib) -> go.Figure:
    """``||x_alpha||_1`` of the limit against alpha (log axis), one line per L, with the
    LP minimum-l1 value, Lawson-Hanson's l1 and ``||x_true||_1`` as horizontal lines.

    Open markers: runs that did not converge (status "max_iter", "stalled", ...)."""
    fig = go.Figure()
    for i, L in enumerate(ib.Ls):
        conv = ib.converged[i]
        color = COLORS[i % len(COLORS)]
        fig.add_trace(go.Scatter(
            x=f32(ib.alphas), y=f32(ib.l1[i]), name=f"L = {L:g}", mode="lines+markers",
            line=dict(color=color, width=2.4),
            marker=dict(size=9, color=color, symbol=["circle" if c else "circle-open"
                                                     for c in conv],
                        line=dict(width=2, color=color)),
            hovertemplate="α = %{x:.3g}<br>‖x‖₁ = %{y:.5f}<extra>L = " + f"{L:g}</extra>"))
    refs = [("min ℓ1 (LP)", ib.l1_lp, "#1a202c", "solid"),
            ("Lawson-Hanson", ib.l1_lh, "#c53030", "dash")]
    if ib.l1_true is not None:
        refs.append(("‖x_true‖₁", ib.l1_true, "#2f855a", "dot"))
    for label, value, color, dash in refs:
        fig.add_trace(go.Scatter(
            x=f32([ib.alphas.min(), ib.alphas.max()]), y=f32([value, value]), mode="lines",
            name=f"{label} = {value:.4f}", line=dict(color=color, width=1.4, dash=dash),
            hoverinfo="name"))
    _layout(fig, "ℓ1 norm of the limit against the initialization α")
    fig.update_xaxes(type="log", title="α (u₀ = α·1)", exponentformat="power")
    fig.update_yaxes(title="‖x_α‖₁")
    return fig


def distance_alpha_figure(ib) -> go.Figure:
    """``||x_alpha - x_l1||_2`` against alpha (log-log), one line per L."""
    fig = go.Figure()
    for i, L in enumerate(ib.Ls):
        color = COLORS[i % len(COLORS)]
        fig.add_trace(go.Scatter(
            x=f32(ib.alphas), y=f32(np.maximum(ib.distance[i], FLOOR)), name=f"L = {L:g}",
            mode="lines+markers", line=dict(color=color, width=2.4),
            marker=dict(size=9, color=color, symbol=["circle" if c else "circle-open"
                                                     for c in ib.converged[i]],
                        line=dict(width=2, color=color))))
    _layout(fig, "Distance to the minimum-ℓ1 solution")
    fig.update_xaxes(type="log", title="α", exponentformat="power")
    fig.update_yaxes(type="log", title="‖x_α − x_ℓ1‖₂", exponentformat="power")
    return fig


def residual_paths_figure(results: dict[str, Result], *, title: str) -> go.Figure:
    """``||A x_k - b||`` against iteration (log-log), one line per run."""
    fig = go.Figure()
    for i, (label, r) in enumerate(results.items()):
        obj = r.history.objective
        if len(obj) < 2:
            continue
        idx = log_indices(len(obj))
        ks = r.history.objective_iterations[idx]  # long runs log every 2nd, 4th, ... one
        x, y = _finite(ks + 1, np.maximum(np.sqrt(2 * np.maximum(obj[idx], 0)), FLOOR))
        fig.add_trace(go.Scatter(x=x, y=y, name=label, mode="lines",
                                 line=dict(color=COLORS[i % len(COLORS)], width=2.2)))
    _layout(fig, title)
    fig.update_xaxes(type="log", title="iteration k + 1")
    fig.update_yaxes(type="log", title="‖A x_k − b‖", exponentformat="power")
    return fig


def phase_figure(pt) -> go.Figure:
    """Success probability heatmaps, one panel per method: rows m/n, columns s/m."""
    methods = list(pt.success)
    fig = make_subplots(rows=1, cols=len(methods), shared_yaxes=True,
                        horizontal_spacing=0.04,
                        subplot_titles=[METHOD_LABELS.get(mth, mth) for mth in methods])
    for j, mth in enumerate(methods):
        fig.add_trace(go.Heatmap(
            x=f32(pt.rhos), y=f32(pt.deltas), z=f32(pt.success[mth]), coloraxis="coloraxis",
            customdata=np.dstack([np.broadcast_to(pt.ms[:, None], pt.ss.shape), pt.ss]),
            hovertemplate=("s/m = %{x:.2f}, m/n = %{y:.2f}<br>m = %{customdata[0]}, "
                           "s = %{customdata[1]}<br>success = %{z:.0%}<extra>"
                           + METHOD_LABELS.get(mth, mth) + "</extra>")),
            row=1, col=j + 1)
        fig.update_xaxes(title="s / m (sparsity)", row=1, col=j + 1)
    fig.update_yaxes(title="m / n (measurements)", row=1, col=1)
    _layout(fig, f"Probability of recovering x_true (n = {pt.n}, {pt.trials} trials per cell)",
            height=420, margin=dict(l=60, r=20, t=80, b=50),
            coloraxis=dict(colorscale="Viridis", cmin=0, cmax=1,
                           colorbar=dict(title="success", tickformat=".0%")))
    return fig


def perturbation_figure(pe) -> go.Figure:
    """Median error ``||x - x_true||`` (band: min to max over trials) against the size
    of the negative perturbation, with the reference line error = size."""
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
                                 line=dict(color=color, width=2.4,
                                           dash=["solid", "dash", "dot"][i % 3])))
    if pos.any():
        xs = sizes[pos]
        fig.add_trace(go.Scatter(x=f32(xs), y=f32(xs), name="error = ‖d‖ (slope 1)",
                                 mode="lines", line=dict(color=REF, width=1.2, dash="dot")))
    _layout(fig, "Stability under a negative perturbation of x_true")
    fig.update_xaxes(type="log", title="‖d‖₂ (b = A(x_true − d), d ≥ 0)",
                     exponentformat="power")
    fig.update_yaxes(type="log", title="‖x − x_true‖₂ (median, band: min-max)",
                     exponentformat="power")
    return fig


def _curve(h, quantity: str):
    """(iteration + 1, quantity) of a History, thinned for plotting."""
    obj = h.objective
    idx = log_indices(len(obj))
    val = obj[idx] if quantity == "objective" else np.sqrt(2 * np.maximum(obj[idx], 0))
    return h.objective_iterations[idx] + 1, np.maximum(val, FLOOR)


def _anchor(h, quantity: str) -> tuple[int, float]:
    """(last iteration n, the quantity near iteration sqrt(n)): where reference slopes start."""
    its = h.objective_iterations
    n = int(its[-1])
    j0 = min(int(np.searchsorted(its, max(2, int(np.sqrt(n))))), len(its) - 1)
    v = h.objective[j0]
    return n, float(v if quantity == "objective" else np.sqrt(2 * v))


def _references(fig, k_end: int, y0: float, refs: list[tuple[str, float]]) -> None:
    """Reference slopes ``k^(-p)`` from (k0, y0) on, k0 = sqrt(k_end)."""
    if k_end < 10 or not np.isfinite(y0) or y0 <= 0:
        return
    k0 = max(2.0, float(np.sqrt(k_end)))
    ks = np.geomspace(k0, k_end, 40)
    for j, (name, p) in enumerate(refs):
        fig.add_trace(go.Scatter(x=f32(ks), y=f32(np.maximum(y0 * (ks / k0) ** (-p), FLOOR)),
                                 name=name, mode="lines", legendgroup="refs",
                                 line=dict(color=REF, width=1.2, dash=DASHES[j % len(DASHES)])))


def _quantity_axis(fig, quantity: str) -> None:
    fig.update_xaxes(type="log", title="iteration k + 1")
    title = "f(x_k) = ½‖A x_k − b‖²" if quantity == "objective" else "‖A x_k − b‖"
    fig.update_yaxes(type="log", title=title, exponentformat="power")


def decay_figure(results: dict, *, quantity: str = "rnorm") -> go.Figure:
    """Objective or residual norm against k for each (L, gamma), with the references
    ``k^(gamma-1)`` for each gamma and ``1/k``, ``1/k^2``.

    ``results`` maps ``(L, gamma) -> Result``; colour = gamma, dash = L. For the residual
    norm (the square root of twice the objective) the references are square-rooted too.
    """
    fig = go.Figure()
    gammas = sorted({g for _, g in results})
    Ls = sorted({L for L, _ in results})
    power = 1.0 if quantity == "objective" else 0.5
    anchor = None
    for (L, g), r in sorted(results.items()):
        obj = r.history.objective
        if len(obj) < 2:
            continue
        ks, ys = _curve(r.history, quantity)
        color = COLORS[gammas.index(g) % len(COLORS)]
        label = f"γ = {g:g}, L = {L:g}" + (" (diverged)" if r.status == "diverged" else "")
        fig.add_trace(go.Scatter(x=f32(ks), y=f32(ys), name=label, mode="lines",
                                 line=dict(color=color, width=2.2,
                                           dash=["solid", "dash", "dot", "dashdot"][
                                               Ls.index(L) % 4])))
        if anchor is None or obj.size > anchor.objective.size:
            anchor = r.history
    if anchor is not None:
        n, y0 = _anchor(anchor, quantity)
        refs = [(f"k^({g:g}−1)" + ("" if power == 1 else "/2"), power * (1 - g))
                for g in gammas if g < 1]
        refs += [("1/k" if power == 1 else "1/√k", power), ("1/k²" if power == 1 else "1/k",
                                                           2 * power)]
        seen, uniq = set(), []
        for name, p in refs:
            if round(p, 6) not in seen:
                seen.add(round(p, 6))
                uniq.append((name, p))
        _references(fig, n, float(y0), uniq)
    _layout(fig, "Step-size decay η_k = η/(k+1)^γ: larger γ, slower decrease", height=560)
    _quantity_axis(fig, quantity)
    return fig


def acceleration_figure(out: dict, *, step: float, quantity: str = "rnorm") -> go.Figure:
    """Plain GD, Nesterov and accelerated mirror descent against k, the gradient flow
    against ``k = t / step``, the accelerated flow against ``k = t / (2 sqrt(step))``
    (the time step of the mirror iteration), and the references ``1/k``, ``1/k^2``."""
    fig = go.Figure()
    power = 1.0 if quantity == "objective" else 0.5
    anchor = None
    styles = {"plain": (COLORS[0], "solid"), "nesterov": (COLORS[1], "solid"),
              "mirror": (COLORS[2], "solid"), "gradient flow": (COLORS[0], "dot"),
              "accelerated flow": (COLORS[2], "dot")}
    for label, r in out.items():
        color, dash = styles.get(label, (COLORS[3], "solid"))
        if isinstance(r, Result):
            obj = r.history.objective
            if len(obj) < 2:
                continue
            ks, ys = _curve(r.history, quantity)
            name = {"plain": "plain GD", "nesterov": "Nesterov (restart)",
                    "mirror": "accelerated mirror descent"}.get(label, label)
            if r.status == "diverged":
                name += " (diverged)"
            if label == "plain":
                anchor = r.history
        else:  # a Flow: x axis k = t / h
            ok = np.isfinite(r.objective) & (r.t > 0)
            if not ok.any():
                continue
            h = accel_time_step(step) if label == "accelerated flow" else step
            ks = r.t[ok] / h
            obj = r.objective[ok]
            ys = np.maximum(obj if quantity == "objective" else np.sqrt(2 * np.maximum(obj, 0)),
                            FLOOR)
            keep = ks >= 1
            ks, ys = ks[keep], ys[keep]
            name = f"{label} (t = {'2k√η' if label == 'accelerated flow' else 'kη'})"
        fig.add_trace(go.Scatter(x=f32(ks), y=f32(ys), name=name, mode="lines",
                                 line=dict(color=color, width=2.4 if dash == "solid" else 2,
                                           dash=dash)))
    if anchor is not None:
        n, y0 = _anchor(anchor, quantity)
        refs = [("1/k" if power == 1 else "1/√k", power),
                ("1/k²" if power == 1 else "1/k", 2 * power)]
        _references(fig, n, float(y0), refs)
    _layout(fig, "Acceleration: plain GD, momentum and the paper's ODE")
    _quantity_axis(fig, quantity)
    return fig
