"""The Playground in real Chromium: default story, change alpha, charts change, every tab."""

import re

import pytest

from .conftest import (SHOTS, assert_no_exception, expect, goto_page, main, rerun, runs_ended,
                       wait_for_chart, wait_for_plot_data, watch_runs)

pytestmark = pytest.mark.browser

FIRST_CURVE = """() => {
  const plots = [...document.querySelectorAll('.js-plotly-plot')].filter(p => p.data && p.data.length);
  return plots.length ? JSON.stringify(plots[0].data[0].y) : null;
}"""


# the tab -> a text of its caption, and whether it holds a chart (else a table)
TABS = {
    "Trajectories": ("Press ▶ Play to replay the run", True),
    "Solution": ("The final iterate against x_true", True),
    "ℓ1 and KKT": ("approaches the minimum-ℓ1 value", True),
    "Table": ("All selected methods side by side", False),
    "Problem": ("x_true is the ground truth used to make b", True),
}


def _open_tab(page, name: str):
    """Click a tab and wait until its panel shows its caption and its chart (with data)
    or table; return the panel."""
    caption, has_chart = TABS[name]
    page.get_by_role("tab", name=name).click()
    expect(page.get_by_role("tab", name=name)).to_have_attribute("aria-selected", "true")
    panel = page.get_by_role("tabpanel").filter(has_text=caption)
    expect(panel.get_by_text(caption)).to_be_visible()
    if has_chart:
        wait_for_plot_data(page, panel.locator(".js-plotly-plot").first)
    else:
        expect(panel.locator("[data-testid='stDataFrame']")).to_be_visible()
    return panel


def test_playground_alpha_changes_the_charts(server, page):
    goto_page(page, f"{server}/playground", "NNLS Playground")
    expect(main(page)).to_contain_text(re.compile(r"\w after [\d,]+ iterations"))
    assert_no_exception(page)
    main_text = main(page).inner_text()
    assert "NNLS Playground" in main_text and "converged after" in main_text
    before = wait_for_chart(page, FIRST_CURVE)
    assert before, "the objective chart did not render"
    page.screenshot(path=str(SHOTS / "playground_default.png"), full_page=True)

    slider = page.locator("[data-testid='stSlider']", has_text="initialization α")
    thumb = slider.get_by_role("slider")
    with rerun(page):
        thumb.focus()
        thumb.press("ArrowLeft")  # alpha 1e-3 -> 5e-4
    expect(slider).to_contain_text("5e-04")
    after = wait_for_chart(page, FIRST_CURVE, differs_from=before)
    assert_no_exception(page)
    assert "5e-04" in slider.inner_text()
    assert after and after != before, "changing alpha must change the objective curve"

    for tab in TABS:
        _open_tab(page, tab)
        assert_no_exception(page)
        page.screenshot(path=str(SHOTS / f"playground_{tab.split()[0].lower()}.png"),
                        full_page=True)
    # the animation controls are there and Play runs client-side without a rerun
    panel = _open_tab(page, "Trajectories")
    plot = panel.locator(".js-plotly-plot").first
    label = plot.locator("text.slider-label", has_text="iteration k =")
    start = label.text_content()
    watch_runs(page)
    plot.locator("g.updatemenu-button", has_text="▶ Play").click()  # (not the caption's)
    expect(label).not_to_have_text(start)  # the animation moves on
    assert label.text_content() != start
    assert runs_ended(page) == 0, "Play must run client-side, without a script run"
    assert page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").count() == 1
    page.screenshot(path=str(SHOTS / "playground_play.png"), full_page=True)
    assert not page.js_errors, page.js_errors


def test_playground_diverging_step_shows_a_warning(server, page):
    goto_page(page, f"{server}/playground", "NNLS Playground")
    with rerun(page):
        page.get_by_text("fixed η", exact=True).first.click()
    box = page.locator("[data-testid='stNumberInput']", has_text="fixed step η").locator("input")
    with rerun(page):
        box.fill("50")
        box.press("Enter")
    warning = page.locator("[data-testid='stAlert']", has_text="The run diverged")
    expect(warning).to_contain_text("Try step")
    assert_no_exception(page)
    text = main(page).inner_text()
    assert "The run diverged" in text and "Try step" in text
    page.screenshot(path=str(SHOTS / "playground_diverged.png"), full_page=True)


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
