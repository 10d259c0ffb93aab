"""Share a link: change a control, copy the link from the "Copy link" popover, open it in a
fresh browser context (a new session, like a fresh browser) and see the same figures."""

from __future__ import annotations

import pytest

from .conftest import SHOTS, assert_no_exception, wait_idle
from .conftest import chart_data as _charts
from .conftest import slider as _slider
from .conftest import slider_value as _value

pytestmark = pytest.mark.browser


# page path, the slider to change (its label), the key to press, the value it then shows
CASES = [
    ("playground", "initialization α", "ArrowLeft", "5e-04"),
    ("gd_basics", "Angle β", "ArrowRight", "140"),
    ("why_reparametrize", "Step η", "ArrowRight", "0.1"),
    ("nmf", "iterations", "Home", "25"),
]








@pytest.mark.parametrize("path, label, key, shown", CASES, ids=[c[0] for c in CASES])
def test_copied_link_reproduces_the_figures(browser, server, page, path, label, key, shown):
    page.goto(f"{server}/{path}")
    wait_idle(page)
    assert_no_exception(page)
    default = _charts(page)
    thumb = _slider(page, label).get_by_role("slider")
    thumb.focus()
    thumb.press(key)
    page.wait_for_timeout(500)
    wait_idle(page)
    assert_no_exception(page)
    assert _value(page, label) == shown
    original = _charts(page)
    assert original != default, "changing the control must change a figure"

    page.locator("[data-testid='stPopover'] button", has_text="Copy link").click()
    code = page.locator("[data-testid='stPopoverBody'] [data-testid='stCode'] code")
    code.wait_for(timeout=10_000)
    link = "".join(code.inner_text().split())
    page.screenshot(path=str(SHOTS / f"share_{path}_popover.png"))
    assert link.startswith(f"{server}/{path}?"), link
    page.keyboard.press("Escape")

    ctx = browser.new_context(viewport={"width": 1280, "height": 800})  # a fresh session
    try:
        fresh = ctx.new_page()
        errors: list[str] = []
        fresh.on("pageerror", lambda e: errors.append(str(e)))
        fresh.goto(link)
        wait_idle(fresh)
        assert_no_exception(fresh)
        assert _value(fresh, label) == shown
        assert _charts(fresh) == original, "the link must reproduce the same figures"
        assert fresh.url == link  # the settings stay in the address bar
        fresh.screenshot(path=str(SHOTS / f"share_{path}_reopened.png"))
        assert not errors, errors
    finally:
        ctx.close()
    assert not page.js_errors, page.js_errors
