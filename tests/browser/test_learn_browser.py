"""Home and the two Learn pages in Chromium: a chart in the first viewport of a 1024x768
projector, controls that work, and the contour animation of "Why reparametrize"."""

import re

import pytest

from .conftest import (SHOTS, assert_no_exception, chart_data, expect, goto_page, main,
                       runs_ended, wait_for_plot_data, wait_idle, watch_runs)
from .test_pages import assert_chart_in_first_viewport

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1024, "height": 768}


@pytest.fixture
def projector(browser):
    """A page in a 1024x768 window, collecting JavaScript errors."""
    ctx = browser.new_context(viewport=PROJECTOR)
    pg = ctx.new_page()
    pg.js_errors = []
    pg.on("pageerror", lambda e: pg.js_errors.append(str(e)))
    yield pg
    ctx.close()


@pytest.mark.parametrize("path,title", [
    ("", "Non-negative least squares by reparametrization"),
    ("gd_basics", "Gradient descent basics"),
    ("why_reparametrize", "Why reparametrize"),
])
def test_chart_in_first_projector_viewport(server, projector, path, title):
    goto_page(projector, f"{server}/{path}", title)
    assert_no_exception(projector)
    try:
        assert_chart_in_first_viewport(projector)
    finally:
        projector.screenshot(path=str(SHOTS / f"learn_{path or 'home'}_1024.png"))
    assert not projector.js_errors, projector.js_errors


def test_gd_basics_page(server, page):
    goto_page(page, f"{server}/gd_basics", "Gradient descent basics")
    assert_no_exception(page)
    # the plotly figures drew; the formulas are typeset inside the expanders
    chart_data(page, 6)
    assert page.locator(".js-plotly-plot").count() == 6
    main(page).get_by_text("The formula, and how to read").click()
    expect(page.locator(".katex").first).to_be_visible()
    page.screenshot(path=str(SHOTS / "learn_gd_basics.png"))
    # too large a learning rate: choose eta = 8 on the select slider with the keyboard
    slider = page.get_by_role("slider").nth(2)
    slider.focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    alert = page.locator("[data-testid='stAlert']", has_text="is too large here")
    expect(alert).to_contain_text("η = 8.0 is too large here")
    wait_idle(page)
    assert_no_exception(page)
    alert.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "learn_gd_basics_large_eta.png"))
    assert not page.js_errors, page.js_errors


# the state of the first figure: its slider label, the contour pictures drawn behind the
# plots, and the number of points of the first animated (path) trace
_PATHS_STATE = """p => {
  const label = p.querySelector('text.slider-label');
  const first = p.layout.meta.animated[0];
  return {label: label ? label.textContent : null,
          contours: [...p.querySelectorAll('image')].filter(
              i => (i.getAttribute('href') || '').startsWith('data:image/png')).length,
          points: p._fullData[first].x.length};
}"""


def test_why_reparametrize_play_keeps_contours(server, projector):
    page = projector
    goto_page(page, f"{server}/why_reparametrize", "Why reparametrize")
    assert_no_exception(page)
    plot = page.locator(".js-plotly-plot").first
    wait_for_plot_data(page, plot)
    start = plot.evaluate(_PATHS_STATE)
    assert start["contours"] == 2 and start["label"] == "iteration k = 300", start
    # Play and the slider sit above the plots
    play = plot.get_by_text("Play")
    plot_top = plot.locator(".cartesianlayer").bounding_box()["y"]
    assert play.bounding_box()["y"] + play.bounding_box()["height"] <= plot_top
    watch_runs(page)
    play.click()
    # a later frame of the replay: the path is drawn up to k (fewer points than the run)
    page.wait_for_function(
        """p => { const s = (""" + _PATHS_STATE + """)(p);
                  const k = parseInt((s.label || '').split('= ')[1]);
                  return k >= 50 && k < 300; }""", arg=plot.element_handle())
    mid = plot.evaluate(_PATHS_STATE)
    assert mid["contours"] == start["contours"], (start, mid)
    assert 1 < mid["points"] < start["points"], (start, mid)
    page.screenshot(path=str(SHOTS / "learn_why_reparametrize_playing.png"))
    plot.get_by_text("Pause").click()
    assert runs_ended(page) == 0, "Play must run client-side, without a script run"
    assert page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").count()
    # Pause interrupts plotly's animate() promise, which rejects with `undefined`
    assert not [e for e in page.js_errors if e != "undefined"], page.js_errors


def test_nothing_fetched_from_other_hosts(server, projector):
    """An offline classroom sees the same app: the tab icon ships in assets/, the menu's
    icons come from Streamlit's bundled font."""
    requests: list[str] = []
    projector.on("request", lambda r: requests.append(r.url))
    goto_page(projector, server, "Non-negative least squares by reparametrization")
    chart_data(projector, 1)
    icon = projector.locator("link[rel='shortcut icon'], link[rel='icon']").first
    expect(icon).to_have_attribute("href", re.compile(r"^(/|http://127\.0\.0\.1|data:)"))
    outside = [u for u in requests if not u.startswith((server, "data:", "blob:"))]
    assert not outside, outside
