"""Compute the paper's long runs once (E1-E4 at full size) and ship them in assets/paper/.

    python bench/paper_assets.py              # all of E1-E4 and the Recovery default
    python bench/paper_assets.py recovery     # the Recovery page's default grid only
    python bench/paper_assets.py E1 E3        # some of them
    python bench/paper_assets.py --out DIR    # somewhere else

Each experiment is :mod:`nnls_core.paper`'s function with the paper's settings; the
files are read back by :func:`nnls_core.paper.load_shipped` (the pages load them
instantly) and checked by tests/test_paper.py against a shortened recomputation.
"recovery" is :func:`nnls_core.experiments.recovery` at ``RECOVERY_DEFAULT`` (about 2
min), read back by :func:`nnls_core.experiments.load_recovery` (the Recovery page).
Progress and timings go to stderr.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nnls_core import experiments, paper  # noqa: E402

#: The Recovery page's shipped default grid.
RECOVERY_FILE = "recovery.json"
#: E2 keeps this many log-spaced checkpoints per L in the shipped file (float32).
E2_POINTS = 200


def _progress(name: str):
    last = [-1]

    def report(frac: float) -> None:
        pct = int(100 * frac)
        if pct // 5 != last[0] // 5:
            last[0] = pct
            print(f"\r{name}: {pct:3d}%", end="", file=sys.stderr, flush=True)
    return report


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("experiments", nargs="*", default=[*paper.SHIPPED, "recovery"],
                    choices=[*paper.SHIPPED, "recovery"], metavar="E",
                    help="E1 E2 E3 E4 recovery")
    ap.add_argument("--out", default=str(paper.ASSETS), help="directory (assets/paper)")
    args = ap.parse_args(argv)
    for name in args.experiments:
        t0 = time.perf_counter()
        if name == "recovery":
            pt, pe = experiments.recovery(**experiments.RECOVERY_DEFAULT,
                                          progress=_progress(name))
            path = experiments.save_recovery(pt, pe, experiments.RECOVERY_DEFAULT,
                                             Path(args.out) / RECOVERY_FILE)
            print(f"\r{name}: {time.perf_counter() - t0:.1f} s -> {path}", file=sys.stderr)
            for mth, s in pt.success.items():
                print(f"  {mth}: recovered {s.mean():.1%}, not converged "
                      f"{pt.not_converged_fraction(mth):.1%}", file=sys.stderr)
            continue
        result = paper.run(name, progress=_progress(name))
        if name == "E2":
            result = result.thinned(E2_POINTS)
        path = paper.save(result, args.out)
        print(f"\r{name}: {time.perf_counter() - t0:.1f} s -> {path} "
              f"({path.stat().st_size / 1024:.0f} kB)", file=sys.stderr)
        for row in result.rows()[:20] if name != "E2" else []:
            print(f"  {row}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
