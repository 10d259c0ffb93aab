"""Explore: convergence rates, step-size decay and acceleration (the paper's E3 and E4).

Opens on E3 and E4 from the shipped results (no computation); "Recompute" reruns them
with live progress and Stop. "Your own problem" runs the same experiments on a generated
problem, behind an explicit Run with an estimate.
"""

import numpy as np
import streamlit as st

import nnls_core as nc
import nnls_core.paper as paper
from nnls_core.experiments import acceleration, decay_rates
from ui import figures_paper as F
from ui import state
from ui.common import citation, plot
from ui.recompute import Recompute, duration, remember, server_store
from ui.state import Field

GAMMAS = [0.0, 0.25, 0.5, 0.75, 1.0]
ITERS = (2_000, 5_000, 10_000, 20_000, 50_000)
DECAY_ALPHAS = (1e-3, 1e-2, 0.1, 0.3)
DECAY_ETAS = (1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.2, 0.3, 1.0, 2.0)
ACCEL_ALPHAS = (1e-4, 1e-3, 1e-2, 0.1)
ACCEL_ETAS = (1e-3, 3e-3, 1e-2, 3e-2, 0.1)
SOURCES = {"paper": "The paper (E3, E4)", "custom": "Your own problem"}
QUANTITIES = {"rnorm": "‖Ax − b‖", "objective": "f = ½‖Ax − b‖²"}
# keys are page-specific: Streamlit's session state is shared by all pages of the app
FIELDS = {
    "rt_src": Field("paper", choices=tuple(SOURCES)),
    "rt_n": Field(50, lo=10, hi=200), "rt_m": Field(20, lo=2, hi=200),
    "rt_s": Field(3, lo=1, hi=50), "rt_seed": Field(0, lo=0, hi=10_000),
    "rt_quantity": Field("rnorm", choices=tuple(QUANTITIES)),
    "rt_alpha": Field(0.1, choices=DECAY_ALPHAS), "rt_eta": Field(0.1, choices=DECAY_ETAS),
    "rt_gammas": Field([0.0, 0.25, 0.5, 0.75], choices=tuple(GAMMAS)),
    "rt_Ls": Field([2, 3], choices=(2, 3, 4)), "rt_iters": Field(20_000, choices=ITERS),
    "rt_a_alpha": Field(1e-3, choices=ACCEL_ALPHAS), "rt_a_eta": Field(1e-2, choices=ACCEL_ETAS),
    "rt_a_iters": Field(20_000, choices=ITERS),
}
DEFAULTS = {k: f.default for k, f in FIELDS.items()}
CUSTOM = DEFAULTS | {"rt_src": "custom"}
PRESETS = {
    "E3 + E4 (paper)": DEFAULTS,
    "Own problem": CUSTOM,
    "Own problem, step too large": CUSTOM | {"rt_eta": 2.0, "rt_iters": 2_000,
                                             "rt_a_iters": 2_000},
}
SECONDS_PER_ROW_ITERATION = 5e-5  # measured on the shared 2-core machine, 20 x 50
FLOW_SECONDS = 15.0  # the two flows of the acceleration panel (solve_ivp), measured


st.title("Rates")
st.markdown("How fast does the residual fall? Decaying steps "
            "$\\eta_k \\propto k^{-\\gamma}$ slow it down; momentum speeds it up.")
state.init(FIELDS, "rates")
preset_row = st.container()
src = st.session_state["rt_src"]  # set by the presets (and the link)


# --------------------------------------------------------------------------- the paper
def _e3_figure(e3):
    curves = {key: (its + 1.0, np.maximum(v, F.FLOOR)) for key, (its, v) in e3.curves.items()}
    statuses = {(L, g): e3.status[i, j] for i, L in enumerate(e3.Ls)
                for j, g in enumerate(e3.gammas)}
    return F.decay_figure(curves, statuses=statuses,
                          title=f"E3: decaying steps η/(k+2)^γ (data as in the paper, "
                                f"seed {e3.setting.data['seed']})")


def _e4_figure(e4):
    curves = {key: (its + 1.0, np.maximum(v, F.FLOOR)) for key, (its, v) in e4.curves.items()}
    return F.acceleration_figure(curves, ytitle="‖A x_k − b‖²", power=1.0,
                                 statuses=e4.status,
                                 title=f"E4: acceleration (data as in the paper, seed "
                                       f"{e4.setting.data['seed']})")


FIGURES = {"E3": _e3_figure, "E4": _e4_figure}
RECOMPUTE = Recompute("rt", FIGURES)


def _conversions(e, methods) -> str:
    eta = e.setting.paper["eta"]
    return "; ".join(paper.conversion(eta, L, meth).removesuffix(", because ...")
                     + ("" if meth == "gd" else f" ({meth})") for L, meth in methods)


def _paper_page() -> None:
    RECOMPUTE.handle(st.container())
    e3, e3_src = RECOMPUTE.result("E3")
    e4, e4_src = RECOMPUTE.result("E4")
    d3, d4 = e3.setting.data, e4.setting.data
    RECOMPUTE.panel("E3", "the larger γ, the higher the residual at the "
                          "end; L = 3 (dashed) ends higher than L = 2 at every γ.")
    st.caption(f"E3: data as in the paper (seed {d3['seed']}), {d3['m']}×{d3['n']}; "
               f"{_conversions(e3, [(L, 'gd') for L in e3.Ls])}.")
    with st.expander("Details and numbers (E3)"):
        st.markdown(f"Result: {e3_src}. Grey lines: the reference slopes k^((γ−1)/2) "
                    "of ‖Ax − b‖ (the paper's k^(γ−1) for the objective). Every run "
                    f"takes all T = {e3.setting.paper['T']:,} iterations, as the "
                    "authors' do (no stopping test).")
        st.dataframe([{"L": r["L"], "γ": r["gamma"],
                       "‖Ax_T − b‖": f"{r['residual']:.3e}"} for r in e3.rows()],
                     hide_index=True)
        st.text(e3.setting.text())
    RECOMPUTE.panel("E4", "at k = 10⁴ both accelerated methods are several "
                          "orders of magnitude below plain GD.")
    st.caption(f"E4: data as in the paper (seed {d4['seed']}), {d4['m']}×{d4['n']}; "
               f"{_conversions(e4, [(2, 'gd'), (2, 'nesterov'), (2, 'mirror')])}.")
    with st.expander("Details and numbers (E4)"):
        st.markdown(f"Result: {e4_src}. ‖Ax − b‖² as the authors plot it (no ½). "
                    "Nesterov is the authors' schedule on u (k/(k+3), no restart); the "
                    "mirror descent is their discretization of the paper's ODE.")
        st.dataframe([{"method": r["method"], "‖Ax_T − b‖²": f"{r['objective']:.3e}"}
                      for r in e4.rows()], hide_index=True)
        st.text(e4.setting.text())


# --------------------------------------------------------------------------- own problem
def _decay(n, m, s, seed, alpha, eta, gammas, Ls, iters, progress):
    p = nc.sparse_problem(m, n, s, seed=seed)
    return decay_rates(p.A, p.b, gammas=gammas, Ls=Ls, alpha=alpha, step=eta,
                       max_iter=iters, tol=1e-12, progress=progress)


def _accel(n, m, s, seed, alpha, eta, iters, progress):
    p = nc.sparse_problem(m, n, s, seed=seed)
    return acceleration(p.A, p.b, alpha=alpha, step=eta, L=2, max_iter=iters, tol=1e-12,
                        progress=progress)


def _custom_page() -> None:
    c = st.columns(6)
    n = c[0].number_input("n", 10, 200, step=10, key="rt_n", help="Unknowns: the length of x.")
    m = c[1].number_input("m", 2, 200, step=1, key="rt_m", help="Measurements: rows of A.")
    s = c[2].number_input("s", 1, 50, step=1, key="rt_s", help="Non-zeros of x_true.")
    seed = c[3].number_input("Random seed", 0, 10_000, step=1, key="rt_seed",
                             help="Seed of the random generator that draws A and x_true.")
    quantity = c[4].radio("Plot", list(QUANTITIES), key="rt_quantity",
                          format_func=QUANTITIES.get,
                          help="The residual norm or the objective f (its square, halved).")
    iters = c[5].select_slider("Iterations", ITERS, key="rt_iters",
                               help="Iterations of every decay run.")
    c = st.columns([2, 2, 3, 2, 2, 2])
    alpha = c[0].select_slider("α (decay)", DECAY_ALPHAS, key="rt_alpha",
                               format_func=lambda a: f"{a:g}",
                               help="Initial scale u₀ = α·1 of the decay runs.")
    eta = c[1].select_slider("η (decay)", DECAY_ETAS, key="rt_eta",
                             format_func=lambda a: f"{a:g}",
                             help="Step before decay, η_k = η/(k+1)^γ; too large diverges.")
    gammas = c[2].multiselect("Decay γ", GAMMAS, key="rt_gammas",
                              help="One curve per decay exponent γ.")
    Ls = c[3].multiselect("Exponents L", [2, 3, 4], key="rt_Ls",
                          help="One curve per exponent (dash).")
    a_alpha = c[4].select_slider("α (accel.)", ACCEL_ALPHAS, key="rt_a_alpha",
                                 format_func=lambda a: f"{a:g}",
                                 help="Initial scale of the acceleration runs (L = 2).")
    a_eta = c[5].select_slider("η (accel.)", ACCEL_ETAS, key="rt_a_eta",
                               format_func=lambda a: f"{a:g}",
                               help="The same step for plain GD, Nesterov and mirror.")
    c = st.columns([2, 4], vertical_alignment="bottom")
    a_iters = c[0].select_slider("Iterations (acceleration)", ITERS, key="rt_a_iters",
                                 help="Iterations of the three acceleration runs.")
    if s > n:
        st.warning("s cannot exceed n.", icon=":material/warning:")
        return
    if not gammas or not Ls:
        st.info("Pick at least one γ and one L.")
        return
    prob = (int(n), int(m), int(s), int(seed))
    dec_args = (*prob, float(alpha), float(eta), tuple(sorted(gammas)), tuple(sorted(Ls)),
                int(iters))
    acc_args = (*prob, float(a_alpha), float(a_eta), int(a_iters))
    per_iteration = SECONDS_PER_ROW_ITERATION * (1 + m * n / 2000)
    cost = {"decay": per_iteration * int(iters) * len(gammas) * len(Ls),
            "accel": per_iteration * 3 * int(a_iters) + FLOW_SECONDS}
    done = server_store("rt")
    todo = [k for k in (("decay", dec_args), ("accel", acc_args)) if k not in done]
    est = sum(cost[kind] for kind, _ in todo)
    if todo:
        if c[1].button("Run", type="primary", key="rt_go", icon=":material/play_arrow:",
                         help=f"Run every curve: up to about {duration(est)}."):
            bar = st.progress(0.0, text="Running...")
            st.button("Stop", key="rt_stop_custom", icon=":material/stop:",
                      help="Stop the computation (any click stops it).")
            for i, (kind, args) in enumerate(todo):
                run = _decay if kind == "decay" else _accel
                remember(done, (kind, args), run(*args, lambda f, i=i: bar.progress(
                    (i + f) / len(todo), text=f"Running the {kind} curves...")))
            st.rerun()
        st.info(f"Press Run: up to about {duration(est)} of computation.",
                icon=":material/play_arrow:")
        return
    dec, acc = done["decay", dec_args], done["accel", acc_args]
    bad = [f"γ = {g:g}, L = {L:g}" for (L, g), r in dec.items() if r.status == "diverged"]
    bad += [k for k, r in acc.items() if getattr(r, "status", "") == "diverged"]
    if bad:
        st.warning("Step too large: " + ", ".join(bad) + " diverged (drawn in red up to "
                   "the last finite value). Try a smaller η.", icon=":material/warning:")
    plot(F.decay_figure(F.result_curves(dec, quantity), quantity=quantity,
                        statuses={k: r.status for k, r in dec.items()},
                        title="Decaying steps η/(k+1)^γ"), key="decay")
    if any(r.status == "diverged" for r in dec.values()):
        st.markdown("**What to notice:** the red runs diverged: η is too large for them.")
    else:
        st.markdown("**What to notice:** the larger γ, the slower the residual falls.")
    with st.expander("Details and numbers"):
        st.markdown("A ~ N(0, 1/m), x_true has s entries |N(0,1)| normalized to "
                    "‖x_true‖₂ = 1, b = A x_true; fixed steps with decay, tolerance "
                    "1e-12. Grey: reference slopes k^(γ−1) (objective) or their square "
                    "roots (residual).")
        st.dataframe([{"γ": f"{g:g}", "L": f"{L:g}", "final ‖Ax − b‖": f"{r.rnorm:.2e}",
                       "status": r.status} for (L, g), r in sorted(dec.items())],
                     hide_index=True)
    power = 1.0 if quantity == "objective" else 0.5
    plot(F.acceleration_figure(F.result_curves(acc, quantity, step=float(a_eta)),
                               ytitle=QUANTITIES[quantity], power=power,
                               statuses={k: r.status for k, r in acc.items()}),
         key="accel")
    if any(getattr(r, "status", "") == "diverged" for r in acc.values()):
        st.markdown("**What to notice:** the red runs diverged: η is too large for them.")
    else:
        st.markdown("**What to notice:** Nesterov and the mirror descent end below plain "
                    "GD.")
    with st.expander("Details and numbers"):
        st.markdown("Same step η for all three (L = 2). Plain GD follows the gradient "
                    "flow (dotted, t = kη); the mirror iteration is the paper's ODE with "
                    "time step 2√η, so its flow is drawn at t = 2k√η (up to k = 3000). "
                    "Our Nesterov restarts when the objective rises.")
        st.dataframe([{"method": k, "final ‖Ax − b‖": f"{r.rnorm:.2e}",
                       "status": r.status}
                      for k, r in acc.items() if hasattr(r, "history")],
                     hide_index=True)


link = state.publish(FIELDS)  # before any early return, so the link is always there
with preset_row:
    state.presets_and_link(PRESETS, link, key="rates")
if src == "custom":
    _custom_page()
else:
    _paper_page()
citation()
