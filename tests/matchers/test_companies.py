"""Company-only listings: which two listings are one company."""

from __future__ import annotations

import pandas as pd
import pytest

from ingest.mapping import apply_mapping, propose_mapping
from ingest.normalize import normalize_batch
from ingest.validate import validate_batch
from matchers import dedupe_frame
from sample_data.company_listings import generate_company_listings

ACME = {"Company": "Acme Robotics Inc.", "Website": "https://www.acme-robotics.com/",
        "Phone": "+1 617 555 0100", "Address": "1 Main Street", "City": "Cambridge",
        "Zip": "02139", "Country": "US"}  # fmt: skip


def together(left: dict[str, str], right: dict[str, str]) -> bool:
    raw = pd.DataFrame([left, right])
    rows = validate_batch(normalize_batch(apply_mapping(raw, propose_mapping(list(raw.columns)))))
    clusters = dedupe_frame(rows).clusters
    return bool(clusters.iat[0] == clusters.iat[1])


@pytest.mark.parametrize(
    ("right", "expected"),
    [
        ({**ACME, "Company": "ACME ROBOTICS INCORPORATED", "Phone": ""}, True),  # same domain
        ({**ACME, "Company": "Acme Robtics", "Website": ""}, True),  # a typo, the same line
        ({**ACME, "Company": "Acme Robtics", "Website": "", "Phone": ""}, True),  # same site
        ({**ACME, "Website": "", "Phone": "", "Address": ""}, True),  # name in one postcode
        # two firms of one name in one town: other line, other street
        ({**ACME, "Website": "", "Phone": "+1 617 555 0177", "Address": "80 Broad Street"},
         False),
        ({**ACME, "Website": "https://acme-robotics2.com"}, False),  # another firm's domain
        ({**ACME, "Company": "Globex Media", "Website": "", "Phone": ""}, False),  # neighbours
    ],
)  # fmt: skip
def test_listing_pairs(right: dict[str, str], expected: bool) -> None:
    assert together(ACME, right) is expected


def test_generated_directory_listings_cluster_into_their_companies() -> None:
    raw = generate_company_listings(3000, seed=5)
    truth = raw.pop("true_company_id")
    rows = validate_batch(normalize_batch(apply_mapping(raw, propose_mapping(list(raw.columns)))))
    clusters = dedupe_frame(rows).clusters.to_numpy()
    joint = pd.DataFrame({"t": truth, "c": clusters})
    pairs = lambda s: int((s * (s - 1) // 2).sum())  # noqa: E731
    tp = pairs(joint.value_counts())
    precision = tp / pairs(joint["c"].value_counts())
    recall = tp / pairs(joint["t"].value_counts())
    assert precision > 0.98 and recall > 0.98
