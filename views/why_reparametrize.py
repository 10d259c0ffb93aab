"""Learn: why x = u^L removes the constraint, seen on a problem with two unknowns."""

import numpy as np
import streamlit as st

import nnls_core as nc
from nnls_core import teaching as T
from ui import figures_learn as F
from ui import state
from ui.common import citation, plot, shared_figure
from ui.state import Field

# multiselect options are strings so that they round-trip through the URL as they are;
# keys are page-specific: Streamlit's session state is shared by all pages of the app
L_OPTIONS = ("2", "3")
ALPHA_OPTIONS = ("0.1", "0.3", "0.6", "1.0", "1.2")
ETAS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5)
FIELDS = {
    "wr_Ls": Field(["2", "3"], choices=L_OPTIONS),
    "wr_alphas": Field(["0.3", "1.0"], choices=ALPHA_OPTIONS),
    "wr_eta": Field(0.05, choices=ETAS), "wr_n_iter": Field(300, lo=20, hi=600),
    "wr_pg": Field(True), "wr_L_u": Field(2, choices=(2, 3)),
}
DEFAULTS = {k: f.default for k, f in FIELDS.items()}
PRESETS = {
    "L = 2": DEFAULTS | {"wr_Ls": ["2"], "wr_L_u": 2},
    "L = 3": DEFAULTS | {"wr_Ls": ["3"], "wr_L_u": 3},
    "Small α": DEFAULTS | {"wr_alphas": ["0.1"]},
    "Large α": DEFAULTS | {"wr_alphas": ["1.0", "1.2"]},
    "Step too large": DEFAULTS | {"wr_eta": 0.5},
}

st.title("Why reparametrize")
st.markdown(
    "Write $x = u^{L}$ (element-wise) and run plain gradient descent on $u$: the iterates "
    "never leave $x \\ge 0$, and no projection is needed."
)
state.init(FIELDS, "why_reparametrize")
A, b = T.nnls_2d_example()
x_ls = np.linalg.solve(A, b)
x_star = T.nnls_2d_exact(A, b)

fig_col, ctl_col = st.columns([3, 1], gap="small")
with ctl_col:
    Ls = [int(v) for v in st.multiselect(
        "Exponents L", L_OPTIONS, key="wr_Ls",
        help="x = u^L element-wise: one path per exponent (solid L = 2, dotted L = 3).")]
    alphas = [float(v) for v in st.multiselect(
        "Initial scales α", ALPHA_OPTIONS, key="wr_alphas",
        help="Every run starts from u₀ = α·(1, 1), that is x₀ = α^L·(1, 1).")]
    eta = st.select_slider("Step η", options=ETAS, key="wr_eta",
                           help="The fixed step of gradient descent on u.")
    n_iter = st.slider("Iterations", 20, 600, step=20, key="wr_n_iter",
                       help="How many steps every run takes (the slider above the figure "
                            "replays them).")
    show_pg = st.toggle("Projected gradient", key="wr_pg",
                        help="Add projected gradient (step 1/‖A‖², then max(x, 0)) for "
                             "contrast: it reaches the boundary by clipping.")
    if not Ls:
        Ls = [2]
        st.info("No exponent chosen: showing L = 2.")
    if not alphas:
        alphas = [0.3]
        st.info("No α chosen: showing α = 0.3.")
    if st.session_state["wr_L_u"] not in Ls:  # the choices follow the exponents picked above
        st.session_state["wr_L_u"] = Ls[0]
    L_u = st.radio("u-space panel", Ls, horizontal=True, format_func=lambda v: f"L = {v}",
                   key="wr_L_u", help="Which exponent the right panel pulls back to u.")
    st.caption("x₀ = α^L: " + "; ".join(
        f"L = {L}: " + ", ".join(f"{a ** L:.3g}" for a in sorted(alphas)) for L in sorted(Ls)))
link = state.publish(FIELDS)


@st.cache_data(max_entries=64)
def _run(method: str, L: int, alpha: float, step: float, iters: int):
    if method == "hadamard":
        r = nc.solve(A, b, method="hadamard", L=L, alpha=alpha, step=step, form="u",
                     max_iter=iters, tol=1e-12)
    else:
        r = nc.solve(A, b, method="projected_gradient", max_iter=iters, tol=1e-12)
    X = np.asarray(r.history.x, dtype=float)
    return X, r.status, r.message, float(r.objective)


runs, factors, problems = [], [], []
color = iter(F.COLORS * 3)
for L in sorted(Ls):
    for alpha in sorted(alphas):
        X, status, message, obj = _run("hadamard", L, alpha, eta, n_iter)
        label = f"L={L}, α={alpha}"
        col = next(color)
        # cut the path at the first iterate that broke (NaN, blew up, or x < 0)
        bad = ~np.all(np.isfinite(X) & (np.abs(X) < 1e3) & (X > -1e-12), axis=1)
        if status == "diverged" or bad.any():
            k = int(np.argmax(bad)) if bad.any() else X.shape[0]
            problems.append(f"{label} broke at iteration {k}")
            X = X[:k]
        if X.shape[0] == 0:
            continue
        run = dict(label=label, X=X, color=col, dash="solid" if L == 2 else "dot")
        if L == L_u:
            run["U"] = np.abs(X) ** (1.0 / L) * np.sign(X)
        runs.append(run)
        factors.append(dict(label=label, color=col,
                            factor=eta * T.riemannian_factor(X[:, 1], L)))
pg_step = 1.0 / nc.spectral_norm(A) ** 2
if show_pg:
    X, *_ = _run("projected_gradient", 1, 0.0, 0.0, n_iter)
    X = X[np.all(np.isfinite(X) & (np.abs(X) < 1e3), axis=1)]
    runs.append(dict(label="projected gradient", X=X, color=F.PG_COLOR, dash="dash"))
# fine grids: the objective is drawn as a picture behind the paths
x1 = np.linspace(-0.5, 1.8, 321)
x2 = np.linspace(-0.8, 1.5, 321)
u_lim = 1.35
ua = np.linspace(-u_lim, u_lim, 321)


with fig_col:
    # built once per setting for every session (A, b are fixed)
    plot(shared_figure("paths", (tuple(sorted(Ls)), tuple(sorted(alphas)), eta, n_iter,
                                 show_pg, L_u), lambda: F.nnls_paths_figure(
        (x1, x2), T.objective_grid(A, b, x1, x2), (ua, ua), T.pullback_grid(A, b, ua, ua, L_u),
        L_u, x_ls, x_star, runs)), key="paths")
    st.caption(
        "**What to notice:** press ▶ Play: every reparametrized path stays inside the "
        "quadrant and slides onto the axis x₂ = 0 with no projection."
    )
if problems:
    st.warning(
        "**Step too large for some runs**: they left the stable region "
        "(roughly η L² max xᵢ^(2−2/L) ‖A‖² < 2) and are drawn up to where they broke: "
        + "; ".join(problems) + ". Choose a smaller step η.",
        icon=":material/warning:",
    )
state.presets_and_link(PRESETS, link, key="why_reparametrize")
with st.expander("How to read this figure, and the formulas"):
    st.markdown(
        "Play replays the iterations, computed once and animated in your browser; the "
        "slider picks an iteration. **Left**, x-space: the grey region (x₁ < 0 or x₂ < 0) "
        "is forbidden; the open circle is where f is smallest without the constraint, the "
        "star the NNLS solution on the boundary. Every reparametrized path (solid L = 2, "
        "dotted L = 3) stays inside the quadrant and bends onto the axis x₂ = 0 without a "
        "projection; projected gradient (red dashed) reaches the boundary by clipping. "
        f"**Right**, the runs with L = {L_u} in u-space, where g(u) = f(u^{L_u}) has no "
        "constraint at all and the solution (star) is an ordinary minimum"
        + (", mirrored by the symmetry u ↦ −u." if L_u % 2 == 0 else
           ". For odd L, u < 0 means x < 0: g's lowest point (open circle) is the "
           "unconstrained minimizer, yet descent from u₀ = α·1 stops at u₂ = 0, because "
           "the factor L u^(L−1) in ∇g vanishes there; even L gives the cleaner picture.")
    )
    st.latex(r"\min_{x \ge 0}\; f(x) = \tfrac12\|Ax - b\|^2, \quad "
             r"A = \begin{pmatrix} 1 & 0.5 \\ 0.3 & 1 \end{pmatrix},\quad "
             r"b = \begin{pmatrix} %.2f \\ %.2f \end{pmatrix}" % tuple(b))
    st.latex(r"x = u^{L}:\quad \min_{u \in \mathbb R^2}\; g(u) = f(u^{L}), \quad "
             r"\nabla g(u) = L\,u^{L-1} \odot A^{\top}(A u^{L} - b)")
    st.latex(r"u_{k+1} = u_k - \eta\,\nabla g(u_k) \;\Longrightarrow\; "
             r"x_{k+1} \approx x_k - \eta\,L^2 x_k^{\,2 - 2/L} \odot \nabla f(x_k)")
    st.markdown(
        f"The unconstrained minimizer $A^{{-1}}b = ({x_ls[0]:.2f}, {x_ls[1]:.2f})$ has a "
        f"negative coordinate, so the NNLS solution $x^* = ({x_star[0]:.3f}, "
        f"{x_star[1]:.0f})$ sits on the boundary $x_2 = 0$, where the gradient is not zero "
        f"($\\partial f/\\partial x_2 = {T.nnls_grad(A, b, x_star)[1]:.3f} > 0$)."
    )

st.subheader("The step shrinks near the boundary")
left, right = st.columns([3, 2])
with left:
    plot(F.step_factor_figure(factors, pg_step if show_pg else None), key="factor")
    st.caption("**What to notice:** the effective step on x₂ falls by decades as x₂ "
               "approaches 0, so the iterate slows down instead of crossing the boundary.")
with right:
    st.latex(r"x_{k+1,i} - x_{k,i} \approx -\,\underbrace{\eta\,L^2\,x_{k,i}^{\,2-2/L}}"
             r"_{\text{effective step}}\;\partial_i f(x_k)")
    with st.expander("Why"):
        st.markdown(
            "Gradient descent on $u$ is, to first order, a *Riemannian* gradient step in $x$ "
            "whose step on coordinate $i$ is proportional to $x_i^{2-2/L}$. As $x_2$ "
            "approaches the boundary its step goes to zero, so the iterate slows down and "
            "never crosses $x_2 = 0$, while $x_1$ keeps moving. Projected gradient uses the "
            "same step everywhere and needs the projection max(x, 0) instead."
        )
citation()
