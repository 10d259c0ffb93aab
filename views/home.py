"""Home page: what the dashboard is for, and the paper it is built on."""

import streamlit as st

from ui.common import citation

st.title("Non-negative least squares by reparametrization")
st.markdown(
    r"""
Solve $\min_{x \ge 0} \tfrac12\|Ax-b\|^2$ **without a constraint**: write
$x = u^{L}$ (element-wise) and run plain gradient descent on $u$. Started from a small
$u_0 = \alpha\mathbf 1$, the iterates stay non-negative, converge to an NNLS solution and,
on underdetermined sparse problems, pick the one of smallest $\ell_1$ norm.

This dashboard lets you build problems, tune the initialization scale $\alpha$, the
exponent $L$, the step size, its decay and acceleration, and compare with classical NNLS
solvers. Every number comes from the `nnls_core` library, which you can also use alone.
"""
)
citation()
