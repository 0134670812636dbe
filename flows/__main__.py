"""``python -m flows`` runs the leadflow command line."""

from flows.cli import app

app(prog_name="leadflow")
