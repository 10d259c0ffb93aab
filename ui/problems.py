"""The problem builders and choices shared by the Playground and the Tune page (a Tune
cell opens in the Playground with exactly these settings)."""

from __future__ import annotations

import streamlit as st

import nnls_core as nc
from nnls_core.io import load_array

UPLOAD = "Upload A and b"
GENERATORS = ["Sparse non-negative", "Dense Gaussian", "Correlated columns", UPLOAD]
ALPHAS = [float(f"{m}e{e}") for e in range(-6, 0) for m in (1, 2, 5)] + [1.0]
NOISES = (0.0, 1e-3, 1e-2, 0.05, 0.1, 0.2)
PERTURBATIONS = (0.0, 1e-3, 1e-2, 0.05, 0.1)


@st.cache_data(max_entries=32, ttl=3600, show_spinner=False)
def make_problem(kind: str, m: int, n: int, s: int, noise: float, neg: float, corr: float,
                 seed: int) -> nc.Problem:
    """A generated problem (cached for every session)."""
    if kind == "Dense Gaussian":
        return nc.gaussian_problem(m, n, seed=seed)
    return nc.sparse_problem(m, n, s, noise=noise, negative_perturbation=neg,
                             correlation=corr if kind == "Correlated columns" else 0.0,
                             seed=seed)


def problem_spec(kind: str, m: int, n: int, s: int, noise: float, neg: float, corr: float,
                 seed: int) -> dict:
    """The generator settings of :func:`make_problem`'s problem, as code export takes them."""
    if kind == "Dense Gaussian":
        return {"generator": "gaussian", "m": m, "n": n, "seed": seed}
    return {"generator": "sparse", "m": m, "n": n, "sparsity": s, "noise": noise,
            "negative_perturbation": neg,
            "correlation": corr if kind == "Correlated columns" else 0.0, "seed": seed}


@st.cache_data(max_entries=8, ttl=3600, show_spinner=False)
def upload_problem(a: bytes, a_name: str, b: bytes, b_name: str) -> nc.Problem:
    """A problem from uploaded A and b files (CSV or .npy, through nnls_core.io)."""
    A = load_array(a, a_name, name="A", ndim=2)
    b_arr = load_array(b, b_name, name="b", ndim=(1, 2))
    return nc.Problem.from_arrays(A, b_arr, name=f"{a_name} / {b_name}")
