"""NMF page: projected gradient, Lee-Seung multiplicative rules and the Hadamard
reparametrization side by side, with the tutorial's derivation corrected and checked live.

Each method's run is cached on exactly what it depends on (the Hadamard step multiplier
only in the Hadamard run's key), in one store shared by all sessions and bounded in
bytes. Settings whose uncached work is estimated above ``BUDGET_S`` wait for an explicit
Run, which shows progress and can be stopped.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict

import numpy as np
import streamlit as st

from nnls_core import nmf
from nnls_core.io import load_upload
from ui import figures_nmf as fg
from ui import state
from ui.common import citation, plot, shared_figure
from ui.state import Field

DATASETS = {
    "synthetic (60×80)": "synthetic",
    "swimmer (32×32)": "swimmer",
    "digits (8×8)": "digits",
}
METHODS = {
    "projected gradient (1/L)": ("projected_gradient", {}),
    "projected gradient, accelerated": ("projected_gradient", {"accelerate": True}),
    "multiplicative (Lee-Seung)": ("multiplicative", {}),
    "Hadamard W=U∘U, H=V∘V": ("hadamard", {}),
    "scikit-learn 'mu'": ("sklearn-mu", {}),
    "scikit-learn 'cd'": ("sklearn-cd", {}),
}
# the methods widget holds short ids (the labels contain commas, which the URL list uses)
METHOD_IDS = dict(zip(("pg", "pg-accel", "mu", "hadamard", "sklearn-mu", "sklearn-cd"),
                      METHODS))
REGS = {"none": "none", "identity (ridge ‖W‖²)": "identity",
        "first differences (smooth columns)": "diff", "upload M (CSV)": "upload"}
DEFAULT_R = {"swimmer": 17, "digits": 16, "synthetic": 5}
NOISES = (0.0, 0.001, 0.01, 0.05, 0.1)
ITERS = (25, 50, 100, 200, 300, 500, 1000, 2000)
LAMS = (0.0, 0.001, 0.01, 0.1, 1.0, 10.0, 100.0)
INITS = ("random", "nndsvda", "nndsvd")
FIELDS = {
    "nmf_data": Field(list(DATASETS)[0], choices=tuple(DATASETS)),
    "nmf_noise": Field(0.01, choices=NOISES),
    **{f"nmf_r_{d}": Field(r, lo=1, hi=40) for d, r in DEFAULT_R.items()},
    "nmf_iters": Field(300, choices=ITERS), "nmf_init": Field("random", choices=INITS),
    "nmf_seed": Field(0, lo=0, hi=10_000), "nmf_lam": Field(0.0, choices=LAMS),
    "nmf_reg": Field(list(REGS)[0], choices=tuple(REGS)),
    # scikit-learn's anchors are one click away: importing it alone costs a first visitor
    # seconds (bench/pages.py)
    "nmf_methods": Field(["pg", "pg-accel", "mu", "hadamard"], choices=tuple(METHOD_IDS)),
    "nmf_step": Field(1.9, lo=0.1, hi=1.99),
}
DEFAULTS = {k: f.default for k, f in FIELDS.items()}
PRESETS = {
    "Sparse parts": DEFAULTS,
    "Exact low rank": DEFAULTS | {"nmf_noise": 0.0, "nmf_iters": 1000},
    "Smooth columns": DEFAULTS | {
        "nmf_reg": "first differences (smooth columns)", "nmf_lam": 1.0},
    "Swimmer parts": DEFAULTS | {"nmf_data": "swimmer (32×32)"},
    "Digits strokes": DEFAULTS | {"nmf_data": "digits (8×8)", "nmf_iters": 200},
}

#: Uncached work above this many seconds (estimated) waits for an explicit Run.
BUDGET_S = 2.0
#: A single run ends with status "time_limit" after this many seconds.
TIME_LIMIT_S = 60.0
#: Finished runs kept for all sessions, in bytes (least recently used out first).
STORE_BYTES = 64 * 2**20
#: Cost model of one iteration, measured on the 2-core class server: a fixed overhead
#: plus seconds per multiply-add of an m x n x r product (bench/pages.py shows the page's
#: real timings).
ITER_OVERHEAD_S = 3e-4
SECONDS_PER_MNR = {"projected_gradient": 2e-9, "projected_gradient+acc": 3e-9,
                   "multiplicative": 2e-9, "hadamard": 2e-9, "sklearn-mu": 6e-9,
                   "sklearn-cd": 2e-9}
#: the derivation's checks: two power iterations of up to 500 steps and a gradient check
DERIVATION_ITERS = 1000


class ResultStore:
    """Finished runs shared by every session: least recently used out first, bounded by
    the bytes of their arrays (not by a number of entries)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes, self.bytes = max_bytes, 0
        self._items: OrderedDict[tuple, tuple[nmf.NMFResult, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> nmf.NMFResult | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: tuple, res: nmf.NMFResult) -> None:
        size = res.W.nbytes + res.H.nbytes + sum(a.nbytes for a in res.history.values())
        with self._lock:
            if key in self._items:
                self.bytes -= self._items.pop(key)[1]
            self._items[key] = (res, size)
            self.bytes += size
            while self.bytes > self.max_bytes and len(self._items) > 1:
                self.bytes -= self._items.popitem(last=False)[1][1]


@st.cache_resource(show_spinner=False)
def result_store() -> ResultStore:
    return ResultStore(STORE_BYTES)


@st.cache_data(max_entries=6, show_spinner=False)
def load_data(name: str, noise: float):
    """X, the true parts (None for the digits) and the image shape (None: not images)."""
    if name == "swimmer":
        X, W_true, shape = nmf.swimmer()
    elif name == "digits":
        X, _, shape = nmf.digits()
        W_true = None
    else:
        X, W_true, _ = nmf.synthetic(60, 80, 5, noise=noise, seed=0)
        shape = None
    return X, W_true, shape


def run_method(key: tuple, X: np.ndarray, M: np.ndarray | None, progress=None
               ) -> nmf.NMFResult:
    """One method's run; ``key`` = (method id, r, lam, iters, init, seed, step or None)."""
    method, r, lam, iters, init, seed, step = key[-7:]
    name, kw = METHODS[METHOD_IDS[method]]
    if name.startswith("sklearn-"):
        return nmf.sklearn_nmf(X, r, name.split("-")[1], max_iter=iters, init=init,
                               seed=seed, lam=lam, M=M)
    if step is not None:
        kw = kw | {"step_scale": step}
    last = [0.0]

    def callback(k, _state):
        now = time.monotonic()
        if progress is not None and now - last[0] > 0.25:  # a Stop can interrupt here
            last[0] = now
            progress(k / iters)
        return True

    return nmf.solve(X, r, name, lam=lam, M=M, max_iter=iters, init=init, seed=seed,
                     time_limit=TIME_LIMIT_S, callback=callback, **kw)


def estimate_s(method: str, m: int, n: int, r: int, iters: int) -> float:
    """Expected seconds of one run (see ``SECONDS_PER_MNR``)."""
    name, kw = METHODS[METHOD_IDS[method]]
    name += "+acc" if kw.get("accelerate") else ""
    return iters * (ITER_OVERHEAD_S + SECONDS_PER_MNR[name] * m * n * r)


@st.cache_data(max_entries=12, show_spinner=False)
def derivation_numbers(name: str, noise: float, r: int, lam: float, M: np.ndarray | None,
                       init: str, seed: int):
    X, _, _ = load_data(name, noise)
    W, H = nmf.init(X, r, init, seed)
    gc = nmf.gradient_check(X, W, H, lam, M, seed=seed)
    LW, LH = nmf.lipschitz(W, H, lam, M)
    pW, kW = nmf.lipschitz_power(X, W, H, lam, M, block="W", max_iter=500, tol=1e-12)
    pH, kH = nmf.lipschitz_power(X, W, H, lam, M, block="H", max_iter=500, tol=1e-12)
    return {"gc": gc, "LW": LW, "LH": LH, "pW": (pW, kW), "pH": (pH, kH),
            "shapes": (X.shape, W.shape, H.shape)}


def read_M(upload, m: int):
    """The uploaded regularizer M (q x m) through the app's safe loader: (M, error)."""
    if upload is None:
        return None, f"upload a CSV or .npy file with m = {m} columns, or pick another regularizer"
    try:
        M = load_upload(upload, name="M", ndim=2)
    except ValueError as exc:
        return None, f"could not use {upload.name}: {exc}"
    if M.shape[1] != m:
        return None, f"M from {upload.name} has shape {M.shape}; it needs m = {m} columns"
    return M, None


st.title("NMF: projected gradient, multiplicative rules and the Hadamard trick")
verdict_box = st.container()
state.init(FIELDS, "nmf")
controls, chart_col = st.columns([1, 2], gap="medium")
preset_row = st.container()
with controls:
    data_label = st.selectbox(
        "data", list(DATASETS), key="nmf_data",
        help="synthetic: 60×80, rank 5 with sparse true parts (fast); swimmer: 256 images "
             "of 32×32 made of 17 parts; digits: 1797 handwritten 8×8 digits (no true parts)")
    data_name = DATASETS[data_label]
    noise = 0.01
    if data_name == "synthetic":
        noise = st.select_slider("noise level", NOISES, key="nmf_noise",
                                 help="Gaussian noise, as a fraction of the mean of W·H; "
                                      "0 makes X exactly rank 5")
    X, W_true, shape = load_data(data_name, noise)
    m, n = X.shape
    r_key = f"nmf_r_{data_name}"
    r_max = min(40, m, n)
    st.session_state[r_key] = min(st.session_state.get(r_key, DEFAULT_R[data_name]), r_max)
    r = st.slider("rank r", 1, r_max, key=r_key,
                  help=f"number of parts (columns of W); the data were made with "
                       f"{DEFAULT_R[data_name]}" if W_true is not None else
                       "number of parts (columns of W)")
    iters = st.select_slider("iterations", ITERS, key="nmf_iters",
                             help="the same number for every method (no tolerance: a run "
                                  "ends early only on an exact fit)")
    step_scale = st.slider(
        "Hadamard step: multiple of 1/L_local", 0.1, 1.99, step=0.01, key="nmf_step",
        help="L_local = 4 max(W) L_W + 2 max|∇_W f| bounds the curvature of g(U) = f(U∘U) "
             "at the current point (likewise for V); only the Hadamard run depends on it")
    with st.expander("More settings"):
        sel = st.multiselect(
            "methods", list(METHOD_IDS), format_func=METHOD_IDS.get, key="nmf_methods",
            help="every method starts from the same point; add scikit-learn's NMF as an "
                 "anchor (its first use imports scikit-learn: a few seconds)")
        init = st.selectbox("initialization", INITS, key="nmf_init",
                            help="random: sqrt(mean X / r)·|N(0,1)|; NNDSVD: non-negative "
                                 "double SVD (its exact zeros never move under the "
                                 "multiplicative or Hadamard updates; nndsvda fills them "
                                 "with mean X)")
        seed = st.number_input("random seed", 0, 10_000, key="nmf_seed",
                               help="seed of the random starting point")
        lam = st.select_slider("λ (regularization)", LAMS, key="nmf_lam",
                               help="weight of λ‖MW‖_F² in the objective")
        reg_label = st.selectbox("regularizer M", list(REGS), key="nmf_reg",
                                 help="ridge penalizes the size of W; first differences "
                                      "favour smooth columns; or upload your own M")
        reg = REGS[reg_label]
        if reg == "upload":
            up = st.file_uploader(
                f"M as CSV or .npy: q rows, m = {m} columns (at most 20 MB)",
                type=["csv", "txt", "npy"], key="nmf_upload",
                help="read by the same safe loader as the Playground's uploads")
            M, err = read_M(up, m)
            if err:
                st.error(err + " — running without a regularizer for now.")
        else:
            M = nmf.regularizer(reg, m)
link = state.publish(FIELDS)
with preset_row:
    state.presets_and_link(PRESETS, link, key="nmf")
if M is not None and lam == 0:
    st.info("λ = 0: the regularizer has no effect. Raise λ to see it.")
if M is None and lam > 0:
    st.info("No regularizer M selected, so λ has no effect.")
lam_eff = float(lam) if M is not None else 0.0
if not sel:
    verdict_box.warning("Pick at least one method (More settings).")
    st.stop()

# ------------------------------------------------------------------ runs: cached, budgeted
m_id = "none" if M is None else hashlib.sha1(M.tobytes()).hexdigest() + str(M.shape)
problem = (data_name, noise, m_id)
keys = {s: problem + (s, int(r), lam_eff, int(iters), init, int(seed),
                      float(step_scale) if s == "hadamard" else None) for s in sel}
store = result_store()
results = {s: res for s in sel if (res := store.get(keys[s])) is not None}
todo = [s for s in sel if s not in results]
unit = (ITER_OVERHEAD_S + 2e-9 * m * n * int(r))
deriv_s = DERIVATION_ITERS * unit
need_s = sum(estimate_s(s, m, n, int(r), int(iters)) for s in todo)
if need_s > BUDGET_S:
    with verdict_box:
        run_now = st.button(f"Run ({len(todo)} method(s), about {need_s:.0f} s)",
                            type="primary", key="nmf_run",
                            help="these settings need more work than a quick rerun allows")
        if not run_now:
            st.info(f"These settings need about {need_s:.0f} s of computing: press Run. "
                    + ("Finished methods are shown below." if results else ""))
else:
    run_now = bool(todo)
if run_now:
    with verdict_box:
        if need_s > BUDGET_S:
            st.button("Stop", key="nmf_stop", help="ends the runs; nothing is kept")
        bar = st.progress(0.0)
    for i, s in enumerate(todo):
        def progress(frac, i=i, s=s):
            bar.progress((i + frac) / len(todo),
                         text=f"{fg.label(METHODS[METHOD_IDS[s]][0])}: {frac:.0%}")
        progress(0.0)
        try:
            res = run_method(keys[s], X, M, progress)
        except ValueError as exc:
            st.error(f"{METHOD_IDS[s]}: {exc}")
            continue
        store.put(keys[s], res)
        results[s] = res
    bar.empty()
if not results:
    st.stop()
by_method = {res.method: res for res in results.values()}
for name, res in by_method.items():
    if res.status not in ("converged", "max_iter"):  # diverged, stalled, time limit
        st.warning(f"{fg.label(name)}: {res.message}")
ours = {k: v for k, v in by_method.items() if not k.startswith("sklearn")}
# the figures show these stored results (one object per settings, shared by the sessions;
# id and time name the object, so a result computed again is drawn again)
fig_key = tuple((keys[s], id(res), res.time_s) for s, res in results.items())
parts = ({k: float(nmf.match_columns(v.W, W_true)[1].mean()) for k, v in by_method.items()}
         if W_true is not None else None)

with verdict_box:
    st.markdown("**In this run:** " + fg.verdict({k: v.rel_error for k, v in
                                                  by_method.items()}, parts))
    st.caption("Hadamard W = U∘U is plain gradient descent with no constraint; like the "
               "multiplicative rules it shrinks an entry in proportion to itself, so it "
               "reaches zeros only slowly, where projected gradient sets them in one step. "
               "Where it wins and loses: see the panel below the reconstructions.")

# ------------------------------------------------------------------ figures
with chart_col:
    if ours:
        plot(shared_figure("nmf_iter", fig_key, lambda: fg.objective_figure(
            {k: v.history for k, v in ours.items()}, x="iteration")), key="nmf_obj_iter")
        st.caption("What to notice: where each curve flattens is where that method stops "
                   "improving; all start from the same point.")
    with st.expander("More on this figure"):
        st.markdown(
            "Projected gradient and the multiplicative rules never go up (a theorem for the "
            "step 1/L and for Lee–Seung). A curve that drops many decades has found an "
            "exact factorization; one that stalls is stuck in a poor local minimum or "
            "approaches its zeros only slowly. scikit-learn keeps no per-iteration log, so "
            "it appears only in the table."
        )

st.subheader("Parts: the columns of W" + (" next to the ground truth" if W_true is not None
                                          else ""))
plot(shared_figure("nmf_basis", fig_key, lambda: fg.basis_figure(
    {k: v.W for k, v in by_method.items()}, shape, truth=W_true)), key="nmf_basis")
st.caption(
    "What to notice: methods whose columns look like the ground truth (first panel) found "
    "the true parts." if W_true is not None else
    "What to notice: localized strokes are parts; blurry mixtures are not separated (yet).")
with st.expander("How to read the parts"):
    st.markdown(
        "Each column of W is scaled to its own maximum (NMF fixes W·H, not the scale of a "
        "column). With a ground truth, every method's columns are paired one-to-one with "
        "the true parts (largest total cosine similarity) and drawn in the truth's order; "
        "the *parts found* column of the table is the mean cosine of those pairs (1 = "
        "exactly the true parts, up to scale). " +
        ("Images: one column of W per tile." if shape is not None else
         "Heat maps: rows are the m = 60 coordinates, columns the parts.")
    )

st.subheader("Results")
rows = []
for k, v in by_method.items():
    row = {"method": fg.label(k), "iterations": v.n_iter,
           "f = ‖X−WH‖²+λ‖MW‖²": v.objective, "½‖X−WH‖² (sklearn)": v.objective_half,
           "rel. error": v.rel_error}
    if parts is not None:
        row["parts found (cos)"] = parts[k]
    row["zeros in W"] = float(np.mean(v.W <= 1e-3 * np.max(v.W, axis=0, keepdims=True)))
    row["ms / iter"] = 1e3 * v.time_per_iter
    rows.append(row)
st.dataframe(rows, hide_index=True, width="stretch",
             column_config={c: st.column_config.NumberColumn(format="%.4g") for c in
                            list(rows[0])[2:]})
st.caption("What to notice: the rel. error ‖X−WH‖/‖X‖ ranks the fits; *zeros in W* counts "
           "entries below 0.1% of their column's maximum.")
with st.expander("Status of each run, conventions, and the objective against time"):
    st.markdown(
        "**Status:** " + "; ".join(f"{fg.label(k)} `{v.status}`" for k, v in by_method.items())
        + ". `max_iter`: the run used all its iterations. No tolerance is set here, so only "
          "an exact fit (up to round-off) ends one of our runs early as `converged`."
    )
    st.markdown(
        "The solvers minimize f = ‖X−WH‖²+λ‖MW‖² (no ½). scikit-learn minimizes "
        "½‖X−WH‖², its `reconstruction_err_`²/2, shown in the second column."
        + (" Its rows solve the problem *without* λ‖MW‖²; their f still includes the "
           "penalty. λ‖MW‖² alone does not pin down a solution: (W/c, cH) keeps WH and "
           "divides the penalty by c², so the solvers slowly shrink W and grow H; compare "
           "the shape of the parts, not the size of the penalty." if lam_eff > 0 else "")
    )
    if ours:
        plot(shared_figure("nmf_time", fig_key, lambda: fg.objective_figure(
            {k: v.history for k, v in ours.items()}, x="time")), key="nmf_obj_time")
        st.caption("The same runs against wall-clock time: every method costs a few products "
                   "with X per iteration, so the ranking rarely changes.")

st.subheader("Reconstructions")
ncols = 6
cols_idx = np.linspace(0, n - 1, ncols).astype(int)
plot(shared_figure("nmf_recon", fig_key, lambda: fg.reconstruction_figure(
    X[:, cols_idx], {k: v.W @ v.H[:, cols_idx] for k, v in by_method.items()}, shape)),
     key="nmf_recon")
st.caption("What to notice: rows that look like the top row (the data) are good fits; "
           "ghost parts show a method that mixed them.")

with st.expander("Where the Hadamard reparametrization wins and where it loses"):
    st.markdown(
        "- **Wins:** no constraint and no projection: plain gradient descent on U and V "
        "(W = U∘U, H = V∘V), so any gradient code or autodiff framework runs NMF. To first "
        "order its step is W ← W − 4η W∘∇_W f: the same W-scaled step as the multiplicative "
        "rule, but with one step size you control (the multiplier above). Against the "
        "multiplicative rules, the method it resembles, it can get further in the same "
        "number of iterations (try the swimmer).\n"
        "- **Loses:** an entry shrinks in proportion to itself, so it reaches zero only "
        "asymptotically, while projected gradient sets exact zeros in one step: on exactly "
        "low-rank data accelerated projected gradient reaches round-off error while the "
        "Hadamard run is still at about 1e-2 (preset *Exact low rank*), with fewer exact "
        "zeros in W. It needs a local curvature estimate every step, and a multiplier "
        "near or above 2 can diverge.\n"
        "- **Not shown here:** the paper's implicit bias toward sparse solutions comes from "
        "a *small* initialization; all methods here start from the same ordinary point, "
        "so no extra sparsity is expected — compare *zeros in W* in the table.\n\n"
        "The verdict at the top is measured on the current run, not a general ranking."
    )

with st.expander("Derivation: the tutorial's steps, corrected and checked on this data",
                 expanded=False):
    if deriv_s > BUDGET_S and not st.toggle(
            f"compute the checks on this data (about {deriv_s:.0f} s)", key="nmf_deriv",
            help="finite differences and power iterations on the current starting point"):
        d = None
    else:
        d = derivation_numbers(data_name, noise, int(r), lam_eff, M, init, int(seed))
    st.markdown("**1. Objective.** The tutorial's first line drops λ; keep it everywhere:")
    st.latex(r"f(W,H)=\|X-WH\|_F^2+\lambda\|MW\|_F^2,\qquad W,H\ge 0")
    ws, hs = (m, int(r)), (int(r), n)
    st.markdown(
        f"Here X is {m}×{n}, W is {ws[0]}×{ws[1]}, H is {hs[0]}×{hs[1]}, "
        f"λ = {lam_eff:g}, M = {'none' if M is None else f'{M.shape[0]}×{M.shape[1]}'}. "
        "All checks below use the current starting point (W₀, H₀)."
    )
    st.markdown("**2. Gradient in W** (Matrix Cookbook trace rules, as in the tutorial — "
                "correct):")
    st.latex(r"\nabla_W f = 2\,(WHH^\top - XH^\top + \lambda M^\top M W)")
    if d is not None:
        fd, an, rel = d["gc"]["W"]
        st.markdown(
            f"Directional derivative along a random unit direction D: central finite "
            f"difference **{fd:.10g}**, formula ⟨∇_W f, D⟩ **{an:.10g}**, relative "
            f"difference **{rel:.1e}**."
        )
    st.markdown(
        "**3. Gradient in H.** The tutorial writes $2WW^\\top H$: $WW^\\top$ is "
        f"{ws[0]}×{ws[0]} and H is {hs[0]}×{hs[1]}, which do not multiply. The trace rule "
        "gives $W^\\top W$:"
    )
    st.latex(r"\nabla_H f = 2\,(W^\top W H - W^\top X)")
    if d is not None:
        fd, an, rel = d["gc"]["H"]
        st.markdown(
            f"Finite difference **{fd:.10g}**, formula **{an:.10g}**, relative difference "
            f"**{rel:.1e}**."
        )
    st.markdown(
        "**4. Lipschitz constant in W.** The tutorial differentiates again and writes "
        "$2(HH^\\top+\\lambda M^\\top M)$, but $HH^\\top$ is "
        f"{hs[0]}×{hs[0]} and $M^\\top M$ is {ws[0]}×{ws[0]}: they cannot be added, and "
        "this is where the tutorial gets stuck. The Hessian is an operator on W, a "
        "*Kronecker sum*:"
    )
    st.latex(r"\nabla^2_W f:\ D\mapsto 2\,(D\,HH^\top+\lambda M^\top M D)"
             r"\;=\;2\,(HH^\top\otimes I + I\otimes \lambda M^\top M)")
    st.markdown(
        "Its eigenvalues are sums $2(\\sigma_i(HH^\\top)+\\lambda\\sigma_j(M^\\top M))$, so "
        "the triangle inequality the tutorial tried is attained with equality:"
    )
    st.latex(r"L_W = 2\left(\|H\|_2^2+\lambda\|M\|_2^2\right),\qquad L_H = 2\,\|W\|_2^2")
    if d is not None:
        (pW, kW), (pH, kH) = d["pW"], d["pH"]
        st.markdown(
            f"Formula L_W = **{d['LW']:.10g}**; power iteration on gradient differences "
            f"(no formula used, {kW} iterations) **{pW:.10g}** — relative difference "
            f"**{abs(pW - d['LW']) / d['LW']:.1e}**.  \n"
            f"Formula L_H = **{d['LH']:.10g}**; power iteration ({kH} iterations) "
            f"**{pH:.10g}** — relative difference **{abs(pH - d['LH']) / d['LH']:.1e}**."
        )
    st.markdown(
        "**5. Step size.** The tutorial absorbs the 2's into the step; keeping them, the "
        "safe projected-gradient steps are exactly $1/L_W$ and $1/L_H$ (any step below "
        "$2/L$ decreases a quadratic, $1/L$ also guarantees monotone decrease after "
        "projection):"
    )
    st.latex(r"W\leftarrow\big[W-\tfrac{1}{L_W}\nabla_W f\big]_+,\qquad "
             r"H\leftarrow\big[H-\tfrac{1}{L_H}\nabla_H f\big]_+")
    st.markdown(
        "**6. Lee–Seung.** With the element-wise step $H/(2W^\\top WH)$ (the tutorial's "
        "$H/(WW^\\top H)$ with the typo fixed and the 2 kept), gradient descent becomes "
        "multiplicative. For W, split $M^\\top M=P-N$ into positive and negative parts so "
        "every factor stays non-negative:"
    )
    st.latex(r"H\leftarrow H\circ\frac{W^\top X}{W^\top WH},\qquad "
             r"W\leftarrow W\circ\frac{XH^\top+\lambda NW}{WHH^\top+\lambda PW}")
    st.markdown(
        "**7. Hadamard reparametrization.** Write $W=U\\circ U$, $H=V\\circ V$ and drop "
        "the constraints: $\\nabla_U = 2U\\circ\\nabla_W f$. To first order the W-update is "
        "$W\\leftarrow W-4\\eta\\,W\\circ\\nabla_W f$: gradient descent preconditioned by W "
        "itself, like the multiplicative rule, but with one scalar step."
    )
    for k, v in ours.items():
        h = v.history["objective"]
        inc = float(np.max(np.diff(h) / np.maximum(h[:-1], 1e-300))) if len(h) > 1 else 0.0
        verdict = ("monotone" if inc <= 0 else
                   "monotone up to round-off" if inc < 1e-9 else "**not monotone**")
        st.markdown(
            f"- {fg.label(k)}: largest relative increase of f over {v.n_iter} iterations "
            f"**{max(inc, 0.0):.1e}** ({verdict})."
        )
citation()
