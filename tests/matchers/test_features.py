"""Feature records of stored people."""

from __future__ import annotations

import pandas as pd

from ingest.normalize import normalize_batch
from matchers.features import existing_features, record_features


def test_stored_features_from_the_cache_equal_fresh_ones() -> None:
    people = pd.DataFrame(
        {
            "person_id": [1, 2, 3],
            "first_name_key": ["ada", "bob", "cy"],
            "last_name_key": ["lovelace", "smith", "young"],
            "company_key": ["acme", None, "acme"],
            "postal_code": ["60601", None, "10115"],
            "email_keys": [("ada@acme.com", "al@x.org"), (), ("cy@acme.com",)],
            "phones": [("+13125550101",), ("+4930123456", "+4915112345678", "0301234"), ()],
            "company_domain": ["acme.com", None, None],
            "street": ["1 Main St", None, None],
            "city": ["Chicago", None, "Berlin"],
            "job_title": ["CTO", None, None],
        }
    )
    fresh = existing_features(people)
    cache: dict[tuple[object, ...], tuple[object, ...]] = {}
    first = existing_features(people.iloc[:2], cache)
    pd.testing.assert_frame_equal(first, fresh.iloc[: len(first)].reset_index(drop=True))
    assert len(cache) == len(first)
    pd.testing.assert_frame_equal(existing_features(people, cache), fresh)
    assert len(cache) == len(fresh)


def test_a_stored_number_has_the_digit_key_a_batch_row_gets() -> None:
    """Stored people are compared with a batch by phone keys: an Italian landline (leading 0
    in its national number), a German mobile and a US number key alike on both sides."""
    numbers = ["+390612345678", "+4915112345678", "+13125550101"]
    batch = normalize_batch(
        pd.DataFrame({"first_name": ["Ada"] * 3, "phone": numbers, "country": ["IT", "DE", "US"]})
    )
    stored = pd.DataFrame(
        {"person_id": [1, 2, 3], "first_name_key": ["ada"] * 3, "phones": [(n,) for n in numbers]}
    )
    batch_keys = record_features(batch)["phone"].tolist()
    assert batch_keys == ["0612345678", "15112345678", "3125550101"]
    assert existing_features(stored)["phone"].tolist() == batch_keys


def test_a_postal_code_refused_for_its_country_is_still_compared() -> None:
    """A US code beside a random country (another generator's accounts) is nulled by
    validation, and still tells two listings of one site together."""
    from ingest.normalize import normalize_batch
    from ingest.validate import validate_batch

    raw = pd.DataFrame(
        {
            "company_name": ["Acme", "Acme"],
            "postal_code": ["33101", "33101"],
            "country": ["NL", "US"],
        }
    )
    out = validate_batch(normalize_batch(raw))
    assert out["postal_code"].tolist() == [None, "33101"]
    assert record_features(out)["postal"].tolist() == ["33101", "33101"]
