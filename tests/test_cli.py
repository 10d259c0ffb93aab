"""The headless command line ``python -m nnls_core solve``, run in a subprocess.

The reference is an in-process :func:`nnls_core.solve` on the same problem.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nnls_core as nc

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "nnls_core", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd or ROOT, env=env)


def solve_json(*args: str, cwd: Path | None = None) -> dict:
    proc = run_cli("solve", *args, "--json", cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return json.loads(proc.stdout)


def assert_same(out: dict, ref: nc.Result, problem: nc.Problem) -> None:
    assert out["status"] == ref.status
    assert out["message"] == ref.message
    assert out["n_iter"] == ref.n_iter
    assert out["objective"] == pytest.approx(ref.objective, rel=1e-12, abs=1e-300)
    assert out["rnorm"] == pytest.approx(ref.rnorm, rel=1e-12, abs=1e-300)
    np.testing.assert_allclose(out["x"], ref.x, rtol=0, atol=1e-12)
    assert isinstance(out["time_s"], float) and out["time_s"] >= 0
    if problem.x_true is None:
        assert "x_true" not in out and "error" not in out
    else:
        np.testing.assert_array_equal(out["x_true"], problem.x_true)
        assert out["error"] == pytest.approx(np.linalg.norm(ref.x - problem.x_true),
                                             rel=1e-12, abs=1e-15)


CASES = [
    # (CLI arguments, problem builder, method, options)
    ([], lambda: nc.sparse_problem(30, 100, 4, seed=0), "hadamard", {}),
    (["--m", "25", "--n", "60", "--sparsity", "3", "--noise", "0.01",
      "--negative-perturbation", "0.001", "--correlation", "0.5", "--seed", "7",
      "--L", "3", "--alpha", "1e-3", "--step", "0.05", "--decay", "0.5", "--form", "x",
      "--max-iter", "3000", "--tol", "1e-8"],
     lambda: nc.sparse_problem(25, 60, 3, noise=0.01, negative_perturbation=0.001,
                               correlation=0.5, seed=7),
     "hadamard", {"L": 3, "alpha": 1e-3, "step": 0.05, "decay": 0.5, "form": "x",
                  "max_iter": 3000, "tol": 1e-8}),
    (["--seed", "2", "--accel", "mirror", "--step", "auto", "--alpha", "0.01"],
     lambda: nc.sparse_problem(30, 100, 4, seed=2), "hadamard",
     {"accel": "mirror", "step": "auto", "alpha": 0.01}),
    (["--generator", "gaussian", "--m", "40", "--n", "20", "--seed", "3",
      "--method", "lawson_hanson"],
     lambda: nc.gaussian_problem(40, 20, seed=3), "lawson_hanson", {}),
    (["--generator", "gaussian", "--m", "40", "--n", "20", "--seed", "3",
      "--method", "fista", "--max-iter", "500"],
     lambda: nc.gaussian_problem(40, 20, seed=3), "fista", {"max_iter": 500}),
]


@pytest.mark.parametrize("args, make, method, options", CASES,
                         ids=["defaults", "fixed-decay-x", "mirror", "gaussian-lh", "fista"])
def test_json_matches_in_process_solve(args, make, method, options):
    out = solve_json(*args)
    p = make()
    ref = nc.solve(p.A, p.b, method=method, **options)
    assert out["method"] == method
    assert out["options"] == options  # only what was given is passed on
    assert_same(out, ref, p)


def test_files_csv_and_npy_and_x_out(tmp_path):
    p = nc.gaussian_problem(12, 5, seed=4)
    np.savetxt(tmp_path / "A.csv", p.A, delimiter=",", fmt="%.17g")
    np.save(tmp_path / "b.npy", p.b)
    out = solve_json("--A", "A.csv", "--b", "b.npy", "--method", "lawson_hanson",
                     "--x-out", "x.npy", cwd=tmp_path)
    ref = nc.solve(p.A, p.b, method="lawson_hanson")
    assert_same(out, ref, p)
    assert out["problem"] == {"A": "A.csv", "b": "b.npy", "m": 12, "n": 5}
    np.testing.assert_array_equal(np.load(tmp_path / "x.npy"), out["x"])


def test_readable_summary(tmp_path):
    proc = run_cli("solve", "--m", "20", "--n", "40", "--sparsity", "2", "--alpha", "1e-3")
    assert proc.returncode == 0, proc.stderr
    p = nc.sparse_problem(20, 40, 2, seed=0)
    ref = nc.solve(p.A, p.b, alpha=1e-3)
    assert f"{ref.status} after {ref.n_iter:,} iterations" in proc.stdout
    assert f"{ref.objective:.6e}" in proc.stdout
    assert f"{np.linalg.norm(ref.x - p.x_true):.6e}" in proc.stdout


def test_not_converged_is_a_result_exit_0_with_status_and_message():
    out = solve_json("--m", "20", "--n", "40", "--sparsity", "2", "--max-iter", "10")
    p = nc.sparse_problem(20, 40, 2, seed=0)
    ref = nc.solve(p.A, p.b, max_iter=10)
    assert ref.status == "max_iter" and not ref.success
    assert_same(out, ref, p)
    assert out["success"] is False and out["optimality"] == pytest.approx(ref.kkt, rel=1e-12)
    proc = run_cli("solve", "--m", "20", "--n", "40", "--sparsity", "2", "--max-iter", "10")
    assert proc.returncode == 0 and proc.stderr == ""
    assert "max_iter after 10 iterations" in proc.stdout and "not converged" in proc.stdout
    assert ref.message in proc.stdout


def test_converged_json_reports_success_and_the_relative_residual():
    out = solve_json("--m", "20", "--n", "40", "--sparsity", "2", "--tol", "1e-6")
    p = nc.sparse_problem(20, 40, 2, seed=0)
    ref = nc.solve(p.A, p.b, tol=1e-6)
    assert out["status"] == "converged" and out["success"] is True
    assert out["optimality"] == pytest.approx(ref.kkt, rel=1e-12) and out["optimality"] <= 1e-6


def test_help_is_useful(capsys):
    from nnls_core.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    top = capsys.readouterr().out
    assert exc.value.code == 0 and "solve" in top and "examples:" in top
    sub = run_cli("solve", "--help")
    assert sub.returncode == 0
    for word in ("--generator", "--A", "--alpha", "--step", "--json", "--x-out", "examples:",
                 "lawson_hanson", "--time-limit", "stalled", "exit status"):
        assert word in sub.stdout
    # --tol is the scale-free relative optimality residual (default 1e-8)
    tol_help = " ".join(sub.stdout.split("\n  --tol TOL", 1)[1]
                        .split("\n  --time-limit")[0].split())
    assert "relative optimality residual" in tol_help and "1e-8" in tol_help


def _pickled_npy() -> bytes:
    import io

    buf = io.BytesIO()
    np.save(buf, np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
    return buf.getvalue()


BAD = {
    "unknown-method": (["--method", "newton"], {}, "unknown method"),
    "option-not-taken": (["--method", "fista", "--alpha", "0.1"], {}, "does not take"),
    "bad-value": (["--alpha", "-1"], {}, "alpha"),
    "bad-step": (["--step", "fast"], {}, "--step"),
    "bad-tol": (["--tol", "-1"], {}, "tol"),
    "time-limit-not-taken": (["--method", "lawson_hanson", "--time-limit", "1"], {},
                             "does not take"),
    "nan-csv": (["--A", "A.csv", "--b", "b.csv"],
                {"A.csv": b"1,2\n3,nan\n", "b.csv": b"1\n2\n"}, "non-finite"),
    "pickle-npy": (["--A", "A.npy", "--b", "b.csv"],
                   {"A.npy": _pickled_npy(), "b.csv": b"1\n2\n"}, "A.npy"),
    "missing-file": (["--A", "nope.csv", "--b", "b.csv"], {"b.csv": b"1\n"}, "nope.csv"),
    "shape-mismatch": (["--A", "A.csv", "--b", "b.csv"],
                       {"A.csv": b"1,2\n3,4\n", "b.csv": b"1\n2\n3\n"}, "rows"),
    "only-A": (["--A", "A.csv"], {"A.csv": b"1,2\n3,4\n"}, "--b"),
    "pkl-extension": (["--A", "A.pkl", "--b", "b.csv"],
                      {"A.pkl": pickle.dumps(np.eye(2)), "b.csv": b"1\n2\n"}, ".csv"),
    "generator-and-files": (["--seed", "1", "--A", "A.csv", "--b", "b.csv"],
                            {"A.csv": b"1\n", "b.csv": b"1\n"}, "cannot be combined"),
    "sparse-option-on-gaussian": (["--generator", "gaussian", "--sparsity", "3"], {},
                                  "only apply"),
}


def _write(files: dict, where: Path) -> None:
    for fname, data in files.items():
        (where / fname).write_bytes(data)


def _check_one_line(code: int, out: str, err: str, needle: str) -> None:
    assert code == 2, (out, err)
    assert out == ""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "error" in lines[0] and needle in lines[0]


@pytest.mark.parametrize("name", list(BAD))
def test_bad_input_exit_2_one_line(name, tmp_path, monkeypatch, capsys):
    """All bad inputs through cli.main in-process (fast) ..."""
    from nnls_core.cli import main

    args, files, needle = BAD[name]
    _write(files, tmp_path)
    monkeypatch.chdir(tmp_path)
    try:
        code = main(["solve", *args, "--json"])
    except SystemExit as exc:  # argparse errors
        code = exc.code
    cap = capsys.readouterr()
    _check_one_line(code, cap.out, cap.err, needle)


@pytest.mark.parametrize("name", ["unknown-method", "nan-csv", "pickle-npy", "bad-step"])
def test_bad_input_subprocess(name, tmp_path):
    """... and a few through the real ``python -m nnls_core``."""
    args, files, needle = BAD[name]
    _write(files, tmp_path)
    proc = run_cli("solve", *args, "--json", cwd=tmp_path)
    _check_one_line(proc.returncode, proc.stdout, proc.stderr, needle)


def test_no_streamlit_import():
    code = ("import sys, nnls_core, nnls_core.cli, nnls_core.export, nnls_core.__main__; "
            "assert not any(m.split('.')[0] == 'streamlit' for m in sys.modules), 'streamlit'")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
