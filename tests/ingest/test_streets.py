"""Street lines folded for comparison: directions and street types get one spelling."""

from __future__ import annotations

import pytest

from ingest.normalize.streets import same_form, street_parts


@pytest.mark.parametrize(
    ("line", "key", "number", "name", "form"),
    [
        ("2141 S. Tan Ct", "2141 s tan ct", "2141", "tan", "s|ct"),
        ("2141 South Tan Court", "2141 s tan ct", "2141", "tan", "s|ct"),
        ("12 High Street", "12 high st", "12", "high", "|st"),
        ("12a High St.", "12a high st", "12", "high", "|st"),
        ("Flat 2, 14 Birch Lane", "14 birch ln", "14", "birch", "|ln"),
        ("Suite 200, 1 Main Street", "1 main st", "1", "main", "|st"),
        ("400 N Lake Shore Drive", "400 n lake shore dr", "400", "lake shore", "n|dr"),
        ("12 St Kilda Road", "12 saint kilda rd", "12", "saint kilda", "|rd"),  # not a type
        ("5500 N. St. Louis", "5500 n saint louis", "5500", "saint louis", "n|"),
        ("Main St N", "main st n", "", "main", "n|st"),
        ("12 Court Street", "12 court st", "12", "court", "|st"),  # a type word as the name
        ("124 E. 113 St.", "124 e 113th st", "124", "113th", "e|st"),  # a numbered street
        ("2850 W 24 th Blvd", "2850 w 24th blvd", "2850", "24th", "w|blvd"),
        ("3012-16 E. 92nd St. 60617", "3012 e 92nd st", "3012", "92nd", "e|st"),  # a range, a zip
        ("1 North Street", "1 n st", "1", "north street", "|"),  # nothing but the name
        ("1st Avenue", "1st ave", "", "1st", "|ave"),  # an ordinal is no house number
        ("15 Hardma n Street", "15 hardma n st", "15", "hardma n", "|st"),  # a typo, no North
        ("Hauptstraße 5", "hauptstrasse 5", "5", "hauptstrasse", "|"),
        ("", "", "", "", ""),
    ],
)
def test_street_parts(line: str, key: str, number: str, name: str, form: str) -> None:
    parts = street_parts(line)
    assert (parts.key, parts.number, parts.name, parts.form) == (key, number, name, form)


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        ("s|ct", "s|ct", True),
        ("|ln", "|", True),  # "14 Birch" leaves the type out
        ("|ct", "s|ct", False),  # South Tan Court is not Tan Court
        ("n|st", "s|st", False),
        ("|st", "|rd", False),  # High Street is not High Road
    ],
)
def test_same_form(left: str, right: str, same: bool) -> None:
    assert same_form(left, right) is same
    assert same_form(right, left) is same
