"""Explore: convergence rates, step-size decay and acceleration (the paper's E3 and E4)."""

import numpy as np
import streamlit as st

import nnls_core as nc
from nnls_core.experiments import acceleration, decay_rates
from ui import figures_paper as F
from ui import state
from ui.common import citation, plot
from ui.state import Field

GAMMAS = [0.0, 0.25, 0.5, 0.75, 1.0]
ITERS = (2_000, 5_000, 10_000, 20_000, 50_000)
DECAY_ALPHAS = (1e-3, 1e-2, 0.1, 0.3)
DECAY_ETAS = (1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.2, 0.3, 1.0, 2.0)
ACCEL_ALPHAS = (1e-4, 1e-3, 1e-2, 0.1)
ACCEL_ETAS = (1e-3, 3e-3, 1e-2, 3e-2, 0.1)
# keys are page-specific: Streamlit's session state is shared by all pages of the app
FIELDS = {
    "rt_n": Field(50, lo=10, hi=200), "rt_m": Field(20, lo=2, hi=200),
    "rt_s": Field(3, lo=1, hi=50), "rt_seed": Field(0, lo=0, hi=10_000),
    "rt_quantity": Field("rnorm", choices=("rnorm", "objective")),
    "rt_alpha": Field(0.1, choices=DECAY_ALPHAS), "rt_eta": Field(0.1, choices=DECAY_ETAS),
    "rt_gammas": Field([0.0, 0.25, 0.5, 0.75], choices=tuple(GAMMAS)),
    "rt_Ls": Field([2, 3], choices=(2, 3, 4)), "rt_iters": Field(20_000, choices=ITERS),
    "rt_a_alpha": Field(1e-3, choices=ACCEL_ALPHAS), "rt_a_eta": Field(1e-2, choices=ACCEL_ETAS),
    "rt_a_iters": Field(20_000, choices=ITERS),
}
DEFAULTS = {k: f.default for k, f in FIELDS.items()}
PROBLEM = ("rt_n", "rt_m", "rt_s", "rt_seed")
# each preset resets the problem and its own section, and leaves the other section alone
PRESETS = {
    "E3: step-size decay": {k: DEFAULTS[k] for k in (*PROBLEM, "rt_alpha", "rt_eta",
                                                      "rt_gammas", "rt_Ls", "rt_iters")},
    "E4: acceleration": {k: DEFAULTS[k] for k in (*PROBLEM, "rt_a_alpha", "rt_a_eta",
                                                   "rt_a_iters")},
}

st.title("Rates")
st.markdown(
    "How fast does gradient descent on $x = u^{L}$ drive the residual to zero? With a "
    "decaying step $\\eta_k = \\eta/(k+1)^{\\gamma}$ the paper's bounds slow down as "
    "$\\gamma$ grows (the authors draw reference lines $\\sim k^{\\gamma-1}$ for the "
    "objective), and its second-order ODE gives an accelerated $O(1/t^2)$ instead of "
    "$O(1/t)$. The reference slopes are drawn for you to compare; which one fits is an "
    "observation, not a fit."
)
state.init(FIELDS, "rates")
preset_row = st.container()
c1, c2, c3, c4, c5 = st.columns(5)
n = c1.number_input("Unknowns n", 10, 200, step=10, key="rt_n")
m = c2.number_input("Measurements m", 2, 200, step=1, key="rt_m")
s = c3.number_input("Non-zeros s", 1, 50, step=1, key="rt_s")
seed = c4.number_input("Seed", 0, 10_000, step=1, key="rt_seed")
quantity = c5.radio("Plot", ["rnorm", "objective"], key="rt_quantity",
                    format_func={"rnorm": "‖Ax − b‖",
                                 "objective": "f = ½‖Ax − b‖²"}.get)
link = state.publish(FIELDS)  # before any st.stop below, so the link is always there
with preset_row:
    state.presets_and_link(PRESETS, link, key="rates")
if s > n:
    st.warning("s cannot exceed n.", icon=":material/warning:")
    st.stop()
st.caption("Same random set-up as the paper: A ~ N(0, 1/m), x_true has s entries |N(0,1)| "
           "normalized to ‖x_true‖₂ = 1, b = A x_true. Runs use a fixed step and the "
           "library's tolerance 1e-12, so the curves run until the iteration budget.")


def _problem(n, m, s, seed):
    return nc.sparse_problem(m, n, s, seed=seed)


@st.cache_data(max_entries=16, show_spinner=False)
def _decay(n, m, s, seed, alpha, eta, gammas, Ls, iters):
    p = _problem(n, m, s, seed)
    return decay_rates(p.A, p.b, gammas=gammas, Ls=Ls, alpha=alpha, step=eta,
                         max_iter=iters, tol=1e-12)


@st.cache_data(max_entries=16, show_spinner=False)
def _accel(n, m, s, seed, alpha, eta, iters):
    p = _problem(n, m, s, seed)
    return acceleration(p.A, p.b, alpha=alpha, step=eta, L=2, max_iter=iters, tol=1e-12)


def _first_below(r, target):
    rn = np.sqrt(2 * np.maximum(r.history.objective, 0))
    hit = np.flatnonzero(rn < target)
    return int(r.history.objective_iterations[hit[0]]) if hit.size else None


st.subheader("Step-size decay (E3)")
c1, c2, c3, c4, c5 = st.columns(5)
alpha = c1.select_slider("α", DECAY_ALPHAS, key="rt_alpha",
                         format_func=lambda a: f"{a:g}")
eta = c2.select_slider("η", DECAY_ETAS, key="rt_eta",
                       format_func=lambda a: f"{a:g}")
gammas = c3.multiselect("Decay γ", GAMMAS, key="rt_gammas")
Ls = c4.multiselect("Exponents L", [2, 3, 4], key="rt_Ls")
iters = c5.select_slider("Iterations", ITERS, key="rt_iters")
if not gammas or not Ls:
    st.info("Pick at least one γ and one L.")
else:
    dec = _decay(int(n), int(m), int(s), int(seed), float(alpha), float(eta),
                 tuple(sorted(gammas)), tuple(sorted(Ls)), int(iters))
    bad = [f"γ={g:g}, L={L:g}" for (L, g), r in dec.items() if r.status == "diverged"]
    if bad:
        st.warning("Step too large, these runs diverged and are drawn only up to their "
                   "last good iterate: " + ", ".join(bad) + ". Try a smaller η.",
                   icon=":material/warning:")
    left, right = st.columns([3, 1])
    with left:
        plot(F.decay_figure(dec, quantity=quantity), key="decay")
    with right:
        st.markdown(
            "Colour is γ, dash is L. γ = 0 (constant step) falls fastest; each larger γ "
            "shrinks the steps sooner and the curve flattens, roughly parallel to its "
            "grey reference k^(γ−1) once the initial plateau is over. L = 3 (dashed) "
            "starts slower: its steps are scaled by x^(4/3) instead of x.")
        st.dataframe([{"γ": f"{g:g}", "L": f"{L:g}", "final ‖Ax − b‖": f"{r.rnorm:.2e}",
                       "status": r.status} for (L, g), r in sorted(dec.items())],
                     hide_index=True, width="stretch")

st.subheader("Acceleration (E4)")
c1, c2, c3 = st.columns(3)
a_alpha = c1.select_slider("α ", ACCEL_ALPHAS, key="rt_a_alpha",
                           format_func=lambda a: f"{a:g}")
a_eta = c2.select_slider("η ", ACCEL_ETAS, key="rt_a_eta",
                         format_func=lambda a: f"{a:g}")
a_iters = c3.select_slider("Iterations ", ITERS, key="rt_a_iters")
acc = _accel(int(n), int(m), int(s), int(seed), float(a_alpha), float(a_eta), int(a_iters))
bad = [k for k, r in acc.items() if getattr(r, "status", "") == "diverged"]
if bad:
    st.warning("Step too large, diverged: " + ", ".join(bad) + ". Try a smaller η.",
               icon=":material/warning:")
left, right = st.columns([3, 1])
with left:
    plot(F.acceleration_figure(acc, step=float(a_eta), quantity=quantity), key="accel")
with right:
    st.markdown(
        "Same step η for all three (L = 2). Plain gradient descent (blue) follows the "
        "gradient flow (dotted blue, t = kη, almost hidden under it): O(1/k) in the "
        "objective, O(1/√k) in ‖Ax − b‖. Nesterov momentum and the accelerated mirror "
        "descent derived from the paper's ODE (green) fall much faster, towards "
        "O(1/k²) in the objective, O(1/k) in ‖Ax − b‖. The mirror iteration is "
        "the ODE with time step 2√η, so its flow (dotted green, up to k = 3000) is drawn "
        "at t = 2k√η; the restarts make the iterates even faster than the flow.")
    target = 1e-3
    st.dataframe([{"method": k, f"k to {target:g}":
                   (str(_first_below(r, target)) if _first_below(r, target) is not None
                    else f"> {r.n_iter}"), "final ‖Ax − b‖": f"{r.rnorm:.2e}"}
                  for k, r in acc.items() if hasattr(r, "history")],
                 hide_index=True, width="stretch")
citation()
