"""NNLS Playground: build a problem, tune the reparametrized gradient descent, compare."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

import nnls_core as nc
from nnls_core.export import python_snippet
from nnls_core.io import load_array
from nnls_core.metrics import compare
from ui import figures as F
from ui import state
from ui.common import citation, plot
from ui.state import Field

GENERATORS = ["Sparse non-negative", "Dense Gaussian", "Correlated columns", "Upload A and b"]
BASELINES = {
    "Lawson-Hanson": "lawson_hanson",
    "projected gradient": "projected_gradient",
    "FISTA": "fista",
    "multiplicative": "multiplicative",
    "unconstrained LS": "lstsq",
}
ALPHAS = [float(f"{m}e{e}") for e in range(-6, 0) for m in (1, 2, 5)] + [1.0]
STEPS = {"bb": "Barzilai-Borwein", "auto": "auto (backtracking)", "fixed": "fixed η"}
ACCELS = {None: "none", "nesterov": "Nesterov (on u)", "mirror": "accelerated mirror"}
NOISES = (0.0, 1e-3, 1e-2, 0.05, 0.1, 0.2)
PERTURBATIONS = (0.0, 1e-3, 1e-2, 0.05, 0.1)
#: Tolerances of the relative (scale-free) optimality residual nc.optimality; the
#: library's default is 1e-8.
TOLS = (1e-4, 1e-6, 1e-7, 1e-8, 1e-10)
TOL_HELP = ("Stop when the relative optimality residual "
            "‖min(x, ∇f(x)/‖A‖₂²)‖∞ / max(‖x‖∞, ‖Aᵀb‖∞/‖A‖₂²) is at most this. It is "
            "scale-free: scaling A, b or x leaves it unchanged. Default 1e-8, as in the library.")
#: Badge colour of each status: green only for "converged".
BADGES = {"converged": "green", "max_iter": "orange", "stalled": "orange",
          "time_limit": "orange", "cancelled": "orange", "diverged": "red",
          "infeasible": "red"}
#: What to try when a run did not converge, per status.
ADVICE = {
    "max_iter": "Raise max iterations, or try Barzilai-Borwein steps or acceleration.",
    "stalled": "No step decreases the objective any more: the tolerance is probably below "
               "what rounding allows for this problem; try a larger tolerance.",
    "time_limit": "Raise the time limit or max iterations.",
    "cancelled": "The run was stopped before it converged.",
}

FIELDS = {
    "kind": Field(GENERATORS[0], choices=tuple(GENERATORS)),
    "m": Field(30, lo=2, hi=2000), "n": Field(100, lo=2, hi=4000),
    "s": Field(4, lo=1, hi=4000), "noise": Field(0.0, choices=NOISES),
    "neg": Field(0.0, choices=PERTURBATIONS), "corr": Field(0.7, lo=0.0, hi=0.95),
    "seed": Field(0, lo=0, hi=10**6),
    "L": Field(2, lo=1, hi=6), "alpha": Field(1e-3, choices=tuple(ALPHAS)),
    "accel": Field(None, choices=tuple(ACCELS)), "step_kind": Field("bb", choices=tuple(STEPS)),
    "eta": Field(0.05, lo=1e-6, hi=1e3), "gamma": Field(0.0, lo=0.0, hi=1.0),
    "form": Field("u", choices=("u", "x")), "max_iter": Field(20_000, lo=10, hi=200_000),
    "tol": Field(nc.HadamardOptions().tol, choices=TOLS),
    "baselines": Field(["Lawson-Hanson", "FISTA"], choices=tuple(BASELINES)),
}
DEFAULTS = {k: f.default for k, f in FIELDS.items()}
PRESETS = {
    "Implicit bias": DEFAULTS,
    # tol 1e-6: the plateau is the point here, not the last digits of the limit
    "Tiny α: long plateau": DEFAULTS | {"alpha": 1e-6, "tol": 1e-6},
    "L = 1: no constraint": DEFAULTS | {"L": 1, "baselines": ["Lawson-Hanson", "unconstrained LS"]},
    "Acceleration": DEFAULTS | {"accel": "nesterov", "step_kind": "auto"},
    "Step too large": DEFAULTS | {"step_kind": "fixed", "eta": 2.0},
    "Noisy, tall": DEFAULTS | {"m": 100, "n": 40, "noise": 0.05, "alpha": 1e-2},
}


@st.cache_data(max_entries=32, ttl=3600, show_spinner=False)
def make_problem(kind: str, m: int, n: int, s: int, noise: float, neg: float, corr: float,
                 seed: int) -> nc.Problem:
    if kind == "Dense Gaussian":
        return nc.gaussian_problem(m, n, seed=seed)
    return nc.sparse_problem(m, n, s, noise=noise, negative_perturbation=neg,
                             correlation=corr if kind == "Correlated columns" else 0.0,
                             seed=seed)


@st.cache_data(max_entries=8, ttl=3600, show_spinner=False)
def upload_problem(a: bytes, a_name: str, b: bytes, b_name: str) -> nc.Problem:
    A = load_array(a, a_name, name="A", ndim=2)
    b_arr = load_array(b, b_name, name="b", ndim=(1, 2))
    return nc.Problem.from_arrays(A, b_arr, name=f"{a_name} / {b_name}")


@st.cache_data(max_entries=32, ttl=3600, show_spinner=False)
def describe(_p: nc.Problem, key: tuple) -> dict:
    """||A||_2 as the solvers compute it, and cond(A) from the singular values."""
    sv = np.linalg.svd(_p.A, compute_uv=False)
    return {"norm": nc.spectral_norm(_p.A),
            "cond": float(sv[0] / sv[-1]) if sv[-1] > 0 else np.inf}


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def run(_p: nc.Problem, key: tuple, method: str, options: tuple) -> nc.Result:
    return nc.solve(_p.A, _p.b, method=method, **dict(options))


st.title("NNLS Playground")
st.markdown(
    r"Solve $\min_{x\ge 0}\tfrac12\|Ax-b\|^2$ by gradient descent on $x=u^{L}$ from "
    r"$u_0=\alpha\mathbf 1$, and compare with classical solvers. Change a control and "
    "watch the plateau, the drop, and which coordinates survive."
)

state.init(FIELDS, "playground")
st.session_state["s"] = min(st.session_state["s"], st.session_state["n"])
if st.session_state["accel"] is not None and st.session_state["step_kind"] == "bb":
    st.session_state["step_kind"] = "auto"  # BB steps are for the plain method only
preset_row = st.container()

controls, main = st.columns([1, 3], gap="large")

with controls:
    st.subheader("Problem")
    kind = st.selectbox("Generator", GENERATORS, key="kind")
    problem, key = None, None
    if kind == "Upload A and b":
        fa = st.file_uploader("A (m × n), .csv or .npy", type=["csv", "npy"], key="up_A")
        fb = st.file_uploader("b (length m), .csv or .npy", type=["csv", "npy"], key="up_b")
        if fa is None or fb is None:
            st.info("Upload both A and b (comma-separated numbers or a NumPy .npy file; "
                    "pickled files are refused).")
        else:
            try:
                problem = upload_problem(fa.getvalue(), fa.name, fb.getvalue(), fb.name)
                key = ("upload", fa.file_id, fb.file_id)
                spec = {"generator": "upload", "A_file": fa.name, "b_file": fb.name}
            except ValueError as exc:
                st.error(f"Cannot use these files: {exc}")
    else:
        c1, c2 = st.columns(2)
        m = c1.number_input("m (rows)", 2, 2000, key="m")
        n = c2.number_input("n (unknowns)", 2, 4000, key="n")
        sparse = kind != "Dense Gaussian"
        s = st.slider("sparsity s of x_true", 1, int(n), key="s",
                      disabled=not sparse)
        noise = st.select_slider("noise (relative)", NOISES, key="noise", disabled=not sparse)
        neg = st.select_slider("negative perturbation ‖d‖", PERTURBATIONS, key="neg",
                               disabled=not sparse)
        corr = st.slider("column correlation ρ", 0.0, 0.95, step=0.05, key="corr",
                         disabled=kind != "Correlated columns")
        seed = st.number_input("seed", 0, 10**6, key="seed")
        key = (kind, int(m), int(n), int(s), noise, neg, corr, int(seed))
        problem = make_problem(*key)
        spec = ({"generator": "gaussian", "m": int(m), "n": int(n), "seed": int(seed)}
                if kind == "Dense Gaussian" else
                {"generator": "sparse", "m": int(m), "n": int(n), "sparsity": int(s),
                 "noise": noise, "negative_perturbation": neg,
                 "correlation": corr if kind == "Correlated columns" else 0.0,
                 "seed": int(seed)})

    st.subheader("Solver")
    L = st.slider("exponent L (x = u^L)", 1, 6, key="L",
                  help="L = 1 is plain unconstrained gradient descent, for contrast.")
    alpha = st.select_slider("initialization α (u₀ = α·1)", ALPHAS, key="alpha",
                             format_func=lambda a: f"{a:.0e}")
    st.caption(f"x₀ = α^L = {alpha ** L:.3g}")
    accel = st.radio("acceleration", list(ACCELS), format_func=ACCELS.get, key="accel",
                     horizontal=True)
    step_opts = list(STEPS) if accel is None else ["auto", "fixed"]
    step_kind = st.radio("step size", step_opts, format_func=STEPS.get, key="step_kind",
                         horizontal=True)
    eta = st.number_input("fixed step η", 1e-6, 1e3, format="%.4g", key="eta",
                          disabled=step_kind != "fixed")
    gamma = st.slider("decay γ (η_k = η/(k+1)^γ)", 0.0, 1.0, step=0.05, key="gamma",
                      disabled=step_kind != "fixed")
    form = st.radio("form", ["u", "x"], key="form", horizontal=True,
                    disabled=accel is not None,
                    help="u: plain GD on u; x: the Riemannian form x ← x − η L² x^(2−2/L) ∇f.")
    c1, c2 = st.columns(2)
    max_iter = c1.number_input("max iterations", 10, 200_000, step=1000, key="max_iter")
    tol = c2.select_slider("tolerance (relative)", TOLS, key="tol",
                           format_func=lambda t: f"{t:.0e}", help=TOL_HELP)
    baselines = st.multiselect("compare with", list(BASELINES), key="baselines")

link = state.publish(FIELDS)
with preset_row:
    state.presets_and_link(PRESETS, link, key="playground")

with main:
    if problem is None:
        st.stop()
    info = describe(problem, key)
    x_true = problem.x_true
    lh = run(problem, key, "lawson_hanson", ())
    safe = nc.safe_step(info["norm"], L, max(float(lh.x.max()), 1e-12))

    options: dict = {"L": L, "alpha": alpha, "max_iter": int(max_iter), "tol": tol}
    if accel is not None:
        options["accel"] = accel
    elif L > 1:
        options["form"] = form
    if step_kind == "fixed":
        options.update(step=float(eta), decay=gamma)
    else:
        options["step"] = step_kind
    try:  # the library's options type is the one place where options are checked
        nc.HadamardOptions(**options)
    except ValueError as exc:
        st.error(f"Cannot run with these settings: {exc}", icon=":material/error:")
        st.stop()
    with st.spinner(f"Running up to {int(max_iter):,} iterations…", show_time=True):
        res = run(problem, key, "hadamard", tuple(sorted(options.items())))
        others = {name: run(problem, key, BASELINES[name], ()) for name in baselines}
        l1_ref = run(problem, key, "l1_min", ()) if problem.shape[0] < problem.shape[1] else None

    m_, n_ = problem.shape
    badge = BADGES.get(res.status, "gray")
    st.markdown(
        f"**A** {m_} × {n_} · **cond(A)** {info['cond']:.3g} · **‖A‖₂** {info['norm']:.3g} · "
        f"**safe fixed η** {safe:.3g} · :{badge}-badge[{res.status} after {res.n_iter:,} "
        f"iterations, {1e3 * res.time_s:.0f} ms]",
        help="Safe fixed η = 1/(L² max(x*)^(2−2/L) ‖A‖₂²), half the edge of the stability "
             "region, with x* from Lawson-Hanson.")
    if res.status == "diverged":
        st.warning(f"**The run diverged** ({res.message}). The plots show it up to the "
                   "last good iterate.")
    elif not res.success:
        st.warning(f"**Not converged** ({res.status}): {res.message}. "
                   + ADVICE.get(res.status, "") + " The plots and the table show the "
                   "last iterate.", icon=":material/warning:")
    if step_kind == "fixed" and eta > 2 * safe:
        st.caption(f"η = {eta:.3g} is above the stability bound 2 × {safe:.3g}.")

    label = f"Hadamard L={L}, α={alpha:.0e}"
    iterative = {label: res} | {k: v for k, v in others.items()
                                if BASELINES[k] not in ("lawson_hanson", "lstsq")}
    tabs = st.tabs(["Convergence", "Trajectories", "Solution", "ℓ1 and KKT", "Table", "Problem",
                    "Export"])
    with tabs[0]:
        st.caption(
            "The gap to the optimum f* (Lawson-Hanson) on log-log axes. Small α gives a "
            "**plateau** while u grows from α, then a **drop**; smaller α, longer plateau. "
            "Grey lines are reference slopes 1/k, 1/k² (and k^(γ−1) with decay): compare "
            "their steepness with the curves.")
        plot(F.objective_figure(iterative, lh.objective,
                                gamma=gamma if step_kind == "fixed" and gamma else None,
                                anchor=label), key="fig_objective")
    with tabs[1]:
        st.caption(
            "Each line is one coordinate x_i(k). Blue: the support of x_true; orange: the "
            "largest off-support coordinates. With small α the support coordinates grow "
            "while the others stay near α^L: the implicit sparsity. Press ▶ Play to replay "
            "the run.")
        plot(F.trajectories_figure(res, x_true), key="fig_traj")
    with tabs[2]:
        st.caption(
            "The final iterate against x_true and Lawson-Hanson. On underdetermined problems "
            "many non-negative solutions fit b exactly; small α picks the sparse one.")
        vectors = {label: res.x, "Lawson-Hanson": lh.x}
        if "unconstrained LS" in others:
            vectors["unconstrained LS"] = others["unconstrained LS"].x
        plot(F.stem_figure(vectors, x_true), key="fig_stem")
    with tabs[3]:
        st.caption(
            "Left: ‖x_k‖₁ approaches the minimum-ℓ1 value (dashed, from a linear program) as "
            "α → 0. Right: the relative optimality residual of the stopping test, "
            "‖min(x, ∇f/‖A‖₂²)‖∞ / max(‖x‖∞, ‖Aᵀb‖∞/‖A‖₂²), zero exactly at an NNLS "
            f"solution; the Hadamard run stops when it is at most the tolerance {tol:.0e} "
            "(dotted line).")
        refs = {"min ℓ1 (LP)": float(l1_ref.x.sum())} if l1_ref and l1_ref.status == "converged" else {}
        refs["Lawson-Hanson ℓ1"] = float(lh.x.sum())
        if x_true is not None:
            refs["ℓ1(x_true)"] = float(x_true.sum())
        plot(F.l1_kkt_figure(iterative, refs, tol=tol), key="fig_l1")
    with tabs[4]:
        st.caption("All selected methods side by side. Support F1 compares the entries above "
                   "1e-3·max|x| with the support of x_true.")
        table = {label: res, "Lawson-Hanson": lh} | others
        if l1_ref is not None and l1_ref.status == "converged":
            table["min ℓ1 (LP)"] = l1_ref
        st.dataframe(pd.DataFrame(compare(table, x_true)), hide_index=True,
                     column_config={c: st.column_config.NumberColumn(format="%.3e")
                                    for c in ("objective", "rnorm", "||x - x_true||", "min x")})
    with tabs[5]:
        st.caption(f"{problem.name}. x_true is the ground truth used to make b "
                   "(none for dense Gaussian or uploaded data).")
        if x_true is not None:
            plot(F.stem_figure({}, x_true, title="Ground truth x_true"), key="fig_xtrue")
        else:
            st.write("No ground truth for this problem.")
    with tabs[6]:
        st.caption("Take the run with you: its iteration log, the problem, and standalone "
                   "figures (interactive HTML that opens offline in any browser).")
        c1, c2, c3 = st.columns(3)
        c1.download_button("Run history (.csv)", res.history.to_csv, "nnls_history.csv",
                           "text/csv", icon=":material/table_view:", on_click="ignore")
        c2.download_button("Problem A, b, x_true (.npz)", problem.to_npz, "nnls_problem.npz",
                           "application/octet-stream", icon=":material/data_object:",
                           on_click="ignore")
        figures = {
            "objective": lambda: F.objective_figure(iterative, lh.objective, anchor=label),
            "trajectories": lambda: F.trajectories_figure(res, x_true),
            "solution": lambda: F.stem_figure(vectors, x_true),
        }
        which = c3.selectbox("figure", list(figures), key="export_figure",
                             label_visibility="collapsed")
        c3.download_button(f"Figure '{which}' (.html)",
                           lambda: figures[which]().to_html(include_plotlyjs=True),
                           f"nnls_{which}.html", "text/html", icon=":material/monitoring:",
                           on_click="ignore")
        st.markdown("**Export as Python**: this script reproduces the run with `nnls_core`.")
        snippet = python_snippet(spec, "hadamard", options)
        st.code(snippet, language="python")
        st.download_button("Script (.py)", snippet, "nnls_run.py", "text/x-python",
                           icon=":material/code:", on_click="ignore")

citation()
