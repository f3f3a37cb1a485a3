"""The Streamlit app. ``main.py`` is the page (a frame: model, reserves, input, the verdict strip, the view
control); ``views/`` holds one module per view; ``charts.py`` every chart; ``state.py`` and ``urlstate.py``
the settings kept in the URL; ``resources.py`` what is cached; ``verdict.py`` the one answer at the top.
``tables.py``, ``links.py``, ``examples.py``, ``filters.py`` and ``uploads.py`` lay out the core's answers and
import no Streamlit. Nothing in the core imports this package."""
