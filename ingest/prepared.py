"""The hand-off between the pure stages and the load: one prepared batch."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ingest.records import BrokenRow, Provenance


@dataclass(frozen=True, slots=True)
class PreparedBatch:
    """A batch after mapping, normalization, validation and consent, ready to match and load.

    ``frame`` is indexed by row number (``_row``); ``payloads`` holds each row exactly as the
    source gave it (stored in ``raw_records``); ``broken`` are rows the adapter could not parse.
    """

    frame: pd.DataFrame
    payloads: dict[int, dict[str, Any]]
    broken: tuple[BrokenRow, ...]
    provenance: Provenance

    @property
    def row_numbers(self) -> list[int]:
        return [int(r) for r in self.frame.index] + [b.row_number for b in self.broken]
