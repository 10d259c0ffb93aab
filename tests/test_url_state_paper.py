"""URL round trip of the three Explore pages of the paper's experiments (AppTest): a link's
settings are applied (after Run, the figures are those of an independent library call
with these settings), the page publishes its non-default settings back, bad values are
ignored, and every preset sets what it names without computing anything."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

import nnls_core as nc
from nnls_core.experiments import (decay_rates, implicit_bias, perturbation_stability,
                                   phase_transition)
from nnls_core.sweep import sweep
from tests.pagetools import charts as _charts
from tests.pagetools import open_page as _page
from tests.pagetools import plotly_array as _arr
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
    at = _page(IB, ib_src="custom", ib_n="30", ib_m="8", ib_s="2", ib_seed="1", ib_Ls="2",
               ib_alphas="0.01,0.1", ib_L_path="2", ib_budget="5000")
    assert not _charts(at)  # the link opens the settings; Run computes
    at.button(key="ib_go").click().run()
    p = nc.sparse_problem(8, 30, 2, seed=1)
    ib = implicit_bias(p.A, p.b, alphas=(0.01, 0.1), Ls=(2,), x_true=p.x_true, step="bb",
                       max_iter=50_000, tol=1e-6)
    l1, paths = _charts(at)
    n_iter = np.array([[r.n_iter for r in row] for row in ib.results])
    _same_figure(l1, F.l1_alpha_figure(
        ib.alphas, ib.Ls, ib.l1, ib.converged, n_iter,
        {"min ℓ1, x ≥ 0 (LP)": ib.l1_lp, "Lawson-Hanson": ib.l1_lh, "‖x_true‖₁": ib.l1_true}))
    x_max = float(np.max(nc.solve(p.A, p.b, method="lawson_hanson").x))
    eta = nc.safe_step(float(np.linalg.norm(p.A, 2)), 2, max(x_max, 1e-3))
    rs = sweep(p.A, p.b, L=2, alpha=[0.01, 0.1], step=eta, max_iter=5000, tol=1e-8)
    _same_figure(paths, F.residual_paths_figure({"α = 0.01": rs[0], "α = 0.1": rs[1]},
                                                title=""))
    assert at.number_input(key="ib_n").value == 30
    assert at.multiselect(key="ib_alphas").value == [0.01, 0.1]
    # published back: exactly the non-default settings (ib_L_path = 2 is the default)
    assert dict(at.query_params) == {
        "ib_src": "custom", "ib_n": "30", "ib_m": "8", "ib_s": "2", "ib_seed": "1",
        "ib_Ls": "2", "ib_alphas": "0.01,0.1", "ib_budget": "5000"}
    at.number_input(key="ib_seed").set_value(0).run()  # the default: leaves the URL
    assert not at.exception and "ib_seed" not in at.query_params
    assert not _charts(at) and at.button(key="ib_go")  # new settings: Run again


def test_implicit_bias_L_path_follows_the_exponents():
    # a link with the paths at L = 4 but only L = 3 picked: the panel falls back to L = 3
    at = _page(IB, ib_src="custom", ib_Ls="3", ib_alphas="0.1", ib_L_path="4")
    assert at.selectbox(key="ib_L_path").value == 3
    assert at.query_params["ib_L_path"] == "3"


def test_implicit_bias_bad_url_values_are_ignored():
    at = _page(IB, ib_src="custom", ib_n="5000", ib_m="x", ib_step="newton", ib_seed="-3",
               ib_s="nan", ib_alphas="0.01,0.1", ib_budget="123", ib_Ls="2,7")
    ss = at.session_state
    assert (ss["ib_n"], ss["ib_m"], ss["ib_s"], ss["ib_seed"], ss["ib_step"]) == (
        50, 10, 3, 0, "bb")
    assert ss["ib_alphas"] == [0.01, 0.1] and ss["ib_budget"] == 20_000
    assert ss["ib_Ls"] == [2, 3]
    assert dict(at.query_params) == {"ib_src": "custom", "ib_alphas": "0.01,0.1"}
    at = _page(IB, ib_src="nowhere", ib_m="60")
    assert at.session_state["ib_src"] == "paper" and len(_charts(at)) == 2


def test_implicit_bias_link_is_published_when_the_page_stops():
    # m >= n: the page explains and stops, the link (and the presets) are still there
    at = _page(IB, ib_src="custom", ib_m="60")
    assert at.warning and at.query_params["ib_m"] == "60"
    assert at.button(key="implicit_bias:preset:E1 + E2 (paper)")


@pytest.mark.parametrize("preset, params", [
    ("E1 + E2 (paper)", {}),
    ("Own problem (BB steps)", {"ib_src": "custom"}),
    ("Own problem, L = 2, 3, 4", {"ib_src": "custom", "ib_Ls": "2,3,4",
                                  "ib_alphas": "0.01,0.032,0.1,0.32"}),
    ("Own problem, fixed step", {"ib_src": "custom", "ib_Ls": "2", "ib_step": "fixed"})])
def test_implicit_bias_presets(preset, params):
    at = _page(IB, ib_src="custom", ib_alphas="0.1", ib_budget="5000")
    at.button(key=f"implicit_bias:preset:{preset}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert dict(at.query_params) == params
    assert len(_charts(at)) == (2 if preset.startswith("E1") else 0)  # own: behind Run


# --------------------------------------------------------------------------- recovery
@pytest.mark.slow  # the grid, the perturbations and the same again here (about 11 s)
def test_recovery_url_round_trip():
    at = _page(REC, rec_n="20", rec_cells="3", rec_trials="2", rec_L="3", rec_alpha="0.01",
               rec_budget="2000", rec_methods="hadamard,l1_min", rec_pm="10", rec_ps="2",
               rec_ptrials="1", rec_step="fixed")
    assert not [b for b in at.button if b.key == "rec_go"]  # small: it ran at once
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
    assert at.slider(key="rec_cells").value == 3 and at.selectbox(key="rec_L").value == 3
    assert dict(at.query_params) == {
        "rec_n": "20", "rec_cells": "3", "rec_trials": "2", "rec_L": "3",
        "rec_alpha": "0.01", "rec_budget": "2000", "rec_methods": "hadamard,l1_min",
        "rec_pm": "10", "rec_ps": "2", "rec_ptrials": "1", "rec_step": "fixed"}
    at.slider(key="rec_ptrials").set_value(2).run()
    assert at.query_params["rec_ptrials"] == "2"
    at.multiselect(key="rec_methods").set_value([]).run()  # the page stops, the URL follows
    assert not at.exception and at.info and at.query_params["rec_methods"] == ""


def test_recovery_bad_url_values_are_ignored():
    at = _page(REC, rec_n="25", rec_L="4", rec_alpha="1", rec_methods="lawson_hanson,evil",
               rec_pm="x", rec_ps="3.5", rec_cells="3", rec_trials="1", rec_budget="2000",
               rec_ptrials="1")
    ss = at.session_state
    assert (ss["rec_n"], ss["rec_L"], ss["rec_alpha"], ss["rec_pm"], ss["rec_ps"]) == (
        30, 2, 1e-4, 20, 3)
    assert ss["rec_methods"] == ["hadamard", "lawson_hanson", "l1_min"]
    assert dict(at.query_params) == {"rec_cells": "3", "rec_trials": "1",
                                     "rec_budget": "2000", "rec_ptrials": "1"}
    at = _page(REC, rec_cells="11", rec_trials="0", rec_budget="1e9", rec_ptrials="nan",
               rec_methods="")
    ss = at.session_state
    assert (ss["rec_cells"], ss["rec_trials"], ss["rec_budget"], ss["rec_ptrials"]) == (
        6, 5, 50_000, 3)
    assert ss["rec_methods"] == [] and at.info
    assert dict(at.query_params) == {"rec_methods": ""}


@pytest.mark.parametrize("preset, params, waits", [
    ("At convergence (shipped)", {}, False),  # opens from the shipped grid, no Run
    ("Fixed step, 5,000 iterations",
     {"rec_step": "fixed", "rec_alpha": "0.001", "rec_budget": "5000"}, True),
    ("Fine grid (10 × 10 × 10)", {"rec_n": "50", "rec_cells": "10", "rec_trials": "10"},
     True)])
def test_recovery_presets(preset, params, waits):
    at = _page(REC, rec_n="100", rec_trials="20")  # a start that waits for Run
    at.button(key=f"recovery:preset:{preset}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert dict(at.query_params) == params
    go = [b for b in at.button if b.key == "rec_go"]
    if waits:
        assert go and go[0].label.startswith("Run (")  # an estimate, no computing
    else:
        assert not go and _charts(at)  # the shipped figures, at once


# --------------------------------------------------------------------------- rates
def test_rates_url_round_trip():
    at = _page(RT, rt_src="custom", rt_n="30", rt_m="10", rt_s="2", rt_seed="2",
               rt_quantity="objective", rt_eta="0.03", rt_gammas="0.0,0.5", rt_Ls="2",
               rt_iters="2000", rt_a_alpha="0.01", rt_a_eta="0.03", rt_a_iters="2000")
    assert not _charts(at)
    assert at.multiselect(key="rt_gammas").value == [0.0, 0.5]
    assert at.select_slider(key="rt_a_eta").value == 0.03
    assert dict(at.query_params) == {
        "rt_src": "custom", "rt_n": "30", "rt_m": "10", "rt_s": "2", "rt_seed": "2",
        "rt_quantity": "objective", "rt_eta": "0.03", "rt_gammas": "0.0,0.5", "rt_Ls": "2",
        "rt_iters": "2000", "rt_a_alpha": "0.01", "rt_a_eta": "0.03", "rt_a_iters": "2000"}
    at.radio(key="rt_quantity").set_value("rnorm").run()  # back to the default
    assert "rt_quantity" not in at.query_params


@pytest.mark.slow  # the flows of the acceleration panel (about 15 s)
def test_rates_figures_are_the_library_s():
    at = _page(RT, rt_src="custom", rt_n="30", rt_m="10", rt_s="2", rt_seed="2",
               rt_quantity="objective", rt_eta="0.03", rt_gammas="0.0,0.5", rt_Ls="2",
               rt_iters="2000", rt_a_alpha="0.01", rt_a_eta="0.03", rt_a_iters="2000")
    at.button(key="rt_go").click().run()
    p = nc.sparse_problem(10, 30, 2, seed=2)
    dec = decay_rates(p.A, p.b, gammas=(0.0, 0.5), Ls=(2,), alpha=0.1, step=0.03,
                      max_iter=2000, tol=1e-12)
    decay, _ = _charts(at)
    _same_figure(decay, F.decay_figure(F.result_curves(dec, "objective"),
                                       quantity="objective",
                                       statuses={k: r.status for k, r in dec.items()},
                                       title=""))


def test_rates_bad_url_values_are_ignored():
    at = _page(RT, rt_src="custom", rt_n="9", rt_quantity="l2", rt_eta="0.05",
               rt_seed="1e3", rt_gammas="0.3", rt_Ls="1,2", rt_a_iters="abc")
    ss = at.session_state
    assert (ss["rt_n"], ss["rt_quantity"], ss["rt_eta"], ss["rt_seed"],
            ss["rt_a_iters"]) == (50, "rnorm", 0.1, 0, 20_000)
    assert ss["rt_gammas"] == [0.0, 0.25, 0.5, 0.75] and ss["rt_Ls"] == [2, 3]
    assert dict(at.query_params) == {"rt_src": "custom"}
    at = _page(RT, rt_src="custom", rt_n="10", rt_s="20")
    assert at.warning and "s cannot exceed n" in at.warning[0].value
    assert dict(at.query_params) == {"rt_src": "custom", "rt_n": "10", "rt_s": "20"}


@pytest.mark.parametrize("preset, params", [
    ("E3 + E4 (paper)", {}), ("Own problem", {"rt_src": "custom"}),
    ("Own problem, step too large", {"rt_src": "custom", "rt_eta": "2.0",
                                     "rt_iters": "2000", "rt_a_iters": "2000"})])
def test_rates_presets(preset, params):
    at = _page(RT, rt_src="custom", rt_m="15")
    at.button(key=f"rates:preset:{preset}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert dict(at.query_params) == params
    assert len(_charts(at)) == (2 if preset.startswith("E3") else 0)  # own: behind Run


# --------------------------------------------------------------------------- shared state
def _keys(name: str) -> set[str]:
    return set(re.findall(r'"(\w+)":\s*Field\(', (ROOT / "views" / f"{name}.py").read_text()))


def test_paper_pages_do_not_share_setting_keys():
    """Streamlit's session state is shared by every page of the app: a key used by two pages
    would carry one page's value (possibly invalid there) into the other."""
    prefixes = {"implicit_bias": "ib_", "recovery": "rec_", "rates": "rt_"}
    others = [p.stem for p in (ROOT / "views").glob("*.py") if p.stem not in prefixes]
    for name, prefix in prefixes.items():
        keys = _keys(name)
        assert len(keys) >= 9 and all(k.startswith(prefix) for k in keys), keys
    assert not set().union(*(_keys(n) for n in others)) & set().union(
        *(_keys(n) for n in prefixes))
