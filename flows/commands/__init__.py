"""Command areas of the ``leadflow`` CLI, one module per area.

Each area module defines ``commands``, a ``typer.Typer`` whose commands (and command groups) it
declares with decorators; ``flows/cli.py`` lists the areas by name and adds each one to the app.
A new area is a new module here plus one line in that list. ``common`` (shared options, the
settings, error exits, the store a command works on) and ``model_view`` only hold helpers.
"""
