"""First screens, shipped: the Playground's default run and α grid, and the Tune page's
default grid, are read from ``assets/`` instead of computed, so the pages open at once for
the first student too. ``bench/playground_assets.py`` writes the files; tests
(test_playground.py, test_tune.py) check them against fresh runs of the library."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import streamlit as st

import nnls_core as nc
from nnls_core.result import load_results
from nnls_core.tuning import TuneGrid, load_grid
from ui.figures import log_indices

ASSETS = Path(__file__).resolve().parents[1] / "assets"
PATH = ASSETS / "playground" / "default.npz"
TUNE_PATH = ASSETS / "tune" / "default.npz"


def options_of(L: int, alpha: float, max_iter: int, tol: float, accel: str | None,
               form: str, step_kind: str, eta: float, gamma: float) -> dict:
    """The Hadamard options of the Playground's settings."""
    options: dict = {"L": L, "alpha": alpha, "max_iter": int(max_iter), "tol": tol}
    if accel is not None:
        options["accel"] = accel
    elif L > 1:
        options["form"] = form
    if step_kind == "fixed":
        options.update(step=float(eta), decay=gamma)
    else:
        options["step"] = step_kind
    return options


def grid_options(options: dict) -> tuple:
    """The options every α of the grid shares (a hashable key)."""
    return tuple(sorted((k, v) for k, v in options.items() if k != "alpha"))


def slim(r: nc.Result, points: int = 150) -> nc.Result:
    """The result with a history small enough to cache and plot: the objective thinned
    to about ``points`` log-spaced iterations, the iterates to the last one."""
    h = r.history
    keep = np.union1d(log_indices(len(h.objective), points), [0])
    last = slice(len(h.iterations) - 1, None)
    return dataclasses.replace(r, history=nc.History(
        h.objective[keep].copy(), h.iterations[last].copy(), h.x[last].copy(),
        h.kkt[last].copy(), h.l1[last].copy(), h.time_s[last].copy(),
        h.objective_iterations[keep].copy()))


@st.cache_resource
def shipped() -> dict:
    """``repr(key) -> Result`` (the run) and ``repr(grid key) -> list[Result]`` (the
    slimmed α grid), empty when the file is missing."""
    if not PATH.exists():
        return {}
    results, meta = load_results(PATH)
    return {meta["run_key"]: results[0], meta["grid_key"]: results[1:]}


@st.cache_resource
def shipped_tune() -> dict[str, TuneGrid]:
    """``repr(run key) -> TuneGrid`` of the Tune page's default grid, empty when the file
    is missing."""
    if not TUNE_PATH.exists():
        return {}
    g, meta = load_grid(TUNE_PATH)
    return {meta["run_key"]: g}
