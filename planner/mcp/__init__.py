"""`planner mcp`: a Model Context Protocol server (a presenter, like the CLI and the app) whose tools return
the CLI's `--json` documents, built by the same functions (planner.cli.*_answer)."""
