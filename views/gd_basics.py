"""Learn: gradient descent from the first-order Taylor expansion, on a sigmoid neuron."""

import numpy as np
import streamlit as st

from nnls_core import teaching as T
from ui import figures_learn as F
from ui import state
from ui.common import Frozen, citation, plot
from ui.state import Field

TAYLOR_ETAS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0)
ETAS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 15.0)
# keys are page-specific: Streamlit's session state is shared by all pages of the app
FIELDS = {
    "gd_beta": Field(135, lo=0, hi=360), "gd_eta_taylor": Field(0.5, choices=TAYLOR_ETAS),
    "gd_w0": Field(4.0, lo=-4.0, hi=6.0), "gd_b0": Field(2.0, lo=-8.0, hi=4.0),
    "gd_eta": Field(1.0, choices=ETAS), "gd_epochs": Field(200, lo=10, hi=500),
}
DEFAULTS = {k: f.default for k, f in FIELDS.items()}
PRESETS = {
    "Default": DEFAULTS,
    "Steepest (180°)": DEFAULTS | {"gd_beta": 180},
    "Orthogonal (90°)": DEFAULTS | {"gd_beta": 90},
    "Big step (η = 4)": DEFAULTS | {"gd_beta": 180, "gd_eta_taylor": 4.0},
    "Too large η": DEFAULTS | {"gd_eta": 15.0},
}

st.title("Gradient descent basics")
state.init(FIELDS, "gd_basics")

# ------------------------------------------------------------------ 1. Taylor
st.subheader("1. Why step against the gradient? Taylor's formula says so")
THETA = (2.0, -2.0)
c1, c2 = st.columns(2)
beta = c1.slider("Angle β between u and the gradient (degrees)", 0, 360, step=5,
                 key="gd_beta", help="Turn the unit direction u: at β = 180° it points "
                                     "exactly against the gradient.")
eta_t = c2.select_slider("Step length η along u", options=TAYLOR_ETAS, key="gd_eta_taylor",
                         help="How far to move along u. Taylor's straight-line prediction "
                              "is good for small η only.")
d = T.taylor_direction(*THETA, eta_t, beta)


@st.cache_resource(max_entries=64, show_spinner=False)
def _taylor_figures(beta: int, eta_t: float, _d: dict) -> tuple[Frozen, Frozen]:
    """Section 1's two figures, built once per setting for every session (``_d``: the
    page's :func:`taylor_direction` of these settings)."""
    d = _d
    betas, pred, act = T.taylor_sweep(*THETA, eta_t)
    wa, ba, Z = T.loss_grid((THETA[0] - 2.5, THETA[0] + 2.5), (THETA[1] - 2.5, THETA[1] + 2.5),
                            n=61)
    return (Frozen(F.direction_figure(wa, ba, Z, d["theta"], d["grad"], d["u"], 1.4)),
            Frozen(F.taylor_figure(betas, pred, act, beta, d["predicted_change"],
                                   d["actual_change"])))


direction_fig, taylor_fig = _taylor_figures(beta, eta_t, d)
left, right = st.columns([2, 3])
with left:
    plot(direction_fig, key="direction")
    st.caption("**What to notice:** the closer your u (orange) turns to −∇L (gold), the "
               "more steeply it points downhill.")
with right:
    plot(taylor_fig, key="taylor")
    st.caption("**What to notice:** the loss falls most at β = 180°; with a large η the "
               "actual change (red) parts from Taylor's prediction (blue).")
m1, m2, m3 = st.columns(3)
m1.metric("cos β", f"{d['cos_beta']:+.3f}")
m2.metric("predicted change η uᵀ∇L", f"{d['predicted_change']:+.4f}")
m3.metric("actual change L(θ+ηu) − L(θ)", f"{d['actual_change']:+.4f}")
preset_row = st.container()
with st.expander("The formula, and how to read the two figures"):
    st.latex(r"\mathcal L(\theta + \eta u) \;\approx\; \mathcal L(\theta) + \eta\, u^{\top}"
             r"\nabla \mathcal L(\theta) \;=\; \mathcal L(\theta) + \eta\,\|u\|\,"
             r"\|\nabla \mathcal L(\theta)\|\cos\beta")
    st.markdown(
        r"For a unit direction $u$ at an angle $\beta$ to the gradient the predicted change "
        r"is $\eta\|\nabla\mathcal L\|\cos\beta$: it is most negative at $\beta = 180^\circ$, "
        r"so the best first-order move is $u = -\nabla\mathcal L / \|\nabla\mathcal L\|$."
    )
    st.markdown(
        f"Left: contours of log L around θ = (w, b) = {THETA}; the white arrow is the "
        "gradient, the orange one your direction u, the gold one −∇L. Right: the change "
        "Taylor predicts (blue) and the change that really happens (red dashed). Both are "
        "lowest at β = 180° and near zero at 90° and 270° (moving along a level line). With "
        "a small η the curves agree; with a large η the neglected η² uᵀ∇²L u term makes "
        "them part."
    )

# ------------------------------------------------------------------ 2. neuron
st.subheader("2. A sigmoid neuron on five points")
c1, c2, c3, c4 = st.columns(4)
w0 = c1.number_input("start w₀", -4.0, 6.0, step=0.5, key="gd_w0",
                     help="The weight where gradient descent starts.")
b0 = c2.number_input("start b₀", -8.0, 4.0, step=0.5, key="gd_b0",
                     help="The bias where gradient descent starts.")
eta = c3.select_slider("learning rate η", options=ETAS, key="gd_eta",
                       help="The step of every epoch. Beyond 2/λ_max (curvature at the "
                            "minimum) the iterates cannot settle.")
epochs = c4.slider("epochs", 10, 500, step=10, key="gd_epochs",
                   help="How many full-gradient steps to take.")
link = state.publish(FIELDS)
with preset_row:
    state.presets_and_link(PRESETS, link, key="gd_basics")

path = T.neuron_gd_path(w0, b0, eta, epochs)
w_star, b_star = 1.5700, -3.7566  # minimizer of the loss (checked in tests)
lam = float(np.linalg.eigvalsh(T.neuron_hessian(w_star, b_star))[-1])
if path.too_large:
    st.warning(
        f"**η = {eta} is too large here.** The loss went *up* at {path.n_increase} of "
        f"{epochs} epochs (first at epoch {path.first_increase}): the steps overshoot the "
        f"narrow valley and zig-zag across it. Near the minimum the curvature is "
        f"λ_max ≈ {lam:.2f}, so any η > 2/λ_max ≈ {2 / lam:.1f} cannot settle there. "
        "Try a smaller η.",
        icon=":material/warning:",
    )
else:
    st.success(
        f"The loss decreased at every epoch: {path.loss[0]:.4f} → {path.loss[-1]:.4f}. "
        f"Increase η beyond 2/λ_max ≈ {2 / lam:.1f} to see what a too-large step does.",
        icon=":material/check_circle:",
    )



@st.cache_resource(max_entries=64, show_spinner=False)
def _neuron_figures(w0: float, b0: float, eta: float, epochs: int,
                    _path: T.GDPath) -> tuple[Frozen, ...]:
    """Section 2's four figures (contours, loss, surface, fit), built once per setting for
    every session (``_path``: the page's :func:`neuron_gd_path` of these settings)."""
    path = _path
    wa, ba, Z = T.loss_grid((-4.0, 6.0), (-8.0, 4.0), n=81)
    return (Frozen(F.loss_contour_figure(wa, ba, Z, path.w, path.b)),
            Frozen(F.loss_curve_figure(path.loss)),
            Frozen(F.loss_surface_figure(wa, ba, Z, path.w, path.b, path.loss)),
            Frozen(F.neuron_fit_figure(T.NEURON_X, T.NEURON_Y, path.w[0], path.b[0],
                                       path.w[-1], path.b[-1])))


contour_fig, curve_fig, surface_fig, fit_fig = _neuron_figures(w0, b0, eta, epochs, path)
left, right = st.columns(2)
with left:
    plot(contour_fig, key="contour")
    st.caption("**What to notice:** the path first runs downhill across the contours, then "
               "crawls along the curved valley.")
with right:
    plot(curve_fig, key="loss_curve")
    st.caption("**What to notice:** a fast drop, then a slow tail; a too-large η makes the "
               "curve jagged.")
left, right = st.columns(2)
with left:
    plot(surface_fig, key="surface")
    st.caption("**What to notice:** the flat plateaus far from the data, where gradient "
               "descent barely moves (drag to rotate).")
with right:
    plot(fit_fig, key="fit")
    st.caption("**What to notice:** the fitted curve f(x) (solid) against the start "
               "(dotted).")
with st.expander("The model, its gradient, and how to read the four figures"):
    st.latex(r"f(x) = \frac{1}{1 + e^{-(w x + b)}}, \qquad "
             r"\mathcal L(w, b) = \sum_{i=1}^{5} \tfrac12\,\bigl(f(x_i) - y_i\bigr)^2")
    st.latex(r"\frac{\partial \mathcal L}{\partial w} = \sum_{i=1}^{5} (f(x_i) - y_i)\,"
             r"f(x_i)\,(1 - f(x_i))\,x_i, \qquad "
             r"\frac{\partial \mathcal L}{\partial b} = \sum_{i=1}^{5} (f(x_i) - y_i)\,"
             r"f(x_i)\,(1 - f(x_i))")
    st.latex(r"w_{t+1} = w_t - \eta\,\frac{\partial \mathcal L}{\partial w}(w_t, b_t), \qquad "
             r"b_{t+1} = b_t - \eta\,\frac{\partial \mathcal L}{\partial b}(w_t, b_t)")
    st.markdown(
        "Convention: a sum of ½(f − y)² with no 1/5 average (the tutorial this page follows "
        "mixes both); averaging would only divide the gradient, hence the useful η, by 5.\n\n"
        "Contours of log L over (w, b): the path (white) first runs downhill, at right "
        "angles to the contours, then crawls along the curved valley where the gradient is "
        "small; points that leave the box are drawn on its edge. The surface shows the same "
        "loss: far from the data f is saturated at 0 or 1, f(1 − f) ≈ 0 and gradient "
        "descent barely moves. The loss curve is on a log scale. The last figure shows the "
        "five points and the neuron's curve before (dotted) and after descent."
    )
citation()
