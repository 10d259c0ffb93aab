"""Pure figure builder of the Tune page: a :class:`nnls_core.tuning.TuneGrid` in, a plotly
Figure out (two linked heatmaps: the cost and the sparsity bought, cell by cell)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from nnls_core.tuning import TuneGrid

#: How the step modes are named on the page.
MODE_LABELS = {"fixed": "fixed η", "bb": "BB", "nesterov": "Nesterov", "mirror": "mirror"}
#: Font size of every text in the figure (readable on a projector).
FONT = 14


def row_labels(g: TuneGrid) -> list[str]:
    """The heatmaps' row labels, one per (mode, L), mode-major.

    Examples
    --------
    >>> import numpy as np
    >>> from nnls_core.tuning import TuneGrid
    >>> z = np.zeros((1, 2, 1))
    >>> g = TuneGrid((1e-2,), (2.0, 3.0), ("bb",), z.astype(int), z, z.astype(str), z, z,
    ...              1.0, "min-l1 LP", 1e-6, 100, 0.1)
    >>> row_labels(g)
    ['BB · L=2', 'BB · L=3']
    """
    return [f"{MODE_LABELS.get(m, m)} · L={L:g}" for m in g.modes for L in g.Ls]


def _hatch_path(cells: np.ndarray) -> str:
    """One SVG path: for every (row, column) cell, its square and two diagonal strokes."""
    parts = []
    for r, c in cells:
        x0, x1, y0, y1 = c - 0.5, c + 0.5, r - 0.5, r + 0.5
        parts.append(f"M{x0},{y0}L{x1},{y0}L{x1},{y1}L{x0},{y1}Z"
                     f"M{x0},{y1}L{x1},{y0}M{x0},{r}L{c},{y0}M{c},{y1}L{x1},{r}")
    return "".join(parts)


def _log_ticks(lo: float, hi: float, candidates) -> tuple[list[float], list[str]]:
    vals = [v for v in candidates if lo - 1e-9 <= v <= hi + 1e-9] or [lo, hi]
    return [float(np.log10(v)) for v in vals], [f"{v:g}" for v in vals]


def tune_figure(g: TuneGrid, *, best: tuple[int, int, int] | None = None,
                height: int = 400) -> go.Figure:
    """Two heatmaps over (step mode, L) x alpha, side by side with shared axes: left, the
    iterations to the tolerance (log colour); right, the l1 norm of the end point
    relative to the reference ``g.l1_ref`` (log colour, 1 = the sparsest fit). Cells that
    did not converge are hatched grey, with their status in the hover; the cell ``best``
    is outlined in both. A transparent marker on every cell carries the hover and makes
    the cell clickable (``customdata``: mode, L, alpha index).

    Examples
    --------
    >>> import nnls_core as nc
    >>> from nnls_core.tuning import tune
    >>> p = nc.sparse_problem(20, 60, 3, seed=1)
    >>> g = tune(p.A, p.b, alphas=[1e-2, 1e-1], Ls=[2], modes=["bb"])
    >>> fig = tune_figure(g)
    >>> [t.type for t in fig.data]
    ['heatmap', 'scatter', 'heatmap', 'scatter']
    """
    n_modes, n_L, n_a = g.n_iter.shape
    rows = n_modes * n_L
    conv = g.converged.reshape(rows, n_a)
    iters = g.n_iter.reshape(rows, n_a)
    ratio = g.l1_ratio.reshape(rows, n_a)
    times = g.time_s.reshape(rows, n_a)
    status = g.status.reshape(rows, n_a)
    steps = g.steps.reshape(rows, n_a)
    ref = "min ℓ1 (LP)" if g.l1_ref_name == "min-l1 LP" else "Lawson-Hanson's ℓ1"
    fig = make_subplots(
        rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.12,
        subplot_titles=(f"iterations to tolerance {g.tol:.0e}",
                        f"ℓ1 at convergence ÷ {ref}"))
    # colour ranges from the converged cells (the hatched ones are covered)
    it_hi = float(max(iters[conv].max(), 10)) if conv.any() else float(g.max_iter)
    it_lo = float(max(iters[conv].min(), 1)) if conv.any() else 1.0
    r_hi = float(max(ratio[conv].max(), 1.1)) if conv.any() else 2.0
    it_z = np.log10(np.clip(iters, it_lo, it_hi)).astype(np.float32)
    r_z = np.log10(np.clip(ratio, 1.0, r_hi)).astype(np.float32)
    it_text = np.where(conv, iters.astype(str), "—")
    r_text = np.where(conv, np.char.mod("%.2f", ratio), "—")
    it_ticks = _log_ticks(it_lo, it_hi, [c * 10**e for e in range(6) for c in (1, 2, 5)])
    r_ticks = _log_ticks(1.0, r_hi, [1, 1.2, 1.5, 2, 3, 5, 10, 20, 50, 100])
    x = np.arange(n_a)
    y = np.arange(rows)
    labels = row_labels(g)
    mode_idx = np.repeat(np.arange(n_modes), n_L)
    L_idx = np.tile(np.arange(n_L), n_modes)
    hover = []
    for r in range(rows):
        line = []
        for k in range(n_a):
            head = f"<b>{labels[r]}, α={g.alphas[k]:.0e}</b>"
            if np.isfinite(steps[r, k]):
                head += f", η={steps[r, k]:.3g}"
            if conv[r, k]:
                body = (f"converged after {iters[r, k]:,} iterations "
                        f"({1e3 * times[r, k]:.0f} ms in its batch)<br>"
                        f"ℓ1 = {ratio[r, k]:.3f} × {ref}")
            else:
                body = (f"<b>not converged</b> ({status[r, k]}) after {iters[r, k]:,} "
                        f"iterations<br>ℓ1 of the last iterate = {ratio[r, k]:.3f} × {ref} "
                        "(not a limit)")
            line.append(head + "<br>" + body + "<br><i>click: open in the Playground</i>")
        hover.append(line)
    cells_x = np.tile(x, rows).astype(np.float32)
    cells_y = np.repeat(y, n_a).astype(np.float32)
    custom = np.stack([np.repeat(mode_idx, n_a), np.repeat(L_idx, n_a), np.tile(x, rows)],
                      axis=1)
    for col, z, text, scale, ticks, cx in (
            (1, it_z, it_text, "Oranges", it_ticks, 0.44),
            (2, r_z, r_text, "Blues", r_ticks, 1.0)):
        fig.add_trace(go.Heatmap(
            z=z, x=x, y=y, text=text, texttemplate="%{text}", textfont=dict(size=FONT),
            colorscale=scale, zmin=float(z.min()) if col == 1 else 0.0,
            zmax=float(np.log10(it_hi)) if col == 1 else float(np.log10(r_hi)),
            hoverinfo="skip", xgap=1, ygap=1,
            colorbar=dict(x=cx, len=0.9, thickness=12, tickvals=ticks[0], ticktext=ticks[1],
                          tickfont=dict(size=FONT))), row=1, col=col)
        fig.add_trace(go.Scatter(
            x=cells_x, y=cells_y, mode="markers", customdata=custom,
            marker=dict(size=26, symbol="square", color="rgba(0,0,0,0)"),
            hovertext=np.ravel(hover), hovertemplate="%{hovertext}<extra></extra>",
            selected=dict(marker=dict(color="rgba(0,0,0,0.25)")),
            unselected=dict(marker=dict(opacity=0)), showlegend=False), row=1, col=col)
    bad = np.argwhere(~conv)
    for col, (xr, yr) in ((1, ("x", "y")), (2, ("x2", "y2"))):
        if len(bad):
            fig.add_shape(type="path", path=_hatch_path(bad), xref=xr, yref=yr,
                          fillcolor="rgba(154,160,166,0.95)",
                          line=dict(color="#5f6368", width=1), layer="above")
        for i in range(1, n_modes):  # separators between the step modes
            fig.add_shape(type="line", x0=-0.5, x1=n_a - 0.5, y0=i * n_L - 0.5,
                          y1=i * n_L - 0.5, xref=xr, yref=yr,
                          line=dict(color="white", width=4), layer="above")
        if best is not None:
            i, j, k = best
            r = i * n_L + j
            fig.add_shape(type="rect", x0=k - 0.5, x1=k + 0.5, y0=r - 0.5, y1=r + 0.5,
                          xref=xr, yref=yr, line=dict(color="#1a7f37", width=4),
                          layer="above")
    alpha_ticks = [f"{a:.0e}" for a in g.alphas]
    fig.update_xaxes(tickvals=list(x), ticktext=alpha_ticks, title_text="α (u₀ = α·1)",
                     range=[-0.5, n_a - 0.5], showgrid=False, zeroline=False,
                     tickfont=dict(size=FONT), title_font=dict(size=FONT))
    fig.update_yaxes(tickvals=list(y), ticktext=labels, autorange="reversed",
                     showgrid=False, zeroline=False, tickfont=dict(size=FONT))
    fig.update_annotations(font=dict(size=FONT + 1))
    fig.update_layout(height=height, font=dict(size=FONT),
                      margin=dict(l=10, r=10, t=40, b=50), hovermode="closest",
                      dragmode=False, clickmode="event+select", showlegend=False,
                      hoverlabel=dict(font_size=FONT - 1, bgcolor="white",
                                      font_color="#1f2328", bordercolor="#5f6368"))
    return fig
