"""The normalize stage: contract, hostile input, dates, agreement with the reference path."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import pytest

from ingest.normalize import normalize_batch, normalize_datetime, normalize_record
from ingest.normalize.errors import DateNormalizationError
from ingest.normalize.groups import GROUPS
from ingest.records import (
    CANONICAL_FIELDS,
    CUSTOM_COLUMN,
    ISSUES_COLUMN,
    NORMALIZED_FIELDS,
    ROW_COLUMN,
)
from ingest.validate import validate_batch

BOOLEAN_FIELDS = (
    "email_is_role",
    "email_is_free",
    "email_is_disposable",
    "email_is_placeholder",
    "name_order_uncertain",
    "email_opt_in",
    "phone_opt_in",
    "sms_opt_in",
    "post_opt_in",
)
HOSTILE = [
    "",
    "   ",
    "n/a",
    "#N/A",
    "\x00",
    "a\x00b",
    "=cmd|' /C calc'!A0",
    "+SUM(A1:A2)",
    "x" * 100_000,
    "😀" * 300,
    "Robert'); DROP TABLE people;--",
    "<script>",
    "\u202e",
    "NaN",
    "None",
    "0",
    "-",
    "@",
    "+",
    "ǅ",
    "İstanbul",
    "\ufeff",
    "\r\n",
]


def _frame(rows: Sequence[Mapping[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame[ROW_COLUMN] = range(2, len(frame) + 2)
    frame[CUSTOM_COLUMN] = pd.Series([{"vendor": i} for i in range(len(frame))], dtype=object)
    return frame


def test_output_contract() -> None:
    frame = _frame(
        [
            {
                "first_name": "JOHN",
                "last_name": "SMITH",
                "email": "John.Smith+x@GMAIL.com",
                "phone": "(415) 555-2671 x12",
                "country": "USA",
                "postal_code": "2134",
                "company_name": "ACME INC",
                "email_opt_in": "yes",
                "captured_at": "03/05/2024",
            },
            {"full_name": "Mary O'Brien", "email": "bad@", "country": "UK", "email_opt_in": "nein"},
        ]
    ).set_index(pd.Index([10, 7]))
    out = normalize_batch(frame, default_region="US")
    assert list(out.index) == [10, 7]
    assert set(NORMALIZED_FIELDS) | {ROW_COLUMN, CUSTOM_COLUMN, ISSUES_COLUMN} == set(out.columns)
    assert out[ROW_COLUMN].tolist() == [2, 3]
    assert out[CUSTOM_COLUMN].tolist() == [{"vendor": 0}, {"vendor": 1}]
    first = out.loc[10]
    assert (first["first_name"], first["last_name"], first["full_name"]) == (
        "John",
        "Smith",
        "John Smith",
    )
    assert (first["email"], first["email_original"], first["email_key"]) == (
        "John.Smith+x@gmail.com",
        "John.Smith+x@GMAIL.com",
        "johnsmith@gmail.com",
    )
    assert (first["phone"], first["phone_ext"], first["phone_original"]) == (
        "+14155552671",
        "12",
        "(415) 555-2671 x12",
    )
    assert (first["country"], first["postal_code"], first["captured_at"]) == (
        "US",
        "02134",
        "2024-03-05",
    )
    assert (first["company_name"], first["company_key"]) == ("Acme Inc", "acme")
    assert first["company_domain"] is None  # gmail is not a company's domain
    assert first["email_opt_in"] is True and first["sms_opt_in"] is None
    assert first[ISSUES_COLUMN] == ()
    second = out.loc[7]
    assert (second["first_name"], second["last_name"], second["country"]) == (
        "Mary",
        "O'Brien",
        "GB",
    )
    assert second["email"] == "bad@" and second["email_key"] is None  # validation nulls it
    assert second["email_opt_in"] is False
    assert second[ISSUES_COLUMN] == ("email.invalid_syntax",)
    for name in BOOLEAN_FIELDS:
        assert all(v is None or isinstance(v, bool) for v in out[name])


@pytest.mark.parametrize(
    ("row", "codes"),
    [
        ({"country": "Narnia"}, ("country.unknown",)),
        ({"country": "US", "region": "Calif."}, ("region.unknown",)),
        ({"country": "US", "postal_code": "ABCDE"}, ("postal_code.invalid_for_country",)),
        ({"phone": "555-0100", "country": "US"}, ("phone.invalid_for_region",)),
        ({"mobile": "000"}, ("mobile.unparseable",)),
        ({"mobile": "030 1234567"}, ("mobile.region_unknown",)),
        ({"email": "info@acme.com"}, ("email.role_account",)),
        ({"email": "x@mailinator.com"}, ("email.disposable_domain",)),
        ({"first_name": "Garcia", "last_name": "Maria"}, ("name.maybe_swapped",)),
        ({"company_name": '=HYPERLINK("x")', "job_title": "=1+1"}, ("value.formula_like",)),
        ({"website": "not a url"}, ("website.invalid",)),
        ({"captured_at": "yesterday"}, ("captured_at.unparseable",)),
    ],
)
def test_issue_codes(row: dict[str, str], codes: tuple[str, ...]) -> None:
    assert normalize_batch(_frame([row]))[ISSUES_COLUMN].iloc[0] == codes


@pytest.mark.parametrize(
    ("row", "domain", "placeholder"),
    [
        ({"website": "https://www.acme.com/about", "email": "jane@gmail.com"}, "acme.com", False),
        ({"email": "jane@acme.de"}, "acme.de", False),
        ({"email": "jane@gmx.de"}, None, False),  # free-mail
        ({"website": "gmail.com"}, None, None),
        ({"website": "mailinator.com", "email": "jane@acme.de"}, "acme.de", False),  # disposable
        ({"website": "https://x.mailinator.com", "email": "jane@mailinator.com"}, None, False),
        ({"email": "john@example.com"}, None, True),  # placeholders, from email or website
        ({"email": "john@mail.example.org"}, None, True),
        ({"email": "none@none.com"}, None, True),
        ({"email": "name@yourcompany.com"}, None, True),
        ({"email": "jane@acme.example"}, None, True),
        ({"website": "www.example.com", "email": "jane@acme.de"}, "acme.de", False),
        ({"website": "https://example.co.uk/", "email": "jane@example.com"}, None, True),
        ({"website": "http://intranet.test"}, "intranet.test", None),  # one company's own
        ({"website": "http://example.test", "email": "jane@acme.de"}, "acme.de", False),
        ({"website": "yourcompany.com", "email": "jane@gmail.com"}, None, False),
        ({"website": "acme.com", "email": "jane@example.com"}, "acme.com", True),
    ],
)
def test_company_domain_is_never_free_disposable_or_placeholder(
    row: dict[str, str], domain: str | None, placeholder: bool | None
) -> None:
    frame = _frame([row])
    out = validate_batch(normalize_batch(frame))
    assert out["company_domain"].iat[0] == domain
    assert out["email_is_placeholder"].iat[0] is placeholder
    assert normalize_record(row)["company_domain"] == domain


@pytest.mark.parametrize(
    ("field", "plain"),
    [
        ("first_name", "John"),
        ("full_name", "John Smith"),
        ("email", "john@acme.com"),
        ("company_name", "Acme Inc"),
        ("phone", "+1 415 555 2671"),
        ("mobile", "(415) 555-2671"),
        ("website", "www.acme.com"),
        ("city", "Frankfurt am Main"),
    ],
)
@pytest.mark.parametrize(
    "dirty",
    [
        lambda s: s[:2] + "\u200b" + s[2:],
        lambda s: "\ufeff" + s,
        lambda s: s[:2] + "\u00ad" + s[2:],
        lambda s: "\u202a" + s + "\u202c",
        lambda s: "\u2066" + s.replace(" ", "\u00a0") + "\u2069",
        lambda s: s.replace(" ", "\u202f") + "\u2060",
    ],
)
def test_invisible_characters_normalize_like_the_plain_value(field: str, plain: str, dirty) -> None:
    rows = [{field: plain, "country": "US"}, {field: dirty(plain), "country": "US"}]
    out = normalize_batch(_frame(rows)).drop(columns=[CUSTOM_COLUMN, ROW_COLUMN])
    clean, messy = out.iloc[0].to_dict(), out.iloc[1].to_dict()
    assert messy == clean  # the *_original columns too: invisible characters go first
    expected = normalize_record(rows[1])
    assert {k: v for k, v in expected.items() if k in messy} == {
        k: out.iloc[1][str(k)] for k in messy
    }


def test_hostile_values_never_fail_the_batch() -> None:
    rows = [{field: value for field in CANONICAL_FIELDS} for value in HOSTILE]
    out = normalize_batch(_frame(rows), default_region="DE")
    assert len(out) == len(HOSTILE)
    assert all(isinstance(codes, tuple) for codes in out[ISSUES_COLUMN])


def test_empty_and_all_missing_frames() -> None:
    assert len(normalize_batch(_frame([]))) == 0
    out = normalize_batch(pd.DataFrame({ROW_COLUMN: [1, 2]}))
    assert out["email"].tolist() == [None, None]
    assert out[ISSUES_COLUMN].tolist() == [(), ()]


def test_pandas_missing_values_are_none() -> None:
    frame = pd.DataFrame(
        {"email": pd.array(["a@acme.com", pd.NA], dtype="string"), "city": [np.nan, "PARIS"]}
    )
    out = normalize_batch(frame)
    assert out["email"].tolist() == ["a@acme.com", None]
    assert out["city"].tolist() == [None, "Paris"]


@pytest.mark.parametrize(
    ("raw", "month_first", "iso"),
    [
        ("2024-03-05", False, "2024-03-05"),
        ("2024-03-05T10:20:30Z", False, "2024-03-05T10:20:30+00:00"),
        ("2024-03-05 10:20:30+02:00", False, "2024-03-05T08:20:30+00:00"),
        ("2024-03-05T10:20", False, "2024-03-05T10:20:00"),
        ("05.03.2024", False, "2024-03-05"),
        ("03/05/2024", True, "2024-03-05"),
        ("03/05/2024", False, "2024-05-03"),
        ("25/12/2023", True, "2023-12-25"),
        ("12/25/2023 3:04 PM", True, "2023-12-25T15:04:00"),
        ("5 Mar 2024", False, "2024-03-05"),
        ("March 5, 2024", False, "2024-03-05"),
        ("Mar 5th, 2024", False, "2024-03-05"),
        ("1/2/24", True, "2024-01-02"),
    ],
)
def test_normalize_datetime(raw: str, month_first: bool, iso: str) -> None:
    assert normalize_datetime(raw, month_first=month_first) == iso


@pytest.mark.parametrize("raw", ["garbage", "2024-02-30", "13/13/2024", "99999"])
def test_bad_dates_raise(raw: str) -> None:
    with pytest.raises(DateNormalizationError):
        normalize_datetime(raw)


def _generated_leads(n: int, seed: int) -> pd.DataFrame:
    """Messy leads with repeats, drawn from the test tables plus hostile values."""
    rnd = random.Random(seed)
    pools: dict[str, list[object]] = {
        "first_name": ["JOHN", "mary", "Zoë", "Garcia", "Dr. Anna", None, "Jean-Luc", "x"],
        "last_name": ["SMITH", "o'brien", "van der berg", "Maria", "Smith Jr.", None, "Müller"],
        "full_name": [
            *(None, None, None, "DR. JOHN MCDONALD JR.", "Smith, John", "madonna"),
            *("DE VRIES Joost", "Taylor Morgan", "Garcia Maria", "Jo\u200bhn SMITH"),
        ],
        "email": [
            "john.smith+x@gmail.com",
            "bad@",
            "info@acme.de",
            None,
            "user@bücher.de",
            "x@mailinator.com",
            "jane@acme.com",
            "  <JANE@ACME.COM> ",
            "用户@例子.广告",
        ],
        "phone": [
            "(415) 555-2671 x12",
            "07911 123456",
            "030/1234567",
            "000",
            None,
            "n/a",
            "+44 20 7946 0958 / +44 7911 123456",
            "555-0100",
            "0041 78 407 3609",
        ],
        "mobile": ["06 12 34 56 78", None, "090-1234-5678", "+91 98765 43210", "abc"],
        "country": ["USA", "UK", "Deutschland", "Holland", None, "Narnia", "FR", "GER", "JP"],
        "region": ["California", "ON", None, "Bavaria", "Calif."],
        "postal_code": ["2134", "sw1a1aa", "ABC", None, "1234ab", "75008", "k1a0b1"],
        "city": ["NEW YORK", "frankfurt am main", None, "São Paulo"],
        "street": ["123 MAIN ST", None, "Goethestraße 48"],
        "company_name": ["ACME INC", None, "Müller GmbH & Co. KG", "IBM", "=1+1"],
        "website": ["https://www.acme.com/x", None, "not a url", "gmail.com"],
        "email_opt_in": ["yes", "nein", None, "x", "maybe"],
        "captured_at": ["03/05/2024", "2024-01-01T00:00:00Z", None, "garbage"],
        "job_title": ["CEO", None, "+SUM(A1)"],
    }
    rows = [
        {field: rnd.choice(values + HOSTILE[:3]) for field, values in pools.items()}
        for _ in range(n)
    ]
    return _frame(rows)


def _assert_agrees(frame: pd.DataFrame, default_region: str | None, sample: int) -> None:
    out = normalize_batch(frame, default_region=default_region)
    rows = random.Random(1).sample(range(len(frame)), min(sample, len(frame)))
    for position in rows:
        raw = {str(k): v for k, v in frame.iloc[position].items()}
        expected = normalize_record(raw, default_region=default_region)
        got = out.iloc[position]
        for name, value in expected.items():
            assert got[name] == value or (got[name] is None and value is None), (position, name)


@pytest.mark.parametrize("default_region", [None, "US", "DE"])
def test_batch_agrees_with_reference_path(default_region: str | None) -> None:
    _assert_agrees(_generated_leads(2000, seed=4), default_region, sample=400)


def test_batch_agrees_with_reference_path_on_sample_leads() -> None:
    generate = pytest.importorskip("sample_data.generate")
    raw = generate.generate_b2b_leads(3000, seed=21)
    headers = {
        "First Name": "first_name",
        "Last Name": "last_name",
        "Title": "job_title",
        "Company": "company_name",
        "E-mail Address": "email",
        "Phone #": "phone",
        "Mobile": "mobile",
        "Address": "street",
        "City": "city",
        "State": "region",
        "Zip": "postal_code",
        "Country": "country",
        "Website": "website",
    }
    frame = raw.rename(columns=headers)[
        [c for c in headers.values() if c in raw.rename(columns=headers).columns]
    ]
    _assert_agrees(frame, "US", sample=500)


BATCH_FORM_VALUES: list[object] = [
    *HOSTILE,
    None,
    "John.Smith@Example.COM",
    "J.O.H.N+news@GoogleMail.com",
    "+john@gmail.com",
    "j+a+b@gmail.com",
    "bob+crm@outlook.com",
    "bob+crm@acme.com",
    "INFO@acme.de",
    "info+x@acme.de",
    "x@mailinator.com",
    "x@sub.mailinator.com",
    "jane@acme.io.",
    "'o'neil@acme.com",
    "a..b@acme.com",
    ".a@acme.com",
    "a@-acme.com",
    "a@acme..com",
    "a@acme-.com",
    "a@xn--bcher-kva.de",
    "a@xn--x.com",
    "a@localhost",
    "a@acme.local",
    "a@test",
    "a@1.2.3.4",
    "a@acme.c0m",
    "a@acme.123",
    "a" * 64 + "@acme.com",
    "a" * 65 + "@acme.com",
    "a@" + "b" * 63 + ".com",
    "a@" + "b" * 64 + ".com",
    "a@" + ".".join(["b" * 60] * 5) + ".com",
    "user@bücher.de",
    "mailto:jane@web.de",
    "<jane@acme.com>",
    "jane@acme.com ",
    "jane @acme.com",
    "CEO",
    "Chief  Technology Officer",
    " VP Marketing",
    "n/a",
    "N/A",
    "None",
    "unknown",
    "-5",
    "+SUM(A1)",
    "=1+1",
    "@x",
    "11-50",
    "x" * 1000,
    "x" * 1001,
    42,
    3.5,
    True,
    "https://www.acme.com/",
    "HTTP://WWW2.Acme.co.uk",
    "www.acme.com",
    "www1.acme.com/",
    "www.com",
    "acme.com//",
    "https://acme.com/x",
    "http://1.2.3.4",
    "acme.123",
    "-acme.com",
    "acme-.com",
    "a." + "b" * 63 + ".com",
    "a." + "b" * 64 + ".com",
    "xn--bcher-kva.de",
    "bücher.de",
    "ftp://acme.com",
    "https://user@acme.com",
    "acme.com:8080",
    "gmail.com",
]


PHONE_VALUES: list[object] = [
    *HOSTILE,
    None,
    "(415) 555-2671 x12",
    "(415) 555-2671",
    "415.555.2671",
    "+1-416-527-9366",
    "1 (415) 257-4367",
    "+14155552671",
    "011 44 20 7946 0958",
    "800-555-0199",
    "900-555-0199",
    "07911 123456",
    "+44 (0)20 7946 0958",
    "030/1234567",
    "0176/26161942",
    "0031 30 216 4686",
    "0041 78 407 3609",
    "06 12 34 56 78",
    "090-1234-5678",
    "+91 98765 43210",
    "+7 912 345-67-89",
    "555-0100",
    "000",
    "tel: +49 30 1234567",
    "+44 20 7946 0958 / +44 7911 123456",
    "(089) 5614 9448 x470",
    "(403) 244-4737 Ext 196",
    "1-800-FLOWERS",
    "+1 (684) 733-1234",
    "+1 340 712 3456",
    "12",
]
COMPANY_WORDS = [
    *("Acme", "Blue", "River", "Müller", "Holdings", "Group", "&", "AT&T", "ibm", "The", "and"),
    *("Co.", "co", "Inc.", "Inc", "Ltd", "Ltd.", "GmbH", "G.M.B.H.", "AG", "KG", "LLC", "L.L.C."),
    *("S.A.", "sa", "B.V.", "nv", "Corp", "Corporation", "Limited", "plc", "S.p.A.", "de", "C.V."),
    *("Pty", "A/S", "Company", "x.", "-", ",", ";", "(", ")", "Aktiengesellschaft", "3M"),
]
COMPANY_VALUES: list[object] = [
    *HOSTILE,
    None,
    ";",
    ", Acme ;",
    "The Company",
    "LLC",
    "Inc Inc",
    "Acme Inc. Inc.",
    "ACME HOLDINGS LTD.",
    "acme gmbh",
    "Acme & Co",
    "=HYPERLINK(x)",
    42,
]


def _company_names() -> list[object]:
    rnd = random.Random(5)
    names = [
        " ".join(rnd.choice(COMPANY_WORDS) for _ in range(rnd.randint(1, 5))) for _ in range(3000)
    ]
    names += [n.upper() for n in names[:500]] + [n.lower() for n in names[500:1000]]
    return list(dict.fromkeys([*COMPANY_VALUES, *names]))


PHONE_REGIONS = [None, "US", "CA", "GB", "DE", "FR", "JP", "IN", "AU", "BR", "RU", "XX", "us"]


def _batch_form_inputs(group) -> list[list[object]]:
    if group.name == "company_domain":  # (site, email domain, free, disposable, placeholder)
        sites = [None, "", "acme.com", "gmail.com", "mailinator.com", "b-c.org", "example.com"]
        sites += ["x.sub.mailinator.com", "acme.test", "example.co.uk", "mail.test.com"]
        flags = [None, True, False]
        combos = [
            (site, email, free, disposable, placeholder)
            for site in sites
            for email in sites[:7]
            for free in flags
            for disposable in flags
            for placeholder in flags
        ]
        return [list(column) for column in zip(*combos, strict=True)]
    if group.name == "company":
        return [_company_names()]
    if len(group.inputs) == 2:  # (phone cell, region)
        rnd = random.Random(11)
        cells = [*PHONE_VALUES]
        for _ in range(400):
            digits = "".join(rnd.choice("0123456789") for _ in range(rnd.choice([7, 10, 11, 12])))
            cells.append(rnd.choice(["", "+", "0", "00", "1 ", "+1 "]) + digits)
        pairs = [(cell, rnd.choice(PHONE_REGIONS)) for cell in cells for _ in range(2)]
        return [list(column) for column in zip(*dict.fromkeys(pairs), strict=True)]
    rnd = random.Random(7)
    generated = [
        f"{rnd.choice(['jane', 'J.Doe', 'info', 'a+b', 'x_y'])}@"
        f"{rnd.choice(['gmail.com', 'Acme.COM', 'hotmail.co.uk', 'b-c.org', 'mailinator.com'])}"
        for _ in range(200)
    ]
    placeholders = ["example.com", "Example.DE", "x.example.org", "test.com", "none.com"]
    placeholders += ["yourcompany.com", "acme.example", "acme.com.test", "exemple.com"]
    generated += [f"jane@{domain}" for domain in placeholders]
    return [list(dict.fromkeys([*BATCH_FORM_VALUES, *generated]))]


@pytest.mark.parametrize("group", [g for g in GROUPS if g.vector is not None], ids=lambda g: g.name)
def test_batch_forms_agree_with_group_functions(group) -> None:
    inputs = _batch_form_inputs(group)
    handled, columns = group.vector(*inputs)
    assert handled.sum() > 0
    for position in np.flatnonzero(handled):
        args = [column[position] for column in inputs]
        expected = group.func(*args)
        got = tuple(column[position] for column in columns)
        assert got == expected, args
        assert [type(v) for v in got] == [type(v) for v in expected], args
