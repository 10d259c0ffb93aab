"""Plotly figures for the NMF page: pure functions (arrays in, Figure out), no streamlit."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

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
    traces = []
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
        traces.append(go.Scatter(
            x=xs.astype(np.float32), y=f[idx].astype(np.float32), mode="lines",
            name=label(name), line={"color": COLORS.get(name), "width": 2},
        ))
    # one layout dict: cheaper to build than update_* calls on every rerun
    layout = {
        "height": 330, "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "font": {"size": 14}, "legend": {"orientation": "h", "y": -0.3},
        "title": {"text": "objective ‖X − WH‖² + λ‖MW‖² against "
                          + ("time" if x == "time" else "iteration"), "font": {"size": 15}},
        "xaxis": {"type": "log", "dtick": 1,  # decades only: no cluttered minor labels
                  "title": {"text": "seconds" if x == "time" else "iteration + 1"}},
        "yaxis": {"type": "log", "title": {"text": "objective"}, "exponentformat": "power",
                  "dtick": 1 if top / floor < 1e7 else 2},
    }
    return go.Figure(data=traces, layout=layout)


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


TRUTH = "ground truth"
#: short names for panels drawn side by side
SHORT = {TRUTH: "truth", "projected_gradient": "PG", "projected_gradient+acc": "PG acc.",
         "multiplicative": "Lee-Seung", "hadamard": "Hadamard", "sklearn-mu": "sk 'mu'",
         "sklearn-cd": "sk 'cd'"}
#: grey of the frame between images; blank space is 0 (white)
FRAME = 0.15


def _panels_figure(panels: dict[str, np.ndarray], *, side_by_side: bool,
                   square: bool) -> go.Figure:
    """Images (values in [0, 1]) in one grey heat map, one trace: stacked with a title
    band above each (``side_by_side=False``), or side by side with short titles on top.

    One trace and one pair of axes keep the figure cheap to build and to send."""
    names, imgs = list(panels), [np.asarray(z, dtype=float) for z in panels.values()]
    if side_by_side:
        h = max(z.shape[0] for z in imgs)
        gap = np.zeros((h, 1))
        blocks, centers, x0 = [], [], 0
        for z in imgs:
            z = np.vstack([z, np.zeros((h - z.shape[0], z.shape[1]))])
            blocks += [z, gap]
            centers.append(x0 + (z.shape[1] - 1) / 2)
            x0 += z.shape[1] + 1
        big = np.hstack(blocks[:-1])
        notes = [{"x": c, "y": 1.0, "xref": "x", "yref": "paper", "yanchor": "bottom",
                  "text": SHORT.get(k, label(k)), "showarrow": False, "font": {"size": 14}}
                 for k, c in zip(names, centers)]
        height = 380
    else:
        w = max(z.shape[1] for z in imgs)
        band = max(2, round(0.12 * w)) if square else 3  # room for a title above each
        blocks, notes, y0 = [], [], 0
        for k, z in zip(names, imgs):
            blocks += [np.zeros((band, w)), np.hstack([z, np.zeros((z.shape[0], w - z.shape[1]))])]
            notes.append({"x": 0, "y": y0 + band - 0.5, "xref": "x", "yref": "y",
                          "xanchor": "left", "yanchor": "bottom", "showarrow": False,
                          "text": k if k in (TRUTH, "data") else label(k),
                          "font": {"size": 14}})
            y0 += band + z.shape[0]
        big = np.vstack(blocks)
        # images: square pixels across a ~760 px wide chart; strips: 11 px per row
        height = int(min(2400, max(240, 40 + (760 * big.shape[0] / max(big.shape[1], 1)
                                             if square else 11 * big.shape[0]))))
    axis = {"showticklabels": False, "showgrid": False, "zeroline": False, "ticks": ""}
    layout = {"height": height, "margin": {"l": 5, "r": 5, "t": 30, "b": 5},
              "annotations": notes, "xaxis": axis | {"constrain": "domain"},
              "yaxis": axis | {"autorange": "reversed"} | (
                  {"scaleanchor": "x", "constrain": "domain"} if square else {}),
              "font": {"size": 14}, "plot_bgcolor": "white"}
    trace = go.Heatmap(z=big.astype(np.float32), colorscale="Greys", zmin=0, zmax=1,
                       showscale=False, hovertemplate="%{z:.2f}<extra></extra>")
    return go.Figure(data=[trace], layout=layout)


def basis_figure(bases: dict[str, np.ndarray], shape: tuple[int, int] | None,
                 *, truth: np.ndarray | None = None, ncols: int = 9) -> go.Figure:
    """The columns of W per method, next to the true parts when they are known.

    Each column is scaled to its own maximum (NMF factors have a free scale). With
    ``truth`` (m x r_true) it is drawn first and every method's columns are put in the
    order of the true parts they match (:func:`nnls_core.nmf.match_columns`); without it,
    columns are ordered by where their mass sits. With ``shape`` each column is an image
    (a mosaic per method, stacked); without it each W is a heat map (rows = the m
    coordinates, columns = the parts), side by side.

    Examples
    --------
    >>> import numpy as np
    >>> Wt = np.eye(4)[:, :2]
    >>> fig = basis_figure({"hadamard": Wt[:, ::-1]}, None, truth=Wt)
    >>> [a.text for a in fig.layout.annotations]
    ['truth', 'Hadamard']
    >>> z = np.asarray(fig.data[0].z)
    >>> bool((z[:, :2] == z[:, 3:]).all())  # matched to the truth's order
    True
    """
    from nnls_core.nmf import match_columns

    panels: dict[str, np.ndarray] = {}
    if truth is not None:
        truth = np.asarray(truth, dtype=float)
        panels[TRUTH] = truth[:, _order(truth)]
    for name, W in bases.items():
        W = np.asarray(W, dtype=float)
        order = match_columns(W, panels[TRUTH])[0] if truth is not None else _order(W)
        panels[name] = W[:, order]
    if shape is None:
        return _panels_figure({k: W / np.maximum(W.max(axis=0, keepdims=True), 1e-300)
                               for k, W in panels.items()}, side_by_side=True, square=False)
    return _panels_figure({k: mosaic(W, shape, ncols, sep=FRAME) for k, W in panels.items()},
                          side_by_side=False, square=True)


def reconstruction_figure(X: np.ndarray, recons: dict[str, np.ndarray],
                          shape: tuple[int, int] | None, *, ncols: int = 6) -> go.Figure:
    """A few data columns (top) and their reconstructions W H[:, j] per method, on the
    data's grey scale (images with ``shape``, else each column as a strip of m values).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.arange(8.0).reshape(4, 2)
    >>> fig = reconstruction_figure(X, {"multiplicative": X}, None)
    >>> [a.text for a in fig.layout.annotations]
    ['data', 'multiplicative (Lee-Seung)']
    """
    rows = {"data": np.asarray(X, dtype=float)}
    rows.update({k: np.asarray(v, dtype=float) for k, v in recons.items()})
    vmax = max(float(rows["data"].max()), 1e-300)
    if shape is not None:
        panels = {k: mosaic(np.clip(c, 0, None) / vmax, shape, ncols, normalize=False,
                            sep=FRAME) for k, c in rows.items()}
    else:
        panels = {k: np.clip(c, 0, None).T / vmax for k, c in rows.items()}
    return _panels_figure(panels, side_by_side=False, square=shape is not None)


def verdict(rel_errors: dict[str, float], parts: dict[str, float] | None = None) -> str:
    """One paragraph for the top of the page: who fits best, where the Hadamard
    reparametrization stands, and (with ground truth) who finds the true parts.

    Parameters
    ----------
    rel_errors : dict
        method -> final relative error ``||X - WH||_F / ||X||_F``.
    parts : dict, optional
        method -> mean cosine similarity with the true parts.

    Examples
    --------
    >>> print(verdict({"multiplicative": 0.1, "hadamard": 0.05, "projected_gradient": 1e-9}))
    Lowest error **projected gradient (1/L)** (1.0e-09); Hadamard 5.0e-02, 2nd of 3.
    """
    best = min(rel_errors, key=rel_errors.get)
    out = f"lowest error **{label(best)}** ({rel_errors[best]:.1e})"
    h = rel_errors.get("hadamard")
    if h is not None and best != "hadamard":
        # within 1% of each other counts as a tie: round-off decides the rest
        rank = 1 + sum(v < h / 1.01 for k, v in rel_errors.items() if k != "hadamard")
        out += f"; Hadamard {h:.1e}, {_ordinal(rank)} of {len(rel_errors)}"
    out += "."
    if parts:
        top = max(parts, key=parts.get)
        out += f" True parts found best by **{label(top)}** (cosine {parts[top]:.4f}"
        if "hadamard" in parts and top != "hadamard":
            out += f"; Hadamard {parts['hadamard']:.4f}"
        out += ")."
    return out[0].upper() + out[1:]


def _ordinal(k: int) -> str:
    """1st, 2nd, 3rd, 4th, ..."""
    return f"{k}{'th' if 10 <= k % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(k % 10, 'th')}"
