"""The NMF page in real Chromium: deep link on a fresh server, change a control, screenshots."""

import pytest

from .conftest import SHOTS, assert_no_exception, wait_idle

pytestmark = pytest.mark.browser


def _full_shot(page, name):
    """Streamlit scrolls inside stMain: grow the viewport to its height, then shoot."""
    h = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], "
        "[data-testid=stAppViewContainer]')].map(e => e.scrollHeight))")
    page.set_viewport_size({"width": 1280, "height": min(int(h) + 50, 9000)})
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / name), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_nmf_page_opens_and_reacts(server, page):
    page.goto(f"{server}/nmf")
    wait_idle(page)
    assert_no_exception(page)
    main = page.locator("[data-testid='stMain']")
    assert "NMF: projected gradient" in main.inner_text()
    page.wait_for_selector(".js-plotly-plot", timeout=30_000)
    assert page.locator(".js-plotly-plot").count() == 4
    assert "scikit-learn 'mu'" in main.inner_text() or page.locator(
        "[data-testid='stDataFrame']").count() == 1
    _full_shot(page, "nmf_default.png")

    # switch the data set via the selectbox (synthetic: cheap on a shared machine)
    page.locator("[data-testid='stSelectbox']").filter(has_text="data").first.click()
    page.get_by_role("option", name="synthetic (60×80)").click()
    wait_idle(page)
    assert_no_exception(page)
    assert page.locator(".js-plotly-plot").count() == 4
    # open the derivation panel so the screenshot shows the live checks
    page.get_by_text("Derivation: the seed's steps").click()
    page.wait_for_timeout(500)
    wait_idle(page)
    assert "power iteration" in main.inner_text()
    assert "60×80" in main.inner_text()
    _full_shot(page, "nmf_synthetic.png")

    # an uploaded regularizer: a bad file gives st.error (no traceback), a good one runs
    page.locator("[data-testid='stSelectbox']").filter(has_text="regularizer M").first.click()
    page.get_by_role("option", name="upload M (CSV)").click()
    wait_idle(page)
    upload = page.locator("[data-testid='stFileUploader'] input[type='file']")
    upload.set_input_files({"name": "bad.csv", "mimeType": "text/csv",
                            "buffer": b"1,2,oops\n3,4,5\n"})
    wait_idle(page)
    assert_no_exception(page)
    assert page.locator("[data-testid='stAlert']").filter(has_text="bad.csv").count() == 1
    good = "\n".join(",".join("1" if i == j else "0" for j in range(60)) for i in range(60))
    upload.set_input_files({"name": "eye.csv", "mimeType": "text/csv",
                            "buffer": good.encode()})
    wait_idle(page)
    assert_no_exception(page)
    assert page.locator("[data-testid='stAlert']").filter(has_text="eye.csv").count() == 0
    assert page.locator(".js-plotly-plot").count() == 4
    assert not page.js_errors, page.js_errors
