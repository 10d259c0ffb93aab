"""Home and the two Learn pages: AppTest smoke runs of their controls, and their figure
functions (the animation touches only the paths; every frame finite)."""

import base64
import io
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from nnls_core import teaching as T
from tests.pagetools import assert_figure_finite, plotly_array
from tests.pagetools import charts as _charts  # every figure checked: no NaN / Inf / None
from ui import figures_learn as F

ROOT = Path(__file__).resolve().parents[1]
CONTROLS = ("slider", "select_slider", "multiselect", "toggle", "radio", "number_input",
            "selectbox", "checkbox")


def _run(page: str) -> AppTest:
    """Run a page script (a path under ``views/``, or ``app.py`` for the default page)."""
    path = ROOT / page if page == "app.py" else ROOT / "views" / page
    at = AppTest.from_file(str(path), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _words(at: AppTest) -> str:
    """Every text a student reads on the page (figures aside)."""
    parts = [e.value for kind in ("title", "subheader", "markdown", "caption", "latex",
                                  "info", "warning", "success") for e in at.get(kind)]
    parts += [e.label for e in at.get("expander")]
    parts += [e.label for kind in CONTROLS for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


def _assert_page_hygiene(at: AppTest) -> None:
    controls = [e for kind in CONTROLS for e in at.get(kind)]
    assert all(e.help for e in controls), [e.label for e in controls if not e.help]
    assert not re.search(r"\bseeds?\b", _words(at), re.IGNORECASE)
    assert "What to notice" in _words(at)


def test_home_shows_the_key_figure():
    at = _run("app.py")  # Home is the default page; its tour links need the navigation
    _assert_page_hygiene(at)
    (fig,) = _charts(at)
    bars = [t for t in fig["data"] if t["type"] == "bar"]
    assert [t["name"].split(":")[0] for t in bars] == [
        "reparametrized GD (L = 2, α = 0.01)", "FISTA (projected, accelerated)"]
    # the legend's l1 readouts are those of the bars drawn
    for t in bars:
        l1 = float(re.search(r"‖x‖₁ = ([0-9.]+)", t["name"]).group(1))
        assert np.abs(plotly_array(t["y"])).sum() == pytest.approx(l1, abs=0.006)
        assert "converged in" in t["name"]
    l1 = [float(re.search(r"‖x‖₁ = ([0-9.]+)", t["name"]).group(1)) for t in bars]
    assert l1[0] < 0.6 * l1[1]  # the story the page tells: the reparametrized run is sparser


def test_gd_basics_default_and_controls():
    at = _run("gd_basics.py")
    _assert_page_hygiene(at)
    assert at.success and not at.warning  # default tells a clean story
    assert len(_charts(at)) == 6
    at.slider(key="gd_beta").set_value(180).run()
    assert not at.exception
    at.select_slider(key="gd_eta").set_value(15.0).run()
    assert not at.exception
    assert at.warning and "too large" in at.warning[0].value
    assert len(_charts(at)) == 6
    at.number_input(key="gd_w0").set_value(-4.0).run()
    assert not at.exception


def test_why_reparametrize_default_and_controls():
    at = _run("why_reparametrize.py")
    _assert_page_hygiene(at)
    assert not at.warning
    charts = _charts(at)
    assert len(charts) == 2
    paths = charts[0]
    assert len(paths["frames"]) >= 30  # play / pause / slider, client-side
    _assert_animates_paths_only(paths)
    at.select_slider(key="wr_eta").set_value(0.5).run()  # too large for L = 3
    assert not at.exception
    assert at.warning and "too large" in at.warning[0].value.lower()
    assert len(_charts(at)) == 2  # too large a step: reported, and still no NaN drawn


@pytest.mark.slow
def test_why_reparametrize_other_controls():
    at = _run("why_reparametrize.py")
    at.radio(key="wr_L_u").set_value(3).run()
    assert not at.exception
    at.select_slider(key="wr_eta").set_value(0.5).run()  # too large for L = 3
    assert not at.exception
    assert at.warning and "too large" in at.warning[0].value.lower()
    assert len(_charts(at)) == 2  # too large a step: reported, and still no NaN drawn
    at.multiselect(key="wr_alphas").set_value([]).run()
    assert not at.exception
    at.toggle(key="wr_pg").set_value(False).run()
    assert not at.exception


def _assert_animates_paths_only(spec: dict) -> None:
    """Frames name their traces, all of them paths (scatter lines); the contours are
    pictures no frame can touch; Play and the slider sit above the plots."""
    layout = spec["layout"]
    animated = layout["meta"]["animated"]
    n_static = layout["meta"]["n_static"]
    assert animated and min(animated) >= n_static
    assert all(spec["data"][i]["type"] == "scatter" and "lines" in spec["data"][i]["mode"]
               for i in animated)
    assert not [t for t in spec["data"] if t["type"] in ("contour", "heatmap")]
    assert len(layout["images"]) == 2 and all(
        im["source"].startswith("data:image/png;base64,") for im in layout["images"])
    for frame in spec["frames"]:
        assert list(frame["traces"]) == animated
        assert len(frame["data"]) == len(animated)
    (menu,) = layout["updatemenus"]
    assert menu["buttons"][0]["label"].endswith("Play") and menu["y"] > 1
    assert layout["sliders"][0]["y"] > 1
    for button in menu["buttons"]:  # no full redraw: the pictures and markers stay
        assert button["args"][1]["frame"]["redraw"] is False


def _paths_figure(runs, L_u=2, n_frames=30):
    A, b = T.nnls_2d_example()
    ax = np.linspace(-0.5, 1.8, 41)
    ua = np.linspace(-1.3, 1.3, 41)
    return F.nnls_paths_figure((ax, ax), T.objective_grid(A, b, ax, ax), (ua, ua),
                               T.pullback_grid(A, b, ua, ua, L_u), L_u,
                               np.linalg.solve(A, b), T.nnls_2d_exact(A, b), runs,
                               n_frames=n_frames)


def test_paths_figure_reveals_each_path_up_to_k():
    X = np.column_stack([np.linspace(1, 0.9, 50), np.linspace(1, 0, 50) ** 3])
    Y = X[:20]  # a run cut short (it broke at iteration 20)
    runs = [dict(label="a", X=X, U=np.sqrt(X), color="red"), dict(label="b", X=Y, color="blue")]
    spec = _paths_figure(runs).to_plotly_json()
    assert_figure_finite(spec)
    _assert_animates_paths_only(spec)
    for frame in spec["frames"]:
        k = int(frame["name"])
        for trace, P in zip(frame["data"], (X, np.sqrt(X), Y)):
            j = min(k, P.shape[0] - 1)
            np.testing.assert_allclose(plotly_array(trace["x"]), P[: j + 1, 0], rtol=1e-6)
            np.testing.assert_allclose(plotly_array(trace["y"]), P[: j + 1, 1], rtol=1e-6)
    ks = [int(f["name"]) for f in spec["frames"]]
    assert ks[0] == 0 and ks[-1] == 49 and ks == sorted(ks)
    assert _opens_on_last_frame(spec)


def _opens_on_last_frame(spec: dict) -> bool:
    """The figure opens on its last frame: the whole story before anyone presses Play."""
    slider = spec["layout"]["sliders"][0]
    return slider["active"] == len(slider["steps"]) - 1 == len(spec["frames"]) - 1


def test_contour_image_is_dark_at_the_minimum_light_at_the_maximum():
    x = np.linspace(-1, 1, 61)
    y = np.linspace(-1, 2, 81)
    z = (x[None, :] - 0.5) ** 2 + (y[:, None] - 1.5) ** 2  # rows follow y, upwards
    uri = F.contour_image(z)
    img = np.asarray(Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))))
    assert img.shape[:2] == z.shape
    img = img[::-1, :, :3]  # the picture's first row is the top (largest y): flip it back
    r, c = np.unravel_index(np.argmin(z), z.shape)
    assert tuple(img[r, c]) == (8, 48, 107)  # the darkest band of Blues at the minimum
    r, c = np.unravel_index(np.argmax(z), z.shape)
    assert tuple(img[r, c]) == (247, 251, 255)  # the lightest at the maximum
