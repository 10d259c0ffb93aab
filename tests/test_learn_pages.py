"""AppTest smoke runs of the two Learn pages and their main controls."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.pagetools import charts as _charts  # every figure checked: no NaN / Inf / None

ROOT = Path(__file__).resolve().parents[1]


def test_gd_basics_default_and_controls():
    at = AppTest.from_file(str(ROOT / "views/gd_basics.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert at.success and not at.warning  # default tells a clean story
    assert len(_charts(at)) == 6
    at.slider(key="gd_beta").set_value(180).run()
    assert not at.exception
    at.select_slider(key="gd_eta").set_value(15.0).run()
    assert not at.exception
    assert at.warning and "too large" in at.warning[0].value
    assert len(_charts(at)) == 6
    at.number_input(key="gd_w0").set_value(-4.0).run()
    assert not at.exception


def test_why_reparametrize_default_and_controls():
    at = AppTest.from_file(str(ROOT / "views/why_reparametrize.py"), default_timeout=60)
    at.run()
    assert not at.exception and not at.warning
    charts = _charts(at)
    assert len(charts) == 2
    paths = charts[0]
    assert len(paths["frames"]) >= 20  # play / pause / slider, client-side
    assert paths["layout"]["updatemenus"][0]["buttons"][0]["label"].endswith("Play")
    at.radio(key="wr_L_u").set_value(3).run()
    assert not at.exception
    at.select_slider(key="wr_eta").set_value(0.5).run()  # too large for L = 3
    assert not at.exception
    assert at.warning and "too large" in at.warning[0].value.lower()
    assert len(_charts(at)) == 2  # too large a step: reported, and still no NaN drawn
    at.multiselect(key="wr_alphas").set_value([]).run()
    assert not at.exception
    at.toggle(key="wr_pg").set_value(False).run()
    assert not at.exception
