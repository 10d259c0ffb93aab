"""Home page: what the dashboard is for, a guided tour, and the paper it is built on."""

import streamlit as st

from ui.common import citation

st.title("Non-negative least squares by reparametrization")
st.markdown(
    r"""
Solve $\min_{x \ge 0} \tfrac12\|Ax-b\|^2$ **without a constraint**: write
$x = u^{L}$ (element-wise) and run plain gradient descent on $u$. Started from a small
$u_0 = \alpha\mathbf 1$, the iterates stay non-negative, converge to an NNLS solution and,
on underdetermined sparse problems, pick the one of smallest $\ell_1$ norm.
"""
)

st.subheader("A guided tour")
TOUR = [
    ("views/gd_basics.py", "1. Why step against the gradient?",
     "The first-order Taylor expansion and a sigmoid neuron: the best direction is at 180° "
     "to the gradient, and too large a step overshoots."),
    ("views/why_reparametrize.py", "2. Why does x = u^L remove the constraint?",
     "In two dimensions: the feasible quadrant in x, no constraint at all in u, and the "
     "step that shrinks near the boundary."),
    ("views/playground.py", "3. Play with a real problem",
     "Build a sparse problem, tune α, L, the step, decay and acceleration; watch the plateau, "
     "the drop, and which coordinates survive. Compare with Lawson-Hanson and FISTA."),
    ("views/implicit_bias.py", "4. The implicit bias, measured",
     "Sweep α and L: the ℓ1 norm of the limit falls onto the minimum-ℓ1 value of a linear "
     "program as α shrinks (the paper's experiment E1)."),
    ("views/recovery.py", "5. When is the sparse truth recovered?",
     "Phase transitions over m/n and s/m for Hadamard GD, Lawson-Hanson and ℓ1-min, and "
     "stability under negative perturbations."),
    ("views/rates.py", "6. How fast?",
     "Step-size decay slows the rate (E3); Nesterov and accelerated mirror descent follow "
     "the O(1/t²) ODE (E4)."),
    ("views/nmf.py", "7. Beyond NNLS: matrix factorization",
     "The Matrix-Cookbook derivation of projected gradient for NMF, corrected and checked "
     "live, against Lee-Seung's multiplicative rules and the Hadamard trick."),
]
for path, label, text in TOUR:
    with st.container(border=True):
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
