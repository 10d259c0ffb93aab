"""Bounded iteration logs: History contents and checkpoint_schedule."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import nnls_core as nc
from nnls_core import checkpoint_schedule
from nnls_core.result import MAX_CHECKPOINTS


def test_history_memory_is_bounded_on_a_long_run():
    p = nc.gaussian_problem(20, 2000, seed=0)
    r = nc.hadamard(p.A, p.b, step=1e-12, tol=0, max_iter=100_000)
    h = r.history
    assert r.status == "max_iter" and r.n_iter == 100_000
    assert len(h.objective) == r.n_iter + 1
    assert h.x.shape[0] <= 1001 and h.x.shape[1] == 2000
    assert len(h.iterations) == len(h.kkt) == len(h.l1) == len(h.time_s) == h.x.shape[0]
    assert h.iterations[0] == 0 and h.iterations[-1] == r.n_iter
    assert h.nbytes < 50e6
    assert h.nbytes == sum(a.nbytes for a in (h.objective, h.iterations, h.x, h.kkt, h.l1,
                                               h.time_s, h.objective_iterations))
    np.testing.assert_array_equal(h.x[-1], r.x)


@pytest.mark.parametrize("method, kw", [
    ("hadamard", dict(max_iter=1500)), ("hadamard", dict(accel="mirror", max_iter=1500)),
    ("fista", dict(max_iter=1500)), ("multiplicative", dict(max_iter=1500)),
    ("lawson_hanson", {}), ("lstsq", {}),
    ("l1_min", {}),
])
def test_history_rows_are_consistent_with_the_iterates(method, kw):
    p = nc.sparse_problem(25, 40, 3, seed=4)
    r = nc.solve(p.A, p.b, method=method, **kw)
    h = r.history
    assert len(h.objective) == r.n_iter + 1
    its = h.iterations
    assert its[0] == 0 and its[-1] == r.n_iter
    assert np.all(np.diff(its) > 0)
    for k, x, kk, l1 in zip(its, h.x, h.kkt, h.l1):
        res = p.A @ x - p.b
        assert h.objective[k] == pytest.approx(0.5 * res @ res, rel=1e-9, abs=1e-15)
        c = np.linalg.norm(p.A, axis=0)  # the scale-free residual, written out independently
        expect = np.abs(np.minimum(c * x, p.A.T @ res / c)).max() / np.linalg.norm(p.b)
        assert kk == pytest.approx(expect, rel=1e-9, abs=1e-15)
        assert l1 == pytest.approx(np.abs(x).sum(), rel=1e-12)
    assert np.all(np.diff(h.time_s) >= 0)
    assert r.objective == h.objective[-1] and r.kkt == h.kkt[-1]


def test_short_run_keeps_every_iterate():
    p = nc.gaussian_problem(10, 5, seed=0)
    r = nc.hadamard(p.A, p.b, step=1e-3, tol=0, max_iter=50)
    np.testing.assert_array_equal(r.history.iterations, np.arange(51))


def test_zero_iterations():
    p = nc.gaussian_problem(10, 5, seed=0)
    r = nc.hadamard(p.A, p.b, max_iter=0)
    assert r.n_iter == 0 and len(r.history.objective) == 1
    np.testing.assert_array_equal(r.history.iterations, [0])


def test_doc_examples():
    assert checkpoint_schedule(5).tolist() == [0, 1, 2, 3, 4, 5]
    assert checkpoint_schedule(0).tolist() == [0]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(max_iter=st.integers(0, 10**9), max_points=st.integers(2, 3000))
def test_checkpoint_schedule_properties(max_iter, max_points):
    s = checkpoint_schedule(max_iter, max_points)
    assert s.dtype.kind == "i"
    assert s[0] == 0
    assert np.all(np.diff(s) > 0)  # sorted and unique
    assert len(s) <= max_points
    assert s[-1] <= max_iter
    if max_iter + 1 <= max_points:
        np.testing.assert_array_equal(s, np.arange(max_iter + 1))
    else:
        assert 1 in s  # log-spaced from the first step
        if max_points >= 3:
            assert s[-1] == max_iter


@settings(max_examples=50, deadline=None, derandomize=True)
@given(max_iter=st.integers(0, 10**12))
def test_default_schedule_bound(max_iter):
    s = checkpoint_schedule(max_iter)
    assert len(s) <= MAX_CHECKPOINTS == 1000
    assert s[0] == 0 and s[-1] == max_iter


def test_history_is_bounded_in_bytes_whatever_max_iter_and_n():
    """max_iter = 10**12 allocates nothing up front; a huge n keeps fewer checkpoints."""
    p = nc.gaussian_problem(5, 400_000, seed=0)
    r = nc.hadamard(p.A, p.b, step=1e-12, tol=0, max_iter=10**12, time_limit=1.0)
    assert r.status == "time_limit" and "time limit" in r.message
    h = r.history
    assert h.x.nbytes <= nc.result.X_BUDGET + 8 * p.A.shape[1]
    assert h.iterations[-1] == r.n_iter and h.objective_iterations[-1] == r.n_iter
    assert h.nbytes < 12 * 2**20


def test_objective_log_is_thinned_past_its_budget():
    p = nc.gaussian_problem(3, 4, seed=0)
    n_iter = nc.result.MAX_OBJECTIVES * 2 + 7
    r = nc.hadamard(p.A, p.b, step=1e-14, tol=0, max_iter=n_iter)
    h = r.history
    assert r.n_iter == n_iter and len(h.objective) <= nc.result.MAX_OBJECTIVES + 1
    its = h.objective_iterations
    assert its[0] == 0 and its[-1] == n_iter and np.all(np.diff(its) > 0)
    k = int(its[len(its) // 2])
    x = h.x[0]  # the objective at a logged iteration is the objective of that iterate
    assert h.objective[0] == pytest.approx(0.5 * np.sum((p.A @ x - p.b) ** 2), rel=1e-12)
    assert k % 4 == 0
