"""``python -m flows`` runs the leadflow command line."""

from flows.cli import main

main()
