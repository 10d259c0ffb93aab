"""Every page opens by its URL on a fresh server, with no exception, and shows at least one
chart fully inside the first viewport at a 1024x768 projector and at 1440x900."""

import re

import pytest

from .conftest import SHOTS, assert_no_exception, expect, goto_page, main, streamlit_server

pytestmark = pytest.mark.browser

# url path -> text that must appear on the page
PAGES = {
    "": "Non-negative least squares by reparametrization",
    "playground": "NNLS Playground",
    "tune": "Tune before you code",
    "gd_basics": "Gradient descent basics",
    "why_reparametrize": "Why reparametrize",
    "nmf": "NMF: projected gradient, multiplicative rules and the Hadamard trick",
    "implicit_bias": "Implicit bias",
    "recovery": "Recovery",
    "rates": "Rates",
}
# the paper's pages are linked with small settings: the same code, a few cheap runs
QUERY = {
    "implicit_bias": "ib_alphas=0.01,0.1&ib_budget=5000",
    "recovery": "rec_cells=3&rec_trials=1&rec_budget=2000&rec_ptrials=1",
    "rates": "rt_gammas=0.0,0.5&rt_Ls=2&rt_iters=2000&rt_a_iters=2000",
}
SIZES = ((1024, 768), (1440, 900))

# true once a drawn plotly chart lies entirely inside the viewport (no scrolling)
CHART_IN_VIEW = """() => [...document.querySelectorAll('.js-plotly-plot')].some(p => {
  if (!(p.data && p.data.length && p.querySelector('.main-svg'))) return false;
  const r = p.getBoundingClientRect();
  return r.height > 100 && r.top >= 0 && r.left >= 0 &&
         r.bottom <= window.innerHeight && r.right <= window.innerWidth;
})"""


def chart_boxes(pg) -> list:
    """The (top, bottom) of every plotly chart, for the failure message."""
    return pg.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].map(p => {
        const r = p.getBoundingClientRect(); return [Math.round(r.top), Math.round(r.bottom)];
    })""")


def assert_chart_in_first_viewport(pg, timeout: float = 60_000) -> None:
    """Wait (charts draw asynchronously) until a chart is fully visible without scrolling;
    fail with the charts' positions if none ever is."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    assert pg.evaluate("() => window.scrollY") == 0
    try:
        pg.wait_for_function(CHART_IN_VIEW, polling=250, timeout=timeout)
    except PlaywrightTimeout:
        size = pg.viewport_size
        pytest.fail(f"no chart fully inside the first {size['width']}x{size['height']} "
                    f"viewport; charts at (top, bottom) = {chart_boxes(pg)}")


# A fresh server per page costs 20-35 s on two cores, so these run with the slow tests (on
# CI); in the default run every browser module's first test already opens its page by URL
# on a fresh server of its own (the entry script must run for a deep-linked page).
DEFAULT_RUN: tuple[str, ...] = ()


@pytest.mark.parametrize("path", [p if p in DEFAULT_RUN else pytest.param(p, marks=pytest.mark.slow)
                                  for p in PAGES])
def test_deep_link_on_fresh_server(browser, path):
    query = f"?{QUERY[path]}" if path in QUERY else ""
    with streamlit_server() as url:
        for width, height in SIZES:
            ctx = browser.new_context(viewport={"width": width, "height": height})
            try:
                pg = ctx.new_page()
                goto_page(pg, f"{url}/{path}{query}", PAGES[path], timeout=120_000)
                assert_no_exception(pg)
                assert PAGES[path] in main(pg).inner_text()
                # the entry script ran (its set_page_config names the tab)
                expect(pg).to_have_title(re.compile("NNLS"))
                assert "NNLS" in pg.title()
                shot = SHOTS / f"page_{path or 'home'}_{width}.png"
                try:
                    assert_chart_in_first_viewport(pg)
                finally:
                    pg.screenshot(path=str(shot))
            finally:
                ctx.close()
