"""Tests for the seeded sample-data generator."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import phonenumbers
import pytest
from email_validator import validate_email

from sample_data import _reference as ref
from sample_data._acme import ACME_HEADERS
from sample_data._census import COLUMNS
from sample_data._demo import PATHS, write_demo
from sample_data._formats import EURO_HEADERS, EVENT_HEADERS
from sample_data._world import nicknames_for
from sample_data.generate import DEFAULT_SEED, generate_b2b_leads, main

REPO_SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
REGION = {
    "US": "US",
    "CA": "CA",
    "GB": "GB",
    "DE": "DE",
    "FR": "FR",
    "NL": "NL",
    "AT": "AT",
    "CH": "CH",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    write_demo(out, seed=DEFAULT_SEED)
    return out


@pytest.fixture(scope="module")
def leads():
    return generate_b2b_leads(20_000)


def _digest(root: Path) -> dict[str, str]:
    return {p: hashlib.sha256((root / p).read_bytes()).hexdigest() for p in PATHS.values()}


def test_demo_is_deterministic(demo: Path, tmp_path: Path) -> None:
    write_demo(tmp_path, seed=DEFAULT_SEED)
    assert _digest(tmp_path) == _digest(demo)


def test_committed_demo_files_are_current(demo: Path) -> None:
    assert _digest(REPO_SAMPLE) == _digest(demo)


def test_other_seed_differs(demo: Path, tmp_path: Path) -> None:
    write_demo(tmp_path, seed=1)
    assert _digest(tmp_path) != _digest(demo)


def _rows(path: Path, encoding: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding=encoding)), delimiter=delimiter))


def test_acme_headers_and_size(demo: Path) -> None:
    raw = (demo / PATHS["acme"]).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = _rows(demo / PATHS["acme"], "utf-8")
    assert rows[0] == ACME_HEADERS
    assert 350 <= len(rows) - 1 <= 450


def test_eurodata_is_cp1252_semicolon(demo: Path) -> None:
    raw = (demo / PATHS["eurodata"]).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    rows = _rows(demo / PATHS["eurodata"], "cp1252", ";")
    assert rows[0] == EURO_HEADERS
    assert all(len(r) == len(EURO_HEADERS) for r in rows)
    assert 200 <= len(rows) - 1 <= 300


def test_events_have_bom_and_multi_attendee_orders(demo: Path) -> None:
    raw = (demo / PATHS["events"]).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = _rows(demo / PATHS["events"], "utf-8-sig")
    assert rows[0] == EVENT_HEADERS
    body = rows[1:]
    statuses = {r[EVENT_HEADERS.index("Attendee Status")] for r in body}
    assert statuses == {"Attending", "Checked In", "Cancelled", "Not Attending"}
    orders = [r[0] for r in body]
    assert max(orders.count(o) for o in set(orders)) > 1


def test_jsonl_shapes(demo: Path) -> None:
    web = [json.loads(x) for x in (demo / PATHS["web"]).read_text("utf-8").splitlines()]
    assert 120 <= len(web) <= 180
    assert set(web[0]) == {
        "submission_id",
        "form_id",
        "submitted_at",
        "ip",
        "user_agent",
        "fields",
        "consent",
        "double_opt_in_confirmed_at",
    }
    assert {w["form_id"] for w in web} == {"contact-us", "webinar-signup"}
    assert all(w["ip"].startswith(("192.0.2.", "198.51.100.", "203.0.113.")) for w in web)
    assert all(w["submitted_at"].endswith("Z") for w in web)
    listings = [json.loads(x) for x in (demo / PATHS["directory"]).read_text("utf-8").splitlines()]
    assert 100 <= len(listings) <= 140
    assert set(listings[0]) == {
        "url",
        "name",
        "street",
        "city",
        "region",
        "postal_code",
        "country",
        "phone",
        "website",
        "category",
        "fetched_at",
    }


def test_census_two_header_rows_cover_us_zips(demo: Path) -> None:
    rows = _rows(demo / PATHS["census"], "utf-8")
    assert rows[0][:2] == ["GEO_ID", "NAME"] and rows[0] == list(COLUMNS)
    assert rows[1][:2] == ["Geography", "Geographic Area Name"]
    flat = {v for r in rows[2:] for v in r}
    assert {"-666666666", "250,000+", "-", "N", "(X)"} <= flat
    zctas = {r[1].removeprefix("ZCTA5 ") for r in rows[2:]}
    acme = _rows(demo / PATHS["acme"], "utf-8")
    us_zips = {r[11].zfill(5) for r in acme[1:] if r[11] and r[12] in ref.COUNTRY_SPELLINGS["US"]}
    assert us_zips and us_zips <= zctas


def _e164(value: str, region: str) -> str | None:
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def test_suppressions_hit_real_values(demo: Path) -> None:
    rows = _rows(demo / PATHS["suppressions"], "utf-8")
    assert rows[0] == ["value", "kind", "reason"]
    text = "\n".join(
        (demo / PATHS[k]).read_text(e).lower()
        for k, e in (
            ("acme", "utf-8"),
            ("eurodata", "cp1252"),
            ("events", "utf-8-sig"),
            ("web", "utf-8"),
        )
    )
    acme = _rows(demo / PATHS["acme"], "utf-8")[1:]
    phones = {_e164(r[7], REGION[_country(r[12]) or "US"]) for r in acme if r[7]}
    hits = [v for v, kind, _ in rows[1:] if (v in text if kind == "email" else v in phones)]
    assert len(hits) >= 10
    assert {kind for _, kind, _ in rows[1:]} == {"email", "phone"}


def _country(spelled: str) -> str | None:
    return next((c for c, names in ref.COUNTRY_SPELLINGS.items() if spelled in names), None)


@pytest.mark.slow  # 20,000 generated leads
def test_large_phones_are_valid(leads) -> None:
    sample = leads.sample(3000, random_state=1)
    bad = []
    for phone, mobile, spelled in zip(
        sample["Phone #"], sample["Mobile"], sample["Country"], strict=True
    ):
        region = _country(spelled)
        for value in (phone, mobile):
            if value and value not in ("000", "0000000000", "n/a", "123"):
                cleaned = value.split(" x")[0].split(" ext")[0].split(" Ext")[0].split(" #")[0]
                if _e164(cleaned, region or "US") is None and _e164(cleaned, "US") is None:
                    bad.append((value, spelled))
    # A mover's mobile can be from another country than the office; parse those with a '+'.
    assert len(bad) <= len(sample) * 0.01, bad[:10]


def test_demo_phones_are_valid(demo: Path) -> None:
    acme = _rows(demo / PATHS["acme"], "utf-8")[1:]
    invalid = [
        r[6]
        for r in acme
        if r[6]
        and r[6] not in ("000", "0000000000", "n/a", "123")
        and _e164(
            r[6].split(" x")[0].split(" e")[0].split(" E")[0].split(" #")[0],
            REGION[_country(r[12]) or "US"],
        )
        is None
    ]
    assert not invalid


@pytest.mark.slow  # 20,000 generated leads
def test_good_emails_validate(leads) -> None:
    emails = leads["E-mail Address"].dropna().sample(2000, random_state=2)
    good = [e for e in emails if "@" in e and "." in e.partition("@")[2]]
    assert len(good) > 1500
    for email in good:
        validate_email(email, check_deliverability=False)


@pytest.mark.slow  # 20,000 generated leads
def test_truth_clusters_have_variants(leads) -> None:
    sizes = leads["true_person_id"].value_counts()
    assert (sizes > 1).sum() > 1000 and sizes.max() >= 5
    firsts = leads.groupby("true_person_id")["First Name"].agg(lambda s: set(s.str.strip()))
    pairs = [f for f in firsts if len(f) > 1]
    nick = sum(
        any(b.lower() in {n.lower() for n in nicknames_for(a)} for a in f for b in f) for f in pairs
    )
    initials = sum(any(len(x) == 2 and x.endswith(".") for x in f) for f in pairs)
    assert nick > 50 and initials > 10
    assert leads["Company"].str.upper().nunique() < leads["Company"].nunique()


@pytest.mark.slow  # three 3,000-lead files
def test_large_determinism_and_bad_rows() -> None:
    a, b = generate_b2b_leads(3000, seed=7), generate_b2b_leads(3000, seed=7)
    assert a.equals(b)
    assert not a.equals(generate_b2b_leads(3000, seed=8))
    assert a["Last Name"].str.startswith('=HYPERLINK("http://x","y")').any()
    emails = set(a["E-mail Address"])
    assert any(e.split("@")[-1] in ref.DISPOSABLE for e in emails)
    assert any(e.split("@")[0] in ref.ROLE_LOCALS for e in emails)
    assert (a[["E-mail Address", "Phone #", "Mobile"]] == "").all(axis=1).any()


def test_cli_large(tmp_path: Path) -> None:
    main(["large", "--rows", "500", "--out", str(tmp_path)])
    rows = _rows(tmp_path / "b2b_leads_500.csv", "utf-8")
    assert rows[0] == [*ACME_HEADERS, "true_person_id"]
    assert len(rows) == 501
