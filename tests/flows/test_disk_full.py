"""A full disk under a real import: the command ends with one line, the run ends ``failed``
with its error, nothing is lost, and a rerun after space is freed resumes to the store a
clean import builds.

The store lives on a small tmpfs mounted in a private mount namespace (``unshare``), which
the test grows (``mount -o remount``) to free space; the namespace, and the tmpfs with it,
ends with the test. Needs root (as on CI); skipped where mounting is not allowed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flows.importing import import_file
from ingest.config import Settings, sqlite_url
from ingest.records import SourceKind
from ingest.store.engine import make_engine
from ingest.store.migrate import upgrade
from tests.conftest import REPO
from tests.flows.test_import_safety import write_leads

pytestmark = pytest.mark.slow
ROWS = 3_000
READ_STORE = """
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
runs = db.execute("SELECT status, error, rows_in, loaded_new, merged, suppressed, quarantined "
                  "FROM import_runs").fetchall()
people = db.execute("SELECT count(*) FROM people").fetchone()[0]
raw = db.execute("SELECT count(*) FROM raw_records").fetchone()[0]
print(json.dumps({"runs": runs, "people": people, "raw_records": raw}))
"""


class Namespace:
    """A private mount namespace held open by a sleeping process; commands run inside it."""

    def __init__(self) -> None:
        self.holder = subprocess.Popen(["unshare", "--mount", "--propagation", "private",
                                        "sleep", "900"])  # fmt: skip

    def run(
        self, *command: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["nsenter", "-t", str(self.holder.pid), "-m", f"--wd={REPO}", *command],
            env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip

    def close(self) -> None:
        self.holder.kill()
        self.holder.wait()


@pytest.fixture
def namespace(tmp_path: Path) -> Iterator[tuple[Namespace, Path]]:
    if os.geteuid() != 0 or not (shutil.which("unshare") and shutil.which("nsenter")):
        pytest.skip("needs root with unshare and nsenter to mount a small tmpfs")
    space = Namespace()
    mount = tmp_path / "small-disk"
    mount.mkdir()
    mounted = space.run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount))
    if mounted.returncode != 0:
        space.close()
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield space, mount
    finally:
        # unmounted before the namespace ends: where mounts propagate despite --propagation
        # private (some container setups), a tmpfs left mounted outlives the test
        space.run("umount", "-l", str(mount))
        space.close()


def test_an_import_that_fills_the_disk_fails_cleanly_and_resumes_when_space_is_freed(
    namespace: tuple[Namespace, Path], tmp_path: Path, settings: Settings
) -> None:
    space, mount = namespace
    leads = tmp_path / "leads.csv"
    write_leads(leads, ROWS, seed=3)
    seed = tmp_path / "seed.db"
    upgrade(sqlite_url(seed))
    store = mount / "store.db"
    assert space.run("cp", str(seed), str(store)).returncode == 0
    env = {**os.environ, "LEADFLOW_CHUNK_ROWS": "500", "COLUMNS": "200"}
    command = (sys.executable, "-m", "flows", "import", "purchased-list", str(leads),
               "--db", sqlite_url(store))  # fmt: skip

    def state() -> dict[str, Any]:
        read = space.run(sys.executable, "-c", READ_STORE, str(store))
        assert read.returncode == 0, read.stderr
        return json.loads(read.stdout)

    full = space.run(*command, env=env)
    output = full.stdout + full.stderr
    assert full.returncode == 2, output
    assert "error: the disk holding the store is full" in output
    assert "Traceback" not in output
    after_failure = state()
    [(status, error, rows_in, *_)] = after_failure["runs"]
    assert status == "failed" and "disk is full" in error
    assert 0 < rows_in < ROWS  # whole chunks were kept before the disk filled
    assert after_failure["raw_records"] == rows_in  # each kept row has its outcome

    grown = space.run("mount", "-o", "remount,size=96m", str(mount))
    assert grown.returncode == 0, grown.stderr
    resumed = space.run(*command, env=env)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "resumed" in resumed.stdout

    clean = make_engine(sqlite_url(tmp_path / "clean.db"))
    upgrade(sqlite_url(tmp_path / "clean.db"))
    expected = import_file(clean, SourceKind.PURCHASED_LIST, leads, chunk_rows=500,
                           settings=settings, orchestrate=False)  # fmt: skip
    clean.dispose()
    final = state()
    counts = expected.counts
    assert final["runs"] == [["completed", None, ROWS, counts.loaded_new, counts.merged,
                              counts.suppressed, counts.quarantined]]  # fmt: skip
    assert counts.adds_up and final["raw_records"] == ROWS
    assert final["people"] == counts.loaded_new
