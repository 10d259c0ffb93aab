"""nnls_core.nmf against independent references: finite differences, dense Hessians and
power iteration, scikit-learn, exact low-rank data."""

import re

import numpy as np
import pytest

from nnls_core import nmf

KINDS = ["none", "identity", "diff"]


def _problem(seed=0, m=9, n=7, r=3):
    rng = np.random.default_rng(seed)
    return rng.random((m, n)), rng.random((m, r)), rng.random((r, n))


def _M(kind, m, seed=0):
    if kind == "random":
        return np.random.default_rng(seed).standard_normal((m + 2, m))
    return nmf.regularizer(kind, m)


def _f(X, W, H, lam, M):
    """Objective written out independently of the module."""
    f = np.linalg.norm(X - W @ H, "fro") ** 2
    if M is not None:
        f += lam * np.linalg.norm(M @ W, "fro") ** 2
    return f


# --------------------------------------------------------------------------- formulas
@pytest.mark.parametrize("kind", KINDS + ["random"])
def test_gradients_match_entrywise_finite_differences(kind):
    X, W, H = _problem(1)
    lam = 0.7
    M = _M(kind, X.shape[0])
    assert nmf.objective(X, W, H, lam, M) == pytest.approx(_f(X, W, H, lam, M), rel=1e-12)
    gW, gH = nmf.gradients(X, W, H, lam, M)
    h = 1e-6
    for A, G, which in ((W, gW, "W"), (H, gH, "H")):
        fd = np.zeros_like(A)
        for idx in np.ndindex(A.shape):
            E = np.zeros_like(A)
            E[idx] = h
            args_p = (W + E, H) if which == "W" else (W, H + E)
            args_m = (W - E, H) if which == "W" else (W, H - E)
            fd[idx] = (_f(X, *args_p, lam, M) - _f(X, *args_m, lam, M)) / (2 * h)
        np.testing.assert_allclose(G, fd, rtol=1e-6, atol=1e-7)


def test_gradient_check_helper_agrees():
    X, W, H = _problem(2)
    out = nmf.gradient_check(X, W, H, 0.5, nmf.regularizer("diff", X.shape[0]))
    assert out["W"][2] < 1e-7 and out["H"][2] < 1e-7


def _dense_hessian_W(X, W, H, lam, M):
    """Hessian in vec(W) built column by column from gradient differences."""
    g0 = nmf.gradients(X, W, H, lam, M)[0]
    cols = []
    for idx in np.ndindex(W.shape):
        E = np.zeros_like(W)
        E[idx] = 1.0
        cols.append((nmf.gradients(X, W + E, H, lam, M)[0] - g0).ravel())
    return np.array(cols).T


@pytest.mark.parametrize("kind", KINDS + ["random"])
def test_lipschitz_equals_power_iteration_and_dense_hessian(kind):
    X, W, H = _problem(3, m=8, n=6, r=3)
    lam = 0.8
    M = _M(kind, X.shape[0])
    LW, LH = nmf.lipschitz(W, H, lam, M)
    pW, _ = nmf.lipschitz_power(X, W, H, lam, M, block="W", max_iter=20000, tol=1e-15)
    pH, _ = nmf.lipschitz_power(X, W, H, lam, M, block="H", max_iter=20000, tol=1e-15)
    assert pW == pytest.approx(LW, rel=1e-6)
    assert pH == pytest.approx(LH, rel=1e-6)
    # independent of our power iteration too: largest eigenvalue of the dense Hessian
    Hess = _dense_hessian_W(X, W, H, lam, M)
    assert np.linalg.eigvalsh((Hess + Hess.T) / 2)[-1] == pytest.approx(LW, rel=1e-9)


def test_seed_lipschitz_is_wrong_shape():
    """The seed adds H H^T (r x r) to lam M^T M (m x m): only the Kronecker sum is right."""
    X, W, H = _problem(4)
    M = nmf.regularizer("identity", X.shape[0])
    assert (H @ H.T).shape != (M.T @ M).shape
    LW, _ = nmf.lipschitz(W, H, 2.0, M)
    assert LW == pytest.approx(2 * (np.linalg.norm(H, 2) ** 2 + 2.0))


# --------------------------------------------------------------------------- monotonicity
CASES = [(0.0, "none"), (0.5, "identity"), (0.5, "diff"), (0.3, "random")]


def _lee_seung_data():
    X = np.abs(np.random.RandomState(42).randn(20, 15))
    return X, 10


@pytest.mark.parametrize("lam,kind", CASES)
def test_multiplicative_single_iterations_never_increase(lam, kind):
    X, r = _lee_seung_data()
    M = _M(kind, X.shape[0])
    W, H = nmf.init(X, r, "random", seed=0)
    f = _f(X, W, H, lam, M)
    for _ in range(30):
        res = nmf.solve(X, r, "multiplicative", lam=lam, M=M, max_iter=1, init=(W, H))
        W, H = res.W, res.H
        f_new = _f(X, W, H, lam, M)
        assert f_new <= f * (1 + 1e-12)
        assert res.objective == pytest.approx(f_new, rel=1e-9)
        f = f_new
        assert (W >= 0).all() and (H >= 0).all()


@pytest.mark.parametrize("lam,kind", CASES)
def test_projected_gradient_step_one_over_L_never_increases(lam, kind):
    X, r = _lee_seung_data()
    M = _M(kind, X.shape[0])
    W, H = nmf.init(X, r, "random", seed=1)
    f = _f(X, W, H, lam, M)
    for _ in range(30):
        res = nmf.solve(X, r, "projected_gradient", lam=lam, M=M, max_iter=1, init=(W, H))
        W, H = res.W, res.H
        f_new = _f(X, W, H, lam, M)
        assert f_new <= f * (1 + 1e-12)
        f = f_new


def test_projected_gradient_is_one_projected_step_per_block():
    X, r = _lee_seung_data()
    W, H = nmf.init(X, r, seed=2)
    res = nmf.solve(X, r, "projected_gradient", max_iter=1, init=(W, H))
    LW = 2 * np.linalg.norm(H, 2) ** 2
    W1 = np.maximum(W - nmf.gradients(X, W, H)[0] / LW, 0)
    LH = 2 * np.linalg.norm(W1, 2) ** 2
    H1 = np.maximum(H - nmf.gradients(X, W1, H)[1] / LH, 0)
    np.testing.assert_allclose(res.W, W1, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(res.H, H1, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("method,kw", [("projected_gradient", {"accelerate": True}),
                                       ("hadamard", {})])
def test_other_solvers_decrease(method, kw):
    X, r = _lee_seung_data()
    res = nmf.solve(X, r, method, lam=0.3, M=nmf.regularizer("diff", 20), max_iter=100, **kw)
    h = res.history["objective"]
    assert h[-1] < 0.5 * h[0]
    assert np.all(np.diff(h) <= 1e-9 * h[:-1])
    assert np.isfinite(h).all() and len(h) == res.n_iter + 1
    assert res.objective == pytest.approx(_f(X, res.W, res.H, 0.3, nmf.regularizer("diff", 20)))


# --------------------------------------------------------------------------- recovery
def test_exact_low_rank_recovered():
    X, _, _ = nmf.synthetic(40, 30, 4, noise=0.0, seed=3)
    errs = {}
    for method, kw in [("projected_gradient", {"accelerate": True}), ("multiplicative", {}),
                       ("hadamard", {})]:
        res = nmf.solve(X, 4, method, max_iter=800, seed=0, **kw)
        errs[res.method] = np.linalg.norm(X - res.W @ res.H) / np.linalg.norm(X)
        assert res.rel_error == pytest.approx(errs[res.method], rel=1e-6, abs=1e-12)
    assert min(errs.values()) < 1e-3, errs


def test_swimmer_is_exactly_factorizable_and_recovered():
    X, parts, shape = nmf.swimmer()
    assert X.shape == (1024, 256) and shape == (32, 32) and parts.shape[1] == 17
    coef = np.linalg.lstsq(parts, X, rcond=None)[0]
    np.testing.assert_allclose(parts @ coef, X, atol=1e-9)
    res = nmf.solve(X, 17, "projected_gradient", accelerate=True, max_iter=300, seed=0)
    assert res.rel_error < 1e-3


def test_multiplicative_matches_sklearn_mu_from_same_start():
    X = np.abs(np.random.RandomState(0).randn(30, 25))
    ours = nmf.solve(X, 5, "multiplicative", max_iter=50, seed=0)
    ref = nmf.sklearn_nmf(X, 5, "mu", max_iter=50, seed=0)
    # same algorithm (sklearn updates W then H too): same objective up to round-off
    assert ours.objective == pytest.approx(ref.objective, rel=1e-6)
    assert ref.objective_half == pytest.approx(0.5 * ref.objective)


def test_digits_loader_and_init():
    X, y, shape = nmf.digits()
    assert X.shape == (64, 1797) and shape == (8, 8) and X.min() >= 0
    for method in ("random", "nndsvd", "nndsvda"):
        W, H = nmf.init(X, 16, method, seed=0)
        assert W.shape == (64, 16) and H.shape == (16, 1797)
        assert (W >= 0).all() and (H >= 0).all()
    W1, H1 = nmf.init(X, 16, "random", seed=5)
    W2, H2 = nmf.init(X, 16, "random", seed=5)
    np.testing.assert_array_equal(W1, W2)
    # nndsvd is a rank-r approximation comparable to the truncated SVD
    W, H = nmf.init(X, 16, "nndsvd")
    assert np.linalg.norm(X - W @ H) < 0.8 * np.linalg.norm(X)


# --------------------------------------------------------------------------- validation
@pytest.mark.parametrize("kwargs,match", [
    ({"X": -np.ones((4, 3))}, "non-negative"),
    ({"X": np.full((4, 3), np.nan)}, "non-finite"),
    ({"X": np.ones(4)}, "2-D"),
    ({"r": 5}, "too large"),
    ({"r": 0}, ">= 1"),
    ({"lam": -1.0}, "lam"),
    ({"M": np.ones((3, 7))}, "columns"),
    ({"method": "newton"}, "method"),
    ({"init": "zeros"}, "init"),
    ({"max_iter": 0}, "max_iter"),
])
def test_bad_input_raises_clear_value_error(kwargs, match):
    args = {"X": np.ones((4, 3)), "r": 2, "method": "multiplicative", "lam": 0.1,
            "M": np.eye(4), "max_iter": 5, "init": "random"}
    args.update(kwargs)
    X, r = args.pop("X"), args.pop("r")
    with pytest.raises(ValueError, match=match):
        nmf.solve(X, r, **args)


def test_regularizer_shapes():
    assert nmf.regularizer("none", 5) is None
    np.testing.assert_array_equal(nmf.regularizer("identity", 3), np.eye(3))
    D = nmf.regularizer("diff", 5)
    assert D.shape == (4, 5)
    np.testing.assert_array_equal(D @ np.ones(5), np.zeros(4))
    with pytest.raises(ValueError):
        nmf.regularizer("tv", 5)


# --------------------------------------------------------------------------- statuses
def _small():
    return np.abs(np.random.RandomState(42).randn(20, 15)), 10


@pytest.mark.parametrize("method", nmf.METHODS)
def test_tol_zero_full_run_is_max_iter_not_converged(method):
    X, r = _small()
    res = nmf.solve(X, r, method, max_iter=30)
    assert res.status == "max_iter" and not res.success
    assert res.n_iter == 30 and "max_iter = 30" in res.message


@pytest.mark.parametrize("method,kw", [("projected_gradient", {}),
                                       ("projected_gradient", {"accelerate": True}),
                                       ("multiplicative", {}), ("hadamard", {})])
def test_converged_only_when_the_relative_decrease_is_below_tol(method, kw):
    X, r = _small()
    tol = 1e-4
    res = nmf.solve(X, r, method, max_iter=20000, tol=tol, **kw)
    assert res.status == "converged" and res.success, res.message
    f = res.history["objective"]
    assert res.n_iter < 20000 and len(f) == res.n_iter + 1
    assert abs(f[-2] - f[-1]) <= tol * f[-2]  # the rule holds at the end...
    assert np.all(np.abs(np.diff(f[:-1])) > tol * f[:-2])  # ...and nowhere before
    assert res.objective == pytest.approx(_f(X, res.W, res.H, 0.0, None), rel=1e-9)


def test_huge_hadamard_step_diverges_with_finite_factors():
    X, r = _small()
    for step_scale in (10.0, 1e6, 1e300):  # after a few steps, at once, by overflow
        res = nmf.solve(X, r, "hadamard", step_scale=step_scale, max_iter=500)
        assert res.status == "diverged" and not res.success
        assert "step_scale" in res.message and f"iteration {res.n_iter + 1}" in res.message
        assert np.isfinite(res.W).all() and np.isfinite(res.H).all()
        assert np.isfinite(res.objective) and np.isfinite(res.rel_error)
        for v in res.history.values():
            assert np.isfinite(v).all()
        assert res.objective == pytest.approx(_f(X, res.W, res.H, 0.0, None), rel=1e-9)
        assert res.history["iteration"][-1] == res.n_iter < 500


def test_time_limit_ends_a_long_run():
    X, r = _small()
    res = nmf.solve(X, r, "multiplicative", max_iter=10**9, time_limit=0.2)
    assert res.status == "time_limit" and not res.success
    assert 0 < res.n_iter < 10**9 and 0.2 <= res.time_s < 20
    assert "time limit" in res.message


def test_callback_sees_each_iteration_and_can_cancel():
    X, r = _small()
    seen = []

    def cb(k, state):
        assert state.k == k
        seen.append((k, state.objective, state.W.copy(), state.H.copy()))
        return k < 7

    res = nmf.solve(X, r, "projected_gradient", max_iter=100, callback=cb)
    assert res.status == "cancelled" and res.n_iter == 7 and "callback" in res.message
    assert [s[0] for s in seen] == list(range(1, 8))
    np.testing.assert_allclose(res.history["objective"][1:], [s[1] for s in seen])
    np.testing.assert_array_equal(seen[-1][2], res.W)
    np.testing.assert_array_equal(seen[-1][3], res.H)
    # a callback returning None (or anything but False) does not stop the run
    assert nmf.solve(X, r, max_iter=5, callback=lambda k, s: None).status == "max_iter"


def test_fixed_point_is_stalled_not_converged():
    X, r = _small()
    Z = (np.zeros((X.shape[0], r)), np.zeros((r, X.shape[1])))
    for method in nmf.METHODS:  # W = H = 0: every update leaves it in place
        res = nmf.solve(X, r, method, max_iter=50, init=Z)
        assert res.status == "stalled" and res.n_iter == 1, (method, res.message)


@pytest.mark.parametrize("kwargs,match", [
    ({"time_limit": 0}, "time_limit"), ({"time_limit": -1.0}, "time_limit"),
    ({"time_limit": "soon"}, "time_limit"), ({"callback": 3}, "callback must be callable"),
])
def test_bad_budget_raises_clear_value_error(kwargs, match):
    with pytest.raises(ValueError, match=match):
        nmf.solve(np.ones((4, 3)), 2, **kwargs)


def test_sklearn_anchor_reports_a_status():
    X, r = _small()
    res = nmf.sklearn_nmf(X, r, "mu", max_iter=20)
    assert res.status == "max_iter" and res.n_iter == 20
    assert res.history["iteration"].tolist() == [0, 20]


# --------------------------------------------------------------------------- bounded history
def test_history_is_bounded_on_a_long_run():
    X = np.random.default_rng(1).random((8, 6))
    n = 140_000  # more than 2**17 iterations: the log is halved once
    res = nmf.solve(X, 3, "multiplicative", max_iter=n)
    assert res.status == "max_iter" and res.n_iter == n, res.message
    h = res.history
    assert set(h) >= {"objective", "rel_error", "time", "residual_sq", "iteration"}
    lengths = {len(v) for v in h.values()}
    assert len(lengths) == 1 and lengths.pop() <= 2**17 + 1
    it = h["iteration"]
    assert it[0] == 0 and it[-1] == n and np.all(np.diff(it) > 0)
    assert h["objective"][-1] == res.objective


def test_history_thinning_keeps_every_2nd_4th_and_the_last(monkeypatch):
    from nnls_core.nmf import solvers

    monkeypatch.setattr(solvers, "MAX_HISTORY", 64)
    X, r = _small()
    full = nmf.solve(X, r, "projected_gradient", max_iter=1001)
    assert full.history["iteration"][-1] == 1001
    assert len(full.history["objective"]) <= 64
    it = full.history["iteration"]
    stride = int(it[1] - it[0])
    assert stride >= 16 and np.all(it[:-1] % stride == 0) and np.all(np.diff(it[:-1]) == stride)
    monkeypatch.setattr(solvers, "MAX_HISTORY", 2**17)
    ref = nmf.solve(X, r, "projected_gradient", max_iter=1001)
    np.testing.assert_array_equal(ref.history["iteration"], np.arange(1002))
    np.testing.assert_array_equal(full.history["objective"], ref.history["objective"][it])


# --------------------------------------------------------------------------- scale
@pytest.mark.parametrize("value", [1e300, 1e101, -1.0])
def test_extreme_values_in_X_raise_value_error_naming_them(value):
    X = np.ones((4, 3))
    X[1, 2] = value
    if value < 0:  # the sign check comes first and keeps its message
        with pytest.raises(ValueError, match="non-negative"):
            nmf.solve(X, 2)
        return
    for call in (lambda: nmf.solve(X, 2), lambda: nmf.init(X, 2),
                 lambda: nmf.sklearn_nmf(X, 2), lambda: nmf.objective(X, np.ones((4, 2)),
                                                                      np.ones((2, 3)))):
        with pytest.raises(ValueError, match=re.escape(f"magnitude {value:.3g}")):
            call()


def test_tiny_X_raises_and_small_X_is_solved_like_X():
    with pytest.raises(ValueError, match="magnitude 1e-200"):
        nmf.solve(np.full((4, 3), 1e-200), 2)
    X, r = _small()
    for method in nmf.METHODS:  # rescaling X changes nothing but the scale
        a = nmf.solve(X, r, method, max_iter=100)
        for c in (4.0**-160, 4.0**160):
            b = nmf.solve(c * X, r, method, max_iter=100)
            assert b.status == a.status
            np.testing.assert_allclose(b.history["rel_error"], a.history["rel_error"],
                                       rtol=1e-9)


# --------------------------------------------------------------------------- ground truth
def test_match_columns_is_the_best_pairing():
    """Against brute force over every one-to-one pairing (scale and order are free)."""
    import itertools

    rng = np.random.default_rng(3)
    W_true = np.abs(rng.standard_normal((12, 4)))
    W = np.abs(W_true[:, [2, 0, 3, 1]] * [1.0, 5.0, 0.1, 2.0]
               + 0.3 * np.abs(rng.standard_normal((12, 4))))
    W = np.hstack([W, np.abs(rng.standard_normal((12, 1)))])  # one extra column
    order, cos = nmf.match_columns(W, W_true)
    unit = lambda A: A / np.linalg.norm(A, axis=0)  # noqa: E731
    C = unit(W_true).T @ unit(W)
    best = max(itertools.permutations(range(5), 4),
               key=lambda p: sum(C[i, j] for i, j in enumerate(p)))
    assert order[:4].tolist() == list(best) and sorted(order.tolist()) == list(range(5))
    np.testing.assert_allclose(cos, [C[i, j] for i, j in enumerate(best)], rtol=1e-12)
    assert (cos > 0.8).all()  # the noisy pairs still point the same way
    with pytest.raises(ValueError, match="same rows"):
        nmf.match_columns(W[:5], W_true)
