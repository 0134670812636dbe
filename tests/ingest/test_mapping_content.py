"""Columns mapped by what their values show: headers nobody listed ("Patentee", "Kunde",
"E-Post"), a "Name" column that holds organisations, and the columns that must stay custom."""

from __future__ import annotations

import pandas as pd
import pytest

from ingest.mapping import propose_mapping
from ingest.mapping_content import field_by_content, names_organisations

ASSIGNEES = ["AGILENT TECHNOLOGIES, INC.", "Agilent Technologies Inc", "Canon Kabushiki Kaisha",
             "CANON KK", "Siemens Aktiengesellschaft", "SIEMENS AG", "Robert Bosch GmbH",
             "Samsung Electronics Co., Ltd.", "Koninklijke Philips N.V.", "Nokia Oyj",
             "Acme Robotics", "Globex"]  # fmt: skip
PEOPLE = ["Grace Hopper", "Alan Turing", "HOPPER Grace", "Turing, Alan", "Ada Lovelace",
          "Joost de Vries", "María José García", "Bob Smith"]  # fmt: skip


def fields(headers: dict[str, list[str]], **options: object) -> dict[str, str | None]:
    size = max(len(v) for v in headers.values())
    sample = pd.DataFrame({h: v + [""] * (size - len(v)) for h, v in headers.items()})
    mapping = propose_mapping(list(headers), sample=sample, **options)  # type: ignore[arg-type]
    return {c.header: c.field for c in mapping.columns}


@pytest.mark.parametrize("header", ["Patentee", "Holder", "Rechtsträger", "Kunde"])
def test_an_unknown_header_of_organisations_feeds_the_company_name(header: str) -> None:
    assert fields({header: ASSIGNEES})[header] == "company_name"


def test_a_name_column_of_organisations_is_the_company_and_of_people_the_person() -> None:
    assert fields({"Name": ASSIGNEES})["Name"] == "company_name"
    assert fields({"Name": PEOPLE})["Name"] == "full_name"
    assert names_organisations(pd.Series(ASSIGNEES)) and not names_organisations(pd.Series(PEOPLE))


def test_unknown_headers_of_emails_phones_sites_and_people() -> None:
    found = fields({
        "E-Post": ["ann@example.org", "bo@firma.de", "x.y@münchen.de"],
        "Durchwahl": ["+49 89 1234567", "(030) 123 4567", "+1-401-555-0194 x3604"],
        "Homepage URL": ["https://acme.com/", "www.globex.co.uk", "initech.io"],
        "Contact": PEOPLE[:3],
    })  # fmt: skip
    assert found == {"E-Post": "email", "Durchwahl": "phone", "Homepage URL": "website",
                     "Contact": "full_name"}  # fmt: skip


def test_ids_codes_dates_and_free_text_stay_custom() -> None:
    found = fields({
        "Record": ["100234567", "100234568", "100234569"],  # bare digits: ids, not phones
        "Ref": ["R-0000000000001", "R-0000000000002", "R-0000000000003"],
        "Seen": ["2024-01-02", "2024-02-03", "2024-03-04"],
        "Salary": ["85000.00", "1250000.50", "99999.99"],
        "DOI": ["10.7092/10014", "10.1506/73188", "10.1016/j.cell.2009.01.042"],
        "Remarks": ["called twice", "asked for a demo", "no answer"],
        "Blank": ["", "", ""],
    })  # fmt: skip
    assert set(found.values()) == {None}


def test_named_custom_columns_taken_fields_and_excluded_columns_are_left_alone() -> None:
    found = fields({"Email": ["a@b.com"], "Notes": ["c@d.com"], "Other mail": ["e@f.com"]})
    assert found == {"Email": "email", "Notes": None, "Other mail": None}  # one header a field
    assert fields({"Key": ASSIGNEES}, exclude=("Key",))["Key"] is None


def test_a_few_organisation_values_are_not_enough() -> None:
    mostly_words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "Acme Inc"]
    assert field_by_content(pd.Series(mostly_words), frozenset({"company_name"})) is None


def test_the_mapping_table_says_a_column_was_read_by_its_values() -> None:
    sample = pd.DataFrame({"Patentee": ASSIGNEES})
    described = propose_mapping(["Patentee"], sample=sample).describe()
    assert "company_name" in described and "by its values" in described


CLEANED_ORGANISATIONS = ["AKZO NOBEL", "DSM", "NUTRICIA", "BOSCH ROBERT", "ASML NETHERLANDS",
                         "ELECTRONICS KONINK PHILIPS", "BAYER", "UNILEVER", "DSM", "AKZO NOBEL V",
                         "STMICROELECTRONICS", "SHELL INTERNAT RES"]  # fmt: skip
"""An applicant list with the legal forms already cleaned off (as patent offices publish
them): no legal form left to tell organisations by."""


def test_a_name_column_of_organisations_without_legal_forms_is_the_company() -> None:
    assert names_organisations(pd.Series(CLEANED_ORGANISATIONS))
    assert fields({"Name": CLEANED_ORGANISATIONS})["Name"] == "company_name"


GIVEN_NAMES_ONLY = ["Ann", "Bob", "Carla", "Dev", "Erin", "Frank", "Gina", "Hank"]
UNLISTED_PEOPLE = ["Kornelis Propstra", "Tsjerk Hoekstra", "Jacobus Daamen", "Zbigniew Wiegolaski",
                   "Guenter Kochsmeier", "Anton Molenaar", "Martinus van Putten",
                   "Albert Borreman"]  # fmt: skip
"""Names the nickname table mostly lacks."""


@pytest.mark.parametrize(
    "people", [GIVEN_NAMES_ONLY, UNLISTED_PEOPLE], ids=["given-names-only", "unlisted-names"]
)
def test_a_name_column_of_people_stays_the_person(people: list[str]) -> None:
    assert not names_organisations(pd.Series(people))
    assert fields({"Name": people})["Name"] == "full_name"
