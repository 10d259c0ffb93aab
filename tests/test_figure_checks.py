"""The figure checks of the page tests can fail: a NaN / Inf / None planted in a plotly
figure, also inside plotly's base64 typed arrays (``bdata``, as plotly writes every numpy
array), makes them fail; typed arrays decode to the numbers that were plotted."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest
import streamlit as st

from tests.pagetools import assert_figure_finite, charts, open_page, plotly_array

ROOT = Path(__file__).resolve().parents[1]


def _spec(fig: go.Figure) -> dict:
    """The JSON spec Streamlit sends to the browser."""
    return json.loads(fig.to_json())


def _figure(y) -> go.Figure:
    fig = go.Figure()
    fig.add_scatter(x=np.arange(4, dtype=np.float32), y=y, name="planted")
    return fig


@pytest.mark.parametrize("dtype", ["f4", "f8", "i1", "u1", "i2", "u2", "i4", "u4"])
def test_typed_arrays_decode_to_the_plotted_numbers(dtype):
    values = np.array([0, 1, 2, 3, 100, 7], dtype=dtype).reshape(2, 3)
    spec = _spec(go.Figure(go.Heatmap(z=values, x=values[0])))
    z = spec["data"][0]["z"]
    assert isinstance(z, dict) and "bdata" in z  # plotly really sends a typed array
    np.testing.assert_array_equal(plotly_array(z), values.astype(float))
    np.testing.assert_array_equal(plotly_array(spec["data"][0]["x"]), values[0])
    assert_figure_finite(spec)


def test_a_clean_figure_passes():
    assert_figure_finite(_spec(_figure(np.array([1.0, 2.0, 3.0, 4.0], dtype=np.float32))))
    assert_figure_finite(_spec(_figure([1.0, 2.0, 3.0, 4.0])))
    cats = go.Figure(go.Bar(x=["a", "b"], y=np.array([1.0, 2.0])))  # text axis: not numbers
    assert_figure_finite(_spec(cats))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_planted_non_finite_value_in_a_typed_array_fails_the_check(bad, dtype):
    y = np.array([1.0, 2.0, bad, 4.0], dtype=dtype)
    spec = _spec(_figure(y))
    assert "bdata" in spec["data"][0]["y"]
    with pytest.raises(AssertionError, match="'planted': y"):
        assert_figure_finite(spec)


def test_a_none_in_a_plain_list_fails_the_check():
    spec = _spec(_figure([1.0, None, 3.0, 4.0]))
    assert spec["data"][0]["y"] == [1.0, None, 3.0, 4.0]
    with pytest.raises(AssertionError, match="'planted': y"):
        assert_figure_finite(spec)


def test_a_nan_in_a_2d_heatmap_and_in_an_animation_frame_fails_the_check():
    z = np.ones((3, 4), dtype=np.float32)
    z[2, 1] = np.nan
    with pytest.raises(AssertionError, match="z"):
        assert_figure_finite(_spec(go.Figure(go.Heatmap(z=z))))
    fig = _figure(np.ones(4, dtype=np.float32))
    fig.frames = [go.Frame(name="k=3", data=[go.Scatter(
        x=np.arange(2, dtype=np.float32), y=np.array([0.5, np.nan], dtype=np.float32))])]
    with pytest.raises(AssertionError, match="frame 'k=3'"):
        assert_figure_finite(_spec(fig))


def test_a_nan_planted_in_a_page_figure_fails_the_page_check(monkeypatch):
    """End to end: a page's figure with a float32 NaN (sent as bdata) fails ``charts``."""
    from ui import figures_learn

    original = figures_learn.loss_curve_figure

    def planted(loss):
        fig = original(loss)
        y = np.array(fig.data[0].y, dtype=np.float32)
        y[len(y) // 2] = np.nan
        fig.data[0].y = y
        return fig

    page = str(ROOT / "views/gd_basics.py")
    at = open_page(page)
    assert len(charts(at)) == 6  # the real page passes
    monkeypatch.setattr(figures_learn, "loss_curve_figure", planted)
    # the page keeps its figures across sessions: build the planted one anew, and drop
    # it afterwards (later tests in this process must not get it)
    st.cache_resource.clear()
    try:
        at = open_page(page)
    finally:
        st.cache_resource.clear()
    specs = charts(at, check=False)
    loss = next(s for s in specs if s["data"][0].get("name") == "L(w, b)")
    assert "bdata" in loss["data"][0]["y"]
    with pytest.raises(AssertionError, match="'L\\(w, b\\)': y"):
        charts(at)


def test_every_figure_is_drawn_on_the_white_template():
    # the template is plotly's default, set by ui after Streamlit set its own on import
    import streamlit  # noqa: F401

    import ui.figures as F
    fig = F.stem_figure({}, np.array([0.0, 1.0]), title="x")
    assert fig.to_dict()["layout"]["template"]["layout"]["plot_bgcolor"] == "white"
