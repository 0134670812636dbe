"""A batch without a country reads national numbers in the country its other numbers dial."""

from __future__ import annotations

import pandas as pd
import pytest

from ingest.normalize import normalize_batch
from ingest.normalize.regions import inferred_region

US = "+1 617 555 0142"


@pytest.mark.parametrize(
    ("phones", "mobiles", "expected"),
    [
        ([US] * 6 + ["(617) 555-0100"], [], "US"),
        ([US] * 3, ["+1 212 555 0199"] * 3, "US"),  # phone and mobile columns together
        (["+44 20 7946 0000"] * 5, ["0044 7700 900123"] * 5, "GB"),  # 00 prefix
        ([US] * 3 + ["+49 30 1234567"] * 3, [], None),  # no clear winner
        ([US] * 4, [], None),  # too few to tell
        (["(617) 555-0100"] * 9, [], None),  # nothing international
        (["+1 617 555 0142", "n/a", "", "+"] * 3, [], None),  # garbage is not counted
        (["\ufeff+1 617 555 0142", "\u202a+1 617 555 0142\u202c"] * 3, [], "US"),  # invisible
    ],
)
def test_inferred_region(phones: list[str], mobiles: list[str], expected: str | None) -> None:
    frame = pd.DataFrame({"phone": phones + [None] * len(mobiles)})
    if mobiles:
        frame["mobile"] = [None] * len(phones) + mobiles
    assert inferred_region(frame) == expected


def test_national_numbers_are_read_in_the_inferred_region() -> None:
    frame = pd.DataFrame(
        {"phone": [f"+1 617 555 01{i:02d}" for i in range(6)] + ["(617) 555-0142"]}
    )
    out = normalize_batch(frame)
    assert out["phone"].iat[-1] == "+16175550142"
    assert not any("region_unknown" in code for code in out["issues"].tolist()[-1])
    german = normalize_batch(frame, default_region="DE")  # the profile's region wins
    assert german["phone"].iat[-1] != "+16175550142"
