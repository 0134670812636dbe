"""The consent stage: per record and channel, may it be loaded and with which permissions.

Pure: the policy, the source's terms and the suppression hashes are passed in. Every row leaves
with, per channel, a status (the person's answer as far as it can be trusted), the lawful basis
that permits contact (None: not permitted), an expiry and a reason code when not permitted; or
with a ``suppression_reason`` that keeps the whole row out of the store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

import pandas as pd

from ingest.consent_policy import ChannelRule, ConsentPolicy
from ingest.records import CUSTOM_COLUMN, Channel, ConsentStatus

CHANNEL_ANSWER_COLUMNS: dict[Channel, str] = {
    Channel.EMAIL: "email_opt_in",
    Channel.PHONE: "phone_opt_in",
    Channel.SMS: "sms_opt_in",
    Channel.POST: "post_opt_in",
}
CHANNEL_OPT_OUT_COLUMNS: dict[Channel, str] = {
    Channel.EMAIL: "email_opt_out",
    Channel.PHONE: "phone_opt_out",
    Channel.SMS: "sms_opt_out",
    Channel.POST: "post_opt_out",
}
"""Flags that withdraw a channel when set (HubSpot "Unsubscribed from all email", Salesforce
"Email Opt Out" / "Do Not Call", Dynamics "Do not allow Emails", ...)."""
EMAIL_BOUNCED = "consent.email_bounced"
SUPPRESSION_COLUMN = "suppression_reason"
CONTEXT_COLUMN = "consent_context"
JURISDICTION_COLUMN = "jurisdiction"
DOUBLE_OPT_IN_FIELD = "double_opt_in_confirmed_at"
SALTED = "salted_sha256"
ERASURE_REASON = "suppressed.erasure"
MOBILE_TYPES = frozenset({"mobile", "fixed_line_or_mobile"})
DAYS_PER_MONTH = 30.4375


def consent_column(channel: Channel, part: str = "") -> str:
    """``consent_<channel>`` (status), or ``consent_<channel>_<part>`` (basis, expires, reason)."""
    return f"consent_{channel.value}_{part}" if part else f"consent_{channel.value}"


NO_DECLARED_OPT_IN = "consent.no_declared_opt_in"
DUE_DILIGENCE_INCOMPLETE = "consent.due_diligence_incomplete"


@dataclass(frozen=True, slots=True)
class SourceTerms:
    """What a source's own consent answers are worth, from its profile.

    ``trust_opt_in`` is False for purchased lists without a declared opt-in basis or with an
    incomplete due-diligence manifest: their "opted in" column is then kept as evidence but
    grants nothing, for ``untrusted_reason``. ``relationship`` is ``customer`` (soft opt-in,
    CASL implied consent after a purchase) or ``inquiry`` (CASL implied consent
    after an inquiry: web forms, events). ``fallback_country`` stands in for a missing country.
    """

    trust_opt_in: bool = True
    purchased: bool = False
    untrusted_reason: str = NO_DECLARED_OPT_IN
    relationship: str | None = None
    declared_basis: str | None = None
    vendor: str | None = None
    fallback_country: str | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """One channel's outcome before expiry: status, permitting basis, reason, implied months."""

    status: str
    basis: str | None
    reason: str | None
    implied_months: int | None = None
    consent_type: str | None = None


def hash_value(value: str, salt: str) -> str:
    """Salted SHA-256 of a matching key (email key or E.164 phone) as stored in suppressions."""
    return hashlib.sha256(f"{salt}:{value}".encode()).hexdigest()


def value_digests(value: str, kind: str, salt: str, algorithms: Collection[str]) -> list[str]:
    """Every digest a suppression list may hold for one email key/address or E.164 phone.

    Vendors hash the lowercase address (or the number with or without ``+``) unsalted.
    """
    out = [hash_value(value, salt)] if SALTED in algorithms else []
    plain = [value.strip().lower()] if kind == "email" else [value, value.lstrip("+")]
    for name in ("sha256", "md5"):
        if name in algorithms:
            out.extend(hashlib.new(name, p.encode()).hexdigest() for p in plain)
    return out


def apply_consent(
    frame: pd.DataFrame,
    *,
    policy: ConsentPolicy,
    terms: SourceTerms | None = None,
    suppressed: Mapping[str, str],
    salt: str,
    algorithms: Collection[str] = (SALTED,),
    now: datetime | None = None,
) -> pd.DataFrame:
    """Decide consent per row and channel and mark suppressed rows (see the module docstring).

    ``suppressed`` maps stored hashes to ``suppressed.<reason>``; reasons the policy lists as
    channel reasons (do-not-call) withdraw channels, every other reason suppresses the row.
    """
    terms = terms or SourceTerms()
    now = now or datetime.now(UTC)
    out = frame.copy()
    n = len(out)

    def col(name: str) -> list[Any]:
        return out[name].tolist() if name in out else [None] * n

    fallback = terms.fallback_country
    places = [
        (c if isinstance(c, str) and c else fallback, r if isinstance(r, str) and r else None)
        for c, r in zip(col("country"), col("region"), strict=True)
    ]
    place_of = {p: policy.jurisdiction_of(*p) for p in set(places)}
    jurisdictions = [place_of[p] for p in places]
    out[JURISDICTION_COLUMN] = jurisdictions
    hits = _suppression_hits(out, suppressed, salt, algorithms)
    record_reason: list[str | None] = [None] * n
    withdrawn: dict[int, dict[Channel, str]] = {}
    for i, codes in hits.items():
        for reason in codes:
            chans = policy.channels_withdrawn_by(reason.removeprefix("suppressed."))
            if chans:
                withdrawn.setdefault(i, {}).update(dict.fromkeys(chans, reason))
            elif record_reason[i] is None:
                record_reason[i] = reason
    out[SUPPRESSION_COLUMN] = record_reason

    doi = (
        [_double_opt_in(c) if c else None for c in col(CUSTOM_COLUMN)]
        if CUSTOM_COLUMN in out
        else [None] * n
    )
    has_doi = [d is not None for d in doi]
    wording = _present_mask(out, "consent_text")
    captured = pd.to_datetime(pd.Series(col("captured_at"), dtype=object), utc=True,
                              errors="coerce", format="ISO8601")  # fmt: skip
    contact = _contact_points(out)
    fixed = (terms.trust_opt_in, terms.purchased, terms.relationship)
    status_answers = [_status_answer(s) for s in col("email_status")]
    bounced = [
        b is True or s == "bounced"
        for b, s in zip(col("email_bounced"), col("email_status"), strict=True)
    ]
    for channel, answer_column in CHANNEL_ANSWER_COLUMNS.items():
        opted_out = [f is True for f in col(CHANNEL_OPT_OUT_COLUMNS[channel])]
        if channel is Channel.EMAIL:
            opted_out = [o or s is False for o, s in zip(opted_out, status_answers, strict=True)]
        answers = [
            False if out else (a if isinstance(a, bool) else None)
            for a, out in zip(col(answer_column), opted_out, strict=True)
        ]
        keys = list(zip(jurisdictions, answers, contact[channel], wording, has_doi, strict=True))
        decided = {
            k: _decide(
                policy.rule(k[0], channel),
                k[1],
                *fixed,
                *k[2:],
                untrusted_reason=terms.untrusted_reason,
            )
            for k in set(keys)
        }
        rows = [decided[k] for k in keys]
        bases = [d.basis for d in rows]
        reasons = [d.reason for d in rows]
        expiries: list[str | None] = [None] * n
        for i, d in enumerate(rows):
            if d.implied_months is None or d.basis is None:
                continue
            start = captured.iat[i]
            if not isinstance(start, pd.Timestamp):  # NaT: no or an unreadable date
                bases[i], reasons[i] = None, "consent.implied_no_date"
                continue
            end = start.to_pydatetime() + timedelta(days=d.implied_months * DAYS_PER_MONTH)
            expiries[i] = end.isoformat()
            if end <= now:
                bases[i], reasons[i] = None, "consent.implied_expired"
        if channel is Channel.EMAIL:
            for i in (i for i, b in enumerate(bounced) if b and rows[i].status != "opt_out"):
                bases[i], reasons[i], expiries[i] = None, EMAIL_BOUNCED, None
        for i, channels in withdrawn.items():
            if channel in channels and rows[i].status != ConsentStatus.OPT_OUT.value:
                bases[i], reasons[i] = None, channels[channel]
        out[consent_column(channel)] = [d.status for d in rows]
        out[consent_column(channel, "basis")] = bases
        out[consent_column(channel, "expires")] = expiries
        out[consent_column(channel, "reason")] = reasons
    base = {"policy_version": policy.version, "vendor": terms.vendor,
            "vendor_declaration": terms.declared_basis}  # fmt: skip
    contexts = [
        {**base, "jurisdiction": j, DOUBLE_OPT_IN_FIELD: d}
        for j, d in zip(out[JURISDICTION_COLUMN], doi, strict=True)
    ]
    out[CONTEXT_COLUMN] = pd.Series(contexts, index=out.index, dtype=object)
    return out


def erased_payloads(
    frame: pd.DataFrame, payloads: Mapping[int, dict[str, Any]]
) -> dict[int, dict[str, Any]]:
    """Payloads to store, with the rows of erased people replaced by a tombstone: a suppressed
    row is kept as an outcome, but an erased person's data must not come back with it."""
    erased = {
        int(row)
        for row, reason in zip(frame.index, frame[SUPPRESSION_COLUMN], strict=True)
        if reason == ERASURE_REASON
    }
    if not erased:
        return dict(payloads)
    return {r: ({"erased": True} if r in erased else p) for r, p in payloads.items()}


@lru_cache(maxsize=8192)
def _decide(
    rule: ChannelRule, answer: bool | None, trusted: bool, purchased: bool,
    relationship: str | None, has_contact: bool, has_wording: bool, has_doi: bool,
    *, untrusted_reason: str,
) -> Decision:  # fmt: skip
    """The rule of one jurisdiction and channel applied to one answer and its evidence."""
    if answer is False:
        return Decision(ConsentStatus.OPT_OUT.value, None, "consent.opted_out")
    status = ConsentStatus.OPT_IN if answer and trusted else ConsentStatus.UNKNOWN
    if not has_contact:
        return Decision(status.value, None, "consent.no_contact_point")
    express = status is ConsentStatus.OPT_IN and (has_doi or not rule.double_opt_in)
    customer = relationship == "customer" and not purchased
    if rule.model == "opt_out":
        basis = "consent" if express else "legitimate_interest"
        return Decision(status.value, basis, None, consent_type="express" if express else None)
    if express and (rule.model != "written" or has_wording):
        return Decision(status.value, "consent", None, consent_type="express")
    if rule.model == "implied" and not express:
        if customer and rule.implied_purchase_months:
            return Decision(status.value, "existing_customer", None,
                            rule.implied_purchase_months, "implied_purchase")  # fmt: skip
        if relationship == "inquiry" and rule.implied_inquiry_months:
            return Decision(status.value, "consent", None,
                            rule.implied_inquiry_months, "implied_inquiry")  # fmt: skip
    if rule.model == "opt_in" and rule.soft_opt_in and customer:
        return Decision(status.value, "existing_customer", None, consent_type="soft_opt_in")
    if purchased and not trusted:
        return Decision(status.value, None, untrusted_reason)
    return Decision(status.value, None, _denial(rule, answer, trusted, express))


def _denial(rule: ChannelRule, answer: bool | None, trusted: bool, express: bool) -> str:
    if answer and trusted and not express:
        return "consent.double_opt_in_missing"
    if rule.model == "written":
        return "consent.written_consent_required"
    return "consent.express_required" if rule.model == "implied" else "consent.opt_in_required"


def _status_answer(status: Any) -> bool | None:
    """An email status as an answer: unsubscribed is a no; every other status says nothing."""
    return False if status == "unsubscribed" else None


def _present(value: Any) -> bool:
    return isinstance(value, str) and bool(value)


def _present_mask(out: pd.DataFrame, name: str) -> list[bool]:
    """Per row, whether the column holds a non-empty string."""
    if name not in out:
        return [False] * len(out)
    return [isinstance(v, str) and v != "" for v in out[name].tolist()]


def _contact_points(out: pd.DataFrame) -> dict[Channel, list[bool]]:
    """Per channel, whether the row has something to contact (SMS needs a mobile number)."""
    phones, mobiles = _present_mask(out, "phone"), _present_mask(out, "mobile")
    types = out["phone_type"].tolist() if "phone_type" in out else [None] * len(out)
    mobile_phone = [p and t in MOBILE_TYPES for p, t in zip(phones, types, strict=True)]
    return {
        Channel.EMAIL: _present_mask(out, "email"),
        Channel.PHONE: [p or m for p, m in zip(phones, mobiles, strict=True)],
        Channel.SMS: [m or p for m, p in zip(mobiles, mobile_phone, strict=True)],
        Channel.POST: _present_mask(out, "street"),
    }


def _double_opt_in(custom: Any) -> str | None:
    if isinstance(custom, Mapping):
        value = custom.get(DOUBLE_OPT_IN_FIELD)
        return value if _present(value) else None
    return None


def parse_iso(value: Any) -> datetime | None:
    """An ISO-8601 string as an aware datetime (naive → UTC); None when absent or unreadable."""
    if not _present(value):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _suppression_hits(
    frame: pd.DataFrame, suppressed: Mapping[str, str], salt: str, algorithms: Collection[str]
) -> dict[int, tuple[str, ...]]:
    """Row position → the suppression reasons its email, phone or mobile hash to (hits only)."""
    hits: dict[int, tuple[str, ...]] = {}
    if not suppressed:
        return hits
    unsalted = [a for a in algorithms if a != SALTED]
    columns = [("email_key", "email", algorithms), ("email", "email", unsalted),
               ("phone", "phone", algorithms), ("mobile", "phone", algorithms)]  # fmt: skip
    for column, kind, algs in columns:
        if column not in frame or not algs:
            continue
        values = frame[column].tolist()
        found = {}
        for value in {v for v in values if isinstance(v, str) and v}:
            reasons = {
                r for d in value_digests(value, kind, salt, algs) if (r := suppressed.get(d))
            }
            if reasons:
                found[value] = tuple(sorted(reasons))
        if not found:
            continue
        for position, value in enumerate(values):
            if value in found:
                hits[position] = tuple(dict.fromkeys((*hits.get(position, ()), *found[value])))
    return hits
