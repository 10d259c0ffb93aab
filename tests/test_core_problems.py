"""Problem generators and the Problem container."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from nnls_core import Problem, gaussian_problem, sparse_problem

SETTINGS = settings(max_examples=30, deadline=None, derandomize=True)


@SETTINGS
@given(m=st.integers(1, 40), n=st.integers(1, 40), data=st.data(),
       seed=st.integers(0, 2**32 - 1))
def test_sparse_problem_shapes_support_and_norm(m, n, data, seed):
    s = data.draw(st.integers(0, n), label="sparsity")
    p = sparse_problem(m, n, s, seed=seed)
    assert p.A.shape == (m, n) and p.b.shape == (m,) and p.x_true.shape == (n,)
    assert p.shape == (m, n)
    assert np.count_nonzero(p.x_true) == s
    assert np.all(p.x_true >= 0)
    if s:
        assert np.linalg.norm(p.x_true) == pytest.approx(1.0, rel=1e-12)
    else:
        assert not p.x_true.any()
    np.testing.assert_allclose(p.b, p.A @ p.x_true, rtol=1e-12, atol=1e-14)
    assert p.seed == seed and np.isfinite(p.A).all()


def test_sparse_problem_is_seeded():
    p, q, r = (sparse_problem(15, 30, 4, seed=s) for s in (7, 7, 8))
    np.testing.assert_array_equal(p.A, q.A)
    np.testing.assert_array_equal(p.x_true, q.x_true)
    assert not np.array_equal(p.A, r.A)


def test_sparse_problem_column_scaling():
    # A ~ N(0, 1/m): columns have squared norm about 1.
    p = sparse_problem(400, 300, 5, seed=0)
    col = np.sum(p.A**2, axis=0)
    assert abs(col.mean() - 1) < 0.02


@pytest.mark.parametrize("noise", [0.05, 0.5])
def test_sparse_problem_noise_level(noise):
    p = sparse_problem(50, 80, 5, noise=noise, seed=3)
    e = p.b - p.A @ p.x_true
    assert np.linalg.norm(e) == pytest.approx(noise * np.linalg.norm(p.A @ p.x_true), rel=1e-10)


def test_sparse_problem_negative_perturbation():
    p = sparse_problem(40, 60, 4, negative_perturbation=0.1, seed=2)
    # b = A (x_true - d), d >= 0 off the support with ||d|| = 0.1
    d = np.linalg.lstsq(p.A, p.A @ p.x_true - p.b, rcond=None)[0]  # one preimage (min-norm)
    assert np.linalg.norm(p.A @ d - (p.A @ p.x_true - p.b)) < 1e-10
    rng = np.random.default_rng(2)  # independent reconstruction of the generator's d
    rng.standard_normal((40, 60))
    support = rng.choice(60, size=4, replace=False)
    vals = np.abs(rng.standard_normal(4))
    np.testing.assert_allclose(p.x_true[support], vals / np.linalg.norm(vals))
    off = np.setdiff1d(np.arange(60), support)
    dd = np.abs(rng.standard_normal(off.size))
    dd = 0.1 * dd / np.linalg.norm(dd)
    np.testing.assert_allclose(p.b, p.A @ p.x_true - p.A[:, off] @ dd, atol=1e-12)


def test_sparse_problem_correlation():
    rho = 0.8
    p = sparse_problem(2000, 6, 2, correlation=rho, seed=1)
    C = np.corrcoef(p.A.T)
    off = C[~np.eye(6, dtype=bool)]
    assert abs(off.mean() - rho) < 0.05
    q = sparse_problem(2000, 6, 2, seed=1)
    assert abs(np.corrcoef(q.A.T)[~np.eye(6, dtype=bool)].mean()) < 0.05


@SETTINGS
@given(m=st.integers(1, 30), n=st.integers(1, 30), seed=st.integers(0, 10**6))
def test_gaussian_problem(m, n, seed):
    p = gaussian_problem(m, n, seed=seed)
    assert p.A.shape == (m, n) and p.b.shape == (m,) and p.x_true is None
    q = gaussian_problem(m, n, seed=seed)
    np.testing.assert_array_equal(p.b, q.b)


def test_from_arrays_copies_and_converts():
    A = [[1, 2], [3, 4], [5, 6]]
    b = np.array([1, 2, 3])
    p = Problem.from_arrays(A, b, x_true=[0, 1], name="mine")
    assert p.A.dtype == np.float64 and p.b.dtype == np.float64
    assert p.A.flags.c_contiguous and p.name == "mine"
    b[0] = 99
    assert p.b[0] == 1.0
    np.testing.assert_array_equal(p.x_true, [0.0, 1.0])
