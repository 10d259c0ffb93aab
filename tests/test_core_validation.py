"""Every ValueError of the core library, with its message checked."""

import re
import numpy as np
import pytest
import scipy.sparse as sp

import nnls_core as nc
from nnls_core import Problem, gaussian_problem, sparse_problem

A = np.array([[1.0, 2.0, 0.5], [0.0, 1.0, -1.0], [2.0, 0.0, 1.0], [1.0, 1.0, 1.0]])
B = np.array([1.0, 0.5, -0.2, 2.0])


@pytest.mark.parametrize("method", ["hadamard", "lawson_hanson", "projected_gradient", "fista",
                                    "multiplicative", "lstsq", "l1_min"])
@pytest.mark.parametrize("Abad, bbad, match", [
    (np.ones(3), np.ones(3), r"A must be 2-D, got shape \(3,\)"),
    (np.ones((2, 2, 2)), np.ones(2), r"A must be 2-D, got shape \(2, 2, 2\)"),
    (A, np.ones((4, 2)), r"b must be a vector of length 4, got shape \(4, 2\)"),
    (A, np.ones(3), r"b has length 3 but A has 4 rows \(A is 4 x 3\)"),
    (np.where(np.eye(4, 3) > 0, np.nan, A), B,
     r"A contains 3 non-finite value\(s\) \(NaN or Inf\), first at index \(0, 0\)"),
    (A, np.array([1.0, np.inf, 0.0, 1.0]), r"b contains 1 non-finite value\(s\).*first at index 1$"),
    (A, np.array([1.0, -np.inf, np.nan, 1.0]), r"b contains 2 non-finite value\(s\)"),
    (np.zeros((0, 3)), np.zeros(0), r"A is empty \(shape \(0, 3\)\)"),
    (A, np.zeros(0), r"b is empty"),
    (np.array([["a", "b"], ["c", "d"]]), np.ones(2), r"A must be numeric, got dtype <U1"),
    (np.array([[1, None]], dtype=object), np.ones(1), r"A must be numeric, got dtype object"),
    (A + 1j, B, r"A must be real, got complex values"),
    (A, B + 0j, r"b must be real, got complex values"),
    ([[1.0, 2.0], [3.0]], np.ones(2), r"A could not be read as an array"),
])
def test_bad_arrays_raise_for_every_method(method, Abad, bbad, match):
    with pytest.raises(ValueError, match=match):
        nc.solve(Abad, bbad, method=method)


def test_sparse_matrix_with_nan_raises():
    M = sp.csr_array(np.array([[1.0, np.nan], [0.0, 1.0]]))
    with pytest.raises(ValueError, match=r"A contains non-finite values \(NaN or Inf\)"):
        nc.solve(M, np.ones(2), method="fista")


def test_too_large_array_is_refused_without_allocation():
    huge = np.broadcast_to(np.float64(0.0), (50_000_001, 1))
    with pytest.raises(ValueError, match=r"A has 50,000,001 entries; the limit is 50,000,000"):
        nc.solve(huge, np.zeros(50_000_001))


def test_bool_and_int_inputs_are_accepted():
    r = nc.solve(np.eye(3, dtype=bool), np.array([1, 0, 2]), method="lawson_hanson")
    np.testing.assert_allclose(r.x, [1.0, 0.0, 2.0])


@pytest.mark.parametrize("kw, match", [
    (dict(L=0.5), r"L must be between 1 and 64, got 0.5"),
    (dict(L=0), r"L must be between 1 and 64, got 0"),
    (dict(L=-2), r"L must be between 1 and 64, got -2"),
    (dict(L=np.nan), r"L must be between 1 and 64"),
    (dict(L=1e300), r"L must be between 1 and 64"),
    (dict(L="two"), r"L must be a number, got 'two'"),
    (dict(alpha=0), r"alpha must be finite and > 0, got 0"),
    (dict(alpha=-1e-3), r"alpha must be finite and > 0, got -0.001"),
    (dict(alpha=np.inf), r"alpha must be finite and > 0"),
    (dict(step=0.1, decay=-0.1), r"decay must be finite and >= 0, got -0.1"),
    (dict(step=0.1, decay=1.5), r"decay must be in \[0, 1\], got 1.5"),
    (dict(form="z"), r"form must be 'u' or 'x', got 'z'"),
    (dict(accel="adam"), r"accel must be None, 'nesterov' or 'mirror', got 'adam'"),
    (dict(step="fast"), r"step must be a positive number or one of \('auto', 'bb'\) "
                        r"\(with accel=None\), got 'fast'"),
    (dict(step="bb", accel="nesterov"), r"step must be a positive number or one of "
                                        r"\('auto',\) \(with accel='nesterov'\), got 'bb'"),
    (dict(step="bb", accel="mirror"), r"one of \('auto',\) \(with accel='mirror'\)"),
    (dict(step=0.0), r"step must be finite and > 0, got 0.0"),
    (dict(step=-1.0), r"step must be finite and > 0, got -1.0"),
    (dict(step="auto", decay=0.5), r"decay applies to a fixed step; use step=<number> with decay"),
    (dict(decay=0.5), r"decay applies to a fixed step"),
    (dict(max_iter=-1), r"max_iter must be >= 0, got -1"),
    (dict(max_iter=1.5), r"max_iter must be an integer, got 1.5"),
    (dict(max_iter=True), r"max_iter must be an integer, got True"),
    (dict(tol=-1e-6), r"tol must be finite and >= 0, got -1e-06"),
])
def test_hadamard_option_errors(kw, match):
    with pytest.raises(ValueError, match=match):
        nc.hadamard(A, B, **kw)
    with pytest.raises(ValueError, match=match):
        nc.solve(A, B, method="hadamard", **kw)


def test_integral_float_max_iter_is_accepted():
    r = nc.hadamard(A, B, max_iter=3.0, tol=0)
    assert r.n_iter == 3


@pytest.mark.parametrize("method", ["projected_gradient", "fista"])
@pytest.mark.parametrize("kw, match", [
    (dict(step=0), r"step must be finite and > 0, got 0"),
    (dict(max_iter=-5), r"max_iter must be >= 0, got -5"),
    (dict(tol=np.nan), r"tol must be finite and >= 0"),
])
def test_first_order_option_errors(method, kw, match):
    with pytest.raises(ValueError, match=match):
        nc.solve(A, B, method=method, **kw)


@pytest.mark.parametrize("method", ["foo", "Hadamard", None, 3, ["hadamard"]])
def test_unknown_method(method):
    with pytest.raises(ValueError, match=r"unknown method .*; choose one of \['fista', "
                                         r"'hadamard', 'l1_min', 'lawson_hanson', 'lstsq', "
                                         r"'multiplicative', 'projected_gradient'\]"):
        nc.solve(A, B, method=method)


@pytest.mark.parametrize("method, opts, bad", [
    ("fista", dict(alpha=1e-2), "['alpha']"),
    ("lawson_hanson", dict(tol=1e-8), "['tol']"),
    ("hadamard", dict(maxiter=10, lr=0.1), "['lr', 'maxiter']"),
    ("lstsq", dict(max_iter=3), "['max_iter']"),
    ("l1_min", dict(L=2), "['L']"),
])
def test_unknown_option(method, opts, bad):
    pattern = (rf"method '{method}' does not take option\(s\) " + re.escape(bad)
               + r"; it takes \[")
    with pytest.raises(ValueError, match=pattern):
        nc.solve(A, B, method=method, **opts)


def test_lawson_hanson_rejects_linear_operator():
    from scipy.sparse.linalg import aslinearoperator
    for method in ("lawson_hanson", "multiplicative", "lstsq", "l1_min"):
        with pytest.raises(ValueError, match=rf"method '{method}' needs an explicit matrix; "
                                             r"a LinearOperator is accepted only by"):
            nc.solve(aslinearoperator(A), B, method=method)


def test_linear_operator_b_mismatch():
    from scipy.sparse.linalg import aslinearoperator
    with pytest.raises(ValueError, match=r"b has length 2 but A has 4 rows"):
        nc.hadamard(aslinearoperator(A), np.ones(2))


# ---------------------------------------------------------------- Problem.from_arrays
def test_from_arrays_accepts_column_b():
    p = Problem.from_arrays(A, B[:, None], x_true=np.ones(3))
    assert p.b.shape == (4,) and p.shape == (4, 3)
    np.testing.assert_array_equal(p.b, B)
    assert p.name == "user data" and p.seed is None


@pytest.mark.parametrize("kwargs, match", [
    (dict(A=A, b=np.ones((4, 2))), r"b must be a vector, got shape \(4, 2\)"),
    (dict(A=A, b=np.ones((2, 2, 1))), r"b must be 1-D or 2-D, got shape \(2, 2, 1\)"),
    (dict(A=A, b=np.ones(5)), r"b has length 5 but A has 4 rows \(A is 4 x 3\)"),
    (dict(A=A, b=np.ones((1, 5))), r"b has length 5 but A has 4 rows"),
    (dict(A=A, b=B, x_true=np.ones(4)), r"x_true has length 4 but A has 3 columns"),
    (dict(A=A, b=B, x_true=np.array([1.0, np.nan, 0.0])), r"x_true contains 1 non-finite"),
    (dict(A=np.ones(3), b=B), r"A must be 2-D, got shape \(3,\)"),
    (dict(A=[[np.inf, 1.0]], b=[1.0]), r"A contains 1 non-finite value\(s\)"),
    (dict(A=np.zeros((3, 0)), b=np.zeros(3)), r"A is empty \(shape \(3, 0\)\)"),
    (dict(A=[["x"]], b=[1.0]), r"A must be numeric"),
    (dict(A=A, b=B * 1j), r"b must be real"),
])
def test_from_arrays_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Problem.from_arrays(**kwargs)


# ---------------------------------------------------------------- generators
@pytest.mark.parametrize("call, match", [
    (lambda: sparse_problem(10, 5, 6), r"sparsity must be <= n = 5, got 6"),
    (lambda: sparse_problem(10, 5, -1), r"sparsity must be >= 0, got -1"),
    (lambda: sparse_problem(10, 5, 2.5), r"sparsity must be an integer, got 2.5"),
    (lambda: sparse_problem(10, 5, 2, correlation=1.0), r"correlation must be in \[0, 1\), got 1.0"),
    (lambda: sparse_problem(10, 5, 2, correlation=-0.1), r"correlation must be finite and >= 0"),
    (lambda: sparse_problem(10, 5, 2, noise=-0.1), r"noise must be finite and >= 0, got -0.1"),
    (lambda: sparse_problem(10, 5, 2, noise=np.nan), r"noise must be finite and >= 0"),
    (lambda: sparse_problem(10, 5, 2, negative_perturbation=-1),
     r"negative_perturbation must be finite and >= 0, got -1"),
    (lambda: sparse_problem(0, 5, 0), r"m must be >= 1, got 0"),
    (lambda: sparse_problem(5, 0, 0), r"n must be >= 1, got 0"),
    (lambda: sparse_problem(100_000, 100_000, 1), r"m \* n = 10,000,000,000 exceeds the limit"),
    (lambda: gaussian_problem(0, 3), r"m must be >= 1, got 0"),
    (lambda: gaussian_problem(3, "4"), r"n must be an integer, got '4'"),
    (lambda: gaussian_problem(10_000, 10_000), r"m \* n = 100,000,000 exceeds the limit of "
                                               r"50,000,000 entries"),
])
def test_generator_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ---------------------------------------------------------------- flows
@pytest.mark.parametrize("flow", [nc.gradient_flow, nc.accelerated_flow])
@pytest.mark.parametrize("kw, match", [
    (dict(b=np.ones(3)), r"b has length 3 but A has 4 rows"),
    (dict(alpha=0), r"alpha must be finite and > 0"),
    (dict(t_max=0), r"t_max must be finite and > 0, got 0"),
    (dict(t_max=-1), r"t_max must be finite and > 0"),
    (dict(A=np.ones(4)), r"A must be 2-D"),
])
def test_flow_errors(flow, kw, match):
    args = dict(A=A, b=B)
    args.update(kw)
    with pytest.raises(ValueError, match=match):
        flow(args.pop("A"), args.pop("b"), **args)


def test_gradient_flow_bad_L():
    with pytest.raises(ValueError, match=r"L must be >= 1, got 0.5"):
        nc.gradient_flow(A, B, L=0.5)
