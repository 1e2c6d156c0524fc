"""The `hckg` command line: the typer app (app), the pubs commands (pubs), printing and the error wrapper (render)."""
