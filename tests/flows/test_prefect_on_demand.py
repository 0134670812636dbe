"""``enrich``, ``inbox`` and ``review-apply`` run in-process unless Prefect is asked for; with
``--prefect`` and no configured API, killing the command leaves no Prefect server behind."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from flows.importing import import_file
from ingest.config import Settings, sqlite_url
from ingest.records import SourceKind
from ingest.store.engine import make_engine
from ingest.store.migrate import upgrade
from ingest.store.models import ImportRun, MatchCandidate, Person, utcnow
from tests.conftest import REPO
from tests.flows.test_import_safety import write_leads

pytestmark = pytest.mark.slow
SAMPLES = REPO / "sample_data"
SERVER_MARK = "prefect.server.api.server:create_app"

ONE_SHOT = """
import json, sys
from flows.cli import app
codes = []
for args in json.loads(sys.argv[1]):
    try:
        app(args, prog_name="leadflow", standalone_mode=False)
        codes.append(0)
    except SystemExit as exit:
        codes.append(exit.code)
print(json.dumps({"codes": codes,
                  "prefect": sorted(m for m in sys.modules if m.split(".")[0] == "prefect")}))
"""


def clean_env(home: Path) -> dict[str, str]:
    """The environment of a new user: no Prefect or leadflow settings, a home of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "LEADFLOW_"))}
    return env | {
        "HOME": str(home),
        "PREFECT_HOME": str(home / ".prefect"),
        "PYTHONPATH": str(REPO),
        "COLUMNS": "200",
    }


def test_enrich_inbox_and_review_apply_run_without_prefect_unless_asked(
    tmp_path: Path, settings: Settings
) -> None:
    db = sqlite_url(tmp_path / "store.db")
    engine = make_engine(db)
    upgrade(db)
    import_file(engine, SourceKind.PURCHASED_LIST,
                SAMPLES / "purchased_lists" / "acme_b2b_2026q3.csv", settings=settings,
                orchestrate=False)  # fmt: skip
    with Session(engine) as session, session.begin():
        first, second = session.scalars(select(Person.id).order_by(Person.id).limit(2)).all()
        session.add(MatchCandidate(person_a_id=first, person_b_id=second, probability=0.9,
                                   status="accepted", decided_by="steward",
                                   decided_at=utcnow()))  # fmt: skip
    folder = tmp_path / "inbox" / "event"
    folder.mkdir(parents=True)
    shutil.copy(next((SAMPLES / "events").glob("*.csv")), folder / "badges.csv")
    home = tmp_path / "home"
    home.mkdir()
    commands = [
        ["enrich", "--db", db, "--step", "phone"],
        ["inbox", str(tmp_path / "inbox"), "--db", db, "--settle-seconds", "0"],
        ["review-apply", "--db", db, "--no-refit"],
    ]

    result = subprocess.run(
        [sys.executable, "-c", ONE_SHOT, json.dumps(commands)],
        cwd=tmp_path, env=clean_env(home), capture_output=True, text=True, timeout=300,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"codes": [0, 0, 0], "prefect": []}  # Prefect was not even imported
    assert not (home / ".prefect").exists()  # so no temporary API ran
    assert "Beginning flow run" not in result.stdout + result.stderr
    assert "values written" in result.stdout
    assert "event/badges.csv: imported run 2" in result.stdout
    assert "1 merged, 0 unmerged, 0 conflicts" in result.stdout
    assert list((folder / "archive").iterdir()) == [folder / "archive" / "badges.csv"]
    with Session(engine) as session:
        merged = session.scalar(select(func.count()).where(Person.merged_into_id.is_not(None)))
        enriched = session.scalar(text("SELECT count(*) FROM enrichments"))
    assert merged == 1 and (enriched or 0) > 0
    engine.dispose()


def _server_children(process: psutil.Process) -> list[psutil.Process]:
    try:
        children = process.children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    found = []
    for child in children:
        try:
            if SERVER_MARK in " ".join(child.cmdline()):
                found.append(child)
        except psutil.NoSuchProcess:
            continue
    return found


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL],
                         ids=["SIGTERM", "SIGINT", "SIGKILL"])  # fmt: skip
def test_killing_a_prefect_import_leaves_no_prefect_server(tmp_path: Path, signum: int) -> None:
    path = tmp_path / "leads.csv"
    write_leads(path, 6_000, seed=5)
    db = sqlite_url(tmp_path / "store.db")
    upgrade(db)
    home = tmp_path / "home"
    home.mkdir()
    log = (tmp_path / "out.log").open("w+")
    command = subprocess.Popen(
        [sys.executable, "-m", "flows", "import", "purchased-list", str(path), "--db", db,
         "--prefect"],
        cwd=tmp_path, env=clean_env(home) | {"LEADFLOW_CHUNK_ROWS": "100"},
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    parent = psutil.Process(command.pid)
    servers: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and command.poll() is None:
            servers = servers or _server_children(parent)
            log.seek(0)
            if servers and "chunk 2 loaded" in log.read():
                break
            time.sleep(0.2)
        log.seek(0)
        output = log.read()
        assert command.poll() is None, f"the import ended before it could be killed:\n{output}"
        assert len(servers) == 1, output  # the temporary Prefect server, a child of the command
        server = servers[0]

        command.send_signal(signum)
        command.wait(timeout=60)
        _, alive = psutil.wait_procs([server], timeout=30)
        assert not alive, f"the Prefect server {server.pid} outlived the killed command"
        assert command.returncode != 0
        if signum != signal.SIGKILL:  # a command that could clean up ended its run `failed`
            engine = make_engine(db)
            with Session(engine) as session:
                statuses = session.scalars(select(ImportRun.status)).all()
            engine.dispose()
            assert statuses == ["failed"]
    finally:
        for leftover in [parent, *servers, *_server_children(parent)]:
            if leftover.is_running():
                leftover.kill()
        log.close()
