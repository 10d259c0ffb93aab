"""Thin input validation with ValueError messages that say exactly what is wrong."""

from __future__ import annotations

import numpy as np

#: Largest number of entries accepted for a dense array (about 400 MB of float64).
MAX_ENTRIES = 50_000_000


def as_float_array(value, name: str, ndim: int | tuple[int, ...]) -> np.ndarray:
    """Return ``value`` as a finite float64 array with ``ndim`` dimensions.

    Parameters
    ----------
    value : array_like
        The input.
    name : str
        The name used in error messages (e.g. ``"A"``).
    ndim : int or tuple of int
        Accepted number(s) of dimensions.

    Raises
    ------
    ValueError
        If the input is not numeric, has the wrong number of dimensions, is empty,
        is too large or contains NaN or Inf.
    """
    dims = (ndim,) if isinstance(ndim, int) else tuple(ndim)
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise ValueError(f"{name} could not be read as an array: {exc}") from None
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or arr.dtype == np.bool_
    ):
        raise ValueError(f"{name} must be numeric, got dtype {arr.dtype}")
    if np.iscomplexobj(arr):
        raise ValueError(f"{name} must be real, got complex values")
    if arr.ndim not in dims:
        want = " or ".join(f"{d}-D" for d in dims)
        raise ValueError(f"{name} must be {want}, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape})")
    if arr.size > MAX_ENTRIES:
        raise ValueError(
            f"{name} has {arr.size:,} entries; the limit is {MAX_ENTRIES:,}"
        )
    arr = arr.astype(np.float64, copy=False)
    bad = ~np.isfinite(arr)
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{name} contains {int(bad.sum())} non-finite value(s) (NaN or Inf), "
            f"first at index {idx if len(idx) > 1 else idx[0]}"
        )
    return arr


def check_positive(value: float, name: str, *, allow_zero: bool = False) -> float:
    """Return ``value`` as a float, checking it is finite and positive."""
    if isinstance(value, (complex, np.complexfloating)):
        raise ValueError(f"{name} must be real, got {value!r}")
    try:
        v = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not np.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        rel = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be finite and {rel}, got {value!r}")
    return v


def check_int(value, name: str, *, minimum: int = 0) -> int:
    """Return ``value`` as an int >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


#: The largest entry of A (and of b, unless b = 0) must lie in this range of magnitudes:
#: beyond it the products and objective of a run could overflow or underflow.
MAGNITUDE_RANGE = (1e-100, 1e100)


def check_magnitude(arr, name: str, *, allow_zero: bool = False) -> None:
    """Refuse an array whose largest magnitude is zero or outside ``MAGNITUDE_RANGE``.

    Raises
    ------
    ValueError
        Naming the value and how to rescale.

    Examples
    --------
    >>> check_magnitude(np.array([1e300]), "A")
    Traceback (most recent call last):
    ...
    ValueError: A has an entry of magnitude 1e+300; the largest entry must lie between 1e-100 and 1e+100: rescale A (x scales inversely)
    """
    top = float(np.max(np.abs(arr))) if np.size(arr) else 0.0
    if top == 0.0:
        if allow_zero:
            return
        raise ValueError(f"{name} is all zeros: every x >= 0 fits equally well")
    lo, hi = MAGNITUDE_RANGE
    if not lo <= top <= hi:
        how = "x scales inversely" if name == "A" else "x scales with it"
        raise ValueError(f"{name} has an entry of magnitude {top:.3g}; the largest entry "
                         f"must lie between {lo:.0e} and {hi:.0e}: rescale {name} ({how})")


def check_range(value, name: str, lo: float, hi: float) -> float:
    """Return ``value`` as a float in the closed interval ``[lo, hi]``.

    Examples
    --------
    >>> check_range(2, "L", 1, 100)
    2.0
    """
    try:
        v = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not (np.isfinite(v) and lo <= v <= hi):
        raise ValueError(f"{name} must be between {lo:g} and {hi:g}, got {value!r}")
    return v
