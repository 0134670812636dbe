"""The Prefect import flow: same store as the plain import, chunked, resumable, quiet about data."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest
from prefect.states import Failed
from pydantic import SecretStr
from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc

from flows.import_flow import import_flow, is_transient, retry_transient
from flows.importing import import_file
from ingest.config import Settings
from ingest.errors import MappingError, SourceFormatError
from ingest.records import SourceKind
from tests.flows.prefect.helpers import snapshot
from tests.flows.test_import_safety import write_leads

pytestmark = pytest.mark.slow  # starts a temporary Prefect server (conftest)


def _url(engine: Engine) -> SecretStr:
    return SecretStr(engine.url.render_as_string(hide_password=False))


def test_flow_builds_the_same_store_as_the_plain_import(
    engine: Engine, other_engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "leads.csv"
    total = write_leads(path, 600, seed=3)
    chunks: list[int] = []
    report = import_file(
        engine,
        SourceKind.PURCHASED_LIST,
        path,
        settings=settings,
        chunk_rows=150,
        on_batch=chunks.append,
    )
    plain = import_file(
        other_engine,
        SourceKind.PURCHASED_LIST,
        path,
        settings=settings,
        chunk_rows=150,
        orchestrate=False,
    )
    assert chunks == [150, 150, 150, 150]
    assert report.counts == plain.counts
    assert report.counts.rows_in == total and report.counts.adds_up
    assert set(report.timings) == {"prepare", "load", "total"}
    assert snapshot(engine) == snapshot(other_engine)


def test_flow_result_is_the_runs_counts_and_a_rerun_does_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "leads.csv"
    write_leads(path, 200, seed=5)
    first = import_flow("purchased-list", str(path), db_url=_url(engine), chunk_rows=80)
    again = import_flow("purchased_list", str(path), db_url=_url(engine), chunk_rows=80)
    assert first.run_id == again.run_id
    assert again.already_imported and again.counts == first.counts
    assert first.counts.rows_in == 200


def test_logs_name_the_file_and_counts_but_no_personal_data(
    engine: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "vendor_list.csv"
    write_leads(path, 120, seed=11)
    frame = pd.read_csv(path, dtype=str).fillna("")
    caplog.set_level(logging.DEBUG)
    logging.getLogger("prefect").addHandler(caplog.handler)
    try:
        report = import_flow("purchased-list", str(path), db_url=_url(engine), chunk_rows=50)
    finally:
        logging.getLogger("prefect").removeHandler(caplog.handler)
    text = caplog.text
    assert "vendor_list.csv" in text
    assert f"rows_in={report.counts.rows_in}" in text
    values = {v for column in frame.columns for v in frame[column] if len(v) >= 4}
    leaked = sorted(v for v in values if v in text and not v.isdigit())
    assert leaked == []


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (sa_exc.OperationalError("SELECT 1", {}, Exception("server closed")), True),
        (sa_exc.TimeoutError("pool exhausted"), True),
        (sa_exc.IntegrityError("INSERT", {}, Exception("duplicate")), False),
        (MappingError("header 'Email' appears twice"), False),
        (SourceFormatError("leads.csv", "no header row"), False),
        (ValueError("bad value"), False),
        (None, False),
    ],
)
def test_only_transient_errors_are_retried(error: BaseException | None, transient: bool) -> None:
    assert is_transient(error) is transient
    if error is not None:
        assert retry_transient(None, None, Failed(data=error)) is transient


def test_an_unreadable_file_fails_the_flow_without_retrying(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(SourceFormatError):
        import_flow("purchased-list", str(path), db_url=_url(engine))


def test_a_model_activated_mid_import_does_not_change_the_runs_decisions(
    engine: Engine, tmp_path: Path
) -> None:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from ingest.store.match_models import save_model
    from ingest.store.models import RecordLink
    from matchers import default_model

    path = tmp_path / "leads.csv"
    write_leads(path, 320, seed=7)
    activated: list[int] = []

    def refit_lands(rows: int) -> None:  # as if review-apply refit while chunks still load
        if not activated:
            activated.append(save_model(engine, default_model().to_dict()))

    import_flow(
        "purchased-list", str(path), db_url=_url(engine), chunk_rows=80, on_batch=refit_lands
    )
    assert activated == [1]
    with Session(engine) as session:
        deciders = set(session.scalars(select(RecordLink.decided_by)))
    assert "model:default" in deciders
    assert not any(d.startswith("model:v") for d in deciders)  # pinned when the run opened
