"""AppTest runs of the three Explore pages of the paper's experiments.

The paper presets open from the shipped results (no computation; bench/pages.py measures
how fast); every "what to notice" line is checked here on the numbers the page's own charts
carry, against independent references (the shipped results read with
``nnls_core.paper.load_shipped``, the authors' published values). The "own problem"
modes run only behind Run: their wiring is checked on small settings. Every figure goes
through the NaN / Inf check of tests/pagetools.py."""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import nnls_core as nc
import nnls_core.paper as paper
from nnls_core.experiments import decay_rates
from tests.pagetools import charts as _charts  # every figure checked: no NaN / Inf / None
from tests.pagetools import open_page as _page
from tests.pagetools import plotly_array as _arr
from ui import figures_paper as F

ROOT = Path(__file__).resolve().parents[1]
IB = str(ROOT / "views/implicit_bias.py")
REC = str(ROOT / "views/recovery.py")
RT = str(ROOT / "views/rates.py")


def _trace(spec, name):
    return next(tr for tr in spec["data"] if tr.get("name") == name)


def _xy(spec, name):
    tr = _trace(spec, name)
    return _arr(tr["x"]), _arr(tr["y"])


def _named(spec, prefix):
    return [tr for tr in spec["data"] if (tr.get("name") or "").startswith(prefix)]


def _texts(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def _shipped_open(path: str, monkeypatch) -> AppTest:
    """Open the page and rerun it with every experiment disabled: it must show shipped
    results without computing any (how fast that is, bench/pages.py measures)."""
    import nnls_core.experiments as experiments

    def computing(*args, **kwargs):
        raise AssertionError("the page computed an experiment instead of loading it")

    for module, name in ((paper, "run"), (experiments, "recovery"),
                         (experiments, "phase_transition")):
        monkeypatch.setattr(module, name, computing)
    at = _page(path)
    at.run()
    return at


# --------------------------------------------------------------------------- implicit bias
def test_implicit_bias_opens_on_the_shipped_paper_results(monkeypatch):
    at = _shipped_open(IB, monkeypatch)
    assert not at.exception and not at.warning
    text = _texts(at)
    assert "Data as in the paper (seed 3)" in text
    for L, ours in ((2, "0.05"), (3, "0.0333")):
        assert f"paper eta = 0.1 -> our eta = {ours} for L = {L}" in text
    labels = [b.label for b in at.button]
    assert "Recompute E1 (about 2 min)" in labels  # estimate: the shipped run's time
    assert any(lab.startswith("Recompute E2 (about") for lab in labels)
    assert len(_charts(at)) == 2


def test_implicit_bias_e1_caption_is_true():
    at = _page(IB)
    e1 = _charts(at)[0]
    shipped = paper.load_shipped("E1")
    lp = shipped.references["l1_min"]
    assert f"as α shrinks, ‖x‖₁ falls towards the smallest ℓ1 norm" in _texts(at)
    curves = {}
    for i, L in enumerate((2, 3)):
        alpha, l1 = _xy(e1, f"L = {L}")
        # the filled line holds exactly the converged runs of the shipped result
        np.testing.assert_allclose(alpha, shipped.alphas[shipped.converged[i]], rtol=1e-6)
        assert np.all(np.diff(l1) > 0), l1  # "falls as alpha shrinks"
        assert np.all(l1 >= lp * (1 - 1e-6)), (l1, lp)  # towards the LP minimum
        curves[L] = dict(zip(np.round(alpha, 6), l1))
    common = set(curves[2]) & set(curves[3])
    assert common and all(curves[3][a] < curves[2][a] for a in common)  # "L = 3 below"
    # unconverged points: open markers named "not converged", never on the line
    open_ = _trace(e1, "L = 3: not converged")
    assert open_["marker"]["symbol"] == "circle-open" and open_["mode"] == "markers"
    assert "NOT converged" in open_["hovertemplate"]
    np.testing.assert_allclose(_arr(open_["x"]), shipped.alphas[~shipped.converged[1]],
                               rtol=1e-6)
    assert not _named(e1, "L = 2: not converged")
    # the page's L = 2 numbers are the authors' (their published code) within 0.5%
    np.testing.assert_allclose(_xy(e1, "L = 2")[1], paper.AUTHORS_E1[2], rtol=5e-3)
    np.testing.assert_allclose(
        float(_named(e1, "min ℓ1, x ≥ 0 (LP)")[0]["name"].split("= ")[-1]),
        paper.AUTHORS_E1["l1_min"], rtol=5e-3)


def test_implicit_bias_e2_caption_is_true():
    at = _page(IB)
    e2 = _charts(at)[1]
    assert "the coordinates take off one at a time, the largest first, and L = 3 " \
           "waits much longer than L = 2" in _texts(at)
    x_true = paper.load_shipped("E2").x_true
    support = np.flatnonzero(x_true > 0)
    takeoff = {}
    for col, L in ((1, 2), (2, 3)):
        axis = "x" if col == 1 else f"x{col}"
        for j in support:
            tr = next(t for t in e2["data"] if t.get("xaxis", "x") == axis
                      and t.get("legendgroup") == f"c{j}" and t.get("hoverinfo") != "skip")
            k, x = _arr(tr["x"]), _arr(tr["y"])
            takeoff[L, j] = k[np.argmax(x >= x_true[j] / 2)]
    for L in (2, 3):
        order = [takeoff[L, j] for j in support[np.argsort(-x_true[support])]]
        assert np.all(np.diff(order) > 0), order  # one at a time, the largest first
    assert all(takeoff[3, j] > 5 * takeoff[2, j] for j in support), takeoff


def test_implicit_bias_own_problem_runs_behind_run():
    at = _page(IB, ib_src="custom", ib_Ls="2", ib_alphas="0.01,0.032,0.1", ib_budget="5000")
    assert not _charts(at) and "Press Run" in at.info[0].value
    at.button(key="ib_go").click().run()
    assert not at.exception
    l1, paths = _charts(at)
    assert "the smaller α, the closer ‖x‖₁ comes to the LP minimum" in _texts(at)
    lp = float(_named(l1, "min ℓ1, x ≥ 0 (LP)")[0]["name"].split("= ")[-1])
    _, y = _xy(l1, "L = 2")
    assert np.all(np.diff(y) > 0) and np.all(y >= lp * (1 - 1e-4)), y
    # "the smaller alpha, the longer the plateau": iterations until the residual halves
    assert "the smaller α, the longer the plateau" in _texts(at)
    ends = []
    for a in ("0.01", "0.032", "0.1"):
        k, r = _xy(paths, next(tr["name"] for tr in paths["data"]
                               if tr["name"].startswith(f"α = {a}")))
        ends.append(k[np.argmax(r < r[0] / 2)])
    assert ends[0] > ends[1] > ends[2], ends
    at.number_input(key="ib_m").set_value(60).run()  # m >= n: explained, no traceback
    assert not at.exception and at.warning


# --------------------------------------------------------------------------- rates
def test_rates_opens_on_the_shipped_paper_results(monkeypatch):
    at = _shipped_open(RT, monkeypatch)
    assert not at.exception and not at.warning
    text = _texts(at)
    assert "E3: data as in the paper (seed 3)" in text
    assert "E4: data as in the paper (seed 42)" in text
    for conv in ("paper eta = 0.1 -> our eta = 0.05 for L = 2",
                 "paper eta = 0.1 -> our eta = 0.0333 for L = 3",
                 "paper eta = 0.01 -> our eta = 0.005 for L = 2 (nesterov)",
                 "paper eta = 0.01 -> our eta = 0.0025 for L = 2 (mirror)"):
        assert conv in text
    labels = [b.label for b in at.button]
    assert any(lab.startswith("Recompute E3 (about") for lab in labels)
    assert any(lab.startswith("Recompute E4 (about") for lab in labels)
    assert len(_charts(at)) == 2


def test_rates_captions_are_true():
    at = _page(RT)
    e3, e4 = _charts(at)
    text = _texts(at)
    assert "the larger γ, the higher the residual at the end; L = 3 (dashed) ends " \
           "higher than L = 2 at every γ" in text
    shipped = paper.load_shipped("E3")
    end = {}
    for L in (2, 3):
        for g in shipped.gammas:
            k, y = _xy(e3, f"γ = {g:g}, L = {L}")
            assert k[-1] == shipped.setting.paper["T"] + 1  # the last iteration, k + 1
            end[L, g] = y[-1]
        assert np.all(np.diff([end[L, g] for g in shipped.gammas]) > 0), end
    assert all(end[3, g] > end[2, g] for g in shipped.gammas), end
    np.testing.assert_allclose([end[L, g] for L in (2, 3) for g in shipped.gammas],
                               np.maximum(shipped.residual.ravel(), 1e-16), rtol=1e-6)
    assert "at k = 10⁴ both accelerated methods are several orders of magnitude below " \
           "plain GD" in text
    final = {name: _xy(e4, name)[1][-1] for name in
             ("plain GD", "Nesterov", "accelerated mirror descent")}
    assert _xy(e4, "plain GD")[0][-1] == 10_001
    assert final["Nesterov"] < 1e-3 * final["plain GD"], final
    assert final["accelerated mirror descent"] < 1e-3 * final["plain GD"], final


def test_diverged_runs_stay_in_the_legend():
    # a real diverged run (a fixed step far above the stability bound) next to a good one
    p = nc.sparse_problem(15, 50, 3, seed=0)
    dec = decay_rates(p.A, p.b, gammas=(0.0,), Ls=(2,), step=2.0, max_iter=200)
    dec |= decay_rates(p.A, p.b, gammas=(0.5,), Ls=(2,), step=0.1, max_iter=200)
    assert dec[2.0, 0.0].status == "diverged" and dec[2.0, 0.5].status != "diverged"
    fig = F.decay_figure(F.result_curves(dec), statuses={k: r.status for k, r in dec.items()})
    names = [t.name for t in fig.data]
    assert "γ = 0, L = 2 (diverged)" in names and "γ = 0.5, L = 2" in names
    bad = fig.data[names.index("γ = 0, L = 2 (diverged)")]
    assert bad.line.color == F.DIVERGED and len(bad.y) >= 1 and np.all(np.isfinite(bad.y))


def test_reference_slopes_start_below_every_curve():
    # drawn from a curve they hid it; each reference starts a decade under every curve (a curve
    # that falls faster than its reference may still cross it later)
    p = nc.sparse_problem(15, 50, 3, seed=0)
    dec = decay_rates(p.A, p.b, gammas=(0.0, 0.5), Ls=(2, 3), step=0.05, max_iter=3000)
    curves = F.result_curves(dec)
    fig = F.decay_figure(curves)
    refs = [t for t in fig.data if t.legendgroup == "refs"]
    assert len(refs) == 2
    for t in refs:
        x, y = np.asarray(t.x, float), np.asarray(t.y, float)
        for k, v in curves.values():
            assert y[0] < np.interp(x[0], k, v) / 10, "a reference starts on a curve"


@pytest.mark.slow  # the two flows of the acceleration panel (about 13 s)
def test_rates_own_problem_runs_behind_run_and_keeps_diverged_runs():
    at = _page(RT, rt_src="custom", rt_m="15", rt_gammas="0.0,0.5", rt_Ls="2",
               rt_iters="2000", rt_a_iters="2000")
    assert not _charts(at) and "Press Run" in at.info[0].value
    at.button(key="rt_go").click().run()
    assert not at.exception and not at.warning
    decay, accel = _charts(at)
    assert "the larger γ, the slower the residual falls" in _texts(at)
    assert _xy(decay, "γ = 0, L = 2")[1][-1] < _xy(decay, "γ = 0.5, L = 2")[1][-1]
    assert "Nesterov and the mirror descent end below plain GD" in _texts(at)
    plain = _xy(accel, "plain GD")[1][-1]
    assert _xy(accel, "Nesterov")[1][-1] < plain
    assert _xy(accel, "accelerated mirror descent")[1][-1] < plain
    at.select_slider(key="rt_eta").set_value(2.0).run()  # too large
    at.button(key="rt_go").click().run()
    assert not at.exception and "diverged" in at.warning[0].value
    assert "the red runs diverged" in _texts(at)
    assert "the larger γ, the slower" not in _texts(at)
    decay = _charts(at)[0]
    for g in ("0", "0.5"):  # still in the legend, red, up to the last finite value
        tr = _trace(decay, f"γ = {g}, L = 2 (diverged)")
        assert tr["line"]["color"] == "#c53030" and _arr(tr["y"]).size >= 1


# --------------------------------------------------------------------------- recovery
SMALL_REC = dict(rec_n="20", rec_cells="3", rec_trials="1", rec_budget="2000",
                 rec_ptrials="1")
REC_LABELS = ("Hadamard GD", "Lawson-Hanson", "ℓ1-min (LP)")


def _not_converged(phase) -> dict:
    """Per panel: the fraction of runs not converged, from the counts in its cells."""
    trials = {tr["hovertemplate"].split(" of ")[1].split(" runs")[0] for tr in phase["data"]}
    runs = int(trials.pop())
    return {tr["hovertemplate"].split("<extra>")[1].split("</extra>")[0]:
            sum(int(v) for row in tr["text"] for v in row if v) / (_arr(tr["z"]).size * runs)
            for tr in phase["data"]}


def test_recovery_opens_on_the_shipped_converged_grid(monkeypatch):
    from nnls_core.experiments import load_recovery
    at = _shipped_open(REC, monkeypatch)
    assert not at.exception and not [b for b in at.button if b.key == "rec_go"]
    phase, _ = _charts(at)
    pt, _, _ = load_recovery(paper.ASSETS / "recovery.json")
    for tr, mth in zip(phase["data"], ("hadamard", "lawson_hanson", "l1_min")):
        np.testing.assert_allclose(_arr(tr["z"]), pt.success[mth], atol=1e-6)
    text = _texts(at)
    unconv = _not_converged(phase)  # counted from the cells the figure shows
    for label, u in unconv.items():
        assert f"{label} {100 * u:.0f}% of runs" in text
    titles = [a["text"] for a in phase["layout"]["annotations"]]
    assert titles == [f"{k}: {100 * unconv[k]:.0f}% not converged" for k in REC_LABELS]
    assert unconv["Hadamard GD"] <= 0.10  # the default compares methods at convergence
    # other settings wait for Run, with an estimate
    at.select_slider(key="rec_budget").set_value(20_000).run()
    assert at.button(key="rec_go").label.startswith("Run (180 problems per method, about ")
    assert "press Run" in at.info[0].value


def test_recovery_captions_are_true():
    at = _page(REC, rec_methods="lawson_hanson,l1_min", **SMALL_REC)  # small: runs at once
    assert not at.exception and not [b for b in at.button if b.key == "rec_go"]
    phase, perturb = _charts(at)
    text = _texts(at)
    assert "recovery succeeds at the top left (many measurements, few non-zeros) and " \
           "fails at the bottom right" in text
    for tr in phase["data"]:
        z = _arr(tr["z"])  # rows: m/n increasing (bottom to top); columns: s/m
        assert z[-1, 0] == 1.0 and z[0, -1] == 0.0, (tr.get("hovertemplate"), z)
    rates = {k: 100 * _arr(tr["z"]).mean() for k, tr in
             zip(("Lawson-Hanson", "ℓ1-min (LP)"), phase["data"])}
    for k, v in rates.items():
        assert f"{k} {v:.0f}%" in text
    assert "the error of ℓ1-min grows in proportion to the perturbation" in text
    d, err = _xy(perturb, "ℓ1-min (LP)")
    ratio = err / d
    assert np.all(np.diff(err) > 0) and ratio.max() < 1.5 * ratio.min(), ratio
    # a finished grid is kept: the same settings open at once, without Run
    again = _page(REC, rec_methods="lawson_hanson,l1_min", **SMALL_REC)
    assert len(_charts(again)) == 2


@pytest.mark.parametrize("params", [{}, dict(SMALL_REC, rec_step="fixed")])
def test_recovery_hadamard_gap_is_explained(params):
    at = _page(REC, **params)  # the shipped default; a small fixed-step grid runs at once
    assert not at.exception
    phase = _charts(at)[0]
    had, lh, l1 = (100 * _arr(tr["z"]).mean() for tr in phase["data"])
    unconv = _not_converged(phase)["Hadamard GD"]
    if l1 - had > 5:  # the gap is explained, with the page's own numbers
        why = at.warning[0].value
        assert f"Hadamard GD recovers {had:.0f}% of the problems, ℓ1-min {l1:.0f}%" in why
        budget = int(at.session_state["rec_budget"])
        assert (f"{100 * unconv:.0f}% of its runs stop at the cap of {budget:,} "
                "iterations" in why) == (unconv > 0.05)
        assert "like 1/log(1/α)" in why
    else:
        assert not at.warning
    at.multiselect(key="rec_methods").set_value([]).run()
    assert not at.exception and at.info


@pytest.mark.parametrize("page, params", [(IB, {}), (IB, {"ib_src": "custom"}), (RT, {}),
                                          (RT, {"rt_src": "custom"}), (REC, {})])
def test_every_control_has_a_tooltip(page, params):
    at = _page(page, **params)
    widgets = [*at.radio, *at.number_input, *at.slider, *at.select_slider, *at.multiselect,
               *at.selectbox]
    assert all(w.help for w in widgets), [w.label for w in widgets if not w.help]
    buttons = [b for b in at.button if ":preset:" not in b.key]
    assert all(b.help for b in buttons), [b.label for b in buttons if not b.help]
