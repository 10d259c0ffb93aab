"""Compute the paper's long runs once (E1-E4 at full size) and ship them in assets/paper/.

    python bench/paper_assets.py              # all of E1-E4
    python bench/paper_assets.py E1 E3        # some of them
    python bench/paper_assets.py --out DIR    # somewhere else

Each experiment is :mod:`nnls_core.paper`'s function with the paper's settings; the
files are read back by :func:`nnls_core.paper.load_shipped` (the pages load them
instantly) and checked by tests/test_paper.py against a shortened recomputation.
Progress and timings go to stderr.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nnls_core import paper  # noqa: E402

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
    ap.add_argument("experiments", nargs="*", default=list(paper.SHIPPED),
                    choices=list(paper.SHIPPED), metavar="E", help="E1 E2 E3 E4")
    ap.add_argument("--out", default=str(paper.ASSETS), help="directory (assets/paper)")
    args = ap.parse_args(argv)
    for name in args.experiments:
        t0 = time.perf_counter()
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
