"""A private spool for raw rows handed between orchestrated import tasks.

The spool holds raw rows (personal data) in clear, so it lives beside the store (the SQLite
file's folder, or the configured ``spool_dir``, or the user's cache folder for a server store),
never in a shared temporary folder: a ``0700`` folder named ``.leadflow-spool-<pid>-<random>`` of
``0600`` files, removed when the import ends. A spool left behind by a killed import (its process is
gone) is removed by the next import that opens a spool there, and by erasure
(:func:`remove_stale_spools`). The in-process import path needs no spool at all.
"""

from __future__ import annotations

import os
import pickle
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

PREFIX = ".leadflow-spool-"


def spool_base(url: str, spool_dir: str | Path | None = None) -> Path:
    """Where spools of the store at ``url`` live (created ``0700`` when missing): ``spool_dir``
    (``Settings.spool_dir``) when given."""
    if spool_dir:
        base = Path(spool_dir)
    else:
        parsed = make_url(url)
        database = parsed.database if parsed.get_backend_name() == "sqlite" else None
        if database and database != ":memory:":
            base = Path(database).resolve().parent
        else:
            base = Path.home() / ".cache" / "leadflow"
    base.mkdir(mode=0o700, parents=True, exist_ok=True)
    return base


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def remove_stale_spools(base: Path) -> int:
    """Remove the spools in ``base`` whose import process is gone; how many were removed."""
    removed = 0
    if not base.is_dir():
        return 0
    for folder in base.glob(f"{PREFIX}*"):
        pid_text = folder.name[len(PREFIX) :].split("-", 1)[0]
        stale = pid_text.isdigit() and not _alive(int(pid_text))
        if stale and folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


class Spool:
    """One import's private spool folder."""

    def __init__(self, folder: Path):
        self.folder = folder

    @classmethod
    @contextmanager
    def open(cls, url: str, spool_dir: str | Path | None = None) -> Iterator[Spool]:
        """A fresh spool for one import (stale ones in the same place are removed first)."""
        base = spool_base(url, spool_dir)
        remove_stale_spools(base)
        folder = base / f"{PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
        folder.mkdir(mode=0o700)
        try:
            yield cls(folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def write(self, name: str, value: Any) -> str:
        """Pickle ``value`` to a new ``0600`` file of the spool; its path."""
        return Spool.write_beside(str(self.folder / name), name, value)

    @staticmethod
    def write_beside(path: str, name: str, value: Any) -> str:
        """Pickle ``value`` to ``name`` in the folder of ``path`` (readable by the owner only)."""
        target = Path(path).with_name(name)
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        return str(target)

    @staticmethod
    def read(path: str) -> Any:
        """Unpickle a spool file this import wrote."""
        with open(path, "rb") as handle:
            return pickle.load(handle)  # our own private spool file
