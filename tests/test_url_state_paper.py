"""URL round trip of the three Explore pages of the paper's experiments (AppTest): a link's
settings are applied (the figures are those of an independent library call with these
settings), the page publishes its non-default settings back, bad values are ignored, and
every preset runs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.pagetools import charts as _charts
from tests.pagetools import open_page as _page
from tests.pagetools import plotly_array as _arr

import nnls_core as nc
from nnls_core.experiments import (acceleration, decay_rates, implicit_bias,
                                   perturbation_stability, phase_transition)
from nnls_core.sweep import sweep
from ui import figures_paper as F

ROOT = Path(__file__).resolve().parents[1]
IB = str(ROOT / "views/implicit_bias.py")
REC = str(ROOT / "views/recovery.py")
RT = str(ROOT / "views/rates.py")


def _same_figure(spec: dict, fig) -> None:
    """The page's chart has the traces (names and data) of ``fig``, built here from an
    independent library call."""
    ref = json.loads(fig.to_json())
    assert [t.get("name") for t in spec["data"]] == [t.get("name") for t in ref["data"]]
    for got, want in zip(spec["data"], ref["data"]):
        for k in ("x", "y", "z"):
            assert (k in got) == (k in want), (got.get("name"), k)
            if k in want:
                np.testing.assert_allclose(_arr(got[k]), _arr(want[k]), rtol=1e-6,
                                           err_msg=f"{got.get('name')}: {k}")


# --------------------------------------------------------------------------- implicit bias
def test_implicit_bias_url_round_trip():
    at = _page(IB, ib_n="30", ib_m="8", ib_s="2", ib_seed="1", ib_Ls="2",
               ib_alphas="0.01,0.1", ib_L_path="2", ib_budget="5000")
    p = nc.sparse_problem(8, 30, 2, seed=1)
    ib = implicit_bias(p.A, p.b, alphas=(0.01, 0.1), Ls=(2,), x_true=p.x_true, step="bb",
                       max_iter=50_000, tol=1e-6)
    l1, dist, paths = _charts(at)
    _same_figure(l1, F.l1_alpha_figure(ib))
    _same_figure(dist, F.distance_alpha_figure(ib))
    x_max = float(np.max(nc.solve(p.A, p.b, method="lawson_hanson").x))
    eta = nc.safe_step(float(np.linalg.norm(p.A, 2)), 2, max(x_max, 1e-3))
    rs = sweep(p.A, p.b, L=2, alpha=[0.01, 0.1], step=eta, max_iter=5000, tol=1e-8)
    _same_figure(paths, F.residual_paths_figure(
        {"α = 0.01": rs[0], "α = 0.1": rs[1]}, title=""))
    assert at.number_input(key="ib_n").value == 30
    assert at.multiselect(key="ib_alphas").value == [0.01, 0.1]
    assert at.select_slider(key="ib_budget").value == 5000
    # published back: exactly the non-default settings (ib_L_path = 2 is the default)
    assert dict(at.query_params) == {
        "ib_n": "30", "ib_m": "8", "ib_s": "2", "ib_seed": "1", "ib_Ls": "2",
        "ib_alphas": "0.01,0.1", "ib_budget": "5000"}
    at.number_input(key="ib_seed").set_value(0).run()  # the default: leaves the URL
    assert not at.exception and "ib_seed" not in at.query_params
    assert at.query_params["ib_budget"] == "5000"
    # fixed steps (up to 100,000 iterations per run) on a grid where they finish quickly
    at.multiselect(key="ib_alphas").set_value([0.1, 0.32]).run()
    assert at.query_params["ib_alphas"] == "0.1,0.32"
    at.radio(key="ib_step").set_value("fixed").run()
    assert not at.exception and at.query_params["ib_step"] == "fixed"
    assert len(_charts(at)) == 3


def test_implicit_bias_L_path_follows_the_exponents():
    # a link with the paths at L = 4 but only L = 3 picked: the panel falls back to L = 3
    at = _page(IB, ib_Ls="3", ib_alphas="0.1", ib_L_path="4", ib_budget="5000")
    assert at.radio(key="ib_L_path").value == 3
    assert "ib_L_path" in at.query_params and at.query_params["ib_L_path"] == "3"


def test_implicit_bias_bad_url_values_are_ignored():
    # the bad values fall back to the defaults, the good ones stay (and are published).
    # In two halves, to stay quick: the first run draws on small settings, the second asks
    # for m >= n, so the page reads and publishes its settings, explains, and stops
    at = _page(IB, ib_n="5000", ib_m="x", ib_step="newton", ib_seed="-3", ib_s="nan",
               ib_alphas="0.01,0.1", ib_budget="5000")
    ss = at.session_state
    assert (ss["ib_n"], ss["ib_m"], ss["ib_s"], ss["ib_seed"], ss["ib_step"]) == (
        50, 10, 3, 0, "bb")
    assert ss["ib_alphas"] == [0.01, 0.1] and ss["ib_budget"] == 5000
    assert len(_charts(at)) == 3
    assert dict(at.query_params) == {"ib_alphas": "0.01,0.1", "ib_budget": "5000"}
    at = _page(IB, ib_Ls="2,7", ib_alphas="0.5", ib_budget="123", ib_m="60")
    ss = at.session_state
    assert ss["ib_budget"] == 20_000
    assert ss["ib_Ls"] == [2, 3] and ss["ib_alphas"] == [1e-3, 3.2e-3, 1e-2, 3.2e-2, 1e-1]
    assert at.warning and "m < n" in at.warning[0].value
    assert dict(at.query_params) == {"ib_m": "60"}


def test_implicit_bias_link_is_published_when_the_page_stops():
    # m >= n: the page explains and stops, the link (and the presets) are still there
    at = _page(IB, ib_m="60")
    assert at.warning and at.query_params["ib_m"] == "60"
    assert at.button(key="implicit_bias:preset:E1 (paper)")


# the paper's presets run the paper's sizes (several seconds each): marked slow
@pytest.mark.parametrize("preset", [pytest.param("E1 (paper)", marks=pytest.mark.slow),
                                    pytest.param("E1 with L = 4", marks=pytest.mark.slow),
                                    "E1, plain GD (fixed step)"])
def test_implicit_bias_presets(preset):
    at = _page(IB, ib_alphas="0.1", ib_budget="5000")  # a cheap start
    at.button(key=f"implicit_bias:preset:{preset}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.get("plotly_chart")) == 3
    if preset == "E1 (paper)":
        assert dict(at.query_params) == {}
    if preset == "E1 with L = 4":
        assert at.query_params["ib_Ls"] == "2,3,4"
        assert at.query_params["ib_alphas"] == "0.01,0.032,0.1,0.32"
    if preset == "E1, plain GD (fixed step)":
        assert at.radio(key="ib_step").value == "fixed"
        assert dict(at.query_params) == {"ib_Ls": "2", "ib_step": "fixed"}


# --------------------------------------------------------------------------- recovery
def test_recovery_url_round_trip():
    at = _page(REC, rec_n="20", rec_cells="3", rec_trials="2", rec_L="3", rec_alpha="0.01",
               rec_budget="2000", rec_methods="hadamard,l1_min", rec_pm="10", rec_ps="2",
               rec_ptrials="1")
    deltas = rhos = tuple(np.round(np.linspace(1 / 3, 1.0, 3), 3))
    pt = phase_transition(20, deltas, rhos, trials=2, methods=("hadamard", "l1_min"), L=3,
                          alpha=0.01, max_iter=2000)
    pe = perturbation_stability(10, 50, 2, (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1),
                                trials=1, methods=("hadamard", "l1_min"), L=3, alpha=0.01,
                                max_iter=2000)
    phase, perturb = _charts(at)
    _same_figure(phase, F.phase_figure(pt))
    assert [t["type"] for t in phase["data"]] == ["heatmap", "heatmap"]
    _same_figure(perturb, F.perturbation_figure(pe))
    assert at.slider(key="rec_cells").value == 3 and at.radio(key="rec_L").value == 3
    assert dict(at.query_params) == {
        "rec_n": "20", "rec_cells": "3", "rec_trials": "2", "rec_L": "3",
        "rec_alpha": "0.01", "rec_budget": "2000", "rec_methods": "hadamard,l1_min",
        "rec_pm": "10", "rec_ps": "2", "rec_ptrials": "1"}
    at.slider(key="rec_ptrials").set_value(2).run()
    assert at.query_params["rec_ptrials"] == "2"
    at.multiselect(key="rec_methods").set_value([]).run()  # the page stops, the URL follows
    assert not at.exception and at.info and at.query_params["rec_methods"] == ""


def test_recovery_bad_url_values_are_ignored():
    # in two halves (see implicit bias); the second picks no method, so the page stops
    at = _page(REC, rec_n="25", rec_L="4", rec_alpha="1", rec_methods="lawson_hanson,evil",
               rec_pm="x", rec_ps="3.5", rec_cells="3", rec_trials="1", rec_budget="2000",
               rec_ptrials="1")
    ss = at.session_state
    assert (ss["rec_n"], ss["rec_L"], ss["rec_alpha"], ss["rec_pm"], ss["rec_ps"]) == (
        30, 2, 1e-3, 20, 3)
    assert ss["rec_methods"] == ["hadamard", "lawson_hanson", "l1_min"]
    assert len(_charts(at)) == 2
    assert dict(at.query_params) == {"rec_cells": "3", "rec_trials": "1",
                                     "rec_budget": "2000", "rec_ptrials": "1"}
    at = _page(REC, rec_cells="11", rec_trials="0", rec_budget="1e9", rec_ptrials="nan",
               rec_methods="")
    ss = at.session_state
    assert (ss["rec_cells"], ss["rec_trials"], ss["rec_budget"], ss["rec_ptrials"]) == (
        6, 5, 5_000, 3)
    assert ss["rec_methods"] == [] and at.info
    assert dict(at.query_params) == {"rec_methods": ""}


@pytest.mark.parametrize("preset", [
    pytest.param("Quick grid", marks=pytest.mark.slow),  # the default settings
    pytest.param("Fine grid (10 × 10 × 10, about 30 s)", marks=pytest.mark.slow),
    pytest.param("Paper sizes (n = 50, E3/E4: m = 20, s = 3)", marks=pytest.mark.slow)])
def test_recovery_presets(preset):
    at = AppTest.from_file(REC, default_timeout=240)
    at.query_params.update(rec_cells="3", rec_trials="1", rec_budget="2000",
                           rec_ptrials="1")  # a cheap start
    at.run()
    at.button(key=f"recovery:preset:{preset}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.get("plotly_chart")) == 2
    if preset == "Quick grid":
        assert dict(at.query_params) == {}
    if preset.startswith("Fine grid"):
        assert (at.slider(key="rec_cells").value, at.slider(key="rec_trials").value) == (10, 10)
        assert at.query_params["rec_budget"] == "20000"
    if preset.startswith("Paper sizes"):
        assert dict(at.query_params) == {"rec_n": "50", "rec_budget": "20000"}


# --------------------------------------------------------------------------- rates
@pytest.mark.slow  # 10 s: the flows of the acceleration panel, on the page and here
def test_rates_url_round_trip():
    at = _page(RT, rt_n="30", rt_m="10", rt_s="2", rt_seed="2", rt_quantity="objective",
               rt_eta="0.03", rt_gammas="0.0,0.5", rt_Ls="2", rt_iters="2000",
               rt_a_alpha="0.01", rt_a_eta="0.03", rt_a_iters="2000")
    p = nc.sparse_problem(10, 30, 2, seed=2)
    dec = decay_rates(p.A, p.b, gammas=(0.0, 0.5), Ls=(2,), alpha=0.1, step=0.03,
                      max_iter=2000, tol=1e-12)
    acc = acceleration(p.A, p.b, alpha=0.01, step=0.03, L=2, max_iter=2000, tol=1e-12)
    decay, accel = _charts(at)
    _same_figure(decay, F.decay_figure(dec, quantity="objective"))
    _same_figure(accel, F.acceleration_figure(acc, step=0.03, quantity="objective"))
    assert at.multiselect(key="rt_gammas").value == [0.0, 0.5]
    assert at.select_slider(key="rt_a_eta").value == 0.03
    assert dict(at.query_params) == {
        "rt_n": "30", "rt_m": "10", "rt_s": "2", "rt_seed": "2", "rt_quantity": "objective",
        "rt_eta": "0.03", "rt_gammas": "0.0,0.5", "rt_Ls": "2", "rt_iters": "2000",
        "rt_a_alpha": "0.01", "rt_a_eta": "0.03", "rt_a_iters": "2000"}
    at.radio(key="rt_quantity").set_value("rnorm").run()  # back to the default
    assert "rt_quantity" not in at.query_params
    at.select_slider(key="rt_iters").set_value(5000).run()
    assert at.query_params["rt_iters"] == "5000"


def test_rates_bad_url_values_are_ignored():
    # in two halves (see implicit bias); the second asks for s > n, so the page stops
    small = dict(rt_gammas="0.0,0.5", rt_Ls="2", rt_iters="2000", rt_a_iters="2000")
    at = _page(RT, rt_n="9", rt_quantity="l2", rt_eta="0.05", rt_seed="1e3", **small)
    ss = at.session_state
    assert (ss["rt_n"], ss["rt_quantity"], ss["rt_eta"], ss["rt_seed"], ss["rt_iters"],
            ss["rt_a_iters"]) == (50, "rnorm", 0.1, 0, 2000, 2000)
    assert not at.warning and len(_charts(at)) == 2
    assert dict(at.query_params) == small
    at = _page(RT, rt_gammas="0.3", rt_Ls="1,2", rt_a_iters="abc", rt_n="10", rt_s="20")
    ss = at.session_state
    assert ss["rt_gammas"] == [0.0, 0.25, 0.5, 0.75] and ss["rt_Ls"] == [2, 3]
    assert ss["rt_a_iters"] == 20_000
    assert at.warning and "s cannot exceed n" in at.warning[0].value
    assert dict(at.query_params) == {"rt_n": "10", "rt_s": "20"}


@pytest.mark.parametrize("preset", [pytest.param("E3: step-size decay", marks=pytest.mark.slow),
                                    pytest.param("E4: acceleration", marks=pytest.mark.slow)])
def test_rates_presets(preset):
    small = dict(rt_m="15", rt_eta="0.03", rt_iters="2000", rt_a_eta="0.03",
                 rt_a_iters="2000")
    at = _page(RT, **small)
    at.button(key=f"rates:preset:{preset}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.get("plotly_chart")) == 2
    # each preset resets the problem and its own section and leaves the other one alone
    if preset.startswith("E3"):
        assert dict(at.query_params) == {"rt_a_eta": "0.03", "rt_a_iters": "2000"}
    else:
        assert dict(at.query_params) == {"rt_eta": "0.03", "rt_iters": "2000"}


# --------------------------------------------------------------------------- shared state
def _keys(name: str) -> set[str]:
    return set(re.findall(r'"(\w+)":\s*Field\(', (ROOT / "views" / f"{name}.py").read_text()))


def test_paper_pages_do_not_share_setting_keys():
    """Streamlit's session state is shared by every page of the app: a key used by two pages
    would carry one page's value (possibly invalid there) into the other."""
    prefixes = {"implicit_bias": "ib_", "recovery": "rec_", "rates": "rt_"}
    others = ("playground", "gd_basics", "why_reparametrize", "nmf")
    for name, prefix in prefixes.items():
        keys = _keys(name)
        assert len(keys) >= 9 and all(k.startswith(prefix) for k in keys), keys
    assert not set().union(*(_keys(n) for n in others)) & set().union(
        *(_keys(n) for n in prefixes))
