"""The batched engine against sequential solves, and the paper's experiments."""

import numpy as np
import pytest
import scipy.optimize

import nnls_core as nc
from nnls_core.experiments import (
    PT_METHODS, acceleration, decay_rates, implicit_bias, perturbation_stability,
    phase_transition,
)
from nnls_core.sweep import grid, sweep


@pytest.fixture(scope="module")
def e1():
    return nc.sparse_problem(10, 50, 3, seed=0)


def _same(r, q, atol=1e-10):
    assert r.status == q.status, (r.message, q.message)
    assert r.n_iter == q.n_iter
    np.testing.assert_allclose(r.x, q.x, rtol=0, atol=atol)
    np.testing.assert_allclose(r.history.objective, q.history.objective, rtol=1e-9, atol=1e-14)
    np.testing.assert_array_equal(r.history.iterations, q.history.iterations)
    np.testing.assert_allclose(r.history.x, q.history.x, rtol=0, atol=atol)
    np.testing.assert_allclose(r.history.l1, q.history.l1, rtol=1e-9)
    assert r.method == q.method == "hadamard"
    assert abs(r.rnorm - q.rnorm) <= 1e-10 and np.isfinite(r.x).all()


@pytest.mark.parametrize("form", ["u", "x"])
def test_shared_A_equals_sequential(form):
    p = nc.sparse_problem(20, 60, 4, seed=1)
    g = grid(L=[1, 2, 3], alpha=[1e-2, 0.1], decay=[0.0, 0.5])
    steps = [0.05 if L == 1 else 0.02 for L in g["L"]]
    rs = sweep(p.A, p.b, L=g["L"], alpha=g["alpha"], decay=g["decay"], step=steps,
                 form=form, max_iter=1500, tol=1e-5)
    assert len(rs) == 12
    for j, r in enumerate(rs):
        q = nc.solve(p.A, p.b, method="hadamard", L=g["L"][j], alpha=g["alpha"][j],
                     decay=g["decay"][j], step=steps[j], form=form, max_iter=1500, tol=1e-5)
        _same(r, q)
    assert {r.status for r in rs} >= {"converged", "max_iter"}


def test_stacked_problems_and_several_b_equal_sequential():
    ps = [nc.sparse_problem(15, 40, 3, seed=s) for s in range(5)]
    A, b = np.stack([p.A for p in ps]), np.stack([p.b for p in ps])
    etas = [0.02, 0.03, 0.04, 0.05, 0.06]
    rs = sweep(A, b, L=2, alpha=1e-2, step=etas, max_iter=3000, tol=1e-6)
    for p, eta, r in zip(ps, etas, rs):
        _same(r, nc.solve(p.A, p.b, L=2, alpha=1e-2, step=eta, max_iter=3000, tol=1e-6))
    # one A, several right-hand sides
    rs = sweep(ps[0].A, b, L=3, alpha=0.1, step=0.03, max_iter=2000, tol=1e-6)
    for bb, r in zip(b, rs):
        _same(r, nc.solve(ps[0].A, bb, L=3, alpha=0.1, step=0.03, max_iter=2000, tol=1e-6))


def test_divergence_per_run_like_sequential(e1):
    steps = [0.02, 5.0, 50.0]
    for L in (2, 3):
        rs = sweep(e1.A, e1.b, L=L, alpha=0.3, step=steps, max_iter=800, tol=1e-6)
        for eta, r in zip(steps, rs):
            q = nc.solve(e1.A, e1.b, L=L, alpha=0.3, step=eta, max_iter=800, tol=1e-6)
            _same(r, q)
        assert rs[0].status != "diverged" and rs[2].status == "diverged"
        assert "diverged at iteration" in rs[2].message


def test_progress_record_and_validation(e1):
    seen = []
    rs = sweep(e1.A, e1.b, alpha=[1e-2, 1e-1], step=0.02, max_iter=3000, record=False,
                 progress=seen.append)
    assert seen and seen[-1] == 1.0 and all(0 <= f <= 1 for f in seen)
    assert seen == sorted(seen)
    assert rs[0].history.x.shape == (2, 50) and len(rs[0].history.objective) == 2
    full = sweep(e1.A, e1.b, alpha=[1e-2, 1e-1], step=0.02, max_iter=3000)
    for a, b_ in zip(rs, full):
        np.testing.assert_array_equal(a.x, b_.x)
        assert a.history.objective[-1] == b_.history.objective[-1]
    with pytest.raises(ValueError, match="step kind"):
        sweep(e1.A, e1.b, step=[0.1, "auto"])
    with pytest.raises(ValueError, match="different lengths"):
        sweep(e1.A, e1.b, alpha=[1e-2, 1e-1], L=[2, 3, 4])
    with pytest.raises(ValueError, match="decay"):
        sweep(e1.A, e1.b, decay=1.5)
    with pytest.raises(ValueError, match="rows"):
        sweep(e1.A, e1.b[:5])


def test_implicit_bias_towards_the_lp_solution(e1):
    """E1: the l1 norm of the limit grows with alpha; at alpha = 1e-3 it is within 1 % of
    the LP value computed independently by scipy.optimize.linprog."""
    lp = scipy.optimize.linprog(np.ones(50), A_eq=e1.A, b_eq=e1.b, bounds=(0, None),
                                method="highs")
    alphas = [1e-3, 3.2e-3, 1e-2, 3.2e-2, 1e-1]
    ib = implicit_bias(e1.A, e1.b, alphas=alphas, Ls=[2], x_true=e1.x_true,
                         step="fixed", tol=1e-6)
    assert ib.converged.all()
    l1 = ib.l1[0]
    assert np.all(np.diff(l1) > 0), l1
    assert abs(ib.l1_lp - lp.fun) < 1e-8
    assert lp.fun <= l1[0] <= 1.01 * lp.fun
    assert ib.l1_lh > l1[-1] and ib.l1_true > l1[0]
    for r in ib.results[0]:
        assert r.objective < 1e-10  # the limits solve A x = b
    # the same story with Barzilai-Borwein steps and L = 3 (stronger bias)
    bb = implicit_bias(e1.A, e1.b, alphas=[1e-2, 1e-1], Ls=[2, 3])
    assert np.all(np.diff(bb.l1, axis=1) > 0)
    assert bb.distance[1, 0] < bb.distance[0, 0]  # L = 3 closer to x_l1 than L = 2
    assert bb.l1[1, 0] <= 1.005 * lp.fun


def test_phase_transition_corners():
    pt = phase_transition(30, [0.2, 1.0], [0.1, 1.0], trials=3, max_iter=20_000)
    for mth in PT_METHODS:
        assert pt.success[mth][1, 0] == 1.0, mth  # m = n, s = 3: easy
        assert pt.success[mth][0, 1] == 0.0, mth  # m = 6, s = 6: hopeless
    assert pt.ms.tolist() == [6, 30] and pt.ss.tolist() == [[1, 6], [3, 30]]


def test_perturbation_error_grows_with_size():
    pe = perturbation_stability(20, 50, 3, [1e-3, 1e-2, 1e-1], trials=2)
    for mth, err in pe.error.items():
        med = np.median(err, axis=1)
        assert np.all(np.diff(med) > 0), (mth, med)
        assert med[-1] < 1.0
    assert pe.failures == {"hadamard": 0, "lawson_hanson": 0, "l1_min": 0}


def test_decay_and_acceleration_rates():
    """E3: a larger gamma leaves a larger residual; E4: acceleration beats plain GD."""
    p = nc.sparse_problem(20, 50, 3, seed=0)
    dec = decay_rates(p.A, p.b, gammas=[0, 0.25, 0.5, 0.75], Ls=[2, 3], alpha=0.1,
                        step=0.1, max_iter=3000)
    for L in (2.0, 3.0):
        final = [dec[(L, g)].rnorm for g in (0.0, 0.25, 0.5, 0.75)]
        assert np.all(np.diff(final) > 0), final
        assert all(dec[(L, g)].status != "diverged" for g in (0.0, 0.25, 0.5, 0.75))
    acc = acceleration(p.A, p.b, alpha=1e-3, step=1e-2, max_iter=3000, flows=False)
    assert acc["nesterov"].rnorm < 0.1 * acc["plain"].rnorm
    assert acc["mirror"].rnorm < 0.1 * acc["plain"].rnorm
    # each equals the sequential library call it stands for
    q = nc.solve(p.A, p.b, L=2, alpha=1e-3, step=1e-2, accel="mirror", max_iter=3000,
                 tol=1e-12)
    np.testing.assert_array_equal(acc["mirror"].x, q.x)


def test_batch_rows_keep_the_single_runs_blas_threads(monkeypatch):
    """Whether BLAS runs on two threads depends on one product (m n), not on the batch:
    with the threshold between m n and B m n, BB rows of a sweep still equal single runs
    bit for bit (two threads round A^T r differently, and BB turns that into other
    iterates)."""
    from threadpoolctl import threadpool_limits

    from nnls_core import _threads

    m, n = 500, 2000
    p = nc.sparse_problem(m, n, 12, seed=3)
    monkeypatch.setattr(_threads, "SINGLE_THREAD_BELOW", 2 * m * n)
    alphas = [1e-2, 3e-2]
    with threadpool_limits(2, user_api="blas"):  # the suite runs on one (conftest.py)
        rs = sweep(p.A, p.b, L=2, alpha=alphas, step="bb", max_iter=300)
        qs = [nc.hadamard(p.A, p.b, L=2, alpha=a, step="bb", max_iter=300) for a in alphas]
    for r, q in zip(rs, qs):
        assert q.n_iter == r.n_iter and np.array_equal(q.x, r.x)
