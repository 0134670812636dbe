"""Normalizing row chunks in worker processes gives the frame one process gives."""

from __future__ import annotations

import pandas as pd
import pytest

from ingest.mapping import apply_mapping, propose_mapping
from ingest.normalize import normalize_batch
from ingest.normalize.parallel import normalize_chunks, normalize_parallel, split_rows
from ingest.validate import validate_batch
from sample_data.generate import generate_b2b_leads


def _raw(n_rows: int) -> pd.DataFrame:
    return generate_b2b_leads(n_rows, seed=3).drop(columns=["true_person_id"])


@pytest.mark.slow  # worker processes
def test_workers_give_the_single_process_frame() -> None:
    raw = _raw(900)
    mapping = propose_mapping(list(raw.columns))
    expected = normalize_batch(apply_mapping(raw, mapping), default_region="US")
    got = normalize_parallel(raw, mapping=mapping, default_region="US", workers=2, chunk_rows=200)
    pd.testing.assert_frame_equal(got, expected)


@pytest.mark.slow  # worker processes
def test_chunks_come_back_in_order_from_canonical_input() -> None:
    raw = _raw(300)
    canonical = apply_mapping(raw, propose_mapping(list(raw.columns)))
    chunks = list(split_rows(canonical, 70))
    assert [len(c) for c in chunks] == [70, 70, 70, 70, 20]
    got = list(normalize_chunks(iter(chunks), workers=2))
    assert [list(c.index) for c in got] == [list(c.index) for c in chunks]
    pd.testing.assert_frame_equal(pd.concat(got), normalize_batch(canonical))


def test_one_chunk_and_no_chunk_stay_in_this_process() -> None:
    raw = _raw(50)
    canonical = apply_mapping(raw, propose_mapping(list(raw.columns)))
    (only,) = normalize_chunks([canonical], workers=2)
    pd.testing.assert_frame_equal(only, normalize_batch(canonical))
    assert list(normalize_chunks([], workers=2)) == []


@pytest.mark.slow  # worker processes
def test_a_row_local_step_runs_in_the_workers() -> None:
    raw = _raw(600)
    mapping = propose_mapping(list(raw.columns))
    expected = validate_batch(normalize_batch(apply_mapping(raw, mapping)))
    got = normalize_parallel(raw, mapping=mapping, then=validate_batch, workers=2, chunk_rows=250)
    pd.testing.assert_frame_equal(got, expected)
