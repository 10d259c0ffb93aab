"""The NMF page in real Chromium: deep link on a fresh server, the verdict and a chart in
the first viewport at projector size, controls that react, uploads, screenshots."""

from pathlib import Path

import pytest

from .conftest import (SHOTS, assert_no_exception, chart_data, choose, expect, goto_page, main,
                       rerun, wait_idle)

pytestmark = pytest.mark.browser

TITLE = "NMF: projected gradient"
#: This page's runs compute every method in the server's own script run (not in a
#: worker), so under the slow suite's load a rerun may take longer than elsewhere.
RUN_MS = 120_000
#: screenshots of this page at both sizes, for review
SHOTS_F = Path("/tmp/shots_F")


def _full_shot(page, path):
    """Streamlit scrolls inside stMain: grow the viewport to its height, then shoot (once
    the four figures are drawn at that size); the viewport is restored after."""
    size = page.viewport_size
    h = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], "
        "[data-testid=stAppViewContainer]')].map(e => e.scrollHeight))")
    page.set_viewport_size({"width": size["width"], "height": min(int(h) + 50, 9000)})
    chart_data(page, 4)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    chart_data(page, 4)  # redrawn at the restored size before the next interaction
    wait_idle(page)


@pytest.mark.parametrize("size", [(1024, 768), (1440, 900)])
def test_verdict_and_a_chart_in_the_first_viewport(server, browser, size):
    w, h = size
    ctx = browser.new_context(viewport={"width": w, "height": h})
    page = ctx.new_page()
    try:
        goto_page(page, f"{server}/nmf", TITLE)
        chart_data(page, 4)
        assert_no_exception(page)
        verdict = main(page).get_by_text("In this run:")
        expect(verdict).to_be_visible()
        box = verdict.bounding_box()
        assert box and box["y"] + box["height"] <= h / 2, box  # at the top
        plot = page.locator(".js-plotly-plot").first
        b = plot.bounding_box()
        assert b and b["y"] >= 0 and b["y"] + b["height"] <= h, (b, size)
        assert b["x"] >= 0 and b["x"] + b["width"] <= w
        SHOTS_F.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS_F / f"nmf_{w}x{h}.png"))
        _full_shot(page, SHOTS_F / f"nmf_{w}x{h}_full.png")
    finally:
        ctx.close()


def test_nmf_page_opens_and_reacts(server, page):
    goto_page(page, f"{server}/nmf", TITLE)
    assert_no_exception(page)
    default = chart_data(page, 4)
    assert page.locator(".js-plotly-plot").count() == 4
    assert page.locator("[data-testid='stDataFrame']").count() == 1
    _full_shot(page, SHOTS / "nmf_default.png")

    # rank 4 instead of 5: the figures change
    thumb = page.locator("[data-testid='stSlider']", has_text="rank r").get_by_role("slider")
    try:
        with rerun(page, timeout=20_000):
            thumb.focus()
            thumb.press("ArrowLeft")
    except AssertionError as exc:  # twice on CI (slow suite): the slider showed 4, no run
        assert "'runsEnded': 0, 'scriptState': 'notRunning'" in str(exc), exc
        with rerun(page, timeout=RUN_MS):  # the key press's value was never sent: again
            thumb.focus()
            thumb.press("ArrowRight")
            thumb.press("ArrowLeft")
    expect(thumb).to_have_value("4")
    changed = chart_data(page, 4, differs_from=default)
    assert changed != default, "another rank must change the figures"
    assert_no_exception(page)
    # open the derivation panel (client-side) so the screenshot shows the live checks
    page.get_by_text("Derivation: the tutorial's steps").click()
    shapes = page.get_by_text("Here X is 60×80")
    expect(shapes).to_be_visible()
    expect(main(page)).to_contain_text("power iteration")

    # an uploaded regularizer: a bad file gives st.error (no traceback), a good one runs
    page.get_by_text("More settings").click()
    with rerun(page, timeout=RUN_MS):
        choose(page, "regularizer M", "upload M (CSV)")
    upload = page.locator("[data-testid='stFileUploader'] input[type='file']")
    upload.wait_for(state="attached")
    with rerun(page, timeout=RUN_MS):
        upload.set_input_files({"name": "bad.csv", "mimeType": "text/csv",
                                "buffer": b"1,2,oops\n3,4,5\n"})
    bad = page.locator("[data-testid='stAlert']").filter(has_text="bad.csv")
    expect(bad).to_have_count(1)
    assert_no_exception(page)
    expect(main(page)).to_contain_text("M = none")
    good = "\n".join(",".join("1" if i == j else "0" for j in range(60)) for i in range(60))
    with rerun(page, timeout=RUN_MS):
        upload.set_input_files({"name": "eye.csv", "mimeType": "text/csv",
                                "buffer": good.encode()})
    expect(main(page)).to_contain_text("M = 60×60")  # the uploaded M is used
    wait_idle(page)
    assert_no_exception(page)
    assert page.locator("[data-testid='stAlert']").filter(has_text="bad.csv").count() == 0
    chart_data(page, 4)
    assert page.locator(".js-plotly-plot").count() == 4
    assert not page.js_errors, page.js_errors
