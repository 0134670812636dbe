"""Raw batches are made storable on PostgreSQL: unstorable rows quarantined one by one."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from ingest.records import ROW_COLUMN, BrokenRow, Provenance, RawBatch, SourceKind
from ingest.storable import storable_batch, storable_text

PROVENANCE = Provenance(
    SourceKind.DIRECTORY, "dir\udcffname", "/in/dir\udcff.jsonl", "0" * 64, datetime.now(UTC)
)


def test_rows_with_nul_or_lone_surrogates_become_broken_rows_with_their_reason() -> None:
    rows = pd.DataFrame(
        {"name\x00": ["Ana", "B\x00b", "C\ud800", None], ROW_COLUMN: [1, 2, 3, 4]}, dtype=object
    )
    old = BrokenRow(7, "raw\x00text", "row.bad_quoting", "The line has a quote.")
    batch = storable_batch(RawBatch(rows, PROVENANCE, (old,)))
    assert list(batch.rows.columns) == ["name", ROW_COLUMN]
    assert list(batch.rows[ROW_COLUMN]) == [1, 4]
    codes = {b.row_number: b.reason_code for b in batch.broken}
    assert codes == {7: "row.bad_quoting", 2: "row.nul_bytes", 3: "row.undecodable"}
    assert all(storable_text(b.raw_text) == b.raw_text for b in batch.broken)
    assert batch.provenance.source_name == "dir\ufffdname"


def test_a_clean_batch_is_returned_as_is() -> None:
    rows = pd.DataFrame({"name": ["Ana"], ROW_COLUMN: [1]}, dtype=object)
    clean = RawBatch(rows, Provenance(SourceKind.DIRECTORY, "x", "y", "0", datetime.now(UTC)))
    assert storable_batch(clean) is clean
