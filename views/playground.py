"""NNLS Playground: the solution and the loss side by side, α scrubbed in the browser, live
runs with Stop, divergence explained; problem, history and export one click away."""

from __future__ import annotations

import functools
import itertools
import math
import threading
from collections import OrderedDict

import numpy as np
import pandas as pd
import streamlit as st

import nnls_core as nc
from nnls_core.export import python_snippet
from nnls_core.metrics import compare
from nnls_core.references import min_l1
from nnls_core.sweep import sweep
from ui import figures as F
from ui.problems import (ALPHAS, GENERATORS, NOISES, PERTURBATIONS, make_problem,
                         problem_spec, upload_problem)
from ui.shipped import grid_options, options_of, shipped, slim
from ui import state
from ui.common import citation, plot, shared_figure
from ui.jobs import job_for, prefetch
from ui.state import Field

BASELINES = {
    "Lawson-Hanson": "lawson_hanson",
    "projected gradient": "projected_gradient",
    "FISTA": "fista",
    "multiplicative": "multiplicative",
    "unconstrained LS": "lstsq",
}
STEPS = {"bb": "Barzilai-Borwein", "auto": "backtracking", "fixed": "fixed η"}
ACCELS = {None: "none", "nesterov": "Nesterov (on u)", "mirror": "accelerated mirror"}
#: Tolerances of the relative (scale-free) optimality residual nc.optimality; the
#: library's default is 1e-8.
TOLS = (1e-4, 1e-6, 1e-7, 1e-8, 1e-10)
TOL_HELP = ("Stop when the relative optimality residual max_i |min(c_i x_i, z_i / c_i)| / ‖b‖ "
            "is at most this (z = Aᵀ(Ax − b) the gradient, c_i = ‖A e_i‖ the column norms; "
            "nnls_core.optimality). Each term is how far the best move along coordinate i "
            "(or down to x_i = 0) would change Ax, relative to ‖b‖; it is zero exactly at an "
            "NNLS solution, and scaling A, b or a column leaves it unchanged. Default 1e-8, "
            "as in the library.")
#: Badge colour of each status: green only for "converged".
BADGES = {"converged": "green", "max_iter": "orange", "stalled": "orange",
          "time_limit": "orange", "cancelled": "orange", "diverged": "red",
          "infeasible": "red"}
#: What to try when a run did not converge, per status.
ADVICE = {
    "max_iter": "Raise max iterations",  # + what the run does not use yet
    "stalled": "No step decreases the objective any more: the tolerance is probably below "
               "what rounding allows for this problem; try a larger tolerance.",
    "time_limit": "It used its whole time budget; a smaller problem or fewer iterations "
                  "finish sooner.",
    "cancelled": "The run was stopped before it converged.",
}

# ---- the work budget (issue 13): what a request may cost on this 2-core machine ----
#: Seconds per iteration of one run: a fixed cost by step rule (measured on the default
#: problem, quiet machine: fixed 34 us, BB 101 us, backtracking 131-230 us, Nesterov and
#: mirror 101-114 us) plus a cost per entry of A (two products with A per iteration,
#: measured on 2000 x 4000).
SECONDS_PER_ITER = {"fixed": 4e-5, "bb": 1e-4, "auto": 2.5e-4, "accel": 1.1e-4}
SECONDS_PER_ENTRY = 2e-9
#: Runs expected to take longer than this wait for an explicit Run (with an estimate).
#: The estimate assumes every iteration of max_iter is used; at the default 20,000 a BB
#: or accelerated run on the default problem (up to 2.1-2.3 s, most stop far earlier)
#: still starts by itself, a backtracking run (5 s) waits.
AUTO_SECONDS = 2.5
#: Time limits (seconds): a run behind Run, the α grid, each iterative baseline on a
#: large problem; and the safety net of runs expected to be quick (on a loaded server
#: they take longer, but are not cut, so they equal the library's runs).
RUN_BUDGET, GRID_BUDGET, BASELINE_BUDGET, SAFETY_BUDGET = 30.0, 3.0, 1.0, 60.0
#: A session keeps the α grids of its last few settings at hand (references to shared
#: objects), so going back to one redraws nothing and waits for nothing.
RECENT_GRIDS = 4
#: Above this many entries of A a run behind Run gets LARGE_BUDGET seconds, so that the
#: whole request (problem, ‖A‖₂, the run, FISTA) ends within 10 s.
LARGE_ENTRIES, LARGE_BUDGET = 1_000_000, 7.0
#: Largest m·n·max_iter the page accepts (max iterations are capped below it).
MAX_WORK = 2e10
#: Largest m·n for the exact references (Lawson-Hanson, the ℓ1 LP, cond(A) by SVD) and
#: the α grid, run without asking.
EXACT_ENTRIES = 300_000
#: Bytes of finished runs kept for reuse (shared by all sessions).
STORE_BYTES = 64 * 2**20

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
    # a fixed step, so the plateau's length is not hidden by adaptive steps; the faint
    # curves of the other α on the loss panel show it grow as α shrinks
    "Tiny α: long plateau": DEFAULTS | {"alpha": 1e-6, "step_kind": "fixed", "eta": 0.3,
                                        "tol": 1e-4},
    "L = 1: no constraint": DEFAULTS | {"L": 1, "baselines": ["Lawson-Hanson", "unconstrained LS"]},
    "Acceleration": DEFAULTS | {"accel": "nesterov", "step_kind": "auto"},
    "Step too large": DEFAULTS | {"alpha": 0.5, "step_kind": "fixed", "eta": 2.0},
    "Noisy, tall": DEFAULTS | {"m": 100, "n": 40, "noise": 0.05, "alpha": 1e-2},
}
#: One line per preset: what it shows.
PRESET_HELP = {
    "Implicit bias": "The default: small α finds the sparse x_true; FISTA finds a dense fit.",
    "Tiny α: long plateau": "α = 1e-6 with a fixed step: a long flat start before the drop.",
    "L = 1: no constraint": "Plain gradient descent on x: nothing keeps x ≥ 0.",
    "Acceleration": "Nesterov momentum on u: fewer iterations.",
    "Step too large": "A fixed step far above the stability bound: the run diverges.",
    "Noisy, tall": "More equations than unknowns and noisy b: no exact fit exists.",
}


@st.cache_data(max_entries=32, ttl=3600, show_spinner=False)
def norm_of(_p: nc.Problem, key: tuple) -> float:
    """||A||_2 as the solvers compute it."""
    return nc.spectral_norm(_p.A)


@st.cache_data(max_entries=32, ttl=3600, show_spinner=False)
def cond_of(_p: nc.Problem, key: tuple) -> float:
    """cond(A) from the singular values (a full SVD: small A, or on demand)."""
    sv = np.linalg.svd(_p.A, compute_uv=False)
    return float(sv[0] / sv[-1]) if sv[-1] > 0 else math.inf


@st.cache_data(max_entries=32, ttl=3600, show_spinner=False)
def run(_p: nc.Problem, key: tuple, method: str, options: tuple) -> nc.Result:
    """A baseline (iterative ones stop at their time budget)."""
    opts = dict(options)
    if method in ("projected_gradient", "fista", "multiplicative"):
        large = _p.shape[0] * _p.shape[1] > EXACT_ENTRIES
        opts["time_limit"] = BASELINE_BUDGET if large else SAFETY_BUDGET
    return nc.solve(_p.A, _p.b, method=method, **opts)


@st.cache_data(max_entries=32, ttl=3600, show_spinner=False)
def l1_minimum(_p: nc.Problem, key: tuple) -> float | None:
    """The minimum ℓ1 of a non-negative exact solution (None when there is none)."""
    x, _, _ = min_l1(_p.A, _p.b)
    return None if x is None else float(x.sum())


_GRID_TOKENS = itertools.count()


@st.cache_resource(max_entries=16, ttl=3600, show_spinner=False)
def alpha_grid(_p: nc.Problem, key: tuple, options: tuple) -> tuple[int, tuple]:
    """Every α of ALPHAS in one batched run (rows equal single runs), at most GRID_BUDGET
    seconds; histories slimmed. One object shared by the sessions (never modified), so a
    rerun that shows it copies nothing; with a token naming this computation (rows cut
    by the time budget differ from one computation to the next, so figures of them are
    shared under the token)."""
    opts = dict(options)
    return next(_GRID_TOKENS), tuple(
        slim(r) for r in sweep(_p.A, _p.b, alpha=ALPHAS, time_limit=GRID_BUDGET, **opts))


@st.cache_resource
def _store() -> tuple[OrderedDict, threading.Lock]:
    """Finished runs that can be reused by every session (complete runs only: a run cut
    by a time limit or Stop is not reproducible), bounded in bytes."""
    return OrderedDict(), threading.Lock()


def stored(key: tuple) -> nc.Result | None:
    if repr(key) in shipped():
        return shipped()[repr(key)]
    mine = st.session_state.setdefault("pg_runs", {})
    if key in mine:
        return mine[key]
    shared, lock = _store()
    with lock:
        if key in shared:
            shared.move_to_end(key)
            return shared[key]
    return None


def keep(key: tuple, r: nc.Result) -> None:
    if r.status in ("time_limit", "cancelled"):
        st.session_state["pg_runs"] = {key: r}  # this session only, the last one
        return
    share(_store(), key, r)


def share(store: tuple[OrderedDict, threading.Lock], key: tuple, r: nc.Result) -> None:
    """Keep a complete run for every session (called by the runs' own threads too, so it
    is handed the store instead of calling the cached function)."""
    if r.status in ("time_limit", "cancelled"):
        return
    shared, lock = store
    with lock:
        shared[key] = r
        while sum(v.history.nbytes for v in shared.values()) > STORE_BYTES and len(shared) > 1:
            shared.popitem(last=False)


def stop_job() -> None:
    """Stop button callback."""
    job = st.session_state.get("pg_job")
    if job is not None:
        job.stop.set()


def go(key: tuple) -> None:
    """Run button callback: run these settings although they are expensive."""
    st.session_state["pg_go"] = key


def forget(key: tuple) -> None:
    """Run-again button callback: drop this session's stopped run of these settings."""
    st.session_state.get("pg_runs", {}).pop(key, None)
    st.session_state["pg_go"] = key


def use_safe_step(eta: float) -> None:
    """'Use a safe step' callback."""
    st.session_state["step_kind"] = "fixed"
    st.session_state["eta"] = eta
    st.session_state["gamma"] = 0.0


def sync_accel() -> None:
    """Acceleration widget callback: its string into the URL setting ``accel``."""
    value = st.session_state["pg_accel"]
    st.session_state["accel"] = None if value == "none" else value
    if st.session_state["accel"] is not None and st.session_state["step_kind"] == "bb":
        st.session_state["step_kind"] = "auto"


def seconds(m: int, n: int, iters: int, rule: str) -> float:
    """Expected seconds of ``iters`` iterations of a run with step rule ``rule`` (a key
    of SECONDS_PER_ITER) on an m x n problem."""
    return iters * (SECONDS_PER_ITER[rule] + m * n * SECONDS_PER_ENTRY)


def round_down(x: float) -> float:
    """``x`` rounded down to two significant digits."""
    e = math.floor(math.log10(x)) - 1
    return math.floor(x / 10**e) * 10**e


# ------------------------------------------------------------------------------ widgets
state.init(FIELDS, "playground")
st.session_state["s"] = min(st.session_state["s"], st.session_state["n"])
if st.session_state["accel"] is not None and st.session_state["step_kind"] == "bb":
    st.session_state["step_kind"] = "auto"  # BB steps are for the plain method only
work_cap = max(10, int(MAX_WORK / (st.session_state["m"] * st.session_state["n"])))
capped = st.session_state["max_iter"] > work_cap
st.session_state["max_iter"] = min(st.session_state["max_iter"], work_cap)

head = st.container(horizontal=True, gap="small", vertical_alignment="center")
head.markdown("### NNLS Playground", help="Gradient descent on x = u^L from u₀ = α·1 solves "
              "min ½‖Ax − b‖² over x ≥ 0 without a constraint. Drag α under the chart: "
              "small α finds the sparse x_true, FISTA a dense fit.")
strip = st.columns([2.6, 1.1, 1.6, 1.7, 1.2], gap="small", vertical_alignment="bottom")
alpha = strip[0].select_slider(
    "initialization α (u₀ = α·1)", ALPHAS, key="alpha", format_func=lambda a: f"{a:.0e}",
    help="The scale of the start u₀ = α·1, so x₀ = α^L. Smaller α: stronger pull towards "
         "the sparsest (minimum-ℓ1) solution, and a longer flat start. Runs the full "
         "history; the slider under the chart scrubs α instantly.")
L = strip[1].number_input("exponent L", 1, 6, key="L",
                          help="x = u^L. L = 1 is plain gradient descent on x (nothing keeps "
                               "x ≥ 0); larger L: stronger sparsity, slower escape.")
# the widget works on strings ("none" for None: a selectbox reads None as "no choice")
st.session_state["pg_accel"] = state.encode(st.session_state["accel"])
accel_name = strip[3].selectbox("acceleration", [state.encode(a) for a in ACCELS],
                                format_func=lambda a: ACCELS[None if a == "none" else a],
                                key="pg_accel", on_change=sync_accel,
                                help="Nesterov: momentum on u with restarts. Accelerated mirror: "
                                "the paper's second-order flow, discretized.")
accel = st.session_state["accel"]
step_opts = list(STEPS) if accel is None else ["auto", "fixed"]
step_kind = strip[2].selectbox("step size", step_opts, format_func=STEPS.get, key="step_kind",
                               help="Barzilai-Borwein and backtracking adapt the step; a "
                                    "fixed η shows the plateau and the stability bound.")
eta = strip[4].number_input("fixed step η", 1e-6, 1e3, format="%.3g", key="eta",
                            disabled=step_kind != "fixed",
                            help="Used when the step size is 'fixed η'. Too large and the "
                                 "run diverges: the page then offers a safe step.")

bar = head
with bar.popover("Problem", icon=":material/dataset:",
                 help="The matrix A, the ground truth x_true and b = A x_true (+ noise)."):
    kind = st.selectbox("generator", GENERATORS, key="kind",
                        help="Sparse non-negative x_true with Gaussian A; a dense Gaussian "
                             "problem; correlated columns (harder); or your own A and b.")
    problem, key, spec = None, None, None
    if kind == "Upload A and b":
        fa = st.file_uploader("A (m × n), .csv or .npy", type=["csv", "npy"], key="up_A",
                              help="Comma-separated numbers or a NumPy .npy file "
                                   "(pickled files are refused), at most 20 MB.")
        fb = st.file_uploader("b (length m), .csv or .npy", type=["csv", "npy"], key="up_b",
                              help="One number per row, or a .npy vector.")
        if fa is not None and fb is not None:
            try:
                problem = upload_problem(fa.getvalue(), fa.name, fb.getvalue(), fb.name)
                key = ("upload", fa.file_id, fb.file_id)
                spec = {"generator": "upload", "A_file": fa.name, "b_file": fb.name}
            except ValueError as exc:
                st.error(f"Cannot use these files: {exc}")
    else:
        c1, c2 = st.columns(2)
        m = c1.number_input("rows m", 2, 2000, key="m", help="Number of equations.")
        n = c2.number_input("unknowns n", 2, 4000, key="n",
                            help="Number of unknowns; n > m is underdetermined (many exact "
                                 "fits, the implicit bias picks one).")
        sparse = kind != "Dense Gaussian"
        s = st.slider("sparsity s of x_true", 1, int(n), key="s", disabled=not sparse,
                      help="Number of non-zero entries of the ground truth.")
        noise = st.select_slider("noise (relative)", NOISES, key="noise", disabled=not sparse,
                                 help="Gaussian noise added to b, relative to ‖A x_true‖.")
        neg = st.select_slider("negative perturbation ‖d‖", PERTURBATIONS, key="neg",
                               disabled=not sparse,
                               help="x_true gets a small negative part d: the stable-recovery "
                                    "setting of the paper.")
        corr = st.slider("column correlation ρ", 0.0, 0.95, step=0.05, key="corr",
                         disabled=kind != "Correlated columns",
                         help="Correlation between the columns of A (Correlated columns only).")
        seed = st.number_input("random seed", 0, 10**6, key="seed",
                               help="Seed of the random generator: the same seed gives the "
                                    "same problem.")
        key = (kind, int(m), int(n), int(s), noise, neg, corr, int(seed))
        problem = make_problem(*key)
        spec = problem_spec(*key)
with bar.popover("Options", icon=":material/tune:",
                 help="Decay, the form of the update, the iteration and tolerance budget, "
                      "and the classical solvers to compare with."):
    gamma = st.slider("decay γ (η_k = η/(k+1)^γ)", 0.0, 1.0, step=0.05, key="gamma",
                      disabled=step_kind != "fixed",
                      help="Fixed steps only: a decaying step; γ = 0 keeps η constant.")
    form = st.radio("form", ["u", "x"], key="form", horizontal=True, disabled=accel is not None,
                    help="u: plain GD on u; x: the Riemannian form x ← x − η L² x^(2−2/L) ∇f.")
    c1, c2 = st.columns(2)
    max_iter = c1.number_input("max iterations", 10, 200_000, step=1000, key="max_iter",
                               help="The iteration budget (capped so that m·n·iterations "
                                    f"≤ {MAX_WORK:.0e}).")
    tol = c2.select_slider("tolerance (relative)", TOLS, key="tol",
                           format_func=lambda t: f"{t:.0e}", help=TOL_HELP)
    baselines = st.multiselect("compare with", list(BASELINES), key="baselines",
                               help="Classical NNLS solvers for the table and the rates tab; "
                                    "FISTA is always drawn on the first screen.")
    if capped:
        st.caption(f"Max iterations capped at {work_cap:,} for this size "
                   f"(m·n·iterations ≤ {MAX_WORK:.0e}).")
link = state.publish(FIELDS)
with bar.popover("Presets", icon=":material/bolt:", help="One-click settings, each with a story."):
    for name, values in PRESETS.items():
        st.button(name, key=f"playground:preset:{name}", on_click=state.apply_preset,
                  args=(values,), help=PRESET_HELP[name], width="stretch")
with bar.popover("Link", icon=":material/link:", help="A link to these exact settings."):
    st.caption("This link reopens the page with the same settings and figures:")
    st.code(link or "(the link appears once the page has loaded in a browser)",
            language=None, wrap_lines=True)
status_slot = bar.empty()

if problem is None:
    st.info("Upload both A and b under **Problem** (comma-separated numbers or a NumPy "
            ".npy file; pickled files are refused).")
    st.stop()

# ------------------------------------------------------------------------------ compute
m_, n_ = problem.shape
small = m_ * n_ <= EXACT_ENTRIES
norm = norm_of(problem, key)
lh = run(problem, key, "lawson_hanson", ()) if small else None
x_scale = (float(lh.x.max()) if lh is not None else
           float(np.abs(problem.A.T @ problem.b).max()) / max(norm**2, 1e-300))
safe = nc.safe_step(norm, L, max(x_scale, 1e-12))

options = options_of(L, alpha, max_iter, tol, accel, form, step_kind, eta, gamma)
try:  # the library's options type is the one place where options are checked
    nc.HadamardOptions(**options)
except ValueError as exc:
    st.error(f"Cannot run with these settings: {exc}", icon=":material/error:")
    st.stop()
run_key = (key, tuple(sorted(options.items())))
expected = seconds(m_, n_, int(max_iter), "accel" if accel else step_kind)
run_budget = LARGE_BUDGET if m_ * n_ > LARGE_ENTRIES else RUN_BUDGET

res = stored(run_key)
chart_slot = st.empty()
if res is None:
    job = st.session_state.get("pg_job")
    if job is not None and job.key != run_key:  # the settings changed: drop the old run
        job.stop.set()
        job = None
    fresh = job is None
    if job is None:
        if expected > AUTO_SECONDS and st.session_state.get("pg_go") != run_key:
            with chart_slot.container(border=True):
                st.markdown(
                    f"**This run may take up to {min(expected, run_budget):.0f} s** "
                    f"({int(max_iter):,} iterations on a {m_:,} × {n_:,} matrix, about "
                    f"{expected:.0f} s if it uses them all; it stops at the time budget of "
                    f"{run_budget:g} s). It streams its progress and can be stopped.")
                st.button("Run", icon=":material/play_arrow:", type="primary", on_click=go,
                          args=(run_key,), key="pg_run",
                          help="Start the run; the loss and x are drawn while it runs.")
            st.stop()
        budget = SAFETY_BUDGET if expected <= AUTO_SECONDS else run_budget
        job = job_for(run_key, problem, options, budget,
                      done=functools.partial(share, _store(), run_key))
        st.session_state["pg_job"] = job
    job_budget = job.budget
    job.thread.join(1.0 if fresh else 0.0)  # quick runs show no progress at all
    if job.thread.is_alive():
        status_slot.button("Stop", icon=":material/stop:", on_click=stop_job, key="pg_stop",
                           help="End the run now (status 'cancelled'), also for anyone "
                                "else watching a run of the same settings.")
        f_ref = lh.objective if lh is not None else 0.0
        for tick in itertools.count():
            if not job.thread.is_alive():
                break
            fig = job.live(lambda: F.live_figure(
                list(job.ks), list(job.objectives), np.array(job.x), problem.x_true, f_ref,
                title=f"running: iteration {job.k:,} of at most {int(max_iter):,}, "
                      f"{job.elapsed:.1f} s (time budget {job_budget:g} s)"))
            if fig is not None:
                with chart_slot:  # a key per draw: a run that made no progress between
                    # two draws (a busy server) would otherwise repeat the chart's id
                    plot(fig, key=f"pg_live_{tick}")
            job.thread.join(0.3)
    st.session_state.pop("pg_job", None)
    if job.error is not None:
        st.error(f"The run failed: {job.error}", icon=":material/error:")
        st.stop()
    res = job.result
    keep(run_key, res)

fista = run(problem, key, "fista", ())
others = {name: (fista if name == "FISTA" else run(problem, key, BASELINES[name], ()))
          for name in baselines if small or name == "FISTA"}
f_star = (lh.objective if lh is not None else
          min([res.objective, fista.objective] + [r.objective for r in others.values()]))
l1_ref = l1_minimum(problem, key) if small and m_ < n_ else None
active = ALPHAS.index(alpha)
label = f"L={L}, α={alpha:.0e}, {STEPS[step_kind] if step_kind != 'fixed' else f'η={eta:.3g}'}"
ghost = None
prev, cur = st.session_state.get("pg_prev"), st.session_state.get("pg_cur")
if cur is None or cur[0] != run_key:
    if cur is not None:
        st.session_state["pg_prev"] = prev = cur
    st.session_state["pg_cur"] = (run_key, label, slim(res))
if prev is not None and prev[0][0] == key and prev[0] != run_key:
    ghost = (prev[1], prev[2])



def draw(runs: list[nc.Result], alphas: list[float], j: int, key: str = "fig_scrub",
         token: object = None) -> None:
    """The first screen's figure into its slot; shared by every session that shows the
    same runs: finished ones, or the α grid computation named by ``token`` (a main run
    cut by a time limit or Stop is this session's own)."""
    mine = [res] + ([ghost[1]] if ghost is not None else [])
    unfinished = any(r.status in ("time_limit", "cancelled") for r in mine)
    fig_key = None if unfinished else (
        run_key, tuple(alphas), tuple(sorted(baselines)),
        None if ghost is None else (prev[0], ghost[0]), token)
    with chart_slot:
        plot(shared_figure("scrub", fig_key, lambda: F.scrub_figure(
            alphas, runs, problem.x_true, f_star, active=j, classical=("FISTA", fista),
            ghost=ghost, l1_min=l1_ref)), key=key)


# the α scrubber: every α of the slider in one batched run (cached), the selected α
# being the main run; drawn first without it, so the main result shows at once
if small:
    grid_key = (key, grid_options(options))
    recent = st.session_state.setdefault("pg_grids", {})  # the grids of the last settings
    if grid_key not in recent:
        if repr(grid_key) in shipped():
            recent[grid_key] = ("shipped", shipped()[repr(grid_key)])
        else:
            draw([slim(res)], [alpha], 0, key="fig_scrub_first")
            with st.spinner("Running every α of the slider in one batch…"):
                recent[grid_key] = alpha_grid(problem, key, grid_key[1])
        while len(recent) > RECENT_GRIDS:
            recent.pop(next(iter(recent)))
    token, rows = recent[grid_key]
    grid = list(rows)
    grid[active] = slim(res)
    draw(grid, ALPHAS, active, token=token)
else:
    draw([slim(res)], [alpha], 0)
    st.caption(f"The α scrubber runs for problems up to {EXACT_ENTRIES:,} entries of A.")

badge = BADGES.get(res.status, "gray")
status_slot.markdown(
    f":{badge}-badge[{res.status} after {res.n_iter:,} iterations, {1e3 * res.time_s:.0f} ms]",
    help=res.message)
if res.status in ("time_limit", "cancelled"):
    st.button("Run again", key="pg_again", on_click=forget, args=(run_key,),
              help="Run these settings again from the start.")

# ------------------------------------------------------------------------------ messages
eta_safe = round_down(safe)
if res.status == "diverged":
    with st.container(border=True):
        k = res.n_iter
        if "objective grew" in res.message:
            what = (f"The loss grew instead of shrinking: from {res.history.objective[0]:.3g} "
                    f"to {res.history.objective[-1]:.3g} in {k} iterations (red on the chart, "
                    "up to the last finite value), when the run was stopped.")
        elif "crossed zero" in res.message:
            what = (f"At iteration {k + 1} the step pushed u across zero. With an even L, "
                    f"x = u^{L} stays ≥ 0, so no constraint is broken, but the gradient flow "
                    "never lets u change sign: the step jumped over the boundary x = 0 instead "
                    "of approaching it, and the iterates no longer follow the flow. The run "
                    "was stopped there; the red marks are its last finite iterate.")
        else:
            what = (f"At iteration {k + 1} u became negative, so x = u^{L} (an odd power) "
                    "would be negative: the run left the constraint x ≥ 0 that the "
                    "reparametrization is meant to keep. The red marks are its last finite "
                    "iterate.")
        bound = 2 * safe
        st.markdown(
            f":red[**The run diverged.**] {what}\n\n"
            f"**Why:** a fixed step is stable when η ≤ 2 / (L² max(x)^(2−2/L) ‖A‖₂²) ≈ "
            f"{bound:.3g} here (max(x) from the solution). Each step multiplies the error "
            "along the steepest direction by (1 − η × curvature); above the bound that "
            f"factor is below −1, so the error grows. You chose η = {eta:.3g}, "
            f"{eta / bound:.0f}× the bound.")
        st.button(f"Use a safe step (η = {eta_safe:.2g})", icon=":material/healing:",
                  on_click=use_safe_step, args=(eta_safe,), key="pg_safe", type="primary",
                  help="Half the stability bound, from nnls_core.references.safe_step.")
elif not res.success:
    advice = ADVICE.get(res.status, "")
    if res.status == "max_iter":  # suggest only what this run does not use already
        other = [name for name, unused in (("Barzilai-Borwein steps", step_kind != "bb"),
                                           ("acceleration", accel is None)) if unused]
        advice += (", or try " + " or ".join(other) if other else "") + "."
    said = res.message.removeprefix("not converged: ")  # the title says it already
    st.warning(f"**Not converged** ({res.status}): {said}. {advice} The charts "
               "and the table show the last iterate.", icon=":material/warning:")
if step_kind == "fixed" and accel is None and res.status != "diverged":
    obj = res.history.objective
    ups = int(np.sum(np.diff(obj) > 1e-12 * np.abs(obj[1:]))) if len(obj) > 2 else 0
    if ups > max(3, 0.01 * len(obj)):
        st.info(f"**Oscillating:** the loss went up at {ups:,} of {len(obj) - 1:,} logged "
                "iterations. The step is near its stability limit: the iterates overshoot "
                "and come back.", icon=":material/waves:")
    if eta > 2 * safe:
        st.caption(f"η = {eta:.3g} is above the guaranteed-stable bound {2 * safe:.3g}, yet "
                   "this run did not diverge: the bound is sufficient, not necessary (it "
                   "uses the largest entry of the solution, which the iterates reach late).")

# ------------------------------------------------------------------------------ the rest
st.caption("**What to notice:** drag α under the chart. Small α: the blue dots land on "
           "x_true's circles (sparse, small ℓ1) while FISTA's diamonds spread out; the loss "
           "stays flat longer before it drops. Grey: your previous setting.")
tabs = st.tabs(["Trajectories", "Rates", "ℓ1 and optimality", "Table", "Problem", "Export"])
x_true = problem.x_true
# a run cut by a time limit or Stop is this session's own: its figures are not shared
fig_key = (None if res.status in ("time_limit", "cancelled")
           else (run_key, tuple(sorted(baselines))))
iterative = {f"Hadamard {label}": res} | {k: v for k, v in others.items()
                                          if BASELINES[k] not in ("lawson_hanson", "lstsq")}
with tabs[0]:
    st.caption("**What to notice:** press ▶ Play: with small α the support coordinates "
               "(blue) leave their tiny start one after the other while the others (orange) "
               "stay near α^L.")
    plot(shared_figure("trajectories", fig_key, lambda: F.trajectories_figure(res, x_true)),
         key="fig_traj")
with tabs[1]:
    st.caption("**What to notice:** the gap to the optimum f* on log-log axes against the "
               "reference slopes 1/k and 1/k² (and k^(γ−1) with decay).")
    plot(shared_figure("objective", fig_key, lambda: F.objective_figure(
        iterative, f_star, gamma=gamma if step_kind == "fixed" and gamma else None,
        anchor=f"Hadamard {label}")), key="fig_objective")
with tabs[2]:
    st.caption(f"**What to notice:** ‖x_k‖₁ approaches the minimum-ℓ1 value (dashed) as "
               f"α → 0. Right: the stopping test's residual, down to the tolerance {tol:.0e}.")
    refs = {"min ℓ1 (LP)": l1_ref} if l1_ref is not None else {}
    if lh is not None:
        refs["Lawson-Hanson ℓ1"] = float(lh.x.sum())
    if x_true is not None:
        refs["ℓ1(x_true)"] = float(x_true.sum())
    plot(shared_figure("l1_kkt", fig_key, lambda: F.l1_kkt_figure(iterative, refs, tol=tol)),
         key="fig_l1")
with tabs[3]:
    st.caption("All methods side by side. Support F1 compares the entries above "
               "1e-3·max|x| with the support of x_true.")
    table = {f"Hadamard {label}": res} | ({"Lawson-Hanson": lh} if lh is not None else {}) \
        | others
    if "FISTA" not in table:
        table["FISTA"] = fista
    st.dataframe(pd.DataFrame(compare(table, x_true)), hide_index=True,
                 column_config={c: st.column_config.NumberColumn(format="%.3e")
                                for c in ("objective", "rnorm", "||x - x_true||", "min x")})
with tabs[4]:
    cond = cond_of(problem, key) if small else None
    st.markdown(
        f"{problem.name}: **A** {m_} × {n_} · **‖A‖₂** {norm:.3g} · **cond(A)** "
        + (f"{cond:.3g}" if cond is not None else "not computed (a full SVD of a large A)")
        + f" · **safe fixed η** {safe:.3g}",
        help="Safe fixed η = 1/(L² max(x*)^(2−2/L) ‖A‖₂²), half the stability bound "
             "(nnls_core.references.safe_step), with x* from Lawson-Hanson (or an estimate "
             "for large A).")
    if cond is None and st.button("Compute cond(A)", key="pg_cond",
                                  help="A full SVD of A: seconds for large matrices."):
        st.write(f"cond(A) = {cond_of(problem, key):.3g}")
    st.caption("x_true is the ground truth used to make b "
               "(none for dense Gaussian or uploaded data).")
    if x_true is not None:
        plot(shared_figure("x_true", (key,), lambda: F.stem_figure(
            {}, x_true, title="Ground truth x_true")), key="fig_xtrue")
with tabs[5]:
    st.caption("Take the run with you: its iteration log, the problem, and standalone "
               "figures (interactive HTML that opens offline in any browser).")
    c1, c2, c3 = st.columns(3)
    c1.download_button("Run history (.csv)", res.history.to_csv, "nnls_history.csv",
                       "text/csv", icon=":material/table_view:", on_click="ignore")
    c2.download_button("Problem A, b, x_true (.npz)", problem.to_npz, "nnls_problem.npz",
                       "application/octet-stream", icon=":material/data_object:",
                       on_click="ignore")
    vectors = {f"Hadamard {label}": res.x, "FISTA": fista.x}
    figures = {
        "objective": lambda: F.objective_figure(iterative, f_star, anchor=f"Hadamard {label}"),
        "trajectories": lambda: F.trajectories_figure(res, x_true),
        "solution": lambda: F.stem_figure(vectors, x_true),
    }
    which = c3.selectbox("figure", list(figures), key="export_figure",
                         label_visibility="collapsed", help="Which figure to download.")
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

# last, once the page is drawn: the neighbouring α of the slider computed on idle
# workers, so that the next notch is ready
if small and expected <= AUTO_SECONDS:
    for j in (active - 1, active + 1):
        if 0 <= j < len(ALPHAS):
            near = options | {"alpha": ALPHAS[j]}
            near_key = (key, tuple(sorted(near.items())))
            if stored(near_key) is None:
                prefetch(near_key, problem, near, SAFETY_BUDGET,
                         functools.partial(share, _store(), near_key))
