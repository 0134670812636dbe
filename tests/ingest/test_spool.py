"""The orchestrated import's spool: private, beside the store, gone after the run, and a spool
left by a killed import is removed by the next one."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.config import Settings, sqlite_url
from ingest.spool import PREFIX, Spool, remove_stale_spools, spool_base


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_spool_is_private_beside_the_store_and_removed_afterwards(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "stores" / "crm.db")
    with Spool.open(url) as spool:
        assert spool.folder.parent == tmp_path / "stores"
        assert spool.folder.name.startswith(PREFIX)
        path = Path(spool.write("raw-000000.pkl", {"email": "someone@example.com"}))
        assert mode(spool.folder) == 0o700 and mode(path) == 0o600
        assert Spool.read(str(path)) == {"email": "someone@example.com"}
    assert not list((tmp_path / "stores").glob(f"{PREFIX}*"))


@pytest.mark.slow  # a subprocess
def test_a_spool_whose_process_is_gone_is_removed_and_a_live_one_is_kept(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    stale = tmp_path / f"{PREFIX}{dead.stdout.strip()}-abcd1234"
    stale.mkdir(mode=0o700)
    (stale / "raw-000000.pkl").write_bytes(b"rows in clear")
    live = tmp_path / f"{PREFIX}1-abcd1234"  # pid 1 is always alive
    live.mkdir(mode=0o700)
    assert remove_stale_spools(tmp_path) == 1
    assert not stale.exists() and live.exists()


def test_a_server_store_spools_in_the_configured_folder(tmp_path: Path) -> None:
    settings = Settings.from_env({"LEADFLOW_SPOOL_DIR": str(tmp_path / "spool")})
    base = spool_base("postgresql+psycopg://postgres@127.0.0.1/test", settings.spool_dir)
    assert base == tmp_path / "spool" and mode(base) == 0o700
