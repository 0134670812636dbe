"""File helpers shared by adapters and the import run: content hashes and timestamps."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

BLOCK_SIZE = 1 << 20
"""Read size for hashing: 1 MiB keeps memory flat on files of any size."""


def file_sha256(path: str | Path) -> str:
    """Return the hex SHA-256 of the file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(BLOCK_SIZE):
            digest.update(block)
    return digest.hexdigest()


def file_mtime_utc(path: str | Path) -> datetime:
    """Return the file's modification time as an aware UTC datetime."""
    return datetime.fromtimestamp(Path(path).stat().st_mtime, tz=UTC)
