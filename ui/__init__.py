"""Streamlit-side helpers of the dashboard (figures are pure functions in ``ui.figures``).

Every figure uses plotly's "plotly_white" template, made plotly's default here once:
naming it in each figure's layout makes plotly validate the whole template again (about
60 ms per figure), while the default is applied without validation. Streamlit makes its
own template the default when it is imported, so it is imported first.
"""

import plotly.io as pio
import streamlit  # noqa: F401 - sets its template as plotly's default on import

pio.templates.default = "plotly_white"
