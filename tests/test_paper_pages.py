"""AppTest smoke runs of the three Explore pages of the paper's experiments."""

import json
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def _charts(at):
    specs = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    for spec in specs:  # no NaN / None ever reaches plotly
        for tr in spec["data"]:
            for k in ("x", "y", "z"):
                v = tr.get(k)
                if isinstance(v, list):
                    arr = np.asarray(v, dtype=object).ravel()
                    assert all(e is not None for e in arr), (tr.get("name"), k)
    return specs


def _names(spec):
    return [tr.get("name") or "" for tr in spec["data"]]


def test_implicit_bias_page():
    at = AppTest.from_file(str(ROOT / "views/implicit_bias.py"), default_timeout=60)
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
    # E1 story: the l1 of the limit increases with alpha and approaches the LP value
    l1_L2 = next(tr for tr in specs[0]["data"] if tr["name"] == "L = 2")
    y = np.asarray(l1_L2["y"], dtype=float) if isinstance(l1_L2["y"], list) else None
    if y is not None:
        assert np.all(np.diff(y) > 0)
    at.button(key="implicit_bias:preset:E1, plain GD (fixed step)").click().run()
    assert not at.exception
    assert at.radio(key="ib_step").value == "fixed"
    _charts(at)
    at.multiselect(key="ib_Ls").set_value([]).run()
    assert not at.exception and at.info
    at.number_input(key="ib_m").set_value(60).run()  # m >= n: explained, no traceback
    assert not at.exception and at.warning


def test_recovery_page():
    at = AppTest.from_file(str(ROOT / "views/recovery.py"), default_timeout=90)
    at.run()
    assert not at.exception
    specs = _charts(at)
    assert len(specs) == 2
    heat = [tr for tr in specs[0]["data"] if tr["type"] == "heatmap"]
    assert len(heat) == 3
    at.slider(key="rec_cells").set_value(3).run()
    at.slider(key="rec_trials").set_value(2).run()
    at.multiselect(key="rec_methods").set_value(["l1_min"]).run()
    assert not at.exception
    assert len([tr for tr in _charts(at)[0]["data"] if tr["type"] == "heatmap"]) == 1
    at.multiselect(key="rec_methods").set_value([]).run()
    assert not at.exception and at.info


def test_rates_page():
    at = AppTest.from_file(str(ROOT / "views/rates.py"), default_timeout=90)
    at.run()
    assert not at.exception and not at.warning
    specs = _charts(at)
    assert len(specs) == 2
    names = " ".join(_names(specs[0]))
    for g in ("0", "0.25", "0.5", "0.75"):
        assert f"γ = {g}, L = 2" in names
    assert "k^(0.5−1)/2" in names
    acc = " ".join(_names(specs[1]))
    assert "Nesterov" in acc and "mirror" in acc and "gradient flow" in acc
    at.radio(key="rt_quantity").set_value("objective").run()
    assert not at.exception
    assert "1/k²" in " ".join(_names(_charts(at)[1]))
    at.select_slider(key="rt_eta").set_value(2.0).run()  # too large: reported, not NaN
    assert not at.exception and at.warning
    _charts(at)
    at.button(key="rates:preset:E3: step-size decay").click().run()
    assert not at.exception and at.select_slider(key="rt_eta").value == 0.1
