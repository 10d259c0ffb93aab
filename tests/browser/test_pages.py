"""Every page opens by its URL on a fresh server, with no exception; screenshots saved."""

import pytest

from .conftest import SHOTS, assert_no_exception, streamlit_server, wait_idle

pytestmark = pytest.mark.browser

# url path -> text that must appear on the page
PAGES = {
    "": "Non-negative least squares by reparametrization",
    "playground": "NNLS Playground",
    "gd_basics": "Gradient descent basics",
    "why_reparametrize": "Why reparametrize",
    "nmf": "NMF: projected gradient, multiplicative rules and the Hadamard trick",
    "implicit_bias": "Implicit bias",
    "recovery": "Recovery",
    "rates": "Rates",
}


@pytest.mark.parametrize("path", list(PAGES))
def test_deep_link_on_fresh_server(browser, path):
    with streamlit_server() as url:
        ctx = browser.new_context(viewport={"width": 1280, "height": 800})
        pg = ctx.new_page()
        pg.goto(f"{url}/{path}")
        wait_idle(pg)
        assert_no_exception(pg)
        assert PAGES[path] in pg.inner_text("[data-testid='stMain']")
        # the entry script ran (its set_page_config names the tab)
        assert "NNLS" in pg.title()
        pg.screenshot(path=str(SHOTS / f"page_{path or 'home'}.png"), full_page=True)
        ctx.close()
