"""BLAS threads for iterative solvers: one thread for matrix-vector-sized work.

An iterative solver is a long chain of small products. On a busy machine (a class on a
shared server, a CI box) OpenBLAS threads spin-wait for cores and one product can take
5-10x longer with two threads than with one (``bench/solvers.py`` prints the ratio), so
the solvers run with one BLAS thread below ``SINGLE_THREAD_BELOW`` multiply-adds per
product. threadpoolctl does the limiting; without it this is a no-op.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

#: Products with fewer multiply-adds than this run on one BLAS thread.
SINGLE_THREAD_BELOW = 50_000_000

_controller = None


@contextlib.contextmanager
def blas_threads(work: int) -> Iterator[None]:
    """Limit BLAS to one thread while ``work`` (multiply-adds per product) is small.

    Examples
    --------
    >>> import numpy as np
    >>> with blas_threads(100):
    ...     float(np.ones(3) @ np.ones(3))
    3.0
    """
    global _controller
    if work >= SINGLE_THREAD_BELOW:
        yield
        return
    if _controller is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - threadpoolctl is a dependency
            yield
            return
        _controller = ThreadpoolController()
    with _controller.limit(limits=1, user_api="blas"):
        yield
