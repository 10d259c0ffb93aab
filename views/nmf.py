"""NMF page: projected gradient, Lee-Seung multiplicative rules and the Hadamard
reparametrization side by side, with the seed's derivation corrected and checked live."""

from __future__ import annotations

import io

import numpy as np
import streamlit as st

from nnls_core import nmf
from nnls_core._validation import as_float_array
from ui import figures_nmf as fg
from ui import state
from ui.common import citation, plot
from ui.state import Field

DATASETS = {
    "swimmer (32×32)": "swimmer",
    "digits (8×8)": "digits",
    "synthetic (60×80)": "synthetic",
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
    "nmf_methods": Field(list(METHOD_IDS), choices=tuple(METHOD_IDS)),
    "nmf_step": Field(1.9, lo=0.1, hi=1.99),
}
DEFAULTS = {k: f.default for k, f in FIELDS.items()}
PRESETS = {
    "Swimmer parts": DEFAULTS,
    "Digits strokes": DEFAULTS | {"nmf_data": "digits (8×8)", "nmf_iters": 200},
    "Smooth columns": DEFAULTS | {
        "nmf_data": "synthetic (60×80)", "nmf_reg": "first differences (smooth columns)",
        "nmf_lam": 1.0},
    "Exact low rank": DEFAULTS | {"nmf_data": "synthetic (60×80)", "nmf_noise": 0.0,
                                  "nmf_iters": 1000},
}


@st.cache_data(max_entries=6, show_spinner=False)
def load_data(name: str, noise: float, seed: int):
    if name == "swimmer":
        X, _, shape = nmf.swimmer()
    elif name == "digits":
        X, _, shape = nmf.digits()
    else:
        X, _, _ = nmf.synthetic(60, 80, 5, noise=noise, seed=seed)
        shape = None
    return X, shape


@st.cache_data(max_entries=48, show_spinner=False)
def run(name: str, noise: float, data_seed: int, r: int, key: str, kw: tuple, lam: float,
        M: np.ndarray | None, iters: int, init: str, seed: int, step_scale: float):
    X, _ = load_data(name, noise, data_seed)
    if key.startswith("sklearn-"):
        return nmf.sklearn_nmf(X, r, key.split("-")[1], max_iter=iters, init=init, seed=seed,
                               lam=lam, M=M)
    extra = dict(kw)
    if key == "hadamard":
        extra["step_scale"] = step_scale
    return nmf.solve(X, r, key, lam=lam, M=M, max_iter=iters, init=init, seed=seed, **extra)


@st.cache_data(max_entries=12, show_spinner=False)
def derivation_numbers(name: str, noise: float, data_seed: int, r: int, lam: float,
                       M: np.ndarray | None, init: str, seed: int):
    X, _ = load_data(name, noise, data_seed)
    W, H = nmf.init(X, r, init, seed)
    gc = nmf.gradient_check(X, W, H, lam, M, seed=seed)
    LW, LH = nmf.lipschitz(W, H, lam, M)
    pW, kW = nmf.lipschitz_power(X, W, H, lam, M, block="W", max_iter=500, tol=1e-12)
    pH, kH = nmf.lipschitz_power(X, W, H, lam, M, block="H", max_iter=500, tol=1e-12)
    seed_LW = 2 * (np.linalg.norm(H, 2) ** 2)  # what the seed's bound gives with lam ignored
    return {"gc": gc, "LW": LW, "LH": LH, "pW": (pW, kW), "pH": (pH, kH),
            "shapes": (X.shape, W.shape, H.shape), "seed_LW": seed_LW}


def read_M(upload, m: int):
    """Parse an uploaded CSV into M (q x m); return (M, error message)."""
    if upload is None:
        return None, "upload a CSV with m = %d columns, or pick another regularizer" % m
    try:
        text = upload.getvalue().decode("utf-8", errors="strict")
        M = np.loadtxt(io.StringIO(text), delimiter=",", ndmin=2)
    except Exception as exc:  # noqa: BLE001 - any parse error becomes a message
        return None, f"could not read {upload.name} as a numeric CSV: {exc}"
    try:
        M = as_float_array(M, "M", 2)
    except ValueError as exc:
        return None, f"M from {upload.name}: {exc}"
    if M.shape[1] != m:
        return None, f"M from {upload.name} has shape {M.shape}; it needs m = {m} columns"
    return M, None


st.title("NMF: projected gradient, multiplicative rules and the Hadamard trick")
st.markdown(
    r"""
Factorize a non-negative matrix $X\approx WH$ with $W,H\ge 0$ by minimizing
$f(W,H)=\|X-WH\|_F^2+\lambda\|MW\|_F^2$ (the seed's convention, no ½). The columns of $W$
are *parts*; on the swimmer they should come out as the torso and single limbs. Three
algorithms start from the same seeded point: alternating **projected gradient** with the
corrected Lipschitz steps, **Lee–Seung multiplicative** rules, and plain gradient descent on
$W=U\circ U$, $H=V\circ V$ (the **Hadamard reparametrization** of the paper, with no
constraint at all). scikit-learn's `NMF` is the anchor.
"""
)

state.init(FIELDS, "nmf")
preset_row = st.container()
c1, c2, c3, c4 = st.columns(4)
data_label = c1.selectbox("data", list(DATASETS), key="nmf_data")
data_name = DATASETS[data_label]
noise, data_seed = 0.01, 0
if data_name == "synthetic":
    noise = c1.select_slider("noise level", NOISES, key="nmf_noise")
X, shape = load_data(data_name, noise, data_seed)
m, n = X.shape
r_key = f"nmf_r_{data_name}"
r_max = min(40, m, n)
st.session_state[r_key] = min(st.session_state.get(r_key, DEFAULT_R[data_name]), r_max)
r = c2.slider("rank r", 1, r_max, key=r_key)
iters = c2.select_slider("iterations", ITERS, key="nmf_iters")
init = c3.selectbox("initialization", INITS, key="nmf_init",
                    help="random: sqrt(mean X / r)·|N(0,1)|; NNDSVD: non-negative double SVD "
                         "(its exact zeros never move under the multiplicative or Hadamard "
                         "updates; nndsvda fills them with mean X)")
seed = c3.number_input("seed", 0, 10_000, key="nmf_seed")
lam = c4.select_slider("λ (regularization)", LAMS, key="nmf_lam")
reg_label = c4.selectbox("regularizer M", list(REGS), key="nmf_reg")
reg = REGS[reg_label]
if reg == "upload":
    up = c4.file_uploader(f"M as CSV: q rows, m = {m} columns", type=["csv", "txt"],
                          key="nmf_upload")
    M, err = read_M(up, m)
    if err:
        st.error(err + " — running without a regularizer for now.")
else:
    M = nmf.regularizer(reg, m)
if M is not None and lam == 0:
    st.info("λ = 0: the regularizer has no effect. Raise λ to see it.")
if M is None and lam > 0:
    st.info("No regularizer M selected, so λ has no effect.")
lam_eff = lam if M is not None else 0.0

sel = [METHOD_IDS[i] for i in st.multiselect("methods", list(METHOD_IDS),
                                              format_func=METHOD_IDS.get, key="nmf_methods")]
step_scale = 1.9
if "Hadamard W=U∘U, H=V∘V" in sel:
    step_scale = st.slider("Hadamard step: multiple of 1/L_local", 0.1, 1.99, step=0.01,
                           key="nmf_step",
                           help="L_local = 4 max(W) L_W + 2 max|∇_W f| bounds the curvature of "
                                "g(U) = f(U∘U) at the current point (likewise for V).")
link = state.publish(FIELDS)
with preset_row:
    state.presets_and_link(PRESETS, link, key="nmf")
if not sel:
    st.warning("Pick at least one method.")
    st.stop()

results: dict[str, nmf.NMFResult] = {}
with st.spinner("running the solvers..."):
    for name in sel:
        key, kw = METHODS[name]
        try:
            res = run(data_name, noise, data_seed, int(r), key, tuple(sorted(kw.items())),
                      float(lam_eff), M, int(iters), init, int(seed), float(step_scale))
        except ValueError as exc:
            st.error(f"{name}: {exc}")
            continue
        results[res.method] = res
        if res.status not in ("converged", "max_iter"):  # diverged, stalled, ...
            st.warning(f"{name}: {res.message}")

if not results:
    st.stop()

ours = {k: v for k, v in results.items() if not k.startswith("sklearn")}

st.subheader("Convergence")
a, b = st.columns(2)
with a:
    plot(fg.objective_figure({k: v.history for k, v in ours.items()}, x="iteration"),
         key="nmf_obj_iter")
    st.caption(
        "All methods start from the same point. Projected gradient and the multiplicative "
        "rules never go up (that is a theorem for step 1/L and for Lee–Seung); watch where "
        "each curve flattens. On the swimmer, a curve that drops many decades has found the "
        "exact parts, a curve that stalls is stuck in a poor local minimum."
    )
with b:
    plot(fg.objective_figure({k: v.history for k, v in ours.items()}, x="time"),
         key="nmf_obj_time")
    st.caption(
        "The same runs against wall-clock time: every method costs about the same per "
        "iteration (a few products with X), so the ranking rarely changes. scikit-learn has "
        "no per-iteration log, so it appears only in the table below."
    )

st.subheader("Results")
rows = []
for k, v in results.items():
    rows.append({
        "method": fg.label(k),
        "iterations": v.n_iter,
        "f (seed: ‖X−WH‖²+λ‖MW‖²)": v.objective,
        "½‖X−WH‖² (sklearn)": v.objective_half,
        "rel. error": v.rel_error,
        "ms / iter": 1e3 * v.time_per_iter,
    })
st.dataframe(rows, hide_index=True, width="stretch",
             column_config={c: st.column_config.NumberColumn(format="%.4g") for c in
                            list(rows[0])[2:]})
note = ""
if lam_eff > 0:
    note = (" scikit-learn rows solve the problem *without* λ‖MW‖² (its own regularizer "
            "is a different scaling); their first column still evaluates our f with λ. "
            "Note that λ‖MW‖² alone does not pin down a solution: replacing (W, H) by "
            "(W/c, cH) keeps WH and divides the penalty by c², so the solvers slowly shrink "
            "W and grow H; compare the shape of the parts, not the size of the penalty.")
st.markdown(
    "**Status:** " + "; ".join(
        f"{fg.label(k)} `{v.status}`" + (f" ({v.message})" if v.success else "")
        for k, v in results.items())
    + ". `max_iter`: the run used all its iterations. No tolerance is set here, so only an "
      "exact fit (up to round-off) ends one of our runs early as `converged`."
)
st.caption(
    "Relative error is ‖X−WH‖_F/‖X‖_F. First objective column: the seed's convention, used by the solvers here. Second: "
    "scikit-learn's ½‖X−WH‖², regularizer excluded, for direct comparison with its "
    "`reconstruction_err_`²/2." + note
)

st.subheader("Basis: the columns of W")
plot(fg.basis_figure({k: v.W for k, v in results.items()}, shape), key="nmf_basis")
st.caption(
    "Each image is one column of W scaled to its own maximum (NMF fixes W·H, not the scale "
    "of a column), ordered by where its mass sits. Interpretable parts are localized: a "
    "single limb or the torso on the swimmer, strokes on the digits. Blurry mixtures mean "
    "the method has not separated the parts (yet)."
    if shape is not None else
    "W itself (rows = the m coordinates, columns = the r parts), each column scaled to its "
    "maximum. Synthetic data have sparse ground-truth parts; similar sparsity patterns "
    "across methods mean they found the same factorization up to order and scale."
)

st.subheader("Reconstructions")
ncols = 6
cols_idx = np.linspace(0, n - 1, ncols).astype(int)
recons = {k: v.W @ v.H[:, cols_idx] for k, v in results.items()}
plot(fg.reconstruction_figure(X[:, cols_idx], recons, shape), key="nmf_recon")
st.caption(
    "Top row: a few columns of X (evenly spaced samples). Below: W·H for the same columns. "
    "With rank 17 the swimmer can be reproduced exactly; faint ghost limbs show a method "
    "that mixed parts. Digits are only approximately low-rank, so some blur is expected."
    if shape is not None else
    "Each band is one column of X (top) and its reconstruction W·H by each method, drawn "
    "as a strip of m = 60 values. With the true rank and little noise all methods should "
    "reproduce the pattern; differences show up as changed shades."
)

with st.expander("Derivation: the seed's steps, corrected and checked on this data",
                 expanded=False):
    d = derivation_numbers(data_name, noise, data_seed, int(r), float(lam_eff), M, init,
                           int(seed))
    (xs, ws, hs) = d["shapes"]
    st.markdown("**1. Objective.** The seed's first line drops λ; keep it everywhere:")
    st.latex(r"f(W,H)=\|X-WH\|_F^2+\lambda\|MW\|_F^2,\qquad W,H\ge 0")
    st.markdown(
        f"Here X is {xs[0]}×{xs[1]}, W is {ws[0]}×{ws[1]}, H is {hs[0]}×{hs[1]}, "
        f"λ = {lam_eff:g}, M = {'none' if M is None else f'{M.shape[0]}×{M.shape[1]}'}. "
        "All checks below use the current starting point (W₀, H₀)."
    )
    st.markdown("**2. Gradient in W** (Matrix Cookbook trace rules, as in the seed — correct):")
    st.latex(r"\nabla_W f = 2\,(WHH^\top - XH^\top + \lambda M^\top M W)")
    fd, an, rel = d["gc"]["W"]
    st.markdown(
        f"Directional derivative along a random unit direction D: central finite difference "
        f"**{fd:.10g}**, formula ⟨∇_W f, D⟩ **{an:.10g}**, relative difference **{rel:.1e}**."
    )
    st.markdown(
        "**3. Gradient in H.** The seed writes $2WW^\\top H$: $WW^\\top$ is "
        f"{ws[0]}×{ws[0]} and H is {hs[0]}×{hs[1]}, which do not multiply. The trace rule "
        "gives $W^\\top W$:"
    )
    st.latex(r"\nabla_H f = 2\,(W^\top W H - W^\top X)")
    fd, an, rel = d["gc"]["H"]
    st.markdown(
        f"Finite difference **{fd:.10g}**, formula **{an:.10g}**, relative difference "
        f"**{rel:.1e}**."
    )
    st.markdown(
        "**4. Lipschitz constant in W.** The seed differentiates again and writes "
        "$2(HH^\\top+\\lambda M^\\top M)$, but $HH^\\top$ is "
        f"{hs[0]}×{hs[0]} and $M^\\top M$ is {ws[0]}×{ws[0]}: they cannot be added, and this "
        "is where the seed gets stuck. The Hessian is an operator on W, a *Kronecker sum*:"
    )
    st.latex(r"\nabla^2_W f:\ D\mapsto 2\,(D\,HH^\top+\lambda M^\top M D)"
             r"\;=\;2\,(HH^\top\otimes I + I\otimes \lambda M^\top M)")
    st.markdown(
        "Its eigenvalues are sums $2(\\sigma_i(HH^\\top)+\\lambda\\sigma_j(M^\\top M))$, so the "
        "triangle inequality the seed tried is attained with equality:"
    )
    st.latex(r"L_W = 2\left(\|H\|_2^2+\lambda\|M\|_2^2\right),\qquad L_H = 2\,\|W\|_2^2")
    (pW, kW), (pH, kH) = d["pW"], d["pH"]
    st.markdown(
        f"Formula L_W = **{d['LW']:.10g}**; power iteration on gradient differences "
        f"(no formula used, {kW} iterations) **{pW:.10g}** — relative difference "
        f"**{abs(pW - d['LW']) / d['LW']:.1e}**.  \n"
        f"Formula L_H = **{d['LH']:.10g}**; power iteration ({kH} iterations) **{pH:.10g}** — "
        f"relative difference **{abs(pH - d['LH']) / d['LH']:.1e}**."
    )
    st.markdown(
        "**5. Step size.** The seed absorbs the 2's into the step; keeping them, the safe "
        "projected-gradient steps are exactly $1/L_W$ and $1/L_H$ (any step below $2/L$ "
        "decreases a quadratic, $1/L$ also guarantees monotone decrease after projection):"
    )
    st.latex(r"W\leftarrow\big[W-\tfrac{1}{L_W}\nabla_W f\big]_+,\qquad "
             r"H\leftarrow\big[H-\tfrac{1}{L_H}\nabla_H f\big]_+")
    st.markdown(
        "**6. Lee–Seung.** With the element-wise step $H/(2W^\\top WH)$ (the seed's "
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

best = min(results.values(), key=lambda v: v.objective)
st.markdown(
    f"**In this run:** the lowest objective is **{best.objective:.4g}** "
    f"(relative error **{best.rel_error:.2e}**) by {fg.label(best.method)} after "
    f"{best.n_iter} iterations. "
    + " ".join(f"{fg.label(k)}: {v.rel_error:.2e} in {1e3 * v.time_per_iter:.2f} ms/it."
               for k, v in results.items() if k != best.method)
)
citation()
