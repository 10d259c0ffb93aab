"""The Hadamard method: gradients by finite differences, the x-form, divergence, step='auto'."""

import re

import numpy as np
import pytest
import scipy.optimize

import nnls_core as nc
from nnls_core._reparam import Hadamard

RNG = np.random.default_rng(12345)
A = RNG.standard_normal((7, 5))
B = RNG.standard_normal(7)


def f(x):
    r = A @ x - B
    return 0.5 * float(r @ r)


def central_diff(fun, v, h=1e-6):
    g = np.empty_like(v)
    for i in range(v.size):
        e = np.zeros_like(v)
        e[i] = h
        g[i] = (fun(v + e) - fun(v - e)) / (2 * h)
    return g


def rel_err(a, b):
    return np.linalg.norm(a - b) / np.linalg.norm(b)


def _z(x):
    return A.T @ (A @ x - B)


def test_grad_f_by_finite_differences():
    x = RNG.uniform(0.2, 1.5, 5)
    assert rel_err(_z(x), central_diff(f, x)) < 1e-6


@pytest.mark.parametrize("L", [1, 2, 3, 2.5])
def test_grad_g_u_form_by_finite_differences(L):
    geo = Hadamard(np.array([L]), "u")
    u = RNG.uniform(0.3, 1.5, 5)
    np.testing.assert_allclose(geo.to_x(u[None])[0], u**L, rtol=1e-14)
    g = geo.direction(u[None], _z(u**L)[None])[0]
    fd = central_diff(lambda v: f(v**L), u)
    assert rel_err(g, fd) < 1e-6


@pytest.mark.parametrize("L", [2, 3, 2.5])
def test_x_form_direction_is_riemannian_gradient(L):
    geo = Hadamard(np.array([L]), "x")
    u = RNG.uniform(0.3, 1.5, 5)
    x = u**L
    g = geo.direction(x[None], _z(x)[None])[0]
    dxdu = L * u ** (L - 1)
    expected = dxdu**2 * central_diff(f, x)  # (dx/du)^2 grad f in coordinates
    assert rel_err(g, expected) < 1e-6
    np.testing.assert_allclose(g, L**2 * x ** (2 - 2 / L) * _z(x), rtol=1e-12)


@pytest.mark.parametrize("L", [2, 3, 2.5])
def test_one_x_step_and_one_u_step_agree_to_first_order(L):
    alpha = 0.7
    x0 = np.full(5, alpha**L)
    z0 = A.T @ (A @ x0 - B)
    exact_dir = -L**2 * x0 ** (2 - 2 / L) * z0
    errs = []
    for eta in (1e-4, 1e-5):
        ru = nc.hadamard(A, B, L=L, alpha=alpha, step=eta, max_iter=1, tol=0, form="u")
        rx = nc.hadamard(A, B, L=L, alpha=alpha, step=eta, max_iter=1, tol=0, form="x")
        assert ru.n_iter == rx.n_iter == 1
        # the x-form step is exactly x - eta L^2 x^(2-2/L) z
        np.testing.assert_allclose((rx.x - x0) / eta, exact_dir, rtol=1e-7)
        # the u-form step agrees to first order
        errs.append(np.linalg.norm((ru.x - x0) / eta - exact_dir) / np.linalg.norm(exact_dir))
        np.testing.assert_allclose(ru.history.x[0], x0)
    assert errs[0] < 1e-2 and errs[1] < errs[0] / 5  # O(eta)


def test_L1_is_unconstrained_gradient_descent():
    eta = 0.01
    r = nc.hadamard(A, B, L=1, alpha=0.3, step=eta, max_iter=1, tol=0)
    x0 = np.full(5, 0.3)
    np.testing.assert_allclose(r.x, x0 - eta * A.T @ (A @ x0 - B), rtol=1e-13)


def test_decay_schedule():
    eta, gamma = 1e-3, 0.5
    r = nc.hadamard(A, B, L=2, alpha=0.5, step=eta, decay=gamma, max_iter=3, tol=0, form="x")
    x = np.full(5, 0.25)
    for k in range(3):
        x = x - eta / (k + 1) ** gamma * 4 * x * (A.T @ (A @ x - B))
        np.testing.assert_allclose(r.history.x[k + 1], x, rtol=1e-12)


def test_alpha_zero_limit_is_a_fixed_point():
    r = nc.hadamard(A, B, alpha=1e-200, step=1.0, max_iter=5, tol=0)
    assert np.all(r.x <= 1e-300)


# ---------------------------------------------------------------- divergence
def _problem():
    p = nc.gaussian_problem(80, 30, seed=0)
    x_ref, _ = scipy.optimize.nnls(p.A, p.b)
    return p, np.linalg.norm(p.A, 2), x_ref


@pytest.mark.parametrize("form", ["u", "x"])
@pytest.mark.parametrize("L", [2, 3])
def test_too_large_step_is_reported_as_diverged(L, form):
    p, norm, x_ref = _problem()
    safe = nc.safe_step(norm, L, x_ref.max())
    r = nc.hadamard(p.A, p.b, L=L, step=100 * safe, form=form, max_iter=2000)
    assert r.status == "diverged"
    assert np.all(np.isfinite(r.x)) and np.all(r.x >= 0)
    assert np.all(np.isfinite(r.history.objective))
    assert re.search(r"step <= [0-9.]+(e[+-]?\d+)?", r.message)
    assert r.objective == pytest.approx(0.5 * np.sum((p.A @ r.x - p.b) ** 2), rel=1e-12)


@pytest.mark.parametrize("L", [2, 3])
def test_safe_step_does_not_diverge(L):
    p, norm, x_ref = _problem()
    eta = nc.safe_step(norm, L, x_ref.max())
    assert eta == pytest.approx(1 / (L**2 * x_ref.max() ** (2 - 2 / L) * norm**2))
    r = nc.hadamard(p.A, p.b, L=L, step=eta, form="x", max_iter=3000, tol=1e-8)
    assert r.status != "diverged"
    assert r.objective < r.history.objective[0]


@pytest.mark.parametrize("L", [2, 3])
def test_rerun_with_suggested_step_does_not_diverge(L):
    p, norm, x_ref = _problem()
    r = nc.hadamard(p.A, p.b, L=L, step=100 * nc.safe_step(norm, L, x_ref.max()), max_iter=2000)
    assert r.status == "diverged"
    eta = float(re.search(r"step <= ([0-9.]+(?:e[+-]?\d+)?)", r.message).group(1))
    r2 = nc.hadamard(p.A, p.b, L=L, step=eta, max_iter=2000)
    assert r2.status != "diverged", r2.message


GRID = [(m, n, kind) for (m, n) in [(30, 10), (20, 20), (10, 30)] for kind in ("sparse", "gauss")]


@pytest.mark.parametrize("variant", [dict(), dict(form="x"), dict(accel="nesterov")],
                         ids=["u", "x", "nesterov"])
@pytest.mark.parametrize("m, n, kind", GRID)
def test_step_auto_never_diverges(m, n, kind, variant):
    p = nc.sparse_problem(m, n, 3, seed=1) if kind == "sparse" else nc.gaussian_problem(m, n, seed=1)
    for L in (1, 2, 3, 4):
        for alpha in (1e-6, 1e-3, 1.0):
            if variant.get("form") == "x" and L == 1:
                continue
            r = nc.hadamard(p.A, p.b, L=L, alpha=alpha, step="auto", max_iter=200, **variant)
            where = (L, alpha, r.message)
            assert r.status != "diverged", where
            assert np.all(np.isfinite(r.x)), where
            if L > 1:
                assert np.all(r.x >= 0), where
            obj = r.history.objective
            assert r.objective <= obj[0], where
            assert np.all(np.diff(obj) <= 0), where  # the line search is monotone


def test_mirror_auto_small_alpha_does_not_diverge():
    p = nc.gaussian_problem(20, 20, seed=1)
    r = nc.hadamard(p.A, p.b, L=3, alpha=1e-6, accel="mirror", max_iter=200)
    assert r.status != "diverged", r.message


def test_mirror_auto_at_the_optimum_is_not_divergence():
    p = nc.gaussian_problem(80, 30, seed=2)
    r = nc.hadamard(p.A, p.b, L=2, accel="mirror", tol=1e-10, max_iter=5000)
    assert r.status != "diverged", r.message


@pytest.mark.parametrize("accel", [None, "nesterov", "mirror"])
def test_fixed_step_with_acceleration_diverges_cleanly(accel):
    p, norm, x_ref = _problem()
    r = nc.hadamard(p.A, p.b, L=2, step=1e3 * nc.safe_step(norm, 2, x_ref.max()),
                    accel=accel, max_iter=500)
    assert r.status == "diverged"
    assert np.all(np.isfinite(r.x)) and np.all(r.x >= 0)
    assert "step <=" in r.message
