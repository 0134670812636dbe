"""Column mapping: real vendor headers to canonical fields, fuzzy typos, one header per field."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ingest.errors import MappingError
from ingest.mapping import (
    HEADER_SYNONYMS,
    ColumnMapping,
    apply_mapping,
    normalize_header,
    propose_mapping,
)
from ingest.profiles import SourceProfile
from ingest.records import CANONICAL_FIELDS, CUSTOM_COLUMN, ROW_COLUMN

# (header as seen in real exports, expected canonical field)
VENDOR_HEADERS = [
    ("Assignee", "company_name"),
    # directories and listings name the organisation by what it is
    ("Site name", "company_name"),
    ("Facility Name", "company_name"),
    ("Restaurant", "company_name"),
    ("DBA", "company_name"),
    ("registered_address_line1", "street"),
    ("Registered City", "city"),
    ("registered_country", "country"),
    # English vendor lists and CRM exports
    ("E-mail Address", "email"),
    ("email", "email"),
    ("EMAIL_ADDRESS", "email"),
    ("Phone #", "phone"),
    ("Phone No.", "phone"),
    ("Tel.", "phone"),
    ("Mobile Phone", "mobile"),
    ("Cell #", "mobile"),
    ("Zip", "postal_code"),
    ("Zip/Postal Code", "postal_code"),
    ("Postcode", "postal_code"),
    ("Job Title", "job_title"),
    ("Title", "job_title"),
    ("Salutation", "honorific"),
    ("First Name", "first_name"),
    ("first_name", "first_name"),
    ("Surname", "last_name"),
    ("Name", "full_name"),
    ("Organisation", "company_name"),
    ("Account Name", "company_name"),
    ("# Employees", "company_size"),
    ("State/Province", "region"),
    ("Street Address", "street"),
    ("Website", "website"),
    ("Lead ID", "source_record_id"),
    ("Order #", "source_record_id"),
    ("Attendee #", "source_record_id"),
    ("Ticket Type", "activity_subject"),
    ("Opt-In Email", "email_opt_in"),
    ("I agree to receive marketing emails", "email_opt_in"),
    ("IP Address", "consent_ip"),
    ("Created Date", "captured_at"),
    ("contact_name", "full_name"),
    ("Contact Name", "full_name"),
    ("website", "website"),
    ("birth_date", "birth_date"),
    ("Birth Date", "birth_date"),
    ("Date of Birth", "birth_date"),
    ("DOB", "birth_date"),
    ("D.O.B.", "birth_date"),
    ("Birthdate", "birth_date"),
    ("Birthday", "birth_date"),
    ("Geburtsdatum", "birth_date"),
    ("Geb.-Datum", "birth_date"),
    ("Date de naissance", "birth_date"),
    ("Né le", "birth_date"),
    ("Geboortedatum", "birth_date"),
    ("Fecha de nacimiento", "birth_date"),
    # German
    ("E-Mail", "email"),
    ("Telefon", "phone"),
    ("Handy", "mobile"),
    ("PLZ", "postal_code"),
    ("Firma", "company_name"),
    ("Anrede", "honorific"),
    ("Vorname", "first_name"),
    ("Nachname", "last_name"),
    ("Position", "job_title"),
    ("Straße", "street"),
    ("Strasse", "street"),
    ("Ort", "city"),
    ("Land", "country"),
    ("Webseite", "website"),
    ("Branche", "industry"),
    ("Kontakt-Nr", "source_record_id"),
    # French
    ("Courriel", "email"),
    ("Société", "company_name"),
    ("Prénom", "first_name"),
    ("Nom", "last_name"),
    ("Téléphone", "phone"),
    ("Code postal", "postal_code"),
    ("Ville", "city"),
    ("Civilité", "honorific"),
    # Dutch
    ("Voornaam", "first_name"),
    ("Achternaam", "last_name"),
    ("Bedrijfsnaam", "company_name"),
    ("Woonplaats", "city"),
    ("Telefoonnummer", "phone"),
    # Spanish
    ("Correo electrónico", "email"),
    ("Nombre", "first_name"),
    ("Apellidos", "last_name"),
    ("Empresa", "company_name"),
    ("Código postal", "postal_code"),
    ("Ciudad", "city"),
    ("País", "country"),
]


@pytest.mark.parametrize(("header", "expected"), VENDOR_HEADERS)
def test_real_vendor_headers(header: str, expected: str) -> None:
    (choice,) = propose_mapping([header]).columns
    assert choice.field == expected
    assert choice.method in ("exact", "synonym")
    assert choice.score == 100.0


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Emial", "email"),
        ("Frist Name", "first_name"),
        ("Last Nmae", "last_name"),
        ("Compnay", "company_name"),
        ("Adress", "street"),
        ("Zip Cod", "postal_code"),
        ("Telephon", "phone"),
    ],
)
def test_fuzzy_typos(header: str, expected: str) -> None:
    (choice,) = propose_mapping([header]).columns
    assert (choice.field, choice.method) == (expected, "fuzzy")
    assert 80 <= choice.score < 100


@pytest.mark.parametrize(
    "header",
    [
        "Lead Score",  # a real column with no canonical field
        "Stage",  # one edit from "State": known CRM header, stays custom
        "Opt-In Emial",  # consent fields do not fuzzy-match at all
        "Notes",
        "Ort2x",
        "Xyz",
        "Fax",
        "last_name_2",  # a second surname stays custom (not fuzzy-matched to last_name)
        "Segundo apellido",
        "Birth Year",  # two edits from "birthdate": no fuzzy match
    ],
)
def test_unmatched_headers_stay_custom(header: str) -> None:
    (choice,) = propose_mapping([header]).columns
    assert choice.field is None and choice.method in ("custom", "synonym")
    # a known CRM header keeps a standard custom name; nothing else is renamed
    assert choice.method == "synonym" or choice.custom_name is None
    mapping = propose_mapping([header])
    assert mapping.custom == {header: choice.custom_name or header}


def test_an_opt_out_header_is_an_opt_out_never_an_opt_in() -> None:
    (choice,) = propose_mapping(["Email Opt Out"]).columns
    assert choice.field == "email_opt_out" and choice.method in ("exact", "synonym")


def test_each_field_is_taken_once_and_the_best_header_wins() -> None:
    mapping = propose_mapping(["Emial", "Telefon", "Phone", "E-mail Address", "Phone_2"])
    assert mapping.fields == {"email": "E-mail Address", "phone": "Phone"}
    by_header = {c.header: c for c in mapping.columns}
    assert by_header["Emial"].field is None and by_header["Emial"].contested == "email"
    assert by_header["Telefon"].field is None and by_header["Telefon"].contested == "phone"
    assert by_header["Phone_2"].field is None  # duplicate suffix does not fuzzy into phone
    assert set(mapping.custom) == {"Emial", "Telefon", "Phone_2"}
    assert [c.header for c in mapping.columns] == [
        "Emial",
        "Telefon",
        "Phone",
        "E-mail Address",
        "Phone_2",
    ]


def test_ties_go_to_the_first_header() -> None:
    mapping = propose_mapping(["E-Mail", "Email"])
    assert mapping.fields == {"email": "E-Mail"}


def test_profile_wins_over_synonyms() -> None:
    profile = SourceProfile(
        name="p",
        columns={"Title": "honorific", "Position": "job_title", "Notes": "custom:remarks"},
    )
    mapping = propose_mapping(["Title", "Position", "Notes", "Email", "Extra"], profile=profile)
    by_header = {c.header: c for c in mapping.columns}
    assert (by_header["Title"].field, by_header["Title"].method) == ("honorific", "profile")
    assert (by_header["Position"].field, by_header["Position"].method) == ("job_title", "profile")
    assert by_header["Notes"].field is None and by_header["Notes"].custom_name == "remarks"
    assert by_header["Email"].method == "exact"
    assert mapping.custom == {"Notes": "remarks", "Extra": "Extra"}


def test_profile_field_beats_an_exact_header_for_the_same_field() -> None:
    profile = SourceProfile(name="p", columns={"Work Mail": "email"})
    mapping = propose_mapping(["email", "Work Mail"], profile=profile)
    assert mapping.fields == {"email": "Work Mail"}
    assert mapping.columns[0].contested == "email"


@pytest.mark.parametrize(
    ("header", "field"),
    [("inventor_name_first", "first_name"), ("name_last", "last_name"),
     ("Inventor City", "city"), ("inventor_country", "country"),
     ("disambig_assignee_organization", "company_name"), ("ContactEmail", "email"),
     ("leadPhone", "phone"), ("Contact Email Opt Out", None), ("E-Post", None),
     ("inventor_sequence", None), ("pat_first_name", "first_name"),
     ("pat_last_name", "last_name"), ("residential_city", "city"),
     ("residential_postal_code", "postal_code"), ("residential_address_line1", "street"),
     ("Mailing Country", "country"), ("policyholder_email", "email"),
     ("alias_first_name", None), ("Buyer Email", None)],
)  # fmt: skip
def test_role_words_are_dropped_and_two_words_read_either_way(
    header: str, field: str | None
) -> None:
    """A role word before a known header ("Inventor City") or a known two-word header the
    other way round ("name_last"); never a consent field, never a one-letter word turned."""
    choice = propose_mapping([header]).columns[0]
    assert choice.field == field
    if field is not None:
        assert choice.method == "synonym"


def test_profile_headers_match_loosely_and_missing_ones_are_reported() -> None:
    profile = SourceProfile(name="p", columns={"E-Mail Address": "email", "Fax": "custom"})
    mapping = propose_mapping(["e-mail address"], profile=profile)
    assert mapping.columns[0].method == "profile"
    assert mapping.missing == ("Fax",)
    assert "missing from source" in mapping.describe()


def test_repeated_headers_are_rejected() -> None:
    with pytest.raises(MappingError, match="unique") as caught:
        propose_mapping(["Email", "Email"])
    assert caught.value.headers == ("Email",)


def test_custom_name_clash_is_rejected() -> None:
    profile = SourceProfile(name="p", columns={"Lead Score": "custom:Notes"})
    with pytest.raises(MappingError, match="custom field name 'Notes'"):
        propose_mapping(["Lead Score", "Notes"], profile=profile)


def test_to_dict_is_json_and_round_trips() -> None:
    mapping = propose_mapping(["Emial", "Phone #", "Lead Score"])
    data = json.loads(json.dumps(mapping.to_dict()))
    assert ColumnMapping.from_dict(data) == mapping
    assert data["columns"][0] == {
        "header": "Emial",
        "field": "email",
        "method": "fuzzy",
        "score": 80.0,
        "custom_name": None,
        "contested": None,
        "combined": False,
    }


def test_describe_lists_every_header() -> None:
    text = propose_mapping(["Phone #", "Lead Score"]).describe()
    assert "Phone #" in text and "phone" in text and "known header" in text
    assert "custom:Lead Score" in text


def test_synonym_table_targets_canonical_fields_and_has_no_clashes() -> None:
    assert set(HEADER_SYNONYMS) <= set(CANONICAL_FIELDS)
    seen: dict[str, str] = {}
    for canonical, names in HEADER_SYNONYMS.items():
        for name in names:
            key = normalize_header(name)
            assert seen.setdefault(key, canonical) == canonical, name


@pytest.mark.parametrize(
    ("header", "expected"),
    [("E-mail Address", "emailaddress"), ("Straße", "strasse"), ("Phone #", "phoneno")],
)
def test_normalize_header(header: str, expected: str) -> None:
    assert normalize_header(header) == expected


def _rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "E-mail Address": ["a@example.com", None, ""],
            "Zip": ["NA", "02134", None],
            "Lead Score": ["7", "", None],
            "Notes": [None, "call back", "x"],
            ROW_COLUMN: [2, 3, 5],
        },
        dtype=object,
    ).astype({ROW_COLUMN: "int64"})


def test_apply_mapping_returns_canonical_columns_and_custom_dicts() -> None:
    rows = _rows()
    out = apply_mapping(rows, propose_mapping([c for c in rows.columns if c != ROW_COLUMN]))
    assert list(out.columns) == [ROW_COLUMN, *CANONICAL_FIELDS, CUSTOM_COLUMN]
    assert out[ROW_COLUMN].tolist() == [2, 3, 5]
    assert out["email"].tolist() == ["a@example.com", None, None]
    assert out["postal_code"].tolist() == ["NA", "02134", None]  # "NA" is text, not missing
    assert out["first_name"].tolist() == [None, None, None]
    assert out[CUSTOM_COLUMN].tolist() == [
        {"Lead Score": "7"},
        {"Notes": "call back"},
        {"Notes": "x"},
    ]
    assert all(
        dtype is np.dtype(object) for name, dtype in out.dtypes.items() if name != ROW_COLUMN
    )


def test_apply_mapping_uses_custom_names_and_keeps_the_index() -> None:
    rows = _rows().set_axis([10, 11, 12])
    profile = SourceProfile(name="p", columns={"Lead Score": "custom:score"})
    mapping = propose_mapping([c for c in rows.columns if c != ROW_COLUMN], profile=profile)
    out = apply_mapping(rows, mapping)
    assert out.index.tolist() == [10, 11, 12]
    assert out[CUSTOM_COLUMN].tolist()[0] == {"score": "7"}


def test_apply_mapping_on_an_empty_batch() -> None:
    rows = _rows().iloc[0:0]
    out = apply_mapping(rows, propose_mapping(["E-mail Address", "Zip", "Lead Score", "Notes"]))
    assert len(out) == 0 and CUSTOM_COLUMN in out.columns


def test_apply_mapping_rejects_a_batch_without_the_mapped_columns() -> None:
    with pytest.raises(MappingError, match="lacks columns") as caught:
        apply_mapping(_rows(), propose_mapping(["Email", "Phone"]))
    assert caught.value.headers == ("Email", "Phone")


def test_rldata_shaped_headers_map_every_column() -> None:
    """The RLdata10000 shape: first, middle, last, second surname and birth date columns."""
    headers = ["first_name", "middle_name", "last_name", "last_name_2", "birth_date"]
    mapping = propose_mapping(headers)
    assert mapping.fields == {
        "first_name": "first_name",
        "middle_name": "middle_name",
        "last_name": "last_name",
        "birth_date": "birth_date",
    }
    assert mapping.custom == {"last_name_2": "last_name_2"}
    (second,) = [c for c in mapping.columns if c.header == "last_name_2"]
    assert (second.method, second.contested) == ("custom", None)
    rows = pd.DataFrame(
        {
            "first_name": ["CARSTEN"],
            "middle_name": [None],
            "last_name": ["MEIER"],
            "last_name_2": ["SCHMIDT"],
            "birth_date": ["1949-07-12"],
        }
    )
    out = apply_mapping(rows, mapping)
    assert out[["first_name", "last_name", "birth_date"]].iloc[0].tolist() == [
        "CARSTEN",
        "MEIER",
        "1949-07-12",
    ]
    assert out[CUSTOM_COLUMN].iat[0] == {"last_name_2": "SCHMIDT"}


def test_a_street_kept_in_parts_is_joined_in_source_order() -> None:
    headers = ["first_name", "mailing_address_street_number", "mailing_address_street_name",
               "mailing_address_unit_number", "mailing_address_po_box", "mailing_address_city",
               "mailing_address_zipcode"]  # fmt: skip
    mapping = propose_mapping(headers)
    assert mapping.fields["street"] == "mailing_address_street_number"
    assert mapping.combined["street"] == headers[1:4]
    assert mapping.fields["city"] == "mailing_address_city"
    assert mapping.fields["postal_code"] == "mailing_address_zipcode"
    rows = pd.DataFrame(
        {h: ["", ""] for h in headers}
        | {
            "mailing_address_street_number": ["1501", ""],
            "mailing_address_street_name": ["interlake ave n", ""],
            "mailing_address_unit_number": ["apt 4", ""],
        }
    )
    out = apply_mapping(rows, mapping)
    assert out["street"].tolist() == ["1501 interlake ave n apt 4", None]


def test_street_parts_need_a_street_name_and_never_displace_a_whole_street() -> None:
    assert "street" not in propose_mapping(["Name", "House Number", "Unit"]).fields
    mapping = propose_mapping(["Street Address", "House Number", "Street Name"])
    assert mapping.fields["street"] == "Street Address" and not mapping.combined
    german = propose_mapping(["Straßenname", "Hausnummer", "PLZ"])
    assert german.combined["street"] == ["Straßenname", "Hausnummer"]  # "Hauptstraße 12"
