"""The Playground in real Chromium: default story, change alpha, charts change, every tab."""

import pytest

from .conftest import SHOTS, assert_no_exception, wait_for_chart, wait_idle

pytestmark = pytest.mark.browser

FIRST_CURVE = """() => {
  const plots = [...document.querySelectorAll('.js-plotly-plot')].filter(p => p.data && p.data.length);
  return plots.length ? JSON.stringify(plots[0].data[0].y) : null;
}"""


def test_playground_alpha_changes_the_charts(server, page):
    page.goto(f"{server}/playground")
    wait_idle(page)
    assert_no_exception(page)
    main = page.inner_text("[data-testid='stMain']")
    assert "NNLS Playground" in main and "converged after" in main
    before = wait_for_chart(page, FIRST_CURVE)
    assert before, "the objective chart did not render"
    page.screenshot(path=str(SHOTS / "playground_default.png"), full_page=True)

    slider = page.locator("[data-testid='stSlider']", has_text="initialization α")
    thumb = slider.get_by_role("slider")
    thumb.focus()
    thumb.press("ArrowLeft")  # alpha 1e-3 -> 5e-4
    after = wait_for_chart(page, FIRST_CURVE, differs_from=before)
    wait_idle(page)
    assert_no_exception(page)
    assert "5e-04" in slider.inner_text()
    assert after and after != before, "changing alpha must change the objective curve"

    for tab in ["Trajectories", "Solution", "ℓ1 and KKT", "Table", "Problem"]:
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(800)
        assert_no_exception(page)
        page.screenshot(path=str(SHOTS / f"playground_{tab.split()[0].lower()}.png"),
                        full_page=True)
    # the animation controls are there and Play runs client-side without a rerun
    page.get_by_role("tab", name="Trajectories").click()
    page.get_by_text("▶ Play").first.click()
    page.wait_for_timeout(1500)
    assert page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").count() == 1
    page.screenshot(path=str(SHOTS / "playground_play.png"), full_page=True)
    assert not page.js_errors, page.js_errors


def test_playground_diverging_step_shows_a_warning(server, page):
    page.goto(f"{server}/playground")
    wait_idle(page)
    page.get_by_text("fixed η", exact=True).first.click()
    wait_idle(page)
    box = page.locator("[data-testid='stNumberInput']", has_text="fixed step η").locator("input")
    box.fill("50")
    box.press("Enter")
    page.wait_for_timeout(500)
    wait_idle(page)
    assert_no_exception(page)
    warning = page.inner_text("[data-testid='stMain']")
    assert "The run diverged" in warning and "Try step" in warning
    page.screenshot(path=str(SHOTS / "playground_diverged.png"), full_page=True)


def test_export_tab_downloads_open(server, page, tmp_path):
    """Download every artifact from the Export tab and open it as a user would."""
    import subprocess
    import sys

    import numpy as np

    import nnls_core as nc

    page.goto(f"{server}/playground?m=20&n=40")
    wait_idle(page)
    page.get_by_role("tab", name="Export").click()
    page.wait_for_timeout(500)
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
