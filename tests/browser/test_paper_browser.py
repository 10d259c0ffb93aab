"""The three Explore pages of the paper's experiments in Chromium: open by URL on a fresh
server, click a preset, screenshot at 1280x800."""

import pytest

from .conftest import SHOTS, assert_no_exception, wait_idle

pytestmark = pytest.mark.browser

CASES = [
    ("implicit_bias", "Implicit bias", "E1 (paper)", 3),
    ("recovery", "Recovery", "Quick grid", 2),
    ("rates", "Rates", "E4: acceleration", 2),
]


@pytest.mark.parametrize(("path", "title", "preset", "n_plots"), CASES)
def test_paper_page(server, page, path, title, preset, n_plots):
    page.goto(f"{server}/{path}")
    wait_idle(page, timeout=120_000)
    assert_no_exception(page)
    main = page.locator("[data-testid='stMain']")
    assert title in main.inner_text()
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    page.get_by_role("button", name=preset).click()
    wait_idle(page, timeout=120_000)
    assert_no_exception(page)
    assert page.locator(".js-plotly-plot").count() >= n_plots
    assert "NaN" not in main.inner_text()
    page.screenshot(path=str(SHOTS / f"paper_{path}.png"))
    for i in range(1, n_plots):
        page.locator(".js-plotly-plot").nth(i).scroll_into_view_if_needed()
        page.wait_for_timeout(400)
        page.screenshot(path=str(SHOTS / f"paper_{path}_{i}.png"))
    assert not page.js_errors, page.js_errors
