"""Figures of the Home page and the two teaching pages: pure functions returning plotly
Figures.

Projector-ready: fonts of at least 14 px, legends outside the plotting area, log axes
labelled at whole decades only. Arrays handed to plotly are float32 (smaller payloads);
no streamlit import here.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from PIL import Image
from plotly.subplots import make_subplots

from ui.figures import set_frames, typed
from ui.figures_paper import log_axis

COLORS = ["#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"]
PG_COLOR = "#d62728"
FONT = dict(size=15)  # px: readable from the back of a classroom
TRUTH_COLOR = "#1a202c"


def _f32(a) -> np.ndarray:
    return np.asarray(a, dtype=np.float32)


def _layout(fig: go.Figure, height: int, **kw) -> go.Figure:
    """House layout: legend in one row above the plot (its margin kept)."""
    fig.update_layout(height=height,
                      margin=dict(l=65, r=15, t=45, b=55), font=FONT,
                      hoverlabel=dict(font=dict(size=15)),
                      legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0,
                                  font=dict(size=14)), **kw)
    # explicit: Streamlit's chart theme would otherwise set 12 px tick labels
    fig.update_xaxes(tickfont=dict(size=14), title_font=dict(size=15))
    fig.update_yaxes(tickfont=dict(size=14), title_font=dict(size=15))
    return fig


# --------------------------------------------------------------------------- Home
def sparse_solutions_figure(x_true, solutions: Sequence[tuple[str, np.ndarray]], *,
                            height: int = 380) -> go.Figure:
    """Coordinates of a few solutions of one problem as grouped bars, the ground truth as
    open circles: which coordinates each solver switches on.

    Parameters
    ----------
    x_true : array_like, shape (n,)
        The sparse ground truth.
    solutions : sequence of (label, x)
        Each solution, in the order drawn (first colour first).
    height : int
        Height in pixels.

    Examples
    --------
    >>> fig = sparse_solutions_figure([0, 1, 0], [("a", np.array([0, 0.9, 0.1]))])
    >>> [t.type for t in fig.data], fig.layout.barmode
    (['bar', 'scatter'], 'group')
    """
    x_true = np.asarray(x_true, float)
    idx = np.arange(x_true.size, dtype=np.float32)
    fig = go.Figure()
    colors = [COLORS[0], PG_COLOR, *COLORS[1:]]
    for (label, x), color in zip(solutions, colors):
        fig.add_bar(x=idx, y=_f32(x), name=label, marker=dict(color=color, line_width=0),
                    hovertemplate="i = %{x}<br>x_i = %{y:.3f}<extra>" + label + "</extra>")
    fig.add_scatter(x=idx[x_true > 0], y=_f32(x_true[x_true > 0]), mode="markers",
                    name=f"ground truth x_true: ‖x‖₁ = {np.abs(x_true).sum():.2f}",
                    marker=dict(symbol="circle-open", size=15, color=TRUTH_COLOR,
                                line=dict(width=3)),
                    hovertemplate="i = %{x}<br>x_true,i = %{y:.3f}<extra></extra>")
    fig.update_xaxes(title="coordinate i", range=[-1, x_true.size], showgrid=False)
    fig.update_yaxes(title="xᵢ", rangemode="tozero")
    _layout(fig, height, barmode="group", bargap=0.15)
    legend_px = 24 * (len(solutions) + 1)  # one legend row per trace, under the axis title
    plot_px = height - 10 - 55 - legend_px
    fig.update_layout(legend=dict(orientation="v", yanchor="top", y=-50 / plot_px, x=0),
                      margin=dict(t=10, b=55 + legend_px))
    return fig


# --------------------------------------------------------------------------- GD basics
def taylor_figure(betas, predicted, actual, beta: float, pred_now: float,
                  actual_now: float, *, height: int = 380) -> go.Figure:
    """Predicted (first-order Taylor) and actual loss change against the angle beta.

    Parameters
    ----------
    betas, predicted, actual : array_like
        A sweep over angles in degrees (see ``nnls_core.teaching.taylor_sweep``).
    beta : float
        The currently chosen angle (highlighted).
    pred_now, actual_now : float
        The two changes at ``beta``.
    height : int
        Height in pixels.

    Examples
    --------
    >>> fig = taylor_figure([0, 180, 360], [1, -1, 1], [1.1, -0.9, 1.1], 90, 0.0, 0.05)
    >>> [t.name for t in fig.data]
    ['Taylor: η uᵀ∇L', 'actual change', 'your u (β = 90°)', 'best: β = 180°']
    """
    fig = go.Figure()
    fig.add_scatter(x=_f32(betas), y=_f32(predicted), mode="lines",
                    name="Taylor: η uᵀ∇L", line=dict(color=COLORS[0], width=3))
    fig.add_scatter(x=_f32(betas), y=_f32(actual), mode="lines", name="actual change",
                    line=dict(color=PG_COLOR, dash="dash", width=3))
    fig.add_scatter(x=[beta, beta], y=[pred_now, actual_now], mode="markers",
                    marker=dict(size=13, color=[COLORS[0], PG_COLOR], line=dict(width=1)),
                    name=f"your u (β = {beta:.0f}°)")
    i = int(np.argmin(np.asarray(predicted)))
    fig.add_scatter(x=[float(np.asarray(betas)[i])], y=[float(np.asarray(predicted)[i])],
                    mode="markers", marker=dict(symbol="star", size=17, color="gold",
                                                line=dict(width=1, color="black")),
                    name="best: β = 180°")
    fig.add_hline(y=0, line=dict(color="gray", width=1))
    fig.update_xaxes(title="angle β between u and ∇L (degrees)",
                     tickvals=list(range(0, 361, 45)))
    fig.update_yaxes(title="change of the loss")
    return _layout(fig, height)


def direction_figure(w_axis, b_axis, Z, theta, grad, u, eta: float, *,
                     height: int = 380) -> go.Figure:
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
        lab = theta + 1.2 * (head - theta)
        fig.add_annotation(x=float(lab[0]), y=float(lab[1]), text=f"<b>{text}</b>",
                           showarrow=False, font=dict(color=color, size=18),
                           bgcolor="rgba(0,0,0,0.5)")
    fig.add_scatter(x=[theta[0]], y=[theta[1]], mode="markers", name="θ",
                    marker=dict(size=10, color="white", line=dict(width=2, color="black")))
    # equal units on both axes; the plot area shrinks to fit (no blank bands inside)
    fig.update_xaxes(title="w", range=[float(w_axis[0]), float(w_axis[-1])],
                     constrain="domain")
    fig.update_yaxes(title="b", range=[float(b_axis[0]), float(b_axis[-1])],
                     scaleanchor="x", scaleratio=1, constrain="domain")
    fig.update_layout(showlegend=False)
    _layout(fig, height)
    fig.update_layout(margin=dict(t=15))
    return fig


def neuron_fit_figure(x, y, w_start: float, b_start: float, w_end: float,
                      b_end: float, *, height: int = 380) -> go.Figure:
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
    fig.add_scatter(x=_f32(x), y=_f32(y), mode="markers", name="data",
                    marker=dict(size=12, color="black"))
    for (w, b), name, color, dash in (((w_start, b_start), "start", "gray", "dot"),
                                      ((w_end, b_end), "end", COLORS[0], "solid")):
        fs = 1.0 / (1.0 + np.exp(-np.clip(w * xs + b, -500, 500)))
        fig.add_scatter(x=_f32(xs), y=_f32(fs), mode="lines", line=dict(color=color, dash=dash,
                        width=3), name=f"{name}: w={w:.2f}, b={b:.2f}")
    fig.update_xaxes(title="x")
    fig.update_yaxes(title="y", range=[-0.05, 1.05])
    return _layout(fig, height)


def _path_xy(path_w, path_b, w_axis, b_axis):
    """Clip a path to the plotted box so that overshooting steps stay visible."""
    return (np.clip(path_w, w_axis[0], w_axis[-1]), np.clip(path_b, b_axis[0], b_axis[-1]))


def loss_contour_figure(w_axis, b_axis, Z, path_w, path_b, *, height: int = 400) -> go.Figure:
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
                    colorbar=dict(title=dict(text="log₁₀ L", font=dict(size=14)),
                                  thickness=12, tickfont=dict(size=14)),
                    hovertemplate="w=%{x:.2f}<br>b=%{y:.2f}<extra></extra>")
    fig.add_scatter(x=_f32(pw), y=_f32(pb), mode="lines+markers", name="GD path",
                    line=dict(color="white", width=2), marker=dict(size=4, color="white"))
    fig.add_scatter(x=[pw[0]], y=[pb[0]], mode="markers", name="start",
                    marker=dict(size=13, color="#ff7f0e", line=dict(width=1, color="black")))
    fig.add_scatter(x=[pw[-1]], y=[pb[-1]], mode="markers", name="end",
                    marker=dict(size=13, symbol="x", color=PG_COLOR, line=dict(width=1)))
    fig.update_xaxes(title="w", range=[float(w_axis[0]), float(w_axis[-1])])
    fig.update_yaxes(title="b", range=[float(b_axis[0]), float(b_axis[-1])])
    return _layout(fig, height)


def loss_surface_figure(w_axis, b_axis, Z, path_w, path_b, path_loss, *,
                        height: int = 420) -> go.Figure:
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
    axis = dict(tickfont=dict(size=14), title_font=dict(size=15))
    fig.update_layout(scene=dict(xaxis=dict(title="w", **axis), yaxis=dict(title="b", **axis),
                                 zaxis=dict(title="L(w, b)", **axis),
                                 camera=dict(eye=dict(x=1.8, y=-1.8, z=1.2))),
                      showlegend=False)
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=10, b=10), font=FONT)
    return fig


def loss_curve_figure(loss, *, height: int = 400) -> go.Figure:
    """Loss against epoch, log scale labelled at whole decades.

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
    fig.update_yaxes(**log_axis("loss L (log scale)"))
    fig.update_layout(showlegend=False)
    _layout(fig, height)
    fig.update_layout(margin=dict(t=15))
    return fig


# --------------------------------------------------------------------------- 2-D NNLS
# plotly's "Blues" from dark to light: low values of the objective are dark
_BLUES = np.array([[8, 48, 107], [8, 81, 156], [33, 113, 181], [66, 146, 198],
                   [107, 174, 214], [158, 202, 225], [198, 219, 239], [222, 235, 247],
                   [247, 251, 255]], dtype=float)


def contour_image(z, levels: int = 25) -> str:
    """Filled contours of ``z`` (rows follow the second axis, upwards) as a PNG data URI:
    ``levels`` bands of plotly's Blues, dark at the minimum, with a grey line between bands.

    A picture, not a trace: animation frames cannot touch it (plotly.js drops contour and
    heatmap traces while animating other traces of the same figure).

    Examples
    --------
    >>> contour_image(np.add.outer(np.arange(4.0), np.arange(4.0)))[:22]
    'data:image/png;base64,'
    """
    z = np.asarray(z, dtype=float)
    lo, hi = np.nanmin(z), np.nanmax(z)
    t = np.nan_to_num((z - lo) / ((hi - lo) or 1.0), nan=1.0)
    band = np.minimum((t * levels).astype(int), levels - 1)
    pos = band / max(levels - 1, 1) * (len(_BLUES) - 1)
    i = np.minimum(pos.astype(int), len(_BLUES) - 2)
    frac = (pos - i)[..., None]
    rgb = _BLUES[i] * (1 - frac) + _BLUES[i + 1] * frac
    edge = np.zeros(band.shape, dtype=bool)
    edge[1:, :] |= band[1:, :] != band[:-1, :]
    edge[:, 1:] |= band[:, 1:] != band[:, :-1]
    rgb[edge] = rgb[edge] * 0.55 + 40 * 0.45
    buf = io.BytesIO()
    Image.fromarray(rgb[::-1].round().astype(np.uint8)).save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _background(fig: go.Figure, axes, z, col: int) -> None:
    """``contour_image(z)`` stretched over the data rectangle of subplot ``col``."""
    a1, a2 = axes
    suffix = "" if col == 1 else str(col)
    fig.add_layout_image(source=contour_image(np.log10(np.asarray(z) + 1e-3)),
                         xref=f"x{suffix}", yref=f"y{suffix}", x=float(a1[0]),
                         y=float(a2[-1]), sizex=float(a1[-1] - a1[0]),
                         sizey=float(a2[-1] - a2[0]), sizing="stretch", layer="below")


def _frame_index(n: int, n_frames: int) -> np.ndarray:
    """About ``n_frames`` iterations out of ``0 .. n-1``, denser at the start (spaced as
    squares), where the paths move most; always the first and the last.

    Examples
    --------
    >>> _frame_index(101, 6).tolist()
    [0, 4, 16, 36, 64, 100]
    """
    t = np.linspace(0.0, 1.0, max(2, min(n_frames, n)))
    return np.unique(((n - 1) * t ** 2).round().astype(int))


def _animate(frame: list[str] | list[None], duration: int) -> list:
    """Arguments of plotly's ``animate`` for one frame name (or the pause ``[None]``).

    No redraw: only the path traces named by the frames change."""
    return [frame, dict(frame=dict(duration=duration, redraw=False),
                        transition=dict(duration=0), mode="immediate", fromcurrent=True)]


def nnls_paths_figure(x_axes, F, u_axes, G, L_u: int, x_ls, x_star,
                      runs: Sequence[dict], n_frames: int = 40, *,
                      height: int = 490) -> go.Figure:
    """Animated side-by-side paths in x-space (with the quadrant) and in u-space.

    The contours (pictures, see :func:`contour_image`) and markers are static; the
    animation frames carry only the path traces (``frame.traces``), each drawn from its
    start up to iteration k. Play / Pause
    and the iteration slider sit above the plots; the figure opens on the last frame.

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
    height : int
        Height in pixels.

    Examples
    --------
    >>> ax = np.linspace(-1, 2, 4); F = np.ones((4, 4))
    >>> r = [dict(label="a", X=np.zeros((5, 2)), U=np.zeros((5, 2)), color="red")]
    >>> fig = nnls_paths_figure((ax, ax), F, (ax, ax), F, 2, [1, -1], [1, 0], r, n_frames=3)
    >>> len(fig.frames), list(fig.frames[0].traces) == fig.layout.meta["animated"]
    (3, True)
    """
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.09, subplot_titles=(
        "x-space: x ≥ 0 required", f"u-space (L = {L_u}): no constraint"))
    x1, x2 = x_axes
    u1, u2 = u_axes
    # the objective as static pictures: the frames below only change the paths
    _background(fig, x_axes, F, 1)
    _background(fig, u_axes, G, 2)
    # the infeasible region (grey)
    fig.add_shape(type="rect", x0=float(x1[0]), x1=0, y0=float(x2[0]), y1=float(x2[-1]),
                  fillcolor="gray", opacity=0.35, line_width=0, row=1, col=1)
    fig.add_shape(type="rect", x0=0, x1=float(x1[-1]), y0=float(x2[0]), y1=0,
                  fillcolor="gray", opacity=0.35, line_width=0, row=1, col=1)
    fig.add_annotation(x=0.45, y=float(x2[0]) * 0.85, text="x₂ < 0: not allowed",
                       showarrow=False, font=dict(size=14, color="black"), row=1, col=1)
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
        ul = np.sign(x_ls) * np.abs(np.asarray(x_ls, float)) ** (1.0 / L_u)
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
                        line=dict(color=run["color"], width=3,
                                  dash=run.get("dash", "solid")),
                        marker=dict(size=4), row=1, col=1)
        animated.append((len(fig.data) - 1, X))
        U = run.get("U")
        if U is not None:
            U = np.asarray(U, float)
            fig.add_scatter(x=_f32(U[:, 0]), y=_f32(U[:, 1]), mode="lines+markers",
                            name=run["label"], legendgroup=run["label"], showlegend=False,
                            line=dict(color=run["color"], width=3), marker=dict(size=4),
                            row=1, col=2)
            animated.append((len(fig.data) - 1, U))
    n_max = max((P.shape[0] for _, P in animated), default=1)
    idx = _frame_index(n_max, n_frames)
    traces = [t for t, _ in animated]
    # typed arrays, not validated trace by trace (40 frames x 4 paths)
    set_frames(fig, [dict(name=str(int(k)), traces=traces, data=[
        dict(type="scatter", x=typed(P[: min(int(k), P.shape[0] - 1) + 1, 0]),
             y=typed(P[: min(int(k), P.shape[0] - 1) + 1, 1]))
        for _, P in animated]) for k in idx])
    # pixel geometry: controls row, subplot titles, plots, axis titles, legend (2 rows)
    top, bottom = 95, 105
    plot_px = height - top - bottom
    fig.update_layout(
        updatemenus=[dict(
            type="buttons", direction="left", x=0.0, xanchor="left", y=1 + 40 / plot_px,
            yanchor="bottom", pad=dict(t=0, r=10, b=0), showactive=False,
            font=dict(size=15),
            # ▶ Play replays from the start, the path growing as it goes
            buttons=[
                dict(label="▶ Play", method="animate",
                     args=[[f.name for f in fig.frames], dict(
                         frame=dict(duration=90, redraw=False), transition=dict(duration=0),
                         mode="immediate", fromcurrent=False)]),
                dict(label="❚❚ Pause", method="animate", args=_animate([None], 0)),
            ])],
        sliders=[dict(
            active=len(idx) - 1, x=0.3, len=0.7, xanchor="left", y=1 + 40 / plot_px,
            yanchor="bottom",
            pad=dict(t=0, b=0), ticklen=0, font=dict(size=1, color="rgba(0,0,0,0)"),
            currentvalue=dict(prefix="iteration k = ", font=dict(size=15, color="black"),
                              xanchor="left", offset=6),
            steps=[dict(label=str(int(k)), method="animate", args=_animate([str(int(k))], 0))
                   for k in idx])],
    )
    fig.update_xaxes(showgrid=False, zeroline=False)
    fig.update_yaxes(showgrid=False, zeroline=False)
    fig.update_xaxes(title_text="x₁", range=[float(x1[0]), float(x1[-1])], row=1, col=1)
    fig.update_yaxes(title_text="x₂", range=[float(x2[0]), float(x2[-1])], row=1, col=1)
    fig.update_xaxes(title_text="u₁", range=[float(u1[0]), float(u1[-1])], row=1, col=2)
    fig.update_yaxes(title_text="u₂", range=[float(u2[0]), float(u2[-1])], row=1, col=2)
    for title in fig.layout.annotations[:2]:  # the subplot titles
        title.font.size = 16
    fig.update_layout(meta=dict(n_static=n_static, animated=traces))
    _layout(fig, height)
    fig.update_layout(margin=dict(l=60, r=15, t=top, b=bottom),
                      legend=dict(orientation="h", yanchor="top", y=-55 / plot_px, x=0))
    return fig


def step_factor_figure(runs: Sequence[dict], pg_step: float | None = None, *,
                       height: int = 380) -> go.Figure:
    """Effective step on x₂ along each path: eta L² x₂^(2-2/L), log scale.

    Parameters
    ----------
    runs : sequence of dict
        Each with ``label``, ``color`` and ``factor`` (one value per iteration).
    pg_step : float, optional
        The constant step of projected gradient, drawn as a horizontal line.
    height : int
        Height in pixels.

    Examples
    --------
    >>> f = step_factor_figure([dict(label="a", color="red", factor=[1.0, 0.1])], 0.5)
    >>> f.layout.yaxis.type, f.layout.yaxis.dtick
    ('log', 1)
    """
    fig = go.Figure()
    for run in runs:
        fac = np.maximum(np.asarray(run["factor"], float), 1e-12)
        fig.add_scatter(x=np.arange(fac.size, dtype=np.float32), y=_f32(fac), mode="lines",
                        name=run["label"], line=dict(color=run["color"], width=3))
    if pg_step is not None:
        fig.add_scatter(x=[0.0, float(max((len(r["factor"]) for r in runs), default=1))],
                        y=[pg_step, pg_step], mode="lines", name="projected gradient",
                        line=dict(color=PG_COLOR, dash="dash", width=2))
    fig.update_xaxes(title="iteration k")
    fig.update_yaxes(**log_axis("effective step on x₂"))
    return _layout(fig, height)
