"""The inbox flow: files dropped into a watched folder are imported once, then moved away.

Layout: one sub-folder of the inbox per source profile. A folder holding ``profile.yaml`` (or
``.yml``/``.toml``) imports its files with that profile (its ``kind`` picks the adapter); a
folder without one must be named after a source kind (``event``, ``web-form``, ...). After its
import a file moves to ``archive/`` in its folder; a file that cannot be imported (a program
error such as an unreadable file) moves to ``error/`` with a ``.error.txt`` note beside it.
A transient database error leaves the file where it is, for the next run. Files still being
written (modified less than ``settle_seconds`` ago) and hidden or partial files wait too.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from pydantic import SecretStr

from flows.import_flow import import_flow, is_transient
from ingest.config import Settings
from ingest.errors import ConfigError, LeadflowError
from ingest.profiles import SourceProfile
from ingest.records import SourceKind

ARCHIVE = "archive"
ERROR = "error"
PROFILE_NAMES = ("profile.yaml", "profile.yml", "profile.toml")
PARTIAL_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial")


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


def ready_files(folder: Path, *, settle_seconds: float, now: float | None = None) -> list[Path]:
    """Files of ``folder`` ready to import: settled, not hidden, partial or a profile."""
    now = time.time() if now is None else now
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and not p.name.startswith((".", "~"))
        and p.name not in PROFILE_NAMES
        and not p.name.endswith(PARTIAL_SUFFIXES)
        and now - p.stat().st_mtime >= settle_seconds
    )


def move_to(path: Path, kind: str) -> Path:
    """Move a file into ``archive/`` or ``error/`` beside it, never overwriting another."""
    target_dir = path.parent / kind
    target_dir.mkdir(exist_ok=True)
    target = target_dir / path.name
    if target.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        target = target_dir / f"{path.stem}.{stamp}{path.suffix}"
    shutil.move(str(path), target)
    return target


def _error_note(error: BaseException) -> str:
    # leadflow's own errors never carry cell values; anything else is named by class only
    return str(error) if isinstance(error, LeadflowError) else type(error).__name__


@flow(name="inbox", validate_parameters=False)
def inbox_flow(
    inbox: str,
    *,
    db_url: SecretStr | None = None,
    settle_seconds: float = 5.0,
    chunk_rows: int | None = None,
) -> list[dict[str, Any]]:
    """Import every ready file in every watched folder once; the result reports each file."""
    logger = get_run_logger()
    url = db_url or SecretStr(Settings.from_env().database_url)
    items: list[InboxItem] = []
    root = Path(inbox)
    folders = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    for folder in folders:
        try:
            kind, profile = folder_source(folder)
        except LeadflowError as error:
            logger.warning("%s", error)
            continue
        for path in ready_files(folder, settle_seconds=settle_seconds):
            items.append(_import_one(folder, path, kind, profile, url, chunk_rows))
            logger.info("inbox %s/%s: %s", folder.name, path.name, items[-1].outcome)
    logger.info(
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
    url: SecretStr,
    chunk_rows: int | None,
) -> InboxItem:
    try:
        report = import_flow(
            kind.value, str(path), profile=profile, db_url=url, chunk_rows=chunk_rows
        )
    except Exception as error:
        if is_transient(error):
            return InboxItem(folder.name, path.name, "retry_later", error=type(error).__name__)
        moved = move_to(path, ERROR)
        note = _error_note(error)
        moved.with_name(moved.name + ".error.txt").write_text(note + "\n", encoding="utf-8")
        return InboxItem(folder.name, path.name, "error", error=note)
    move_to(path, ARCHIVE)
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
