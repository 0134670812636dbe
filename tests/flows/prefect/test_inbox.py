"""The inbox flow imports a dropped file once and moves files to archive or error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from pydantic import SecretStr
from sqlalchemy import Engine

from flows.inbox import inbox_flow, ready_files
from tests.conftest import REPO

pytestmark = pytest.mark.slow  # starts a temporary Prefect server (conftest)

SAMPLES = REPO / "sample_data"


def test_a_dropped_file_is_imported_once_and_moved(engine: Engine, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    acme = inbox / "acme"
    events = inbox / "event"
    acme.mkdir(parents=True)
    events.mkdir()
    shutil.copy(SAMPLES / "profiles" / "acme_b2b_2026q3.yaml", acme / "profile.yaml")
    shutil.copy(SAMPLES / "purchased_lists" / "acme_b2b_2026q3.csv", acme / "leads.csv")
    (events / "broken.csv").write_bytes(b"")
    (acme / "still-copying.csv.part").write_text("x")
    url = SecretStr(engine.url.render_as_string(hide_password=False))

    first = inbox_flow(str(inbox), db_url=url, settle_seconds=0)

    by_file = {item["file"]: item for item in first}
    assert set(by_file) == {"leads.csv", "broken.csv"}
    assert by_file["leads.csv"]["outcome"] == "imported"
    assert by_file["leads.csv"]["rows_in"] == 400
    assert by_file["broken.csv"]["outcome"] == "error"
    assert (acme / "archive" / "leads.csv").is_file() and not (acme / "leads.csv").exists()
    assert (events / "error" / "broken.csv").is_file()
    assert "broken.csv" in (events / "error" / "broken.csv.error.txt").read_text()
    assert (acme / "still-copying.csv.part").exists()  # partial files wait

    assert inbox_flow(str(inbox), db_url=url, settle_seconds=0) == []  # nothing left to do

    shutil.copy(SAMPLES / "purchased_lists" / "acme_b2b_2026q3.csv", acme / "leads.csv")
    again = inbox_flow(str(inbox), db_url=url, settle_seconds=0)
    assert [item["outcome"] for item in again] == ["already_imported"]
    assert len(list((acme / "archive").iterdir())) == 2
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM import_runs")).scalar_one() == 1


def test_files_still_being_written_wait(tmp_path: Path) -> None:
    (tmp_path / "new.csv").write_text("a\n")
    assert ready_files(tmp_path, settle_seconds=60) == []
    assert [p.name for p in ready_files(tmp_path, settle_seconds=0)] == ["new.csv"]


def test_links_and_outside_folders_are_never_followed(engine: Engine, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    folder = inbox / "purchased-list"
    folder.mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "passwd.csv"
    secret.write_text("root,x,0,0\n")
    (folder / "passwd.csv").symlink_to(secret)
    (inbox / "event").symlink_to(outside, target_is_directory=True)
    shutil.copy(SAMPLES / "purchased_lists" / "acme_b2b_2026q3.csv", folder / "leads.csv")
    (folder / "archive").symlink_to(outside, target_is_directory=True)
    url = SecretStr(engine.url.render_as_string(hide_password=False))

    items = inbox_flow(str(inbox), db_url=url, settle_seconds=0)

    assert [(i["file"], i["outcome"]) for i in items] == [("leads.csv", "error")]
    assert "link" in items[0]["error"]
    assert sorted(p.name for p in outside.iterdir()) == ["passwd.csv"]  # nothing moved out
    assert (folder / "leads.csv").is_file()
    with engine.connect() as conn:
        locations = conn.execute(sa.text("SELECT location FROM import_runs")).scalars().all()
    assert all("passwd" not in location for location in locations)


def test_a_file_is_taken_when_settled_or_marked_done(tmp_path: Path) -> None:
    folder = tmp_path / "event"
    folder.mkdir()
    fresh = folder / "fresh.csv"
    fresh.write_text("a\n")
    marked = folder / "marked.csv"
    marked.write_text("a\n")
    (folder / "marked.csv.done").write_text("")
    assert ready_files(folder, settle_seconds=60) == [marked]
    assert ready_files(folder, settle_seconds=0) == [fresh, marked]
