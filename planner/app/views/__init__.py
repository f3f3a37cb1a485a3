"""The app's five views, one module each; every view takes the same arguments (planner.app.views.common)
and draws below the verdict strip."""
