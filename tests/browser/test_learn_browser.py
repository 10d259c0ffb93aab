"""The two Learn pages in Chromium: open by URL, use a control, screenshot at 1280x800."""

import pytest

from .conftest import (SHOTS, assert_no_exception, chart_data, expect, goto_page, main,
                       runs_ended, wait_for_plot_data, wait_idle, watch_runs)

pytestmark = pytest.mark.browser


def test_gd_basics_page(server, page):
    goto_page(page, f"{server}/gd_basics", "Gradient descent basics")
    assert_no_exception(page)
    assert "Gradient descent basics" in main(page).inner_text()
    # formulas are typeset, and the plotly figures drew
    chart_data(page, 6)
    assert page.locator(".katex").count() >= 4
    assert page.locator(".js-plotly-plot").count() >= 6
    page.screenshot(path=str(SHOTS / "learn_gd_basics.png"))
    for i, name in ((1, "taylor"), (3, "surface"), (5, "fit")):
        plot = page.locator(".js-plotly-plot").nth(i)
        plot.scroll_into_view_if_needed()
        expect(plot).to_be_in_viewport()
        wait_for_plot_data(page, plot)
        page.screenshot(path=str(SHOTS / f"learn_gd_basics_{name}.png"))
    # too large a learning rate: choose eta = 8 on the select slider with the keyboard
    slider = page.get_by_role("slider").nth(2)
    slider.focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    alert = page.locator("[data-testid='stAlert']", has_text="is too large here")
    expect(alert).to_contain_text("η = 8.0 is too large here")
    wait_idle(page)
    assert_no_exception(page)
    assert "η = 8.0 is too large here" in alert.inner_text()
    alert.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "learn_gd_basics_large_eta.png"))
    assert not page.js_errors, page.js_errors


def test_why_reparametrize_page(server, page):
    goto_page(page, f"{server}/why_reparametrize", "Why reparametrize")
    assert_no_exception(page)
    assert "Why reparametrize" in main(page).inner_text()
    chart_data(page, 2)
    assert page.locator(".katex").count() >= 4
    page.screenshot(path=str(SHOTS / "learn_why_reparametrize_top.png"))
    # play / pause / step are client-side: press Play, wait for the animation to move the
    # slider label, pause, and check that no script run happened meanwhile
    plot = page.locator(".js-plotly-plot").first
    plot.scroll_into_view_if_needed()
    label = plot.locator("text.slider-label", has_text="iteration k =")
    before = label.text_content()
    watch_runs(page)
    plot.get_by_text("Play").click()
    expect(label).not_to_have_text(before)
    plot.get_by_text("Pause").click()
    after = label.text_content()
    assert after != before, (before, after)
    assert runs_ended(page) == 0, "Play must run client-side, without a script run"
    assert page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").count()
    page.screenshot(path=str(SHOTS / "learn_why_reparametrize.png"))
    second = page.locator(".js-plotly-plot").nth(1)
    second.scroll_into_view_if_needed()
    expect(second).to_be_in_viewport()
    wait_for_plot_data(page, second)
    page.screenshot(path=str(SHOTS / "learn_why_reparametrize_step.png"))
    # Pause interrupts plotly's animate() promise, which rejects with `undefined`
    assert not [e for e in page.js_errors if e != "undefined"], page.js_errors
