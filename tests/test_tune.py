"""The Tune page and nnls_core.tuning: every cell against an independent single run, the
reference against scipy's linprog, the page's figure, its URL settings, Run/Stop gating,
tooltips and the exported script."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import numpy as np
import pytest
import scipy.optimize

import nnls_core as nc
from nnls_core.tuning import MODES, mode_options, tune
from tests.pagetools import charts, open_page, plotly_array
from ui.figures_tune import tune_figure
from ui.state import encode

PAGE = str(Path(__file__).resolve().parents[1] / "views" / "tune.py")


@pytest.fixture(scope="module")
def small():
    """A small grid with every step mode on a small problem."""
    p = nc.sparse_problem(15, 40, 2, seed=3)
    g = tune(p.A, p.b, alphas=[1e-2, 1e-1], Ls=[2, 3], modes=MODES, max_iter=400)
    return p, g


def test_every_cell_is_the_single_run(small):
    p, g = small
    assert g.n_iter.shape == (4, 2, 2)
    norm = nc.spectral_norm(p.A)
    x_max = float(scipy.optimize.nnls(p.A, p.b)[0].max())
    for i, mode in enumerate(MODES):
        for j, L in enumerate((2, 3)):
            for k, alpha in enumerate((1e-2, 1e-1)):
                step = 1 / (L**2 * x_max ** (2 - 2 / L) * norm**2) if mode == "fixed" else None
                r = nc.solve(p.A, p.b, method="hadamard", L=L, alpha=alpha, tol=1e-4,
                             max_iter=400, **mode_options(mode, step))
                cell = (i, j, k)
                assert g.status[cell] == r.status, (mode, L, alpha)
                assert g.n_iter[cell] == r.n_iter, (mode, L, alpha)
                assert g.l1[cell] == pytest.approx(np.abs(r.x).sum(), rel=1e-12)
                assert g.options(*cell)["step"] == (pytest.approx(step, rel=1e-12)
                                                    if step else r_step(mode))
    assert g.converged.any() and not g.converged.all()


def r_step(mode: str) -> str:
    return {"bb": "bb", "nesterov": "auto", "mirror": "auto"}[mode]


def test_reference_is_the_min_l1_lp(small):
    p, g = small
    lp = scipy.optimize.linprog(np.ones(40), A_eq=p.A, b_eq=p.b, bounds=(0, None))
    assert g.l1_ref_name == "min-l1 LP"
    assert g.l1_ref == pytest.approx(lp.fun, rel=1e-7)
    # converged cells nearly fit b (to the tolerance 1e-4), so their l1 is not below the
    # minimum by more than about that
    assert (g.l1_ratio[g.converged] >= 1 - 1e-3).all()
    best = g.best()
    assert best is not None and g.converged[best] and g.l1_ratio[best] <= 1.05
    assert g.n_iter[best] == g.n_iter[g.converged & (g.l1_ratio <= 1.05)].min()


def test_overdetermined_noisy_problem_uses_lawson_hanson():
    p = nc.sparse_problem(40, 10, 3, noise=0.1, seed=0)
    g = tune(p.A, p.b, alphas=[1e-1], Ls=[2], modes=["bb"])
    assert g.l1_ref_name == "Lawson-Hanson"
    assert g.l1_ref == pytest.approx(scipy.optimize.nnls(p.A, p.b)[0].sum(), rel=1e-9)


def test_bad_arguments():
    p = nc.sparse_problem(10, 20, 2, seed=0)
    with pytest.raises(ValueError, match="unknown step modes"):
        tune(p.A, p.b, alphas=[1e-2], modes=["adam"])
    with pytest.raises(ValueError, match="must not be empty"):
        tune(p.A, p.b, alphas=[])
    with pytest.raises(ValueError, match="needs a step"):
        mode_options("fixed")
    # an uploaded A out of the engine's range: the page shows this message
    with pytest.raises(ValueError, match="rescale A"):
        tune(p.A * 1e160, p.b, alphas=[1e-2], modes=["bb"])


def test_figure_marks_unconverged_cells(small):
    _, g = small
    fig = tune_figure(g, best=g.best()).to_plotly_json()
    heat = [t for t in fig["data"] if t["type"] == "heatmap"]
    assert len(heat) == 2
    text = np.asarray(heat[0]["text"])
    conv = g.converged.reshape(8, 2)
    assert (text[conv] == g.n_iter.reshape(8, 2)[conv].astype(str)).all()
    assert (text[~conv] == "—").all()  # no number on a cell that did not converge
    hatch = [s for s in fig["layout"]["shapes"] if s["type"] == "path"]
    assert len(hatch) == 2  # one hatch path per heatmap, a square per unconverged cell
    assert hatch[0]["path"].count("Z") == int((~conv).sum())
    hover = [t for t in fig["data"] if t["type"] == "scatter"][0]["hovertext"]
    assert sum("not converged" in h for h in hover) == int((~conv).sum())


def test_shipped_default_grid_equals_a_fresh_grid():
    """assets/tune/default.npz (bench/playground_assets.py) is the library's grid."""
    from ui.shipped import TUNE_PATH, load_grid
    shipped, meta = load_grid(TUNE_PATH)
    p = nc.sparse_problem(30, 100, 4, seed=0)
    fresh = tune(p.A, p.b, alphas=shipped.alphas, Ls=shipped.Ls, modes=shipped.modes,
                 tol=shipped.tol, max_iter=shipped.max_iter)
    problem = ("Sparse non-negative", 30, 100, 4, 0.0, 0.0, 0.7, 0)
    assert meta["run_key"].startswith("(" + repr(problem))
    np.testing.assert_array_equal(shipped.n_iter, fresh.n_iter)
    np.testing.assert_array_equal(shipped.status, fresh.status)
    np.testing.assert_allclose(shipped.l1, fresh.l1, rtol=1e-12)
    np.testing.assert_allclose(shipped.steps, fresh.steps, rtol=1e-12)
    assert shipped.l1_ref == pytest.approx(fresh.l1_ref, rel=1e-9)


def test_default_page_shows_the_grid_and_exports_the_suggestion(monkeypatch):
    # the default grid is shipped: the page opens without running it
    def no_run(*args, **kwargs):
        raise AssertionError("the default grid must come from assets/tune")
    monkeypatch.setattr(nc.tuning, "tune", no_run)
    at = open_page(PAGE)
    specs = charts(at)  # every number finite (typed arrays decoded)
    assert len(specs) == 1
    heat = [t for t in specs[0]["data"] if t["type"] == "heatmap"]
    assert len(heat) == 2 and plotly_array(heat[0]["z"]).shape == (12, 6)
    text = " ".join(m.value for m in at.markdown)
    assert "**72 runs** precomputed" in text and "converged" in text
    # the suggested cell (BB steps, L = 2 on this problem) is the single run it names
    match = re.search(r"BB · L=2, α=([0-9e.+-]+)\*\*: ([0-9,]+) iterations", text)
    assert match, text
    p = nc.sparse_problem(30, 100, 4, seed=0)
    r = nc.solve(p.A, p.b, method="hadamard", L=2, alpha=float(match[1]), step="bb",
                 tol=1e-4, max_iter=1000)
    assert r.status == "converged" and f"{r.n_iter:,}" == match[2]
    # the exported script (the suggested cell by default) reproduces that run
    ns: dict = {}
    with contextlib.redirect_stdout(io.StringIO()) as out:
        exec(at.code[-1].value, ns)
    assert ns["r"].n_iter == r.n_iter and np.array_equal(ns["r"].x, r.x)
    assert "status: converged" in out.getvalue()
    # every control explains itself (the preset buttons come from ui.state, without help)
    widgets = (list(at.selectbox) + list(at.multiselect) + list(at.number_input)
               + list(at.slider) + list(at.select_slider) + list(at.get("button_group"))
               + [b for b in at.button if ":preset:" not in (b.key or "")])
    assert len(widgets) >= 12
    missing = [w.label if hasattr(w, "label") else w.proto.label for w in widgets
               if not (w.help if hasattr(w, "help") else w.proto.help)]
    assert not missing, missing


def test_url_settings_change_the_grid():
    at = open_page(PAGE, tn_alphas=encode([1e-2, 1e-1]), tn_Ls=encode([2]),
                   tn_modes="bb,mirror", tn_m="20", tn_n="50", tn_seed="1")
    spec = charts(at)[0]
    z = plotly_array([t for t in spec["data"] if t["type"] == "heatmap"][0]["z"])
    assert z.shape == (2, 2)
    assert "**4 runs**" in " ".join(m.value for m in at.markdown)
    assert at.multiselect(key="tn_alphas").value == [1e-2, 1e-1]


def test_long_grid_waits_for_run_and_runs():
    at = open_page(PAGE, tn_alphas=encode([1e-2, 1e-1]), tn_Ls=encode([2]), tn_modes="bb",
                   tn_max_iter="20000", tn_m="60", tn_n="200")
    assert not at.get("plotly_chart")
    assert "waits for Run" in " ".join(c.value for c in at.caption)
    at.button(key="tn_run").click().run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 1


def test_empty_selection_explains():
    at = open_page(PAGE, tn_modes="")
    assert not at.get("plotly_chart")
    assert "at least one" in at.info[0].value
