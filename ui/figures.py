"""Pure figure builders for the NNLS pages: Result(s) in, plotly Figure out.

Everything sent to the browser is thinned and float32 (about 10x smaller payloads).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nnls_core import Result

FLOOR = 1e-30  # values at or below this are drawn at the floor of a log axis
COLORS = ["#2b6cb0", "#dd6b20", "#2f855a", "#c53030", "#6b46c1", "#b7791f", "#319795",
          "#d53f8c"]
SUPPORT, OFF_SUPPORT = "#2b6cb0", "#ed8936"
LAYOUT = dict(template="plotly_white", margin=dict(l=60, r=20, t=90, b=50),
              title=dict(x=0, xanchor="left", y=0.98, yanchor="top"),
              legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0), height=440)


def f32(a) -> np.ndarray:
    """float32 copy for plotting."""
    return np.asarray(a, dtype=np.float32)


def log_indices(n: int, max_points: int = 600) -> np.ndarray:
    """Indices 0..n-1 thinned to at most ``max_points``, log-spaced, keeping the last.

    Examples
    --------
    >>> log_indices(5).tolist()
    [0, 1, 2, 3, 4]
    >>> idx = log_indices(10**6, 100); bool(len(idx) <= 101 and idx[-1] == 10**6 - 1)
    True
    """
    if n <= max_points:
        return np.arange(n)
    idx = np.unique(np.round(np.geomspace(1, n, max_points)).astype(np.int64) - 1)
    return np.union1d(idx, [0, n - 1])


def objective_figure(results: dict[str, Result], f_star: float, *, gamma: float | None = None,
                     anchor: str | None = None) -> go.Figure:
    """Suboptimality ``f(x_k) - f*`` against iteration (log-log) with reference slopes.

    Parameters
    ----------
    results : dict
        Label -> Result of an iterative method.
    f_star : float
        Optimal value (e.g. from Lawson-Hanson).
    gamma : float, optional
        Step-size decay exponent; adds the reference ``k^(gamma - 1)``.
    anchor : str, optional
        Label of the curve the reference slopes start from (default: the first).
    """
    fig = go.Figure()
    anchor = anchor if anchor in results else next(iter(results), None)
    for i, (label, r) in enumerate(results.items()):
        obj = r.history.objective
        if len(obj) < 2:
            continue
        idx = log_indices(len(obj) - 1) + 1  # iterations 1..n_iter on a log axis
        ks = r.history.objective_iterations[idx]  # long runs log every 2nd, 4th, ... one
        gap = np.maximum(obj[idx] - f_star, FLOOR)
        fig.add_trace(go.Scatter(x=f32(ks), y=f32(gap), name=label, mode="lines",
                                 line=dict(color=COLORS[i % len(COLORS)], width=2.5)))
    if anchor is not None and len(results[anchor].history.objective) > 10:
        h = results[anchor].history
        obj, its = h.objective, h.objective_iterations
        n = int(its[-1])
        # a point in the middle of the log axis (the logged iteration nearest sqrt(n))
        j0 = min(int(np.searchsorted(its, max(2, int(round(n ** 0.5))))), len(its) - 1)
        k0 = int(its[j0])
        g0 = max(obj[j0] - f_star, FLOOR)
        ks = np.geomspace(k0, n, 50)
        refs = [("1/k", 1.0), ("1/k²", 2.0)]
        if gamma:
            refs.append((f"k^(γ-1), γ={gamma:g}", 1.0 - gamma))
        for j, (name, p) in enumerate(refs):
            fig.add_trace(go.Scatter(x=f32(ks), y=f32(g0 * (ks / k0) ** (-p)), name=name,
                                     mode="lines", line=dict(color="#718096", width=1.2,
                                                             dash=["dash", "dot", "dashdot"][j])))
    fig.update_layout(**LAYOUT, title_text="Objective gap f(x_k) − f* (log-log)")
    fig.update_xaxes(type="log", title="iteration k")
    fig.update_yaxes(type="log", title="f(x_k) − f*", exponentformat="power")
    return fig


def _coordinates(r: Result, x_true: np.ndarray | None, max_coords: int):
    on = x_true > 0 if x_true is not None else r.x > 1e-3 * max(r.x.max(), 1e-300)
    on_idx = np.flatnonzero(on)[:max_coords]
    off_idx = np.flatnonzero(~on)
    peak = r.history.x[:, off_idx].max(axis=0) if off_idx.size else np.array([])
    off_idx = off_idx[np.argsort(-peak)][: max(0, max_coords - on_idx.size)]
    return on_idx, off_idx


def _joined(ks: np.ndarray, X: np.ndarray, idx: np.ndarray):
    """Many lines as one trace: x, y and the coordinate index, separated by NaN gaps."""
    c = len(ks)
    xs = np.tile(np.append(ks, np.nan), len(idx)).astype(np.float32)
    ys = np.column_stack([X[:, idx].T, np.full(len(idx), np.nan)]).ravel().astype(np.float32)
    ids = np.repeat(idx, c + 1)
    return xs, ys, ids


def trajectories_figure(r: Result, x_true: np.ndarray | None = None, *, max_coords: int = 40,
                        n_frames: int = 40) -> go.Figure:
    """Coordinate trajectories ``x_i(k)`` (support blue, off-support orange) with a
    client-side play / pause / step animation of the current iterate (no reruns)."""
    h = r.history
    on_idx, off_idx = _coordinates(r, x_true, max_coords)
    keep = log_indices(len(h.iterations), 300)
    ks = f32(h.iterations[keep] + 1)
    log_y = bool(np.all(h.x >= 0))
    X = np.maximum(h.x[keep], 1e-16) if log_y else h.x[keep]
    fig = go.Figure()
    for group, idx, color, width in (("support", on_idx, SUPPORT, 1.8),
                                     ("off-support", off_idx, OFF_SUPPORT, 1.0)):
        if idx.size == 0:
            continue
        xs, ys, ids = _joined(ks, X, idx)
        fig.add_trace(go.Scatter(
            x=xs, y=ys, customdata=ids, mode="lines", name=f"{group} ({len(idx)} shown)",
            line=dict(color=color, width=width), opacity=0.9 if group == "support" else 0.6,
            hovertemplate="x[%{customdata}] = %{y:.3g} at k = %{x:.0f}<extra></extra>"))
    shown = np.concatenate([on_idx, off_idx]).astype(int)
    colors = [SUPPORT] * len(on_idx) + [OFF_SUPPORT] * len(off_idx)
    frames_at = np.unique(np.linspace(0, len(keep) - 1, min(n_frames, len(keep))).astype(int))
    j0 = frames_at[0]
    fig.add_trace(go.Scatter(
        x=np.full(len(shown), ks[j0], dtype=np.float32), y=f32(X[j0, shown]), mode="markers",
        name="current iterate", marker=dict(color=colors, size=8, line=dict(color="white", width=1)),
        hoverinfo="skip"))
    marker_trace = len(fig.data) - 1
    fig.frames = [dict(name=str(int(ks[j])), traces=[marker_trace],
                       data=[dict(x=np.full(len(shown), ks[j], dtype=np.float32).tolist(),
                                  y=f32(X[j, shown]).tolist())])
                  for j in frames_at]
    anim = dict(mode="immediate", frame=dict(duration=0, redraw=False), transition=dict(duration=0))
    steps = [dict(method="animate", label=str(int(ks[j])), args=[[str(int(ks[j]))], anim])
             for j in frames_at]
    fig.update_layout(
        **{**LAYOUT, "height": 480, "margin": dict(l=60, r=20, t=90, b=110)},
        title_text="Coordinate trajectories x_i(k)",
        updatemenus=[dict(type="buttons", direction="left", x=0, y=-0.2, xanchor="left",
                          yanchor="top", showactive=False, buttons=[
            dict(label="▶ Play", method="animate",
                 args=[None, dict(frame=dict(duration=80, redraw=False), fromcurrent=True,
                                  transition=dict(duration=0))]),
            dict(label="❚❚ Pause", method="animate", args=[[None], anim])])],
        sliders=[dict(active=0, x=0.2, len=0.8, y=-0.12, yanchor="top", pad=dict(t=0),
                      currentvalue=dict(prefix="iteration k = "), steps=steps)],
    )
    fig.update_xaxes(type="log", title="iteration k")
    fig.update_yaxes(type="log" if log_y else "linear", title="x_i", exponentformat="power")
    return fig


def stem_figure(vectors: dict[str, np.ndarray], x_true: np.ndarray | None = None,
                *, title: str = "Solutions, coordinate by coordinate") -> go.Figure:
    """Stem plot of several vectors (and the ground truth) against the coordinate index."""
    fig = go.Figure()
    series = ({"x_true": x_true} if x_true is not None else {}) | vectors
    for i, (label, v) in enumerate(series.items()):
        v = np.asarray(v, dtype=float)
        idx = np.arange(v.size)
        color = "#1a202c" if label == "x_true" else COLORS[i % len(COLORS)]
        xs = np.repeat(idx, 3).astype(np.float32)
        ys = np.column_stack([np.zeros_like(v), v, np.full_like(v, np.nan)]).ravel()
        fig.add_trace(go.Scatter(x=xs, y=f32(ys), mode="lines", legendgroup=label,
                                 showlegend=False, hoverinfo="skip",
                                 line=dict(color=color, width=1)))
        fig.add_trace(go.Scatter(
            x=f32(idx), y=f32(v), mode="markers", name=label, legendgroup=label,
            marker=dict(color=color, size=9 if label == "x_true" else 6,
                        symbol="circle-open" if label == "x_true" else "circle")))
    fig.update_layout(**LAYOUT, title_text=title)
    fig.update_xaxes(title="coordinate i")
    fig.update_yaxes(title="x_i", zeroline=True, zerolinecolor="#a0aec0")
    return fig


def l1_kkt_figure(results: dict[str, Result], references: dict[str, float], *,
                  tol: float | None = None) -> go.Figure:
    """Left: ||x_k||_1 with horizontal references; right: the relative optimality residual
    of the stopping test (``History.kkt``, see :func:`nnls_core.optimality`), log-log,
    with the tolerance ``tol`` as a dotted line when given."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=(
        "ℓ1 norm of x_k", "relative optimality residual (stopping test)"))
    for i, (label, r) in enumerate(results.items()):
        h = r.history
        keep = log_indices(len(h.iterations), 400)
        ks = f32(h.iterations[keep] + 1)
        color = COLORS[i % len(COLORS)]
        fig.add_trace(go.Scatter(x=ks, y=f32(h.l1[keep]), name=label, legendgroup=label,
                                 line=dict(color=color, width=2.2)), row=1, col=1)
        fig.add_trace(go.Scatter(x=ks, y=f32(np.maximum(h.kkt[keep], FLOOR)), name=label,
                                 legendgroup=label, showlegend=False,
                                 line=dict(color=color, width=2.2)), row=1, col=2)
    k_max = max((r.history.iterations[-1] + 1 for r in results.values()), default=1)
    for j, (label, value) in enumerate(references.items()):
        fig.add_trace(go.Scatter(x=[1, max(k_max, 2)], y=[value, value], name=label,
                                 mode="lines", line=dict(color=["#1a202c", "#718096", "#a0aec0"][j % 3],
                                                         width=1.4, dash=["dash", "dot", "dashdot"][j % 3])),
                      row=1, col=1)
    if tol is not None and tol > 0:
        fig.add_trace(go.Scatter(x=[1, max(k_max, 2)], y=[tol, tol], name=f"tolerance {tol:.0e}",
                                 mode="lines", line=dict(color="#718096", width=1.2, dash="dot")),
                      row=1, col=2)
    fig.update_layout(**{**LAYOUT, "margin": dict(l=60, r=20, t=110, b=50),
                         "legend": dict(orientation="h", yanchor="bottom", y=1.1, x=0)})
    fig.update_xaxes(type="log", title="iteration k")
    fig.update_yaxes(type="log", row=1, col=2, exponentformat="power")
    return fig
