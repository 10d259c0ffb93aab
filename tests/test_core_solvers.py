"""Every solver against independent references (scipy.optimize.nnls, linprog, KKT)."""

import numpy as np
import pytest
import scipy.optimize
import scipy.sparse as sp
from hypothesis import assume, given, settings, strategies as st
from scipy.sparse.linalg import aslinearoperator

import nnls_core as nc


def f(A, b, x):
    r = A @ x - b
    return 0.5 * float(r @ r)


def kkt(A, b, x):
    """The scale-free optimality residual of the stopping test, written out here:
    max_i |min(c_i x_i, z_i / c_i)| / ||b|| with c_i the column norms."""
    c = np.linalg.norm(A, axis=0)
    z = A.T @ (A @ x - b)
    return float(np.max(np.abs(np.minimum(c * x, z / c))) / np.linalg.norm(b))


def ref(A, b):
    x, _ = scipy.optimize.nnls(A, b)
    return x, f(A, b, x)


SOLVERS = [
    ("hadamard", dict(L=2)),
    ("hadamard", dict(L=3)),
    ("hadamard", dict(L=2, step="auto")),
    ("hadamard", dict(L=3, step="auto")),
    ("hadamard", dict(L=2, form="x")),
    ("hadamard", dict(L=3, form="x")),
    ("hadamard", dict(L=2, accel="nesterov")),
    ("hadamard", dict(L=3, accel="nesterov")),
    ("hadamard", dict(L=2, accel="mirror")),
    ("hadamard", dict(L=3, accel="mirror")),
    ("projected_gradient", {}),
    ("fista", {}),
    ("multiplicative", {}),
    ("lawson_hanson", {}),
]


def _opts(method, kw):
    if method == "lawson_hanson":
        return dict(kw)
    return dict(kw, tol=1e-10, max_iter=4000)


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("method, kw", SOLVERS, ids=[f"{m}-{k}" for m, k in SOLVERS])
def test_objective_matches_scipy_nnls(method, kw, seed):
    p = nc.gaussian_problem(80, 30, seed=seed)
    x_ref, f_ref = ref(p.A, p.b)
    assert (x_ref == 0).any() and (x_ref > 0).any()  # the constraint is active
    r = nc.solve(p.A, p.b, method=method, **_opts(method, kw))
    assert r.status in ("converged", "max_iter")
    assert np.all(np.isfinite(r.x)) and np.all(r.x >= 0)
    assert abs(r.objective - f_ref) <= 1e-8 * f_ref
    # the reported numbers describe the returned x
    assert r.objective == pytest.approx(f(p.A, p.b, r.x), rel=1e-10)
    assert r.rnorm == pytest.approx(np.linalg.norm(p.A @ r.x - p.b), rel=1e-10)
    assert r.method == method
    # KKT residual, computed here, is near zero
    assert kkt(p.A, p.b, r.x) <= 1e-4
    assert r.kkt == pytest.approx(kkt(p.A, p.b, r.x), rel=1e-6, abs=1e-14)


@pytest.mark.parametrize("method, kw", [
    ("hadamard", {}), ("hadamard", dict(form="x")), ("hadamard", dict(accel="nesterov", tol=1e-6)),
    ("projected_gradient", {}), ("fista", {}), ("multiplicative", {}), ("lawson_hanson", {}),
])
def test_converged_means_kkt_below_tolerance(method, kw):
    p = nc.gaussian_problem(60, 20, seed=5)
    kw = dict(kw)
    tol = kw.pop("tol", 1e-8)
    opts = {} if method == "lawson_hanson" else dict(tol=tol, max_iter=20000)
    r = nc.solve(p.A, p.b, method=method, **kw, **opts)
    assert r.status == "converged"
    assert kkt(p.A, p.b, r.x) <= (tol if method != "lawson_hanson" else 1e-12) * 1.0001
    x_ref, _ = ref(p.A, p.b)
    np.testing.assert_array_equal(r.x > 1e-6, x_ref > 1e-6)  # same active set


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("method, kw", [
    ("hadamard", dict(alpha=1e-3, max_iter=2000)),
    ("hadamard", dict(alpha=1e-3, form="x", max_iter=2000)),
    ("lawson_hanson", {}),
])
def test_support_recovery_on_easy_sparse_problem(method, kw, seed):
    p = nc.sparse_problem(60, 120, 4, seed=seed)
    r = nc.solve(p.A, p.b, method=method, **kw)
    support = np.flatnonzero(p.x_true)
    assert set(np.argsort(r.x)[-4:]) == set(support)
    off = np.delete(r.x, support)
    assert off.max() < 1e-2 * p.x_true[support].min()
    assert np.abs(r.x - p.x_true).max() < 1e-2


def _l1_problem():
    # A seed where the minimum-l1 non-negative solution is NOT the ground truth.
    p = nc.sparse_problem(20, 60, 10, seed=3)
    lp = scipy.optimize.linprog(np.ones(60), A_eq=p.A, b_eq=p.b, bounds=(0, None),
                                method="highs")
    assert lp.status == 0
    return p, lp.x


def test_l1_reference_differs_from_ground_truth():
    p, x_l1 = _l1_problem()
    assert np.abs(x_l1 - p.x_true).max() > 0.1
    assert x_l1.sum() < p.x_true.sum() - 0.05


def test_small_alpha_approaches_min_l1_solution():
    p, x_l1 = _l1_problem()
    l1 = x_l1.sum()
    gaps = []
    for alpha in (1e-3, 1e-2, 1e-1, 0.5):
        r = nc.hadamard(p.A, p.b, alpha=alpha, tol=1e-9, max_iter=20000)
        assert r.status == "converged"
        assert np.linalg.norm(p.A @ r.x - p.b) < 1e-6  # an interpolating NNLS solution
        gaps.append((r.x.sum() - l1) / l1)
    assert gaps[0] < 0.01
    assert all(g > -1e-6 for g in gaps)  # nobody beats the LP
    assert all(a < b for a, b in zip(gaps, gaps[1:])), gaps
    assert gaps[-1] > 0.5


def test_l1_min_matches_linprog():
    p, x_l1 = _l1_problem()
    r = nc.l1_min(p.A, p.b)
    assert r.status == "converged"
    assert r.x.sum() == pytest.approx(x_l1.sum(), rel=1e-8)
    assert np.linalg.norm(p.A @ r.x - p.b) < 1e-8


def test_l1_min_infeasible_on_noisy_overdetermined_problem():
    p = nc.sparse_problem(80, 30, 5, noise=0.1, seed=0)
    r = nc.l1_min(p.A, p.b)
    assert r.status == "infeasible"
    assert "no non-negative solution" in r.message
    np.testing.assert_array_equal(r.x, 0)


def test_lstsq_is_unconstrained():
    p = nc.gaussian_problem(80, 30, seed=0)
    r = nc.lstsq(p.A, p.b)
    x = np.linalg.lstsq(p.A, p.b, rcond=None)[0]
    np.testing.assert_allclose(r.x, x, atol=1e-12)
    assert (r.x < 0).any() and r.objective < ref(p.A, p.b)[1]
    assert f"{int((x < 0).sum())} negative entries" in r.message


@pytest.mark.parametrize("problem", [
    lambda: nc.gaussian_problem(30, 10, seed=0),
    lambda: nc.gaussian_problem(10, 30, seed=1),
    lambda: nc.sparse_problem(40, 20, 5, noise=0.3, negative_perturbation=0.3, seed=2),
])
def test_multiplicative_never_increases_objective(problem):
    p = problem()
    assert (p.A < 0).any() and (p.A > 0).any()
    r = nc.multiplicative(p.A, p.b, max_iter=3000, tol=1e-12)
    obj = r.history.objective
    assert len(obj) == r.n_iter + 1 > 50
    assert np.all(np.diff(obj) <= 1e-12 * obj[:-1])
    assert obj[-1] < obj[0]
    np.testing.assert_allclose(r.history.x[0], 1.0)  # starts from x = 1


@pytest.mark.parametrize("method", ["hadamard", "projected_gradient", "fista"])
def test_sparse_and_linear_operator_match_dense(method):
    p = nc.gaussian_problem(80, 30, seed=0)
    results = [nc.solve(A, p.b, method=method, tol=1e-10)
               for A in (p.A, sp.csr_array(p.A), sp.csr_matrix(p.A), aslinearoperator(p.A))]
    x_ref, f_ref = ref(p.A, p.b)
    for r in results:
        assert r.status == "converged"
        np.testing.assert_allclose(r.x, results[0].x, atol=1e-8)
        assert abs(r.objective - f_ref) <= 1e-8 * f_ref


def test_sparse_matrix_accepted_by_direct_methods():
    p = nc.gaussian_problem(40, 15, seed=4)
    x_ref, _ = ref(p.A, p.b)
    for method in ("lawson_hanson", "multiplicative"):
        r = nc.solve(sp.csr_array(p.A), p.b, method=method)
        np.testing.assert_allclose(r.x, x_ref, atol=1e-5)


def test_lawson_hanson_with_linear_operator_raises():
    p = nc.gaussian_problem(20, 10, seed=0)
    with pytest.raises(ValueError, match="needs an explicit matrix"):
        nc.lawson_hanson(aslinearoperator(p.A), p.b)


def test_lawson_hanson_max_iter_status():
    p = nc.gaussian_problem(80, 30, seed=0)
    r = nc.lawson_hanson(p.A, p.b, max_iter=1)
    assert r.status == "max_iter"
    assert "scipy.optimize.nnls" in r.message


SETTINGS = settings(max_examples=25, deadline=None, derandomize=True)
shape_seed_scale = dict(m=st.integers(2, 25), n=st.integers(1, 12), seed=st.integers(0, 10**6),
                        scale=st.floats(1e-3, 1e3))


@SETTINGS
@given(**shape_seed_scale)
def test_property_fista_kkt_and_objective(m, n, seed, scale):
    rng = np.random.default_rng(seed)
    A = scale * rng.standard_normal((m, n))
    b = scale * rng.standard_normal(m)
    assume(np.abs(A.T @ b).max() > 0)
    r = nc.fista(A, b, tol=1e-10, max_iter=20000)
    x_ref, f_ref = ref(A, b)
    assert r.status == "converged"
    assert kkt(A, b, r.x) <= 1e-10 * 1.0001
    assert r.objective <= f_ref + 1e-7 * f(A, b, np.zeros(n))


@SETTINGS
@given(m=st.integers(2, 25), n=st.integers(1, 8), seed=st.integers(0, 10**6),
       scale=st.floats(1e-2, 1e2))
def test_property_hadamard_kkt(m, n, seed, scale):
    assume(m >= n + 2)  # well-posed: a unique solution
    rng = np.random.default_rng(seed)
    A = scale * rng.standard_normal((m, n))
    b = scale * rng.standard_normal(m)
    r = nc.hadamard(A, b, tol=1e-8, max_iter=20000)
    x_ref, f_ref = ref(A, b)
    assert r.status == "converged", r.message
    assert np.all(r.x >= 0)
    assert kkt(A, b, r.x) <= 1e-8 * 1.0001
    assert r.objective <= f_ref * (1 + 1e-6) + 1e-12 * f(A, b, np.zeros(n))


@SETTINGS
@given(m=st.integers(2, 25), n=st.integers(1, 12), seed=st.integers(0, 10**6),
       c=st.floats(1e-3, 1e3))
@pytest.mark.parametrize("method", ["lawson_hanson", "fista"])
def test_property_scaling_b_scales_solution(method, m, n, seed, c):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((m, n))
    b = rng.standard_normal(m)
    x1 = nc.solve(A, b, method=method, **({} if method == "lawson_hanson" else
                                            dict(tol=1e-12, max_iter=20000))).x
    x2 = nc.solve(A, c * b, method=method, **({} if method == "lawson_hanson" else
                                                dict(tol=1e-12, max_iter=20000))).x
    np.testing.assert_allclose(x2, c * x1, rtol=1e-7, atol=1e-9 * c * max(1.0, np.abs(x1).max()))
