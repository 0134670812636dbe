"""Start-up of the ``leadflow`` process: the cyclic garbage collector tuned for a command.

A command imports pandas, SQLAlchemy, the store's models and the normalizers: about a million
objects that live as long as the process. With the default thresholds the collector walks them
again and again while they are created (about a seventh of a 10-row import's CPU time). So the
entry point raises the first threshold for the start-up, and :func:`after_imports` (called when
a command opens its store, its imports done) freezes what exists (later collections skip it) and
restores the default thresholds for the work itself, so memory stays bounded in long imports
(``dedupe``, which opens no store, calls it itself). A command that calls neither only collects
less often.
"""

from __future__ import annotations

import gc

START_UP_THRESHOLDS = (100_000, 50, 100)
_defaults: tuple[int, int, int] | None = None


def during_start_up() -> None:
    """Collect rarely until :func:`after_imports` (the process entry point calls this)."""
    global _defaults
    if _defaults is None:
        _defaults = gc.get_threshold()
        gc.set_threshold(*START_UP_THRESHOLDS)


def after_imports() -> None:
    """The start-up is over: keep its objects out of later collections, collect as usual."""
    global _defaults
    if _defaults is not None:
        gc.freeze()
        gc.set_threshold(*_defaults)
        _defaults = None
