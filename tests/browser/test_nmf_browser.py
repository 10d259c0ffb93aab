"""The NMF page in real Chromium: deep link on a fresh server, change a control, screenshots."""

import pytest

from .conftest import (SHOTS, assert_no_exception, chart_data, expect, goto_page, main, rerun,
                       wait_idle)

pytestmark = pytest.mark.browser


def _full_shot(page, name):
    """Streamlit scrolls inside stMain: grow the viewport to its height, then shoot (once
    the four figures are drawn at that size)."""
    h = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], "
        "[data-testid=stAppViewContainer]')].map(e => e.scrollHeight))")
    page.set_viewport_size({"width": 1280, "height": min(int(h) + 50, 9000)})
    chart_data(page, 4)
    page.screenshot(path=str(SHOTS / name), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_nmf_page_opens_and_reacts(server, page):
    goto_page(page, f"{server}/nmf", "NMF: projected gradient")
    assert_no_exception(page)
    assert "NMF: projected gradient" in main(page).inner_text()
    default = chart_data(page, 4)
    assert page.locator(".js-plotly-plot").count() == 4
    assert "scikit-learn 'mu'" in main(page).inner_text() or page.locator(
        "[data-testid='stDataFrame']").count() == 1
    _full_shot(page, "nmf_default.png")

    # switch the data set via the selectbox (synthetic: cheap on a shared machine)
    with rerun(page):
        page.locator("[data-testid='stSelectbox']").filter(has_text="data").first.click()
        page.get_by_role("option", name="synthetic (60×80)").click()
    synthetic = chart_data(page, 4, differs_from=default)
    assert synthetic != default, "another data set must change the figures"
    assert_no_exception(page)
    assert page.locator(".js-plotly-plot").count() == 4
    # open the derivation panel (client-side) so the screenshot shows the live checks
    page.get_by_text("Derivation: the seed's steps").click()
    shapes = page.get_by_text("Here X is 60×80")
    expect(shapes).to_be_visible()
    expect(main(page)).to_contain_text("power iteration")
    assert "power iteration" in main(page).inner_text()
    assert "Here X is 60×80" in shapes.inner_text()
    _full_shot(page, "nmf_synthetic.png")

    # an uploaded regularizer: a bad file gives st.error (no traceback), a good one runs
    with rerun(page):
        page.locator("[data-testid='stSelectbox']").filter(has_text="regularizer M").first.click()
        page.get_by_role("option", name="upload M (CSV)").click()
    upload = page.locator("[data-testid='stFileUploader'] input[type='file']")
    upload.wait_for(state="attached")
    with rerun(page):
        upload.set_input_files({"name": "bad.csv", "mimeType": "text/csv",
                                "buffer": b"1,2,oops\n3,4,5\n"})
    bad = page.locator("[data-testid='stAlert']").filter(has_text="bad.csv")
    expect(bad).to_have_count(1)
    assert_no_exception(page)
    assert bad.count() == 1
    expect(main(page)).to_contain_text("M = none")
    good = "\n".join(",".join("1" if i == j else "0" for j in range(60)) for i in range(60))
    with rerun(page):
        upload.set_input_files({"name": "eye.csv", "mimeType": "text/csv",
                                "buffer": good.encode()})
    expect(main(page)).to_contain_text("M = 60×60")  # the uploaded M is used
    wait_idle(page)
    assert_no_exception(page)
    assert page.locator("[data-testid='stAlert']").filter(has_text="bad.csv").count() == 0
    assert page.locator("[data-testid='stAlert']").filter(has_text="eye.csv").count() == 0
    chart_data(page, 4)
    assert page.locator(".js-plotly-plot").count() == 4
    assert not page.js_errors, page.js_errors
