"""Suite-wide pytest configuration: the ``slow`` marker for tests in modules that mark
nothing themselves.

The default run (``python -m pytest``, see pyproject.toml) leaves out tests marked
``slow`` (longer than about 8 s on two cores); ``python -m pytest -m slow`` runs them and
``.ci/run`` runs both. Test modules mark their own slow tests with ``@pytest.mark.slow``;
the tests below (measured 6-80 s on the shared two-core machine) are marked here by node
id, a trailing ``*`` matching any parametrization. Measure again with
``python -m pytest -m "" --durations=50`` when the library's speed changes.
"""

from __future__ import annotations

import functools

import pytest
from threadpoolctl import threadpool_limits

# Two pytest workers (and the browser tests' servers) share two cores: one BLAS thread
# each. The library takes every thread for products of 2M multiply-adds and more, and the
# workers' threads would spin-wait for each other's cores (the suite ran 12% longer and a
# browser test timed out).
threadpool_limits(1, user_api="blas")

SLOW = (
    # a 2**17-iteration run and a run with a large history: the log's byte bounds (20-80 s)
    "tests/test_core_history.py::test_objective_log_is_thinned_past_its_budget",
    "tests/test_core_history.py::test_history_memory_is_bounded_on_a_long_run",
    # a fresh interpreter importing the whole library and the app's figures
    "tests/test_export.py::test_snippet_runs_as_a_standalone_script",
    # the digits data set with every NMF method and the smooth-columns regularizer
    "tests/test_nmf_page.py::test_digits_with_regularizer_every_method[first differences*",
    # the Playground's default run several times over
    "tests/test_playground.py::test_url_settings_are_applied_and_published",
    "tests/test_playground.py::test_every_generator[Correlated columns]",
    # browser tests that repeat a path another default-run browser test already drives
    # (12-35 s each on two cores): the default run keeps one real-Chromium check per page
    # and per mechanism (first viewport, client-side scrubbing, Play, share link, Run/Stop)
    "tests/browser/test_learn_browser.py::test_gd_basics_page",
    "tests/browser/test_learn_browser.py::test_chart_in_first_projector_viewport[gd_basics*",
    "tests/browser/test_learn_browser.py::test_nothing_fetched_from_other_hosts",
    "tests/browser/test_playground_browser.py::test_diverging_preset_is_red_explained_and_a_safe_step_converges",
    "tests/browser/test_playground_browser.py::test_a_long_run_streams_and_stop_cancels_it",
    "tests/browser/test_playground_browser.py::test_first_screen_shows_solution_loss_and_alpha_together[1440-900]",
    "tests/browser/test_playground_browser.py::test_play_reveals_the_trajectories_client_side",
    # Why reparametrize is drawn (and played) by test_why_reparametrize_play_keeps_contours
    "tests/browser/test_learn_browser.py::test_chart_in_first_projector_viewport[why_reparametrize*",
    # the paper pages' 1024x768 viewport: Implicit bias and Recovery stay in the default run
    "tests/browser/test_paper_browser.py::test_a_chart_in_the_first_viewport[1024x768-rates]",
    "tests/browser/test_nmf_browser.py::test_nmf_page_opens_and_reacts",
    "tests/browser/test_nmf_browser.py::test_verdict_and_a_chart_in_the_first_viewport[size1]",
    "tests/browser/test_paper_browser.py::test_recompute_shows_progress_and_stops",
    # Home's first viewport is also checked by test_pages.py's deep link to "/"
    "tests/browser/test_learn_browser.py::test_chart_in_first_projector_viewport[-Non-negative*",
)


def _is_slow(nodeid: str) -> bool:
    return any(nodeid.startswith(s[:-1]) if s.endswith("*") else nodeid == s for s in SLOW)


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config, items):
    for item in items:
        if _is_slow(item.nodeid):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True, scope="session")
def _scan_component_manifests_once():
    """Every ``AppTest.run`` rescans all installed distributions for Streamlit component
    manifests (about 0.9 s, reading ~500 metadata files); the answer cannot change within
    a test session, so the first scan is reused."""
    try:
        from streamlit.components.v2 import manifest_scanner
    except ImportError:  # a Streamlit without v2 components scans nothing
        yield
        return
    original = manifest_scanner.scan_component_manifests
    manifest_scanner.scan_component_manifests = functools.cache(original)
    yield
    manifest_scanner.scan_component_manifests = original
