"""Every formula of the Learn pages against finite differences or closed forms."""

import numpy as np
import pytest
from scipy.optimize import minimize, nnls

from nnls_core import teaching as T

H = 1e-6


def _fd_grad(fun, p, h=H):
    p = np.asarray(p, float)
    return np.array([(fun(p + h * e) - fun(p - h * e)) / (2 * h) for e in np.eye(p.size)])


@pytest.mark.parametrize("w,b", [(0.0, 0.0), (4.0, 2.0), (-1.5, 3.0), (1.57, -3.76)])
def test_neuron_gradient_matches_finite_differences(w, b):
    fd = _fd_grad(lambda p: T.neuron_loss(p[0], p[1]), [w, b])
    np.testing.assert_allclose(T.neuron_grad(w, b), fd, rtol=1e-6, atol=1e-9)


def test_neuron_loss_is_half_sum_of_squares_and_sigmoid_is_stable():
    x, y = T.NEURON_X, T.NEURON_Y
    f = 1 / (1 + np.exp(-(0.7 * x - 1.2)))
    assert T.neuron_loss(0.7, -1.2) == pytest.approx(0.5 * np.sum((f - y) ** 2))
    assert T.sigmoid(-1e4) == 0.0 and T.sigmoid(1e4) == 1.0
    W, B = np.meshgrid([0.0, 1.0], [2.0, -1.0, 3.0])
    assert T.neuron_loss(W, B).shape == (3, 2)


@pytest.mark.parametrize("w,b", [(4.0, 2.0), (1.57, -3.76), (-1.0, 1.0)])
def test_neuron_hessian_matches_finite_differences_of_gradient(w, b):
    fd = np.array([(T.neuron_grad(*(np.array([w, b]) + 1e-5 * e))
                    - T.neuron_grad(*(np.array([w, b]) - 1e-5 * e))) / 2e-5 for e in np.eye(2)])
    np.testing.assert_allclose(T.neuron_hessian(w, b), fd, rtol=1e-5, atol=1e-8)


def test_page_minimizer_constant_and_gd_path():
    r = minimize(lambda p: T.neuron_loss(*p), [1.0, -3.0], jac=lambda p: T.neuron_grad(*p),
                 method="BFGS", options=dict(gtol=1e-10))
    np.testing.assert_allclose(r.x, [1.5700, -3.7566], atol=2e-4)  # used by the page
    p = T.neuron_gd_path(4.0, 2.0, 1.0, 200)  # the page's default
    assert not p.too_large and p.loss[-1] < 0.01 and np.all(np.diff(p.loss) <= 0)
    # each step is theta - eta * grad
    np.testing.assert_allclose([p.w[1], p.b[1]], np.array([4.0, 2.0]) - T.neuron_grad(4.0, 2.0))
    big = T.neuron_gd_path(4.0, 2.0, 8.0, 200)
    assert big.too_large and big.first_increase >= 1
    assert np.all(np.isfinite(big.loss)) and np.all(np.isfinite(big.w))


@pytest.mark.parametrize("bad", [dict(eta=0.0), dict(eta=np.nan), dict(epochs=0),
                                 dict(w0=np.inf)])
def test_gd_path_rejects_bad_input(bad):
    kw = dict(w0=0.0, b0=0.0, eta=1.0, epochs=5) | bad
    with pytest.raises(ValueError):
        T.neuron_gd_path(**kw)


@pytest.mark.parametrize("beta", [0.0, 45.0, 135.0, 180.0, 270.0])
def test_taylor_prediction_is_directional_derivative(beta):
    d = T.taylor_direction(4.0, 2.0, 1e-5, beta)
    assert np.linalg.norm(d["u"]) == pytest.approx(1.0)
    cos = d["u"] @ d["grad"] / np.linalg.norm(d["grad"])
    assert cos == pytest.approx(np.cos(np.deg2rad(beta)), abs=1e-12)
    # actual change / eta -> directional derivative (finite difference), error O(eta)
    fd = (T.neuron_loss(*(d["theta"] + 1e-6 * d["u"]))
          - T.neuron_loss(*(d["theta"] - 1e-6 * d["u"]))) / 2e-6
    assert d["predicted_change"] / 1e-5 == pytest.approx(fd, rel=1e-5, abs=1e-9)
    assert d["actual_change"] == pytest.approx(d["predicted_change"], rel=1e-3, abs=1e-12)


def test_taylor_sweep_best_at_180_and_error_is_second_order():
    betas, pred, act = T.taylor_sweep(4.0, 2.0, 0.5)
    assert betas[np.argmin(pred)] == 180.0
    errs = [abs(T.taylor_direction(4.0, 2.0, e, 180.0)["actual_change"]
                - T.taylor_direction(4.0, 2.0, e, 180.0)["predicted_change"])
            for e in (1e-2, 5e-3)]
    assert errs[0] / errs[1] == pytest.approx(4.0, rel=0.05)  # O(eta^2)


def test_2d_example_has_negative_unconstrained_min_and_boundary_solution():
    A, b = T.nnls_2d_example()
    x_ls = np.linalg.solve(A, b)
    assert x_ls[1] < 0
    x_star = T.nnls_2d_exact(A, b)
    np.testing.assert_allclose(x_star, nnls(A, b)[0], atol=1e-12)
    assert x_star[1] == 0.0 and x_star[0] > 0
    z = T.nnls_grad(A, b, x_star)
    assert abs(z[0]) < 1e-12 and z[1] > 0  # KKT: gradient pushes into the boundary


@pytest.mark.parametrize("seed", range(5))
def test_nnls_2d_exact_against_scipy(seed):
    rng = np.random.default_rng(seed)
    A, b = rng.standard_normal((4, 2)), rng.standard_normal(4)
    np.testing.assert_allclose(T.nnls_2d_exact(A, b), nnls(A, b)[0], atol=1e-10)


def test_objective_and_pullback_grids():
    A, b = T.nnls_2d_example()
    x1, x2 = np.array([-0.5, 0.0, 1.0]), np.array([0.2, 1.5])
    Fg = T.objective_grid(A, b, x1, x2)
    assert Fg[1, 2] == pytest.approx(0.5 * np.sum((A @ [1.0, 1.5] - b) ** 2))
    for L in (1, 2, 3):
        G = T.pullback_grid(A, b, x1, x2, L)
        assert G[0, 0] == pytest.approx(T.nnls_objective(A, b, [(-0.5) ** L, 0.2**L]))


@pytest.mark.parametrize("L", [1, 2, 3, 4])
def test_pullback_gradient_matches_finite_differences(L):
    A, b = T.nnls_2d_example()
    u = np.array([0.7, -0.4])
    fd = _fd_grad(lambda v: T.nnls_objective(A, b, v**L), u)
    np.testing.assert_allclose(T.pullback_grad(A, b, u, L), fd, rtol=1e-6, atol=1e-9)
    fd_f = _fd_grad(lambda x: T.nnls_objective(A, b, x), u)
    np.testing.assert_allclose(T.nnls_grad(A, b, u), fd_f, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("L", [2, 3])
def test_riemannian_x_form_is_first_order_u_step(L):
    """(u - eta grad g(u))^L - u^L = -eta L^2 x^(2-2/L) grad f(x) + O(eta^2)."""
    A, b = T.nnls_2d_example()
    u = np.array([0.8, 0.3])
    x = u**L
    for eta in (1e-4, 1e-5):
        moved = (u - eta * T.pullback_grad(A, b, u, L)) ** L - x
        model = -eta * T.riemannian_factor(x, L) * T.nnls_grad(A, b, x)
        np.testing.assert_allclose(moved, model, rtol=50 * eta)
    assert np.all(np.diff(T.riemannian_factor(np.array([1.0, 0.1, 0.01]), L)) < 0)


def test_step_lengths_and_rotate():
    np.testing.assert_allclose(T.step_lengths([[0, 0], [0, 2], [1, 2]]), [2.0, 1.0])
    np.testing.assert_allclose(T.rotate([1.0, 0.0], 180.0), [-1.0, 0.0], atol=1e-15)
