"""First contact with the command line, as real processes: help is instant and touches nothing,
the default import needs no Prefect, and user errors are one line without a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from ingest.config import sqlite_url
from tests.conftest import REPO
from tests.flows.test_import_safety import write_leads

pytestmark = pytest.mark.slow  # each test runs the leadflow command in a subprocess

HEAVY = ("pandas", "sqlalchemy", "alembic", "prefect", "fastapi", "scrapy", "numpy", "pydantic")


def leadflow(*args: str, cwd: Path, importtime: bool = False) -> subprocess.CompletedProcess[str]:
    flags = ["-X", "importtime"] if importtime else []
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.pop("LEADFLOW_DATABASE_URL", None)
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, *flags, "-m", "flows", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def imported(stderr: str) -> set[str]:
    """Top-level packages named in ``-X importtime`` output."""
    names = set()
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 2, output
    assert "Traceback" not in output
    assert len(output.splitlines()) == 1, output
    assert output.startswith("error:")
    for fragment in fragments:
        assert fragment in output


@pytest.mark.parametrize("command", [["--help"], ["import", "--help"], ["report", "--help"]])
def test_help_loads_no_heavy_library_and_touches_no_store(
    tmp_path: Path, command: list[str]
) -> None:
    result = leadflow(*command, cwd=tmp_path, importtime=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Usage" in result.stdout
    assert imported(result.stderr).isdisjoint(HEAVY)
    assert list(tmp_path.iterdir()) == []  # no leadflow.db appeared


def test_the_default_import_runs_in_process_without_prefect(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    write_leads(path, 10, seed=1)
    url = sqlite_url(tmp_path / "store.db")
    result = leadflow("import", "purchased-list", str(path), "--db", url, cwd=tmp_path,
                      importtime=True)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "prefect" not in imported(result.stderr)
    assert "rows_in" in result.stdout or "rows in" in result.stdout.lower()
    assert not list(tmp_path.glob(".leadflow-spool-*"))


def test_a_bad_db_url_is_one_line(tmp_path: Path) -> None:
    result = leadflow("runs", "--db", "not a url", cwd=tmp_path)
    assert_one_line_error(result, "sqlite:///", "--db")


def test_an_unopenable_sqlite_path_is_one_line(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "no" / "such" / "folder" / "store.db")
    result = leadflow("runs", "--db", url, cwd=tmp_path)
    assert_one_line_error(result, "folder exists")


@pytest.mark.postgres
def test_a_missing_postgres_database_is_one_line(postgres_server: str, tmp_path: Path) -> None:
    url = sa.engine.make_url(postgres_server).set(database="leadflow_no_such_db")
    result = leadflow("runs", "--db", url.render_as_string(hide_password=False), cwd=tmp_path)
    assert_one_line_error(result, "'leadflow_no_such_db' does not exist", "createdb")


def test_an_unreadable_lead_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_bytes(b"\x00\x01\x02 not a table \xff\xfe" * 10)
    url = sqlite_url(tmp_path / "store.db")
    result = leadflow("import", "purchased-list", str(path), "--db", url, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert result.returncode in (0, 2), output


def test_kill_9_of_a_default_import_leaves_no_process_and_no_spool(tmp_path: Path) -> None:
    import signal
    import tempfile
    import time

    from sqlalchemy import func, select

    from ingest.store.engine import make_engine
    from ingest.store.models import RawRecord
    from tests.flows.test_import_safety import start_import

    path = tmp_path / "leads.csv"
    write_leads(path, 2000, seed=3)
    url = sqlite_url(tmp_path / "store.db")
    before = set(Path(tempfile.gettempdir()).glob(".leadflow-spool-*"))
    proc = start_import(path, url, chunk_rows=100)
    engine = make_engine(url)
    deadline = time.monotonic() + 120
    children: set[str] = set()
    loaded = 0
    while loaded < 200:
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        assert time.monotonic() < deadline, "the import made no progress"
        task_dir = Path(f"/proc/{proc.pid}/task")
        for task in task_dir.iterdir() if task_dir.exists() else ():
            children |= set((task / "children").read_text().split())
        try:
            with engine.connect() as conn:
                loaded = conn.scalar(select(func.count()).select_from(RawRecord)) or 0
        except Exception:  # the schema is still being created
            loaded = 0
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    engine.dispose()
    assert children == set()  # no server or worker process that could outlive the import
    assert not list(tmp_path.glob(".leadflow-spool-*"))
    assert set(Path(tempfile.gettempdir()).glob(".leadflow-spool-*")) == before


def modules(stderr: str) -> set[str]:
    """Every module named in ``-X importtime`` output."""
    return {
        line.rsplit("|", 1)[1].strip()
        for line in stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def test_an_import_and_show_load_only_what_they_use(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    write_leads(path, 10, seed=1)
    url = sqlite_url(tmp_path / "store.db")
    assert (
        leadflow("import", "purchased-list", str(path), "--db", url, cwd=tmp_path).returncode == 0
    )
    again = tmp_path / "more.csv"
    write_leads(again, 10, seed=2)

    imported_csv = leadflow("import", "purchased-list", str(again), "--db", url, cwd=tmp_path,
                            importtime=True)  # fmt: skip
    shown = leadflow("show", "person", "1", "--db", url, cwd=tmp_path, importtime=True)

    assert imported_csv.returncode == 0 and shown.returncode == 0
    loaded = modules(imported_csv.stderr)
    # an ASCII CSV into an existing store: no migration, no other adapter, no encoding
    # detector, no spreadsheet reader, no census reader, no orchestrator, no pydantic (Typer's
    # adapters are not needed for plain values: flows.plain_params), no worker processes
    unused = {"alembic", "prefect", "fastapi", "scrapy", "charset_normalizer", "pydantic",
              "python_calamine", "sources._xlsx_formulas", "sources.events", "sources.web_forms",
              "sources.directory", "flows.census_import", "multiprocessing"}  # fmt: skip
    assert loaded.isdisjoint(unused), sorted(loaded & unused)
    assert {"pandas", "sources._tables"} <= loaded  # what the CSV reader does use
    assert imported(shown.stderr).isdisjoint({"pandas", "numpy", "alembic", "prefect", "pydantic"})
