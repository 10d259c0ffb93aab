"""The Playground: its figures as pure functions (frames finite, data equal to the runs)
and AppTest runs of the page, numbers checked against nnls_core."""

from __future__ import annotations

import io
import json
import pickle
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import nnls_core as nc
from nnls_core.metrics import support_f1
from nnls_core.sweep import sweep
from tests.pagetools import assert_figure_finite, plotly_array
from ui import figures as F
from ui.state import encode

PAGE = str(Path(__file__).resolve().parents[1] / "views" / "playground.py")
#: The page's default tolerance: the library's (relative optimality residual).
TOL = nc.HadamardOptions().tol
ALPHAS = [float(f"{m}e{e}") for e in range(-6, 0) for m in (1, 2, 5)] + [1.0]
SMALL = {"m": 20, "n": 40, "max_iter": 2000}


def run_page(**settings) -> AppTest:
    """Open the page with these settings in its URL, as a shared link would."""
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.query_params.update({k: encode(v) for k, v in settings.items()})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart(at: AppTest, key: str) -> dict:
    for el in at.get("plotly_chart"):
        if el.proto.id and el.proto.id.endswith(key):
            spec = json.loads(el.proto.spec)
            assert_figure_finite(spec)
            return spec
    raise AssertionError(f"no chart {key}")


def table(at: AppTest):
    return at.dataframe[0].value.set_index("method")


def badge(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "-badge[" in m.value)


def spec_of(fig) -> dict:
    return json.loads(fig.to_json())


# ------------------------------------------------------------------------- pure figures
@pytest.fixture(scope="module")
def grid():
    p = nc.sparse_problem(20, 40, 3, seed=1)
    alphas = [1e-3, 1e-2, 1e-1]
    rs = sweep(p.A, p.b, L=2, alpha=alphas, step="bb", max_iter=3000)
    fista = nc.solve(p.A, p.b, method="fista")
    return p, alphas, rs, fista


def test_scrub_figure_has_one_finite_frame_per_alpha_with_the_runs_data(grid):
    p, alphas, rs, fista = grid
    f_star = nc.solve(p.A, p.b, method="lawson_hanson").objective
    fig = F.scrub_figure(alphas, rs, p.x_true, f_star, active=1, classical=("FISTA", fista),
                         ghost=("previous", rs[0]), l1_min=1.0)
    spec = spec_of(fig)
    assert_figure_finite(spec)  # data and every frame
    assert [f["name"] for f in spec["frames"]] == ["1e-03", "1e-02", "1e-01"]
    slider = spec["layout"]["sliders"][0]
    assert slider["active"] == 1 and [s["label"] for s in slider["steps"]] == ["1e-03", "1e-02", "1e-01"]
    assert all(s["method"] == "animate" for s in slider["steps"])  # client-side, no rerun
    for frame, r in zip(spec["frames"], rs):
        stems, loss, end, readout = frame["data"]
        i = np.flatnonzero(np.abs(r.x) > 1e-3 * np.abs(p.x_true).max())
        np.testing.assert_allclose(plotly_array(stems["x"]), i + 0.3, rtol=1e-6)
        np.testing.assert_array_equal(plotly_array(stems["y"]), r.x[i].astype(np.float32))
        # the loss curve: f(x_k) - f* at logged iterations of this very run
        ks = plotly_array(loss["x"]).astype(int)
        y = plotly_array(loss["y"])
        expect = r.history.objective[np.searchsorted(r.history.objective_iterations, ks)] - f_star
        np.testing.assert_allclose(y, np.maximum(expect, 1e-30).astype(np.float32), rtol=1e-6)
        # the readout: l1 and support F1 of the run and of FISTA
        title = readout["text"][0]
        assert f"ℓ1 {np.abs(r.x).sum():.2f} (FISTA {np.abs(fista.x).sum():.2f}; min-ℓ1 LP 1.00)" in title
        assert f"support F1 {support_f1(r.x, p.x_true):.2f}" in title
        assert r.status in title
    names = [t.get("name") for t in spec["data"]]
    assert {"x_true", "FISTA", "previous: previous", "reparametrized x = u^L"} <= set(names)
    # the initial data are the active frame's
    moving = spec["frames"][1]["traces"]
    assert spec["data"][moving[0]]["y"] == spec["frames"][1]["data"][0]["y"]


def test_scrub_figure_draws_a_diverged_run_in_red(grid):
    p, *_ = grid
    bad = nc.solve(p.A, p.b, L=2, alpha=0.5, step=50.0)
    assert bad.status == "diverged"
    spec = spec_of(F.scrub_figure([0.5], [bad], p.x_true, 0.0, active=0))
    assert_figure_finite(spec)
    stems, loss, end, readout = spec["frames"][0]["data"]
    assert stems["marker"]["color"] == loss["line"]["color"] == F.DIVERGED
    assert "DIVERGED" in readout["text"][0]


def test_trajectories_reveal_lines_up_to_k(grid):
    p, alphas, rs, _ = grid
    r = rs[0]
    spec = spec_of(F.trajectories_figure(r, p.x_true, n_frames=20, frame=3))
    assert_figure_finite(spec)
    frames = spec["frames"]
    n_lines = sum(t.get("mode") == "lines" for t in spec["data"])
    lines = spec["data"][:n_lines]
    assert n_lines >= 3 and all(t["mode"] == "lines" for t in lines)
    # frame j draws every line through its first j + 1 checkpoints, nothing beyond
    for j, fr in enumerate(frames):
        assert all(len(plotly_array(t["x"])) == j + 1 for t in fr["data"][:n_lines])
    assert len(plotly_array(lines[0]["x"])) == 4  # the initial frame asked for
    keep = F.log_indices(len(r.history.iterations), 20)
    support = np.flatnonzero(p.x_true > 0)
    np.testing.assert_array_equal(plotly_array(frames[-1]["data"][0]["y"]),
                                  np.maximum(r.history.x[keep, support[0]], 1e-16).astype(np.float32))
    layout = spec["layout"]
    assert layout["sliders"][0]["currentvalue"]["prefix"] == "iteration k = "
    assert layout["sliders"][0]["y"] > 1 and layout["updatemenus"][0]["y"] > 1  # above
    labels = [b["label"] for b in layout["updatemenus"][0]["buttons"]]
    assert labels == ["▶ Play", "▶▶ Fast", "❚❚ Pause"]


def test_take_off_is_pointed_out_when_coordinates_leave_one_at_a_time():
    p = nc.sparse_problem(30, 100, 4, seed=0)
    r = nc.solve(p.A, p.b, L=2, alpha=1e-4, step=0.3, max_iter=4000, tol=1e-4)
    spec = spec_of(F.trajectories_figure(r, p.x_true))
    on = np.flatnonzero(p.x_true > 0)
    keep = F.log_indices(len(r.history.iterations), 40)
    ks = r.history.iterations[keep] + 1
    t = F.take_off(ks, r.history.x[keep], on)
    assert t.max() >= 2 * t.min()  # this run's support does leave one at a time
    assert any("one at a time" in a["text"] for a in spec["layout"]["annotations"])
    marks = next(tr for tr in spec["data"] if tr.get("name", "").startswith("take-off"))
    np.testing.assert_array_equal(plotly_array(marks["x"]), t.astype(np.float32))


def test_live_figure_shows_the_iterate_and_the_loss_so_far():
    x = np.array([0.0, 2.0, 1e-9, 0.5])
    spec = spec_of(F.live_figure([1, 5, 9], [3.0, 2.0, 1.0], x, np.array([0, 2.0, 0, 0.5]),
                                 0.5, title="running"))
    assert_figure_finite(spec)
    cur = next(t for t in spec["data"] if t["name"] == "current x")
    np.testing.assert_array_equal(plotly_array(cur["y"]), [2.0, 0.5])
    loss = next(t for t in spec["data"] if t["name"] == "loss so far")
    np.testing.assert_allclose(plotly_array(loss["y"]), [2.5, 1.5, 0.5])


# ------------------------------------------------------------------------- the page
def test_default_story_matches_the_library():
    at = run_page()
    p = nc.sparse_problem(30, 100, 4, seed=0)
    ref = nc.solve(p.A, p.b, L=2, alpha=1e-3, step="bb", form="u", max_iter=20_000, tol=TOL)
    lh = nc.solve(p.A, p.b, method="lawson_hanson")
    fista = nc.solve(p.A, p.b, method="fista")
    df = table(at)
    row = df.loc["Hadamard L=2, α=1e-03, Barzilai-Borwein"]
    assert row["objective"] == pytest.approx(ref.objective, rel=1e-12, abs=1e-30)
    assert row["iterations"] == ref.n_iter
    assert row["support F1"] == 1.0  # the default tells the sparse-recovery story
    assert df.loc["Lawson-Hanson", "objective"] == pytest.approx(lh.objective, abs=1e-20)
    # the first screen: one frame per α, the selected one active, its readout the run's
    fig = chart(at, "fig_scrub")
    assert [f["name"] for f in fig["frames"]] == [f"{a:.0e}" for a in ALPHAS]
    j = ALPHAS.index(1e-3)
    assert fig["layout"]["sliders"][0]["active"] == j
    title = fig["frames"][j]["data"][3]["text"][0]
    assert f"ℓ1 {ref.x.sum():.2f} (FISTA {fista.x.sum():.2f}" in title
    assert "support F1 1.00 (FISTA" in title and ref.status in title
    assert f"-badge[{ref.status} after {ref.n_iter:,} iterations" in badge(at)
    # the rates tab plots f(x_k) - f* of the same run
    obj = chart(at, "fig_objective")["data"][0]
    ks = plotly_array(obj["x"]).astype(int)
    np.testing.assert_allclose(plotly_array(obj["y"]),
                               np.maximum(ref.history.objective[ks] - lh.objective, 1e-30),
                               rtol=1e-6)


def test_first_screen_is_shipped_and_equals_fresh_runs():
    """The default run and α grid come from assets/playground (bench/playground_assets.py),
    under the keys the page builds, and equal the library's runs (a stale file fails)."""
    from nnls_core.result import load_results
    from ui.shipped import PATH

    results, meta = load_results(PATH)
    at = run_page()
    run_key = at.session_state["pg_cur"][0]
    assert meta["run_key"] == repr(run_key)  # the page finds the shipped run...
    assert [meta["grid_key"]] == [repr(k) for k in at.session_state["pg_grids"]]  # ...and grid
    key, options = run_key
    p = nc.sparse_problem(*key[1:4], noise=key[4], negative_perturbation=key[5], seed=key[7])
    options = dict(options)
    grid = results[1:]
    assert len(grid) == len(ALPHAS)
    for alpha in (1e-1, 1e-2):  # rows equal single runs with the page's options
        ref = nc.solve(p.A, p.b, **(options | {"alpha": alpha}))
        row = grid[ALPHAS.index(alpha)]
        assert (row.status, row.n_iter) == (ref.status, ref.n_iter)
        np.testing.assert_allclose(row.x, ref.x, rtol=1e-12, atol=1e-15)
        assert len(row.history.objective) <= 160  # slimmed as the page slims its grid


def test_figures_are_built_once_per_result(monkeypatch):
    """A second session with the same settings reuses the figures of the first."""
    calls = []
    for name in ("trajectories_figure", "scrub_figure"):
        real = getattr(F, name)
        monkeypatch.setattr(F, name, lambda *a, _real=real, _name=name, **k:
                            calls.append(_name) or _real(*a, **k))
    settings = SMALL | {"seed": 17}  # settings no other test uses
    first, second = run_page(**settings), run_page(**settings)
    assert calls.count("trajectories_figure") == 1
    # the main run alone, then its α grid (shared even when cut by its time budget)
    assert calls.count("scrub_figure") == 2
    for key in ("fig_traj", "fig_scrub"):
        assert chart(first, key) == chart(second, key)


def test_going_back_to_a_setting_redraws_nothing(monkeypatch):
    """L 2 -> 3 -> 2 -> 3: the α-grid figure of each setting is built once, also when the
    grid was cut by its time budget (forced here: every row stops at once)."""
    import nnls_core.sweep

    real = nnls_core.sweep.sweep
    monkeypatch.setattr(nnls_core.sweep, "sweep",
                        lambda *a, **k: real(*a, **(k | {"time_limit": 1e-9})))
    calls = []
    monkeypatch.setattr(F, "scrub_figure", lambda *a, _real=F.scrub_figure, **k:
                        calls.append(1) or _real(*a, **k))
    at = run_page(**(SMALL | {"seed": 19}))
    assert calls == [1, 1]  # the main run alone, then its α grid
    built = []
    for L in (3, 2, 3, 2):
        next(w for w in at.number_input if w.label.startswith("exponent L")).set_value(L)
        at.run()
        assert not at.exception
        built.append(len(calls))
    grids = at.session_state["pg_grids"]
    assert len(grids) == 2 and all(r.status == "time_limit" for _, rows in grids.values()
                                   for r in rows)
    # L = 3: its main run, then its grid; back to 2: the grid again, with L = 3 as the
    # grey ghost; from then on each setting (and ghost) is drawn already
    assert built == [4, 5, 5, 5]


@pytest.mark.parametrize("kind", ["Sparse non-negative", "Dense Gaussian", "Correlated columns"])
def test_every_generator(kind):
    at = run_page(kind=kind, **SMALL)
    df = table(at)
    assert np.isfinite(df["objective"]).all()
    if kind == "Dense Gaussian":
        assert df["support F1"].isna().all()


@pytest.mark.parametrize("accel, step_kind", [(None, "bb"), (None, "auto"), (None, "fixed"),
                                              ("nesterov", "auto"), ("mirror", "fixed")])
def test_every_solver_setting(accel, step_kind):
    at = run_page(accel=accel, step_kind=step_kind, eta=0.02, m=20, n=40, max_iter=1000)
    p = nc.sparse_problem(20, 40, 4, seed=0)
    opts = dict(L=2, alpha=1e-3, max_iter=1000, tol=TOL)
    opts |= {"accel": accel} if accel else {"form": "u"}
    opts |= {"step": 0.02, "decay": 0.0} if step_kind == "fixed" else {"step": step_kind}
    ref = nc.solve(p.A, p.b, **opts)
    row = table(at).iloc[0]
    assert row["objective"] == pytest.approx(ref.objective, rel=1e-12, abs=1e-30)
    assert row["iterations"] == ref.n_iter
    assert at.selectbox(key="pg_accel").value == encode(accel)


def test_acceleration_widget_sets_the_url_setting():
    at = run_page(**SMALL)
    assert at.selectbox(key="pg_accel").value == "none"
    at.selectbox(key="pg_accel").set_value("nesterov").run()
    assert at.session_state["accel"] == "nesterov" and at.session_state["step_kind"] == "auto"
    assert at.query_params["accel"] == "nesterov"


def test_tolerance_text_describes_the_engines_test():
    at = run_page(**SMALL)
    tol = at.select_slider(key="tol")
    assert tol.options == ["1e-04", "1e-06", "1e-07", "1e-08", "1e-10"]
    assert "min(c_i x_i, z_i / c_i)" in tol.help and "‖b‖" in tol.help
    # the text matches nnls_core.optimality: a point where it is 0 and one where it is not
    X, Z, col = np.array([[1.0, 0.0]]), np.array([[0.0, 4.0]]), np.array([1.0, 2.0])
    assert nc.optimality(X, Z, col, 1.0).tolist() == [0.0]
    X = np.array([[1.0, 3.0]])
    assert nc.optimality(X, Z, col, 2.0).tolist() == [min(2 * 3.0, 4.0 / 2) / 2]


def test_not_converged_is_a_warning_with_the_library_message_never_green():
    at = run_page(m=20, n=40, max_iter=10)
    p = nc.sparse_problem(20, 40, 4, seed=0)
    ref = nc.solve(p.A, p.b, L=2, alpha=1e-3, step="bb", form="u", max_iter=10, tol=TOL)
    assert ref.status == "max_iter"
    assert table(at).iloc[0]["status"] == "max_iter"
    text = at.warning[0].value
    said = ref.message.removeprefix("not converged: ")
    assert said != ref.message and "Not converged" in text and said in text
    assert text.lower().count("not converged") == 1  # said once, not twice
    assert ":orange-badge[max_iter" in badge(at) and "green" not in badge(at)


def test_max_iter_advice_names_only_what_the_run_does_not_use():
    """A BB run (the default) that hits max_iter is not told to try BB steps."""
    at = run_page(m=20, n=40, max_iter=10)
    advice = at.warning[0].value.split("Raise max iterations")[1]
    assert "acceleration" in advice and "Barzilai-Borwein" not in advice


def test_x_form_decay_and_exponents():
    at = run_page(form="x", step_kind="fixed", eta=0.01, gamma=0.5, L=3, **SMALL)
    names = [t["name"] for t in chart(at, "fig_objective")["data"]]
    assert any(n.startswith("k^(γ-1)") for n in names)  # decay reference slope drawn
    at = run_page(L=1, **SMALL)  # plain GD: x may go negative, trajectories linear
    assert chart(at, "fig_traj")["layout"]["yaxis"]["type"] == "linear"


def test_every_baseline():
    at = run_page(baselines=["Lawson-Hanson", "projected gradient", "FISTA",
                             "multiplicative", "unconstrained LS"], **SMALL)
    p = nc.sparse_problem(20, 40, 4, seed=0)
    df = table(at)
    for label, method in [("projected gradient", "projected_gradient"), ("FISTA", "fista"),
                          ("multiplicative", "multiplicative"), ("unconstrained LS", "lstsq")]:
        ref = nc.solve(p.A, p.b, method=method)
        if df.loc[label, "status"] != "time_limit":  # iterative baselines have a budget
            assert df.loc[label, "objective"] == pytest.approx(ref.objective, rel=1e-10,
                                                               abs=1e-25)
    assert df.loc["unconstrained LS", "min x"] < 0  # why the constraint matters


@pytest.mark.slow  # the default problem: its α grid uses the page's 3 s budget
def test_diverging_preset_explains_and_a_safe_step_converges():
    at = run_page()
    at.button(key="playground:preset:Step too large").click().run()
    assert not at.exception
    p = nc.sparse_problem(30, 100, 4, seed=0)
    ref = nc.solve(p.A, p.b, L=2, alpha=0.5, step=2.0, max_iter=20_000, tol=TOL)
    assert ref.status == table(at).iloc[0]["status"] == "diverged"
    assert ":red-badge[diverged" in badge(at)
    text = next(m.value for m in at.markdown if "The run diverged" in m.value)
    assert "x = u^2 stays ≥ 0" in text and "η ≤" in text  # even L: no negative x
    assert "above the" not in " ".join(c.value for c in at.caption)
    # red up to the last finite iterate, nothing non-finite drawn
    fig = chart(at, "fig_scrub")
    j = ALPHAS.index(0.5)
    assert fig["frames"][j]["data"][0]["marker"]["color"] == F.DIVERGED
    np.testing.assert_array_equal(plotly_array(fig["frames"][j]["data"][0]["y"]),
                                  ref.x[ref.x > 1e-3 * ref.x.max()].astype(np.float32))
    # one click on the safe step: the next run converges, with references.safe_step
    lh = nc.solve(p.A, p.b, method="lawson_hanson")
    safe = nc.safe_step(nc.spectral_norm(p.A), 2, lh.x.max())
    at.button(key="pg_safe").click().run()
    assert at.session_state["step_kind"] == "fixed"
    eta = at.session_state["eta"]
    assert 0.9 * safe <= eta <= safe
    assert table(at).iloc[0]["status"] == "converged"
    assert not any("The run diverged" in m.value for m in at.markdown)


def test_odd_L_divergence_says_x_would_be_negative():
    at = run_page(L=3, alpha=0.1, step_kind="fixed", eta=0.84, **SMALL)
    if table(at).iloc[0]["status"] == "diverged":
        text = next(m.value for m in at.markdown if "The run diverged" in m.value)
        assert "odd power" in text and "negative" in text
    else:  # this problem tolerates the step: then no divergence words at all
        assert not any("diverged" in m.value.lower() for m in at.markdown if "badge" not in m.value)


def test_an_expensive_run_waits_for_run_with_an_estimate_and_no_svd(monkeypatch):
    def no_svd(*args, **kwargs):
        raise AssertionError("a full SVD of a 2000 x 4000 A")

    monkeypatch.setattr(np.linalg, "svd", no_svd)
    at = run_page(m=2000, n=4000, max_iter=200_000)
    text = " ".join(m.value for m in at.markdown)
    assert "This run may take up to" in text
    assert at.session_state["max_iter"] < 200_000  # capped by the work it implies
    assert at.button(key="pg_run")
    assert not at.dataframe  # nothing ran


def test_the_estimate_counts_the_step_rule():
    """On the default problem 20,000 backtracking iterations (4.6 s measured) wait for Run;
    BB, a few times cheaper per iteration, starts by itself."""
    at = run_page(step_kind="auto")
    assert "This run may take up to 5 s" in " ".join(m.value for m in at.markdown)
    assert at.button(key="pg_run") and not at.dataframe
    at = run_page(alpha=2e-3)  # not shipped: BB computes it at once
    assert not [b for b in at.button if b.key == "pg_run"] and at.dataframe


@pytest.mark.slow  # a 2000 x 4000 problem: about 10 s
def test_the_largest_problem_stops_at_its_budget():
    """The run behind Run stops at the page's time budget for large problems (the engine's
    own clock, not the test's: on a loaded machine the request takes longer, the run not)."""
    src = (Path(PAGE).read_text())
    budget = float(re.search(r"LARGE_ENTRIES, LARGE_BUDGET = [\d_]+, ([\d.]+)", src)[1])
    at = run_page(m=2000, n=4000, max_iter=200_000)
    at.button(key="pg_run").click().run()
    assert not at.exception
    row = table(at).iloc[0]
    assert row["status"] in ("converged", "time_limit")
    if row["status"] == "time_limit":  # it ran up to its budget, and one iteration more
        assert budget <= row["time (ms)"] / 1e3 < budget + 3
    assert "not computed" in " ".join(m.value for m in at.markdown)  # no SVD of A


def test_oscillating_run_is_flagged():
    at = run_page(alpha=0.1, step_kind="fixed", eta=0.8, max_iter=3000, tol=1e-4)
    row = table(at).iloc[0]
    assert row["status"] != "diverged"
    assert at.info and "Oscillating" in at.info[0].value


def _npy(arr) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr)
    return buf.getvalue()


def test_valid_upload_solves_the_uploaded_problem():
    rng = np.random.default_rng(5)
    A = rng.standard_normal((15, 25))
    x = np.zeros(25)
    x[[2, 7]] = [1.0, 0.5]
    b = A @ x
    at = run_page(kind="Upload A and b", max_iter=2000)
    at.file_uploader(key="up_A").upload("A.npy", _npy(A))
    csv = "\n".join(f"{v:.17g}" for v in b).encode()
    at.file_uploader(key="up_b").upload("b.csv", csv)
    at.run()
    assert not at.exception
    df = table(at)
    ref = nc.solve(A, b, method="lawson_hanson")
    assert df.loc["Lawson-Hanson", "objective"] == pytest.approx(ref.objective, abs=1e-20)


@pytest.mark.parametrize("name, content, message", [
    ("A.csv", b"1,2\n3,nan\n", "non-finite"),
    ("A.npy", pickle.dumps([1, 2]), "npy"),
    ("A.csv", b"hello,world\n", "could not read"),
    ("A.csv", b"", "empty"),
    ("A.csv", b"1,2\n3\n", "could not read"),
])
def test_invalid_uploads_show_an_error_not_a_traceback(name, content, message):
    at = run_page(kind="Upload A and b")
    at.file_uploader(key="up_A").upload(name, content)
    at.file_uploader(key="up_b").upload("b.csv", b"1\n2\n")
    at.run()
    assert not at.exception
    assert at.error and message in at.error[0].value


def test_shape_mismatch_upload():
    at = run_page(kind="Upload A and b")
    at.file_uploader(key="up_A").upload("A.csv", b"1,2\n3,4\n")
    at.file_uploader(key="up_b").upload("b.csv", b"1\n2\n3\n")
    at.run()
    assert at.error and "b has length 3 but A has 2 rows" in at.error[0].value


def test_url_settings_are_applied_and_published():
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.query_params.update({"alpha": "0.0001", "L": "3", "m": "20", "n": "40",
                            "max_iter": "2000", "baselines": "Lawson-Hanson,multiplicative"})
    at.run()
    assert not at.exception
    p = nc.sparse_problem(20, 40, 4, seed=0)
    ref = nc.solve(p.A, p.b, L=3, alpha=1e-4, step="bb", form="u", max_iter=2000, tol=TOL)
    df = table(at)
    assert df.loc["Hadamard L=3, α=1e-04, Barzilai-Borwein", "objective"] == pytest.approx(
        ref.objective, rel=1e-12, abs=1e-30)
    assert "multiplicative" in df.index
    qp = at.query_params
    assert qp["alpha"] == "0.0001" and qp["L"] == "3" and qp["m"] == "20"
    at.number_input(key="L").set_value(4).run()
    assert at.query_params["L"] == "4"


def test_bad_url_values_are_ignored_without_a_traceback():
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.query_params.update({"alpha": "banana", "m": "-5", "kind": "nope", "L": "nan",
                            "baselines": "Lawson-Hanson,evil", "max_iter": "2000"})
    at.run()
    assert not at.exception
    assert at.session_state["alpha"] == 1e-3 and at.session_state["m"] == 30
    assert table(at).shape[0] >= 2


@pytest.mark.slow  # the default problem: its α grid uses the page's 3 s budget
@pytest.mark.parametrize("preset", ["Tiny α: long plateau", "Acceleration", "Noisy, tall",
                                    "L = 1: no constraint"])
def test_presets_show_what_their_names_promise(preset):
    at = run_page()
    at.button(key=f"playground:preset:{preset}").click().run()
    assert not at.exception
    assert table(at).iloc[0]["status"] == "converged"
    fig = chart(at, "fig_scrub")
    if preset == "Tiny α: long plateau":
        assert at.session_state["step_kind"] == "fixed"  # no adaptive step hides the plateau
        # the loss stays within 1% of its start for many iterations: the plateau
        j = ALPHAS.index(1e-6)
        ks, y = (plotly_array(fig["frames"][j]["data"][1][k]) for k in ("x", "y"))
        flat = ks[y >= 0.99 * y[0]]
        assert flat.max() >= 20
        # every α is overlaid (faint), so the plateau is seen to grow as α shrinks
        faint = [t for t in fig["data"] if t.get("line", {}).get("color") == "#cbd5e0"]
        assert len(faint) == len(ALPHAS)
    if preset == "L = 1: no constraint":
        assert table(at).loc["unconstrained LS", "min x"] < 0


def test_every_control_has_a_tooltip():
    at = run_page(**SMALL)
    widgets = (list(at.selectbox) + list(at.number_input) + list(at.slider)
               + list(at.select_slider) + list(at.radio) + list(at.multiselect))
    assert len(widgets) >= 14
    assert all(w.help for w in widgets), [w.label for w in widgets if not w.help]
    assert all(b.help for b in at.button), [b.label for b in at.button if not b.help]


def test_downloads_are_the_run_and_the_problem():
    at = run_page(**SMALL)
    buttons = {b.proto.label: b for b in at.get("download_button")}
    assert {"Run history (.csv)", "Problem A, b, x_true (.npz)"} <= set(buttons)
    p = nc.sparse_problem(20, 40, 4, seed=0)
    with np.load(io.BytesIO(p.to_npz())) as z:
        np.testing.assert_array_equal(z["A"], p.A)
        np.testing.assert_array_equal(z["x_true"], p.x_true)


@pytest.mark.parametrize("settings", [
    SMALL,
    {"kind": "Correlated columns", "m": 20, "n": 40, "step_kind": "fixed", "eta": 0.02,
     "gamma": 0.25, "form": "x", "L": 3, "max_iter": 2000},
    {"kind": "Dense Gaussian", "m": 40, "n": 20, "accel": "mirror", "step_kind": "auto",
     "max_iter": 2000},
])
def test_exported_snippet_reproduces_the_run(settings, capsys):
    at = run_page(**settings)
    code = next(c.value for c in at.code if "nc.solve(" in c.value)
    ns: dict = {}
    exec(compile(code, "nnls_run.py", "exec"), ns)
    row = table(at).iloc[0]
    assert ns["r"].objective == row["objective"]  # exactly the same run
    assert ns["r"].n_iter == row["iterations"]


def test_the_next_notch_of_alpha_is_ready(monkeypatch):
    """Opening a setting computes its neighbouring α on idle workers, so moving α by one
    notch starts no run (job_for made to raise)."""
    import time

    import ui.jobs

    idle = ui.jobs._idle()  # the workers exist (started by a server's first run)...
    jobs, _ = ui.jobs._jobs()
    deadline = time.monotonic() + 60
    while (jobs or idle.qsize() < ui.jobs.WORKERS) and time.monotonic() < deadline:
        time.sleep(0.05)  # ...and are idle (earlier tests' runs have ended)
    at = run_page(**(SMALL | {"seed": 23}))
    while jobs and time.monotonic() < deadline:  # the prefetched runs finishing
        time.sleep(0.05)
    assert not jobs

    def no_run(*a, **k):
        raise AssertionError("a run was started")

    monkeypatch.setattr(ui.jobs, "job_for", no_run)
    alpha = next(w for w in at.select_slider if w.key == "alpha")
    i = ALPHAS.index(alpha.value)
    alpha.set_value(ALPHAS[i + 1]).run()
    assert not at.exception
    assert dict(at.session_state["pg_cur"][0][1])["alpha"] == ALPHAS[i + 1]
