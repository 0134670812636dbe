"""What the browser tests and the screenshot script share: a demo store with users and extra
pairs, ``leadflow serve`` in its own process on a free port, headless Chromium, signing in."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import sqlalchemy as sa
from sqlalchemy.orm import Session

from flows.demo import run_demo
from flows.processes import free_port
from ingest.config import Settings, sqlite_url
from ingest.store.engine import make_engine
from ingest.store.models import MatchCandidate
from ingest.store.review import PairView, QueueFilter, pair_view, queue_ids
from ingest.store.users import add_user

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
REPO = Path(__file__).resolve().parents[3]
PASSWORDS = {"stew": "steward-pass-1", "vic": "viewer-pass-1"}
EXTRA = [(10, 11, 0.97), (12, 13, 0.93), (14, 15, 0.86), (16, 17, 0.30), (19, 20, 0.45)]
"""Extra candidates between demo people, so bands and bulk accept have something to work on."""


def build_demo_store(path: Path) -> Path:
    """The demo import into a SQLite file, a steward and a viewer, and the extra pairs."""
    run_demo(path, REPO / "sample_data", settings=Settings(orchestrator="plain"))
    engine = make_engine(sqlite_url(path))
    try:
        add_user(engine, "stew", PASSWORDS["stew"], role="steward")
        add_user(engine, "vic", PASSWORDS["vic"], role="viewer")
        with Session(engine) as s, s.begin():
            for a, b, p in EXTRA:
                detail = {"fields": {
                    "email": {"weight": -2.1, "level": "different", "left": "x", "right": "y"},
                    "last_name": {"weight": 4.5, "level": "exact"},
                    "first_name": {"weight": 1.2 if p > 0.5 else -1.0, "level": "fuzzy"},
                }}  # fmt: skip
                s.add(MatchCandidate(person_a_id=a, person_b_id=b, probability=p, detail=detail))
    finally:
        engine.dispose()
    return path


@dataclass
class Server:
    url: str
    db: str
    process: subprocess.Popen[bytes]
    log_path: Path
    """What the server wrote to standard output and error."""

    def engine(self) -> sa.Engine:
        return make_engine(self.db)


@contextmanager
def serve(template: Path, workdir: Path) -> Iterator[Server]:
    """``leadflow serve`` over a copy of ``template`` until the block ends; its standard error
    (the server's log) is kept in ``workdir/serve.log``."""
    db = workdir / "store.db"
    shutil.copy(template, db)
    port = free_port()
    command = [sys.executable, "-m", "flows", "serve", "--db", sqlite_url(db), "--port", str(port)]
    with (workdir / "serve.log").open("wb") as log:
        proc = subprocess.Popen(command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(150):
                try:
                    if httpx.get(f"{url}/login").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            else:
                raise RuntimeError("leadflow serve did not answer")
            yield Server(url, sqlite_url(db), proc, workdir / "serve.log")
        finally:
            proc.terminate()
            proc.wait(timeout=10)


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, through Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def login(browser: Browser, server: Server, name: str, *, width: int = 1360) -> Page:
    """A new page signed in as ``name``, on the queue."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{server.url}/review")
    assert "/login" in page.url
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORDS[name])
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}/review")
    return page


def pair_with_a_choice(server: Server, field: str = "job_title") -> tuple[int, PairView]:
    """The first pending pair whose people hold different values of ``field``."""
    engine = server.engine()
    try:
        for candidate_id in queue_ids(engine, QueueFilter()):
            view = pair_view(engine, candidate_id)
            if view is not None and any(c.name == field for c in view.choices):
                return candidate_id, view
    finally:
        engine.dispose()
    raise LookupError(f"no pending pair whose {field} differs in this store")
