"""AppTest smoke runs of the two Learn pages and their main controls."""

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import nnls_core as nc

ROOT = Path(__file__).resolve().parents[1]


def _no_nan(spec):
    for tr in spec["data"]:
        for k in ("x", "y", "z"):
            v = tr.get(k)
            if isinstance(v, list):
                arr = np.asarray(v, dtype=object).ravel()
                assert all(e is not None for e in arr), (tr.get("name"), k)


def test_gd_basics_default_and_controls():
    at = AppTest.from_file(str(ROOT / "views/gd_basics.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert at.success and not at.warning  # default tells a clean story
    assert len(at.get("plotly_chart")) == 6
    for el in at.get("plotly_chart"):
        _no_nan(json.loads(el.proto.spec))
    at.slider(key="gd_beta").set_value(180).run()
    assert not at.exception
    at.select_slider(key="gd_eta").set_value(15.0).run()
    assert not at.exception
    assert at.warning and "too large" in at.warning[0].value
    for el in at.get("plotly_chart"):
        _no_nan(json.loads(el.proto.spec))
    at.number_input(key="gd_w0").set_value(-4.0).run()
    assert not at.exception


@pytest.mark.skipif(not hasattr(nc, "solve"), reason="nnls_core.solve not available")
def test_why_reparametrize_default_and_controls():
    at = AppTest.from_file(str(ROOT / "views/why_reparametrize.py"), default_timeout=60)
    at.run()
    assert not at.exception and not at.warning
    charts = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    assert len(charts) == 2
    paths = charts[0]
    assert len(paths["frames"]) >= 20  # play / pause / slider, client-side
    assert paths["layout"]["updatemenus"][0]["buttons"][0]["label"].endswith("Play")
    at.radio(key="wr_L_u").set_value(3).run()
    assert not at.exception
    at.select_slider(key="wr_eta").set_value(0.5).run()  # too large for L = 3
    assert not at.exception
    assert at.warning and "too large" in at.warning[0].value.lower()
    at.multiselect(key="wr_alphas").set_value([]).run()
    assert not at.exception
    at.toggle(key="wr_pg").set_value(False).run()
    assert not at.exception
