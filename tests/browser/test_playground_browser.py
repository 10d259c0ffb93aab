"""The Playground in real Chromium: the first screen at projector and laptop sizes, α
scrubbed in the browser with no rerun, divergence and its safe step, a live run stopped."""

import json
import re

import pytest

from .conftest import (SHOTS, assert_no_exception, expect, goto_page, main, rerun, runs_ended,
                       wait_for_plot_data, watch_runs)

pytestmark = pytest.mark.browser

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
SCRUB = ".st-key-fig_scrub .js-plotly-plot"
#: the y data of the scrub figure's reparametrized trace and the readout's text, as JSON
#: (from plotly's _fullData, where typed arrays are decoded)
RUN_TRACE = """() => {
  const gd = document.querySelector(".st-key-fig_scrub .js-plotly-plot");
  if (!gd || !gd._fullData) return null;
  const t = (gd._fullData || []).find(t => t.name === "reparametrized x = u^L");
  const r = gd._fullData.find(t => t.name === "readout");
  return t && r ? JSON.stringify({y: Array.from(t.y), color: t.marker.color,
                                  title: String(r.text)}) : null;
}"""


def slider_ticks(page, plot) -> list[tuple[float, float]]:
    """Screen centres of the plotly slider's step ticks, left to right."""
    boxes = [t.bounding_box() for t in plot.locator("g.slider-container .slider-tick-rect").all()]
    rail = plot.locator("g.slider-container .slider-rail-rect").bounding_box()
    y = rail["y"] + rail["height"] / 2
    return [(b["x"] + b["width"] / 2, y) for b in boxes]


@pytest.mark.parametrize("width, height", [(1024, 768), (1440, 900)])
def test_first_screen_shows_solution_loss_and_alpha_together(server, browser, width, height):
    ctx = browser.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    try:
        goto_page(page, f"{server}/playground?m=20&n=40&max_iter=2000", "NNLS Playground")
        plot = page.locator(SCRUB)
        wait_for_plot_data(page, plot)
        assert_no_exception(page)
        inside = lambda box: (box is not None and box["x"] >= 0 and box["y"] >= 0  # noqa: E731
                              and box["x"] + box["width"] <= width
                              and box["y"] + box["height"] <= height)
        # the solution view, the loss curve (the figure's two subplots) and the readout row
        for name in ("xy", "x2y2", "x3y3"):
            sub = plot.locator(f"g.cartesianlayer > g.subplot.{name}")
            expect(sub).to_have_count(1)
            assert inside(sub.bounding_box()), f"subplot {name} is below the fold"
        assert inside(plot.locator("g.slider-container").bounding_box()), "scrubber off screen"
        alpha = page.locator("[data-testid='stSlider']", has_text="initialization α")
        assert inside(alpha.bounding_box()), "the α control is off screen"
        for label in ("exponent L", "step size", "acceleration"):
            assert inside(page.get_by_text(label, exact=True).first.bounding_box()), label
        page.screenshot(path=str(SHOTS / f"playground_first_screen_{width}x{height}.png"))
    finally:
        ctx.close()


def test_dragging_alpha_updates_the_solution_in_the_browser_without_a_rerun(server, page):
    goto_page(page, f"{server}/playground?m=20&n=40&max_iter=2000", "NNLS Playground")
    plot = page.locator(SCRUB)
    wait_for_plot_data(page, plot)
    before = json.loads(page.evaluate(RUN_TRACE))
    assert "α = 1e-03:" in before["title"]
    ticks = slider_ticks(page, plot)
    assert len(ticks) == 19
    watch_runs(page)
    grip = plot.locator("g.slider-container .slider-grip-rect").bounding_box()
    page.mouse.move(grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2)
    page.mouse.down()
    for x, y in ticks[12:]:  # drag right, to α = 1
        page.mouse.move(x, y, steps=4)
    page.mouse.up()
    page.wait_for_function(f"() => ({RUN_TRACE})() && JSON.parse(({RUN_TRACE})()).title"
                           ".includes('α = 1e+00:')")
    after = json.loads(page.evaluate(RUN_TRACE))
    assert after["y"] != before["y"], "the solution view did not change"
    shown = plot.locator("g.scatterlayer text", has_text="α = 1e+00:")  # drawn, not only data
    expect(shown).to_have_count(1)
    assert runs_ended(page) == 0, "scrubbing must not rerun the script"
    assert page.locator(IDLE).count() == 1
    page.screenshot(path=str(SHOTS / "playground_scrubbed.png"))
    assert not page.js_errors, page.js_errors


def test_diverging_preset_is_red_explained_and_a_safe_step_converges(server, page):
    goto_page(page, f"{server}/playground?max_iter=3000", "NNLS Playground")
    page.get_by_role("button", name="Presets").click()
    with rerun(page):
        page.get_by_role("button", name="Step too large").click()
    expect(main(page).get_by_text("The run diverged")).to_be_visible()
    expect(main(page)).to_contain_text("x = u^2 stays ≥ 0")
    wait_for_plot_data(page, page.locator(SCRUB))
    page.wait_for_function(f"() => ({RUN_TRACE})() && JSON.parse(({RUN_TRACE})()).color"
                           " === '#c53030'")
    assert_no_exception(page)
    page.screenshot(path=str(SHOTS / "playground_diverged.png"))
    with rerun(page):
        page.get_by_role("button", name=re.compile("Use a safe step")).click()
    expect(main(page)).to_contain_text(re.compile(r"converged after [\d,]+ iterations"))
    expect(main(page).get_by_text("The run diverged")).to_have_count(0)
    page.screenshot(path=str(SHOTS / "playground_safe_step.png"))


# the lengths of the live loss curve seen so far (a MutationObserver on the main area)
_WATCH_LIVE = """() => {
  window.__liveSeen = new Set();
  const look = () => {
    for (const gd of document.querySelectorAll("[data-testid='stMain'] .js-plotly-plot")) {
      const t = (gd._fullData || []).find(t => t.name === "loss so far");
      if (t) window.__liveSeen.add(t.x.length + ":" + t.y[t.y.length - 1]);
    }
  };
  window.__liveObserver = new MutationObserver(look);
  window.__liveObserver.observe(document.body, {subtree: true, childList: true});
  window.__liveTimer = setInterval(look, 100);
}"""


def test_a_long_run_streams_and_stop_cancels_it(server, page):
    # about 40 s of expected work: the page asks first, then streams
    goto_page(page, f"{server}/playground?m=400&n=800&max_iter=60000&alpha=1e-06"
                    "&step_kind=fixed&eta=0.001", "NNLS Playground")
    expect(main(page)).to_contain_text("This run may take up to")
    page.evaluate(_WATCH_LIVE)
    page.get_by_role("button", name="Run").click()
    page.wait_for_function("() => window.__liveSeen.size >= 3", timeout=60_000)
    page.screenshot(path=str(SHOTS / "playground_live.png"))
    page.locator(".st-key-pg_stop").get_by_role("button", name="Stop").click()
    expect(main(page)).to_contain_text(re.compile(r"cancelled after [\d,]+ iterations"))
    assert page.evaluate("() => window.__liveSeen.size") >= 3
    assert_no_exception(page)
    page.screenshot(path=str(SHOTS / "playground_cancelled.png"))


def test_play_reveals_the_trajectories_client_side(server, page):
    goto_page(page, f"{server}/playground?m=20&n=40&max_iter=2000", "NNLS Playground")
    page.get_by_role("tab", name="Trajectories").click()
    plot = page.locator(".st-key-fig_traj .js-plotly-plot")
    wait_for_plot_data(page, plot)
    length = """() => { const gd = document.querySelector(".st-key-fig_traj .js-plotly-plot");
                        return gd._fullData[0].x.length; }"""
    full = page.evaluate(length)
    label = plot.locator("text.slider-label", has_text="iteration k =")
    start = label.text_content()
    watch_runs(page)
    plot.locator("g.updatemenu-button", has_text="▶ Play").click()
    expect(label).not_to_have_text(start)  # the counter moves, above the chart
    page.wait_for_function(f"() => ({length})() < {full}")  # lines drawn only up to k
    assert runs_ended(page) == 0, "Play must run client-side, without a script run"
    assert page.locator(IDLE).count() == 1
    page.screenshot(path=str(SHOTS / "playground_play.png"))
    assert not page.js_errors, page.js_errors


@pytest.mark.slow  # about 40 s on two cores: four downloads and a script run
def test_export_tab_downloads_open(server, page, tmp_path):
    """Download every artifact from the Export tab and open it as a user would."""
    import subprocess
    import sys

    import numpy as np

    import nnls_core as nc

    goto_page(page, f"{server}/playground?m=20&n=40", "NNLS Playground")
    page.get_by_role("tab", name="Export").click()
    expect(page.get_by_role("button", name="Script (.py)")).to_be_visible()
    files = {}
    for label in ["Run history (.csv)", "Problem A, b, x_true (.npz)", "Figure 'objective' (.html)",
                  "Script (.py)"]:
        with page.expect_download() as dl:
            page.get_by_role("button", name=label).click()
        path = tmp_path / dl.value.suggested_filename
        dl.value.save_as(path)
        files[path.suffix] = path
    ref_p = nc.sparse_problem(20, 40, 4, seed=0)
    with np.load(files[".npz"]) as z:
        np.testing.assert_array_equal(z["A"], ref_p.A)
        np.testing.assert_array_equal(z["b"], ref_p.b)
    rows = files[".csv"].read_text().splitlines()
    assert rows[0] == "iteration,objective,kkt,l1" and len(rows) > 10
    run = subprocess.run([sys.executable, str(files[".py"])], capture_output=True, text=True,
                         timeout=120, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    # the script reproduces the downloaded run: same iteration count, same final objective
    assert f"iterations: {len(rows) - 2}\n" in run.stdout
    assert f"objective: {float(rows[-1].split(',')[1]):.6e}" in run.stdout
    html = page.context.new_page()  # the standalone figure opens offline in the browser
    html.goto(files[".html"].as_uri())
    html.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    assert html.evaluate("document.querySelector('.js-plotly-plot').data.length") >= 1
    html.screenshot(path=str(SHOTS / "playground_exported_figure.png"))
