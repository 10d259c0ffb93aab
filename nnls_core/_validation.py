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
    try:
        v = float(value)
    except (TypeError, ValueError):
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
