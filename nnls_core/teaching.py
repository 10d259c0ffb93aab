"""Small numerics for the teaching pages: a sigmoid neuron and a 2-D NNLS problem.

Pure numpy; no streamlit. Two stories:

* **Gradient-descent basics.** A sigmoid neuron ``f(x) = 1 / (1 + exp(-(w x + b)))``
  fitted on five points with the squared-error loss

  .. math:: \\mathcal L(w, b) = \\sum_{i=1}^{5} \\tfrac12 (f(x_i) - y_i)^2

  (a *sum* with the factor 1/2, no 1/5 average: the 1/2 cancels the 2 of the square,
  and the average would only rescale the step size ``eta``). Its gradient is
  ``dL/dw = sum (f - y) f (1 - f) x`` and ``dL/db = sum (f - y) f (1 - f)``.
  The first-order Taylor model ``L(theta + eta u) ~ L(theta) + eta u^T grad L(theta)``
  is compared with the actual loss for a unit direction ``u`` at an angle ``beta``
  to the gradient.

* **Why reparametrize.** A 2-D NNLS problem ``min_{x >= 0} 1/2 ||A x - b||^2`` whose
  unconstrained minimizer has a negative coordinate, its objective on an ``(x1, x2)``
  grid and its pull-back ``g(u) = f(u^L)`` to ``u``-space, where there is no constraint.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from ._validation import as_float_array, check_int, check_positive

__all__ = [
    "NEURON_X",
    "NEURON_Y",
    "GDPath",
    "sigmoid",
    "neuron_loss",
    "neuron_grad",
    "neuron_gd_path",
    "neuron_hessian",
    "loss_grid",
    "rotate",
    "taylor_direction",
    "taylor_sweep",
    "nnls_2d_example",
    "nnls_objective",
    "nnls_grad",
    "nnls_2d_exact",
    "objective_grid",
    "pullback_grid",
    "pullback_grad",
    "riemannian_factor",
    "step_lengths",
]

#: The five inputs of the sigmoid-neuron example.
NEURON_X = np.array([0.5, 1.5, 2.5, 3.5, 4.5])
#: The five targets: roughly ``sigmoid(1.6 x - 4)``, rounded, so no exact fit exists.
NEURON_Y = np.array([0.05, 0.15, 0.6, 0.8, 0.95])


# --------------------------------------------------------------------------- neuron
def sigmoid(z):
    """Numerically stable logistic function ``1 / (1 + exp(-z))``.

    Parameters
    ----------
    z : array_like
        Input (any shape).

    Returns
    -------
    ndarray or float
        Values in ``[0, 1]``; never overflows.

    Examples
    --------
    >>> float(sigmoid(0.0))
    0.5
    >>> float(sigmoid(-1000.0))
    0.0
    """
    return expit(z)


def _data(x, y):
    x = NEURON_X if x is None else as_float_array(x, "x", 1)
    y = NEURON_Y if y is None else as_float_array(y, "y", 1)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same length, got {x.size} and {y.size}")
    return x, y


def neuron_loss(w, b, x=None, y=None):
    """Squared-error loss ``L(w, b) = sum_i 1/2 (f(x_i) - y_i)^2`` of a sigmoid neuron.

    Parameters
    ----------
    w, b : float or ndarray
        Weight and bias; arrays broadcast against each other (e.g. a meshgrid).
    x, y : array_like, optional
        Inputs and targets (1-D, same length). Default: :data:`NEURON_X`, :data:`NEURON_Y`.

    Returns
    -------
    float or ndarray
        The loss, with the broadcast shape of ``w`` and ``b``.

    Examples
    --------
    >>> round(float(neuron_loss(0.0, 0.0, [1.0], [1.0])), 6)  # f = 1/2, (1/2)^2 / 2
    0.125
    """
    x, y = _data(x, y)
    w = np.asarray(w, dtype=float)
    b = np.asarray(b, dtype=float)
    f = sigmoid(w[..., None] * x + b[..., None])
    out = 0.5 * np.sum((f - y) ** 2, axis=-1)
    return out if out.ndim else float(out)


def neuron_grad(w: float, b: float, x=None, y=None) -> np.ndarray:
    """Gradient ``(dL/dw, dL/db)`` of :func:`neuron_loss`.

    ``dL/dw = sum_i (f_i - y_i) f_i (1 - f_i) x_i`` and
    ``dL/db = sum_i (f_i - y_i) f_i (1 - f_i)`` with ``f_i = sigmoid(w x_i + b)``.

    Parameters
    ----------
    w, b : float
        Weight and bias.
    x, y : array_like, optional
        Inputs and targets. Default: the five-point example.

    Returns
    -------
    ndarray, shape (2,)

    Examples
    --------
    >>> neuron_grad(0.0, 0.0, [2.0], [1.0])  # (1/2 - 1) * 1/4 * (2, 1)
    array([-0.25 , -0.125])
    """
    x, y = _data(x, y)
    f = sigmoid(float(w) * x + float(b))
    common = (f - y) * f * (1.0 - f)
    return np.array([np.sum(common * x), np.sum(common)])


@dataclass(frozen=True)
class GDPath:
    """A gradient-descent path on the neuron loss.

    Attributes
    ----------
    w, b, loss : ndarray, shape (epochs + 1,)
        Parameters and loss at every epoch (index 0 is the start).
    grad_norm : ndarray, shape (epochs + 1,)
        ``||grad L||`` at every epoch.
    n_increase : int
        Number of epochs at which the loss went *up* (0 for a small enough step).
    first_increase : int or None
        The first epoch whose loss is larger than the previous one.
    """

    w: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    grad_norm: np.ndarray
    n_increase: int
    first_increase: int | None

    @property
    def too_large(self) -> bool:
        """True when the loss went up noticeably: the step overshoots."""
        return self.n_increase > 0


def neuron_gd_path(w0: float, b0: float, eta: float, epochs: int, x=None, y=None) -> GDPath:
    """Run full-batch gradient descent ``theta <- theta - eta grad L(theta)``.

    Parameters
    ----------
    w0, b0 : float
        Start.
    eta : float
        Step size (learning rate), > 0.
    epochs : int
        Number of updates, >= 1.
    x, y : array_like, optional
        Data. Default: the five-point example.

    Returns
    -------
    GDPath
        The whole path; ``too_large`` flags a loss that went up (overshooting step).

    Examples
    --------
    >>> p = neuron_gd_path(4.0, 2.0, eta=1.0, epochs=50)
    >>> bool(p.loss[-1] < p.loss[0]), p.too_large
    (True, False)
    """
    eta = check_positive(eta, "eta")
    epochs = check_int(epochs, "epochs", minimum=1)
    for v, name in ((w0, "w0"), (b0, "b0")):
        if not np.isfinite(float(v)):
            raise ValueError(f"{name} must be finite, got {v!r}")
    x, y = _data(x, y)
    theta = np.array([float(w0), float(b0)])
    ws, bs, ls, gs = [], [], [], []
    for _ in range(epochs + 1):
        g = neuron_grad(theta[0], theta[1], x, y)
        ws.append(theta[0])
        bs.append(theta[1])
        ls.append(neuron_loss(theta[0], theta[1], x, y))
        gs.append(float(np.hypot(*g)))
        theta = theta - eta * g
    loss = np.array(ls)
    up = np.flatnonzero(np.diff(loss) > 1e-12 * max(1.0, float(loss[0])))
    return GDPath(
        w=np.array(ws), b=np.array(bs), loss=loss, grad_norm=np.array(gs),
        n_increase=int(up.size), first_increase=int(up[0]) + 1 if up.size else None,
    )


def neuron_hessian(w: float, b: float, x=None, y=None) -> np.ndarray:
    """Exact Hessian of :func:`neuron_loss` with respect to ``(w, b)``.

    ``H = sum_i [f_i'^2 + (f_i - y_i) f_i''] (x_i, 1)(x_i, 1)^T`` with
    ``f' = f (1 - f)`` and ``f'' = f (1 - f)(1 - 2 f)``. Gradient descent with a step
    ``eta > 2 / lambda_max(H)`` at the minimum cannot settle there: it overshoots.

    Examples
    --------
    >>> H = neuron_hessian(0.0, 0.0, [1.0], [0.5])  # f = 1/2: only f'^2 = 1/16 remains
    >>> H
    array([[0.0625, 0.0625],
           [0.0625, 0.0625]])
    """
    x, y = _data(x, y)
    f = sigmoid(float(w) * x + float(b))
    d1 = f * (1.0 - f)
    c = d1**2 + (f - y) * d1 * (1.0 - 2.0 * f)
    return np.array([[np.sum(c * x * x), np.sum(c * x)], [np.sum(c * x), np.sum(c)]])


def loss_grid(w_range=(-4.0, 6.0), b_range=(-8.0, 4.0), n: int = 81, x=None, y=None):
    """Neuron loss on a regular ``(w, b)`` grid.

    Parameters
    ----------
    w_range, b_range : (float, float)
        Limits of the grid.
    n : int
        Points per axis (>= 2).
    x, y : array_like, optional
        Data. Default: the five-point example.

    Returns
    -------
    w, b : ndarray, shape (n,)
        Axes.
    Z : ndarray, shape (n, n)
        ``Z[i, j] = L(w[j], b[i])`` (rows follow ``b``, as plotly's contour expects).

    Examples
    --------
    >>> w, b, Z = loss_grid(n=5)
    >>> Z.shape, bool(np.isclose(Z[2, 3], neuron_loss(w[3], b[2])))
    ((5, 5), True)
    """
    n = check_int(n, "n", minimum=2)
    w = np.linspace(float(w_range[0]), float(w_range[1]), n)
    b = np.linspace(float(b_range[0]), float(b_range[1]), n)
    W, B = np.meshgrid(w, b)
    return w, b, neuron_loss(W, B, x, y)


# --------------------------------------------------------------------------- Taylor
def rotate(v, beta_deg: float) -> np.ndarray:
    """Rotate a 2-vector counter-clockwise by ``beta_deg`` degrees.

    Examples
    --------
    >>> np.round(rotate([1.0, 0.0], 90.0), 12)
    array([0., 1.])
    """
    v = as_float_array(v, "v", 1)
    t = np.deg2rad(float(beta_deg))
    c, s = np.cos(t), np.sin(t)
    return np.array([c * v[0] - s * v[1], s * v[0] + c * v[1]])


def taylor_direction(w: float, b: float, eta: float, beta_deg: float, x=None, y=None) -> dict:
    """First-order Taylor prediction versus the actual loss along a direction.

    The unit direction ``u`` makes the angle ``beta`` with ``grad L(theta)`` (it is the
    normalized gradient rotated by ``beta``), so ``u^T grad L = ||grad L|| cos(beta)``.

    Parameters
    ----------
    w, b : float
        The point ``theta``.
    eta : float
        Step length along ``u`` (> 0).
    beta_deg : float
        Angle between ``u`` and the gradient, in degrees.
    x, y : array_like, optional
        Data. Default: the five-point example.

    Returns
    -------
    dict
        ``theta, grad, u, loss`` (at theta), ``predicted`` (``L + eta u^T grad L``),
        ``actual`` (``L(theta + eta u)``), ``predicted_change``, ``actual_change``
        and ``cos_beta``.

    Examples
    --------
    >>> d = taylor_direction(0.0, 0.0, 1e-4, 180.0)
    >>> bool(d["predicted_change"] < 0), bool(abs(d["actual_change"] / d["predicted_change"] - 1) < 1e-3)
    (True, True)
    """
    eta = check_positive(eta, "eta")
    theta = np.array([float(w), float(b)])
    g = neuron_grad(theta[0], theta[1], x, y)
    gn = float(np.hypot(*g))
    ghat = g / gn if gn > 0 else np.array([1.0, 0.0])
    u = rotate(ghat, beta_deg)
    loss = neuron_loss(theta[0], theta[1], x, y)
    pred_change = eta * float(u @ g)
    new = theta + eta * u
    actual = neuron_loss(new[0], new[1], x, y)
    return {
        "theta": theta, "grad": g, "u": u, "loss": loss,
        "predicted": loss + pred_change, "actual": actual,
        "predicted_change": pred_change, "actual_change": actual - loss,
        "cos_beta": float(np.cos(np.deg2rad(float(beta_deg)))),
    }


def taylor_sweep(w: float, b: float, eta: float, betas_deg=None, x=None, y=None):
    """Predicted and actual loss change for all angles ``beta``.

    Parameters
    ----------
    w, b, eta : float
        Point and step length.
    betas_deg : array_like, optional
        Angles in degrees; default ``0, 2, ..., 360``.

    Returns
    -------
    betas, predicted_change, actual_change : ndarray

    Examples
    --------
    >>> betas, pred, act = taylor_sweep(0.0, 0.0, 0.1)
    >>> float(betas[np.argmin(pred)])
    180.0
    """
    betas = np.arange(0.0, 361.0, 2.0) if betas_deg is None else as_float_array(
        betas_deg, "betas_deg", 1)
    pred, act = [], []
    for beta in betas:
        d = taylor_direction(w, b, eta, beta, x, y)
        pred.append(d["predicted_change"])
        act.append(d["actual_change"])
    return betas, np.array(pred), np.array(act)


# --------------------------------------------------------------------------- 2-D NNLS
def nnls_2d_example():
    """The 2-D NNLS example of the "Why reparametrize" page.

    ``A = [[1, 0.5], [0.3, 1]]``, ``b = A @ (1.2, -0.4)``: the unconstrained
    least-squares minimizer is ``(1.2, -0.4)`` (outside the quadrant), so the NNLS
    solution lies on the boundary ``x2 = 0``.

    Returns
    -------
    A : ndarray, shape (2, 2)
    b : ndarray, shape (2,)

    Examples
    --------
    >>> A, b = nnls_2d_example()
    >>> np.round(np.linalg.solve(A, b), 12)
    array([ 1.2, -0.4])
    """
    A = np.array([[1.0, 0.5], [0.3, 1.0]])
    return A, A @ np.array([1.2, -0.4])


def nnls_objective(A, b, x) -> float:
    """``f(x) = 1/2 ||A x - b||^2``.

    Examples
    --------
    >>> nnls_objective(np.eye(2), [1.0, 1.0], [0.0, 0.0])
    1.0
    """
    A = as_float_array(A, "A", 2)
    r = A @ as_float_array(x, "x", 1) - as_float_array(b, "b", 1)
    return 0.5 * float(r @ r)


def nnls_grad(A, b, x) -> np.ndarray:
    """``grad f(x) = A^T (A x - b)``.

    Examples
    --------
    >>> nnls_grad(np.eye(2), [1.0, 1.0], [0.0, 0.0])
    array([-1., -1.])
    """
    A = as_float_array(A, "A", 2)
    return A.T @ (A @ as_float_array(x, "x", 1) - as_float_array(b, "b", 1))


def nnls_2d_exact(A, b) -> np.ndarray:
    """Exact NNLS solution of a problem with two unknowns, by checking its four faces.

    Candidates: the unconstrained minimizer, the two axes and the origin; the feasible
    candidate with the smallest objective wins.

    Parameters
    ----------
    A : array_like, shape (m, 2)
    b : array_like, shape (m,)

    Returns
    -------
    ndarray, shape (2,)

    Examples
    --------
    >>> nnls_2d_exact(*nnls_2d_example()).round(6)
    array([0.906422, 0.      ])
    """
    A = as_float_array(A, "A", 2)
    b = as_float_array(b, "b", 1)
    if A.shape[1] != 2 or A.shape[0] != b.size:
        raise ValueError(f"A must be (m, 2) and b (m,), got {A.shape} and {b.shape}")
    cands = [np.zeros(2), np.linalg.lstsq(A, b, rcond=None)[0]]
    for j in range(2):
        col = A[:, j]
        nn = float(col @ col)
        x = np.zeros(2)
        x[j] = max(float(col @ b) / nn, 0.0) if nn > 0 else 0.0
        cands.append(x)
    feas = [c for c in cands if np.all(c >= -1e-12)]
    best = min(feas, key=lambda c: nnls_objective(A, b, c))
    return np.maximum(best, 0.0)


def objective_grid(A, b, x1, x2) -> np.ndarray:
    """``f(x) = 1/2 ||A x - b||^2`` on the grid spanned by the axes ``x1``, ``x2``.

    Returns
    -------
    ndarray, shape (len(x2), len(x1))
        ``F[i, j] = f((x1[j], x2[i]))``.

    Examples
    --------
    >>> F = objective_grid(np.eye(2), [1.0, 0.0], [0.0, 1.0], [0.0])
    >>> F.tolist()
    [[0.5, 0.0]]
    """
    A = as_float_array(A, "A", 2)
    b = as_float_array(b, "b", 1)
    X1, X2 = np.meshgrid(as_float_array(x1, "x1", 1), as_float_array(x2, "x2", 1))
    R = X1[..., None] * A[:, 0] + X2[..., None] * A[:, 1] - b
    return 0.5 * np.sum(R * R, axis=-1)


def _power(u, L: int):
    return np.asarray(u, dtype=float) ** L


def pullback_grid(A, b, u1, u2, L: int = 2) -> np.ndarray:
    """The pulled-back objective ``g(u) = f(u^L)`` (element-wise power) on a ``u`` grid.

    Parameters
    ----------
    A, b : array_like
        The problem (two unknowns).
    u1, u2 : array_like
        Grid axes in ``u``-space.
    L : int
        Exponent, >= 1.

    Returns
    -------
    ndarray, shape (len(u2), len(u1))

    Examples
    --------
    >>> A, b = nnls_2d_example()
    >>> G = pullback_grid(A, b, [2.0], [3.0], L=2)
    >>> bool(np.isclose(G[0, 0], nnls_objective(A, b, [4.0, 9.0])))
    True
    """
    L = check_int(L, "L", minimum=1)
    u1 = as_float_array(u1, "u1", 1)
    u2 = as_float_array(u2, "u2", 1)
    return objective_grid(A, b, _power(u1, L), _power(u2, L))


def pullback_grad(A, b, u, L: int = 2) -> np.ndarray:
    """``grad g(u) = L u^{L-1} (.) A^T (A u^L - b)``.

    Examples
    --------
    >>> pullback_grad(np.eye(2), [1.0, 1.0], [1.0, 0.0], L=2)
    array([ 0., -0.])
    """
    L = check_int(L, "L", minimum=1)
    u = as_float_array(u, "u", 1)
    return L * _power(u, L - 1) * nnls_grad(A, b, _power(u, L))


def riemannian_factor(x, L: int) -> np.ndarray:
    """Per-coordinate step multiplier ``L^2 x^{2 - 2/L}`` of the x-form update.

    To first order in the step size, gradient descent on ``u`` moves ``x = u^L`` by
    ``-eta L^2 x^{2-2/L} (.) grad f(x)``: the effective step of coordinate ``i``
    shrinks like ``x_i^{2-2/L}`` near the boundary ``x_i = 0``.

    Parameters
    ----------
    x : array_like
        Non-negative point(s), any shape.
    L : int
        Exponent, >= 1 (``L = 1`` gives the constant 1: plain GD).

    Examples
    --------
    >>> riemannian_factor([1.0, 0.25], L=2)
    array([4., 1.])
    """
    L = check_int(L, "L", minimum=1)
    x = np.abs(as_float_array(x, "x", (1, 2, 3)))
    return L**2 * x ** (2.0 - 2.0 / L)


def step_lengths(path) -> np.ndarray:
    """Euclidean length of every step of a path of iterates (rows).

    Examples
    --------
    >>> step_lengths([[0.0, 0.0], [3.0, 4.0], [3.0, 4.0]])
    array([5., 0.])
    """
    P = as_float_array(path, "path", 2)
    return np.linalg.norm(np.diff(P, axis=0), axis=1)
