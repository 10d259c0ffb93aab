"""The two Learn pages in Chromium: open by URL, use a control, screenshot at 1280x800."""

import pytest

from .conftest import SHOTS, assert_no_exception, wait_idle

pytestmark = pytest.mark.browser


def test_gd_basics_page(server, page):
    page.goto(f"{server}/gd_basics")
    wait_idle(page)
    assert_no_exception(page)
    main = page.locator("[data-testid='stMain']")
    assert "Gradient descent basics" in main.inner_text()
    # formulas are typeset, and the plotly figures drew
    assert page.locator(".katex").count() >= 4
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=20_000)
    assert page.locator(".js-plotly-plot").count() >= 6
    page.screenshot(path=str(SHOTS / "learn_gd_basics.png"))
    for i, name in ((1, "taylor"), (3, "surface"), (5, "fit")):
        page.locator(".js-plotly-plot").nth(i).scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        page.screenshot(path=str(SHOTS / f"learn_gd_basics_{name}.png"))
    # too large a learning rate: choose eta = 8 on the select slider with the keyboard
    slider = page.get_by_role("slider").nth(2)
    slider.focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    wait_idle(page)
    assert_no_exception(page)
    assert "too large" in main.inner_text()
    page.locator("[data-testid='stAlert']").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "learn_gd_basics_large_eta.png"))
    assert not page.js_errors, page.js_errors


def test_why_reparametrize_page(server, page):
    page.goto(f"{server}/why_reparametrize")
    wait_idle(page)
    assert_no_exception(page)
    main = page.locator("[data-testid='stMain']")
    assert "Why reparametrize" in main.inner_text()
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=20_000)
    assert page.locator(".katex").count() >= 4
    page.screenshot(path=str(SHOTS / "learn_why_reparametrize_top.png"))
    # play / pause / step are client-side: press Play, then drag nothing and check the
    # slider label changed without a rerun of the script
    plot = page.locator(".js-plotly-plot").first
    plot.scroll_into_view_if_needed()
    label = plot.locator("text.slider-label", has_text="iteration k =")
    before = label.text_content()
    plot.get_by_text("Play").click()
    page.wait_for_timeout(1200)
    plot.get_by_text("Pause").click()
    after = label.text_content()
    assert after != before, (before, after)
    assert page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").count()
    page.screenshot(path=str(SHOTS / "learn_why_reparametrize.png"))
    page.locator(".js-plotly-plot").nth(1).scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / "learn_why_reparametrize_step.png"))
    # Pause interrupts plotly's animate() promise, which rejects with `undefined`
    assert not [e for e in page.js_errors if e != "undefined"], page.js_errors
