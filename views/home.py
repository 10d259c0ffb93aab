"""Home page: the key picture first (the implicit l1 bias on a small sparse problem), then a
guided tour and the paper it is built on."""

import numpy as np
import streamlit as st

import nnls_core as nc
from ui import figures_learn as F
from ui.common import citation, plot

# the demo problem: 15 measurements, 50 unknowns, 3 of them non-zero (an underdetermined
# problem with many non-negative solutions)
M, N, S, PROBLEM_SEED = 15, 50, 3, 1
ALPHA, L = 1e-2, 2


@st.cache_data(max_entries=1)
def _demo():
    p = nc.sparse_problem(M, N, S, seed=PROBLEM_SEED)
    r = nc.solve(p.A, p.b, method="hadamard", L=L, alpha=ALPHA, accel="nesterov")
    f = nc.solve(p.A, p.b, method="fista")
    x_l1, lp_status, _ = nc.references.min_l1(p.A, p.b)
    return p.x_true, (r.x, r.status, r.n_iter), (f.x, f.status, f.n_iter), x_l1, lp_status


def _label(name: str, x: np.ndarray, status: str, n_iter: int) -> str:
    done = f"converged in {n_iter} it." if status == "converged" else f"NOT converged ({status})"
    return f"{name}: ‖x‖₁ = {np.abs(x).sum():.2f}, {done}"


st.title("Non-negative least squares by reparametrization")
st.markdown(
    r"Solve $\min_{x \ge 0} \tfrac12\|Ax-b\|^2$ **without a constraint**: write $x = u^{L}$ "
    r"and run plain gradient descent on $u$ from a small $u_0 = \alpha\mathbf 1$."
)
x_true, (x_h, st_h, it_h), (x_f, st_f, it_f), x_l1, lp_status = _demo()
left, right = st.columns([3, 1], gap="medium")
with left:
    plot(F.sparse_solutions_figure(x_true, [
        (_label(f"reparametrized GD (L = {L}, α = {ALPHA:g})", x_h, st_h, it_h), x_h),
        (_label("FISTA (projected, accelerated)", x_f, st_f, it_f), x_f),
    ]), key="home_solutions")
with right:
    st.markdown(
        f"**What to notice:** both runs fit the data of a random {M} × {N} problem; "
        "the reparametrized run switches on the same few coordinates as the ground truth, "
        "FISTA spreads over many."
    )
    if x_l1 is not None:
        st.caption(
            f"The sparsest non-negative fit (minimum ‖x‖₁, a linear program) has "
            f"‖x‖₁ = {np.abs(x_l1).sum():.2f}: the smaller α, the closer the reparametrized "
            "limit gets to it (the paper's implicit bias)."
        )
    else:
        st.caption(f"The minimum-‖x‖₁ linear program did not solve ({lp_status}).")
    st.page_link("views/playground.py", label="Try it: the Playground",
                 icon=":material/arrow_forward:")

st.subheader("A guided tour")
TOUR = [
    ("views/gd_basics.py", "1. Why step against the gradient?",
     "Taylor's formula and a sigmoid neuron: the best direction is at 180° to the gradient."),
    ("views/why_reparametrize.py", "2. Why does x = u^L remove the constraint?",
     "In two dimensions: the path stays in the quadrant, and the step shrinks at the "
     "boundary."),
    ("views/playground.py", "3. Play with a real problem",
     "Tune α, L, the step and acceleration; watch the plateau, the drop, and which "
     "coordinates survive."),
    ("views/tune.py", "4. Tune before you code",
     "One grid over α, L and the step mode: iterations against the sparsity bought."),
    ("views/implicit_bias.py", "5. The implicit bias, measured",
     "As α shrinks, the ℓ1 norm of the limit falls onto the minimum-ℓ1 value (the paper's E1)."),
    ("views/recovery.py", "6. When is the sparse truth recovered?",
     "Phase transitions over m/n and s/m, and stability under negative perturbations."),
    ("views/rates.py", "7. How fast?",
     "Step-size decay slows the rate; Nesterov and accelerated mirror descent follow O(1/t²)."),
    ("views/nmf.py", "8. Beyond NNLS: matrix factorization",
     "Projected gradient for NMF, derived and checked live, against Lee-Seung's rules and "
     "the Hadamard trick."),
]
cols = st.columns(2)
for i, (path, label, text) in enumerate(TOUR):
    with cols[i % 2].container(border=True):
        st.page_link(path, label=label, icon=":material/arrow_forward:")
        st.caption(text)

with st.expander("What to look for (a teacher's cheat sheet)"):
    st.markdown(
        r"""
- **Plateau, then drop.** From $u_0=\alpha$ the gradient $L u^{L-1}\odot\nabla f$ is tiny;
  the smaller $\alpha$, the longer the loss stays flat before it falls.
- **Implicit $\ell_1$ bias.** As $\alpha\to 0$ the limit approaches the minimum-$\ell_1$
  non-negative solution of $Ax=b$ (a linear program), so sparse ground truths are recovered
  where projected gradient and FISTA find other, denser solutions.
- **Stability.** The safe step is about $\eta < 2 / (L^2 \max_i x_i^{2-2/L}\|A\|_2^2)$;
  beyond it $u$ changes sign and the run is stopped and reported.
- **Rates.** The flow converges as $O(1/t)$, the accelerated ODE as $O(1/t^2)$; step-size
  decay $\eta_k=\eta/(k+1)^\gamma$ gives $O(1/k^{\gamma})$-type rates.
"""
    )

st.caption(
    "Every number comes from the `nnls_core` library, which you can also use alone: "
    "`import nnls_core as nc; nc.solve(A, b, method='hadamard', alpha=1e-3)`."
)
citation()
