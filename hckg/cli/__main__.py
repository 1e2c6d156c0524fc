"""`python -m hckg.cli`: the same as the `hckg` console script."""

from .app import main

main()
