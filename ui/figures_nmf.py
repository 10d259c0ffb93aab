"""Plotly figures for the NMF page: pure functions (arrays in, Figure out), no streamlit."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

COLORS = {
    "projected_gradient": "#1f77b4",
    "projected_gradient+acc": "#17becf",
    "multiplicative": "#d62728",
    "hadamard": "#2ca02c",
    "sklearn-mu": "#ff7f0e",
    "sklearn-cd": "#9467bd",
}
LABELS = {
    "projected_gradient": "projected gradient (1/L)",
    "projected_gradient+acc": "projected gradient, accelerated",
    "multiplicative": "multiplicative (Lee-Seung)",
    "hadamard": "Hadamard W=U∘U, H=V∘V",
    "sklearn-mu": "scikit-learn 'mu'",
    "sklearn-cd": "scikit-learn 'cd'",
}


def label(method: str) -> str:
    """Readable name of a solver."""
    return LABELS.get(method, method)


def thin(n: int, max_points: int = 400) -> np.ndarray:
    """Indices 0..n-1 thinned to about ``max_points``: log-spaced plus linear, with the last."""
    if n <= max_points:
        return np.arange(n)
    idx = np.unique(np.concatenate([
        np.geomspace(1, n - 1, max_points // 2).astype(int),
        np.linspace(0, n - 1, max_points // 2).astype(int),
        [0, n - 1],
    ]))
    return idx


def objective_figure(histories: dict[str, dict], *, x: str = "iteration",
                     max_points: int = 400) -> go.Figure:
    """Objective against iteration or time (log scales), one line per method.

    Parameters
    ----------
    histories : dict
        method -> history dict with ``"objective"`` and ``"time"`` arrays, and optionally
        ``"iteration"`` (the iteration of each entry; default 0, 1, 2, ...).
    x : {"iteration", "time"}
    """
    fig = go.Figure()
    floor = None
    for name, h in histories.items():
        f = np.asarray(h["objective"], dtype=float)
        ok = np.isfinite(f) & (f > 0)
        if ok.any():
            lo = f[ok].min()
            floor = lo if floor is None else min(floor, lo)
    top = max((float(np.nanmax(h["objective"])) for h in histories.values()), default=1.0)
    # show 12 decades below the start at most; lower values sit on the floor
    floor = max(floor or 1e-300, 1e-12 * top, 1e-300)
    for name, h in histories.items():
        f = np.asarray(h["objective"], dtype=float)
        keep = np.isfinite(f)
        f = np.maximum(f, floor)  # exact zeros cannot sit on a log axis
        idx = thin(len(f), max_points)
        idx = idx[keep[idx]]
        if x == "time":
            xs = np.asarray(h["time"], dtype=float)[idx]
            idx, xs = idx[xs > 0], xs[xs > 0]
        else:
            # iteration k+1 so the start fits a log axis; long histories are thinned, so
            # take the iteration numbers from the history when it has them
            its = np.asarray(h["iteration"], dtype=float) if "iteration" in h else \
                np.arange(len(f), dtype=float)
            xs = its[idx] + 1.0
        fig.add_trace(go.Scatter(
            x=xs.astype(np.float32), y=f[idx].astype(np.float32), mode="lines",
            name=label(name), line={"color": COLORS.get(name), "width": 2},
        ))
    fig.update_layout(
        height=360, margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h", "y": -0.25},
        title="objective ||X − WH||² + λ||MW||² against " + ("time" if x == "time" else "iteration"),
    )
    fig.update_xaxes(type="log", title="seconds" if x == "time" else "iteration + 1")
    fig.update_yaxes(type="log", title="objective", exponentformat="power")
    return fig


def mosaic(cols: np.ndarray, shape: tuple[int, int], ncols: int, *, normalize: bool = True,
           pad: int = 1, sep: float = 0.15) -> np.ndarray:
    """Tile the columns of ``cols`` (pixels x k) as images of ``shape`` into one array.

    Images are separated by ``pad`` pixels of value ``sep`` (a light grey frame).
    """
    cols = np.asarray(cols, dtype=float)
    k = cols.shape[1]
    ncols = max(1, min(ncols, k))
    nrows = math.ceil(k / ncols)
    h, w = shape
    out = np.full((nrows * (h + pad) + pad, ncols * (w + pad) + pad), float(sep))
    for j in range(k):
        img = cols[:, j].reshape(shape)
        if normalize:
            mx = img.max()
            img = img / mx if mx > 0 else img
        r, c = divmod(j, ncols)
        y, x = pad + r * (h + pad), pad + c * (w + pad)
        out[y: y + h, x: x + w] = img
    for j in range(k, nrows * ncols):  # empty slots of the last row: blank, no frame
        r, c = divmod(j, ncols)
        out[r * (h + pad) + pad: (r + 1) * (h + pad) + pad, c * (w + pad) + pad:
            (c + 1) * (w + pad) + pad] = 0.0
    return np.nan_to_num(out)


def _order(W: np.ndarray) -> np.ndarray:
    """Order basis columns by where their mass is (stable across methods)."""
    Wn = W / np.maximum(W.sum(axis=0, keepdims=True), 1e-300)
    center = (np.arange(W.shape[0])[:, None] * Wn).sum(axis=0)
    return np.argsort(center)


def basis_figure(bases: dict[str, np.ndarray], shape: tuple[int, int] | None,
                 *, ncols: int = 9) -> go.Figure:
    """Basis columns of W per method: images if ``shape`` is given, else W as a heat map.

    Each image is scaled to its own maximum (NMF factors have a free scale).
    """
    names = list(bases)
    n = len(names)
    per = (40 + 85 * math.ceil(max(np.asarray(W).shape[1] for W in bases.values()) / ncols)
           if shape is not None else 260)
    height = 60 + per * n
    fig = make_subplots(rows=n, cols=1, subplot_titles=[label(k) for k in names],
                        vertical_spacing=min(36 / height, 0.3) if n > 1 else 0.0)
    for i, name in enumerate(names, start=1):
        W = np.asarray(bases[name], dtype=float)
        W = W[:, _order(W)]
        if shape is not None:
            z = mosaic(W, shape, ncols)
        else:
            z = W / np.maximum(W.max(axis=0, keepdims=True), 1e-300)
        _image_row(fig, z, i, shape)
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


def _image_row(fig: go.Figure, z: np.ndarray, i: int, shape) -> None:
    """Draw one grey image mosaic in subplot row ``i`` (square pixels for images)."""
    fig.add_trace(go.Heatmap(z=z.astype(np.float32), colorscale="Greys", zmin=0, zmax=1,
                             showscale=False, hovertemplate="%{z:.2f}<extra></extra>"),
                  row=i, col=1)
    fig.update_yaxes(autorange="reversed", showticklabels=False, showgrid=False,
                     zeroline=False, ticks="", row=i, col=1,
                     **({"scaleanchor": f"x{'' if i == 1 else i}"} if shape else {}))
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False, ticks="", row=i, col=1)


def reconstruction_figure(X: np.ndarray, recons: dict[str, np.ndarray],
                          shape: tuple[int, int] | None, *, ncols: int = 6) -> go.Figure:
    """A few data columns (top row) and their reconstructions W H[:, j] per method."""
    rows = {"data": np.asarray(X, dtype=float)}
    rows.update({label(k): np.asarray(v, dtype=float) for k, v in recons.items()})
    vmax = max(float(rows["data"].max()), 1e-300)
    n = len(rows)
    height = 40 + (125 if shape is not None else 150) * n
    fig = make_subplots(rows=n, cols=1, subplot_titles=list(rows),
                        vertical_spacing=min(32 / height, 0.3) if n > 1 else 0.0)
    for i, (name, cols) in enumerate(rows.items(), start=1):
        if shape is not None:
            z = mosaic(np.clip(cols, 0, None) / vmax, shape, ncols, normalize=False)
        else:
            z = np.clip(cols, 0, None).T / vmax
        _image_row(fig, z, i, shape)
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig
