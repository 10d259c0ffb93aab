"""The three Explore pages of the paper's experiments in Chromium, as a projector shows
them: at 1024x768 (and 1440x900) a chart lies fully inside the first screen; Recompute
shows live progress and Stop ends it. Screenshots are saved."""

import pytest

from .conftest import SHOTS, assert_no_exception, chart_data, expect, goto_page, main

pytestmark = pytest.mark.browser

# path, query (small settings: Recovery runs a small grid at once), title
PAGES = [("implicit_bias", "", "Implicit bias"), ("rates", "", "Rates"),
         ("recovery", "rec_cells=3&rec_trials=1&rec_budget=2000&rec_ptrials=1"
                      "&rec_methods=lawson_hanson,l1_min", "Recovery")]
# the first viewport: a chart whose box lies inside the window, without scrolling
IN_VIEW = """() => { window.scrollTo(0, 0);
  return [...document.querySelectorAll('.js-plotly-plot')].some(p => {
    const r = p.getBoundingClientRect();
    return r.height > 200 && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight
           && r.right <= window.innerWidth; }); }"""


@pytest.fixture(params=[(1024, 768), pytest.param((1440, 900), marks=pytest.mark.slow)],
                ids=["1024x768", "1440x900"])
def projector(browser, request):
    width, height = request.param
    ctx = browser.new_context(viewport={"width": width, "height": height})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.js_errors = errors
    pg.size = f"{width}x{height}"
    yield pg
    ctx.close()


@pytest.mark.parametrize(("path", "query", "title"), PAGES, ids=[p[0] for p in PAGES])
def test_a_chart_in_the_first_viewport(server, projector, path, query, title):
    pg = projector
    if path == "recovery":  # settings of its own per size: finished grids stay on the server
        query += f"&rec_n={20 if pg.size == '1024x768' else 30}"
    goto_page(pg, f"{server}/{path}?{query}", title, timeout=120_000)
    assert_no_exception(pg)
    chart_data(pg, 1, timeout=60_000)
    pg.wait_for_function(IN_VIEW, timeout=30_000)
    assert "NaN" not in main(pg).inner_text()
    pg.screenshot(path=str(SHOTS / f"paper_{path}_{pg.size}.png"))
    assert not pg.js_errors, pg.js_errors


def test_recompute_shows_progress_and_stops(server, page):
    goto_page(page, f"{server}/rates", "Rates", timeout=120_000)
    shipped = chart_data(page, 2, timeout=60_000)
    page.get_by_role("button", name="Recompute E3").click()
    bar = main(page).locator("[data-testid='stProgress']")
    expect(bar).to_contain_text("Recomputing E3", timeout=30_000)
    # live: the percentage moves past 0% while the engine runs
    page.wait_for_function(
        """() => { const t = document.querySelector("[data-testid='stProgress']");
                   const m = t && t.innerText.match(/([\\d.]+)%/);
                   return m && Number(m[1]) > 0; }""", timeout=60_000)
    main(page).get_by_role("button", name="Stop").click()  # interrupts the running script
    expect(main(page)).to_contain_text("Recomputing E3 was stopped", timeout=30_000)
    assert bar.count() == 0
    assert chart_data(page, 2, timeout=60_000) == shipped  # the shipped figures stay
    assert_no_exception(page)
