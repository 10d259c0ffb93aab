"""URL round trip of the Learn pages and the NMF page (AppTest): a link's settings are
applied, the page publishes its non-default settings back, bad values are ignored, and
every preset runs."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.pagetools import charts as _charts
from tests.pagetools import open_page as _page
from tests.pagetools import plotly_array as _arr

import nnls_core as nc
from nnls_core import nmf
from nnls_core import teaching as T

ROOT = Path(__file__).resolve().parents[1]
GD = str(ROOT / "views/gd_basics.py")
WR = str(ROOT / "views/why_reparametrize.py")
NMF = str(ROOT / "views/nmf.py")


# --------------------------------------------------------------------------- gradient descent
def test_gd_basics_url_round_trip():
    at = _page(GD, gd_beta="180", gd_eta_taylor="2.0", gd_w0="-2.0", gd_b0="1.5",
               gd_eta="0.5", gd_epochs="100")
    # section 1: the metrics are those of beta = 180, eta = 2
    d = T.taylor_direction(2.0, -2.0, 2.0, 180)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["predicted change η uᵀ∇L"] == f"{d['predicted_change']:+.4f}"
    assert metrics["actual change L(θ+ηu) − L(θ)"] == f"{d['actual_change']:+.4f}"
    # section 2: the loss curve is the descent from (-2, 1.5) with eta 0.5 for 100 epochs
    path = T.neuron_gd_path(-2.0, 1.5, 0.5, 100)
    curve = next(c for c in _charts(at) if c["data"][0].get("name") == "L(w, b)")
    np.testing.assert_allclose(_arr(curve["data"][0]["y"]),
                               np.maximum(path.loss, 1e-16).astype(np.float32), rtol=1e-7)
    assert at.success and f"{path.loss[-1]:.4f}" in at.success[0].value
    # published back: exactly the non-default settings (the link reproduces the page)
    qp = at.query_params
    assert (qp["gd_beta"], qp["gd_eta_taylor"], qp["gd_w0"], qp["gd_b0"], qp["gd_eta"],
            qp["gd_epochs"]) == ("180", "2.0", "-2.0", "1.5", "0.5", "100")
    at.slider(key="gd_beta").set_value(90).run()
    assert at.query_params["gd_beta"] == "90"
    at.slider(key="gd_beta").set_value(135).run()  # back to the default: leaves the URL
    assert "gd_beta" not in at.query_params


def test_gd_basics_bad_url_values_are_ignored():
    at = _page(GD, gd_beta="999", gd_eta="7", gd_w0="abc", gd_epochs="15.5", gd_b0="nan")
    ss = at.session_state
    assert (ss["gd_beta"], ss["gd_eta"], ss["gd_w0"], ss["gd_epochs"], ss["gd_b0"]) == (
        135, 1.0, 4.0, 200, 2.0)
    assert at.success and not at.warning  # the default story
    assert len(at.get("plotly_chart")) == 6


@pytest.mark.parametrize("preset", ["Default", "Steepest (180°)", "Orthogonal (90°)",
                                    "Big step (η = 4)", "Too large η"])
def test_gd_basics_presets(preset):
    at = _page(GD)
    at.button(key=f"gd_basics:preset:{preset}").click().run()
    assert not at.exception
    if preset == "Too large η":
        assert at.warning and "too large" in at.warning[0].value
        assert at.query_params["gd_eta"] == "15.0"
    if preset == "Orthogonal (90°)":
        metrics = {m.label: m.value for m in at.metric}
        assert metrics["cos β"] == "+0.000"


# --------------------------------------------------------------------------- why reparametrize
def test_why_reparametrize_url_round_trip():
    at = _page(WR, wr_Ls="3", wr_alphas="0.6,1.2", wr_eta="0.1", wr_n_iter="100",
               wr_pg="false", wr_L_u="3")
    A, b = T.nnls_2d_example()
    paths, factor = _charts(at)
    names = [t.get("name") for t in factor["data"]]
    assert names == ["L=3, α=0.6", "L=3, α=1.2"]
    assert not factor["layout"].get("shapes")  # projected gradient switched off
    assert "projected gradient" not in {t.get("name") for t in paths["data"]}
    for tr, alpha in zip(factor["data"], (0.6, 1.2)):
        r = nc.solve(A, b, method="hadamard", L=3, alpha=alpha, step=0.1, form="u",
                     max_iter=100, tol=1e-12)
        X = np.asarray(r.history.x, dtype=float)
        ref = np.maximum(0.1 * T.riemannian_factor(X[:, 1], 3), 1e-12)
        np.testing.assert_allclose(_arr(tr["y"]), ref.astype(np.float32), rtol=1e-6)
    assert at.radio(key="wr_L_u").value == 3
    qp = at.query_params
    assert (qp["wr_Ls"], qp["wr_alphas"], qp["wr_eta"], qp["wr_n_iter"], qp["wr_pg"],
            qp["wr_L_u"]) == ("3", "0.6,1.2", "0.1", "100", "false", "3")
    at.toggle(key="wr_pg").set_value(True).run()
    assert "wr_pg" not in at.query_params


def test_why_reparametrize_bad_url_values_are_ignored():
    at = _page(WR, wr_Ls="2,4", wr_alphas="0.3,evil", wr_L_u="5", wr_pg="maybe",
               wr_n_iter="9999", wr_eta="0.3")
    ss = at.session_state
    assert ss["wr_Ls"] == ["2", "3"] and ss["wr_alphas"] == ["0.3", "1.0"]
    assert (ss["wr_L_u"], ss["wr_pg"], ss["wr_n_iter"], ss["wr_eta"]) == (2, True, 300, 0.05)
    assert not at.warning and len(at.get("plotly_chart")) == 2


def test_why_reparametrize_L_u_follows_the_exponents():
    # a link with L_u = 3 but only L = 2 picked: the panel falls back to L = 2, no error
    at = _page(WR, wr_Ls="2", wr_L_u="3")
    assert at.radio(key="wr_L_u").value == 2


@pytest.mark.parametrize("preset", ["L = 2", "L = 3", "Small α", "Large α", "Step too large"])
def test_why_reparametrize_presets(preset):
    at = _page(WR)
    at.button(key=f"why_reparametrize:preset:{preset}").click().run()
    assert not at.exception
    if preset == "L = 3":
        assert at.radio(key="wr_L_u").value == 3
        assert at.query_params["wr_Ls"] == "3"
    if preset == "Step too large":
        assert at.warning and "too large" in at.warning[0].value.lower()


# --------------------------------------------------------------------------- NMF
def test_nmf_url_round_trip():
    at = _page(NMF, nmf_data="synthetic (60×80)", nmf_noise="0.0", nmf_r_synthetic="4",
               nmf_iters="50", nmf_seed="3", nmf_lam="0.1",
               nmf_reg="first differences (smooth columns)", nmf_methods="mu,hadamard",
               nmf_step="1.5")
    X, _, _ = nmf.synthetic(60, 80, 5, noise=0.0, seed=0)
    M = nmf.regularizer("diff", 60)
    mu = nmf.solve(X, 4, "multiplicative", lam=0.1, M=M, max_iter=50, init="random", seed=3)
    had = nmf.solve(X, 4, "hadamard", lam=0.1, M=M, max_iter=50, init="random", seed=3,
                    step_scale=1.5)
    df = at.dataframe[0].value
    assert len(df) == 2
    np.testing.assert_allclose(df.iloc[:, 2].to_numpy(float), [mu.objective, had.objective],
                               rtol=1e-12)
    assert at.slider(key="nmf_r_synthetic").value == 4
    assert at.number_input(key="nmf_seed").value == 3
    qp = at.query_params
    assert qp["nmf_methods"] == "mu,hadamard" and qp["nmf_r_synthetic"] == "4"
    assert qp["nmf_step"] == "1.5" and "nmf_data" not in qp
    assert "nmf_r_swimmer" not in qp and "nmf_init" not in qp
    at.select_slider(key="nmf_iters").set_value(25).run()
    assert at.query_params["nmf_iters"] == "25"


def test_nmf_bad_url_values_are_ignored():
    at = _page(NMF, nmf_data="evil", nmf_r_swimmer="100", nmf_methods="pg,evil",
               nmf_step="nan", nmf_iters="7", nmf_seed="-1")
    ss = at.session_state
    assert ss["nmf_data"] == "synthetic (60×80)" and ss["nmf_r_swimmer"] == 17
    assert ss["nmf_methods"] == ["pg", "pg-accel", "mu", "hadamard"]
    assert (ss["nmf_step"], ss["nmf_iters"], ss["nmf_seed"]) == (1.9, 300, 0)
    assert len(at.dataframe[0].value) == 4


@pytest.mark.parametrize("preset", ["Sparse parts", "Exact low rank", "Smooth columns",
                                    "Swimmer parts", "Digits strokes"])
def test_nmf_presets(preset):
    at = AppTest.from_file(NMF, default_timeout=180)
    at.query_params.update(nmf_iters="25")  # a cheap start
    at.run()
    at.button(key=f"nmf:preset:{preset}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    if preset in ("Swimmer parts", "Digits strokes"):  # seconds of work: behind Run
        assert at.button(key="nmf_run").label.startswith("Run (4 method(s)")
        return
    assert len(at.dataframe[0].value) == 4 and not at.error
    if preset == "Exact low rank":
        assert at.dataframe[0].value["rel. error"].min() < 1e-3
    if preset == "Sparse parts":
        assert not any(k.startswith("nmf_") for k in at.query_params)


# --------------------------------------------------------------------------- shared state
def _keys(name: str) -> set[str]:
    return set(re.findall(r'"(\w+)":\s*Field\(', (ROOT / "views" / f"{name}.py").read_text()))


def test_pages_do_not_share_setting_keys():
    """Streamlit's session state is shared by every page of the app: a key used by two pages
    would carry one page's value (possibly invalid there) into the other."""
    prefixes = {"gd_basics": "gd_", "why_reparametrize": "wr_", "nmf": "nmf_"}
    for name, prefix in prefixes.items():
        keys = _keys(name)
        assert len(keys) >= 4 and all(k.startswith(prefix) for k in keys), keys
    assert not _keys("playground") & set().union(*(_keys(n) for n in prefixes))


# --------------------------------------------------------------------------- playground
PG = str(ROOT / "views/playground.py")


def test_playground_takes_the_settings_a_tune_link_sends():
    """The Tune page links to the Playground with L, alpha, step_kind, accel and eta: the
    widgets show them and the run uses them (the same run as the library's)."""
    at = _page(PG, L="3", alpha="0.0001", step_kind="fixed", accel="nesterov", eta="0.01",
               m="20", n="40", max_iter="1500")
    ss = at.session_state
    assert (ss["L"], ss["alpha"], ss["step_kind"], ss["accel"], ss["eta"]) == (
        3, 1e-4, "fixed", "nesterov", 0.01)
    assert at.number_input(key="L").value == 3
    assert at.select_slider(key="alpha").value == 1e-4
    assert at.selectbox(key="step_kind").value == "fixed"
    assert at.selectbox(key="pg_accel").value == "nesterov"
    assert at.number_input(key="eta").value == 0.01
    p = nc.sparse_problem(20, 40, 4, seed=0)
    ref = nc.solve(p.A, p.b, L=3, alpha=1e-4, accel="nesterov", step=0.01, decay=0.0,
                   max_iter=1500, tol=nc.HadamardOptions().tol)
    row = at.dataframe[0].value.iloc[0]
    assert row["objective"] == ref.objective and row["iterations"] == ref.n_iter
    # published back unchanged: the link reproduces the page
    qp = at.query_params
    assert (qp["L"], qp["alpha"], qp["step_kind"], qp["accel"], qp["eta"]) == (
        "3", "0.0001", "fixed", "nesterov", "0.01")
