"""The Streamlit app's helpers (``app.py`` is the page script): example inputs, uploads, URL state, compare
filters, and the tables and chart data laid out from the advice core's rows. Nothing here imports Streamlit,
and nothing in the core imports this package."""
