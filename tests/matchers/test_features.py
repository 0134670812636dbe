"""Feature records of stored people."""

from __future__ import annotations

import pandas as pd

from matchers.features import existing_features


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
