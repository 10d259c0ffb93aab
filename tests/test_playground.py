"""AppTest runs of the Playground: every widget path, numbers checked against nnls_core."""

from __future__ import annotations

import io
import json
import pickle
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import nnls_core as nc
from ui.state import encode

PAGE = str(Path(__file__).resolve().parents[1] / "views" / "playground.py")
#: The page's default tolerance: the library's (relative optimality residual).
TOL = nc.HadamardOptions().tol


def run_page(**settings) -> AppTest:
    """Open the page with these settings in its URL, as a shared link would."""
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params.update({k: encode(v) for k, v in settings.items()})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart(at: AppTest, key: str) -> dict:
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        if el.proto.id and key in el.proto.id:
            return spec
    raise AssertionError(f"no chart {key}")


def table(at: AppTest):
    return at.dataframe[0].value.set_index("method")


def test_default_story_matches_the_library():
    at = run_page()
    p = nc.sparse_problem(30, 100, 4, seed=0)
    ref = nc.solve(p.A, p.b, L=2, alpha=1e-3, step="bb", form="u", max_iter=20_000, tol=TOL)
    lh = nc.solve(p.A, p.b, method="lawson_hanson")
    df = table(at)
    row = df.loc["Hadamard L=2, α=1e-03"]
    assert row["objective"] == pytest.approx(ref.objective, rel=1e-12, abs=1e-30)
    assert row["iterations"] == ref.n_iter
    assert row["||x - x_true||"] == pytest.approx(np.linalg.norm(ref.x - p.x_true), rel=1e-9)
    assert row["support F1"] == 1.0  # the default tells the sparse-recovery story
    assert df.loc["Lawson-Hanson", "objective"] == pytest.approx(lh.objective, abs=1e-20)
    assert "FISTA" in df.index and "min ℓ1 (LP)" in df.index
    # the objective figure plots f(x_k) - f* of the same run (float32, thinned)
    fig = chart(at, "fig_objective")
    tr = fig["data"][0]
    assert tr["name"].startswith("Hadamard")
    y = _decode(tr["y"])
    ks = _decode(tr["x"]).astype(int)
    expect = np.maximum(ref.history.objective[ks] - lh.objective, 1e-30)
    np.testing.assert_allclose(y, expect, rtol=1e-6)
    assert any("converged" in m.value for m in at.markdown)


def _decode(v):
    """Plotly JSON arrays come as lists or as base64 typed arrays."""
    if isinstance(v, dict):
        import base64
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
    return np.asarray(v, dtype=float)


@pytest.mark.parametrize("kind", ["Sparse non-negative", "Dense Gaussian", "Correlated columns"])
def test_every_generator(kind):
    at = run_page(kind=kind, m=20, n=40)
    df = table(at)
    assert np.isfinite(df["objective"]).all()
    if kind == "Dense Gaussian":
        assert df["support F1"].isna().all()


@pytest.mark.parametrize("accel, step_kind", [(None, "bb"), (None, "auto"), (None, "fixed"),
                                              ("nesterov", "auto"), ("mirror", "fixed")])
def test_every_solver_setting(accel, step_kind):
    at = run_page(accel=accel, step_kind=step_kind, eta=0.02, m=20, n=40, max_iter=3000)
    p = nc.sparse_problem(20, 40, 4, seed=0)
    opts = dict(L=2, alpha=1e-3, max_iter=3000, tol=TOL)
    opts |= {"accel": accel} if accel else {"form": "u"}
    opts |= {"step": 0.02, "decay": 0.0} if step_kind == "fixed" else {"step": step_kind}
    ref = nc.solve(p.A, p.b, **opts)
    row = table(at).iloc[0]
    assert row["objective"] == pytest.approx(ref.objective, rel=1e-12, abs=1e-30)
    assert row["iterations"] == ref.n_iter


def test_tolerance_is_the_relative_residual_with_the_library_default():
    at = run_page(m=20, n=40)
    assert TOL == 1e-8 and at.session_state["tol"] == TOL
    assert at.select_slider(key="tol").options == ["1e-04", "1e-06", "1e-07", "1e-08", "1e-10"]
    at = run_page(m=20, n=40, tol=1e-4)
    p = nc.sparse_problem(20, 40, 4, seed=0)
    ref = nc.solve(p.A, p.b, L=2, alpha=1e-3, step="bb", form="u", max_iter=20_000, tol=1e-4)
    row = table(at).iloc[0]
    assert row["iterations"] == ref.n_iter and row["status"] == "converged"
    assert ref.kkt <= 1e-4


def test_not_converged_is_a_warning_with_the_library_message_never_green():
    at = run_page(m=20, n=40, max_iter=10)
    p = nc.sparse_problem(20, 40, 4, seed=0)
    ref = nc.solve(p.A, p.b, L=2, alpha=1e-3, step="bb", form="u", max_iter=10, tol=TOL)
    assert ref.status == "max_iter"
    assert table(at).iloc[0]["status"] == "max_iter"
    text = at.warning[0].value
    assert "Not converged" in text and ref.message in text
    badge = next(m.value for m in at.markdown if "-badge[" in m.value)
    assert ":orange-badge[max_iter" in badge and "green" not in badge


def test_x_form_decay_and_exponents():
    at = run_page(form="x", step_kind="fixed", eta=0.01, gamma=0.5, L=3, m=20, n=40,
                  max_iter=2000)
    fig = chart(at, "fig_objective")
    names = [t["name"] for t in fig["data"]]
    assert any(n.startswith("k^(γ-1)") for n in names)  # decay reference slope drawn
    at = run_page(L=1, m=20, n=40)  # plain GD: x may go negative, trajectories linear
    traj = chart(at, "fig_traj")
    assert traj["layout"]["yaxis"]["type"] == "linear"


def test_every_baseline():
    at = run_page(baselines=["Lawson-Hanson", "projected gradient", "FISTA",
                             "multiplicative", "unconstrained LS"], m=20, n=40)
    p = nc.sparse_problem(20, 40, 4, seed=0)
    df = table(at)
    for label, method in [("projected gradient", "projected_gradient"), ("FISTA", "fista"),
                          ("multiplicative", "multiplicative"), ("unconstrained LS", "lstsq")]:
        assert df.loc[label, "objective"] == pytest.approx(
            nc.solve(p.A, p.b, method=method).objective, rel=1e-10, abs=1e-25)
    assert df.loc["unconstrained LS", "min x"] < 0  # why the constraint matters


def test_diverging_step_warns_with_a_safe_step_and_plots_no_nan():
    at = run_page(step_kind="fixed", eta=50.0, m=20, n=40)
    assert at.warning, "a diverged run must show a warning"
    text = at.warning[0].value
    assert "The run diverged" in text and "Try step <=" in text
    for key in ("fig_objective", "fig_traj", "fig_stem", "fig_l1"):
        for tr in chart(at, key)["data"]:
            if "y" in tr and tr.get("mode") != "lines":
                assert np.all(np.isfinite(_decode(tr["y"])))


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
    at = run_page(kind="Upload A and b")
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
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params.update({"alpha": "0.0001", "L": "3", "m": "20", "n": "40",
                            "baselines": "Lawson-Hanson,multiplicative"})
    at.run()
    assert not at.exception
    p = nc.sparse_problem(20, 40, 4, seed=0)
    ref = nc.solve(p.A, p.b, L=3, alpha=1e-4, step="bb", form="u", max_iter=20_000, tol=TOL)
    df = table(at)
    assert df.loc["Hadamard L=3, α=1e-04", "objective"] == pytest.approx(ref.objective,
                                                                          rel=1e-12, abs=1e-30)
    assert "multiplicative" in df.index and "FISTA" not in df.index
    # the page writes the (non-default) settings back: the same link reproduces the run
    qp = at.query_params
    assert qp["alpha"] == "0.0001" and qp["L"] == "3" and qp["m"] == "20"
    at.slider(key="L").set_value(4).run()
    assert at.query_params["L"] == "4"


def test_bad_url_values_are_ignored_without_a_traceback():
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params.update({"alpha": "banana", "m": "-5", "kind": "nope", "L": "nan",
                            "baselines": "Lawson-Hanson,evil"})
    at.run()
    assert not at.exception
    assert at.session_state["alpha"] == 1e-3 and at.session_state["m"] == 30
    assert table(at).shape[0] >= 2


@pytest.mark.parametrize("preset", ["Tiny α: long plateau", "Step too large", "Acceleration",
                                    "Noisy, tall", "L = 1: no constraint"])
def test_presets(preset):
    at = run_page()
    at.button(key=f"playground:preset:{preset}").click().run()
    assert not at.exception
    status = table(at).iloc[0]["status"]
    assert status == ("diverged" if preset == "Step too large" else "converged")


def test_downloads_are_the_run_and_the_problem():
    at = run_page(m=20, n=40)
    buttons = {b.proto.label: b for b in at.get("download_button")}
    assert {"Run history (.csv)", "Problem A, b, x_true (.npz)"} <= set(buttons)
    p = nc.sparse_problem(20, 40, 4, seed=0)
    ref = nc.solve(p.A, p.b, L=2, alpha=1e-3, step="bb", form="u", max_iter=20_000, tol=TOL)
    csv = ref.history.to_csv().splitlines()
    assert len(csv) == ref.n_iter + 2
    assert float(csv[-1].split(",")[1]) == ref.objective
    with np.load(io.BytesIO(p.to_npz())) as z:
        np.testing.assert_array_equal(z["A"], p.A)
        np.testing.assert_array_equal(z["x_true"], p.x_true)


@pytest.mark.parametrize("settings", [
    {},
    {"kind": "Correlated columns", "m": 20, "n": 40, "step_kind": "fixed", "eta": 0.02,
     "gamma": 0.25, "form": "x", "L": 3, "max_iter": 2000},
    {"kind": "Dense Gaussian", "m": 40, "n": 20, "accel": "mirror", "step_kind": "auto"},
])
def test_exported_snippet_reproduces_the_run(settings, capsys):
    at = run_page(**settings)
    code = next(c.value for c in at.code if "nc.solve(" in c.value)
    ns: dict = {}
    exec(compile(code, "nnls_run.py", "exec"), ns)
    row = table(at).iloc[0]
    assert ns["r"].objective == row["objective"]  # exactly the same run
    assert ns["r"].n_iter == row["iterations"]
