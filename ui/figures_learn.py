"""Figures of the two teaching pages: pure functions returning plotly Figures.

Arrays handed to plotly are float32 (smaller payloads); no streamlit import here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

COLORS = ["#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"]
PG_COLOR = "#d62728"
FONT = dict(size=14)


def _f32(a) -> np.ndarray:
    return np.asarray(a, dtype=np.float32)


def _layout(fig: go.Figure, height: int, **kw) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=60, r=20, t=50, b=50), font=FONT,
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0), **kw)
    return fig


# --------------------------------------------------------------------------- GD basics
def taylor_figure(betas, predicted, actual, beta: float, pred_now: float,
                  actual_now: float) -> go.Figure:
    """Predicted (first-order Taylor) and actual loss change against the angle beta.

    Parameters
    ----------
    betas, predicted, actual : array_like
        A sweep over angles in degrees (see ``nnls_core.teaching.taylor_sweep``).
    beta : float
        The currently chosen angle (highlighted).
    pred_now, actual_now : float
        The two changes at ``beta``.

    Examples
    --------
    >>> fig = taylor_figure([0, 180, 360], [1, -1, 1], [1.1, -0.9, 1.1], 90, 0.0, 0.05)
    >>> len(fig.data)
    5
    """
    fig = go.Figure()
    fig.add_scatter(x=_f32(betas), y=_f32(predicted), mode="lines",
                    name="predicted  η uᵀ∇L", line=dict(color=COLORS[0], width=3))
    fig.add_scatter(x=_f32(betas), y=_f32(actual), mode="lines",
                    name="actual  L(θ+ηu) − L(θ)", line=dict(color=PG_COLOR, dash="dash", width=3))
    fig.add_scatter(x=[beta, beta], y=[pred_now, actual_now], mode="markers",
                    marker=dict(size=13, color=[COLORS[0], PG_COLOR], line=dict(width=1)),
                    name=f"your u (β = {beta:.0f}°)")
    i = int(np.argmin(np.asarray(predicted)))
    fig.add_scatter(x=[float(np.asarray(betas)[i])], y=[float(np.asarray(predicted)[i])],
                    mode="markers+text", marker=dict(symbol="star", size=16, color="gold",
                                                     line=dict(width=1, color="black")),
                    text=["best: β = 180°"], textposition="bottom center", name="steepest descent")
    fig.add_hline(y=0, line=dict(color="gray", width=1))
    fig.add_scatter(x=[90, 270], y=[0, 0], mode="markers", marker=dict(size=8, color="gray"),
                    name="no change to first order")
    fig.update_xaxes(title="angle β between u and ∇L (degrees)", tickvals=list(range(0, 361, 45)))
    fig.update_yaxes(title="change of the loss")
    return _layout(fig, 420)


def direction_figure(w_axis, b_axis, Z, theta, grad, u, eta: float) -> go.Figure:
    """Zoomed contour of the loss around theta, with the gradient and the direction u.

    Examples
    --------
    >>> w = np.linspace(-1, 1, 5); Z = np.add.outer(w**2, w**2)
    >>> fig = direction_figure(w, w, Z, [0, 0], [1, 0], [0, 1], 0.5)
    >>> len(fig.layout.annotations)
    6
    """
    theta = np.asarray(theta, float)
    g = np.asarray(grad, float)
    gn = float(np.hypot(*g)) or 1.0
    fig = go.Figure()
    fig.add_contour(x=_f32(w_axis), y=_f32(b_axis), z=_f32(np.log10(np.asarray(Z) + 1e-3)),
                    colorscale="Viridis", ncontours=30, showscale=False,
                    contours=dict(showlines=True),
                    hovertemplate="w=%{x:.2f}<br>b=%{y:.2f}<extra></extra>")
    arrows = ((theta - eta * g / gn, "gold", "−∇L"), (theta + eta * g / gn, "white", "∇L"),
              (theta + eta * np.asarray(u, float), "#ff7f0e", "u"))
    for head, color, text in arrows:
        fig.add_annotation(x=float(head[0]), y=float(head[1]), ax=float(theta[0]),
                           ay=float(theta[1]), xref="x", yref="y", axref="x", ayref="y",
                           showarrow=True, arrowhead=3, arrowwidth=3, arrowcolor=color,
                           text="")
        lab = theta + 1.18 * (head - theta)
        fig.add_annotation(x=float(lab[0]), y=float(lab[1]), text=f"<b>{text}</b>",
                           showarrow=False, font=dict(color=color, size=17),
                           bgcolor="rgba(0,0,0,0.45)")
    fig.add_scatter(x=[theta[0]], y=[theta[1]], mode="markers", name="θ",
                    marker=dict(size=10, color="white", line=dict(width=2, color="black")))
    fig.update_xaxes(title="w", range=[float(w_axis[0]), float(w_axis[-1])])
    fig.update_yaxes(title="b", range=[float(b_axis[0]), float(b_axis[-1])],
                     scaleanchor="x", scaleratio=1)
    fig.update_layout(showlegend=False)
    return _layout(fig, 420)


def neuron_fit_figure(x, y, w_start: float, b_start: float, w_end: float,
                      b_end: float) -> go.Figure:
    """The five data points with the sigmoid at the start and at the end of descent.

    Examples
    --------
    >>> len(neuron_fit_figure([0, 1], [0.2, 0.8], 0, 0, 1, 0).data)
    3
    """
    x = np.asarray(x, float)
    span = max(float(x.max() - x.min()), 1.0)
    xs = np.linspace(x.min() - 0.2 * span, x.max() + 0.2 * span, 200)
    fig = go.Figure()
    fig.add_scatter(x=_f32(x), y=_f32(y), mode="markers", name="data (xᵢ, yᵢ)",
                    marker=dict(size=12, color="black"))
    for (w, b), name, color, dash in (((w_start, b_start), "start", "gray", "dot"),
                                      ((w_end, b_end), "after descent", COLORS[0], "solid")):
        fs = 1.0 / (1.0 + np.exp(-np.clip(w * xs + b, -500, 500)))
        fig.add_scatter(x=_f32(xs), y=_f32(fs), mode="lines", line=dict(color=color, dash=dash,
                        width=3), name=f"{name}: w={w:.2f}, b={b:.2f}")
    fig.update_xaxes(title="x")
    fig.update_yaxes(title="y", range=[-0.05, 1.05])
    return _layout(fig, 380)


def _path_xy(path_w, path_b, w_axis, b_axis):
    """Clip a path to the plotted box so that overshooting steps stay visible."""
    return (np.clip(path_w, w_axis[0], w_axis[-1]), np.clip(path_b, b_axis[0], b_axis[-1]))


def loss_contour_figure(w_axis, b_axis, Z, path_w, path_b) -> go.Figure:
    """Contour of the loss over (w, b) with the gradient-descent path.

    Points of the path outside the plotted box are drawn on its edge.

    Examples
    --------
    >>> w = np.linspace(-1, 1, 5); Z = np.add.outer(w**2, w**2)
    >>> len(loss_contour_figure(w, w, Z, [1, 0], [1, 0]).data)
    4
    """
    pw, pb = _path_xy(np.asarray(path_w, float), np.asarray(path_b, float), w_axis, b_axis)
    fig = go.Figure()
    fig.add_contour(x=_f32(w_axis), y=_f32(b_axis), z=_f32(np.log10(np.asarray(Z) + 1e-3)),
                    colorscale="Viridis", ncontours=25,
                    colorbar=dict(title="log₁₀ L", thickness=12),
                    hovertemplate="w=%{x:.2f}<br>b=%{y:.2f}<extra></extra>")
    fig.add_scatter(x=_f32(pw), y=_f32(pb), mode="lines+markers", name="GD path",
                    line=dict(color="white", width=2), marker=dict(size=4, color="white"))
    fig.add_scatter(x=[pw[0]], y=[pb[0]], mode="markers", name="start",
                    marker=dict(size=13, color="#ff7f0e", line=dict(width=1, color="black")))
    fig.add_scatter(x=[pw[-1]], y=[pb[-1]], mode="markers", name="end",
                    marker=dict(size=13, symbol="x", color=PG_COLOR, line=dict(width=1)))
    fig.update_xaxes(title="w", range=[float(w_axis[0]), float(w_axis[-1])])
    fig.update_yaxes(title="b", range=[float(b_axis[0]), float(b_axis[-1])])
    return _layout(fig, 460)


def loss_surface_figure(w_axis, b_axis, Z, path_w, path_b, path_loss) -> go.Figure:
    """3-D surface of the loss over (w, b) with the path drawn on it.

    Examples
    --------
    >>> w = np.linspace(-1, 1, 5); Z = np.add.outer(w**2, w**2)
    >>> len(loss_surface_figure(w, w, Z, [1, 0], [1, 0], [2, 0]).data)
    2
    """
    pw, pb = _path_xy(np.asarray(path_w, float), np.asarray(path_b, float), w_axis, b_axis)
    fig = go.Figure()
    fig.add_surface(x=_f32(w_axis), y=_f32(b_axis), z=_f32(Z), colorscale="Viridis",
                    opacity=0.9, showscale=False)
    fig.add_scatter3d(x=_f32(pw), y=_f32(pb), z=_f32(np.asarray(path_loss) + 0.01),
                      mode="lines+markers", line=dict(color="#ff7f0e", width=6),
                      marker=dict(size=2, color="#ff7f0e"), name="GD path")
    fig.update_layout(scene=dict(xaxis_title="w", yaxis_title="b", zaxis_title="L(w, b)",
                                 camera=dict(eye=dict(x=1.8, y=-1.8, z=1.2))),
                      showlegend=False)
    fig.update_layout(height=460, margin=dict(l=10, r=10, t=30, b=10), font=FONT)
    return fig


def loss_curve_figure(loss) -> go.Figure:
    """Loss against epoch, log scale.

    Examples
    --------
    >>> loss_curve_figure([1.0, 0.5, 0.25]).layout.yaxis.type
    'log'
    """
    loss = np.maximum(np.asarray(loss, float), 1e-16)
    fig = go.Figure()
    fig.add_scatter(x=np.arange(loss.size, dtype=np.float32), y=_f32(loss), mode="lines",
                    line=dict(color=COLORS[0], width=3), name="L(w, b)")
    fig.update_xaxes(title="epoch")
    fig.update_yaxes(title="loss L (log scale)", type="log")
    fig.update_layout(showlegend=False)
    return _layout(fig, 380)


# --------------------------------------------------------------------------- 2-D NNLS
def _frame_index(n: int, n_frames: int) -> np.ndarray:
    return np.unique(np.linspace(0, n - 1, max(2, min(n_frames, n))).round().astype(int))


def nnls_paths_figure(x_axes, F, u_axes, G, L_u: int, x_ls, x_star,
                      runs: Sequence[dict], n_frames: int = 60) -> go.Figure:
    """Animated side-by-side paths in x-space (with the quadrant) and in u-space.

    Parameters
    ----------
    x_axes : (ndarray, ndarray)
        Axes of the x grid; ``F`` the objective on it (rows follow ``x2``).
    u_axes : (ndarray, ndarray)
        Axes of the u grid; ``G`` the pulled-back objective for exponent ``L_u``.
    x_ls, x_star : array_like, shape (2,)
        Unconstrained minimizer and NNLS solution.
    runs : sequence of dict
        Each with ``label``, ``X`` (iterates, shape (k, 2)), ``color`` and optional ``U``
        (u-iterates, drawn in the right panel).
    n_frames : int
        Number of animation frames (play / pause / slider).

    Examples
    --------
    >>> ax = np.linspace(-1, 2, 4); F = np.ones((4, 4))
    >>> r = [dict(label="a", X=np.zeros((5, 2)), U=np.zeros((5, 2)), color="red")]
    >>> fig = nnls_paths_figure((ax, ax), F, (ax, ax), F, 2, [1, -1], [1, 0], r, n_frames=3)
    >>> len(fig.frames)
    3
    """
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.08, subplot_titles=(
        "x-space: min f(x) subject to x ≥ 0",
        f"u-space: min g(u) = f(u^{L_u}), no constraint"))
    x1, x2 = x_axes
    u1, u2 = u_axes
    # contour z as rounded lists: plotly.js drops 2-D typed arrays of contours when a
    # frame of another trace is animated
    fig.add_contour(x=_f32(x1), y=_f32(x2), z=np.log10(np.asarray(F) + 1e-3).round(3).tolist(),
                    colorscale="Blues", reversescale=True, ncontours=25, showscale=False,
                    hovertemplate="x1=%{x:.2f}<br>x2=%{y:.2f}<extra></extra>", row=1, col=1)
    fig.add_contour(x=_f32(u1), y=_f32(u2), z=np.log10(np.asarray(G) + 1e-3).round(3).tolist(),
                    colorscale="Blues", reversescale=True, ncontours=25, showscale=False,
                    hovertemplate="u1=%{x:.2f}<br>u2=%{y:.2f}<extra></extra>", row=1, col=2)
    # the feasible quadrant x >= 0 and the infeasible region (hatched grey)
    fig.add_shape(type="rect", x0=float(x1[0]), x1=0, y0=float(x2[0]), y1=float(x2[-1]),
                  fillcolor="gray", opacity=0.35, line_width=0, row=1, col=1)
    fig.add_shape(type="rect", x0=0, x1=float(x1[-1]), y0=float(x2[0]), y1=0,
                  fillcolor="gray", opacity=0.35, line_width=0, row=1, col=1)
    fig.add_annotation(x=float(x1[-1]) * 0.45, y=float(x2[0]) * 0.85, text="x₂ < 0: not allowed",
                       showarrow=False, font=dict(size=13, color="black"), row=1, col=1)
    fig.add_scatter(x=[x_ls[0]], y=[x_ls[1]], mode="markers", name="unconstrained min",
                    marker=dict(symbol="circle-open", size=14, color="black",
                                line=dict(width=3)), row=1, col=1)
    fig.add_scatter(x=[x_star[0]], y=[x_star[1]], mode="markers", name="NNLS solution x*",
                    marker=dict(symbol="star", size=18, color="gold",
                                line=dict(width=1, color="black")), row=1, col=1)
    us = np.abs(np.asarray(x_star, float)) ** (1.0 / L_u)
    sx = [us[0], -us[0]] if L_u % 2 == 0 else [us[0]]
    fig.add_scatter(x=sx, y=[us[1]] * len(sx), mode="markers", showlegend=False,
                    name="u* (x* = u*^L)", marker=dict(symbol="star", size=18, color="gold",
                                                       line=dict(width=1, color="black")),
                    row=1, col=2)
    if L_u % 2 == 1:  # odd L: u^L covers negative x, so the unconstrained minimum is here
        ul = np.cbrt(np.asarray(x_ls, float)) if L_u == 3 else \
            np.sign(x_ls) * np.abs(np.asarray(x_ls, float)) ** (1.0 / L_u)
        fig.add_scatter(x=[ul[0]], y=[ul[1]], mode="markers", showlegend=False,
                        name="u with u^L = unconstrained min",
                        marker=dict(symbol="circle-open", size=14, color="black",
                                    line=dict(width=3)), row=1, col=2)
    n_static = len(fig.data)
    animated: list[tuple[int, np.ndarray]] = []  # (trace index, points)
    for run in runs:
        X = np.asarray(run["X"], float)
        fig.add_scatter(x=_f32(X[:, 0]), y=_f32(X[:, 1]), mode="lines+markers",
                        name=run["label"], legendgroup=run["label"],
                        line=dict(color=run["color"], width=2.5,
                                  dash=run.get("dash", "solid")),
                        marker=dict(size=4), row=1, col=1)
        animated.append((len(fig.data) - 1, X))
        U = run.get("U")
        if U is not None:
            U = np.asarray(U, float)
            fig.add_scatter(x=_f32(U[:, 0]), y=_f32(U[:, 1]), mode="lines+markers",
                            name=run["label"], legendgroup=run["label"], showlegend=False,
                            line=dict(color=run["color"], width=2.5), marker=dict(size=4),
                            row=1, col=2)
            animated.append((len(fig.data) - 1, U))
    n_max = max((P.shape[0] for _, P in animated), default=1)
    idx = _frame_index(n_max, n_frames)
    frames = []
    for k in idx:
        data = []
        for _, P in animated:
            j = min(int(k), P.shape[0] - 1)
            data.append(go.Scatter(x=_f32(P[: j + 1, 0]), y=_f32(P[: j + 1, 1])))
        frames.append(go.Frame(data=data, name=str(int(k)),
                               traces=[t for t, _ in animated]))
    fig.frames = frames
    # start at the end: the whole story is visible before anyone presses play
    fig.update_layout(
        updatemenus=[dict(
            type="buttons", direction="left", x=0.0, y=-0.22, xanchor="left", yanchor="top",
            pad=dict(r=10, t=10), showactive=False,
            buttons=[
                dict(label="▶ Play", method="animate",
                     args=[None, dict(frame=dict(duration=120, redraw=True),
                                      transition=dict(duration=0), fromcurrent=False,
                                      mode="immediate")]),
                dict(label="❚❚ Pause", method="animate",
                     args=[[None], dict(frame=dict(duration=0, redraw=True),
                                        transition=dict(duration=0), mode="immediate")]),
            ])],
        sliders=[dict(
            active=len(idx) - 1, x=0.27, y=-0.17, len=0.73, xanchor="left", yanchor="top",
            currentvalue=dict(prefix="iteration k = ", font=dict(size=14)),
            pad=dict(t=10),
            steps=[dict(label=str(int(k)), method="animate",
                        args=[[str(int(k))], dict(frame=dict(duration=0, redraw=True),
                                                  transition=dict(duration=0),
                                                  mode="immediate")]) for k in idx])],
    )
    fig.update_xaxes(title_text="x₁", range=[float(x1[0]), float(x1[-1])], row=1, col=1)
    fig.update_yaxes(title_text="x₂", range=[float(x2[0]), float(x2[-1])], row=1, col=1)
    fig.update_xaxes(title_text="u₁", range=[float(u1[0]), float(u1[-1])], row=1, col=2)
    fig.update_yaxes(title_text="u₂", range=[float(u2[0]), float(u2[-1])], row=1, col=2)
    fig.update_layout(meta=dict(n_static=n_static))
    fig.update_layout(height=660, margin=dict(l=60, r=20, t=140, b=170), font=FONT,
                      legend=dict(orientation="h", yanchor="bottom", y=1.07, x=0))
    return fig


def step_factor_figure(runs: Sequence[dict], pg_step: float | None = None) -> go.Figure:
    """Effective step on x₂ along each path: eta L² x₂^(2-2/L), log scale.

    Parameters
    ----------
    runs : sequence of dict
        Each with ``label``, ``color`` and ``factor`` (one value per iteration).
    pg_step : float, optional
        The constant step of projected gradient, drawn as a horizontal line.

    Examples
    --------
    >>> f = step_factor_figure([dict(label="a", color="red", factor=[1.0, 0.1])], 0.5)
    >>> f.layout.yaxis.type
    'log'
    """
    fig = go.Figure()
    for run in runs:
        fac = np.maximum(np.asarray(run["factor"], float), 1e-12)
        fig.add_scatter(x=np.arange(fac.size, dtype=np.float32), y=_f32(fac), mode="lines",
                        name=run["label"], line=dict(color=run["color"], width=3))
    if pg_step is not None:
        fig.add_hline(y=pg_step, line=dict(color=PG_COLOR, dash="dash", width=2),
                      annotation_text="projected gradient: constant step",
                      annotation_position="top right")
    fig.update_xaxes(title="iteration k")
    fig.update_yaxes(title="effective step on x₂", type="log", exponentformat="power")
    return _layout(fig, 400)
