"""Every command and code block of README.md runs as written on a fresh clone.

Each ```bash and ```python block is extracted and run: python blocks with ``exec`` (the
output a block shows in its closing ``# ...`` comment is compared with what it prints),
``python -m nnls_core ...`` lines with subprocess, other shell lines with bash, all in a
scratch directory holding a copy of ``assets/`` (so nothing is written into the tree).
Not run here: the two install-and-run commands (one starts the app server, the other is
this test suite). The benchmark table is checked too: every script in ``bench/`` is
listed, and the options it names exist.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = [(m.group(1), m.group(2)) for m in
          re.finditer(r"^```(bash|python)\n(.*?)^```", README, flags=re.S | re.M)]

# lines that start the app server or run the whole test suite
NOT_RUN = ("streamlit run", "python -m pytest")


def _commands() -> list[str]:
    lines = []
    for lang, body in BLOCKS:
        if lang == "bash":
            lines += [ln.strip() for ln in body.splitlines()
                      if ln.strip() and not ln.strip().startswith("#")]
    return lines


COMMANDS = [c for c in _commands() if not any(s in c for s in NOT_RUN)]
PYTHON_BLOCKS = [body for lang, body in BLOCKS if lang == "python"]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """A scratch working directory with the README's example data, as in the clone."""
    shutil.copytree(ROOT / "assets", tmp_path / "assets")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_readme_has_the_blocks_this_test_runs():
    assert len(PYTHON_BLOCKS) >= 1
    skipped = [c for c in _commands() if any(s in c for s in NOT_RUN)]
    # exactly the two commands: install and run the app, install and run the tests
    assert skipped == ["pip install -e '.[app]' && streamlit run app.py",
                       "pip install -e '.[test]' && python -m pytest"], skipped
    assert any(c.startswith("python -m nnls_core") for c in COMMANDS)
    assert any("venv" in c for c in COMMANDS)


def _compare_output(printed: str, shown: str) -> None:
    """Words must match; numbers agree to within a factor of 2 (values below 1e-10, such
    as an objective at rounding level, only need to stay below 1e-10)."""
    got, want = printed.split(), shown.split()
    assert len(got) == len(want), (printed, shown)
    for g, w in zip(got, want):
        try:
            gf, wf = float(g), float(w)
        except ValueError:
            assert g == w, (printed, shown)
            continue
        if abs(wf) < 1e-10:
            assert abs(gf) < 1e-10, (printed, shown)
        else:
            assert gf != 0 and abs(math.log(abs(gf / wf))) <= math.log(2), (printed, shown)


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=lambda b: b.splitlines()[0][:40])
def test_python_block_runs(block, scratch):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "README.md", "exec"), {"__name__": "__readme__"})
    shown = [ln[1:].strip() for ln in block.rstrip().splitlines()[::-1]
             if ln.startswith("# ")]
    last = block.rstrip().splitlines()[-1]
    if last.startswith("# "):  # the block shows its output in its last line
        _compare_output(out.getvalue().strip().splitlines()[-1], shown[0])


@pytest.mark.parametrize("command", [c for c in COMMANDS if c.startswith("python -m ")])
def test_module_command_runs(command, scratch):
    argv = shlex.split(command)
    run = subprocess.run([sys.executable, *argv[1:]], capture_output=True, text=True,
                         timeout=300, env=_env())
    assert run.returncode == 0, (command, run.stdout[-2000:], run.stderr[-2000:])
    assert run.stdout.strip(), command
    assert "Traceback" not in run.stderr
    if "--json" in argv:
        import json
        out = json.loads(run.stdout)
        if argv[3] == "paper":  # the experiment's rows, the paper's numbers
            assert out["experiment"] == argv[4] and out["rows"], out
        else:
            assert out["status"] == "converged"
    if "--x-out" in argv:
        import numpy as np
        x = np.load(scratch / argv[argv.index("--x-out") + 1])
        assert x.shape == (50,) and (x >= 0).all()


@pytest.mark.slow  # a virtual environment with pip: 10-40 s
@pytest.mark.parametrize("command", [c for c in COMMANDS if not c.startswith("python -m ")])
def test_shell_command_runs(command, scratch):
    run = subprocess.run(["bash", "-c", f"set -e; {command}; python -c 'import sys; "
                          "print(sys.prefix)'"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, (command, run.stdout[-2000:], run.stderr[-2000:])
    if "activate" in command:  # the environment is the one just made, and new enough
        assert Path(run.stdout.split()[-1]).resolve() == (scratch / ".venv").resolve()
        ver = subprocess.run([str(scratch / ".venv/bin/python"), "-c",
                              "import sys; print(sys.version_info >= (3, 11))"],
                             capture_output=True, text=True)
        assert ver.stdout.strip() == "True"


def test_readme_example_data_is_the_documented_problem():
    import numpy as np

    import nnls_core as nc
    p = nc.sparse_problem(20, 50, 3, seed=0)
    np.testing.assert_allclose(np.loadtxt(ROOT / "assets/A.csv", delimiter=","), p.A,
                               rtol=1e-15)
    np.testing.assert_array_equal(np.load(ROOT / "assets/b.npy", allow_pickle=False), p.b)
    assert "nc.sparse_problem(20, 50, 3, seed=0)" in README


BENCH_ROWS = re.findall(r"^\| `python (bench/\w+\.py)`([^|]*)\|", README, flags=re.M)


def test_every_benchmark_is_listed_with_what_it_prints():
    listed = {path for path, _ in BENCH_ROWS}
    assert listed == {f"bench/{p.name}" for p in (ROOT / "bench").glob("*.py")}, listed


@pytest.mark.parametrize("path, flags", BENCH_ROWS, ids=[p for p, _ in BENCH_ROWS])
def test_benchmark_options_in_the_readme_exist(path, flags):
    named = re.findall(r"--[\w-]+", flags)
    if not named:
        return
    run = subprocess.run([sys.executable, path, "--help"], capture_output=True, text=True,
                         cwd=ROOT, timeout=120, env=_env())
    assert run.returncode == 0, run.stderr[-2000:]
    for flag in named:
        assert flag in run.stdout, (path, flag)
