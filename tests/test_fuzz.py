"""Property-based fuzzing of every public entry point: ``nc.solve`` (every method),
``nnls_core.sweep.sweep`` and ``nnls_core.nmf.solve``.

Whatever goes in (shapes including empty, 1 x 1, wide and tall; magnitudes from 1e-300
to 1e300; int, float32, bool, complex and object dtypes; NaN and Inf; sparse matrices;
LinearOperators; option values that are huge, negative, NaN, of the wrong type), the
outcome must be one of

* a clean ``ValueError`` or ``TypeError``;
* a Result with finite x, a finite objective and a status in the documented set.

Any other exception (OverflowError, FloatingPointError, ZeroDivisionError, LinAlgError,
IndexError, ...) fails, and so does a RuntimeWarning (turned into an error here).

Every run is kept short (a small time limit is always set when the drawn options do not
set a valid one; valid max_iter values are capped) so that each test takes seconds.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, example, given, settings, strategies as st
from scipy.sparse.linalg import LinearOperator, aslinearoperator

import nnls_core as nc
from nnls_core import nmf
from nnls_core.sweep import sweep

STATUSES = {"converged", "max_iter", "diverged", "stalled", "time_limit", "cancelled",
            "infeasible"}
CLEAN = (ValueError, TypeError)
FUZZ = settings(max_examples=100, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])
ITERATIVE = {"hadamard", "projected_gradient", "fista", "multiplicative"}


# ------------------------------------------------------------------------------ helpers
def outcome(fn, *args, **kwargs):
    """Call fn with RuntimeWarnings as errors; return the value or the clean exception.

    Any exception that is not a ValueError or TypeError (a RuntimeWarning included)
    propagates and fails the test.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            return fn(*args, **kwargs)
        except CLEAN as exc:
            assert str(exc), f"{type(exc).__name__} without a message"
            return exc


def check_result(r) -> None:
    """A Result must be usable: finite x and objective, a known status, a message."""
    assert isinstance(r, nc.Result), type(r)
    assert r.status in STATUSES, r.status
    assert isinstance(r.message, str) and r.message, r
    x = np.asarray(r.x)
    assert x.ndim == 1 and np.issubdtype(x.dtype, np.floating), (x.shape, x.dtype)
    assert np.all(np.isfinite(x)), f"non-finite x: {x} ({r.status}: {r.message})"
    assert math.isfinite(r.objective), f"objective {r.objective} ({r.status}: {r.message})"
    assert math.isfinite(r.rnorm)
    assert isinstance(r.n_iter, (int, np.integer)) and r.n_iter >= 0


# ------------------------------------------------------------------------------ arrays
DTYPES = ["float64", "float32", "int", "bool", "complex", "object", "list"]
SPECIALS = [np.nan, np.inf, -np.inf]


@st.composite
def matrices(draw, m=None, n=None):
    """A raw A in one of many containers: valid about two times in three (so that the
    solvers run), else empty, non-finite, out of range or of a refused dtype."""
    valid = draw(st.integers(0, 2)) != 1  # (hypothesis favours 0)
    if m is None:
        m = draw(st.sampled_from([1, 1, 2, 3, 5, 8] if valid else [0, 1, 2, 5]))
    if n is None:
        n = draw(st.sampled_from([1, 1, 2, 4, 7, 12] if valid else [0, 1, 3, 7]))
    seed = draw(st.integers(0, 2**16))
    exps = [0, 0, 0, -100, -99, -50, -8, 8, 50, 99, 100] if valid else \
        [-300, -150, -101, 101, 150, 300, 0]
    exp = draw(st.sampled_from(exps))
    rng = np.random.default_rng(seed)
    M = rng.standard_normal((m, n))
    M = M / max(np.abs(M).max(initial=0.0), 1e-300) * 10.0**exp
    if draw(st.booleans()):
        M[rng.random((m, n)) < 0.4] = 0.0
    if valid and M.size and not M.any():
        M.flat[0] = 10.0**exp
    if not valid and M.size and draw(st.booleans()):
        M.flat[draw(st.integers(0, M.size - 1))] = draw(st.sampled_from(SPECIALS))
    kinds = (["float64", "float64", "float32", "int", "bool", "list", "sparse", "operator"]
             if valid else DTYPES + ["sparse", "operator"])
    return _convert(M, draw(st.sampled_from(kinds)), draw)


def _convert(M, kind, draw):
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if kind == "float32":
            return M.astype(np.float32)
        if kind == "int":
            return np.nan_to_num(np.clip(M, -1e6, 1e6)).round().astype(np.int64)
        if kind == "bool":
            return M > 0
        if kind == "complex":
            return M + 1j * draw(st.sampled_from([0.0, 1.0]))
        if kind == "object":
            return M.astype(object)
        if kind == "list":
            return M.tolist()
        if kind == "sparse" and M.ndim == 2:
            fmt = draw(st.sampled_from(["csr", "csc", "coo"]))
            return sp.csr_array(M).asformat(fmt) if M.size else sp.csr_array(M.shape)
        if kind == "operator" and M.ndim == 2 and M.size:
            return aslinearoperator(M)
    return M


@st.composite
def vectors(draw, m):
    """b: usually a valid vector of length m (as (m,) or (m, 1)), else of the wrong size,
    non-finite, out of range or of a refused dtype."""
    valid = draw(st.integers(0, 2)) != 1  # (hypothesis favours 0)
    size = m if valid else draw(st.sampled_from([m, m + 1, max(m - 1, 0), 0]))
    seed = draw(st.integers(0, 2**16))
    exp = draw(st.sampled_from([0, 0, 0, -100, -60, -8, 8, 60, 100] if valid else
                               [-300, -120, 120, 300, 0]))
    b = np.random.default_rng(seed).standard_normal(size)
    b = b / max(np.abs(b).max(initial=0.0), 1e-300) * 10.0**exp
    if draw(st.integers(0, 6)) == 3:
        b[:] = 0.0
    if not valid and size and draw(st.booleans()):
        b[draw(st.integers(0, size - 1))] = draw(st.sampled_from(SPECIALS))
    if draw(st.booleans()):
        b = b[:, None]
    kinds = (["float64", "float64", "float32", "int", "bool", "list"] if valid else
             ["float64", "complex", "object", "list"])
    return _convert(b, draw(st.sampled_from(kinds)), draw)


# ------------------------------------------------------------------------------ options
BAD_VALUES = [None, True, False, -1, 0, -0.5, 1e300, -1e300, 10**400, float("nan"),
              float("inf"), -float("inf"), "2", "bb", "auto", "nan", "", [1, 2], (2,),
              {"a": 1}, 1 + 2j, np.float64("nan"), np.int64(-3), object()]
OPTION_VALUES = {
    "L": [1, 1.5, 2, 3, 6, 64, 64.0001, 0.99, np.float32(2.0), np.int64(4)],
    "alpha": [1e-300, 1e-200, 1e-12, 1e-3, 0.5, 1.0, 1e3, 1e150, 1e300],
    "step": ["bb", "auto", 1e-300, 1e-3, 0.1, 1.0, 1e6, 1e300],
    "decay": [0.0, 0.5, 1.0, 1.0001],
    "form": ["u", "x", "X", "uu"],
    "accel": [None, "nesterov", "mirror", "Nesterov", "adam"],
    "tol": [0.0, 1e-300, 1e-12, 1e-8, 0.5, 1.0, 10.0, 1e300],
    "max_iter": [0, 1, 2, 7, 30, 10**18, 10**30, 2.0, 2.5, np.int64(5)],
    "time_limit": [1e-9, 1e-3, 0.05],
    "callback": [lambda k, s: True, lambda k, s: k < 3, lambda k, s: None,
                 lambda k, s: False],
}
#: Cap valid iteration budgets so that every example stays fast.
CAP = 200


@st.composite
def options(draw, keys):
    chosen = draw(st.lists(st.sampled_from(keys), unique=True, max_size=5)) if keys else []
    opts = {}
    for key in chosen:  # mostly values of the right kind (extremes included)
        good = OPTION_VALUES.get(key, [])
        bad = draw(st.integers(0, 3)) == 2 or not good
        opts[key] = draw(st.sampled_from(BAD_VALUES if bad else good))
    if draw(st.integers(0, 12)) == 5:  # an option nobody takes
        opts[draw(st.sampled_from(["Lmax", "seed", "x0", "verbose"]))] = 1
    return opts


def bounded(opts: dict, *, iterative: bool) -> dict:
    """Keep valid budgets small: cap an integer max_iter and set a short time limit."""
    opts = dict(opts)
    mi = opts.get("max_iter")
    if isinstance(mi, (int, np.integer)) and not isinstance(mi, bool) and mi > CAP:
        opts["max_iter"] = CAP
    if iterative and "time_limit" not in opts:
        opts["time_limit"] = 0.25
    return opts


METHODS = sorted(nc.METHODS)
SOLVE_KEYS = ["L", "alpha", "step", "decay", "form", "accel", "tol", "max_iter",
              "time_limit", "callback"]
#: The options each method takes (others are drawn now and then too, to be refused).
KEYS = {"hadamard": SOLVE_KEYS,
        "projected_gradient": ["step", "max_iter", "tol", "time_limit", "callback"],
        "fista": ["step", "max_iter", "tol", "time_limit", "callback"],
        "multiplicative": ["max_iter", "tol", "time_limit", "callback"],
        "lawson_hanson": ["max_iter"], "lstsq": [], "l1_min": []}


# ------------------------------------------------------------------------------ solve
@FUZZ
@given(data=st.data(), method=st.sampled_from(METHODS))
@example(data=None, method="hadamard")
def test_solve_never_crashes(data, method):
    if data is None:  # the explicit example: a 1 x 1 problem at the magnitude limits
        A, b, opts = np.array([[1e-100]]), np.array([1e100]), {"L": 64, "alpha": 1e-300}
    else:
        A = data.draw(matrices(), label="A")
        m = (A.shape[0] if hasattr(A, "shape") and len(A.shape) >= 1
             else len(A) if isinstance(A, list) else 1)
        b = data.draw(vectors(m), label="b")
        foreign = data.draw(st.integers(0, 9)) == 4
        opts = data.draw(options(SOLVE_KEYS if foreign else KEYS[method]), label="options")
    opts = bounded(opts, iterative=method in ITERATIVE)
    out = outcome(nc.solve, A, b, method=method, **opts)
    if not isinstance(out, Exception):
        check_result(out)


@FUZZ
@given(method=st.sampled_from(METHODS),
       eA=st.integers(-300, 300), eb=st.integers(-300, 300),
       shape=st.sampled_from([(1, 1), (1, 6), (6, 1), (3, 9), (9, 3), (4, 4)]),
       seed=st.integers(0, 1000), sparse=st.booleans())
@example(method="fista", eA=100, eb=-100, shape=(3, 9), seed=0, sparse=False)
@example(method="multiplicative", eA=-100, eb=100, shape=(9, 3), seed=0, sparse=False)
@example(method="hadamard", eA=-100, eb=100, shape=(1, 1), seed=0, sparse=True)
def test_extreme_scales(method, eA, eb, shape, seed, sparse):
    """Magnitudes 1e-300 .. 1e300 of A and b, independently: refused with a ValueError
    outside the documented range, solved to a finite Result inside it."""
    rng = np.random.default_rng(seed)
    A = rng.standard_normal(shape) * 10.0**eA
    b = rng.standard_normal(shape[0]) * 10.0**eb
    A_in = sp.csr_array(A) if sparse else A
    opts = {} if method in ("lawson_hanson", "lstsq", "l1_min") else {"time_limit": 0.25,
                                                                      "max_iter": CAP}
    out = outcome(nc.solve, A_in, b, method=method, **opts)
    if isinstance(out, Exception):
        assert isinstance(out, ValueError), out
    else:
        check_result(out)


@FUZZ
@given(data=st.data(), method=st.sampled_from(["hadamard", "projected_gradient", "fista",
                                               "lawson_hanson", "multiplicative"]))
def test_linear_operators(data, method):
    """LinearOperators (real, complex, returning NaN, wrong shapes, raising)."""
    m, n = data.draw(st.integers(1, 6)), data.draw(st.integers(1, 6))
    M = np.random.default_rng(data.draw(st.integers(0, 999))).standard_normal((m, n))
    behaviour = data.draw(st.sampled_from(["plain", "complex_dtype", "nan", "wrong_shape",
                                           "returns_complex", "int_dtype", "raises_value"]))

    def mv(v):
        out = M @ v
        if behaviour == "nan":
            out = out * np.nan
        elif behaviour == "wrong_shape":
            out = np.append(out, 1.0)
        elif behaviour == "returns_complex":
            out = out + 1j
        elif behaviour == "raises_value":
            raise ValueError("operator refuses")
        return out

    dtype = {"complex_dtype": np.complex128, "int_dtype": np.int64}.get(behaviour,
                                                                        np.float64)
    op = LinearOperator((m, n), matvec=mv, rmatvec=lambda r: M.T @ r, dtype=dtype)
    b = data.draw(vectors(m))
    keys = [k for k in ("max_iter", "tol", "step", "L") if k in KEYS[method]]
    opts = bounded(data.draw(options(keys)) if keys else {},
                   iterative=method in ITERATIVE)
    out = outcome(nc.solve, op, b, method=method, **opts)
    if not isinstance(out, Exception):
        check_result(out)
        assert behaviour in ("plain", "int_dtype"), (behaviour, out.status)


@FUZZ
@given(shape=st.sampled_from([(1, 1), (1, 5), (5, 1), (3, 8), (8, 3), (6, 6)]),
       seed=st.integers(0, 999), eA=st.integers(-100, 100), eb=st.integers(-100, 100),
       L=st.one_of(st.integers(1, 64), st.floats(1.0, 64.0)),
       ealpha=st.floats(-300, 300), step=st.one_of(st.sampled_from(["bb", "auto"]),
                                                  st.floats(-300, 300)),
       decay=st.sampled_from([0.0, 0.5, 1.0]), form=st.sampled_from(["u", "x"]),
       accel=st.sampled_from([None, "nesterov", "mirror"]),
       tol=st.one_of(st.just(0.0), st.floats(-300, 300).map(lambda e: 10.0**e)),
       max_iter=st.sampled_from([0, 1, 5, 60]))
@example(shape=(1, 1), seed=0, eA=0, eb=0, L=2, ealpha=300.0, step="bb", decay=0.0,
         form="u", accel=None, tol=1e-8, max_iter=5)
@example(shape=(1, 1), seed=0, eA=-100, eb=100, L=64, ealpha=-300.0, step="bb",
         decay=0.0, form="u", accel=None, tol=1e-8, max_iter=5)
def test_hadamard_extreme_valid_options(shape, seed, eA, eb, L, ealpha, step, decay, form,
                                        accel, tol, max_iter):
    """A valid problem and options of the right types at their extremes (alpha from
    1e-300 to 1e300, steps from 1e-300 to 1e300, L up to 64, tol up to 1e300): a
    ValueError, or a finite Result."""
    rng = np.random.default_rng(seed)
    A = rng.standard_normal(shape)
    A = A / np.abs(A).max() * 10.0**eA
    b = rng.standard_normal(shape[0])
    b = b / np.abs(b).max() * 10.0**eb
    if not isinstance(step, str):
        step = 10.0**step
    elif decay:
        decay = 0.0
    if accel is not None and step == "bb":
        step = "auto"
    opts = dict(L=L, alpha=10.0**ealpha, step=step, decay=decay, form=form, accel=accel,
                tol=tol, max_iter=max_iter, time_limit=0.25)
    out = outcome(nc.solve, A, b, method="hadamard", **opts)
    if not isinstance(out, Exception):
        check_result(out)


# ------------------------------------------------------------------------------ sweep
SWEEP_KEYS = ["L", "alpha", "step", "decay", "form", "accel", "tol", "max_iter",
              "time_limit"]


@st.composite
def columns(draw, key):
    """A scalar option, or a list of them (possibly of another length than the others)."""
    pool = OPTION_VALUES.get(key, []) + BAD_VALUES[:14]
    if draw(st.booleans()):
        return draw(st.sampled_from(pool))
    size = draw(st.sampled_from([0, 1, 2, 3]))
    vals = [draw(st.sampled_from(OPTION_VALUES.get(key, [1.0]))) for _ in range(size)]
    if draw(st.integers(0, 4)) == 2 and vals:
        vals[0] = draw(st.sampled_from(BAD_VALUES[:14]))
    return draw(st.sampled_from([vals, np.asarray(vals, dtype=object), tuple(vals)]))


@FUZZ
@given(data=st.data())
@example(data=None)
def test_sweep_never_crashes(data):
    if data is None:  # the explicit example: a stack with per-row steps and mirror
        A = np.stack([np.eye(2), 2 * np.eye(2)])
        b, opts = np.ones((2, 2)), {"L": [2, 2], "accel": "mirror", "step": [0.1, 0.2]}
    else:
        stacked = data.draw(st.booleans(), label="stacked")
        if stacked:
            B = data.draw(st.sampled_from([0, 1, 2, 3]))
            m, n = data.draw(st.integers(0, 4)), data.draw(st.integers(0, 5))
            A = np.random.default_rng(data.draw(st.integers(0, 99))).standard_normal(
                (B, m, n)) * 10.0**data.draw(st.sampled_from([0, 0, -120, 120, 300]))
            A = _convert(A, data.draw(st.sampled_from(["float64", "int", "object",
                                                       "complex", "list", "bool"])),
                         data.draw)
            bshape = data.draw(st.sampled_from([(m,), (B, m), (B + 1, m), (m, 1)]))
            b = np.random.default_rng(1).standard_normal(bshape)
        else:
            A = data.draw(matrices(), label="A")
            m = (A.shape[0] if hasattr(A, "shape") and len(A.shape) >= 1
                 else len(A) if isinstance(A, list) else 1)
            b = data.draw(vectors(m), label="b")
            if data.draw(st.integers(0, 3)) == 2:  # several right-hand sides
                b = np.tile(np.ravel(np.asarray(b, dtype=object)), (2, 1))
        opts = {}
        for key in data.draw(st.lists(st.sampled_from(SWEEP_KEYS), unique=True,
                                      max_size=5)):
            opts[key] = data.draw(columns(key)) if key in ("L", "alpha", "step", "decay") \
                else data.draw(st.sampled_from(OPTION_VALUES[key] + BAD_VALUES))
        opts["record"] = data.draw(st.booleans())
    opts = bounded(opts, iterative=True)
    out = outcome(sweep, A, b, **opts)
    if not isinstance(out, Exception):
        assert isinstance(out, list) and out
        for r in out:
            check_result(r)


# ------------------------------------------------------------------------------ NMF
NMF_VALUES = {
    "method": ["multiplicative", "projected_gradient", "hadamard", "mu", "HADAMARD"],
    "lam": [0.0, 0.5, 1e300, -1.0],
    "max_iter": [1, 3, 10, 0, -1, 10**18],
    "init": ["random", "nndsvd", "nndsvda", "svd", None],
    "seed": [0, 1, None, -1, "0"],
    "accelerate": [True, False, "yes"],
    "step_scale": [1e-300, 0.5, 1.0, 10.0, 1e3, 1e300, 0.0],
    "tol": [0.0, 1e-6, 1.0, 1e300],
    "M": ["identity", "diff", "wrong"],
}


@FUZZ
@given(data=st.data())
@example(data=None)
def test_nmf_never_crashes(data):
    """NMF is being refactored: exceptions must be ValueError/TypeError; a result that has
    a status must also carry a known status and finite factors."""
    if data is None:  # explicit example: a too-large Hadamard step
        X = np.random.default_rng(0).random((6, 5))
        r, kw = 2, {"method": "hadamard", "step_scale": 1e3, "max_iter": 20}
    else:
        m, n = data.draw(st.sampled_from([0, 1, 2, 4, 7])), data.draw(
            st.sampled_from([0, 1, 3, 6]))
        exp = data.draw(st.sampled_from([0, 0, 0, -300, -150, -50, 50, 150, 300]))
        X = np.abs(np.random.default_rng(data.draw(st.integers(0, 999))).standard_normal(
            (m, n))) * 10.0**exp
        if X.size and data.draw(st.integers(0, 5)) == 3:
            X.flat[0] = data.draw(st.sampled_from(SPECIALS + [-1.0, 0.0]))
        X = _convert(X, data.draw(st.sampled_from(["float64", "float64", "float32", "int",
                                                   "bool", "complex", "object", "list",
                                                   "sparse"])), data.draw)
        r = data.draw(st.sampled_from([1, 2, 3, 0, -1, 2.0, 2.5, "2", None, 10**18]))
        kw = {}
        for key in data.draw(st.lists(st.sampled_from(sorted(NMF_VALUES)), unique=True,
                                      max_size=5)):
            kw[key] = data.draw(st.sampled_from(NMF_VALUES[key] + BAD_VALUES[:12]))
        if kw.get("M") in ("identity", "diff"):
            kw["M"] = outcome(nmf.regularizer, kw["M"], np.shape(X)[0] if np.ndim(X) else 1)
            if isinstance(kw["M"], Exception):
                kw.pop("M")
        elif kw.get("M") == "wrong":
            kw["M"] = np.eye(3)
    mi = kw.get("max_iter", 200)
    if isinstance(mi, int) and not isinstance(mi, bool) and mi > 50:
        kw["max_iter"] = 50
    out = outcome(nmf.solve, X, r, **kw)
    if isinstance(out, Exception) or not hasattr(out, "status"):
        return
    assert out.status in STATUSES, out.status
    assert np.all(np.isfinite(out.W)) and np.all(np.isfinite(out.H))
    assert math.isfinite(out.objective)


# ------------------------------------------------------------------------------ sanity
def test_the_harness_can_fail():
    """The checks themselves: a foreign exception, a RuntimeWarning and a bad Result are
    caught (so a green run means something)."""
    def raises(exc):
        def fn():
            raise exc
        return fn

    with pytest.raises(OverflowError):
        outcome(raises(OverflowError("boom")))
    with pytest.raises(RuntimeWarning):
        outcome(lambda: np.float64(1.0) / np.float64(0.0))
    assert isinstance(outcome(raises(ValueError("fine"))), ValueError)
    r = nc.solve(np.eye(2), [1.0, 2.0], method="lstsq")
    check_result(r)
    bad = nc.Result(x=np.array([np.nan]), objective=1.0, rnorm=1.0, n_iter=1,
                    status="converged", message="x", time_s=0.0, method="m",
                    history=r.history)
    with pytest.raises(AssertionError):
        check_result(bad)
    with pytest.raises(AssertionError):
        check_result(nc.Result(x=np.zeros(1), objective=1.0, rnorm=1.0, n_iter=1,
                               status="done", message="x", time_s=0.0, method="m",
                               history=r.history))


# ------------------------------------------------------------------------ fixed regions
# Minimal reproductions of library bugs the fuzzing once found, now fixed: the fuzz tests
# above cover these regions again (no exemption), these tests name the behaviour.
def _strict(fn):
    """Run fn with RuntimeWarnings as errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        return fn()


@pytest.mark.parametrize("A, alpha", [(np.array([[1.0]]), 1e300),
                                      (np.array([[1e90]]), 1e40)], ids=["1e300", "1e40"])
def test_alpha_out_of_scale_is_refused(A, alpha):
    """x_0 = alpha^L too large for A (|A| x_0 overflows the objective): a ValueError that
    asks for a smaller alpha, with no RuntimeWarning, instead of a Result with x = inf or
    objective inf."""
    with pytest.raises(ValueError, match=r"starting point overflows.*smaller alpha"):
        _strict(lambda: nc.solve(A, [1.0], alpha=alpha, max_iter=5))
    with pytest.raises(ValueError, match="alpha"):
        _strict(lambda: sweep(A, [1.0], alpha=[0.5, alpha], max_iter=5))


def test_tiny_alpha_does_not_overflow_the_bb_cap():
    """alpha = 1e-200: the safe step is clipped to 1e300 and the BB cap (1e10 times it)
    no longer overflows: a finite Result and no RuntimeWarning."""
    r = _strict(lambda: nc.solve(np.array([[1.0, 2.0], [3.0, 1.0]]), [1.0, 1.0],
                                 alpha=1e-200, max_iter=5))
    check_result(r)


@pytest.mark.parametrize("kind", ["sparse", "operator"])
def test_one_column_operator_norm_is_exact(kind):
    """||A||_2 of a one-column sparse matrix or LinearOperator with entries 1e78 (allowed
    up to 1e100) is computed exactly, without overflow or warning: FISTA finds x* =
    5.7e-79 (formerly norm = inf and 'converged after 0 iterations' at x = 0)."""
    A = np.array([[1.0], [-0.5], [0.25]]) * 1e78
    A_in = sp.csr_array(A) if kind == "sparse" else aslinearoperator(A)
    r = _strict(lambda: nc.solve(A_in, np.ones(3), method="fista", max_iter=500))
    x_star = (A[:, 0] @ np.ones(3)) / (A[:, 0] @ A[:, 0])
    check_result(r)
    assert r.status == "converged", r.message
    assert r.x[0] == pytest.approx(x_star, rel=1e-6), (r.status, r.message)


@pytest.mark.parametrize("kind", ["sparse", "operator"])
def test_one_column_sparse_or_operator_does_not_warn(kind):
    """A one-column sparse matrix or LinearOperator no longer goes to eigsh (which warned
    'k >= N for N * N square matrix')."""
    A = np.array([[1.0], [2.0]])
    A_in = sp.csr_array(A) if kind == "sparse" else aslinearoperator(A)
    r = _strict(lambda: nc.solve(A_in, [1.0, 1.0], method="fista"))
    check_result(r)
    assert r.x[0] == pytest.approx(0.6, rel=1e-6)


@pytest.mark.parametrize("key", ["L", "alpha", "step", "decay"])
def test_sweep_with_an_empty_list_is_refused(key):
    """An empty parameter list is a ValueError saying so (formerly IndexError)."""
    with pytest.raises(ValueError, match="must not be empty"):
        _strict(lambda: sweep(np.eye(2), np.ones(2), max_iter=5, **{key: []}))


# ------------------------------------------------------------- once-open, now fixed
@pytest.mark.parametrize("kw", [{"form": "x"}, {"accel": "mirror"}], ids=["x", "mirror"])
def test_x_form_alpha_overflow_is_refused_without_warning(kw):
    with pytest.raises(ValueError, match="smaller alpha"):
        _strict(lambda: nc.solve(np.array([[1.0]]), [1.0], L=5, alpha=1e62, max_iter=5,
                                 **kw))


@pytest.mark.parametrize("method", ["hadamard", "multiplicative"])
def test_zero_b_gives_a_finite_residual_without_warning(method):
    r = _strict(lambda: nc.solve(np.array([[1e8]]), [0.0], method=method, max_iter=300))
    check_result(r)
    assert np.all(np.isfinite(r.history.kkt)), r.message
