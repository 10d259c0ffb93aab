"""The exported snippet reproduces a dashboard run exactly (reference: in-process nc.solve)."""

from __future__ import annotations

import ast

import numpy as np
import pytest

import nnls_core as nc
from nnls_core.export import python_snippet

SPARSE = {"generator": "sparse", "m": 30, "n": 100, "sparsity": 4, "noise": 0.0,
          "negative_perturbation": 0.0, "correlation": 0.0, "seed": 0}


def run_snippet(code: str, capsys) -> dict:
    ns: dict = {"__name__": "__snippet__"}
    exec(compile(code, "<snippet>", "exec"), ns)
    ns["stdout"] = capsys.readouterr().out
    return ns


def build(problem: dict) -> nc.Problem:
    """The reference problem, built independently of the snippet."""
    if problem["generator"] == "gaussian":
        return nc.gaussian_problem(problem["m"], problem["n"], seed=problem["seed"])
    return nc.sparse_problem(problem["m"], problem["n"], problem["sparsity"],
                             noise=problem["noise"],
                             negative_perturbation=problem["negative_perturbation"],
                             correlation=problem["correlation"], seed=problem["seed"])


def assert_identical(r: nc.Result, ref: nc.Result) -> None:
    assert r.status == ref.status and r.message == ref.message
    assert r.n_iter == ref.n_iter
    assert r.objective == ref.objective
    np.testing.assert_array_equal(r.x, ref.x)
    np.testing.assert_array_equal(r.history.objective, ref.history.objective)


CASES = {
    "sparse-defaults": (SPARSE, "hadamard", {}),
    "playground-defaults": (SPARSE, "hadamard",
                            dict(sorted({"L": 2, "alpha": 1e-3, "max_iter": 10_000, "tol": 1e-6,
                                         "form": "u", "step": "bb"}.items()))),
    "fixed-decay-x": (SPARSE | {"seed": 5, "noise": 1e-2}, "hadamard",
                      {"L": 3, "alpha": 1e-3, "max_iter": 2000, "tol": 1e-8, "form": "x",
                       "step": 0.05, "decay": 0.5}),
    "nesterov": (SPARSE | {"correlation": 0.7, "seed": 1}, "hadamard",
                 {"L": 2, "alpha": 2e-4, "accel": "nesterov", "step": "auto",
                  "max_iter": 3000}),
    "mirror": (SPARSE | {"negative_perturbation": 0.05, "seed": 2}, "hadamard",
               {"L": 2, "alpha": 1e-2, "accel": "mirror", "max_iter": 3000, "tol": 1e-6}),
    "gaussian-lawson-hanson": ({"generator": "gaussian", "m": 40, "n": 25, "seed": 3},
                               "lawson_hanson", {}),
    "gaussian-fista": ({"generator": "gaussian", "m": 40, "n": 25, "seed": 3}, "fista",
                       {"max_iter": 800, "tol": 1e-8}),
    "awkward-floats": (SPARSE | {"noise": 0.1 + 0.2, "negative_perturbation": 1e-3,
                                 "correlation": 0.1 + 0.2},
                       "hadamard", {"alpha": 0.1 + 0.2, "tol": 1e-3, "step": 0.1 + 0.2,
                                    "decay": 1 / 3, "max_iter": 500}),
}


@pytest.mark.parametrize("name", list(CASES))
def test_snippet_reproduces_run(name, capsys):
    problem, method, options = CASES[name]
    code = python_snippet(problem, method, options)
    ns = run_snippet(code, capsys)
    p = build(problem)
    np.testing.assert_array_equal(ns["p"].A, p.A)
    np.testing.assert_array_equal(ns["p"].b, p.b)
    ref = nc.solve(p.A, p.b, method=method, **options)
    assert_identical(ns["r"], ref)
    # the options are written out as literals of the same type and value
    assert ns["options"] == options
    assert [type(v) for v in ns["options"].values()] == [type(v) for v in options.values()]
    out = ns["stdout"]
    assert f"status: {ref.status}" in out
    assert f"objective: {ref.objective:.6e}" in out
    assert f"iterations: {ref.n_iter}" in out


def test_floats_round_trip_as_literals():
    opts = {"alpha": 1e-3, "tol": 0.1 + 0.2, "step": np.float64(0.1) * 3, "max_iter": np.int64(7),
            "L": 2, "accel": None}
    code = python_snippet(SPARSE | {"noise": 0.1 + 0.2}, "hadamard", opts)
    assert "0.30000000000000004" in code and "0.001" in code
    assert "np.float64" not in code and "np.int64" not in code
    tree = ast.parse(code)
    assigned = {t.targets[0].id: t.value for t in tree.body if isinstance(t, ast.Assign)}
    lit = ast.literal_eval(assigned["options"])
    assert lit == {"alpha": 1e-3, "tol": 0.1 + 0.2, "step": float(np.float64(0.1) * 3),
                   "max_iter": 7, "L": 2, "accel": None}
    assert type(lit["max_iter"]) is int and type(lit["step"]) is float
    call = assigned["p"]
    noise = next(k.value for k in call.keywords if k.arg == "noise")
    assert ast.literal_eval(noise) == 0.1 + 0.2


def test_uploaded_data_snippet(tmp_path, monkeypatch, capsys):
    A = nc.gaussian_problem(15, 8, seed=9).A
    b = np.linspace(-1, 1, 15)
    np.save(tmp_path / "A.npy", A)
    np.save(tmp_path / "b.npy", b)
    code = python_snippet({"generator": "upload"}, "hadamard", {"alpha": 1e-2})
    assert "A.npy" in code and "b.npy" in code
    assert any(line.lstrip().startswith("#") and "A.npy" in line for line in code.splitlines())
    monkeypatch.chdir(tmp_path)
    ns = run_snippet(code, capsys)
    ref = nc.solve(A, b, method="hadamard", alpha=1e-2)
    assert_identical(ns["r"], ref)


@pytest.mark.parametrize("problem, method, options, match", [
    (SPARSE, "newton", {}, "unknown method"),
    ({"generator": "circulant", "m": 3, "n": 3}, "hadamard", {}, "unknown generator"),
    ({"generator": "gaussian", "m": 3, "n": 3, "sparsity": 2}, "hadamard", {}, "do not apply"),
    ({"generator": "gaussian", "m": 3.5, "n": 3, "seed": 0}, "hadamard", {}, "integer"),
    (SPARSE, "hadamard", {"alpha": [1e-3]}, "alpha"),
    # options are checked by the method's options type, as nc.solve checks them
    (SPARSE, "hadamard", {"tol": -1.0}, "tol"),
    (SPARSE, "hadamard", {"step": "bb", "accel": "nesterov"}, "step"),
    (SPARSE, "fista", {"alpha": 1e-3}, "does not take"),
])
def test_bad_arguments_raise_value_error(problem, method, options, match):
    with pytest.raises(ValueError, match=match):
        python_snippet(problem, method, options)


def test_snippet_runs_as_a_standalone_script(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    script = tmp_path / "run.py"
    script.write_text(python_snippet(SPARSE, "hadamard", {"alpha": 1e-3}))
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120, env=os.environ | {"PYTHONPATH": str(root)})
    assert proc.returncode == 0, proc.stderr
    p = build(SPARSE)
    ref = nc.solve(p.A, p.b, alpha=1e-3)
    assert proc.stdout.splitlines()[:3] == [f"status: {ref.status} ({ref.message})",
                                            f"objective: {ref.objective:.6e}",
                                            f"iterations: {ref.n_iter}"]
