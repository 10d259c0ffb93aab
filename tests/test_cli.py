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


# --- python -m nnls_core paper ------------------------------------------------------------

def paper_json(capsys, *args: str) -> tuple[dict, str]:
    """``python -m nnls_core paper ... --json`` in-process: the JSON object, stderr."""
    from nnls_core.cli import main

    assert main(["paper", *args, "--json"]) == 0
    cap = capsys.readouterr()
    assert cap.out.count("\n") == 1  # one JSON object on one line
    return json.loads(cap.out), cap.err


def test_paper_e1_json_equals_paper_run_with_progress_on_stderr(capsys):
    from nnls_core import paper

    out, err = paper_json(capsys, "E1", "--max-iter", "2000")
    ref = paper.run("E1", max_iter=2000)
    assert out["experiment"] == "E1" and out["source"] == "computed"
    assert set(out) >= {"setting", "rows", "elapsed_s", "l1_true"}
    runs = [r for r in out["rows"] if "L" in r]
    refs = [r for r in out["rows"] if "reference" in r]
    assert out["rows"] == runs + refs  # the runs, then the references
    assert [(r["L"], r["alpha"]) for r in runs] == [
        (L, a) for L in (2, 3) for a in np.logspace(-3, -1, 5).tolist()]
    assert all({"L", "alpha", "l1"} <= set(r) for r in runs)
    assert [r["reference"] for r in refs] == ["l1_min", "basis_pursuit", "lawson_hanson"]
    assert all(set(r) == {"reference", "l1"} for r in refs)
    for got, want in zip(out["rows"], ref.rows()):
        assert got == pytest.approx(want, rel=1e-12)
    assert out["setting"]["ours"]["max_iter"] == 2000
    # progress goes to stderr (one line per 10% when stderr is not a terminal)
    lines = err.splitlines()
    assert lines[0].startswith("E1:") and "100%" in err and lines[-1].startswith("E1: done")


@pytest.mark.parametrize("name, args, keys, first", [
    ("E3", ["--max-iter", "300"], {"L", "gamma", "residual"}, {"L": 2, "gamma": 0.0}),
    ("E4", ["--max-iter", "100"], {"method", "objective"}, {"method": "plain"}),
])
def test_paper_rows_equal_paper_run(name, args, keys, first, capsys):
    from nnls_core import paper
    from nnls_core.cli import main

    assert main(["paper", name, *args, "--json", "--quiet"]) == 0
    cap = capsys.readouterr()
    assert cap.err == ""  # --quiet: no progress
    out = json.loads(cap.out)
    ref = paper.run(name, max_iter=int(args[1]))
    assert len(out["rows"]) == len(ref.rows())
    for got, want in zip(out["rows"], ref.rows()):
        assert keys <= set(got) and got == pytest.approx(want, rel=1e-12)
    assert {k: out["rows"][0][k] for k in first} == first
    if name == "E4":
        assert [r["method"] for r in out["rows"]] == ["plain", "nesterov", "mirror"]


def test_paper_shipped_is_the_shipped_file(capsys):
    from nnls_core import paper
    from nnls_core.cli import main

    for name in paper.SHIPPED:
        assert main(["paper", name, "--shipped", "--json"]) == 0
        cap = capsys.readouterr()
        out = json.loads(cap.out)
        assert cap.err == "" and out["source"] == "shipped"
        ship = paper.load_shipped(name)
        assert out["rows"] == json.loads(json.dumps(ship.to_json()["rows"]))
        assert out["elapsed_s"] == ship.elapsed_s
    e1 = json.loads(json.dumps(paper.load_shipped("E1").rows()))
    assert [round(r["l1"], 4) for r in e1[:5]] == list(paper.AUTHORS_E1[2])


def test_paper_readable_table():
    proc = run_cli("paper", "E1", "--shipped")
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    out = proc.stdout
    assert out.startswith("E1: l1 norm of the limit against the initialization alpha")
    assert "paper eta = 0.1 -> our eta = 0.05 for L = 2" in out
    assert "shipped result" in out
    header = next(line for line in out.splitlines() if line.startswith("L "))
    assert header.split() == ["L", "alpha", "l1", "converged", "status", "n_iter", "kkt",
                              "reference"]
    for ref in ("l1_min", "basis_pursuit", "lawson_hanson", "1.24219", "max_iter"):
        assert ref in out


def test_paper_e5_e6_short_with_summary(capsys):
    from nnls_core import paper
    from nnls_core.cli import main

    assert main(["paper", "E6", "--sizes", "20", "30", "--reps", "1", "--max-iter", "50",
                 "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "E6: time against n on square problems" in out
    assert "n = 20:" in out and "n = 30:" in out  # the summary: who wins where
    assert main(["paper", "E6", "--sizes", "20", "--reps", "1", "--max-iter", "50",
                 "--quiet", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [r["method"] for r in rows] == list(paper.SOLVER_METHODS)
    assert all(r["n"] == 20 and r["reps"] == 1 for r in rows)


PAPER_BAD = {
    "unknown": (["E9"], "invalid choice"),
    "shipped-e5": (["E5", "--shipped"], "no shipped result for E5"),
    "override-not-taken": (["E1", "--reps", "2"], "--reps applies to E5, E6, not E1"),
    "shipped-and-override": (["E3", "--shipped", "--max-iter", "10"],
                             "cannot be combined with --shipped"),
    "bad-max-iter": (["E4", "--max-iter", "-1"], "max_iter"),
}


@pytest.mark.parametrize("name", list(PAPER_BAD))
def test_paper_bad_input_exit_2_one_line(name, capsys):
    from nnls_core.cli import main

    args, needle = PAPER_BAD[name]
    try:
        code = main(["paper", *args, "--json", "--quiet"])
    except SystemExit as exc:  # argparse errors
        code = exc.code
    cap = capsys.readouterr()
    _check_one_line(code, cap.out, cap.err, needle)


@pytest.mark.slow
def test_paper_e1_full_size_reproduces_the_shipped_and_the_authors_numbers(capsys):
    """The full-size recomputation (5e5 iterations, about a minute of CPU; its wall time
    is measured by bench/paper_cli.py, not here) equals the shipped file, and its L = 2
    values are within 0.5% of the authors' (issue 11)."""
    from nnls_core import paper

    out, _ = paper_json(capsys, "E1", "--quiet")
    ship = paper.load_shipped("E1").rows()
    assert len(out["rows"]) == len(ship)
    for got, want in zip(out["rows"], ship):
        # to rounding: a last-bit change in the engine may move a row's stopping
        # iteration by one, which moves l1 by about 1e-10 relative
        assert got["l1"] == pytest.approx(want["l1"], rel=1e-8)
        assert got.get("status") == want.get("status")
        assert got.get("n_iter", 0) == pytest.approx(want.get("n_iter", 0), rel=1e-3)
    l1 = [r["l1"] for r in out["rows"] if r.get("L") == 2]
    np.testing.assert_allclose(l1, paper.AUTHORS_E1[2], rtol=5e-3)
