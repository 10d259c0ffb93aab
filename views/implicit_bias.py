"""Explore: the implicit bias of small initialization towards the minimum-l1 solution.

Opens on the paper's E1 and E2 from the shipped results (no computation); "Recompute"
reruns them with live progress and Stop. "Your own problem" runs the same experiment on
a generated problem, behind an explicit Run with an estimate.
"""

import numpy as np
import streamlit as st

import nnls_core as nc
import nnls_core.paper as paper
from nnls_core.experiments import implicit_bias
from nnls_core.references import safe_step, solution_scale, spectral_norm
from nnls_core.sweep import sweep
from ui import figures_paper as F
from ui import state
from ui.common import citation, plot
from ui.recompute import Recompute, duration, remember, server_store
from ui.state import Field

ALPHAS = [1e-4, 3.2e-4, 1e-3, 3.2e-3, 1e-2, 3.2e-2, 1e-1, 3.2e-1]
BUDGETS = (5_000, 10_000, 20_000, 50_000)
SOURCES = {"paper": "The paper (E1, E2)", "custom": "Your own problem"}
# keys are page-specific: Streamlit's session state is shared by all pages of the app
FIELDS = {
    "ib_src": Field("paper", choices=tuple(SOURCES)),
    "ib_n": Field(50, lo=10, hi=200), "ib_m": Field(10, lo=2, hi=199),
    "ib_s": Field(3, lo=1, hi=50), "ib_seed": Field(0, lo=0, hi=10_000),
    "ib_Ls": Field([2, 3], choices=(2, 3, 4)),
    "ib_alphas": Field([1e-3, 3.2e-3, 1e-2, 3.2e-2, 1e-1], choices=tuple(ALPHAS)),
    "ib_step": Field("bb", choices=("bb", "fixed")),
    "ib_L_path": Field(2, choices=(2, 3, 4)), "ib_budget": Field(20_000, choices=BUDGETS),
}
DEFAULTS = {k: f.default for k, f in FIELDS.items()}
CUSTOM = DEFAULTS | {"ib_src": "custom"}
PRESETS = {
    "E1 + E2 (paper)": DEFAULTS,
    "Own problem (BB steps)": CUSTOM,
    "Own problem, L = 2, 3, 4": CUSTOM | {"ib_Ls": [2, 3, 4],
                                         "ib_alphas": [1e-2, 3.2e-2, 1e-1, 3.2e-1]},
    "Own problem, fixed step": CUSTOM | {"ib_Ls": [2], "ib_step": "fixed"},
}
SECONDS_PER_ROW_ITERATION = 5e-5  # measured on the shared 2-core machine, 10 x 50


st.title("Implicit bias")
st.markdown("Gradient descent on $x = u^{L}$ from $u_0 = \\alpha\\mathbf 1$ picks a "
            "solution of nearly **smallest ℓ1 norm**: the smaller α, the closer.")
state.init(FIELDS, "implicit_bias")
# the paths panel shows one of the chosen exponents (a link may name another one)
if st.session_state["ib_Ls"] and st.session_state["ib_L_path"] not in st.session_state["ib_Ls"]:
    st.session_state["ib_L_path"] = sorted(st.session_state["ib_Ls"])[0]
preset_row = st.container()
src = st.session_state["ib_src"]  # set by the presets (and the link)


# --------------------------------------------------------------------------- the paper
def _e1_figure(e1):
    refs = {"min ℓ1, x ≥ 0 (LP)": e1.references["l1_min"],
            "min ℓ1 without x ≥ 0 (authors' BP)": e1.references["basis_pursuit"],
            "Lawson-Hanson": e1.references["lawson_hanson"], "‖x_true‖₁": e1.l1_true}
    return F.l1_alpha_figure(e1.alphas, e1.Ls, e1.l1, e1.converged, e1.n_iter, refs,
                             title=f"E1: ℓ1 norm of the limit against α (data as in the "
                                   f"paper, seed {e1.setting.data['seed']})")


def _e2_figure(e2):
    return F.trajectories_figure(e2.iterations, e2.x, e2.Ls, e2.x_true,
                                 title=f"E2: the coordinates along the run (data as in the "
                                       f"paper, seed {e2.setting.data['seed']})")


FIGURES = {"E1": _e1_figure, "E2": _e2_figure}
RECOMPUTE = Recompute("ib", FIGURES)


def _conversions(e) -> str:
    """The experiment's step in the paper's units and ours, for each L."""
    return "; ".join(paper.conversion(e.setting.paper["eta"], L).removesuffix(", because ...")
                     for L in e.Ls)


def _paper_page() -> None:
    RECOMPUTE.handle(st.container())
    e1, e1_src = RECOMPUTE.result("E1")
    e2, e2_src = RECOMPUTE.result("E2")
    RECOMPUTE.panel("E1", "as α shrinks, ‖x‖₁ falls towards the smallest "
                          "ℓ1 norm of any non-negative solution (black line); L = 3 lies below "
                          "L = 2 wherever both converged.")
    d1 = e1.setting.data
    st.caption(f"Data as in the paper (seed {d1['seed']}): A is {d1['m']}×{d1['n']}, "
               f"x_true has {d1['s']} non-zeros. Steps: " + _conversions(e1)
               + " (their update drops a factor L: see the details).")
    with st.expander("Details and numbers (E1)"):
        not_conv = [f"L = {L:g}, α = {a:.3g}" for i, L in enumerate(e1.Ls)
                    for j, a in enumerate(e1.alphas) if not e1.converged[i, j]]
        if not_conv:
            st.markdown("Open circles did **not converge** within T = "
                        f"{e1.setting.paper['T']:,} iterations ({', '.join(not_conv)}): "
                        "their ‖x‖₁ is not a limit (the residual is not zero yet, so it "
                        "can lie below the LP minimum).")
        st.markdown(f"Result: {e1_src}. Authors' published values for L = 2 "
                    "(their code on the same data) against ours:")
        st.dataframe(
            [{"α": f"{a:.3g}", "authors": v, "ours": round(float(e1.l1[0, j]), 4),
              "difference (%)": round(100 * (float(e1.l1[0, j]) / v - 1), 3)}
             for j, (a, v) in enumerate(zip(paper.AUTHORS_E1["alphas"],
                                             paper.AUTHORS_E1[2]))],
            hide_index=True)
        st.text(e1.setting.text())
    RECOMPUTE.panel("E2", "the coordinates take off one at a time, the "
                          "largest first, and L = 3 waits much longer than L = 2.")
    d2 = e2.setting.data
    st.caption(f"Data as in the paper (seed {d2['seed']}): A is {d2['m']}×{d2['n']}. "
               "Steps: " + _conversions(e2) + ".")
    with st.expander("Details (E2)"):
        st.markdown(f"Result: {e2_src}. Every coordinate starts at x₀ = α^L; those on "
                    "the support of x_true grow to their targets (dotted), the others "
                    "stay small (grey: the largest of them).")
        st.text(e2.setting.text())


# --------------------------------------------------------------------------- own problem
def _bias(n, m, s, seed, Ls, alphas, step, progress):
    p = nc.sparse_problem(m, n, s, seed=seed)
    return implicit_bias(p.A, p.b, alphas=alphas, Ls=Ls, x_true=p.x_true, step=step,
                         max_iter=100_000 if step == "fixed" else 50_000, tol=1e-6,
                         progress=progress)


def _paths(n, m, s, seed, L, alphas, max_iter, progress):
    p = nc.sparse_problem(m, n, s, seed=seed)
    x_max = solution_scale(p.A, p.b)  # largest entry of the Lawson-Hanson solution
    eta = safe_step(spectral_norm(p.A), L, max(x_max, 1e-3))
    rs = sweep(p.A, p.b, L=L, alpha=alphas, step=eta, max_iter=max_iter, tol=1e-8,
               progress=progress)
    return eta, {f"α = {a:g}": r for a, r in zip(alphas, rs)}


def _custom_page() -> None:
    c = st.columns([1, 1, 1, 1, 2, 3])
    n = c[0].number_input("n", 10, 200, step=10, key="ib_n",
                          help="Unknowns: the length of x.")
    m = c[1].number_input("m", 2, 199, step=1, key="ib_m",
                          help="Measurements: rows of A. Choose m < n, so that many x "
                               "solve Ax = b.")
    s = c[2].number_input("s", 1, 50, step=1, key="ib_s",
                          help="Non-zeros of x_true.")
    seed = c[3].number_input("Random seed", 0, 10_000, step=1, key="ib_seed",
                             help="Seed of the random generator that draws A and x_true.")
    Ls = c[4].multiselect("Exponents L", [2, 3, 4], key="ib_Ls",
                          help="x = u^L: one curve per exponent.")
    alphas = c[5].multiselect("Initial scales α", ALPHAS, key="ib_alphas",
                              format_func=lambda a: f"{a:g}",
                              help="u₀ = α·1, so x₀ = α^L: one point per α.")
    c = st.columns([3, 2, 3, 2], vertical_alignment="bottom")
    step = c[0].radio("Step size", ["bb", "fixed"], key="ib_step", horizontal=True,
                      format_func={"bb": "Barzilai-Borwein", "fixed": "fixed η"}.get,
                      help="Barzilai-Borwein adapts the step (fast; its limit can differ "
                           "slightly from fixed-step GD's); fixed η is the paper's plain GD "
                           "at half the stability edge.")
    L_path = c[1].selectbox("Paths for L", sorted(Ls) or [st.session_state["ib_L_path"]],
                            key="ib_L_path",
                            format_func=lambda v: f"L = {v}",
                            help="The exponent of the residual paths (second chart).")
    budget = c[2].select_slider("Path iterations", BUDGETS, key="ib_budget",
                                help="Iterations of the residual paths (fixed step).")
    if m >= n:
        st.warning("Choose m < n: with m ≥ n the solution is unique and there is no bias "
                   "to see.", icon=":material/warning:")
        return
    if s > n:
        st.warning("s cannot exceed n.", icon=":material/warning:")
        return
    if not Ls or not alphas:
        st.info("Pick at least one exponent L and one scale α (or click a preset).")
        return
    args = (int(n), int(m), int(s), int(seed))
    Ls_t, al_t = tuple(sorted(Ls)), tuple(sorted(alphas))
    job = (*args, Ls_t, al_t, step, int(L_path), int(budget))
    cap = 100_000 if step == "fixed" else 50_000
    est = SECONDS_PER_ROW_ITERATION * (1 + m * n / 2000) * (
        cap * len(Ls) * len(alphas) + int(budget) * len(alphas))
    done = server_store("ib")
    if job not in done:
        if c[3].button("Run", type="primary", key="ib_go", icon=":material/play_arrow:",
                       help=f"Run every (L, α) to convergence or its cap: up to about "
                            f"{duration(est)}."):
            bar = st.progress(0.0, text="Running gradient descent for every (L, α)...")
            st.button("Stop", key="ib_stop_custom", icon=":material/stop:",
                      help="Stop the computation (any click stops it).")
            try:
                ib = _bias(*args, Ls_t, al_t, step, lambda f: bar.progress(0.8 * f))
            except ValueError as exc:
                st.error(f"No minimum-ℓ1 reference for this problem: {exc}",
                         icon=":material/error:")
                return
            paths = _paths(*args, int(L_path), al_t, int(budget),
                           lambda f: bar.progress(0.8 + 0.2 * f))
            remember(done, job, (ib, *paths))
            st.rerun()
        st.info(f"Press Run: up to about {duration(est)} of computation for "
                f"{len(Ls) * len(alphas)} runs of up to {cap:,} iterations and "
                f"{len(alphas)} residual paths.", icon=":material/play_arrow:")
        return
    ib, eta, paths = done[job]
    n_iter = np.array([[r.n_iter for r in row] for row in ib.results])
    refs = {"min ℓ1, x ≥ 0 (LP)": ib.l1_lp, "Lawson-Hanson": ib.l1_lh,
            "‖x_true‖₁": ib.l1_true}
    plot(F.l1_alpha_figure(ib.alphas, ib.Ls, ib.l1, ib.converged, n_iter, refs),
         key="l1_alpha")
    st.markdown("**What to notice:** the smaller α, the closer ‖x‖₁ comes to the "
                "LP minimum.")
    with st.expander("Details and numbers"):
        st.markdown("A ~ N(0, 1/m), x_true has s entries |N(0,1)| normalized to "
                    "‖x_true‖₂ = 1, b = A x_true; all (L, α) runs go through one "
                    "batched sweep. Open circles did not converge within "
                    f"{cap:,} iterations: not limits.")
        st.dataframe([{"L": f"{L:g}", "α": f"{a:g}", "‖x‖₁": round(float(ib.l1[i, j]), 5),
                       "above LP (%)": round(100 * (ib.l1[i, j] / ib.l1_lp - 1), 3),
                       "iterations": int(n_iter[i, j]),
                       "status": ib.results[i][j].status}
                      for i, L in enumerate(ib.Ls) for j, a in enumerate(ib.alphas)],
                     hide_index=True)
    plot(F.residual_paths_figure(paths, title=f"Residual, L = {L_path}, fixed η = "
                                              f"{eta:.3g}"), key="paths")
    st.markdown("**What to notice:** the smaller α, the longer the plateau before "
                "the residual falls.")
    with st.expander("Details"):
        st.markdown("Plain gradient descent with a fixed step (half the stability "
                    "edge), one line per α in one batched sweep. The plateau lasts "
                    "about log(1/α) steps for L = 2 and about α^(2−L) for L ≥ 3.")


link = state.publish(FIELDS)  # before any early return, so the link is always there
with preset_row:
    state.presets_and_link(PRESETS, link, key="implicit_bias")
if src == "custom":
    _custom_page()
else:
    _paper_page()
citation()
