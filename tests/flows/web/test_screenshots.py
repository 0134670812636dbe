"""The documentation's screenshots come from a script: it runs here end to end in Chromium."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.store.models import AuditEntry
from tests.flows.web.browser import Server
from tests.flows.web.screenshots import SHOTS, take


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", head[16:24])


def test_the_screenshot_script_shoots_every_page(
    browser: Any, server: Server, tmp_path: Path
) -> None:
    files = take(browser, server, tmp_path / "shots")
    assert sorted(files) == sorted(SHOTS)
    for name, path in files.items():
        width, height = _png_size(path)
        assert width == 1360 and height >= 900, name
        assert path.stat().st_size > 20_000, name  # a page, not a blank
    # the pair was shot with a choice made, then merged: the audit log records it
    engine = server.engine()
    try:
        with Session(engine) as s:
            kept = s.scalars(select(AuditEntry.details).where(AuditEntry.action == "accept")).all()
    finally:
        engine.dispose()
    assert [list(k["kept"]) for k in kept] == [["job_title"]]
