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

import numpy as np

from ._validation import check_int, check_positive, check_range

#: Largest exponent L accepted (x = u^L).
MAX_L = 64.0
#: The authors' momentum schedules (Chou et al.'s published code), fixed steps only.
PAPER_ACCELS = ("nesterov_paper", "mirror_paper")


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

    The authors' schedules (Chou et al.'s published code, see :mod:`nnls_core.paper`):

    >>> o = HadamardOptions(step=0.005, accel="nesterov_paper")
    >>> o.decay_offset, o.restart, o.sign_guard
    (1.0, False, False)
    >>> HadamardOptions(step=0.05, decay=0.5, decay_offset=2).decay_offset
    2.0

    Attributes
    ----------
    decay_offset : float
        The decaying step is ``eta_k = eta / (k + decay_offset)^decay`` for k = 0, 1, ...
        Default 1 (``eta / (k+1)^decay``); the authors index ``eta / (t+2)^gamma``
        (``decay_offset=2``). Fixed steps with ``accel`` None or a "_paper" schedule
        only.
    restart : bool
        For ``accel="nesterov_paper"`` / ``"mirror_paper"`` only: the authors' restart
        rule (Nesterov: after more than 10 momentum steps, restart when
        ``||u_k - u_{k-1}||`` decreases; mirror: after more than 10, restart when the
        objective increases).
        Off in the paper's presets. ("nesterov" and "mirror" always restart.)
    sign_guard : bool
        For ``accel="nesterov_paper"`` only: an extrapolated point with a negative entry
        is replaced by the current point (no momentum for that row). Off in the paper's
        presets, where u may cross zero for even L (``x = u^L`` stays >= 0); for other L
        a negative u ends the row as "diverged".
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
    decay_offset: float = 1.0
    restart: bool = False
    sign_guard: bool = False

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
        if self.accel not in (None, "nesterov", "mirror") + PAPER_ACCELS:
            raise ValueError(f"accel must be None, 'nesterov' or 'mirror', got {self.accel!r} "
                             f"(or the authors' schedules {PAPER_ACCELS})")
        paper = self.accel in PAPER_ACCELS
        if paper and (self.step is None or isinstance(self.step, str)):
            raise ValueError(f"accel={self.accel!r} is the authors' fixed-step schedule; "
                             f"give step=<number>, got {self.step!r}")
        set_("decay_offset", check_positive(self.decay_offset, "decay_offset"))
        if self.decay_offset != 1 and self.accel in ("nesterov", "mirror"):
            raise ValueError(f"decay_offset applies to accel None or {PAPER_ACCELS}; "
                             f"accel={self.accel!r} decays as eta/(k+1)^decay")
        for name in ("restart", "sign_guard"):
            value = getattr(self, name)
            if not isinstance(value, (bool, np.bool_)):
                raise ValueError(f"{name} must be True or False, got {value!r}")
            set_(name, bool(value))
        if self.restart and not paper:
            why = "always restarts" if self.accel else "has no momentum"
            raise ValueError(f"restart applies to accel in {PAPER_ACCELS} "
                             f"(accel={self.accel!r} {why})")
        if self.sign_guard and self.accel != "nesterov_paper":
            raise ValueError("sign_guard applies to accel='nesterov_paper' only")
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
