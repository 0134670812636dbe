"""The consent policy and stage: per jurisdiction and channel, table-driven (no store)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from ingest.consent import SourceTerms, apply_consent, consent_column, hash_value
from ingest.consent_policy import ConsentPolicy, ConsentPolicyError, default_policy, load_policy
from ingest.records import Channel

NOW = datetime(2026, 11, 1, tzinfo=UTC)
SALT = "test-salt"
TRUSTED = SourceTerms()
PURCHASED = SourceTerms(trust_opt_in=False, purchased=True, declared_basis="legitimate_interest")
PURCHASED_OPT_IN = SourceTerms(purchased=True, declared_basis="opt_in")
CUSTOMER = SourceTerms(relationship="customer", declared_basis="existing_customer")
INQUIRY = SourceTerms(relationship="inquiry")
WORDING = {"consent_text": "Yes, call and text me about offers."}


def row(country: str | None, **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "country": country, "region": None, "email": "ann@example.org",
        "email_key": "ann@example.org", "phone": "+14125550100", "phone_type": "mobile",
        "mobile": None, "street": "1 Main St", "email_opt_in": None, "phone_opt_in": None,
        "sms_opt_in": None, "post_opt_in": None, "consent_text": None, "captured_at": None,
        "custom": {},
    }  # fmt: skip
    base.update(extra)
    return base


def decide(
    rec: dict[str, Any], channel: Channel, terms: SourceTerms = TRUSTED,
    policy: ConsentPolicy | None = None, suppressed: dict[str, str] | None = None,
) -> tuple[str, str | None, str | None]:  # fmt: skip
    out = apply_consent(pd.DataFrame([rec]), policy=policy or default_policy(), terms=terms,
                        suppressed=suppressed or {}, salt=SALT, now=NOW)  # fmt: skip
    first = out.iloc[0]
    return (
        first[consent_column(channel)],
        first[consent_column(channel, "basis")],
        first[consent_column(channel, "reason")],
    )


E, P, S, M = Channel.EMAIL, Channel.PHONE, Channel.SMS, Channel.POST
# fmt: off
CASES = [
    # id, record, channel, terms -> status, lawful basis (None = not permitted), reason
    ("uk email opt-in", row("GB", email_opt_in=True), E, TRUSTED, ("opt_in", "consent", None)),
    ("uk email purchased no declared opt-in", row("GB", email_opt_in=True), E, PURCHASED,
     ("unknown", None, "consent.no_declared_opt_in")),
    ("uk email purchased declared opt-in", row("GB", email_opt_in=True), E, PURCHASED_OPT_IN,
     ("opt_in", "consent", None)),
    ("uk email soft opt-in", row("GB"), E, CUSTOMER, ("unknown", "existing_customer", None)),
    ("uk email no answer", row("GB"), E, TRUSTED, ("unknown", None, "consent.opt_in_required")),
    ("uk phone opt-out model", row("GB"), P, PURCHASED, ("unknown", "legitimate_interest", None)),
    ("uk post", row("GB"), M, PURCHASED, ("unknown", "legitimate_interest", None)),
    ("de email purchased", row("DE"), E, PURCHASED,
     ("unknown", None, "consent.no_declared_opt_in")),
    ("de email soft opt-in", row("DE"), E, CUSTOMER, ("unknown", "existing_customer", None)),
    ("de phone needs opt-in", row("DE"), P, TRUSTED,
     ("unknown", None, "consent.opt_in_required")),
    ("fr email refused", row("FR", email_opt_in=False), E, TRUSTED,
     ("opt_out", None, "consent.opted_out")),
    ("us email can-spam", row("US"), E, PURCHASED, ("unknown", "legitimate_interest", None)),
    ("us email unsubscribed", row("US", email_opt_in=False), E, PURCHASED,
     ("opt_out", None, "consent.opted_out")),
    ("us phone tcpa without wording", row("US", phone_opt_in=True), P, TRUSTED,
     ("opt_in", None, "consent.written_consent_required")),
    ("us phone tcpa written", row("US", phone_opt_in=True, **WORDING), P, TRUSTED,
     ("opt_in", "consent", None)),
    ("us sms tcpa written", row("US", sms_opt_in=True, **WORDING), S, TRUSTED,
     ("opt_in", "consent", None)),
    ("us sms purchased", row("US", sms_opt_in=True), S, PURCHASED,
     ("unknown", None, "consent.no_declared_opt_in")),
    ("us sms without a mobile", row("US", sms_opt_in=True, phone_type="fixed_line"), S, TRUSTED,
     ("opt_in", None, "consent.no_contact_point")),
    ("ca email express", row("CA", email_opt_in=True), E, TRUSTED, ("opt_in", "consent", None)),
    ("ca email inquiry 2 months", row("CA", captured_at="2026-09-01"), E, INQUIRY,
     ("unknown", "consent", None)),
    ("ca email inquiry 8 months", row("CA", captured_at="2026-03-01"), E, INQUIRY,
     ("unknown", None, "consent.implied_expired")),
    ("ca email inquiry no date", row("CA"), E, INQUIRY,
     ("unknown", None, "consent.implied_no_date")),
    ("ca email purchase 20 months", row("CA", captured_at="2025-03-01"), E, CUSTOMER,
     ("unknown", "existing_customer", None)),
    ("ca email purchase 25 months", row("CA", captured_at="2024-10-01"), E, CUSTOMER,
     ("unknown", None, "consent.implied_expired")),
    ("ca email purchased list", row("CA"), E, PURCHASED,
     ("unknown", None, "consent.no_declared_opt_in")),
    ("ca phone", row("CA"), P, PURCHASED, ("unknown", "legitimate_interest", None)),
    ("unknown country email strictest", row(None), E, PURCHASED,
     ("unknown", None, "consent.no_declared_opt_in")),
    ("unknown country email opt-in", row(None, email_opt_in=True), E, TRUSTED,
     ("opt_in", "consent", None)),
    ("unknown country phone strictest is written", row(None, phone_opt_in=True), P, TRUSTED,
     ("opt_in", None, "consent.written_consent_required")),
    ("unlisted country is strictest", row("JP"), P, PURCHASED,
     ("unknown", None, "consent.no_declared_opt_in")),
    ("fallback country from the profile", row(None), E,
     SourceTerms(trust_opt_in=False, purchased=True, fallback_country="US"),
     ("unknown", "legitimate_interest", None)),
    ("no email at all", row("GB", email=None, email_key=None), E, TRUSTED,
     ("unknown", None, "consent.no_contact_point")),
]
# fmt: on


@pytest.mark.parametrize(("rec", "channel", "terms", "expected"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])  # fmt: skip
def test_jurisdiction_and_channel_rules(
    rec: dict[str, Any], channel: Channel, terms: SourceTerms, expected: tuple[Any, ...]
) -> None:
    assert decide(rec, channel, terms) == expected


def test_implied_consent_records_its_expiry() -> None:
    frame = pd.DataFrame([row("CA", captured_at="2026-09-01")])
    out = apply_consent(
        frame, policy=default_policy(), terms=INQUIRY, suppressed={}, salt=SALT, now=NOW
    )
    expires = datetime.fromisoformat(out.iloc[0][consent_column(E, "expires")])
    assert expires.date().isoformat() == "2027-03-02"  # six months after the inquiry


def test_do_not_call_withdraws_phone_and_sms_but_keeps_the_record() -> None:
    suppressed = {hash_value("+14125550100", SALT): "suppressed.do_not_call"}
    rec = row("US", phone_opt_in=True, sms_opt_in=True, **WORDING)
    assert decide(rec, P, suppressed=suppressed)[1:] == (None, "suppressed.do_not_call")
    assert decide(rec, S, suppressed=suppressed)[1:] == (None, "suppressed.do_not_call")
    assert decide(rec, E, suppressed=suppressed)[1] == "legitimate_interest"
    out = apply_consent(pd.DataFrame([rec]), policy=default_policy(), suppressed=suppressed,
                        salt=SALT, now=NOW)  # fmt: skip
    assert pd.isna(out.iloc[0]["suppression_reason"])


def test_an_unsubscribed_email_suppresses_the_record() -> None:
    suppressed = {hash_value("ann@example.org", SALT): "suppressed.unsubscribe"}
    out = apply_consent(pd.DataFrame([row("US"), row("US", email="bo@example.org",
                        email_key="bo@example.org")]), policy=default_policy(),
                        suppressed=suppressed, salt=SALT, now=NOW)  # fmt: skip
    reasons = [r if isinstance(r, str) else None for r in out["suppression_reason"]]
    assert reasons == ["suppressed.unsubscribe", None]


POLICY_TOML = """
version = "test-7"
unknown_jurisdiction = "DE"
[jurisdictions.DE]
countries = ["DE"]
channels.email = { model = "opt_in", double_opt_in = true }
channels.sms = { model = "opt_in" }
channels.phone = { model = "opt_in" }
channels.post = { model = "opt_out" }
[jurisdictions.QC]
regions = ["CA-QC"]
countries = []
channels.email = { model = "opt_in" }
channels.sms = { model = "opt_in" }
channels.phone = { model = "opt_in" }
channels.post = { model = "opt_out" }
"""


def test_a_user_policy_replaces_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(POLICY_TOML, encoding="utf-8")
    policy = load_policy(path)
    assert policy.version == "test-7"
    assert policy.jurisdiction_of(None) == "DE"  # configured fallback, not the strictest
    assert policy.jurisdiction_of("CA", "QC") == "QC"
    assert policy.jurisdiction_of("CA", "ON") == "strictest"  # unlisted: strictest of DE, QC
    no_doi = row("DE", email_opt_in=True)
    doi = row("DE", email_opt_in=True, custom={"double_opt_in_confirmed_at": "2026-10-01"})
    assert decide(no_doi, E, policy=policy)[1:] == (None, "consent.double_opt_in_missing")
    assert decide(doi, E, policy=policy)[1:] == ("consent", None)


def test_the_shipped_policy_round_trips_and_names_its_version() -> None:
    policy = default_policy()
    assert policy.version and set(policy.jurisdictions) >= {"EU", "UK", "CA", "US"}
    assert ConsentPolicy.from_dict(policy.to_dict()).to_dict() == policy.to_dict()
    assert policy.jurisdiction_of("gb") == "UK" and policy.jurisdiction_of("DE") == "EU"
    assert policy.rule("strictest", Channel.EMAIL).model == "opt_in"
    assert policy.rule("strictest", Channel.PHONE).model == "written"


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"colour": "red"}, "colour"),
        ({"unknown_jurisdiction": "XX"}, "unknown_jurisdiction"),
        ({"version": ""}, "version"),
    ],
)
def test_invalid_policies_name_the_key(change: dict[str, Any], key: str) -> None:
    data = {**default_policy().to_dict(), **change}
    with pytest.raises(ConsentPolicyError) as info:
        ConsentPolicy.from_dict(data)
    assert info.value.key == key


def test_an_invalid_model_is_rejected() -> None:
    data = default_policy().to_dict()
    data["jurisdictions"]["US"]["channels"]["email"] = {"model": "whatever"}
    with pytest.raises(ConsentPolicyError, match="model must be one of"):
        ConsentPolicy.from_dict(data)
