"""AppTest smoke runs of the three Explore pages of the paper's experiments.

The default run checks the pages' wiring on small settings (a link's query parameters, as
in test_url_state_paper.py); the default settings, which take a few seconds of numerics
each, are checked by the tests marked slow. Every figure goes through the NaN / Inf check
of tests/pagetools.py."""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.pagetools import charts as _charts  # every figure checked: no NaN / Inf / None
from tests.pagetools import open_page as _page
from tests.pagetools import plotly_array as _arr

ROOT = Path(__file__).resolve().parents[1]
IB = str(ROOT / "views/implicit_bias.py")
REC = str(ROOT / "views/recovery.py")
RT = str(ROOT / "views/rates.py")

# small settings: the same page code on a few cheap runs
SMALL_IB = dict(ib_alphas="0.01,0.032,0.1", ib_budget="5000")
SMALL_REC = dict(rec_cells="3", rec_trials="1", rec_budget="2000", rec_ptrials="1")
SMALL_RT = dict(rt_m="15", rt_gammas="0.0,0.5", rt_Ls="2", rt_iters="2000",
                rt_a_iters="2000")


def _names(spec):
    return [tr.get("name") or "" for tr in spec["data"]]


def _curve(spec, name):
    """The (x, y) arrays of the trace called ``name``, decoded."""
    tr = next(tr for tr in spec["data"] if tr.get("name") == name)
    return _arr(tr["x"]), _arr(tr["y"])


def _lp_value(spec) -> float:
    _, y = _curve(spec, next(n for n in _names(spec) if n.startswith("min ℓ1 (LP)")))
    return float(y[0])


# --------------------------------------------------------------------------- implicit bias
def test_implicit_bias_page():
    at = _page(IB, **SMALL_IB)
    assert not at.warning  # every run of this grid converges
    specs = _charts(at)
    assert len(specs) == 3
    names = " ".join(_names(specs[0]))
    assert "L = 2" in names and "L = 3" in names and "min ℓ1 (LP)" in names
    assert "Lawson-Hanson" in names and "‖x_true‖₁" in names
    # E1 story: the l1 of the limit increases with alpha and approaches the LP value
    lp = _lp_value(specs[0])
    for L in (2, 3):
        alpha, l1 = _curve(specs[0], f"L = {L}")
        np.testing.assert_allclose(alpha, [0.01, 0.032, 0.1])
        assert np.all(np.diff(l1) > 0), (L, l1)
        assert np.all(l1 >= lp * (1 - 1e-6)), (L, l1, lp)  # the LP value is the minimum
        assert l1[0] - lp < 0.1 * (l1[-1] - lp), (L, l1, lp)  # small alpha: close to it
    at.multiselect(key="ib_Ls").set_value([]).run()
    assert not at.exception and at.info
    at.number_input(key="ib_m").set_value(60).run()  # m >= n: explained, no traceback
    assert not at.exception and at.warning


@pytest.mark.slow
def test_implicit_bias_page_default_settings():
    at = AppTest.from_file(IB, default_timeout=240)
    at.run()
    assert not at.exception
    # the only warning names the runs the library reports as not converged (L=3, 1e-3)
    assert [w.value for w in at.warning] == [
        "Not converged within the iteration cap (the limit is not reached yet, its ℓ1 norm "
        "is not final): L=3, α=0.001"]
    specs = _charts(at)
    assert len(specs) == 3
    names = " ".join(_names(specs[0]))
    assert "L = 2" in names and "L = 3" in names and "min ℓ1 (LP)" in names
    assert "Lawson-Hanson" in names and "‖x_true‖₁" in names
    # E1 story on the converged L = 2 curve (L = 3 has a run stopped by the iteration cap):
    # the l1 of the limit increases with alpha, from about the LP value
    alpha, l1 = _curve(specs[0], "L = 2")
    assert alpha.size == l1.size == 5 and np.all(np.diff(alpha) > 0)
    assert np.all(np.diff(l1) > 0), l1
    assert np.all(l1 >= _lp_value(specs[0]) * (1 - 1e-6)), l1
    at.button(key="implicit_bias:preset:E1, plain GD (fixed step)").click().run()
    assert not at.exception
    assert at.radio(key="ib_step").value == "fixed"
    assert len(_charts(at)) == 3


# --------------------------------------------------------------------------- recovery
def test_recovery_page():
    at = _page(REC, **SMALL_REC)
    specs = _charts(at)
    assert len(specs) == 2
    heat = [tr for tr in specs[0]["data"] if tr["type"] == "heatmap"]
    assert len(heat) == 3
    at.slider(key="rec_trials").set_value(2).run()
    at.multiselect(key="rec_methods").set_value(["l1_min"]).run()
    assert not at.exception
    assert len([tr for tr in _charts(at)[0]["data"] if tr["type"] == "heatmap"]) == 1
    at.multiselect(key="rec_methods").set_value([]).run()
    assert not at.exception and at.info


@pytest.mark.slow
def test_recovery_page_default_settings():
    at = AppTest.from_file(REC, default_timeout=240)
    at.run()
    assert not at.exception
    specs = _charts(at)
    assert len(specs) == 2
    assert len([tr for tr in specs[0]["data"] if tr["type"] == "heatmap"]) == 3


# --------------------------------------------------------------------------- rates
def test_rates_page():
    at = _page(RT, **SMALL_RT)
    assert not at.warning
    specs = _charts(at)
    assert len(specs) == 2
    names = " ".join(_names(specs[0]))
    for g in ("0", "0.5"):
        assert f"γ = {g}, L = 2" in names
    assert "γ = 0.25" not in names and "L = 3" not in names  # only the chosen runs
    assert "k^(0.5−1)/2" in names
    acc = " ".join(_names(specs[1]))
    assert "Nesterov" in acc and "mirror" in acc and "gradient flow" in acc
    at.radio(key="rt_quantity").set_value("objective").run()
    assert not at.exception
    assert "1/k²" in " ".join(_names(_charts(at)[1]))
    at.select_slider(key="rt_eta").set_value(2.0).run()  # too large: reported, not NaN
    assert not at.exception and at.warning
    assert len(_charts(at)) == 2


@pytest.mark.slow
def test_rates_page_default_settings():
    at = AppTest.from_file(RT, default_timeout=240)
    at.run()
    assert not at.exception and not at.warning
    specs = _charts(at)
    assert len(specs) == 2
    names = " ".join(_names(specs[0]))
    for g in ("0", "0.25", "0.5", "0.75"):
        assert f"γ = {g}, L = 2" in names
    assert "k^(0.5−1)/2" in names
    at.button(key="rates:preset:E3: step-size decay").click().run()
    assert not at.exception and at.select_slider(key="rt_eta").value == 0.1
    assert len(_charts(at)) == 2
