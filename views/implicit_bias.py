"""Explore: the implicit bias of small initialization towards the minimum-l1 solution."""

import streamlit as st

import nnls_core as nc
from nnls_core.experiments import implicit_bias
from nnls_core.references import safe_step, solution_scale, spectral_norm
from nnls_core.sweep import sweep
from ui import figures_paper as F
from ui import state
from ui.common import citation, plot
from ui.state import Field

ALPHAS = [1e-4, 3.2e-4, 1e-3, 3.2e-3, 1e-2, 3.2e-2, 1e-1, 3.2e-1]
BUDGETS = (5_000, 10_000, 20_000, 50_000)
# keys are page-specific: Streamlit's session state is shared by all pages of the app
FIELDS = {
    "ib_n": Field(50, lo=10, hi=200), "ib_m": Field(10, lo=2, hi=199),
    "ib_s": Field(3, lo=1, hi=50), "ib_seed": Field(0, lo=0, hi=10_000),
    "ib_Ls": Field([2, 3], choices=(2, 3, 4)),
    "ib_alphas": Field([1e-3, 3.2e-3, 1e-2, 3.2e-2, 1e-1], choices=tuple(ALPHAS)),
    "ib_step": Field("bb", choices=("bb", "fixed")),
    "ib_L_path": Field(2, choices=(2, 3, 4)), "ib_budget": Field(20_000, choices=BUDGETS),
}
DEFAULTS = {k: f.default for k, f in FIELDS.items()}
PRESETS = {
    "E1 (paper)": DEFAULTS,
    "E1 with L = 4": DEFAULTS | {"ib_Ls": [2, 3, 4], "ib_alphas": [1e-2, 3.2e-2, 1e-1, 3.2e-1]},
    "E1, plain GD (fixed step)": DEFAULTS | {"ib_Ls": [2], "ib_step": "fixed"},
}

st.title("Implicit bias")
st.markdown(
    "On an underdetermined problem ($m < n$) many non-negative $x$ solve $Ax = b$. "
    "Gradient descent on $x = u^{L}$ started from $u_0 = \\alpha\\mathbf 1$ picks one of "
    "them without being told, and the smaller $\\alpha$, the closer it gets to the one of "
    "**smallest $\\ell_1$ norm** (the solution of the linear program "
    "$\\min \\mathbf 1^\\top x$ s.t. $Ax = b,\\ x \\ge 0$)."
)
state.init(FIELDS, "implicit_bias")
preset_row = st.container()

c1, c2, c3, c4 = st.columns(4)
n = c1.number_input("Unknowns n", 10, 200, step=10, key="ib_n")
m = c2.number_input("Measurements m", 2, 199, step=1, key="ib_m")
s = c3.number_input("Non-zeros s of x_true", 1, 50, step=1, key="ib_s")
seed = c4.number_input("Seed", 0, 10_000, step=1, key="ib_seed")
c1, c2, c3 = st.columns([2, 3, 2])
Ls = c1.multiselect("Exponents L", [2, 3, 4], key="ib_Ls")
alphas = c2.multiselect("Initial scales α", ALPHAS, key="ib_alphas",
                        format_func=lambda a: f"{a:g}")
step = c3.radio("Step size", ["bb", "fixed"], key="ib_step", horizontal=True,
                format_func={"bb": "Barzilai-Borwein", "fixed": "fixed η (batched)"}.get)
# the paths panel shows one of the chosen exponents (a link may name another one)
if Ls and st.session_state["ib_L_path"] not in Ls:
    st.session_state["ib_L_path"] = sorted(Ls)[0]
link = state.publish(FIELDS)  # before any st.stop below, so the link is always there
with preset_row:
    state.presets_and_link(PRESETS, link, key="implicit_bias")
st.caption("A ~ N(0, 1/m), x_true has s entries |N(0,1)| normalized to ‖x_true‖₂ = 1, "
           "b = A x_true. The fixed step is η = 1/(L² max(x)^(2−2/L) ‖A‖²), half the edge "
           "of the stability region; all (L, α) runs then go through one batched sweep. "
           "Barzilai-Borwein steps reach the same limits much faster.")

if m >= n:
    st.warning("Choose m < n: with m ≥ n the solution is unique and there is no bias to see.",
               icon=":material/warning:")
    st.stop()
if s > n:
    st.warning("s cannot exceed n.", icon=":material/warning:")
    st.stop()
if not Ls or not alphas:
    st.info("Pick at least one exponent L and one scale α (or click a preset).")
    st.stop()


@st.cache_data(max_entries=16, show_spinner=False)
def _bias(n, m, s, seed, Ls, alphas, step):
    p = nc.sparse_problem(m, n, s, seed=seed)
    bar = st.progress(0.0, text="Running gradient descent for every (L, α)...")
    try:
        ib = implicit_bias(p.A, p.b, alphas=alphas, Ls=Ls, x_true=p.x_true, step=step,
                             max_iter=100_000 if step == "fixed" else 50_000, tol=1e-6,
                             progress=lambda f: bar.progress(f))
    finally:
        bar.empty()
    return ib


@st.cache_data(max_entries=16, show_spinner=False)
def _paths(n, m, s, seed, L, alphas, max_iter):
    p = nc.sparse_problem(m, n, s, seed=seed)
    x_max = solution_scale(p.A, p.b)  # largest entry of the Lawson-Hanson solution
    eta = safe_step(spectral_norm(p.A), L, max(x_max, 1e-3))
    rs = sweep(p.A, p.b, L=L, alpha=alphas, step=eta, max_iter=max_iter, tol=1e-8)
    return eta, {f"α = {a:g}": r for a, r in zip(alphas, rs)}


try:
    ib = _bias(int(n), int(m), int(s), int(seed), tuple(sorted(Ls)), tuple(sorted(alphas)),
               step)
except ValueError as exc:
    st.error(f"No minimum-ℓ1 reference for this problem: {exc}", icon=":material/error:")
    st.stop()

left, right = st.columns(2)
with left:
    plot(F.l1_alpha_figure(ib), key="l1_alpha")
    st.caption(
        "Look at the left end: as α shrinks, every curve falls onto the black line, the "
        "smallest ℓ1 norm any non-negative solution can have, far below Lawson-Hanson's "
        "solution (red) and even below ‖x_true‖₁ (green). Larger L gets there at larger α. "
        "Open markers: runs that hit the iteration cap.")
with right:
    plot(F.distance_alpha_figure(ib), key="dist_alpha")
    st.caption(
        "The same limits measured by their distance to the LP solution x_ℓ1. For L = 2 "
        "it shrinks only like 1/log(1/α); for L ≥ 3 it falls much faster, which is the "
        "paper's 'larger L, stronger bias'.")

rows = []
for i, L in enumerate(ib.Ls):
    for j, a in enumerate(ib.alphas):
        r = ib.results[i][j]
        rows.append({"L": f"{L:g}", "α": f"{a:g}", "x₀ = α^L": f"{a ** L:.1e}",
                     "‖x‖₁": round(float(ib.l1[i, j]), 5),
                     "above LP (%)": round(100 * (ib.l1[i, j] / ib.l1_lp - 1), 3),
                     "‖x − x_ℓ1‖₂": float(f"{ib.distance[i, j]:.3g}"),
                     "‖Ax − b‖": float(f"{r.rnorm:.2g}"), "iterations": r.n_iter,
                     "status": r.status})
not_conv = [f"L={row['L']}, α={row['α']}" for row in rows if row["status"] != "converged"]
if not_conv:
    st.warning("Not converged within the iteration cap (the limit is not reached yet, "
               "its ℓ1 norm is not final): " + ", ".join(not_conv), icon=":material/warning:")
with st.expander(f"Numbers: LP minimum ℓ1 = {ib.l1_lp:.5f}, Lawson-Hanson ℓ1 = "
                 f"{ib.l1_lh:.5f}, ‖x_true‖₁ = {ib.l1_true:.5f}"):
    st.dataframe(rows, hide_index=True, width="stretch")

st.subheader("The price: a plateau that grows as α shrinks")
c1, c2 = st.columns([1, 3])
with c1:
    L_path = st.radio("Exponent for the paths", sorted(Ls), key="ib_L_path",
                      format_func=lambda v: f"L = {v}")
    budget = st.select_slider("Iterations", BUDGETS, key="ib_budget")
    st.markdown(
        "Plain gradient descent with a fixed step, one line per α (all in one batched "
        "sweep). Each run first sits on a plateau while the coordinates of $x$ grow from "
        "$\\alpha^L$; the plateau lengthens as α shrinks, and much more so for larger L "
        "($\\sim\\log(1/\\alpha)$ iterations for L = 2, $\\sim\\alpha^{2-L}$ for L ≥ 3).")
eta, paths = _paths(int(n), int(m), int(s), int(seed), int(L_path), tuple(sorted(alphas)),
                    int(budget))
with c2:
    plot(F.residual_paths_figure(paths, title=f"Residual ‖Ax_k − b‖, L = {L_path}, fixed "
                                              f"step η = {eta:.3g}"), key="paths")
citation()
