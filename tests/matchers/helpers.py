"""Small normalized-looking rows for matcher tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from matchers.coded import encode
from matchers.features import record_features

COLUMNS = (
    "first_name_key",
    "last_name_key",
    "email_key",
    "email_domain",
    "email_is_free",
    "phone",
    "mobile",
    "company_key",
    "company_domain",
    "postal_code",
    "street",
    "city",
    "job_title",
)


def rows(*records: dict[str, object]) -> pd.DataFrame:
    """A frame with every matcher column (None where a record does not say)."""
    frame = pd.DataFrame([{c: r.get(c) for c in COLUMNS} for r in records])
    email = frame["email_key"].fillna("")
    frame["email_domain"] = frame["email_domain"].fillna(email.str.partition("@")[2])
    return frame


def pair_levels(compare_field, left: dict[str, object], right: dict[str, object]) -> int:  # type: ignore[no-untyped-def]
    """The level one comparison gives the pair (left, right)."""
    coded = encode(record_features(rows(left, right)))
    return int(compare_field(coded, np.asarray([0]), np.asarray([1]))[0])


def generated_rows(n_rows: int, *, seed: int = 7) -> pd.DataFrame:
    """Normalized, validated rows of generated B2B leads (duplicates, colleagues, namesakes)."""
    from ingest.mapping import apply_mapping, propose_mapping
    from ingest.normalize import normalize_batch
    from ingest.validate import validate_batch
    from sample_data.generate import generate_b2b_leads

    raw = generate_b2b_leads(n_rows, seed=seed).drop(columns=["true_person_id"])
    canonical = apply_mapping(raw, propose_mapping(list(raw.columns)))
    return validate_batch(normalize_batch(canonical))
