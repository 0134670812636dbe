"""The inbox: files dropped into a watched folder are imported once, then moved away.

Layout: one sub-folder of the inbox per source profile. A folder holding ``profile.yaml`` (or
``.yml``/``.toml``) imports its files with that profile (its ``kind`` picks the adapter); a
folder without one must be named after a source kind (``event``, ``web-form``, ...). After its
import a file moves to ``archive/`` in its folder; a file that cannot be imported (a program
error such as an unreadable file) moves to ``error/`` with a ``.error.txt`` note beside it.
A transient database error leaves the file where it is, for the next run.

A file is taken only when complete: either a marker ``<file name>.done`` stands beside it (the
writer creates it after closing the file; it is removed with the file), or the file has not
changed for ``settle_seconds`` and its size and modification time are the same just before and
just after the import (a file that grew meanwhile stays, and is imported whole next time).
Hidden and partial (``.part``, ``.tmp``, ...) files wait too.

The inbox trusts nothing it did not create: symbolic links (to files or folders) are ignored,
only regular files directly inside a watched folder are read, and a file is never moved to an
``archive`` or ``error`` folder that is a link or lies outside its watched folder.

:func:`run_inbox` is defined once and takes the import to run per file: in this process
(``leadflow inbox``, the default; Prefect is not imported) or the Prefect import flow
(``flows.inbox``: ``--prefect`` and the scheduled deployment).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingest.errors import ConfigError, LeadflowError
from ingest.importer import ImportReport, is_transient
from ingest.profiles import SourceProfile
from ingest.records import SourceKind

logger = logging.getLogger(__name__)
Importer = Callable[[SourceKind, Path, SourceProfile | None, int | None], ImportReport]
"""Imports one file: ``importer(kind, path, profile, chunk_rows)``."""
Log = Callable[..., None]

ARCHIVE = "archive"
ERROR = "error"
PROFILE_NAMES = ("profile.yaml", "profile.yml", "profile.toml")
PARTIAL_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial")
DONE_SUFFIX = ".done"


class InboxError(LeadflowError):
    """The inbox refuses to move a file outside its folder (a linked archive or error folder)."""


@dataclass(frozen=True, slots=True)
class InboxItem:
    """What happened to one dropped file (names and counts only)."""

    folder: str
    file: str
    outcome: str  # imported | already_imported | error | retry_later
    run_id: int | None = None
    rows_in: int = 0
    loaded_new: int = 0
    merged: int = 0
    suppressed: int = 0
    quarantined: int = 0
    error: str | None = None


def folder_source(folder: Path) -> tuple[SourceKind, SourceProfile | None]:
    """The source kind and profile of one watched folder."""
    for name in PROFILE_NAMES:
        if (folder / name).is_file():
            profile = SourceProfile.from_path(folder / name)
            return profile.kind, profile
    try:
        return SourceKind(folder.name.replace("-", "_")), None
    except ValueError:
        raise ConfigError(
            f"inbox folder {folder.name!r}",
            "it has no profile.yaml and is not named after a source kind",
            "add a profile.yaml or rename the folder to a kind such as 'event'",
        ) from None


def _regular_inside(path: Path, folder: Path) -> bool:
    """A regular file (not a link) whose real location is directly inside ``folder``."""
    return not path.is_symlink() and path.is_file() and path.resolve().parent == folder.resolve()


def ready_files(folder: Path, *, settle_seconds: float, now: float | None = None) -> list[Path]:
    """Files of ``folder`` ready to import: regular, not links, complete (a ``.done`` marker,
    or settled), not hidden, partial, a marker or a profile."""
    now = time.time() if now is None else now
    ready = []
    for p in folder.iterdir():
        if (
            not _regular_inside(p, folder)
            or p.name.startswith((".", "~"))
            or p.name in PROFILE_NAMES
            or p.name.endswith((*PARTIAL_SUFFIXES, DONE_SUFFIX))
        ):
            continue
        marker = p.with_name(p.name + DONE_SUFFIX)
        marked = marker.is_file() and not marker.is_symlink()
        if marked or now - p.stat().st_mtime >= settle_seconds:
            ready.append(p)
    return sorted(ready)


def _signature(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def move_to(path: Path, kind: str) -> Path:
    """Move a file into ``archive/`` or ``error/`` beside it, never overwriting another, and
    never into a folder that is a link or lies outside the file's own folder."""
    folder = path.parent
    target_dir = folder / kind
    if target_dir.is_symlink() or (target_dir.exists() and not target_dir.is_dir()):
        raise InboxError(
            f"inbox folder {folder.name!r}: {kind}/ is a link or not a folder; "
            f"replace it with a plain {kind}/ folder"
        )
    target_dir.mkdir(exist_ok=True)
    if target_dir.resolve().parent != folder.resolve():
        raise InboxError(
            f"inbox folder {folder.name!r}: {kind}/ lies outside the folder; "
            f"replace it with a plain {kind}/ folder"
        )
    target = target_dir / path.name
    if target.exists() or target.is_symlink():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        target = target_dir / f"{path.stem}.{stamp}{path.suffix}"
    path.rename(target)  # same file system: atomic, and never follows a link
    marker = path.with_name(path.name + DONE_SUFFIX)
    if marker.is_file() and not marker.is_symlink():
        marker.unlink()
    return target


def _error_note(error: BaseException) -> str:
    # leadflow's own errors never carry cell values; anything else is named by class only
    return str(error) if isinstance(error, LeadflowError) else type(error).__name__


def run_inbox(
    inbox: Path,
    importer: Importer,
    *,
    settle_seconds: float = 5.0,
    chunk_rows: int | None = None,
    log: Log = logger.info,
    warn: Log = logger.warning,
) -> list[dict[str, Any]]:
    """Import every ready file in every watched folder once; the result reports each file."""
    items: list[InboxItem] = []
    folders = (
        sorted(p for p in inbox.iterdir() if p.is_dir() and not p.is_symlink())
        if inbox.is_dir()
        else []
    )
    for folder in folders:
        try:
            kind, profile = folder_source(folder)
        except LeadflowError as error:
            warn("%s", error)
            continue
        for path in ready_files(folder, settle_seconds=settle_seconds):
            items.append(_import_one(folder, path, kind, profile, importer, chunk_rows))
            log("inbox %s/%s: %s", folder.name, path.name, items[-1].outcome)
    log(
        "inbox: %d file(s): %s",
        len(items),
        ", ".join(
            f"{o}={sum(i.outcome == o for i in items)}" for o in sorted({i.outcome for i in items})
        )
        or "nothing to do",
    )
    return [asdict(item) for item in items]


def _import_one(
    folder: Path,
    path: Path,
    kind: SourceKind,
    profile: SourceProfile | None,
    importer: Importer,
    chunk_rows: int | None,
) -> InboxItem:
    before = _signature(path)
    try:
        report = importer(kind, path, profile, chunk_rows)
    except Exception as error:
        if is_transient(error):
            return InboxItem(folder.name, path.name, "retry_later", error=type(error).__name__)
        try:
            moved = move_to(path, ERROR)
        except InboxError as refused:
            return InboxItem(folder.name, path.name, "error", error=str(refused))
        note = _error_note(error)
        moved.with_name(moved.name + ".error.txt").write_text(note + "\n", encoding="utf-8")
        return InboxItem(folder.name, path.name, "error", error=note)
    if _signature(path) != before:  # still being written: import it whole next time
        return InboxItem(folder.name, path.name, "retry_later", report.run_id, error="growing")
    try:
        move_to(path, ARCHIVE)
    except InboxError as refused:
        return InboxItem(folder.name, path.name, "error", report.run_id, error=str(refused))
    counts = report.counts
    return InboxItem(
        folder.name,
        path.name,
        "already_imported" if report.already_imported else "imported",
        report.run_id,
        counts.rows_in,
        counts.loaded_new,
        counts.merged,
        counts.suppressed,
        counts.quarantined,
    )
