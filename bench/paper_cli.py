"""Time the paper's E1 from the command line, as a student runs it.

    python bench/paper_cli.py                 # python -m nnls_core paper E1 --json, full size
    python bench/paper_cli.py --max-iter 20000   # a shorter check
    python bench/paper_cli.py --quiet         # without the progress callback

Runs ``python -m nnls_core paper E1 --json`` in a subprocess (all ten (L, alpha) rows in
one batch, 5e5 iterations), prints its wall and CPU time, the machine's load average (other
work on a shared machine stretches the wall time, not the CPU time) and the table of our
l1 values against the authors' (issue 11: within 0.5%, in under 2 minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nnls_core import paper  # noqa: E402

#: Issue 11's budget for the full-size E1 from the command line, seconds.
TARGET_S = 120.0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-iter", type=int, default=None, help="default: the paper's 5e5")
    ap.add_argument("--quiet", action="store_true", help="pass --quiet (no progress)")
    args = ap.parse_args(argv)
    cmd = [sys.executable, "-m", "nnls_core", "paper", "E1", "--json"]
    if args.max_iter is not None:
        cmd += ["--max-iter", str(args.max_iter)]
    if args.quiet:
        cmd.append("--quiet")
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    load0 = os.getloadavg()[0]
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, env=env, cwd=ROOT, text=True)
    wall = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        print(f"failed with exit code {proc.returncode}", file=sys.stderr)
        return proc.returncode
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    out = json.loads(proc.stdout)
    print(f"$ python {' '.join(cmd[1:])}")
    verdict = ("" if args.max_iter is not None else
               f"; target {TARGET_S:.0f} s wall: {'met' if wall < TARGET_S else 'NOT met'}")
    print(f"wall {wall:.1f} s, CPU {cpu:.1f} s (load average {load0:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end, {os.cpu_count()} cores){verdict}")
    runs = {(r["L"], round(r["alpha"], 12)): r for r in out["rows"] if "L" in r}
    refs = {r["reference"]: r["l1"] for r in out["rows"] if "reference" in r}
    print(f"\n{'':>24} {'ours':>9} {'authors':>9} {'diff':>8}  status (iterations)")
    for a, theirs in zip(paper.AUTHORS_E1["alphas"], paper.AUTHORS_E1[2]):
        r = runs[(2, round(a, 12))]
        print(f"L = 2, alpha = {a:<9.3g} {r['l1']:9.4f} {theirs:9.4f} "
              f"{100 * (r['l1'] / theirs - 1):+7.3f}%  {r['status']} ({r['n_iter']})")
    for name in ("l1_min", "lawson_hanson"):
        theirs = paper.AUTHORS_E1[name]
        print(f"{name:<24} {refs[name]:9.4f} {theirs:9.4f} "
              f"{100 * (refs[name] / theirs - 1):+7.3f}%")
    print(f"{'basis_pursuit':<24} {refs['basis_pursuit']:9.4f}")
    for (L, a), r in runs.items():
        if L != 2:
            print(f"L = {L}, alpha = {a:<9.3g} {r['l1']:9.4f} {'':>9} {'':>8}  "
                  f"{r['status']} ({r['n_iter']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
