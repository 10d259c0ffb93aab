"""The Tune page in real Chromium: clicking a cell of the grid opens the Playground with
that cell's problem and settings, where the same run gives the same iteration count; a
grid larger than the default waits for Run, shows its progress and stops on Stop."""

from __future__ import annotations

import re

import pytest

from .conftest import SHOTS, assert_no_exception, expect, goto_page, main, wait_for_plot_data

pytestmark = pytest.mark.browser

# a small grid (16 cells) on the default problem: quick on a loaded machine
QUERY = "tn_alphas=0.01,0.1&tn_Ls=2,3"
ROW, ALPHA = "Nesterov · L=3", "1e-01"

# the page position of a heatmap cell (row label, alpha label) and its text
CELL = """([row, alpha]) => {
  const gd = document.querySelector('.js-plotly-plot');
  const fl = gd._fullLayout, xa = fl.xaxis, ya = fl.yaxis;
  const r = ya.ticktext.indexOf(row), k = xa.ticktext.indexOf(alpha);
  if (r < 0 || k < 0) return null;
  const box = gd.getBoundingClientRect();
  return {x: box.left + xa._offset + xa.d2p(k), y: box.top + ya._offset + ya.d2p(r),
          text: String(gd.data[0].text[r][k])};
}"""


# the Playground's own run of the cell (its alpha scrubbing grid included) takes most of
# this test's time: 30-100 s on the shared two-core machine
@pytest.mark.slow
def test_click_a_cell_opens_it_in_the_playground(server, page):
    goto_page(page, f"{server}/tune?{QUERY}", "Tune before you code")
    plot = main(page).locator(".js-plotly-plot").first
    wait_for_plot_data(page, plot)
    assert_no_exception(page)
    expect(main(page)).to_contain_text("16 runs")
    cell = page.evaluate(CELL, [ROW, ALPHA])
    assert cell is not None, "the cell is not in the grid"
    assert re.fullmatch(r"\d+", cell["text"]), f"the cell did not converge: {cell}"
    page.screenshot(path=str(SHOTS / "tune_grid.png"), full_page=True)

    page.mouse.click(cell["x"], cell["y"])
    page.wait_for_url(re.compile(r"/playground\?"))
    expect(main(page)).to_contain_text("NNLS Playground")
    # the Playground's own run of the cell's settings: the same iterations as the cell
    expect(main(page)).to_contain_text(f"converged after {int(cell['text']):,} iterations")
    assert_no_exception(page)
    url = page.url
    for setting in ("L=3", "alpha=0.1", "accel=nesterov", "step_kind=auto", "tol=0.0001",
                    "max_iter=1000"):
        assert re.search(rf"[?&]{re.escape(setting)}(&|$)", url), (setting, url)
    page.screenshot(path=str(SHOTS / "tune_to_playground.png"), full_page=True)


def test_a_long_grid_waits_for_run_and_stops(server, page):
    # fixed safe steps to tolerance 1e-10 on a 400 x 2000 problem: each cell takes
    # seconds (about 14,000 iterations at 300 x 1500 already), so the grid is still
    # running when Stop is clicked (with 60 x 200 and 1e-4 the grid ended in 2.1 s,
    # before the click, on a loaded CI box)
    goto_page(page, f"{server}/tune?tn_alphas=0.01,0.1&tn_Ls=2&tn_modes=fixed&tn_tol=1e-10"
                    "&tn_max_iter=20000&tn_m=400&tn_n=2000", "waits for Run")
    assert main(page).locator(".js-plotly-plot").count() == 0
    page.get_by_role("button", name="Run the grid").click()
    progress = main(page).locator("[data-testid='stProgress']")
    expect(progress).to_contain_text(re.compile(r"Running 2 cells… [1-9]\d*%"))
    main(page).get_by_role("button", name="Stop").click()
    expect(main(page)).to_contain_text("Stopped before the end")
    expect(progress).to_have_count(0)
    assert main(page).locator(".js-plotly-plot").count() == 0  # nothing half-done is drawn
    assert_no_exception(page)
