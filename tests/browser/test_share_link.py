"""Share a link on every page: change a control, copy the link from the "Copy link" popover, open it in a
fresh browser context (a new session, like a fresh browser) and see the same figures."""

from __future__ import annotations

import json
import re

import pytest

from .conftest import SHOTS, assert_no_exception, expect, main, rerun, wait_idle
from .conftest import chart_data as _charts
from .conftest import slider as _slider
from .conftest import slider_thumb_value as _shown
from .conftest import slider_value as _value

pytestmark = pytest.mark.browser


# page path, start settings (query), the slider to change (its label), the key to press,
# the value it then shows, the number of figures to wait for, and whether the page computes
# only when its "Run" button is pressed (the paper pages' own-problem mode)
CASES = [
    ("playground", "", "initialization α", "ArrowLeft", "5e-04", 1, False),
    ("gd_basics", "", "Angle β", "ArrowRight", "140", 1, False),
    ("why_reparametrize", "", "Step η", "ArrowRight", "0.1", 1, False),
    ("nmf", "", "iterations", "Home", "25", 1, False),
    # the paper's pages in their own-problem mode, on small settings to stay quick
    ("implicit_bias", "ib_src=custom&ib_n=30&ib_Ls=2&ib_alphas=0.01,0.1"
     "&ib_budget=5000", "Path iterations", "ArrowRight", "10000", 2, True),
    ("recovery", "rec_cells=3&rec_trials=1&rec_budget=2000&rec_ptrials=1",
     "Grid cells per axis", "ArrowRight", "4", 2, False),
    ("rates", "rt_src=custom&rt_gammas=0.0,0.5&rt_Ls=2&rt_iters=2000&rt_a_iters=2000",
     "Iterations (acceleration)", "ArrowRight", "5000", 2, True),
]


# the link code is the same on every page (ui.state); sharing a page in a real browser
# takes 20-35 s on two cores, so these run with the slow tests (on CI); every page's URL
# round trip is also checked with AppTest in the default run (tests/test_url_state*.py)
DEFAULT_RUN: tuple[str, ...] = ()


def _without_ghost(charts: str) -> str:
    """The charts' data without the Playground's ghost of the previous setting (it belongs
    to the session that made the change, not to the link)."""
    figs = [[t for t in fig if t.get("legendgroup") != "ghost"] for fig in json.loads(charts)]
    return json.dumps(figs, sort_keys=True)


def _press_run(pg) -> None:
    """Click the page's Run button and wait for the run it starts to finish."""
    with rerun(pg, timeout=120_000):
        main(pg).get_by_role("button", name="Run", exact=False).first.click()


@pytest.mark.parametrize("path, query, label, key, shown, n, needs_run", [
    c if c[0] in DEFAULT_RUN else pytest.param(*c, marks=pytest.mark.slow) for c in CASES],
    ids=[c[0] for c in CASES])
def test_copied_link_reproduces_the_figures(browser, server, page, path, query, label, key,
                                            shown, n, needs_run):
    page.goto(f"{server}/{path}" + (f"?{query}" if query else ""))
    if needs_run:
        expect(_slider(page, label)).to_be_visible(timeout=120_000)
        wait_idle(page)
        _press_run(page)
    start = _charts(page, n, timeout=120_000)  # waits for the page's run and its figures
    assert_no_exception(page)
    thumb = _slider(page, label).get_by_role("slider")
    # no rerun() here: a run that only says "press Run" can start and end within one
    # frame, and the page's state flag never shows it; what follows waits for its effect
    # (the new figures, or the run that Run starts)
    thumb.focus()
    thumb.press(key)
    expect(_shown(page, label)).to_have_text(shown)
    if needs_run:
        _press_run(page)
    original = _charts(page, n, differs_from=start, timeout=120_000)
    assert_no_exception(page)
    assert _value(page, label) == shown
    assert original != start, "changing the control must change a figure"

    page.get_by_role("button", name=re.compile(r"^(Copy link|Link)$")).first.click()
    code = page.locator("[data-testid='stPopoverBody'] [data-testid='stCode'] code")
    code.wait_for(timeout=10_000)
    link = "".join(code.inner_text().split())
    page.screenshot(path=str(SHOTS / f"share_{path}_popover.png"))
    assert link.startswith(f"{server}/{path}?"), link
    for setting in filter(None, query.split("&")):  # the start settings travel with the link
        assert setting.split("=")[0] + "=" in link, (setting, link)
    page.keyboard.press("Escape")

    ctx = browser.new_context(viewport={"width": 1280, "height": 800})  # a fresh session
    try:
        fresh = ctx.new_page()
        errors: list[str] = []
        fresh.on("pageerror", lambda e: errors.append(str(e)))
        fresh.goto(link)
        expect(_shown(fresh, label)).to_have_text(shown, timeout=120_000)
        # a finished run is kept on the server: the link shows it without pressing Run
        same = _without_ghost(original)
        ghost = same != _without_ghost(original.replace('"ghost"', '"-"'))  # a ghost drawn?
        # every chart the original page drew (not only the first n: the Playground draws
        # its tabs' charts before plotly has finished the big one at the top)
        drawn = sum(1 for fig in json.loads(original) if fig)
        reopened = _charts(fresh, max(n, drawn), equals=None if ghost else original,
                           timeout=120_000)
        wait_idle(fresh)
        assert_no_exception(fresh)
        assert _value(fresh, label) == shown
        assert _without_ghost(reopened) == same, "the link must reproduce the same figures"
        assert fresh.url == link  # the settings stay in the address bar
        fresh.screenshot(path=str(SHOTS / f"share_{path}_reopened.png"))
        assert not errors, errors
    finally:
        ctx.close()
    assert not page.js_errors, page.js_errors
