"""Command groups of the ``leadflow`` CLI, one module per area.

Each module here defines ``register(app: typer.Typer) -> None`` that adds its commands; the CLI
calls every module's ``register`` at start-up, so a new area never edits ``flows/cli.py``.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer


def register_all(app: typer.Typer) -> None:
    """Add the commands of every module in this package to ``app`` (in module-name order)."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        module.register(app)
