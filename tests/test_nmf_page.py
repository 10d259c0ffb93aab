"""Smoke tests of the NMF page with Streamlit's AppTest (numbers are tested in test_nmf.py)."""

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

PAGE = str(Path(__file__).resolve().parents[1] / "views" / "nmf.py")


def _run(**widgets):
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    for key, value in widgets.items():
        at.session_state[key] = value
    if widgets:
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _charts(at):
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def _finite(spec):
    for tr in spec["data"]:
        for axis in ("x", "y", "z"):
            v = tr.get(axis)
            if isinstance(v, dict) and "bdata" in v:  # typed array: decode
                import base64
                arr = np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"])
                assert np.isfinite(arr).all()
            elif isinstance(v, list):
                arr = np.asarray(v, dtype=float)
                assert np.isfinite(arr).all()


def test_default_page_tells_the_story():
    at = _run()
    assert "NMF" in at.title[0].value
    charts = _charts(at)
    assert len(charts) == 4  # objective vs iteration, vs time, basis, reconstructions
    for spec in charts:
        _finite(spec)
    df = at.dataframe[0].value
    assert len(df) == 6  # 4 of ours + sklearn mu and cd anchors
    assert {"scikit-learn 'mu'", "scikit-learn 'cd'"} <= set(df["method"])
    # the swimmer is exactly factorizable: some method gets there in the default run
    assert df["rel. error"].min() < 1e-3
    # both conventions reported and consistent (no regularizer by default)
    np.testing.assert_allclose(df.iloc[:, 3] * 2, df.iloc[:, 2], rtol=1e-9)
    text = " ".join(m.value for m in at.markdown)
    assert "Kronecker" in text and "relative difference" in text
    assert not at.error


@pytest.mark.parametrize("reg", ["identity (ridge ‖W‖²)", "first differences (smooth columns)"])
def test_digits_with_regularizer_every_method(reg):
    at = _run(nmf_data="digits (8×8)", nmf_iters=50, nmf_lam=0.1,
              nmf_reg=reg)
    df = at.dataframe[0].value
    assert len(df) == 6 and np.isfinite(df.iloc[:, 2:].to_numpy(dtype=float)).all()
    assert not at.error
    for spec in _charts(at):
        _finite(spec)


def test_synthetic_and_upload_without_file_shows_error_not_traceback():
    at = _run(nmf_data="synthetic (60×80)", nmf_iters=25,
              nmf_reg="upload M (CSV)", nmf_lam=1.0)
    assert at.error and "CSV" in at.error[0].value
    assert len(at.dataframe[0].value) == 6


def test_no_method_selected_warns():
    at = _run(nmf_methods=[])
    assert at.warning and not at.dataframe


# --------------------------------------------------------------------------- figures (no server)
def test_objective_figure_has_no_nan_and_handles_zero_and_nan():
    from ui.figures_nmf import objective_figure

    h = {"objective": np.array([10.0, 1.0, 0.0, np.nan, 1e-30]),
         "time": np.array([0.0, 0.1, 0.2, 0.3, 0.4])}
    for x in ("iteration", "time"):
        fig = objective_figure({"multiplicative": h}, x=x)
        ys = np.asarray(fig.data[0].y, dtype=float)
        xs = np.asarray(fig.data[0].x, dtype=float)
        assert np.isfinite(ys).all() and (ys > 0).all() and (xs > 0).all()
        assert fig.layout.yaxis.type == "log"
        assert ys.dtype == np.float64 or fig.data[0].y.dtype == np.float32


def test_long_histories_are_thinned_and_keep_the_last_point():
    from ui.figures_nmf import objective_figure

    n = 20_001
    h = {"objective": np.geomspace(1e3, 1e-3, n), "time": np.linspace(0, 2, n)}
    fig = objective_figure({"hadamard": h})
    assert len(fig.data[0].y) <= 420
    assert float(fig.data[0].x[-1]) == n  # iteration n-1, plotted as n


def test_mosaic_tiles_columns_as_images():
    from ui.figures_nmf import mosaic

    cols = np.arange(12, dtype=float).reshape(4, 3)  # three 2x2 images
    z = mosaic(cols, (2, 2), 2, normalize=False, pad=1, sep=-1)
    np.testing.assert_array_equal(z[1:3, 1:3], cols[:, 0].reshape(2, 2))
    np.testing.assert_array_equal(z[1:3, 4:6], cols[:, 1].reshape(2, 2))
    np.testing.assert_array_equal(z[4:6, 1:3], cols[:, 2].reshape(2, 2))
    assert (z[4:6, 4:6] == 0).all()  # empty slot stays blank
