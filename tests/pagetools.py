"""Helpers shared by the AppTest page tests: open a page, read its plotly figures, decode
plotly's typed arrays and check that no NaN / Inf / None reaches the browser."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import numpy as np
from streamlit.testing.v1 import AppTest

#: trace attributes holding the plotted numbers (checked for NaN / Inf / None)
DATA_KEYS = ("x", "y", "z")


def open_page(path: str, timeout: float = 120, **params) -> AppTest:
    """Run a page script with these query parameters, as a shared link would open it."""
    at = AppTest.from_file(path, default_timeout=timeout)
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def charts(at: AppTest, check: bool = True) -> list[dict]:
    """The plotly figures of a run, as JSON specs; with ``check`` (the default) every
    figure is first checked by :func:`assert_figure_finite`."""
    specs = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    if check:
        for spec in specs:
            assert_figure_finite(spec)
    return specs


def is_typed_array(v) -> bool:
    """True for plotly's base64 typed array ``{"bdata": ..., "dtype": ..., "shape": ...}``."""
    return isinstance(v, dict) and "bdata" in v and "dtype" in v


def plotly_array(v) -> np.ndarray:
    """A trace's x / y / z as a float array: a plain (nested) list, or plotly's base64
    typed array (``bdata``, ``dtype`` such as "f4", "f8", "i4", "u1", optional ``shape``;
    little-endian, as plotly writes them). ``None`` entries become NaN."""
    if is_typed_array(v):
        raw = base64.b64decode(v["bdata"])
        a = np.frombuffer(raw, dtype=np.dtype(v["dtype"]).newbyteorder("<")).astype(float)
        shape = v.get("shape")
        if isinstance(shape, str):
            shape = [int(d) for d in shape.split(",")]
        elif isinstance(shape, int):
            shape = [shape]
        return a.reshape(shape) if shape is not None else a
    if isinstance(v, dict):
        raise TypeError(f"not an array: a dict with keys {sorted(v)}")
    return np.asarray(_none_to_nan(v), dtype=float)


def _none_to_nan(v):
    if v is None:
        return np.nan
    if isinstance(v, (list, tuple)):
        return [_none_to_nan(e) for e in v]
    if is_typed_array(v):  # a row of a 2-D z given as a list of typed arrays
        return plotly_array(v).tolist()
    return v


def _numeric(v) -> np.ndarray | None:
    """The numbers of a data attribute (None -> NaN); None when it holds text (categories,
    dates), which cannot be NaN."""
    if is_typed_array(v):
        return plotly_array(v)
    if not isinstance(v, (list, tuple)):
        return None
    flat: list = []
    stack = [v]
    while stack:
        e = stack.pop()
        if isinstance(e, (list, tuple)):
            stack.extend(e)
        elif is_typed_array(e):
            flat.extend(plotly_array(e).ravel().tolist())
        else:
            flat.append(e)
    if any(isinstance(e, str) for e in flat):
        return None
    return np.asarray([np.nan if e is None else e for e in flat], dtype=float)


def figure_arrays(spec: dict) -> Iterator[tuple[str, str, np.ndarray]]:
    """Every numeric x / y / z of a figure's traces and of its animation frames' traces,
    decoded: yields (where, key, array), ``where`` naming the trace (and frame)."""
    traces = [(f"trace {i} {tr.get('name')!r}", tr) for i, tr in enumerate(spec.get("data", []))]
    for f, frame in enumerate(spec.get("frames") or []):
        traces += [(f"frame {frame.get('name', f)!r} trace {i} {tr.get('name')!r}", tr)
                   for i, tr in enumerate(frame.get("data", []))]
    for where, tr in traces:
        for k in DATA_KEYS:
            if k in tr:
                arr = _numeric(tr[k])
                if arr is not None:
                    yield where, k, arr


def assert_figure_finite(spec: dict) -> None:
    """No NaN, Inf or None in any x / y / z of the figure (typed arrays decoded)."""
    bad = [f"{where}: {k} ({int(np.sum(~np.isfinite(a)))} of {a.size} not finite)"
           for where, k, a in figure_arrays(spec) if not np.all(np.isfinite(a))]
    assert not bad, "non-finite values in a figure: " + "; ".join(bad)
