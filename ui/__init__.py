"""Streamlit-side helpers of the dashboard (figures are pure functions in ``ui.figures``).

Every figure uses plotly's "plotly_white" template, made plotly's default here once:
naming it in each figure's layout makes plotly validate the whole template again (about
60 ms per figure), while the default is applied without validation. Streamlit makes its
own template the default when it is imported, so it is imported first.

Once the libraries every page uses are imported, their objects (about a million: modules,
functions, classes) are moved out of the garbage collector's reach with ``gc.freeze()``:
they live as long as the server, and every full collection walked them all again (on a
server under load, most of its CPU went there).
"""

import gc

import numpy  # noqa: F401 - imported by every page: frozen below with the rest
import pandas  # noqa: F401
import plotly.graph_objects  # noqa: F401
import plotly.io as pio
import scipy.optimize  # noqa: F401
import streamlit  # noqa: F401 - sets its template as plotly's default on import

import nnls_core  # noqa: F401

pio.templates.default = "plotly_white"
gc.freeze()
