"""The three Explore pages of the paper's experiments in Chromium: open by URL on a fresh
server, click a preset, screenshot at 1280x800."""

import pytest

from .conftest import (SHOTS, assert_no_exception, chart_data, goto_page, main, rerun,
                       wait_for_plot_data)

pytestmark = pytest.mark.browser

# the page opens on small settings (a link's query); the preset then runs its own sizes:
# the recovery and rates presets run the paper's sizes (10-20 s of numerics), marked slow
CASES = [
    ("implicit_bias", "ib_alphas=0.01,0.1&ib_budget=5000", "Implicit bias",
     "E1, plain GD (fixed step)", 3),
    pytest.param("recovery", "rec_cells=3&rec_trials=1&rec_budget=2000&rec_ptrials=1",
                 "Recovery", "Quick grid", 2, marks=pytest.mark.slow),
    pytest.param("rates", "rt_gammas=0.0,0.5&rt_Ls=2&rt_iters=2000&rt_a_iters=2000", "Rates",
                 "E4: acceleration", 2, marks=pytest.mark.slow),
]


@pytest.mark.parametrize(("path", "query", "title", "preset", "n_plots"), CASES,
                         ids=["implicit_bias", "recovery", "rates"])
def test_paper_page(server, page, path, query, title, preset, n_plots):
    goto_page(page, f"{server}/{path}?{query}", title, timeout=120_000)
    assert_no_exception(page)
    assert title in main(page).inner_text()
    linked = chart_data(page, n_plots, timeout=120_000)  # the linked settings' figures
    with rerun(page, timeout=120_000):
        page.get_by_role("button", name=preset).click()
    preset_figures = chart_data(page, n_plots, differs_from=linked, timeout=120_000)
    assert preset_figures != linked, "the preset must change the figures"
    assert_no_exception(page)
    assert page.locator(".js-plotly-plot").count() >= n_plots
    assert "NaN" not in main(page).inner_text()
    page.screenshot(path=str(SHOTS / f"paper_{path}.png"))
    for i in range(1, n_plots):
        plot = page.locator(".js-plotly-plot").nth(i)
        plot.scroll_into_view_if_needed()
        wait_for_plot_data(page, plot)
        page.screenshot(path=str(SHOTS / f"paper_{path}_{i}.png"))
    assert not page.js_errors, page.js_errors
