"""BLAS threads for iterative solvers: one thread for matrix-vector-sized work.

An iterative solver is a long chain of products. Below ``SINGLE_THREAD_BELOW``
multiply-adds per product the solvers run on one BLAS thread: two threads gain little
there, and on a busy machine (a class on a shared server, a CI box) a thread spin-waiting
for a core slows every product. Above it, two threads make a matrix-vector product
faster (this 2-core machine, idle: 0.37x the time at 1000 x 2000, 0.69x at 2000 x 8000;
with the other core busy 1.1-1.9x, which is why the dashboard runs on one thread).
The choice depends on the product (m n), not on the batch, so that a batch row uses the
same kernel as a single run. threadpoolctl does the limiting; without it this is a no-op.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

#: Products with fewer multiply-adds than this run on one BLAS thread.
SINGLE_THREAD_BELOW = 2_000_000

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
