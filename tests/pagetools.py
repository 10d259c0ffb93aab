"""Helpers shared by the AppTest page tests."""

from __future__ import annotations

import base64
import json

import numpy as np
from streamlit.testing.v1 import AppTest


def open_page(path: str, timeout: float = 120, **params) -> AppTest:
    """Run a page script with these query parameters, as a shared link would open it."""
    at = AppTest.from_file(path, default_timeout=timeout)
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def charts(at: AppTest) -> list[dict]:
    """The plotly figures of a run, as JSON specs."""
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def plotly_array(v) -> np.ndarray:
    """A trace's x / y / z: a plain (nested) list or plotly's base64 typed array."""
    if isinstance(v, dict) and "bdata" in v:
        a = np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"]).astype(float)
        shape = v.get("shape")
        if isinstance(shape, str):
            shape = [int(d) for d in shape.split(",")]
        return a.reshape(shape) if shape is not None else a
    return np.asarray(v, dtype=float)
