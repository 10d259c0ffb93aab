"""Pure figure builders for the NNLS pages: Result(s) in, plotly Figure out.

Everything sent to the browser is thinned and float32 (about 10x smaller payloads).
"""

from __future__ import annotations

import base64
import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nnls_core import Result
from nnls_core.metrics import support_f1

FLOOR = 1e-30  # values at or below this are drawn at the floor of a log axis
COLORS = ["#2b6cb0", "#dd6b20", "#2f855a", "#c53030", "#6b46c1", "#b7791f", "#319795",
          "#d53f8c"]
SUPPORT, OFF_SUPPORT = "#2b6cb0", "#ed8936"
LAYOUT = dict(margin=dict(l=60, r=20, t=90, b=50),
              title=dict(x=0, xanchor="left", y=0.98, yanchor="top"),
              legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0), height=440)


def f32(a) -> np.ndarray:
    """float32 copy for plotting."""
    return np.asarray(a, dtype=np.float32)


def set_frames(fig: go.Figure, frames: list[dict]) -> None:
    """Attach animation frames given as plain dicts (``{"name", "traces", "data"}`` with
    trace dicts of typed arrays) without plotly validating every trace of every frame,
    which costs a tenth of a second for a few hundred traces (plotly's own ``_validate``
    switch, off for this assignment only).

    Examples
    --------
    >>> fig = go.Figure(go.Scatter(y=[1, 2]))
    >>> set_frames(fig, [{"name": "0", "data": [{"type": "scatter", "y": typed([3, 4])}]}])
    >>> fig.frames[0].name, fig.to_dict()["frames"][0]["data"][0]["y"]["dtype"]
    ('0', 'f4')
    """
    validate, fig._validate = fig._validate, False
    try:
        fig.frames = frames
    finally:
        fig._validate = validate


def typed(a) -> dict:
    """A 1-D array as plotly's typed-array spec (float32, base64), as plotly itself would
    encode it, but passed through its validators untouched: a figure with hundreds of
    animation traces is built in a fraction of the time.

    Examples
    --------
    >>> typed([1.0, 2.0])
    {'dtype': 'f4', 'bdata': 'AACAPwAAAEA='}
    """
    return {"dtype": "f4", "bdata": base64.b64encode(
        np.ascontiguousarray(a, dtype="<f4").tobytes()).decode("ascii")}


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


DIVERGED = "#c53030"
GHOST = "#a0aec0"
CLASSICAL = "#dd6b20"
TRUTH = "#1a202c"


def _coordinates(r: Result, x_true: np.ndarray | None, max_coords: int):
    on = x_true > 0 if x_true is not None else r.x > 1e-3 * max(r.x.max(), 1e-300)
    on_idx = np.flatnonzero(on)[:max_coords]
    off_idx = np.flatnonzero(~on)
    peak = np.abs(r.history.x[:, off_idx]).max(axis=0) if off_idx.size else np.array([])
    off_idx = off_idx[np.argsort(-peak)][: max(0, max_coords - on_idx.size)]
    return on_idx, off_idx


def take_off(ks: np.ndarray, X: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Iteration at which each coordinate ``X[:, i]`` (i in ``idx``) first reaches half
    of its final value: when it "takes off" from its small start.

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [0.1, 0.0], [1.0, 0.1], [1.0, 1.0]])
    >>> take_off(np.arange(4), X, np.array([0, 1])).tolist()
    [2, 3]
    """
    final = X[-1, idx]
    reached = X[:, idx] >= 0.5 * final
    return ks[np.argmax(reached, axis=0)]


def trajectories_figure(r: Result, x_true: np.ndarray | None = None, *, max_coords: int = 24,
                        n_frames: int = 40, frame: int | None = None) -> go.Figure:
    """Coordinate trajectories ``x_i(k)`` (support blue, off-support orange; red when the
    run diverged) revealed progressively by a client-side animation.

    Each frame draws every line up to its iteration k (nothing past it), so ▶ Play shows
    the run unfold; the slider and the play / pause buttons sit above the chart and the
    slider's label is the frame counter. When the support coordinates leave their start
    at clearly different times, each take-off is marked and labelled.

    Parameters
    ----------
    r : Result
        A run with a history of iterates.
    x_true : ndarray, optional
        Ground truth: its support is drawn in blue.
    max_coords : int
        At most this many coordinates (the support first, then the largest others).
    n_frames : int
        Number of animation frames (log-spaced in k).
    frame : int, optional
        The frame shown initially (default: the last, the whole run).

    Examples
    --------
    >>> import nnls_core as nc
    >>> p = nc.sparse_problem(10, 30, 2, seed=0)
    >>> fig = trajectories_figure(nc.solve(p.A, p.b, alpha=1e-3), p.x_true, n_frames=10)
    >>> len(fig.frames) <= 10 and fig.layout.sliders[0].active == len(fig.frames) - 1
    True
    """
    h = r.history
    on_idx, off_idx = _coordinates(r, x_true, max_coords)
    keep = log_indices(len(h.iterations), n_frames)
    ks = f32(h.iterations[keep] + 1)
    log_y = bool(np.all(h.x >= 0))
    X = np.maximum(h.x[keep], 1e-16) if log_y else h.x[keep]
    diverged = r.status == "diverged"
    shown = np.concatenate([on_idx, off_idx]).astype(int)
    colors = ([DIVERGED] * len(shown) if diverged else
              [SUPPORT] * len(on_idx) + [OFF_SUPPORT] * len(off_idx))
    last = len(keep) - 1
    j0 = last if frame is None else int(np.clip(frame, 0, last))
    fig = go.Figure()
    for c, (i, color) in enumerate(zip(shown, colors)):
        group = "support" if c < len(on_idx) else "off-support"
        fig.add_trace(go.Scatter(
            x=ks[: j0 + 1], y=f32(X[: j0 + 1, i]), mode="lines", legendgroup=group,
            name=f"{group} ({len(on_idx) if group == 'support' else len(off_idx)} shown)",
            showlegend=c in (0, len(on_idx)), line=dict(color=color, width=1.8 if
                                                          group == "support" else 1.0),
            opacity=0.9 if group == "support" else 0.6,
            hovertemplate=f"x[{i}] = %{{y:.3g}} at k = %{{x:.0f}}<extra></extra>"))
    t = take_off(ks, X, on_idx) if on_idx.size >= 2 and log_y and not diverged else None
    staggered = t is not None and t.max() >= 2 * t.min()

    def take_offs(j: int) -> dict:
        """The take-offs that have happened by frame j."""
        done = t <= ks[j]
        return dict(type="scatter", x=typed(t[done]), y=typed(0.5 * X[-1, on_idx[done]]))

    if staggered:  # the support leaves its start at clearly different times: say where
        fig.add_trace(go.Scatter(x=take_offs(j0)["x"], y=take_offs(j0)["y"], mode="markers",
                                 name="take-off (half of final value)",
                                 marker=dict(color=TRUTH, size=9, symbol="triangle-up")))
        first = int(np.argmin(t))
        fig.add_annotation(x=np.log10(float(t[first])),
                           y=np.log10(0.5 * float(X[-1, on_idx[first]])),
                           text="coordinates take off one at a time", showarrow=True,
                           arrowhead=2, ax=-40, ay=-40, font=dict(size=14))
    moving = list(range(len(shown) + (1 if staggered else 0)))
    # frames of typed arrays, not validated one by one (hundreds of traces: seconds)
    set_frames(fig, [dict(name=str(j), traces=moving,
                          data=[dict(type="scatter", x=typed(ks[: j + 1]), y=typed(X[: j + 1, i]))
                                for i in shown] + ([take_offs(j)] if staggered else []))
                     for j in range(len(keep))])
    if diverged:
        fig.add_trace(go.Scatter(x=[ks[-1]], y=[f32(X[-1, shown]).max() if shown.size else 0],
                                 mode="markers+text", text=["last finite iterate"],
                                 textposition="middle left", name="diverged here",
                                 marker=dict(color=DIVERGED, size=14, symbol="x")))
    anim = dict(mode="immediate", frame=dict(duration=0, redraw=False), transition=dict(duration=0))
    steps = [dict(method="animate", label=f"{int(ks[j]):,}", args=[[str(j)], anim])
             for j in range(len(keep))]
    play = lambda ms: [None, dict(frame=dict(duration=ms, redraw=False), fromcurrent=True,  # noqa: E731
                                  transition=dict(duration=0), mode="immediate")]
    fig.update_layout(
        **{**LAYOUT, "height": 520, "margin": dict(l=60, r=20, t=150, b=80),
           "legend": dict(orientation="h", yanchor="top", y=-0.2, x=0)},
        title_text="Coordinate trajectories x_i(k)",
        updatemenus=[dict(type="buttons", direction="left", x=0, y=1.33, xanchor="left",
                          yanchor="top", showactive=False, pad=dict(t=0, r=6), buttons=[
            dict(label="▶ Play", method="animate", args=play(150)),
            dict(label="▶▶ Fast", method="animate", args=play(40)),
            dict(label="❚❚ Pause", method="animate", args=[[None], anim])])],
        sliders=[dict(active=j0, x=0.36, len=0.64, y=1.36, yanchor="top", pad=dict(t=0, b=0),
                      currentvalue=dict(prefix="iteration k = ", font=dict(size=14,
                                                                          color=TRUTH)),
                      ticklen=0, font=dict(size=1, color="rgba(0,0,0,0)"), steps=steps)],
    )
    fig.update_xaxes(type="log", title="iteration k", range=[0, np.log10(max(float(ks[-1]), 2))])
    if log_y:
        lo = float(np.log10(max(X.min(), 1e-16)))
        fig.update_yaxes(type="log", range=[lo - 0.2, np.log10(max(X.max(), 1e-15)) + 0.3])
    else:
        pad = 0.05 * float(np.ptp(X) or 1.0)
        fig.update_yaxes(type="linear", range=[float(X.min()) - pad, float(X.max()) + pad])
    fig.update_yaxes(title="x_i", exponentformat="power")
    return fig


def _nonzero(x: np.ndarray, scale: float) -> np.ndarray:
    """Indices of the entries above ``1e-3 * scale`` in absolute value."""
    return np.flatnonzero(np.abs(x) > 1e-3 * scale)


def _gap_curve(r: Result, f_star: float, points: int = 120):
    """Thinned ``(k, f(x_k) - f*)`` of a run for a log-log axis (k >= 1), float32."""
    h = r.history
    obj, its = h.objective, h.objective_iterations
    if len(obj) < 2:
        return f32([1.0]), f32([max(float(obj[-1]) - f_star, FLOOR)])
    idx = log_indices(len(obj) - 1, points) + 1
    return f32(its[idx]), f32(np.maximum(obj[idx] - f_star, FLOOR))


def _readout(alpha: float, r: Result, x_true: np.ndarray | None,
             classical: tuple[str, Result] | None, l1_min: float | None) -> str:
    """One line: ℓ1 and support F1 of a run against the classical solver, and its status.

    Examples
    --------
    >>> import nnls_core as nc
    >>> r = nc.solve([[1.0, 1.0]], [1.0], method="fista")
    >>> _readout(1e-3, r, None, None, 1.0)
    'α = 1e-03: ℓ1 1.00 (min ℓ1 1.00) · converged after 1 iterations'
    """
    l1 = f"ℓ1 {np.abs(r.x).sum():.2f}"
    f1 = f" · support F1 {support_f1(r.x, x_true):.2f}" if x_true is not None else ""
    if classical is not None:
        name, c = classical
        l1 += f" ({name} {np.abs(c.x).sum():.2f}"
        l1 += f"; min-ℓ1 LP {l1_min:.2f})" if l1_min is not None else ")"
        if x_true is not None:
            f1 += f" ({name} {support_f1(c.x, x_true):.2f})"
    elif l1_min is not None:
        l1 += f" (min ℓ1 {l1_min:.2f})"
    word = {"converged": "converged", "diverged": "<b>DIVERGED</b>"}.get(r.status, r.status)
    return f"α = {alpha:.0e}: {l1}{f1} · {word} after {r.n_iter:,} iterations"


def scrub_figure(alphas, runs: list[Result], x_true: np.ndarray | None, f_star: float, *,
                 active: int, classical: tuple[str, Result] | None = None,
                 ghost: tuple[str, Result] | None = None,
                 l1_min: float | None = None) -> go.Figure:
    """The Playground's first screen: the solution (left) and the loss (right) for one
    initialization scale α of a grid, with a slider that scrubs α in the browser.

    Left: the non-zero entries (above 1e-3 of the largest) of x_true (open circles),
    of the classical solver (diamonds, shifted left) and of the reparametrized run at α
    (dots with stems, shifted right). Right: ``f(x_k) − f*`` of the run at α (bold), of
    every α of the grid (faint, so the plateau's length is seen to grow as α shrinks) and
    of the classical solver. A ghost (grey) shows a previous setting. One animation frame
    per α: dragging the slider swaps the bold traces and the readout (ℓ1, support F1,
    status) in the title without a server round trip. Diverged runs are red, up to their
    last finite value.

    Parameters
    ----------
    alphas : sequence of float
        The grid of α, one per entry of ``runs``.
    runs : list of Result
        The reparametrized runs, one per α (histories may be thinned).
    x_true : ndarray or None
        Ground truth.
    f_star : float
        Optimal objective for the loss gap.
    active : int
        Index of the α shown initially.
    classical : (label, Result), optional
        The classical solver to compare with (e.g. FISTA).
    ghost : (label, Result), optional
        A previous setting, drawn faintly.
    l1_min : float, optional
        The minimum ℓ1 of a non-negative exact solution (shown in the readout).

    Examples
    --------
    >>> import nnls_core as nc
    >>> p = nc.sparse_problem(10, 30, 2, seed=0)
    >>> rs = nc.sweep.sweep(p.A, p.b, alpha=[1e-3, 1e-1], max_iter=2000)
    >>> fig = scrub_figure([1e-3, 1e-1], rs, p.x_true, 0.0, active=1)
    >>> len(fig.frames), fig.layout.sliders[0].active
    (2, 1)
    """
    scale = max([float(np.abs(x_true).max()) if x_true is not None else 0.0]
                + [float(np.abs(r.x).max()) for r in runs if r.status != "diverged"]
                + ([float(np.abs(classical[1].x).max())] if classical else []) + [1e-300])
    fig = make_subplots(rows=1, cols=2, column_widths=[0.55, 0.45], horizontal_spacing=0.09)
    fig.update_yaxes(domain=[0, 0.86])
    # static traces: the grid's loss curves (faint), truth, classical solver, ghost; the
    # grid's curves and the frames are typed arrays, not validated trace by trace
    curves = [_gap_curve(r, f_star) for r in runs]
    gaps = [gap for _, gap in curves]
    for r in runs:
        ks, gap = _gap_curve(r, f_star, 60)
        fig.add_trace(go.Scatter(x=typed(ks), y=typed(gap), mode="lines", showlegend=False,
                                 hoverinfo="skip", line=dict(color="#cbd5e0", width=1),
                                 _validate=False), row=1, col=2)
    if x_true is not None:
        i = _nonzero(x_true, scale)
        fig.add_trace(go.Scatter(x=f32(i), y=f32(x_true[i]), mode="markers", name="x_true",
                                 marker=dict(color=TRUTH, size=12, symbol="circle-open",
                                             line=dict(width=2))), row=1, col=1)
    if classical is not None:
        name, c = classical
        i = _nonzero(c.x, scale)
        fig.add_trace(go.Scatter(x=f32(i - 0.3), y=f32(c.x[i]), mode="markers", name=name,
                                 marker=dict(color=CLASSICAL, size=8, symbol="diamond"),
                                 legendgroup=name), row=1, col=1)
        ks, gap = _gap_curve(c, f_star)
        gaps.append(gap)
        fig.add_trace(go.Scatter(x=ks, y=gap, mode="lines", name=name, legendgroup=name,
                                 showlegend=False, line=dict(color=CLASSICAL, width=2)),
                      row=1, col=2)
    if ghost is not None:
        name, g = ghost
        i = _nonzero(g.x, scale)
        fig.add_trace(go.Scatter(x=f32(i + 0.3), y=f32(g.x[i]), mode="markers",
                                 name=f"previous: {name}", legendgroup="ghost",
                                 marker=dict(color=GHOST, size=9, symbol="circle-open")),
                      row=1, col=1)
        ks, gap = _gap_curve(g, f_star)
        gaps.append(gap)
        fig.add_trace(go.Scatter(x=ks, y=gap, mode="lines", legendgroup="ghost",
                                 showlegend=False, line=dict(color=GHOST, width=2, dash="dot")),
                      row=1, col=2)
    n_static = len(fig.data)

    def parts(j: int) -> tuple:
        """What the frame of α_j shows: its colour, solution stems, loss curve, readout."""
        r = runs[j]
        i = _nonzero(r.x, scale)
        return (DIVERGED if r.status == "diverged" else SUPPORT, f32(i + 0.3), f32(r.x[i]),
                *curves[j], _readout(alphas[j], r, x_true, classical, l1_min))

    def frame_data(j: int) -> list[dict]:
        color, xi, y, ks, gap, title = parts(j)
        return [dict(type="scatter", x=typed(xi), y=typed(y), marker=dict(color=color),
                     error_y=dict(array=typed(np.zeros_like(y)), arrayminus=typed(y))),
                dict(type="scatter", x=typed(ks), y=typed(gap), line=dict(color=color)),
                dict(type="scatter", x=typed(ks[-1:]), y=typed(gap[-1:]),
                     marker=dict(color=color)),
                dict(type="scatter", x=[0.0], y=[0.5], text=[title])]

    label = "reparametrized x = u^L"
    color, xi, y, ks, gap, title = parts(active)
    fig.add_trace(go.Scatter(x=xi, y=y, mode="markers", name=label,
                             legendgroup="run", marker=dict(color=color, size=8),
                             error_y=dict(type="data", symmetric=False, array=np.zeros_like(y),
                                          arrayminus=y, width=0, thickness=1.2,
                                          color="#90cdf4")), row=1, col=1)
    fig.add_trace(go.Scatter(x=ks, y=gap, mode="lines", legendgroup="run",
                             showlegend=False, line=dict(color=color, width=3)),
                  row=1, col=2)
    fig.add_trace(go.Scatter(x=ks[-1:], y=gap[-1:], mode="markers", legendgroup="run",
                             showlegend=False, marker=dict(color=color, size=10,
                                                           symbol="x")), row=1, col=2)
    # the readout is a text trace on its own hidden axes (a frame that changes a trace
    # needs no full redraw; a frame that changes the title would)
    fig.add_trace(go.Scatter(x=[0.0], y=[0.5], text=[title], mode="text", name="readout",
                             textposition="middle right", showlegend=False, hoverinfo="skip",
                             textfont=dict(size=14, color=TRUTH), xaxis="x3", yaxis="y3"))
    moving = [n_static, n_static + 1, n_static + 2, n_static + 3]
    set_frames(fig, [dict(name=f"{a:.0e}", traces=moving, data=frame_data(j))
                     for j, a in enumerate(alphas)])
    anim = dict(mode="immediate", frame=dict(duration=0, redraw=False), transition=dict(duration=0))
    gaps = np.concatenate(gaps).astype(float)
    k_max = max([float(r.history.objective_iterations[-1]) for r in runs]
                + ([float(classical[1].history.objective_iterations[-1])] if classical else [])
                + [10.0])
    n = len(runs[0].x)
    top = 1.15 * scale if scale > 1e-300 else 1.0
    fig.update_layout(
        **{**LAYOUT, "height": 420, "margin": dict(l=55, r=15, t=30, b=10),
           "legend": dict(orientation="h", yanchor="bottom", y=1.0, x=0.55, xanchor="right",
                          bgcolor="rgba(255,255,255,0.8)", font=dict(size=13)),
           "title": None,
           "xaxis3": dict(domain=[0, 1], range=[0, 1], anchor="y3", visible=False),
           "yaxis3": dict(domain=[0.9, 1], range=[0, 1], anchor="x3", visible=False)},
        sliders=[dict(active=active, x=0.0, len=1.0, y=-0.17, yanchor="top", pad=dict(t=0, b=0),
                      currentvalue=dict(prefix="drag to scrub α = ", font=dict(size=14),
                                        offset=4),
                      steps=[dict(method="animate", label=f"{a:.0e}", args=[[f"{a:.0e}"], anim])
                             for a in alphas])],
    )
    fig.update_xaxes(title_text="coordinate i", title_standoff=2, range=[-1, n], row=1, col=1)
    fig.update_yaxes(range=[-0.05 * top, top], title_text="solution x_i", title_standoff=2,
                     row=1, col=1)
    lo = float(np.log10(max(gaps[gaps > FLOOR].min() if np.any(gaps > FLOOR) else 1e-16, 1e-20)))
    hi = float(np.log10(max(gaps.max(), 1e-300)))
    fig.update_xaxes(type="log", title_text="iteration k", title_standoff=2,
                     range=[0, np.log10(k_max) + 0.05], dtick=1, row=1, col=2)
    fig.update_yaxes(type="log", exponentformat="power", range=[lo - 0.3, hi + 0.3],
                     title_text="loss f(x_k) − f*", title_standoff=2,
                     dtick=max(1, math.ceil((hi - lo + 0.6) / 5)), row=1, col=2)
    return fig


def live_figure(ks, objectives, x: np.ndarray, x_true: np.ndarray | None, f_star: float,
                *, title: str) -> go.Figure:
    """A run in progress: the current iterate against x_true (left) and the loss so far
    (right), the same layout as :func:`scrub_figure`, built without ``make_subplots``
    (it is redrawn several times a second while the run streams).

    Examples
    --------
    >>> fig = live_figure([1, 2, 3], [1.0, 0.5, 0.2], np.array([0.0, 1.0]), None, 0.0,
    ...                   title="running")
    >>> [t.name for t in fig.data]
    ['current x', 'loss so far']
    """
    ks, obj = np.asarray(ks, dtype=float), np.asarray(objectives, dtype=float)
    scale = max(float(np.abs(x).max()), float(np.abs(x_true).max()) if x_true is not None
                else 0.0, 1e-300)
    data = []
    if x_true is not None:
        i = _nonzero(x_true, scale)
        data.append(go.Scatter(x=f32(i), y=f32(x_true[i]), mode="markers", name="x_true",
                               marker=dict(color=TRUTH, size=12, symbol="circle-open")))
    i = _nonzero(x, scale)
    data.append(go.Scatter(x=f32(i + 0.3), y=f32(x[i]), mode="markers", name="current x",
                           marker=dict(color=SUPPORT, size=8)))
    data.append(go.Scatter(x=f32(np.maximum(ks, 1)), y=f32(np.maximum(obj - f_star, FLOOR)),
                           mode="lines", name="loss so far", xaxis="x2", yaxis="y2",
                           line=dict(color=SUPPORT, width=3)))
    layout = {**LAYOUT, "height": 420, "margin": dict(l=55, r=15, t=62, b=80),
              "legend": dict(orientation="h", yanchor="bottom", y=1.0, x=0.55, xanchor="right",
                             font=dict(size=13)),
              "title": dict(text=title, x=0.01, y=0.985, yref="container", yanchor="top",
                            font=dict(size=14)),
              "xaxis": dict(domain=[0, 0.5], range=[-1, len(x)],
                            title=dict(text="coordinate i", standoff=2)),
              "yaxis": dict(title=dict(text="current iterate x_i", standoff=2)),
              "xaxis2": dict(domain=[0.59, 1], type="log", anchor="y2", dtick=1,
                             title=dict(text="iteration k", standoff=2)),
              "yaxis2": dict(type="log", anchor="x2", exponentformat="power",
                             title=dict(text="loss so far f(x_k) − f*", standoff=2))}
    return go.Figure(data=data, layout=layout)


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
