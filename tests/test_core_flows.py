"""Continuous-time references against independent integrations and closed-form bounds."""

import numpy as np
import pytest
import scipy.optimize
from scipy.integrate import solve_ivp

import nnls_core as nc


def _ref(p):
    x, _ = scipy.optimize.nnls(p.A, p.b)
    r = p.A @ x - p.b
    return x, 0.5 * float(r @ r)


def _entropy_div(x_star, x0):
    """Bregman divergence of sum x log x - x: sum x* log(x*/x0) - x* + x0."""
    pos = x_star > 0
    return float(np.sum(x_star[pos] * np.log(x_star[pos] / x0[pos])) - x_star.sum() + x0.sum())


PROBLEMS = [lambda: nc.gaussian_problem(20, 8, seed=0), lambda: nc.sparse_problem(10, 20, 3, seed=0)]


@pytest.mark.parametrize("L", [2, 3, 2.5])
def test_gradient_flow_rhs_is_the_x_form(L):
    p = nc.gaussian_problem(12, 5, seed=3)
    alpha, t_max = 0.5, 5.0
    fl = nc.gradient_flow(p.A, p.b, alpha=alpha, L=L, t_max=t_max, n_points=20, rtol=1e-10)
    assert fl.status in ("converged", "max_iter")

    def rhs(_t, x):  # x' = -L^2 x^(2-2/L) A^T (A x - b), integrated in x itself
        return -L**2 * np.maximum(x, 0) ** (2 - 2 / L) * (p.A.T @ (p.A @ x - p.b))

    sol = solve_ivp(rhs, (0, t_max), np.full(5, alpha**L), t_eval=fl.t, method="DOP853",
                    rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(fl.x, sol.y.T, rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(fl.objective,
                               0.5 * np.sum((fl.x @ p.A.T - p.b) ** 2, axis=1), rtol=1e-12)


@pytest.mark.parametrize("problem", PROBLEMS)
def test_gradient_flow_decreases_at_rate_one_over_t(problem):
    p = problem()
    alpha = 1e-2
    fl = nc.gradient_flow(p.A, p.b, alpha=alpha, t_max=100)
    x_star, f_star = _ref(p)
    assert fl.status in ("converged", "max_iter") and np.all(fl.x >= 0)
    obj = fl.objective
    assert np.all(np.diff(obj) <= 1e-12 * obj[:-1])
    assert obj[-1] - f_star < 1e-3 * (obj[0] - f_star)
    # mirror-flow bound with psi = (1/4)(x log x - x) for L = 2: f - f* <= D_psi(x*, x0) / t
    D = 0.25 * _entropy_div(x_star, np.full(x_star.size, alpha**2))
    assert np.all(obj - f_star <= D / fl.t + 1e-12)
    assert np.all(fl.t[1:] > fl.t[:-1]) and fl.t[-1] == pytest.approx(100)


@pytest.mark.parametrize("problem", PROBLEMS)
def test_accelerated_flow_energy_bound(problem):
    # Krichene-Bayen-Bartlett, r = 2 with the entropy: f - f* <= (t0^2 (f0 - f*) + 4 D)/t^2
    p = problem()
    alpha = 1e-2
    fl = nc.accelerated_flow(p.A, p.b, alpha=alpha, t_max=100)
    x_star, f_star = _ref(p)
    assert fl.status in ("converged", "max_iter") and np.all(fl.x >= 0)
    x0 = np.full(x_star.size, alpha**2)
    f0 = 0.5 * np.sum((p.A @ x0 - p.b) ** 2)
    D = _entropy_div(x_star, x0)
    bound = (1e-12 * (f0 - f_star) + 4 * D) / fl.t**2
    assert np.all(fl.objective - f_star <= bound + 1e-10)
    assert fl.objective[-1] - f_star < 1e-3 * (fl.objective[0] - f_star)


def test_accelerated_flow_beats_gradient_flow_on_an_underdetermined_problem():
    # Not true in general: on overdetermined (strongly convex) problems the gradient flow
    # converges exponentially and ends lower (see the report); here it holds.
    p = nc.sparse_problem(10, 20, 3, seed=0)
    _, f_star = _ref(p)
    g = nc.gradient_flow(p.A, p.b, t_max=1000)
    a = nc.accelerated_flow(p.A, p.b, t_max=1000)
    assert a.objective[-1] - f_star < g.objective[-1] - f_star


def test_flows_doc_examples():
    fl = nc.gradient_flow(np.eye(2), np.array([1.0, -1.0]), t_max=100)
    assert fl.objective[-1] < fl.objective[0]
    assert fl.x[-1, 0] == pytest.approx(1.0, abs=1e-3) and fl.x[-1, 1] < 1e-3
