"""One validated options type per method family, used by ``solve``, ``sweep``, the CLI,
code export and the pages.

Every field is checked once, in ``__post_init__``; a bad value raises a ValueError that
names it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ._validation import check_int, check_positive, check_range

#: Largest exponent L accepted (x = u^L).
MAX_L = 64.0


def _budget(obj) -> None:
    """Validate max_iter, tol, time_limit and callback in place."""
    object.__setattr__(obj, "max_iter", check_int(obj.max_iter, "max_iter", minimum=0))
    object.__setattr__(obj, "tol", check_positive(obj.tol, "tol", allow_zero=True))
    if obj.time_limit is not None:
        object.__setattr__(obj, "time_limit", check_positive(obj.time_limit, "time_limit"))
    if obj.callback is not None and not callable(obj.callback):
        raise ValueError(f"callback must be callable, got {obj.callback!r}")


@dataclass(frozen=True)
class HadamardOptions:
    """Options of the Hadamard method (see :func:`nnls_core.hadamard`).

    Examples
    --------
    >>> HadamardOptions(alpha=1e-3).step
    'bb'
    >>> HadamardOptions(accel="nesterov").step
    'auto'
    >>> HadamardOptions(L=0.5)
    Traceback (most recent call last):
    ...
    ValueError: L must be between 1 and 64, got 0.5
    """

    L: float = 2.0
    alpha: float = 1e-2
    step: float | str | None = None
    decay: float = 0.0
    form: str = "u"
    accel: str | None = None
    max_iter: int = 50_000
    tol: float = 1e-8
    time_limit: float | None = None
    callback: Callable | None = None

    def __post_init__(self) -> None:
        set_ = lambda k, v: object.__setattr__(self, k, v)  # noqa: E731
        set_("L", check_range(self.L, "L", 1.0, MAX_L))
        set_("alpha", check_positive(self.alpha, "alpha"))
        decay = check_positive(self.decay, "decay", allow_zero=True)
        if decay > 1:
            raise ValueError(f"decay must be in [0, 1], got {decay}")
        set_("decay", decay)
        if self.form not in ("u", "x"):
            raise ValueError(f"form must be 'u' or 'x', got {self.form!r}")
        if self.accel not in (None, "nesterov", "mirror"):
            raise ValueError(f"accel must be None, 'nesterov' or 'mirror', got {self.accel!r}")
        step = self.step
        if step is None:
            step = "bb" if self.accel is None else "auto"
        if isinstance(step, str):
            allowed = ("auto", "bb") if self.accel is None else ("auto",)
            if step not in allowed:
                raise ValueError(f"step must be a positive number or one of {allowed} "
                                 f"(with accel={self.accel!r}), got {step!r}")
            if decay:
                raise ValueError("decay applies to a fixed step; use step=<number> with decay")
        else:
            step = check_positive(step, "step")
        set_("step", step)
        _budget(self)

    @property
    def fixed(self) -> bool:
        """True for a fixed (possibly decaying) step."""
        return not isinstance(self.step, str)

    def replace(self, **changes: Any) -> "HadamardOptions":
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class FirstOrderOptions:
    """Options of projected gradient, FISTA and multiplicative updates.

    ``step`` None is ``1 / ||A||_2^2`` (not used by multiplicative updates).

    Examples
    --------
    >>> FirstOrderOptions(max_iter=10).max_iter
    10
    """

    step: float | None = None
    max_iter: int = 50_000
    tol: float = 1e-8
    time_limit: float | None = None
    callback: Callable | None = None

    def __post_init__(self) -> None:
        if self.step is not None:
            object.__setattr__(self, "step", check_positive(self.step, "step"))
        _budget(self)


@dataclass(frozen=True)
class ActiveSetOptions:
    """Options of Lawson-Hanson: ``max_iter`` None is scipy's default ``3 n``.

    Examples
    --------
    >>> ActiveSetOptions(max_iter=0)
    Traceback (most recent call last):
    ...
    ValueError: max_iter must be >= 1, got 0
    """

    max_iter: int | None = None

    def __post_init__(self) -> None:
        if self.max_iter is not None:
            object.__setattr__(self, "max_iter", check_int(self.max_iter, "max_iter",
                                                           minimum=1))


@dataclass(frozen=True)
class NoOptions:
    """Direct methods without options (``lstsq``, ``l1_min``)."""


def make(cls, options: dict, method: str):
    """Build ``cls(**options)``, saying which options the method takes on a typo."""
    names = [f.name for f in dataclasses.fields(cls)]
    unknown = sorted(set(options) - set(names))
    if unknown:
        raise ValueError(f"method {method!r} does not take option(s) {unknown}; "
                         f"it takes {names}")
    return cls(**options)
