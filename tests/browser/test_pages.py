"""Every page opens by its URL on a fresh server, with no exception; screenshots saved."""

import re

import pytest

from .conftest import SHOTS, assert_no_exception, expect, goto_page, main, streamlit_server

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
# the paper's pages are linked with small settings: the same code, a few cheap runs
QUERY = {
    "implicit_bias": "ib_alphas=0.01,0.1&ib_budget=5000",
    "recovery": "rec_cells=3&rec_trials=1&rec_budget=2000&rec_ptrials=1",
    "rates": "rt_gammas=0.0,0.5&rt_Ls=2&rt_iters=2000&rt_a_iters=2000",
}


# The default run opens the home page and one deep link (the entry script must run for a
# deep-linked page, see the README); the other pages, 20-35 s each with a fresh server on
# two cores, are marked slow. (Every browser module's first test also opens its page by URL
# on a fresh server of its own.)
DEFAULT_RUN = ("", "rates")


@pytest.mark.parametrize("path", [p if p in DEFAULT_RUN else pytest.param(p, marks=pytest.mark.slow)
                                  for p in PAGES])
def test_deep_link_on_fresh_server(browser, path):
    query = f"?{QUERY[path]}" if path in QUERY else ""
    with streamlit_server() as url:
        ctx = browser.new_context(viewport={"width": 1280, "height": 800})
        try:
            pg = ctx.new_page()
            goto_page(pg, f"{url}/{path}{query}", PAGES[path], timeout=120_000)
            assert_no_exception(pg)
            assert PAGES[path] in main(pg).inner_text()
            # the entry script ran (its set_page_config names the tab)
            expect(pg).to_have_title(re.compile("NNLS"))
            assert "NNLS" in pg.title()
            pg.screenshot(path=str(SHOTS / f"page_{path or 'home'}.png"), full_page=True)
        finally:
            ctx.close()
