"""Quality measures for comparing solutions."""

from __future__ import annotations

import numpy as np

from .result import Result


def support(x: np.ndarray, rel: float = 1e-3) -> np.ndarray:
    """Boolean mask of the entries above ``rel * max|x|`` (the numerical support).

    Examples
    --------
    >>> support(np.array([1.0, 1e-6, 0.5])).tolist()
    [True, False, True]
    """
    x = np.asarray(x, dtype=float)
    top = float(np.max(np.abs(x))) if x.size else 0.0
    return np.abs(x) > rel * top if top > 0 else np.zeros(x.shape, dtype=bool)


def support_f1(x: np.ndarray, x_true: np.ndarray, rel: float = 1e-3) -> float:
    """F1 score of the numerical support of ``x`` against the support of ``x_true``.

    Examples
    --------
    >>> support_f1(np.array([1.0, 0.0, 0.2]), np.array([1.0, 0.0, 0.0]))
    0.6666666666666666
    """
    est, true = support(x, rel), np.asarray(x_true) > 0
    tp = int(np.sum(est & true))
    if tp == 0:
        return 1.0 if not est.any() and not true.any() else 0.0
    precision, recall = tp / est.sum(), tp / true.sum()
    return float(2 * precision * recall / (precision + recall))


def compare(results: dict[str, Result], x_true: np.ndarray | None = None) -> list[dict]:
    """One row per result: objective, rnorm, error, l1, support F1, iterations, time.

    Parameters
    ----------
    results : dict
        Label -> Result.
    x_true : ndarray, optional
        Ground truth; without it the error and F1 columns are None.

    Returns
    -------
    list of dict
        Ready for ``pandas.DataFrame`` / ``st.dataframe``.
    """
    rows = []
    for label, r in results.items():
        rows.append({
            "method": label,
            "status": r.status,
            "objective": r.objective,
            "rnorm": r.rnorm,
            "||x - x_true||": None if x_true is None else float(np.linalg.norm(r.x - x_true)),
            "l1": float(np.abs(r.x).sum()),
            "support F1": None if x_true is None else support_f1(r.x, x_true),
            "min x": float(r.x.min()),
            "iterations": r.n_iter,
            "time (ms)": 1e3 * r.time_s,
        })
    return rows
