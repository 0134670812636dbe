"""Names: splitting, order by evidence, honorifics and suffixes, casing, keys, swapped hints."""

from __future__ import annotations

import pandas as pd
import pytest

from ingest.normalize import normalize_batch
from ingest.normalize.names import case_name, maybe_swapped, normalize_name
from ingest.normalize.text import letters_key
from ingest.records import ISSUES_COLUMN


@pytest.mark.parametrize(
    ("text", "surname", "expected"),
    [
        ("JOHN", False, "John"),
        ("mcdonald", True, "McDonald"),
        ("MACLEOD", True, "MacLeod"),
        ("machado", True, "Machado"),  # not Mac + Hado
        ("O'BRIEN", True, "O'Brien"),
        ("d'angelo", True, "D'Angelo"),
        ("van der berg", True, "van der Berg"),
        ("DE LA CRUZ", True, "de la Cruz"),
        ("smith-jones", True, "Smith-Jones"),
        ("anne-marie", False, "Anne-Marie"),
        ("VAN", True, "Van"),  # a lone particle is the name itself
        ("MÜLLER", True, "Müller"),
        ("McDONALD", True, "McDONALD"),  # mixed case is the person's own spelling
        ("deVries", True, "deVries"),
        ("iPhone", False, "iPhone"),
        ("van der BERG", True, "van der Berg"),  # a shouted surname after its particles
        ("van der BERG", False, "van der BERG"),
        ("van McDONALD", True, "van McDONALD"),  # mixed case stays the person's own
    ],
)
def test_case_name(text: str, surname: bool, expected: str) -> None:
    assert case_name(text, surname=surname) == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"full_name": "DR. JOHN MCDONALD JR."},
            ("Dr", "John", None, "McDonald", "Jr.", "John McDonald Jr.", "john", "mcdonald"),
        ),
        (
            {"full_name": "Smith, John"},
            (None, "John", None, "Smith", None, "John Smith", "john", "smith"),
        ),
        (
            {"full_name": "pieter van der berg"},
            (
                None,
                "Pieter",
                None,
                "van der Berg",
                None,
                "Pieter van der Berg",
                "pieter",
                "vanderberg",
            ),
        ),
        (
            {"full_name": "Ms Jane Q. Doe PhD"},
            ("Ms", "Jane", "Q.", "Doe", "PhD", "Jane Q. Doe PhD", "jane", "doe"),
        ),
        (
            {"first_name": "SEAN", "last_name": "O'BRIEN"},
            (None, "Sean", None, "O'Brien", None, "Sean O'Brien", "sean", "obrien"),
        ),
        (
            {"first_name": "josé", "last_name": "MÜLLER-LÜDENSCHEIDT"},
            (
                None,
                "José",
                None,
                "Müller-Lüdenscheidt",
                None,
                "José Müller-Lüdenscheidt",
                "jose",
                "mullerludenscheidt",
            ),
        ),
        (
            {"first_name": "Dr. Anna", "last_name": "Smith Jr."},
            ("Dr", "Anna", None, "Smith", "Jr.", "Anna Smith Jr.", "anna", "smith"),
        ),
        (
            {"honorific": "MRS.", "first_name": "maria", "last_name": "DE LA CRUZ"},
            ("Mrs", "Maria", None, "de la Cruz", None, "Maria de la Cruz", "maria", "delacruz"),
        ),
        (
            # a full name is not split when the source also gave the parts
            {"full_name": "Whatever Else", "first_name": "Ann", "last_name": "Lee"},
            (None, "Ann", None, "Lee", None, "Ann Lee", "ann", "lee"),
        ),
        ({"full_name": "madonna"}, (None, "Madonna", None, None, None, "Madonna", "madonna", None)),
        ({"full_name": "n/a", "first_name": "-"}, (None,) * 8),
        ({"first_name": "Ｍａｒｙ"}, (None, "Mary", None, None, None, "Mary", "mary", None)),
    ],
)
def test_normalize_name(fields: dict[str, str], expected: tuple[str | None, ...]) -> None:
    name = normalize_name(**fields)
    got = (
        name.honorific,
        name.first_name,
        name.middle_name,
        name.last_name,
        name.suffix,
        name.full_name,
        name.first_name_key,
        name.last_name_key,
    )
    assert got == expected


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("garcia", "maria", True),
        ("miller", "victoria", True),
        ("kowalski", "william", True),
        ("johnson", "chrissy", True),
        ("arjun", "wilson", False),  # unknown first name is not evidence of a surname
        ("john", "smith", False),
        ("emily", "thomas", False),  # Thomas is a frequent surname too
        ("garcia", None, False),
    ],
)
def test_maybe_swapped(first: str, last: str | None, expected: bool) -> None:
    assert maybe_swapped(first, last) is expected


def test_swapped_hint_is_an_issue_code() -> None:
    assert normalize_name(first_name="Garcia", last_name="Maria").issues == ("name.maybe_swapped",)
    assert normalize_name(first_name="Maria", last_name="Garcia").issues == ()


def test_hostile_names_do_not_raise() -> None:
    for value in ("\x00\x00", "=cmd|' /C calc'!A0", "😀" * 5000, ",,,", "Mr", "Jr."):
        normalize_name(full_name=value)
        normalize_name(first_name=value, last_name=value)


@pytest.mark.parametrize(
    ("full_name", "first", "middle", "last", "uncertain"),
    [
        # a comma: "Surname, Given"
        ("Smith, John", "John", None, "Smith", False),
        ("de Vries, Joost", "Joost", None, "de Vries", False),
        ("DE VRIES, Joost", "Joost", None, "de Vries", False),
        ("Dr. Smith, John", "John", None, "Smith", False),
        ("John Smith, PhD", "John", None, "Smith", False),  # a suffix comma is not one
        # capitalisation: the all-caps run at one end is the surname
        ("DE VRIES Joost", "Joost", None, "de Vries", False),
        ("Joost DE VRIES", "Joost", None, "de Vries", False),
        ("SMITH John Paul", "John", "Paul", "Smith", False),
        ("MÜLLER Hans", "Hans", None, "Müller", False),
        ("Jan van der BERG", "Jan", None, "van der Berg", False),
        ("van der BERG Jan", "Jan", None, "van der Berg", False),
        ("SMITH J.", "J.", None, "Smith", False),
        ("John A. SMITH", "John", "A.", "Smith", False),
        ("Dr. SMITH John", "John", None, "Smith", False),
        ("ANNA Smith", "Smith", None, "Anna", True),  # capitals and lists disagree
        # leading particles
        ("de Vries Joost", "Joost", None, "de Vries", False),
        ("van der Berg Jan", "Jan", None, "van der Berg", False),
        ("pieter van der berg", "Pieter", None, "van der Berg", False),
        ("Van Morrison", "Van", None, "Morrison", False),  # a particle alone is a given name
        # given-name and surname lists
        ("John Smith", "John", None, "Smith", False),
        ("Smith John", "John", None, "Smith", False),
        ("Garcia Maria", "Maria", None, "Garcia", False),
        ("Patel Arjun", "Arjun", None, "Patel", False),
        ("Arjun Patel", "Arjun", None, "Patel", False),
        ("Wang Wei", "Wei", None, "Wang", False),
        ("LI Wei", "Wei", None, "Li", False),  # two capitals are no evidence; Li is a surname
        ("Smith J.", "J.", None, "Smith", False),  # an initial is a given name
        ("J. R. R. Tolkien", "J.", "R. R.", "Tolkien", False),
        ("Picard Jean-Luc", "Jean-Luc", None, "Picard", False),
        ("Mary Ann Smith", "Mary", "Ann", "Smith", False),
        ("Maria del Carmen Garcia Lopez", "Maria", None, "del Carmen Garcia Lopez", False),
        # no evidence either way: read given name first, order uncertain
        ("Taylor Morgan", "Taylor", None, "Morgan", True),
        ("Kim Lee", "Kim", None, "Lee", True),
        ("Joost Pieters", "Joost", None, "Pieters", True),
        # one part, or three and more words without evidence: nothing to be unsure of
        ("madonna", "Madonna", None, None, False),
        ("Mary Ann Lee", "Mary", "Ann", "Lee", False),
    ],
)
def test_one_field_name_order(
    full_name: str, first: str, middle: str | None, last: str | None, uncertain: bool
) -> None:
    name = normalize_name(full_name=full_name)
    got = (name.first_name, name.middle_name, name.last_name, name.order_uncertain)
    assert got == (first, middle, last, uncertain)
    assert name.first_name_key == letters_key(first)
    assert name.last_name_key == letters_key(last)


@pytest.mark.parametrize(
    ("fields", "uncertain"),
    [
        ({"first_name": "Taylor", "last_name": "Morgan"}, False),  # the columns say the order
        ({"first_name": "Garcia", "last_name": "Maria"}, True),  # unless they look swapped
        ({"first_name": "Ann"}, False),
        ({"last_name": "Lee"}, False),
        ({"full_name": "n/a"}, None),  # no name: unknown
        ({}, None),
    ],
)
def test_order_uncertain_of_separate_fields(fields: dict[str, str], uncertain: bool | None):
    assert normalize_name(**fields).order_uncertain is uncertain


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("Nan", "Li", ("Nan", "Li")),
        ("Na", "Nguyen", ("Na", "Nguyen")),
        ("Nil", "Patel", ("Nil", "Patel")),
        ("Jennifer", "Null", ("Jennifer", "Null")),
        ("NULL", "Smith", (None, "Smith")),
        ("NaN", "Jones", (None, "Jones")),
        ("n/a", "Brown", (None, "Brown")),
    ],
)
def test_names_that_look_like_null_markers_stay_names(
    first: str, last: str, expected: tuple[str | None, str | None]
) -> None:
    frame = pd.DataFrame(
        {"_row": [1], "first_name": [first], "last_name": [last], "email": ["a@example.com"]}
    )
    out = normalize_batch(frame)
    assert (out["first_name"].iloc[0], out["last_name"].iloc[0]) == expected


@pytest.mark.parametrize(
    ("fields", "first", "last", "honorific"),
    [
        ({"first_name": "Current Resident", "last_name": "Smith"}, None, "Smith", None),
        ({"first_name": "MOM", "last_name": "Okafor"}, None, "Okafor", None),
        ({"first_name": "F.N.U.", "last_name": "Garcia"}, None, "Garcia", None),
        ({"first_name": "Lady of the House", "last_name": "Vrba"}, None, "Vrba", None),
        ({"first_name": "Maria", "last_name": "LNU"}, "Maria", None, None),
        ({"first_name": "Mr", "last_name": "Santos"}, None, "Santos", "Mr"),  # a title alone
        ({"first_name": "M.", "last_name": "Santos"}, "M.", "Santos", None),  # an initial
        ({"full_name": "Current Occupant"}, None, None, None),
    ],
)
def test_a_stand_in_for_an_unknown_name_is_no_name(
    fields: dict[str, str], first: str | None, last: str | None, honorific: str | None
) -> None:
    name = normalize_name(**fields)
    assert (name.first_name, name.last_name, name.honorific) == (first, last, honorific)
    assert name.first_name_key == letters_key(first)
    assert ("name.placeholder" in name.issues) == (honorific is None and first != "M.")


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("Baby", "Rivera"),
        ("Son", "Nguyen"),
        ("Sister", "Mary"),
        ("Anna", "Child"),
        ("Ruth", "Parent"),
    ],
)
def test_names_that_are_also_words_stay_names(first: str, last: str) -> None:
    name = normalize_name(first_name=first, last_name=last)
    assert name.first_name and name.last_name
    assert "name.placeholder" not in name.issues


def test_two_residents_share_no_name_key_in_a_batch() -> None:
    frame = pd.DataFrame({"first_name": ["Resident", "RESIDENT"], "last_name": ["Lee", "Lee"]})
    out = normalize_batch(frame)
    assert out["first_name_key"].isna().all()
    assert all("name.placeholder" in codes for codes in out[ISSUES_COLUMN])
