"""Streamlit-side helpers of the dashboard (figures are pure functions in ``ui.figures``)."""
