"""`streamlit run app.py`: the app ships inside the package (planner/app/main.py; `planner app` runs it)."""

from planner.app.main import main

main()
