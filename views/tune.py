"""Tune before you code: one grid over α × L × step mode on your problem, the cost and the
sparsity bought side by side; a click opens a cell in the Playground, and any cell exports
as a Python script."""

from __future__ import annotations

import numpy as np
import streamlit as st

from nnls_core.export import python_snippet
from nnls_core.tuning import MODES, TuneGrid, tune
from ui import state
from ui.common import PLOTLY_CONFIG, citation
from ui.problems import (ALPHAS, GENERATORS, NOISES, PERTURBATIONS, UPLOAD,
                         make_problem, problem_spec, upload_problem)
from ui.figures_tune import MODE_LABELS, row_labels, tune_figure
from ui.shipped import shipped_tune
from ui.state import Field, encode

TOLS = (1e-4, 1e-6, 1e-7, 1e-8, 1e-10)
BUDGETS = (500, 1000, 2000, 5000, 10_000, 20_000)
STEP_SCALES = (0.5, 1.0, 1.5, 1.9)
# keys are page-specific: Streamlit's session state is shared by all pages of the app
FIELDS = {
    "tn_kind": Field(GENERATORS[0], choices=tuple(GENERATORS)),
    "tn_m": Field(30, lo=2, hi=2000), "tn_n": Field(100, lo=2, hi=4000),
    "tn_s": Field(4, lo=1, hi=4000), "tn_noise": Field(0.0, choices=NOISES),
    "tn_neg": Field(0.0, choices=PERTURBATIONS), "tn_corr": Field(0.7, lo=0.0, hi=0.95),
    "tn_seed": Field(0, lo=0, hi=10**6),
    "tn_alphas": Field([1e-3, 1e-2, 2e-2, 5e-2, 1e-1, 2e-1], choices=tuple(ALPHAS)),
    "tn_Ls": Field([2, 3, 4], choices=(1, 2, 3, 4, 5, 6)),
    "tn_modes": Field(list(MODES), choices=MODES),
    "tn_tol": Field(1e-4, choices=TOLS), "tn_max_iter": Field(1000, choices=BUDGETS),
    "tn_step_scale": Field(1.0, choices=STEP_SCALES),
}
DEFAULTS = {k: f.default for k, f in FIELDS.items()}
PRESETS = {  # short names: the row holds the controls too, at 1024 px
    "Default": DEFAULTS,
    "Tighter tol": DEFAULTS | {"tn_tol": 1e-6, "tn_max_iter": 5000},
    "Smaller α": DEFAULTS | {"tn_alphas": [1e-4, 1e-3, 1e-2, 1e-1], "tn_Ls": [2, 3],
                             "tn_max_iter": 10_000},
    "Edge steps": DEFAULTS | {"tn_modes": ["fixed"], "tn_step_scale": 1.9,
                              "tn_max_iter": 20_000},
}
#: Grids up to the default's work (cells x budget x m n) run at once (the default grid:
#: about 2.2-2.6 s of CPU on the shared two-core machine, bench/tune.py); larger ones
#: wait for Run.
AUTO_WORK = 72 * 1000 * 30 * 100


def playground_params(g: TuneGrid, cell: tuple[int, int, int], problem: dict) -> dict:
    """The Playground's URL settings (views/playground.py FIELDS) for one cell."""
    i, j, k = cell
    opts = g.options(i, j, k)
    mode = g.modes[i]
    q = dict(problem) | {"L": encode(opts["L"]), "alpha": encode(opts["alpha"]),
                         "tol": encode(opts["tol"]), "max_iter": encode(opts["max_iter"])}
    if mode == "fixed":
        q |= {"step_kind": "fixed", "accel": "none", "eta": encode(opts["step"])}
    elif mode == "bb":
        q |= {"step_kind": "bb", "accel": "none"}
    else:
        q |= {"step_kind": "auto", "accel": mode}
    return q


def cell_label(g: TuneGrid, cell: tuple[int, int, int]) -> str:
    i, j, k = cell
    return f"{row_labels(g)[i * len(g.Ls) + j]}, α={g.alphas[k]:.0e}"


def _stopped(run_key) -> None:
    st.session_state["tn_stopped"] = run_key


st.title("Tune before you code")
st.markdown("Cost (left) and sparsity bought (right) for each α, L and step mode; "
            "**click a cell** to try it in the Playground.")
state.init(FIELDS, "tune")
st.session_state["tn_s"] = min(st.session_state["tn_s"], st.session_state["tn_n"])
bar = st.container(horizontal=True, vertical_alignment="center", gap="small")

with bar.popover("Problem", icon=":material/database:",
                 help="The problem to tune on: generated as in the Playground, or uploaded."):
    kind = st.selectbox("Generator", GENERATORS, key="tn_kind",
                        help="How A and b are made (the Playground's generators), or your "
                             "own A and b.")
    problem, key, spec, problem_q = None, None, None, {}
    if kind == UPLOAD:
        fa = st.file_uploader("A (m × n), .csv or .npy", type=["csv", "npy"], key="tn_up_A",
                              help="A matrix of numbers; pickled files are refused.")
        fb = st.file_uploader("b (length m), .csv or .npy", type=["csv", "npy"],
                              key="tn_up_b", help="The right-hand side, one number per row "
                                                  "of A.")
        if fa is not None and fb is not None:
            try:
                problem = upload_problem(fa.getvalue(), fa.name, fb.getvalue(), fb.name)
                key = ("upload", fa.file_id, fb.file_id)
                spec = {"generator": "upload", "A_file": fa.name, "b_file": fb.name}
                problem_q = {"kind": UPLOAD}
            except ValueError as exc:
                st.error(f"Cannot use these files: {exc}")
    else:
        c1, c2 = st.columns(2)
        m = c1.number_input("m (rows)", 2, 2000, key="tn_m", help="Number of equations.")
        n = c2.number_input("n (unknowns)", 2, 4000, key="tn_n",
                            help="Number of unknowns; n > m leaves many exact solutions, "
                                 "among which the implicit bias chooses.")
        sparse = kind != "Dense Gaussian"
        s = st.slider("sparsity s of x_true", 1, int(n), key="tn_s", disabled=not sparse,
                      help="Non-zero entries of the ground truth x_true.")
        noise = st.select_slider("noise (relative)", NOISES, key="tn_noise",
                                 disabled=not sparse, help="Gaussian noise added to b, "
                                 "relative to ‖A x_true‖.")
        neg = st.select_slider("negative perturbation ‖d‖", PERTURBATIONS, key="tn_neg",
                               disabled=not sparse, help="Size of a small negative part "
                               "added to x_true.")
        corr = st.slider("column correlation ρ", 0.0, 0.95, step=0.05, key="tn_corr",
                         disabled=kind != "Correlated columns",
                         help="Correlation between neighbouring columns of A.")
        seed = st.number_input("random seed", 0, 10**6, key="tn_seed",
                               help="Seed of the random generator: the same seed gives "
                                    "the same problem.")
        key = (kind, int(m), int(n), int(s), noise, neg, corr, int(seed))
        problem = make_problem(*key)
        spec = problem_spec(*key)
        problem_q = {"kind": kind, "m": encode(int(m)), "n": encode(int(n)),
                     "s": encode(int(s)), "noise": encode(noise), "neg": encode(neg),
                     "corr": encode(corr), "seed": encode(int(seed))}

with bar.popover("Grid", icon=":material/grid_on:",
                 help="Which α, L and step modes to run, the tolerance and the budget."):
    alphas = st.multiselect("initialization α (u₀ = α·1)", ALPHAS, key="tn_alphas",
                            format_func=lambda a: f"{a:.0e}",
                            help="Columns of the heatmaps. Smaller α: a stronger pull "
                                 "towards the sparsest solution, and a longer plateau.")
    Ls = st.pills("exponent L (x = u^L)", (1, 2, 3, 4, 5, 6), selection_mode="multi",
                  key="tn_Ls", help="Larger L: a stronger bias and a slower escape from "
                                    "the start. L = 1 is plain gradient descent.")
    modes = st.pills("step modes", MODES, selection_mode="multi", key="tn_modes",
                     format_func=MODE_LABELS.get,
                     help="fixed η: a fixed step (a multiple of the safe step below); BB: "
                          "Barzilai-Borwein steps; Nesterov: momentum on u; mirror: "
                          "accelerated mirror descent. Both accelerated modes use "
                          "backtracking steps.")
    c1, c2 = st.columns(2)
    tol = c1.select_slider("tolerance (relative)", TOLS, key="tn_tol",
                           format_func=lambda t: f"{t:.0e}",
                           help="A cell converges when the relative optimality residual "
                                "(the Playground's stopping test) is at most this.")
    max_iter = c2.select_slider("budget (iterations)", BUDGETS, key="tn_max_iter",
                                format_func=lambda v: f"{v:,}",
                                help="Cells that need more iterations are hatched: "
                                     "not converged.")
    step_scale = st.select_slider(
        "fixed η (× safe step)", STEP_SCALES, key="tn_step_scale",
        help="The fixed step of each L as a multiple of the safe step "
             "1/(L² max(x*)^(2−2/L) ‖A‖₂²); 2 is the edge of the stability region.")

link = state.publish(FIELDS)
with bar:
    state.presets_and_link(PRESETS, link, key="tune")

if problem is None:
    st.info("Upload both A and b (comma-separated numbers or a NumPy .npy file) in "
            "**Problem**.")
    st.stop()
if not (alphas and Ls and modes):
    st.info("Choose at least one α, one L and one step mode in **Grid**.")
    st.stop()

m_, n_ = problem.shape
alphas = sorted(alphas)
Ls = sorted(Ls)
modes = [mo for mo in MODES if mo in modes]
cells = len(alphas) * len(Ls) * len(modes)
run_key = (key, tuple(alphas), tuple(Ls), tuple(modes), tol, int(max_iter), step_scale)
stash = st.session_state.setdefault("tn_results", {})
shipped = stash.get(run_key) is None and repr(run_key) in shipped_tune()
g = shipped_tune()[repr(run_key)] if shipped else stash.get(run_key)
if g is None:
    long = cells * max_iter * max(m_ * n_, 30 * 100) > AUTO_WORK
    stopped = st.session_state.get("tn_stopped") == run_key
    if long or stopped:
        row = st.container(horizontal=True, vertical_alignment="center")
        go_ = row.button("Run the grid", type="primary", icon=":material/play_arrow:",
                         key="tn_run", help="Run every cell of the grid now, with "
                                            "progress and a Stop button.")
        row.caption(("Stopped before the end. " if stopped else "")
                    + f"{cells} cells of up to {int(max_iter):,} iterations on a "
                    f"{m_} × {n_} problem: more than the default grid, so it waits for Run.")
        if not go_:
            st.stop()
    stop_slot = st.empty()
    stop_slot.button("Stop", key="tn_stop", icon=":material/stop:", on_click=_stopped,
                     args=(run_key,), help="Stop the grid. A stopped grid shows nothing; "
                                           "Run starts it again.")
    progress = st.progress(0.0, text=f"Running {cells} cells…")
    try:
        g = tune(problem.A, problem.b, alphas=alphas, Ls=Ls, modes=modes, tol=tol,
                 max_iter=int(max_iter), step_scale=step_scale,
                 progress=lambda f: progress.progress(f, text=f"Running {cells} cells… "
                                                            f"{100 * f:.0f}%"))
    except ValueError as exc:  # e.g. uploaded data outside the engine's range
        stop_slot.empty()
        progress.empty()
        st.error(f"Cannot run this grid: {exc}", icon=":material/error:")
        st.stop()
    stop_slot.empty()
    progress.empty()
    st.session_state.pop("tn_stopped", None)
    stash.clear()  # keep the last grid only
    stash[run_key] = g

best = g.best()
n_conv = int(g.converged.sum())
ref = ("min-ℓ1 LP" if g.l1_ref_name == "min-l1 LP"
       else "Lawson-Hanson: no x ≥ 0 solves Ax = b exactly")
event = st.plotly_chart(tune_figure(g, best=best), key="tn_grid", on_select="rerun",
                        selection_mode="points", config=PLOTLY_CONFIG, width="stretch")
st.caption("**What to notice:** moving left (smaller α) costs iterations and brings ℓ1 down "
           "to the minimum; hatched cells did not converge and show no number.")
ran = ("precomputed (the default grid ships with the app)" if shipped
       else f"in {g.wall_s:.1f} s")
st.markdown(f"**{cells} runs** {ran} on A {m_} × {n_} · **{n_conv} converged** "
            f"to {tol:.0e} within {int(max_iter):,} iterations · reference ℓ1 "
            f"{g.l1_ref:.4g} ({ref})")

points = event.selection.points if event is not None else []
if points:
    r, k = int(round(points[0]["y"])), int(round(points[0]["x"]))
    st.switch_page("views/playground.py",
                   query_params=playground_params(g, (r // len(Ls), r % len(Ls), k), problem_q))

all_cells = [tuple(int(v) for v in c) for c in np.ndindex(g.n_iter.shape)]
if best is not None:
    row = st.container(horizontal=True, vertical_alignment="center")
    row.markdown(
        f":green-badge[suggested] **{cell_label(g, best)}**: {g.n_iter[best]:,} iterations, "
        f"ℓ1 {g.l1_ratio[best]:.3f} × the reference (the fastest cell within 5% of it, "
        "outlined)")
    if row.button("Open in the Playground", icon=":material/open_in_new:", key="tn_open",
                  help="The Playground with the suggested cell's problem and settings."):
        st.switch_page("views/playground.py",
                       query_params=playground_params(g, best, problem_q))
else:
    st.caption("No converged cell has ℓ1 within 5% of the reference: try smaller α, a "
               "larger budget or a looser tolerance.")
if kind == UPLOAD:
    st.caption("The Playground asks for the uploaded files again.")

with st.expander("Export a cell as Python", icon=":material/code:"):
    choice = st.selectbox("cell", all_cells,
                          index=0 if best is None else all_cells.index(best),
                          format_func=lambda c: cell_label(g, c)
                          + ("" if g.converged[c] else " (not converged)"),
                          key="tn_export_cell",
                          help="The script builds the same problem and runs this cell's "
                               "settings with nnls_core.")
    snippet = python_snippet(spec, "hadamard", g.options(*choice))
    st.code(snippet, language="python")
    st.download_button("Script (.py)", snippet, "nnls_tuned.py", "text/x-python",
                       icon=":material/download:", on_click="ignore")

citation()
