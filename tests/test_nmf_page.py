"""Smoke tests of the NMF page with Streamlit's AppTest (numbers are tested in test_nmf.py)."""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from nnls_core import nmf
from tests.pagetools import charts

PAGE = str(Path(__file__).resolve().parents[1] / "views" / "nmf.py")
ALL = ["pg", "pg-accel", "mu", "hadamard", "sklearn-mu", "sklearn-cd"]


def _run(**widgets):
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    for key, value in widgets.items():
        at.session_state[key] = value
    if widgets:
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_default_page_tells_the_story():
    at = _run()
    assert "NMF" in at.title[0].value
    # the verdict comes first, before any figure, and names the best fit of this run
    first = at.markdown[0].value
    assert first.startswith("**In this run:** Lowest error")
    specs = charts(at)  # every figure checked for NaN / Inf
    assert len(specs) == 4  # objective vs iteration, basis + truth, objective vs time, recon
    df = at.dataframe[0].value
    assert len(df) == 4  # ours; scikit-learn's anchors are opt-in
    assert not any("scikit-learn" in m for m in df["method"])
    best = df.loc[df["rel. error"].idxmin(), "method"]
    assert f"**{best}**" in first
    # independent reference: our accelerated projected gradient on the same data
    X, W_true, _ = nmf.synthetic(60, 80, 5, noise=0.01, seed=0)
    ref = nmf.solve(X, 5, "projected_gradient", accelerate=True, max_iter=300, seed=0)
    row = df[df["method"] == "projected gradient, accelerated"].iloc[0]
    np.testing.assert_allclose(row["rel. error"], ref.rel_error, rtol=1e-12)
    # ground truth beside the bases: first panel, and the parts score is its cosine
    basis = specs[1]
    assert [a["text"] for a in basis["layout"]["annotations"]][0] == "truth"
    cos = nmf.match_columns(ref.W, W_true)[1].mean()
    np.testing.assert_allclose(row["parts found (cos)"], cos, rtol=1e-12)
    # both conventions reported and consistent (no regularizer by default)
    np.testing.assert_allclose(df.iloc[:, 3] * 2, df.iloc[:, 2], rtol=1e-9)
    text = " ".join(m.value for m in at.markdown)
    assert "Kronecker" in text and "relative difference" in text
    assert "seed" not in text.replace("random seed", "")  # the source is "the tutorial"
    assert not at.error


def test_every_control_has_help():
    at = _run()
    widgets = [*at.selectbox, *at.slider, *at.select_slider, *at.multiselect,
               *at.number_input]
    assert len(widgets) >= 9
    assert all(w.help for w in widgets), [w.label for w in widgets if not w.help]


class _Counter:
    """Wraps a solver and records the method of every call."""

    def __init__(self, fn, name):
        self.fn, self.name, self.calls = fn, name, []

    def __call__(self, X, r, method="mu", **kw):
        self.calls.append(method if self.name == "solve" else "sklearn-" + method)
        return self.fn(X, r, method, **kw)


def test_step_multiplier_reruns_only_the_hadamard_method(monkeypatch):
    solve, sk = _Counter(nmf.solve, "solve"), _Counter(nmf.sklearn_nmf, "sklearn")
    monkeypatch.setattr(nmf, "solve", solve)
    monkeypatch.setattr(nmf, "sklearn_nmf", sk)
    at = _run(nmf_iters=25, nmf_seed=7)
    assert len(solve.calls) == 4 and not sk.calls  # each of our methods once
    del solve.calls[:], sk.calls[:]
    at.slider(key="nmf_step").set_value(1.3).run()
    assert solve.calls == ["hadamard"] and not sk.calls
    at.slider(key="nmf_step").set_value(1.9).run()  # back: served from the store
    assert solve.calls == ["hadamard"]
    at.slider(key="nmf_r_synthetic").set_value(4).run()  # the rank: every method
    assert len(solve.calls) == 1 + 4 and not sk.calls
    assert not at.exception


@pytest.mark.slow  # a 3 s run behind the Run button
def test_heavy_settings_wait_for_run_then_show_results():
    """The swimmer with our four methods is ~10 s of work: the rerun only offers Run."""
    at = _run(nmf_data="swimmer (32×32)")
    run = [b for b in at.button if b.key == "nmf_run"]
    assert run and "about" in run[0].label
    assert not at.dataframe and not at.get("plotly_chart")
    assert "press Run" in at.info[0].value
    # one method, 300 iterations (about 3 s): still behind Run, which then runs it
    at.session_state["nmf_methods"] = ["mu"]
    at.run()
    run = [b for b in at.button if b.key == "nmf_run"]
    assert run and "1 method(s)" in run[0].label
    run[0].click().run()
    df = at.dataframe[0].value
    assert list(df["method"]) == ["multiplicative (Lee-Seung)"] and df["iterations"][0] == 300
    charts(at)
    # a smaller budget fits and runs at once
    at.session_state["nmf_iters"] = 25
    at.run()
    assert not [b for b in at.button if b.key == "nmf_run"]
    assert at.dataframe[0].value["iterations"][0] == 25


@pytest.mark.parametrize("reg", ["identity (ridge ‖W‖²)", "first differences (smooth columns)"])
def test_digits_with_regularizer_every_method(reg):
    at = _run(nmf_data="digits (8×8)", nmf_iters=50, nmf_lam=0.1, nmf_reg=reg,
              nmf_methods=ALL)
    if not at.dataframe:  # over the budget on a slow machine: press Run
        next(b for b in at.button if b.key == "nmf_run").click().run()
    df = at.dataframe[0].value
    assert len(df) == 6 and np.isfinite(df.iloc[:, 2:].to_numpy(dtype=float)).all()
    assert not at.error
    charts(at)


def test_synthetic_and_upload_without_file_shows_error_not_traceback():
    at = _run(nmf_iters=25, nmf_reg="upload M (CSV)", nmf_lam=1.0)
    assert at.error and "CSV" in at.error[0].value
    assert len(at.dataframe[0].value) == 4


def test_upload_goes_through_the_safe_loader():
    from streamlit.runtime.uploaded_file_manager import UploadedFile, UploadedFileRec

    # the page is a script: run its definitions (everything before the title) only
    ns: dict = {}
    src = Path(PAGE).read_text()
    exec(compile(src.split("\nst.title(")[0], PAGE, "exec"), ns)
    read_M = ns["read_M"]

    def upload(name, data, size=None):
        f = UploadedFile(UploadedFileRec("id", name, "text/csv", data), None)
        if size is not None:
            f.size = size
        return f

    eye = "\n".join(",".join("1" if i == j else "0" for j in range(4)) for i in range(4))
    M, err = read_M(upload("eye.csv", eye.encode()), 4)
    assert err is None and np.array_equal(M, np.eye(4))
    M, err = read_M(upload("big.csv", b"1,2\n", size=190 * 2**20), 2)
    assert M is None and "over the 20 MB upload limit" in err
    M, err = read_M(upload("m.pkl", b"x"), 2)
    assert M is None and "only .csv and .npy" in err
    M, err = read_M(upload("nan.csv", b"1,nan\n"), 2)
    assert M is None and err


def test_no_method_selected_warns():
    at = _run(nmf_methods=[])
    assert at.warning and not at.dataframe


# --------------------------------------------------------------------------- figures (no server)
def test_objective_figure_has_no_nan_and_handles_zero_and_nan():
    from ui.figures_nmf import objective_figure

    h = {"objective": np.array([10.0, 1.0, 0.0, np.nan, 1e-30]),
         "time": np.array([0.0, 0.1, 0.2, 0.3, 0.4])}
    for x in ("iteration", "time"):
        fig = objective_figure({"multiplicative": h}, x=x)
        ys = np.asarray(fig.data[0].y, dtype=float)
        xs = np.asarray(fig.data[0].x, dtype=float)
        assert np.isfinite(ys).all() and (ys > 0).all() and (xs > 0).all()
        assert fig.layout.yaxis.type == "log"
        assert ys.dtype == np.float64 or fig.data[0].y.dtype == np.float32


def test_long_histories_are_thinned_and_keep_the_last_point():
    from ui.figures_nmf import objective_figure

    n = 20_001
    h = {"objective": np.geomspace(1e3, 1e-3, n), "time": np.linspace(0, 2, n)}
    fig = objective_figure({"hadamard": h})
    assert len(fig.data[0].y) <= 420
    assert float(fig.data[0].x[-1]) == n  # iteration n-1, plotted as n


def test_mosaic_tiles_columns_as_images():
    from ui.figures_nmf import mosaic

    cols = np.arange(12, dtype=float).reshape(4, 3)  # three 2x2 images
    z = mosaic(cols, (2, 2), 2, normalize=False, pad=1, sep=-1)
    np.testing.assert_array_equal(z[1:3, 1:3], cols[:, 0].reshape(2, 2))
    np.testing.assert_array_equal(z[1:3, 4:6], cols[:, 1].reshape(2, 2))
    np.testing.assert_array_equal(z[4:6, 1:3], cols[:, 2].reshape(2, 2))
    assert (z[4:6, 4:6] == 0).all()  # empty slot stays blank


def test_a_second_session_reuses_the_figures(monkeypatch):
    """Figures of stored results are built once for every session that shows them, and
    built again when the results change (here: another rank)."""
    from ui import figures_nmf as fg

    calls = []
    monkeypatch.setattr(fg, "basis_figure", lambda *a, _real=fg.basis_figure, **k:
                        calls.append(1) or _real(*a, **k))
    seed = {"nmf_seed": 7}  # settings no other test uses (each session opens the default
    first = _run(**seed)    # view first, which another test may have drawn already)
    built = len(calls)
    second = _run(**seed)
    assert len(calls) == built
    assert charts(first) == charts(second)
    _run(**seed, nmf_r_synthetic=4)
    assert len(calls) == built + 1
